/* sim-runner.c: a worker thread that trains, and publishes snapshots to the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Threading: the worker thread alone owns the backend state (training data, GSL workspaces,
 * random number generators). The main thread talks to it through the fields under `mutex`
 * (commands) and receives immutable snapshots: the worker swaps each new snapshot into `latest`
 * and schedules at most one delivery at a time in the owner's main context, so the main thread
 * never falls behind, never blocks on training and never sees half-written data.
 *
 * The worker runs at a lower priority (WORKER_NICE) than the thread that draws: training
 * takes whatever the interface and the compositor leave of the cores, and never keeps a
 * frame waiting for one.
 */
#include "config.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "sim-runner.h"
#include "sim-train-inference.h"
#include "sim-train.h"

#define IPS_WINDOW 16
#define PUBLISH_INTERVAL_US (30 * 1000)
#define WORKER_NICE 5   /* added to the worker thread's nice value (Linux) */

struct _SimRunner
{
  GObject parent_instance;

  SimRunnerBackend backend;
  GMainContext *context;        /* owner's context, deliveries go there */
  GThread *owner;               /* the thread that created the runner */
  GThread *thread;

  /* Under mutex: commands from the main thread, and the delivery hand-off. */
  GMutex mutex;
  GCond cond;
  SimConfig config;             /* the configuration of the current (or pending) run */
  guint run;                    /* the number of that run: one more with every reset */
  gboolean reset_pending;
  gboolean playing;
  int play_to;                  /* > 0: play at full speed until the run has done this many
                                 * iterations, then pause (sim_runner_play_to()) */
  int step_requests;
  double speed;
  int shown_index;
  gboolean shown_changed;
  gboolean stop;
  SimSnapshot *latest;          /* newest published snapshot, owned */
  GQueue jobs;                  /* Job *, queued by the owner, run by the worker */
  gboolean delivery_pending;

  /* Main thread only. */
  SimSnapshot *current;         /* last delivered snapshot, owned */
  gboolean stopped;
};

enum {
  SIGNAL_SNAPSHOT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SimRunner, sim_runner, G_TYPE_OBJECT)

typedef struct
{
  SimRunner *runner;            /* a strong ref only once the job ran (held by its done source) */
  gboolean holds_ref;
  SimRunnerJobFunc func;
  SimRunnerJobDone done;
  gpointer user_data;
  GDestroyNotify destroy;
} Job;

/* Owner's thread only: user data may hold objects that belong there. */
static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->destroy != NULL)
    job->destroy (job->user_data);
  if (job->holds_ref)
    g_object_unref (job->runner);
  g_free (job);
}

static gboolean
job_done_cb (gpointer data)
{
  Job *job = data;

  g_assert (g_thread_self () == job->runner->owner);
  if (!job->runner->stopped && job->done != NULL)
    job->done (job->runner, job->user_data);
  return G_SOURCE_REMOVE;
}

/* Worker-side bookkeeping, on the worker's stack. */
typedef struct
{
  gpointer state;
  gboolean finished;
  gint64 step_times[IPS_WINDOW];
  int n_step_times;
  gint64 last_publish;
  gboolean dirty;               /* stepped since the last publication */
  gboolean published_running;   /* the running flag of the last publication */
  int steps;                    /* iterations the current run has done */
  guint run;                    /* the runner's number of the current run */
} Worker;

static gboolean
deliver_cb (gpointer user_data)
{
  SimRunner *self = user_data;
  SimSnapshot *snapshot;

  g_assert (g_thread_self () == self->owner);

  g_mutex_lock (&self->mutex);
  snapshot = self->latest != NULL ? sim_snapshot_ref (self->latest) : NULL;
  self->delivery_pending = FALSE;
  g_mutex_unlock (&self->mutex);

  if (self->stopped || snapshot == NULL)
    {
      g_clear_pointer (&snapshot, sim_snapshot_unref);
      return G_SOURCE_REMOVE;
    }

  g_clear_pointer (&self->current, sim_snapshot_unref);
  self->current = snapshot;
  g_signal_emit (self, signals[SIGNAL_SNAPSHOT], 0, snapshot);
  return G_SOURCE_REMOVE;
}

static double
measured_ips (const Worker *w)
{
  int n = MIN (w->n_step_times, IPS_WINDOW);
  gint64 newest, oldest;

  if (n < 2)
    return 0.0;
  newest = w->step_times[(w->n_step_times - 1) % IPS_WINDOW];
  oldest = w->step_times[(w->n_step_times - n) % IPS_WINDOW];
  if (newest <= oldest)
    return 0.0;
  /* A pause longer than the window makes the figure stale: report nothing. */
  if (g_get_monotonic_time () - newest > 3 * G_USEC_PER_SEC)
    return 0.0;
  return (n - 1) * (double) G_USEC_PER_SEC / (double) (newest - oldest);
}

static void
publish (SimRunner *self,
         Worker    *w,
         int        shown_index,
         gboolean   playing)
{
  SimSnapshot *snapshot = sim_snapshot_new ();
  SimSnapshot *old;
  gboolean schedule;

  if (w->state != NULL)
    self->backend.fill_snapshot (w->state, shown_index, snapshot);
  snapshot->iterations_per_second = playing ? measured_ips (w) : 0.0;
  snapshot->running = playing;
  snapshot->run = w->run;
  w->published_running = playing;
  w->last_publish = g_get_monotonic_time ();
  w->dirty = FALSE;

  g_mutex_lock (&self->mutex);
  old = self->latest;
  self->latest = snapshot;
  schedule = !self->delivery_pending;
  self->delivery_pending = TRUE;
  g_mutex_unlock (&self->mutex);

  g_clear_pointer (&old, sim_snapshot_unref);
  if (schedule)
    {
      /* Always through a source attached to the owner's context, never
       * g_main_context_invoke_full(): that would run the delivery right here, on the worker,
       * whenever the owner's context is free to be acquired. */
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[sim-runner] deliver snapshot");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

static void
create_state (SimRunner       *self,
              Worker          *w,
              const SimConfig *config)
{
  g_autoptr (GError) error = NULL;

  if (w->state != NULL)
    self->backend.free (w->state);
  w->state = self->backend.create (config, &error);
  if (w->state == NULL)
    g_warning ("Could not start the run: %s", error ? error->message : "unknown error");
  w->finished = (w->state == NULL);
  w->n_step_times = 0;
  w->steps = 0;
}

static void
run_job (SimRunner *self,
         Worker    *w,
         Job       *job)
{
  GSource *source;

  job->func (self, w->state, job->user_data);
  /* The runner is alive: its owner is blocked in sim_runner_stop() at worst. */
  job->holds_ref = TRUE;
  g_object_ref (self);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, job_done_cb, job, job_free);
  g_source_set_static_name (source, "[sim-runner] job done");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static gpointer
worker_main (gpointer data)
{
  SimRunner *self = data;
  Worker w = { 0 };
  gint64 next_due = 0;
  SimConfig config;
  int shown_index;

#ifdef __linux__
  /* On Linux a nice value belongs to the thread; failing to lower it only costs smoothness. */
  (void) setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), WORKER_NICE);
#endif

  g_mutex_lock (&self->mutex);
  config = self->config;
  w.run = self->run;
  self->reset_pending = FALSE;
  shown_index = self->shown_index;
  g_mutex_unlock (&self->mutex);

  create_state (self, &w, &config);
  publish (self, &w, shown_index, FALSE);

  for (;;)
    {
      gboolean do_step = FALSE;
      gboolean playing;
      gboolean shown_changed;
      double speed;

      g_mutex_lock (&self->mutex);
      if (!self->stop && !self->reset_pending && !g_queue_is_empty (&self->jobs))
        {
          Job *job = g_queue_pop_head (&self->jobs);

          g_mutex_unlock (&self->mutex);
          run_job (self, &w, job);
          continue;
        }
      if ((w.dirty || w.published_running != self->playing) && !self->stop &&
          !self->reset_pending && !self->shown_changed && self->step_requests == 0 &&
          !(self->playing && !w.finished))
        {
          /* Going idle (paused, or done): publish what the last steps did first, and that the
           * run no longer plays (a pause between two throttled steps stepped nothing since). */
          playing = self->playing;
          shown_index = self->shown_index;
          g_mutex_unlock (&self->mutex);
          publish (self, &w, shown_index, playing);
          continue;
        }
      while (!self->stop && !self->reset_pending && !self->shown_changed &&
             g_queue_is_empty (&self->jobs) &&
             self->step_requests == 0 && !(self->playing && !w.finished))
        g_cond_wait (&self->cond, &self->mutex);

      if (self->stop)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      if (self->reset_pending)
        {
          /* Steps asked for before the reset were dropped by sim_runner_reset(); those asked
           * for after it apply to the new run. */
          config = self->config;
          w.run = self->run;
          self->reset_pending = FALSE;
          shown_index = self->shown_index;
          playing = self->playing;
          g_mutex_unlock (&self->mutex);

          create_state (self, &w, &config);
          next_due = 0;
          publish (self, &w, shown_index, playing);
          continue;
        }

      shown_changed = self->shown_changed;
      self->shown_changed = FALSE;
      shown_index = self->shown_index;
      if (self->step_requests > 0 && !w.finished)
        {
          self->step_requests--;
          do_step = TRUE;
        }
      else
        {
          self->step_requests = 0;
          if (self->play_to > 0 && w.steps >= self->play_to)
            {
              /* Already there. */
              self->playing = FALSE;
              self->play_to = 0;
              w.dirty = TRUE;
            }
          do_step = self->playing && !w.finished;
        }
      playing = self->playing;
      speed = self->play_to > 0 ? 0.0 : self->speed;

      /* Throttle to the requested speed; any command interrupts the wait. */
      if (do_step && playing && speed > 0 && next_due > 0)
        {
          gboolean interrupted = FALSE;

          while (g_get_monotonic_time () < next_due)
            {
              if (self->stop || self->reset_pending || !self->playing || self->step_requests > 0 ||
                  self->shown_changed || !g_queue_is_empty (&self->jobs))
                {
                  interrupted = TRUE;
                  break;
                }
              g_cond_wait_until (&self->cond, &self->mutex, next_due);
            }
          if (interrupted)
            {
              g_mutex_unlock (&self->mutex);
              if (shown_changed)
                publish (self, &w, shown_index, playing);
              continue;
            }
        }
      g_mutex_unlock (&self->mutex);

      if (do_step)
        {
          gboolean more = self->backend.step (w.state);
          gint64 now = g_get_monotonic_time ();

          w.dirty = TRUE;
          w.steps++;
          w.step_times[w.n_step_times % IPS_WINDOW] = now;
          w.n_step_times++;
          next_due = speed > 0 ? now + (gint64) (G_USEC_PER_SEC / speed) : 0;
          g_mutex_lock (&self->mutex);
          w.finished = w.finished || !more;
          /* A reset that came during the step owns playing and play_to: they are for its run,
           * not for the end of this one. */
          if (!self->reset_pending &&
              (!more || (self->play_to > 0 && w.steps >= self->play_to)))
            {
              self->playing = FALSE;
              self->play_to = 0;
              playing = FALSE;
            }
          g_mutex_unlock (&self->mutex);
          /* At full speed, publish at most every PUBLISH_INTERVAL_US; always on the last step,
           * when paused (single steps) and when the shown level changed. */
          if (!playing || shown_changed || !more ||
              now - w.last_publish >= PUBLISH_INTERVAL_US || speed > 0)
            publish (self, &w, shown_index, playing);
        }
      else if (shown_changed)
        publish (self, &w, shown_index, playing);
    }

  if (w.state != NULL)
    self->backend.free (w.state);
  return NULL;
}

static void
sim_runner_dispose (GObject *object)
{
  SimRunner *self = SIM_RUNNER (object);

  sim_runner_stop (self);

  G_OBJECT_CLASS (sim_runner_parent_class)->dispose (object);
}

static void
sim_runner_finalize (GObject *object)
{
  SimRunner *self = SIM_RUNNER (object);

  g_clear_pointer (&self->latest, sim_snapshot_unref);
  g_clear_pointer (&self->current, sim_snapshot_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (sim_runner_parent_class)->finalize (object);
}

static void
sim_runner_class_init (SimRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sim_runner_dispose;
  object_class->finalize = sim_runner_finalize;

  /**
   * SimRunner::snapshot:
   * @runner: the runner
   * @snapshot: (type gpointer): the new #SimSnapshot, borrowed; ref it to keep it
   *
   * Emitted on the owner's main context when a newer snapshot is available.
   */
  signals[SIGNAL_SNAPSHOT] = g_signal_new ("snapshot",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
sim_runner_init (SimRunner *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

SimRunner *
sim_runner_new (const SimConfig        *config,
                const SimRunnerBackend *backend,
                GError                **error)
{
  SimRunner *self;

  g_return_val_if_fail (config != NULL, NULL);

  if (!sim_config_validate (config, error))
    return NULL;
  if (backend == NULL)
    backend = sim_runner_default_backend ();

  self = g_object_new (SIM_TYPE_RUNNER, NULL);
  self->backend = *backend;
  self->config = *config;
  self->speed = 0.0;
  self->context = g_main_context_ref_thread_default ();
  self->owner = g_thread_self ();
  self->thread = g_thread_new ("sim-runner", worker_main, self);
  return self;
}

static void
command (SimRunner *self)
{
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
sim_runner_play (SimRunner *self)
{
  g_return_if_fail (SIM_IS_RUNNER (self));

  g_mutex_lock (&self->mutex);
  self->playing = TRUE;
  self->play_to = 0;
  command (self);
}

void
sim_runner_play_to (SimRunner *self,
                    int        iterations)
{
  g_return_if_fail (SIM_IS_RUNNER (self));
  g_return_if_fail (iterations >= 1);

  g_mutex_lock (&self->mutex);
  self->playing = TRUE;
  self->play_to = iterations;
  command (self);
}

void
sim_runner_pause (SimRunner *self)
{
  g_return_if_fail (SIM_IS_RUNNER (self));

  g_mutex_lock (&self->mutex);
  self->playing = FALSE;
  self->play_to = 0;
  command (self);
}

gboolean
sim_runner_get_playing (SimRunner *self)
{
  gboolean playing;

  g_return_val_if_fail (SIM_IS_RUNNER (self), FALSE);

  g_mutex_lock (&self->mutex);
  playing = self->playing;
  g_mutex_unlock (&self->mutex);
  return playing;
}

void
sim_runner_step (SimRunner *self)
{
  g_return_if_fail (SIM_IS_RUNNER (self));

  g_mutex_lock (&self->mutex);
  self->playing = FALSE;
  self->step_requests++;
  command (self);
}

gboolean
sim_runner_reset (SimRunner       *self,
                  const SimConfig *config,
                  GError         **error)
{
  g_return_val_if_fail (SIM_IS_RUNNER (self), FALSE);

  if (config != NULL && !sim_config_validate (config, error))
    return FALSE;

  g_mutex_lock (&self->mutex);
  if (config != NULL)
    self->config = *config;
  self->run++;
  self->reset_pending = TRUE;
  self->step_requests = 0;
  self->play_to = 0;
  self->shown_index = 0;
  command (self);
  return TRUE;
}

void
sim_runner_set_speed (SimRunner *self,
                      double     iterations_per_second)
{
  g_return_if_fail (SIM_IS_RUNNER (self));

  if (!(iterations_per_second >= 0.0) || iterations_per_second > 1000.0)
    iterations_per_second = 0.0;
  g_mutex_lock (&self->mutex);
  self->speed = iterations_per_second;
  command (self);
}

double
sim_runner_get_speed (SimRunner *self)
{
  double speed;

  g_return_val_if_fail (SIM_IS_RUNNER (self), 0.0);

  g_mutex_lock (&self->mutex);
  speed = self->speed;
  g_mutex_unlock (&self->mutex);
  return speed;
}

void
sim_runner_next_level (SimRunner *self)
{
  g_return_if_fail (SIM_IS_RUNNER (self));

  g_mutex_lock (&self->mutex);
  self->shown_index++;
  self->shown_changed = TRUE;
  command (self);
}

void
sim_runner_get_config (SimRunner *self,
                       SimConfig *config)
{
  g_return_if_fail (SIM_IS_RUNNER (self));

  g_mutex_lock (&self->mutex);
  *config = self->config;
  g_mutex_unlock (&self->mutex);
}

guint
sim_runner_get_run (SimRunner *self)
{
  guint run;

  g_return_val_if_fail (SIM_IS_RUNNER (self), 0);

  g_mutex_lock (&self->mutex);
  run = self->run;
  g_mutex_unlock (&self->mutex);
  return run;
}

SimSnapshot *
sim_runner_get_snapshot (SimRunner *self)
{
  g_return_val_if_fail (SIM_IS_RUNNER (self), NULL);

  return self->current;
}

void
sim_runner_call (SimRunner        *self,
                 SimRunnerJobFunc  func,
                 SimRunnerJobDone  done,
                 gpointer          user_data,
                 GDestroyNotify    destroy)
{
  Job *job;

  g_return_if_fail (SIM_IS_RUNNER (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (g_thread_self () == self->owner);

  job = g_new0 (Job, 1);
  job->runner = self;
  job->func = func;
  job->done = done;
  job->user_data = user_data;
  job->destroy = destroy;

  if (self->thread == NULL)
    {
      job_free (job);
      return;
    }
  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->jobs, job);
  command (self);
}

void
sim_runner_stop (SimRunner *self)
{
  g_return_if_fail (SIM_IS_RUNNER (self));

  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->stop = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_thread_join (self->thread);
  self->thread = NULL;
  self->stopped = TRUE;

  /* Jobs the worker never reached: their data belongs to this thread. */
  g_mutex_lock (&self->mutex);
  while (!g_queue_is_empty (&self->jobs))
    job_free (g_queue_pop_head (&self->jobs));
  g_mutex_unlock (&self->mutex);
}

/* The trainer as the runner's backend. */
typedef struct
{
  SimTrain *train;
  gint64 last_inference_us;
} TrainState;

static gpointer
train_create (const SimConfig *config,
              GError         **error)
{
  SimTrain *train = sim_train_new (config, error);
  g_autoptr (GError) local_error = NULL;
  TrainState *state;

  if (train == NULL)
    return NULL;
  state = g_new0 (TrainState, 1);
  state->train = train;
  if (config->infer_every > 0 && sim_train_attach_inference (train, &local_error) == NULL &&
      local_error != NULL)
    g_warning ("Objective inference is off for this run: %s", local_error->message);
  return state;
}

static gboolean
train_step (gpointer data)
{
  TrainState *state = data;
  const SimTrainRecord *last;

  if (!sim_train_step (state->train))
    return FALSE;
  last = sim_train_get_last (state->train);
  if (last != NULL && last->has_inference)
    state->last_inference_us = g_get_monotonic_time ();
  return !sim_train_is_done (state->train);
}

static void
train_fill (gpointer     data,
            int          shown_index,
            SimSnapshot *snapshot)
{
  TrainState *state = data;

  sim_train_fill_snapshot (state->train, shown_index, snapshot);
  snapshot->last_inference_us = state->last_inference_us;
}

static void
train_free (gpointer data)
{
  TrainState *state = data;

  sim_train_free (state->train);
  g_free (state);
}

static const SimRunnerBackend train_backend = {
  train_create, train_step, train_fill, train_free
};

const SimRunnerBackend *
sim_runner_default_backend (void)
{
  return &train_backend;
}

SimTrain *
sim_runner_job_get_train (SimRunner *self,
                          gpointer   state)
{
  g_return_val_if_fail (SIM_IS_RUNNER (self), NULL);

  if (state == NULL || self->backend.create != train_backend.create)
    return NULL;
  return ((TrainState *) state)->train;
}
