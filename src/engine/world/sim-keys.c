/* sim-keys.c: scenario C, keys and chests (docs/science.md §2 C): its levels and its rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-keys.h"

#include <string.h>

SimLevel *
sim_keys_generate_level (gsl_rng         *rng,
                         SimDistribution  dist)
{
  g_return_val_if_fail (rng != NULL, NULL);
  g_return_val_if_fail ((guint) dist < SIM_N_DISTS, NULL);

  return sim_scenario_generate (SIM_SCENARIO_KEYS_CHESTS, SIM_KEYS_GRID, dist, rng);
}

/* Rules and the episode state. */

/* The one rule of keys and chests: entering cell s of layout (a SimCell per cell) picks up the
 * key there, or opens the chest there when a key is in hand (*held keys); either leaves floor
 * behind. Returns what was taken: SIM_CELL_KEY, SIM_CELL_CHEST, or SIM_CELL_FLOOR for nothing.
 * Episodes (sim_keys_episode_apply()) and counts along given paths (sim_keys_count_pickups())
 * both go through it. */
static inline SimCell
take_at (guint8 *layout,
         int    *held,
         int     s)
{
  if (layout[s] == SIM_CELL_KEY)
    {
      layout[s] = SIM_CELL_FLOOR;
      (*held)++;
      return SIM_CELL_KEY;
    }
  if (layout[s] == SIM_CELL_CHEST && *held > 0)
    {
      layout[s] = SIM_CELL_FLOOR;
      (*held)--;
      return SIM_CELL_CHEST;
    }
  return SIM_CELL_FLOOR;
}

void
sim_keys_episode_reset (SimKeysEpisode *ep,
                        const SimLevel *level)
{
  int n;

  g_return_if_fail (ep != NULL);
  g_return_if_fail (level != NULL);
  g_return_if_fail (level->width * level->height <= SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE);
  g_return_if_fail (level->start >= 0 && level->start < level->width * level->height);

  n = level->width * level->height;
  ep->level = level;
  ep->n_cells = n;
  ep->plan_cap = 2 * MAX (level->width, level->height);
  ep->cell = level->start;
  ep->t = 0;
  ep->held = 0;
  ep->keys_collected = 0;
  ep->chests_opened = 0;
  ep->keys_left = 0;
  ep->chests_left = 0;
  ep->base_return = 0.0;
  ep->dist_valid = FALSE;
  ep->dist_for_held = FALSE;
  memcpy (ep->layout, level->cells, (gsize) n);
  for (int s = 0; s < n; s++)
    {
      if (ep->layout[s] == SIM_CELL_KEY)
        ep->keys_left++;
      else if (ep->layout[s] == SIM_CELL_CHEST)
        ep->chests_left++;
    }
  ep->done = ep->chests_left == 0 || level->horizon <= 0;
}

double
sim_keys_episode_apply (SimKeysEpisode *ep,
                        SimAction       action)
{
  double reward = -SIM_KEYS_STEP_COST;
  int next;

  g_return_val_if_fail (ep != NULL && ep->level != NULL, 0.0);
  g_return_val_if_fail ((guint) action < SIM_N_ACTIONS, 0.0);

  if (ep->done)
    return 0.0;

  next = sim_level_step (ep->level, ep->cell, action);
  ep->cell = next;
  switch (take_at (ep->layout, &ep->held, next))
    {
    case SIM_CELL_KEY:
      ep->keys_collected++;
      ep->keys_left--;
      ep->dist_valid = FALSE;
      break;
    case SIM_CELL_CHEST:
      ep->chests_opened++;
      ep->chests_left--;
      ep->dist_valid = FALSE;
      reward += 1.0;
      break;
    default:
      break;
    }
  ep->t++;
  ep->base_return += reward;
  if (ep->chests_left == 0 || ep->t >= ep->level->horizon)
    ep->done = TRUE;
  return reward;
}

void
sim_keys_count_pickups (const SimLevel *level,
                        const int      *cells,
                        int             n_cells,
                        int            *keys,
                        int            *chests)
{
  g_autofree guint8 *layout = NULL;
  int n, held = 0, n_keys = 0, n_chests = 0;

  g_return_if_fail (level != NULL);
  g_return_if_fail (cells != NULL || n_cells <= 0);

  n = level->width * level->height;
  layout = g_memdup2 (level->cells, (gsize) n);
  for (int i = 1; i < n_cells; i++)
    {
      if (cells[i] < 0 || cells[i] >= n)
        continue;
      switch (take_at (layout, &held, cells[i]))
        {
        case SIM_CELL_KEY:
          n_keys++;
          break;
        case SIM_CELL_CHEST:
          n_chests++;
          break;
        default:
          break;
        }
    }
  if (keys != NULL)
    *keys = n_keys;
  if (chests != NULL)
    *chests = n_chests;
}
