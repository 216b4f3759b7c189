/* test-fuzz-regressions.c: inputs the fuzzers in tests/fuzz once broke, kept as tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file in tests/fuzz/regressions/ is named after the loader it broke (level-*,
 * experiment-*) and is checked against the contract its fuzz target enforces: refused with
 * a message that names the file, or loaded and written back without change. Some inputs
 * also get a test of their own that pins the exact behaviour that was fixed.
 */
#include "config.h"

#include <string.h>

#include "sim.h"
#include "sim-experiment.h"

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
  g_autofree char *prefix = g_strconcat (name, ":", NULL);

  if (level == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == SIM_LEVEL_ERROR);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert_no_error (error);
  text = sim_level_to_string (level);
  again = sim_level_parse (text, -1, "round-trip", &error);
  g_assert_no_error (error);
  g_assert_true (sim_level_equal (level, again));
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
  if (a->n_history > 0)
    {
      gsize size = sizeof (double) * a->n_history;

      g_assert_cmpmem (a->train_target, size, b->train_target, size);
      g_assert_cmpmem (a->test_target, size, b->test_target, size);
      g_assert_cmpmem (a->test_proxy, size, b->test_proxy, size);
    }
  g_assert_cmpint (a->n_inferences, ==, b->n_inferences);
  if (a->n_inferences > 0)
    {
      gsize size = sizeof (double) * a->n_inferences * a->n_features;

      g_assert_cmpint (a->n_features, ==, b->n_features);
      g_assert_cmpmem (a->inference_iteration, sizeof (int) * a->n_inferences,
                       b->inference_iteration, sizeof (int) * b->n_inferences);
      g_assert_cmpmem (a->inferred, size, b->inferred, size);
    }
}

/* The experiment contract: an error naming the file, or an experiment whose JSON reads back
 * with the same configuration and history bytes, and is written again identically. */
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
  g_autofree char *prefix = g_strconcat (name, ":", NULL);

  if (experiment == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == SIM_EXPERIMENT_ERROR);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert_no_error (error);
  json = sim_experiment_to_json (experiment);
  again = sim_experiment_parse (json, -1, "round-trip", &error);
  g_assert_no_error (error);
  assert_same_experiment (experiment, again);
  json_again = sim_experiment_to_json (again);
  g_assert_cmpstr (json, ==, json_again);
}

/* Every regression input, through the contract of the loader its name starts with. */
static void
test_all_inputs (void)
{
  g_autofree char *dir_path = regression_path (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  const char *name;
  int checked = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *data = NULL;
      gsize length = 0;

      g_test_message ("%s", name);
      data = read_regression (name, &length);
      if (g_str_has_prefix (name, "level-"))
        check_level (data, length, name);
      else if (g_str_has_prefix (name, "experiment-"))
        check_experiment (data, length, name);
      else
        g_error ("%s: a regression input must start with level- or experiment-", name);
      checked++;
    }
  g_assert_cmpint (checked, >=, 1);
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
  g_assert_cmpfloat (experiment->train_target[0], ==, 1e-300);
  g_assert_cmpfloat (experiment->inferred[0], ==, 1e-20);
  json = sim_experiment_to_json (experiment);
  g_assert_null (strstr (json, "e-300.0"));
  g_assert_null (strstr (json, "e-20.0"));
  again = sim_experiment_parse (json, -1, "round-trip", &error);
  g_assert_no_error (error);
  assert_same_experiment (experiment, again);
}

/* json-glib turns "\ud800" into bytes that are not UTF-8 and quotes them in its messages; the
 * messages reach GTK labels, so they must stay valid UTF-8. */
static void
test_experiment_lone_surrogate (void)
{
  const char *names[] = {
    "experiment-lone-surrogate-key.mesascope",     /* inside json-glib's syntax error */
    "experiment-lone-surrogate-value.mesascope",   /* inside a value the loader quotes */
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize length = 0;
      g_autofree char *data = read_regression (names[i], &length);
      g_autoptr (GError) error = NULL;
      g_autoptr (SimExperiment) experiment = sim_experiment_parse (data, (gssize) length,
                                                                   names[i], &error);

      g_assert_null (experiment);
      g_assert_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, names[i]));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "\uFFFD"));
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
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_nonnull (strstr (error->message, "after the end of the JSON data"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/fuzz-regressions/all-inputs", test_all_inputs);
  g_test_add_func ("/engine/fuzz-regressions/experiment-exponent-double",
                   test_experiment_exponent_double);
  g_test_add_func ("/engine/fuzz-regressions/experiment-lone-surrogate",
                   test_experiment_lone_surrogate);
  g_test_add_func ("/engine/fuzz-regressions/experiment-trailing-value",
                   test_experiment_trailing_value);

  return g_test_run ();
}
