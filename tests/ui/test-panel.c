/* test-panel.c: the article panel's width (handle, keyboard, remembered) and its text size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "ms-article-panel.h"
#include "ms-dashboard.h"
#include "ms-window-tests.h"
#include "ms-window.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until widget is width pixels wide, or 5 s pass. */
static gboolean
wait_for_width (GtkWidget *widget,
                int        width)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (5000, timeout_cb, &timed_out);

  while (gtk_widget_get_width (widget) != width && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return gtk_widget_get_width (widget) == width;
}

static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  GtkEventController *keys = NULL;
  GListModel *controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        keys = c;
    }
  g_assert_nonnull (keys);
  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, 0, &handled);
  g_assert_true (handled);
  g_object_unref (controllers);
}

/* The width is the one in GSettings, it changes from the keyboard on the handle, and a new
 * window opens with the width the last one left. */
static void
test_width (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  GtkWidget *panel = ms_window_get_article_panel (window);
  GtkWidget *handle = ms_window_get_panel_handle (window);

  g_settings_set_boolean (settings, "article-visible", TRUE);
  g_settings_set_int (settings, "article-width", 420);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for_width (panel, 420));

  /* The handle is a focusable separator between the dashboard and the panel. */
  g_assert_true (gtk_widget_get_focusable (handle));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (handle)), ==,
                   GTK_ACCESSIBLE_ROLE_SEPARATOR);
  press_key (handle, GDK_KEY_Left);
  g_assert_cmpint (g_settings_get_int (settings, "article-width"), >, 420);
  g_assert_true (wait_for_width (panel, g_settings_get_int (settings, "article-width")));
  press_key (handle, GDK_KEY_Right);
  press_key (handle, GDK_KEY_Right);
  g_assert_cmpint (g_settings_get_int (settings, "article-width"), <, 420);

  /* Never narrower than the minimum, never more than 60 % of the window. */
  for (int i = 0; i < 40; i++)
    press_key (handle, GDK_KEY_Right);
  g_assert_cmpint (g_settings_get_int (settings, "article-width"), ==, 280);
  for (int i = 0; i < 80; i++)
    press_key (handle, GDK_KEY_Left);
  g_assert_cmpint (g_settings_get_int (settings, "article-width"), <=, 1400 * 0.6);
  g_assert_cmpint (g_settings_get_int (settings, "article-width"), >, 600);

  g_settings_set_int (settings, "article-width", 500);
  gtk_window_destroy (GTK_WINDOW (window));

  window = g_object_new (MS_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for_width (ms_window_get_article_panel (window), 500));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "article-width");
}

/* The reader's zoom is remembered, and the presentation scale multiplies it. */
static void
test_text_size (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  MsArticlePanel *panel = MS_ARTICLE_PANEL (ms_window_get_article_panel (window));
  GtkWidget *dashboard = GTK_WIDGET (ms_window_get_dashboard (window));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpfloat (ms_article_panel_get_font_scale (panel), ==, 1.0);
  g_assert_cmpfloat (ms_article_panel_get_presentation_scale (panel), ==, 1.0);

  gtk_widget_activate_action (GTK_WIDGET (panel), "article.zoom-in", NULL);
  g_assert_cmpfloat (ms_article_panel_get_font_scale (panel), >, 1.0);
  g_assert_cmpfloat (g_settings_get_double (settings, "article-zoom"), ==,
                     ms_article_panel_get_font_scale (panel));

  g_object_set (dashboard, "scale", 1.75, NULL);
  g_assert_cmpfloat (ms_article_panel_get_presentation_scale (panel), ==, 1.75);
  g_object_set (dashboard, "scale", 1.0, NULL);
  g_assert_cmpfloat (ms_article_panel_get_presentation_scale (panel), ==, 1.0);

  g_settings_set_double (settings, "article-zoom", 1.5);
  g_assert_cmpfloat (ms_article_panel_get_font_scale (panel), ==, 1.5);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "article-zoom");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/panel/width", test_width);
  g_test_add_func ("/ui/panel/text-size", test_text_size);
  return g_test_run ();
}
