/* sim-util.c: small helpers shared across the engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim.h"
