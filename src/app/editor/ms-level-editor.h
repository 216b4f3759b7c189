/* ms-level-editor.h: a window to paint levels, check them, save them, and run the agent on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ms-level-canvas.h"
#include "sim.h"
#include "sim-policy.h"
#include "sim-runner.h"

G_BEGIN_DECLS

#define MS_TYPE_LEVEL_EDITOR (ms_level_editor_get_type ())

G_DECLARE_FINAL_TYPE (MsLevelEditor, ms_level_editor, MS, LEVEL_EDITOR, AdwWindow)

/* An editor transient for parent (may be NULL) editing a copy of level (NULL: a new empty
 * level). runner (may be NULL) is the training run whose current agent "Run Agent" uses. */
MsLevelEditor  *ms_level_editor_new             (GtkWindow      *parent,
                                                 SimRunner      *runner,
                                                 const SimLevel *level);

MsLevelCanvas  *ms_level_editor_get_canvas      (MsLevelEditor  *self);
/* The level being edited (borrowed); its start is -1 while it has none. */
const SimLevel *ms_level_editor_get_level       (MsLevelEditor  *self);
/* Replaces the level as one undoable edit. */
void            ms_level_editor_set_level       (MsLevelEditor  *self,
                                                 const SimLevel *level);

/* Opens a level file at once, without asking about unsaved changes. On failure shows a message
 * naming the file and the place, changes nothing, and returns FALSE. */
gboolean        ms_level_editor_open_file       (MsLevelEditor  *self,
                                                 GFile          *file);
/* Saves atomically (the old file stays intact on failure). On failure shows a message and
 * returns FALSE. A level without a start is not saved: no file could hold it. */
gboolean        ms_level_editor_save_to_file    (MsLevelEditor  *self,
                                                 GFile          *file);
/* The file the level was opened from or last saved to (borrowed), or NULL. */
GFile          *ms_level_editor_get_file        (MsLevelEditor  *self);
gboolean        ms_level_editor_get_modified    (MsLevelEditor  *self);
/* The error message shown above the level (borrowed), or NULL when none is shown. */
const char     *ms_level_editor_get_message     (MsLevelEditor  *self);

/* The level check: sim_level_check()'s problems in the user's words. Returns a
 * NULL-terminated array, problems that make the level unusable first (*n_errors of them),
 * then warnings. */
char          **ms_level_check                  (const SimLevel *level,
                                                 int            *n_errors);

/* The agent: TRUE while a run of the agent is queued on the worker. */
gboolean        ms_level_editor_get_agent_busy  (MsLevelEditor  *self);
/* The outcome of the last run of the agent on the current level; FALSE when there is none
 * (not run, refused, or the level changed since). iteration is the agent's training
 * iteration. */
gboolean        ms_level_editor_get_outcome     (MsLevelEditor  *self,
                                                 SimOutcome     *outcome,
                                                 int            *iteration);
/* Keys and chests: the mean number of keys picked up and chests opened by the agent over its
 * sampled episodes on the current level; FALSE when there are none. */
gboolean        ms_level_editor_get_pickups     (MsLevelEditor  *self,
                                                 double         *keys,
                                                 double         *chests);
/* The text that explains the last run of the agent or why it did not run (borrowed). */
const char     *ms_level_editor_get_agent_text  (MsLevelEditor  *self);

G_END_DECLS
