/* ms-export.h: plots and the whole dashboard as PNG, SVG or PDF files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ms-dashboard.h"
#include "ms-plot.h"

G_BEGIN_DECLS

typedef enum
{
  MS_EXPORT_PNG,
  MS_EXPORT_SVG,
  MS_EXPORT_PDF,
  MS_N_EXPORT_FORMATS
} MsExportFormat;

/* The format named by path's extension (".png", ".svg", ".pdf", any case); FALSE for others. */
gboolean     ms_export_format_from_path   (const char      *path,
                                           MsExportFormat  *format);
/* "png", "svg" or "pdf". */
const char  *ms_export_format_extension   (MsExportFormat   format);

/* Draws plot, as the dashboard shows it, on a card-coloured page of width × height units and
 * writes it to path, replacing the file atomically (the old file survives a failure). PNG
 * has scale pixels per unit; SVG and PDF are vector drawings of width × height points. */
gboolean     ms_export_plot               (MsPlot          *plot,
                                           const char      *path,
                                           MsExportFormat   format,
                                           int              width,
                                           int              height,
                                           double           scale,
                                           GError         **error);
/* The same for the whole dashboard: its five parts on cards, laid out as in the window. */
gboolean     ms_export_dashboard          (MsDashboard     *dashboard,
                                           const char      *path,
                                           MsExportFormat   format,
                                           int              width,
                                           int              height,
                                           double           scale,
                                           GError         **error);

G_END_DECLS
