/* test-focus.c: the main window can be used from the keyboard alone: Tab walks a cycle through
 * every control of the header bar, the settings panel and the article panel, each control it
 * reaches has an accessible name, and an activated control does what a click does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "ms-article-panel.h"
#include "ms-controls-panel.h"
#include "ms-dashboard.h"
#include "ms-lessons.h"
#include "ms-plot.h"
#include "ms-window-tests.h"
#include "ms-window.h"

/* More Tab presses than the window has controls: a chain that has not come back by then
 * traps the keyboard. */
#define MAX_STEPS 400

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

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

/* Lets the flaps finish their transitions and the window lay out and draw again. */
static void
settle (MsWindow *window)
{
  gboolean timed_out = FALSE;

  g_timeout_add (600, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wait_for_frames (window, ms_window_get_frame_count (window), 10000));
}

/* A window with both the settings and the article shown: wide enough for both beside the
 * dashboard (in a narrower one, showing one closes the other; ms-window-panel.c). */
static MsWindow *
open_window (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  g_autoptr (GVariant) controls = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for_frames (window, 0, 10000));

  controls = g_action_group_get_action_state (G_ACTION_GROUP (window), "toggle-controls");
  g_assert_nonnull (controls);
  if (!g_variant_get_boolean (controls))
    g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-controls", NULL);
  if (!ms_window_get_article_visible (window))
    g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
  g_assert_true (ms_window_get_article_visible (window));
  settle (window);
  return window;
}

/* Widgets a keyboard user operates: the stock controls, and any focusable widget that tells
 * assistive technologies it is one (a resize handle is a focusable separator). Activatable rows
 * are handled by the caller. */
static gboolean
is_control (GtkWidget *widget)
{
  if (gtk_widget_get_focusable (widget))
    switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
      {
      case GTK_ACCESSIBLE_ROLE_BUTTON:
      case GTK_ACCESSIBLE_ROLE_CHECKBOX:
      case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
      case GTK_ACCESSIBLE_ROLE_LINK:
      case GTK_ACCESSIBLE_ROLE_RADIO:
      case GTK_ACCESSIBLE_ROLE_SEPARATOR:
      case GTK_ACCESSIBLE_ROLE_SLIDER:
      case GTK_ACCESSIBLE_ROLE_SWITCH:
      case GTK_ACCESSIBLE_ROLE_TAB:
        return TRUE;
      default:
        break;
      }
  return GTK_IS_BUTTON (widget) ||
         GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_SWITCH (widget) ||
         GTK_IS_SPIN_BUTTON (widget) ||
         GTK_IS_CHECK_BUTTON (widget) ||
         GTK_IS_SCALE (widget) ||
         GTK_IS_DROP_DOWN (widget) ||
         GTK_IS_EDITABLE (widget) ||
         GTK_IS_TEXT_VIEW (widget);
}

static gboolean
is_shown (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) &&
         gtk_widget_is_sensitive (widget) &&
         gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

/* Every control on screen below root, and every activatable row (a combo row or an action row
 * with a switch opens or toggles on Enter). The parts of a control (the text of a spin button,
 * the toggle inside a menu button) are not listed apart from it. */
static void
collect_controls (GtkWidget *root,
                  GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* GTK keeps the window's own buttons (close, maximize) out of the Tab chain. */
      if (GTK_IS_NATIVE (child) || GTK_IS_WINDOW_CONTROLS (child) || !is_shown (child))
        continue;
      if (is_control (child))
        {
          g_ptr_array_add (out, child);
          continue;
        }
      if (GTK_IS_LIST_BOX_ROW (child) &&
          gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (child)))
        g_ptr_array_add (out, child);
      collect_controls (child, out);
    }
}

/* The control a focused widget belongs to: the spin button of its text, the menu button of
 * its toggle, or the widget itself. */
static GtkWidget *
owning_control (GtkWidget *focus)
{
  for (GtkWidget *w = gtk_widget_get_parent (focus); w != NULL; w = gtk_widget_get_parent (w))
    {
      if (GTK_IS_NATIVE (w))
        break;
      if (GTK_IS_SPIN_BUTTON (w) || GTK_IS_MENU_BUTTON (w) || GTK_IS_DROP_DOWN (w) ||
          GTK_IS_SEARCH_ENTRY (w) || GTK_IS_ENTRY (w) || GTK_IS_PASSWORD_ENTRY (w))
        return w;
    }
  return focus;
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* The widget's type, its text or tooltip, and the types of its parents, for messages. */
static char *
describe (GtkWidget *widget)
{
  const char *text = gtk_widget_get_tooltip_text (widget);
  GString *s = g_string_new (G_OBJECT_TYPE_NAME (widget));

  if (GTK_IS_BUTTON (widget) && has_text (gtk_button_get_label (GTK_BUTTON (widget))))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  else if (ADW_IS_PREFERENCES_ROW (widget))
    text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (text != NULL)
    g_string_append_printf (s, " “%s”", text);
  g_string_append (s, " in");
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    g_string_append_printf (s, " %s", G_OBJECT_TYPE_NAME (w));
  return g_string_free (s, FALSE);
}

/* The widget below root (not root itself) that widget says it is labelled by, or NULL. */
static GtkWidget *
find_labelled_by (GtkWidget *widget,
                  GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *mismatch = NULL;
      GtkWidget *found;

      mismatch = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                     child, NULL);
      if (mismatch == NULL)
        return child;
      if ((found = find_labelled_by (widget, child)) != NULL)
        return found;
    }
  return NULL;
}

/* Whether a screen reader has a name to read for widget: a non-empty accessible label, or a
 * labelled-by relation to a label with text (an icon button is labelled by its image, which
 * names nothing). *source says which. Tooltips do not count. */
static gboolean
has_accessible_name (GtkWidget   *widget,
                     GtkWidget   *root,
                     const char **source)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  GtkWidget *target;

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      g_autofree char *empty = gtk_test_accessible_check_property (accessible,
                                                                   GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                   "");

      if (empty != NULL)
        {
          *source = "an accessible label";
          return TRUE;
        }
    }
  if (!gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return FALSE;
  target = find_labelled_by (widget, widget);
  if (target == NULL)
    target = find_labelled_by (widget, root);
  if (target != NULL && GTK_IS_LABEL (target) && has_text (gtk_label_get_text (GTK_LABEL (target))))
    {
      *source = "a label it is labelled by";
      return TRUE;
    }
  if (target != NULL && !GTK_IS_LABEL (target) &&
      gtk_test_accessible_has_property (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      *source = "a widget it is labelled by";
      return TRUE;
    }
  return FALSE;
}

/* Presses Tab (or Shift+Tab) until the focus comes back to where it started; the focused
 * widgets in order, or NULL when it does not come back within MAX_STEPS. */
static GPtrArray *
walk_focus_chain (MsWindow        *window,
                  GtkDirectionType direction)
{
  GtkWidget *first;
  g_autoptr (GPtrArray) chain = g_ptr_array_new ();

  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), direction));
  first = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (first);
  g_ptr_array_add (chain, first);

  for (guint step = 0; step < MAX_STEPS; step++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), direction));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      if (focus == first)
        return g_steal_pointer (&chain);
      g_ptr_array_add (chain, focus);
    }
  return NULL;
}

static gboolean
chain_reaches (GPtrArray *chain,
               GtkWidget *control)
{
  for (guint i = 0; i < chain->len; i++)
    {
      GtkWidget *focus = g_ptr_array_index (chain, i);

      if (focus == control || gtk_widget_is_ancestor (focus, control))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)) != NULL)
        return found;
    }
  return NULL;
}

/* The shown widget below root bound to action `name`, or NULL. */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) && is_shown (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), name) == 0)
        return child;
      if ((found = find_actionable (child, name)) != NULL)
        return found;
    }
  return NULL;
}

static void
find_all (GtkWidget *root,
          GType      type,
          GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (out, child);
      find_all (child, type, out);
    }
}

static void
test_focus_chain (void)
{
  MsWindow *window = open_window ();
  GtkWidget *header = find_descendant (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR);
  GtkWidget *controls = GTK_WIDGET (ms_window_get_controls_panel (window));
  GtkWidget *article = ms_window_get_article_panel (window);
  GtkWidget *dashboard = GTK_WIDGET (ms_window_get_dashboard (window));
  GtkWidget *handle = ms_window_get_panel_handle (window);
  static const char *header_actions[] = {
    "win.toggle-controls", "win.play-pause", "win.step", "win.reset", "win.toggle-article",
  };
  g_autoptr (GPtrArray) chain = NULL;
  g_autoptr (GPtrArray) shown = g_ptr_array_new ();
  g_autoptr (GPtrArray) menu_buttons = g_ptr_array_new ();
  g_autoptr (GPtrArray) article_buttons = g_ptr_array_new ();
  g_autoptr (GPtrArray) plots = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  gboolean has_primary = FALSE;
  guint n_named_menus = 0;
  guint n_rows = 0;
  guint n_spins = 0;
  guint n_switches = 0;
  guint n_article_buttons = 0;

  g_assert_nonnull (header);
  g_assert_true (gtk_widget_get_mapped (controls));
  g_assert_true (gtk_widget_get_mapped (article));

  /* Tab comes back to where it started, and visits each widget once on the way. */
  chain = walk_focus_chain (window, GTK_DIR_TAB_FORWARD);
  if (chain == NULL)
    g_error ("Tab did not come back to the first widget within %d presses", MAX_STEPS);
  g_test_message ("%u widgets in the focus chain", chain->len);
  for (guint i = 0; i < chain->len; i++)
    {
      GtkWidget *focus = g_ptr_array_index (chain, i);
      GtkWidget *control = owning_control (focus);
      g_autofree char *what = describe (control);
      const char *source = NULL;

      g_assert_false (g_hash_table_contains (seen, focus));
      g_hash_table_add (seen, focus);
      /* No focus on what cannot be seen. */
      if (!is_shown (focus))
        g_error ("focus on %s, which is not shown", what);
      /* Every widget Tab reaches has a name: its own, or that of the control it is part of
       * (the text of a spin button). */
      if (!has_accessible_name (focus, GTK_WIDGET (window), &source) &&
          !has_accessible_name (control, GTK_WIDGET (window), &source))
        g_error ("%s has no accessible name%s", what,
                 has_text (gtk_widget_get_tooltip_text (control)) ? ", only a tooltip" : "");
      g_test_message ("%3u %s, named by %s", i, what, source);
    }

  /* Each control on screen is reached, whoever added it. */
  collect_controls (GTK_WIDGET (window), shown);
  for (guint i = 0; i < shown->len; i++)
    {
      GtkWidget *control = g_ptr_array_index (shown, i);
      g_autofree char *what = describe (control);

      if (!chain_reaches (chain, control))
        g_error ("%s is on screen but Tab never reaches it", what);
    }
  g_test_message ("%u controls on screen, all reached", shown->len);

  /* Among them the ones this window is known to have: the header bar, ... */
  for (guint i = 0; i < G_N_ELEMENTS (header_actions); i++)
    {
      GtkWidget *button = find_actionable (header, header_actions[i]);

      if (button == NULL)
        g_error ("no button for %s in the header bar", header_actions[i]);
      if (!chain_reaches (chain, button))
        g_error ("Tab never reaches the button for %s", header_actions[i]);
    }
  find_all (header, GTK_TYPE_MENU_BUTTON, menu_buttons);
  for (guint i = 0; i < menu_buttons->len; i++)
    {
      GtkMenuButton *button = g_ptr_array_index (menu_buttons, i);

      if (!is_shown (GTK_WIDGET (button)))
        continue;
      g_assert_true (chain_reaches (chain, GTK_WIDGET (button)));
      if (gtk_menu_button_get_primary (button))
        has_primary = TRUE;
      else if (has_text (gtk_menu_button_get_label (button)))
        n_named_menus++;
    }
  g_assert_true (has_primary);              /* the main menu */
  g_assert_cmpuint (n_named_menus, >=, 1);  /* Demos */

  /* ... the settings panel, ... */
  for (guint i = 0; i < shown->len; i++)
    {
      GtkWidget *control = g_ptr_array_index (shown, i);

      if (!gtk_widget_is_ancestor (control, controls))
        continue;
      if (ADW_IS_COMBO_ROW (control))
        n_rows++;
      else if (GTK_IS_SPIN_BUTTON (control))
        n_spins++;
      else if (GTK_IS_SWITCH (control))
        n_switches++;
    }
  g_test_message ("settings: %u combo rows, %u spin buttons, %u switches reached",
                  n_rows, n_spins, n_switches);
  g_assert_cmpuint (n_rows, >=, 5);
  g_assert_cmpuint (n_spins, >=, 3);
  g_assert_cmpuint (n_switches, >=, 2);

  /* ... the handle that resizes the article with Left and Right, ... */
  g_assert_true (chain_reaches (chain, handle));

  /* ... and the article: its search button, its section buttons and its text. */
  g_assert_true (chain_reaches (chain, find_descendant (article, GTK_TYPE_TEXT_VIEW)));
  find_all (article, GTK_TYPE_TOGGLE_BUTTON, article_buttons);
  for (guint i = 0; i < article_buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (article_buttons, i);

      if (!is_shown (button))
        continue;
      g_assert_true (chain_reaches (chain, button));
      n_article_buttons++;
    }
  g_assert_cmpuint (ms_article_panel_get_n_sections (MS_ARTICLE_PANEL (article)), >=, 2);
  g_assert_cmpuint (n_article_buttons, >=,
                    1 + ms_article_panel_get_n_sections (MS_ARTICLE_PANEL (article)));

  /* The plots: each describes its values to assistive technologies, and Tab stops on it so a
   * screen reader reads that description. */
  find_all (dashboard, MS_TYPE_PLOT, plots);
  g_assert_cmpuint (plots->len, >=, 5);
  for (guint i = 0; i < plots->len; i++)
    {
      GtkWidget *plot = g_ptr_array_index (plots, i);
      const char *description = ms_plot_get_description (MS_PLOT (plot));
      g_autofree char *what = describe (plot);
      g_autofree char *mismatch = NULL;

      if (!is_shown (plot))
        continue;
      if (!has_text (description))
        g_error ("%s has no accessible description", what);
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (plot),
                                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                     description);
      g_assert_null (mismatch);
      if (!gtk_widget_get_focusable (plot))
        g_error ("%s is not focusable: Tab cannot reach it", what);
      g_assert_true (chain_reaches (chain, plot));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Shift+Tab visits the same widgets as Tab, in the opposite order. */
static void
test_focus_backward (void)
{
  MsWindow *window = open_window ();
  g_autoptr (GPtrArray) forward = walk_focus_chain (window, GTK_DIR_TAB_FORWARD);
  g_autoptr (GPtrArray) backward = walk_focus_chain (window, GTK_DIR_TAB_BACKWARD);
  guint n, start;

  g_assert_nonnull (forward);
  g_assert_nonnull (backward);
  n = forward->len;
  g_assert_cmpuint (backward->len, ==, n);
  g_assert_true (g_ptr_array_find (forward, g_ptr_array_index (backward, 0), &start));
  for (guint i = 0; i < n; i++)
    g_assert_true (g_ptr_array_index (backward, i) ==
                   g_ptr_array_index (forward, (start + n - i) % n));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* With the settings and the article hidden, Tab skips them: no focus on hidden widgets. */
static void
test_focus_hidden_panels (void)
{
  MsWindow *window = open_window ();
  GtkWidget *controls = GTK_WIDGET (ms_window_get_controls_panel (window));
  GtkWidget *article = ms_window_get_article_panel (window);
  g_autoptr (GPtrArray) open = walk_focus_chain (window, GTK_DIR_TAB_FORWARD);
  g_autoptr (GPtrArray) closed = NULL;

  g_assert_nonnull (open);
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-controls", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-article", NULL);
  g_assert_false (ms_window_get_article_visible (window));
  settle (window);

  closed = walk_focus_chain (window, GTK_DIR_TAB_FORWARD);
  g_assert_nonnull (closed);
  g_test_message ("%u widgets in the focus chain with both panels open, %u with both closed",
                  open->len, closed->len);
  g_assert_cmpuint (closed->len, <, open->len);
  g_assert_cmpuint (closed->len, >=, 7);   /* the header bar stays */
  for (guint i = 0; i < closed->len; i++)
    {
      GtkWidget *focus = g_ptr_array_index (closed, i);
      g_autofree char *what = describe (focus);

      if (!is_shown (focus) || gtk_widget_is_ancestor (focus, controls) ||
          gtk_widget_is_ancestor (focus, article))
        g_error ("focus on the hidden %s", what);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Presses Tab until focus is on a widget `match` accepts; FALSE if a whole cycle has none. */
static gboolean
tab_to (MsWindow *window,
        gboolean (*match) (GtkWidget *widget))
{
  for (guint step = 0; step < MAX_STEPS; step++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus != NULL && match (focus))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_play_button (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "win.play-pause") == 0;
}

static gboolean
is_settings_switch (GtkWidget *widget)
{
  return GTK_IS_SWITCH (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) == NULL;
}

static gboolean
is_settings_spin (GtkWidget *widget)
{
  return GTK_IS_SPIN_BUTTON (owning_control (widget));
}

/* Iterates the main loop until the runner plays (or pauses); a button pressed from the keyboard
 * clicks when its short press animation ends. */
static gboolean
wait_for_playing (SimRunner *runner,
                  gboolean   playing)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (5000, timeout_cb, &timed_out);

  while (sim_runner_get_playing (runner) != playing && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* Iterates the main loop until the switch is in state `active`: it changes at the end of its
 * animation. */
static gboolean
wait_for_switch (GtkSwitch *sw,
                 gboolean   active)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (5000, timeout_cb, &timed_out);

  while (gtk_switch_get_active (sw) != active && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* What Enter or Space does on the focused control is what a click does. */
static void
test_focus_operate (void)
{
  MsWindow *window = open_window ();
  SimRunner *runner = ms_window_get_runner (window);
  GtkWidget *focus;
  gboolean active;

  /* Play and pause from the focused play button. */
  g_assert_false (sim_runner_get_playing (runner));
  g_assert_true (tab_to (window, is_play_button));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (gtk_widget_activate (focus));
  g_assert_true (wait_for_playing (runner, TRUE));
  g_assert_true (gtk_widget_activate (focus));
  g_assert_true (wait_for_playing (runner, FALSE));

  /* A switch of the settings toggles. */
  g_assert_true (tab_to (window, is_settings_switch));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (gtk_widget_is_ancestor (focus,
                                         GTK_WIDGET (ms_window_get_controls_panel (window))));
  active = gtk_switch_get_active (GTK_SWITCH (focus));
  g_assert_true (gtk_widget_activate (focus));
  g_assert_true (wait_for_switch (GTK_SWITCH (focus), !active));

  /* Hiding the settings (F8) with the focus in them does not leave it on a hidden widget,
   * and Tab goes on from there. */
  g_assert_true (tab_to (window, is_settings_spin));
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-controls", NULL);
  settle (window);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_test_message ("focus after hiding the settings: %s", focus ? G_OBJECT_TYPE_NAME (focus) : "none");
  g_assert_true (focus == NULL || is_shown (focus));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_true (is_shown (gtk_root_get_focus (GTK_ROOT (window))));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_demos_button (GtkWidget *widget)
{
  GtkWidget *menu_button = gtk_widget_get_ancestor (widget, GTK_TYPE_MENU_BUTTON);

  return menu_button != NULL &&
         g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (menu_button)),
                    "presets_button") == 0;
}

/* After a demonstration is chosen from the Demos menu, the focus is on Play: the Space or
 * Enter that comes next starts training, instead of opening the menu again. */
static void
test_focus_after_preset (void)
{
  MsWindow *window = open_window ();
  SimRunner *runner = ms_window_get_runner (window);
  GtkWidget *focus;

  g_assert_true (tab_to (window, is_demos_button));
  g_action_group_activate_action (G_ACTION_GROUP (window), "preset",
                                  g_variant_new_string ("coin-hidden"));
  settle (window);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (is_play_button (focus));
  g_assert_false (sim_runner_get_playing (runner));
  g_assert_true (gtk_widget_activate (focus));
  g_assert_true (wait_for_playing (runner, TRUE));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_action (GtkWidget  *widget,
            const char *name)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), name) == 0;
}

static gboolean
is_lesson_next (GtkWidget *widget)
{
  return has_action (widget, "win.lesson-next");
}

static gboolean
is_lesson_back (GtkWidget *widget)
{
  return has_action (widget, "win.lesson-back");
}

static gboolean
is_lesson_close (GtkWidget *widget)
{
  return has_action (widget, "win.lesson-close");
}

/* A lesson chosen from the Demos menu takes the focus to its Next button, so Space and Enter
 * go on with it; Back, switched off on the first step, hands the focus on to Next; closing
 * the lesson from its bar leaves the focus on Play. */
static void
test_focus_lesson (void)
{
  MsWindow *window = open_window ();
  const MsLesson *lesson = ms_lessons_get (0);
  GtkWidget *focus;

  g_assert_cmpint (lesson->n_steps, >=, 2);
  g_assert_true (tab_to (window, is_demos_button));
  g_action_group_activate_action (G_ACTION_GROUP (window), "lesson",
                                  g_variant_new_string (lesson->id));
  settle (window);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (is_lesson_next (focus));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "lesson-back"));

  /* Enter on Next: the second step, and Back is on. */
  g_assert_true (gtk_widget_activate (focus));
  settle (window);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "lesson-back"));
  g_assert_true (is_lesson_next (gtk_root_get_focus (GTK_ROOT (window))));

  /* Back from the second step switches Back off; the focus is on Next again. */
  g_assert_true (tab_to (window, is_lesson_back));
  g_assert_true (gtk_widget_activate (gtk_root_get_focus (GTK_ROOT (window))));
  settle (window);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "lesson-back"));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (is_lesson_next (focus));

  /* Close from the bar: the focus goes to Play. */
  g_assert_true (tab_to (window, is_lesson_close));
  g_assert_true (gtk_widget_activate (gtk_root_get_focus (GTK_ROOT (window))));
  settle (window);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "lesson-next"));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (is_play_button (focus));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  /* GTK's test accessibility backend keeps the properties and relations the widgets set, so
   * the test can read them back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/focus/chain", test_focus_chain);
  g_test_add_func ("/ui/focus/backward", test_focus_backward);
  g_test_add_func ("/ui/focus/hidden-panels", test_focus_hidden_panels);
  g_test_add_func ("/ui/focus/operate", test_focus_operate);
  g_test_add_func ("/ui/focus/after-preset", test_focus_after_preset);
  g_test_add_func ("/ui/focus/lesson", test_focus_lesson);
  return g_test_run ();
}
