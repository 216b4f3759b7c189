/* sim-irl-hessian.c: the exact Hessian of the MaxEnt IRL objective for finite horizons, from
 * one forward pass of the injections and one backward pass of the expected feature counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Notation of sim-irl.c; ψ_t(s,a) = ∇Q_t(s,a) = Σ_s' P(s'|s,a) H_t(s') with
 * H_t(s') = φ(s') + k(s') G_{t+1}(s') and k(s') = γ (1 − term(s')) (task->keep), G_T = 0.
 * V_t(s) = log Σ_a exp Q_t(s,a), so ∇²V_t(s) = Cov_{a~π_t(·|s)}[ψ_t(s,a)] + Σ_s' π_t(s'|s)
 * k(s') ∇²V_{t+1}(s') (π_t(s'|s) = Σ_a π_t(a|s) P(s'|s,a)). The log-likelihood is linear
 * terms plus Σ c_t(s) V_t(s) with the injections c, plus, for the causal recursion on
 * stochastic MDPs, log Σ_a P(s2|s,a) exp Q_t(s,a) per demonstrated step; unrolled,
 *     ∇² Σ c V = Σ_{t,s} D_t(s) Cov_{π_t(·|s)}[ψ_t(s,·)],
 * with D_t the mass the forward pass propagates from the injections (D_0 = c_0,
 * D_{t+1}(s') = k(s') A_t(s') + c_{t+1}(s'), A_t(s') = Σ_s D_t(s) π_t(s'|s) the arrivals),
 * and each demonstrated step adds its count times the covariance of ψ under the posterior of
 * its action.
 *
 * The paths recursion (deterministic MDPs too) sees ψ only through the successor:
 * ψ_t(s,a) = H_t(s'), so Σ_s D_t(s) E_π[ψψᵀ] = Σ_s' A_t(s') H_t(s') H_t(s')ᵀ. Expanding
 * H H ᵀ and using D_{t+1} = k A_t + c_{t+1}, the sum collapses to
 *     Σ_s' ρ(s') φφᵀ + Σ_s' k(s') (φ Bᵀ + B φᵀ)(s') − Σ_{t,s} c_t(s) G_t G_tᵀ(s)
 *       + Σ_{t,s'} (k² − k)(s') A_t(s') G_{t+1} G_{t+1}ᵀ(s'),
 * with ρ = Σ_t A_t and B(s') = Σ_t A_t(s') G_{t+1}(s'); the last sum is 0 when γ = 1. Only
 * the sparse injections need an outer product of G: the work is a backward pass of F-vectors
 * (rows of whole blocks of 8, which vectorise) and one scalar forward pass, against F
 * gradients by differences (each a backward and a forward pass): half the instructions on the
 * gridworld probe battery at 16×16. The causal recursion on stochastic MDPs takes the
 * covariances per state and action instead, O(S T A F²). The objective's Hessian is −1/n
 * times the sum over tasks, plus 2 l2 I.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_matrix.h>

#include "sim-irl-private.h"
#include "sim-vector.h"

/* acc += w x xᵀ (upper triangle, nf × nf). */
static inline void
add_outer (double       *acc,
           int           nf,
           double        w,
           const double *x)
{
  for (int i = 0; i < nf; i++)
    {
      double wi = w * x[i];

      if (wi == 0.0)
        continue;
      for (int j = i; j < nf; j++)
        acc[i * nf + j] += wi * x[j];
    }
}

/* The F-vectors of a state are rows of nb = 8 ⌈F/8⌉ doubles, zero beyond F, so that the inner
 * loops run over whole blocks of 8. */
static inline void
block_axpy (double       *y,
            double        a,
            const double *x,
            int           nb)
{
  for (int jb = 0; jb < nb; jb += 8)
    for (int j = 0; j < 8; j++)
      y[jb + j] += a * x[jb + j];
}

/* h = φ(s') + k(s') Gn(s') on every state that can be entered (the others are never read). */
static void
fill_h (const Task   *task,
        int           nb,
        const double *Gn,
        double       *h)
{
  const SimMdp *mdp = task->mdp;

  for (int s = 0; s < mdp->n_states; s++)
    {
      double *hs = h + (gsize) s * nb;
      const double *gs = Gn + (gsize) s * nb;
      double k = task->keep[s];

      if (!task->enterable[s])
        continue;
      for (int jb = 0; jb < nb; jb += 8)
        for (int j = 0; j < 8; j++)
          hs[jb + j] = k * gs[jb + j];
      for (int i = mdp->phi_row[s]; i < mdp->phi_row[s + 1]; i++)
        hs[mdp->phi_col[i]] += mdp->phi_val[i];
    }
}

/* The paths recursion at step t (after sim_irl_task_step_setup()): π_t(s'|s) over the
 * successor list of s into p, normalised as sim_irl_task_propagate() does. FALSE when s has
 * no path left (it holds no mass). */
static gboolean
successor_probs (const Task *task,
                 int         s,
                 double     *p)
{
  const double *e = task->e;
  const int *w_succ = task->w_succ;
  const double *w_prob = task->w_prob;
  int k0 = task->w_row[s], k1 = task->w_row[s + 1];
  double z = 0.0;

  for (int k = k0; k < k1; k++)
    z += w_prob[k] * e[w_succ[k]];
  if (z > exp (LOG_FLOOR))
    {
      for (int k = k0; k < k1; k++)
        p[k - k0] = w_prob[k] * e[w_succ[k]] / z;
      return TRUE;
    }
  if (task->fast || k1 == k0)
    return FALSE;
  {
    double mm = -G_MAXDOUBLE;

    for (int k = k0; k < k1; k++)
      mm = MAX (mm, task->u[w_succ[k]]);
    z = 0.0;
    for (int k = k0; k < k1; k++)
      {
        p[k - k0] = w_prob[k] * exp (task->u[w_succ[k]] - mm);
        z += p[k - k0];
      }
    for (int k = k0; k < k1; k++)
      p[k - k0] /= z;
  }
  return TRUE;
}

/* The causal recursion at step t: ψ_t(s,a) (na × nf, from h = H_t) and log π_t(a|s) up to a
 * constant, into q. */
static void
action_terms (const Task   *task,
              int           s,
              int           nb,
              const double *h,
              double       *psi,
              double       *q)
{
  const SimMdp *mdp = task->mdp;
  int na = mdp->n_actions;
  int nf = mdp->n_features;

  for (int a = 0; a < na; a++)
    {
      gsize r = (gsize) s * na + a;
      double *pa = psi + (gsize) a * nf;
      double qa = 0.0;

      memset (pa, 0, sizeof (double) * nf);
      for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
        {
          const double *hs = h + (gsize) mdp->succ[k] * nb;
          double pk = mdp->prob[k];

          qa += pk * task->u[mdp->succ[k]];
          for (int j = 0; j < nf; j++)
            pa[j] += pk * hs[j];
        }
      q[a] = qa;
    }
}

/* acc += weight Cov_w[ψ] for the weights w (na, summing to 1), and mean = E_w[ψ]. */
static void
add_covariance (double       *acc,
                int           na,
                int           nf,
                double        weight,
                const double *w,
                const double *psi,
                double       *mean)
{
  memset (mean, 0, sizeof (double) * nf);
  for (int a = 0; a < na; a++)
    for (int j = 0; j < nf; j++)
      mean[j] += w[a] * psi[(gsize) a * nf + j];
  if (weight == 0.0)
    return;
  for (int a = 0; a < na; a++)
    if (w[a] > 0.0)
      add_outer (acc, nf, weight * w[a], psi + (gsize) a * nf);
  add_outer (acc, nf, -weight, mean);
}

/* Softmax of q (na) into w. */
static void
softmax (const double *q,
         int           na,
         double       *w)
{
  double mm = -G_MAXDOUBLE, z = 0.0;

  for (int a = 0; a < na; a++)
    mm = MAX (mm, q[a]);
  for (int a = 0; a < na; a++)
    {
      w[a] = exp (q[a] - mm);
      z += w[a];
    }
  for (int a = 0; a < na; a++)
    w[a] /= z;
}

/* G_t for a gridworld task of the exp-domain passes at step t (after
 * sim_irl_task_step_setup()), on its active states (G of the others stays 0): with
 * K(s') = e_t(s') H_t(s') on the states that can be entered (0 elsewhere, walls and the
 * border included, where e_t is 0), G_t(s) = Σ_moves K(s') / Z_t(s) over the moves of
 * grid_sum() in sim-irl-passes.c, with Z_t the backward pass's row (all rows are kept).
 * Also B += A_t G_{t+1} on the states that can be entered (the only ones with arrivals).
 * phi holds φ as rows of nb. */
static inline G_ALWAYS_INLINE void
grid_counts (const Task   *task,
             int           t,
             int           nb,
             const double *phi,
             const double *at,
             const double *Gn,
             double       *K,
             double       *B,
             double       *G)
{
  int W = task->mdp->grid_width;
  gsize up = (gsize) W * nb;
  const double *e = task->e;
  const double *Z = task->V + (gsize) t * task->mdp->n_states;
  const double *left = task->move[2], *right = task->move[3];

  for (int i = 0; i < task->n_entered; i++)
    {
      int s = task->entered[i];
      double *ks = K + (gsize) s * nb;
      double *bs = B + (gsize) s * nb;
      const double *gs = Gn + (gsize) s * nb;
      const double *ps = phi + (gsize) s * nb;
      double es = e[s];
      double k = task->keep[s];
      double a = at[s];

      for (int jb = 0; jb < nb; jb += 8)
        for (int j = 0; j < 8; j++)
          {
            ks[jb + j] = es * (ps[jb + j] + k * gs[jb + j]);
            bs[jb + j] += a * gs[jb + j];
          }
    }
  for (int i = 0; i < task->n_active; i++)
    {
      int s = task->active[i];
      double *gs = G + (gsize) s * nb;
      const double *ks = K + (gsize) s * nb;
      double sm = task->self_moves[s], l = left[s], r = right[s];
      double iz = 1.0 / Z[s];

      for (int jb = 0; jb < nb; jb += 8)
        for (int j = 0; j < 8; j++)
          gs[jb + j] = iz * (sm * ks[jb + j] + ks[up + jb + j] + ks[jb + j - up] +
                             l * ks[jb + j - nb] + r * ks[jb + j + nb]);
    }
}

gboolean
sim_irl_task_hessian_applies (const Task *task)
{
  gint64 nb = (task->mdp->n_features + 7) / 8 * 8;

  /* The rows of arrivals are as large as the kept rows of values; the four arrays of
   * F-vectors stay within one workspace array's limit. */
  return task->T > 0 && task->ck == 0 && task->inj_row != NULL &&
         4 * nb * task->mdp->n_states <= MAX_ARRAY_DOUBLES;
}

/* Adds ∇² of the task's log-likelihood (upper triangle) to acc, for the values and
 * injections the last evaluation with a gradient left. */
void
sim_irl_task_hessian (Task   *task,
                      double *acc)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  int nf = mdp->n_features;
  int nb = (nf + 7) / 8 * 8;
  int na = mdp->n_actions;
  int T = task->T;
  /* Gridworlds whose passes took the exp domain: shifted reads, as in the passes. */
  gboolean grid = task->fast && task->grid;
  const guint8 *term = mdp->terminal;
  const double *keep = task->keep;
  /* (k² − k) A_t G_{t+1} G_{t+1}ᵀ: 0 with γ = 1. */
  double k2 = mdp->discount * mdp->discount - mdp->discount;
  gsize sf = (gsize) ns * nb;
  int max_succ = 1;
  /* Every state's G row is 0 until written: a gridworld pass writes the active states' rows
   * only. The grid's forward pass writes every arrival; h is read only where it was
   * written. */
  g_autofree double *arr = grid ? g_new (double, (gsize) T * ns) : g_new0 (double, (gsize) T * ns);
  g_autofree double *Dr = task->paths ? NULL : g_new (double, (gsize) T * ns);
  g_autofree double *Gn = g_new0 (double, sf);
  g_autofree double *G = g_new0 (double, sf);
  g_autofree double *h = grid ? NULL : g_new (double, sf);
  g_autofree double *B = task->paths ? g_new0 (double, sf) : NULL;
  g_autofree double *p = NULL;
  g_autofree double *psi = task->paths ? NULL : g_new (double, (gsize) na * nf);
  g_autofree double *mean = g_new (double, nf);
  g_autofree double *gv = g_new (double, nf);
  double q[SIM_MDP_MAX_ACTIONS], w[SIM_MDP_MAX_ACTIONS];
  int si = (int) task->steps->len - 1;
  g_autofree double *K_mem = NULL;
  g_autofree double *phi = NULL;
  double *K = NULL;

  if (grid)
    {
      K_mem = g_new0 (double, (gsize) (ns + 2 * task->pad) * nb);
      K = K_mem + (gsize) task->pad * nb;
      phi = g_new0 (double, sf);
      for (int s = 0; s < ns; s++)
        for (int i = mdp->phi_row[s]; i < mdp->phi_row[s + 1]; i++)
          phi[(gsize) s * nb + mdp->phi_col[i]] = mdp->phi_val[i];
    }
  if (task->paths)
    for (int s = 0; s < ns; s++)
      max_succ = MAX (max_succ, task->w_row[s + 1] - task->w_row[s]);
  p = g_new (double, max_succ);

  /* Forward: the arrivals A_t (and the masses D_t) from the injections. */
  if (grid)
    sim_irl_task_forward_arrivals (task, arr);
  else
    memcpy (task->D, task->C, sizeof (double) * ns);
  for (int t = 0; t < T && !grid; t++)
    {
      double *D = task->D, *Dn = task->Dn, *tmp;

      sim_irl_task_step_setup (task, t);
      if (Dr != NULL)
        memcpy (Dr + (gsize) t * ns, D, sizeof (double) * ns);
      memset (Dn, 0, sizeof (double) * ns);
      if (t + 1 < T)
        for (int k = task->inj_row[t + 1]; k < task->inj_row[t + 2]; k++)
          Dn[task->inj_s[k]] = task->inj_v[k];
      for (int s = 0; s < ns; s++)
        if (D[s] != 0.0 && !term[s])
          sim_irl_task_propagate (task, s, D[s], arr + (gsize) t * ns, Dn);
      tmp = task->D;
      task->D = task->Dn;
      task->Dn = tmp;
    }

  /* Backward: G_t from G_{t+1}, and the terms of each step. */
  for (int t = T - 1; t >= 0; t--)
    {
      const double *at = arr + (gsize) t * ns;
      double *tmp;

      sim_irl_task_step_setup (task, t);
      if (!grid)
        fill_h (task, nb, Gn, h);
      if (task->paths)
        {
          for (int s = 0; s < ns && (!grid || k2 != 0.0); s++)
            {
              const double *gs = Gn + (gsize) s * nb;

              if (at[s] == 0.0 || keep[s] == 0.0)
                continue;
              if (!grid)
                block_axpy (B + (gsize) s * nb, at[s], gs, nb);
              if (k2 != 0.0)
                add_outer (acc, nf, k2 * at[s], gs);
            }
          /* With one block of features (F ≤ 8, the gridworld scenarios) its loops unroll. */
          if (grid && nb == 8)
            grid_counts (task, t, 8, phi, at, Gn, K, B, G);
          else if (grid)
            grid_counts (task, t, nb, phi, at, Gn, K, B, G);
          for (int s = 0; s < ns && !grid; s++)
            {
              double *gs = G + (gsize) s * nb;
              int k0 = task->w_row[s], k1 = task->w_row[s + 1];

              if (term[s] || !task->relevant[s] || !successor_probs (task, s, p))
                {
                  memset (gs, 0, sizeof (double) * nb);
                  continue;
                }
              for (int jb = 0; jb < nb; jb += 8)
                {
                  double r[8] = { 0.0 };

                  for (int k = k0; k < k1; k++)
                    {
                      const double *hs = h + (gsize) task->w_succ[k] * nb + jb;
                      double pk = p[k - k0];

                      for (int j = 0; j < 8; j++)
                        r[j] += pk * hs[j];
                    }
                  memcpy (gs + jb, r, sizeof r);
                }
            }
          for (int k = task->inj_row[t]; k < task->inj_row[t + 1]; k++)
            add_outer (acc, nf, -task->inj_v[k], G + (gsize) task->inj_s[k] * nb);
        }
      else
        {
          const double *Dt = Dr + (gsize) t * ns;

          for (int s = 0; s < ns; s++)
            {
              double *gs = G + (gsize) s * nb;

              memset (gs, 0, sizeof (double) * nb);
              if (term[s] || !task->relevant[s])
                continue;
              action_terms (task, s, nb, h, psi, q);
              softmax (q, na, w);
              add_covariance (acc, na, nf, Dt[s], w, psi, gv);
              memcpy (gs, gv, sizeof (double) * nf);
            }
          /* The demonstrated steps of t: the covariance of ψ under the posterior of the
           * action, w(a) ∝ π_t(a|s) P(s2|s,a). */
          for (; si >= 0 && g_array_index (task->steps, Step, si).t == t; si--)
            {
              const Step *st = &g_array_index (task->steps, Step, si);
              double z = 0.0;

              action_terms (task, st->s, nb, h, psi, q);
              softmax (q, na, w);
              for (int a = 0; a < na; a++)
                {
                  gsize r = (gsize) st->s * na + a;
                  double pa = 0.0;

                  for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
                    if (mdp->succ[k] == st->s2)
                      pa += mdp->prob[k];
                  w[a] *= pa;
                  z += w[a];
                }
              if (!(z > 0.0))
                continue;
              for (int a = 0; a < na; a++)
                w[a] /= z;
              add_covariance (acc, na, nf, st->count, w, psi, mean);
            }
        }
      tmp = Gn;
      Gn = G;
      G = tmp;
    }

  if (!task->paths)
    return;
  /* Σ ρ φφᵀ + Σ k (φ Bᵀ + B φᵀ), over the non-zero features of each state. */
  for (int s = 0; s < ns; s++)
    {
      /* The grid's forward pass summed the arrivals into task->rho. */
      double rho = grid ? task->rho[s] : 0.0;
      const double *bs = B + (gsize) s * nb;

      for (int t = 0; t < T && !grid; t++)
        rho += arr[(gsize) t * ns + s];
      for (int i = mdp->phi_row[s]; i < mdp->phi_row[s + 1]; i++)
        {
          int fi = mdp->phi_col[i];
          double vi = mdp->phi_val[i];

          for (int j = mdp->phi_row[s]; j < mdp->phi_row[s + 1]; j++)
            if (mdp->phi_col[j] >= fi)
              acc[fi * nf + mdp->phi_col[j]] += rho * vi * mdp->phi_val[j];
          if (keep[s] == 0.0)
            continue;
          for (int j = 0; j < nf; j++)
            {
              double v = keep[s] * vi * bs[j];

              /* φ Bᵀ + B φᵀ, folded onto the upper triangle. */
              if (j >= fi)
                acc[fi * nf + j] += v;
              if (j <= fi)
                acc[j * nf + fi] += v;
            }
        }
    }
}

/* Beyond this many features the solver takes no Hessian (sim-irl-solver.c), and the rows of
 * F-vectors here would be large. */
#define MAX_EXACT_FEATURES 64

/* The task's part of the Hessian's sum at the last evaluation, made once per evaluation. */
static const double *
task_hessian_part (SimIrl *self,
                   Task   *task)
{
  gsize nf2 = (gsize) self->n_features * self->n_features;

  if (!task->hess_ready)
    {
      if (task->part_hess == NULL)
        task->part_hess = g_new (double, nf2);
      memset (task->part_hess, 0, sizeof (double) * nf2);
      sim_irl_task_hessian (task, task->part_hess);
      task->hess_ready = TRUE;
    }
  return task->part_hess;
}

/* The k-th task of the list mdps, or the k-th task when mdps is NULL. */
static Task *
listed_task (SimIrl    *self,
             const int *mdps,
             int        k)
{
  return g_ptr_array_index (self->tasks, mdps != NULL ? mdps[k] : k);
}

/* The objective, gradient and Hessian at theta of the demonstrations on the MDPs listed
 * (all of them when mdps is NULL): −(1/m) Σ log P + l2 ‖θ‖² over their m demonstrations. The
 * tasks' parts are summed in the order listed. */
static gboolean
hessian_of (SimIrl       *self,
            const double *theta,
            double        l2,
            int           n_mdps,
            const int    *mdps,
            double       *f,
            double       *grad,
            double       *hessian)
{
  int nf;
  int n_tasks;
  double m = 0.0, ll = 0.0;
  g_autofree double *g = NULL;
  g_autofree double *acc = NULL;

  nf = self->n_features;
  if (nf > MAX_EXACT_FEATURES)
    return FALSE;
  /* The values and injections of θ (from the cache when the last evaluation was there). */
  g = g_new0 (double, nf);
  if (!isfinite (sim_irl_evaluate (self, theta, l2, g)))
    return FALSE;
  n_tasks = mdps != NULL ? n_mdps : (int) self->tasks->len;
  for (int k = 0; k < n_tasks; k++)
    {
      Task *task = listed_task (self, mdps, k);

      if (task->trajs->len > 0 && !sim_irl_task_hessian_applies (task))
        return FALSE;
    }
  acc = g_new0 (double, (gsize) nf * nf);
  if (grad != NULL)
    memset (grad, 0, sizeof (double) * nf);
  for (int k = 0; k < n_tasks; k++)
    {
      Task *task = listed_task (self, mdps, k);
      const double *part;

      if (task->trajs->len == 0)
        continue;
      part = task_hessian_part (self, task);
      for (int i = 0; i < nf; i++)
        for (int j = i; j < nf; j++)
          acc[i * nf + j] += part[i * nf + j];
      m += task->trajs->len;
      ll += task->part_ll;
      if (grad != NULL)
        for (int j = 0; j < nf; j++)
          grad[j] += task->part_grad[j];
    }
  m = MAX (m, 1.0);
  if (f != NULL)
    *f = -ll / m + l2 * sim_vec_dot (theta, theta, nf);
  if (grad != NULL)
    for (int j = 0; j < nf; j++)
      grad[j] = grad[j] / m + 2.0 * l2 * theta[j];
  for (int i = 0; i < nf; i++)
    for (int j = i; j < nf; j++)
      {
        double v = -acc[i * nf + j] / m + (i == j ? 2.0 * l2 : 0.0);

        hessian[i * nf + j] = v;
        hessian[j * nf + i] = v;
      }
  return TRUE;
}

gboolean
sim_irl_hessian (SimIrl       *self,
                 const double *theta,
                 double        l2,
                 double       *hessian)
{
  g_return_val_if_fail (self != NULL && theta != NULL && hessian != NULL, FALSE);
  return hessian_of (self, theta, l2, 0, NULL, NULL, NULL, hessian);
}

gboolean
sim_irl_subset_hessian (SimIrl       *self,
                        const double *theta,
                        double        l2,
                        int           n_mdps,
                        const int    *mdps,
                        double       *f,
                        double       *grad,
                        double       *hessian)
{
  g_return_val_if_fail (self != NULL && theta != NULL && hessian != NULL, FALSE);
  g_return_val_if_fail (n_mdps >= 0 && (n_mdps == 0 || mdps != NULL), FALSE);
  for (int k = 0; k < n_mdps; k++)
    g_return_val_if_fail (mdps[k] >= 0 && (guint) mdps[k] < self->tasks->len, FALSE);
  return hessian_of (self, theta, l2, n_mdps, mdps, f, grad, hessian);
}
