/* test-fuzz-regressions.c: inputs the fuzzers in tests/fuzz once broke, kept as tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file in tests/fuzz/regressions/ is named after the loader it broke (level-*,
 * experiment-*, demos-*, mdp-*; markdown-* are loaded by tests/ui/test-fuzz-regressions.c)
 * and gets a test case of its own that holds it to the contract its fuzz target enforces:
 * refused with a UTF-8 message that names the file, or loaded and written back without
 * change. Some inputs also get a test that pins the exact behaviour that was fixed.
 * Assertions do not abort, so one broken loader does not hide the results of the others.
 */
#include "config.h"

#include <string.h>

#include "sim.h"
#include "sim-demos.h"
#include "sim-experiment.h"
#include "sim-mdp.h"

static char *
regression_path (const char *name)
{
  const char *root = g_getenv ("MESASCOPE_SOURCE_DIR");

  /* meson test sets this; run by hand with MESASCOPE_SOURCE_DIR=<source tree>. */
  return g_build_filename (root != NULL ? root : ".", "tests", "fuzz", "regressions", name, NULL);
}

static char *
read_regression (const char *name,
                 gsize      *length)
{
  g_autofree char *path = regression_path (name);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* A refusal: an error in the loader's domain whose UTF-8 message starts with "NAME:". */
static void
check_refusal (const GError *error,
               GQuark        domain,
               const char   *name)
{
  g_autofree char *prefix = g_strconcat (name, ":", NULL);

  if (error == NULL)
    {
      g_test_fail_printf ("%s: refused without an error", name);
      return;
    }
  g_assert_cmpstr (g_quark_to_string (error->domain), ==, g_quark_to_string (domain));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (!g_str_has_prefix (error->message, prefix))
    g_test_fail_printf ("%s: message does not start with the file name: %s", name,
                        error->message);
}

/* The level contract: a positioned error, or a level that writes and reads back equal. */
static void
check_level (const char *data,
             gsize       length,
             const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = sim_level_parse (data, (gssize) length, name, &error);
  g_autoptr (SimLevel) again = NULL;
  g_autofree char *text = NULL;

  if (level == NULL)
    {
      check_refusal (error, SIM_LEVEL_ERROR, name);
      return;
    }
  g_assert_no_error (error);
  text = sim_level_to_string (level);
  again = sim_level_parse (text, -1, "round-trip", &error);
  g_assert_no_error (error);
  g_assert_true (again != NULL && sim_level_equal (level, again));
}

static void
assert_same_experiment (const SimExperiment *a,
                        const SimExperiment *b)
{
  g_assert_cmpint (a->config.scenario, ==, b->config.scenario);
  g_assert_cmpint (a->config.agent, ==, b->config.agent);
  g_assert_cmpint (a->config.optimizer, ==, b->config.optimizer);
  g_assert_cmpint (a->config.perception, ==, b->config.perception);
  g_assert_cmpint (a->config.perception_param, ==, b->config.perception_param);
  g_assert_cmpint (a->config.diversity, ==, b->config.diversity);
  g_assert_cmpint (!a->config.near_corner, ==, !b->config.near_corner);
  g_assert_cmpint (a->config.grid, ==, b->config.grid);
  g_assert_cmpint (a->config.iterations, ==, b->config.iterations);
  g_assert_cmpuint (a->config.seed, ==, b->config.seed);
  g_assert_cmpint (a->config.infer_every, ==, b->config.infer_every);

  g_assert_cmpint (a->n_history, ==, b->n_history);
  if (a->n_history > 0 && a->n_history == b->n_history)
    {
      gsize size = sizeof (double) * a->n_history;

      g_assert_cmpmem (a->train_target, size, b->train_target, size);
      g_assert_cmpmem (a->test_target, size, b->test_target, size);
      g_assert_cmpmem (a->test_proxy, size, b->test_proxy, size);
    }
  g_assert_cmpint (a->n_inferences, ==, b->n_inferences);
  if (a->n_inferences > 0 && a->n_inferences == b->n_inferences)
    {
      g_assert_cmpint (a->n_features, ==, b->n_features);
      g_assert_cmpmem (a->inference_iteration, sizeof (int) * a->n_inferences,
                       b->inference_iteration, sizeof (int) * b->n_inferences);
      if (a->n_features == b->n_features)
        g_assert_cmpmem (a->inferred, sizeof (double) * a->n_inferences * a->n_features,
                         b->inferred, sizeof (double) * b->n_inferences * b->n_features);
    }
}

/* The experiment contract: a refusal, or an experiment whose JSON reads back with the same
 * configuration and history bytes, and is written again identically. */
static void
check_experiment (const char *data,
                  gsize       length,
                  const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimExperiment) experiment = sim_experiment_parse (data, (gssize) length, name,
                                                               &error);
  g_autoptr (SimExperiment) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  if (experiment == NULL)
    {
      check_refusal (error, SIM_EXPERIMENT_ERROR, name);
      return;
    }
  g_assert_no_error (error);
  json = sim_experiment_to_json (experiment);
  again = sim_experiment_parse (json, -1, "round-trip", &error);
  g_assert_no_error (error);
  if (again == NULL)
    return;
  assert_same_experiment (experiment, again);
  json_again = sim_experiment_to_json (again);
  g_assert_cmpstr (json, ==, json_again);
}

/* The demos contract: a refusal, or demos that write and read back equal. */
static void
check_demos (const char *data,
             gsize       length,
             const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimDemos) demos = sim_demos_parse (data, (gssize) length, name, &error);
  g_autoptr (SimDemos) again = NULL;
  g_autofree char *text = NULL;

  if (demos == NULL)
    {
      check_refusal (error, SIM_DEMOS_ERROR, name);
      return;
    }
  g_assert_no_error (error);
  text = sim_demos_to_string (demos);
  again = sim_demos_parse (text, -1, "round-trip", &error);
  g_assert_no_error (error);
  if (again == NULL)
    return;
  g_assert_cmpint (again->scenario, ==, demos->scenario);
  g_assert_cmpint (!again->near_corner, ==, !demos->near_corner);
  g_assert_cmpuint (again->levels->len, ==, demos->levels->len);
  for (guint i = 0; i < MIN (demos->levels->len, again->levels->len); i++)
    g_assert_true (sim_level_equal (g_ptr_array_index (demos->levels, i),
                                    g_ptr_array_index (again->levels, i)));
  g_assert_cmpuint (again->trajectories->len, ==, demos->trajectories->len);
  for (guint i = 0; i < MIN (demos->trajectories->len, again->trajectories->len); i++)
    {
      const SimDemoTrajectory *a = &g_array_index (demos->trajectories, SimDemoTrajectory, i);
      const SimDemoTrajectory *b = &g_array_index (again->trajectories, SimDemoTrajectory, i);

      g_assert_cmpint (a->level, ==, b->level);
      g_assert_cmpmem (a->cells, sizeof (int) * a->length, b->cells, sizeof (int) * b->length);
    }
}

/* The MDP file contract: a refusal, or an MDP that writes, reads back and writes the same. */
static void
check_mdp (const char *data,
           gsize       length,
           const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) trajectories = NULL;
  g_autoptr (GPtrArray) trajectories_again = NULL;
  g_autoptr (SimMdp) mdp = sim_mdp_parse_json (data, (gssize) length, name, &trajectories,
                                               &error);
  g_autoptr (SimMdp) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  if (mdp == NULL)
    {
      check_refusal (error, SIM_MDP_ERROR, name);
      return;
    }
  g_assert_no_error (error);
  text = sim_mdp_to_json (mdp, trajectories);
  again = sim_mdp_parse_json (text, -1, "round-trip", &trajectories_again, &error);
  g_assert_no_error (error);
  if (again == NULL)
    return;
  text_again = sim_mdp_to_json (again, trajectories_again);
  g_assert_cmpstr (text_again, ==, text);
}

/* One regression input, through the contract of the loader its name starts with. */
static void
test_input (gconstpointer user_data)
{
  const char *name = user_data;
  gsize length = 0;
  g_autofree char *data = read_regression (name, &length);

  if (data == NULL)
    return;
  if (g_str_has_prefix (name, "level-"))
    check_level (data, length, name);
  else if (g_str_has_prefix (name, "experiment-"))
    check_experiment (data, length, name);
  else if (g_str_has_prefix (name, "demos-"))
    check_demos (data, length, name);
  else if (g_str_has_prefix (name, "mdp-"))
    check_mdp (data, length, name);
  else
    g_test_fail_printf ("%s: a regression input must start with level-, experiment-, demos-, "
                        "mdp- or markdown-", name);
}

/* json-glib 1.6 wrote 1e-300 as "1e-300.0", so a saved history with such a value could not be
 * opened again. */
static void
test_experiment_exponent_double (void)
{
  const char *name = "experiment-exponent-double.mesascope";
  gsize length = 0;
  g_autofree char *data = read_regression (name, &length);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimExperiment) experiment = sim_experiment_parse (data, (gssize) length, name,
                                                               &error);
  g_autoptr (SimExperiment) again = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  if (experiment == NULL)
    return;
  g_assert_cmpfloat (experiment->train_target[0], ==, 1e-300);
  g_assert_cmpfloat (experiment->inferred[0], ==, 1e-20);
  json = sim_experiment_to_json (experiment);
  g_assert_null (strstr (json, "e-300.0"));
  g_assert_null (strstr (json, "e-20.0"));
  again = sim_experiment_parse (json, -1, "round-trip", &error);
  g_assert_no_error (error);
  if (again != NULL)
    assert_same_experiment (experiment, again);
}

/* json-glib 1.6 does not check string escapes: it turned "\ud800" into bytes that are not
 * UTF-8 (which reached messages and GTK labels) and leaked memory on a broken surrogate pair.
 * The loader now refuses such escapes itself, at their position. */
static void
test_experiment_bad_escapes (void)
{
  const struct
  {
    const char *name;
    const char *position;
  } cases[] = {
    { "experiment-lone-surrogate-key.mesascope", ":3:54:" },
    { "experiment-lone-surrogate-value.mesascope", ":2:30:" },
    { "experiment-broken-surrogate-pair.mesascope", ":1:91:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = 0;
      g_autofree char *data = read_regression (cases[i].name, &length);
      g_autofree char *prefix = g_strconcat (cases[i].name, cases[i].position, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (SimExperiment) experiment = sim_experiment_parse (data, (gssize) length,
                                                                   cases[i].name, &error);

      g_assert_null (experiment);
      g_assert_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_PARSE);
      if (error == NULL)
        continue;
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_nonnull (strstr (error->message, "unpaired surrogate"));
    }
}

/* json-glib 1.6 leaked memory on a broken surrogate pair outside a string, which the check
 * of string escapes did not see. The scan of the grammar now refuses these inputs at their
 * first byte out of place (the '/' where a member name belongs), before the parser; a
 * backslash outside a string is refused at its place too. */
static void
test_backslash_outside_string (void)
{
  const char *names[] = {
    "demos-backslash-outside-string.json",
    "experiment-backslash-outside-string.mesascope",
    "mdp-backslash-outside-string.json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize length = 0;
      g_autofree char *data = read_regression (names[i], &length);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) trajectories = NULL;
      g_autoptr (SimDemos) demos = NULL;
      g_autoptr (SimExperiment) experiment = NULL;
      g_autoptr (SimMdp) mdp = NULL;

      if (i == 0)
        demos = sim_demos_parse (data, (gssize) length, names[i], &error);
      else if (i == 1)
        experiment = sim_experiment_parse (data, (gssize) length, names[i], &error);
      else
        mdp = sim_mdp_parse_json (data, (gssize) length, names[i], &trajectories, &error);
      g_assert_true (demos == NULL && experiment == NULL && mdp == NULL);
      g_assert_nonnull (error);
      if (error == NULL)
        continue;
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, names[i]));
      g_assert_nonnull (strstr (error->message, ":1:2: not valid JSON: "));
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SimExperiment) experiment = sim_experiment_parse ("{\"format\": \\ud83d\\ud800}",
                                                                 -1, "b.mesascope", &error);

    g_assert_null (experiment);
    g_assert_nonnull (error);
    if (error != NULL)
      g_assert_cmpstr (error->message, ==, "b.mesascope:1:12: not valid JSON: a backslash "
                       "outside a string");
  }
}

/* json-glib 1.6 reads "{…}{…}" or "2{…}" as the first value and leaks the rest: the first
 * case loaded a file with junk appended as if it were clean. Both are now refused at the
 * position where the second value starts. */
static void
test_experiment_trailing_value (void)
{
  const struct
  {
    const char *name;
    const char *position;
  } cases[] = {
    { "experiment-second-object.mesascope", ":5:" },
    { "experiment-number-then-object.mesascope", ":1:2:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = 0;
      g_autofree char *data = read_regression (cases[i].name, &length);
      g_autofree char *prefix = g_strconcat (cases[i].name, cases[i].position, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (SimExperiment) experiment = sim_experiment_parse (data, (gssize) length,
                                                                   cases[i].name, &error);

      g_assert_null (experiment);
      g_assert_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_PARSE);
      if (error == NULL)
        continue;
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_nonnull (strstr (error->message, "after the end of the JSON data"));
    }
}

/* The demos loader meets the same two json-glib problems: a lone surrogate puts bytes that
 * are not UTF-8 into its message, and a second JSON value after the first must be refused,
 * not ignored (json-glib leaks it). */
static void
test_demos_lone_surrogate (void)
{
  const char *name = "demos-lone-surrogate.json";
  gsize length = 0;
  g_autofree char *data = read_regression (name, &length);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimDemos) demos = sim_demos_parse (data, (gssize) length, name, &error);

  g_assert_null (demos);
  if (demos == NULL)
    check_refusal (error, SIM_DEMOS_ERROR, name);
}

static void
test_demos_trailing_value (void)
{
  const char *name = "demos-second-object.json";
  gsize length = 0;
  g_autofree char *data = read_regression (name, &length);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimDemos) demos = sim_demos_parse (data, (gssize) length, name, &error);

  g_assert_null (demos);
  if (demos == NULL)
    check_refusal (error, SIM_DEMOS_ERROR, name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir_path = regression_path (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (!g_str_has_prefix (name, "markdown-"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  /* An empty folder would mean the tests run from the wrong place. */
  g_assert_cmpuint (names->len, >=, 1);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_strconcat ("/engine/fuzz-regressions/input/", file, NULL);

      g_test_add_data_func (path, file, test_input);
    }

  g_test_add_func ("/engine/fuzz-regressions/experiment-exponent-double",
                   test_experiment_exponent_double);
  g_test_add_func ("/engine/fuzz-regressions/backslash-outside-string",
                   test_backslash_outside_string);
  g_test_add_func ("/engine/fuzz-regressions/experiment-bad-escapes",
                   test_experiment_bad_escapes);
  g_test_add_func ("/engine/fuzz-regressions/experiment-trailing-value",
                   test_experiment_trailing_value);
  g_test_add_func ("/engine/fuzz-regressions/demos-lone-surrogate", test_demos_lone_surrogate);
  g_test_add_func ("/engine/fuzz-regressions/demos-trailing-value", test_demos_trailing_value);

  /* From here on, a failed assertion fails its test case and the others still run; the checks
   * above this line abort. */
  g_test_set_nonfatal_assertions ();
  return g_test_run ();
}
