/* sim-infer.h: inference from behaviour: MaxEnt IRL, demonstrations, the probe battery,
 * goal-directedness, the keys-and-chests likelihood grid. It may include the world and
 * the agents, never training. This header includes every public header of the room.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sim-demos.h"
#include "sim-goal.h"
#include "sim-irl.h"
#include "sim-keys-infer.h"
#include "sim-probes.h"
