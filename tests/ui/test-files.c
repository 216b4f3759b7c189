/* test-files.c: experiments that save and reopen bit for bit, exports that other tools read,
 * and bad files that change nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ms-dashboard.h"
#include "ms-level-editor.h"
#include "ms-plot.h"
#include "plot-text.h"
#include "ms-window-files.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "sim-demos.h"
#include "sim-experiment.h"
#include "sim-train-inference.h"
#include "sim-train.h"

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Predicate) (gpointer data);

/* Iterates the main loop until predicate holds; FALSE on timeout. */
static gboolean
wait_until (Predicate predicate,
            gpointer  data,
            guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static gboolean
has_snapshot (gpointer data)
{
  return sim_runner_get_snapshot (ms_window_get_runner (data)) != NULL;
}

/* The file is read on a worker thread: opened once the window names it. */
static gboolean
has_experiment_file (gpointer data)
{
  return ms_window_get_experiment_file (data) != NULL;
}

/* A small run: coin, planner, pgn, 8×8, hidden coin in 30 % of training levels. */
static void
small_config (SimConfig *config,
              int        iterations,
              int        infer_every)
{
  sim_config_init_default (config);
  config->perception = SIM_PERCEPTION_HIDDEN;
  config->perception_param = 30;
  config->grid = 8;
  config->iterations = iterations;
  config->infer_every = infer_every;
  config->seed = 20260;
}

static MsWindow *
new_window (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  sim_runner_set_speed (ms_window_get_runner (window), 0);
  return window;
}

typedef struct
{
  MsWindow *window;
  int iteration;
} SnapshotWait;

/* The window shows a snapshot of its current configuration at the given iteration. */
static gboolean
shows_iteration (gpointer data)
{
  SnapshotWait *w = data;
  SimRunner *runner = ms_window_get_runner (w->window);
  SimSnapshot *snapshot = sim_runner_get_snapshot (runner);
  SimConfig config;

  sim_runner_get_config (runner, &config);
  return snapshot != NULL && sim_config_equal (&snapshot->config, &config) &&
         snapshot->iteration == w->iteration && !snapshot->running;
}

/* Runs the window's current configuration from its start to its end with the Play action. */
static SimSnapshot *
play_to_end (MsWindow *window)
{
  SimRunner *runner = ms_window_get_runner (window);
  SimConfig config;
  SnapshotWait w = { window, 0 };

  sim_runner_get_config (runner, &config);
  g_assert_true (wait_until (shows_iteration, &w, 20000));
  g_assert_false (sim_runner_get_playing (runner));
  g_action_group_activate_action (G_ACTION_GROUP (window), "play-pause", NULL);
  w.iteration = config.iterations;
  g_assert_true (wait_until (shows_iteration, &w, 60000));
  return sim_runner_get_snapshot (runner);
}

static MsWindow *
trained_window (int iterations,
                int infer_every)
{
  MsWindow *window = new_window ();
  SimConfig config;

  small_config (&config, iterations, infer_every);
  _ms_window_apply_config (window, &config, NULL);
  play_to_end (window);
  return window;
}

static gboolean
is_dialog_of (gpointer item,
              MsWindow *window)
{
  return ADW_IS_MESSAGE_DIALOG (item) &&
         gtk_window_get_transient_for (GTK_WINDOW (item)) == GTK_WINDOW (window);
}

/* The error dialog shown for window, or NULL. */
static AdwMessageDialog *
find_dialog (MsWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);

      if (is_dialog_of (item, window))
        return ADW_MESSAGE_DIALOG (item);
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog (data) != NULL;
}

/* Asserts that an error dialog names the file and says something, then closes it. */
static void
assert_error_dialog (MsWindow   *window,
                     const char *file_name,
                     const char *body_part)
{
  AdwMessageDialog *dialog;

  g_assert_true (wait_until (has_dialog, window, 20000));
  dialog = find_dialog (window);
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), file_name));
  g_assert_cmpuint (strlen (adw_message_dialog_get_body (dialog)), >, 10);
  if (body_part != NULL)
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), body_part));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (find_dialog (window));
}

static void
assert_same_doubles (const double *a,
                     const double *b,
                     int           n)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (memcmp (a, b, n * sizeof (double)), ==, 0);
}

/* The saved history is the snapshot's, bit for bit. */
static void
assert_history_equal (const SimExperiment *e,
                      const SimSnapshot   *s)
{
  g_assert_cmpint (e->n_history, ==, s->n_history);
  g_assert_cmpint (e->n_history, >, 0);
  assert_same_doubles (e->train_target, s->train_target, s->n_history);
  assert_same_doubles (e->test_target, s->test_target, s->n_history);
  assert_same_doubles (e->test_proxy, s->test_proxy, s->n_history);
  g_assert_cmpint (e->n_inferences, ==, s->n_inferences);
  g_assert_cmpint (e->n_inferences, >, 0);
  g_assert_cmpint (e->n_features, ==, s->n_features);
  g_assert_cmpint (memcmp (e->inference_iteration, s->inference_iteration,
                           s->n_inferences * sizeof (int)), ==, 0);
  assert_same_doubles (e->inferred, s->inferred, s->n_inferences * s->n_features);
}

static char *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

typedef struct
{
  GMenu *menu;
  const char *uri;
} RecentWait;

static gboolean
recent_menu_has (gpointer data)
{
  RecentWait *w = data;
  GMenuModel *model = G_MENU_MODEL (w->menu);

  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr (GVariant) target = g_menu_model_get_item_attribute_value (
        model, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);

      if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), w->uri) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
title_marked (gpointer data)
{
  return g_str_has_prefix (gtk_window_get_title (data), "• ");
}

static gboolean
title_unmarked (gpointer data)
{
  return !title_marked (data);
}

static gboolean
replay_done (gpointer data)
{
  return ms_window_get_replay_verdict (data) >= 0;
}

/* Window A trains and saves; window B opens the file (as a drop does), replays it to where it
 * was saved and gets the same history bit for bit; saving it again writes the same bytes.
 * An edited file replays too, and the first iteration it differs at is named. */
static void
test_files_save_open_reproduce (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mesascope-files-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "coin run.mesascope", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *saved_text = NULL;
  g_autofree char *resaved_text = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr (SimExperiment) saved = NULL;
  g_autoptr (GError) error = NULL;
  MsWindow *a, *b;
  SimSnapshot *snapshot;
  SimConfig config;
  RecentWait recent;

  a = trained_window (8, 4);
  snapshot = sim_runner_get_snapshot (ms_window_get_runner (a));
  g_assert_cmpint (snapshot->iteration, ==, 8);
  g_assert_true (ms_window_save_experiment (a, file));
  g_assert_true (g_file_equal (ms_window_get_experiment_file (a), file));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (a)), "coin run.mesascope"));
  g_assert_null (find_dialog (a));

  saved = sim_experiment_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (sim_config_equal (&saved->config, &snapshot->config));
  assert_history_equal (saved, snapshot);
  saved_text = read_file (path);

  /* The saved file is offered under Recent Experiments. */
  recent.menu = a->recent_menu;
  recent.uri = uri;
  g_assert_true (wait_until (recent_menu_has, &recent, 10000));

  /* A fresh window with another configuration opens it, replays the run to where it was
   * saved (at full speed, whatever the speed setting), stops there showing the same plots,
   * and finds every saved figure again, bit for bit. */
  b = new_window ();
  sim_runner_get_config (ms_window_get_runner (b), &config);
  g_assert_false (sim_config_equal (&config, &saved->config));
  ms_window_open_file (b, file);
  g_assert_true (wait_until (has_experiment_file, b, 20000));
  g_assert_null (find_dialog (b));
  sim_runner_get_config (ms_window_get_runner (b), &config);
  g_assert_true (sim_config_equal (&config, &saved->config));
  g_assert_true (g_file_equal (ms_window_get_experiment_file (b), file));
  g_assert_true (wait_until (replay_done, b, 60000));
  g_assert_cmpint (ms_window_get_replay_verdict (b), ==, 0);
  g_assert_false (sim_runner_get_playing (ms_window_get_runner (b)));
  snapshot = sim_runner_get_snapshot (ms_window_get_runner (b));
  g_assert_cmpint (snapshot->iteration, ==, saved->n_history);
  assert_history_equal (saved, snapshot);
  g_assert_cmpint (ms_dashboard_get_snapshot (ms_window_get_dashboard (b))->iteration, ==,
                   saved->n_history);

  /* Save (Ctrl+S) goes to the open file without asking, and writes the same bytes. */
  g_action_group_activate_action (G_ACTION_GROUP (b), "save", NULL);
  g_assert_null (find_dialog (b));
  resaved_text = read_file (path);
  g_assert_cmpstr (resaved_text, ==, saved_text);

  /* Changing the settings marks the title; undoing the change clears the mark. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (b)), ==, "coin run.mesascope — Mesascope");
  config = saved->config;
  config.seed++;
  _ms_window_apply_config (b, &config, NULL);
  g_assert_true (wait_until (title_marked, b, 10000));
  g_action_group_activate_action (G_ACTION_GROUP (b), "undo-settings", NULL);
  g_assert_true (wait_until (title_unmarked, b, 10000));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (b)), ==, "coin run.mesascope — Mesascope");

  /* A demo replaces the run: the title no longer names the file, and Save would ask where. */
  g_action_group_activate_action (G_ACTION_GROUP (b), "preset",
                                  g_variant_new_string ("green-exit"));
  g_assert_null (ms_window_get_experiment_file (b));
  g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (b)), "coin run"));

  /* An edited figure: the replay names the iteration where the file stops matching. */
  {
    g_autofree char *edited_path = g_build_filename (dir, "edited.mesascope", NULL);
    g_autoptr (GFile) edited = g_file_new_for_path (edited_path);
    g_autoptr (SimExperiment) changed = sim_experiment_load (path, NULL);
    MsWindow *c = new_window ();
    SimSnapshot *replaced;

    g_assert_nonnull (changed);
    /* A rate that stays a rate, 0.25 away from the true one. */
    changed->test_target[4] += changed->test_target[4] > 0.5 ? -0.25 : 0.25;
    g_assert_true (sim_experiment_save (changed, edited_path, NULL));
    g_assert_true (wait_until (has_snapshot, c, 20000));
    replaced = sim_snapshot_ref (sim_runner_get_snapshot (ms_window_get_runner (c)));
    ms_window_open_file (c, edited);
    g_assert_true (wait_until (has_experiment_file, c, 20000));
    g_assert_null (find_dialog (c));
    /* A snapshot of the run the file replaced that arrives late, as on a busy machine: it
     * does not end the replay. */
    g_assert_cmpint (ms_window_get_replay_verdict (c), ==, -1);
    g_assert_cmpuint (replaced->run, <, sim_runner_get_run (ms_window_get_runner (c)));
    _ms_window_replay_snapshot (c, replaced);
    sim_snapshot_unref (replaced);
    g_assert_true (wait_until (replay_done, c, 60000));
    g_assert_cmpint (ms_window_get_replay_verdict (c), ==, 5);
    gtk_window_destroy (GTK_WINDOW (c));
    g_unlink (edited_path);
  }

  gtk_window_destroy (GTK_WINDOW (a));
  gtk_window_destroy (GTK_WINDOW (b));
  g_unlink (path);
  g_rmdir (dir);
}

/* A run made on the command line (train --save-experiment) opens in the app with its plots:
 * the replay ends at its last iteration and matches every saved figure. */
static void
test_files_cli_run_opens (void)
{
  const char *build = g_getenv ("MESASCOPE_BUILD_DIR");
  g_autofree char *dir = g_dir_make_tmp ("mesascope-cli-run-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cli.mesascope", NULL);
  g_autofree char *cli = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (SimExperiment) saved = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { NULL, "train", "--perception", "hidden:30", "--iterations", "9",
                         "--seed", "4", "--save-experiment", path, "--json", NULL, NULL };
  g_autofree char *json_path = g_build_filename (dir, "run.json", NULL);
  int status = -1;
  MsWindow *window;
  SimSnapshot *snapshot;

  g_assert_nonnull (build);
  cli = g_build_filename (build, "src", "cli", "mesascope-cli", NULL);
  argv[0] = cli;
  argv[11] = json_path;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  saved = sim_experiment_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (saved->n_history, ==, 9);

  window = new_window ();
  ms_window_open_file (window, file);
  g_assert_true (wait_until (replay_done, window, 60000));
  g_assert_cmpint (ms_window_get_replay_verdict (window), ==, 0);
  snapshot = sim_runner_get_snapshot (ms_window_get_runner (window));
  g_assert_cmpint (snapshot->iteration, ==, 9);
  assert_history_equal (saved, snapshot);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_unlink (json_path);
  g_rmdir (dir);
}

/* Opening a bad file shows a message that names it and changes nothing. */
static void
assert_open_refused (MsWindow   *window,
                     const char *path,
                     const char *body_part)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  SimConfig config_before, config_after;
  gboolean exists = g_file_test (path, G_FILE_TEST_IS_REGULAR);

  if (exists)
    g_file_get_contents (path, &before, NULL, NULL);
  sim_runner_get_config (ms_window_get_runner (window), &config_before);
  g_assert_false (ms_window_open_experiment (window, file));
  assert_error_dialog (window, name, body_part);
  sim_runner_get_config (ms_window_get_runner (window), &config_after);
  g_assert_true (sim_config_equal (&config_before, &config_after));
  g_assert_null (ms_window_get_experiment_file (window));
  g_assert_cmpint (g_file_test (path, G_FILE_TEST_IS_REGULAR), ==, exists);
  if (before != NULL)
    {
      g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
      g_assert_cmpstr (after, ==, before);
    }
}

/* Saving where it cannot be done shows a message and leaves what was there alone. */
static void
assert_save_refused (MsWindow   *window,
                     const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr (GFile) before = ms_window_get_experiment_file (window)
                           ? g_object_ref (ms_window_get_experiment_file (window)) : NULL;

  g_assert_false (ms_window_save_experiment (window, file));
  assert_error_dialog (window, name, NULL);
  g_assert_true (ms_window_get_experiment_file (window) == before);
}

static guint
count_dir_entries (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_files_bad_input (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mesascope-bad-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "good.mesascope", NULL);
  g_autofree char *corrupt = g_build_filename (dir, "corrupt.mesascope", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.mesascope", NULL);
  g_autofree char *unreadable = g_build_filename (dir, "unreadable.mesascope", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.mesascope", NULL);
  g_autofree char *readonly = g_build_filename (dir, "read-only", NULL);
  g_autofree char *old = g_build_filename (readonly, "old.mesascope", NULL);
  g_autofree char *plain = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *under_plain = g_build_filename (plain, "run.mesascope", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.mesascope", NULL);
  g_autofree char *folder_child = g_build_filename (folder, "keep.txt", NULL);
  g_autofree char *good_text = NULL;
  g_autofree char *newer_text = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GRegex) version = g_regex_new ("\"version\"\\s*:\\s*1", 0, 0, NULL);
  g_autoptr (GFile) good_file = g_file_new_for_path (good);
  g_autoptr (SimExperiment) experiment = NULL;
  MsWindow *window = new_window ();
  gboolean root = geteuid () == 0;
  SimConfig config;

  /* A valid file to start from, written by the engine. */
  small_config (&config, 5, 0);
  experiment = sim_experiment_new (&config);
  g_assert_true (sim_experiment_save (experiment, good, NULL));
  good_text = read_file (good);

  g_assert_true (g_file_set_contents (corrupt, "{\"format\": \"mesascope-experiment\", \"vers",
                                      -1, NULL));
  assert_open_refused (window, corrupt, "corrupt.mesascope");

  newer_text = g_regex_replace (version, good_text, -1, 0, "\"version\": 99", 0, NULL);
  g_assert_cmpstr (newer_text, !=, good_text);
  g_assert_true (g_file_set_contents (newer, newer_text, -1, NULL));
  assert_open_refused (window, newer, "99");

  assert_open_refused (window, missing, "missing.mesascope");
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  if (!root)
    {
      g_assert_true (g_file_set_contents (unreadable, good_text, -1, NULL));
      g_assert_cmpint (g_chmod (unreadable, 0), ==, 0);
      assert_open_refused (window, unreadable, "unreadable.mesascope");
      g_assert_cmpint (g_chmod (unreadable, 0644), ==, 0);
      text = read_file (unreadable);
      g_assert_cmpstr (text, ==, good_text);
      g_clear_pointer (&text, g_free);
    }
  else
    {
      /* Root reads any file whatever its mode: a folder stands in for the unreadable file. */
      g_test_message ("running as root: a folder named unreadable.mesascope stands in for a "
                      "file without read permission");
      g_assert_cmpint (g_mkdir (unreadable, 0755), ==, 0);
      assert_open_refused (window, unreadable, "unreadable.mesascope");
      g_assert_true (g_file_test (unreadable, G_FILE_TEST_IS_DIR));
    }

  /* The good file still opens after all that. */
  g_assert_true (ms_window_open_experiment (window, good_file));
  g_assert_null (find_dialog (window));
  g_assert_true (g_file_equal (ms_window_get_experiment_file (window), good_file));

  /* Saving into a read-only folder keeps the old file there byte for byte and leaves no
   * temporary file behind. */
  g_assert_cmpint (g_mkdir (readonly, 0755), ==, 0);
  g_assert_true (g_file_set_contents (old, "old experiment\n", -1, NULL));
  if (!root)
    {
      g_assert_cmpint (g_chmod (readonly, 0555), ==, 0);
      assert_save_refused (window, old);
      g_assert_cmpint (g_chmod (readonly, 0755), ==, 0);
      text = read_file (old);
      g_assert_cmpstr (text, ==, "old experiment\n");
      g_clear_pointer (&text, g_free);
      g_assert_cmpuint (count_dir_entries (readonly), ==, 1);
    }
  else
    g_test_message ("running as root: permissions do not stop root, so the read-only folder "
                    "case is forced by a path under a plain file and by a folder in the way");

  /* A path under a plain file, and a folder where the file would go: both fail whoever runs
   * the test, and neither the plain file nor the folder changes. */
  g_assert_true (g_file_set_contents (plain, "teacher's notes\n", -1, NULL));
  assert_save_refused (window, under_plain);
  text = read_file (plain);
  g_assert_cmpstr (text, ==, "teacher's notes\n");
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (folder_child, "keep\n", -1, NULL));
  assert_save_refused (window, folder);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_dir_entries (folder), ==, 1);
  text = read_file (folder_child);
  g_assert_cmpstr (text, ==, "keep\n");
  g_clear_pointer (&text, g_free);
  /* Nothing else appeared beside the targets (no temporary files left). */
  g_assert_cmpuint (count_dir_entries (dir), ==, 7);

  /* The open experiment is untouched by the failed saves. */
  text = read_file (good);
  g_assert_cmpstr (text, ==, good_text);
  g_clear_pointer (&text, g_free);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (folder_child);
  g_rmdir (folder);
  g_unlink (plain);
  g_unlink (old);
  g_rmdir (readonly);
  g_rmdir (unreadable);
  g_unlink (unreadable);
  g_unlink (newer);
  g_unlink (corrupt);
  g_unlink (good);
  g_rmdir (dir);
}

/* Distinct colours of a PNG file (0 when it does not load). */
static guint
png_colours (const char *path,
             int        *width,
             int        *height)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  guint n;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return 0;
    }
  cairo_surface_flush (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    {
      const guint32 *row = (const guint32 *) (cairo_image_surface_get_data (surface) +
                                              y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
        g_hash_table_add (colours, GUINT_TO_POINTER (row[x]));
    }
  if (width != NULL)
    *width = cairo_image_surface_get_width (surface);
  if (height != NULL)
    *height = cairo_image_surface_get_height (surface);
  n = g_hash_table_size (colours);
  cairo_surface_destroy (surface);
  return n;
}

static void
run_tool (const char * const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s failed: %s", argv[0], err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static const char *targets[] = {
  "dashboard", "level", "success", "objectives", "alignment", "reward-maps",
};

/* Every plot and the dashboard as PNG, SVG and PDF; rsvg-convert and pdftoppm read the vector
 * files back into images that are not blank. */
static void
test_files_export_images (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mesascope-export-XXXXXX", NULL);
  g_autofree char *gif = g_build_filename (dir, "plot.gif", NULL);
  g_autoptr (GFile) gif_file = g_file_new_for_path (gif);
  MsWindow *window = trained_window (4, 2);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *png = g_strdup_printf ("%s/%s.png", dir, targets[i]);
      g_autofree char *svg = g_strdup_printf ("%s/%s.svg", dir, targets[i]);
      g_autofree char *pdf = g_strdup_printf ("%s/%s.PDF", dir, targets[i]);
      g_autofree char *svg_png = g_strdup_printf ("%s/%s-svg.png", dir, targets[i]);
      g_autofree char *pdf_prefix = g_strdup_printf ("%s/%s-pdf", dir, targets[i]);
      g_autoptr (GFile) png_file = g_file_new_for_path (png);
      g_autoptr (GFile) svg_file = g_file_new_for_path (svg);
      g_autoptr (GFile) pdf_file = g_file_new_for_path (pdf);
      const char *rsvg[] = { "rsvg-convert", "-o", svg_png, svg, NULL };
      const char *pdftoppm[] = { "pdftoppm", "-png", "-r", "48", "-singlefile", pdf,
                                 pdf_prefix, NULL };
      g_autofree char *pdf_single = g_strdup_printf ("%s.png", pdf_prefix);
      g_autofree char *svg_text = NULL;
      g_autofree char *pdf_text = NULL;
      gsize pdf_length = 0;
      int w = 0, h = 0;
      guint colours;

      g_assert_true (ms_window_export_image (window, targets[i], png_file));
      g_assert_true (ms_window_export_image (window, targets[i], svg_file));
      g_assert_true (ms_window_export_image (window, targets[i], pdf_file));
      g_assert_null (find_dialog (window));

      colours = png_colours (png, &w, &h);
      g_test_message ("%s: PNG %d × %d, %u colours", targets[i], w, h, colours);
      g_assert_cmpuint (colours, >, 20);
      g_assert_cmpint (w, >=, 200);
      g_assert_cmpint (h, >=, 200);

      g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
      g_assert_true (g_str_has_prefix (svg_text, "<?xml"));
      g_assert_nonnull (strstr (svg_text, "<svg"));
      run_tool (rsvg);
      colours = png_colours (svg_png, NULL, NULL);
      g_test_message ("%s: SVG rendered by rsvg-convert, %u colours", targets[i], colours);
      g_assert_cmpuint (colours, >, 20);

      g_assert_true (g_file_get_contents (pdf, &pdf_text, &pdf_length, NULL));
      g_assert_true (g_str_has_prefix (pdf_text, "%PDF-"));
      run_tool (pdftoppm);
      colours = png_colours (pdf_single, NULL, NULL);
      g_test_message ("%s: PDF rendered by pdftoppm, %u colours", targets[i], colours);
      g_assert_cmpuint (colours, >, 20);

      g_unlink (png);
      g_unlink (svg);
      g_unlink (pdf);
      g_unlink (svg_png);
      g_unlink (pdf_single);
    }

  /* An extension that is no image format is refused with a message, and nothing is written. */
  g_assert_false (ms_window_export_image (window, "success", gif_file));
  assert_error_dialog (window, "plot.gif", NULL);
  g_assert_false (g_file_test (gif, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
  g_rmdir (dir);
}

/* An image exported while teacher mode shows the answer key asks first whether to include it:
 * Cancel writes nothing, Leave Out writes the plot without the key (and the window keeps
 * showing it), Include writes it with the key. Without teacher mode nothing is asked. */
static void
test_files_export_answer_key (void)
{
  static const char *responses[] = { "cancel", "leave-out", "include" };
  const char *key_label = "True mesa";
  g_autofree char *dir = g_dir_make_tmp ("mesascope-key-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.png", NULL);
  g_autoptr (GFile) plain_file = g_file_new_for_path (plain);
  MsWindow *window = trained_window (6, 3);
  MsDashboard *dashboard = ms_window_get_dashboard (window);
  MsPlot *objectives = MS_PLOT (ms_dashboard_get_part (dashboard, MS_DASHBOARD_PART_OBJECTIVES));
  gboolean teacher;

  g_object_set (dashboard, "teacher-mode", FALSE, NULL);
  ms_window_ask_export_image (window, "objectives", plain_file);
  g_assert_null (find_dialog (window));
  g_assert_true (g_file_test (plain, G_FILE_TEST_IS_REGULAR));
  g_assert_true (plot_drew_text (objectives, "Inferred mesa"));
  g_assert_false (plot_drew_text (objectives, key_label));

  g_object_set (dashboard, "teacher-mode", TRUE, NULL);
  for (guint k = 0; k < G_N_ELEMENTS (responses); k++)
    {
      g_autofree char *name = g_strdup_printf ("%s.png", responses[k]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      AdwMessageDialog *dialog;

      ms_window_ask_export_image (window, "objectives", file);
      g_assert_true (wait_until (has_dialog, window, 20000));
      dialog = find_dialog (window);
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Include the Answer Key?");
      g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "leave-out");
      g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
      /* Nothing is written before the answer. */
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      adw_message_dialog_response (dialog, responses[k]);
      if (find_dialog (window) != NULL)
        gtk_window_destroy (GTK_WINDOW (find_dialog (window)));
      g_assert_cmpint (g_file_test (path, G_FILE_TEST_IS_REGULAR), ==, k > 0);
      if (k > 0)
        g_assert_cmpint (plot_drew_text (objectives, key_label), ==, k == 2);
      g_object_get (dashboard, "teacher-mode", &teacher, NULL);
      g_assert_true (teacher);
      g_unlink (path);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (plain);
  g_rmdir (dir);
}

/* Every CSV or demos export has been written (the file may exist, still short, before). */
static gboolean
exports_done (gpointer data)
{
  return ms_window_get_exports_pending (data) == 0;
}

/* The metric history as CSV (a header, one row per iteration, the values shown) and the probe
 * demonstrations of the last inference as a demos file. */
static void
test_files_export_csv_demos (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mesascope-csv-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "history.csv", NULL);
  g_autofree char *demos_path = g_build_filename (dir, "demos.json", NULL);
  g_autofree char *none_path = g_build_filename (dir, "none.json", NULL);
  g_autoptr (GFile) csv_file = g_file_new_for_path (csv);
  g_autoptr (GFile) demos_file = g_file_new_for_path (demos_path);
  g_autoptr (GFile) none_file = g_file_new_for_path (none_path);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) header = NULL;
  g_autoptr (SimDemos) demos = NULL;
  g_autoptr (SimDemos) expected = NULL;
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *demos_text = NULL;
  g_autofree char *expected_text = NULL;
  MsWindow *window = trained_window (6, 3);
  SimSnapshot *snapshot = sim_runner_get_snapshot (ms_window_get_runner (window));
  SimProbes *probes;
  SimConfig config;
  guint n_lines;

  ms_window_export_csv (window, csv_file);
  g_assert_cmpuint (ms_window_get_exports_pending (window), ==, 1);
  g_assert_true (wait_until (exports_done, window, 20000));
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
  text = read_file (csv);
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  /* Header, one row per iteration, and the empty string after the last newline. */
  g_assert_cmpuint (n_lines, ==, 1 + snapshot->n_history + 1);
  g_assert_cmpstr (lines[n_lines - 1], ==, "");
  header = g_strsplit (lines[0], ",", -1);
  g_assert_cmpstr (header[0], ==, "iteration");
  g_assert_cmpstr (header[1], ==, "train_target");
  g_assert_cmpstr (header[2], ==, "test_target");
  g_assert_cmpstr (header[3], ==, "test_proxy");
  g_assert_cmpuint (g_strv_length (header), ==, 11 + snapshot->n_features);
  for (int i = 0; i < snapshot->n_history; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[1 + i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, g_strv_length (header));
      g_assert_cmpint (atoi (fields[0]), ==, i + 1);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[1], NULL),
                                      snapshot->train_target[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[2], NULL),
                                      snapshot->test_target[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[3], NULL),
                                      snapshot->test_proxy[i], 1e-9);
    }

  ms_window_export_demos (window, demos_file);
  g_assert_true (wait_until (exports_done, window, 20000));
  g_assert_true (g_file_test (demos_path, G_FILE_TEST_IS_REGULAR));
  g_assert_null (find_dialog (window));
  demos = sim_demos_load (demos_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (demos->levels->len, ==, 16);
  g_assert_cmpuint (demos->trajectories->len, ==, 16 * 8);

  /* They are the battery's demonstrations after the last inference: the same run without a
   * window gives the same file. */
  sim_runner_get_config (ms_window_get_runner (window), &config);
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  probes = sim_train_attach_inference (train, &error);
  g_assert_no_error (error);
  g_assert_true (sim_train_get_probes (train) == probes);
  while (sim_train_step (train))
    ;
  expected = sim_probes_dup_demos (probes);
  demos_text = sim_demos_to_string (demos);
  expected_text = sim_demos_to_string (expected);
  g_assert_cmpstr (demos_text, ==, expected_text);

  /* A run without inference has no demonstrations: a message, and no file. */
  small_config (&config, 2, 0);
  _ms_window_apply_config (window, &config, NULL);
  play_to_end (window);
  ms_window_export_demos (window, none_file);
  assert_error_dialog (window, "none.json", NULL);
  g_assert_false (g_file_test (none_path, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (csv);
  g_unlink (demos_path);
  g_rmdir (dir);
}

static gboolean
csv_written (gpointer data)
{
  g_autofree char *text = NULL;

  return g_file_get_contents (data, &text, NULL, NULL) && g_str_has_prefix (text, "iteration");
}

static mode_t
lstat_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  return st.st_mode;
}

/* Save, the image exports and the CSV export through a symbolic link replace its target,
 * keep the link and the target's 0600 mode; a device node is written in place and stays a
 * device (made here with mknod, as root in CI); a folder is refused with a message. */
static void
test_files_save_export_links (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mesascope-links-XXXXXX", NULL);
  char *names[] = { g_build_filename (dir, "run.mesascope", NULL),
                    g_build_filename (dir, "plot.png", NULL),
                    g_build_filename (dir, "history.csv", NULL) };
  g_autofree char *device = g_build_filename (dir, "null.svg", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.png", NULL);
  g_autoptr (GFile) device_file = g_file_new_for_path (device);
  g_autoptr (GFile) folder_file = g_file_new_for_path (folder);
  g_autoptr (SimExperiment) saved = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *png_text = NULL;
  MsWindow *window = trained_window (4, 2);
  GFile *links[G_N_ELEMENTS (names)];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *base = g_path_get_basename (names[i]);
      g_autofree char *link = g_strdup_printf ("%s/link-%s", dir, base);

      g_assert_true (g_file_set_contents (names[i], "old", -1, NULL));
      g_assert_cmpint (g_chmod (names[i], 0600), ==, 0);
      g_assert_cmpint (symlink (base, link), ==, 0);
      links[i] = g_file_new_for_path (link);
    }

  g_assert_true (ms_window_save_experiment (window, links[0]));
  g_assert_true (ms_window_export_image (window, "success", links[1]));
  ms_window_export_csv (window, links[2]);
  g_assert_true (wait_until (exports_done, window, 20000));
  g_assert_true (csv_written (names[2]));
  g_assert_null (find_dialog (window));
  saved = sim_experiment_load (names[0], &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (names[1], &png_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (png_text, "\x89PNG"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *link = g_file_get_path (links[i]);

      g_assert_true (S_ISLNK (lstat_mode (link)));
      g_assert_cmpuint (lstat_mode (names[i]) & 07777, ==, 0600);
      g_object_unref (links[i]);
      g_unlink (link);
      g_unlink (names[i]);
      g_free (names[i]);
    }

  g_assert_cmpint (mknod (device, S_IFCHR | 0666, makedev (1, 3)), ==, 0);
  g_assert_true (ms_window_export_image (window, "objectives", device_file));
  g_assert_true (S_ISCHR (lstat_mode (device)));

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (ms_window_export_image (window, "objectives", folder_file));
  assert_error_dialog (window, "folder.png", "folder");
  g_assert_true (S_ISDIR (lstat_mode (folder)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (device);
  g_rmdir (folder);
  g_rmdir (dir);
}

/* A level file dropped on the window (or opened from the command line) opens in the level
 * editor. */
static void
test_files_open_level (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mesascope-level-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "corner.level", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  MsWindow *window = new_window ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  MsLevelEditor *editor = NULL;
  const SimLevel *level;
  SimConfig before, after;

  g_assert_true (g_file_set_contents (path,
                                      "mesascope-level 1\n"
                                      "scenario coin\n"
                                      "size 6 4\n"
                                      "horizon 20\n"
                                      "map\n"
                                      ".....C\n"
                                      "..#...\n"
                                      "..L...\n"
                                      "S.....\n", -1, NULL));
  sim_runner_get_config (ms_window_get_runner (window), &before);
  ms_window_open_file (window, file);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);

      if (MS_IS_LEVEL_EDITOR (item) &&
          gtk_window_get_transient_for (GTK_WINDOW (item)) == GTK_WINDOW (window))
        editor = MS_LEVEL_EDITOR (item);
    }
  g_assert_nonnull (editor);
  g_assert_true (g_file_equal (ms_level_editor_get_file (editor), file));
  level = ms_level_editor_get_level (editor);
  g_assert_cmpint (level->width, ==, 6);
  g_assert_cmpint (level->height, ==, 4);
  /* The training run is not touched. */
  sim_runner_get_config (ms_window_get_runner (window), &after);
  g_assert_true (sim_config_equal (&before, &after));
  g_assert_null (ms_window_get_experiment_file (window));

  gtk_window_destroy (GTK_WINDOW (editor));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("mesascope-data-XXXXXX", NULL);
  int status;

  /* Recent files go to a private folder, not the user's list. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* GTK 4.8 leaks a GDateTime each time it clamps the recent list to its maximum age (the
   * default 30 days); keeping every entry skips that path, so the sanitizer build stays clean. */
  g_object_set (gtk_settings_get_default (), "gtk-recent-files-max-age", -1, NULL);

  g_test_add_func ("/ui/files/save-open-reproduce", test_files_save_open_reproduce);
  g_test_add_func ("/ui/files/cli-run-opens", test_files_cli_run_opens);
  g_test_add_func ("/ui/files/bad-input", test_files_bad_input);
  g_test_add_func ("/ui/files/export-images", test_files_export_images);
  g_test_add_func ("/ui/files/export-csv-demos", test_files_export_csv_demos);
  g_test_add_func ("/ui/files/export-answer-key", test_files_export_answer_key);
  g_test_add_func ("/ui/files/save-export-links", test_files_save_export_links);
  g_test_add_func ("/ui/files/open-level", test_files_open_level);
  status = g_test_run ();

  {
    g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);

    g_unlink (recent);
    g_rmdir (data_home);
  }
  return status;
}
