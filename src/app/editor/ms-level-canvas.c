/* ms-level-canvas.c: an editable level, painted with the pointer or the keyboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws a level as the dashboard's level view does (ms_cell_painter_level()) and lets the user
 * paint it: press or drag with the primary button to paint with the current tool, with the
 * secondary button to paint floor; or move the keyboard cursor with the arrow keys and paint
 * with Enter or Space. A stroke (one press and drag, one key press) emits "stroke-begin" once,
 * before its first change, so the owner can keep an undo step; every change emits "changed".
 * The agent's sampled paths can be drawn over the level until the next edit.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-level-canvas.h"
#include "ms-cell-painter.h"

struct _MsLevelCanvas
{
  MsPlot parent_instance;

  SimLevel *level;              /* owned, private: never shared, so it may be edited */
  MsLevelTool tool;

  int cursor_x;
  int cursor_y;

  /* The stroke in progress. */
  gboolean stroking;
  gboolean stroke_changed;
  MsLevelTool stroke_tool;
  int last_x;
  int last_y;
  double drag_x;
  double drag_y;

  /* The agent's paths: n_paths paths of path_lengths[i] cells from path_offsets[i]. */
  int n_paths;
  int *path_cells;              /* owned */
  int *path_offsets;            /* owned */
  int *path_lengths;            /* owned */

  /* Geometry of the last drawing. */
  MsCellGrid grid;
  gboolean has_grid;
};

enum {
  PROP_0,
  PROP_TOOL,
  N_PROPS
};

enum {
  STROKE_BEGIN,
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MsLevelCanvas, ms_level_canvas, MS_TYPE_PLOT)

static const char *tool_names[MS_LEVEL_N_TOOLS] = {
  "wall", "floor", "lava", "coin", "exit", "green", "start", "key", "chest",
};

const char *
ms_level_tool_to_string (MsLevelTool tool)
{
  if ((guint) tool >= MS_LEVEL_N_TOOLS)
    return "floor";
  return tool_names[tool];
}

gboolean
ms_level_tool_from_string (const char  *name,
                           MsLevelTool *out)
{
  for (int i = 0; i < MS_LEVEL_N_TOOLS; i++)
    if (g_strcmp0 (name, tool_names[i]) == 0)
      {
        if (out != NULL)
          *out = (MsLevelTool) i;
        return TRUE;
      }
  return FALSE;
}

const char *
ms_level_tool_label (MsLevelTool tool)
{
  switch (tool)
    {
    case MS_LEVEL_TOOL_WALL:
      return _("Wall");
    case MS_LEVEL_TOOL_LAVA:
      return _("Lava");
    case MS_LEVEL_TOOL_COIN:
      return _("Coin");
    case MS_LEVEL_TOOL_EXIT:
      return _("Exit");
    case MS_LEVEL_TOOL_GREEN:
      return _("Green Tile");
    case MS_LEVEL_TOOL_START:
      return _("Start");
    case MS_LEVEL_TOOL_KEY:
      return _("Key");
    case MS_LEVEL_TOOL_CHEST:
      return _("Chest");
    case MS_LEVEL_TOOL_FLOOR:
    case MS_LEVEL_N_TOOLS:
    default:
      return _("Floor");
    }
}

SimCell
ms_level_tool_cell (MsLevelTool tool)
{
  switch (tool)
    {
    case MS_LEVEL_TOOL_WALL:
      return SIM_CELL_WALL;
    case MS_LEVEL_TOOL_LAVA:
      return SIM_CELL_LAVA;
    case MS_LEVEL_TOOL_COIN:
      return SIM_CELL_COIN;
    case MS_LEVEL_TOOL_EXIT:
      return SIM_CELL_EXIT;
    case MS_LEVEL_TOOL_GREEN:
      return SIM_CELL_GREEN;
    case MS_LEVEL_TOOL_KEY:
      return SIM_CELL_KEY;
    case MS_LEVEL_TOOL_CHEST:
      return SIM_CELL_CHEST;
    case MS_LEVEL_TOOL_START:
    case MS_LEVEL_TOOL_FLOOR:
    case MS_LEVEL_N_TOOLS:
    default:
      return SIM_CELL_FLOOR;
    }
}

/* Applies tool to cell (x, y) of level; returns TRUE if anything changed. An exit painted on a
 * green tile (or a green tile on an exit) makes an exit on green. Anything but floor painted
 * over the start removes the start: the level then has none, and the editor says so. */
static gboolean
apply_tool (SimLevel    *level,
            int          x,
            int          y,
            MsLevelTool  tool)
{
  int s = sim_level_index (level, x, y);
  SimCell old = (SimCell) level->cells[s];
  SimCell cell = ms_level_tool_cell (tool);
  int start = level->start;

  if (tool == MS_LEVEL_TOOL_START)
    start = s;
  else if ((tool == MS_LEVEL_TOOL_EXIT &&
            (old == SIM_CELL_GREEN || old == SIM_CELL_EXIT_GREEN)) ||
           (tool == MS_LEVEL_TOOL_GREEN &&
            (old == SIM_CELL_EXIT || old == SIM_CELL_EXIT_GREEN)))
    cell = SIM_CELL_EXIT_GREEN;
  if (cell != SIM_CELL_FLOOR && start == s)
    start = -1;
  if (cell == old && start == level->start)
    return FALSE;
  level->cells[s] = (guint8) cell;
  level->start = start;
  return TRUE;
}

static void
clear_paths (MsLevelCanvas *self)
{
  self->n_paths = 0;
  g_clear_pointer (&self->path_cells, g_free);
  g_clear_pointer (&self->path_offsets, g_free);
  g_clear_pointer (&self->path_lengths, g_free);
}

/* Paints one cell as part of the current stroke. */
static gboolean
stroke_paint (MsLevelCanvas *self,
              int            x,
              int            y)
{
  g_autoptr (SimLevel) before = NULL;

  if (self->level == NULL || x < 0 || y < 0 || x >= self->level->width ||
      y >= self->level->height)
    return FALSE;
  before = sim_level_copy (self->level);
  if (!apply_tool (before, x, y, self->stroke_tool))
    return FALSE;
  if (!self->stroke_changed)
    {
      /* The owner sees the level as it was before the stroke. */
      self->stroke_changed = TRUE;
      g_signal_emit (self, signals[STROKE_BEGIN], 0);
    }
  apply_tool (self->level, x, y, self->stroke_tool);
  clear_paths (self);
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static void
begin_stroke (MsLevelCanvas *self,
              MsLevelTool    tool)
{
  self->stroking = TRUE;
  self->stroke_changed = FALSE;
  self->stroke_tool = tool;
  self->last_x = -1;
  self->last_y = -1;
}

/* Paints every cell on the line from the last painted cell to (x, y), so a fast drag leaves no
 * gaps. */
static void
stroke_to (MsLevelCanvas *self,
           int            x,
           int            y)
{
  int x0 = self->last_x, y0 = self->last_y;

  if (x0 < 0)
    {
      stroke_paint (self, x, y);
    }
  else
    {
      int dx = ABS (x - x0), dy = -ABS (y - y0);
      int sx = x0 < x ? 1 : -1, sy = y0 < y ? 1 : -1;
      int err = dx + dy;

      for (;;)
        {
          int e2;

          stroke_paint (self, x0, y0);
          if (x0 == x && y0 == y)
            break;
          e2 = 2 * err;
          if (e2 >= dy)
            {
              err += dy;
              x0 += sx;
            }
          if (e2 <= dx)
            {
              err += dx;
              y0 += sy;
            }
        }
    }
  self->last_x = x;
  self->last_y = y;
}

/* The grid of the last drawing with the size of the level as it is now (an edit that resized
 * it is drawn at the next frame). */
static MsCellGrid
current_grid (MsLevelCanvas *self)
{
  MsCellGrid grid = self->grid;

  grid.width = self->level->width;
  grid.height = self->level->height;
  return grid;
}

/* The sampled paths, each shifted a little so that paths along the same cells show as a bundle,
 * with a dot where each one ends. */
static void
draw_paths (MsLevelCanvas *self,
            cairo_t       *cr)
{
  MsPlot *plot = MS_PLOT (self);
  const MsPalette *p = ms_plot_get_palette (plot);
  int N = self->level->width * self->level->height;
  double half = self->grid.cell / 2;
  double lw = MAX (ms_plot_px (plot, 2), self->grid.cell * 0.045);
  double spread = self->n_paths > 1 ? self->grid.cell * 0.2 : 0;

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < self->n_paths; i++)
      {
        const int *path = self->path_cells + self->path_offsets[i];
        double off = self->n_paths > 1 ? spread * ((double) i / (self->n_paths - 1) - 0.5) : 0;
        gboolean started = FALSE;
        double x, y;

        cairo_new_path (cr);
        for (int k = 0; k < self->path_lengths[i]; k++)
          {
            if (path[k] < 0 || path[k] >= N)
              {
                started = FALSE;
                continue;
              }
            ms_cell_grid_origin (&self->grid, path[k], &x, &y);
            if (started)
              cairo_line_to (cr, x + half + off, y + half + off);
            else
              cairo_move_to (cr, x + half + off, y + half + off);
            started = TRUE;
          }
        if (pass == 0)
          {
            /* A halo keeps the line readable over lava, walls and coins. */
            ms_plot_set_color_alpha (cr, &p->surface, 0.7);
            cairo_set_line_width (cr, lw + ms_plot_px (plot, 2.5));
          }
        else
          {
            ms_plot_set_color_alpha (cr, &p->agent, 0.85);
            cairo_set_line_width (cr, lw);
          }
        cairo_stroke (cr);
        if (pass == 1 && self->path_lengths[i] > 0)
          {
            int end = path[self->path_lengths[i] - 1];

            if (end >= 0 && end < N)
              {
                ms_cell_grid_origin (&self->grid, end, &x, &y);
                cairo_new_sub_path (cr);
                cairo_arc (cr, x + half + off, y + half + off,
                           MAX (lw * 1.8, self->grid.cell * 0.07), 0, 2 * G_PI);
                ms_plot_set_color (cr, &p->agent);
                cairo_fill_preserve (cr);
                ms_plot_set_color (cr, &p->surface);
                cairo_set_line_width (cr, ms_plot_px (plot, 1.5));
                cairo_stroke (cr);
              }
          }
      }
  cairo_restore (cr);
}

static void
outline_cell (MsLevelCanvas *self,
              cairo_t       *cr,
              int            cx,
              int            cy,
              double         width,
              gboolean       dashed)
{
  const MsPalette *p = ms_plot_get_palette (MS_PLOT (self));
  double inset = width / 2 + 1;
  double dash[2] = { width * 2, width * 1.5 };

  cairo_save (cr);
  cairo_rectangle (cr, self->grid.x + cx * self->grid.cell + inset,
                   self->grid.y + (self->grid.height - 1 - cy) * self->grid.cell + inset,
                   self->grid.cell - 2 * inset, self->grid.cell - 2 * inset);
  if (dashed)
    {
      ms_plot_set_color (cr, &p->surface);
      cairo_set_line_width (cr, width);
      cairo_stroke_preserve (cr);
      cairo_set_dash (cr, dash, 2, 0);
    }
  ms_plot_set_color (cr, &p->fg);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
ms_level_canvas_draw (MsPlot  *plot,
                      cairo_t *cr,
                      int      width,
                      int      height)
{
  MsLevelCanvas *self = MS_LEVEL_CANVAS (plot);
  double pad = ms_plot_px (plot, 12), hx, hy;
  int W, H, cx, cy;

  if (self->level == NULL)
    {
      self->has_grid = FALSE;
      ms_plot_draw_message (plot, cr, _("No level to edit"), pad, pad, width - 2 * pad,
                            height - 2 * pad);
      return;
    }
  W = self->level->width;
  H = self->level->height;
  self->grid.cell = floor (MIN ((width - 2 * pad) / W, (height - 2 * pad) / H));
  if (self->grid.cell < 3)
    {
      self->has_grid = FALSE;
      return;
    }
  self->grid.x = round ((width - self->grid.cell * W) / 2);
  self->grid.y = round ((height - self->grid.cell * H) / 2);
  self->grid.width = W;
  self->grid.height = H;
  self->has_grid = TRUE;
  ms_plot_set_data_area (plot, self->grid.x, self->grid.y, self->grid.cell * W,
                         self->grid.cell * H);

  ms_cell_painter_level (plot, cr, &self->grid, self->level);
  if (self->n_paths > 0)
    draw_paths (self, cr);

  /* The hovered cell previews the tool, faintly, inside an outline. */
  if (ms_plot_get_hover (plot, &hx, &hy) && ms_level_canvas_cell_at (self, hx, hy, &cx, &cy))
    {
      double x, y;

      ms_cell_grid_origin (&self->grid, sim_level_index (self->level, cx, cy), &x, &y);
      cairo_push_group (cr);
      if (self->tool == MS_LEVEL_TOOL_START)
        ms_plot_draw_start (plot, cr, x, y, self->grid.cell);
      else
        ms_plot_draw_cell (plot, cr, ms_level_tool_cell (self->tool), x, y, self->grid.cell);
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, 0.45);
      outline_cell (self, cr, cx, cy, ms_plot_px (plot, 2), FALSE);
    }
  /* The keyboard cursor, while the canvas has the keyboard focus. */
  if (gtk_widget_has_focus (GTK_WIDGET (self)))
    outline_cell (self, cr, self->cursor_x, self->cursor_y, ms_plot_px (plot, 3), TRUE);
}

static char *
ms_level_canvas_describe_at (MsPlot *plot,
                             double  x,
                             double  y)
{
  MsLevelCanvas *self = MS_LEVEL_CANVAS (plot);
  int cx, cy;

  if (!ms_level_canvas_cell_at (self, x, y, &cx, &cy))
    return NULL;
  if (sim_level_index (self->level, cx, cy) == self->level->start)
    /* Translators: a cell's coordinates, what it holds, and that it is the start */
    return g_strdup_printf (_("(%d, %d): %s, start"), cx, cy,
                            ms_words_cell_label (sim_level_get (self->level, cx, cy)));
  /* Translators: a cell's coordinates and what it holds */
  return g_strdup_printf (_("(%d, %d): %s"), cx, cy,
                          ms_words_cell_label (sim_level_get (self->level, cx, cy)));
}

static void
ms_level_canvas_update_state (MsPlot *plot)
{
  MsLevelCanvas *self = MS_LEVEL_CANVAS (plot);
  g_autofree char *text = NULL;
  g_autofree char *cursor = NULL;

  if (self->level == NULL)
    {
      ms_plot_set_description (plot, _("No level to edit."));
      return;
    }
  if (sim_level_index (self->level, self->cursor_x, self->cursor_y) == self->level->start)
    cursor = g_strdup_printf (_("(%d, %d): %s, start"), self->cursor_x, self->cursor_y,
                              ms_words_cell_label (sim_level_get (self->level, self->cursor_x,
                                                                 self->cursor_y)));
  else
    cursor = g_strdup_printf (_("(%d, %d): %s"), self->cursor_x, self->cursor_y,
                              ms_words_cell_label (sim_level_get (self->level, self->cursor_x,
                                                                 self->cursor_y)));
  /* Translators: the level size, the cell under the keyboard cursor, and the paint tool */
  text = g_strdup_printf (_("Level of %d by %d cells. Cursor at %s. Painting with: %s. Arrow "
                            "keys move the cursor, Enter paints."),
                          self->level->width, self->level->height, cursor,
                          ms_level_tool_label (self->tool));
  ms_plot_set_description (plot, text);
}

/* Input. */

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               MsLevelCanvas  *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  int cx, cy;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (!ms_level_canvas_cell_at (self, x, y, &cx, &cy))
    {
      self->stroking = FALSE;
      return;
    }
  begin_stroke (self, button == GDK_BUTTON_SECONDARY ? MS_LEVEL_TOOL_FLOOR : self->tool);
  self->drag_x = x;
  self->drag_y = y;
  self->cursor_x = cx;
  self->cursor_y = cy;
  stroke_to (self, cx, cy);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                MsLevelCanvas  *self)
{
  int cx, cy;

  if (!self->stroking || self->level == NULL || !self->has_grid)
    return;
  /* Outside the grid the stroke goes on along the nearest edge cell. */
  cx = (int) floor ((self->drag_x + dx - self->grid.x) / self->grid.cell);
  cy = self->level->height - 1
       - (int) floor ((self->drag_y + dy - self->grid.y) / self->grid.cell);
  cx = CLAMP (cx, 0, self->level->width - 1);
  cy = CLAMP (cy, 0, self->level->height - 1);
  if (cx == self->last_x && cy == self->last_y)
    return;
  self->cursor_x = cx;
  self->cursor_y = cy;
  stroke_to (self, cx, cy);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             MsLevelCanvas  *self)
{
  self->stroking = FALSE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                MsLevelCanvas         *self)
{
  int x = self->cursor_x, y = self->cursor_y;

  if (self->level == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      x--;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      x++;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      y++;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      y--;
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      ms_level_canvas_paint (self, x, y, self->tool);
      return TRUE;
    case GDK_KEY_Delete:
    case GDK_KEY_BackSpace:
      ms_level_canvas_paint (self, x, y, MS_LEVEL_TOOL_FLOOR);
      return TRUE;
    default:
      return FALSE;
    }
  /* Arrow keys stop at the edges rather than moving the focus away. */
  ms_level_canvas_set_cursor (self, CLAMP (x, 0, self->level->width - 1),
                              CLAMP (y, 0, self->level->height - 1));
  return TRUE;
}

static void
focus_changed_cb (MsLevelCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ms_level_canvas_finalize (GObject *object)
{
  MsLevelCanvas *self = MS_LEVEL_CANVAS (object);

  g_clear_pointer (&self->level, sim_level_unref);
  clear_paths (self);

  G_OBJECT_CLASS (ms_level_canvas_parent_class)->finalize (object);
}

static void
ms_level_canvas_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MsLevelCanvas *self = MS_LEVEL_CANVAS (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      g_value_set_int (value, self->tool);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_level_canvas_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MsLevelCanvas *self = MS_LEVEL_CANVAS (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      ms_level_canvas_set_tool (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_level_canvas_class_init (MsLevelCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  MsPlotClass *plot_class = MS_PLOT_CLASS (klass);

  object_class->finalize = ms_level_canvas_finalize;
  object_class->get_property = ms_level_canvas_get_property;
  object_class->set_property = ms_level_canvas_set_property;

  plot_class->draw = ms_level_canvas_draw;
  plot_class->describe_at = ms_level_canvas_describe_at;
  plot_class->update_state = ms_level_canvas_update_state;

  /**
   * MsLevelCanvas:tool:
   *
   * What the primary button, Enter and Space paint (an MsLevelTool).
   */
  properties[PROP_TOOL] =
    g_param_spec_int ("tool", NULL, NULL, 0, MS_LEVEL_N_TOOLS - 1, MS_LEVEL_TOOL_WALL,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MsLevelCanvas::stroke-begin:
   *
   * Emitted before the first change of a stroke, while the level is still as it was.
   */
  signals[STROKE_BEGIN] = g_signal_new ("stroke-begin", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);
  /**
   * MsLevelCanvas::changed:
   *
   * Emitted after every change of the level by painting.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "level-canvas");
}

static void
ms_level_canvas_init (MsLevelCanvas *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->tool = MS_LEVEL_TOOL_WALL;

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  g_signal_connect_swapped (focus, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Level being edited"), -1);
  ms_plot_update_state (MS_PLOT (self));
}

GtkWidget *
ms_level_canvas_new (void)
{
  return g_object_new (MS_TYPE_LEVEL_CANVAS, NULL);
}

void
ms_level_canvas_set_level (MsLevelCanvas  *self,
                           const SimLevel *level)
{
  g_return_if_fail (MS_IS_LEVEL_CANVAS (self));

  g_clear_pointer (&self->level, sim_level_unref);
  if (level != NULL)
    {
      self->level = sim_level_copy (level);
      self->cursor_x = CLAMP (self->cursor_x, 0, level->width - 1);
      self->cursor_y = CLAMP (self->cursor_y, 0, level->height - 1);
    }
  self->stroking = FALSE;
  clear_paths (self);
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const SimLevel *
ms_level_canvas_get_level (MsLevelCanvas *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_CANVAS (self), NULL);

  return self->level;
}

void
ms_level_canvas_set_tool (MsLevelCanvas *self,
                          MsLevelTool    tool)
{
  g_return_if_fail (MS_IS_LEVEL_CANVAS (self));
  g_return_if_fail ((guint) tool < MS_LEVEL_N_TOOLS);

  if (tool == self->tool)
    return;
  self->tool = tool;
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

MsLevelTool
ms_level_canvas_get_tool (MsLevelCanvas *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_CANVAS (self), MS_LEVEL_TOOL_WALL);

  return self->tool;
}

gboolean
ms_level_canvas_paint (MsLevelCanvas *self,
                       int            x,
                       int            y,
                       MsLevelTool    tool)
{
  gboolean changed;

  g_return_val_if_fail (MS_IS_LEVEL_CANVAS (self), FALSE);
  g_return_val_if_fail ((guint) tool < MS_LEVEL_N_TOOLS, FALSE);

  begin_stroke (self, tool);
  changed = stroke_paint (self, x, y);
  self->stroking = FALSE;
  return changed;
}

void
ms_level_canvas_get_cursor (MsLevelCanvas *self,
                            int           *x,
                            int           *y)
{
  g_return_if_fail (MS_IS_LEVEL_CANVAS (self));

  if (x != NULL)
    *x = self->cursor_x;
  if (y != NULL)
    *y = self->cursor_y;
}

void
ms_level_canvas_set_cursor (MsLevelCanvas *self,
                            int            x,
                            int            y)
{
  g_return_if_fail (MS_IS_LEVEL_CANVAS (self));

  if (self->level == NULL)
    return;
  x = CLAMP (x, 0, self->level->width - 1);
  y = CLAMP (y, 0, self->level->height - 1);
  if (x == self->cursor_x && y == self->cursor_y)
    return;
  self->cursor_x = x;
  self->cursor_y = y;
  ms_plot_update_state (MS_PLOT (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
ms_level_canvas_cell_at (MsLevelCanvas *self,
                         double         x,
                         double         y,
                         int           *cell_x,
                         int           *cell_y)
{
  MsCellGrid grid;

  g_return_val_if_fail (MS_IS_LEVEL_CANVAS (self), FALSE);

  if (self->level == NULL || !self->has_grid)
    return FALSE;
  grid = current_grid (self);
  return ms_cell_grid_cell_at (&grid, x, y, cell_x, cell_y);
}

gboolean
ms_level_canvas_cell_center (MsLevelCanvas *self,
                             int            cell_x,
                             int            cell_y,
                             double        *x,
                             double        *y)
{
  g_return_val_if_fail (MS_IS_LEVEL_CANVAS (self), FALSE);

  if (self->level == NULL || !self->has_grid || cell_x < 0 || cell_y < 0 ||
      cell_x >= self->level->width || cell_y >= self->level->height)
    return FALSE;
  *x = self->grid.x + (cell_x + 0.5) * self->grid.cell;
  *y = self->grid.y + (self->level->height - 1 - cell_y + 0.5) * self->grid.cell;
  return TRUE;
}

void
ms_level_canvas_set_paths (MsLevelCanvas *self,
                           const int     *cells,
                           const int     *offsets,
                           const int     *lengths,
                           int            n_paths)
{
  int total = 0;

  g_return_if_fail (MS_IS_LEVEL_CANVAS (self));
  g_return_if_fail (n_paths >= 0);

  clear_paths (self);
  for (int i = 0; i < n_paths; i++)
    total = MAX (total, offsets[i] + lengths[i]);
  if (n_paths > 0)
    {
      self->n_paths = n_paths;
      self->path_cells = total > 0 ? g_memdup2 (cells, sizeof (int) * total) : NULL;
      self->path_offsets = g_memdup2 (offsets, sizeof (int) * n_paths);
      self->path_lengths = g_memdup2 (lengths, sizeof (int) * n_paths);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
ms_level_canvas_get_n_paths (MsLevelCanvas *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_CANVAS (self), 0);

  return self->n_paths;
}

const int *
ms_level_canvas_get_path (MsLevelCanvas *self,
                          int            i,
                          int           *length)
{
  g_return_val_if_fail (MS_IS_LEVEL_CANVAS (self), NULL);
  g_return_val_if_fail (i >= 0 && i < self->n_paths, NULL);

  if (length != NULL)
    *length = self->path_lengths[i];
  return self->path_cells + self->path_offsets[i];
}
