/* sim-goal.c: maximum-entropy goal-directedness of demonstrations (see sim-goal.h)
 *
 * The score is a log-likelihood ratio per decision, so it needs the log-likelihood of every
 * demonstration (sim_irl_trajectory_log_likelihoods()); the scale of a utility is fitted by a
 * one-dimensional root search on the derivative of the mean log-likelihood, which is concave
 * in the scale; the best utility of the class comes from the MaxEnt fit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-goal.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_rng.h>

#include "sim-vector.h"

/* The largest inverse temperature the scale search tries (for a unit utility): beyond it
 * the likelihood of a perfectly predicted agent is 1 to within exp(−BETA_MAX · gap). */
#define BETA_MAX 1024.0

void
sim_goal_score_init (SimGoalScore *score)
{
  score->nats = score->normalised = NAN;
  score->lo = score->hi = score->nats_lo = score->nats_hi = NAN;
  score->beta = NAN;
  score->decisions = 0;
  score->trajectories = 0;
}

struct _SimGoalBootstrap
{
  int n;
  int n_resamples;
  guint32 *index;       /* n_resamples × n */
};

SimGoalBootstrap *
sim_goal_bootstrap_new (int     n,
                        int     n_resamples,
                        guint64 seed)
{
  SimGoalBootstrap *boot;
  gsl_rng *rng;

  g_return_val_if_fail (n > 0 && n_resamples > 0, NULL);
  boot = g_new0 (SimGoalBootstrap, 1);
  boot->n = n;
  boot->n_resamples = n_resamples;
  boot->index = g_new (guint32, (gsize) n * n_resamples);
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) seed);
  for (gsize k = 0; k < (gsize) n * n_resamples; k++)
    boot->index[k] = (guint32) gsl_rng_uniform_int (rng, (unsigned long) n);
  gsl_rng_free (rng);
  return boot;
}

void
sim_goal_bootstrap_free (SimGoalBootstrap *boot)
{
  if (boot == NULL)
    return;
  g_free (boot->index);
  g_free (boot);
}

int
sim_goal_bootstrap_get_n (const SimGoalBootstrap *boot)
{
  g_return_val_if_fail (boot != NULL, 0);
  return boot->n;
}

/* One demonstration's terms of k scores, two to a vector: its gain over chance under each
 * utility, its cost at chance and its decisions, side by side so that a resample reads each
 * one from one place and draws the demonstrations once for every score. */
typedef double Pair __attribute__ ((vector_size (2 * sizeof (double))));
#define MAX_PAIRS ((SIM_GOAL_MAX_TERMS + 3) / 2)

/* The sums over the n demonstrations a resample draws (index) of their pairs terms each, in
 * four interleaved partial sums so that the additions need not wait for each other. */
#define RESAMPLE_SUMS(pairs)                                                                 \
  {                                                                                          \
    Pair part[4][pairs];                                                                     \
    int i = 0;                                                                               \
                                                                                             \
    for (int q = 0; q < (pairs); q++)                                                        \
      part[0][q] = part[1][q] = part[2][q] = part[3][q] = (Pair) { 0.0, 0.0 };               \
    for (; i + 4 <= n; i += 4)                                                               \
      for (int r = 0; r < 4; r++)                                                            \
        {                                                                                    \
          const Pair *t = terms + (gsize) index[i + r] * (pairs);                            \
                                                                                             \
          for (int q = 0; q < (pairs); q++)                                                  \
            part[r][q] += t[q];                                                              \
        }                                                                                    \
    for (int r = 0; i < n; i++, r++)                                                         \
      {                                                                                      \
        const Pair *t = terms + (gsize) index[i] * (pairs);                                  \
                                                                                             \
        for (int q = 0; q < (pairs); q++)                                                    \
          part[r][q] += t[q];                                                                \
      }                                                                                      \
    for (int q = 0; q < (pairs); q++)                                                        \
      sum[q] = (part[0][q] + part[1][q]) + (part[2][q] + part[3][q]);                        \
  }

/* The value gsl_stats_quantile_from_sorted_data() gives for the fraction f of the n values
 * in data, without sorting them all: the two order statistics it interpolates between, by
 * selection. Reorders data. */
static double
select_quantile (double *data,
                 int     n,
                 double  f)
{
  double index = f * (n - 1);
  int lhs = (int) index;
  double delta = index - lhs;
  int lo = 0, hi = n - 1;
  double next;

  /* Quickselect: afterwards data[lhs] is the (lhs + 1)-th smallest and no value above it is
   * smaller. */
  while (lo < hi)
    {
      double pivot = data[lo + (hi - lo) / 2];
      int i = lo, j = hi;

      while (i <= j)
        {
          while (data[i] < pivot)
            i++;
          while (data[j] > pivot)
            j--;
          if (i <= j)
            {
              double tmp = data[i];

              data[i++] = data[j];
              data[j--] = tmp;
            }
        }
      if (lhs <= j)
        hi = j;
      else if (lhs >= i)
        lo = i;
      else
        break;
    }
  if (lhs == n - 1)
    return data[lhs];
  next = data[lhs + 1];
  for (int k = lhs + 2; k < n; k++)
    next = MIN (next, data[k]);
  return (1 - delta) * data[lhs] + delta * next;
}

/* The k scores of n demonstrations from each one's log-likelihood under each utility ll[j],
 * at chance llu and its number of decisions (see sim_goal_score_fixed()); beta is left as it
 * is. Each resample's sums are those each score alone would add up, in the same order (four
 * interleaved partial sums, then their sum). */
static gboolean
score_terms (const double *const     *ll,
             int                      k,
             const double            *llu,
             const int               *steps,
             int                      n,
             const SimGoalBootstrap  *boot,
             SimGoalScore            *scores)
{
  g_autofree Pair *terms = NULL;
  g_autofree double *norm = NULL;
  g_autofree double *nats = NULL;
  double base = 0.0;
  int decisions = 0, nb, pairs = (k + 3) / 2;

  for (int i = 0; i < n; i++)
    {
      base -= llu[i];
      decisions += steps[i];
    }
  if (decisions == 0 || !(base > 0.0))
    return FALSE;

  for (int j = 0; j < k; j++)
    {
      double gain = 0.0;

      for (int i = 0; i < n; i++)
        gain += ll[j][i] - llu[i];
      scores[j].trajectories = n;
      scores[j].decisions = decisions;
      scores[j].nats = gain / decisions;
      scores[j].normalised = gain / base;
    }

  /* Percentile bootstrap over demonstrations: the ratio of the resampled sums. */
  terms = g_new0 (Pair, (gsize) n * pairs);
  for (int i = 0; i < n; i++)
    {
      double *t = (double *) (terms + (gsize) i * pairs);

      for (int j = 0; j < k; j++)
        t[j] = ll[j][i] - llu[i];
      t[k] = -llu[i];
      t[k + 1] = steps[i];
    }
  nb = boot->n_resamples;
  norm = g_new (double, (gsize) nb * k);
  nats = g_new (double, (gsize) nb * k);
  for (int b = 0; b < nb; b++)
    {
      const guint32 *index = boot->index + (gsize) b * n;
      Pair sum[MAX_PAIRS] = { { 0.0, 0.0 } };
      double g[2 * MAX_PAIRS], u, d;

      if (pairs == 2)
        RESAMPLE_SUMS (2)
      else
        RESAMPLE_SUMS (MAX_PAIRS)
      for (int q = 0; q < pairs; q++)
        {
          g[2 * q] = sum[q][0];
          g[2 * q + 1] = sum[q][1];
        }
      u = g[k];
      d = g[k + 1];
      for (int j = 0; j < k; j++)
        {
          norm[(gsize) j * nb + b] = u > 0.0 ? g[j] / u : 0.0;
          nats[(gsize) j * nb + b] = d > 0.0 ? g[j] / d : 0.0;
        }
    }
  for (int j = 0; j < k; j++)
    {
      double *nj = norm + (gsize) j * nb, *aj = nats + (gsize) j * nb;

      scores[j].lo = select_quantile (nj, nb, 0.05);
      scores[j].hi = select_quantile (nj, nb, 0.95);
      scores[j].nats_lo = select_quantile (aj, nb, 0.05);
      scores[j].nats_hi = select_quantile (aj, nb, 0.95);
    }
  return TRUE;
}

gboolean
sim_goal_score_terms_many (SimIrl                 *irl,
                           int                     k,
                           const double *const    *thetas,
                           const double *const    *ll,
                           const SimGoalBootstrap *boot,
                           SimGoalScore           *scores)
{
  int n = sim_irl_get_n_trajectories (irl);
  int nf = sim_irl_get_n_features (irl);
  g_autoptr (SimGoalBootstrap) own = NULL;
  g_autofree double *llu = NULL;
  g_autofree int *steps = NULL;

  g_return_val_if_fail (irl != NULL && thetas != NULL && ll != NULL && scores != NULL, FALSE);
  g_return_val_if_fail (k >= 1 && k <= SIM_GOAL_MAX_TERMS, FALSE);
  for (int j = 0; j < k; j++)
    sim_goal_score_init (&scores[j]);
  if (n == 0)
    return FALSE;
  if (boot == NULL)
    boot = own = sim_goal_bootstrap_new (n, SIM_GOAL_BOOTSTRAP, 1);
  g_return_val_if_fail (boot->n == n, FALSE);
  llu = g_new (double, n);
  steps = g_new (int, n);
  if (!sim_irl_trajectory_log_likelihoods (irl, NULL, NULL, llu, steps) ||
      !score_terms (ll, k, llu, steps, n, boot, scores))
    return FALSE;
  for (int j = 0; j < k; j++)
    scores[j].beta = sim_vec_norm (thetas[j], nf);
  return TRUE;
}

gboolean
sim_goal_score_terms (SimIrl                 *irl,
                      const double           *theta,
                      const double           *ll,
                      const SimGoalBootstrap *boot,
                      SimGoalScore           *score)
{
  g_return_val_if_fail (theta != NULL && ll != NULL, FALSE);
  return sim_goal_score_terms_many (irl, 1, &theta, &ll, boot, score);
}

gboolean
sim_goal_score_fixed (SimIrl                 *irl,
                      const double           *theta,
                      const SimGoalBootstrap *boot,
                      SimGoalScore           *score)
{
  int n = sim_irl_get_n_trajectories (irl);
  g_autofree double *ll = NULL;

  g_return_val_if_fail (irl != NULL && theta != NULL && score != NULL, FALSE);
  sim_goal_score_init (score);
  if (n == 0)
    return FALSE;
  ll = g_new (double, n);
  if (!sim_irl_trajectory_log_likelihoods (irl, theta, ll, NULL, NULL))
    return FALSE;
  return sim_goal_score_terms (irl, theta, ll, boot, score);
}

typedef struct
{
  SimIrl *irl;
  const double *unit;
  double *theta;
  double *grad;
  int nf;
} Slope;

/* d/dβ of the mean log-likelihood at β·unit: −∇objective·unit with no L2 term. */
static double
slope (double  beta,
       void   *data)
{
  Slope *sl = data;

  for (int j = 0; j < sl->nf; j++)
    sl->theta[j] = beta * sl->unit[j];
  sim_irl_objective (sl->irl, sl->theta, 0.0, sl->grad);
  return -sim_vec_dot (sl->grad, sl->unit, sl->nf);
}

/* The maximum-likelihood scale β ≥ 0 of the unit utility. The mean log-likelihood is
 * concave in β, so its slope falls: 0 when the slope at 0 is not positive, BETA_MAX when it
 * is still positive there, else the root: by secant steps from a guess beta0, or bracketed
 * by steps of BRACKET_STEP about beta0 (or by doubling from 1) and found by Brent's
 * method. *curvature (in and out) is the slope's derivative near beta0, negative, or 0 when
 * not known; with last the secant steps end on the last scale they evaluated, whose values
 * the problem still holds, instead of one step beyond. */
#define BRACKET_STEP 1.25

static double
fit_scale (SimIrl       *irl,
           const double *unit,
           double        beta0,
           double       *curvature,
           gboolean      last)
{
  int nf = sim_irl_get_n_features (irl);
  g_autofree double *theta = g_new (double, nf);
  g_autofree double *grad = g_new (double, nf);
  Slope sl = { irl, unit, theta, grad, nf };
  gsl_function f = { slope, &sl };
  gsl_root_fsolver *solver;
  double lo, hi, beta;
  int status = GSL_CONTINUE;

  if (!(beta0 > 0.0 && beta0 < BETA_MAX))
    *curvature = 0.0;
  if (beta0 > 0.0 && beta0 < BETA_MAX)
    {
      /* From a guess, the secant method usually lands in two or three steps; it is kept
       * inside [β0 / 4, 4 β0] and falls back on bracketing when it does not settle. Its
       * second point is a Newton step when the slope's derivative is known from a search
       * nearby, else 5 % above the guess. */
      double b0 = beta0, s0 = slope (b0, &sl), s_beta0 = s0;
      double b1 = beta0 * 1.05, s1;

      if (*curvature < 0.0)
        {
          double newton = b0 - s0 / *curvature;

          /* The guess may already be as close as the secant steps get. */
          if (last && fabs (newton - b0) <= 1e-3 * b0)
            return b0;
          if (newton > beta0 / 4.0 && newton < beta0 * 4.0 && newton != b0)
            b1 = newton;
        }
      s1 = slope (b1, &sl);
      *curvature = 0.0;
      for (int it = 0; it < 6 && s1 != s0; it++)
        {
          double b2 = b1 - s1 * (b1 - b0) / (s1 - s0);

          if (!(b2 > beta0 / 4.0 && b2 < beta0 * 4.0))
            break;
          if (fabs (b2 - b1) <= 1e-3 * b1)
            {
              *curvature = (s1 - s0) / (b1 - b0);
              return last ? b1 : b2;
            }
          b0 = b1;
          s0 = s1;
          b1 = b2;
          s1 = slope (b1, &sl);
        }
      lo = hi = beta0;
      if (s_beta0 > 0.0)
        {
          /* The root lies above β0. */
          do
            {
              lo = hi;
              hi *= BRACKET_STEP;
              if (hi > BETA_MAX)
                return BETA_MAX;
            }
          while (slope (hi, &sl) > 0.0);
        }
      else
        {
          do
            {
              hi = lo;
              lo /= BRACKET_STEP;
              if (lo < 1e-3)
                {
                  lo = 0.0;
                  if (!(slope (0.0, &sl) > 0.0))
                    return 0.0;
                  break;
                }
            }
          while (!(slope (lo, &sl) > 0.0));
        }
    }
  else
    {
      lo = 0.0;
      hi = 1.0;
      if (!(slope (0.0, &sl) > 0.0))
        return 0.0;
      while (slope (hi, &sl) > 0.0)
        {
          lo = hi;
          hi *= 2.0;
          if (hi > BETA_MAX)
            return BETA_MAX;
        }
    }
  solver = gsl_root_fsolver_alloc (gsl_root_fsolver_brent);
  gsl_root_fsolver_set (solver, &f, lo, hi);
  for (int it = 0; it < 100 && status == GSL_CONTINUE; it++)
    {
      gsl_root_fsolver_iterate (solver);
      status = gsl_root_test_interval (gsl_root_fsolver_x_lower (solver),
                                       gsl_root_fsolver_x_upper (solver), 1e-12, 1e-6);
    }
  beta = gsl_root_fsolver_root (solver);
  gsl_root_fsolver_free (solver);
  return beta;
}

static gboolean
score_toward (SimIrl                 *irl,
              const double           *utility,
              SimGoalScale           *scale,
              gboolean                last,
              const SimGoalBootstrap *boot,
              SimGoalScore           *score,
              double                 *theta_fit)
{
  int nf = sim_irl_get_n_features (irl);
  g_autofree double *unit = g_new0 (double, nf);
  g_autofree double *theta = g_new0 (double, nf);
  double beta = 0.0;

  g_return_val_if_fail (irl != NULL && utility != NULL && scale != NULL && score != NULL,
                        FALSE);
  sim_goal_score_init (score);
  if (sim_irl_get_n_trajectories (irl) == 0 || !sim_irl_prepare (irl, NULL))
    return FALSE;
  if (sim_vec_unit_copy (utility, unit, nf))
    beta = fit_scale (irl, unit, scale->beta, &scale->curvature, last);
  scale->beta = beta;
  for (int j = 0; j < nf; j++)
    theta[j] = beta * unit[j];
  if (theta_fit != NULL)
    memcpy (theta_fit, theta, sizeof (double) * nf);
  if (!sim_goal_score_fixed (irl, theta, boot, score))
    return FALSE;
  score->beta = beta;
  return TRUE;
}

gboolean
sim_goal_score_toward_from (SimIrl                 *irl,
                            const double           *utility,
                            SimGoalScale           *scale,
                            const SimGoalBootstrap *boot,
                            SimGoalScore           *score,
                            double                 *theta_fit)
{
  return score_toward (irl, utility, scale, TRUE, boot, score, theta_fit);
}

gboolean
sim_goal_score_toward (SimIrl                 *irl,
                       const double           *utility,
                       double                  beta0,
                       const SimGoalBootstrap *boot,
                       SimGoalScore           *score,
                       double                 *theta_fit)
{
  SimGoalScale scale = { beta0, 0.0 };

  return score_toward (irl, utility, &scale, FALSE, boot, score, theta_fit);
}

gboolean
sim_goal_score_class (SimIrl                 *irl,
                      const SimIrlOptions    *options,
                      const double           *theta0,
                      const SimGoalBootstrap *boot,
                      SimGoalScore           *score,
                      double                 *theta_fit)
{
  SimIrlResult result = { 0 };
  gboolean ok;

  g_return_val_if_fail (irl != NULL && options != NULL && score != NULL, FALSE);
  sim_goal_score_init (score);
  if (sim_irl_get_n_trajectories (irl) == 0 ||
      !sim_irl_solve (irl, theta0, options, &result, NULL))
    return FALSE;
  /* The L2 term of the fit shrinks its scale; the direction is refitted without it. */
  ok = sim_goal_score_toward (irl, result.theta, sim_vec_norm (result.theta, result.n_features),
                              boot, score, theta_fit);
  sim_irl_result_clear (&result);
  return ok;
}
