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
/* The run a change of settings replaced, drawn as faint lines behind the current ones, with
 * label as its legend entry (e.g. "Before: diversity 0 %"); NULL removes them. Keeps a
 * reference to previous. */
void       ms_success_plot_set_previous (MsSuccessPlot *self,
                                         SimSnapshot   *previous,
                                         const char    *label);
/* The previous run held (borrowed), or NULL; and its legend entry. */
SimSnapshot *ms_success_plot_get_previous       (MsSuccessPlot *self);
const char  *ms_success_plot_get_previous_label (MsSuccessPlot *self);

G_END_DECLS
