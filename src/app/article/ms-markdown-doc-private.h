/* ms-markdown-doc-private.h: inside a Markdown document, shared by the parser and the renderer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A parsed document is plain text plus spans (character ranges with a kind: heading,
 * emphasis, link, ...), headings and images. ms-markdown-doc.c owns the structure,
 * ms-markdown-front-matter.c and ms-markdown-parse.c fill it, ms-markdown-render.c turns it
 * into a GtkTextBuffer. GLib only, like the parser.
 */
#pragma once

#include "ms-markdown-doc.h"

G_BEGIN_DECLS

typedef enum
{
  KIND_P,
  KIND_H,
  KIND_EM,
  KIND_STRONG,
  KIND_DEL,
  KIND_U,
  KIND_CODE,
  KIND_CODEBLOCK,
  KIND_HTML,
  KIND_QUOTE,
  KIND_INDENT,
  KIND_LIST_ITEM,
  KIND_LIST_END,
  KIND_BULLET,
  KIND_LINK,
  KIND_TERM,
  KIND_HR,
  KIND_TABLE_ROW,
  KIND_TABLE_HEADER,
} SpanKind;

typedef struct
{
  int start;       /* Character offsets into the rendered text. */
  int end;
  guint8 kind;     /* A SpanKind. */
  guint8 level;    /* Heading level or indentation level. */
  char *data;      /* Owned: the href of a link, the id of a term. */
} Span;

typedef struct
{
  char *title;     /* Owned. */
  guint level;
  int offset;
} Heading;

typedef struct
{
  int offset;      /* Offset of the anchor character. */
  char *src;       /* All owned. */
  char *alt;
  char *title;
} Image;

struct _MsMarkdownDoc
{
  gatomicrefcount ref_count;

  char *name;           /* File name used in messages. */
  char *title;          /* Front matter values, NULL when absent. */
  char *date;
  char *date_display;
  char *summary;

  GString *text;        /* Rendered text, UTF-8. */
  int n_chars;
  GArray *spans;        /* Span */
  GArray *headings;     /* Heading */
  GArray *images;       /* Image */
  GPtrArray *notices;   /* char *, human-readable remarks about the input */
  guint section_level;
};

/* An empty document; name is used in messages. */
MsMarkdownDoc  *ms_markdown_doc_new             (const char     *name);

G_GNUC_PRINTF (2, 3)
void            ms_markdown_doc_add_notice      (MsMarkdownDoc  *doc,
                                                 const char     *format,
                                                 ...);

/* Adds a span over [start, end), taking data; an empty span is dropped. */
static inline void
ms_markdown_doc_add_span (MsMarkdownDoc *doc,
                          SpanKind       kind,
                          guint          level,
                          int            start,
                          int            end,
                          char          *data)
{
  Span span = { start, end, kind, MIN (level, 255), data };

  if (end <= start)
    {
      g_free (data);
      return;
    }
  g_array_append_val (doc->spans, span);
}

/* Reads the front matter (ms-markdown-front-matter.c), if the text starts with a "---" line,
 * and returns the offset at which the Markdown body starts. */
gsize           ms_markdown_doc_parse_front_matter (MsMarkdownDoc *doc,
                                                    const char    *text,
                                                    gsize          length);

G_END_DECLS
