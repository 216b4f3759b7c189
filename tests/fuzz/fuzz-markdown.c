/* fuzz-markdown.c: libFuzzer target for the article panel's Markdown path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input goes through ms_markdown_doc_parse() (size and binary checks, UTF-8 repair, the
 * front matter, md4c) and then ms_markdown_doc_render() into a GtkTextBuffer, which is
 * checked against what the document promises: the same number of characters, a child anchor
 * at each image offset, a mark at each heading offset.
 */
#include "config.h"

#include "fuzz-common.h"
#include "ms-markdown.h"

#define NAME "fuzz.md"

static GtkTextBuffer *buffer;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_common_init ();
  /* A text buffer and its tags need no display, so rendering is fuzzed headless as well;
   * GTK is initialised only where a display exists, as the application would be. */
  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    gtk_init_check ();
  buffer = gtk_text_buffer_new (NULL);
  return 0;
}

static void
check_string (const char *what,
              const char *value)
{
  if (value != NULL)
    FUZZ_CHECK (g_utf8_validate (value, -1, NULL), "%s is not valid UTF-8", what);
}

static void
check_render (MsMarkdownDoc *doc,
              glong          n_chars)
{
  GtkTextIter iter;
  guint n_headings = ms_markdown_doc_get_n_headings (doc);

  ms_markdown_doc_render (doc, buffer);
  FUZZ_CHECK (gtk_text_buffer_get_char_count (buffer) == n_chars,
              "buffer has %d characters, the document %ld",
              gtk_text_buffer_get_char_count (buffer), n_chars);
  for (guint i = 0; i < ms_markdown_doc_get_n_images (doc); i++)
    {
      int offset = ms_markdown_doc_get_image (doc, i, NULL, NULL, NULL);

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
      FUZZ_CHECK (gtk_text_iter_get_child_anchor (&iter) != NULL,
                  "no child anchor for image %u at offset %d", i, offset);
    }
  for (guint i = 0; i < n_headings; i++)
    {
      g_autofree char *name = g_strdup_printf ("ms-heading-%u", i);
      GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, name);
      int offset;

      ms_markdown_doc_get_heading (doc, i, NULL, &offset);
      FUZZ_CHECK (mark != NULL, "no mark %s", name);
      gtk_text_buffer_get_iter_at_mark (buffer, &iter, mark);
      FUZZ_CHECK (gtk_text_iter_get_offset (&iter) == offset, "mark %s at %d, heading at %d",
                  name, gtk_text_iter_get_offset (&iter), offset);
    }
  /* A leftover mark from a previous, longer document would be a stale anchor target. */
  {
    g_autofree char *name = g_strdup_printf ("ms-heading-%u", n_headings);
    FUZZ_CHECK (gtk_text_buffer_get_mark (buffer, name) == NULL, "stale mark %s", name);
  }

  ms_markdown_buffer_set_style (buffer, 1.5, TRUE);
  ms_markdown_buffer_set_style (buffer, 1.0, FALSE);

  /* Link lookups at every position of short documents, at a sample of long ones. */
  for (glong offset = 0; offset < n_chars; offset += n_chars < 4096 ? 1 : 97)
    {
      const char *href = NULL;
      const char *term = NULL;
      gboolean found;

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
      found = ms_markdown_iter_get_link (&iter, &href, &term);
      FUZZ_CHECK (found == (href != NULL || term != NULL), "link lookup at %ld", offset);
      check_string ("href", href);
      check_string ("term", term);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MsMarkdownDoc) doc = NULL;
  const char *text;
  glong n_chars;

  doc = ms_markdown_doc_parse ((const char *) data, size, NAME, &error);
  if (doc == NULL)
    {
      FUZZ_CHECK (error != NULL, "NULL document without an error");
      FUZZ_CHECK (error->domain == MS_MARKDOWN_ERROR, "error domain %s",
                  g_quark_to_string (error->domain));
      FUZZ_CHECK (strstr (error->message, NAME) != NULL, "message does not name the file: %s",
                  error->message);
      return 0;
    }
  FUZZ_CHECK (error == NULL, "document returned with an error: %s", error->message);

  text = ms_markdown_doc_get_text (doc);
  FUZZ_CHECK (text != NULL && g_utf8_validate (text, -1, NULL), "text is not valid UTF-8");
  n_chars = g_utf8_strlen (text, -1);
  check_string ("name", ms_markdown_doc_get_name (doc));
  check_string ("title", ms_markdown_doc_get_title (doc));
  check_string ("date", ms_markdown_doc_get_date (doc));
  check_string ("date display", ms_markdown_doc_get_date_display (doc));
  check_string ("summary", ms_markdown_doc_get_summary (doc));
  for (guint i = 0; i < ms_markdown_doc_get_n_notices (doc); i++)
    check_string ("notice", ms_markdown_doc_get_notice (doc, i));

  for (guint i = 0; i < ms_markdown_doc_get_n_headings (doc); i++)
    {
      guint level = 0;
      int offset = -1;
      const char *title = ms_markdown_doc_get_heading (doc, i, &level, &offset);
      g_autofree char *slug = NULL;

      FUZZ_CHECK (title != NULL, "heading %u has no title", i);
      check_string ("heading", title);
      FUZZ_CHECK (level >= 1 && level <= 6, "heading %u has level %u", i, level);
      FUZZ_CHECK (offset >= 0 && offset <= n_chars, "heading %u at %d of %ld", i, offset,
                  n_chars);
      slug = ms_markdown_slugify (title);
      check_string ("slug", slug);
    }
  if (ms_markdown_doc_get_n_headings (doc) > 0)
    {
      guint section = ms_markdown_doc_get_section_level (doc);
      FUZZ_CHECK (section >= 1 && section <= 6, "section level %u", section);
    }

  for (guint i = 0; i < ms_markdown_doc_get_n_images (doc); i++)
    {
      const char *src = NULL, *alt = NULL, *title = NULL;
      int offset = ms_markdown_doc_get_image (doc, i, &src, &alt, &title);

      FUZZ_CHECK (offset >= 0 && offset < n_chars, "image %u at %d of %ld", i, offset, n_chars);
      FUZZ_CHECK (g_utf8_get_char (g_utf8_offset_to_pointer (text, offset)) ==
                  MS_MARKDOWN_ANCHOR_CHAR, "image %u at %d is not on an anchor character", i,
                  offset);
      check_string ("image src", src);
      check_string ("image alt", alt);
      check_string ("image title", title);
    }

  check_render (doc, n_chars);
  return 0;
}
