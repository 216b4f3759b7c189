/* sim-keys-infer.h: the likelihood-grid inference of scenario C, keys and chests
 * (docs/science.md §3.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sim-keys-agent.h"

G_BEGIN_DECLS

/* The inference grid. */
#define SIM_KEYS_N_ANGLES        72      /* α = 0°, 5°, …, 355° */
#define SIM_KEYS_ANGLE_STEP      5.0
#define SIM_KEYS_N_SCALES        4       /* s ∈ {3, 10, 30, 100} */

/* The result of the likelihood-grid inference. */
typedef struct
{
  double angle;          /* best α in degrees, [0, 360); θ ∝ (cos α, sin α) = [key, chest] */
  double scale;          /* best s (β·‖θ‖) */
  double theta[SIM_KEYS_N_FEATURES];  /* unit vector (cos α, sin α) */
  double log_likelihood; /* at the best (α, s) */
  double angle_sd;       /* circular standard deviation of α under the grid posterior, degrees */
  double angle_spread;   /* largest distance from the best α of any α whose profile
                          * log-likelihood (best over s) is within 2 units of the best, degrees.
                          * Both are 0 when the data pin α down to one grid point (±2.5°). */
  int n_decisions;
  /* Log-likelihood of every grid point: ll[i * SIM_KEYS_N_SCALES + j], α_i = 5°·i, s_j. */
  double ll[SIM_KEYS_N_ANGLES * SIM_KEYS_N_SCALES];
} SimKeysInference;

/* The grid scales s_j (3, 10, 30, 100). */
double       sim_keys_grid_scale       (int                  j);

/* Likelihood-grid inference over θ = s·(cos α, sin α). Each recorded decision contributes
 * log softmax(s·Q_u)(a) with Q_u its planner Q under the unit direction u = (cos α, sin α)
 * (sim_keys_decision_q()). Hard-max VI is positively homogeneous, Q_{cθ} = c·Q_θ, so
 * Boltzmann(β) over Q_θ is softmax(β‖θ‖·Q_u): s stands for β‖θ‖. The posterior is the
 * normalised likelihood over the grid (flat prior). Returns FALSE when n_decisions is 0. */
gboolean     sim_keys_infer_decisions  (const SimKeysDecision *decisions,
                                        int                    n_decisions,
                                        SimKeysInference      *out);

/* The angle of θ = [key, chest] in degrees, [0, 360); NaN for theta NULL (an agent without a
 * θ of its own, such as the network). */
double       sim_keys_theta_angle      (const double        *theta);
/* Circular distance between two angles in degrees, [0, 180]. */
double       sim_keys_angle_distance   (double               a,
                                        double               b);

G_END_DECLS
