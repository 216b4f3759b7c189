/* ms-plot-text.c: the text of the plots: fonts, laid-out text cached per (font, text), the
 * record of where each text went (for the tests' overlap checks), titles, legends beside
 * titles, wrapped messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-plot-private.h"

static const double font_sizes[MS_N_FONTS] = { 12.0, 13.0, 15.0, 16.0 };

static PangoFontDescription *
get_font (MsPlot *self,
          MsFont  font)
{
  MsPlotPrivate *priv = ms_plot_get_private (self);

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
  MsPlotPrivate *priv = ms_plot_get_private (self);
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
  MsPlotPrivate *priv = ms_plot_get_private (self);
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
  MsPlotPrivate *priv = ms_plot_get_private (self);

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
    g_auto (GStrv) wrapped = ms_plot_wrap_words (self, MS_FONT_TICK, message, width);
    g_autofree char *text = g_strjoinv ("\n", wrapped);

    ms_plot_text (self, cr, MS_FONT_TICK, text, x + width / 2, y + height / 2, 0.5, 0.5,
                  &p->muted);
  }
}

/* text in lines no wider than width, broken at spaces (a single word wider than width stays
 * whole); one line when it fits. */
GStrv
ms_plot_wrap_words (MsPlot     *self,
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
