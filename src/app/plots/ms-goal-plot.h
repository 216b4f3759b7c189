/* ms-goal-plot.h: how goal-directed the agent is, toward its inferred goal and the reward
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_GOAL_PLOT (ms_goal_plot_get_type ())

/* Draws the snapshot given by ms_plot_set_snapshot(). */
G_DECLARE_FINAL_TYPE (MsGoalPlot, ms_goal_plot, MS, GOAL_PLOT, MsPlot)

G_END_DECLS
