/* plot-text.h: what the last drawing of a plot wrote, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

/* Whether the last drawing of plot put down exactly this text. */
static inline gboolean
plot_drew_text (MsPlot     *plot,
                const char *text)
{
  guint n;
  const MsTextBox *boxes = ms_plot_get_text_boxes (plot, &n);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (boxes[i].text, text) == 0)
      return TRUE;
  return FALSE;
}
