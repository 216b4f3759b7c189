/* ms-markdown-render.c: a parsed Markdown document rendered into a GtkTextBuffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main-thread half of showing Markdown: the document's text goes into the buffer (a child
 * anchor where each image is, a mark at each heading), then one GtkTextTag per span
 * (ms-markdown-doc-private.h), in steps against the clock for big documents. The tags' look
 * (sizes, margins, colours) follows the reader's text size and the light or dark style. The
 * document itself comes from ms-markdown-parse.c, which needs no GTK.
 */
#include "config.h"

#include <string.h>

#include "ms-markdown-doc-private.h"
#include "ms-markdown-render.h"

typedef struct
{
  double font_scale;
  gboolean dark;
  GPtrArray *link_tags;   /* Anonymous per-target tags this renderer added to the table. */
  guint n_heading_marks;
} BufferStyle;

static GQuark style_quark;
static GQuark href_quark;
static GQuark term_quark;

/* Tags created in this order, so later ones win where they set the same property. */
static const char *fixed_tags[] = {
  "body", "p", "list-item", "list-end", "table-row", "blockquote", "html", "codeblock",
  "hr", "h6", "h5", "h4", "h3", "h2", "h1", "bullet", "table-header", "em", "strong",
  "strike", "underline", "code", "link", "term", "search-match", "search-current",
};

static void
buffer_style_free (gpointer data)
{
  BufferStyle *style = data;

  g_ptr_array_unref (style->link_tags);
  g_free (style);
}

static void
ensure_quarks (void)
{
  if (style_quark == 0)
    {
      style_quark = g_quark_from_static_string ("ms-markdown-style");
      href_quark = g_quark_from_static_string ("ms-markdown-href");
      term_quark = g_quark_from_static_string ("ms-markdown-term");
    }
}

static int
px (double value,
    double scale)
{
  return (int) (value * scale + 0.5);
}

static void
style_tag (GtkTextTag *tag,
           const char *name,
           double      s,
           gboolean    dark)
{
  const GdkRGBA dim = dark ? (GdkRGBA) { 1, 1, 1, 0.7 } : (GdkRGBA) { 0, 0, 0, 0.65 };
  const GdkRGBA shade = { 0.5, 0.5, 0.5, 0.16 };
  const GdkRGBA link = dark ? (GdkRGBA) { 0.47, 0.68, 0.93, 1 }     /* #78aeed */
                            : (GdkRGBA) { 0.11, 0.44, 0.85, 1 };    /* #1c71d8 */
  const GdkRGBA term = dark ? (GdkRGBA) { 0.86, 0.54, 0.87, 1 }     /* #dc8add */
                            : (GdkRGBA) { 0.51, 0.24, 0.61, 1 };    /* #813d9c */
  const GdkRGBA term_bg = dark ? (GdkRGBA) { 0.86, 0.54, 0.87, 0.14 }
                               : (GdkRGBA) { 0.57, 0.25, 0.67, 0.10 };
  const GdkRGBA match = dark ? (GdkRGBA) { 0.96, 0.76, 0.07, 0.35 }
                             : (GdkRGBA) { 0.96, 0.83, 0.18, 0.55 };
  const GdkRGBA current = dark ? (GdkRGBA) { 1.0, 0.47, 0.0, 0.6 }
                               : (GdkRGBA) { 1.0, 0.47, 0.0, 0.55 };

  if (strcmp (name, "body") == 0)
    g_object_set (tag, "scale", s, NULL);
  else if (strcmp (name, "p") == 0)
    g_object_set (tag, "pixels-below-lines", px (10, s), NULL);
  else if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0')
    {
      static const double scales[] = { 1.8, 1.45, 1.2, 1.05, 1.0, 1.0 };
      static const int above[] = { 22, 16, 12, 10, 8, 8 };
      static const int below[] = { 8, 6, 4, 4, 4, 4 };
      int level = name[1] - '1';

      g_object_set (tag,
                    "scale", scales[level] * s,
                    "weight", level == 0 ? 800 : PANGO_WEIGHT_BOLD,
                    "pixels-above-lines", px (above[level], s),
                    "pixels-below-lines", px (below[level], s),
                    NULL);
    }
  else if (strcmp (name, "em") == 0)
    g_object_set (tag, "style", PANGO_STYLE_ITALIC, NULL);
  else if (strcmp (name, "strong") == 0)
    g_object_set (tag, "weight", PANGO_WEIGHT_BOLD, NULL);
  else if (strcmp (name, "strike") == 0)
    g_object_set (tag, "strikethrough", TRUE, NULL);
  else if (strcmp (name, "underline") == 0)
    g_object_set (tag, "underline", PANGO_UNDERLINE_SINGLE, NULL);
  else if (strcmp (name, "code") == 0)
    g_object_set (tag, "family", "monospace", "scale", 0.95 * s, "background-rgba", &shade,
                  NULL);
  else if (strcmp (name, "codeblock") == 0)
    g_object_set (tag,
                  "family", "monospace",
                  "scale", 0.95 * s,
                  "paragraph-background-rgba", &shade,
                  "wrap-mode", GTK_WRAP_CHAR,
                  "pixels-below-lines", px (10, s),
                  "right-margin", px (8, s),
                  NULL);
  else if (strcmp (name, "html") == 0)
    g_object_set (tag, "family", "monospace", "scale", 0.95 * s, "foreground-rgba", &dim,
                  NULL);
  else if (strcmp (name, "blockquote") == 0)
    g_object_set (tag, "style", PANGO_STYLE_ITALIC, "foreground-rgba", &dim,
                  "pixels-below-lines", px (6, s), NULL);
  else if (g_str_has_prefix (name, "indent-"))
    g_object_set (tag, "left-margin", px (26 * g_ascii_strtoull (name + 7, NULL, 10), s),
                  NULL);
  else if (strcmp (name, "list-item") == 0)
    g_object_set (tag, "indent", -px (18, s), "pixels-below-lines", px (3, s), NULL);
  else if (strcmp (name, "list-end") == 0)
    g_object_set (tag, "pixels-below-lines", px (12, s), NULL);
  else if (strcmp (name, "bullet") == 0)
    g_object_set (tag, "weight", PANGO_WEIGHT_BOLD, NULL);
  else if (strcmp (name, "link") == 0)
    g_object_set (tag, "foreground-rgba", &link, "underline", PANGO_UNDERLINE_SINGLE, NULL);
  else if (strcmp (name, "term") == 0)
    g_object_set (tag, "foreground-rgba", &term, "background-rgba", &term_bg,
                  "weight", 600, NULL);
  else if (strcmp (name, "hr") == 0)
    g_object_set (tag, "justification", GTK_JUSTIFY_CENTER, "foreground-rgba", &dim,
                  "pixels-above-lines", px (6, s), "pixels-below-lines", px (12, s), NULL);
  else if (strcmp (name, "table-row") == 0)
    g_object_set (tag, "pixels-below-lines", px (2, s), NULL);
  else if (strcmp (name, "table-header") == 0)
    g_object_set (tag, "weight", PANGO_WEIGHT_BOLD, NULL);
  else if (strcmp (name, "search-match") == 0)
    g_object_set (tag, "background-rgba", &match, NULL);
  else if (strcmp (name, "search-current") == 0)
    g_object_set (tag, "background-rgba", &current, NULL);
}

static BufferStyle *
ensure_buffer_style (GtkTextBuffer *buffer)
{
  BufferStyle *style;

  ensure_quarks ();
  style = g_object_get_qdata (G_OBJECT (buffer), style_quark);
  if (style == NULL)
    {
      GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);

      style = g_new0 (BufferStyle, 1);
      style->font_scale = 1.0;
      style->link_tags = g_ptr_array_new ();
      g_object_set_qdata_full (G_OBJECT (buffer), style_quark, style, buffer_style_free);
      for (guint i = 0; i < G_N_ELEMENTS (fixed_tags); i++)
        {
          GtkTextTag *tag = gtk_text_tag_table_lookup (table, fixed_tags[i]);

          if (tag == NULL)
            {
              tag = gtk_text_tag_new (fixed_tags[i]);
              gtk_text_tag_table_add (table, tag);
              g_object_unref (tag);
            }
          style_tag (tag, fixed_tags[i], style->font_scale, style->dark);
        }
    }
  return style;
}

static GtkTextTag *
ensure_tag (GtkTextBuffer *buffer,
            BufferStyle   *style,
            const char    *name)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);

  if (tag == NULL)
    {
      tag = gtk_text_tag_new (name);
      style_tag (tag, name, style->font_scale, style->dark);
      gtk_text_tag_table_add (table, tag);
      g_object_unref (tag);
    }
  return tag;
}

static GtkTextTag *
target_tag (GtkTextBuffer *buffer,
            BufferStyle   *style,
            GHashTable    *cache,
            GQuark         quark,
            const char    *target)
{
  g_autofree char *key = g_strdup_printf ("%c%s", quark == href_quark ? 'h' : 't', target);
  GtkTextTag *tag = g_hash_table_lookup (cache, key);

  if (tag == NULL)
    {
      tag = gtk_text_tag_new (NULL);
      g_object_set_qdata_full (G_OBJECT (tag), quark, g_strdup (target), g_free);
      gtk_text_tag_table_add (gtk_text_buffer_get_tag_table (buffer), tag);
      g_ptr_array_add (style->link_tags, tag);
      g_hash_table_insert (cache, g_steal_pointer (&key), tag);
      g_object_unref (tag);
    }
  return tag;
}

static const char *
span_tag_name (const Span *span,
               char        buffer[16])
{
  switch ((SpanKind) span->kind)
    {
    case KIND_P: return "p";
    case KIND_H: g_snprintf (buffer, 16, "h%u", span->level); return buffer;
    case KIND_EM: return "em";
    case KIND_STRONG: return "strong";
    case KIND_DEL: return "strike";
    case KIND_U: return "underline";
    case KIND_CODE: return "code";
    case KIND_CODEBLOCK: return "codeblock";
    case KIND_HTML: return "html";
    case KIND_QUOTE: return "blockquote";
    case KIND_INDENT: g_snprintf (buffer, 16, "indent-%u", span->level); return buffer;
    case KIND_LIST_ITEM: return "list-item";
    case KIND_LIST_END: return "list-end";
    case KIND_BULLET: return "bullet";
    case KIND_LINK: return "link";
    case KIND_TERM: return "term";
    case KIND_HR: return "hr";
    case KIND_TABLE_ROW: return "table-row";
    case KIND_TABLE_HEADER: return "table-header";
    default: return NULL;
    }
}

/* Text is inserted in pieces of this many bytes, tags checked against the clock in groups. */
#define TEXT_CHUNK 65536
#define SPANS_PER_CLOCK_CHECK 256

struct _MsMarkdownRenderer
{
  MsMarkdownDoc *doc;         /* Owned. */
  GtkTextBuffer *buffer;      /* Owned. */
  BufferStyle *style;         /* Owned by the buffer. */
  GHashTable *cache;          /* Owned: per-target tags of this document. */
  gsize text_byte;            /* Next byte of doc->text to insert. */
  int text_offset;            /* Its character offset. */
  guint next_image;
  guint next_span;
  gboolean text_done;
};

MsMarkdownRenderer *
ms_markdown_renderer_new (MsMarkdownDoc *doc,
                          GtkTextBuffer *buffer)
{
  MsMarkdownRenderer *renderer;
  GtkTextTagTable *table;
  BufferStyle *style;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);

  style = ensure_buffer_style (buffer);
  table = gtk_text_buffer_get_tag_table (buffer);

  /* Forget the previous document: text, per-target tags, heading marks. */
  gtk_text_buffer_set_text (buffer, "", 0);
  for (guint i = 0; i < style->link_tags->len; i++)
    gtk_text_tag_table_remove (table, g_ptr_array_index (style->link_tags, i));
  g_ptr_array_set_size (style->link_tags, 0);
  for (guint i = 0; i < style->n_heading_marks; i++)
    {
      g_autofree char *name = g_strdup_printf ("ms-heading-%u", i);
      GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, name);

      if (mark != NULL)
        gtk_text_buffer_delete_mark (buffer, mark);
    }
  style->n_heading_marks = 0;

  renderer = g_new0 (MsMarkdownRenderer, 1);
  renderer->doc = ms_markdown_doc_ref (doc);
  renderer->buffer = g_object_ref (buffer);
  renderer->style = style;
  renderer->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return renderer;
}

void
ms_markdown_renderer_free (MsMarkdownRenderer *renderer)
{
  if (renderer == NULL)
    return;
  ms_markdown_doc_unref (renderer->doc);
  g_object_unref (renderer->buffer);
  g_hash_table_unref (renderer->cache);
  g_free (renderer);
}

/* Inserts the next piece of text, or the child anchor standing for the next image. */
static void
insert_text_piece (MsMarkdownRenderer *renderer)
{
  MsMarkdownDoc *doc = renderer->doc;
  const char *p = doc->text->str + renderer->text_byte;
  const char *text_end = doc->text->str + doc->text->len;
  const char *q = MIN (p + TEXT_CHUNK, text_end);
  GtkTextIter end;

  /* Never split a character. */
  while (q < text_end && ((guchar) *q & 0xC0) == 0x80)
    q++;
  if (renderer->next_image < doc->images->len)
    {
      Image *image = &g_array_index (doc->images, Image, renderer->next_image);

      if (image->offset == renderer->text_offset)
        {
          gtk_text_buffer_get_end_iter (renderer->buffer, &end);
          gtk_text_buffer_create_child_anchor (renderer->buffer, &end);
          renderer->text_byte += strlen ("\uFFFC");
          renderer->text_offset++;
          renderer->next_image++;
          return;
        }
      if (image->offset - renderer->text_offset < q - p)
        {
          const char *anchor = g_utf8_offset_to_pointer (p, image->offset - renderer->text_offset);

          q = MIN (q, anchor);
        }
    }
  gtk_text_buffer_get_end_iter (renderer->buffer, &end);
  gtk_text_buffer_insert (renderer->buffer, &end, p, q - p);
  renderer->text_offset += g_utf8_strlen (p, q - p);
  renderer->text_byte += q - p;
}

static void
finish_text (MsMarkdownRenderer *renderer)
{
  MsMarkdownDoc *doc = renderer->doc;
  GtkTextBuffer *buffer = renderer->buffer;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag_by_name (buffer, "body", &start, &end);
  for (guint i = 0; i < doc->headings->len; i++)
    {
      Heading *heading = &g_array_index (doc->headings, Heading, i);
      g_autofree char *name = g_strdup_printf ("ms-heading-%u", i);

      gtk_text_buffer_get_iter_at_offset (buffer, &start, heading->offset);
      gtk_text_buffer_create_mark (buffer, name, &start, TRUE);
    }
  renderer->style->n_heading_marks = doc->headings->len;
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  renderer->text_done = TRUE;
}

static gboolean
span_is_block (const Span *span)
{
  switch ((SpanKind) span->kind)
    {
    case KIND_P:
    case KIND_H:
    case KIND_CODEBLOCK:
    case KIND_HTML:
    case KIND_QUOTE:
    case KIND_INDENT:
    case KIND_LIST_ITEM:
    case KIND_LIST_END:
    case KIND_HR:
    case KIND_TABLE_ROW:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
apply_span (MsMarkdownRenderer *renderer,
            const Span         *span)
{
  GtkTextBuffer *buffer = renderer->buffer;
  char name_buffer[16];
  const char *name = span_tag_name (span, name_buffer);
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, span->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, span->end);
  /* Block tags stop before the line's final newline: GTK takes a line's paragraph
   * properties from its first character, and a tag ending past a newline can make the text
   * view lay out the next line with this tag's style after later tag changes. */
  if (span_is_block (span) && span->end - span->start > 1)
    {
      GtkTextIter last = end;

      if (gtk_text_iter_backward_char (&last) && gtk_text_iter_ends_line (&last))
        end = last;
    }
  if (name != NULL)
    gtk_text_buffer_apply_tag (buffer, ensure_tag (buffer, renderer->style, name), &start, &end);
  if (span->kind == KIND_LINK || span->kind == KIND_TERM)
    gtk_text_buffer_apply_tag (buffer,
                               target_tag (buffer, renderer->style, renderer->cache,
                                           span->kind == KIND_LINK ? href_quark : term_quark,
                                           span->data != NULL ? span->data : ""),
                               &start, &end);
}

gboolean
ms_markdown_renderer_step (MsMarkdownRenderer *renderer,
                           gint64              budget_us)
{
  MsMarkdownDoc *doc;
  gint64 deadline;

  g_return_val_if_fail (renderer != NULL, TRUE);

  doc = renderer->doc;
  deadline = budget_us >= G_MAXINT64 / 2 ? G_MAXINT64 : g_get_monotonic_time () + budget_us;

  while (!renderer->text_done)
    {
      if (renderer->text_byte < doc->text->len)
        insert_text_piece (renderer);
      else
        finish_text (renderer);
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
    }

  while (renderer->next_span < doc->spans->len)
    {
      guint stop = MIN (renderer->next_span + SPANS_PER_CLOCK_CHECK, doc->spans->len);

      for (; renderer->next_span < stop; renderer->next_span++)
        apply_span (renderer, &g_array_index (doc->spans, Span, renderer->next_span));
      if (renderer->next_span < doc->spans->len && g_get_monotonic_time () >= deadline)
        return FALSE;
    }
  gtk_text_buffer_set_modified (renderer->buffer, FALSE);
  return TRUE;
}

void
ms_markdown_doc_render (MsMarkdownDoc *doc,
                        GtkTextBuffer *buffer)
{
  g_autoptr (MsMarkdownRenderer) renderer = NULL;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  renderer = ms_markdown_renderer_new (doc, buffer);
  while (!ms_markdown_renderer_step (renderer, G_MAXINT64))
    ;
}

typedef struct
{
  double font_scale;
  gboolean dark;
} RestyleData;

static void
restyle_tag_cb (GtkTextTag *tag,
                gpointer    user_data)
{
  RestyleData *data = user_data;
  g_autofree char *name = NULL;

  g_object_get (tag, "name", &name, NULL);
  if (name != NULL)
    style_tag (tag, name, data->font_scale, data->dark);
}

void
ms_markdown_buffer_set_style (GtkTextBuffer *buffer,
                              double         font_scale,
                              gboolean       dark)
{
  BufferStyle *style;
  RestyleData data = { font_scale, dark };

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (font_scale > 0);

  style = ensure_buffer_style (buffer);
  style->font_scale = font_scale;
  style->dark = dark;
  gtk_text_tag_table_foreach (gtk_text_buffer_get_tag_table (buffer), restyle_tag_cb, &data);
}

gboolean
ms_markdown_iter_get_link (const GtkTextIter  *iter,
                           const char        **href,
                           const char        **term_id)
{
  g_autoptr (GSList) tags = gtk_text_iter_get_tags (iter);
  const char *found_href = NULL;
  const char *found_term = NULL;

  ensure_quarks ();
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      const char *value;

      if ((value = g_object_get_qdata (l->data, href_quark)) != NULL)
        found_href = value;
      if ((value = g_object_get_qdata (l->data, term_quark)) != NULL)
        found_term = value;
    }
  if (href != NULL)
    *href = found_href;
  if (term_id != NULL)
    *term_id = found_term;
  return found_href != NULL || found_term != NULL;
}
