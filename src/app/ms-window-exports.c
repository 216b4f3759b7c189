/* ms-window-exports.c: the exports of the main window: a part of the dashboard as PNG, SVG or
 * PDF (drawn by ms-export), and the metric history (CSV) and the probe demonstrations, which
 * live on the training thread and so are written there as runner jobs that report back here
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-export.h"
#include "ms-window-files.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "sim-demos.h"
#include "sim-file.h"
#include "sim-history-csv.h"
#include "sim-probes.h"
#include "sim-train-inference.h"

/* Pixels per unit of exported PNG images: sharp on a projector and in print. */
#define PNG_SCALE 2.0

/* The dashboard parts that can be exported, by action target. */
static const struct
{
  const char *target;
  int part;                     /* an MsDashboardPart, or -1 for the whole dashboard */
  int default_width;            /* used while the part has no size on screen */
  int default_height;
} export_targets[] = {
  { "dashboard", -1, 1280, 720 },
  { "level", MS_DASHBOARD_PART_LEVEL, 480, 480 },
  { "success", MS_DASHBOARD_PART_SUCCESS, 960, 420 },
  { "objectives", MS_DASHBOARD_PART_OBJECTIVES, 560, 420 },
  { "alignment", MS_DASHBOARD_PART_ALIGNMENT, 560, 420 },
  { "reward-maps", MS_DASHBOARD_PART_REWARD_MAPS, 560, 420 },
};

gboolean
_ms_window_is_export_target (const char *target)
{
  for (guint i = 0; i < G_N_ELEMENTS (export_targets); i++)
    if (g_strcmp0 (export_targets[i].target, target) == 0)
      return TRUE;
  return FALSE;
}


gboolean
ms_window_export_image (MsWindow   *self,
                        const char *target,
                        GFile      *file)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  MsExportFormat format;
  GtkWidget *widget = NULL;
  int width = 0, height = 0;
  gboolean ok;
  guint i;

  g_return_val_if_fail (MS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  for (i = 0; i < G_N_ELEMENTS (export_targets); i++)
    if (g_strcmp0 (export_targets[i].target, target) == 0)
      break;
  g_return_val_if_fail (i < G_N_ELEMENTS (export_targets), FALSE);

  name = _ms_window_display_name (file);
  /* Translators: %s is a file name */
  heading = g_strdup_printf (_("Could Not Export “%s”"), name);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      _ms_window_show_error (self, heading, _("Only files on this computer can be written."));
      return FALSE;
    }
  if (!ms_export_format_from_path (path, &format))
    {
      _ms_window_show_error (self, heading, _("Images can be exported as .png, .svg or .pdf files."));
      return FALSE;
    }

  /* The size the part has on screen, so the file looks like the window. */
  widget = export_targets[i].part < 0
         ? GTK_WIDGET (self->dashboard)
         : ms_dashboard_get_part (self->dashboard, export_targets[i].part);
  if (gtk_widget_get_mapped (widget))
    {
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
    }
  if (width < 100 || height < 100)
    {
      width = export_targets[i].default_width;
      height = export_targets[i].default_height;
    }

  if (export_targets[i].part < 0)
    ok = ms_export_dashboard (self->dashboard, path, format, width, height, PNG_SCALE, &error);
  else
    ok = ms_export_plot (MS_PLOT (widget), path, format, width, height, PNG_SCALE, &error);
  if (!ok)
    {
      _ms_window_show_error (self, heading, error->message);
      return FALSE;
    }
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Exported “%s”"), name);
  _ms_window_show_toast (self, text);
  return TRUE;
}

/* ms_window_export_image(), with teacher mode's answer key left out unless include_key. */
static gboolean
export_image_with_key (MsWindow   *self,
                       const char *target,
                       GFile      *file,
                       gboolean    include_key)
{
  gboolean shown = FALSE, ok;

  g_object_get (self->dashboard, "teacher-mode", &shown, NULL);
  if (shown && !include_key)
    g_object_set (self->dashboard, "teacher-mode", FALSE, NULL);
  ok = ms_window_export_image (self, target, file);
  if (shown && !include_key)
    g_object_set (self->dashboard, "teacher-mode", TRUE, NULL);
  return ok;
}

/* The question asked before an image is written while the answer key is on screen. */
typedef struct
{
  GWeakRef window;
  char *target;                 /* owned */
  GFile *file;                  /* owned */
} KeyQuestion;

static void
key_question_free (gpointer data)
{
  KeyQuestion *q = data;

  g_weak_ref_clear (&q->window);
  g_free (q->target);
  g_clear_object (&q->file);
  g_free (q);
}

static void
key_question_notify (gpointer  data,
                     GClosure *closure)
{
  key_question_free (data);
}

static void
key_question_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          data)
{
  KeyQuestion *q = data;
  g_autoptr (MsWindow) self = g_weak_ref_get (&q->window);

  if (self != NULL && g_strcmp0 (response, "cancel") != 0)
    export_image_with_key (self, q->target, q->file, g_strcmp0 (response, "include") == 0);
}

void
ms_window_ask_export_image (MsWindow   *self,
                            const char *target,
                            GFile      *file)
{
  gboolean shown = FALSE;
  GtkWidget *dialog;
  KeyQuestion *q;

  g_return_if_fail (MS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_object_get (self->dashboard, "teacher-mode", &shown, NULL);
  if (!shown)
    {
      ms_window_export_image (self, target, file);
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Include the Answer Key?"),
                                   _("Teacher mode shows the agent’s true goal. An image for "
                                     "the class can leave it out."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "include", _("_Include"),
                                    "leave-out", _("_Leave Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "leave-out",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "leave-out");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  q = g_new0 (KeyQuestion, 1);
  g_weak_ref_init (&q->window, self);
  q->target = g_strdup (target);
  q->file = g_object_ref (file);
  g_signal_connect_data (dialog, "response", G_CALLBACK (key_question_response_cb), q,
                         key_question_notify, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef enum
{
  EXPORT_CSV,
  EXPORT_DEMOS,
} ExportKind;

/* A file written on the training thread. */
typedef struct
{
  GWeakRef window;
  ExportKind kind;
  char *path;                   /* owned */
  char *name;                   /* owned, for messages */
  GError *error;                /* set by the job on failure */
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_weak_ref_clear (&job->window);
  g_free (job->path);
  g_free (job->name);
  g_clear_error (&job->error);
  g_free (job);
}

/* Worker thread: no GTK here. */
static void
export_job_run (SimRunner *runner,
                gpointer   state,
                gpointer   user_data)
{
  ExportJob *job = user_data;
  SimTrain *train = sim_runner_job_get_train (runner, state);

  if (train == NULL)
    {
      g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The training run could not start, so there is nothing to export."));
      return;
    }
  if (job->kind == EXPORT_CSV)
    {
      g_autofree char *csv = sim_history_csv_new (train);

      sim_file_write (job->path, csv, -1, &job->error);
    }
  else
    {
      SimProbes *probes = sim_train_get_probes (train);
      g_autoptr (SimDemos) demos = probes != NULL ? sim_probes_dup_demos (probes) : NULL;

      if (probes == NULL)
        g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("This run does not infer the objective from probe "
                               "demonstrations."));
      else if (demos == NULL)
        g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("There are no demonstrations yet: train until the objective has "
                               "been inferred once."));
      else
        sim_demos_save (demos, job->path, &job->error);
    }
}

static void
export_job_done (SimRunner *runner,
                 gpointer   user_data)
{
  ExportJob *job = user_data;
  g_autoptr (MsWindow) self = g_weak_ref_get (&job->window);

  if (self == NULL)
    return;
  g_assert (self->exports_pending > 0);
  self->exports_pending--;
  if (job->error != NULL)
    {
      /* Translators: %s is a file name */
      g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), job->name);

      _ms_window_show_error (self, heading, job->error->message);
    }
  else
    {
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Exported “%s”"), job->name);

      _ms_window_show_toast (self, text);
    }
}

static void
export_on_worker (MsWindow   *self,
                  ExportKind  kind,
                  GFile      *file)
{
  ExportJob *job;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = _ms_window_display_name (file);

  if (path == NULL)
    {
      /* Translators: %s is a file name */
      g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), name);

      _ms_window_show_error (self, heading, _("Only files on this computer can be written."));
      return;
    }
  job = g_new0 (ExportJob, 1);
  g_weak_ref_init (&job->window, self);
  job->kind = kind;
  job->path = g_steal_pointer (&path);
  job->name = g_steal_pointer (&name);
  self->exports_pending++;
  sim_runner_call (self->runner, export_job_run, export_job_done, job, export_job_free);
}

guint
ms_window_get_exports_pending (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), 0);

  return self->exports_pending;
}

void
ms_window_export_csv (MsWindow *self,
                      GFile    *file)
{
  g_return_if_fail (MS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  export_on_worker (self, EXPORT_CSV, file);
}

void
ms_window_export_demos (MsWindow *self,
                        GFile    *file)
{
  g_return_if_fail (MS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  export_on_worker (self, EXPORT_DEMOS, file);
}
