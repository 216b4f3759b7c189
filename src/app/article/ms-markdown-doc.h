/* ms-markdown-doc.h: a Markdown document parsed with md4c, GLib only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser includes no GTK header and needs no display: it builds its own static library
 * (libms-markdown, see src/app/meson.build), which the headless parser tests and the fuzz
 * target link without GTK. Rendering a document into a GtkTextBuffer is in
 * ms-markdown-render.h; ms-markdown.h includes both.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Files bigger than this are refused: a teaching article is a few kilobytes, and a text view
 * holding more than a few megabytes of styled text stops being responsive. */
#define MS_MARKDOWN_MAX_SIZE (4 * 1024 * 1024)

/* A rendered line longer than this many characters is broken into several lines, so that a
 * pathological file (one huge paragraph, a minified blob) cannot freeze the text layout. */
#define MS_MARKDOWN_MAX_LINE_CHARS 10000

#define MS_MARKDOWN_ERROR (ms_markdown_error_quark ())

typedef enum
{
  MS_MARKDOWN_ERROR_TOO_BIG,
  MS_MARKDOWN_ERROR_BINARY,
  MS_MARKDOWN_ERROR_FAILED,
} MsMarkdownError;

/* Ids of the key terms that become term links. They are also accepted in explicit links
 * written as [text](term:ID). */
#define MS_TERM_BASE_OPTIMIZER              "base-optimizer"
#define MS_TERM_MESA_OPTIMIZER              "mesa-optimizer"
#define MS_TERM_BASE_OBJECTIVE              "base-objective"
#define MS_TERM_MESA_OBJECTIVE              "mesa-objective"
#define MS_TERM_GOAL_MISGENERALIZATION      "goal-misgeneralization"
#define MS_TERM_STOCHASTIC_GRADIENT_DESCENT "stochastic-gradient-descent"
/* A term id that starts a guided lesson instead: lesson:ID, ID one of ms-lessons.c, written
 * as [text](term:lesson:ID). */
#define MS_TERM_LESSON_PREFIX               "lesson:"

/* The character a GtkTextChildAnchor occupies in the rendered text. */
#define MS_MARKDOWN_ANCHOR_CHAR 0xFFFC

typedef struct _MsMarkdownDoc MsMarkdownDoc;

GQuark          ms_markdown_error_quark         (void);

/* Parsing needs no display and touches no GTK object, so it may run in a worker thread. */
MsMarkdownDoc  *ms_markdown_doc_parse           (const char     *data,
                                                 gsize           length,
                                                 const char     *name,
                                                 GError        **error);
MsMarkdownDoc  *ms_markdown_doc_ref             (MsMarkdownDoc  *doc);
void            ms_markdown_doc_unref           (MsMarkdownDoc  *doc);

const char     *ms_markdown_doc_get_name        (MsMarkdownDoc  *doc);
const char     *ms_markdown_doc_get_title       (MsMarkdownDoc  *doc);
const char     *ms_markdown_doc_get_date        (MsMarkdownDoc  *doc);
const char     *ms_markdown_doc_get_date_display (MsMarkdownDoc *doc);
const char     *ms_markdown_doc_get_summary     (MsMarkdownDoc  *doc);
const char     *ms_markdown_doc_get_text        (MsMarkdownDoc  *doc);
guint           ms_markdown_doc_get_n_notices   (MsMarkdownDoc  *doc);
const char     *ms_markdown_doc_get_notice      (MsMarkdownDoc  *doc,
                                                 guint           index);

/* Headings in document order; sections are the headings of the smallest level used. */
guint           ms_markdown_doc_get_n_headings  (MsMarkdownDoc  *doc);
const char     *ms_markdown_doc_get_heading     (MsMarkdownDoc  *doc,
                                                 guint           index,
                                                 guint          *level,
                                                 int            *offset);
guint           ms_markdown_doc_get_section_level (MsMarkdownDoc *doc);

guint           ms_markdown_doc_get_n_images    (MsMarkdownDoc  *doc);
int             ms_markdown_doc_get_image       (MsMarkdownDoc  *doc,
                                                 guint           index,
                                                 const char    **src,
                                                 const char    **alt,
                                                 const char    **title);

/* The anchor name of a heading: lower case, spaces as '-', punctuation dropped. */
char           *ms_markdown_slugify             (const char     *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsMarkdownDoc, ms_markdown_doc_unref)

G_END_DECLS
