/* ms-window-panel.c: the article panel's width (a drag handle, remembered) and its text size;
 * the two sidebars beside the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-window-private.h"
#include "ms-window-tests.h"

#define MIN_ARTICLE_WIDTH 280
#define KEY_STEP 24

/* The widest the panel may get in a window of this width: the dashboard keeps 40 %. */
static int
max_article_width (MsWindow *self)
{
  int window_width = gtk_widget_get_width (GTK_WIDGET (self));

  if (window_width <= 0)
    return 1200;
  return MAX (MIN_ARTICLE_WIDTH, (int) (window_width * 0.6));
}

static void
set_article_width (MsWindow *self,
                   int       width)
{
  width = CLAMP (width, MIN_ARTICLE_WIDTH, MIN (1200, max_article_width (self)));
  if (width != g_settings_get_int (self->settings, "article-width"))
    g_settings_set_int (self->settings, "article-width", width);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               MsWindow       *self)
{
  self->drag_start_width = gtk_widget_get_width (GTK_WIDGET (self->article_panel));
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                MsWindow       *self)
{
  /* The panel is at the end: dragging the handle left widens it. */
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    dx = -dx;
  set_article_width (self, self->drag_start_width - (int) dx);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            MsWindow        *self)
{
  /* Double-click: back to the default width. */
  if (n_press == 2)
    g_settings_reset (self->settings, "article-width");
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                MsWindow              *self)
{
  int width = g_settings_get_int (self->settings, "article-width");
  int sign = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? -1 : 1;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      set_article_width (self, width + sign * KEY_STEP);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      set_article_width (self, width - sign * KEY_STEP);
      return TRUE;
    case GDK_KEY_Home:
      g_settings_reset (self->settings, "article-width");
      return TRUE;
    default:
      return FALSE;
    }
}

static void
width_changed_cb (MsWindow   *self,
                  const char *key,
                  GSettings  *settings)
{
  int width = g_settings_get_int (self->settings, "article-width");
  char value[16];

  gtk_widget_set_size_request (GTK_WIDGET (self->article_panel), width, -1);
  g_snprintf (value, sizeof value, "%d", width);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->panel_handle),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) width,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, value,
                                  -1);
}

/* A thin handle between the dashboard and the article: drag it (or focus it and press Left or
 * Right) to resize the panel; the width is remembered. */
static GtkWidget *
create_handle (MsWindow *self)
{
  GtkWidget *handle;
  GtkGesture *drag, *click;
  GtkEventController *keys;

  /* A bin, not a box: a GtkBox passes Tab on to its children and never takes the focus. */
  handle = g_object_new (ADW_TYPE_BIN,
                         "accessible-role", GTK_ACCESSIBLE_ROLE_SEPARATOR,
                         "focusable", TRUE,
                         "tooltip-text", _("Drag to resize the article"),
                         NULL);
  gtk_widget_add_css_class (handle, "panel-handle");
  gtk_widget_set_cursor_from_name (handle, "col-resize");
  adw_bin_set_child (ADW_BIN (handle), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_widget_set_hexpand (gtk_widget_get_first_child (handle), TRUE);
  gtk_widget_set_halign (gtk_widget_get_first_child (handle), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (handle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Resize Article"),
                                  GTK_ACCESSIBLE_PROPERTY_ORIENTATION,
                                  GTK_ORIENTATION_VERTICAL,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, (double) MIN_ARTICLE_WIDTH,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1200.0,
                                  -1);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (handle, GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (handle, GTK_EVENT_CONTROLLER (click));

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (handle, keys);
  return handle;
}

static int
min_width (GtkWidget *widget)
{
  int w = 0;

  if (widget != NULL && gtk_widget_get_visible (widget))
    gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &w, NULL, NULL, NULL);
  return w;
}

/* Whether the settings and the article both fit beside the dashboard at its least width, so
 * that neither flap has to fold (and lie over the dashboard). */
static gboolean
both_sidebars_fit (MsWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->flap));
  int needed = min_width (adw_flap_get_flap (self->flap))
               + min_width (adw_flap_get_separator (self->flap))
               + min_width (adw_flap_get_flap (self->controls_flap))
               + min_width (adw_flap_get_separator (self->controls_flap))
               + min_width (adw_flap_get_content (self->controls_flap));

  return width <= 0 || width >= needed;
}

/* The settings and the article never lie over the dashboard (over the level view, first of
 * all). GNOME's sidebars push the content aside at desktop widths and cover it only in a
 * window too narrow for them (libadwaita's split views collapse then), so where both fit
 * beside the dashboard (1920×1080) both push it; where they do not (1280×720 with the article
 * at its usual width), the one shown last stays and the other closes, its toggle in the
 * header bar showing it. That is also what happens when the window gets narrower with both
 * shown. Only a window too narrow for a single sidebar beside the dashboard lets the settings
 * fold over it. */
static void
resolve_sidebars (MsWindow *self)
{
  if (!adw_flap_get_reveal_flap (self->flap) || !adw_flap_get_reveal_flap (self->controls_flap))
    return;
  if (both_sidebars_fit (self) && !adw_flap_get_folded (self->controls_flap))
    return;
  if (self->controls_opened_last)
    adw_flap_set_reveal_flap (self->flap, FALSE);
  else
    adw_flap_set_reveal_flap (self->controls_flap, FALSE);
}

static void
controls_revealed_cb (MsWindow *self)
{
  if (adw_flap_get_reveal_flap (self->controls_flap))
    self->controls_opened_last = TRUE;
  resolve_sidebars (self);
}

static void
article_revealed_cb (MsWindow *self)
{
  if (adw_flap_get_reveal_flap (self->flap))
    self->controls_opened_last = FALSE;
  resolve_sidebars (self);
}

void
_ms_window_init_panel (MsWindow *self)
{
  /* The dashboard takes the room the panel does not: the panel's width is the reader's. */
  gtk_widget_set_hexpand (GTK_WIDGET (self->article_panel), FALSE);
  self->panel_handle = create_handle (self);
  adw_flap_set_separator (self->flap, self->panel_handle);

  g_signal_connect_object (self->settings, "changed::article-width",
                           G_CALLBACK (width_changed_cb), self, G_CONNECT_SWAPPED);
  width_changed_cb (self, "article-width", self->settings);

  /* The reader's zoom is remembered; presentation mode scales it like the plots. */
  g_settings_bind (self->settings, "article-zoom", self->article_panel, "font-scale",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->dashboard, "scale", self->article_panel, "presentation-scale",
                          G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->controls_flap, "notify::reveal-flap",
                           G_CALLBACK (controls_revealed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (article_revealed_cb), self, G_CONNECT_SWAPPED);
  /* The window got narrower (or the article wider): the settings would fold over the
   * dashboard. */
  g_signal_connect_object (self->controls_flap, "notify::folded",
                           G_CALLBACK (resolve_sidebars), self, G_CONNECT_SWAPPED);
}

/* For tests: the handle between the dashboard and the article panel. */
GtkWidget *
ms_window_get_panel_handle (MsWindow *self)
{
  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  return self->panel_handle;
}
