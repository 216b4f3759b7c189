/* ms-level-editor-private.h: shared between ms-level-editor.c (the window, the level check,
 * undo, the palette), ms-level-editor-files.c (open, save, unsaved changes) and
 * ms-level-editor-agent.c ("Run Agent")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-level-editor.h"

G_BEGIN_DECLS

struct _MsLevelEditor
{
  AdwWindow parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  GtkGrid *palette_grid;
  AdwComboRow *scenario_row;
  GtkSpinButton *width_spin;
  GtkSpinButton *height_spin;
  GtkSpinButton *horizon_spin;
  GtkRevealer *message_revealer;
  GtkLabel *message_label;
  MsLevelCanvas *canvas;
  GtkListBox *problems_list;
  GtkButton *run_button;
  GtkLabel *agent_label;
  GtkListBox *outcome_list;

  GSimpleActionGroup *actions;
  SimRunner *runner;                    /* owned ref, may be NULL */

  GPtrArray *undo;                      /* SimLevel *, owned, oldest first */
  GPtrArray *redo;                      /* SimLevel *, owned, newest undo last */
  guint serial;                         /* counts edits; a job's result is for one serial */
  gboolean updating;                    /* controls are being set from the level */

  /* Files (ms-level-editor-files.c). */
  SimLevel *saved;                      /* the level as last opened or saved, owned */
  GFile *file;                          /* owned, may be NULL */
  char *message;                        /* the shown error message, owned */
  gboolean closing;                     /* close once the pending save succeeded */
  gboolean close_confirmed;

  /* The agent (ms-level-editor-agent.c). */
  int agent_busy;                       /* jobs queued and not yet destroyed */
  gboolean has_outcome;
  SimOutcome outcome;
  int outcome_iteration;
  gboolean has_pickups;                 /* keys and chests: mean counts over the samples */
  double keys;
  double chests;
  char *agent_text;                     /* owned */
};

/* What to do once unsaved changes are dealt with. */
typedef enum
{
  MS_LEVEL_EDITOR_THEN_CLOSE,
  MS_LEVEL_EDITOR_THEN_NEW,
  MS_LEVEL_EDITOR_THEN_OPEN_DIALOG,
} MsLevelEditorThen;

/* ms-level-editor.c */
/* A new level of that size and scenario, all floor, the start in the bottom-left corner and
 * the default horizon (transfer full). */
SimLevel *ms_level_editor_blank_level     (SimScenarioKind    scenario,
                                           int                width,
                                           int                height);
void      ms_level_editor_clear_list      (GtkListBox        *list);
/* Keeps the level as it is for undo (call before changing it). */
void      ms_level_editor_push_undo       (MsLevelEditor     *self);
/* Replaces the level (the canvas copies it) and refreshes everything. */
void      ms_level_editor_replace_level   (MsLevelEditor     *self,
                                           const SimLevel    *level);
/* The file the level now belongs to (may be NULL); the level as it is counts as saved. */
void      ms_level_editor_set_file        (MsLevelEditor     *self,
                                           GFile             *file);
/* Shows title in bold above detail (may be NULL), an engine message "FILE:LINE:COL: what". */
void      ms_level_editor_show_message    (MsLevelEditor     *self,
                                           const char        *title,
                                           const char        *detail);
void      ms_level_editor_hide_message    (MsLevelEditor     *self);

/* ms-level-editor-files.c */
void      ms_level_editor_init_files      (MsLevelEditor     *self);
void      ms_level_editor_save            (MsLevelEditor     *self);
void      ms_level_editor_show_save_dialog (MsLevelEditor    *self);
/* Runs then at once, or after asking what to do with unsaved changes. */
void      ms_level_editor_confirm_then    (MsLevelEditor     *self,
                                           MsLevelEditorThen  then);

/* ms-level-editor-agent.c */
void      ms_level_editor_run_agent       (MsLevelEditor     *self);
/* The text under "Run Agent" (NULL or "" hides it). */
void      ms_level_editor_set_agent_text  (MsLevelEditor     *self,
                                           const char        *text);
/* Drops the shown outcome or counts. */
void      ms_level_editor_clear_outcome   (MsLevelEditor     *self);

G_END_DECLS
