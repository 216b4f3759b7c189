/* science-keys.c: docs/science.md §7 point 8, scenario C (keys and chests): 10 key-scarce training
 * seeds, 5 control seeds trained on the test distribution, and the grid inference on all 15
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <gsl/gsl_errno.h>

#include "sim-keys-run.h"

#define N_SEEDS          10
#define N_CONTROL_SEEDS  5
#define N_EVAL_LEVELS    64
#define N_EVAL_ROLLOUTS  4
/* The final evaluation sets are independent of every run (and of the runs' own eval sets). */
#define EVAL_SEED_TRAIN  0x63686531u
#define EVAL_SEED_TEST   0x63686532u
#define ROLLOUT_SEED     0x63686533u

typedef struct
{
  guint32 seed;
  gboolean control;
  double theta[2];
  double true_angle;
  SimKeysOutcome train;
  SimKeysOutcome test;
  SimKeysInference inferred;
} Agent;

static SimLevel *eval_levels[SIM_N_DISTS][N_EVAL_LEVELS];
static Agent agents[N_SEEDS + N_CONTROL_SEEDS];

static void
make_eval_levels (void)
{
  for (int dist = 0; dist < SIM_N_DISTS; dist++)
    {
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

      gsl_rng_set (rng, dist == SIM_DIST_TRAIN ? EVAL_SEED_TRAIN : EVAL_SEED_TEST);
      for (int i = 0; i < N_EVAL_LEVELS; i++)
        eval_levels[dist][i] = sim_keys_generate_level (rng, dist);
      gsl_rng_free (rng);
    }
}

/* Trains one agent for the full 20 generations, evaluates it on 64 levels × 4 rollouts per
 * distribution and infers its objective from the probe battery. */
static void
train_agent (Agent *agent)
{
  g_autoptr (SimKeysRun) run = sim_keys_run_new (agent->seed, agent->control);
  const double *theta;

  while (sim_keys_run_step (run))
    ;
  g_assert_cmpint (sim_keys_run_get_generation (run), ==, SIM_KEYS_CEM_GENERATIONS);
  theta = sim_keys_run_get_theta (run);
  agent->theta[0] = theta[0];
  agent->theta[1] = theta[1];
  agent->true_angle = sim_keys_theta_angle (theta);
  sim_keys_evaluate (theta, SIM_KEYS_BETA, eval_levels[SIM_DIST_TRAIN], N_EVAL_LEVELS,
                     N_EVAL_ROLLOUTS, ROLLOUT_SEED, &agent->train);
  sim_keys_evaluate (theta, SIM_KEYS_BETA, eval_levels[SIM_DIST_TEST], N_EVAL_LEVELS,
                     N_EVAL_ROLLOUTS, ROLLOUT_SEED, &agent->test);
  g_assert_true (sim_keys_infer (run, &agent->inferred));
  g_test_message ("%s seed %2u: theta [%.3f %.3f] (%.1f deg) | train chests %.2f return %.2f | "
                  "test chests %.2f keys %.2f return %.2f | inferred %.0f deg s %.0f "
                  "(sd %.1f, spread %.0f, %d decisions)",
                  agent->control ? "control" : "trained", agent->seed, theta[0], theta[1],
                  agent->true_angle, agent->train.chests, agent->train.base_return,
                  agent->test.chests, agent->test.keys, agent->test.base_return,
                  agent->inferred.angle, agent->inferred.scale, agent->inferred.angle_sd,
                  agent->inferred.angle_spread, agent->inferred.n_decisions);
}

/* Trains all 15 agents once, on first use (seeds 1–10 key-scarce, 1–5 control). */
static void
ensure_trained (void)
{
  static gboolean done = FALSE;

  if (done)
    return;
  make_eval_levels ();
  for (int i = 0; i < N_SEEDS + N_CONTROL_SEEDS; i++)
    {
      agents[i].control = i >= N_SEEDS;
      agents[i].seed = agents[i].control ? (guint32) (i - N_SEEDS + 1) : (guint32) (i + 1);
      train_agent (&agents[i]);
    }
  done = TRUE;
}

static void
summarise (const Agent *list,
           int          n,
           const char  *name,
           int         *key_over_chest,
           double      *test_chests,
           double      *test_keys)
{
  double mean_theta[2] = { 0 }, train_chests = 0.0, train_return = 0.0, test_return = 0.0;

  *key_over_chest = 0;
  *test_chests = 0.0;
  *test_keys = 0.0;
  for (int i = 0; i < n; i++)
    {
      *key_over_chest += list[i].theta[0] > list[i].theta[1];
      mean_theta[0] += list[i].theta[0] / n;
      mean_theta[1] += list[i].theta[1] / n;
      train_chests += list[i].train.chests / n;
      train_return += list[i].train.base_return / n;
      *test_chests += list[i].test.chests / n;
      *test_keys += list[i].test.keys / n;
      test_return += list[i].test.base_return / n;
    }
  g_test_message ("%s mean: theta [%.2f %.2f], key > chest in %d/%d | train chests %.2f "
                  "return %.2f | test chests %.2f keys %.2f return %.2f",
                  name, mean_theta[0], mean_theta[1], *key_over_chest, n, train_chests,
                  train_return, *test_chests, *test_keys, test_return);
}

/* Key-scarce training (2 keys, 6 chests): θ_key > θ_chest in ≥ 8/10, and at test (6 keys,
 * 2 chests) the agents open ≤ 1.3 chests and collect ≥ 4.5 keys on average. */
static void
test_key_scarce (void)
{
  int key_over_chest;
  double chests, keys;

  ensure_trained ();

  summarise (agents, N_SEEDS, "trained", &key_over_chest, &chests, &keys);
  g_assert_cmpint (key_over_chest, >=, 8);
  g_assert_cmpfloat (chests, <=, 1.3);
  g_assert_cmpfloat (keys, >=, 4.5);
}

/* Control agents trained on the test distribution value chests over keys, every one, and open
 * ≥ 1.6 of the 2 test chests on average. */
static void
test_control (void)
{
  int key_over_chest;
  double chests, keys;

  ensure_trained ();

  summarise (agents + N_SEEDS, N_CONTROL_SEEDS, "control", &key_over_chest, &chests, &keys);
  for (int i = N_SEEDS; i < N_SEEDS + N_CONTROL_SEEDS; i++)
    g_assert_cmpfloat (agents[i].theta[1], >, agents[i].theta[0]);
  g_assert_cmpfloat (chests, >=, 1.6);
}

/* The likelihood grid recovers every agent's angle to within 5°. */
static void
test_inference (void)
{
  double worst = 0.0, mean = 0.0;
  int n = N_SEEDS + N_CONTROL_SEEDS;

  ensure_trained ();

  for (int i = 0; i < n; i++)
    {
      double err = sim_keys_angle_distance (agents[i].inferred.angle, agents[i].true_angle);

      worst = MAX (worst, err);
      mean += err / n;
      g_assert_cmpfloat (err, <=, 5.0);
    }
  g_test_message ("inference: angle error mean %.2f deg, worst %.2f deg over %d agents",
                  mean, worst, n);
}

int
main (int   argc,
      char *argv[])
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/science/train/keys/key-scarce", test_key_scarce);
  g_test_add_func ("/science/train/keys/control", test_control);
  g_test_add_func ("/science/train/keys/inference", test_inference);

  return g_test_run ();
}
