/* ms-level-view-tests.h: what the tests look at in a level view, and nothing the app's own
 * code needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-level-view.h"

G_BEGIN_DECLS

/* The path index the agent is drawn at (0 = start) (the animation's progress). */
int          ms_level_view_get_agent_step (MsLevelView *self);
/* What the last drawing wrote beside the title: the iteration of the agent drawn ("iteration
 * 12", "untrained agent"), or "" when nothing was (borrowed). */
const char  *ms_level_view_get_caption   (MsLevelView  *self);

G_END_DECLS
