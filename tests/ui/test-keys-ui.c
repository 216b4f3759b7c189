/* test-keys-ui.c: the keys-and-chests scenario in the dashboard: a snapshot of a real run
 * draws its counts, inventory and inferred weights; the controls and presets select it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ms-alignment-plot.h"
#include "ms-dashboard.h"
#include "ms-level-view.h"
#include "ms-level-view-tests.h"
#include "ms-objective-plot.h"
#include "ms-presets.h"
#include "ms-reward-map.h"
#include "ms-success-plot.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "ms-controls-panel.h"
#include "sim-train-inference.h"
#include "sim-runner.h"
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

/* A keys-chests run of the trainer, key-scarce training, after `iterations` generations with
 * inference every 4; the snapshot shows evaluation level `shown`. */
static SimSnapshot *
keys_snapshot_of (SimAgentKind agent,
                  int          iterations,
                  int          shown)
{
  SimConfig config;
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (GError) error = NULL;
  SimSnapshot *snapshot = sim_snapshot_new ();

  sim_config_init_default (&config);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  config.agent = agent;
  config.optimizer = SIM_OPTIMIZER_CEM;
  config.iterations = 20;
  config.infer_every = 4;
  config.seed = 1;
  train = sim_train_new (&config, &error);
  g_assert_no_error (error);
  sim_train_attach_inference (train, &error);
  g_assert_no_error (error);
  for (int i = 0; i < iterations; i++)
    g_assert_true (sim_train_step (train));
  sim_train_fill_snapshot (train, shown, snapshot);
  return snapshot;
}

static SimSnapshot *
keys_snapshot (int iterations,
               int shown)
{
  return keys_snapshot_of (SIM_AGENT_PLANNER, iterations, shown);
}

static GtkWidget *
show_in_window (GtkWidget *widget,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  gtk_test_widget_wait_for_draw (widget);
  return window;
}

static Pixels *
render (GtkWidget  *widget,
        const char *name)
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
      g_autofree char *file = g_strdup_printf ("%s/keys-%s.png",
                                               g_getenv ("MESASCOPE_TEST_PNG_DIR"), name);

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

/* The box around the pixels of colour c: a bar group of the alignment plot. */
static void
find_colour (const Pixels  *p,
             const GdkRGBA *c,
             int           *x0,
             int           *x1,
             int           *y1)
{
  *x0 = p->width;
  *x1 = -1;
  *y1 = -1;
  for (int y = 0; y < p->height; y++)
    for (int x = 0; x < p->width; x++)
      if (pixel_near (p, x, y, c, 8))
        {
          *x0 = MIN (*x0, x);
          *x1 = MAX (*x1, x);
          *y1 = MAX (*y1, y);
        }
  g_assert_cmpint (*x1, >=, *x0);
}

/* Whether row y has, between x0 and x1, a pixel drawn with some opacity (the plot draws
 * on a transparent background). */
static gboolean
row_has_ink (const Pixels *p,
             int           y,
             int           x0,
             int           x1)
{
  for (int x = MAX (0, x0); x <= MIN (p->width - 1, x1); x++)
    if (p->data[((gsize) y * p->width + x) * 4 + 3] > 32)
      return TRUE;
  return FALSE;
}

/* The lines of text right under the alignment plot's bars of colour bar (their group label):
 * runs of rows with ink under the bars and the axis, each less than a line's height below the
 * one before. The first row of the label is returned in label_top. */
static int
label_lines (const Pixels  *p,
             const GdkRGBA *bar,
             int           *label_top)
{
  int x0, x1, bottom, xa, xb;
  int lines = 0, start = -1, end = -1, height = 0;

  find_colour (p, bar, &x0, &x1, &bottom);
  xa = x0 - (x1 - x0) / 4;
  xb = x1 + (x1 - x0) / 4;
  /* The label starts below the axis line under the bars. */
  while (bottom + 1 < p->height && row_has_ink (p, bottom + 1, xa, xb))
    bottom++;
  for (int y = bottom + 1; y <= p->height; y++)
    {
      gboolean has_text = y < p->height && row_has_ink (p, y, xa, xb);

      if (has_text && start < 0)
        {
          if (lines > 0 && y - end > height)
            break;      /* further away than a line: no longer the label */
          start = y;
        }
      else if (!has_text && start >= 0)
        {
          if (lines == 0)
            *label_top = start;
          lines++;
          height = y - start;
          end = y;
          start = -1;
        }
    }
  return lines;
}

/* Every dashboard widget draws a keys-chests snapshot of a real run (written out as PNG files
 * with MESASCOPE_TEST_PNG_DIR set) and says in its description what it shows. */
static void
test_render_all (void)
{
  g_autoptr (SimSnapshot) snapshot = keys_snapshot (12, 0);
  GtkWidget *widgets[] = {
    ms_level_view_new (), ms_success_plot_new (), ms_objective_plot_new (),
    ms_alignment_plot_new (), ms_reward_map_new (),
  };
  const char *names[] = { "level", "success", "objective", "alignment", "reward" };
  const char *words[] = { "Test level", "keys collected", "key", "collects keys", "reward" };

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    {
      GtkWidget *window;
      g_autoptr (Pixels) px = NULL;
      graphene_rect_t area;

      ms_plot_set_snapshot (MS_PLOT (widgets[i]), snapshot);
      window = show_in_window (widgets[i], 520, 400);
      px = render (widgets[i], names[i]);
      g_test_message ("%s: %s", names[i], ms_plot_get_description (MS_PLOT (widgets[i])));
      g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (widgets[i])), words[i]));
      /* Each drew its data, not only a message. */
      g_assert_true (ms_plot_get_data_area (MS_PLOT (widgets[i]), &area));
      /* Wide enough, each group label of the alignment plot is one line. */
      if (MS_IS_ALIGNMENT_PLOT (widgets[i]))
        {
          const MsPalette *pal = ms_plot_get_palette (MS_PLOT (widgets[i]));
          int top;

          g_assert_cmpint (label_lines (px, &pal->test, &top), ==, 1);
          g_assert_cmpint (label_lines (px, &pal->proxy, &top), ==, 1);
        }
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);

  /* The alignment plot as narrow as in a 1280 × 720 window with the lesson bar: its group
   * labels wrap onto two lines instead of running into each other: each is two lines, and no
   * text crosses the middle between the two groups' bars. */
  {
    GtkWidget *plot = ms_alignment_plot_new ();
    GtkWidget *window;
    g_autoptr (Pixels) px = NULL;
    const MsPalette *pal;
    int chests_x0, chests_x1, keys_x0, keys_x1, bottom, top, middle;

    ms_plot_set_snapshot (MS_PLOT (plot), snapshot);
    window = show_in_window (plot, 400, 230);
    px = render (plot, "alignment-narrow");
    pal = ms_plot_get_palette (MS_PLOT (plot));
    g_assert_cmpint (label_lines (px, &pal->test, &top), ==, 2);
    g_assert_cmpint (label_lines (px, &pal->proxy, &top), ==, 2);
    find_colour (px, &pal->test, &chests_x0, &chests_x1, &bottom);
    find_colour (px, &pal->proxy, &keys_x0, &keys_x1, &bottom);
    g_assert_cmpint (chests_x1, <, keys_x0);
    middle = (chests_x1 + keys_x0) / 2;
    for (int y = top; y < px->height; y++)
      g_assert_false (row_has_ink (px, y, middle, middle));
    gtk_window_destroy (GTK_WINDOW (window));
  }
}

/* The network's keys-chests run draws in the same widgets, teacher mode on: its counts, its
 * path with the keys in hand, and the inferred weights without an answer key. */
static void
test_render_network (void)
{
  g_autoptr (SimSnapshot) snapshot = keys_snapshot_of (SIM_AGENT_MLP, 12, 0);
  GtkWidget *widgets[] = {
    ms_level_view_new (), ms_success_plot_new (), ms_objective_plot_new (),
    ms_alignment_plot_new (), ms_reward_map_new (),
  };
  const char *names[] = { "network-level", "network-success", "network-objective",
                          "network-alignment", "network-reward" };
  const char *words[] = { "Test level", "keys collected", "key", "collects keys", "reward" };

  g_assert_null (snapshot->true_objective);
  g_assert_nonnull (snapshot->test_keys);
  g_assert_cmpint (snapshot->n_inferences, ==, 3);
  g_assert_nonnull (snapshot->shown[SIM_SHOWN_TEST].held);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    {
      GtkWidget *window;
      g_autoptr (Pixels) px = NULL;
      graphene_rect_t area;

      ms_plot_set_teacher_mode (MS_PLOT (widgets[i]), TRUE);
      ms_plot_set_snapshot (MS_PLOT (widgets[i]), snapshot);
      window = show_in_window (widgets[i], 520, 400);
      px = render (widgets[i], names[i]);
      g_test_message ("%s: %s", names[i], ms_plot_get_description (MS_PLOT (widgets[i])));
      g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (widgets[i])), words[i]));
      g_assert_true (ms_plot_get_data_area (MS_PLOT (widgets[i]), &area));
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
}

/* The success plot shows keys collected and chests opened at train and test as counts on an
 * axis from 0 to 6: the newest test-keys point is where its value says, in the proxy colour,
 * and the test-chests point in the test colour. */
static void
test_success_counts (void)
{
  g_autoptr (SimSnapshot) snapshot = keys_snapshot (12, 0);
  GtkWidget *plot = ms_success_plot_new ();
  GtkWidget *window;
  g_autoptr (Pixels) px = NULL;
  const MsPalette *pal;
  graphene_rect_t area;
  g_autofree char *want_keys = NULL;
  g_autofree char *want_chests = NULL;
  g_autofree char *tip = NULL;
  double x, y_keys, y_chests, v_keys = snapshot->test_keys[11], v_chests;

  v_chests = snapshot->test_chests[11];
  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (plot), snapshot);
  window = show_in_window (plot, 560, 400);
  px = render (plot, "success-counts");
  pal = ms_plot_get_palette (MS_PLOT (plot));

  want_keys = g_strdup_printf ("Test: keys collected %.2f.", v_keys);
  want_chests = g_strdup_printf ("Test: chests opened %.2f.", v_chests);
  g_test_message ("%s", ms_plot_get_description (MS_PLOT (plot)));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), want_keys));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), want_chests));
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "Train: keys collected"));
  /* The key-scarce agent already hoards keys at test and leaves chests closed. */
  g_assert_cmpfloat (v_keys, >, 3 * v_chests);

  g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &area));
  x = area.origin.x + area.size.width * 12 / 20.0;
  y_keys = area.origin.y + area.size.height * (1 - v_keys / 6.0);
  y_chests = area.origin.y + area.size.height * (1 - v_chests / 6.0);
  g_assert_cmpint (count_color (px, x - 6, y_keys - 6, x + 6, y_keys + 6, &pal->proxy, 10), >=,
                   10);
  g_assert_cmpint (count_color (px, x - 6, y_chests - 6, x + 6, y_chests + 6, &pal->test, 10),
                   >=, 10);
  /* Nothing is drawn above the 6-key line but the title and legend. */
  g_assert_cmpint (count_color (px, area.origin.x, area.origin.y - 3,
                                area.origin.x + area.size.width, area.origin.y + 2,
                                &pal->proxy, 10), ==, 0);

  tip = ms_plot_describe_at (MS_PLOT (plot), area.origin.x + area.size.width * 4 / 20.0,
                             area.origin.y + area.size.height / 2);
  g_assert_nonnull (tip);
  g_assert_nonnull (strstr (tip, "Iteration 4"));
  g_assert_nonnull (strstr (tip, "Train: chests opened"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The level view's inventory shows the keys the agent holds at the step drawn: key glyphs in
 * the row above the grid exactly when it holds any; picked-up keys leave their cells. */
static void
test_level_inventory (void)
{
  g_autoptr (SimSnapshot) snapshot = keys_snapshot (12, 0);
  const SimShownLevel *shown = &snapshot->shown[SIM_SHOWN_TEST];
  int end_held = shown->held[shown->n_path - 1];

  g_assert_cmpint (end_held, >, 0);
  for (int animate = 0; animate < 2; animate++)
    {
      GtkWidget *plot = ms_level_view_new ();
      MsLevelView *view = MS_LEVEL_VIEW (plot);
      GtkWidget *window;
      g_autoptr (Pixels) px = NULL;
      const MsPalette *pal;
      graphene_rect_t grid;
      int held, step, in_row;

      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", animate, NULL);
      ms_level_view_set_snapshot (view, snapshot);
      window = show_in_window (plot, 520, 420);
      px = render (plot, animate ? "level-start" : "level-end");
      step = ms_level_view_get_agent_step (view);
      held = ms_level_view_get_keys_held (view);
      pal = ms_plot_get_palette (MS_PLOT (plot));
      g_assert_true (ms_plot_get_data_area (MS_PLOT (plot), &grid));

      g_assert_cmpint (held, ==, shown->held[step]);
      if (!animate)
        {
          g_assert_cmpint (step, ==, shown->n_path - 1);
          g_assert_cmpint (held, ==, end_held);
        }
      in_row = count_color (px, 0, grid.origin.y - 30, px->width, grid.origin.y - 2, &pal->key,
                            12);
      g_test_message ("step %d, %d keys held, %d key pixels in the inventory row", step, held,
                      in_row);
      if (held > 0)
        g_assert_cmpint (in_row, >, 15);
      else
        g_assert_cmpint (in_row, ==, 0);

      /* Every key picked up by the drawn step is gone from its cell. */
      for (int i = 1; i <= step; i++)
        if (shown->held[i] > shown->held[i - 1])
          {
            double cell = grid.size.width / 8;
            int c = shown->path[i], cx = c % 8, cy = 7 - c / 8;
            double x0 = grid.origin.x + cx * cell, y0 = grid.origin.y + cy * cell;

            g_assert_cmpint (count_color (px, x0, y0, x0 + cell, y0 + cell, &pal->key, 12), ==, 0);
          }
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);

  /* Other scenarios have no inventory. */
  {
    GtkWidget *plot = ms_level_view_new ();
    g_autoptr (SimSnapshot) coin = sim_snapshot_new ();
    SimConfig config;
    g_autoptr (SimTrain) train = NULL;

    sim_config_init_default (&config);
    config.iterations = 1;
    config.infer_every = 0;
    train = sim_train_new (&config, NULL);
    sim_train_step (train);
    sim_train_fill_snapshot (train, 0, coin);
    g_assert_null (coin->shown[SIM_SHOWN_TEST].held);
    ms_level_view_set_snapshot (MS_LEVEL_VIEW (plot), coin);
    g_assert_cmpint (ms_level_view_get_keys_held (MS_LEVEL_VIEW (plot)), ==, -1);
    g_object_ref_sink (plot);
    g_object_unref (plot);
  }
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
count_cb (int *n)
{
  (*n)++;
}

/* Choosing keys and chests in the controls gives a configuration the trainer accepts (cem, 20
 * generations, full perception, 8 × 8) and greys out the knobs it has no use for; the network
 * runs it too, with any perception; choosing coin again brings the coin defaults back. */
static void
test_controls (void)
{
  GtkWidget *panel = ms_controls_panel_new ();
  GtkWidget *window = show_in_window (panel, 360, 700);
  GtkWidget *scenario = find_row (panel, "Scenario");
  GtkWidget *optimizer = find_row (panel, "Base Optimizer");
  GtkWidget *perception = find_row (panel, "Target Perception");
  GtkWidget *grid = find_row (panel, "Grid Size");
  GtkWidget *diversity = find_row (panel, "Diverse Levels");
  GtkWidget *agent = find_row (panel, "Agent");
  SimConfig config;
  g_autoptr (GError) error = NULL;
  int changed = 0;

  g_assert_nonnull (agent);
  g_assert_nonnull (scenario);
  g_assert_nonnull (optimizer);
  g_assert_nonnull (perception);
  g_assert_nonnull (grid);
  g_assert_nonnull (diversity);
  g_signal_connect_swapped (panel, "changed", G_CALLBACK (count_cb), &changed);

  sim_config_init_default (&config);
  config.perception = SIM_PERCEPTION_HIDDEN;
  config.perception_param = 30;
  ms_controls_panel_set_config (MS_CONTROLS_PANEL (panel), &config);
  adw_combo_row_set_selected (ADW_COMBO_ROW (scenario), SIM_SCENARIO_KEYS_CHESTS);
  g_assert_cmpint (changed, ==, 1);
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_cmpint (config.scenario, ==, SIM_SCENARIO_KEYS_CHESTS);
  g_assert_cmpint (config.optimizer, ==, SIM_OPTIMIZER_CEM);
  g_assert_cmpint (config.perception, ==, SIM_PERCEPTION_FULL);
  g_assert_cmpint (config.iterations, ==, 20);
  g_assert_cmpint (config.grid, ==, 8);
  g_assert_true (sim_train_check_config (&config, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_sensitive (optimizer));
  g_assert_false (gtk_widget_get_sensitive (perception));
  g_assert_false (gtk_widget_get_sensitive (grid));
  g_assert_true (gtk_widget_get_sensitive (diversity));

  /* The network runs keys and chests too, with any perception; back to the planner, the
   * perception is full again. */
  g_assert_true (gtk_widget_get_sensitive (agent));
  adw_combo_row_set_selected (ADW_COMBO_ROW (agent), SIM_AGENT_MLP);
  g_assert_true (gtk_widget_get_sensitive (perception));
  g_assert_false (gtk_widget_get_sensitive (optimizer));
  adw_combo_row_set_selected (ADW_COMBO_ROW (perception), SIM_PERCEPTION_RADIUS);
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_cmpint (config.scenario, ==, SIM_SCENARIO_KEYS_CHESTS);
  g_assert_cmpint (config.agent, ==, SIM_AGENT_MLP);
  g_assert_cmpint (config.perception, ==, SIM_PERCEPTION_RADIUS);
  g_assert_true (sim_train_check_config (&config, &error));
  g_assert_no_error (error);
  adw_combo_row_set_selected (ADW_COMBO_ROW (agent), SIM_AGENT_PLANNER);
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_cmpint (config.agent, ==, SIM_AGENT_PLANNER);
  g_assert_cmpint (config.perception, ==, SIM_PERCEPTION_FULL);
  g_assert_cmpint (config.optimizer, ==, SIM_OPTIMIZER_CEM);
  g_assert_false (gtk_widget_get_sensitive (perception));
  g_assert_true (sim_train_check_config (&config, &error));
  g_assert_no_error (error);
  changed = 1;   /* the count of the checks below starts here */

  /* Setting a keys-chests config from code shows it and emits nothing. */
  config.diversity = 100;
  ms_controls_panel_set_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_cmpint (changed, ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (scenario)), ==,
                    SIM_SCENARIO_KEYS_CHESTS);
  g_assert_false (gtk_widget_get_sensitive (optimizer));

  adw_combo_row_set_selected (ADW_COMBO_ROW (scenario), SIM_SCENARIO_COIN);
  g_assert_cmpint (changed, ==, 2);
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_cmpint (config.scenario, ==, SIM_SCENARIO_COIN);
  g_assert_cmpint (config.optimizer, ==, SIM_OPTIMIZER_PGN);
  g_assert_cmpint (config.iterations, ==, 60);
  g_assert_true (gtk_widget_get_sensitive (optimizer));
  g_assert_true (gtk_widget_get_sensitive (perception));

  /* The network chosen on coin stays chosen on keys and chests. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (agent), SIM_AGENT_MLP);
  adw_combo_row_set_selected (ADW_COMBO_ROW (scenario), SIM_SCENARIO_KEYS_CHESTS);
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_cmpint (config.agent, ==, SIM_AGENT_MLP);
  g_assert_cmpint (config.scenario, ==, SIM_SCENARIO_KEYS_CHESTS);
  g_assert_true (sim_train_check_config (&config, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Both keys-chests presets give runnable configurations: key-scarce and the control. */
static void
test_presets (void)
{
  const char *ids[] = { "keys-chests", "keys-chests-control" };
  gboolean found[G_N_ELEMENTS (ids)] = { FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      SimConfig config;
      g_autoptr (GError) error = NULL;

      sim_config_init_default (&config);
      g_assert_true (ms_presets_apply (ids[i], &config));
      g_assert_cmpint (config.scenario, ==, SIM_SCENARIO_KEYS_CHESTS);
      g_assert_cmpint (config.diversity, ==, i == 0 ? 0 : 100);
      g_assert_true (sim_train_check_config (&config, &error));
      g_assert_no_error (error);
    }
  for (guint k = 0; k < ms_presets_get_n (); k++)
    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      if (g_strcmp0 (ms_presets_get (k)->id, ids[i]) == 0)
        {
          found[i] = TRUE;
          g_assert_nonnull (strstr (ms_presets_get (k)->title, "Keys and Chests"));
        }
  g_assert_true (found[0] && found[1]);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
keys_run_at (MsWindow *window,
             int       iteration)
{
  SimSnapshot *s = ms_dashboard_get_snapshot (ms_window_get_dashboard (window));

  return s != NULL && s->config.scenario == SIM_SCENARIO_KEYS_CHESTS && s->iteration >= iteration
         && s->n_inferences >= iteration / 4;
}

static gboolean
wait_for_keys_run (MsWindow *window,
                   int       iteration,
                   guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!keys_run_at (window, iteration) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return keys_run_at (window, iteration);
}

/* The window trains keys and chests from its preset: the runner publishes the counts, the
 * grid inference and the inventory, and the dashboard's widgets describe them. */
static void
test_window (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  MsDashboard *dashboard = ms_window_get_dashboard (window);
  SimRunner *runner = ms_window_get_runner (window);
  SimSnapshot *s;
  SimConfig config;
  const char *d;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("keys-chests"));
  sim_runner_get_config (runner, &config);
  g_assert_cmpint (config.scenario, ==, SIM_SCENARIO_KEYS_CHESTS);
  g_assert_cmpint (config.optimizer, ==, SIM_OPTIMIZER_CEM);
  g_action_group_activate_action (G_ACTION_GROUP (window), "speed", g_variant_new_string ("0"));
  sim_runner_play (runner);
  g_assert_true (wait_for_keys_run (window, 8, 60000));
  sim_runner_pause (runner);

  s = ms_dashboard_get_snapshot (dashboard);
  g_assert_nonnull (s->test_keys);
  g_assert_nonnull (s->inferred_angle);
  g_assert_nonnull (s->shown[SIM_SHOWN_TEST].held);
  g_assert_cmpfloat (s->test_keys[s->n_history - 1], >, s->test_chests[s->n_history - 1]);
  d = ms_plot_get_description (MS_PLOT (ms_dashboard_get_part (dashboard,
                                                               MS_DASHBOARD_PART_SUCCESS)));
  g_assert_nonnull (strstr (d, "Test: keys collected"));
  g_assert_cmpint (ms_level_view_get_keys_held (MS_LEVEL_VIEW (
                     ms_dashboard_get_part (dashboard, MS_DASHBOARD_PART_LEVEL))), >=, 0);
  {
    SimConfig shown;

    ms_controls_panel_get_config (ms_window_get_controls_panel (window), &shown);
    g_assert_cmpint (shown.scenario, ==, SIM_SCENARIO_KEYS_CHESTS);
    g_assert_cmpint (shown.iterations, ==, 20);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/keys/render-all", test_render_all);
  g_test_add_func ("/ui/keys/render-network", test_render_network);
  g_test_add_func ("/ui/keys/success-counts", test_success_counts);
  g_test_add_func ("/ui/keys/level-inventory", test_level_inventory);
  g_test_add_func ("/ui/keys/controls", test_controls);
  g_test_add_func ("/ui/keys/presets", test_presets);
  g_test_add_func ("/ui/keys/window", test_window);
  return g_test_run ();
}
