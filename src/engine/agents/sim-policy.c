/* sim-policy.c: a time-indexed stochastic policy on one level, sampling and exact evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-policy.h"

#include <string.h>

#include "sim-scenario.h"

/* A policy whose rows are zeros (zero) or left for the caller to fill. */
static SimPolicy *
policy_alloc (int      horizon,
              int      n_states,
              gboolean zero)
{
  SimPolicy *policy;
  gsize n = (gsize) horizon * n_states * SIM_N_ACTIONS;

  g_return_val_if_fail (horizon >= 1, NULL);
  g_return_val_if_fail (n_states >= 1, NULL);

  policy = g_new0 (SimPolicy, 1);
  policy->ref_count = 1;
  policy->horizon = horizon;
  policy->n_states = n_states;
  policy->prob = zero ? g_new0 (double, n) : g_new (double, n);
  return policy;
}

SimPolicy *
sim_policy_new (int horizon,
                int n_states)
{
  return policy_alloc (horizon, n_states, TRUE);
}

SimPolicy *
sim_policy_new_uniform (int horizon,
                        int n_states)
{
  SimPolicy *policy = policy_alloc (horizon, n_states, FALSE);

  if (policy != NULL)
    for (gsize i = 0; i < (gsize) horizon * n_states * SIM_N_ACTIONS; i++)
      policy->prob[i] = 1.0 / SIM_N_ACTIONS;
  return policy;
}

SimPolicy *
sim_policy_ref (SimPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);
  g_atomic_int_inc (&policy->ref_count);
  return policy;
}

void
sim_policy_unref (SimPolicy *policy)
{
  if (policy == NULL)
    return;
  if (g_atomic_int_dec_and_test (&policy->ref_count))
    {
      g_free (policy->prob);
      g_free (policy);
    }
}

static int
episode_length (const SimPolicy *policy,
                const SimLevel  *level)
{
  return MIN (policy->horizon, level->horizon);
}

int
sim_policy_sample (const SimPolicy *policy,
                   const SimLevel  *level,
                   gsl_rng         *rng,
                   int             *cells)
{
  int s;
  int n = 0;
  int horizon;

  g_return_val_if_fail (policy != NULL && level != NULL && rng != NULL && cells != NULL, 0);
  g_return_val_if_fail (policy->n_states == level->width * level->height, 0);

  horizon = episode_length (policy, level);
  s = level->start;
  cells[n++] = s;
  for (int t = 0; t < horizon; t++)
    {
      const double *p = policy->prob + ((gsize) t * policy->n_states + s) * SIM_N_ACTIONS;
      double u = gsl_rng_uniform (rng);
      double acc = 0.0;
      int a = -1;
      int last_positive = SIM_ACTION_STAY;

      if (sim_cell_is_terminal ((SimCell) level->cells[s]))
        break;
      for (int k = 0; k < SIM_N_ACTIONS; k++)
        {
          if (p[k] > 0.0)
            last_positive = k;
          acc += p[k];
          if (a < 0 && u < acc)
            a = k;
        }
      /* Rounding can leave the probabilities summing to slightly less than 1. */
      if (a < 0)
        a = last_positive;
      s = sim_level_step (level, s, (SimAction) a);
      cells[n++] = s;
    }
  return n;
}

static const double *
policy_probs (gpointer data,
              int      t,
              int      s)
{
  const SimPolicy *policy = data;

  return policy->prob + ((gsize) t * policy->n_states + s) * SIM_N_ACTIONS;
}

void
sim_policy_evaluate (const SimPolicy *policy,
                     const SimLevel  *level,
                     SimOutcome      *out)
{
  g_return_if_fail (policy != NULL && level != NULL && out != NULL);
  memset (out, 0, sizeof *out);
  g_return_if_fail (policy->n_states == level->width * level->height);

  sim_policy_evaluate_func (episode_length (policy, level), level, policy_probs,
                            (gpointer) policy, out);
}

void
sim_policy_evaluate_func (int                 horizon,
                          const SimLevel     *level,
                          SimPolicyProbsFunc  probs,
                          gpointer            data,
                          SimOutcome         *out)
{
  int n_states;
  int nf;
  g_autofree double *phi = NULL;
  g_autofree double *reward = NULL;
  g_autofree double *d = NULL;
  g_autofree double *d_next = NULL;
  g_autofree guint8 *mask = NULL;
  g_autofree int *next = NULL;
  double theta[SIM_MAX_FEATURES];

  g_return_if_fail (level != NULL && probs != NULL && out != NULL);
  memset (out, 0, sizeof *out);
  g_return_if_fail (horizon >= 0);

  n_states = level->width * level->height;
  nf = sim_features_count (level->scenario, TRUE);

  /* r(s') = θ_base·φ(s') for every cell, and the successor of every (s, a). */
  phi = g_new (double, (gsize) n_states * nf);
  reward = g_new (double, n_states);
  sim_features_compute (level, TRUE, TRUE, phi);
  sim_features_base (level->scenario, TRUE, theta);
  for (int s = 0; s < n_states; s++)
    {
      double r = 0.0;
      for (int f = 0; f < nf; f++)
        r += theta[f] * phi[(gsize) s * nf + f];
      reward[s] = r;
    }
  next = g_new (int, (gsize) n_states * SIM_N_ACTIONS);
  for (int s = 0; s < n_states; s++)
    for (int a = 0; a < SIM_N_ACTIONS; a++)
      next[s * SIM_N_ACTIONS + a] = sim_level_step (level, s, (SimAction) a);

  d = g_new0 (double, n_states);
  d_next = g_new0 (double, n_states);
  d[level->start] = 1.0;
  if (sim_cell_is_terminal ((SimCell) level->cells[level->start]))
    horizon = 0;

  for (int t = 0; t < horizon; t++)
    {
      double *tmp;

      memset (d_next, 0, sizeof (double) * n_states);
      for (int s = 0; s < n_states; s++)
        {
          const double *p;

          if (d[s] == 0.0)
            continue;
          p = probs (data, t, s);
          for (int a = 0; a < SIM_N_ACTIONS; a++)
            {
              double m = d[s] * p[a];
              int s2 = next[s * SIM_N_ACTIONS + a];
              SimCell c2 = (SimCell) level->cells[s2];

              if (m == 0.0)
                continue;
              out->base_return += m * reward[s2];
              if (sim_cell_is_terminal (c2))
                {
                  if (sim_cell_is_target (level->scenario, c2))
                    out->target += m;
                  if (c2 == SIM_CELL_LAVA)
                    out->lava += m;
                }
              else
                {
                  d_next[s2] += m;
                }
            }
        }
      tmp = d;
      d = d_next;
      d_next = tmp;
    }

  mask = g_new (guint8, n_states);
  sim_level_proxy_mask (level, mask);
  for (int s = 0; s < n_states; s++)
    if (mask[s])
      out->proxy += d[s];
}
