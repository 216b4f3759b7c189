/* test-lessons.c: every guided lesson walked through its actions, step by step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After every step the window must show what the step claims: the run's configuration, the
 * shown level, playing or paused, the speed, the highlighted dashboard part and the bar's text.
 */
#include "config.h"

#include <adwaita.h>

#include <math.h>

#include "ms-alignment-plot.h"
#include "ms-article-panel-private.h"
#include "ms-comparison-plot.h"
#include "ms-dashboard.h"
#include "ms-lesson-bar.h"
#include "ms-lessons.h"
#include "ms-markdown.h"
#include "ms-presets.h"
#include "ms-plot.h"
#include "ms-success-plot.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "ms-window-private.h"
#include "plot-text.h"
#include "sim-runner.h"

typedef struct
{
  MsWindow *window;
  SimRunner *runner;
  MsDashboard *dashboard;
  MsLessonBar *bar;
  guint deliveries;
} Fixture;

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
snapshot_cb (SimRunner   *runner,
             SimSnapshot *snapshot,
             Fixture     *f)
{
  f->deliveries++;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Waits for a snapshot of the run with config (not a late one of the run before) that is at
 * least at min_iteration, delivered after the call. Returns it (borrowed). */
static SimSnapshot *
wait_for_snapshot (Fixture         *f,
                   const SimConfig *config,
                   int              min_iteration)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (20000, timeout_cb, &timed_out);
  guint before = f->deliveries;
  SimSnapshot *snapshot = NULL;

  while (!timed_out)
    {
      g_main_context_iteration (NULL, TRUE);
      snapshot = sim_runner_get_snapshot (f->runner);
      if (f->deliveries > before && snapshot != NULL &&
          sim_config_equal (&snapshot->config, config) && snapshot->iteration >= min_iteration)
        break;
    }
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
  return snapshot;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = g_object_new (MS_TYPE_WINDOW, NULL);
  f->runner = ms_window_get_runner (f->window);
  f->dashboard = ms_window_get_dashboard (f->window);
  f->bar = MS_LESSON_BAR (find_widget (GTK_WIDGET (f->window), MS_TYPE_LESSON_BAR));
  g_assert_nonnull (f->bar);
  g_signal_connect (f->runner, "snapshot", G_CALLBACK (snapshot_cb), f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 720);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->runner, f);
  gtk_window_destroy (GTK_WINDOW (f->window));
}

typedef void (*FixtureFunc) (Fixture       *f,
                             gconstpointer  data);

typedef struct
{
  FixtureFunc func;
  gconstpointer data;
} Case;

/* Each case runs in a process of its own. After a window is destroyed its article flap can
 * stay alive (held by the window's toggle-article action) and bound to the shared
 * "article-visible" key, so a later window that changes the key, as a lesson does, would
 * reach into the dead window. */
static void
run_case (gconstpointer data)
{
  const Case *c = data;

  if (g_test_subprocess ())
    {
      Fixture f = { 0 };

      fixture_setup (&f, c->data);
      c->func (&f, c->data);
      fixture_teardown (&f, c->data);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Static, as the subprocess running a case exits without freeing test data. */
static Case cases[16];
static guint n_cases;

static void
add_case (const char    *path,
          FixtureFunc    func,
          gconstpointer  data)
{
  g_assert_cmpuint (n_cases, <, G_N_ELEMENTS (cases));
  cases[n_cases].func = func;
  cases[n_cases].data = data;
  g_test_add_data_func (path, &cases[n_cases++], run_case);
}

static void
activate (Fixture    *f,
          const char *name,
          GVariant   *parameter)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), name));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), name, parameter);
}

/* The preset step index inherits its run from: itself, or the nearest one before it. */
static const MsLessonStep *
run_step (const MsLesson *lesson,
          guint           index)
{
  for (guint i = index + 1; i-- > 0;)
    if (lesson->steps[i].preset != NULL)
      return &lesson->steps[i];
  return NULL;
}

/* The runner's configuration is the one the step's preset, diversity and seed describe. */
static void
assert_config_claimed (Fixture        *f,
                       const MsLesson *lesson,
                       guint           index)
{
  const MsLessonStep *step = run_step (lesson, index);
  SimConfig config;
  SimConfig preset;

  g_assert_nonnull (step);
  sim_runner_get_config (f->runner, &config);
  preset = config;
  g_assert_true (ms_presets_apply (step->preset, &preset));
  g_assert_cmpint (config.scenario, ==, preset.scenario);
  g_assert_cmpint (config.agent, ==, preset.agent);
  g_assert_cmpint (config.optimizer, ==, preset.optimizer);
  g_assert_cmpint (config.perception, ==, preset.perception);
  g_assert_cmpint (config.perception_param, ==, preset.perception_param);
  g_assert_cmpint (config.iterations, ==, preset.iterations);
  g_assert_cmpint (config.grid, ==, preset.grid);
  g_assert_cmpint (config.diversity, ==,
                   step->diversity == MS_LESSON_KEEP ? preset.diversity : step->diversity);
  if (step->seed != 0)
    g_assert_cmpuint (config.seed, ==, step->seed);
}

static void
assert_step_shown (Fixture        *f,
                   const MsLesson *lesson,
                   guint           index)
{
  const MsLessonStep *step = &lesson->steps[index];
  g_autoptr (GVariant) shown = NULL;
  g_autofree char *progress = g_strdup_printf ("Step\u00a0%u\u00a0of\u00a0%u", index + 1,
                                              lesson->n_steps);
  GtkWidget *next = ms_lesson_bar_get_next_button (f->bar);

  assert_config_claimed (f, lesson, index);

  g_assert_cmpint (ms_dashboard_get_shown (f->dashboard), ==, step->shown);
  shown = g_action_group_get_action_state (G_ACTION_GROUP (f->window), "show-level");
  g_assert_cmpstr (g_variant_get_string (shown, NULL), ==,
                   step->shown == SIM_SHOWN_TRAIN ? "train" : "test");

  /* Every run is far from its end while the test walks it (4 iterations per second at most,
   * 25 or more iterations; keys and chests 2 per second, 20 iterations), so "play" must really
   * be playing. */
  g_assert_cmpint (sim_runner_get_playing (f->runner), ==, step->play);
  g_assert_cmpfloat_with_epsilon (sim_runner_get_speed (f->runner), step->speed, 1e-9);

  if (step->highlight != MS_LESSON_NO_HIGHLIGHT)
    {
      GtkWidget *part = ms_dashboard_get_part (f->dashboard, step->highlight);

      g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (part), "highlight"));
    }

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  g_assert_cmpstr (ms_lesson_bar_get_title (f->bar), ==, step->title);
  g_assert_cmpstr (ms_lesson_bar_get_text (f->bar), ==, step->text);
  g_assert_nonnull (strstr (ms_lesson_bar_get_progress (f->bar), lesson->title));
  g_assert_nonnull (strstr (ms_lesson_bar_get_progress (f->bar), progress));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next)), ==,
                   index + 1 == lesson->n_steps ? "_Finish" : "_Next");

  g_assert_cmpint (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window),
                                                      "lesson-back"), ==, index > 0);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "lesson-next"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window),
                                                    "lesson-close"));
}

/* Moves to step `to` with Next or Back; a step without a preset must keep the run going (not
 * start it over), a step with one must have started its own run. */
static void
go_to_step (Fixture        *f,
            const MsLesson *lesson,
            guint           from,
            guint           to)
{
  SimConfig before;
  SimConfig after;
  SimSnapshot *snapshot;
  int iteration = 0;

  sim_runner_get_config (f->runner, &before);
  if (run_step (lesson, to) == run_step (lesson, from))
    {
      /* The same run continues: let it get a few iterations in, so a restart would show. */
      snapshot = wait_for_snapshot (f, &before, 3);
      iteration = snapshot->iteration;
    }

  activate (f, to > from ? "lesson-next" : "lesson-back", NULL);
  assert_step_shown (f, lesson, to);

  sim_runner_get_config (f->runner, &after);
  if (run_step (lesson, to) == run_step (lesson, from))
    {
      g_assert_true (sim_config_equal (&before, &after));
      snapshot = wait_for_snapshot (f, &after, 0);
      g_assert_cmpint (snapshot->iteration, >=, iteration);
    }
  else
    {
      /* The step's own run is the one now delivering snapshots. */
      snapshot = wait_for_snapshot (f, &after, 0);
      g_assert_cmpint (snapshot->iteration, <, snapshot->config.iterations);
    }
}

/* What each lesson must set up, stated here independently of the lesson table. */
typedef struct
{
  const char *id;
  SimScenarioKind scenario;
  SimOptimizerKind first_optimizer;
  int first_diversity;
  SimShownKind first_shown;
  SimOptimizerKind last_optimizer;
  int last_diversity;
} LessonClaim;

static const LessonClaim claims[] = {
  /* Train on the training distribution and watch a training level; at the end, diverse
   * training. */
  { "coin", SIM_SCENARIO_COIN, SIM_OPTIMIZER_PGN, 0, SIM_SHOWN_TRAIN, SIM_OPTIMIZER_PGN, 100 },
  { "green-exit", SIM_SCENARIO_GREEN_EXIT, SIM_OPTIMIZER_PGN, 0, SIM_SHOWN_TRAIN,
    SIM_OPTIMIZER_PGN, 100 },
  /* 20 % diverse levels with the gradient, then with the cross-entropy method. */
  { "diversity", SIM_SCENARIO_COIN, SIM_OPTIMIZER_PGN, 20, SIM_SHOWN_TEST, SIM_OPTIMIZER_CEM,
    20 },
  /* Key-scarce training watched on a training level; at the end, the control trained on
   * levels like the test. */
  { "keys-chests", SIM_SCENARIO_KEYS_CHESTS, SIM_OPTIMIZER_CEM, 0, SIM_SHOWN_TRAIN,
    SIM_OPTIMIZER_CEM, 100 },
  /* The full planner, the short-sighted planner and the network, all on the coin's levels. */
  { "optimizer", SIM_SCENARIO_COIN, SIM_OPTIMIZER_PGN, 0, SIM_SHOWN_TRAIN, SIM_OPTIMIZER_PGN, 0 },
};

static void
assert_claim (Fixture          *f,
              SimScenarioKind   scenario,
              SimOptimizerKind  optimizer,
              int               diversity)
{
  SimConfig config;

  sim_runner_get_config (f->runner, &config);
  g_assert_cmpint (config.scenario, ==, scenario);
  g_assert_cmpint (config.optimizer, ==, optimizer);
  g_assert_cmpint (config.diversity, ==, diversity);
}

static void
test_lesson_walk (Fixture       *f,
                  gconstpointer  data)
{
  const LessonClaim *claim = data;
  const MsLesson *lesson = ms_lessons_lookup (claim->id);
  gboolean article;
  guint last;

  g_assert_nonnull (lesson);
  g_assert_cmpuint (lesson->n_steps, >=, 4);
  last = lesson->n_steps - 1;
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "lesson-next"));

  /* The lesson makes room for the dashboard and gives it back at the end. */
  if (!ms_window_get_article_visible (f->window))
    g_action_group_activate_action (G_ACTION_GROUP (f->window), "toggle-article", NULL);
  article = ms_window_get_article_visible (f->window);
  g_assert_true (article);

  activate (f, "lesson", g_variant_new_string (claim->id));
  assert_step_shown (f, lesson, 0);
  assert_claim (f, claim->scenario, claim->first_optimizer, claim->first_diversity);
  g_assert_cmpint (ms_dashboard_get_shown (f->dashboard), ==, claim->first_shown);
  g_assert_false (ms_window_get_article_visible (f->window));
  /* The first step waits for Play; then the lesson's first run really starts. */
  g_assert_false (sim_runner_get_playing (f->runner));
  activate (f, "play-pause", NULL);
  {
    SimConfig config;

    sim_runner_get_config (f->runner, &config);
    wait_for_snapshot (f, &config, 1);
  }

  /* Forward to step 2, back to step 1, then on to the last step. */
  go_to_step (f, lesson, 0, 1);
  go_to_step (f, lesson, 1, 2);
  go_to_step (f, lesson, 2, 1);
  for (guint i = 1; i < last; i++)
    go_to_step (f, lesson, i, i + 1);
  assert_claim (f, claim->scenario, claim->last_optimizer, claim->last_diversity);
  /* The lesson's point is what happens at test. */
  g_assert_cmpint (ms_dashboard_get_shown (f->dashboard), ==, SIM_SHOWN_TEST);

  /* Back from the last step puts the run of the step before it back, and Next again. */
  go_to_step (f, lesson, last, last - 1);
  go_to_step (f, lesson, last - 1, last);
  assert_claim (f, claim->scenario, claim->last_optimizer, claim->last_diversity);

  /* Next on the last step finishes the lesson; the demo stays as it was. */
  activate (f, "lesson-next", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  g_assert_true (ms_window_get_article_visible (f->window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "lesson-next"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "lesson-back"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window),
                                                     "lesson-close"));
  assert_claim (f, claim->scenario, claim->last_optimizer, claim->last_diversity);
}

/* Close in the middle hides the bar; a lesson's change of run can be undone. */
static void
test_lesson_close_and_undo (Fixture       *f,
                            gconstpointer  data)
{
  const MsLesson *lesson = ms_lessons_lookup ("coin");
  SimConfig config;

  activate (f, "lesson", g_variant_new_string ("coin"));
  for (guint i = 0; i + 1 < lesson->n_steps; i++)
    activate (f, "lesson-next", NULL);
  assert_step_shown (f, lesson, lesson->n_steps - 1);
  sim_runner_get_config (f->runner, &config);
  g_assert_cmpint (config.diversity, ==, 100);

  activate (f, "undo-settings", NULL);
  sim_runner_get_config (f->runner, &config);
  g_assert_cmpint (config.diversity, ==, 0);

  activate (f, "lesson-close", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window),
                                                     "lesson-close"));

  /* Starting a lesson again starts at its first step. */
  activate (f, "lesson", g_variant_new_string ("green-exit"));
  assert_step_shown (f, ms_lessons_lookup ("green-exit"), 0);
  activate (f, "lesson-close", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->bar)));

  /* An unknown lesson changes nothing. */
  sim_runner_get_config (f->runner, &config);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "lesson",
                                  g_variant_new_string ("no-such-lesson"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  {
    SimConfig after;

    sim_runner_get_config (f->runner, &after);
    g_assert_true (sim_config_equal (&config, &after));
  }
}

/* Lets the window lay out and draw what the last action changed. */
static void
settle (Fixture *f)
{
  guint frames = ms_window_get_frame_count (f->window);
  gboolean timed_out = FALSE;
  guint id;

  g_timeout_add (200, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
  timed_out = FALSE;
  id = g_timeout_add (10000, timeout_cb, &timed_out);
  while (ms_window_get_frame_count (f->window) <= frames && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

/* Whether the snapshot plot holds has training history. */
static gboolean
trained (MsPlot *plot)
{
  SimSnapshot *snapshot = ms_plot_get_snapshot (plot);

  return snapshot != NULL && snapshot->n_history > 0;
}

/* A lesson goes at a pace a class can follow: the first step waits for Play, no step runs
 * faster than 4 iterations a second; the test results (the success plot's test lines, the
 * alignment plot) stay hidden until the first step on a test level, as the bar's text says
 * what to look for only then; and the bar is as tall at every step, so the dashboard under
 * it does not jump. */
static void
test_lesson_pace (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *success = ms_dashboard_get_part (f->dashboard, MS_DASHBOARD_PART_SUCCESS);
  GtkWidget *alignment = ms_dashboard_get_part (f->dashboard, MS_DASHBOARD_PART_ALIGNMENT);

  for (guint l = 0; l < ms_lessons_get_n (); l++)
    {
      const MsLesson *lesson = ms_lessons_get (l);
      gboolean revealed = FALSE;
      int height = -1;

      activate (f, "lesson", g_variant_new_string (lesson->id));
      g_assert_false (sim_runner_get_playing (f->runner));
      for (guint i = 0; i < lesson->n_steps; i++)
        {
          const char *description;

          if (i > 0)
            activate (f, "lesson-next", NULL);
          settle (f);
          revealed = revealed || lesson->steps[i].shown == SIM_SHOWN_TEST;
          g_test_message ("%s step %u: %.0f iterations/s, test results %s, bar %d px", lesson->id,
                          i + 1, sim_runner_get_speed (f->runner), revealed ? "shown" : "hidden",
                          gtk_widget_get_height (GTK_WIDGET (f->bar)));
          g_assert_cmpfloat (sim_runner_get_speed (f->runner), >, 0);
          g_assert_cmpfloat (sim_runner_get_speed (f->runner), <=, 4);

          g_assert_cmpint (ms_plot_get_test_hidden (MS_PLOT (success)), ==, !revealed);
          g_assert_cmpint (ms_plot_get_test_hidden (MS_PLOT (alignment)), ==, !revealed);
          /* Once training has begun, the descriptions name test results only when shown. */
          description = ms_plot_get_description (MS_PLOT (success));
          g_assert_cmpint (strstr (description, "Test:") != NULL, ==,
                           revealed && trained (MS_PLOT (success)));
          description = ms_plot_get_description (MS_PLOT (alignment));
          g_assert_cmpint (strstr (description, "measured") != NULL, ==,
                           revealed && trained (MS_PLOT (alignment)));

          if (height < 0)
            height = gtk_widget_get_height (GTK_WIDGET (f->bar));
          g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->bar)), ==, height);
        }
      /* The last step of every lesson is on test levels. */
      g_assert_true (revealed);
      activate (f, "lesson-close", NULL);
      g_assert_false (ms_plot_get_test_hidden (MS_PLOT (success)));
      g_assert_false (ms_plot_get_test_hidden (MS_PLOT (alignment)));
    }
}

static gboolean
menu_has_lesson (GMenuModel *model,
                 const char *id)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr (GVariant) target = NULL;
      g_autoptr (GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
          g_strcmp0 (action, "win.lesson") == 0)
        {
          target = g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET,
                                                          G_VARIANT_TYPE_STRING);
          if (target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), id) == 0)
            return TRUE;
        }
      while (g_menu_link_iter_next (links))
        {
          g_autoptr (GMenuModel) link = g_menu_link_iter_get_value (links);

          if (menu_has_lesson (link, id))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
header_lists_lesson (GtkWidget  *widget,
                     const char *id)
{
  if (GTK_IS_MENU_BUTTON (widget))
    {
      GMenuModel *model = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

      if (model != NULL && menu_has_lesson (model, id))
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (header_lists_lesson (child, id))
      return TRUE;
  return FALSE;
}

/* Every lesson can be started from a menu in the window. */
static void
test_lesson_menu (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_cmpuint (ms_lessons_get_n (), >=, 3);
  for (guint i = 0; i < ms_lessons_get_n (); i++)
    g_assert_true (header_lists_lesson (GTK_WIDGET (f->window), ms_lessons_get (i)->id));
}

static gboolean
wait_for (gboolean (*done) (Fixture *f),
          Fixture  *f)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (120000, timeout_cb, &timed_out);

  while (!done (f) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return done (f);
}

static gboolean
comparison_finished (Fixture *f)
{
  return f->window->comparison != NULL && sim_comparison_get_finished (f->window->comparison);
}

static gboolean
comparison_under_way (Fixture *f)
{
  return f->window->comparison != NULL &&
         sim_comparison_get_fraction (f->window->comparison) > 0;
}

/* "Is it an optimizer?" trains its four agents in the background from its first step, with a
 * progress bar in the lesson bar; its last step shows, in the dashboard's place, one row per
 * agent with the scores of that agent's run as the engine trained it (the same as the run
 * trained alone: test-comparison.c), and the order the step's text claims. */
static void
test_lesson_comparison (Fixture       *f,
                        gconstpointer  data)
{
  const MsLesson *lesson = ms_lessons_lookup ("optimizer");
  MsComparisonPlot *plot;
  const SimTrainRecord *engine[4];
  SimConfig start;
  const char *text;
  double fraction;
  guint last;

  g_assert_nonnull (lesson);
  g_assert_cmpuint (lesson->n_agents, ==, 4);
  last = lesson->n_steps - 1;
  plot = MS_COMPARISON_PLOT (f->window->comparison_plot);
  sim_runner_get_config (f->runner, &start);

  g_assert_false (ms_lesson_bar_get_comparison (f->bar, NULL, NULL));
  activate (f, "lesson", g_variant_new_string ("optimizer"));
  g_assert_nonnull (f->window->comparison);
  g_assert_true (ms_lesson_bar_get_comparison (f->bar, &fraction, &text));
  g_assert_cmpfloat (fraction, <, 1);
  g_assert_nonnull (strstr (text, "Full planner"));
  g_assert_cmpint (ms_comparison_plot_get_n_agents (plot), ==, 4);
  g_assert_false (gtk_widget_get_visible (f->window->comparison_card));

  /* The agents: the run of the first step, four ways. */
  for (guint i = 0; i < lesson->n_agents; i++)
    {
      const SimConfig *trained = sim_comparison_get_config (f->window->comparison, (int) i);
      SimConfig config = start;

      ms_lesson_get_agent_config (lesson, i, &config);
      g_assert_true (sim_config_equal (trained, &config));
      ms_lesson_get_config (lesson, 0, &config);
      g_assert_cmpint (trained->scenario, ==, config.scenario);
      g_assert_cmpint (trained->seed, ==, config.seed);
      g_assert_cmpint (trained->diversity, ==, config.diversity);
      g_assert_cmpint (trained->perception, ==, config.perception);
      g_assert_cmpint (trained->infer_every, >, 0);
    }
  g_assert_cmpint (sim_comparison_get_config (f->window->comparison, 0)->agent, ==,
                   SIM_AGENT_PLANNER);
  g_assert_cmpint (sim_comparison_get_config (f->window->comparison, 0)->planning_depth, ==, 0);
  g_assert_cmpint (sim_comparison_get_config (f->window->comparison, 1)->agent, ==,
                   SIM_AGENT_PLANNER);
  g_assert_cmpint (sim_comparison_get_config (f->window->comparison, 1)->planning_depth, ==, 1);
  g_assert_cmpint (sim_comparison_get_config (f->window->comparison, 2)->agent, ==,
                   SIM_AGENT_QLEARNER);
  g_assert_cmpint (sim_comparison_get_config (f->window->comparison, 3)->agent, ==,
                   SIM_AGENT_MLP);

  /* Only the last step compares, in the dashboard's place. */
  for (guint i = 0; i < last; i++)
    {
      g_assert_false (lesson->steps[i].comparison);
      activate (f, "lesson-next", NULL);
    }
  g_assert_true (lesson->steps[last].comparison);
  g_assert_true (gtk_widget_get_visible (f->window->comparison_card));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->dashboard)));
  g_assert_true (wait_for (comparison_finished, f));
  g_assert_true (ms_lesson_bar_get_comparison (f->bar, &fraction, &text));
  g_assert_cmpfloat (fraction, ==, 1);
  g_assert_nonnull (strstr (text, "ready"));
  settle (f);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (plot)));

  for (guint i = 0; i < lesson->n_agents; i++)
    {
      const SimTrainRecord *shown = ms_comparison_plot_get_result (plot, (int) i);
      char value[32];

      engine[i] = sim_comparison_get_result (f->window->comparison, (int) i);
      g_assert_nonnull (shown);
      g_assert_nonnull (engine[i]);
      g_assert_cmpint (engine[i]->iteration, ==,
                       sim_comparison_get_config (f->window->comparison, (int) i)->iterations);
      g_assert_true (engine[i]->has_inference);
      /* Bit for bit, NaN (not measured) included. */
      g_assert_cmpmem (shown->goal, sizeof shown->goal, engine[i]->goal, sizeof shown->goal);
      g_assert_cmpmem (shown->goal_lo, sizeof shown->goal_lo, engine[i]->goal_lo,
                       sizeof shown->goal_lo);
      g_assert_cmpmem (shown->goal_hi, sizeof shown->goal_hi, engine[i]->goal_hi,
                       sizeof shown->goal_hi);
      g_assert_false (isnan (shown->goal[SIM_TRAIN_GOAL_INFERRED]));
      g_assert_true (plot_drew_text (MS_PLOT (plot), lesson->agents[i].name));
      g_snprintf (value, sizeof value, "%.2f", shown->goal[SIM_TRAIN_GOAL_INFERRED]);
      g_assert_true (plot_drew_text (MS_PLOT (plot), value));
      g_snprintf (value, sizeof value, "%.2f", shown->goal[SIM_TRAIN_GOAL_HELD_OUT]);
      g_assert_true (plot_drew_text (MS_PLOT (plot), value));
      g_snprintf (value, sizeof value, "%.2f", shown->goal[SIM_TRAIN_GOAL_BASE]);
      g_assert_true (plot_drew_text (MS_PLOT (plot), value));
      g_test_message ("%s: inferred %.3f, held out %.3f, reward %.3f", lesson->agents[i].name,
                      shown->goal[SIM_TRAIN_GOAL_INFERRED], shown->goal[SIM_TRAIN_GOAL_HELD_OUT],
                      shown->goal[SIM_TRAIN_GOAL_BASE]);
    }
  g_assert_nonnull (strstr (ms_plot_get_description (MS_PLOT (plot)), "Neural network"));

  /* What the step says: the full planner first, then the network, then the other two. */
  g_assert_cmpfloat (engine[0]->goal[SIM_TRAIN_GOAL_INFERRED], >,
                     engine[3]->goal[SIM_TRAIN_GOAL_INFERRED]);
  g_assert_cmpfloat (engine[3]->goal[SIM_TRAIN_GOAL_INFERRED], >,
                     MAX (engine[1]->goal[SIM_TRAIN_GOAL_INFERRED],
                          engine[2]->goal[SIM_TRAIN_GOAL_INFERRED]));

  /* Back shows the dashboard again; the comparison stays done. */
  activate (f, "lesson-back", NULL);
  g_assert_false (gtk_widget_get_visible (f->window->comparison_card));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->dashboard)));
  g_assert_true (comparison_finished (f));
}

/* Leaving the lesson, or starting another, cancels the training in the background: the
 * worker is joined and the comparison goes; closing the window in the middle of it too. */
static void
test_lesson_comparison_cancel (Fixture       *f,
                               gconstpointer  data)
{
  SimComparison *comparison;

  activate (f, "lesson", g_variant_new_string ("optimizer"));
  g_assert_true (wait_for (comparison_under_way, f));
  comparison = g_object_ref (f->window->comparison);
  activate (f, "lesson-close", NULL);
  g_assert_null (f->window->comparison);
  g_assert_false (sim_comparison_get_running (comparison));
  g_assert_false (sim_comparison_get_finished (comparison));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  g_assert_false (gtk_widget_get_visible (f->window->comparison_card));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->dashboard)));
  settle (f);
  /* Deliveries already on their way hold it no longer. */
  g_assert_finalize_object (comparison);

  /* On the comparison step, another lesson puts the dashboard back. */
  activate (f, "lesson", g_variant_new_string ("optimizer"));
  while (!ms_lessons_lookup ("optimizer")->steps[f->window->lesson_step].comparison)
    activate (f, "lesson-next", NULL);
  g_assert_true (gtk_widget_get_visible (f->window->comparison_card));
  comparison = g_object_ref (f->window->comparison);
  activate (f, "lesson", g_variant_new_string ("coin"));
  g_assert_null (f->window->comparison);
  g_assert_false (sim_comparison_get_running (comparison));
  g_object_unref (comparison);
  g_assert_false (ms_lesson_bar_get_comparison (f->bar, NULL, NULL));
  g_assert_false (gtk_widget_get_visible (f->window->comparison_card));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->dashboard)));

  /* The teardown closes the window while this one trains. */
  activate (f, "lesson", g_variant_new_string ("optimizer"));
  g_assert_true (wait_for (comparison_under_way, f));
}

/* The article's sentence about the continuum links to the lesson, and the lesson ends on that
 * sentence, quoted exactly. */
static void
test_lesson_article_link (Fixture       *f,
                          gconstpointer  data)
{
  MsArticlePanel *panel = MS_ARTICLE_PANEL (ms_window_get_article_panel (f->window));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (panel));
  const MsLesson *lesson = ms_lessons_lookup ("optimizer");
  g_autofree char *text = NULL;
  g_autofree char *sentence = NULL;
  const char *start, *end, *href, *term;
  GtkTextIter begin, stop, iter;

  gtk_text_buffer_get_bounds (buffer, &begin, &stop);
  text = gtk_text_buffer_get_text (buffer, &begin, &stop, TRUE);
  start = strstr (text, "And while it's easy to think of optimizer-ness");
  g_assert_nonnull (start);
  end = strstr (start, "\"optimizer-like\".");
  g_assert_nonnull (end);
  sentence = g_strndup (start, end + strlen ("\"optimizer-like\".") - start);
  g_assert_nonnull (strstr (lesson->steps[lesson->n_steps - 1].text, sentence));
  g_assert_true (g_str_has_suffix (lesson->steps[lesson->n_steps - 1].text, "”"));

  gtk_text_buffer_get_iter_at_offset (buffer, &iter,
                                      g_utf8_pointer_to_offset (text,
                                                                strstr (start, "others less")));
  g_assert_true (ms_markdown_iter_get_link (&iter, &href, &term));
  g_assert_cmpstr (term, ==, "lesson:optimizer");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  g_assert_true (ms_article_panel_activate_link_at (panel, &iter));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->bar)));
  g_assert_true (f->window->lesson == lesson);
  g_assert_cmpuint (f->window->lesson_step, ==, 0);
  g_assert_nonnull (f->window->comparison);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  for (guint i = 0; i < G_N_ELEMENTS (claims); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/lessons/walk/%s", claims[i].id);

      add_case (path, test_lesson_walk, &claims[i]);
    }
  add_case ("/ui/lessons/close-and-undo", test_lesson_close_and_undo, NULL);
  add_case ("/ui/lessons/menu", test_lesson_menu, NULL);
  add_case ("/ui/lessons/pace", test_lesson_pace, NULL);
  add_case ("/ui/lessons/comparison", test_lesson_comparison, NULL);
  add_case ("/ui/lessons/comparison-cancel", test_lesson_comparison_cancel, NULL);
  add_case ("/ui/lessons/article-link", test_lesson_article_link, NULL);
  return g_test_run ();
}
