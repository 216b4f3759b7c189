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
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim-vector.h"

/* The largest inverse temperature the scale search tries (for a unit utility): beyond it
 * the likelihood of a perfectly predicted agent is 1 to within exp(−BETA_MAX · gap). */
#define BETA_MAX 1024.0

static void
score_clear (SimGoalScore *score)
{
  score->nats = score->normalised = NAN;
  score->lo = score->hi = score->nats_lo = score->nats_hi = NAN;
  score->beta = NAN;
  score->decisions = 0;
  score->trajectories = 0;
}

gboolean
sim_goal_score_fixed (SimIrl        *irl,
                      const double  *theta,
                      guint64        seed,
                      SimGoalScore  *score)
{
  int n = sim_irl_get_n_trajectories (irl);
  int nf = sim_irl_get_n_features (irl);
  g_autofree double *ll = NULL;
  g_autofree double *llu = NULL;
  g_autofree int *steps = NULL;
  g_autofree double *boot = NULL;
  g_autofree double *boot_nats = NULL;
  double gain = 0.0, base = 0.0;
  int decisions = 0;
  gsl_rng *rng;

  g_return_val_if_fail (irl != NULL && theta != NULL && score != NULL, FALSE);
  score_clear (score);
  if (n == 0)
    return FALSE;
  ll = g_new (double, n);
  llu = g_new (double, n);
  steps = g_new (int, n);
  if (!sim_irl_trajectory_log_likelihoods (irl, theta, ll, llu, steps))
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      gain += ll[i] - llu[i];
      base -= llu[i];
      decisions += steps[i];
    }
  if (decisions == 0 || !(base > 0.0))
    return FALSE;

  score->trajectories = n;
  score->decisions = decisions;
  score->nats = gain / decisions;
  score->normalised = gain / base;
  score->beta = sim_vec_norm (theta, nf);

  /* Percentile bootstrap over demonstrations: the ratio of the resampled sums. */
  boot = g_new (double, SIM_GOAL_BOOTSTRAP);
  boot_nats = g_new (double, SIM_GOAL_BOOTSTRAP);
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) seed);
  for (int b = 0; b < SIM_GOAL_BOOTSTRAP; b++)
    {
      double g = 0.0, u = 0.0;
      int d = 0;

      for (int i = 0; i < n; i++)
        {
          int k = (int) gsl_rng_uniform_int (rng, (unsigned long) n);

          g += ll[k] - llu[k];
          u -= llu[k];
          d += steps[k];
        }
      boot[b] = u > 0.0 ? g / u : 0.0;
      boot_nats[b] = d > 0 ? g / d : 0.0;
    }
  gsl_rng_free (rng);
  gsl_sort (boot, 1, SIM_GOAL_BOOTSTRAP);
  gsl_sort (boot_nats, 1, SIM_GOAL_BOOTSTRAP);
  score->lo = gsl_stats_quantile_from_sorted_data (boot, 1, SIM_GOAL_BOOTSTRAP, 0.05);
  score->hi = gsl_stats_quantile_from_sorted_data (boot, 1, SIM_GOAL_BOOTSTRAP, 0.95);
  score->nats_lo = gsl_stats_quantile_from_sorted_data (boot_nats, 1, SIM_GOAL_BOOTSTRAP, 0.05);
  score->nats_hi = gsl_stats_quantile_from_sorted_data (boot_nats, 1, SIM_GOAL_BOOTSTRAP, 0.95);
  return TRUE;
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
 * is still positive there, else the root, bracketed by doubling. */
static double
fit_scale (SimIrl       *irl,
           const double *unit)
{
  int nf = sim_irl_get_n_features (irl);
  g_autofree double *theta = g_new (double, nf);
  g_autofree double *grad = g_new (double, nf);
  Slope sl = { irl, unit, theta, grad, nf };
  gsl_function f = { slope, &sl };
  gsl_root_fsolver *solver;
  double lo = 0.0, hi = 1.0, beta;
  int status = GSL_CONTINUE;

  if (!(slope (0.0, &sl) > 0.0))
    return 0.0;
  while (slope (hi, &sl) > 0.0)
    {
      lo = hi;
      hi *= 2.0;
      if (hi > BETA_MAX)
        return BETA_MAX;
    }
  solver = gsl_root_fsolver_alloc (gsl_root_fsolver_brent);
  gsl_root_fsolver_set (solver, &f, lo, hi);
  for (int it = 0; it < 100 && status == GSL_CONTINUE; it++)
    {
      gsl_root_fsolver_iterate (solver);
      status = gsl_root_test_interval (gsl_root_fsolver_x_lower (solver),
                                       gsl_root_fsolver_x_upper (solver), 1e-9, 1e-9);
    }
  beta = gsl_root_fsolver_root (solver);
  gsl_root_fsolver_free (solver);
  return beta;
}

gboolean
sim_goal_score_toward (SimIrl        *irl,
                       const double  *utility,
                       guint64        seed,
                       SimGoalScore  *score,
                       double        *theta_fit)
{
  int nf = sim_irl_get_n_features (irl);
  g_autofree double *unit = g_new0 (double, nf);
  g_autofree double *theta = g_new0 (double, nf);
  double beta = 0.0;

  g_return_val_if_fail (irl != NULL && utility != NULL && score != NULL, FALSE);
  score_clear (score);
  if (sim_irl_get_n_trajectories (irl) == 0 || !sim_irl_prepare (irl, NULL))
    return FALSE;
  if (sim_vec_unit_copy (utility, unit, nf))
    beta = fit_scale (irl, unit);
  for (int j = 0; j < nf; j++)
    theta[j] = beta * unit[j];
  if (theta_fit != NULL)
    memcpy (theta_fit, theta, sizeof (double) * nf);
  if (!sim_goal_score_fixed (irl, theta, seed, score))
    return FALSE;
  score->beta = beta;
  return TRUE;
}

gboolean
sim_goal_score_class (SimIrl              *irl,
                      const SimIrlOptions *options,
                      const double        *theta0,
                      guint64              seed,
                      SimGoalScore        *score,
                      double              *theta_fit)
{
  SimIrlResult result = { 0 };
  gboolean ok;

  g_return_val_if_fail (irl != NULL && options != NULL && score != NULL, FALSE);
  score_clear (score);
  if (sim_irl_get_n_trajectories (irl) == 0 ||
      !sim_irl_solve (irl, theta0, options, &result, NULL))
    return FALSE;
  /* The L2 term of the fit shrinks its scale; the direction is refitted without it. */
  ok = sim_goal_score_toward (irl, result.theta, seed, score, theta_fit);
  sim_irl_result_clear (&result);
  return ok;
}
