/* ms-window-changes.c: changes of run in the window, the run they replace, and Undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every change of settings goes through _ms_window_apply_config(): the settings sidebar, a demo,
 * an article link, a lesson's step, an opened file, Reset All, and Undo itself. The run it
 * replaces stays in two ways until the next change:
 *
 * - for Undo: its settings and the iteration it had reached. Undo (win.undo-settings, the
 *   toast's button, the menu, Ctrl+Z) applies the settings again and replays the run to that
 *   iteration at full speed, as an opened experiment file is replayed: the engine is
 *   deterministic, so every figure comes back the same. Then it plays on if training played.
 * - on screen: the last replaced run that had trained, as faint lines in the success plot with a
 *   legend entry naming the settings it had ("Before: diversity 0 %"). See apply_config() for
 *   when they go.
 *
 * A change by hand (_ms_window_change_run()) plays the new run on when the old one played, so the
 * class sees it grow beside the faint old one, and its toast says which happened.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-window-private.h"

/* Toasts that are out of date (the change they offer to undo is no longer the last one) are
 * dismissed, but only once the toasts have been still for TOAST_SETTLE_US: libadwaita 1.2
 * frees a toast's show animation while it still runs when the toast is dismissed during it, and
 * then crashes when the animation ends. A toast only appears when it is added or when another
 * is dismissed, and its animations last 300 to 500 ms. */
#define TOAST_SETTLE_US (600 * 1000)

static gboolean
toasts_settled (MsWindow *self)
{
  return g_get_monotonic_time () - self->toast_activity_us >= TOAST_SETTLE_US;
}

static void
toast_dismissed_cb (AdwToast *toast,
                    MsWindow *self)
{
  self->toast_activity_us = g_get_monotonic_time ();
  if (self->change_toast == toast)
    self->change_toast = NULL;
}

static gboolean
dismiss_stale_toasts_cb (gpointer user_data)
{
  MsWindow *self = user_data;
  gint64 wait = self->toast_activity_us + TOAST_SETTLE_US - g_get_monotonic_time ();

  self->stale_toasts_id = 0;
  if (wait > 0)
    {
      self->stale_toasts_id = g_timeout_add (wait / 1000 + 1, dismiss_stale_toasts_cb, self);
      return G_SOURCE_REMOVE;
    }
  while (self->stale_toasts->len > 0)
    {
      g_autoptr (AdwToast) toast = g_ptr_array_steal_index (self->stale_toasts, 0);

      adw_toast_dismiss (toast);
    }
  return G_SOURCE_REMOVE;
}

static void
dismiss_when_settled (MsWindow *self,
                      AdwToast *toast)
{
  if (toasts_settled (self))
    {
      adw_toast_dismiss (toast);
      return;
    }
  g_ptr_array_add (self->stale_toasts, g_object_ref (toast));
  if (self->stale_toasts_id == 0)
    self->stale_toasts_id = g_timeout_add (TOAST_SETTLE_US / 1000, dismiss_stale_toasts_cb, self);
}

static void
add_toast (MsWindow *self,
           AdwToast *toast)
{
  /* A change's toast that stays would hold back every toast queued after it. */
  if (self->change_toast != NULL && adw_toast_get_timeout (self->change_toast) == 0)
    {
      dismiss_when_settled (self, self->change_toast);
      self->change_toast = NULL;
    }
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  self->toast_activity_us = g_get_monotonic_time ();
}

void
_ms_window_add_toast (MsWindow *self,
                      AdwToast *toast)
{
  g_return_if_fail (MS_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  add_toast (self, toast);
}

/* The toast of a change, with Undo. The change before it is no longer the one Undo undoes: its
 * toast goes. */
static void
add_change_toast (MsWindow   *self,
                  const char *text,
                  gboolean    persistent)
{
  AdwToast *toast = adw_toast_new (text);

  if (self->change_toast != NULL)
    {
      dismiss_when_settled (self, self->change_toast);
      self->change_toast = NULL;
    }
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-settings");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  if (persistent)
    adw_toast_set_timeout (toast, 0);
  add_toast (self, toast);
  self->change_toast = toast;
}

static void
update_undo_action (MsWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "undo-settings");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->has_previous);
}

/* One setting in words a class follows, as the settings sidebar and the subtitle name it. */
static char *
describe_setting (const SimConfig *config,
                  int              which)
{
  switch (which)
    {
    case 0:
      return g_strdup (config->scenario == SIM_SCENARIO_GREEN_EXIT ? _("Green exit")
                       : config->scenario == SIM_SCENARIO_KEYS_CHESTS ? _("Keys and chests")
                       : _("Coin at the end"));
    case 1:
      return g_strdup (config->agent == SIM_AGENT_QLEARNER ? _("Q-learner")
                       : config->agent == SIM_AGENT_MLP ? _("Neural network")
                       : _("Planner"));
    case 2:
      return g_strdup (config->optimizer == SIM_OPTIMIZER_CEM ? _("best of many tries")
                       : config->optimizer == SIM_OPTIMIZER_PG ? _("policy gradient with Adam")
                       : _("policy gradient"));
    case 3:
      if (config->perception == SIM_PERCEPTION_HIDDEN)
        /* Translators: %d is a percentage of training levels */
        return g_strdup_printf (_("target out of sight in %d %% of levels"),
                                config->perception_param);
      if (config->perception == SIM_PERCEPTION_RADIUS)
        /* Translators: %d is a number of cells */
        return g_strdup_printf (_("target seen within %d"), config->perception_param);
      return g_strdup (_("target always seen"));
    case 4:
      /* Translators: the share of training levels like the test ones; %d is a percentage */
      return g_strdup_printf (_("diversity %d %%"), config->diversity);
    case 5:
      /* Translators: %d is the width and height of the level, in cells */
      return g_strdup_printf (_("grid %d × %d"), config->grid, config->grid);
    case 6:
      return g_strdup (config->near_corner ? _("near-corner feature on")
                                           : _("near-corner feature off"));
    case 7:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d iteration", "%d iterations",
                                           config->iterations), config->iterations);
    case 8:
      if (config->planning_depth == 0)
        return g_strdup (_("plans to the end"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "looks %d step ahead",
                                           "looks %d steps ahead", config->planning_depth),
                              config->planning_depth);
    case 9:
      if (config->infer_every == 0)
        return g_strdup (_("no inference"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "inference every %d iteration",
                                           "inference every %d iterations",
                                           config->infer_every), config->infer_every);
    case 10:
    default:
      /* Translators: %u is the random seed */
      return g_strdup_printf (_("seed %u"), config->seed);
    }
}

#define N_SETTINGS 11

/* What before had that now has not, in words: the settings that differ, the weightiest first,
 * with before's values ("diversity 0 %"); two at most, then how many more. */
static char *
describe_difference (const SimConfig *before,
                     const SimConfig *now)
{
  g_autoptr (GPtrArray) named = g_ptr_array_new_with_free_func (g_free);
  int more = 0;

  for (int which = 0; which < N_SETTINGS; which++)
    {
      g_autofree char *a = describe_setting (before, which);
      g_autofree char *b = describe_setting (now, which);

      if (g_strcmp0 (a, b) == 0)
        continue;
      if (named->len < 2)
        g_ptr_array_add (named, g_steal_pointer (&a));
      else
        more++;
    }
  if (named->len == 0)
    return g_strdup (_("the same settings"));
  if (named->len == 1)
    return g_strdup (g_ptr_array_index (named, 0));
  if (more == 0)
    /* Translators: two settings of the previous run, e.g. "diversity 0 %, grid 8 × 8" */
    return g_strdup_printf (_("%s, %s"), (char *) g_ptr_array_index (named, 0),
                            (char *) g_ptr_array_index (named, 1));
  /* Translators: two settings of the previous run, then how many more differ */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s and %d more setting",
                                       "%s, %s and %d more settings", more),
                          (char *) g_ptr_array_index (named, 0),
                          (char *) g_ptr_array_index (named, 1), more);
}

/* Hands the previous run, with its legend entry against the settings of now, to the plot. */
static void
show_previous_run (MsWindow        *self,
                   const SimConfig *now)
{
  g_autofree char *difference = NULL;
  g_autofree char *label = NULL;

  if (self->previous_run == NULL)
    {
      ms_dashboard_set_previous_run (self->dashboard, NULL, NULL);
      return;
    }
  difference = describe_difference (&self->previous_run->config, now);
  if (self->previous_run_undone)
    /* Translators: the legend of the faint lines of a run that Undo replaced; %s names its
     * settings that differ, e.g. "diversity 20 %" */
    label = g_strdup_printf (_("Undone: %s"), difference);
  else
    /* Translators: the legend of the faint lines of the run a change of settings replaced; %s
     * names its settings that differ, e.g. "diversity 0 %" */
    label = g_strdup_printf (_("Before: %s"), difference);
  ms_dashboard_set_previous_run (self->dashboard, self->previous_run, label);
}

void
_ms_window_clear_previous_run (MsWindow *self)
{
  g_return_if_fail (MS_IS_WINDOW (self));

  g_clear_pointer (&self->previous_run, sim_snapshot_unref);
  ms_dashboard_set_previous_run (self->dashboard, NULL, NULL);
}

/* Shows or hides the spinner and progress bar of the status line, for Undo's replay. */
static void
show_restoring (MsWindow *self,
                gboolean  restoring)
{
  gtk_widget_set_visible (GTK_WIDGET (self->open_spinner), restoring);
  gtk_spinner_set_spinning (self->open_spinner, restoring);
  gtk_widget_set_visible (GTK_WIDGET (self->replay_progress), restoring);
  gtk_progress_bar_set_fraction (self->replay_progress, 0.0);
}

void
_ms_window_end_restore (MsWindow *self)
{
  if (self->restore_iteration <= 0)
    return;
  self->restore_iteration = 0;
  show_restoring (self, FALSE);
  _ms_window_update_status (self);
}

/* Follows Undo's replay with every snapshot: its progress on the status line, then play on
 * when it was playing. A pause or a single step before the end ends it there; so does the
 * next change (_ms_window_apply_config()). */
void
_ms_window_restore_snapshot (MsWindow    *self,
                             SimSnapshot *snapshot)
{
  g_autofree char *text = NULL;
  int n = self->restore_iteration;

  if (n <= 0)
    return;
  /* A late snapshot of the run Undo replaced. */
  if (snapshot->run < self->restore_run)
    return;
  if (snapshot->running)
    self->restore_running = TRUE;
  /* Another run, or a pause before the end: the replay is over there. */
  if (snapshot->run != self->restore_run ||
      (!snapshot->running && snapshot->iteration < n &&
       (self->restore_running || !sim_runner_get_playing (self->runner))))
    {
      _ms_window_end_restore (self);
      return;
    }
  if (snapshot->iteration < n || snapshot->running)
    {
      /* Translators: the status line while Undo replays the previous run: iteration k of n */
      text = g_strdup_printf (_("Bringing back the previous run: iteration %d of %d"),
                              snapshot->iteration, n);
      gtk_inscription_set_text (self->status_label, text);
      gtk_progress_bar_set_fraction (self->replay_progress, (double) snapshot->iteration / n);
      return;
    }
  _ms_window_end_restore (self);
  if (self->restore_play && snapshot->iteration < snapshot->config.iterations)
    sim_runner_play (self->runner);
}

static gboolean
apply_config (MsWindow        *self,
              const SimConfig *config,
              gboolean         undoing)
{
  g_autoptr (GError) error = NULL;
  SimSnapshot *replaced = sim_runner_get_snapshot (self->runner);
  SimConfig old;
  int replaced_iteration = 0;

  sim_runner_get_config (self->runner, &old);
  if (!sim_runner_reset (self->runner, config, &error))
    {
      g_autofree char *message = g_strdup_printf (_("These settings cannot be used: %s"),
                                                  error->message);
      _ms_window_add_toast (self, adw_toast_new (message));
      ms_controls_panel_set_config (self->controls_panel, &old);
      return FALSE;
    }
  /* The last snapshot shown is of the run replaced, unless that run has not shown one yet
   * (two changes in a row): then it had done nothing. */
  if (replaced != NULL && sim_config_equal (&replaced->config, &old))
    replaced_iteration = replaced->iteration;
  _ms_window_end_restore (self);

  /* Undo goes back to the replaced run, where it was, until the next change. */
  self->previous_config = old;
  self->previous_iteration = replaced_iteration;
  self->has_previous = TRUE;
  update_undo_action (self);

  /* The faint lines: the last replaced run that had trained, with other settings than the
   * run now. A change that replaces a run with nothing to show (two changes in a row, or the
   * same settings again) keeps the faint lines there are, unless they have the settings now,
   * when there is nothing to compare. Start Over (win.reset), which keeps the settings, keeps
   * them too; a lesson's start, Reset All and an opened file drop them. */
  if (replaced_iteration > 0 && !sim_config_equal (&old, config))
    {
      g_clear_pointer (&self->previous_run, sim_snapshot_unref);
      self->previous_run = sim_snapshot_ref (replaced);
      self->previous_run_undone = undoing;
    }
  else if (self->previous_run != NULL && sim_config_equal (&self->previous_run->config, config))
    g_clear_pointer (&self->previous_run, sim_snapshot_unref);
  show_previous_run (self, config);

  ms_controls_panel_set_config (self->controls_panel, config);
  _ms_window_show_config (self, config);
  /* The last change's toast spoke of a change that is no longer the one Undo undoes. */
  if (self->change_toast != NULL)
    {
      dismiss_when_settled (self, self->change_toast);
      self->change_toast = NULL;
    }
  return TRUE;
}

gboolean
_ms_window_apply_config (MsWindow        *self,
                         const SimConfig *config,
                         const char      *toast_text)
{
  if (!apply_config (self, config, FALSE))
    return FALSE;
  if (toast_text != NULL)
    add_change_toast (self, toast_text, FALSE);
  return TRUE;
}

/* Whether the run that a change replaces should play on in the new one: it plays, or it played
 * to its end (nobody paused it). A run paused by hand stays paused. */
static gboolean
plays_on (MsWindow *self)
{
  SimSnapshot *snapshot = sim_runner_get_snapshot (self->runner);

  return sim_runner_get_playing (self->runner) ||
         (snapshot != NULL && snapshot->iteration > 0 &&
          snapshot->iteration >= snapshot->config.iterations);
}

gboolean
_ms_window_change_run (MsWindow        *self,
                       const SimConfig *config,
                       const char      *what,
                       gboolean         persistent)
{
  g_autofree char *text = NULL;
  /* The new run grows beside the faint old one while the class watches. */
  gboolean play = plays_on (self);

  if (!apply_config (self, config, FALSE))
    return FALSE;
  /* A replay of an opened run or of Undo plays to where it stops, then pauses: the new run
   * plays on at the chosen speed instead. */
  if (play)
    sim_runner_play (self->runner);
  if (play)
    /* Translators: a toast after a change; %s says what changed, e.g. "Settings changed" or
     * "Loaded “Coin at the End”" */
    text = g_strdup_printf (_("%s: training started over"), what);
  else
    /* Translators: a toast after a change while training was paused; %s says what changed,
     * e.g. "Settings changed" or "Loaded “Coin at the End”" */
    text = g_strdup_printf (_("%s: back to iteration 0, paused"), what);
  add_change_toast (self, text, persistent);
  _ms_window_update_play_state (self);
  return TRUE;
}

void
_ms_window_undo_change (MsWindow *self)
{
  g_autofree char *text = NULL;
  SimConfig previous;
  int iteration;
  gboolean play;

  g_return_if_fail (MS_IS_WINDOW (self));

  if (!self->has_previous)
    return;
  previous = self->previous_config;
  iteration = self->previous_iteration;
  play = plays_on (self);
  if (!apply_config (self, &previous, TRUE))
    return;
  /* One step back: Undo is there again after the next change. */
  self->has_previous = FALSE;
  update_undo_action (self);
  /* The engine is deterministic: replaying the previous settings to the same iteration brings
   * back the same run, every figure the same. At full speed, with its progress shown. */
  if (iteration > 0)
    {
      self->restore_run = sim_runner_get_run (self->runner);
      self->restore_iteration = iteration;
      self->restore_running = FALSE;
      self->restore_play = play;
      sim_runner_play_to (self->runner, iteration);
      show_restoring (self, TRUE);
      /* Translators: the status line while Undo replays the previous run: iteration k of n */
      text = g_strdup_printf (_("Bringing back the previous run: iteration %d of %d"), 0,
                              iteration);
      gtk_inscription_set_text (self->status_label, text);
    }
  else if (play)
    sim_runner_play (self->runner);
  _ms_window_update_play_state (self);
}

void
_ms_window_init_changes (MsWindow *self)
{
  self->stale_toasts = g_ptr_array_new_with_free_func (g_object_unref);
  update_undo_action (self);
}

void
_ms_window_dispose_changes (MsWindow *self)
{
  g_clear_handle_id (&self->stale_toasts_id, g_source_remove);
  g_clear_pointer (&self->stale_toasts, g_ptr_array_unref);
  g_clear_pointer (&self->previous_run, sim_snapshot_unref);
}
