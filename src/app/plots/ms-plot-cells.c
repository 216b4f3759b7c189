/* ms-plot-cells.c: a level cell as an icon (floor, wall, lava, coin, exit, green tile, key,
 * chest) and the start flag, for the level view, the reward maps and the editor canvas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-plot-private.h"

static void
draw_door (cairo_t       *cr,
           const GdkRGBA *color,
           const GdkRGBA *knob,
           double         x,
           double         y,
           double         s)
{
  double dw = s * 0.46, dh = s * 0.64;
  double dx = x + (s - dw) / 2, dy = y + s * 0.22;

  cairo_new_path (cr);
  cairo_move_to (cr, dx, dy + dh);
  cairo_line_to (cr, dx, dy + dw / 2);
  cairo_arc (cr, dx + dw / 2, dy + dw / 2, dw / 2, G_PI, 2 * G_PI);
  cairo_line_to (cr, dx + dw, dy + dh);
  cairo_close_path (cr);
  ms_plot_set_color (cr, color);
  cairo_fill (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, dx + dw * 0.75, dy + dh * 0.62, s * 0.045, 0, 2 * G_PI);
  ms_plot_set_color (cr, knob);
  cairo_fill (cr);
}

static void
draw_green_tile (cairo_t         *cr,
                 const MsPalette *p,
                 double           x,
                 double           y,
                 double           s)
{
  cairo_rectangle (cr, x, y, s, s);
  ms_plot_set_color (cr, &p->green);
  cairo_fill (cr);
  /* Stripes make the tile distinguishable without its hue. */
  cairo_set_source_rgba (cr, 0.0, 0.3, 0.1, 0.35);
  ms_plot_hatch (cr, x, y, s, s, s / 4.0, MAX (1.0, s * 0.06));
}

void
ms_plot_draw_cell (MsPlot  *self,
                   cairo_t *cr,
                   SimCell  cell,
                   double   x,
                   double   y,
                   double   s)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double lw = MAX (1.0, s * 0.05);

  switch (cell)
    {
    case SIM_CELL_WALL:
      {
        /* Bricks: three courses, joints offset every other course, on whole pixels so they
         * stay crisp and cheap. */
        double blw = MAX (1.0, round (s * 0.05));
        double off = fmod (blw, 2.0) == 1.0 ? 0.5 : 0.0;

        cairo_rectangle (cr, x, y, s, s);
        ms_plot_set_color (cr, &p->wall);
        cairo_fill (cr);
        ms_plot_set_color (cr, &p->wall_line);
        cairo_set_line_width (cr, blw);
        for (int i = 1; i < 3; i++)
          {
            double ly = round (y + i * s / 3) + off;

            cairo_move_to (cr, x, ly);
            cairo_line_to (cr, x + s, ly);
          }
        for (int i = 0; i < 3; i++)
          {
            double y0 = round (y + i * s / 3), y1 = round (y + (i + 1) * s / 3);
            double jx = round (x + (i % 2 == 0 ? s / 2 : s / 4)) + off;

            cairo_move_to (cr, jx, y0);
            cairo_line_to (cr, jx, y1);
            if (i % 2 == 1)
              {
                cairo_move_to (cr, round (jx - off + s / 2) + off, y0);
                cairo_line_to (cr, round (jx - off + s / 2) + off, y1);
              }
          }
        cairo_stroke (cr);
      }
      break;

    case SIM_CELL_LAVA:
      cairo_rectangle (cr, x, y, s, s);
      ms_plot_set_color (cr, &p->lava);
      cairo_fill (cr);
      ms_plot_set_color (cr, &p->lava_line);
      cairo_set_line_width (cr, lw * 1.2);
      for (int i = 0; i < 3; i++)
        {
          double wy = y + s * (0.27 + 0.23 * i), a = s * 0.08;

          cairo_move_to (cr, x + s * 0.12, wy);
          cairo_curve_to (cr, x + s * 0.3, wy - 2 * a, x + s * 0.4, wy + 2 * a, x + s * 0.5, wy);
          cairo_curve_to (cr, x + s * 0.6, wy - 2 * a, x + s * 0.7, wy + 2 * a, x + s * 0.88,
                          wy);
        }
      cairo_stroke (cr);
      break;

    case SIM_CELL_COIN:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + s / 2, y + s / 2, s * 0.32, 0, 2 * G_PI);
      ms_plot_set_color (cr, &p->coin);
      cairo_fill_preserve (cr);
      ms_plot_set_color (cr, &p->coin_line);
      cairo_set_line_width (cr, lw);
      cairo_stroke (cr);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + s / 2, y + s / 2, s * 0.19, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;

    case SIM_CELL_EXIT:
      draw_door (cr, &p->exit, &p->coin, x, y, s);
      break;

    case SIM_CELL_GREEN:
      draw_green_tile (cr, p, x, y, s);
      break;

    case SIM_CELL_EXIT_GREEN:
      draw_green_tile (cr, p, x, y, s);
      draw_door (cr, &p->exit, &p->coin, x, y, s);
      break;

    case SIM_CELL_KEY:
      {
        double r = s * 0.13, cy = y + s / 2, kx = x + s * 0.28;

        ms_plot_set_color (cr, &p->key);
        cairo_set_line_width (cr, MAX (1.5, s * 0.09));
        cairo_new_sub_path (cr);
        cairo_arc (cr, kx, cy, r, 0, 2 * G_PI);
        cairo_move_to (cr, kx + r, cy);
        cairo_line_to (cr, x + s * 0.8, cy);
        cairo_move_to (cr, x + s * 0.7, cy);
        cairo_line_to (cr, x + s * 0.7, cy + s * 0.14);
        cairo_move_to (cr, x + s * 0.8, cy);
        cairo_line_to (cr, x + s * 0.8, cy + s * 0.18);
        cairo_stroke (cr);
      }
      break;

    case SIM_CELL_CHEST:
      {
        double cw = s * 0.62, ch = s * 0.44;
        double cx = x + (s - cw) / 2, cy = y + s * 0.3;

        cairo_rectangle (cr, cx, cy, cw, ch);
        ms_plot_set_color (cr, &p->chest);
        cairo_fill_preserve (cr);
        cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
        cairo_set_line_width (cr, lw);
        cairo_stroke (cr);
        cairo_move_to (cr, cx, cy + ch * 0.38);
        cairo_line_to (cr, cx + cw, cy + ch * 0.38);
        cairo_stroke (cr);
        cairo_rectangle (cr, cx + cw / 2 - s * 0.05, cy + ch * 0.25, s * 0.1, s * 0.12);
        ms_plot_set_color (cr, &p->coin);
        cairo_fill (cr);
      }
      break;

    case SIM_CELL_FLOOR:
    case SIM_N_CELLS:
    default:
      break;
    }
}

void
ms_plot_draw_start (MsPlot  *self,
                    cairo_t *cr,
                    double   x,
                    double   y,
                    double   s)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double px = x + s * 0.3;

  /* A flag: pole and pennant. */
  cairo_set_line_width (cr, MAX (1.5, s * 0.06));
  ms_plot_set_color (cr, &p->fg);
  cairo_move_to (cr, px, y + s * 0.84);
  cairo_line_to (cr, px, y + s * 0.16);
  cairo_stroke (cr);
  cairo_move_to (cr, px, y + s * 0.16);
  cairo_line_to (cr, px + s * 0.46, y + s * 0.29);
  cairo_line_to (cr, px, y + s * 0.42);
  cairo_close_path (cr);
  ms_plot_set_color (cr, &p->fg);
  cairo_fill (cr);
}
