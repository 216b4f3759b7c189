/* ms-comparison-plot.c: how goal-directed each of several agents is, side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per agent, its name and a few words about it on the left, and three bars drawn as in
 * the Goal-directedness card (ms-goal-plot.c), on one scale from the lowest score to 1: toward
 * its inferred goal, that goal on test levels (held out), and toward the reward. Each bar has
 * its 90 % interval and its value; the tooltip gives the numbers behind it. The figures are the
 * last records of runs trained to their end (SimComparison); an agent still training says so.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-comparison-plot.h"
#include "ms-goal-plot.h"

#define MAX_AGENTS 8

/* The scores of each agent, top to bottom. */
static const SimTrainGoal measures[] = {
  SIM_TRAIN_GOAL_INFERRED,
  SIM_TRAIN_GOAL_HELD_OUT,
  SIM_TRAIN_GOAL_BASE,
};

#define N_MEASURES G_N_ELEMENTS (measures)

typedef struct
{
  char *name;
  char *description;
  gboolean measured;
  SimTrainRecord record;

  /* Geometry of the last drawing, for hover: each bar's row. */
  gboolean drawn;
  double bar_top[N_MEASURES];
  double bar_bottom[N_MEASURES];
} Agent;

struct _MsComparisonPlot
{
  MsPlot parent_instance;

  Agent agents[MAX_AGENTS];
  int n_agents;
  double left;                  /* the rows' horizontal extent in the last drawing */
  double right;
};

G_DEFINE_FINAL_TYPE (MsComparisonPlot, ms_comparison_plot, MS_TYPE_PLOT)

static gboolean
has_score (const Agent *agent,
           SimTrainGoal goal)
{
  return agent->measured && !isnan (agent->record.goal[goal]);
}

static gboolean
has_any_score (const Agent *agent)
{
  for (guint k = 0; k < N_MEASURES; k++)
    if (has_score (agent, measures[k]))
      return TRUE;
  return FALSE;
}

/* The left end of the common scale: 0, or below it for negative scores and intervals. */
static double
scale_floor (MsComparisonPlot *self)
{
  double lowest = 0.0;

  for (int i = 0; i < self->n_agents; i++)
    for (guint k = 0; k < N_MEASURES; k++)
      if (has_score (&self->agents[i], measures[k]))
        {
          const SimTrainRecord *r = &self->agents[i].record;

          lowest = MIN (lowest, r->goal[measures[k]]);
          if (!isnan (r->goal_lo[measures[k]]))
            lowest = MIN (lowest, r->goal_lo[measures[k]]);
        }
  return ms_goal_plot_scale_floor (lowest);
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

/* The agent's name and, below it when there is room, its description, centred on the row. */
static void
draw_name (MsPlot      *plot,
           cairo_t     *cr,
           const Agent *agent,
           double       x,
           double       y,
           double       width,
           double       height)
{
  const MsPalette *p = ms_plot_get_palette (plot);
  double label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  double tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  double name_w, desc_w;
  gboolean with_desc;

  ms_plot_text_size (plot, MS_FONT_LABEL, agent->name, &name_w, NULL);
  ms_plot_text_size (plot, MS_FONT_TICK, agent->description, &desc_w, NULL);
  with_desc = desc_w <= width && label_h + tick_h + ms_plot_px (plot, 2) <= height;
  if (name_w > width)
    return;
  if (with_desc)
    {
      double top = y + (height - label_h - tick_h - ms_plot_px (plot, 2)) / 2;

      ms_plot_text (plot, cr, MS_FONT_LABEL, agent->name, x, top, 0, 0, &p->fg);
      ms_plot_text (plot, cr, MS_FONT_TICK, agent->description, x,
                    top + label_h + ms_plot_px (plot, 2), 0, 0, &p->muted);
    }
  else if (label_h <= height)
    ms_plot_text (plot, cr, MS_FONT_LABEL, agent->name, x, y + (height - label_h) / 2, 0, 0,
                  &p->fg);
}

static void
draw_rows (MsComparisonPlot *self,
           cairo_t          *cr,
           double            x,
           double            y,
           double            width,
           double            height)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  double tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  double key_h = tick_h + ms_plot_px (plot, 6);
  double name_w = 0, value_w, bar_x, bar_w, row_h, row_gap, bar_h, bar_gap, x0, hx, hy;
  MsFont value_font;
  gboolean hovering = ms_plot_get_hover (plot, &hx, &hy);
  int n = self->n_agents;

  /* The name column: as wide as the widest name or description, at most 40 %. */
  for (int i = 0; i < n; i++)
    {
      double w;

      ms_plot_text_size (plot, MS_FONT_LABEL, self->agents[i].name, &w, NULL);
      name_w = MAX (name_w, w);
      ms_plot_text_size (plot, MS_FONT_TICK, self->agents[i].description, &w, NULL);
      name_w = MAX (name_w, w);
    }
  name_w = MIN (name_w + ms_plot_px (plot, 16), width * 0.4);
  ms_plot_text_size (plot, MS_FONT_LABEL, "−0.00", &value_w, NULL);
  value_w += ms_plot_px (plot, 8);
  bar_x = x + name_w;
  bar_w = width - name_w - value_w;

  row_gap = ms_plot_px (plot, 14);
  row_h = (height - key_h - (n - 1) * row_gap) / n;
  bar_gap = ms_plot_px (plot, 4);
  bar_h = CLAMP ((row_h - (N_MEASURES - 1) * bar_gap) / N_MEASURES, ms_plot_px (plot, 3),
                 ms_plot_px (plot, 26));
  /* The values beside the bars, in the largest font that leaves them apart. */
  value_font = bar_h + bar_gap >= label_h ? MS_FONT_LABEL
               : bar_h + bar_gap >= tick_h ? MS_FONT_TICK : MS_N_FONTS;
  x0 = scale_floor (self);
  self->left = x;
  self->right = x + width;

  for (int i = 0; i < n; i++)
    {
      Agent *agent = &self->agents[i];
      double top = y + i * (row_h + row_gap);
      double bars_h = N_MEASURES * bar_h + (N_MEASURES - 1) * bar_gap;
      double by = top + (row_h - bars_h) / 2;

      agent->drawn = FALSE;
      draw_name (plot, cr, agent, x, top, name_w - ms_plot_px (plot, 12), row_h);
      if (!has_any_score (agent))
        {
          const char *message = agent->measured ? _("Not measured") : _("Still training…");
          double w;

          ms_plot_text_size (plot, MS_FONT_LABEL, message, &w, NULL);
          if (w <= bar_w + value_w && label_h <= row_h)
            ms_plot_text (plot, cr, MS_FONT_LABEL, message, bar_x, top + (row_h - label_h) / 2,
                          0, 0, &p->muted);
          continue;
        }

      agent->drawn = TRUE;
      for (guint k = 0; k < N_MEASURES; k++)
        {
          SimTrainGoal goal = measures[k];
          MsPlotArea a = { bar_x, by + k * (bar_h + bar_gap), bar_w, bar_h, x0, 1.0, 0, 1 };
          char value[32];

          agent->bar_top[k] = a.y - bar_gap / 2;
          agent->bar_bottom[k] = a.y + a.height + bar_gap / 2;
          if (hovering && hx >= x && hx <= x + width && hy >= agent->bar_top[k] &&
              hy <= agent->bar_bottom[k])
            {
              cairo_rectangle (cr, x - ms_plot_px (plot, 4), agent->bar_top[k],
                               width + ms_plot_px (plot, 8),
                               agent->bar_bottom[k] - agent->bar_top[k]);
              ms_plot_set_color_alpha (cr, &p->grid, 0.6);
              cairo_fill (cr);
            }
          ms_goal_plot_draw_bar (plot, cr, &a, goal, agent->record.goal[goal],
                                 agent->record.goal_lo[goal], agent->record.goal_hi[goal]);
          if (i == 0 && k == 0)
            ms_plot_set_data_area (plot, a.x, a.y, a.width, a.height);
          if (value_font != MS_N_FONTS)
            {
              format_score (value, sizeof value, agent->record.goal[goal]);
              ms_plot_text (plot, cr, value_font, value, x + width, a.y + a.height / 2, 1.0, 0.5,
                            &p->fg);
            }
        }
    }

  ms_goal_plot_draw_key (plot, cr, bar_x, y + height - tick_h, bar_w, x0);
}

static void
ms_comparison_plot_draw (MsPlot  *plot,
                         cairo_t *cr,
                         int      width,
                         int      height)
{
  MsComparisonPlot *self = MS_COMPARISON_PLOT (plot);
  const MsPalette *p = ms_plot_get_palette (plot);
  double pad = ms_plot_px (plot, 10), top;
  MsLegendEntry entries[] = {
    { ms_goal_plot_get_label (SIM_TRAIN_GOAL_INFERRED), &p->inferred, MS_LEGEND_BAR },
    { ms_goal_plot_get_label (SIM_TRAIN_GOAL_HELD_OUT), &p->inferred, MS_LEGEND_HATCHED_BAR },
    { ms_goal_plot_get_label (SIM_TRAIN_GOAL_BASE), &p->base, MS_LEGEND_BAR },
  };

  for (int i = 0; i < self->n_agents; i++)
    self->agents[i].drawn = FALSE;
  top = ms_plot_draw_title_legend (plot, cr, _("How optimizer-like is each agent?"), entries,
                                   G_N_ELEMENTS (entries), width);
  top += ms_plot_px (plot, 6);
  if (self->n_agents == 0)
    ms_plot_draw_message (plot, cr, _("No agents to compare"), pad, top, width - 2 * pad,
                          height - top - pad);
  else
    draw_rows (self, cr, pad, top, width - 2 * pad, height - top - pad);
}

static char *
ms_comparison_plot_describe_at (MsPlot *plot,
                                double  x,
                                double  y)
{
  MsComparisonPlot *self = MS_COMPARISON_PLOT (plot);

  if (x < self->left || x > self->right)
    return NULL;
  for (int i = 0; i < self->n_agents; i++)
    {
      const Agent *agent = &self->agents[i];

      if (!agent->drawn)
        continue;
      for (guint k = 0; k < N_MEASURES; k++)
        {
          SimTrainGoal goal = measures[k];
          const SimTrainRecord *r = &agent->record;
          g_autofree char *score = NULL;

          if (y < agent->bar_top[k] || y > agent->bar_bottom[k])
            continue;
          score = ms_goal_plot_describe_score (goal, r->goal[goal], r->goal_lo[goal],
                                               r->goal_hi[goal], r->goal_nats[goal],
                                               r->goal_decisions[goal]);
          return g_strdup_printf ("%s\n%s", agent->name, score);
        }
    }
  return NULL;
}

static void
ms_comparison_plot_update_state (MsPlot *plot)
{
  MsComparisonPlot *self = MS_COMPARISON_PLOT (plot);
  g_autoptr (GString) text = g_string_new (_("How optimizer-like is each agent?"));

  for (int i = 0; i < self->n_agents; i++)
    {
      const Agent *agent = &self->agents[i];

      g_string_append_printf (text, " %s: ", agent->name);
      if (!agent->measured)
        g_string_append (text, _("Still training…"));
      else if (!has_any_score (agent))
        g_string_append (text, _("Not measured"));
      else
        for (guint k = 0; k < N_MEASURES; k++)
          g_string_append_printf (text, "%s%s %.2f", k > 0 ? ", " : "",
                                  ms_goal_plot_get_label (measures[k]),
                                  agent->record.goal[measures[k]]);
      g_string_append_c (text, '.');
    }
  ms_plot_set_description (plot, text->str);
}

static void
ms_comparison_plot_finalize (GObject *object)
{
  MsComparisonPlot *self = MS_COMPARISON_PLOT (object);

  for (int i = 0; i < self->n_agents; i++)
    {
      g_free (self->agents[i].name);
      g_free (self->agents[i].description);
    }

  G_OBJECT_CLASS (ms_comparison_plot_parent_class)->finalize (object);
}

static void
ms_comparison_plot_class_init (MsComparisonPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  object_class->finalize = ms_comparison_plot_finalize;
  plot_class->draw = ms_comparison_plot_draw;
  plot_class->describe_at = ms_comparison_plot_describe_at;
  plot_class->update_state = ms_comparison_plot_update_state;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "comparison-plot");
}

static void
ms_comparison_plot_init (MsComparisonPlot *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("How optimizer-like each agent is"), -1);
  ms_plot_update_state (MS_PLOT (self));
}

GtkWidget *
ms_comparison_plot_new (void)
{
  return g_object_new (MS_TYPE_COMPARISON_PLOT, NULL);
}

void
ms_comparison_plot_set_agents (MsComparisonPlot   *self,
                               const char * const *names,
                               const char * const *descriptions,
                               int                 n_agents)
{
  g_return_if_fail (MS_IS_COMPARISON_PLOT (self));
  g_return_if_fail (n_agents >= 0 && n_agents <= MAX_AGENTS);

  for (int i = 0; i < self->n_agents; i++)
    {
      g_free (self->agents[i].name);
      g_free (self->agents[i].description);
    }
  memset (self->agents, 0, sizeof self->agents);
  self->n_agents = n_agents;
  for (int i = 0; i < n_agents; i++)
    {
      self->agents[i].name = g_strdup (names[i]);
      self->agents[i].description = g_strdup (descriptions != NULL ? descriptions[i] : "");
    }
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
ms_comparison_plot_get_n_agents (MsComparisonPlot *self)
{
  g_return_val_if_fail (MS_IS_COMPARISON_PLOT (self), 0);

  return self->n_agents;
}

void
ms_comparison_plot_set_result (MsComparisonPlot     *self,
                               int                   index,
                               const SimTrainRecord *record)
{
  g_return_if_fail (MS_IS_COMPARISON_PLOT (self));
  g_return_if_fail (index >= 0 && index < self->n_agents);

  self->agents[index].measured = record != NULL;
  if (record != NULL)
    self->agents[index].record = *record;
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const SimTrainRecord *
ms_comparison_plot_get_result (MsComparisonPlot *self,
                               int               index)
{
  g_return_val_if_fail (MS_IS_COMPARISON_PLOT (self), NULL);
  g_return_val_if_fail (index >= 0 && index < self->n_agents, NULL);

  return self->agents[index].measured ? &self->agents[index].record : NULL;
}
