/* ms-sweep-plot.c: a sweep's runs against the setting it changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One column per value of the setting, in the order given. In each column, on the left the
 * share of test levels where the agent reaches the target (circles, the success plot's test
 * colour) and on the right the share where it ends at the proxy (squares, its proxy colour):
 * each seed a dot, side by side, and across them the seeds' mean with its 95 % interval. The
 * means of neighbouring columns are joined, solid for the target and dashed for the proxy, so
 * the curve shows as the runs come in. Hovering a dot names its run; clicking it emits
 * run-activated. The figures come from the engine (SimSweep); this only draws them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-sweep-plot.h"

typedef struct
{
  double mean, lo, hi;
} Summary;

struct _MsSweepPlot
{
  MsPlot parent_instance;

  char *title;
  char *axis_title;
  GStrv labels;
  guint n_points;
  guint32 *seeds;
  guint n_seeds;
  SimScenarioKind scenario;
  double *values[MS_SWEEP_PLOT_N_FIGURES];   /* per run, NaN until it finished */
  Summary *summary[MS_SWEEP_PLOT_N_FIGURES]; /* per point */

  /* The last drawing, for hover and click. */
  double *dot_x[MS_SWEEP_PLOT_N_FIGURES];
  double *dot_y[MS_SWEEP_PLOT_N_FIGURES];
  guint n_dots;
  double reach;
};

enum
{
  SIGNAL_RUN_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MsSweepPlot, ms_sweep_plot, MS_TYPE_PLOT)

static guint
n_runs (MsSweepPlot *self)
{
  return self->n_points * self->n_seeds;
}

static const GdkRGBA *
figure_color (MsSweepPlot       *self,
              MsSweepPlotFigure  figure)
{
  const MsPalette *p = ms_plot_get_palette (MS_PLOT (self));

  return figure == MS_SWEEP_PLOT_TARGET ? &p->test : &p->proxy;
}

static MsMarker
figure_marker (MsSweepPlotFigure figure)
{
  return figure == MS_SWEEP_PLOT_TARGET ? MS_MARKER_CIRCLE : MS_MARKER_SQUARE;
}

static const char *
figure_label (MsSweepPlot       *self,
              MsSweepPlotFigure  figure)
{
  return ms_words_series_label (self->scenario, figure == MS_SWEEP_PLOT_TARGET
                                                ? MS_SERIES_TEST_TARGET : MS_SERIES_TEST_PROXY);
}

/* The x of a figure's cluster in column i. */
static double
cluster_x (const MsPlotArea  *area,
           guint              n_points,
           guint              i,
           MsSweepPlotFigure  figure)
{
  double slot = area->width / n_points;
  double centre = area->x + (i + 0.5) * slot;

  return centre + (figure == MS_SWEEP_PLOT_TARGET ? -0.2 : 0.2) * slot;
}

static void
draw_points (MsSweepPlot      *self,
             cairo_t          *cr,
             const MsPlotArea *area)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double slot = area->width / self->n_points;
  double half_cluster = MIN (0.16 * slot, ms_plot_px (plot, 40));
  double dot = ms_plot_px (plot, 9);
  double hx = 0, hy = 0;
  int hovered = -1;

  self->n_dots = 0;
  self->reach = MAX (dot, ms_plot_px (plot, 8));
  if (ms_plot_get_hover (plot, &hx, &hy))
    hovered = ms_sweep_plot_run_at (self, hx, hy);

  for (int f = 0; f < MS_SWEEP_PLOT_N_FIGURES; f++)
    {
      const GdkRGBA *color = figure_color (self, f);
      double lw = ms_plot_px (plot, 3);
      gboolean started = FALSE;

      /* The curve through the means. */
      cairo_save (cr);
      if (f == MS_SWEEP_PLOT_PROXY)
        {
          double dash[2] = { ms_plot_px (plot, 8), ms_plot_px (plot, 6) };

          cairo_set_dash (cr, dash, 2, 0);
        }
      for (guint i = 0; i < self->n_points; i++)
        {
          const Summary *s = &self->summary[f][i];

          if (!isfinite (s->mean))
            {
              started = FALSE;
              continue;
            }
          if (started)
            cairo_line_to (cr, cluster_x (area, self->n_points, i, f),
                           ms_plot_area_y (area, s->mean));
          else
            cairo_move_to (cr, cluster_x (area, self->n_points, i, f),
                           ms_plot_area_y (area, s->mean));
          started = TRUE;
        }
      ms_plot_set_color_alpha (cr, color, 0.55);
      cairo_set_line_width (cr, ms_plot_px (plot, 2));
      cairo_stroke (cr);
      cairo_restore (cr);

      for (guint i = 0; i < self->n_points; i++)
        {
          double cx = cluster_x (area, self->n_points, i, f);
          const Summary *s = &self->summary[f][i];

          /* Each seed a dot, side by side across the cluster. */
          for (guint k = 0; k < self->n_seeds; k++)
            {
              guint r = i * self->n_seeds + k;
              double v = self->values[f][r];
              double x, y;

              self->dot_x[f][r] = NAN;
              self->dot_y[f][r] = NAN;
              if (!isfinite (v))
                continue;
              x = cx + (self->n_seeds > 1 ? ((double) k / (self->n_seeds - 1) - 0.5) : 0.0)
                       * 2 * half_cluster * 0.8;
              y = ms_plot_area_y (area, CLAMP (v, 0.0, 1.0));
              self->dot_x[f][r] = x;
              self->dot_y[f][r] = y;
              self->n_dots++;
              ms_plot_marker (cr, figure_marker (f), x, y, dot);
              ms_plot_set_color_alpha (cr, color, 0.45);
              cairo_fill_preserve (cr);
              ms_plot_set_color (cr, color);
              cairo_set_line_width (cr, ms_plot_px (plot, 1.5));
              cairo_stroke (cr);
            }

          /* The mean across the cluster, the interval up and down from it. */
          if (!isfinite (s->mean))
            continue;
          ms_plot_set_color (cr, color);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          if (isfinite (s->lo) && isfinite (s->hi))
            {
              double top = ms_plot_area_y (area, CLAMP (s->hi, 0.0, 1.0));
              double bottom = ms_plot_area_y (area, CLAMP (s->lo, 0.0, 1.0));
              double cap = ms_plot_px (plot, 7);

              cairo_set_line_width (cr, ms_plot_px (plot, 2.5));
              cairo_move_to (cr, cx, top);
              cairo_line_to (cr, cx, bottom);
              cairo_move_to (cr, cx - cap, top);
              cairo_line_to (cr, cx + cap, top);
              cairo_move_to (cr, cx - cap, bottom);
              cairo_line_to (cr, cx + cap, bottom);
              cairo_stroke (cr);
            }
          cairo_set_line_width (cr, lw);
          cairo_move_to (cr, cx - half_cluster, ms_plot_area_y (area, s->mean));
          cairo_line_to (cr, cx + half_cluster, ms_plot_area_y (area, s->mean));
          ms_plot_stroke_on_halo (plot, cr, color, lw, ms_plot_px (plot, 3), 0.8);
          cairo_new_path (cr);
        }
    }

  if (hovered >= 0)
    for (int f = 0; f < MS_SWEEP_PLOT_N_FIGURES; f++)
      if (isfinite (self->dot_x[f][hovered]))
        {
          ms_plot_marker (cr, figure_marker (f), self->dot_x[f][hovered],
                          self->dot_y[f][hovered], dot * 1.6);
          ms_plot_set_color (cr, &p->fg);
          cairo_set_line_width (cr, ms_plot_px (plot, 2));
          cairo_stroke (cr);
        }
}

static void
ms_sweep_plot_draw (MsPlot  *plot,
                    cairo_t *cr,
                    int      width,
                    int      height)
{
  MsSweepPlot *self = MS_SWEEP_PLOT (plot);
  const MsPalette *p = ms_plot_get_palette (plot);
  double pad = ms_plot_px (plot, 12), top, tick_h, label_h, tick_w = 0, slot;
  MsLegendEntry entries[] = {
    { figure_label (self, MS_SWEEP_PLOT_TARGET), &p->test, MS_LEGEND_LINE, MS_MARKER_CIRCLE },
    { figure_label (self, MS_SWEEP_PLOT_PROXY), &p->proxy, MS_LEGEND_DASHED_LINE,
      MS_MARKER_SQUARE },
  };
  MsPlotArea area;

  self->n_dots = 0;
  top = ms_plot_draw_title_legend (plot, cr, self->title != NULL ? self->title : _("Sweep"),
                                   entries, G_N_ELEMENTS (entries), width);
  top += ms_plot_px (plot, 8);
  if (self->n_points == 0)
    {
      ms_plot_draw_message (plot, cr, _("Choose a setting and its values, then press Run"),
                            pad, top, width - 2 * pad, height - top - pad);
      return;
    }

  tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  ms_plot_text_size (plot, MS_FONT_TICK, "100%", &tick_w, NULL);
  area.x = pad + label_h + ms_plot_px (plot, 8) + tick_w + ms_plot_px (plot, 8);
  area.y = top + tick_h / 2;
  area.width = width - area.x - pad;
  area.height = height - area.y - pad - label_h - ms_plot_px (plot, 10) - tick_h
                - ms_plot_px (plot, 8);
  area.x0 = 0;
  area.x1 = 1;
  area.y0 = 0;
  area.y1 = 1;
  if (area.width < ms_plot_px (plot, 60) || area.height < ms_plot_px (plot, 40))
    {
      ms_plot_draw_message (plot, cr, _("Too small to draw"), pad, top, width - 2 * pad,
                            height - top - pad);
      return;
    }
  ms_plot_set_data_area (plot, area.x, area.y, area.width, area.height);

  ms_plot_draw_y_grid (plot, cr, &area, 0.25, TRUE);
  ms_plot_text_vertical (plot, cr, MS_FONT_LABEL, _("Share of test levels"),
                         pad + label_h / 2, area.y + area.height / 2, &p->fg);

  /* The values under their columns. */
  slot = area.width / self->n_points;
  for (guint i = 0; i < self->n_points; i++)
    {
      double x = area.x + (i + 0.5) * slot;

      ms_plot_text (plot, cr, MS_FONT_TICK, self->labels[i], x,
                    area.y + area.height + ms_plot_px (plot, 6), 0.5, 0, &p->fg);
      if (i > 0)
        {
          double gx = round (area.x + i * slot) + 0.5;

          ms_plot_set_color (cr, &p->grid);
          cairo_set_line_width (cr, ms_plot_px (plot, 1));
          cairo_move_to (cr, gx, area.y);
          cairo_line_to (cr, gx, area.y + area.height);
          cairo_stroke (cr);
        }
    }
  ms_plot_text (plot, cr, MS_FONT_LABEL, self->axis_title != NULL ? self->axis_title : "",
                area.x + area.width / 2, height - pad, 0.5, 1.0, &p->fg);

  draw_points (self, cr, &area);
}

int
ms_sweep_plot_run_at (MsSweepPlot *self,
                      double       x,
                      double       y)
{
  double best = INFINITY;
  int run = -1;

  g_return_val_if_fail (MS_IS_SWEEP_PLOT (self), -1);

  for (int f = 0; f < MS_SWEEP_PLOT_N_FIGURES; f++)
    for (guint r = 0; r < n_runs (self); r++)
      {
        double dx = x - self->dot_x[f][r], dy = y - self->dot_y[f][r];
        double d = dx * dx + dy * dy;

        if (isfinite (d) && d <= self->reach * self->reach && d < best)
          {
            best = d;
            run = (int) r;
          }
      }
  return run;
}

static char *
ms_sweep_plot_describe_at (MsPlot *plot,
                           double  x,
                           double  y)
{
  MsSweepPlot *self = MS_SWEEP_PLOT (plot);
  int r = ms_sweep_plot_run_at (self, x, y);
  char target[32], proxy[32];

  if (r < 0)
    return NULL;
  ms_plot_format_percent (target, sizeof target, self->values[MS_SWEEP_PLOT_TARGET][r]);
  ms_plot_format_percent (proxy, sizeof proxy, self->values[MS_SWEEP_PLOT_PROXY][r]);
  /* Translators: a run of a sweep: the setting's name, its value, the seed, the run's two
   * results on test levels (their names, then percentages), and what a click does */
  return g_strdup_printf (_("%s: %s, seed %u\n%s: %s\n%s: %s\nClick to open this run in the "
                            "dashboard"),
                          self->axis_title, self->labels[r / self->n_seeds],
                          self->seeds[r % self->n_seeds],
                          figure_label (self, MS_SWEEP_PLOT_TARGET), target,
                          figure_label (self, MS_SWEEP_PLOT_PROXY), proxy);
}

static void
ms_sweep_plot_update_state (MsPlot *plot)
{
  MsSweepPlot *self = MS_SWEEP_PLOT (plot);
  g_autoptr (GString) text = g_string_new (self->title != NULL ? self->title : _("Sweep"));

  g_string_append_c (text, '.');
  for (guint i = 0; i < self->n_points; i++)
    {
      char target[32], proxy[32];

      ms_plot_format_percent (target, sizeof target,
                              self->summary[MS_SWEEP_PLOT_TARGET][i].mean);
      ms_plot_format_percent (proxy, sizeof proxy, self->summary[MS_SWEEP_PLOT_PROXY][i].mean);
      g_string_append_printf (text, " %s %s: %s %s, %s %s.", self->axis_title,
                              self->labels[i], figure_label (self, MS_SWEEP_PLOT_TARGET),
                              target, figure_label (self, MS_SWEEP_PLOT_PROXY), proxy);
    }
  ms_plot_set_description (plot, text->str);
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             MsSweepPlot     *self)
{
  int r = ms_sweep_plot_run_at (self, x, y);

  if (r >= 0)
    g_signal_emit (self, signals[SIGNAL_RUN_ACTIVATED], 0, (guint) r);
}

static void
clear_grid (MsSweepPlot *self)
{
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->axis_title, g_free);
  g_clear_pointer (&self->labels, g_strfreev);
  g_clear_pointer (&self->seeds, g_free);
  for (int f = 0; f < MS_SWEEP_PLOT_N_FIGURES; f++)
    {
      g_clear_pointer (&self->values[f], g_free);
      g_clear_pointer (&self->summary[f], g_free);
      g_clear_pointer (&self->dot_x[f], g_free);
      g_clear_pointer (&self->dot_y[f], g_free);
    }
  self->n_points = 0;
  self->n_seeds = 0;
  self->n_dots = 0;
}

static void
ms_sweep_plot_finalize (GObject *object)
{
  clear_grid (MS_SWEEP_PLOT (object));

  G_OBJECT_CLASS (ms_sweep_plot_parent_class)->finalize (object);
}

static void
ms_sweep_plot_class_init (MsSweepPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  object_class->finalize = ms_sweep_plot_finalize;
  plot_class->draw = ms_sweep_plot_draw;
  plot_class->describe_at = ms_sweep_plot_describe_at;
  plot_class->update_state = ms_sweep_plot_update_state;

  /* run-activated (guint index): a run's dot was clicked. */
  signals[SIGNAL_RUN_ACTIVATED] = g_signal_new ("run-activated", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "sweep-plot");
}

static void
ms_sweep_plot_init (MsSweepPlot *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sweep results"), -1);
  ms_plot_update_state (MS_PLOT (self));
}

GtkWidget *
ms_sweep_plot_new (void)
{
  return g_object_new (MS_TYPE_SWEEP_PLOT, NULL);
}

void
ms_sweep_plot_set_grid (MsSweepPlot        *self,
                        const char         *title,
                        const char         *axis_title,
                        const char * const *labels,
                        guint               n_points,
                        const guint32      *seeds,
                        guint               n_seeds,
                        SimScenarioKind     scenario)
{
  g_return_if_fail (MS_IS_SWEEP_PLOT (self));
  g_return_if_fail (n_points == 0 || (labels != NULL && seeds != NULL && n_seeds > 0));

  clear_grid (self);
  self->title = g_strdup (title);
  self->axis_title = g_strdup (axis_title);
  self->labels = g_new0 (char *, n_points + 1);
  for (guint i = 0; i < n_points; i++)
    self->labels[i] = g_strdup (labels[i]);
  self->n_points = n_points;
  self->seeds = n_seeds > 0 ? g_memdup2 (seeds, n_seeds * sizeof (guint32)) : NULL;
  self->n_seeds = n_seeds;
  self->scenario = scenario;
  for (int f = 0; f < MS_SWEEP_PLOT_N_FIGURES; f++)
    {
      self->values[f] = g_new (double, n_runs (self));
      self->dot_x[f] = g_new (double, n_runs (self));
      self->dot_y[f] = g_new (double, n_runs (self));
      for (guint r = 0; r < n_runs (self); r++)
        self->values[f][r] = self->dot_x[f][r] = self->dot_y[f][r] = NAN;
      self->summary[f] = g_new (Summary, n_points);
      for (guint i = 0; i < n_points; i++)
        self->summary[f][i] = (Summary) { NAN, NAN, NAN };
    }
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ms_sweep_plot_get_n_runs (MsSweepPlot *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_PLOT (self), 0);

  return n_runs (self);
}

void
ms_sweep_plot_set_run (MsSweepPlot *self,
                       guint        index,
                       double       test_target,
                       double       test_proxy)
{
  g_return_if_fail (MS_IS_SWEEP_PLOT (self));
  g_return_if_fail (index < n_runs (self));

  self->values[MS_SWEEP_PLOT_TARGET][index] = test_target;
  self->values[MS_SWEEP_PLOT_PROXY][index] = test_proxy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ms_sweep_plot_set_summary (MsSweepPlot       *self,
                           guint              point,
                           MsSweepPlotFigure  figure,
                           double             mean,
                           double             lo,
                           double             hi)
{
  g_return_if_fail (MS_IS_SWEEP_PLOT (self));
  g_return_if_fail (point < self->n_points && figure < MS_SWEEP_PLOT_N_FIGURES);

  self->summary[figure][point] = (Summary) { mean, lo, hi };
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ms_sweep_plot_get_n_dots (MsSweepPlot *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_PLOT (self), 0);

  return self->n_dots;
}

gboolean
ms_sweep_plot_get_dot (MsSweepPlot       *self,
                       guint              index,
                       MsSweepPlotFigure  figure,
                       double            *x,
                       double            *y)
{
  g_return_val_if_fail (MS_IS_SWEEP_PLOT (self), FALSE);
  g_return_val_if_fail (index < n_runs (self) && figure < MS_SWEEP_PLOT_N_FIGURES, FALSE);

  if (!isfinite (self->dot_x[figure][index]))
    return FALSE;
  *x = self->dot_x[figure][index];
  *y = self->dot_y[figure][index];
  return TRUE;
}
