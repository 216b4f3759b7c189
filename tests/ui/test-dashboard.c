/* test-dashboard.c: drive the real window through its actions while it trains
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "ms-controls-panel.h"
#include "ms-dashboard.h"
#include "ms-level-view.h"
#include "ms-level-view-tests.h"
#include "ms-plot.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "sim.h"
#include "sim-runner.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Predicate) (MsWindow *window, int arg);

static gboolean
wait_until (MsWindow  *window,
            Predicate  pred,
            int        arg,
            guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!pred (window, arg) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return pred (window, arg);
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static SimSnapshot *
held_snapshot (MsWindow *window)
{
  return ms_dashboard_get_snapshot (ms_window_get_dashboard (window));
}

static gboolean
iteration_at_least (MsWindow *window,
                    int       iteration)
{
  SimSnapshot *snapshot = held_snapshot (window);

  return snapshot != NULL && snapshot->iteration >= iteration;
}

static gboolean
iteration_is (MsWindow *window,
              int       iteration)
{
  SimSnapshot *snapshot = held_snapshot (window);

  return snapshot != NULL && snapshot->iteration == iteration;
}

static gboolean
has_inference (MsWindow *window,
               int       n)
{
  SimSnapshot *snapshot = held_snapshot (window);

  return snapshot != NULL && snapshot->n_inferences >= n;
}

/* Every part holds the runner's last snapshot. */
static gboolean
shows_latest (MsWindow *window,
              int       unused)
{
  SimSnapshot *latest = sim_runner_get_snapshot (ms_window_get_runner (window));

  return latest != NULL && held_snapshot (window) == latest;
}

static gboolean
frames_after (MsWindow *window,
              int       frames)
{
  return ms_window_get_frame_count (window) > (guint) frames;
}

static void
activate (MsWindow   *window,
          const char *name,
          GVariant   *parameter)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), name, parameter);
}

/* Renders a widget with the window's renderer into B,G,R,A bytes. */
static guchar *
render_widget (GtkWidget *widget,
               int       *width,
               int       *height)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer;
  guchar *pixels;

  g_assert_cmpint (w, >, 50);
  g_assert_cmpint (h, >, 50);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  *width = w;
  *height = h;
  return pixels;
}

static guint
count_distinct_colours (const guchar *pixels,
                        int           n)
{
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);

  for (int i = 0; i < n; i++)
    {
      guint32 px;

      memcpy (&px, pixels + (gsize) i * 4, 4);
      g_hash_table_add (colours, GUINT_TO_POINTER (px));
    }
  return g_hash_table_size (colours);
}

static MsWindow *
open_window (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (window, frames_after, 0, 10000));
  g_assert_true (wait_until (window, iteration_is, 0, 10000));
  return window;
}

static void
test_play_pause_step_reset (void)
{
  MsWindow *window = open_window ();
  SimRunner *runner = ms_window_get_runner (window);
  SimSnapshot *snapshot;
  int paused_at;
  guchar *before_pixels, *after_pixels;
  int w, h, w2, h2;
  GtkWidget *success;

  /* 100 iterations a second: fast enough that snapshots come faster than frames can show
   * them all. The run is the longest the controls allow, 1000 iterations (ten seconds at that
   * speed), so that it is still going when it is paused after the checks below. */
  {
    MsControlsPanel *panel = ms_window_get_controls_panel (window);
    SimConfig config;

    ms_controls_panel_get_config (panel, &config);
    config.iterations = 1000;
    ms_controls_panel_set_config (panel, &config);
    g_signal_emit_by_name (panel, "changed");
    sim_runner_get_config (runner, &config);
    g_assert_cmpint (config.iterations, ==, 1000);
    g_assert_true (wait_until (window, iteration_is, 0, 10000));
  }
  activate (window, "speed", g_variant_new_string ("100"));
  g_assert_cmpfloat (sim_runner_get_speed (runner), ==, 100.0);

  success = ms_dashboard_get_part (ms_window_get_dashboard (window), MS_DASHBOARD_PART_SUCCESS);
  before_pixels = render_widget (success, &w, &h);

  /* Play for a while: the held snapshot advances, with a consistent history. */
  activate (window, "play-pause", NULL);
  g_assert_true (sim_runner_get_playing (runner));
  g_assert_true (wait_until (window, iteration_at_least, 6, 60000));
  snapshot = held_snapshot (window);
  g_assert_cmpint (snapshot->n_history, ==, snapshot->iteration);
  for (int i = 0; i < snapshot->n_history; i++)
    {
      g_assert_cmpfloat (snapshot->train_target[i], >=, 0.0);
      g_assert_cmpfloat (snapshot->train_target[i], <=, 1.0);
    }
  /* While it plays, a snapshot reaches the parts over a few frames (ms-dashboard.c): the
   * held snapshot is the oldest any part shows. One part a frame takes its turn, and the
   * level card goes first in any frame where another part shows a later iteration than it,
   * so it may take every other frame: what the newest part shows now, the four others get
   * within eight frames and the level card within nine; twelve allow a frame either side for
   * where the count and the turns fall. Counted in frames, however many iterations the
   * machine runs meanwhile. */
  for (int k = 0; k < 3; k++)
    {
      MsDashboard *dashboard = ms_window_get_dashboard (window);
      int oldest = held_snapshot (window)->iteration;
      int newest = oldest;
      guint frames = ms_window_get_frame_count (window);

      for (int part = 0; part < MS_DASHBOARD_N_PARTS; part++)
        {
          SimSnapshot *held = ms_plot_get_snapshot (MS_PLOT (ms_dashboard_get_part (dashboard, part)));

          g_assert_nonnull (held);
          g_assert_cmpint (held->iteration, >=, oldest);
          newest = MAX (newest, held->iteration);
        }
      g_assert_true (wait_until (window, frames_after, frames + 12, 30000));
      for (int part = 0; part < MS_DASHBOARD_N_PARTS; part++)
        {
          GtkWidget *plot = ms_dashboard_get_part (dashboard, part);

          g_assert_cmpint (ms_plot_get_snapshot (MS_PLOT (plot))->iteration, >=, newest);
        }
    }

  /* Inference runs every 4 iterations by default. */
  g_assert_true (wait_until (window, has_inference, 1, 60000));

  /* Pause: the iteration stops moving, and every part shows the same snapshot (once the
   * step under way, which may be an inference, has been published and has reached every
   * part: on a busy machine that can take longer than 300 ms). */
  activate (window, "play-pause", NULL);
  g_assert_false (sim_runner_get_playing (runner));
  spin (1000);
  g_assert_true (wait_until (window, shows_latest, 0, 10000));
  paused_at = held_snapshot (window)->iteration;
  spin (300);
  g_assert_cmpint (held_snapshot (window)->iteration, ==, paused_at);
  for (int part = MS_DASHBOARD_PART_SUCCESS; part < MS_DASHBOARD_N_PARTS; part++)
    g_assert_true (ms_plot_get_snapshot (MS_PLOT (ms_dashboard_get_part (ms_window_get_dashboard (window), part))) ==
                   held_snapshot (window));

  /* The success plot now draws lines: its pixels changed. */
  {
    int frames = ms_window_get_frame_count (window);
    g_assert_true (wait_until (window, frames_after, frames, 5000));
  }
  after_pixels = render_widget (success, &w2, &h2);
  g_assert_cmpint (w, ==, w2);
  g_assert_cmpint (h, ==, h2);
  g_assert_cmpint (memcmp (before_pixels, after_pixels, (gsize) w * h * 4), !=, 0);
  g_assert_cmpuint (count_distinct_colours (after_pixels, w * h), >, 10);
  g_free (before_pixels);
  g_free (after_pixels);

  /* Single step: exactly one more iteration. */
  activate (window, "step", NULL);
  g_assert_true (wait_until (window, iteration_is, paused_at + 1, 30000));
  spin (200);
  g_assert_cmpint (held_snapshot (window)->iteration, ==, paused_at + 1);

  /* Reset: back to iteration 0, paused. */
  activate (window, "reset", NULL);
  g_assert_true (wait_until (window, iteration_is, 0, 30000));
  g_assert_false (sim_runner_get_playing (runner));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_change_knob_and_undo (void)
{
  MsWindow *window = open_window ();
  SimRunner *runner = ms_window_get_runner (window);
  SimConfig config;

  /* A preset changes the configuration and restarts the run. */
  activate (window, "preset", g_variant_new_string ("coin-hidden"));
  sim_runner_get_config (runner, &config);
  g_assert_cmpint (config.perception, ==, SIM_PERCEPTION_HIDDEN);
  g_assert_cmpint (config.perception_param, ==, 30);
  g_assert_true (wait_until (window, iteration_is, 0, 10000));
  spin (200);
  g_assert_cmpint (held_snapshot (window)->config.perception, ==, SIM_PERCEPTION_HIDDEN);

  /* The controls panel shows it, and an edit there restarts the run with the new value. */
  {
    SimConfig shown;
    MsControlsPanel *panel = ms_window_get_controls_panel (window);

    ms_controls_panel_get_config (panel, &shown);
    g_assert_cmpint (shown.perception, ==, SIM_PERCEPTION_HIDDEN);
    shown.diversity = 20;
    ms_controls_panel_set_config (panel, &shown);
    g_signal_emit_by_name (panel, "changed");
    sim_runner_get_config (runner, &config);
    g_assert_cmpint (config.diversity, ==, 20);
  }

  /* Undo goes back to the configuration before the edit. */
  activate (window, "undo-settings", NULL);
  sim_runner_get_config (runner, &config);
  g_assert_cmpint (config.diversity, ==, 0);
  g_assert_cmpint (config.perception, ==, SIM_PERCEPTION_HIDDEN);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Closing the window while training runs, many times, neither crashes, hangs nor leaks. */
static void
test_close_while_training (void)
{
  for (int round = 0; round < 50; round++)
    {
      MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
      GWeakRef ref;

      g_weak_ref_init (&ref, window);
      gtk_window_present (GTK_WINDOW (window));
      activate (window, "speed", g_variant_new_string ("0"));
      activate (window, "play-pause", NULL);
      spin (g_test_rand_int_range (5, 60));
      gtk_window_destroy (GTK_WINDOW (window));
      while (g_main_context_iteration (NULL, FALSE))
        ;
      {
        GObject *still = g_weak_ref_get (&ref);
        g_assert_null (still);
      }
      g_weak_ref_clear (&ref);
    }
}

/* The iteration the level card's caption names: 0 for "untrained agent", -1 for none. */
static int
caption_iteration (MsLevelView *view)
{
  const char *caption = ms_level_view_get_caption (view);
  int iteration;

  if (g_strcmp0 (caption, "untrained agent") == 0)
    return 0;
  if (caption != NULL && sscanf (caption, "iteration %d", &iteration) == 1)
    return iteration;
  return -1;
}

/* While training plays at the pace a class watches (4 iterations a second, the default), each
 * frame's level card says the iteration of the agent it draws, and that agent is at most one
 * iteration older than the newest any other card shows (the walk along the path went on with
 * the agent it had started with: "untrained agent" stayed up while the other cards were at
 * iteration 10). */
static void
test_labels_current (void)
{
  MsWindow *window = open_window ();
  MsDashboard *dashboard = ms_window_get_dashboard (window);
  MsLevelView *view = MS_LEVEL_VIEW (ms_dashboard_get_part (dashboard, MS_DASHBOARD_PART_LEVEL));
  SimRunner *runner = ms_window_get_runner (window);
  int frames = 0, worst = G_MAXINT;

  g_assert_true (ms_level_view_is_animating (view));
  activate (window, "speed", g_variant_new_string ("4"));
  activate (window, "play-pause", NULL);
  while (!iteration_at_least (window, 12) && sim_runner_get_playing (runner))
    {
      guint frame = ms_window_get_frame_count (window);
      SimSnapshot *level_held = ms_plot_get_snapshot (MS_PLOT (view));
      int drawn, newest_other = 0;

      g_assert_true (wait_until (window, frames_after, frame, 10000));
      drawn = caption_iteration (view);
      g_assert_cmpint (drawn, >=, 0);
      g_assert_nonnull (level_held);
      for (int part = 0; part < MS_DASHBOARD_N_PARTS; part++)
        {
          GtkWidget *widget = ms_dashboard_get_part (dashboard, part);

          if (part != MS_DASHBOARD_PART_LEVEL)
            newest_other = MAX (newest_other,
                                ms_plot_get_snapshot (MS_PLOT (widget))->iteration);
        }
      if (drawn < newest_other - 1)
        g_error ("frame %d: the level card shows the agent of iteration %d (“%s”), another "
                 "card iteration %d", frames, drawn, ms_level_view_get_caption (view),
                 newest_other);
      worst = MIN (worst, drawn - newest_other);
      frames++;
    }
  g_test_message ("%d frames; the level card's agent at worst %d iterations from the newest "
                  "other card's", frames, worst);
  g_assert_cmpint (frames, >, 12);

  /* Paused, every card and the caption show the last iteration. */
  activate (window, "play-pause", NULL);
  spin (300);
  g_assert_true (wait_until (window, shows_latest, 0, 10000));
  frames = ms_window_get_frame_count (window);
  g_assert_true (wait_until (window, frames_after, frames, 5000));
  g_assert_cmpint (caption_iteration (view), ==, held_snapshot (window)->iteration);
  g_assert_true (ms_plot_get_snapshot (MS_PLOT (view)) == held_snapshot (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/dashboard/play-pause-step-reset", test_play_pause_step_reset);
  g_test_add_func ("/ui/dashboard/change-knob-and-undo", test_change_knob_and_undo);
  g_test_add_func ("/ui/dashboard/close-while-training", test_close_while_training);
  g_test_add_func ("/ui/dashboard/labels-current", test_labels_current);
  return g_test_run ();
}
