/* ms-window-files.c: experiment files, recent experiments and the file choosers of the main
 * window (the exports themselves are in ms-window-exports.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An experiment file holds the configuration and the history of a run; since the engine is
 * deterministic for a configuration, opening one replays the run at full speed to where it was
 * saved and checks that every saved figure comes out the same, bit for bit. Images are drawn by ms-export; the metric history and the probe demonstrations live on
 * the training thread, so those two exports run there as runner jobs and report back here.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-level-editor.h"
#include "ms-window-files.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "sim-config.h"
#include "sim-experiment.h"
#include "sim-scenario.h"

#define EXPERIMENT_MIME_TYPE "application/x-mesascope-experiment"
#define EXPERIMENT_SUFFIX ".mesascope"
#define MAX_RECENT 8
char *
_ms_window_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    return g_filename_display_basename (path);
  return g_file_get_parse_name (file);
}

void
_ms_window_show_error (MsWindow   *self,
                       const char *heading,
                       const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_ms_window_show_toast (MsWindow   *self,
                       const char *text)
{
  _ms_window_add_toast (self, adw_toast_new (text));
}

static gboolean
has_suffix (GFile      *file,
            const char *suffix)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name != NULL ? g_utf8_strdown (name, -1) : NULL;

  return lower != NULL && g_str_has_suffix (lower, suffix);
}

/* Recent experiments. */

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *ia = *(GtkRecentInfo **) a;
  GtkRecentInfo *ib = *(GtkRecentInfo **) b;

  /* Newest first. */
  return g_date_time_compare (gtk_recent_info_get_modified (ib),
                              gtk_recent_info_get_modified (ia));
}

static void
rebuild_recent_menu (MsWindow *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autoptr (GPtrArray) infos = g_ptr_array_new ();
  GList *items = gtk_recent_manager_get_items (manager);
  guint n = 0;

  if (self->recent_menu == NULL)
    {
      g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      const char *mime = gtk_recent_info_get_mime_type (info);
      const char *uri = gtk_recent_info_get_uri (info);

      if ((g_strcmp0 (mime, EXPERIMENT_MIME_TYPE) == 0 || g_str_has_suffix (uri, EXPERIMENT_SUFFIX))
          && gtk_recent_info_is_local (info) && gtk_recent_info_exists (info))
        g_ptr_array_add (infos, info);
    }
  g_ptr_array_sort (infos, compare_recent);

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; i < infos->len && n < MAX_RECENT; i++, n++)
    {
      GtkRecentInfo *info = infos->pdata[i];
      g_autoptr (GMenuItem) item = g_menu_item_new (gtk_recent_info_get_display_name (info),
                                                    NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (gtk_recent_info_get_uri (info)));
      g_menu_append_item (self->recent_menu, item);
    }
  if (n == 0)
    g_menu_append (self->recent_menu, _("No Recent Experiments"), "win.no-recent");
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static void
add_recent (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  const char *app_name = g_get_application_name ();
  GtkRecentData data = {
    .mime_type = (char *) EXPERIMENT_MIME_TYPE,
    .app_name = (char *) (app_name != NULL ? app_name : "Mesascope"),
    .app_exec = (char *) "mesascope %u",
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

/* The title names the experiment file, marked when the run's configuration is no longer the
 * one in the file (Save would write a different experiment). */
static void
update_title (MsWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *title = NULL;
  SimConfig config;

  if (self->experiment_file == NULL)
    return;
  name = _ms_window_display_name (self->experiment_file);
  sim_runner_get_config (self->runner, &config);
  if (sim_config_equal (&config, &self->experiment_config))
    shown = g_strdup (name);
  else
    /* Translators: the title of a changed experiment, %s is its file name */
    shown = g_strdup_printf (_("• %s"), name);
  if (g_strcmp0 (adw_window_title_get_title (self->window_title), shown) == 0)
    return;
  /* Translators: the window title, %s is an experiment file's name */
  title = g_strdup_printf (_("%s — Mesascope"), shown);
  adw_window_title_set_title (self->window_title, shown);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

void
ms_window_forget_experiment_file (MsWindow *self)
{
  g_return_if_fail (MS_IS_WINDOW (self));

  if (self->experiment_file == NULL)
    return;
  g_clear_object (&self->experiment_file);
  adw_window_title_set_title (self->window_title, _("Mesascope"));
  gtk_window_set_title (GTK_WINDOW (self), _("Mesascope"));
}

static void
set_experiment_file (MsWindow        *self,
                     GFile           *file,
                     const SimConfig *config)
{
  g_set_object (&self->experiment_file, file);
  self->experiment_config = *config;
  update_title (self);
  add_recent (file);
}

/* Opening and saving experiments. */

/* Experiments are read and checked on a worker thread (a large file takes seconds), while
 * the status line shows a spinner; the window stays responsive and the run goes on until
 * the file is there. */

static void
load_experiment_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  SimExperiment *experiment = sim_experiment_load (path, &error);

  if (experiment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, experiment, (GDestroyNotify) sim_experiment_free);
}

static void
set_opening (MsWindow   *self,
             const char *name)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->open_spinner), name != NULL);
  gtk_spinner_set_spinning (self->open_spinner, name != NULL);
  if (name == NULL)
    return;
  /* Translators: the status line while a file loads, %s is its file name */
  text = g_strdup_printf (_("Opening “%s”…"), name);
  gtk_inscription_set_text (self->status_label, text);
}

/* Shows or hides the replay's spinner and progress bar. */
static void
show_replaying (MsWindow *self,
                gboolean  replaying)
{
  gtk_widget_set_visible (GTK_WIDGET (self->open_spinner), replaying);
  gtk_spinner_set_spinning (self->open_spinner, replaying);
  gtk_widget_set_visible (GTK_WIDGET (self->replay_progress), replaying);
  gtk_progress_bar_set_fraction (self->replay_progress, 0.0);
}

/* On the main thread once the worker is done: applies the experiment, or says why not. */
static void
experiment_loaded_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  MsWindow *self = MS_WINDOW (source_object);
  g_autoptr (GTask) outer = user_data;
  GFile *file = g_task_get_task_data (outer);
  g_autoptr (SimExperiment) experiment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *text = NULL;

  experiment = g_task_propagate_pointer (G_TASK (result), &error);
  /* Cancelled: another file was opened since, or the window is going away. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return;
    }
  g_clear_object (&self->open_cancellable);
  set_opening (self, NULL);
  name = _ms_window_display_name (file);
  if (experiment == NULL)
    {
      /* Translators: %s is a file name */
      heading = g_strdup_printf (_("Could Not Open “%s”"), name);
      _ms_window_show_error (self, heading, error->message);
      g_task_return_boolean (outer, FALSE);
      return;
    }

  /* The run starts over with the file's configuration; a saved history is replayed at full
   * speed to where it was saved (the engine is deterministic), and compared with the file
   * when it gets there (_ms_window_replay_snapshot()). */
  sim_runner_pause (self->runner);
  g_clear_pointer (&self->replay, sim_experiment_free);
  self->replay_verdict = -1;
  if (experiment->n_history > 0)
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("Opened “%s”: replaying its run."), name);
  else
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("Opened “%s”. Press Play to train."), name);
  if (!_ms_window_apply_config (self, &experiment->config, text))
    {
      /* _ms_window_apply_config() said why and kept the old run */
      _ms_window_update_play_state (self);
      g_task_return_boolean (outer, FALSE);
      return;
    }
  set_experiment_file (self, file, &experiment->config);
  /* The plots show the run as the file saved it, not beside another. */
  _ms_window_clear_previous_run (self);
  if (experiment->sweep != NULL)
    _ms_window_show_saved_sweep (self, experiment->sweep);
  if (experiment->n_history > 0)
    {
      g_free (self->replay_name);
      self->replay_name = g_strdup (name);
      sim_runner_play_to (self->runner, experiment->n_history);
      self->replay_run = sim_runner_get_run (self->runner);
      self->replay = g_steal_pointer (&experiment);
      self->replay_running = FALSE;
      show_replaying (self, TRUE);
    }
  _ms_window_update_play_state (self);
  g_task_return_boolean (outer, TRUE);
}

/* The first iteration (from 1) at which the replayed run differs from the saved one, or 0
 * when every saved figure is the same to the bit. */
static int
first_difference (const SimExperiment *saved,
                  const SimSnapshot   *run)
{
  int n = saved->n_history;
  int first = 0;

  if (run->n_history < n)
    return run->n_history + 1;
  for (int i = 0; i < n && first == 0; i++)
    {
      gboolean same =
        memcmp (&saved->train_target[i], &run->train_target[i], sizeof (double)) == 0 &&
        memcmp (&saved->test_target[i], &run->test_target[i], sizeof (double)) == 0 &&
        memcmp (&saved->test_proxy[i], &run->test_proxy[i], sizeof (double)) == 0;

      if (same && saved->train_keys != NULL)
        same = run->train_keys != NULL &&
               memcmp (&saved->train_keys[i], &run->train_keys[i], sizeof (double)) == 0 &&
               memcmp (&saved->train_chests[i], &run->train_chests[i], sizeof (double)) == 0 &&
               memcmp (&saved->test_keys[i], &run->test_keys[i], sizeof (double)) == 0 &&
               memcmp (&saved->test_chests[i], &run->test_chests[i], sizeof (double)) == 0;
      if (!same)
        first = i + 1;
    }
  /* The saved inferences, each against the one the replay made after the same iteration. */
  for (int k = 0; k < saved->n_inferences && saved->n_features == run->n_features; k++)
    {
      int it = saved->inference_iteration[k];
      gboolean found = FALSE;

      for (int j = 0; j < run->n_inferences && !found; j++)
        if (run->inference_iteration[j] == it)
          {
            found = TRUE;
            if (memcmp (saved->inferred + (gsize) k * saved->n_features,
                        run->inferred + (gsize) j * run->n_features,
                        sizeof (double) * saved->n_features) != 0 &&
                (first == 0 || it < first))
              first = it;
          }
      if (!found && (first == 0 || it < first))
        first = it;
    }
  return first;
}

void
_ms_window_replay_snapshot (MsWindow    *self,
                            SimSnapshot *snapshot)
{
  g_autofree char *text = NULL;
  int n;

  if (self->replay == NULL)
    return;
  n = self->replay->n_history;
  /* A late snapshot of the run the opened file replaced: it says nothing of the replay. */
  if (snapshot->run < self->replay_run)
    return;
  /* Another run (a preset, a lesson, a changed setting, Start Over) or a pause before the end:
   * the replay is over, without a verdict. */
  if (snapshot->running)
    self->replay_running = TRUE;
  if (snapshot->run != self->replay_run ||
      (!snapshot->running && snapshot->iteration < n &&
       (self->replay_running || !sim_runner_get_playing (self->runner))))
    {
      _ms_window_end_replay (self);
      return;
    }
  if (snapshot->iteration < n || snapshot->running)
    {
      /* Translators: the status line while an opened run is replayed: a file name, then
       * iteration k of n */
      text = g_strdup_printf (_("Replaying “%s”: iteration %d of %d"), self->replay_name,
                              snapshot->iteration, n);
      gtk_inscription_set_text (self->status_label, text);
      gtk_progress_bar_set_fraction (self->replay_progress, (double) snapshot->iteration / n);
      return;
    }

  self->replay_verdict = first_difference (self->replay, snapshot);
  if (self->replay_verdict == 0)
    /* Translators: after replaying an opened run; %d is its number of iterations */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Replayed the saved run: the same %d iteration, bit "
                                         "for bit.",
                                         "Replayed the saved run: the same %d iterations, bit "
                                         "for bit.", n), n);
  else
    /* Translators: after replaying an opened run whose figures differ from the file's */
    text = g_strdup_printf (_("The replayed run differs from the saved one from iteration %d "
                              "on: the file comes from another version of Mesascope, or was "
                              "edited. The plots show the replay."), self->replay_verdict);
  g_clear_pointer (&self->replay, sim_experiment_free);
  show_replaying (self, FALSE);
  _ms_window_show_toast (self, text);
  _ms_window_update_status (self);
}

void
_ms_window_end_replay (MsWindow *self)
{
  if (self->replay == NULL)
    return;
  g_clear_pointer (&self->replay, sim_experiment_free);
  show_replaying (self, FALSE);
  _ms_window_update_status (self);
}

int
ms_window_get_replay_verdict (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), -1);
  return self->replay_verdict;
}

void
ms_window_open_experiment_async (MsWindow            *self,
                                 GFile               *file,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr (GTask) outer = NULL;
  g_autoptr (GTask) worker = NULL;
  g_autofree char *name = NULL;
  char *path;

  g_return_if_fail (MS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* A file still loading is dropped for the new one. */
  _ms_window_cancel_open (self);
  outer = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (outer, ms_window_open_experiment_async);
  g_task_set_task_data (outer, g_object_ref (file), g_object_unref);
  name = _ms_window_display_name (file);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      /* Translators: %s is a file name */
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);

      set_opening (self, NULL);
      _ms_window_show_error (self, heading, _("Only files on this computer can be opened."));
      g_task_return_boolean (outer, FALSE);
      return;
    }
  self->open_cancellable = g_cancellable_new ();
  set_opening (self, name);
  worker = g_task_new (self, self->open_cancellable, experiment_loaded_cb,
                       g_object_ref (outer));
  g_task_set_task_data (worker, path, g_free);
  g_task_run_in_thread (worker, load_experiment_thread);
}

gboolean
ms_window_open_experiment_finish (MsWindow      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
store_result_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
ms_window_open_experiment (MsWindow *self,
                           GFile    *file)
{
  g_autoptr (GAsyncResult) result = NULL;

  g_return_val_if_fail (MS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  ms_window_open_experiment_async (self, file, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return ms_window_open_experiment_finish (self, result, NULL);
}

void
_ms_window_cancel_open (MsWindow *self)
{
  if (self->open_cancellable != NULL)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
}

gboolean
ms_window_save_experiment (MsWindow *self,
                           GFile    *file)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *text = NULL;
  g_autoptr (SimExperiment) experiment = NULL;
  g_autoptr (GError) error = NULL;
  SimSnapshot *snapshot;
  SimConfig config;

  g_return_val_if_fail (MS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = _ms_window_display_name (file);
  /* Translators: %s is a file name */
  heading = g_strdup_printf (_("Could Not Save “%s”"), name);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      _ms_window_show_error (self, heading, _("Only files on this computer can be written."));
      return FALSE;
    }

  /* The history shown, unless the run restarted since (a new configuration's first snapshot
   * has not arrived yet): then only the configuration. */
  sim_runner_get_config (self->runner, &config);
  snapshot = sim_runner_get_snapshot (self->runner);
  if (snapshot != NULL && sim_config_equal (&snapshot->config, &config))
    experiment = sim_experiment_new_from_snapshot (snapshot);
  else
    experiment = sim_experiment_new (&config);
  /* The Sweep window's runs go along. */
  experiment->sweep = _ms_window_dup_sweep (self);
  if (!sim_experiment_save (experiment, path, &error))
    {
      _ms_window_show_error (self, heading, error->message);
      return FALSE;
    }
  set_experiment_file (self, file, &experiment->config);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Saved “%s”"), name);
  _ms_window_show_toast (self, text);
  return TRUE;
}

GFile *
ms_window_get_experiment_file (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  return self->experiment_file;
}

gboolean
_ms_window_open_experiment_or_level (MsWindow *self,
                                     GFile    *file)
{
  if (has_suffix (file, EXPERIMENT_SUFFIX))
    {
      ms_window_open_experiment_async (self, file, NULL, NULL);
      return TRUE;
    }
  if (has_suffix (file, ".level"))
    {
      /* The editor shows what went wrong with the file itself. */
      ms_level_editor_open_file (MS_LEVEL_EDITOR (_ms_window_show_level_editor (self)), file);
      return TRUE;
    }
  return FALSE;
}

/* File choosers. */

typedef enum
{
  CHOOSE_OPEN,
  CHOOSE_SAVE,
  CHOOSE_EXPORT_IMAGE,
  CHOOSE_EXPORT_CSV,
  CHOOSE_EXPORT_DEMOS,
} ChooseKind;

static GtkFileFilter *
add_filter (GtkFileChooser *chooser,
            const char     *title,
            const char     *mime_type,
            const char     *pattern)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, title);
  if (mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
  return filter;
}

/* The chosen file, with the extension of the chosen filter added when the name has none. */
static GFile *
chosen_file (GtkFileChooser *chooser,
             const char     *default_extension)
{
  g_autoptr (GFile) file = gtk_file_chooser_get_file (chooser);
  GtkFileFilter *filter = gtk_file_chooser_get_filter (chooser);
  const char *extension = filter != NULL ? g_object_get_data (G_OBJECT (filter), "extension")
                                         : NULL;
  g_autofree char *name = NULL;
  g_autoptr (GFile) parent = NULL;

  if (file == NULL)
    return NULL;
  if (extension == NULL)
    extension = default_extension;
  name = g_file_get_basename (file);
  parent = g_file_get_parent (file);
  if (name == NULL || parent == NULL || strchr (name, '.') != NULL || extension == NULL)
    return g_steal_pointer (&file);
  {
    g_autofree char *with = g_strconcat (name, ".", extension, NULL);

    return g_file_get_child (parent, with);
  }
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     MsWindow        *self)
{
  ChooseKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "kind"));
  const char *target = g_object_get_data (G_OBJECT (dialog), "target");
  GtkFileChooser *chooser = GTK_FILE_CHOOSER (dialog);
  g_autoptr (GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;
  switch (kind)
    {
    case CHOOSE_OPEN:
      file = gtk_file_chooser_get_file (chooser);
      if (file != NULL)
        ms_window_open_experiment_async (self, file, NULL, NULL);
      break;
    case CHOOSE_SAVE:
      file = chosen_file (chooser, "mesascope");
      if (file != NULL)
        ms_window_save_experiment (self, file);
      break;
    case CHOOSE_EXPORT_IMAGE:
      file = chosen_file (chooser, "png");
      if (file != NULL)
        ms_window_ask_export_image (self, target, file);
      break;
    case CHOOSE_EXPORT_CSV:
      file = chosen_file (chooser, "csv");
      if (file != NULL)
        ms_window_export_csv (self, file);
      break;
    case CHOOSE_EXPORT_DEMOS:
      file = chosen_file (chooser, "json");
      if (file != NULL)
        ms_window_export_demos (self, file);
      break;
    default:
      g_assert_not_reached ();
    }
out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* A base name for new files: the experiment's, or one made from the configuration. */
static char *
suggested_stem (MsWindow *self)
{
  SimConfig config;

  if (self->experiment_file != NULL)
    {
      g_autofree char *name = g_file_get_basename (self->experiment_file);

      if (name != NULL && g_str_has_suffix (name, EXPERIMENT_SUFFIX))
        name[strlen (name) - strlen (EXPERIMENT_SUFFIX)] = '\0';
      if (name != NULL && name[0] != '\0')
        return g_steal_pointer (&name);
    }
  sim_runner_get_config (self->runner, &config);
  return g_strdup_printf ("%s-%s-seed%u", sim_scenario_to_string (config.scenario),
                          sim_agent_to_string (config.agent), config.seed);
}

static void
run_chooser (MsWindow   *self,
             ChooseKind  kind,
             const char *target)
{
  GtkFileChooserNative *dialog;
  GtkFileChooser *chooser;
  gboolean save = kind != CHOOSE_OPEN;
  g_autofree char *stem = suggested_stem (self);
  g_autofree char *suggested = NULL;
  const char *title;

  switch (kind)
    {
    case CHOOSE_OPEN:
      title = _("Open Experiment");
      break;
    case CHOOSE_SAVE:
      title = _("Save Experiment");
      break;
    case CHOOSE_EXPORT_CSV:
      title = _("Export Metric History");
      break;
    case CHOOSE_EXPORT_DEMOS:
      title = _("Export Probe Demonstrations");
      break;
    case CHOOSE_EXPORT_IMAGE:
    default:
      title = g_strcmp0 (target, "dashboard") == 0 ? _("Export Dashboard") : _("Export Plot");
      break;
    }
  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                        save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                             : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        save ? _("_Save") : _("_Open"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (dialog);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "kind", GINT_TO_POINTER (kind));
  g_object_set_data_full (G_OBJECT (dialog), "target", g_strdup (target), g_free);

  switch (kind)
    {
    case CHOOSE_OPEN:
      add_filter (chooser, _("Mesascope Experiments"), EXPERIMENT_MIME_TYPE, "*.mesascope");
      break;
    case CHOOSE_SAVE:
      g_object_set_data (G_OBJECT (add_filter (chooser, _("Mesascope Experiments"),
                                               EXPERIMENT_MIME_TYPE, "*.mesascope")),
                         "extension", (gpointer) "mesascope");
      suggested = g_strconcat (stem, EXPERIMENT_SUFFIX, NULL);
      break;
    case CHOOSE_EXPORT_IMAGE:
      g_object_set_data (G_OBJECT (add_filter (chooser, _("PNG Images"), "image/png", "*.png")),
                         "extension", (gpointer) "png");
      g_object_set_data (G_OBJECT (add_filter (chooser, _("SVG Drawings"), "image/svg+xml",
                                               "*.svg")),
                         "extension", (gpointer) "svg");
      g_object_set_data (G_OBJECT (add_filter (chooser, _("PDF Documents"), "application/pdf",
                                               "*.pdf")),
                         "extension", (gpointer) "pdf");
      suggested = g_strdup_printf ("%s-%s.png", stem, target);
      break;
    case CHOOSE_EXPORT_CSV:
      g_object_set_data (G_OBJECT (add_filter (chooser, _("CSV Tables"), "text/csv", "*.csv")),
                         "extension", (gpointer) "csv");
      suggested = g_strconcat (stem, "-history.csv", NULL);
      break;
    case CHOOSE_EXPORT_DEMOS:
      g_object_set_data (G_OBJECT (add_filter (chooser, _("Demonstrations"), "application/json",
                                               "*.json")),
                         "extension", (gpointer) "json");
      suggested = g_strconcat (stem, "-demos.json", NULL);
      break;
    default:
      g_assert_not_reached ();
    }
  if (suggested != NULL)
    gtk_file_chooser_set_current_name (chooser, suggested);
  if (self->experiment_file != NULL)
    {
      g_autoptr (GFile) folder = g_file_get_parent (self->experiment_file);

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (chooser, folder, NULL);
    }

  g_signal_connect (dialog, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Actions. */

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  run_chooser (user_data, CHOOSE_OPEN, NULL);
}

static void
open_recent_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  g_autoptr (GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  ms_window_open_experiment_async (user_data, file, NULL, NULL);
}

static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MsWindow *self = user_data;

  if (self->experiment_file != NULL)
    ms_window_save_experiment (self, self->experiment_file);
  else
    run_chooser (self, CHOOSE_SAVE, NULL);
}

static void
save_as_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  run_chooser (user_data, CHOOSE_SAVE, NULL);
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  const char *target = g_variant_get_string (parameter, NULL);

  if (_ms_window_is_export_target (target))
    run_chooser (user_data, CHOOSE_EXPORT_IMAGE, target);
  else
    g_warning ("Unknown export target “%s”", target);
}

static void
export_csv_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  run_chooser (user_data, CHOOSE_EXPORT_CSV, NULL);
}

static void
export_demos_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  run_chooser (user_data, CHOOSE_EXPORT_DEMOS, NULL);
}

static const GActionEntry file_actions[] = {
  { "open", open_activated, NULL, NULL, NULL },
  { "open-recent", open_recent_activated, "s", NULL, NULL },
  { "no-recent", NULL, NULL, NULL, NULL },
  { "save", save_activated, NULL, NULL, NULL },
  { "save-as", save_as_activated, NULL, NULL, NULL },
  { "export", export_activated, "s", NULL, NULL },
  { "export-csv", export_csv_activated, NULL, NULL, NULL },
  { "export-demos", export_demos_activated, NULL, NULL, NULL },
};

void
_ms_window_install_files (MsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child (widget_class, MsWindow, recent_menu);
}

void
_ms_window_init_files (MsWindow *self)
{
  GAction *no_recent;

  g_action_map_add_action_entries (G_ACTION_MAP (self), file_actions,
                                   G_N_ELEMENTS (file_actions), self);
  /* The placeholder of an empty "Recent" menu shows greyed out. */
  no_recent = g_action_map_lookup_action (G_ACTION_MAP (self), "no-recent");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (no_recent), FALSE);

  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (rebuild_recent_menu), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "snapshot", G_CALLBACK (update_title), self,
                           G_CONNECT_SWAPPED);
  rebuild_recent_menu (self);
}

void
_ms_window_set_files_accels (GtkApplication *application)
{
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *save_accels[] = { "<Control>s", NULL };
  static const char *save_as_accels[] = { "<Control><Shift>s", NULL };

  gtk_application_set_accels_for_action (application, "win.open", open_accels);
  gtk_application_set_accels_for_action (application, "win.save", save_accels);
  gtk_application_set_accels_for_action (application, "win.save-as", save_as_accels);
}
