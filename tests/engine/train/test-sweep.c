/* test-sweep.c: a sweep on a pool of threads: each run's figures are those of the run trained
 * alone, every run notified once, the summary per grid point, cancelling, a failing run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim.h"

typedef struct
{
  GMutex mutex;
  guint *seen;          /* notifications per run */
  guint64 n_seen;
  gboolean cancel_after_first;
} Notes;

static void
on_done (SimSweep *sweep,
         guint64   index,
         gpointer  data)
{
  Notes *notes = data;

  g_mutex_lock (&notes->mutex);
  notes->seen[index]++;
  notes->n_seen++;
  g_mutex_unlock (&notes->mutex);
  if (notes->cancel_after_first)
    sim_sweep_cancel (sweep);
}

/* n_div diversities × n_seeds seeds of a short planner run. */
static SimConfig *
grid_configs (const int *diversities,
              guint      n_div,
              guint      n_seeds,
              int        iterations)
{
  SimConfig *configs = g_new (SimConfig, n_div * n_seeds);

  for (guint d = 0; d < n_div; d++)
    for (guint s = 0; s < n_seeds; s++)
      {
        SimConfig *c = &configs[d * n_seeds + s];

        sim_config_init_default (c);
        c->diversity = diversities[d];
        c->seed = 1 + s;
        c->iterations = iterations;
        c->infer_every = 0;
      }
  return configs;
}

static void
test_interval (void)
{
  const double values[] = { 1.0, 2.0, 3.0 };
  double mean, lo, hi;

  sim_sweep_interval (values, 3, &mean, &lo, &hi);
  g_assert_cmpfloat_with_epsilon (mean, 2.0, 1e-12);
  /* t(0.975, 2) = 4.302652729911275, standard error √(1/3). */
  g_assert_cmpfloat_with_epsilon (hi - mean, 4.302652729911275 * sqrt (1.0 / 3.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (mean - lo, hi - mean, 1e-12);

  sim_sweep_interval (values, 1, &mean, &lo, &hi);
  g_assert_cmpfloat (mean, ==, 1.0);
  g_assert_true (isnan (lo) && isnan (hi));

  sim_sweep_interval (values, 0, &mean, &lo, &hi);
  g_assert_true (isnan (mean) && isnan (lo) && isnan (hi));
}

static void
test_runs_as_alone (void)
{
  const int diversities[] = { 0, 100 };
  g_autofree SimConfig *configs = grid_configs (diversities, 2, 2, 5);
  g_autoptr (GError) error = NULL;
  SimSweep *sweep = sim_sweep_new (configs, 4, 2, &error);
  Notes notes = { 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (sim_sweep_get_n_points (sweep), ==, 2);
  g_mutex_init (&notes.mutex);
  notes.seen = g_new0 (guint, 4);
  sim_sweep_start (sweep, 2, NULL, 0, on_done, &notes);
  sim_sweep_wait (sweep, FALSE);

  g_assert_cmpuint (sim_sweep_get_n_done (sweep), ==, 4);
  g_assert_cmpuint (sim_sweep_get_n_finished (sweep), ==, 4);
  g_assert_cmpuint (notes.n_seen, ==, 4);
  for (guint64 r = 0; r < 4; r++)
    {
      g_autoptr (SimTrain) train = sim_sweep_train_new (&configs[r], FALSE, NULL, &error);
      const SimSweepFinal *final = sim_sweep_get_final (sweep, r);
      SimSweepFinal alone;

      g_assert_no_error (error);
      g_assert_cmpuint (notes.seen[r], ==, 1);
      g_assert_nonnull (final);
      g_assert_null (sim_sweep_get_error (sweep, r));
      g_assert_true (sim_config_equal (sim_sweep_get_config (sweep, r), &configs[r]));
      g_assert_true (sim_sweep_train_run (train, NULL, NULL));
      sim_sweep_final_init (&alone, train);
      g_assert_cmpmem (final, sizeof *final, &alone, sizeof alone);
      g_assert_true (isfinite (final->test_target) && isfinite (final->test_proxy));
      g_assert_cmpfloat (sim_sweep_final_get (final, SIM_SWEEP_TEST_TARGET), ==,
                         final->test_target);
      g_assert_cmpfloat (sim_sweep_final_get (final, SIM_SWEEP_TEST_PROXY), ==,
                         final->test_proxy);
    }

  for (guint64 p = 0; p < 2; p++)
    {
      double values[2], mean, lo, hi, want_mean, want_lo, want_hi;

      for (guint s = 0; s < 2; s++)
        values[s] = sim_sweep_get_final (sweep, p * 2 + s)->test_target;
      sim_sweep_interval (values, 2, &want_mean, &want_lo, &want_hi);
      g_assert_cmpuint (sim_sweep_summary (sweep, p, SIM_SWEEP_TEST_TARGET, &mean, &lo, &hi),
                        ==, 2);
      g_assert_cmpfloat (mean, ==, want_mean);
      g_assert_cmpfloat (lo, ==, want_lo);
      g_assert_cmpfloat (hi, ==, want_hi);
    }

  {
    g_autofree char *csv = sim_sweep_to_csv (sweep);
    g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
    g_auto (GStrv) fields = NULL;
    char want[G_ASCII_DTOSTR_BUF_SIZE];

    /* A header, four runs and the empty string after the last newline. */
    g_assert_cmpuint (g_strv_length (lines), ==, 6);
    g_assert_true (g_str_has_prefix (lines[0], "index,point,scenario,agent,"));
    fields = g_strsplit (lines[4], ",", -1);
    g_assert_cmpuint (g_strv_length (fields), ==, 20);
    g_assert_cmpstr (fields[0], ==, "3");
    g_assert_cmpstr (fields[1], ==, "1");
    g_assert_cmpstr (fields[5], ==, "2");      /* seed */
    g_assert_cmpstr (fields[7], ==, "100");    /* diversity */
    g_ascii_dtostr (want, sizeof want, sim_sweep_get_final (sweep, 3)->test_target);
    g_assert_cmpstr (fields[14], ==, want);
    g_assert_cmpstr (fields[16], ==, "");      /* no inference: no prediction */
  }

  sim_sweep_free (sweep);
  g_free (notes.seen);
  g_mutex_clear (&notes.mutex);
}

static void
test_some_runs (void)
{
  const int diversities[] = { 0, 50 };
  g_autofree SimConfig *configs = grid_configs (diversities, 2, 2, 2);
  const guint64 runs[] = { 3, 1 };
  SimSweep *sweep = sim_sweep_new (configs, 4, 2, NULL);
  double mean, lo, hi;

  sim_sweep_start (sweep, 4, runs, G_N_ELEMENTS (runs), NULL, NULL);
  sim_sweep_wait (sweep, FALSE);
  g_assert_cmpuint (sim_sweep_get_n_done (sweep), ==, 2);
  g_assert_null (sim_sweep_get_final (sweep, 0));
  g_assert_nonnull (sim_sweep_get_final (sweep, 1));
  g_assert_null (sim_sweep_get_final (sweep, 2));
  g_assert_nonnull (sim_sweep_get_final (sweep, 3));
  /* A point with one finished run has a mean and no interval. */
  g_assert_cmpuint (sim_sweep_summary (sweep, 0, SIM_SWEEP_TEST_PROXY, &mean, &lo, &hi), ==, 1);
  g_assert_cmpfloat (mean, ==, sim_sweep_get_final (sweep, 1)->test_proxy);
  g_assert_true (isnan (lo) && isnan (hi));
  sim_sweep_free (sweep);
}

/* Figures put back from a file count as finished runs; the others can still run. */
static void
test_restore (void)
{
  const int diversities[] = { 0, 100 };
  g_autofree SimConfig *configs = grid_configs (diversities, 2, 1, 2);
  SimSweep *sweep = sim_sweep_new (configs, 2, 1, NULL);
  const guint64 rest[] = { 1 };
  SimSweepFinal saved;

  sim_sweep_final_clear (&saved);
  g_assert_true (isnan (saved.predicted_test_target) && saved.goal_decisions[0] == 0);
  saved.test_target = 0.25;
  saved.test_proxy = 0.5;
  sim_sweep_restore (sweep, 0, &saved);
  g_assert_cmpuint (sim_sweep_get_n_finished (sweep), ==, 1);
  g_assert_cmpfloat (sim_sweep_get_final (sweep, 0)->test_target, ==, 0.25);
  sim_sweep_start (sweep, 1, rest, 1, NULL, NULL);
  sim_sweep_wait (sweep, FALSE);
  g_assert_cmpuint (sim_sweep_get_n_finished (sweep), ==, 2);
  g_assert_cmpuint (sim_sweep_get_n_done (sweep), ==, 2);
  g_assert_cmpfloat (sim_sweep_get_final (sweep, 0)->test_target, ==, 0.25);
  sim_sweep_free (sweep);
}

static void
test_cancel (void)
{
  const int diversities[] = { 0, 20, 50, 100 };
  g_autofree SimConfig *configs = grid_configs (diversities, 4, 3, 400);
  SimSweep *sweep;
  Notes notes = { 0 };

  g_mutex_init (&notes.mutex);
  notes.seen = g_new0 (guint, 12);
  notes.cancel_after_first = TRUE;
  configs[0].iterations = 1;   /* one thread: the first run ends first and cancels the rest */
  sweep = sim_sweep_new (configs, 12, 3, NULL);
  sim_sweep_start (sweep, 1, NULL, 0, on_done, &notes);
  sim_sweep_wait (sweep, FALSE);

  g_assert_true (sim_sweep_is_cancelled (sweep));
  /* Every run was notified, the skipped ones too; only the first finished. */
  g_assert_cmpuint (sim_sweep_get_n_done (sweep), ==, 12);
  g_assert_cmpuint (notes.n_seen, ==, 12);
  g_assert_cmpuint (sim_sweep_get_n_finished (sweep), ==, 1);
  g_assert_nonnull (sim_sweep_get_final (sweep, 0));
  for (guint64 r = 1; r < 12; r++)
    {
      g_assert_cmpuint (notes.seen[r], ==, 1);
      g_assert_null (sim_sweep_get_final (sweep, r));
      g_assert_null (sim_sweep_get_error (sweep, r));
    }
  sim_sweep_free (sweep);
  g_free (notes.seen);
  g_mutex_clear (&notes.mutex);
}

static void
test_cancel_under_way (void)
{
  const int diversities[] = { 0, 100 };
  g_autofree SimConfig *configs = grid_configs (diversities, 2, 1, 100000);
  SimSweep *sweep = sim_sweep_new (configs, 2, 1, NULL);

  /* Runs far too long to finish: cancelling stops them within an iteration. */
  sim_sweep_start (sweep, 2, NULL, 0, NULL, NULL);
  g_usleep (G_USEC_PER_SEC / 20);
  sim_sweep_cancel (sweep);
  sim_sweep_wait (sweep, FALSE);
  g_assert_cmpuint (sim_sweep_get_n_done (sweep), ==, 2);
  g_assert_cmpuint (sim_sweep_get_n_finished (sweep), ==, 0);
  sim_sweep_free (sweep);
}

static void
test_failing_run (void)
{
  const int diversities[] = { 0, 100 };
  g_autofree SimConfig *configs = grid_configs (diversities, 2, 1, 3);
  SimSweep *sweep;
  g_autoptr (GError) error = NULL;

  /* Keys-chests trains only the planner: the trainer refuses the Q-learner. */
  configs[0].scenario = SIM_SCENARIO_KEYS_CHESTS;
  configs[0].agent = SIM_AGENT_QLEARNER;
  g_assert_false (sim_train_check_config (&configs[0], NULL));
  sweep = sim_sweep_new (configs, 2, 1, &error);
  g_assert_no_error (error);
  sim_sweep_start (sweep, 1, NULL, 0, NULL, NULL);
  sim_sweep_wait (sweep, FALSE);
  g_assert_nonnull (sim_sweep_get_error (sweep, 0));
  g_assert_null (sim_sweep_get_final (sweep, 0));
  g_assert_true (sim_sweep_is_cancelled (sweep));
  g_assert_null (sim_sweep_get_final (sweep, 1));
  g_assert_cmpuint (sim_sweep_get_n_done (sweep), ==, 2);
  sim_sweep_free (sweep);

  g_assert_null (sim_sweep_new (configs, 2, 3, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/train/sweep/interval", test_interval);
  g_test_add_func ("/engine/train/sweep/runs-as-alone", test_runs_as_alone);
  g_test_add_func ("/engine/train/sweep/some-runs", test_some_runs);
  g_test_add_func ("/engine/train/sweep/restore", test_restore);
  g_test_add_func ("/engine/train/sweep/cancel", test_cancel);
  g_test_add_func ("/engine/train/sweep/cancel-under-way", test_cancel_under_way);
  g_test_add_func ("/engine/train/sweep/failing-run", test_failing_run);
  return g_test_run ();
}
