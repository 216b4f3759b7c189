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
