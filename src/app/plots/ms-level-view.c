/* ms-level-view.c: the shown level, with the agent moving along its rollout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws the level (floor, brick walls, lava, coin, exit, green tile, key, chest, start flag)
 * and the rollout sampled from the current policy, with the agent walking along it one cell
 * every MS_LEVEL_VIEW_STEP_MS. A newer snapshot of the same level is drawn at once (its path,
 * its iteration beside the title), and the agent walks on from the step it had reached: the
 * card never shows an older agent than the other cards while training publishes dozens of
 * snapshots a second. A walk starts over at the end of the path and when the level changes.
 * The tick callback runs only while the view is mapped and animations are enabled; otherwise
 * the agent is drawn at the end of its path. With show-policy on, every cell the agent can act
 * on also gets its first-step policy as arrows (over the cells, under the path and the agent).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-level-view.h"
#include "ms-level-view-tests.h"
#include "ms-cell-painter.h"

/* Steps to wait on the start cell before walking and on the last cell after it. */
#define HOLD_START_STEPS 2
#define HOLD_END_STEPS 6

struct _MsLevelView
{
  MsPlot parent_instance;

  SimShownKind shown;
  gboolean show_policy;         /* the policy's arrows on every cell */

  SimSnapshot *walking;         /* the snapshot the walk started with, owned: its level */
  char caption[64];             /* the iteration drawn beside the title, "" when none */
  guint tick_id;
  gint64 walk_start_us;
  int step;                     /* index into the walked path */

  /* The drawn level, cached (see ms_level_view_draw). */
  cairo_surface_t *static_layer;        /* owned */
  SimLevel *static_level;               /* owned ref */
  double static_cell;
  double static_x;
  double static_y;
  guint static_serial;
  int static_scale;
  double static_plot_scale;

  /* Geometry of the last drawing. */
  MsCellGrid grid;
  gboolean has_grid;
};

enum {
  PROP_0,
  PROP_SHOWN,
  PROP_SHOW_POLICY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsLevelView, ms_level_view, MS_TYPE_PLOT)

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

static gboolean
path_cell_valid (const SimShownLevel *shown,
                 int                  i)
{
  return shown->path != NULL && i >= 0 && i < shown->n_path && shown->path[i] >= 0
         && shown->path[i] < shown->level->width * shown->level->height;
}

static SimSnapshot *
drawn_snapshot (MsLevelView *self)
{
  return ms_plot_get_snapshot (MS_PLOT (self));
}

static int
agent_step (MsLevelView         *self,
            const SimShownLevel *shown)
{
  if (shown == NULL || shown->n_path <= 0)
    return 0;
  if (self->tick_id == 0)
    return shown->n_path - 1;
  return CLAMP (self->step, 0, shown->n_path - 1);
}

static void
start_walk (MsLevelView *self,
            gint64       now)
{
  SimSnapshot *current = ms_plot_get_snapshot (MS_PLOT (self));

  if (self->walking != current)
    {
      g_clear_pointer (&self->walking, sim_snapshot_unref);
      self->walking = current != NULL ? sim_snapshot_ref (current) : NULL;
    }
  self->walk_start_us = now;
  self->step = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gint64
now_us (MsLevelView *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  return clock != NULL ? gdk_frame_clock_get_frame_time (clock) : g_get_monotonic_time ();
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  MsLevelView *self = MS_LEVEL_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  const SimShownLevel *shown;
  int n, step;
  gint64 pos;

  if (self->walking == NULL)
    {
      if (ms_plot_get_snapshot (MS_PLOT (self)) != NULL)
        start_walk (self, now);
      return G_SOURCE_CONTINUE;
    }

  shown = get_shown (drawn_snapshot (self), self->shown);
  n = shown != NULL ? shown->n_path : 0;
  pos = (now - self->walk_start_us) / (MS_LEVEL_VIEW_STEP_MS * 1000);
  if (pos >= HOLD_START_STEPS + MAX (n - 1, 0) + HOLD_END_STEPS)
    {
      /* The walk is over: the newest path is walked from its start. */
      start_walk (self, now);
      return G_SOURCE_CONTINUE;
    }
  step = (int) CLAMP (pos - HOLD_START_STEPS, 0, MAX (n - 1, 0));
  if (step != self->step)
    {
      self->step = step;
      gtk_widget_queue_draw (widget);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
animations_enabled (MsLevelView *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled,
                NULL);
  return enabled;
}

static void
update_ticking (MsLevelView *self)
{
  gboolean want = gtk_widget_get_mapped (GTK_WIDGET (self)) && animations_enabled (self);

  if (want && self->tick_id == 0)
    {
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
      g_clear_pointer (&self->walking, sim_snapshot_unref);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (!want && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
      g_clear_pointer (&self->walking, sim_snapshot_unref);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
ms_level_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ms_level_view_parent_class)->map (widget);
  update_ticking (MS_LEVEL_VIEW (widget));
}

static void
ms_level_view_unmap (GtkWidget *widget)
{
  MsLevelView *self = MS_LEVEL_VIEW (widget);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }
  g_clear_pointer (&self->walking, sim_snapshot_unref);
  GTK_WIDGET_CLASS (ms_level_view_parent_class)->unmap (widget);
}

static void
draw_path (MsLevelView         *self,
           cairo_t             *cr,
           const SimShownLevel *shown,
           int                  upto)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double half = self->grid.cell / 2, x, y;
  double lw = MAX (ms_plot_px (plot, 2.5), self->grid.cell * 0.1);
  double dash[2] = { lw * 1.2, lw * 1.6 };
  gboolean started;

  /* The part still to walk, faint and dashed; then the walked part, solid with a halo. */
  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int pass = 0; pass < 3; pass++)
    {
      int from = pass == 0 ? upto : 0, to = pass == 0 ? shown->n_path - 1 : upto;

      if (to <= from)
        continue;
      started = FALSE;
      cairo_new_path (cr);
      for (int i = from; i <= to; i++)
        {
          if (!path_cell_valid (shown, i))
            {
              started = FALSE;
              continue;
            }
          ms_cell_grid_origin (&self->grid, shown->path[i], &x, &y);
          if (started)
            cairo_line_to (cr, x + half, y + half);
          else
            cairo_move_to (cr, x + half, y + half);
          started = TRUE;
        }
      if (pass == 0)
        {
          ms_plot_set_color_alpha (cr, &p->path, 0.45);
          cairo_set_line_width (cr, lw * 0.7);
          cairo_set_dash (cr, dash, 2, 0);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      else if (pass == 1)
        {
          ms_plot_set_color_alpha (cr, &p->surface, 0.8);
          cairo_set_line_width (cr, lw + ms_plot_px (plot, 3));
          cairo_stroke (cr);
        }
      else
        {
          ms_plot_set_color (cr, &p->path);
          cairo_set_line_width (cr, lw);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/* Probabilities under this get no arrow. */
#define POLICY_MIN_PROB 0.05

/* The agent's first-step policy: on every cell it can act on, an arrow from the centre for
 * each move of at least POLICY_MIN_PROB, starting a little off the centre (so that two moves
 * read apart): a head for every one, and a shaft as long as its probability allows (1 reaches
 * almost to the cell's edge). Foreground ink with a halo of the card's background, so that the arrows
 * read on the floor of either theme and on coloured cells. */
static void
draw_policy (MsLevelView         *self,
             cairo_t             *cr,
             const SimShownLevel *shown)
{
  static const int dx[] = { 0, 0, -1, 1 }, dy[] = { -1, 1, 0, 0 };  /* up, down, left, right */
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  const SimLevel *level = shown->level;
  double cell = self->grid.cell, half = cell / 2;
  double lw = MAX (ms_plot_px (plot, 1.5), cell * 0.06);

  cairo_save (cr);
  cairo_new_path (cr);
  for (int s = 0; s < level->width * level->height; s++)
    {
      double x, y;

      if (level->cells[s] == SIM_CELL_WALL || sim_cell_is_terminal (level->cells[s]))
        continue;
      ms_cell_grid_origin (&self->grid, s, &x, &y);
      x += half;
      y += half;
      for (int a = 0; a < 4; a++)
        {
          double prob = shown->action_prob[s * SIM_N_ACTIONS + a];
          double gap = half * 0.15, head = MIN (lw * 2.2, half * 0.3);
          double len = gap + head + prob * (half * 0.9 - gap - head);
          double tx = x + dx[a] * len, ty = y + dy[a] * len;

          if (!(prob >= POLICY_MIN_PROB))
            continue;
          cairo_move_to (cr, x + dx[a] * gap, y + dy[a] * gap);
          cairo_line_to (cr, tx - dx[a] * head * 0.5, ty - dy[a] * head * 0.5);
          cairo_move_to (cr, tx, ty);
          cairo_line_to (cr, tx - dx[a] * head + dy[a] * head * 0.6,
                         ty - dy[a] * head + dx[a] * head * 0.6);
          cairo_line_to (cr, tx - dx[a] * head - dy[a] * head * 0.6,
                         ty - dy[a] * head - dx[a] * head * 0.6);
          cairo_close_path (cr);
        }
    }
  ms_plot_stroke_on_halo (plot, cr, &p->fg, lw, 2.5, 0.75);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* The agent in the size × size square at (x, y). */
static void
draw_agent (MsLevelView *self,
            cairo_t     *cr,
            double       x,
            double       y,
            double       size)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double s = size, cx = x + s / 2, cy = y + s / 2, r = s * 0.32;

  cairo_new_sub_path (cr);
  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  ms_plot_set_color (cr, &p->agent);
  cairo_fill_preserve (cr);
  ms_plot_set_color (cr, &p->surface);
  cairo_set_line_width (cr, MAX (ms_plot_px (plot, 2), s * 0.06));
  cairo_stroke (cr);
  /* Eyes, so the agent reads as a character and not as another tile. */
  for (int e = -1; e <= 1; e += 2)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx + e * r * 0.38, cy - r * 0.15, r * 0.24, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill (cr);
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx + e * r * 0.38, cy - r * 0.1, r * 0.11, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.12);
      cairo_fill (cr);
    }
}

/* Keys and chests: the keys held after path step i, or -1 outside that scenario. */
static int
held_at (const SimShownLevel *shown,
         int                  i)
{
  if (shown == NULL || shown->held == NULL || i < 0 || i >= shown->n_path)
    return -1;
  return shown->held[i];
}

/* Keys and chests: what the agent took up to step upto. A picked-up key is gone (a faint
 * outline remains); an opened chest gets a tick. */
static void
draw_taken (MsLevelView         *self,
            cairo_t             *cr,
            const SimShownLevel *shown,
            int                  upto)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double s = self->grid.cell, x, y;

  for (int i = 1; i <= upto; i++)
    {
      int change = held_at (shown, i) - held_at (shown, i - 1);

      if (change == 0 || !path_cell_valid (shown, i))
        continue;
      ms_cell_grid_origin (&self->grid, shown->path[i], &x, &y);
      if (change > 0)
        {
          cairo_rectangle (cr, x + 1, y + 1, s - 1, s - 1);
          ms_plot_set_color (cr, &p->floor);
          cairo_fill (cr);
          cairo_push_group (cr);
          ms_plot_draw_cell (plot, cr, SIM_CELL_KEY, x, y, s);
          cairo_pop_group_to_source (cr);
          cairo_paint_with_alpha (cr, 0.25);
        }
      else
        {
          cairo_new_path (cr);
          cairo_move_to (cr, x + s * 0.22, y + s * 0.5);
          cairo_line_to (cr, x + s * 0.42, y + s * 0.72);
          cairo_line_to (cr, x + s * 0.8, y + s * 0.24);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          ms_plot_set_color (cr, &p->surface);
          cairo_set_line_width (cr, MAX (ms_plot_px (plot, 5), s * 0.16));
          cairo_stroke_preserve (cr);
          ms_plot_set_color (cr, &p->fg);
          cairo_set_line_width (cr, MAX (ms_plot_px (plot, 2.5), s * 0.08));
          cairo_stroke (cr);
        }
    }
}

/* Keys and chests: the inventory under the title, "Keys held" with one key per key in hand,
 * and the chests opened so far, on one row or, when the widest it can get (six keys) does
 * not fit in max_w, on two. Returns its height; draws only with draw. */
static double
draw_inventory (MsLevelView         *self,
                cairo_t             *cr,
                const SimShownLevel *shown,
                int                  step,
                double               x,
                double               y,
                double               max_w,
                gboolean             draw)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double h = ms_plot_font_height (plot, MS_FONT_LABEL), icon = h * 1.4, tw, widest;
  double gap = ms_plot_px (plot, 10), x0 = x;
  int held = held_at (shown, step), opened = 0;
  gboolean two_rows;
  char buf[64];

  if (held < 0)
    return 0;

  /* Translators: %d is a number of chests */
  g_snprintf (buf, sizeof buf, _("· chests opened: %d"), 6);
  ms_plot_text_size (plot, MS_FONT_LABEL, _("Keys held:"), &widest, NULL);
  ms_plot_text_size (plot, MS_FONT_LABEL, buf, &tw, NULL);
  widest += ms_plot_px (plot, 4) + 6 * icon * 0.8 + icon * 0.2 + gap + tw;
  ms_plot_text_size (plot, MS_FONT_LABEL, "×6", &tw, NULL);
  widest += tw;
  two_rows = widest > max_w;
  if (!draw)
    return two_rows ? 2 * icon : icon;

  for (int i = 1; i <= step; i++)
    opened += held_at (shown, i) < held_at (shown, i - 1);
  ms_plot_text (plot, cr, MS_FONT_LABEL, _("Keys held:"), x, y + icon / 2, 0, 0.5, &p->fg);
  ms_plot_text_size (plot, MS_FONT_LABEL, _("Keys held:"), &tw, NULL);
  x += tw + ms_plot_px (plot, 4);
  for (int k = 0; k < MIN (held, 8); k++)
    {
      ms_plot_draw_cell (plot, cr, SIM_CELL_KEY, x, y, icon);
      x += icon * 0.8;
    }
  if (held == 0)
    {
      ms_plot_text (plot, cr, MS_FONT_LABEL, _("none"), x, y + icon / 2, 0, 0.5, &p->muted);
      ms_plot_text_size (plot, MS_FONT_LABEL, _("none"), &tw, NULL);
      x += tw;
    }
  else
    {
      g_snprintf (buf, sizeof buf, "×%d", held);
      ms_plot_text (plot, cr, MS_FONT_LABEL, buf, x + icon * 0.2, y + icon / 2, 0, 0.5, &p->fg);
      ms_plot_text_size (plot, MS_FONT_LABEL, buf, &tw, NULL);
      x += icon * 0.2 + tw;
    }
  if (two_rows)
    {
      /* Translators: %d is a number of chests */
      g_snprintf (buf, sizeof buf, _("Chests opened: %d"), opened);
      ms_plot_text (plot, cr, MS_FONT_LABEL, buf, x0, y + icon * 1.5, 0, 0.5, &p->fg);
    }
  else
    {
      /* Translators: %d is a number of chests */
      g_snprintf (buf, sizeof buf, _("· chests opened: %d"), opened);
      ms_plot_text (plot, cr, MS_FONT_LABEL, buf, x + gap, y + icon / 2, 0, 0.5, &p->fg);
    }
  return two_rows ? 2 * icon : icon;
}

typedef enum
{
  ICON_CELL,
  ICON_START,
  ICON_AGENT,
} IconKind;

typedef struct
{
  IconKind kind;
  SimCell cell;
  const char *label;
} LegendItem;

static int
collect_legend (const SimShownLevel *shown,
                LegendItem          *items)
{
  gboolean present[SIM_N_CELLS] = { FALSE };
  int n = 0, N = shown->level->width * shown->level->height;

  for (int i = 0; i < N; i++)
    if (shown->level->cells[i] < SIM_N_CELLS)
      present[shown->level->cells[i]] = TRUE;

  items[n++] = (LegendItem) { ICON_START, SIM_CELL_FLOOR, _("start") };
  items[n++] = (LegendItem) { ICON_AGENT, SIM_CELL_FLOOR, _("agent") };
  for (int c = SIM_CELL_WALL; c < SIM_N_CELLS; c++)
    if (present[c])
      items[n++] = (LegendItem) { ICON_CELL, c, ms_words_cell_label (c) };
  return n;
}

/* Lays out (and with draw, draws) the legend rows; returns their height. */
static double
legend_rows (MsLevelView       *self,
             cairo_t           *cr,
             const LegendItem  *items,
             int                n,
             double             x,
             double             y,
             double             width,
             gboolean           draw)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  double h = ms_plot_font_height (plot, MS_FONT_LABEL);
  double icon = h * 1.15, gap = ms_plot_px (plot, 4), spacing = ms_plot_px (plot, 14);
  double cx = x, cy = y;

  for (int i = 0; i < n; i++)
    {
      double tw;

      ms_plot_text_size (plot, MS_FONT_LABEL, items[i].label, &tw, NULL);
      if (cx > x && cx + icon + gap + tw > x + width)
        {
          cx = x;
          cy += icon + ms_plot_px (plot, 3);
        }
      if (draw)
        {
          double iy = cy;

          if (items[i].kind == ICON_CELL)
            {
              cairo_rectangle (cr, cx, iy, icon, icon);
              ms_plot_set_color (cr, &p->floor);
              cairo_fill (cr);
              ms_plot_draw_cell (plot, cr, items[i].cell, cx, iy, icon);
            }
          else if (items[i].kind == ICON_START)
            ms_plot_draw_start (plot, cr, cx, iy, icon);
          else
            draw_agent (self, cr, cx, iy, icon);
          ms_plot_text (plot, cr, MS_FONT_LABEL, items[i].label, cx + icon + gap,
                        iy + icon / 2, 0, 0.5, &p->fg);
        }
      cx += icon + gap + tw + spacing;
    }
  return cy + icon - y;
}

/* Whether cr is a raster at the widget's scale, where the cached level image is sharp. */
static gboolean
draws_like_widget (MsLevelView *self,
                   cairo_t     *cr)
{
  cairo_surface_t *target = cairo_get_target (cr);
  double sx = 1, sy = 1;

  switch (cairo_surface_get_type (target))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_SVG:
      return FALSE;
    case CAIRO_SURFACE_TYPE_IMAGE:
      cairo_surface_get_device_scale (target, &sx, &sy);
      return sx == gtk_widget_get_scale_factor (GTK_WIDGET (self));
    default:
      return TRUE;
    }
}

/* Where the parts of the card go in a width × height drawing of shown: below the title (and
 * the inventory) the grid, with the legend under it or, when that gives bigger cells, in a
 * column beside it. */
typedef struct
{
  double top;           /* below the title and the inventory */
  double inventory_y;
  LegendItem items[SIM_N_CELLS + 2];
  int n_items;
  gboolean legend_beside;
  double legend_w;
  double legend_h;
  double avail_w;
  double avail_h;
  double cell;          /* 0 when the grid does not fit */
} LevelLayout;

static void
compute_layout (MsLevelView         *self,
                const SimShownLevel *shown,
                double               width,
                double               height,
                LevelLayout         *l)
{
  MsPlot *plot = MS_PLOT (self);
  double pad = ms_plot_px (plot, 10), title_h, gap = ms_plot_px (plot, 12), col_w = 0, col_h;
  double cell_below, cell_side;
  int W = shown->level->width, H = shown->level->height;

  ms_plot_text_size (plot, MS_FONT_TITLE,
                     self->shown == SIM_SHOWN_TRAIN ? _("Training level") : _("Test level"),
                     NULL, &title_h);
  l->top = pad + title_h + ms_plot_px (plot, 8);
  l->n_items = collect_legend (shown, l->items);
  l->inventory_y = l->top;
  if (shown->held != NULL)
    l->top += draw_inventory (self, NULL, shown, 0, 0, 0, width - 2 * pad, FALSE)
              + ms_plot_px (plot, 6);

  l->avail_w = width - 2 * pad;
  l->avail_h = height - l->top - pad;
  l->legend_w = 0;
  l->legend_h = legend_rows (self, NULL, l->items, l->n_items, 0, 0, l->avail_w, FALSE);
  for (int i = 0; i < l->n_items; i++)
    {
      double tw;

      ms_plot_text_size (plot, MS_FONT_LABEL, l->items[i].label, &tw, NULL);
      col_w = MAX (col_w, tw);
    }
  col_w += ms_plot_font_height (plot, MS_FONT_LABEL) * 1.15 + ms_plot_px (plot, 4);
  col_h = legend_rows (self, NULL, l->items, l->n_items, 0, 0, col_w, FALSE);
  cell_below = MIN (l->avail_w / W, (l->avail_h - l->legend_h - gap) / H);
  cell_side = MIN ((l->avail_w - col_w - gap) / W, l->avail_h / H);
  l->legend_beside = cell_side > cell_below && col_h <= l->avail_h;
  if (l->legend_beside)
    {
      l->legend_w = col_w;
      l->legend_h = col_h;
      l->avail_w -= col_w + gap;
    }
  else
    l->avail_h -= l->legend_h + gap;
  l->cell = floor (MIN (l->avail_w / W, l->avail_h / H));
  if (l->cell < 2)
    l->cell = 0;
}

static void
ms_level_view_draw (MsPlot  *plot,
                    cairo_t *cr,
                    int      width,
                    int      height)
{
  MsLevelView *self = MS_LEVEL_VIEW (plot);
  SimSnapshot *s = drawn_snapshot (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  const SimShownLevel *shown = get_shown (s, self->shown);
  MsCellGrid *g = &self->grid;
  double pad = ms_plot_px (plot, 10), top, x, y;
  LevelLayout l;
  const SimLevel *level;
  int W, H, step;
  char buf[64];

  top = ms_plot_draw_title (plot, cr, self->shown == SIM_SHOWN_TRAIN ? _("Training level")
                                                                     : _("Test level"),
                            pad, pad);
  self->caption[0] = '\0';
  if (s != NULL)
    {
      double title_w, w;

      if (s->iteration > 0)
        g_snprintf (buf, sizeof buf, _("iteration %d"), s->iteration);
      else
        g_strlcpy (buf, _("untrained agent"), sizeof buf);
      g_strlcpy (self->caption, buf, sizeof self->caption);
      /* Only when it fits beside the title. */
      ms_plot_text_size (plot, MS_FONT_TITLE,
                         self->shown == SIM_SHOWN_TRAIN ? _("Training level") : _("Test level"),
                         &title_w, NULL);
      ms_plot_text_size (plot, MS_FONT_LABEL, buf, &w, NULL);
      if (pad + title_w + ms_plot_px (plot, 12) + w <= width - pad)
        ms_plot_text (plot, cr, MS_FONT_LABEL, buf, width - pad, pad, 1, 0, &p->muted);
    }
  top += ms_plot_px (plot, 8);

  if (shown == NULL)
    {
      self->has_grid = FALSE;
      ms_plot_draw_message (plot, cr, _("Press Play to start training"), pad, top,
                            width - 2 * pad, height - top - pad);
      return;
    }

  level = shown->level;
  W = level->width;
  H = level->height;
  compute_layout (self, shown, width, height, &l);
  g->cell = l.cell;
  if (g->cell < 2)
    {
      self->has_grid = FALSE;
      return;
    }
  g->width = W;
  g->height = H;
  g->x = round (pad + (l.avail_w - g->cell * W) / 2);
  g->y = round (l.top + (l.avail_h - g->cell * H) / 2);
  self->has_grid = TRUE;
  ms_plot_set_data_area (plot, g->x, g->y, g->cell * W, g->cell * H);

  /* The level itself changes rarely (the agent moves on it): draw it once into an image and
   * paint that while the level, the geometry and the colours stay the same. Exports (vector
   * files, images at another scale) get the level drawn directly instead. */
  if (!draws_like_widget (self, cr))
    {
      cairo_save (cr);
      ms_cell_painter_level (plot, cr, g, level);
      cairo_restore (cr);
    }
  else if (self->static_layer == NULL || self->static_level == NULL
           || !sim_level_equal (self->static_level, level) || self->static_cell != g->cell
           || self->static_x != g->x || self->static_y != g->y
           || self->static_serial != ms_plot_get_palette_serial (plot)
           || self->static_scale != gtk_widget_get_scale_factor (GTK_WIDGET (self))
           || self->static_plot_scale != ms_plot_get_scale (plot))
    {
      int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      cairo_t *lcr;

      g_clear_pointer (&self->static_layer, cairo_surface_destroy);
      g_clear_pointer (&self->static_level, sim_level_unref);
      self->static_layer = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                       (int) (g->cell * W + 1) * sf,
                                                       (int) (g->cell * H + 1) * sf);
      cairo_surface_set_device_scale (self->static_layer, sf, sf);
      lcr = cairo_create (self->static_layer);
      cairo_translate (lcr, -g->x, -g->y);
      ms_cell_painter_level (plot, lcr, g, level);
      cairo_destroy (lcr);
      self->static_level = sim_level_ref ((SimLevel *) level);
      self->static_cell = g->cell;
      self->static_x = g->x;
      self->static_y = g->y;
      self->static_serial = ms_plot_get_palette_serial (plot);
      self->static_scale = sf;
      self->static_plot_scale = ms_plot_get_scale (plot);
    }
  if (draws_like_widget (self, cr))
    {
      cairo_set_source_surface (cr, self->static_layer, g->x, g->y);
      cairo_paint (cr);
    }

  if (self->show_policy && shown->action_prob != NULL)
    draw_policy (self, cr, shown);
  step = agent_step (self, shown);
  if (shown->held != NULL)
    {
      draw_taken (self, cr, shown, step);
      draw_inventory (self, cr, shown, step, pad, l.inventory_y, width - 2 * pad, TRUE);
    }
  if (shown->n_path > 0 && shown->path != NULL)
    {
      draw_path (self, cr, shown, step);
      if (path_cell_valid (shown, step))
        {
          ms_cell_grid_origin (g, shown->path[step], &x, &y);
          draw_agent (self, cr, x, y, g->cell);
        }
    }

  /* The hovered cell gets an outline. */
  {
    double hx, hy;
    int cx, cy;

    if (ms_plot_get_hover (plot, &hx, &hy) && ms_level_view_cell_at (self, hx, hy, &cx, &cy))
      ms_cell_painter_hover (plot, cr, g, cx, cy);
  }

  if (l.legend_beside)
    legend_rows (self, cr, l.items, l.n_items,
                 g->x + W * g->cell + ms_plot_px (plot, 12),
                 g->y + (H * g->cell - l.legend_h) / 2, l.legend_w, TRUE);
  else
    legend_rows (self, cr, l.items, l.n_items, pad, height - pad - l.legend_h, width - 2 * pad,
                 TRUE);
}

static char *
ms_level_view_describe_at (MsPlot *plot,
                           double  x,
                           double  y)
{
  MsLevelView *self = MS_LEVEL_VIEW (plot);
  const SimShownLevel *shown = get_shown (drawn_snapshot (self), self->shown);
  GString *text;
  int cx, cy, index, first_visit = -1;

  if (shown == NULL || !ms_level_view_cell_at (self, x, y, &cx, &cy))
    return NULL;
  index = sim_level_index (shown->level, cx, cy);
  text = g_string_new (NULL);
  g_string_append_printf (text, "(%d, %d): %s", cx, cy,
                          ms_words_cell_label (sim_level_get (shown->level, cx, cy)));
  if (index == shown->level->start)
    g_string_append_printf (text, ", %s", _("start"));
  for (int i = 0; i < shown->n_path && first_visit < 0; i++)
    if (path_cell_valid (shown, i) && shown->path[i] == index)
      first_visit = i;
  if (first_visit >= 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("The agent passes here at step %d"), first_visit);
    }
  return g_string_free (text, FALSE);
}

static void
ms_level_view_update_state (MsPlot *plot)
{
  MsLevelView *self = MS_LEVEL_VIEW (plot);
  SimSnapshot *s = ms_plot_get_snapshot (plot);
  const SimShownLevel *shown = get_shown (s, self->shown);
  const SimShownLevel *walked = get_shown (self->walking, self->shown);
  g_autoptr (GString) text = NULL;
  const SimLevel *level;
  int n_lava = 0, n_walls = 0, target = -1;

  /* A different level (a reset, the other level shown) starts the walk over; a newer
   * snapshot of the same level is drawn at once and walked on from the same step. */
  if (self->tick_id != 0 && self->walking != NULL
      && (shown == NULL || walked == NULL || !sim_level_equal (shown->level, walked->level)))
    start_walk (self, now_us (self));

  text = g_string_new (self->shown == SIM_SHOWN_TRAIN ? _("Training level.") : _("Test level."));
  if (shown == NULL)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("No level yet."));
      ms_plot_set_description (plot, text->str);
      return;
    }

  level = shown->level;
  for (int i = 0; i < level->width * level->height; i++)
    {
      if (level->cells[i] == SIM_CELL_LAVA)
        n_lava++;
      else if (level->cells[i] == SIM_CELL_WALL)
        n_walls++;
      else if (target < 0 && sim_cell_is_target (level->scenario, level->cells[i]))
        target = i;
    }
  g_string_append_printf (text, _(" %d by %d cells; walls: %d; lava cells: %d."), level->width,
                          level->height, n_walls, n_lava);
  if (level->start >= 0 && level->start < level->width * level->height)
    g_string_append_printf (text, _(" Start at (%d, %d)."), level->start % level->width,
                            level->start / level->width);
  if (target >= 0)
    g_string_append_printf (text, _(" The %s is at (%d, %d)."),
                            ms_words_cell_label (level->cells[target]),
                            target % level->width, target / level->width);
  if (shown->n_path > 1 && path_cell_valid (shown, shown->n_path - 1))
    {
      int end = shown->path[shown->n_path - 1];
      g_autofree guint8 *mask = g_malloc0 ((gsize) level->width * level->height);

      g_string_append_printf (text, _(" The agent's sampled path takes %d steps and ends at "
                                      "(%d, %d)"),
                              shown->n_path - 1, end % level->width, end / level->width);
      sim_level_proxy_mask (level, mask);
      if (end == target)
        g_string_append_printf (text, _(", on the %s"), ms_words_cell_label (level->cells[end]));
      else if (mask[end] && level->scenario == SIM_SCENARIO_COIN)
        g_string_append (text, _(", in the top-right corner"));
      else if (mask[end] && level->scenario == SIM_SCENARIO_GREEN_EXIT)
        g_string_append (text, _(", at the green tile"));
      g_string_append_c (text, '.');
    }
  else if (shown->n_path == 1)
    g_string_append (text, _(" The agent has not moved yet."));
  ms_plot_set_description (plot, text->str);
}

static void
ms_level_view_dispose (GObject *object)
{
  MsLevelView *self = MS_LEVEL_VIEW (object);

  g_clear_pointer (&self->walking, sim_snapshot_unref);
  g_clear_pointer (&self->static_layer, cairo_surface_destroy);
  g_clear_pointer (&self->static_level, sim_level_unref);

  G_OBJECT_CLASS (ms_level_view_parent_class)->dispose (object);
}

static void
ms_level_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MsLevelView *self = MS_LEVEL_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOWN:
      g_value_set_int (value, self->shown);
      break;
    case PROP_SHOW_POLICY:
      g_value_set_boolean (value, self->show_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_level_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MsLevelView *self = MS_LEVEL_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOWN:
      ms_level_view_set_shown (self, g_value_get_int (value));
      break;
    case PROP_SHOW_POLICY:
      ms_level_view_set_show_policy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_level_view_class_init (MsLevelViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  object_class->dispose = ms_level_view_dispose;
  object_class->get_property = ms_level_view_get_property;
  object_class->set_property = ms_level_view_set_property;

  widget_class->map = ms_level_view_map;
  widget_class->unmap = ms_level_view_unmap;

  plot_class->draw = ms_level_view_draw;
  plot_class->describe_at = ms_level_view_describe_at;
  plot_class->update_state = ms_level_view_update_state;

  /**
   * MsLevelView:shown:
   *
   * The level shown: SIM_SHOWN_TRAIN (0) or SIM_SHOWN_TEST (1, the default).
   */
  properties[PROP_SHOWN] =
    g_param_spec_int ("shown", NULL, NULL, 0, SIM_N_SHOWN - 1, SIM_SHOWN_TEST,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * MsLevelView:show-policy:
   *
   * Whether every cell shows the agent's first-step policy as arrows (off by default).
   */
  properties[PROP_SHOW_POLICY] =
    g_param_spec_boolean ("show-policy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "level-view");
}

static void
ms_level_view_init (MsLevelView *self)
{
  self->shown = SIM_SHOWN_TEST;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Level and the agent's path"), -1);
  ms_plot_update_state (MS_PLOT (self));
}

GtkWidget *
ms_level_view_new (void)
{
  return g_object_new (MS_TYPE_LEVEL_VIEW, NULL);
}

void
ms_level_view_set_snapshot (MsLevelView *self,
                            SimSnapshot *snapshot)
{
  g_return_if_fail (MS_IS_LEVEL_VIEW (self));

  ms_plot_set_snapshot (MS_PLOT (self), snapshot);
}

void
ms_level_view_set_shown (MsLevelView  *self,
                         SimShownKind  shown)
{
  g_return_if_fail (MS_IS_LEVEL_VIEW (self));
  g_return_if_fail ((guint) shown < SIM_N_SHOWN);

  if (shown == self->shown)
    return;
  self->shown = shown;
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN]);
}

void
ms_level_view_set_show_policy (MsLevelView *self,
                               gboolean     show_policy)
{
  g_return_if_fail (MS_IS_LEVEL_VIEW (self));

  show_policy = !!show_policy;
  if (show_policy == self->show_policy)
    return;
  self->show_policy = show_policy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_POLICY]);
}

gboolean
ms_level_view_get_show_policy (MsLevelView *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), FALSE);

  return self->show_policy;
}

SimShownKind
ms_level_view_get_shown (MsLevelView *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), SIM_SHOWN_TEST);

  return self->shown;
}

gboolean
ms_level_view_cell_at (MsLevelView *self,
                       double       x,
                       double       y,
                       int         *cell_x,
                       int         *cell_y)
{
  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), FALSE);

  return self->has_grid && ms_cell_grid_cell_at (&self->grid, x, y, cell_x, cell_y);
}

int
ms_level_view_get_agent_step (MsLevelView *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), 0);

  return agent_step (self, get_shown (drawn_snapshot (self), self->shown));
}

int
ms_level_view_get_keys_held (MsLevelView *self)
{
  const SimShownLevel *shown;

  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), -1);

  shown = get_shown (drawn_snapshot (self), self->shown);
  return held_at (shown, agent_step (self, shown));
}

gboolean
ms_level_view_is_animating (MsLevelView *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), FALSE);

  return self->tick_id != 0;
}

/* The size of the grid's cells in a width × height drawing of the shown level, 0 when none. */
static double
cell_for_size (MsLevelView         *self,
               const SimShownLevel *shown,
               int                  width,
               int                  height)
{
  LevelLayout l;

  compute_layout (self, shown, width, height, &l);
  return l.cell;
}

/* The least size (from 1 to max) along one side at which the cells are as big as at max,
 * the other side fixed: the cells never shrink as a side grows. */
static int
least_size_for_cell (MsLevelView         *self,
                     const SimShownLevel *shown,
                     int                  other,
                     gboolean             along_width,
                     int                  max)
{
  double best = along_width ? cell_for_size (self, shown, max, other)
                            : cell_for_size (self, shown, other, max);
  int lo = 1, hi = max;

  while (lo < hi)
    {
      int mid = lo + (hi - lo) / 2;
      double cell = along_width ? cell_for_size (self, shown, mid, other)
                                : cell_for_size (self, shown, other, mid);

      if (cell >= best)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

int
ms_level_view_width_for_height (MsLevelView *self,
                                int          height,
                                int          max_width)
{
  const SimShownLevel *shown;

  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), -1);

  shown = get_shown (drawn_snapshot (self), self->shown);
  if (shown == NULL || height <= 0)
    return -1;
  if (max_width <= 0)
    max_width = 8 * height + 1000;
  return least_size_for_cell (self, shown, height, TRUE, max_width);
}

int
ms_level_view_height_for_width (MsLevelView *self,
                                int          width)
{
  const SimShownLevel *shown;

  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), -1);

  shown = get_shown (drawn_snapshot (self), self->shown);
  if (shown == NULL || width <= 0)
    return -1;
  return least_size_for_cell (self, shown, width, FALSE, 8 * width + 1000);
}

const char *
ms_level_view_get_caption (MsLevelView *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_VIEW (self), NULL);

  return self->caption;
}
