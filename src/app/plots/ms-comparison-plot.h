/* ms-comparison-plot.h: how goal-directed each of several agents is, side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_COMPARISON_PLOT (ms_comparison_plot_get_type ())

G_DECLARE_FINAL_TYPE (MsComparisonPlot, ms_comparison_plot, MS, COMPARISON_PLOT, MsPlot)

GtkWidget            *ms_comparison_plot_new         (void);
/* The agents compared, one row each in this order: names and a few words under each
 * (translated, copied). Forgets every result. */
void                  ms_comparison_plot_set_agents  (MsComparisonPlot     *self,
                                                      const char * const   *names,
                                                      const char * const   *descriptions,
                                                      int                   n_agents);
int                   ms_comparison_plot_get_n_agents (MsComparisonPlot    *self);
/* The last record of agent index's run (copied), or NULL while it still trains. */
void                  ms_comparison_plot_set_result  (MsComparisonPlot     *self,
                                                      int                   index,
                                                      const SimTrainRecord *record);
/* Borrowed, or NULL while agent index still trains. */
const SimTrainRecord *ms_comparison_plot_get_result  (MsComparisonPlot     *self,
                                                      int                   index);

G_END_DECLS
