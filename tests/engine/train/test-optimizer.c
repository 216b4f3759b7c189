/* test-optimizer.c: training-level draws, the pgn step and the CEM generation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim-optimizer.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (gsl_rng, gsl_rng_free)

static gboolean
coin_at_corner (const SimLevel *level)
{
  return sim_level_get (level, level->width - 1, level->height - 1) == SIM_CELL_COIN;
}

/* Diversity and hidden percentages are honoured per level; radius gives two-phase levels. */
static void
test_draw_level (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  SimConfig config;
  int n_test = 0, n_hidden = 0;
  const int n = 400;

  gsl_rng_set (rng, 1);
  sim_config_init_default (&config);
  for (int i = 0; i < 20; i++)
    {
      g_autoptr (SimPlanLevel) pl = sim_optimizer_draw_level (&config, rng);

      g_assert_true (coin_at_corner (sim_plan_level_get_level (pl)));
      g_assert_cmpint (sim_plan_level_get_sight (pl), ==, SIM_SIGHT_FULL);
    }

  config.diversity = 100;
  for (int i = 0; i < 20; i++)
    {
      g_autoptr (SimPlanLevel) pl = sim_optimizer_draw_level (&config, rng);

      g_assert_false (coin_at_corner (sim_plan_level_get_level (pl)));
    }

  config.diversity = 25;
  config.perception = SIM_PERCEPTION_HIDDEN;
  config.perception_param = 30;
  for (int i = 0; i < n; i++)
    {
      g_autoptr (SimPlanLevel) pl = sim_optimizer_draw_level (&config, rng);

      n_test += !coin_at_corner (sim_plan_level_get_level (pl));
      n_hidden += sim_plan_level_get_sight (pl) == SIM_SIGHT_HIDDEN;
    }
  /* Binomial(400, p): four standard deviations are about 0.09 around the percentages. */
  g_assert_cmpfloat (fabs ((double) n_test / n - 0.25), <, 0.09);
  g_assert_cmpfloat (fabs ((double) n_hidden / n - 0.30), <, 0.09);

  config.perception = SIM_PERCEPTION_RADIUS;
  config.perception_param = 3;
  {
    g_autoptr (SimPlanLevel) pl = sim_optimizer_draw_level (&config, rng);
    g_assert_cmpint (sim_plan_level_get_sight (pl), ==, SIM_SIGHT_RADIUS);
  }
}

/* The first pgn step, replayed by hand from the same generator stream: θ0 = 0.05·N(0, I), 32
 * levels, then θ1 = θ0 + 0.05·g/‖g‖ with g the exact mean gradient (the average of one
 * gradient points along it). */
static void
test_pgn_step (void)
{
  SimConfig config;
  g_autoptr (SimOptimizer) opt = NULL;
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  SimPlanLevel *levels[SIM_OPTIMIZER_LEVELS];
  double theta0[SIM_MAX_FEATURES], g[SIM_MAX_FEATURES];
  double norm = 0.0, step = 0.0;
  int nf;

  sim_config_init_default (&config);
  config.seed = 42;
  opt = sim_optimizer_new (&config, NULL);
  g_assert_nonnull (opt);
  nf = sim_optimizer_get_n_features (opt);
  g_assert_cmpint (nf, ==, 7);
  g_assert_true (isnan (sim_optimizer_get_last_fitness (opt)));
  g_assert_null (sim_optimizer_get_sd (opt));

  gsl_rng_set (rng, 42);
  for (int f = 0; f < nf; f++)
    {
      theta0[f] = 0.05 * gsl_ran_gaussian (rng, 1.0);
      g_assert_cmpfloat (theta0[f], ==, sim_optimizer_get_theta (opt)[f]);
    }
  for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
    levels[i] = sim_optimizer_draw_level (&config, rng);
  sim_optimizer_mean_return (planner, levels, SIM_OPTIMIZER_LEVELS, theta0, g);
  for (int f = 0; f < nf; f++)
    norm += g[f] * g[f];
  norm = sqrt (norm);
  g_assert_cmpfloat (norm, >, 0.0);

  sim_optimizer_step (opt);
  g_assert_cmpint (sim_optimizer_get_iteration (opt), ==, 1);
  for (int f = 0; f < nf; f++)
    {
      double want = theta0[f] + 0.05 * g[f] / norm;
      double got = sim_optimizer_get_theta (opt)[f];

      g_assert_cmpfloat_with_epsilon (got, want, 1e-12);
      step += (got - theta0[f]) * (got - theta0[f]);
    }
  g_assert_cmpfloat_with_epsilon (sqrt (step), 0.05, 1e-12);
  g_assert_false (isnan (sim_optimizer_get_last_fitness (opt)));

  for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
    sim_plan_level_free (levels[i]);
}

static double
norm_of (const double *v,
         int           n)
{
  double s = 0.0;

  for (int i = 0; i < n; i++)
    s += v[i] * v[i];
  return sqrt (s);
}

/* pgn's step schedule: 0.05 for the first 60 % of the run, then geometric down to 0.0002 at
 * the last iteration, never rising; runs too short to have a decay stay within the two. */
static void
test_pgn_schedule (void)
{
  double prev = INFINITY;

  for (int t = 0; t < 60; t++)
    {
      double eta = sim_optimizer_pgn_step_length (t, 60);

      if (t <= 36)
        g_assert_cmpfloat (eta, ==, SIM_PGN_STEP);
      g_assert_cmpfloat (eta, <=, prev);
      prev = eta;
    }
  g_assert_cmpfloat_with_epsilon (sim_optimizer_pgn_step_length (48, 60),
                                  0.05 * pow (0.0002 / 0.05, 12.0 / 23.0), 1e-15);
  g_assert_cmpfloat_with_epsilon (sim_optimizer_pgn_step_length (59, 60), 0.0002, 1e-15);
  g_assert_cmpfloat_with_epsilon (sim_optimizer_pgn_step_length (999, 1000), 0.0002, 1e-15);
  g_assert_cmpfloat (sim_optimizer_pgn_step_length (599, 1000), ==, SIM_PGN_STEP);
  for (int n = 1; n <= 5; n++)
    for (int t = 0; t < n + 2; t++)
      {
        double eta = sim_optimizer_pgn_step_length (t, n);

        g_assert_true (isfinite (eta));
        g_assert_cmpfloat (eta, <=, SIM_PGN_STEP);
        g_assert_cmpfloat (eta, >=, SIM_PGN_STEP_FINAL - 1e-15);
      }
}

/* The second pgn step, replayed by hand: it goes along the average m2 = 0.5·(0.5·g0) + 0.5·g1
 * of the raw gradients, normalised, with the step length of iteration 1; and the last step of
 * a 60-iteration run is no longer than 0.0002. */
static void
test_pgn_average (void)
{
  SimConfig config;
  g_autoptr (SimOptimizer) opt = NULL;
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  SimPlanLevel *levels[2][SIM_OPTIMIZER_LEVELS];
  double theta[SIM_MAX_FEATURES], g0[SIM_MAX_FEATURES], g1[SIM_MAX_FEATURES];
  double m[SIM_MAX_FEATURES], theta_before[SIM_MAX_FEATURES];
  double norm0 = 0.0, norm_m = 0.0, last = 0.0;
  int nf;

  sim_config_init_default (&config);
  config.seed = 7;
  opt = sim_optimizer_new (&config, NULL);
  nf = sim_optimizer_get_n_features (opt);

  gsl_rng_set (rng, 7);
  for (int f = 0; f < nf; f++)
    theta[f] = 0.05 * gsl_ran_gaussian (rng, 1.0);
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
      levels[k][i] = sim_optimizer_draw_level (&config, rng);

  sim_optimizer_mean_return (planner, levels[0], SIM_OPTIMIZER_LEVELS, theta, g0);
  for (int f = 0; f < nf; f++)
    norm0 += g0[f] * g0[f];
  for (int f = 0; f < nf; f++)
    theta[f] += 0.05 * g0[f] / sqrt (norm0);
  sim_optimizer_step (opt);
  for (int f = 0; f < nf; f++)
    g_assert_cmpfloat_with_epsilon (sim_optimizer_get_theta (opt)[f], theta[f], 1e-12);

  sim_optimizer_mean_return (planner, levels[1], SIM_OPTIMIZER_LEVELS, theta, g1);
  for (int f = 0; f < nf; f++)
    {
      m[f] = 0.25 * g0[f] + 0.5 * g1[f];
      norm_m += m[f] * m[f];
    }
  g_assert_cmpfloat (norm_m, >, 0.0);
  g_assert_cmpfloat (norm_of (theta, nf), <, 0.9);   /* no projection in this step */
  sim_optimizer_step (opt);
  for (int f = 0; f < nf; f++)
    g_assert_cmpfloat_with_epsilon (sim_optimizer_get_theta (opt)[f],
                                    theta[f] + sim_optimizer_pgn_step_length (1, 60) * m[f] /
                                               sqrt (norm_m), 1e-12);

  while (sim_optimizer_get_iteration (opt) < 59)
    sim_optimizer_step (opt);
  memcpy (theta_before, sim_optimizer_get_theta (opt), sizeof (double) * nf);
  sim_optimizer_step (opt);
  for (int f = 0; f < nf; f++)
    last += pow (sim_optimizer_get_theta (opt)[f] - theta_before[f], 2);
  g_test_message ("last step %.2g", sqrt (last));
  g_assert_cmpfloat (sqrt (last), <=, SIM_PGN_STEP_FINAL + 1e-12);

  for (int k = 0; k < 2; k++)
    for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
      sim_plan_level_free (levels[k][i]);
}

/* pgn climbs: on a fixed set of training levels the return after 15 steps beats θ0's, and θ
 * never leaves the unit ball. */
static void
test_pgn_improves (void)
{
  SimConfig config;
  g_autoptr (SimOptimizer) opt = NULL;
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  SimPlanLevel *levels[16];
  double theta0[SIM_MAX_FEATURES];
  double before, after;

  sim_config_init_default (&config);
  config.seed = 3;
  opt = sim_optimizer_new (&config, NULL);
  memcpy (theta0, sim_optimizer_get_theta (opt), sizeof theta0);
  gsl_rng_set (rng, 99);
  for (int i = 0; i < 16; i++)
    levels[i] = sim_optimizer_draw_level (&config, rng);
  before = sim_optimizer_mean_return (planner, levels, 16, theta0, NULL);
  for (int k = 0; k < 15; k++)
    {
      sim_optimizer_step (opt);
      g_assert_cmpfloat (norm_of (sim_optimizer_get_theta (opt), 7), <=, 1.0 + 1e-12);
    }
  after = sim_optimizer_mean_return (planner, levels, 16, sim_optimizer_get_theta (opt), NULL);
  g_test_message ("mean return %.3f -> %.3f", before, after);
  g_assert_cmpfloat (after, >, before + 0.3);
  for (int i = 0; i < 16; i++)
    sim_plan_level_free (levels[i]);
}

/* pg: the first Adam step moves every coordinate by the learning rate in the gradient's sign
 * (m̂/√v̂ = g/|g| at t = 1), unlike pgn's step along g/‖g‖; later steps keep θ in the ball. */
static void
test_pg_adam (void)
{
  SimConfig config;
  g_autoptr (SimOptimizer) opt = NULL;
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  SimPlanLevel *levels[SIM_OPTIMIZER_LEVELS];
  double theta0[SIM_MAX_FEATURES], g[SIM_MAX_FEATURES];
  int nf;

  sim_config_init_default (&config);
  config.seed = 42;
  config.optimizer = SIM_OPTIMIZER_PG;
  opt = sim_optimizer_new (&config, NULL);
  g_assert_nonnull (opt);
  nf = sim_optimizer_get_n_features (opt);
  memcpy (theta0, sim_optimizer_get_theta (opt), sizeof theta0);

  /* Replay the optimizer's stream: θ0 draws, then the step's levels. */
  gsl_rng_set (rng, 42);
  for (int f = 0; f < nf; f++)
    gsl_ran_gaussian (rng, 1.0);
  for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
    levels[i] = sim_optimizer_draw_level (&config, rng);
  sim_optimizer_mean_return (planner, levels, SIM_OPTIMIZER_LEVELS, theta0, g);

  sim_optimizer_step (opt);
  for (int f = 0; f < nf; f++)
    {
      double want = theta0[f] + (g[f] > 0 ? 0.05 : g[f] < 0 ? -0.05 : 0.0);

      g_assert_cmpfloat_with_epsilon (sim_optimizer_get_theta (opt)[f], want, 1e-6);
    }
  for (int k = 0; k < 30; k++)
    {
      sim_optimizer_step (opt);
      g_assert_cmpfloat (norm_of (sim_optimizer_get_theta (opt), nf), <=, 1.0 + 1e-12);
    }
  for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
    sim_plan_level_free (levels[i]);
}

/* A CEM generation: the spread update keeps every sd at least 0.3·sd + 0.02, the mean stays in
 * the ball, the reported fitness is the best candidate's, and a few generations improve the
 * mean's return. */
static void
test_cem (void)
{
  SimConfig config;
  g_autoptr (SimOptimizer) opt = NULL;
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  SimPlanLevel *levels[16];
  double sd_before[SIM_MAX_FEATURES];
  double before, after;

  sim_config_init_default (&config);
  config.optimizer = SIM_OPTIMIZER_CEM;
  config.seed = 5;
  opt = sim_optimizer_new (&config, NULL);
  g_assert_nonnull (sim_optimizer_get_sd (opt));
  for (int f = 0; f < 7; f++)
    g_assert_cmpfloat (sim_optimizer_get_sd (opt)[f], ==, 0.5);

  gsl_rng_set (rng, 77);
  for (int i = 0; i < 16; i++)
    levels[i] = sim_optimizer_draw_level (&config, rng);
  before = sim_optimizer_mean_return (planner, levels, 16, sim_optimizer_get_theta (opt), NULL);
  for (int k = 0; k < 4; k++)
    {
      memcpy (sd_before, sim_optimizer_get_sd (opt), sizeof sd_before);
      sim_optimizer_step (opt);
      for (int f = 0; f < 7; f++)
        {
          double sd = sim_optimizer_get_sd (opt)[f];

          g_assert_cmpfloat (sd, >=, 0.3 * sd_before[f] + 0.02 - 1e-12);
          /* Elite members lie in the unit ball, so their spread is at most 1 per axis. */
          g_assert_cmpfloat (sd, <=, 0.7 * 1.0 + 0.3 * sd_before[f] + 0.02 + 1e-12);
        }
      g_assert_cmpfloat (norm_of (sim_optimizer_get_theta (opt), 7), <=, 1.0 + 1e-12);
    }
  after = sim_optimizer_mean_return (planner, levels, 16, sim_optimizer_get_theta (opt), NULL);
  g_test_message ("mean return %.3f -> %.3f", before, after);
  g_assert_cmpfloat (after, >, before + 0.3);
  /* The best candidate of a generation cannot do worse than a random walker by much. */
  g_assert_cmpfloat (sim_optimizer_get_last_fitness (opt), >, before);
  for (int i = 0; i < 16; i++)
    sim_plan_level_free (levels[i]);
}

/* Same seed, same θ bit for bit; another seed, another θ. */
static void
test_determinism (void)
{
  SimOptimizerKind kinds[] = { SIM_OPTIMIZER_PGN, SIM_OPTIMIZER_CEM };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      SimConfig config;
      g_autoptr (SimOptimizer) a = NULL;
      g_autoptr (SimOptimizer) b = NULL;
      g_autoptr (SimOptimizer) c = NULL;

      sim_config_init_default (&config);
      config.optimizer = kinds[k];
      config.perception = SIM_PERCEPTION_HIDDEN;
      config.perception_param = 50;
      config.diversity = 30;
      a = sim_optimizer_new (&config, NULL);
      b = sim_optimizer_new (&config, NULL);
      config.seed = 2;
      c = sim_optimizer_new (&config, NULL);
      for (int i = 0; i < 2; i++)
        {
          sim_optimizer_step (a);
          sim_optimizer_step (b);
          sim_optimizer_step (c);
        }
      g_assert_cmpmem (sim_optimizer_get_theta (a), 7 * sizeof (double),
                       sim_optimizer_get_theta (b), 7 * sizeof (double));
      g_assert_true (memcmp (sim_optimizer_get_theta (a), sim_optimizer_get_theta (c),
                             7 * sizeof (double)) != 0);
    }
}

static void
test_refuse (void)
{
  SimConfig config;
  g_autoptr (GError) error = NULL;

  sim_config_init_default (&config);
  config.agent = SIM_AGENT_QLEARNER;
  g_assert_null (sim_optimizer_new (&config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
  g_clear_error (&error);

  sim_config_init_default (&config);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  g_assert_null (sim_optimizer_new (&config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
  g_clear_error (&error);

  sim_config_init_default (&config);
  config.grid = 9;
  g_assert_null (sim_optimizer_new (&config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/engine/train/optimizer/draw-level", test_draw_level);
  g_test_add_func ("/engine/train/optimizer/pgn-step", test_pgn_step);
  g_test_add_func ("/engine/train/optimizer/pgn-improves", test_pgn_improves);
  g_test_add_func ("/engine/train/optimizer/pgn-schedule", test_pgn_schedule);
  g_test_add_func ("/engine/train/optimizer/pgn-average", test_pgn_average);
  g_test_add_func ("/engine/train/optimizer/pg-adam", test_pg_adam);
  g_test_add_func ("/engine/train/optimizer/cem", test_cem);
  g_test_add_func ("/engine/train/optimizer/determinism", test_determinism);
  g_test_add_func ("/engine/train/optimizer/refuse", test_refuse);
  return g_test_run ();
}
