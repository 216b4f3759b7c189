/* test-irl-stationary.c: the stationary (discounted) passes' tolerance and cached kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "sim-irl.h"
#include "sim-mdp.h"

/* The icy 5×5 example (γ = 0.7, one-hot features) with the stationary passes at the default
 * tolerance and at the rounding level (10⁻¹⁶, the tolerance before the kernel was cached):
 * at a fixed θ the objective agrees to 10⁻¹⁰ of its size and the gradient to 10⁻⁹; solved
 * with the solver's default options, the optima agree to 10⁻⁹ in objective and 10⁻⁶ in θ.
 * (θ cannot be held closer: one-hot features of states no demonstration visits are held only
 * by the L2 term, a curvature of 2·10⁻³, and the gradient at the rounding level is 10⁻¹²
 * noisy.) */
static void
check_tolerance (SimIrlModel model)
{
  double reward[25], theta[25];
  g_autoptr (SimMdp) mdp = sim_mdp_new_icy (5, 0.2, TRUE, 0, 0.7, reward);
  g_autoptr (GPtrArray) demos = NULL;
  g_autoptr (SimIrl) loose = sim_irl_new (25, model);
  g_autoptr (SimIrl) tight = sim_irl_new (25, model);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  SimIrlOptions options;
  SimIrlResult a, b;
  double ga[25], gb[25], fa, fb, worst = 0.0, worst_grad = 0.0;

  gsl_rng_set (rng, 1);
  demos = sim_mdp_icy_demos (mdp, reward, 0.7, 5.0, 200, 1000, rng);
  sim_irl_add_mdp (loose, mdp);
  sim_irl_add_mdp (tight, mdp);
  sim_irl_set_stationary_tolerance (tight, 1e-16);
  for (guint i = 0; i < demos->len; i++)
    {
      GArray *tr = g_ptr_array_index (demos, i);

      g_assert_true (sim_irl_add_trajectory (loose, 0, (int *) tr->data, (int) tr->len, NULL));
      g_assert_true (sim_irl_add_trajectory (tight, 0, (int *) tr->data, (int) tr->len, NULL));
    }
  for (int j = 0; j < 25; j++)
    theta[j] = 2.0 * gsl_rng_uniform (rng) - 1.0;
  gsl_rng_free (rng);

  fa = sim_irl_objective (loose, theta, 1e-3, ga);
  fb = sim_irl_objective (tight, theta, 1e-3, gb);
  for (int j = 0; j < 25; j++)
    worst_grad = MAX (worst_grad, fabs (ga[j] - gb[j]));
  g_test_message ("at a random θ: objective %.3g apart, gradient %.3g", fabs (fa - fb),
                  worst_grad);
  g_assert_cmpfloat (fabs (fa - fb), <=, 1e-10 * fabs (fb));
  g_assert_cmpfloat (worst_grad, <=, 1e-9);

  sim_irl_options_init (&options);
  g_assert_true (sim_irl_solve (loose, NULL, &options, &a, NULL));
  g_assert_true (sim_irl_solve (tight, NULL, &options, &b, NULL));
  for (int j = 0; j < 25; j++)
    worst = MAX (worst, fabs (a.theta[j] - b.theta[j]));
  g_test_message ("optimum: θ %.3g apart, objective %.3g (‖∇‖ %.2e and %.2e, %d and %d "
                  "evaluations)", worst, fabs (a.objective - b.objective), a.gradient_norm,
                  b.gradient_norm, a.evaluations, b.evaluations);
  g_assert_true (a.converged && b.converged);
  g_assert_cmpfloat (fabs (a.objective - b.objective), <=, 1e-9);
  g_assert_cmpfloat (worst, <=, 1e-6);
  sim_irl_result_clear (&a);
  sim_irl_result_clear (&b);
}

static void
test_causal (void)
{
  check_tolerance (SIM_IRL_CAUSAL);
}

static void
test_paths (void)
{
  check_tolerance (SIM_IRL_PATHS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_func ("/engine/infer/irl-stationary/causal", test_causal);
  g_test_add_func ("/engine/infer/irl-stationary/paths", test_paths);
  return g_test_run ();
}
