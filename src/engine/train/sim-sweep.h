/* sim-sweep.h: a sweep: the run `mesascope-cli train` makes, for every configuration of a grid
 * and every seed, trained to its end on a pool of threads, and its final figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sim-config.h"
#include "sim-probes.h"
#include "sim-train.h"

G_BEGIN_DECLS

/* The figures of a run trained to its end. The first ones come from the last iteration (NaN
 * when there was none), the inference's from the last iteration that inferred (NaN, and 0
 * decisions, when none did). */
typedef struct
{
  double train_target;
  double test_target;              /* P(reach the target) on test levels */
  double test_proxy;               /* P(end at the proxy) on test levels */
  double predicted_test_target;
  double predicted_test_proxy;
  double cos_inferred_base;        /* cosine of the inferred objective and the base one */
  double cos_inferred_true;        /* … and the true (mesa) one; NaN without one */
  double goal[SIM_TRAIN_N_GOALS];  /* goal-directedness, as in SimTrainRecord */
  double goal_lo[SIM_TRAIN_N_GOALS];
  double goal_hi[SIM_TRAIN_N_GOALS];
  double goal_nats[SIM_TRAIN_N_GOALS];
  int goal_decisions[SIM_TRAIN_N_GOALS];

  /* Keys-chests only (keys is TRUE): the last iteration's counts (has_last), whether that
   * iteration inferred and its angle, the last inference's angle and spread, and the angle of
   * the true objective. */
  gboolean keys;
  gboolean has_last;
  double train_keys, train_chests, test_keys, test_chests;
  gboolean last_has_inference;
  double last_inferred_angle;
  double inferred_angle;
  double inferred_angle_sd;
  double mesa_angle;
} SimSweepFinal;

/* The figures a sweep view draws, by name. */
typedef enum
{
  SIM_SWEEP_TEST_TARGET,
  SIM_SWEEP_TEST_PROXY,
  SIM_SWEEP_TRAIN_TARGET,
  SIM_SWEEP_N_FIGURES
} SimSweepFigure;

/* One run as `train` makes it: the run of config with the inference attached when config
 * infers (or probes is set); its probes in *out_probes (owned by the run) when asked. */
SimTrain *sim_sweep_train_new  (const SimConfig  *config,
                                gboolean          probes,
                                SimProbes       **out_probes,
                                GError          **error);
/* Called after every iteration; returns FALSE to stop the run. */
typedef gboolean (*SimSweepTick) (SimTrain *train,
                                  gpointer  data);
/* Trains to the last iteration: TRUE, or FALSE when tick (may be NULL) stopped it. */
gboolean  sim_sweep_train_run  (SimTrain        *train,
                                SimSweepTick     tick,
                                gpointer         data);
/* The final figures of a trained run. */
void      sim_sweep_final_init (SimSweepFinal   *final,
                                SimTrain        *train);
/* Figures of a run not known: every figure NaN, no decisions. */
void      sim_sweep_final_clear (SimSweepFinal  *final);
double    sim_sweep_final_get  (const SimSweepFinal *final,
                                SimSweepFigure       figure);

/* The mean of the n values and the ends of its 95 % Student-t interval (NaN ends with fewer
 * than two values, a NaN mean with none). */
void      sim_sweep_interval   (const double    *values,
                                guint            n,
                                double          *mean,
                                double          *lo,
                                double          *hi);

/* A sweep: n_runs configurations, the n_seeds runs of a grid point next to each other (run r
 * belongs to point r / n_seeds). Thread-safe where said. */
typedef struct _SimSweep SimSweep;

/* Called on a worker thread when the pool is done with run index: finished
 * (sim_sweep_get_final() has its figures), failed (sim_sweep_get_error()) or skipped because
 * the sweep was cancelled (neither). */
typedef void (*SimSweepNotify) (SimSweep *sweep,
                                guint64   index,
                                gpointer  data);

/* A sweep of the configurations (copied); NULL with error when n_runs is not a multiple of
 * n_seeds. A configuration sim_train_new() refuses fails when its run starts (check them
 * first with sim_train_check_config() to refuse them up front). */
SimSweep            *sim_sweep_new            (const SimConfig *configs,
                                               guint64          n_runs,
                                               guint            n_seeds,
                                               GError         **error);
/* Cancels and waits for the pool first. */
void                 sim_sweep_free           (SimSweep        *self);
guint64              sim_sweep_get_n_runs     (SimSweep        *self);
guint                sim_sweep_get_n_seeds    (SimSweep        *self);
guint64              sim_sweep_get_n_points   (SimSweep        *self);
const SimConfig     *sim_sweep_get_config     (SimSweep        *self,
                                               guint64          index);

/* Before the start: the workers run at a lower priority (on Linux, the nice value of the
 * dashboard's training thread), so that a window drawing beside them comes first. */
void                 sim_sweep_set_background (SimSweep        *self,
                                               gboolean         background);
/* Starts n_jobs threads (created here, so they inherit the caller's signal mask) that run the
 * n runs listed (all of them when runs is NULL) in that order; notify (may be NULL) is called
 * for each. The first run that fails cancels the others. A sweep starts once. */
void                 sim_sweep_start          (SimSweep        *self,
                                               guint            n_jobs,
                                               const guint64   *runs,
                                               guint64          n,
                                               SimSweepNotify   notify,
                                               gpointer         data);
/* Stops the runs under way after their current iteration and the queued ones before they start
 * (each still notified). Thread-safe, idempotent. */
void                 sim_sweep_cancel         (SimSweep        *self);
gboolean             sim_sweep_is_cancelled   (SimSweep        *self);
/* Waits for the pool's threads; immediate drops the runs not started (not notified then). */
void                 sim_sweep_wait           (SimSweep        *self,
                                               gboolean         immediate);
/* Puts back the figures of a run finished earlier (an experiment file's sweep): the run counts
 * as done and finished. Only on a sweep not started; the sweep can then start the others. */
void                 sim_sweep_restore        (SimSweep        *self,
                                               guint64          index,
                                               const SimSweepFinal *final);
/* Runs the pool is done with, and of those the finished ones (thread-safe). */
guint64              sim_sweep_get_n_done     (SimSweep        *self);
guint64              sim_sweep_get_n_finished (SimSweep        *self);
/* The figures of a finished run, NULL before (thread-safe; the figures never change). */
const SimSweepFinal *sim_sweep_get_final      (SimSweep        *self,
                                               guint64          index);
/* Why run index failed, or NULL. */
const char          *sim_sweep_get_error      (SimSweep        *self,
                                               guint64          index);
/* A grid point's figure over its finished runs: their number, the mean and its interval
 * (sim_sweep_interval(), finite values only). */
guint                sim_sweep_summary        (SimSweep        *self,
                                               guint64          point,
                                               SimSweepFigure   figure,
                                               double          *mean,
                                               double          *lo,
                                               double          *hi);
/* The finished runs as CSV: a header, then one line per finished run in index order: index,
 * point, the configuration (scenario … planning_depth, as in a sweep file) and the final
 * figures train_target … cos_inferred_true (shortest round-trip decimals, empty for NaN). */
char                *sim_sweep_to_csv         (SimSweep        *self);

G_END_DECLS
