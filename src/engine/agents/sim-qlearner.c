/* sim-qlearner.c: the linear Q-learner of docs/science.md §2 "Agent (ii)" (coin scenario)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-qlearner.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "sim-scenario.h"
#include "sim-vector.h"

#define GAMMA              0.95
#define ALPHA              0.05
#define INIT_SCALE         0.01
#define EPSILON_START      1.0
#define EPSILON_END        0.05
#define EPSILON_FRACTION   0.6    /* ε decays over the first 60 % of the episodes */
#define CURRICULUM_FRACTION 0.3   /* start anywhere in the first 30 % */
#define CLOSENESS_BASE     0.9
#define TEMPERATURE        0.05

struct _SimQLearner
{
  SimConfig config;
  gsl_rng *rng;                           /* owned; the only source of randomness */
  double w[SIM_QLEARNER_N_FEATURES];
  int episodes_done;
};

static const char *feature_names[SIM_QLEARNER_N_FEATURES] = {
  "toward_coin", "toward_corner", "blocked", "into_lava", "stay", "bias"
};

const char *
sim_qlearner_feature_name (int index)
{
  g_return_val_if_fail (index >= 0 && index < SIM_QLEARNER_N_FEATURES, NULL);
  return feature_names[index];
}

SimQLearner *
sim_qlearner_new (const SimConfig *config)
{
  SimQLearner *q;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (sim_config_validate (config, NULL), NULL);
  g_return_val_if_fail (config->scenario == SIM_SCENARIO_COIN, NULL);

  q = g_new0 (SimQLearner, 1);
  q->config = *config;
  q->rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (q->rng, config->seed);
  for (int k = 0; k < SIM_QLEARNER_N_FEATURES; k++)
    q->w[k] = INIT_SCALE * gsl_ran_gaussian (q->rng, 1.0);
  return q;
}

void
sim_qlearner_free (SimQLearner *q)
{
  if (q == NULL)
    return;
  gsl_rng_free (q->rng);
  g_free (q);
}

int
sim_qlearner_episodes_done (SimQLearner *q)
{
  g_return_val_if_fail (q != NULL, 0);
  return q->episodes_done;
}

const double *
sim_qlearner_weights (SimQLearner *q)
{
  g_return_val_if_fail (q != NULL, NULL);
  return q->w;
}

/* closeness[s] = 0.9^d(s, src), d the breadth-first path length through non-wall cells (the
 * source itself may be a wall, as the corner can be); 0 where src cannot be reached. */
static void
closeness_from (const SimLevel *level,
                int             src,
                double         *closeness,
                int            *dist,
                int            *queue)
{
  int n = level->width * level->height;
  int head = 0, tail = 0;

  for (int s = 0; s < n; s++)
    dist[s] = -1;
  dist[src] = 0;
  queue[tail++] = src;
  while (head < tail)
    {
      int s = queue[head++];
      int x = s % level->width, y = s / level->width;
      const int dx[4] = { 0, 0, -1, 1 };
      const int dy[4] = { 1, -1, 0, 0 };

      for (int k = 0; k < 4; k++)
        {
          int x2 = x + dx[k], y2 = y + dy[k];
          int s2;

          if (x2 < 0 || y2 < 0 || x2 >= level->width || y2 >= level->height)
            continue;
          s2 = sim_level_index (level, x2, y2);
          if (dist[s2] >= 0 || level->cells[s2] == SIM_CELL_WALL)
            continue;
          dist[s2] = dist[s] + 1;
          queue[tail++] = s2;
        }
    }
  for (int s = 0; s < n; s++)
    closeness[s] = dist[s] >= 0 ? pow (CLOSENESS_BASE, dist[s]) : 0.0;
}

void
sim_qlearner_features (const SimLevel *level,
                       gboolean        coin_visible,
                       double         *psi)
{
  int n = level->width * level->height;
  int corner = sim_level_index (level, level->width - 1, level->height - 1);
  g_autofree double *to_coin = g_new0 (double, n);
  g_autofree double *to_corner = g_new0 (double, n);
  g_autofree int *dist = g_new (int, n);
  g_autofree int *queue = g_new (int, n);

  if (coin_visible)
    for (int s = 0; s < n; s++)
      if (level->cells[s] == SIM_CELL_COIN)
        {
          /* With several coins, the nearest one counts. */
          g_autofree double *c = g_new (double, n);
          closeness_from (level, s, c, dist, queue);
          for (int i = 0; i < n; i++)
            to_coin[i] = MAX (to_coin[i], c[i]);
        }
  closeness_from (level, corner, to_corner, dist, queue);

  for (int s = 0; s < n; s++)
    for (int a = 0; a < SIM_N_ACTIONS; a++)
      {
        int s2 = sim_level_step (level, s, (SimAction) a);
        double *f = psi + ((gsize) s * SIM_N_ACTIONS + a) * SIM_QLEARNER_N_FEATURES;

        f[SIM_QLEARNER_TOWARD_COIN] = to_coin[s2];
        f[SIM_QLEARNER_TOWARD_CORNER] = to_corner[s2];
        f[SIM_QLEARNER_BLOCKED] = (a != SIM_ACTION_STAY && s2 == s) ? 1.0 : 0.0;
        f[SIM_QLEARNER_INTO_LAVA] = level->cells[s2] == SIM_CELL_LAVA ? 1.0 : 0.0;
        f[SIM_QLEARNER_STAY] = a == SIM_ACTION_STAY ? 1.0 : 0.0;
        f[SIM_QLEARNER_BIAS] = 1.0;
      }
}

/* Greedy action: the first of the best. */
static int
greedy (const double *w,
        const double *psi_s)
{
  int best = 0;
  double best_q = sim_vec_dot (w, psi_s, SIM_QLEARNER_N_FEATURES);

  for (int a = 1; a < SIM_N_ACTIONS; a++)
    {
      double qa = sim_vec_dot (w, psi_s + a * SIM_QLEARNER_N_FEATURES,
                               SIM_QLEARNER_N_FEATURES);
      if (qa > best_q)
        {
          best_q = qa;
          best = a;
        }
    }
  return best;
}

static double
max_q (const double *w,
       const double *psi_s)
{
  return sim_vec_dot (w, psi_s + greedy (w, psi_s) * SIM_QLEARNER_N_FEATURES,
                      SIM_QLEARNER_N_FEATURES);
}

/* The curriculum start: uniform over cells outside the top-right 2×2 block that are floor
 * and from which the coin can be reached. Keeps the level's start if there is none. */
static void
curriculum_start (SimLevel *level,
                  gsl_rng  *rng)
{
  int n = level->width * level->height;
  g_autofree int *cand = g_new (int, n);
  int coin = -1;
  int m = 0;

  for (int s = 0; s < n; s++)
    if (level->cells[s] == SIM_CELL_COIN)
      coin = s;
  g_return_if_fail (coin >= 0);
  for (int s = 0; s < n; s++)
    {
      int x = s % level->width, y = s / level->width;
      if (x >= level->width - 2 && y >= level->height - 2)
        continue;
      if (level->cells[s] != SIM_CELL_FLOOR)
        continue;
      if (!sim_level_reachable (level, s, coin))
        continue;
      cand[m++] = s;
    }
  if (m > 0)
    level->start = cand[gsl_rng_uniform_int (rng, (unsigned long) m)];
}

static void
run_episode (SimQLearner *q)
{
  const SimConfig *c = &q->config;
  int k = q->episodes_done;
  double eps_episodes = EPSILON_FRACTION * SIM_QLEARNER_EPISODES;
  double epsilon;
  SimDistribution dist;
  gboolean hidden;
  g_autoptr (SimLevel) level = NULL;
  g_autofree double *psi_seen = NULL;
  g_autofree double *psi_unseen = NULL;
  int n;
  int coin = -1;
  gboolean seen;
  int s;

  epsilon = k < eps_episodes ? EPSILON_START - (EPSILON_START - EPSILON_END) * k / eps_episodes
                             : EPSILON_END;
  /* The draws happen in a fixed order whatever the config, so configs share level streams. */
  dist = gsl_rng_uniform (q->rng) * 100.0 < c->diversity ? SIM_DIST_TEST : SIM_DIST_TRAIN;
  level = sim_scenario_generate (SIM_SCENARIO_COIN, c->grid, dist, q->rng);
  hidden = gsl_rng_uniform (q->rng) * 100.0 < c->perception_param &&
           c->perception == SIM_PERCEPTION_HIDDEN;
  if (k < CURRICULUM_FRACTION * SIM_QLEARNER_EPISODES)
    curriculum_start (level, q->rng);

  n = level->width * level->height;
  for (int i = 0; i < n; i++)
    if (level->cells[i] == SIM_CELL_COIN)
      coin = i;
  psi_seen = g_new (double, (gsize) n * SIM_N_ACTIONS * SIM_QLEARNER_N_FEATURES);
  psi_unseen = g_new (double, (gsize) n * SIM_N_ACTIONS * SIM_QLEARNER_N_FEATURES);
  sim_qlearner_features (level, TRUE, psi_seen);
  sim_qlearner_features (level, FALSE, psi_unseen);

  s = level->start;
  /* Radius perception: the coin is seen once the agent has been within the radius. */
  if (c->perception == SIM_PERCEPTION_RADIUS)
    seen = abs (s % c->grid - coin % c->grid) + abs (s / c->grid - coin / c->grid)
           <= c->perception_param;
  else
    seen = !hidden;

  for (int t = 0; t < level->horizon; t++)
    {
      const double *psi_s = (seen ? psi_seen : psi_unseen)
                            + (gsize) s * SIM_N_ACTIONS * SIM_QLEARNER_N_FEATURES;
      const double *f;
      int a;
      int s2;
      SimCell cell;
      double r;
      double target;
      double delta;
      gboolean done;

      if (gsl_rng_uniform (q->rng) < epsilon)
        a = (int) gsl_rng_uniform_int (q->rng, SIM_N_ACTIONS);
      else
        a = greedy (q->w, psi_s);
      f = psi_s + a * SIM_QLEARNER_N_FEATURES;

      s2 = sim_level_step (level, s, (SimAction) a);
      cell = (SimCell) level->cells[s2];
      /* The base reward: coin +1, lava −1, −0.02 per step; coin and lava end the episode. */
      r = -0.02 + (cell == SIM_CELL_COIN ? 1.0 : 0.0) - (cell == SIM_CELL_LAVA ? 1.0 : 0.0);
      done = sim_cell_is_terminal (cell);
      if (c->perception == SIM_PERCEPTION_RADIUS && !seen)
        seen = abs (s2 % c->grid - coin % c->grid) + abs (s2 / c->grid - coin / c->grid)
               <= c->perception_param;

      /* Reaching the horizon is a time limit, not a terminal state: bootstrap through it. */
      target = r;
      if (!done)
        target += GAMMA * max_q (q->w, (seen ? psi_seen : psi_unseen)
                                         + (gsize) s2 * SIM_N_ACTIONS * SIM_QLEARNER_N_FEATURES);
      delta = target - sim_vec_dot (q->w, f, SIM_QLEARNER_N_FEATURES);
      for (int j = 0; j < SIM_QLEARNER_N_FEATURES; j++)
        q->w[j] += ALPHA * delta * f[j];

      s = s2;
      if (done)
        break;
    }
}

int
sim_qlearner_train (SimQLearner *q,
                    int          n_episodes)
{
  g_return_val_if_fail (q != NULL, 0);

  for (int i = 0; i < n_episodes && q->episodes_done < SIM_QLEARNER_EPISODES; i++)
    {
      run_episode (q);
      q->episodes_done++;
    }
  return q->episodes_done;
}

SimPolicy *
sim_qlearner_policy (SimQLearner    *q,
                     const SimLevel *level)
{
  int n;
  g_autofree double *psi = NULL;
  g_autoptr (SimPolicy) policy = NULL;

  g_return_val_if_fail (q != NULL && level != NULL, NULL);

  n = level->width * level->height;
  psi = g_new (double, (gsize) n * SIM_N_ACTIONS * SIM_QLEARNER_N_FEATURES);
  sim_qlearner_features (level, TRUE, psi);
  policy = sim_policy_new (level->horizon, n);

  for (int s = 0; s < n; s++)
    {
      double qv[SIM_N_ACTIONS];
      double best = -G_MAXDOUBLE;
      double sum = 0.0;
      double *p = policy->prob + (gsize) s * SIM_N_ACTIONS;

      for (int a = 0; a < SIM_N_ACTIONS; a++)
        {
          const double *psi_sa = psi + ((gsize) s * SIM_N_ACTIONS + a) * SIM_QLEARNER_N_FEATURES;

          qv[a] = sim_vec_dot (q->w, psi_sa, SIM_QLEARNER_N_FEATURES);
          best = MAX (best, qv[a]);
        }
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        {
          p[a] = exp ((qv[a] - best) / TEMPERATURE);
          sum += p[a];
        }
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        p[a] /= sum;
    }
  /* Stationary: copy the first time step over the horizon. */
  for (int t = 1; t < policy->horizon; t++)
    memcpy (policy->prob + (gsize) t * n * SIM_N_ACTIONS, policy->prob,
            sizeof (double) * n * SIM_N_ACTIONS);
  return g_steal_pointer (&policy);
}
