/* sim-keys-agent.h: the agent of scenario C, keys and chests (docs/science.md §3.3): the
 * next-pickup planner, its Monte-Carlo evaluation and sampled paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "sim-keys.h"

G_BEGIN_DECLS

/* The planner's constants. */
#define SIM_KEYS_GAMMA           0.9     /* the planner's discount */
#define SIM_KEYS_BETA            30.0    /* the planner's Boltzmann inverse temperature */

/* One decision as the planner sees it: for each action, what the entered cell holds and, when
 * the plan goes on there, the path length from that cell to the nearest key and to the nearest
 * openable chest through cells that end no plan (SIM_KEYS_FAR when farther than the steps left
 * in the plan). This is everything the planner's Q depends on, so recorded decisions can be
 * re-scored under any θ (sim_keys_decision_q()). */
typedef struct
{
  guint8 target[SIM_N_ACTIONS];    /* SimKeysTarget */
  guint8 d_key[SIM_N_ACTIONS];
  guint8 d_chest[SIM_N_ACTIONS];
  guint8 action;                   /* the action taken (SimAction) */
} SimKeysDecision;

/* The planner's view of the current state (action left unset, 0). */
void         sim_keys_episode_decision (SimKeysEpisode      *ep,
                                        SimKeysDecision     *decision);
/* The next-pickup planner's Q(a) at the current state for internal reward θ = [key, chest]:
 * hard-max VI with discount γ over horizon min(steps left, 2N) in which any pickup ends the
 * plan. Equal to Q(a) = θ_kind when the action picks something up, else
 * max(0, θ_key·γ^d_key, θ_chest·γ^d_chest) over what is in reach. */
void         sim_keys_episode_q        (SimKeysEpisode      *ep,
                                        const double        *theta,
                                        double              *q);
/* Samples the planner's action: Boltzmann(β) over sim_keys_episode_q(). Writes the decision
 * (with the action) when decision is non-NULL. */
SimAction    sim_keys_episode_act      (SimKeysEpisode      *ep,
                                        const double        *theta,
                                        double               beta,
                                        gsl_rng             *rng,
                                        SimKeysDecision     *decision);

/* Q(a) of a recorded decision under θ (the same numbers sim_keys_episode_q() gives). */
void         sim_keys_decision_q       (const SimKeysDecision *decision,
                                        const double          *theta,
                                        double                *q);

/* Monte-Carlo outcome: means over all episodes. */
typedef struct
{
  double chests;        /* chests opened */
  double keys;          /* keys collected */
  double base_return;
  double steps;         /* transitions until the episode ended */
} SimKeysOutcome;

/* Any agent of scenario C as the episode drivers below see it: returns the action at the
 * episode's current state, drawing what it samples from rng. When decision is non-NULL it
 * also writes the planner's view of the state (sim_keys_episode_decision()) with the action
 * taken, so that the likelihood grid can score the decision whatever agent made it. */
typedef SimAction (*SimKeysActFunc) (SimKeysEpisode  *ep,
                                     gsl_rng         *rng,
                                     SimKeysDecision *decision,
                                     gpointer         user_data);

/* sim_keys_evaluate() and sim_keys_record_decisions() for any agent:
 * the same episodes, seeds and counts, with act choosing the actions. */
void         sim_keys_evaluate_agent   (SimKeysActFunc       act,
                                        gpointer             user_data,
                                        SimLevel *const     *levels,
                                        int                  n_levels,
                                        int                  n_rollouts,
                                        guint32              seed,
                                        SimKeysOutcome      *out);
GArray      *sim_keys_record_agent_decisions (SimKeysActFunc act,
                                              gpointer       user_data,
                                              SimLevel *const *levels,
                                              int            n_levels,
                                              int            n_rollouts,
                                              guint32        seed);

/* Runs n_rollouts episodes of the planner (θ, β) on each level. Episode (i, r) draws its actions
 * from a generator seeded with a value derived from (seed, i, r) only, so different θ see the
 * same random numbers (common random numbers) and the result is a deterministic function of
 * its arguments. */
void         sim_keys_evaluate         (const double        *theta,
                                        double               beta,
                                        SimLevel *const     *levels,
                                        int                  n_levels,
                                        int                  n_rollouts,
                                        guint32              seed,
                                        SimKeysOutcome      *out);

/* Records every decision of n_rollouts episodes per level (seeded as in sim_keys_evaluate()).
 * Returns a GArray of SimKeysDecision (transfer full). */
GArray      *sim_keys_record_decisions (const double        *theta,
                                        double               beta,
                                        SimLevel *const     *levels,
                                        int                  n_levels,
                                        int                  n_rollouts,
                                        guint32              seed);

/* One step of a sampled path, for drawing. Entry 0 is the start. */
typedef struct
{
  int cell;             /* the agent's cell after the step */
  int held;             /* keys in hand after the step */
  int keys_collected;   /* running totals */
  int chests_opened;
  guint8 taken;         /* SIM_CELL_KEY or SIM_CELL_CHEST when this step took one, else FLOOR */
} SimKeysPathStep;

/* Samples one episode of the planner (θ, β) on level. Writes the steps, start included, into
 * steps (room for level->horizon + 1) and returns how many were written. */
int          sim_keys_sample_path      (const SimLevel      *level,
                                        const double        *theta,
                                        double               beta,
                                        gsl_rng             *rng,
                                        SimKeysPathStep     *steps);
/* sim_keys_sample_path() for any agent. */
int          sim_keys_sample_agent_path (const SimLevel     *level,
                                         SimKeysActFunc      act,
                                         gpointer            user_data,
                                         gsl_rng            *rng,
                                         SimKeysPathStep    *steps);

G_END_DECLS
