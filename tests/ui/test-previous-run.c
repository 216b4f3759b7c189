/* test-previous-run.c: a change of settings keeps the run it replaces, as faint lines and for Undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the real window: the settings sidebar's own spin button, the Demos action, a link in the
 * article. After a change the success plot draws the replaced run faint, with a legend entry that
 * names the setting that differed; the toast says whether training plays on; and Undo, until the
 * next change, brings back the previous settings and the previous run where it was.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ms-article-panel.h"
#include "ms-article-panel-private.h"
#include "ms-controls-panel.h"
#include "ms-dashboard.h"
#include "ms-success-plot.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "ms-window-private.h"
#include "plot-text.h"
#include "sim.h"
#include "sim-runner.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Predicate) (MsWindow *window, int arg);

static gboolean
wait_until (MsWindow  *window,
            Predicate  pred,
            int        arg,
            guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!pred (window, arg) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return pred (window, arg);
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
activate (MsWindow   *window,
          const char *name,
          GVariant   *parameter)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), name, parameter);
}

static gboolean
undo_enabled (MsWindow *window)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo-settings");
}

static SimSnapshot *
latest (MsWindow *window)
{
  return sim_runner_get_snapshot (ms_window_get_runner (window));
}

static gboolean
frames_after (MsWindow *window,
              int       frames)
{
  return ms_window_get_frame_count (window) > (guint) frames;
}

/* The run on screen is of the runner's current settings and has done at least n iterations. */
static gboolean
current_run_at_least (MsWindow *window,
                      int       n)
{
  SimSnapshot *snapshot = latest (window);
  SimConfig config;

  sim_runner_get_config (ms_window_get_runner (window), &config);
  return snapshot != NULL && sim_config_equal (&snapshot->config, &config) &&
         snapshot->iteration >= n;
}

static gboolean
iteration_below (MsWindow *window,
                 int       n)
{
  return latest (window) != NULL && latest (window)->iteration < n;
}

/* ... and is paused there, as published. */
static gboolean
current_run_paused (MsWindow *window,
                    int       unused)
{
  SimSnapshot *snapshot = latest (window);

  return current_run_at_least (window, 0) && !snapshot->running &&
         !sim_runner_get_playing (ms_window_get_runner (window));
}

static gboolean
current_run_finished (MsWindow *window,
                      int       unused)
{
  SimSnapshot *snapshot = latest (window);

  return current_run_paused (window, 0) && snapshot->iteration == snapshot->config.iterations;
}

static gboolean
toast_gone (MsWindow *window,
            int       unused)
{
  return window->change_toast == NULL;
}

/* Undo's replay has ended, paused at the iteration, every part showing it. */
static gboolean
restored_at (MsWindow *window,
             int       iteration)
{
  SimSnapshot *held = ms_dashboard_get_snapshot (ms_window_get_dashboard (window));

  return window->restore_iteration == 0 && current_run_paused (window, 0) &&
         latest (window)->iteration == iteration && held == latest (window);
}

static gboolean
restored_and_playing (MsWindow *window,
                      int       iteration)
{
  SimSnapshot *snapshot = latest (window);

  return window->restore_iteration == 0 && current_run_at_least (window, iteration + 1) &&
         snapshot->running && sim_runner_get_playing (ms_window_get_runner (window));
}

static MsWindow *
open_window (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (window, frames_after, 0, 10000));
  g_assert_true (wait_until (window, current_run_paused, 0, 10000));
  return window;
}

static MsSuccessPlot *
success_plot (MsWindow *window)
{
  return MS_SUCCESS_PLOT (ms_dashboard_get_part (ms_window_get_dashboard (window),
                                                 MS_DASHBOARD_PART_SUCCESS));
}

/* Draws the success plot at its size in the window, as a frame would. */
static void
draw_success (MsWindow *window)
{
  GtkWidget *plot = GTK_WIDGET (success_plot (window));
  int w = gtk_widget_get_width (plot), h = gtk_widget_get_height (plot);
  cairo_surface_t *surface;
  cairo_t *cr;

  g_assert_cmpint (w, >, 0);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  ms_plot_draw (MS_PLOT (plot), cr, w, h);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The settings sidebar's diversity, set as a person sets it: on its own spin button. */
static void
set_diversity (MsWindow *window,
               int       percent)
{
  GObject *spin_button = gtk_widget_get_template_child (
    GTK_WIDGET (ms_window_get_controls_panel (window)), MS_TYPE_CONTROLS_PANEL, "diversity_spin");

  g_assert_true (GTK_IS_SPIN_BUTTON (spin_button));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), percent);
}

static int
runner_diversity (MsWindow *window)
{
  SimConfig config;

  sim_runner_get_config (ms_window_get_runner (window), &config);
  return config.diversity;
}

static const char *
toast_title (MsWindow *window)
{
  g_assert_nonnull (window->change_toast);
  return adw_toast_get_title (window->change_toast);
}

/* The histories of two runs agree, bit for bit, over the first n iterations. */
static void
assert_same_run (const SimSnapshot *a,
                 const SimSnapshot *b,
                 int                n)
{
  g_assert_true (sim_config_equal (&a->config, &b->config));
  g_assert_cmpint (a->n_history, >=, n);
  g_assert_cmpint (b->n_history, >=, n);
  g_assert_cmpmem (a->train_target, sizeof (double) * n, b->train_target, sizeof (double) * n);
  g_assert_cmpmem (a->test_target, sizeof (double) * n, b->test_target, sizeof (double) * n);
  g_assert_cmpmem (a->test_proxy, sizeof (double) * n, b->test_proxy, sizeof (double) * n);
  for (int k = 0; k < a->n_inferences && a->inference_iteration[k] <= n; k++)
    {
      g_assert_cmpint (b->n_inferences, >, k);
      g_assert_cmpint (a->inference_iteration[k], ==, b->inference_iteration[k]);
      g_assert_cmpmem (a->inferred + (gsize) k * a->n_features, sizeof (double) * a->n_features,
                       b->inferred + (gsize) k * b->n_features, sizeof (double) * b->n_features);
    }
}

/* The settings sidebar: the replaced run stays as faint lines named "Before: diversity 0 %",
 * training plays on and the toast says so; the next change replaces them by the then previous
 * run; Start Over keeps them; two changes in a row keep the run that had trained; paused, the
 * toast says the new run is paused; a lesson's start drops them. */
static void
test_settings_change (void)
{
  MsWindow *window = open_window ();
  SimRunner *runner = ms_window_get_runner (window);
  MsSuccessPlot *plot = success_plot (window);
  SimSnapshot *previous;

  /* Nothing to undo, nothing faint, before any change. */
  g_assert_false (undo_enabled (window));
  g_assert_null (ms_success_plot_get_previous (plot));

  activate (window, "speed", g_variant_new_string ("16"));
  activate (window, "play-pause", NULL);
  g_assert_true (wait_until (window, current_run_at_least, 6, 30000));

  set_diversity (window, 20);
  g_assert_cmpint (runner_diversity (window), ==, 20);
  g_assert_true (sim_runner_get_playing (runner));
  g_assert_cmpstr (toast_title (window), ==, "Settings changed: training started over");
  g_assert_true (undo_enabled (window));
  previous = ms_success_plot_get_previous (plot);
  g_assert_nonnull (previous);
  g_assert_cmpint (previous->config.diversity, ==, 0);
  g_assert_cmpint (previous->iteration, >=, 6);
  g_assert_cmpstr (ms_success_plot_get_previous_label (plot), ==, "Before: diversity 0 %");

  /* The new run grows beside the faint one; the legend names it, as drawn text. */
  g_assert_true (wait_until (window, current_run_at_least, 3, 30000));
  spin (100);
  draw_success (window);
  g_assert_true (plot_drew_text (MS_PLOT (plot), "Before: diversity 0 %"));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)),
                            "Faint lines: Before: diversity 0 %."));

  /* The next change: the run with diversity 20 % is the previous one now. */
  set_diversity (window, 40);
  g_assert_true (sim_runner_get_playing (runner));
  previous = ms_success_plot_get_previous (plot);
  g_assert_cmpint (previous->config.diversity, ==, 20);
  g_assert_cmpstr (ms_success_plot_get_previous_label (plot), ==, "Before: diversity 20 %");
  g_assert_true (wait_until (window, current_run_at_least, 3, 30000));

  /* Start Over keeps the settings, and the faint lines with them. */
  {
    int was = latest (window)->iteration;

    activate (window, "reset", NULL);
    g_assert_true (wait_until (window, iteration_below, was, 30000));
  }
  g_assert_true (wait_until (window, current_run_at_least, 2, 30000));
  g_assert_true (ms_success_plot_get_previous (plot) == previous);

  /* Paused: the toast says the new run waits at iteration 0. */
  activate (window, "play-pause", NULL);
  g_assert_true (wait_until (window, current_run_paused, 0, 10000));
  set_diversity (window, 60);
  g_assert_false (sim_runner_get_playing (runner));
  g_assert_cmpstr (toast_title (window), ==, "Settings changed: back to iteration 0, paused");
  g_assert_cmpint (ms_success_plot_get_previous (plot)->config.diversity, ==, 40);
  spin (300);
  g_assert_cmpint (latest (window)->iteration, ==, 0);
  g_assert_false (latest (window)->running);

  /* A second change before the first trained: the run that trained stays, named against the
   * settings now. */
  set_diversity (window, 80);
  g_assert_cmpint (ms_success_plot_get_previous (plot)->config.diversity, ==, 40);
  g_assert_cmpstr (ms_success_plot_get_previous_label (plot), ==, "Before: diversity 40 %");
  g_assert_true (wait_until (window, current_run_paused, 0, 10000));
  spin (100);
  draw_success (window);
  g_assert_true (plot_drew_text (MS_PLOT (plot), "Before: diversity 40 %"));

  /* A lesson starts from its own demonstration: no faint lines. */
  activate (window, "lesson", g_variant_new_string ("coin"));
  g_assert_null (ms_success_plot_get_previous (plot));
  draw_success (window);
  g_assert_false (plot_drew_text (MS_PLOT (plot), "Before: diversity 40 %"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A run that played to its end was not paused by anyone: a change plays the new run. */
static void
test_finished_run_plays_on (void)
{
  MsWindow *window = open_window ();

  activate (window, "speed", g_variant_new_string ("0"));
  activate (window, "play-pause", NULL);
  g_assert_true (wait_until (window, current_run_finished, 0, 60000));
  set_diversity (window, 20);
  g_assert_true (sim_runner_get_playing (ms_window_get_runner (window)));
  g_assert_cmpstr (toast_title (window), ==, "Settings changed: training started over");
  g_assert_cmpint (ms_success_plot_get_previous (success_plot (window))->iteration, ==, 60);
  g_assert_true (wait_until (window, current_run_at_least, 1, 30000));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An article link that loads a demonstration: its toast stays; once dismissed, Undo is still
 * there, and brings back the settings and the run at the same iteration, the same to the bit. */
static void
test_undo_article_link (void)
{
  MsWindow *window = open_window ();
  SimRunner *runner = ms_window_get_runner (window);
  MsArticlePanel *panel = MS_ARTICLE_PANEL (ms_window_get_article_panel (window));
  MsSuccessPlot *plot = success_plot (window);
  g_autoptr (SimSnapshot) before = NULL;
  SimConfig config;
  GtkTextIter iter;

  activate (window, "speed", g_variant_new_string ("16"));
  activate (window, "play-pause", NULL);
  g_assert_true (wait_until (window, current_run_at_least, 10, 30000));
  activate (window, "play-pause", NULL);
  g_assert_true (wait_until (window, current_run_paused, 0, 10000));
  before = sim_snapshot_ref (latest (window));
  g_assert_cmpint (before->iteration, >=, 10);

  /* The link "goal misgeneralization" loads "Coin Sometimes Hidden". */
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (panel));
    GtkTextIter start, end;
    g_autofree char *text = NULL;
    const char *found;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
    found = strstr (text, "goal misgeneralization");
    g_assert_nonnull (found);
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, g_utf8_pointer_to_offset (text, found));
  }
  g_assert_true (ms_article_panel_activate_link_at (panel, &iter));
  sim_runner_get_config (runner, &config);
  g_assert_cmpint (config.perception, ==, SIM_PERCEPTION_HIDDEN);
  g_assert_cmpstr (toast_title (window), ==,
                   "Loaded “Coin Sometimes Hidden”: back to iteration 0, paused");
  /* It stays until dismissed. */
  g_assert_cmpuint (adw_toast_get_timeout (window->change_toast), ==, 0);
  g_assert_cmpstr (ms_success_plot_get_previous_label (plot), ==, "Before: target always seen");

  /* Dismissed (once it is there: libadwaita 1.2 cannot dismiss a toast while it slides in),
   * and a few iterations of the new run later, Undo is still there. */
  spin (700);
  g_assert_nonnull (window->change_toast);
  adw_toast_dismiss (window->change_toast);
  g_assert_true (wait_until (window, toast_gone, 0, 1000));
  activate (window, "step", NULL);
  activate (window, "step", NULL);
  g_assert_true (wait_until (window, current_run_at_least, 2, 30000));
  g_assert_true (wait_until (window, current_run_paused, 0, 10000));
  g_assert_true (undo_enabled (window));

  activate (window, "undo-settings", NULL);
  sim_runner_get_config (runner, &config);
  g_assert_true (sim_config_equal (&config, &before->config));
  g_assert_true (wait_until (window, restored_at, before->iteration, 60000));
  assert_same_run (before, latest (window), before->iteration);
  /* Paused as it was; Undo is spent until the next change. */
  spin (300);
  g_assert_cmpint (latest (window)->iteration, ==, before->iteration);
  g_assert_false (undo_enabled (window));
  /* The run Undo replaced is the faint one now. */
  g_assert_cmpint (ms_success_plot_get_previous (plot)->config.perception, ==,
                   SIM_PERCEPTION_HIDDEN);
  g_assert_cmpstr (ms_success_plot_get_previous_label (plot), ==,
                   "Undone: target out of sight in 30 % of levels");
  g_assert_cmpstr (gtk_inscription_get_text (window->status_label), !=, NULL);
  g_assert_null (strstr (gtk_inscription_get_text (window->status_label), "Bringing back"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A demo chosen while training plays: the toast times out, Undo stays, and the previous run
 * comes back where it was and plays on (the demo's run played, or played to its end, by
 * then). */
static void
test_undo_preset_after_timeout (void)
{
  MsWindow *window = open_window ();
  SimRunner *runner = ms_window_get_runner (window);
  g_autoptr (SimSnapshot) replaced = NULL;
  SimConfig start, config;

  sim_runner_get_config (runner, &start);
  activate (window, "speed", g_variant_new_string ("16"));
  activate (window, "play-pause", NULL);
  g_assert_true (wait_until (window, current_run_at_least, 8, 30000));

  activate (window, "preset", g_variant_new_string ("green-exit"));
  g_assert_true (sim_runner_get_playing (runner));
  g_assert_cmpstr (toast_title (window), ==, "Loaded “Green Exit”: training started over");
  g_assert_cmpuint (adw_toast_get_timeout (window->change_toast), >, 0);
  replaced = sim_snapshot_ref (ms_success_plot_get_previous (success_plot (window)));
  g_assert_cmpint (replaced->iteration, >=, 8);
  g_assert_cmpint (replaced->iteration, ==, window->previous_iteration);
  g_assert_cmpstr (ms_success_plot_get_previous_label (success_plot (window)), ==,
                   "Before: Coin at the end, target always seen");

  /* The toast's time runs out; Undo does not. */
  g_assert_true (wait_until (window, toast_gone, 0, 20000));
  g_assert_true (undo_enabled (window));

  activate (window, "undo-settings", NULL);
  sim_runner_get_config (runner, &config);
  g_assert_true (sim_config_equal (&config, &start));
  if (!wait_until (window, restored_and_playing, replaced->iteration, 60000))
    g_test_message ("restore %d, latest %s iteration %d running %d, playing %d",
                    window->restore_iteration,
                    sim_config_equal (&latest (window)->config, &start) ? "restored" : "other",
                    latest (window)->iteration, latest (window)->running,
                    sim_runner_get_playing (runner));
  g_assert_true (restored_and_playing (window, replaced->iteration));
  assert_same_run (replaced, latest (window), replaced->iteration);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Changes in quick succession, their toasts replaced while they slide in and out: the last
 * change's toast is left, and nothing breaks. */
static void
test_rapid_changes (void)
{
  MsWindow *window = open_window ();

  for (int i = 1; i <= 12; i++)
    {
      set_diversity (window, i * 5);
      /* Closed by hand now and then, once it is in (libadwaita 1.2 cannot close a toast as it
       * slides in). */
      if (i % 4 == 2)
        {
          spin (700);
          g_assert_nonnull (window->change_toast);
          adw_toast_dismiss (window->change_toast);
        }
      spin (g_test_rand_int_range (0, 700));
    }
  spin (1500);
  g_assert_cmpint (runner_diversity (window), ==, 60);
  g_assert_cmpstr (toast_title (window), ==, "Settings changed: back to iteration 0, paused");
  g_assert_true (undo_enabled (window));
  activate (window, "undo-settings", NULL);
  g_assert_cmpint (runner_diversity (window), ==, 55);
  spin (1000);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/previous-run/settings-change", test_settings_change);
  g_test_add_func ("/ui/previous-run/finished-run-plays-on", test_finished_run_plays_on);
  g_test_add_func ("/ui/previous-run/undo-article-link", test_undo_article_link);
  g_test_add_func ("/ui/previous-run/undo-preset-after-timeout", test_undo_preset_after_timeout);
  g_test_add_func ("/ui/previous-run/rapid-changes", test_rapid_changes);
  return g_test_run ();
}
