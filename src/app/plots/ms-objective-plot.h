/* ms-objective-plot.h: base vs inferred mesa objective, with the inferred weights over training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_OBJECTIVE_PLOT (ms_objective_plot_get_type ())

G_DECLARE_FINAL_TYPE (MsObjectivePlot, ms_objective_plot, MS, OBJECTIVE_PLOT, MsPlot)

GtkWidget   *ms_objective_plot_new          (void);
/* Keeps a reference to snapshot (or drops the held one for NULL) and redraws. */
void         ms_objective_plot_set_snapshot (MsObjectivePlot *self,
                                             SimSnapshot     *snapshot);

G_END_DECLS
