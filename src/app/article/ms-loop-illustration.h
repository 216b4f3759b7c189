/* ms-loop-illustration.h: the base optimizer / mesa optimizer loop, drawn with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MS_TYPE_LOOP_ILLUSTRATION (ms_loop_illustration_get_type ())

G_DECLARE_FINAL_TYPE (MsLoopIllustration, ms_loop_illustration, MS, LOOP_ILLUSTRATION, GtkWidget)

GtkWidget  *ms_loop_illustration_new            (const char         *alt,
                                                 const char         *caption);
const char *ms_loop_illustration_get_alt        (MsLoopIllustration *self);
void        ms_loop_illustration_set_alt        (MsLoopIllustration *self,
                                                 const char         *alt);
const char *ms_loop_illustration_get_caption    (MsLoopIllustration *self);
void        ms_loop_illustration_set_caption    (MsLoopIllustration *self,
                                                 const char         *caption);
double      ms_loop_illustration_get_font_scale (MsLoopIllustration *self);
void        ms_loop_illustration_set_font_scale (MsLoopIllustration *self,
                                                 double              font_scale);

/* The widest the widget asks to be (-1: its width at font scale 1); the panel keeps it at
 * the width of its text, so that the diagram never widens the panel. */
int         ms_loop_illustration_get_max_width  (MsLoopIllustration *self);
void        ms_loop_illustration_set_max_width  (MsLoopIllustration *self,
                                                 int                 max_width);

/* The term id of the box drawn at (x, y) in the widget's coordinates, or NULL. Boxes are
 * known once the widget has been drawn. */
const char *ms_loop_illustration_get_term_at    (MsLoopIllustration *self,
                                                 double              x,
                                                 double              y);

G_END_DECLS
