/* test-level-editor.c: paint, check, save, reopen and run the agent in the level editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ms-dashboard.h"
#include "ms-level-editor.h"
#include "ms-window-private.h"
#include "ms-window-tests.h"
#include "sim-keys.h"
#include "sim-runner.h"
#include "sim-train.h"
#include "ui-wait.h"

/* The user that permission checks run as when the tests run as root. */
#define NOBODY_UID 65534
#define NOBODY_GID 65534

static gboolean
canvas_has_grid (gpointer data)
{
  double x, y;

  return ms_level_canvas_cell_center (MS_LEVEL_CANVAS (data), 0, 0, &x, &y);
}

static gboolean
agent_done (gpointer data)
{
  return !ms_level_editor_get_agent_busy (MS_LEVEL_EDITOR (data));
}

static void
paint (MsLevelEditor *editor,
       int            x,
       int            y,
       const char    *tool)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.paint", "(iis)",
                                             x, y, tool));
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
    }
  return NULL;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_chmod (dir, 0755);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_chmod (path, 0644);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Painting through the paint action, a drag of the real gesture and the keyboard; saving;
 * reopening in a fresh editor gives the same level. */
static void
test_paint_save_reopen (void)
{
  MsLevelEditor *editor = ms_level_editor_new (NULL, NULL, NULL);
  MsLevelCanvas *canvas = ms_level_editor_get_canvas (editor);
  g_autofree char *dir = g_dir_make_tmp ("mesascope-editor-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "painted.level", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (SimLevel) painted = NULL;
  g_autoptr (SimLevel) loaded = NULL;
  GtkEventController *drag, *key;
  MsLevelEditor *reopened;
  const SimLevel *level;
  double x0, y0, x1, y1;
  gboolean handled = FALSE;

  gtk_window_set_default_size (GTK_WINDOW (editor), 1180, 700);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_true (wait_until (canvas_has_grid, canvas, 10000));
  level = ms_level_editor_get_level (editor);
  g_assert_cmpint (level->width, ==, 8);
  g_assert_cmpint (level->start, ==, 0);
  g_assert_false (ms_level_editor_get_modified (editor));

  /* Every tool through the action. */
  paint (editor, 1, 1, "wall");
  paint (editor, 2, 1, "lava");
  paint (editor, 3, 1, "coin");
  paint (editor, 4, 1, "exit");
  paint (editor, 5, 1, "green");
  paint (editor, 6, 1, "key");
  paint (editor, 7, 1, "chest");
  paint (editor, 5, 1, "exit");       /* exit on a green tile */
  paint (editor, 2, 2, "start");
  level = ms_level_editor_get_level (editor);
  g_assert_cmpint (sim_level_get (level, 1, 1), ==, SIM_CELL_WALL);
  g_assert_cmpint (sim_level_get (level, 2, 1), ==, SIM_CELL_LAVA);
  g_assert_cmpint (sim_level_get (level, 3, 1), ==, SIM_CELL_COIN);
  g_assert_cmpint (sim_level_get (level, 4, 1), ==, SIM_CELL_EXIT);
  g_assert_cmpint (sim_level_get (level, 5, 1), ==, SIM_CELL_EXIT_GREEN);
  g_assert_cmpint (sim_level_get (level, 6, 1), ==, SIM_CELL_KEY);
  g_assert_cmpint (sim_level_get (level, 7, 1), ==, SIM_CELL_CHEST);
  g_assert_cmpint (level->start, ==, sim_level_index (level, 2, 2));
  g_assert_true (ms_level_editor_get_modified (editor));

  /* A drag with the canvas's own gesture: from (0, 5) to (3, 5) walls the cells between. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.tool", "s", "wall");
  g_assert_cmpint (ms_level_canvas_get_tool (canvas), ==, MS_LEVEL_TOOL_WALL);
  drag = find_controller (GTK_WIDGET (canvas), GTK_TYPE_GESTURE_DRAG);
  g_assert_nonnull (drag);
  g_assert_true (ms_level_canvas_cell_center (canvas, 0, 5, &x0, &y0));
  g_assert_true (ms_level_canvas_cell_center (canvas, 3, 5, &x1, &y1));
  g_signal_emit_by_name (drag, "drag-begin", x0, y0);
  g_signal_emit_by_name (drag, "drag-update", x1 - x0, y1 - y0);
  g_signal_emit_by_name (drag, "drag-end", x1 - x0, y1 - y0);
  level = ms_level_editor_get_level (editor);
  for (int x = 0; x <= 3; x++)
    g_assert_cmpint (sim_level_get (level, x, 5), ==, SIM_CELL_WALL);
  g_assert_cmpint (sim_level_get (level, 4, 5), ==, SIM_CELL_FLOOR);

  /* The keyboard: the cursor follows the drag's end; Right, then Enter paints lava. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.tool", "s", "lava");
  key = find_controller (GTK_WIDGET (canvas), GTK_TYPE_EVENT_CONTROLLER_KEY);
  g_assert_nonnull (key);
  g_signal_emit_by_name (key, "key-pressed", GDK_KEY_Right, 0, 0, &handled);
  g_assert_true (handled);
  g_signal_emit_by_name (key, "key-pressed", GDK_KEY_Up, 0, 0, &handled);
  g_signal_emit_by_name (key, "key-pressed", GDK_KEY_Return, 0, 0, &handled);
  g_assert_cmpint (sim_level_get (ms_level_editor_get_level (editor), 4, 6), ==,
                   SIM_CELL_LAVA);

  /* Undo takes back exactly the last stroke; redo puts it back. */
  painted = sim_level_copy (ms_level_editor_get_level (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.undo", NULL);
  g_assert_cmpint (sim_level_get (ms_level_editor_get_level (editor), 4, 6), ==,
                   SIM_CELL_FLOOR);
  g_assert_cmpint (sim_level_get (ms_level_editor_get_level (editor), 3, 5), ==,
                   SIM_CELL_WALL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.redo", NULL);
  g_assert_true (sim_level_equal (ms_level_editor_get_level (editor), painted));

  /* Save and reopen in a fresh editor. */
  g_assert_true (ms_level_editor_save_to_file (editor, file));
  g_assert_null (ms_level_editor_get_message (editor));
  g_assert_false (ms_level_editor_get_modified (editor));
  loaded = sim_level_load (path, NULL);
  g_assert_nonnull (loaded);
  g_assert_true (sim_level_equal (loaded, painted));

  reopened = ms_level_editor_new (NULL, NULL, NULL);
  g_assert_false (sim_level_equal (ms_level_editor_get_level (reopened), painted));
  g_assert_true (ms_level_editor_open_file (reopened, file));
  g_assert_true (sim_level_equal (ms_level_editor_get_level (reopened), painted));
  g_assert_true (g_file_equal (ms_level_editor_get_file (reopened), file));
  g_assert_false (ms_level_editor_get_modified (reopened));

  gtk_window_destroy (GTK_WINDOW (reopened));
  gtk_window_destroy (GTK_WINDOW (editor));
  remove_tree (dir);
}

/* Resizing keeps the top-left corner, and the level check explains problems in words. */
static void
test_check (void)
{
  MsLevelEditor *editor = ms_level_editor_new (NULL, NULL, NULL);
  g_autoptr (SimLevel) level = sim_level_new (SIM_SCENARIO_COIN, 6, 6, 18);
  g_autofree char *dir = g_dir_make_tmp ("mesascope-editor-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "nostart.level", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_auto (GStrv) problems = NULL;
  const SimLevel *edited;
  int n_errors = -1;

  /* A coin walled in. */
  level->start = sim_level_index (level, 0, 0);
  level->cells[sim_level_index (level, 5, 5)] = SIM_CELL_COIN;
  level->cells[sim_level_index (level, 4, 5)] = SIM_CELL_WALL;
  level->cells[sim_level_index (level, 5, 4)] = SIM_CELL_LAVA;
  problems = ms_level_check (level, &n_errors);
  g_assert_cmpint (n_errors, ==, 1);
  g_assert_nonnull (strstr (problems[0], "coin cannot be reached"));
  g_assert_false (sim_level_validate (level, NULL));
  g_clear_pointer (&problems, g_strfreev);

  /* Open a path: the check and the engine's validation agree. */
  level->cells[sim_level_index (level, 4, 5)] = SIM_CELL_FLOOR;
  problems = ms_level_check (level, &n_errors);
  g_assert_cmpint (n_errors, ==, 0);
  g_assert_true (sim_level_validate (level, NULL));
  g_clear_pointer (&problems, g_strfreev);

  /* Green exit without an exit; keys and chests without keys. */
  level->scenario = SIM_SCENARIO_GREEN_EXIT;
  problems = ms_level_check (level, &n_errors);
  g_assert_cmpint (n_errors, ==, 1);
  g_assert_nonnull (strstr (problems[0], "No exit"));
  g_assert_false (sim_level_validate (level, NULL));
  g_clear_pointer (&problems, g_strfreev);
  level->scenario = SIM_SCENARIO_KEYS_CHESTS;
  level->cells[sim_level_index (level, 3, 3)] = SIM_CELL_CHEST;
  problems = ms_level_check (level, &n_errors);
  g_assert_cmpint (n_errors, ==, 1);
  g_assert_nonnull (strstr (problems[0], "No key"));
  g_clear_pointer (&problems, g_strfreev);
  level->scenario = SIM_SCENARIO_COIN;

  /* In the editor: painting over the start leaves the level without one, and says so. */
  ms_level_editor_set_level (editor, level);
  paint (editor, 0, 0, "lava");
  edited = ms_level_editor_get_level (editor);
  g_assert_cmpint (edited->start, ==, -1);
  problems = ms_level_check (edited, &n_errors);
  g_assert_cmpint (n_errors, ==, 1);
  g_assert_nonnull (strstr (problems[0], "No start cell"));
  g_clear_pointer (&problems, g_strfreev);
  /* Such a level cannot be saved: no file could hold it. */
  g_assert_false (ms_level_editor_save_to_file (editor, file));
  g_assert_nonnull (strstr (ms_level_editor_get_message (editor), "no start"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Growing the level keeps the top-left corner: the coin stays in the top row. */
  paint (editor, 1, 1, "start");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (
                               GTK_WIDGET (editor), MS_TYPE_LEVEL_EDITOR, "width_spin")), 9);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (
                               GTK_WIDGET (editor), MS_TYPE_LEVEL_EDITOR, "height_spin")), 8);
  edited = ms_level_editor_get_level (editor);
  g_assert_cmpint (edited->width, ==, 9);
  g_assert_cmpint (edited->height, ==, 8);
  g_assert_cmpint (edited->horizon, ==, 27);
  g_assert_cmpint (sim_level_get (edited, 5, 7), ==, SIM_CELL_COIN);
  g_assert_cmpint (edited->start, ==, sim_level_index (edited, 1, 3));

  gtk_window_destroy (GTK_WINDOW (editor));
  remove_tree (dir);
}

static void
write_file (const char *path,
            const char *text)
{
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

#define GOOD_LEVEL "mesascope-level 1\nscenario coin\nsize 3 2\nhorizon 6\nmap\n..C\nS#.\n"

/* Files that cannot be opened: a message names the file and the place; nothing changes. */
static void
test_bad_files (void)
{
  MsLevelEditor *editor = ms_level_editor_new (NULL, NULL, NULL);
  g_autofree char *dir = g_dir_make_tmp ("mesascope-editor-XXXXXX", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.level", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.level", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.level", NULL);
  g_autoptr (GFile) newer_file = g_file_new_for_path (newer);
  g_autoptr (GFile) broken_file = g_file_new_for_path (broken);
  g_autoptr (GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr (SimLevel) before = sim_level_copy (ms_level_editor_get_level (editor));
  const char *message;

  write_file (newer, "mesascope-level 2\nscenario coin\nsize 3 2\nhorizon 6\nmap\n..C\nS#.\n");
  write_file (broken, "mesascope-level 1\nscenario coin\nsize 3 2\nhorizon 6\nmap\n..C\nS#?\n");

  g_assert_false (ms_level_editor_open_file (editor, newer_file));
  message = ms_level_editor_get_message (editor);
  g_test_message ("newer version: %s", message);
  g_assert_nonnull (strstr (message, "newer.level"));
  g_assert_nonnull (strstr (message, "newer version of Mesascope"));
  g_assert_nonnull (strstr (message, ":1:17:"));
  g_assert_true (sim_level_equal (ms_level_editor_get_level (editor), before));
  g_assert_null (ms_level_editor_get_file (editor));

  g_assert_false (ms_level_editor_open_file (editor, broken_file));
  message = ms_level_editor_get_message (editor);
  g_test_message ("malformed: %s", message);
  g_assert_nonnull (strstr (message, "broken.level:7:3:"));
  g_assert_nonnull (strstr (message, "unknown symbol"));
  g_assert_true (sim_level_equal (ms_level_editor_get_level (editor), before));

  g_assert_false (ms_level_editor_open_file (editor, missing_file));
  message = ms_level_editor_get_message (editor);
  g_test_message ("missing: %s", message);
  g_assert_nonnull (strstr (message, "missing.level"));
  g_assert_nonnull (strstr (message, g_strerror (ENOENT)));
  g_assert_true (sim_level_equal (ms_level_editor_get_level (editor), before));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (editor));
  remove_tree (dir);
}

/* An unreadable file and a read-only folder: clear messages, and every file stays intact. */
static void
check_permissions (void)
{
  MsLevelEditor *editor = ms_level_editor_new (NULL, NULL, NULL);
  g_autofree char *dir = g_dir_make_tmp ("mesascope-editor-XXXXXX", NULL);
  g_autofree char *locked = g_build_filename (dir, "locked.level", NULL);
  g_autofree char *ro_dir = g_build_filename (dir, "read-only", NULL);
  g_autofree char *kept = g_build_filename (ro_dir, "kept.level", NULL);
  g_autofree char *fresh = g_build_filename (ro_dir, "fresh.level", NULL);
  g_autoptr (GFile) locked_file = g_file_new_for_path (locked);
  g_autoptr (GFile) kept_file = g_file_new_for_path (kept);
  g_autoptr (GFile) fresh_file = g_file_new_for_path (fresh);
  g_autoptr (SimLevel) before = sim_level_copy (ms_level_editor_get_level (editor));
  g_autofree char *after = NULL;
  g_autoptr (GDir) listing = NULL;
  const char *message;
  int n_files = 0;

  g_assert_cmpint (geteuid (), !=, 0);

  write_file (locked, GOOD_LEVEL);
  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  g_assert_false (ms_level_editor_open_file (editor, locked_file));
  message = ms_level_editor_get_message (editor);
  g_test_message ("unreadable: %s", message);
  g_assert_nonnull (strstr (message, "locked.level"));
  g_assert_nonnull (strstr (message, g_strerror (EACCES)));
  g_assert_true (sim_level_equal (ms_level_editor_get_level (editor), before));

  g_assert_cmpint (g_mkdir (ro_dir, 0755), ==, 0);
  write_file (kept, GOOD_LEVEL);
  g_assert_cmpint (g_chmod (ro_dir, 0555), ==, 0);
  paint (editor, 4, 4, "coin");

  /* Over an existing file: it stays byte for byte, and no temporary file is left. */
  g_assert_false (ms_level_editor_save_to_file (editor, kept_file));
  message = ms_level_editor_get_message (editor);
  g_test_message ("read-only folder: %s", message);
  g_assert_nonnull (strstr (message, "kept.level"));
  g_assert_nonnull (strstr (message, "nothing was changed on disk"));
  after = read_file (kept);
  g_assert_cmpstr (after, ==, GOOD_LEVEL);
  g_assert_true (ms_level_editor_get_modified (editor));
  g_assert_null (ms_level_editor_get_file (editor));

  /* A new file in the folder is not created either. */
  g_assert_false (ms_level_editor_save_to_file (editor, fresh_file));
  g_assert_nonnull (strstr (ms_level_editor_get_message (editor), "fresh.level"));
  listing = g_dir_open (ro_dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpint (n_files, ==, 1);

  gtk_window_destroy (GTK_WINDOW (editor));
  g_chmod (ro_dir, 0755);
  remove_tree (ro_dir);
  remove_tree (dir);
}

/* As root permissions do not apply: the checks then run in a child process of this test that
 * has dropped to an ordinary user. */
static void
test_permissions (void)
{
  if (geteuid () != 0)
    {
      check_permissions ();
      return;
    }
  if (g_test_subprocess ())
    {
      g_assert_cmpint (setgid (NOBODY_GID), ==, 0);
      g_assert_cmpint (setuid (NOBODY_UID), ==, 0);
      g_setenv ("TMPDIR", "/tmp", TRUE);
      check_permissions ();
      g_print ("permission checks passed as uid %d\n", (int) geteuid ());
      return;
    }
  g_test_message ("running as root, where file permissions do not apply: checking them in a "
                  "child process running as uid %d", NOBODY_UID);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  /* The child got as far as the last check. */
  g_test_trap_assert_stdout ("*permission checks passed as uid 65534*");
}

/* A painted level and a training run: the agent's paths start at the start and move one cell
 * at a time, and the outcome is the exact one of that agent on that level. */
static void
test_run_agent (void)
{
  SimConfig config;
  g_autoptr (SimRunner) runner = NULL;
  g_autoptr (SimTrain) train = NULL;
  g_autoptr (SimPolicy) policy = NULL;
  MsLevelEditor *editor;
  MsLevelCanvas *canvas;
  const SimLevel *level;
  SimOutcome outcome, expected;
  int iteration = -1;

  sim_config_init_default (&config);
  config.infer_every = 0;
  runner = sim_runner_new (&config, NULL, NULL);
  g_assert_nonnull (runner);
  editor = ms_level_editor_new (NULL, runner, NULL);
  canvas = ms_level_editor_get_canvas (editor);

  /* Start bottom left, coin top right, a lava pool and a wall on the way. */
  paint (editor, 7, 7, "coin");
  paint (editor, 3, 3, "lava");
  paint (editor, 4, 3, "lava");
  paint (editor, 2, 5, "wall");
  level = ms_level_editor_get_level (editor);
  g_assert_true (sim_level_validate (level, NULL));

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.run-agent", NULL);
  g_assert_true (ms_level_editor_get_agent_busy (editor));
  g_assert_true (wait_until (agent_done, editor, 60000));
  g_test_message ("%s", ms_level_editor_get_agent_text (editor));

  g_assert_cmpint (ms_level_canvas_get_n_paths (canvas), ==, 8);
  for (int i = 0; i < ms_level_canvas_get_n_paths (canvas); i++)
    {
      int n;
      const int *path = ms_level_canvas_get_path (canvas, i, &n);

      g_assert_cmpint (n, >=, 1);
      g_assert_cmpint (n, <=, level->horizon + 1);
      g_assert_cmpint (path[0], ==, level->start);
      for (int k = 1; k < n; k++)
        {
          int dx = ABS (path[k] % level->width - path[k - 1] % level->width);
          int dy = ABS (path[k] / level->width - path[k - 1] / level->width);

          g_assert_cmpint (dx + dy, <=, 1);
          g_assert_cmpint (level->cells[path[k]], !=, SIM_CELL_WALL);
        }
    }

  g_assert_true (ms_level_editor_get_outcome (editor, &outcome, &iteration));
  g_assert_cmpint (iteration, ==, 0);
  g_assert_cmpfloat (outcome.target, >=, 0);
  g_assert_cmpfloat (outcome.proxy, >=, 0);
  g_assert_cmpfloat (outcome.lava, >=, 0);
  g_assert_cmpfloat (outcome.target + outcome.proxy + outcome.lava, <=, 1 + 1e-9);
  /* The same untrained agent, built here, has the same outcome on the same level. */
  train = sim_train_new (&config, NULL);
  policy = sim_train_get_policy (train, level);
  sim_policy_evaluate (policy, level, &expected);
  g_assert_cmpfloat_with_epsilon (outcome.target, expected.target, 1e-12);
  g_assert_cmpfloat_with_epsilon (outcome.proxy, expected.proxy, 1e-12);
  g_assert_cmpfloat_with_epsilon (outcome.lava, expected.lava, 1e-12);

  /* An edit makes the result stale: paths and outcome go. */
  paint (editor, 0, 7, "wall");
  g_assert_cmpint (ms_level_canvas_get_n_paths (canvas), ==, 0);
  g_assert_false (ms_level_editor_get_outcome (editor, NULL, NULL));

  /* A level of another scenario is explained, not run. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (
                                GTK_WIDGET (editor), MS_TYPE_LEVEL_EDITOR, "scenario_row")),
                              SIM_SCENARIO_GREEN_EXIT);
  g_assert_cmpint (ms_level_editor_get_level (editor)->scenario, ==, SIM_SCENARIO_GREEN_EXIT);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.run-agent", NULL);
  g_assert_false (ms_level_editor_get_agent_busy (editor));
  g_assert_nonnull (strstr (ms_level_editor_get_agent_text (editor),
                            "The current agent was trained on the “Coin” scenario"));
  g_assert_false (ms_level_editor_get_outcome (editor, NULL, NULL));

  gtk_window_destroy (GTK_WINDOW (editor));
  sim_runner_stop (runner);
}

static gboolean
runner_stepped (gpointer data)
{
  SimSnapshot *snapshot = sim_runner_get_snapshot (SIM_RUNNER (data));

  return snapshot != NULL && snapshot->iteration >= 1;
}

/* The keys-and-chests agent's θ as the runner's worker holds it. */
typedef struct
{
  double theta[SIM_KEYS_N_FEATURES];
  gboolean done;
} ThetaCopy;

static void
copy_theta_job (SimRunner *runner,
                gpointer   state,
                gpointer   user_data)
{
  ThetaCopy *copy = user_data;

  memcpy (copy->theta, sim_train_get_theta (sim_runner_job_get_train (runner, state)),
          sizeof copy->theta);
}

static void
copy_theta_done (SimRunner *runner,
                 gpointer   user_data)
{
  ((ThetaCopy *) user_data)->done = TRUE;
}

static gboolean
theta_copied (gpointer data)
{
  return ((ThetaCopy *) data)->done;
}

/* Keys and chests: the agent's paths, and the keys and chests it takes on average, against
 * an evaluation of the same agent (θ, β) by the engine over 4000 episodes. The editor's means
 * are over 64 sampled episodes; a count between 0 and 2 has a standard deviation of at most 1,
 * so they are within 0.5 (4 standard errors) of the engine's. */
static void
test_run_agent_keys (void)
{
  SimConfig config;
  g_autoptr (SimRunner) runner = NULL;
  MsLevelEditor *editor;
  MsLevelCanvas *canvas;
  const SimLevel *level;
  double keys = -1, chests = -1;
  g_auto (GStrv) problems = NULL;
  int n_errors = -1;
  ThetaCopy copy = { { 0 }, FALSE };
  SimKeysOutcome expected;

  sim_config_init_default (&config);
  config.scenario = SIM_SCENARIO_KEYS_CHESTS;
  config.optimizer = SIM_OPTIMIZER_CEM;
  config.iterations = 20;
  config.infer_every = 0;
  runner = sim_runner_new (&config, NULL, NULL);
  g_assert_nonnull (runner);
  sim_runner_step (runner);
  /* The agent the editor runs is the one after this step. */
  g_assert_true (wait_until (runner_stepped, runner, 30000));
  editor = ms_level_editor_new (NULL, runner, NULL);
  canvas = ms_level_editor_get_canvas (editor);

  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (
                                GTK_WIDGET (editor), MS_TYPE_LEVEL_EDITOR, "scenario_row")),
                              SIM_SCENARIO_KEYS_CHESTS);
  problems = ms_level_check (ms_level_editor_get_level (editor), &n_errors);
  g_assert_cmpint (n_errors, ==, 2);
  g_assert_nonnull (strstr (problems[0], "No key"));
  g_assert_nonnull (strstr (problems[1], "No chest"));
  paint (editor, 1, 0, "key");
  paint (editor, 0, 2, "key");
  paint (editor, 3, 3, "chest");
  paint (editor, 6, 6, "chest");
  g_clear_pointer (&problems, g_strfreev);
  problems = ms_level_check (ms_level_editor_get_level (editor), &n_errors);
  g_assert_cmpint (n_errors, ==, 0);
  level = ms_level_editor_get_level (editor);

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.run-agent", NULL);
  g_assert_true (wait_until (agent_done, editor, 60000));
  g_test_message ("%s", ms_level_editor_get_agent_text (editor));
  g_assert_cmpint (ms_level_canvas_get_n_paths (canvas), ==, 8);
  for (int i = 0; i < 8; i++)
    g_assert_cmpint (ms_level_canvas_get_path (canvas, i, NULL)[0], ==, level->start);
  g_assert_false (ms_level_editor_get_outcome (editor, NULL, NULL));
  g_assert_true (ms_level_editor_get_pickups (editor, &keys, &chests));
  g_test_message ("keys %.2f of 2, chests %.2f of 2", keys, chests);
  g_assert_cmpfloat (keys, >=, 0);
  g_assert_cmpfloat (keys, <=, 2);
  g_assert_cmpfloat (chests, >=, 0);
  g_assert_cmpfloat (chests, <=, keys);

  sim_runner_call (runner, copy_theta_job, copy_theta_done, &copy, NULL);
  g_assert_true (wait_until (theta_copied, &copy, 30000));
  sim_keys_evaluate (copy.theta, SIM_KEYS_BETA, (SimLevel *const *) &level, 1, 4000, 1,
                     &expected);
  g_test_message ("the same agent over 4000 episodes: keys %.3f, chests %.3f", expected.keys,
                  expected.chests);
  g_assert_cmpfloat (fabs (keys - expected.keys), <=, 0.5);
  g_assert_cmpfloat (fabs (chests - expected.chests), <=, 0.5);

  gtk_window_destroy (GTK_WINDOW (editor));
  sim_runner_stop (runner);
}

static AdwMessageDialog *
find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closing with unsaved changes asks first; Cancel keeps the editor, Discard closes it. */
static void
test_unsaved_changes (void)
{
  MsLevelEditor *editor = ms_level_editor_new (NULL, NULL, NULL);
  AdwMessageDialog *dialog;

  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_window_present (GTK_WINDOW (editor));

  /* Unmodified: it closes at once. An edit undone is no change either. */
  paint (editor, 3, 3, "wall");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.undo", NULL);
  g_assert_false (ms_level_editor_get_modified (editor));
  paint (editor, 3, 3, "lava");
  g_assert_true (ms_level_editor_get_modified (editor));

  gtk_window_close (GTK_WINDOW (editor));
  g_assert_nonnull (editor);
  dialog = find_dialog (GTK_WINDOW (editor));
  g_assert_nonnull (dialog);
  /* The buttons respond and then close the dialog; here the test does both. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_nonnull (editor);

  gtk_window_close (GTK_WINDOW (editor));
  dialog = find_dialog (GTK_WINDOW (editor));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (wait_until (is_null, &editor, 10000));
}

static gboolean
has_snapshot (gpointer data)
{
  return ms_dashboard_get_snapshot (ms_window_get_dashboard (MS_WINDOW (data))) != NULL;
}

/* The main window's action opens the editor on the level the dashboard shows, once. */
static void
test_window_action (void)
{
  MsWindow *window = g_object_new (MS_TYPE_WINDOW, NULL);
  MsDashboard *dashboard = ms_window_get_dashboard (window);
  GtkWindow *editor, *again;
  const SimLevel *shown;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (has_snapshot, window, 20000));
  shown = ms_dashboard_get_snapshot (dashboard)->shown[ms_dashboard_get_shown (dashboard)].level;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.level-editor", NULL));
  editor = _ms_window_show_level_editor (window);
  g_assert_true (MS_IS_LEVEL_EDITOR (editor));
  g_assert_true (gtk_window_get_transient_for (editor) == GTK_WINDOW (window));
  g_assert_true (sim_level_equal (ms_level_editor_get_level (MS_LEVEL_EDITOR (editor)), shown));
  again = _ms_window_show_level_editor (window);
  g_assert_true (again == editor);

  /* It runs the window's agent. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.run-agent", NULL);
  g_assert_true (wait_until (agent_done, editor, 60000));
  g_assert_cmpint (ms_level_canvas_get_n_paths (ms_level_editor_get_canvas (
                     MS_LEVEL_EDITOR (editor))), ==, 8);

  gtk_window_destroy (editor);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The editor and "mesascope-cli level check" give every corpus level the same verdict: the
 * command line refuses what sim_level_validate() refuses, the editor lists errors for exactly
 * those levels (keys-and-chests levels without a reachable key or chest included). */
static void
test_check_agrees_with_cli (void)
{
  const char *root = g_getenv ("MESASCOPE_SOURCE_DIR");
  static const char *const folders[] = { "good", "bad" };
  static const char keys_text[] =
    "mesascope-level 1\nscenario keys-chests\nsize 4 2\nhorizon 8\nmap\nS..H\n....\n";
  g_autoptr (SimLevel) keys = NULL;
  g_auto (GStrv) problems = NULL;
  int n_levels = 0, n_refused = 0, n_errors = -1;

  g_assert_nonnull (root);
  for (guint f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *dir_path = g_build_filename (root, "tests", "engine", "levels",
                                                    folders[f], NULL);
      g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autoptr (SimLevel) level = NULL;
          g_auto (GStrv) found = NULL;
          gboolean valid;
          int errors = -1;

          if (!g_str_has_suffix (name, ".level"))
            continue;
          level = sim_level_load (path, NULL);
          if (level == NULL)
            continue;           /* malformed: neither opens it */
          valid = sim_level_validate (level, NULL);
          found = ms_level_check (level, &errors);
          g_assert_cmpint (errors == 0, ==, valid);
          n_levels++;
          n_refused += !valid;
        }
    }
  g_test_message ("%d corpus levels parse, %d of them refused by both", n_levels, n_refused);
  g_assert_cmpint (n_levels, >=, 5);
  g_assert_cmpint (n_refused, >=, 3);

  keys = sim_level_parse (keys_text, -1, "keys.level", NULL);
  g_assert_nonnull (keys);
  problems = ms_level_check (keys, &n_errors);
  g_assert_cmpint (n_errors, ==, 1);
  g_assert_nonnull (strstr (problems[0], "No key"));
  g_assert_false (sim_level_validate (keys, NULL));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/level-editor/paint-save-reopen", test_paint_save_reopen);
  g_test_add_func ("/ui/level-editor/check", test_check);
  g_test_add_func ("/ui/level-editor/check-agrees-with-cli", test_check_agrees_with_cli);
  g_test_add_func ("/ui/level-editor/bad-files", test_bad_files);
  g_test_add_func ("/ui/level-editor/permissions", test_permissions);
  g_test_add_func ("/ui/level-editor/run-agent", test_run_agent);
  g_test_add_func ("/ui/level-editor/run-agent-keys", test_run_agent_keys);
  g_test_add_func ("/ui/level-editor/unsaved-changes", test_unsaved_changes);
  g_test_add_func ("/ui/level-editor/window-action", test_window_action);
  return g_test_run ();
}
