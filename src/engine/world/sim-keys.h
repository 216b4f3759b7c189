/* sim-keys.h: scenario C, keys and chests (docs/science.md §2 C): the constants of the
 * scenario, its levels and its rules (the episode state)
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

/* What the cell entered by an action holds, as the planner sees it. */
typedef enum
{
  SIM_KEYS_TARGET_NONE,   /* floor, or a chest while no key is held: the plan goes on */
  SIM_KEYS_TARGET_KEY,    /* a key: picked up, the plan ends */
  SIM_KEYS_TARGET_CHEST,  /* a chest while holding a key: opened, the plan ends */
} SimKeysTarget;

/* Distance value meaning "no pickup of that kind within the plan's horizon". */
#define SIM_KEYS_FAR 255

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

G_END_DECLS
