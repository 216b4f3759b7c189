/* ms-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sim-runner.h"

G_BEGIN_DECLS

#define MS_TYPE_WINDOW (ms_window_get_type ())

G_DECLARE_FINAL_TYPE (MsWindow, ms_window, MS, WINDOW, AdwApplicationWindow)

MsWindow  *ms_window_new              (AdwApplication *application);
void       ms_window_set_accels       (GtkApplication *application);
void       ms_window_open_file        (MsWindow       *self,
                                       GFile          *file);
gboolean   ms_window_get_article_visible (MsWindow    *self);
/* Number of frames the window has drawn; lets tests wait for a real draw. */
guint      ms_window_get_frame_count  (MsWindow       *self);

typedef struct _MsDashboard MsDashboard;
typedef struct _MsControlsPanel MsControlsPanel;

/* For tests: the runner, dashboard and controls the window holds (borrowed). */
SimRunner        *ms_window_get_runner         (MsWindow *self);
MsDashboard      *ms_window_get_dashboard      (MsWindow *self);
MsControlsPanel  *ms_window_get_controls_panel (MsWindow *self);
GtkWidget        *ms_window_get_article_panel  (MsWindow *self);
GtkWidget        *ms_window_get_panel_handle   (MsWindow *self);

G_END_DECLS
