/* test-goal.c: the goal-directedness card, the comparison of agents' scores, the planning
 * depth in the settings and the short-sighted planner's preset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "ms-comparison-plot.h"
#include "ms-controls-panel.h"
#include "ms-dashboard.h"
#include "ms-goal-plot.h"
#include "ms-presets.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "plot-fixtures.h"
#include "plot-text.h"
#include "sim-runner.h"

/* Iterates the main loop until done (window) or seconds pass. */
static gboolean
run_until (MsWindow  *window,
           gboolean (*done) (MsWindow *window),
           int        seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (window) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  return done (window);
}

static gboolean
has_drawn (MsWindow *window)
{
  return ms_window_get_frame_count (window) > 0;
}

/* Draws plot at width × height onto an image, so its text boxes are those of this drawing. */
static void
draw_plot (MsPlot *plot,
           int     width,
           int     height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  ms_plot_draw (plot, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static char *
score_text (double v)
{
  return g_strdup_printf ("%.2f", v);
}

/* With the fixture's scores: the inferred, held-out and base scores are drawn with their
 * names, the true goal's only in teacher mode; the tooltip over a bar gives nats per decision,
 * the decisions and what the scale means. Before any inference there are no scores. */
static void
test_plot_scores (void)
{
  g_autoptr (SimSnapshot) untrained = fixture_untrained ();
  g_autoptr (SimSnapshot) s = fixture_mid_training ();
  GtkWidget *widget = g_object_ref_sink (g_object_new (MS_TYPE_GOAL_PLOT, NULL));
  MsPlot *plot = MS_PLOT (widget);
  g_autofree char *inferred = score_text (fixture_goal[SIM_TRAIN_GOAL_INFERRED]);
  g_autofree char *base = score_text (fixture_goal[SIM_TRAIN_GOAL_BASE]);
  g_autofree char *held_out = score_text (fixture_goal[SIM_TRAIN_GOAL_HELD_OUT]);
  g_autofree char *truth = score_text (fixture_goal[SIM_TRAIN_GOAL_TRUE]);
  g_autofree char *tooltip = NULL;
  g_autofree char *decisions = g_strdup_printf ("%d decisions", FIXTURE_GOAL_DECISIONS);
  graphene_rect_t area;

  ms_plot_set_snapshot (plot, untrained);
  draw_plot (plot, 420, 320);
  g_assert_true (plot_drew_text (plot, "Goal-directedness"));
  g_assert_false (plot_drew_text (plot, "Toward its inferred goal"));

  ms_plot_set_snapshot (plot, s);
  draw_plot (plot, 420, 320);
  g_assert_true (plot_drew_text (plot, "Toward its inferred goal"));
  g_assert_true (plot_drew_text (plot, inferred));
  g_assert_true (plot_drew_text (plot, "Toward the reward"));
  g_assert_true (plot_drew_text (plot, base));
  g_assert_true (plot_drew_text (plot, "Its goal on test levels"));
  g_assert_true (plot_drew_text (plot, held_out));
  g_assert_false (plot_drew_text (plot, "Toward its true goal"));
  g_assert_false (plot_drew_text (plot, truth));
  g_assert_null (strstr (ms_plot_get_description (plot), "true goal"));

  /* The first bar is the score toward the inferred goal. */
  g_assert_true (ms_plot_get_data_area (plot, &area));
  tooltip = ms_plot_describe_at (plot, area.origin.x + area.size.width / 2,
                                 area.origin.y + area.size.height / 2);
  g_assert_nonnull (tooltip);
  g_test_message ("tooltip: %s", tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "Toward its inferred goal"));
  g_assert_nonnull (strstr (tooltip, inferred));
  g_assert_nonnull (strstr (tooltip, "nats per decision"));
  g_assert_nonnull (strstr (tooltip, decisions));
  g_assert_nonnull (strstr (tooltip, "no better than random moves"));

  ms_plot_set_teacher_mode (plot, TRUE);
  draw_plot (plot, 420, 320);
  g_assert_true (plot_drew_text (plot, "Toward its true goal"));
  g_assert_true (plot_drew_text (plot, truth));
  g_assert_nonnull (strstr (ms_plot_get_description (plot), "Toward its true goal"));

  /* The Q-learner has no true goal: no row for it even in teacher mode. */
  g_clear_pointer (&s->true_objective, g_free);
  ms_plot_set_snapshot (plot, untrained);
  ms_plot_set_snapshot (plot, s);
  draw_plot (plot, 420, 320);
  g_assert_false (plot_drew_text (plot, "Toward its true goal"));
  g_assert_true (plot_drew_text (plot, inferred));

  /* Test results withheld by a lesson: the held-out score goes, the others stay. */
  ms_plot_set_test_hidden (plot, TRUE);
  draw_plot (plot, 420, 320);
  g_assert_false (plot_drew_text (plot, "Its goal on test levels"));
  g_assert_true (plot_drew_text (plot, "Toward its inferred goal"));

  g_assert_finalize_object (widget);
}

static gboolean
goal_part_has_inference (MsWindow *window)
{
  MsDashboard *dashboard = ms_window_get_dashboard (window);
  MsPlot *plot = MS_PLOT (ms_dashboard_get_part (dashboard, MS_DASHBOARD_PART_GOAL));
  SimSnapshot *s = ms_plot_get_snapshot (plot);

  return s != NULL && s->n_inferences >= 2;
}

static gboolean
goal_mapped (MsWindow *window)
{
  return gtk_widget_get_mapped (ms_dashboard_get_part (ms_window_get_dashboard (window),
                                                       MS_DASHBOARD_PART_GOAL));
}

/* In the window, the card shows the latest scores the runner measured: after a real
 * inference its numbers are the snapshot's, toward the inferred goal and the reward, and the
 * true goal's score appears when teacher mode is switched on. */
static void
test_card_in_window (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  MsDashboard *dashboard;
  MsPlot *plot;
  SimSnapshot *s;
  gsize last;
  g_autofree char *inferred = NULL;
  g_autofree char *base = NULL;
  g_autofree char *truth = NULL;
  int w, h;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (run_until (window, has_drawn, 10));
  dashboard = ms_window_get_dashboard (window);
  plot = MS_PLOT (ms_dashboard_get_part (dashboard, MS_DASHBOARD_PART_GOAL));
  g_assert_true (MS_IS_GOAL_PLOT (plot));
  /* At 1280×720 with the article open the card shares its place with the alignment card:
   * pointing at it brings it into view. */
  ms_dashboard_highlight (dashboard, MS_DASHBOARD_PART_GOAL);
  g_assert_true (run_until (window, goal_mapped, 10));

  sim_runner_set_speed (ms_window_get_runner (window), 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "play-pause", NULL);
  g_assert_true (run_until (window, goal_part_has_inference, 120));
  if (sim_runner_get_playing (ms_window_get_runner (window)))
    g_action_group_activate_action (G_ACTION_GROUP (window), "play-pause", NULL);

  s = ms_plot_get_snapshot (plot);
  last = (gsize) (s->n_inferences - 1) * SIM_TRAIN_N_GOALS;
  g_test_message ("after iteration %d: inferred %.3f, base %.3f, true %.3f, held out %.3f",
                  s->inference_iteration[s->n_inferences - 1],
                  s->goal[last + SIM_TRAIN_GOAL_INFERRED], s->goal[last + SIM_TRAIN_GOAL_BASE],
                  s->goal[last + SIM_TRAIN_GOAL_TRUE], s->goal[last + SIM_TRAIN_GOAL_HELD_OUT]);
  g_assert_true (isfinite (s->goal[last + SIM_TRAIN_GOAL_INFERRED]));
  g_assert_true (isfinite (s->goal[last + SIM_TRAIN_GOAL_BASE]));
  inferred = score_text (s->goal[last + SIM_TRAIN_GOAL_INFERRED]);
  base = score_text (s->goal[last + SIM_TRAIN_GOAL_BASE]);
  truth = score_text (s->goal[last + SIM_TRAIN_GOAL_TRUE]);

  w = gtk_widget_get_width (GTK_WIDGET (plot));
  h = gtk_widget_get_height (GTK_WIDGET (plot));
  draw_plot (plot, w, h);
  g_assert_true (plot_drew_text (plot, "Toward its inferred goal"));
  g_assert_true (plot_drew_text (plot, inferred));
  g_assert_true (plot_drew_text (plot, "Toward the reward"));
  g_assert_true (plot_drew_text (plot, base));
  g_assert_false (plot_drew_text (plot, "Toward its true goal"));

  g_action_group_change_action_state (G_ACTION_GROUP (window), "teacher-mode",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (ms_plot_get_teacher_mode (plot));
  draw_plot (plot, w, h);
  g_assert_true (plot_drew_text (plot, "Toward its true goal"));
  g_assert_true (plot_drew_text (plot, truth));

  g_action_group_change_action_state (G_ACTION_GROUP (window), "teacher-mode",
                                      g_variant_new_boolean (FALSE));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The first widget below root of the type with the text: a row's title or a label's text. */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      const char *shown = NULL;
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (c))
        shown = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c));
      else if (GTK_IS_LABEL (c))
        shown = gtk_label_get_text (GTK_LABEL (c));
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type) && (text == NULL || g_strcmp0 (shown, text) == 0))
        return c;
      if ((found = find_widget (c, type, text)) != NULL)
        return found;
    }
  return NULL;
}

/* The Looks Ahead row: a depth set from code comes back from the panel, 0 reads "Whole
 * episode"; the row is insensitive for the Q-learner, whose config then asks for no depth;
 * the decisiveness row shows the planner's β. */
static void
test_depth_row (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = ms_controls_panel_new ();
  GtkWidget *row, *decisiveness, *label;
  GtkSpinButton *spin;
  g_autofree char *beta = g_strdup_printf ("β = %g", SIM_PLANNER_BETA);
  SimConfig config, back;

  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  row = find_widget (panel, ADW_TYPE_ACTION_ROW, "Looks Ahead");
  g_assert_nonnull (row);
  spin = GTK_SPIN_BUTTON (find_widget (row, GTK_TYPE_SPIN_BUTTON, NULL));
  g_assert_nonnull (spin);
  g_assert_nonnull (gtk_widget_get_tooltip_text (row));

  sim_config_init_default (&config);
  g_assert_cmpint (config.planning_depth, ==, 0);
  ms_controls_panel_set_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "Whole episode");
  g_assert_true (gtk_widget_get_sensitive (row));

  config.planning_depth = 3;
  ms_controls_panel_set_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "3 steps");
  back = config;
  back.planning_depth = -1;
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &back);
  g_assert_true (sim_config_equal (&back, &config));

  /* Typed in: a number, or the words for 0. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "1");
  gtk_spin_button_update (spin);
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &back);
  g_assert_cmpint (back.planning_depth, ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "1 step");
  gtk_editable_set_text (GTK_EDITABLE (spin), "whole episode");
  gtk_spin_button_update (spin);
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &back);
  g_assert_cmpint (back.planning_depth, ==, 0);

  decisiveness = find_widget (panel, ADW_TYPE_ACTION_ROW, "Decisiveness");
  g_assert_nonnull (decisiveness);
  label = find_widget (decisiveness, GTK_TYPE_LABEL, beta);
  g_assert_nonnull (label);
  g_assert_nonnull (gtk_widget_get_tooltip_text (decisiveness));
  g_assert_true (gtk_widget_get_sensitive (decisiveness));

  config.agent = SIM_AGENT_QLEARNER;
  config.planning_depth = 0;
  ms_controls_panel_set_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_false (gtk_widget_get_sensitive (row));
  g_assert_false (gtk_widget_get_sensitive (decisiveness));
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &back);
  g_assert_cmpint (back.planning_depth, ==, 0);
  g_assert_true (sim_config_validate (&back, NULL));

  /* Choosing the Q-learner with a depth in the spin button: the depth is not asked of it. */
  config.agent = SIM_AGENT_PLANNER;
  config.planning_depth = 4;
  ms_controls_panel_set_config (MS_CONTROLS_PANEL (panel), &config);
  g_assert_true (gtk_widget_get_sensitive (row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (panel, ADW_TYPE_COMBO_ROW, "Agent")),
                              SIM_AGENT_QLEARNER);
  ms_controls_panel_get_config (MS_CONTROLS_PANEL (panel), &back);
  g_assert_cmpint (back.agent, ==, SIM_AGENT_QLEARNER);
  g_assert_cmpint (back.planning_depth, ==, 0);
  g_assert_false (gtk_widget_get_sensitive (row));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The short-sighted planner's preset: the planner on the coin scenario, one step ahead; the
 * window runs it and its panel shows it; another preset plans to the end again. */
static void
test_preset (void)
{
  MsWindow *window;
  SimConfig config, shown;
  gboolean listed = FALSE;

  for (guint i = 0; i < ms_presets_get_n (); i++)
    if (g_strcmp0 (ms_presets_get (i)->id, "short-sighted") == 0)
      {
        listed = TRUE;
        g_assert_cmpstr (ms_presets_get (i)->title, ==, "A Short-Sighted Planner");
      }
  g_assert_true (listed);
  sim_config_init_default (&config);
  g_assert_true (ms_presets_apply ("short-sighted", &config));
  g_assert_cmpint (config.planning_depth, ==, 1);
  g_assert_cmpint (config.agent, ==, SIM_AGENT_PLANNER);
  g_assert_cmpint (config.scenario, ==, SIM_SCENARIO_COIN);
  g_assert_true (sim_config_validate (&config, NULL));

  window = g_object_new (MS_TYPE_WINDOW, NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (run_until (window, has_drawn, 10));
  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("short-sighted"));
  sim_runner_get_config (ms_window_get_runner (window), &config);
  g_assert_cmpint (config.planning_depth, ==, 1);
  shown = config;
  shown.planning_depth = -1;
  ms_controls_panel_get_config (ms_window_get_controls_panel (window), &shown);
  g_assert_cmpint (shown.planning_depth, ==, 1);

  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("coin"));
  sim_runner_get_config (ms_window_get_runner (window), &config);
  g_assert_cmpint (config.planning_depth, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A record with goal-directedness g (interval g ± 0.05, 0.9 g nats) toward every goal. */
static SimTrainRecord
record_with_scores (double inferred,
                    double held_out,
                    double base)
{
  SimTrainRecord record = { 0 };
  const double v[SIM_TRAIN_N_GOALS] = { inferred, base, NAN, held_out };

  record.iteration = 60;
  record.has_inference = TRUE;
  for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
    {
      record.goal[g] = v[g];
      record.goal_lo[g] = isnan (v[g]) ? NAN : v[g] - 0.05;
      record.goal_hi[g] = isnan (v[g]) ? NAN : v[g] + 0.05;
      record.goal_nats[g] = 0.9 * v[g];
      record.goal_decisions[g] = isnan (v[g]) ? 0 : 3072;
    }
  return record;
}

/* Whether the last drawing of plot, width × height, kept every text inside and apart. */
static gboolean
texts_apart (MsPlot *plot,
             int     width,
             int     height)
{
  guint n;
  const MsTextBox *boxes = ms_plot_get_text_boxes (plot, &n);
  gboolean apart = TRUE;

  for (guint a = 0; a < n; a++)
    {
      const graphene_rect_t *r = &boxes[a].rect;

      if (r->origin.x < -0.5 || r->origin.y < -0.5 || r->origin.x + r->size.width > width + 0.5 ||
          r->origin.y + r->size.height > height + 0.5)
        {
          g_test_message ("%dx%d: “%s” leaves the plot", width, height, boxes[a].text);
          apart = FALSE;
        }
      for (guint b = a + 1; b < n; b++)
        {
          graphene_rect_t meet;

          if (graphene_rect_intersection (r, &boxes[b].rect, &meet) &&
              meet.size.width > 0.5 && meet.size.height > 0.5)
            {
              g_test_message ("%dx%d: “%s” overlaps “%s”", width, height, boxes[a].text,
                              boxes[b].text);
              apart = FALSE;
            }
        }
    }
  return apart;
}

/* The comparison plot: a row per agent with its three scores as in the card, "Still training…"
 * for an agent without a result, "Not measured" for one whose run had no scores; the tooltip
 * names the agent and gives the numbers; scores below −1 stay on the scale. */
static void
test_comparison_plot (void)
{
  static const char * const names[] = { "Full planner", "Q-learner", "Keys agent", "Habit" };
  static const char * const descriptions[] = { "plans", "learned", "keys", "very low" };
  static const int sizes[][2] = { { 1200, 420 }, { 900, 600 }, { 500, 300 }, { 320, 200 } };
  GtkWidget *widget = g_object_ref_sink (ms_comparison_plot_new ());
  MsComparisonPlot *comparison = MS_COMPARISON_PLOT (widget);
  MsPlot *plot = MS_PLOT (widget);
  SimTrainRecord planner = record_with_scores (0.61, 0.66, 0.11);
  SimTrainRecord unmeasured = record_with_scores (NAN, NAN, NAN);
  SimTrainRecord low = record_with_scores (0.2, -3.0, -0.4);
  g_autofree char *tooltip = NULL;
  graphene_rect_t area;

  draw_plot (plot, 900, 420);
  g_assert_true (plot_drew_text (plot, "No agents to compare"));

  ms_comparison_plot_set_agents (comparison, names, descriptions, G_N_ELEMENTS (names));
  g_assert_cmpint (ms_comparison_plot_get_n_agents (comparison), ==, 4);
  ms_comparison_plot_set_result (comparison, 0, &planner);
  ms_comparison_plot_set_result (comparison, 2, &unmeasured);
  ms_comparison_plot_set_result (comparison, 3, &low);
  g_assert_null (ms_comparison_plot_get_result (comparison, 1));
  g_assert_cmpfloat (ms_comparison_plot_get_result (comparison, 0)->goal[SIM_TRAIN_GOAL_INFERRED],
                     ==, 0.61);

  draw_plot (plot, 1200, 420);
  g_assert_true (plot_drew_text (plot, "How optimizer-like is each agent?"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_true (plot_drew_text (plot, names[i]));
  g_assert_true (plot_drew_text (plot, "Toward its inferred goal"));
  g_assert_true (plot_drew_text (plot, "Its goal on test levels"));
  g_assert_true (plot_drew_text (plot, "Toward the reward"));
  g_assert_true (plot_drew_text (plot, "0.61"));
  g_assert_true (plot_drew_text (plot, "0.66"));
  g_assert_true (plot_drew_text (plot, "0.11"));
  g_assert_true (plot_drew_text (plot, "-3.00"));
  g_assert_true (plot_drew_text (plot, "Still training…"));
  g_assert_true (plot_drew_text (plot, "Not measured"));
  g_assert_true (plot_drew_text (plot, "0 = random moves"));
  g_assert_nonnull (strstr (ms_plot_get_description (plot), "Full planner: Toward its inferred "
                                                             "goal 0.61"));
  g_assert_nonnull (strstr (ms_plot_get_description (plot), "Q-learner: Still training…"));

  /* The first bar is the full planner's score toward its inferred goal. */
  g_assert_true (ms_plot_get_data_area (plot, &area));
  tooltip = ms_plot_describe_at (plot, area.origin.x + area.size.width / 2,
                                 area.origin.y + area.size.height / 2);
  g_assert_nonnull (tooltip);
  g_test_message ("tooltip: %s", tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "Full planner\nToward its inferred goal: 0.61"));
  g_assert_nonnull (strstr (tooltip, "0.56 to 0.66"));
  g_assert_nonnull (strstr (tooltip, "3072 decisions"));
  g_assert_null (ms_plot_describe_at (plot, 1, 1));

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      draw_plot (plot, sizes[k][0], sizes[k][1]);
      g_assert_true (texts_apart (plot, sizes[k][0], sizes[k][1]));
    }

  /* New agents forget the results. */
  ms_comparison_plot_set_agents (comparison, names, NULL, 2);
  g_assert_null (ms_comparison_plot_get_result (comparison, 0));
  draw_plot (plot, 900, 420);
  g_assert_false (plot_drew_text (plot, "0.61"));
  g_assert_finalize_object (widget);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/goal/plot-scores", test_plot_scores);
  g_test_add_func ("/ui/goal/card-in-window", test_card_in_window);
  g_test_add_func ("/ui/goal/comparison-plot", test_comparison_plot);
  g_test_add_func ("/ui/goal/depth-row", test_depth_row);
  g_test_add_func ("/ui/goal/preset", test_preset);
  return g_test_run ();
}
