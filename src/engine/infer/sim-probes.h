/* sim-probes.h: the probe battery that reads out an agent's objective by MaxEnt IRL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "sim-demos.h"
#include "sim-goal.h"
#include "sim-level.h"
#include "sim-policy.h"
#include "sim-scenario.h"

G_BEGIN_DECLS

#define SIM_PROBES_ERROR (sim_probes_error_quark ())

typedef enum
{
  SIM_PROBES_ERROR_INVALID,   /* unusable parameters or a policy that does not fit its level */
  SIM_PROBES_ERROR_FAILED,    /* the inference could not run */
} SimProbesError;

/* Which probe kinds the battery cycles through (docs/science.md §3.5). */
typedef enum
{
  SIM_PROBE_DESIGN_RICH,        /* train-like, off-distribution, target near start, proxy
                                 * blocked (the default) */
  SIM_PROBE_DESIGN_TRAIN_OFF,   /* train-like and off-distribution, alternating (50 % off) */
  SIM_PROBE_DESIGN_TRAIN_ONLY,  /* train-like only: shows what cannot be told apart */
  SIM_N_PROBE_DESIGNS
} SimProbeDesign;

typedef struct
{
  SimScenarioKind scenario;   /* coin or green-exit */
  int grid;                   /* 4 … SIM_LEVEL_MAX_SIZE */
  gboolean near_corner;       /* coin: features include near_corner */
  guint32 seed;               /* the session seed: levels and every sampling seed */
  SimProbeDesign design;
  int n_probes;               /* 16 */
  int n_trajectories;         /* per probe: 8 */
  int n_lava;                 /* per probe: 4 */
  int n_test_levels;          /* test-distribution levels for the prediction: 16 */
  gboolean uncertainty;       /* compute the ± of each weight (the exact Hessian): TRUE */
  gboolean goal;              /* compute the goal-directedness scores: TRUE */
  int goal_resamples;         /* bootstrap resamples of their intervals: 400 */
} SimProbeParams;

/* What one update reads out. */
typedef struct
{
  int n_features;
  double inferred[SIM_MAX_FEATURES];     /* unit norm */
  double raw[SIM_MAX_FEATURES];          /* θ at the optimum (temperature 1) */
  double uncertainty[SIM_MAX_FEATURES];  /* ± one standard error of each unit weight */
  double log_likelihood;                 /* mean per demonstration */
  int iterations;
  int evaluations;
  gboolean converged;
  /* Soft value iteration with the raw inferred reward (β = 1) on the fixed test levels,
   * evaluated exactly: P(reach the target) and P(alive at T in the proxy region). */
  double predicted_target;
  double predicted_proxy;
  double cos_base;                       /* cos(inferred, base objective) */
  double cos_true;                       /* cos(inferred, true θ); NaN without a true θ */
  /* Goal-directedness of the demonstrations (sim-goal.h), NaN where not computed: toward the
   * inferred objective (its direction, the scale refitted), toward the base objective (its
   * scale fitted), toward the true θ at the planner's own β, and held out: fitted on the
   * train-like probes, scored on the others. */
  SimGoalScore goal_inferred;
  SimGoalScore goal_base;
  SimGoalScore goal_true;
  SimGoalScore goal_held_out;
  double seconds;                        /* wall time of the whole update */
} SimProbeReadout;

/* Returns the agent's policy on a fully perceived level (transfer full), or NULL. */
typedef SimPolicy *(*SimProbePolicyFunc) (const SimLevel *level,
                                          gpointer        user_data);

/* The battery of one session: the probe levels, the test levels, the IRL workspaces and the
 * previous estimate (warm start). Owned by one thread at a time; not thread-safe. */
typedef struct _SimProbes SimProbes;

GQuark           sim_probes_error_quark      (void);

/* Defaults: 16 probes × 8 trajectories, 4 lava, 16 test levels, rich design, uncertainty. */
void             sim_probe_params_init       (SimProbeParams        *params,
                                              SimScenarioKind        scenario,
                                              int                    grid,
                                              gboolean               near_corner,
                                              guint32                seed);
SimProbes       *sim_probes_new              (const SimProbeParams  *params,
                                              GError               **error);
void             sim_probes_free             (SimProbes             *self);
const SimProbeParams *sim_probes_get_params  (SimProbes             *self);
int              sim_probes_get_n_features   (SimProbes             *self);
const SimLevel  *sim_probes_get_level        (SimProbes             *self,
                                              int                    index);
const SimLevel  *sim_probes_get_test_level   (SimProbes             *self,
                                              int                    index);

/* Samples n_trajectories episodes from policy_func's policy on every probe, with the same
 * fixed RNG seed for each (probe, trajectory) at every call, runs MaxEnt IRL warm-started
 * from the previous estimate, and fills out. true_theta (n_features values) may be NULL. */
gboolean         sim_probes_update           (SimProbes             *self,
                                              SimProbePolicyFunc     policy_func,
                                              gpointer               user_data,
                                              const double          *true_theta,
                                              SimProbeReadout       *out,
                                              GError               **error);
/* Whether the policies policy_func gives are the soft-optimal policies of SIM_PLANNER_BETA ×
 * true_theta on the fully perceived probe levels (a planner that looks to the end of the
 * episode). Then the score toward the true θ takes each demonstration's log-likelihood from
 * the probabilities the agent acted with instead of a pass of the model; the first update
 * checks them against that pass (within 10⁻⁹) and, should they differ, warns and computes
 * from then on. FALSE at first. */
void             sim_probes_set_soft_optimal (SimProbes             *self,
                                              gboolean               soft_optimal);
/* Forgets the previous estimate: the next update starts from θ = 0. */
void             sim_probes_reset            (SimProbes             *self);

/* The demonstrations of the last update as a demos file (levels and trajectories); NULL
 * before the first update. */
SimDemos        *sim_probes_dup_demos        (SimProbes             *self);
/* Writes them atomically to path (the format of "infer --demos"). */
gboolean         sim_probes_export_demos     (SimProbes             *self,
                                              const char            *path,
                                              GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimProbes, sim_probes_free)

G_END_DECLS
