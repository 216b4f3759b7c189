/* sim-level.h: gridworld levels and their text format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIM_LEVEL_FORMAT_VERSION 1
#define SIM_LEVEL_MAX_SIZE 64

#define SIM_LEVEL_ERROR (sim_level_error_quark ())

typedef enum
{
  SIM_LEVEL_ERROR_SYNTAX,        /* malformed text; message is "FILE:LINE:COL: …" */
  SIM_LEVEL_ERROR_VERSION,       /* written by a newer format version */
  SIM_LEVEL_ERROR_INVALID,       /* well-formed but unusable (no start, unreachable target) */
  SIM_LEVEL_ERROR_IO,
} SimLevelError;

typedef enum
{
  SIM_SCENARIO_COIN,
  SIM_SCENARIO_GREEN_EXIT,
  SIM_SCENARIO_KEYS_CHESTS,
  SIM_N_SCENARIOS
} SimScenarioKind;

/* What a cell holds. The start is not a cell kind: it is SimLevel.start, on a floor cell. */
typedef enum
{
  SIM_CELL_FLOOR = 0,   /* '.' (and 'S', with start set) */
  SIM_CELL_WALL,        /* '#' */
  SIM_CELL_LAVA,        /* 'L' */
  SIM_CELL_COIN,        /* 'C' */
  SIM_CELL_EXIT,        /* 'E' */
  SIM_CELL_GREEN,       /* 'G' */
  SIM_CELL_EXIT_GREEN,  /* 'X': exit on a green tile */
  SIM_CELL_KEY,         /* 'K' */
  SIM_CELL_CHEST,       /* 'H' */
  SIM_N_CELLS
} SimCell;

/* The 5 actions, in this order everywhere in the engine. */
typedef enum
{
  SIM_ACTION_UP,
  SIM_ACTION_DOWN,
  SIM_ACTION_LEFT,
  SIM_ACTION_RIGHT,
  SIM_ACTION_STAY,
  SIM_N_ACTIONS
} SimAction;

/* An immutable-by-convention level: shared by reference count, never modified once it has
 * more than one owner (copy it with sim_level_copy() to edit). Cells are indexed
 * s = y * width + x, with y = 0 the bottom row (the LAST map row of the file). */
typedef struct
{
  gint ref_count;
  SimScenarioKind scenario;
  int width;
  int height;
  int horizon;          /* maximum number of transitions T */
  int start;            /* state index of the start cell */
  guint8 *cells;        /* width * height SimCell values, owned */
} SimLevel;

GQuark       sim_level_error_quark     (void);

SimLevel    *sim_level_new             (SimScenarioKind  scenario,
                                        int              width,
                                        int              height,
                                        int              horizon);
SimLevel    *sim_level_ref             (SimLevel        *level);
void         sim_level_unref           (SimLevel        *level);
SimLevel    *sim_level_copy            (const SimLevel  *level);
gboolean     sim_level_equal           (const SimLevel  *a,
                                        const SimLevel  *b);

/* Parses the text format. filename is used only in error messages ("FILE:LINE:COL: …");
 * pass NULL for "<input>". Returns NULL and sets error on any problem; nothing is half-loaded. */
SimLevel    *sim_level_parse           (const char      *text,
                                        gssize           length,
                                        const char      *filename,
                                        GError         **error);
SimLevel    *sim_level_load            (const char      *path,
                                        GError         **error);
/* Writes the text format; sim_level_parse (sim_level_to_string (l)) equals l. */
char        *sim_level_to_string       (const SimLevel  *level);
/* Atomic: writes a temporary file in the same folder, then renames it over path. */
gboolean     sim_level_save            (const SimLevel  *level,
                                        const char      *path,
                                        GError         **error);
/* The cells whose entry ends an episode: coin, lava, exit (also on green). */
gboolean     sim_cell_is_terminal      (SimCell          cell);

/* What can be wrong with a level the parser accepted. The errors make it unplayable; the
 * warnings flag cells that do nothing or choices that are probably not meant. */
typedef enum
{
  SIM_LEVEL_PROBLEM_NO_START,           /* errors */
  SIM_LEVEL_PROBLEM_START_NOT_FLOOR,
  SIM_LEVEL_PROBLEM_UNKNOWN_CELL,
  SIM_LEVEL_PROBLEM_NO_TARGET,          /* no coin (coin), no exit (green-exit) */
  SIM_LEVEL_PROBLEM_TARGET_UNREACHABLE,
  SIM_LEVEL_PROBLEM_NO_KEY,             /* keys-chests */
  SIM_LEVEL_PROBLEM_KEY_UNREACHABLE,
  SIM_LEVEL_PROBLEM_NO_CHEST,
  SIM_LEVEL_PROBLEM_CHEST_UNREACHABLE,
  SIM_LEVEL_PROBLEM_SEVERAL_COINS,      /* warnings: the episode ends at the first coin */
  SIM_LEVEL_PROBLEM_NO_GREEN,           /* green-exit without a green tile */
  SIM_LEVEL_PROBLEM_UNUSED_CELLS,       /* cells of another scenario, which do nothing here */
  SIM_N_LEVEL_PROBLEMS
} SimLevelProblemKind;

#define SIM_LEVEL_PROBLEM_IS_ERROR(kind) ((kind) < SIM_LEVEL_PROBLEM_SEVERAL_COINS)

typedef struct
{
  SimLevelProblemKind kind;
  int count;          /* how many cells it concerns (0 where it concerns none) */
  int cell;           /* the first such cell, or the start; −1 when there is none */
} SimLevelProblem;

/* Every problem of the level (SimLevelProblem), in the order of the kinds above: errors
 * first. Reachability is from the start through cells that are neither walls nor lava, and
 * it stops at cells that end the episode. The one rule for the command line, the loaders and
 * the level editor. */
GArray      *sim_level_check           (const SimLevel  *level);

/* The first error of sim_level_check() as a message, or TRUE when there is none. */
gboolean     sim_level_validate        (const SimLevel  *level,
                                        GError         **error);

static inline SimCell
sim_level_get (const SimLevel *level, int x, int y)
{
  return (SimCell) level->cells[y * level->width + x];
}

static inline int
sim_level_index (const SimLevel *level, int x, int y)
{
  return y * level->width + x;
}

/* Deterministic move: off-grid or into a wall leaves the agent where it is. */
int          sim_level_step            (const SimLevel  *level,
                                        int              s,
                                        SimAction        a);

char         sim_cell_to_symbol        (SimCell          cell);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimLevel, sim_level_unref)

G_END_DECLS
