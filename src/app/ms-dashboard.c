/* ms-dashboard.c: the grid of live plots and the level view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dashboard holds the newest snapshot and hands it to every plot; the plots only draw.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-dashboard.h"
#include "ms-alignment-plot.h"
#include "ms-level-view.h"
#include "ms-objective-plot.h"
#include "ms-reward-map.h"
#include "ms-success-plot.h"

#define HIGHLIGHT_MS 2500

struct _MsDashboard
{
  GtkWidget parent_instance;

  GtkWidget *grid;
  GtkWidget *cards[MS_DASHBOARD_N_PARTS];
  GtkWidget *parts[MS_DASHBOARD_N_PARTS];

  SimSnapshot *snapshot;
  SimShownKind shown;
  gboolean teacher_mode;
  double scale;
  guint highlight_ids[MS_DASHBOARD_N_PARTS];
};

enum {
  PROP_0,
  PROP_TEACHER_MODE,
  PROP_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsDashboard, ms_dashboard, GTK_TYPE_WIDGET)

static GtkWidget *
make_card (GtkWidget *child)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "plot-card");
  gtk_widget_set_hexpand (child, TRUE);
  gtk_widget_set_vexpand (child, TRUE);
  gtk_box_append (GTK_BOX (card), child);
  return card;
}

static void
ms_dashboard_dispose (GObject *object)
{
  MsDashboard *self = MS_DASHBOARD (object);

  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    g_clear_handle_id (&self->highlight_ids[i], g_source_remove);
  g_clear_pointer (&self->grid, gtk_widget_unparent);
  g_clear_pointer (&self->snapshot, sim_snapshot_unref);

  G_OBJECT_CLASS (ms_dashboard_parent_class)->dispose (object);
}

static void
ms_dashboard_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MsDashboard *self = MS_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_TEACHER_MODE:
      g_value_set_boolean (value, self->teacher_mode);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_dashboard_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MsDashboard *self = MS_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_TEACHER_MODE:
      if (self->teacher_mode != g_value_get_boolean (value))
        {
          self->teacher_mode = g_value_get_boolean (value);
          g_object_set (self->parts[MS_DASHBOARD_PART_OBJECTIVES],
                        "teacher-mode", self->teacher_mode, NULL);
          g_object_set (self->parts[MS_DASHBOARD_PART_ALIGNMENT],
                        "teacher-mode", self->teacher_mode, NULL);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SCALE:
      if (self->scale != g_value_get_double (value))
        {
          self->scale = g_value_get_double (value);
          for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
            g_object_set (self->parts[i], "scale", self->scale, NULL);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ms_dashboard_class_init (MsDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_dashboard_dispose;
  object_class->get_property = ms_dashboard_get_property;
  object_class->set_property = ms_dashboard_set_property;

  properties[PROP_TEACHER_MODE] =
    g_param_spec_boolean ("teacher-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dashboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ms_dashboard_init (MsDashboard *self)
{
  GtkGrid *grid;

  self->scale = 1.0;
  self->shown = SIM_SHOWN_TEST;

  self->parts[MS_DASHBOARD_PART_LEVEL] = g_object_new (MS_TYPE_LEVEL_VIEW, NULL);
  self->parts[MS_DASHBOARD_PART_SUCCESS] = g_object_new (MS_TYPE_SUCCESS_PLOT, NULL);
  self->parts[MS_DASHBOARD_PART_OBJECTIVES] = g_object_new (MS_TYPE_OBJECTIVE_PLOT, NULL);
  self->parts[MS_DASHBOARD_PART_ALIGNMENT] = g_object_new (MS_TYPE_ALIGNMENT_PLOT, NULL);
  self->parts[MS_DASHBOARD_PART_REWARD_MAPS] = g_object_new (MS_TYPE_REWARD_MAP, NULL);
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    self->cards[i] = make_card (self->parts[i]);

  self->grid = gtk_grid_new ();
  grid = GTK_GRID (self->grid);
  gtk_grid_set_row_spacing (grid, 12);
  gtk_grid_set_column_spacing (grid, 12);
  gtk_grid_set_row_homogeneous (grid, TRUE);
  gtk_grid_set_column_homogeneous (grid, TRUE);
  gtk_widget_set_margin_start (self->grid, 12);
  gtk_widget_set_margin_end (self->grid, 12);
  gtk_widget_set_margin_top (self->grid, 12);
  gtk_widget_set_margin_bottom (self->grid, 6);
  gtk_grid_attach (grid, self->cards[MS_DASHBOARD_PART_LEVEL], 0, 0, 1, 1);
  gtk_grid_attach (grid, self->cards[MS_DASHBOARD_PART_SUCCESS], 1, 0, 2, 1);
  gtk_grid_attach (grid, self->cards[MS_DASHBOARD_PART_REWARD_MAPS], 0, 1, 1, 1);
  gtk_grid_attach (grid, self->cards[MS_DASHBOARD_PART_OBJECTIVES], 1, 1, 1, 1);
  gtk_grid_attach (grid, self->cards[MS_DASHBOARD_PART_ALIGNMENT], 2, 1, 1, 1);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Training dashboard"), -1);
}

void
ms_dashboard_set_snapshot (MsDashboard *self,
                           SimSnapshot *snapshot)
{
  g_return_if_fail (MS_IS_DASHBOARD (self));

  if (snapshot == self->snapshot)
    return;
  g_clear_pointer (&self->snapshot, sim_snapshot_unref);
  self->snapshot = snapshot ? sim_snapshot_ref (snapshot) : NULL;

  ms_level_view_set_snapshot (MS_LEVEL_VIEW (self->parts[MS_DASHBOARD_PART_LEVEL]), snapshot);
  ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (self->parts[MS_DASHBOARD_PART_SUCCESS]),
                                snapshot);
  ms_objective_plot_set_snapshot (MS_OBJECTIVE_PLOT (self->parts[MS_DASHBOARD_PART_OBJECTIVES]),
                                  snapshot);
  ms_alignment_plot_set_snapshot (MS_ALIGNMENT_PLOT (self->parts[MS_DASHBOARD_PART_ALIGNMENT]),
                                  snapshot);
  ms_reward_map_set_snapshot (MS_REWARD_MAP (self->parts[MS_DASHBOARD_PART_REWARD_MAPS]),
                              snapshot);
}

SimSnapshot *
ms_dashboard_get_snapshot (MsDashboard *self)
{
  g_return_val_if_fail (MS_IS_DASHBOARD (self), NULL);

  return self->snapshot;
}

void
ms_dashboard_set_shown (MsDashboard  *self,
                        SimShownKind  shown)
{
  g_return_if_fail (MS_IS_DASHBOARD (self));

  self->shown = shown;
  g_object_set (self->parts[MS_DASHBOARD_PART_LEVEL], "shown", shown, NULL);
  g_object_set (self->parts[MS_DASHBOARD_PART_REWARD_MAPS], "shown", shown, NULL);
}

SimShownKind
ms_dashboard_get_shown (MsDashboard *self)
{
  g_return_val_if_fail (MS_IS_DASHBOARD (self), SIM_SHOWN_TEST);

  return self->shown;
}

typedef struct
{
  MsDashboard *self;
  MsDashboardPart part;
} Highlight;

static gboolean
highlight_done (gpointer data)
{
  Highlight *h = data;

  gtk_widget_remove_css_class (h->self->cards[h->part], "highlight");
  h->self->highlight_ids[h->part] = 0;
  return G_SOURCE_REMOVE;
}

void
ms_dashboard_highlight (MsDashboard     *self,
                        MsDashboardPart  part)
{
  Highlight *h;

  g_return_if_fail (MS_IS_DASHBOARD (self));
  g_return_if_fail (part < MS_DASHBOARD_N_PARTS);

  g_clear_handle_id (&self->highlight_ids[part], g_source_remove);
  gtk_widget_add_css_class (self->cards[part], "highlight");
  h = g_new (Highlight, 1);
  h->self = self;
  h->part = part;
  self->highlight_ids[part] = g_timeout_add_full (G_PRIORITY_DEFAULT, HIGHLIGHT_MS,
                                                  highlight_done, h, g_free);
}

GtkWidget *
ms_dashboard_get_part (MsDashboard     *self,
                       MsDashboardPart  part)
{
  g_return_val_if_fail (MS_IS_DASHBOARD (self), NULL);
  g_return_val_if_fail (part < MS_DASHBOARD_N_PARTS, NULL);

  return self->parts[part];
}
