/* ms-goal-plot.c: how goal-directed the agent is, toward its inferred goal and the reward
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The maximum-entropy goal-directedness of the latest inference (docs/science.md §8), one bar
 * per goal on a scale from 0 (no better than random moves) to 1 (acts exactly like something
 * that optimizes the goal), each with its 90 % interval as a whisker: toward the inferred
 * goal, the same goal on test levels (held out), toward the reward (the base objective), and
 * in teacher mode toward the agent's true goal. The numbers behind each bar, nats per
 * decision and decisions included, are in its tooltip.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-goal-plot.h"

#define MAX_ROWS SIM_TRAIN_N_GOALS

struct _MsGoalPlot
{
  MsPlot parent_instance;

  /* Geometry of the last drawing, for hover: the rows top to bottom. */
  int n_rows;
  SimTrainGoal row_goal[MAX_ROWS];
  double row_top[MAX_ROWS];
  double row_bottom[MAX_ROWS];
  double left;
  double right;
};

G_DEFINE_FINAL_TYPE (MsGoalPlot, ms_goal_plot, MS_TYPE_PLOT)

/* What each score is called, in full and for narrow plots, and what it means. */
static const struct
{
  SimTrainGoal goal;
  const char *label;
  const char *short_label;
  const char *meaning;
} rows[] = {
  { SIM_TRAIN_GOAL_INFERRED, N_("Toward its inferred goal"), N_("Inferred goal"),
    N_("The goal the inference found in its behaviour, scored on the levels inference "
       "watches.") },
  { SIM_TRAIN_GOAL_HELD_OUT, N_("Its goal on test levels"), N_("On test levels"),
    N_("The goal inferred from its behaviour on training levels, scored on test levels: a "
       "habit that only works where it was learned scores low here.") },
  { SIM_TRAIN_GOAL_BASE, N_("Toward the reward"), N_("Reward"),
    N_("The reward it was trained on. An agent can pursue some goal strongly and still not "
       "pursue this one.") },
  { SIM_TRAIN_GOAL_TRUE, N_("Toward its true goal"), N_("True goal"),
    N_("The goal it really has, the answer key of teacher mode.") },
};

static gboolean
has_inference (const SimSnapshot *s)
{
  return s != NULL && s->n_inferences > 0 && s->goal != NULL;
}

/* The latest inference's figure of goal g, or NaN. */
static double
latest (const SimSnapshot *s,
        const double      *values,
        SimTrainGoal       goal)
{
  if (!has_inference (s) || values == NULL)
    return NAN;
  return values[(gsize) (s->n_inferences - 1) * SIM_TRAIN_N_GOALS + goal];
}

static gboolean
measured (const SimSnapshot *s)
{
  return !isnan (latest (s, s != NULL ? s->goal : NULL, SIM_TRAIN_GOAL_INFERRED)) ||
         !isnan (latest (s, s != NULL ? s->goal : NULL, SIM_TRAIN_GOAL_BASE));
}

/* Whether row r is shown: test results only when the lesson shows them, the true goal only in
 * teacher mode and for an agent that has one. */
static gboolean
row_shown (MsPlot            *plot,
           const SimSnapshot *s,
           guint              r)
{
  switch (rows[r].goal)
    {
    case SIM_TRAIN_GOAL_HELD_OUT:
      return !ms_plot_get_test_hidden (plot);
    case SIM_TRAIN_GOAL_TRUE:
      return ms_plot_get_teacher_mode (plot) && s != NULL && s->true_objective != NULL;
    case SIM_TRAIN_GOAL_INFERRED:
    case SIM_TRAIN_GOAL_BASE:
    case SIM_TRAIN_N_GOALS:
    default:
      return TRUE;
    }
}

static const GdkRGBA *
row_color (const MsPalette *p,
           SimTrainGoal     goal)
{
  switch (goal)
    {
    case SIM_TRAIN_GOAL_BASE:
      return &p->base;
    case SIM_TRAIN_GOAL_TRUE:
      return &p->truth;
    case SIM_TRAIN_GOAL_INFERRED:
    case SIM_TRAIN_GOAL_HELD_OUT:
    case SIM_TRAIN_N_GOALS:
    default:
      return &p->inferred;
    }
}

static void
format_score (char   *buf,
              gsize   size,
              double  v)
{
  if (isnan (v))
    g_strlcpy (buf, "–", size);
  else
    g_snprintf (buf, size, "%.2f", v);
}

/* The left end of the scale: 0, or below it (in quarters, to −1 at most) when a score or an
 * interval of a shown row is negative. */
static double
scale_floor (MsPlot            *plot,
             const SimSnapshot *s)
{
  double lowest = 0.0;

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    if (row_shown (plot, s, r))
      {
        double v = latest (s, s->goal, rows[r].goal), lo = latest (s, s->goal_lo, rows[r].goal);

        if (!isnan (v))
          lowest = MIN (lowest, v);
        if (!isnan (lo))
          lowest = MIN (lowest, lo);
      }
  return ms_goal_plot_scale_floor (lowest);
}

/* Draws the first of the texts that fits between x and right; returns whether one did. */
static gboolean
draw_first_fitting (MsPlot        *plot,
                    cairo_t       *cr,
                    MsFont         font,
                    const char   **texts,
                    guint          n_texts,
                    double         x,
                    double         y,
                    double         right,
                    const GdkRGBA *color)
{
  for (guint i = 0; i < n_texts; i++)
    {
      double w;

      ms_plot_text_size (plot, font, texts[i], &w, NULL);
      if (x + w <= right)
        {
          ms_plot_text (plot, cr, font, texts[i], x, y, 0, 0, color);
          return TRUE;
        }
    }
  return FALSE;
}

void
ms_goal_plot_draw_bar (MsPlot           *plot,
                       cairo_t          *cr,
                       const MsPlotArea *a,
                       SimTrainGoal      goal,
                       double            v,
                       double            lo,
                       double            hi)
{
  const MsPalette *p = ms_plot_get_palette (plot);
  const GdkRGBA *color = row_color (p, goal);
  double x0 = ms_plot_area_x (a, 0.0), cy = a->y + a->height / 2, cap = a->height * 0.4;

  /* The track from the scale's floor to 1, with marks at 0.5 and 1. */
  cairo_rectangle (cr, a->x, a->y, a->width, a->height);
  ms_plot_set_color (cr, &p->grid);
  cairo_fill (cr);
  if (!isnan (v))
    {
      double xv = ms_plot_area_x (a, CLAMP (v, a->x0, a->x1));
      double bx = MIN (x0, xv), bw = MAX (fabs (xv - x0), 1.0);

      cairo_rectangle (cr, bx, a->y, bw, a->height);
      if (goal == SIM_TRAIN_GOAL_HELD_OUT)
        {
          /* Hatched: the same goal as the bar above, on other levels. */
          ms_plot_set_color (cr, &p->surface);
          cairo_fill (cr);
          ms_plot_fill_hatch (plot, cr, bx, a->y, bw, a->height, color, ms_plot_px (plot, 4),
                              ms_plot_px (plot, 1.5));
          ms_plot_set_color (cr, color);
          cairo_set_line_width (cr, ms_plot_px (plot, 1.5));
          cairo_rectangle (cr, bx + 0.75, a->y + 0.75, MAX (bw - 1.5, 0.5), a->height - 1.5);
          cairo_stroke (cr);
        }
      else
        {
          ms_plot_set_color (cr, color);
          cairo_fill (cr);
        }
      if (v < a->x0)
        {
          /* Below the scale's floor: an arrowhead at the left end says the bar goes on. */
          double tip = a->x + ms_plot_px (plot, 3), size = MIN (a->height * 0.35,
                                                                ms_plot_px (plot, 6));

          cairo_move_to (cr, tip, cy);
          cairo_line_to (cr, tip + size * 1.4, cy - size);
          cairo_line_to (cr, tip + size * 1.4, cy + size);
          cairo_close_path (cr);
          ms_plot_set_color (cr, &p->surface);
          cairo_fill (cr);
        }
    }
  ms_plot_set_color (cr, &p->axis);
  cairo_set_line_width (cr, ms_plot_px (plot, 1));
  for (int k = 0; k <= 2; k++)
    {
      double x = CLAMP (round (ms_plot_area_x (a, k * 0.5)) + 0.5, a->x + 0.5,
                        a->x + a->width - 0.5);

      cairo_move_to (cr, x, a->y - ms_plot_px (plot, 2));
      cairo_line_to (cr, x, a->y + a->height + ms_plot_px (plot, 2));
    }
  cairo_stroke (cr);

  /* The 90 % interval. */
  if (!isnan (lo) && !isnan (hi))
    {
      double xl = ms_plot_area_x (a, CLAMP (lo, a->x0, a->x1));
      double xh = ms_plot_area_x (a, CLAMP (hi, a->x0, a->x1));

      ms_plot_set_color (cr, &p->fg);
      cairo_set_line_width (cr, ms_plot_px (plot, 2));
      cairo_move_to (cr, xl, cy);
      cairo_line_to (cr, xh, cy);
      cairo_move_to (cr, xl, cy - cap);
      cairo_line_to (cr, xl, cy + cap);
      cairo_move_to (cr, xh, cy - cap);
      cairo_line_to (cr, xh, cy + cap);
      cairo_stroke (cr);
    }
}

static const char *meaning_of_scale (void);

static void
draw_rows (MsGoalPlot  *self,
           cairo_t     *cr,
           SimSnapshot *s,
           double       x,
           double       y,
           double       width,
           double       height)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  double tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  double above = ms_plot_px (plot, 4), key_h = tick_h + ms_plot_px (plot, 4);
  double gap, bar_h, hx, hy, x0, top0 = y;
  guint shown[MAX_ROWS];
  int n = 0;

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    if (row_shown (plot, s, r))
      shown[n++] = r;

  /* Bars as thick as the height allows, between 6 and 40 px; the gaps shrink first, then the
   * key under the scale goes. */
  gap = ms_plot_px (plot, 12);
  bar_h = (height - key_h - n * (label_h + above) - (n - 1) * gap) / n;
  if (bar_h < ms_plot_px (plot, 10))
    {
      gap = ms_plot_px (plot, 4);
      bar_h = (height - key_h - n * (label_h + above) - (n - 1) * gap) / n;
    }
  if (bar_h < ms_plot_px (plot, 6))
    {
      key_h = 0;
      bar_h = (height - n * (label_h + above) - (n - 1) * gap) / n;
    }
  bar_h = CLAMP (bar_h, ms_plot_px (plot, 3), ms_plot_px (plot, 40));

  x0 = scale_floor (plot, s);
  self->left = x;
  self->right = x + width;
  self->n_rows = n;
  for (int i = 0; i < n; i++)
    {
      SimTrainGoal goal = rows[shown[i]].goal;
      const char *names[] = { _(rows[shown[i]].label), _(rows[shown[i]].short_label) };
      double v = latest (s, s->goal, goal);
      MsPlotArea a = { x, y + label_h + above, width, bar_h, x0, 1.0, 0, 1 };
      char value[32];
      double vw;

      self->row_goal[i] = goal;
      self->row_top[i] = y - (i > 0 ? gap / 2 : 0);
      self->row_bottom[i] = a.y + a.height + (i < n - 1 ? gap / 2 : 0);
      if (ms_plot_get_hover (plot, &hx, &hy) && hx >= x && hx <= x + width &&
          hy >= self->row_top[i] && hy <= self->row_bottom[i])
        {
          cairo_rectangle (cr, x - ms_plot_px (plot, 4), self->row_top[i],
                           width + ms_plot_px (plot, 8), self->row_bottom[i] - self->row_top[i]);
          ms_plot_set_color_alpha (cr, &p->grid, 0.6);
          cairo_fill (cr);
        }

      format_score (value, sizeof value, v);
      ms_plot_text_size (plot, MS_FONT_LABEL, value, &vw, NULL);
      ms_plot_text (plot, cr, MS_FONT_LABEL, value, x + width, y, 1.0, 0, &p->fg);
      draw_first_fitting (plot, cr, MS_FONT_LABEL, names, G_N_ELEMENTS (names), x, y,
                          x + width - vw - ms_plot_px (plot, 8), &p->fg);
      ms_goal_plot_draw_bar (plot, cr, &a, goal, v, latest (s, s->goal_lo, goal),
                             latest (s, s->goal_hi, goal));
      if (i == 0)
        ms_plot_set_data_area (plot, a.x, a.y, a.width, a.height);
      y = a.y + a.height + gap;
    }

  /* What the two ends of the scale mean. */
  if (key_h > 0)
    {
      ms_goal_plot_draw_key (plot, cr, x, y - gap + ms_plot_px (plot, 4), width, x0);
      y += ms_plot_px (plot, 4) - gap + ms_plot_font_height (plot, MS_FONT_TICK);
    }

  /* Where the card is taller than its bars, what the scale means, in the room left under them. */
  {
    double room = height - (y - top0);

    if (room >= 3 * label_h)
      ms_plot_draw_message (plot, cr, meaning_of_scale (), x, y, width, room);
  }
}

void
ms_goal_plot_draw_key (MsPlot  *plot,
                       cairo_t *cr,
                       double   x,
                       double   y,
                       double   width,
                       double   x0)
{
  const MsPalette *p = ms_plot_get_palette (plot);
  MsPlotArea a = { x, 0, width, 1, x0, 1.0, 0, 1 };
  double zero = ms_plot_area_x (&a, 0.0);
  const char *ends[][2] = {
    { _("0 = random moves"), _("1 = optimizer") },
    { _("0 = random"), _("1 = optimizer") },
    { "0", "1" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (ends); k++)
    {
      double w0, w1, left;

      ms_plot_text_size (plot, MS_FONT_TICK, ends[k][0], &w0, NULL);
      ms_plot_text_size (plot, MS_FONT_TICK, ends[k][1], &w1, NULL);
      left = MAX (x, zero - w0 / 2);
      if (left + w0 + ms_plot_px (plot, 8) <= x + width - w1)
        {
          ms_plot_text (plot, cr, MS_FONT_TICK, ends[k][0], left, y, 0, 0, &p->muted);
          ms_plot_text (plot, cr, MS_FONT_TICK, ends[k][1], x + width, y, 1.0, 0, &p->muted);
          return;
        }
    }
}

static void
ms_goal_plot_draw (MsPlot  *plot,
                   cairo_t *cr,
                   int      width,
                   int      height)
{
  MsGoalPlot *self = MS_GOAL_PLOT (plot);
  const MsPalette *p = ms_plot_get_palette (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  double pad = ms_plot_px (plot, 10);
  double top = ms_plot_draw_title (plot, cr, _("Goal-directedness"), pad, pad);
  double inner_w = width - 2 * pad;

  self->n_rows = 0;
  if (has_inference (s) && measured (s))
    {
      g_autofree char *when = NULL;
      double title_w, title_h, when_w, label_h = ms_plot_font_height (plot, MS_FONT_LABEL);

      /* Translators: the base iteration the goal-directedness scores were measured after */
      when = g_strdup_printf (_("iteration %d"), s->inference_iteration[s->n_inferences - 1]);
      ms_plot_text_size (plot, MS_FONT_TITLE, _("Goal-directedness"), &title_w, &title_h);
      ms_plot_text_size (plot, MS_FONT_LABEL, when, &when_w, NULL);
      if (title_w + ms_plot_px (plot, 12) + when_w <= inner_w)
        ms_plot_text (plot, cr, MS_FONT_LABEL, when, pad + inner_w,
                      pad + (title_h - label_h) / 2, 1.0, 0, &p->muted);
    }
  top += ms_plot_px (plot, 10);

  if (s == NULL || s->iteration == 0)
    ms_plot_draw_message (plot, cr, _("Press Play to start training"), pad, top, inner_w,
                          height - top - pad);
  else if (!has_inference (s))
    ms_plot_draw_message (plot, cr, _("Waiting for the first inference run"), pad, top,
                          inner_w, height - top - pad);
  else if (!measured (s))
    ms_plot_draw_message (plot, cr,
                          _("Measured in the coin and green-exit scenarios"),
                          pad, top, inner_w, height - top - pad);
  else
    draw_rows (self, cr, s, pad, top, inner_w, height - top - pad);
}

static const char *
meaning_of_scale (void)
{
  return _("1 = acts exactly like something that optimizes this goal; 0 = no better than "
           "random moves.");
}

char *
ms_goal_plot_describe_score (SimTrainGoal goal,
                             double       v,
                             double       lo,
                             double       hi,
                             double       nats,
                             int          decisions)
{
  GString *text = g_string_new (NULL);
  guint r = 0;

  while (r + 1 < G_N_ELEMENTS (rows) && rows[r].goal != goal)
    r++;
  g_string_append_printf (text, "%s: %.2f", _(rows[r].label), v);
  if (!isnan (lo))
    /* Translators: the 90 % interval of a goal-directedness score */
    g_string_append_printf (text, _(" (90 %% interval %.2f to %.2f)"), lo, hi);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("%.3f nats per decision, over %d decisions"), nats, decisions);
  g_string_append_c (text, '\n');
  g_string_append (text, meaning_of_scale ());
  g_string_append_c (text, '\n');
  g_string_append (text, _(rows[r].meaning));
  return g_string_free (text, FALSE);
}

const char *
ms_goal_plot_get_label (SimTrainGoal goal)
{
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    if (rows[r].goal == goal)
      return _(rows[r].label);
  return "";
}

double
ms_goal_plot_scale_floor (double lowest)
{
  return MAX (-1.0, floor (MIN (lowest, 0.0) * 4.0) / 4.0);
}

static char *
ms_goal_plot_describe_at (MsPlot *plot,
                          double  x,
                          double  y)
{
  MsGoalPlot *self = MS_GOAL_PLOT (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);

  if (!has_inference (s) || x < self->left || x > self->right)
    return NULL;
  for (int i = 0; i < self->n_rows; i++)
    {
      SimTrainGoal goal = self->row_goal[i];

      if (y < self->row_top[i] || y > self->row_bottom[i])
        continue;
      return ms_goal_plot_describe_score (goal, latest (s, s->goal, goal),
                                          latest (s, s->goal_lo, goal),
                                          latest (s, s->goal_hi, goal),
                                          latest (s, s->goal_nats, goal),
                                          s->goal_decisions[(gsize) (s->n_inferences - 1) *
                                                            SIM_TRAIN_N_GOALS + goal]);
    }
  return NULL;
}

static void
ms_goal_plot_update_state (MsPlot *plot)
{
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  g_autoptr (GString) text = g_string_new (_("Goal-directedness."));

  g_string_append_c (text, ' ');
  if (s == NULL || s->iteration == 0)
    g_string_append (text, _("No training yet."));
  else if (!has_inference (s))
    g_string_append (text, _("Waiting for the first inference run"));
  else if (!measured (s))
    g_string_append (text, _("Measured in the coin and green-exit scenarios"));
  else
    {
      for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
        {
          double v = latest (s, s->goal, rows[r].goal);

          if (!row_shown (plot, s, r) || isnan (v))
            continue;
          g_string_append_printf (text, "%s: %.2f", _(rows[r].label), v);
          if (!isnan (latest (s, s->goal_lo, rows[r].goal)))
            g_string_append_printf (text, _(" (90 %% interval %.2f to %.2f)"),
                                    latest (s, s->goal_lo, rows[r].goal),
                                    latest (s, s->goal_hi, rows[r].goal));
          g_string_append (text, ". ");
        }
      g_string_append (text, meaning_of_scale ());
    }
  ms_plot_set_description (plot, text->str);
}

static gboolean
ms_goal_plot_needs_redraw (MsPlot      *plot,
                           SimSnapshot *old,
                           SimSnapshot *new_snapshot)
{
  return old->n_inferences != new_snapshot->n_inferences ||
         (old->iteration == 0) != (new_snapshot->iteration == 0) ||
         (old->goal == NULL) != (new_snapshot->goal == NULL) ||
         (old->true_objective == NULL) != (new_snapshot->true_objective == NULL) ||
         !sim_config_equal (&old->config, &new_snapshot->config);
}

static void
ms_goal_plot_class_init (MsGoalPlotClass *klass)
{
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  plot_class->draw = ms_goal_plot_draw;
  plot_class->describe_at = ms_goal_plot_describe_at;
  plot_class->update_state = ms_goal_plot_update_state;
  plot_class->needs_redraw = ms_goal_plot_needs_redraw;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "goal-plot");
}

static void
ms_goal_plot_init (MsGoalPlot *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("How goal-directed the agent is"), -1);
  ms_plot_update_state (MS_PLOT (self));
}
