/* sim-comparison.c: several runs trained to their end on a worker thread, to compare the agents
 * they train
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading as in sim-runner.c: the worker alone owns the SimTrain it is training. It writes
 * each finished run's last record and the progress under `mutex` and schedules at most one
 * delivery at a time in the owner's context; a record is written once, before the count of
 * finished runs that covers it, and never again, so the owner reads the records the delivered
 * count covers without the lock. Cancelling sets `stop`, which the worker reads between
 * iterations, and joins the thread.
 */
#include "config.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "sim-comparison.h"

#include <math.h>

#include "sim-train-inference.h"

#define WORKER_NICE 5   /* as the runner's worker: drawing comes first */

struct _SimComparison
{
  GObject parent_instance;

  SimConfig configs[SIM_COMPARISON_MAX_RUNS];   /* immutable after construction */
  int n_runs;
  GMainContext *context;        /* the owner's, deliveries go there */
  GThread *thread;              /* owned until joined */
  int stop;                     /* atomic: the owner asks the worker to stop */

  /* Under mutex: written by the worker. */
  GMutex mutex;
  SimTrainRecord results[SIM_COMPARISON_MAX_RUNS];
  int n_done;                   /* runs finished: results[0 … n_done − 1] are final */
  double fraction;
  gboolean ended;               /* the worker has returned, or is about to */
  gboolean delivery_pending;

  /* Owner's thread only. */
  int n_delivered;              /* results announced by run-done */
  double delivered_fraction;
  gboolean finished;
  gboolean stopped;             /* cancelled: no more signals */
};

enum
{
  SIGNAL_RUN_DONE,
  SIGNAL_PROGRESS,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SimComparison, sim_comparison, G_TYPE_OBJECT)

static gboolean
deliver_cb (gpointer data)
{
  SimComparison *self = data;
  int n_done;
  double fraction;
  gboolean ended;

  g_mutex_lock (&self->mutex);
  self->delivery_pending = FALSE;
  n_done = self->n_done;
  fraction = self->fraction;
  ended = self->ended;
  g_mutex_unlock (&self->mutex);

  if (self->stopped)
    return G_SOURCE_REMOVE;
  if (ended && self->thread != NULL)
    {
      /* The worker has nothing left to do but return. */
      g_thread_join (self->thread);
      self->thread = NULL;
    }
  while (self->n_delivered < n_done && !self->stopped)
    g_signal_emit (self, signals[SIGNAL_RUN_DONE], 0, self->n_delivered++);
  if (fraction != self->delivered_fraction && !self->stopped)
    {
      self->delivered_fraction = fraction;
      g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
    }
  if (n_done == self->n_runs && !self->finished && !self->stopped)
    {
      self->finished = TRUE;
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
    }
  return G_SOURCE_REMOVE;
}

/* Worker, with the lock held: makes sure a delivery is on its way to the owner. */
static void
schedule_delivery (SimComparison *self)
{
  GSource *source;

  if (self->delivery_pending)
    return;
  self->delivery_pending = TRUE;
  /* A source attached to the owner's context, never g_main_context_invoke_full(), which would
   * run the delivery here on the worker whenever that context is free. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[sim-comparison] deliver");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
publish_progress (SimComparison *self,
                  int            run,
                  int            iteration,
                  int            n_iterations)
{
  g_mutex_lock (&self->mutex);
  self->fraction = (run + (double) iteration / MAX (n_iterations, 1)) / self->n_runs;
  schedule_delivery (self);
  g_mutex_unlock (&self->mutex);
}

/* A record for a run that could not train: nothing measured. */
static void
empty_record (SimTrainRecord *record)
{
  *record = (SimTrainRecord) { 0 };
  for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
    record->goal[g] = record->goal_lo[g] = record->goal_hi[g] = record->goal_nats[g] = NAN;
}

static gpointer
worker_main (gpointer data)
{
  SimComparison *self = data;

#ifdef __linux__
  /* On Linux a nice value belongs to the thread; failing to lower it only costs smoothness. */
  (void) setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), WORKER_NICE);
#endif

  for (int i = 0; i < self->n_runs && !g_atomic_int_get (&self->stop); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SimTrain) train = sim_train_new (&self->configs[i], &error);
      SimTrainRecord record;

      if (train != NULL && sim_train_attach_inference (train, &error) == NULL && error != NULL)
        g_warning ("Comparison run %d trains without inference: %s", i + 1, error->message);
      else if (train == NULL)
        g_warning ("Comparison run %d could not start: %s", i + 1, error->message);

      while (train != NULL && !g_atomic_int_get (&self->stop) && sim_train_step (train))
        publish_progress (self, i, sim_train_get_iteration (train),
                          sim_train_get_n_iterations (train));
      if (g_atomic_int_get (&self->stop))
        break;
      if (train != NULL && sim_train_get_last (train) != NULL)
        record = *sim_train_get_last (train);
      else
        empty_record (&record);

      g_mutex_lock (&self->mutex);
      self->results[i] = record;
      self->n_done = i + 1;
      self->fraction = (double) (i + 1) / self->n_runs;
      schedule_delivery (self);
      g_mutex_unlock (&self->mutex);
    }

  g_mutex_lock (&self->mutex);
  self->ended = TRUE;
  schedule_delivery (self);
  g_mutex_unlock (&self->mutex);
  return NULL;
}

void
sim_comparison_cancel (SimComparison *self)
{
  g_return_if_fail (SIM_IS_COMPARISON (self));

  self->stopped = TRUE;
  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->stop, TRUE);
  g_thread_join (self->thread);
  self->thread = NULL;
}

static void
sim_comparison_dispose (GObject *object)
{
  sim_comparison_cancel (SIM_COMPARISON (object));

  G_OBJECT_CLASS (sim_comparison_parent_class)->dispose (object);
}

static void
sim_comparison_finalize (GObject *object)
{
  SimComparison *self = SIM_COMPARISON (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (sim_comparison_parent_class)->finalize (object);
}

static void
sim_comparison_class_init (SimComparisonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sim_comparison_dispose;
  object_class->finalize = sim_comparison_finalize;

  /**
   * SimComparison::run-done:
   * @comparison: the comparison
   * @index: the run that finished
   *
   * Emitted on the owner's main context, once per run, in order.
   */
  signals[SIGNAL_RUN_DONE] = g_signal_new ("run-done", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * SimComparison::progress:
   * @comparison: the comparison
   *
   * Emitted on the owner's main context when the fraction done has changed.
   */
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /**
   * SimComparison::finished:
   * @comparison: the comparison
   *
   * Emitted on the owner's main context once every run has finished.
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
sim_comparison_init (SimComparison *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * sim_comparison_new:
 * @configs: (array length=n_configs): the runs, copied
 * @n_configs: how many, 1 to SIM_COMPARISON_MAX_RUNS
 * @error: the reason a config is refused
 *
 * A config with inference off (infer_every 0) is trained with one inference, after its last
 * iteration (infer_every set to its iterations); sim_comparison_get_config() gives the config
 * trained.
 *
 * Returns: (transfer full) (nullable): the comparison, its worker started
 */
SimComparison *
sim_comparison_new (const SimConfig *configs,
                    int              n_configs,
                    GError         **error)
{
  SimComparison *self;

  g_return_val_if_fail (configs != NULL || n_configs == 0, NULL);

  if (n_configs < 1 || n_configs > SIM_COMPARISON_MAX_RUNS)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "a comparison trains 1 to %d runs, not %d", SIM_COMPARISON_MAX_RUNS,
                   n_configs);
      return NULL;
    }
  for (int i = 0; i < n_configs; i++)
    if (!sim_train_check_config (&configs[i], error))
      return NULL;

  self = g_object_new (SIM_TYPE_COMPARISON, NULL);
  self->n_runs = n_configs;
  for (int i = 0; i < n_configs; i++)
    {
      self->configs[i] = configs[i];
      if (self->configs[i].infer_every <= 0)
        self->configs[i].infer_every = self->configs[i].iterations;
    }
  self->context = g_main_context_ref_thread_default ();
  self->thread = g_thread_new ("sim-comparison", worker_main, self);
  return self;
}

int
sim_comparison_get_n_runs (SimComparison *self)
{
  g_return_val_if_fail (SIM_IS_COMPARISON (self), 0);

  return self->n_runs;
}

/**
 * sim_comparison_get_config:
 *
 * Returns: (transfer none): the config run index trains
 */
const SimConfig *
sim_comparison_get_config (SimComparison *self,
                           int            index)
{
  g_return_val_if_fail (SIM_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (index >= 0 && index < self->n_runs, NULL);

  return &self->configs[index];
}

double
sim_comparison_get_fraction (SimComparison *self)
{
  g_return_val_if_fail (SIM_IS_COMPARISON (self), 0.0);

  return self->delivered_fraction;
}

/**
 * sim_comparison_get_result:
 *
 * Returns: (transfer none) (nullable): the last record of run index, or NULL before its
 * run-done
 */
const SimTrainRecord *
sim_comparison_get_result (SimComparison *self,
                           int            index)
{
  g_return_val_if_fail (SIM_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (index >= 0 && index < self->n_runs, NULL);

  return index < self->n_delivered ? &self->results[index] : NULL;
}

gboolean
sim_comparison_get_finished (SimComparison *self)
{
  g_return_val_if_fail (SIM_IS_COMPARISON (self), FALSE);

  return self->finished;
}

gboolean
sim_comparison_get_running (SimComparison *self)
{
  g_return_val_if_fail (SIM_IS_COMPARISON (self), FALSE);

  return self->thread != NULL;
}
