/* ms-alignment-plot.c: predicted vs measured test behaviour, and cosine agreement over training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two pairs of bars: how often test episodes reach the target and end at the proxy, measured
 * (latest history entry) next to what the inferred objective predicts (latest inference).
 * Beside or below them, cos(inferred, base) over training, and cos(inferred, true) in teacher
 * mode, named in words a class follows ("Its goal matches the reward"); the formula is in the
 * tooltip and the description.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-alignment-plot.h"

struct _MsAlignmentPlot
{
  MsPlot parent_instance;

  /* Geometry of the last drawing, for hover. */
  MsPlotArea bars;
  MsPlotArea lines;
  gboolean has_geometry;
};

G_DEFINE_FINAL_TYPE (MsAlignmentPlot, ms_alignment_plot, MS_TYPE_PLOT)

typedef struct
{
  double measured[2];   /* target, proxy; NaN when unknown */
  double predicted[2];
} Behaviour;

static gboolean
has_inference (const SimSnapshot *s)
{
  return s != NULL && s->n_inferences > 0;
}

static gboolean
show_truth (MsPlot            *plot,
            const SimSnapshot *s)
{
  /* An agent without a parametric objective (the Q-learner) has no true goal to compare
   * with: no legend entry for a line that would never be drawn. */
  return ms_plot_get_teacher_mode (plot) && s != NULL && s->cos_true != NULL &&
         s->true_objective != NULL;
}

static void
get_behaviour (const SimSnapshot *s,
               Behaviour         *b)
{
  b->measured[0] = b->measured[1] = NAN;
  b->predicted[0] = b->predicted[1] = NAN;
  if (s == NULL)
    return;
  if (s->n_history > 0 && s->test_target != NULL && s->test_proxy != NULL)
    {
      b->measured[0] = s->test_target[s->n_history - 1];
      b->measured[1] = s->test_proxy[s->n_history - 1];
    }
  if (has_inference (s) && s->predicted_target != NULL && s->predicted_proxy != NULL)
    {
      b->predicted[0] = s->predicted_target[s->n_inferences - 1];
      b->predicted[1] = s->predicted_proxy[s->n_inferences - 1];
    }
}

/* What the two cosines are called on screen. */
#define BASE_LABEL N_("Its goal matches the reward")
#define TRUE_LABEL N_("Its goal matches its true goal")

/* The legend's name for the hatched bars: before the first inference it says when they come
 * (a line of its own under the bars was cut off, or ran into two-line group labels). */
static const char *
predicted_label (const SimSnapshot *s)
{
  if (!has_inference (s) && s != NULL && s->n_history > 0)
    return _("predicted after the first inference run");
  return _("predicted");
}

/* 0..1 when every cosine is non-negative, else −1..1. */
static double
cos_floor (MsPlot            *plot,
           const SimSnapshot *s)
{
  if (!has_inference (s))
    return 0.0;
  for (int i = 0; i < s->n_inferences; i++)
    {
      if (s->cos_base != NULL && s->cos_base[i] < 0)
        return -1.0;
      if (show_truth (plot, s) && s->cos_true[i] < 0)
        return -1.0;
    }
  return 0.0;
}

/* Heights the two sections need besides their plot areas, mirroring draw_behaviour() and
 * draw_cosines(), so the plot can decide whether both fit. */
static double
behaviour_overhead (MsAlignmentPlot *self,
                    double           width)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  MsLegendEntry legend[2] = {
    { _("measured"), &p->fg, MS_LEGEND_BAR, 0 },
    { predicted_label (ms_plot_get_snapshot (plot)), &p->fg, MS_LEGEND_OUTLINED_BAR, 0 },
  };
  double tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  double label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  double tw, header;

  ms_plot_text_size (plot, MS_FONT_LABEL, _("Test behaviour"), &tw, NULL);
  if (ms_plot_draw_legend (plot, NULL, legend, 2, 0, 0, width - tw - ms_plot_px (plot, 20),
                           FALSE) <= label_h + 0.5)
    header = label_h;
  else
    header = label_h + ms_plot_px (plot, 3)
             + ms_plot_draw_legend (plot, NULL, legend, 2, 0, 0, width, FALSE);
  return header + ms_plot_px (plot, 6) + label_h + 2 * tick_h + ms_plot_px (plot, 8);
}

static double
cosine_overhead (MsAlignmentPlot *self,
                 SimSnapshot     *s,
                 double           width)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  MsLegendEntry legend[2] = {
    { _(BASE_LABEL), &p->cos_base, MS_LEGEND_LINE, MS_MARKER_CIRCLE },
    { _(TRUE_LABEL), &p->cos_true, MS_LEGEND_DASHED_LINE, MS_MARKER_DIAMOND },
  };
  double tick_h = ms_plot_font_height (plot, MS_FONT_TICK);

  return ms_plot_draw_legend (plot, NULL, legend, show_truth (plot, s) ? 2 : 1, 0, 0, width,
                              FALSE)
         + ms_plot_px (plot, 8) + 2 * tick_h + ms_plot_px (plot, 10);
}

/* The name under a group of bars: two lines, split at the space nearest the middle, when the
 * group (gw wide) is too narrow for one. Keys and chests are the shares a test level allows
 * (2 chests opened, 6 keys taken). */
static void
group_label (MsPlot          *plot,
             SimScenarioKind  scenario,
             int              g,
             double           gw,
             char            *label,
             gsize            size)
{
  double lw;

  if (scenario == SIM_SCENARIO_KEYS_CHESTS)
    g_strlcpy (label, g == 1 ? _("keys (of 6)") : _("chests (of 2)"), size);
  else
    g_strlcpy (label, ms_words_behaviour_label (scenario, g == 1), size);
  ms_plot_text_size (plot, MS_FONT_TICK, label, &lw, NULL);
  if (lw > gw - ms_plot_px (plot, 4))
    {
      char *split = NULL;
      gsize middle = strlen (label) / 2;

      for (char *c = strchr (label, ' '); c != NULL; c = strchr (c + 1, ' '))
        if (split == NULL || ABS ((gssize) (c - label) - (gssize) middle) <
                             ABS ((gssize) (split - label) - (gssize) middle))
          split = c;
      if (split != NULL)
        *split = '\n';
    }
}

/* The narrowest width at which the behaviour section's group names, on two lines, stay apart. */
static double
behaviour_min_width (MsAlignmentPlot *self,
                     SimSnapshot     *s)
{
  MsPlot *plot = MS_PLOT (self);
  SimScenarioKind scenario = s != NULL ? s->config.scenario : SIM_SCENARIO_COIN;
  double w100, widest = 0;

  ms_plot_text_size (plot, MS_FONT_TICK, "100%", &w100, NULL);
  for (int g = 0; g < 2; g++)
    {
      char label[64];
      double lw;

      group_label (plot, scenario, g, 0, label, sizeof label);
      ms_plot_text_size (plot, MS_FONT_TICK, label, &lw, NULL);
      widest = MAX (widest, lw);
    }
  return w100 + ms_plot_px (plot, 8) + 2 * (widest + ms_plot_px (plot, 8));
}

static void
draw_behaviour (MsAlignmentPlot *self,
                cairo_t         *cr,
                SimSnapshot     *s,
                double           x,
                double           y,
                double           width,
                double           height)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  SimScenarioKind scenario = s != NULL ? s->config.scenario : SIM_SCENARIO_COIN;
  MsLegendEntry legend[2] = {
    { _("measured"), &p->fg, MS_LEGEND_BAR, 0 },
    { predicted_label (s), &p->fg, MS_LEGEND_OUTLINED_BAR, 0 },
  };
  double tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  double label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  double w100, top, gw, bw, hx, hy;
  MsPlotArea *a = &self->bars;
  Behaviour b;
  char buf[32];

  get_behaviour (s, &b);
  ms_plot_text (plot, cr, MS_FONT_LABEL, _("Test behaviour"), x, y, 0, 0, &p->fg);
  {
    double tw, lw = ms_plot_draw_legend (plot, cr, legend, 2, 0, 0, G_MAXDOUBLE, FALSE);
    double one_row = label_h + 0.5;

    ms_plot_text_size (plot, MS_FONT_LABEL, _("Test behaviour"), &tw, NULL);
    if (lw <= one_row && ms_plot_draw_legend (plot, cr, legend, 2, 0, 0,
                                              width - tw - ms_plot_px (plot, 20), FALSE)
                         <= one_row)
      {
        ms_plot_draw_legend (plot, cr, legend, 2, x + tw + ms_plot_px (plot, 20), y,
                             width - tw - ms_plot_px (plot, 20), TRUE);
        top = y + label_h;
      }
    else
      {
        top = y + label_h + ms_plot_px (plot, 3);
        top += ms_plot_draw_legend (plot, cr, legend, 2, x, top, width, TRUE);
      }
  }
  top += ms_plot_px (plot, 6) + label_h;  /* room for value labels over full bars */

  ms_plot_text_size (plot, MS_FONT_TICK, "100%", &w100, NULL);
  a->x = x + w100 + ms_plot_px (plot, 8);
  a->y = top;
  a->width = MAX (1.0, width - (a->x - x));
  a->height = MAX (1.0, y + height - 2 * tick_h - ms_plot_px (plot, 8) - top);
  a->x0 = 0;
  a->x1 = 2;
  a->y0 = 0;
  a->y1 = 1;
  ms_plot_draw_y_grid (plot, cr, a, 0.5, TRUE);

  gw = a->width / 2;
  bw = MIN (gw * 0.36, ms_plot_px (plot, 44));
  if (ms_plot_get_hover (plot, &hx, &hy) && ms_plot_area_contains (a, hx, hy))
    {
      int g = CLAMP ((int) ((hx - a->x) / gw), 0, 1);

      cairo_rectangle (cr, a->x + g * gw, a->y, gw, a->height);
      ms_plot_set_color (cr, &p->grid);
      cairo_fill (cr);
    }

  for (int g = 0; g < 2; g++)
    {
      const GdkRGBA *color = g == 0 ? &p->test : &p->proxy;
      double gx = a->x + g * gw + gw / 2 - bw - ms_plot_px (plot, 2);
      double y0 = ms_plot_area_y (a, 0);
      double mid = gx + bw + ms_plot_px (plot, 2);   /* between the two bars */
      gboolean apart = FALSE;

      /* Value labels wider than their bars would run into each other over two bars of
       * about the same height: then they stand apart, each on the outer side of the gap. */
      {
        double lw[2] = { 0.0, 0.0 };

        for (int k = 0; k < 2; k++)
          {
            double v = k == 0 ? b.measured[g] : b.predicted[g];

            if (isnan (v))
              continue;
            ms_plot_format_percent (buf, sizeof buf, CLAMP (v, 0.0, 1.0));
            ms_plot_text_size (plot, MS_FONT_LABEL, buf, &lw[k], NULL);
          }
        apart = lw[0] / 2 + lw[1] / 2 + ms_plot_px (plot, 3) > bw + ms_plot_px (plot, 4);
      }

      for (int k = 0; k < 2; k++)
        {
          double v = k == 0 ? b.measured[g] : b.predicted[g];
          double bx = gx + k * (bw + ms_plot_px (plot, 4));
          double yv, bh;

          if (isnan (v))
            {
              ms_plot_text (plot, cr, MS_FONT_TICK, "–", bx + bw / 2, y0, 0.5, 1.0, &p->muted);
              continue;
            }
          v = CLAMP (v, 0.0, 1.0);
          yv = ms_plot_area_y (a, v);
          bh = MAX (y0 - yv, 1.0);
          if (k == 0)
            {
              cairo_rectangle (cr, bx, y0 - bh, bw, bh);
              ms_plot_set_color (cr, color);
              cairo_fill (cr);
            }
          else
            {
              cairo_rectangle (cr, bx, y0 - bh, bw, bh);
              ms_plot_set_color (cr, &p->surface);
              cairo_fill (cr);
              ms_plot_fill_hatch (plot, cr, bx, y0 - bh, bw, bh, color, ms_plot_px (plot, 4),
                                  ms_plot_px (plot, 1));
              ms_plot_set_color (cr, color);
              cairo_rectangle (cr, bx + 1, y0 - bh + 1, bw - 2, MAX (bh - 2, 0.5));
              cairo_set_line_width (cr, ms_plot_px (plot, 2));
              cairo_stroke (cr);
            }
          ms_plot_format_percent (buf, sizeof buf, v);
          if (apart)
            ms_plot_text (plot, cr, MS_FONT_LABEL, buf,
                          k == 0 ? mid - ms_plot_px (plot, 1.5) : mid + ms_plot_px (plot, 1.5),
                          yv - ms_plot_px (plot, 2), k == 0 ? 1.0 : 0.0, 1.0, &p->fg);
          else
            ms_plot_text (plot, cr, MS_FONT_LABEL, buf, bx + bw / 2, yv - ms_plot_px (plot, 2),
                          0.5, 1.0, &p->fg);
        }
      {
        char label[64];

        group_label (plot, scenario, g, gw, label, sizeof label);
        ms_plot_text (plot, cr, MS_FONT_TICK, label, a->x + (g + 0.5) * gw,
                      a->y + a->height + ms_plot_px (plot, 4), 0.5, 0, &p->fg);
      }
    }
}

static void
draw_cosines (MsAlignmentPlot *self,
              cairo_t         *cr,
              SimSnapshot     *s,
              double           x,
              double           y,
              double           width,
              double           height)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  gboolean truth = show_truth (plot, s);
  MsLegendEntry legend[2] = {
    { _(BASE_LABEL), &p->cos_base, MS_LEGEND_LINE, MS_MARKER_CIRCLE },
    { _(TRUE_LABEL), &p->cos_true, MS_LEGEND_DASHED_LINE, MS_MARKER_DIAMOND },
  };
  double tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  double w, end_w, top, hx, hy;
  MsPlotArea *a = &self->lines;
  MsEndLabel ends[2];
  char bufs[2][32];
  int n_ends = 0, xmax;

  top = y + ms_plot_draw_legend (plot, cr, legend, truth ? 2 : 1, x, y, width, TRUE);
  top += ms_plot_px (plot, 8);

  ms_plot_text_size (plot, MS_FONT_TICK, "−0.5", &w, NULL);
  ms_plot_text_size (plot, MS_FONT_LABEL, "−0.00", &end_w, NULL);
  xmax = s != NULL ? MAX (s->config.iterations, s->n_history) : 1;
  if (has_inference (s) && s->inference_iteration != NULL)
    xmax = MAX (xmax, s->inference_iteration[s->n_inferences - 1]);
  a->x = x + w + ms_plot_px (plot, 8);
  a->y = top;
  a->width = MAX (1.0, width - (a->x - x) - end_w - ms_plot_px (plot, 8));
  a->height = MAX (1.0, y + height - 2 * tick_h - ms_plot_px (plot, 10) - top);
  a->x0 = 0;
  a->x1 = MAX (xmax, 1);
  a->y0 = cos_floor (plot, s);
  a->y1 = 1.0;
  ms_plot_set_data_area (plot, a->x, a->y, a->width, a->height);

  ms_plot_draw_y_grid (plot, cr, a,
                       a->y0 < 0 || a->height < ms_plot_px (plot, 110) ? 0.5 : 0.25, FALSE);
  ms_plot_draw_x_ticks (plot, cr, a, 60);
  ms_plot_text (plot, cr, MS_FONT_TICK, _("Base iteration"), a->x + a->width / 2, y + height,
                0.5, 1.0, &p->muted);

  if (!has_inference (s))
    {
      gboolean untrained = s == NULL || s->iteration == 0;

      ms_plot_draw_message (plot, cr,
                            untrained ? _("Press Play to start training")
                                      : _("Waiting for the first inference run"),
                            a->x, a->y, a->width, a->height);
      return;
    }

  if (truth)
    ms_plot_draw_series (plot, cr, a, s->inference_iteration, s->cos_true, s->n_inferences,
                         &p->cos_true, TRUE, MS_MARKER_DIAMOND);
  if (s->cos_base != NULL)
    ms_plot_draw_series (plot, cr, a, s->inference_iteration, s->cos_base, s->n_inferences,
                         &p->cos_base, FALSE, MS_MARKER_CIRCLE);

  for (int k = 0; k < 2; k++)
    {
      const double *v = k == 0 ? s->cos_base : (truth ? s->cos_true : NULL);

      if (v == NULL || isnan (v[s->n_inferences - 1]))
        continue;
      g_snprintf (bufs[k], sizeof bufs[k], "%.2f", v[s->n_inferences - 1]);
      ends[n_ends].y = ms_plot_area_y (a, v[s->n_inferences - 1]);
      ends[n_ends].text = bufs[k];
      ends[n_ends].color = k == 0 ? &p->cos_base : &p->cos_true;
      n_ends++;
    }
  ms_plot_draw_end_labels (plot, cr, ends, n_ends,
                           ms_plot_area_x (a, s->inference_iteration != NULL
                                              ? s->inference_iteration[s->n_inferences - 1]
                                              : s->n_inferences)
                           + ms_plot_px (plot, 10),
                           a->y, a->y + a->height);

  if (ms_plot_get_hover (plot, &hx, &hy) && ms_plot_area_contains (a, hx, hy)
      && s->inference_iteration != NULL)
    {
      double best = G_MAXDOUBLE;
      int i = 0;

      for (int k = 0; k < s->n_inferences; k++)
        {
          double d = fabs (ms_plot_area_x (a, s->inference_iteration[k]) - hx);

          if (d < best)
            {
              best = d;
              i = k;
            }
        }
      hx = round (ms_plot_area_x (a, s->inference_iteration[i])) + 0.5;
      ms_plot_set_color (cr, &p->axis);
      cairo_set_line_width (cr, ms_plot_px (plot, 1));
      cairo_move_to (cr, hx, a->y);
      cairo_line_to (cr, hx, a->y + a->height);
      cairo_stroke (cr);
    }
}

/* Draws text at (x, y) if it ends by right, else the shorter form if that does, else nothing;
 * returns where the next text may start. */
static double
draw_fitting_text (MsPlot        *plot,
                   cairo_t       *cr,
                   const char    *text,
                   const char    *short_text,
                   double         x,
                   double         y,
                   double         right,
                   const GdkRGBA *color)
{
  const char *texts[] = { text, short_text };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      double w;

      ms_plot_text_size (plot, MS_FONT_LABEL, texts[i], &w, NULL);
      if (x + w <= right)
        {
          ms_plot_text (plot, cr, MS_FONT_LABEL, texts[i], x, y, 0, 0, color);
          return x + w + ms_plot_px (plot, 16);
        }
    }
  return x;
}

static void
draw_cosine_text (MsAlignmentPlot *self,
                  cairo_t         *cr,
                  SimSnapshot     *s,
                  double           x,
                  double           y,
                  double           width)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  char buf[128], short_buf[128];
  double right;

  if (!has_inference (s))
    return;
  right = x + width;
  if (s->cos_base != NULL && !isnan (s->cos_base[s->n_inferences - 1]))
    {
      /* Translators: %s is "Its goal matches the reward", %.2f its value */
      g_snprintf (buf, sizeof buf, _("%s: %.2f"), _(BASE_LABEL), s->cos_base[s->n_inferences - 1]);
      /* Translators: a shorter "Its goal matches the reward: %.2f" for narrow plots */
      g_snprintf (short_buf, sizeof short_buf, _("Matches the reward: %.2f"),
                  s->cos_base[s->n_inferences - 1]);
      x = draw_fitting_text (plot, cr, buf, short_buf, x, y, right, &p->cos_base);
    }
  if (show_truth (plot, s) && !isnan (s->cos_true[s->n_inferences - 1]))
    {
      g_snprintf (buf, sizeof buf, _("%s: %.2f"), _(TRUE_LABEL), s->cos_true[s->n_inferences - 1]);
      /* Translators: a shorter "Its goal matches its true goal: %.2f" for narrow plots */
      g_snprintf (short_buf, sizeof short_buf, _("Matches its true goal: %.2f"),
                  s->cos_true[s->n_inferences - 1]);
      draw_fitting_text (plot, cr, buf, short_buf, x, y, right, &p->cos_true);
    }
}

static void
ms_alignment_plot_draw (MsPlot  *plot,
                        cairo_t *cr,
                        int      width,
                        int      height)
{
  MsAlignmentPlot *self = MS_ALIGNMENT_PLOT (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  double pad = ms_plot_px (plot, 10);
  double top = ms_plot_draw_title (plot, cr, _("Alignment"), pad, pad) + ms_plot_px (plot, 6);
  double inner_w = width - 2 * pad, inner_h = height - top - pad;

  if (ms_plot_get_test_hidden (plot))
    {
      /* Everything here is about test levels: a lesson shows it when it comes to them. */
      self->has_geometry = FALSE;
      ms_plot_draw_message (plot, cr, _("Test results come in a later step of the lesson"),
                            pad, top, inner_w, inner_h);
      return;
    }
  self->has_geometry = TRUE;
  if (width >= 1.6 * height)
    {
      /* Wide: bars on the left, cosines on the right. */
      double bw = MAX (inner_w * 0.42, MIN (behaviour_min_width (self, s), inner_w * 0.6));

      draw_behaviour (self, cr, s, pad, top, bw, inner_h);
      draw_cosines (self, cr, s, pad + bw + ms_plot_px (plot, 16), top,
                    inner_w - bw - ms_plot_px (plot, 16), inner_h);
    }
  else
    {
      double gap = ms_plot_px (plot, 8);
      double ob = behaviour_overhead (self, inner_w), oc = cosine_overhead (self, s, inner_w);
      double avail = inner_h - gap - ob - oc;

      /* Both sections when each plot area gets at least 50 px, the bars a little more. */
      if (avail >= 2 * ms_plot_px (plot, 50))
        {
          double bh = ob + avail * 0.55;

          draw_behaviour (self, cr, s, pad, top, inner_w, bh);
          draw_cosines (self, cr, s, pad, top + bh + gap, inner_w, inner_h - bh - gap);
        }
      else
        {
          /* Too short for both: the behaviour bars are the primary readout, the cosines
           * become a line of text under them. */
          double line_h = ms_plot_font_height (plot, MS_FONT_LABEL);

          self->lines = (MsPlotArea) { -1, -1, 0, 0, 0, 1, 0, 1 };
          draw_behaviour (self, cr, s, pad, top, inner_w, inner_h - line_h - gap);
          draw_cosine_text (self, cr, s, pad, height - pad - line_h, inner_w);
        }
    }
}

static char *
ms_alignment_plot_describe_at (MsPlot *plot,
                               double  x,
                               double  y)
{
  MsAlignmentPlot *self = MS_ALIGNMENT_PLOT (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  char b1[32], b2[32];

  if (!self->has_geometry || s == NULL)
    return NULL;

  if (ms_plot_area_contains (&self->bars, x, y))
    {
      int g = CLAMP ((int) ((x - self->bars.x) / (self->bars.width / 2)), 0, 1);
      Behaviour b;

      get_behaviour (s, &b);
      ms_plot_format_percent (b1, sizeof b1, b.measured[g]);
      ms_plot_format_percent (b2, sizeof b2, b.predicted[g]);
      return g_strdup_printf (_("Test: %s\nmeasured %s, predicted %s"),
                              ms_words_behaviour_label (s->config.scenario, g == 1), b1, b2);
    }

  if (has_inference (s) && s->inference_iteration != NULL
      && ms_plot_area_contains (&self->lines, x, y))
    {
      double best = G_MAXDOUBLE;
      GString *text;
      int i = 0;

      for (int k = 0; k < s->n_inferences; k++)
        {
          double d = fabs (ms_plot_area_x (&self->lines, s->inference_iteration[k]) - x);

          if (d < best)
            {
              best = d;
              i = k;
            }
        }
      text = g_string_new (NULL);
      g_string_append_printf (text, _("Iteration %d"), s->inference_iteration[i]);
      if (s->cos_base != NULL)
        g_string_append_printf (text, "\n%s: cos(inferred, base) = %.2f", _(BASE_LABEL),
                                s->cos_base[i]);
      if (show_truth (plot, s) && !isnan (s->cos_true[i]))
        g_string_append_printf (text, "\n%s: cos(inferred, true) = %.2f", _(TRUE_LABEL),
                                s->cos_true[i]);
      g_string_append_c (text, '\n');
      g_string_append (text, _("The cosine between the weights of the two objectives: 1 is the "
                               "same goal, 0 an unrelated one, −1 the opposite"));
      return g_string_free (text, FALSE);
    }
  return NULL;
}

static void
ms_alignment_plot_update_state (MsPlot *plot)
{
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  g_autoptr (GString) text = g_string_new (_("Alignment."));
  Behaviour b;
  char b1[32], b2[32];

  if (ms_plot_get_test_hidden (plot))
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Test results come in a later step of the lesson"));
      g_string_append_c (text, '.');
      ms_plot_set_description (plot, text->str);
      return;
    }
  if (s == NULL || (s->n_history == 0 && !has_inference (s)))
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("No training yet."));
      ms_plot_set_description (plot, text->str);
      return;
    }

  get_behaviour (s, &b);
  for (int g = 0; g < 2; g++)
    {
      ms_plot_format_percent (b1, sizeof b1, b.measured[g]);
      g_string_append_c (text, ' ');
      if (isnan (b.predicted[g]))
        g_string_append_printf (text, _("Test %s: measured %s, no prediction yet."),
                                ms_words_behaviour_label (s->config.scenario, g == 1), b1);
      else
        {
          ms_plot_format_percent (b2, sizeof b2, b.predicted[g]);
          g_string_append_printf (text, _("Test %s: measured %s, predicted %s."),
                                  ms_words_behaviour_label (s->config.scenario, g == 1), b1, b2);
        }
    }
  if (has_inference (s) && s->cos_base != NULL)
    g_string_append_printf (text, " %s: cos(inferred, base) = %.2f.", _(BASE_LABEL),
                            s->cos_base[s->n_inferences - 1]);
  if (has_inference (s) && show_truth (plot, s) && !isnan (s->cos_true[s->n_inferences - 1]))
    g_string_append_printf (text, " %s: cos(inferred, true) = %.2f.", _(TRUE_LABEL),
                            s->cos_true[s->n_inferences - 1]);
  ms_plot_set_description (plot, text->str);
}

static void
ms_alignment_plot_class_init (MsAlignmentPlotClass *klass)
{
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  plot_class->draw = ms_alignment_plot_draw;
  plot_class->describe_at = ms_alignment_plot_describe_at;
  plot_class->update_state = ms_alignment_plot_update_state;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "alignment-plot");
}

static void
ms_alignment_plot_init (MsAlignmentPlot *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Alignment of the inferred mesa objective"), -1);
  ms_plot_update_state (MS_PLOT (self));
}

GtkWidget *
ms_alignment_plot_new (void)
{
  return g_object_new (MS_TYPE_ALIGNMENT_PLOT, NULL);
}

void
ms_alignment_plot_set_snapshot (MsAlignmentPlot *self,
                                SimSnapshot     *snapshot)
{
  g_return_if_fail (MS_IS_ALIGNMENT_PLOT (self));

  ms_plot_set_snapshot (MS_PLOT (self), snapshot);
}
