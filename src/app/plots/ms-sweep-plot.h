/* ms-sweep-plot.h: a sweep's runs against the setting it changes: on test levels, how often
 * the agent reaches the target and how often it ends at the proxy, each seed a dot, the mean
 * of the seeds with its 95 % interval
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-plot.h"

G_BEGIN_DECLS

#define MS_TYPE_SWEEP_PLOT (ms_sweep_plot_get_type ())

G_DECLARE_FINAL_TYPE (MsSweepPlot, ms_sweep_plot, MS, SWEEP_PLOT, MsPlot)

/* The figures of a run the plot draws. */
typedef enum
{
  MS_SWEEP_PLOT_TARGET,    /* test: reaches the target */
  MS_SWEEP_PLOT_PROXY,     /* test: ends at the proxy */
  MS_SWEEP_PLOT_N_FIGURES
} MsSweepPlotFigure;

GtkWidget  *ms_sweep_plot_new          (void);
/* A new sweep: its title, the setting's name under the axis, the label of each of its
 * n_points values, and the n_seeds seeds of every value (run r is value r / n_seeds, seed
 * seeds[r % n_seeds]); the scenario names the target and the proxy. Forgets every result. */
void        ms_sweep_plot_set_grid     (MsSweepPlot        *self,
                                        const char         *title,
                                        const char         *axis_title,
                                        const char * const *labels,
                                        guint               n_points,
                                        const guint32      *seeds,
                                        guint               n_seeds,
                                        SimScenarioKind     scenario);
guint       ms_sweep_plot_get_n_runs   (MsSweepPlot        *self);
/* A finished run's figures. */
void        ms_sweep_plot_set_run      (MsSweepPlot        *self,
                                        guint               index,
                                        double              test_target,
                                        double              test_proxy);
/* A value's mean over its finished seeds and the ends of its interval (NaN: none). */
void        ms_sweep_plot_set_summary  (MsSweepPlot        *self,
                                        guint               point,
                                        MsSweepPlotFigure   figure,
                                        double              mean,
                                        double              lo,
                                        double              hi);
/* The run whose dot is nearest (x, y) in the last drawing, within reach of the pointer, or
 * -1. Clicking that dot emits run-activated (guint index). */
int         ms_sweep_plot_run_at       (MsSweepPlot        *self,
                                        double              x,
                                        double              y);
/* The dots of the last drawing, and where the dot of a run's figure was (FALSE: not drawn). */
guint       ms_sweep_plot_get_n_dots   (MsSweepPlot        *self);
gboolean    ms_sweep_plot_get_dot      (MsSweepPlot        *self,
                                        guint               index,
                                        MsSweepPlotFigure   figure,
                                        double             *x,
                                        double             *y);

G_END_DECLS
