/* test-trial.c: the current agent of a run tried on one level (the level editor's "Run Agent"):
 * its paths, the keys and chests it takes, the exact outcome, the same trial every time, and
 * the levels it refuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "sim-keys.h"
#include "sim-train.h"
#include "sim-trial.h"

static SimLevel *
parse_level (const char *scenario,
             const char *map,
             int         width,
             int         height,
             int         horizon)
{
  g_autofree char *text = g_strdup_printf ("mesascope-level 1\nscenario %s\nsize %d %d\n"
                                           "horizon %d\nmap\n%s",
                                           scenario, width, height, horizon, map);
  g_autoptr (GError) error = NULL;
  SimLevel *level = sim_level_parse (text, -1, NULL, &error);

  g_assert_no_error (error);
  return level;
}

/* Start bottom left, coin top right, lava and walls on the way. */
static SimLevel *
coin_level (void)
{
  return parse_level ("coin",
                      ".......C\n"
                      "........\n"
                      "..#.....\n"
                      "........\n"
                      "...LL...\n"
                      "........\n"
                      "........\n"
                      "S.......\n", 8, 8, 24);
}

/* Two keys, two chests. */
static SimLevel *
keys_level (void)
{
  return parse_level ("keys-chests",
                      "......H.\n"
                      "..#.....\n"
                      ".....K..\n"
                      "...#....\n"
                      "S..H....\n"
                      ".....#..\n"
                      ".K..#...\n"
                      "........\n", 8, 8, 24);
}

static SimTrain *
new_agent_train (SimScenarioKind scenario,
                 SimAgentKind    agent,
                 int             steps)
{
  SimConfig config;
  g_autoptr (GError) error = NULL;
  SimTrain *train;

  sim_config_init_default (&config);
  config.scenario = scenario;
  config.agent = agent;
  if (scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      config.optimizer = SIM_OPTIMIZER_CEM;
      config.iterations = 20;
    }
  config.infer_every = 0;
  config.seed = 5;
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  for (int i = 0; i < steps; i++)
    g_assert_true (sim_train_step (train));
  return train;
}

static SimTrain *
new_train (SimScenarioKind scenario,
           int             steps)
{
  return new_agent_train (scenario, SIM_AGENT_PLANNER, steps);
}

/* Every kept path starts at the start and moves at most one cell a step, never into a wall. */
static void
check_paths (const SimTrial *trial,
             const SimLevel *level)
{
  g_assert_cmpint (trial->n_paths, ==, SIM_TRIAL_KEPT_PATHS);
  g_assert_cmpint (trial->room, ==, level->horizon + 1);
  for (int i = 0; i < trial->n_paths; i++)
    {
      const int *path = trial->cells + trial->offsets[i];

      g_assert_cmpint (trial->offsets[i], ==, i * trial->room);
      g_assert_cmpint (trial->lengths[i], >=, 1);
      g_assert_cmpint (trial->lengths[i], <=, trial->room);
      g_assert_cmpint (path[0], ==, level->start);
      for (int k = 1; k < trial->lengths[i]; k++)
        {
          int dx = ABS (path[k] % level->width - path[k - 1] % level->width);
          int dy = ABS (path[k] / level->width - path[k - 1] / level->width);

          g_assert_cmpint (dx + dy, <=, 1);
          g_assert_cmpint (level->cells[path[k]], !=, SIM_CELL_WALL);
        }
    }
}

static gboolean
same_trial (const SimTrial *a,
            const SimTrial *b)
{
  if (a->n_paths != b->n_paths || a->n_samples != b->n_samples || a->keys != b->keys ||
      a->chests != b->chests || a->has_outcome != b->has_outcome ||
      memcmp (a->lengths, b->lengths, sizeof a->lengths) != 0)
    return FALSE;
  for (int i = 0; i < a->n_paths; i++)
    if (memcmp (a->cells + a->offsets[i], b->cells + b->offsets[i],
                sizeof (int) * a->lengths[i]) != 0)
      return FALSE;
  return !a->has_outcome || memcmp (&a->outcome, &b->outcome, sizeof a->outcome) == 0;
}

/* A coin agent: its paths, and the exact outcome of the same agent's policy on the level. */
static void
test_coin (void)
{
  g_autoptr (SimTrain) train = new_train (SIM_SCENARIO_COIN, 2);
  g_autoptr (SimLevel) level = coin_level ();
  g_autoptr (SimTrial) trial = NULL;
  g_autoptr (SimPolicy) policy = NULL;
  g_autoptr (GError) error = NULL;
  SimOutcome expected;

  trial = sim_trial_run (train, level, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trial);
  g_assert_cmpint (trial->iteration, ==, 2);
  g_assert_cmpint (trial->n_iterations, ==, sim_train_get_n_iterations (train));
  check_paths (trial, level);
  g_assert_cmpint (trial->n_samples, ==, SIM_TRIAL_KEPT_PATHS);
  g_assert_cmpfloat (trial->keys, ==, 0);
  g_assert_cmpfloat (trial->chests, ==, 0);

  g_assert_true (trial->has_outcome);
  policy = sim_train_get_policy (train, level);
  sim_policy_evaluate (policy, level, &expected);
  g_assert_cmpfloat (trial->outcome.target, ==, expected.target);
  g_assert_cmpfloat (trial->outcome.proxy, ==, expected.proxy);
  g_assert_cmpfloat (trial->outcome.lava, ==, expected.lava);
  g_assert_cmpfloat (trial->outcome.target + trial->outcome.proxy + trial->outcome.lava, <=,
                     1 + 1e-9);
}

/* The same agent on the same level gives the same trial, from its own generator: trying the
 * agent changes nothing in the run, which trains on exactly as without the trial. */
static void
test_same_twice (void)
{
  g_autoptr (SimTrain) train = new_train (SIM_SCENARIO_COIN, 1);
  g_autoptr (SimTrain) twin = new_train (SIM_SCENARIO_COIN, 1);
  g_autoptr (SimLevel) level = coin_level ();
  g_autoptr (SimTrial) a = sim_trial_run (train, level, NULL);
  g_autoptr (SimTrial) b = sim_trial_run (train, level, NULL);
  g_autoptr (SimTrial) c = sim_trial_run (twin, level, NULL);
  g_autoptr (SimTrial) later = NULL;
  const SimTrainRecord *ra, *rb;
  gboolean paths_differ = FALSE;

  g_assert_true (same_trial (a, b));
  g_assert_true (same_trial (a, c));
  /* The kept paths are samples, not one path eight times. */
  for (int i = 1; i < a->n_paths; i++)
    paths_differ |= a->lengths[i] != a->lengths[0]
                    || memcmp (a->cells + a->offsets[i], a->cells, sizeof (int) * a->lengths[0]);
  g_assert_true (paths_differ);

  /* The run's generator was left alone: the run that was tried trains on like its twin. */
  g_assert_true (sim_train_step (train));
  g_assert_true (sim_train_step (twin));
  ra = sim_train_get_last (train);
  rb = sim_train_get_last (twin);
  g_assert_cmpfloat (ra->train_return, ==, rb->train_return);
  g_assert_cmpfloat (ra->test_return, ==, rb->test_return);
  g_assert_cmpmem (sim_train_get_theta (train), sizeof (double) * sim_train_get_n_features (train),
                   sim_train_get_theta (twin), sizeof (double) * sim_train_get_n_features (twin));
  /* A trained agent is another agent. */
  later = sim_trial_run (train, level, NULL);
  g_assert_cmpint (later->iteration, ==, 2);
}

/* Keys and chests: no exact outcome; the counts are the means of sim_keys_count_pickups() over
 * SIM_TRIAL_COUNTED_PATHS paths drawn from a generator seeded with SIM_TRIAL_SEED, the kept
 * paths first; for the planner and the network alike. */
static void
check_keys (SimAgentKind agent)
{
  g_autoptr (SimTrain) train = new_agent_train (SIM_SCENARIO_KEYS_CHESTS, agent, 1);
  g_autoptr (SimLevel) level = keys_level ();
  g_autoptr (SimTrial) trial = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree int *cells = g_new (int, level->horizon + 1);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  int sum_keys = 0, sum_chests = 0;

  trial = sim_trial_run (train, level, &error);
  g_assert_no_error (error);
  check_paths (trial, level);
  g_assert_false (trial->has_outcome);
  g_assert_cmpint (trial->n_samples, ==, SIM_TRIAL_COUNTED_PATHS);

  gsl_rng_set (rng, SIM_TRIAL_SEED);
  for (int i = 0; i < SIM_TRIAL_COUNTED_PATHS; i++)
    {
      int n = sim_train_sample_path (train, level, rng, cells);
      int keys, chests;

      if (i < SIM_TRIAL_KEPT_PATHS)
        {
          g_assert_cmpint (n, ==, trial->lengths[i]);
          g_assert_cmpmem (cells, sizeof (int) * n, trial->cells + trial->offsets[i],
                           sizeof (int) * n);
        }
      sim_keys_count_pickups (level, cells, n, &keys, &chests);
      g_assert_cmpint (chests, <=, keys);
      sum_keys += keys;
      sum_chests += chests;
    }
  gsl_rng_free (rng);
  g_test_message ("keys %.3f, chests %.3f", trial->keys, trial->chests);
  g_assert_cmpfloat_with_epsilon (trial->keys, (double) sum_keys / SIM_TRIAL_COUNTED_PATHS,
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (trial->chests, (double) sum_chests / SIM_TRIAL_COUNTED_PATHS,
                                  1e-12);
  g_assert_cmpfloat (trial->keys, >, 0);
  g_assert_cmpfloat (trial->keys, <=, 2);
  g_assert_cmpfloat (trial->chests, <=, trial->keys);
}

static void
test_keys (void)
{
  check_keys (SIM_AGENT_PLANNER);
}

static void
test_keys_network (void)
{
  check_keys (SIM_AGENT_MLP);
}

/* A level of another scenario than the agent's, and a level without a start, are refused. */
static void
test_refused (void)
{
  g_autoptr (SimTrain) coin = new_train (SIM_SCENARIO_COIN, 0);
  g_autoptr (SimTrain) keys = new_train (SIM_SCENARIO_KEYS_CHESTS, 0);
  g_autoptr (SimLevel) coin_lvl = coin_level ();
  g_autoptr (SimLevel) keys_lvl = keys_level ();
  g_autoptr (SimLevel) green = sim_level_copy (coin_lvl);
  g_autoptr (SimLevel) no_start = sim_level_copy (coin_lvl);
  g_autoptr (GError) error = NULL;

  green->scenario = SIM_SCENARIO_GREEN_EXIT;
  g_assert_null (sim_trial_run (coin, green, &error));
  g_assert_error (error, SIM_TRIAL_ERROR, SIM_TRIAL_ERROR_SCENARIO);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_null (sim_trial_run (coin, keys_lvl, &error));
  g_assert_error (error, SIM_TRIAL_ERROR, SIM_TRIAL_ERROR_SCENARIO);
  g_clear_error (&error);
  g_assert_null (sim_trial_run (keys, coin_lvl, &error));
  g_assert_error (error, SIM_TRIAL_ERROR, SIM_TRIAL_ERROR_SCENARIO);
  g_clear_error (&error);

  no_start->start = -1;
  g_assert_null (sim_trial_run (coin, no_start, &error));
  g_assert_error (error, SIM_TRIAL_ERROR, SIM_TRIAL_ERROR_NO_START);
  g_clear_error (&error);

  /* The agent of the right scenario is tried. */
  {
    g_autoptr (SimTrial) trial = sim_trial_run (keys, keys_lvl, &error);

    g_assert_no_error (error);
    g_assert_nonnull (trial);
  }
}

int
main (int   argc,
      char *argv[])
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/train/trial/coin", test_coin);
  g_test_add_func ("/engine/train/trial/same-twice", test_same_twice);
  g_test_add_func ("/engine/train/trial/keys", test_keys);
  g_test_add_func ("/engine/train/trial/keys-network", test_keys_network);
  g_test_add_func ("/engine/train/trial/refused", test_refused);

  return g_test_run ();
}
