/* test-demos.c: demos files, their error messages, and inference from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "sim-demos.h"
#include "sim-irl.h"
#include "sim-mdp.h"
#include "sim-planner.h"
#include "sim-probes.h"
#include "sim-scenario.h"

static char *
corpus_path (const char *folder,
             const char *name)
{
  const char *root = g_getenv ("MESASCOPE_SOURCE_DIR");

  /* meson test sets this; run by hand with MESASCOPE_SOURCE_DIR=<source tree>. */
  if (root == NULL)
    root = ".";
  return g_build_filename (root, "tests", "engine", "demos", folder, name, NULL);
}

/* Every file of the bad corpus fails with exactly the message in expected.txt. */
static void
test_bad_corpus (void)
{
  g_autofree char *expected_path = corpus_path ("bad", "expected.txt");
  g_autofree char *bad_dir = corpus_path ("bad", "");
  g_autofree char *expected = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *name;
  guint n_checked = 0;

  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (expected, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *want = NULL;
      g_autoptr (SimDemos) demos = NULL;
      g_autoptr (GError) load_error = NULL;
      const char *space;
      char *file;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      space = strchr (lines[i], ' ');
      g_assert_nonnull (space);
      file = g_strndup (lines[i], space - lines[i]);
      path = corpus_path ("bad", file);
      /* A message at a place reads "PATH:LINE:COL: …", listed as ":LINE:COL: …". */
      want = g_strdup_printf ("%s%s%s", path, space[1] == ':' ? "" : ": ", space + 1);
      g_hash_table_add (listed, file);

      demos = sim_demos_load (path, &load_error);
      g_assert_null (demos);
      g_assert_nonnull (load_error);
      g_assert_true (load_error->domain == SIM_DEMOS_ERROR);
      g_test_message ("%s: %s", file, load_error->message);
      if (g_str_has_suffix (want, " ..."))
        {
          want[strlen (want) - 3] = '\0';
          if (!g_str_has_prefix (load_error->message, want))
            g_error ("%s: got '%s', expected the prefix '%s'", file, load_error->message, want);
          /* The rest names what went wrong. */
          g_assert_cmpuint (strlen (load_error->message), >, strlen (want) + 5);
        }
      else if (g_strcmp0 (load_error->message, want) != 0)
        {
          g_error ("%s: got '%s', expected '%s'", file, load_error->message, want);
        }
      n_checked++;
    }
  g_assert_cmpuint (n_checked, >=, 10);

  /* No file of the corpus is left unchecked. */
  dir = g_dir_open (bad_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json") && !g_hash_table_contains (listed, name))
      g_error ("%s is not listed in expected.txt", name);
}

static void
assert_same_demos (const SimDemos *a,
                   const SimDemos *b)
{
  g_assert_cmpint (a->scenario, ==, b->scenario);
  g_assert_cmpint (a->near_corner, ==, b->near_corner);
  g_assert_cmpuint (a->levels->len, ==, b->levels->len);
  for (guint i = 0; i < a->levels->len; i++)
    g_assert_true (sim_level_equal (g_ptr_array_index (a->levels, i),
                                    g_ptr_array_index (b->levels, i)));
  g_assert_cmpuint (a->trajectories->len, ==, b->trajectories->len);
  for (guint i = 0; i < a->trajectories->len; i++)
    {
      const SimDemoTrajectory *x = &g_array_index (a->trajectories, SimDemoTrajectory, i);
      const SimDemoTrajectory *y = &g_array_index (b->trajectories, SimDemoTrajectory, i);

      g_assert_cmpint (x->level, ==, y->level);
      g_assert_cmpmem (x->cells, x->length * sizeof (int), y->cells, y->length * sizeof (int));
    }
}

static void
test_round_trip (void)
{
  g_autofree char *path = corpus_path ("good", "small.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (SimDemos) demos = sim_demos_load (path, &error);
  g_autoptr (SimDemos) again = NULL;
  g_autoptr (SimDemos) saved = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *missing = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (demos->levels->len, ==, 2);
  g_assert_cmpuint (demos->trajectories->len, ==, 5);
  g_assert_cmpint (g_array_index (demos->trajectories, SimDemoTrajectory, 3).length, ==, 8);

  text = sim_demos_to_string (demos);
  again = sim_demos_parse (text, -1, "again.json", &error);
  g_assert_no_error (error);
  assert_same_demos (demos, again);

  dir = g_dir_make_tmp ("mesascope-demos-XXXXXX", &error);
  g_assert_no_error (error);
  out = g_build_filename (dir, "out.json", NULL);
  g_assert_true (sim_demos_save (demos, out, &error));
  g_assert_no_error (error);
  saved = sim_demos_load (out, &error);
  g_assert_no_error (error);
  assert_same_demos (demos, saved);

  /* A folder that does not exist: a clear error, nothing written. */
  missing = g_build_filename (dir, "no-such-folder", "x.json", NULL);
  g_assert_false (sim_demos_save (demos, missing, &error));
  g_assert_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO);
  g_assert_true (strstr (error->message, missing) != NULL);
  g_clear_error (&error);

  g_assert_cmpint (g_remove (out), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Inference from a demos file: one MDP per level, the trajectories on them. */
static gboolean
infer_from_demos (const SimDemos *demos,
                  SimIrlResult   *result)
{
  g_autoptr (SimIrl) irl = sim_irl_new_for_demos (demos, NULL);
  SimIrlOptions options;

  g_assert_nonnull (irl);
  g_assert_cmpint (sim_irl_get_n_mdps (irl), ==, demos->levels->len);
  g_assert_cmpint (sim_irl_get_n_trajectories (irl), ==, demos->trajectories->len);
  for (guint i = 0; i < demos->levels->len; i++)
    {
      const SimLevel *level = g_ptr_array_index (demos->levels, i);

      g_assert_cmpint (sim_irl_get_mdp (irl, i)->n_states, ==, level->width * level->height);
    }
  sim_irl_options_init (&options);
  options.uncertainty = TRUE;
  return sim_irl_solve (irl, NULL, &options, result, NULL);
}

static void
test_infer_small (void)
{
  g_autofree char *path = corpus_path ("good", "small.json");
  g_autoptr (SimDemos) demos = sim_demos_load (path, NULL);
  SimIrlResult result;
  double norm = 0.0;

  g_assert_nonnull (demos);
  g_assert_true (infer_from_demos (demos, &result));
  g_assert_true (result.converged);
  g_assert_cmpint (result.n_features, ==, 7);
  for (int j = 0; j < 7; j++)
    {
      g_assert_true (isfinite (result.theta[j]));
      g_assert_true (isfinite (result.uncertainty[j]));
      g_assert_cmpfloat (result.uncertainty[j], >=, 0.0);
      norm += result.unit[j] * result.unit[j];
    }
  g_assert_cmpfloat (fabs (norm - 1.0), <=, 1e-12);
  g_assert_true (isfinite (result.log_likelihood) && result.log_likelihood < 0.0);
  /* Two of five demonstrations take the coin, one walks into lava: coin above lava. */
  g_assert_cmpfloat (result.theta[0], >, result.theta[1]);
  sim_irl_result_clear (&result);
}

/* Trajectories that never move carry no information: θ = 0, and still no NaN. */
static void
test_no_steps (void)
{
  g_autofree char *path = corpus_path ("good", "small.json");
  g_autoptr (SimDemos) demos = sim_demos_load (path, NULL);
  g_autoptr (SimDemos) still = NULL;
  SimIrlResult result;
  const int start0 = 0;

  g_assert_nonnull (demos);
  still = sim_demos_new (demos->scenario, demos->near_corner);
  sim_demos_add_level (still, g_ptr_array_index (demos->levels, 0));
  g_assert_true (sim_demos_add_trajectory (still, 0, &start0, 1, NULL));
  g_assert_true (sim_demos_add_trajectory (still, 0, &start0, 1, NULL));
  g_assert_true (infer_from_demos (still, &result));
  for (int j = 0; j < result.n_features; j++)
    {
      g_assert_cmpfloat (result.theta[j], ==, 0.0);
      g_assert_cmpfloat (result.unit[j], ==, 0.0);
      g_assert_true (isfinite (result.uncertainty[j]));
    }
  g_assert_cmpfloat (result.log_likelihood, ==, 0.0);
  sim_irl_result_clear (&result);
}

static void
test_add_trajectory_checks (void)
{
  g_autofree char *path = corpus_path ("good", "small.json");
  g_autoptr (SimDemos) demos = sim_demos_load (path, NULL);
  g_autoptr (GError) error = NULL;
  const int jump[] = { 0, 2 };

  g_assert_nonnull (demos);
  g_assert_false (sim_demos_add_trajectory (demos, 0, jump, 2, &error));
  g_assert_cmpstr (error->message, ==, "step 1: (0, 0) → (2, 0) is not a single move");
  g_clear_error (&error);
  g_assert_false (sim_demos_add_trajectory (demos, 7, jump, 1, &error));
  g_assert_cmpstr (error->message, ==, "level 7 is out of range (there are 2 levels)");
  g_assert_cmpuint (demos->trajectories->len, ==, 5);
}

typedef struct
{
  double theta[SIM_MAX_FEATURES];
} Agent;

static SimPolicy *
agent_policy_cb (const SimLevel *level,
                 gpointer        user_data)
{
  Agent *agent = user_data;

  return sim_planner_policy (agent->theta, level, TRUE, SIM_PLANNER_BETA);
}

/* The probe battery's demonstrations, exported as a demos file and inferred from again, give
 * the battery's own estimate. */
static void
test_probes_export (void)
{
  Agent agent = { { 0.45, -0.35, 0.55, 0.05, 0.05, 0.45, -0.3 } };
  SimProbeParams params;
  g_autoptr (SimProbes) probes = NULL;
  g_autoptr (SimDemos) demos = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  SimProbeReadout readout, again;
  SimIrlResult result;

  sim_probe_params_init (&params, SIM_SCENARIO_COIN, 8, TRUE, 7);
  params.n_probes = 8;
  params.n_trajectories = 4;
  probes = sim_probes_new (&params, &error);
  g_assert_no_error (error);
  g_assert_null (sim_probes_dup_demos (probes));

  g_assert_true (sim_probes_update (probes, agent_policy_cb, &agent, agent.theta, &readout,
                                    &error));
  g_assert_no_error (error);
  g_assert_true (readout.converged);
  g_assert_true (isfinite (readout.cos_true));
  g_assert_cmpfloat (readout.predicted_target, >=, 0.0);
  g_assert_cmpfloat (readout.predicted_proxy + readout.predicted_target, <=, 1.0 + 1e-9);

  dir = g_dir_make_tmp ("mesascope-probes-XXXXXX", &error);
  g_assert_no_error (error);
  out = g_build_filename (dir, "probes.json", NULL);
  g_assert_true (sim_probes_export_demos (probes, out, &error));
  g_assert_no_error (error);
  demos = sim_demos_load (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (demos->levels->len, ==, 8);
  g_assert_cmpuint (demos->trajectories->len, ==, 32);

  g_assert_true (infer_from_demos (demos, &result));
  for (int j = 0; j < 7; j++)
    g_assert_cmpfloat (fabs (result.unit[j] - readout.inferred[j]), <=, 1e-3);
  sim_irl_result_clear (&result);

  /* Fixed sampling seeds: the same agent gives the same demonstrations and estimate. */
  g_assert_true (sim_probes_update (probes, agent_policy_cb, &agent, agent.theta, &again, NULL));
  for (int j = 0; j < 7; j++)
    g_assert_cmpfloat (fabs (again.inferred[j] - readout.inferred[j]), <=, 1e-4);

  g_assert_cmpint (g_remove (out), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/engine/infer/demos/bad-corpus", test_bad_corpus);
  g_test_add_func ("/engine/infer/demos/round-trip", test_round_trip);
  g_test_add_func ("/engine/infer/demos/add-trajectory-checks", test_add_trajectory_checks);
  g_test_add_func ("/engine/infer/demos/infer-small", test_infer_small);
  g_test_add_func ("/engine/infer/demos/no-steps", test_no_steps);
  g_test_add_func ("/engine/infer/demos/probes-export", test_probes_export);
  return g_test_run ();
}
