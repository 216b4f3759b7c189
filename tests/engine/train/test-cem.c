/* test-cem.c: the cross-entropy method (sim-cem.c) on objectives whose optimum is known
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "sim-cem.h"
#include "sim-vector.h"

static const double target[3] = { 0.3, -0.5, 0.4 };

static double
negative_distance (const double *theta,
                   gpointer      user_data)
{
  int *calls = user_data;
  double d = 0.0;

  (*calls)++;
  for (int i = 0; i < 3; i++)
    d += (theta[i] - target[i]) * (theta[i] - target[i]);
  return -d;
}

/* A target inside the ball: the mean walks to it, the spread shrinks to about its floor,
 * every generation scores the whole population, and the best is at least the elite's mean.
 * (The spread settles where sd = 0.7·std(elite) + 0.3·sd + 0.02, a little above the floor.) */
static void
test_converges (void)
{
  const SimCemParams params = { 48, 8, 0.3, 0.02 };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double mean[3] = { 0.0, 0.0, 0.0 }, sd[3] = { 0.5, 0.5, 0.5 };
  int calls = 0;

  gsl_rng_set (rng, 5);
  for (int g = 0; g < 30; g++)
    {
      double elite, best = sim_cem_generation (&params, 3, mean, sd, rng, negative_distance,
                                               &calls, &elite);

      g_assert_cmpfloat (best, >=, elite);
      g_assert_cmpfloat (sim_vec_norm (mean, 3), <=, 1.0 + 1e-12);
      for (int i = 0; i < 3; i++)
        g_assert_cmpfloat (sd[i], >=, params.sd_floor);
    }
  g_assert_cmpint (calls, ==, 30 * 48);
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (fabs (mean[i] - target[i]), <=, 0.02);
      g_assert_cmpfloat (sd[i], <=, 0.08);
    }
  gsl_rng_free (rng);
}

static double
outward (const double *theta,
         gpointer      user_data)
{
  return theta[0];
}

/* An optimum outside the ball: every candidate and the mean stay on or in it. */
static void
test_stays_in_ball (void)
{
  const SimCemParams params = { 24, 4, 0.3, 0.02 };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double mean[2] = { 0.0, 0.0 }, sd[2] = { 0.5, 0.5 };

  gsl_rng_set (rng, 9);
  for (int g = 0; g < 20; g++)
    {
      double best = sim_cem_generation (&params, 2, mean, sd, rng, outward, NULL, NULL);

      g_assert_cmpfloat (best, <=, 1.0 + 1e-12);
      g_assert_cmpfloat (sim_vec_norm (mean, 2), <=, 1.0 + 1e-12);
    }
  g_assert_cmpfloat (mean[0], >=, 0.95);
  gsl_rng_free (rng);
}

/* The same generator state gives the same generation, bit for bit. */
static void
test_deterministic (void)
{
  const SimCemParams params = { 16, 4, 0.3, 0.02 };
  gsl_rng *a = gsl_rng_alloc (gsl_rng_mt19937), *b = gsl_rng_alloc (gsl_rng_mt19937);
  double ma[3] = { 0.1, 0.1, 0.1 }, sa[3] = { 0.5, 0.5, 0.5 };
  double mb[3] = { 0.1, 0.1, 0.1 }, sb[3] = { 0.5, 0.5, 0.5 };
  int calls = 0;

  gsl_rng_set (a, 3);
  gsl_rng_set (b, 3);
  for (int g = 0; g < 5; g++)
    {
      sim_cem_generation (&params, 3, ma, sa, a, negative_distance, &calls, NULL);
      sim_cem_generation (&params, 3, mb, sb, b, negative_distance, &calls, NULL);
    }
  g_assert_true (memcmp (ma, mb, sizeof ma) == 0);
  g_assert_true (memcmp (sa, sb, sizeof sa) == 0);
  gsl_rng_free (a);
  gsl_rng_free (b);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/train/cem/converges", test_converges);
  g_test_add_func ("/engine/train/cem/stays-in-ball", test_stays_in_ball);
  g_test_add_func ("/engine/train/cem/deterministic", test_deterministic);
  return g_test_run ();
}
