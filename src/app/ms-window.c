/* ms-window.c: the main window: header bar, dashboard, article side panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-window.h"

#define ARTICLE_RESOURCE "/io/github/mesascope/Mesascope/article/mesa-optimizers.md"

struct _MsWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  AdwFlap *flap;
  GtkBox *dashboard_box;
  GtkTextView *article_view;

  GSettings *settings;
  guint frame_count;
};

G_DEFINE_FINAL_TYPE (MsWindow, ms_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ms_window_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  MsWindow *self = MS_WINDOW (widget);

  GTK_WIDGET_CLASS (ms_window_parent_class)->snapshot (widget, snapshot);
  self->frame_count++;
}

static void
load_article (MsWindow *self)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->article_view);
  const char *text;
  gsize size;

  bytes = g_resources_lookup_data (ARTICLE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The article could not be loaded: %s"),
                                                  error->message);
      gtk_text_buffer_set_text (buffer, message, -1);
      return;
    }
  text = g_bytes_get_data (bytes, &size);
  if (!g_utf8_validate_len (text, size, NULL))
    {
      gtk_text_buffer_set_text (buffer, _("The article is not valid UTF-8 text."), -1);
      return;
    }
  gtk_text_buffer_set_text (buffer, text, size);
}

static void
toggle_fullscreen (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

static void
ms_window_dispose (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_WINDOW);

  G_OBJECT_CLASS (ms_window_parent_class)->dispose (object);
}

static void
ms_window_finalize (GObject *object)
{
  MsWindow *self = MS_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ms_window_parent_class)->finalize (object);
}

static void
ms_window_class_init (MsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_window_dispose;
  object_class->finalize = ms_window_finalize;
  widget_class->snapshot = ms_window_snapshot;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesascope/Mesascope/ms-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, dashboard_box);
  gtk_widget_class_bind_template_child (widget_class, MsWindow, article_view);

  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, toggle_fullscreen);
}

static void
ms_window_init (MsWindow *self)
{
  g_autoptr (GPropertyAction) article_action = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_ID);
  g_settings_bind (self->settings, "article-visible", self->flap, "reveal-flap",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-width", self, "default-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_DEFAULT);

  article_action = g_property_action_new ("toggle-article", self->flap, "reveal-flap");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (article_action));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  load_article (self);
}

MsWindow *
ms_window_new (AdwApplication *application)
{
  return g_object_new (MS_TYPE_WINDOW, "application", application, NULL);
}

void
ms_window_set_accels (GtkApplication *application)
{
  static const char *article_accels[] = { "F9", NULL };
  static const char *fullscreen_accels[] = { "F11", NULL };

  gtk_application_set_accels_for_action (application, "win.toggle-article", article_accels);
  gtk_application_set_accels_for_action (application, "win.fullscreen", fullscreen_accels);
}

void
ms_window_open_file (MsWindow *self,
                     GFile    *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = g_strdup_printf (_("“%s” cannot be opened yet"), name);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

gboolean
ms_window_get_article_visible (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), FALSE);

  return adw_flap_get_reveal_flap (self->flap);
}

guint
ms_window_get_frame_count (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), 0);

  return self->frame_count;
}
