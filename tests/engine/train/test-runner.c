/* test-runner.c: the worker thread, its commands, snapshot delivery and coalescing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim.h"
#include "sim-runner.h"
#include "sim-snapshot.h"

/* A fake backend: each step takes step_us microseconds and counts. */
typedef struct
{
  SimConfig config;
  int iteration;
  int step_us;
} Fake;

static int fake_step_us = 1000;
static gint fake_alive;
static gint fake_steps;         /* steps taken by every fake backend so far */

static gpointer
fake_create (const SimConfig *config,
             GError         **error)
{
  Fake *fake = g_new0 (Fake, 1);

  fake->config = *config;
  fake->step_us = fake_step_us;
  g_atomic_int_inc (&fake_alive);
  return fake;
}

static gboolean
fake_step (gpointer state)
{
  Fake *fake = state;

  g_usleep (fake->step_us);
  fake->iteration++;
  g_atomic_int_inc (&fake_steps);
  return fake->iteration < fake->config.iterations;
}

static void
fake_fill (gpointer     state,
           int          shown_index,
           SimSnapshot *snapshot)
{
  Fake *fake = state;

  snapshot->config = fake->config;
  snapshot->iteration = fake->iteration;
  snapshot->n_history = fake->iteration;
  snapshot->train_target = g_new0 (double, MAX (1, fake->iteration));
  snapshot->test_target = g_new0 (double, MAX (1, fake->iteration));
  snapshot->test_proxy = g_new0 (double, MAX (1, fake->iteration));
  for (int i = 0; i < fake->iteration; i++)
    snapshot->train_target[i] = (double) (i + 1);
  /* Use test_proxy[0] to carry the shown index back to the test. */
  snapshot->test_proxy[0] = shown_index;
}

static void
fake_free (gpointer state)
{
  g_free (state);
  g_atomic_int_dec_and_test (&fake_alive);
}

static const SimRunnerBackend fake_backend = {
  fake_create, fake_step, fake_fill, fake_free
};

typedef struct
{
  int deliveries;
  int last_iteration;
  gboolean consistent;
} Seen;

static void
snapshot_cb (SimRunner   *runner,
             SimSnapshot *snapshot,
             Seen        *seen)
{
  seen->deliveries++;
  seen->last_iteration = snapshot->iteration;
  /* Every delivered snapshot is complete: its history matches its iteration. */
  for (int i = 0; i < snapshot->n_history; i++)
    if (snapshot->train_target[i] != (double) (i + 1))
      seen->consistent = FALSE;
  if (snapshot->n_history != snapshot->iteration)
    seen->consistent = FALSE;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the thread-default context until pred holds or timeout_ms passes. */
static gboolean
iterate_until (GMainContext *context,
               gboolean    (*pred) (Seen *, int),
               Seen         *seen,
               int           arg,
               guint         timeout_ms)
{
  gboolean timed_out = FALSE;
  GSource *source = g_timeout_source_new (timeout_ms);

  g_source_set_callback (source, flag_cb, &timed_out, NULL);
  g_source_attach (source, context);
  while (!pred (seen, arg) && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (source);
  g_source_unref (source);
  return pred (seen, arg);
}

static gboolean
reached (Seen *seen,
         int   iteration)
{
  return seen->last_iteration >= iteration;
}

static gboolean
delivered (Seen *seen,
           int   count)
{
  return seen->deliveries >= count;
}

/* Waits, without iterating any main context, until the workers have taken n more steps;
 * FALSE if that takes more than 30 s. */
static gboolean
wait_for_steps (int n)
{
  int target = g_atomic_int_get (&fake_steps) + n;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&fake_steps) < target)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (1000);
    }
  return TRUE;
}

static void
spin (GMainContext *context,
      guint         ms)
{
  gboolean done = FALSE;
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, flag_cb, &done, NULL);
  g_source_attach (source, context);
  while (!done)
    g_main_context_iteration (context, TRUE);
  g_source_unref (source);
}

static SimRunner *
new_runner (GMainContext *context,
            int           iterations,
            Seen         *seen)
{
  SimConfig config;
  SimRunner *runner;
  g_autoptr (GError) error = NULL;

  sim_config_init_default (&config);
  config.iterations = iterations;
  runner = sim_runner_new (&config, &fake_backend, &error);
  g_assert_no_error (error);
  g_signal_connect (runner, "snapshot", G_CALLBACK (snapshot_cb), seen);
  /* The initial (iteration 0) snapshot. */
  g_assert_true (iterate_until (context, delivered, seen, 1, 5000));
  return runner;
}

static void
test_play_pause_step_reset (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  SimRunner *runner;
  int paused_at;

  g_main_context_push_thread_default (context);
  fake_step_us = 1000;
  runner = new_runner (context, 100000, &seen);
  g_assert_cmpint (seen.last_iteration, ==, 0);

  /* Paused: nothing happens. */
  spin (context, 50);
  g_assert_cmpint (seen.last_iteration, ==, 0);

  sim_runner_play (runner);
  g_assert_true (sim_runner_get_playing (runner));
  g_assert_true (iterate_until (context, reached, &seen, 20, 10000));

  sim_runner_pause (runner);
  spin (context, 100);
  paused_at = seen.last_iteration;
  spin (context, 100);
  g_assert_cmpint (seen.last_iteration, ==, paused_at);
  g_assert_cmpint (sim_runner_get_snapshot (runner)->iteration, ==, paused_at);

  sim_runner_step (runner);
  g_assert_true (iterate_until (context, reached, &seen, paused_at + 1, 5000));
  spin (context, 50);
  g_assert_cmpint (seen.last_iteration, ==, paused_at + 1);

  g_assert_true (sim_runner_reset (runner, NULL, NULL));
  spin (context, 100);
  g_assert_cmpint (seen.last_iteration, ==, 0);
  g_assert_false (sim_runner_get_playing (runner));

  g_assert_true (seen.consistent);
  sim_runner_stop (runner);
  g_object_unref (runner);
  g_assert_cmpint (g_atomic_int_get (&fake_alive), ==, 0);
  g_main_context_pop_thread_default (context);
}

static void
test_speed_and_finish (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  SimRunner *runner;
  gint64 start;
  double elapsed;

  g_main_context_push_thread_default (context);
  fake_step_us = 100;
  runner = new_runner (context, 12, &seen);

  /* 100 iterations per second: 12 iterations take at least 0.1 s. */
  sim_runner_set_speed (runner, 100.0);
  g_assert_cmpfloat (sim_runner_get_speed (runner), ==, 100.0);
  start = g_get_monotonic_time ();
  sim_runner_play (runner);
  g_assert_true (iterate_until (context, reached, &seen, 12, 10000));
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpfloat (elapsed, >=, 0.10);

  /* The run is complete: the runner pauses itself and goes no further. */
  spin (context, 50);
  g_assert_cmpint (seen.last_iteration, ==, 12);
  g_assert_false (sim_runner_get_playing (runner));

  /* An absurd speed means "as fast as possible". */
  sim_runner_set_speed (runner, -3.0);
  g_assert_cmpfloat (sim_runner_get_speed (runner), ==, 0.0);
  sim_runner_set_speed (runner, NAN);
  g_assert_cmpfloat (sim_runner_get_speed (runner), ==, 0.0);

  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

/* play_to: full speed whatever the speed setting, a pause exactly at the asked iteration
 * with that snapshot published, nothing when the run is already there, and play and pause
 * ending it. */
static void
test_play_to (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  SimRunner *runner;

  g_main_context_push_thread_default (context);
  fake_step_us = 100;
  runner = new_runner (context, 100, &seen);
  /* Two iterations a second would take 15 s for 30; the deadline below is 10 s. */
  sim_runner_set_speed (runner, 2.0);
  sim_runner_play_to (runner, 30);
  g_assert_true (iterate_until (context, reached, &seen, 30, 10000));
  spin (context, 100);
  g_assert_cmpint (seen.last_iteration, ==, 30);
  g_assert_false (sim_runner_get_playing (runner));
  g_assert_cmpfloat (sim_runner_get_speed (runner), ==, 2.0);

  /* Already there: it stays. */
  sim_runner_play_to (runner, 30);
  spin (context, 100);
  g_assert_cmpint (seen.last_iteration, ==, 30);
  g_assert_false (sim_runner_get_playing (runner));

  /* Further, then a pause ends it before its goal. */
  sim_runner_play_to (runner, 45);
  g_assert_true (iterate_until (context, reached, &seen, 45, 10000));
  spin (context, 100);
  g_assert_cmpint (seen.last_iteration, ==, 45);
  fake_step_us = 20000;
  sim_runner_play_to (runner, 100);
  g_assert_true (iterate_until (context, reached, &seen, 46, 10000));
  sim_runner_pause (runner);
  spin (context, 200);
  g_assert_cmpint (seen.last_iteration, <, 100);
  g_assert_false (sim_runner_get_playing (runner));
  g_assert_true (seen.consistent);

  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

static void
test_coalescing (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  SimRunner *runner;
  int before;

  g_main_context_push_thread_default (context);
  fake_step_us = 200;
  runner = new_runner (context, 100000, &seen);
  sim_runner_play (runner);

  /* The main thread is busy while the worker takes 300 steps (and publishes several times),
   * but they coalesce into a single delivery of the newest snapshot. */
  before = seen.deliveries;
  g_assert_true (wait_for_steps (300));
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_cmpint (seen.deliveries - before, <=, 2);
  g_assert_cmpint (seen.last_iteration, >, 100);
  g_assert_true (seen.consistent);

  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

static void
test_next_level (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  SimRunner *runner;
  int before;

  g_main_context_push_thread_default (context);
  fake_step_us = 100;
  runner = new_runner (context, 10, &seen);
  g_assert_cmpfloat (sim_runner_get_snapshot (runner)->test_proxy[0], ==, 0);
  before = seen.deliveries;
  sim_runner_next_level (runner);
  g_assert_true (iterate_until (context, delivered, &seen, before + 1, 5000));
  g_assert_cmpfloat (sim_runner_get_snapshot (runner)->test_proxy[0], ==, 1);
  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

static void
test_refuses_bad_config (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  SimConfig config;
  SimRunner *runner;
  g_autoptr (GError) error = NULL;

  g_main_context_push_thread_default (context);
  sim_config_init_default (&config);
  config.grid = 0;
  g_assert_null (sim_runner_new (&config, &fake_backend, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
  g_clear_error (&error);

  runner = new_runner (context, 10, &seen);
  g_assert_false (sim_runner_reset (runner, &config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
  sim_runner_get_config (runner, &config);
  g_assert_cmpint (config.grid, ==, 8);
  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

/* Stopping in the middle of a long iteration joins cleanly, and no delivery arrives after. */
static void
test_stop_mid_iteration (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  for (int round = 0; round < 50; round++)
    {
      Seen seen = { 0, -1, TRUE };
      SimRunner *runner;
      int deliveries;

      fake_step_us = 5000;
      runner = new_runner (context, 100000, &seen);
      sim_runner_play (runner);
      g_usleep (g_test_rand_int_range (0, 8000));
      sim_runner_stop (runner);
      deliveries = seen.deliveries;
      while (g_main_context_iteration (context, FALSE))
        ;
      g_assert_cmpint (seen.deliveries, ==, deliveries);
      g_object_unref (runner);
    }
  g_assert_cmpint (g_atomic_int_get (&fake_alive), ==, 0);
  g_main_context_pop_thread_default (context);
}

static GThread *main_thread;

static void
thread_check_cb (SimRunner   *runner,
                 SimSnapshot *snapshot,
                 gboolean    *wrong_thread)
{
  if (g_thread_self () != main_thread)
    *wrong_thread = TRUE;
}

/* With the global default context (as in the app), deliveries still run on the owner's
 * thread, even while the owner is not iterating its context. */
static void
test_default_context_delivery (void)
{
  Seen seen = { 0, -1, TRUE };
  gboolean wrong_thread = FALSE;
  SimConfig config;
  SimRunner *runner;

  main_thread = g_thread_self ();
  fake_step_us = 200;
  sim_config_init_default (&config);
  config.iterations = 100000;
  runner = sim_runner_new (&config, &fake_backend, NULL);
  g_signal_connect (runner, "snapshot", G_CALLBACK (snapshot_cb), &seen);
  g_signal_connect (runner, "snapshot", G_CALLBACK (thread_check_cb), &wrong_thread);
  sim_runner_play (runner);
  /* The owner is busy while the worker takes 50 steps and publishes meanwhile: the worker
   * must not deliver by itself. */
  g_assert_true (wait_for_steps (50));
  g_assert_cmpint (seen.deliveries, ==, 0);
  g_assert_true (iterate_until (NULL, reached, &seen, 50, 10000));
  g_assert_false (wrong_thread);
  g_object_unref (runner);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  int ran_on_worker;            /* 1 when func ran off the owner's thread */
  int iteration_seen;           /* the fake state's iteration when the job ran */
  int done_calls;
  int destroy_calls;
  gboolean done_on_owner;
} JobProbe;

static void
job_func (SimRunner *runner,
          gpointer   state,
          gpointer   user_data)
{
  JobProbe *probe = user_data;

  probe->ran_on_worker = (g_thread_self () != main_thread);
  probe->iteration_seen = state != NULL ? ((Fake *) state)->iteration : -1;
  /* A fake backend has no trainer. */
  g_assert_null (sim_runner_job_get_train (runner, state));
}

static void
job_done (SimRunner *runner,
          gpointer   user_data)
{
  JobProbe *probe = user_data;

  probe->done_calls++;
  probe->done_on_owner = (g_thread_self () == main_thread);
}

static void
job_destroy (gpointer user_data)
{
  JobProbe *probe = user_data;

  probe->destroy_calls++;
}

static gboolean
job_finished (Seen *seen,
              int   arg)
{
  return ((JobProbe *) seen)->destroy_calls > 0;
}

/* A job runs on the worker between iterations (also while paused), sees the run's state, and
 * reports back on the owner's thread; jobs left when the runner stops are only destroyed. */
static void
test_jobs (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  JobProbe probe = { 0 };
  JobProbe late = { 0 };
  SimRunner *runner;

  main_thread = g_thread_self ();
  g_main_context_push_thread_default (context);
  fake_step_us = 200;
  runner = new_runner (context, 100000, &seen);
  sim_runner_step (runner);
  sim_runner_step (runner);
  g_assert_true (iterate_until (context, reached, &seen, 2, 5000));

  sim_runner_call (runner, job_func, job_done, &probe, job_destroy);
  g_assert_true (iterate_until (context, job_finished, (Seen *) &probe, 0, 5000));
  g_assert_cmpint (probe.ran_on_worker, ==, 1);
  g_assert_cmpint (probe.iteration_seen, ==, 2);
  g_assert_cmpint (probe.done_calls, ==, 1);
  g_assert_true (probe.done_on_owner);
  g_assert_cmpint (probe.destroy_calls, ==, 1);

  /* While playing at full speed, too. */
  memset (&probe, 0, sizeof probe);
  sim_runner_play (runner);
  sim_runner_call (runner, job_func, job_done, &probe, job_destroy);
  g_assert_true (iterate_until (context, job_finished, (Seen *) &probe, 0, 5000));
  g_assert_cmpint (probe.done_calls, ==, 1);
  g_assert_cmpint (probe.iteration_seen, >=, 2);

  /* Stopped before its done callback ran: destroyed, never done. */
  sim_runner_call (runner, job_func, job_done, &late, job_destroy);
  sim_runner_stop (runner);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_cmpint (late.done_calls, ==, 0);
  g_assert_cmpint (late.destroy_calls, ==, 1);
  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

/* A step asked for right after a reset applies to the new run, even before the worker took the
 * reset up. */
/* A reset and a play_to that come while an iteration of the old run is under way are for the
 * new run: the old run's iteration count does not end the replay before it starts. */
static void
test_play_to_after_reset (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  SimRunner *runner;
  SimConfig config;

  g_main_context_push_thread_default (context);
  fake_step_us = 5000;
  runner = new_runner (context, 1000, &seen);
  sim_runner_get_config (runner, &config);
  sim_runner_play (runner);
  for (int round = 0; round < 10; round++)
    {
      g_assert_true (iterate_until (context, reached, &seen, 8, 5000));
      /* At full speed the worker is inside a step nearly all the time. */
      config.seed++;
      g_assert_true (sim_runner_reset (runner, &config, NULL));
      sim_runner_play_to (runner, 4);
      seen.last_iteration = -1;
      g_assert_true (iterate_until (context, reached, &seen, 4, 5000));
      spin (context, 50);
      g_assert_cmpint (seen.last_iteration, ==, 4);
      g_assert_false (sim_runner_get_playing (runner));
      sim_runner_play (runner);
    }
  sim_runner_stop (runner);
  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

static void
test_step_after_reset (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Seen seen = { 0, -1, TRUE };
  SimRunner *runner;

  g_main_context_push_thread_default (context);
  fake_step_us = 200;
  runner = new_runner (context, 1000, &seen);
  for (int round = 0; round < 20; round++)
    {
      sim_runner_step (runner);
      sim_runner_step (runner);
      sim_runner_reset (runner, NULL, NULL);
      sim_runner_step (runner);
      seen.last_iteration = -1;
      g_assert_true (iterate_until (context, reached, &seen, 1, 5000));
      spin (context, 20);
      g_assert_cmpint (seen.last_iteration, ==, 1);
    }
  sim_runner_stop (runner);
  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

typedef struct
{
  guint run;
  int iteration;
} RunSeen;

static void
run_seen_cb (SimRunner   *runner,
             SimSnapshot *snapshot,
             GArray      *seen_runs)
{
  RunSeen entry = { snapshot->run, snapshot->iteration };

  g_array_append_val (seen_runs, entry);
}

/* Every reset starts a run with the next number, and every snapshot names the run it shows:
 * a snapshot of the replaced run that is delivered after the reset (the worker published it
 * just before) can be told from the new run's. */
static void
test_run_numbers (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GArray) seen_runs = g_array_new (FALSE, FALSE, sizeof (RunSeen));
  Seen seen = { 0, -1, TRUE };
  SimRunner *runner;
  guint first;
  int late = 0;

  g_main_context_push_thread_default (context);
  fake_step_us = 200;
  runner = new_runner (context, 1000, &seen);
  first = sim_runner_get_run (runner);
  g_assert_cmpuint (sim_runner_get_snapshot (runner)->run, ==, first);
  g_signal_connect (runner, "snapshot", G_CALLBACK (run_seen_cb), seen_runs);
  for (guint round = 1; round <= 10; round++)
    {
      gboolean timed_out = FALSE;
      GSource *source;

      /* A step of the current run, published without being delivered, then a reset. */
      sim_runner_step (runner);
      g_assert_true (wait_for_steps (1));
      g_usleep (2000);
      g_assert_true (sim_runner_reset (runner, NULL, NULL));
      g_assert_cmpuint (sim_runner_get_run (runner), ==, first + round);

      source = g_timeout_source_new (5000);
      g_source_set_callback (source, flag_cb, &timed_out, NULL);
      g_source_attach (source, context);
      while (!timed_out &&
             (seen_runs->len == 0 ||
              g_array_index (seen_runs, RunSeen, seen_runs->len - 1).run != first + round))
        g_main_context_iteration (context, TRUE);
      g_source_destroy (source);
      g_source_unref (source);
      g_assert_false (timed_out);
    }
  spin (context, 20);

  /* Run numbers never go back; a new run shows iteration 0 (reset, paused), the old one the
   * step it took. */
  for (guint i = 0; i < seen_runs->len; i++)
    {
      RunSeen *entry = &g_array_index (seen_runs, RunSeen, i);

      g_assert_cmpuint (entry->run, >=, first);
      g_assert_cmpuint (entry->run, <=, first + 10);
      if (i > 0)
        g_assert_cmpuint (entry->run, >=, g_array_index (seen_runs, RunSeen, i - 1).run);
      if (i > 0 && entry->run == g_array_index (seen_runs, RunSeen, i - 1).run + 1)
        g_assert_cmpint (entry->iteration, ==, 0);
      if (entry->iteration == 1)
        {
          /* Only replaced runs were stepped. */
          g_assert_cmpuint (entry->run, <, first + 10);
          late++;
        }
    }
  /* The step was published before each reset, so most rounds deliver it late. */
  g_test_message ("%d of 10 steps delivered before their run's successor", late);
  g_assert_cmpuint (g_array_index (seen_runs, RunSeen, seen_runs->len - 1).run, ==, first + 10);
  sim_runner_stop (runner);
  g_object_unref (runner);
  g_main_context_pop_thread_default (context);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/train/runner/play-pause-step-reset", test_play_pause_step_reset);
  g_test_add_func ("/engine/train/runner/speed-and-finish", test_speed_and_finish);
  g_test_add_func ("/engine/train/runner/play-to", test_play_to);
  g_test_add_func ("/engine/train/runner/coalescing", test_coalescing);
  g_test_add_func ("/engine/train/runner/next-level", test_next_level);
  g_test_add_func ("/engine/train/runner/bad-config", test_refuses_bad_config);
  g_test_add_func ("/engine/train/runner/stop-mid-iteration", test_stop_mid_iteration);
  g_test_add_func ("/engine/train/runner/default-context", test_default_context_delivery);
  g_test_add_func ("/engine/train/runner/jobs", test_jobs);
  g_test_add_func ("/engine/train/runner/step-after-reset", test_step_after_reset);
  g_test_add_func ("/engine/train/runner/play-to-after-reset", test_play_to_after_reset);
  g_test_add_func ("/engine/train/runner/run-numbers", test_run_numbers);
  return g_test_run ();
}
