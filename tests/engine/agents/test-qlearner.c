/* test-qlearner.c: the linear Q-learner's features, training bookkeeping and policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim-config.h"
#include "sim-policy.h"
#include "sim-qlearner.h"
#include "sim-scenario.h"

static const double *
psi_at (const double *psi,
        int           s,
        SimAction     a)
{
  return psi + ((gsize) s * SIM_N_ACTIONS + a) * SIM_QLEARNER_N_FEATURES;
}

static void
assert_psi (const double *f,
            double        coin,
            double        corner,
            double        blocked,
            double        lava,
            double        stay)
{
  g_assert_cmpfloat_with_epsilon (f[SIM_QLEARNER_TOWARD_COIN], coin, 1e-12);
  g_assert_cmpfloat_with_epsilon (f[SIM_QLEARNER_TOWARD_CORNER], corner, 1e-12);
  g_assert_cmpfloat (f[SIM_QLEARNER_BLOCKED], ==, blocked);
  g_assert_cmpfloat (f[SIM_QLEARNER_INTO_LAVA], ==, lava);
  g_assert_cmpfloat (f[SIM_QLEARNER_STAY], ==, stay);
  g_assert_cmpfloat (f[SIM_QLEARNER_BIAS], ==, 1.0);
}

/* Closeness is 0.9^(path length around walls); worked out by hand on a 3×3 level. */
static void
test_features_by_hand (void)
{
  const char *text = "mesascope-level 1\nscenario coin\nsize 3 3\nhorizon 9\nmap\n"
                     "C#.\n"
                     "..L\n"
                     "S..\n";
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, NULL);
  double psi[9 * SIM_N_ACTIONS * SIM_QLEARNER_N_FEATURES];
  int centre, origin, right_middle;
  const double p1 = 0.9, p2 = 0.81, p3 = 0.729, p4 = 0.6561;

  g_assert_nonnull (level);
  centre = sim_level_index (level, 1, 1);
  origin = sim_level_index (level, 0, 0);
  right_middle = sim_level_index (level, 2, 1);

  sim_qlearner_features (level, TRUE, psi);
  /* From the centre: up is a wall, right is lava. */
  assert_psi (psi_at (psi, centre, SIM_ACTION_UP), p2, p2, 1, 0, 0);
  assert_psi (psi_at (psi, centre, SIM_ACTION_DOWN), p3, p3, 0, 0, 0);
  assert_psi (psi_at (psi, centre, SIM_ACTION_LEFT), p1, p3, 0, 0, 0);
  assert_psi (psi_at (psi, centre, SIM_ACTION_RIGHT), p3, p1, 0, 1, 0);
  assert_psi (psi_at (psi, centre, SIM_ACTION_STAY), p2, p2, 0, 0, 1);
  /* Off the grid is blocked too. */
  assert_psi (psi_at (psi, origin, SIM_ACTION_LEFT), p2, p4, 1, 0, 0);
  /* The corner is 2 steps from the coin as the crow flies, but 4 around the wall. */
  assert_psi (psi_at (psi, right_middle, SIM_ACTION_UP), p4, 1.0, 0, 0, 0);

  /* An unseen coin gives no toward_coin signal; the rest is unchanged. */
  sim_qlearner_features (level, FALSE, psi);
  assert_psi (psi_at (psi, centre, SIM_ACTION_LEFT), 0, p3, 0, 0, 0);
  assert_psi (psi_at (psi, right_middle, SIM_ACTION_UP), 0, 1.0, 0, 0, 0);

  /* A coin behind walls is out of reach: closeness 0. */
  level->cells[sim_level_index (level, 0, 1)] = SIM_CELL_WALL;
  sim_qlearner_features (level, TRUE, psi);
  assert_psi (psi_at (psi, centre, SIM_ACTION_DOWN), 0, p3, 0, 0, 0);

  for (int k = 0; k < SIM_QLEARNER_N_FEATURES; k++)
    g_assert_nonnull (sim_qlearner_feature_name (k));
  g_assert_cmpstr (sim_qlearner_feature_name (SIM_QLEARNER_TOWARD_CORNER), ==,
                   "toward_corner");
}

static SimQLearner *
make_learner (guint32 seed,
              int     hidden)
{
  SimConfig config;

  sim_config_init_default (&config);
  config.agent = SIM_AGENT_QLEARNER;
  config.seed = seed;
  if (hidden > 0)
    {
      config.perception = SIM_PERCEPTION_HIDDEN;
      config.perception_param = hidden;
    }
  return sim_qlearner_new (&config);
}

/* Same seed, same weights; training in pieces equals training in one go; it stops at 2000. */
static void
test_deterministic_and_resumable (void)
{
  g_autoptr (SimQLearner) a = make_learner (3, 0);
  g_autoptr (SimQLearner) b = make_learner (3, 0);
  g_autoptr (SimQLearner) c = make_learner (4, 0);
  double saved[SIM_QLEARNER_N_FEATURES];

  g_assert_cmpint (sim_qlearner_episodes_done (a), ==, 0);
  /* w0 = 0.01·N(0, I): small and seed-dependent. */
  for (int k = 0; k < SIM_QLEARNER_N_FEATURES; k++)
    g_assert_cmpfloat (fabs (sim_qlearner_weights (a)[k]), <, 0.06);
  g_assert_cmpmem (sim_qlearner_weights (a), sizeof saved, sim_qlearner_weights (b),
                   sizeof saved);
  g_assert_true (memcmp (sim_qlearner_weights (a), sim_qlearner_weights (c),
                         sizeof saved) != 0);

  g_assert_cmpint (sim_qlearner_train (a, SIM_QLEARNER_EPISODES), ==, SIM_QLEARNER_EPISODES);
  g_assert_cmpint (sim_qlearner_train (b, 700), ==, 700);
  g_assert_cmpint (sim_qlearner_episodes_done (b), ==, 700);
  g_assert_cmpint (sim_qlearner_train (b, 1), ==, 701);
  g_assert_cmpint (sim_qlearner_train (b, 5000), ==, SIM_QLEARNER_EPISODES);
  g_assert_cmpmem (sim_qlearner_weights (a), sizeof saved, sim_qlearner_weights (b),
                   sizeof saved);

  memcpy (saved, sim_qlearner_weights (a), sizeof saved);
  g_assert_cmpint (sim_qlearner_train (a, 10), ==, SIM_QLEARNER_EPISODES);
  g_assert_cmpmem (sim_qlearner_weights (a), sizeof saved, saved, sizeof saved);
}

/* The evaluation policy is softmax(Q/0.05), the same at every step. */
static void
test_policy (void)
{
  g_autoptr (SimQLearner) q = make_learner (5, 0);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimLevel) level = NULL;
  g_autoptr (SimPolicy) policy = NULL;
  g_autofree double *psi = NULL;
  const double *w;
  int n;

  sim_qlearner_train (q, 300);
  w = sim_qlearner_weights (q);
  gsl_rng_set (rng, 8);
  level = sim_scenario_generate (SIM_SCENARIO_COIN, 8, SIM_DIST_TEST, rng);
  n = level->width * level->height;
  policy = sim_qlearner_policy (q, level);
  g_assert_cmpint (policy->horizon, ==, level->horizon);
  g_assert_cmpint (policy->n_states, ==, n);

  psi = g_new (double, (gsize) n * SIM_N_ACTIONS * SIM_QLEARNER_N_FEATURES);
  sim_qlearner_features (level, TRUE, psi);
  for (int s = 0; s < n; s++)
    {
      double qv[SIM_N_ACTIONS];
      double z = 0.0;
      double sum = 0.0;

      for (int a = 0; a < SIM_N_ACTIONS; a++)
        {
          qv[a] = 0.0;
          for (int k = 0; k < SIM_QLEARNER_N_FEATURES; k++)
            qv[a] += w[k] * psi_at (psi, s, a)[k];
        }
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        z += exp ((qv[a] - qv[0]) / 0.05);
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        {
          double want = exp ((qv[a] - qv[0]) / 0.05) / z;
          g_assert_cmpfloat_with_epsilon (policy->prob[s * SIM_N_ACTIONS + a], want, 1e-9);
          sum += policy->prob[s * SIM_N_ACTIONS + a];
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
    }
  for (int t = 1; t < policy->horizon; t++)
    g_assert_cmpmem (policy->prob + (gsize) t * n * SIM_N_ACTIONS,
                     sizeof (double) * n * SIM_N_ACTIONS, policy->prob,
                     sizeof (double) * n * SIM_N_ACTIONS);
  gsl_rng_free (rng);
}

/* One full run learns the training task, and hiding the coin moves weight to the corner. */
static void
test_learns (void)
{
  g_autoptr (SimQLearner) full = make_learner (1, 0);
  g_autoptr (SimQLearner) hidden = make_learner (1, 30);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  const double *wf, *wh;
  double train_coin = 0.0;

  sim_qlearner_train (full, SIM_QLEARNER_EPISODES);
  sim_qlearner_train (hidden, SIM_QLEARNER_EPISODES);
  wf = sim_qlearner_weights (full);
  wh = sim_qlearner_weights (hidden);
  g_test_message ("full: %.3f %.3f %.3f %.3f %.3f %.3f", wf[0], wf[1], wf[2], wf[3], wf[4],
                  wf[5]);
  g_test_message ("hidden: %.3f %.3f %.3f %.3f %.3f %.3f", wh[0], wh[1], wh[2], wh[3], wh[4],
                  wh[5]);
  /* Lava is to be avoided and the coin (or the corner) approached. */
  g_assert_cmpfloat (wf[SIM_QLEARNER_INTO_LAVA], <, -0.5);
  g_assert_cmpfloat (wf[SIM_QLEARNER_TOWARD_COIN], >, 0.2);
  g_assert_cmpfloat (wh[SIM_QLEARNER_TOWARD_CORNER], >, wh[SIM_QLEARNER_TOWARD_COIN]);
  g_assert_cmpfloat (wh[SIM_QLEARNER_TOWARD_CORNER], >, wf[SIM_QLEARNER_TOWARD_CORNER]);

  gsl_rng_set (rng, 77);
  for (int i = 0; i < 16; i++)
    {
      g_autoptr (SimLevel) level = sim_scenario_generate (SIM_SCENARIO_COIN, 8, SIM_DIST_TRAIN,
                                                          rng);
      g_autoptr (SimPolicy) policy = sim_qlearner_policy (full, level);
      SimOutcome out;

      sim_policy_evaluate (policy, level, &out);
      train_coin += out.target / 16;
    }
  g_test_message ("train coin %.3f", train_coin);
  g_assert_cmpfloat (train_coin, >=, 0.5);
  gsl_rng_free (rng);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/agents/qlearner/features-by-hand", test_features_by_hand);
  g_test_add_func ("/engine/agents/qlearner/deterministic-and-resumable",
                   test_deterministic_and_resumable);
  g_test_add_func ("/engine/agents/qlearner/policy", test_policy);
  g_test_add_func ("/engine/agents/qlearner/learns", test_learns);

  return g_test_run ();
}
