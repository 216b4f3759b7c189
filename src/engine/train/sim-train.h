/* sim-train.h: a training run: the agent, its base optimizer, fixed evaluation sets, the metric
 * history, and the hook where objective inference runs every K iterations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include "sim-config.h"
#include "sim-keys-run.h"
#include "sim-level.h"
#include "sim-planner.h"
#include "sim-policy.h"
#include "sim-scenario.h"
#include "sim-snapshot.h"

G_BEGIN_DECLS

/* Size of each fixed evaluation set (train distribution and test distribution). */
#define SIM_TRAIN_EVAL_LEVELS 64

/* The metrics after one base iteration. Rates are exact expectations over the fixed evaluation
 * sets: train-distribution levels (with the target visible under hidden:P) and
 * test-distribution levels; with radius:R both use the agent's two-phase perception (the
 * network sees the target only within the radius, with no memory; the Q-learner always).
 *
 * Keys-chests (a CEM run of sim-keys wrapped by the trainer): the rates are Monte-Carlo means
 * over the run's evaluation sets (SIM_KEYS_EVAL_LEVELS levels × SIM_KEYS_EVAL_ROLLOUTS); the
 * target is the chest and the proxy the key: *_target = chests opened / SIM_KEYS_MAX_OPENED,
 * train_proxy = keys collected / SIM_KEYS_TRAIN_KEYS, test_proxy = keys collected /
 * SIM_KEYS_TEST_KEYS, test_lava = 0; the counts themselves are in train_keys … test_chests. */
typedef struct
{
  int iteration;              /* base iterations done, 1 for the first record */
  double train_target;        /* P(reach the target), train-distribution levels */
  double train_proxy;         /* P(alive at T in the proxy region), train-distribution levels */
  double train_return;        /* expected base return, train-distribution levels */
  double test_target;
  double test_proxy;
  double test_lava;
  double test_return;
  double fitness;             /* the optimizer's mean return on its own training levels (the
                               * network: its last update's episodes; NaN for the Q-learner) */
  double train_keys;          /* keys-chests: mean keys collected per episode; NaN elsewhere */
  double train_chests;        /* keys-chests: mean chests opened per episode; NaN elsewhere */
  double test_keys;
  double test_chests;

  /* Filled by the inference hook on the iterations where it ran. */
  gboolean has_inference;
  double inferred[SIM_MAX_FEATURES];     /* unit norm */
  double inferred_sd[SIM_MAX_FEATURES];  /* ± of each unit-norm weight; 0 when unknown */
  double predicted_target;    /* test target rate predicted from the inferred objective */
  double predicted_proxy;     /* test proxy rate predicted from the inferred objective */
  double inferred_angle;      /* keys-chests: the grid inference's α of [key, chest] in degrees,
                               * [0, 360); NaN elsewhere */
  double inferred_angle_sd;   /* keys-chests: its circular standard deviation, at least half a
                               * grid step (2.5°); NaN elsewhere */
  /* Goal-directedness of the probe demonstrations (sim-goal.h), one per SimTrainGoal: the
   * normalised score, the ends of its 90 % interval, the score in nats per decision, and the
   * decisions it rests on. NaN (0 decisions) where not computed: no inference at this
   * iteration, no true θ, or keys-chests. */
  double goal[SIM_TRAIN_N_GOALS];
  double goal_lo[SIM_TRAIN_N_GOALS];
  double goal_hi[SIM_TRAIN_N_GOALS];
  double goal_nats[SIM_TRAIN_N_GOALS];
  int goal_decisions[SIM_TRAIN_N_GOALS];
} SimTrainRecord;

typedef struct _SimTrain SimTrain;

/* Objective inference hook: called on the training thread after the metrics of every K-th
 * iteration (K = config->infer_every, never when K is 0) and after the last iteration. It
 * fills record->inferred (unit norm), inferred_sd, predicted_target and predicted_proxy and
 * returns TRUE, or returns FALSE (with error set) to leave the record without inference. The
 * trainer computes nothing about inference itself. */
typedef gboolean (*SimTrainInferFunc) (SimTrain       *train,
                                       SimTrainRecord *record,
                                       gpointer        user_data,
                                       GError        **error);

/* A run for config (copied). Returns NULL and sets error for a config it cannot run. The eval
 * sets are drawn once from a generator seeded with a value derived from config->seed; training
 * draws from a generator seeded with config->seed: the same config gives the same run, bit for
 * bit.
 *
 * Keys-chests runs the scenario's own CEM (sim_keys_run_new_full()): one iteration is one CEM
 * generation (docs/science.md uses 20), config->diversity is the percentage of training levels
 * drawn from the test distribution (100 = the control run), and only the planner with
 * optimizer cem and perception full is accepted (near_corner is ignored). */
SimTrain            *sim_train_new                (const SimConfig   *config,
                                                   GError           **error);
/* The checks of sim_train_new() without building a run: sim_config_validate() and what the
 * scenario accepts (keys-chests: planner, cem, perception full). */
gboolean             sim_train_check_config       (const SimConfig   *config,
                                                   GError           **error);
void                 sim_train_free               (SimTrain          *self);

/* Installs the inference hook (replacing any previous one). */
void                 sim_train_set_infer_func     (SimTrain          *self,
                                                   SimTrainInferFunc  func,
                                                   gpointer           user_data,
                                                   GDestroyNotify     destroy);
/* The installed hook's user data (borrowed), or NULL; *func (may be NULL) gets the hook. */
gpointer             sim_train_get_infer_data     (SimTrain          *self,
                                                   SimTrainInferFunc *func);

/* One base iteration (planner: a pgn step or a CEM generation; Q-learner: the next chunk of
 * episodes, network: the next chunk of its SIM_MLP_UPDATES updates, so that config->iterations
 * steps cover the whole training), then the metrics and,
 * when due, inference. Returns FALSE, doing nothing, once the run is complete. */
gboolean             sim_train_step               (SimTrain          *self);
gboolean             sim_train_is_done            (SimTrain          *self);

const SimConfig     *sim_train_get_config         (SimTrain          *self);
int                  sim_train_get_iteration      (SimTrain          *self);
int                  sim_train_get_n_iterations   (SimTrain          *self);

/* The scenario's features (names as the man page lists them) and base objective θ_base. */
int                  sim_train_get_n_features     (SimTrain          *self);
const char          *sim_train_get_feature_name   (SimTrain          *self,
                                                   int                index);
const double        *sim_train_get_base_objective (SimTrain          *self);

/* The planner's true internal objective θ (n_features values, in the unit ball); NULL for the
 * Q-learner and the network, which have none. */
const double        *sim_train_get_theta          (SimTrain          *self);
/* The network of a network run (borrowed; changes as training goes on); NULL otherwise. */
typedef struct _SimMlp SimMlp;
SimMlp              *sim_train_get_mlp            (SimTrain          *self);
/* The Q-learner's SIM_QLEARNER_N_FEATURES weights w; NULL for the planner. */
const double        *sim_train_get_qlearner_weights (SimTrain        *self);
/* The wrapped keys-chests run (borrowed); NULL for the other scenarios. */
SimKeysRun          *sim_train_get_keys_run       (SimTrain          *self);

/* One record per iteration done (borrowed; valid until the next step). */
const SimTrainRecord *sim_train_get_history       (SimTrain          *self,
                                                   int               *n_records);
/* The latest record, or NULL before the first step. */
const SimTrainRecord *sim_train_get_last          (SimTrain          *self);

/* The fixed evaluation levels of a distribution (borrowed), SIM_TRAIN_EVAL_LEVELS of them
 * (keys-chests: the run's SIM_KEYS_EVAL_LEVELS). */
SimLevel *const     *sim_train_get_eval_levels    (SimTrain          *self,
                                                   SimDistribution    dist,
                                                   int               *n_levels);

/* The current agent's time-indexed policy on level with the target fully perceived (what
 * probe demonstrations are sampled from; the network's is stationary, the same every step).
 * NULL if the level is too large for the planner, and for keys-chests, whose planner also
 * depends on the keys held. */
SimPolicy           *sim_train_get_policy         (SimTrain          *self,
                                                   const SimLevel    *level);
/* Whether that policy is the soft-optimal policy of SIM_PLANNER_BETA × sim_train_get_theta():
 * a planner that looks to the end of the episode. */
gboolean             sim_train_acts_soft_optimally (SimTrain         *self);

/* Samples one episode of the current agent on level, with the run's perception (two-phase for
 * radius:R). Writes the cells, start included (room for horizon + 1); returns how many.
 * Keys-chests: the next-pickup planner under the real rules (sim_keys_sample_path()). */
int                  sim_train_sample_path        (SimTrain          *self,
                                                   const SimLevel    *level,
                                                   gsl_rng           *rng,
                                                   int               *cells);

/* Fills every training field of snapshot: config, iteration, features, objectives (unit norm),
 * history, inference history, and the shown train and test levels (evaluation level number
 * shown_index, with a path sampled deterministically from the current agent). Keys-chests
 * also fills the keys and chests histories and each shown path's keys held. */
void                 sim_train_fill_snapshot      (SimTrain          *self,
                                                   int                shown_index,
                                                   SimSnapshot       *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimTrain, sim_train_free)

G_END_DECLS
