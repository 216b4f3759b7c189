/* fuzz-markdown-render.c: libFuzzer target for rendering Markdown into a GtkTextBuffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is parsed with ms_markdown_doc_parse() (fuzz-markdown.c checks the document
 * itself) and rendered with ms_markdown_doc_render() into a GtkTextBuffer, which is checked
 * against what the document promises: the same number of characters, a child anchor at each
 * image offset, a mark at each heading offset, no mark left over from a longer document, and
 * UTF-8 link targets wherever a link is found. It links libms (GTK); it shares the markdown
 * target's dictionary, seed corpus and regression inputs (smoke.sh).
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
  g_autoptr (MsMarkdownDoc) doc = NULL;
  const char *text;

  doc = ms_markdown_doc_parse ((const char *) data, size, NAME, NULL);
  if (doc == NULL)
    return 0;
  text = ms_markdown_doc_get_text (doc);
  FUZZ_CHECK (text != NULL && g_utf8_validate (text, -1, NULL), "text is not valid UTF-8");
  check_render (doc, g_utf8_strlen (text, -1));
  return 0;
}
