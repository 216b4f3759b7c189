/* sim-keys-infer.c: the likelihood-grid inference of scenario C, keys and chests
 * (docs/science.md §3.3): θ = s·(cos α, sin α) scored on recorded decisions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-keys-infer.h"

#include <math.h>
#include <string.h>

static const double grid_scales[SIM_KEYS_N_SCALES] = { 3.0, 10.0, 30.0, 100.0 };

double
sim_keys_grid_scale (int j)
{
  g_return_val_if_fail (j >= 0 && j < SIM_KEYS_N_SCALES, NAN);
  return grid_scales[j];
}

double
sim_keys_theta_angle (const double *theta)
{
  double deg;

  /* An agent without a θ of its own (the network) has no angle. */
  if (theta == NULL)
    return NAN;
  deg = atan2 (theta[SIM_KEYS_FEATURE_CHEST], theta[SIM_KEYS_FEATURE_KEY]) * 180.0 / M_PI;

  if (deg < 0.0)
    deg += 360.0;
  if (deg >= 360.0)
    deg -= 360.0;
  return deg;
}

double
sim_keys_angle_distance (double a,
                         double b)
{
  double d = fmod (fabs (a - b), 360.0);

  return d > 180.0 ? 360.0 - d : d;
}

gboolean
sim_keys_infer_decisions (const SimKeysDecision *decisions,
                          int                    n_decisions,
                          SimKeysInference      *out)
{
  double best = -INFINITY;
  int best_i = 0, best_j = 0;
  double profile[SIM_KEYS_N_ANGLES];
  double c = 0.0, s = 0.0, total = 0.0, r;

  g_return_val_if_fail (n_decisions == 0 || decisions != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->n_decisions = n_decisions;
  if (n_decisions <= 0)
    return FALSE;

  for (int i = 0; i < SIM_KEYS_N_ANGLES; i++)
    {
      double alpha = i * SIM_KEYS_ANGLE_STEP * M_PI / 180.0;
      double u[SIM_KEYS_N_FEATURES] = { cos (alpha), sin (alpha) };
      double ll[SIM_KEYS_N_SCALES] = { 0 };

      for (int k = 0; k < n_decisions; k++)
        {
          double q[SIM_N_ACTIONS];
          double qmax;

          sim_keys_decision_q (&decisions[k], u, q);
          qmax = q[0];
          for (int a = 1; a < SIM_N_ACTIONS; a++)
            qmax = MAX (qmax, q[a]);
          for (int j = 0; j < SIM_KEYS_N_SCALES; j++)
            {
              double z = 0.0;

              for (int a = 0; a < SIM_N_ACTIONS; a++)
                z += exp (grid_scales[j] * (q[a] - qmax));
              ll[j] += grid_scales[j] * (q[decisions[k].action] - qmax) - log (z);
            }
        }
      profile[i] = -INFINITY;
      for (int j = 0; j < SIM_KEYS_N_SCALES; j++)
        {
          out->ll[i * SIM_KEYS_N_SCALES + j] = ll[j];
          profile[i] = MAX (profile[i], ll[j]);
          if (ll[j] > best)
            {
              best = ll[j];
              best_i = i;
              best_j = j;
            }
        }
    }

  out->angle = best_i * SIM_KEYS_ANGLE_STEP;
  out->scale = grid_scales[best_j];
  out->theta[SIM_KEYS_FEATURE_KEY] = cos (out->angle * M_PI / 180.0);
  out->theta[SIM_KEYS_FEATURE_CHEST] = sin (out->angle * M_PI / 180.0);
  out->log_likelihood = best;

  /* Posterior over the grid with a flat prior; its circular spread in α. */
  for (int i = 0; i < SIM_KEYS_N_ANGLES; i++)
    {
      double alpha = i * SIM_KEYS_ANGLE_STEP * M_PI / 180.0;
      double w = 0.0;

      for (int j = 0; j < SIM_KEYS_N_SCALES; j++)
        w += exp (out->ll[i * SIM_KEYS_N_SCALES + j] - best);
      c += w * cos (alpha);
      s += w * sin (alpha);
      total += w;
    }
  r = MIN (1.0, hypot (c, s) / total);
  if (r >= 1.0)
    out->angle_sd = 0.0;
  else
    out->angle_sd = r > 0.0 ? sqrt (-2.0 * log (r)) * 180.0 / M_PI : 180.0;

  out->angle_spread = 0.0;
  for (int i = 0; i < SIM_KEYS_N_ANGLES; i++)
    if (profile[i] >= best - 2.0)
      out->angle_spread = MAX (out->angle_spread,
                               sim_keys_angle_distance (i * SIM_KEYS_ANGLE_STEP, out->angle));
  return TRUE;
}
