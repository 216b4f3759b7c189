/* ms-article-panel-private.h: what the tests look at inside the article panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ms-article-panel.h"

G_BEGIN_DECLS

GtkTextView *ms_article_panel_get_text_view        (MsArticlePanel    *self);
/* The visible page: "empty", "loading", "article" or "error". */
const char  *ms_article_panel_get_page             (MsArticlePanel    *self);
/* The notice shown above the text, or NULL when none is shown. */
const char  *ms_article_panel_get_notice           (MsArticlePanel    *self);
/* The message on the error page (whether or not it is the visible page). */
const char  *ms_article_panel_get_error_message    (MsArticlePanel    *self);
const char  *ms_article_panel_get_date_text        (MsArticlePanel    *self);
const char  *ms_article_panel_get_summary_text     (MsArticlePanel    *self);
GtkWidget   *ms_article_panel_get_section_button   (MsArticlePanel    *self,
                                                    guint              index);
/* The section whose heading is at or above the top of the visible text. */
int          ms_article_panel_get_visible_section  (MsArticlePanel    *self);
GtkWidget   *ms_article_panel_get_illustration     (MsArticlePanel    *self);

/* Searches at once (the entry waits for typing to pause). */
void         ms_article_panel_search               (MsArticlePanel    *self,
                                                    const char        *text);
void         ms_article_panel_next_match           (MsArticlePanel    *self);
void         ms_article_panel_previous_match       (MsArticlePanel    *self);
guint        ms_article_panel_get_n_matches        (MsArticlePanel    *self);
/* Index of the current match or -1; its character offsets in start and end. */
int          ms_article_panel_get_current_match    (MsArticlePanel    *self,
                                                    int               *start,
                                                    int               *end);
const char  *ms_article_panel_get_match_label      (MsArticlePanel    *self);
gboolean     ms_article_panel_get_search_failed    (MsArticlePanel    *self);

/* Does what a click on the character at iter does; TRUE if it was a link. */
gboolean     ms_article_panel_activate_link_at     (MsArticlePanel    *self,
                                                    const GtkTextIter *iter);

G_END_DECLS
