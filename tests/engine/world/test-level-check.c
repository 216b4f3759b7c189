/* test-level-check.c: sim_level_check(), the one rule for what a playable level is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sim-level.h"

static SimLevel *
level_from (const char *scenario,
            const char *map)   /* rows of 5, top first */
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  SimLevel *level;
  int rows = (int) strlen (map) / 6;

  text = g_strdup_printf ("mesascope-level 1\nscenario %s\nsize 5 %d\nhorizon 15\nmap\n%s",
                          scenario, rows, map);
  level = sim_level_parse (text, -1, "test.level", &error);
  g_assert_no_error (error);
  return level;
}

/* The kinds sim_level_check() reports for the level, as a string "K1 K2 …" of their numbers;
 * asserts that errors come first and that validate agrees with the first. */
static char *
kinds (const SimLevel *level)
{
  g_autoptr (GArray) problems = sim_level_check (level);
  GString *out = g_string_new (NULL);
  gboolean any_error = FALSE, seen_warning = FALSE;

  for (guint i = 0; i < problems->len; i++)
    {
      const SimLevelProblem *p = &g_array_index (problems, SimLevelProblem, i);

      g_string_append_printf (out, "%s%d", i > 0 ? " " : "", p->kind);
      if (SIM_LEVEL_PROBLEM_IS_ERROR (p->kind))
        {
          g_assert_false (seen_warning);
          any_error = TRUE;
        }
      else
        {
          seen_warning = TRUE;
        }
    }
  g_assert_true (sim_level_validate (level, NULL) == !any_error);
  return g_string_free (out, FALSE);
}


static void
check (const char *scenario,
       const char *map,
       const char *expected)
{
  g_autoptr (SimLevel) level = level_from (scenario, map);
  g_autofree char *got = kinds (level);

  g_test_message ("%s: [%s]", scenario, got);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_coin (void)
{
  char expected[64];

  check ("coin", "S...C\n.....\n.....\n", "");
  /* No coin; a coin behind lava; two coins (a warning, still playable). */
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_NO_TARGET);
  check ("coin", "S....\n.....\n", expected);
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_TARGET_UNREACHABLE);
  check ("coin", "S.L.C\n..L..\n..L..\n", expected);
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_SEVERAL_COINS);
  check ("coin", "S..CC\n.....\n", expected);
  /* A key does nothing in the coin scenario. */
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_UNUSED_CELLS);
  check ("coin", "S..KC\n.....\n", expected);
  /* A coin reached only through another coin is not reached: the first one ends the
   * episode. */
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_SEVERAL_COINS);
  check ("coin", "SC#C.\n##...\n", expected);
}

static void
test_green_exit (void)
{
  char expected[64];

  check ("green-exit", "S...E\n..G..\n", "");
  check ("green-exit", "S...X\n.....\n", "");
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_NO_GREEN);
  check ("green-exit", "S...E\n.....\n", expected);
  g_snprintf (expected, sizeof expected, "%d %d", SIM_LEVEL_PROBLEM_NO_TARGET,
              SIM_LEVEL_PROBLEM_UNUSED_CELLS);
  check ("green-exit", "S..G.\n..C..\n", expected);
}

/* Keys and chests: a level needs a key and a chest the agent can reach (the engine used to
 * accept a level with neither, which the editor refused). */
static void
test_keys_chests (void)
{
  char expected[64];

  check ("keys-chests", "S.K.H\n.....\n", "");
  g_snprintf (expected, sizeof expected, "%d %d", SIM_LEVEL_PROBLEM_NO_KEY,
              SIM_LEVEL_PROBLEM_NO_CHEST);
  check ("keys-chests", "S....\n.....\n", expected);
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_KEY_UNREACHABLE);
  check ("keys-chests", "S.#K#\n..###\n.H...\n", expected);
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_CHEST_UNREACHABLE);
  check ("keys-chests", "S.LHL\n.KLLL\n", expected);
  g_snprintf (expected, sizeof expected, "%d", SIM_LEVEL_PROBLEM_UNUSED_CELLS);
  check ("keys-chests", "S.K.H\n.C.G.\n", expected);
}

/* A start off the floor, an unknown cell and a missing start, which the parser cannot make
 * but a program can. */
static void
test_hand_made (void)
{
  g_autoptr (SimLevel) level = level_from ("coin", "S...C\n.....\n");
  g_autoptr (GArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  const SimLevelProblem *p;

  level->cells[level->start] = SIM_CELL_GREEN;
  problems = sim_level_check (level);
  p = &g_array_index (problems, SimLevelProblem, 0);
  g_assert_cmpint (p->kind, ==, SIM_LEVEL_PROBLEM_START_NOT_FLOOR);
  g_assert_cmpint (p->cell, ==, level->start);
  g_assert_false (sim_level_validate (level, &error));
  g_assert_nonnull (strstr (error->message, "expected a floor cell"));
  g_clear_error (&error);
  g_clear_pointer (&problems, g_array_unref);

  level->cells[level->start] = SIM_CELL_FLOOR;
  level->cells[7] = SIM_N_CELLS + 3;
  problems = sim_level_check (level);
  p = &g_array_index (problems, SimLevelProblem, 0);
  g_assert_cmpint (p->kind, ==, SIM_LEVEL_PROBLEM_UNKNOWN_CELL);
  g_assert_cmpint (p->count, ==, 1);
  g_assert_cmpint (p->cell, ==, 7);
  g_clear_pointer (&problems, g_array_unref);

  level->cells[7] = SIM_CELL_FLOOR;
  level->start = -1;
  problems = sim_level_check (level);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpint (g_array_index (problems, SimLevelProblem, 0).kind, ==,
                   SIM_LEVEL_PROBLEM_NO_START);
  g_assert_false (sim_level_validate (level, &error));
  g_assert_nonnull (strstr (error->message, "no start"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/world/level-check/coin", test_coin);
  g_test_add_func ("/engine/world/level-check/green-exit", test_green_exit);
  g_test_add_func ("/engine/world/level-check/keys-chests", test_keys_chests);
  g_test_add_func ("/engine/world/level-check/hand-made", test_hand_made);
  return g_test_run ();
}
