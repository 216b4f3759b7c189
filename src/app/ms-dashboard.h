/* ms-dashboard.h: the grid of live plots and the level view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sim.h"
#include "sim-snapshot.h"

G_BEGIN_DECLS

#define MS_TYPE_DASHBOARD (ms_dashboard_get_type ())

G_DECLARE_FINAL_TYPE (MsDashboard, ms_dashboard, MS, DASHBOARD, GtkWidget)

typedef enum
{
  MS_DASHBOARD_PART_LEVEL,
  MS_DASHBOARD_PART_SUCCESS,
  MS_DASHBOARD_PART_OBJECTIVES,
  MS_DASHBOARD_PART_ALIGNMENT,
  MS_DASHBOARD_PART_REWARD_MAPS,
  MS_DASHBOARD_PART_GOAL,
  MS_DASHBOARD_N_PARTS
} MsDashboardPart;

void         ms_dashboard_set_snapshot (MsDashboard     *self,
                                        SimSnapshot     *snapshot);
/* The snapshot the widgets hold (borrowed), or NULL. */
SimSnapshot *ms_dashboard_get_snapshot (MsDashboard     *self);
void         ms_dashboard_set_shown    (MsDashboard     *self,
                                        SimShownKind     shown);
SimShownKind ms_dashboard_get_shown    (MsDashboard     *self);
/* Withholds (or shows again) every result on test levels: the test lines of the success
 * plot and the alignment plot, until a lesson comes to them. */
void         ms_dashboard_set_test_hidden (MsDashboard *self,
                                           gboolean     hidden);
/* The run a change of settings replaced, as faint lines in the success plot with label in its
 * legend; NULL removes them. */
void         ms_dashboard_set_previous_run (MsDashboard *self,
                                            SimSnapshot *previous,
                                            const char  *label);
/* Draws attention to one part for a moment (used by the article's key terms), bringing it into
 * view where it shares its place with another. */
void         ms_dashboard_highlight    (MsDashboard     *self,
                                        MsDashboardPart  part);
GtkWidget   *ms_dashboard_get_part     (MsDashboard     *self,
                                        MsDashboardPart  part);
/* The "why?" note under a part's plot (a GtkLabel, hidden while there is nothing to explain);
 * NULL for the parts that have none (all but the level and the success plot). */
GtkWidget   *ms_dashboard_get_note     (MsDashboard     *self,
                                        MsDashboardPart  part);
/* Whether the last layout put the cards in one row (presentation mode in a short window): the
 * level, the success plot and one of the other three. */
gboolean     ms_dashboard_get_one_row  (MsDashboard     *self);

G_END_DECLS
