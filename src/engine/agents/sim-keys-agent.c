/* sim-keys-agent.c: the agent of scenario C, keys and chests (docs/science.md §3.3): the
 * next-pickup planner, its Monte-Carlo evaluation and sampled paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-keys-agent.h"

#include <math.h>
#include <string.h>

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

/* The planner as an agent of the drivers below. */
typedef struct
{
  const double *theta;
  double beta;
} Planner;

static SimAction
planner_act (SimKeysEpisode  *ep,
             gsl_rng         *rng,
             SimKeysDecision *decision,
             gpointer         user_data)
{
  const Planner *p = user_data;

  return sim_keys_episode_act (ep, p->theta, p->beta, rng, decision);
}

static void
run_episode (SimKeysEpisode *ep,
             const SimLevel *level,
             SimKeysActFunc  act,
             gpointer        user_data,
             gsl_rng        *rng,
             GArray         *decisions)
{
  sim_keys_episode_reset (ep, level);
  while (!ep->done)
    {
      SimKeysDecision d;
      SimAction a = act (ep, rng, decisions != NULL ? &d : NULL, user_data);

      if (decisions != NULL)
        g_array_append_val (decisions, d);
      sim_keys_episode_apply (ep, a);
    }
}

/* Runs the episodes of sim_keys_evaluate(); records decisions when decisions is non-NULL. */
static void
run_batch (SimKeysActFunc   act,
           gpointer         user_data,
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
        run_episode (ep, levels[i], act, user_data, rng, decisions);
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
sim_keys_evaluate_agent (SimKeysActFunc   act,
                         gpointer         user_data,
                         SimLevel *const *levels,
                         int              n_levels,
                         int              n_rollouts,
                         guint32          seed,
                         SimKeysOutcome  *out)
{
  g_return_if_fail (act != NULL && out != NULL);
  g_return_if_fail (n_levels == 0 || levels != NULL);
  g_return_if_fail (n_levels >= 0 && n_rollouts >= 0);

  run_batch (act, user_data, levels, n_levels, n_rollouts, seed, out, NULL);
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
  Planner p = { theta, beta };

  g_return_if_fail (theta != NULL);
  sim_keys_evaluate_agent (planner_act, &p, levels, n_levels, n_rollouts, seed, out);
}

GArray *
sim_keys_record_agent_decisions (SimKeysActFunc   act,
                                 gpointer         user_data,
                                 SimLevel *const *levels,
                                 int              n_levels,
                                 int              n_rollouts,
                                 guint32          seed)
{
  GArray *decisions;

  g_return_val_if_fail (act != NULL, NULL);
  g_return_val_if_fail (n_levels == 0 || levels != NULL, NULL);
  g_return_val_if_fail (n_levels >= 0 && n_rollouts >= 0, NULL);

  decisions = g_array_new (FALSE, FALSE, sizeof (SimKeysDecision));
  run_batch (act, user_data, levels, n_levels, n_rollouts, seed, NULL, decisions);
  return decisions;
}

GArray *
sim_keys_record_decisions (const double    *theta,
                           double           beta,
                           SimLevel *const *levels,
                           int              n_levels,
                           int              n_rollouts,
                           guint32          seed)
{
  Planner p = { theta, beta };

  g_return_val_if_fail (theta != NULL, NULL);
  return sim_keys_record_agent_decisions (planner_act, &p, levels, n_levels, n_rollouts, seed);
}

int
sim_keys_sample_agent_path (const SimLevel  *level,
                            SimKeysActFunc   act,
                            gpointer         user_data,
                            gsl_rng         *rng,
                            SimKeysPathStep *steps)
{
  g_autofree SimKeysEpisode *ep = NULL;
  int n = 0;

  g_return_val_if_fail (level != NULL && act != NULL && rng != NULL && steps != NULL, 0);

  ep = g_new (SimKeysEpisode, 1);
  sim_keys_episode_reset (ep, level);
  steps[n++] = (SimKeysPathStep) { ep->cell, 0, 0, 0, SIM_CELL_FLOOR };
  while (!ep->done)
    {
      int keys = ep->keys_collected;
      int chests = ep->chests_opened;
      SimAction a = act (ep, rng, NULL, user_data);

      sim_keys_episode_apply (ep, a);
      steps[n++] = (SimKeysPathStep) {
        ep->cell, ep->held, ep->keys_collected, ep->chests_opened,
        ep->keys_collected > keys ? SIM_CELL_KEY
          : ep->chests_opened > chests ? SIM_CELL_CHEST : SIM_CELL_FLOOR
      };
    }
  return n;
}

int
sim_keys_sample_path (const SimLevel  *level,
                      const double    *theta,
                      double           beta,
                      gsl_rng         *rng,
                      SimKeysPathStep *steps)
{
  Planner p = { theta, beta };

  g_return_val_if_fail (theta != NULL, 0);
  return sim_keys_sample_agent_path (level, planner_act, &p, rng, steps);
}
