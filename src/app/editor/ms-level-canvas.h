/* ms-level-canvas.h: an editable level, painted with the pointer or the keyboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

/* What a stroke paints. The start is a tool but not a cell kind: painting it moves the start. */
typedef enum
{
  MS_LEVEL_TOOL_WALL,
  MS_LEVEL_TOOL_FLOOR,
  MS_LEVEL_TOOL_LAVA,
  MS_LEVEL_TOOL_COIN,
  MS_LEVEL_TOOL_EXIT,
  MS_LEVEL_TOOL_GREEN,
  MS_LEVEL_TOOL_START,
  MS_LEVEL_TOOL_KEY,
  MS_LEVEL_TOOL_CHEST,
  MS_LEVEL_N_TOOLS
} MsLevelTool;

/* The tool's name in files and actions ("wall", "start"), its label ("Wall") and the cell kind
 * it paints (SIM_CELL_FLOOR for the start). */
const char  *ms_level_tool_to_string   (MsLevelTool  tool);
gboolean     ms_level_tool_from_string (const char  *name,
                                        MsLevelTool *out);
const char  *ms_level_tool_label       (MsLevelTool  tool);
SimCell      ms_level_tool_cell        (MsLevelTool  tool);

#define MS_TYPE_LEVEL_CANVAS (ms_level_canvas_get_type ())

G_DECLARE_FINAL_TYPE (MsLevelCanvas, ms_level_canvas, MS, LEVEL_CANVAS, MsPlot)

GtkWidget      *ms_level_canvas_new            (void);

/* Takes a copy of level (NULL: nothing to edit); clears the agent's paths. */
void            ms_level_canvas_set_level      (MsLevelCanvas  *self,
                                                const SimLevel *level);
/* The level being edited (borrowed), or NULL. Its start is -1 while it has none. */
const SimLevel *ms_level_canvas_get_level      (MsLevelCanvas  *self);

void            ms_level_canvas_set_tool       (MsLevelCanvas  *self,
                                                MsLevelTool     tool);
MsLevelTool     ms_level_canvas_get_tool       (MsLevelCanvas  *self);

/* Paints cell (x, y) with tool, as one stroke of its own. Returns TRUE if the level changed
 * (then "stroke-begin" and "changed" were emitted). */
gboolean        ms_level_canvas_paint          (MsLevelCanvas  *self,
                                                int             x,
                                                int             y,
                                                MsLevelTool     tool);

/* The keyboard cursor, in cell coordinates (y = 0 is the bottom row). */
void            ms_level_canvas_get_cursor     (MsLevelCanvas  *self,
                                                int            *x,
                                                int            *y);
void            ms_level_canvas_set_cursor     (MsLevelCanvas  *self,
                                                int             x,
                                                int             y);

/* Geometry of the last drawing: the cell under a widget point, and the centre of a cell. */
gboolean        ms_level_canvas_cell_at        (MsLevelCanvas  *self,
                                                double          x,
                                                double          y,
                                                int            *cell_x,
                                                int            *cell_y);
gboolean        ms_level_canvas_cell_center    (MsLevelCanvas  *self,
                                                int             cell_x,
                                                int             cell_y,
                                                double         *x,
                                                double         *y);

/* Paths of the agent to draw over the level: n_paths paths, path i has lengths[i] cell indices
 * starting at offsets[i] in cells. Copied. Any edit clears them. */
void            ms_level_canvas_set_paths      (MsLevelCanvas  *self,
                                                const int      *cells,
                                                const int      *offsets,
                                                const int      *lengths,
                                                int             n_paths);
int             ms_level_canvas_get_n_paths    (MsLevelCanvas  *self);
/* Path i (borrowed), with its length in *length. */
const int      *ms_level_canvas_get_path       (MsLevelCanvas  *self,
                                                int             i,
                                                int            *length);

G_END_DECLS
