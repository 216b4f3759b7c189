/* sim-goal-scale.c: the scale fit of a fixed utility on fixed deterministic MDPs, from soft
 * values kept across fits (see sim-goal.h, docs/science.md §8)
 *
 * With deterministic moves, γ = 1 and a horizon T, the causal model's log-likelihood of a
 * demonstration s_0 … s_L telescopes: each step s → s' has likelihood
 * m(s, s') exp (r(s') + V_{t+1}(s') − V_t(s)), m the number of actions that lead to s', so
 *
 *     log P(τ) = Σ_t log m(s_t, s_t+1) + β U(τ) − V_0(s_0; β)
 *
 * when τ ends on a terminal state or at the horizon (where V is 0), with U(τ) the unit
 * utility's sum over the states entered. The mean log-likelihood's slope in β is then
 * Ū − mean V_0'(s_0; β): the demonstrations enter through Ū and their starts only, the values
 * through V_0 and its β-derivatives at the starts, which depend on the MDPs and the utility
 * alone. Those are computed once per node of a log-spaced grid of β (the first time a fit
 * needs the node) by a backward recursion that carries V, V' and V'', and the slope between
 * two nodes is their cubic Hermite interpolant.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-goal.h"

#include <math.h>
#include <string.h>

#include "sim-vector.h"

/* Nodes at β = 2^(k / NODES_PER_OCTAVE) for k from K_MIN to K_MAX: 2⁻¹⁰ to 1024, the largest
 * scale the search tries. Between two nodes 19 % apart the quintic interpolant puts β within
 * 2 × 10⁻⁶ of the exact maximum over training runs at 8×8, within 2 × 10⁻⁴ for sharp agents
 * (β ≈ 20), where the score is flat to 10⁻⁹; 8 nodes an octave would divide that by about
 * 60 for half as many nodes again. */
#define NODES_PER_OCTAVE 4
#define K_MIN (-10 * NODES_PER_OCTAVE)
#define K_MAX (10 * NODES_PER_OCTAVE)
#define N_NODES (K_MAX - K_MIN + 1)
#define MAX_NEWTON 4

/* The V_0 a fit's exact log-likelihoods imply at a start must be the same for every
 * demonstration from it to CHECK_TOLERANCE, relative to 1 + |V_0| (the decomposition is exact
 * to rounding), and the interpolant's to NEAR_TOLERANCE, or the cache is given up. */
#define CHECK_TOLERANCE 1e-9
#define NEAR_TOLERANCE 1e-3

struct _SimGoalScaleCache
{
  int n_features;
  double *unit;             /* the utility, unit norm */
  gboolean zero;            /* the utility is 0 */
  GPtrArray *mdps;          /* SimMdp: those the nodes belong to */
  int *offset;              /* n_mdps + 1: each MDP's first state in the arrays below */
  double *rho;              /* u·φ(s) of every state */
  int max_states;
  /* Per MDP, the states whose values V_0 at a start needs: reach_row[i] (horizon + 1
   * offsets into reach[i]) lists for each t the states a demonstration from a start can be
   * on at t and not be over, then their successors (entered at t + 1) after a −1. */
  int **reach_row;
  int **reach;
  gboolean usable;          /* every MDP deterministic, γ = 1, with a horizon */
  gboolean failed;          /* a fit's check failed: fits search as before */
  gboolean checked;         /* a fit on these MDPs was checked against an exact pass */
  double *nodes[N_NODES + 1]; /* V_0 and its first three derivatives of every state at β = 0
                              * (the first) and at each node, or NULL */
  int n_nodes;
  int n_fits;               /* fits made from the nodes */
};

SimGoalScaleCache *
sim_goal_scale_cache_new (int           n_features,
                          const double *utility)
{
  SimGoalScaleCache *cache;

  g_return_val_if_fail (n_features > 0 && utility != NULL, NULL);
  cache = g_new0 (SimGoalScaleCache, 1);
  cache->n_features = n_features;
  cache->unit = g_new0 (double, n_features);
  cache->zero = !sim_vec_unit_copy (utility, cache->unit, n_features);
  cache->mdps = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_mdp_unref);
  return cache;
}

static void
forget (SimGoalScaleCache *cache)
{
  for (int k = 0; k <= N_NODES; k++)
    g_clear_pointer (&cache->nodes[k], g_free);
  cache->n_nodes = 0;
  for (guint i = 0; cache->reach != NULL && i < cache->mdps->len; i++)
    {
      g_free (cache->reach_row[i]);
      g_free (cache->reach[i]);
    }
  g_clear_pointer (&cache->reach_row, g_free);
  g_clear_pointer (&cache->reach, g_free);
  g_ptr_array_set_size (cache->mdps, 0);
  g_clear_pointer (&cache->offset, g_free);
  g_clear_pointer (&cache->rho, g_free);
  cache->usable = FALSE;
}

void
sim_goal_scale_cache_free (SimGoalScaleCache *cache)
{
  if (cache == NULL)
    return;
  forget (cache);
  g_ptr_array_unref (cache->mdps);
  g_free (cache->unit);
  g_free (cache);
}

int
sim_goal_scale_cache_get_n_nodes (const SimGoalScaleCache *cache)
{
  g_return_val_if_fail (cache != NULL, 0);
  return cache->n_nodes;
}

int
sim_goal_scale_cache_get_n_fits (const SimGoalScaleCache *cache)
{
  g_return_val_if_fail (cache != NULL, 0);
  return cache->n_fits;
}

/* The lists of SimGoalScaleCache.reach for one deterministic MDP with a horizon. */
static void
reach_lists (const SimMdp  *mdp,
             int          **row_out,
             int          **list_out)
{
  int ns = mdp->n_states, na = mdp->n_actions, T = mdp->horizon, len = 0;
  g_autofree guint8 *on = g_new0 (guint8, ns);
  g_autofree guint8 *seen = g_new (guint8, ns);
  int *list = g_new (int, (gsize) T * (2 * ns + 1));
  int *row = g_new (int, T + 1);

  for (int s = 0; s < ns; s++)
    on[s] = mdp->start[s] > 0.0 && !mdp->terminal[s];
  for (int t = 0; t < T; t++)
    {
      row[t] = len;
      for (int s = 0; s < ns; s++)
        if (on[s])
          list[len++] = s;
      list[len++] = -1;
      for (int s = 0; s < ns; s++)
        seen[s] = 0;
      for (int s = 0; s < ns; s++)
        for (int a = 0; on[s] && a < na; a++)
          seen[mdp->succ[mdp->row[s * na + a]]] = 1;
      for (int s = 0; s < ns; s++)
        {
          if (seen[s])
            list[len++] = s;
          on[s] = seen[s] && !mdp->terminal[s];
        }
    }
  row[T] = len;
  *row_out = row;
  *list_out = list;
}

/* Whether the decomposition can hold for the MDPs of irl: makes the cache theirs (and forgets
 * its nodes) when they are not the ones it holds. */
static gboolean
bind (SimGoalScaleCache *cache,
      SimIrl            *irl)
{
  int n_mdps = sim_irl_get_n_mdps (irl);
  gboolean same = (int) cache->mdps->len == n_mdps;

  if (cache->zero || sim_irl_get_model (irl) != SIM_IRL_CAUSAL ||
      sim_irl_get_n_features (irl) != cache->n_features)
    return FALSE;
  for (int i = 0; same && i < n_mdps; i++)
    same = g_ptr_array_index (cache->mdps, i) == (gpointer) sim_irl_get_mdp (irl, i);
  if (same)
    return cache->usable;

  forget (cache);
  cache->offset = g_new0 (int, n_mdps + 1);
  cache->usable = TRUE;
  cache->checked = FALSE;
  cache->max_states = 0;
  for (int i = 0; i < n_mdps; i++)
    {
      const SimMdp *mdp = sim_irl_get_mdp (irl, i);

      g_ptr_array_add (cache->mdps, sim_mdp_ref ((SimMdp *) mdp));
      cache->offset[i + 1] = cache->offset[i] + mdp->n_states;
      cache->max_states = MAX (cache->max_states, mdp->n_states);
      cache->usable = cache->usable && mdp->deterministic && mdp->discount == 1.0 &&
                      mdp->horizon > 0;
    }
  cache->rho = g_new (double, cache->offset[n_mdps]);
  cache->reach_row = g_new0 (int *, n_mdps);
  cache->reach = g_new0 (int *, n_mdps);
  for (int i = 0; i < n_mdps && cache->usable; i++)
    reach_lists (g_ptr_array_index (cache->mdps, i), &cache->reach_row[i], &cache->reach[i]);
  for (int i = 0; i < n_mdps; i++)
    {
      const SimMdp *mdp = g_ptr_array_index (cache->mdps, i);

      for (int s = 0; s < mdp->n_states; s++)
        cache->rho[cache->offset[i] + s] = sim_mdp_reward (mdp, s, cache->unit);
    }
  return cache->usable;
}

/* The value and its first three derivatives in β that a node keeps of every state. */
#define N_ORDERS 4

/* V_0 and its first three β-derivatives at every state of a deterministic MDP with reward
 * β ρ(s') of the state entered, γ = 1 and horizon T: the soft value recursion carried with
 * the cumulants of Q' = ρ(s') + V'_{t+1}(s') under the policy π_a = exp (Q_a − V):
 *     V' = E Q',   V'' = E Q'' + Var Q',   V''' = E Q''' + 3 Cov (Q', Q'') + E (Q' − V')³,
 * Q'' and Q''' being V'' and V''' of the successor, nothing after a terminal state. next and
 * cur have N_ORDERS × n_states each; out gets N_ORDERS arrays stride apart. */
static void
values_at_log (const SimMdp *mdp,
               const double *rho,
               double        beta,
               double       *next,
               double       *cur,
               double       *out,
               int           stride)
{
  int ns = mdp->n_states, na = mdp->n_actions;
  double q[SIM_MDP_MAX_ACTIONS], q1[SIM_MDP_MAX_ACTIONS], q2[SIM_MDP_MAX_ACTIONS];
  double q3[SIM_MDP_MAX_ACTIONS];

  memset (next, 0, sizeof (double) * N_ORDERS * ns);
  for (int t = mdp->horizon - 1; t >= 0; t--)
    {
      double *tmp;

      for (int s = 0; s < ns; s++)
        {
          double top = -INFINITY, z = 0.0, v1 = 0.0, e2 = 0.0, var = 0.0, cov = 0.0;
          double skew = 0.0, e3 = 0.0;

          if (mdp->terminal[s])
            {
              for (int o = 0; o < N_ORDERS; o++)
                cur[o * ns + s] = 0.0;
              continue;
            }
          for (int a = 0; a < na; a++)
            {
              int s2 = mdp->succ[mdp->row[s * na + a]];
              gboolean go_on = !mdp->terminal[s2];

              q[a] = beta * rho[s2] + (go_on ? next[s2] : 0.0);
              q1[a] = rho[s2] + (go_on ? next[ns + s2] : 0.0);
              q2[a] = go_on ? next[2 * ns + s2] : 0.0;
              q3[a] = go_on ? next[3 * ns + s2] : 0.0;
              top = MAX (top, q[a]);
            }
          for (int a = 0; a < na; a++)
            {
              q[a] = exp (q[a] - top);
              z += q[a];
              v1 += q[a] * q1[a];
            }
          v1 /= z;
          for (int a = 0; a < na; a++)
            {
              double x = q1[a] - v1;

              e2 += q[a] * q2[a];
              e3 += q[a] * q3[a];
              var += q[a] * x * x;
              cov += q[a] * x * q2[a];
              skew += q[a] * x * x * x;
            }
          cur[s] = top + log (z);
          cur[ns + s] = v1;
          cur[2 * ns + s] = (e2 + var) / z;
          cur[3 * ns + s] = (e3 + 3.0 * cov + skew) / z;
        }
      tmp = next, next = cur, cur = tmp;
    }
  for (int o = 0; o < N_ORDERS; o++)
    memcpy (out + (gsize) o * stride, next + (gsize) o * ns, sizeof (double) * ns);
}

/* V_0 and its derivatives as above, in the exp domain when no partition function can leave
 * the range of doubles (β |ρ| T + T log |A| below 600): Z_t(s) = Σ_a e^{β ρ(s')}
 * Z_{t+1}(s') (1 after a terminal state) and its β-derivatives, linear recursions with one
 * exponential per state instead of one per action, then V = log Z, V' = Z'/Z, V'' = Z''/Z − V'², V''' = Z'''/Z − 3 V' Z''/Z +
 * 2 V'³, on the states of reach only (the values are those of the starts; 0 elsewhere);
 * outside that range, the recursion above. work has 2 N_ORDERS × n_states. */
static void
values_at (const SimMdp *mdp,
           const double *rho,
           const int    *reach_row,
           const int    *reach,
           double        beta,
           double       *work,
           double       *out,
           int           stride)
{
  int ns = mdp->n_states, na = mdp->n_actions;
  double *next = work, *cur = work + N_ORDERS * ns;
  double *e = out;          /* e^{β ρ(s)}, until the values overwrite it */
  double top = 0.0;

  for (int s = 0; s < ns; s++)
    top = MAX (top, fabs (rho[s]));
  if (!(beta * top * mdp->horizon + mdp->horizon * log (na) < 600.0))
    {
      values_at_log (mdp, rho, beta, next, cur, out, stride);
      return;
    }
  for (int s = 0; s < ns; s++)
    e[s] = exp (beta * rho[s]);
  /* Z of a state after the horizon or after entering a terminal state: 1. */
  for (int s = 0; s < ns; s++)
    {
      next[4 * s] = 1.0;
      next[4 * s + 1] = next[4 * s + 2] = next[4 * s + 3] = 0.0;
    }
  for (int t = mdp->horizon - 1; t >= 0; t--)
    {
      const int *from = reach + reach_row[t], *to = from, *end = reach + reach_row[t + 1];

      while (*to >= 0)
        to++;
      /* What entering s2 adds to each of the four sums, state by state first: the
       * derivatives of e^{β ρ} Z_{t+1}(s2). Kept four to a state. */
      for (const int *k = to + 1; k < end; k++)
        {
          int s2 = *k;
          double r = rho[s2], w = e[s2], *y = next + 4 * s2, *g = cur + 4 * s2;

          g[0] = w * y[0];
          g[1] = w * (r * y[0] + y[1]);
          g[2] = w * (r * (r * y[0] + 2.0 * y[1]) + y[2]);
          g[3] = w * (r * (r * (r * y[0] + 3.0 * y[1]) + 3.0 * y[2]) + y[3]);
        }
      for (const int *k = from; k < to; k++)
        {
          int s = *k;
          double z0 = 0.0, z1 = 0.0, z2 = 0.0, z3 = 0.0;

          for (int a = 0; a < na; a++)
            {
              const double *g = cur + 4 * mdp->succ[mdp->row[s * na + a]];

              z0 += g[0];
              z1 += g[1];
              z2 += g[2];
              z3 += g[3];
            }
          next[4 * s] = z0;
          next[4 * s + 1] = z1;
          next[4 * s + 2] = z2;
          next[4 * s + 3] = z3;
        }
    }
  for (int o = 0; o < N_ORDERS; o++)
    memset (out + (gsize) o * stride, 0, sizeof (double) * ns);
  for (const int *k = reach; *k >= 0; k++)
    {
      int s = *k;
      double m1 = next[4 * s + 1] / next[4 * s], m2 = next[4 * s + 2] / next[4 * s];
      double m3 = next[4 * s + 3] / next[4 * s];

      out[s] = log (next[4 * s]);
      out[stride + s] = m1;
      out[2 * stride + s] = m2 - m1 * m1;
      out[3 * stride + s] = m3 - 3.0 * m1 * m2 + 2.0 * m1 * m1 * m1;
    }
}

/* V_0 and its derivatives at every state of every MDP at β: N_ORDERS arrays of every state,
 * V_0 first. */
static double *
values (SimGoalScaleCache *cache,
        double             beta)
{
  int total = cache->offset[cache->mdps->len];
  double *v = g_new (double, N_ORDERS * (gsize) total);
  g_autofree double *work = g_new (double, 2 * N_ORDERS * (gsize) cache->max_states);

  for (guint i = 0; i < cache->mdps->len; i++)
    {
      int o = cache->offset[i];

      const SimMdp *mdp = g_ptr_array_index (cache->mdps, i);

      values_at (mdp, cache->rho + o, cache->reach_row[i], cache->reach[i], beta, work, v + o,
                 total);
    }
  return v;
}

/* Node k is at β = 2^(k / NODES_PER_OCTAVE); K_MIN − 1 stands for β = 0. */
static double
node_beta (int k)
{
  return k < K_MIN ? 0.0 : exp2 ((double) k / NODES_PER_OCTAVE);
}

static const double *
node (SimGoalScaleCache *cache,
      int                k)
{
  double **v = &cache->nodes[k - (K_MIN - 1)];

  if (*v == NULL)
    {
      *v = values (cache, node_beta (k));
      cache->n_nodes++;
    }
  return *v;
}

/* One demonstration's part of the decomposition: its start (an index into the arrays of
 * values), Σ log m and U. */
typedef struct
{
  int start;
  double log_m;
  double u;
} Parts;

/* The parts of every demonstration of irl, in the order of its log-likelihoods; FALSE when
 * one ends before the horizon on a state that is not terminal (its last value would count). */
static gboolean
parts (SimGoalScaleCache *cache,
       SimIrl            *irl,
       Parts             *out)
{
  double log_count[SIM_MDP_MAX_ACTIONS + 1];
  int n = 0;

  for (int m = 0; m <= SIM_MDP_MAX_ACTIONS; m++)
    log_count[m] = log (m);
  for (guint i = 0; i < cache->mdps->len; i++)
    {
      const SimMdp *mdp = g_ptr_array_index (cache->mdps, i);
      const double *rho = cache->rho + cache->offset[i];
      int na = mdp->n_actions;
      int n_traj = sim_irl_get_n_mdp_trajectories (irl, (int) i);

      for (int j = 0; j < n_traj; j++, n++)
        {
          int length;
          const int *states = sim_irl_get_trajectory (irl, (int) i, j, &length);
          Parts *p = &out[n];

          if (length < 1 || !(mdp->start[states[0]] > 0.0) || mdp->terminal[states[0]] ||
              (length - 1 < mdp->horizon && !mdp->terminal[states[length - 1]]))
            return FALSE;
          p->start = cache->offset[i] + states[0];
          p->log_m = p->u = 0.0;
          for (int t = 0; t + 1 < length; t++)
            {
              int s = states[t], m = 0;

              for (int a = 0; a < na; a++)
                m += mdp->succ[mdp->row[s * na + a]] == states[t + 1];
              p->log_m += log_count[m];
              p->u += rho[states[t + 1]];
            }
        }
    }
  return n == sim_irl_get_n_trajectories (irl);
}

gboolean
sim_goal_scale_cache_log_likelihoods (SimGoalScaleCache *cache,
                                      SimIrl            *irl,
                                      double             beta,
                                      double            *ll)
{
  int n = sim_irl_get_n_trajectories (irl);
  g_autofree Parts *p = NULL;
  g_autofree double *v = NULL;

  g_return_val_if_fail (cache != NULL && irl != NULL && ll != NULL, FALSE);
  if (!bind (cache, irl))
    return FALSE;
  p = g_new (Parts, MAX (n, 1));
  if (!parts (cache, irl, p))
    return FALSE;
  v = values (cache, beta);
  for (int i = 0; i < n; i++)
    ll[i] = p[i].log_m + beta * p[i].u - v[p[i].start];
  return TRUE;
}

/* The quintic Hermite interpolant on [b0, b0 + h] of a function given with its first two
 * derivatives at both ends (f0[0..2], f1[0..2]), at b0 + t h: its value and derivative. */
static void
quintic (const double *f0,
         const double *f1,
         double        h,
         double        t,
         double       *value,
         double       *slope)
{
  double t2 = t * t, t3 = t2 * t, t4 = t3 * t, t5 = t4 * t;
  double H[6] = {
    1 - 10 * t3 + 15 * t4 - 6 * t5,
    t - 6 * t3 + 8 * t4 - 3 * t5,
    0.5 * t2 - 1.5 * t3 + 1.5 * t4 - 0.5 * t5,
    0.5 * t3 - t4 + 0.5 * t5,
    -4 * t3 + 7 * t4 - 3 * t5,
    10 * t3 - 15 * t4 + 6 * t5,
  };
  double dH[6] = {
    -30 * t2 + 60 * t3 - 30 * t4,
    1 - 18 * t2 + 32 * t3 - 15 * t4,
    t - 4.5 * t2 + 6 * t3 - 2.5 * t4,
    1.5 * t2 - 4 * t3 + 2.5 * t4,
    -12 * t2 + 28 * t3 - 15 * t4,
    30 * t2 - 60 * t3 + 30 * t4,
  };
  double c[6] = { f0[0], h * f0[1], h * h * f0[2], h * h * f1[2], h * f1[1], f1[0] };

  *value = *slope = 0.0;
  for (int i = 0; i < 6; i++)
    {
      *value += c[i] * H[i];
      *slope += c[i] * dH[i];
    }
  *slope /= h;
}

/* The Hermite interpolant of degree 7 on [b0, b0 + h] of a function given with its first
 * three derivatives at both ends (f0[0..3], f1[0..3]), at b0 + t h: Newton's form on the
 * divided differences of the nodes 0 and 1, each taken four times. */
static double
septic (const double *f0,
        const double *f1,
        double        h,
        double        t)
{
  static const double z[8] = { 0, 0, 0, 0, 1, 1, 1, 1 };
  static const double factorial[4] = { 1, 1, 2, 6 };
  double scale[4] = { 1.0, h, h * h, h * h * h };
  double d[8], top[8], value;

  /* After round j, d[i] is the divided difference on z_i … z_{i+j}; top[j] that of z_0 …
   * z_j, the coefficient of Π_{m<j} (t − z_m). */
  for (int i = 0; i < 8; i++)
    d[i] = i < 4 ? f0[0] : f1[0];
  top[0] = d[0];
  for (int j = 1; j < 8; j++)
    {
      for (int i = 0; i + j < 8; i++)
        d[i] = z[i + j] == z[i] ? (z[i] == 0 ? f0[j] : f1[j]) * scale[j] / factorial[j]
                                : (d[i + 1] - d[i]) / (z[i + j] - z[i]);
      top[j] = d[0];
    }
  value = top[7];
  for (int k = 6; k >= 0; k--)
    value = value * (t - z[k]) + top[k];
  return value;
}

/* The mean over the demonstrations' starts of V_0', V_0'' and V_0''' at node k. */
static void
node_means (SimGoalScaleCache *cache,
            int                k,
            const Parts       *p,
            int                n,
            double            *mean)
{
  const double *v = node (cache, k);
  int total = cache->offset[cache->mdps->len];

  for (int o = 0; o < 3; o++)
    {
      mean[o] = 0.0;
      for (int i = 0; i < n; i++)
        mean[o] += v[(gsize) (o + 1) * total + p[i].start];
      mean[o] /= n;
    }
}

/* Whether the slope of the mean log-likelihood is positive at node k (means into mean). */
static gboolean
rising (SimGoalScaleCache *cache,
        int                k,
        const Parts       *p,
        int                n,
        double             u_mean,
        double            *mean)
{
  node_means (cache, k, p, n, mean);
  return u_mean - mean[0] > 0.0;
}

/* The step δ to the root of the slope f from a node where it is f with derivatives f1 < 0 and
 * f2: the root of its quadratic model f + f1 δ + f2 δ²/2 nearest the node (the Newton step of
 * the linear model where the quadratic one has no root on that side). The slope's curvature
 * is large where the agent is decisive, and the linear model overshoots there by octaves. */
static double
newton_step (double f,
             double f1,
             double f2)
{
  double linear = -f / f1, disc = f1 * f1 - 2.0 * f2 * f;
  double q, root;

  if (f2 == 0.0 || !(disc >= 0.0))
    return linear;
  /* The root of smaller magnitude, in the form that does not cancel. */
  q = -0.5 * (f1 + copysign (sqrt (disc), f1));
  root = f / q;
  return root * linear > 0.0 ? root : linear;
}

/* The maximum-likelihood scale from the nodes: into *beta, with the slope's derivative there
 * into *curvature and the nodes about it into *k_lo (k_lo + 1 above; k_lo alone when β is 0
 * or BETA_MAX, where the slope is not positive or still positive). The slope falls with β
 * (the mean log-likelihood is concave): the bracket of its root is found by steps that
 * double from the node nearest beta0, then halved to adjacent nodes. FALSE when the root
 * lies between 0 and the lowest node above it. */
static gboolean
fit_from_nodes (SimGoalScaleCache *cache,
                const Parts       *p,
                int                n,
                double             beta0,
                double            *beta,
                double            *curvature,
                int               *k_lo)
{
  double u_mean = 0.0, m0[3], m1[3], h, lo = 0.0, hi = 1.0, t = 0.5;
  int k, a, b, step = 1;

  for (int i = 0; i < n; i++)
    u_mean += p[i].u;
  u_mean /= n;

  /* a: the highest node known to rise, b: the lowest known not to (none yet: K_MIN − 2 and
   * K_MAX + 1). Newton steps on the slope from node to node (its derivatives −mean V_0'' and
   * −mean V_0''' are known at each: newton_step()), to the nearest node and at least one node
   * on, kept inside (a, b); after MAX_NEWTON of them, steps that double, then bisection.
   * K_MIN − 1 is β = 0. The slope falls monotonically, so the bracket found, and the fit from
   * it, do not depend on the path: the steps decide only how many nodes are made. */
  a = K_MIN - 2;
  b = K_MAX + 1;
  k = beta0 > 0.0 ? (int) floor (log2 (beta0) * NODES_PER_OCTAVE + 0.5) : 0;
  k = CLAMP (k, K_MIN, K_MAX);
  for (int it = 0; b - a > 1; it++)
    {
      gboolean up = rising (cache, k, p, n, u_mean, m0);
      double target;
      int next;

      if (up)
        a = k;
      else
        b = k;
      if (up && k == K_MAX)
        {
          *beta = node_beta (K_MAX);
          *curvature = -m0[1];
          *k_lo = K_MAX;
          return TRUE;
        }
      if (!up && k == K_MIN - 1)
        {
          /* Not rising at 0 either. */
          *beta = 0.0;
          *curvature = -m0[1];
          *k_lo = K_MIN - 1;
          return TRUE;
        }
      if (b - a <= 1)
        break;
      if (it < MAX_NEWTON && m0[1] > 0.0)
        {
          target = node_beta (k) + newton_step (u_mean - m0[0], -m0[1], -m0[2]);
          next = target >= node_beta (K_MIN) ?
                 (int) floor (log2 (target) * NODES_PER_OCTAVE + 0.5) : K_MIN - 1;
          next = up ? MAX (next, k + 1) : MIN (next, k - 1);
        }
      else if (a >= K_MIN - 1 && b <= K_MAX)
        next = a + (b - a) / 2;
      else if (up)
        next = k + step, step *= 2;
      else
        next = k - step, step *= 2;
      next = CLAMP (next, MAX (a + 1, K_MIN - 1), MIN (b - 1, K_MAX));
      k = next;
    }
  if (a < K_MIN)
    return FALSE;
  node_means (cache, a, p, n, m0);
  node_means (cache, b, p, n, m1);

  /* The root of u_mean − mean V_0' on [β_a, β_b] by the interpolant: Newton steps kept inside
   * the bracket, bisection when one leaves it. */
  h = node_beta (b) - node_beta (a);
  for (int it = 0; it < 100; it++)
    {
      double d, dd, f, df, next;

      quintic (m0, m1, h, t, &d, &dd);
      f = u_mean - d;
      df = -dd * h;
      if (f > 0.0)
        lo = t;
      else
        hi = t;
      next = df < 0.0 ? t - f / df : 0.5 * (lo + hi);
      if (!(next > lo && next < hi))
        next = 0.5 * (lo + hi);
      if (fabs (next - t) <= 1e-15 || hi - lo <= 1e-15)
        {
          t = next;
          break;
        }
      t = next;
    }
  {
    double d, dd;

    quintic (m0, m1, h, t, &d, &dd);
    *curvature = -dd;
  }
  *beta = node_beta (a) + t * h;
  *k_lo = a;
  return TRUE;
}

/* V_0 of state at β from the nodes k and k + 1 by the Hermite interpolant of V_0 … V_0'''
 * (degree 7), or from node k alone when β is its own. Over the live updates of `bench` at
 * 8×8 it is within 10⁻⁷ of the exact V_0 (about 36 there); the quintic of V_0 … V_0'' was
 * within 5·10⁻⁶. */
static double
value_between (SimGoalScaleCache *cache,
               int                k,
               double             beta,
               int                state)
{
  int total = cache->offset[cache->mdps->len];
  const double *v0 = node (cache, k), *v1;
  double b0 = node_beta (k), h, f0[N_ORDERS], f1[N_ORDERS];

  if (beta == b0)
    return v0[state];
  v1 = node (cache, k + 1);
  h = node_beta (k + 1) - b0;
  for (int o = 0; o < N_ORDERS; o++)
    {
      f0[o] = v0[(gsize) o * total + state];
      f1[o] = v1[(gsize) o * total + state];
    }
  return septic (f0, f1, h, (beta - b0) / h);
}

gboolean
sim_goal_fit_toward_cached (SimIrl            *irl,
                            SimGoalScaleCache *cache,
                            SimGoalScale      *scale,
                            double            *theta_fit,
                            double            *ll)
{
  int n, nf;
  g_autofree Parts *p = NULL;
  g_autofree double *interpolated = NULL;
  double beta, curvature;
  int k;

  g_return_val_if_fail (irl != NULL && cache != NULL && scale != NULL && theta_fit != NULL &&
                        ll != NULL, FALSE);
  n = sim_irl_get_n_trajectories (irl);
  nf = cache->n_features;
  if (cache->failed || n == 0 || !sim_irl_prepare (irl, NULL) || !bind (cache, irl))
    return FALSE;
  p = g_new (Parts, n);
  if (!parts (cache, irl, p) ||
      !fit_from_nodes (cache, p, n, scale->beta, &beta, &curvature, &k))
    return FALSE;

  /* The log-likelihoods at the fitted scale from the decomposition, V_0 at each start
   * interpolated between the nodes. */
  for (int j = 0; j < nf; j++)
    theta_fit[j] = beta * cache->unit[j];
  interpolated = g_new (double, cache->offset[cache->mdps->len]);
  for (int i = 0; i < n; i++)
    interpolated[p[i].start] = NAN;
  for (int i = 0; i < n; i++)
    {
      double *v = &interpolated[p[i].start];

      if (isnan (*v))
        *v = value_between (cache, k, beta, p[i].start);
      ll[i] = p[i].log_m + beta * p[i].u - *v;
    }

  /* The first fit on these MDPs checks them with one exact pass: each demonstration's exact
   * log-likelihood gives V_0 at its start as Σ log m + β U − log P, which must be the same
   * for every demonstration from one start (the decomposition holds) and near the
   * interpolant's (the nodes are those of these MDPs). */
  if (!cache->checked)
    {
      g_autofree double *exact = g_new (double, n);
      g_autofree double *implied = g_new (double, cache->offset[cache->mdps->len]);

      if (!sim_irl_trajectory_log_likelihoods (irl, theta_fit, exact, NULL, NULL))
        return FALSE;
      for (int i = 0; i < n; i++)
        implied[p[i].start] = NAN;
      for (int i = 0; i < n; i++)
        {
          double v = p[i].log_m + beta * p[i].u - exact[i], *first = &implied[p[i].start];
          gboolean ok;

          if (isnan (*first))
            {
              *first = v;
              ok = fabs (v - interpolated[p[i].start]) <= NEAR_TOLERANCE * (1.0 + fabs (v));
            }
          else
            ok = fabs (v - *first) <= CHECK_TOLERANCE * (1.0 + fabs (v));
          if (!ok)
            {
              g_warning ("goal-directedness: demonstration %d has log-likelihood %.12g, its "
                         "decomposition %.12g: the scale is searched from now on", i,
                         exact[i], ll[i]);
              cache->failed = TRUE;
              return FALSE;
            }
        }
      cache->checked = TRUE;
    }
  cache->n_fits++;
  scale->beta = beta;
  scale->curvature = curvature;
  return TRUE;
}

gboolean
sim_goal_score_toward_cached (SimIrl                 *irl,
                              SimGoalScaleCache      *cache,
                              SimGoalScale           *scale,
                              const SimGoalBootstrap *boot,
                              SimGoalScore           *score,
                              double                 *theta_fit)
{
  int n = sim_irl_get_n_trajectories (irl);
  g_autofree double *ll = g_new (double, MAX (n, 1));
  g_autofree double *theta = NULL;

  g_return_val_if_fail (irl != NULL && cache != NULL && scale != NULL && score != NULL,
                        FALSE);
  theta = g_new (double, cache->n_features);
  if (!sim_goal_fit_toward_cached (irl, cache, scale, theta, ll))
    return sim_goal_score_toward_from (irl, cache->unit, scale, boot, score, theta_fit);
  if (theta_fit != NULL)
    memcpy (theta_fit, theta, sizeof (double) * cache->n_features);
  if (!sim_goal_score_terms (irl, theta, ll, boot, score))
    return FALSE;
  score->beta = scale->beta;
  return TRUE;
}

const double *
sim_goal_scale_cache_get_utility (const SimGoalScaleCache *cache)
{
  g_return_val_if_fail (cache != NULL, NULL);
  return cache->unit;
}
