/* test-sweep.c: the Sweep window: a small sweep's rows are the engine's runs and its plot has
 * their dots; clicking a dot opens the run in the dashboard; bad values are refused with a
 * message; Cancel stops a sweep; the runs and the plot export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ms-lessons.h"
#include "ms-plot.h"
#include "ms-sweep-window-tests.h"
#include "ms-window-files.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "sim-runner.h"
#include "ui-wait.h"

static gboolean
has_snapshot (gpointer data)
{
  return ms_dashboard_get_snapshot (ms_window_get_dashboard (MS_WINDOW (data))) != NULL;
}

static gboolean
sweep_stopped (gpointer data)
{
  return !ms_sweep_window_get_running (MS_SWEEP_WINDOW (data));
}

/* A main window whose run has `iterations` iterations, and its sweep window. */
static MsSweepWindow *
open_sweep (MsWindow **out_window,
            int        iterations,
            int        infer_every)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  SimConfig config;
  GtkWindow *sweep;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_snapshot, window, 20000));
  sim_runner_get_config (ms_window_get_runner (window), &config);
  config.iterations = iterations;
  config.infer_every = infer_every;
  g_assert_true (_ms_window_apply_config (window, &config, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sweep", NULL));
  sweep = _ms_window_show_sweep (window);
  g_assert_true (MS_IS_SWEEP_WINDOW (sweep));
  g_assert_true (gtk_window_get_transient_for (sweep) == GTK_WINDOW (window));
  g_assert_true (_ms_window_show_sweep (window) == sweep);
  *out_window = window;
  return MS_SWEEP_WINDOW (sweep);
}

static void
test_run (void)
{
  MsWindow *window;
  MsSweepWindow *view = open_sweep (&window, 6, 3);
  MsSweepPlot *plot = ms_sweep_window_get_plot (view);
  SimSweep *sweep;
  SimConfig base, now;
  cairo_surface_t *surface;
  cairo_t *cr;
  const int diversities[] = { 0, 100 };

  sim_runner_get_config (ms_window_get_runner (window), &base);
  ms_sweep_window_set_knob (view, MS_SWEEP_KNOB_DIVERSITY);
  ms_sweep_window_set_values (view, "0, 100");
  ms_sweep_window_set_n_seeds (view, 2);
  g_assert_true (ms_sweep_window_run (view));
  g_assert_null (ms_sweep_window_get_message (view));
  g_assert_true (ms_sweep_window_get_running (view));
  g_assert_true (wait_until (sweep_stopped, view, 120000));

  sweep = ms_sweep_window_get_sweep (view);
  g_assert_nonnull (sweep);
  g_assert_cmpuint (sim_sweep_get_n_runs (sweep), ==, 4);
  g_assert_cmpuint (sim_sweep_get_n_finished (sweep), ==, 4);
  g_assert_cmpuint (ms_sweep_window_get_n_delivered (view), ==, 4);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (ms_sweep_window_get_progress_bar (view)),
                     ==, 1.0);

  /* Every row is the run the engine makes of the dashboard's settings with that diversity and
   * seed (1 and 2, the seeds the command line's --seeds 1-2 gives). */
  for (guint r = 0; r < 4; r++)
    {
      SimConfig want = base;
      g_autoptr (GError) error = NULL;
      g_autoptr (SimTrain) train = NULL;
      SimSweepFinal alone;

      want.diversity = diversities[r / 2];
      want.seed = 1 + r % 2;
      g_assert_true (sim_config_equal (sim_sweep_get_config (sweep, r), &want));
      train = sim_sweep_train_new (&want, FALSE, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (sim_sweep_train_run (train, NULL, NULL));
      sim_sweep_final_init (&alone, train);
      g_assert_nonnull (sim_sweep_get_final (sweep, r));
      g_assert_cmpmem (sim_sweep_get_final (sweep, r), sizeof alone, &alone, sizeof alone);
    }

  /* The plot has a dot for each run and figure, each one naming its run. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 600);
  cr = cairo_create (surface);
  ms_plot_draw (MS_PLOT (plot), cr, 1200, 600);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (ms_sweep_plot_get_n_dots (plot), ==, 8);
  for (guint r = 0; r < 4; r++)
    for (int f = 0; f < MS_SWEEP_PLOT_N_FIGURES; f++)
      {
        double x, y;
        g_autofree char *tip = NULL;
        g_autofree char *seed = g_strdup_printf ("seed %u", 1 + r % 2);

        g_assert_true (ms_sweep_plot_get_dot (plot, r, f, &x, &y));
        /* Two seeds' dots may sit on each other when their figures are equal: the nearest is
         * a run of the same value. */
        g_assert_cmpint (ms_sweep_plot_run_at (plot, x, y) / 2, ==, r / 2);
        tip = ms_plot_describe_at (MS_PLOT (plot), x, y);
        g_assert_nonnull (tip);
        g_assert_nonnull (strstr (tip, r < 2 ? "0 %" : "100 %"));
      }
  g_assert_cmpint (ms_sweep_plot_run_at (plot, 1, 1), ==, -1);

  /* Clicking run 3's dot opens that run in the dashboard. */
  g_signal_emit_by_name (plot, "run-activated", 3u);
  sim_runner_get_config (ms_window_get_runner (window), &now);
  g_assert_true (sim_config_equal (&now, sim_sweep_get_config (sweep, 3)));

  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
expect_refused (MsSweepWindow *view,
                MsSweepKnob    knob,
                const char    *values,
                const char    *word)
{
  ms_sweep_window_set_knob (view, knob);
  ms_sweep_window_set_values (view, values);
  g_assert_false (ms_sweep_window_run (view));
  g_assert_false (ms_sweep_window_get_running (view));
  g_assert_nonnull (ms_sweep_window_get_message (view));
  g_assert_nonnull (strstr (ms_sweep_window_get_message (view), word));
}

static void
test_bad_values (void)
{
  MsWindow *window;
  MsSweepWindow *view = open_sweep (&window, 4, 0);

  expect_refused (view, MS_SWEEP_KNOB_DIVERSITY, "0, 150", "150");
  expect_refused (view, MS_SWEEP_KNOB_DIVERSITY, "0, lots", "lots");
  expect_refused (view, MS_SWEEP_KNOB_DIVERSITY, "20, 20 %", "20");
  expect_refused (view, MS_SWEEP_KNOB_DIVERSITY, " , ", "commas");
  expect_refused (view, MS_SWEEP_KNOB_PERCEPTION, "full, sideways", "sideways");
  expect_refused (view, MS_SWEEP_KNOB_PLANNING_DEPTH, "1, -2", "-2");
  expect_refused (view, MS_SWEEP_KNOB_AGENT, "planner, robot", "robot");
  g_assert_null (ms_sweep_window_get_sweep (view));

  /* Typing clears the message; good values run. */
  ms_sweep_window_set_knob (view, MS_SWEEP_KNOB_PLANNING_DEPTH);
  ms_sweep_window_set_values (view, "1 2");
  ms_sweep_window_set_n_seeds (view, 1);
  g_assert_null (ms_sweep_window_get_message (view));
  g_assert_true (ms_sweep_window_run (view));
  g_assert_true (wait_until (sweep_stopped, view, 120000));
  g_assert_cmpuint (sim_sweep_get_n_finished (ms_sweep_window_get_sweep (view)), ==, 2);
  g_assert_cmpint (sim_sweep_get_config (ms_sweep_window_get_sweep (view), 1)->planning_depth,
                   ==, 2);

  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  MsWindow *window;
  /* Runs far longer than the test waits. */
  MsSweepWindow *view = open_sweep (&window, 40000, 0);
  SimSweep *sweep;

  ms_sweep_window_set_knob (view, MS_SWEEP_KNOB_DIVERSITY);
  ms_sweep_window_set_n_seeds (view, 5);
  g_assert_true (ms_sweep_window_run (view));
  spin (300);
  g_assert_true (ms_sweep_window_get_running (view));
  ms_sweep_window_cancel (view);
  g_assert_true (wait_until (sweep_stopped, view, 30000));

  sweep = ms_sweep_window_get_sweep (view);
  g_assert_cmpuint (sim_sweep_get_n_runs (sweep), ==, 20);
  g_assert_cmpuint (sim_sweep_get_n_done (sweep), ==, 20);
  g_assert_cmpuint (ms_sweep_window_get_n_delivered (view), ==, 20);
  g_assert_cmpuint (sim_sweep_get_n_finished (sweep), ==, 0);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (ms_sweep_window_get_progress_bar (view)),
                     ==, 1.0);

  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Closing the window while the sweep runs stops it: nothing arrives afterwards. */
static void
test_close_running (void)
{
  MsWindow *window;
  MsSweepWindow *view = open_sweep (&window, 40000, 0);

  g_assert_true (ms_sweep_window_run (view));
  spin (200);
  gtk_window_destroy (GTK_WINDOW (view));
  spin (200);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The main window closed while something still holds its Sweep window (as a delivery of a
 * sweep's run does until the main loop runs it): the Sweep window goes with it, and letting go
 * of it afterwards touches nothing of the main window (G_DEBUG=fatal-warnings). */
static void
test_close_parent_held (void)
{
  MsWindow *window;
  MsSweepWindow *view = open_sweep (&window, 40000, 0);
  GtkWindow *held = g_object_ref (GTK_WINDOW (view));

  g_assert_true (ms_sweep_window_run (view));
  spin (200);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (200);
  g_assert_null (gtk_window_get_transient_for (held));
  g_object_unref (held);
  spin (200);
}

static void
test_export (void)
{
  MsWindow *window;
  MsSweepWindow *view = open_sweep (&window, 3, 0);
  g_autofree char *dir = g_dir_make_tmp ("ms-sweep-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "sweep.csv", NULL);
  g_autoptr (GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  static const char *const images[] = { "sweep.png", "sweep.svg", "sweep.pdf" };
  static const char *const magic[] = { "\x89PNG", "<?xml", "%PDF" };

  /* Nothing to export before a run. */
  g_assert_false (ms_sweep_window_export_csv (view, csv, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  ms_sweep_window_set_values (view, "0, 20, 100");
  ms_sweep_window_set_n_seeds (view, 2);
  g_assert_true (ms_sweep_window_run (view));
  g_assert_true (wait_until (sweep_stopped, view, 120000));
  g_assert_true (ms_sweep_window_export_csv (view, csv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 6 + 1);
  g_assert_true (g_str_has_prefix (lines[0], "index,point,"));
  g_unlink (csv_path);

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autofree char *path = g_build_filename (dir, images[i], NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (ms_sweep_window_export_image (view, file, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 1000);
      g_assert_true (g_str_has_prefix (contents, magic[i]));
      g_unlink (path);
    }
  {
    g_autofree char *path = g_build_filename (dir, "sweep.txt", NULL);
    g_autoptr (GFile) file = g_file_new_for_path (path);

    g_assert_false (ms_sweep_window_export_image (view, file, &error));
    g_assert_nonnull (error);
  }
  g_rmdir (dir);

  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Saving the experiment keeps the sweep; opening the file shows it again, as saved. */
static void
test_saved (void)
{
  MsWindow *window, *other;
  MsSweepWindow *view = open_sweep (&window, 6, 0);
  MsSweepWindow *reopened;
  g_autofree char *dir = g_dir_make_tmp ("ms-sweep-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "with-sweep.mesascope", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (SimExperiment) experiment = NULL;
  SimSweep *sweep, *shown;
  cairo_surface_t *surface;
  cairo_t *cr;

  ms_sweep_window_set_knob (view, MS_SWEEP_KNOB_PLANNING_DEPTH);
  ms_sweep_window_set_values (view, "1, 0");
  ms_sweep_window_set_n_seeds (view, 2);
  g_assert_true (ms_sweep_window_run (view));
  g_assert_true (wait_until (sweep_stopped, view, 120000));
  sweep = ms_sweep_window_get_sweep (view);
  g_assert_true (ms_window_save_experiment (window, file));

  experiment = sim_experiment_load (path, NULL);
  g_assert_nonnull (experiment);
  g_assert_nonnull (experiment->sweep);
  g_assert_cmpint (experiment->sweep->n_runs, ==, 4);
  g_assert_cmpint (experiment->sweep->n_seeds, ==, 2);

  other = g_object_new (MS_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (wait_until (has_snapshot, other, 20000));
  g_assert_true (ms_window_open_experiment (other, file));
  reopened = MS_SWEEP_WINDOW (_ms_window_show_sweep (other));
  g_assert_false (ms_sweep_window_get_running (reopened));
  g_assert_cmpint (ms_sweep_window_get_knob (reopened), ==, MS_SWEEP_KNOB_PLANNING_DEPTH);
  shown = ms_sweep_window_get_sweep (reopened);
  g_assert_nonnull (shown);
  g_assert_cmpuint (sim_sweep_get_n_finished (shown), ==, 4);
  for (guint r = 0; r < 4; r++)
    {
      g_assert_true (sim_config_equal (sim_sweep_get_config (shown, r),
                                       sim_sweep_get_config (sweep, r)));
      g_assert_cmpfloat (sim_sweep_get_final (shown, r)->test_target, ==,
                         sim_sweep_get_final (sweep, r)->test_target);
      g_assert_cmpfloat (sim_sweep_get_final (shown, r)->test_proxy, ==,
                         sim_sweep_get_final (sweep, r)->test_proxy);
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 600);
  cr = cairo_create (surface);
  ms_plot_draw (MS_PLOT (ms_sweep_window_get_plot (reopened)), cr, 1200, 600);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (ms_sweep_plot_get_n_dots (ms_sweep_window_get_plot (reopened)), ==, 8);

  /* Run again from there: the same runs, the same figures. */
  g_assert_true (ms_sweep_window_run (reopened));
  g_assert_true (wait_until (sweep_stopped, reopened, 120000));
  shown = ms_sweep_window_get_sweep (reopened);
  for (guint r = 0; r < 4; r++)
    g_assert_cmpmem (sim_sweep_get_final (shown, r), sizeof (SimSweepFinal),
                     sim_sweep_get_final (sweep, r), sizeof (SimSweepFinal));

  g_unlink (path);
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (reopened));
  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The diversity lesson's sweep step runs 0, 5, 20, 100 % × 5 seeds on the step's run. */
static void
test_lesson (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  const MsLesson *lesson = ms_lessons_lookup ("diversity");
  static const int diversities[] = { 0, 5, 20, 100 };
  MsSweepWindow *view;
  SimSweep *sweep;
  SimConfig step_config;
  guint step = 0;
  gint64 start;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_snapshot, window, 20000));
  g_assert_nonnull (lesson);
  while (step < lesson->n_steps && !lesson->steps[step].sweep)
    step++;
  g_assert_cmpuint (step, <, lesson->n_steps);

  g_action_group_activate_action (G_ACTION_GROUP (window), "lesson",
                                  g_variant_new_string ("diversity"));
  for (guint i = 0; i < step; i++)
    g_action_group_activate_action (G_ACTION_GROUP (window), "lesson-next", NULL);
  start = g_get_monotonic_time ();
  g_assert_cmpuint (window->lesson_step, ==, step);
  view = MS_SWEEP_WINDOW (_ms_window_show_sweep (window));
  g_assert_true (ms_sweep_window_get_running (view));
  g_assert_cmpint (ms_sweep_window_get_knob (view), ==, MS_SWEEP_KNOB_DIVERSITY);
  sim_runner_get_config (ms_window_get_runner (window), &step_config);

  sweep = ms_sweep_window_get_sweep (view);
  g_assert_cmpuint (sim_sweep_get_n_runs (sweep), ==, 20);
  for (guint r = 0; r < 20; r++)
    {
      SimConfig want = step_config;

      want.diversity = diversities[r / 5];
      want.seed = 1 + r % 5;
      g_assert_true (sim_config_equal (sim_sweep_get_config (sweep, r), &want));
    }

  /* Back and forth does not start it again. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "lesson-back", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "lesson-next", NULL);
  g_assert_true (ms_sweep_window_get_sweep (view) == sweep);

  g_assert_true (wait_until (sweep_stopped, view, 290000));
  g_assert_cmpuint (sim_sweep_get_n_finished (sweep), ==, 20);
  g_test_message ("the lesson's sweep took %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The sweep plot has the dashboard's palette, and follows the preference as it changes. */
static void
test_palette (void)
{
  MsWindow *window;
  MsSweepWindow *view = open_sweep (&window, 4, 0);
  MsPlot *plot = MS_PLOT (ms_sweep_window_get_plot (view));
  g_autoptr (GSettings) settings = g_settings_new ("io.github.mesascope.Mesascope");

  g_settings_set_boolean (settings, "colorblind-palette", FALSE);
  g_assert_false (ms_plot_get_colorblind (plot));
  g_settings_set_boolean (settings, "colorblind-palette", TRUE);
  g_assert_true (ms_plot_get_colorblind (plot));
  g_settings_set_boolean (settings, "colorblind-palette", FALSE);
  g_assert_false (ms_plot_get_colorblind (plot));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("mesascope-data-XXXXXX", NULL);
  int status;

  /* Saving an experiment adds it to the recent files: a private folder, not the user's list. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* GTK 4.8 leaks a GDateTime each time it clamps the recent list to its maximum age (as in
   * test-files.c); keeping every entry skips that path. */
  g_object_set (gtk_settings_get_default (), "gtk-recent-files-max-age", -1, NULL);

  g_test_add_func ("/ui/sweep/run", test_run);
  g_test_add_func ("/ui/sweep/bad-values", test_bad_values);
  g_test_add_func ("/ui/sweep/cancel", test_cancel);
  g_test_add_func ("/ui/sweep/close-running", test_close_running);
  g_test_add_func ("/ui/sweep/close-parent-held", test_close_parent_held);
  g_test_add_func ("/ui/sweep/export", test_export);
  g_test_add_func ("/ui/sweep/saved", test_saved);
  g_test_add_func ("/ui/sweep/lesson", test_lesson);
  g_test_add_func ("/ui/sweep/palette", test_palette);
  status = g_test_run ();

  {
    g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);

    g_unlink (recent);
    g_rmdir (data_home);
  }
  return status;
}
