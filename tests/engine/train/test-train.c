/* test-train.c: training runs, their history, the inference hook, snapshots, and the
 * 'mesascope-cli train' output contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <json-glib/json-glib.h>

#include "sim-train-inference.h"
#include "sim-keys-run.h"
#include "sim-planner.h"
#include "sim-qlearner.h"
#include "sim-train.h"

static SimTrain *
new_run (SimOptimizerKind optimizer,
         int              iterations,
         guint32          seed)
{
  SimConfig config;
  g_autoptr (GError) error = NULL;
  SimTrain *train;

  sim_config_init_default (&config);
  config.optimizer = optimizer;
  config.iterations = iterations;
  config.seed = seed;
  config.infer_every = 0;
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (train);
  return train;
}

static void
run_to_end (SimTrain *train)
{
  while (sim_train_step (train))
    ;
}

/* Records per iteration, rates in [0, 1], and learning shows: a short pgn run reaches the
 * coin on training levels far more often than the untrained agent. */
static void
test_history (void)
{
  g_autoptr (SimTrain) train = new_run (SIM_OPTIMIZER_PGN, 20, 1);
  const SimTrainRecord *h;
  int n;

  g_assert_null (sim_train_get_last (train));
  g_assert_cmpint (sim_train_get_n_iterations (train), ==, 20);
  run_to_end (train);
  g_assert_true (sim_train_is_done (train));
  g_assert_false (sim_train_step (train));
  h = sim_train_get_history (train, &n);
  g_assert_cmpint (n, ==, 20);
  g_assert_cmpint (sim_train_get_iteration (train), ==, 20);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (h[i].iteration, ==, i + 1);
      g_assert_cmpfloat (h[i].train_target, >=, 0.0);
      g_assert_cmpfloat (h[i].test_target, >=, 0.0);
      g_assert_cmpfloat (h[i].test_proxy, >=, 0.0);
      g_assert_cmpfloat (h[i].test_target + h[i].test_proxy + h[i].test_lava, <=, 1.0 + 1e-9);
      g_assert_cmpfloat (h[i].train_target + h[i].train_proxy, <=, 1.0 + 1e-9);
      g_assert_false (h[i].has_inference);
      g_assert_true (isnan (h[i].predicted_target));
      g_assert_false (isnan (h[i].fitness));
    }
  g_test_message ("train target %.3f -> %.3f", h[0].train_target, h[n - 1].train_target);
  g_assert_cmpfloat (h[n - 1].train_target, >, h[0].train_target + 0.5);
  g_assert_true (sim_train_get_last (train) == &h[n - 1]);
}

/* The same config gives the same run bit for bit (planner with pgn and cem, Q-learner). */
static void
test_determinism (void)
{
  SimConfig config;
  SimAgentKind agents[] = { SIM_AGENT_PLANNER, SIM_AGENT_PLANNER, SIM_AGENT_QLEARNER };
  SimOptimizerKind optimizers[] = { SIM_OPTIMIZER_PGN, SIM_OPTIMIZER_CEM, SIM_OPTIMIZER_PGN };

  for (guint k = 0; k < G_N_ELEMENTS (agents); k++)
    {
      g_autoptr (SimTrain) a = NULL;
      g_autoptr (SimTrain) b = NULL;
      g_autoptr (SimTrain) c = NULL;
      const SimTrainRecord *ha, *hb, *hc;
      int na, nb, nc;

      sim_config_init_default (&config);
      config.agent = agents[k];
      config.optimizer = optimizers[k];
      config.perception = SIM_PERCEPTION_HIDDEN;
      config.perception_param = 30;
      config.diversity = 20;
      config.iterations = optimizers[k] == SIM_OPTIMIZER_CEM ? 2 : 4;
      config.seed = 17;
      a = sim_train_new (&config, NULL);
      b = sim_train_new (&config, NULL);
      config.seed = 18;
      c = sim_train_new (&config, NULL);
      run_to_end (a);
      run_to_end (b);
      run_to_end (c);
      ha = sim_train_get_history (a, &na);
      hb = sim_train_get_history (b, &nb);
      hc = sim_train_get_history (c, &nc);
      g_assert_cmpint (na, ==, nb);
      g_assert_cmpmem (ha, na * sizeof (SimTrainRecord), hb, nb * sizeof (SimTrainRecord));
      g_assert_true (memcmp (ha, hc, na * sizeof (SimTrainRecord)) != 0);
      if (agents[k] == SIM_AGENT_PLANNER)
        g_assert_cmpmem (sim_train_get_theta (a), 7 * sizeof (double),
                         sim_train_get_theta (b), 7 * sizeof (double));
      else
        g_assert_cmpmem (sim_train_get_qlearner_weights (a), 6 * sizeof (double),
                         sim_train_get_qlearner_weights (b), 6 * sizeof (double));
    }
}

/* The evaluation sets: 64 levels each, the train set with the coin at the corner and the test
 * set without, the same for the same seed, other levels for another seed. */
static void
test_eval_sets (void)
{
  g_autoptr (SimTrain) a = new_run (SIM_OPTIMIZER_PGN, 1, 7);
  g_autoptr (SimTrain) b = new_run (SIM_OPTIMIZER_CEM, 1, 7);
  g_autoptr (SimTrain) c = new_run (SIM_OPTIMIZER_PGN, 1, 8);
  SimLevel *const *train_a, *const *test_a, *const *test_b, *const *test_c;
  int n, n_same = 0;

  train_a = sim_train_get_eval_levels (a, SIM_DIST_TRAIN, &n);
  g_assert_cmpint (n, ==, SIM_TRAIN_EVAL_LEVELS);
  test_a = sim_train_get_eval_levels (a, SIM_DIST_TEST, &n);
  test_b = sim_train_get_eval_levels (b, SIM_DIST_TEST, NULL);
  test_c = sim_train_get_eval_levels (c, SIM_DIST_TEST, NULL);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (sim_level_get (train_a[i], 7, 7), ==, SIM_CELL_COIN);
      g_assert_cmpint (sim_level_get (test_a[i], 7, 7), !=, SIM_CELL_COIN);
      g_assert_true (sim_level_equal (test_a[i], test_b[i]));
      n_same += sim_level_equal (test_a[i], test_c[i]);
    }
  g_assert_cmpint (n_same, <, 4);
}

typedef struct
{
  int calls;
  int fail_at;
  GArray *iterations;
} HookData;

static gboolean
fake_inference (SimTrain       *train,
                SimTrainRecord *record,
                gpointer        user_data,
                GError        **error)
{
  HookData *data = user_data;
  int nf = sim_train_get_n_features (train);

  data->calls++;
  g_array_append_val (data->iterations, record->iteration);
  if (record->iteration == data->fail_at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no probes");
      return FALSE;
    }
  for (int f = 0; f < nf; f++)
    record->inferred[f] = f == 0 ? 1.0 : 0.0;
  record->predicted_target = 0.25;
  record->predicted_proxy = 0.5;
  return TRUE;
}

static void
hook_data_free (gpointer p)
{
  HookData *data = p;

  data->calls = -1000;
}

/* The hook runs every K iterations and after the last one; its results land in the history
 * and the snapshot; a failed inference leaves its record without inference. */
static void
test_inference_hook (void)
{
  SimConfig config;
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();
  g_autoptr (GArray) iterations = g_array_new (FALSE, FALSE, sizeof (int));
  HookData data = { 0, 6, iterations };
  const SimTrainRecord *h;
  int n;

  sim_config_init_default (&config);
  config.iterations = 10;
  config.infer_every = 3;
  train = sim_train_new (&config, NULL);
  sim_train_set_infer_func (train, fake_inference, &data, hook_data_free);
  run_to_end (train);
  g_assert_cmpint (data.calls, ==, 4);
  g_assert_cmpint (g_array_index (iterations, int, 0), ==, 3);
  g_assert_cmpint (g_array_index (iterations, int, 1), ==, 6);
  g_assert_cmpint (g_array_index (iterations, int, 2), ==, 9);
  g_assert_cmpint (g_array_index (iterations, int, 3), ==, 10);

  h = sim_train_get_history (train, &n);
  for (int i = 0; i < n; i++)
    {
      gboolean want = h[i].iteration == 3 || h[i].iteration == 9 || h[i].iteration == 10;

      g_assert_cmpint (h[i].has_inference, ==, want);
      if (want)
        g_assert_cmpfloat (h[i].predicted_proxy, ==, 0.5);
    }

  sim_train_fill_snapshot (train, 5, snapshot);
  g_assert_cmpint (snapshot->iteration, ==, 10);
  g_assert_cmpint (snapshot->n_history, ==, 10);
  g_assert_cmpint (snapshot->n_inferences, ==, 3);
  g_assert_cmpint (snapshot->inference_iteration[2], ==, 10);
  g_assert_cmpfloat (snapshot->predicted_target[0], ==, 0.25);
  /* cos((1, 0, …), θ_base) = 1 / ‖θ_base‖. */
  g_assert_cmpfloat_with_epsilon (snapshot->cos_base[0], 1.0 / sqrt (2.0 + 0.0004), 1e-12);
  g_assert_cmpfloat_with_epsilon (snapshot->cos_true[0],
                                  sim_train_get_theta (train)[0] /
                                  sqrt (pow (sim_train_get_theta (train)[0], 2) +
                                        pow (sim_train_get_theta (train)[1], 2) +
                                        pow (sim_train_get_theta (train)[2], 2) +
                                        pow (sim_train_get_theta (train)[3], 2) +
                                        pow (sim_train_get_theta (train)[4], 2) +
                                        pow (sim_train_get_theta (train)[5], 2) +
                                        pow (sim_train_get_theta (train)[6], 2)), 1e-12);
  g_assert_nonnull (snapshot->shown[SIM_SHOWN_TEST].inferred_reward);

  sim_train_set_infer_func (train, NULL, NULL, NULL);
  g_assert_cmpint (data.calls, ==, -1000);
}

/* Whether two figures are the same number, or both not computed. */
static gboolean
same_figure (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

/* The snapshot carries each inference's goal-directedness scores exactly as the run's records
 * hold them: with the real inference attached, a planner with a true θ has every score, and
 * the goal-directedness of the shown run is a real measurement (scores at most 1, the interval
 * around the score, decisions counted). */
static void
test_snapshot_goal (void)
{
  g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (GError) error = NULL;
  const SimTrainRecord *h;
  SimConfig config;
  int n, k = 0;

  sim_config_init_default (&config);
  config.iterations = 4;
  config.infer_every = 2;
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim_train_attach_inference (train, &error));
  g_assert_no_error (error);
  run_to_end (train);
  sim_train_fill_snapshot (train, 0, snapshot);

  h = sim_train_get_history (train, &n);
  g_assert_cmpint (snapshot->n_inferences, ==, 2);
  g_assert_nonnull (snapshot->goal);
  for (int i = 0; i < n; i++)
    {
      if (!h[i].has_inference)
        continue;
      for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
        {
          gsize at = (gsize) k * SIM_TRAIN_N_GOALS + g;

          g_assert_true (isfinite (h[i].goal[g]));
          g_assert_cmpfloat (h[i].goal[g], <=, 1.0);
          g_assert_cmpfloat (h[i].goal_lo[g], <=, h[i].goal_hi[g]);
          g_assert_cmpint (h[i].goal_decisions[g], >, 0);
          g_assert_true (same_figure (snapshot->goal[at], h[i].goal[g]));
          g_assert_true (same_figure (snapshot->goal_lo[at], h[i].goal_lo[g]));
          g_assert_true (same_figure (snapshot->goal_hi[at], h[i].goal_hi[g]));
          g_assert_true (same_figure (snapshot->goal_nats[at], h[i].goal_nats[g]));
          g_assert_cmpint (snapshot->goal_decisions[at], ==, h[i].goal_decisions[g]);
        }
      g_test_message ("iteration %d: toward inferred %.3f, base %.3f, true %.3f, held out %.3f "
                      "(%d decisions)", h[i].iteration, h[i].goal[SIM_TRAIN_GOAL_INFERRED],
                      h[i].goal[SIM_TRAIN_GOAL_BASE], h[i].goal[SIM_TRAIN_GOAL_TRUE],
                      h[i].goal[SIM_TRAIN_GOAL_HELD_OUT],
                      h[i].goal_decisions[SIM_TRAIN_GOAL_INFERRED]);
      k++;
    }
  g_assert_cmpint (k, ==, 2);
  /* The two inferences measured different agents. */
  g_assert_cmpfloat (snapshot->goal[SIM_TRAIN_GOAL_BASE], !=,
                     snapshot->goal[SIM_TRAIN_N_GOALS + SIM_TRAIN_GOAL_BASE]);
}

/* Snapshot fields: unit-norm objectives, feature names, shown levels with a path that starts
 * at the start and moves one cell at a time, and the shown index picks the level. */
static void
test_snapshot (void)
{
  g_autoptr (SimTrain) train = new_run (SIM_OPTIMIZER_PGN, 5, 3);
  g_autoptr (SimSnapshot) s1 = sim_snapshot_new ();
  g_autoptr (SimSnapshot) s2 = sim_snapshot_new ();
  double norm = 0.0;

  run_to_end (train);
  sim_train_fill_snapshot (train, 0, s1);
  sim_train_fill_snapshot (train, 1, s2);
  g_assert_cmpint (s1->n_features, ==, 7);
  g_assert_cmpstr (s1->feature_names[2], ==, "corner");
  g_assert_null (s1->feature_names[7]);
  for (int f = 0; f < 7; f++)
    norm += s1->true_objective[f] * s1->true_objective[f];
  g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s1->base_objective[0], 1.0 / sqrt (2.0004), 1e-12);
  g_assert_cmpfloat (s1->test_proxy[4], ==, sim_train_get_last (train)->test_proxy);
  g_assert_cmpint (s1->n_inferences, ==, 0);

  for (int d = 0; d < SIM_N_SHOWN; d++)
    {
      SimShownLevel *shown = &s1->shown[d];
      int w = shown->level->width;

      g_assert_cmpint (shown->n_path, >=, 1);
      g_assert_cmpint (shown->path[0], ==, shown->level->start);
      for (int i = 1; i < shown->n_path; i++)
        g_assert_cmpint (ABS (shown->path[i] % w - shown->path[i - 1] % w) +
                         ABS (shown->path[i] / w - shown->path[i - 1] / w), <=, 1);
      g_assert_null (shown->inferred_reward);
    }
  /* The coin cell of the shown train level pays the base reward 1 − 0.02. */
  g_assert_cmpfloat_with_epsilon (s1->shown[SIM_SHOWN_TRAIN].base_reward[63], 0.98, 1e-12);
  g_assert_true (s1->shown[SIM_SHOWN_TEST].level ==
                 sim_train_get_eval_levels (train, SIM_DIST_TEST, NULL)[0]);
  g_assert_true (s2->shown[SIM_SHOWN_TEST].level ==
                 sim_train_get_eval_levels (train, SIM_DIST_TEST, NULL)[1]);
}

static SimTrain *
new_keys_run (guint32 seed,
              int     diversity,
              int     iterations,
              int     infer_every)
{
  SimConfig config;
  g_autoptr (GError) error = NULL;
  SimTrain *train;

  sim_config_init_default (&config);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  config.optimizer = SIM_OPTIMIZER_CEM;
  config.iterations = iterations;
  config.diversity = diversity;
  config.seed = seed;
  config.infer_every = infer_every;
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (train);
  if (infer_every > 0)
    {
      /* The grid inference has no MaxEnt battery to hand back. */
      g_assert_null (sim_train_attach_inference (train, &error));
      g_assert_no_error (error);
    }
  return train;
}

/* Keys-chests through the trainer is the wrapped CEM run, record for record: counts, the rates
 * made from them, θ; the key-scarce agent comes to value keys above chests and hoards keys at
 * test, while the control (diversity 100) values chests. */
static void
test_keys_chests (void)
{
  g_autoptr (SimTrain) train = new_keys_run (1, 0, SIM_KEYS_CEM_GENERATIONS, 0);
  g_autoptr (SimKeysRun) direct = sim_keys_run_new (1, FALSE);
  g_autoptr (SimTrain) control = new_keys_run (1, 100, SIM_KEYS_CEM_GENERATIONS, 0);
  const SimKeysRecord *kr;
  const SimTrainRecord *h;
  const double *theta;
  int n, nk;

  g_assert_nonnull (sim_train_get_keys_run (train));
  g_assert_cmpint (sim_train_get_n_features (train), ==, 2);
  g_assert_cmpstr (sim_train_get_feature_name (train, 0), ==, "key");
  g_assert_cmpstr (sim_train_get_feature_name (train, 1), ==, "chest");
  g_assert_null (sim_train_get_qlearner_weights (train));
  g_assert_null (sim_train_get_policy (train, sim_train_get_eval_levels (train, SIM_DIST_TEST,
                                                                         NULL)[0]));
  run_to_end (train);
  while (sim_keys_run_step (direct))
    ;
  h = sim_train_get_history (train, &n);
  kr = sim_keys_run_get_history (direct, &nk);
  g_assert_cmpint (n, ==, SIM_KEYS_CEM_GENERATIONS);
  g_assert_cmpint (nk, ==, n);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpint (h[i].iteration, ==, i + 1);
      g_assert_cmpfloat (h[i].train_keys, ==, kr[i].train_keys);
      g_assert_cmpfloat (h[i].train_chests, ==, kr[i].train_chests);
      g_assert_cmpfloat (h[i].test_keys, ==, kr[i].test_keys);
      g_assert_cmpfloat (h[i].test_chests, ==, kr[i].test_chests);
      g_assert_cmpfloat (h[i].fitness, ==, kr[i].best_fitness);
      g_assert_cmpfloat_with_epsilon (h[i].test_target, kr[i].test_chests / 2.0, 1e-15);
      g_assert_cmpfloat_with_epsilon (h[i].train_target, kr[i].train_chests / 2.0, 1e-15);
      g_assert_cmpfloat_with_epsilon (h[i].test_proxy, kr[i].test_keys / 6.0, 1e-15);
      g_assert_cmpfloat_with_epsilon (h[i].train_proxy, kr[i].train_keys / 2.0, 1e-15);
      g_assert_false (h[i].has_inference);
      g_assert_true (isnan (h[i].inferred_angle));
    }
  theta = sim_train_get_theta (train);
  g_assert_cmpmem (theta, sizeof (double) * 2, sim_keys_run_get_theta (direct),
                   sizeof (double) * 2);
  /* docs/science.md §3.3: key > chest, keys hoarded at test, few chests opened there. */
  g_assert_cmpfloat (theta[0], >, theta[1]);
  g_assert_cmpfloat (h[n - 1].test_keys, >=, 4.5);
  g_assert_cmpfloat (h[n - 1].test_chests, <=, 1.3);
  /* The trend: keys collected at test grow from the untrained agent's. */
  g_assert_cmpfloat (h[n - 1].test_keys, >, h[0].test_keys + 1.0);

  run_to_end (control);
  g_assert_cmpfloat (sim_train_get_theta (control)[1], >, sim_train_get_theta (control)[0]);
  g_assert_cmpfloat (sim_train_get_last (control)->test_chests, >=, 1.6);

  /* Coin records say "no count". */
  {
    g_autoptr (SimTrain) coin = new_run (SIM_OPTIMIZER_PGN, 1, 1);

    run_to_end (coin);
    g_assert_true (isnan (sim_train_get_last (coin)->test_keys));
    g_assert_null (sim_train_get_keys_run (coin));
  }
}

/* Partly diverse runs draw their levels from both distributions; other lengths than 20 run. */
static void
test_keys_chests_diversity (void)
{
  g_autoptr (SimTrain) a = new_keys_run (4, 50, 3, 0);
  g_autoptr (SimTrain) b = new_keys_run (4, 50, 3, 0);
  g_autoptr (SimTrain) none = new_keys_run (4, 0, 3, 0);
  g_autoptr (SimTrain) longer = new_keys_run (4, 0, 23, 0);
  int n;

  run_to_end (a);
  run_to_end (b);
  run_to_end (none);
  g_assert_cmpmem (sim_train_get_history (a, NULL), sizeof (SimTrainRecord) * 3,
                   sim_train_get_history (b, NULL), sizeof (SimTrainRecord) * 3);
  g_assert_true (memcmp (sim_train_get_theta (a), sim_train_get_theta (none),
                         sizeof (double) * 2) != 0);
  run_to_end (longer);
  sim_train_get_history (longer, &n);
  g_assert_cmpint (n, ==, 23);
}

/* The grid inference fills the record: unit-norm weights near the true direction, an angle
 * with its uncertainty and a prediction; the snapshot carries the keys histories, the angles
 * and the keys held along each shown path, consistent with the level. */
static void
test_keys_chests_inference_snapshot (void)
{
  g_autoptr (SimTrain) train = new_keys_run (1, 0, 8, 4);
  g_autoptr (SimSnapshot) s = sim_snapshot_new ();
  const SimTrainRecord *h;
  int n;

  run_to_end (train);
  h = sim_train_get_history (train, &n);
  for (int i = 0; i < n; i++)
    g_assert_cmpint (h[i].has_inference, ==, (i + 1) % 4 == 0);
  for (int i = 3; i < n; i += 4)
    {
      double true_angle = sim_keys_theta_angle (sim_train_get_theta (train));

      g_assert_cmpfloat_with_epsilon (hypot (h[i].inferred[0], h[i].inferred[1]), 1.0, 1e-12);
      g_assert_cmpfloat (h[i].inferred_sd[0], >, 0.0);
      g_assert_cmpfloat (h[i].inferred_sd[1], >, 0.0);
      g_assert_cmpfloat (h[i].inferred_angle_sd, >=, 2.5);
      g_assert_cmpfloat_with_epsilon (sim_keys_theta_angle (h[i].inferred), h[i].inferred_angle,
                                      1e-9);
      g_assert_true (h[i].predicted_target >= 0.0 && h[i].predicted_target <= 1.0);
      g_assert_true (h[i].predicted_proxy >= 0.0 && h[i].predicted_proxy <= 1.0);
      if (i == n - 1)
        g_assert_cmpfloat (sim_keys_angle_distance (h[i].inferred_angle, true_angle), <=, 5.0);
    }

  sim_train_fill_snapshot (train, 3, s);
  g_assert_cmpint (s->n_history, ==, 8);
  g_assert_nonnull (s->train_keys);
  g_assert_cmpfloat (s->test_keys[7], ==, h[7].test_keys);
  g_assert_cmpfloat (s->train_chests[7], ==, h[7].train_chests);
  g_assert_cmpfloat (s->test_chests[0], ==, h[0].test_chests);
  g_assert_cmpfloat (s->train_keys[2], ==, h[2].train_keys);
  g_assert_cmpint (s->n_inferences, ==, 2);
  g_assert_nonnull (s->inferred_angle);
  g_assert_cmpfloat (s->inferred_angle[1], ==, h[7].inferred_angle);
  g_assert_cmpfloat (s->inferred_angle_sd[1], ==, h[7].inferred_angle_sd);
  g_assert_cmpfloat_with_epsilon (s->cos_true[1], cos ((h[7].inferred_angle -
                                                        sim_keys_theta_angle (sim_train_get_theta (train))) * G_PI / 180),
                                  1e-9);
  for (int d = 0; d < SIM_N_SHOWN; d++)
    {
      SimShownLevel *shown = &s->shown[d];
      const SimLevel *level = shown->level;
      int keys = 0, chests = 0;
      int n_keys = 0;

      g_assert_true (level == sim_train_get_eval_levels (train, d == SIM_SHOWN_TRAIN
                                                                ? SIM_DIST_TRAIN
                                                                : SIM_DIST_TEST, NULL)[3]);
      g_assert_nonnull (shown->held);
      g_assert_nonnull (shown->inferred_reward);
      g_assert_cmpint (shown->path[0], ==, level->start);
      g_assert_cmpint (shown->held[0], ==, 0);
      for (int c = 0; c < level->width * level->height; c++)
        {
          n_keys += level->cells[c] == SIM_CELL_KEY;
          /* Base reward: chests 1, everything else 0; inferred: the inferred weights. */
          g_assert_cmpfloat (shown->base_reward[c], ==, level->cells[c] == SIM_CELL_CHEST);
          if (level->cells[c] == SIM_CELL_KEY)
            g_assert_cmpfloat (shown->inferred_reward[c], ==, h[7].inferred[0]);
        }
      g_assert_cmpint (n_keys, ==, d == SIM_SHOWN_TRAIN ? 2 : 6);
      for (int i = 1; i < shown->n_path; i++)
        {
          int change = shown->held[i] - shown->held[i - 1];

          /* A key can only be picked up on a key cell, a chest opened only on a chest. */
          g_assert_cmpint (ABS (change), <=, 1);
          if (change > 0)
            {
              g_assert_cmpint (level->cells[shown->path[i]], ==, SIM_CELL_KEY);
              keys++;
            }
          else if (change < 0)
            {
              g_assert_cmpint (level->cells[shown->path[i]], ==, SIM_CELL_CHEST);
              chests++;
            }
          g_assert_cmpint (shown->held[i], >=, 0);
        }
      g_assert_cmpint (shown->held[shown->n_path - 1], ==, keys - chests);
      g_assert_cmpint (shown->n_path, <=, level->horizon + 1);
      /* This trained agent picks up at least one key on every shown level. */
      g_assert_cmpint (keys, >=, 1);
    }
}

/* The Q-learner is driven in chunks that add up to its full training. */
static void
test_qlearner (void)
{
  SimConfig config;
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (SimPolicy) policy = NULL;

  sim_config_init_default (&config);
  config.agent = SIM_AGENT_QLEARNER;
  config.iterations = 3;
  train = sim_train_new (&config, NULL);
  g_assert_nonnull (train);
  g_assert_null (sim_train_get_theta (train));
  g_assert_nonnull (sim_train_get_qlearner_weights (train));
  run_to_end (train);
  g_assert_cmpint (sim_train_get_iteration (train), ==, 3);
  g_assert_true (isnan (sim_train_get_last (train)->fitness));
  /* A fully trained Q-learner reaches the coin on most training levels (docs/science.md §3.4). */
  g_assert_cmpfloat (sim_train_get_last (train)->train_target, >=, 0.5);
  policy = sim_train_get_policy (train, sim_train_get_eval_levels (train, SIM_DIST_TEST,
                                                                   NULL)[0]);
  g_assert_nonnull (policy);
}

/* Only a planner that looks to the end of the episode acts by the soft-optimal policy of
 * SIM_PLANNER_BETA × its θ, and its policy is that one. */
static void
test_soft_optimal (void)
{
  SimAgentKind agents[] = { SIM_AGENT_PLANNER, SIM_AGENT_PLANNER, SIM_AGENT_QLEARNER };
  int depths[] = { 0, 3, 0 };

  for (guint c = 0; c < G_N_ELEMENTS (agents); c++)
    {
      SimConfig config;
      g_autoptr (SimTrain) train = NULL;

      sim_config_init_default (&config);
      config.agent = agents[c];
      config.planning_depth = depths[c];
      config.iterations = 2;
      train = sim_train_new (&config, NULL);
      g_assert_nonnull (train);
      run_to_end (train);
      g_assert_cmpint (sim_train_acts_soft_optimally (train), ==, c == 0);
      if (c == 0)
        {
          const SimLevel *level = sim_train_get_eval_levels (train, SIM_DIST_TEST, NULL)[0];
          g_autoptr (SimPolicy) policy = sim_train_get_policy (train, level);
          g_autoptr (SimPolicy) soft = sim_planner_policy (sim_train_get_theta (train), level,
                                                           config.near_corner,
                                                           SIM_PLANNER_BETA);

          g_assert_cmpint (policy->horizon, ==, soft->horizon);
          g_assert_cmpmem (policy->prob, sizeof (double) * policy->horizon *
                           policy->n_states * SIM_N_ACTIONS, soft->prob,
                           sizeof (double) * soft->horizon * soft->n_states * SIM_N_ACTIONS);
        }
    }
}

static void
test_refuse (void)
{
  SimConfig config;
  g_autoptr (GError) error = NULL;

  /* Keys-chests has one optimizer (cem) and no perception setting. */
  sim_config_init_default (&config);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  g_assert_null (sim_train_new (&config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "cem"));
  g_clear_error (&error);
  config.optimizer = SIM_OPTIMIZER_CEM;
  config.perception = SIM_PERCEPTION_HIDDEN;
  config.perception_param = 30;
  g_assert_null (sim_train_new (&config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "perception"));
  g_clear_error (&error);
  sim_config_init_default (&config);
  config.iterations = 0;
  g_assert_null (sim_train_new (&config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
}

/* Runs mesascope-cli with args; returns its exit status. */
static int
run_cli (const char *const *args,
         char              **out,
         char              **err)
{
  const char *build = g_getenv ("MESASCOPE_BUILD_DIR");
  g_autofree char *cli = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_assert_nonnull (build);
  cli = g_build_filename (build, "src", "cli", "mesascope-cli", NULL);
  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* The JSON of 'train' has every key the man page lists, matches the engine run for the same seed,
 * and is the same text every time. */
static void
test_cli_json (void)
{
  const char *args[] = { "train", "--iterations", "3", "--seed", "5", "--perception",
                         "hidden:30", "--json", "-", NULL };
  const char *top[] = { "scenario", "agent", "optimizer", "seed", "features", "base_objective",
                        "mesa_objective", "inferred_objective", "history", "final" };
  const char *final_keys[] = { "train_target", "test_target", "test_proxy",
                               "predicted_test_target", "predicted_test_proxy",
                               "cos_inferred_base", "cos_inferred_true" };
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrain) train = NULL;
  JsonObject *root, *final, *entry;
  JsonArray *history, *features, *mesa;
  SimConfig config;

  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (top); i++)
    g_assert_true (json_object_has_member (root, top[i]));
  g_assert_cmpstr (json_object_get_string_member (root, "scenario"), ==, "coin");
  g_assert_cmpstr (json_object_get_string_member (root, "agent"), ==, "planner");
  g_assert_cmpstr (json_object_get_string_member (root, "optimizer"), ==, "pgn");
  g_assert_cmpint (json_object_get_int_member (root, "seed"), ==, 5);
  /* Inference runs after the last iteration: a unit-norm objective. */
  {
    JsonArray *inferred = json_object_get_array_member (root, "inferred_objective");
    double norm = 0;

    g_assert_cmpuint (json_array_get_length (inferred), ==, 7);
    for (guint f = 0; f < 7; f++)
      norm += pow (json_array_get_double_element (inferred, f), 2);
    g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-9);
  }
  features = json_object_get_array_member (root, "features");
  g_assert_cmpuint (json_array_get_length (features), ==, 7);
  g_assert_cmpstr (json_array_get_string_element (features, 5), ==, "near_corner");
  g_assert_cmpfloat (json_array_get_double_element (
                       json_object_get_array_member (root, "base_objective"), 6), ==, -0.02);

  history = json_object_get_array_member (root, "history");
  g_assert_cmpuint (json_array_get_length (history), ==, 3);
  entry = json_array_get_object_element (history, 2);
  g_assert_cmpint (json_object_get_int_member (entry, "iteration"), ==, 3);
  g_assert_false (json_node_is_null (json_object_get_member (entry, "inferred")));
  g_assert_true (json_node_is_null (json_object_get_member (
                   json_array_get_object_element (history, 0), "inferred")));
  final = json_object_get_object_member (root, "final");
  for (guint i = 0; i < G_N_ELEMENTS (final_keys); i++)
    g_assert_true (json_object_has_member (final, final_keys[i]));
  g_assert_cmpfloat (json_object_get_double_member (final, "cos_inferred_true"), >=, -1.0);
  g_assert_cmpfloat (json_object_get_double_member (final, "cos_inferred_true"), <=, 1.0);
  g_assert_cmpfloat (json_object_get_double_member (final, "predicted_test_proxy"), >=, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (final, "predicted_test_proxy"), <=, 1.0);

  /* The same run in-process gives the same numbers. */
  sim_config_init_default (&config);
  config.iterations = 3;
  config.seed = 5;
  config.perception = SIM_PERCEPTION_HIDDEN;
  config.perception_param = 30;
  train = sim_train_new (&config, NULL);
  run_to_end (train);
  g_assert_cmpfloat (json_object_get_double_member (final, "test_proxy"), ==,
                     sim_train_get_last (train)->test_proxy);
  g_assert_cmpfloat (json_object_get_double_member (entry, "train_target"), ==,
                     sim_train_get_last (train)->train_target);
  mesa = json_object_get_array_member (root, "mesa_objective");
  for (int f = 0; f < 7; f++)
    g_assert_cmpfloat (json_array_get_double_element (mesa, f), ==,
                       sim_train_get_theta (train)[f]);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (args, &out2, &err), ==, 0);
  g_assert_cmpstr (out, ==, out2);
}

/* A Q-learner run has no true objective: mesa_objective is null. CSV has a header and one row
 * per iteration. */
static void
test_cli_qlearner_csv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mesascope-train-XXXXXX", NULL);
  g_autofree char *json_path = g_build_filename (dir, "run.json", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "run.csv", NULL);
  const char *args[] = { "train", "--agent", "qlearner", "--iterations", "2", "--json",
                         json_path, "--csv", csv_path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_nonnull (dir);
  g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
  g_assert_true (json_parser_load_from_file (parser, json_path, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_node_is_null (json_object_get_member (root, "mesa_objective")));
  g_assert_cmpstr (json_object_get_string_member (root, "agent"), ==, "qlearner");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, 2 rows, empty tail */
  g_assert_true (g_str_has_prefix (lines[0], "iteration,train_target,test_target,test_proxy"));
  g_assert_true (g_str_has_prefix (lines[2], "2,"));
  g_assert_cmpstr (lines[3], ==, "");
  g_remove (json_path);
  g_remove (csv_path);
  g_rmdir (dir);
}

/* Absurd values and unknown options are usage errors (exit 2) with a message. */
static void
test_cli_refuses (void)
{
  const char *bad[][3] = {
    { "--grid", "0", NULL }, { "--grid", "100000", NULL }, { "--iterations", "-1", NULL },
    { "--perception", "radius:abc", NULL }, { "--seed", "-5", NULL },
    { "--diversity", "200", NULL }, { "--frobnicate", NULL, NULL }, { "--grid", NULL, NULL },
    { "--seed=4294967296", NULL, NULL }, { "--optimizer", "adam", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *args[4] = { "train", bad[i][0], bad[i][1], NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
      g_assert_true (g_str_has_prefix (err, "mesascope-cli train: "));
      g_assert_cmpstr (out, ==, "");
    }
  {
    const char *args[] = { "train", "--scenario", "keys-chests", "--optimizer", "pgn", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_cli (args, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "keys-chests"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/engine/train/train/history", test_history);
  g_test_add_func ("/engine/train/train/determinism", test_determinism);
  g_test_add_func ("/engine/train/train/eval-sets", test_eval_sets);
  g_test_add_func ("/engine/train/train/inference-hook", test_inference_hook);
  g_test_add_func ("/engine/train/train/snapshot", test_snapshot);
  g_test_add_func ("/engine/train/train/snapshot-goal", test_snapshot_goal);
  g_test_add_func ("/engine/train/train/qlearner", test_qlearner);
  g_test_add_func ("/engine/train/train/refuse", test_refuse);
  g_test_add_func ("/engine/train/train/soft-optimal", test_soft_optimal);
  g_test_add_func ("/engine/train/train/keys-chests", test_keys_chests);
  g_test_add_func ("/engine/train/train/keys-chests-diversity", test_keys_chests_diversity);
  g_test_add_func ("/engine/train/train/keys-chests-inference-snapshot",
                   test_keys_chests_inference_snapshot);
  g_test_add_func ("/engine/train/train/cli-json", test_cli_json);
  g_test_add_func ("/engine/train/train/cli-qlearner-csv", test_cli_qlearner_csv);
  g_test_add_func ("/engine/train/train/cli-refuses", test_cli_refuses);
  return g_test_run ();
}
