/* bench-dashboard.c: the window while it trains at full speed (a benchmark, not a test)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints, one figure a line ("name value unit"):
 *   - the longest and the 99th-percentile gap between main-loop wake-ups (a 1 ms timer) while
 *     the window trains as fast as it can: the UI thread must never stall > 16 ms; and the
 *     main thread's CPU time within those gaps (on two cores the worker thread, the display
 *     server and the UI thread take turns, so the wall-clock gap also holds waits for a core);
 *   - how long the frames take (layout to the end of paint), median, 99th percentile, longest;
 *   - the training throughput with the window open, and the same configuration headless
 *     (SimTrain with inference, as mesascope-cli runs it), and their ratio (≥ 0.8 wanted).
 *
 * BENCH_AGENT=NAME trains that agent (planner, qlearner, mlp; default the planner), for
 * BENCH_ITERATIONS iterations (default 240; the network spreads its fixed number of updates
 * over them, so its iterations are longer when they are fewer).
 * BENCH_TRACE=1 also prints, to stderr, every gap and frame longer than 14 and 10 ms with its
 * time since Play, and every snapshot of a dashboard part (or the whole window) that takes
 * more than 1 ms (BENCH_TRACE_ALL=1: every one), to see which parts a frame repaints.
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ms-alignment-plot.h"
#include "ms-dashboard.h"
#include "ms-level-view.h"
#include "ms-objective-plot.h"
#include "ms-reward-map.h"
#include "ms-success-plot.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "sim-train-inference.h"
#include "sim-runner.h"
#include "sim-train.h"

/* Iterations of the run (BENCH_ITERATIONS, default 240). */
static int ITERATIONS = 240;

static gboolean trace, trace_all;  /* BENCH_TRACE, BENCH_TRACE_ALL */
static gint64 trace_t0;            /* when Play was pressed: the traces' time origin */

typedef struct
{
  gint64 last;
  gint64 last_cpu;
  GArray *gaps;     /* µs between consecutive timer wake-ups */
  GArray *busy;     /* µs of main-thread CPU time between them: the work, without the waits
                     * for a core that the worker thread and the display server also want */
  gint64 frame_start;
  gint64 layout_end;
  GArray *frames;   /* µs from a frame's start (before-paint) to the end of its paint */
  GArray *layouts;  /* µs from a frame's start to the end of its layout (0 without layout) */
  GArray *paints;   /* µs from there to the end of paint (snapshots, rendering) */
} Probe;

static void
frame_layout_cb (GdkFrameClock *clock,
                 Probe         *probe)
{
  probe->frame_start = g_get_monotonic_time ();
}

static void
frame_layout_end_cb (GdkFrameClock *clock,
                     Probe         *probe)
{
  probe->layout_end = g_get_monotonic_time ();
}

static void
frame_paint_end_cb (GdkFrameClock *clock,
                    Probe         *probe)
{
  if (probe->frame_start > 0)
    {
      /* A frame without a layout phase spends all of its time up to here in update and paint. */
      gint64 now = g_get_monotonic_time ();
      gint64 mark = MAX (probe->layout_end, probe->frame_start);
      gint64 layout = mark - probe->frame_start, paint = now - mark;

      g_array_append_val (probe->layouts, layout);
      if (trace && layout + paint > 10000)
        fprintf (stderr, "frame layout %.1f paint %.1f at %.0f ms\n", layout / 1000.0,
                 paint / 1000.0, (now - trace_t0) / 1000.0);
      g_array_append_val (probe->paints, paint);
    }
}

static void
frame_after_paint_cb (GdkFrameClock *clock,
                      Probe         *probe)
{
  if (probe->frame_start > 0)
    {
      gint64 d = g_get_monotonic_time () - probe->frame_start;
      g_array_append_val (probe->frames, d);
    }
  probe->frame_start = 0;
}

/* BENCH_TRACE: each part's snapshot function, timed. */
static GType traced_types[8];
static void (*traced_snapshots[8]) (GtkWidget *, GtkSnapshot *);
static guint n_traced;

static void
traced_snapshot (GtkWidget   *widget,
                 GtkSnapshot *snapshot)
{
  for (guint i = 0; i < n_traced; i++)
    if (G_TYPE_FROM_INSTANCE (widget) == traced_types[i])
      {
        gint64 t = g_get_monotonic_time ();

        traced_snapshots[i] (widget, snapshot);
        t = g_get_monotonic_time () - t;
        if (trace_all || t > 1000)
          fprintf (stderr, "  snapshot %s %.1f ms at %.0f ms\n", g_type_name (traced_types[i]),
                   t / 1000.0, (g_get_monotonic_time () - trace_t0) / 1000.0);
        return;
      }
}

static void
trace_type (GType type)
{
  GtkWidgetClass *klass = g_type_class_ref (type);

  g_assert (n_traced < G_N_ELEMENTS (traced_types));
  traced_types[n_traced] = type;
  traced_snapshots[n_traced++] = klass->snapshot;
  klass->snapshot = traced_snapshot;
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (probe->last > 0)
    {
      gint64 gap = now - probe->last;
      gint64 busy = cpu - probe->last_cpu;

      g_array_append_val (probe->gaps, gap);
      g_array_append_val (probe->busy, busy);
      if (trace && gap > 14000)
        fprintf (stderr, "gap %.1f busy %.1f at %.0f ms\n", gap / 1000.0, busy / 1000.0,
                 (now - trace_t0) / 1000.0);
    }
  probe->last = now;
  probe->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static int
cmp_int64 (const void *a,
           const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static SimConfig
bench_config (void)
{
  SimConfig config;

  sim_config_init_default (&config);
  config.perception = SIM_PERCEPTION_HIDDEN;
  config.perception_param = 30;
  config.iterations = ITERATIONS;
  config.infer_every = 4;
  if (g_getenv ("BENCH_AGENT") != NULL &&
      !sim_agent_from_string (g_getenv ("BENCH_AGENT"), &config.agent))
    g_error ("BENCH_AGENT: unknown agent '%s'", g_getenv ("BENCH_AGENT"));
  return config;
}

static double
headless_ips (void)
{
  SimConfig config = bench_config ();
  g_autoptr (SimTrain) train = sim_train_new (&config, NULL);
  gint64 start;

  sim_train_attach_inference (train, NULL);
  start = g_get_monotonic_time ();
  while (sim_train_step (train))
    ;
  return ITERATIONS / ((g_get_monotonic_time () - start) / 1e6);
}

int
main (int    argc,
      char **argv)
{
  MsWindow *window;
  SimRunner *runner;
  SimConfig config = bench_config ();
  Probe probe = { 0, 0, g_array_new (FALSE, FALSE, sizeof (gint64)),
                  g_array_new (FALSE, FALSE, sizeof (gint64)), 0, 0,
                  g_array_new (FALSE, FALSE, sizeof (gint64)),
                  g_array_new (FALSE, FALSE, sizeof (gint64)),
                  g_array_new (FALSE, FALSE, sizeof (gint64)) };
  GdkFrameClock *clock;
  gint64 start, elapsed;
  double window_ips, headless, headless_after;
  guint timer;
  gint64 *gaps;
  guint n;

  gtk_init ();
  adw_init ();
  if (g_getenv ("BENCH_ITERATIONS") != NULL)
    ITERATIONS = CLAMP (atoi (g_getenv ("BENCH_ITERATIONS")), 4, 100000);

  headless = headless_ips ();
  trace = g_getenv ("BENCH_TRACE") != NULL;
  trace_all = g_getenv ("BENCH_TRACE_ALL") != NULL;
  if (trace)
    {
      trace_type (MS_TYPE_LEVEL_VIEW);
      trace_type (MS_TYPE_SUCCESS_PLOT);
      trace_type (MS_TYPE_OBJECTIVE_PLOT);
      trace_type (MS_TYPE_ALIGNMENT_PLOT);
      trace_type (MS_TYPE_REWARD_MAP);
      trace_type (MS_TYPE_WINDOW);
    }

  window = g_object_new (MS_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_present (GTK_WINDOW (window));
  runner = ms_window_get_runner (window);
  sim_runner_set_speed (runner, 0);
  sim_runner_reset (runner, &config, NULL);
  for (int i = 0; i < 200; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (200000);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (frame_layout_cb), &probe);
  /* Connected after GTK's own handlers, these mark the end of the layout and paint phases. */
  g_signal_connect_after (clock, "layout", G_CALLBACK (frame_layout_end_cb), &probe);
  g_signal_connect_after (clock, "paint", G_CALLBACK (frame_paint_end_cb), &probe);
  g_signal_connect (clock, "after-paint", G_CALLBACK (frame_after_paint_cb), &probe);
  timer = g_timeout_add (1, tick_cb, &probe);
  start = g_get_monotonic_time ();
  trace_t0 = start;
  if (trace)
    fprintf (stderr, "play at %.6f s (CLOCK_MONOTONIC)\n", start / 1e6);
  g_action_group_activate_action (G_ACTION_GROUP (window), "play-pause", NULL);
  while (TRUE)
    {
      SimSnapshot *snapshot = ms_dashboard_get_snapshot (ms_window_get_dashboard (window));

      if (snapshot != NULL && snapshot->iteration >= ITERATIONS)
        break;
      if (g_get_monotonic_time () - start > 300 * G_USEC_PER_SEC)
        {
          fprintf (stderr, "bench-dashboard: training did not finish in 300 s\n");
          return 1;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  elapsed = g_get_monotonic_time () - start;
  g_source_remove (timer);
  window_ips = ITERATIONS / (elapsed / 1e6);

  n = probe.gaps->len;
  gaps = (gint64 *) (void *) probe.gaps->data;
  qsort (gaps, n, sizeof (gint64), cmp_int64);
  printf ("main_loop_max_gap %.1f ms\n", n ? gaps[n - 1] / 1000.0 : 0.0);
  printf ("main_loop_p99_gap %.1f ms\n", n ? gaps[(gsize) (n * 0.99)] / 1000.0 : 0.0);
  printf ("main_loop_median_gap %.2f ms\n", n ? gaps[n / 2] / 1000.0 : 0.0);
  gaps = (gint64 *) (void *) probe.busy->data;
  qsort (gaps, n, sizeof (gint64), cmp_int64);
  printf ("main_loop_max_busy %.1f ms\n", n ? gaps[n - 1] / 1000.0 : 0.0);
  printf ("main_loop_p99_busy %.1f ms\n", n ? gaps[(gsize) (n * 0.99)] / 1000.0 : 0.0);
  n = probe.frames->len;
  gaps = (gint64 *) (void *) probe.frames->data;
  qsort (gaps, n, sizeof (gint64), cmp_int64);
  printf ("frames %u\n", n);
  printf ("frame_median %.2f ms\n", n ? gaps[n / 2] / 1000.0 : 0.0);
  printf ("frame_p99 %.2f ms\n", n ? gaps[(gsize) (n * 0.99)] / 1000.0 : 0.0);
  printf ("frame_max %.2f ms\n", n ? gaps[n - 1] / 1000.0 : 0.0);
  n = probe.layouts->len;
  gaps = (gint64 *) (void *) probe.layouts->data;
  qsort (gaps, n, sizeof (gint64), cmp_int64);
  printf ("frame_layout_median %.2f ms\n", n ? gaps[n / 2] / 1000.0 : 0.0);
  printf ("frame_layout_max %.2f ms\n", n ? gaps[n - 1] / 1000.0 : 0.0);
  gaps = (gint64 *) (void *) probe.paints->data;
  qsort (gaps, n, sizeof (gint64), cmp_int64);
  printf ("frame_paint_median %.2f ms\n", n ? gaps[n / 2] / 1000.0 : 0.0);
  printf ("frame_paint_max %.2f ms\n", n ? gaps[n - 1] / 1000.0 : 0.0);
  printf ("training_window %.1f iterations/s\n", window_ips);
  /* Headless once before the window opens and once after training ends in it: the ratio is
   * against their mean, so a slower or faster spell of the machine counts on both sides. */
  headless_after = headless_ips ();
  printf ("training_headless_before %.1f iterations/s\n", headless);
  printf ("training_headless_after %.1f iterations/s\n", headless_after);
  headless = (headless + headless_after) / 2;
  printf ("training_headless %.1f iterations/s\n", headless);
  printf ("training_ratio %.2f window/headless\n", window_ips / headless);

  g_signal_handlers_disconnect_by_data (clock, &probe);
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_free (probe.gaps, TRUE);
  g_array_free (probe.busy, TRUE);
  g_array_free (probe.frames, TRUE);
  g_array_free (probe.layouts, TRUE);
  g_array_free (probe.paints, TRUE);
  return 0;
}
