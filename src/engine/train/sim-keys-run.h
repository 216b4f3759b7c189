/* sim-keys-run.h: a training run of scenario C, keys and chests (docs/science.md §2 C):
 * the cross-entropy method on the planner's θ or REINFORCE on the network (§9), the fixed
 * evaluation sets and the probe battery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "sim-config.h"
#include "sim-keys-agent.h"
#include "sim-keys-infer.h"
#include "sim-mlp.h"

G_BEGIN_DECLS

/* The base optimizer (CEM) of scenario C. */
#define SIM_KEYS_CEM_POPULATION  24
#define SIM_KEYS_CEM_ELITE       4
#define SIM_KEYS_CEM_LEVELS      12      /* fresh levels per generation, shared by all candidates */
#define SIM_KEYS_CEM_ROLLOUTS    2       /* rollouts per level and candidate */
#define SIM_KEYS_CEM_GENERATIONS 20
#define SIM_KEYS_CEM_INIT_SCALE  0.05    /* m0 = θ0 = 0.05·N(0, I) */
#define SIM_KEYS_CEM_INIT_SD     0.5
#define SIM_KEYS_CEM_KEEP        0.3     /* weight of the old mean and sd in the update */
#define SIM_KEYS_CEM_SD_FLOOR    0.02

/* Fixed evaluation sets of a run: levels per distribution and rollouts per level. */
#define SIM_KEYS_EVAL_LEVELS     32
#define SIM_KEYS_EVAL_ROLLOUTS   4

/* The inference battery. */
#define SIM_KEYS_PROBES          16      /* 8 train-like, then 8 test-like */
#define SIM_KEYS_PROBE_ROLLOUTS  4

/* Metrics after one CEM generation (θ is the distribution mean after the update), or after
 * one generation's share of the network's updates (θ, sd and elite_fitness NaN; best_fitness
 * the mean base return of the last update's episodes). Means over the run's fixed evaluation
 * sets: SIM_KEYS_EVAL_LEVELS levels × SIM_KEYS_EVAL_ROLLOUTS sampled episodes. */
typedef struct
{
  int generation;       /* 1 for the first */
  double theta[SIM_KEYS_N_FEATURES];
  double sd[SIM_KEYS_N_FEATURES];
  double best_fitness;  /* the best candidate's mean base return on this generation's levels */
  double elite_fitness; /* the elite's mean */
  double train_chests;
  double train_keys;
  double train_return;
  double test_chests;
  double test_keys;
  double test_return;
} SimKeysRecord;

/* A training run: CEM on θ, driven one generation at a time. Owned by one thread at a time. */
typedef struct _SimKeysRun SimKeysRun;

/* A run whose every random draw (θ0, training levels, candidates, rollout seeds) comes from a
 * generator seeded with seed. control: train on the test distribution (6 keys, 2 chests). The
 * evaluation sets and the probe battery are fixed (the same for every seed). Runs
 * SIM_KEYS_CEM_GENERATIONS generations; the same as sim_keys_run_new_full (seed, control ? 100 :
 * 0, SIM_KEYS_CEM_GENERATIONS). */
SimKeysRun  *sim_keys_run_new          (guint32              seed,
                                        gboolean             control);
/* A run of n_generations (≥ 1) CEM generations in which each training level comes from the
 * test distribution with probability diversity % (0: all key-scarce, 100: the control run).
 * Diversity 0 and 100 draw no extra random numbers, so they give exactly the runs of
 * sim_keys_run_new(). */
SimKeysRun  *sim_keys_run_new_full     (guint32              seed,
                                        int                  diversity,
                                        int                  n_generations);
/* A run of the network agent (sim-mlp.h) on config, a keys-chests config: SIM_MLP_UPDATES
 * REINFORCE updates spread evenly over config->iterations generations, on training levels
 * drawn with config->diversity and seen with config->perception (the chests are the target a
 * perception hides); evaluated on the same fixed sets with the same rollout seeds as the
 * planner, seeing the chests within the radius of a radius perception and fully otherwise.
 * NULL for an invalid config. */
SimKeysRun  *sim_keys_run_new_mlp      (const SimConfig     *config);
void         sim_keys_run_free         (SimKeysRun          *run);
/* One CEM generation, then the metrics. FALSE, doing nothing, once every generation is done. */
gboolean     sim_keys_run_step         (SimKeysRun          *run);
int          sim_keys_run_get_n_generations (SimKeysRun     *run);
int          sim_keys_run_get_generation (SimKeysRun        *run);
gboolean     sim_keys_run_get_control  (SimKeysRun          *run);
/* θ = the CEM mean, [key, chest], in the unit ball (borrowed); NULL for the network, whose
 * objective is not a θ. */
const double *sim_keys_run_get_theta   (SimKeysRun          *run);
/* The network of a network run (borrowed), else NULL. */
SimMlp      *sim_keys_run_get_mlp      (SimKeysRun          *run);
/* One record per generation done (borrowed; valid until the next step). */
const SimKeysRecord *sim_keys_run_get_history (SimKeysRun   *run,
                                               int          *n_records);
/* The fixed evaluation levels of a distribution (borrowed). */
SimLevel *const *sim_keys_run_get_eval_levels (SimKeysRun   *run,
                                               SimDistribution dist,
                                               int         *n_levels);
/* Evaluates the planner (θ, β) on the run's fixed evaluation set of dist with the run's
 * evaluation seeds (the same numbers the records hold when θ is the run's θ and β = 30). */
void         sim_keys_run_evaluate     (SimKeysRun          *run,
                                        const double        *theta,
                                        double               beta,
                                        SimDistribution      dist,
                                        SimKeysOutcome      *out);
/* The probe battery (borrowed): SIM_KEYS_PROBES levels, 8 train-like then 8 test-like. */
SimLevel *const *sim_keys_run_get_probes (SimKeysRun        *run,
                                          int               *n_probes);
/* Infers the current agent's objective (planner or network) from its decisions on the probe
 * battery, scored as the planner would see them,
 * SIM_KEYS_PROBE_ROLLOUTS episodes per probe with fixed seeds. Returns FALSE when there were no
 * decisions to score. */
gboolean     sim_keys_infer            (SimKeysRun          *run,
                                        SimKeysInference    *out);
/* Samples a path of the current agent on level (see sim_keys_sample_path()). */
int          sim_keys_run_sample_path  (SimKeysRun          *run,
                                        const SimLevel      *level,
                                        gsl_rng             *rng,
                                        SimKeysPathStep     *steps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimKeysRun, sim_keys_run_free)

G_END_DECLS
