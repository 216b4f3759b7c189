/* test-plots.c: the dashboard's plots and level view draw what their snapshot holds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each widget is put in a window with a hand-built snapshot, rendered to a texture with the
 * window's renderer, and checked on its pixels: where the lines are, which colour a cell has,
 * whether hatching appears. Colours come from the widget's own palette, positions from the
 * geometry the widget reports for its last drawing. It is over 1,200 lines because the pixel
 * helpers (render, find a colour, sample a cell) serve every plot's cases, which stay together.
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ms-alignment-plot.h"
#include "ms-level-view.h"
#include "ms-level-view-tests.h"
#include "ms-objective-plot.h"
#include "ms-reward-map.h"
#include "ms-success-plot.h"
#include "plot-fixtures.h"
#include "plot-text.h"
#include "sim-train-inference.h"
#include "sim-train.h"

typedef struct
{
  guchar *data;         /* B, G, R, A (premultiplied) per pixel, owned */
  int width;
  int height;
} Pixels;

static void
pixels_free (Pixels *p)
{
  g_free (p->data);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pixels, pixels_free)

static gboolean
timeout_cb (gpointer data)
{
  gboolean *done = data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for about ms milliseconds. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static GtkWidget *
show_in_window (GtkWidget *plot,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), plot);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  gtk_test_widget_wait_for_draw (plot);
  return window;
}

/* Renders the widget alone with its window's renderer (TOOLCHAIN.md §8). */
static Pixels *
render (GtkWidget *widget)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer;
  Pixels *p;

  g_assert_cmpint (w, >, 0);
  g_assert_cmpint (h, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  p = g_new0 (Pixels, 1);
  p->width = gdk_texture_get_width (texture);
  p->height = gdk_texture_get_height (texture);
  p->data = g_malloc ((gsize) p->width * p->height * 4);
  gdk_texture_download (texture, p->data, (gsize) p->width * 4);
  if (g_getenv ("MESASCOPE_TEST_PNG_DIR") != NULL)
    {
      g_autofree char *file = g_strdup_printf ("%s/%s.png", g_getenv ("MESASCOPE_TEST_PNG_DIR"),
                                               G_OBJECT_TYPE_NAME (widget));

      gdk_texture_save_to_png (texture, file);
    }
  return p;
}

static gboolean
pixel_near (const Pixels  *p,
            int            x,
            int            y,
            const GdkRGBA *c,
            int            tolerance)
{
  const guchar *px;

  if (x < 0 || y < 0 || x >= p->width || y >= p->height)
    return FALSE;
  px = p->data + ((gsize) y * p->width + x) * 4;
  return px[3] == 255 && abs (px[2] - (int) lround (c->red * 255)) <= tolerance
         && abs (px[1] - (int) lround (c->green * 255)) <= tolerance
         && abs (px[0] - (int) lround (c->blue * 255)) <= tolerance;
}

/* Pixels of colour c (within tolerance) in the rectangle [x0, x1) × [y0, y1). */
static int
count_color (const Pixels  *p,
             double         x0,
             double         y0,
             double         x1,
             double         y1,
             const GdkRGBA *c,
             int            tolerance)
{
  int n = 0;

  for (int y = MAX (0, (int) y0); y < MIN (p->height, (int) ceil (y1)); y++)
    for (int x = MAX (0, (int) x0); x < MIN (p->width, (int) ceil (x1)); x++)
      if (pixel_near (p, x, y, c, tolerance))
        n++;
  return n;
}

/* Translucent pixels (alpha 15–50 %) whose colour, unpremultiplied, is c. */
static int
count_tint (const Pixels  *p,
            double         x0,
            double         y0,
            double         x1,
            double         y1,
            const GdkRGBA *c)
{
  int n = 0;

  for (int y = MAX (0, (int) y0); y < MIN (p->height, (int) ceil (y1)); y++)
    for (int x = MAX (0, (int) x0); x < MIN (p->width, (int) ceil (x1)); x++)
      {
        const guchar *px = p->data + ((gsize) y * p->width + x) * 4;
        double a = px[3] / 255.0;

        if (a < 0.15 || a > 0.5)
          continue;
        if (fabs (px[2] / a - c->red * 255) < 12 && fabs (px[1] / a - c->green * 255) < 12
            && fabs (px[0] / a - c->blue * 255) < 12)
          n++;
      }
  return n;
}

static int
count_opaque (const Pixels *p)
{
  int n = 0;

  for (gsize i = 0; i < (gsize) p->width * p->height; i++)
    if (p->data[i * 4 + 3] > 128)
      n++;
  return n;
}

/* The description is the one the accessible carries. */
static void
assert_accessible_description (MsPlot *plot)
{
  const char *description = ms_plot_get_description (plot);
  g_autofree char *mismatch = NULL;

  g_assert_nonnull (description);
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (plot),
                                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                 description);
  g_assert_null (mismatch);
}

static char *
percent (double v)
{
  return g_strdup_printf ("%.0f%%", 100.0 * v);
}

static void
test_success_lines (void)
{
  GtkWidget *plot = ms_success_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autoptr (Pixels) px = NULL;
  double band;
  int train_top, train_bottom, test_top, test_bottom;

  /* The fixture: train ends at 1.0, test at 0.05. */
  g_assert_cmpfloat (snapshot->train_target[snapshot->n_history - 1], ==, 1.0);
  g_assert_cmpfloat (snapshot->test_target[snapshot->n_history - 1], <, 0.1);

  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), snapshot);
  window = show_in_window (plot, 900, 420);
  px = render (plot);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  g_assert_cmpfloat (area.size.width, >, 400);
  g_assert_cmpfloat (area.size.height, >, 150);

  band = area.size.height * 0.3;
  train_top = count_color (px, area.origin.x, area.origin.y - 4,
                           area.origin.x + area.size.width, area.origin.y + band, &pal->train, 8);
  train_bottom = count_color (px, area.origin.x, area.origin.y + area.size.height - band,
                              area.origin.x + area.size.width,
                              area.origin.y + area.size.height + 4, &pal->train, 8);
  test_top = count_color (px, area.origin.x, area.origin.y - 4,
                          area.origin.x + area.size.width, area.origin.y + band, &pal->test, 8);
  test_bottom = count_color (px, area.origin.x, area.origin.y + area.size.height - band,
                             area.origin.x + area.size.width,
                             area.origin.y + area.size.height + 4, &pal->test, 8);
  g_test_message ("train top %d bottom %d, test top %d bottom %d", train_top, train_bottom,
                  test_top, test_bottom);
  g_assert_cmpint (train_top, >, 200);
  g_assert_cmpint (train_top, >, 5 * train_bottom);
  g_assert_cmpint (test_bottom, >, 200);
  g_assert_cmpint (test_top, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A previous run behind the current one: faint lines (translucent, never the full colour of a
 * line) with a legend entry of their own; left out when it has the settings of the run shown. */
static void
test_success_previous_run (void)
{
  GtkWidget *plot = ms_success_plot_new ();
  g_autoptr (SimSnapshot) previous = fixture_mid_training ();
  g_autoptr (SimSnapshot) untrained = fixture_untrained ();
  g_autoptr (SimSnapshot) same = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  int faint, full;

  untrained->config.diversity = 20;
  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), untrained);
  ms_success_plot_set_previous (MS_SUCCESS_PLOT (plot), previous, "Before: diversity 0 %");
  window = show_in_window (plot, 900, 420);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  {
    g_autoptr (Pixels) px = render (plot);

    g_assert_true (plot_drew_text (MS_PLOT (plot), "Before: diversity 0 %"));
    g_assert_true (plot_drew_text (MS_PLOT (plot), "Press Play to start training"));
    g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
    faint = count_tint (px, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                        area.origin.y + area.size.height, &pal->train);
    full = count_color (px, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                        area.origin.y + area.size.height, &pal->train, 8);
    g_test_message ("previous run alone: %d faint train pixels, %d full", faint, full);
    g_assert_cmpint (faint, >, 150);
    g_assert_cmpint (full, ==, 0);
    g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)),
                              "Faint lines: Before: diversity 0 %."));
  }

  /* With a run of its own over it: both. */
  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), same);
  same->config.diversity = 20;
  gtk_test_widget_wait_for_draw (plot);
  {
    g_autoptr (Pixels) px = render (plot);

    g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
    faint = count_tint (px, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                        area.origin.y + area.size.height, &pal->train);
    full = count_color (px, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                        area.origin.y + area.size.height, &pal->train, 8);
    g_test_message ("with the current run: %d faint train pixels, %d full", faint, full);
    g_assert_cmpint (full, >, 200);
    g_assert_true (plot_drew_text (MS_PLOT (plot), "Before: diversity 0 %"));
  }

  /* The same settings as the run shown: nothing to compare. */
  same->config.diversity = 0;
  gtk_widget_queue_draw (plot);
  gtk_test_widget_wait_for_draw (plot);
  {
    g_autoptr (Pixels) px = render (plot);

    g_assert_false (plot_drew_text (MS_PLOT (plot), "Before: diversity 0 %"));
  }

  /* Removed. */
  ms_success_plot_set_previous (MS_SUCCESS_PLOT (plot), NULL, NULL);
  g_assert_null (ms_success_plot_get_previous (MS_SUCCESS_PLOT (plot)));
  g_assert_null (ms_success_plot_get_previous_label (MS_SUCCESS_PLOT (plot)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The same plot with the lines swapped moves the colours: the pixels follow the data. */
static void
test_success_follows_data (void)
{
  GtkWidget *plot = ms_success_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autoptr (Pixels) px = NULL;
  double band;

  for (int i = 0; i < snapshot->n_history; i++)
    {
      double t = snapshot->train_target[i];

      snapshot->train_target[i] = snapshot->test_target[i];
      snapshot->test_target[i] = t;
    }
  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), snapshot);
  window = show_in_window (plot, 900, 420);
  px = render (plot);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  band = area.size.height * 0.3;
  g_assert_cmpint (count_color (px, area.origin.x, area.origin.y - 4,
                                area.origin.x + area.size.width, area.origin.y + band,
                                &pal->test, 8), >, 200);
  g_assert_cmpint (count_color (px, area.origin.x, area.origin.y - 4,
                                area.origin.x + area.size.width, area.origin.y + band,
                                &pal->train, 8), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_success_nan_skipped (void)
{
  GtkWidget *plot = ms_success_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autoptr (Pixels) px = NULL;

  for (int i = 0; i < snapshot->n_history; i++)
    snapshot->test_target[i] = NAN;
  snapshot->train_target[3] = NAN;
  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), snapshot);
  window = show_in_window (plot, 900, 420);
  px = render (plot);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  /* No test line at all inside the plot (the legend swatch sits above it). */
  g_assert_cmpint (count_color (px, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                                area.origin.y + area.size.height + 4, &pal->test, 8), ==, 0);
  /* The train line is still there. */
  g_assert_cmpint (count_color (px, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                                area.origin.y + area.size.height, &pal->train, 8), >, 200);
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "Test: reaches coin –"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_success_description_and_tooltip (void)
{
  GtkWidget *plot = ms_success_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  g_autofree char *train = percent (snapshot->train_target[snapshot->n_history - 1]);
  g_autofree char *test = percent (snapshot->test_target[snapshot->n_history - 1]);
  g_autofree char *proxy = percent (snapshot->test_proxy[snapshot->n_history - 1]);
  g_autofree char *want_train = g_strdup_printf ("Train: reaches coin %s.", train);
  g_autofree char *want_test = g_strdup_printf ("Test: reaches coin %s.", test);
  g_autofree char *want_proxy = g_strdup_printf ("Test: ends in corner %s.", proxy);
  g_autofree char *tip = NULL;
  g_autofree char *want_tip = NULL;
  GtkWidget *window;
  graphene_rect_t area;
  const char *d;
  int i;

  window = show_in_window (plot, 900, 420);
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "No training yet"));
  assert_accessible_description (MS_PLOT (plot));

  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), snapshot);
  d = ms_plot_get_description (MS_PLOT (plot));
  g_test_message ("%s", d);
  g_assert_nonnull (strstr (d, want_train));
  g_assert_nonnull (strstr (d, want_test));
  g_assert_nonnull (strstr (d, want_proxy));
  g_assert_nonnull (strstr (d, "Iteration 30 of 60"));
  assert_accessible_description (MS_PLOT (plot));

  /* Hovering at iteration 10 names it and its values. */
  gtk_test_widget_wait_for_draw (plot);
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  i = 10;
  tip = ms_plot_describe_at (MS_PLOT (plot),
                             area.origin.x + area.size.width * i / 60.0,
                             area.origin.y + area.size.height / 2);
  g_assert_nonnull (tip);
  g_test_message ("%s", tip);
  g_assert_nonnull (strstr (tip, "Iteration 10"));
  want_tip = g_strdup_printf ("Train: reaches coin: %.0f%%", 100 * snapshot->train_target[i - 1]);
  g_assert_nonnull (strstr (tip, want_tip));
  g_assert_null (ms_plot_describe_at (MS_PLOT (plot), 1, 1));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_objective_teacher_hatching (void)
{
  GtkWidget *plot = ms_objective_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  const double *inferred = sim_snapshot_get_inferred (snapshot);
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autoptr (Pixels) off = NULL;
  g_autoptr (Pixels) on = NULL;
  g_autofree char *corner = g_strdup_printf ("corner %+.2f", inferred[2]);
  int truth_off, truth_on, tint_on;

  ms_objective_plot_set_snapshot (MS_OBJECTIVE_PLOT (plot), snapshot);
  window = show_in_window (plot, 640, 480);
  pal = ms_plot_get_palette (MS_PLOT (plot));

  off = render (plot);
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  truth_off = count_color (off, 0, 0, off->width, off->height, &pal->truth, 10);
  g_assert_null (strstr (ms_plot_get_description (MS_PLOT (plot)), "True mesa"));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), corner));

  g_object_set (plot, "teacher-mode", TRUE, NULL);
  gtk_test_widget_wait_for_draw (plot);
  on = render (plot);
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  truth_on = count_color (on, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                          area.origin.y + area.size.height, &pal->truth, 10);
  /* Hatched, not solid: between the stripes the bar is a translucent tint of the colour. */
  tint_on = count_tint (on, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                        area.origin.y + area.size.height, &pal->truth);
  g_test_message ("truth pixels: off %d, on %d; tint-ish pixels on %d", truth_off, truth_on,
                  tint_on);
  g_assert_cmpint (truth_off, ==, 0);
  g_assert_cmpint (truth_on, >, 40);
  g_assert_cmpint (tint_on, >, 40);
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "True mesa objective:"));
  assert_accessible_description (MS_PLOT (plot));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_objective_bars_follow_weights (void)
{
  GtkWidget *plot = ms_objective_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autoptr (Pixels) px = NULL;
  double gw, zero;
  int above, below;
  g_autofree char *tip = NULL;

  ms_objective_plot_set_snapshot (MS_OBJECTIVE_PLOT (plot), snapshot);
  window = show_in_window (plot, 640, 480);
  px = render (plot);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  gw = area.size.width / snapshot->n_features;
  zero = area.origin.y + area.size.height / 2;

  /* Base θ: coin +0.71 (bar above zero in group 0), lava −0.71 (below zero in group 1). */
  above = count_color (px, area.origin.x, area.origin.y, area.origin.x + gw, zero - 1, &pal->base,
                       8);
  below = count_color (px, area.origin.x, zero + 1, area.origin.x + gw,
                       area.origin.y + area.size.height, &pal->base, 8);
  g_assert_cmpint (above, >, 100);
  g_assert_cmpint (below, ==, 0);
  above = count_color (px, area.origin.x + gw, area.origin.y, area.origin.x + 2 * gw, zero - 1,
                       &pal->base, 8);
  below = count_color (px, area.origin.x + gw, zero + 1, area.origin.x + 2 * gw,
                       area.origin.y + area.size.height, &pal->base, 8);
  g_assert_cmpint (above, ==, 0);
  g_assert_cmpint (below, >, 100);
  /* Inferred corner weight (group 2) is positive and large: its bar is above zero. */
  g_assert_cmpint (count_color (px, area.origin.x + 2 * gw, area.origin.y,
                                area.origin.x + 3 * gw, zero - 1, &pal->inferred, 8), >, 100);

  tip = ms_plot_describe_at (MS_PLOT (plot), area.origin.x + 2.5 * gw, zero);
  g_assert_nonnull (tip);
  g_assert_nonnull (strstr (tip, "corner"));
  g_assert_nonnull (strstr (tip, "Inferred mesa objective: +"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static double
color_distance (const Pixels  *p,
                int            x,
                int            y,
                const GdkRGBA *c)
{
  const guchar *px = p->data + ((gsize) y * p->width + x) * 4;

  return fabs (px[2] - c->red * 255) + fabs (px[1] - c->green * 255)
         + fabs (px[0] - c->blue * 255);
}

/* The cell of a map drawn nearest to the top of the colour map. */
static int
warmest_cell (MsRewardMap     *map,
              const Pixels    *px,
              const SimLevel  *level,
              gboolean         inferred,
              const MsPalette *pal)
{
  double best_d = G_MAXDOUBLE;
  int best = -1;

  for (int y = 0; y < level->height; y++)
    for (int x = 0; x < level->width; x++)
      {
        graphene_rect_t cell;
        double d;

        if (sim_level_get (level, x, y) == SIM_CELL_WALL)
          continue;
        g_assert_true (ms_reward_map_get_cell_rect (map, inferred, x, y, &cell));
        d = color_distance (px, cell.origin.x + cell.size.width * 0.12,
                            cell.origin.y + cell.size.height * 0.88, &pal->diverging[4]);
        if (d < best_d)
          {
            best_d = d;
            best = sim_level_index (level, x, y);
          }
      }
  return best;
}

static void
test_reward_map_corner (void)
{
  GtkWidget *plot = ms_reward_map_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  const SimShownLevel *shown = &snapshot->shown[SIM_SHOWN_TEST];
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t cell;
  g_autoptr (Pixels) px = NULL;
  int corner = sim_level_index (shown->level, 7, 7), best = 0;
  g_autofree char *want = NULL;
  g_autofree char *tip = NULL;
  double d;

  /* The fixture's inferred reward is highest in the corner. */
  for (int i = 0; i < 64; i++)
    if (shown->inferred_reward[i] > shown->inferred_reward[best])
      best = i;
  g_assert_cmpint (best, ==, corner);

  ms_reward_map_set_snapshot (MS_REWARD_MAP (plot), snapshot);
  window = show_in_window (plot, 640, 360);
  px = render (plot);
  pal = ms_plot_get_palette (MS_PLOT (plot));

  /* Inferred map, corner cell: the top of the colour map. Sampled away from the path's end
   * dot in the middle of the cell. */
  g_assert_true (ms_reward_map_get_cell_rect (MS_REWARD_MAP (plot), TRUE, 7, 7, &cell));
  g_assert_cmpfloat (cell.size.width, >=, 10);
  d = color_distance (px, cell.origin.x + cell.size.width * 0.15,
                      cell.origin.y + cell.size.height * 0.85, &pal->diverging[4]);
  g_test_message ("inferred corner distance to high colour %.0f", d);
  g_assert_cmpfloat (d, <, 12);

  /* Base map: the corner is worth nothing (far from the high colour), the coin the most. */
  g_assert_true (ms_reward_map_get_cell_rect (MS_REWARD_MAP (plot), FALSE, 7, 7, &cell));
  d = color_distance (px, cell.origin.x + cell.size.width * 0.15,
                      cell.origin.y + cell.size.height * 0.85, &pal->diverging[4]);
  g_assert_cmpfloat (d, >, 100);
  g_assert_cmpint (warmest_cell (MS_REWARD_MAP (plot), px, shown->level, FALSE, pal),
                   ==, sim_level_index (shown->level, 5, 2));
  g_assert_cmpint (warmest_cell (MS_REWARD_MAP (plot), px, shown->level, TRUE, pal), ==, corner);
  /* A wall is drawn as a wall, not as a reward colour. */
  g_assert_true (ms_reward_map_get_cell_rect (MS_REWARD_MAP (plot), TRUE, 3, 4, &cell));
  g_assert_true (pixel_near (px, cell.origin.x + 2, cell.origin.y + 2, &pal->wall, 8));

  want = g_strdup_printf ("highest %+.2f at (7, 7)", shown->inferred_reward[corner]);
  g_test_message ("%s", ms_plot_get_description (MS_PLOT (plot)));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), want));
  assert_accessible_description (MS_PLOT (plot));

  g_assert_true (ms_reward_map_get_cell_rect (MS_REWARD_MAP (plot), TRUE, 7, 7, &cell));
  tip = ms_plot_describe_at (MS_PLOT (plot), cell.origin.x + cell.size.width / 2,
                             cell.origin.y + cell.size.height / 2);
  g_assert_nonnull (tip);
  g_assert_nonnull (strstr (tip, "(7, 7)"));
  g_assert_nonnull (strstr (tip, "Inferred mesa reward +"));

  /* The training level is the other choice. */
  g_object_set (plot, "shown", SIM_SHOWN_TRAIN, NULL);
  g_assert_cmpint (ms_reward_map_get_shown (MS_REWARD_MAP (plot)), ==, SIM_SHOWN_TRAIN);
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "training level"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The widget rectangle of a level cell, found through ms_level_view_cell_at alone. */
static gboolean
find_cell (MsLevelView     *view,
           int              cx,
           int              cy,
           graphene_rect_t *rect)
{
  int w = gtk_widget_get_width (GTK_WIDGET (view)), h = gtk_widget_get_height (GTK_WIDGET (view));
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = -1, y1 = -1;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int ax, ay;

        if (ms_level_view_cell_at (view, x + 0.5, y + 0.5, &ax, &ay) && ax == cx && ay == cy)
          {
            x0 = MIN (x0, x);
            y0 = MIN (y0, y);
            x1 = MAX (x1, x);
            y1 = MAX (y1, y);
          }
      }
  if (x1 < 0)
    return FALSE;
  graphene_rect_init (rect, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  return TRUE;
}

static void
test_level_view_cells (void)
{
  GtkWidget *plot = ms_level_view_new ();
  MsLevelView *view = MS_LEVEL_VIEW (plot);
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t lava, wall, corner;
  g_autoptr (Pixels) px = NULL;
  g_autofree char *tip = NULL;
  int cx, cy;

  ms_level_view_set_snapshot (view, snapshot);
  window = show_in_window (plot, 500, 420);
  px = render (plot);
  pal = ms_plot_get_palette (MS_PLOT (plot));

  /* Outside the grid (the corner of the widget, in the padding) is no cell. */
  g_assert_false (ms_level_view_cell_at (view, 1, 1, &cx, &cy));
  /* Every cell is reachable, square, and rows count upwards. */
  for (int y = 0; y < 8; y++)
    for (int x = 0; x < 8; x++)
      {
        graphene_rect_t r;

        g_assert_true (find_cell (view, x, y, &r));
        g_assert_cmpfloat (fabs (r.size.width - r.size.height), <=, 1);
      }
  g_assert_true (find_cell (view, 1, 1, &lava));
  g_assert_true (find_cell (view, 3, 4, &wall));
  g_assert_true (find_cell (view, 7, 7, &corner));
  g_assert_cmpfloat (corner.origin.y, <, lava.origin.y);
  g_assert_cmpfloat (corner.origin.x, >, lava.origin.x);

  /* The drawing agrees with the mapping: lava (1, 1) and the wall (3, 4) are where
   * cell_at says they are. */
  g_assert_true (pixel_near (px, lava.origin.x + 3, lava.origin.y + 3, &pal->lava, 8));
  g_assert_true (pixel_near (px, wall.origin.x + 3, wall.origin.y + 3, &pal->wall, 8));
  g_assert_false (pixel_near (px, corner.origin.x + 3, corner.origin.y + 3, &pal->lava, 8));

  tip = ms_plot_describe_at (MS_PLOT (plot), lava.origin.x + lava.size.width / 2,
                             lava.origin.y + lava.size.height / 2);
  g_assert_cmpstr (tip, ==, "(1, 1): lava");

  g_test_message ("%s", ms_plot_get_description (MS_PLOT (plot)));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "Start at (0, 3)"));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "ends at (7, 7)"));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "coin is at (5, 2)"));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "top-right corner"));
  assert_accessible_description (MS_PLOT (plot));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Pixels of the foreground ink in the cell's quarter on one side of its centre: a band along
 * the line from the centre toward (dx, dy) (y down). */
static int
ink_toward (const Pixels          *px,
            const graphene_rect_t *cell,
            const GdkRGBA         *ink,
            int                    dx,
            int                    dy)
{
  double cx = cell->origin.x + cell->size.width / 2, cy = cell->origin.y + cell->size.height / 2;
  int n = 0;

  for (double t = 0.15; t <= 0.35; t += 0.02)
    for (int o = -2; o <= 2; o++)
      n += pixel_near (px, (int) (cx + dx * t * cell->size.width + dy * o),
                       (int) (cy + dy * t * cell->size.height + dx * o), ink, 40);
  return n;
}

/* The policy arrows: none until show-policy is on; then on a cell whose agent mostly goes one
 * way, ink toward that side of the centre and none toward the others. */
static void
test_level_view_policy (void)
{
  GtkWidget *plot = ms_level_view_new ();
  MsLevelView *view = MS_LEVEL_VIEW (plot);
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  SimShownLevel *shown = &snapshot->shown[SIM_SHOWN_TEST];
  int n = shown->level->width * shown->level->height;
  int right = sim_level_index (shown->level, 6, 1), up = sim_level_index (shown->level, 1, 6);
  graphene_rect_t rr, ru;
  const MsPalette *pal;
  g_autoptr (Pixels) off = NULL;
  g_autoptr (Pixels) on = NULL;
  GtkWidget *window;

  /* Everywhere the agent stays, except a cell that goes right and one that goes up. */
  shown->action_prob = g_new0 (double, (gsize) n * SIM_N_ACTIONS);
  for (int i = 0; i < n; i++)
    shown->action_prob[i * SIM_N_ACTIONS + SIM_ACTION_STAY] = 1.0;
  shown->action_prob[right * SIM_N_ACTIONS + SIM_ACTION_STAY] = 0.1;
  shown->action_prob[right * SIM_N_ACTIONS + SIM_ACTION_RIGHT] = 0.9;
  shown->action_prob[up * SIM_N_ACTIONS + SIM_ACTION_STAY] = 0.04;
  shown->action_prob[up * SIM_N_ACTIONS + SIM_ACTION_LEFT] = 0.04;
  shown->action_prob[up * SIM_N_ACTIONS + SIM_ACTION_UP] = 0.92;

  ms_level_view_set_snapshot (view, snapshot);
  window = show_in_window (plot, 500, 420);
  g_assert_false (ms_level_view_get_show_policy (view));
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_assert_true (find_cell (view, 6, 1, &rr));
  g_assert_true (find_cell (view, 1, 6, &ru));
  off = render (plot);

  g_object_set (view, "show-policy", TRUE, NULL);
  gtk_test_widget_wait_for_draw (plot);
  on = render (plot);
  g_test_message ("right cell, ink to the right: off %d, on %d; left %d, up %d, down %d",
                  ink_toward (off, &rr, &pal->fg, 1, 0), ink_toward (on, &rr, &pal->fg, 1, 0),
                  ink_toward (on, &rr, &pal->fg, -1, 0), ink_toward (on, &rr, &pal->fg, 0, -1),
                  ink_toward (on, &rr, &pal->fg, 0, 1));
  for (int d = 0; d < 4; d++)
    {
      static const int dx[] = { 1, -1, 0, 0 }, dy[] = { 0, 0, -1, 1 };

      g_assert_cmpint (ink_toward (off, &rr, &pal->fg, dx[d], dy[d]), ==, 0);
      g_assert_cmpint (ink_toward (off, &ru, &pal->fg, dx[d], dy[d]), ==, 0);
      /* Right on (6, 1), up (y = 0 the bottom row: toward the top of the widget) on (1, 6);
       * the left move of 4 % there is under the threshold. */
      if (d == 0)
        g_assert_cmpint (ink_toward (on, &rr, &pal->fg, dx[d], dy[d]), >=, 5);
      else
        g_assert_cmpint (ink_toward (on, &rr, &pal->fg, dx[d], dy[d]), ==, 0);
      if (d == 2)
        g_assert_cmpint (ink_toward (on, &ru, &pal->fg, dx[d], dy[d]), >=, 5);
      else
        g_assert_cmpint (ink_toward (on, &ru, &pal->fg, dx[d], dy[d]), ==, 0);
    }

  /* Off again: the level looks as before. */
  g_clear_pointer (&on, pixels_free);
  g_object_set (view, "show-policy", FALSE, NULL);
  gtk_test_widget_wait_for_draw (plot);
  on = render (plot);
  g_assert_cmpint (ink_toward (on, &rr, &pal->fg, 1, 0), ==, 0);
  g_assert_cmpint (ink_toward (on, &ru, &pal->fg, 0, -1), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_level_view_animation (void)
{
  GtkWidget *plot = ms_level_view_new ();
  MsLevelView *view = MS_LEVEL_VIEW (plot);
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  int n_path = snapshot->shown[SIM_SHOWN_TEST].n_path, max_step = 0;
  gint64 deadline;
  GtkWidget *window;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  ms_level_view_set_snapshot (view, snapshot);
  window = show_in_window (plot, 400, 360);
  g_assert_true (ms_level_view_is_animating (view));

  /* One cell every MS_LEVEL_VIEW_STEP_MS: after about a second the agent is several cells in,
   * but it never skips ahead of the clock. */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (max_step < 4 && g_get_monotonic_time () < deadline)
    {
      spin (50);
      max_step = MAX (max_step, ms_level_view_get_agent_step (view));
    }
  g_assert_cmpint (max_step, >=, 4);
  g_assert_cmpint (max_step, <, n_path);

  /* Unmapped: the tick stops and the agent is shown at the end of its path. */
  gtk_widget_set_visible (window, FALSE);
  g_assert_false (ms_level_view_is_animating (view));
  g_assert_cmpint (ms_level_view_get_agent_step (view), ==, n_path - 1);

  /* With animations off in the settings, the agent does not move even when mapped. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gtk_widget_set_visible (window, TRUE);
  gtk_test_widget_wait_for_draw (plot);
  g_assert_false (ms_level_view_is_animating (view));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
new_widget (int kind)
{
  switch (kind)
    {
    case 0:
      return ms_level_view_new ();
    case 1:
      return ms_success_plot_new ();
    case 2:
      return ms_objective_plot_new ();
    case 3:
      return ms_alignment_plot_new ();
    default:
      return ms_reward_map_new ();
    }
}

/* No snapshot, and the snapshot the runner publishes after a reset: a sensible picture (not
 * blank, no crash) and a description that says so. */
static void
test_empty_states (void)
{
  g_autoptr (SimSnapshot) untrained = fixture_untrained ();
  static const char *expected[5][2] = {
    { "No level yet", "has not moved yet" },
    { "No training yet", "No training yet" },
    { "No training yet", "No inferred mesa objective yet" },
    { "No training yet", "No training yet" },
    { "No level yet", "not inferred yet" },
  };

  for (int kind = 0; kind < 5; kind++)
    {
      GtkWidget *plot = new_widget (kind);
      GtkWidget *window = show_in_window (plot, 600, 400);
      g_autoptr (Pixels) empty = render (plot);
      g_autoptr (Pixels) reset = NULL;

      g_test_message ("%s: %s", G_OBJECT_TYPE_NAME (plot),
                      ms_plot_get_description (MS_PLOT (plot)));
      g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), expected[kind][0]));
      g_assert_cmpint (count_opaque (empty), >, 100);

      ms_plot_set_snapshot (MS_PLOT (plot), untrained);
      gtk_test_widget_wait_for_draw (plot);
      reset = render (plot);
      g_test_message ("%s: %s", G_OBJECT_TYPE_NAME (plot),
                      ms_plot_get_description (MS_PLOT (plot)));
      g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), expected[kind][1]));
      g_assert_cmpint (count_opaque (reset), >, 100);
      assert_accessible_description (MS_PLOT (plot));
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* Out-of-range path cells, missing arrays, NaN everywhere: drawn without a crash. */
static void
test_bad_snapshots (void)
{
  g_autoptr (SimSnapshot) s = fixture_mid_training ();

  s->shown[SIM_SHOWN_TEST].path[2] = -7;
  s->shown[SIM_SHOWN_TEST].path[5] = 100000;
  s->shown[SIM_SHOWN_TEST].level->start = 9999;
  g_clear_pointer (&s->inference_iteration, g_free);
  g_clear_pointer (&s->inferred_sd, g_free);
  g_clear_pointer (&s->cos_true, g_free);
  for (int i = 0; i < s->n_inferences * s->n_features; i++)
    if (i % 3 == 0)
      s->inferred[i] = NAN;
  for (int i = 0; i < 64; i++)
    s->shown[SIM_SHOWN_TEST].inferred_reward[i] = NAN;
  s->predicted_proxy[s->n_inferences - 1] = NAN;
  s->cos_base[0] = NAN;

  for (int kind = 0; kind < 5; kind++)
    {
      GtkWidget *plot = new_widget (kind);
      GtkWidget *window;
      g_autoptr (Pixels) px = NULL;

      g_object_set (plot, "teacher-mode", TRUE, NULL);
      ms_plot_set_snapshot (MS_PLOT (plot), s);
      window = show_in_window (plot, 600, 400);
      px = render (plot);
      g_assert_cmpint (count_opaque (px), >, 100);
      for (int y = 0; y < 400; y += 37)
        for (int x = 0; x < 600; x += 41)
          g_free (ms_plot_describe_at (MS_PLOT (plot), x, y));
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static void
test_alignment_values (void)
{
  GtkWidget *plot = ms_alignment_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  int last = snapshot->n_inferences - 1;
  g_autofree char *measured = percent (snapshot->test_target[snapshot->n_history - 1]);
  g_autofree char *predicted = percent (snapshot->predicted_target[last]);
  g_autofree char *want = g_strdup_printf ("Test reaches coin: measured %s, predicted %s.",
                                           measured, predicted);
  g_autofree char *want_cos = g_strdup_printf ("Its goal matches the reward: "
                                               "cos(inferred, base) = %.2f.",
                                               snapshot->cos_base[last]);
  g_autofree char *want_true = g_strdup_printf ("cos(inferred, true) = %.2f.",
                                                snapshot->cos_true[last]);
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autoptr (Pixels) off = NULL;
  g_autoptr (Pixels) on = NULL;

  ms_alignment_plot_set_snapshot (MS_ALIGNMENT_PLOT (plot), snapshot);
  window = show_in_window (plot, 500, 520);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_test_message ("%s", ms_plot_get_description (MS_PLOT (plot)));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), want));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), want_cos));
  g_assert_null (strstr (ms_plot_get_description (MS_PLOT (plot)), "cos(inferred, true)"));
  off = render (plot);
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  /* The cosine line is drawn; the teacher's line only in teacher mode. */
  g_assert_cmpint (count_color (off, area.origin.x, area.origin.y,
                                area.origin.x + area.size.width,
                                area.origin.y + area.size.height, &pal->cos_base, 8), >, 50);
  g_assert_cmpint (count_color (off, area.origin.x, area.origin.y,
                                area.origin.x + area.size.width,
                                area.origin.y + area.size.height, &pal->cos_true, 8), ==, 0);
  /* The line is named in words a class follows; hovering it gives the formula and what its
   * values mean. */
  {
    g_autofree char *tip = ms_plot_describe_at (MS_PLOT (plot),
                                                area.origin.x + area.size.width / 2,
                                                area.origin.y + area.size.height / 2);

    g_assert_nonnull (tip);
    g_test_message ("%s", tip);
    g_assert_nonnull (strstr (tip, "Its goal matches the reward: cos(inferred, base) = "));
    g_assert_nonnull (strstr (tip, "1 is the same goal"));
  }

  g_object_set (plot, "teacher-mode", TRUE, NULL);
  gtk_test_widget_wait_for_draw (plot);
  on = render (plot);
  g_assert_cmpint (count_color (on, area.origin.x, area.origin.y,
                                area.origin.x + area.size.width,
                                area.origin.y + area.size.height, &pal->cos_true, 8), >, 50);
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), want_true));
  assert_accessible_description (MS_PLOT (plot));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Teacher mode names the true-goal line in the legend only when there is one to draw: an agent
 * without a parametric objective (the Q-learner) has none. */
static void
test_alignment_truth_legend (void)
{
  const char *label = "Its goal matches its true goal";
  GtkWidget *plot = ms_alignment_plot_new ();
  g_autoptr (SimSnapshot) planner = fixture_mid_training ();
  g_autoptr (SimSnapshot) tabular = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autoptr (Pixels) off = NULL;
  g_autoptr (Pixels) on = NULL;

  /* What the engine publishes for the Q-learner: no true objective, no cosine with it. */
  g_clear_pointer (&tabular->true_objective, g_free);
  for (int i = 0; i < tabular->n_inferences; i++)
    tabular->cos_true[i] = NAN;

  ms_alignment_plot_set_snapshot (MS_ALIGNMENT_PLOT (plot), planner);
  window = show_in_window (plot, 500, 520);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  off = render (plot);
  g_assert_true (plot_drew_text (MS_PLOT (plot), "Its goal matches the reward"));
  g_assert_false (plot_drew_text (MS_PLOT (plot), label));

  g_object_set (plot, "teacher-mode", TRUE, NULL);
  gtk_test_widget_wait_for_draw (plot);
  g_clear_pointer (&off, pixels_free);
  off = render (plot);
  g_assert_true (plot_drew_text (MS_PLOT (plot), label));

  ms_alignment_plot_set_snapshot (MS_ALIGNMENT_PLOT (plot), tabular);
  gtk_test_widget_wait_for_draw (plot);
  on = render (plot);
  g_assert_true (plot_drew_text (MS_PLOT (plot), "Its goal matches the reward"));
  g_assert_false (plot_drew_text (MS_PLOT (plot), label));
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  g_assert_cmpint (count_color (on, area.origin.x, area.origin.y,
                                area.origin.x + area.size.width,
                                area.origin.y + area.size.height, &pal->cos_true, 8), ==, 0);
  g_assert_null (strstr (ms_plot_get_description (MS_PLOT (plot)), "cos(inferred, true)"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A short run of an agent as the engine trains it, with inference every 4 iterations, and the
 * snapshot the worker would publish at its end. */
static SimSnapshot *
trained_snapshot (SimAgentKind agent)
{
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (GError) error = NULL;
  SimSnapshot *snapshot = sim_snapshot_new ();
  SimConfig config;

  sim_config_init_default (&config);
  config.agent = agent;
  config.iterations = 8;
  config.infer_every = 4;
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim_train_attach_inference (train, &error));
  g_assert_no_error (error);
  while (sim_train_step (train))
    ;
  sim_train_fill_snapshot (train, 0, snapshot);
  return snapshot;
}

/* The same with what the engine really publishes: the Q-learner has no θ (no true objective,
 * every cos(inferred, true) NaN), so in teacher mode its plot names and draws one line; the
 * planner's names and draws both. */
static void
test_alignment_truth_legend_engine (void)
{
  const char *label = "Its goal matches its true goal";
  GtkWidget *plot = ms_alignment_plot_new ();
  g_autoptr (SimSnapshot) planner = trained_snapshot (SIM_AGENT_PLANNER);
  g_autoptr (SimSnapshot) qlearner = trained_snapshot (SIM_AGENT_QLEARNER);
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;

  g_assert_nonnull (planner->true_objective);
  g_assert_null (qlearner->true_objective);
  g_assert_cmpint (qlearner->n_inferences, ==, 2);
  for (int i = 0; i < qlearner->n_inferences; i++)
    {
      g_assert_true (isnan (qlearner->cos_true[i]));
      g_assert_false (isnan (qlearner->cos_base[i]));
    }

  window = show_in_window (plot, 500, 520);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_object_set (plot, "teacher-mode", TRUE, NULL);
  for (int k = 0; k < 2; k++)
    {
      SimSnapshot *s = k == 0 ? planner : qlearner;
      g_autoptr (Pixels) px = NULL;
      int true_px, base_px;

      ms_alignment_plot_set_snapshot (MS_ALIGNMENT_PLOT (plot), s);
      gtk_test_widget_wait_for_draw (plot);
      px = render (plot);
      g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
      true_px = count_color (px, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                             area.origin.y + area.size.height, &pal->cos_true, 8);
      base_px = count_color (px, area.origin.x, area.origin.y, area.origin.x + area.size.width,
                             area.origin.y + area.size.height, &pal->cos_base, 8);
      g_test_message ("%s: true-goal line pixels %d, reward line pixels %d",
                      k == 0 ? "planner" : "Q-learner", true_px, base_px);
      g_assert_true (plot_drew_text (MS_PLOT (plot), "Its goal matches the reward"));
      g_assert_cmpint (base_px, >, 20);
      /* The entry is in the legend exactly when its line is in the plot. */
      g_assert_cmpint (plot_drew_text (MS_PLOT (plot), label), ==, k == 0);
      g_assert_cmpint (true_px > 20, ==, k == 0);
      if (k == 1)
        {
          g_assert_cmpint (true_px, ==, 0);
          g_assert_null (strstr (ms_plot_get_description (MS_PLOT (plot)),
                                 "cos(inferred, true)"));
        }
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_scale (void)
{
  GtkWidget *plot = ms_success_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autoptr (Pixels) normal = NULL;
  g_autoptr (Pixels) big = NULL;
  double h1, h15;
  int n1, n15;

  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), snapshot);
  window = show_in_window (plot, 900, 420);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  h1 = ms_plot_font_height (MS_PLOT (plot), MS_FONT_TITLE);
  normal = render (plot);
  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  n1 = count_color (normal, 0, 0, normal->width, normal->height, &pal->train, 8);

  g_object_set (plot, "scale", 1.5, NULL);
  g_assert_cmpfloat (ms_plot_get_scale (MS_PLOT (plot)), ==, 1.5);
  h15 = ms_plot_font_height (MS_PLOT (plot), MS_FONT_TITLE);
  gtk_test_widget_wait_for_draw (plot);
  big = render (plot);
  n15 = count_color (big, 0, 0, big->width, big->height, &pal->train, 8);
  g_test_message ("title height %.0f → %.0f, train pixels %d → %d", h1, h15, n1, n15);
  g_assert_cmpfloat (h15 / h1, >, 1.35);
  g_assert_cmpfloat (h15 / h1, <, 1.65);
  /* Thicker lines and bigger markers. */
  g_assert_cmpfloat ((double) n15 / n1, >, 1.2);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_theme_and_palette (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkWidget *plot = ms_success_plot_new ();
  g_autoptr (SimSnapshot) snapshot = fixture_mid_training ();
  GtkWidget *window;
  const MsPalette *pal;
  GdkRGBA light_train, light_fg;
  guint serial;

  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), snapshot);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = show_in_window (plot, 600, 300);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_assert_false (pal->dark);
  light_train = pal->train;
  light_fg = pal->fg;
  serial = ms_plot_get_palette_serial (MS_PLOT (plot));
  g_assert_true (ms_plot_get_colorblind (MS_PLOT (plot)));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_test_widget_wait_for_draw (plot);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_assert_true (pal->dark);
  g_assert_cmpuint (ms_plot_get_palette_serial (MS_PLOT (plot)), !=, serial);
  /* Light text on the dark card, dark text on the light one. */
  g_assert_cmpfloat (pal->fg.red + pal->fg.green + pal->fg.blue, >, 2.4);
  g_assert_cmpfloat (light_fg.red + light_fg.green + light_fg.blue, <, 0.9);
  g_assert_false (gdk_rgba_equal (&pal->train, &light_train));

  /* The GNOME palette instead of Okabe–Ito. */
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_object_set (plot, "colorblind", FALSE, NULL);
  pal = ms_plot_get_palette (MS_PLOT (plot));
  g_assert_false (gdk_rgba_equal (&pal->train, &light_train));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The widgets release the snapshot they hold. */
static void
test_snapshot_released (void)
{
  SimSnapshot *snapshot = fixture_mid_training ();

  for (int kind = 0; kind < 5; kind++)
    {
      GtkWidget *plot = new_widget (kind);
      GtkWidget *window;

      ms_plot_set_snapshot (MS_PLOT (plot), snapshot);
      window = show_in_window (plot, 400, 300);
      g_assert_cmpint (snapshot->ref_count, >=, 2);
      gtk_window_destroy (GTK_WINDOW (window));
      spin (20);
      g_assert_cmpint (snapshot->ref_count, ==, 1);
    }
  sim_snapshot_unref (snapshot);
}

/* A snapshot like the fixture's, one iteration later, sharing its levels (as the runner's do). */
static SimSnapshot *
next_iteration (SimSnapshot *a)
{
  SimSnapshot *b = fixture_mid_training ();

  b->iteration = a->iteration + 1;
  for (int k = 0; k < SIM_N_SHOWN; k++)
    {
      sim_level_unref (b->shown[k].level);
      b->shown[k].level = sim_level_ref (a->shown[k].level);
    }
  return b;
}

/* Plots skip the frames in which a new snapshot would not change their drawing: the objective
 * bars and the reward maps change with an inference (and the bars with the true θ in teacher
 * mode), not with every iteration; the success plot redraws every time. */
static void
test_needs_redraw (void)
{
  g_autoptr (SimSnapshot) a = fixture_mid_training ();
  g_autoptr (SimSnapshot) b = next_iteration (a);
  g_autoptr (SimSnapshot) c = next_iteration (a);
  MsPlot *objective = MS_PLOT (g_object_ref_sink (ms_objective_plot_new ()));
  MsPlot *map = MS_PLOT (g_object_ref_sink (ms_reward_map_new ()));
  MsPlotClass *objective_class = MS_PLOT_GET_CLASS (objective);
  MsPlotClass *map_class = MS_PLOT_GET_CLASS (map);

  g_assert_nonnull (objective_class->needs_redraw);
  g_assert_nonnull (map_class->needs_redraw);
  {
    MsPlotClass *success_class = g_type_class_ref (MS_TYPE_SUCCESS_PLOT);

    g_assert_null (success_class->needs_redraw);
    g_type_class_unref (success_class);
  }

  g_assert_false (objective_class->needs_redraw (objective, a, b));
  g_assert_false (map_class->needs_redraw (map, a, b));

  /* The true θ moved: only teacher mode draws it. */
  b->true_objective[0] += 0.01;
  g_assert_false (objective_class->needs_redraw (objective, a, b));
  ms_plot_set_teacher_mode (objective, TRUE);
  g_assert_true (objective_class->needs_redraw (objective, a, b));

  /* One inference more. */
  c->n_inferences--;
  g_assert_true (objective_class->needs_redraw (objective, a, c));
  g_assert_true (map_class->needs_redraw (map, a, c));
  c->n_inferences++;

  /* A different path on the shown level. */
  g_assert_cmpint (c->shown[SIM_SHOWN_TEST].n_path, >, 1);
  c->shown[SIM_SHOWN_TEST].n_path--;
  g_assert_true (map_class->needs_redraw (map, a, c));
  c->shown[SIM_SHOWN_TEST].n_path++;
  g_assert_false (map_class->needs_redraw (map, a, c));

  g_object_unref (objective);
  g_object_unref (map);
}

/* Before the first inference the inferred map is an empty frame with the reason in it: no
 * cells, walls or grid lines under the words (they were drawn under a veil, and the text ran
 * over them). */
static void
test_reward_map_waiting (void)
{
  GtkWidget *plot = ms_reward_map_new ();
  g_autoptr (SimSnapshot) s = fixture_mid_training ();
  g_autoptr (Pixels) px = NULL;
  graphene_rect_t first, last;
  int x0, y0, x1, y1, n_other = 0;
  GtkWidget *window;

  g_clear_pointer (&s->shown[SIM_SHOWN_TEST].inferred_reward, g_free);
  ms_reward_map_set_snapshot (MS_REWARD_MAP (plot), s);
  window = show_in_window (plot, 600, 400);
  px = render (plot);
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "not inferred yet"));
  g_assert_true (ms_reward_map_get_cell_rect (MS_REWARD_MAP (plot), TRUE, 0, 7, &first));
  g_assert_true (ms_reward_map_get_cell_rect (MS_REWARD_MAP (plot), TRUE, 7, 0, &last));
  /* The top quarter of the frame, inside its border, away from the centred words: one colour. */
  x0 = (int) first.origin.x + 2;
  y0 = (int) first.origin.y + 2;
  x1 = (int) (last.origin.x + last.size.width) - 2;
  y1 = (int) (first.origin.y + (last.origin.y + last.size.height - first.origin.y) / 4);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (memcmp (px->data + ((gsize) y * px->width + x) * 4,
                  px->data + ((gsize) y0 * px->width + x0) * 4, 4) != 0)
        n_other++;
  g_test_message ("%d of %d pixels in the frame's top quarter differ from its background",
                  n_other, (x1 - x0) * (y1 - y0));
  g_assert_cmpint ((x1 - x0) * (y1 - y0), >, 500);
  g_assert_cmpint (n_other, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A legend label wider than its row goes on over several lines instead of running out of
 * the card ("Its goal matches the" was cut off at 1280 × 720 in presentation mode). */
static void
test_legend_wraps (void)
{
  GtkWidget *plot = g_object_ref_sink (ms_alignment_plot_new ());
  const MsPalette *pal = ms_plot_get_palette (MS_PLOT (plot));
  MsLegendEntry entry = { "Its goal matches the reward", &pal->cos_base, MS_LEGEND_LINE,
                          MS_MARKER_CIRCLE };
  double row_h = ms_plot_font_height (MS_PLOT (plot), MS_FONT_LABEL), tw, wide, narrow;

  ms_plot_text_size (MS_PLOT (plot), MS_FONT_LABEL, entry.label, &tw, NULL);
  wide = ms_plot_draw_legend (MS_PLOT (plot), NULL, &entry, 1, 0, 0, tw + 200, FALSE);
  narrow = ms_plot_draw_legend (MS_PLOT (plot), NULL, &entry, 1, 0, 0, tw * 0.7, FALSE);
  g_test_message ("label %.0f px wide: legend %.0f px tall in a wide row, %.0f px in a narrow "
                  "one", tw, wide, narrow);
  g_assert_cmpfloat (wide, ==, row_h);
  g_assert_cmpfloat (narrow, >=, 2 * row_h);
  g_object_unref (plot);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's test accessibility backend keeps the properties the widgets set, so the tests can
   * read them back; it needs no accessibility bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/plots/success/lines", test_success_lines);
  g_test_add_func ("/ui/plots/success/follows-data", test_success_follows_data);
  g_test_add_func ("/ui/plots/success/previous-run", test_success_previous_run);
  g_test_add_func ("/ui/plots/success/nan-skipped", test_success_nan_skipped);
  g_test_add_func ("/ui/plots/success/description-and-tooltip",
                   test_success_description_and_tooltip);
  g_test_add_func ("/ui/plots/objective/teacher-hatching", test_objective_teacher_hatching);
  g_test_add_func ("/ui/plots/objective/bars-follow-weights", test_objective_bars_follow_weights);
  g_test_add_func ("/ui/plots/alignment/values", test_alignment_values);
  g_test_add_func ("/ui/plots/alignment/truth-legend", test_alignment_truth_legend);
  g_test_add_func ("/ui/plots/alignment/truth-legend-engine", test_alignment_truth_legend_engine);
  g_test_add_func ("/ui/plots/legend-wraps", test_legend_wraps);
  g_test_add_func ("/ui/plots/reward-map/waiting", test_reward_map_waiting);
  g_test_add_func ("/ui/plots/reward-map/corner", test_reward_map_corner);
  g_test_add_func ("/ui/plots/level-view/cells", test_level_view_cells);
  g_test_add_func ("/ui/plots/level-view/animation", test_level_view_animation);
  g_test_add_func ("/ui/plots/level-view/policy", test_level_view_policy);
  g_test_add_func ("/ui/plots/empty-states", test_empty_states);
  g_test_add_func ("/ui/plots/bad-snapshots", test_bad_snapshots);
  g_test_add_func ("/ui/plots/scale", test_scale);
  g_test_add_func ("/ui/plots/theme-and-palette", test_theme_and_palette);
  g_test_add_func ("/ui/plots/snapshot-released", test_snapshot_released);
  g_test_add_func ("/ui/plots/needs-redraw", test_needs_redraw);

  return g_test_run ();
}
