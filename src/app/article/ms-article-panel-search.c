/* ms-article-panel-search.c: searching the article panel's text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The search bar (Ctrl+F) highlights every match in the text, case-insensitively, up to a
 * limit; the current match starts at the first one in view and moves with Ctrl+G and
 * Shift+Ctrl+G, and the label beside the entry counts them. A document loaded while the
 * bar is open is searched again (ms-article-panel-load.c calls ms_article_panel_search()).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-article-panel-private.h"

/* Searching stops counting after this many matches. */
#define MAX_MATCHES 1000

void
ms_article_panel_update_match_label (MsArticlePanel *self,
                                     const char     *needle)
{
  guint n = self->matches->len / 2;
  g_autofree char *text = NULL;

  if (needle == NULL || *needle == '\0')
    text = g_strdup ("");
  else if (n == 0)
    text = g_strdup (_("No match"));
  else if (self->matches_capped)
    /* TRANSLATORS: the current search match and the number of matches, when there are
     * more than could be counted. */
    text = g_strdup_printf (_("%d of %u+"), self->current_match + 1, n);
  else
    /* TRANSLATORS: the current search match and the number of matches. */
    text = g_strdup_printf (_("%d of %u"), self->current_match + 1, n);
  gtk_label_set_text (self->match_label, text);

  if (needle != NULL && *needle != '\0' && n == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
}

static void
select_match (MsArticlePanel *self,
              int             index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  GtkTextMark *mark;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "search-current", &start, &end);
  self->current_match = index;
  if (index < 0)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &start,
                                      g_array_index (self->matches, int, 2 * index));
  gtk_text_buffer_get_iter_at_offset (buffer, &end,
                                      g_array_index (self->matches, int, 2 * index + 1));
  gtk_text_buffer_apply_tag_by_name (buffer, "search-current", &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  mark = gtk_text_buffer_get_mark (buffer, "ms-search");
  if (mark == NULL)
    mark = gtk_text_buffer_create_mark (buffer, "ms-search", &start, TRUE);
  else
    gtk_text_buffer_move_mark (buffer, mark, &start);
  gtk_text_view_scroll_to_mark (self->text_view, mark, 0.1, FALSE, 0.0, 0.0);
}

void
ms_article_panel_search (MsArticlePanel *self,
                         const char     *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end, match_start, match_end;
  GdkRectangle rect;
  GtkTextIter top;
  int top_offset;
  int first_visible = -1;

  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "search-match", &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "search-current", &start, &end);
  g_array_set_size (self->matches, 0);
  self->current_match = -1;
  self->matches_capped = FALSE;

  if (text != NULL && *text != '\0'
      && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    {
      g_signal_handlers_block_matched (self->search_entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                       NULL, self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
      g_signal_handlers_unblock_matched (self->search_entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                         NULL, self);
    }
  if (text == NULL || *text == '\0')
    {
      ms_article_panel_update_match_label (self, text);
      return;
    }

  gtk_text_view_get_visible_rect (self->text_view, &rect);
  gtk_text_view_get_iter_at_location (self->text_view, &top, rect.x, rect.y);
  top_offset = gtk_text_iter_get_offset (&top);

  while (gtk_text_iter_forward_search (&start, text,
                                       GTK_TEXT_SEARCH_CASE_INSENSITIVE
                                       | GTK_TEXT_SEARCH_TEXT_ONLY,
                                       &match_start, &match_end, NULL))
    {
      int offsets[2] = { gtk_text_iter_get_offset (&match_start),
                         gtk_text_iter_get_offset (&match_end) };

      if (self->matches->len / 2 >= MAX_MATCHES)
        {
          self->matches_capped = TRUE;
          break;
        }
      g_array_append_vals (self->matches, offsets, 2);
      gtk_text_buffer_apply_tag_by_name (buffer, "search-match", &match_start, &match_end);
      if (first_visible < 0 && offsets[0] >= top_offset)
        first_visible = self->matches->len / 2 - 1;
      start = match_end;
    }

  if (self->matches->len > 0)
    select_match (self, first_visible >= 0 ? first_visible : 0);
  ms_article_panel_update_match_label (self, text);
}

static void
search_changed_cb (MsArticlePanel *self)
{
  ms_article_panel_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
step_match (MsArticlePanel *self,
            int             step)
{
  guint n = self->matches->len / 2;

  if (n == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  select_match (self, (int) ((self->current_match + step + (int) n) % (int) n));
  ms_article_panel_update_match_label (self,
                                       gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

void
ms_article_panel_next_match (MsArticlePanel *self)
{
  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  step_match (self, 1);
}

void
ms_article_panel_previous_match (MsArticlePanel *self)
{
  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  step_match (self, -1);
}

static void
search_mode_changed_cb (MsArticlePanel *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    {
      search_changed_cb (self);
      return;
    }
  ms_article_panel_search (self, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

void
ms_article_panel_start_search (MsArticlePanel *self)
{
  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/* Actions and keys ------------------------------------------------------------------------ */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ms_article_panel_start_search (MS_ARTICLE_PANEL (widget));
}

static void
match_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  step_match (MS_ARTICLE_PANEL (widget),
              g_str_equal (action_name, "article.previous-match") ? -1 : 1);
}

/* From ms_article_panel_class_init(): the template's search callbacks, the actions, the keys. */
void
ms_article_panel_install_search (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, ms_article_panel_next_match);
  gtk_widget_class_bind_template_callback (widget_class, ms_article_panel_previous_match);

  gtk_widget_class_install_action (widget_class, "article.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "article.next-match", NULL, match_action);
  gtk_widget_class_install_action (widget_class, "article.previous-match", NULL, match_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "article.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK,
                                       "article.next-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "article.previous-match", NULL);
}

/* From ms_article_panel_init(), once the template is built. */
void
ms_article_panel_init_search (MsArticlePanel *self)
{
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_changed_cb), self, G_CONNECT_SWAPPED);
}

/* What the tests look at ------------------------------------------------------------------ */

guint
ms_article_panel_get_n_matches (MsArticlePanel *self)
{
  return self->matches->len / 2;
}

int
ms_article_panel_get_current_match (MsArticlePanel *self,
                                    int            *start,
                                    int            *end)
{
  if (self->current_match >= 0)
    {
      if (start != NULL)
        *start = g_array_index (self->matches, int, 2 * self->current_match);
      if (end != NULL)
        *end = g_array_index (self->matches, int, 2 * self->current_match + 1);
    }
  return self->current_match;
}

const char *
ms_article_panel_get_match_label (MsArticlePanel *self)
{
  return gtk_label_get_text (self->match_label);
}

gboolean
ms_article_panel_get_search_failed (MsArticlePanel *self)
{
  return gtk_widget_has_css_class (GTK_WIDGET (self->search_entry), "error");
}
