/* sim-vector.h: the small vector arithmetic the engine shares (dense double arrays)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double       sim_vec_dot        (const double *a,
                                 const double *b,
                                 int           n);
double       sim_vec_norm       (const double *v,
                                 int           n);
/* Writes v / ‖v‖ to out (which may be v) and returns TRUE; a zero vector (or one with a
 * non-finite norm) writes zeros and returns FALSE. */
gboolean     sim_vec_unit_copy  (const double *v,
                                 double       *out,
                                 int           n);

/* cos(a, b); NaN when either is the zero vector (no direction to compare). */
double       sim_vec_cosine     (const double *a,
                                 const double *b,
                                 int           n);
/* Projects θ onto the unit ball (‖θ‖ ≤ 1) in place. */
void         sim_ball_project   (double       *theta,
                                 int           n);

G_END_DECLS
