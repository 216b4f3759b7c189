/* ms-lesson-bar.h: the bar above the dashboard that walks the class through a lesson
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ms-lessons.h"

G_BEGIN_DECLS

#define MS_TYPE_LESSON_BAR (ms_lesson_bar_get_type ())

G_DECLARE_FINAL_TYPE (MsLessonBar, ms_lesson_bar, MS, LESSON_BAR, GtkWidget)

GtkWidget  *ms_lesson_bar_new           (void);
/* Shows step index of lesson: "Lesson — Step 2 of 5", the step's title and text. */
void        ms_lesson_bar_set_step      (MsLessonBar    *self,
                                         const MsLesson *lesson,
                                         guint           index);
/* The texts shown, translated (for tests and accessibility checks). */
const char *ms_lesson_bar_get_progress  (MsLessonBar    *self);
const char *ms_lesson_bar_get_title     (MsLessonBar    *self);
const char *ms_lesson_bar_get_text      (MsLessonBar    *self);
/* The row under the step that says how far the lesson's comparison of agents has come:
 * fraction from 0 to 1, and text; a fraction below 0 hides the row. */
void        ms_lesson_bar_set_comparison (MsLessonBar   *self,
                                          double         fraction,
                                          const char    *text);
/* Whether the row is shown, and its fraction and text (may be NULL). */
gboolean    ms_lesson_bar_get_comparison (MsLessonBar   *self,
                                          double        *fraction,
                                          const char   **text);
/* The Next button: it reads "Finish" on the last step. */
GtkWidget  *ms_lesson_bar_get_next_button (MsLessonBar  *self);

G_END_DECLS
