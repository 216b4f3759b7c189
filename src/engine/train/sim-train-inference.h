/* sim-train-inference.h: objective inference attached to a training run: the hook the training
 * loop calls every few iterations. It lives with training because it drives a SimTrain; the
 * inference itself (IRL, probes, goal-directedness) knows nothing of training.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "sim-probes.h"
#include "sim-train.h"

G_BEGIN_DECLS

/* Installs the scenario's objective inference as the run's inference hook, so that it runs
 * every config->infer_every iterations and after the last one. Coin and green-exit: MaxEnt IRL
 * on the run's probe battery (16 probes × 8 trajectories, seeded from the run's seed); returns
 * the battery (owned by the run, borrowed here; use it for sim_probes_export_demos()), or NULL
 * with error when it cannot be built. Keys-chests: the likelihood grid over θ = s·(cos α,
 * sin α) on the scenario's own probes (sim_keys_infer()); there is no battery to return, so
 * this returns NULL without setting error. */
SimProbes *sim_train_attach_inference (SimTrain  *train,
                                       GError   **error);
/* The battery that sim_train_attach_inference() installed on train (borrowed), or NULL when
 * the run has none (inference off, or keys-chests). Only on the thread that owns train. */
SimProbes *sim_train_get_probes       (SimTrain  *train);

G_END_DECLS
