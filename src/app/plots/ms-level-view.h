/* ms-level-view.h: the shown level, with the agent moving along its rollout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_LEVEL_VIEW (ms_level_view_get_type ())

G_DECLARE_FINAL_TYPE (MsLevelView, ms_level_view, MS, LEVEL_VIEW, MsPlot)

/* Time the animated agent spends on each cell of the path. */
#define MS_LEVEL_VIEW_STEP_MS 150

GtkWidget   *ms_level_view_new           (void);
/* Keeps a reference to snapshot (or drops the held one for NULL) and redraws. */
void         ms_level_view_set_snapshot  (MsLevelView  *self,
                                          SimSnapshot  *snapshot);
/* Which level to show: SIM_SHOWN_TEST (the default) or SIM_SHOWN_TRAIN. */
void         ms_level_view_set_shown     (MsLevelView  *self,
                                          SimShownKind  shown);
SimShownKind ms_level_view_get_shown     (MsLevelView  *self);
/* Whether each cell shows the agent's first-step action probabilities as arrows (off by
 * default; keys and chests have none to show). */
void         ms_level_view_set_show_policy (MsLevelView *self,
                                            gboolean     show_policy);
gboolean     ms_level_view_get_show_policy (MsLevelView *self);
/* Maps widget coordinates to a level cell (x to the right, y = 0 the bottom row) of the last
 * drawing. Returns FALSE outside the grid or when no level is shown. */
gboolean     ms_level_view_cell_at       (MsLevelView  *self,
                                          double        x,
                                          double        y,
                                          int          *cell_x,
                                          int          *cell_y);
/* Keys and chests: the keys the agent holds at the drawn step (the inventory shown beside
 * the level); -1 in the other scenarios or when no level is shown. */
int          ms_level_view_get_keys_held (MsLevelView  *self);
/* Whether the agent is currently animated (mapped, animations enabled, a path to walk). */
gboolean     ms_level_view_is_animating  (MsLevelView  *self);
/* For the dashboard's layout: the narrowest width at which a drawing height pixels tall shows
 * the level as big as it would be max_width pixels wide (max_width 0: however wide; more width
 * then only adds room beside it), and the lowest height at which a drawing width pixels wide
 * shows it as big as that width allows; -1 when no level is shown. */
int          ms_level_view_width_for_height (MsLevelView *self,
                                             int          height,
                                             int          max_width);
int          ms_level_view_height_for_width (MsLevelView *self,
                                             int          width);

G_END_DECLS
