/* ms-cell-painter.h: a level drawn as a grid of square cells, y = 0 the bottom row: where each
 * cell is, the cell under a point, and the drawing the level view, the reward maps and the
 * level editor's canvas share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

/* Where a grid was drawn. */
typedef struct
{
  double x;             /* the top-left corner */
  double y;
  double cell;          /* the side of a cell */
  int width;            /* columns */
  int height;           /* rows */
} MsCellGrid;

/* The top-left corner of the cell with row-major index (index = y · width + x). */
void      ms_cell_grid_origin         (const MsCellGrid *grid,
                                       int               index,
                                       double           *x,
                                       double           *y);
/* The cell under the point (x, y); FALSE outside the grid. cell_x and cell_y may be NULL. */
gboolean  ms_cell_grid_cell_at        (const MsCellGrid *grid,
                                       double            x,
                                       double            y,
                                       int              *cell_x,
                                       int              *cell_y);

/* The level as the level view and the editor show it: floor, the icon of every other cell
 * (ms_plot_draw_cell()), the grid lines, then the start flag. The grid has the level's size. */
void      ms_cell_painter_level       (MsPlot           *plot,
                                       cairo_t          *cr,
                                       const MsCellGrid *grid,
                                       const SimLevel   *level);
/* Only the level's walls, for drawing over something else (the reward maps' colours). */
void      ms_cell_painter_walls       (MsPlot           *plot,
                                       cairo_t          *cr,
                                       const MsCellGrid *grid,
                                       const SimLevel   *level);
/* One-pixel lines between and around the cells, in the palette's floor-line colour. */
void      ms_cell_painter_grid_lines  (MsPlot           *plot,
                                       cairo_t          *cr,
                                       const MsCellGrid *grid);
/* The start flag on the level's start cell, when it has one. */
void      ms_cell_painter_start       (MsPlot           *plot,
                                       cairo_t          *cr,
                                       const MsCellGrid *grid,
                                       const SimLevel   *level);
/* The outline of the hovered cell: 2 px (at scale 1) inside it, in the text colour. */
void      ms_cell_painter_hover       (MsPlot           *plot,
                                       cairo_t          *cr,
                                       const MsCellGrid *grid,
                                       int               cell_x,
                                       int               cell_y);

G_END_DECLS
