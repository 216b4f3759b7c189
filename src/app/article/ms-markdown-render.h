/* ms-markdown-render.h: a parsed Markdown document rendered into a GtkTextBuffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ms-markdown-doc.h"

G_BEGIN_DECLS

/* Replaces the buffer's contents by the document: text, tags, one child anchor per image
 * (at the offset ms_markdown_doc_get_image() returns) and one mark per heading, named
 * "ms-heading-N". Main thread only. */
void            ms_markdown_doc_render          (MsMarkdownDoc  *doc,
                                                 GtkTextBuffer  *buffer);

/* The same, in steps for big documents: each step inserts text or applies tags for about
 * budget_us microseconds and returns TRUE once the buffer is complete. Freeing an unfinished
 * renderer leaves a partly rendered buffer. */
typedef struct _MsMarkdownRenderer MsMarkdownRenderer;

MsMarkdownRenderer *ms_markdown_renderer_new    (MsMarkdownDoc      *doc,
                                                 GtkTextBuffer      *buffer);
gboolean        ms_markdown_renderer_step       (MsMarkdownRenderer *renderer,
                                                 gint64              budget_us);
void            ms_markdown_renderer_free       (MsMarkdownRenderer *renderer);

/* Restyles every tag the renderer created in the buffer: sizes, margins and spacing are
 * multiplied by font_scale, colours follow the light or dark style. */
void            ms_markdown_buffer_set_style    (GtkTextBuffer  *buffer,
                                                 double          font_scale,
                                                 gboolean        dark);

/* Link targets at a position: the URI of a link (or NULL), the term id of a term link (or
 * NULL). Returns TRUE if the character at iter belongs to either. */
gboolean        ms_markdown_iter_get_link       (const GtkTextIter *iter,
                                                 const char    **href,
                                                 const char    **term_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsMarkdownRenderer, ms_markdown_renderer_free)

G_END_DECLS
