/* sim-vector.c: the small vector arithmetic the engine shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-vector.h"

#include <math.h>

double
sim_vec_dot (const double *a,
             const double *b,
             int           n)
{
  double s = 0.0;

  for (int i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

double
sim_vec_norm (const double *v,
              int           n)
{
  return sqrt (sim_vec_dot (v, v, n));
}

gboolean
sim_vec_unit_copy (const double *v,
                   double       *out,
                   int           n)
{
  double norm = sim_vec_norm (v, n);

  if (!(norm > 0.0) || !isfinite (norm))
    {
      for (int i = 0; i < n; i++)
        out[i] = 0.0;
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    out[i] = v[i] / norm;
  return TRUE;
}

double
sim_vec_cosine (const double *a,
                const double *b,
                int           n)
{
  double ab = 0.0, aa = 0.0, bb = 0.0;

  g_return_val_if_fail (a != NULL && b != NULL, NAN);

  for (int i = 0; i < n; i++)
    {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
  if (aa <= 0.0 || bb <= 0.0)
    return NAN;
  return ab / sqrt (aa * bb);
}

void
sim_ball_project (double *theta,
                  int     n)
{
  double norm2 = 0.0;

  for (int i = 0; i < n; i++)
    norm2 += theta[i] * theta[i];
  if (norm2 > 1.0)
    {
      double scale = 1.0 / sqrt (norm2);

      for (int i = 0; i < n; i++)
        theta[i] *= scale;
    }
}
