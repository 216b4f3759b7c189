/* ms-plot-draw.h: the text and drawing helpers of the plots (ms-plot-text.c, ms-plot-draw.c,
 * ms-plot-cells.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

/* Text, laid out once and cached per (font, text). The layout is borrowed. */
PangoLayout    *ms_plot_layout              (MsPlot          *self,
                                             MsFont           font,
                                             const char      *text);
/* Draws text aligned at (x, y): xalign/yalign 0 = left/top, 0.5 = centre, 1 = right/bottom.
 * Stores the ink-free logical width and height in *w, *h when not NULL. */
void            ms_plot_text                (MsPlot          *self,
                                             cairo_t         *cr,
                                             MsFont           font,
                                             const char      *text,
                                             double           x,
                                             double           y,
                                             double           xalign,
                                             double           yalign,
                                             const GdkRGBA   *color);
/* Text rotated by −90°, reading bottom to top, centred at (x, y). */
void            ms_plot_text_vertical       (MsPlot          *self,
                                             cairo_t         *cr,
                                             MsFont           font,
                                             const char      *text,
                                             double           x,
                                             double           y,
                                             const GdkRGBA   *color);
void            ms_plot_text_size           (MsPlot          *self,
                                             MsFont           font,
                                             const char      *text,
                                             double          *width,
                                             double          *height);
double          ms_plot_font_height         (MsPlot          *self,
                                             MsFont           font);

/* The title in the top left corner; returns the y below it. */
double          ms_plot_draw_title          (MsPlot          *self,
                                             cairo_t         *cr,
                                             const char      *title,
                                             double           x,
                                             double           y);
/* The title, with the legend right-aligned on the same row when it fits, else in rows below
 * it; returns the y below both. */
double          ms_plot_draw_title_legend   (MsPlot          *self,
                                             cairo_t         *cr,
                                             const char      *title,
                                             const MsLegendEntry *entries,
                                             int              n_entries,
                                             double           width);
/* A centred message (the empty state). */
void            ms_plot_draw_message        (MsPlot          *self,
                                             cairo_t         *cr,
                                             const char      *message,
                                             double           x,
                                             double           y,
                                             double           width,
                                             double           height);

/* Drawing helpers without widget state. */
/* Clips to the rectangle rounded outwards to whole pixels, which keeps cairo on its fast
 * (region) clip path. */
void            ms_plot_clip_rect           (cairo_t         *cr,
                                             double           x,
                                             double           y,
                                             double           width,
                                             double           height);
void            ms_plot_set_color           (cairo_t         *cr,
                                             const GdkRGBA   *color);
void            ms_plot_set_color_alpha     (cairo_t         *cr,
                                             const GdkRGBA   *color,
                                             double           alpha);
/* Strokes the current path lw wide in ink over a halo of the card's background (halo_px wider,
 * at halo_alpha), with round joins and caps; the path stays, for a fill. */
void            ms_plot_stroke_on_halo      (MsPlot          *plot,
                                             cairo_t         *cr,
                                             const GdkRGBA   *ink,
                                             double           lw,
                                             double           halo_px,
                                             double           halo_alpha);
void            ms_plot_marker              (cairo_t         *cr,
                                             MsMarker         marker,
                                             double           x,
                                             double           y,
                                             double           size);
/* Diagonal hatching clipped to the rectangle. */
void            ms_plot_hatch               (cairo_t         *cr,
                                             double           x,
                                             double           y,
                                             double           width,
                                             double           height,
                                             double           spacing,
                                             double           line_width);
/* The same hatching from a cached repeating pattern, in color: cheap for large areas. */
void            ms_plot_fill_hatch          (MsPlot          *self,
                                             cairo_t         *cr,
                                             double           x,
                                             double           y,
                                             double           width,
                                             double           height,
                                             const GdkRGBA   *color,
                                             double           spacing,
                                             double           line_width);
/* The colour of v in [−vmax, vmax] on the palette's diverging map; NaN gives the floor. */
void            ms_palette_diverging        (const MsPalette *palette,
                                             double           v,
                                             double           vmax,
                                             GdkRGBA         *out);
/* Round step for about max_ticks ticks over [lo, hi]. */
double          ms_plot_nice_step           (double           lo,
                                             double           hi,
                                             int              max_ticks);
/* A horizontal colour legend for [−vmax, vmax] with end and centre labels, at (x, y). */
void            ms_plot_draw_colorbar       (MsPlot          *self,
                                             cairo_t         *cr,
                                             double           x,
                                             double           y,
                                             double           width,
                                             double           height,
                                             double           vmax,
                                             gboolean         vertical);

/* Formats v as a percentage ("93%") into buf; "–" for NaN. */
const char     *ms_plot_format_percent      (char            *buf,
                                             gsize            size,
                                             double           v);

/* A rectangle of the widget mapped to data ranges [x0, x1] × [y0, y1] (y grows upwards). */
typedef struct
{
  double x;
  double y;
  double width;
  double height;
  double x0;
  double x1;
  double y0;
  double y1;
} MsPlotArea;

static inline double
ms_plot_area_x (const MsPlotArea *a,
                double            v)
{
  return a->x + (v - a->x0) / (a->x1 - a->x0) * a->width;
}

static inline double
ms_plot_area_y (const MsPlotArea *a,
                double            v)
{
  return a->y + a->height - (v - a->y0) / (a->y1 - a->y0) * a->height;
}

static inline gboolean
ms_plot_area_contains (const MsPlotArea *a,
                       double            x,
                       double            y)
{
  return x >= a->x && x <= a->x + a->width && y >= a->y && y <= a->y + a->height;
}


typedef struct
{
  double y;
  const char *text;
  const GdkRGBA *color;
} MsEndLabel;

/* Horizontal gridlines with tick labels left of the area, every `step` from y0 to y1; as
 * percentages when percent is TRUE. The zero line is drawn stronger. */
void            ms_plot_draw_y_grid         (MsPlot           *self,
                                             cairo_t          *cr,
                                             const MsPlotArea *area,
                                             double            step,
                                             gboolean          percent);
/* Integer ticks along the bottom of the area, about one per `spacing` pixels. */
void            ms_plot_draw_x_ticks        (MsPlot           *self,
                                             cairo_t          *cr,
                                             const MsPlotArea *area,
                                             double            spacing);
/* A line series: x values xs (NULL: 1, 2, 3, …), NaN values skipped (the line breaks there),
 * a marker every few points and on the last one; dashed lines for the second kind of series. */
void            ms_plot_draw_series         (MsPlot           *self,
                                             cairo_t          *cr,
                                             const MsPlotArea *area,
                                             const int        *xs,
                                             const double     *ys,
                                             int               n,
                                             const GdkRGBA    *color,
                                             gboolean          dashed,
                                             MsMarker          marker);
/* The same series as a previous run's faint line: thinner, lighter, without markers. */
void            ms_plot_draw_faint_series   (MsPlot           *self,
                                             cairo_t          *cr,
                                             const MsPlotArea *area,
                                             const int        *xs,
                                             const double     *ys,
                                             int               n,
                                             const GdkRGBA    *color,
                                             gboolean          dashed);
/* Legend entries in rows from (x, y), wrapping at x + max_width; returns the height used. */
double          ms_plot_draw_legend         (MsPlot           *self,
                                             cairo_t          *cr,
                                             const MsLegendEntry *entries,
                                             int               n_entries,
                                             double            x,
                                             double            y,
                                             double            max_width,
                                             gboolean          draw);
/* Value labels at the right end of lines, pushed apart so they never overlap. */
void            ms_plot_draw_end_labels     (MsPlot           *self,
                                             cairo_t          *cr,
                                             MsEndLabel       *labels,
                                             int               n_labels,
                                             double            x,
                                             double            top,
                                             double            bottom);
/* A marker (or bar swatch) for the legend and the hover highlight. */
void            ms_plot_draw_swatch         (MsPlot           *self,
                                             cairo_t          *cr,
                                             const MsLegendEntry *entry,
                                             double            x,
                                             double            y,
                                             double            width,
                                             double            height);

/* One level cell as an icon in the size × size square at (x, y): floor, brick wall, lava
 * waves, coin, door (exit), striped green tile, key, chest. Shapes, not only colours. */
void            ms_plot_draw_cell           (MsPlot           *self,
                                             cairo_t          *cr,
                                             SimCell           cell,
                                             double            x,
                                             double            y,
                                             double            size);
/* The start marker (a flag) in the cell square at (x, y). */
void            ms_plot_draw_start          (MsPlot           *self,
                                             cairo_t          *cr,
                                             double            x,
                                             double            y,
                                             double            size);

G_END_DECLS
