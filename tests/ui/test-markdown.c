/* test-markdown.c: the Markdown renderer on a corpus: text, tags and offsets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case renders a file of tests/ui/markdown (or text made here) into a GtkTextBuffer and
 * checks the buffer's text and, for each tag, the exact character ranges it covers. Expected
 * ranges are given as the text they cover and located in the rendered text, so a tag that
 * starts or ends one character off fails. The cases that look only at the parsed document
 * (front matter, headings, pictures, refused files) are in test-markdown-parse.c, which
 * needs no display.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ms-markdown.h"

#define ARTICLE_RESOURCE "/io/github/mesascope/Mesascope/article/mesa-optimizers.md"

static char *
corpus_path (const char *name)
{
  const char *source_dir = g_getenv ("MESASCOPE_SOURCE_DIR");

  if (source_dir != NULL)
    return g_build_filename (source_dir, "tests", "ui", "markdown", name, NULL);
  return g_test_build_filename (G_TEST_DIST, "markdown", name, NULL);
}

static MsMarkdownDoc *
parse_corpus (const char *name)
{
  g_autofree char *path = corpus_path (name);
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

static GtkTextBuffer *
render (MsMarkdownDoc *doc)
{
  GtkTextBuffer *buffer = gtk_text_buffer_new (NULL);

  ms_markdown_doc_render (doc, buffer);
  return buffer;
}

/* The buffer's text with U+FFFC where child anchors are, as the renderer's offsets count. */
static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
}

/* Character offset of needle in the buffer's text, searching from character offset from. */
static int
find_text (GtkTextBuffer *buffer,
           const char    *needle,
           int            from)
{
  g_autofree char *text = buffer_text (buffer);
  const char *start = g_utf8_offset_to_pointer (text, from);
  const char *found = strstr (start, needle);

  if (found == NULL)
    g_error ("“%s” not found in the rendered text after offset %d:\n%s", needle, from, text);
  return g_utf8_pointer_to_offset (text, found);
}

static GtkTextTag *
lookup_tag (GtkTextBuffer *buffer,
            const char    *name)
{
  return gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);
}

/* All ranges covered by a tag, as pairs of character offsets. */
static GArray *
tag_ranges (GtkTextBuffer *buffer,
            GtkTextTag    *tag)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (int));
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  if (tag == NULL)
    return ranges;
  if (!gtk_text_iter_starts_tag (&iter, tag))
    gtk_text_iter_forward_to_tag_toggle (&iter, tag);
  while (!gtk_text_iter_is_end (&iter))
    {
      int start = gtk_text_iter_get_offset (&iter);
      int end;

      gtk_text_iter_forward_to_tag_toggle (&iter, tag);
      end = gtk_text_iter_get_offset (&iter);
      g_array_append_val (ranges, start);
      g_array_append_val (ranges, end);
      gtk_text_iter_forward_to_tag_toggle (&iter, tag);
    }
  return ranges;
}

/* Asserts that the tag covers exactly the given texts, in order, nothing else. Each text is
 * searched after the end of the previous one. A text may carry context: in
 * "actually ⟦find⟧ a set" only "find" is the expected range. */
static void
assert_tag_covers (GtkTextBuffer *buffer,
                   const char    *tag_name,
                   ...)
{
  g_autoptr (GArray) ranges = tag_ranges (buffer, lookup_tag (buffer, tag_name));
  g_autofree char *text = buffer_text (buffer);
  const char *expected;
  va_list args;
  guint i = 0;
  int from = 0;

  va_start (args, tag_name);
  while ((expected = va_arg (args, const char *)) != NULL)
    {
      const char *open = strstr (expected, "\u27e6");
      const char *close = open != NULL ? strstr (open, "\u27e7") : NULL;
      int start, end;

      if (open != NULL && close != NULL)
        {
          g_autofree char *context = g_strdup_printf ("%.*s%.*s%s", (int) (open - expected),
                                                      expected, (int) (close - open - 3),
                                                      open + 3, close + 3);

          start = find_text (buffer, context, from) + g_utf8_strlen (expected, open - expected);
          end = start + g_utf8_strlen (open + 3, close - open - 3);
        }
      else
        {
          start = find_text (buffer, expected, from);
          end = start + g_utf8_strlen (expected, -1);
        }

      if (i + 1 >= ranges->len)
        g_error ("tag “%s”: expected a range for “%s” at [%d, %d), found none", tag_name,
                 expected, start, end);
      if (g_array_index (ranges, int, i) != start || g_array_index (ranges, int, i + 1) != end)
        {
          const char *a = g_utf8_offset_to_pointer (text, g_array_index (ranges, int, i));
          const char *b = g_utf8_offset_to_pointer (text, g_array_index (ranges, int, i + 1));

          g_error ("tag “%s”: expected “%s” at [%d, %d), found [%d, %d) “%.*s”", tag_name,
                   expected, start, end, g_array_index (ranges, int, i),
                   g_array_index (ranges, int, i + 1), (int) (b - a), a);
        }
      from = end;
      i += 2;
    }
  va_end (args);
  if (i != ranges->len)
    g_error ("tag “%s”: %u ranges expected, %u found", tag_name, i / 2, ranges->len / 2);
}

static const char *
term_at (GtkTextBuffer *buffer,
         int            offset)
{
  GtkTextIter iter;
  const char *term = NULL;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  ms_markdown_iter_get_link (&iter, NULL, &term);
  return term;
}

static const char *
href_at (GtkTextBuffer *buffer,
         int            offset)
{
  GtkTextIter iter;
  const char *href = NULL;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  ms_markdown_iter_get_link (&iter, &href, NULL);
  return href;
}

static void
assert_text (GtkTextBuffer *buffer,
             const char    *expected)
{
  g_autofree char *text = buffer_text (buffer);

  g_assert_cmpstr (text, ==, expected);
}

/* The built-in article as the program shows it (its document: test-markdown-parse.c). */
static void
test_article (void)
{
  g_autoptr (GBytes) bytes = g_resources_lookup_data (ARTICLE_RESOURCE, 0, NULL);
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter iter;
  int offset;
  gsize size;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &size);
  doc = ms_markdown_doc_parse (data, size, "mesa-optimizers.md", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ms_markdown_doc_get_n_headings (doc), ==, 3);
  g_assert_cmpuint (ms_markdown_doc_get_n_images (doc), ==, 1);
  offset = ms_markdown_doc_get_image (doc, 0, NULL, NULL, NULL);

  buffer = render (doc);
  text = buffer_text (buffer);
  g_assert_false (g_str_has_prefix (text, "---"));
  g_assert_null (strstr (text, "title:"));
  g_assert_null (strstr (text, "mesa-optimizers.jpg"));
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  g_assert_nonnull (gtk_text_iter_get_child_anchor (&iter));
  g_assert_cmpstr (ms_markdown_doc_get_text (doc), ==, text);

  assert_tag_covers (buffer, "h1", "Basic", "Intermediate", "Advanced", NULL);
  assert_tag_covers (buffer, "h2", NULL);
  assert_tag_covers (buffer, "em", "during training", "during inference", "base optimizer",
                     "mesa optimizer", "actually \u27e6find\u27e7 a set", "perfect", NULL);
  assert_tag_covers (buffer, "strong", "human researchers",
                     "have an incentive to keep adjusting the training process until it will "
                     "eventually be able to create mesa optimizers",
                     "Humans could be considered exemplary for mesa optimization", NULL);
  assert_tag_covers (buffer, "bullet", "1.", "2.", "\u2022", "\u2022", "\u2022", NULL);
  assert_tag_covers (buffer, "link",
                     "https://www.alignmentforum.org/posts/FkgsxrGf3QxhfLWHG/"
                     "risks-from-learned-optimization-introduction",
                     "https://www.youtube.com/watch?v=bJLcIBixGj8",
                     "https://www.lesswrong.com/posts/XWPJfgBymBbL3jdFd/"
                     "an-58-mesa-optimization-what-it-is-and-why-we-should-care", NULL);
  offset = find_text (buffer, "https://www.youtube.com", 0);
  g_assert_cmpstr (href_at (buffer, offset), ==, "https://www.youtube.com/watch?v=bJLcIBixGj8");

  /* Key terms: the first mention in each section. */
  assert_tag_covers (buffer, "term", "mesa optimizers", "goal misgeneralization",
                     "stochastic gradient descent", "mesa optimizers", "base optimizer",
                     "more and others less \"optimizer-like\"",
                     "video on \u27e6mesa optimizers\u27e7", NULL);
  /* The sentence about the continuum starts the lesson "Is it an optimizer?". */
  g_assert_cmpstr (term_at (buffer, find_text (buffer, "others less", 0)), ==,
                   MS_TERM_LESSON_PREFIX "optimizer");
  g_assert_cmpstr (term_at (buffer, find_text (buffer, "goal misgeneralization", 0)), ==,
                   MS_TERM_GOAL_MISGENERALIZATION);
  g_assert_cmpstr (term_at (buffer, find_text (buffer, "stochastic gradient", 0)), ==,
                   MS_TERM_STOCHASTIC_GRADIENT_DESCENT);
  g_assert_cmpstr (term_at (buffer, find_text (buffer, "base optimizer", 0)), ==,
                   MS_TERM_BASE_OPTIMIZER);
  g_assert_cmpstr (term_at (buffer, find_text (buffer, "mesa optimizers", 0)), ==,
                   MS_TERM_MESA_OPTIMIZER);
  g_assert_null (term_at (buffer, find_text (buffer, "Bostrom", 0)));

  /* Heading marks for jumping to sections. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("ms-heading-%u", i);
      GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, name);

      g_assert_nonnull (mark);
      gtk_text_buffer_get_iter_at_mark (buffer, &iter, mark);
      ms_markdown_doc_get_heading (doc, i, NULL, &offset);
      g_assert_cmpint (gtk_text_iter_get_offset (&iter), ==, offset);
      g_assert_true (gtk_text_iter_starts_tag (&iter, lookup_tag (buffer, "h1")));
    }
}

/* Every file of the corpus: the buffer holds the document's text, character for character
 * (the parser's cases compare that text with what they expect). */
static void
test_corpus_text (void)
{
  g_autofree char *dir_path = corpus_path ("");
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr (MsMarkdownDoc) doc = NULL;
      g_autoptr (GtkTextBuffer) buffer = NULL;

      if (!g_str_has_suffix (name, ".md"))
        continue;
      g_test_message ("%s", name);
      doc = parse_corpus (name);
      buffer = render (doc);
      assert_text (buffer, ms_markdown_doc_get_text (doc));
      n_files++;
    }
  g_assert_cmpuint (n_files, >=, 19);
}

static void
test_headings (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("headings.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  assert_text (buffer, "Top heading\nA first paragraph.\nSecond level\n"
                       "Text under the second level.\nThird level\nFourth level\n"
                       "Setext heading\nClosing paragraph.\n");
  /* Block tags cover a line's text, not its final newline (see ms-markdown-render.c). */
  assert_tag_covers (buffer, "h1", "Top heading", "Setext heading", NULL);
  assert_tag_covers (buffer, "h2", "Second level", NULL);
  assert_tag_covers (buffer, "h3", "Third level", NULL);
  assert_tag_covers (buffer, "h4", "Fourth level", NULL);
  assert_tag_covers (buffer, "p", "A first paragraph.", "Text under the second level.",
                     "Closing paragraph.", NULL);
  g_assert_cmpuint (ms_markdown_doc_get_n_headings (doc), ==, 5);
  g_assert_cmpuint (ms_markdown_doc_get_section_level (doc), ==, 1);
}

static void
test_emphasis (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("emphasis.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  assert_text (buffer, "Plain emphasis and strong words and both at once here.\n"
                       "Also underscored and double, struck out, a code span and "
                       "*not emphasis*.\n");
  assert_tag_covers (buffer, "em", "emphasis", "both at once", "underscored", NULL);
  assert_tag_covers (buffer, "strong", "strong words", "both at once", "double", NULL);
  assert_tag_covers (buffer, "strike", "struck out", NULL);
  assert_tag_covers (buffer, "code", "code span", NULL);
}

static void
test_lists (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("lists.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  assert_text (buffer,
               "\u2022 apple\n\u2022 banana\n\u25e6 berry\n\u25aa seed\n\u25e6 cherry\n"
               "\u2022 date\n"
               "3. three\n4. four\n1. four-one\n2. four-two\n5. five\n"
               "\u2022 loose one\n\u2022 loose two\n"
               "\u2610 open task\n\u2611 done task\n");
  /* Bullets per depth, numbers from the list's start, task boxes. */
  assert_tag_covers (buffer, "bullet", "\u2022", "\u2022", "\u25e6", "\u25aa", "\u25e6",
                     "\u2022", "3.", "4.", "1.", "2.", "5.", "\u2022", "\u2022", "\u2610",
                     "\u2611", NULL);
  /* Indentation by nesting depth. */
  assert_tag_covers (buffer, "indent-1", "\u2022 apple", "\u2022 banana", "\u2022 date",
                     "3. three", "4. four", "5. five", "\u2022 loose one", "\u2022 loose two",
                     "\u2610 open task", "\u2611 done task", NULL);
  assert_tag_covers (buffer, "indent-2", "\u25e6 berry", "\u25e6 cherry", "1. four-one",
                     "2. four-two", NULL);
  assert_tag_covers (buffer, "indent-3", "\u25aa seed", NULL);
  /* Every item line hangs its bullet; the last line of each list gets the spacing. */
  assert_tag_covers (buffer, "list-item", "\u2022 apple", "\u2022 banana", "\u25e6 berry",
                     "\u25aa seed", "\u25e6 cherry", "\u2022 date", "3. three", "4. four",
                     "1. four-one", "2. four-two", "5. five", "\u2022 loose one",
                     "\u2022 loose two", "\u2610 open task", "\u2611 done task", NULL);
  assert_tag_covers (buffer, "list-end", "\u2022 date", "5. five", "\u2611 done task", NULL);
  /* A loose list has paragraphs in its items. */
  assert_tag_covers (buffer, "p", "\u2022 loose one", "\u2022 loose two", "\u2610 open task",
                     "\u2611 done task", NULL);
}

static void
test_code (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("code.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  assert_text (buffer, "Before the code.\nint main (void) { return 0; }\n"
                       "/* a mesa optimizer in a comment */\nindented code line\n"
                       "\u2022 item with code:\nnested block\nAfter the code.\n");
  /* A block tag spans the block's inner newlines but not its last one. */
  assert_tag_covers (buffer, "codeblock",
                     "int main (void) { return 0; }\n/* a mesa optimizer in a comment */",
                     "indented code line", "nested block", NULL);
  /* Code blocks are indented one level, the list item's block one more. */
  assert_tag_covers (buffer, "indent-1",
                     "int main (void) { return 0; }\n/* a mesa optimizer in a comment */",
                     "indented code line", "\u2022 item with code:", NULL);
  assert_tag_covers (buffer, "indent-2", "nested block", NULL);
  /* No term link inside code. */
  assert_tag_covers (buffer, "term", NULL);
}

static void
test_quote (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("quote.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  assert_text (buffer, "A quoted paragraph.\nA nested quote.\n\u2022 a list in a quote\n"
                       "Outside again.\n");
  assert_tag_covers (buffer, "blockquote", "A quoted paragraph.", "A nested quote.",
                     "\u2022 a list in a quote", NULL);
  assert_tag_covers (buffer, "indent-1", "A quoted paragraph.", NULL);
  assert_tag_covers (buffer, "indent-2", "A nested quote.", "\u2022 a list in a quote", NULL);
  assert_tag_covers (buffer, "list-item", "\u2022 a list in a quote", NULL);
}

static void
test_links (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("links.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);
  const char *term;

  assert_text (buffer, "An inline link and https://autolink.example.org/x.\n"
                       "A bare URL https://bare.example.org/path and a reference link.\n"
                       "A term link, a section link and a file link.\n"
                       "Mail someone@example.org.\n"
                       "Second part\nThe end.\n");
  assert_tag_covers (buffer, "link", "inline link", "https://autolink.example.org/x",
                     "https://bare.example.org/path", "reference", "section link",
                     "file link", "someone@example.org", NULL);
  assert_tag_covers (buffer, "term", "term link", NULL);
  g_assert_cmpstr (href_at (buffer, find_text (buffer, "inline link", 0)), ==,
                   "https://example.org/page");
  g_assert_cmpstr (href_at (buffer, find_text (buffer, "https://autolink", 0)), ==,
                   "https://autolink.example.org/x");
  g_assert_cmpstr (href_at (buffer, find_text (buffer, "https://bare", 0)), ==,
                   "https://bare.example.org/path");
  g_assert_cmpstr (href_at (buffer, find_text (buffer, "reference", 0)), ==,
                   "https://reference.example.org/");
  g_assert_cmpstr (href_at (buffer, find_text (buffer, "section link", 0)), ==, "#second-part");
  g_assert_cmpstr (href_at (buffer, find_text (buffer, "file link", 0)), ==,
                   "file:///etc/passwd");
  term = term_at (buffer, find_text (buffer, "term link", 0));
  g_assert_cmpstr (term, ==, MS_TERM_MESA_OBJECTIVE);
  g_assert_null (href_at (buffer, find_text (buffer, "term link", 0)));
  /* The character right after a link is plain text again. */
  g_assert_null (href_at (buffer, find_text (buffer, "inline link", 0)
                                  + (int) strlen ("inline link")));
  g_assert_null (term_at (buffer, find_text (buffer, "An inline", 0)));
}

static void
test_terms (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("terms.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);
  static const struct
  {
    const char *text;
    const char *id;
  } expected[] = {
    { "base optimizer trains", MS_TERM_BASE_OPTIMIZER },
    { "Mesa-optimizers", MS_TERM_MESA_OPTIMIZER },
    { "goal misgeneralization", MS_TERM_GOAL_MISGENERALIZATION },
    { "stochastic gradient descent", MS_TERM_STOCHASTIC_GRADIENT_DESCENT },
    { "base optimizer and", MS_TERM_BASE_OPTIMIZER },
    { "mesa optimizer,", MS_TERM_MESA_OPTIMIZER },
    { "base objective", MS_TERM_BASE_OBJECTIVE },
    { "mesa objectives", MS_TERM_MESA_OBJECTIVE },
  };

  /* First mention per section; hyphen and plural accepted; not in code or links; not
   * inside a longer word. */
  assert_tag_covers (buffer, "term", "base optimizer", "Mesa-optimizers",
                     "goal misgeneralization", "stochastic gradient descent", "base optimizer",
                     "mesa optimizer", "base objective", "mesa objectives", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (term_at (buffer, find_text (buffer, expected[i].text, 0)), ==,
                     expected[i].id);
  g_assert_null (term_at (buffer, find_text (buffer, "Another base optimizer", 0) + 8));
  g_assert_null (term_at (buffer, find_text (buffer, "basement", 0)));
  assert_tag_covers (buffer, "code", "mesa optimizer", NULL);
}

static void
test_non_ascii (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("non-ascii.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  assert_text (buffer, "\u00dcberschrift \u00c4\u00d6\u00dc\n"
                       "Ein caf\u00e9 mit na\u00efve Gr\u00fc\u00dfen \u2014 "
                       "\u00abguillemets\u00bb.\n"
                       "\u65e5\u672c\u8a9e\u306e \u5f37\u8abf \u30c6\u30ad\u30b9\u30c8\u3002\n"
                       "Emoji \U0001F680 then rocket and \u0627\u0644\u0639\u0631\u0628\u064a\u0629 "
                       "\u0646\u0635 mixed.\n"
                       "Combining: e\u0301 \u00e9.\n");
  /* Offsets count characters, not bytes: tags after multi-byte text still line up. */
  assert_tag_covers (buffer, "h1", "\u00dcberschrift \u00c4\u00d6\u00dc", NULL);
  assert_tag_covers (buffer, "em", "caf\u00e9", "\u5f37\u8abf", "rocket", "\u0646\u0635",
                     "\u00e9", NULL);
  assert_tag_covers (buffer, "strong", "na\u00efve", NULL);
  g_assert_cmpstr (ms_markdown_doc_get_heading (doc, 0, NULL, NULL), ==,
                   "\u00dcberschrift \u00c4\u00d6\u00dc");
}

static void
test_entities (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("entities.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  assert_text (buffer, "Ampersand & copyright \u00a9 euro \u20ac hex A unknown &bogus; done.\n");
}

static void
test_table (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("table.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  assert_text (buffer, "Name \u2502 Value\nalpha \u2502 1\nbeta \u2502 2\nAfter the table.\n");
  assert_tag_covers (buffer, "table-header", "Name", "Value", NULL);
  assert_tag_covers (buffer, "table-row", "Name \u2502 Value", "alpha \u2502 1", "beta \u2502 2",
                     NULL);
}

static void
test_long_lines (void)
{
  g_autoptr (GString) source = g_string_new ("Start ");
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;
  GtkTextIter iter;
  int longest = 0;

  /* A 2,510-character paragraph stays one line. */
  for (int i = 0; i < 500; i++)
    g_string_append (source, "word ");
  g_string_append (source, "*end*\n\n");
  /* A 60,000-character paragraph without a single space is broken into lines. */
  for (int i = 0; i < 60000; i++)
    g_string_append_c (source, 'x');
  g_string_append (source, "\n\nAfter **it**.\n");

  doc = ms_markdown_doc_parse (source->str, source->len, "long.md", &error);
  g_assert_no_error (error);
  buffer = render (doc);

  gtk_text_buffer_get_start_iter (buffer, &iter);
  g_assert_cmpint (gtk_text_iter_get_chars_in_line (&iter), ==, 6 + 500 * 5 + 3 + 1);
  do
    longest = MAX (longest, gtk_text_iter_get_chars_in_line (&iter));
  while (gtk_text_iter_forward_line (&iter));
  g_assert_cmpint (longest, <=, MS_MARKDOWN_MAX_LINE_CHARS + 1);
  g_assert_cmpint (gtk_text_buffer_get_line_count (buffer), ==, 1 + 6 + 1 + 1);
  assert_tag_covers (buffer, "em", "end", NULL);
  assert_tag_covers (buffer, "strong", "it", NULL);
  g_assert_cmpuint (ms_markdown_doc_get_n_notices (doc), ==, 1);
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 0), "long.md"));
}

static void
test_front_matter_unclosed (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("fm-unclosed.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);

  g_assert_cmpstr (ms_markdown_doc_get_title (doc), ==, "Never Closed");
  g_assert_cmpstr (ms_markdown_doc_get_summary (doc), ==, "The closing line is missing.");
  g_assert_cmpuint (ms_markdown_doc_get_n_notices (doc), ==, 1);
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 0), "fm-unclosed.md, line 1"));
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 0), "line 4"));
  assert_text (buffer, "Real heading\nThe body follows.\n");
  assert_tag_covers (buffer, "h1", "Real heading", NULL);
}

static void
test_not_utf8 (void)
{
  /* Latin-1 bytes on line 3: rendered with replacement characters and a notice. */
  static const char source[] = "# Title\n\nCaf\xe9 *cr\xe8me* ok.\n";
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  doc = ms_markdown_doc_parse (source, strlen (source), "latin1.md", &error);
  g_assert_no_error (error);
  buffer = render (doc);
  assert_text (buffer, "Title\nCaf\uFFFD cr\uFFFDme ok.\n");
  assert_tag_covers (buffer, "em", "cr\uFFFDme", NULL);
  g_assert_cmpuint (ms_markdown_doc_get_n_notices (doc), ==, 1);
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 0), "latin1.md, line 3"));
  g_assert_nonnull (strstr (ms_markdown_doc_get_notice (doc, 0), "UTF-8"));
}

static void
test_unterminated (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("unterminated.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);
  g_autofree char *text = buffer_text (buffer);

  /* Unclosed emphasis stays literal, the unclosed HTML comment runs to the end as raw
   * HTML (as CommonMark says), nothing is lost. */
  assert_tag_covers (buffer, "h1", "Heading", NULL);
  assert_tag_covers (buffer, "em", NULL);
  assert_tag_covers (buffer, "strong", NULL);
  g_assert_nonnull (strstr (text, "Some *unclosed emphasis and **unclosed strong"));
  g_assert_nonnull (strstr (text, "a code fence that never closes\n# not a heading\n"));
  assert_tag_covers (buffer, "html", "<!-- an HTML comment that never closes\n\n```\n"
                                     "a code fence that never closes\n# not a heading", NULL);
}

static void
test_unterminated_fence (void)
{
  static const char source[] = "Intro.\n\n```python\nprint (1)\n\n# still code\n";
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  doc = ms_markdown_doc_parse (source, strlen (source), "fence.md", &error);
  g_assert_no_error (error);
  buffer = render (doc);
  assert_text (buffer, "Intro.\nprint (1)\n\n# still code\n");
  assert_tag_covers (buffer, "codeblock", "print (1)\n\n# still code", NULL);
  g_assert_cmpuint (ms_markdown_doc_get_n_headings (doc), ==, 0);
}

static void
test_deep_nesting (void)
{
  g_autoptr (GString) source = g_string_new (NULL);
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < 2000; i++)
    g_string_append_c (source, '>');
  g_string_append (source, " deep\n");
  doc = ms_markdown_doc_parse (source->str, source->len, "deep.md", &error);
  g_assert_no_error (error);
  buffer = render (doc);
  assert_text (buffer, "deep\n");
  /* Indentation stops growing at a sane depth. */
  assert_tag_covers (buffer, "indent-8", "deep", NULL);
  assert_tag_covers (buffer, "blockquote", "deep", NULL);
}

static void
test_empty (void)
{
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autoptr (GError) error = NULL;

  doc = ms_markdown_doc_parse ("", 0, "empty.md", &error);
  g_assert_no_error (error);
  buffer = render (doc);
  assert_text (buffer, "");
  g_assert_null (ms_markdown_doc_get_title (doc));
  g_assert_cmpuint (ms_markdown_doc_get_n_headings (doc), ==, 0);
}

static void
test_font_scale (void)
{
  g_autoptr (MsMarkdownDoc) doc = parse_corpus ("lists.md");
  g_autoptr (GtkTextBuffer) buffer = render (doc);
  double body_scale, h1_scale, code_scale;
  int margin_1, margin_2, margin_2_scaled, below;

  g_object_get (lookup_tag (buffer, "body"), "scale", &body_scale, NULL);
  g_object_get (lookup_tag (buffer, "h1"), "scale", &h1_scale, NULL);
  g_object_get (lookup_tag (buffer, "indent-1"), "left-margin", &margin_1, NULL);
  g_object_get (lookup_tag (buffer, "indent-2"), "left-margin", &margin_2, NULL);
  g_assert_cmpfloat_with_epsilon (body_scale, 1.0, 1e-9);
  g_assert_cmpfloat (h1_scale, >, 1.5);
  g_assert_cmpint (margin_2, ==, 2 * margin_1);
  g_assert_cmpint (margin_1, >, 0);

  ms_markdown_buffer_set_style (buffer, 1.6, FALSE);
  g_object_get (lookup_tag (buffer, "body"), "scale", &body_scale, NULL);
  g_assert_cmpfloat_with_epsilon (body_scale, 1.6, 1e-9);
  g_object_get (lookup_tag (buffer, "h1"), "scale", &body_scale, NULL);
  g_assert_cmpfloat_with_epsilon (body_scale, h1_scale * 1.6, 1e-9);
  g_object_get (lookup_tag (buffer, "code"), "scale", &code_scale, NULL);
  g_assert_cmpfloat (code_scale, >, 1.4);
  g_object_get (lookup_tag (buffer, "indent-2"), "left-margin", &margin_2_scaled, NULL);
  g_assert_cmpint (margin_2_scaled, >=, (int) (margin_2 * 1.6) - 1);
  g_assert_cmpint (margin_2_scaled, <=, (int) (margin_2 * 1.6) + 1);
  g_object_get (lookup_tag (buffer, "p"), "pixels-below-lines", &below, NULL);
  g_assert_cmpint (below, ==, 16);

  /* Tags created after the change (a new document) get the new scale too. */
  {
    g_autoptr (MsMarkdownDoc) other = parse_corpus ("quote.md");

    ms_markdown_doc_render (other, buffer);
    g_object_get (lookup_tag (buffer, "body"), "scale", &body_scale, NULL);
    g_assert_cmpfloat_with_epsilon (body_scale, 1.6, 1e-9);
  }
}

static void
test_rerender (void)
{
  g_autoptr (MsMarkdownDoc) first = parse_corpus ("links.md");
  g_autoptr (MsMarkdownDoc) second = parse_corpus ("headings.md");
  g_autoptr (GtkTextBuffer) buffer = render (first);
  int tags_after_first = gtk_text_tag_table_get_size (gtk_text_buffer_get_tag_table (buffer));

  ms_markdown_doc_render (second, buffer);
  assert_text (buffer, "Top heading\nA first paragraph.\nSecond level\n"
                       "Text under the second level.\nThird level\nFourth level\n"
                       "Setext heading\nClosing paragraph.\n");
  /* The per-link tags of the first document are gone, its marks replaced. */
  g_assert_cmpint (gtk_text_tag_table_get_size (gtk_text_buffer_get_tag_table (buffer)), <,
                   tags_after_first);
  assert_tag_covers (buffer, "link", NULL);
  g_assert_nonnull (gtk_text_buffer_get_mark (buffer, "ms-heading-4"));
  ms_markdown_doc_render (first, buffer);
  g_assert_null (gtk_text_buffer_get_mark (buffer, "ms-heading-1"));
  g_assert_nonnull (gtk_text_buffer_get_mark (buffer, "ms-heading-0"));
  g_assert_cmpint (gtk_text_tag_table_get_size (gtk_text_buffer_get_tag_table (buffer)), ==,
                   tags_after_first);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/markdown/article", test_article);
  g_test_add_func ("/ui/markdown/corpus-text", test_corpus_text);
  g_test_add_func ("/ui/markdown/headings", test_headings);
  g_test_add_func ("/ui/markdown/emphasis", test_emphasis);
  g_test_add_func ("/ui/markdown/lists", test_lists);
  g_test_add_func ("/ui/markdown/code", test_code);
  g_test_add_func ("/ui/markdown/quote", test_quote);
  g_test_add_func ("/ui/markdown/links", test_links);
  g_test_add_func ("/ui/markdown/terms", test_terms);
  g_test_add_func ("/ui/markdown/non-ascii", test_non_ascii);
  g_test_add_func ("/ui/markdown/entities", test_entities);
  g_test_add_func ("/ui/markdown/table", test_table);
  g_test_add_func ("/ui/markdown/long-lines", test_long_lines);
  g_test_add_func ("/ui/markdown/front-matter/unclosed", test_front_matter_unclosed);
  g_test_add_func ("/ui/markdown/bad/not-utf8", test_not_utf8);
  g_test_add_func ("/ui/markdown/bad/unterminated", test_unterminated);
  g_test_add_func ("/ui/markdown/bad/unterminated-fence", test_unterminated_fence);
  g_test_add_func ("/ui/markdown/bad/deep-nesting", test_deep_nesting);
  g_test_add_func ("/ui/markdown/bad/empty", test_empty);
  g_test_add_func ("/ui/markdown/font-scale", test_font_scale);
  g_test_add_func ("/ui/markdown/rerender", test_rerender);

  return g_test_run ();
}
