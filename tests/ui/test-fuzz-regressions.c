/* test-fuzz-regressions.c: Markdown inputs fuzz-markdown once broke, kept as tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every tests/fuzz/regressions/markdown-* file gets a test case that holds it to the contract
 * fuzz-markdown enforces: refused with an error, or parsed into UTF-8 text whose headings and
 * images are in range, and rendered into a GtkTextBuffer with the same number of characters,
 * an anchor per image and a mark per heading. A text buffer needs no display, so these run
 * without one. Assertions do not abort, so every input reports.
 */
#include "config.h"

#include <string.h>

#include "ms-markdown.h"

static char *
regression_path (const char *name)
{
  const char *root = g_getenv ("MESASCOPE_SOURCE_DIR");

  /* meson test sets this; run by hand with MESASCOPE_SOURCE_DIR=<source tree>. */
  return g_build_filename (root != NULL ? root : ".", "tests", "fuzz", "regressions", name, NULL);
}

static MsMarkdownDoc *
parse_regression (const char  *name,
                  GError     **error)
{
  g_autofree char *path = regression_path (name);
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return ms_markdown_doc_parse (data, length, name, error);
}

static void
test_input (gconstpointer user_data)
{
  const char *name = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MsMarkdownDoc) doc = parse_regression (name, &error);
  g_autoptr (GtkTextBuffer) buffer = NULL;
  const char *text;
  glong n_chars;
  GtkTextIter iter;

  if (doc == NULL)
    {
      g_assert_nonnull (error);
      if (error != NULL)
        {
          g_assert_cmpstr (g_quark_to_string (error->domain), ==,
                           g_quark_to_string (MS_MARKDOWN_ERROR));
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
      return;
    }
  g_assert_no_error (error);

  text = ms_markdown_doc_get_text (doc);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  n_chars = g_utf8_strlen (text, -1);
  for (guint i = 0; i < ms_markdown_doc_get_n_headings (doc); i++)
    {
      int offset = -1;
      const char *title = ms_markdown_doc_get_heading (doc, i, NULL, &offset);

      g_assert_true (title != NULL && g_utf8_validate (title, -1, NULL));
      g_assert_cmpint (offset, >=, 0);
      g_assert_cmpint (offset, <=, n_chars);
    }
  for (guint i = 0; i < ms_markdown_doc_get_n_images (doc); i++)
    {
      int offset = ms_markdown_doc_get_image (doc, i, NULL, NULL, NULL);

      g_assert_cmpint (offset, >=, 0);
      g_assert_cmpint (offset, <, n_chars);
    }

  buffer = gtk_text_buffer_new (NULL);
  ms_markdown_doc_render (doc, buffer);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, n_chars);
  for (guint i = 0; i < ms_markdown_doc_get_n_images (doc); i++)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &iter,
                                          ms_markdown_doc_get_image (doc, i, NULL, NULL, NULL));
      g_assert_nonnull (gtk_text_iter_get_child_anchor (&iter));
    }
  for (guint i = 0; i < ms_markdown_doc_get_n_headings (doc); i++)
    {
      g_autofree char *mark_name = g_strdup_printf ("ms-heading-%u", i);
      GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, mark_name);
      int offset;

      ms_markdown_doc_get_heading (doc, i, NULL, &offset);
      g_assert_nonnull (mark);
      if (mark == NULL)
        continue;
      gtk_text_buffer_get_iter_at_mark (buffer, &iter, mark);
      g_assert_cmpint (gtk_text_iter_get_offset (&iter), ==, offset);
    }
}

/* A heading's title was copied from a pointer into the text taken before the text grew by
 * the heading's newline; when that growth moved the string (a 127-character heading fills
 * 128 bytes exactly), the copy read freed memory with a length that made no sense. */
static void
test_heading_127_chars (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MsMarkdownDoc) doc = parse_regression ("markdown-heading-127-chars.md", &error);
  g_autofree char *expected = g_strnfill (127, 'a');
  guint level = 0;

  g_assert_no_error (error);
  if (doc == NULL)
    return;
  g_assert_cmpuint (ms_markdown_doc_get_n_headings (doc), ==, 1);
  if (ms_markdown_doc_get_n_headings (doc) != 1)
    return;
  g_assert_cmpstr (ms_markdown_doc_get_heading (doc, 0, &level, NULL), ==, expected);
  g_assert_cmpuint (level, ==, 1);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir_path = regression_path (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "markdown-"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  /* An empty folder would mean the tests run from the wrong place. */
  g_assert_cmpuint (names->len, >=, 1);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_strconcat ("/ui/fuzz-regressions/input/", file, NULL);

      g_test_add_data_func (path, file, test_input);
    }
  g_test_add_func ("/ui/fuzz-regressions/heading-127-chars", test_heading_127_chars);

  /* From here on, a failed assertion fails its test case and the others still run; the checks
   * above this line abort. */
  g_test_set_nonfatal_assertions ();
  return g_test_run ();
}
