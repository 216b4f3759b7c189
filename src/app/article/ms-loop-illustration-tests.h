/* ms-loop-illustration-tests.h: what the tests look at in the loop diagram, and nothing the
 * app's own code needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-loop-illustration.h"

G_BEGIN_DECLS

/* Where the label of the loop ("its behaviour is scored") was last drawn, in the widget's
 * coordinates; FALSE before the first draw. */
gboolean    ms_loop_illustration_get_loop_label (MsLoopIllustration *self,
                                                 graphene_rect_t    *rect);
/* Number of times the diagram has been drawn (lets tests wait for a real draw). */
guint       ms_loop_illustration_get_draw_count (MsLoopIllustration *self);

G_END_DECLS
