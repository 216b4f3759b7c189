/* ms-success-plot.c: success rates over training, train vs test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three lines over base iterations: the rate of reaching the target on training levels and on
 * test levels, and the rate of test episodes ending at the proxy (the corner, the green tile).
 * The split between the first two is the headline of the app.
 *
 * Keys and chests draws counts instead, on an axis from 0 to the most keys a level holds: keys
 * collected (dashed) and chests opened (solid) per episode, at train and at test. The headline
 * there is the test pair: keys go up, chests stay low.
 *
 * Behind them, the run a change of settings replaced may show as faint lines (thinner, lighter,
 * no markers), with one legend entry that names the setting that differed
 * (ms_success_plot_set_previous()): the class sees the new run grow beside the old one. It is
 * left out when its lines would mean something else on this axis (counts against rates) and
 * while it has the settings of the run shown (the moment before the new run's first snapshot).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-success-plot.h"
#include "sim-keys.h"

#define MAX_SERIES 4

struct _MsSuccessPlot
{
  MsPlot parent_instance;

  MsPlotArea area;      /* of the last drawing, for hover */
  gboolean has_area;

  SimSnapshot *previous;  /* owned: the run a change replaced, drawn faint; or NULL */
  char *previous_label;   /* its legend entry, e.g. "Before: diversity 0 %" */
};

G_DEFINE_FINAL_TYPE (MsSuccessPlot, ms_success_plot, MS_TYPE_PLOT)

/* One drawn line: which series, its values (n_history of them, or NULL before training), and
 * how it looks. Dashed lines are the proxy's (the corner, the green tile, keys). */
typedef struct
{
  MsSeries id;
  const double *values;
  const GdkRGBA *color;
  gboolean dashed;
  MsMarker marker;
} Series;

static gboolean
is_keys (const SimSnapshot *s)
{
  return s != NULL && s->config.scenario == SIM_SCENARIO_KEYS_CHESTS;
}

/* The series of the snapshot's scenario, in legend order; returns how many. */
static int
get_series (const SimSnapshot *s,
            const MsPalette   *p,
            Series            *series)
{
  if (is_keys (s))
    {
      series[0] = (Series) { MS_SERIES_TRAIN_CHESTS, s->train_chests, &p->train, FALSE,
                             MS_MARKER_CIRCLE };
      series[1] = (Series) { MS_SERIES_TRAIN_KEYS, s->train_keys, &p->train, TRUE,
                             MS_MARKER_DIAMOND };
      series[2] = (Series) { MS_SERIES_TEST_CHESTS, s->test_chests, &p->test, FALSE,
                             MS_MARKER_SQUARE };
      series[3] = (Series) { MS_SERIES_TEST_KEYS, s->test_keys, &p->proxy, TRUE,
                             MS_MARKER_TRIANGLE };
      return 4;
    }
  series[0] = (Series) { MS_SERIES_TRAIN_TARGET, s ? s->train_target : NULL, &p->train, FALSE,
                         MS_MARKER_CIRCLE };
  series[1] = (Series) { MS_SERIES_TEST_TARGET, s ? s->test_target : NULL, &p->test, FALSE,
                         MS_MARKER_SQUARE };
  series[2] = (Series) { MS_SERIES_TEST_PROXY, s ? s->test_proxy : NULL, &p->proxy, TRUE,
                         MS_MARKER_TRIANGLE };
  return 3;
}

static gboolean
is_test_series (MsSeries id)
{
  return id == MS_SERIES_TEST_TARGET || id == MS_SERIES_TEST_PROXY || id == MS_SERIES_TEST_KEYS ||
         id == MS_SERIES_TEST_CHESTS;
}

/* The series the plot shows: without the test lines while test results are withheld. */
static int
get_shown_series (MsPlot            *plot,
                  const SimSnapshot *s,
                  const MsPalette   *p,
                  Series            *series)
{
  int n = get_series (s, p, series), kept = 0;

  for (int k = 0; k < n; k++)
    if (!ms_plot_get_test_hidden (plot) || !is_test_series (series[k].id))
      series[kept++] = series[k];
  return kept;
}

static gboolean
has_history (const SimSnapshot *s)
{
  if (s == NULL || s->n_history <= 0)
    return FALSE;
  if (is_keys (s))
    return s->train_keys != NULL && s->train_chests != NULL && s->test_keys != NULL
           && s->test_chests != NULL;
  return s->train_target != NULL && s->test_target != NULL && s->test_proxy != NULL;
}

/* The previous run to draw faint behind s, or NULL (see the head comment). */
static SimSnapshot *
get_previous (MsSuccessPlot     *self,
              const SimSnapshot *s)
{
  SimSnapshot *prev = self->previous;

  if (prev == NULL || self->previous_label == NULL || !has_history (prev) ||
      is_keys (prev) != is_keys (s) || (s != NULL && sim_config_equal (&prev->config, &s->config)))
    return NULL;
  return prev;
}

static double
series_max (const SimSnapshot *s,
            const Series      *series,
            int                n_series,
            double             m)
{
  if (!has_history (s))
    return m;
  for (int k = 0; k < n_series; k++)
    for (int i = 0; i < s->n_history; i++)
      if (!isnan (series[k].values[i]) && series[k].values[i] > m)
        m = series[k].values[i];
  return m;
}

/* Rates are in [0, 1]. Counts (keys and chests) go from 0 to the keys a test level holds, so
 * the axis stays put while training runs; a larger value makes it grow, the previous run's
 * (prev, may be NULL) too. */
static double
y_max (const SimSnapshot *s,
       const Series      *series,
       int                n_series,
       const SimSnapshot *prev,
       const Series      *prev_series,
       int                n_prev)
{
  double m = is_keys (s) ? SIM_KEYS_TEST_KEYS : 1.0;

  m = series_max (s, series, n_series, m);
  if (prev != NULL)
    m = series_max (prev, prev_series, n_prev, m);
  return m > 1.0 ? ceil (m) : 1.0;
}

static void
format_value (char   *buf,
              gsize   size,
              double  v,
              gboolean percent)
{
  if (percent || isnan (v))
    ms_plot_format_percent (buf, size, v);
  else
    g_snprintf (buf, size, "%.2f", v);
}

static void
ms_success_plot_draw (MsPlot  *plot,
                      cairo_t *cr,
                      int      width,
                      int      height)
{
  MsSuccessPlot *self = MS_SUCCESS_PLOT (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  const MsPalette *p = ms_plot_get_palette (plot);
  SimScenarioKind scenario = s != NULL ? s->config.scenario : SIM_SCENARIO_COIN;
  double pad = ms_plot_px (plot, 10);
  Series series[MAX_SERIES];
  int n_series = get_shown_series (plot, s, p, series);
  SimSnapshot *prev = get_previous (self, s);
  Series prev_series[MAX_SERIES] = { { 0 } };
  int n_prev = prev != NULL ? get_shown_series (plot, prev, p, prev_series) : 0;
  double ymax = y_max (s, series, n_series, prev, prev_series, n_prev);
  gboolean percent = !is_keys (s) && ymax <= 1.0;
  MsLegendEntry legend[MAX_SERIES + 1];
  MsEndLabel ends[MAX_SERIES];
  char bufs[MAX_SERIES][32];
  double top, left, right, bottom, tick_h, label_h, end_w, hx, hy;
  MsPlotArea *a = &self->area;
  int n_ends = 0, n_legend = 0, xmax;

  for (int k = 0; k < n_series; k++, n_legend++)
    {
      legend[k].label = ms_words_series_label (scenario, series[k].id);
      legend[k].color = series[k].color;
      legend[k].kind = series[k].dashed ? MS_LEGEND_DASHED_LINE : MS_LEGEND_LINE;
      legend[k].marker = series[k].marker;
    }
  /* One entry stands for all the faint lines: they keep their series' colours and dashes. */
  if (prev != NULL && n_prev > 0)
    legend[n_legend++] = (MsLegendEntry) { self->previous_label, &p->fg, MS_LEGEND_FAINT_LINE,
                                           MS_MARKER_NONE };

  top = ms_plot_draw_title_legend (plot, cr, is_keys (s) ? _("Keys and chests per episode")
                                                         : _("Success over training"),
                                   legend, n_legend, width);

  tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  label_h = ms_plot_font_height (plot, MS_FONT_LABEL);
  {
    double w100;

    ms_plot_text_size (plot, MS_FONT_TICK, percent ? "100%" : "00.0", &w100, NULL);
    left = pad + w100 + ms_plot_px (plot, 8);
    ms_plot_text_size (plot, MS_FONT_LABEL, percent ? "100%" : "00.00", &end_w, NULL);
    right = width - pad - end_w - ms_plot_px (plot, 8);
  }
  bottom = height - pad - label_h - tick_h - ms_plot_px (plot, 10);

  xmax = s != NULL ? MAX (s->config.iterations, s->n_history) : 0;
  if (prev != NULL)
    xmax = MAX (xmax, prev->n_history);
  a->x = left;
  a->y = top + ms_plot_px (plot, 6);
  a->width = MAX (1.0, right - left);
  a->height = MAX (1.0, bottom - a->y);
  a->x0 = 0;
  a->x1 = MAX (xmax, 1);
  a->y0 = 0;
  a->y1 = ymax;
  self->has_area = TRUE;
  ms_plot_set_data_area (plot, a->x, a->y, a->width, a->height);

  ms_plot_draw_y_grid (plot, cr, a, percent ? 0.25 : is_keys (s) ? 1.0
                                                  : ms_plot_nice_step (0, ymax, 4), percent);
  ms_plot_draw_x_ticks (plot, cr, a, 70);
  ms_plot_text (plot, cr, MS_FONT_LABEL, _("Base iteration"), a->x + a->width / 2,
                height - pad, 0.5, 1.0, &p->muted);

  /* The previous run first, under everything of the current one. */
  for (int k = n_prev - 1; k >= 0; k--)
    ms_plot_draw_faint_series (plot, cr, a, NULL, prev_series[k].values, prev->n_history,
                               prev_series[k].color, prev_series[k].dashed);

  if (!has_history (s))
    {
      ms_plot_draw_message (plot, cr, _("Press Play to start training"),
                            a->x, a->y, a->width, a->height);
      return;
    }

  /* Dashed lines first, so the solid lines are drawn over them. */
  for (int pass = 0; pass < 2; pass++)
    for (int k = n_series - 1; k >= 0; k--)
      if (series[k].dashed == (pass == 0))
        ms_plot_draw_series (plot, cr, a, NULL, series[k].values, s->n_history,
                             series[k].color, series[k].dashed, series[k].marker);

  for (int k = 0; k < n_series; k++)
    {
      double v = series[k].values[s->n_history - 1];

      if (isnan (v))
        continue;
      format_value (bufs[k], sizeof bufs[k], v, percent);
      ends[n_ends].y = ms_plot_area_y (a, v);
      ends[n_ends].text = bufs[k];
      ends[n_ends].color = series[k].color;
      n_ends++;
    }
  /* Next to the newest points; the right margin keeps room for them at the last iteration. */
  ms_plot_draw_end_labels (plot, cr, ends, n_ends,
                           ms_plot_area_x (a, s->n_history) + ms_plot_px (plot, 10),
                           a->y, a->y + a->height);

  /* Hover: a guide at the nearest iteration, with its points highlighted. */
  if (ms_plot_get_hover (plot, &hx, &hy) && ms_plot_area_contains (a, hx, hy))
    {
      int i = CLAMP ((int) lround (a->x0 + (hx - a->x) / a->width * (a->x1 - a->x0)) - 1,
                     0, s->n_history - 1);
      double x = round (ms_plot_area_x (a, i + 1)) + 0.5;

      ms_plot_set_color (cr, &p->axis);
      cairo_set_line_width (cr, ms_plot_px (plot, 1));
      cairo_move_to (cr, x, a->y);
      cairo_line_to (cr, x, a->y + a->height);
      cairo_stroke (cr);
      for (int k = 0; k < n_series; k++)
        {
          double v = series[k].values[i];

          if (isnan (v))
            continue;
          ms_plot_marker (cr, series[k].marker, x, ms_plot_area_y (a, v),
                          ms_plot_px (plot, 13));
          ms_plot_set_color (cr, series[k].color);
          cairo_fill_preserve (cr);
          ms_plot_set_color (cr, &p->fg);
          cairo_set_line_width (cr, ms_plot_px (plot, 2));
          cairo_stroke (cr);
        }
    }
}

static char *
ms_success_plot_describe_at (MsPlot *plot,
                             double  x,
                             double  y)
{
  MsSuccessPlot *self = MS_SUCCESS_PLOT (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  const MsPlotArea *a = &self->area;
  Series series[MAX_SERIES];
  int n_series = get_shown_series (plot, s, ms_plot_get_palette (plot), series);
  SimSnapshot *prev;
  Series prev_series[MAX_SERIES] = { { 0 } };
  int n_prev;
  GString *text;
  gboolean percent;
  int i;

  if (!self->has_area || !has_history (s) || !ms_plot_area_contains (a, x, y))
    return NULL;

  prev = get_previous (self, s);
  n_prev = prev != NULL ? get_shown_series (plot, prev, ms_plot_get_palette (plot), prev_series)
                        : 0;
  percent = !is_keys (s) && y_max (s, series, n_series, prev, prev_series, n_prev) <= 1.0;
  i = CLAMP ((int) lround (a->x0 + (x - a->x) / a->width * (a->x1 - a->x0)) - 1,
             0, s->n_history - 1);
  text = g_string_new (NULL);
  g_string_append_printf (text, _("Iteration %d"), i + 1);
  for (int k = 0; k < n_series; k++)
    {
      char buf[32];

      format_value (buf, sizeof buf, series[k].values[i], percent);
      g_string_append_printf (text, "\n%s: %s",
                              ms_words_series_label (s->config.scenario, series[k].id), buf);
    }
  /* The faint lines at the same iteration, under their legend entry. */
  if (prev != NULL && n_prev > 0 && i < prev->n_history)
    {
      g_string_append_printf (text, "\n%s", self->previous_label);
      for (int k = 0; k < n_prev; k++)
        {
          char buf[32];

          format_value (buf, sizeof buf, prev_series[k].values[i], percent);
          g_string_append_printf (text, "\n%s: %s",
                                  ms_words_series_label (prev->config.scenario, prev_series[k].id),
                                  buf);
        }
    }
  return g_string_free (text, FALSE);
}

static void
ms_success_plot_update_state (MsPlot *plot)
{
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  g_autoptr (GString) text = g_string_new (_("Success over training."));

  if (!has_history (s))
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("No training yet."));
    }
  else
    {
      static const MsPalette no_colors;
      Series series[MAX_SERIES];
      int n_series = get_shown_series (plot, s, &no_colors, series);
      gboolean percent = !is_keys (s) && y_max (s, series, n_series, NULL, NULL, 0) <= 1.0;

      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Iteration %d of %d."), s->n_history,
                              MAX (s->config.iterations, s->n_history));
      for (int k = 0; k < n_series; k++)
        {
          char buf[32];

          format_value (buf, sizeof buf, series[k].values[s->n_history - 1], percent);
          g_string_append_printf (text, " %s %s.",
                                  ms_words_series_label (s->config.scenario, series[k].id), buf);
        }
    }
  if (get_previous (MS_SUCCESS_PLOT (plot), s) != NULL)
    {
      g_string_append_c (text, ' ');
      /* Translators: %s names the previous run, e.g. "Before: diversity 0 %" */
      g_string_append_printf (text, _("Faint lines: %s."),
                              MS_SUCCESS_PLOT (plot)->previous_label);
    }
  ms_plot_set_description (plot, text->str);
}

static void
ms_success_plot_finalize (GObject *object)
{
  MsSuccessPlot *self = MS_SUCCESS_PLOT (object);

  g_clear_pointer (&self->previous, sim_snapshot_unref);
  g_clear_pointer (&self->previous_label, g_free);

  G_OBJECT_CLASS (ms_success_plot_parent_class)->finalize (object);
}

static void
ms_success_plot_class_init (MsSuccessPlotClass *klass)
{
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ms_success_plot_finalize;

  plot_class->draw = ms_success_plot_draw;
  plot_class->describe_at = ms_success_plot_describe_at;
  plot_class->update_state = ms_success_plot_update_state;

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "success-plot");
}

static void
ms_success_plot_init (MsSuccessPlot *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Success over training"), -1);
  ms_plot_update_state (MS_PLOT (self));
}

GtkWidget *
ms_success_plot_new (void)
{
  return g_object_new (MS_TYPE_SUCCESS_PLOT, NULL);
}

void
ms_success_plot_set_snapshot (MsSuccessPlot *self,
                              SimSnapshot   *snapshot)
{
  g_return_if_fail (MS_IS_SUCCESS_PLOT (self));

  ms_plot_set_snapshot (MS_PLOT (self), snapshot);
}

void
ms_success_plot_set_previous (MsSuccessPlot *self,
                              SimSnapshot   *previous,
                              const char    *label)
{
  g_return_if_fail (MS_IS_SUCCESS_PLOT (self));

  if (previous == NULL)
    label = NULL;
  if (previous == self->previous && g_strcmp0 (label, self->previous_label) == 0)
    return;
  if (previous != NULL)
    sim_snapshot_ref (previous);
  g_clear_pointer (&self->previous, sim_snapshot_unref);
  self->previous = previous;
  g_free (self->previous_label);
  self->previous_label = g_strdup (label);
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

SimSnapshot *
ms_success_plot_get_previous (MsSuccessPlot *self)
{
  g_return_val_if_fail (MS_IS_SUCCESS_PLOT (self), NULL);

  return self->previous;
}

const char *
ms_success_plot_get_previous_label (MsSuccessPlot *self)
{
  g_return_val_if_fail (MS_IS_SUCCESS_PLOT (self), NULL);

  return self->previous_label;
}
