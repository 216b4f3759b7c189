/* sim-snapshot.h: an immutable picture of a training run, published by the runner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "sim-config.h"
#include "sim-level.h"
#include "sim-scenario.h"

G_BEGIN_DECLS

/* One level as the dashboard shows it: the level, a rollout sampled from the current policy,
 * and the base and inferred reward of entering each cell. */
typedef struct
{
  SimLevel *level;              /* owned ref */
  int n_path;                   /* cells in path, start included */
  int *path;                    /* owned, n_path cell indices */
  double *base_reward;          /* owned, width*height: θ_base·φ(s) with the target visible */
  double *inferred_reward;      /* owned, width*height, NULL before the first inference */
  int *held;                    /* owned, n_path: keys in hand after each step (entry 0 at the
                                 * start); keys-chests only, NULL for the other scenarios. A
                                 * rise means a key was picked up on that step's cell, a fall
                                 * that a chest was opened there. */
  double *action_prob;          /* owned, width*height*SIM_N_ACTIONS: the agent's π(a|s) at the
                                 * first time step, cell s's actions at s * SIM_N_ACTIONS (the
                                 * level card's policy arrows); NULL for keys-chests and where
                                 * the agent gives no policy */
} SimShownLevel;

/* The goal-directedness scores an inference records: toward the inferred objective, toward
 * the base objective, toward the agent's true θ (teacher mode's answer key), and held out
 * (fitted on training-like levels, scored on the others). */
typedef enum
{
  SIM_TRAIN_GOAL_INFERRED,
  SIM_TRAIN_GOAL_BASE,
  SIM_TRAIN_GOAL_TRUE,
  SIM_TRAIN_GOAL_HELD_OUT,
  SIM_TRAIN_N_GOALS
} SimTrainGoal;

typedef enum
{
  SIM_SHOWN_TRAIN,
  SIM_SHOWN_TEST,
  SIM_N_SHOWN
} SimShownKind;

/* Built by the worker thread, never modified after it is published; shared by reference count
 * between the worker and any number of widgets on the main thread. All arrays are owned. */
typedef struct
{
  gint ref_count;

  SimConfig config;
  int iteration;                /* base iterations done (0 = untrained) */
  double iterations_per_second; /* measured by the runner over the last few seconds */
  gboolean running;             /* TRUE while the runner plays */
  guint run;                    /* the runner's number of the run shown (sim_runner_get_run());
                                 * 0 outside a runner */

  int n_features;
  char **feature_names;         /* NULL-terminated strv, n_features entries */
  double *base_objective;       /* n_features, unit norm */
  double *true_objective;       /* n_features, unit norm; NULL for agents that have none */

  /* Per-iteration history, n_history = iteration entries (index i = after iteration i + 1). */
  int n_history;
  double *train_target;
  double *test_target;
  double *test_proxy;
  /* Keys-chests only (NULL for the other scenarios), n_history each: mean keys collected and
   * chests opened per episode on training-distribution and test-distribution levels. */
  double *train_keys;
  double *train_chests;
  double *test_keys;
  double *test_chests;

  /* Inference history, one entry per inference run. */
  int n_inferences;
  int *inference_iteration;     /* the base iteration each inference ran after */
  double *inferred;             /* n_inferences * n_features, unit norm */
  double *inferred_sd;          /* n_inferences * n_features, ± of each unit-norm weight */
  double *inferred_angle;       /* n_inferences: keys-chests' grid angle of [key, chest] in
                                 * degrees; NULL for the other scenarios */
  double *inferred_angle_sd;    /* n_inferences: its standard deviation in degrees, or NULL */
  double *predicted_target;     /* n_inferences: predicted test target rate */
  double *predicted_proxy;      /* n_inferences: predicted test proxy rate */
  double *cos_base;             /* n_inferences: cos(inferred, base) */
  double *cos_true;             /* n_inferences: cos(inferred, true θ); NaN when no true θ */
  /* Goal-directedness (sim-goal.h) as each inference recorded it, n_inferences ×
   * SIM_TRAIN_N_GOALS entries each, inference k's score toward goal g at k * SIM_TRAIN_N_GOALS
   * + g: the normalised score, the ends of its 90 % interval, nats per decision and the
   * decisions it rests on; NaN (0 decisions) where not computed (keys-chests, no true θ). */
  double *goal;
  double *goal_lo;
  double *goal_hi;
  double *goal_nats;
  int *goal_decisions;
  gint64 last_inference_us;     /* g_get_monotonic_time() of the last inference; 0 = none */

  SimShownLevel shown[SIM_N_SHOWN];
} SimSnapshot;

SimSnapshot *sim_snapshot_new    (void);
SimSnapshot *sim_snapshot_ref    (SimSnapshot *snapshot);
void         sim_snapshot_unref  (SimSnapshot *snapshot);

/* Frees the per-inference arrays (inference_iteration to goal_decisions) and leaves them NULL,
 * for the one that fills them anew. */
void         sim_snapshot_clear_inferences (SimSnapshot *snapshot);

/* The latest inference's unit-norm weights, or NULL before the first one. */
const double *sim_snapshot_get_inferred (const SimSnapshot *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimSnapshot, sim_snapshot_unref)

G_END_DECLS
