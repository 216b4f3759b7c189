/* sim-mlp.h: the network agent of docs/science.md §9: a small multilayer perceptron policy
 * over an egocentric view of the level, trained by REINFORCE with Adam and an entropy bonus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

#include "sim-config.h"
#include "sim-keys.h"
#include "sim-level.h"
#include "sim-policy.h"

G_BEGIN_DECLS

/* Hidden tanh units of the one hidden layer. */
#define SIM_MLP_HIDDEN    64
/* Input channels of each window cell: a cell kind one-hot (floor and off-grid are all zero).
 * The coin and green-exit scenarios use SIM_MLP_CHANNELS (SimMlpChannel), keys and chests
 * SIM_MLP_KEYS_CHANNELS (SimMlpKeysChannel). */
#define SIM_MLP_CHANNELS  5
#define SIM_MLP_KEYS_CHANNELS 3
/* Keys and chests: the keys in hand enter as held / SIM_MLP_KEYS_HELD_SCALE, so 0 to 1 on
 * training levels (two keys). */
#define SIM_MLP_KEYS_HELD_SCALE 2.0
/* Training levels per update, one episode each. */
#define SIM_MLP_BATCH     32
/* Length of a full training run, in updates (spread over the run's iterations). */
#define SIM_MLP_UPDATES   800

typedef enum
{
  SIM_MLP_WALL,
  SIM_MLP_LAVA,
  SIM_MLP_COIN,
  SIM_MLP_EXIT,
  SIM_MLP_GREEN,
} SimMlpChannel;

typedef enum
{
  SIM_MLP_KEYS_WALL,
  SIM_MLP_KEYS_KEY,
  SIM_MLP_KEYS_CHEST,
} SimMlpKeysChannel;

/* The target's visibility in an observation: always, never, or within a Manhattan radius
 * (any value ≥ 1) of the agent. */
#define SIM_MLP_TARGET_SEEN    (-1)
#define SIM_MLP_TARGET_HIDDEN  0

/* Owned by one thread at a time; not reference counted. */
typedef struct _SimMlp SimMlp;

/* A fresh network for a config of any scenario: weights drawn from a generator seeded with
 * config->seed (the same seed gives the same weights bit for bit), which then draws the
 * training levels and actions. NULL for an invalid config. */
SimMlp       *sim_mlp_new               (const SimConfig *config);
void          sim_mlp_free              (SimMlp          *mlp);

/* The window is (2W + 1)² cells centred on the agent, W = grid − 1, so the whole of a level
 * of the run's grid is in view from every cell; inputs are the scenario's channels per window
 * cell, then the agent's x and y scaled to [−1, 1], and for keys and chests the keys in hand
 * (held / SIM_MLP_KEYS_HELD_SCALE). */
int           sim_mlp_n_inputs          (const SimMlp    *mlp);
/* All weights, flat: W1 (n_inputs rows of SIM_MLP_HIDDEN), b1, W2 (SIM_N_ACTIONS rows of
 * SIM_MLP_HIDDEN), b2. Borrowed; writable, for tests. */
int           sim_mlp_n_params          (const SimMlp    *mlp);
double       *sim_mlp_params            (SimMlp          *mlp);

/* The active (value 1) window inputs of the agent on cell s of level, in increasing order;
 * returns how many. pos gets the two position inputs. target_radius is SIM_MLP_TARGET_SEEN,
 * SIM_MLP_TARGET_HIDDEN or a radius; a target not seen is encoded as floor. */
int           sim_mlp_observe           (const SimMlp    *mlp,
                                         const SimLevel  *level,
                                         int              s,
                                         int              target_radius,
                                         int             *active,
                                         double          *pos);

/* Keys and chests: the active window inputs of the episode's current state (its layout, with
 * what was taken gone, and its cell), in increasing order; returns how many. dense gets the
 * three dense inputs (x, y, keys held). The chests are the target that target_radius hides;
 * walls and keys are always seen. */
int           sim_mlp_observe_keys      (const SimMlp    *mlp,
                                         const SimKeysEpisode *ep,
                                         int              target_radius,
                                         int             *active,
                                         double          *dense);
/* Keys and chests: π(· | observation of the episode's current state). */
void          sim_mlp_keys_action_probs (SimMlp          *mlp,
                                         const SimKeysEpisode *ep,
                                         int              target_radius,
                                         double          *probs);
/* Keys and chests: an action sampled from π (one uniform draw from rng). */
SimAction     sim_mlp_keys_act          (SimMlp          *mlp,
                                         const SimKeysEpisode *ep,
                                         int              target_radius,
                                         gsl_rng         *rng);

/* π(· | observation on cell s), SIM_N_ACTIONS probabilities (coin and green exit). */
void          sim_mlp_action_probs      (SimMlp          *mlp,
                                         const SimLevel  *level,
                                         int              s,
                                         int              target_radius,
                                         double          *probs);

/* sim_policy_evaluate() of sim_mlp_policy(), bitwise the same, computing the network's
 * action probabilities only in the cells the episode can reach. */
void          sim_mlp_evaluate          (SimMlp          *mlp,
                                         const SimLevel  *level,
                                         int              target_radius,
                                         SimOutcome      *out);
/* The stationary policy on every cell of level, as a time-indexed policy with the same row at
 * every step. */
SimPolicy    *sim_mlp_policy            (SimMlp          *mlp,
                                         const SimLevel  *level,
                                         int              target_radius);

/* Runs up to n_updates more updates (each SIM_MLP_BATCH fresh training levels, one sampled
 * episode each), never past SIM_MLP_UPDATES. Returns the number of updates done so far. */
int           sim_mlp_train             (SimMlp          *mlp,
                                         int              n_updates);
int           sim_mlp_updates_done      (SimMlp          *mlp);
/* The mean base return of the last update's episodes (NaN before the first). */
double        sim_mlp_last_return       (SimMlp          *mlp);
/* The entropy bonus of update number k: 0.1 falling linearly to 0.01 over the first 70 %. */
double        sim_mlp_entropy_coef      (int              k);

/* A batch of sampled episodes with their advantages, for checking the gradient. */
typedef struct _SimMlpBatch SimMlpBatch;

/* Samples SIM_MLP_BATCH episodes of the current policy on fresh training levels drawn from
 * rng (the run's perception and diversity; for keys and chests the episodes follow the rules
 * of sim_keys_episode_apply() and earn its base reward), and computes their advantages: return-to-go minus
 * the per-step mean over the episodes still running, divided by their standard deviation. */
SimMlpBatch  *sim_mlp_sample_batch      (SimMlp          *mlp,
                                         gsl_rng         *rng);
void          sim_mlp_batch_free        (SimMlpBatch     *batch);
double        sim_mlp_batch_mean_return (const SimMlpBatch *batch);

/* The surrogate J = (1/B) Σ_episodes Σ_t [A_t log π(a_t|o_t) + c·H(π(·|o_t))] at the current
 * weights, whose gradient is the policy gradient with the entropy bonus; grad (may be NULL)
 * gets ∇J, sim_mlp_n_params() values. */
double        sim_mlp_surrogate         (SimMlp          *mlp,
                                         const SimMlpBatch *batch,
                                         double           entropy_coef,
                                         double          *grad);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimMlp, sim_mlp_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimMlpBatch, sim_mlp_batch_free)

G_END_DECLS
