/* ms-markdown-doc.c: the parsed Markdown document: its parts, their accessors, heading slugs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading Markdown happens in two steps. ms_markdown_doc_parse() (ms-markdown-parse.c, with
 * the front matter in ms-markdown-front-matter.c) validates the bytes, reads the front matter
 * and walks md4c's callbacks to build plain text plus a list of spans (character ranges with
 * a kind: heading, emphasis, link, ...). It owns no GTK object, so the panel runs it in a
 * worker thread. ms_markdown_doc_render() (ms-markdown-render.c) then inserts the text into a
 * buffer and applies one GtkTextTag per span, on the main thread. This file holds the
 * document between the two; like the parser it includes no GTK header.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-markdown-doc.h"
#include "ms-markdown-doc-private.h"

G_DEFINE_QUARK (ms-markdown-error-quark, ms_markdown_error)

static void
span_clear (gpointer data)
{
  Span *span = data;

  g_free (span->data);
}

static void
heading_clear (gpointer data)
{
  Heading *heading = data;

  g_free (heading->title);
}

static void
image_clear (gpointer data)
{
  Image *image = data;

  g_free (image->src);
  g_free (image->alt);
  g_free (image->title);
}

MsMarkdownDoc *
ms_markdown_doc_new (const char *name)
{
  MsMarkdownDoc *doc = g_new0 (MsMarkdownDoc, 1);

  g_atomic_ref_count_init (&doc->ref_count);
  doc->name = g_strdup (name != NULL ? name : _("document"));
  doc->text = g_string_new (NULL);
  doc->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_array_set_clear_func (doc->spans, span_clear);
  doc->headings = g_array_new (FALSE, FALSE, sizeof (Heading));
  g_array_set_clear_func (doc->headings, heading_clear);
  doc->images = g_array_new (FALSE, FALSE, sizeof (Image));
  g_array_set_clear_func (doc->images, image_clear);
  doc->notices = g_ptr_array_new_with_free_func (g_free);
  return doc;
}

MsMarkdownDoc *
ms_markdown_doc_ref (MsMarkdownDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  g_atomic_ref_count_inc (&doc->ref_count);
  return doc;
}

void
ms_markdown_doc_unref (MsMarkdownDoc *doc)
{
  g_return_if_fail (doc != NULL);

  if (!g_atomic_ref_count_dec (&doc->ref_count))
    return;
  g_free (doc->name);
  g_free (doc->title);
  g_free (doc->date);
  g_free (doc->date_display);
  g_free (doc->summary);
  g_string_free (doc->text, TRUE);
  g_array_unref (doc->spans);
  g_array_unref (doc->headings);
  g_array_unref (doc->images);
  g_ptr_array_unref (doc->notices);
  g_free (doc);
}

void
ms_markdown_doc_add_notice (MsMarkdownDoc *doc,
                            const char    *format,
                            ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (doc->notices, g_strdup_vprintf (format, args));
  va_end (args);
}

const char *
ms_markdown_doc_get_name (MsMarkdownDoc *doc)
{
  return doc->name;
}

const char *
ms_markdown_doc_get_title (MsMarkdownDoc *doc)
{
  return doc->title;
}

const char *
ms_markdown_doc_get_date (MsMarkdownDoc *doc)
{
  return doc->date;
}

const char *
ms_markdown_doc_get_date_display (MsMarkdownDoc *doc)
{
  return doc->date_display;
}

const char *
ms_markdown_doc_get_summary (MsMarkdownDoc *doc)
{
  return doc->summary;
}

const char *
ms_markdown_doc_get_text (MsMarkdownDoc *doc)
{
  return doc->text->str;
}

guint
ms_markdown_doc_get_n_notices (MsMarkdownDoc *doc)
{
  return doc->notices->len;
}

const char *
ms_markdown_doc_get_notice (MsMarkdownDoc *doc,
                            guint          index)
{
  g_return_val_if_fail (index < doc->notices->len, NULL);

  return g_ptr_array_index (doc->notices, index);
}

guint
ms_markdown_doc_get_n_headings (MsMarkdownDoc *doc)
{
  return doc->headings->len;
}

const char *
ms_markdown_doc_get_heading (MsMarkdownDoc *doc,
                             guint          index,
                             guint         *level,
                             int           *offset)
{
  Heading *heading;

  g_return_val_if_fail (index < doc->headings->len, NULL);

  heading = &g_array_index (doc->headings, Heading, index);
  if (level != NULL)
    *level = heading->level;
  if (offset != NULL)
    *offset = heading->offset;
  return heading->title;
}

guint
ms_markdown_doc_get_section_level (MsMarkdownDoc *doc)
{
  return doc->section_level;
}

guint
ms_markdown_doc_get_n_images (MsMarkdownDoc *doc)
{
  return doc->images->len;
}

int
ms_markdown_doc_get_image (MsMarkdownDoc  *doc,
                           guint           index,
                           const char    **src,
                           const char    **alt,
                           const char    **title)
{
  Image *image;

  g_return_val_if_fail (index < doc->images->len, -1);

  image = &g_array_index (doc->images, Image, index);
  if (src != NULL)
    *src = image->src;
  if (alt != NULL)
    *alt = image->alt;
  if (title != NULL)
    *title = image->title;
  return image->offset;
}

char *
ms_markdown_slugify (const char *text)
{
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '_')
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          dash = FALSE;
          g_string_append_unichar (slug, g_unichar_tolower (c));
        }
      else if (g_unichar_isspace (c) || c == '-')
        dash = TRUE;
    }
  return g_string_free (slug, FALSE);
}
