/* ms-sweep-window.h: a sweep in the app: one setting changed over a few values, several seeds
 * each, trained on all cores while the dashboard goes on, the results drawn as they come in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sim.h"
#include "sim-experiment.h"
#include "ms-sweep-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_SWEEP_WINDOW (ms_sweep_window_get_type ())

G_DECLARE_FINAL_TYPE (MsSweepWindow, ms_sweep_window, MS, SWEEP_WINDOW, AdwWindow)

/* The settings a sweep changes. */
typedef enum
{
  MS_SWEEP_KNOB_DIVERSITY,
  MS_SWEEP_KNOB_PERCEPTION,
  MS_SWEEP_KNOB_PLANNING_DEPTH,
  MS_SWEEP_KNOB_AGENT,
  MS_N_SWEEP_KNOBS
} MsSweepKnob;

/* The settings every run of a sweep starts from (the dashboard's): fills config. */
typedef void (*MsSweepBaseFunc) (SimConfig *config,
                                 gpointer   data);

/* A sweep window transient for parent (and closed with it); base gives the other settings of
 * the runs when Run is pressed.
 *
 * Signals:
 *   run-activated (gpointer config)   a run's dot was clicked: its configuration
 *                                     (const SimConfig *, valid during the emission) */
MsSweepWindow *ms_sweep_window_new          (GtkWindow        *parent,
                                             MsSweepBaseFunc   base,
                                             gpointer          base_data);

/* The plot (borrowed): its owner binds the palette to the preferences, as the dashboard's. */
MsSweepPlot   *ms_sweep_window_get_plot     (MsSweepWindow    *self);
MsSweepKnob    ms_sweep_window_get_knob     (MsSweepWindow    *self);
/* Chooses the setting, and puts its usual values into the values entry. */
void           ms_sweep_window_set_knob     (MsSweepWindow    *self,
                                             MsSweepKnob       knob);
void           ms_sweep_window_set_values   (MsSweepWindow    *self,
                                             const char       *text);
void           ms_sweep_window_set_n_seeds  (MsSweepWindow    *self,
                                             guint             n_seeds);
/* What Run does: checks the values (FALSE with the reason shown under them) and starts the
 * sweep; a sweep still running is cancelled first. */
gboolean       ms_sweep_window_run          (MsSweepWindow    *self);
/* Sets the setting, its values and the seeds and runs them, unless the sweep shown (running,
 * or finished without being cancelled) has exactly the runs these would make: a lesson's
 * sweep. FALSE, with the message shown, for values the setting refuses. */
gboolean       ms_sweep_window_start        (MsSweepWindow    *self,
                                             MsSweepKnob       knob,
                                             const char       *values,
                                             guint             n_seeds);
/* What Cancel does: the runs under way stop after their current iteration. */
void           ms_sweep_window_cancel       (MsSweepWindow    *self);
gboolean       ms_sweep_window_get_running  (MsSweepWindow    *self);

/* Writes the finished runs as CSV (sim_sweep_to_csv()), or the plot as PNG, SVG or PDF by the
 * file's extension. FALSE with error. */
gboolean       ms_sweep_window_export_csv   (MsSweepWindow    *self,
                                             GFile            *file,
                                             GError          **error);
gboolean       ms_sweep_window_export_image (MsSweepWindow    *self,
                                             GFile            *file,
                                             GError          **error);

/* The sweep shown as an experiment file keeps it (its runs and the figures of the finished
 * ones), or NULL when there is none; and a saved sweep shown again (not run: its figures are
 * drawn as saved, a sweep still running is cancelled). */
SimExperimentSweep *ms_sweep_window_dup_saved (MsSweepWindow            *self);
void           ms_sweep_window_show_saved   (MsSweepWindow            *self,
                                             const SimExperimentSweep *saved);

/* The values of knob in text (commas or spaces between them) applied to base: n configs
 * (base with the one setting changed) and their labels for the plot. FALSE with a message for
 * the user (translated) when a value is not one of the setting, is given twice, or the
 * dashboard's settings cannot run with it. */
gboolean       ms_sweep_parse_values        (MsSweepKnob       knob,
                                             const char       *text,
                                             const SimConfig  *base,
                                             SimConfig       **configs,
                                             char           ***labels,
                                             guint            *n,
                                             char            **message);

G_END_DECLS
