/* sim-keys.c: scenario C, keys and chests (docs/science.md §2 C, §3.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-keys.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "sim-cem.h"
#include "sim-vector.h"

/* Seeds of the fixed sets every run shares. */
#define EVAL_LEVEL_SEED_TRAIN 0x6b657931u
#define EVAL_LEVEL_SEED_TEST  0x6b657932u
#define EVAL_ROLLOUT_SEED     0x6b657933u
#define PROBE_LEVEL_SEED      0x6b657934u
#define PROBE_ROLLOUT_SEED    0x6b657935u

static const double grid_scales[SIM_KEYS_N_SCALES] = { 3.0, 10.0, 30.0, 100.0 };

/* γ^d for every distance a decision can hold. */
static double gamma_pow[SIM_KEYS_FAR + 1];

static void
init_gamma_pow (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      double g = 1.0;

      for (int d = 0; d <= SIM_KEYS_FAR; d++)
        {
          gamma_pow[d] = g;
          g *= SIM_KEYS_GAMMA;
        }
      g_once_init_leave (&done, 1);
    }
}

SimLevel *
sim_keys_generate_level (gsl_rng         *rng,
                         SimDistribution  dist)
{
  g_return_val_if_fail (rng != NULL, NULL);
  g_return_val_if_fail ((guint) dist < SIM_N_DISTS, NULL);

  return sim_scenario_generate (SIM_SCENARIO_KEYS_CHESTS, SIM_KEYS_GRID, dist, rng);
}

/* Rules and the episode state. */

/* The one rule of keys and chests: entering cell s of layout (a SimCell per cell) picks up the
 * key there, or opens the chest there when a key is in hand (*held keys); either leaves floor
 * behind. Returns what was taken: SIM_CELL_KEY, SIM_CELL_CHEST, or SIM_CELL_FLOOR for nothing.
 * Episodes (sim_keys_episode_apply()) and counts along given paths (sim_keys_count_pickups())
 * both go through it. */
static inline SimCell
take_at (guint8 *layout,
         int    *held,
         int     s)
{
  if (layout[s] == SIM_CELL_KEY)
    {
      layout[s] = SIM_CELL_FLOOR;
      (*held)++;
      return SIM_CELL_KEY;
    }
  if (layout[s] == SIM_CELL_CHEST && *held > 0)
    {
      layout[s] = SIM_CELL_FLOOR;
      (*held)--;
      return SIM_CELL_CHEST;
    }
  return SIM_CELL_FLOOR;
}

void
sim_keys_episode_reset (SimKeysEpisode *ep,
                        const SimLevel *level)
{
  int n;

  g_return_if_fail (ep != NULL);
  g_return_if_fail (level != NULL);
  g_return_if_fail (level->width * level->height <= SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE);
  g_return_if_fail (level->start >= 0 && level->start < level->width * level->height);

  n = level->width * level->height;
  ep->level = level;
  ep->n_cells = n;
  ep->plan_cap = 2 * MAX (level->width, level->height);
  ep->cell = level->start;
  ep->t = 0;
  ep->held = 0;
  ep->keys_collected = 0;
  ep->chests_opened = 0;
  ep->keys_left = 0;
  ep->chests_left = 0;
  ep->base_return = 0.0;
  ep->dist_valid = FALSE;
  ep->dist_for_held = FALSE;
  memcpy (ep->layout, level->cells, (gsize) n);
  for (int s = 0; s < n; s++)
    {
      if (ep->layout[s] == SIM_CELL_KEY)
        ep->keys_left++;
      else if (ep->layout[s] == SIM_CELL_CHEST)
        ep->chests_left++;
    }
  ep->done = ep->chests_left == 0 || level->horizon <= 0;
}

double
sim_keys_episode_apply (SimKeysEpisode *ep,
                        SimAction       action)
{
  double reward = -SIM_KEYS_STEP_COST;
  int next;

  g_return_val_if_fail (ep != NULL && ep->level != NULL, 0.0);
  g_return_val_if_fail ((guint) action < SIM_N_ACTIONS, 0.0);

  if (ep->done)
    return 0.0;

  next = sim_level_step (ep->level, ep->cell, action);
  ep->cell = next;
  switch (take_at (ep->layout, &ep->held, next))
    {
    case SIM_CELL_KEY:
      ep->keys_collected++;
      ep->keys_left--;
      ep->dist_valid = FALSE;
      break;
    case SIM_CELL_CHEST:
      ep->chests_opened++;
      ep->chests_left--;
      ep->dist_valid = FALSE;
      reward += 1.0;
      break;
    default:
      break;
    }
  ep->t++;
  ep->base_return += reward;
  if (ep->chests_left == 0 || ep->t >= ep->level->horizon)
    ep->done = TRUE;
  return reward;
}

void
sim_keys_count_pickups (const SimLevel *level,
                        const int      *cells,
                        int             n_cells,
                        int            *keys,
                        int            *chests)
{
  g_autofree guint8 *layout = NULL;
  int n, held = 0, n_keys = 0, n_chests = 0;

  g_return_if_fail (level != NULL);
  g_return_if_fail (cells != NULL || n_cells <= 0);

  n = level->width * level->height;
  layout = g_memdup2 (level->cells, (gsize) n);
  for (int i = 1; i < n_cells; i++)
    {
      if (cells[i] < 0 || cells[i] >= n)
        continue;
      switch (take_at (layout, &held, cells[i]))
        {
        case SIM_CELL_KEY:
          n_keys++;
          break;
        case SIM_CELL_CHEST:
          n_chests++;
          break;
        default:
          break;
        }
    }
  if (keys != NULL)
    *keys = n_keys;
  if (chests != NULL)
    *chests = n_chests;
}

/* The planner. */

static inline gboolean
is_pickup (const SimKeysEpisode *ep,
           int                   s,
           gboolean              holding)
{
  SimCell c = (SimCell) ep->layout[s];

  return c == SIM_CELL_KEY || (holding && c == SIM_CELL_CHEST);
}

/* Multi-source breadth-first search from every cell of kind `source` (all of which end a plan):
 * dist[s] = the fewest moves from s to such a cell through cells that end no plan, capped at
 * SIM_KEYS_FAR. Moves are symmetric (walls block both ways), so searching from the sources
 * gives the distance to them. */
static void
bfs_from (SimKeysEpisode *ep,
          SimCell         source,
          gboolean        holding,
          guint8         *dist)
{
  const SimLevel *level = ep->level;
  guint16 *queue = ep->queue;
  int head = 0, tail = 0;

  memset (dist, SIM_KEYS_FAR, (gsize) ep->n_cells);
  for (int s = 0; s < ep->n_cells; s++)
    if (ep->layout[s] == source)
      {
        dist[s] = 0;
        queue[tail++] = (guint16) s;
      }
  while (head < tail)
    {
      int s = queue[head++];
      int d = dist[s] + 1;

      if (d >= SIM_KEYS_FAR)
        break;
      for (int a = 0; a < SIM_ACTION_STAY; a++)
        {
          int s2 = sim_level_step (level, s, (SimAction) a);

          if (dist[s2] != SIM_KEYS_FAR || is_pickup (ep, s2, holding))
            continue;
          dist[s2] = (guint8) d;
          queue[tail++] = (guint16) s2;
        }
    }
}

static void
update_distances (SimKeysEpisode *ep)
{
  gboolean holding = ep->held > 0;

  if (ep->dist_valid && ep->dist_for_held == holding)
    return;
  bfs_from (ep, SIM_CELL_KEY, holding, ep->d_key);
  if (holding)
    bfs_from (ep, SIM_CELL_CHEST, holding, ep->d_chest);
  else
    memset (ep->d_chest, SIM_KEYS_FAR, (gsize) ep->n_cells);
  ep->dist_valid = TRUE;
  ep->dist_for_held = holding;
}

void
sim_keys_episode_decision (SimKeysEpisode  *ep,
                           SimKeysDecision *decision)
{
  gboolean holding;
  int reach;

  g_return_if_fail (ep != NULL && ep->level != NULL);
  g_return_if_fail (decision != NULL);

  update_distances (ep);
  holding = ep->held > 0;
  /* The plan spans H = min(steps left, 2N) transitions; after the first one, H − 1 remain. */
  reach = MIN (ep->level->horizon - ep->t, ep->plan_cap) - 1;
  decision->action = 0;
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    {
      int s2 = sim_level_step (ep->level, ep->cell, (SimAction) a);
      SimCell c = (SimCell) ep->layout[s2];

      decision->d_key[a] = SIM_KEYS_FAR;
      decision->d_chest[a] = SIM_KEYS_FAR;
      if (c == SIM_CELL_KEY)
        {
          decision->target[a] = SIM_KEYS_TARGET_KEY;
        }
      else if (c == SIM_CELL_CHEST && holding)
        {
          decision->target[a] = SIM_KEYS_TARGET_CHEST;
        }
      else
        {
          decision->target[a] = SIM_KEYS_TARGET_NONE;
          if (ep->d_key[s2] != SIM_KEYS_FAR && ep->d_key[s2] <= reach)
            decision->d_key[a] = ep->d_key[s2];
          if (ep->d_chest[s2] != SIM_KEYS_FAR && ep->d_chest[s2] <= reach)
            decision->d_chest[a] = ep->d_chest[s2];
        }
    }
}

void
sim_keys_decision_q (const SimKeysDecision *decision,
                     const double          *theta,
                     double                *q)
{
  init_gamma_pow ();
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    {
      switch (decision->target[a])
        {
        case SIM_KEYS_TARGET_KEY:
          q[a] = theta[SIM_KEYS_FEATURE_KEY];
          break;
        case SIM_KEYS_TARGET_CHEST:
          q[a] = theta[SIM_KEYS_FEATURE_CHEST];
          break;
        case SIM_KEYS_TARGET_NONE:
        default:
          {
            /* Staying put forever is worth 0, so V ≥ 0; the nearest pickup of each kind
             * dominates the farther ones of the same kind. */
            double v = 0.0;

            if (decision->d_key[a] != SIM_KEYS_FAR)
              v = MAX (v, theta[SIM_KEYS_FEATURE_KEY] * gamma_pow[decision->d_key[a]]);
            if (decision->d_chest[a] != SIM_KEYS_FAR)
              v = MAX (v, theta[SIM_KEYS_FEATURE_CHEST] * gamma_pow[decision->d_chest[a]]);
            q[a] = v;
          }
          break;
        }
    }
}

void
sim_keys_episode_q (SimKeysEpisode *ep,
                    const double   *theta,
                    double         *q)
{
  SimKeysDecision decision;

  g_return_if_fail (theta != NULL && q != NULL);

  sim_keys_episode_decision (ep, &decision);
  sim_keys_decision_q (&decision, theta, q);
}

/* Samples from softmax(beta · q). */
static int
boltzmann_sample (const double *q,
                  double        beta,
                  gsl_rng      *rng)
{
  double w[SIM_N_ACTIONS];
  double qmax = q[0];
  double total = 0.0;
  double u;

  for (int a = 1; a < SIM_N_ACTIONS; a++)
    qmax = MAX (qmax, q[a]);
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    {
      w[a] = exp (beta * (q[a] - qmax));
      total += w[a];
    }
  u = gsl_rng_uniform (rng) * total;
  for (int a = 0; a < SIM_N_ACTIONS - 1; a++)
    {
      u -= w[a];
      if (u < 0.0)
        return a;
    }
  return SIM_N_ACTIONS - 1;
}

SimAction
sim_keys_episode_act (SimKeysEpisode  *ep,
                      const double    *theta,
                      double           beta,
                      gsl_rng         *rng,
                      SimKeysDecision *decision)
{
  SimKeysDecision local;
  SimKeysDecision *d = decision != NULL ? decision : &local;
  double q[SIM_N_ACTIONS];

  g_return_val_if_fail (ep != NULL && theta != NULL && rng != NULL, SIM_ACTION_STAY);

  sim_keys_episode_decision (ep, d);
  sim_keys_decision_q (d, theta, q);
  d->action = (guint8) boltzmann_sample (q, beta, rng);
  return (SimAction) d->action;
}

/* Monte-Carlo evaluation. */

/* A well-mixed 32-bit seed for episode (level, rollout) of a stream (splitmix64 finaliser). */
static guint32
episode_seed (guint32 seed,
              int     level,
              int     rollout)
{
  guint64 z = ((guint64) seed << 32) ^ ((guint64) (guint32) level << 12) ^ (guint64) rollout;

  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  z ^= z >> 31;
  /* mt19937 maps seed 0 to its default seed; keep every stream distinct. */
  return (guint32) (z >> 32) | 1u;
}

static void
run_episode (SimKeysEpisode *ep,
             const SimLevel *level,
             const double   *theta,
             double          beta,
             gsl_rng        *rng,
             GArray         *decisions)
{
  sim_keys_episode_reset (ep, level);
  while (!ep->done)
    {
      SimKeysDecision d;
      SimAction a = sim_keys_episode_act (ep, theta, beta, rng, &d);

      if (decisions != NULL)
        g_array_append_val (decisions, d);
      sim_keys_episode_apply (ep, a);
    }
}

/* Runs the episodes of sim_keys_evaluate(); records decisions when decisions is non-NULL. */
static void
run_batch (const double    *theta,
           double           beta,
           SimLevel *const *levels,
           int              n_levels,
           int              n_rollouts,
           guint32          seed,
           SimKeysOutcome  *out,
           GArray          *decisions)
{
  g_autofree SimKeysEpisode *ep = g_new (SimKeysEpisode, 1);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  SimKeysOutcome sum = { 0 };
  int n = 0;

  for (int i = 0; i < n_levels; i++)
    for (int r = 0; r < n_rollouts; r++)
      {
        gsl_rng_set (rng, episode_seed (seed, i, r));
        run_episode (ep, levels[i], theta, beta, rng, decisions);
        sum.chests += ep->chests_opened;
        sum.keys += ep->keys_collected;
        sum.base_return += ep->base_return;
        sum.steps += ep->t;
        n++;
      }
  gsl_rng_free (rng);
  if (out != NULL)
    {
      out->chests = n > 0 ? sum.chests / n : 0.0;
      out->keys = n > 0 ? sum.keys / n : 0.0;
      out->base_return = n > 0 ? sum.base_return / n : 0.0;
      out->steps = n > 0 ? sum.steps / n : 0.0;
    }
}

void
sim_keys_evaluate (const double    *theta,
                   double           beta,
                   SimLevel *const *levels,
                   int              n_levels,
                   int              n_rollouts,
                   guint32          seed,
                   SimKeysOutcome  *out)
{
  g_return_if_fail (theta != NULL && out != NULL);
  g_return_if_fail (n_levels == 0 || levels != NULL);
  g_return_if_fail (n_levels >= 0 && n_rollouts >= 0);

  run_batch (theta, beta, levels, n_levels, n_rollouts, seed, out, NULL);
}

GArray *
sim_keys_record_decisions (const double    *theta,
                           double           beta,
                           SimLevel *const *levels,
                           int              n_levels,
                           int              n_rollouts,
                           guint32          seed)
{
  GArray *decisions;

  g_return_val_if_fail (theta != NULL, NULL);
  g_return_val_if_fail (n_levels == 0 || levels != NULL, NULL);
  g_return_val_if_fail (n_levels >= 0 && n_rollouts >= 0, NULL);

  decisions = g_array_new (FALSE, FALSE, sizeof (SimKeysDecision));
  run_batch (theta, beta, levels, n_levels, n_rollouts, seed, NULL, decisions);
  return decisions;
}

int
sim_keys_sample_path (const SimLevel  *level,
                      const double    *theta,
                      double           beta,
                      gsl_rng         *rng,
                      SimKeysPathStep *steps)
{
  g_autofree SimKeysEpisode *ep = NULL;
  int n = 0;

  g_return_val_if_fail (level != NULL && theta != NULL && rng != NULL && steps != NULL, 0);

  ep = g_new (SimKeysEpisode, 1);
  sim_keys_episode_reset (ep, level);
  steps[n++] = (SimKeysPathStep) { ep->cell, 0, 0, 0, SIM_CELL_FLOOR };
  while (!ep->done)
    {
      int keys = ep->keys_collected;
      int chests = ep->chests_opened;
      SimAction a = sim_keys_episode_act (ep, theta, beta, rng, NULL);

      sim_keys_episode_apply (ep, a);
      steps[n++] = (SimKeysPathStep) {
        ep->cell, ep->held, ep->keys_collected, ep->chests_opened,
        ep->keys_collected > keys ? SIM_CELL_KEY
          : ep->chests_opened > chests ? SIM_CELL_CHEST : SIM_CELL_FLOOR
      };
    }
  return n;
}

/* Inference. */

double
sim_keys_grid_scale (int j)
{
  g_return_val_if_fail (j >= 0 && j < SIM_KEYS_N_SCALES, NAN);
  return grid_scales[j];
}

double
sim_keys_theta_angle (const double *theta)
{
  double deg = atan2 (theta[SIM_KEYS_FEATURE_CHEST], theta[SIM_KEYS_FEATURE_KEY]) * 180.0 / M_PI;

  if (deg < 0.0)
    deg += 360.0;
  if (deg >= 360.0)
    deg -= 360.0;
  return deg;
}

double
sim_keys_angle_distance (double a,
                         double b)
{
  double d = fmod (fabs (a - b), 360.0);

  return d > 180.0 ? 360.0 - d : d;
}

gboolean
sim_keys_infer_decisions (const SimKeysDecision *decisions,
                          int                    n_decisions,
                          SimKeysInference      *out)
{
  double best = -INFINITY;
  int best_i = 0, best_j = 0;
  double profile[SIM_KEYS_N_ANGLES];
  double c = 0.0, s = 0.0, total = 0.0, r;

  g_return_val_if_fail (n_decisions == 0 || decisions != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->n_decisions = n_decisions;
  if (n_decisions <= 0)
    return FALSE;

  for (int i = 0; i < SIM_KEYS_N_ANGLES; i++)
    {
      double alpha = i * SIM_KEYS_ANGLE_STEP * M_PI / 180.0;
      double u[SIM_KEYS_N_FEATURES] = { cos (alpha), sin (alpha) };
      double ll[SIM_KEYS_N_SCALES] = { 0 };

      for (int k = 0; k < n_decisions; k++)
        {
          double q[SIM_N_ACTIONS];
          double qmax;

          sim_keys_decision_q (&decisions[k], u, q);
          qmax = q[0];
          for (int a = 1; a < SIM_N_ACTIONS; a++)
            qmax = MAX (qmax, q[a]);
          for (int j = 0; j < SIM_KEYS_N_SCALES; j++)
            {
              double z = 0.0;

              for (int a = 0; a < SIM_N_ACTIONS; a++)
                z += exp (grid_scales[j] * (q[a] - qmax));
              ll[j] += grid_scales[j] * (q[decisions[k].action] - qmax) - log (z);
            }
        }
      profile[i] = -INFINITY;
      for (int j = 0; j < SIM_KEYS_N_SCALES; j++)
        {
          out->ll[i * SIM_KEYS_N_SCALES + j] = ll[j];
          profile[i] = MAX (profile[i], ll[j]);
          if (ll[j] > best)
            {
              best = ll[j];
              best_i = i;
              best_j = j;
            }
        }
    }

  out->angle = best_i * SIM_KEYS_ANGLE_STEP;
  out->scale = grid_scales[best_j];
  out->theta[SIM_KEYS_FEATURE_KEY] = cos (out->angle * M_PI / 180.0);
  out->theta[SIM_KEYS_FEATURE_CHEST] = sin (out->angle * M_PI / 180.0);
  out->log_likelihood = best;

  /* Posterior over the grid with a flat prior; its circular spread in α. */
  for (int i = 0; i < SIM_KEYS_N_ANGLES; i++)
    {
      double alpha = i * SIM_KEYS_ANGLE_STEP * M_PI / 180.0;
      double w = 0.0;

      for (int j = 0; j < SIM_KEYS_N_SCALES; j++)
        w += exp (out->ll[i * SIM_KEYS_N_SCALES + j] - best);
      c += w * cos (alpha);
      s += w * sin (alpha);
      total += w;
    }
  r = MIN (1.0, hypot (c, s) / total);
  if (r >= 1.0)
    out->angle_sd = 0.0;
  else
    out->angle_sd = r > 0.0 ? sqrt (-2.0 * log (r)) * 180.0 / M_PI : 180.0;

  out->angle_spread = 0.0;
  for (int i = 0; i < SIM_KEYS_N_ANGLES; i++)
    if (profile[i] >= best - 2.0)
      out->angle_spread = MAX (out->angle_spread,
                               sim_keys_angle_distance (i * SIM_KEYS_ANGLE_STEP, out->angle));
  return TRUE;
}

/* The training run. */

struct _SimKeysRun
{
  guint32 seed;
  int diversity;                      /* % of training levels from the test distribution */
  int n_generations;
  gsl_rng *rng;                       /* owned; every draw of the run comes from it */
  int generation;
  double mean[SIM_KEYS_N_FEATURES];   /* the CEM mean, which is θ */
  double sd[SIM_KEYS_N_FEATURES];
  SimLevel *eval[SIM_N_DISTS][SIM_KEYS_EVAL_LEVELS];  /* owned */
  SimLevel *probes[SIM_KEYS_PROBES];                   /* owned */
  GArray *history;                    /* SimKeysRecord */
};

static void
generate_set (guint32          seed,
              SimDistribution  dist,
              SimLevel       **levels,
              int              n)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, seed);
  for (int i = 0; i < n; i++)
    levels[i] = sim_keys_generate_level (rng, dist);
  gsl_rng_free (rng);
}

SimKeysRun *
sim_keys_run_new (guint32  seed,
                  gboolean control)
{
  return sim_keys_run_new_full (seed, control ? 100 : 0, SIM_KEYS_CEM_GENERATIONS);
}

SimKeysRun *
sim_keys_run_new_full (guint32 seed,
                       int     diversity,
                       int     n_generations)
{
  SimKeysRun *run;

  g_return_val_if_fail (diversity >= 0 && diversity <= 100, NULL);
  g_return_val_if_fail (n_generations >= 1, NULL);

  run = g_new0 (SimKeysRun, 1);
  run->seed = seed;
  run->diversity = diversity;
  run->n_generations = n_generations;
  run->rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (run->rng, seed);
  /* docs/science.md §1, cem row: m = θ0 = 0.05·N(0, I), sd = 0.5. */
  for (int f = 0; f < SIM_KEYS_N_FEATURES; f++)
    {
      run->mean[f] = SIM_KEYS_CEM_INIT_SCALE * gsl_ran_gaussian (run->rng, 1.0);
      run->sd[f] = SIM_KEYS_CEM_INIT_SD;
    }
  generate_set (EVAL_LEVEL_SEED_TRAIN, SIM_DIST_TRAIN, run->eval[SIM_DIST_TRAIN],
                SIM_KEYS_EVAL_LEVELS);
  generate_set (EVAL_LEVEL_SEED_TEST, SIM_DIST_TEST, run->eval[SIM_DIST_TEST],
                SIM_KEYS_EVAL_LEVELS);
  {
    gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

    gsl_rng_set (rng, PROBE_LEVEL_SEED);
    for (int i = 0; i < SIM_KEYS_PROBES; i++)
      run->probes[i] = sim_keys_generate_level (rng, i < SIM_KEYS_PROBES / 2 ? SIM_DIST_TRAIN
                                                                            : SIM_DIST_TEST);
    gsl_rng_free (rng);
  }
  run->history = g_array_new (FALSE, FALSE, sizeof (SimKeysRecord));
  return run;
}

void
sim_keys_run_free (SimKeysRun *run)
{
  if (run == NULL)
    return;
  for (int d = 0; d < SIM_N_DISTS; d++)
    for (int i = 0; i < SIM_KEYS_EVAL_LEVELS; i++)
      g_clear_pointer (&run->eval[d][i], sim_level_unref);
  for (int i = 0; i < SIM_KEYS_PROBES; i++)
    g_clear_pointer (&run->probes[i], sim_level_unref);
  g_clear_pointer (&run->rng, gsl_rng_free);
  g_clear_pointer (&run->history, g_array_unref);
  g_free (run);
}

/* A generation's levels and rollout seed, the same for every candidate. */
typedef struct
{
  SimLevel **levels;
  guint32 rollout_seed;
} CemLevels;

static double
cem_fitness (const double *theta,
             gpointer      user_data)
{
  CemLevels *cl = user_data;
  SimKeysOutcome out;

  sim_keys_evaluate (theta, SIM_KEYS_BETA, cl->levels, SIM_KEYS_CEM_LEVELS,
                     SIM_KEYS_CEM_ROLLOUTS, cl->rollout_seed, &out);
  return out.base_return;
}

gboolean
sim_keys_run_step (SimKeysRun *run)
{
  SimLevel *levels[SIM_KEYS_CEM_LEVELS];
  guint32 rollout_seed;
  SimKeysRecord rec = { 0 };
  SimKeysOutcome out;

  g_return_val_if_fail (run != NULL, FALSE);

  if (run->generation >= run->n_generations)
    return FALSE;

  /* Fresh levels and rollout seeds, the same for the whole population. Only a partly diverse
   * run draws a number to pick each level's distribution. */
  for (int i = 0; i < SIM_KEYS_CEM_LEVELS; i++)
    {
      SimDistribution dist;

      if (run->diversity <= 0)
        dist = SIM_DIST_TRAIN;
      else if (run->diversity >= 100)
        dist = SIM_DIST_TEST;
      else
        dist = gsl_rng_uniform (run->rng) * 100.0 < run->diversity ? SIM_DIST_TEST
                                                                   : SIM_DIST_TRAIN;
      levels[i] = sim_keys_generate_level (run->rng, dist);
    }
  rollout_seed = (guint32) gsl_rng_get (run->rng);

  {
    static const SimCemParams params = { SIM_KEYS_CEM_POPULATION, SIM_KEYS_CEM_ELITE,
                                         SIM_KEYS_CEM_KEEP, SIM_KEYS_CEM_SD_FLOOR };
    CemLevels cl = { levels, rollout_seed };

    rec.best_fitness = sim_cem_generation (&params, SIM_KEYS_N_FEATURES, run->mean, run->sd,
                                           run->rng, cem_fitness, &cl, &rec.elite_fitness);
  }
  for (int i = 0; i < SIM_KEYS_CEM_LEVELS; i++)
    sim_level_unref (levels[i]);

  run->generation++;
  rec.generation = run->generation;
  memcpy (rec.theta, run->mean, sizeof rec.theta);
  memcpy (rec.sd, run->sd, sizeof rec.sd);
  sim_keys_evaluate (run->mean, SIM_KEYS_BETA, run->eval[SIM_DIST_TRAIN], SIM_KEYS_EVAL_LEVELS,
                     SIM_KEYS_EVAL_ROLLOUTS, EVAL_ROLLOUT_SEED, &out);
  rec.train_chests = out.chests;
  rec.train_keys = out.keys;
  rec.train_return = out.base_return;
  sim_keys_evaluate (run->mean, SIM_KEYS_BETA, run->eval[SIM_DIST_TEST], SIM_KEYS_EVAL_LEVELS,
                     SIM_KEYS_EVAL_ROLLOUTS, EVAL_ROLLOUT_SEED, &out);
  rec.test_chests = out.chests;
  rec.test_keys = out.keys;
  rec.test_return = out.base_return;
  g_array_append_val (run->history, rec);
  return TRUE;
}

int
sim_keys_run_get_generation (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, 0);
  return run->generation;
}

int
sim_keys_run_get_n_generations (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, 0);
  return run->n_generations;
}

gboolean
sim_keys_run_get_control (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, FALSE);
  return run->diversity >= 100;
}

const double *
sim_keys_run_get_theta (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->mean;
}

const SimKeysRecord *
sim_keys_run_get_history (SimKeysRun *run,
                          int        *n_records)
{
  g_return_val_if_fail (run != NULL, NULL);
  if (n_records != NULL)
    *n_records = (int) run->history->len;
  return (const SimKeysRecord *) (gpointer) run->history->data;
}

SimLevel *const *
sim_keys_run_get_eval_levels (SimKeysRun      *run,
                              SimDistribution  dist,
                              int             *n_levels)
{
  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail ((guint) dist < SIM_N_DISTS, NULL);
  if (n_levels != NULL)
    *n_levels = SIM_KEYS_EVAL_LEVELS;
  return run->eval[dist];
}

void
sim_keys_run_evaluate (SimKeysRun      *run,
                       const double    *theta,
                       double           beta,
                       SimDistribution  dist,
                       SimKeysOutcome  *out)
{
  g_return_if_fail (run != NULL && theta != NULL && out != NULL);
  g_return_if_fail ((guint) dist < SIM_N_DISTS);

  sim_keys_evaluate (theta, beta, run->eval[dist], SIM_KEYS_EVAL_LEVELS, SIM_KEYS_EVAL_ROLLOUTS,
                     EVAL_ROLLOUT_SEED, out);
}

SimLevel *const *
sim_keys_run_get_probes (SimKeysRun *run,
                         int        *n_probes)
{
  g_return_val_if_fail (run != NULL, NULL);
  if (n_probes != NULL)
    *n_probes = SIM_KEYS_PROBES;
  return run->probes;
}

gboolean
sim_keys_infer (SimKeysRun       *run,
                SimKeysInference *out)
{
  g_autoptr (GArray) decisions = NULL;

  g_return_val_if_fail (run != NULL && out != NULL, FALSE);

  decisions = sim_keys_record_decisions (run->mean, SIM_KEYS_BETA, run->probes, SIM_KEYS_PROBES,
                                         SIM_KEYS_PROBE_ROLLOUTS, PROBE_ROLLOUT_SEED);
  return sim_keys_infer_decisions ((const SimKeysDecision *) (gpointer) decisions->data,
                                   (int) decisions->len, out);
}

int
sim_keys_run_sample_path (SimKeysRun      *run,
                          const SimLevel  *level,
                          gsl_rng         *rng,
                          SimKeysPathStep *steps)
{
  g_return_val_if_fail (run != NULL, 0);
  return sim_keys_sample_path (level, run->mean, SIM_KEYS_BETA, rng, steps);
}
