/* ms-plot-private.h: what the parts of the plots' base class share (ms-plot.c the widget,
 * ms-plot-text.c the text, ms-plot-draw.c the drawing helpers, ms-plot-cells.c the cells)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MAX_CACHED_LAYOUTS 1024
#define N_HATCH_PATTERNS 4

typedef struct
{
  GdkRGBA color;
  int spacing;
  double line_width;
  cairo_pattern_t *pattern;     /* owned */
} HatchPattern;

typedef struct
{
  SimSnapshot *snapshot;
  double scale;
  gboolean colorblind;
  gboolean teacher_mode;
  gboolean test_hidden;

  char *description;
  char *tooltip;

  MsPalette palette;
  gboolean palette_valid;
  guint palette_serial;

  GHashTable *layouts;                  /* "<font><text>" → PangoLayout, owned */
  PangoFontDescription *fonts[MS_N_FONTS];
  PangoAttrList *tabular;               /* tabular figures for numbers */

  HatchPattern hatches[N_HATCH_PATTERNS];
  int next_hatch;

  graphene_rect_t data_area;
  gboolean has_data_area;
  GArray *text_boxes;                   /* MsTextBox of the last drawing */

  gboolean hovering;
  double hover_x;
  double hover_y;
} MsPlotPrivate;

MsPlotPrivate *ms_plot_get_private        (MsPlot        *self);
/* in with its alpha scaled by alpha. */
void           ms_plot_rgba_fade          (GdkRGBA       *out,
                                           const GdkRGBA *in,
                                           double         alpha);
/* text in lines no wider than width, broken at spaces (a single word wider than width stays
 * whole); one line when it fits. */
GStrv          ms_plot_wrap_words         (MsPlot        *self,
                                           MsFont         font,
                                           const char    *text,
                                           double         width);

G_END_DECLS
