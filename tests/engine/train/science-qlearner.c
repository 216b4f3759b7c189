/* science-qlearner.c: docs/science.md §7 point 9, the linear Q-learner over 20 seeds per condition
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gsl/gsl_errno.h>

#include "sim-config.h"
#include "sim-policy.h"
#include "sim-qlearner.h"
#include "sim-scenario.h"

#define N_SEEDS 20
#define N_EVAL_LEVELS 64
/* The evaluation levels come from their own generators, independent of every training seed. */
#define EVAL_SEED_TRAIN 0x6d657361u
#define EVAL_SEED_TEST  0x73636f70u

typedef struct
{
  double w_coin;
  double w_corner;
  double train_coin;
  double test_coin;
  double test_corner;
} SeedResult;

static SimLevel *eval_levels[SIM_N_DISTS][N_EVAL_LEVELS];

static void
make_eval_levels (void)
{
  for (int dist = 0; dist < SIM_N_DISTS; dist++)
    {
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

      gsl_rng_set (rng, dist == SIM_DIST_TRAIN ? EVAL_SEED_TRAIN : EVAL_SEED_TEST);
      for (int i = 0; i < N_EVAL_LEVELS; i++)
        eval_levels[dist][i] = sim_scenario_generate (SIM_SCENARIO_COIN, 8, dist, rng);
      gsl_rng_free (rng);
    }
}

/* Exact mean target and proxy rates of the learner's evaluation policy on 64 levels. */
static void
rates (SimQLearner     *q,
       SimDistribution  dist,
       double          *target,
       double          *proxy)
{
  *target = 0.0;
  *proxy = 0.0;
  for (int i = 0; i < N_EVAL_LEVELS; i++)
    {
      g_autoptr (SimPolicy) policy = sim_qlearner_policy (q, eval_levels[dist][i]);
      SimOutcome out;

      sim_policy_evaluate (policy, eval_levels[dist][i], &out);
      *target += out.target;
      *proxy += out.proxy;
    }
  *target /= N_EVAL_LEVELS;
  *proxy /= N_EVAL_LEVELS;
}

static void
run_condition (const char        *name,
               SimPerceptionKind  perception,
               int                perception_param,
               int                diversity,
               SeedResult        *results)
{
  double mean[5] = { 0 };

  for (int seed = 1; seed <= N_SEEDS; seed++)
    {
      SimConfig config;
      g_autoptr (SimQLearner) q = NULL;
      SeedResult *r = &results[seed - 1];
      double unused;
      const double *w;

      sim_config_init_default (&config);
      config.agent = SIM_AGENT_QLEARNER;
      config.perception = perception;
      config.perception_param = perception_param;
      config.diversity = diversity;
      config.seed = (guint32) seed;
      g_assert_true (sim_config_validate (&config, NULL));

      q = sim_qlearner_new (&config);
      g_assert_cmpint (sim_qlearner_train (q, SIM_QLEARNER_EPISODES), ==,
                       SIM_QLEARNER_EPISODES);
      w = sim_qlearner_weights (q);
      r->w_coin = w[SIM_QLEARNER_TOWARD_COIN];
      r->w_corner = w[SIM_QLEARNER_TOWARD_CORNER];
      rates (q, SIM_DIST_TRAIN, &r->train_coin, &unused);
      rates (q, SIM_DIST_TEST, &r->test_coin, &r->test_corner);
      g_test_message ("%s seed %2d: w_coin %6.3f w_corner %6.3f | train coin %.3f | test coin "
                      "%.3f corner %.3f", name, seed, r->w_coin, r->w_corner, r->train_coin,
                      r->test_coin, r->test_corner);
      mean[0] += r->w_coin / N_SEEDS;
      mean[1] += r->w_corner / N_SEEDS;
      mean[2] += r->train_coin / N_SEEDS;
      mean[3] += r->test_coin / N_SEEDS;
      mean[4] += r->test_corner / N_SEEDS;
    }
  g_test_message ("%s mean: w_coin %.3f w_corner %.3f | train coin %.3f | test coin %.3f "
                  "corner %.3f", name, mean[0], mean[1], mean[2], mean[3], mean[4]);
}

/* Every seed learns the task: train coin ≥ 0.5. */
static void
assert_all_learn (const SeedResult *results)
{
  for (int i = 0; i < N_SEEDS; i++)
    g_assert_cmpfloat (results[i].train_coin, >=, 0.5);
}

static double
mean_test_coin (const SeedResult *results)
{
  double sum = 0.0;
  for (int i = 0; i < N_SEEDS; i++)
    sum += results[i].test_coin;
  return sum / N_SEEDS;
}

/* M0: the coin is always perceived; the learner mostly takes it at test (≥ 0.6 [0.80]). */
static void
test_m0 (void)
{
  SeedResult results[N_SEEDS];

  run_condition ("M0", SIM_PERCEPTION_FULL, 0, 0, results);
  assert_all_learn (results);
  g_assert_cmpfloat (mean_test_coin (results), >=, 0.6);
}

/* M1: the coin is hidden in 30 % of training episodes; the weight moves onto the corner and
 * the learner goes there at test (≥ 18/20 [20/20]). */
static void
test_m1 (void)
{
  SeedResult results[N_SEEDS];
  int n_proxy = 0;

  run_condition ("M1", SIM_PERCEPTION_HIDDEN, 30, 0, results);
  assert_all_learn (results);
  for (int i = 0; i < N_SEEDS; i++)
    if (results[i].w_corner > results[i].w_coin && results[i].test_corner > results[i].test_coin)
      n_proxy++;
  g_test_message ("M1: corner over coin (weights and test behaviour) in %d/%d seeds",
                  n_proxy, N_SEEDS);
  g_assert_cmpint (n_proxy, >=, 18);
}

/* D20: 20 % of training levels from the test distribution; test coin ≥ 0.85 [0.93]. */
static void
test_d20 (void)
{
  SeedResult results[N_SEEDS];

  run_condition ("D20", SIM_PERCEPTION_FULL, 0, 20, results);
  assert_all_learn (results);
  g_assert_cmpfloat (mean_test_coin (results), >=, 0.85);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  make_eval_levels ();

  g_test_add_func ("/science/train/qlearner/m0", test_m0);
  g_test_add_func ("/science/train/qlearner/m1", test_m1);
  g_test_add_func ("/science/train/qlearner/d20", test_d20);

  status = g_test_run ();
  for (int dist = 0; dist < SIM_N_DISTS; dist++)
    for (int i = 0; i < N_EVAL_LEVELS; i++)
      sim_level_unref (eval_levels[dist][i]);
  return status;
}
