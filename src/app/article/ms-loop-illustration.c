/* ms-loop-illustration.c: the base optimizer / mesa optimizer loop, drawn with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The article's picture is not shipped, so the panel shows this diagram in its place: the
 * base objective scores the base optimizer, the base optimizer trains the learned model, the
 * learned model is itself an optimizer (a mesa optimizer) that pursues a mesa objective, and
 * its behaviour goes back into the base optimizer. Colours come from the current style, so
 * the diagram follows the light and dark themes. Each box is a term: clicking it emits
 * "term-activated".
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-loop-illustration.h"
#include "ms-loop-illustration-tests.h"
#include "ms-markdown-doc.h"

/* The design size of the diagram at font scale 1; it keeps this aspect ratio. */
#define DESIGN_WIDTH  380.0
#define DESIGN_HEIGHT 236.0
/* Around the diagram, between it and the caption, and the narrowest the widget gets. */
#define DIAGRAM_MARGIN 6
#define CAPTION_SPACING 4
#define MIN_WIDTH 160
#define LOOP_DEPTH 44           /* how far the loop's control points reach below the boxes */
#define LABEL_GAP 6            /* from a vertical arrow to the label beside it, design units */

typedef enum
{
  BOX_BASE_OBJECTIVE,
  BOX_BASE_OPTIMIZER,
  BOX_LEARNED_MODEL,
  BOX_MESA_OBJECTIVE,
  N_BOXES
} BoxId;

typedef struct
{
  double x, y, width, height;
} Box;

struct _MsLoopIllustration
{
  GtkWidget parent_instance;

  /* Template children */
  GtkDrawingArea *diagram;
  GtkLabel *caption_label;

  char *alt;
  char *caption;
  double font_scale;
  int max_width;          /* The widest the widget asks to be, or -1. */
  Box boxes[N_BOXES];     /* In the diagram's coordinates, set by the last draw. */
  gboolean boxes_valid;
  Box loop_label;         /* Where "its behaviour is scored" was drawn, the same way. */
  guint draw_count;
};

G_DEFINE_FINAL_TYPE (MsLoopIllustration, ms_loop_illustration, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ALT,
  PROP_CAPTION,
  PROP_FONT_SCALE,
  PROP_MAX_WIDTH,
  N_PROPS
};

enum {
  TERM_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *box_terms[N_BOXES] = {
  MS_TERM_BASE_OBJECTIVE,
  MS_TERM_BASE_OPTIMIZER,
  MS_TERM_MESA_OPTIMIZER,
  MS_TERM_MESA_OBJECTIVE,
};

static void
update_caption (MsLoopIllustration *self)
{
  g_autoptr (GString) markup = g_string_new (NULL);
  g_autoptr (PangoAttrList) attributes = pango_attr_list_new ();

  if (self->alt != NULL && *self->alt != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (self->alt, -1);

      g_string_append_printf (markup, "<b>%s</b>", escaped);
    }
  if (self->caption != NULL && *self->caption != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (self->caption, -1);

      if (markup->len > 0)
        g_string_append_c (markup, '\n');
      g_string_append (markup, escaped);
    }
  gtk_label_set_markup (self->caption_label, markup->str);
  gtk_widget_set_visible (GTK_WIDGET (self->caption_label), markup->len > 0);
  pango_attr_list_insert (attributes, pango_attr_scale_new (self->font_scale));
  gtk_label_set_attributes (self->caption_label, attributes);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->alt != NULL ? self->alt : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->caption != NULL ? self->caption : "",
                                  -1);
}

static void
lookup_color (GtkStyleContext *context,
              const char      *name,
              const char      *fallback,
              GdkRGBA         *color)
{
  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

static void
rounded_rectangle (cairo_t    *cr,
                   const Box  *box,
                   double      radius)
{
  double x = box->x, y = box->y, w = box->width, h = box->height;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
arrow_head (cairo_t *cr,
            double   x,
            double   y,
            double   angle,
            double   size)
{
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x - size * cos (angle - 0.45), y - size * sin (angle - 0.45));
  cairo_line_to (cr, x - size * cos (angle + 0.45), y - size * sin (angle + 0.45));
  cairo_close_path (cr);
  cairo_fill (cr);
}

static PangoLayout *
create_layout (MsLoopIllustration *self,
               const char         *markup,
               double              relative_size,
               double              width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->diagram), NULL);
  PangoContext *context = pango_layout_get_context (layout);
  g_autoptr (PangoFontDescription) font = NULL;
  int size;

  font = pango_font_description_copy (pango_context_get_font_description (context));
  size = pango_font_description_get_size (font);
  if (size <= 0)
    size = 10 * PANGO_SCALE;
  pango_font_description_set_size (font, (int) (size * relative_size));
  pango_layout_set_font_description (layout, font);
  pango_layout_set_markup (layout, markup, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
    }
  return layout;
}

static void
draw_box (MsLoopIllustration *self,
          cairo_t            *cr,
          const Box          *box,
          const GdkRGBA      *color,
          const GdkRGBA      *text,
          const char         *title,
          const char         *subtitle,
          double              unit)
{
  g_autofree char *markup = NULL;
  g_autoptr (PangoLayout) layout = NULL;
  int text_width, text_height;

  rounded_rectangle (cr, box, 8 * unit);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.18);
  cairo_fill_preserve (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1.5 * unit);
  cairo_stroke (cr);

  markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", title, subtitle);
  /* Shrink the text until no word sticks out of the box. */
  for (double size = 0.9 * unit; ; size *= 0.9)
    {
      PangoRectangle ink, logical;

      g_clear_object (&layout);
      layout = create_layout (self, markup, size, box->width - 8 * unit);
      pango_layout_get_pixel_extents (layout, &ink, &logical);
      text_width = logical.width;
      text_height = logical.height;
      if ((text_width <= box->width - 6 * unit && text_height <= box->height - 4 * unit)
          || size < 0.4 * unit)
        break;
    }
  gdk_cairo_set_source_rgba (cr, text);
  cairo_move_to (cr, box->x + 4 * unit, box->y + (box->height - text_height) / 2);
  pango_cairo_show_layout (cr, layout);
}

/* Draws a small label whose bottom is at bottom_y, centred on x or ending at x. */
static void
draw_label (MsLoopIllustration *self,
            cairo_t            *cr,
            const GdkRGBA      *color,
            const char         *text,
            double              x,
            double              bottom_y,
            gboolean            centered)
{
  g_autofree char *markup = g_markup_printf_escaped ("<small>%s</small>", text);
  double unit = gtk_widget_get_width (GTK_WIDGET (self->diagram)) / DESIGN_WIDTH;
  g_autoptr (PangoLayout) layout = create_layout (self, markup, 0.85 * unit, -1);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, centered ? x - width / 2.0 : x - width, bottom_y - height);
  pango_cairo_show_layout (cr, layout);
}

static int
label_size (MsLoopIllustration *self,
            const char         *text,
            int                *height)
{
  g_autofree char *markup = g_markup_printf_escaped ("<small>%s</small>", text);
  double unit = gtk_widget_get_width (GTK_WIDGET (self->diagram)) / DESIGN_WIDTH;
  g_autoptr (PangoLayout) layout = create_layout (self, markup, 0.85 * unit, -1);
  int width;

  pango_layout_get_pixel_size (layout, &width, height);
  return width;
}

static void
draw_diagram_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  MsLoopIllustration *self = user_data;
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (area));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA fg, dim, base, mesa;
  double unit = MIN (width / DESIGN_WIDTH, height / DESIGN_HEIGHT);
  double margin = 6 * unit;
  double gap = 28 * unit;
  double box_width = (width - 2 * margin - 2 * gap) / 3;
  double top_height = 58 * unit;
  double row_y = margin + top_height + 34 * unit;
  double row_height = 72 * unit;
  double arrow = 7 * unit;
  double mid_y, x0, x1, bottom;

  gtk_style_context_get_color (context, &fg);
  dim = fg;
  dim.alpha *= 0.7;
  lookup_color (context, "accent_color", "#1c71d8", &base);
  lookup_color (context, dark ? "purple_2" : "purple_4", dark ? "#dc8add" : "#813d9c", &mesa);

  self->boxes[BOX_BASE_OBJECTIVE] = (Box) { margin, margin, box_width, top_height };
  self->boxes[BOX_BASE_OPTIMIZER] = (Box) { margin, row_y, box_width, row_height };
  self->boxes[BOX_LEARNED_MODEL] = (Box) { margin + box_width + gap, row_y, box_width,
                                           row_height };
  self->boxes[BOX_MESA_OBJECTIVE] = (Box) { margin + 2 * (box_width + gap), row_y, box_width,
                                            row_height };
  self->boxes_valid = TRUE;

  draw_box (self, cr, &self->boxes[BOX_BASE_OBJECTIVE], &base, &fg,
            _("Base objective"), _("the training target"), unit);
  draw_box (self, cr, &self->boxes[BOX_BASE_OPTIMIZER], &base, &fg,
            _("Base optimizer"), _("e.g. gradient descent"), unit);
  draw_box (self, cr, &self->boxes[BOX_LEARNED_MODEL], &mesa, &fg,
            _("Learned model"), _("a mesa optimizer"), unit);
  draw_box (self, cr, &self->boxes[BOX_MESA_OBJECTIVE], &mesa, &fg,
            _("Mesa objective"), _("its own goal"), unit);

  cairo_set_line_width (cr, 1.5 * unit);

  /* Base objective → base optimizer. */
  /* Down the middle of the box, or further right when "scores" (longer in some languages)
   * would not fit to the left of the arrow. */
  x0 = MAX (margin + box_width / 2, label_size (self, _("scores"), NULL) + (LABEL_GAP + 2) * unit);
  x0 = MIN (x0, margin + box_width - 10 * unit);
  gdk_cairo_set_source_rgba (cr, &base);
  cairo_move_to (cr, x0, margin + top_height);
  cairo_line_to (cr, x0, row_y - arrow);
  cairo_stroke (cr);
  arrow_head (cr, x0, row_y, G_PI / 2, arrow * 1.4);
  draw_label (self, cr, &dim, _("scores"), x0 - LABEL_GAP * unit, row_y - 10 * unit, FALSE);

  /* Base optimizer → learned model → mesa objective. */
  mid_y = row_y + row_height / 2;
  for (int i = 0; i < 2; i++)
    {
      double from = margin + (i + 1) * box_width + i * gap;
      const GdkRGBA *color = i == 0 ? &base : &mesa;

      gdk_cairo_set_source_rgba (cr, color);
      cairo_move_to (cr, from, mid_y);
      cairo_line_to (cr, from + gap - arrow, mid_y);
      cairo_stroke (cr);
      arrow_head (cr, from + gap, mid_y, 0, arrow * 1.4);
      draw_label (self, cr, &dim, i == 0 ? _("trains") : _("pursues"),
                  from + gap / 2, row_y - 3 * unit, TRUE);
    }

  /* The loop: the learned model's behaviour goes back to the base optimizer. Its label goes
   * under the curve's lowest point (three quarters of the control points' depth), clear of
   * the line: inside the loop the curve ran through both ends of the words. */
  x1 = margin + box_width + gap + box_width / 2;
  bottom = row_y + row_height;
  gdk_cairo_set_source_rgba (cr, &base);
  cairo_move_to (cr, x1, bottom);
  cairo_curve_to (cr, x1, bottom + LOOP_DEPTH * unit, x0, bottom + LOOP_DEPTH * unit, x0,
                  bottom + arrow);
  cairo_stroke (cr);
  arrow_head (cr, x0, bottom, -G_PI / 2, arrow * 1.4);
  {
    int label_w, label_h;
    double label_top = bottom + 0.75 * LOOP_DEPTH * unit + 3 * unit;

    label_w = label_size (self, _("its behaviour is scored"), &label_h);
    draw_label (self, cr, &dim, _("its behaviour is scored"), (x0 + x1) / 2,
                label_top + label_h, TRUE);
    self->loop_label = (Box) { (x0 + x1) / 2 - label_w / 2.0, label_top, label_w, label_h };
  }

  self->draw_count++;
}

/* The diagram's width when the widget is this wide: its design width times the font scale,
 * or less when that does not fit. */
static double
diagram_width_for (MsLoopIllustration *self,
                   int                 width)
{
  return MAX (1.0, MIN (DESIGN_WIDTH * self->font_scale, width - 2.0 * DIAGRAM_MARGIN));
}

/* The width the widget asks for: the design width times the font scale, no more than
 * max-width, or than the design width while max-width is unset. */
static int
natural_width (MsLoopIllustration *self)
{
  int width = (int) (DESIGN_WIDTH * self->font_scale) + 2 * DIAGRAM_MARGIN;
  int limit = self->max_width > 0 ? self->max_width : (int) DESIGN_WIDTH + 2 * DIAGRAM_MARGIN;

  return MIN (width, limit);
}

static void
ms_loop_illustration_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  MsLoopIllustration *self = MS_LOOP_ILLUSTRATION (widget);
  gboolean has_caption = gtk_widget_get_visible (GTK_WIDGET (self->caption_label));
  int label_minimum = 0, label_natural = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* A text view gives the children in its text their minimum size, and takes them into
       * its own minimum: the diagram asks for its design size, capped by max-width. */
      if (has_caption)
        gtk_widget_measure (GTK_WIDGET (self->caption_label), GTK_ORIENTATION_HORIZONTAL, -1,
                            &label_minimum, &label_natural, NULL, NULL);
      *minimum = *natural = MAX (MAX (MIN_WIDTH, label_minimum), natural_width (self));
    }
  else
    {
      int width = for_size >= 0 ? for_size : MAX (MIN_WIDTH, natural_width (self));
      double diagram_width = diagram_width_for (self, width);
      int height = DIAGRAM_MARGIN + (int) ceil (diagram_width * DESIGN_HEIGHT / DESIGN_WIDTH);

      if (has_caption)
        {
          gtk_widget_measure (GTK_WIDGET (self->caption_label), GTK_ORIENTATION_VERTICAL, width,
                              &label_minimum, &label_natural, NULL, NULL);
          height += CAPTION_SPACING + label_natural;
        }
      else
        height += DIAGRAM_MARGIN;
      *minimum = *natural = height;
    }
  *minimum_baseline = *natural_baseline = -1;
}

static void
ms_loop_illustration_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  MsLoopIllustration *self = MS_LOOP_ILLUSTRATION (widget);
  double diagram_width = diagram_width_for (self, width);
  int diagram_height = (int) ceil (diagram_width * DESIGN_HEIGHT / DESIGN_WIDTH);
  int caption_y = DIAGRAM_MARGIN + diagram_height + CAPTION_SPACING;

  /* Children are measured before they are allocated, as GTK expects. */
  gtk_widget_measure (GTK_WIDGET (self->diagram), GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, NULL, NULL, NULL);
  gtk_widget_size_allocate (GTK_WIDGET (self->diagram),
                            &(GtkAllocation) { DIAGRAM_MARGIN, DIAGRAM_MARGIN,
                                               (int) diagram_width, diagram_height }, -1);
  if (gtk_widget_get_visible (GTK_WIDGET (self->caption_label)))
    {
      gtk_widget_measure (GTK_WIDGET (self->caption_label), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, NULL, NULL, NULL);
      gtk_widget_size_allocate (GTK_WIDGET (self->caption_label),
                                &(GtkAllocation) { 0, caption_y, width,
                                                   MAX (0, height - caption_y) }, -1);
    }
}

static GtkSizeRequestMode
ms_loop_illustration_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static const char *
term_at (MsLoopIllustration *self,
         double              x,
         double              y)
{
  if (!self->boxes_valid)
    return NULL;
  for (int i = 0; i < N_BOXES; i++)
    {
      const Box *box = &self->boxes[i];

      if (x >= box->x && x < box->x + box->width && y >= box->y && y < box->y + box->height)
        return box_terms[i];
    }
  return NULL;
}

static void
diagram_pressed_cb (GtkGestureClick    *gesture,
                    int                 n_press,
                    double              x,
                    double              y,
                    MsLoopIllustration *self)
{
  const char *term = term_at (self, x, y);

  if (term != NULL && n_press == 1)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      g_signal_emit (self, signals[TERM_ACTIVATED], 0, term);
    }
}

static void
diagram_motion_cb (GtkEventControllerMotion *controller,
                   double                    x,
                   double                    y,
                   MsLoopIllustration       *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->diagram),
                                   term_at (self, x, y) != NULL ? "pointer" : NULL);
}

static gboolean
diagram_query_tooltip_cb (GtkWidget          *widget,
                          int                 x,
                          int                 y,
                          gboolean            keyboard_mode,
                          GtkTooltip         *tooltip,
                          MsLoopIllustration *self)
{
  if (keyboard_mode || term_at (self, x, y) == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, _("Show this part in the dashboard"));
  return TRUE;
}

static void
style_changed_cb (MsLoopIllustration *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->diagram));
}

static void
ms_loop_illustration_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MS_TYPE_LOOP_ILLUSTRATION);

  G_OBJECT_CLASS (ms_loop_illustration_parent_class)->dispose (object);
}

static void
ms_loop_illustration_finalize (GObject *object)
{
  MsLoopIllustration *self = MS_LOOP_ILLUSTRATION (object);

  g_free (self->alt);
  g_free (self->caption);

  G_OBJECT_CLASS (ms_loop_illustration_parent_class)->finalize (object);
}

static void
ms_loop_illustration_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MsLoopIllustration *self = MS_LOOP_ILLUSTRATION (object);

  switch (prop_id)
    {
    case PROP_ALT:
      g_value_set_string (value, self->alt);
      break;
    case PROP_CAPTION:
      g_value_set_string (value, self->caption);
      break;
    case PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
      break;
    case PROP_MAX_WIDTH:
      g_value_set_int (value, self->max_width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_loop_illustration_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MsLoopIllustration *self = MS_LOOP_ILLUSTRATION (object);

  switch (prop_id)
    {
    case PROP_ALT:
      ms_loop_illustration_set_alt (self, g_value_get_string (value));
      break;
    case PROP_CAPTION:
      ms_loop_illustration_set_caption (self, g_value_get_string (value));
      break;
    case PROP_FONT_SCALE:
      ms_loop_illustration_set_font_scale (self, g_value_get_double (value));
      break;
    case PROP_MAX_WIDTH:
      ms_loop_illustration_set_max_width (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_loop_illustration_class_init (MsLoopIllustrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_loop_illustration_dispose;
  object_class->finalize = ms_loop_illustration_finalize;
  object_class->get_property = ms_loop_illustration_get_property;
  object_class->set_property = ms_loop_illustration_set_property;

  properties[PROP_ALT] =
    g_param_spec_string ("alt", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAPTION] =
    g_param_spec_string ("caption", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.25, 8.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_WIDTH] =
    g_param_spec_int ("max-width", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->measure = ms_loop_illustration_measure;
  widget_class->size_allocate = ms_loop_illustration_size_allocate;
  widget_class->get_request_mode = ms_loop_illustration_get_request_mode;

  /**
   * MsLoopIllustration::term-activated:
   * @term_id: one of the MS_TERM_* ids
   *
   * A box of the diagram was clicked.
   */
  signals[TERM_ACTIVATED] =
    g_signal_new ("term-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesascope/Mesascope/article/"
                                               "ms-loop-illustration.ui");
  gtk_widget_class_bind_template_child (widget_class, MsLoopIllustration, diagram);
  gtk_widget_class_bind_template_child (widget_class, MsLoopIllustration, caption_label);
  gtk_widget_class_set_css_name (widget_class, "loopillustration");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ms_loop_illustration_init (MsLoopIllustration *self)
{
  GtkGesture *click;
  GtkEventController *motion;
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  self->font_scale = 1.0;
  self->max_width = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_drawing_area_set_draw_func (self->diagram, draw_diagram_cb, self, NULL);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (diagram_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->diagram), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (diagram_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->diagram), motion);

  g_signal_connect (self->diagram, "query-tooltip", G_CALLBACK (diagram_query_tooltip_cb), self);

  g_signal_connect_object (style_manager, "notify::dark", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (style_manager, "notify::high-contrast",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  update_caption (self);
}

GtkWidget *
ms_loop_illustration_new (const char *alt,
                          const char *caption)
{
  return g_object_new (MS_TYPE_LOOP_ILLUSTRATION, "alt", alt, "caption", caption, NULL);
}

const char *
ms_loop_illustration_get_alt (MsLoopIllustration *self)
{
  g_return_val_if_fail (MS_IS_LOOP_ILLUSTRATION (self), NULL);

  return self->alt;
}

void
ms_loop_illustration_set_alt (MsLoopIllustration *self,
                              const char         *alt)
{
  g_return_if_fail (MS_IS_LOOP_ILLUSTRATION (self));

  if (g_strcmp0 (self->alt, alt) == 0)
    return;
  g_free (self->alt);
  self->alt = g_strdup (alt);
  update_caption (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALT]);
}

const char *
ms_loop_illustration_get_caption (MsLoopIllustration *self)
{
  g_return_val_if_fail (MS_IS_LOOP_ILLUSTRATION (self), NULL);

  return self->caption;
}

void
ms_loop_illustration_set_caption (MsLoopIllustration *self,
                                  const char         *caption)
{
  g_return_if_fail (MS_IS_LOOP_ILLUSTRATION (self));

  if (g_strcmp0 (self->caption, caption) == 0)
    return;
  g_free (self->caption);
  self->caption = g_strdup (caption);
  update_caption (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTION]);
}

double
ms_loop_illustration_get_font_scale (MsLoopIllustration *self)
{
  g_return_val_if_fail (MS_IS_LOOP_ILLUSTRATION (self), 1.0);

  return self->font_scale;
}

void
ms_loop_illustration_set_font_scale (MsLoopIllustration *self,
                                     double              font_scale)
{
  g_return_if_fail (MS_IS_LOOP_ILLUSTRATION (self));

  font_scale = CLAMP (font_scale, 0.25, 8.0);
  if (font_scale == self->font_scale)
    return;
  self->font_scale = font_scale;
  self->boxes_valid = FALSE;
  update_caption (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self->diagram));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FONT_SCALE]);
}

int
ms_loop_illustration_get_max_width (MsLoopIllustration *self)
{
  g_return_val_if_fail (MS_IS_LOOP_ILLUSTRATION (self), -1);

  return self->max_width;
}

void
ms_loop_illustration_set_max_width (MsLoopIllustration *self,
                                    int                 max_width)
{
  g_return_if_fail (MS_IS_LOOP_ILLUSTRATION (self));

  max_width = MAX (max_width, -1);
  if (max_width == self->max_width)
    return;
  self->max_width = max_width;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_WIDTH]);
}

const char *
ms_loop_illustration_get_term_at (MsLoopIllustration *self,
                                  double              x,
                                  double              y)
{
  double dx, dy;

  g_return_val_if_fail (MS_IS_LOOP_ILLUSTRATION (self), NULL);

  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self), GTK_WIDGET (self->diagram),
                                         x, y, &dx, &dy))
    return NULL;
  return term_at (self, dx, dy);
}

guint
ms_loop_illustration_get_draw_count (MsLoopIllustration *self)
{
  g_return_val_if_fail (MS_IS_LOOP_ILLUSTRATION (self), 0);

  return self->draw_count;
}

gboolean
ms_loop_illustration_get_loop_label (MsLoopIllustration *self,
                                     graphene_rect_t    *rect)
{
  graphene_point_t origin;

  g_return_val_if_fail (MS_IS_LOOP_ILLUSTRATION (self), FALSE);

  if (!self->boxes_valid ||
      !gtk_widget_compute_point (GTK_WIDGET (self->diagram), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (self->loop_label.x, self->loop_label.y),
                                 &origin))
    return FALSE;
  graphene_rect_init (rect, origin.x, origin.y, self->loop_label.width, self->loop_label.height);
  return TRUE;
}
