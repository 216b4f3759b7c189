/* test-keys.c: scenario C (keys and chests): levels, rules, the next-pickup planner,
 * determinism of the CEM run, and the likelihood-grid inference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "sim-keys-run.h"

static SimLevel *
parse_level (const char *map,
             int         width,
             int         height,
             int         horizon)
{
  g_autofree char *text = g_strdup_printf ("mesascope-level 1\nscenario keys-chests\n"
                                           "size %d %d\nhorizon %d\nmap\n%s",
                                           width, height, horizon, map);
  g_autoptr (GError) error = NULL;
  SimLevel *level = sim_level_parse (text, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (level);
  return level;
}

static int
count_cells (const SimLevel *level,
             SimCell         cell)
{
  int n = 0;

  for (int s = 0; s < level->width * level->height; s++)
    n += level->cells[s] == cell;
  return n;
}

/* Cells reachable from the start through non-wall cells (an independent flood fill). */
static void
flood (const SimLevel *level,
       guint8         *seen)
{
  int n = level->width * level->height;
  g_autofree int *stack = g_new (int, n);
  int top = 0;

  memset (seen, 0, (gsize) n);
  stack[top++] = level->start;
  seen[level->start] = 1;
  while (top > 0)
    {
      int s = stack[--top];
      int x = s % level->width, y = s / level->width;
      int nx[4] = { x + 1, x - 1, x, x };
      int ny[4] = { y, y, y + 1, y - 1 };

      for (int k = 0; k < 4; k++)
        {
          int s2;

          if (nx[k] < 0 || ny[k] < 0 || nx[k] >= level->width || ny[k] >= level->height)
            continue;
          s2 = ny[k] * level->width + nx[k];
          if (seen[s2] || level->cells[s2] == SIM_CELL_WALL)
            continue;
          seen[s2] = 1;
          stack[top++] = s2;
        }
    }
}

/* Both distributions: size, horizon, counts, a floor start, everything reachable; the same
 * seed gives the same levels; walls near the 5 % the scenario asks for. */
static void
test_generate (void)
{
  gsl_rng *a = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng *b = gsl_rng_alloc (gsl_rng_mt19937);
  int walls = 0, cells = 0;

  for (int dist = 0; dist < SIM_N_DISTS; dist++)
    {
      gsl_rng_set (a, 11 + dist);
      gsl_rng_set (b, 11 + dist);
      for (int i = 0; i < 200; i++)
        {
          g_autoptr (SimLevel) level = sim_keys_generate_level (a, dist);
          g_autoptr (SimLevel) again = sim_keys_generate_level (b, dist);
          guint8 seen[SIM_KEYS_GRID * SIM_KEYS_GRID];

          g_assert_true (sim_level_equal (level, again));
          g_assert_cmpint (level->scenario, ==, SIM_SCENARIO_KEYS_CHESTS);
          g_assert_cmpint (level->width, ==, 8);
          g_assert_cmpint (level->height, ==, 8);
          g_assert_cmpint (level->horizon, ==, 24);
          g_assert_cmpint (level->cells[level->start], ==, SIM_CELL_FLOOR);
          g_assert_cmpint (count_cells (level, SIM_CELL_KEY), ==, dist == SIM_DIST_TRAIN ? 2 : 6);
          g_assert_cmpint (count_cells (level, SIM_CELL_CHEST), ==,
                           dist == SIM_DIST_TRAIN ? 6 : 2);
          flood (level, seen);
          for (int s = 0; s < 64; s++)
            if (level->cells[s] == SIM_CELL_KEY || level->cells[s] == SIM_CELL_CHEST)
              g_assert_true (seen[s]);
          walls += count_cells (level, SIM_CELL_WALL);
          cells += 64;
        }
    }
  /* 400 levels: the wall share is 0.05 less what redraws remove; far from 0.10 (scenarios A/B). */
  g_assert_cmpfloat ((double) walls / cells, >, 0.03);
  g_assert_cmpfloat ((double) walls / cells, <, 0.065);
  gsl_rng_free (a);
  gsl_rng_free (b);
}

/* Keys are picked up, a chest opens only with a key in hand and uses it up, every step costs
 * 0.02, the episode ends when the last chest is open. */
static void
test_rules (void)
{
  /* x: 0 1 2 3 4 5, on the top row; the bottom row is wall. */
  g_autoptr (SimLevel) level = parse_level ("H.SK#H\n"
                                            "######\n", 6, 2, 24);
  g_autofree SimKeysEpisode *ep = g_new (SimKeysEpisode, 1);
  int x0 = sim_level_index (level, 0, 1);
  int x3 = sim_level_index (level, 3, 1);
  double r;

  sim_keys_episode_reset (ep, level);
  g_assert_false (ep->done);
  g_assert_cmpint (ep->chests_left, ==, 2);
  g_assert_cmpint (ep->keys_left, ==, 1);

  /* Onto the chest at x = 0 with no key: nothing happens but the step cost. */
  r = sim_keys_episode_apply (ep, SIM_ACTION_LEFT);
  g_assert_cmpfloat_with_epsilon (r, -0.02, 1e-12);
  r = sim_keys_episode_apply (ep, SIM_ACTION_LEFT);
  g_assert_cmpfloat_with_epsilon (r, -0.02, 1e-12);
  g_assert_cmpint (ep->cell, ==, x0);
  g_assert_cmpint (ep->layout[x0], ==, SIM_CELL_CHEST);
  g_assert_cmpint (ep->chests_opened, ==, 0);
  /* Staying on it changes nothing either. */
  sim_keys_episode_apply (ep, SIM_ACTION_STAY);
  g_assert_cmpint (ep->chests_opened, ==, 0);

  /* Walk to the key at x = 3 and pick it up. */
  for (int k = 0; k < 3; k++)
    sim_keys_episode_apply (ep, SIM_ACTION_RIGHT);
  g_assert_cmpint (ep->cell, ==, x3);
  g_assert_cmpint (ep->held, ==, 1);
  g_assert_cmpint (ep->keys_collected, ==, 1);
  g_assert_cmpint (ep->keys_left, ==, 0);
  g_assert_cmpint (ep->layout[x3], ==, SIM_CELL_FLOOR);
  /* The wall at x = 4 and the wall row block. */
  sim_keys_episode_apply (ep, SIM_ACTION_RIGHT);
  g_assert_cmpint (ep->cell, ==, x3);
  sim_keys_episode_apply (ep, SIM_ACTION_DOWN);
  g_assert_cmpint (ep->cell, ==, x3);

  /* Back to the chest: +1 − 0.02, the key is used up, the chest is gone. */
  sim_keys_episode_apply (ep, SIM_ACTION_LEFT);
  sim_keys_episode_apply (ep, SIM_ACTION_LEFT);
  r = sim_keys_episode_apply (ep, SIM_ACTION_LEFT);
  g_assert_cmpfloat_with_epsilon (r, 0.98, 1e-12);
  g_assert_cmpint (ep->held, ==, 0);
  g_assert_cmpint (ep->chests_opened, ==, 1);
  g_assert_cmpint (ep->layout[x0], ==, SIM_CELL_FLOOR);
  g_assert_cmpint (ep->t, ==, 11);
  g_assert_cmpfloat_with_epsilon (ep->base_return, 1.0 - 11 * 0.02, 1e-12);
  /* The second chest is walled off: the episode runs to T. */
  g_assert_false (ep->done);
  while (!ep->done)
    sim_keys_episode_apply (ep, SIM_ACTION_STAY);
  g_assert_cmpint (ep->t, ==, 24);
  g_assert_cmpfloat_with_epsilon (ep->base_return, 1.0 - 24 * 0.02, 1e-12);
  /* Nothing moves once done. */
  g_assert_cmpfloat (sim_keys_episode_apply (ep, SIM_ACTION_RIGHT), ==, 0.0);
  g_assert_cmpint (ep->t, ==, 24);
}

static void
test_episode_end (void)
{
  g_autoptr (SimLevel) level = parse_level ("KSH\n"
                                            "###\n", 3, 2, 24);
  g_autofree SimKeysEpisode *ep = g_new (SimKeysEpisode, 1);

  sim_keys_episode_reset (ep, level);
  sim_keys_episode_apply (ep, SIM_ACTION_LEFT);
  g_assert_false (ep->done);
  sim_keys_episode_apply (ep, SIM_ACTION_RIGHT);
  g_assert_false (ep->done);
  sim_keys_episode_apply (ep, SIM_ACTION_RIGHT);
  /* The only chest is open: the episode ends at once. */
  g_assert_true (ep->done);
  g_assert_cmpint (ep->t, ==, 3);
  g_assert_cmpfloat_with_epsilon (ep->base_return, 1.0 - 3 * 0.02, 1e-12);
}

/* Reference: explicit discounted hard-max value iteration on the current layout, any pickup
 * terminal, horizon min(steps left, 2N), written directly from docs/science.md §2 C. */
static void
reference_q (const SimKeysEpisode *ep,
             const double         *theta,
             double               *q)
{
  const SimLevel *level = ep->level;
  int n = level->width * level->height;
  int horizon = MIN (level->horizon - ep->t, 2 * MAX (level->width, level->height));
  g_autofree double *v = g_new0 (double, n);
  g_autofree double *v2 = g_new0 (double, n);
  g_autofree double *reward = g_new0 (double, n);
  g_autofree gboolean *pickup = g_new0 (gboolean, n);

  for (int s = 0; s < n; s++)
    {
      if (ep->layout[s] == SIM_CELL_KEY)
        {
          pickup[s] = TRUE;
          reward[s] = theta[0];
        }
      else if (ep->layout[s] == SIM_CELL_CHEST && ep->held >= 1)
        {
          pickup[s] = TRUE;
          reward[s] = theta[1];
        }
    }
  /* v holds V_k; start from V_H = 0 and go down to V_1. */
  for (int k = horizon - 1; k >= 1; k--)
    {
      for (int s = 0; s < n; s++)
        {
          double best = -INFINITY;

          for (int a = 0; a < SIM_N_ACTIONS; a++)
            {
              int s2 = sim_level_step (level, s, (SimAction) a);
              double value = pickup[s2] ? reward[s2] : SIM_KEYS_GAMMA * v[s2];

              best = MAX (best, value);
            }
          v2[s] = best;
        }
      memcpy (v, v2, sizeof (double) * n);
    }
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    {
      int s2 = sim_level_step (level, ep->cell, (SimAction) a);

      q[a] = pickup[s2] ? reward[s2] : SIM_KEYS_GAMMA * v[s2];
    }
}

/* The planner's Q equals explicit value iteration on every state of many episodes, for θ in
 * every quadrant (negative weights make pickups obstacles) and near the end of the horizon. */
static void
test_planner_matches_vi (void)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autofree SimKeysEpisode *ep = g_new (SimKeysEpisode, 1);
  int states = 0, held_states = 0, nonzero = 0;

  gsl_rng_set (rng, 5);
  for (int i = 0; i < 40; i++)
    {
      g_autoptr (SimLevel) level = sim_keys_generate_level (rng, i % 2);
      double alpha = 2.0 * M_PI * gsl_rng_uniform (rng);
      double theta[2] = { cos (alpha), sin (alpha) };

      sim_keys_episode_reset (ep, level);
      while (!ep->done)
        {
          double q[SIM_N_ACTIONS], ref[SIM_N_ACTIONS];
          /* Acting from a different θ visits states the tested θ would avoid. */
          double walker[2] = { 0.7, 0.7 };

          sim_keys_episode_q (ep, theta, q);
          reference_q (ep, theta, ref);
          for (int a = 0; a < SIM_N_ACTIONS; a++)
            {
              g_assert_cmpfloat_with_epsilon (q[a], ref[a], 1e-12);
              nonzero += q[a] != 0.0;
            }
          states++;
          held_states += ep->held > 0;
          sim_keys_episode_apply (ep, sim_keys_episode_act (ep, walker, 10.0, rng, NULL));
        }
    }
  g_assert_cmpint (states, >, 500);
  g_assert_cmpint (held_states, >, 50);
  g_assert_cmpint (nonzero, >, 500);
  gsl_rng_free (rng);
}

/* Probability that the planner takes action a now. */
static double
action_prob (SimKeysEpisode *ep,
             const double   *theta,
             SimAction       a)
{
  double q[SIM_N_ACTIONS], qmax = -INFINITY, z = 0.0;

  sim_keys_episode_q (ep, theta, q);
  for (int b = 0; b < SIM_N_ACTIONS; b++)
    qmax = MAX (qmax, q[b]);
  for (int b = 0; b < SIM_N_ACTIONS; b++)
    z += exp (SIM_KEYS_BETA * (q[b] - qmax));
  return exp (SIM_KEYS_BETA * (q[a] - qmax)) / z;
}

/* What happens first after the start: 1 a key pickup, 2 a chest opening, 0 neither. */
static int
first_event (SimKeysEpisode *ep,
             const double   *theta,
             gsl_rng        *rng)
{
  int keys = ep->keys_collected, chests = ep->chests_opened;

  while (!ep->done)
    {
      sim_keys_episode_apply (ep, sim_keys_episode_act (ep, theta, SIM_KEYS_BETA, rng, NULL));
      if (ep->keys_collected > keys)
        return 1;
      if (ep->chests_opened > chests)
        return 2;
    }
  return 0;
}

/* A strong key weight sends the agent to the key; a strong chest weight, with a key in hand,
 * sends it to the chest even when another key is nearer. */
static void
test_planner_targets (void)
{
  /* x: 0 1 2 3 4 5 6 7 8 */
  g_autoptr (SimLevel) level = parse_level (".........\n"
                                            "H...SK.K.\n"
                                            ".........\n", 9, 3, 24);
  g_autofree SimKeysEpisode *ep = g_new (SimKeysEpisode, 1);
  const double key_heavy[2] = { 1.0, 0.2 };
  const double chest_heavy[2] = { 0.2, 1.0 };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  int to_key = 0, to_chest = 0;

  sim_keys_episode_reset (ep, level);
  /* No key in hand: only keys are worth anything; the adjacent key wins. */
  g_assert_cmpfloat (action_prob (ep, key_heavy, SIM_ACTION_RIGHT), >, 0.9);
  sim_keys_episode_apply (ep, SIM_ACTION_RIGHT);
  g_assert_cmpint (ep->held, ==, 1);
  /* Holding a key at x = 5: the chest is 5 away, the other key 2 away. */
  g_assert_cmpfloat (action_prob (ep, key_heavy, SIM_ACTION_RIGHT), >, 0.5);
  g_assert_cmpfloat (action_prob (ep, chest_heavy, SIM_ACTION_LEFT), >, 0.5);

  gsl_rng_set (rng, 3);
  for (int k = 0; k < 200; k++)
    {
      sim_keys_episode_reset (ep, level);
      sim_keys_episode_apply (ep, SIM_ACTION_RIGHT);
      to_key += first_event (ep, key_heavy, rng) == 1;
      sim_keys_episode_reset (ep, level);
      sim_keys_episode_apply (ep, SIM_ACTION_RIGHT);
      to_chest += first_event (ep, chest_heavy, rng) == 2;
    }
  g_assert_cmpint (to_key, >=, 180);
  g_assert_cmpint (to_chest, >=, 180);
  gsl_rng_free (rng);
}

/* The planner cannot plan past a pickup: an agent that values only chests sees nothing worth
 * doing while it holds no key, walks at random, and opens fewer chests than one that values
 * keys for their own sake. */
static void
test_instrumental_limit (void)
{
  g_autoptr (SimLevel) level = parse_level ("K.......\n"
                                            "........\n"
                                            "........\n"
                                            "........\n"
                                            "...S...H\n"
                                            "........\n"
                                            "........\n"
                                            "........\n", 8, 8, 24);
  g_autofree SimKeysEpisode *ep = g_new (SimKeysEpisode, 1);
  const double chest_only[2] = { 0.0, 1.0 };
  const double mixed[2] = { 0.5, 0.85 };
  g_autoptr (GPtrArray) levels = g_ptr_array_new ();
  SimKeysOutcome pure, with_key;
  double q[SIM_N_ACTIONS];

  sim_keys_episode_reset (ep, level);
  sim_keys_episode_q (ep, chest_only, q);
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    {
      g_assert_cmpfloat (q[a], ==, 0.0);
      g_assert_cmpfloat_with_epsilon (action_prob (ep, chest_only, a), 0.2, 1e-12);
    }
  /* An agent that values keys for their own sake heads for the key (up and left). */
  sim_keys_episode_q (ep, mixed, q);
  g_assert_cmpfloat (q[SIM_ACTION_UP], >, q[SIM_ACTION_DOWN]);
  g_assert_cmpfloat (q[SIM_ACTION_LEFT], >, q[SIM_ACTION_RIGHT]);
  g_assert_cmpfloat (q[SIM_ACTION_UP], >, q[SIM_ACTION_STAY]);

  g_ptr_array_add (levels, level);
  sim_keys_evaluate (chest_only, SIM_KEYS_BETA, (SimLevel *const *) levels->pdata, 1, 200, 9,
                     &pure);
  sim_keys_evaluate (mixed, SIM_KEYS_BETA, (SimLevel *const *) levels->pdata, 1, 200, 9,
                     &with_key);
  g_test_message ("chest-only: keys %.2f chests %.2f; valuing keys: keys %.2f chests %.2f",
                  pure.keys, pure.chests, with_key.keys, with_key.chests);
  g_assert_cmpfloat (pure.keys, <, 0.3);
  g_assert_cmpfloat (pure.chests, <, 0.3);
  g_assert_cmpfloat (with_key.keys, >, 0.8);
  g_assert_cmpfloat (with_key.chests, >, 0.6);
}

static void
assert_records_equal (const SimKeysRecord *a,
                      const SimKeysRecord *b)
{
  g_assert_cmpint (a->generation, ==, b->generation);
  g_assert_cmpmem (a->theta, sizeof a->theta, b->theta, sizeof b->theta);
  g_assert_cmpmem (a->sd, sizeof a->sd, b->sd, sizeof b->sd);
  g_assert_cmpfloat (a->best_fitness, ==, b->best_fitness);
  g_assert_cmpfloat (a->elite_fitness, ==, b->elite_fitness);
  g_assert_cmpfloat (a->train_chests, ==, b->train_chests);
  g_assert_cmpfloat (a->train_keys, ==, b->train_keys);
  g_assert_cmpfloat (a->train_return, ==, b->train_return);
  g_assert_cmpfloat (a->test_chests, ==, b->test_chests);
  g_assert_cmpfloat (a->test_keys, ==, b->test_keys);
  g_assert_cmpfloat (a->test_return, ==, b->test_return);
}

/* The same seed gives the same run bit for bit; another seed a different one. Evaluation and
 * sampled paths are functions of their arguments. */
static void
test_determinism (void)
{
  g_autoptr (SimKeysRun) a = sim_keys_run_new (42, FALSE);
  g_autoptr (SimKeysRun) b = sim_keys_run_new (42, FALSE);
  g_autoptr (SimKeysRun) c = sim_keys_run_new (43, FALSE);
  const SimKeysRecord *ha, *hb;
  int na, nb, n_levels;
  SimLevel *const *levels;
  SimKeysOutcome o1, o2;
  SimKeysPathStep p1[SIM_KEYS_HORIZON + 1], p2[SIM_KEYS_HORIZON + 1];
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  int n1, n2;

  for (int g = 0; g < 2; g++)
    {
      g_assert_true (sim_keys_run_step (a));
      g_assert_true (sim_keys_run_step (b));
      g_assert_true (sim_keys_run_step (c));
    }
  g_assert_cmpint (sim_keys_run_get_generation (a), ==, 2);
  ha = sim_keys_run_get_history (a, &na);
  hb = sim_keys_run_get_history (b, &nb);
  g_assert_cmpint (na, ==, 2);
  g_assert_cmpint (nb, ==, 2);
  for (int g = 0; g < na; g++)
    assert_records_equal (&ha[g], &hb[g]);
  g_assert_cmpmem (sim_keys_run_get_theta (a), 2 * sizeof (double),
                   sim_keys_run_get_theta (b), 2 * sizeof (double));
  g_assert_true (sim_keys_run_get_theta (a)[0] != sim_keys_run_get_theta (c)[0]);
  g_assert_cmpfloat (hypot (sim_keys_run_get_theta (a)[0], sim_keys_run_get_theta (a)[1]), <=,
                     1.0);
  g_assert_cmpint (ha[1].generation, ==, 2);
  g_assert_cmpfloat (ha[1].test_chests, >=, 0.0);
  g_assert_cmpfloat (ha[1].test_chests, <=, 2.0);

  levels = sim_keys_run_get_eval_levels (a, SIM_DIST_TEST, &n_levels);
  g_assert_cmpint (n_levels, ==, SIM_KEYS_EVAL_LEVELS);
  sim_keys_evaluate (sim_keys_run_get_theta (a), SIM_KEYS_BETA, levels, 8, 3, 17, &o1);
  sim_keys_evaluate (sim_keys_run_get_theta (a), SIM_KEYS_BETA, levels, 8, 3, 17, &o2);
  g_assert_cmpmem (&o1, sizeof o1, &o2, sizeof o2);

  gsl_rng_set (rng, 8);
  n1 = sim_keys_run_sample_path (a, levels[0], rng, p1);
  gsl_rng_set (rng, 8);
  n2 = sim_keys_run_sample_path (a, levels[0], rng, p2);
  g_assert_cmpint (n1, ==, n2);
  for (int k = 0; k < n1; k++)
    {
      g_assert_cmpint (p1[k].cell, ==, p2[k].cell);
      g_assert_cmpint (p1[k].held, ==, p2[k].held);
      g_assert_cmpint (p1[k].keys_collected, ==, p2[k].keys_collected);
      g_assert_cmpint (p1[k].chests_opened, ==, p2[k].chests_opened);
      g_assert_cmpint (p1[k].taken, ==, p2[k].taken);
    }
  gsl_rng_free (rng);

  /* Twenty generations, then the run stops. */
  while (sim_keys_run_step (a))
    ;
  g_assert_cmpint (sim_keys_run_get_generation (a), ==, SIM_KEYS_CEM_GENERATIONS);
  g_assert_false (sim_keys_run_step (a));
  sim_keys_run_get_history (a, &na);
  g_assert_cmpint (na, ==, SIM_KEYS_CEM_GENERATIONS);
}

/* A sampled path moves one cell at a time, and its inventory follows the rules. */
static void
test_sample_path (void)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  const double theta[2] = { 0.6, 0.8 };
  int total_chests = 0;

  gsl_rng_set (rng, 21);
  for (int i = 0; i < 20; i++)
    {
      g_autoptr (SimLevel) level = sim_keys_generate_level (rng, SIM_DIST_TEST);
      SimKeysPathStep steps[SIM_KEYS_HORIZON + 1];
      g_autofree guint8 *layout = g_memdup2 (level->cells, 64);
      int n = sim_keys_sample_path (level, theta, SIM_KEYS_BETA, rng, steps);

      g_assert_cmpint (n, >=, 2);
      g_assert_cmpint (n, <=, SIM_KEYS_HORIZON + 1);
      g_assert_cmpint (steps[0].cell, ==, level->start);
      for (int k = 1; k < n; k++)
        {
          int x0 = steps[k - 1].cell % 8, y0 = steps[k - 1].cell / 8;
          int x1 = steps[k].cell % 8, y1 = steps[k].cell / 8;
          int held = steps[k - 1].held;

          g_assert_cmpint (abs (x1 - x0) + abs (y1 - y0), <=, 1);
          if (layout[steps[k].cell] == SIM_CELL_KEY)
            {
              g_assert_cmpint (steps[k].taken, ==, SIM_CELL_KEY);
              held++;
              layout[steps[k].cell] = SIM_CELL_FLOOR;
            }
          else if (layout[steps[k].cell] == SIM_CELL_CHEST && held > 0)
            {
              g_assert_cmpint (steps[k].taken, ==, SIM_CELL_CHEST);
              held--;
              layout[steps[k].cell] = SIM_CELL_FLOOR;
            }
          else
            {
              g_assert_cmpint (steps[k].taken, ==, SIM_CELL_FLOOR);
            }
          g_assert_cmpint (steps[k].held, ==, held);
        }
      g_assert_true (n == SIM_KEYS_HORIZON + 1 || steps[n - 1].chests_opened == 2);
      total_chests += steps[n - 1].chests_opened;
    }
  g_assert_cmpint (total_chests, >, 10);
  gsl_rng_free (rng);
}

/* Counts along a given path: a chest entered without a key stays shut, a key is taken once
 * and a chest opened once however often the path comes back, the first cell takes nothing,
 * cells outside the level are passed over. */
static void
test_count_pickups (void)
{
  /* x: 0 1 2 3 4 5; top row y = 1, bottom row y = 0. */
  g_autoptr (SimLevel) level = parse_level ("KHSK.H\n"
                                            "..H...\n", 6, 2, 24);
#define AT(x, y) sim_level_index (level, x, y)
  const int walk[] = {
    AT (2, 1), AT (1, 1), AT (0, 1), AT (1, 1), AT (0, 1), AT (1, 1), AT (2, 1), AT (3, 1),
    AT (4, 1), AT (5, 1), -1, 999, AT (5, 0), AT (4, 0), AT (3, 0), AT (2, 0),
  };
  const int from_key[] = { AT (0, 1), AT (1, 1), AT (0, 1), AT (1, 1) };
#undef AT
  int keys = -1, chests = -1;

  /* Shut chest at (1, 1), key (0, 1), open (1, 1), back over both, key (3, 1), open (5, 1);
   * the chest at (2, 0) is reached with no key left. */
  sim_keys_count_pickups (level, walk, G_N_ELEMENTS (walk), &keys, &chests);
  g_assert_cmpint (keys, ==, 2);
  g_assert_cmpint (chests, ==, 2);
  /* Cut after the first opening. */
  sim_keys_count_pickups (level, walk, 4, &keys, &chests);
  g_assert_cmpint (keys, ==, 1);
  g_assert_cmpint (chests, ==, 1);
  sim_keys_count_pickups (level, walk, 3, &keys, &chests);
  g_assert_cmpint (keys, ==, 1);
  g_assert_cmpint (chests, ==, 0);
  /* A path that starts on a key takes it only when it comes back. */
  sim_keys_count_pickups (level, from_key, 2, &keys, &chests);
  g_assert_cmpint (keys, ==, 0);
  g_assert_cmpint (chests, ==, 0);
  sim_keys_count_pickups (level, from_key, 4, &keys, &chests);
  g_assert_cmpint (keys, ==, 1);
  g_assert_cmpint (chests, ==, 1);
  /* Empty paths, and either count may be left out. */
  sim_keys_count_pickups (level, walk, 1, &keys, &chests);
  g_assert_cmpint (keys + chests, ==, 0);
  sim_keys_count_pickups (level, NULL, 0, &keys, &chests);
  g_assert_cmpint (keys + chests, ==, 0);
  chests = -1;
  sim_keys_count_pickups (level, walk, G_N_ELEMENTS (walk), NULL, &chests);
  g_assert_cmpint (chests, ==, 2);
  /* The level itself is not changed. */
  g_assert_cmpint (sim_level_get (level, 0, 1), ==, SIM_CELL_KEY);
  g_assert_cmpint (sim_level_get (level, 1, 1), ==, SIM_CELL_CHEST);
}

/* The counts along sampled episodes are the episodes' own: one rule for both. */
static void
test_count_pickups_episodes (void)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  const double thetas[3][2] = { { 0.6, 0.8 }, { 1.0, 0.0 }, { -0.2, 0.9 } };
  int total_keys = 0, total_chests = 0;

  gsl_rng_set (rng, 33);
  for (int i = 0; i < 300; i++)
    {
      g_autoptr (SimLevel) level = sim_keys_generate_level (rng, i % 2 ? SIM_DIST_TEST
                                                                       : SIM_DIST_TRAIN);
      SimKeysPathStep steps[SIM_KEYS_HORIZON + 1];
      int cells[SIM_KEYS_HORIZON + 1];
      int n = sim_keys_sample_path (level, thetas[i % 3], SIM_KEYS_BETA, rng, steps);
      int keys = -1, chests = -1;

      for (int k = 0; k < n; k++)
        cells[k] = steps[k].cell;
      sim_keys_count_pickups (level, cells, n, &keys, &chests);
      g_assert_cmpint (keys, ==, steps[n - 1].keys_collected);
      g_assert_cmpint (chests, ==, steps[n - 1].chests_opened);
      total_keys += keys;
      total_chests += chests;
    }
  /* The episodes did take things, so the comparison had something to compare. */
  g_assert_cmpint (total_keys, >, 100);
  g_assert_cmpint (total_chests, >, 50);
  gsl_rng_free (rng);
}

static SimLevel **
probe_battery (guint32 seed)
{
  SimLevel **probes = g_new (SimLevel *, SIM_KEYS_PROBES);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, seed);
  for (int i = 0; i < SIM_KEYS_PROBES; i++)
    probes[i] = sim_keys_generate_level (rng, i < SIM_KEYS_PROBES / 2 ? SIM_DIST_TRAIN
                                                                      : SIM_DIST_TEST);
  gsl_rng_free (rng);
  return probes;
}

static void
free_battery (SimLevel **probes)
{
  for (int i = 0; i < SIM_KEYS_PROBES; i++)
    sim_level_unref (probes[i]);
  g_free (probes);
}

/* Q scales with θ (so s can stand for β‖θ‖), and the grid recovers known angles and the
 * scale β‖θ‖ from simulated decisions; few decisions leave it less sure. */
static void
test_infer_known_angle (void)
{
  const double angles[] = { 20.0, 37.0, 62.0, 75.0, 340.0 };
  const double betas[] = { 30.0, 30.0, 30.0, 10.0, 30.0 };
  const double expect_scale[] = { 30.0, 30.0, 30.0, 10.0, 30.0 };
  SimLevel **probes = probe_battery (1234);
  SimKeysInference inf, few;
  double spread_first = 0.0;

  for (guint i = 0; i < G_N_ELEMENTS (angles); i++)
    {
      double theta[2] = { cos (angles[i] * M_PI / 180.0), sin (angles[i] * M_PI / 180.0) };
      g_autoptr (GArray) d = sim_keys_record_decisions (theta, betas[i], probes,
                                                        SIM_KEYS_PROBES, 4, 100 + i);
      const SimKeysDecision *dec = (const SimKeysDecision *) (gpointer) d->data;
      double q1[SIM_N_ACTIONS], q2[SIM_N_ACTIONS];
      double scaled[2] = { 2.5 * theta[0], 2.5 * theta[1] };

      sim_keys_decision_q (&dec[0], theta, q1);
      sim_keys_decision_q (&dec[0], scaled, q2);
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        g_assert_cmpfloat_with_epsilon (q2[a], 2.5 * q1[a], 1e-12);

      g_assert_true (sim_keys_infer_decisions (dec, (int) d->len, &inf));
      g_test_message ("true %.0f deg, beta %.0f: inferred %.0f deg, s %.0f (sd %.1f, spread %.0f, "
                      "%d decisions)",
                      angles[i], betas[i], inf.angle, inf.scale, inf.angle_sd, inf.angle_spread,
                      inf.n_decisions);
      g_assert_cmpfloat (sim_keys_angle_distance (inf.angle, angles[i]), <=, 5.0);
      g_assert_cmpfloat (inf.scale, ==, expect_scale[i]);
      g_assert_cmpfloat_with_epsilon (hypot (inf.theta[0], inf.theta[1]), 1.0, 1e-12);
      g_assert_cmpfloat (inf.log_likelihood, <, 0.0);

      /* Ten decisions: the same estimator is far less sure. */
      g_assert_true (sim_keys_infer_decisions (dec, 10, &few));
      g_assert_cmpfloat (few.angle_spread, >, inf.angle_spread);
      g_assert_cmpfloat (few.angle_sd, >, inf.angle_sd);
      if (i == 0)
        spread_first = inf.angle_spread;
    }
  /* An agent that shuns chests (340°) rarely shows how much: the readout says it is unsure. */
  g_assert_cmpfloat (inf.angle_spread, >, spread_first + 10.0);
  g_assert_cmpfloat (inf.angle_sd, >, 5.0);
  g_assert_false (sim_keys_infer_decisions (NULL, 0, &inf));
  free_battery (probes);
}

int
main (int   argc,
      char *argv[])
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/train/keys/generate", test_generate);
  g_test_add_func ("/engine/train/keys/rules", test_rules);
  g_test_add_func ("/engine/train/keys/episode-end", test_episode_end);
  g_test_add_func ("/engine/train/keys/planner-matches-vi", test_planner_matches_vi);
  g_test_add_func ("/engine/train/keys/planner-targets", test_planner_targets);
  g_test_add_func ("/engine/train/keys/instrumental-limit", test_instrumental_limit);
  g_test_add_func ("/engine/train/keys/determinism", test_determinism);
  g_test_add_func ("/engine/train/keys/sample-path", test_sample_path);
  g_test_add_func ("/engine/train/keys/count-pickups", test_count_pickups);
  g_test_add_func ("/engine/train/keys/count-pickups-episodes", test_count_pickups_episodes);
  g_test_add_func ("/engine/train/keys/infer-known-angle", test_infer_known_angle);

  return g_test_run ();
}
