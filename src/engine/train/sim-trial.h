/* sim-trial.h: trying the current agent of a training run on one level: paths sampled from a
 * generator of its own, the keys and chests it takes, and the exact outcome of its policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sim-level.h"
#include "sim-policy.h"
#include "sim-train.h"

G_BEGIN_DECLS

/* The trial's own generator is seeded with this every time. */
#define SIM_TRIAL_SEED          20240611
/* Paths kept, for drawing; keys-chests samples this many in all to count keys and chests. */
#define SIM_TRIAL_KEPT_PATHS    8
#define SIM_TRIAL_COUNTED_PATHS 64

#define SIM_TRIAL_ERROR (sim_trial_error_quark ())

typedef enum
{
  SIM_TRIAL_ERROR_SCENARIO,     /* the level is of another scenario than the run's agent */
  SIM_TRIAL_ERROR_NO_START,     /* the level has no start cell */
} SimTrialError;

/* What the agent did on the level. Read the fields. */
typedef struct
{
  int iteration;                /* the agent's: base iterations done */
  int n_iterations;             /* of its run */
  int room;                     /* level->horizon + 1, the most cells a path has */
  int n_paths;                  /* paths kept: SIM_TRIAL_KEPT_PATHS */
  int *cells;                   /* path i: lengths[i] cells from cells + offsets[i], start first */
  int offsets[SIM_TRIAL_KEPT_PATHS];
  int lengths[SIM_TRIAL_KEPT_PATHS];
  int n_samples;                /* paths sampled, the kept ones first: SIM_TRIAL_COUNTED_PATHS
                                 * for keys-chests, else n_paths */
  double keys;                  /* keys-chests: keys picked up and chests opened, means over the
                                 * samples (sim_keys_count_pickups()); 0 elsewhere */
  double chests;
  gboolean has_outcome;         /* the exact outcome of the agent's policy with the target in
                                 * view (sim_train_get_policy()); none for keys-chests, whose
                                 * agent re-plans on the keys it holds, nor where the level is
                                 * too large for the planner */
  SimOutcome outcome;
} SimTrial;

GQuark       sim_trial_error_quark (void);

/* Runs the current agent of train on level, on the thread that owns train. The generator is
 * the trial's own, seeded with SIM_TRIAL_SEED: the run's own is left alone, and the same agent
 * on the same level gives the same trial. Returns NULL and sets error for a level of another
 * scenario than the run's or a level without a start. */
SimTrial    *sim_trial_run         (SimTrain       *train,
                                    const SimLevel *level,
                                    GError        **error);
void         sim_trial_free        (SimTrial       *trial);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimTrial, sim_trial_free)

G_END_DECLS
