/* ms-level-editor-files.c: the level editor's files: open, save, and what to do with unsaved
 * changes before New, Open and closing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Errors are shown above the level in the user's words, with the engine's "FILE:LINE:COL:
 * what" below them; a save that fails changes nothing on disk. New, Open and closing the window
 * ask first while the level has unsaved changes (Save, Discard or Cancel).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-level-editor-private.h"

gboolean
ms_level_editor_open_file (MsLevelEditor *self,
                           GFile         *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not open “%s”: only local files can be opened."), name);
      ms_level_editor_show_message (self, message, NULL);
      return FALSE;
    }
  level = sim_level_load (path, &error);
  if (level == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_VERSION))
        message = g_strdup_printf (_("Could not open “%s”: it was written by a newer version "
                                     "of Mesascope."), name);
      else
        message = g_strdup_printf (_("Could not open “%s”."), name);
      ms_level_editor_show_message (self, message, error->message);
      return FALSE;
    }
  ms_level_editor_hide_message (self);
  ms_level_editor_push_undo (self);
  ms_level_editor_replace_level (self, level);
  ms_level_editor_set_file (self, file);
  return TRUE;
}

gboolean
ms_level_editor_save_to_file (MsLevelEditor *self,
                              GFile         *file)
{
  const SimLevel *level;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *toast = NULL;
  g_auto (GStrv) problems = NULL;
  int n_errors = 0;

  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  level = ms_level_canvas_get_level (self->canvas);
  name = g_file_get_basename (file);
  path = g_file_get_path (file);
  if (level == NULL)
    return FALSE;
  if (level->start < 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not save “%s”: the level has no start cell, and a level "
                           "file must have one. Paint one with Start (7)."), name);
      ms_level_editor_show_message (self, message, NULL);
      return FALSE;
    }
  if (path == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not save “%s”: only local files can be written."), name);
      ms_level_editor_show_message (self, message, NULL);
      return FALSE;
    }
  if (!sim_level_save (level, path, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save “%s”; nothing was "
                                                    "changed on disk."), name);
      ms_level_editor_show_message (self, message, error->message);
      return FALSE;
    }
  ms_level_editor_hide_message (self);
  ms_level_editor_set_file (self, file);
  problems = ms_level_check (level, &n_errors);
  if (n_errors > 0)
    toast = g_strdup_printf (_("Saved “%s”; it still has problems, see the level check"), name);
  else
    toast = g_strdup_printf (_("Saved “%s”"), name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (toast));
  return TRUE;
}

static GtkFileFilter *
level_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Mesascope levels"));
  gtk_file_filter_add_pattern (filter, "*.level");
  return filter;
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  MsLevelEditor   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        ms_level_editor_open_file (self, file);
    }
  g_object_unref (dialog);
}

static void
show_open_dialog (MsLevelEditor *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = level_filter ();

  dialog = gtk_file_chooser_native_new (_("Open Level"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (self->file != NULL)
    {
      g_autoptr (GFile) parent = g_file_get_parent (self->file);

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), parent, NULL);
    }
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  MsLevelEditor   *self)
{
  gboolean saved = FALSE;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        saved = ms_level_editor_save_to_file (self, file);
    }
  g_object_unref (dialog);
  if (self->closing && saved)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  self->closing = FALSE;
}

void
ms_level_editor_show_save_dialog (MsLevelEditor *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = level_filter ();

  dialog = gtk_file_chooser_native_new (_("Save Level"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (self->file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), self->file, NULL);
  else
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("untitled.level"));
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
ms_level_editor_save (MsLevelEditor *self)
{
  if (self->file == NULL)
    {
      ms_level_editor_show_save_dialog (self);
      return;
    }
  if (ms_level_editor_save_to_file (self, self->file) && self->closing)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  self->closing = FALSE;
}

/* Unsaved changes. */

typedef struct
{
  MsLevelEditor *self;
  MsLevelEditorThen then;
} Confirm;

static void
new_level_now (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);
  g_autoptr (SimLevel) fresh = NULL;

  fresh = level != NULL
            ? ms_level_editor_blank_level (level->scenario, level->width, level->height)
            : ms_level_editor_blank_level (SIM_SCENARIO_COIN, 8, 8);
  ms_level_editor_hide_message (self);
  ms_level_editor_push_undo (self);
  ms_level_editor_replace_level (self, fresh);
  ms_level_editor_set_file (self, NULL);
}

static void
do_then (MsLevelEditor     *self,
         MsLevelEditorThen  then)
{
  switch (then)
    {
    case MS_LEVEL_EDITOR_THEN_CLOSE:
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      break;
    case MS_LEVEL_EDITOR_THEN_NEW:
      new_level_now (self);
      break;
    case MS_LEVEL_EDITOR_THEN_OPEN_DIALOG:
    default:
      show_open_dialog (self);
      break;
    }
}

typedef struct
{
  MsLevelEditor *self;          /* owned ref */
  MsLevelEditorThen then;
  gboolean save;
} ConfirmLater;

/* Runs after the dialog has finished closing: closing the editor from inside the dialog's own
 * response would pull its transient parent from under it. */
static void
confirm_later_cb (gpointer data)
{
  ConfirmLater *later = data;
  MsLevelEditor *self = later->self;

  if (!later->save)
    do_then (self, later->then);
  else if (later->then == MS_LEVEL_EDITOR_THEN_CLOSE)
    {
      self->closing = TRUE;
      ms_level_editor_save (self);
    }
  else
    {
      ms_level_editor_save (self);
      if (!ms_level_editor_get_modified (self))
        do_then (self, later->then);
    }
  g_object_unref (later->self);
  g_free (later);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Confirm          *confirm)
{
  ConfirmLater *later;

  if (g_strcmp0 (response, "discard") != 0 && g_strcmp0 (response, "save") != 0)
    return;
  later = g_new0 (ConfirmLater, 1);
  later->self = g_object_ref (confirm->self);
  later->then = confirm->then;
  later->save = g_strcmp0 (response, "save") == 0;
  g_idle_add_once (confirm_later_cb, later);
}

/* Runs then at once, or after asking what to do with unsaved changes. */
void
ms_level_editor_confirm_then (MsLevelEditor     *self,
                              MsLevelEditorThen  then)
{
  AdwMessageDialog *dialog;
  Confirm *confirm;

  if (!ms_level_editor_get_modified (self))
    {
      do_then (self, then);
      return;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Save Changes?"),
                                                       _("The level has unsaved changes. "
                                                         "Changes you do not save are lost.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "discard", _("_Discard"),
                                    "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  confirm = g_new0 (Confirm, 1);
  confirm->self = self;
  confirm->then = then;
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_response_cb), confirm,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MsLevelEditor *self)
{
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;
  return ms_level_editor_open_file (self, g_value_get_object (value));
}

void
ms_level_editor_init_files (MsLevelEditor *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
