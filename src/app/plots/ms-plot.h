/* ms-plot.h: base class of the dashboard's plots: the widget, its palette and its state (the
 * text and drawing helpers are declared in ms-plot-draw.h, the scenario's words in ms-words.h;
 * this header includes both)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sim.h"
#include "sim-snapshot.h"
#include "ms-words.h"

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

G_END_DECLS

#include "ms-plot-draw.h"
