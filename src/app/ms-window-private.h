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
  SimConfig previous_config;      /* what "Undo" goes back to after a settings change */
  gboolean has_previous;
  guint status_timeout_id;
  gint64 status_updated_us;      /* when the status line last changed with a snapshot */
  guint frame_count;

  /* The article panel's resize handle (ms-window-panel.c). */
  GtkWidget *panel_handle;
  int drag_start_width;

  /* Experiment files (ms-window-files.c). */
  GFile *experiment_file;           /* owned: the experiment last opened or saved, or NULL */
  SimConfig experiment_config;      /* its configuration, to mark the title when it changes */
  GMenu *recent_menu;               /* template child: the primary menu's "Recent" submenu */
  GCancellable *open_cancellable;   /* owned while an experiment file loads, or NULL */
  SimExperiment *replay;            /* owned while an opened run is being replayed, or NULL */
  char *replay_name;                /* its file's display name */
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

void ms_window_install_actions   (MsWindowClass *klass);
void ms_window_init_actions      (MsWindow      *self);
/* Restarts the run with config, remembering the old one for the undo toast. Returns FALSE,
 * after saying why in a toast and keeping the old run, when config is refused. */
gboolean ms_window_apply_config  (MsWindow        *self,
                                  const SimConfig *config,
                                  const char      *toast_text);
void ms_window_update_play_state (MsWindow      *self);
void ms_window_focus_when_idle   (MsWindow      *self,
                                  GtkWidget     *widget);
void ms_window_add_drop_target   (MsWindow      *self);
void ms_window_init_panel        (MsWindow      *self);
void ms_window_install_files     (MsWindowClass *klass);
void ms_window_init_files        (MsWindow      *self);
void ms_window_set_files_accels  (GtkApplication *application);
/* What the file actions share (ms-window-files.c): a file's name as users read it (transfer
 * full), an error dialog that names what failed, and a toast. */
char *ms_window_display_name     (GFile         *file);
void ms_window_show_error        (MsWindow      *self,
                                  const char    *heading,
                                  const char    *body);
void ms_window_show_toast        (MsWindow      *self,
                                  const char    *text);
/* Whether target names a part of the dashboard that can be exported (ms-window-exports.c). */
gboolean ms_window_is_export_target (const char *target);
/* Rewrites the status line from the latest snapshot. */
void ms_window_update_status     (MsWindow      *self);
/* Ends the replay of an opened run where it is, without a verdict (nothing when none runs). */
void ms_window_end_replay        (MsWindow      *self);
/* Follows a replay of an opened run (ms-window-files.c): called with every snapshot. */
void ms_window_replay_snapshot   (MsWindow      *self,
                                  SimSnapshot   *snapshot);
/* Opens file if it is an experiment or a level; FALSE for other files. */
gboolean ms_window_open_experiment_or_level (MsWindow *self,
                                             GFile    *file);
/* Drops an experiment file still loading (on dispose). */
void ms_window_cancel_open       (MsWindow      *self);
void ms_window_init_lessons      (MsWindow      *self);
/* Stops the lesson's comparison of agents, if one trains (on dispose). */
void ms_window_dispose_lessons   (MsWindow      *self);
void ms_window_install_present   (MsWindowClass *klass);
void ms_window_init_present      (MsWindow      *self);
/* The level editor (ms-window-editor.c): the action, and the editor shown (borrowed). */
void ms_window_init_editor       (MsWindow      *self);
GtkWindow *ms_window_show_level_editor (MsWindow *self);
void ms_window_dispose_present   (MsWindow      *self);
void ms_window_set_present_accels (GtkApplication *application);

G_END_DECLS
