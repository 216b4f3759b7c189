/* ms-dashboard-private.h: what the dashboard's files share (ms-dashboard.c the snapshots,
 * notes and highlights; ms-dashboard-layout.c where the cards go)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "ms-dashboard.h"

G_BEGIN_DECLS

struct _MsDashboard
{
  GtkWidget parent_instance;

  GtkWidget *cards[MS_DASHBOARD_N_PARTS];
  GtkWidget *parts[MS_DASHBOARD_N_PARTS];
  GtkWidget *notes[MS_DASHBOARD_N_PARTS];        /* "why?" labels: level and success only */
  gint64 note_shown_us[MS_DASHBOARD_N_PARTS];    /* when each note last had a reason to show */
  guint note_timeout_id;                        /* looks again when a held note may go */

  /* One row: which of the other three cards shows, and the buttons that pick it. */
  GtkWidget *switcher;
  GtkWidget *switch_buttons[MS_DASHBOARD_N_PARTS];
  MsDashboardPart side_part;
  gboolean one_row;                             /* the last allocation's */
  gboolean presenting;

  SimSnapshot *snapshot;                        /* the oldest one a part holds */
  SimSnapshot *part_snapshots[MS_DASHBOARD_N_PARTS];
  SimSnapshot *pending;                         /* newer, still on its way to some parts */
  guint next_part;                              /* whose turn it is next */
  guint tick_id;
  SimShownKind shown;
  gboolean teacher_mode;
  double scale;
  guint highlight_ids[MS_DASHBOARD_N_PARTS];
  guint select_shared_id;                       /* picks the alignment card where two share */
};

/* v pixels at scale 1, at the dashboard's scale. */
static inline int
ms_dashboard_px (MsDashboard *self,
                 double       v)
{
  return (int) round (v * self->scale);
}

/* The layout (ms-dashboard-layout.c): the widget's measure and size_allocate vfuncs, the
 * buttons that pick the card shown where cards share a place, and which cards can. */
void       ms_dashboard_layout_measure  (GtkWidget       *widget,
                                         GtkOrientation   orientation,
                                         int              for_size,
                                         int             *minimum,
                                         int             *natural,
                                         int             *minimum_baseline,
                                         int             *natural_baseline);
void       ms_dashboard_layout_allocate (GtkWidget       *widget,
                                         int              width,
                                         int              height,
                                         int              baseline);
GtkWidget *ms_dashboard_make_switcher   (MsDashboard     *self);
gboolean   ms_dashboard_is_side_part    (MsDashboardPart  part);

G_END_DECLS
