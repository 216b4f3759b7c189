/* ms-level-editor-agent.c: the level editor's "Run Agent": the current agent of the training
 * run on the level being edited
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run queues a job on the training run's worker thread: between two iterations it tries
 * the agent on a copy of the level (sim_trial_run(): a few sampled paths, the keys and chests
 * taken, the exact outcome of its policy where there is one). The result comes back on the
 * main thread and is drawn on the canvas, unless the level changed in the meantime.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-level-editor-private.h"
#include "sim-train.h"
#include "sim-trial.h"

typedef struct
{
  GWeakRef editor;
  guint serial;
  SimLevel *level;              /* owned copy; read on the worker */

  /* Written by the worker. */
  gboolean no_agent;
  SimScenarioKind run_scenario;
  SimTrial *trial;              /* owned, or NULL when the trial refused the level */
  GError *error;                /* owned: why it refused */
} AgentJob;

static const char *
scenario_label (SimScenarioKind scenario)
{
  switch (scenario)
    {
    case SIM_SCENARIO_GREEN_EXIT:
      return _("Green Exit");
    case SIM_SCENARIO_KEYS_CHESTS:
      return _("Keys and Chests");
    case SIM_SCENARIO_COIN:
    case SIM_N_SCENARIOS:
    default:
      return _("Coin");
    }
}


static void
set_wrong_scenario_text (MsLevelEditor   *self,
                         SimScenarioKind  agent_scenario,
                         SimScenarioKind  level_scenario)
{
  g_autofree char *text =
    g_strdup_printf (_("The current agent was trained on the “%s” scenario: train one on "
                       "the “%s” scenario first."),
                     scenario_label (agent_scenario), scenario_label (level_scenario));

  ms_level_editor_set_agent_text (self, text);
}

static void
set_no_start_text (MsLevelEditor *self)
{
  ms_level_editor_set_agent_text (self, _("The level has no start cell: paint one with Start "
                                          "(7), then run the agent."));
}

void
ms_level_editor_set_agent_text (MsLevelEditor *self,
                                const char    *text)
{
  g_free (self->agent_text);
  self->agent_text = g_strdup (text);
  gtk_label_set_text (self->agent_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->agent_label), text != NULL && *text != '\0');
}

void
ms_level_editor_clear_outcome (MsLevelEditor *self)
{
  self->has_outcome = FALSE;
  self->has_pickups = FALSE;
  ms_level_editor_clear_list (self->outcome_list);
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_list), FALSE);
}

static void
agent_job_free (gpointer data)
{
  AgentJob *job = data;
  g_autoptr (MsLevelEditor) self = g_weak_ref_get (&job->editor);

  if (self != NULL)
    {
      self->agent_busy--;
      gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), self->agent_busy == 0);
    }
  g_weak_ref_clear (&job->editor);
  sim_level_unref (job->level);
  g_clear_pointer (&job->trial, sim_trial_free);
  g_clear_error (&job->error);
  g_free (job);
}

/* On the worker thread. */
static void
agent_job_run (SimRunner *runner,
               gpointer   state,
               gpointer   user_data)
{
  AgentJob *job = user_data;
  SimTrain *train = sim_runner_job_get_train (runner, state);

  if (train == NULL)
    {
      job->no_agent = TRUE;
      return;
    }
  job->run_scenario = sim_train_get_config (train)->scenario;
  job->trial = sim_trial_run (train, job->level, &job->error);
}

static GtkWidget *
outcome_row (const char *label,
             double      value,
             const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (label);
  GtkWidget *number = gtk_label_new (text);
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (number, "numeric");
  gtk_widget_add_css_class (number, "heading");
  gtk_box_append (GTK_BOX (top), name);
  gtk_box_append (GTK_BOX (top), number);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (value, 0, 1));
  /* One colour for every row: the bar shows an amount, not good or bad. */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return box;
}

static void
add_percent_row (MsLevelEditor *self,
                 const char    *label,
                 double         value)
{
  char buf[32];

  ms_plot_format_percent (buf, sizeof buf, value);
  gtk_list_box_append (self->outcome_list, outcome_row (label, value, buf));
}

static void
count_cells (const SimLevel *level,
             SimCell         cell,
             int            *count)
{
  *count = 0;
  for (int s = 0; s < level->width * level->height; s++)
    if (level->cells[s] == cell)
      (*count)++;
}

static void
show_outcome (MsLevelEditor  *self,
              const SimLevel *level,
              const SimTrial *trial)
{
  g_autofree char *text = NULL;

  ms_level_editor_clear_outcome (self);
  if (trial->has_outcome)
    {
      double rest = 1.0 - trial->outcome.target - trial->outcome.proxy - trial->outcome.lava;
      g_autofree char *target = NULL;

      self->has_outcome = TRUE;
      self->outcome = trial->outcome;
      self->outcome_iteration = trial->iteration;
      /* Translators: how an episode ends, e.g. "Reaches coin" */
      target = g_strdup (ms_words_behaviour_label (level->scenario, FALSE));
      add_percent_row (self, target, trial->outcome.target);
      add_percent_row (self, ms_words_behaviour_label (level->scenario, TRUE),
                       trial->outcome.proxy);
      add_percent_row (self, _("steps into lava"), trial->outcome.lava);
      add_percent_row (self, _("anything else"), MAX (rest, 0.0));
    }
  else if (level->scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      int n_keys, n_chests;
      char value[64];

      self->has_pickups = TRUE;
      self->keys = trial->keys;
      self->chests = trial->chests;
      count_cells (level, SIM_CELL_KEY, &n_keys);
      count_cells (level, SIM_CELL_CHEST, &n_chests);
      /* Translators: a mean count out of a total, e.g. "1.8 of 2" */
      g_snprintf (value, sizeof value, _("%.1f of %d"), trial->keys, n_keys);
      gtk_list_box_append (self->outcome_list,
                           outcome_row (_("keys picked up"),
                                        n_keys > 0 ? trial->keys / n_keys : 0, value));
      g_snprintf (value, sizeof value, _("%.1f of %d"), trial->chests, n_chests);
      gtk_list_box_append (self->outcome_list,
                           outcome_row (_("chests opened"),
                                        n_chests > 0 ? trial->chests / n_chests : 0, value));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->outcome_list)) != NULL);

  if (trial->has_outcome)
    text = g_strdup_printf (_("The agent after iteration %d of %d: %d sampled paths drawn, "
                              "ending at the dots. The chances below are exact, for its policy "
                              "with the target in view."),
                            trial->iteration, trial->n_iterations, trial->n_paths);
  else if (level->scenario == SIM_SCENARIO_KEYS_CHESTS)
    text = g_strdup_printf (_("The agent after iteration %d of %d: %d sampled paths drawn, "
                              "ending at the dots. Counts are means over %d samples."),
                            trial->iteration, trial->n_iterations, trial->n_paths,
                            trial->n_samples);
  else
    text = g_strdup_printf (_("The agent after iteration %d of %d: %d sampled paths drawn. The "
                              "level is too large to compute the exact chances."),
                            trial->iteration, trial->n_iterations, trial->n_paths);
  ms_level_editor_set_agent_text (self, text);
}

/* On the main thread, after the job ran. */
static void
agent_job_done (SimRunner *runner,
                gpointer   user_data)
{
  AgentJob *job = user_data;
  g_autoptr (MsLevelEditor) self = g_weak_ref_get (&job->editor);

  if (self == NULL)
    return;
  if (job->serial != self->serial)
    {
      ms_level_editor_set_agent_text (self, _("The level changed while the agent ran: run it "
                                              "again."));
      return;
    }
  if (job->no_agent)
    {
      ms_level_editor_set_agent_text (self, _("The training run has no agent: it could not "
                                              "start. Change its settings in the main window."));
      return;
    }
  if (g_error_matches (job->error, SIM_TRIAL_ERROR, SIM_TRIAL_ERROR_SCENARIO))
    {
      set_wrong_scenario_text (self, job->run_scenario, job->level->scenario);
      return;
    }
  if (job->trial == NULL)
    {
      set_no_start_text (self);
      return;
    }
  ms_level_canvas_set_paths (self->canvas, job->trial->cells, job->trial->offsets,
                             job->trial->lengths, job->trial->n_paths);
  show_outcome (self, job->level, job->trial);
}

void
ms_level_editor_run_agent (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);
  SimConfig config;
  AgentJob *job;

  if (level == NULL)
    return;
  ms_level_editor_clear_outcome (self);
  ms_level_canvas_set_paths (self->canvas, NULL, NULL, NULL, 0);
  if (self->runner == NULL)
    {
      ms_level_editor_set_agent_text (self, _("There is no training run to take the agent "
                                              "from."));
      return;
    }
  if (level->start < 0)
    {
      set_no_start_text (self);
      return;
    }
  sim_runner_get_config (self->runner, &config);
  if (config.scenario != level->scenario)
    {
      set_wrong_scenario_text (self, config.scenario, level->scenario);
      return;
    }

  job = g_new0 (AgentJob, 1);
  g_weak_ref_init (&job->editor, self);
  job->serial = self->serial;
  job->level = sim_level_copy (level);
  self->agent_busy++;
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), FALSE);
  ms_level_editor_set_agent_text (self, _("Running the agent…"));
  sim_runner_call (self->runner, agent_job_run, agent_job_done, job, agent_job_free);
}

gboolean
ms_level_editor_get_agent_busy (MsLevelEditor *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);

  return self->agent_busy > 0;
}

gboolean
ms_level_editor_get_outcome (MsLevelEditor *self,
                             SimOutcome    *outcome,
                             int           *iteration)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);

  if (!self->has_outcome)
    return FALSE;
  if (outcome != NULL)
    *outcome = self->outcome;
  if (iteration != NULL)
    *iteration = self->outcome_iteration;
  return TRUE;
}

const char *
ms_level_editor_get_agent_text (MsLevelEditor *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), NULL);

  return self->agent_text;
}

gboolean
ms_level_editor_get_pickups (MsLevelEditor *self,
                             double        *keys,
                             double        *chests)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);

  if (!self->has_pickups)
    return FALSE;
  if (keys != NULL)
    *keys = self->keys;
  if (chests != NULL)
    *chests = self->chests;
  return TRUE;
}
