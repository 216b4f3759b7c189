/* sim-mdp-icy.c: the "icy" gridworld example MDPs and their demonstrations, for the
 * benchmarks and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-mdp.h"

#include <math.h>
#include <string.h>

/* The icy gridworld. */

static const int icy_dx[4] = { 1, -1, 0, 0 };
static const int icy_dy[4] = { 0, 0, 1, -1 };

static int
icy_move (int size,
          int s,
          int a)
{
  int x = s % size + icy_dx[a];
  int y = s / size + icy_dy[a];

  if (x < 0 || x >= size || y < 0 || y >= size)
    return s;
  return y * size + x;
}

SimMdp *
sim_mdp_new_icy (int      size,
                 double   slip,
                 gboolean one_hot,
                 int      horizon,
                 double   discount,
                 double  *true_reward)
{
  int n;
  int nf;
  int goal, bonus;
  g_autofree SimMdpTransition *trans = NULL;
  g_autofree double *phi = NULL;
  g_autofree SimMdpFeature *one = NULL;
  g_autofree guint8 *terminal = NULL;
  g_autofree double *start = NULL;
  g_autoptr (GError) error = NULL;
  gsize m = 0;
  SimMdp *mdp;

  g_return_val_if_fail (size >= 2 && size <= 2048, NULL);
  g_return_val_if_fail (slip >= 0.0 && slip <= 1.0, NULL);

  n = size * size;
  nf = one_hot ? n : 4;
  goal = n - 1;
  bonus = (size / 5) * size + (3 * size) / 5;

  trans = g_new (SimMdpTransition, (gsize) n * 4 * 5);
  for (int s = 0; s < n; s++)
    for (int a = 0; a < 4; a++)
      {
        /* The intended move with 1 − slip, and slip spread over the four directions. */
        trans[m++] = (SimMdpTransition) { s, a, icy_move (size, s, a), 1.0 - slip };
        for (int d = 0; d < 4; d++)
          trans[m++] = (SimMdpTransition) { s, a, icy_move (size, s, d), slip / 4.0 };
      }

  /* One-hot features as their non-zeros, the others as rows. */
  if (one_hot)
    {
      one = g_new (SimMdpFeature, n);
      for (int s = 0; s < n; s++)
        one[s] = (SimMdpFeature) { s, s, 1.0 };
    }
  else
    {
      phi = g_new0 (double, (gsize) n * nf);
    }
  for (int s = 0; s < n; s++)
    {
      if (!one_hot)
        {
          double *f = phi + (gsize) s * nf;

          f[0] = s == goal ? 1.0 : 0.0;
          f[1] = s == bonus ? 1.0 : 0.0;
          f[2] = (double) (s % size) / (size - 1);
          f[3] = (double) (s / size) / (size - 1);
        }
      if (true_reward != NULL)
        true_reward[s] = s == goal ? 1.0 : s == bonus ? 0.65 : 0.0;
    }
  terminal = g_new0 (guint8, n);
  terminal[goal] = 1;
  start = g_new0 (double, n);
  start[0] = 1.0;

  if (one_hot)
    mdp = sim_mdp_new_sparse (n, 4, nf, trans, m, one, n, terminal, start, horizon, discount,
                              &error);
  else
    mdp = sim_mdp_new (n, 4, nf, trans, m, phi, terminal, start, horizon, discount, &error);
  if (mdp == NULL)
    g_critical ("%s: %s", G_STRFUNC, error->message);
  return mdp;
}

GPtrArray *
sim_mdp_icy_demos (const SimMdp *mdp,
                   const double *true_reward,
                   double        gamma,
                   double        weight,
                   int           n,
                   int           max_steps,
                   gsl_rng      *rng)
{
  int ns, na, size;
  g_autofree double *v = NULL;
  g_autofree double *u = NULL;
  g_autofree double *q = NULL;
  GPtrArray *demos;

  g_return_val_if_fail (mdp != NULL && true_reward != NULL && rng != NULL, NULL);
  g_return_val_if_fail (mdp->n_actions == 4, NULL);
  g_return_val_if_fail (gamma > 0.0 && gamma < 1.0, NULL);

  ns = mdp->n_states;
  na = mdp->n_actions;
  size = (int) lround (sqrt ((double) ns));
  g_return_val_if_fail (size * size == ns, NULL);

  /* Value iteration: U(s') = r(s') + γ (1 − term(s')) V(s'), V(s) = max_a Σ P U. */
  v = g_new0 (double, ns);
  u = g_new0 (double, ns);
  q = g_new0 (double, (gsize) ns * na);
  for (int it = 0; it < 100000; it++)
    {
      double change = 0.0;

      for (int s = 0; s < ns; s++)
        u[s] = true_reward[s] + (mdp->terminal[s] ? 0.0 : gamma * v[s]);
      for (int s = 0; s < ns; s++)
        {
          double best = -G_MAXDOUBLE;

          if (mdp->terminal[s])
            continue;
          for (int a = 0; a < na; a++)
            {
              gsize r = (gsize) s * na + a;
              double sum = 0.0;

              for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
                sum += mdp->prob[k] * u[mdp->succ[k]];
              q[r] = sum;
              best = MAX (best, sum);
            }
          change = MAX (change, fabs (best - v[s]));
          v[s] = best;
        }
      /* Values travel one cell per sweep: give them the whole grid before stopping. */
      if (change < 1e-13 && it >= 4 * size)
        break;
    }
  for (int s = 0; s < ns; s++)
    u[s] = true_reward[s] + (mdp->terminal[s] ? 0.0 : gamma * v[s]);

  demos = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (int i = 0; i < n; i++)
    {
      GArray *tr = g_array_new (FALSE, FALSE, sizeof (int));
      int s = 0;

      for (int t0 = 0; t0 < ns; t0++)
        if (mdp->start[t0] > 0.0)
          {
            s = t0;
            break;
          }
      g_array_append_val (tr, s);
      for (int t = 0; t < max_steps && !mdp->terminal[s]; t++)
        {
          int a = 0;
          double acc = 0.0, pick;
          gsize r;

          if (weight > 0.0)
            {
              double w[4], sum = 0.0, top = -G_MAXDOUBLE;

              for (int b = 0; b < 4; b++)
                top = MAX (top, u[icy_move (size, s, b)]);
              for (int b = 0; b < 4; b++)
                {
                  w[b] = exp (weight * (u[icy_move (size, s, b)] - top));
                  sum += w[b];
                }
              pick = gsl_rng_uniform (rng) * sum;
              for (a = 0; a < 3; a++)
                {
                  acc += w[a];
                  if (pick < acc)
                    break;
                }
            }
          else
            {
              for (int b = 1; b < 4; b++)
                if (q[(gsize) s * na + b] > q[(gsize) s * na + a] + 1e-12 * fabs (q[(gsize) s * na + a]))
                  a = b;
            }

          r = (gsize) s * na + a;
          pick = gsl_rng_uniform (rng);
          acc = 0.0;
          {
            int k;
            for (k = mdp->row[r]; k < mdp->row[r + 1] - 1; k++)
              {
                acc += mdp->prob[k];
                if (pick < acc)
                  break;
              }
            s = mdp->succ[k];
          }
          g_array_append_val (tr, s);
        }
      g_ptr_array_add (demos, tr);
    }
  return demos;
}
