/* ms-window-tests.h: what the tests look at in a main window, and nothing the app's own code
 * needs: the parts it holds, how many frames it drew, how an opened run's replay ended, the
 * exports still running
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-window.h"
#include "sim-runner.h"

G_BEGIN_DECLS

typedef struct _MsDashboard MsDashboard;
typedef struct _MsControlsPanel MsControlsPanel;

/* The runner, dashboard, controls, article panel and its handle the window holds (borrowed). */
SimRunner        *ms_window_get_runner          (MsWindow *self);
MsDashboard      *ms_window_get_dashboard       (MsWindow *self);
MsControlsPanel  *ms_window_get_controls_panel  (MsWindow *self);
GtkWidget        *ms_window_get_article_panel   (MsWindow *self);
GtkWidget        *ms_window_get_panel_handle    (MsWindow *self);
/* Number of frames the window has drawn; lets tests wait for a real draw. */
guint             ms_window_get_frame_count     (MsWindow *self);
/* After the replay of an opened run: 0 when the replay matched the file bit for bit, else the
 * first iteration that differs; −1 while it runs or before any. */
int               ms_window_get_replay_verdict  (MsWindow *self);
/* The experiment last opened or saved (borrowed), or NULL. */
GFile            *ms_window_get_experiment_file (MsWindow *self);
/* How many exports (CSV, demonstrations) have not finished yet. */
guint             ms_window_get_exports_pending (MsWindow *self);

G_END_DECLS
