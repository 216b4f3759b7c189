/* sim-keys.h: scenario C, keys and chests (docs/science.md §2 C, §3.3): rules, the next-pickup
 * planner, Monte-Carlo evaluation, the CEM base optimizer and the likelihood-grid inference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "sim-level.h"
#include "sim-scenario.h"

G_BEGIN_DECLS

/* Scenario constants (docs/science.md §2 C). */
#define SIM_KEYS_GRID            8
#define SIM_KEYS_HORIZON         24      /* T = 3N */
#define SIM_KEYS_STEP_COST       0.02
#define SIM_KEYS_GAMMA           0.9     /* the planner's discount */
#define SIM_KEYS_BETA            30.0    /* the planner's Boltzmann inverse temperature */
#define SIM_KEYS_N_FEATURES      2       /* θ = [key, chest] */
#define SIM_KEYS_FEATURE_KEY     0
#define SIM_KEYS_FEATURE_CHEST   1

/* Keys and chests per level of each distribution (docs/science.md §2 C). With two keys in training
 * and two chests at test, at most two chests open in either. */
#define SIM_KEYS_TRAIN_KEYS      2
#define SIM_KEYS_TRAIN_CHESTS    6
#define SIM_KEYS_TEST_KEYS       6
#define SIM_KEYS_TEST_CHESTS     2
#define SIM_KEYS_MAX_OPENED      2

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

/* The inference battery and grid. */
#define SIM_KEYS_PROBES          16      /* 8 train-like, then 8 test-like */
#define SIM_KEYS_PROBE_ROLLOUTS  4
#define SIM_KEYS_N_ANGLES        72      /* α = 0°, 5°, …, 355° */
#define SIM_KEYS_ANGLE_STEP      5.0
#define SIM_KEYS_N_SCALES        4       /* s ∈ {3, 10, 30, 100} */

/* What the cell entered by an action holds, as the planner sees it. */
typedef enum
{
  SIM_KEYS_TARGET_NONE,   /* floor, or a chest while no key is held: the plan goes on */
  SIM_KEYS_TARGET_KEY,    /* a key: picked up, the plan ends */
  SIM_KEYS_TARGET_CHEST,  /* a chest while holding a key: opened, the plan ends */
} SimKeysTarget;

/* Distance value meaning "no pickup of that kind within the plan's horizon". */
#define SIM_KEYS_FAR 255

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

/* The state of one episode: the current layout (keys and chests vanish once taken), the agent's
 * cell, its keys, counters, and the planner's distance cache. A plain value type without heap
 * parts: reset it for every episode, no allocation. Read the fields; change them only through
 * sim_keys_episode_*(). */
typedef struct
{
  const SimLevel *level;            /* borrowed; walls and size come from it */
  int n_cells;
  int plan_cap;                     /* 2N, N = max(width, height) */
  int cell;                         /* the agent's cell */
  int t;                            /* transitions done */
  int held;                         /* keys in hand */
  int keys_collected;
  int chests_opened;
  int keys_left;
  int chests_left;
  double base_return;               /* +1 per chest opened, −0.02 per step */
  gboolean done;                    /* every chest open, or t = horizon */
  gboolean dist_valid;              /* d_key / d_chest match the layout and held > 0 */
  gboolean dist_for_held;
  guint8 layout[SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE];  /* SimCell per cell */
  guint8 d_key[SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE];   /* BFS distance to the nearest key */
  guint8 d_chest[SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE]; /* … to the nearest openable chest */
  guint16 queue[SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE];
} SimKeysEpisode;

/* Draws one level of the keys-chests distribution dist on the 8×8 grid: walls with p = 0.05,
 * start, keys and chests on distinct free cells, all reachable from the start; train 2 keys and
 * 6 chests, test 6 keys and 2 chests. This is the scenario generator of sim-scenario.c, so the
 * same rng state gives the same level everywhere in the engine. Returns a new level (transfer
 * full). */
SimLevel    *sim_keys_generate_level   (gsl_rng             *rng,
                                        SimDistribution      dist);

/* Starts an episode on level (a keys-chests level; lava and other symbols count as floor). */
void         sim_keys_episode_reset    (SimKeysEpisode      *ep,
                                        const SimLevel      *level);
/* Applies one action under the real rules and returns its base reward (−0.02, plus 1 when a
 * chest is opened). Does nothing and returns 0 once the episode is done. */
double       sim_keys_episode_apply    (SimKeysEpisode      *ep,
                                        SimAction            action);
/* Keys picked up and chests opened along a path of n_cells cells of level (cells[0] is the
 * start, where nothing is taken), under the rule of sim_keys_episode_apply(): entering a key
 * picks it up, entering a chest with a key in hand opens it, and either is gone afterwards.
 * Cells outside the level are passed over. keys and chests may be NULL. */
void         sim_keys_count_pickups    (const SimLevel      *level,
                                        const int           *cells,
                                        int                  n_cells,
                                        int                 *keys,
                                        int                 *chests);
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

/* The result of the likelihood-grid inference. */
typedef struct
{
  double angle;          /* best α in degrees, [0, 360); θ ∝ (cos α, sin α) = [key, chest] */
  double scale;          /* best s (β·‖θ‖) */
  double theta[SIM_KEYS_N_FEATURES];  /* unit vector (cos α, sin α) */
  double log_likelihood; /* at the best (α, s) */
  double angle_sd;       /* circular standard deviation of α under the grid posterior, degrees */
  double angle_spread;   /* largest distance from the best α of any α whose profile
                          * log-likelihood (best over s) is within 2 units of the best, degrees.
                          * Both are 0 when the data pin α down to one grid point (±2.5°). */
  int n_decisions;
  /* Log-likelihood of every grid point: ll[i * SIM_KEYS_N_SCALES + j], α_i = 5°·i, s_j. */
  double ll[SIM_KEYS_N_ANGLES * SIM_KEYS_N_SCALES];
} SimKeysInference;

/* The grid scales s_j (3, 10, 30, 100). */
double       sim_keys_grid_scale       (int                  j);

/* Likelihood-grid inference over θ = s·(cos α, sin α). Each recorded decision contributes
 * log softmax(s·Q_u)(a) with Q_u its planner Q under the unit direction u = (cos α, sin α)
 * (sim_keys_decision_q()). Hard-max VI is positively homogeneous, Q_{cθ} = c·Q_θ, so
 * Boltzmann(β) over Q_θ is softmax(β‖θ‖·Q_u): s stands for β‖θ‖. The posterior is the
 * normalised likelihood over the grid (flat prior). Returns FALSE when n_decisions is 0. */
gboolean     sim_keys_infer_decisions  (const SimKeysDecision *decisions,
                                        int                    n_decisions,
                                        SimKeysInference      *out);

/* The angle of θ = [key, chest] in degrees, [0, 360). */
double       sim_keys_theta_angle      (const double        *theta);
/* Circular distance between two angles in degrees, [0, 180]. */
double       sim_keys_angle_distance   (double               a,
                                        double               b);

/* Metrics after one CEM generation (θ is the distribution mean after the update). Means over
 * the run's fixed evaluation sets: SIM_KEYS_EVAL_LEVELS levels × SIM_KEYS_EVAL_ROLLOUTS. */
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
void         sim_keys_run_free         (SimKeysRun          *run);
/* One CEM generation, then the metrics. FALSE, doing nothing, once every generation is done. */
gboolean     sim_keys_run_step         (SimKeysRun          *run);
int          sim_keys_run_get_n_generations (SimKeysRun     *run);
int          sim_keys_run_get_generation (SimKeysRun        *run);
gboolean     sim_keys_run_get_control  (SimKeysRun          *run);
/* θ = the CEM mean, [key, chest], in the unit ball (borrowed). */
const double *sim_keys_run_get_theta   (SimKeysRun          *run);
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
/* Infers the current agent's objective from its decisions on the probe battery,
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
