/* test-planner-depth.c: the planner's planning depth (a receding horizon)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <gsl/gsl_errno.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim-planner.h"
#include "sim-scenario.h"
#include "sim-train.h"

#define NA SIM_N_ACTIONS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (gsl_rng, gsl_rng_free)

static SimLevel *
coin_level (gsl_rng *rng,
            SimDistribution dist)
{
  return sim_scenario_generate (SIM_SCENARIO_COIN, 8, dist, rng);
}

static void
random_theta (gsl_rng *rng,
              double  *theta)
{
  for (int i = 0; i < 7; i++)
    theta[i] = 0.6 * gsl_ran_gaussian (rng, 1.0);
  sim_ball_project (theta, 7);
}

/* Depth 0 and any depth of at least the horizon are today's planner, to the bit. */
static void
test_full_depth_unchanged (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) a = sim_planner_new ();
  g_autoptr (SimPlanner) b = sim_planner_new ();

  gsl_rng_set (rng, 4);
  for (int trial = 0; trial < 6; trial++)
    {
      g_autoptr (SimLevel) level = coin_level (rng, SIM_DIST_TRAIN);
      g_autoptr (SimPlanLevel) pl = sim_plan_level_new (level, TRUE, SIM_SIGHT_RADIUS, 3);
      double theta[7], ga[7], gb[7];
      SimPlanResult ra, rb;

      random_theta (rng, theta);
      sim_planner_set_depth (b, trial % 2 == 0 ? level->horizon : level->horizon + 5);
      g_assert_true (sim_planner_solve (a, pl, theta, SIM_PLANNER_BETA, &ra, ga));
      g_assert_true (sim_planner_solve (b, pl, theta, SIM_PLANNER_BETA, &rb, gb));
      g_assert_true (memcmp (&ra, &rb, sizeof ra) == 0);
      g_assert_true (memcmp (ga, gb, sizeof ga) == 0);
    }
}

/* An independent reference for full sight: at step t the agent follows the first step of a
 * fresh soft value iteration over the next h = min(depth, T − t) steps. */
static void
reference_row (const SimLevel *level,
               const double   *theta,
               int             h,
               int             s,
               double         *pi)
{
  int n = level->width * level->height;
  g_autofree double *phi = g_new0 (double, (gsize) n * 7);
  g_autofree double *r = g_new0 (double, n);
  g_autofree double *V = g_new0 (double, n);
  g_autofree double *Vn = g_new0 (double, n);
  g_autofree double *Q = g_new0 (double, (gsize) n * NA);

  sim_features_compute (level, TRUE, TRUE, phi);
  for (int c = 0; c < n; c++)
    for (int j = 0; j < 7; j++)
      r[c] += theta[j] * phi[c * 7 + j];
  for (int k = 0; k < h; k++)
    {
      for (int c = 0; c < n; c++)
        {
          double m = -G_MAXDOUBLE, z = 0.0;

          for (int a = 0; a < NA; a++)
            {
              int c2 = sim_level_step (level, c, (SimAction) a);
              gboolean term = sim_cell_is_terminal (
                                                    (SimCell) level->cells[c2]);

              Q[c * NA + a] = r[c2] + (term ? 0.0 : Vn[c2]);
              m = MAX (m, Q[c * NA + a]);
            }
          for (int a = 0; a < NA; a++)
            z += exp (SIM_PLANNER_BETA * (Q[c * NA + a] - m));
          V[c] = m + log (z) / SIM_PLANNER_BETA;
        }
      memcpy (Vn, V, sizeof (double) * n);
    }
  {
    double m = -G_MAXDOUBLE, z = 0.0;

    for (int a = 0; a < NA; a++)
      m = MAX (m, Q[s * NA + a]);
    for (int a = 0; a < NA; a++)
      z += pi[a] = exp (SIM_PLANNER_BETA * (Q[s * NA + a] - m));
    for (int a = 0; a < NA; a++)
      pi[a] /= z;
  }
}

static void
test_receding_horizon (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  static const int depths[] = { 1, 2, 5, 11 };
  double worst = 0.0;

  gsl_rng_set (rng, 9);
  for (guint k = 0; k < G_N_ELEMENTS (depths); k++)
    {
      g_autoptr (SimLevel) level = coin_level (rng, SIM_DIST_TEST);
      int n = level->width * level->height;
      double theta[7];
      g_autoptr (SimPolicy) policy = NULL;

      random_theta (rng, theta);
      policy = sim_planner_policy_at_depth (theta, level, TRUE, SIM_PLANNER_BETA, depths[k]);
      g_assert_nonnull (policy);
      for (int t = 0; t < level->horizon; t += 3)
        for (int s = 0; s < n; s += 5)
          {
            double pi[NA];

            if (level->cells[s] == SIM_CELL_WALL ||
                sim_cell_is_terminal ((SimCell) level->cells[s]))
              continue;
            reference_row (level, theta, MIN (depths[k], level->horizon - t), s, pi);
            for (int a = 0; a < NA; a++)
              worst = MAX (worst, fabs (pi[a] - policy->prob[((gsize) t * n + s) * NA + a]));
          }
    }
  g_test_message ("largest difference from the reference policy: %.3g", worst);
  g_assert_cmpfloat (worst, <=, 1e-9);
}

static double
forward_return (SimPlanner         *planner,
                const SimPlanLevel *pl,
                const double       *theta)
{
  SimPlanResult res;

  g_assert_true (sim_planner_solve (planner, pl, theta, SIM_PLANNER_BETA, &res, NULL));
  return res.base_return;
}

/* ∇J of the expected base return against central differences for shallow planners, with
 * every sight; and the forward return against the backward policy evaluation. */
static void
test_gradient (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  static const SimSight sights[] = { SIM_SIGHT_FULL, SIM_SIGHT_HIDDEN, SIM_SIGHT_RADIUS };
  static const int depths[] = { 1, 3, 8 };
  const double eps = 1e-5;
  double worst = 0.0;
  int n_checked = 0;

  gsl_rng_set (rng, 17);
  for (guint d = 0; d < G_N_ELEMENTS (depths); d++)
    for (guint k = 0; k < G_N_ELEMENTS (sights); k++)
      for (int trial = 0; trial < 3; trial++)
        {
          g_autoptr (SimLevel) level = coin_level (rng, SIM_DIST_TEST);
          g_autoptr (SimPlanLevel) pl = sim_plan_level_new (level, TRUE, sights[k], 3);
          double theta[7], grad[7];
          double diff2 = 0.0, norm2 = 0.0;
          SimPlanResult res;

          sim_planner_set_depth (planner, depths[d]);
          random_theta (rng, theta);
          g_assert_true (sim_planner_solve (planner, pl, theta, SIM_PLANNER_BETA, &res, grad));
          g_assert_cmpfloat (fabs (res.base_return - res.backward_return), <=, 1e-9);
          for (int i = 0; i < 7; i++)
            {
              double th[7], fd;

              memcpy (th, theta, sizeof th);
              th[i] = theta[i] + eps;
              fd = forward_return (planner, pl, th);
              th[i] = theta[i] - eps;
              fd = (fd - forward_return (planner, pl, th)) / (2 * eps);
              diff2 += (fd - grad[i]) * (fd - grad[i]);
              norm2 += fd * fd;
            }
          /* Relative where the gradient is not negligible; a flat return (a shallow planner
           * that never nears the coin) must give a flat gradient. */
          if (norm2 > 1e-10)
            {
              worst = MAX (worst, sqrt (diff2 / norm2));
              g_assert_cmpfloat (sqrt (diff2 / norm2), <=, 1e-4);
            }
          else
            {
              g_assert_cmpfloat (sqrt (diff2), <=, 1e-9);
            }
          n_checked += norm2 > 1e-10;
        }
  g_test_message ("worst relative gradient error %.3g over %d gradients", worst, n_checked);
  g_assert_cmpint (n_checked, >=, 20);
}

/* Looking ahead matters: with a reward only on the coin and a cost per step, a planner that
 * looks one step ahead finds a coin beyond its reach by chance, while the full planner goes
 * for it. Over test levels the full planner reaches the coin far more often. */
static void
test_shallow_planner_is_weaker (void)
{
  static const double theta[7] = { 0.95, -0.2, 0, 0, 0, 0, -0.2 };
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  double full = 0.0, greedy = 0.0;

  gsl_rng_set (rng, 23);
  for (int i = 0; i < 16; i++)
    {
      g_autoptr (SimLevel) level = coin_level (rng, SIM_DIST_TEST);
      g_autoptr (SimPlanLevel) pl = sim_plan_level_new (level, TRUE, SIM_SIGHT_FULL, 0);
      SimPlanResult res;

      sim_planner_set_depth (planner, 0);
      g_assert_true (sim_planner_solve (planner, pl, theta, SIM_PLANNER_BETA, &res, NULL));
      full += res.target / 16;
      sim_planner_set_depth (planner, 1);
      g_assert_true (sim_planner_solve (planner, pl, theta, SIM_PLANNER_BETA, &res, NULL));
      greedy += res.target / 16;
    }
  g_test_message ("reaches the coin: full depth %.3f, depth 1 %.3f", full, greedy);
  g_assert_cmpfloat (full, >=, 0.9);
  g_assert_cmpfloat (greedy, <=, full - 0.3);
}

/* The configuration carries the depth into training: a run's agent plans at that depth
 * (its policy is sim_planner_policy_at_depth()'s, and its evaluation differs from the full
 * planner's with the same θ), and a depth is refused for agents that do not plan. */
static void
test_training_depth (void)
{
  SimConfig config;
  g_autoptr (SimTrain) full = NULL;
  g_autoptr (SimTrain) shallow = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimLevel) level = NULL;
  g_autoptr (SimPolicy) policy = NULL;
  g_autoptr (SimPolicy) expected = NULL;
  gsize cells;

  sim_config_init_default (&config);
  config.iterations = 3;
  config.infer_every = 0;
  full = sim_train_new (&config, &error);
  g_assert_no_error (error);
  config.planning_depth = 2;
  g_assert_true (sim_config_validate (&config, NULL));
  shallow = sim_train_new (&config, &error);
  g_assert_no_error (error);
  /* The same seed, so the same initial θ and levels: the first evaluation differs only by
   * how far the agent looks. */
  g_assert_true (sim_train_step (full));
  g_assert_true (sim_train_step (shallow));
  g_test_message ("after one iteration, train reaches-coin: full %.4f, depth 2 %.4f",
                  sim_train_get_last (full)->train_target,
                  sim_train_get_last (shallow)->train_target);
  g_assert_cmpfloat (sim_train_get_last (full)->train_target, !=,
                     sim_train_get_last (shallow)->train_target);

  gsl_rng_set (rng, 3);
  level = coin_level (rng, SIM_DIST_TEST);
  policy = sim_train_get_policy (shallow, level);
  expected = sim_planner_policy_at_depth (sim_train_get_theta (shallow), level, TRUE,
                                          SIM_PLANNER_BETA, 2);
  cells = (gsize) level->horizon * level->width * level->height * NA;
  g_assert_true (memcmp (policy->prob, expected->prob, sizeof (double) * cells) == 0);

  config.agent = SIM_AGENT_QLEARNER;
  g_assert_false (sim_config_validate (&config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
  g_clear_error (&error);
  config.agent = SIM_AGENT_PLANNER;
  config.planning_depth = -1;
  g_assert_false (sim_config_validate (&config, NULL));
  config.planning_depth = SIM_CONFIG_MAX_PLANNING_DEPTH + 1;
  g_assert_false (sim_config_validate (&config, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_func ("/engine/agents/planner-depth/full-depth-unchanged", test_full_depth_unchanged);
  g_test_add_func ("/engine/agents/planner-depth/receding-horizon", test_receding_horizon);
  g_test_add_func ("/engine/agents/planner-depth/gradient", test_gradient);
  g_test_add_func ("/engine/agents/planner-depth/shallow-is-weaker", test_shallow_planner_is_weaker);
  g_test_add_func ("/engine/agents/planner-depth/training", test_training_depth);
  return g_test_run ();
}
