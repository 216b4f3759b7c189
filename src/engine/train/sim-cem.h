/* sim-cem.h: the cross-entropy method, one generation at a time, for any objective on θ in the
 * unit ball
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

typedef struct
{
  int population;      /* candidates per generation */
  int elite;           /* the best that set the next mean and spread */
  double keep;         /* weight of the old mean and spread in the update */
  double sd_floor;     /* added to every spread, so the search never freezes */
} SimCemParams;

/* The fitness of candidate θ (higher is better). */
typedef double (*SimCemFitness) (const double *theta,
                                 gpointer      user_data);

/* One generation: population candidates mean + sd ⊙ N(0, I) (drawn from rng in order,
 * coordinate by coordinate), each projected onto the unit ball, scored by fitness; the elite
 * (best first, ties by draw order) set mean ← (1 − keep)·mean(elite) + keep·mean and
 * sd ← (1 − keep)·std(elite) + keep·sd + sd_floor (population std), and mean is projected
 * onto the ball again (it only guards rounding). Returns the best fitness; elite_fitness (may
 * be NULL) gets the elite's mean fitness. */
double       sim_cem_generation      (const SimCemParams *params,
                                      int                 n,
                                      double             *mean,
                                      double             *sd,
                                      gsl_rng            *rng,
                                      SimCemFitness       fitness,
                                      gpointer            user_data,
                                      double             *elite_fitness);

G_END_DECLS
