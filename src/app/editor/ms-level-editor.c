/* ms-level-editor.c: a window to paint levels, check them, save them, and run the agent on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor holds its level in the canvas and keeps an undo history of whole levels (they are
 * small). Every change runs the level check, which explains in words what keeps the level from
 * being used (no start, no target, a target nothing can reach) and never fixes it silently.
 * "Run Agent" queues a job on the training run's worker thread: between two iterations it
 * samples a few paths of the current agent on a copy of the level and computes the exact
 * outcome of its policy there; the result comes back on the main thread and is drawn on the
 * canvas, unless the level changed in the meantime.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gsl/gsl_rng.h>

#include "ms-level-editor.h"
#include "sim-train.h"

#define MAX_UNDO 200
/* Paths drawn on the canvas, and samples used to count keys and chests. */
#define N_DRAWN_PATHS 8
#define N_COUNTED_PATHS 64
#define AGENT_SEED 20240611

struct _MsLevelEditor
{
  AdwWindow parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  GtkGrid *palette_grid;
  AdwComboRow *scenario_row;
  GtkSpinButton *width_spin;
  GtkSpinButton *height_spin;
  GtkSpinButton *horizon_spin;
  GtkRevealer *message_revealer;
  GtkLabel *message_label;
  MsLevelCanvas *canvas;
  GtkListBox *problems_list;
  GtkButton *run_button;
  GtkLabel *agent_label;
  GtkListBox *outcome_list;

  GSimpleActionGroup *actions;
  SimRunner *runner;                    /* owned ref, may be NULL */

  GPtrArray *undo;                      /* SimLevel *, owned, oldest first */
  GPtrArray *redo;                      /* SimLevel *, owned, newest undo last */
  SimLevel *saved;                      /* the level as last opened or saved, owned */
  GFile *file;                          /* owned, may be NULL */
  char *message;                        /* the shown error message, owned */
  guint serial;                         /* counts edits; a job's result is for one serial */
  gboolean updating;                    /* controls are being set from the level */
  gboolean closing;                     /* close once the pending save succeeded */
  gboolean close_confirmed;

  int agent_busy;                       /* jobs queued and not yet destroyed */
  gboolean has_outcome;
  SimOutcome outcome;
  int outcome_iteration;
  gboolean has_pickups;                 /* keys and chests: mean counts over the samples */
  double keys;
  double chests;
  char *agent_text;                     /* owned */
};

G_DEFINE_FINAL_TYPE (MsLevelEditor, ms_level_editor, ADW_TYPE_WINDOW)

static const char *
scenario_label (SimScenarioKind scenario)
{
  switch (scenario)
    {
    case SIM_SCENARIO_GREEN_EXIT:
      return _("Green Exit");
    case SIM_SCENARIO_KEYS_CHESTS:
      return _("Keys and Chests");
    case SIM_SCENARIO_COIN:
    case SIM_N_SCENARIOS:
    default:
      return _("Coin");
    }
}

static SimLevel *
new_level (SimScenarioKind scenario,
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

static void
clear_list (GtkListBox *list)
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

  clear_list (self->problems_list);
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

static void
set_agent_text (MsLevelEditor *self,
                const char    *text)
{
  g_free (self->agent_text);
  self->agent_text = g_strdup (text);
  gtk_label_set_text (self->agent_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->agent_label), text != NULL && *text != '\0');
}

static void
clear_outcome (MsLevelEditor *self)
{
  self->has_outcome = FALSE;
  self->has_pickups = FALSE;
  clear_list (self->outcome_list);
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_list), FALSE);
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
      clear_outcome (self);
      set_agent_text (self, NULL);
    }
  update_check (self);
  update_title (self);
  update_actions (self);
}

static void
push_undo (MsLevelEditor *self)
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
static void
replace_level (MsLevelEditor  *self,
               const SimLevel *level)
{
  ms_level_canvas_set_level (self->canvas, level);
  sync_controls (self);
  level_changed (self);
}

/* Shows title in bold above detail (may be NULL), an engine message "FILE:LINE:COL: what";
 * the place 0:0 that the engine gives to errors about a whole file is left out. */
static void
show_message (MsLevelEditor *self,
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

static void
hide_message (MsLevelEditor *self)
{
  g_clear_pointer (&self->message, g_free);
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

static void
set_file (MsLevelEditor *self,
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
  hide_message (self);
  push_undo (self);
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
  push_undo (self);
  replace_level (self, copy);
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
  push_undo (self);
  replace_level (self, resized);
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
  push_undo (self);
  replace_level (self, copy);
}

/* Files. */

gboolean
ms_level_editor_open_file (MsLevelEditor *self,
                           GFile         *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not open “%s”: only local files can be opened."), name);
      show_message (self, message, NULL);
      return FALSE;
    }
  level = sim_level_load (path, &error);
  if (level == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_VERSION))
        message = g_strdup_printf (_("Could not open “%s”: it was written by a newer version "
                                     "of Mesascope."), name);
      else
        message = g_strdup_printf (_("Could not open “%s”."), name);
      show_message (self, message, error->message);
      return FALSE;
    }
  hide_message (self);
  push_undo (self);
  replace_level (self, level);
  set_file (self, file);
  return TRUE;
}

gboolean
ms_level_editor_save_to_file (MsLevelEditor *self,
                              GFile         *file)
{
  const SimLevel *level;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *toast = NULL;
  g_auto (GStrv) problems = NULL;
  int n_errors = 0;

  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  level = ms_level_canvas_get_level (self->canvas);
  name = g_file_get_basename (file);
  path = g_file_get_path (file);
  if (level == NULL)
    return FALSE;
  if (level->start < 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not save “%s”: the level has no start cell, and a level "
                           "file must have one. Paint one with Start (7)."), name);
      show_message (self, message, NULL);
      return FALSE;
    }
  if (path == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not save “%s”: only local files can be written."), name);
      show_message (self, message, NULL);
      return FALSE;
    }
  if (!sim_level_save (level, path, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save “%s”; nothing was "
                                                    "changed on disk."), name);
      show_message (self, message, error->message);
      return FALSE;
    }
  hide_message (self);
  set_file (self, file);
  problems = ms_level_check (level, &n_errors);
  if (n_errors > 0)
    toast = g_strdup_printf (_("Saved “%s”; it still has problems, see the level check"), name);
  else
    toast = g_strdup_printf (_("Saved “%s”"), name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (toast));
  return TRUE;
}

static GtkFileFilter *
level_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Mesascope levels"));
  gtk_file_filter_add_pattern (filter, "*.level");
  return filter;
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  MsLevelEditor   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        ms_level_editor_open_file (self, file);
    }
  g_object_unref (dialog);
}

static void
show_open_dialog (MsLevelEditor *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = level_filter ();

  dialog = gtk_file_chooser_native_new (_("Open Level"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (self->file != NULL)
    {
      g_autoptr (GFile) parent = g_file_get_parent (self->file);

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), parent, NULL);
    }
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  MsLevelEditor   *self)
{
  gboolean saved = FALSE;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        saved = ms_level_editor_save_to_file (self, file);
    }
  g_object_unref (dialog);
  if (self->closing && saved)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  self->closing = FALSE;
}

static void
show_save_dialog (MsLevelEditor *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = level_filter ();

  dialog = gtk_file_chooser_native_new (_("Save Level"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (self->file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), self->file, NULL);
  else
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("untitled.level"));
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save (MsLevelEditor *self)
{
  if (self->file == NULL)
    {
      show_save_dialog (self);
      return;
    }
  if (ms_level_editor_save_to_file (self, self->file) && self->closing)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  self->closing = FALSE;
}

/* Unsaved changes. */

typedef enum
{
  THEN_CLOSE,
  THEN_NEW,
  THEN_OPEN_DIALOG,
} ThenKind;

typedef struct
{
  MsLevelEditor *self;
  ThenKind then;
} Confirm;

static void
new_level_now (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);
  g_autoptr (SimLevel) fresh = NULL;

  fresh = level != NULL ? new_level (level->scenario, level->width, level->height)
                        : new_level (SIM_SCENARIO_COIN, 8, 8);
  hide_message (self);
  push_undo (self);
  replace_level (self, fresh);
  set_file (self, NULL);
}

static void
do_then (MsLevelEditor *self,
         ThenKind       then)
{
  switch (then)
    {
    case THEN_CLOSE:
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      break;
    case THEN_NEW:
      new_level_now (self);
      break;
    case THEN_OPEN_DIALOG:
    default:
      show_open_dialog (self);
      break;
    }
}

typedef struct
{
  MsLevelEditor *self;          /* owned ref */
  ThenKind then;
  gboolean save;
} ConfirmLater;

/* Runs after the dialog has finished closing: closing the editor from inside the dialog's own
 * response would pull its transient parent from under it. */
static void
confirm_later_cb (gpointer data)
{
  ConfirmLater *later = data;
  MsLevelEditor *self = later->self;

  if (!later->save)
    do_then (self, later->then);
  else if (later->then == THEN_CLOSE)
    {
      self->closing = TRUE;
      save (self);
    }
  else
    {
      save (self);
      if (!ms_level_editor_get_modified (self))
        do_then (self, later->then);
    }
  g_object_unref (later->self);
  g_free (later);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Confirm          *confirm)
{
  ConfirmLater *later;

  if (g_strcmp0 (response, "discard") != 0 && g_strcmp0 (response, "save") != 0)
    return;
  later = g_new0 (ConfirmLater, 1);
  later->self = g_object_ref (confirm->self);
  later->then = confirm->then;
  later->save = g_strcmp0 (response, "save") == 0;
  g_idle_add_once (confirm_later_cb, later);
}

/* Runs then at once, or after asking what to do with unsaved changes. */
static void
confirm_then (MsLevelEditor *self,
              ThenKind       then)
{
  AdwMessageDialog *dialog;
  Confirm *confirm;

  if (!ms_level_editor_get_modified (self))
    {
      do_then (self, then);
      return;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Save Changes?"),
                                                       _("The level has unsaved changes. "
                                                         "Changes you do not save are lost.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "discard", _("_Discard"),
                                    "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  confirm = g_new0 (Confirm, 1);
  confirm->self = self;
  confirm->then = then;
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_response_cb), confirm,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
ms_level_editor_close_request (GtkWindow *window)
{
  MsLevelEditor *self = MS_LEVEL_EDITOR (window);

  if (self->close_confirmed || !ms_level_editor_get_modified (self))
    return GTK_WINDOW_CLASS (ms_level_editor_parent_class)->close_request (window);
  confirm_then (self, THEN_CLOSE);
  return TRUE;
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MsLevelEditor *self)
{
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;
  return ms_level_editor_open_file (self, g_value_get_object (value));
}

/* The agent. */

typedef struct
{
  GWeakRef editor;
  guint serial;
  SimLevel *level;              /* owned copy; read on the worker */

  /* Written by the worker. */
  gboolean no_agent;
  gboolean wrong_scenario;
  SimScenarioKind run_scenario;
  int iteration;
  int n_iterations;
  int n_paths;
  int *cells;                   /* n_paths * (horizon + 1) */
  int offsets[N_DRAWN_PATHS];
  int lengths[N_DRAWN_PATHS];
  gboolean has_outcome;
  SimOutcome outcome;
  double keys;                  /* keys picked up and chests opened, mean over samples */
  double chests;
} AgentJob;

static void
agent_job_free (gpointer data)
{
  AgentJob *job = data;
  g_autoptr (MsLevelEditor) self = g_weak_ref_get (&job->editor);

  if (self != NULL)
    {
      self->agent_busy--;
      gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), self->agent_busy == 0);
    }
  g_weak_ref_clear (&job->editor);
  sim_level_unref (job->level);
  g_free (job->cells);
  g_free (job);
}

/* Keys picked up and chests opened along a sampled path. */
static void
count_pickups (const SimLevel *level,
               const int      *cells,
               int             n,
               int            *keys,
               int            *chests)
{
  g_autofree guint8 *used = g_malloc0 ((gsize) level->width * level->height);
  int held = 0;

  *keys = 0;
  *chests = 0;
  for (int i = 1; i < n; i++)
    {
      int s = cells[i];

      if (s < 0 || s >= level->width * level->height || used[s])
        continue;
      if (level->cells[s] == SIM_CELL_KEY)
        {
          used[s] = 1;
          held++;
          (*keys)++;
        }
      else if (level->cells[s] == SIM_CELL_CHEST && held > 0)
        {
          used[s] = 1;
          held--;
          (*chests)++;
        }
    }
}

/* On the worker thread. */
static void
agent_job_run (SimRunner *runner,
               gpointer   state,
               gpointer   user_data)
{
  AgentJob *job = user_data;
  SimTrain *train = sim_runner_job_get_train (runner, state);
  const SimLevel *level = job->level;
  int room = level->horizon + 1;
  int n_samples;
  g_autofree int *scratch = NULL;
  gsl_rng *rng;

  if (train == NULL)
    {
      job->no_agent = TRUE;
      return;
    }
  job->run_scenario = sim_train_get_config (train)->scenario;
  if (job->run_scenario != level->scenario)
    {
      job->wrong_scenario = TRUE;
      return;
    }
  job->iteration = sim_train_get_iteration (train);
  job->n_iterations = sim_train_get_n_iterations (train);

  /* A generator of our own, seeded the same every time: the run's is left alone, and the same
   * agent on the same level draws the same paths. */
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, AGENT_SEED);
  job->cells = g_new (int, (gsize) N_DRAWN_PATHS * room);
  scratch = g_new (int, room);
  n_samples = level->scenario == SIM_SCENARIO_KEYS_CHESTS ? N_COUNTED_PATHS : N_DRAWN_PATHS;
  for (int i = 0; i < n_samples; i++)
    {
      int *cells = i < N_DRAWN_PATHS ? job->cells + (gsize) i * room : scratch;
      int n = sim_train_sample_path (train, level, rng, cells);
      int keys, chests;

      if (i < N_DRAWN_PATHS)
        {
          job->offsets[i] = i * room;
          job->lengths[i] = n;
          job->n_paths++;
        }
      count_pickups (level, cells, n, &keys, &chests);
      job->keys += (double) keys / n_samples;
      job->chests += (double) chests / n_samples;
    }
  gsl_rng_free (rng);

  /* The exact outcome, from the agent's policy with the target in view. The keys-and-chests
   * agent re-plans on what it holds, so it has no such policy: there the samples count. */
  if (level->scenario != SIM_SCENARIO_KEYS_CHESTS)
    {
      g_autoptr (SimPolicy) policy = sim_train_get_policy (train, level);

      if (policy != NULL)
        {
          sim_policy_evaluate (policy, level, &job->outcome);
          job->has_outcome = TRUE;
        }
    }
}

static GtkWidget *
outcome_row (const char *label,
             double      value,
             const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (label);
  GtkWidget *number = gtk_label_new (text);
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (number, "numeric");
  gtk_widget_add_css_class (number, "heading");
  gtk_box_append (GTK_BOX (top), name);
  gtk_box_append (GTK_BOX (top), number);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (value, 0, 1));
  /* One colour for every row: the bar shows an amount, not good or bad. */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return box;
}

static void
add_percent_row (MsLevelEditor *self,
                 const char    *label,
                 double         value)
{
  char buf[32];

  ms_plot_format_percent (buf, sizeof buf, value);
  gtk_list_box_append (self->outcome_list, outcome_row (label, value, buf));
}

static void
count_cells (const SimLevel *level,
             SimCell         cell,
             int            *count)
{
  *count = 0;
  for (int s = 0; s < level->width * level->height; s++)
    if (level->cells[s] == cell)
      (*count)++;
}

static void
show_outcome (MsLevelEditor *self,
              AgentJob      *job)
{
  const SimLevel *level = job->level;
  g_autofree char *text = NULL;

  clear_outcome (self);
  if (job->has_outcome)
    {
      double rest = 1.0 - job->outcome.target - job->outcome.proxy - job->outcome.lava;
      g_autofree char *target = NULL;

      self->has_outcome = TRUE;
      self->outcome = job->outcome;
      self->outcome_iteration = job->iteration;
      /* Translators: how an episode ends, e.g. "Reaches coin" */
      target = g_strdup (ms_plot_behaviour_label (level->scenario, FALSE));
      add_percent_row (self, target, job->outcome.target);
      add_percent_row (self, ms_plot_behaviour_label (level->scenario, TRUE),
                       job->outcome.proxy);
      add_percent_row (self, _("steps into lava"), job->outcome.lava);
      add_percent_row (self, _("anything else"), MAX (rest, 0.0));
    }
  else if (level->scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      int n_keys, n_chests;
      char value[64];

      self->has_pickups = TRUE;
      self->keys = job->keys;
      self->chests = job->chests;
      count_cells (level, SIM_CELL_KEY, &n_keys);
      count_cells (level, SIM_CELL_CHEST, &n_chests);
      /* Translators: a mean count out of a total, e.g. "1.8 of 2" */
      g_snprintf (value, sizeof value, _("%.1f of %d"), job->keys, n_keys);
      gtk_list_box_append (self->outcome_list,
                           outcome_row (_("keys picked up"),
                                        n_keys > 0 ? job->keys / n_keys : 0, value));
      g_snprintf (value, sizeof value, _("%.1f of %d"), job->chests, n_chests);
      gtk_list_box_append (self->outcome_list,
                           outcome_row (_("chests opened"),
                                        n_chests > 0 ? job->chests / n_chests : 0, value));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->outcome_list)) != NULL);

  if (job->has_outcome)
    text = g_strdup_printf (_("The agent after iteration %d of %d: %d sampled paths drawn, "
                              "ending at the dots. The chances below are exact, for its policy "
                              "with the target in view."),
                            job->iteration, job->n_iterations, job->n_paths);
  else if (level->scenario == SIM_SCENARIO_KEYS_CHESTS)
    text = g_strdup_printf (_("The agent after iteration %d of %d: %d sampled paths drawn, "
                              "ending at the dots. Counts are means over %d samples."),
                            job->iteration, job->n_iterations, job->n_paths, N_COUNTED_PATHS);
  else
    text = g_strdup_printf (_("The agent after iteration %d of %d: %d sampled paths drawn. The "
                              "level is too large to compute the exact chances."),
                            job->iteration, job->n_iterations, job->n_paths);
  set_agent_text (self, text);
}

/* On the main thread, after the job ran. */
static void
agent_job_done (SimRunner *runner,
                gpointer   user_data)
{
  AgentJob *job = user_data;
  g_autoptr (MsLevelEditor) self = g_weak_ref_get (&job->editor);

  if (self == NULL)
    return;
  if (job->serial != self->serial)
    {
      set_agent_text (self, _("The level changed while the agent ran: run it again."));
      return;
    }
  if (job->no_agent)
    {
      set_agent_text (self, _("The training run has no agent: it could not start. Change its "
                              "settings in the main window."));
      return;
    }
  if (job->wrong_scenario)
    {
      g_autofree char *text =
        g_strdup_printf (_("The current agent was trained on the “%s” scenario: train one on "
                           "the “%s” scenario first."),
                         scenario_label (job->run_scenario), scenario_label (job->level->scenario));
      set_agent_text (self, text);
      return;
    }
  ms_level_canvas_set_paths (self->canvas, job->cells, job->offsets, job->lengths,
                             job->n_paths);
  show_outcome (self, job);
}

static void
run_agent (MsLevelEditor *self)
{
  const SimLevel *level = ms_level_canvas_get_level (self->canvas);
  SimConfig config;
  AgentJob *job;

  if (level == NULL)
    return;
  clear_outcome (self);
  ms_level_canvas_set_paths (self->canvas, NULL, NULL, NULL, 0);
  if (self->runner == NULL)
    {
      set_agent_text (self, _("There is no training run to take the agent from."));
      return;
    }
  if (level->start < 0)
    {
      set_agent_text (self, _("The level has no start cell: paint one with Start (7), then run "
                              "the agent."));
      return;
    }
  sim_runner_get_config (self->runner, &config);
  if (config.scenario != level->scenario)
    {
      g_autofree char *text =
        g_strdup_printf (_("The current agent was trained on the “%s” scenario: train one on "
                           "the “%s” scenario first."),
                         scenario_label (config.scenario), scenario_label (level->scenario));
      set_agent_text (self, text);
      return;
    }

  job = g_new0 (AgentJob, 1);
  g_weak_ref_init (&job->editor, self);
  job->serial = self->serial;
  job->level = sim_level_copy (level);
  self->agent_busy++;
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), FALSE);
  set_agent_text (self, _("Running the agent…"));
  sim_runner_call (self->runner, agent_job_run, agent_job_done, job, agent_job_free);
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
  confirm_then (MS_LEVEL_EDITOR (user_data), THEN_NEW);
}

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  confirm_then (MS_LEVEL_EDITOR (user_data), THEN_OPEN_DIALOG);
}

static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  save (MS_LEVEL_EDITOR (user_data));
}

static void
save_as_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  show_save_dialog (MS_LEVEL_EDITOR (user_data));
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
  replace_level (self, level);
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
  replace_level (self, level);
}

static void
run_agent_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  run_agent (MS_LEVEL_EDITOR (user_data));
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
  gtk_widget_class_bind_template_callback (widget_class, hide_message);

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
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_level_unref);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_level_unref);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), editor_actions,
                                   G_N_ELEMENTS (editor_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "editor", G_ACTION_GROUP (self->actions));

  build_palette (self);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  set_agent_text (self, NULL);
  clear_outcome (self);

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
    level = fresh = new_level (SIM_SCENARIO_COIN, 8, 8);
  replace_level (self, level);
  set_file (self, NULL);
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

  push_undo (self);
  replace_level (self, level);
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

gboolean
ms_level_editor_get_agent_busy (MsLevelEditor *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);

  return self->agent_busy > 0;
}

gboolean
ms_level_editor_get_outcome (MsLevelEditor *self,
                             SimOutcome    *outcome,
                             int           *iteration)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);

  if (!self->has_outcome)
    return FALSE;
  if (outcome != NULL)
    *outcome = self->outcome;
  if (iteration != NULL)
    *iteration = self->outcome_iteration;
  return TRUE;
}

const char *
ms_level_editor_get_agent_text (MsLevelEditor *self)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), NULL);

  return self->agent_text;
}

gboolean
ms_level_editor_get_pickups (MsLevelEditor *self,
                             double        *keys,
                             double        *chests)
{
  g_return_val_if_fail (MS_IS_LEVEL_EDITOR (self), FALSE);

  if (!self->has_pickups)
    return FALSE;
  if (keys != NULL)
    *keys = self->keys;
  if (chests != NULL)
    *chests = self->chests;
  return TRUE;
}
