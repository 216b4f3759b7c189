/* test-present.c: presentation mode, the preferences window, Reset All and plots that do not
 * rely on hue alone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ms-controls-panel.h"
#include "ms-dashboard.h"
#include "ms-plot.h"
#include "ms-preferences.h"
#include "ms-alignment-plot.h"
#include "ms-success-plot.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "ms-window-private.h"
#include "plot-fixtures.h"
#include "plot-text.h"
#include "sim.h"
#include "sim-runner.h"
#include "ui-wait.h"

static gboolean
has_drawn (gpointer data)
{
  return ms_window_get_frame_count (data) > 0;
}

static MsWindow *
new_window (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_drawn, window, 10000));
  return window;
}

static GtkWidget *
child (MsWindow   *window,
       const char *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), MS_TYPE_WINDOW, id);

  g_assert_true (GTK_IS_WIDGET (object));
  return GTK_WIDGET (object);
}

static gboolean
get_bool_state (MsWindow   *window,
                const char *action)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), action);

  return g_variant_get_boolean (state);
}

/* Presses Escape the way the window's shortcut controller would see it: finds the shortcut
 * whose trigger is Escape and activates its action on the window. */
static gboolean
press_escape (MsWindow *window)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_autoptr (GtkShortcutTrigger) escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) && gtk_shortcut_trigger_equal (trigger, escape))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                 GTK_WIDGET (window), NULL);
        }
    }
  g_assert_not_reached ();
  return FALSE;
}

static void
assert_parts_scale (MsWindow *window,
                    double    scale)
{
  MsDashboard *dashboard = ms_window_get_dashboard (window);

  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    g_assert_cmpfloat_with_epsilon (ms_plot_get_scale (MS_PLOT (ms_dashboard_get_part (dashboard, i))),
                                    scale, 1e-9);
}

static gboolean
dashboard_teacher_mode (MsWindow *window)
{
  gboolean on;

  g_object_get (ms_window_get_dashboard (window), "teacher-mode", &on, NULL);
  return on;
}

/* Fullscreen, or at least asked for: without a window manager (Xvfb) the request is never
 * granted. */
static gboolean
is_fullscreen (gpointer data)
{
  MsWindow *window = data;

  return gtk_window_is_fullscreen (data) || window->present_fullscreen_requested;
}

static gboolean
is_not_fullscreen (gpointer data)
{
  MsWindow *window = data;

  return !gtk_window_is_fullscreen (data) && !window->present_fullscreen_requested;
}

static gboolean
is_wide (gpointer data)
{
  return gtk_widget_get_width (data) >= 1900;
}

/* Entering presentation mode: fullscreen, bigger plots, settings closed, header reduced, answer
 * key withheld; leaving (by Escape) puts every one of them back. */
static void
test_present_toggle (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  MsWindow *window;
  MsDashboard *dashboard;
  MsPlot *success;
  AdwFlap *controls_flap;
  double title_before, title_presenting;

  g_settings_set_double (settings, "presentation-scale", 1.8);
  g_settings_set_boolean (settings, "hide-teacher-in-presentation", TRUE);
  g_settings_set_boolean (settings, "teacher-mode", TRUE);
  window = new_window ();
  dashboard = ms_window_get_dashboard (window);
  success = MS_PLOT (ms_dashboard_get_part (dashboard, MS_DASHBOARD_PART_SUCCESS));
  controls_flap = ADW_FLAP (child (window, "controls_flap"));

  /* A state to come back to: settings and article open (in a window wide enough for both
   * beside the dashboard; in a narrower one showing one closes the other), answer key shown,
   * normal size, not fullscreen. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  g_assert_true (wait_until (is_wide, window, 5000));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "toggle-controls",
                                      g_variant_new_boolean (TRUE));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "toggle-article",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (adw_flap_get_reveal_flap (controls_flap));
  g_assert_true (ms_window_get_article_visible (window));
  g_assert_true (dashboard_teacher_mode (window));
  g_assert_false (gtk_window_is_fullscreen (GTK_WINDOW (window)));
  assert_parts_scale (window, 1.0);
  title_before = ms_plot_font_height (success, MS_FONT_TITLE);
  g_assert_false (get_bool_state (window, "presentation"));
  g_assert_true (gtk_widget_get_visible (child (window, "presets_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "next_level_button")));

  g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);
  g_assert_true (get_bool_state (window, "presentation"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  g_assert_true (wait_until (is_fullscreen, window, 5000));
  assert_parts_scale (window, 1.8);
  title_presenting = ms_plot_font_height (success, MS_FONT_TITLE);
  g_test_message ("title height %.1f → %.1f px", title_before, title_presenting);
  g_assert_cmpfloat (title_presenting / title_before, >, 1.6);
  g_assert_false (adw_flap_get_reveal_flap (controls_flap));
  /* The article gives the plots its room, and opens when asked for. */
  g_assert_false (ms_window_get_article_visible (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
  g_assert_true (ms_window_get_article_visible (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
  g_assert_false (ms_window_get_article_visible (window));
  g_assert_false (gtk_widget_get_visible (child (window, "controls_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "presets_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "primary_menu_button")));
  g_assert_true (gtk_widget_get_visible (child (window, "play_button")));
  g_assert_true (gtk_widget_get_visible (child (window, "next_level_button")));
  g_assert_true (gtk_widget_get_visible (child (window, "leave_presentation_button")));
  g_assert_false (adw_header_bar_get_show_end_title_buttons (ADW_HEADER_BAR (child (window, "header_bar"))));
  /* The answer key is withheld, and nothing can turn it back on; the preference is kept. */
  g_assert_false (dashboard_teacher_mode (window));
  g_assert_false (g_action_group_has_action (G_ACTION_GROUP (window), "teacher-mode"));
  g_settings_set_boolean (settings, "teacher-mode", TRUE);
  g_assert_false (dashboard_teacher_mode (window));
  g_assert_true (g_settings_get_boolean (settings, "teacher-mode"));

  /* The scale follows the preference while presenting. */
  g_settings_set_double (settings, "presentation-scale", 2.2);
  assert_parts_scale (window, 2.2);

  g_assert_true (press_escape (window));
  g_assert_false (get_bool_state (window, "presentation"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  g_assert_true (wait_until (is_not_fullscreen, window, 5000));
  assert_parts_scale (window, 1.0);
  g_assert_cmpfloat_with_epsilon (ms_plot_font_height (success, MS_FONT_TITLE), title_before,
                                  0.01);
  g_assert_true (adw_flap_get_reveal_flap (controls_flap));
  g_assert_true (ms_window_get_article_visible (window));
  g_assert_true (gtk_widget_get_visible (child (window, "controls_button")));
  g_assert_true (gtk_widget_get_visible (child (window, "presets_button")));
  g_assert_true (gtk_widget_get_visible (child (window, "primary_menu_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "next_level_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "leave_presentation_button")));
  g_assert_true (adw_header_bar_get_show_end_title_buttons (ADW_HEADER_BAR (child (window, "header_bar"))));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "teacher-mode"));
  g_assert_true (dashboard_teacher_mode (window));
  g_settings_set_boolean (settings, "teacher-mode", FALSE);
  g_assert_false (dashboard_teacher_mode (window));
  /* Escape outside presentation mode is left to others. */
  g_assert_false (press_escape (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "presentation-scale");
  g_settings_reset (settings, "hide-teacher-in-presentation");
  g_settings_reset (settings, "teacher-mode");
}

/* The answer key stays when the preference allows it, and the settings panel and the article
 * stay closed if they were. */
static void
test_present_keeps_state (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  MsWindow *window;
  AdwFlap *controls_flap;

  g_settings_set_boolean (settings, "hide-teacher-in-presentation", FALSE);
  g_settings_set_boolean (settings, "teacher-mode", TRUE);
  window = new_window ();
  controls_flap = ADW_FLAP (child (window, "controls_flap"));
  g_assert_false (adw_flap_get_reveal_flap (controls_flap));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "toggle-article",
                                      g_variant_new_boolean (FALSE));
  g_assert_false (ms_window_get_article_visible (window));

  g_action_group_change_action_state (G_ACTION_GROUP (window), "presentation",
                                      g_variant_new_boolean (TRUE));
  assert_parts_scale (window, g_settings_get_double (settings, "presentation-scale"));
  g_assert_true (dashboard_teacher_mode (window));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "teacher-mode"));
  /* Turning the preference on while presenting withholds the key at once. */
  g_settings_set_boolean (settings, "hide-teacher-in-presentation", TRUE);
  g_assert_false (dashboard_teacher_mode (window));
  g_settings_set_boolean (settings, "hide-teacher-in-presentation", FALSE);
  g_assert_true (dashboard_teacher_mode (window));

  g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);
  g_assert_false (get_bool_state (window, "presentation"));
  g_assert_true (wait_until (is_not_fullscreen, window, 5000));
  g_assert_false (adw_flap_get_reveal_flap (controls_flap));
  g_assert_false (ms_window_get_article_visible (window));
  assert_parts_scale (window, 1.0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "hide-teacher-in-presentation");
  g_settings_reset (settings, "teacher-mode");
}

static MsPreferences *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  MsPreferences *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (MS_IS_PREFERENCES (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = MS_PREFERENCES (window);
    }
  return found;
}

static GObject *
preferences_child (MsPreferences *preferences,
                   const char    *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                   MS_TYPE_PREFERENCES, id);

  g_assert_nonnull (object);
  return object;
}

static gboolean
speed_is (gpointer data)
{
  return sim_runner_get_speed (ms_window_get_runner (data)) == 16.0;
}

/* The preferences window opens from the window's action, and every row writes its key, which
 * the window follows. */
static void
test_preferences (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  MsWindow *window = new_window ();
  MsDashboard *dashboard = ms_window_get_dashboard (window);
  MsPreferences *preferences;
  g_autoptr (GVariant) speed_state = NULL;
  g_autofree char *scenario = NULL;

  /* The lessons of the tests before this one leave their pace in the key. */
  g_settings_reset (settings, "speed");
  g_assert_null (find_preferences ());
  g_action_group_activate_action (G_ACTION_GROUP (window), "preferences", NULL);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (preferences));

  /* Rows show the keys. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (preferences_child (preferences, "scale_spin"))),
                     ==, g_settings_get_double (settings, "presentation-scale"));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (preferences_child (preferences, "infer_spin"))),
                   ==, g_settings_get_int (settings, "infer-every"));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (preferences_child (preferences, "speed_row"))),
                    ==, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (preferences_child (preferences, "scale_spin")), 2.0);
  g_assert_cmpfloat (g_settings_get_double (settings, "presentation-scale"), ==, 2.0);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (preferences_child (preferences, "infer_spin")), 10);
  g_assert_cmpint (g_settings_get_int (settings, "infer-every"), ==, 10);

  /* The article's text size, as the README promises; the article panel follows. */
  {
    GtkSpinButton *zoom = GTK_SPIN_BUTTON (preferences_child (preferences, "article_zoom_spin"));

    g_assert_cmpfloat (gtk_spin_button_get_value (zoom), ==,
                       g_settings_get_double (settings, "article-zoom"));
    gtk_spin_button_set_value (zoom, 1.5);
  }
  g_assert_cmpfloat (g_settings_get_double (settings, "article-zoom"), ==, 1.5);
  {
    double scale = 0;

    g_object_get (ms_window_get_article_panel (window), "font-scale", &scale, NULL);
    g_assert_cmpfloat (scale, ==, 1.5);
  }

  adw_combo_row_set_selected (ADW_COMBO_ROW (preferences_child (preferences, "scenario_row")), 1);
  scenario = g_settings_get_string (settings, "default-scenario");
  g_assert_cmpstr (scenario, ==, "green-exit");

  /* The speed applies at once, and the menu's radio items show it. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (preferences_child (preferences, "speed_row")), 2);
  g_assert_cmpfloat (g_settings_get_double (settings, "speed"), ==, 16.0);
  g_assert_true (wait_until (speed_is, window, 2000));
  speed_state = g_action_group_get_action_state (G_ACTION_GROUP (window), "speed");
  g_assert_cmpstr (g_variant_get_string (speed_state, NULL), ==, "16");

  /* The palette reaches every plot. */
  gtk_switch_set_active (GTK_SWITCH (preferences_child (preferences, "colorblind_switch")), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "colorblind-palette"));
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    g_assert_true (ms_plot_get_colorblind (MS_PLOT (ms_dashboard_get_part (dashboard, i))));
  gtk_switch_set_active (GTK_SWITCH (preferences_child (preferences, "colorblind_switch")), FALSE);
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    g_assert_false (ms_plot_get_colorblind (MS_PLOT (ms_dashboard_get_part (dashboard, i))));

  gtk_switch_set_active (GTK_SWITCH (preferences_child (preferences, "teacher_switch")), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "teacher-mode"));
  g_assert_true (dashboard_teacher_mode (window));
  gtk_switch_set_active (GTK_SWITCH (preferences_child (preferences, "hide_teacher_switch")),
                         FALSE);
  g_assert_false (g_settings_get_boolean (settings, "hide-teacher-in-presentation"));
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* Opened while presenting with the key withheld, the teacher row cannot be switched. */
  g_settings_set_boolean (settings, "hide-teacher-in-presentation", TRUE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "preferences", NULL);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (preferences_child (preferences, "teacher_row"))));
  gtk_window_destroy (GTK_WINDOW (preferences));

  gtk_window_destroy (GTK_WINDOW (window));
  for (const char * const *key = (const char * const[]) { "presentation-scale", "infer-every",
                                                          "article-zoom",
                                                          "default-scenario", "speed",
                                                          "colorblind-palette", "teacher-mode",
                                                          "hide-teacher-in-presentation", NULL };
       *key != NULL; key++)
    g_settings_reset (settings, *key);
}

static gboolean
config_is (MsWindow        *window,
           const SimConfig *expected)
{
  SimConfig config;

  sim_runner_get_config (ms_window_get_runner (window), &config);
  return config.scenario == expected->scenario && config.agent == expected->agent
         && config.optimizer == expected->optimizer && config.perception == expected->perception
         && config.perception_param == expected->perception_param
         && config.diversity == expected->diversity && config.grid == expected->grid
         && config.iterations == expected->iterations && config.seed == expected->seed
         && config.infer_every == expected->infer_every;
}

static gboolean
trained_some (gpointer data)
{
  SimSnapshot *snapshot = ms_dashboard_get_snapshot (ms_window_get_dashboard (data));

  return snapshot != NULL && snapshot->iteration >= 1;
}

typedef struct
{
  MsWindow *window;
  const SimConfig *config;
  int iteration;
} Expect;

static gboolean
fresh_snapshot_of (gpointer data)
{
  Expect *e = data;
  SimSnapshot *snapshot = ms_dashboard_get_snapshot (ms_window_get_dashboard (e->window));

  return snapshot != NULL && snapshot->iteration == 0
         && snapshot->config.scenario == e->config->scenario
         && snapshot->config.diversity == e->config->diversity
         && snapshot->config.optimizer == e->config->optimizer;
}

/* The run of the expected configuration is back at the expected iteration, paused, in every
 * part. */
static gboolean
restored_snapshot_of (gpointer data)
{
  Expect *e = data;
  SimRunner *runner = ms_window_get_runner (e->window);
  SimSnapshot *snapshot = ms_dashboard_get_snapshot (ms_window_get_dashboard (e->window));
  SimConfig config;

  sim_runner_get_config (runner, &config);
  return snapshot != NULL && snapshot == sim_runner_get_snapshot (runner) &&
         sim_config_equal (&snapshot->config, e->config) && sim_config_equal (&config, e->config) &&
         snapshot->iteration == e->iteration && !sim_runner_get_playing (runner);
}

/* Reset All goes back to the start configuration (from the preferences), paused, at iteration
 * 0, showing the test level; Undo brings the demonstration that was loaded back, where it
 * was. */
static void
test_reset_all (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  MsWindow *window;
  SimRunner *runner;
  SimConfig start, loaded;
  g_autoptr (GVariant) shown = NULL;
  Expect expect = { 0 };

  g_settings_set_string (settings, "default-scenario", "green-exit");
  g_settings_set_int (settings, "infer-every", 7);
  window = new_window ();
  runner = ms_window_get_runner (window);
  sim_runner_get_config (runner, &start);
  g_assert_cmpint (start.scenario, ==, SIM_SCENARIO_GREEN_EXIT);
  g_assert_cmpint (start.infer_every, ==, 7);

  /* Another demonstration, training, on the training level. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("lock-in-pgn"));
  sim_runner_get_config (runner, &loaded);
  g_assert_cmpint (loaded.scenario, ==, SIM_SCENARIO_COIN);
  g_assert_cmpint (loaded.optimizer, ==, SIM_OPTIMIZER_PGN);
  g_assert_cmpint (loaded.diversity, ==, 20);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-level",
                                      g_variant_new_string ("train"));
  g_assert_cmpint (ms_dashboard_get_shown (ms_window_get_dashboard (window)), ==,
                   SIM_SHOWN_TRAIN);
  /* A step asked for before the worker took the reset would be dropped with it. */
  expect.window = window;
  expect.config = &loaded;
  g_assert_true (wait_until (fresh_snapshot_of, &expect, 10000));
  g_action_group_activate_action (G_ACTION_GROUP (window), "step", NULL);
  g_assert_true (wait_until (trained_some, window, 30000));
  g_action_group_activate_action (G_ACTION_GROUP (window), "play-pause", NULL);
  g_assert_true (sim_runner_get_playing (runner));

  /* Where the demonstration was when Reset All replaced it: Undo brings it back there. */
  expect.iteration = sim_runner_get_snapshot (runner)->iteration;
  g_action_group_activate_action (G_ACTION_GROUP (window), "reset-all", NULL);
  g_assert_false (sim_runner_get_playing (runner));
  g_assert_true (config_is (window, &start));
  g_assert_cmpint (ms_dashboard_get_shown (ms_window_get_dashboard (window)), ==,
                   SIM_SHOWN_TEST);
  shown = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-level");
  g_assert_cmpstr (g_variant_get_string (shown, NULL), ==, "test");
  expect.config = &start;
  g_assert_true (wait_until (fresh_snapshot_of, &expect, 10000));
  /* Paused: it stays at iteration 0. */
  spin (300);
  g_assert_cmpint (ms_dashboard_get_snapshot (ms_window_get_dashboard (window))->iteration, ==, 0);

  /* The toast's Undo: the demonstration, replayed to where it was, paused as Reset All left
   * the run. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "undo-settings", NULL);
  g_assert_true (config_is (window, &loaded));
  expect.config = &loaded;
  g_assert_true (wait_until (expect.iteration > 0 ? restored_snapshot_of : fresh_snapshot_of,
                             &expect, 30000));

  gtk_window_destroy (GTK_WINDOW (window));

  /* Keys and chests as the start: it starts, and Reset All returns, with the settings that
   * scenario trains with (cem, full perception, 20 generations). */
  g_settings_set_string (settings, "default-scenario", "keys-chests");
  window = new_window ();
  runner = ms_window_get_runner (window);
  sim_runner_get_config (runner, &start);
  g_assert_cmpint (start.scenario, ==, SIM_SCENARIO_KEYS_CHESTS);
  g_assert_cmpint (start.optimizer, ==, SIM_OPTIMIZER_CEM);
  g_assert_cmpint (start.iterations, ==, 20);
  g_assert_cmpint (start.infer_every, ==, 7);
  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("coin"));
  sim_runner_get_config (runner, &loaded);
  g_assert_cmpint (loaded.scenario, ==, SIM_SCENARIO_COIN);
  g_action_group_activate_action (G_ACTION_GROUP (window), "reset-all", NULL);
  g_assert_true (config_is (window, &start));
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_reset (settings, "default-scenario");
  g_settings_reset (settings, "infer-every");
}

/* Which pixels a drawing covers, whatever their colour (alpha above half), inside the data
 * area. */
static guchar *
coverage (GtkWidget *plot,
          SimSnapshot *snapshot,
          int          width,
          int          height,
          graphene_rect_t *area)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  guchar *mask = g_new0 (guchar, (gsize) width * height);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *data;

  ms_plot_set_snapshot (MS_PLOT (plot), snapshot);
  ms_plot_draw (MS_PLOT (plot), cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), area));
  data = cairo_image_surface_get_data (surface);
  for (int y = (int) area->origin.y; y < (int) (area->origin.y + area->size.height); y++)
    for (int x = (int) area->origin.x; x < (int) (area->origin.x + area->size.width); x++)
      mask[y * width + x] = data[(gsize) y * stride + x * 4 + 3] > 128;
  cairo_surface_destroy (surface);
  return mask;
}

/* Copies of the mid-training fixture in which only series `keep` of the three success series
 * (or of the two cosine series when cosines is TRUE) has values, all of them `values`. */
static SimSnapshot *
only_series (int      keep,
             gboolean cosines)
{
  SimSnapshot *s = fixture_mid_training ();
  double *series[3];
  int n;
  const double *values;

  if (cosines)
    {
      series[0] = s->cos_base;
      series[1] = s->cos_true;
      series[2] = NULL;
      n = s->n_inferences;
      values = s->cos_base;
    }
  else
    {
      series[0] = s->train_target;
      series[1] = s->test_target;
      series[2] = s->test_proxy;
      n = s->n_history;
      values = s->train_target;
    }
  {
    g_autofree double *copy = g_memdup2 (values, sizeof (double) * n);

    for (int k = 0; k < 3; k++)
      for (int i = 0; series[k] != NULL && i < n; i++)
        series[k][i] = k == keep ? copy[i] : NAN;
  }
  return s;
}

/* Number of data-area pixels covered by one drawing and not the other. */
static int
shape_difference (GtkWidget *plot,
                  int        a,
                  int        b,
                  gboolean   cosines,
                  int       *covered)
{
  const int W = 900, H = 420;
  g_autoptr (SimSnapshot) sa = only_series (a, cosines);
  g_autoptr (SimSnapshot) sb = only_series (b, cosines);
  graphene_rect_t area;
  g_autofree guchar *ma = coverage (plot, sa, W, H, &area);
  g_autofree guchar *mb = coverage (plot, sb, W, H, &area);
  int diff = 0, n = 0;

  for (int i = 0; i < W * H; i++)
    {
      diff += ma[i] != mb[i];
      n += ma[i];
    }
  *covered = n;
  return diff;
}

/* The same values drawn as one series or another must differ in shape (dash or marker), not
 * only in hue, in both palettes: the plots never rely on red against green. */
static void
test_series_differ_without_hue (void)
{
  static const struct
  {
    int a, b;
    gboolean cosines;
    const char *what;
  } pairs[] = {
    { MS_SERIES_TRAIN_TARGET, MS_SERIES_TEST_TARGET, FALSE, "train and test target" },
    { MS_SERIES_TEST_TARGET, MS_SERIES_TEST_PROXY, FALSE, "test target and proxy" },
    { MS_SERIES_TRAIN_TARGET, MS_SERIES_TEST_PROXY, FALSE, "train target and proxy" },
    { 0, 1, TRUE, "cos(inferred, base) and cos(inferred, true)" },
  };

  for (int colorblind = 0; colorblind < 2; colorblind++)
    for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
      {
        GtkWidget *plot = pairs[i].cosines ? ms_alignment_plot_new () : ms_success_plot_new ();
        int covered, diff;

        g_object_ref_sink (plot);
        g_object_set (plot, "colorblind", colorblind, "teacher-mode", TRUE, NULL);
        diff = shape_difference (plot, pairs[i].a, pairs[i].b, pairs[i].cosines, &covered);
        g_test_message ("%s (%s palette): %d of %d covered pixels differ", pairs[i].what,
                        colorblind ? "colour-blind" : "GNOME", diff, covered);
        g_assert_cmpint (covered, >, 200);
        /* Identical styles would give identical pixels: 0. */
        g_assert_cmpfloat ((double) diff / covered, >, 0.03);
        g_object_unref (plot);
      }
}


static gboolean
boxes_meet (const graphene_rect_t *a,
            const graphene_rect_t *b)
{
  graphene_rect_t r;

  /* Touching edges are not an overlap: half a pixel of slack for rounding. */
  if (!graphene_rect_intersection (a, b, &r))
    return FALSE;
  return r.size.width > 0.5 && r.size.height > 0.5;
}

/* Draws every plot of the dashboard at its size in the window and counts the texts that leave
 * their plot and the pairs that overlap, naming each. The lowest line of text is returned in
 * lowest. */
static guint
count_text_faults (MsWindow   *window,
                   const char *state,
                   double     *lowest)
{
  MsDashboard *dashboard = ms_window_get_dashboard (window);
  MsPlot *plots[MS_DASHBOARD_N_PARTS + 1];
  guint faults = 0;

  /* The dashboard's plots, and the comparison of agents a lesson shows in its place. */
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    plots[i] = MS_PLOT (ms_dashboard_get_part (dashboard, i));
  plots[MS_DASHBOARD_N_PARTS] = MS_PLOT (window->comparison_plot);
  for (guint i = 0; i < G_N_ELEMENTS (plots); i++)
    {
      MsPlot *plot = plots[i];
      const char *name = G_OBJECT_TYPE_NAME (plot);
      int w = gtk_widget_get_width (GTK_WIDGET (plot));
      int h = gtk_widget_get_height (GTK_WIDGET (plot));
      cairo_surface_t *surface;
      cairo_t *cr;
      const MsTextBox *boxes;
      guint n;

      if (!gtk_widget_get_mapped (GTK_WIDGET (plot)) || w <= 0 || h <= 0)
        continue;
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      cr = cairo_create (surface);
      ms_plot_draw (plot, cr, w, h);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      boxes = ms_plot_get_text_boxes (plot, &n);
      g_assert_cmpuint (n, >, 0);
      for (guint a = 0; a < n; a++)
        {
          const graphene_rect_t *r = &boxes[a].rect;

          if (strchr (boxes[a].text, '\n') == NULL)
            *lowest = MIN (*lowest, r->size.height);
          if (r->origin.x < -0.5 || r->origin.y < -0.5 ||
              r->origin.x + r->size.width > w + 0.5 || r->origin.y + r->size.height > h + 0.5)
            {
              g_test_message ("%s, %s %dx%d: “%s” leaves the plot (%.0f,%.0f %.0fx%.0f)", state,
                              name, w, h, boxes[a].text, r->origin.x, r->origin.y,
                              r->size.width, r->size.height);
              faults++;
            }
          for (guint b = a + 1; b < n; b++)
            if (boxes_meet (r, &boxes[b].rect))
              {
                g_test_message ("%s, %s %dx%d: “%s” overlaps “%s”", state, name, w, h,
                                boxes[a].text, boxes[b].text);
                faults++;
              }
        }
    }
  return faults;
}

static gboolean
run_finished (gpointer data)
{
  SimRunner *runner = ms_window_get_runner (data);
  SimSnapshot *snapshot = sim_runner_get_snapshot (runner);
  SimConfig config;

  sim_runner_get_config (runner, &config);
  return snapshot != NULL && sim_config_equal (&snapshot->config, &config) &&
         snapshot->iteration == config.iterations && !snapshot->running;
}

static gboolean
comparison_finished (gpointer data)
{
  MsWindow *window = data;

  return window->comparison != NULL && sim_comparison_get_finished (window->comparison);
}

/* At three window sizes, in normal and presentation mode, no text a plot draws overlaps
 * another or leaves the plot: on a fresh window, at a lesson's first step (test results
 * withheld), on the step that compares agents once they are measured, at its last step with
 * training done, and after a change of diversity there, the run it replaced drawn faint with its
 * legend entry ("Before: diversity …"). Every lesson is seen, the comparison at 1280×720 in both
 * modes. In presentation mode at 1280×720 no line of text is lower than 18 px. */
static void
test_present_text_boxes (void)
{
  static const int sizes[][2] = { { 1280, 720 }, { 1024, 768 }, { 1920, 1080 } };
  /* The comparison of agents at the size of a projector, in both modes. */
  static const char *lessons[] = { "optimizer", "optimizer", "diversity", "keys-chests", "coin",
                                   "green-exit" };
  guint total = 0, run = 0, comparisons = 0;

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (int presenting = 0; presenting < 2; presenting++, run++)
      {
        MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
        const char *lesson = lessons[run % G_N_ELEMENTS (lessons)];
        g_autofree char *state = NULL;
        double lowest = G_MAXDOUBLE;
        GActionGroup *actions = G_ACTION_GROUP (window);

        gtk_window_set_default_size (GTK_WINDOW (window), sizes[k][0], sizes[k][1]);
        gtk_window_present (GTK_WINDOW (window));
        g_assert_true (wait_until (has_drawn, window, 10000));
        if (presenting)
          g_action_group_activate_action (actions, "presentation", NULL);
        spin (300);
        state = g_strdup_printf ("%dx%d %s, fresh", sizes[k][0], sizes[k][1],
                                 presenting ? "presenting" : "normal");
        total += count_text_faults (window, state, &lowest);

        g_action_group_activate_action (actions, "lesson", g_variant_new_string (lesson));
        spin (300);
        g_free (state);
        state = g_strdup_printf ("%dx%d %s, %s lesson, first step", sizes[k][0], sizes[k][1],
                                 presenting ? "presenting" : "normal", lesson);
        total += count_text_faults (window, state, &lowest);

        while (g_action_group_get_action_enabled (actions, "lesson-next"))
          {
            g_action_group_activate_action (actions, "lesson-next", NULL);
            spin (50);
            if (gtk_widget_get_visible (window->comparison_card))
              {
                /* The comparison, once every agent is measured. */
                g_assert_true (wait_until (comparison_finished, window, 120000));
                spin (300);
                g_free (state);
                state = g_strdup_printf ("%dx%d %s, %s lesson, comparison", sizes[k][0],
                                         sizes[k][1], presenting ? "presenting" : "normal",
                                         lesson);
                total += count_text_faults (window, state, &lowest);
                comparisons++;
              }
          }
        sim_runner_set_speed (ms_window_get_runner (window), 0);
        if (!sim_runner_get_playing (ms_window_get_runner (window)) && !run_finished (window))
          g_action_group_activate_action (actions, "play-pause", NULL);
        g_assert_true (wait_until (run_finished, window, 120000));
        spin (300);
        g_free (state);
        state = g_strdup_printf ("%dx%d %s, %s lesson, last step", sizes[k][0], sizes[k][1],
                                 presenting ? "presenting" : "normal", lesson);
        total += count_text_faults (window, state, &lowest);

        /* A change of settings in the sidebar: the finished run stays as faint lines. */
        {
          MsControlsPanel *panel = ms_window_get_controls_panel (window);
          MsPlot *success = MS_PLOT (ms_dashboard_get_part (ms_window_get_dashboard (window),
                                                            MS_DASHBOARD_PART_SUCCESS));
          g_autofree char *legend = NULL;
          SimConfig config;

          ms_controls_panel_get_config (panel, &config);
          legend = g_strdup_printf ("Before: diversity %d %%", config.diversity);
          config.diversity = config.diversity == 100 ? 0 : 100;
          ms_controls_panel_set_config (panel, &config);
          g_signal_emit_by_name (panel, "changed");
          g_assert_true (wait_until (run_finished, window, 120000));
          spin (300);
          g_free (state);
          state = g_strdup_printf ("%dx%d %s, %s lesson, after a change", sizes[k][0],
                                   sizes[k][1], presenting ? "presenting" : "normal", lesson);
          total += count_text_faults (window, state, &lowest);
          g_assert_true (plot_drew_text (success, legend));
        }

        g_test_message ("%dx%d %s: lowest line of text %.0f px", sizes[k][0], sizes[k][1],
                        presenting ? "presenting" : "normal", lowest);
        if (presenting && k == 0)
          g_assert_cmpfloat (lowest, >=, 18);
        gtk_window_destroy (GTK_WINDOW (window));
      }
  g_assert_cmpuint (total, ==, 0);
  g_assert_cmpuint (comparisons, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/present/text-boxes", test_present_text_boxes);
  g_test_add_func ("/ui/present/toggle", test_present_toggle);
  g_test_add_func ("/ui/present/keeps-state", test_present_keeps_state);
  g_test_add_func ("/ui/present/preferences", test_preferences);
  g_test_add_func ("/ui/present/reset-all", test_reset_all);
  g_test_add_func ("/ui/present/series-differ-without-hue", test_series_differ_without_hue);
  return g_test_run ();
}
