/* sim-qlearner.h: the linear Q-learner of docs/science.md §2 "Agent (ii)" (coin scenario)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sim-config.h"
#include "sim-level.h"
#include "sim-policy.h"

G_BEGIN_DECLS

/* ψ(s, a) = [toward_coin, toward_corner, blocked, into_lava, stay, bias]. */
#define SIM_QLEARNER_N_FEATURES 6
/* Length of a full training run, in episodes. */
#define SIM_QLEARNER_EPISODES   2000

typedef enum
{
  SIM_QLEARNER_TOWARD_COIN,
  SIM_QLEARNER_TOWARD_CORNER,
  SIM_QLEARNER_BLOCKED,
  SIM_QLEARNER_INTO_LAVA,
  SIM_QLEARNER_STAY,
  SIM_QLEARNER_BIAS,
} SimQLearnerFeature;

/* Owned by one thread at a time; not reference counted. */
typedef struct _SimQLearner SimQLearner;

/* A fresh learner (w0 = 0.01·N(0, I)) for a coin-scenario config; every random draw comes from
 * a generator seeded with config->seed. The config must be valid. */
SimQLearner  *sim_qlearner_new            (const SimConfig *config);
void          sim_qlearner_free           (SimQLearner     *q);

/* Runs up to n_episodes more training episodes, continuing where the last call stopped and
 * never past SIM_QLEARNER_EPISODES. Returns the number of episodes done so far. */
int           sim_qlearner_train          (SimQLearner     *q,
                                           int              n_episodes);
int           sim_qlearner_episodes_done  (SimQLearner     *q);

/* The SIM_QLEARNER_N_FEATURES weights w (borrowed; changes as training goes on). */
const double *sim_qlearner_weights        (SimQLearner     *q);

/* The evaluation policy softmax(Q/0.05) on level with the coin perceived, the same at every
 * time step (transfer full). */
SimPolicy    *sim_qlearner_policy         (SimQLearner     *q,
                                           const SimLevel  *level);

/* ψ(s, a) for every state and action of level: psi[(s * SIM_N_ACTIONS + a) *
 * SIM_QLEARNER_N_FEATURES + k]. Closeness is 0.9^d with d the breadth-first path distance
 * around walls (lava does not block it); 0 where no path exists, and toward_coin is 0
 * everywhere when coin_visible is FALSE. */
void          sim_qlearner_features       (const SimLevel  *level,
                                           gboolean         coin_visible,
                                           double          *psi);

const char   *sim_qlearner_feature_name   (int              index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimQLearner, sim_qlearner_free)

G_END_DECLS
