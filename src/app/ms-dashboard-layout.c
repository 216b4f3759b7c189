/* ms-dashboard-layout.c: where the dashboard puts its cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
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
 * With a sixth card (goal-directedness) the bottom row takes it at its end when the plots
 * there keep their least widths, else it goes beside the success plot, else it shares the
 * alignment card's place with two buttons above to pick which shows.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-dashboard-private.h"
#include "ms-level-view.h"
#include "ms-reward-map.h"

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

gboolean
ms_dashboard_is_side_part (MsDashboardPart part)
{
  return part == MS_DASHBOARD_PART_OBJECTIVES || part == MS_DASHBOARD_PART_ALIGNMENT ||
         part == MS_DASHBOARD_PART_REWARD_MAPS || part == MS_DASHBOARD_PART_GOAL;
}

void
ms_dashboard_layout_measure (GtkWidget      *widget,
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

/* Where the alignment and goal-directedness cards share a place while the card picked for one
 * row is another, the alignment card shows: its button is pressed after this allocation. */
static gboolean
select_shared_cb (gpointer data)
{
  MsDashboard *self = data;
  GtkWidget *button = self->switch_buttons[MS_DASHBOARD_PART_ALIGNMENT];

  self->select_shared_id = 0;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  return G_SOURCE_REMOVE;
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
  int top_min = ms_dashboard_px (self, self->presenting ? TOP_MIN_PRESENTING : TOP_MIN);
  int bottom_min = ms_dashboard_px (self, BOTTOM_MIN);
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
  maps_w = MIN (maps_w, W - 2 * SPACING - 2 * MIN (third, ms_dashboard_px (self, OTHERS_MIN)));
  maps_w = CLAMP (maps_w, col_min, col_max);

  /* The goal-directedness card (a few bars) goes at the end of the bottom row, narrower than
   * the plots there, when they keep their least widths; else beside the success plot when that
   * leaves the plot its least width; else (a narrow window with the article open) it shares the
   * alignment card's place, with two buttons above to pick which of them shows. */
  {
    int others_min = MAX (ms_dashboard_px (self, OTHERS_MIN),
                          MAX (card_min_width (self, MS_DASHBOARD_PART_OBJECTIVES),
                               card_min_width (self, MS_DASHBOARD_PART_ALIGNMENT)));
    int goal_min = MAX (ms_dashboard_px (self, GOAL_MIN), card_min_width (self, MS_DASHBOARD_PART_GOAL));

    goal_bottom_w = MAX (goal_min, (W - 3 * SPACING - maps_w) / 4);
    goal_w = MAX ((int) (W * GOAL_SHARE), goal_min);
    if ((W - 3 * SPACING - maps_w - goal_bottom_w) / 2 >= others_min)
      goal_place = GOAL_BOTTOM;
    else if (W - 2 * SPACING - level_w - goal_w >=
             MAX (ms_dashboard_px (self, ONE_ROW_SUCCESS_MIN), card_min_width (self, MS_DASHBOARD_PART_SUCCESS)))
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
      if (self->side_part != MS_DASHBOARD_PART_ALIGNMENT &&
          self->side_part != MS_DASHBOARD_PART_GOAL && self->select_shared_id == 0)
        self->select_shared_id = g_idle_add (select_shared_cb, self);
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
  int success_min = MAX (ms_dashboard_px (self, ONE_ROW_SUCCESS_MIN),
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
    if (ms_dashboard_is_side_part (i) && i != (int) self->side_part)
      gtk_widget_set_child_visible (self->cards[i], FALSE);
  place (self->cards[self->side_part], x, MARGIN + H - side_h, side_w, side_h);
}

void
ms_dashboard_layout_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  MsDashboard *self = MS_DASHBOARD (widget);
  int W = width - 2 * MARGIN, H = height - MARGIN - MARGIN_BOTTOM;

  /* One row only when presenting and the top row cannot get its least height above a bottom
   * row: the class then sees three large cards rather than five small ones. */
  self->one_row = self->presenting &&
                  H - SPACING < ms_dashboard_px (self, TOP_MIN_PRESENTING) + ms_dashboard_px (self, BOTTOM_MIN);
  if (self->one_row)
    allocate_one_row (self, W, H);
  else
    allocate_two_rows (self, W, H);
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
GtkWidget *
ms_dashboard_make_switcher (MsDashboard *self)
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
  GtkWidget *box = gtk_grid_new ();
  GtkToggleButton *first = NULL;

  /* Two by two, so that four names a class reads from the back fit a third of a projector's
   * width; where only the alignment and goal-directedness cards share a place, the first row
   * is hidden. */
  gtk_grid_set_column_homogeneous (GTK_GRID (box), FALSE);
  gtk_grid_set_row_spacing (GTK_GRID (box), 4);
  gtk_grid_set_column_spacing (GTK_GRID (box), 4);
  gtk_widget_add_css_class (box, "card-switcher");
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
      gtk_widget_set_hexpand (button, TRUE);
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
      gtk_grid_attach (GTK_GRID (box), button, i % 2, i / 2, 1, 1);
    }
  return box;
}
