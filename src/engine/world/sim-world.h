/* sim-world.h: the world: levels, scenarios and their features, MDPs and their files,
 * the rules of keys and chests. It includes no other room: what lives here knows nothing
 * of agents, training or inference. This header includes every public header of the room.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sim-keys.h"
#include "sim-level.h"
#include "sim-mdp.h"
#include "sim-scenario.h"
