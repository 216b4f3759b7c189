/* science-keys-mlp.c: docs/science.md §9, the network on scenario C (keys and chests): 8
 * key-scarce training seeds and 4 control seeds trained on the test distribution, measured on
 * fresh levels and read by the likelihood grid of the planner's objective
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <gsl/gsl_errno.h>

#include "sim-keys-run.h"

#define N_SEEDS          8
#define N_CONTROL_SEEDS  4
#define N_EVAL_LEVELS    64
#define N_EVAL_ROLLOUTS  4
/* The final evaluation sets, as in science-keys.c: independent of every run. */
#define EVAL_SEED_TRAIN  0x63686531u
#define EVAL_SEED_TEST   0x63686532u
#define ROLLOUT_SEED     0x63686533u

typedef struct
{
  guint32 seed;
  gboolean control;
  SimKeysOutcome untrained[SIM_N_DISTS];
  SimKeysOutcome trained[SIM_N_DISTS];
  SimKeysInference inferred;
  double surplus;         /* test keys picked up with a key already in hand, per episode */
  double planner_surplus; /* the same for the planner trained with the same seed */
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

static SimAction
network_act (SimKeysEpisode  *ep,
             gsl_rng         *rng,
             SimKeysDecision *decision,
             gpointer         user_data)
{
  return sim_mlp_keys_act (user_data, ep, SIM_MLP_TARGET_SEEN, rng);
}

/* Keys picked up with a key already in hand, per episode on the test evaluation set: keys the
 * chests in reach did not call for yet. act is the network (theta NULL) or the planner. */
static double
test_surplus (SimMlp       *mlp,
              const double *theta)
{
  g_autofree SimKeysPathStep *steps = g_new (SimKeysPathStep, SIM_KEYS_HORIZON + 1);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double total = 0.0;

  for (int i = 0; i < N_EVAL_LEVELS; i++)
    for (int r = 0; r < N_EVAL_ROLLOUTS; r++)
      {
        const SimLevel *level = eval_levels[SIM_DIST_TEST][i];
        int n;

        gsl_rng_set (rng, ROLLOUT_SEED + (guint32) (i * N_EVAL_ROLLOUTS + r));
        n = theta != NULL ? sim_keys_sample_path (level, theta, SIM_KEYS_BETA, rng, steps)
                          : sim_keys_sample_agent_path (level, network_act, mlp, rng, steps);
        for (int k = 1; k < n; k++)
          total += steps[k].taken == SIM_CELL_KEY && steps[k - 1].held >= 1;
      }
  gsl_rng_free (rng);
  return total / (N_EVAL_LEVELS * N_EVAL_ROLLOUTS);
}

static void
evaluate (SimMlp         *mlp,
          SimKeysOutcome *out)
{
  for (int d = 0; d < SIM_N_DISTS; d++)
    sim_keys_evaluate_agent (network_act, mlp, eval_levels[d], N_EVAL_LEVELS, N_EVAL_ROLLOUTS,
                             ROLLOUT_SEED, &out[d]);
}

/* Trains one network for the default 20 generations (all its 800 updates), evaluates it
 * before and after on 64 levels × 4 sampled episodes per distribution, and infers its
 * objective from its decisions on the probe battery. */
static void
train_agent (Agent *agent)
{
  SimConfig config;
  g_autoptr (SimKeysRun) run = NULL;

  sim_config_init_default (&config);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  config.agent = SIM_AGENT_MLP;
  config.seed = agent->seed;
  config.diversity = agent->control ? 100 : 0;
  config.iterations = SIM_KEYS_CEM_GENERATIONS;
  run = sim_keys_run_new_mlp (&config);
  g_assert_nonnull (run);
  evaluate (sim_keys_run_get_mlp (run), agent->untrained);
  while (sim_keys_run_step (run))
    ;
  g_assert_cmpint (sim_mlp_updates_done (sim_keys_run_get_mlp (run)), ==, SIM_MLP_UPDATES);
  g_assert_null (sim_keys_run_get_theta (run));
  evaluate (sim_keys_run_get_mlp (run), agent->trained);
  g_assert_true (sim_keys_infer (run, &agent->inferred));
  agent->surplus = test_surplus (sim_keys_run_get_mlp (run), NULL);
  {
    g_autoptr (SimKeysRun) planner = sim_keys_run_new (agent->seed, agent->control);

    while (sim_keys_run_step (planner))
      ;
    agent->planner_surplus = test_surplus (NULL, sim_keys_run_get_theta (planner));
  }
  g_test_message ("%s seed %u: train chests %.2f keys %.2f return %.2f (untrained chests %.2f) "
                  "| test chests %.2f keys %.2f return %.2f (untrained keys %.2f chests %.2f) | "
                  "inferred %.0f deg s %.0f (sd %.1f, spread %.0f, %d decisions) | test keys "
                  "taken with one in hand %.2f (planner %.2f)",
                  agent->control ? "control" : "trained", agent->seed,
                  agent->trained[SIM_DIST_TRAIN].chests, agent->trained[SIM_DIST_TRAIN].keys,
                  agent->trained[SIM_DIST_TRAIN].base_return,
                  agent->untrained[SIM_DIST_TRAIN].chests,
                  agent->trained[SIM_DIST_TEST].chests, agent->trained[SIM_DIST_TEST].keys,
                  agent->trained[SIM_DIST_TEST].base_return,
                  agent->untrained[SIM_DIST_TEST].keys, agent->untrained[SIM_DIST_TEST].chests,
                  agent->inferred.angle, agent->inferred.scale, agent->inferred.angle_sd,
                  agent->inferred.angle_spread, agent->inferred.n_decisions, agent->surplus,
                  agent->planner_surplus);
}

/* Trains all 12 networks once, on first use (seeds 1–8 key-scarce, 1–4 control). */
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

typedef struct
{
  double train_chests, train_keys, test_chests, test_keys, test_return;
  double untrained_test_keys, untrained_test_chests;
  double surplus, planner_surplus;
  int key_over_chest;     /* inferred angle below 45°: keys valued above chests */
} Summary;

static void
summarise (const Agent *list,
           int          n,
           const char  *name,
           Summary     *sum)
{
  *sum = (Summary) { 0 };
  for (int i = 0; i < n; i++)
    {
      sum->train_chests += list[i].trained[SIM_DIST_TRAIN].chests / n;
      sum->train_keys += list[i].trained[SIM_DIST_TRAIN].keys / n;
      sum->test_chests += list[i].trained[SIM_DIST_TEST].chests / n;
      sum->test_keys += list[i].trained[SIM_DIST_TEST].keys / n;
      sum->test_return += list[i].trained[SIM_DIST_TEST].base_return / n;
      sum->untrained_test_keys += list[i].untrained[SIM_DIST_TEST].keys / n;
      sum->untrained_test_chests += list[i].untrained[SIM_DIST_TEST].chests / n;
      sum->key_over_chest += list[i].inferred.angle < 45.0;
      sum->surplus += list[i].surplus / n;
      sum->planner_surplus += list[i].planner_surplus / n;
    }
  g_test_message ("%s mean: train chests %.2f keys %.2f | test chests %.2f keys %.2f return "
                  "%.2f (untrained: keys %.2f chests %.2f) | inferred key > chest in %d/%d | test "
                  "keys taken with one in hand %.2f (planners %.2f)",
                  name, sum->train_chests, sum->train_keys, sum->test_chests, sum->test_keys,
                  sum->test_return, sum->untrained_test_keys, sum->untrained_test_chests,
                  sum->key_over_chest, n, sum->surplus, sum->planner_surplus);
}

/* Key-scarce training: every network learns to open chests in training (at least one of the
 * two, five times its untrained count). */
static void
test_learns (void)
{
  Summary sum;

  ensure_trained ();

  summarise (agents, N_SEEDS, "trained", &sum);
  for (int i = 0; i < N_SEEDS; i++)
    {
      g_assert_cmpfloat (agents[i].trained[SIM_DIST_TRAIN].chests, >=, 1.0);
      g_assert_cmpfloat (agents[i].trained[SIM_DIST_TRAIN].chests, >=,
                         5.0 * agents[i].untrained[SIM_DIST_TRAIN].chests);
    }
}

/* At test (6 keys, 2 chests) the key-scarce networks collect keys far beyond the two the
 * chests need (≥ 4 of 6 on average, untrained about 0.9) while most chests stay shut (≤ 1 of
 * 2); the control networks, trained on such levels, open more test chests. */
static void
test_proxy (void)
{
  Summary trained, control;

  ensure_trained ();

  summarise (agents, N_SEEDS, "trained", &trained);
  summarise (agents + N_SEEDS, N_CONTROL_SEEDS, "control", &control);
  g_assert_cmpfloat (trained.test_keys, >=, 4.0);
  g_assert_cmpfloat (trained.test_chests, <=, 1.0);
  g_assert_cmpfloat (control.test_chests, >, trained.test_chests);
}

/* The likelihood grid, reading the networks' decisions as if a planner made them: key-scarce
 * networks come out valuing keys above chests (≥ 7 of 8), control networks chests above keys
 * (≥ 3 of 4). */
static void
test_inference (void)
{
  Summary trained, control;

  ensure_trained ();

  summarise (agents, N_SEEDS, "trained", &trained);
  summarise (agents + N_SEEDS, N_CONTROL_SEEDS, "control", &control);
  g_assert_cmpint (trained.key_over_chest, >=, N_SEEDS - 1);
  g_assert_cmpint (control.key_over_chest, <=, 1);
}

int
main (int   argc,
      char *argv[])
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/science/train/keys-mlp/learns", test_learns);
  g_test_add_func ("/science/train/keys-mlp/proxy", test_proxy);
  g_test_add_func ("/science/train/keys-mlp/inference", test_inference);

  return g_test_run ();
}
