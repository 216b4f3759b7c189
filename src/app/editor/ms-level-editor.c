/* ms-level-editor.c: a window to paint levels, check them, save them, and run the agent on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor holds its level in the canvas and keeps an undo history of whole levels (they are
 * small). Every change runs the level check, which explains in words what keeps the level from
 * being used (no start, no target, a target nothing can reach) and never fixes it silently.
 * This file is the window itself: the level check, the controls, undo, the palette and the
 * actions. Opening, saving and the questions about unsaved changes are in
 * ms-level-editor-files.c, "Run Agent" in ms-level-editor-agent.c; ms-level-editor-private.h
 * holds what they share.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-level-editor-private.h"

#define MAX_UNDO 200

G_DEFINE_FINAL_TYPE (MsLevelEditor, ms_level_editor, ADW_TYPE_WINDOW)

SimLevel *
ms_level_editor_blank_level (SimScenarioKind scenario,
                             int             width,
                             int             height)
{
  SimLevel *level = sim_level_new (scenario, width, height, 3 * MAX (width, height));

  level->start = 0;
  return level;
}

/* The level check. */

/* The editor's sentence for one problem of sim_level_check() in the level's scenario. */
static char *
problem_sentence (const SimLevel        *level,
                  const SimLevelProblem *p)
{
  switch (p->kind)
    {
    case SIM_LEVEL_PROBLEM_NO_START:
      return g_strdup (_("No start cell: paint one with Start (7)."));
    case SIM_LEVEL_PROBLEM_START_NOT_FLOOR:
      return g_strdup (_("The start is not on a floor cell: paint Start (7) on an empty "
                         "cell."));
    case SIM_LEVEL_PROBLEM_UNKNOWN_CELL:
      return g_strdup (_("The level holds cells of an unknown kind."));
    case SIM_LEVEL_PROBLEM_NO_TARGET:
      return g_strdup (level->scenario == SIM_SCENARIO_COIN
                         ? _("No coin: paint one with Coin (4).")
                         : _("No exit: paint one with Exit (5)."));
    case SIM_LEVEL_PROBLEM_TARGET_UNREACHABLE:
      return g_strdup (level->scenario == SIM_SCENARIO_COIN
                         ? _("The coin cannot be reached from the start: walls and lava block "
                             "every path.")
                         : _("The exit cannot be reached from the start: walls and lava block "
                             "every path."));
    case SIM_LEVEL_PROBLEM_NO_KEY:
      return g_strdup (_("No key: paint one with Key (8)."));
    case SIM_LEVEL_PROBLEM_KEY_UNREACHABLE:
      return g_strdup (_("No key can be reached from the start: walls and lava block every "
                         "path."));
    case SIM_LEVEL_PROBLEM_NO_CHEST:
      return g_strdup (_("No chest: paint one with Chest (9)."));
    case SIM_LEVEL_PROBLEM_CHEST_UNREACHABLE:
      return g_strdup (_("No chest can be reached from the start: walls and lava block every "
                         "path."));
    case SIM_LEVEL_PROBLEM_SEVERAL_COINS:
      return g_strdup (_("More than one coin: the episode ends at the first one the agent "
                         "enters."));
    case SIM_LEVEL_PROBLEM_NO_GREEN:
      return g_strdup (_("No green tile: nothing tempts the agent away from the exit. Paint "
                         "one with Green Tile (6)."));
    case SIM_LEVEL_PROBLEM_UNUSED_CELLS:
      switch (level->scenario)
        {
        case SIM_SCENARIO_COIN:
          return g_strdup (_("Exits, green tiles, keys and chests do nothing in the Coin "
                             "scenario (exits still end the episode)."));
        case SIM_SCENARIO_GREEN_EXIT:
          return g_strdup (_("Coins, keys and chests do nothing in the Green Exit scenario "
                             "(coins still end the episode)."));
        case SIM_SCENARIO_KEYS_CHESTS:
        case SIM_N_SCENARIOS:
        default:
          return g_strdup (_("Coins, exits and green tiles do nothing in the Keys and Chests "
                             "scenario."));
        }
    case SIM_N_LEVEL_PROBLEMS:
    default:
      return g_strdup ("?");
    }
}

char **
ms_level_check (const SimLevel *level,
                int            *n_errors)
{
  g_autoptr (GArray) problems = NULL;
  GPtrArray *all = g_ptr_array_new ();
  int errors = 0;

  g_return_val_if_fail (level != NULL, NULL);

  problems = sim_level_check (level);
  for (guint i = 0; i < problems->len; i++)
    {
      const SimLevelProblem *p = &g_array_index (problems, SimLevelProblem, i);

      errors += SIM_LEVEL_PROBLEM_IS_ERROR (p->kind);
      g_ptr_array_add (all, problem_sentence (level, p));
    }
  if (n_errors != NULL)
    *n_errors = errors;
  g_ptr_array_add (all, NULL);
  return (char **) g_ptr_array_free (all, FALSE);
}

static GtkWidget *
check_row (const char *icon_name,
           const char *css_class,
           const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_valign (image, GTK_ALIGN_START);
  gtk_widget_add_css_class (image, css_class);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

void
ms_level_editor_clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
update_check (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);
  g_auto (GStrv) problems = NULL;
  int n_errors = 0;

  ms_level_editor_clear_list (self->problems_list);
  if (level == NULL)
    return;
  problems = ms_level_check (level, &n_errors);
  for (int i = 0; problems[i] != NULL; i++)
    gtk_list_box_append (self->problems_list,
                         check_row (i < n_errors ? "dialog-error-symbolic"
                                                 : "dialog-warning-symbolic",
                                    i < n_errors ? "error" : "warning", problems[i]));
  if (problems[0] == NULL)
    {
      const char *ready;

      switch (level->scenario)
        {
        case SIM_SCENARIO_GREEN_EXIT:
          ready = _("Ready: the exit can be reached from the start.");
          break;
        case SIM_SCENARIO_KEYS_CHESTS:
          ready = _("Ready: a key and a chest can be reached from the start.");
          break;
        case SIM_SCENARIO_COIN:
        case SIM_N_SCENARIOS:
        default:
          ready = _("Ready: the coin can be reached from the start.");
          break;
        }
      gtk_list_box_append (self->problems_list, check_row ("emblem-ok-symbolic", "success",
                                                           ready));
    }
}

/* Window state. */

static void
update_title (MsLevelEditor *self)
{
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  gboolean modified = ms_level_editor_get_modified (self);

  if (self->file != NULL)
    name = g_file_get_basename (self->file);
  else
    name = g_strdup (_("Unsaved level"));
  /* Translators: marks a file with unsaved changes */
  subtitle = modified ? g_strdup_printf (_("%s (modified)"), name) : g_strdup (name);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
update_actions (MsLevelEditor *self)
{
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "undo");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->undo->len > 0);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "redo");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->redo->len > 0);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "run-agent");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->runner != NULL);
}

/* The controls show the level's scenario and size. */
static void
sync_controls (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);

  if (level == NULL)
    return;
  self->updating = TRUE;
  adw_combo_row_set_selected (self->scenario_row, level->scenario);
  gtk_spin_button_set_value (self->width_spin, level->width);
  gtk_spin_button_set_value (self->height_spin, level->height);
  gtk_spin_button_set_value (self->horizon_spin, level->horizon);
  self->updating = FALSE;
}

/* After any change of the level: check it, drop a stale agent result, update the title. */
static void
level_changed (MsLevelEditor *self)
{
  self->serial++;
  if (self->has_outcome || self->agent_text != NULL)
    {
      ms_level_editor_clear_outcome (self);
      ms_level_editor_set_agent_text (self, NULL);
    }
  update_check (self);
  update_title (self);
  update_actions (self);
}

void
ms_level_editor_push_undo (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);

  if (level == NULL)
    return;
  if (self->undo->len >= MAX_UNDO)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_add (self->undo, sim_level_copy (level));
  g_ptr_array_set_size (self->redo, 0);
}

/* Replaces the level (the canvas copies it) and refreshes everything. */
void
ms_level_editor_replace_level (MsLevelEditor  *self,
                               const SimLevel *level)
{
  ms_level_canvas_set_level (self->canvas, level);
  sync_controls (self);
  level_changed (self);
}

/* Shows title in bold above detail (may be NULL), an engine message "FILE:LINE:COL: what";
 * the place 0:0 that the engine gives to errors about a whole file is left out. */
void
ms_level_editor_show_message (MsLevelEditor *self,
                              const char    *title,
                              const char    *detail)
{
  g_autoptr (GString) place = g_string_new (detail);
  g_autofree char *markup = NULL;

  g_string_replace (place, ":0:0: ", ": ", 0);
  g_free (self->message);
  if (detail != NULL)
    {
      self->message = g_strdup_printf ("%s\n%s", title, place->str);
      markup = g_markup_printf_escaped ("<b>%s</b>\n%s", title, place->str);
    }
  else
    {
      self->message = g_strdup (title);
      markup = g_markup_printf_escaped ("<b>%s</b>", title);
    }
  gtk_label_set_markup (self->message_label, markup);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
}

void
ms_level_editor_hide_message (MsLevelEditor *self)
{
  g_clear_pointer (&self->message, g_free);
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

void
ms_level_editor_set_file (MsLevelEditor *self,
                          GFile         *file)
{
  if (file != self->file)
    {
      g_clear_object (&self->file);
      self->file = file != NULL ? g_object_ref (file) : NULL;
    }
  g_clear_pointer (&self->saved, sim_level_unref);
  if (ms_level_canvas_get_level (self->canvas) != NULL)
    self->saved = sim_level_copy (ms_level_canvas_get_level (self->canvas));
  update_title (self);
}

/* Canvas signals. */

static void
stroke_begin_cb (MsLevelEditor *self)
{
  ms_level_editor_hide_message (self);
  ms_level_editor_push_undo (self);
}

static void
canvas_changed_cb (MsLevelEditor *self)
{
  level_changed (self);
}

/* Level controls. */

/* A copy of level resized to width × height, keeping the top-left corner where it is. The
 * horizon follows the size while it is the default for the old size. */
static SimLevel *
resize_level (const SimLevel *level,
              int             width,
              int             height)
{
  int dy = height - level->height;
  int horizon = level->horizon == 3 * MAX (level->width, level->height)
                  ? 3 * MAX (width, height) : level->horizon;
  SimLevel *out = sim_level_new (level->scenario, width, height, horizon);

  out->start = -1;
  for (int y = 0; y < level->height; y++)
    for (int x = 0; x < level->width; x++)
      {
        int ny = y + dy;

        if (x >= width || ny < 0 || ny >= height)
          continue;
        out->cells[sim_level_index (out, x, ny)] = level->cells[sim_level_index (level, x, y)];
        if (sim_level_index (level, x, y) == level->start)
          out->start = sim_level_index (out, x, ny);
      }
  return out;
}

static void
scenario_changed_cb (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);
  guint selected = adw_combo_row_get_selected (self->scenario_row);
  g_autoptr (SimLevel) copy = NULL;

  if (self->updating || level == NULL || selected >= SIM_N_SCENARIOS ||
      selected == (guint) level->scenario)
    return;
  copy = sim_level_copy (level);
  copy->scenario = (SimScenarioKind) selected;
  ms_level_editor_push_undo (self);
  ms_level_editor_replace_level (self, copy);
}

static void
size_changed_cb (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);
  int width = gtk_spin_button_get_value_as_int (self->width_spin);
  int height = gtk_spin_button_get_value_as_int (self->height_spin);
  g_autoptr (SimLevel) resized = NULL;

  if (self->updating || level == NULL || (width == level->width && height == level->height))
    return;
  resized = resize_level (level, width, height);
  ms_level_editor_push_undo (self);
  ms_level_editor_replace_level (self, resized);
}

static void
horizon_changed_cb (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);
  int horizon = gtk_spin_button_get_value_as_int (self->horizon_spin);
  g_autoptr (SimLevel) copy = NULL;

  if (self->updating || level == NULL || horizon == level->horizon)
    return;
  copy = sim_level_copy (level);
  copy->horizon = horizon;
  ms_level_editor_push_undo (self);
  ms_level_editor_replace_level (self, copy);
}

/* Closing asks first while the level has unsaved changes (ms-level-editor-files.c). */
static gboolean
ms_level_editor_close_request (GtkWindow *window)
{
  MsLevelEditor *self = MS_LEVEL_EDITOR (window);

  if (self->close_confirmed || !ms_level_editor_get_modified (self))
    return GTK_WINDOW_CLASS (ms_level_editor_parent_class)->close_request (window);
  ms_level_editor_confirm_then (self, MS_LEVEL_EDITOR_THEN_CLOSE);
  return TRUE;
}

/* Actions. */

static void
tool_changed (GSimpleAction *action,
              GVariant      *value,
              gpointer       user_data)
{
  MsLevelEditor *self = user_data;
  MsLevelTool tool;

  if (!ms_level_tool_from_string (g_variant_get_string (value, NULL), &tool))
    return;
  g_simple_action_set_state (action, value);
  ms_level_canvas_set_tool (self->canvas, tool);
}

static void
paint_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  MsLevelEditor *self = user_data;
  const char *name;
  MsLevelTool tool;
  int x, y;

  g_variant_get (parameter, "(ii&s)", &x, &y, &name);
  if (ms_level_tool_from_string (name, &tool))
    ms_level_canvas_paint (self->canvas, x, y, tool);
}

static void
new_activated (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  ms_level_editor_confirm_then (MS_LEVEL_EDITOR (user_data), MS_LEVEL_EDITOR_THEN_NEW);
}

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ms_level_editor_confirm_then (MS_LEVEL_EDITOR (user_data),
                                MS_LEVEL_EDITOR_THEN_OPEN_DIALOG);
}

static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ms_level_editor_save (MS_LEVEL_EDITOR (user_data));
}

static void
save_as_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ms_level_editor_show_save_dialog (MS_LEVEL_EDITOR (user_data));
}

static void
undo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MsLevelEditor *self = user_data;
  g_autoptr (SimLevel) level = NULL;

  if (self->undo->len == 0)
    return;
  level = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  g_ptr_array_add (self->redo, sim_level_copy (ms_level_canvas_get_level (self->canvas)));
  ms_level_editor_replace_level (self, level);
}

static void
redo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MsLevelEditor *self = user_data;
  g_autoptr (SimLevel) level = NULL;

  if (self->redo->len == 0)
    return;
  level = g_ptr_array_steal_index (self->redo, self->redo->len - 1);
  g_ptr_array_add (self->undo, sim_level_copy (ms_level_canvas_get_level (self->canvas)));
  ms_level_editor_replace_level (self, level);
}

static void
run_agent_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ms_level_editor_run_agent (MS_LEVEL_EDITOR (user_data));
}

static void
close_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static const GActionEntry editor_actions[] = {
  { "tool", NULL, "s", "'wall'", tool_changed },
  { "paint", paint_activated, "(iis)", NULL, NULL },
  { "new", new_activated, NULL, NULL, NULL },
  { "open", open_activated, NULL, NULL, NULL },
  { "save", save_activated, NULL, NULL, NULL },
  { "save-as", save_as_activated, NULL, NULL, NULL },
  { "undo", undo_activated, NULL, NULL, NULL },
  { "redo", redo_activated, NULL, NULL, NULL },
  { "run-agent", run_agent_activated, NULL, NULL, NULL },
  { "close", close_activated, NULL, NULL, NULL },
};

/* The palette: one toggle button per tool, with the cell drawn as on the level and its key. */

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  MsLevelEditor *self = g_object_get_data (G_OBJECT (area), "editor");
  MsPlot *plot = MS_PLOT (self->canvas);
  const MsPalette *p = ms_plot_get_palette (plot);
  MsLevelTool tool = GPOINTER_TO_INT (user_data);
  double size = MIN (width, height);

  cairo_rectangle (cr, 0, 0, size, size);
  ms_plot_set_color (cr, &p->floor);
  cairo_fill_preserve (cr);
  ms_plot_set_color (cr, &p->floor_line);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  if (tool == MS_LEVEL_TOOL_START)
    ms_plot_draw_start (plot, cr, 0, 0, size);
  else if (tool != MS_LEVEL_TOOL_FLOOR)
    ms_plot_draw_cell (plot, cr, ms_level_tool_cell (tool), 0, 0, size);
}

static void
build_palette (MsLevelEditor *self)
{
  for (int i = 0; i < MS_LEVEL_N_TOOLS; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (ms_level_tool_label (i));
      GtkWidget *key;
      char digit[2] = { (char) ('1' + i), '\0' };
      g_autofree char *tooltip = NULL;

      g_object_set_data (G_OBJECT (swatch), "editor", self);
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 22);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 22);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                      GINT_TO_POINTER (i), NULL);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      key = gtk_label_new (digit);
      gtk_widget_add_css_class (key, "dim-label");
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), key);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "editor.tool");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                        ms_level_tool_to_string (i));
      /* Translators: a paint tool and its key, e.g. "Paint Lava (3)" */
      tooltip = g_strdup_printf (_("Paint %s (%s)"), ms_level_tool_label (i), digit);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tooltip, -1);
      gtk_grid_attach (self->palette_grid, button, i % 2, i / 2, 1, 1);
    }
}

static void
ms_level_editor_dispose (GObject *object)
{
  MsLevelEditor *self = MS_LEVEL_EDITOR (object);

  g_clear_object (&self->runner);
  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_LEVEL_EDITOR);

  G_OBJECT_CLASS (ms_level_editor_parent_class)->dispose (object);
}

static void
ms_level_editor_finalize (GObject *object)
{
  MsLevelEditor *self = MS_LEVEL_EDITOR (object);

  g_clear_object (&self->actions);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_pointer (&self->saved, sim_level_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->agent_text, g_free);

  G_OBJECT_CLASS (ms_level_editor_parent_class)->finalize (object);
}

static void
add_tool_binding (GtkWidgetClass *widget_class,
                  guint           keyval,
                  guint           kp_keyval,
                  MsLevelTool     tool)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, "editor.tool", "s",
                                       ms_level_tool_to_string (tool));
  gtk_widget_class_add_binding_action (widget_class, kp_keyval, 0, "editor.tool", "s",
                                       ms_level_tool_to_string (tool));
}

static void
ms_level_editor_class_init (MsLevelEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ms_level_editor_dispose;
  object_class->finalize = ms_level_editor_finalize;
  window_class->close_request = ms_level_editor_close_request;

  g_type_ensure (MS_TYPE_LEVEL_CANVAS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesascope/Mesascope/"
                                               "editor/ms-level-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, palette_grid);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, scenario_row);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, width_spin);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, height_spin);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, horizon_spin);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, canvas);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, problems_list);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, run_button);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, agent_label);
  gtk_widget_class_bind_template_child (widget_class, MsLevelEditor, outcome_list);
  gtk_widget_class_bind_template_callback (widget_class, stroke_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, canvas_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, scenario_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, size_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, horizon_changed_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "hide_message",
                                                G_CALLBACK (ms_level_editor_hide_message));

  add_tool_binding (widget_class, GDK_KEY_1, GDK_KEY_KP_1, MS_LEVEL_TOOL_WALL);
  add_tool_binding (widget_class, GDK_KEY_2, GDK_KEY_KP_2, MS_LEVEL_TOOL_FLOOR);
  add_tool_binding (widget_class, GDK_KEY_3, GDK_KEY_KP_3, MS_LEVEL_TOOL_LAVA);
  add_tool_binding (widget_class, GDK_KEY_4, GDK_KEY_KP_4, MS_LEVEL_TOOL_COIN);
  add_tool_binding (widget_class, GDK_KEY_5, GDK_KEY_KP_5, MS_LEVEL_TOOL_EXIT);
  add_tool_binding (widget_class, GDK_KEY_6, GDK_KEY_KP_6, MS_LEVEL_TOOL_GREEN);
  add_tool_binding (widget_class, GDK_KEY_7, GDK_KEY_KP_7, MS_LEVEL_TOOL_START);
  add_tool_binding (widget_class, GDK_KEY_8, GDK_KEY_KP_8, MS_LEVEL_TOOL_KEY);
  add_tool_binding (widget_class, GDK_KEY_9, GDK_KEY_KP_9, MS_LEVEL_TOOL_CHEST);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "editor.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "editor.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "editor.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "editor.run-agent", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "editor.close", NULL);
}

static void
ms_level_editor_init (MsLevelEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_level_unref);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_level_unref);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), editor_actions,
                                   G_N_ELEMENTS (editor_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "editor", G_ACTION_GROUP (self->actions));

  build_palette (self);

  ms_level_editor_init_files (self);

  ms_level_editor_set_agent_text (self, NULL);
  ms_level_editor_clear_outcome (self);

  /* The editor opens on the grid: arrows move its cursor and Enter paints at once, instead of
   * reaching the header bar's buttons (Enter there saved). */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->canvas));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

MsLevelEditor *
ms_level_editor_new (GtkWindow      *parent,
                     SimRunner      *runner,
                     const SimLevel *level)
{
  MsLevelEditor *self = g_object_new (MS_TYPE_LEVEL_EDITOR, NULL);
  g_autoptr (SimLevel) fresh = NULL;

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
      gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
    }
  if (runner != NULL)
    self->runner = g_object_ref (runner);
  if (level == NULL)
    level = fresh = ms_level_editor_blank_level (SIM_SCENARIO_COIN, 8, 8);
  ms_level_editor_replace_level (self, level);
  ms_level_editor_set_file (self, NULL);
  return self;
}

MsLevelCanvas *
ms_level_editor_get_canvas (MsLevelEditor *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), NULL);

  return self->canvas;
}

const SimLevel *
ms_level_editor_get_level (MsLevelEditor *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), NULL);

  return ms_level_canvas_get_level (self->canvas);
}

void
ms_level_editor_set_level (MsLevelEditor  *self,
                           const SimLevel *level)
{
  g_return_if_fail (MS_IS_LEVEL_EDITOR (self));
  g_return_if_fail (level != NULL);

  ms_level_editor_push_undo (self);
  ms_level_editor_replace_level (self, level);
}

GFile *
ms_level_editor_get_file (MsLevelEditor *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), NULL);

  return self->file;
}

gboolean
ms_level_editor_get_modified (MsLevelEditor *self)
{
  const SimLevel *level;

  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);

  level = ms_level_canvas_get_level (self->canvas);
  /* Compared with the level as last opened, saved or created (a level taken from the
   * dashboard counts as created). */
  return level != NULL && self->saved != NULL && !sim_level_equal (level, self->saved);
}

const char *
ms_level_editor_get_message (MsLevelEditor *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), NULL);

  return self->message;
}
