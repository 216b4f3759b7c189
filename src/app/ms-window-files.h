/* ms-window-files.h: experiment files, recent experiments and exports of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window's file actions (win.open, win.save, win.save-as, win.export,
 * win.export-csv, win.export-demos) do once a file is chosen; also called by tests. Errors
 * are shown in a dialog that names the file; nothing changes and no file is lost on failure.
 */
#pragma once

#include "ms-window.h"

G_BEGIN_DECLS

/* Opens an experiment: the run restarts with its configuration and, when the file holds a
 * history, replays at full speed to where it was saved, pauses there and compares every saved
 * figure with the replay's (ms_window_get_replay_verdict() in ms-window-tests.h).
 * The file is read on a worker thread while the status line shows a spinner; opening another
 * file drops the one still loading. finish() returns FALSE (after showing why) when the file
 * cannot be opened; the run is then unchanged. */
void      ms_window_open_experiment_async  (MsWindow            *self,
                                            GFile               *file,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  ms_window_open_experiment_finish (MsWindow            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* The same, iterating the main loop until it is done (the window keeps drawing). */
gboolean  ms_window_open_experiment    (MsWindow   *self,
                                        GFile      *file);
/* Saves the configuration and the history shown (atomically). Returns FALSE after showing why. */
gboolean  ms_window_save_experiment    (MsWindow   *self,
                                        GFile      *file);
/* Another run replaces the experiment's (a demo, a lesson, Reset All): the title no longer
 * names the file, and Save asks where to save. */
void      ms_window_forget_experiment_file (MsWindow  *self);

/* Exports a part of the dashboard ("dashboard", "level", "success", "objectives",
 * "alignment", "reward-maps") as PNG, SVG or PDF, by file extension. */
gboolean  ms_window_export_image       (MsWindow   *self,
                                        const char *target,
                                        GFile      *file);
/* What the Export menu does: while the answer key is on screen, asks first whether the image
 * should include it; else exports at once. */
void      ms_window_ask_export_image   (MsWindow   *self,
                                        const char *target,
                                        GFile      *file);
/* Writes the run's metric history as CSV, or the probe demonstrations of the last inference as
 * a demos file, on the training thread; the outcome is shown when done. */
void      ms_window_export_csv         (MsWindow   *self,
                                        GFile      *file);
void      ms_window_export_demos       (MsWindow   *self,
                                        GFile      *file);

G_END_DECLS
