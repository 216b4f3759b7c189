/* ms-window-editor.c: the main window opens the level editor on the level it shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ms-level-editor.h"
#include "ms-window-private.h"

/* The level the dashboard shows (borrowed), or NULL before the first snapshot. */
static const SimLevel *
shown_level (MsWindow *self)
{
  SimSnapshot *snapshot = ms_dashboard_get_snapshot (self->dashboard);
  SimShownKind shown = ms_dashboard_get_shown (self->dashboard);

  if (snapshot == NULL || (guint) shown >= SIM_N_SHOWN)
    return NULL;
  return snapshot->shown[shown].level;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

GtkWindow *
_ms_window_show_level_editor (MsWindow *self)
{
  GWeakRef *ref;
  GtkWindow *editor;

  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  /* One editor per window, remembered weakly: closing the editor forgets it. */
  ref = g_object_get_data (G_OBJECT (self), "ms-level-editor");
  if (ref == NULL)
    {
      ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, NULL);
      g_object_set_data_full (G_OBJECT (self), "ms-level-editor", ref, weak_ref_free);
    }
  editor = g_weak_ref_get (ref);
  if (editor != NULL)
    {
      /* GTK holds toplevel windows until they are destroyed: the pointer stays valid. */
      g_object_unref (editor);
    }
  else
    {
      editor = GTK_WINDOW (ms_level_editor_new (GTK_WINDOW (self), self->runner,
                                                shown_level (self)));
      g_weak_ref_set (ref, editor);
    }
  gtk_window_present (editor);
  return editor;
}

static void
level_editor_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  _ms_window_show_level_editor (MS_WINDOW (user_data));
}

static const GActionEntry editor_entries[] = {
  { "level-editor", level_editor_activated, NULL, NULL, NULL },
};

void
_ms_window_init_editor (MsWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), editor_entries,
                                   G_N_ELEMENTS (editor_entries), self);
}
