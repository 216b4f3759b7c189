/* test-policy.c: policies, episode sampling and exact evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sim-level.h"
#include "sim-policy.h"
#include "sim-scenario.h"

static double *
prob_at (SimPolicy *policy,
         int        t,
         int        s)
{
  return policy->prob + ((gsize) t * policy->n_states + s) * SIM_N_ACTIONS;
}

/* The same action distribution at every time and state. */
static SimPolicy *
stationary_policy (const SimLevel *level,
                   const double    p[SIM_N_ACTIONS])
{
  int n = level->width * level->height;
  SimPolicy *policy = sim_policy_new (level->horizon, n);

  for (int t = 0; t < level->horizon; t++)
    for (int s = 0; s < n; s++)
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        prob_at (policy, t, s)[a] = p[a];
  return policy;
}

/* "S . C" with right or stay at 1/2 each, T = 3. By hand:
 * target = P(at least 2 rights in 3) = 1/2;
 * proxy (cells x ≥ 1, alive at T) = P(exactly one right in 3) = 3/8;
 * steps taken = 1 + 1 + P(not done after 2) = 2.75, so the base return is 1/2 − 0.02·2.75. */
static void
test_hand_corridor (void)
{
  const char *text = "mesascope-level 1\nscenario coin\nsize 3 2\nhorizon 3\nmap\n"
                     "###\n"
                     "S.C\n";
  const double p[SIM_N_ACTIONS] = { 0, 0, 0, 0.5, 0.5 };
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, NULL);
  g_autoptr (SimPolicy) policy = NULL;
  SimOutcome out;

  g_assert_nonnull (level);
  policy = stationary_policy (level, p);
  sim_policy_evaluate (policy, level, &out);
  g_assert_cmpfloat_with_epsilon (out.target, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.lava, 0.0, 1e-12);
  /* The proxy block is x ≥ 1, y ≥ 0: the middle cell (y = 0) and the walls above. */
  g_assert_cmpfloat_with_epsilon (out.proxy, 0.375, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.base_return, 0.5 - 0.02 * 2.75, 1e-12);
}

/* "L S C", T = 2, left 0.2, right 0.3, stay 0.5:
 * target = 0.3 + 0.5·0.3 = 0.45; lava = 0.2 + 0.5·0.2 = 0.3; alive on S at T: 0.25 (in the
 * proxy block); return = 0.45 − 0.3 − 0.02·(1 + 0.5) = 0.12. */
static void
test_hand_lava (void)
{
  const char *text = "mesascope-level 1\nscenario coin\nsize 3 2\nhorizon 2\nmap\n"
                     "###\n"
                     "LSC\n";
  const double p[SIM_N_ACTIONS] = { 0, 0, 0.2, 0.3, 0.5 };
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, NULL);
  g_autoptr (SimPolicy) policy = NULL;
  SimOutcome out;

  g_assert_nonnull (level);
  policy = stationary_policy (level, p);
  sim_policy_evaluate (policy, level, &out);
  g_assert_cmpfloat_with_epsilon (out.target, 0.45, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.lava, 0.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.proxy, 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.base_return, 0.12, 1e-12);
}

/* The policy is time-indexed: staying first and moving later differs from the reverse, and
 * a longer level horizon than the policy's is cut to the policy's. */
static void
test_time_indexed (void)
{
  const char *text = "mesascope-level 1\nscenario green-exit\nsize 3 2\nhorizon 3\nmap\n"
                     "..G\n"
                     "S.E\n";
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, NULL);
  g_autoptr (SimPolicy) policy = sim_policy_new (3, 6);
  SimOutcome out;
  guint8 mask[6];

  g_assert_nonnull (level);
  for (int s = 0; s < 6; s++)
    {
      prob_at (policy, 0, s)[SIM_ACTION_UP] = 1.0;
      prob_at (policy, 1, s)[SIM_ACTION_RIGHT] = 1.0;
      prob_at (policy, 2, s)[SIM_ACTION_RIGHT] = 1.0;
    }
  /* Up, right, right: ends on G at (2, 1) after 3 steps, never entering the exit. */
  sim_policy_evaluate (policy, level, &out);
  g_assert_cmpfloat (out.target, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (out.proxy, 1.0, 1e-12);
  /* Green is worth 0 and each step −0.02. */
  g_assert_cmpfloat_with_epsilon (out.base_return, -0.06, 1e-12);
  sim_level_proxy_mask (level, mask);
  g_assert_cmpint (mask[5], ==, 1);

  /* Right, right: enters E at t = 1 and stops there. */
  for (int s = 0; s < 6; s++)
    {
      prob_at (policy, 0, s)[SIM_ACTION_UP] = 0.0;
      prob_at (policy, 0, s)[SIM_ACTION_RIGHT] = 1.0;
    }
  sim_policy_evaluate (policy, level, &out);
  g_assert_cmpfloat_with_epsilon (out.target, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.proxy, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (out.base_return, 1.0 - 0.04, 1e-12);

  /* With a one-step policy the episode is one step long. */
  {
    g_autoptr (SimPolicy) short_policy = sim_policy_new (1, 6);
    int cells[4];
    gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

    for (int s = 0; s < 6; s++)
      prob_at (short_policy, 0, s)[SIM_ACTION_RIGHT] = 1.0;
    sim_policy_evaluate (short_policy, level, &out);
    g_assert_cmpfloat (out.target, ==, 0.0);
    g_assert_cmpfloat_with_epsilon (out.base_return, -0.02, 1e-12);
    g_assert_cmpint (sim_policy_sample (short_policy, level, rng, cells), ==, 2);
    g_assert_cmpint (cells[1], ==, 1);
    gsl_rng_free (rng);
  }
}

/* On generated levels the exact outcome equals the mean of many sampled episodes. */
static void
test_matches_sampling (void)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  const int n_episodes = 20000;

  gsl_rng_set (rng, 99);
  for (int scenario = SIM_SCENARIO_COIN; scenario <= SIM_SCENARIO_GREEN_EXIT; scenario++)
    for (int k = 0; k < 3; k++)
      {
        g_autoptr (SimLevel) level = sim_scenario_generate (scenario, 8,
                                                            k % 2 ? SIM_DIST_TEST
                                                                  : SIM_DIST_TRAIN, rng);
        int n = level->width * level->height;
        g_autoptr (SimPolicy) policy = sim_policy_new (level->horizon, n);
        g_autofree int *cells = g_new (int, level->horizon + 1);
        g_autofree double *phi = g_new (double, (gsize) n * SIM_MAX_FEATURES);
        g_autofree guint8 *mask = g_new (guint8, n);
        double theta[SIM_MAX_FEATURES];
        int nf = sim_features_count (scenario, TRUE);
        double target = 0, proxy = 0, lava = 0, ret = 0;
        SimOutcome out;

        /* A random time-indexed policy with a drift up and right. */
        for (int t = 0; t < level->horizon; t++)
          for (int s = 0; s < n; s++)
            {
              double *p = prob_at (policy, t, s);
              double sum = 0;
              for (int a = 0; a < SIM_N_ACTIONS; a++)
                {
                  p[a] = gsl_rng_uniform (rng) + (a == SIM_ACTION_UP || a == SIM_ACTION_RIGHT);
                  sum += p[a];
                }
              for (int a = 0; a < SIM_N_ACTIONS; a++)
                p[a] /= sum;
            }

        sim_features_compute (level, TRUE, TRUE, phi);
        sim_features_base (scenario, TRUE, theta);
        sim_level_proxy_mask (level, mask);
        for (int e = 0; e < n_episodes; e++)
          {
            int len = sim_policy_sample (policy, level, rng, cells);
            int last = cells[len - 1];
            SimCell c = level->cells[last];

            g_assert_cmpint (cells[0], ==, level->start);
            g_assert_cmpint (len, >=, 1);
            g_assert_cmpint (len, <=, level->horizon + 1);
            for (int i = 1; i < len; i++)
              {
                int d = abs (cells[i] % 8 - cells[i - 1] % 8) + abs (cells[i] / 8 - cells[i - 1] / 8);
                g_assert_cmpint (d, <=, 1);
                g_assert_cmpint (level->cells[cells[i]], !=, SIM_CELL_WALL);
                /* Only the last cell may be terminal. */
                if (i < len - 1)
                  g_assert_false (sim_cell_is_terminal (level->cells[cells[i]]));
                for (int f = 0; f < nf; f++)
                  ret += theta[f] * phi[cells[i] * nf + f];
              }
            if (sim_cell_is_terminal (c))
              {
                target += sim_cell_is_target (scenario, c);
                lava += c == SIM_CELL_LAVA;
              }
            else
              {
                g_assert_cmpint (len, ==, level->horizon + 1);
                proxy += mask[last];
              }
          }
        target /= n_episodes;
        proxy /= n_episodes;
        lava /= n_episodes;
        ret /= n_episodes;

        sim_policy_evaluate (policy, level, &out);
        g_test_message ("scenario %d level %d: exact %.4f %.4f %.4f %.4f, sampled %.4f %.4f "
                        "%.4f %.4f", scenario, k, out.target, out.proxy, out.lava,
                        out.base_return, target, proxy, lava, ret);
        g_assert_cmpfloat (fabs (out.target - target), <, 0.02);
        g_assert_cmpfloat (fabs (out.proxy - proxy), <, 0.02);
        g_assert_cmpfloat (fabs (out.lava - lava), <, 0.02);
        g_assert_cmpfloat (fabs (out.base_return - ret), <, 0.03);
        g_assert_cmpfloat (out.target + out.lava, <=, 1.0 + 1e-12);
      }
  gsl_rng_free (rng);
}

static void
test_ref_counting (void)
{
  SimPolicy *policy = sim_policy_new (4, 9);
  SimPolicy *again;

  g_assert_cmpint (policy->horizon, ==, 4);
  g_assert_cmpint (policy->n_states, ==, 9);
  for (int i = 0; i < 4 * 9 * SIM_N_ACTIONS; i++)
    g_assert_cmpfloat (policy->prob[i], ==, 0.0);
  again = sim_policy_ref (policy);
  g_assert_true (again == policy);
  g_assert_cmpint (policy->ref_count, ==, 2);
  sim_policy_unref (again);
  g_assert_cmpint (policy->ref_count, ==, 1);
  sim_policy_unref (policy);
  sim_policy_unref (NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/agents/policy/hand-corridor", test_hand_corridor);
  g_test_add_func ("/engine/agents/policy/hand-lava", test_hand_lava);
  g_test_add_func ("/engine/agents/policy/time-indexed", test_time_indexed);
  g_test_add_func ("/engine/agents/policy/matches-sampling", test_matches_sampling);
  g_test_add_func ("/engine/agents/policy/ref-counting", test_ref_counting);

  return g_test_run ();
}
