/* ms-lesson-bar.c: the bar above the dashboard that walks the class through a lesson
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bar only shows a step; the window's lesson actions (ms-window-lessons.c) set up the demo.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-lesson-bar.h"

struct _MsLessonBar
{
  GtkWidget parent_instance;

  /* Template children */
  GtkWidget *box;
  GtkLabel *progress_label;
  GtkStack *step_stack;
  GtkButton *next_button;
  GtkWidget *comparison_box;
  GtkProgressBar *comparison_progress;
  GtkLabel *comparison_label;

  const MsLesson *lesson;   /* whose steps the stack holds (static data), or NULL */
  GtkLabel *title_label;    /* the labels of the step shown, in the stack */
  GtkLabel *text_label;
};

G_DEFINE_FINAL_TYPE (MsLessonBar, ms_lesson_bar, GTK_TYPE_WIDGET)

static void
ms_lesson_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MS_TYPE_LESSON_BAR);

  G_OBJECT_CLASS (ms_lesson_bar_parent_class)->dispose (object);
}

static void
ms_lesson_bar_class_init (MsLessonBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_lesson_bar_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lessonbar");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesascope/Mesascope/ms-lesson-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, MsLessonBar, box);
  gtk_widget_class_bind_template_child (widget_class, MsLessonBar, progress_label);
  gtk_widget_class_bind_template_child (widget_class, MsLessonBar, step_stack);
  gtk_widget_class_bind_template_child (widget_class, MsLessonBar, next_button);
  gtk_widget_class_bind_template_child (widget_class, MsLessonBar, comparison_box);
  gtk_widget_class_bind_template_child (widget_class, MsLessonBar, comparison_progress);
  gtk_widget_class_bind_template_child (widget_class, MsLessonBar, comparison_label);
}

static void
ms_lesson_bar_init (MsLessonBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ms_lesson_bar_new (void)
{
  return g_object_new (MS_TYPE_LESSON_BAR, NULL);
}

static GtkWidget *
step_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* A page with the title and text of every step of lesson, named by the step's index. */
static void
fill_stack (MsLessonBar    *self,
            const MsLesson *lesson)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->step_stack))) != NULL)
    gtk_stack_remove (self->step_stack, child);
  for (guint i = 0; i < lesson->n_steps; i++)
    {
      GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      char name[16];

      gtk_box_append (GTK_BOX (page), step_label (_(lesson->steps[i].title), "lesson-title"));
      gtk_box_append (GTK_BOX (page), step_label (_(lesson->steps[i].text), "lesson-text"));
      g_snprintf (name, sizeof name, "%u", i);
      gtk_stack_add_named (self->step_stack, page, name);
    }
  self->lesson = lesson;
}

void
ms_lesson_bar_set_step (MsLessonBar    *self,
                        const MsLesson *lesson,
                        guint           index)
{
  const MsLessonStep *step;
  gboolean last;
  g_autofree char *progress = NULL;

  g_return_if_fail (MS_IS_LESSON_BAR (self));
  g_return_if_fail (lesson != NULL);
  g_return_if_fail (index < lesson->n_steps);

  step = &lesson->steps[index];
  last = index + 1 == lesson->n_steps;
  /* Translators: a lesson's title, the step shown and the number of steps,
   * e.g. "The Coin at the End — Step 2 of 5"; the spaces around the numbers do not break */
  progress = g_strdup_printf (_("%s — Step %u of %u"), _(lesson->title), index + 1,
                              lesson->n_steps);
  gtk_label_set_text (self->progress_label, progress);
  if (lesson != self->lesson)
    fill_stack (self, lesson);
  {
    char name[16];
    GtkWidget *page;

    g_snprintf (name, sizeof name, "%u", index);
    page = gtk_stack_get_child_by_name (self->step_stack, name);
    gtk_stack_set_visible_child (self->step_stack, page);
    self->title_label = GTK_LABEL (gtk_widget_get_first_child (page));
    self->text_label = GTK_LABEL (gtk_widget_get_last_child (page));
  }

  gtk_button_set_label (self->next_button, last ? _("_Finish") : _("_Next"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_button),
                               last ? _("Finish the Lesson (Page Down)")
                                    : _("Next Step (Page Down)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, progress,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _(step->text),
                                  -1);
}

const char *
ms_lesson_bar_get_progress (MsLessonBar *self)
{
  g_return_val_if_fail (MS_IS_LESSON_BAR (self), NULL);

  return gtk_label_get_text (self->progress_label);
}

const char *
ms_lesson_bar_get_title (MsLessonBar *self)
{
  g_return_val_if_fail (MS_IS_LESSON_BAR (self), NULL);

  return self->title_label != NULL ? gtk_label_get_text (self->title_label) : NULL;
}

const char *
ms_lesson_bar_get_text (MsLessonBar *self)
{
  g_return_val_if_fail (MS_IS_LESSON_BAR (self), NULL);

  return self->text_label != NULL ? gtk_label_get_text (self->text_label) : NULL;
}

GtkWidget *
ms_lesson_bar_get_next_button (MsLessonBar *self)
{
  g_return_val_if_fail (MS_IS_LESSON_BAR (self), NULL);

  return GTK_WIDGET (self->next_button);
}

void
ms_lesson_bar_set_comparison (MsLessonBar *self,
                              double       fraction,
                              const char  *text)
{
  g_return_if_fail (MS_IS_LESSON_BAR (self));

  gtk_widget_set_visible (self->comparison_box, fraction >= 0);
  if (fraction < 0)
    return;
  gtk_progress_bar_set_fraction (self->comparison_progress, CLAMP (fraction, 0.0, 1.0));
  gtk_label_set_text (self->comparison_label, text != NULL ? text : "");
}

gboolean
ms_lesson_bar_get_comparison (MsLessonBar  *self,
                              double       *fraction,
                              const char  **text)
{
  g_return_val_if_fail (MS_IS_LESSON_BAR (self), FALSE);

  if (fraction != NULL)
    *fraction = gtk_progress_bar_get_fraction (self->comparison_progress);
  if (text != NULL)
    *text = gtk_label_get_text (self->comparison_label);
  return gtk_widget_get_visible (self->comparison_box);
}
