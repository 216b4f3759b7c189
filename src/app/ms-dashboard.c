/* ms-dashboard.c: the grid of live plots and the level view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dashboard hands each snapshot to every plot; the plots only draw.
 *
 * While training runs, a new snapshot reaches at most PARTS_PER_FRAME parts a frame, in
 * turn: repainting all five at once takes most of a 60 Hz frame at 1920×1080 with the
 * cairo renderer, and no frame may stall the main loop (tests/ui/bench-dashboard: with
 * one part a frame the longest gap stayed under 15 ms where two parts reached 17). Every
 * part then shows a snapshot at most a few frames old. The level card, whose caption names
 * the iteration of the agent it draws, goes first whenever another part shows a later
 * iteration than it: it is never more than one snapshot behind. A paused run, a single
 * step, a reset and an unmapped dashboard get the snapshot in every part at once, and
 * ms_dashboard_get_snapshot() returns the oldest snapshot a part shows.
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
#define PARTS_PER_FRAME 1

struct _MsDashboard
{
  GtkWidget parent_instance;

  GtkWidget *grid;
  GtkWidget *cards[MS_DASHBOARD_N_PARTS];
  GtkWidget *parts[MS_DASHBOARD_N_PARTS];

  SimSnapshot *snapshot;                        /* the oldest one a part holds */
  SimSnapshot *part_snapshots[MS_DASHBOARD_N_PARTS];
  SimSnapshot *pending;                         /* newer, still on its way to some parts */
  guint next_part;                              /* whose turn it is next */
  guint tick_id;
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
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_clear_pointer (&self->snapshot, sim_snapshot_unref);
  g_clear_pointer (&self->pending, sim_snapshot_unref);
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    g_clear_pointer (&self->part_snapshots[i], sim_snapshot_unref);

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

static void ms_dashboard_unmap (GtkWidget *widget);

static void
ms_dashboard_class_init (MsDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_dashboard_dispose;
  object_class->get_property = ms_dashboard_get_property;
  object_class->set_property = ms_dashboard_set_property;
  widget_class->unmap = ms_dashboard_unmap;

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

static void
deliver (MsDashboard     *self,
         MsDashboardPart  part,
         SimSnapshot     *snapshot)
{
  GtkWidget *widget = self->parts[part];

  if (self->part_snapshots[part] == snapshot)
    return;
  g_clear_pointer (&self->part_snapshots[part], sim_snapshot_unref);
  self->part_snapshots[part] = snapshot ? sim_snapshot_ref (snapshot) : NULL;

  switch (part)
    {
    case MS_DASHBOARD_PART_LEVEL:
      ms_level_view_set_snapshot (MS_LEVEL_VIEW (widget), snapshot);
      break;
    case MS_DASHBOARD_PART_SUCCESS:
      ms_success_plot_set_snapshot (MS_SUCCESS_PLOT (widget), snapshot);
      break;
    case MS_DASHBOARD_PART_OBJECTIVES:
      ms_objective_plot_set_snapshot (MS_OBJECTIVE_PLOT (widget), snapshot);
      break;
    case MS_DASHBOARD_PART_ALIGNMENT:
      ms_alignment_plot_set_snapshot (MS_ALIGNMENT_PLOT (widget), snapshot);
      break;
    case MS_DASHBOARD_PART_REWARD_MAPS:
      ms_reward_map_set_snapshot (MS_REWARD_MAP (widget), snapshot);
      break;
    case MS_DASHBOARD_N_PARTS:
    default:
      g_assert_not_reached ();
    }
}

static void
set_complete (MsDashboard *self,
              SimSnapshot *snapshot)
{
  if (snapshot == self->snapshot)
    return;
  g_clear_pointer (&self->snapshot, sim_snapshot_unref);
  self->snapshot = snapshot ? sim_snapshot_ref (snapshot) : NULL;
}

static void
stop_ticking (MsDashboard *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
}

/* The oldest snapshot a part holds: every part shows it or a newer one of the same run. */
static void
update_complete (MsDashboard *self)
{
  SimSnapshot *oldest = self->part_snapshots[0];

  for (guint part = 1; part < MS_DASHBOARD_N_PARTS; part++)
    if (oldest != NULL && self->part_snapshots[part] != NULL &&
        self->part_snapshots[part]->iteration < oldest->iteration)
      oldest = self->part_snapshots[part];
  set_complete (self, oldest);
}

/* Whether another part shows a later iteration than the level card, which does not hold the
 * pending snapshot yet. */
static gboolean
level_behind (MsDashboard *self)
{
  SimSnapshot *level = self->part_snapshots[MS_DASHBOARD_PART_LEVEL];

  if (level == NULL || level == self->pending)
    return FALSE;
  for (guint part = 0; part < MS_DASHBOARD_N_PARTS; part++)
    if (self->part_snapshots[part] != NULL &&
        self->part_snapshots[part]->iteration > level->iteration)
      return TRUE;
  return FALSE;
}

/* Hands the pending snapshot to the next parts whose turn it is; TRUE once all hold it. */
static gboolean
deliver_some (MsDashboard *self)
{
  guint delivered = 0;

  if (level_behind (self))
    {
      deliver (self, MS_DASHBOARD_PART_LEVEL, self->pending);
      delivered++;
    }

  for (guint n = 0; n < MS_DASHBOARD_N_PARTS && delivered < PARTS_PER_FRAME; n++)
    {
      guint part = self->next_part;

      self->next_part = (self->next_part + 1) % MS_DASHBOARD_N_PARTS;
      if (self->part_snapshots[part] != self->pending)
        {
          deliver (self, part, self->pending);
          delivered++;
        }
    }

  update_complete (self);
  for (guint part = 0; part < MS_DASHBOARD_N_PARTS; part++)
    if (self->part_snapshots[part] != self->pending)
      return FALSE;
  g_clear_pointer (&self->pending, sim_snapshot_unref);
  return TRUE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  MsDashboard *self = MS_DASHBOARD (widget);

  if (self->pending == NULL || deliver_some (self))
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ms_dashboard_unmap (GtkWidget *widget)
{
  MsDashboard *self = MS_DASHBOARD (widget);

  /* No frames come while unmapped: the parts get what is pending now. */
  if (self->pending != NULL)
    {
      g_autoptr (SimSnapshot) pending = g_steal_pointer (&self->pending);

      stop_ticking (self);
      for (guint part = 0; part < MS_DASHBOARD_N_PARTS; part++)
        deliver (self, part, pending);
      set_complete (self, pending);
    }
  GTK_WIDGET_CLASS (ms_dashboard_parent_class)->unmap (widget);
}

void
ms_dashboard_set_snapshot (MsDashboard *self,
                           SimSnapshot *snapshot)
{
  SimSnapshot *newest;
  gboolean stagger;

  g_return_if_fail (MS_IS_DASHBOARD (self));

  newest = self->pending != NULL ? self->pending : self->snapshot;
  if (snapshot == newest)
    return;

  /* Only the stream of a run that plays is spread over frames: it moves forward, and the
   * next snapshot follows within a frame or two anyway. */
  stagger = snapshot != NULL && newest != NULL && snapshot->running &&
            snapshot->iteration >= newest->iteration && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (!stagger)
    {
      stop_ticking (self);
      g_clear_pointer (&self->pending, sim_snapshot_unref);
      for (guint part = 0; part < MS_DASHBOARD_N_PARTS; part++)
        deliver (self, part, snapshot);
      set_complete (self, snapshot);
      return;
    }

  /* Several snapshots can arrive between two frames: only the frame clock hands them on,
   * so a frame never repaints more than PARTS_PER_FRAME parts for them. */
  g_clear_pointer (&self->pending, sim_snapshot_unref);
  self->pending = sim_snapshot_ref (snapshot);
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
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

void
ms_dashboard_set_test_hidden (MsDashboard *self,
                              gboolean     hidden)
{
  g_return_if_fail (MS_IS_DASHBOARD (self));

  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    ms_plot_set_test_hidden (MS_PLOT (self->parts[i]), hidden);
}

GtkWidget *
ms_dashboard_get_part (MsDashboard     *self,
                       MsDashboardPart  part)
{
  g_return_val_if_fail (MS_IS_DASHBOARD (self), NULL);
  g_return_val_if_fail (part < MS_DASHBOARD_N_PARTS, NULL);

  return self->parts[part];
}

void
ms_dashboard_set_previous_run (MsDashboard *self,
                               SimSnapshot *previous,
                               const char  *label)
{
  g_return_if_fail (MS_IS_DASHBOARD (self));

  ms_success_plot_set_previous (MS_SUCCESS_PLOT (self->parts[MS_DASHBOARD_PART_SUCCESS]),
                                previous, label);
}
