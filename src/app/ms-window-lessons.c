/* ms-window-lessons.c: guided lessons in the window: the lesson actions, menu and bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A step sets up the demo only through what the window already offers: the run through
 * _ms_window_apply_config (so "Undo" in the toast overlay still works), the shown level and
 * the speed through win.show-level and win.speed (so the menus agree), play and pause through
 * the runner. Nothing here waits for the worker, so Next and Back never block.
 *
 * A lesson with agents to compare trains them, from its start, on a worker of its own
 * (SimComparison): the lesson bar shows how far that has come on every step, and the step that
 * compares them shows the comparison plot in the dashboard's place. Leaving the lesson cancels
 * the training (joining the worker waits for at most one iteration).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-comparison-plot.h"
#include "ms-sweep-window.h"
#include "ms-lesson-bar.h"
#include "ms-lessons.h"
#include "ms-window-files.h"
#include "ms-window-private.h"

static void
set_action_enabled (MsWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_lesson_actions (MsWindow *self)
{
  set_action_enabled (self, "lesson-back", self->lesson != NULL && self->lesson_step > 0);
  set_action_enabled (self, "lesson-next", self->lesson != NULL);
  set_action_enabled (self, "lesson-close", self->lesson != NULL);
}

/* The comparison of agents ------------------------------------------------------------ */

static void
update_comparison_bar (MsWindow *self)
{
  MsLessonBar *bar = MS_LESSON_BAR (self->lesson_bar);
  g_autofree char *text = NULL;
  int n, current;
  double fraction;

  if (self->comparison == NULL)
    {
      ms_lesson_bar_set_comparison (bar, -1, NULL);
      return;
    }
  n = sim_comparison_get_n_runs (self->comparison);
  fraction = sim_comparison_get_fraction (self->comparison);
  current = MIN ((int) (fraction * n), n - 1);
  if (sim_comparison_get_finished (self->comparison))
    /* Translators: %d is the number of agents, at least 2 */
    text = g_strdup_printf (_("All %d agents trained on the same levels: the comparison is "
                              "ready"), n);
  else
    /* Translators: in the background, while the class follows the lesson; %s is an agent,
     * e.g. "Q-learner", then its place in the order and the number of agents */
    text = g_strdup_printf (_("Training in the background: %s (%d of %d)"),
                            _(self->lesson->agents[current].name), current + 1, n);
  ms_lesson_bar_set_comparison (bar, fraction, text);
}

static void
comparison_run_done_cb (MsWindow      *self,
                        int            index,
                        SimComparison *comparison)
{
  ms_comparison_plot_set_result (MS_COMPARISON_PLOT (self->comparison_plot), index,
                                 sim_comparison_get_result (comparison, index));
}

static void
cancel_comparison (MsWindow *self)
{
  if (self->comparison == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->comparison, self);
  sim_comparison_cancel (self->comparison);
  g_clear_object (&self->comparison);
}

/* Starts training the lesson's agents (none for most lessons), each on the run of the lesson's
 * first step with its agent. */
static void
start_comparison (MsWindow *self)
{
  const MsLesson *lesson = self->lesson;
  SimConfig configs[SIM_COMPARISON_MAX_RUNS];
  const char *names[SIM_COMPARISON_MAX_RUNS];
  const char *descriptions[SIM_COMPARISON_MAX_RUNS];
  g_autoptr (GError) error = NULL;
  guint n = MIN (lesson->n_agents, SIM_COMPARISON_MAX_RUNS);

  cancel_comparison (self);
  for (guint i = 0; i < n; i++)
    {
      sim_runner_get_config (self->runner, &configs[i]);
      ms_lesson_get_agent_config (lesson, i, &configs[i]);
      names[i] = _(lesson->agents[i].name);
      descriptions[i] = _(lesson->agents[i].description);
    }
  ms_comparison_plot_set_agents (MS_COMPARISON_PLOT (self->comparison_plot), names, descriptions,
                                 (int) n);
  if (n > 0)
    {
      self->comparison = sim_comparison_new (configs, (int) n, &error);
      if (self->comparison == NULL)
        g_warning ("The lesson “%s” cannot compare its agents: %s", lesson->id, error->message);
    }
  if (self->comparison != NULL)
    {
      g_signal_connect_swapped (self->comparison, "run-done",
                                G_CALLBACK (comparison_run_done_cb), self);
      g_signal_connect_swapped (self->comparison, "progress",
                                G_CALLBACK (update_comparison_bar), self);
      g_signal_connect_swapped (self->comparison, "finished",
                                G_CALLBACK (update_comparison_bar), self);
    }
  update_comparison_bar (self);
}

/* The comparison in the dashboard's place, or the dashboard. */
static void
show_comparison (MsWindow *self,
                 gboolean  shown)
{
  GtkWidget *dashboard_child = gtk_widget_get_prev_sibling (self->comparison_card);

  gtk_widget_set_visible (self->comparison_card, shown);
  if (dashboard_child != NULL)
    gtk_widget_set_visible (dashboard_child, !shown);
}

void
_ms_window_dispose_lessons (MsWindow *self)
{
  cancel_comparison (self);
}

/* TRUE when the run on screen has done all its iterations, so "play" has nothing to do. */
static gboolean
run_finished (MsWindow        *self,
              const SimConfig *config)
{
  SimSnapshot *snapshot = sim_runner_get_snapshot (self->runner);

  return snapshot != NULL && sim_config_equal (&snapshot->config, config) &&
         snapshot->iteration >= snapshot->config.iterations;
}

/* Whether steps 0 to index show a test level. */
static gboolean
reveals_test (const MsLesson *lesson,
              guint           index)
{
  for (guint i = 0; i <= index; i++)
    if (lesson->steps[i].shown == SIM_SHOWN_TEST)
      return TRUE;
  return FALSE;
}

static void
show_step (MsWindow *self)
{
  const MsLessonStep *step = &self->lesson->steps[self->lesson_step];
  char speed[G_ASCII_DTOSTR_BUF_SIZE];
  SimConfig current;
  SimConfig config;
  gboolean restarted = FALSE;

  sim_runner_get_config (self->runner, &current);
  config = current;
  ms_lesson_get_config (self->lesson, self->lesson_step, &config);
  if (!sim_config_equal (&config, &current))
    {
      restarted = _ms_window_apply_config (self, &config, NULL);
      if (restarted)
        ms_window_forget_experiment_file (self);
    }

  g_ascii_formatd (speed, sizeof speed, "%g", step->speed);
  g_action_group_change_action_state (G_ACTION_GROUP (self), "speed",
                                      g_variant_new_string (speed));
  g_action_group_change_action_state (G_ACTION_GROUP (self), "show-level",
                                      g_variant_new_string (step->shown == SIM_SHOWN_TRAIN
                                                            ? "train" : "test"));
  if (!step->play)
    sim_runner_pause (self->runner);
  else if (restarted || !run_finished (self, &config))
    sim_runner_play (self->runner);
  _ms_window_update_play_state (self);

  /* Test results are the lesson's punchline: withheld until its first step on a test level. */
  ms_dashboard_set_test_hidden (self->dashboard, !reveals_test (self->lesson, self->lesson_step));

  if (step->highlight >= 0 && step->highlight < MS_DASHBOARD_N_PARTS)
    ms_dashboard_highlight (self->dashboard, step->highlight);
  show_comparison (self, step->comparison);
  if (step->sweep)
    {
      GtkWindow *sweep = _ms_window_show_sweep (self);

      ms_sweep_window_start (MS_SWEEP_WINDOW (sweep), MS_SWEEP_KNOB_DIVERSITY,
                             MS_LESSON_SWEEP_VALUES, MS_LESSON_SWEEP_SEEDS);
    }

  ms_lesson_bar_set_step (MS_LESSON_BAR (self->lesson_bar), self->lesson, self->lesson_step);
  gtk_widget_set_visible (self->lesson_bar, TRUE);
  update_lesson_actions (self);
}

static void
lesson_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MsWindow *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);
  const MsLesson *lesson = ms_lessons_lookup (id);

  if (lesson == NULL || lesson->n_steps == 0)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the identifier of a lesson, e.g. "coin" */
      message = g_strdup_printf (_("There is no lesson “%s”"), id);
      _ms_window_add_toast (self, adw_toast_new (message));
      return;
    }
  /* The dashboard needs the room while the class follows a lesson; F9 still opens the
   * article, and closing the lesson brings it back. */
  if (self->lesson == NULL && ms_window_get_article_visible (self))
    {
      g_action_group_change_action_state (G_ACTION_GROUP (self), "toggle-article",
                                          g_variant_new_boolean (FALSE));
      self->lesson_hid_article = TRUE;
    }
  self->lesson = lesson;
  self->lesson_step = 0;
  start_comparison (self);
  show_step (self);
  /* A lesson sets up its own demonstration: the faint lines of a run before it would be
   * no part of it. Its own steps that change the run leave the run before as faint lines. */
  _ms_window_clear_previous_run (self);
  /* Space and Enter go on with the lesson, once the Demos menu has closed. */
  _ms_window_focus_when_idle (self,
                             ms_lesson_bar_get_next_button (MS_LESSON_BAR (self->lesson_bar)));
}

static void
lesson_close_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  MsWindow *self = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* The demo stays as the lesson left it, so the class can go on exploring. The focus, if
   * the bar had it, goes to Play. */
  cancel_comparison (self);
  show_comparison (self, FALSE);
  self->lesson = NULL;
  self->lesson_step = 0;
  ms_dashboard_set_test_hidden (self->dashboard, FALSE);
  if (focus != NULL && gtk_widget_is_ancestor (focus, self->lesson_bar))
    gtk_widget_grab_focus (GTK_WIDGET (self->play_button));
  gtk_widget_set_visible (self->lesson_bar, FALSE);
  if (self->lesson_hid_article)
    g_action_group_change_action_state (G_ACTION_GROUP (self), "toggle-article",
                                        g_variant_new_boolean (TRUE));
  self->lesson_hid_article = FALSE;
  update_lesson_actions (self);
}

static void
lesson_next_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MsWindow *self = user_data;

  if (self->lesson == NULL)
    return;
  /* Next on the last step finishes the lesson. */
  if (self->lesson_step + 1 >= self->lesson->n_steps)
    {
      lesson_close_activated (NULL, NULL, self);
      return;
    }
  self->lesson_step++;
  show_step (self);
}

static void
lesson_back_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MsWindow *self = user_data;

  if (self->lesson == NULL || self->lesson_step == 0)
    return;
  self->lesson_step--;
  show_step (self);
  /* Back is off on the first step: the focus it had moves on to Next. */
  if (self->lesson_step == 0)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
      GtkWidget *next = ms_lesson_bar_get_next_button (MS_LESSON_BAR (self->lesson_bar));

      if (focus == NULL || !gtk_widget_get_sensitive (focus) ||
          gtk_widget_is_ancestor (focus, self->lesson_bar))
        gtk_widget_grab_focus (next);
    }
}

static const GActionEntry lesson_actions[] = {
  { "lesson", lesson_activated, "s", NULL, NULL },
  { "lesson-next", lesson_next_activated, NULL, NULL, NULL },
  { "lesson-back", lesson_back_activated, NULL, NULL, NULL },
  { "lesson-close", lesson_close_activated, NULL, NULL, NULL },
};

/* The lessons go into the Demos menu, in a section of their own. */
static void
add_lessons_menu (MsWindow *self)
{
  GMenuModel *model = gtk_menu_button_get_menu_model (self->presets_button);
  g_autoptr (GMenu) section = g_menu_new ();

  if (!G_IS_MENU (model))
    {
      g_warning ("The Demos menu cannot take the lessons");
      return;
    }
  for (guint i = 0; i < ms_lessons_get_n (); i++)
    {
      const MsLesson *lesson = ms_lessons_get (i);
      g_autoptr (GMenuItem) item = g_menu_item_new (_(lesson->title), NULL);

      g_menu_item_set_action_and_target_value (item, "win.lesson",
                                               g_variant_new_string (lesson->id));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (G_MENU (model), _("Guided Lessons"), G_MENU_MODEL (section));
}

/* The bar goes right above the dashboard area: before the child of the nearest vertical box
 * that holds the dashboard. */
static void
add_lesson_bar (MsWindow *self)
{
  GtkWidget *child = GTK_WIDGET (self->dashboard);
  GtkWidget *parent = gtk_widget_get_parent (child);

  while (parent != NULL &&
         !(GTK_IS_BOX (parent) &&
           gtk_orientable_get_orientation (GTK_ORIENTABLE (parent)) == GTK_ORIENTATION_VERTICAL))
    {
      child = parent;
      parent = gtk_widget_get_parent (parent);
    }
  g_return_if_fail (parent != NULL);

  self->lesson_bar = ms_lesson_bar_new ();
  gtk_widget_set_visible (self->lesson_bar, FALSE);
  gtk_box_insert_child_after (GTK_BOX (parent), self->lesson_bar,
                              gtk_widget_get_prev_sibling (child));

  /* The comparison of agents goes right after the dashboard, hidden until a step shows it;
   * its text grows with the dashboard's in presentation mode. */
  self->comparison_plot = ms_comparison_plot_new ();
  gtk_widget_set_hexpand (self->comparison_plot, TRUE);
  gtk_widget_set_vexpand (self->comparison_plot, TRUE);
  g_object_bind_property (self->dashboard, "scale", self->comparison_plot, "scale",
                          G_BINDING_SYNC_CREATE);
  g_settings_bind (self->settings, "colorblind-palette", self->comparison_plot, "colorblind",
                   G_SETTINGS_BIND_GET);
  self->comparison_card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (self->comparison_card, "card");
  gtk_widget_add_css_class (self->comparison_card, "comparison-card");
  gtk_widget_set_margin_start (self->comparison_card, 12);
  gtk_widget_set_margin_end (self->comparison_card, 12);
  gtk_widget_set_margin_top (self->comparison_card, 12);
  gtk_widget_set_margin_bottom (self->comparison_card, 6);
  gtk_box_append (GTK_BOX (self->comparison_card), self->comparison_plot);
  gtk_widget_set_visible (self->comparison_card, FALSE);
  gtk_box_insert_child_after (GTK_BOX (parent), self->comparison_card, child);
}

/* Page Down and Page Up, which presentation clickers send, walk the lesson. The shortcuts
 * do nothing (and let the keys through) while no lesson runs, as the actions are disabled. */
static void
add_lesson_shortcuts (MsWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Down, 0),
                      gtk_named_action_new ("win.lesson-next")));
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Up, 0),
                      gtk_named_action_new ("win.lesson-back")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

void
_ms_window_init_lessons (MsWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), lesson_actions,
                                   G_N_ELEMENTS (lesson_actions), self);
  add_lesson_bar (self);
  add_lessons_menu (self);
  add_lesson_shortcuts (self);
  update_lesson_actions (self);
}
