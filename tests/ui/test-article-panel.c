/* test-article-panel.c: the article panel: header, sections, links, terms, search, text size,
 * loading files in the background and refusing bad ones
 *
 * Over 1,200 lines because every feature of the panel needs a real panel in a window, and the
 * helpers that build and wait for one are shared by all of them; split, each part would repeat
 * them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms-article-panel.h"
#include "ms-article-panel-private.h"
#include "ms-loop-illustration.h"
#include "ms-loop-illustration-tests.h"
#include "ms-markdown.h"

#define ARTICLE_RESOURCE "/io/github/mesascope/Mesascope/article/mesa-optimizers.md"

typedef struct
{
  GtkWindow *window;
  MsArticlePanel *panel;
  char *tmp_dir;
  guint loaded;
  guint failed;
  char *failed_message;
  GPtrArray *terms;
  GPtrArray *uris;
  gboolean done;
  gboolean ok;
  GError *error;
} Fixture;

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *fixture);

/* Iterates the main loop until the condition holds; FALSE on timeout. */
static gboolean
wait_for (Fixture   *fixture,
          Condition  condition,
          guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static void
iterate_for (guint milliseconds)
{
  gboolean timed_out = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
loaded_cb (MsArticlePanel *panel,
           Fixture        *fixture)
{
  fixture->loaded++;
}

static void
load_failed_cb (MsArticlePanel *panel,
                const GError   *error,
                Fixture        *fixture)
{
  fixture->failed++;
  g_free (fixture->failed_message);
  fixture->failed_message = g_strdup (error->message);
}

static void
term_activated_cb (MsArticlePanel *panel,
                   const char     *term_id,
                   Fixture        *fixture)
{
  g_ptr_array_add (fixture->terms, g_strdup (term_id));
}

static gboolean
activate_link_cb (MsArticlePanel *panel,
                  const char     *uri,
                  Fixture        *fixture)
{
  /* Handled here, so no browser is started. */
  g_ptr_array_add (fixture->uris, g_strdup (uri));
  return TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->terms = g_ptr_array_new_with_free_func (g_free);
  fixture->uris = g_ptr_array_new_with_free_func (g_free);
  fixture->tmp_dir = g_dir_make_tmp ("mesascope-article-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp_dir);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 520, 900);
  fixture->panel = MS_ARTICLE_PANEL (ms_article_panel_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->panel));
  g_signal_connect (fixture->panel, "loaded", G_CALLBACK (loaded_cb), fixture);
  g_signal_connect (fixture->panel, "load-failed", G_CALLBACK (load_failed_cb), fixture);
  g_signal_connect (fixture->panel, "term-activated", G_CALLBACK (term_activated_cb), fixture);
  g_signal_connect (fixture->panel, "activate-link", G_CALLBACK (activate_link_cb), fixture);
  gtk_window_present (fixture->window);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
  g_free (fixture->failed_message);
  g_ptr_array_unref (fixture->terms);
  g_ptr_array_unref (fixture->uris);
  g_clear_error (&fixture->error);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (fixture->tmp_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static char *
corpus_path (const char *name)
{
  const char *source_dir = g_getenv ("MESASCOPE_SOURCE_DIR");

  if (source_dir != NULL)
    return g_build_filename (source_dir, "tests", "ui", "markdown", name, NULL);
  return g_test_build_filename (G_TEST_DIST, "markdown", name, NULL);
}

static gboolean
load_done (Fixture *fixture)
{
  return fixture->done;
}

static void
load_ready_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_clear_error (&fixture->error);
  fixture->ok = ms_article_panel_load_file_finish (MS_ARTICLE_PANEL (source), result,
                                                   &fixture->error);
  fixture->done = TRUE;
}

/* Loads a file through the asynchronous API and waits for the result. */
static gboolean
load_path (Fixture    *fixture,
           const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);

  fixture->done = FALSE;
  ms_article_panel_load_file_async (fixture->panel, file, NULL, load_ready_cb, fixture);
  g_assert_true (ms_article_panel_get_loading (fixture->panel));
  g_assert_true (wait_for (fixture, load_done, 20000));
  g_assert_false (ms_article_panel_get_loading (fixture->panel));
  return fixture->ok;
}

static void
load_article (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ms_article_panel_load_resource (fixture->panel, ARTICLE_RESOURCE, &error));
  g_assert_no_error (error);
}

static char *
buffer_text (MsArticlePanel *panel)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (panel));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
}

static void
iter_at_text (MsArticlePanel *panel,
              const char     *needle,
              GtkTextIter    *iter)
{
  g_autofree char *text = buffer_text (panel);
  const char *found = strstr (text, needle);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (panel));

  g_assert_nonnull (found);
  gtk_text_buffer_get_iter_at_offset (buffer, iter, g_utf8_pointer_to_offset (text, found));
}

static gboolean
illustration_drawn (Fixture *fixture)
{
  GtkWidget *illustration = ms_article_panel_get_illustration (fixture->panel);

  return illustration != NULL
         && ms_loop_illustration_get_draw_count (MS_LOOP_ILLUSTRATION (illustration)) > 0;
}

static void
test_load_resource (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *text = NULL;
  GtkTextView *view;

  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "empty");
  load_article (fixture);
  g_assert_cmpuint (fixture->loaded, ==, 1);
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "article");
  g_assert_cmpstr (ms_article_panel_get_title (fixture->panel), ==, "Mesa Optimizers");
  g_assert_cmpstr (ms_article_panel_get_date_text (fixture->panel), ==, "22 October 2023");
  g_assert_cmpstr (ms_article_panel_get_summary_text (fixture->panel), ==,
                   "Sometimes an optimization loop may create agents that are themselves "
                   "optimizers.");
  g_assert_null (ms_article_panel_get_notice (fixture->panel));
  g_assert_null (ms_article_panel_get_file (fixture->panel));

  g_assert_cmpuint (ms_article_panel_get_n_sections (fixture->panel), ==, 3);
  g_assert_cmpstr (ms_article_panel_get_section_title (fixture->panel, 0), ==, "Basic");
  g_assert_cmpstr (ms_article_panel_get_section_title (fixture->panel, 1), ==, "Intermediate");
  g_assert_cmpstr (ms_article_panel_get_section_title (fixture->panel, 2), ==, "Advanced");
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (ms_article_panel_get_section_button (fixture->panel, 0))));

  view = ms_article_panel_get_text_view (fixture->panel);
  g_assert_false (gtk_text_view_get_editable (view));
  text = buffer_text (fixture->panel);
  g_assert_true (g_str_has_prefix (text, "\uFFFC\nBasic\n"));

  /* The illustration stands in for the picture, with the picture's text as caption. */
  g_assert_nonnull (ms_article_panel_get_illustration (fixture->panel));
  g_assert_cmpstr (ms_loop_illustration_get_alt (
                     MS_LOOP_ILLUSTRATION (ms_article_panel_get_illustration (fixture->panel))),
                   ==, "Mesa Optimizers");
  g_assert_true (g_str_has_prefix (ms_loop_illustration_get_caption (
                                     MS_LOOP_ILLUSTRATION (
                                       ms_article_panel_get_illustration (fixture->panel))),
                                   "Deep learning often involves"));
  g_assert_true (wait_for (fixture, illustration_drawn, 5000));
}

static void
test_missing_resource (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ms_article_panel_load_resource (fixture->panel,
                                                  "/io/github/mesascope/Mesascope/article/"
                                                  "missing.md", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "missing.md"));
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "error");
  g_assert_cmpstr (ms_article_panel_get_error_message (fixture->panel), ==, error->message);
  g_assert_cmpuint (fixture->failed, ==, 1);
}

static gboolean
section_is_2 (Fixture *fixture)
{
  return ms_article_panel_get_visible_section (fixture->panel) == 2;
}

static gboolean
section_is_0 (Fixture *fixture)
{
  return ms_article_panel_get_visible_section (fixture->panel) == 0;
}

static gboolean
section_is_1 (Fixture *fixture)
{
  return ms_article_panel_get_visible_section (fixture->panel) == 1;
}

static void
test_sections (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *button;

  load_article (fixture);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  g_assert_cmpint (ms_article_panel_get_visible_section (fixture->panel), ==, 0);

  ms_article_panel_jump_to_section (fixture->panel, 2);
  g_assert_true (wait_for (fixture, section_is_2, 5000));
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (ms_article_panel_get_section_button (fixture->panel, 2))));

  /* Clicking a section button jumps there. */
  button = ms_article_panel_get_section_button (fixture->panel, 0);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (wait_for (fixture, section_is_0, 5000));

  button = ms_article_panel_get_section_button (fixture->panel, 1);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (wait_for (fixture, section_is_1, 5000));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_false (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (ms_article_panel_get_section_button (fixture->panel, 0))));
}

static void
test_terms (Fixture       *fixture,
            gconstpointer  data)
{
  GtkTextIter iter;
  GtkWidget *illustration;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  int width, height;

  load_article (fixture);
  iter_at_text (fixture->panel, "goal misgeneralization", &iter);
  g_assert_true (ms_article_panel_activate_link_at (fixture->panel, &iter));
  iter_at_text (fixture->panel, "stochastic gradient descent", &iter);
  gtk_text_iter_forward_chars (&iter, 5);
  g_assert_true (ms_article_panel_activate_link_at (fixture->panel, &iter));
  g_assert_cmpuint (fixture->terms->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->terms, 0), ==, MS_TERM_GOAL_MISGENERALIZATION);
  g_assert_cmpstr (g_ptr_array_index (fixture->terms, 1), ==,
                   MS_TERM_STOCHASTIC_GRADIENT_DESCENT);
  g_assert_cmpuint (fixture->uris->len, ==, 0);

  /* Plain text is no link. */
  iter_at_text (fixture->panel, "Bostrom", &iter);
  g_assert_false (ms_article_panel_activate_link_at (fixture->panel, &iter));
  g_assert_cmpuint (fixture->terms->len, ==, 2);

  /* The illustration's four boxes are the four objective/optimizer terms. */
  g_assert_true (wait_for (fixture, illustration_drawn, 5000));
  illustration = ms_article_panel_get_illustration (fixture->panel);
  width = gtk_widget_get_width (illustration);
  height = gtk_widget_get_height (illustration);
  g_assert_cmpint (width, >, 100);
  for (int y = 0; y < height; y += 4)
    for (int x = 0; x < width; x += 4)
      {
        const char *term = ms_loop_illustration_get_term_at (MS_LOOP_ILLUSTRATION (illustration),
                                                             x, y);
        if (term != NULL)
          g_hash_table_add (seen, (gpointer) term);
      }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 4);
  g_assert_true (g_hash_table_contains (seen, MS_TERM_BASE_OBJECTIVE));
  g_assert_true (g_hash_table_contains (seen, MS_TERM_BASE_OPTIMIZER));
  g_assert_true (g_hash_table_contains (seen, MS_TERM_MESA_OPTIMIZER));
  g_assert_true (g_hash_table_contains (seen, MS_TERM_MESA_OBJECTIVE));
  g_signal_emit_by_name (illustration, "term-activated", MS_TERM_MESA_OBJECTIVE);
  g_assert_cmpuint (fixture->terms->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->terms, 2), ==, MS_TERM_MESA_OBJECTIVE);
}

static void
test_links (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = corpus_path ("links.md");
  GtkTextIter iter;

  load_article (fixture);
  iter_at_text (fixture->panel, "https://www.youtube.com", &iter);
  g_assert_true (ms_article_panel_activate_link_at (fixture->panel, &iter));
  g_assert_cmpuint (fixture->uris->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->uris, 0), ==,
                   "https://www.youtube.com/watch?v=bJLcIBixGj8");

  g_assert_true (load_path (fixture, path));
  iter_at_text (fixture->panel, "inline link", &iter);
  ms_article_panel_activate_link_at (fixture->panel, &iter);
  iter_at_text (fixture->panel, "someone@example.org", &iter);
  ms_article_panel_activate_link_at (fixture->panel, &iter);
  g_assert_cmpuint (fixture->uris->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->uris, 1), ==, "https://example.org/page");
  g_assert_cmpstr (g_ptr_array_index (fixture->uris, 2), ==, "mailto:someone@example.org");

  /* Explicit term links emit the term. */
  iter_at_text (fixture->panel, "term link", &iter);
  ms_article_panel_activate_link_at (fixture->panel, &iter);
  g_assert_cmpuint (fixture->terms->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->terms, 0), ==, MS_TERM_MESA_OBJECTIVE);

  /* A file link is not opened, and the panel says so. */
  g_assert_null (ms_article_panel_get_notice (fixture->panel));
  iter_at_text (fixture->panel, "file link", &iter);
  ms_article_panel_activate_link_at (fixture->panel, &iter);
  g_assert_cmpuint (fixture->uris->len, ==, 3);
  g_assert_nonnull (ms_article_panel_get_notice (fixture->panel));
  g_assert_nonnull (strstr (ms_article_panel_get_notice (fixture->panel),
                            "file:///etc/passwd"));

  /* An in-document link jumps without opening anything. */
  iter_at_text (fixture->panel, "section link", &iter);
  ms_article_panel_activate_link_at (fixture->panel, &iter);
  g_assert_cmpuint (fixture->uris->len, ==, 3);
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static gboolean
illustration_fits (Fixture *fixture)
{
  GtkWidget *illustration = ms_article_panel_get_illustration (fixture->panel);
  GtkWidget *view = GTK_WIDGET (ms_article_panel_get_text_view (fixture->panel));

  return gtk_widget_get_width (illustration) > 0
         && gtk_widget_get_width (illustration) <= gtk_widget_get_width (view)
         && ms_loop_illustration_get_max_width (MS_LOOP_ILLUSTRATION (illustration)) > 0;
}

static void
test_font_scale (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkTextBuffer *buffer;
  GtkTextTag *h1, *body;
  GtkWidget *illustration;
  double scale, h1_before;
  guint notifications = 0;
  int window_width;

  load_article (fixture);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  window_width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (fixture->panel));
  h1 = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "h1");
  body = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "body");
  g_object_get (h1, "scale", &h1_before, NULL);
  g_signal_connect (fixture->panel, "notify::font-scale", G_CALLBACK (notify_count_cb),
                    &notifications);

  g_object_set (fixture->panel, "font-scale", 1.6, NULL);
  g_assert_cmpuint (notifications, ==, 1);
  g_object_set (fixture->panel, "font-scale", 1.6, NULL);
  g_assert_cmpuint (notifications, ==, 1);
  g_assert_cmpfloat_with_epsilon (ms_article_panel_get_font_scale (fixture->panel), 1.6, 1e-9);
  g_object_get (body, "scale", &scale, NULL);
  g_assert_cmpfloat_with_epsilon (scale, 1.6, 1e-9);
  g_object_get (h1, "scale", &scale, NULL);
  g_assert_cmpfloat_with_epsilon (scale, h1_before * 1.6, 1e-9);
  illustration = ms_article_panel_get_illustration (fixture->panel);
  g_assert_cmpfloat_with_epsilon (ms_loop_illustration_get_font_scale (
                                    MS_LOOP_ILLUSTRATION (illustration)), 1.6, 1e-9);

  /* Out of range values are clamped; the zoom actions step and reset. */
  ms_article_panel_set_font_scale (fixture->panel, 100.0);
  g_assert_cmpfloat_with_epsilon (ms_article_panel_get_font_scale (fixture->panel),
                                  MS_ARTICLE_PANEL_MAX_FONT_SCALE, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "article.zoom-reset",
                                             NULL));
  g_assert_cmpfloat_with_epsilon (ms_article_panel_get_font_scale (fixture->panel), 1.0, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "article.zoom-in",
                                             NULL));
  g_assert_cmpfloat (ms_article_panel_get_font_scale (fixture->panel), >, 1.05);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "article.zoom-out",
                                             NULL));
  g_assert_cmpfloat_with_epsilon (ms_article_panel_get_font_scale (fixture->panel), 1.0, 1e-9);

  /* The scale outlives loading another document. */
  ms_article_panel_set_font_scale (fixture->panel, 2.0);
  load_article (fixture);
  buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (fixture->panel));
  body = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "body");
  g_object_get (body, "scale", &scale, NULL);
  g_assert_cmpfloat_with_epsilon (scale, 2.0, 1e-9);
  illustration = ms_article_panel_get_illustration (fixture->panel);
  g_assert_cmpfloat_with_epsilon (ms_loop_illustration_get_font_scale (
                                    MS_LOOP_ILLUSTRATION (illustration)), 2.0, 1e-9);

  /* At twice the size the diagram would be 760 pixels wide: it fits the text instead, and
   * the panel keeps its width. */
  g_assert_true (wait_for (fixture, illustration_fits, 5000));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, window_width);
}

typedef struct
{
  gboolean done;
  char *text;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static void
test_select_and_copy (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkTextView *view = ms_article_panel_get_text_view (fixture->panel);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));
  GtkTextBuffer *buffer;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  ClipboardRead read = { FALSE, NULL };
  GtkTextIter start, end;
  gboolean timed_out = FALSE;
  guint id;

  load_article (fixture);
  buffer = gtk_text_view_get_buffer (view);
  iter_at_text (fixture->panel, "The term \"mesa optimization\"", &start);
  end = start;
  gtk_text_iter_forward_chars (&end, strlen ("The term \"mesa optimization\""));
  gtk_text_buffer_select_range (buffer, &start, &end);
  gtk_text_buffer_copy_clipboard (buffer, clipboard);

  id = g_timeout_add (5000, timeout_cb, &timed_out);
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &read);
  while (!read.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_cmpstr (read.text, ==, "The term \"mesa optimization\"");
  g_free (read.text);

  /* Not editable: typing and pasting change nothing. */
  before = buffer_text (fixture->panel);
  g_assert_false (gtk_text_buffer_insert_interactive_at_cursor (buffer, "typed", -1,
                                                                gtk_text_view_get_editable (view)));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_assert_false (gtk_text_buffer_delete_interactive (buffer, &start, &end,
                                                      gtk_text_view_get_editable (view)));
  after = buffer_text (fixture->panel);
  g_assert_cmpstr (before, ==, after);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  g_autofree char *lower = g_utf8_strdown (haystack, -1);
  guint count = 0;

  for (const char *p = strstr (lower, needle); p != NULL; p = strstr (p + strlen (needle),
                                                                      needle))
    count++;
  return count;
}

static gboolean
has_tag_at (MsArticlePanel *panel,
            const char     *tag_name,
            int             offset)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (panel));
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                               tag_name);
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  return gtk_text_iter_has_tag (&iter, tag);
}

/* Height of the character at the start of the given text, as laid out in the view. */
static int
char_height_at (MsArticlePanel *panel,
                const char     *needle)
{
  GtkTextIter iter;
  GdkRectangle rect;

  iter_at_text (panel, needle, &iter);
  gtk_text_view_get_iter_location (ms_article_panel_get_text_view (panel), &iter, &rect);
  return rect.height;
}

static gboolean
has_matches (Fixture *fixture)
{
  return ms_article_panel_get_n_matches (fixture->panel) > 0;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;
  GtkWidget *focus;
  guint expected;
  int start, end, first_start;
  int paragraph_height;
  guint n;

  load_article (fixture);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  paragraph_height = char_height_at (fixture->panel, "The existence");
  text = buffer_text (fixture->panel);
  expected = count_occurrences (text, "mesa");
  g_assert_cmpuint (expected, >, 10);

  /* Ctrl+F opens the bar and focuses the entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "article.search",
                                             NULL));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (GTK_IS_SEARCH_ENTRY (focus)
                 || GTK_IS_SEARCH_ENTRY (gtk_widget_get_ancestor (focus,
                                                                  GTK_TYPE_SEARCH_ENTRY)));

  ms_article_panel_search (fixture->panel, "MESA");
  n = ms_article_panel_get_n_matches (fixture->panel);
  g_assert_cmpuint (n, ==, expected);
  g_assert_cmpint (ms_article_panel_get_current_match (fixture->panel, &start, &end), ==, 0);
  first_start = start;
  g_assert_cmpint (end - start, ==, 4);
  g_assert_true (has_tag_at (fixture->panel, "search-current", start));
  g_assert_true (has_tag_at (fixture->panel, "search-match", start));
  g_assert_false (ms_article_panel_get_search_failed (fixture->panel));
  label = g_strdup_printf ("1 of %u", expected);
  g_assert_cmpstr (ms_article_panel_get_match_label (fixture->panel), ==, label);
  /* Highlighting leaves the layout alone: the paragraph after the first heading's section
   * start keeps its text size (a heading tag ending past its newline once leaked here). */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  g_assert_cmpint (char_height_at (fixture->panel, "The existence"), ==, paragraph_height);

  ms_article_panel_next_match (fixture->panel);
  g_assert_cmpint (ms_article_panel_get_current_match (fixture->panel, &start, NULL), ==, 1);
  g_assert_cmpint (start, >, first_start);
  g_assert_false (has_tag_at (fixture->panel, "search-current", first_start));
  g_assert_true (has_tag_at (fixture->panel, "search-current", start));
  ms_article_panel_previous_match (fixture->panel);
  ms_article_panel_previous_match (fixture->panel);
  g_assert_cmpint (ms_article_panel_get_current_match (fixture->panel, NULL, NULL), ==,
                   (int) expected - 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel),
                                             "article.next-match", NULL));
  g_assert_cmpint (ms_article_panel_get_current_match (fixture->panel, NULL, NULL), ==, 0);

  /* No match: the state says so and nothing is highlighted. */
  ms_article_panel_search (fixture->panel, "zzqqxx");
  g_assert_cmpuint (ms_article_panel_get_n_matches (fixture->panel), ==, 0);
  g_assert_cmpint (ms_article_panel_get_current_match (fixture->panel, NULL, NULL), ==, -1);
  g_assert_cmpstr (ms_article_panel_get_match_label (fixture->panel), ==, "No match");
  g_assert_true (ms_article_panel_get_search_failed (fixture->panel));
  g_assert_false (has_tag_at (fixture->panel, "search-match", first_start));
  ms_article_panel_next_match (fixture->panel);

  /* Typing in the entry searches once typing pauses. */
  gtk_editable_set_text (GTK_EDITABLE (gtk_root_get_focus (GTK_ROOT (fixture->window))),
                         "optimizer");
  g_assert_true (wait_for (fixture, has_matches, 5000));
  g_assert_cmpuint (ms_article_panel_get_n_matches (fixture->panel), ==,
                    count_occurrences (text, "optimizer"));
  g_assert_false (ms_article_panel_get_search_failed (fixture->panel));

  /* Closing the bar clears the highlights. */
  ms_article_panel_start_search (fixture->panel);
  g_object_set (gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         GTK_TYPE_SEARCH_BAR),
                "search-mode-enabled", FALSE, NULL);
  g_assert_cmpuint (ms_article_panel_get_n_matches (fixture->panel), ==, 0);
  g_assert_false (has_tag_at (fixture->panel, "search-match", first_start));
}

static void
test_load_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = corpus_path ("fm-full.md");
  g_autoptr (GFile) file = g_file_new_for_path (path);

  g_assert_true (load_path (fixture, path));
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->loaded, ==, 1);
  g_assert_cmpstr (ms_article_panel_get_title (fixture->panel), ==, "A Full Header");
  g_assert_cmpstr (ms_article_panel_get_date_text (fixture->panel), ==, "29 February 2024");
  g_assert_true (g_file_equal (ms_article_panel_get_file (fixture->panel), file));
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "article");
  /* A single section gets no navigation row, but can still be jumped to. */
  g_assert_cmpuint (ms_article_panel_get_n_sections (fixture->panel), ==, 1);

  /* Without a title the file name is the header. */
  g_free (path);
  path = corpus_path ("fm-no-title.md");
  g_assert_true (load_path (fixture, path));
  g_assert_cmpstr (ms_article_panel_get_title (fixture->panel), ==, "fm-no-title.md");
  g_assert_null (ms_article_panel_get_notice (fixture->panel));
}

static gboolean
shows_last_heading (Fixture *fixture)
{
  g_autofree char *text = buffer_text (fixture->panel);

  return strstr (text, "Section 2999\n") != NULL;
}

/* A file of 3000 headings gets 100 section buttons, not one per heading (300000 headings
 * took gigabytes of widgets); every heading still reads in the text. */
static void
test_many_sections (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;

  for (int i = 0; i < 3000; i++)
    g_string_append_printf (text, "# Section %d\n\nText %d.\n\n", i, i);
  path = write_file (fixture, "many.md", text->str, (gssize) text->len);
  g_assert_true (load_path (fixture, path));
  g_assert_cmpuint (ms_article_panel_get_n_sections (fixture->panel), ==, 100);
  g_assert_cmpstr (ms_article_panel_get_section_title (fixture->panel, 99), ==, "Section 99");
  g_assert_true (wait_for (fixture, shows_last_heading, 20000));
}

/* The widgets standing for pictures in the text, and the picture anchors. */
static guint
count_picture_widgets (Fixture *fixture,
                       guint   *n_anchors)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (fixture->panel));
  GtkTextIter iter;
  guint n = 0;

  *n_anchors = 0;
  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    {
      GtkTextChildAnchor *anchor = gtk_text_iter_get_child_anchor (&iter);
      g_autofree GtkWidget **widgets = NULL;
      guint n_widgets = 0;

      if (anchor == NULL)
        continue;
      (*n_anchors)++;
      widgets = gtk_text_child_anchor_get_widgets (anchor, &n_widgets);
      n += n_widgets;
    }
  while (gtk_text_iter_forward_char (&iter));
  return n;
}

static gboolean
shows_last_picture (Fixture *fixture)
{
  g_autofree char *text = buffer_text (fixture->panel);

  return strstr (text, "Last.") != NULL;
}

/* 300 pictures get 200 widgets (each is a label or an illustration); every picture keeps its
 * anchor. A picture right where a long line is broken keeps its place (its anchor stood on
 * the line break, and the text after it was inserted from the middle of a character). */
static void
test_many_pictures (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *shown = NULL;
  guint n_anchors;

  for (int i = 0; i < 300; i++)
    g_string_append_printf (text, "![picture %d](p%d.png)\n\n", i, i);
  for (int i = 0; i < MS_MARKDOWN_MAX_LINE_CHARS; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "![wrapped](w.png)é\n\nLast.\n");
  path = write_file (fixture, "pictures.md", text->str, (gssize) text->len);
  g_assert_true (load_path (fixture, path));
  g_assert_true (wait_for (fixture, shows_last_picture, 20000));
  g_assert_cmpuint (count_picture_widgets (fixture, &n_anchors), ==, 200);
  g_assert_cmpuint (n_anchors, ==, 301);
  shown = buffer_text (fixture->panel);
  g_assert_nonnull (strstr (shown, "xx\n\uFFFCé\n"));
}

static void
test_bad_not_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char latin1[] = "---\ntitle: Caf\xe9\n---\n\nCr\xe8me *br\xfbl\xe9""e*.\n";
  g_autofree char *path = write_file (fixture, "latin1.md", latin1, -1);
  g_autofree char *text = NULL;

  g_assert_true (load_path (fixture, path));
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "article");
  g_assert_cmpstr (ms_article_panel_get_title (fixture->panel), ==, "Caf\uFFFD");
  text = buffer_text (fixture->panel);
  g_assert_cmpstr (text, ==, "Cr\uFFFDme br\uFFFDl\uFFFDe.\n");
  g_assert_nonnull (ms_article_panel_get_notice (fixture->panel));
  g_assert_nonnull (strstr (ms_article_panel_get_notice (fixture->panel), "latin1.md"));
  g_assert_nonnull (strstr (ms_article_panel_get_notice (fixture->panel), "UTF-8"));
}

static void
test_bad_binary (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
  g_autofree char *path = write_file (fixture, "picture.md", png, sizeof png - 1);

  load_article (fixture);
  g_assert_false (load_path (fixture, path));
  g_assert_error (fixture->error, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_BINARY);
  g_assert_nonnull (strstr (fixture->error->message, "picture.md"));
  g_assert_cmpuint (fixture->failed, ==, 1);
  g_assert_cmpstr (fixture->failed_message, ==, fixture->error->message);
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "error");
  g_assert_cmpstr (ms_article_panel_get_error_message (fixture->panel), ==,
                   fixture->error->message);
  /* The previous article is still there to go back to. */
  g_assert_cmpstr (ms_article_panel_get_title (fixture->panel), ==, "Mesa Optimizers");
}

static void
test_bad_huge (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "huge.md", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileOutputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *chunk = NULL;
  gsize chunk_size = 1024 * 1024;
  gint64 started;

  /* 50 MiB of plausible Markdown. */
  chunk = g_malloc (chunk_size);
  for (gsize i = 0; i < chunk_size; i++)
    chunk[i] = (i % 64 == 63) ? '\n' : "lorem *ipsum* dolor "[i % 20];
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 50; i++)
    {
      g_output_stream_write_all (G_OUTPUT_STREAM (stream), chunk, chunk_size, NULL, NULL,
                                 &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error);
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  g_assert_false (load_path (fixture, path));
  g_test_message ("50 MiB file refused after %.1f ms",
                  (g_get_monotonic_time () - started) / 1000.0);
  g_assert_error (fixture->error, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_TOO_BIG);
  g_assert_nonnull (strstr (fixture->error->message, "huge.md"));
  g_assert_nonnull (strstr (fixture->error->message, "50.0"));
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "error");
  g_assert_nonnull (strstr (ms_article_panel_get_error_message (fixture->panel), "huge.md"));
}

static void
test_bad_endless (Fixture       *fixture,
                  gconstpointer  data)
{
  /* A device reports no size and never ends: reading stops past the limit. */
  g_assert_false (load_path (fixture, "/dev/zero"));
  g_assert_error (fixture->error, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_TOO_BIG);
  g_assert_nonnull (strstr (fixture->error->message, "zero"));
  g_assert_nonnull (strstr (fixture->error->message, "more than"));
}

static void
test_bad_front_matter (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = corpus_path ("fm-broken.md");
  const char *notice;

  g_assert_true (load_path (fixture, path));
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "article");
  g_assert_cmpstr (ms_article_panel_get_title (fixture->panel), ==, "Broken Header");
  notice = ms_article_panel_get_notice (fixture->panel);
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, "fm-broken.md, line 3"));
  g_assert_nonnull (strstr (notice, "fm-broken.md, line 4"));
}

static void
test_bad_unterminated (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = corpus_path ("unterminated.md");
  g_autofree char *text = NULL;

  g_assert_true (load_path (fixture, path));
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "article");
  text = buffer_text (fixture->panel);
  g_assert_true (g_str_has_prefix (text, "Heading\nSome *unclosed emphasis"));
  g_assert_true (g_str_has_suffix (text, "# not a heading\n"));
}

static void
test_bad_missing (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "nowhere.md", NULL);

  g_assert_false (load_path (fixture, path));
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (fixture->error->message, "nowhere.md"));
  g_assert_cmpstr (ms_article_panel_get_page (fixture->panel), ==, "error");

  g_assert_false (load_path (fixture, fixture->tmp_dir));
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_cmpuint (fixture->failed, ==, 2);
}

/* About 3.8 MiB of varied Markdown: headings, paragraphs with emphasis and key terms, nested
 * lists, links and code. */
static char *
write_big_file (Fixture *fixture)
{
  g_autoptr (GString) text = g_string_new ("---\ntitle: Big\n---\n");
  int section = 0;

  while (text->len < 3800 * 1024)
    {
      g_string_append_printf (text, "# Section %d\n\n", section++);
      for (int i = 0; i < 20; i++)
        g_string_append (text, "A *base optimizer* trains a **learned model** that may be a "
                               "mesa optimizer, see [the paper](https://example.org/p) and "
                               "`code`. Goal misgeneralization follows.\n\n"
                               "- one\n  - two\n    - three\n1. first\n2. second\n\n"
                               "> quoted text\n\n```\nsome code\n```\n\n");
    }
  return write_file (fixture, "big.md", text->str, text->len);
}

typedef struct
{
  guint ticks;
  gint64 last;
  gint64 max_gap;
} Ticker;

static gboolean
tick_cb (gpointer data)
{
  Ticker *ticker = data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last != 0)
    ticker->max_gap = MAX (ticker->max_gap, now - ticker->last);
  ticker->last = now;
  ticker->ticks++;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  char *path;
  char *contents;
  gsize length;
} FifoWriter;

/* On a thread of its own: opens the FIFO (which waits for the reader), writes the contents and
 * closes it. Returns whether it all went out. */
static gpointer
fifo_write_thread (gpointer data)
{
  FifoWriter *writer = data;
  gsize done = 0;
  int fd = g_open (writer->path, O_WRONLY, 0);

  if (fd < 0)
    return GINT_TO_POINTER (FALSE);
  while (done < writer->length)
    {
      gssize n = write (fd, writer->contents + done, writer->length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  close (fd);
  return GINT_TO_POINTER (done == writer->length);
}

static gboolean
ticked_three_times (Fixture *fixture)
{
  Ticker *ticker = g_object_get_data (G_OBJECT (fixture->panel), "ticker");

  return ticker->ticks >= 3;
}

static gboolean
not_loading (Fixture *fixture)
{
  return !ms_article_panel_get_loading (fixture->panel);
}

/* A big file read and parsed in the worker thread while the main loop keeps running. The file
 * is a FIFO that the test writes only once the main loop has run three times with the load
 * under way, so the check does not depend on how fast the machine parses. The longest main
 * loop gap is reported, not asserted (timings are for the benchmarks); what bounds it while
 * the parsed document goes into the buffer is the renderer's step, checked here too: with its
 * time budget used up, a step inserts at most one piece of text (64 KiB). */
static void
test_main_loop_runs (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *big = write_big_file (fixture);
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "big-fifo.md", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GtkTextBuffer) buffer = NULL;
  g_autofree char *stepped_text = NULL;
  g_autofree char *shown_text = NULL;
  MsMarkdownRenderer *renderer;
  GtkTextBuffer *shown;
  GtkTextIter start, end;
  FifoWriter writer = { path, NULL, 0 };
  GThread *thread;
  Ticker ticker = { 0 };
  gint64 started;
  guint id, steps = 0;
  int chars = 0;

  g_assert_true (g_file_get_contents (big, &writer.contents, &writer.length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  started = g_get_monotonic_time ();
  id = g_timeout_add (5, tick_cb, &ticker);
  g_object_set_data (G_OBJECT (fixture->panel), "ticker", &ticker);
  fixture->done = FALSE;
  ms_article_panel_load_file_async (fixture->panel, file, NULL, load_ready_cb, fixture);
  /* The worker waits for the file; the main loop does not. */
  g_assert_true (wait_for (fixture, ticked_three_times, 30000));
  g_assert_true (ms_article_panel_get_loading (fixture->panel));
  thread = g_thread_new ("fifo-writer", fifo_write_thread, &writer);
  g_assert_true (wait_for (fixture, not_loading, 30000));
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_true (wait_for (fixture, load_done, 30000));
  g_test_message ("big file: %.1f ms until shown, %u ticks while loading, longest main loop "
                  "gap %.1f ms", (g_get_monotonic_time () - started) / 1000.0, ticker.ticks,
                  ticker.max_gap / 1000.0);
  /* Drawing after the load counts too. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  g_source_remove (id);
  g_object_set_data (G_OBJECT (fixture->panel), "ticker", NULL);

  g_assert_true (fixture->ok);
  g_assert_cmpstr (ms_article_panel_get_title (fixture->panel), ==, "Big");
  /* Hundreds of sections: the navigation row holds the first 100. */
  g_assert_cmpuint (ms_article_panel_get_n_sections (fixture->panel), ==, 100);

  /* The same document rendered in steps whose budget is always used up. */
  doc = ms_markdown_doc_parse (writer.contents, writer.length, "big.md", &error);
  g_assert_no_error (error);
  buffer = gtk_text_buffer_new (NULL);
  renderer = ms_markdown_renderer_new (doc, buffer);
  while (!ms_markdown_renderer_step (renderer, 0))
    {
      int now = gtk_text_buffer_get_char_count (buffer);

      g_assert_cmpint (now - chars, <=, 65536);
      chars = now;
      steps++;
    }
  ms_markdown_renderer_free (renderer);
  g_test_message ("stepped rendering: %u steps, %d characters", steps,
                  gtk_text_buffer_get_char_count (buffer));
  g_assert_cmpuint (steps, >=, writer.length / 65536);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  stepped_text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  shown = gtk_text_view_get_buffer (ms_article_panel_get_text_view (fixture->panel));
  gtk_text_buffer_get_bounds (shown, &start, &end);
  shown_text = gtk_text_buffer_get_text (shown, &start, &end, TRUE);
  g_assert_cmpstr (stepped_text, ==, shown_text);
  g_free (writer.contents);
}

static void
test_superseded (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *big = write_big_file (fixture);
  g_autofree char *small = corpus_path ("headings.md");
  g_autoptr (GFile) big_file = g_file_new_for_path (big);
  Fixture first = { 0 };

  /* The later load wins; the earlier one reports that it was superseded. */
  ms_article_panel_load_file_async (fixture->panel, big_file, NULL, load_ready_cb, &first);
  g_assert_true (load_path (fixture, small));
  g_assert_true (wait_for (&first, load_done, 20000));
  g_assert_false (first.ok);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&first.error);
  g_assert_cmpstr (ms_article_panel_get_title (fixture->panel), ==, "headings.md");
  iterate_for (50);
  g_assert_cmpuint (fixture->loaded, ==, 1);
}

static void
test_destroy_while_loading (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *big = write_big_file (fixture);
  g_autoptr (GFile) file = g_file_new_for_path (big);
  Fixture result = { 0 };
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *panel = ms_article_panel_new ();
  GWeakRef weak;

  gtk_window_set_child (window, panel);
  gtk_window_present (window);
  g_weak_ref_init (&weak, panel);
  ms_article_panel_load_file_async (MS_ARTICLE_PANEL (panel), file, NULL, load_ready_cb,
                                    &result);
  gtk_window_destroy (window);
  /* The load still reports back (the task keeps the panel alive until then). */
  g_assert_true (wait_for (&result, load_done, 20000));
  g_clear_error (&result.error);
  iterate_for (20);
  /* Nothing keeps the panel alive once the worker is done. */
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

/* The widget rendered by its window's renderer: B, G, R, A bytes, width × height of them;
 * png_path (may be NULL) keeps the picture. */
static guchar *
render_pixels (GtkWidget  *widget,
               const char *png_path,
               int        *width,
               int        *height)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer;
  guchar *pixels;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  if (png_path != NULL)
    g_assert_true (gdk_texture_save_to_png (texture, png_path));
  pixels = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, pixels, (gsize) *width * 4);
  return pixels;
}

/* The number of colours in the widget's picture (kept in png_path unless NULL), and in
 * n_found, unless NULL, how many pixels have the colour find. */
static guint
count_colours (GtkWidget     *widget,
               const char    *png_path,
               const GdkRGBA *find,
               guint         *n_found)
{
  int width, height;
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  g_autofree guchar *pixels = render_pixels (widget, png_path, &width, &height);

  if (n_found != NULL)
    *n_found = 0;
  for (int i = 0; i < width * height; i++)
    {
      guint32 pixel;

      memcpy (&pixel, pixels + 4 * i, 4);
      g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      if (find != NULL && pixels[4 * i + 3] == 255
          && pixels[4 * i + 2] == (guchar) lround (find->red * 255)
          && pixels[4 * i + 1] == (guchar) lround (find->green * 255)
          && pixels[4 * i] == (guchar) lround (find->blue * 255))
        (*n_found)++;
    }
  return g_hash_table_size (colours);
}

/* The loop's label, "its behaviour is scored", is clear of the loop's line: no pixel of the
 * (blue) line inside the words' box (the line ran through both ends of them). */
static void
test_loop_label_clear (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *illustration;
  graphene_rect_t label;
  g_autofree guchar *pixels = NULL;
  int width, height, n_line = 0, n_text = 0;

  load_article (fixture);
  g_assert_true (wait_for (fixture, illustration_drawn, 5000));
  illustration = ms_article_panel_get_illustration (fixture->panel);
  g_assert_true (ms_loop_illustration_get_loop_label (MS_LOOP_ILLUSTRATION (illustration),
                                                      &label));
  pixels = render_pixels (illustration, NULL, &width, &height);
  g_assert_cmpfloat (label.origin.x, >=, 0);
  g_assert_cmpfloat (label.origin.y + label.size.height, <=, height);
  for (int y = (int) label.origin.y; y < (int) ceil (label.origin.y + label.size.height); y++)
    for (int x = (int) label.origin.x; x < (int) ceil (label.origin.x + label.size.width); x++)
      {
        const guchar *px = pixels + ((gsize) y * width + x) * 4;

        if (px[0] > px[2] + 60)         /* blue well above red: the line */
          n_line++;
        else if (abs (px[0] - px[2]) < 20 && px[0] < 200)     /* grey: the words */
          n_text++;
      }
  g_test_message ("label %.0f × %.0f at (%.0f, %.0f): %d pixels of words, %d of the line",
                  label.size.width, label.size.height, label.origin.x, label.origin.y, n_text,
                  n_line);
  g_assert_cmpint (n_text, >, 20);
  g_assert_cmpint (n_line, ==, 0);
}

static gboolean
illustration_redrawn (Fixture *fixture)
{
  GtkWidget *illustration = ms_article_panel_get_illustration (fixture->panel);

  return ms_loop_illustration_get_draw_count (MS_LOOP_ILLUSTRATION (illustration))
         > GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (illustration), "draws-before"));
}

/* Renders the panel; MS_ARTICLE_SCREENSHOT=path.png keeps the picture (light theme; the
 * dark one goes next to it as path-dark.png). */
static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  const char *png = g_getenv ("MS_ARTICLE_SCREENSHOT");
  g_autofree char *end_png = NULL;
  g_autofree char *dark_png = NULL;
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkTextBuffer *buffer;
  GtkTextTag *link;
  GtkWidget *illustration;
  GdkRGBA *light_colour = NULL, *dark_colour = NULL;
  guint colours, link_pixels;

  load_article (fixture);
  g_assert_true (wait_for (fixture, illustration_drawn, 5000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  colours = count_colours (GTK_WIDGET (fixture->window), png, NULL, NULL);
  g_test_message ("light panel: %u colours", colours);
  g_assert_cmpuint (colours, >, 50);

  /* The end of the article: the ordered list and the links. */
  ms_article_panel_jump_to_section (fixture->panel, 2);
  g_assert_true (wait_for (fixture, section_is_2, 5000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (ms_article_panel_get_section_button (fixture->panel, 2))));
  /* Let the button's new state reach its style before rendering: the state may change
   * during a layout pass, after that frame's style update. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  iterate_for (100);
  if (png != NULL)
    {
      g_autofree char *stem = g_strndup (png, g_str_has_suffix (png, ".png")
                                              ? strlen (png) - 4 : strlen (png));

      end_png = g_strconcat (stem, "-end.png", NULL);
    }
  /* The links there are drawn, underlined in the link colour. */
  buffer = gtk_text_view_get_buffer (ms_article_panel_get_text_view (fixture->panel));
  link = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "link");
  g_object_get (link, "foreground-rgba", &light_colour, NULL);
  colours = count_colours (GTK_WIDGET (fixture->window), end_png, light_colour, &link_pixels);
  g_test_message ("end of the article: %u colours, %u pixels in the link colour", colours,
                  link_pixels);
  g_assert_cmpuint (colours, >, 50);
  g_assert_cmpuint (link_pixels, >, 100);
  ms_article_panel_jump_to_section (fixture->panel, 0);
  g_assert_true (wait_for (fixture, section_is_0, 5000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (
                       GTK_SCROLLABLE (ms_article_panel_get_text_view (fixture->panel)))), ==, 0);

  /* Theme-aware: the dark style recolours links and redraws the illustration. */
  illustration = ms_article_panel_get_illustration (fixture->panel);
  g_object_set_data (G_OBJECT (illustration), "draws-before",
                     GUINT_TO_POINTER (ms_loop_illustration_get_draw_count (
                                         MS_LOOP_ILLUSTRATION (illustration))));
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_object_get (link, "foreground-rgba", &dark_colour, NULL);
  g_assert_false (gdk_rgba_equal (light_colour, dark_colour));
  g_assert_true (wait_for (fixture, illustration_redrawn, 5000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->panel));
  if (png != NULL)
    {
      g_autofree char *stem = g_strndup (png, g_str_has_suffix (png, ".png")
                                              ? strlen (png) - 4 : strlen (png));

      dark_png = g_strconcat (stem, "-dark.png", NULL);
    }
  g_assert_cmpuint (count_colours (GTK_WIDGET (fixture->window), dark_png, NULL, NULL), >, 50);
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
  gdk_rgba_free (light_colour);
  gdk_rgba_free (dark_colour);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/ui/article-panel/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("load-resource", test_load_resource);
  ADD ("loop-label-clear", test_loop_label_clear);
  ADD ("missing-resource", test_missing_resource);
  ADD ("sections", test_sections);
  ADD ("many-sections", test_many_sections);
  ADD ("many-pictures", test_many_pictures);
  ADD ("terms", test_terms);
  ADD ("links", test_links);
  ADD ("font-scale", test_font_scale);
  ADD ("select-and-copy", test_select_and_copy);
  ADD ("search", test_search);
  ADD ("load-file", test_load_file);
  ADD ("bad/not-utf8", test_bad_not_utf8);
  ADD ("bad/binary", test_bad_binary);
  ADD ("bad/huge", test_bad_huge);
  ADD ("bad/endless", test_bad_endless);
  ADD ("bad/front-matter", test_bad_front_matter);
  ADD ("bad/unterminated", test_bad_unterminated);
  ADD ("bad/missing", test_bad_missing);
  ADD ("main-loop-runs", test_main_loop_runs);
  ADD ("superseded", test_superseded);
  ADD ("destroy-while-loading", test_destroy_while_loading);
  ADD ("render", test_render);
#undef ADD

  return g_test_run ();
}
