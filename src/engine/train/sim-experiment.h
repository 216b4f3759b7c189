/* sim-experiment.h: experiment files (.mesascope): a run's configuration and its history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "sim-config.h"
#include "sim-snapshot.h"

G_BEGIN_DECLS

#define SIM_EXPERIMENT_FORMAT_VERSION 1

/* A file holds the history of one run: one entry per iteration, and a run has at most 100000
 * iterations (the configuration's limit; some minutes of training on the 8×8 grid). The
 * largest such file, with an inference at every iteration, is about 50 MB as written. */
#define SIM_EXPERIMENT_MAX_HISTORY    100000
#define SIM_EXPERIMENT_MAX_FILE_SIZE  ((gint64) 64 * 1024 * 1024)

/* The most runs of a sweep saved with a run. */
#define SIM_EXPERIMENT_MAX_SWEEP_RUNS 10000

#define SIM_EXPERIMENT_ERROR (sim_experiment_error_quark ())

typedef enum
{
  SIM_EXPERIMENT_ERROR_PARSE,     /* not JSON, or not an experiment; message names FILE:LINE */
  SIM_EXPERIMENT_ERROR_VERSION,   /* written by a newer version */
  SIM_EXPERIMENT_ERROR_INVALID,   /* a value is missing, of the wrong type or out of range */
  SIM_EXPERIMENT_ERROR_IO,        /* not a regular file, too large, or unreadable */
} SimExperimentError;

/* A sweep saved with the run (the Sweep window's): the configuration of each run, n_seeds runs
 * of each value next to each other (as in SimSweep), and the final figures of the finished runs
 * (NaN for a run not finished). */
typedef struct
{
  int n_runs;
  int n_seeds;
  SimConfig *configs;           /* owned, n_runs */
  double *train_target;         /* owned, n_runs each */
  double *test_target;
  double *test_proxy;
} SimExperimentSweep;

/* A sweep of n_runs runs with n_seeds seeds per value, every figure NaN. */
SimExperimentSweep *sim_experiment_sweep_new  (int                  n_runs,
                                               int                  n_seeds);
void                sim_experiment_sweep_free (SimExperimentSweep  *sweep);

/* A plain container: the configuration (enough to reproduce the run bit for bit, since the
 * engine is deterministic for a seed) and, when saved after a run, its history. */
typedef struct
{
  SimConfig config;

  int n_history;                /* iterations recorded */
  double *train_target;         /* owned, n_history */
  double *test_target;
  double *test_proxy;
  /* Keys-chests only (NULL otherwise), n_history each: mean keys collected and chests opened
   * per episode on training-distribution and test-distribution levels. */
  double *train_keys;
  double *train_chests;
  double *test_keys;
  double *test_chests;

  int n_features;               /* 0 when there is no inference history */
  int n_inferences;
  int *inference_iteration;     /* owned, n_inferences */
  double *inferred;             /* owned, n_inferences * n_features, unit norm */
  SimExperimentSweep *sweep;    /* owned, NULL when the file holds no sweep */
} SimExperiment;

GQuark          sim_experiment_error_quark    (void);

SimExperiment  *sim_experiment_new            (const SimConfig   *config);
/* Copies the configuration and the whole history of a snapshot. */
SimExperiment  *sim_experiment_new_from_snapshot (const SimSnapshot *snapshot);
void            sim_experiment_free           (SimExperiment     *experiment);

/* filename only names the file in error messages (NULL: "<input>"). */
SimExperiment  *sim_experiment_parse          (const char        *data,
                                               gssize             length,
                                               const char        *filename,
                                               GError           **error);
SimExperiment  *sim_experiment_load           (const char        *path,
                                               GError           **error);
char           *sim_experiment_to_json        (const SimExperiment *experiment);
/* Atomic: a temporary file in the same folder, then a rename; the old file survives failure. */
gboolean        sim_experiment_save           (const SimExperiment *experiment,
                                               const char        *path,
                                               GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimExperiment, sim_experiment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimExperimentSweep, sim_experiment_sweep_free)

G_END_DECLS
