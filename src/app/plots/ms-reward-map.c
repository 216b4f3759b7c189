/* ms-reward-map.c: base and inferred mesa reward over the shown level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two heat maps of the shown level: the base reward of entering each cell and the reward the
 * inferred mesa objective gives it, each on its own symmetric diverging scale, walls drawn as
 * walls, the rollout path on top. The inferred map lighting up the empty corner is the single
 * most convincing picture of the app.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-reward-map.h"
#include "ms-cell-painter.h"

#define N_MAPS 2

typedef struct
{
  MsCellGrid grid;
  gboolean valid;
} MapGeometry;

struct _MsRewardMap
{
  MsPlot parent_instance;

  SimShownKind shown;
  MapGeometry maps[N_MAPS];
};

enum {
  PROP_0,
  PROP_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsRewardMap, ms_reward_map, MS_TYPE_PLOT)

static const SimShownLevel *
get_shown (const SimSnapshot *s,
           SimShownKind       kind)
{
  const SimShownLevel *shown;

  if (s == NULL || (guint) kind >= SIM_N_SHOWN)
    return NULL;
  shown = &s->shown[kind];
  if (shown->level == NULL || shown->level->width <= 0 || shown->level->height <= 0)
    return NULL;
  return shown;
}

static const double *
map_values (const SimShownLevel *shown,
            int                  map)
{
  return map == 0 ? shown->base_reward : shown->inferred_reward;
}

/* Largest |reward| over non-wall cells, so each map uses its whole colour range. */
static double
map_vmax (const SimShownLevel *shown,
          const double        *v)
{
  const SimLevel *level = shown->level;
  double m = 0;

  for (int i = 0; i < level->width * level->height; i++)
    if (level->cells[i] != SIM_CELL_WALL && !isnan (v[i]) && fabs (v[i]) > m)
      m = fabs (v[i]);
  return m > 0 ? m : 1.0;
}

/* Index of the highest (or lowest) non-wall reward, -1 if none. */
static int
map_extreme (const SimShownLevel *shown,
             const double        *v,
             gboolean             highest)
{
  const SimLevel *level = shown->level;
  int best = -1;

  for (int i = 0; i < level->width * level->height; i++)
    {
      if (level->cells[i] == SIM_CELL_WALL || isnan (v[i]))
        continue;
      if (best < 0 || (highest ? v[i] > v[best] : v[i] < v[best]))
        best = i;
    }
  return best;
}

static void
draw_markers (MsRewardMap       *self,
              cairo_t           *cr,
              const MsCellGrid  *g,
              const SimLevel    *level)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double s = g->cell, x, y;
  double lw = MAX (ms_plot_px (plot, 1.5), s * 0.07);
  double dash[2] = { lw, lw * 1.5 };

  /* Crosses on lava, rings on the target and the other objects (dashed on the green tile),
   * a key outline on keys (so they read apart from chests), each kind in one path: a halo in
   * the card colour, then the text colour. */
  for (int kind = 0; kind < 3; kind++)
    {
      gboolean any = FALSE;

      cairo_new_path (cr);
      for (int i = 0; i < level->width * level->height; i++)
        {
          SimCell c = level->cells[i];
          gboolean ring = sim_cell_is_target (level->scenario, c) || c == SIM_CELL_KEY
                          || c == SIM_CELL_CHEST;

          if ((kind == 0 && c != SIM_CELL_LAVA) || (kind == 1 && !ring)
              || (kind == 2 && c != SIM_CELL_GREEN))
            continue;
          ms_cell_grid_origin (g, i, &x, &y);
          if (kind == 0)
            {
              cairo_move_to (cr, x + s * 0.3, y + s * 0.3);
              cairo_line_to (cr, x + s * 0.7, y + s * 0.7);
              cairo_move_to (cr, x + s * 0.7, y + s * 0.3);
              cairo_line_to (cr, x + s * 0.3, y + s * 0.7);
            }
          else if (c == SIM_CELL_KEY)
            {
              double cy = y + s / 2, r = s * 0.12;

              cairo_new_sub_path (cr);
              cairo_arc (cr, x + s * 0.3, cy, r, 0, 2 * G_PI);
              cairo_move_to (cr, x + s * 0.3 + r, cy);
              cairo_line_to (cr, x + s * 0.78, cy);
              cairo_move_to (cr, x + s * 0.66, cy);
              cairo_line_to (cr, x + s * 0.66, cy + s * 0.14);
              cairo_move_to (cr, x + s * 0.78, cy);
              cairo_line_to (cr, x + s * 0.78, cy + s * 0.17);
            }
          else
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, x + s / 2, y + s / 2, s * 0.28, 0, 2 * G_PI);
            }
          any = TRUE;
        }
      if (!any)
        continue;
      ms_plot_set_color_alpha (cr, &p->surface, 0.8);
      cairo_set_line_width (cr, lw + ms_plot_px (plot, 2));
      cairo_stroke_preserve (cr);
      ms_plot_set_color (cr, &p->fg);
      cairo_set_line_width (cr, lw);
      cairo_set_dash (cr, dash, kind == 2 ? 2 : 0, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  ms_cell_painter_start (plot, cr, g, level);
}

static void
draw_path (MsRewardMap         *self,
           cairo_t             *cr,
           const MsCellGrid    *g,
           const SimShownLevel *shown)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  const SimLevel *level = shown->level;
  int N = level->width * level->height, last = -1;
  double lw = MAX (ms_plot_px (plot, 2.5), g->cell * 0.09), x, y;
  gboolean started = FALSE;

  if (shown->path == NULL || shown->n_path <= 0)
    return;
  cairo_new_path (cr);
  for (int i = 0; i < shown->n_path; i++)
    {
      int c = shown->path[i];

      if (c < 0 || c >= N)
        {
          started = FALSE;
          continue;
        }
      ms_cell_grid_origin (g, c, &x, &y);
      if (started)
        cairo_line_to (cr, x + g->cell / 2, y + g->cell / 2);
      else
        cairo_move_to (cr, x + g->cell / 2, y + g->cell / 2);
      started = TRUE;
      last = c;
    }
  cairo_save (cr);
  ms_plot_stroke_on_halo (plot, cr, &p->fg, lw, 3, 0.85);
  cairo_new_path (cr);
  cairo_restore (cr);
  if (last >= 0)
    {
      /* Where the episode ends: a filled dot. */
      ms_cell_grid_origin (g, last, &x, &y);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + g->cell / 2, y + g->cell / 2, MAX (lw * 1.3, g->cell * 0.13), 0,
                 2 * G_PI);
      ms_plot_set_color (cr, &p->fg);
      cairo_fill_preserve (cr);
      ms_plot_set_color (cr, &p->surface);
      cairo_set_line_width (cr, ms_plot_px (plot, 1.5));
      cairo_stroke (cr);
    }
}

static void
draw_map (MsRewardMap         *self,
          cairo_t             *cr,
          SimSnapshot         *s,
          const SimShownLevel *shown,
          int                  map,
          const char          *title,
          MsFont               title_font,
          double               header_h,
          double               x,
          double               y,
          double               width,
          double               height)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  const SimLevel *level = shown != NULL ? shown->level : NULL;
  const double *v = shown != NULL ? map_values (shown, map) : NULL;
  double tick_h = ms_plot_font_height (plot, MS_FONT_TICK);
  double bar_h = ms_plot_px (plot, 9), top, avail_h, cell, gx, gy;
  MapGeometry *geometry = &self->maps[map];
  MsCellGrid *g = &geometry->grid;
  cairo_surface_t *heat;
  double vmax;
  int W, H;

  ms_plot_text (plot, cr, title_font, title, x, y, 0, 0, &p->fg);
  top = y + header_h + ms_plot_px (plot, 6);
  geometry->valid = FALSE;
  if (level == NULL)
    {
      ms_plot_draw_message (plot, cr, _("Press Play to start training"), x, top, width,
                            y + height - top);
      return;
    }

  W = level->width;
  H = level->height;
  avail_h = y + height - top - bar_h - tick_h - ms_plot_px (plot, 8);
  cell = floor (MIN (width / W, avail_h / H));
  if (cell < 2)
    return;
  gx = round (x + (width - cell * W) / 2);
  gy = round (top);
  *g = (MsCellGrid) { gx, gy, cell, W, H };
  geometry->valid = TRUE;
  if (map == 1)
    ms_plot_set_data_area (plot, gx, gy, W * cell, H * cell);

  vmax = v != NULL ? map_vmax (shown, v) : 1.0;

  if (v == NULL)
    {
      /* Before the first inference there is no map yet: an empty frame the size of the grid
       * says why, with no cells, walls or path under the words. */
      cairo_rectangle (cr, gx + 0.5, gy + 0.5, W * cell - 1, H * cell - 1);
      ms_plot_set_color (cr, &p->floor_line);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      ms_plot_draw_message (plot, cr,
                            s->iteration == 0 ? _("Press Play to start training")
                                              : _("Waiting for the first inference run"),
                            gx + ms_plot_px (plot, 4), gy, W * cell - ms_plot_px (plot, 8),
                            H * cell);
      return;
    }

  /* The cells as a W × H image scaled up without smoothing: one paint instead of one fill per
   * cell. Walls are drawn over it. A fresh image each time (a few hundred bytes): a recording
   * surface may still refer to the previous one. */
  heat = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_surface_flush (heat);
  {
    guchar *data = cairo_image_surface_get_data (heat);
    int stride = cairo_image_surface_get_stride (heat);

    for (int i = 0; i < W * H; i++)
      {
        guint32 *px = (guint32 *) (data + (gsize) (H - 1 - i / W) * stride) + i % W;
        GdkRGBA c;

        if (v != NULL && !isnan (v[i]))
          ms_palette_diverging (p, v[i], vmax, &c);
        else
          c = p->floor;
        *px = ((guint32) lround (c.red * 255) << 16) | ((guint32) lround (c.green * 255) << 8)
              | (guint32) lround (c.blue * 255);
      }
  }
  cairo_surface_mark_dirty (heat);
  cairo_save (cr);
  cairo_translate (cr, gx, gy);
  cairo_scale (cr, cell, cell);
  cairo_set_source_surface (cr, heat, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle (cr, 0, 0, W, H);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_surface_destroy (heat);
  ms_cell_painter_walls (plot, cr, g, level);
  /* Cell borders, so near-zero cells stay visible against the card. */
  ms_cell_painter_grid_lines (plot, cr, g);

  draw_markers (self, cr, g, level);
  draw_path (self, cr, g, shown);
  ms_plot_draw_colorbar (plot, cr, gx, gy + H * cell + ms_plot_px (plot, 6), W * cell, bar_h,
                         vmax, FALSE);

  {
    double hx, hy;
    int hover_x, hover_y;

    if (ms_plot_get_hover (plot, &hx, &hy)
        && ms_cell_grid_cell_at (g, hx, hy, &hover_x, &hover_y))
      ms_cell_painter_hover (plot, cr, g, hover_x, hover_y);
  }
}

static gboolean
same_shown (const SimShownLevel *a,
            const SimShownLevel *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->level == b->level && a->n_path == b->n_path &&
         (a->n_path == 0 || memcmp (a->path, b->path, sizeof (int) * a->n_path) == 0) &&
         (a->inferred_reward == NULL) == (b->inferred_reward == NULL);
}

/* The maps change with an inference, the shown level or its path; not every iteration. */
static gboolean
ms_reward_map_needs_redraw (MsPlot      *plot,
                            SimSnapshot *old,
                            SimSnapshot *new_snapshot)
{
  MsRewardMap *self = MS_REWARD_MAP (plot);

  return old->n_inferences != new_snapshot->n_inferences ||
         (old->iteration == 0) != (new_snapshot->iteration == 0) ||
         !sim_config_equal (&old->config, &new_snapshot->config) ||
         !same_shown (get_shown (old, self->shown), get_shown (new_snapshot, self->shown));
}

/* How a width × height drawing is laid out: the two maps side by side or one above the other,
 * each panel's size, the titles (shrunk or on two lines to fit) and the cells' size. */
typedef struct
{
  gboolean side;
  double panel_w;
  double panel_h;
  char titles[N_MAPS][64];
  MsFont fonts[N_MAPS];
  double header_h;
  double cell;          /* 0 when no level is shown */
} MapsLayout;

static void
compute_layout (MsRewardMap         *self,
                const SimShownLevel *shown,
                double               width,
                double               height,
                MapsLayout          *l)
{
  MsPlot *plot = MS_PLOT (self);
  double pad = ms_plot_px (plot, 10), gap = ms_plot_px (plot, 12);
  double inner_w = width - 2 * pad, inner_h = height - 2 * pad;

  /* Side by side or one above the other, whichever gives bigger cells. */
  l->side = TRUE;
  if (shown != NULL)
    {
      const SimLevel *level = shown->level;
      double extra = ms_plot_font_height (plot, MS_FONT_TITLE) + ms_plot_px (plot, 9)
                     + ms_plot_font_height (plot, MS_FONT_TICK) + ms_plot_px (plot, 14);
      double side_cell = MIN ((inner_w - gap) / 2 / level->width,
                              (inner_h - extra) / level->height);
      double stacked_cell = MIN (inner_w / level->width,
                                 ((inner_h - gap) / 2 - extra) / level->height);

      l->side = side_cell >= stacked_cell;
    }
  l->panel_w = l->side ? (inner_w - gap) / 2 : inner_w;
  l->panel_h = l->side ? inner_h : (inner_h - gap) / 2;
  l->header_h = 0;

  /* Titles: the title font if it fits, else smaller fonts, else on two lines. Both maps get
   * the same header height so their grids line up. */
  for (int m = 0; m < N_MAPS; m++)
    {
      double tw, th;

      g_strlcpy (l->titles[m], m == 0 ? _("Base reward") : _("Inferred mesa reward"),
                 sizeof l->titles[m]);
      l->fonts[m] = MS_FONT_TITLE;
      ms_plot_text_size (plot, l->fonts[m], l->titles[m], &tw, &th);
      for (int f = MS_FONT_LABEL; tw > l->panel_w && f >= (int) MS_FONT_TICK; f--)
        {
          l->fonts[m] = (MsFont) f;
          ms_plot_text_size (plot, l->fonts[m], l->titles[m], &tw, &th);
        }
      if (tw > l->panel_w)
        {
          char *space = strrchr (l->titles[m], ' ');

          if (space != NULL)
            *space = '\n';
          l->fonts[m] = MS_FONT_LABEL;
          ms_plot_text_size (plot, l->fonts[m], l->titles[m], &tw, &th);
        }
      l->header_h = MAX (l->header_h, th);
    }
  /* One font for both titles. */
  if (l->fonts[1] != l->fonts[0])
    {
      l->fonts[0] = l->fonts[1] = MIN (l->fonts[0], l->fonts[1]);
      for (int m = 0; m < N_MAPS; m++)
        {
          double th;

          ms_plot_text_size (plot, l->fonts[m], l->titles[m], NULL, &th);
          l->header_h = m == 0 ? th : MAX (l->header_h, th);
        }
    }

  /* As draw_map () sizes each map's cells. */
  l->cell = 0;
  if (shown != NULL)
    {
      double avail_h = l->panel_h - l->header_h - ms_plot_px (plot, 6) - ms_plot_px (plot, 9)
                       - ms_plot_font_height (plot, MS_FONT_TICK) - ms_plot_px (plot, 8);

      l->cell = floor (MIN (l->panel_w / shown->level->width, avail_h / shown->level->height));
      if (l->cell < 2)
        l->cell = 0;
    }
}

static void
ms_reward_map_draw (MsPlot  *plot,
                    cairo_t *cr,
                    int      width,
                    int      height)
{
  MsRewardMap *self = MS_REWARD_MAP (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  const SimShownLevel *shown = get_shown (s, self->shown);
  double pad = ms_plot_px (plot, 10), gap = ms_plot_px (plot, 12);
  MapsLayout l;

  compute_layout (self, shown, width, height, &l);
  for (int m = 0; m < N_MAPS; m++)
    {
      if (l.side)
        draw_map (self, cr, s, shown, m, l.titles[m], l.fonts[m], l.header_h,
                  pad + m * (l.panel_w + gap), pad, l.panel_w, l.panel_h);
      else
        draw_map (self, cr, s, shown, m, l.titles[m], l.fonts[m], l.header_h, pad,
                  pad + m * (l.panel_h + gap), l.panel_w, l.panel_h);
    }
}

static char *
ms_reward_map_describe_at (MsPlot *plot,
                           double  x,
                           double  y)
{
  MsRewardMap *self = MS_REWARD_MAP (plot);
  const SimShownLevel *shown = get_shown (ms_plot_get_snapshot (plot), self->shown);

  if (shown == NULL)
    return NULL;
  for (int m = 0; m < N_MAPS; m++)
    {
      const MapGeometry *geometry = &self->maps[m];
      const MsCellGrid *g = &geometry->grid;
      const SimLevel *level = shown->level;
      int cx, row, index;
      GString *text;

      if (!geometry->valid || x < g->x || y < g->y)
        continue;
      cx = (int) floor ((x - g->x) / g->cell);
      row = (int) floor ((y - g->y) / g->cell);
      if (cx >= level->width || row >= level->height)
        continue;
      index = (level->height - 1 - row) * level->width + cx;
      text = g_string_new (NULL);
      g_string_append_printf (text, "(%d, %d): %s", cx, level->height - 1 - row,
                              ms_words_cell_label (level->cells[index]));
      if (level->cells[index] == SIM_CELL_WALL)
        return g_string_free (text, FALSE);
      if (shown->base_reward != NULL && !isnan (shown->base_reward[index]))
        g_string_append_printf (text, "\n%s %+.2f", _("Base reward"), shown->base_reward[index]);
      if (shown->inferred_reward != NULL && !isnan (shown->inferred_reward[index]))
        g_string_append_printf (text, "\n%s %+.2f", _("Inferred mesa reward"),
                                shown->inferred_reward[index]);
      return g_string_free (text, FALSE);
    }
  return NULL;
}

static void
append_extreme (GString             *text,
                const SimShownLevel *shown,
                const double        *v,
                gboolean             highest)
{
  const SimLevel *level = shown->level;
  int i = map_extreme (shown, v, highest);
  const char *what;

  if (i < 0)
    return;
  if (level->scenario == SIM_SCENARIO_COIN && i == level->width * level->height - 1
      && level->cells[i] == SIM_CELL_FLOOR)
    what = _("the top-right corner");
  else
    what = ms_words_cell_label (level->cells[i]);
  g_string_append_printf (text, highest ? _(" highest %+.2f at (%d, %d), %s;")
                                        : _(" lowest %+.2f at (%d, %d), %s."),
                          v[i], i % level->width, i / level->width, what);
}

static void
ms_reward_map_update_state (MsPlot *plot)
{
  MsRewardMap *self = MS_REWARD_MAP (plot);
  const SimShownLevel *shown = get_shown (ms_plot_get_snapshot (plot), self->shown);
  g_autoptr (GString) text = g_string_new (self->shown == SIM_SHOWN_TRAIN
                                           ? _("Reward maps of the training level.")
                                           : _("Reward maps of the test level."));

  if (shown == NULL)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("No level yet."));
      ms_plot_set_description (plot, text->str);
      return;
    }
  for (int m = 0; m < N_MAPS; m++)
    {
      const double *v = map_values (shown, m);

      g_string_append_c (text, ' ');
      g_string_append (text, m == 0 ? _("Base reward:") : _("Inferred mesa reward:"));
      if (v == NULL)
        {
          g_string_append_c (text, ' ');
          g_string_append (text, _("not inferred yet."));
          continue;
        }
      append_extreme (text, shown, v, TRUE);
      append_extreme (text, shown, v, FALSE);
    }
  ms_plot_set_description (plot, text->str);
}

static void
ms_reward_map_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MsRewardMap *self = MS_REWARD_MAP (object);

  switch (prop_id)
    {
    case PROP_SHOWN:
      g_value_set_int (value, self->shown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_reward_map_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MsRewardMap *self = MS_REWARD_MAP (object);

  switch (prop_id)
    {
    case PROP_SHOWN:
      ms_reward_map_set_shown (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_reward_map_class_init (MsRewardMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  object_class->get_property = ms_reward_map_get_property;
  object_class->set_property = ms_reward_map_set_property;

  plot_class->draw = ms_reward_map_draw;
  plot_class->describe_at = ms_reward_map_describe_at;
  plot_class->update_state = ms_reward_map_update_state;
  plot_class->needs_redraw = ms_reward_map_needs_redraw;

  /**
   * MsRewardMap:shown:
   *
   * The level mapped: SIM_SHOWN_TRAIN (0) or SIM_SHOWN_TEST (1, the default).
   */
  properties[PROP_SHOWN] =
    g_param_spec_int ("shown", NULL, NULL, 0, SIM_N_SHOWN - 1, SIM_SHOWN_TEST,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "reward-map");
}

static void
ms_reward_map_init (MsRewardMap *self)
{
  self->shown = SIM_SHOWN_TEST;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Base and inferred mesa reward maps"), -1);
  ms_plot_update_state (MS_PLOT (self));
}

GtkWidget *
ms_reward_map_new (void)
{
  return g_object_new (MS_TYPE_REWARD_MAP, NULL);
}

void
ms_reward_map_set_snapshot (MsRewardMap *self,
                            SimSnapshot *snapshot)
{
  g_return_if_fail (MS_IS_REWARD_MAP (self));

  ms_plot_set_snapshot (MS_PLOT (self), snapshot);
}

void
ms_reward_map_set_shown (MsRewardMap  *self,
                         SimShownKind  shown)
{
  g_return_if_fail (MS_IS_REWARD_MAP (self));
  g_return_if_fail ((guint) shown < SIM_N_SHOWN);

  if (shown == self->shown)
    return;
  self->shown = shown;
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN]);
}

SimShownKind
ms_reward_map_get_shown (MsRewardMap *self)
{
  g_return_val_if_fail (MS_IS_REWARD_MAP (self), SIM_SHOWN_TEST);

  return self->shown;
}

static double
cell_for_size (MsRewardMap         *self,
               const SimShownLevel *shown,
               int                  width,
               int                  height)
{
  MapsLayout l;

  compute_layout (self, shown, width, height, &l);
  return l.cell;
}

int
ms_reward_map_height_for_width (MsRewardMap *self,
                                int          width)
{
  MsPlot *plot = MS_PLOT (self);
  const SimShownLevel *shown;
  double side_cell;
  int lo = 1, hi;

  g_return_val_if_fail (MS_IS_REWARD_MAP (self), -1);

  shown = get_shown (ms_plot_get_snapshot (plot), self->shown);
  if (shown == NULL || width <= 0)
    return -1;
  /* The cells of two maps side by side as wide as the width lets them be. */
  side_cell = floor ((width - 2 * ms_plot_px (plot, 10) - ms_plot_px (plot, 12)) / 2
                     / shown->level->width);
  if (side_cell < 2)
    return -1;
  hi = 8 * width + 1000;
  while (lo < hi)
    {
      int mid = lo + (hi - lo) / 2;

      if (cell_for_size (self, shown, width, mid) >= side_cell)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

int
ms_reward_map_width_for_height (MsRewardMap *self,
                                int          height)
{
  const SimShownLevel *shown;
  double best;
  int lo = 1, hi;

  g_return_val_if_fail (MS_IS_REWARD_MAP (self), -1);

  shown = get_shown (ms_plot_get_snapshot (MS_PLOT (self)), self->shown);
  if (shown == NULL || height <= 0)
    return -1;
  hi = 8 * height + 1000;
  best = cell_for_size (self, shown, hi, height);
  if (best < 2)
    return -1;
  while (lo < hi)
    {
      int mid = lo + (hi - lo) / 2;

      if (cell_for_size (self, shown, mid, height) >= best)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

gboolean
ms_reward_map_get_cell_rect (MsRewardMap     *self,
                             gboolean         inferred,
                             int              x,
                             int              y,
                             graphene_rect_t *rect)
{
  const MapGeometry *geometry;
  const MsCellGrid *g;

  g_return_val_if_fail (MS_IS_REWARD_MAP (self), FALSE);

  geometry = &self->maps[inferred ? 1 : 0];
  g = &geometry->grid;
  if (!geometry->valid || x < 0 || y < 0 || x >= g->width || y >= g->height)
    return FALSE;
  if (rect != NULL)
    graphene_rect_init (rect, g->x + x * g->cell, g->y + (g->height - 1 - y) * g->cell, g->cell,
                        g->cell);
  return TRUE;
}
