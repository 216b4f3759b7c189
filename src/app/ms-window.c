/* ms-window.c: the main window: header bar, controls, dashboard, article side panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-markdown.h"
#include "ms-presets.h"
#include "ms-window-files.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "sim-experiment.h"

#define ARTICLE_RESOURCE "/io/github/mesascope/Mesascope/article/mesa-optimizers.md"
#define STATUS_INTERVAL_US (G_USEC_PER_SEC / 4)

G_DEFINE_FINAL_TYPE (MsWindow, ms_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ms_window_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  MsWindow *self = MS_WINDOW (widget);

  GTK_WIDGET_CLASS (ms_window_parent_class)->snapshot (widget, snapshot);
  self->frame_count++;
}

static void
load_article (MsWindow *self)
{
  g_autoptr (GError) error = NULL;

  /* On failure the panel itself shows what went wrong. */
  if (!ms_article_panel_load_resource (self->article_panel, ARTICLE_RESOURCE, &error))
    g_warning ("The article could not be loaded: %s", error->message);
}

/* A key term in the article was activated: show where it lives in the demo. */
static void
term_activated_cb (MsWindow   *self,
                   const char *term)
{
  SimConfig config;

  if (g_str_has_prefix (term, MS_TERM_LESSON_PREFIX))
    g_action_group_activate_action (G_ACTION_GROUP (self), "lesson",
                                    g_variant_new_string (term + strlen (MS_TERM_LESSON_PREFIX)));
  else if (g_strcmp0 (term, MS_TERM_BASE_OPTIMIZER) == 0 ||
      g_strcmp0 (term, MS_TERM_STOCHASTIC_GRADIENT_DESCENT) == 0)
    ms_dashboard_highlight (self->dashboard, MS_DASHBOARD_PART_SUCCESS);
  else if (g_strcmp0 (term, MS_TERM_MESA_OPTIMIZER) == 0)
    ms_dashboard_highlight (self->dashboard, MS_DASHBOARD_PART_LEVEL);
  else if (g_strcmp0 (term, MS_TERM_BASE_OBJECTIVE) == 0 ||
           g_strcmp0 (term, MS_TERM_MESA_OBJECTIVE) == 0)
    {
      ms_dashboard_highlight (self->dashboard, MS_DASHBOARD_PART_OBJECTIVES);
      ms_dashboard_highlight (self->dashboard, MS_DASHBOARD_PART_REWARD_MAPS);
    }
  else if (g_strcmp0 (term, MS_TERM_GOAL_MISGENERALIZATION) == 0)
    {
      /* Load the demonstration where it shows most clearly. */
      sim_runner_get_config (self->runner, &config);
      /* A click on a word changes the run: its toast, with Undo, stays until it is dismissed
       * or the next change comes (Undo stays in the menu, and on Ctrl+Z, until then too). */
      if (ms_presets_apply ("coin-hidden", &config))
        {
          if (_ms_window_change_run (self, &config, _("Loaded “Coin Sometimes Hidden”"), TRUE))
            ms_window_forget_experiment_file (self);
        }
      ms_dashboard_highlight (self->dashboard, MS_DASHBOARD_PART_SUCCESS);
    }
}

/* The window's subtitle: the run in words a class follows. The precise terms go into
 * *precise, the subtitle's tooltip. */
static char *
describe_config (const SimConfig  *config,
                 char            **precise)
{
  g_autofree char *perception = NULL;
  g_autofree char *diversity = NULL;
  g_autofree char *subtitle = NULL;
  GString *terms = g_string_new (NULL);
  const char *scenario = config->scenario == SIM_SCENARIO_GREEN_EXIT ? _("Green exit")
                       : config->scenario == SIM_SCENARIO_KEYS_CHESTS ? _("Keys and chests")
                       : _("Coin at the end");
  const char *agent = config->agent == SIM_AGENT_QLEARNER ? _("Q-learner")
                    : config->agent == SIM_AGENT_MLP ? _("Neural network")
                    : _("Planner");
  g_autofree char *short_sighted = NULL;
  const char *optimizer = config->optimizer == SIM_OPTIMIZER_CEM ? _("best of many tries")
                         : config->optimizer == SIM_OPTIMIZER_PG ? _("policy gradient with Adam")
                         : _("policy gradient");

  /* A planner that looks only a few steps ahead says so: it is not the same agent. */
  if (config->agent == SIM_AGENT_PLANNER && config->planning_depth > 0)
    {
      /* Translators: the planner's planning depth, in steps */
      short_sighted = g_strdup_printf (ngettext ("Planner looking %d step ahead",
                                                 "Planner looking %d steps ahead",
                                                 config->planning_depth),
                                       config->planning_depth);
      agent = short_sighted;
    }
  if (config->agent == SIM_AGENT_PLANNER && config->optimizer == SIM_OPTIMIZER_CEM)
    {
      g_string_append (terms, _("Base optimizer: the cross-entropy method."));
      g_string_append_c (terms, ' ');
    }
  switch (config->perception)
    {
    case SIM_PERCEPTION_HIDDEN:
      /* Translators: %d is a percentage of training levels */
      perception = g_strdup_printf (_("target out of sight in %d %% of levels"),
                                    config->perception_param);
      /* Translators: %d is a percentage of training levels */
      g_string_append_printf (terms, _("Target perception: hidden in %d %% of training levels."),
                              config->perception_param);
      g_string_append_c (terms, ' ');
      break;
    case SIM_PERCEPTION_RADIUS:
      /* Translators: %d is a number of cells */
      perception = g_strdup_printf (_("target seen within %d"), config->perception_param);
      break;
    case SIM_PERCEPTION_FULL:
    default:
      perception = g_strdup (_("target always seen"));
      break;
    }
  if (config->diversity > 0)
    {
      /* Translators: %d is a percentage of training levels */
      diversity = g_strdup_printf (_("%d %% of levels like the test"), config->diversity);
      /* Translators: %d is a percentage of training levels */
      g_string_append_printf (terms, _("Diverse levels: %d %% of training levels drawn from the "
                                       "test distribution."), config->diversity);
    }
  /* The Q-learner and the network learn by their own rules: no base optimizer to name. */
  if (config->agent != SIM_AGENT_PLANNER)
    subtitle = g_strdup_printf ("%s · %s · %s", scenario, agent, perception);
  /* Keys and chests are always seen: no perception to name. */
  else if (config->scenario == SIM_SCENARIO_KEYS_CHESTS)
    subtitle = g_strdup_printf ("%s · %s · %s", scenario, agent, optimizer);
  else
    subtitle = g_strdup_printf ("%s · %s · %s · %s", scenario, agent, optimizer, perception);
  if (diversity != NULL)
    {
      char *with = g_strdup_printf ("%s · %s", subtitle, diversity);

      g_free (subtitle);
      subtitle = with;
    }
  g_strchomp (terms->str);
  *precise = g_string_free (terms, terms->str[0] == '\0');
  return g_steal_pointer (&subtitle);
}

/* Names the run in the window's subtitle, with the precise terms in its tooltip. */
void
_ms_window_show_config (MsWindow        *self,
                        const SimConfig *config)
{
  g_autofree char *precise = NULL;
  g_autofree char *subtitle = describe_config (config, &precise);

  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), precise);
}

static void
update_status (MsWindow *self)
{
  SimSnapshot *snapshot = self->runner ? sim_runner_get_snapshot (self->runner) : NULL;
  g_autofree char *iteration = NULL;
  g_autofree char *speed = NULL;
  g_autofree char *inference = NULL;
  g_autofree char *text = NULL;

  if (self->open_cancellable != NULL || self->replay != NULL || self->restore_iteration > 0)
    return;   /* "Opening …" and a replay's progress stay until they are done */
  if (snapshot == NULL)
    {
      gtk_inscription_set_text (self->status_label, _("Starting…"));
      return;
    }
  /* Translators: iteration N of M */
  iteration = g_strdup_printf (_("Iteration %d of %d"), snapshot->iteration,
                               snapshot->config.iterations);
  if (snapshot->running && snapshot->iterations_per_second > 0)
    speed = g_strdup_printf (_("%.1f iterations/s"), snapshot->iterations_per_second);
  else
    speed = g_strdup (snapshot->running ? _("running") : _("paused"));
  if (snapshot->last_inference_us > 0)
    {
      double age = (g_get_monotonic_time () - snapshot->last_inference_us) / (double) G_USEC_PER_SEC;
      inference = g_strdup_printf (_("objective inferred %.0f s ago"), MAX (age, 0.0));
    }
  else
    inference = g_strdup (_("objective not inferred yet"));
  text = g_strdup_printf ("%s · %s · %s", iteration, speed, inference);
  gtk_inscription_set_text (self->status_label, text);
}

static gboolean
status_timeout_cb (gpointer user_data)
{
  update_status (MS_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

void
_ms_window_update_status (MsWindow *self)
{
  update_status (self);
}

static void
snapshot_cb (SimRunner   *runner,
             SimSnapshot *snapshot,
             MsWindow    *self)
{
  gint64 now = g_get_monotonic_time ();

  ms_dashboard_set_snapshot (self->dashboard, snapshot);
  /* While training plays, the status line changes a few times a second, not with every
   * snapshot: it stays readable, and a frame does not repaint the bottom of the window for
   * it. A paused run, a single step and the end of training show at once. */
  if (!snapshot->running || now - self->status_updated_us >= STATUS_INTERVAL_US)
    {
      update_status (self);
      self->status_updated_us = now;
    }
  _ms_window_replay_snapshot (self, snapshot);
  _ms_window_restore_snapshot (self, snapshot);
  _ms_window_update_play_state (self);
}

static void
controls_changed_cb (MsWindow *self)
{
  SimConfig config;

  sim_runner_get_config (self->runner, &config);
  ms_controls_panel_get_config (self->controls_panel, &config);
  _ms_window_change_run (self, &config, _("Settings changed"), FALSE);
}

void
_ms_window_update_play_state (MsWindow *self)
{
  gboolean playing = self->runner != NULL && sim_runner_get_playing (self->runner);
  const char *icon = playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic";
  const char *tooltip = playing ? _("Pause (Space)") : _("Play (Space)");

  /* Called on every snapshot: only a change of state touches the button (a new icon resizes). */
  if (g_strcmp0 (gtk_button_get_icon_name (self->play_button), icon) == 0 &&
      g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->play_button)), tooltip) == 0)
    return;
  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               playing ? _("Pause (Space)") : _("Play (Space)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  playing ? _("Pause") : _("Play"),
                                  -1);
}

static void
build_presets_menu (MsWindow *self)
{
  g_autoptr (GMenu) menu = g_menu_new ();

  for (guint i = 0; i < ms_presets_get_n (); i++)
    {
      const MsPreset *preset = ms_presets_get (i);
      g_autoptr (GMenuItem) item = g_menu_item_new (_(preset->title), NULL);

      g_menu_item_set_action_and_target_value (item, "win.preset",
                                               g_variant_new_string (preset->id));
      g_menu_append_item (menu, item);
    }
  /* The sweep runs many settings at once: a section of its own after the demos. */
  {
    g_autoptr (GMenu) section = g_menu_new ();

    g_menu_append (section, _("Sweep: Try Many Settings…"), "win.sweep");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  }
  gtk_menu_button_set_menu_model (self->presets_button, G_MENU_MODEL (menu));
}

/* Lets go of the windows transient for this one (the Sweep window, the level editor, dialogs)
 * while it is still alive: GTK destroys those that asked to go with their parent, but one that
 * someone still holds (a sweep's pending delivery) is disposed later and would then disconnect
 * its handlers from a parent already freed. */
static void
release_transients (MsWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr (GtkWindow) other = g_list_model_get_item (toplevels, i - 1);

      if (gtk_window_get_transient_for (other) != GTK_WINDOW (self))
        continue;
      gtk_window_set_transient_for (other, NULL);
      if (gtk_window_get_destroy_with_parent (other))
        gtk_window_destroy (other);
    }
}

static void
ms_window_dispose (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  g_clear_handle_id (&self->status_timeout_id, g_source_remove);
  release_transients (self);
  _ms_window_dispose_changes (self);
  _ms_window_cancel_open (self);
  _ms_window_dispose_present (self);
  _ms_window_dispose_lessons (self);
  /* The actions that hold the flaps (and the settings binding on one) must not outlive the
   * window: GTK 4.8 can keep the window's action group alive after it is gone. */
  if (self->flap != NULL)
    g_settings_unbind (self->flap, "reveal-flap");
  g_action_map_remove_action (G_ACTION_MAP (self), "toggle-article");
  g_action_map_remove_action (G_ACTION_MAP (self), "toggle-controls");
  if (self->runner != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->runner, self);
      sim_runner_stop (self->runner);
      g_clear_object (&self->runner);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_WINDOW);

  G_OBJECT_CLASS (ms_window_parent_class)->dispose (object);
}

static void
ms_window_finalize (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->experiment_file);
  g_clear_pointer (&self->replay, sim_experiment_free);
  g_clear_pointer (&self->replay_name, g_free);

  G_OBJECT_CLASS (ms_window_parent_class)->finalize (object);
}

static void
ms_window_class_init (MsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_window_dispose;
  object_class->finalize = ms_window_finalize;
  widget_class->snapshot = ms_window_snapshot;

  g_type_ensure (MS_TYPE_CONTROLS_PANEL);
  g_type_ensure (MS_TYPE_DASHBOARD);
  g_type_ensure (MS_TYPE_ARTICLE_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesascope/Mesascope/ms-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, controls_flap);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, controls_panel);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, dashboard);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, open_spinner);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, replay_progress);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, presets_button);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, article_panel);
  gtk_widget_class_bind_template_callback (widget_class, controls_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, term_activated_cb);

  _ms_window_install_actions (klass);
  _ms_window_install_present (klass);
  _ms_window_install_files (klass);
}

static void
ms_window_init (MsWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *scenario = NULL;
  SimConfig config;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->replay_verdict = -1;

  self->settings = g_settings_new (BASE_ID);
  g_settings_bind (self->settings, "article-visible", self->flap, "reveal-flap",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-width", self, "default-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "teacher-mode", self->dashboard, "teacher-mode",
                   G_SETTINGS_BIND_GET);

  sim_config_init_default (&config);
  scenario = g_settings_get_string (self->settings, "default-scenario");
  sim_scenario_from_string (scenario, &config.scenario);
  if (config.scenario == SIM_SCENARIO_KEYS_CHESTS)
    ms_presets_apply ("keys-chests", &config);
  config.infer_every = g_settings_get_int (self->settings, "infer-every");

  self->runner = sim_runner_new (&config, NULL, &error);
  if (self->runner == NULL)
    {
      g_critical ("Default configuration refused: %s", error->message);
      sim_config_init_default (&config);
      self->runner = sim_runner_new (&config, NULL, NULL);
    }
  sim_runner_set_speed (self->runner, g_settings_get_double (self->settings, "speed"));
  g_signal_connect (self->runner, "snapshot", G_CALLBACK (snapshot_cb), self);
  ms_controls_panel_set_config (self->controls_panel, &config);
  _ms_window_show_config (self, &config);

  _ms_window_init_actions (self);
  _ms_window_init_changes (self);
  _ms_window_init_panel (self);
  _ms_window_init_files (self);
  _ms_window_init_editor (self);
  _ms_window_init_sweep (self);
  _ms_window_init_present (self);
  _ms_window_add_drop_target (self);
  build_presets_menu (self);
  _ms_window_init_lessons (self);
  self->status_timeout_id = g_timeout_add_seconds (1, status_timeout_cb, self);
  update_status (self);
  _ms_window_update_play_state (self);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  load_article (self);
}

MsWindow *
ms_window_new (AdwApplication *application)
{
  return g_object_new (MS_TYPE_WINDOW, "application", application, NULL);
}

void
ms_window_set_accels (GtkApplication *application)
{
  static const char *article_accels[] = { "F9", NULL };
  static const char *controls_accels[] = { "F8", NULL };
  static const char *fullscreen_accels[] = { "F11", NULL };
  static const char *reset_accels[] = { "<Control>r", NULL };
  static const char *next_level_accels[] = { "<Control>n", NULL };
  static const char *level_editor_accels[] = { "<Control>e", NULL };
  static const char *show_policy_accels[] = { "<Control>p", NULL };

  gtk_application_set_accels_for_action (application, "win.toggle-article", article_accels);
  gtk_application_set_accels_for_action (application, "win.toggle-controls", controls_accels);
  gtk_application_set_accels_for_action (application, "win.fullscreen", fullscreen_accels);
  gtk_application_set_accels_for_action (application, "win.reset", reset_accels);
  gtk_application_set_accels_for_action (application, "win.next-level", next_level_accels);
  gtk_application_set_accels_for_action (application, "win.level-editor", level_editor_accels);
  gtk_application_set_accels_for_action (application, "win.show-policy", show_policy_accels);
  _ms_window_set_files_accels (application);
  _ms_window_set_present_accels (application);
}

static gboolean
is_markdown (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_utf8_strdown (name, -1);

  return g_str_has_suffix (lower, ".md") || g_str_has_suffix (lower, ".markdown") ||
         g_str_has_suffix (lower, ".txt");
}

void
ms_window_open_file (MsWindow *self,
                     GFile    *file)
{
  g_autofree char *name = g_file_get_basename (file);

  if (_ms_window_open_experiment_or_level (self, file))
    return;
  if (is_markdown (file))
    {
      /* Errors show in the panel itself, naming the file. */
      ms_article_panel_load_file (self->article_panel, file);
      adw_flap_set_reveal_flap (self->flap, TRUE);
    }
  else
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a file name */
      message = g_strdup_printf (_("“%s” is not an experiment, a level or Markdown notes"), name);
      _ms_window_add_toast (self, adw_toast_new (message));
    }
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MsWindow      *self)
{
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;
  ms_window_open_file (self, g_value_get_object (value));
  return TRUE;
}

void
_ms_window_add_drop_target (MsWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

gboolean
ms_window_get_article_visible (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), FALSE);

  return adw_flap_get_reveal_flap (self->flap);
}

guint
ms_window_get_frame_count (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), 0);

  return self->frame_count;
}

SimRunner *
ms_window_get_runner (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  return self->runner;
}

MsDashboard *
ms_window_get_dashboard (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  return self->dashboard;
}

MsControlsPanel *
ms_window_get_controls_panel (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  return self->controls_panel;
}

GtkWidget *
ms_window_get_article_panel (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->article_panel);
}
