/* sim-inference.h: objective inference attached to a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "sim-probes.h"
#include "sim-train.h"

G_BEGIN_DECLS

/* Installs MaxEnt IRL on the run's probe battery (16 probes × 8 trajectories, seeded from the
 * run's seed) as its inference hook, so that it runs every config->infer_every iterations and
 * after the last one. Returns the battery (owned by the run, borrowed here; use it for
 * sim_probes_export_demos()), or NULL with error when the scenario has no MaxEnt inference. */
SimProbes *sim_train_attach_inference (SimTrain  *train,
                                       GError   **error);

G_END_DECLS
