/* ms-cell-painter.c: a level drawn as a grid of square cells
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that says where a cell of a drawn level is and how its grid looks: the level
 * view (ms-level-view.c), the reward maps (ms-reward-map.c) and the level editor's canvas
 * (editor/ms-level-canvas.c) draw through it, so a level looks the same in all three. The
 * cells' icons themselves are ms_plot_draw_cell() and ms_plot_draw_start() of ms-plot.c.
 */
#include "config.h"

#include <math.h>

#include "ms-cell-painter.h"

void
ms_cell_grid_origin (const MsCellGrid *grid,
                     int               index,
                     double           *x,
                     double           *y)
{
  int cx = index % grid->width, cy = index / grid->width;

  *x = grid->x + cx * grid->cell;
  *y = grid->y + (grid->height - 1 - cy) * grid->cell;
}

gboolean
ms_cell_grid_cell_at (const MsCellGrid *grid,
                      double            x,
                      double            y,
                      int              *cell_x,
                      int              *cell_y)
{
  int cx, row;

  if (grid->cell <= 0 || x < grid->x || y < grid->y)
    return FALSE;
  cx = (int) floor ((x - grid->x) / grid->cell);
  row = (int) floor ((y - grid->y) / grid->cell);
  if (cx >= grid->width || row >= grid->height)
    return FALSE;
  if (cell_x != NULL)
    *cell_x = cx;
  if (cell_y != NULL)
    *cell_y = grid->height - 1 - row;
  return TRUE;
}

/* The icons of the level's cells: every kind but floor, or only walls. */
static void
draw_cells (MsPlot           *plot,
            cairo_t          *cr,
            const MsCellGrid *grid,
            const SimLevel   *level,
            gboolean          walls_only)
{
  double x, y;

  for (int i = 0; i < level->width * level->height; i++)
    {
      SimCell c = (SimCell) level->cells[i];

      if (c == SIM_CELL_FLOOR || c >= SIM_N_CELLS || (walls_only && c != SIM_CELL_WALL))
        continue;
      ms_cell_grid_origin (grid, i, &x, &y);
      ms_plot_draw_cell (plot, cr, c, x, y, grid->cell);
    }
}

void
ms_cell_painter_level (MsPlot           *plot,
                       cairo_t          *cr,
                       const MsCellGrid *grid,
                       const SimLevel   *level)
{
  const MsPalette *p = ms_plot_get_palette (plot);

  cairo_rectangle (cr, grid->x, grid->y, grid->cell * grid->width, grid->cell * grid->height);
  ms_plot_set_color (cr, &p->floor);
  cairo_fill (cr);
  draw_cells (plot, cr, grid, level, FALSE);
  ms_cell_painter_grid_lines (plot, cr, grid);
  ms_cell_painter_start (plot, cr, grid, level);
}

void
ms_cell_painter_walls (MsPlot           *plot,
                       cairo_t          *cr,
                       const MsCellGrid *grid,
                       const SimLevel   *level)
{
  draw_cells (plot, cr, grid, level, TRUE);
}

void
ms_cell_painter_grid_lines (MsPlot           *plot,
                            cairo_t          *cr,
                            const MsCellGrid *grid)
{
  const MsPalette *p = ms_plot_get_palette (plot);
  int W = grid->width, H = grid->height;

  ms_plot_set_color (cr, &p->floor_line);
  cairo_set_line_width (cr, 1);
  for (int i = 0; i <= W; i++)
    {
      cairo_move_to (cr, grid->x + i * grid->cell + 0.5, grid->y);
      cairo_line_to (cr, grid->x + i * grid->cell + 0.5, grid->y + H * grid->cell);
    }
  for (int j = 0; j <= H; j++)
    {
      cairo_move_to (cr, grid->x, grid->y + j * grid->cell + 0.5);
      cairo_line_to (cr, grid->x + W * grid->cell, grid->y + j * grid->cell + 0.5);
    }
  cairo_stroke (cr);
}

void
ms_cell_painter_start (MsPlot           *plot,
                       cairo_t          *cr,
                       const MsCellGrid *grid,
                       const SimLevel   *level)
{
  double x, y;

  if (level->start < 0 || level->start >= level->width * level->height)
    return;
  ms_cell_grid_origin (grid, level->start, &x, &y);
  ms_plot_draw_start (plot, cr, x, y, grid->cell);
}

void
ms_cell_painter_hover (MsPlot           *plot,
                       cairo_t          *cr,
                       const MsCellGrid *grid,
                       int               cell_x,
                       int               cell_y)
{
  const MsPalette *p = ms_plot_get_palette (plot);

  cairo_rectangle (cr, grid->x + cell_x * grid->cell + 1,
                   grid->y + (grid->height - 1 - cell_y) * grid->cell + 1, grid->cell - 2,
                   grid->cell - 2);
  ms_plot_set_color (cr, &p->fg);
  cairo_set_line_width (cr, ms_plot_px (plot, 2));
  cairo_stroke (cr);
}
