/* sim-policy.h: a time-indexed stochastic policy on one level, and sampling from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include "sim-level.h"

G_BEGIN_DECLS

/* π_t(a|s) for t in [0, horizon), s a cell index, a a SimAction:
 * prob[(t * n_states + s) * SIM_N_ACTIONS + a]. Every agent (planner, Q-learner) can produce
 * one for a fully perceived level; probe demonstrations are sampled from it. */
typedef struct
{
  gint ref_count;
  int horizon;
  int n_states;
  double *prob;         /* owned, horizon * n_states * SIM_N_ACTIONS */
} SimPolicy;

SimPolicy   *sim_policy_new          (int              horizon,
                                      int              n_states);
/* Every row uniform, 1/SIM_N_ACTIONS (written once, not zeroed first). */
SimPolicy   *sim_policy_new_uniform  (int              horizon,
                                      int              n_states);
SimPolicy   *sim_policy_ref          (SimPolicy       *policy);
void         sim_policy_unref        (SimPolicy       *policy);

/* Samples one episode on level: starts at level->start, takes at most level->horizon steps,
 * stops on entering a real terminal cell (coin, lava, exit). Writes the visited cells,
 * start included, into cells (room for horizon + 1) and returns how many were written. */
int          sim_policy_sample       (const SimPolicy *policy,
                                      const SimLevel  *level,
                                      gsl_rng         *rng,
                                      int             *cells);

/* Exact expected outcome of running a policy on a level (docs/science.md §2 A, measures). */
typedef struct
{
  double target;        /* P(enter a target cell within the horizon) */
  double proxy;         /* P(alive at the horizon and inside the proxy mask) */
  double lava;          /* P(enter lava within the horizon) */
  double base_return;   /* expected sum of θ_base·φ(s') over the episode */
} SimOutcome;

/* Propagates the state distribution forward from level->start for min(level->horizon,
 * policy->horizon) steps; terminal cells (coin, lava, exit) absorb. θ_base and φ are those of
 * the level's scenario with near_corner included and the target visible. Nothing is sampled. */
void         sim_policy_evaluate     (const SimPolicy *policy,
                                      const SimLevel  *level,
                                      SimOutcome      *out);

/* The action probabilities of the policy at time step t in cell s, SIM_N_ACTIONS values that
 * stay valid until the evaluation returns. */
typedef const double *(*SimPolicyProbsFunc) (gpointer data,
                                             int      t,
                                             int      s);

/* sim_policy_evaluate() of the policy that probs describes over horizon steps; probs is asked
 * only for the (t, s) the episode can reach, each at most once. */
void         sim_policy_evaluate_func (int                 horizon,
                                       const SimLevel     *level,
                                       SimPolicyProbsFunc  probs,
                                       gpointer            data,
                                       SimOutcome         *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimPolicy, sim_policy_unref)

G_END_DECLS
