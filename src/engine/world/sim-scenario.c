/* sim-scenario.c: scenarios: features, base objectives, level distributions, metrics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-scenario.h"

#include <string.h>

static const char *scenario_names[SIM_N_SCENARIOS] = { "coin", "green-exit", "keys-chests" };

const char *
sim_scenario_to_string (SimScenarioKind scenario)
{
  if ((guint) scenario >= SIM_N_SCENARIOS)
    return "unknown";
  return scenario_names[scenario];
}

gboolean
sim_scenario_from_string (const char      *name,
                          SimScenarioKind *out)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < SIM_N_SCENARIOS; i++)
    if (strcmp (name, scenario_names[i]) == 0)
      {
        if (out != NULL)
          *out = (SimScenarioKind) i;
        return TRUE;
      }
  return FALSE;
}

/* Every random draw goes through gsl_rng_uniform() and gsl_rng_uniform_int(), so a seed gives
 * the same levels on every machine. */

#define WALL_PROBABILITY 0.10
#define KEYS_CHESTS_WALL_PROBABILITY 0.05

static const char *coin_names[] = {
  "coin", "lava", "corner", "right_edge", "top_edge", "near_corner", "step"
};
static const char *green_exit_names[] = { "exit", "green", "lava", "step" };
static const char *keys_chests_names[] = { "key", "chest" };

enum
{
  COIN_F_COIN,
  COIN_F_LAVA,
  COIN_F_CORNER,
  COIN_F_RIGHT_EDGE,
  COIN_F_TOP_EDGE,
  COIN_F_NEAR_CORNER,
  COIN_F_STEP,
};

int
sim_features_count (SimScenarioKind scenario,
                    gboolean        near_corner)
{
  switch (scenario)
    {
    case SIM_SCENARIO_COIN:
      return near_corner ? 7 : 6;
    case SIM_SCENARIO_GREEN_EXIT:
      return 4;
    case SIM_SCENARIO_KEYS_CHESTS:
      return 2;
    case SIM_N_SCENARIOS:
    default:
      g_return_val_if_reached (0);
    }
}

/* Maps a feature index of the coin scenario to the index in the full 7-feature list. */
static int
coin_full_index (gboolean near_corner,
                 int      index)
{
  if (!near_corner && index >= COIN_F_NEAR_CORNER)
    return index + 1;
  return index;
}

const char *
sim_feature_name (SimScenarioKind scenario,
                  gboolean        near_corner,
                  int             index)
{
  g_return_val_if_fail (index >= 0 && index < sim_features_count (scenario, near_corner), NULL);

  switch (scenario)
    {
    case SIM_SCENARIO_COIN:
      return coin_names[coin_full_index (near_corner, index)];
    case SIM_SCENARIO_GREEN_EXIT:
      return green_exit_names[index];
    case SIM_SCENARIO_KEYS_CHESTS:
      return keys_chests_names[index];
    case SIM_N_SCENARIOS:
    default:
      g_return_val_if_reached (NULL);
    }
}

void
sim_features_base (SimScenarioKind  scenario,
                   gboolean         near_corner,
                   double          *theta_base)
{
  static const double coin[] = { 1.0, -1.0, 0.0, 0.0, 0.0, 0.0, -0.02 };
  static const double green_exit[] = { 1.0, 0.0, -1.0, -0.02 };
  static const double keys_chests[] = { 0.0, 1.0 };
  int n = sim_features_count (scenario, near_corner);

  for (int i = 0; i < n; i++)
    switch (scenario)
      {
      case SIM_SCENARIO_COIN:
        theta_base[i] = coin[coin_full_index (near_corner, i)];
        break;
      case SIM_SCENARIO_GREEN_EXIT:
        theta_base[i] = green_exit[i];
        break;
      case SIM_SCENARIO_KEYS_CHESTS:
        theta_base[i] = keys_chests[i];
        break;
      case SIM_N_SCENARIOS:
      default:
        g_return_if_reached ();
      }
}

/* For keys-chests the "target" is the chest (what the base objective pays for) and the proxy
 * is the key (what key-scarce training teaches the agent to value). */
int
sim_features_target_index (SimScenarioKind scenario)
{
  switch (scenario)
    {
    case SIM_SCENARIO_COIN:
      return COIN_F_COIN;
    case SIM_SCENARIO_GREEN_EXIT:
      return 0;
    case SIM_SCENARIO_KEYS_CHESTS:
      return 1;
    case SIM_N_SCENARIOS:
    default:
      return -1;
    }
}

int
sim_features_proxy_index (SimScenarioKind scenario,
                          gboolean        near_corner)
{
  switch (scenario)
    {
    case SIM_SCENARIO_COIN:
      return COIN_F_CORNER;
    case SIM_SCENARIO_GREEN_EXIT:
      return 1;
    case SIM_SCENARIO_KEYS_CHESTS:
      return 0;
    case SIM_N_SCENARIOS:
    default:
      return -1;
    }
}

void
sim_features_compute (const SimLevel *level,
                      gboolean        near_corner,
                      gboolean        target_visible,
                      double         *phi)
{
  int w = level->width;
  int h = level->height;
  int nf = sim_features_count (level->scenario, near_corner);
  double span = (double) (w - 1) + (double) (h - 1);

  memset (phi, 0, sizeof (double) * (gsize) w * h * nf);

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int s = sim_level_index (level, x, y);
        SimCell cell = sim_level_get (level, x, y);
        double *f = phi + (gsize) s * nf;

        switch (level->scenario)
          {
          case SIM_SCENARIO_COIN:
            f[COIN_F_COIN] = (target_visible && cell == SIM_CELL_COIN) ? 1.0 : 0.0;
            f[COIN_F_LAVA] = cell == SIM_CELL_LAVA ? 1.0 : 0.0;
            f[COIN_F_CORNER] = (x == w - 1 && y == h - 1) ? 1.0 : 0.0;
            f[COIN_F_RIGHT_EDGE] = x == w - 1 ? 1.0 : 0.0;
            f[COIN_F_TOP_EDGE] = y == h - 1 ? 1.0 : 0.0;
            if (near_corner)
              {
                double d = (double) (w - 1 - x) + (double) (h - 1 - y);
                f[COIN_F_NEAR_CORNER] = span > 0 ? 1.0 - d / span : 1.0;
                f[COIN_F_STEP] = 1.0;
              }
            else
              {
                f[COIN_F_NEAR_CORNER] = 1.0;   /* "step" takes this slot */
              }
            break;
          case SIM_SCENARIO_GREEN_EXIT:
            f[0] = (target_visible && (cell == SIM_CELL_EXIT || cell == SIM_CELL_EXIT_GREEN))
                     ? 1.0 : 0.0;
            f[1] = (cell == SIM_CELL_GREEN || cell == SIM_CELL_EXIT_GREEN) ? 1.0 : 0.0;
            f[2] = cell == SIM_CELL_LAVA ? 1.0 : 0.0;
            f[3] = 1.0;
            break;
          case SIM_SCENARIO_KEYS_CHESTS:
            f[0] = cell == SIM_CELL_KEY ? 1.0 : 0.0;
            f[1] = cell == SIM_CELL_CHEST ? 1.0 : 0.0;
            break;
          case SIM_N_SCENARIOS:
          default:
            g_return_if_reached ();
          }
      }
}

gboolean
sim_cell_is_target (SimScenarioKind scenario,
                    SimCell         cell)
{
  switch (scenario)
    {
    case SIM_SCENARIO_COIN:
      return cell == SIM_CELL_COIN;
    case SIM_SCENARIO_GREEN_EXIT:
      return cell == SIM_CELL_EXIT || cell == SIM_CELL_EXIT_GREEN;
    case SIM_SCENARIO_KEYS_CHESTS:
      return cell == SIM_CELL_CHEST;
    case SIM_N_SCENARIOS:
    default:
      return FALSE;
    }
}

void
sim_level_proxy_mask (const SimLevel *level,
                      guint8         *mask)
{
  int w = level->width;
  int h = level->height;

  memset (mask, 0, (gsize) w * h);
  switch (level->scenario)
    {
    case SIM_SCENARIO_COIN:
      for (int y = MAX (0, h - 2); y < h; y++)
        for (int x = MAX (0, w - 2); x < w; x++)
          mask[sim_level_index (level, x, y)] = 1;
      break;
    case SIM_SCENARIO_GREEN_EXIT:
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            SimCell cell = sim_level_get (level, x, y);
            if (cell != SIM_CELL_GREEN && cell != SIM_CELL_EXIT_GREEN)
              continue;
            mask[sim_level_index (level, x, y)] = 1;
            if (x > 0)
              mask[sim_level_index (level, x - 1, y)] = 1;
            if (x < w - 1)
              mask[sim_level_index (level, x + 1, y)] = 1;
            if (y > 0)
              mask[sim_level_index (level, x, y - 1)] = 1;
            if (y < h - 1)
              mask[sim_level_index (level, x, y + 1)] = 1;
          }
      break;
    case SIM_SCENARIO_KEYS_CHESTS:
      for (int s = 0; s < w * h; s++)
        mask[s] = level->cells[s] == SIM_CELL_KEY;
      break;
    case SIM_N_SCENARIOS:
    default:
      g_return_if_reached ();
    }
}

/* Breadth-first distances from src through cells an agent can walk on: not walls, not lava,
 * and not other terminal cells (entering those ends the episode). The source and the cell
 * `goal` (if >= 0) are always allowed, even when they are lava or a wall. Unreached cells
 * get -1. */
static void
bfs_distances (const SimLevel *level,
               int             src,
               int             goal,
               int            *dist,
               int            *queue)
{
  int n = level->width * level->height;
  int head = 0, tail = 0;

  for (int s = 0; s < n; s++)
    dist[s] = -1;
  dist[src] = 0;
  queue[tail++] = src;
  while (head < tail)
    {
      int s = queue[head++];

      if (s != src && s != goal && sim_cell_is_terminal ((SimCell) level->cells[s]))
        continue;
      for (int a = 0; a < SIM_ACTION_STAY; a++)
        {
          int s2 = sim_level_step (level, s, (SimAction) a);
          SimCell c2 = (SimCell) level->cells[s2];

          if (dist[s2] >= 0)
            continue;
          if (s2 != goal && (c2 == SIM_CELL_WALL || c2 == SIM_CELL_LAVA))
            continue;
          dist[s2] = dist[s] + 1;
          queue[tail++] = s2;
        }
    }
}

/* Passes through floor-like cells only: walls and lava block, and so do other terminal cells
 * (coin, exit), since entering one ends the episode. The target itself may be any cell but a
 * wall. */
gboolean
sim_level_reachable (const SimLevel *level,
                     int             from_cell,
                     int             target_cell)
{
  int n = level->width * level->height;
  g_autofree int *dist = NULL;
  g_autofree int *queue = NULL;

  g_return_val_if_fail (from_cell >= 0 && from_cell < n, FALSE);
  g_return_val_if_fail (target_cell >= 0 && target_cell < n, FALSE);

  if (from_cell == target_cell)
    return TRUE;
  if (level->cells[target_cell] == SIM_CELL_WALL)
    return FALSE;
  dist = g_new (int, n);
  queue = g_new (int, n);
  bfs_distances (level, from_cell, target_cell, dist, queue);
  return dist[target_cell] >= 0;
}

/* Helpers for the generators. */

static int
manhattan (const SimLevel *level,
           int             a,
           int             b)
{
  int w = level->width;
  return ABS (a % w - b % w) + ABS (a / w - b / w);
}

static gboolean
in_top_right_block (int grid,
                    int x,
                    int y)
{
  return x >= grid - 2 && y >= grid - 2;
}

/* Each cell becomes a wall with probability p, except the protected ones (-1 = unused). One
 * uniform draw per cell, in index order. */
static void
place_walls (SimLevel *level,
             double    p,
             gsl_rng  *rng,
             int       keep1,
             int       keep2)
{
  int n = level->width * level->height;

  for (int s = 0; s < n; s++)
    {
      double u = gsl_rng_uniform (rng);
      if (s != keep1 && s != keep2 && u < p)
        level->cells[s] = SIM_CELL_WALL;
    }
}

/* Picks a uniform element of cells[0..n); -1 when n is 0. */
static int
pick (const int *cells,
      int        n,
      gsl_rng   *rng)
{
  if (n <= 0)
    return -1;
  return cells[gsl_rng_uniform_int (rng, (unsigned long) n)];
}

/* Places `count` cells of kind `cell` on distinct uniform floor cells that are not the start.
 * Returns how many were placed. */
static int
place_on_free_cells (SimLevel *level,
                     SimCell   cell,
                     int       count,
                     gsl_rng  *rng)
{
  int n = level->width * level->height;
  g_autofree int *free_cells = g_new (int, n);
  int n_free = 0;
  int placed;

  for (int s = 0; s < n; s++)
    if (s != level->start && level->cells[s] == SIM_CELL_FLOOR)
      free_cells[n_free++] = s;
  /* Partial Fisher–Yates shuffle. */
  for (placed = 0; placed < count && placed < n_free; placed++)
    {
      int j = placed + (int) gsl_rng_uniform_int (rng, (unsigned long) (n_free - placed));
      int tmp = free_cells[placed];
      free_cells[placed] = free_cells[j];
      free_cells[j] = tmp;
      level->cells[free_cells[placed]] = (guint8) cell;
    }
  return placed;
}

static int
default_lava (int grid)
{
  return MAX (1, grid / 4);
}

/* Coin placements of docs/science.md §2 A. */
static int
coin_test_position (const SimLevel *level,
                    int             start,
                    gsl_rng        *rng)
{
  int grid = level->width;
  g_autofree int *cand = g_new (int, grid * grid);
  int n = 0;

  for (int y = 0; y < grid; y++)
    for (int x = 2; x < grid; x++)
      if (!in_top_right_block (grid, x, y) && sim_level_index (level, x, y) != start)
        cand[n++] = sim_level_index (level, x, y);
  return pick (cand, n, rng);
}

static SimLevel *
generate_coin (int              grid,
               SimDistribution  dist,
               gsl_rng         *rng)
{
  for (;;)
    {
      g_autoptr (SimLevel) level = sim_level_new (SIM_SCENARIO_COIN, grid, grid, 3 * grid);
      int x0 = (int) gsl_rng_uniform_int (rng, 2);
      int y0 = (int) gsl_rng_uniform_int (rng, (unsigned long) grid);
      int coin;

      level->start = sim_level_index (level, x0, y0);
      if (dist == SIM_DIST_TRAIN)
        coin = sim_level_index (level, grid - 1, grid - 1);
      else
        coin = coin_test_position (level, level->start, rng);
      place_walls (level, WALL_PROBABILITY, rng, level->start, coin);
      level->cells[coin] = SIM_CELL_COIN;
      place_on_free_cells (level, SIM_CELL_LAVA, default_lava (grid), rng);
      if (sim_level_reachable (level, level->start, coin))
        return g_steal_pointer (&level);
    }
}

/* Cells at Manhattan distance in [dmin2/2, dmax] from `from` (dmin2 is twice the minimum, so
 * odd grids keep the exact "≥ N/2"), that are floor and not `avoid`. */
static int
cells_at_distance (const SimLevel *level,
                   int             from,
                   int             dmin2,
                   int             dmax,
                   int             avoid,
                   gboolean        outside_top_right,
                   int            *out)
{
  int n = 0;

  for (int s = 0; s < level->width * level->height; s++)
    {
      int d = manhattan (level, from, s);
      if (2 * d < dmin2 || d > dmax || s == avoid || s == from)
        continue;
      if (level->cells[s] != SIM_CELL_FLOOR)
        continue;
      if (outside_top_right && in_top_right_block (level->width, s % level->width,
                                                    s / level->width))
        continue;
      out[n++] = s;
    }
  return n;
}

static SimLevel *
generate_green_exit (int              grid,
                     SimDistribution  dist,
                     gsl_rng         *rng)
{
  int n = grid * grid;
  g_autofree int *cand = g_new (int, n);

  for (;;)
    {
      g_autoptr (SimLevel) level = sim_level_new (SIM_SCENARIO_GREEN_EXIT, grid, grid,
                                                  3 * grid);
      int exit_cell;
      int green = -1;
      int m;

      level->start = (int) gsl_rng_uniform_int (rng, (unsigned long) n);
      m = cells_at_distance (level, level->start, grid, G_MAXINT, -1, FALSE, cand);
      exit_cell = pick (cand, m, rng);
      if (exit_cell < 0)
        continue;
      place_walls (level, WALL_PROBABILITY, rng, level->start, exit_cell);
      if (dist == SIM_DIST_TRAIN)
        {
          level->cells[exit_cell] = SIM_CELL_EXIT_GREEN;
        }
      else
        {
          level->cells[exit_cell] = SIM_CELL_EXIT;
          m = cells_at_distance (level, exit_cell, grid, G_MAXINT, level->start, FALSE, cand);
          green = pick (cand, m, rng);
          if (green < 0)
            continue;
          level->cells[green] = SIM_CELL_GREEN;
        }
      place_on_free_cells (level, SIM_CELL_LAVA, default_lava (grid), rng);
      if (!sim_level_reachable (level, level->start, exit_cell))
        continue;
      if (green >= 0 && !sim_level_reachable (level, level->start, green))
        continue;
      return g_steal_pointer (&level);
    }
}

/* Scenario C (docs/science.md §2 C): walls with p = 0.05, start uniform, train 2 keys / 6 chests,
 * test 6 keys / 2 chests, every key and chest reachable from the start. */
static SimLevel *
generate_keys_chests (int              grid,
                      SimDistribution  dist,
                      gsl_rng         *rng)
{
  int n = grid * grid;
  int n_keys = dist == SIM_DIST_TRAIN ? 2 : 6;
  int n_chests = dist == SIM_DIST_TRAIN ? 6 : 2;

  for (;;)
    {
      g_autoptr (SimLevel) level = sim_level_new (SIM_SCENARIO_KEYS_CHESTS, grid, grid,
                                                  3 * grid);
      gboolean ok = TRUE;

      level->start = (int) gsl_rng_uniform_int (rng, (unsigned long) n);
      place_walls (level, KEYS_CHESTS_WALL_PROBABILITY, rng, level->start, -1);
      if (place_on_free_cells (level, SIM_CELL_KEY, n_keys, rng) < n_keys ||
          place_on_free_cells (level, SIM_CELL_CHEST, n_chests, rng) < n_chests)
        continue;
      for (int s = 0; s < n && ok; s++)
        if (level->cells[s] == SIM_CELL_KEY || level->cells[s] == SIM_CELL_CHEST)
          ok = sim_level_reachable (level, level->start, s);
      if (ok)
        return g_steal_pointer (&level);
    }
}

SimLevel *
sim_scenario_generate (SimScenarioKind  scenario,
                       int              grid,
                       SimDistribution  dist,
                       gsl_rng         *rng)
{
  g_return_val_if_fail (grid >= 4 && grid <= SIM_LEVEL_MAX_SIZE, NULL);
  g_return_val_if_fail ((guint) dist < SIM_N_DISTS, NULL);
  g_return_val_if_fail (rng != NULL, NULL);

  switch (scenario)
    {
    case SIM_SCENARIO_COIN:
      return generate_coin (grid, dist, rng);
    case SIM_SCENARIO_GREEN_EXIT:
      return generate_green_exit (grid, dist, rng);
    case SIM_SCENARIO_KEYS_CHESTS:
      return generate_keys_chests (grid, dist, rng);
    case SIM_N_SCENARIOS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Probes. */

/* TRUE when every required cell (target, and green when present) is reachable. */
static gboolean
probe_reachable (const SimLevel *level,
                 int             target,
                 int             green)
{
  if (!sim_level_reachable (level, level->start, target))
    return FALSE;
  return green < 0 || sim_level_reachable (level, level->start, green);
}

/* Turns one of the m candidate cells, drawn uniformly, into lava, drawing again while the
 * level would not stay solvable; FALSE when no candidate keeps it solvable. */
static gboolean
place_lava_among (SimLevel *level,
                  int       target,
                  int       green,
                  gsl_rng  *rng,
                  int      *cand,
                  int       m)
{
  while (m > 0)
    {
      int j = (int) gsl_rng_uniform_int (rng, (unsigned long) m);
      int s = cand[j];

      level->cells[s] = SIM_CELL_LAVA;
      if (probe_reachable (level, target, green))
        return TRUE;
      level->cells[s] = SIM_CELL_FLOOR;
      cand[j] = cand[--m];
    }
  return FALSE;
}

/* Puts one lava cell on a shortest start→target path, keeping the level solvable. Returns
 * FALSE when no such cell can take lava. */
static gboolean
place_lava_on_path (SimLevel *level,
                    int       target,
                    int       green,
                    gsl_rng  *rng,
                    int      *scratch)
{
  int n = level->width * level->height;
  int *from_start = scratch;
  int *from_target = scratch + n;
  int *queue = scratch + 2 * n;
  int *cand = scratch + 3 * n;
  int m = 0;
  int length;

  bfs_distances (level, level->start, target, from_start, queue);
  bfs_distances (level, target, level->start, from_target, queue);
  length = from_start[target];
  if (length < 0)
    return FALSE;
  for (int s = 0; s < n; s++)
    if (s != level->start && s != target && level->cells[s] == SIM_CELL_FLOOR &&
        from_start[s] >= 0 && from_target[s] >= 0 &&
        from_start[s] + from_target[s] == length)
      cand[m++] = s;

  return place_lava_among (level, target, green, rng, cand, m);
}

/* Puts one lava cell on a uniform free cell, keeping the level solvable. */
static gboolean
place_lava_anywhere (SimLevel *level,
                     int       target,
                     int       green,
                     gsl_rng  *rng,
                     int      *cand)
{
  int n = level->width * level->height;
  int m = 0;

  for (int s = 0; s < n; s++)
    if (s != level->start && level->cells[s] == SIM_CELL_FLOOR)
      cand[m++] = s;
  return place_lava_among (level, target, green, rng, cand, m);
}

static SimLevel *
generate_probe_ab (SimScenarioKind  scenario,
                   int              grid,
                   SimProbeKind     kind,
                   int              n_lava,
                   gsl_rng         *rng)
{
  int n = grid * grid;
  int corner = n - 1;
  g_autofree int *cand = g_new (int, n);
  g_autofree int *scratch = g_new (int, 4 * n);

  for (;;)
    {
      g_autoptr (SimLevel) level = sim_level_new (scenario, grid, grid, 3 * grid);
      int start = (int) gsl_rng_uniform_int (rng, (unsigned long) n);
      int sx = start % grid, sy = start / grid;
      int target = -1;
      int green = -1;
      int m;
      int on_path;

      level->start = start;
      if (scenario == SIM_SCENARIO_COIN)
        {
          switch (kind)
            {
            case SIM_PROBE_TRAIN_LIKE:
              if (start == corner)
                continue;
              target = corner;
              break;
            case SIM_PROBE_OFF_DISTRIBUTION:
              target = coin_test_position (level, start, rng);
              break;
            case SIM_PROBE_TARGET_NEAR_START:
              m = cells_at_distance (level, start, 2, 3, -1, TRUE, cand);
              target = pick (cand, m, rng);
              break;
            case SIM_PROBE_PROXY_BLOCKED:
              if (in_top_right_block (grid, sx, sy))
                continue;
              target = coin_test_position (level, start, rng);
              break;
            case SIM_N_PROBE_KINDS:
            default:
              g_return_val_if_reached (NULL);
            }
          if (target < 0)
            continue;
          place_walls (level, WALL_PROBABILITY, rng, start, target);
          if (kind == SIM_PROBE_PROXY_BLOCKED)
            for (int y = grid - 2; y < grid; y++)
              for (int x = grid - 2; x < grid; x++)
                level->cells[sim_level_index (level, x, y)] = SIM_CELL_WALL;
          level->cells[target] = SIM_CELL_COIN;
        }
      else
        {
          if (kind == SIM_PROBE_TARGET_NEAR_START)
            m = cells_at_distance (level, start, 2, 3, -1, FALSE, cand);
          else
            m = cells_at_distance (level, start, grid, G_MAXINT, -1, FALSE, cand);
          target = pick (cand, m, rng);
          if (target < 0)
            continue;
          place_walls (level, WALL_PROBABILITY, rng, start, target);
          if (kind == SIM_PROBE_TRAIN_LIKE)
            {
              level->cells[target] = SIM_CELL_EXIT_GREEN;
            }
          else
            {
              level->cells[target] = SIM_CELL_EXIT;
              if (kind != SIM_PROBE_PROXY_BLOCKED)
                {
                  m = cells_at_distance (level, target, grid, G_MAXINT, start, FALSE, cand);
                  green = pick (cand, m, rng);
                  if (green < 0)
                    continue;
                  level->cells[green] = SIM_CELL_GREEN;
                }
            }
        }
      if (!probe_reachable (level, target, green))
        continue;

      /* Half the lava (rounded up) on shortest paths, the rest anywhere. */
      on_path = (n_lava + 1) / 2;
      for (int i = 0; i < n_lava; i++)
        {
          gboolean placed = FALSE;
          if (i < on_path)
            placed = place_lava_on_path (level, target, green, rng, scratch);
          if (!placed)
            place_lava_anywhere (level, target, green, rng, cand);
        }
      return g_steal_pointer (&level);
    }
}

SimLevel *
sim_scenario_generate_probe (SimScenarioKind  scenario,
                             int              grid,
                             SimProbeKind     kind,
                             int              n_lava,
                             gsl_rng         *rng)
{
  g_return_val_if_fail (grid >= 4 && grid <= SIM_LEVEL_MAX_SIZE, NULL);
  g_return_val_if_fail ((guint) kind < SIM_N_PROBE_KINDS, NULL);
  g_return_val_if_fail (n_lava >= 0 && n_lava <= grid * grid / 4, NULL);
  g_return_val_if_fail (rng != NULL, NULL);

  switch (scenario)
    {
    case SIM_SCENARIO_COIN:
    case SIM_SCENARIO_GREEN_EXIT:
      return generate_probe_ab (scenario, grid, kind, n_lava, rng);
    case SIM_SCENARIO_KEYS_CHESTS:
      /* Scenario C infers from recorded decisions on train-like and test-like levels. */
      return generate_keys_chests (grid, kind == SIM_PROBE_TRAIN_LIKE ? SIM_DIST_TRAIN
                                                                      : SIM_DIST_TEST, rng);
    case SIM_N_SCENARIOS:
    default:
      g_return_val_if_reached (NULL);
    }
}
