/* ms-article-panel.h: the article side panel (Markdown rendered with md4c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage from the window:
 *
 *   GtkWidget *panel = ms_article_panel_new ();
 *   adw_flap_set_flap (flap, panel);
 *   g_signal_connect (panel, "term-activated", G_CALLBACK (on_term), self);
 *   ms_article_panel_load_resource (MS_ARTICLE_PANEL (panel),
 *                                   "/io/github/mesascope/Mesascope/article/mesa-optimizers.md",
 *                                   NULL);
 *   g_object_bind_property (settings_or_window, "font-scale", panel, "font-scale", 0);
 *
 * Signals:
 *   term-activated (const char *term_id)  a key-term link (MS_TERM_* in ms-markdown-doc.h) or a box
 *                                         of the illustration was activated
 *   activate-link (const char *uri) → gboolean   an http(s) or mailto link is about to be
 *                                         opened; the default handler calls gtk_show_uri(),
 *                                         a handler returning TRUE stops it
 *   loaded ()                             a document is shown
 *   load-failed (GError *error)           loading failed; the message names the file and is
 *                                         also shown in the panel
 * Keys while the panel has the focus: Ctrl+F search, Ctrl+G / Shift+Ctrl+G next / previous
 * match, Ctrl+plus / Ctrl+minus / Ctrl+0 text size.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MS_TYPE_ARTICLE_PANEL (ms_article_panel_get_type ())

G_DECLARE_FINAL_TYPE (MsArticlePanel, ms_article_panel, MS, ARTICLE_PANEL, AdwBin)

#define MS_ARTICLE_PANEL_MIN_FONT_SCALE 0.5
#define MS_ARTICLE_PANEL_MAX_FONT_SCALE 4.0

GtkWidget  *ms_article_panel_new               (void);

/* Loads a Markdown file built into the program; small, so it is parsed right away. */
gboolean    ms_article_panel_load_resource     (MsArticlePanel       *self,
                                                const char           *resource_path,
                                                GError              **error);
/* Loads a Markdown file in a worker thread; the result arrives as "loaded" or "load-failed". */
void        ms_article_panel_load_file         (MsArticlePanel       *self,
                                                GFile                *file);
void        ms_article_panel_load_file_async   (MsArticlePanel       *self,
                                                GFile                *file,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean    ms_article_panel_load_file_finish  (MsArticlePanel       *self,
                                                GAsyncResult         *result,
                                                GError              **error);

gboolean    ms_article_panel_get_loading       (MsArticlePanel       *self);
/* The file shown, or NULL for a built-in article. */
GFile      *ms_article_panel_get_file          (MsArticlePanel       *self);
/* The front matter title (or the file name when there is none). */
const char *ms_article_panel_get_title         (MsArticlePanel       *self);

/* The reader's zoom. */
double      ms_article_panel_get_font_scale    (MsArticlePanel       *self);
void        ms_article_panel_set_font_scale    (MsArticlePanel       *self,
                                                double                font_scale);
/* Multiplies the zoom: the window's presentation scale (1 outside presentation mode). */
double      ms_article_panel_get_presentation_scale (MsArticlePanel  *self);
void        ms_article_panel_set_presentation_scale (MsArticlePanel  *self,
                                                     double           scale);

guint       ms_article_panel_get_n_sections    (MsArticlePanel       *self);
const char *ms_article_panel_get_section_title (MsArticlePanel       *self,
                                                guint                 index);
void        ms_article_panel_jump_to_section   (MsArticlePanel       *self,
                                                guint                 index);

/* Opens the search bar and focuses its entry. */
void        ms_article_panel_start_search      (MsArticlePanel       *self);

G_END_DECLS
