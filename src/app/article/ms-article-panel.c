/* ms-article-panel.c: the article side panel (Markdown rendered with md4c): the widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel shows one Markdown document: its front matter as a header (title, date, summary,
 * a row of linked buttons to jump between sections), the body in a read-only GtkTextView
 * rendered by ms-markdown-render.c, and a search bar. Problems with the input are shown in
 * the panel: a notice above the text when the rest could be rendered, an error page when
 * nothing could.
 *
 * This file is the core: the header, section buttons and notices, links and the keys and
 * pointer over the text, zoom, the layout that passes the text width on to pictures, the
 * GObject parts and the public API. Loading (reading and parsing files in a worker thread,
 * filling the buffer in steps on the main thread) is in ms-article-panel-load.c, search in
 * ms-article-panel-search.c; the struct they share is in ms-article-panel-private.h.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-article-panel.h"
#include "ms-article-panel-private.h"
#include "ms-loop-illustration.h"
#include "ms-markdown.h"

/* Section buttons in the navigation row: a file of many thousand headings made one each
 * (gigabytes of widgets); the sections after these still read and scroll as text. */
#define MAX_SECTIONS 100
#define FONT_SCALE_STEP 1.1

G_DEFINE_FINAL_TYPE (MsArticlePanel, ms_article_panel, ADW_TYPE_BIN)

GParamSpec *ms_article_panel_properties[MS_ARTICLE_PANEL_N_PROPS];
guint ms_article_panel_signals[MS_ARTICLE_PANEL_N_SIGNALS];

/* The size text is drawn at: the reader's zoom times the presentation scale. */
double
ms_article_panel_text_scale (MsArticlePanel *self)
{
  return self->font_scale * self->presentation_scale;
}

/* Header, sections, notices ------------------------------------------------------------ */

static void
set_label_scale (GtkLabel *label,
                 double    scale)
{
  g_autoptr (PangoAttrList) attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_scale_new (scale));
  gtk_label_set_attributes (label, attributes);
}

void
ms_article_panel_apply_style (MsArticlePanel *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  ms_markdown_buffer_set_style (gtk_text_view_get_buffer (self->text_view),
                                ms_article_panel_text_scale (self), dark);
  if (self->pending_buffer != NULL)
    ms_markdown_buffer_set_style (self->pending_buffer, ms_article_panel_text_scale (self), dark);
  /* The title is large already; a scale attribute on that wrapping label also makes GTK 4.8
   * report inconsistent heights for it ("minimum height for width ... is"), so it keeps the
   * theme's size. */
  set_label_scale (self->date_label, ms_article_panel_text_scale (self));
  set_label_scale (self->summary_label, ms_article_panel_text_scale (self));
  for (guint i = 0; i < self->illustrations->len; i++)
    ms_loop_illustration_set_font_scale (g_ptr_array_index (self->illustrations, i),
                                         ms_article_panel_text_scale (self));
}

void
ms_article_panel_show_notice (MsArticlePanel *self,
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

void
ms_article_panel_set_page (MsArticlePanel *self,
                           const char     *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
}

static void
back_clicked_cb (MsArticlePanel *self)
{
  if (self->doc != NULL)
    ms_article_panel_set_page (self, "article");
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

void
ms_article_panel_rebuild_sections (MsArticlePanel *self)
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
      g_signal_emit (self, ms_article_panel_signals[MS_ARTICLE_PANEL_TERM_ACTIVATED], 0, term_id);
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
          ms_article_panel_show_notice (self, message);
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
      ms_article_panel_show_notice (self, message);
      return;
    }
  g_signal_emit (self, ms_article_panel_signals[MS_ARTICLE_PANEL_ACTIVATE_LINK], 0, uri, &handled);
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
  if (term_id != NULL && g_str_has_prefix (term_id, MS_TERM_LESSON_PREFIX))
    gtk_tooltip_set_text (tooltip, _("Start the guided lesson about this"));
  else
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

/* Actions --------------------------------------------------------------------------------- */

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
  ms_article_panel_stop_rendering (self);
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
    case MS_ARTICLE_PANEL_PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
      break;
    case MS_ARTICLE_PANEL_PROP_PRESENTATION_SCALE:
      g_value_set_double (value, self->presentation_scale);
      break;
    case MS_ARTICLE_PANEL_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case MS_ARTICLE_PANEL_PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case MS_ARTICLE_PANEL_PROP_FILE:
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
    case MS_ARTICLE_PANEL_PROP_FONT_SCALE:
      ms_article_panel_set_font_scale (self, g_value_get_double (value));
      break;
    case MS_ARTICLE_PANEL_PROP_PRESENTATION_SCALE:
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

  ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL,
                         MS_ARTICLE_PANEL_MIN_FONT_SCALE, MS_ARTICLE_PANEL_MAX_FONT_SCALE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The window's presentation scale (1 outside presentation mode): multiplies the zoom. */
  ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_PRESENTATION_SCALE] =
    g_param_spec_double ("presentation-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, MS_ARTICLE_PANEL_N_PROPS,
                                     ms_article_panel_properties);

  ms_article_panel_signals[MS_ARTICLE_PANEL_TERM_ACTIVATED] =
    g_signal_new ("term-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  ms_article_panel_signals[MS_ARTICLE_PANEL_ACTIVATE_LINK] =
    g_signal_new_class_handler ("activate-link", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (ms_article_panel_real_activate_link),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1,
                                G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  ms_article_panel_signals[MS_ARTICLE_PANEL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  ms_article_panel_signals[MS_ARTICLE_PANEL_LOAD_FAILED] =
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
  gtk_widget_class_bind_template_callback (widget_class, dismiss_notice_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  /* The search bar's callbacks, actions and keys (Ctrl+F, Ctrl+G, Shift+Ctrl+G). */
  ms_article_panel_install_search (widget_class);
  gtk_widget_class_install_action (widget_class, "article.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "article.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "article.zoom-reset", NULL, zoom_action);
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

  ms_article_panel_init_search (self);

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

  g_signal_connect_object (style_manager, "notify::dark",
                           G_CALLBACK (ms_article_panel_apply_style), self, G_CONNECT_SWAPPED);
  ms_article_panel_apply_style (self);
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
  ms_article_panel_apply_style (self);
  g_object_notify_by_pspec (G_OBJECT (self),
                            ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_FONT_SCALE]);
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
  ms_article_panel_apply_style (self);
  g_object_notify_by_pspec (G_OBJECT (self),
                            ms_article_panel_properties[MS_ARTICLE_PANEL_PROP_PRESENTATION_SCALE]);
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
