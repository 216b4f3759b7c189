/* test-mlp.c: the network agent: its observation, its policy gradient against finite
 * differences, reproducible weights, a short run that learns, and its runs of the keys-chests
 * scenario
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "sim-config.h"
#include "sim-keys-run.h"
#include "sim-train-inference.h"
#include "sim-mlp.h"
#include "sim-policy.h"
#include "sim-scenario.h"
#include "sim-train.h"

static void
mlp_config (SimConfig *config,
            guint32    seed)
{
  sim_config_init_default (config);
  config->agent = SIM_AGENT_MLP;
  config->seed = seed;
}

/* The index of a window input: cell (dx, dy) from the agent, channel c, window W = 7 (8×8). */
static int
input (int dx,
       int dy,
       int c)
{
  return ((dy + 7) * 15 + (dx + 7)) * SIM_MLP_CHANNELS + c;
}

static void
test_observe_by_hand (void)
{
  const char *text = "mesascope-level 1\nscenario coin\nsize 3 3\nhorizon 9\nmap\n"
                     "C#.\n"
                     "..L\n"
                     "S..\n";
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, NULL);
  const char *green_text = "mesascope-level 1\nscenario green-exit\nsize 4 2\nhorizon 4\nmap\n"
                           "....\n"
                           "S.XG\n";
  g_autoptr (SimLevel) green = sim_level_parse (green_text, -1, NULL, NULL);
  SimConfig config;
  g_autoptr (SimMlp) mlp = NULL;
  int active[32];
  double pos[2];
  int centre, n;

  g_assert_nonnull (level);
  g_assert_nonnull (green);
  mlp_config (&config, 1);
  mlp = sim_mlp_new (&config);
  g_assert_cmpint (sim_mlp_n_inputs (mlp), ==, 15 * 15 * SIM_MLP_CHANNELS + 2);
  g_assert_cmpint (sim_mlp_n_params (mlp), ==,
                   (sim_mlp_n_inputs (mlp) + 1 + SIM_N_ACTIONS) * SIM_MLP_HIDDEN +
                   SIM_N_ACTIONS);

  /* From the centre: lava to the right, the coin up-left, the wall above; floor, the start
   * and the cells off the grid are all zero. */
  centre = sim_level_index (level, 1, 1);
  n = sim_mlp_observe (mlp, level, centre, SIM_MLP_TARGET_SEEN, active, pos);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpint (active[0], ==, input (1, 0, SIM_MLP_LAVA));
  g_assert_cmpint (active[1], ==, input (-1, 1, SIM_MLP_COIN));
  g_assert_cmpint (active[2], ==, input (0, 1, SIM_MLP_WALL));
  g_assert_cmpfloat (pos[0], ==, 0.0);
  g_assert_cmpfloat (pos[1], ==, 0.0);

  /* A hidden coin is floor; within a radius it is seen only up close (Manhattan 2 here). */
  n = sim_mlp_observe (mlp, level, centre, SIM_MLP_TARGET_HIDDEN, active, pos);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (active[0], ==, input (1, 0, SIM_MLP_LAVA));
  g_assert_cmpint (active[1], ==, input (0, 1, SIM_MLP_WALL));
  g_assert_cmpint (sim_mlp_observe (mlp, level, centre, 1, active, pos), ==, 2);
  g_assert_cmpint (sim_mlp_observe (mlp, level, centre, 2, active, pos), ==, 3);

  /* From the start (bottom left) the same cells sit elsewhere in the window. */
  n = sim_mlp_observe (mlp, level, level->start, SIM_MLP_TARGET_SEEN, active, pos);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpint (active[0], ==, input (2, 1, SIM_MLP_LAVA));
  g_assert_cmpint (active[1], ==, input (0, 2, SIM_MLP_COIN));
  g_assert_cmpint (active[2], ==, input (1, 2, SIM_MLP_WALL));
  g_assert_cmpfloat (pos[0], ==, -1.0);
  g_assert_cmpfloat (pos[1], ==, -1.0);

  /* An exit on green sets both channels; a hidden exit leaves the green. */
  n = sim_mlp_observe (mlp, green, green->start, SIM_MLP_TARGET_SEEN, active, pos);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpint (active[0], ==, input (2, 0, SIM_MLP_EXIT));
  g_assert_cmpint (active[1], ==, input (2, 0, SIM_MLP_GREEN));
  g_assert_cmpint (active[2], ==, input (3, 0, SIM_MLP_GREEN));
  n = sim_mlp_observe (mlp, green, green->start, SIM_MLP_TARGET_HIDDEN, active, pos);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (active[0], ==, input (2, 0, SIM_MLP_GREEN));
  g_assert_cmpfloat (pos[0], ==, -1.0);
}

/* The policy gradient of the surrogate against central differences on a fixed batch of
 * config's scenario, n_dense inputs after the window. */
static void
check_gradient (SimConfig *config,
                int        n_dense)
{
  g_autoptr (SimMlp) mlp = NULL;
  g_autoptr (SimMlpBatch) batch = NULL;
  g_autofree double *grad = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  const double coef = 0.05, h = 1e-5;
  double *params, worst = 0.0, diff2 = 0.0, norm2 = 0.0;
  int n, checked = 0;

  mlp = sim_mlp_new (config);
  /* A few updates first, so that the policy is no longer nearly uniform. */
  sim_mlp_train (mlp, 20);
  gsl_rng_set (rng, 11);
  batch = sim_mlp_sample_batch (mlp, rng);
  gsl_rng_free (rng);

  n = sim_mlp_n_params (mlp);
  params = sim_mlp_params (mlp);
  grad = g_new (double, n);
  sim_mlp_surrogate (mlp, batch, coef, grad);

  /* Every weight after the first layer's window inputs (position rows, b1, W2, b2); of the
   * window inputs' weights every 29th with a gradient (inputs the batch never saw have none)
   * and every 997th besides. */
  for (int i = 0; i < n; i++)
    {
      double keep = params[i], plus, minus, fd, err;
      gboolean window = i < (sim_mlp_n_inputs (mlp) - n_dense) * SIM_MLP_HIDDEN;

      if (window && !(grad[i] != 0.0 && i % 29 == 0) && i % 997 != 0)
        continue;
      params[i] = keep + h;
      plus = sim_mlp_surrogate (mlp, batch, coef, NULL);
      params[i] = keep - h;
      minus = sim_mlp_surrogate (mlp, batch, coef, NULL);
      params[i] = keep;
      fd = (plus - minus) / (2 * h);
      diff2 += (grad[i] - fd) * (grad[i] - fd);
      norm2 += fd * fd;
      err = fabs (grad[i] - fd) / MAX (fabs (fd), 1e-4);
      worst = MAX (worst, err);
      checked++;
    }
  g_test_message ("gradient: %d of %d weights checked, worst relative error %.2e, overall %.2e",
                  checked, n, worst, sqrt (diff2 / norm2));
  g_assert_cmpint (checked, >, 1000);
  g_assert_cmpfloat (sqrt (diff2 / norm2), <=, 1e-4);
  g_assert_cmpfloat (worst, <=, 1e-4);
}

static void
test_gradient (void)
{
  SimConfig config;

  mlp_config (&config, 5);
  check_gradient (&config, 2);
}

/* Keys and chests: episodes under the real rules, three dense inputs. */
static void
test_keys_gradient (void)
{
  SimConfig config;

  mlp_config (&config, 5);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  check_gradient (&config, 3);
}

/* The index of a keys-chests window input: cell c seen from cell s of level, channel ch. */
static int
keys_input (const SimLevel *level,
            int             s,
            int             c,
            int             ch)
{
  int dx = c % level->width - s % level->width;
  int dy = c / level->width - s / level->width;

  return ((dy + 7) * 15 + (dx + 7)) * SIM_MLP_KEYS_CHANNELS + ch;
}

/* The keys-chests view: walls, keys and chests of the episode's current layout, the chests
 * hidden like a target, and the keys in hand as the third dense input. */
static void
test_observe_keys (void)
{
  const char *text = "mesascope-level 1\nscenario keys-chests\nsize 3 3\nhorizon 9\nmap\n"
                     ".#H\n"
                     "KS.\n"
                     "H..\n";
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, NULL);
  g_autofree SimKeysEpisode *ep = g_new (SimKeysEpisode, 1);
  SimConfig config;
  g_autoptr (SimMlp) mlp = NULL;
  int active[32];
  double dense[3], probs[SIM_N_ACTIONS], sum = 0.0;
  int wall, key, chest_a, chest_b, start, n;

  g_assert_nonnull (level);
  mlp_config (&config, 1);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  mlp = sim_mlp_new (&config);
  g_assert_nonnull (mlp);
  g_assert_cmpint (sim_mlp_n_inputs (mlp), ==, 15 * 15 * SIM_MLP_KEYS_CHANNELS + 3);

  /* The cells by their symbols. */
  start = level->start;
  wall = key = chest_a = chest_b = -1;
  for (int c = 0; c < level->width * level->height; c++)
    {
      if (level->cells[c] == SIM_CELL_WALL)
        wall = c;
      else if (level->cells[c] == SIM_CELL_KEY)
        key = c;
      else if (level->cells[c] == SIM_CELL_CHEST && chest_a < 0)
        chest_a = c;
      else if (level->cells[c] == SIM_CELL_CHEST)
        chest_b = c;
    }
  g_assert_true (wall >= 0 && key >= 0 && chest_a >= 0 && chest_b >= 0);

  sim_keys_episode_reset (ep, level);
  n = sim_mlp_observe_keys (mlp, ep, SIM_MLP_TARGET_SEEN, active, dense);
  g_assert_cmpint (n, ==, 4);
  for (int k = 1; k < n; k++)
    g_assert_cmpint (active[k - 1], <, active[k]);
  {
    const int want[] = { keys_input (level, start, wall, SIM_MLP_KEYS_WALL),
                         keys_input (level, start, key, SIM_MLP_KEYS_KEY),
                         keys_input (level, start, chest_a, SIM_MLP_KEYS_CHEST),
                         keys_input (level, start, chest_b, SIM_MLP_KEYS_CHEST) };

    for (guint k = 0; k < G_N_ELEMENTS (want); k++)
      {
        gboolean found = FALSE;

        for (int j = 0; j < n; j++)
          found |= active[j] == want[k];
        g_assert_true (found);
      }
  }
  g_assert_cmpfloat (dense[0], ==, 0.0);
  g_assert_cmpfloat (dense[1], ==, 0.0);
  g_assert_cmpfloat (dense[2], ==, 0.0);

  /* The chests are two steps away: hidden, or out of a radius of 1, they are floor. */
  g_assert_cmpint (sim_mlp_observe_keys (mlp, ep, SIM_MLP_TARGET_HIDDEN, active, dense), ==, 2);
  g_assert_cmpint (sim_mlp_observe_keys (mlp, ep, 1, active, dense), ==, 2);
  g_assert_cmpint (sim_mlp_observe_keys (mlp, ep, 2, active, dense), ==, 4);

  /* Taking the key: it is gone from the view, and one key in hand reads 1/2. */
  sim_keys_episode_apply (ep, SIM_ACTION_LEFT);
  g_assert_cmpint (ep->cell, ==, key);
  g_assert_cmpint (ep->held, ==, 1);
  n = sim_mlp_observe_keys (mlp, ep, SIM_MLP_TARGET_SEEN, active, dense);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpfloat (dense[0], ==, -1.0);
  g_assert_cmpfloat (dense[2], ==, 1.0 / SIM_MLP_KEYS_HELD_SCALE);

  sim_mlp_keys_action_probs (mlp, ep, SIM_MLP_TARGET_SEEN, probs);
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    {
      g_assert_cmpfloat (probs[a], >, 0.0);
      sum += probs[a];
    }
  g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
}

static void
test_reproducible (void)
{
  SimConfig config;
  g_autoptr (SimMlp) a = NULL;
  g_autoptr (SimMlp) b = NULL;
  g_autoptr (SimMlp) c = NULL;
  gsize size;

  mlp_config (&config, 42);
  a = sim_mlp_new (&config);
  b = sim_mlp_new (&config);
  config.seed = 43;
  c = sim_mlp_new (&config);
  size = sizeof (double) * sim_mlp_n_params (a);
  g_assert_true (memcmp (sim_mlp_params (a), sim_mlp_params (b), size) == 0);
  g_assert_false (memcmp (sim_mlp_params (a), sim_mlp_params (c), size) == 0);

  /* Training draws from the same generator: still identical after some updates. */
  g_assert_cmpint (sim_mlp_train (a, 5), ==, 5);
  g_assert_cmpint (sim_mlp_train (b, 3), ==, 3);
  g_assert_cmpint (sim_mlp_train (b, 2), ==, 5);
  g_assert_true (memcmp (sim_mlp_params (a), sim_mlp_params (b), size) == 0);
  g_assert_cmpfloat (sim_mlp_last_return (a), ==, sim_mlp_last_return (b));
}

/* Mean exact base return of the network's policy on fixed training levels. */
static double
mean_return (SimMlp   *mlp,
             SimLevel **levels,
             int        n)
{
  double sum = 0.0;

  for (int i = 0; i < n; i++)
    {
      g_autoptr (SimPolicy) policy = sim_mlp_policy (mlp, levels[i], SIM_MLP_TARGET_SEEN);
      SimOutcome out;

      sim_policy_evaluate (policy, levels[i], &out);
      sum += out.base_return;
    }
  return sum / n;
}

static void
test_short_run_learns (void)
{
  SimConfig config;
  g_autoptr (SimMlp) mlp = NULL;
  SimLevel *levels[32];
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double before, after;

  gsl_rng_set (rng, 99);
  for (int i = 0; i < 32; i++)
    levels[i] = sim_scenario_generate (SIM_SCENARIO_COIN, 8, SIM_DIST_TRAIN, rng);
  gsl_rng_free (rng);

  mlp_config (&config, 7);
  mlp = sim_mlp_new (&config);
  before = mean_return (mlp, levels, 32);
  sim_mlp_train (mlp, 150);
  after = mean_return (mlp, levels, 32);
  g_test_message ("training return: %.3f before, %.3f after 150 updates", before, after);
  g_assert_cmpfloat (after, >, before + 0.1);
  for (int i = 0; i < 32; i++)
    sim_level_unref (levels[i]);
}

/* The on-demand evaluation equals evaluating the whole policy, bit for bit, in both
 * scenarios and with the target seen, hidden or within a radius. */
static void
test_evaluate_matches_policy (void)
{
  const SimScenarioKind scenarios[] = { SIM_SCENARIO_COIN, SIM_SCENARIO_GREEN_EXIT };
  const int radii[] = { SIM_MLP_TARGET_SEEN, SIM_MLP_TARGET_HIDDEN, 2 };
  SimConfig config;
  g_autoptr (SimMlp) mlp = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, 5);
  mlp_config (&config, 5);
  mlp = sim_mlp_new (&config);
  sim_mlp_train (mlp, 20);
  for (guint k = 0; k < G_N_ELEMENTS (scenarios); k++)
    for (int i = 0; i < 8; i++)
      {
        g_autoptr (SimLevel) level = sim_scenario_generate (scenarios[k], 8,
                                                            i % 2 ? SIM_DIST_TEST : SIM_DIST_TRAIN,
                                                            rng);

        for (guint r = 0; r < G_N_ELEMENTS (radii); r++)
          {
            g_autoptr (SimPolicy) policy = sim_mlp_policy (mlp, level, radii[r]);
            SimOutcome whole, lazy;

            sim_policy_evaluate (policy, level, &whole);
            sim_mlp_evaluate (mlp, level, radii[r], &lazy);
            g_assert_true (memcmp (&whole, &lazy, sizeof whole) == 0);
            g_assert_cmpfloat (whole.target + whole.lava, >, 0.0);
          }
      }
  gsl_rng_free (rng);
}

static void
test_policy_rows (void)
{
  SimConfig config;
  g_autoptr (SimMlp) mlp = NULL;
  g_autoptr (SimLevel) level = NULL;
  g_autoptr (SimPolicy) policy = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  int n;

  gsl_rng_set (rng, 3);
  level = sim_scenario_generate (SIM_SCENARIO_COIN, 8, SIM_DIST_TEST, rng);
  gsl_rng_free (rng);
  mlp_config (&config, 3);
  mlp = sim_mlp_new (&config);
  sim_mlp_train (mlp, 10);
  policy = sim_mlp_policy (mlp, level, SIM_MLP_TARGET_SEEN);
  n = level->width * level->height;
  g_assert_cmpint (policy->horizon, ==, level->horizon);
  for (int s = 0; s < n; s++)
    {
      double probs[SIM_N_ACTIONS], sum = 0.0;

      sim_mlp_action_probs (mlp, level, s, SIM_MLP_TARGET_SEEN, probs);
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        {
          sum += probs[a];
          /* The same row at every step. */
          for (int t = 0; t < policy->horizon; t++)
            g_assert_cmpfloat (policy->prob[((gsize) t * n + s) * SIM_N_ACTIONS + a], ==,
                               probs[a]);
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
    }
}

/* The run wraps the network: it trains, evaluates, is read out by the probe battery like any
 * agent and fills a snapshot without a true objective. */
static void
test_train_run (void)
{
  SimConfig config;
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SimPolicy) policy = NULL;
  g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();
  SimLevel *const *levels;
  const SimTrainRecord *last;
  double norm = 0.0;

  mlp_config (&config, 2);
  g_assert_true (sim_agent_from_string ("mlp", &config.agent));
  g_assert_cmpstr (sim_agent_to_string (SIM_AGENT_MLP), ==, "mlp");
  config.iterations = 4;
  config.infer_every = 4;
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim_train_attach_inference (train, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sim_train_get_mlp (train));
  g_assert_null (sim_train_get_theta (train));
  for (int i = 0; i < 4; i++)
    g_assert_true (sim_train_step (train));
  g_assert_false (sim_train_step (train));
  g_assert_cmpint (sim_mlp_updates_done (sim_train_get_mlp (train)), ==, SIM_MLP_UPDATES);
  last = sim_train_get_last (train);
  g_assert_true (isfinite (last->fitness));
  g_assert_cmpfloat (last->train_target, >, 0.5);
  g_assert_true (last->has_inference);
  for (int f = 0; f < sim_train_get_n_features (train); f++)
    norm += last->inferred[f] * last->inferred[f];
  g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-9);
  g_assert_true (isfinite (last->predicted_target) && isfinite (last->predicted_proxy));
  sim_train_fill_snapshot (train, 0, snapshot);
  g_assert_null (snapshot->true_objective);
  g_assert_cmpint (snapshot->n_inferences, ==, 1);
  for (int d = 0; d < SIM_N_SHOWN; d++)
    g_assert_cmpint (snapshot->shown[d].n_path, >=, 1);
  levels = sim_train_get_eval_levels (train, SIM_DIST_TEST, NULL);
  policy = sim_train_get_policy (train, levels[0]);
  g_assert_nonnull (policy);
}

/* A keys-chests run of config to its end, with an inference every other iteration. */
static SimTrain *
keys_train (const SimConfig *config)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimTrain) train = sim_train_new (config, &error);

  g_assert_no_error (error);
  g_assert_nonnull (train);
  g_assert_null (sim_train_attach_inference (train, &error));
  g_assert_no_error (error);
  while (sim_train_step (train))
    ;
  return g_steal_pointer (&train);
}

/* The network on keys and chests: the keys run trains it by REINFORCE, counts its keys and
 * chests on the fixed evaluation sets, infers from its decisions on the probes, draws its
 * paths with the keys in hand, has no true objective, and repeats itself bit for bit. The
 * planner keeps its perception, the network takes any. */
static void
test_keys_train_run (void)
{
  SimConfig config;
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (SimTrain) again = NULL;
  g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();
  g_autoptr (GError) error = NULL;
  const SimTrainRecord *history, *other;
  int n, n_other;

  mlp_config (&config, 4);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  config.iterations = 4;
  config.infer_every = 2;
  train = keys_train (&config);
  g_assert_nonnull (sim_train_get_keys_run (train));
  g_assert_nonnull (sim_train_get_mlp (train));
  g_assert_cmpint (sim_mlp_updates_done (sim_train_get_mlp (train)), ==, SIM_MLP_UPDATES);
  g_assert_null (sim_train_get_theta (train));
  history = sim_train_get_history (train, &n);
  g_assert_cmpint (n, ==, 4);
  for (int i = 0; i < n; i++)
    {
      g_test_message ("iteration %d: train keys %.2f chests %.2f, test keys %.2f chests %.2f",
                      history[i].iteration, history[i].train_keys, history[i].train_chests,
                      history[i].test_keys, history[i].test_chests);
      g_assert_true (isfinite (history[i].fitness));
      g_assert_cmpfloat (history[i].train_chests, >=, 0.0);
      g_assert_cmpfloat (history[i].train_chests, <=, SIM_KEYS_MAX_OPENED);
      g_assert_cmpfloat (history[i].test_keys, <=, SIM_KEYS_TEST_KEYS);
      g_assert_cmpfloat (history[i].train_target, ==,
                         history[i].train_chests / SIM_KEYS_MAX_OPENED);
      g_assert_cmpint (history[i].has_inference, ==, i % 2 == 1);
    }
  /* It learns to open chests on the training levels. */
  g_assert_cmpfloat (history[n - 1].train_chests, >, history[0].train_chests + 0.3);
  g_assert_true (isfinite (history[n - 1].inferred_angle));
  g_assert_true (isfinite (history[n - 1].predicted_target));

  sim_train_fill_snapshot (train, 1, snapshot);
  g_assert_null (snapshot->true_objective);
  g_assert_nonnull (snapshot->train_chests);
  g_assert_cmpint (snapshot->n_inferences, ==, 2);
  for (int d = 0; d < SIM_N_SHOWN; d++)
    {
      SimShownLevel *shown = &snapshot->shown[d];

      g_assert_cmpint (shown->n_path, >=, 2);
      g_assert_nonnull (shown->held);
      for (int i = 0; i < shown->n_path; i++)
        g_assert_cmpint (shown->held[i], >=, 0);
    }

  again = keys_train (&config);
  other = sim_train_get_history (again, &n_other);
  g_assert_cmpint (n_other, ==, n);
  g_assert_true (memcmp (history, other, sizeof (SimTrainRecord) * n) == 0);

  /* Any perception for the network; the planner still sees everything. */
  g_clear_pointer (&again, sim_train_free);
  config.iterations = 1;
  config.perception = SIM_PERCEPTION_RADIUS;
  config.perception_param = 3;
  g_assert_true (sim_train_check_config (&config, NULL));
  config.perception = SIM_PERCEPTION_HIDDEN;
  config.perception_param = 50;
  again = keys_train (&config);
  g_assert_cmpint (sim_train_get_iteration (again), ==, 1);
  config.agent = SIM_AGENT_PLANNER;
  config.optimizer = SIM_OPTIMIZER_CEM;
  g_assert_false (sim_train_check_config (&config, &error));
  g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* As the programs do: a failed factorisation is handled where it happens. */
  gsl_set_error_handler_off ();

  g_test_add_func ("/engine/agents/mlp/observe-by-hand", test_observe_by_hand);
  g_test_add_func ("/engine/agents/mlp/gradient", test_gradient);
  g_test_add_func ("/engine/agents/mlp/keys-gradient", test_keys_gradient);
  g_test_add_func ("/engine/agents/mlp/observe-keys", test_observe_keys);
  g_test_add_func ("/engine/agents/mlp/reproducible", test_reproducible);
  g_test_add_func ("/engine/agents/mlp/short-run-learns", test_short_run_learns);
  g_test_add_func ("/engine/agents/mlp/policy-rows", test_policy_rows);
  g_test_add_func ("/engine/agents/mlp/evaluate-matches-policy", test_evaluate_matches_policy);
  g_test_add_func ("/engine/agents/mlp/train-run", test_train_run);
  g_test_add_func ("/engine/agents/mlp/keys-train-run", test_keys_train_run);

  return g_test_run ();
}
