/* ms-article-panel-load.c: loading the article panel's document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built-in articles are parsed right away; files are read and parsed in a worker thread
 * (ms_markdown_doc_parse() needs no GTK), and a load that takes a while shows the loading
 * page. A parsed document goes into a new buffer off screen, in steps that take turns with
 * drawing when it is big, and replaces the shown one only when complete, with its header,
 * section buttons, pictures and notices. A newer load supersedes an older one at any stage.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-article-panel-private.h"
#include "ms-loop-illustration.h"

/* Widgets standing for pictures: as with section buttons (ms-article-panel.c), a file of many
 * thousand would make gigabytes of widgets; later pictures show nothing. */
#define MAX_PICTURES 200
/* A load that takes longer than this shows the loading page. */
#define LOADING_PAGE_DELAY_MS 150
/* Filling the buffer of a big document takes turns with drawing, this long each. */
#define RENDER_STEP_US 6000

/* The "loading" property: a file is being parsed or a document rendered. */
static void
update_loading (MsArticlePanel *self)
{
  gboolean loading = self->parsing || self->renderer != NULL;

  if (!self->parsing)
    g_clear_handle_id (&self->loading_page_id, g_source_remove);
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self),
                            ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_LOADING]);
}

static void
illustration_term_cb (MsArticlePanel *self,
                      const char     *term_id)
{
  g_signal_emit (self, ms_article_panel_signals[MS_ARTICLE_PANEL_TERM_ACTIVATED], 0, term_id);
}

/* Showing a document -------------------------------------------------------------------- */

static gboolean
is_article_illustration (const char *src)
{
  g_autofree char *base = src != NULL ? g_path_get_basename (src) : NULL;
  const char *dot;

  if (base == NULL)
    return FALSE;
  dot = strrchr (base, '.');
  if (dot != NULL)
    base[dot - base] = '\0';
  return g_ascii_strcasecmp (base, "mesa-optimizers") == 0;
}

static void
add_images (MsArticlePanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  g_ptr_array_set_size (self->illustrations, 0);
  for (guint i = 0; i < MIN (ms_markdown_doc_get_n_images (self->doc), MAX_PICTURES); i++)
    {
      const char *src, *alt, *title;
      int offset = ms_markdown_doc_get_image (self->doc, i, &src, &alt, &title);
      GtkTextChildAnchor *anchor;
      GtkTextIter iter;
      GtkWidget *child;

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
      anchor = gtk_text_iter_get_child_anchor (&iter);
      if (anchor == NULL)
        continue;
      if (is_article_illustration (src))
        {
          child = ms_loop_illustration_new (alt, title != NULL && *title != '\0' ? title : NULL);
          ms_loop_illustration_set_font_scale (MS_LOOP_ILLUSTRATION (child),
                                               ms_article_panel_text_scale (self));
          if (self->text_width > 0)
            ms_loop_illustration_set_max_width (MS_LOOP_ILLUSTRATION (child), self->text_width);
          g_signal_connect_object (child, "term-activated", G_CALLBACK (illustration_term_cb),
                                   self, G_CONNECT_SWAPPED);
          g_ptr_array_add (self->illustrations, child);
        }
      else
        {
          /* Pictures are not fetched: show what the picture is about instead. */
          g_autofree char *text = g_strdup_printf (_("[Picture: %s]"),
                                                   *alt != '\0' ? alt : src);

          child = gtk_label_new (text);
          gtk_label_set_wrap (GTK_LABEL (child), TRUE);
          gtk_label_set_max_width_chars (GTK_LABEL (child), 48);
          gtk_widget_add_css_class (child, "dim-label");
          if (title != NULL && *title != '\0')
            gtk_widget_set_tooltip_text (child, title);
        }
      gtk_text_view_add_child_at_anchor (self->text_view, child, anchor);
    }
}

/* Stops filling the buffer; the load that waited for it is told it was superseded. */
void
ms_article_panel_stop_rendering (MsArticlePanel *self)
{
  g_clear_handle_id (&self->render_id, g_source_remove);
  g_clear_pointer (&self->renderer, ms_markdown_renderer_free);
  g_clear_pointer (&self->pending_doc, ms_markdown_doc_unref);
  g_clear_object (&self->pending_file);
  g_clear_object (&self->pending_buffer);
  if (self->render_task != NULL)
    {
      g_autoptr (GTask) task = g_steal_pointer (&self->render_task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Showing the file was superseded by another one"));
    }
}

/* The buffer is complete: show it with the document's header. */
static void
finish_rendering (MsArticlePanel *self)
{
  g_autoptr (MsMarkdownDoc) doc = g_steal_pointer (&self->pending_doc);
  g_autoptr (GFile) file = g_steal_pointer (&self->pending_file);
  g_autoptr (GtkTextBuffer) buffer = g_steal_pointer (&self->pending_buffer);
  g_autoptr (GTask) task = g_steal_pointer (&self->render_task);
  const char *title = ms_markdown_doc_get_title (doc);
  const char *date = ms_markdown_doc_get_date_display (doc);
  const char *summary = ms_markdown_doc_get_summary (doc);
  g_autoptr (GString) notices = g_string_new (NULL);
  gboolean file_changed = self->file != file
                          && (self->file == NULL || file == NULL || !g_file_equal (self->file,
                                                                                  file));

  g_clear_handle_id (&self->render_id, g_source_remove);
  g_clear_pointer (&self->renderer, ms_markdown_renderer_free);
  g_clear_handle_id (&self->loading_page_id, g_source_remove);

  g_clear_pointer (&self->doc, ms_markdown_doc_unref);
  self->doc = g_steal_pointer (&doc);
  g_set_object (&self->file, file);

  g_array_set_size (self->matches, 0);
  self->current_match = -1;
  gtk_text_view_set_buffer (self->text_view, buffer);
  add_images (self);
  ms_article_panel_apply_style (self);

  g_free (self->title);
  self->title = g_strdup (title != NULL ? title : ms_markdown_doc_get_name (self->doc));
  gtk_label_set_text (self->title_label, self->title);
  gtk_label_set_text (self->date_label, date != NULL ? date : "");
  gtk_widget_set_visible (GTK_WIDGET (self->date_label), date != NULL);
  gtk_label_set_text (self->summary_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary != NULL);
  ms_article_panel_rebuild_sections (self);

  for (guint i = 0; i < ms_markdown_doc_get_n_notices (self->doc); i++)
    {
      if (i > 0)
        g_string_append_c (notices, '\n');
      g_string_append (notices, ms_markdown_doc_get_notice (self->doc, i));
    }
  ms_article_panel_show_notice (self, notices->str);

  ms_article_panel_set_page (self, "article");
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view)),
                            0);
  if (gtk_search_bar_get_search_mode (self->search_bar))
    ms_article_panel_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  else
    ms_article_panel_update_match_label (self, NULL);

  g_object_notify_by_pspec (G_OBJECT (self),
                            ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_TITLE]);
  if (file_changed)
    g_object_notify_by_pspec (G_OBJECT (self),
                              ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_FILE]);
  update_loading (self);
  g_signal_emit (self, ms_article_panel_signals[MS_ARTICLE_PANEL_LOADED], 0);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static gboolean
render_step_cb (gpointer user_data)
{
  MsArticlePanel *self = user_data;

  if (!ms_markdown_renderer_step (self->renderer, RENDER_STEP_US))
    return G_SOURCE_CONTINUE;
  self->render_id = 0;
  finish_rendering (self);
  return G_SOURCE_REMOVE;
}

/* Shows a parsed document. Its text goes into a new buffer off screen, in steps that take
 * turns with the rest of the main loop when the document is big (unless synchronous is
 * set); the view keeps the previous document, or the loading page, until it is done. */
static void
show_doc (MsArticlePanel *self,
          MsMarkdownDoc  *doc,
          GFile          *file,
          GTask          *task,
          gboolean        synchronous)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  ms_article_panel_stop_rendering (self);
  self->pending_doc = ms_markdown_doc_ref (doc);
  self->pending_file = file != NULL ? g_object_ref (file) : NULL;
  self->render_task = task != NULL ? g_object_ref (task) : NULL;
  self->pending_buffer = gtk_text_buffer_new (NULL);
  ms_markdown_buffer_set_style (self->pending_buffer, ms_article_panel_text_scale (self), dark);
  self->renderer = ms_markdown_renderer_new (doc, self->pending_buffer);
  update_loading (self);

  if (ms_markdown_renderer_step (self->renderer, synchronous ? G_MAXINT64 : RENDER_STEP_US))
    finish_rendering (self);
  else
    self->render_id = g_idle_add (render_step_cb, self);
}

static void
show_error (MsArticlePanel *self,
            const GError   *error)
{
  g_free (self->error_message);
  self->error_message = g_strdup (error->message);
  adw_status_page_set_description (self->error_page, error->message);
  gtk_widget_set_visible (self->back_button, self->doc != NULL);
  ms_article_panel_set_page (self, "error");
  g_signal_emit (self, ms_article_panel_signals[MS_ARTICLE_PANEL_LOAD_FAILED], 0, error);
}

gboolean
ms_article_panel_load_resource (MsArticlePanel  *self,
                                const char      *resource_path,
                                GError         **error)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *name = NULL;
  gconstpointer data;
  gsize size;

  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), FALSE);
  g_return_val_if_fail (resource_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Whatever was loading before is superseded. */
  self->load_serial++;
  self->parsing = FALSE;
  update_loading (self);

  name = g_path_get_basename (resource_path);
  bytes = g_resources_lookup_data (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes != NULL)
    {
      data = g_bytes_get_data (bytes, &size);
      doc = ms_markdown_doc_parse (data, size, name, &local_error);
    }
  else
    {
      GError *wrapped = g_error_new (local_error->domain, local_error->code,
                                     _("The article “%s” could not be loaded: %s"),
                                     name, local_error->message);

      g_clear_error (&local_error);
      local_error = wrapped;
    }
  if (doc == NULL)
    {
      show_error (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  show_doc (self, doc, NULL, NULL, TRUE);
  return TRUE;
}

/* Loading files in a worker thread -------------------------------------------------------- */

typedef struct
{
  GFile *file;
  char *name;
  guint serial;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_object_unref (load->file);
  g_free (load->name);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *buffer = NULL;
  MsMarkdownDoc *doc;
  gsize length = 0;

  info = g_file_query_info (load->file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_new_error (task, error->domain, error->code,
                               _("“%s” could not be opened: %s"), load->name, error->message);
      return;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                               _("“%s” is a folder, not a Markdown file"), load->name);
      return;
    }
  if (g_file_info_get_size (info) > MS_MARKDOWN_MAX_SIZE)
    {
      g_autofree char *size = g_format_size_full (g_file_info_get_size (info),
                                                  G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (MS_MARKDOWN_MAX_SIZE,
                                                   G_FORMAT_SIZE_IEC_UNITS);

      g_task_return_new_error (task, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_TOO_BIG,
                               _("“%s” is too big to show: it has %s, the limit is %s"),
                               load->name, size, limit);
      return;
    }

  /* Read at most one byte more than the limit: the file may have grown, or be a device. */
  stream = g_file_read (load->file, cancellable, &error);
  buffer = g_malloc (MS_MARKDOWN_MAX_SIZE + 2);
  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, MS_MARKDOWN_MAX_SIZE + 1,
                                   &length, cancellable, &error))
    {
      g_task_return_new_error (task, error->domain, error->code,
                               _("“%s” could not be read: %s"), load->name, error->message);
      return;
    }
  buffer[length] = '\0';
  if (length > MS_MARKDOWN_MAX_SIZE)
    {
      g_autofree char *limit = g_format_size_full (MS_MARKDOWN_MAX_SIZE,
                                                   G_FORMAT_SIZE_IEC_UNITS);

      g_task_return_new_error (task, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_TOO_BIG,
                               _("“%s” is too big to show: it has more than %s"),
                               load->name, limit);
      return;
    }

  doc = ms_markdown_doc_parse (buffer, length, load->name, &error);
  if (doc == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, doc, (GDestroyNotify) ms_markdown_doc_unref);
}

static void
load_thread_done_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  MsArticlePanel *self = MS_ARTICLE_PANEL (source_object);
  g_autoptr (GTask) outer = user_data;
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autoptr (GError) error = NULL;

  doc = g_task_propagate_pointer (G_TASK (result), &error);
  if (load->serial != self->load_serial)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Loading “%s” was superseded by another file"), load->name);
      return;
    }
  self->parsing = FALSE;
  update_loading (self);
  if (doc == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (self->doc != NULL)
            ms_article_panel_set_page (self, "article");
          else
            ms_article_panel_set_page (self, "empty");
        }
      else
        show_error (self, error);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  /* The load completes when the buffer is filled. */
  show_doc (self, doc, load->file, outer, FALSE);
}

static gboolean
show_loading_page_cb (gpointer user_data)
{
  MsArticlePanel *self = user_data;

  self->loading_page_id = 0;
  ms_article_panel_set_page (self, "loading");
  return G_SOURCE_REMOVE;
}

void
ms_article_panel_load_file_async (MsArticlePanel      *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr (GTask) outer = NULL;
  g_autoptr (GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, ms_article_panel_load_file_async);

  load = g_new0 (LoadData, 1);
  load->file = g_object_ref (file);
  load->name = g_file_get_basename (file);
  if (load->name == NULL || *load->name == '\0' || g_str_equal (load->name, "/"))
    {
      g_free (load->name);
      load->name = g_file_get_parse_name (file);
    }
  load->serial = ++self->load_serial;

  self->parsing = TRUE;
  update_loading (self);
  g_clear_handle_id (&self->loading_page_id, g_source_remove);
  self->loading_page_id = g_timeout_add (LOADING_PAGE_DELAY_MS, show_loading_page_cb, self);

  task = g_task_new (self, cancellable, load_thread_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (task, ms_article_panel_load_file_async);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
ms_article_panel_load_file_finish (MsArticlePanel  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ms_article_panel_load_file (MsArticlePanel *self,
                            GFile          *file)
{
  ms_article_panel_load_file_async (self, file, NULL, NULL, NULL);
}
