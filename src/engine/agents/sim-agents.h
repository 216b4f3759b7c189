/* sim-agents.h: the agents: the planner, the Q-learner, the network, policies, the
 * keys-and-chests agent. They may include the world (and the configuration), never
 * training or inference. This header includes every public header of the room.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sim-keys-agent.h"
#include "sim-mlp.h"
#include "sim-planner.h"
#include "sim-policy.h"
#include "sim-qlearner.h"
