/* ms-window-private.h: shared between ms-window.c and ms-window-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-window.h"
#include "ms-article-panel.h"
#include "ms-controls-panel.h"
#include "ms-dashboard.h"
#include "ms-lessons.h"
#include "sim.h"
#include "sim-experiment.h"
#include "sim-runner.h"

G_BEGIN_DECLS

struct _MsWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  AdwFlap *flap;
  AdwFlap *controls_flap;
  MsControlsPanel *controls_panel;
  MsDashboard *dashboard;
  GtkInscription *status_label;   /* text changes never resize the window */
  GtkSpinner *open_spinner;
  GtkProgressBar *replay_progress; /* beside it while an opened run replays */       /* beside it while an experiment file loads */
  GtkButton *play_button;
  GtkMenuButton *presets_button;
  MsArticlePanel *article_panel;

  GSettings *settings;
  SimRunner *runner;              /* owns the worker thread; stopped in dispose */
  /* The last change of run (ms-window.c): what Undo goes back to, until the next change. */
  SimConfig previous_config;      /* the settings of the run the change replaced */
  int previous_iteration;         /* where that run was: Undo replays it to there */
  gboolean has_previous;          /* Undo (win.undo-settings) is enabled */
  AdwToast *change_toast;         /* the change's toast while it is shown (not owned), or NULL */
  GPtrArray *stale_toasts;        /* AdwToast *, owned: out of date, dismissed once settled */
  guint stale_toasts_id;
  gint64 toast_activity_us;       /* when a toast was last added or dismissed */
  /* The run drawn as faint lines in the success plot, and how it came to be replaced. */
  SimSnapshot *previous_run;      /* owned, or NULL */
  gboolean previous_run_undone;   /* replaced by Undo ("Undone: …"), not by a change
                                   * ("Before: …") */
  /* Undo bringing the previous run back: a replay to restore_iteration, like an opened run's. */
  guint restore_run;              /* the runner's number of that replay (sim_runner_get_run()) */
  int restore_iteration;          /* > 0 while the replay runs */
  gboolean restore_running;       /* a snapshot of the replay playing has arrived */
  gboolean restore_play;          /* play on from there (it was playing when Undo came) */
  guint status_timeout_id;
  gint64 status_updated_us;      /* when the status line last changed with a snapshot */
  guint frame_count;

  /* The article panel's resize handle (ms-window-panel.c). */
  GtkWidget *panel_handle;
  int drag_start_width;
  gboolean controls_opened_last;  /* of the two sidebars, the settings were shown last */

  /* Experiment files (ms-window-files.c). */
  GFile *experiment_file;           /* owned: the experiment last opened or saved, or NULL */
  SimConfig experiment_config;      /* its configuration, to mark the title when it changes */
  GMenu *recent_menu;               /* template child: the primary menu's "Recent" submenu */
  GCancellable *open_cancellable;   /* owned while an experiment file loads, or NULL */
  SimExperiment *replay;            /* owned while an opened run is being replayed, or NULL */
  char *replay_name;                /* its file's display name */
  guint replay_run;                 /* the runner's number of the replay (sim_runner_get_run()) */
  gboolean replay_running;          /* a snapshot of the replay playing has arrived */
  guint exports_pending;           /* CSV and demos exports still being written */
  int replay_verdict;               /* after a replay: 0 the same bit for bit, k > 0 the first
                                     * iteration that differs; −1 before any */

  /* Guided lessons (ms-window-lessons.c). */
  GtkWidget *lesson_bar;          /* MsLessonBar above the dashboard, hidden without a lesson */
  const MsLesson *lesson;         /* the lesson running (static data), or NULL */
  guint lesson_step;
  gboolean lesson_hid_article;    /* the lesson closed the article panel: reopen it at the end */
  SimComparison *comparison;      /* the lesson's agents training in the background, owned
                                   * while a lesson that compares agents runs, or NULL */
  GtkWidget *comparison_card;     /* holds comparison_plot, in the dashboard's place on the
                                   * step that compares the agents, hidden otherwise */
  GtkWidget *comparison_plot;     /* MsComparisonPlot */

  /* Presentation mode (ms-window-present.c): what leaving it puts back. */
  gboolean presenting;
  gboolean present_was_fullscreen;
  gboolean present_fullscreen_requested;  /* the last request presentation mode made */
  gboolean present_controls_revealed;
  gboolean present_article_revealed;   /* the article panel before presentation mode hid it */
  double present_saved_scale;
  guint present_header_visible;     /* one bit per header child presentation mode changes */
  GAction *present_teacher_action;  /* owned while withheld from the action map */
  GtkCssProvider *present_css;      /* owned; its rules apply to window.presentation only */
};

void _ms_window_install_actions  (MsWindowClass *klass);
void _ms_window_init_actions     (MsWindow      *self);
/* Restarts the run with config, remembering the old one (its settings and iteration) for Undo
 * until the next change, and keeping the old run as faint lines in the success plot when it had
 * trained (see ms-window.c). toast_text, when not NULL, shows in a toast with Undo. The runner
 * keeps playing or paused. Returns FALSE, after saying why in a toast and keeping the old run,
 * when config is refused. */
gboolean _ms_window_apply_config (MsWindow        *self,
                                  const SimConfig *config,
                                  const char      *toast_text);
/* A change made by hand: the settings sidebar, a demo, an article link. Like
 * _ms_window_apply_config(), and training plays on when the replaced run was playing (or had
 * played to its end); the toast says which: "WHAT: training started over" or "WHAT: back to
 * iteration 0, paused". A persistent toast stays until dismissed or the next change. */
gboolean _ms_window_change_run   (MsWindow        *self,
                                  const SimConfig *config,
                                  const char      *what,
                                  gboolean         persistent);
/* Names the run in the window's subtitle (ms-window.c). */
void _ms_window_show_config      (MsWindow        *self,
                                  const SimConfig *config);
/* Changes of run and Undo (ms-window-changes.c). */
void _ms_window_init_changes     (MsWindow      *self);
void _ms_window_dispose_changes  (MsWindow      *self);
/* Follows Undo's replay: called with every snapshot. */
void _ms_window_restore_snapshot (MsWindow      *self,
                                  SimSnapshot   *snapshot);
/* Drops the faint lines of the previous run (a lesson's start, Reset All, an opened file). */
void _ms_window_clear_previous_run (MsWindow      *self);
/* Undo: back to the previous settings, and the previous run replayed to where it was. */
void _ms_window_undo_change      (MsWindow      *self);
/* Ends Undo's replay where it is (nothing when none runs). */
void _ms_window_end_restore      (MsWindow      *self);
/* Shows a toast; one that stays (an article link's) gives way to it. */
void _ms_window_add_toast        (MsWindow      *self,
                                  AdwToast      *toast);
void _ms_window_update_play_state (MsWindow      *self);
void _ms_window_focus_when_idle  (MsWindow      *self,
                                  GtkWidget     *widget);
void _ms_window_add_drop_target  (MsWindow      *self);
void _ms_window_init_panel       (MsWindow      *self);
void _ms_window_install_files    (MsWindowClass *klass);
void _ms_window_init_files       (MsWindow      *self);
void _ms_window_set_files_accels (GtkApplication *application);
/* What the file actions share (ms-window-files.c): a file's name as users read it (transfer
 * full), an error dialog that names what failed, and a toast. */
char *_ms_window_display_name    (GFile         *file);
void _ms_window_show_error       (MsWindow      *self,
                                  const char    *heading,
                                  const char    *body);
void _ms_window_show_toast       (MsWindow      *self,
                                  const char    *text);
/* Whether target names a part of the dashboard that can be exported (ms-window-exports.c). */
gboolean _ms_window_is_export_target (const char *target);
/* Rewrites the status line from the latest snapshot. */
void _ms_window_update_status    (MsWindow      *self);
/* Ends the replay of an opened run where it is, without a verdict (nothing when none runs). */
void _ms_window_end_replay       (MsWindow      *self);
/* Follows a replay of an opened run (ms-window-files.c): called with every snapshot. */
void _ms_window_replay_snapshot  (MsWindow      *self,
                                  SimSnapshot   *snapshot);
/* Opens file if it is an experiment or a level; FALSE for other files. */
gboolean _ms_window_open_experiment_or_level (MsWindow *self,
                                              GFile    *file);
/* Drops an experiment file still loading (on dispose). */
void _ms_window_cancel_open      (MsWindow      *self);
void _ms_window_init_lessons     (MsWindow      *self);
/* Stops the lesson's comparison of agents, if one trains (on dispose). */
void _ms_window_dispose_lessons  (MsWindow      *self);
void _ms_window_install_present  (MsWindowClass *klass);
void _ms_window_init_present     (MsWindow      *self);
/* The level editor (ms-window-editor.c): the action, and the editor shown (borrowed). */
void _ms_window_init_editor      (MsWindow      *self);
GtkWindow *_ms_window_show_level_editor (MsWindow *self);
/* The Sweep window (ms-window-sweep.c): the action, and the window shown (borrowed). */
void _ms_window_init_sweep       (MsWindow      *self);
GtkWindow *_ms_window_show_sweep (MsWindow      *self);
/* The sweep window's sweep for an experiment file (NULL: none), and a saved one shown there. */
SimExperimentSweep *_ms_window_dup_sweep (MsWindow *self);
void _ms_window_show_saved_sweep (MsWindow                 *self,
                                  const SimExperimentSweep *saved);
void _ms_window_dispose_present  (MsWindow      *self);
void _ms_window_set_present_accels (GtkApplication *application);

G_END_DECLS
