/* sim-planner.h: the planner agent: soft value iteration on the perceived map, exact evaluation
 * under the real dynamics, and the exact gradient of the expected base return
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include "sim-level.h"
#include "sim-policy.h"
#include "sim-vector.h"

G_BEGIN_DECLS

/* The planner's inverse temperature (docs/science.md §1). */
#define SIM_PLANNER_BETA 10.0

/* The largest horizon × cells a level may have: the time-indexed policy takes 40 bytes per
 * state and step (16×16 with T = 48 uses 12,288; 64×64 with T = 192 uses 786,432). */
#define SIM_PLANNER_MAX_STEPS (1 << 21)

/* How the agent perceives the target (coin or exit) on one level. */
typedef enum
{
  SIM_SIGHT_FULL,     /* perceived from the start (M0, and every test level of M1) */
  SIM_SIGHT_HIDDEN,   /* never perceived: neither rewarding nor terminal in the agent's model */
  SIM_SIGHT_RADIUS,   /* perceived once the agent has been within a Manhattan radius (M2) */
  SIM_N_SIGHTS
} SimSight;

/* Everything the planner needs about one level, given as arrays. sim_plan_level_new() fills
 * it from a scenario level; tests can build one by hand. Cells are indexed as in SimLevel
 * (s = y * width + x); the level supplies the moves (walls), the start and the horizon. */
typedef struct
{
  const SimLevel *level;
  int n_features;
  const double *phi;          /* n_cells * n_features: φ(s) with the target perceived */
  const double *phi_unseen;   /* the same with the target not perceived; NULL with FULL sight */
  const guint8 *terminal;     /* n_cells: 1 where entering the cell ends the episode */
  const guint8 *target;       /* n_cells: 1 on target cells (a subset of terminal) */
  const guint8 *proxy;        /* n_cells: 1 in the proxy region (alive there at T counts) */
  const guint8 *lava;         /* n_cells: 1 on lava (for the lava rate); may be NULL */
  const double *base_reward;  /* n_cells: the base reward θ_base·φ(s') of entering the cell */
  SimSight sight;
  int radius;                 /* for SIM_SIGHT_RADIUS: Manhattan distance, at least 0 */
} SimPlanSpec;

/* A prepared level: next-state table, features and masks in flat arrays. Immutable once
 * built, so one SimPlanLevel can be shared by several threads. */
typedef struct _SimPlanLevel SimPlanLevel;

/* Builds a prepared level from a scenario level (coin or green-exit): φ from
 * sim_features_compute(), terminal and target cells of the scenario, the proxy mask, and the
 * scenario's base objective. Returns NULL when horizon × cells exceeds SIM_PLANNER_MAX_STEPS. */
SimPlanLevel   *sim_plan_level_new          (const SimLevel     *level,
                                             gboolean            near_corner,
                                             SimSight            sight,
                                             int                 radius);
/* Copies every array of spec. Returns NULL and sets error when spec is inconsistent. */
SimPlanLevel   *sim_plan_level_new_from_spec (const SimPlanSpec *spec,
                                              GError           **error);
void            sim_plan_level_free         (SimPlanLevel       *plan_level);
const SimLevel *sim_plan_level_get_level    (const SimPlanLevel *plan_level);
int             sim_plan_level_get_n_features (const SimPlanLevel *plan_level);
SimSight        sim_plan_level_get_sight    (const SimPlanLevel *plan_level);

/* Exact expected outcome of the planner on one level, under the real dynamics. */
typedef struct
{
  double base_return;       /* forward pass: expected sum of base rewards */
  double target;            /* P(enter a target cell within the horizon) */
  double proxy;             /* P(alive at the horizon inside the proxy region) */
  double lava;              /* P(enter lava within the horizon) */
  double backward_return;   /* backward policy evaluation Vb_0(start); NaN without gradient */
} SimPlanResult;

/* A workspace for the planner: buffers grown on demand and reused, so the hot loops never
 * allocate. Not thread-safe: use one per thread. */
typedef struct _SimPlanner SimPlanner;

SimPlanner     *sim_planner_new             (void);
void            sim_planner_free            (SimPlanner         *self);

/* How many steps ahead the planner looks when it acts: at each step it follows the soft
 * value iteration of the next min(depth, steps left) steps (a receding horizon), so depth 1
 * is greedy on the next cell's reward. 0 (the default), or any depth at least the horizon,
 * plans the whole remaining episode. Solving, sampling and the gradient all follow it. */
void            sim_planner_set_depth       (SimPlanner         *self,
                                             int                 depth);
int             sim_planner_get_depth       (SimPlanner         *self);

/* Solves the agent's soft value iteration for θ (and inverse temperature beta) on the level as
 * it perceives it, then propagates the state distribution under the real dynamics. With grad
 * non-NULL also writes ∇θ of the expected base return (n_features values) and fills
 * result->backward_return. Returns FALSE only for invalid arguments. */
gboolean        sim_planner_solve           (SimPlanner         *self,
                                             const SimPlanLevel *plan_level,
                                             const double       *theta,
                                             double              beta,
                                             SimPlanResult      *result,
                                             double             *grad);

/* Soft value iteration only (the backward pass, every plan of the level); returns the number
 * of state updates done (time steps × states solved). For benchmarks. */
gint64          sim_planner_soft_vi         (SimPlanner         *self,
                                             const SimPlanLevel *plan_level,
                                             const double       *theta,
                                             double              beta);

/* Samples one episode under the real dynamics (two-phase with radius sight). Writes the visited
 * cells, start included, into cells (room for horizon + 1) and returns how many. */
int             sim_planner_sample          (SimPlanner         *self,
                                             const SimPlanLevel *plan_level,
                                             const double       *theta,
                                             double              beta,
                                             gsl_rng            *rng,
                                             int                *cells);

/* With safe TRUE every solve runs in the log domain (log-sum-exp with max subtraction per
 * state). By default a faster exp-domain recursion runs and falls back to the log domain by
 * itself when its numbers leave the safe range. */
void            sim_planner_set_safe_mode   (SimPlanner         *self,
                                             gboolean            safe);
/* How many solves fell back to the log domain so far. */
guint64         sim_planner_get_n_fallbacks (SimPlanner         *self);

/* The time-indexed policy of the planner with full perception of level (used for probe
 * demonstrations and for drawing rollouts). θ has sim_features_count() entries. NULL when the
 * level is too large (see sim_plan_level_new()). */
SimPolicy      *sim_planner_policy          (const double       *theta,
                                             const SimLevel     *level,
                                             gboolean            near_corner,
                                             double              beta);
/* The same for a planner of the given depth (see sim_planner_set_depth()). */
SimPolicy      *sim_planner_policy_at_depth (const double       *theta,
                                             const SimLevel     *level,
                                             gboolean            near_corner,
                                             double              beta,
                                             int                 depth);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimPlanLevel, sim_plan_level_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimPlanner, sim_planner_free)

G_END_DECLS
