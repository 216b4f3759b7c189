/* ms-plot.c: base class of the dashboard's plots, with shared drawing helpers and palette
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plot holds a reference to the newest SimSnapshot and draws it with cairo; it never computes
 * training data. The base class owns what every plot shares: the scale, the colour-blind and
 * teacher-mode switches, the theme-aware palette, a cache of laid-out text (so a frame does
 * not shape the same tick labels again), hover tracking with tooltips, and the accessible
 * description that states the current values.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-plot-private.h"

enum {
  PROP_0,
  PROP_SCALE,
  PROP_COLORBLIND,
  PROP_TEACHER_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MsPlot, ms_plot, GTK_TYPE_WIDGET)

MsPlotPrivate *
ms_plot_get_private (MsPlot *self)
{
  return ms_plot_get_instance_private (self);
}

static void
rgba_hex (GdkRGBA    *out,
          guint32     rgb)
{
  out->red = ((rgb >> 16) & 0xff) / 255.0f;
  out->green = ((rgb >> 8) & 0xff) / 255.0f;
  out->blue = (rgb & 0xff) / 255.0f;
  out->alpha = 1.0f;
}

void
ms_plot_rgba_fade (GdkRGBA       *out,
                   const GdkRGBA *in,
                   double         alpha)
{
  *out = *in;
  out->alpha = in->alpha * alpha;
}

/* Resolves the palette from the theme: the foreground from CSS, light or dark from
 * AdwStyleManager, the series colours from Okabe–Ito (colour-blind safe) or from the GNOME
 * palette. */
static void
resolve_palette (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);
  MsPalette *p = &priv->palette;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean cb = priv->colorblind;

  memset (p, 0, sizeof *p);
  p->dark = dark;
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      GdkRGBA fg, card;

      /* Adwaita's text colour is translucent; lines and text over fills need it opaque, so
       * blend it over the card colour once. */
      gtk_style_context_get_color (context, &fg);
      rgba_hex (&card, dark ? 0x363636 : 0xffffff);
      p->fg.red = fg.red * fg.alpha + card.red * (1 - fg.alpha);
      p->fg.green = fg.green * fg.alpha + card.green * (1 - fg.alpha);
      p->fg.blue = fg.blue * fg.alpha + card.blue * (1 - fg.alpha);
      p->fg.alpha = 1.0f;
    }
  else
    {
      /* Outside a window (offscreen rendering) nothing cascades: use Adwaita's colours. */
      rgba_hex (&p->fg, dark ? 0xffffff : 0x2e2e2e);
    }
  ms_plot_rgba_fade (&p->muted, &p->fg, 0.72);
  ms_plot_rgba_fade (&p->axis, &p->fg, 0.55);
  ms_plot_rgba_fade (&p->grid, &p->fg, dark ? 0.16 : 0.12);
  rgba_hex (&p->surface, dark ? 0x363636 : 0xffffff);

  if (cb)
    {
      /* Okabe & Ito (2008), lightened where a hue is too dark on the dark card. */
      rgba_hex (&p->train, dark ? 0x56b4e9 : 0x0072b2);
      rgba_hex (&p->test, dark ? 0xef7c35 : 0xd55e00);
      rgba_hex (&p->proxy, dark ? 0xd98cc0 : 0xaa4499);
      rgba_hex (&p->base, dark ? 0x56b4e9 : 0x0072b2);
      rgba_hex (&p->inferred, 0xe69f00);
      rgba_hex (&p->truth, dark ? 0x2ec4a0 : 0x009e73);
    }
  else
    {
      /* The GNOME palette. */
      rgba_hex (&p->train, dark ? 0x62a0ea : 0x1c71d8);
      rgba_hex (&p->test, dark ? 0xf66151 : 0xe01b24);
      rgba_hex (&p->proxy, dark ? 0xc061cb : 0x813d9c);
      rgba_hex (&p->base, dark ? 0x62a0ea : 0x1c71d8);
      rgba_hex (&p->inferred, dark ? 0xffa348 : 0xe66100);
      rgba_hex (&p->truth, dark ? 0x57e389 : 0x26a269);
    }
  p->cos_base = p->base;
  p->cos_true = p->truth;

  {
    /* Diverging maps, negative → positive: purple–orange (colour-blind safe) or blue–red. */
    static const guint32 puor_light[5] = { 0x5e3c99, 0xb2abd2, 0xf7f7f7, 0xfdb863, 0xe66101 };
    static const guint32 puor_dark[5] = { 0x8f73d6, 0x5a4d80, 0x3c3c3c, 0x8a6428, 0xf5902a };
    static const guint32 rdbu_light[5] = { 0x2166ac, 0x92c5de, 0xf7f7f7, 0xf4a582, 0xb2182b };
    static const guint32 rdbu_dark[5] = { 0x4f9bd9, 0x2f5272, 0x3c3c3c, 0x7a3d33, 0xe4604d };
    const guint32 *stops = cb ? (dark ? puor_dark : puor_light) : (dark ? rdbu_dark : rdbu_light);

    for (int i = 0; i < 5; i++)
      rgba_hex (&p->diverging[i], stops[i]);
  }

  rgba_hex (&p->floor, dark ? 0x2a2a2e : 0xf6f5f4);
  ms_plot_rgba_fade (&p->floor_line, &p->fg, dark ? 0.18 : 0.14);
  rgba_hex (&p->wall, dark ? 0x77767b : 0x5e5c64);
  rgba_hex (&p->wall_line, dark ? 0x9a9996 : 0x3d3846);
  rgba_hex (&p->lava, dark ? 0xc64600 : 0xe66100);
  rgba_hex (&p->lava_line, 0xf8e45c);
  rgba_hex (&p->coin, 0xf6d32d);
  rgba_hex (&p->coin_line, 0x9c6e03);
  rgba_hex (&p->exit, dark ? 0x99c1f1 : 0x1a5fb4);
  rgba_hex (&p->green, dark ? 0x26a269 : 0x57e389);
  rgba_hex (&p->key, dark ? 0xf8e45c : 0xe5a50a);
  rgba_hex (&p->chest, dark ? 0xb5835a : 0x865e3c);
  ms_plot_rgba_fade (&p->path, &p->fg, 0.75);
  p->agent = p->train;

  priv->palette_valid = TRUE;
  priv->palette_serial++;
}

static void
clear_text_cache (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_hash_table_remove_all (priv->layouts);
  for (int i = 0; i < MS_N_FONTS; i++)
    g_clear_pointer (&priv->fonts[i], pango_font_description_free);
  for (int i = 0; i < N_HATCH_PATTERNS; i++)
    g_clear_pointer (&priv->hatches[i].pattern, cairo_pattern_destroy);
}

static void
style_changed_cb (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  priv->palette_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ms_plot_css_changed (GtkWidget         *widget,
                     GtkCssStyleChange *change)
{
  MsPlot *self = MS_PLOT (widget);

  GTK_WIDGET_CLASS (ms_plot_parent_class)->css_changed (widget, change);
  clear_text_cache (self);
  style_changed_cb (self);
}

static void
ms_plot_snapshot (GtkWidget   *widget,
                  GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ms_plot_draw (MS_PLOT (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
update_tooltip (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);
  g_autofree char *text = NULL;

  if (priv->hovering)
    text = ms_plot_describe_at (self, priv->hover_x, priv->hover_y);
  if (g_strcmp0 (text, priv->tooltip) != 0)
    {
      g_free (priv->tooltip);
      priv->tooltip = g_steal_pointer (&text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), priv->tooltip);
    }
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           MsPlot                   *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  priv->hovering = TRUE;
  priv->hover_x = x;
  priv->hover_y = y;
  update_tooltip (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *motion,
          MsPlot                   *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  priv->hovering = FALSE;
  update_tooltip (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ms_plot_dispose (GObject *object)
{
  MsPlot *self = MS_PLOT (object);
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_clear_pointer (&priv->snapshot, sim_snapshot_unref);

  G_OBJECT_CLASS (ms_plot_parent_class)->dispose (object);
}

static void
ms_plot_finalize (GObject *object)
{
  MsPlot *self = MS_PLOT (object);
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  clear_text_cache (self);
  g_clear_pointer (&priv->layouts, g_hash_table_unref);
  g_clear_pointer (&priv->tabular, pango_attr_list_unref);
  g_clear_pointer (&priv->description, g_free);
  g_clear_pointer (&priv->tooltip, g_free);
  g_clear_pointer (&priv->text_boxes, g_array_unref);

  G_OBJECT_CLASS (ms_plot_parent_class)->finalize (object);
}

static void
ms_plot_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  MsPlot *self = MS_PLOT (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      g_value_set_double (value, ms_plot_get_scale (self));
      break;
    case PROP_COLORBLIND:
      g_value_set_boolean (value, ms_plot_get_colorblind (self));
      break;
    case PROP_TEACHER_MODE:
      g_value_set_boolean (value, ms_plot_get_teacher_mode (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_plot_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  MsPlot *self = MS_PLOT (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      ms_plot_set_scale (self, g_value_get_double (value));
      break;
    case PROP_COLORBLIND:
      ms_plot_set_colorblind (self, g_value_get_boolean (value));
      break;
    case PROP_TEACHER_MODE:
      ms_plot_set_teacher_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_plot_class_init (MsPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_plot_dispose;
  object_class->finalize = ms_plot_finalize;
  object_class->get_property = ms_plot_get_property;
  object_class->set_property = ms_plot_set_property;

  widget_class->snapshot = ms_plot_snapshot;
  widget_class->css_changed = ms_plot_css_changed;

  /**
   * MsPlot:scale:
   *
   * Size of text and lines relative to normal; presentation mode uses about 1.5.
   */
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * MsPlot:colorblind:
   *
   * Whether to use the colour-blind-safe Okabe–Ito palette (the default) rather than the
   * GNOME palette. Series differ by dash and marker as well in both.
   */
  properties[PROP_COLORBLIND] =
    g_param_spec_boolean ("colorblind", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * MsPlot:teacher-mode:
   *
   * Whether plots that know the answer key (the agent's true objective) show it.
   */
  properties[PROP_TEACHER_MODE] =
    g_param_spec_boolean ("teacher-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
clear_text_box (gpointer data)
{
  MsTextBox *box = data;

  g_free (box->text);
}

static void
ms_plot_init (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);
  GtkEventController *motion;

  priv->scale = 1.0;
  priv->colorblind = TRUE;
  priv->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  priv->tabular = pango_attr_list_new ();
  pango_attr_list_insert (priv->tabular, pango_attr_font_features_new ("tnum"));
  priv->text_boxes = g_array_new (FALSE, FALSE, sizeof (MsTextBox));
  g_array_set_clear_func (priv->text_boxes, clear_text_box);

  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 150);
  /* Tab stops on each plot, so a screen reader reads its description of the values. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
}

void
ms_plot_set_snapshot (MsPlot      *self,
                      SimSnapshot *snapshot)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);
  MsPlotClass *klass;
  gboolean redraw;

  g_return_if_fail (MS_IS_PLOT (self));

  klass = MS_PLOT_GET_CLASS (self);
  if (snapshot == priv->snapshot)
    return;
  redraw = priv->snapshot == NULL || snapshot == NULL || klass->needs_redraw == NULL ||
           klass->needs_redraw (self, priv->snapshot, snapshot);
  g_clear_pointer (&priv->snapshot, sim_snapshot_unref);
  priv->snapshot = snapshot != NULL ? sim_snapshot_ref (snapshot) : NULL;
  ms_plot_update_state (self);
  if (redraw)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

SimSnapshot *
ms_plot_get_snapshot (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_val_if_fail (MS_IS_PLOT (self), NULL);

  return priv->snapshot;
}

double
ms_plot_get_scale (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  return priv->scale;
}

void
ms_plot_set_scale (MsPlot *self,
                   double  scale)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_if_fail (MS_IS_PLOT (self));

  scale = CLAMP (scale, 0.5, 4.0);
  if (scale == priv->scale)
    return;
  priv->scale = scale;
  clear_text_cache (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

gboolean
ms_plot_get_colorblind (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  return priv->colorblind;
}

void
ms_plot_set_colorblind (MsPlot   *self,
                        gboolean  colorblind)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_if_fail (MS_IS_PLOT (self));

  colorblind = !!colorblind;
  if (colorblind == priv->colorblind)
    return;
  priv->colorblind = colorblind;
  style_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLORBLIND]);
}

gboolean
ms_plot_get_teacher_mode (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  return priv->teacher_mode;
}

void
ms_plot_set_teacher_mode (MsPlot   *self,
                          gboolean  teacher_mode)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_if_fail (MS_IS_PLOT (self));

  teacher_mode = !!teacher_mode;
  if (teacher_mode == priv->teacher_mode)
    return;
  priv->teacher_mode = teacher_mode;
  ms_plot_update_state (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEACHER_MODE]);
}

gboolean
ms_plot_get_test_hidden (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_val_if_fail (MS_IS_PLOT (self), FALSE);

  return priv->test_hidden;
}

void
ms_plot_set_test_hidden (MsPlot   *self,
                         gboolean  hidden)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_if_fail (MS_IS_PLOT (self));

  hidden = !!hidden;
  if (hidden == priv->test_hidden)
    return;
  priv->test_hidden = hidden;
  ms_plot_update_state (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ms_plot_draw (MsPlot  *self,
              cairo_t *cr,
              int      width,
              int      height)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);
  MsPlotClass *klass = MS_PLOT_GET_CLASS (self);

  g_return_if_fail (MS_IS_PLOT (self));

  if (!priv->palette_valid)
    resolve_palette (self);
  if (klass->draw == NULL || width <= 0 || height <= 0)
    return;

  priv->has_data_area = FALSE;
  g_array_set_size (priv->text_boxes, 0);
  /* Cairo's defaults (miter joins, butt caps) keep its fast path for axis-aligned lines;
   * data lines set round joins themselves. */
  cairo_save (cr);
  klass->draw (self, cr, width, height);
  cairo_restore (cr);
}

char *
ms_plot_describe_at (MsPlot *self,
                     double  x,
                     double  y)
{
  MsPlotClass *klass = MS_PLOT_GET_CLASS (self);

  g_return_val_if_fail (MS_IS_PLOT (self), NULL);

  if (klass->describe_at == NULL)
    return NULL;
  return klass->describe_at (self, x, y);
}

const char *
ms_plot_get_description (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_val_if_fail (MS_IS_PLOT (self), NULL);

  return priv->description;
}

gboolean
ms_plot_get_data_area (MsPlot          *self,
                       graphene_rect_t *rect)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_val_if_fail (MS_IS_PLOT (self), FALSE);

  if (rect != NULL)
    *rect = priv->data_area;
  return priv->has_data_area;
}

void
ms_plot_set_data_area (MsPlot *self,
                       double  x,
                       double  y,
                       double  width,
                       double  height)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  graphene_rect_init (&priv->data_area, x, y, width, height);
  priv->has_data_area = TRUE;
}

void
ms_plot_set_description (MsPlot     *self,
                         const char *description)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  if (g_strcmp0 (description, priv->description) == 0)
    return;
  g_free (priv->description);
  priv->description = g_strdup (description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  priv->description != NULL ? priv->description : "",
                                  -1);
}

void
ms_plot_update_state (MsPlot *self)
{
  MsPlotClass *klass = MS_PLOT_GET_CLASS (self);

  if (klass->update_state != NULL)
    klass->update_state (self);
  update_tooltip (self);
}

const MsPalette *
ms_plot_get_palette (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  if (!priv->palette_valid)
    resolve_palette (self);
  return &priv->palette;
}

guint
ms_plot_get_palette_serial (MsPlot *self)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  if (!priv->palette_valid)
    resolve_palette (self);
  return priv->palette_serial;
}

gboolean
ms_plot_get_hover (MsPlot *self,
                   double *x,
                   double *y)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  if (x != NULL)
    *x = priv->hover_x;
  if (y != NULL)
    *y = priv->hover_y;
  return priv->hovering;
}
