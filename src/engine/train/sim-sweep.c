/* sim-sweep.c: a sweep of training runs on a pool of threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every run is independent and deterministic (the run sim_train_new() makes of its
 * configuration), and its figures are kept at its index: what a sweep finds never depends on
 * the number of threads or the order in which runs finish.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sim-sweep.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "sim-keys-infer.h"
#include "sim-scenario.h"
#include "sim-train-inference.h"
#include "sim-vector.h"

#define WORKER_NICE 5   /* in the background: as the runner's worker, drawing comes first */

struct _SimSweep
{
  SimConfig *configs;
  guint64 n_runs;
  guint n_seeds;
  GCancellable *cancellable;
  GThreadPool *pool;
  gboolean started;
  gboolean background;
  SimSweepNotify notify;
  gpointer notify_data;

  /* Written once each by the worker that runs it, read after an atomic load. */
  SimSweepFinal **finals;
  char **errors;
  gint n_done;          /* atomic */
  gint n_finished;      /* atomic */
};

SimTrain *
sim_sweep_train_new (const SimConfig  *config,
                     gboolean          probes,
                     SimProbes       **out_probes,
                     GError          **error)
{
  g_autoptr (SimTrain) train = sim_train_new (config, error);
  SimProbes *attached = NULL;

  if (train == NULL)
    return NULL;
  if (config->infer_every > 0 || probes)
    {
      g_autoptr (GError) local = NULL;

      attached = sim_train_attach_inference (train, &local);
      if (attached == NULL && local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  if (out_probes != NULL)
    *out_probes = attached;
  return g_steal_pointer (&train);
}

gboolean
sim_sweep_train_run (SimTrain     *train,
                     SimSweepTick  tick,
                     gpointer      data)
{
  while (sim_train_step (train))
    if (tick != NULL && !tick (train, data))
      return FALSE;
  return TRUE;
}

void
sim_sweep_final_init (SimSweepFinal *final,
                      SimTrain      *train)
{
  const SimConfig *config = sim_train_get_config (train);
  int nf = sim_train_get_n_features (train);
  int n;
  const SimTrainRecord *history = sim_train_get_history (train, &n);
  const SimTrainRecord *last = sim_train_get_last (train);
  const SimTrainRecord *inference = NULL;
  const double *theta = sim_train_get_theta (train);

  for (int i = 0; i < n; i++)
    if (history[i].has_inference)
      inference = &history[i];

  memset (final, 0, sizeof *final);
  final->train_target = last != NULL ? last->train_target : NAN;
  final->test_target = last != NULL ? last->test_target : NAN;
  final->test_proxy = last != NULL ? last->test_proxy : NAN;
  final->predicted_test_target = inference != NULL ? inference->predicted_target : NAN;
  final->predicted_test_proxy = inference != NULL ? inference->predicted_proxy : NAN;
  final->cos_inferred_base = inference != NULL
                             ? sim_vec_cosine (inference->inferred,
                                               sim_train_get_base_objective (train), nf)
                             : NAN;
  final->cos_inferred_true = inference != NULL && theta != NULL
                             ? sim_vec_cosine (inference->inferred, theta, nf) : NAN;
  for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
    {
      final->goal[g] = inference != NULL ? inference->goal[g] : NAN;
      final->goal_lo[g] = inference != NULL ? inference->goal_lo[g] : NAN;
      final->goal_hi[g] = inference != NULL ? inference->goal_hi[g] : NAN;
      final->goal_nats[g] = inference != NULL ? inference->goal_nats[g] : NAN;
      final->goal_decisions[g] = inference != NULL ? inference->goal_decisions[g] : 0;
    }

  final->keys = config->scenario == SIM_SCENARIO_KEYS_CHESTS;
  final->has_last = last != NULL;
  final->train_keys = last != NULL ? last->train_keys : NAN;
  final->train_chests = last != NULL ? last->train_chests : NAN;
  final->test_keys = last != NULL ? last->test_keys : NAN;
  final->test_chests = last != NULL ? last->test_chests : NAN;
  final->last_has_inference = last != NULL && last->has_inference;
  final->last_inferred_angle = last != NULL ? last->inferred_angle : NAN;
  final->inferred_angle = inference != NULL ? inference->inferred_angle : NAN;
  final->inferred_angle_sd = inference != NULL ? inference->inferred_angle_sd : NAN;
  final->mesa_angle = final->keys ? sim_keys_theta_angle (theta) : NAN;
}

void
sim_sweep_final_clear (SimSweepFinal *final)
{
  memset (final, 0, sizeof *final);
  final->train_target = final->test_target = final->test_proxy = NAN;
  final->predicted_test_target = final->predicted_test_proxy = NAN;
  final->cos_inferred_base = final->cos_inferred_true = NAN;
  for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
    final->goal[g] = final->goal_lo[g] = final->goal_hi[g] = final->goal_nats[g] = NAN;
  final->train_keys = final->train_chests = final->test_keys = final->test_chests = NAN;
  final->last_inferred_angle = final->inferred_angle = final->inferred_angle_sd = NAN;
  final->mesa_angle = NAN;
}

double
sim_sweep_final_get (const SimSweepFinal *final,
                     SimSweepFigure       figure)
{
  switch (figure)
    {
    case SIM_SWEEP_TEST_TARGET:
      return final->test_target;
    case SIM_SWEEP_TEST_PROXY:
      return final->test_proxy;
    case SIM_SWEEP_TRAIN_TARGET:
      return final->train_target;
    case SIM_SWEEP_N_FIGURES:
    default:
      g_return_val_if_reached (NAN);
    }
}

void
sim_sweep_interval (const double *values,
                    guint         n,
                    double       *mean,
                    double       *lo,
                    double       *hi)
{
  double sum = 0.0, m = NAN, half = NAN;

  for (guint j = 0; j < n; j++)
    sum += values[j];
  if (n > 0)
    m = sum / n;
  if (n > 1)
    {
      double ss = 0.0;

      for (guint j = 0; j < n; j++)
        ss += (values[j] - m) * (values[j] - m);
      half = gsl_cdf_tdist_Pinv (0.975, n - 1) * sqrt (ss / (n - 1) / n);
    }
  *mean = m;
  *lo = m - half;
  *hi = m + half;
}

SimSweep *
sim_sweep_new (const SimConfig *configs,
               guint64          n_runs,
               guint            n_seeds,
               GError         **error)
{
  SimSweep *self;

  g_return_val_if_fail (configs != NULL || n_runs == 0, NULL);

  if (n_seeds == 0 || n_runs % n_seeds != 0)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "a sweep of %" G_GUINT64_FORMAT " runs cannot have %u seeds a point",
                   n_runs, n_seeds);
      return NULL;
    }
  self = g_new0 (SimSweep, 1);
  self->configs = g_memdup2 (configs, n_runs * sizeof (SimConfig));
  self->n_runs = n_runs;
  self->n_seeds = n_seeds;
  self->cancellable = g_cancellable_new ();
  self->finals = g_new0 (SimSweepFinal *, n_runs);
  self->errors = g_new0 (char *, n_runs);
  return self;
}

void
sim_sweep_free (SimSweep *self)
{
  if (self == NULL)
    return;
  sim_sweep_cancel (self);
  sim_sweep_wait (self, TRUE);
  for (guint64 r = 0; r < self->n_runs; r++)
    {
      g_free (self->finals[r]);
      g_free (self->errors[r]);
    }
  g_free (self->finals);
  g_free (self->errors);
  g_free (self->configs);
  g_object_unref (self->cancellable);
  g_free (self);
}

guint64
sim_sweep_get_n_runs (SimSweep *self)
{
  return self->n_runs;
}

guint
sim_sweep_get_n_seeds (SimSweep *self)
{
  return self->n_seeds;
}

guint64
sim_sweep_get_n_points (SimSweep *self)
{
  return self->n_runs / self->n_seeds;
}

const SimConfig *
sim_sweep_get_config (SimSweep *self,
                      guint64   index)
{
  g_return_val_if_fail (index < self->n_runs, NULL);
  return &self->configs[index];
}

static gboolean
on_iteration (SimTrain *train G_GNUC_UNUSED,
              gpointer  data)
{
  return !g_cancellable_is_cancelled (data);
}

static void
run_one (gpointer item,
         gpointer data)
{
  SimSweep *self = data;
  guint64 index = GPOINTER_TO_SIZE (item) - 1;

  if (self->background)
    /* On Linux a nice value belongs to the thread; failing to lower it only costs smoothness. */
    (void) setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), WORKER_NICE);
  if (!g_cancellable_is_cancelled (self->cancellable))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SimTrain) train = sim_sweep_train_new (&self->configs[index], FALSE, NULL,
                                                        &error);

      if (train == NULL)
        {
          g_atomic_pointer_set (&self->errors[index], g_strdup (error->message));
          g_cancellable_cancel (self->cancellable);
        }
      else if (sim_sweep_train_run (train, on_iteration, self->cancellable))
        {
          SimSweepFinal *final = g_new (SimSweepFinal, 1);

          sim_sweep_final_init (final, train);
          g_atomic_pointer_set (&self->finals[index], final);
          g_atomic_int_inc (&self->n_finished);
        }
    }
  g_atomic_int_inc (&self->n_done);
  if (self->notify != NULL)
    self->notify (self, index, self->notify_data);
}

void
sim_sweep_set_background (SimSweep *self,
                          gboolean  background)
{
  g_return_if_fail (!self->started);

  self->background = background;
}

void
sim_sweep_start (SimSweep       *self,
                 guint           n_jobs,
                 const guint64  *runs,
                 guint64         n,
                 SimSweepNotify  notify,
                 gpointer        data)
{
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->notify = notify;
  self->notify_data = data;
  if (runs == NULL)
    n = self->n_runs;
  if (n == 0)
    return;
  n_jobs = (guint) MAX (MIN ((guint64) n_jobs, n), 1);
  /* Exclusive: the threads start here, with the caller's signal mask. */
  self->pool = g_thread_pool_new (run_one, self, (int) n_jobs, TRUE, NULL);
  for (guint64 i = 0; i < n; i++)
    {
      guint64 r = runs != NULL ? runs[i] : i;

      g_return_if_fail (r < self->n_runs);
      g_thread_pool_push (self->pool, GSIZE_TO_POINTER (r + 1), NULL);
    }
}

void
sim_sweep_cancel (SimSweep *self)
{
  g_cancellable_cancel (self->cancellable);
}

gboolean
sim_sweep_is_cancelled (SimSweep *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

void
sim_sweep_wait (SimSweep *self,
                gboolean  immediate)
{
  if (self->pool == NULL)
    return;
  g_thread_pool_free (self->pool, immediate, TRUE);
  self->pool = NULL;
}

void
sim_sweep_restore (SimSweep            *self,
                   guint64              index,
                   const SimSweepFinal *final)
{
  g_return_if_fail (!self->started);
  g_return_if_fail (index < self->n_runs && final != NULL);
  g_return_if_fail (self->finals[index] == NULL);

  self->finals[index] = g_memdup2 (final, sizeof *final);
  self->n_done++;
  self->n_finished++;
}

guint64
sim_sweep_get_n_done (SimSweep *self)
{
  return (guint64) g_atomic_int_get (&self->n_done);
}

guint64
sim_sweep_get_n_finished (SimSweep *self)
{
  return (guint64) g_atomic_int_get (&self->n_finished);
}

const SimSweepFinal *
sim_sweep_get_final (SimSweep *self,
                     guint64   index)
{
  g_return_val_if_fail (index < self->n_runs, NULL);
  return g_atomic_pointer_get (&self->finals[index]);
}

const char *
sim_sweep_get_error (SimSweep *self,
                     guint64   index)
{
  g_return_val_if_fail (index < self->n_runs, NULL);
  return g_atomic_pointer_get (&self->errors[index]);
}

guint
sim_sweep_summary (SimSweep       *self,
                   guint64         point,
                   SimSweepFigure  figure,
                   double         *mean,
                   double         *lo,
                   double         *hi)
{
  g_autofree double *values = g_new (double, self->n_seeds);
  guint n = 0;

  g_return_val_if_fail (point < sim_sweep_get_n_points (self), 0);

  for (guint s = 0; s < self->n_seeds; s++)
    {
      const SimSweepFinal *final = sim_sweep_get_final (self, point * self->n_seeds + s);
      double value = final != NULL ? sim_sweep_final_get (final, figure) : NAN;

      if (isfinite (value))
        values[n++] = value;
    }
  sim_sweep_interval (values, n, mean, lo, hi);
  return n;
}

static void
append_number (GString *out,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (isfinite (v))
    g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v));
}

char *
sim_sweep_to_csv (SimSweep *self)
{
  GString *out = g_string_new ("index,point,scenario,agent,optimizer,seed,perception,diversity,"
                               "near_corner,grid,iterations,infer_every,planning_depth,"
                               "train_target,test_target,test_proxy,predicted_test_target,"
                               "predicted_test_proxy,cos_inferred_base,cos_inferred_true\n");

  for (guint64 r = 0; r < self->n_runs; r++)
    {
      const SimSweepFinal *f = sim_sweep_get_final (self, r);
      const SimConfig *c = &self->configs[r];
      g_autofree char *perception = NULL;

      if (f == NULL)
        continue;
      perception = sim_perception_to_string (c->perception, c->perception_param);
      g_string_append_printf (out, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",%s,%s,%s,%u,%s,"
                              "%d,%s,%d,%d,%d,%d", r, r / self->n_seeds,
                              sim_scenario_to_string (c->scenario),
                              sim_agent_to_string (c->agent),
                              c->agent == SIM_AGENT_PLANNER
                              ? sim_optimizer_to_string (c->optimizer) : "",
                              (guint) c->seed, perception, c->diversity,
                              c->near_corner ? "true" : "false", c->grid, c->iterations,
                              c->infer_every, c->planning_depth);
      append_number (out, f->train_target);
      append_number (out, f->test_target);
      append_number (out, f->test_proxy);
      append_number (out, f->predicted_test_target);
      append_number (out, f->predicted_test_proxy);
      append_number (out, f->cos_inferred_base);
      append_number (out, f->cos_inferred_true);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
