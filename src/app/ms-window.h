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

G_END_DECLS
