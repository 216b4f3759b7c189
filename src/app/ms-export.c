/* ms-export.c: plots and the whole dashboard as PNG, SVG or PDF files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plots draw into any cairo context (ms_plot_draw), so exporting is a matter of giving
 * them an image, SVG or PDF surface. The file is rendered into memory first and then written
 * by sim_file_write, which replaces a file atomically, so a failed export never leaves a
 * half-written or truncated file.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>

#include "ms-export.h"
#include "sim-file.h"

/* Largest side of an exported image, in pixels or points. */
#define MAX_SIDE 16384
/* Layout of the dashboard page: the window's margins and spacing (ms-dashboard.c). */
#define PAGE_MARGIN 12
#define CARD_SPACING 12
#define CARD_RADIUS 12

typedef void (*DrawFunc) (cairo_t  *cr,
                          int       width,
                          int       height,
                          gpointer  data);

gboolean
ms_export_format_from_path (const char     *path,
                            MsExportFormat *format)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_utf8_strdown (path, -1);
  for (int f = 0; f < MS_N_EXPORT_FORMATS; f++)
    {
      g_autofree char *suffix = g_strconcat (".", ms_export_format_extension (f), NULL);

      if (g_str_has_suffix (lower, suffix))
        {
          if (format != NULL)
            *format = f;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
ms_export_format_extension (MsExportFormat format)
{
  switch (format)
    {
    case MS_EXPORT_SVG:
      return "svg";
    case MS_EXPORT_PDF:
      return "pdf";
    case MS_EXPORT_PNG:
    case MS_N_EXPORT_FORMATS:
    default:
      return "png";
    }
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
render (const char      *path,
        MsExportFormat   format,
        int              width,
        int              height,
        double           scale,
        DrawFunc         draw,
        gpointer         data,
        GError         **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autofree char *name = g_filename_display_basename (path);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || !(scale > 0) || width * scale > MAX_SIDE ||
      height * scale > MAX_SIDE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is a file name, %d × %d a size in pixels */
                   _("Cannot export “%s” at %d × %d"), name, (int) ceil (width * scale),
                   (int) ceil (height * scale));
      return FALSE;
    }

  switch (format)
    {
    case MS_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_cb, bytes, width, height);
      break;
    case MS_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_cb, bytes, width, height);
      break;
    case MS_EXPORT_PNG:
    case MS_N_EXPORT_FORMATS:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                            (int) ceil (height * scale));
      cairo_surface_set_device_scale (surface, scale, scale);
      break;
    }

  cr = cairo_create (surface);
  draw (cr, width, height, data);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == MS_EXPORT_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_cb, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   /* Translators: %s is a file name, then the drawing library's message */
                   _("Could not draw “%s”: %s"), name, cairo_status_to_string (status));
      return FALSE;
    }

  return sim_file_write (path, (const char *) bytes->data, (gssize) bytes->len, error);
}

static void
draw_plot (cairo_t  *cr,
           int       width,
           int       height,
           gpointer  data)
{
  MsPlot *plot = data;

  ms_plot_set_color (cr, &ms_plot_get_palette (plot)->surface);
  cairo_paint (cr);
  ms_plot_draw (plot, cr, width, height);
}

gboolean
ms_export_plot (MsPlot          *plot,
                const char      *path,
                MsExportFormat   format,
                int              width,
                int              height,
                double           scale,
                GError         **error)
{
  g_return_val_if_fail (MS_IS_PLOT (plot), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return render (path, format, width, height, scale, draw_plot, plot, error);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Where each part sits: column, row and column span in a 3 × 2 grid, the cards in the places
 * they have in the window (whose dashboard sizes its rows and columns around the level and the
 * reward maps; a page of any size keeps the plain grid). */
static const struct
{
  MsDashboardPart part;
  int column;
  int row;
  int span;
} layout[] = {
  { MS_DASHBOARD_PART_LEVEL, 0, 0, 1 },
  { MS_DASHBOARD_PART_SUCCESS, 1, 0, 1 },
  { MS_DASHBOARD_PART_GOAL, 2, 0, 1 },
  { MS_DASHBOARD_PART_REWARD_MAPS, 0, 1, 1 },
  { MS_DASHBOARD_PART_OBJECTIVES, 1, 1, 1 },
  { MS_DASHBOARD_PART_ALIGNMENT, 2, 1, 1 },
};

static void
draw_dashboard (cairo_t  *cr,
                int       width,
                int       height,
                gpointer  data)
{
  MsDashboard *dashboard = data;
  MsPlot *first = MS_PLOT (ms_dashboard_get_part (dashboard, MS_DASHBOARD_PART_LEVEL));
  const MsPalette *p = ms_plot_get_palette (first);
  double cell_w = (width - 2.0 * PAGE_MARGIN - 2.0 * CARD_SPACING) / 3.0;
  double cell_h = (height - 2.0 * PAGE_MARGIN - CARD_SPACING) / 2.0;
  GdkRGBA page;

  /* Adwaita's window background under its cards. */
  gdk_rgba_parse (&page, p->dark ? "#242424" : "#fafafa");
  ms_plot_set_color (cr, &page);
  cairo_paint (cr);

  for (guint i = 0; i < G_N_ELEMENTS (layout); i++)
    {
      MsPlot *plot = MS_PLOT (ms_dashboard_get_part (dashboard, layout[i].part));
      double x = round (PAGE_MARGIN + layout[i].column * (cell_w + CARD_SPACING));
      double y = round (PAGE_MARGIN + layout[i].row * (cell_h + CARD_SPACING));
      int w = (int) floor (layout[i].span * cell_w + (layout[i].span - 1) * CARD_SPACING);
      int h = (int) floor (cell_h);

      if (w <= 0 || h <= 0)
        continue;
      cairo_save (cr);
      rounded_rect (cr, x + 0.5, y + 0.5, w - 1, h - 1, CARD_RADIUS);
      ms_plot_set_color (cr, &ms_plot_get_palette (plot)->surface);
      cairo_fill_preserve (cr);
      ms_plot_set_color_alpha (cr, &p->fg, p->dark ? 0.12 : 0.08);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      rounded_rect (cr, x, y, w, h, CARD_RADIUS);
      cairo_clip (cr);
      cairo_translate (cr, x, y);
      ms_plot_draw (plot, cr, w, h);
      cairo_restore (cr);
    }
}

gboolean
ms_export_dashboard (MsDashboard     *dashboard,
                     const char      *path,
                     MsExportFormat   format,
                     int              width,
                     int              height,
                     double           scale,
                     GError         **error)
{
  g_return_val_if_fail (MS_IS_DASHBOARD (dashboard), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return render (path, format, width, height, scale, draw_dashboard, dashboard, error);
}
