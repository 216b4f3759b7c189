/* test-level.c: the level text format, validation and moves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "sim-level.h"
#include "sim-scenario.h"

static char *
corpus_path (const char *sub,
             const char *name)
{
  const char *root = g_getenv ("MESASCOPE_SOURCE_DIR");

  /* meson test sets this; run by hand with MESASCOPE_SOURCE_DIR=<source tree>. */
  g_assert_nonnull (root);
  return g_build_filename (root, "tests", "engine", "levels", sub, name, NULL);
}

/* Sorted names of the *.level files in a corpus folder. */
static GPtrArray *
list_levels (const char *sub)
{
  g_autofree char *dir_path = corpus_path (sub, NULL);
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".level"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

static void
assert_round_trip (const SimLevel *level)
{
  g_autofree char *text = sim_level_to_string (level);
  g_autofree char *text2 = NULL;
  g_autoptr (SimLevel) again = NULL;
  g_autoptr (GError) error = NULL;

  again = sim_level_parse (text, -1, "round-trip", &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_true (sim_level_equal (level, again));
  text2 = sim_level_to_string (again);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_good_files (void)
{
  g_autoptr (GPtrArray) names = list_levels ("good");

  g_assert_cmpuint (names->len, >=, 8);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = corpus_path ("good", names->pdata[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (SimLevel) level = NULL;

      g_test_message ("%s", path);
      level = sim_level_load (path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (level);
      g_assert_true (sim_level_validate (level, &error));
      g_assert_no_error (error);
      assert_round_trip (level);
    }
}

/* The canonical file is byte for byte what sim_level_to_string() writes, and its cells land
 * where the format says: file row 0 is the top row. */
static void
test_canonical_layout (void)
{
  g_autofree char *path = corpus_path ("good", "coin-train.level");
  g_autofree char *contents = NULL;
  g_autofree char *written = NULL;
  g_autoptr (SimLevel) level = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  level = sim_level_parse (contents, -1, path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (level->scenario, ==, SIM_SCENARIO_COIN);
  g_assert_cmpint (level->width, ==, 8);
  g_assert_cmpint (level->height, ==, 8);
  g_assert_cmpint (level->horizon, ==, 24);
  g_assert_cmpint (level->start, ==, sim_level_index (level, 0, 0));
  g_assert_cmpint (sim_level_get (level, 0, 0), ==, SIM_CELL_FLOOR);
  g_assert_cmpint (sim_level_get (level, 7, 7), ==, SIM_CELL_COIN);
  g_assert_cmpint (sim_level_get (level, 2, 6), ==, SIM_CELL_WALL);
  g_assert_cmpint (sim_level_get (level, 3, 5), ==, SIM_CELL_LAVA);
  g_assert_cmpint (sim_level_get (level, 2, 2), ==, SIM_CELL_WALL);
  g_assert_cmpint (sim_level_get (level, 4, 1), ==, SIM_CELL_LAVA);
  g_assert_cmpint (sim_level_get (level, 7, 0), ==, SIM_CELL_FLOOR);
  written = sim_level_to_string (level);
  g_assert_cmpstr (written, ==, contents);
}

/* Comments, blank lines, another key order, trailing blanks and a rectangular map. */
static void
test_lenient_layout (void)
{
  g_autofree char *path = corpus_path ("good", "comments-and-order.level");
  g_autoptr (SimLevel) level = NULL;
  g_autoptr (GError) error = NULL;

  level = sim_level_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (level->width, ==, 5);
  g_assert_cmpint (level->height, ==, 3);
  g_assert_cmpint (level->horizon, ==, 30);
  g_assert_cmpint (level->start, ==, 0);
  g_assert_cmpint (sim_level_get (level, 4, 2), ==, SIM_CELL_COIN);
  g_assert_cmpint (sim_level_get (level, 1, 1), ==, SIM_CELL_WALL);
  g_assert_cmpint (sim_level_get (level, 2, 1), ==, SIM_CELL_LAVA);
}

static void
test_crlf (void)
{
  const char *lf = "mesascope-level 1\nscenario coin\nsize 4 4\nhorizon 12\nmap\n"
                   "...C\n.#..\n..L.\nS...\n";
  g_autofree char *path = corpus_path ("good", "crlf.level");
  g_autofree char *contents = NULL;
  g_autoptr (SimLevel) from_crlf = NULL;
  g_autoptr (SimLevel) from_lf = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, "\r\n"));
  from_crlf = sim_level_parse (contents, -1, path, &error);
  g_assert_no_error (error);
  from_lf = sim_level_parse (lf, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sim_level_equal (from_crlf, from_lf));
}

/* Every file of the bad corpus fails at exactly the position listed in expected.txt. */
static void
test_bad_corpus (void)
{
  g_autofree char *expected_path = corpus_path ("bad", "expected.txt");
  g_autofree char *expected = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) names = list_levels ("bad");
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;
  guint n_checked = 0;

  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (expected, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = NULL;
      g_autofree char *path = NULL;
      g_autofree char *prefix = NULL;
      g_autoptr (SimLevel) level = NULL;
      g_autoptr (GError) load_error = NULL;
      const char *kind;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], " ", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      path = corpus_path ("bad", fields[0]);
      kind = fields[2];
      g_test_message ("%s: expect %s %s", fields[0], fields[1], kind);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_hash_table_add (listed, g_strdup (fields[0]));
      prefix = g_strdup_printf ("%s:%s: ", path, fields[1]);

      level = sim_level_load (path, &load_error);
      if (g_strcmp0 (kind, "invalid") == 0)
        {
          g_autoptr (GError) invalid_error = NULL;

          /* Parses, but is unusable; the command line reports these at 0:0. */
          g_assert_cmpstr (fields[1], ==, "0:0");
          g_assert_no_error (load_error);
          g_assert_nonnull (level);
          g_assert_false (sim_level_validate (level, &invalid_error));
          g_assert_error (invalid_error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID);
        }
      else
        {
          g_assert_null (level);
          g_assert_nonnull (load_error);
          if (!g_str_has_prefix (load_error->message, prefix))
            g_error ("%s: got '%s', expected the prefix '%s'", fields[0],
                     load_error->message, prefix);
          if (g_strcmp0 (kind, "version") == 0)
            g_assert_error (load_error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_VERSION);
          else if (g_strcmp0 (kind, "syntax") == 0)
            g_assert_error (load_error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_SYNTAX);
          else
            g_error ("unknown kind '%s' in expected.txt", kind);
          /* The message goes on to say what was expected. */
          g_assert_cmpuint (strlen (load_error->message), >, strlen (prefix) + 8);
        }
      n_checked++;
    }

  g_assert_cmpuint (n_checked, >=, 30);
  /* No file of the corpus is left unchecked. */
  for (guint i = 0; i < names->len; i++)
    if (!g_hash_table_contains (listed, names->pdata[i]))
      g_error ("%s is not listed in expected.txt", (char *) names->pdata[i]);
}

static void
test_messages (void)
{
  const char *text = "mesascope-level 1\nscenario coin\nsize 3 2\nhorizon 6\nmap\n..C\nSQ.\n";
  const char *nul = "mesascope-level 1\0garbage";
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = NULL;

  level = sim_level_parse (text, -1, "bad.level", &error);
  g_assert_null (level);
  g_assert_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==,
                   "bad.level:7:2: unknown symbol 'Q' (expected one of . # S C L E G X K H)");
  g_clear_error (&error);

  level = sim_level_parse (text, -1, NULL, &error);
  g_assert_null (level);
  g_assert_true (g_str_has_prefix (error->message, "<input>:7:2: "));
  g_clear_error (&error);

  /* An explicit length lets the parser see an embedded NUL. */
  level = sim_level_parse (nul, 25, "nul.level", &error);
  g_assert_null (level);
  g_assert_true (g_str_has_prefix (error->message, "nul.level:1:18: "));
  g_clear_error (&error);

  level = sim_level_parse ("mesascope-level 3\n", -1, "v3.level", &error);
  g_assert_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_VERSION);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_clear_error (&error);

  level = sim_level_load ("/nonexistent/dir/x.level", &error);
  g_assert_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/dir/x.level:0:0: "));
}

/* Every prefix and many random corruptions of a good file either parse or fail with a
 * positioned message; none crashes or half-loads. */
static void
test_corruptions (void)
{
  g_autofree char *path = corpus_path ("good", "green-exit-test.level");
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRegex) positioned = g_regex_new ("^<input>:[0-9]+:[0-9]+: .+", G_REGEX_DOTALL,
                                               0, NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);
  int n_ok = 0;
  int n_failed = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));

  for (gsize cut = 0; cut <= length; cut++)
    {
      g_autoptr (SimLevel) level = sim_level_parse (contents, (gssize) cut, NULL, &error);
      if (level == NULL)
        {
          g_assert_true (g_regex_match (positioned, error->message, 0, NULL));
          g_clear_error (&error);
          n_failed++;
        }
      else
        {
          g_assert_no_error (error);
          n_ok++;
        }
    }
  /* Only the complete file (with or without its final newline) parses. */
  g_assert_cmpint (n_ok, ==, 2);

  for (int round = 0; round < 3000; round++)
    {
      g_autofree char *copy = g_memdup2 (contents, length);
      int n_changes = g_rand_int_range (rand, 1, 4);
      g_autoptr (SimLevel) level = NULL;

      for (int k = 0; k < n_changes; k++)
        copy[g_rand_int_range (rand, 0, (gint32) length)] = (char) g_rand_int_range (rand, 0, 256);
      level = sim_level_parse (copy, (gssize) length, NULL, &error);
      if (level == NULL)
        {
          g_assert_true (g_regex_match (positioned, error->message, 0, NULL));
          g_clear_error (&error);
        }
      else
        {
          assert_round_trip (level);
        }
    }
  g_assert_cmpint (n_failed, >, 0);
}

static void
test_generated_round_trip (void)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, 7);
  for (int scenario = 0; scenario < SIM_N_SCENARIOS; scenario++)
    for (int grid = 8; grid <= 16; grid += 4)
      for (int i = 0; i < 20; i++)
        {
          g_autoptr (SimLevel) level = NULL;
          g_autoptr (GError) error = NULL;

          if (scenario == SIM_SCENARIO_KEYS_CHESTS && grid != 8)
            continue;
          level = sim_scenario_generate (scenario, grid, i % 2 ? SIM_DIST_TEST : SIM_DIST_TRAIN,
                                         rng);
          g_assert_true (sim_level_validate (level, &error));
          g_assert_no_error (error);
          assert_round_trip (level);
        }
  gsl_rng_free (rng);
}

static void
test_max_size (void)
{
  g_autoptr (SimLevel) level = sim_level_new (SIM_SCENARIO_COIN, SIM_LEVEL_MAX_SIZE,
                                              SIM_LEVEL_MAX_SIZE, 10000);
  g_autoptr (SimLevel) copy = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  char *too_big;

  level->cells[SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE - 1] = SIM_CELL_COIN;
  level->start = 3;
  assert_round_trip (level);
  g_assert_true (sim_level_validate (level, NULL));

  copy = sim_level_copy (level);
  g_assert_true (sim_level_equal (level, copy));
  copy->cells[5] = SIM_CELL_WALL;
  g_assert_false (sim_level_equal (level, copy));

  text = sim_level_to_string (level);
  too_big = strstr (text, "size 64 64");
  g_assert_nonnull (too_big);
  too_big[6] = '5';
  g_assert_null (sim_level_parse (text, -1, "big", &error));
  g_assert_true (g_str_has_prefix (error->message, "big:3:6: "));
}

static void
test_save_load (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mesascope-level-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *bad_path = NULL;
  g_autoptr (SimLevel) level = NULL;
  g_autoptr (SimLevel) loaded = NULL;
  g_autoptr (SimLevel) other = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  g_assert_no_error (error);
  path = g_build_filename (dir, "a.level", NULL);
  gsl_rng_set (rng, 3);
  level = sim_scenario_generate (SIM_SCENARIO_GREEN_EXIT, 12, SIM_DIST_TEST, rng);
  other = sim_scenario_generate (SIM_SCENARIO_COIN, 8, SIM_DIST_TRAIN, rng);

  g_assert_true (sim_level_save (other, path, &error));
  g_assert_no_error (error);
  /* Overwriting an existing file replaces it whole. */
  g_assert_true (sim_level_save (level, path, &error));
  g_assert_no_error (error);
  loaded = sim_level_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (sim_level_equal (level, loaded));

  bad_path = g_build_filename (dir, "missing-folder", "b.level", NULL);
  g_assert_false (sim_level_save (level, bad_path, &error));
  g_assert_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_IO);
  g_clear_error (&error);

  /* A folder is not a level file. */
  g_assert_null (sim_level_load (dir, &error));
  g_assert_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_IO);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  gsl_rng_free (rng);
}

static void
test_step (void)
{
  const char *text = "mesascope-level 1\nscenario coin\nsize 3 3\nhorizon 9\nmap\n"
                     ".#C\n"
                     "...\n"
                     "S.L\n";
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, NULL);
  int origin, centre, top_left;

  g_assert_nonnull (level);
  origin = sim_level_index (level, 0, 0);
  centre = sim_level_index (level, 1, 1);
  top_left = sim_level_index (level, 0, 2);

  g_assert_cmpint (sim_level_step (level, origin, SIM_ACTION_UP), ==,
                   sim_level_index (level, 0, 1));
  g_assert_cmpint (sim_level_step (level, origin, SIM_ACTION_RIGHT), ==,
                   sim_level_index (level, 1, 0));
  /* Off the grid: stay. */
  g_assert_cmpint (sim_level_step (level, origin, SIM_ACTION_DOWN), ==, origin);
  g_assert_cmpint (sim_level_step (level, origin, SIM_ACTION_LEFT), ==, origin);
  g_assert_cmpint (sim_level_step (level, top_left, SIM_ACTION_UP), ==, top_left);
  /* Into a wall: stay. */
  g_assert_cmpint (sim_level_step (level, centre, SIM_ACTION_UP), ==, centre);
  g_assert_cmpint (sim_level_step (level, top_left, SIM_ACTION_RIGHT), ==, top_left);
  g_assert_cmpint (sim_level_step (level, centre, SIM_ACTION_STAY), ==, centre);
  /* Lava and coin cells can be entered. */
  g_assert_cmpint (sim_level_step (level, sim_level_index (level, 1, 0), SIM_ACTION_RIGHT),
                   ==, sim_level_index (level, 2, 0));
  g_assert_cmpint (sim_level_step (level, sim_level_index (level, 2, 1), SIM_ACTION_UP),
                   ==, sim_level_index (level, 2, 2));
}

static void
test_validate (void)
{
  g_autoptr (SimLevel) level = sim_level_new (SIM_SCENARIO_GREEN_EXIT, 4, 1, 10);
  g_autoptr (GError) error = NULL;

  /* S . L E: lava cuts the only path. */
  level->start = 0;
  level->cells[2] = SIM_CELL_LAVA;
  level->cells[3] = SIM_CELL_EXIT;
  g_assert_false (sim_level_validate (level, &error));
  g_assert_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID);
  g_clear_error (&error);

  level->cells[2] = SIM_CELL_GREEN;
  g_assert_true (sim_level_validate (level, &error));
  g_assert_no_error (error);

  /* A coin on the way to the exit ends the episode before it. */
  level->cells[2] = SIM_CELL_COIN;
  g_assert_false (sim_level_validate (level, NULL));
  level->cells[2] = SIM_CELL_FLOOR;

  level->start = 4;
  g_assert_false (sim_level_validate (level, &error));
  g_assert_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID);
  g_clear_error (&error);

  level->start = 1;
  level->cells[1] = SIM_CELL_WALL;
  g_assert_false (sim_level_validate (level, &error));
  g_assert_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID);
}

static void
test_names (void)
{
  const char symbols[] = ".#LCEGXKH";
  SimScenarioKind kind;

  for (int i = 0; i < SIM_N_SCENARIOS; i++)
    {
      g_assert_true (sim_scenario_from_string (sim_scenario_to_string (i), &kind));
      g_assert_cmpint (kind, ==, i);
    }
  g_assert_cmpstr (sim_scenario_to_string (SIM_SCENARIO_GREEN_EXIT), ==, "green-exit");
  g_assert_false (sim_scenario_from_string ("Coin", &kind));
  g_assert_false (sim_scenario_from_string ("", &kind));
  g_assert_false (sim_scenario_from_string (NULL, &kind));
  for (int c = 0; c < SIM_N_CELLS; c++)
    g_assert_cmpint (sim_cell_to_symbol (c), ==, symbols[c]);
}

/* Runs mesascope-cli with the given arguments; returns its exit status. */
static int
run_cli (const char  *const *args,
         char              **out,
         char              **err)
{
  const char *build = g_getenv ("MESASCOPE_BUILD_DIR");
  g_autofree char *cli = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_assert_nonnull (build);
  cli = g_build_filename (build, "src", "cli", "mesascope-cli", NULL);
  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static guint
count_lines (const char *text)
{
  guint n = 0;
  for (const char *c = text; *c != '\0'; c++)
    n += *c == '\n';
  return n;
}

/* The 'level check' command: exit codes and one positioned line per error. */
static void
test_cli_check (void)
{
  g_autofree char *good1 = corpus_path ("good", "coin-train.level");
  g_autofree char *good2 = corpus_path ("good", "crlf.level");
  g_autofree char *bad1 = corpus_path ("bad", "two-starts.level");
  g_autofree char *bad2 = corpus_path ("bad", "no-coin.level");
  g_autofree char *want1 = NULL;
  g_autofree char *want2 = NULL;
  g_auto (GStrv) lines = NULL;

  {
    const char *args[] = { "level", "check", good1, good2, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_cmpstr (err, ==, "");
  }
  {
    const char *args[] = { "level", "check", good1, bad1, bad2, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_assert_cmpint (run_cli (args, &out, &err), ==, 1);
    g_assert_cmpuint (count_lines (err), ==, 2);
    lines = g_strsplit (err, "\n", -1);
    want1 = g_strdup_printf ("%s:13:1: ", bad1);
    want2 = g_strdup_printf ("%s:0:0: ", bad2);
    g_assert_true (g_str_has_prefix (lines[0], want1));
    g_assert_true (g_str_has_prefix (lines[1], want2));
  }
  {
    const char *no_files[] = { "level", "check", NULL };
    const char *no_action[] = { "level", NULL };
    const char *bad_action[] = { "level", "fix", good1, NULL };
    const char *bad_option[] = { "level", "check", "--frobnicate", good1, NULL };
    const char *help[] = { "level", "check", "--help", NULL };
    const char *const *usage[] = { no_files, no_action, bad_action, bad_option };

    for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
      {
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        g_assert_cmpint (run_cli (usage[i], &out, &err), ==, 2);
        g_assert_cmpstr (err, !=, "");
      }
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_assert_cmpint (run_cli (help, &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, "level check FILE"));
    }
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/world/level/good-files", test_good_files);
  g_test_add_func ("/engine/world/level/canonical-layout", test_canonical_layout);
  g_test_add_func ("/engine/world/level/lenient-layout", test_lenient_layout);
  g_test_add_func ("/engine/world/level/crlf", test_crlf);
  g_test_add_func ("/engine/world/level/bad-corpus", test_bad_corpus);
  g_test_add_func ("/engine/world/level/messages", test_messages);
  g_test_add_func ("/engine/world/level/corruptions", test_corruptions);
  g_test_add_func ("/engine/world/level/generated-round-trip", test_generated_round_trip);
  g_test_add_func ("/engine/world/level/max-size", test_max_size);
  g_test_add_func ("/engine/world/level/save-load", test_save_load);
  g_test_add_func ("/engine/world/level/step", test_step);
  g_test_add_func ("/engine/world/level/validate", test_validate);
  g_test_add_func ("/engine/world/level/names", test_names);
  g_test_add_func ("/engine/world/level/cli-check", test_cli_check);

  return g_test_run ();
}
