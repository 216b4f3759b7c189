/* test-shown-policy.c: the policy a snapshot carries for each shown level (the level card's
 * arrows)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sim-train.h"

/* A short run of agent on scenario, without inference. */
static SimTrain *
short_run (SimScenarioKind scenario,
           SimAgentKind    agent,
           guint32         seed)
{
  SimConfig config;

  sim_config_init_default (&config);
  config.scenario = scenario;
  config.agent = agent;
  config.optimizer = scenario == SIM_SCENARIO_KEYS_CHESTS ? SIM_OPTIMIZER_CEM : config.optimizer;
  config.iterations = 3;
  config.seed = seed;
  config.infer_every = 0;
  return sim_train_new (&config, NULL);
}

/* For every agent: after a few iterations each shown level's probabilities are the agent's
 * policy at t = 0, and sum to 1 on every cell the agent can stand on. */
static void
test_matches_policy (void)
{
  SimAgentKind agents[] = { SIM_AGENT_PLANNER, SIM_AGENT_QLEARNER, SIM_AGENT_MLP };

  for (guint k = 0; k < G_N_ELEMENTS (agents); k++)
    {
      g_autoptr (SimTrain) train = short_run (SIM_SCENARIO_COIN, agents[k], 5 + k);
      g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();

      g_assert_nonnull (train);
      for (int i = 0; i < 2; i++)
        g_assert_true (sim_train_step (train));
      sim_train_fill_snapshot (train, 3, snapshot);
      for (int d = 0; d < SIM_N_SHOWN; d++)
        {
          const SimShownLevel *shown = &snapshot->shown[d];
          const SimLevel *level = shown->level;
          int n = level->width * level->height, checked = 0;
          g_autoptr (SimPolicy) policy = sim_train_get_policy (train, level);

          g_assert_nonnull (policy);
          g_assert_nonnull (shown->action_prob);
          g_assert_cmpint (policy->n_states, ==, n);
          for (int s = 0; s < n; s++)
            {
              double sum = 0.0;

              for (int a = 0; a < SIM_N_ACTIONS; a++)
                {
                  double p = shown->action_prob[s * SIM_N_ACTIONS + a];

                  g_assert_cmpfloat (p, ==, policy->prob[s * SIM_N_ACTIONS + a]);
                  sum += p;
                }
              if (level->cells[s] == SIM_CELL_WALL)
                continue;
              g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-9);
              checked++;
            }
          g_assert_cmpint (checked, >, n / 4);
        }
    }
}

/* Keys and chests has no policy to show. */
static void
test_keys_chests_none (void)
{
  g_autoptr (SimTrain) train = short_run (SIM_SCENARIO_KEYS_CHESTS, SIM_AGENT_PLANNER, 3);
  g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();

  g_assert_nonnull (train);
  g_assert_true (sim_train_step (train));
  sim_train_fill_snapshot (train, 0, snapshot);
  for (int d = 0; d < SIM_N_SHOWN; d++)
    {
      g_assert_nonnull (snapshot->shown[d].level);
      g_assert_null (snapshot->shown[d].action_prob);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/train/shown-policy/matches-policy", test_matches_policy);
  g_test_add_func ("/engine/train/shown-policy/keys-chests-none", test_keys_chests_none);
  return g_test_run ();
}
