/* ms-article-panel.c: the article side panel (Markdown rendered with md4c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel shows one Markdown document: its front matter as a header (title, date, summary,
 * a row of linked buttons to jump between sections), the body in a read-only GtkTextView
 * rendered by ms-markdown.c, and a search bar. Files are read and parsed in a worker thread;
 * only inserting the result into the buffer happens on the main thread. Problems with the
 * input are shown in the panel: a notice above the text when the rest could be rendered, an
 * error page when nothing could.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-article-panel.h"
#include "ms-article-panel-private.h"
#include "ms-loop-illustration.h"
#include "ms-markdown.h"

/* Searching stops counting after this many matches. */
#define MAX_MATCHES 1000
/* Section buttons in the navigation row: a file of many thousand headings made one each
 * (gigabytes of widgets); the sections after these still read and scroll as text. */
#define MAX_SECTIONS 100
/* Widgets standing for pictures, for the same reason; later pictures show nothing. */
#define MAX_PICTURES 200
/* A load that takes longer than this shows the loading page. */
#define LOADING_PAGE_DELAY_MS 150
/* Filling the buffer of a big document takes turns with drawing, this long each. */
#define RENDER_STEP_US 6000
#define FONT_SCALE_STEP 1.1

struct _MsArticlePanel
{
  AdwBin parent_instance;

  /* Template children */
  GtkLabel *title_label;
  GtkLabel *date_label;
  GtkLabel *summary_label;
  GtkWidget *sections_scroller;
  GtkBox *sections_box;
  GtkToggleButton *search_button;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkLabel *match_label;
  GtkRevealer *notice_revealer;
  GtkLabel *notice_label;
  GtkStack *stack;
  GtkSpinner *spinner;
  GtkScrolledWindow *scroller;
  GtkTextView *text_view;
  AdwStatusPage *error_page;
  GtkWidget *back_button;

  MsMarkdownDoc *doc;          /* Owned; the document shown, NULL before the first load. */
  GFile *file;                 /* Owned; NULL for built-in articles. */
  char *title;                 /* Owned; what the title label shows. */
  char *error_message;         /* Owned; the last load error. */
  guint load_serial;           /* Bumped by every load; older results are dropped. */
  gboolean parsing;            /* The newest load is still in its worker thread. */
  guint loading_page_id;       /* Timeout that shows the loading page. */
  gboolean loading;            /* Parsing or rendering. */
  MsMarkdownRenderer *renderer; /* Owned; fills pending_buffer, NULL once done. */
  guint render_id;             /* Idle that runs the renderer. */
  GTask *render_task;          /* Owned; the load waiting for rendering to finish, or NULL. */
  MsMarkdownDoc *pending_doc;  /* Owned; the document being rendered. */
  GFile *pending_file;         /* Owned; its file, NULL for built-in articles. */
  GtkTextBuffer *pending_buffer; /* Owned; filled off screen, then given to the view. */
  double font_scale;            /* the reader's zoom (Ctrl+plus/minus) */
  double presentation_scale;    /* the window's presentation scale, multiplies font_scale */

  GArray *sections;            /* guint: heading index of each section. */
  GPtrArray *section_buttons;  /* GtkToggleButton, borrowed from sections_box. */
  gboolean syncing_sections;
  GPtrArray *illustrations;    /* MsLoopIllustration, borrowed from the text view. */
  int text_width;              /* Width available to the text, from the last allocation. */
  guint text_width_id;         /* Idle that passes text_width on to the illustrations. */

  GArray *matches;             /* int pairs: start and end offset of each match. */
  int current_match;
  gboolean matches_capped;
};

G_DEFINE_FINAL_TYPE (MsArticlePanel, ms_article_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FONT_SCALE,
  PROP_PRESENTATION_SCALE,
  PROP_TITLE,
  PROP_LOADING,
  PROP_FILE,
  N_PROPS
};

enum {
  TERM_ACTIVATED,
  ACTIVATE_LINK,
  LOADED,
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];

/* The size text is drawn at: the reader's zoom times the presentation scale. */
static double
text_scale (MsArticlePanel *self)
{
  return self->font_scale * self->presentation_scale;
}
static guint signals[N_SIGNALS];

static void update_match_label (MsArticlePanel *self,
                                const char     *needle);

/* Header, sections, notices ------------------------------------------------------------ */

static void
set_label_scale (GtkLabel *label,
                 double    scale)
{
  g_autoptr (PangoAttrList) attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_scale_new (scale));
  gtk_label_set_attributes (label, attributes);
}

static void
apply_style (MsArticlePanel *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  ms_markdown_buffer_set_style (gtk_text_view_get_buffer (self->text_view),
                                text_scale (self), dark);
  if (self->pending_buffer != NULL)
    ms_markdown_buffer_set_style (self->pending_buffer, text_scale (self), dark);
  /* The title is large already; a scale attribute on that wrapping label also makes GTK 4.8
   * report inconsistent heights for it ("minimum height for width ... is"), so it keeps the
   * theme's size. */
  set_label_scale (self->date_label, text_scale (self));
  set_label_scale (self->summary_label, text_scale (self));
  for (guint i = 0; i < self->illustrations->len; i++)
    ms_loop_illustration_set_font_scale (g_ptr_array_index (self->illustrations, i),
                                         text_scale (self));
}

static void
show_notice (MsArticlePanel *self,
             const char     *text)
{
  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  gtk_revealer_set_reveal_child (self->notice_revealer, text != NULL && *text != '\0');
}

static void
dismiss_notice_cb (MsArticlePanel *self)
{
  gtk_revealer_set_reveal_child (self->notice_revealer, FALSE);
}

static void
set_page (MsArticlePanel *self,
          const char     *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
}

static void
update_loading (MsArticlePanel *self)
{
  gboolean loading = self->parsing || self->renderer != NULL;

  if (!self->parsing)
    g_clear_handle_id (&self->loading_page_id, g_source_remove);
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
section_clicked_cb (GtkToggleButton *button,
                    MsArticlePanel  *self)
{
  if (self->syncing_sections)
    return;
  ms_article_panel_jump_to_section (self,
                                    GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button),
                                                                         "ms-section")));
}

static void
rebuild_sections (MsArticlePanel *self)
{
  GtkWidget *child;
  GtkToggleButton *group = NULL;
  guint level = ms_markdown_doc_get_section_level (self->doc);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box))) != NULL)
    gtk_box_remove (self->sections_box, child);
  g_ptr_array_set_size (self->section_buttons, 0);
  g_array_set_size (self->sections, 0);

  for (guint i = 0; i < ms_markdown_doc_get_n_headings (self->doc); i++)
    {
      guint heading_level;
      const char *title = ms_markdown_doc_get_heading (self->doc, i, &heading_level, NULL);
      GtkWidget *button;

      if (heading_level != level)
        continue;
      if (self->sections->len == MAX_SECTIONS)
        break;
      button = gtk_toggle_button_new_with_label (*title != '\0' ? title : "…");
      gtk_widget_set_tooltip_text (button, _("Go to this section"));
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_object_set_data (G_OBJECT (button), "ms-section",
                         GUINT_TO_POINTER (self->sections->len));
      g_signal_connect (button, "clicked", G_CALLBACK (section_clicked_cb), self);
      gtk_box_append (self->sections_box, button);
      g_ptr_array_add (self->section_buttons, button);
      g_array_append_val (self->sections, i);
    }
  /* A single section is no navigation. */
  gtk_widget_set_visible (self->sections_scroller, self->sections->len > 1);
  if (self->sections->len > 0)
    {
      self->syncing_sections = TRUE;
      gtk_toggle_button_set_active (g_ptr_array_index (self->section_buttons, 0), TRUE);
      self->syncing_sections = FALSE;
    }
}

static int
visible_section (MsArticlePanel *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view));
  GdkRectangle rect;
  GtkTextIter top;
  int top_offset;
  int section = self->sections->len > 0 ? 0 : -1;

  if (self->doc == NULL)
    return -1;
  gtk_text_view_get_visible_rect (self->text_view, &rect);
  /* A heading in the upper third of the view counts as reached; at the very end, where the
   * last headings cannot scroll up that far, any heading in view does. */
  if (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
      >= gtk_adjustment_get_upper (adjustment) - 1
      && gtk_adjustment_get_value (adjustment) > 0)
    gtk_text_view_get_iter_at_location (self->text_view, &top, rect.x, rect.y + rect.height - 1);
  else
    gtk_text_view_get_iter_at_location (self->text_view, &top, rect.x,
                                        rect.y + rect.height / 3);
  top_offset = gtk_text_iter_get_offset (&top);
  for (guint i = 0; i < self->sections->len; i++)
    {
      int offset;

      ms_markdown_doc_get_heading (self->doc, g_array_index (self->sections, guint, i),
                                   NULL, &offset);
      if (offset <= top_offset)
        section = i;
    }
  return section;
}

static void
scrolled_cb (MsArticlePanel *self)
{
  int section = visible_section (self);

  if (section < 0 || (guint) section >= self->section_buttons->len)
    return;
  self->syncing_sections = TRUE;
  gtk_toggle_button_set_active (g_ptr_array_index (self->section_buttons, section), TRUE);
  self->syncing_sections = FALSE;
}

/* Links --------------------------------------------------------------------------------- */

static void
illustration_term_cb (MsArticlePanel *self,
                      const char     *term_id)
{
  g_signal_emit (self, signals[TERM_ACTIVATED], 0, term_id);
}

static gboolean
jump_to_anchor (MsArticlePanel *self,
                const char     *anchor)
{
  for (guint i = 0; i < ms_markdown_doc_get_n_headings (self->doc); i++)
    {
      g_autofree char *slug = ms_markdown_slugify (ms_markdown_doc_get_heading (self->doc, i,
                                                                                NULL, NULL));
      g_autofree char *name = NULL;
      GtkTextMark *mark;

      if (g_strcmp0 (slug, anchor) != 0)
        continue;
      name = g_strdup_printf ("ms-heading-%u", i);
      mark = gtk_text_buffer_get_mark (gtk_text_view_get_buffer (self->text_view), name);
      if (mark != NULL)
        gtk_text_view_scroll_to_mark (self->text_view, mark, 0.0, TRUE, 0.0, 0.0);
      return TRUE;
    }
  return FALSE;
}

static void
activate_link (MsArticlePanel *self,
               const char     *href,
               const char     *term_id)
{
  g_autofree char *uri = NULL;
  const char *scheme;
  gboolean handled = FALSE;

  if (term_id != NULL)
    {
      g_signal_emit (self, signals[TERM_ACTIVATED], 0, term_id);
      return;
    }
  if (href == NULL || *href == '\0')
    return;
  if (href[0] == '#')
    {
      if (!jump_to_anchor (self, href + 1))
        {
          g_autofree char *message = g_strdup_printf (_("There is no section “%s” in this "
                                                        "article."), href + 1);
          show_notice (self, message);
        }
      return;
    }

  scheme = g_uri_peek_scheme (href);
  if (scheme == NULL && g_str_has_prefix (href, "www."))
    uri = g_strconcat ("https://", href, NULL);
  else if (scheme == NULL && strchr (href, '@') != NULL && strchr (href, '/') == NULL)
    uri = g_strconcat ("mailto:", href, NULL);
  else if (scheme != NULL && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https")
                              || g_str_equal (scheme, "mailto")))
    uri = g_strdup (href);

  if (uri == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The link “%s” is not opened: only web "
                                                    "and e-mail links are."), href);
      show_notice (self, message);
      return;
    }
  g_signal_emit (self, signals[ACTIVATE_LINK], 0, uri, &handled);
}

static gboolean
ms_article_panel_real_activate_link (MsArticlePanel *self,
                                     const char     *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  return TRUE;
}

static gboolean
iter_at_widget_point (MsArticlePanel *self,
                      double          x,
                      double          y,
                      GtkTextIter    *iter)
{
  int buffer_x, buffer_y;

  gtk_text_view_window_to_buffer_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &buffer_x, &buffer_y);
  return gtk_text_view_get_iter_at_location (self->text_view, iter, buffer_x, buffer_y);
}

static void
text_released_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  MsArticlePanel  *self)
{
  GtkTextIter iter;

  /* A drag that selected text is not a click on a link. */
  if (n_press != 1 || gtk_text_buffer_get_has_selection (gtk_text_view_get_buffer (
                                                           self->text_view)))
    return;
  if (iter_at_widget_point (self, x, y, &iter))
    ms_article_panel_activate_link_at (self, &iter);
}

static void
text_motion_cb (GtkEventControllerMotion *controller,
                double                    x,
                double                    y,
                MsArticlePanel           *self)
{
  GtkTextIter iter;
  gboolean on_link = iter_at_widget_point (self, x, y, &iter)
                     && ms_markdown_iter_get_link (&iter, NULL, NULL);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->text_view), on_link ? "pointer" : "text");
}

static gboolean
text_query_tooltip_cb (GtkWidget      *widget,
                       int             x,
                       int             y,
                       gboolean        keyboard_mode,
                       GtkTooltip     *tooltip,
                       MsArticlePanel *self)
{
  GtkTextIter iter;
  const char *href, *term_id;

  if (keyboard_mode)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

      gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
    }
  else if (!iter_at_widget_point (self, x, y, &iter))
    return FALSE;
  if (!ms_markdown_iter_get_link (&iter, &href, &term_id))
    return FALSE;
  gtk_tooltip_set_text (tooltip, term_id != NULL ? _("Show this in the dashboard") : href);
  return TRUE;
}

static gboolean
text_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     MsArticlePanel        *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter iter;

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  return ms_article_panel_activate_link_at (self, &iter);
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
          ms_loop_illustration_set_font_scale (MS_LOOP_ILLUSTRATION (child), text_scale (self));
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
static void
stop_rendering (MsArticlePanel *self)
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
  apply_style (self);

  g_free (self->title);
  self->title = g_strdup (title != NULL ? title : ms_markdown_doc_get_name (self->doc));
  gtk_label_set_text (self->title_label, self->title);
  gtk_label_set_text (self->date_label, date != NULL ? date : "");
  gtk_widget_set_visible (GTK_WIDGET (self->date_label), date != NULL);
  gtk_label_set_text (self->summary_label, summary != NULL ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary != NULL);
  rebuild_sections (self);

  for (guint i = 0; i < ms_markdown_doc_get_n_notices (self->doc); i++)
    {
      if (i > 0)
        g_string_append_c (notices, '\n');
      g_string_append (notices, ms_markdown_doc_get_notice (self->doc, i));
    }
  show_notice (self, notices->str);

  set_page (self, "article");
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view)),
                            0);
  if (gtk_search_bar_get_search_mode (self->search_bar))
    ms_article_panel_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  else
    update_match_label (self, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  if (file_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  update_loading (self);
  g_signal_emit (self, signals[LOADED], 0);
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

  stop_rendering (self);
  self->pending_doc = ms_markdown_doc_ref (doc);
  self->pending_file = file != NULL ? g_object_ref (file) : NULL;
  self->render_task = task != NULL ? g_object_ref (task) : NULL;
  self->pending_buffer = gtk_text_buffer_new (NULL);
  ms_markdown_buffer_set_style (self->pending_buffer, text_scale (self), dark);
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
  set_page (self, "error");
  g_signal_emit (self, signals[LOAD_FAILED], 0, error);
}

static void
back_clicked_cb (MsArticlePanel *self)
{
  if (self->doc != NULL)
    set_page (self, "article");
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
            set_page (self, "article");
          else
            set_page (self, "empty");
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
  set_page (self, "loading");
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

/* Search ---------------------------------------------------------------------------------- */

static void
update_match_label (MsArticlePanel *self,
                    const char     *needle)
{
  guint n = self->matches->len / 2;
  g_autofree char *text = NULL;

  if (needle == NULL || *needle == '\0')
    text = g_strdup ("");
  else if (n == 0)
    text = g_strdup (_("No match"));
  else if (self->matches_capped)
    /* TRANSLATORS: the current search match and the number of matches, when there are
     * more than could be counted. */
    text = g_strdup_printf (_("%d of %u+"), self->current_match + 1, n);
  else
    /* TRANSLATORS: the current search match and the number of matches. */
    text = g_strdup_printf (_("%d of %u"), self->current_match + 1, n);
  gtk_label_set_text (self->match_label, text);

  if (needle != NULL && *needle != '\0' && n == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
}

static void
select_match (MsArticlePanel *self,
              int             index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  GtkTextMark *mark;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "search-current", &start, &end);
  self->current_match = index;
  if (index < 0)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &start,
                                      g_array_index (self->matches, int, 2 * index));
  gtk_text_buffer_get_iter_at_offset (buffer, &end,
                                      g_array_index (self->matches, int, 2 * index + 1));
  gtk_text_buffer_apply_tag_by_name (buffer, "search-current", &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  mark = gtk_text_buffer_get_mark (buffer, "ms-search");
  if (mark == NULL)
    mark = gtk_text_buffer_create_mark (buffer, "ms-search", &start, TRUE);
  else
    gtk_text_buffer_move_mark (buffer, mark, &start);
  gtk_text_view_scroll_to_mark (self->text_view, mark, 0.1, FALSE, 0.0, 0.0);
}

void
ms_article_panel_search (MsArticlePanel *self,
                         const char     *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end, match_start, match_end;
  GdkRectangle rect;
  GtkTextIter top;
  int top_offset;
  int first_visible = -1;

  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "search-match", &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "search-current", &start, &end);
  g_array_set_size (self->matches, 0);
  self->current_match = -1;
  self->matches_capped = FALSE;

  if (text != NULL && *text != '\0'
      && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    {
      g_signal_handlers_block_matched (self->search_entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                       NULL, self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
      g_signal_handlers_unblock_matched (self->search_entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                         NULL, self);
    }
  if (text == NULL || *text == '\0')
    {
      update_match_label (self, text);
      return;
    }

  gtk_text_view_get_visible_rect (self->text_view, &rect);
  gtk_text_view_get_iter_at_location (self->text_view, &top, rect.x, rect.y);
  top_offset = gtk_text_iter_get_offset (&top);

  while (gtk_text_iter_forward_search (&start, text,
                                       GTK_TEXT_SEARCH_CASE_INSENSITIVE
                                       | GTK_TEXT_SEARCH_TEXT_ONLY,
                                       &match_start, &match_end, NULL))
    {
      int offsets[2] = { gtk_text_iter_get_offset (&match_start),
                         gtk_text_iter_get_offset (&match_end) };

      if (self->matches->len / 2 >= MAX_MATCHES)
        {
          self->matches_capped = TRUE;
          break;
        }
      g_array_append_vals (self->matches, offsets, 2);
      gtk_text_buffer_apply_tag_by_name (buffer, "search-match", &match_start, &match_end);
      if (first_visible < 0 && offsets[0] >= top_offset)
        first_visible = self->matches->len / 2 - 1;
      start = match_end;
    }

  if (self->matches->len > 0)
    select_match (self, first_visible >= 0 ? first_visible : 0);
  update_match_label (self, text);
}

static void
search_changed_cb (MsArticlePanel *self)
{
  ms_article_panel_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
step_match (MsArticlePanel *self,
            int             step)
{
  guint n = self->matches->len / 2;

  if (n == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  select_match (self, (int) ((self->current_match + step + (int) n) % (int) n));
  update_match_label (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

void
ms_article_panel_next_match (MsArticlePanel *self)
{
  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  step_match (self, 1);
}

void
ms_article_panel_previous_match (MsArticlePanel *self)
{
  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  step_match (self, -1);
}

static void
search_mode_changed_cb (MsArticlePanel *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    {
      search_changed_cb (self);
      return;
    }
  ms_article_panel_search (self, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

void
ms_article_panel_start_search (MsArticlePanel *self)
{
  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/* Actions --------------------------------------------------------------------------------- */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ms_article_panel_start_search (MS_ARTICLE_PANEL (widget));
}

static void
match_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  step_match (MS_ARTICLE_PANEL (widget),
              g_str_equal (action_name, "article.previous-match") ? -1 : 1);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MsArticlePanel *self = MS_ARTICLE_PANEL (widget);

  if (g_str_equal (action_name, "article.zoom-in"))
    ms_article_panel_set_font_scale (self, self->font_scale * FONT_SCALE_STEP);
  else if (g_str_equal (action_name, "article.zoom-out"))
    ms_article_panel_set_font_scale (self, self->font_scale / FONT_SCALE_STEP);
  else
    ms_article_panel_set_font_scale (self, 1.0);
}

/* Size ------------------------------------------------------------------------------------ */

static void
update_text_width_cb (gpointer user_data)
{
  MsArticlePanel *self = user_data;

  self->text_width_id = 0;
  for (guint i = 0; i < self->illustrations->len; i++)
    ms_loop_illustration_set_max_width (g_ptr_array_index (self->illustrations, i),
                                        self->text_width);
}

/* The panel lays out its single child itself, to learn the width its text gets: pictures in
 * the text follow it, adjusted after the allocation, not during it. */
static GtkSizeRequestMode
panel_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
panel_measure (GtkWidget      *widget,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child == NULL || !gtk_widget_should_layout (child))
    {
      *minimum = *natural = 0;
      *minimum_baseline = *natural_baseline = -1;
      return;
    }
  gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline,
                      natural_baseline);
  /* The width is the reader's choice (the window sets it as the size request), not the width
   * the text would like: wrapped text wants every line on one. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = *minimum;
}

static void
panel_allocate (GtkWidget *widget,
                int        width,
                int        height,
                int        baseline)
{
  MsArticlePanel *self = MS_ARTICLE_PANEL (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  int text_width;

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);

  text_width = width - gtk_text_view_get_left_margin (self->text_view)
               - gtk_text_view_get_right_margin (self->text_view) - 4;
  if (text_width > 0 && text_width != self->text_width)
    {
      self->text_width = text_width;
      if (self->text_width_id == 0)
        self->text_width_id = g_idle_add_once (update_text_width_cb, self);
    }
}

/* GObject --------------------------------------------------------------------------------- */

static void
ms_article_panel_dispose (GObject *object)
{
  MsArticlePanel *self = MS_ARTICLE_PANEL (object);

  /* A load still running finds a newer serial and drops its result. */
  self->load_serial++;
  g_clear_handle_id (&self->loading_page_id, g_source_remove);
  g_clear_handle_id (&self->text_width_id, g_source_remove);
  stop_rendering (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_ARTICLE_PANEL);

  G_OBJECT_CLASS (ms_article_panel_parent_class)->dispose (object);
}

static void
ms_article_panel_finalize (GObject *object)
{
  MsArticlePanel *self = MS_ARTICLE_PANEL (object);

  g_clear_pointer (&self->doc, ms_markdown_doc_unref);
  g_clear_object (&self->file);
  g_free (self->title);
  g_free (self->error_message);
  g_array_unref (self->sections);
  g_ptr_array_unref (self->section_buttons);
  g_ptr_array_unref (self->illustrations);
  g_array_unref (self->matches);

  G_OBJECT_CLASS (ms_article_panel_parent_class)->finalize (object);
}

static void
ms_article_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MsArticlePanel *self = MS_ARTICLE_PANEL (object);

  switch (prop_id)
    {
    case PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
      break;
    case PROP_PRESENTATION_SCALE:
      g_value_set_double (value, self->presentation_scale);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_article_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MsArticlePanel *self = MS_ARTICLE_PANEL (object);

  switch (prop_id)
    {
    case PROP_FONT_SCALE:
      ms_article_panel_set_font_scale (self, g_value_get_double (value));
      break;
    case PROP_PRESENTATION_SCALE:
      ms_article_panel_set_presentation_scale (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_article_panel_class_init (MsArticlePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_article_panel_dispose;
  object_class->finalize = ms_article_panel_finalize;
  object_class->get_property = ms_article_panel_get_property;
  object_class->set_property = ms_article_panel_set_property;

  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL,
                         MS_ARTICLE_PANEL_MIN_FONT_SCALE, MS_ARTICLE_PANEL_MAX_FONT_SCALE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The window's presentation scale (1 outside presentation mode): multiplies the zoom. */
  properties[PROP_PRESENTATION_SCALE] =
    g_param_spec_double ("presentation-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TERM_ACTIVATED] =
    g_signal_new ("term-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[ACTIVATE_LINK] =
    g_signal_new_class_handler ("activate-link", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (ms_article_panel_real_activate_link),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1,
                                G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesascope/Mesascope/article/"
                                               "ms-article-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, date_label);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, sections_scroller);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, sections_box);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, search_button);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, search_bar);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, match_label);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, notice_label);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, stack);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, text_view);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, MsArticlePanel, back_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, ms_article_panel_next_match);
  gtk_widget_class_bind_template_callback (widget_class, ms_article_panel_previous_match);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_notice_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "article.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "article.next-match", NULL, match_action);
  gtk_widget_class_install_action (widget_class, "article.previous-match", NULL, match_action);
  gtk_widget_class_install_action (widget_class, "article.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "article.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "article.zoom-reset", NULL, zoom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "article.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK,
                                       "article.next-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "article.previous-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "article.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "article.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "article.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "article.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "article.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "article.zoom-reset", NULL);

  gtk_widget_class_set_css_name (widget_class, "articlepanel");
  g_type_ensure (MS_TYPE_LOOP_ILLUSTRATION);
}

static void
ms_article_panel_init (MsArticlePanel *self)
{
  GtkGesture *click;
  GtkEventController *motion;
  GtkEventController *keys;
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  self->font_scale = 1.0;
  self->presentation_scale = 1.0;
  self->current_match = -1;
  self->sections = g_array_new (FALSE, FALSE, sizeof (guint));
  self->section_buttons = g_ptr_array_new ();
  self->illustrations = g_ptr_array_new ();
  self->matches = g_array_new (FALSE, FALSE, sizeof (int));

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self),
                                 gtk_custom_layout_new (panel_request_mode, panel_measure,
                                                        panel_allocate));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_changed_cb), self, G_CONNECT_SWAPPED);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (text_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (text_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), motion);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (text_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);

  g_signal_connect (self->text_view, "query-tooltip", G_CALLBACK (text_query_tooltip_cb), self);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view)),
                           "value-changed", G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);
  /* The text grows while it is laid out, which moves what is in view too. */
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view)),
                           "changed", G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (style_manager, "notify::dark", G_CALLBACK (apply_style), self,
                           G_CONNECT_SWAPPED);
  apply_style (self);
}

/* Public API ------------------------------------------------------------------------------ */

GtkWidget *
ms_article_panel_new (void)
{
  return g_object_new (MS_TYPE_ARTICLE_PANEL, NULL);
}

gboolean
ms_article_panel_get_loading (MsArticlePanel *self)
{
  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), FALSE);

  return self->loading;
}

GFile *
ms_article_panel_get_file (MsArticlePanel *self)
{
  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), NULL);

  return self->file;
}

const char *
ms_article_panel_get_title (MsArticlePanel *self)
{
  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), NULL);

  return self->title;
}

double
ms_article_panel_get_font_scale (MsArticlePanel *self)
{
  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), 1.0);

  return self->font_scale;
}

void
ms_article_panel_set_font_scale (MsArticlePanel *self,
                                 double          font_scale)
{
  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  font_scale = CLAMP (font_scale, MS_ARTICLE_PANEL_MIN_FONT_SCALE,
                      MS_ARTICLE_PANEL_MAX_FONT_SCALE);
  if (G_APPROX_VALUE (font_scale, self->font_scale, 1e-9))
    return;
  self->font_scale = font_scale;
  apply_style (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FONT_SCALE]);
}

double
ms_article_panel_get_presentation_scale (MsArticlePanel *self)
{
  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), 1.0);

  return self->presentation_scale;
}

void
ms_article_panel_set_presentation_scale (MsArticlePanel *self,
                                         double          scale)
{
  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));

  scale = CLAMP (scale, 0.5, 4.0);
  if (G_APPROX_VALUE (scale, self->presentation_scale, 1e-9))
    return;
  self->presentation_scale = scale;
  apply_style (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION_SCALE]);
}

guint
ms_article_panel_get_n_sections (MsArticlePanel *self)
{
  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), 0);

  return self->sections->len;
}

const char *
ms_article_panel_get_section_title (MsArticlePanel *self,
                                    guint           index)
{
  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), NULL);
  g_return_val_if_fail (index < self->sections->len, NULL);

  return ms_markdown_doc_get_heading (self->doc, g_array_index (self->sections, guint, index),
                                      NULL, NULL);
}

void
ms_article_panel_jump_to_section (MsArticlePanel *self,
                                  guint           index)
{
  g_autofree char *name = NULL;
  GtkTextMark *mark;

  g_return_if_fail (MS_IS_ARTICLE_PANEL (self));
  g_return_if_fail (index < self->sections->len);

  name = g_strdup_printf ("ms-heading-%u", g_array_index (self->sections, guint, index));
  mark = gtk_text_buffer_get_mark (gtk_text_view_get_buffer (self->text_view), name);
  /* The first section starts at the top, with whatever comes before its heading. */
  if (index == 0)
    gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view)),
                              0);
  else if (mark != NULL)
    gtk_text_view_scroll_to_mark (self->text_view, mark, 0.0, TRUE, 0.0, 0.0);
  self->syncing_sections = TRUE;
  gtk_toggle_button_set_active (g_ptr_array_index (self->section_buttons, index), TRUE);
  self->syncing_sections = FALSE;
}

GtkTextView *
ms_article_panel_get_text_view (MsArticlePanel *self)
{
  return self->text_view;
}

const char *
ms_article_panel_get_page (MsArticlePanel *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
ms_article_panel_get_notice (MsArticlePanel *self)
{
  if (!gtk_revealer_get_reveal_child (self->notice_revealer))
    return NULL;
  return gtk_label_get_text (self->notice_label);
}

const char *
ms_article_panel_get_error_message (MsArticlePanel *self)
{
  return self->error_message;
}

const char *
ms_article_panel_get_date_text (MsArticlePanel *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->date_label))
         ? gtk_label_get_text (self->date_label) : NULL;
}

const char *
ms_article_panel_get_summary_text (MsArticlePanel *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->summary_label))
         ? gtk_label_get_text (self->summary_label) : NULL;
}

GtkWidget *
ms_article_panel_get_section_button (MsArticlePanel *self,
                                     guint           index)
{
  g_return_val_if_fail (index < self->section_buttons->len, NULL);

  return g_ptr_array_index (self->section_buttons, index);
}

int
ms_article_panel_get_visible_section (MsArticlePanel *self)
{
  return visible_section (self);
}

GtkWidget *
ms_article_panel_get_illustration (MsArticlePanel *self)
{
  return self->illustrations->len > 0 ? g_ptr_array_index (self->illustrations, 0) : NULL;
}

guint
ms_article_panel_get_n_matches (MsArticlePanel *self)
{
  return self->matches->len / 2;
}

int
ms_article_panel_get_current_match (MsArticlePanel *self,
                                    int            *start,
                                    int            *end)
{
  if (self->current_match >= 0)
    {
      if (start != NULL)
        *start = g_array_index (self->matches, int, 2 * self->current_match);
      if (end != NULL)
        *end = g_array_index (self->matches, int, 2 * self->current_match + 1);
    }
  return self->current_match;
}

const char *
ms_article_panel_get_match_label (MsArticlePanel *self)
{
  return gtk_label_get_text (self->match_label);
}

gboolean
ms_article_panel_get_search_failed (MsArticlePanel *self)
{
  return gtk_widget_has_css_class (GTK_WIDGET (self->search_entry), "error");
}

gboolean
ms_article_panel_activate_link_at (MsArticlePanel    *self,
                                   const GtkTextIter *iter)
{
  const char *href, *term_id;

  g_return_val_if_fail (MS_IS_ARTICLE_PANEL (self), FALSE);

  if (!ms_markdown_iter_get_link (iter, &href, &term_id))
    return FALSE;
  activate_link (self, href, term_id);
  return TRUE;
}
