/* fuzz-markdown.c: libFuzzer target for the article panel's Markdown parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input goes through ms_markdown_doc_parse() (size and binary checks, UTF-8 repair, the
 * front matter, md4c), and the document is checked against what it promises: UTF-8 strings,
 * headings and images at offsets inside the text, an anchor character at each image. The
 * target links the parser's library only (GLib and md4c, no GTK); rendering the document
 * into a GtkTextBuffer is fuzzed by fuzz-markdown-render.c.
 */
#include "config.h"

#include "fuzz-common.h"
#include "ms-markdown-doc.h"

#define NAME "fuzz.md"

FUZZ_DEFINE_INITIALIZE ()

static void
check_string (const char *what,
              const char *value)
{
  if (value != NULL)
    FUZZ_CHECK (g_utf8_validate (value, -1, NULL), "%s is not valid UTF-8", what);
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
  return 0;
}
