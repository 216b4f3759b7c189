/* sim-comparison.h: several runs trained to their end on a worker thread, to compare the agents
 * they train
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include "sim-config.h"
#include "sim-train.h"

G_BEGIN_DECLS

/* The most runs one comparison trains. */
#define SIM_COMPARISON_MAX_RUNS 8

#define SIM_TYPE_COMPARISON (sim_comparison_get_type ())

G_DECLARE_FINAL_TYPE (SimComparison, sim_comparison, SIM, COMPARISON, GObject)

/* Starts a worker thread that trains each of the n_configs runs (copied) to its end, one after
 * the other, with the scenario's inference attached (sim_train_attach_inference()), so that
 * each run's last record holds the inference and goal-directedness of its final agent. Each
 * run is the run sim_train_new() makes of its config: the same numbers, bit for bit.
 * Progress and results are delivered in the thread-default main context of the calling
 * thread, as the signals below, coalesced (at most one delivery pending). Returns NULL with
 * error when n_configs is not within 1 and SIM_COMPARISON_MAX_RUNS or a config is refused
 * (sim_train_check_config()); nothing starts then.
 *
 * Signals, on the owner's context:
 *   run-done (int index)   run index has finished: sim_comparison_get_result() has its record
 *   progress ()            sim_comparison_get_fraction() moved on
 *   finished ()            every run has finished (after the last run-done and progress) */
SimComparison        *sim_comparison_new          (const SimConfig *configs,
                                                   int              n_configs,
                                                   GError         **error);
int                   sim_comparison_get_n_runs   (SimComparison   *self);
const SimConfig      *sim_comparison_get_config   (SimComparison   *self,
                                                   int              index);
/* The share of the work done as last delivered, from 0 to 1: the runs finished plus the
 * iterations done of the run training, each run counting the same. */
double                sim_comparison_get_fraction (SimComparison   *self);
/* The last record of run index (borrowed), once it has been delivered; NULL before. */
const SimTrainRecord *sim_comparison_get_result   (SimComparison   *self,
                                                   int              index);
gboolean              sim_comparison_get_finished (SimComparison   *self);
/* Whether the worker thread is still running (FALSE once it finished or was cancelled). */
gboolean              sim_comparison_get_running  (SimComparison   *self);
/* Stops the worker after the iteration it is doing and joins it; idempotent, and called by
 * dispose. No signal is emitted after it returns; the results delivered before stay. */
void                  sim_comparison_cancel       (SimComparison   *self);

G_END_DECLS
