/* sim.h: the Mesascope simulation engine (libsim), pure C on GLib and GSL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sim-level.h"
#include "sim-config.h"
#include "sim-scenario.h"
#include "sim-policy.h"
