/* ms-reward-map.h: base and inferred mesa reward over the shown level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_REWARD_MAP (ms_reward_map_get_type ())

G_DECLARE_FINAL_TYPE (MsRewardMap, ms_reward_map, MS, REWARD_MAP, MsPlot)

GtkWidget   *ms_reward_map_new           (void);
/* Keeps a reference to snapshot (or drops the held one for NULL) and redraws. */
void         ms_reward_map_set_snapshot  (MsRewardMap  *self,
                                          SimSnapshot  *snapshot);
/* Which level the maps show: SIM_SHOWN_TEST (the default) or SIM_SHOWN_TRAIN. */
void         ms_reward_map_set_shown     (MsRewardMap  *self,
                                          SimShownKind  shown);
SimShownKind ms_reward_map_get_shown     (MsRewardMap  *self);
/* Where cell (x, y) (y = 0 the bottom row) of the base (inferred FALSE) or inferred map was
 * drawn last; FALSE when that map was not drawn. */
gboolean     ms_reward_map_get_cell_rect (MsRewardMap     *self,
                                          gboolean         inferred,
                                          int              x,
                                          int              y,
                                          graphene_rect_t *rect);
/* For the dashboard's layout: the lowest height at which the two maps, side by side, are as big
 * as a drawing width pixels wide lets them be, and the narrowest width at which they are as big
 * as a drawing height pixels tall lets them be; -1 when no level is shown. */
int          ms_reward_map_height_for_width (MsRewardMap *self,
                                             int          width);
int          ms_reward_map_width_for_height (MsRewardMap *self,
                                             int          height);

G_END_DECLS
