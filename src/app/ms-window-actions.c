/* ms-window-actions.c: the window's actions and key bindings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-level-view.h"
#include "ms-presets.h"
#include "ms-window-files.h"
#include "ms-window-private.h"

static void
play_pause_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  MsWindow *self = user_data;

  /* Play or pause during the replay of an opened run, or of Undo, ends it where it is. */
  _ms_window_end_replay (self);
  _ms_window_end_restore (self);
  if (sim_runner_get_playing (self->runner))
    sim_runner_pause (self->runner);
  else
    {
      SimSnapshot *snapshot = sim_runner_get_snapshot (self->runner);

      /* Play on a finished run starts it over. */
      if (snapshot != NULL && snapshot->iteration >= snapshot->config.iterations)
        sim_runner_reset (self->runner, NULL, NULL);
      sim_runner_play (self->runner);
    }
  _ms_window_update_play_state (self);
}

static void
step_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MsWindow *self = user_data;

  sim_runner_step (self->runner);
  _ms_window_update_play_state (self);
}

static void
reset_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  MsWindow *self = user_data;

  /* Start Over during the replay of an opened run, or of Undo, ends it. */
  _ms_window_end_replay (self);
  _ms_window_end_restore (self);
  sim_runner_reset (self->runner, NULL, NULL);
  _ms_window_update_play_state (self);
}

static void
next_level_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  MsWindow *self = user_data;

  sim_runner_next_level (self->runner);
}

static void
show_level_changed (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
  MsWindow *self = user_data;
  const char *which = g_variant_get_string (value, NULL);

  ms_dashboard_set_shown (self->dashboard,
                          g_strcmp0 (which, "train") == 0 ? SIM_SHOWN_TRAIN : SIM_SHOWN_TEST);
  g_simple_action_set_state (action, value);
}

/* The level card's policy arrows, on or off. */
static void
show_policy_changed (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  MsWindow *self = user_data;

  ms_level_view_set_show_policy (MS_LEVEL_VIEW (ms_dashboard_get_part (self->dashboard,
                                                                       MS_DASHBOARD_PART_LEVEL)),
                                 g_variant_get_boolean (value));
  g_simple_action_set_state (action, value);
}

static void
speed_changed (GSimpleAction *action,
               GVariant      *value,
               gpointer       user_data)
{
  MsWindow *self = user_data;
  const char *text = g_variant_get_string (value, NULL);
  double speed = g_ascii_strtod (text, NULL);

  if (!(speed >= 0.0 && speed <= 1000.0))
    return;
  sim_runner_set_speed (self->runner, speed);
  g_settings_set_double (self->settings, "speed", speed);
  g_simple_action_set_state (action, value);
}

static gboolean
focus_idle (gpointer user_data)
{
  GtkWidget *widget = user_data;

  if (gtk_widget_get_mapped (widget))
    gtk_widget_grab_focus (widget);
  return G_SOURCE_REMOVE;
}

/* Gives widget the focus once the event being handled is done, if it is still shown then:
 * after a menu has closed, which gives the focus back to its button (where Space would open
 * it again). Ahead of redraws, which a playing run would otherwise keep first in line. */
void
_ms_window_focus_when_idle (MsWindow  *self,
                            GtkWidget *widget)
{
  g_return_if_fail (MS_IS_WINDOW (self) && GTK_IS_WIDGET (widget));
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, focus_idle, g_object_ref (widget), g_object_unref);
}

static void
preset_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MsWindow *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);
  SimConfig config;

  sim_runner_get_config (self->runner, &config);
  if (!ms_presets_apply (id, &config))
    {
      g_warning ("Unknown preset “%s”", id);
      return;
    }
  for (guint i = 0; i < ms_presets_get_n (); i++)
    {
      const MsPreset *preset = ms_presets_get (i);

      if (g_strcmp0 (preset->id, id) == 0)
        {
          /* Translators: %s is the name of a demonstration, e.g. "Coin at the End" */
          g_autofree char *text = g_strdup_printf (_("Loaded “%s”"), _(preset->title));
          if (_ms_window_change_run (self, &config, text, FALSE))
            ms_window_forget_experiment_file (self);
          /* Next comes Play: once the Demos menu has closed, Space and Enter press Play. */
          _ms_window_focus_when_idle (self, GTK_WIDGET (self->play_button));
          break;
        }
    }
}

static void
undo_settings_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  _ms_window_undo_change (MS_WINDOW (user_data));
}

static void
open_notes_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        MsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        ms_window_open_file (self, file);
    }
  g_object_unref (dialog);
}

static void
open_notes_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  MsWindow *self = user_data;
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open Notes"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Markdown Files"));
  gtk_file_filter_add_mime_type (filter, "text/markdown");
  gtk_file_filter_add_pattern (filter, "*.md");
  gtk_file_filter_add_pattern (filter, "*.markdown");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_notes_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
toggle_fullscreen (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static const GActionEntry win_actions[] = {
  { "play-pause", play_pause_activated, NULL, NULL, NULL },
  { "step", step_activated, NULL, NULL, NULL },
  { "reset", reset_activated, NULL, NULL, NULL },
  { "next-level", next_level_activated, NULL, NULL, NULL },
  { "show-level", NULL, "s", "'test'", show_level_changed },
  { "show-policy", NULL, NULL, "false", show_policy_changed },
  { "speed", NULL, "s", "'4'", speed_changed },
  { "preset", preset_activated, "s", NULL, NULL },
  { "undo-settings", undo_settings_activated, NULL, NULL, NULL },
  { "open-notes", open_notes_activated, NULL, NULL, NULL },
};

void
_ms_window_install_actions (MsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, toggle_fullscreen);
}

static gboolean
is_arrow (guint keyval)
{
  return keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right;
}

/* Whether the focused widget uses this key itself: text is typed into entries and spin
 * buttons, Right moves the cursor of the article's text and of sliders and widens the article
 * by its handle, and menus and popovers keep all their keys. */
static gboolean
focus_wants_key (MsWindow *self,
                 guint     keyval)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL)
    return FALSE;
  if (gtk_widget_get_native (focus) != GTK_NATIVE (self))
    return TRUE;
  for (GtkWidget *w = focus; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      if (GTK_IS_EDITABLE (w))
        return TRUE;
      if (GTK_IS_TEXT_VIEW (w) && (gtk_text_view_get_editable (GTK_TEXT_VIEW (w)) ||
                                   is_arrow (keyval)))
        return TRUE;
      if ((GTK_IS_RANGE (w) || w == self->panel_handle) && is_arrow (keyval))
        return TRUE;
    }
  return FALSE;
}

/* Space plays or pauses, Right and period step, whatever button has the focus (a focused
 * button would take Space as a click and Right as a move of the focus): the capture phase
 * sees the key before the focused widget does. Ctrl+Z undoes the last change of settings,
 * except in a text field, which undoes its own typing (an application accelerator would take
 * Ctrl+Z from it too). */
static gboolean
training_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         MsWindow              *self)
{
  GdkModifierType modifiers = state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK |
                                       GDK_SUPER_MASK | GDK_META_MASK | GDK_HYPER_MASK);
  const char *action;

  if (modifiers == GDK_CONTROL_MASK && (keyval == GDK_KEY_z || keyval == GDK_KEY_Z))
    {
      if (focus_wants_key (self, keyval) ||
          !g_action_group_get_action_enabled (G_ACTION_GROUP (self), "undo-settings"))
        return FALSE;
      g_action_group_activate_action (G_ACTION_GROUP (self), "undo-settings", NULL);
      return TRUE;
    }
  if (modifiers != 0)
    return FALSE;
  if (keyval == GDK_KEY_space || keyval == GDK_KEY_KP_Space)
    action = "play-pause";
  else if (is_arrow (keyval) || keyval == GDK_KEY_period || keyval == GDK_KEY_KP_Decimal)
    action = "step";
  else
    return FALSE;
  if (focus_wants_key (self, keyval))
    return FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (self), action, NULL);
  return TRUE;
}

void
_ms_window_init_actions (MsWindow *self)
{
  g_autoptr (GPropertyAction) article_action = NULL;
  g_autoptr (GPropertyAction) controls_action = NULL;
  g_autoptr (GAction) teacher_action = NULL;
  g_autofree char *speed = NULL;
  GAction *speed_action;
  GtkEventController *keys;

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  article_action = g_property_action_new ("toggle-article", self->flap, "reveal-flap");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (article_action));
  controls_action = g_property_action_new ("toggle-controls", self->controls_flap, "reveal-flap");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (controls_action));
  teacher_action = g_settings_create_action (self->settings, "teacher-mode");
  g_action_map_add_action (G_ACTION_MAP (self), teacher_action);

  speed = g_strdup_printf ("%g", g_settings_get_double (self->settings, "speed"));
  speed_action = g_action_map_lookup_action (G_ACTION_MAP (self), "speed");
  g_simple_action_set_state (G_SIMPLE_ACTION (speed_action), g_variant_new_string (speed));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (training_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  /* The first key press of a class goes to Play: without this the first control of the
   * header bar, the settings toggle, would take the focus. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->play_button));
}
