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

/* For the plots that show the same scores (the comparison of agents), drawn and worded as
 * here. */
/* One score's bar in area a (x0 to 1 across it): the track, the bar from 0 to v (hatched for
 * the held-out score), marks at 0, 0.5 and 1, and the interval lo to hi as a whisker. */
void        ms_goal_plot_draw_bar       (MsPlot           *plot,
                                         cairo_t          *cr,
                                         const MsPlotArea *a,
                                         SimTrainGoal      goal,
                                         double            v,
                                         double            lo,
                                         double            hi);
/* "0 = random moves" under 0 and "1 = optimizer" at the right end, in shorter words when
 * narrow, one tick line high from y, for a scale from x0 to 1 across x to x + width. */
void        ms_goal_plot_draw_key       (MsPlot           *plot,
                                         cairo_t          *cr,
                                         double            x,
                                         double            y,
                                         double            width,
                                         double            x0);
/* The left end of the scale for scores as low as lowest: 0, or below it in quarters, to −1 at
 * most. */
double      ms_goal_plot_scale_floor    (double            lowest);
/* What a score is called ("Toward its inferred goal"), translated. */
const char *ms_goal_plot_get_label      (SimTrainGoal      goal);
/* A score's tooltip: its name, value and interval, nats per decision and decisions, what the
 * scale and the score mean. */
char       *ms_goal_plot_describe_score (SimTrainGoal      goal,
                                         double            v,
                                         double            lo,
                                         double            hi,
                                         double            nats,
                                         int               decisions);

G_END_DECLS
