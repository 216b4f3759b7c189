/* test-vector.c: the engine's vector arithmetic (sim-vector.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim-vector.h"

static void
test_dot_norm (void)
{
  const double a[3] = { 1.0, -2.0, 2.0 }, b[3] = { 4.0, 0.5, -1.0 };

  g_assert_cmpfloat (sim_vec_dot (a, b, 3), ==, 4.0 - 1.0 - 2.0);
  g_assert_cmpfloat (sim_vec_norm (a, 3), ==, 3.0);
  g_assert_cmpfloat (sim_vec_norm (a, 0), ==, 0.0);
}

static void
test_unit_copy (void)
{
  const double a[3] = { 0.0, 3.0, -4.0 }, zero[3] = { 0.0, 0.0, 0.0 };
  const double inf[2] = { INFINITY, 1.0 };
  double u[3] = { 9.0, 9.0, 9.0 };

  g_assert_true (sim_vec_unit_copy (a, u, 3));
  g_assert_cmpfloat (u[0], ==, 0.0);
  g_assert_cmpfloat (fabs (u[1] - 0.6), <=, 1e-15);
  g_assert_cmpfloat (fabs (u[2] + 0.8), <=, 1e-15);
  /* In place. */
  memcpy (u, a, sizeof u);
  g_assert_true (sim_vec_unit_copy (u, u, 3));
  g_assert_cmpfloat (fabs (sim_vec_norm (u, 3) - 1.0), <=, 1e-15);
  /* No direction: zeros and FALSE. */
  g_assert_false (sim_vec_unit_copy (zero, u, 3));
  g_assert_cmpfloat (u[0], ==, 0.0);
  g_assert_cmpfloat (u[1], ==, 0.0);
  g_assert_cmpfloat (u[2], ==, 0.0);
  g_assert_false (sim_vec_unit_copy (inf, u, 2));
  g_assert_cmpfloat (u[0], ==, 0.0);
}

static void
test_cosine (void)
{
  const double a[2] = { 1.0, 0.0 }, b[2] = { 1.0, 1.0 }, c[2] = { -2.0, 0.0 };
  const double zero[2] = { 0.0, 0.0 };

  g_assert_cmpfloat (fabs (sim_vec_cosine (a, b, 2) - sqrt (0.5)), <=, 1e-15);
  g_assert_cmpfloat (sim_vec_cosine (a, c, 2), ==, -1.0);
  /* The scale does not matter. */
  g_assert_cmpfloat (sim_vec_cosine (a, a, 2), ==, 1.0);
  /* A zero vector has no direction to compare: NaN, whichever side it is on. */
  g_assert_true (isnan (sim_vec_cosine (zero, b, 2)));
  g_assert_true (isnan (sim_vec_cosine (b, zero, 2)));
}

static void
test_ball_project (void)
{
  double inside[2] = { 0.3, -0.4 }, outside[3] = { 3.0, 0.0, 4.0 };

  sim_ball_project (inside, 2);
  g_assert_cmpfloat (inside[0], ==, 0.3);
  g_assert_cmpfloat (inside[1], ==, -0.4);
  sim_ball_project (outside, 3);
  g_assert_cmpfloat (fabs (sim_vec_norm (outside, 3) - 1.0), <=, 1e-15);
  g_assert_cmpfloat (fabs (outside[0] - 0.6), <=, 1e-15);
  g_assert_cmpfloat (outside[1], ==, 0.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/vector/dot-norm", test_dot_norm);
  g_test_add_func ("/engine/vector/unit-copy", test_unit_copy);
  g_test_add_func ("/engine/vector/cosine", test_cosine);
  g_test_add_func ("/engine/vector/ball-project", test_ball_project);
  return g_test_run ();
}
