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

#include "ms-plot.h"

#define MAX_CACHED_LAYOUTS 1024
#define N_HATCH_PATTERNS 4

typedef struct
{
  GdkRGBA color;
  int spacing;
  double line_width;
  cairo_pattern_t *pattern;     /* owned */
} HatchPattern;

typedef struct
{
  SimSnapshot *snapshot;
  double scale;
  gboolean colorblind;
  gboolean teacher_mode;
  gboolean test_hidden;

  char *description;
  char *tooltip;

  MsPalette palette;
  gboolean palette_valid;
  guint palette_serial;

  GHashTable *layouts;                  /* "<font><text>" → PangoLayout, owned */
  PangoFontDescription *fonts[MS_N_FONTS];
  PangoAttrList *tabular;               /* tabular figures for numbers */

  HatchPattern hatches[N_HATCH_PATTERNS];
  int next_hatch;

  graphene_rect_t data_area;
  gboolean has_data_area;
  GArray *text_boxes;                   /* MsTextBox of the last drawing */

  gboolean hovering;
  double hover_x;
  double hover_y;
} MsPlotPrivate;

enum {
  PROP_0,
  PROP_SCALE,
  PROP_COLORBLIND,
  PROP_TEACHER_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MsPlot, ms_plot, GTK_TYPE_WIDGET)

static const double font_sizes[MS_N_FONTS] = { 12.0, 13.0, 15.0, 16.0 };

static void
rgba_hex (GdkRGBA    *out,
          guint32     rgb)
{
  out->red = ((rgb >> 16) & 0xff) / 255.0f;
  out->green = ((rgb >> 8) & 0xff) / 255.0f;
  out->blue = (rgb & 0xff) / 255.0f;
  out->alpha = 1.0f;
}

static void
rgba_fade (GdkRGBA       *out,
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
  rgba_fade (&p->muted, &p->fg, 0.72);
  rgba_fade (&p->axis, &p->fg, 0.55);
  rgba_fade (&p->grid, &p->fg, dark ? 0.16 : 0.12);
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
  rgba_fade (&p->floor_line, &p->fg, dark ? 0.18 : 0.14);
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
  rgba_fade (&p->path, &p->fg, 0.75);
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

static PangoFontDescription *
get_font (MsPlot *self,
          MsFont  font)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  if (priv->fonts[font] == NULL)
    {
      PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
      PangoFontDescription *desc;

      desc = pango_font_description_copy (pango_context_get_font_description (context));
      pango_font_description_set_absolute_size (desc,
                                                font_sizes[font] * priv->scale * PANGO_SCALE);
      if (font == MS_FONT_TITLE)
        pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
      priv->fonts[font] = desc;
    }
  return priv->fonts[font];
}

PangoLayout *
ms_plot_layout (MsPlot     *self,
                MsFont      font,
                const char *text)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);
  char key[256];
  PangoLayout *layout;
  gsize len = strlen (text);
  gboolean cacheable = len + 2 <= sizeof key;

  if (cacheable)
    {
      key[0] = (char) ('A' + font);
      memcpy (key + 1, text, len + 1);
      layout = g_hash_table_lookup (priv->layouts, key);
      if (layout != NULL)
        return layout;
    }

  layout = pango_layout_new (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  pango_layout_set_font_description (layout, get_font (self, font));
  if (font != MS_FONT_TITLE)
    pango_layout_set_attributes (layout, priv->tabular);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, text, -1);

  if (g_hash_table_size (priv->layouts) >= MAX_CACHED_LAYOUTS)
    g_hash_table_remove_all (priv->layouts);
  if (!cacheable)
    {
      /* Long text is rare (messages): keep it under a hashed key. */
      g_snprintf (key, sizeof key, "%c#%u#%zu", 'A' + font, g_str_hash (text), len);
      if (g_hash_table_contains (priv->layouts, key))
        g_hash_table_remove (priv->layouts, key);
    }
  g_hash_table_insert (priv->layouts, g_strdup (key), layout);
  return layout;
}

void
ms_plot_text_size (MsPlot     *self,
                   MsFont      font,
                   const char *text,
                   double     *width,
                   double     *height)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (ms_plot_layout (self, font, text), NULL, &logical);
  if (width != NULL)
    *width = logical.width;
  if (height != NULL)
    *height = logical.height;
}

double
ms_plot_font_height (MsPlot *self,
                     MsFont  font)
{
  double h;

  ms_plot_text_size (self, font, "0%", NULL, &h);
  return h;
}

/* Notes where a text went, in the coordinates of the surface drawn on. */
static void
record_text_box (MsPlot     *self,
                 cairo_t    *cr,
                 const char *text,
                 double      x0,
                 double      y0,
                 double      x1,
                 double      y1)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);
  MsTextBox box;

  cairo_user_to_device (cr, &x0, &y0);
  cairo_user_to_device (cr, &x1, &y1);
  box.text = g_strdup (text);
  graphene_rect_init (&box.rect, MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
  g_array_append_val (priv->text_boxes, box);
}

const MsTextBox *
ms_plot_get_text_boxes (MsPlot *self,
                        guint  *n_boxes)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);

  g_return_val_if_fail (MS_IS_PLOT (self), NULL);
  g_return_val_if_fail (n_boxes != NULL, NULL);

  *n_boxes = priv->text_boxes->len;
  return (const MsTextBox *) priv->text_boxes->data;
}

void
ms_plot_text (MsPlot        *self,
              cairo_t       *cr,
              MsFont         font,
              const char    *text,
              double         x,
              double         y,
              double         xalign,
              double         yalign,
              const GdkRGBA *color)
{
  PangoLayout *layout = ms_plot_layout (self, font, text);
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  ms_plot_set_color (cr, color);
  x = round (x - xalign * logical.width);
  y = round (y - yalign * logical.height);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  record_text_box (self, cr, text, x + logical.x, y + logical.y,
                   x + logical.x + logical.width, y + logical.y + logical.height);
}

void
ms_plot_text_vertical (MsPlot        *self,
                       cairo_t       *cr,
                       MsFont         font,
                       const char    *text,
                       double         x,
                       double         y,
                       const GdkRGBA *color)
{
  PangoLayout *layout = ms_plot_layout (self, font, text);
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_save (cr);
  cairo_translate (cr, round (x), round (y));
  cairo_rotate (cr, -G_PI / 2);
  ms_plot_set_color (cr, color);
  cairo_move_to (cr, -logical.width / 2.0, -logical.height / 2.0);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  /* Turned a quarter: the box is as tall as the text is wide. */
  record_text_box (self, cr, text, round (x) - logical.height / 2.0,
                   round (y) - logical.width / 2.0, round (x) + logical.height / 2.0,
                   round (y) + logical.width / 2.0);
}

double
ms_plot_draw_title (MsPlot     *self,
                    cairo_t    *cr,
                    const char *title,
                    double      x,
                    double      y)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double h;

  ms_plot_text (self, cr, MS_FONT_TITLE, title, x, y, 0, 0, &p->fg);
  ms_plot_text_size (self, MS_FONT_TITLE, title, NULL, &h);
  return y + h;
}

double
ms_plot_draw_title_legend (MsPlot              *self,
                           cairo_t             *cr,
                           const char          *title,
                           const MsLegendEntry *entries,
                           int                  n_entries,
                           double               width)
{
  double pad = ms_plot_px (self, 10), title_w, title_h, row_h, legend_w = 0;

  ms_plot_text_size (self, MS_FONT_TITLE, title, &title_w, &title_h);
  row_h = ms_plot_font_height (self, MS_FONT_LABEL);
  ms_plot_draw_title (self, cr, title, pad, pad);
  if (n_entries == 0)
    return pad + title_h + ms_plot_px (self, 8);

  /* The legend's width on one row. */
  for (int i = 0; i < n_entries; i++)
    {
      gboolean line = entries[i].kind == MS_LEGEND_LINE
                      || entries[i].kind == MS_LEGEND_DASHED_LINE
                      || entries[i].kind == MS_LEGEND_FAINT_LINE;
      double tw;

      ms_plot_text_size (self, MS_FONT_LABEL, entries[i].label, &tw, NULL);
      legend_w += (line ? ms_plot_px (self, 28) : ms_plot_px (self, 14)) + ms_plot_px (self, 6)
                  + tw + (i > 0 ? ms_plot_px (self, 16) : 0);
    }
  if (pad + title_w + ms_plot_px (self, 24) + legend_w <= width - pad)
    {
      ms_plot_draw_legend (self, cr, entries, n_entries, width - pad - legend_w,
                           pad + (title_h - row_h) / 2, legend_w + 1, TRUE);
      return pad + title_h + ms_plot_px (self, 8);
    }
  return pad + title_h + ms_plot_px (self, 4)
         + ms_plot_draw_legend (self, cr, entries, n_entries, pad,
                                pad + title_h + ms_plot_px (self, 4), width - 2 * pad, TRUE)
         + ms_plot_px (self, 8);
}

static GStrv wrap_words (MsPlot     *self,
                         MsFont      font,
                         const char *text,
                         double      width);

void
ms_plot_draw_message (MsPlot     *self,
                      cairo_t    *cr,
                      const char *message,
                      double      x,
                      double      y,
                      double      width,
                      double      height)
{
  const MsPalette *p = ms_plot_get_palette (self);
  char two_lines[256];
  const char *texts[2] = { message, message };
  MsFont fonts[2] = { MS_FONT_MESSAGE, MS_FONT_TICK };
  double w;

  /* The message font on one line, the small one, then both again on two lines: whichever
   * fits first, so a narrow plot never spills its message over its axes. */
  g_strlcpy (two_lines, message, sizeof two_lines);
  {
    gsize len = strlen (two_lines);
    char *best = NULL;

    for (char *c = two_lines; *c != '\0'; c++)
      if (*c == ' ' && (best == NULL || labs ((long) (c - two_lines) - (long) len / 2)
                                         < labs ((long) (best - two_lines) - (long) len / 2)))
        best = c;
    if (best != NULL)
      *best = '\n';
  }
  for (int lines = 0; lines < 2; lines++)
    for (int f = 0; f < 2; f++)
      {
        const char *text = lines == 0 ? texts[f] : two_lines;

        ms_plot_text_size (self, fonts[f], text, &w, NULL);
        if (w <= width)
          {
            ms_plot_text (self, cr, fonts[f], text, x + width / 2, y + height / 2, 0.5, 0.5,
                          &p->muted);
            return;
          }
      }
  /* Narrower still: the small font, a few words a line. */
  {
    g_auto (GStrv) wrapped = wrap_words (self, MS_FONT_TICK, message, width);
    g_autofree char *text = g_strjoinv ("\n", wrapped);

    ms_plot_text (self, cr, MS_FONT_TICK, text, x + width / 2, y + height / 2, 0.5, 0.5,
                  &p->muted);
  }
}

void
ms_plot_clip_rect (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height)
{
  double x0 = floor (x), y0 = floor (y);

  cairo_rectangle (cr, x0, y0, ceil (x + width) - x0, ceil (y + height) - y0);
  cairo_clip (cr);
}

void
ms_plot_set_color (cairo_t       *cr,
                   const GdkRGBA *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

void
ms_plot_set_color_alpha (cairo_t       *cr,
                         const GdkRGBA *color,
                         double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

void
ms_plot_marker (cairo_t  *cr,
                MsMarker  marker,
                double    x,
                double    y,
                double    size)
{
  double r = size / 2;

  switch (marker)
    {
    case MS_MARKER_CIRCLE:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    case MS_MARKER_SQUARE:
      r *= 0.9;
      cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
      break;
    case MS_MARKER_TRIANGLE:
      r *= 1.15;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r * 0.866, y + r * 0.5);
      cairo_line_to (cr, x - r * 0.866, y + r * 0.5);
      cairo_close_path (cr);
      break;
    case MS_MARKER_DIAMOND:
      r *= 1.2;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r, y);
      cairo_line_to (cr, x, y + r);
      cairo_line_to (cr, x - r, y);
      cairo_close_path (cr);
      break;
    case MS_MARKER_NONE:
    default:
      break;
    }
}

void
ms_plot_hatch (cairo_t *cr,
               double   x,
               double   y,
               double   width,
               double   height,
               double   spacing,
               double   line_width)
{
  if (width <= 0 || height <= 0 || spacing <= 0)
    return;

  cairo_save (cr);
  ms_plot_clip_rect (cr, x, y, width, height);
  cairo_set_line_width (cr, line_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  /* Lines going up to the right, every `spacing` pixels along x. */
  for (double t = -height; t < width; t += spacing)
    {
      cairo_move_to (cr, x + t, y + height);
      cairo_line_to (cr, x + t + height, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
ms_plot_fill_hatch (MsPlot        *self,
                    cairo_t       *cr,
                    double         x,
                    double         y,
                    double         width,
                    double         height,
                    const GdkRGBA *color,
                    double         spacing,
                    double         line_width)
{
  MsPlotPrivate *priv = ms_plot_get_instance_private (self);
  int tile = MAX (2, (int) round (spacing));
  HatchPattern *h = NULL;

  if (width <= 0 || height <= 0)
    return;

  for (int i = 0; i < N_HATCH_PATTERNS; i++)
    if (priv->hatches[i].pattern != NULL && priv->hatches[i].spacing == tile
        && priv->hatches[i].line_width == line_width
        && gdk_rgba_equal (&priv->hatches[i].color, color))
      h = &priv->hatches[i];

  if (h == NULL)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, tile, tile);
      cairo_t *tcr = cairo_create (surface);

      /* One diagonal per tile, with the bits that wrap round the corners. */
      ms_plot_set_color (tcr, color);
      cairo_set_line_width (tcr, line_width);
      for (int k = -1; k <= 1; k++)
        {
          cairo_move_to (tcr, k * tile - 1, tile + 1);
          cairo_line_to (tcr, (k + 1) * tile + 1, -1);
        }
      cairo_stroke (tcr);
      cairo_destroy (tcr);

      h = &priv->hatches[priv->next_hatch];
      priv->next_hatch = (priv->next_hatch + 1) % N_HATCH_PATTERNS;
      g_clear_pointer (&h->pattern, cairo_pattern_destroy);
      h->pattern = cairo_pattern_create_for_surface (surface);
      cairo_pattern_set_extend (h->pattern, CAIRO_EXTEND_REPEAT);
      cairo_surface_destroy (surface);
      h->color = *color;
      h->spacing = tile;
      h->line_width = line_width;
    }

  cairo_save (cr);
  cairo_set_source (cr, h->pattern);
  cairo_rectangle (cr, x, y, width, height);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
ms_palette_diverging (const MsPalette *palette,
                      double           v,
                      double           vmax,
                      GdkRGBA         *out)
{
  double t, pos, frac;
  int i;

  if (isnan (v) || !(vmax > 0))
    {
      *out = palette->diverging[2];
      return;
    }
  t = CLAMP (v / vmax, -1.0, 1.0);
  pos = (t + 1.0) * 2.0;
  i = MIN ((int) pos, 3);
  frac = pos - i;
  out->red = palette->diverging[i].red + frac * (palette->diverging[i + 1].red
                                                 - palette->diverging[i].red);
  out->green = palette->diverging[i].green + frac * (palette->diverging[i + 1].green
                                                     - palette->diverging[i].green);
  out->blue = palette->diverging[i].blue + frac * (palette->diverging[i + 1].blue
                                                   - palette->diverging[i].blue);
  out->alpha = 1.0f;
}

double
ms_plot_nice_step (double lo,
                   double hi,
                   int    max_ticks)
{
  double range = hi - lo;
  double raw, mag, norm;

  if (!(range > 0) || max_ticks < 1)
    return 1.0;
  raw = range / max_ticks;
  mag = pow (10.0, floor (log10 (raw)));
  norm = raw / mag;
  if (norm <= 1.0)
    return mag;
  if (norm <= 2.0)
    return 2.0 * mag;
  if (norm <= 2.5)
    return 2.5 * mag;
  if (norm <= 5.0)
    return 5.0 * mag;
  return 10.0 * mag;
}

static const char *
format_signed (char   *buf,
               gsize   size,
               double  v)
{
  if (fabs (v) < 1e-9)
    g_snprintf (buf, size, "0");
  else if (fabs (v) >= 10)
    g_snprintf (buf, size, "%+.0f", v);
  else
    g_snprintf (buf, size, "%+.2g", v);
  return buf;
}

void
ms_plot_draw_colorbar (MsPlot  *self,
                       cairo_t *cr,
                       double   x,
                       double   y,
                       double   width,
                       double   height,
                       double   vmax,
                       gboolean vertical)
{
  const MsPalette *p = ms_plot_get_palette (self);
  cairo_pattern_t *pattern;
  char buf[32];

  if (vertical)
    pattern = cairo_pattern_create_linear (x, y + height, x, y);
  else
    pattern = cairo_pattern_create_linear (x, y, x + width, y);
  for (int i = 0; i < 5; i++)
    cairo_pattern_add_color_stop_rgb (pattern, i / 4.0, p->diverging[i].red,
                                      p->diverging[i].green, p->diverging[i].blue);
  cairo_rectangle (cr, x, y, width, height);
  cairo_set_source (cr, pattern);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (pattern);
  ms_plot_set_color (cr, &p->axis);
  cairo_set_line_width (cr, ms_plot_px (self, 1.0));
  cairo_stroke (cr);

  if (vertical)
    {
      double lx = x + width + ms_plot_px (self, 4);

      ms_plot_text (self, cr, MS_FONT_TICK, format_signed (buf, sizeof buf, vmax), lx, y, 0, 0.5,
                    &p->muted);
      ms_plot_text (self, cr, MS_FONT_TICK, "0", lx, y + height / 2, 0, 0.5, &p->muted);
      ms_plot_text (self, cr, MS_FONT_TICK, format_signed (buf, sizeof buf, -vmax), lx,
                    y + height, 0, 0.5, &p->muted);
    }
  else
    {
      double ly = y + height + ms_plot_px (self, 2);

      ms_plot_text (self, cr, MS_FONT_TICK, format_signed (buf, sizeof buf, -vmax), x, ly, 0, 0,
                    &p->muted);
      ms_plot_text (self, cr, MS_FONT_TICK, "0", x + width / 2, ly, 0.5, 0, &p->muted);
      ms_plot_text (self, cr, MS_FONT_TICK, format_signed (buf, sizeof buf, vmax), x + width, ly,
                    1, 0, &p->muted);
    }
}

const char *
ms_plot_series_label (SimScenarioKind scenario,
                      MsSeries        series)
{
  switch (series)
    {
    case MS_SERIES_TRAIN_KEYS:
      return _("Train: keys collected");
    case MS_SERIES_TRAIN_CHESTS:
      return _("Train: chests opened");
    case MS_SERIES_TEST_KEYS:
      return _("Test: keys collected");
    case MS_SERIES_TEST_CHESTS:
      return _("Test: chests opened");
    case MS_SERIES_TRAIN_TARGET:
    case MS_SERIES_TEST_TARGET:
    case MS_SERIES_TEST_PROXY:
    default:
      break;
    }
  switch (scenario)
    {
    case SIM_SCENARIO_GREEN_EXIT:
      return series == MS_SERIES_TRAIN_TARGET ? _("Train: reaches exit")
           : series == MS_SERIES_TEST_TARGET ? _("Test: reaches exit")
           : _("Test: ends on green");
    case SIM_SCENARIO_KEYS_CHESTS:
      return series == MS_SERIES_TRAIN_TARGET ? _("Train: opens chests")
           : series == MS_SERIES_TEST_TARGET ? _("Test: opens chests")
           : _("Test: collects keys");
    case SIM_SCENARIO_COIN:
    case SIM_N_SCENARIOS:
    default:
      return series == MS_SERIES_TRAIN_TARGET ? _("Train: reaches coin")
           : series == MS_SERIES_TEST_TARGET ? _("Test: reaches coin")
           : _("Test: ends in corner");
    }
}

const char *
ms_plot_behaviour_label (SimScenarioKind scenario,
                         gboolean        proxy)
{
  switch (scenario)
    {
    case SIM_SCENARIO_GREEN_EXIT:
      return proxy ? _("ends on green") : _("reaches exit");
    case SIM_SCENARIO_KEYS_CHESTS:
      return proxy ? _("collects keys") : _("opens chests");
    case SIM_SCENARIO_COIN:
    case SIM_N_SCENARIOS:
    default:
      return proxy ? _("ends in corner") : _("reaches coin");
    }
}

const char *
ms_plot_feature_label (const char *name)
{
  static const struct { const char *name; const char *label; } labels[] = {
    { "coin", N_("coin") },
    { "lava", N_("lava") },
    { "corner", N_("corner") },
    { "right_edge", N_("right edge") },
    { "top_edge", N_("top edge") },
    { "near_corner", N_("near corner") },
    { "step", N_("step") },
    { "exit", N_("exit") },
    { "green", N_("green") },
    { "key", N_("key") },
    { "chest", N_("chest") },
  };

  if (name == NULL)
    return "";
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (strcmp (name, labels[i].name) == 0)
      return _(labels[i].label);
  return g_intern_string (name);
}

gboolean
ms_plot_feature_is_position (const char *name)
{
  return name != NULL && (strcmp (name, "corner") == 0 || strcmp (name, "right_edge") == 0
                          || strcmp (name, "top_edge") == 0 || strcmp (name, "near_corner") == 0);
}

const char *
ms_plot_format_percent (char   *buf,
                        gsize   size,
                        double  v)
{
  if (isnan (v))
    g_strlcpy (buf, "–", size);
  else
    g_snprintf (buf, size, "%.0f%%", 100.0 * v);
  return buf;
}

void
ms_plot_draw_y_grid (MsPlot           *self,
                     cairo_t          *cr,
                     const MsPlotArea *area,
                     double            step,
                     gboolean          percent)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double lw = ms_plot_px (self, 1.0);
  double min_gap = ms_plot_font_height (self, MS_FONT_TICK) * 1.1;
  char buf[32];
  int n;

  /* Fewer gridlines when the labels would touch. */
  while (step < area->y1 - area->y0 && step * area->height / (area->y1 - area->y0) < min_gap)
    step *= 2;
  n = (int) floor ((area->y1 - area->y0) / step + 1e-6);

  cairo_set_line_width (cr, lw);
  for (int i = 0; i <= n; i++)
    {
      double v = area->y0 + i * step;
      double y = round (ms_plot_area_y (area, v)) + 0.5;

      ms_plot_set_color (cr, fabs (v) < 1e-9 ? &p->axis : &p->grid);
      cairo_move_to (cr, area->x, y);
      cairo_line_to (cr, area->x + area->width, y);
      cairo_stroke (cr);

      if (percent)
        ms_plot_format_percent (buf, sizeof buf, v);
      else if (fabs (v) < 1e-9)
        g_strlcpy (buf, "0", sizeof buf);
      else
        g_snprintf (buf, sizeof buf, "%g", round (v * 1000.0) / 1000.0);
      ms_plot_text (self, cr, MS_FONT_TICK, buf, area->x - ms_plot_px (self, 6), y, 1.0, 0.5,
                    &p->muted);
    }
}

void
ms_plot_draw_x_ticks (MsPlot           *self,
                      cairo_t          *cr,
                      const MsPlotArea *area,
                      double            spacing)
{
  const MsPalette *p = ms_plot_get_palette (self);
  int max_ticks = MAX (1, (int) (area->width / ms_plot_px (self, spacing)));
  double step = MAX (1.0, round (ms_plot_nice_step (area->x0, area->x1, max_ticks)));
  double bottom = area->y + area->height;
  char buf[32];

  cairo_set_line_width (cr, ms_plot_px (self, 1.0));
  ms_plot_set_color (cr, &p->axis);
  for (double v = ceil (area->x0 / step) * step; v <= area->x1 + 1e-9; v += step)
    {
      double x = round (ms_plot_area_x (area, v)) + 0.5;

      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom + ms_plot_px (self, 4));
    }
  cairo_stroke (cr);
  for (double v = ceil (area->x0 / step) * step; v <= area->x1 + 1e-9; v += step)
    {
      g_snprintf (buf, sizeof buf, "%.0f", v);
      ms_plot_text (self, cr, MS_FONT_TICK, buf, ms_plot_area_x (area, v),
                    bottom + ms_plot_px (self, 5), 0.5, 0.0, &p->muted);
    }
}

static void
marker_with_halo (MsPlot        *self,
                  cairo_t       *cr,
                  MsMarker       marker,
                  double         x,
                  double         y,
                  double         size,
                  const GdkRGBA *color)
{
  const MsPalette *p = ms_plot_get_palette (self);

  ms_plot_marker (cr, marker, x, y, size);
  ms_plot_set_color (cr, color);
  cairo_fill_preserve (cr);
  ms_plot_set_color (cr, &p->surface);
  cairo_set_line_width (cr, ms_plot_px (self, 1.5));
  cairo_stroke (cr);
}

#define CHUNK_SEGMENTS 48

static void
draw_series (MsPlot           *self,
             cairo_t          *cr,
             const MsPlotArea *area,
             const int        *xs,
             const double     *ys,
             int               n,
             const GdkRGBA    *color,
             gboolean          dashed,
             MsMarker          marker,
             double            line_width)
{
  double dash[2] = { ms_plot_px (self, 7), ms_plot_px (self, 5) };
  int stride = 1, every, last = -1, segments = 0;
  double last_x = 0.0, last_y = 0.0, chunk_length = 0.0, dash_offset = 0.0;
  gboolean pen_down = FALSE;

  if (ys == NULL || n <= 0)
    return;
  /* More points than every other pixel: draw every stride-th one. */
  if (area->width > 0 && n > area->width / 2)
    stride = (int) ceil (n / (area->width / 2));

  cairo_save (cr);
  ms_plot_clip_rect (cr, area->x - ms_plot_px (self, 8), area->y - ms_plot_px (self, 8),
                     area->width + ms_plot_px (self, 16), area->height + ms_plot_px (self, 16));

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, dashed ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  cairo_new_path (cr);
  for (int i = 0; i < n; i += stride)
    {
      double x, y;

      if (isnan (ys[i]))
        {
          pen_down = FALSE;
          continue;
        }
      x = ms_plot_area_x (area, xs != NULL ? xs[i] : i + 1);
      y = ms_plot_area_y (area, ys[i]);
      if (pen_down)
        {
          cairo_line_to (cr, x, y);
          chunk_length += hypot (x - last_x, y - last_y);
        }
      else
        cairo_move_to (cr, x, y);
      pen_down = TRUE;
      last_x = x;
      last_y = y;
      /* Stroke a long, noisy line in pieces: cairo fills one self-overlapping stroke outline
       * in time that grows much faster than its length. The dash pattern carries on. */
      if (++segments % CHUNK_SEGMENTS == 0)
        {
          ms_plot_set_color (cr, color);
          cairo_set_line_width (cr, line_width);
          cairo_set_dash (cr, dash, dashed ? 2 : 0, dash_offset);
          cairo_stroke (cr);
          dash_offset += chunk_length;
          chunk_length = 0.0;
          cairo_move_to (cr, x, y);
        }
    }
  if (stride > 1 && (n - 1) % stride != 0 && !isnan (ys[n - 1]) && pen_down)
    cairo_line_to (cr, ms_plot_area_x (area, xs != NULL ? xs[n - 1] : n),
                   ms_plot_area_y (area, ys[n - 1]));
  ms_plot_set_color (cr, color);
  cairo_set_line_width (cr, line_width);
  cairo_set_dash (cr, dash, dashed ? 2 : 0, dash_offset);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (marker != MS_MARKER_NONE)
    {
      const MsPalette *p = ms_plot_get_palette (self);
      double size = ms_plot_px (self, 8);

      /* All markers of the series in one path, twice: a slightly larger one in the card
       * colour as a halo, then the marker. Fills are much cheaper than strokes. */
      every = MAX (1, (n + 11) / 12);
      for (int pass = 0; pass < 2; pass++)
        {
          double sz = pass == 0 ? size + ms_plot_px (self, 3) : size;

          cairo_new_path (cr);
          last = -1;
          for (int i = 0; i < n; i += every)
            {
              if (isnan (ys[i]))
                continue;
              ms_plot_marker (cr, marker, ms_plot_area_x (area, xs != NULL ? xs[i] : i + 1),
                              ms_plot_area_y (area, ys[i]), sz);
              last = i;
            }
          if (last != n - 1 && !isnan (ys[n - 1]))
            ms_plot_marker (cr, marker, ms_plot_area_x (area, xs != NULL ? xs[n - 1] : n),
                            ms_plot_area_y (area, ys[n - 1]), sz);
          ms_plot_set_color (cr, pass == 0 ? &p->surface : color);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
}

void
ms_plot_draw_series (MsPlot           *self,
                     cairo_t          *cr,
                     const MsPlotArea *area,
                     const int        *xs,
                     const double     *ys,
                     int               n,
                     const GdkRGBA    *color,
                     gboolean          dashed,
                     MsMarker          marker)
{
  draw_series (self, cr, area, xs, ys, n, color, dashed, marker, ms_plot_px (self, 2.5));
}

void
ms_plot_draw_faint_series (MsPlot           *self,
                           cairo_t          *cr,
                           const MsPlotArea *area,
                           const int        *xs,
                           const double     *ys,
                           int               n,
                           const GdkRGBA    *color,
                           gboolean          dashed)
{
  GdkRGBA faint;

  rgba_fade (&faint, color, MS_PLOT_FAINT_ALPHA);
  draw_series (self, cr, area, xs, ys, n, &faint, dashed, MS_MARKER_NONE,
               ms_plot_px (self, MS_PLOT_FAINT_WIDTH));
}

void
ms_plot_draw_swatch (MsPlot              *self,
                     cairo_t             *cr,
                     const MsLegendEntry *entry,
                     double               x,
                     double               y,
                     double               width,
                     double               height)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double cy = y + height / 2;

  switch (entry->kind)
    {
    case MS_LEGEND_FAINT_LINE:
      cairo_move_to (cr, x, cy);
      cairo_line_to (cr, x + width, cy);
      ms_plot_set_color_alpha (cr, entry->color, MS_PLOT_FAINT_ALPHA);
      cairo_set_line_width (cr, ms_plot_px (self, MS_PLOT_FAINT_WIDTH));
      cairo_stroke (cr);
      break;
    case MS_LEGEND_LINE:
    case MS_LEGEND_DASHED_LINE:
      {
        double dash[2] = { ms_plot_px (self, 5), ms_plot_px (self, 3) };

        cairo_move_to (cr, x, cy);
        cairo_line_to (cr, x + width, cy);
        ms_plot_set_color (cr, entry->color);
        cairo_set_line_width (cr, ms_plot_px (self, 2.5));
        cairo_set_dash (cr, dash, entry->kind == MS_LEGEND_DASHED_LINE ? 2 : 0, 0);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        if (entry->marker != MS_MARKER_NONE)
          marker_with_halo (self, cr, entry->marker, x + width / 2, cy, ms_plot_px (self, 8),
                            entry->color);
      }
      break;
    case MS_LEGEND_BAR:
      cairo_rectangle (cr, x, y, width, height);
      ms_plot_set_color (cr, entry->color);
      cairo_fill (cr);
      break;
    case MS_LEGEND_HATCHED_BAR:
      cairo_rectangle (cr, x, y, width, height);
      ms_plot_set_color_alpha (cr, entry->color, 0.22);
      cairo_fill (cr);
      ms_plot_fill_hatch (self, cr, x, y, width, height, entry->color, ms_plot_px (self, 5),
                          ms_plot_px (self, 1.6));
      ms_plot_set_color (cr, entry->color);
      cairo_rectangle (cr, x + 0.5, y + 0.5, width - 1, height - 1);
      cairo_set_line_width (cr, ms_plot_px (self, 1.0));
      cairo_stroke (cr);
      break;
    case MS_LEGEND_OUTLINED_BAR:
      cairo_rectangle (cr, x, y, width, height);
      ms_plot_set_color (cr, &p->surface);
      cairo_fill (cr);
      ms_plot_fill_hatch (self, cr, x, y, width, height, entry->color, ms_plot_px (self, 4),
                          ms_plot_px (self, 1.0));
      ms_plot_set_color (cr, entry->color);
      cairo_set_line_width (cr, ms_plot_px (self, 2.0));
      cairo_rectangle (cr, x + 1, y + 1, width - 2, height - 2);
      cairo_stroke (cr);
      break;
    default:
      break;
    }
}

/* text in lines no wider than width, broken at spaces (a single word wider than width stays
 * whole); one line when it fits. */
static GStrv
wrap_words (MsPlot     *self,
            MsFont      font,
            const char *text,
            double      width)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();
  g_autoptr (GString) current = g_string_new (NULL);

  for (int i = 0; words[i] != NULL; i++)
    {
      g_autofree char *longer = current->len > 0 ? g_strconcat (current->str, " ", words[i], NULL)
                                                 : g_strdup (words[i]);
      double w;

      ms_plot_text_size (self, font, longer, &w, NULL);
      if (current->len > 0 && w > width)
        {
          g_strv_builder_add (lines, current->str);
          g_string_assign (current, words[i]);
        }
      else
        g_string_assign (current, longer);
    }
  g_strv_builder_add (lines, current->str);
  return g_strv_builder_end (lines);
}

double
ms_plot_draw_legend (MsPlot              *self,
                     cairo_t             *cr,
                     const MsLegendEntry *entries,
                     int                  n_entries,
                     double               x,
                     double               y,
                     double               max_width,
                     gboolean             draw)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double row_h = ms_plot_font_height (self, MS_FONT_LABEL);
  double gap = ms_plot_px (self, 6), spacing = ms_plot_px (self, 16);
  double cx = x, cy = y;

  for (int i = 0; i < n_entries; i++)
    {
      const MsLegendEntry *e = &entries[i];
      gboolean line = e->kind == MS_LEGEND_LINE || e->kind == MS_LEGEND_DASHED_LINE
                      || e->kind == MS_LEGEND_FAINT_LINE;
      double sw = line ? ms_plot_px (self, 28) : ms_plot_px (self, 14);
      g_auto (GStrv) lines = NULL;
      double tw;
      int n_lines;

      ms_plot_text_size (self, MS_FONT_LABEL, e->label, &tw, NULL);
      if (cx > x && cx + sw + gap + tw > x + max_width)
        {
          cx = x;
          cy += row_h + ms_plot_px (self, 2);
        }
      /* A label wider than the row goes on over several lines, broken at spaces. */
      lines = wrap_words (self, MS_FONT_LABEL, e->label, x + max_width - cx - sw - gap);
      n_lines = g_strv_length (lines);
      if (n_lines > 1)
        {
          tw = 0;
          for (int k = 0; k < n_lines; k++)
            {
              double w;

              ms_plot_text_size (self, MS_FONT_LABEL, lines[k], &w, NULL);
              tw = MAX (tw, w);
            }
        }
      if (draw)
        {
          double sh = line ? row_h : ms_plot_px (self, 12);

          ms_plot_draw_swatch (self, cr, e, cx, cy + (row_h - sh) / 2, sw, sh);
          for (int k = 0; k < n_lines; k++)
            ms_plot_text (self, cr, MS_FONT_LABEL, lines[k], cx + sw + gap, cy + k * row_h, 0, 0,
                          &p->fg);
        }
      cx += sw + gap + tw + spacing;
      if (n_lines > 1)
        {
          /* What follows starts on a row of its own, below the wrapped label. */
          cy += (n_lines - 1) * row_h;
          if (i + 1 < n_entries)
            {
              cx = x;
              cy += row_h + ms_plot_px (self, 2);
            }
        }
    }
  return cy + row_h - y;
}

void
ms_plot_draw_end_labels (MsPlot     *self,
                         cairo_t    *cr,
                         MsEndLabel *labels,
                         int         n_labels,
                         double      x,
                         double      top,
                         double      bottom)
{
  double h = ms_plot_font_height (self, MS_FONT_LABEL);

  /* Insertion sort by y: there are at most a handful. */
  for (int i = 1; i < n_labels; i++)
    for (int j = i; j > 0 && labels[j].y < labels[j - 1].y; j--)
      {
        MsEndLabel t = labels[j];

        labels[j] = labels[j - 1];
        labels[j - 1] = t;
      }
  for (int i = 0; i < n_labels; i++)
    {
      labels[i].y = MAX (labels[i].y, top + h / 2);
      if (i > 0)
        labels[i].y = MAX (labels[i].y, labels[i - 1].y + h);
    }
  for (int i = n_labels - 1; i >= 0; i--)
    {
      labels[i].y = MIN (labels[i].y, bottom - h / 2);
      if (i < n_labels - 1)
        labels[i].y = MIN (labels[i].y, labels[i + 1].y - h);
    }
  for (int i = 0; i < n_labels; i++)
    ms_plot_text (self, cr, MS_FONT_LABEL, labels[i].text, x, labels[i].y, 0, 0.5,
                  labels[i].color);
}

static void
draw_door (cairo_t       *cr,
           const GdkRGBA *color,
           const GdkRGBA *knob,
           double         x,
           double         y,
           double         s)
{
  double dw = s * 0.46, dh = s * 0.64;
  double dx = x + (s - dw) / 2, dy = y + s * 0.22;

  cairo_new_path (cr);
  cairo_move_to (cr, dx, dy + dh);
  cairo_line_to (cr, dx, dy + dw / 2);
  cairo_arc (cr, dx + dw / 2, dy + dw / 2, dw / 2, G_PI, 2 * G_PI);
  cairo_line_to (cr, dx + dw, dy + dh);
  cairo_close_path (cr);
  ms_plot_set_color (cr, color);
  cairo_fill (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, dx + dw * 0.75, dy + dh * 0.62, s * 0.045, 0, 2 * G_PI);
  ms_plot_set_color (cr, knob);
  cairo_fill (cr);
}

static void
draw_green_tile (cairo_t         *cr,
                 const MsPalette *p,
                 double           x,
                 double           y,
                 double           s)
{
  cairo_rectangle (cr, x, y, s, s);
  ms_plot_set_color (cr, &p->green);
  cairo_fill (cr);
  /* Stripes make the tile distinguishable without its hue. */
  cairo_set_source_rgba (cr, 0.0, 0.3, 0.1, 0.35);
  ms_plot_hatch (cr, x, y, s, s, s / 4.0, MAX (1.0, s * 0.06));
}

void
ms_plot_draw_cell (MsPlot  *self,
                   cairo_t *cr,
                   SimCell  cell,
                   double   x,
                   double   y,
                   double   s)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double lw = MAX (1.0, s * 0.05);

  switch (cell)
    {
    case SIM_CELL_WALL:
      {
        /* Bricks: three courses, joints offset every other course, on whole pixels so they
         * stay crisp and cheap. */
        double blw = MAX (1.0, round (s * 0.05));
        double off = fmod (blw, 2.0) == 1.0 ? 0.5 : 0.0;

        cairo_rectangle (cr, x, y, s, s);
        ms_plot_set_color (cr, &p->wall);
        cairo_fill (cr);
        ms_plot_set_color (cr, &p->wall_line);
        cairo_set_line_width (cr, blw);
        for (int i = 1; i < 3; i++)
          {
            double ly = round (y + i * s / 3) + off;

            cairo_move_to (cr, x, ly);
            cairo_line_to (cr, x + s, ly);
          }
        for (int i = 0; i < 3; i++)
          {
            double y0 = round (y + i * s / 3), y1 = round (y + (i + 1) * s / 3);
            double jx = round (x + (i % 2 == 0 ? s / 2 : s / 4)) + off;

            cairo_move_to (cr, jx, y0);
            cairo_line_to (cr, jx, y1);
            if (i % 2 == 1)
              {
                cairo_move_to (cr, round (jx - off + s / 2) + off, y0);
                cairo_line_to (cr, round (jx - off + s / 2) + off, y1);
              }
          }
        cairo_stroke (cr);
      }
      break;

    case SIM_CELL_LAVA:
      cairo_rectangle (cr, x, y, s, s);
      ms_plot_set_color (cr, &p->lava);
      cairo_fill (cr);
      ms_plot_set_color (cr, &p->lava_line);
      cairo_set_line_width (cr, lw * 1.2);
      for (int i = 0; i < 3; i++)
        {
          double wy = y + s * (0.27 + 0.23 * i), a = s * 0.08;

          cairo_move_to (cr, x + s * 0.12, wy);
          cairo_curve_to (cr, x + s * 0.3, wy - 2 * a, x + s * 0.4, wy + 2 * a, x + s * 0.5, wy);
          cairo_curve_to (cr, x + s * 0.6, wy - 2 * a, x + s * 0.7, wy + 2 * a, x + s * 0.88,
                          wy);
        }
      cairo_stroke (cr);
      break;

    case SIM_CELL_COIN:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + s / 2, y + s / 2, s * 0.32, 0, 2 * G_PI);
      ms_plot_set_color (cr, &p->coin);
      cairo_fill_preserve (cr);
      ms_plot_set_color (cr, &p->coin_line);
      cairo_set_line_width (cr, lw);
      cairo_stroke (cr);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + s / 2, y + s / 2, s * 0.19, 0, 2 * G_PI);
      cairo_stroke (cr);
      break;

    case SIM_CELL_EXIT:
      draw_door (cr, &p->exit, &p->coin, x, y, s);
      break;

    case SIM_CELL_GREEN:
      draw_green_tile (cr, p, x, y, s);
      break;

    case SIM_CELL_EXIT_GREEN:
      draw_green_tile (cr, p, x, y, s);
      draw_door (cr, &p->exit, &p->coin, x, y, s);
      break;

    case SIM_CELL_KEY:
      {
        double r = s * 0.13, cy = y + s / 2, kx = x + s * 0.28;

        ms_plot_set_color (cr, &p->key);
        cairo_set_line_width (cr, MAX (1.5, s * 0.09));
        cairo_new_sub_path (cr);
        cairo_arc (cr, kx, cy, r, 0, 2 * G_PI);
        cairo_move_to (cr, kx + r, cy);
        cairo_line_to (cr, x + s * 0.8, cy);
        cairo_move_to (cr, x + s * 0.7, cy);
        cairo_line_to (cr, x + s * 0.7, cy + s * 0.14);
        cairo_move_to (cr, x + s * 0.8, cy);
        cairo_line_to (cr, x + s * 0.8, cy + s * 0.18);
        cairo_stroke (cr);
      }
      break;

    case SIM_CELL_CHEST:
      {
        double cw = s * 0.62, ch = s * 0.44;
        double cx = x + (s - cw) / 2, cy = y + s * 0.3;

        cairo_rectangle (cr, cx, cy, cw, ch);
        ms_plot_set_color (cr, &p->chest);
        cairo_fill_preserve (cr);
        cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
        cairo_set_line_width (cr, lw);
        cairo_stroke (cr);
        cairo_move_to (cr, cx, cy + ch * 0.38);
        cairo_line_to (cr, cx + cw, cy + ch * 0.38);
        cairo_stroke (cr);
        cairo_rectangle (cr, cx + cw / 2 - s * 0.05, cy + ch * 0.25, s * 0.1, s * 0.12);
        ms_plot_set_color (cr, &p->coin);
        cairo_fill (cr);
      }
      break;

    case SIM_CELL_FLOOR:
    case SIM_N_CELLS:
    default:
      break;
    }
}

void
ms_plot_draw_start (MsPlot  *self,
                    cairo_t *cr,
                    double   x,
                    double   y,
                    double   s)
{
  const MsPalette *p = ms_plot_get_palette (self);
  double px = x + s * 0.3;

  /* A flag: pole and pennant. */
  cairo_set_line_width (cr, MAX (1.5, s * 0.06));
  ms_plot_set_color (cr, &p->fg);
  cairo_move_to (cr, px, y + s * 0.84);
  cairo_line_to (cr, px, y + s * 0.16);
  cairo_stroke (cr);
  cairo_move_to (cr, px, y + s * 0.16);
  cairo_line_to (cr, px + s * 0.46, y + s * 0.29);
  cairo_line_to (cr, px, y + s * 0.42);
  cairo_close_path (cr);
  ms_plot_set_color (cr, &p->fg);
  cairo_fill (cr);
}

const char *
ms_plot_cell_label (SimCell cell)
{
  switch (cell)
    {
    case SIM_CELL_WALL:
      return _("wall");
    case SIM_CELL_LAVA:
      return _("lava");
    case SIM_CELL_COIN:
      return _("coin");
    case SIM_CELL_EXIT:
      return _("exit");
    case SIM_CELL_GREEN:
      return _("green tile");
    case SIM_CELL_EXIT_GREEN:
      return _("exit on green");
    case SIM_CELL_KEY:
      return _("key");
    case SIM_CELL_CHEST:
      return _("chest");
    case SIM_CELL_FLOOR:
    case SIM_N_CELLS:
    default:
      return _("floor");
    }
}
