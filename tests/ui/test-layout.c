/* test-layout.c: where the dashboard's room goes, the sidebars beside it, and the cards' notes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every check drives the real window at a real size and measures allocations once the layout
 * has settled: what the plots drew (the rows of pixels they left empty), where the sidebars and
 * the level view are, how big the level map and the success plot's lines are in presentation
 * mode, and which "why?" notes the cards show.
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ms-dashboard.h"
#include "ms-level-view.h"
#include "ms-plot.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "ms-window-private.h"
#include "plot-fixtures.h"
#include "sim-runner.h"
#include "ui-wait.h"

/* The most a card may leave empty in a column of its drawing, at 1920×1080. */
#define MAX_EMPTY_PX 48

static gboolean
has_drawn (gpointer data)
{
  return ms_window_get_frame_count (data) > 0;
}

static gboolean
has_snapshot (gpointer data)
{
  return ms_dashboard_get_snapshot (ms_window_get_dashboard (data)) != NULL;
}

typedef struct
{
  MsWindow *window;
  guint frames;
} FrameWait;

static gboolean
frames_after (gpointer data)
{
  FrameWait *w = data;

  return ms_window_get_frame_count (w->window) > w->frames;
}

/* The sidebars' animations are over, the window has drawn since and the dashboard's
 * allocation no longer changes. */
static void
settle (MsWindow *window)
{
  GtkWidget *dashboard = GTK_WIDGET (ms_window_get_dashboard (window));
  int last_w = -1, last_h = -1;

  for (int round = 0; round < 20; round++)
    {
      FrameWait w = { window, ms_window_get_frame_count (window) + 1 };

      spin (round == 0 ? 600 : 100);
      g_assert_true (wait_until (frames_after, &w, 5000));
      if (gtk_widget_get_width (dashboard) == last_w &&
          gtk_widget_get_height (dashboard) == last_h)
        return;
      last_w = gtk_widget_get_width (dashboard);
      last_h = gtk_widget_get_height (dashboard);
    }
  g_error ("the dashboard's allocation did not settle");
}

typedef struct
{
  MsWindow *window;
  SimSnapshot *snapshot;
} Delivery;

/* Whether every part of the dashboard holds the snapshot (the dashboard hands it to one part
 * per frame). */
static gboolean
delivered (gpointer data)
{
  Delivery *d = data;

  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    if (ms_plot_get_snapshot (MS_PLOT (ms_dashboard_get_part (ms_window_get_dashboard (d->window),
                                                              i))) != d->snapshot)
      return FALSE;
  return TRUE;
}

static MsWindow *
open_window (int      width,
             int      height,
             gboolean article)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  MsWindow *window;

  g_settings_set_boolean (settings, "article-visible", article);
  window = g_object_new (MS_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_drawn, window, 10000));
  g_assert_true (wait_until (has_snapshot, window, 10000));
  return window;
}

static void
set_state (MsWindow   *window,
           const char *action,
           gboolean    state)
{
  g_action_group_change_action_state (G_ACTION_GROUP (window), action,
                                      g_variant_new_boolean (state));
}

static gboolean
get_state (MsWindow   *window,
           const char *action)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), action);

  return g_variant_get_boolean (state);
}

static GtkWidget *
part (MsWindow        *window,
      MsDashboardPart  which)
{
  return ms_dashboard_get_part (ms_window_get_dashboard (window), which);
}

static const char *
part_name (MsDashboardPart which)
{
  static const char *names[] = { "level", "success", "objectives", "alignment", "reward maps",
                                 "goal-directedness" };

  return names[which];
}

/* Draws plot at its allocated size and measures the room it left empty in its column: the rows
 * below the lowest row it drew on, and the gaps between its data area (the level map, the
 * lines, the bars, the inferred reward map) and the nearest text above and under it. */
static void
empty_rows (MsPlot *plot,
            int    *below,
            int    *above_data,
            int    *below_data)
{
  int w = gtk_widget_get_width (GTK_WIDGET (plot));
  int h = gtk_widget_get_height (GTK_WIDGET (plot));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (surface);
  const MsTextBox *boxes;
  graphene_rect_t area;
  const guchar *data;
  double text_bottom = 0, text_top = G_MAXDOUBLE;
  int stride, run = 0;
  guint n;

  g_assert_cmpint (w, >, 0);
  g_assert_cmpint (h, >, 0);
  ms_plot_draw (plot, cr, w, h);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < h; y++)
    {
      gboolean inked = FALSE;

      for (int x = 0; x < w && !inked; x++)
        inked = data[(gsize) y * stride + x * 4 + 3] > 24;
      run = inked ? 0 : run + 1;
    }
  *below = run;
  cairo_surface_destroy (surface);

  g_assert_true (ms_plot_get_data_area (plot, &area));
  boxes = ms_plot_get_text_boxes (plot, &n);
  for (guint i = 0; i < n; i++)
    if (boxes[i].rect.origin.y + boxes[i].rect.size.height <= area.origin.y + 0.5)
      text_bottom = MAX (text_bottom, boxes[i].rect.origin.y + boxes[i].rect.size.height);
    else if (boxes[i].rect.origin.y >= area.origin.y + area.size.height - 0.5)
      text_top = MIN (text_top, boxes[i].rect.origin.y);
  *above_data = (int) round (area.origin.y - text_bottom);
  *below_data = text_top < G_MAXDOUBLE
                ? (int) round (text_top - area.origin.y - area.size.height) : 0;
}

/* At 1920×1080 in normal mode, with the article closed and open, no card leaves more than
 * MAX_EMPTY_PX rows empty in its column, below its drawing or between its title and its data:
 * the room under the reward maps goes to the plots. */
static void
test_fills_cards (void)
{
  guint faults = 0;

  for (int article = 0; article < 2; article++)
    {
      MsWindow *window = open_window (1920, 1080, article);
      g_autoptr (SimSnapshot) fixture = fixture_mid_training ();

      g_assert_cmpint (ms_window_get_article_visible (window), ==, article);
      ms_dashboard_set_snapshot (ms_window_get_dashboard (window), fixture);
      settle (window);
      {
        Delivery d = { window, fixture };

        g_assert_true (wait_until (delivered, &d, 5000));
      }
      for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
        {
          MsPlot *plot = MS_PLOT (part (window, i));
          int below, above, under;

          g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (plot)));
          empty_rows (plot, &below, &above, &under);
          g_test_message ("1920x1080, article %s: %s %dx%d, %d empty rows below, %d above its "
                          "data and %d under it", article ? "open" : "closed", part_name (i),
                          gtk_widget_get_width (GTK_WIDGET (plot)),
                          gtk_widget_get_height (GTK_WIDGET (plot)), below, above, under);
          faults += below > MAX_EMPTY_PX;
          faults += above > MAX_EMPTY_PX;
          faults += under > MAX_EMPTY_PX;
        }
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_assert_cmpuint (faults, ==, 0);
}

static gboolean
bounds_in_window (GtkWidget       *widget,
                  MsWindow        *window,
                  graphene_rect_t *out)
{
  return gtk_widget_get_mapped (widget) &&
         gtk_widget_compute_bounds (widget, GTK_WIDGET (window), out);
}

static gboolean
rects_overlap (const graphene_rect_t *a,
               const graphene_rect_t *b)
{
  graphene_rect_t r;

  return graphene_rect_intersection (a, b, &r) && r.size.width > 0.5 && r.size.height > 0.5;
}

/* Neither sidebar that is shown covers the level view. */
static void
assert_level_uncovered (MsWindow   *window,
                        const char *state)
{
  GtkWidget *level = part (window, MS_DASHBOARD_PART_LEVEL);
  GtkWidget *sidebars[] = {
    GTK_WIDGET (ms_window_get_controls_panel (window)), ms_window_get_article_panel (window),
  };
  graphene_rect_t level_box;

  g_assert_true (bounds_in_window (level, window, &level_box));
  g_test_message ("%s: level view at %.0f,%.0f %.0fx%.0f", state, level_box.origin.x,
                  level_box.origin.y, level_box.size.width, level_box.size.height);
  g_assert_cmpfloat (level_box.size.width, >, 100);
  for (guint i = 0; i < G_N_ELEMENTS (sidebars); i++)
    {
      graphene_rect_t box;

      if (!bounds_in_window (sidebars[i], window, &box) || box.size.width < 1)
        continue;
      g_test_message ("%s: %s at %.0f,%.0f %.0fx%.0f", state, i == 0 ? "settings" : "article",
                      box.origin.x, box.origin.y, box.size.width, box.size.height);
      g_assert_false (rects_overlap (&box, &level_box));
    }
}

/* With the article open, showing the settings never covers the level view: at 1920×1080 both
 * sidebars fit beside the dashboard and push it; at 1280×720 they do not, and the one opened
 * last stays (in either order). */
static void
test_sidebars (void)
{
  static const int sizes[][2] = { { 1280, 720 }, { 1920, 1080 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      MsWindow *window = open_window (sizes[k][0], sizes[k][1], TRUE);
      gboolean both_fit = sizes[k][0] >= 1920;
      g_autofree char *state = NULL;

      settle (window);
      g_assert_true (ms_window_get_article_visible (window));
      set_state (window, "toggle-controls", TRUE);
      settle (window);
      state = g_strdup_printf ("%dx%d, article then settings", sizes[k][0], sizes[k][1]);
      g_assert_true (get_state (window, "toggle-controls"));
      g_assert_cmpint (ms_window_get_article_visible (window), ==, both_fit);
      assert_level_uncovered (window, state);

      /* The other order: the article opened while the settings are shown. */
      set_state (window, "toggle-article", FALSE);
      settle (window);
      set_state (window, "toggle-article", TRUE);
      settle (window);
      g_free (state);
      state = g_strdup_printf ("%dx%d, settings then article", sizes[k][0], sizes[k][1]);
      g_assert_true (ms_window_get_article_visible (window));
      g_assert_cmpint (get_state (window, "toggle-controls"), ==, both_fit);
      assert_level_uncovered (window, state);

      /* Narrowing the window until both no longer fit closes the one opened first. */
      if (both_fit)
        {
          gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
          settle (window);
          g_assert_true (ms_window_get_article_visible (window));
          g_assert_false (get_state (window, "toggle-controls"));
          assert_level_uncovered (window, "1920x1080 narrowed to 1280x720");
        }
      set_state (window, "toggle-controls", FALSE);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

typedef struct
{
  double level_side;     /* the shorter side of the level map */
  double success_height; /* the height of the success plot's line area */
} Room;

static void
measure_room (MsWindow *window,
              Room     *room)
{
  graphene_rect_t area;

  g_assert_true (gtk_widget_get_mapped (part (window, MS_DASHBOARD_PART_LEVEL)));
  g_assert_true (gtk_widget_get_mapped (part (window, MS_DASHBOARD_PART_SUCCESS)));
  g_assert_true (ms_plot_get_data_area (MS_PLOT (part (window, MS_DASHBOARD_PART_LEVEL)), &area));
  room->level_side = MIN (area.size.width, area.size.height);
  g_assert_true (ms_plot_get_data_area (MS_PLOT (part (window, MS_DASHBOARD_PART_SUCCESS)), &area));
  room->success_height = area.size.height;
}

static gboolean
has_trained (gpointer data)
{
  SimSnapshot *snapshot = ms_dashboard_get_snapshot (ms_window_get_dashboard (data));

  return snapshot != NULL && snapshot->iteration >= 3;
}

/* Presentation mode at 1280×720 with a lesson running: the level map is at least 300 px on its
 * short side and the success plot's lines at least 200 px tall, at each step of the lesson. A
 * step about another card shows that card. */
static void
test_present_room (void)
{
  MsWindow *window = open_window (1280, 720, FALSE);
  GActionGroup *actions = G_ACTION_GROUP (window);
  Room room;
  guint step = 0, faults = 0;

  g_action_group_activate_action (actions, "lesson", g_variant_new_string ("coin"));
  g_action_group_activate_action (actions, "presentation", NULL);
  g_action_group_activate_action (actions, "play-pause", NULL);
  g_assert_true (wait_until (has_trained, window, 30000));
  settle (window);
  do
    {
      const MsLessonStep *s = &window->lesson->steps[window->lesson_step];

      measure_room (window, &room);
      g_test_message ("1280x720 presenting, coin lesson step %u: level map %.0f px, success "
                      "lines %.0f px tall (window %dx%d, dashboard %dx%d)", step + 1,
                      room.level_side, room.success_height,
                      gtk_widget_get_width (GTK_WIDGET (window)),
                      gtk_widget_get_height (GTK_WIDGET (window)),
                      gtk_widget_get_width (GTK_WIDGET (ms_window_get_dashboard (window))),
                      gtk_widget_get_height (GTK_WIDGET (ms_window_get_dashboard (window))));
      faults += room.level_side < 300;
      faults += room.success_height < 200;
      if (s->highlight >= 0 && s->highlight < MS_DASHBOARD_N_PARTS)
        faults += !gtk_widget_get_mapped (part (window, s->highlight));
      g_action_group_activate_action (actions, "lesson-next", NULL);
      settle (window);
      step++;
    }
  while (window->lesson != NULL);
  g_assert_cmpuint (step, ==, 5);
  g_assert_cmpuint (faults, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* As in test-present.c: the texts of every plot shown that leave their plot or overlap another
 * text, each named; the lowest line of text in lowest. */
static guint
count_text_faults (MsWindow   *window,
                   const char *state,
                   double     *lowest)
{
  guint faults = 0;

  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    {
      MsPlot *plot = MS_PLOT (part (window, i));
      int w = gtk_widget_get_width (GTK_WIDGET (plot));
      int h = gtk_widget_get_height (GTK_WIDGET (plot));
      cairo_surface_t *surface;
      cairo_t *cr;
      const MsTextBox *boxes;
      guint n;

      if (!gtk_widget_get_mapped (GTK_WIDGET (plot)) || w <= 0 || h <= 0)
        continue;
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      cr = cairo_create (surface);
      ms_plot_draw (plot, cr, w, h);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      boxes = ms_plot_get_text_boxes (plot, &n);
      for (guint a = 0; a < n; a++)
        {
          const graphene_rect_t *r = &boxes[a].rect;

          if (strchr (boxes[a].text, '\n') == NULL)
            *lowest = MIN (*lowest, r->size.height);
          if (r->origin.x < -0.5 || r->origin.y < -0.5 ||
              r->origin.x + r->size.width > w + 0.5 || r->origin.y + r->size.height > h + 0.5)
            {
              g_test_message ("%s, %s: “%s” leaves the plot", state, part_name (i),
                              boxes[a].text);
              faults++;
            }
          for (guint b = a + 1; b < n; b++)
            if (rects_overlap (r, &boxes[b].rect))
              {
                g_test_message ("%s, %s: “%s” overlaps “%s”", state, part_name (i),
                                boxes[a].text, boxes[b].text);
                faults++;
              }
        }
    }
  return faults;
}

/* The fixture with the test level's path ending in the lava at (5, 5). */
static SimSnapshot *
fixture_into_lava (void)
{
  static const int path[][2] = {
    { 0, 3 }, { 1, 3 }, { 2, 3 }, { 2, 4 }, { 2, 5 }, { 3, 5 }, { 4, 5 }, { 5, 5 },
  };
  SimSnapshot *s = fixture_mid_training ();
  SimShownLevel *shown = &s->shown[SIM_SHOWN_TEST];

  g_free (shown->path);
  shown->n_path = G_N_ELEMENTS (path);
  shown->path = g_new (int, shown->n_path);
  for (int i = 0; i < shown->n_path; i++)
    shown->path[i] = sim_level_index (shown->level, path[i][0], path[i][1]);
  g_assert_cmpint (sim_level_get (shown->level, 5, 5), ==, SIM_CELL_LAVA);
  return s;
}

/* The fixture of a run trained with the coin anywhere (diversity 100): at its last iteration
 * test success (0.90) is well above training success (0.62). */
static SimSnapshot *
fixture_test_above_train (void)
{
  SimSnapshot *s = fixture_mid_training ();

  s->config.diversity = 100;
  s->config.perception = SIM_PERCEPTION_FULL;
  s->config.perception_param = 0;
  s->train_target[s->n_history - 1] = 0.62;
  s->test_target[s->n_history - 1] = 0.90;
  s->test_proxy[s->n_history - 1] = 0.02;
  return s;
}

static const char *
shown_note (MsWindow        *window,
            MsDashboardPart  which)
{
  GtkWidget *note = ms_dashboard_get_note (ms_window_get_dashboard (window), which);

  g_assert_nonnull (note);
  return gtk_widget_get_mapped (note) ? gtk_label_get_text (GTK_LABEL (note)) : NULL;
}

/* A note shown sits in its card, under the plot and clear of it, in a few lines of small,
 * wrapped text; and nothing the plots draw overlaps or leaves them. */
static void
assert_note_placed (MsWindow        *window,
                    MsDashboardPart  which,
                    const char      *state)
{
  MsDashboard *dashboard = ms_window_get_dashboard (window);
  GtkWidget *note = ms_dashboard_get_note (dashboard, which);
  GtkWidget *plot = part (window, which);
  GtkWidget *card = gtk_widget_get_parent (plot);
  graphene_rect_t note_box, plot_box, card_box, r;
  double line;

  g_assert_true (bounds_in_window (note, window, &note_box));
  g_assert_true (bounds_in_window (plot, window, &plot_box));
  g_assert_true (bounds_in_window (card, window, &card_box));
  g_test_message ("%s: %s note %.0fx%.0f under a plot %.0fx%.0f: “%s”", state,
                  part_name (which), note_box.size.width, note_box.size.height,
                  plot_box.size.width, plot_box.size.height,
                  gtk_label_get_text (GTK_LABEL (note)));
  g_assert_true (graphene_rect_intersection (&note_box, &card_box, &r));
  g_assert_true (graphene_rect_equal (&r, &note_box));
  g_assert_false (rects_overlap (&note_box, &plot_box));
  g_assert_cmpfloat (note_box.origin.y, >=, plot_box.origin.y + plot_box.size.height - 0.5);
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (note)));
  /* Smaller than the plot's titles, and no more than five lines. */
  line = ms_plot_font_height (MS_PLOT (plot), MS_FONT_TITLE);
  g_assert_cmpfloat (note_box.size.height, <=, 5 * line + 12);
  {
    PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (note));
    int w, h;

    pango_layout_get_pixel_size (layout, &w, &h);
    g_assert_cmpfloat (h / (double) pango_layout_get_line_count (layout), <, line);
    /* All of it: not cut short. */
    g_assert_false (pango_layout_is_ellipsized (layout));
  }
}

typedef struct
{
  MsWindow *window;
  MsDashboardPart part;
  gboolean shown;
} NoteWait;

static gboolean
note_is (gpointer data)
{
  NoteWait *w = data;

  return (shown_note (w->window, w->part) != NULL) == w->shown;
}

static void
show_fixture (MsWindow    *window,
              SimSnapshot *snapshot)
{
  ms_dashboard_set_snapshot (ms_window_get_dashboard (window), snapshot);
  settle (window);
}

/* The level card explains a walk into the lava where each step costs, and the success card
 * training success below test success; neither says anything on a run that needs no reason,
 * nor the success card while a lesson still withholds the test results. In normal mode and in
 * presentation mode. */
static void
test_why_notes (void)
{
  for (int presenting = 0; presenting < 2; presenting++)
    {
      MsWindow *window = open_window (1280, 720, FALSE);
      MsDashboard *dashboard = ms_window_get_dashboard (window);
      g_autoptr (SimSnapshot) plain = fixture_mid_training ();
      g_autoptr (SimSnapshot) lava = fixture_into_lava ();
      g_autoptr (SimSnapshot) above = fixture_test_above_train ();
      const char *mode = presenting ? "1280x720 presenting" : "1280x720";
      g_autofree char *state = NULL;
      NoteWait wait = { window, MS_DASHBOARD_PART_LEVEL, FALSE };
      guint faults = 0;
      double lowest = G_MAXDOUBLE;

      if (presenting)
        g_action_group_activate_action (G_ACTION_GROUP (window), "presentation", NULL);

      /* Nothing to explain. */
      show_fixture (window, plain);
      g_assert_null (shown_note (window, MS_DASHBOARD_PART_LEVEL));
      g_assert_null (shown_note (window, MS_DASHBOARD_PART_SUCCESS));

      /* Into the lava. */
      show_fixture (window, lava);
      wait.shown = TRUE;
      g_assert_true (wait_until (note_is, &wait, 5000));
      g_assert_nonnull (strstr (shown_note (window, MS_DASHBOARD_PART_LEVEL), "lava"));
      g_assert_nonnull (strstr (shown_note (window, MS_DASHBOARD_PART_LEVEL), "step"));
      g_assert_null (shown_note (window, MS_DASHBOARD_PART_SUCCESS));
      state = g_strdup_printf ("%s, into the lava", mode);
      assert_note_placed (window, MS_DASHBOARD_PART_LEVEL, state);
      faults += count_text_faults (window, state, &lowest);

      /* The same walk on a scenario whose steps cost nothing needs another reason. */
      {
        g_autoptr (SimSnapshot) free_steps = fixture_into_lava ();

        for (int f = 0; f < free_steps->n_features; f++)
          if (g_strcmp0 (free_steps->feature_names[f], "step") == 0)
            free_steps->base_objective[f] = 0;
        show_fixture (window, free_steps);
        g_assert_null (shown_note (window, MS_DASHBOARD_PART_LEVEL));
      }

      /* Training below test. */
      show_fixture (window, above);
      g_assert_null (shown_note (window, MS_DASHBOARD_PART_LEVEL));
      g_assert_nonnull (shown_note (window, MS_DASHBOARD_PART_SUCCESS));
      g_assert_nonnull (strstr (shown_note (window, MS_DASHBOARD_PART_SUCCESS),
                                "top-right"));
      g_free (state);
      state = g_strdup_printf ("%s, test above training", mode);
      assert_note_placed (window, MS_DASHBOARD_PART_SUCCESS, state);
      faults += count_text_faults (window, state, &lowest);

      /* Test results withheld by a lesson: nothing about them. */
      ms_dashboard_set_test_hidden (dashboard, TRUE);
      settle (window);
      g_assert_null (shown_note (window, MS_DASHBOARD_PART_SUCCESS));
      ms_dashboard_set_test_hidden (dashboard, FALSE);
      settle (window);
      g_assert_nonnull (shown_note (window, MS_DASHBOARD_PART_SUCCESS));

      /* And back to a run that needs no reason. */
      show_fixture (window, plain);
      g_assert_null (shown_note (window, MS_DASHBOARD_PART_LEVEL));
      g_assert_null (shown_note (window, MS_DASHBOARD_PART_SUCCESS));
      g_assert_cmpuint (faults, ==, 0);
      if (presenting)
        g_assert_cmpfloat (lowest, >=, 18);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* With the application's style sheet (which test-present.c does without), at three sizes in
 * both modes with a lesson's bar above the dashboard: no text a plot draws overlaps another or
 * leaves the plot, in every card the layout shows (each of the three that take turns in one
 * row), with and without the notes; presenting at 1280×720, no line of text is lower than
 * 18 px. */
static void
test_text_boxes_styled (void)
{
  static const int sizes[][2] = { { 1280, 720 }, { 1024, 768 }, { 1920, 1080 } };
  static const MsDashboardPart sides[] = {
    MS_DASHBOARD_PART_OBJECTIVES, MS_DASHBOARD_PART_REWARD_MAPS, MS_DASHBOARD_PART_ALIGNMENT,
  };
  guint faults = 0;

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (int presenting = 0; presenting < 2; presenting++)
      {
        MsWindow *window = open_window (sizes[k][0], sizes[k][1], FALSE);
        MsDashboard *dashboard = ms_window_get_dashboard (window);
        GActionGroup *actions = G_ACTION_GROUP (window);
        SimSnapshot *fixtures[] = {
          fixture_mid_training (), fixture_into_lava (), fixture_test_above_train (),
        };
        double lowest = G_MAXDOUBLE;

        g_action_group_activate_action (actions, "lesson", g_variant_new_string ("coin"));
        g_action_group_activate_action (actions, "lesson-next", NULL);
        g_action_group_activate_action (actions, "lesson-next", NULL);
        if (presenting)
          g_action_group_activate_action (actions, "presentation", NULL);
        sim_runner_pause (ms_window_get_runner (window));
        settle (window);
        for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
          {
            ms_dashboard_set_snapshot (dashboard, fixtures[f]);
            for (guint side = 0; side < G_N_ELEMENTS (sides); side++)
              {
                g_autofree char *state = NULL;

                ms_dashboard_highlight (dashboard, sides[side]);
                settle (window);
                state = g_strdup_printf ("%dx%d %s%s, fixture %u, %s", sizes[k][0],
                                         sizes[k][1], presenting ? "presenting" : "normal",
                                         ms_dashboard_get_one_row (dashboard) ? " in one row" : "",
                                         f, part_name (sides[side]));
                faults += count_text_faults (window, state, &lowest);
                if (!ms_dashboard_get_one_row (dashboard))
                  break;
                g_assert_true (gtk_widget_get_mapped (part (window, sides[side])));
              }
          }
        g_test_message ("%dx%d %s%s: lowest line of text %.0f px", sizes[k][0], sizes[k][1],
                        presenting ? "presenting" : "normal",
                        ms_dashboard_get_one_row (dashboard) ? " in one row" : "", lowest);
        if (presenting && k == 0)
          {
            g_assert_true (ms_dashboard_get_one_row (dashboard));
            g_assert_cmpfloat (lowest, >=, 18);
          }
        for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
          sim_snapshot_unref (fixtures[f]);
        gtk_window_destroy (GTK_WINDOW (window));
      }
  g_assert_cmpuint (faults, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GtkCssProvider) css = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The application's own style sheet, as AdwApplication loads it from its resource path: the
   * cards' padding and the lesson bar's large type take room too. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/mesascope/Mesascope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add_func ("/ui/layout/fills-cards", test_fills_cards);
  g_test_add_func ("/ui/layout/sidebars", test_sidebars);
  g_test_add_func ("/ui/layout/present-room", test_present_room);
  g_test_add_func ("/ui/layout/why-notes", test_why_notes);
  g_test_add_func ("/ui/layout/text-boxes-styled", test_text_boxes_styled);
  return g_test_run ();
}
