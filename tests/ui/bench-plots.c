/* bench-plots.c: time drawing the six dashboard widgets, and render them to PNG files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws the level view and the five plots with a hand-built mid-training snapshot into cairo
 * image surfaces, 200 times, and prints the median time per frame (all six widgets) in two
 * layouts: the dashboard's layout in a 1920×1080 window, and every widget at 1920×1080. With
 * --png DIR it also writes each widget, and the whole dashboard as laid out in a 1280×720
 * window, in the light and dark themes and in teacher mode.
 *
 * Needs a display (run under xvfb-run): the widgets take their fonts and colours from GTK.
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "ms-alignment-plot.h"
#include "ms-goal-plot.h"
#include "ms-level-view.h"
#include "ms-objective-plot.h"
#include "ms-reward-map.h"
#include "ms-success-plot.h"
#include "plot-fixtures.h"

enum { LEVEL, SUCCESS, OBJECTIVE, ALIGNMENT, REWARD, GOAL, N_WIDGETS };

static const char *names[N_WIDGETS] = { "level", "success", "objective", "alignment", "reward",
                                            "goal" };

typedef struct
{
  double x, y, width, height;
} Box;

/* The dashboard grid (MsDashboard): 3 columns, 2 rows, 12 px spacing and margins, 6 px card
 * padding; the level view, success and goal-directedness on top, then reward maps, objectives,
 * alignment. header is the height of the header bar above it. */
static void
dashboard_layout (int  width,
                  int  height,
                  int  header,
                  Box  boxes[N_WIDGETS])
{
  double col = (width - 2 * 12 - 2 * 12) / 3.0;
  double row = (height - header - 12 - 6 - 12) / 2.0;
  double x0 = 12, y0 = header + 12, pad = 6;

  boxes[LEVEL] = (Box) { x0 + pad, y0 + pad, col - 2 * pad, row - 2 * pad };
  boxes[SUCCESS] = (Box) { x0 + col + 12 + pad, y0 + pad, col - 2 * pad, row - 2 * pad };
  boxes[GOAL] = (Box) { x0 + 2 * (col + 12) + pad, y0 + pad, col - 2 * pad, row - 2 * pad };
  boxes[REWARD] = (Box) { x0 + pad, y0 + row + 12 + pad, col - 2 * pad, row - 2 * pad };
  boxes[OBJECTIVE] = (Box) { x0 + col + 12 + pad, y0 + row + 12 + pad, col - 2 * pad,
                             row - 2 * pad };
  boxes[ALIGNMENT] = (Box) { x0 + 2 * (col + 12) + pad, y0 + row + 12 + pad, col - 2 * pad,
                             row - 2 * pad };
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Draws every widget into its own surface of its box size, n times; returns the median
 * milliseconds for a frame of all six, and each widget's median in each_ms. Every frame
 * hands the widgets a different snapshot object first (two equal ones, alternating), as the
 * runner does while training, so per-snapshot work and cache checks are timed too. */
static double
time_frames (MsPlot      *plots[N_WIDGETS],
             SimSnapshot *snapshots[2],
             Box          boxes[N_WIDGETS],
             int          n,
             double       each_ms[N_WIDGETS])
{
  cairo_surface_t *surfaces[N_WIDGETS];
  g_autofree double *frame = g_new (double, (gsize) MAX (n, 1));
  g_autofree double *each = g_new (double, (gsize) MAX (n, 1) * N_WIDGETS);

  for (int w = 0; w < N_WIDGETS; w++)
    surfaces[w] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) boxes[w].width,
                                              (int) boxes[w].height);
  /* One untimed frame fills the text caches, as the first frame on screen does. */
  for (int w = 0; w < N_WIDGETS; w++)
    {
      cairo_t *cr = cairo_create (surfaces[w]);

      ms_plot_draw (plots[w], cr, (int) boxes[w].width, (int) boxes[w].height);
      cairo_destroy (cr);
    }

  for (int i = 0; i < n; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      for (int w = 0; w < N_WIDGETS; w++)
        {
          gint64 t = g_get_monotonic_time ();
          cairo_t *cr = cairo_create (surfaces[w]);

          ms_plot_set_snapshot (plots[w], snapshots[i % 2]);
          cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
          cairo_paint (cr);
          cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
          ms_plot_draw (plots[w], cr, (int) boxes[w].width, (int) boxes[w].height);
          cairo_destroy (cr);
          cairo_surface_flush (surfaces[w]);
          each[(gsize) w * n + i] = (g_get_monotonic_time () - t) / 1000.0;
        }
      frame[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  for (int w = 0; w < N_WIDGETS; w++)
    {
      each_ms[w] = median (each + (gsize) w * n, n);
      cairo_surface_destroy (surfaces[w]);
    }
  return median (frame, n);
}

static void
paint_card (cairo_t *cr,
            gboolean dark,
            double   x,
            double   y,
            double   width,
            double   height)
{
  if (dark)
    cairo_set_source_rgb (cr, 0x36 / 255.0, 0x36 / 255.0, 0x36 / 255.0);
  else
    cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, width, height);
  cairo_fill (cr);
}

static void
write_pngs (MsPlot     *plots[N_WIDGETS],
            const char *dir,
            const char *suffix,
            gboolean    dark)
{
  Box boxes[N_WIDGETS];
  cairo_surface_t *all = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1280, 720);
  cairo_t *acr = cairo_create (all);
  g_autofree char *path = NULL;

  /* The window background and the header bar, roughly, for the composite. */
  if (dark)
    cairo_set_source_rgb (acr, 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0);
  else
    cairo_set_source_rgb (acr, 0xfa / 255.0, 0xfa / 255.0, 0xfa / 255.0);
  cairo_paint (acr);
  if (dark)
    cairo_set_source_rgb (acr, 0x30 / 255.0, 0x30 / 255.0, 0x30 / 255.0);
  else
    cairo_set_source_rgb (acr, 0xeb / 255.0, 0xeb / 255.0, 0xeb / 255.0);
  cairo_rectangle (acr, 0, 0, 1280, 47);
  cairo_fill (acr);

  dashboard_layout (1280, 720, 47, boxes);
  for (int w = 0; w < N_WIDGETS; w++)
    {
      int width = (int) boxes[w].width, height = (int) boxes[w].height;
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cairo_t *cr = cairo_create (surface);
      g_autofree char *file = g_strdup_printf ("%s/%s%s.png", dir, names[w], suffix);

      paint_card (cr, dark, 0, 0, width, height);
      ms_plot_draw (plots[w], cr, width, height);
      cairo_destroy (cr);
      if (cairo_surface_write_to_png (surface, file) != CAIRO_STATUS_SUCCESS)
        g_printerr ("Could not write %s\n", file);

      paint_card (acr, dark, boxes[w].x - 6, boxes[w].y - 6, boxes[w].width + 12,
                  boxes[w].height + 12);
      cairo_set_source_surface (acr, surface, round (boxes[w].x), round (boxes[w].y));
      cairo_paint (acr);
      cairo_surface_destroy (surface);
    }
  cairo_destroy (acr);
  path = g_strdup_printf ("%s/dashboard-1280x720%s.png", dir, suffix);
  if (cairo_surface_write_to_png (all, path) != CAIRO_STATUS_SUCCESS)
    g_printerr ("Could not write %s\n", path);
  cairo_surface_destroy (all);
}

static void
set_all (MsPlot     *plots[N_WIDGETS],
         const char *property,
         ...)
{
  for (int w = 0; w < N_WIDGETS; w++)
    {
      va_list args;

      va_start (args, property);
      g_object_set_valist (G_OBJECT (plots[w]), property, args);
      va_end (args);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *png_dir = NULL;
  int iterations = 200;
  gboolean untrained = FALSE;
  GOptionEntry entries[] = {
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png_dir, "Also write PNG files into DIR", "DIR" },
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Frames to time (200)", "N" },
    { "untrained", 0, 0, G_OPTION_ARG_NONE, &untrained, "Use the untrained snapshot", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- time the dashboard plots");
  g_autoptr (GError) error = NULL;
  SimSnapshot *snapshots[2];
  MsPlot *plots[N_WIDGETS];
  Box boxes[N_WIDGETS];
  double each[N_WIDGETS], ms;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (iterations < 1 || iterations > 100000)
    {
      g_printerr ("--iterations must be between 1 and 100000\n");
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("bench-plots: cannot open a display (run it under xvfb-run)\n");
      return 77;
    }
  adw_init ();

  for (int k = 0; k < 2; k++)
    snapshots[k] = untrained ? fixture_untrained () : fixture_mid_training ();
  plots[LEVEL] = MS_PLOT (ms_level_view_new ());
  plots[SUCCESS] = MS_PLOT (ms_success_plot_new ());
  plots[OBJECTIVE] = MS_PLOT (ms_objective_plot_new ());
  plots[ALIGNMENT] = MS_PLOT (ms_alignment_plot_new ());
  plots[REWARD] = MS_PLOT (ms_reward_map_new ());
  plots[GOAL] = MS_PLOT (g_object_new (MS_TYPE_GOAL_PLOT, NULL));
  for (int w = 0; w < N_WIDGETS; w++)
    {
      g_object_ref_sink (plots[w]);
      ms_plot_set_snapshot (plots[w], snapshots[0]);
    }

  dashboard_layout (1920, 1080, 47, boxes);
  ms = time_frames (plots, snapshots, boxes, iterations, each);
  g_print ("plots_dashboard_1920x1080_median %.3f ms\n", ms);
  for (int w = 0; w < N_WIDGETS; w++)
    g_print ("plots_dashboard_1920x1080_%s_median %.3f ms\n", names[w], each[w]);

  for (int w = 0; w < N_WIDGETS; w++)
    boxes[w] = (Box) { 0, 0, 1920, 1080 };
  ms = time_frames (plots, snapshots, boxes, iterations, each);
  g_print ("plots_each_1920x1080_median %.3f ms\n", ms);
  for (int w = 0; w < N_WIDGETS; w++)
    g_print ("plots_each_1920x1080_%s_median %.3f ms\n", names[w], each[w]);

  set_all (plots, "scale", 1.5, NULL);
  dashboard_layout (1920, 1080, 47, boxes);
  ms = time_frames (plots, snapshots, boxes, iterations, each);
  g_print ("plots_dashboard_1920x1080_scale1.5_median %.3f ms\n", ms);
  set_all (plots, "scale", 1.0, NULL);

  if (png_dir != NULL)
    {
      g_mkdir_with_parents (png_dir, 0755);
      write_pngs (plots, png_dir, "", FALSE);
      set_all (plots, "teacher-mode", TRUE, NULL);
      write_pngs (plots, png_dir, "-teacher", FALSE);
      set_all (plots, "teacher-mode", FALSE, NULL);
      set_all (plots, "scale", 1.5, NULL);
      write_pngs (plots, png_dir, "-scale1.5", FALSE);
      set_all (plots, "scale", 1.0, NULL);
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);
      write_pngs (plots, png_dir, "-dark", TRUE);
      g_print ("PNG files written to %s\n", png_dir);
    }

  for (int w = 0; w < N_WIDGETS; w++)
    g_object_unref (plots[w]);
  for (int k = 0; k < 2; k++)
    sim_snapshot_unref (snapshots[k]);
  return 0;
}
