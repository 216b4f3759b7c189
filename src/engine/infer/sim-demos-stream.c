/* sim-demos-stream.c: reading a demos file piece by piece with yajl, into the trajectories
 * the demos keep, without a tree of the whole text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As the MDP reader (sim-mdp-stream.c): only plainly valid files are taken (printable ASCII,
 * string escapes but no \uXXXX, every member of the right kind, every check passed); on
 * anything else the reader gives up without a message and the tree reader of sim-demos.c
 * reads the text again and says what is wrong and where.
 */
#include "config.h"

#include "sim-demos-private.h"

#include <string.h>
#include <yajl/yajl_parse.h>

#include "sim-json.h"
#include "sim-scenario.h"


typedef enum
{
  MEMBER_OTHER,
  MEMBER_SCENARIO,
  MEMBER_NEAR_CORNER,
  MEMBER_LEVELS,
  MEMBER_TRAJECTORIES,
} Member;

static const char *member_names[] = { NULL, "scenario", "near_corner", "levels",
                                      "trajectories" };

typedef enum
{
  KEY_OTHER,
  KEY_LEVEL,
  KEY_CELLS,
} Key;

/* A trajectory as read: its level and its cells (x, y), checked against the level at the end,
 * when the levels are known wherever they stand in the file. */
typedef struct
{
  gint64 level;
  gboolean has_level;
  GArray *cells;            /* guint16 pairs */
} RawTrajectory;

typedef struct
{
  int depth;                /* 1 inside the top-level object */
  Member member;
  gboolean seen[G_N_ELEMENTS (member_names)];
  gboolean escape;          /* a backslash at the end of the last piece */
  yajl_handle handle;
  SimJsonTail tail;         /* the text after the top-level object */

  char *scenario;
  gboolean near_corner;
  GPtrArray *levels;        /* the level texts */
  GArray *trajectories;     /* RawTrajectory */

  guint n_trajectories;     /* read so far */
  /* The demos, made as soon as the scenario and the levels are read (the writer puts them
   * first): each trajectory is then added as soon as it is read, and none is kept raw. */
  SimDemos *demos;
  int *cells;               /* room for the longest trajectory a level allows */

  Key key;                  /* the member of the trajectory object being read */
  guint16 xy[2];
  int n_xy;
} Reader;

static void
raw_trajectory_clear (gpointer data)
{
  RawTrajectory *t = data;

  g_clear_pointer (&t->cells, g_array_unref);
}

static RawTrajectory *
current (Reader *r)
{
  return &g_array_index (r->trajectories, RawTrajectory, r->trajectories->len - 1);
}

/* The demos and their levels, with the checks of the tree reader. */
static gboolean
make_demos (Reader *r)
{
  SimScenarioKind scenario;
  int max_cells = 0;

  if (r->scenario == NULL || !sim_scenario_from_string (r->scenario, &scenario) ||
      scenario == SIM_SCENARIO_KEYS_CHESTS || r->levels == NULL)
    return FALSE;
  r->demos = sim_demos_new (scenario, TRUE);
  for (guint i = 0; i < r->levels->len; i++)
    {
      g_autoptr (SimLevel) level = sim_level_parse (g_ptr_array_index (r->levels, i), -1,
                                                    "levels", NULL);

      if (level == NULL || !sim_level_validate (level, NULL) || level->scenario != scenario)
        return FALSE;
      max_cells = MAX (max_cells, level->horizon + 1);
      sim_demos_add_level (r->demos, level);
    }
  g_clear_pointer (&r->levels, g_ptr_array_unref);
  r->cells = g_new (int, max_cells);
  return TRUE;
}

/* Checks a trajectory as read against its level and adds it to the demos. */
static gboolean
add_trajectory (Reader        *r,
                RawTrajectory *t)
{
  const SimLevel *level;
  const guint16 *xy;

  if (t->level < 0 || t->level >= r->demos->levels->len)
    return FALSE;
  level = g_ptr_array_index (r->demos->levels, t->level);
  if (t->cells->len == 0 || t->cells->len > (guint) level->horizon + 1)
    return FALSE;
  xy = (const guint16 *) t->cells->data;
  for (guint k = 0; k < t->cells->len; k++)
    {
      if (xy[2 * k] >= level->width || xy[2 * k + 1] >= level->height)
        return FALSE;
      r->cells[k] = sim_level_index (level, xy[2 * k], xy[2 * k + 1]);
    }
  return sim_demos_add_trajectory (r->demos, (int) t->level, r->cells, (int) t->cells->len,
                                   NULL);
}

/* A scalar value (number, string, boolean or null) at the reader's depth. */
static int
on_value (Reader              *r,
          const SimJsonNumber *n,
          const char          *string,
          gsize                length,
          int                  boolean)
{
  if (r->depth == 0)
    return 0;
  if (r->member == MEMBER_OTHER)
    return 1;
  switch (r->depth)
    {
    case 1:
      if (r->member == MEMBER_SCENARIO && string != NULL)
        {
          r->scenario = g_strndup (string, length);
          return 1;
        }
      if (r->member == MEMBER_NEAR_CORNER && boolean >= 0)
        {
          r->near_corner = boolean;
          return 1;
        }
      return 0;
    case 2:
      if (r->member != MEMBER_LEVELS || string == NULL || memchr (string, '\0', length) != NULL ||
          r->levels->len >= SIM_DEMOS_MAX_LEVELS)
        return 0;
      g_ptr_array_add (r->levels, g_strndup (string, length));
      return 1;
    case 3:
      if (r->key == KEY_OTHER)
        return 1;
      if (r->key != KEY_LEVEL || n == NULL || !n->is_int)
        return 0;
      current (r)->level = n->i;
      current (r)->has_level = TRUE;
      return 1;
    case 5:
      if (r->key == KEY_OTHER)
        return 1;
      if (n == NULL || !n->is_int || n->i < 0 || n->i > G_MAXUINT16 || r->n_xy == 2)
        return 0;
      r->xy[r->n_xy++] = (guint16) n->i;
      return 1;
    default:
      return r->key == KEY_OTHER && r->depth > 3;
    }
}

static int
cb_null (void *ctx)
{
  return on_value (ctx, NULL, NULL, 0, -1);
}

static int
cb_boolean (void *ctx,
            int   value)
{
  return on_value (ctx, NULL, NULL, 0, value ? 1 : 0);
}

static int
cb_number (void       *ctx,
           const char *text,
           size_t      length)
{
  SimJsonNumber n;

  if (!sim_json_number_read (text, length, &n))
    return 0;
  return on_value (ctx, &n, NULL, 0, -1);
}

static int
cb_string (void                *ctx,
           const unsigned char *text,
           size_t               length)
{
  return on_value (ctx, NULL, (const char *) text, length, -1);
}

static int
cb_map_key (void                *ctx,
            const unsigned char *key,
            size_t               length)
{
  Reader *r = ctx;

  if (r->depth == 1)
    {
      r->member = MEMBER_OTHER;
      for (guint m = 1; m < G_N_ELEMENTS (member_names); m++)
        if (strlen (member_names[m]) == length && memcmp (member_names[m], key, length) == 0)
          r->member = (Member) m;
      /* A repeated member is left to the tree reader. */
      if (r->member != MEMBER_OTHER && r->seen[r->member])
        return 0;
      r->seen[r->member] = TRUE;
      return 1;
    }
  if (r->depth == 3 && r->member == MEMBER_TRAJECTORIES)
    {
      RawTrajectory *t = current (r);

      r->key = KEY_OTHER;
      if (length == 5 && memcmp (key, "level", 5) == 0)
        {
          if (t->has_level)
            return 0;
          r->key = KEY_LEVEL;
        }
      else if (length == 5 && memcmp (key, "cells", 5) == 0)
        {
          if (t->cells != NULL)
            return 0;
          r->key = KEY_CELLS;
        }
    }
  return 1;
}

static int
cb_start_map (void *ctx)
{
  Reader *r = ctx;

  if (r->depth >= SIM_JSON_MAX_DEPTH - 1)
    return 0;
  r->depth++;
  if (r->depth == 1 || r->member == MEMBER_OTHER)
    return 1;
  if (r->depth == 3 && r->member == MEMBER_TRAJECTORIES)
    {
      RawTrajectory t = { 0 };

      if (r->n_trajectories >= SIM_DEMOS_MAX_TRAJECTORIES)
        return 0;
      r->n_trajectories++;
      g_array_append_val (r->trajectories, t);
      r->key = KEY_OTHER;
      return 1;
    }
  return r->depth > 4 && r->key == KEY_OTHER;
}

static int
cb_end_map (void *ctx)
{
  Reader *r = ctx;

  r->depth--;
  if (r->depth == 0)
    sim_json_tail_end (&r->tail, yajl_get_bytes_consumed (r->handle));
  if (r->depth == 2 && r->member == MEMBER_TRAJECTORIES)
    {
      RawTrajectory *t = current (r);

      r->key = KEY_OTHER;
      if (!t->has_level || t->cells == NULL)
        return 0;
      if (r->demos != NULL)
        {
          if (!add_trajectory (r, t))
            return 0;
          g_array_set_size (r->trajectories, r->trajectories->len - 1);
        }
    }
  return 1;
}

static int
cb_start_array (void *ctx)
{
  Reader *r = ctx;

  if (r->depth == 0 || r->depth >= SIM_JSON_MAX_DEPTH - 1)
    return 0;
  r->depth++;
  if (r->member == MEMBER_OTHER)
    return 1;
  switch (r->depth)
    {
    case 2:
      if (r->member == MEMBER_LEVELS)
        {
          r->levels = g_ptr_array_new_with_free_func (g_free);
          return 1;
        }
      if (r->member == MEMBER_TRAJECTORIES)
        {
          r->trajectories = g_array_new (FALSE, FALSE, sizeof (RawTrajectory));
          g_array_set_clear_func (r->trajectories, raw_trajectory_clear);
          return 1;
        }
      return 0;
    case 4:
      if (r->key == KEY_CELLS)
        {
          current (r)->cells = g_array_new (FALSE, FALSE, 2 * sizeof (guint16));
          return 1;
        }
      return r->key == KEY_OTHER;
    case 5:
      r->n_xy = 0;
      return r->key == KEY_CELLS || r->key == KEY_OTHER;
    default:
      return r->depth > 3 && r->key == KEY_OTHER;
    }
}

static int
cb_end_array (void *ctx)
{
  Reader *r = ctx;

  r->depth--;
  if (r->member == MEMBER_OTHER)
    return 1;
  if (r->depth == 4 && r->key == KEY_CELLS)
    {
      /* The end of a cell [x, y]. */
      if (r->n_xy != 2)
        return 0;
      g_array_append_vals (current (r)->cells, r->xy, 1);
      return 1;
    }
  if (r->depth == 1 && ((r->member == MEMBER_LEVELS && r->levels->len == 0) ||
                        (r->member == MEMBER_TRAJECTORIES && r->n_trajectories == 0)))
    return 0;
  /* The levels read after the scenario: the demos can be made. */
  if (r->depth == 1 && r->member == MEMBER_LEVELS && r->scenario != NULL && !make_demos (r))
    return 0;
  return 1;
}

static const yajl_callbacks callbacks = {
  .yajl_null = cb_null,
  .yajl_boolean = cb_boolean,
  .yajl_number = cb_number,
  .yajl_string = cb_string,
  .yajl_start_map = cb_start_map,
  .yajl_map_key = cb_map_key,
  .yajl_end_map = cb_end_map,
  .yajl_start_array = cb_start_array,
  .yajl_end_array = cb_end_array,
};

static gboolean
feed (Reader      *r,
      yajl_handle  handle,
      const char  *data,
      gsize        length)
{
  return sim_json_plain_text (data, length, TRUE, &r->escape) &&
         yajl_parse (handle, (const unsigned char *) data, length) == yajl_status_ok &&
         sim_json_tail_check (&r->tail, data, length);
}

/* The demos from what was read, with every check of the tree reader; NULL if one fails. */
static SimDemos *
reader_finish (Reader *r)
{
  if (r->trajectories == NULL || (r->demos == NULL && !make_demos (r)))
    return NULL;
  for (guint i = 0; i < r->trajectories->len; i++)
    if (!add_trajectory (r, &g_array_index (r->trajectories, RawTrajectory, i)))
      return NULL;
  r->demos->near_corner = r->near_corner;
  return g_steal_pointer (&r->demos);
}

static yajl_handle
reader_start (Reader *r)
{
  memset (r, 0, sizeof *r);
  r->near_corner = TRUE;
  r->handle = yajl_alloc (&callbacks, NULL, r);
  return r->handle;
}

static SimDemos *
reader_end (Reader      *r,
            yajl_handle  handle,
            gboolean     ok)
{
  SimDemos *demos = NULL;

  if (ok && yajl_complete_parse (handle) == yajl_status_ok && r->depth == 0)
    demos = reader_finish (r);
  yajl_free (handle);
  g_clear_pointer (&r->scenario, g_free);
  g_clear_pointer (&r->levels, g_ptr_array_unref);
  g_clear_pointer (&r->trajectories, g_array_unref);
  g_clear_pointer (&r->demos, sim_demos_free);
  g_clear_pointer (&r->cells, g_free);
  return demos;
}

SimDemos *
sim_demos_stream_parse (const char *text,
                        gsize       length)
{
  Reader r;
  yajl_handle handle = reader_start (&r);

  return reader_end (&r, handle, feed (&r, handle, text, length));
}

/* sim_json_feed_file()'s pieces into the parser. */
typedef struct
{
  Reader *reader;
  yajl_handle handle;
} Feed;

static gboolean
feed_piece (const char *data,
            gsize       length,
            gpointer    user_data)
{
  Feed *f = user_data;

  return feed (f->reader, f->handle, data, length);
}

SimDemos *
sim_demos_stream_load (const char  *path,
                       GError     **error)
{
  GError *local_error = NULL;
  Reader r;
  Feed f = { &r, reader_start (&r) };
  gboolean ok;

  ok = sim_json_feed_file (path, SIM_DEMOS_MAX_FILE_SIZE, "a demos JSON file", path,
                           SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO, feed_piece, &f, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      ok = FALSE;
    }
  return reader_end (&r, f.handle, ok);
}
