/* ms-article-panel-private.h: inside the article panel, shared by its files and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel is ms-article-panel.c (the widget, its header, sections, links, size and
 * properties), ms-article-panel-load.c (reading and parsing files in a worker thread, filling
 * the buffer in steps) and ms-article-panel-search.c (the search bar and its matches).
 */
#pragma once

#include "ms-article-panel.h"
#include "ms-markdown.h"

G_BEGIN_DECLS

struct _MsArticlePanel
{
  AdwBin parent_instance;

  /* Template children */
  GtkLabel *title_label;
  GtkLabel *date_label;
  GtkLabel *summary_label;
  GtkWidget *sections_scroller;
  GtkBox *sections_box;
  GtkToggleButton *search_button;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkLabel *match_label;
  GtkRevealer *notice_revealer;
  GtkLabel *notice_label;
  GtkStack *stack;
  GtkSpinner *spinner;
  GtkScrolledWindow *scroller;
  GtkTextView *text_view;
  AdwStatusPage *error_page;
  GtkWidget *back_button;

  MsMarkdownDoc *doc;          /* Owned; the document shown, NULL before the first load. */
  GFile *file;                 /* Owned; NULL for built-in articles. */
  char *title;                 /* Owned; what the title label shows. */
  char *error_message;         /* Owned; the last load error. */
  guint load_serial;           /* Bumped by every load; older results are dropped. */
  gboolean parsing;            /* The newest load is still in its worker thread. */
  guint loading_page_id;       /* Timeout that shows the loading page. */
  gboolean loading;            /* Parsing or rendering. */
  MsMarkdownRenderer *renderer; /* Owned; fills pending_buffer, NULL once done. */
  guint render_id;             /* Idle that runs the renderer. */
  GTask *render_task;          /* Owned; the load waiting for rendering to finish, or NULL. */
  MsMarkdownDoc *pending_doc;  /* Owned; the document being rendered. */
  GFile *pending_file;         /* Owned; its file, NULL for built-in articles. */
  GtkTextBuffer *pending_buffer; /* Owned; filled off screen, then given to the view. */
  double font_scale;            /* the reader's zoom (Ctrl+plus/minus) */
  double presentation_scale;    /* the window's presentation scale, multiplies font_scale */

  GArray *sections;            /* guint: heading index of each section. */
  GPtrArray *section_buttons;  /* GtkToggleButton, borrowed from sections_box. */
  gboolean syncing_sections;
  GPtrArray *illustrations;    /* MsLoopIllustration, borrowed from the text view. */
  int text_width;              /* Width available to the text, from the last allocation. */
  guint text_width_id;         /* Idle that passes text_width on to the illustrations. */

  GArray *matches;             /* int pairs: start and end offset of each match. */
  int current_match;
  gboolean matches_capped;
};

/* Properties and signals, installed by ms-article-panel.c. */
typedef enum
{
  MS_ARTICLE_PANEL_PROP_0,
  MS_ARTICLE_PANEL_PROP_FONT_SCALE,
  MS_ARTICLE_PANEL_PROP_PRESENTATION_SCALE,
  MS_ARTICLE_PANEL_PROP_TITLE,
  MS_ARTICLE_PANEL_PROP_LOADING,
  MS_ARTICLE_PANEL_PROP_FILE,
  MS_ARTICLE_PANEL_N_PROPS
} MsArticlePanelProperty;

typedef enum
{
  MS_ARTICLE_PANEL_TERM_ACTIVATED,
  MS_ARTICLE_PANEL_ACTIVATE_LINK,
  MS_ARTICLE_PANEL_LOADED,
  MS_ARTICLE_PANEL_LOAD_FAILED,
  MS_ARTICLE_PANEL_N_SIGNALS
} MsArticlePanelSignal;

extern GParamSpec *ms_article_panel_properties[MS_ARTICLE_PANEL_N_PROPS];
extern guint ms_article_panel_signals[MS_ARTICLE_PANEL_N_SIGNALS];

/* ms-article-panel.c */
double       ms_article_panel_text_scale           (MsArticlePanel    *self);
void         ms_article_panel_apply_style          (MsArticlePanel    *self);
void         ms_article_panel_show_notice          (MsArticlePanel    *self,
                                                    const char        *text);
void         ms_article_panel_set_page             (MsArticlePanel    *self,
                                                    const char        *name);
void         ms_article_panel_rebuild_sections     (MsArticlePanel    *self);

/* ms-article-panel-load.c */
void         ms_article_panel_stop_rendering       (MsArticlePanel    *self);

/* ms-article-panel-search.c */
void         ms_article_panel_install_search       (GtkWidgetClass    *widget_class);
void         ms_article_panel_init_search          (MsArticlePanel    *self);
void         ms_article_panel_update_match_label   (MsArticlePanel    *self,
                                                    const char        *needle);

/* What the tests look at ------------------------------------------------------------------ */

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
