/* bench-sweep.c: the Sweep window running the diversity lesson's sweep (0, 5, 20, 100 % ×
 * 5 seeds, the dashboard's default settings) beside the dashboard: the main loop's longest gap
 * and its 99th percentile while the sweep runs on all cores, the main thread's own CPU time
 * within the longest gap and the most it spent between two turns of the loop (what is left of
 * a gap is the host running other threads), and the sweep's wall-clock time. BENCH_IDLE=1
 * measures the same four seconds without a sweep, for the host's noise.
 * With --png DIR it also writes the window at 1280×720 while the sweep fills in
 * (sweep-filling.png) and when it is done (sweep.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <time.h>

#include "ms-sweep-window-tests.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "ui-wait.h"

typedef struct
{
  gint64 last;
  double last_cpu;
  GArray *gaps;   /* of double, ms */
  double worst_gap, worst_gap_cpu, worst_cpu;
} Gaps;

/* The main thread's CPU time in ms. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* A timeout every millisecond: the time between two of its runs is how long the main loop was
 * away. */
static gboolean
tick_cb (gpointer data)
{
  Gaps *gaps = data;
  gint64 now = g_get_monotonic_time ();
  double cpu = thread_cpu_ms ();

  if (gaps->last != 0)
    {
      double gap = (now - gaps->last) / 1000.0;

      g_array_append_val (gaps->gaps, gap);
      if (gap > gaps->worst_gap)
        {
          gaps->worst_gap = gap;
          gaps->worst_gap_cpu = cpu - gaps->last_cpu;
        }
      gaps->worst_cpu = MAX (gaps->worst_cpu, cpu - gaps->last_cpu);
    }
  gaps->last = now;
  gaps->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean
has_snapshot (gpointer data)
{
  return ms_dashboard_get_snapshot (ms_window_get_dashboard (MS_WINDOW (data))) != NULL;
}

static gboolean
sweep_stopped (gpointer data)
{
  return !ms_sweep_window_get_running (MS_SWEEP_WINDOW (data));
}

static gboolean
half_done (gpointer data)
{
  return ms_sweep_window_get_n_delivered (MS_SWEEP_WINDOW (data)) >= 8;
}

/* The window as on screen, into path. */
static void
write_png (GtkWidget  *widget,
           const char *path)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  /* The paintable is empty until the widget has drawn a frame since it was made. */
  for (int tries = 0; node == NULL && tries < 40; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      spin (50);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  if (node == NULL)
    {
      g_printerr ("bench-sweep: the window drew nothing for %s\n", path);
      return;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("bench-sweep: cannot write %s\n", path);
  else
    g_print ("wrote %s (%d×%d)\n", path, width, height);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *png_dir = NULL;
  GOptionEntry entries[] = {
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png_dir, "Also write PNG files into DIR", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  MsWindow *window;
  MsSweepWindow *view;
  Gaps gaps = { 0 };
  guint tick;
  gint64 start;
  double seconds, p99;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-sweep: %s\n", error->message);
      return 2;
    }
  gtk_init ();
  adw_init ();

  window = g_object_new (MS_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (has_snapshot, window, 20000);
  view = MS_SWEEP_WINDOW (_ms_window_show_sweep (window));
  gtk_window_set_default_size (GTK_WINDOW (view), 1280, 720);
  spin (500);
  /* The window's frame (client-side decorations) takes its share: the content is 1280×720. */
  gtk_window_set_default_size (GTK_WINDOW (view),
                               1280 + 1280 - gtk_widget_get_width (GTK_WIDGET (view)),
                               720 + 720 - gtk_widget_get_height (GTK_WIDGET (view)));
  spin (500);

  gaps.gaps = g_array_new (FALSE, FALSE, sizeof (double));
  tick = g_timeout_add (1, tick_cb, &gaps);
  start = g_get_monotonic_time ();
  if (g_getenv ("BENCH_IDLE") != NULL)
    spin (4000);
  else
  ms_sweep_window_run (view);
  if (png_dir != NULL)
    {
      g_autofree char *path = g_build_filename (png_dir, "sweep-filling.png", NULL);

      wait_until (half_done, view, 600000);
      spin (100);
      write_png (GTK_WIDGET (view), path);
    }
  wait_until (sweep_stopped, view, 600000);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_source_remove (tick);

  g_array_sort (gaps.gaps, compare_doubles);
  p99 = gaps.gaps->len > 0 ? g_array_index (gaps.gaps, double, gaps.gaps->len * 99 / 100) : 0;
  printf ("sweep_runs %u\n", ms_sweep_window_get_sweep (view) != NULL
                             ? (guint) sim_sweep_get_n_finished (ms_sweep_window_get_sweep (view))
                             : 0);
  printf ("sweep_seconds %.1f s\n", seconds);
  printf ("main_loop_gap_max %.1f ms\n",
          gaps.gaps->len > 0 ? g_array_index (gaps.gaps, double, gaps.gaps->len - 1) : 0.0);
  printf ("main_loop_gap_p99 %.1f ms\n", p99);
  /* What the main thread itself spent: the rest of a gap is the host running other threads. */
  printf ("main_loop_gap_max_cpu %.1f ms\n", gaps.worst_gap_cpu);
  printf ("main_thread_cpu_per_gap_max %.1f ms\n", gaps.worst_cpu);

  if (png_dir != NULL)
    {
      g_autofree char *path = g_build_filename (png_dir, "sweep.png", NULL);

      spin (300);
      write_png (GTK_WIDGET (view), path);
    }
  g_array_unref (gaps.gaps);
  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
