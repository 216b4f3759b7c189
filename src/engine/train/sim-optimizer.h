/* sim-optimizer.h: base optimizers that tune the planner's θ: normalised policy gradient (pgn)
 * and the cross-entropy method (cem)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include "sim-config.h"
#include "sim-planner.h"
#include "sim-scenario.h"

G_BEGIN_DECLS

/* docs/science.md §1 "Base optimizers". */
#define SIM_OPTIMIZER_LEVELS        32     /* fresh training levels per iteration */
#define SIM_OPTIMIZER_INIT_SCALE    0.05   /* θ0 = 0.05·N(0, I) */
#define SIM_PGN_STEP                0.05   /* pgn: the step's length for the first 60 % of a run, */
#define SIM_PGN_HOLD                0.6
#define SIM_PGN_STEP_FINAL          0.0002 /* falling geometrically to this at the last iteration */
#define SIM_PGN_AVERAGE             0.5    /* weight of the previous average gradient */
#define SIM_PG_ADAM_LR              0.05   /* pg: Adam's learning rate, β1, β2 and ε */
#define SIM_PG_ADAM_BETA1           0.9
#define SIM_PG_ADAM_BETA2           0.999
#define SIM_PG_ADAM_EPSILON         1e-8
#define SIM_CEM_POPULATION          48
#define SIM_CEM_ELITE               8
#define SIM_CEM_INIT_SD             0.5
#define SIM_CEM_KEEP                0.3    /* weight of the old mean and sd in the update */
#define SIM_CEM_SD_FLOOR            0.02

typedef struct _SimOptimizer SimOptimizer;

/* Draws one training level as the config asks: from the test distribution with probability
 * diversity %, else from the training distribution; with hidden:P the target is hidden with
 * probability P %; with radius:R the agent perceives the target within R. Always draws two
 * uniforms and then the level, so the stream does not depend on the knobs' values. */
SimPlanLevel  *sim_optimizer_draw_level       (const SimConfig *config,
                                               gsl_rng         *rng);

/* Mean expected base return of θ over levels, and its exact gradient when grad is non-NULL. */
double         sim_optimizer_mean_return      (SimPlanner          *planner,
                                               SimPlanLevel *const *levels,
                                               int                  n_levels,
                                               const double        *theta,
                                               double              *grad);

/* A pgn, pg or cem run for a planner config. Every random draw (θ0, training levels, CEM
 * candidates) comes from one gsl_rng seeded with config->seed. Returns NULL and sets error
 * for configs it cannot run (Q-learner agent, keys-chests scenario, invalid values). */
SimOptimizer  *sim_optimizer_new              (const SimConfig *config,
                                               GError         **error);
void           sim_optimizer_free             (SimOptimizer    *self);

/* One base iteration: a pgn or pg (Adam) step on 32 fresh levels, or one CEM generation. */
void           sim_optimizer_step             (SimOptimizer    *self);

/* pgn's step length at iteration (0-based) of a run of iterations: SIM_PGN_STEP for the first
 * SIM_PGN_HOLD of the run, then falling geometrically to SIM_PGN_STEP_FINAL at the last one. */
double         sim_optimizer_pgn_step_length  (int              iteration,
                                               int              iterations);

int            sim_optimizer_get_iteration    (SimOptimizer    *self);
int            sim_optimizer_get_n_features   (SimOptimizer    *self);
/* The agent's current θ (pgn: the iterate; cem: the distribution mean), in the unit ball. */
const double  *sim_optimizer_get_theta        (SimOptimizer    *self);
/* Replaces θ (and the CEM mean) and forgets pgn's average gradient; for tests and for
 * resuming. */
void           sim_optimizer_set_theta        (SimOptimizer    *self,
                                               const double    *theta);
/* CEM: the per-feature standard deviation; NULL for pgn. */
const double  *sim_optimizer_get_sd           (SimOptimizer    *self);
/* Mean base return on the last step's training levels: pgn at θ before the step, cem the best
 * candidate's. NaN before the first step. */
double         sim_optimizer_get_last_fitness (SimOptimizer    *self);
/* The planner workspace the optimizer uses; borrow it on the same thread for evaluations. */
SimPlanner    *sim_optimizer_get_planner      (SimOptimizer    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimOptimizer, sim_optimizer_free)

G_END_DECLS
