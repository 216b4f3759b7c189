/* test-window.c: the main window opens, draws, and toggles its article panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ms-article-panel.h"
#include "ms-controls-panel.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "ms-window-private.h"

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until the window has drawn more than `after` frames. */
static gboolean
wait_for_frames (MsWindow *window,
                 guint     after,
                 guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (ms_window_get_frame_count (window) <= after && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* Renders the window with its own renderer and counts distinct colours, so a blank or
 * unrendered window fails. */
static guint
count_colours (GtkWidget *widget)
{
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  g_autofree guchar *pixels = NULL;
  GskRenderer *renderer;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (gtk_widget_get_native (widget)));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  for (int i = 0; i < w * h; i++)
    {
      guint32 px;
      memcpy (&px, pixels + (gsize) i * 4, 4);
      g_hash_table_add (colours, GUINT_TO_POINTER (px));
    }
  return g_hash_table_size (colours);
}

static void
test_window_toggle_article (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  gboolean before;
  guint frames;

  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for_frames (window, 0, 10000));
  g_assert_cmpuint (count_colours (GTK_WIDGET (window)), >, 20);

  before = ms_window_get_article_visible (window);
  frames = ms_window_get_frame_count (window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
  g_assert_cmpint (ms_window_get_article_visible (window), ==, !before);
  g_assert_true (wait_for_frames (window, frames, 10000));

  frames = ms_window_get_frame_count (window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
  g_assert_cmpint (ms_window_get_article_visible (window), ==, before);
  g_assert_true (wait_for_frames (window, frames, 10000));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
title_is (MsArticlePanel *panel,
          const char     *title)
{
  return g_strcmp0 (ms_article_panel_get_title (panel), title) == 0;
}

/* A teacher's own notes open into the article panel, which is then shown. */
static void
test_window_open_notes (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  MsArticlePanel *panel = MS_ARTICLE_PANEL (ms_window_get_article_panel (window));
  g_autofree char *dir = g_dir_make_tmp ("mesascope-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.md", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  gboolean timed_out = FALSE;
  guint id;

  g_assert_true (g_file_set_contents (path, "---\ntitle: Lesson notes\n---\n# Today\n\nWatch the corner.\n",
                                      -1, NULL));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for_frames (window, 0, 10000));
  g_assert_cmpstr (ms_article_panel_get_title (panel), ==, "Mesa Optimizers");
  if (ms_window_get_article_visible (window))
    g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
  g_assert_false (ms_window_get_article_visible (window));

  ms_window_open_file (window, file);
  id = g_timeout_add (10000, timeout_cb, &timed_out);
  while (!title_is (panel, "Lesson notes") && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_cmpstr (ms_article_panel_get_title (panel), ==, "Lesson notes");
  g_assert_true (ms_window_get_article_visible (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The window's subtitle names the run in a class's words, diversity and a short planning
 * depth included; the precise terms are in its tooltip. */
static void
test_subtitle_words (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  GtkWidget *title;
  const char *subtitle, *tooltip;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for_frames (window, 0, 10000));
  /* The cross-entropy method on 20 % diverse levels. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("lock-in-cem"));
  title = find_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
  g_assert_nonnull (title);
  subtitle = adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title));
  tooltip = gtk_widget_get_tooltip_text (title);
  g_test_message ("subtitle “%s”, tooltip “%s”", subtitle, tooltip);
  g_assert_nonnull (strstr (subtitle, "best of many tries"));
  g_assert_nonnull (strstr (subtitle, "20 % of levels like the test"));
  g_assert_null (strstr (subtitle, "cross-entropy"));
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "cross-entropy method"));
  g_assert_nonnull (strstr (tooltip, "20 % of training levels drawn from the test distribution"));

  /* The hidden target in words: out of sight in 30 % of the levels. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("coin-hidden"));
  subtitle = adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title));
  g_test_message ("subtitle “%s”", subtitle);
  g_assert_nonnull (strstr (subtitle, "target out of sight in 30 % of levels"));
  g_assert_null (strstr (subtitle, "like the test"));
  g_assert_null (strstr (subtitle, "ahead"));

  /* A planner of planning depth 1 is named as one: not the same agent as the full planner. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("short-sighted"));
  subtitle = adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title));
  g_test_message ("subtitle “%s”", subtitle);
  g_assert_nonnull (strstr (subtitle, "Planner looking 1 step ahead"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
reached_iteration (MsWindow *window,
                   int       iteration)
{
  SimSnapshot *snapshot = sim_runner_get_snapshot (ms_window_get_runner (window));

  return snapshot != NULL && snapshot->config.agent == SIM_AGENT_MLP &&
         snapshot->iteration >= iteration;
}

/* The network agent from the settings: the Agent row's third entry, named in the subtitle
 * without a base optimizer, and it trains (the run moves on, with no answer key). */
static void
test_network_agent (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  MsControlsPanel *panel = ms_window_get_controls_panel (window);
  SimConfig config;
  GtkWidget *title;
  const char *subtitle;
  gint64 deadline;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for_frames (window, 0, 10000));
  /* The panel fills its own fields; the rest comes from the run. */
  sim_runner_get_config (ms_window_get_runner (window), &config);
  ms_controls_panel_get_config (panel, &config);
  config.agent = SIM_AGENT_MLP;
  config.iterations = 6;
  ms_controls_panel_set_config (panel, &config);
  ms_controls_panel_get_config (panel, &config);
  g_assert_cmpint (config.agent, ==, SIM_AGENT_MLP);
  g_assert_true (_ms_window_apply_config (window, &config, NULL));
  title = find_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
  subtitle = adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title));
  g_test_message ("subtitle “%s”", subtitle);
  g_assert_nonnull (strstr (subtitle, "Neural network"));
  g_assert_null (strstr (subtitle, "policy gradient"));

  sim_runner_set_speed (ms_window_get_runner (window), 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "play-pause", NULL);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!reached_iteration (window, 2) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (reached_iteration (window, 2));
  g_assert_null (sim_runner_get_snapshot (ms_window_get_runner (window))->true_objective);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/window/toggle-article", test_window_toggle_article);
  g_test_add_func ("/ui/window/open-notes", test_window_open_notes);
  g_test_add_func ("/ui/window/subtitle-words", test_subtitle_words);
  g_test_add_func ("/ui/window/network-agent", test_network_agent);
  return g_test_run ();
}
