/* ms-controls-panel.h: the knobs of a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sim.h"

G_BEGIN_DECLS

#define MS_TYPE_CONTROLS_PANEL (ms_controls_panel_get_type ())

G_DECLARE_FINAL_TYPE (MsControlsPanel, ms_controls_panel, MS, CONTROLS_PANEL, GtkWidget)

GtkWidget *ms_controls_panel_new        (void);
/* Shows config without emitting ::changed. */
void       ms_controls_panel_set_config (MsControlsPanel *self,
                                         const SimConfig *config);
void       ms_controls_panel_get_config (MsControlsPanel *self,
                                         SimConfig       *config);

G_END_DECLS
