/* ms-dashboard.c: the grid of live plots and the level view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dashboard hands each snapshot to every plot; the plots only draw.
 *
 * While training runs, a new snapshot reaches at most PARTS_PER_FRAME parts a frame, in
 * turn: repainting all six at once takes most of a 60 Hz frame at 1920×1080 with the
 * cairo renderer, and no frame may stall the main loop (tests/ui/bench-dashboard: with
 * one part a frame the longest gap stayed under 15 ms where two parts reached 17). Every
 * part then shows a snapshot at most a few frames old. The level card, whose caption names
 * the iteration of the agent it draws, goes first whenever another part shows a later
 * iteration than it: it is never more than one snapshot behind. A paused run, a single
 * step, a reset and an unmapped dashboard get the snapshot in every part at once, and
 * ms_dashboard_get_snapshot() returns the oldest snapshot a part shows.
 *
 * The layout is in ms-dashboard-layout.c; ms-dashboard-private.h holds what the two share.
 *
 * The level and success cards carry a "why?" note under the plot when what they show needs a
 * reason: the agent walks into lava although lava costs more than a step, or training success
 * is below test success. A note that appears while training plays stays at least NOTE_HOLD_MS,
 * so a condition that comes and goes with each sampled rollout does not resize the card every
 * frame.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-dashboard-private.h"
#include "ms-alignment-plot.h"
#include "ms-goal-plot.h"
#include "ms-level-view.h"
#include "ms-objective-plot.h"
#include "ms-reward-map.h"
#include "ms-success-plot.h"

#define HIGHLIGHT_MS 2500
#define PARTS_PER_FRAME 1

/* "Why?" notes: test success this far above training success shows the success card's, and
 * this close hides it again; a note shown while training plays stays at least this long. */
#define NOTE_SHOW_GAP 0.1
#define NOTE_HIDE_GAP 0.05
#define NOTE_HOLD_MS 4000

enum {
  PROP_0,
  PROP_TEACHER_MODE,
  PROP_SCALE,
  PROP_PRESENTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MsDashboard, ms_dashboard, GTK_TYPE_WIDGET)

static void update_note_size (MsDashboard *self);

static GtkWidget *
make_card (GtkWidget  *child,
           GtkWidget **note)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "plot-card");
  gtk_widget_set_hexpand (child, TRUE);
  gtk_widget_set_vexpand (child, TRUE);
  gtk_box_append (GTK_BOX (card), child);
  if (note != NULL)
    {
      /* Under the plot, so it never covers what the plot draws; a few lines at most. */
      *note = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (*note), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (*note), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (*note), 5);
      gtk_label_set_ellipsize (GTK_LABEL (*note), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (*note), 0);
      gtk_widget_set_margin_start (*note, 10);
      gtk_widget_set_margin_end (*note, 10);
      gtk_widget_set_margin_bottom (*note, 6);
      gtk_widget_add_css_class (*note, "why-note");
      gtk_widget_set_visible (*note, FALSE);
      gtk_box_append (GTK_BOX (card), *note);
    }
  return card;
}

static void
ms_dashboard_dispose (GObject *object)
{
  MsDashboard *self = MS_DASHBOARD (object);

  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    {
      g_clear_handle_id (&self->highlight_ids[i], g_source_remove);
      g_clear_pointer (&self->cards[i], gtk_widget_unparent);
    }
  g_clear_handle_id (&self->note_timeout_id, g_source_remove);
  g_clear_handle_id (&self->select_shared_id, g_source_remove);
  g_clear_pointer (&self->switcher, gtk_widget_unparent);
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
    case PROP_PRESENTING:
      g_value_set_boolean (value, self->presenting);
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
          g_object_set (self->parts[MS_DASHBOARD_PART_GOAL],
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
          update_note_size (self);
          gtk_widget_queue_allocate (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PRESENTING:
      if (self->presenting != g_value_get_boolean (value))
        {
          self->presenting = g_value_get_boolean (value);
          gtk_widget_queue_allocate (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void ms_dashboard_unmap (GtkWidget *widget);

/* Layout. */

static void
ms_dashboard_class_init (MsDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_dashboard_dispose;
  object_class->get_property = ms_dashboard_get_property;
  object_class->set_property = ms_dashboard_set_property;
  widget_class->unmap = ms_dashboard_unmap;
  widget_class->measure = ms_dashboard_layout_measure;
  widget_class->size_allocate = ms_dashboard_layout_allocate;

  properties[PROP_TEACHER_MODE] =
    g_param_spec_boolean ("teacher-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Presentation mode: the level and success cards get the room first (see the top). */
  properties[PROP_PRESENTING] =
    g_param_spec_boolean ("presenting", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "dashboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ms_dashboard_init (MsDashboard *self)
{
  /* In reading order: the level and the success plot, then the bottom row. */
  static const MsDashboardPart order[] = {
    MS_DASHBOARD_PART_LEVEL, MS_DASHBOARD_PART_SUCCESS, MS_DASHBOARD_PART_REWARD_MAPS,
    MS_DASHBOARD_PART_OBJECTIVES, MS_DASHBOARD_PART_ALIGNMENT, MS_DASHBOARD_PART_GOAL,
  };

  self->scale = 1.0;
  self->shown = SIM_SHOWN_TEST;
  self->side_part = MS_DASHBOARD_PART_OBJECTIVES;

  self->parts[MS_DASHBOARD_PART_LEVEL] = g_object_new (MS_TYPE_LEVEL_VIEW, NULL);
  self->parts[MS_DASHBOARD_PART_SUCCESS] = g_object_new (MS_TYPE_SUCCESS_PLOT, NULL);
  self->parts[MS_DASHBOARD_PART_OBJECTIVES] = g_object_new (MS_TYPE_OBJECTIVE_PLOT, NULL);
  self->parts[MS_DASHBOARD_PART_ALIGNMENT] = g_object_new (MS_TYPE_ALIGNMENT_PLOT, NULL);
  self->parts[MS_DASHBOARD_PART_REWARD_MAPS] = g_object_new (MS_TYPE_REWARD_MAP, NULL);
  self->parts[MS_DASHBOARD_PART_GOAL] = g_object_new (MS_TYPE_GOAL_PLOT, NULL);
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    self->cards[i] = make_card (self->parts[i],
                                i == MS_DASHBOARD_PART_LEVEL || i == MS_DASHBOARD_PART_SUCCESS
                                ? &self->notes[i] : NULL);
  update_note_size (self);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    gtk_widget_set_parent (self->cards[order[i]], GTK_WIDGET (self));
  self->switcher = ms_dashboard_make_switcher (self);
  gtk_widget_insert_before (self->switcher, GTK_WIDGET (self),
                            self->cards[MS_DASHBOARD_PART_REWARD_MAPS]);
  gtk_widget_set_child_visible (self->switcher, FALSE);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Training dashboard"), -1);
}

/* "Why?" notes. */

/* Whether the scenario's base objective charges for each step. */
static gboolean
has_step_cost (const SimSnapshot *s)
{
  for (int f = 0; f < s->n_features && s->feature_names != NULL; f++)
    if (g_strcmp0 (s->feature_names[f], "step") == 0)
      return s->base_objective != NULL && s->base_objective[f] < 0;
  return FALSE;
}

/* The level card's note: the path shown ends in lava although each step costs less. */
static const char *
level_note (MsDashboard *self)
{
  SimSnapshot *s = self->part_snapshots[MS_DASHBOARD_PART_LEVEL];
  const SimShownLevel *shown;

  if (s == NULL)
    return NULL;
  shown = &s->shown[self->shown];
  if (shown->level == NULL || shown->path == NULL || shown->n_path < 2)
    return NULL;
  if (shown->level->cells[shown->path[shown->n_path - 1]] != SIM_CELL_LAVA || !has_step_cost (s))
    return NULL;
  /* Translators: keep the <b> tags around the question */
  return _("<b>Why into the lava?</b> Every step costs a little, and lava ends the walk. To "
           "this agent a long way round can look worse than the lava.");
}

/* The success card's note: test success is clearly above training success. What makes the
 * training levels differ is the scenario's (sim-scenario.c): the coin always in the far
 * top-right corner, the exit always green, 2 keys for 6 chests. */
static const char *
success_note (MsDashboard *self,
              gboolean     shown_now)
{
  SimSnapshot *s = self->part_snapshots[MS_DASHBOARD_PART_SUCCESS];
  double gap;

  if (s == NULL || s->n_history < 1 || s->train_target == NULL || s->test_target == NULL ||
      ms_plot_get_test_hidden (MS_PLOT (self->parts[MS_DASHBOARD_PART_SUCCESS])))
    return NULL;
  gap = s->test_target[s->n_history - 1] - s->train_target[s->n_history - 1];
  if (isnan (gap) || gap < (shown_now ? NOTE_HIDE_GAP : NOTE_SHOW_GAP))
    return NULL;
  switch (s->config.scenario)
    {
    case SIM_SCENARIO_COIN:
      if (s->config.diversity > 0)
        /* Translators: keep the <b> tags; “Train” is the success plot’s “Train: …” */
        return _("<b>Why is training lower?</b> “Train” levels keep the coin in the top-right "
                 "corner. This agent also trained with the coin anywhere, where the corner never "
                 "paid, and learned to avoid it.");
      return _("<b>Why is training lower?</b> “Train” levels keep the coin in the far "
               "top-right corner. Test levels put it elsewhere, mostly nearer the start.");
    case SIM_SCENARIO_GREEN_EXIT:
      return _("<b>Why is training lower?</b> “Train” levels make the exit green. Test levels "
               "put a green tile away from the exit, and this agent copes better with the two "
               "apart.");
    case SIM_SCENARIO_KEYS_CHESTS:
      return _("<b>Why is training lower?</b> “Train” levels hold 2 keys for 6 chests, and "
               "each chest needs a key, often a long walk away. Test levels hold 6 keys.");
    case SIM_N_SCENARIOS:
    default:
      return NULL;
    }
}

static void update_notes (MsDashboard *self);

static gboolean
note_timeout_cb (gpointer data)
{
  MsDashboard *self = data;

  self->note_timeout_id = 0;
  update_notes (self);
  return G_SOURCE_REMOVE;
}

static void
set_note (MsDashboard     *self,
          MsDashboardPart  part,
          const char      *text)
{
  GtkWidget *note = self->notes[part];
  SimSnapshot *s = self->part_snapshots[part];
  gint64 now = g_get_monotonic_time ();

  if (text != NULL)
    self->note_shown_us[part] = now;
  else if (gtk_widget_get_visible (note) && s != NULL && s->running &&
           now - self->note_shown_us[part] < NOTE_HOLD_MS * 1000)
    {
      /* Keep it a while: the next rollout may well end in the lava again. */
      if (self->note_timeout_id == 0)
        self->note_timeout_id =
          g_timeout_add (NOTE_HOLD_MS - (now - self->note_shown_us[part]) / 1000 + 1,
                         note_timeout_cb, self);
      return;
    }
  if (text != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (note)), text) != 0)
    gtk_label_set_markup (GTK_LABEL (note), text);
  gtk_widget_set_visible (note, text != NULL);
}

static void
update_notes (MsDashboard *self)
{
  set_note (self, MS_DASHBOARD_PART_LEVEL, level_note (self));
  set_note (self, MS_DASHBOARD_PART_SUCCESS,
            success_note (self, gtk_widget_get_visible (self->notes[MS_DASHBOARD_PART_SUCCESS])));
}

/* The notes' text grows with the plots' (presentation mode). */
static void
update_note_size (MsDashboard *self)
{
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    if (self->notes[i] != NULL)
      {
        PangoAttrList *attrs = pango_attr_list_new ();

        pango_attr_list_insert (attrs, pango_attr_scale_new (0.9 * self->scale));
        gtk_label_set_attributes (GTK_LABEL (self->notes[i]), attrs);
        pango_attr_list_unref (attrs);
        gtk_widget_set_margin_start (self->notes[i], ms_dashboard_px (self, 10));
        gtk_widget_set_margin_end (self->notes[i], ms_dashboard_px (self, 10));
      }
}

/* Whether two snapshots lay out the shown levels alike: the same sizes and the same kinds of
 * cells (the level card's legend), an inventory or none, an inferred reward map or none. */
static gboolean
same_layout (SimSnapshot *a,
             SimSnapshot *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  for (int k = 0; k < SIM_N_SHOWN; k++)
    {
      const SimShownLevel *x = &a->shown[k], *y = &b->shown[k];
      gboolean cells[2][SIM_N_CELLS] = { { FALSE } };

      if (x->level == y->level)
        continue;
      if (x->level == NULL || y->level == NULL || x->level->width != y->level->width ||
          x->level->height != y->level->height || (x->held == NULL) != (y->held == NULL) ||
          (x->inferred_reward == NULL) != (y->inferred_reward == NULL))
        return FALSE;
      for (int i = 0; i < x->level->width * x->level->height; i++)
        {
          if (x->level->cells[i] < SIM_N_CELLS)
            cells[0][x->level->cells[i]] = TRUE;
          if (y->level->cells[i] < SIM_N_CELLS)
            cells[1][y->level->cells[i]] = TRUE;
        }
      if (memcmp (cells[0], cells[1], sizeof cells[0]) != 0)
        return FALSE;
    }
  return a->config.scenario == b->config.scenario;
}

static void
deliver (MsDashboard     *self,
         MsDashboardPart  part,
         SimSnapshot     *snapshot)
{
  GtkWidget *widget = self->parts[part];
  gboolean relayout;

  if (self->part_snapshots[part] == snapshot)
    return;
  /* The level and the reward maps size the rows and columns around the shown level. */
  relayout = (part == MS_DASHBOARD_PART_LEVEL || part == MS_DASHBOARD_PART_REWARD_MAPS) &&
             !same_layout (self->part_snapshots[part], snapshot);
  g_clear_pointer (&self->part_snapshots[part], sim_snapshot_unref);
  self->part_snapshots[part] = snapshot ? sim_snapshot_ref (snapshot) : NULL;
  if (relayout)
    gtk_widget_queue_allocate (GTK_WIDGET (self));

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
    case MS_DASHBOARD_PART_GOAL:
      ms_plot_set_snapshot (MS_PLOT (widget), snapshot);
      break;
    case MS_DASHBOARD_N_PARTS:
    default:
      g_assert_not_reached ();
    }
  if (part == MS_DASHBOARD_PART_LEVEL || part == MS_DASHBOARD_PART_SUCCESS)
    update_notes (self);
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
  /* Another level: its note, if any, is about that one from the start. */
  self->note_shown_us[MS_DASHBOARD_PART_LEVEL] = 0;
  update_notes (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
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
  /* In one row, the card pointed at becomes the third. */
  if (ms_dashboard_is_side_part (part))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->switch_buttons[part]), TRUE);
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
  update_notes (self);
}

GtkWidget *
ms_dashboard_get_part (MsDashboard     *self,
                       MsDashboardPart  part)
{
  g_return_val_if_fail (MS_IS_DASHBOARD (self), NULL);
  g_return_val_if_fail (part < MS_DASHBOARD_N_PARTS, NULL);

  return self->parts[part];
}

GtkWidget *
ms_dashboard_get_note (MsDashboard     *self,
                       MsDashboardPart  part)
{
  g_return_val_if_fail (MS_IS_DASHBOARD (self), NULL);
  g_return_val_if_fail (part < MS_DASHBOARD_N_PARTS, NULL);

  return self->notes[part];
}

gboolean
ms_dashboard_get_one_row (MsDashboard *self)
{
  g_return_val_if_fail (MS_IS_DASHBOARD (self), FALSE);

  return self->one_row;
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
