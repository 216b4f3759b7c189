/* test-mdp-stream.c: the streaming reader of MDP files gives the tree reader's model and
 * trajectories, and the loader the tree reader's messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sim-mdp.h"
#include "sim-mdp-json-private.h"
#include "sim-json.h"

#define MAX_FILE_SIZE ((gint64) 512 * 1024 * 1024)

static char *
source_path (const char *first,
             ...)
{
  const char *root = g_getenv ("MESASCOPE_SOURCE_DIR");
  va_list args;
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  const char *part;

  g_assert_nonnull (root);
  g_ptr_array_add (parts, (gpointer) root);
  g_ptr_array_add (parts, (gpointer) first);
  va_start (args, first);
  while ((part = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

/* The files of a folder (names starting with prefix), sorted. */
static GPtrArray *
list_files (const char *dir,
            const char *prefix)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, ".c"))
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  return paths;
}

/* What the tree reader makes of text: the file it writes back, or its message. */
static char *
tree_result (const char *text,
             gsize       length,
             const char *filename)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) trajectories = NULL;
  g_autoptr (SimMdp) mdp = sim_mdp_parse_json_tree (text, (gssize) length, filename,
                                                    &trajectories, &error);

  if (mdp == NULL)
    {
      g_assert_nonnull (error);
      return g_strconcat ("error: ", error->message, NULL);
    }
  return sim_mdp_to_json (mdp, trajectories);
}

static char *
load_result (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) trajectories = NULL;
  g_autoptr (SimMdp) mdp = sim_mdp_load_json (path, &trajectories, &error);

  if (mdp == NULL)
    {
      g_assert_nonnull (error);
      return g_strconcat ("error: ", error->message, NULL);
    }
  return sim_mdp_to_json (mdp, trajectories);
}

/* Checks one file: what the streaming reader takes, it reads as the tree reader does; the
 * loader gives the tree reader's model or message. Returns whether the stream took it. */
static gboolean
check_file (const char *path)
{
  g_autofree char *text = NULL;
  g_autofree char *tree = NULL;
  g_autofree char *loaded = NULL;
  g_autoptr (GPtrArray) trajectories = NULL;
  g_autoptr (SimMdp) streamed = NULL;
  g_autoptr (SimMdp) piecewise = NULL;
  g_autoptr (GPtrArray) trajectories_piecewise = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  tree = tree_result (text, length, path);
  loaded = load_result (path);
  g_assert_cmpstr (loaded, ==, tree);

  streamed = sim_mdp_stream_parse (text, length, &trajectories);
  piecewise = sim_mdp_stream_load (path, MAX_FILE_SIZE, &trajectories_piecewise, &error);
  g_assert_no_error (error);
  g_assert_true ((streamed == NULL) == (piecewise == NULL));
  if (streamed != NULL)
    {
      g_autofree char *a = sim_mdp_to_json (streamed, trajectories);
      g_autofree char *b = sim_mdp_to_json (piecewise, trajectories_piecewise);

      g_assert_cmpstr (a, ==, tree);
      g_assert_cmpstr (b, ==, tree);
    }
  return streamed != NULL;
}

/* The icy examples and every MDP the fuzzer kept, good and bad. */
static void
test_corpora (void)
{
  const char *dirs[][2] = {
    { "tests/engine/mdp", "icy" },
    { "tests/fuzz/corpus/mdp", "" },
    { "tests/fuzz/regressions", "mdp-" },
  };
  guint n_files = 0, n_streamed = 0;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir = source_path (dirs[d][0], NULL);
      g_autoptr (GPtrArray) paths = list_files (dir, dirs[d][1]);

      for (guint i = 0; i < paths->len; i++)
        {
          gboolean streamed = check_file (g_ptr_array_index (paths, i));

          /* The icy examples are plainly valid: the stream reads them. */
          if (d == 0)
            g_assert_true (streamed);
          n_streamed += streamed;
          n_files++;
        }
    }
  g_test_message ("%u files, %u read by the stream", n_files, n_streamed);
  g_assert_cmpuint (n_files, >, 50);
  g_assert_cmpuint (n_streamed, >, 0);
}

/* Files the writer makes, in each form of features and large enough to be read in many
 * pieces, are read by the stream and give the same model. */
static void
test_written (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mdp-stream-XXXXXX", NULL);
  struct { int size; gboolean one_hot; } cases[] = { { 5, FALSE }, { 5, TRUE }, { 40, TRUE },
                                                     { 40, FALSE } };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree double *reward = g_new (double, cases[c].size * cases[c].size);
      g_autoptr (SimMdp) mdp = sim_mdp_new_icy (cases[c].size, 0.3, cases[c].one_hot, 20, 1.0,
                                                reward);
      g_autoptr (GPtrArray) demos = NULL;
      g_autofree char *path = g_strdup_printf ("%s/icy-%u.json", dir, c);
      g_autofree char *text = NULL;
      g_autoptr (GError) error = NULL;
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

      gsl_rng_set (rng, 7);
      demos = sim_mdp_icy_demos (mdp, reward, 0.9, 5.0, 30, 20, rng);
      gsl_rng_free (rng);
      g_assert_true (sim_mdp_save_json (mdp, demos, path, &error));
      g_assert_no_error (error);
      g_assert_true (check_file (path));
      text = sim_mdp_to_json (mdp, demos);
      if (cases[c].size == 40)
        g_assert_cmpuint (strlen (text), >, 4 * 64 * 1024);
      g_assert_cmpint (g_remove (path), ==, 0);
    }

  /* Sparse features with "n_features", and dense rows: written by hand. */
  {
    const char *texts[] = {
      "{\"states\": 3, \"actions\": 1, \"n_features\": 2, \"features\": [[0, 1, 0.5], "
      "[2, 0, -1e-3]], \"transitions\": [[0, 0, 1, 1], [1, 0, 2, 1.0], [2, 0, 2, 1]], "
      "\"terminal\": [2], \"start\": [0], \"trajectories\": [[0, 1, 2]], \"other\": "
      "{\"a\": [1, {\"b\": null}], \"c\": \"text\"}}",
      "{\"trajectories\": [[0, 1]], \"start\": [0, 1], \"features\": [[1, 0], [0, 1], "
      "[0.25, 0.75]], \"transitions\": [[0, 0, 1, 0.5], [0, 0, 2, 0.5], [1, 0, 1, 1], "
      "[2, 0, 2, 1]], \"actions\": 1, \"states\": 3.0, \"horizon\": 4, \"discount\": 0.9}",
      "{\"states\": 2, \"actions\": 1, \"n_features\": 2, \"features\": [], \"transitions\": "
      "[[0, 0, 1, 1], [1, 0, 1, 1]], \"start\": [0], \"trajectories\": [[0, 1]], "
      "\"horizon\": null, \"discount\": null}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        g_autofree char *path = g_strdup_printf ("%s/hand-%u.json", dir, i);

        g_assert_true (g_file_set_contents (path, texts[i], -1, NULL));
        g_assert_true (check_file (path));
        g_assert_cmpint (g_remove (path), ==, 0);
      }
  }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Only blanks may follow the object, in the piece where it ends or in the next: the parser
 * itself lets an unfinished string there pass. */
static void
test_after_object (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mdp-stream-XXXXXX", NULL);
  g_autofree double *reward = g_new0 (double, 25);
  g_autoptr (SimMdp) mdp = sim_mdp_new_icy (5, 0.3, FALSE, 20, 1.0, reward);
  g_autoptr (GPtrArray) demos = NULL;
  g_autofree char *text = NULL;
  struct { const char *after; gboolean read; } cases[] = {
    { "", TRUE }, { " \n\t\r ", TRUE }, { "\"", FALSE }, { "\"x", FALSE },
    { "  \"states", FALSE }, { "\n\"\\", FALSE }, { "\"x\"", FALSE }, { "1", FALSE },
  };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, 3);
  demos = sim_mdp_icy_demos (mdp, reward, 0.9, 5.0, 3, 20, rng);
  gsl_rng_free (rng);
  text = sim_mdp_to_json (mdp, demos);
  g_strchomp (text);
  g_assert_cmpuint (strlen (text), <, SIM_JSON_PIECE);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (guint boundary = 0; boundary < 2; boundary++)
      {
        /* The object ends where it does, or on the last byte of the file's first piece. */
        gsize pad = boundary ? SIM_JSON_PIECE - strlen (text) : 0;
        g_autofree char *padding = g_strnfill (pad, ' ');
        g_autofree char *file = g_strconcat (padding, text, cases[c].after, NULL);
        g_autofree char *path = g_build_filename (dir, "after.json", NULL);

        g_assert_true (g_file_set_contents (path, file, -1, NULL));
        g_assert_cmpint (check_file (path), ==, cases[c].read);
        g_assert_cmpint (g_remove (path), ==, 0);
      }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Bad files keep the tree reader's messages, at their places; a folder or a missing file
 * keeps the opening's message. */
static void
test_messages (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mdp-stream-XXXXXX", NULL);
  const char *texts[][2] = {
    { "{\"states\": 2,\n \"actions\": 1,\n \"features\": [[1], [0]],\n \"transitions\": "
      "[[0, 0, 1, 1], [1, 0, 1, 1]],\n \"start\": [0],\n \"trajectories\": [[0, 5]]}",
      "trajectories[0], step 1: state 5 is out of range (0 to 1)" },
    { "{\"states\": 2,\n \"actions\": 1,\n \"features\": [[1], [0]],\n \"transitions\": "
      "[[0, 0, 1, 1] [1, 0, 1, 1]]}", ":4:31: not valid JSON: unexpected character "
      "(expected ',' or ']')" },
    { "{\"states\": 2, \"states\": 3}", "\"actions\" is missing" },
    { "{\"states\": 2, \"actions\": 1, \"features\": \"one-hot\", \"n_features\": 3}",
      "\"n_features\" is 3, but one-hot features need one per state (2)" },
    { "[1, 2]", "expected a JSON object at the top level" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/bad-%u.json", dir, i);
      g_autofree char *loaded = NULL;

      g_assert_true (g_file_set_contents (path, texts[i][0], -1, NULL));
      g_assert_false (check_file (path));
      loaded = load_result (path);
      g_assert_true (g_str_has_prefix (loaded, "error: "));
      g_assert_nonnull (strstr (loaded, path));
      g_assert_true (g_str_has_suffix (loaded, texts[i][1]));
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
    g_autoptr (SimMdp) mdp = sim_mdp_stream_load (dir, MAX_FILE_SIZE, NULL, &error);
    g_autoptr (SimMdp) none = NULL;
    g_autoptr (SimMdp) loaded = NULL;
    g_autoptr (GError) load_error = NULL;

    g_assert_null (mdp);
    g_assert_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_IO);
    g_assert_true (g_str_has_suffix (error->message, "not a regular file (expected an MDP "
                                     "JSON file)"));
    g_clear_error (&error);
    none = sim_mdp_stream_load (missing, MAX_FILE_SIZE, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_IO);
    loaded = sim_mdp_load_json (missing, NULL, &load_error);
    g_assert_null (loaded);
    g_assert_cmpstr (load_error->message, ==, error->message);
  }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/world/mdp-stream/corpora", test_corpora);
  g_test_add_func ("/engine/world/mdp-stream/written", test_written);
  g_test_add_func ("/engine/world/mdp-stream/messages", test_messages);
  g_test_add_func ("/engine/world/mdp-stream/after-object", test_after_object);
  return g_test_run ();
}
