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
 *
 * The layout (ms_dashboard_size_allocate) gives the room to the plots rather than leaving it
 * empty: the level map and the two reward maps are squares of cells that only grow as far as
 * both their card's width and height allow, so the rows and columns are sized around them.
 * The bottom row is as tall as the reward maps need at a third of the width, the top row takes
 * the rest, and the level card is as wide as its map is tall; the success plot, the objectives
 * and the alignment plot stretch into whatever is left. In presentation mode the top row must
 * hold a level map and success lines a class can read from the back of the room; when the
 * window is too short for that and a bottom row (a 1280×720 projector with a lesson bar), the
 * cards go in one row: the level, the success plot and one of the other three, picked by a
 * switcher above it or by what a lesson step or the article points at.
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

#include "ms-dashboard.h"
#include "ms-alignment-plot.h"
#include "ms-goal-plot.h"
#include "ms-level-view.h"
#include "ms-objective-plot.h"
#include "ms-reward-map.h"
#include "ms-success-plot.h"

#define HIGHLIGHT_MS 2500
#define PARTS_PER_FRAME 1

/* Layout, in pixels at scale 1 (the cards' spacing and the margins are fixed). */
#define SPACING 12
#define MARGIN 12
#define MARGIN_BOTTOM 6
/* The least height of the top and bottom rows: in normal mode, and in presentation mode, where
 * the top row must hold a level map of about 240 px and success lines of about 160 px at scale 1
 * (300 and 200 at the default presentation scale of 1.25). The bottom row's keeps the
 * objectives' bars readable under their labels. */
#define TOP_MIN 240
#define TOP_MIN_PRESENTING 300
#define BOTTOM_MIN 260
/* Shares of the width the level and reward map columns may take; the reward maps widen only
 * while the objectives and the alignment plot keep a third of the width or this much. */
#define COLUMN_MIN_SHARE 0.25
#define COLUMN_MAX_SHARE 0.45
#define OTHERS_MIN 300
/* One row (presentation mode, short windows): the level's share at most, the third card's. */
#define ONE_ROW_LEVEL_MAX_SHARE 0.35
#define ONE_ROW_SIDE_SHARE 0.27
/* ... and the least width of the success card there (its title, its lines), at scale 1. */
#define ONE_ROW_SUCCESS_MIN 300
/* The goal-directedness card beside the success plot: its share of the width, and its least. */
#define GOAL_SHARE 0.2
#define GOAL_MIN 260

/* "Why?" notes: test success this far above training success shows the success card's, and
 * this close hides it again; a note shown while training plays stays at least this long. */
#define NOTE_SHOW_GAP 0.1
#define NOTE_HIDE_GAP 0.05
#define NOTE_HOLD_MS 4000

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
};

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

static int
px (MsDashboard *self,
    double       v)
{
  return (int) round (v * self->scale);
}

static void
measure_min (GtkWidget      *widget,
             GtkOrientation  orientation,
             int             for_size,
             int            *minimum)
{
  gtk_widget_measure (widget, orientation, for_size, minimum, NULL, NULL, NULL);
}

/* What a card adds around its plot: padding and border across, and down also its note at this
 * width (for_width -1: at the card's least width). */
static void
card_chrome (MsDashboard     *self,
             MsDashboardPart  part,
             int              for_width,
             int             *across,
             int             *down)
{
  int card_w, plot_w, card_h, plot_h;

  measure_min (self->cards[part], GTK_ORIENTATION_HORIZONTAL, -1, &card_w);
  measure_min (self->parts[part], GTK_ORIENTATION_HORIZONTAL, -1, &plot_w);
  if (for_width >= 0)
    for_width = MAX (for_width, card_w);
  measure_min (self->cards[part], GTK_ORIENTATION_VERTICAL, for_width, &card_h);
  measure_min (self->parts[part], GTK_ORIENTATION_VERTICAL, -1, &plot_h);
  *across = card_w - plot_w;
  *down = card_h - plot_h;
}

/* The least height a card needs at this width. */
static int
card_min_height (MsDashboard     *self,
                 MsDashboardPart  part,
                 int              width)
{
  int card_w, h;

  measure_min (self->cards[part], GTK_ORIENTATION_HORIZONTAL, -1, &card_w);
  measure_min (self->cards[part], GTK_ORIENTATION_VERTICAL, MAX (width, card_w), &h);
  return h;
}

static int
card_min_width (MsDashboard     *self,
                MsDashboardPart  part)
{
  int w;

  measure_min (self->cards[part], GTK_ORIENTATION_HORIZONTAL, -1, &w);
  return w;
}

/* The level card's width for a card height, the narrowest at which its map is as big as at
 * max_width, and its height for a width, the lowest at which the map is as big as that width
 * allows (see ms_level_view_width_for_height); -1 with no level. The note's height is
 * measured at max_width for the first. */
static int
level_card_width (MsDashboard *self,
                  int          height,
                  int          max_width)
{
  int across, down, w;

  card_chrome (self, MS_DASHBOARD_PART_LEVEL, max_width, &across, &down);
  w = ms_level_view_width_for_height (MS_LEVEL_VIEW (self->parts[MS_DASHBOARD_PART_LEVEL]),
                                      height - down, max_width - across);
  return w < 0 ? -1 : w + across;
}

static int
level_card_height (MsDashboard *self,
                   int          width)
{
  int across, down, h;

  card_chrome (self, MS_DASHBOARD_PART_LEVEL, width, &across, &down);
  h = ms_level_view_height_for_width (MS_LEVEL_VIEW (self->parts[MS_DASHBOARD_PART_LEVEL]),
                                      width - across);
  return h < 0 ? -1 : h + down;
}

static int
maps_card_height (MsDashboard *self,
                  int          width)
{
  int across, down, h;

  card_chrome (self, MS_DASHBOARD_PART_REWARD_MAPS, width, &across, &down);
  h = ms_reward_map_height_for_width (MS_REWARD_MAP (self->parts[MS_DASHBOARD_PART_REWARD_MAPS]),
                                      width - across);
  return h < 0 ? -1 : h + down;
}

static int
maps_card_width (MsDashboard *self,
                 int          height)
{
  int across, down, w;

  card_chrome (self, MS_DASHBOARD_PART_REWARD_MAPS, -1, &across, &down);
  w = ms_reward_map_width_for_height (MS_REWARD_MAP (self->parts[MS_DASHBOARD_PART_REWARD_MAPS]),
                                      height - down);
  return w < 0 ? -1 : w + across;
}

static gboolean
is_side_part (MsDashboardPart part)
{
  return part == MS_DASHBOARD_PART_OBJECTIVES || part == MS_DASHBOARD_PART_ALIGNMENT ||
         part == MS_DASHBOARD_PART_REWARD_MAPS || part == MS_DASHBOARD_PART_GOAL;
}

static void
ms_dashboard_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  MsDashboard *self = MS_DASHBOARD (widget);
  int most = 0;

  /* Three columns and two rows of cards at their least size, whichever layout is used. */
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    {
      int m;

      measure_min (self->cards[i], orientation, -1, &m);
      most = MAX (most, m);
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 3 * most + 2 * SPACING + 2 * MARGIN;
  else
    *minimum = 2 * most + SPACING + MARGIN + MARGIN_BOTTOM;
  *natural = *minimum;
}

static void
place (GtkWidget *card,
       int        x,
       int        y,
       int        width,
       int        height)
{
  gtk_widget_set_child_visible (card, TRUE);
  gtk_widget_size_allocate (card, &(GtkAllocation) { x, y, width, height }, -1);
}

/* The switcher's buttons: all four when the cards are in one row, else only the two that
 * share a place (the alignment and the goal-directedness cards). */
static void
show_switch_buttons (MsDashboard *self,
                     gboolean     all)
{
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    if (self->switch_buttons[i] != NULL)
      gtk_widget_set_visible (self->switch_buttons[i],
                              all || i == MS_DASHBOARD_PART_ALIGNMENT ||
                              i == MS_DASHBOARD_PART_GOAL);
}

static void
allocate_two_rows (MsDashboard *self,
                   int          W,
                   int          H)
{
  int top_min = px (self, self->presenting ? TOP_MIN_PRESENTING : TOP_MIN);
  int bottom_min = px (self, BOTTOM_MIN);
  int rows = H - SPACING;
  int third = (W - 2 * SPACING) / 3;
  int col_min = MAX ((int) (W * COLUMN_MIN_SHARE), 0);
  int col_max = (int) (W * COLUMN_MAX_SHARE);
  int top, bottom, level_w, maps_w, goal_w, goal_bottom_w, need, rest, x;
  enum { GOAL_TOP, GOAL_BOTTOM, GOAL_SHARED } goal_place;

  /* The bottom row as tall as the reward maps need at a third of the width, within the rows'
   * least heights; when the window is too short for both, they share in proportion. */
  bottom = maps_card_height (self, third);
  if (bottom < 0)
    bottom = rows / 2;
  if (rows < top_min + bottom_min)
    bottom = rows * bottom_min / (top_min + bottom_min);
  else
    bottom = CLAMP (bottom, bottom_min, rows - top_min);
  top = rows - bottom;

  /* The level card as wide as its map is tall. Where the widest it may be still leaves rows
   * empty above and below the map, the bottom row gets them. */
  level_w = level_card_width (self, top, col_max);
  if (level_w < 0)
    level_w = third;
  level_w = CLAMP (level_w, col_min, col_max);
  need = level_card_height (self, level_w);
  if (need > 0 && need < top && rows - MAX (need, top_min) > bottom)
    {
      /* As much as the reward maps can use at their widest; the rest stays with the top row,
       * where the success plot takes it. */
      int maps_most = maps_card_height (self, col_max);

      bottom = MAX (bottom, MIN (rows - MAX (need, top_min), maps_most));
      top = rows - bottom;
    }

  /* The reward maps as wide as the bottom row lets them be. */
  maps_w = maps_card_width (self, bottom);
  if (maps_w < 0)
    maps_w = third;
  maps_w = MIN (maps_w, W - 2 * SPACING - 2 * MIN (third, px (self, OTHERS_MIN)));
  maps_w = CLAMP (maps_w, col_min, col_max);

  /* The goal-directedness card (a few bars) goes at the end of the bottom row, narrower than
   * the plots there, when they keep their least widths; else beside the success plot when that
   * leaves the plot its least width; else (a narrow window with the article open) it shares the
   * alignment card's place, with two buttons above to pick which of them shows. */
  {
    int others_min = MAX (px (self, OTHERS_MIN),
                          MAX (card_min_width (self, MS_DASHBOARD_PART_OBJECTIVES),
                               card_min_width (self, MS_DASHBOARD_PART_ALIGNMENT)));
    int goal_min = MAX (px (self, GOAL_MIN), card_min_width (self, MS_DASHBOARD_PART_GOAL));

    goal_bottom_w = MAX (goal_min, (W - 3 * SPACING - maps_w) / 4);
    goal_w = MAX ((int) (W * GOAL_SHARE), goal_min);
    if ((W - 3 * SPACING - maps_w - goal_bottom_w) / 2 >= others_min)
      goal_place = GOAL_BOTTOM;
    else if (W - 2 * SPACING - level_w - goal_w >=
             MAX (px (self, ONE_ROW_SUCCESS_MIN), card_min_width (self, MS_DASHBOARD_PART_SUCCESS)))
      goal_place = GOAL_TOP;
    else
      goal_place = GOAL_SHARED;
    if (goal_place != GOAL_TOP)
      goal_w = 0;
    if (goal_place != GOAL_BOTTOM)
      goal_bottom_w = 0;
  }

  /* Every card at least its least height. */
  {
    int top_floor = 0, bottom_floor = 0;

    for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
      {
        int w = i == MS_DASHBOARD_PART_LEVEL ? level_w
              : i == MS_DASHBOARD_PART_SUCCESS ? W - (goal_w > 0 ? 2 : 1) * SPACING - level_w - goal_w
              : i == MS_DASHBOARD_PART_GOAL ? MAX (goal_w, goal_bottom_w)
              : i == MS_DASHBOARD_PART_REWARD_MAPS ? maps_w
              : (W - 2 * SPACING - maps_w - (goal_bottom_w > 0 ? goal_bottom_w + SPACING : 0)) / 2;
        int h;

        if (i == MS_DASHBOARD_PART_GOAL && goal_place == GOAL_SHARED)
          continue;
        h = card_min_height (self, i, w);
        if (i == MS_DASHBOARD_PART_LEVEL || i == MS_DASHBOARD_PART_SUCCESS ||
            (i == MS_DASHBOARD_PART_GOAL && goal_place == GOAL_TOP))
          top_floor = MAX (top_floor, h);
        else
          bottom_floor = MAX (bottom_floor, h);
      }
    top = MAX (top, top_floor);
    top = MIN (top, rows - bottom_floor);
    bottom = rows - top;
  }
  rest = W - 2 * SPACING - maps_w - (goal_bottom_w > 0 ? goal_bottom_w + SPACING : 0);

  place (self->cards[MS_DASHBOARD_PART_LEVEL], MARGIN, MARGIN, level_w, top);
  place (self->cards[MS_DASHBOARD_PART_SUCCESS], MARGIN + level_w + SPACING, MARGIN,
         W - (goal_w > 0 ? 2 : 1) * SPACING - level_w - goal_w, top);
  if (goal_place == GOAL_TOP)
    place (self->cards[MS_DASHBOARD_PART_GOAL], MARGIN + W - goal_w, MARGIN, goal_w, top);
  x = MARGIN;
  place (self->cards[MS_DASHBOARD_PART_REWARD_MAPS], x, MARGIN + top + SPACING, maps_w, bottom);
  x += maps_w + SPACING;
  place (self->cards[MS_DASHBOARD_PART_OBJECTIVES], x, MARGIN + top + SPACING, rest / 2, bottom);
  x += rest / 2 + SPACING;
  if (goal_place == GOAL_SHARED)
    {
      MsDashboardPart shown = self->side_part == MS_DASHBOARD_PART_GOAL
                              ? MS_DASHBOARD_PART_GOAL : MS_DASHBOARD_PART_ALIGNMENT;
      MsDashboardPart other = shown == MS_DASHBOARD_PART_GOAL
                              ? MS_DASHBOARD_PART_ALIGNMENT : MS_DASHBOARD_PART_GOAL;
      int w = rest - rest / 2, switcher_h;

      show_switch_buttons (self, FALSE);
      gtk_widget_measure (self->switcher, GTK_ORIENTATION_VERTICAL, w, NULL, &switcher_h,
                          NULL, NULL);
      gtk_widget_set_child_visible (self->switcher, TRUE);
      gtk_widget_size_allocate (self->switcher,
                                &(GtkAllocation) { x, MARGIN + top + SPACING, w, switcher_h },
                                -1);
      place (self->cards[shown], x, MARGIN + top + SPACING + switcher_h + SPACING / 2, w,
             MAX (bottom - switcher_h - SPACING / 2, 1));
      gtk_widget_set_child_visible (self->cards[other], FALSE);
      return;
    }
  place (self->cards[MS_DASHBOARD_PART_ALIGNMENT], x, MARGIN + top + SPACING, rest - rest / 2,
         bottom);
  if (goal_place == GOAL_BOTTOM)
    place (self->cards[MS_DASHBOARD_PART_GOAL], MARGIN + W - goal_bottom_w, MARGIN + top + SPACING,
           goal_bottom_w, bottom);
  gtk_widget_set_child_visible (self->switcher, FALSE);
}

static void
allocate_one_row (MsDashboard *self,
                  int          W,
                  int          H)
{
  int level_min = card_min_width (self, MS_DASHBOARD_PART_LEVEL);
  int success_min = MAX (px (self, ONE_ROW_SUCCESS_MIN),
                         card_min_width (self, MS_DASHBOARD_PART_SUCCESS));
  int side_w = MAX ((int) (W * ONE_ROW_SIDE_SHARE), card_min_width (self, self->side_part));
  int level_max, level_w, success_w, switcher_h, side_h, x;

  /* The level as big as the height allows, within its share and leaving the success plot
   * room for its lines (and the third card its share); the success plot takes the rest. */
  level_max = MIN ((int) (W * ONE_ROW_LEVEL_MAX_SHARE), W - 2 * SPACING - side_w - success_min);
  level_max = MAX (level_max, level_min);
  level_w = level_card_width (self, H, level_max);
  if (level_w < 0)
    level_w = level_max;
  level_w = CLAMP (level_w, level_min, level_max);
  success_w = W - 2 * SPACING - level_w - side_w;
  if (success_w < card_min_width (self, MS_DASHBOARD_PART_SUCCESS))
    {
      side_w = MAX (card_min_width (self, self->side_part),
                    W - 2 * SPACING - level_w - card_min_width (self, MS_DASHBOARD_PART_SUCCESS));
      success_w = W - 2 * SPACING - level_w - side_w;
    }
  show_switch_buttons (self, TRUE);
  gtk_widget_measure (self->switcher, GTK_ORIENTATION_VERTICAL, side_w, NULL, &switcher_h,
                      NULL, NULL);
  side_h = MAX (H - switcher_h - SPACING / 2, card_min_height (self, self->side_part, side_w));

  place (self->cards[MS_DASHBOARD_PART_LEVEL], MARGIN, MARGIN, level_w, H);
  x = MARGIN + level_w + SPACING;
  place (self->cards[MS_DASHBOARD_PART_SUCCESS], x, MARGIN, success_w, H);
  x += success_w + SPACING;
  gtk_widget_set_child_visible (self->switcher, TRUE);
  gtk_widget_size_allocate (self->switcher, &(GtkAllocation) { x, MARGIN, side_w, switcher_h },
                            -1);
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    if (is_side_part (i) && i != (int) self->side_part)
      gtk_widget_set_child_visible (self->cards[i], FALSE);
  place (self->cards[self->side_part], x, MARGIN + H - side_h, side_w, side_h);
}

static void
ms_dashboard_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  MsDashboard *self = MS_DASHBOARD (widget);
  int W = width - 2 * MARGIN, H = height - MARGIN - MARGIN_BOTTOM;

  /* One row only when presenting and the top row cannot get its least height above a bottom
   * row: the class then sees three large cards rather than five small ones. */
  self->one_row = self->presenting &&
                  H - SPACING < px (self, TOP_MIN_PRESENTING) + px (self, BOTTOM_MIN);
  if (self->one_row)
    allocate_one_row (self, W, H);
  else
    allocate_two_rows (self, W, H);
}

static void
ms_dashboard_class_init (MsDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_dashboard_dispose;
  object_class->get_property = ms_dashboard_get_property;
  object_class->set_property = ms_dashboard_set_property;
  widget_class->unmap = ms_dashboard_unmap;
  widget_class->measure = ms_dashboard_measure;
  widget_class->size_allocate = ms_dashboard_size_allocate;

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
switch_toggled_cb (GtkToggleButton *button,
                   MsDashboard     *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  for (int i = 0; i < MS_DASHBOARD_N_PARTS; i++)
    if (self->switch_buttons[i] == GTK_WIDGET (button) && self->side_part != (MsDashboardPart) i)
      {
        self->side_part = i;
        gtk_widget_queue_allocate (GTK_WIDGET (self));
      }
}

/* The buttons that pick the third card when the cards are in one row. */
static GtkWidget *
make_switcher (MsDashboard *self)
{
  static const struct
  {
    MsDashboardPart part;
    const char *label;
  } buttons[] = {
    { MS_DASHBOARD_PART_OBJECTIVES, N_("Objectives") },
    { MS_DASHBOARD_PART_REWARD_MAPS, N_("Reward Maps") },
    { MS_DASHBOARD_PART_ALIGNMENT, N_("Alignment") },
    { MS_DASHBOARD_PART_GOAL, N_("Goal-Directedness") },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkToggleButton *first = NULL;

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_add_css_class (box, "card-switcher");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Card to show"), -1);
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *label = gtk_label_new (_(buttons[i].label));

      /* In a narrow column the names shorten (the tooltip has them whole) rather than push
       * the column wider. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_set_tooltip_text (button, _(buttons[i].label));
      gtk_accessible_update_relation (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (button);
      else
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                    buttons[i].part == self->side_part);
      g_signal_connect (button, "toggled", G_CALLBACK (switch_toggled_cb), self);
      self->switch_buttons[buttons[i].part] = button;
      gtk_box_append (GTK_BOX (box), button);
    }
  return box;
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
  self->switcher = make_switcher (self);
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
        gtk_widget_set_margin_start (self->notes[i], px (self, 10));
        gtk_widget_set_margin_end (self->notes[i], px (self, 10));
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
  if (is_side_part (part))
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
