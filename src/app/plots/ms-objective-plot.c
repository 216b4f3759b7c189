/* ms-objective-plot.c: base vs inferred mesa objective, with the inferred weights over training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Grouped bars per feature: the base objective and the latest inferred mesa objective (both
 * unit norm, the inferred one with a ± whisker), and in teacher mode the agent's true
 * objective as a hatched bar. The coin scenario's positional features sit under one
 * "position: top-right" bracket. Below, a heat strip of the inferred weights over inference
 * runs: rows are features, columns runs.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-objective-plot.h"

struct _MsObjectivePlot
{
  MsPlot parent_instance;

  /* Geometry of the last drawing, for hover. */
  MsPlotArea bars;
  double group_width;
  double strip_x;
  double strip_y;
  double strip_width;
  double row_height;
  gboolean has_geometry;
};

G_DEFINE_FINAL_TYPE (MsObjectivePlot, ms_objective_plot, MS_TYPE_PLOT)

static gboolean
has_features (const SimSnapshot *s)
{
  return s != NULL && s->n_features > 0 && s->feature_names != NULL
         && s->base_objective != NULL;
}

static gboolean
show_truth (MsPlot            *plot,
            const SimSnapshot *s)
{
  return ms_plot_get_teacher_mode (plot) && s != NULL && s->true_objective != NULL;
}

typedef enum
{
  LABELS_ONE_LINE,
  LABELS_TWO_LINES,
  LABELS_ROTATED,
} LabelMode;

/* Writes a feature's display label into buf, one word per line in two-line mode. */
static const char *
feature_text (const char *name,
              LabelMode   mode,
              char       *buf,
              gsize       size)
{
  g_strlcpy (buf, ms_words_feature_label (name), size);
  if (mode == LABELS_TWO_LINES)
    g_strdelimit (buf, " ", '\n');
  return buf;
}

/* How the feature labels fit under groups group_width wide: on one line, one word per line, or
 * rotated; *block_h is the height they take. */
static LabelMode
choose_label_mode (MsPlot            *plot,
                   const SimSnapshot *s,
                   double             group_width,
                   double            *block_h)
{
  double max_line = 0, max_two_w = 0, max_two_h = 0, h = 0;
  char buf[64];

  for (int f = 0; f < s->n_features; f++)
    {
      double w;

      ms_plot_text_size (plot, MS_FONT_TICK,
                         feature_text (s->feature_names[f], LABELS_ONE_LINE, buf, sizeof buf),
                         &w, &h);
      max_line = MAX (max_line, w);
      ms_plot_text_size (plot, MS_FONT_TICK,
                         feature_text (s->feature_names[f], LABELS_TWO_LINES, buf, sizeof buf),
                         &w, &h);
      max_two_w = MAX (max_two_w, w);
      max_two_h = MAX (max_two_h, h);
    }
  if (max_line <= group_width - 2)
    {
      *block_h = ms_plot_font_height (plot, MS_FONT_TICK);
      return LABELS_ONE_LINE;
    }
  if (max_two_w <= group_width - 2)
    {
      *block_h = max_two_h;
      return LABELS_TWO_LINES;
    }
  *block_h = max_line;
  return LABELS_ROTATED;
}

static void
format_weight (char   *buf,
               gsize   size,
               double  v)
{
  if (isnan (v))
    g_strlcpy (buf, "–", size);
  else
    g_snprintf (buf, size, "%+.2f", fabs (v) < 0.005 ? 0.0 : v);
}

static void
draw_bar (cairo_t *cr,
          double   x,
          double   width,
          double   y_zero,
          double   y_value)
{
  double top = MIN (y_zero, y_value), h = fabs (y_value - y_zero);

  cairo_rectangle (cr, x, top, width, MAX (h, 1.0));
}

static void
draw_bars (MsObjectivePlot *self,
           cairo_t         *cr,
           SimSnapshot     *s,
           LabelMode        mode,
           double           label_gap)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  const MsPlotArea *a = &self->bars;
  const double *inferred = sim_snapshot_get_inferred (s);
  const double *sd = NULL;
  gboolean truth = show_truth (plot, s);
  int F = s->n_features, n_bars = 1 + (inferred != NULL) + truth;
  double gw = a->width / F;
  double bw = MIN (gw * 0.78 / n_bars, ms_plot_px (plot, 30));
  double y0 = ms_plot_area_y (a, 0.0), hx, hy;
  double label_y = a->y + a->height + label_gap;
  double max_label_h = 0;
  int first_pos = -1, last_pos = -1;
  char buf[64];

  if (inferred != NULL && s->inferred_sd != NULL)
    sd = s->inferred_sd + (gsize) (s->n_inferences - 1) * F;

  /* The hovered group gets a faint band. */
  if (ms_plot_get_hover (plot, &hx, &hy) && ms_plot_area_contains (a, hx, hy))
    {
      int f = CLAMP ((int) ((hx - a->x) / gw), 0, F - 1);

      cairo_rectangle (cr, a->x + f * gw, a->y, gw, a->height);
      ms_plot_set_color (cr, &p->grid);
      cairo_fill (cr);
    }

  cairo_save (cr);
  ms_plot_clip_rect (cr, a->x, a->y - 1, a->width, a->height + 2);
  for (int f = 0; f < F; f++)
    {
      double gx = a->x + f * gw + (gw - n_bars * bw) / 2;
      int b = 0;

      if (!isnan (s->base_objective[f]))
        {
          draw_bar (cr, gx, bw, y0, ms_plot_area_y (a, s->base_objective[f]));
          ms_plot_set_color (cr, &p->base);
          cairo_fill (cr);
        }
      b++;

      if (inferred != NULL)
        {
          double bx = gx + b * bw;

          if (!isnan (inferred[f]))
            {
              draw_bar (cr, bx, bw, y0, ms_plot_area_y (a, inferred[f]));
              ms_plot_set_color (cr, &p->inferred);
              cairo_fill (cr);
              if (sd != NULL && !isnan (sd[f]) && sd[f] > 0)
                {
                  double cx = round (bx + bw / 2) + 0.5;
                  double ylo = ms_plot_area_y (a, inferred[f] - sd[f]);
                  double yhi = ms_plot_area_y (a, inferred[f] + sd[f]);
                  double cap = bw * 0.3;

                  ms_plot_set_color (cr, &p->fg);
                  cairo_set_line_width (cr, ms_plot_px (plot, 1.5));
                  cairo_move_to (cr, cx, ylo);
                  cairo_line_to (cr, cx, yhi);
                  cairo_move_to (cr, cx - cap, ylo);
                  cairo_line_to (cr, cx + cap, ylo);
                  cairo_move_to (cr, cx - cap, yhi);
                  cairo_line_to (cr, cx + cap, yhi);
                  cairo_stroke (cr);
                }
            }
          b++;
        }

      if (truth && !isnan (s->true_objective[f]))
        {
          double bx = gx + b * bw;
          double yv = ms_plot_area_y (a, s->true_objective[f]);
          double top = MIN (y0, yv), h = MAX (fabs (yv - y0), 1.0);

          cairo_rectangle (cr, bx, top, bw, h);
          ms_plot_set_color_alpha (cr, &p->truth, 0.22);
          cairo_fill (cr);
          ms_plot_fill_hatch (plot, cr, bx, top, bw, h, &p->truth, ms_plot_px (plot, 5),
                              ms_plot_px (plot, 1.6));
          ms_plot_set_color (cr, &p->truth);
          cairo_rectangle (cr, bx + 0.75, top + 0.75, bw - 1.5, MAX (h - 1.5, 0.5));
          cairo_set_line_width (cr, ms_plot_px (plot, 1.5));
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);

  /* The zero line, over the bars' feet. */
  ms_plot_set_color (cr, &p->axis);
  cairo_set_line_width (cr, ms_plot_px (plot, 1));
  cairo_move_to (cr, a->x, round (y0) + 0.5);
  cairo_line_to (cr, a->x + a->width, round (y0) + 0.5);
  cairo_stroke (cr);

  /* Feature labels, and the bracket over the positional group. */
  for (int f = 0; f < F; f++)
    {
      const char *text = feature_text (s->feature_names[f], mode, buf, sizeof buf);
      double w, h;

      ms_plot_text_size (plot, MS_FONT_TICK, text, &w, &h);
      if (mode == LABELS_ROTATED)
        {
          /* Reading upwards, ending just under the axis. */
          ms_plot_text_vertical (plot, cr, MS_FONT_TICK, text, a->x + (f + 0.5) * gw,
                                 label_y + w / 2, &p->fg);
          h = w;
        }
      else
        ms_plot_text (plot, cr, MS_FONT_TICK, text, a->x + (f + 0.5) * gw, label_y, 0.5, 0,
                      &p->fg);
      max_label_h = MAX (max_label_h, h);
      if (ms_words_feature_is_position (s->feature_names[f]))
        {
          if (first_pos < 0)
            first_pos = f;
          last_pos = f;
        }
    }
  if (first_pos >= 0 && last_pos > first_pos)
    {
      /* A bracket under the positional features, its label set into the line. */
      const char *label = _("position: top-right");
      double bx0 = a->x + first_pos * gw + ms_plot_px (plot, 4);
      double bx1 = a->x + (last_pos + 1) * gw - ms_plot_px (plot, 4);
      double th, tw, by, tick = ms_plot_px (plot, 5), mid = (bx0 + bx1) / 2;

      ms_plot_text_size (plot, MS_FONT_TICK, label, &tw, &th);
      ms_plot_set_color (cr, &p->muted);
      cairo_set_line_width (cr, ms_plot_px (plot, 1.5));
      if (tw + 2 * ms_plot_px (plot, 10) <= bx1 - bx0)
        {
          by = round (label_y + max_label_h + th / 2 + ms_plot_px (plot, 1)) + 0.5;
          cairo_move_to (cr, bx0, by - tick);
          cairo_line_to (cr, bx0, by);
          cairo_line_to (cr, mid - tw / 2 - ms_plot_px (plot, 5), by);
          cairo_move_to (cr, mid + tw / 2 + ms_plot_px (plot, 5), by);
          cairo_line_to (cr, bx1, by);
          cairo_line_to (cr, bx1, by - tick);
          cairo_stroke (cr);
          ms_plot_text (plot, cr, MS_FONT_TICK, label, mid, by, 0.5, 0.5, &p->muted);
        }
      else
        {
          /* Wider than the group: the line first, the label under it. */
          by = round (label_y + max_label_h + ms_plot_px (plot, 3)) + 0.5;
          cairo_move_to (cr, bx0, by - tick);
          cairo_line_to (cr, bx0, by);
          cairo_line_to (cr, bx1, by);
          cairo_line_to (cr, bx1, by - tick);
          cairo_stroke (cr);
          ms_plot_text (plot, cr, MS_FONT_TICK, label, CLAMP (mid, a->x + tw / 2,
                                                               a->x + a->width - tw / 2),
                        by + ms_plot_px (plot, 1), 0.5, 0, &p->muted);
        }
    }
}

/* The strip's title row and the gap under it: room for the colour bar's top label, which is
 * centred on the strip's top edge. */
static double
strip_header_height (MsPlot *plot)
{
  return ms_plot_font_height (plot, MS_FONT_LABEL) +
         MAX (ms_plot_px (plot, 4), ms_plot_font_height (plot, MS_FONT_TICK) / 2 + 1);
}

static void
draw_strip (MsObjectivePlot *self,
            cairo_t         *cr,
            SimSnapshot     *s,
            double           label_x,
            double           x,
            double           y,
            double           width,
            double           height)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  int F = s->n_features, n = s->n_inferences;
  double label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  double bar_w = ms_plot_px (plot, 10), legend_w;
  double row_h, col_w, hx, hy, tw, header_h;
  const char *title;
  char buf[64];
  int stride = 1;

  ms_plot_text_size (plot, MS_FONT_TICK, "+0.5", &legend_w, NULL);
  legend_w += bar_w + ms_plot_px (plot, 14);
  width -= legend_w;

  /* The title ends over the strip, clear of the colour bar's top label; a shorter one when
   * the plot is narrow. */
  title = _("Inferred mesa weights over training");
  ms_plot_text_size (plot, MS_FONT_LABEL, title, &tw, NULL);
  if (label_x + tw > x + width)
    {
      title = _("Inferred weights");
      ms_plot_text_size (plot, MS_FONT_LABEL, title, &tw, NULL);
    }
  ms_plot_text (plot, cr, MS_FONT_LABEL, title, label_x, y, 0, 0, &p->fg);
  if (n > 0 && s->inference_iteration != NULL)
    {
      if (n > 1)
        g_snprintf (buf, sizeof buf, _("iterations %d–%d"), s->inference_iteration[0],
                    s->inference_iteration[n - 1]);
      else
        g_snprintf (buf, sizeof buf, _("iteration %d"), s->inference_iteration[0]);
      double rw;

      ms_plot_text_size (plot, MS_FONT_TICK, buf, &rw, NULL);
      /* Right-aligned over the strip, clear of the colour bar's top label beside it. */
      if (label_x + tw + ms_plot_px (plot, 12) + rw <= x + width)
        ms_plot_text (plot, cr, MS_FONT_TICK, buf, x + width, y + label_h / 2, 1, 0.5,
                      &p->muted);
    }
  header_h = strip_header_height (plot);
  y += header_h;
  row_h = floor ((height - header_h) / F);
  if (row_h < 2)
    return;
  self->strip_x = x;
  self->strip_y = y;
  self->strip_width = width;
  self->row_height = row_h;

  for (int f = 0; f < F; f++)
    ms_plot_text (plot, cr, MS_FONT_TICK, ms_words_feature_label (s->feature_names[f]),
                  x - ms_plot_px (plot, 6), y + (f + 0.5) * row_h, 1.0, 0.5, &p->muted);

  if (n <= 0 || s->inferred == NULL)
    {
      cairo_rectangle (cr, x + 0.5, y + 0.5, width - 1, row_h * F - 1);
      ms_plot_set_color (cr, &p->grid);
      cairo_set_line_width (cr, ms_plot_px (plot, 1));
      cairo_stroke (cr);
      ms_plot_draw_message (plot, cr,
                            s->iteration == 0 ? _("Press Play to start training")
                                              : _("Waiting for the first inference run"),
                            x, y, width, row_h * F);
      return;
    }

  col_w = width / n;
  if (col_w < 1.0)
    stride = (int) ceil (1.0 / col_w);
  for (int k = 0; k < n; k += stride)
    {
      double cx = floor (x + k * col_w);
      double cw = ceil (x + (k + stride) * col_w) - cx;

      for (int f = 0; f < F; f++)
        {
          GdkRGBA c;

          ms_palette_diverging (p, s->inferred[(gsize) k * F + f], 1.0, &c);
          ms_plot_set_color (cr, &c);
          cairo_rectangle (cr, cx, y + f * row_h, cw, row_h);
          cairo_fill (cr);
        }
    }
  cairo_rectangle (cr, x + 0.5, y + 0.5, width - 1, row_h * F - 1);
  ms_plot_set_color (cr, &p->axis);
  cairo_set_line_width (cr, ms_plot_px (plot, 1));
  cairo_stroke (cr);

  if (ms_plot_get_hover (plot, &hx, &hy) && hx >= x && hx < x + width && hy >= y
      && hy < y + row_h * F)
    {
      int k = CLAMP ((int) ((hx - x) / col_w), 0, n - 1);
      int f = CLAMP ((int) ((hy - y) / row_h), 0, F - 1);

      cairo_rectangle (cr, x + k * col_w, y + f * row_h, MAX (col_w, 2), row_h);
      ms_plot_set_color (cr, &p->fg);
      cairo_set_line_width (cr, ms_plot_px (plot, 2));
      cairo_stroke (cr);
    }

  ms_plot_draw_colorbar (plot, cr, x + width + ms_plot_px (plot, 8), y, bar_w, row_h * F, 1.0,
                         TRUE);
}

static void
ms_objective_plot_draw (MsPlot  *plot,
                        cairo_t *cr,
                        int      width,
                        int      height)
{
  MsObjectivePlot *self = MS_OBJECTIVE_PLOT (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  const MsPalette *p = ms_plot_get_palette (plot);
  double pad = ms_plot_px (plot, 10);
  MsLegendEntry legend[3];
  int n_legend = 0;
  double top, left, label_w = 0, tick_h, label_h, row_h, strip_h, label_block, bars_bottom;
  LabelMode mode;
  MsPlotArea *a = &self->bars;
  gboolean positions = FALSE;

  legend[n_legend++] = (MsLegendEntry) { _("Base"), &p->base, MS_LEGEND_BAR, 0 };
  legend[n_legend++] = (MsLegendEntry) { _("Inferred mesa"), &p->inferred, MS_LEGEND_BAR, 0 };
  if (show_truth (plot, s))
    legend[n_legend++] = (MsLegendEntry) { _("True mesa"), &p->truth, MS_LEGEND_HATCHED_BAR, 0 };
  top = ms_plot_draw_title_legend (plot, cr, _("Objectives"), legend, n_legend, width);

  if (!has_features (s))
    {
      self->has_geometry = FALSE;
      ms_plot_draw_message (plot, cr, _("Press Play to start training"), pad, top,
                            width - 2 * pad, height - top - pad);
      return;
    }

  /* Left margin: wide enough for the y ticks and the strip's row labels. */
  tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  ms_plot_text_size (plot, MS_FONT_TICK, "−0.5", &label_w, NULL);
  for (int f = 0; f < s->n_features; f++)
    {
      double w;

      ms_plot_text_size (plot, MS_FONT_TICK, ms_words_feature_label (s->feature_names[f]), &w,
                         NULL);
      label_w = MAX (label_w, w);
      positions |= ms_words_feature_is_position (s->feature_names[f]);
    }
  left = pad + label_w + ms_plot_px (plot, 8);

  a->x = left;
  a->y = top + tick_h / 2;
  a->width = MAX (1.0, width - pad - left);
  mode = choose_label_mode (plot, s, a->width / s->n_features, &label_block);
  label_block += ms_plot_px (plot, 3) + (positions ? tick_h + ms_plot_px (plot, 8) : 0);

  /* Height split: the strip's rows get about 40 % of the height, between a line of their
   * labels (shorter rows would stack the labels on one another) and 20 px each; the bars get
   * the rest. When that leaves the bars too short to read, the strip goes: the bars are the
   * point of this plot. */
  row_h = ((height - top - pad) * 0.40 - label_h) / s->n_features;
  row_h = ceil (CLAMP (row_h, tick_h, MAX (tick_h, ms_plot_px (plot, 20))));
  strip_h = strip_header_height (plot) + row_h * s->n_features;
  bars_bottom = height - pad - strip_h - label_block - ms_plot_px (plot, 8);
  if (bars_bottom - a->y < ms_plot_px (plot, 70))
    {
      double tick_w;

      /* Without the strip the margin needs to fit the y ticks only. */
      strip_h = 0;
      ms_plot_text_size (plot, MS_FONT_TICK, "−0.5", &tick_w, NULL);
      a->x = pad + tick_w + ms_plot_px (plot, 8);
      a->width = MAX (1.0, width - pad - a->x);
      mode = choose_label_mode (plot, s, a->width / s->n_features, &label_block);
      label_block += ms_plot_px (plot, 3) + (positions ? tick_h + ms_plot_px (plot, 8) : 0);
      bars_bottom = height - pad - label_block;
    }

  a->height = MAX (1.0, bars_bottom - a->y);
  a->x0 = 0;
  a->x1 = 1;
  a->y0 = -1;
  a->y1 = 1;
  self->group_width = a->width / s->n_features;
  self->has_geometry = TRUE;
  self->row_height = 0;
  ms_plot_set_data_area (plot, a->x, a->y, a->width, a->height);

  ms_plot_draw_y_grid (plot, cr, a, 0.5, FALSE);
  draw_bars (self, cr, s, mode, ms_plot_px (plot, 3));
  if (strip_h > 0)
    draw_strip (self, cr, s, pad, left, height - pad - strip_h, width - pad - left, strip_h);
}

static char *
ms_objective_plot_describe_at (MsPlot *plot,
                               double  x,
                               double  y)
{
  MsObjectivePlot *self = MS_OBJECTIVE_PLOT (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  const double *inferred;
  char b1[32], b2[32], b3[32];

  if (!self->has_geometry || !has_features (s))
    return NULL;
  inferred = sim_snapshot_get_inferred (s);

  if (ms_plot_area_contains (&self->bars, x, y))
    {
      int f = CLAMP ((int) ((x - self->bars.x) / self->group_width), 0, s->n_features - 1);
      GString *text = g_string_new (ms_words_feature_label (s->feature_names[f]));

      format_weight (b1, sizeof b1, s->base_objective[f]);
      g_string_append_printf (text, "\n%s: %s", _("Base objective"), b1);
      if (inferred != NULL)
        {
          format_weight (b2, sizeof b2, inferred[f]);
          if (s->inferred_sd != NULL)
            {
              g_snprintf (b3, sizeof b3, "%.2f",
                          s->inferred_sd[(gsize) (s->n_inferences - 1) * s->n_features + f]);
              g_string_append_printf (text, "\n%s: %s ± %s", _("Inferred mesa objective"), b2,
                                      b3);
            }
          else
            g_string_append_printf (text, "\n%s: %s", _("Inferred mesa objective"), b2);
        }
      if (show_truth (plot, s))
        {
          format_weight (b3, sizeof b3, s->true_objective[f]);
          g_string_append_printf (text, "\n%s: %s", _("True mesa objective"), b3);
        }
      return g_string_free (text, FALSE);
    }

  if (s->n_inferences > 0 && s->inferred != NULL && self->row_height > 0
      && x >= self->strip_x && x < self->strip_x + self->strip_width && y >= self->strip_y
      && y < self->strip_y + self->row_height * s->n_features)
    {
      int k = CLAMP ((int) ((x - self->strip_x) / (self->strip_width / s->n_inferences)), 0,
                     s->n_inferences - 1);
      int f = CLAMP ((int) ((y - self->strip_y) / self->row_height), 0, s->n_features - 1);

      format_weight (b1, sizeof b1, s->inferred[(gsize) k * s->n_features + f]);
      return g_strdup_printf (_("%s after iteration %d: %s"),
                              ms_words_feature_label (s->feature_names[f]),
                              s->inference_iteration != NULL ? s->inference_iteration[k] : k,
                              b1);
    }
  return NULL;
}

static void
append_vector (GString            *text,
               const SimSnapshot  *s,
               const double       *v,
               const double       *sd)
{
  char buf[32], sdbuf[32];

  for (int f = 0; f < s->n_features; f++)
    {
      format_weight (buf, sizeof buf, v[f]);
      if (sd != NULL && !isnan (sd[f]))
        {
          g_snprintf (sdbuf, sizeof sdbuf, "%.2f", sd[f]);
          g_string_append_printf (text, "%s %s %s ± %s", f > 0 ? "," : "",
                                  ms_words_feature_label (s->feature_names[f]), buf, sdbuf);
        }
      else
        g_string_append_printf (text, "%s %s %s", f > 0 ? "," : "",
                                ms_words_feature_label (s->feature_names[f]), buf);
    }
  g_string_append_c (text, '.');
}

static void
ms_objective_plot_update_state (MsPlot *plot)
{
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  g_autoptr (GString) text = g_string_new (_("Objectives, unit norm."));
  const double *inferred;

  if (!has_features (s))
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("No training yet."));
      ms_plot_set_description (plot, text->str);
      return;
    }

  g_string_append_c (text, ' ');
  g_string_append (text, _("Base objective:"));
  append_vector (text, s, s->base_objective, NULL);

  inferred = sim_snapshot_get_inferred (s);
  g_string_append_c (text, ' ');
  if (inferred != NULL)
    {
      int last = s->n_inferences - 1;

      g_string_append_printf (text, _("Inferred mesa objective after iteration %d:"),
                              s->inference_iteration != NULL ? s->inference_iteration[last]
                                                             : s->iteration);
      append_vector (text, s, inferred,
                     s->inferred_sd != NULL ? s->inferred_sd + (gsize) last * s->n_features
                                            : NULL);
    }
  else
    g_string_append (text, _("No inferred mesa objective yet."));

  if (show_truth (plot, s))
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("True mesa objective:"));
      append_vector (text, s, s->true_objective, NULL);
    }
  ms_plot_set_description (plot, text->str);
}

/* The bars change with an inference, and in teacher mode with the agent's true θ (every
 * iteration); the base objective only with the configuration. */
static gboolean
ms_objective_plot_needs_redraw (MsPlot      *plot,
                                SimSnapshot *old,
                                SimSnapshot *new_snapshot)
{
  if (old->n_inferences != new_snapshot->n_inferences ||
      old->n_features != new_snapshot->n_features ||
      (old->iteration == 0) != (new_snapshot->iteration == 0) ||
      !sim_config_equal (&old->config, &new_snapshot->config) ||
      (old->true_objective == NULL) != (new_snapshot->true_objective == NULL))
    return TRUE;
  if (ms_plot_get_teacher_mode (plot) && new_snapshot->true_objective != NULL &&
      memcmp (old->true_objective, new_snapshot->true_objective,
              sizeof (double) * new_snapshot->n_features) != 0)
    return TRUE;
  return FALSE;
}

static void
ms_objective_plot_class_init (MsObjectivePlotClass *klass)
{
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  plot_class->draw = ms_objective_plot_draw;
  plot_class->describe_at = ms_objective_plot_describe_at;
  plot_class->update_state = ms_objective_plot_update_state;
  plot_class->needs_redraw = ms_objective_plot_needs_redraw;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "objective-plot");
}

static void
ms_objective_plot_init (MsObjectivePlot *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Base and inferred mesa objective"), -1);
  ms_plot_update_state (MS_PLOT (self));
}

GtkWidget *
ms_objective_plot_new (void)
{
  return g_object_new (MS_TYPE_OBJECTIVE_PLOT, NULL);
}

void
ms_objective_plot_set_snapshot (MsObjectivePlot *self,
                                SimSnapshot     *snapshot)
{
  g_return_if_fail (MS_IS_OBJECTIVE_PLOT (self));

  ms_plot_set_snapshot (MS_PLOT (self), snapshot);
}
