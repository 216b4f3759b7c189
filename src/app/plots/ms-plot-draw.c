/* ms-plot-draw.c: drawing helpers of the plots: colours, markers, hatching, the diverging
 * colour map and its colour bar, axes and gridlines, line series (and the faint lines of a
 * previous run), legends and end labels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-plot-private.h"

void
ms_plot_clip_rect (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height)
{
  double x0 = floor (x), y0 = floor (y);

  cairo_rectangle (cr, x0, y0, ceil (x + width) - x0, ceil (y + height) - y0);
  cairo_clip (cr);
}

void
ms_plot_set_color (cairo_t       *cr,
                   const GdkRGBA *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

void
ms_plot_set_color_alpha (cairo_t       *cr,
                         const GdkRGBA *color,
                         double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

void
ms_plot_stroke_on_halo (MsPlot        *plot,
                        cairo_t       *cr,
                        const GdkRGBA *ink,
                        double         lw,
                        double         halo_px,
                        double         halo_alpha)
{
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  ms_plot_set_color_alpha (cr, &ms_plot_get_palette (plot)->surface, halo_alpha);
  cairo_set_line_width (cr, lw + ms_plot_px (plot, halo_px));
  cairo_stroke_preserve (cr);
  ms_plot_set_color (cr, ink);
  cairo_set_line_width (cr, lw);
  cairo_stroke_preserve (cr);
}

void
ms_plot_marker (cairo_t  *cr,
                MsMarker  marker,
                double    x,
                double    y,
                double    size)
{
  double r = size / 2;

  switch (marker)
    {
    case MS_MARKER_CIRCLE:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    case MS_MARKER_SQUARE:
      r *= 0.9;
      cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
      break;
    case MS_MARKER_TRIANGLE:
      r *= 1.15;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r * 0.866, y + r * 0.5);
      cairo_line_to (cr, x - r * 0.866, y + r * 0.5);
      cairo_close_path (cr);
      break;
    case MS_MARKER_DIAMOND:
      r *= 1.2;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r, y);
      cairo_line_to (cr, x, y + r);
      cairo_line_to (cr, x - r, y);
      cairo_close_path (cr);
      break;
    case MS_MARKER_NONE:
    default:
      break;
    }
}

void
ms_plot_hatch (cairo_t *cr,
               double   x,
               double   y,
               double   width,
               double   height,
               double   spacing,
               double   line_width)
{
  if (width <= 0 || height <= 0 || spacing <= 0)
    return;

  cairo_save (cr);
  ms_plot_clip_rect (cr, x, y, width, height);
  cairo_set_line_width (cr, line_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  /* Lines going up to the right, every `spacing` pixels along x. */
  for (double t = -height; t < width; t += spacing)
    {
      cairo_move_to (cr, x + t, y + height);
      cairo_line_to (cr, x + t + height, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
ms_plot_fill_hatch (MsPlot        *self,
                    cairo_t       *cr,
                    double         x,
                    double         y,
                    double         width,
                    double         height,
                    const GdkRGBA *color,
                    double         spacing,
                    double         line_width)
{
  MsPlotPrivate *priv = ms_plot_get_private (self);
  int tile = MAX (2, (int) round (spacing));
  HatchPattern *h = NULL;

  if (width <= 0 || height <= 0)
    return;

  for (int i = 0; i < N_HATCH_PATTERNS; i++)
    if (priv->hatches[i].pattern != NULL && priv->hatches[i].spacing == tile
        && priv->hatches[i].line_width == line_width
        && gdk_rgba_equal (&priv->hatches[i].color, color))
      h = &priv->hatches[i];

  if (h == NULL)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, tile, tile);
      cairo_t *tcr = cairo_create (surface);

      /* One diagonal per tile, with the bits that wrap round the corners. */
      ms_plot_set_color (tcr, color);
      cairo_set_line_width (tcr, line_width);
      for (int k = -1; k <= 1; k++)
        {
          cairo_move_to (tcr, k * tile - 1, tile + 1);
          cairo_line_to (tcr, (k + 1) * tile + 1, -1);
        }
      cairo_stroke (tcr);
      cairo_destroy (tcr);

      h = &priv->hatches[priv->next_hatch];
      priv->next_hatch = (priv->next_hatch + 1) % N_HATCH_PATTERNS;
      g_clear_pointer (&h->pattern, cairo_pattern_destroy);
      h->pattern = cairo_pattern_create_for_surface (surface);
      cairo_pattern_set_extend (h->pattern, CAIRO_EXTEND_REPEAT);
      cairo_surface_destroy (surface);
      h->color = *color;
      h->spacing = tile;
      h->line_width = line_width;
    }

  cairo_save (cr);
  cairo_set_source (cr, h->pattern);
  cairo_rectangle (cr, x, y, width, height);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
ms_palette_diverging (const MsPalette *palette,
                      double           v,
                      double           vmax,
                      GdkRGBA         *out)
{
  double t, pos, frac;
  int i;

  if (isnan (v) || !(vmax > 0))
    {
      *out = palette->diverging[2];
      return;
    }
  t = CLAMP (v / vmax, -1.0, 1.0);
  pos = (t + 1.0) * 2.0;
  i = MIN ((int) pos, 3);
  frac = pos - i;
  out->red = palette->diverging[i].red + frac * (palette->diverging[i + 1].red
                                                 - palette->diverging[i].red);
  out->green = palette->diverging[i].green + frac * (palette->diverging[i + 1].green
                                                     - palette->diverging[i].green);
  out->blue = palette->diverging[i].blue + frac * (palette->diverging[i + 1].blue
                                                   - palette->diverging[i].blue);
  out->alpha = 1.0f;
}

double
ms_plot_nice_step (double lo,
                   double hi,
                   int    max_ticks)
{
  double range = hi - lo;
  double raw, mag, norm;

  if (!(range > 0) || max_ticks < 1)
    return 1.0;
  raw = range / max_ticks;
  mag = pow (10.0, floor (log10 (raw)));
  norm = raw / mag;
  if (norm <= 1.0)
    return mag;
  if (norm <= 2.0)
    return 2.0 * mag;
  if (norm <= 2.5)
    return 2.5 * mag;
  if (norm <= 5.0)
    return 5.0 * mag;
  return 10.0 * mag;
}

static const char *
format_signed (char   *buf,
               gsize   size,
               double  v)
{
  if (fabs (v) < 1e-9)
    g_snprintf (buf, size, "0");
  else if (fabs (v) >= 10)
    g_snprintf (buf, size, "%+.0f", v);
  else
    g_snprintf (buf, size, "%+.2g", v);
  return buf;
}

void
ms_plot_draw_colorbar (MsPlot  *self,
                       cairo_t *cr,
                       double   x,
                       double   y,
                       double   width,
                       double   height,
                       double   vmax,
                       gboolean vertical)
{
  const MsPalette *p = ms_plot_get_palette (self);
  cairo_pattern_t *pattern;
  char buf[32];

  if (vertical)
    pattern = cairo_pattern_create_linear (x, y + height, x, y);
  else
    pattern = cairo_pattern_create_linear (x, y, x + width, y);
  for (int i = 0; i < 5; i++)
    cairo_pattern_add_color_stop_rgb (pattern, i / 4.0, p->diverging[i].red,
                                      p->diverging[i].green, p->diverging[i].blue);
  cairo_rectangle (cr, x, y, width, height);
  cairo_set_source (cr, pattern);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (pattern);
  ms_plot_set_color (cr, &p->axis);
  cairo_set_line_width (cr, ms_plot_px (self, 1.0));
  cairo_stroke (cr);

  if (vertical)
    {
      double lx = x + width + ms_plot_px (self, 4);

      ms_plot_text (self, cr, MS_FONT_TICK, format_signed (buf, sizeof buf, vmax), lx, y, 0, 0.5,
                    &p->muted);
      ms_plot_text (self, cr, MS_FONT_TICK, "0", lx, y + height / 2, 0, 0.5, &p->muted);
      ms_plot_text (self, cr, MS_FONT_TICK, format_signed (buf, sizeof buf, -vmax), lx,
                    y + height, 0, 0.5, &p->muted);
    }
  else
    {
      double ly = y + height + ms_plot_px (self, 2);

      ms_plot_text (self, cr, MS_FONT_TICK, format_signed (buf, sizeof buf, -vmax), x, ly, 0, 0,
                    &p->muted);
      ms_plot_text (self, cr, MS_FONT_TICK, "0", x + width / 2, ly, 0.5, 0, &p->muted);
      ms_plot_text (self, cr, MS_FONT_TICK, format_signed (buf, sizeof buf, vmax), x + width, ly,
                    1, 0, &p->muted);
    }
}

const char *
ms_plot_format_percent (char   *buf,
                        gsize   size,
                        double  v)
{
  if (isnan (v))
    g_strlcpy (buf, "–", size);
  else
    g_snprintf (buf, size, "%.0f%%", 100.0 * v);
  return buf;
}

void
ms_plot_draw_y_grid (MsPlot           *self,
                     cairo_t          *cr,
                     const MsPlotArea *area,
                     double            step,
                     gboolean          percent)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double lw = ms_plot_px (self, 1.0);
  double min_gap = ms_plot_font_height (self, MS_FONT_TICK) * 1.1;
  char buf[32];
  int n;

  /* Fewer gridlines when the labels would touch. */
  while (step < area->y1 - area->y0 && step * area->height / (area->y1 - area->y0) < min_gap)
    step *= 2;
  n = (int) floor ((area->y1 - area->y0) / step + 1e-6);

  cairo_set_line_width (cr, lw);
  for (int i = 0; i <= n; i++)
    {
      double v = area->y0 + i * step;
      double y = round (ms_plot_area_y (area, v)) + 0.5;

      ms_plot_set_color (cr, fabs (v) < 1e-9 ? &p->axis : &p->grid);
      cairo_move_to (cr, area->x, y);
      cairo_line_to (cr, area->x + area->width, y);
      cairo_stroke (cr);

      if (percent)
        ms_plot_format_percent (buf, sizeof buf, v);
      else if (fabs (v) < 1e-9)
        g_strlcpy (buf, "0", sizeof buf);
      else
        g_snprintf (buf, sizeof buf, "%g", round (v * 1000.0) / 1000.0);
      ms_plot_text (self, cr, MS_FONT_TICK, buf, area->x - ms_plot_px (self, 6), y, 1.0, 0.5,
                    &p->muted);
    }
}

void
ms_plot_draw_x_ticks (MsPlot           *self,
                      cairo_t          *cr,
                      const MsPlotArea *area,
                      double            spacing)
{
  const MsPalette *p = ms_plot_get_palette (self);
  int max_ticks = MAX (1, (int) (area->width / ms_plot_px (self, spacing)));
  double step = MAX (1.0, round (ms_plot_nice_step (area->x0, area->x1, max_ticks)));
  double bottom = area->y + area->height;
  char buf[32];

  cairo_set_line_width (cr, ms_plot_px (self, 1.0));
  ms_plot_set_color (cr, &p->axis);
  for (double v = ceil (area->x0 / step) * step; v <= area->x1 + 1e-9; v += step)
    {
      double x = round (ms_plot_area_x (area, v)) + 0.5;

      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom + ms_plot_px (self, 4));
    }
  cairo_stroke (cr);
  for (double v = ceil (area->x0 / step) * step; v <= area->x1 + 1e-9; v += step)
    {
      g_snprintf (buf, sizeof buf, "%.0f", v);
      ms_plot_text (self, cr, MS_FONT_TICK, buf, ms_plot_area_x (area, v),
                    bottom + ms_plot_px (self, 5), 0.5, 0.0, &p->muted);
    }
}

static void
marker_with_halo (MsPlot        *self,
                  cairo_t       *cr,
                  MsMarker       marker,
                  double         x,
                  double         y,
                  double         size,
                  const GdkRGBA *color)
{
  const MsPalette *p = ms_plot_get_palette (self);

  ms_plot_marker (cr, marker, x, y, size);
  ms_plot_set_color (cr, color);
  cairo_fill_preserve (cr);
  ms_plot_set_color (cr, &p->surface);
  cairo_set_line_width (cr, ms_plot_px (self, 1.5));
  cairo_stroke (cr);
}

#define CHUNK_SEGMENTS 48

static void
draw_series (MsPlot           *self,
             cairo_t          *cr,
             const MsPlotArea *area,
             const int        *xs,
             const double     *ys,
             int               n,
             const GdkRGBA    *color,
             gboolean          dashed,
             MsMarker          marker,
             double            line_width)
{
  double dash[2] = { ms_plot_px (self, 7), ms_plot_px (self, 5) };
  int stride = 1, every, last = -1, segments = 0;
  double last_x = 0.0, last_y = 0.0, chunk_length = 0.0, dash_offset = 0.0;
  gboolean pen_down = FALSE;

  if (ys == NULL || n <= 0)
    return;
  /* More points than every other pixel: draw every stride-th one. */
  if (area->width > 0 && n > area->width / 2)
    stride = (int) ceil (n / (area->width / 2));

  cairo_save (cr);
  ms_plot_clip_rect (cr, area->x - ms_plot_px (self, 8), area->y - ms_plot_px (self, 8),
                     area->width + ms_plot_px (self, 16), area->height + ms_plot_px (self, 16));

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, dashed ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  cairo_new_path (cr);
  for (int i = 0; i < n; i += stride)
    {
      double x, y;

      if (isnan (ys[i]))
        {
          pen_down = FALSE;
          continue;
        }
      x = ms_plot_area_x (area, xs != NULL ? xs[i] : i + 1);
      y = ms_plot_area_y (area, ys[i]);
      if (pen_down)
        {
          cairo_line_to (cr, x, y);
          chunk_length += hypot (x - last_x, y - last_y);
        }
      else
        cairo_move_to (cr, x, y);
      pen_down = TRUE;
      last_x = x;
      last_y = y;
      /* Stroke a long, noisy line in pieces: cairo fills one self-overlapping stroke outline
       * in time that grows much faster than its length. The dash pattern carries on. */
      if (++segments % CHUNK_SEGMENTS == 0)
        {
          ms_plot_set_color (cr, color);
          cairo_set_line_width (cr, line_width);
          cairo_set_dash (cr, dash, dashed ? 2 : 0, dash_offset);
          cairo_stroke (cr);
          dash_offset += chunk_length;
          chunk_length = 0.0;
          cairo_move_to (cr, x, y);
        }
    }
  if (stride > 1 && (n - 1) % stride != 0 && !isnan (ys[n - 1]) && pen_down)
    cairo_line_to (cr, ms_plot_area_x (area, xs != NULL ? xs[n - 1] : n),
                   ms_plot_area_y (area, ys[n - 1]));
  ms_plot_set_color (cr, color);
  cairo_set_line_width (cr, line_width);
  cairo_set_dash (cr, dash, dashed ? 2 : 0, dash_offset);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (marker != MS_MARKER_NONE)
    {
      const MsPalette *p = ms_plot_get_palette (self);
      double size = ms_plot_px (self, 8);

      /* All markers of the series in one path, twice: a slightly larger one in the card
       * colour as a halo, then the marker. Fills are much cheaper than strokes. */
      every = MAX (1, (n + 11) / 12);
      for (int pass = 0; pass < 2; pass++)
        {
          double sz = pass == 0 ? size + ms_plot_px (self, 3) : size;

          cairo_new_path (cr);
          last = -1;
          for (int i = 0; i < n; i += every)
            {
              if (isnan (ys[i]))
                continue;
              ms_plot_marker (cr, marker, ms_plot_area_x (area, xs != NULL ? xs[i] : i + 1),
                              ms_plot_area_y (area, ys[i]), sz);
              last = i;
            }
          if (last != n - 1 && !isnan (ys[n - 1]))
            ms_plot_marker (cr, marker, ms_plot_area_x (area, xs != NULL ? xs[n - 1] : n),
                            ms_plot_area_y (area, ys[n - 1]), sz);
          ms_plot_set_color (cr, pass == 0 ? &p->surface : color);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
}

void
ms_plot_draw_series (MsPlot           *self,
                     cairo_t          *cr,
                     const MsPlotArea *area,
                     const int        *xs,
                     const double     *ys,
                     int               n,
                     const GdkRGBA    *color,
                     gboolean          dashed,
                     MsMarker          marker)
{
  draw_series (self, cr, area, xs, ys, n, color, dashed, marker, ms_plot_px (self, 2.5));
}

void
ms_plot_draw_faint_series (MsPlot           *self,
                           cairo_t          *cr,
                           const MsPlotArea *area,
                           const int        *xs,
                           const double     *ys,
                           int               n,
                           const GdkRGBA    *color,
                           gboolean          dashed)
{
  GdkRGBA faint;

  ms_plot_rgba_fade (&faint, color, MS_PLOT_FAINT_ALPHA);
  draw_series (self, cr, area, xs, ys, n, &faint, dashed, MS_MARKER_NONE,
               ms_plot_px (self, MS_PLOT_FAINT_WIDTH));
}

void
ms_plot_draw_swatch (MsPlot              *self,
                     cairo_t             *cr,
                     const MsLegendEntry *entry,
                     double               x,
                     double               y,
                     double               width,
                     double               height)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double cy = y + height / 2;

  switch (entry->kind)
    {
    case MS_LEGEND_FAINT_LINE:
      cairo_move_to (cr, x, cy);
      cairo_line_to (cr, x + width, cy);
      ms_plot_set_color_alpha (cr, entry->color, MS_PLOT_FAINT_ALPHA);
      cairo_set_line_width (cr, ms_plot_px (self, MS_PLOT_FAINT_WIDTH));
      cairo_stroke (cr);
      break;
    case MS_LEGEND_LINE:
    case MS_LEGEND_DASHED_LINE:
      {
        double dash[2] = { ms_plot_px (self, 5), ms_plot_px (self, 3) };

        cairo_move_to (cr, x, cy);
        cairo_line_to (cr, x + width, cy);
        ms_plot_set_color (cr, entry->color);
        cairo_set_line_width (cr, ms_plot_px (self, 2.5));
        cairo_set_dash (cr, dash, entry->kind == MS_LEGEND_DASHED_LINE ? 2 : 0, 0);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        if (entry->marker != MS_MARKER_NONE)
          marker_with_halo (self, cr, entry->marker, x + width / 2, cy, ms_plot_px (self, 8),
                            entry->color);
      }
      break;
    case MS_LEGEND_BAR:
      cairo_rectangle (cr, x, y, width, height);
      ms_plot_set_color (cr, entry->color);
      cairo_fill (cr);
      break;
    case MS_LEGEND_HATCHED_BAR:
      cairo_rectangle (cr, x, y, width, height);
      ms_plot_set_color_alpha (cr, entry->color, 0.22);
      cairo_fill (cr);
      ms_plot_fill_hatch (self, cr, x, y, width, height, entry->color, ms_plot_px (self, 5),
                          ms_plot_px (self, 1.6));
      ms_plot_set_color (cr, entry->color);
      cairo_rectangle (cr, x + 0.5, y + 0.5, width - 1, height - 1);
      cairo_set_line_width (cr, ms_plot_px (self, 1.0));
      cairo_stroke (cr);
      break;
    case MS_LEGEND_OUTLINED_BAR:
      cairo_rectangle (cr, x, y, width, height);
      ms_plot_set_color (cr, &p->surface);
      cairo_fill (cr);
      ms_plot_fill_hatch (self, cr, x, y, width, height, entry->color, ms_plot_px (self, 4),
                          ms_plot_px (self, 1.0));
      ms_plot_set_color (cr, entry->color);
      cairo_set_line_width (cr, ms_plot_px (self, 2.0));
      cairo_rectangle (cr, x + 1, y + 1, width - 2, height - 2);
      cairo_stroke (cr);
      break;
    default:
      break;
    }
}

double
ms_plot_draw_legend (MsPlot              *self,
                     cairo_t             *cr,
                     const MsLegendEntry *entries,
                     int                  n_entries,
                     double               x,
                     double               y,
                     double               max_width,
                     gboolean             draw)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double row_h = ms_plot_font_height (self, MS_FONT_LABEL);
  double gap = ms_plot_px (self, 6), spacing = ms_plot_px (self, 16);
  double cx = x, cy = y;

  for (int i = 0; i < n_entries; i++)
    {
      const MsLegendEntry *e = &entries[i];
      gboolean line = e->kind == MS_LEGEND_LINE || e->kind == MS_LEGEND_DASHED_LINE
                      || e->kind == MS_LEGEND_FAINT_LINE;
      double sw = line ? ms_plot_px (self, 28) : ms_plot_px (self, 14);
      g_auto (GStrv) lines = NULL;
      double tw;
      int n_lines;

      ms_plot_text_size (self, MS_FONT_LABEL, e->label, &tw, NULL);
      if (cx > x && cx + sw + gap + tw > x + max_width)
        {
          cx = x;
          cy += row_h + ms_plot_px (self, 2);
        }
      /* A label wider than the row goes on over several lines, broken at spaces. */
      lines = ms_plot_wrap_words (self, MS_FONT_LABEL, e->label, x + max_width - cx - sw - gap);
      n_lines = g_strv_length (lines);
      if (n_lines > 1)
        {
          tw = 0;
          for (int k = 0; k < n_lines; k++)
            {
              double w;

              ms_plot_text_size (self, MS_FONT_LABEL, lines[k], &w, NULL);
              tw = MAX (tw, w);
            }
        }
      if (draw)
        {
          double sh = line ? row_h : ms_plot_px (self, 12);

          ms_plot_draw_swatch (self, cr, e, cx, cy + (row_h - sh) / 2, sw, sh);
          for (int k = 0; k < n_lines; k++)
            ms_plot_text (self, cr, MS_FONT_LABEL, lines[k], cx + sw + gap, cy + k * row_h, 0, 0,
                          &p->fg);
        }
      cx += sw + gap + tw + spacing;
      if (n_lines > 1)
        {
          /* What follows starts on a row of its own, below the wrapped label. */
          cy += (n_lines - 1) * row_h;
          if (i + 1 < n_entries)
            {
              cx = x;
              cy += row_h + ms_plot_px (self, 2);
            }
        }
    }
  return cy + row_h - y;
}

void
ms_plot_draw_end_labels (MsPlot     *self,
                         cairo_t    *cr,
                         MsEndLabel *labels,
                         int         n_labels,
                         double      x,
                         double      top,
                         double      bottom)
{
  double h = ms_plot_font_height (self, MS_FONT_LABEL);

  /* Insertion sort by y: there are at most a handful. */
  for (int i = 1; i < n_labels; i++)
    for (int j = i; j > 0 && labels[j].y < labels[j - 1].y; j--)
      {
        MsEndLabel t = labels[j];

        labels[j] = labels[j - 1];
        labels[j - 1] = t;
      }
  for (int i = 0; i < n_labels; i++)
    {
      labels[i].y = MAX (labels[i].y, top + h / 2);
      if (i > 0)
        labels[i].y = MAX (labels[i].y, labels[i - 1].y + h);
    }
  for (int i = n_labels - 1; i >= 0; i--)
    {
      labels[i].y = MIN (labels[i].y, bottom - h / 2);
      if (i < n_labels - 1)
        labels[i].y = MIN (labels[i].y, labels[i + 1].y - h);
    }
  for (int i = 0; i < n_labels; i++)
    ms_plot_text (self, cr, MS_FONT_LABEL, labels[i].text, x, labels[i].y, 0, 0.5,
                  labels[i].color);
}
