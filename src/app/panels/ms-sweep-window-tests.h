/* ms-sweep-window-tests.h: what the UI tests look at in a sweep window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-sweep-plot.h"
#include "ms-sweep-window.h"

G_BEGIN_DECLS

/* The sweep shown (borrowed), or NULL before the first Run. */
SimSweep       *ms_sweep_window_get_sweep         (MsSweepWindow *self);
GtkProgressBar *ms_sweep_window_get_progress_bar  (MsSweepWindow *self);
/* The message under the values (borrowed), or NULL when none is shown. */
const char     *ms_sweep_window_get_message       (MsSweepWindow *self);
/* The runs the window has shown as done (delivered to the main thread). */
guint           ms_sweep_window_get_n_delivered   (MsSweepWindow *self);

G_END_DECLS
