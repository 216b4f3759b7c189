/* ms-alignment-plot.h: predicted vs measured test behaviour, and cosine agreement over training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_ALIGNMENT_PLOT (ms_alignment_plot_get_type ())

G_DECLARE_FINAL_TYPE (MsAlignmentPlot, ms_alignment_plot, MS, ALIGNMENT_PLOT, MsPlot)

GtkWidget   *ms_alignment_plot_new          (void);
/* Keeps a reference to snapshot (or drops the held one for NULL) and redraws. */
void         ms_alignment_plot_set_snapshot (MsAlignmentPlot *self,
                                             SimSnapshot     *snapshot);

G_END_DECLS
