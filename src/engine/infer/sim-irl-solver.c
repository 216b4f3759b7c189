/* sim-irl-solver.c: minimising the MaxEnt IRL objective (dense BFGS from a finite-difference
 * Hessian, or libLBFGS's limited-memory BFGS for many features) and the uncertainty of the
 * optimum; both only call the objective of sim-irl.c, and the uncertainty the exact Hessian of
 * sim-irl-hessian.c where it applies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <lbfgs.h>

#include "sim-irl-private.h"
#include "sim-vector.h"

/* The solver. Up to MAX_PRECONDITIONED_FEATURES features: dense BFGS (bfgs_dense() below)
 * from the Hessian at the start point, by forward differences of the exact gradient. Beyond:
 * libLBFGS (lbfgs_many() below), limited-memory BFGS with the More–Thuente line search. */

void
sim_irl_result_clear (SimIrlResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->theta, g_free);
  g_clear_pointer (&result->unit, g_free);
  g_clear_pointer (&result->uncertainty, g_free);
  g_clear_pointer (&result->trajectory_ll, g_free);
  memset (result, 0, sizeof *result);
}

/* Beyond this many features the solver runs without the Hessian (it costs one gradient per
 * feature) and without the dense inverse. */
#define MAX_PRECONDITIONED_FEATURES 64
/* The pairs of steps and gradient changes libLBFGS keeps (memory 2 × 8 bytes × this per
 * feature). Of 3 to 30, 30 took the fewest evaluations on the one-hot icy grids: a median of
 * 88.5 against 94.5 with 15 and 91.5 with 20 on the 64×64 causal grid (ten sets of
 * demonstrations), 167 against 194 with MaxEnt over paths (five), 64 against 79 and 292 against
 * 351 on the 128×128 grid (causal, paths). */
#define LBFGS_MEMORY 30

/* H by forward differences of the gradient at theta (g = ∇ there), symmetrised. */
static void
fd_hessian (SimIrl       *self,
            const double *theta,
            const double *g,
            double        l2,
            gsl_matrix   *H)
{
  int nf = self->n_features;
  g_autofree double *th = g_memdup2 (theta, sizeof (double) * nf);
  g_autofree double *g1 = g_new0 (double, nf);

  for (int i = 0; i < nf; i++)
    {
      double h = 1e-5 * MAX (1.0, fabs (theta[i]));

      th[i] = theta[i] + h;
      sim_irl_evaluate (self, th, l2, g1);
      th[i] = theta[i];
      for (int j = 0; j < nf; j++)
        gsl_matrix_set (H, i, j, (g1[j] - g[j]) / h);
    }
  for (int i = 0; i < nf; i++)
    for (int j = 0; j < i; j++)
      {
        double v = 0.5 * (gsl_matrix_get (H, i, j) + gsl_matrix_get (H, j, i));
        gsl_matrix_set (H, i, j, v);
        gsl_matrix_set (H, j, i, v);
      }
}

/* Cholesky factor of H in place (lower triangle), with a ridge added when rounding or a
 * non-convex region leaves H indefinite. Returns FALSE if even that fails. */
static gboolean
cholesky_with_ridge (gsl_matrix *H,
                     double      l2)
{
  int nf = (int) H->size1;
  g_autoptr (GArray) diag = g_array_sized_new (FALSE, FALSE, sizeof (double), nf);
  double top = 0.0;

  for (int i = 0; i < nf; i++)
    {
      double v = gsl_matrix_get (H, i, i);
      g_array_append_val (diag, v);
      if (isfinite (v))
        top = MAX (top, fabs (v));
    }
  for (int attempt = 0; attempt < 12; attempt++)
    {
      double ridge = attempt == 0 ? 0.0 : MAX (2.0 * l2, 1e-10 * MAX (top, 1.0)) *
                                          pow (10.0, attempt - 1);
      gboolean finite = TRUE;

      for (int i = 0; i < nf; i++)
        for (int j = 0; j <= i; j++)
          {
            /* gsl's decomposition overwrote the lower triangle: rebuild it from the upper. */
            double v = i == j ? g_array_index (diag, double, i) : gsl_matrix_get (H, j, i);
            if (i == j)
              v += ridge;
            finite = finite && isfinite (v);
            gsl_matrix_set (H, i, j, v);
          }
      if (!finite)
        return FALSE;
      if (gsl_linalg_cholesky_decomp1 (H) == GSL_SUCCESS)
        return TRUE;
    }
  return FALSE;
}

/* The longest step the line search tries, in θ (a guard against overflow far from the optimum). */
#define MAX_STEP 10.0

/* B = H⁻¹ from a Hessian H (destroyed): Cholesky with a ridge where needed, then the inverse.
 * Returns FALSE if H cannot be factorised. */
static gboolean
invert_hessian (gsl_matrix *H,
                double      l2)
{
  if (!cholesky_with_ridge (H, l2))
    return FALSE;
  return gsl_linalg_cholesky_invert (H) == GSL_SUCCESS;
}

/* With the paths recursion, γ = 1 and a horizon, θ = 0 weighs a path by the product of its
 * Σ_a P, which grows like |A|^T: the partition function is dominated by paths as long as the
 * horizon, and the objective there is far from its optimum and far from quadratic. When the
 * features can express a constant reward (some u with φ(s)·u = 1 on every state), the reward
 * −log |A| per step removes that growth. Writes that θ and returns TRUE when it applies. */
static gboolean
critical_start (SimIrl *self,
                double *theta)
{
  int nf = self->n_features;
  gboolean supercritical = FALSE;
  int n_actions = 0;
  gsl_matrix *A;
  gsl_vector *b, *u;
  gboolean ok = FALSE;

  for (guint k = 0; k < self->tasks->len; k++)
    {
      Task *task = g_ptr_array_index (self->tasks, k);

      if (task->trajs->len > 0 && task->paths && task->T > 0 && task->mdp->discount == 1.0)
        {
          supercritical = TRUE;
          n_actions = MAX (n_actions, task->mdp->n_actions);
        }
    }
  if (!supercritical || n_actions < 2)
    return FALSE;

  /* u by least squares over every state, kept only when it fits exactly. */
  A = gsl_matrix_calloc (nf, nf);
  b = gsl_vector_calloc (nf);
  u = gsl_vector_alloc (nf);
  for (guint k = 0; k < self->tasks->len; k++)
    {
      const SimMdp *mdp = ((Task *) g_ptr_array_index (self->tasks, k))->mdp;

      /* Over the non-zero features of each state, in increasing order: the products with
       * the zero ones would add ±0, which changes no sum. */
      for (int s = 0; s < mdp->n_states; s++)
        for (int ki = mdp->phi_row[s]; ki < mdp->phi_row[s + 1]; ki++)
          {
            int i = mdp->phi_col[ki];
            double pi = mdp->phi_val[ki];

            gsl_vector_set (b, i, gsl_vector_get (b, i) + pi);
            for (int kj = mdp->phi_row[s]; kj < mdp->phi_row[s + 1]; kj++)
              {
                int j = mdp->phi_col[kj];

                gsl_matrix_set (A, i, j, gsl_matrix_get (A, i, j) + pi * mdp->phi_val[kj]);
              }
          }
    }
  if (cholesky_with_ridge (A, 0.0) && gsl_linalg_cholesky_solve (A, b, u) == GSL_SUCCESS)
    {
      ok = TRUE;
      for (guint k = 0; k < self->tasks->len && ok; k++)
        {
          const SimMdp *mdp = ((Task *) g_ptr_array_index (self->tasks, k))->mdp;

          for (int s = 0; s < mdp->n_states && ok; s++)
            ok = fabs (sim_mdp_reward (mdp, s, u->data) - 1.0) <= 1e-9;
        }
    }
  if (ok)
    for (int i = 0; i < nf; i++)
      theta[i] = -log ((double) n_actions) * gsl_vector_get (u, i);
  gsl_matrix_free (A);
  gsl_vector_free (b);
  gsl_vector_free (u);
  return ok;
}

/* Dense BFGS on θ: B approximates the inverse Hessian, starts from the given matrix and takes
 * the rank-two update after every step (the objective is convex, so sᵀy > 0 keeps B positive
 * definite). Each iteration tries the full quasi-Newton step p = −B∇ (at most MAX_STEP long,
 * and within a radius set by the previous step) and backtracks by interpolation until the
 * Armijo condition holds; a good start matrix makes that one evaluation per iteration. theta,
 * grad and *f hold the best point, in and out. Returns the iterations done; *stuck is set
 * when the line search found no decrease. */
static int
bfgs_dense (SimIrl     *self,
            double      l2,
            double      tol,
            int         max_iterations,
            gsl_matrix *B,
            double     *theta,
            double     *grad,
            double     *f,
            gboolean   *stuck)
{
  int nf = self->n_features;
  g_autofree double *p = g_new (double, nf);
  g_autofree double *trial = g_new (double, nf);
  g_autofree double *g1 = g_new (double, nf);
  g_autofree double *s = g_new (double, nf);
  g_autofree double *y = g_new (double, nf);
  g_autofree double *By = g_new (double, nf);
  int iterations = 0;
  double gnorm = sim_vec_norm (grad, nf);
  double radius = MAX_STEP;
  int attempt;

  *stuck = FALSE;
  while (gnorm > tol && iterations < max_iterations)
    {
      double slope = 0.0, alpha = 1.0, plen, f1 = NAN;
      gboolean accepted = FALSE;

      for (int i = 0; i < nf; i++)
        {
          double v = 0.0;
          for (int j = 0; j < nf; j++)
            v -= gsl_matrix_get (B, i, j) * grad[j];
          p[i] = v;
          slope += v * grad[i];
        }
      if (!(slope < 0.0))
        {
          /* B lost positive definiteness to rounding: steepest descent. */
          for (int i = 0; i < nf; i++)
            p[i] = -grad[i];
          slope = -gnorm * gnorm;
        }
      plen = sim_vec_norm (p, nf);
      if (plen > radius)
        alpha = radius / plen;
      for (attempt = 0; attempt < 40 && !accepted; attempt++)
        {
          for (int i = 0; i < nf; i++)
            trial[i] = theta[i] + alpha * p[i];
          f1 = sim_irl_evaluate (self, trial, l2, g1);
          if (isfinite (f1) && (f1 <= *f + 1e-4 * alpha * slope ||
                                /* At the optimum the decrease is below rounding: take the
                                 * step when the value holds and the gradient shrinks. */
                                (f1 <= *f + 1e-13 * fabs (*f) && sim_vec_norm (g1, nf) < gnorm)))
            {
              accepted = TRUE;
              break;
            }
          if (isfinite (f1))
            {
              /* The minimum of the cubic through the values and slopes at 0 and α (the
               * objective along a line is convex but far from quadratic near its exponential
               * walls), or of the quadratic through f, the slope and f1. */
              double d1 = 0.0, z, w2, a;

              for (int i = 0; i < nf; i++)
                d1 += g1[i] * p[i];
              z = 3.0 * (*f - f1) / alpha + slope + d1;
              w2 = z * z - slope * d1;
              if (isfinite (d1) && w2 >= 0.0)
                {
                  double w = sqrt (w2);
                  a = alpha * (1.0 - (d1 + w - z) / (d1 - slope + 2.0 * w));
                  alpha = CLAMP (a, 0.01 * alpha, 0.8 * alpha);
                }
              else
                {
                  a = -slope * alpha * alpha / (2.0 * (f1 - *f - slope * alpha));
                  alpha = CLAMP (a, 0.1 * alpha, 0.5 * alpha);
                }
            }
          else
            {
              alpha *= 0.1;
            }
        }
      iterations++;
      if (!accepted)
        {
          *stuck = TRUE;
          break;
        }
      /* The next trial step is at most twice as long as this one when this one needed
       * no backtracking, and no longer when it did: near the exponential walls of the
       * objective that saves the evaluations of repeated overshoots. */
      if (attempt == 0)
        radius = MIN (MAX_STEP, MAX (radius, 2.0 * alpha * plen));
      else
        radius = alpha * plen;

      /* BFGS update of the inverse: B ← (I − ρ s yᵀ) B (I − ρ y sᵀ) + ρ s sᵀ. */
      {
        double sy = 0.0, yBy = 0.0;

        for (int i = 0; i < nf; i++)
          {
            s[i] = trial[i] - theta[i];
            y[i] = g1[i] - grad[i];
            sy += s[i] * y[i];
          }
        for (int i = 0; i < nf; i++)
          {
            double v = 0.0;
            for (int j = 0; j < nf; j++)
              v += gsl_matrix_get (B, i, j) * y[j];
            By[i] = v;
            yBy += y[i] * v;
          }
        if (sy > 1e-12 * sim_vec_norm (s, nf) * sim_vec_norm (y, nf))
          {
            double rho = 1.0 / sy;
            double c = rho * rho * yBy + rho;

            for (int i = 0; i < nf; i++)
              for (int j = 0; j < nf; j++)
                gsl_matrix_set (B, i, j, gsl_matrix_get (B, i, j) -
                                rho * (By[i] * s[j] + s[i] * By[j]) + c * s[i] * s[j]);
          }
      }
      memcpy (theta, trial, sizeof (double) * nf);
      memcpy (grad, g1, sizeof (double) * nf);
      *f = f1;
      gnorm = sim_vec_norm (grad, nf);
    }
  return iterations;
}

/* The many-feature branch: libLBFGS on z = θ / step_size (so that its first step, of unit
 * length along −∇z, is step_size long in θ; the later steps do not depend on the scale). Its
 * own tests are off (ε = 0, no past): the progress callback stops it on the solver's test,
 * ‖∇θ‖ ≤ tol, or after max_iterations. */
typedef struct
{
  SimIrl *self;
  double l2;
  double tol;
  double scale;         /* θ = scale z */
  double *theta;        /* scratch */
  double *best;         /* the best point so far, its gradient in θ and its value */
  double *grad;
  double f;
  int iterations;
  int max_iterations;
} Many;

static lbfgsfloatval_t
many_evaluate (void                  *instance,
               const lbfgsfloatval_t *z,
               lbfgsfloatval_t       *g,
               const int              n,
               const lbfgsfloatval_t  step)
{
  Many *m = instance;
  double f;

  for (int j = 0; j < n; j++)
    m->theta[j] = m->scale * z[j];
  f = sim_irl_evaluate (m->self, m->theta, m->l2, g);
  for (int j = 0; j < n; j++)
    g[j] *= m->scale;
  return f;
}

static int
many_progress (void                  *instance,
               const lbfgsfloatval_t *z,
               const lbfgsfloatval_t *g,
               const lbfgsfloatval_t  fx,
               const lbfgsfloatval_t  xnorm,
               const lbfgsfloatval_t  gnorm,
               const lbfgsfloatval_t  step,
               int                    n,
               int                    k,
               int                    ls)
{
  Many *m = instance;

  m->iterations++;
  if (isfinite (fx) && fx <= m->f && isfinite (gnorm))
    {
      m->f = fx;
      for (int j = 0; j < n; j++)
        {
          m->best[j] = m->scale * z[j];
          m->grad[j] = g[j] / m->scale;
        }
    }
  return sim_vec_norm (m->grad, n) <= m->tol || m->iterations >= m->max_iterations;
}

/* Minimises from theta (grad and *f its gradient and value), which return the best point.
 * A run whose line search fails (rounding near the optimum) is started again from the best
 * point with an empty memory; three runs in a row that gain nothing end the search. Returns
 * the iterations done. */
static int
lbfgs_many (SimIrl  *self,
            double   l2,
            double   tol,
            double   step_size,
            int      max_iterations,
            double  *theta,
            double  *grad,
            double  *f)
{
  int nf = self->n_features;
  lbfgs_parameter_t param;
  lbfgsfloatval_t *z;
  g_autofree double *work = g_new (double, nf);
  Many m = { self, l2, tol, step_size > 0.0 && isfinite (step_size) ? step_size : 1.0, work,
             theta, grad, *f, 0, max_iterations };
  int stalls = 0;

  z = lbfgs_malloc (nf);
  if (z == NULL)
    return 0;
  lbfgs_parameter_init (&param);
  param.m = LBFGS_MEMORY;
  param.epsilon = 0.0;
  param.past = 0;
  param.max_iterations = 0;
  while (sim_vec_norm (grad, nf) > tol && m.iterations < max_iterations && stalls < 3)
    {
      double f_start = m.f;

      for (int j = 0; j < nf; j++)
        z[j] = theta[j] / m.scale;
      lbfgs (nf, z, NULL, many_evaluate, many_progress, &m, &param);
      stalls = m.f < f_start ? 0 : stalls + 1;
    }
  lbfgs_free (z);
  *f = m.f;
  return m.iterations;
}

gboolean
sim_irl_solve (SimIrl              *self,
               const double        *theta0,
               const SimIrlOptions *options,
               SimIrlResult        *result,
               GError             **error)
{
  SimIrlOptions defaults;
  int nf;
  g_autofree double *grad = NULL;
  g_autofree double *best = NULL;
  gsl_matrix *L = NULL;
  int iterations = 0;
  double f, gnorm, tol;
  int evaluations_before;

  g_return_val_if_fail (self != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (options == NULL)
    {
      sim_irl_options_init (&defaults);
      options = &defaults;
    }
  nf = self->n_features;
  if (self->n_trajectories == 0)
    {
      g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID,
                   "no demonstrations to learn from");
      return FALSE;
    }
  if (!sim_irl_prepare (self, error))
    return FALSE;
  evaluations_before = self->n_evaluations;

  tol = sim_irl_get_gradient_limit (self, options->gradient_tolerance);

  grad = g_new0 (double, nf);
  best = g_new0 (double, nf);
  if (theta0 != NULL)
    for (int j = 0; j < nf; j++)
      best[j] = isfinite (theta0[j]) ? theta0[j] : 0.0;

  f = sim_irl_evaluate (self, best, options->l2, grad);
  gnorm = sim_vec_norm (grad, nf);
  if (!isfinite (f) || !isfinite (gnorm))
    {
      g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_FAILED,
                   "the objective is not finite at the start point");
      return FALSE;
    }

  if (nf <= MAX_PRECONDITIONED_FEATURES)
    L = gsl_matrix_alloc (nf, nf);

  if (L != NULL)
    {
      g_autofree double *th_c = g_new0 (double, nf);
      g_autofree double *g_c = g_new0 (double, nf);

      if (theta0 == NULL && critical_start (self, th_c))
        {
          double f_c = sim_irl_evaluate (self, th_c, options->l2, g_c);

          if (isfinite (f_c) && f_c < f && isfinite (sim_vec_norm (g_c, nf)))
            {
              f = f_c;
              memcpy (best, th_c, sizeof (double) * nf);
              memcpy (grad, g_c, sizeof (double) * nf);
              gnorm = sim_vec_norm (grad, nf);
            }
        }
      /* Dense BFGS from the Hessian at the start; a fresh Hessian only when the line search
       * gets stuck. */
      for (int restart = 0; gnorm > tol && iterations < options->max_iterations &&
                             restart < 3; restart++)
        {
          gboolean stuck = FALSE;

          /* A warm start near the last solve's optimum starts from the curvature that solve
           * learnt when no Hessian is fresher. */
          if (self->inverse_valid && theta0 != NULL && iterations == 0)
            {
              gsl_matrix_memcpy (L, self->inverse);
            }
          else
            {
              /* By differences even where sim_irl_hessian() applies: BFGS from the exact
               * Hessian ends elsewhere within the tolerance (θ of the 5×5 icy example over
               * paths moves by 2·10⁻⁷), and a cold solve's result stays what it was. */
              if (self->hessian_valid && iterations == 0)
                gsl_matrix_memcpy (L, self->hessian);
              else
                fd_hessian (self, best, grad, options->l2, L);
              if (!invert_hessian (L, options->l2))
                {
                  gsl_matrix_set_identity (L);
                  gsl_matrix_scale (L, MIN (1.0, 1.0 / gnorm));
                }
            }
          iterations += bfgs_dense (self, options->l2, tol,
                                    options->max_iterations - iterations, L, best, grad, &f,
                                    &stuck);
          gnorm = sim_vec_norm (grad, nf);
          if (!stuck)
            break;
        }
    }
  /* Beyond MAX_PRECONDITIONED_FEATURES: libLBFGS from the start point. */
  else if (gnorm > tol && options->max_iterations > 0)
    {
      iterations = lbfgs_many (self, options->l2, tol, options->step_size,
                               options->max_iterations, best, grad, &f);
      gnorm = sim_vec_norm (grad, nf);
    }
  /* The BFGS matrix approximates the inverse Hessian about the optimum now: kept for the
   * next solve, unless the uncertainty below leaves a Hessian computed there. */
  if (L != NULL && !options->uncertainty && iterations > 0)
    {
      if (self->inverse == NULL)
        self->inverse = gsl_matrix_alloc (nf, nf);
      gsl_matrix_memcpy (self->inverse, L);
      self->inverse_valid = TRUE;
    }
  if (L != NULL)
    gsl_matrix_free (L);

  /* Report the exact objective and gradient at the returned point. */
  f = sim_irl_evaluate (self, best, options->l2, grad);
  gnorm = sim_vec_norm (grad, nf);

  result->n_features = nf;
  result->theta = g_memdup2 (best, sizeof (double) * nf);
  result->unit = g_new0 (double, nf);
  {
    double nt = sim_vec_norm (best, nf);
    if (nt > 0.0)
      for (int j = 0; j < nf; j++)
        result->unit[j] = best[j] / nt;
  }
  result->objective = f;
  {
    double norm2 = 0.0;
    for (int j = 0; j < nf; j++)
      norm2 += best[j] * best[j];
    result->log_likelihood = -(f - options->l2 * norm2);
  }
  result->gradient_norm = gnorm;
  result->iterations = iterations;
  result->converged = gnorm <= tol;
  if (options->trajectory_terms)
    {
      /* The evaluation above was at best (or found it in the cache, left by the last one),
       * so the tasks hold its values. */
      result->trajectory_ll = g_new0 (double, self->n_trajectories);
      sim_irl_collect_log_likelihoods (self, result->trajectory_ll);
    }
  if (options->uncertainty)
    {
      result->uncertainty = g_new0 (double, nf);
      sim_irl_uncertainty (self, best, options->l2, result->uncertainty);
    }
  result->evaluations = self->n_evaluations - evaluations_before;
  return TRUE;
}

void
sim_irl_set_hessian (SimIrl       *self,
                     const double *hessian)
{
  int nf;

  g_return_if_fail (self != NULL && hessian != NULL);

  nf = self->n_features;
  if (nf > MAX_PRECONDITIONED_FEATURES)
    return;
  if (self->hessian == NULL)
    self->hessian = gsl_matrix_alloc (nf, nf);
  memcpy (self->hessian->data, hessian, sizeof (double) * nf * nf);
  self->hessian_valid = TRUE;
  self->inverse_valid = FALSE;
}

int
sim_irl_uncertainty (SimIrl       *self,
                     const double *theta,
                     double        l2,
                     double       *sd_unit)
{
  int nf;
  int before;
  double n;
  double nt;
  g_autofree double *th = NULL;
  g_autofree double *g0 = NULL;
  g_autofree double *u = NULL;
  gsl_matrix *H, *cov, *J, *tmp, *cu;
  int status = GSL_FAILURE;

  g_return_val_if_fail (self != NULL && theta != NULL && sd_unit != NULL, 0);

  nf = self->n_features;
  before = self->n_evaluations;
  n = MAX (self->n_trajectories, 1);
  nt = sim_vec_norm (theta, nf);
  if (!(nt > 1e-12) || !isfinite (nt))
    {
      for (int j = 0; j < nf; j++)
        sd_unit[j] = 1.0;
      return 0;
    }

  th = g_memdup2 (theta, sizeof (double) * nf);
  g0 = g_new0 (double, nf);
  u = g_new0 (double, nf);
  H = gsl_matrix_alloc (nf, nf);
  sim_irl_evaluate (self, th, l2, g0);
  /* H is allocated without padding: its rows are n_features apart. */
  if (!sim_irl_hessian (self, theta, l2, H->data))
    fd_hessian (self, theta, g0, l2, H);
  if (self->hessian == NULL)
    self->hessian = gsl_matrix_alloc (nf, nf);
  gsl_matrix_memcpy (self->hessian, H);
  self->hessian_valid = TRUE;
  self->inverse_valid = FALSE;
  /* Scale to n·H and invert by Cholesky; a ridge only if rounding broke the positive
   * definiteness (the L2 term alone makes the true Hessian ≥ 2 l2). */
  gsl_matrix_scale (H, n);
  cov = gsl_matrix_alloc (nf, nf);
  for (int attempt = 0; attempt < 20 && status != GSL_SUCCESS; attempt++)
    {
      gsl_matrix_memcpy (cov, H);
      if (attempt > 0)
        {
          double ridge = 2.0 * MAX (l2, 1e-8) * n * pow (10.0, attempt - 1);
          for (int i = 0; i < nf; i++)
            gsl_matrix_set (cov, i, i, gsl_matrix_get (cov, i, i) + ridge);
        }
      status = gsl_linalg_cholesky_decomp1 (cov);
      if (status == GSL_SUCCESS)
        status = gsl_linalg_cholesky_invert (cov);
    }

  if (status != GSL_SUCCESS)
    {
      for (int j = 0; j < nf; j++)
        sd_unit[j] = 1.0;
    }
  else
    {
      /* Delta method: Cov(u) = J Cov(θ) Jᵀ with J = (I − u uᵀ)/‖θ‖. */
      J = gsl_matrix_alloc (nf, nf);
      tmp = gsl_matrix_alloc (nf, nf);
      cu = gsl_matrix_alloc (nf, nf);
      for (int j = 0; j < nf; j++)
        u[j] = theta[j] / nt;
      for (int i = 0; i < nf; i++)
        for (int j = 0; j < nf; j++)
          gsl_matrix_set (J, i, j, ((i == j ? 1.0 : 0.0) - u[i] * u[j]) / nt);
      gsl_blas_dgemm (CblasNoTrans, CblasNoTrans, 1.0, J, cov, 0.0, tmp);
      gsl_blas_dgemm (CblasNoTrans, CblasTrans, 1.0, tmp, J, 0.0, cu);
      for (int j = 0; j < nf; j++)
        {
          double v = gsl_matrix_get (cu, j, j);
          sd_unit[j] = isfinite (v) ? sqrt (MAX (v, 0.0)) : 1.0;
          sd_unit[j] = MIN (sd_unit[j], 1.0);
        }
      gsl_matrix_free (J);
      gsl_matrix_free (tmp);
      gsl_matrix_free (cu);
    }
  gsl_matrix_free (H);
  gsl_matrix_free (cov);
  return self->n_evaluations - before;
}

