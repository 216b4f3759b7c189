/* ms-window-present.c: presentation mode, the preferences window and Reset All
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Presentation mode is for a projector: the window goes fullscreen, the dashboard's text and
 * lines grow by the presentation-scale preference, the header keeps only the training controls
 * (play, step, start over, next levels) in bigger buttons, the settings panel and the article
 * close (the article opens again when asked for), the dashboard gives the level and the success
 * plot the room first (ms-dashboard.c), and the answer key (teacher mode) can be withheld from
 * the class. Leaving puts back what was there.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-preferences.h"
#include "ms-presets.h"
#include "ms-window-files.h"
#include "ms-window-private.h"

/* Header children by their ids in ms-window.ui: shown only outside presentation mode, and shown
 * only in it. */
static const char * const normal_only[] = {
  "controls_button", "presets_button", "primary_menu_button",
};
static const char * const presenting_only[] = {
  "next_level_button", "leave_presentation_button",
};

static GtkWidget *
header_child (MsWindow   *self,
              const char *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (self), MS_TYPE_WINDOW, id);

  return GTK_IS_WIDGET (child) ? GTK_WIDGET (child) : NULL;
}

static void
update_css (MsWindow *self)
{
  double s = g_settings_get_double (self->settings, "presentation-scale");
  g_autofree char *css = NULL;

  if (self->present_css == NULL)
    return;
  /* Sizes at scale 1 are libadwaita's; fonts grow by the same factor as the plots'. */
  css = g_strdup_printf ("window.presentation headerbar { min-height: %dpx; }\n"
                         "window.presentation headerbar button { min-height: %dpx;"
                         " min-width: %dpx; }\n"
                         "window.presentation headerbar button image { -gtk-icon-size: %dpx; }\n"
                         "window.presentation headerbar button,"
                         " window.presentation headerbar .title { font-size: %d%%; }\n"
                         "window.presentation headerbar .subtitle { font-size: %d%%; }\n"
                         "window.presentation .statusline { font-size: %d%%; }\n"
                         "window.presentation toast { font-size: %d%%; }\n",
                         (int) (46 * s), (int) (24 * s), (int) (24 * s), (int) (16 * s),
                         (int) (100 * s), (int) (100 * s), (int) (100 * s), (int) (100 * s));
  gtk_css_provider_load_from_data (self->present_css, css, -1);
}

/* The answer key is withheld while presenting when the preference says so: the dashboard stops
 * following the teacher-mode key and the action leaves the window, so no menu, shortcut or
 * lesson can turn it on; the key itself is not changed. */
static void
update_teacher_mode (MsWindow *self)
{
  gboolean withhold = self->presenting
                      && g_settings_get_boolean (self->settings, "hide-teacher-in-presentation");
  GAction *action;

  if (withhold && self->present_teacher_action == NULL)
    {
      action = g_action_map_lookup_action (G_ACTION_MAP (self), "teacher-mode");
      if (action == NULL)
        return;
      self->present_teacher_action = g_object_ref (action);
      g_action_map_remove_action (G_ACTION_MAP (self), "teacher-mode");
      g_settings_unbind (self->dashboard, "teacher-mode");
      g_object_set (self->dashboard, "teacher-mode", FALSE, NULL);
    }
  else if (!withhold && self->present_teacher_action != NULL)
    {
      g_action_map_add_action (G_ACTION_MAP (self), self->present_teacher_action);
      g_clear_object (&self->present_teacher_action);
      g_settings_bind (self->settings, "teacher-mode", self->dashboard, "teacher-mode",
                       G_SETTINGS_BIND_GET);
    }
}

/* The window manager may take a moment to grant it (or, without one, never does). */
static void
request_fullscreen (MsWindow *self,
                    gboolean  fullscreen)
{
  self->present_fullscreen_requested = fullscreen;
  if (fullscreen)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

static void
enter_presentation (MsWindow *self)
{
  AdwHeaderBar *header_bar;

  self->present_was_fullscreen = gtk_window_is_fullscreen (GTK_WINDOW (self));
  self->present_controls_revealed = adw_flap_get_reveal_flap (self->controls_flap);
  self->present_article_revealed = adw_flap_get_reveal_flap (self->flap);
  g_object_get (self->dashboard, "scale", &self->present_saved_scale, NULL);
  self->present_header_visible = 0;
  header_bar = ADW_HEADER_BAR (header_child (self, "header_bar"));
  /* Minimize, maximize and close give way to the leave button; the bit above the children's. */
  if (header_bar != NULL && adw_header_bar_get_show_end_title_buttons (header_bar))
    self->present_header_visible |= 1u << G_N_ELEMENTS (normal_only);
  if (header_bar != NULL)
    adw_header_bar_set_show_end_title_buttons (header_bar, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (normal_only); i++)
    {
      GtkWidget *child = header_child (self, normal_only[i]);

      if (child != NULL && gtk_widget_get_visible (child))
        self->present_header_visible |= 1u << i;
      if (child != NULL)
        gtk_widget_set_visible (child, FALSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (presenting_only); i++)
    {
      GtkWidget *child = header_child (self, presenting_only[i]);

      if (child != NULL)
        gtk_widget_set_visible (child, TRUE);
    }

  self->presenting = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
  adw_flap_set_reveal_flap (self->controls_flap, FALSE);
  /* The plots get the room; the article stays one key (F9) away. */
  adw_flap_set_reveal_flap (self->flap, FALSE);
  g_object_set (self->dashboard, "scale",
                g_settings_get_double (self->settings, "presentation-scale"),
                "presenting", TRUE, NULL);
  update_teacher_mode (self);
  if (!self->present_was_fullscreen)
    request_fullscreen (self, TRUE);
}

static void
leave_presentation (MsWindow *self)
{
  AdwHeaderBar *header_bar = ADW_HEADER_BAR (header_child (self, "header_bar"));

  self->presenting = FALSE;
  if (header_bar != NULL)
    adw_header_bar_set_show_end_title_buttons (header_bar,
                                               (self->present_header_visible
                                                & (1u << G_N_ELEMENTS (normal_only))) != 0);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
  for (guint i = 0; i < G_N_ELEMENTS (normal_only); i++)
    {
      GtkWidget *child = header_child (self, normal_only[i]);

      if (child != NULL)
        gtk_widget_set_visible (child, (self->present_header_visible & (1u << i)) != 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (presenting_only); i++)
    {
      GtkWidget *child = header_child (self, presenting_only[i]);

      if (child != NULL)
        gtk_widget_set_visible (child, FALSE);
    }
  adw_flap_set_reveal_flap (self->controls_flap, self->present_controls_revealed);
  adw_flap_set_reveal_flap (self->flap, self->present_article_revealed);
  g_object_set (self->dashboard, "scale", self->present_saved_scale, "presenting", FALSE, NULL);
  update_teacher_mode (self);
  if (!self->present_was_fullscreen)
    request_fullscreen (self, FALSE);
}

static void
presentation_changed (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  MsWindow *self = user_data;
  gboolean presenting = g_variant_get_boolean (value);

  if (presenting != self->presenting)
    {
      if (presenting)
        enter_presentation (self);
      else
        leave_presentation (self);
    }
  g_simple_action_set_state (action, value);
}

/* Escape leaves presentation mode; otherwise it goes on to whatever else handles it. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  MsWindow *self = MS_WINDOW (widget);

  if (!self->presenting)
    return FALSE;
  g_action_group_change_action_state (G_ACTION_GROUP (self), "presentation",
                                      g_variant_new_boolean (FALSE));
  return TRUE;
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MsWindow *self = user_data;
  MsPreferences *preferences = ms_preferences_new (GTK_WINDOW (self));

  ms_preferences_set_answer_key_withheld (preferences, self->present_teacher_action != NULL);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* The configuration the window starts with: the engine's defaults with the scenario and the
 * inference cadence from the preferences (as in ms_window_init). */
static void
get_start_config (MsWindow  *self,
                  SimConfig *config)
{
  g_autofree char *scenario = g_settings_get_string (self->settings, "default-scenario");

  sim_config_init_default (config);
  sim_scenario_from_string (scenario, &config->scenario);
  if (config->scenario == SIM_SCENARIO_KEYS_CHESTS)
    ms_presets_apply ("keys-chests", config);
  config->infer_every = g_settings_get_int (self->settings, "infer-every");
}

/* Back to the demonstration as the window started it: the start configuration at iteration 0,
 * paused, the first levels, the shown level as at start, no lesson. Preferences stay; the
 * toast's Undo brings the previous configuration back. */
static void
reset_all_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  MsWindow *self = user_data;
  GActionGroup *group = G_ACTION_GROUP (self);
  SimConfig config;

  if (g_action_group_has_action (group, "lesson-close")
      && g_action_group_get_action_enabled (group, "lesson-close"))
    g_action_group_activate_action (group, "lesson-close", NULL);
  sim_runner_pause (self->runner);
  if (g_action_group_has_action (group, "show-level"))
    g_action_group_change_action_state (group, "show-level", g_variant_new_string ("test"));
  get_start_config (self, &config);
  if (_ms_window_apply_config (self, &config, _("Everything is back as it started")))
    ms_window_forget_experiment_file (self);
  /* As it started: no faint lines of an earlier run either. */
  _ms_window_clear_previous_run (self);
  _ms_window_update_play_state (self);
}

/* The speed preference changed (in the preferences window): train at it, through the speed
 * action so the menu shows it too. */
static void
speed_setting_changed_cb (MsWindow *self)
{
  double speed = g_settings_get_double (self->settings, "speed");
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (self->runner == NULL || speed == sim_runner_get_speed (self->runner))
    return;
  g_ascii_dtostr (text, sizeof text, speed);
  g_action_group_change_action_state (G_ACTION_GROUP (self), "speed",
                                      g_variant_new_string (text));
}

static void
scale_setting_changed_cb (MsWindow *self)
{
  update_css (self);
  if (self->presenting)
    g_object_set (self->dashboard, "scale",
                  g_settings_get_double (self->settings, "presentation-scale"), NULL);
}

static const GActionEntry present_actions[] = {
  { "presentation", NULL, NULL, "false", presentation_changed },
  { "preferences", preferences_activated, NULL, NULL, NULL },
  { "reset-all", reset_all_activated, NULL, NULL, NULL },
};

void
_ms_window_install_present (MsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const unbound[] = {
    "header_bar", "controls_button", "primary_menu_button", "next_level_button",
    "leave_presentation_button",
  };

  /* Reachable through gtk_widget_get_template_child (no struct field). */
  for (guint i = 0; i < G_N_ELEMENTS (unbound); i++)
    gtk_widget_class_bind_template_child_full (widget_class, unbound[i], FALSE, 0);
}

void
_ms_window_init_present (MsWindow *self)
{
  GtkEventController *shortcuts;

  g_action_map_add_action_entries (G_ACTION_MAP (self), present_actions,
                                   G_N_ELEMENTS (present_actions), self);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (escape_cb,
                                                                                   NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  /* Every plot follows the palette preference. */
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    g_settings_bind (self->settings, "colorblind-palette",
                     ms_dashboard_get_part (self->dashboard, i), "colorblind",
                     G_SETTINGS_BIND_GET);

  self->present_css = gtk_css_provider_new ();
  update_css (self);
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->present_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_signal_connect_object (self->settings, "changed::speed",
                           G_CALLBACK (speed_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::presentation-scale",
                           G_CALLBACK (scale_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::hide-teacher-in-presentation",
                           G_CALLBACK (update_teacher_mode), self, G_CONNECT_SWAPPED);
}

void
_ms_window_dispose_present (MsWindow *self)
{
  if (self->settings != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->settings, speed_setting_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->settings, scale_setting_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->settings, update_teacher_mode, self);
    }
  if (self->present_css != NULL)
    {
      gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                     GTK_STYLE_PROVIDER (self->present_css));
      g_clear_object (&self->present_css);
    }
  g_clear_object (&self->present_teacher_action);
  /* GtkApplicationWindow's action group outlives the window (GTK 4.8) and would go on
   * forwarding the GSettings action's state changes to the freed window. */
  if (g_action_map_lookup_action (G_ACTION_MAP (self), "teacher-mode") != NULL)
    g_action_map_remove_action (G_ACTION_MAP (self), "teacher-mode");
}

void
_ms_window_set_present_accels (GtkApplication *application)
{
  static const char *presentation_accels[] = { "F5", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *reset_all_accels[] = { "<Control><Shift>r", NULL };

  gtk_application_set_accels_for_action (application, "win.presentation", presentation_accels);
  gtk_application_set_accels_for_action (application, "win.preferences", preferences_accels);
  gtk_application_set_accels_for_action (application, "win.reset-all", reset_all_accels);
}
