/* test-experiment.c: experiment files save, load bit for bit, and refuse bad input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sim.h"
#include "sim-experiment.h"
#include "sim-train-inference.h"
#include "sim-train.h"

static SimExperiment *
make_experiment (void)
{
  SimConfig config;
  SimExperiment *experiment;

  sim_config_init_default (&config);
  config.perception = SIM_PERCEPTION_HIDDEN;
  config.perception_param = 30;
  config.seed = 4242;
  config.iterations = 10;
  experiment = sim_experiment_new (&config);
  experiment->n_history = 7;
  experiment->train_target = g_new (double, 7);
  experiment->test_target = g_new (double, 7);
  experiment->test_proxy = g_new (double, 7);
  for (int i = 0; i < 7; i++)
    {
      /* Values that need all 17 digits to survive a round trip. */
      experiment->train_target[i] = 1.0 / (3.0 + i);
      experiment->test_target[i] = 0.1 * i / 7.0;
      experiment->test_proxy[i] = 1.0 - 1.0 / (7.0 + i * i);
    }
  experiment->n_features = 7;
  experiment->n_inferences = 2;
  experiment->inference_iteration = g_new (int, 2);
  experiment->inference_iteration[0] = 4;
  experiment->inference_iteration[1] = 8;
  experiment->inferred = g_new (double, 14);
  for (int i = 0; i < 14; i++)
    experiment->inferred[i] = sin (i * 1.7) / 1.0000001;
  return experiment;
}

static void
assert_same (const SimExperiment *a,
             const SimExperiment *b)
{
  g_assert_cmpmem (&a->config, sizeof a->config, &b->config, sizeof b->config);
  g_assert_cmpint (a->n_history, ==, b->n_history);
  g_assert_cmpmem (a->train_target, sizeof (double) * a->n_history,
                   b->train_target, sizeof (double) * b->n_history);
  g_assert_cmpmem (a->test_target, sizeof (double) * a->n_history,
                   b->test_target, sizeof (double) * b->n_history);
  g_assert_cmpmem (a->test_proxy, sizeof (double) * a->n_history,
                   b->test_proxy, sizeof (double) * b->n_history);
  g_assert_true ((a->train_keys == NULL) == (b->train_keys == NULL));
  if (a->train_keys != NULL)
    {
      g_assert_cmpmem (a->train_keys, sizeof (double) * a->n_history,
                       b->train_keys, sizeof (double) * b->n_history);
      g_assert_cmpmem (a->train_chests, sizeof (double) * a->n_history,
                       b->train_chests, sizeof (double) * b->n_history);
      g_assert_cmpmem (a->test_keys, sizeof (double) * a->n_history,
                       b->test_keys, sizeof (double) * b->n_history);
      g_assert_cmpmem (a->test_chests, sizeof (double) * a->n_history,
                       b->test_chests, sizeof (double) * b->n_history);
    }
  g_assert_cmpint (a->n_features, ==, b->n_features);
  g_assert_cmpint (a->n_inferences, ==, b->n_inferences);
  g_assert_cmpmem (a->inference_iteration, sizeof (int) * a->n_inferences,
                   b->inference_iteration, sizeof (int) * b->n_inferences);
  g_assert_cmpmem (a->inferred, sizeof (double) * a->n_inferences * a->n_features,
                   b->inferred, sizeof (double) * b->n_inferences * b->n_features);
}

static void
test_round_trip (void)
{
  g_autoptr (SimExperiment) experiment = make_experiment ();
  g_autoptr (SimExperiment) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mesascope-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.mesascope", NULL);
  g_autofree char *json = sim_experiment_to_json (experiment);

  g_assert_true (sim_experiment_save (experiment, path, &error));
  g_assert_no_error (error);
  loaded = sim_experiment_load (path, &error);
  g_assert_no_error (error);
  assert_same (experiment, loaded);

  /* Saving what was loaded gives the same text. */
  {
    g_autofree char *again = sim_experiment_to_json (loaded);
    g_assert_cmpstr (json, ==, again);
  }
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_config_only (void)
{
  SimConfig config;
  g_autoptr (SimExperiment) experiment = NULL;
  g_autoptr (SimExperiment) loaded = NULL;
  g_autofree char *json = NULL;

  sim_config_init_default (&config);
  config.scenario = SIM_SCENARIO_GREEN_EXIT;
  config.optimizer = SIM_OPTIMIZER_CEM;
  config.perception = SIM_PERCEPTION_RADIUS;
  config.perception_param = 3;
  config.near_corner = FALSE;
  config.grid = 12;
  experiment = sim_experiment_new (&config);
  json = sim_experiment_to_json (experiment);
  loaded = sim_experiment_parse (json, -1, "config.mesascope", NULL);
  g_assert_nonnull (loaded);
  assert_same (experiment, loaded);
  g_assert_cmpint (loaded->n_history, ==, 0);
}

/* A sweep saved with the run reads back: every run's configuration, the figures of the
 * finished runs bit for bit, null for the others; a file without one has none. */
static void
test_sweep (void)
{
  SimConfig config;
  g_autoptr (SimExperiment) experiment = NULL;
  g_autoptr (SimExperiment) loaded = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  SimExperimentSweep *sweep;

  sim_config_init_default (&config);
  experiment = sim_experiment_new (&config);
  sweep = experiment->sweep = sim_experiment_sweep_new (4, 2);
  for (int r = 0; r < 4; r++)
    {
      sweep->configs[r] = config;
      sweep->configs[r].diversity = r < 2 ? 0 : 100;
      sweep->configs[r].seed = 1 + r % 2;
      if (r == 3)
        continue;   /* not finished */
      sweep->train_target[r] = 1.0 / (r + 3);
      sweep->test_target[r] = 0.1 * r;
      sweep->test_proxy[r] = 1.0 - 1.0 / (r + 7);
    }
  json = sim_experiment_to_json (experiment);
  loaded = sim_experiment_parse (json, -1, "sweep.mesascope", NULL);
  g_assert_nonnull (loaded);
  assert_same (experiment, loaded);
  g_assert_nonnull (loaded->sweep);
  g_assert_cmpint (loaded->sweep->n_runs, ==, 4);
  g_assert_cmpint (loaded->sweep->n_seeds, ==, 2);
  for (int r = 0; r < 4; r++)
    {
      g_assert_true (sim_config_equal (&loaded->sweep->configs[r], &sweep->configs[r]));
      if (r == 3)
        {
          g_assert_true (isnan (loaded->sweep->train_target[r]));
          g_assert_true (isnan (loaded->sweep->test_target[r]));
          g_assert_true (isnan (loaded->sweep->test_proxy[r]));
          continue;
        }
      g_assert_cmpfloat (loaded->sweep->train_target[r], ==, sweep->train_target[r]);
      g_assert_cmpfloat (loaded->sweep->test_target[r], ==, sweep->test_target[r]);
      g_assert_cmpfloat (loaded->sweep->test_proxy[r], ==, sweep->test_proxy[r]);
    }
  again = sim_experiment_to_json (loaded);
  g_assert_cmpstr (json, ==, again);

  g_clear_pointer (&experiment->sweep, sim_experiment_sweep_free);
  g_clear_pointer (&json, g_free);
  g_clear_pointer (&loaded, sim_experiment_free);
  json = sim_experiment_to_json (experiment);
  g_assert_null (strstr (json, "\"sweep\""));
  loaded = sim_experiment_parse (json, -1, "plain.mesascope", NULL);
  g_assert_null (loaded->sweep);
}

/* The planning depth is kept; a file written before it existed (no "planning_depth") reads
 * as depth 0, the whole episode; a depth out of range is refused with its name. */
static void
test_planning_depth (void)
{
  SimConfig config;
  g_autoptr (SimExperiment) experiment = NULL;
  g_autoptr (SimExperiment) loaded = NULL;
  g_autoptr (SimExperiment) old = NULL;
  g_autoptr (SimExperiment) bad = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *without = NULL;
  g_autofree char *wrong = NULL;
  g_autoptr (GRegex) member = g_regex_new (",\\s*\"planning_depth\"\\s*:\\s*3", 0, 0, NULL);

  sim_config_init_default (&config);
  config.planning_depth = 3;
  experiment = sim_experiment_new (&config);
  json = sim_experiment_to_json (experiment);
  loaded = sim_experiment_parse (json, -1, "depth.mesascope", &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->config.planning_depth, ==, 3);
  g_assert_true (sim_config_equal (&loaded->config, &config));

  without = g_regex_replace_literal (member, json, -1, 0, "", 0, NULL);
  g_assert_null (strstr (without, "planning_depth"));
  old = sim_experiment_parse (without, -1, "old.mesascope", &error);
  g_assert_no_error (error);
  g_assert_cmpint (old->config.planning_depth, ==, 0);

  wrong = g_regex_replace_literal (member, json, -1, 0, ", \"planning_depth\": 5000", 0, NULL);
  bad = sim_experiment_parse (wrong, -1, "wrong.mesascope", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "planning_depth"));
}

/* A keys-chests run saved from its snapshot: config, rates, the four count histories and the
 * inferred [key, chest] come back bit for bit; replaying the saved config gives the same run. */
static void
test_keys_chests (void)
{
  SimConfig config;
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (SimTrain) replay = NULL;
  g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();
  g_autoptr (SimExperiment) experiment = NULL;
  g_autoptr (SimExperiment) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;

  sim_config_init_default (&config);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  config.optimizer = SIM_OPTIMIZER_CEM;
  config.iterations = 6;
  config.diversity = 100;
  config.seed = 77;
  config.infer_every = 3;
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  sim_train_attach_inference (train, &error);
  g_assert_no_error (error);
  while (sim_train_step (train))
    ;
  sim_train_fill_snapshot (train, 0, snapshot);
  experiment = sim_experiment_new_from_snapshot (snapshot);
  g_assert_nonnull (experiment->train_keys);
  g_assert_cmpint (experiment->n_features, ==, 2);
  g_assert_cmpint (experiment->n_inferences, ==, 2);

  json = sim_experiment_to_json (experiment);
  g_assert_nonnull (strstr (json, "\"test_chests\""));
  g_assert_nonnull (strstr (json, "\"keys-chests\""));
  loaded = sim_experiment_parse (json, -1, "keys.mesascope", &error);
  g_assert_no_error (error);
  assert_same (experiment, loaded);
  g_assert_cmpfloat (loaded->test_keys[5], ==, sim_train_get_last (train)->test_keys);
  again = sim_experiment_to_json (loaded);
  g_assert_cmpstr (json, ==, again);

  replay = sim_train_new (&loaded->config, &error);
  g_assert_no_error (error);
  while (sim_train_step (replay))
    ;
  for (int i = 0; i < loaded->n_history; i++)
    {
      g_assert_cmpfloat (sim_train_get_history (replay, NULL)[i].test_chests, ==,
                         loaded->test_chests[i]);
      g_assert_cmpfloat (sim_train_get_history (replay, NULL)[i].train_target, ==,
                         loaded->train_target[i]);
    }

  /* A history with the counts in some entries only, counts in a coin experiment, negative
   * counts and a keys-chests config the trainer refuses are errors that say so. */
  {
    static const struct { const char *history; const char *scenario; const char *optimizer;
                          const char *message; } bad[] = {
      { "[{\"iteration\": 1, \"train_target\": 0.5, \"test_target\": 0.5, \"test_proxy\": 0.5,"
        " \"train_keys\": 1, \"train_chests\": 1, \"test_keys\": 3, \"test_chests\": 1},"
        " {\"iteration\": 2, \"train_target\": 0.5, \"test_target\": 0.5, \"test_proxy\": 0.5}]",
        "keys-chests", "cem", "history entry 2: “train_keys” is missing" },
      { "[{\"iteration\": 1, \"train_target\": 0.5, \"test_target\": 0.5, \"test_proxy\": 0.5,"
        " \"train_keys\": 1, \"train_chests\": 1, \"test_keys\": 3, \"test_chests\": 1}]",
        "coin", "pgn", "keys-chests experiments only" },
      { "[{\"iteration\": 1, \"train_target\": 0.5, \"test_target\": 0.5, \"test_proxy\": 0.5,"
        " \"train_keys\": 1, \"train_chests\": -1, \"test_keys\": 3, \"test_chests\": 1}]",
        "keys-chests", "cem", "“train_chests” must be a count" },
      { "[]", "keys-chests", "pgn", "cross-entropy method" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *text = g_strdup_printf (
          "{\"format\": \"mesascope-experiment\", \"version\": 1, \"config\": {\"scenario\": "
          "\"%s\", \"agent\": \"planner\", \"optimizer\": \"%s\", \"perception\": \"full\", "
          "\"diversity\": 0, \"near_corner\": true, \"grid\": 8, \"iterations\": 20, "
          "\"seed\": 1, \"infer_every\": 4}, \"history\": %s}",
          bad[i].scenario, bad[i].optimizer, bad[i].history);
        g_autoptr (SimExperiment) e = sim_experiment_parse (text, -1, "bad-keys.mesascope",
                                                            &error);

        g_assert_null (e);
        g_assert_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_INVALID);
        g_test_message ("%s", error->message);
        g_assert_true (g_str_has_prefix (error->message, "bad-keys.mesascope"));
        g_assert_nonnull (strstr (error->message, bad[i].message));
        g_clear_error (&error);
      }
  }
}

static void
test_bad_corpus (void)
{
  const char *dir = g_getenv ("MESASCOPE_SOURCE_DIR");
  g_autofree char *base = g_build_filename (dir ? dir : ".", "tests", "engine", "experiments",
                                            "bad", NULL);
  g_autofree char *expected_path = g_build_filename (base, "expected.txt", NULL);
  g_autofree char *expected = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) dir_error = NULL;
  g_autoptr (GDir) folder = NULL;
  const char *name;
  int checked = 0;

  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  lines = g_strsplit (expected, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = NULL;
      g_autofree char *path = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (SimExperiment) experiment = NULL;
      int code;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 3);
      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      path = g_build_filename (base, fields[0], NULL);
      g_hash_table_add (listed, g_strdup (fields[0]));
      experiment = sim_experiment_load (path, &error);
      g_test_message ("%s: %s", fields[0], error ? error->message : "(loaded)");
      g_assert_null (experiment);
      code = g_str_equal (fields[1], "parse") ? SIM_EXPERIMENT_ERROR_PARSE
           : g_str_equal (fields[1], "version") ? SIM_EXPERIMENT_ERROR_VERSION
           : SIM_EXPERIMENT_ERROR_INVALID;
      g_assert_error (error, SIM_EXPERIMENT_ERROR, code);
      /* The message names the file, and says what is wrong. */
      g_assert_true (strstr (error->message, fields[0]) != NULL);
      if (strstr (error->message, fields[2]) == NULL)
        g_error ("%s: message “%s” lacks “%s”", fields[0], error->message, fields[2]);
      checked++;
    }
  g_assert_cmpint (checked, >=, 15);

  /* No file of the corpus is left unchecked. */
  folder = g_dir_open (base, 0, &dir_error);
  g_assert_no_error (dir_error);
  while ((name = g_dir_read_name (folder)) != NULL)
    if (g_strcmp0 (name, "expected.txt") != 0 && !g_hash_table_contains (listed, name))
      g_error ("%s is not listed in expected.txt", name);
}

static void
test_unreadable_and_unwritable (void)
{
  g_autoptr (SimExperiment) experiment = make_experiment ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mesascope-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keep.mesascope", NULL);
  g_autofree char *missing_dir = g_build_filename (dir, "no-such-folder", "x.mesascope", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_null (sim_experiment_load (missing_dir, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A save that cannot succeed leaves the existing file untouched. */
  g_assert_true (sim_experiment_save (experiment, path, NULL));
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  g_assert_false (sim_experiment_save (experiment, missing_dir, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    /* Saving onto a folder fails; the folder and its contents stay. */
    g_autofree char *folder = g_build_filename (dir, "folder.mesascope", NULL);
    g_autofree char *inside = g_build_filename (folder, "inside", NULL);

    g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
    g_assert_true (g_file_set_contents (inside, "x", -1, NULL));
    g_assert_false (sim_experiment_save (experiment, folder, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));
    g_unlink (inside);
    g_rmdir (folder);
  }
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);

  /* No temporary files are left behind. */
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    int n = 0;

    while ((name = g_dir_read_name (d)) != NULL)
      n++;
    g_assert_cmpint (n, ==, 1);
  }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/train/experiment/round-trip", test_round_trip);
  g_test_add_func ("/engine/train/experiment/config-only", test_config_only);
  g_test_add_func ("/engine/train/experiment/planning-depth", test_planning_depth);
  g_test_add_func ("/engine/train/experiment/sweep", test_sweep);
  g_test_add_func ("/engine/train/experiment/keys-chests", test_keys_chests);
  g_test_add_func ("/engine/train/experiment/bad-corpus", test_bad_corpus);
  g_test_add_func ("/engine/train/experiment/unreadable-unwritable", test_unreadable_and_unwritable);
  return g_test_run ();
}
