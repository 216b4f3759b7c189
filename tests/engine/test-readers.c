/* test-readers.c: every file loader reads regular files only, within a size cap, refuses
 * deep nesting and NUL characters at their place, and checks counts before building a tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sim.h"
#include "sim-demos.h"
#include "sim-experiment.h"
#include "sim-json.h"
#include "sim-level.h"
#include "sim-mdp.h"

#define EXPERIMENT_CONFIG \
  "\"config\": {\"scenario\": \"coin\", \"agent\": \"planner\", \"optimizer\": \"pgn\", " \
  "\"perception\": \"full\", \"diversity\": 0, \"near_corner\": true, \"grid\": 8, " \
  "\"iterations\": %d, \"seed\": 1, \"infer_every\": 1}"

typedef enum
{
  LOADER_LEVEL,
  LOADER_DEMOS,
  LOADER_MDP,
  LOADER_EXPERIMENT,
  N_LOADERS
} Loader;

static const char *loader_names[N_LOADERS] = { "level", "demos", "MDP", "experiment" };

/* Loads path with a loader; returns whether it loaded, with error set otherwise. */
static gboolean
load_file (Loader       loader,
           const char  *path,
           GError     **error)
{
  switch (loader)
    {
    case LOADER_LEVEL:
      {
        g_autoptr (SimLevel) level = sim_level_load (path, error);
        return level != NULL;
      }
    case LOADER_DEMOS:
      {
        g_autoptr (SimDemos) demos = sim_demos_load (path, error);
        return demos != NULL;
      }
    case LOADER_MDP:
      {
        g_autoptr (GPtrArray) trajectories = NULL;
        g_autoptr (SimMdp) mdp = sim_mdp_load_json (path, &trajectories, error);
        return mdp != NULL;
      }
    case LOADER_EXPERIMENT:
    case N_LOADERS:
    default:
      {
        g_autoptr (SimExperiment) experiment = sim_experiment_load (path, error);
        return experiment != NULL;
      }
    }
}

/* Parses text with the JSON loader i (demos, MDP, experiment); returns the error message. */
static char *
parse_json (Loader      loader,
            const char *text,
            gsize       length,
            const char *filename)
{
  g_autoptr (GError) error = NULL;
  gboolean loaded;

  if (loader == LOADER_DEMOS)
    {
      g_autoptr (SimDemos) demos = sim_demos_parse (text, (gssize) length, filename, &error);
      loaded = demos != NULL;
    }
  else if (loader == LOADER_MDP)
    {
      g_autoptr (GPtrArray) trajectories = NULL;
      g_autoptr (SimMdp) mdp = sim_mdp_parse_json (text, (gssize) length, filename,
                                                   &trajectories, &error);
      loaded = mdp != NULL;
    }
  else
    {
      g_autoptr (SimExperiment) experiment = sim_experiment_parse (text, (gssize) length,
                                                                   filename, &error);
      loaded = experiment != NULL;
    }
  g_assert_false (loaded);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", loader_names[loader], error != NULL ? error->message : "loaded");
  return error != NULL ? g_strdup (error->message) : g_strdup ("");
}

/* "[[[[…" 100000 deep overflowed json-glib's recursive parser: refused at the 65th. */
static void
test_deep_nesting (void)
{
  gsize n = 100000;
  g_autofree char *deep = g_malloc (n + 1);
  g_autofree char *nested = NULL;
  SimJsonScan scan;

  memset (deep, '[', n);
  deep[n] = '\0';
  for (Loader loader = LOADER_DEMOS; loader < N_LOADERS; loader++)
    {
      g_autofree char *message = parse_json (loader, deep, n, "deep.json");

      g_assert_cmpstr (message, ==, "deep.json:1:65: not valid JSON: nesting deeper than 64 "
                       "levels of arrays and objects");
    }
  /* Inside an object, across lines, and with brackets in strings that do not count. */
  {
    g_autofree char *open = g_strnfill (70, '[');
    g_autofree char *text = g_strconcat ("{\"a\": \"[[[[\",\n \"b\": ", open, NULL);
    g_autofree char *message = parse_json (LOADER_EXPERIMENT, text, strlen (text), "d.json");

    g_assert_cmpstr (message, ==, "d.json:2:70: not valid JSON: nesting deeper than 64 levels "
                     "of arrays and objects");
  }
  /* 64 levels are fine. */
  {
    g_autofree char *open = g_strnfill (63, '[');
    g_autofree char *close = g_strnfill (63, ']');

    nested = g_strconcat ("{\"a\": ", open, close, "}", NULL);
    sim_json_scan (nested, strlen (nested), &scan);
    g_assert_null (scan.bad);
    g_assert_cmpuint (scan.end, ==, strlen (nested));
  }
}

/* json-glib cut "coin\u0000evil" to "coin": a NUL in a string is refused at its place. */
static void
test_nul_in_string (void)
{
  const char *texts[] = {
    "{\"scenario\": \"coin\\u0000evil\", \"levels\": [], \"trajectories\": []}",
    "{\"states\": 1, \"actions\": 1, \"name\": \"coin\\u0000evil\"}",
    "{\"format\": \"mesascope-experiment\\u0000evil\", \"version\": 1}",
  };
  const char *wants[] = {
    "n.json:1:19: not valid JSON: a NUL character (\\u0000) in a string",
    "n.json:1:42: not valid JSON: a NUL character (\\u0000) in a string",
    "n.json:1:33: not valid JSON: a NUL character (\\u0000) in a string",
  };

  for (Loader loader = LOADER_DEMOS; loader < N_LOADERS; loader++)
    {
      const char *text = texts[loader - LOADER_DEMOS];
      g_autofree char *message = parse_json (loader, text, strlen (text), "n.json");

      g_assert_cmpstr (message, ==, wants[loader - LOADER_DEMOS]);
    }
}

/* Text that is not JSON is refused by the scan at its place, before any tree is built. */
static void
test_grammar (void)
{
  const struct { const char *text; const char *message; } cases[] = {
    { "{\"a\": [1, 2,]}", "g.json:1:13: not valid JSON: unexpected character (expected a value)" },
    { "{\"a\" 1}", "g.json:1:6: not valid JSON: unexpected character (expected ':' after a "
      "member name)" },
    { "{\"a\": 1 \"b\": 2}", "g.json:1:9: not valid JSON: unexpected character (expected ',' "
      "or '}')" },
    { "{\"a\": 1.}", "g.json:1:7: not valid JSON: invalid number" },
    { "{\"a\": tru}", "g.json:1:7: not valid JSON: unexpected character (expected a value)" },
    { "{\"a\": \"x\ty\"}", "g.json:1:9: not valid JSON: a control character in a string "
      "(expected it as an escape)" },
    { "{\"a\": [1, 2}", "g.json:1:12: not valid JSON: unexpected character (expected ',' or "
      "']')" },
    { "{\"a\": \"x", "g.json:1:9: not valid JSON: unexpected end of the file in a string" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = parse_json (LOADER_EXPERIMENT, cases[i].text,
                                             strlen (cases[i].text), "g.json");

      g_assert_cmpstr (message, ==, cases[i].message);
    }
}

/* A FIFO (which hung the experiment loader), a link to a device that never ends and a folder
 * are refused by every loader without reading them. */
static void
test_not_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mesascope-readers-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *link = g_build_filename (dir, "zero", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder", NULL);
  const char *paths[3];

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", link), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  paths[0] = fifo;
  paths[1] = link;
  paths[2] = folder;
  for (Loader loader = 0; loader < N_LOADERS; loader++)
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr (GError) error = NULL;

        g_assert_false (load_file (loader, paths[i], &error));
        g_assert_nonnull (error);
        g_test_message ("%s: %s", loader_names[loader], error->message);
        g_assert_true (g_str_has_prefix (error->message, paths[i]));
        g_assert_nonnull (strstr (error->message, ": not a regular file (expected "));
      }
  g_unlink (fifo);
  g_unlink (link);
  g_rmdir (folder);
  g_rmdir (dir);
}

/* A file one byte over a loader's cap is refused from its size (sparse files: nothing is
 * written to disk). */
static void
test_too_large (void)
{
  const gint64 caps[N_LOADERS] = { 4 * 1024 * 1024, SIM_DEMOS_MAX_FILE_SIZE,
                                   (gint64) 512 * 1024 * 1024, SIM_EXPERIMENT_MAX_FILE_SIZE };
  g_autofree char *dir = g_dir_make_tmp ("mesascope-readers-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big", NULL);

  for (Loader loader = 0; loader < N_LOADERS; loader++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *want = g_strdup_printf ("(%" G_GINT64_FORMAT " bytes; ",
                                               caps[loader] + 1);
      int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (ftruncate (fd, caps[loader] + 1), ==, 0);
      close (fd);
      g_assert_false (load_file (loader, path, &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", loader_names[loader], error->message);
      g_assert_nonnull (strstr (error->message, ": file too large "));
      g_assert_nonnull (strstr (error->message, want));
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* An experiment holds at most SIM_EXPERIMENT_MAX_HISTORY entries, an inference per
 * iteration and one before, with the features of its run. */
static void
test_experiment_limits (void)
{
  g_autoptr (GString) text = g_string_new ("{\"format\": \"mesascope-experiment\", \"version\": 1, ");
  g_autofree char *message = NULL;

  g_string_append_printf (text, EXPERIMENT_CONFIG ", \"history\": [", 100000);
  for (int i = 0; i <= SIM_EXPERIMENT_MAX_HISTORY; i++)
    g_string_append (text, i == 0 ? "{\"iteration\": 1}" : ",{\"iteration\": 1}");
  g_string_append (text, "]}");
  message = parse_json (LOADER_EXPERIMENT, text->str, text->len, "h.mesascope");
  g_assert_cmpstr (message, ==, "h.mesascope: history has 100001 entries (a file holds at most "
                   "100000, the most iterations a run has)");

  {
    g_autofree char *features = g_strdup_printf (
      "{\"format\": \"mesascope-experiment\", \"version\": 1, " EXPERIMENT_CONFIG ", "
      "\"inference\": {\"features\": 2, \"runs\": [{\"iteration\": 1, \"inferred\": [1, 0]}]}}",
      4);
    g_autofree char *m = parse_json (LOADER_EXPERIMENT, features, strlen (features),
                                     "f.mesascope");

    g_assert_cmpstr (m, ==, "f.mesascope: inference: “features” is 2, but a coin run with "
                     "near_corner has 7 features");
  }
  {
    g_autoptr (GString) runs = g_string_new ("{\"format\": \"mesascope-experiment\", "
                                             "\"version\": 1, ");
    g_autofree char *m = NULL;

    g_string_append_printf (runs, EXPERIMENT_CONFIG ", \"inference\": {\"features\": 7, "
                            "\"runs\": [", 2);
    for (int i = 0; i < 4; i++)
      g_string_append_printf (runs, "%s{\"iteration\": 1, \"inferred\": [1, 0, 0, 0, 0, 0, 0]}",
                              i == 0 ? "" : ", ");
    g_string_append (runs, "]}}");
    m = parse_json (LOADER_EXPERIMENT, runs->str, runs->len, "r.mesascope");
    g_assert_cmpstr (m, ==, "r.mesascope: inference: 4 runs, more than the 2 iterations "
                     "configured and one before them");
  }
}

/* The members of the top-level object, found by the scan: the last of equal names, counts of
 * array elements whatever they hold, and none when a name holds escapes. */
static void
test_members (void)
{
  const char *text = "{\"a\": [{\"a\": [1, 2, 3]}, {\"b\": {}}, [[]], \"]\"],\n"
                     " \"b\": {\"c\": [1]}, \"c\": 12, \"c\": [ ], \"d\": \"x\"}";
  SimJsonMember members[] = { { .name = "a" }, { .name = "b" }, { .name = "c" },
                              { .name = "d" }, { .name = "e" } };
  SimJsonScan scan;

  sim_json_scan_members (text, strlen (text), &scan, members, G_N_ELEMENTS (members));
  g_assert_null (scan.bad);
  g_assert_true (sim_json_member_is_array (&members[0]));
  g_assert_cmpuint (members[0].n_elements, ==, 4);
  g_assert_cmpuint (members[0].length, ==, strlen ("[{\"a\": [1, 2, 3]}, {\"b\": {}}, [[]], \"]\"]"));
  g_assert_false (sim_json_member_is_array (&members[1]));
  g_assert_cmpmem (members[1].value, members[1].length, "{\"c\": [1]}", 10);
  g_assert_true (sim_json_member_is_array (&members[2]));
  g_assert_cmpuint (members[2].n_elements, ==, 0);
  g_assert_cmpmem (members[3].value, members[3].length, "\"x\"", 3);
  g_assert_null (members[4].value);

  text = "{\"a\": [1], \"\\u0061\": [1, 2]}";
  sim_json_scan_members (text, strlen (text), &scan, members, G_N_ELEMENTS (members));
  g_assert_null (scan.bad);
  g_assert_null (members[0].value);
}

static glong
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* An MDP or demos file whose counts are wrong is refused before the parser builds its tree
 * (some 25 bytes of memory for each byte of numbers). The peak memory of the process may
 * rise by the file at most, not by the tree. */
static void
test_counts_before_tree (void)
{
  g_autoptr (GString) mdp = g_string_new ("{\"states\": 2, \"actions\": 1, \"transitions\": [");
  g_autoptr (GString) demos = NULL;
  g_autofree char *message = NULL;
  glong before, after;

  for (int i = 0; i < 4000000; i++)
    g_string_append (mdp, i == 0 ? "[0,0,1,1]" : ",[0,0,1,1]");
  g_string_append (mdp, "], \"features\": [[0], [1]], \"start\": [0], \"trajectories\": []}");
  before = peak_rss_kib ();
  message = parse_json (LOADER_MDP, mdp->str, mdp->len, "big.json");
  after = peak_rss_kib ();
  g_test_message ("%zu bytes: peak rose by %ld KiB", mdp->len, after - before);
  g_assert_cmpstr (message, ==, "big.json: \"trajectories\" is empty (expected at least one "
                   "trajectory)");
  g_assert_cmpint ((after - before) * 1024, <, (glong) mdp->len);
  g_clear_pointer (&message, g_free);

  /* The same messages as the checks on the tree. */
  {
    const char *text = "{\"states\": 3, \"actions\": 1, \"features\": [[0], [1]], "
                       "\"trajectories\": [[0]]}";

    message = parse_json (LOADER_MDP, text, strlen (text), "f.json");
    g_assert_cmpstr (message, ==, "f.json: \"features\" has 2 rows (expected one per state, 3)");
    g_clear_pointer (&message, g_free);
  }
  demos = g_string_new ("{\"scenario\": \"coin\", \"levels\": [");
  for (int i = 0; i <= SIM_DEMOS_MAX_LEVELS; i++)
    g_string_append (demos, i == 0 ? "\"\"" : ", \"\"");
  g_string_append (demos, "], \"trajectories\": []}");
  message = parse_json (LOADER_DEMOS, demos->str, demos->len, "d.json");
  g_assert_cmpstr (message, ==, "d.json: \"levels\" has 4097 entries (expected 1 to 4096)");
}

/* The node readers every loader shares: what counts as a number and as a whole number, and
 * the message sim_json_fail() sets. */
static void
test_node_readers (void)
{
  static const struct
  {
    const char *json;
    gboolean number;
    double value;
    gboolean integer;
    gint64 whole;
  } cases[] = {
    { "3", TRUE, 3.0, TRUE, 3 },
    { "-2.5", TRUE, -2.5, FALSE, 0 },
    { "4.0", TRUE, 4.0, TRUE, 4 },
    { "1e400", TRUE, INFINITY, FALSE, 0 },
    { "true", FALSE, 0.0, FALSE, 0 },
    { "\"7\"", FALSE, 0.0, FALSE, 0 },
    { "null", FALSE, 0.0, FALSE, 0 },
    { "[1]", FALSE, 0.0, FALSE, 0 },
  };
  g_autoptr (GError) error = NULL;
  SimJsonCtx ctx = { "f.json", SIM_MDP_ERROR, &error };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = json_from_string (cases[i].json, NULL);
      double value = -99.0;
      gint64 whole = -99;

      g_assert_nonnull (node);
      g_assert_cmpint (sim_json_node_get_number (node, &value), ==, cases[i].number);
      if (cases[i].number)
        g_assert_cmpfloat (value, ==, cases[i].value);
      else
        g_assert_cmpfloat (value, ==, -99.0);
      g_assert_cmpint (sim_json_node_get_int (node, &whole), ==, cases[i].integer);
      g_assert_cmpint (whole, ==, cases[i].integer ? cases[i].whole : -99);
    }
  g_assert_false (sim_json_node_get_number (NULL, NULL));

  g_assert_false (sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "row %d is %s", 3, "short"));
  g_assert_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "f.json: row 3 is short");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/readers/deep-nesting", test_deep_nesting);
  g_test_add_func ("/engine/readers/nul-in-string", test_nul_in_string);
  g_test_add_func ("/engine/readers/grammar", test_grammar);
  g_test_add_func ("/engine/readers/not-regular", test_not_regular);
  g_test_add_func ("/engine/readers/too-large", test_too_large);
  g_test_add_func ("/engine/readers/experiment-limits", test_experiment_limits);
  g_test_add_func ("/engine/readers/members", test_members);
  g_test_add_func ("/engine/readers/counts-before-tree", test_counts_before_tree);
  g_test_add_func ("/engine/readers/node-readers", test_node_readers);
  return g_test_run ();
}
