/* ms-success-plot.h: success rates over training, train vs test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_SUCCESS_PLOT (ms_success_plot_get_type ())

G_DECLARE_FINAL_TYPE (MsSuccessPlot, ms_success_plot, MS, SUCCESS_PLOT, MsPlot)

GtkWidget *ms_success_plot_new          (void);
/* Keeps a reference to snapshot (or drops the held one for NULL) and redraws. */
void       ms_success_plot_set_snapshot (MsSuccessPlot *self,
                                         SimSnapshot   *snapshot);

G_END_DECLS
