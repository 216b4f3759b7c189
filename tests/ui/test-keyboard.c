/* test-keyboard.c: keys pressed on the X server reach the main window as a class would press
 * them: Space plays and pauses, Right and period step whatever button has the focus, while a
 * text entry keeps its keys; Ctrl+Z undoes a change of settings outside text entries; a fresh window starts with the focus on Play; the level editor
 * opens with its grid focused
 *
 * The keys are XTest events: they take the whole way a real key press takes (the X server,
 * GDK, the window's capture and bubble phases, the focused widget).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

#include "ms-article-panel.h"
#include "ms-level-canvas.h"
#include "ms-level-editor.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "sim-runner.h"

#define WAIT_MS 10000

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main loop until cond (data) holds; FALSE if it still does not after WAIT_MS (a
 * guard against hanging, not a measure of speed). */
static gboolean
wait_until (Condition cond,
            gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_MS, timeout_cb, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond (data);
}

/* Whether the window has drawn since settle () or open_window () noted its frame count. */
static gboolean
frame_after (gpointer data)
{
  MsWindow *window = data;
  guint before = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "frames"));

  return ms_window_get_frame_count (window) > before;
}

/* Lets pending events and transitions finish: 600 ms of main loop, then a new frame. */
static void
settle (MsWindow *window)
{
  gboolean timed_out = FALSE;

  g_timeout_add (600, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_object_set_data (G_OBJECT (window), "frames",
                     GUINT_TO_POINTER (ms_window_get_frame_count (window)));
  g_assert_true (wait_until (frame_after, window));
}

/* Presses and releases the key for keyval on the X server, with the window holding the
 * keyboard focus. */
static void
press_key (GtkWindow *window,
           guint      keyval)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  Display *xdisplay;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  KeyCode code;
  int event_base, error_base, major, minor;

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  g_assert_true (XTestQueryExtension (xdisplay, &event_base, &error_base, &major, &minor));
  code = XKeysymToKeycode (xdisplay, keyval);
  g_assert_cmpuint (code, !=, 0);
  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XTestFakeKeyEvent (xdisplay, code, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, code, False, CurrentTime);
  XFlush (xdisplay);
}

/* The same with Control held. */
static void
press_control_key (GtkWindow *window,
                   guint      keyval)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  Display *xdisplay;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  KeyCode code, control;

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  code = XKeysymToKeycode (xdisplay, keyval);
  control = XKeysymToKeycode (xdisplay, GDK_KEY_Control_L);
  g_assert_cmpuint (code, !=, 0);
  g_assert_cmpuint (control, !=, 0);
  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XTestFakeKeyEvent (xdisplay, control, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, code, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, code, False, CurrentTime);
  XTestFakeKeyEvent (xdisplay, control, False, CurrentTime);
  XFlush (xdisplay);
}

static gboolean
playing_cb (gpointer data)
{
  return sim_runner_get_playing (ms_window_get_runner (data));
}

static gboolean
paused_cb (gpointer data)
{
  return !sim_runner_get_playing (ms_window_get_runner (data));
}

static int
iteration (MsWindow *window)
{
  SimSnapshot *snapshot = sim_runner_get_snapshot (ms_window_get_runner (window));

  return snapshot != NULL ? snapshot->iteration : 0;
}

typedef struct
{
  MsWindow *window;
  int iteration;
} IterationWait;

static gboolean
reached_cb (gpointer data)
{
  IterationWait *w = data;

  return iteration (w->window) >= w->iteration;
}

/* Presses keyval and waits until training has taken one more step than before. */
static void
step_with_key (MsWindow *window,
               guint     keyval)
{
  IterationWait w = { window, iteration (window) + 1 };

  g_assert_false (sim_runner_get_playing (ms_window_get_runner (window)));
  press_key (GTK_WINDOW (window), keyval);
  if (!wait_until (reached_cb, &w))
    g_error ("%s did not step: still at iteration %d", gdk_keyval_name (keyval),
             iteration (window));
  g_assert_cmpint (iteration (window), ==, w.iteration);
}

static MsWindow *
open_window (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_object_set_data (G_OBJECT (window), "frames", GUINT_TO_POINTER (0));
  g_assert_true (wait_until (frame_after, window));
  settle (window);
  return window;
}

/* The widget below root that the window's UI file names id. */
static GtkWidget *
find_by_id (GtkWidget  *root,
            const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (child)), id) == 0)
        return child;
      if ((found = find_by_id (child, id)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
state_of (MsWindow   *window,
          const char *action)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), action);

  return g_variant_get_boolean (state);
}

/* A fresh window has the focus on Play, and the first Space a class presses starts training;
 * the next pauses it; Right and period then take one step each. */
static void
test_first_key (void)
{
  MsWindow *window = open_window ();
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_nonnull (focus);
  g_test_message ("focus on launch: %s", G_OBJECT_TYPE_NAME (focus));
  g_assert_true (GTK_IS_BUTTON (focus));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), ==, "win.play-pause");
  g_assert_false (sim_runner_get_playing (ms_window_get_runner (window)));
  g_assert_cmpint (iteration (window), ==, 0);

  press_key (GTK_WINDOW (window), GDK_KEY_space);
  g_assert_true (wait_until (playing_cb, window));
  press_key (GTK_WINDOW (window), GDK_KEY_space);
  g_assert_true (wait_until (paused_cb, window));
  settle (window);

  step_with_key (window, GDK_KEY_Right);
  step_with_key (window, GDK_KEY_period);
  g_assert_false (state_of (window, "toggle-controls"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* With a button of the header bar focused (the settings toggle, the article toggle, Start Over),
 * Space plays and pauses instead of pressing the button, and Right steps instead of moving the
 * focus. */
static void
test_keys_on_buttons (void)
{
  MsWindow *window = open_window ();
  static const char *buttons[] = { "controls_button", "article_button", "reset_button" };
  gboolean article = ms_window_get_article_visible (window);

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = find_by_id (GTK_WIDGET (window), buttons[i]);

      g_assert_nonnull (button);
      g_assert_true (gtk_widget_grab_focus (button));
      g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == button);

      press_key (GTK_WINDOW (window), GDK_KEY_space);
      if (!wait_until (playing_cb, window))
        g_error ("Space with %s focused did not play", buttons[i]);
      press_key (GTK_WINDOW (window), GDK_KEY_space);
      g_assert_true (wait_until (paused_cb, window));
      settle (window);
      step_with_key (window, GDK_KEY_Right);
      settle (window);

      /* The button was not pressed, and the focus did not move. */
      g_assert_false (state_of (window, "toggle-controls"));
      g_assert_true (ms_window_get_article_visible (window) == article);
      g_assert_cmpint (iteration (window), >, 0);
      g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == button);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
perception_full (gpointer data)
{
  SimConfig config;

  sim_runner_get_config (ms_window_get_runner (data), &config);
  return config.perception == SIM_PERCEPTION_FULL;
}

static gboolean
entry_has_x (gpointer data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (data)), "x") == 0;
}

static gboolean
entry_empty (gpointer data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (data)), "") == 0;
}

/* Ctrl+Z undoes the last change of settings, except in a text field, where it undoes the
 * typing. */
static void
test_control_z (void)
{
  MsWindow *window = open_window ();
  GtkWidget *article = ms_window_get_article_panel (window);
  GtkWidget *entry;

  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("coin-hidden"));
  g_assert_false (perception_full (window));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo-settings"));
  /* The demo gives Play the focus once it is loaded. */
  settle (window);

  if (!ms_window_get_article_visible (window))
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
      settle (window);
    }
  ms_article_panel_start_search (MS_ARTICLE_PANEL (article));
  settle (window);
  entry = gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                   GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  press_key (GTK_WINDOW (window), GDK_KEY_x);
  g_assert_true (wait_until (entry_has_x, entry));
  press_control_key (GTK_WINDOW (window), GDK_KEY_z);
  g_assert_true (wait_until (entry_empty, entry));
  settle (window);
  g_assert_false (perception_full (window));

  /* Elsewhere it is the settings' Undo. */
  gtk_widget_grab_focus (GTK_WIDGET (window->play_button));
  settle (window);
  press_control_key (GTK_WINDOW (window), GDK_KEY_z);
  g_assert_true (wait_until (perception_full, window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo-settings"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
entry_has_space (gpointer data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (data)), " ") == 0;
}

static gboolean
entry_has_text (gpointer data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (data)), " .") == 0;
}

/* Space and period in a text entry are typed into it, and Right moves its cursor: none of
 * them plays or steps. */
static void
test_keys_kept_by_focus (void)
{
  MsWindow *window = open_window ();
  GtkWidget *article = ms_window_get_article_panel (window);
  GtkWidget *focus, *entry;

  if (!ms_window_get_article_visible (window))
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
      settle (window);
    }
  ms_article_panel_start_search (MS_ARTICLE_PANEL (article));
  settle (window);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (GTK_IS_EDITABLE (focus));
  entry = gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  press_key (GTK_WINDOW (window), GDK_KEY_space);
  g_assert_true (wait_until (entry_has_space, entry));
  settle (window);
  g_assert_false (sim_runner_get_playing (ms_window_get_runner (window)));
  g_assert_cmpint (iteration (window), ==, 0);

  /* Right and period in the entry stay there too. */
  press_key (GTK_WINDOW (window), GDK_KEY_period);
  g_assert_true (wait_until (entry_has_text, entry));
  press_key (GTK_WINDOW (window), GDK_KEY_Left);
  press_key (GTK_WINDOW (window), GDK_KEY_Right);
  settle (window);
  g_assert_cmpint (iteration (window), ==, 0);
  g_assert_false (sim_runner_get_playing (ms_window_get_runner (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
editor_drawn_cb (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

typedef struct
{
  MsLevelCanvas *canvas;
  int x, y;
  SimCell cell;     /* what the cell at (x, y) is to become */
} CursorWait;

static gboolean
cursor_at_cb (gpointer data)
{
  CursorWait *w = data;
  int x, y;

  ms_level_canvas_get_cursor (w->canvas, &x, &y);
  return x == w->x && y == w->y;
}

static gboolean
painted_cb (gpointer data)
{
  CursorWait *w = data;
  const SimLevel *level = ms_level_canvas_get_level (w->canvas);

  return sim_level_get (level, w->x, w->y) == w->cell;
}

/* The level editor (Ctrl+E) opens with its grid focused: arrows move the grid's cursor, a
 * digit chooses what to paint and Enter paints the cell there, and no other window (a Save
 * dialog) opens. */
static void
test_level_editor (void)
{
  MsWindow *window = open_window ();
  GtkWindow *editor;
  MsLevelCanvas *canvas;
  g_autoptr (GPtrArray) shown = g_ptr_array_new ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  CursorWait w;
  int x0, y0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.level-editor", NULL));
  editor = _ms_window_show_level_editor (window);
  g_assert_true (MS_IS_LEVEL_EDITOR (editor));
  canvas = ms_level_editor_get_canvas (MS_LEVEL_EDITOR (editor));
  g_assert_true (wait_until (editor_drawn_cb, canvas));
  settle (window);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (editor)) == GTK_WIDGET (canvas));

  /* Up, then Right (towards the middle of the grid wherever the cursor starts), then 3 (lava)
   * or 1 (wall, if there is lava already), then Enter. */
  ms_level_canvas_get_cursor (canvas, &x0, &y0);
  w = (CursorWait) { canvas, x0, y0 + 1, SIM_CELL_LAVA };
  if (w.y >= ms_level_canvas_get_level (canvas)->height)
    w.y = y0 - 1;
  press_key (editor, w.y > y0 ? GDK_KEY_Up : GDK_KEY_Down);
  g_assert_true (wait_until (cursor_at_cb, &w));
  w.x = x0 + 1 < ms_level_canvas_get_level (canvas)->width ? x0 + 1 : x0 - 1;
  press_key (editor, w.x > x0 ? GDK_KEY_Right : GDK_KEY_Left);
  g_assert_true (wait_until (cursor_at_cb, &w));
  if (sim_level_get (ms_level_canvas_get_level (canvas), w.x, w.y) == SIM_CELL_LAVA)
    w.cell = SIM_CELL_WALL;
  press_key (editor, w.cell == SIM_CELL_LAVA ? GDK_KEY_3 : GDK_KEY_1);
  press_key (editor, GDK_KEY_Return);
  if (!wait_until (painted_cb, &w))
    g_error ("Enter did not paint cell (%d, %d)", w.x, w.y);
  settle (window);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (editor)) == GTK_WIDGET (canvas));
  g_assert_true (ms_level_editor_get_modified (MS_LEVEL_EDITOR (editor)));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        g_ptr_array_add (shown, toplevel);
    }
  g_assert_cmpuint (shown->len, ==, 2);

  gtk_window_destroy (editor);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/keyboard/first-key", test_first_key);
  g_test_add_func ("/ui/keyboard/keys-on-buttons", test_keys_on_buttons);
  g_test_add_func ("/ui/keyboard/keys-kept-by-focus", test_keys_kept_by_focus);
  g_test_add_func ("/ui/keyboard/control-z", test_control_z);
  g_test_add_func ("/ui/keyboard/level-editor", test_level_editor);
  return g_test_run ();
}
