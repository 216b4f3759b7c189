/* test-demos-stream.c: the streaming reader of demos files gives the tree reader's demos, and
 * the loader the tree reader's messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sim-demos.h"
#include "sim-demos-private.h"
#include "sim-level.h"

static GPtrArray *
list_files (const char *folder,
            const char *prefix)
{
  const char *root = g_getenv ("MESASCOPE_SOURCE_DIR");
  g_autofree char *dir = NULL;
  g_autoptr (GDir) d = NULL;
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (root);
  dir = g_build_filename (root, folder, NULL);
  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ".json"))
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  return paths;
}

/* The demos written back (levels and trajectories), or the message. */
static char *
describe (SimDemos *demos,
          GError   *error)
{
  if (demos == NULL)
    {
      g_assert_nonnull (error);
      return g_strconcat ("error: ", error->message, NULL);
    }
  return sim_demos_to_string (demos);
}

/* Checks one file; returns whether the stream took it. */
static gboolean
check_file (const char *path)
{
  g_autofree char *text = NULL;
  g_autofree char *tree = NULL;
  g_autofree char *loaded = NULL;
  g_autoptr (SimDemos) tree_demos = NULL;
  g_autoptr (SimDemos) load_demos = NULL;
  g_autoptr (SimDemos) streamed = NULL;
  g_autoptr (SimDemos) piecewise = NULL;
  g_autoptr (GError) tree_error = NULL;
  g_autoptr (GError) load_error = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  tree_demos = sim_demos_parse_tree (text, (gssize) length, path, &tree_error);
  tree = describe (tree_demos, tree_error);
  load_demos = sim_demos_load (path, &load_error);
  loaded = describe (load_demos, load_error);
  g_assert_cmpstr (loaded, ==, tree);

  streamed = sim_demos_stream_parse (text, length);
  piecewise = sim_demos_stream_load (path, &error);
  g_assert_no_error (error);
  g_assert_true ((streamed == NULL) == (piecewise == NULL));
  if (streamed != NULL)
    {
      g_autofree char *a = sim_demos_to_string (streamed);
      g_autofree char *b = sim_demos_to_string (piecewise);

      g_assert_cmpstr (a, ==, tree);
      g_assert_cmpstr (b, ==, tree);
    }
  return streamed != NULL;
}

static void
test_corpora (void)
{
  const char *dirs[][2] = {
    { "tests/engine/demos/good", "" },
    { "tests/engine/demos/bad", "" },
    { "tests/fuzz/corpus/demos", "" },
    { "tests/fuzz/regressions", "demos-" },
  };
  guint n_files = 0, n_streamed = 0;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autoptr (GPtrArray) paths = list_files (dirs[d][0], dirs[d][1]);

      for (guint i = 0; i < paths->len; i++)
        {
          gboolean streamed = check_file (g_ptr_array_index (paths, i));

          /* The good files are plainly valid: the stream reads them. */
          if (d == 0)
            g_assert_true (streamed);
          n_streamed += streamed;
          n_files++;
        }
    }
  g_test_message ("%u files, %u read by the stream", n_files, n_streamed);
  g_assert_cmpuint (n_files, >, 30);
  g_assert_cmpuint (n_streamed, >=, 3);
}

/* A file the writer makes, with many trajectories read in many pieces, and files written by
 * hand with the members in another order and members the format does not know. */
static void
test_written (void)
{
  g_autofree char *dir = g_dir_make_tmp ("demos-stream-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "many.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimDemos) demos = sim_demos_new (SIM_SCENARIO_COIN, FALSE);
  g_autoptr (SimLevel) level = sim_level_parse ("mesascope-level 1\nscenario coin\nsize 5 5\n"
                                                "horizon 15\nmap\n....C\n.#...\n..L..\n.....\n"
                                                "S....\n", -1, "level", &error);
  const int cells[] = { 0, 1, 2, 3, 4, 9, 14, 19, 24 };
  const char *texts[] = {
    "{\"trajectories\": [{\"cells\": [[0, 0], [1, 0.0]], \"note\": [1, {\"a\": [2]}], "
    "\"level\": 0}], \"other\": {\"x\": [[1]]}, \"levels\": [\"mesascope-level 1\\nscenario "
    "coin\\nsize 5 5\\nhorizon 15\\nmap\\n....C\\n.#...\\n..L..\\n.....\\nS....\\n\"], "
    "\"scenario\": \"coin\", \"near_corner\": false}",
  };

  g_assert_no_error (error);
  sim_demos_add_level (demos, level);
  for (int i = 0; i < 10000; i++)
    {
      sim_demos_add_trajectory (demos, 0, cells, 1 + i % 9, &error);
      g_assert_no_error (error);
    }
  g_assert_true (sim_demos_save (demos, path, &error));
  g_assert_no_error (error);
  g_assert_true (check_file (path));
  g_assert_cmpint (g_remove (path), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_assert_true (g_file_set_contents (path, texts[i], -1, NULL));
      g_assert_true (check_file (path));
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/infer/demos-stream/corpora", test_corpora);
  g_test_add_func ("/engine/infer/demos-stream/written", test_written);
  return g_test_run ();
}
