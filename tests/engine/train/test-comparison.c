/* test-comparison.c: several runs trained to their end on a worker: the same records as the
 * runs trained alone, progress and results delivered in order, cancelling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sim.h"

typedef struct
{
  int run_done[SIM_COMPARISON_MAX_RUNS];
  int n_run_done;
  int n_progress;
  int n_finished;
  double last_fraction;
  gboolean fraction_went_back;
} Events;

static void
run_done_cb (SimComparison *comparison,
             int            index,
             Events        *events)
{
  g_assert_nonnull (sim_comparison_get_result (comparison, index));
  if (index + 1 < sim_comparison_get_n_runs (comparison))
    g_assert_null (sim_comparison_get_result (comparison, index + 1));
  events->run_done[events->n_run_done++] = index;
}

static void
progress_cb (SimComparison *comparison,
             Events        *events)
{
  double fraction = sim_comparison_get_fraction (comparison);

  events->fraction_went_back = events->fraction_went_back || fraction < events->last_fraction;
  events->last_fraction = fraction;
  events->n_progress++;
}

static void
finished_cb (SimComparison *comparison,
             Events        *events)
{
  events->n_finished++;
}

static SimComparison *
comparison_new (const SimConfig *configs,
                int              n,
                Events          *events)
{
  g_autoptr (GError) error = NULL;
  SimComparison *comparison = sim_comparison_new (configs, n, &error);

  g_assert_no_error (error);
  g_assert_nonnull (comparison);
  g_signal_connect (comparison, "run-done", G_CALLBACK (run_done_cb), events);
  g_signal_connect (comparison, "progress", G_CALLBACK (progress_cb), events);
  g_signal_connect (comparison, "finished", G_CALLBACK (finished_cb), events);
  return comparison;
}

/* Iterates context until done() or 120 s. */
static void
iterate_until (GMainContext  *context,
               gboolean     (*done) (gpointer),
               gpointer       data)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (context, FALSE), g_usleep (1000);
  g_assert_true (done (data));
}

static gboolean
is_finished (gpointer data)
{
  return sim_comparison_get_finished (data) && !sim_comparison_get_running (data);
}

static void
assert_same_figure (double a,
                    double b)
{
  if (isnan (a))
    g_assert_true (isnan (b));
  else
    g_assert_cmpfloat (a, ==, b);
}

/* The record a run trained alone ends on, with inference attached as the comparison does. */
static void
train_alone (const SimConfig *config,
             SimTrainRecord  *record)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrain) train = sim_train_new (config, &error);

  g_assert_no_error (error);
  sim_train_attach_inference (train, &error);
  g_assert_no_error (error);
  while (sim_train_step (train))
    ;
  *record = *sim_train_get_last (train);
}

/* A planner, the planner looking one step ahead and the Q-learner on the same levels: each
 * result is the record of its run trained alone, bit for bit, and the signals come in order. */
static void
test_matches_runs (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  SimConfig configs[3];
  Events events = { 0 };
  SimComparison *comparison;

  for (int i = 0; i < 3; i++)
    {
      sim_config_init_default (&configs[i]);
      configs[i].iterations = 6;
      configs[i].infer_every = 3;
      configs[i].seed = 7;
    }
  configs[1].planning_depth = 1;
  configs[2].agent = SIM_AGENT_QLEARNER;

  g_main_context_push_thread_default (context);
  comparison = comparison_new (configs, 3, &events);
  g_assert_cmpint (sim_comparison_get_n_runs (comparison), ==, 3);
  iterate_until (context, is_finished, comparison);

  g_assert_cmpint (events.n_run_done, ==, 3);
  for (int i = 0; i < 3; i++)
    g_assert_cmpint (events.run_done[i], ==, i);
  g_assert_cmpint (events.n_finished, ==, 1);
  g_assert_cmpint (events.n_progress, >=, 1);
  g_assert_false (events.fraction_went_back);
  g_assert_cmpfloat (sim_comparison_get_fraction (comparison), ==, 1.0);

  for (int i = 0; i < 3; i++)
    {
      const SimTrainRecord *got = sim_comparison_get_result (comparison, i);
      SimTrainRecord alone;

      g_assert_true (sim_config_equal (sim_comparison_get_config (comparison, i), &configs[i]));
      train_alone (&configs[i], &alone);
      g_assert_nonnull (got);
      g_assert_cmpint (got->iteration, ==, 6);
      g_assert_true (got->has_inference);
      g_assert_cmpfloat (got->train_target, ==, alone.train_target);
      g_assert_cmpfloat (got->test_target, ==, alone.test_target);
      for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
        {
          assert_same_figure (got->goal[g], alone.goal[g]);
          assert_same_figure (got->goal_lo[g], alone.goal_lo[g]);
          assert_same_figure (got->goal_hi[g], alone.goal_hi[g]);
          g_assert_cmpint (got->goal_decisions[g], ==, alone.goal_decisions[g]);
        }
      g_assert_false (isnan (got->goal[SIM_TRAIN_GOAL_INFERRED]));
      g_assert_false (isnan (got->goal[SIM_TRAIN_GOAL_BASE]));
    }
  /* The planner's own goal is known; the Q-learner has none. */
  g_assert_false (isnan (sim_comparison_get_result (comparison, 0)->goal[SIM_TRAIN_GOAL_TRUE]));
  g_assert_true (isnan (sim_comparison_get_result (comparison, 2)->goal[SIM_TRAIN_GOAL_TRUE]));

  g_assert_finalize_object (comparison);
  g_main_context_pop_thread_default (context);
}

/* A run with inference off still ends on an inference: after its last iteration. */
static void
test_infers_at_end (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Events events = { 0 };
  SimComparison *comparison;
  SimConfig config;

  sim_config_init_default (&config);
  config.iterations = 3;
  config.infer_every = 0;
  g_main_context_push_thread_default (context);
  comparison = comparison_new (&config, 1, &events);
  g_assert_cmpint (sim_comparison_get_config (comparison, 0)->infer_every, ==, 3);
  iterate_until (context, is_finished, comparison);
  g_assert_true (sim_comparison_get_result (comparison, 0)->has_inference);
  g_assert_finalize_object (comparison);
  g_main_context_pop_thread_default (context);
}

static gboolean
has_progress (gpointer data)
{
  return ((Events *) data)->n_progress > 0;
}

/* Cancelled during its first run, the worker stops and is joined; no run is reported done and
 * no signal comes after, even from a delivery already on its way. */
static void
test_cancel (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  SimConfig configs[4];
  Events events = { 0 };
  SimComparison *comparison;

  for (int i = 0; i < 4; i++)
    {
      sim_config_init_default (&configs[i]);
      configs[i].iterations = 1000;
      configs[i].seed = i + 1;
    }
  g_main_context_push_thread_default (context);
  comparison = comparison_new (configs, 4, &events);
  g_assert_true (sim_comparison_get_running (comparison));
  iterate_until (context, has_progress, &events);
  sim_comparison_cancel (comparison);
  g_assert_false (sim_comparison_get_running (comparison));
  {
    int progress = events.n_progress;

    while (g_main_context_iteration (context, FALSE))
      ;
    g_assert_cmpint (events.n_progress, ==, progress);
  }
  g_assert_cmpint (events.n_run_done, ==, 0);
  g_assert_cmpint (events.n_finished, ==, 0);
  g_assert_false (sim_comparison_get_finished (comparison));
  g_assert_cmpfloat (sim_comparison_get_fraction (comparison), <, 0.25);
  g_assert_null (sim_comparison_get_result (comparison, 0));
  sim_comparison_cancel (comparison);
  g_assert_finalize_object (comparison);
  g_main_context_pop_thread_default (context);
}

/* Dropped while training: dispose cancels and joins. */
static void
test_unref_while_running (void)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  SimComparison *comparison;
  SimConfig config;

  sim_config_init_default (&config);
  config.iterations = 1000;
  g_main_context_push_thread_default (context);
  comparison = sim_comparison_new (&config, 1, NULL);
  g_assert_nonnull (comparison);
  g_object_run_dispose (G_OBJECT (comparison));
  g_assert_false (sim_comparison_get_running (comparison));
  /* Deliveries scheduled before the join hold a reference; they go with the context. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_finalize_object (comparison);
  g_main_context_pop_thread_default (context);
}

static void
test_refuses (void)
{
  g_autoptr (GError) error = NULL;
  SimConfig config;

  sim_config_init_default (&config);
  g_assert_null (sim_comparison_new (&config, 0, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
  g_clear_error (&error);

  config.grid = 9;
  g_assert_null (sim_comparison_new (&config, 1, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/train/comparison/matches-runs", test_matches_runs);
  g_test_add_func ("/engine/train/comparison/infers-at-end", test_infers_at_end);
  g_test_add_func ("/engine/train/comparison/cancel", test_cancel);
  g_test_add_func ("/engine/train/comparison/unref-while-running", test_unref_while_running);
  g_test_add_func ("/engine/train/comparison/refuses", test_refuses);
  return g_test_run ();
}
