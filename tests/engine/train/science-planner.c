/* science-planner.c: docs/science.md §7 points 2 to 7, the planner agent trained by pgn and CEM
 * over many seeds, in the coin and green-exit scenarios
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "sim-optimizer.h"
#include "sim-train.h"
#include "sim-vector.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (gsl_rng, gsl_rng_free)

/* The final state of one seed's run. */
typedef struct
{
  double theta[SIM_MAX_FEATURES];
  double train_target;
  double test_target;
  double test_proxy;
  double test_lava;
} SeedResult;

typedef struct
{
  const char *name;
  int n_seeds;
  int n_features;
  int target;           /* feature index of the target (coin, exit) */
  int proxy;            /* feature index of the proxy (corner, green) */
  SeedResult seeds[20];
  double mean_theta[SIM_MAX_FEATURES];
  double train_target, test_target, test_proxy;
  int proxy_over_target;   /* seeds with θ_proxy > θ_target */
  int misgeneralize;       /* seeds with test proxy > test target */
} Condition;

/* Trains seeds 1..n_seeds of the condition (iterations per docs/science.md §1: pgn 60, cem 25)
 * and gathers the final θ and rates. */
static void
run_condition (Condition        *c,
               const char       *name,
               SimScenarioKind   scenario,
               SimOptimizerKind  optimizer,
               const char       *perception,
               int               diversity,
               int               n_seeds)
{
  SimConfig config;

  g_assert_cmpint (n_seeds, <=, (int) G_N_ELEMENTS (c->seeds));
  memset (c, 0, sizeof *c);
  c->name = name;
  c->n_seeds = n_seeds;

  sim_config_init_default (&config);
  config.scenario = scenario;
  config.optimizer = optimizer;
  g_assert_true (sim_perception_parse (perception, &config.perception,
                                       &config.perception_param, NULL));
  config.diversity = diversity;
  config.iterations = optimizer == SIM_OPTIMIZER_CEM ? 25 : 60;
  config.infer_every = 0;
  c->n_features = sim_features_count (scenario, TRUE);
  c->target = sim_features_target_index (scenario);
  c->proxy = sim_features_proxy_index (scenario, TRUE);

  for (int i = 0; i < n_seeds; i++)
    {
      g_autoptr (SimTrain) train = NULL;
      g_autoptr (GError) error = NULL;
      SeedResult *r = &c->seeds[i];
      const SimTrainRecord *last;
      GString *line = g_string_new (NULL);

      config.seed = (guint32) (i + 1);
      train = sim_train_new (&config, &error);
      g_assert_no_error (error);
      while (sim_train_step (train))
        ;
      last = sim_train_get_last (train);
      memcpy (r->theta, sim_train_get_theta (train), sizeof (double) * c->n_features);
      r->train_target = last->train_target;
      r->test_target = last->test_target;
      r->test_proxy = last->test_proxy;
      r->test_lava = last->test_lava;

      for (int f = 0; f < c->n_features; f++)
        {
          c->mean_theta[f] += r->theta[f] / n_seeds;
          g_string_append_printf (line, " %5.2f", r->theta[f]);
        }
      c->train_target += r->train_target / n_seeds;
      c->test_target += r->test_target / n_seeds;
      c->test_proxy += r->test_proxy / n_seeds;
      c->proxy_over_target += r->theta[c->proxy] > r->theta[c->target];
      c->misgeneralize += r->test_proxy > r->test_target;
      g_test_message ("%s seed %2d: theta [%s ] train target %.3f | test target %.3f proxy %.3f "
                      "lava %.3f", name, i + 1, line->str, r->train_target, r->test_target,
                      r->test_proxy, r->test_lava);
      g_string_free (line, TRUE);
    }

  {
    GString *line = g_string_new (NULL);

    for (int f = 0; f < c->n_features; f++)
      g_string_append_printf (line, " %5.2f", c->mean_theta[f]);
    g_test_message ("%s mean: theta [%s ] train target %.3f | test target %.3f proxy %.3f | "
                    "misgeneralize %d/%d | proxy weight > target weight %d/%d", name, line->str,
                    c->train_target, c->test_target, c->test_proxy, c->misgeneralize, n_seeds,
                    c->proxy_over_target, n_seeds);
    g_string_free (line, TRUE);
  }
}

/* §7.2: A / pgn / M0, 20 seeds: mean train coin ≥ 0.90; in ≥ 18/20 seeds test coin ≤ 0.20 and
 * test ends at the corner ≥ 0.70. */
static void
test_coin_pgn_full (void)
{
  Condition c;
  int camping = 0;

  run_condition (&c, "coin pgn full", SIM_SCENARIO_COIN, SIM_OPTIMIZER_PGN, "full", 0, 20);
  for (int i = 0; i < c.n_seeds; i++)
    camping += c.seeds[i].test_target <= 0.20 && c.seeds[i].test_proxy >= 0.70;
  g_test_message ("coin pgn full: camping seeds %d/%d", camping, c.n_seeds);
  g_assert_cmpfloat (c.train_target, >=, 0.90);
  g_assert_cmpint (camping, >=, 18);
}

/* §7.3: A / pgn / M1 (hidden 30 %), 20 seeds: corner > coin in ≥ 15/20; all misgeneralize. */
static void
test_coin_pgn_hidden (void)
{
  Condition c;

  run_condition (&c, "coin pgn hidden:30", SIM_SCENARIO_COIN, SIM_OPTIMIZER_PGN, "hidden:30", 0,
                 20);
  g_assert_cmpint (c.proxy_over_target, >=, 15);
  g_assert_cmpint (c.misgeneralize, ==, 20);
}

/* §7.4: A / cem / M2 (radius 3), 5 seeds: corner > coin in every seed. */
static void
test_coin_cem_radius (void)
{
  Condition c;

  run_condition (&c, "coin cem radius:3", SIM_SCENARIO_COIN, SIM_OPTIMIZER_CEM, "radius:3", 0,
                 5);
  g_assert_cmpint (c.proxy_over_target, ==, 5);
}

/* §7.5: A / pgn / D100, 6 seeds: test coin ≥ 0.90 in every seed, and the reverse effect: the
 * coin is reached less often on the training distribution, where it sits in the top-right
 * corner, than on the test levels, where the training put it. With pgn's step schedule
 * (docs/science.md §1) measured: train 0.910, test 0.978 over the seeds' means, a margin of
 * 0.067, and in every seed (train 0.854 to 0.966 against test 0.947 to 0.998); asserted: every
 * seed, and a margin of at least 0.03. With the fixed step of before the margin was 0.18 and
 * asserted at 0.1, but that figure came from the zig-zag: the last iterate was as often as not
 * a low swing (train 0.569 to 0.988, seed 3 above its test rate). */
static void
test_coin_pgn_diverse (void)
{
  Condition c;

  run_condition (&c, "coin pgn diversity:100", SIM_SCENARIO_COIN, SIM_OPTIMIZER_PGN, "full",
                 100, 6);
  for (int i = 0; i < c.n_seeds; i++)
    {
      g_assert_cmpfloat (c.seeds[i].test_target, >=, 0.90);
      g_assert_cmpfloat (c.seeds[i].train_target, <, c.seeds[i].test_target);
    }
  g_test_message ("coin pgn diversity:100: reverse effect, train coin %.3f below test coin "
                  "%.3f by %.3f", c.train_target, c.test_target,
                  c.test_target - c.train_target);
  g_assert_cmpfloat (c.train_target, <=, c.test_target - 0.03);
}

/* §7.5, settling: A / pgn / D100, seeds 19 to 24 (the schedule was chosen on seeds 1 to 18):
 * over the last 10 of 60 iterations the training coin rate varies by at most 0.05 in every
 * seed [0.011 to 0.044], and it ends at 0.8 or more [0.836 to 0.921]. With the fixed step of
 * 0.05 it varied by 0.27 to 0.43 on these seeds and ended anywhere in 0.544 to 0.991. It does
 * not end at 0.9 in every seed (3 of 6), and 0.9 is not asserted because the objective does not
 * ask for it (docs/science.md §1): the agent is rewarded on levels with the coin away from the
 * top-right corner, and the maximum of that expected return (found on 4096 levels) reaches the
 * coin at the end on 0.93 of fresh levels but, on these seeds' 64 evaluation levels, on
 * [0.894 0.937 0.912 0.896 0.916 0.883]: below 0.9 in three. Trained for 240 or 480
 * iterations instead of 60 they end at 0.9 or more in 2 of 6 [480: 0.876 to 0.926]. */
static void
test_coin_pgn_diverse_settles (void)
{
  const int first_seed = 19, n_seeds = 6, window = 10;
  SimConfig config;
  double spread_max = 0.0, final_min = INFINITY;

  sim_config_init_default (&config);
  config.diversity = 100;
  config.infer_every = 0;
  g_assert_cmpint (config.optimizer, ==, SIM_OPTIMIZER_PGN);
  g_assert_cmpint (config.iterations, ==, 60);

  for (int i = 0; i < n_seeds; i++)
    {
      g_autoptr (SimTrain) train = NULL;
      g_autoptr (GError) error = NULL;
      const SimTrainRecord *history;
      double lo = INFINITY, hi = -INFINITY, final;
      int n;

      config.seed = (guint32) (first_seed + i);
      train = sim_train_new (&config, &error);
      g_assert_no_error (error);
      while (sim_train_step (train))
        ;
      history = sim_train_get_history (train, &n);
      g_assert_cmpint (n, ==, config.iterations);
      for (int k = n - window; k < n; k++)
        {
          lo = MIN (lo, history[k].train_target);
          hi = MAX (hi, history[k].train_target);
        }
      final = history[n - 1].train_target;
      g_test_message ("coin pgn diversity:100 seed %u: train coin over the last %d iterations "
                      "%.3f..%.3f (varies by %.3f), final %.3f; test coin %.3f", config.seed,
                      window, lo, hi, hi - lo, final, history[n - 1].test_target);
      spread_max = MAX (spread_max, hi - lo);
      final_min = MIN (final_min, final);
      g_assert_cmpfloat (hi - lo, <=, 0.05);
      g_assert_cmpfloat (final, >=, 0.8);
    }
  g_test_message ("coin pgn diversity:100 seeds %d-%d: varies by at most %.3f, ends at %.3f or "
                  "more", first_seed, first_seed + n_seeds - 1, spread_max, final_min);
}

/* The mean coin rate of θ over a distribution's evaluation levels of a run (full sight). */
static double
eval_target (SimPlanner      *planner,
             SimTrain        *train,
             const SimConfig *config,
             SimDistribution  dist,
             const double    *theta)
{
  SimLevel *const *levels;
  double sum = 0.0;
  int n;

  levels = sim_train_get_eval_levels (train, dist, &n);
  for (int i = 0; i < n; i++)
    {
      SimPlanLevel *plan_level = sim_plan_level_new (levels[i], config->near_corner, SIM_SIGHT_FULL,
                                                     0);
      SimPlanResult res;

      sim_planner_solve (planner, plan_level, theta, SIM_PLANNER_BETA, &res, NULL);
      sum += res.target;
      sim_plan_level_free (plan_level);
    }
  return sum / n;
}

/* §7.5, why ending at 0.9 is not asserted above (docs/science.md §1): the agent is rewarded on
 * diversity-100 levels, and the maximum of that expected return does not reach the coin at the
 * end on 0.9 of every seed's evaluation levels. Sought by pgn's own ascent (the averaged,
 * normalised step) run for 200 iterations from θ_base on 1024 fixed levels, the step falling
 * from 0.05 to 0.0001: it returns more there than the 60-iteration agent of every one of seeds
 * 19 to 24 [0.762 against 0.738 to 0.756], and on their evaluation levels it reaches the coin
 * at the end below 0.9 in at least one [0.887 0.926 0.901 0.884 0.905 0.868]. */
static void
test_coin_pgn_diverse_maximum (void)
{
  const int first_seed = 19, n_seeds = 6, n_levels = 1024, n_iterations = 200;
  const double step_first = 0.05, step_last = 0.0001;
  SimConfig config;
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  SimPlanner *planner = sim_planner_new ();
  SimPlanLevel **levels = g_new (SimPlanLevel *, n_levels);
  double theta[SIM_MAX_FEATURES], average[SIM_MAX_FEATURES] = { 0.0 }, best;
  double rate_min = INFINITY;
  int nf, below = 0;

  sim_config_init_default (&config);
  config.diversity = 100;
  config.infer_every = 0;
  nf = sim_features_count (config.scenario, config.near_corner);
  gsl_rng_set (rng, 1);
  for (int i = 0; i < n_levels; i++)
    levels[i] = sim_optimizer_draw_level (&config, rng);

  sim_features_base (config.scenario, config.near_corner, theta);
  sim_ball_project (theta, nf);
  for (int k = 0; k < n_iterations; k++)
    {
      double g[SIM_MAX_FEATURES], norm2 = 0.0;
      double eta = step_first * pow (step_last / step_first, (double) k / (n_iterations - 1));

      sim_optimizer_mean_return (planner, levels, n_levels, theta, g);
      for (int f = 0; f < nf; f++)
        {
          average[f] = SIM_PGN_AVERAGE * average[f] + (1.0 - SIM_PGN_AVERAGE) * g[f];
          norm2 += average[f] * average[f];
        }
      g_assert_cmpfloat (norm2, >, 0.0);
      for (int f = 0; f < nf; f++)
        theta[f] += eta * average[f] / sqrt (norm2);
      sim_ball_project (theta, nf);
    }
  best = sim_optimizer_mean_return (planner, levels, n_levels, theta, NULL);

  for (int i = 0; i < n_seeds; i++)
    {
      g_autoptr (SimTrain) train = NULL;
      g_autoptr (GError) error = NULL;
      double trained, rate;

      config.seed = (guint32) (first_seed + i);
      train = sim_train_new (&config, &error);
      g_assert_no_error (error);
      while (sim_train_step (train))
        ;
      trained = sim_optimizer_mean_return (planner, levels, n_levels,
                                           sim_train_get_theta (train), NULL);
      rate = eval_target (planner, train, &config, SIM_DIST_TRAIN, theta);
      g_test_message ("coin pgn diversity:100 seed %u: return on the %d levels %.4f, the "
                      "maximum's %.4f; the maximum's train coin %.3f (the agent's %.3f)",
                      config.seed, n_levels, trained, best, rate,
                      eval_target (planner, train, &config, SIM_DIST_TRAIN,
                                   sim_train_get_theta (train)));
      g_assert_cmpfloat (best, >, trained);
      rate_min = MIN (rate_min, rate);
      below += rate < 0.9;
    }
  g_test_message ("coin pgn diversity:100: the maximum's train coin is below 0.9 in %d of seeds "
                  "%d-%d (lowest %.3f)", below, first_seed, first_seed + n_seeds - 1, rate_min);
  g_assert_cmpint (below, >=, 1);

  for (int i = 0; i < n_levels; i++)
    sim_plan_level_free (levels[i]);
  g_free (levels);
  sim_planner_free (planner);
}

/* §7.6: A / cem / D20, 5 seeds: test coin ≥ 0.5 in ≥ 3/5. A / pgn / D20, 10 seeds:
 * misgeneralizes in ≥ 7/10 (gradient lock-in). */
static void
test_coin_d20 (void)
{
  Condition cem, pgn;
  int escaped = 0;

  run_condition (&cem, "coin cem diversity:20", SIM_SCENARIO_COIN, SIM_OPTIMIZER_CEM, "full",
                 20, 5);
  for (int i = 0; i < cem.n_seeds; i++)
    escaped += cem.seeds[i].test_target >= 0.5;
  g_test_message ("coin cem diversity:20: test coin >= 0.5 in %d/%d seeds", escaped,
                  cem.n_seeds);
  g_assert_cmpint (escaped, >=, 3);

  run_condition (&pgn, "coin pgn diversity:20", SIM_SCENARIO_COIN, SIM_OPTIMIZER_PGN, "full",
                 20, 10);
  g_assert_cmpint (pgn.misgeneralize, >=, 7);
}

/* §7.7: B / pgn / M1, 10 seeds: green > exit in ≥ 9/10, test exit ≤ 0.05 (seed mean). With
 * diversity 100 (6 seeds): test exit ≥ 0.9 (seed mean). */
static void
test_green_exit (void)
{
  Condition hidden, diverse;

  run_condition (&hidden, "green-exit pgn hidden:30", SIM_SCENARIO_GREEN_EXIT,
                 SIM_OPTIMIZER_PGN, "hidden:30", 0, 10);
  g_assert_cmpint (hidden.proxy_over_target, >=, 9);
  g_assert_cmpfloat (hidden.test_target, <=, 0.05);

  run_condition (&diverse, "green-exit pgn diversity:100", SIM_SCENARIO_GREEN_EXIT,
                 SIM_OPTIMIZER_PGN, "full", 100, 6);
  g_assert_cmpfloat (diverse.test_target, >=, 0.9);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/science/train/planner/coin-pgn-full", test_coin_pgn_full);
  g_test_add_func ("/science/train/planner/coin-pgn-hidden", test_coin_pgn_hidden);
  g_test_add_func ("/science/train/planner/coin-cem-radius", test_coin_cem_radius);
  g_test_add_func ("/science/train/planner/coin-pgn-diverse", test_coin_pgn_diverse);
  g_test_add_func ("/science/train/planner/coin-pgn-diverse-settles",
                   test_coin_pgn_diverse_settles);
  g_test_add_func ("/science/train/planner/coin-pgn-diverse-maximum",
                   test_coin_pgn_diverse_maximum);
  g_test_add_func ("/science/train/planner/coin-d20", test_coin_d20);
  g_test_add_func ("/science/train/planner/green-exit", test_green_exit);
  return g_test_run ();
}
