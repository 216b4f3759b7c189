/* ms-plot.h: base class of the dashboard's plots, with shared drawing helpers and palette
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sim.h"
#include "sim-snapshot.h"

G_BEGIN_DECLS

#define MS_TYPE_PLOT (ms_plot_get_type ())

G_DECLARE_DERIVABLE_TYPE (MsPlot, ms_plot, MS, PLOT, GtkWidget)

/* The colours every plot draws with, resolved from the theme (light or dark, foreground from
 * CSS) and the colour-blind setting. Roles, not hues: the same role has the same colour in
 * every plot, so "test: reaches coin" is the same colour in the success and alignment plots. */
typedef struct
{
  gboolean dark;
  GdkRGBA fg;           /* text, from the widget's CSS colour */
  GdkRGBA muted;        /* secondary text */
  GdkRGBA axis;         /* axis lines and ticks */
  GdkRGBA grid;         /* gridlines */
  GdkRGBA surface;      /* roughly the card background, for halos and callouts */

  GdkRGBA train;        /* success: train target */
  GdkRGBA test;         /* success: test target */
  GdkRGBA proxy;        /* success: test ends at proxy */
  GdkRGBA base;         /* objective: base θ */
  GdkRGBA inferred;     /* objective: inferred mesa θ */
  GdkRGBA truth;        /* objective: true mesa θ (teacher mode) */
  GdkRGBA cos_base;     /* alignment: cos(inferred, base) */
  GdkRGBA cos_true;     /* alignment: cos(inferred, true) */

  GdkRGBA diverging[5]; /* colour map stops from −1 to +1 */

  GdkRGBA floor;
  GdkRGBA floor_line;
  GdkRGBA wall;
  GdkRGBA wall_line;
  GdkRGBA lava;
  GdkRGBA lava_line;
  GdkRGBA coin;
  GdkRGBA coin_line;
  GdkRGBA exit;
  GdkRGBA green;
  GdkRGBA key;
  GdkRGBA chest;
  GdkRGBA path;
  GdkRGBA agent;
} MsPalette;

/* Text roles; sizes are in pixels at scale 1.0 and grow with the scale property. */
typedef enum
{
  MS_FONT_TICK,         /* tick labels, row labels */
  MS_FONT_LABEL,        /* legends, axis titles, value labels */
  MS_FONT_TITLE,        /* plot titles */
  MS_FONT_MESSAGE,      /* the empty state's message */
  MS_N_FONTS
} MsFont;

typedef enum
{
  MS_MARKER_NONE,
  MS_MARKER_CIRCLE,
  MS_MARKER_SQUARE,
  MS_MARKER_TRIANGLE,
  MS_MARKER_DIAMOND,
} MsMarker;

/* The three success series, named in the scenario's words; keys-chests adds the four counts
 * (keys collected and chests opened per episode, at train and at test). */
typedef enum
{
  MS_SERIES_TRAIN_TARGET,
  MS_SERIES_TEST_TARGET,
  MS_SERIES_TEST_PROXY,
  MS_SERIES_TRAIN_KEYS,
  MS_SERIES_TRAIN_CHESTS,
  MS_SERIES_TEST_KEYS,
  MS_SERIES_TEST_CHESTS,
} MsSeries;

/* How the lines of a previous run are drawn behind the current ones (faint lines): thinner, and
 * at this share of their colour's opacity. Still clear on a projector; clearly secondary. */
#define MS_PLOT_FAINT_ALPHA 0.45
#define MS_PLOT_FAINT_WIDTH 2.0

typedef enum
{
  MS_LEGEND_LINE,
  MS_LEGEND_DASHED_LINE,
  MS_LEGEND_FAINT_LINE,    /* a previous run's lines (ms_plot_draw_faint_series()) */
  MS_LEGEND_BAR,
  MS_LEGEND_HATCHED_BAR,
  MS_LEGEND_OUTLINED_BAR,
} MsLegendKind;

typedef struct
{
  const char *label;
  const GdkRGBA *color;
  MsLegendKind kind;
  MsMarker marker;
} MsLegendEntry;

struct _MsPlotClass
{
  GtkWidgetClass parent_class;

  /* Draws the held snapshot (possibly NULL) into a width × height area at (0, 0). Uses only
   * the snapshot and the widget's properties. */
  void   (*draw)             (MsPlot  *self,
                              cairo_t *cr,
                              int      width,
                              int      height);
  /* The value under (x, y) of the last drawing, as text for a tooltip, or NULL. */
  char * (*describe_at)      (MsPlot  *self,
                              double   x,
                              double   y);
  /* The snapshot or a property changed: refresh the accessible description. */
  void   (*update_state)     (MsPlot  *self);
  /* Whether replacing the held snapshot old by new changes the drawing (both non-NULL); NULL
   * means always. Lets a plot skip frames while training publishes snapshots it would draw
   * identically. */
  gboolean (*needs_redraw)   (MsPlot      *self,
                              SimSnapshot *old,
                              SimSnapshot *new_snapshot);

  gpointer padding[7];
};

void            ms_plot_set_snapshot        (MsPlot          *self,
                                             SimSnapshot     *snapshot);
/* Borrowed; NULL before the first snapshot. */
SimSnapshot    *ms_plot_get_snapshot        (MsPlot          *self);

double          ms_plot_get_scale           (MsPlot          *self);
void            ms_plot_set_scale           (MsPlot          *self,
                                             double           scale);
gboolean        ms_plot_get_colorblind      (MsPlot          *self);
void            ms_plot_set_colorblind      (MsPlot          *self,
                                             gboolean         colorblind);
gboolean        ms_plot_get_teacher_mode    (MsPlot          *self);
/* Whether results on test levels are withheld (a lesson that has not come to them yet): the
 * plots that show them leave them out. */
gboolean        ms_plot_get_test_hidden     (MsPlot          *self);
void            ms_plot_set_test_hidden     (MsPlot          *self,
                                             gboolean         hidden);
void            ms_plot_set_teacher_mode    (MsPlot          *self,
                                             gboolean         teacher_mode);

/* Draws the plot as it would appear in the widget; used by the snapshot vfunc, the tests and
 * the benchmark. */
void            ms_plot_draw                (MsPlot          *self,
                                             cairo_t         *cr,
                                             int              width,
                                             int              height);
/* Tooltip text for the point (x, y) of the last drawing, or NULL. */
char           *ms_plot_describe_at         (MsPlot          *self,
                                             double           x,
                                             double           y);
/* The accessible description that states the current values (also set on the accessible). */
const char     *ms_plot_get_description     (MsPlot          *self);
/* The main data rectangle of the last drawing (the line area, the bars, the grid); FALSE
 * before the first drawing or when the plot showed only a message. */
gboolean        ms_plot_get_data_area       (MsPlot          *self,
                                             graphene_rect_t *rect);

/* A text of the last drawing and the box it took, in the coordinates of the surface drawn on. */
typedef struct
{
  char *text;
  graphene_rect_t rect;
} MsTextBox;

/* Every text the last drawing put down, in drawing order (borrowed; valid until the next). */
const MsTextBox *ms_plot_get_text_boxes     (MsPlot          *self,
                                             guint           *n_boxes);

/* For subclasses. */
void            ms_plot_set_description     (MsPlot          *self,
                                             const char      *description);
void            ms_plot_update_state        (MsPlot          *self);
void            ms_plot_set_data_area       (MsPlot          *self,
                                             double           x,
                                             double           y,
                                             double           width,
                                             double           height);
const MsPalette *ms_plot_get_palette        (MsPlot          *self);
/* Changes whenever the palette is resolved again (theme, colour-blind switch, CSS), so
 * subclasses can tell when cached drawings are stale. */
guint           ms_plot_get_palette_serial  (MsPlot          *self);
gboolean        ms_plot_get_hover           (MsPlot          *self,
                                             double          *x,
                                             double          *y);
static inline double
ms_plot_px (MsPlot *self,
            double  v)
{
  return v * ms_plot_get_scale (self);
}

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

/* Words of the scenario, for legends and descriptions. */
const char     *ms_plot_series_label        (SimScenarioKind  scenario,
                                             MsSeries         series);
/* "reaches coin", "ends in corner" (no "Train:"/"Test:" prefix). */
const char     *ms_plot_behaviour_label     (SimScenarioKind  scenario,
                                             gboolean         proxy);
/* A feature's display name ("right_edge" → "right edge"); static or interned. */
const char     *ms_plot_feature_label       (const char      *name);
/* TRUE for the coin scenario's positional features, grouped as "position: top-right". */
gboolean        ms_plot_feature_is_position (const char      *name);

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
/* A cell's display name ("coin", "exit on green"). */
const char     *ms_plot_cell_label          (SimCell           cell);

G_END_DECLS
