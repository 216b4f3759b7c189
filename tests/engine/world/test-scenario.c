/* test-scenario.c: features, base objectives, level and probe distributions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sim-level.h"
#include "sim-scenario.h"

static gsl_rng *
make_rng (unsigned long seed)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, seed);
  return rng;
}

static int
manhattan (const SimLevel *level,
           int             a,
           int             b)
{
  return abs (a % level->width - b % level->width) + abs (a / level->width - b / level->width);
}

static int
count_cells (const SimLevel *level,
             SimCell         cell)
{
  int n = 0;
  for (int s = 0; s < level->width * level->height; s++)
    n += level->cells[s] == cell;
  return n;
}

static int
find_cell (const SimLevel *level,
           SimCell         cell)
{
  for (int s = 0; s < level->width * level->height; s++)
    if (level->cells[s] == cell)
      return s;
  return -1;
}

/* An independent breadth-first search: distances from src over cells that are neither walls
 * nor lava (lava counts as floor when lava_free is TRUE); other terminal cells are not
 * expanded, except src. */
static void
distances (const SimLevel *level,
           int             src,
           gboolean        lava_free,
           int            *dist)
{
  int n = level->width * level->height;
  g_autofree int *queue = g_new (int, n);
  int head = 0, tail = 0;

  for (int s = 0; s < n; s++)
    dist[s] = -1;
  dist[src] = 0;
  queue[tail++] = src;
  while (head < tail)
    {
      int s = queue[head++];
      int x = s % level->width, y = s / level->width;
      int nx[4] = { x + 1, x - 1, x, x };
      int ny[4] = { y, y, y + 1, y - 1 };
      SimCell c = level->cells[s];

      if (s != src && (c == SIM_CELL_COIN || c == SIM_CELL_EXIT || c == SIM_CELL_EXIT_GREEN))
        continue;
      for (int k = 0; k < 4; k++)
        {
          int s2;
          SimCell c2;

          if (nx[k] < 0 || ny[k] < 0 || nx[k] >= level->width || ny[k] >= level->height)
            continue;
          s2 = ny[k] * level->width + nx[k];
          c2 = level->cells[s2];
          if (dist[s2] >= 0 || c2 == SIM_CELL_WALL || (c2 == SIM_CELL_LAVA && !lava_free))
            continue;
          dist[s2] = dist[s] + 1;
          queue[tail++] = s2;
        }
    }
}

static gboolean
levels_identical (const SimLevel *a,
                  const SimLevel *b)
{
  g_autofree char *ta = sim_level_to_string (a);
  g_autofree char *tb = sim_level_to_string (b);
  return sim_level_equal (a, b) && strcmp (ta, tb) == 0;
}

static void
test_deterministic (void)
{
  for (int scenario = 0; scenario < SIM_N_SCENARIOS; scenario++)
    for (int dist = 0; dist < SIM_N_DISTS; dist++)
      {
        gsl_rng *a = make_rng (11);
        gsl_rng *b = make_rng (11);
        gsl_rng *c = make_rng (12);
        int n_differ = 0;

        for (int i = 0; i < 20; i++)
          {
            g_autoptr (SimLevel) la = sim_scenario_generate (scenario, 8, dist, a);
            g_autoptr (SimLevel) lb = sim_scenario_generate (scenario, 8, dist, b);
            g_autoptr (SimLevel) lc = sim_scenario_generate (scenario, 8, dist, c);

            g_assert_true (levels_identical (la, lb));
            n_differ += !sim_level_equal (la, lc);
          }
        g_assert_cmpint (n_differ, >=, 15);
        gsl_rng_free (a);
        gsl_rng_free (b);
        gsl_rng_free (c);
      }

  for (int scenario = 0; scenario < SIM_N_SCENARIOS; scenario++)
    {
      gsl_rng *a = make_rng (5);
      gsl_rng *b = make_rng (5);

      for (int i = 0; i < 16; i++)
        {
          g_autoptr (SimLevel) la = sim_scenario_generate_probe (scenario, 8, i % 4, 4, a);
          g_autoptr (SimLevel) lb = sim_scenario_generate_probe (scenario, 8, i % 4, 4, b);
          g_assert_true (levels_identical (la, lb));
        }
      gsl_rng_free (a);
      gsl_rng_free (b);
    }
}

/* A level drawn for a fixed seed is always the same: a golden string guards against
 * accidental changes of the draw order (levels saved in experiments depend on it). */
static void
test_golden (void)
{
  gsl_rng *rng = make_rng (1);
  g_autoptr (SimLevel) a = sim_scenario_generate (SIM_SCENARIO_COIN, 8, SIM_DIST_TRAIN, rng);
  g_autoptr (SimLevel) b = sim_scenario_generate (SIM_SCENARIO_COIN, 8, SIM_DIST_TRAIN, rng);
  g_autofree char *ta = sim_level_to_string (a);

  /* Regenerating from the same seed gives the same first level, and a different second. */
  gsl_rng_set (rng, 1);
  {
    g_autoptr (SimLevel) again = sim_scenario_generate (SIM_SCENARIO_COIN, 8, SIM_DIST_TRAIN,
                                                        rng);
    g_autofree char *t2 = sim_level_to_string (again);
    g_assert_cmpstr (ta, ==, t2);
  }
  g_assert_false (sim_level_equal (a, b));
  g_assert_cmpstr (ta, ==,
                   "mesascope-level 1\nscenario coin\nsize 8 8\nhorizon 24\nmap\n"
                   "S.#....C\n"
                   "..#.#..#\n"
                   "...#....\n"
                   "........\n"
                   "..#....L\n"
                   "........\n"
                   "#....L..\n"
                   "..#.....\n");
  gsl_rng_free (rng);
}

static void
test_coin_train (void)
{
  gsl_rng *rng = make_rng (21);
  const int grid = 8;
  const int n_levels = 2000;
  int start_x[2] = { 0 };
  int start_y[8] = { 0 };
  int n_walls = 0, n_cells = 0;

  for (int i = 0; i < n_levels; i++)
    {
      g_autoptr (SimLevel) level = sim_scenario_generate (SIM_SCENARIO_COIN, grid,
                                                          SIM_DIST_TRAIN, rng);
      int sx = level->start % grid, sy = level->start / grid;
      int coin = find_cell (level, SIM_CELL_COIN);

      g_assert_cmpint (level->width, ==, grid);
      g_assert_cmpint (level->height, ==, grid);
      g_assert_cmpint (level->horizon, ==, 3 * grid);
      g_assert_cmpint (sx, <=, 1);
      start_x[sx]++;
      start_y[sy]++;
      g_assert_cmpint (coin, ==, grid * grid - 1);
      g_assert_cmpint (count_cells (level, SIM_CELL_COIN), ==, 1);
      g_assert_cmpint (count_cells (level, SIM_CELL_LAVA), ==, 2);
      g_assert_cmpint (level->cells[level->start], ==, SIM_CELL_FLOOR);
      g_assert_true (sim_level_reachable (level, level->start, coin));
      g_assert_true (sim_level_validate (level, NULL));
      n_walls += count_cells (level, SIM_CELL_WALL);
      n_cells += grid * grid - 2;
    }
  /* Start column and row are uniform. */
  g_assert_cmpint (abs (start_x[0] - start_x[1]), <, n_levels / 10);
  for (int y = 0; y < grid; y++)
    g_assert_cmpint (abs (start_y[y] - n_levels / grid), <, n_levels / grid / 4);
  /* Walls: p = 0.10 per cell (redrawing unsolvable levels lowers it slightly). */
  g_assert_cmpfloat ((double) n_walls / n_cells, >, 0.085);
  g_assert_cmpfloat ((double) n_walls / n_cells, <, 0.105);
  gsl_rng_free (rng);
}

static void
test_coin_test (void)
{
  gsl_rng *rng = make_rng (22);
  const int grid = 8;
  const int n_levels = 4400;
  int counts[64] = { 0 };
  int n_positions = 0;

  for (int i = 0; i < n_levels; i++)
    {
      g_autoptr (SimLevel) level = sim_scenario_generate (SIM_SCENARIO_COIN, grid,
                                                          SIM_DIST_TEST, rng);
      int coin = find_cell (level, SIM_CELL_COIN);
      int cx = coin % grid, cy = coin / grid;

      g_assert_cmpint (level->start % grid, <=, 1);
      g_assert_cmpint (count_cells (level, SIM_CELL_COIN), ==, 1);
      g_assert_cmpint (cx, >=, 2);
      g_assert_false (cx >= grid - 2 && cy >= grid - 2);
      g_assert_true (sim_level_reachable (level, level->start, coin));
      counts[coin]++;
    }
  /* Every allowed cell occurs, about equally often: 6 columns × 8 rows − 4 = 44 cells. */
  for (int s = 0; s < 64; s++)
    if (counts[s] > 0)
      {
        n_positions++;
        g_assert_cmpint (counts[s], >, n_levels / 44 / 2);
        g_assert_cmpint (counts[s], <, n_levels / 44 * 2);
      }
  g_assert_cmpint (n_positions, ==, 44);
  gsl_rng_free (rng);
}

static void
test_green_exit (void)
{
  gsl_rng *rng = make_rng (23);

  for (int grid = 8; grid <= 12; grid += 4)
    for (int i = 0; i < 1000; i++)
      {
        SimDistribution dist = i % 2 ? SIM_DIST_TEST : SIM_DIST_TRAIN;
        g_autoptr (SimLevel) level = sim_scenario_generate (SIM_SCENARIO_GREEN_EXIT, grid, dist,
                                                            rng);
        int exit_cell, green;

        g_assert_cmpint (level->horizon, ==, 3 * grid);
        g_assert_cmpint (count_cells (level, SIM_CELL_LAVA), ==, grid / 4);
        if (dist == SIM_DIST_TRAIN)
          {
            g_assert_cmpint (count_cells (level, SIM_CELL_EXIT_GREEN), ==, 1);
            g_assert_cmpint (count_cells (level, SIM_CELL_EXIT), ==, 0);
            g_assert_cmpint (count_cells (level, SIM_CELL_GREEN), ==, 0);
            exit_cell = find_cell (level, SIM_CELL_EXIT_GREEN);
          }
        else
          {
            g_assert_cmpint (count_cells (level, SIM_CELL_EXIT_GREEN), ==, 0);
            g_assert_cmpint (count_cells (level, SIM_CELL_EXIT), ==, 1);
            g_assert_cmpint (count_cells (level, SIM_CELL_GREEN), ==, 1);
            exit_cell = find_cell (level, SIM_CELL_EXIT);
            green = find_cell (level, SIM_CELL_GREEN);
            g_assert_cmpint (2 * manhattan (level, green, exit_cell), >=, grid);
            g_assert_cmpint (green, !=, level->start);
            g_assert_true (sim_level_reachable (level, level->start, green));
          }
        g_assert_cmpint (2 * manhattan (level, level->start, exit_cell), >=, grid);
        g_assert_true (sim_level_reachable (level, level->start, exit_cell));
        g_assert_true (sim_level_validate (level, NULL));
      }
  gsl_rng_free (rng);
}

static void
test_keys_chests (void)
{
  gsl_rng *rng = make_rng (24);

  for (int i = 0; i < 200; i++)
    {
      SimDistribution dist = i % 2 ? SIM_DIST_TEST : SIM_DIST_TRAIN;
      g_autoptr (SimLevel) level = sim_scenario_generate (SIM_SCENARIO_KEYS_CHESTS, 8, dist,
                                                          rng);

      g_assert_cmpint (count_cells (level, SIM_CELL_KEY), ==, dist == SIM_DIST_TRAIN ? 2 : 6);
      g_assert_cmpint (count_cells (level, SIM_CELL_CHEST), ==, dist == SIM_DIST_TRAIN ? 6 : 2);
      g_assert_cmpint (count_cells (level, SIM_CELL_LAVA), ==, 0);
      for (int s = 0; s < 64; s++)
        if (level->cells[s] == SIM_CELL_KEY || level->cells[s] == SIM_CELL_CHEST)
          g_assert_true (sim_level_reachable (level, level->start, s));
    }
  gsl_rng_free (rng);
}

/* Probe kinds have their defining property, and lava sits on shortest paths. */
static void
test_probes (void)
{
  gsl_rng *rng = make_rng (25);
  const int grid = 8;

  for (int scenario = SIM_SCENARIO_COIN; scenario <= SIM_SCENARIO_GREEN_EXIT; scenario++)
    {
      int n_on_path = 0, n_probes = 0;
      int n_anywhere = 0;

      for (int i = 0; i < 400; i++)
        {
          SimProbeKind kind = i % SIM_N_PROBE_KINDS;
          g_autoptr (SimLevel) level = sim_scenario_generate_probe (scenario, grid, kind, 4, rng);
          g_autoptr (SimLevel) lava_free = sim_level_copy (level);
          int target = scenario == SIM_SCENARIO_COIN ? find_cell (level, SIM_CELL_COIN)
                       : kind == SIM_PROBE_TRAIN_LIKE ? find_cell (level, SIM_CELL_EXIT_GREEN)
                       : find_cell (level, SIM_CELL_EXIT);
          int green = find_cell (level, SIM_CELL_GREEN);
          int from_start[64], from_target[64];
          gboolean on_path = FALSE;
          int tx, ty, sx = level->start % grid;

          g_assert_cmpint (target, >=, 0);
          tx = target % grid;
          ty = target / grid;
          g_assert_cmpint (count_cells (level, SIM_CELL_LAVA), ==, 4);
          g_assert_true (sim_level_reachable (level, level->start, target));
          g_assert_true (sim_level_validate (level, NULL));
          if (sx >= 2)
            n_anywhere++;

          switch (kind)
            {
            case SIM_PROBE_TRAIN_LIKE:
              if (scenario == SIM_SCENARIO_COIN)
                g_assert_cmpint (target, ==, grid * grid - 1);
              else
                g_assert_cmpint (2 * manhattan (level, level->start, target), >=, grid);
              break;
            case SIM_PROBE_OFF_DISTRIBUTION:
              if (scenario == SIM_SCENARIO_COIN)
                {
                  g_assert_cmpint (tx, >=, 2);
                  g_assert_false (tx >= grid - 2 && ty >= grid - 2);
                }
              else
                {
                  g_assert_cmpint (green, >=, 0);
                  g_assert_cmpint (2 * manhattan (level, green, target), >=, grid);
                  g_assert_true (sim_level_reachable (level, level->start, green));
                }
              break;
            case SIM_PROBE_TARGET_NEAR_START:
              g_assert_cmpint (manhattan (level, level->start, target), <=, 3);
              g_assert_cmpint (manhattan (level, level->start, target), >=, 1);
              break;
            case SIM_PROBE_PROXY_BLOCKED:
              if (scenario == SIM_SCENARIO_COIN)
                {
                  for (int y = grid - 2; y < grid; y++)
                    for (int x = grid - 2; x < grid; x++)
                      g_assert_cmpint (sim_level_get (level, x, y), ==, SIM_CELL_WALL);
                }
              else
                {
                  g_assert_cmpint (green, <, 0);
                  g_assert_cmpint (count_cells (level, SIM_CELL_EXIT_GREEN), ==, 0);
                }
              break;
            case SIM_N_PROBE_KINDS:
            default:
              g_assert_not_reached ();
            }

          /* Is some lava cell on a shortest start→target path of the level without lava? */
          for (int s = 0; s < grid * grid; s++)
            if (lava_free->cells[s] == SIM_CELL_LAVA)
              lava_free->cells[s] = SIM_CELL_FLOOR;
          distances (lava_free, level->start, TRUE, from_start);
          distances (lava_free, target, TRUE, from_target);
          for (int s = 0; s < grid * grid; s++)
            if (level->cells[s] == SIM_CELL_LAVA && from_start[s] >= 0 && from_target[s] >= 0 &&
                from_start[s] + from_target[s] == from_start[target])
              on_path = TRUE;
          /* A target next to the start leaves no cell between them. */
          if (from_start[target] >= 2)
            {
              n_on_path += on_path;
              n_probes++;
            }
        }
      g_test_message ("scenario %d: lava on a shortest path in %d of %d probes",
                      scenario, n_on_path, n_probes);
      g_assert_cmpint (n_probes, >=, 300);
      g_assert_cmpint (n_on_path, >=, n_probes * 9 / 10);
      /* Starts are not confined to the training columns. */
      g_assert_cmpint (n_anywhere, >, 400 / 2);
    }
  gsl_rng_free (rng);
}

static void
test_names_and_base (void)
{
  const char *coin_names[] = { "coin", "lava", "corner", "right_edge", "top_edge",
                               "near_corner", "step" };
  const char *coin_short[] = { "coin", "lava", "corner", "right_edge", "top_edge", "step" };
  const char *green_names[] = { "exit", "green", "lava", "step" };
  double theta[SIM_MAX_FEATURES];

  g_assert_cmpint (sim_features_count (SIM_SCENARIO_COIN, TRUE), ==, 7);
  g_assert_cmpint (sim_features_count (SIM_SCENARIO_COIN, FALSE), ==, 6);
  g_assert_cmpint (sim_features_count (SIM_SCENARIO_GREEN_EXIT, TRUE), ==, 4);
  g_assert_cmpint (sim_features_count (SIM_SCENARIO_KEYS_CHESTS, TRUE), ==, 2);
  for (int i = 0; i < 7; i++)
    g_assert_cmpstr (sim_feature_name (SIM_SCENARIO_COIN, TRUE, i), ==, coin_names[i]);
  for (int i = 0; i < 6; i++)
    g_assert_cmpstr (sim_feature_name (SIM_SCENARIO_COIN, FALSE, i), ==, coin_short[i]);
  for (int i = 0; i < 4; i++)
    g_assert_cmpstr (sim_feature_name (SIM_SCENARIO_GREEN_EXIT, TRUE, i), ==, green_names[i]);
  g_assert_cmpstr (sim_feature_name (SIM_SCENARIO_KEYS_CHESTS, TRUE, 0), ==, "key");
  g_assert_cmpstr (sim_feature_name (SIM_SCENARIO_KEYS_CHESTS, TRUE, 1), ==, "chest");

  {
    const double want[] = { 1, -1, 0, 0, 0, 0, -0.02 };
    sim_features_base (SIM_SCENARIO_COIN, TRUE, theta);
    for (int i = 0; i < 7; i++)
      g_assert_cmpfloat (theta[i], ==, want[i]);
  }
  {
    const double want[] = { 1, -1, 0, 0, 0, -0.02 };
    sim_features_base (SIM_SCENARIO_COIN, FALSE, theta);
    for (int i = 0; i < 6; i++)
      g_assert_cmpfloat (theta[i], ==, want[i]);
  }
  {
    const double want[] = { 1, 0, -1, -0.02 };
    sim_features_base (SIM_SCENARIO_GREEN_EXIT, TRUE, theta);
    for (int i = 0; i < 4; i++)
      g_assert_cmpfloat (theta[i], ==, want[i]);
  }
  sim_features_base (SIM_SCENARIO_KEYS_CHESTS, TRUE, theta);
  g_assert_cmpfloat (theta[0], ==, 0.0);
  g_assert_cmpfloat (theta[1], ==, 1.0);

  g_assert_cmpint (sim_features_target_index (SIM_SCENARIO_COIN), ==, 0);
  g_assert_cmpint (sim_features_proxy_index (SIM_SCENARIO_COIN, TRUE), ==, 2);
  g_assert_cmpint (sim_features_proxy_index (SIM_SCENARIO_COIN, FALSE), ==, 2);
  g_assert_cmpint (sim_features_target_index (SIM_SCENARIO_GREEN_EXIT), ==, 0);
  g_assert_cmpint (sim_features_proxy_index (SIM_SCENARIO_GREEN_EXIT, TRUE), ==, 1);

  g_assert_true (sim_cell_is_terminal (SIM_CELL_COIN));
  g_assert_true (sim_cell_is_terminal (SIM_CELL_LAVA));
  g_assert_true (sim_cell_is_terminal (SIM_CELL_EXIT));
  g_assert_true (sim_cell_is_terminal (SIM_CELL_EXIT_GREEN));
  g_assert_false (sim_cell_is_terminal (SIM_CELL_GREEN));
  g_assert_false (sim_cell_is_terminal (SIM_CELL_FLOOR));
  g_assert_false (sim_cell_is_terminal (SIM_CELL_KEY));
  g_assert_true (sim_cell_is_target (SIM_SCENARIO_COIN, SIM_CELL_COIN));
  g_assert_false (sim_cell_is_target (SIM_SCENARIO_COIN, SIM_CELL_LAVA));
  g_assert_true (sim_cell_is_target (SIM_SCENARIO_GREEN_EXIT, SIM_CELL_EXIT_GREEN));
  g_assert_false (sim_cell_is_target (SIM_SCENARIO_GREEN_EXIT, SIM_CELL_GREEN));
}

/* φ on hand-made levels against values worked out by hand. */
static void
test_features_by_hand (void)
{
  const char *coin_text = "mesascope-level 1\nscenario coin\nsize 3 3\nhorizon 9\nmap\n"
                          ".C.\n"
                          "#..\n"
                          "S.L\n";
  const char *green_text = "mesascope-level 1\nscenario green-exit\nsize 3 2\nhorizon 6\nmap\n"
                           "XG.\n"
                           "SLE\n";
  g_autoptr (SimLevel) coin = sim_level_parse (coin_text, -1, NULL, NULL);
  g_autoptr (SimLevel) green = sim_level_parse (green_text, -1, NULL, NULL);
  double phi[9 * 7];
  double phi6[9 * 6];
  double phig[6 * 4];
  /* Rows: cells s = y * 3 + x; columns coin lava corner right top near step. */
  const double want[9][7] = {
    /* (0,0) */ { 0, 0, 0, 0, 0, 0.00, 1 },
    /* (1,0) */ { 0, 0, 0, 0, 0, 0.25, 1 },
    /* (2,0) */ { 0, 1, 0, 1, 0, 0.50, 1 },
    /* (0,1) */ { 0, 0, 0, 0, 0, 0.25, 1 },
    /* (1,1) */ { 0, 0, 0, 0, 0, 0.50, 1 },
    /* (2,1) */ { 0, 0, 0, 1, 0, 0.75, 1 },
    /* (0,2) */ { 0, 0, 0, 0, 1, 0.50, 1 },
    /* (1,2) */ { 1, 0, 0, 0, 1, 0.75, 1 },
    /* (2,2) */ { 0, 0, 1, 1, 1, 1.00, 1 },
  };
  const double want_green[6][4] = {
    /* (0,0) S */ { 0, 0, 0, 1 },
    /* (1,0) L */ { 0, 0, 1, 1 },
    /* (2,0) E */ { 1, 0, 0, 1 },
    /* (0,1) X */ { 1, 1, 0, 1 },
    /* (1,1) G */ { 0, 1, 0, 1 },
    /* (2,1) . */ { 0, 0, 0, 1 },
  };
  guint8 mask[9];
  guint8 mask_green[6];

  g_assert_nonnull (coin);
  g_assert_nonnull (green);

  sim_features_compute (coin, TRUE, TRUE, phi);
  for (int s = 0; s < 9; s++)
    for (int f = 0; f < 7; f++)
      g_assert_cmpfloat_with_epsilon (phi[s * 7 + f], want[s][f], 1e-12);

  /* Without near_corner the column is dropped. */
  sim_features_compute (coin, FALSE, TRUE, phi6);
  for (int s = 0; s < 9; s++)
    for (int f = 0; f < 6; f++)
      g_assert_cmpfloat (phi6[s * 6 + f], ==, want[s][f < 5 ? f : 6]);

  /* A hidden coin is plain floor. */
  sim_features_compute (coin, TRUE, FALSE, phi);
  g_assert_cmpfloat (phi[7 * 7 + 0], ==, 0.0);
  g_assert_cmpfloat (phi[7 * 7 + 5], ==, 0.75);

  sim_features_compute (green, TRUE, TRUE, phig);
  for (int s = 0; s < 6; s++)
    for (int f = 0; f < 4; f++)
      g_assert_cmpfloat (phig[s * 4 + f], ==, want_green[s][f]);
  sim_features_compute (green, TRUE, FALSE, phig);
  g_assert_cmpfloat (phig[2 * 4 + 0], ==, 0.0);
  g_assert_cmpfloat (phig[3 * 4 + 0], ==, 0.0);
  g_assert_cmpfloat (phig[3 * 4 + 1], ==, 1.0);

  /* near_corner on 8×8 at (3, 4): 1 − (4 + 3) / 14 = 0.5. */
  {
    g_autoptr (SimLevel) big = sim_level_new (SIM_SCENARIO_COIN, 8, 8, 24);
    g_autofree double *p = g_new (double, 64 * 7);
    sim_features_compute (big, TRUE, TRUE, p);
    g_assert_cmpfloat_with_epsilon (p[(4 * 8 + 3) * 7 + 5], 0.5, 1e-12);
    g_assert_cmpfloat_with_epsilon (p[(0 * 8 + 7) * 7 + 5], 0.5, 1e-12);
  }

  /* Proxy masks: the top-right 2×2 block; the green tiles and their 4-neighbours. */
  sim_level_proxy_mask (coin, mask);
  {
    const guint8 want_mask[9] = { 0, 0, 0, 0, 1, 1, 0, 1, 1 };
    g_assert_cmpmem (mask, 9, want_mask, 9);
  }
  sim_level_proxy_mask (green, mask_green);
  {
    /* X at (0,1) and G at (1,1): every cell except (2,0) touches one. */
    const guint8 want_mask[6] = { 1, 1, 0, 1, 1, 1 };
    g_assert_cmpmem (mask_green, 6, want_mask, 6);
  }
}

static void
test_reachable (void)
{
  const char *text = "mesascope-level 1\nscenario coin\nsize 4 3\nhorizon 9\nmap\n"
                     "..#C\n"
                     ".#L.\n"
                     "S.#.\n";
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, NULL);
  int coin = sim_level_index (level, 3, 2);

  g_assert_nonnull (level);
  /* The coin is walled off on the left and lava blocks the way from below. */
  g_assert_false (sim_level_reachable (level, level->start, coin));
  g_assert_false (sim_level_validate (level, NULL));
  g_assert_true (sim_level_reachable (level, level->start, sim_level_index (level, 1, 2)));
  g_assert_true (sim_level_reachable (level, level->start, level->start));
  g_assert_false (sim_level_reachable (level, level->start, sim_level_index (level, 3, 0)));
  g_assert_true (sim_level_reachable (level, sim_level_index (level, 3, 0), coin));
  /* Lava itself can be entered as a target. */
  g_assert_true (sim_level_reachable (level, sim_level_index (level, 3, 0),
                                      sim_level_index (level, 2, 1)));
  level->cells[sim_level_index (level, 2, 1)] = SIM_CELL_FLOOR;
  /* (2,1) is floor now, but its other neighbours are walls. */
  g_assert_false (sim_level_reachable (level, level->start, coin));
  level->cells[sim_level_index (level, 2, 2)] = SIM_CELL_FLOOR;
  g_assert_true (sim_level_reachable (level, level->start, coin));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/world/scenario/deterministic", test_deterministic);
  g_test_add_func ("/engine/world/scenario/golden", test_golden);
  g_test_add_func ("/engine/world/scenario/coin-train", test_coin_train);
  g_test_add_func ("/engine/world/scenario/coin-test", test_coin_test);
  g_test_add_func ("/engine/world/scenario/green-exit", test_green_exit);
  g_test_add_func ("/engine/world/scenario/keys-chests", test_keys_chests);
  g_test_add_func ("/engine/world/scenario/probes", test_probes);
  g_test_add_func ("/engine/world/scenario/names-and-base", test_names_and_base);
  g_test_add_func ("/engine/world/scenario/features-by-hand", test_features_by_hand);
  g_test_add_func ("/engine/world/scenario/reachable", test_reachable);

  return g_test_run ();
}
