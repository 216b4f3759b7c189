/* test-markdown-parse.c: the Markdown parser alone: front matter, headings, pictures, refusals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cases that look only at the parsed document (ms-markdown-doc.h), not at a rendered
 * buffer. This test links the parser's library (libms-markdown) and no GTK, so it runs
 * without a display: it is in the "markdown" suite, not "ui", although it shares the corpus
 * in tests/ui/markdown with the renderer's cases in test-markdown.c.
 */
#include "config.h"

#include <string.h>

#include "ms-markdown-doc.h"

/* A file of the source tree, from MESASCOPE_SOURCE_DIR (meson test sets it) or two levels
 * above the test's distribution directory (tests/markdown). */
static char *
source_path (const char *relative)
{
  const char *source_dir = g_getenv ("MESASCOPE_SOURCE_DIR");

  if (source_dir != NULL)
    return g_build_filename (source_dir, relative, NULL);
  return g_test_build_filename (G_TEST_DIST, "..", "..", relative, NULL);
}

static MsMarkdownDoc *
parse_file (const char *path,
            const char *name)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  MsMarkdownDoc *doc;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_no_error (error);
  doc = ms_markdown_doc_parse (data, length, name, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static MsMarkdownDoc *
parse_corpus (const char *name)
{
  g_autofree char *relative = g_build_filename ("tests", "ui", "markdown", name, NULL);
  g_autofree char *path = source_path (relative);

  return parse_file (path, name);
}

static void
test_article (void)
{
  g_autofree char *path = source_path ("data/article/mesa-optimizers.md");
  g_autoptr (MsMarkdownDoc) doc = parse_file (path, "mesa-optimizers.md");
  const char *text = ms_markdown_doc_get_text (doc);
  const char *src, *alt, *title;
  guint level;
  int offset;

  /* Front matter, with the summary's indented continuation line joined. */
  g_assert_cmpstr (ms_markdown_doc_get_title (doc), ==, "Mesa Optimizers");
  g_assert_cmpstr (ms_markdown_doc_get_date (doc), ==, "2023-10-22T13:25:53+02:00");
  g_assert_cmpstr (ms_markdown_doc_get_date_display (doc), ==, "22 October 2023");
  g_assert_cmpstr (ms_markdown_doc_get_summary (doc), ==,
                   "Sometimes an optimization loop may create agents that are themselves "
                   "optimizers.");
  g_assert_cmpuint (ms_markdown_doc_get_n_notices (doc), ==, 0);

  /* The three sections. */
  g_assert_cmpuint (ms_markdown_doc_get_n_headings (doc), ==, 3);
  g_assert_cmpuint (ms_markdown_doc_get_section_level (doc), ==, 1);
  g_assert_cmpstr (ms_markdown_doc_get_heading (doc, 0, &level, NULL), ==, "Basic");
  g_assert_cmpuint (level, ==, 1);
  g_assert_cmpstr (ms_markdown_doc_get_heading (doc, 1, NULL, NULL), ==, "Intermediate");
  g_assert_cmpstr (ms_markdown_doc_get_heading (doc, 2, NULL, NULL), ==, "Advanced");

  /* The picture: alt text, and the title with its escaped quote resolved. */
  g_assert_cmpuint (ms_markdown_doc_get_n_images (doc), ==, 1);
  offset = ms_markdown_doc_get_image (doc, 0, &src, &alt, &title);
  g_assert_cmpint (offset, ==, 0);
  g_assert_cmpstr (src, ==, "/mesa-optimizers.jpg");
  g_assert_cmpstr (alt, ==, "Mesa Optimizers");
  g_assert_true (g_str_has_prefix (title, "Deep learning often involves human AI researchers"));
  g_assert_nonnull (strstr (title, "that's closer to its goal function."));

  /* The text has neither the front matter nor the picture's address; the picture is one
   * anchor character. */
  g_assert_false (g_str_has_prefix (text, "---"));
  g_assert_null (strstr (text, "title:"));
  g_assert_null (strstr (text, "mesa-optimizers.jpg"));
  g_assert_cmpuint (g_utf8_get_char (g_utf8_offset_to_pointer (text, offset)), ==,
                    MS_MARKDOWN_ANCHOR_CHAR);
}

static void
test_front_matter_keys (void)
{
  static const struct
  {
    const char *file;
    const char *title;
    const char *date;
    const char *summary;
    const char *body;
  } cases[] = {
    { "fm-full.md", "A Full Header", "29 February 2024", "Everything is set.", "Body\nText.\n" },
    { "fm-no-title.md", NULL, "29 February 2024", "No title here.", "Body text.\n" },
    { "fm-no-date.md", "Dateless", NULL, "No date here.", "Body text.\n" },
    { "fm-no-summary.md", "Summaryless", "22 October 2023", NULL, "Body text.\n" },
    { "fm-none.md", NULL, NULL, NULL, "Just a heading\ntitle: this is not front matter\n" },
    { "fm-quoted.md", "It's quoted", "5 January 2021",
      "A \"double\" quoted summary over two lines", "Body text.\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MsMarkdownDoc) doc = parse_corpus (cases[i].file);

      g_test_message ("%s", cases[i].file);
      g_assert_cmpstr (ms_markdown_doc_get_title (doc), ==, cases[i].title);
      g_assert_cmpstr (ms_markdown_doc_get_date_display (doc), ==, cases[i].date);
      g_assert_cmpstr (ms_markdown_doc_get_summary (doc), ==, cases[i].summary);
      g_assert_cmpuint (ms_markdown_doc_get_n_notices (doc), ==, 0);
      g_assert_cmpstr (ms_markdown_doc_get_text (doc), ==, cases[i].body);
    }
}

static void
test_front_matter_broken (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("fm-broken.md");

  /* The good key is read, the bad lines are named by number, the body is kept. */
  g_assert_cmpstr (ms_markdown_doc_get_title (doc), ==, "Broken Header");
  g_assert_cmpuint (ms_markdown_doc_get_n_notices (doc), ==, 2);
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 0), "fm-broken.md, line 3"));
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 0), "this line is not"));
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 1), "fm-broken.md, line 4"));
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 1), "2022-13-45"));
  g_assert_cmpstr (ms_markdown_doc_get_date_display (doc), ==, "2022-13-45");
  g_assert_cmpstr (ms_markdown_doc_get_text (doc), ==, "The body still renders.\n");
}

static void
test_front_matter_unterminated_quote (void)
{
  static const char source[] = "---\ntitle: \"Open quote\n---\nBody.\n";
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GError) error = NULL;

  doc = ms_markdown_doc_parse (source, strlen (source), "quote.md", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_markdown_doc_get_title (doc), ==, "Open quote");
  g_assert_cmpuint (ms_markdown_doc_get_n_notices (doc), ==, 1);
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 0), "quote.md, line 2"));
}

static void
test_binary (void)
{
  static const char source[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GError) error = NULL;

  doc = ms_markdown_doc_parse (source, sizeof source - 1, "picture.png", &error);
  g_assert_null (doc);
  g_assert_error (error, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_BINARY);
  g_assert_nonnull (strstr (error->message, "picture.png"));
}

static void
test_too_big (void)
{
  gsize length = MS_MARKDOWN_MAX_SIZE + 1;
  g_autofree char *source = g_malloc (length);
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GError) error = NULL;

  memset (source, 'a', length);
  doc = ms_markdown_doc_parse (source, length, "huge.md", &error);
  g_assert_null (doc);
  g_assert_error (error, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_TOO_BIG);
  g_assert_nonnull (strstr (error->message, "huge.md"));
  /* The limit is named (g_format_size() puts a no-break space before the unit). */
  g_assert_nonnull (strstr (error->message, "4.0"));
  g_assert_nonnull (strstr (error->message, "MiB"));
}

static void
test_empty (void)
{
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GError) error = NULL;

  doc = ms_markdown_doc_parse ("", 0, "empty.md", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ms_markdown_doc_get_text (doc), ==, "");
  g_assert_null (ms_markdown_doc_get_title (doc));
  g_assert_cmpuint (ms_markdown_doc_get_n_headings (doc), ==, 0);
  g_assert_cmpuint (ms_markdown_doc_get_n_images (doc), ==, 0);
  g_assert_cmpuint (ms_markdown_doc_get_n_notices (doc), ==, 0);
}

static void
test_heading_titles (void)
{
  /* Headings of every length up to 300 characters, each as the first thing in a document
   * (the text grows while the heading is finished, which once left a stale pointer). */
  for (int length = 1; length <= 300; length++)
    {
      g_autofree char *title = g_strnfill (length, 'a');
      g_autofree char *source = g_strdup_printf ("# %s\n", title);
      g_autoptr (MsMarkdownDoc) doc = NULL;
      g_autoptr (GError) error = NULL;

      doc = ms_markdown_doc_parse (source, strlen (source), "title.md", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ms_markdown_doc_get_n_headings (doc), ==, 1);
      g_assert_cmpstr (ms_markdown_doc_get_heading (doc, 0, NULL, NULL), ==, title);
    }
}

static void
test_slugify (void)
{
  static const struct
  {
    const char *text;
    const char *slug;
  } cases[] = {
    { "Second part", "second-part" },
    { "  What's new?  ", "whats-new" },
    { "Über  Straße", "über-straße" },
    { "a -- b", "a-b" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *slug = ms_markdown_slugify (cases[i].text);

      g_assert_cmpstr (slug, ==, cases[i].slug);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/markdown/parse/article", test_article);
  g_test_add_func ("/markdown/parse/front-matter/keys", test_front_matter_keys);
  g_test_add_func ("/markdown/parse/front-matter/broken", test_front_matter_broken);
  g_test_add_func ("/markdown/parse/front-matter/unterminated-quote",
                   test_front_matter_unterminated_quote);
  g_test_add_func ("/markdown/parse/bad/binary", test_binary);
  g_test_add_func ("/markdown/parse/bad/too-big", test_too_big);
  g_test_add_func ("/markdown/parse/bad/empty", test_empty);
  g_test_add_func ("/markdown/parse/heading-titles", test_heading_titles);
  g_test_add_func ("/markdown/parse/slugify", test_slugify);

  return g_test_run ();
}
