/* sim.h: the Mesascope simulation engine (libsim), pure C on GLib and GSL: every public
 * header, room by room (meson.build says what each room holds and what it may include). For
 * the app, the command line and the tests; the engine's own files include what they use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sim-config.h"
#include "sim-file.h"
#include "sim-json.h"
#include "sim-vector.h"

#include "sim-world.h"
#include "sim-agents.h"
#include "sim-infer.h"
#include "sim-training.h"
