/* test-open-large.c: a large experiment file loads off the main thread, with a spinner in the
 * status line, while the window goes on running its main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ms-window-files.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "sim-experiment.h"

static gboolean
count_cb (gpointer data)
{
  guint *count = data;

  (*count)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* The first GtkSpinner under widget, or NULL. */
static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The largest history a file holds (100000 iterations), written as the app writes it. */
static char *
write_large_experiment (const char *dir)
{
  g_autoptr (SimExperiment) experiment = NULL;
  g_autoptr (GError) error = NULL;
  SimConfig config;
  char *path = g_build_filename (dir, "large.mesascope", NULL);
  int n = SIM_EXPERIMENT_MAX_HISTORY;

  sim_config_init_default (&config);
  config.iterations = n;
  config.infer_every = 0;
  experiment = sim_experiment_new (&config);
  experiment->n_history = n;
  experiment->train_target = g_new (double, n);
  experiment->test_target = g_new (double, n);
  experiment->test_proxy = g_new (double, n);
  for (int i = 0; i < n; i++)
    {
      experiment->train_target[i] = (i % 997) / 997.0;
      experiment->test_target[i] = (i % 991) / 991.0;
      experiment->test_proxy[i] = 1.0 / 3.0;
    }
  g_assert_true (sim_experiment_save (experiment, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_open_large (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("mesascope-open-XXXXXX", NULL);
  g_autofree char *path = write_large_experiment (data_dir);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  GtkWidget *spinner, *progress;
  gboolean timed_out = FALSE;
  guint ticks = 0;
  guint tick_id, timeout_id;
  SimConfig config;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  sim_runner_set_speed (ms_window_get_runner (window), 0);
  spinner = find_widget (GTK_WIDGET (window), GTK_TYPE_SPINNER);
  g_assert_nonnull (spinner);
  g_assert_false (gtk_widget_get_visible (spinner));

  /* Opening returns at once: the spinner turns while the main loop goes on. */
  tick_id = g_timeout_add (1, count_cb, &ticks);
  ms_window_open_file (window, file);
  g_assert_null (ms_window_get_experiment_file (window));
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));

  timeout_id = g_timeout_add (60000, timeout_cb, &timed_out);
  while (ms_window_get_experiment_file (window) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_source_remove (tick_id);
  g_test_message ("the main loop ran %u times while the file loaded", ticks);
  g_assert_false (timed_out);
  g_assert_cmpuint (ticks, >, 0);
  sim_runner_get_config (ms_window_get_runner (window), &config);
  g_assert_cmpint (config.iterations, ==, SIM_EXPERIMENT_MAX_HISTORY);

  /* Its long history is being replayed: the spinner stays, with a progress bar that moves
   * on; a pause ends the replay and hides both. */
  /* The status line's, not the lesson bar's. */
  progress = GTK_WIDGET (window->replay_progress);
  g_assert_nonnull (progress);
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_widget_get_visible (progress));
  timed_out = FALSE;
  timeout_id = g_timeout_add (60000, timeout_cb, &timed_out);
  while (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (progress)) <= 0.0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_false (timed_out);
  g_assert_true (sim_runner_get_playing (ms_window_get_runner (window)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "play-pause", NULL);
  timed_out = FALSE;
  timeout_id = g_timeout_add (60000, timeout_cb, &timed_out);
  while (gtk_widget_get_visible (spinner) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_false (timed_out);
  g_assert_false (sim_runner_get_playing (ms_window_get_runner (window)));
  g_assert_false (gtk_widget_get_visible (progress));
  g_assert_cmpint (ms_window_get_replay_verdict (window), ==, -1);

  /* A file opened while another loads replaces it; the window closes with a load running. */
  ms_window_open_file (window, file);
  g_assert_true (gtk_widget_get_visible (spinner));
  gtk_window_destroy (GTK_WINDOW (window));
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  g_unlink (path);
  g_rmdir (data_dir);
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
  g_object_set (gtk_settings_get_default (), "gtk-recent-files-max-age", -1, NULL);
  g_test_add_func ("/ui/open-large/responsive", test_open_large);
  status = g_test_run ();
  {
    g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);

    g_unlink (recent);
    g_rmdir (data_home);
  }
  return status;
}
