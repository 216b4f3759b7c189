/* sim-demos.c: demonstration files (levels and the trajectories recorded on them)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-demos.h"
#include "sim-json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sim-scenario.h"

G_DEFINE_QUARK (sim-demos-error-quark, sim_demos_error)

static void
trajectory_clear (gpointer data)
{
  SimDemoTrajectory *tr = data;

  g_clear_pointer (&tr->cells, g_free);
}

SimDemos *
sim_demos_new (SimScenarioKind scenario,
               gboolean        near_corner)
{
  SimDemos *demos;

  g_return_val_if_fail ((guint) scenario < SIM_N_SCENARIOS, NULL);

  demos = g_new0 (SimDemos, 1);
  demos->scenario = scenario;
  demos->near_corner = near_corner;
  demos->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_level_unref);
  demos->trajectories = g_array_new (FALSE, FALSE, sizeof (SimDemoTrajectory));
  g_array_set_clear_func (demos->trajectories, trajectory_clear);
  return demos;
}

void
sim_demos_free (SimDemos *demos)
{
  if (demos == NULL)
    return;
  g_ptr_array_unref (demos->levels);
  g_array_unref (demos->trajectories);
  g_free (demos);
}

int
sim_demos_add_level (SimDemos *demos,
                     SimLevel *level)
{
  g_return_val_if_fail (demos != NULL && level != NULL, -1);
  g_ptr_array_add (demos->levels, sim_level_ref (level));
  return (int) demos->levels->len - 1;
}

/* The checks of one trajectory. On failure sets *step to the offending step (or -1 for the
 * trajectory as a whole) and returns the message. */
static char *
check_trajectory (const SimLevel *level,
                  int             level_index,
                  const int      *cells,
                  int             length,
                  int            *step)
{
  int w = level->width;
  int n = level->width * level->height;

  *step = -1;
  if (length < 1)
    return g_strdup ("no cells (expected at least the start cell)");
  if (length - 1 > level->horizon)
    return g_strdup_printf ("%d steps exceed the horizon %d of level %d", length - 1,
                            level->horizon, level_index);
  for (int t = 0; t < length; t++)
    {
      int s = cells[t];
      int x, y, px, py;
      SimCell prev;

      *step = t;
      if (s < 0 || s >= n)
        return g_strdup_printf ("cell index %d is off the %d×%d grid", s, level->width,
                                level->height);
      x = s % w;
      y = s / w;
      if (level->cells[s] == SIM_CELL_WALL)
        return g_strdup_printf ("cell (%d, %d) is a wall", x, y);
      if (t == 0)
        {
          if (s != level->start)
            return g_strdup_printf ("the trajectory starts at (%d, %d), but level %d starts "
                                    "at (%d, %d)", x, y, level_index, level->start % w,
                                    level->start / w);
          continue;
        }
      px = cells[t - 1] % w;
      py = cells[t - 1] / w;
      prev = (SimCell) level->cells[cells[t - 1]];
      if (sim_cell_is_terminal (prev))
        return g_strdup_printf ("the trajectory continues after entering the %s at (%d, %d) "
                                "at step %d", prev == SIM_CELL_LAVA ? "lava"
                                              : prev == SIM_CELL_COIN ? "coin" : "exit",
                                px, py, t - 1);
      if (abs (x - px) + abs (y - py) > 1)
        return g_strdup_printf ("(%d, %d) → (%d, %d) is not a single move", px, py, x, y);
    }
  *step = -1;
  return NULL;
}

gboolean
sim_demos_add_trajectory (SimDemos   *demos,
                          int         level,
                          const int  *cells,
                          int         length,
                          GError    **error)
{
  SimDemoTrajectory tr;
  g_autofree char *message = NULL;
  int step;

  g_return_val_if_fail (demos != NULL, FALSE);

  if (level < 0 || (guint) level >= demos->levels->len)
    {
      g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_INVALID,
                   "level %d is out of range (there are %u levels)", level, demos->levels->len);
      return FALSE;
    }
  message = check_trajectory (g_ptr_array_index (demos->levels, level), level, cells, length,
                              &step);
  if (message != NULL)
    {
      if (step >= 0)
        g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_INVALID, "step %d: %s", step,
                     message);
      else
        g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_INVALID, "%s", message);
      return FALSE;
    }
  tr.level = level;
  tr.length = length;
  tr.cells = g_memdup2 (cells, sizeof (int) * length);
  g_array_append_val (demos->trajectories, tr);
  return TRUE;
}

/* Parsing. */

typedef struct
{
  const char *filename;
  GError **error;
} Ctx;

static gboolean fail (Ctx        *ctx,
                      int         code,
                      const char *format,
                      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Ctx        *ctx,
      int         code,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;
  g_autofree char *full = NULL;
  g_autofree char *valid = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* json-glib decodes a lone surrogate escape ("\ud800") to bytes that are not UTF-8, and
   * quoted values end up in the message: keep it displayable. */
  full = g_strdup_printf ("%s: %s", ctx->filename, message);
  valid = g_utf8_make_valid (full, -1);
  g_set_error_literal (ctx->error, SIM_DEMOS_ERROR, code, valid);
  return FALSE;
}

static gboolean
is_json_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* json-glib 1.6 accepts a second value after the first ("{…}{…}"), keeps the first and leaks
 * the rest. Returns where the first value ends (the whole length when it does not end: the
 * parser then reports the syntax error) and sets *trailing to the first non-blank byte
 * after it, or NULL. */
static gsize
first_value_end (const char  *data,
                 gsize        length,
                 const char **trailing)
{
  gsize i = 0, end;
  int depth = 0;
  gboolean in_string = FALSE;

  *trailing = NULL;
  while (i < length && is_json_blank (data[i]))
    i++;
  if (i < length && (data[i] == '{' || data[i] == '[' || data[i] == '"'))
    {
      for (; i < length; i++)
        {
          char c = data[i];

          if (in_string)
            {
              if (c == '\\')
                i++;
              else if (c == '"')
                in_string = FALSE;
            }
          else if (c == '"')
            in_string = TRUE;
          else if (c == '{' || c == '[')
            depth++;
          else if (c == '}' || c == ']')
            depth--;
          if (!in_string && depth <= 0)
            break;
        }
      if (i >= length)
        return length;
      i++;
    }
  else
    {
      while (i < length && !is_json_blank (data[i]) && strchr ("{}[],:\"", data[i]) == NULL)
        i++;
    }
  end = i;
  while (i < length && is_json_blank (data[i]))
    i++;
  if (i < length)
    *trailing = data + i;
  return end;
}

/* "at line L, column C" of a position in data (both 1-based, columns in characters). */
static char *
place_of (const char *data,
          const char *at)
{
  const char *line_start = data;
  int line = 1;

  for (const char *c = data; c < at; c++)
    if (*c == '\n')
      {
        line++;
        line_start = c + 1;
      }
  return g_strdup_printf ("at line %d, column %ld", line,
                          g_utf8_strlen (line_start, at - line_start) + 1);
}

/* json-glib says "<data>:LINE:COL: Parse error: WHAT"; this gives " at line LINE, column
 * COL: WHAT" (or ": MESSAGE" for any other form). */
static char *
json_error_place (const char *message)
{
  int line = 0, col = 0, used = 0;

  if (sscanf (message, "<data>:%d:%d: %n", &line, &col, &used) == 2 && used > 0)
    {
      const char *what = message + used;
      if (g_str_has_prefix (what, "Parse error: "))
        what += strlen ("Parse error: ");
      /* json-glib quotes the offending text, line breaks included: keep one line. */
      return g_strdelimit (g_strdup_printf (" at line %d, column %d: %s", line, col, what),
                           "\r\n\t", ' ');
    }
  return g_strdelimit (g_strdup_printf (": %s", message), "\r\n\t", ' ');
}

static gboolean
node_get_int (JsonNode *node,
              gint64   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double v = json_node_get_double (node);
      if (isfinite (v) && v == floor (v) && fabs (v) < 9e15)
        {
          *out = (gint64) v;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
node_type_name (JsonNode *node)
{
  if (node == NULL)
    return "nothing";
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);
        if (type == G_TYPE_STRING)
          return "a string";
        if (type == G_TYPE_BOOLEAN)
          return "a boolean";
        return "a number";
      }
    }
}

SimDemos *
sim_demos_parse (const char  *text,
                 gssize       length,
                 const char  *filename,
                 GError     **error)
{
  Ctx ctx = { filename != NULL ? filename : "<input>", error };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  const char *trailing = NULL;
  gsize end;
  g_autoptr (SimDemos) demos = NULL;
  g_autofree int *cells = NULL;
  JsonNode *root_node, *node;
  JsonObject *root;
  JsonArray *levels, *trajs;
  SimScenarioKind scenario;
  gboolean near_corner = TRUE;
  const char *name;
  guint n_levels, n_trajs;
  int max_cells = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  if (memchr (text, '\0', length) != NULL || !g_utf8_validate_len (text, length, NULL))
    {
      fail (&ctx, SIM_DEMOS_ERROR_PARSE, "not a JSON text file (binary data or not UTF-8)");
      return NULL;
    }
  /* Only the first value goes to the parser; anything after it is an error of its own. */
  end = first_value_end (text, length, &trailing);
  {
    SimJsonScan scan;

    /* json-glib leaks on broken surrogate pairs and lets bad escapes through. */
    sim_json_scan (text, length, &scan);
    if (scan.bad != NULL)
      {
        g_autofree char *where = place_of (text, scan.bad);
        fail (&ctx, SIM_DEMOS_ERROR_PARSE, "%s %s", scan.problem, where);
        return NULL;
      }
  }
  if (!json_parser_load_from_data (parser, text, end, &local_error))
    {
      g_autofree char *where = json_error_place (local_error->message);
      fail (&ctx, SIM_DEMOS_ERROR_PARSE, "not valid JSON%s", where);
      return NULL;
    }
  if (trailing != NULL)
    {
      g_autofree char *where = place_of (text, trailing);
      fail (&ctx, SIM_DEMOS_ERROR_PARSE, "unexpected text %s, after the end of the JSON data (expected one "
            "object)", where);
      return NULL;
    }
  root_node = json_parser_get_root (parser);
  if (root_node == NULL)
    {
      fail (&ctx, SIM_DEMOS_ERROR_PARSE, "empty file (expected a JSON object)");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      fail (&ctx, SIM_DEMOS_ERROR_PARSE, "expected a JSON object at the top level, found %s",
            node_type_name (root_node));
      return NULL;
    }
  root = json_node_get_object (root_node);

  node = json_object_get_member (root, "scenario");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (&ctx, SIM_DEMOS_ERROR_PARSE, "\"scenario\" is %s (expected a string: \"coin\" or "
            "\"green-exit\")", node == NULL ? "missing" : node_type_name (node));
      return NULL;
    }
  name = json_node_get_string (node);
  if (!sim_scenario_from_string (name, &scenario))
    {
      fail (&ctx, SIM_DEMOS_ERROR_INVALID, "unknown scenario \"%s\" (expected \"coin\" or "
            "\"green-exit\")", name);
      return NULL;
    }
  if (scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      fail (&ctx, SIM_DEMOS_ERROR_INVALID, "scenario \"%s\" is not supported by MaxEnt "
            "inference (its agent is not a soft-optimal planner; expected \"coin\" or "
            "\"green-exit\")", name);
      return NULL;
    }
  node = json_object_get_member (root, "near_corner");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          fail (&ctx, SIM_DEMOS_ERROR_PARSE, "\"near_corner\" is %s (expected true or false)",
                node_type_name (node));
          return NULL;
        }
      near_corner = json_node_get_boolean (node);
    }
  demos = sim_demos_new (scenario, near_corner);

  node = json_object_get_member (root, "levels");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (&ctx, SIM_DEMOS_ERROR_PARSE, "\"levels\" is %s (expected an array of level "
            "texts)", node == NULL ? "missing" : node_type_name (node));
      return NULL;
    }
  levels = json_node_get_array (node);
  n_levels = json_array_get_length (levels);
  if (n_levels == 0 || n_levels > SIM_DEMOS_MAX_LEVELS)
    {
      fail (&ctx, SIM_DEMOS_ERROR_INVALID, "\"levels\" has %u entries (expected 1 to %d)",
            n_levels, SIM_DEMOS_MAX_LEVELS);
      return NULL;
    }
  for (guint i = 0; i < n_levels; i++)
    {
      JsonNode *ln = json_array_get_element (levels, i);
      g_autofree char *where = NULL;
      g_autoptr (SimLevel) level = NULL;
      g_autoptr (GError) level_error = NULL;

      if (!JSON_NODE_HOLDS_VALUE (ln) || json_node_get_value_type (ln) != G_TYPE_STRING)
        {
          fail (&ctx, SIM_DEMOS_ERROR_PARSE, "levels[%u] is %s (expected the text of a level "
                "file)", i, node_type_name (ln));
          return NULL;
        }
      /* The level parser's messages read "WHERE:LINE:COL: …". */
      where = g_strdup_printf ("%s: levels[%u]", ctx.filename, i);
      level = sim_level_parse (json_node_get_string (ln), -1, where, &level_error);
      if (level == NULL)
        {
          g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_INVALID, "%s",
                       level_error->message);
          return NULL;
        }
      if (!sim_level_validate (level, &level_error))
        {
          fail (&ctx, SIM_DEMOS_ERROR_INVALID, "levels[%u]: %s", i, level_error->message);
          return NULL;
        }
      if (level->scenario != scenario)
        {
          fail (&ctx, SIM_DEMOS_ERROR_INVALID, "levels[%u] is a \"%s\" level, but the file's "
                "scenario is \"%s\"", i, sim_scenario_to_string (level->scenario),
                sim_scenario_to_string (scenario));
          return NULL;
        }
      max_cells = MAX (max_cells, level->horizon + 1);
      sim_demos_add_level (demos, level);
    }

  node = json_object_get_member (root, "trajectories");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (&ctx, SIM_DEMOS_ERROR_PARSE, "\"trajectories\" is %s (expected an array of "
            "{\"level\": N, \"cells\": [[x, y], …]})",
            node == NULL ? "missing" : node_type_name (node));
      return NULL;
    }
  trajs = json_node_get_array (node);
  n_trajs = json_array_get_length (trajs);
  if (n_trajs == 0)
    {
      fail (&ctx, SIM_DEMOS_ERROR_INVALID, "\"trajectories\" is empty (expected at least one "
            "trajectory)");
      return NULL;
    }
  if (n_trajs > SIM_DEMOS_MAX_TRAJECTORIES)
    {
      fail (&ctx, SIM_DEMOS_ERROR_INVALID, "\"trajectories\" has %u entries (at most %d)",
            n_trajs, SIM_DEMOS_MAX_TRAJECTORIES);
      return NULL;
    }

  cells = g_new (int, max_cells);
  for (guint i = 0; i < n_trajs; i++)
    {
      JsonNode *tn = json_array_get_element (trajs, i);
      JsonObject *tobj;
      JsonArray *carr;
      const SimLevel *level;
      gint64 li;
      guint n_cells;
      g_autofree char *message = NULL;
      int step;

      if (!JSON_NODE_HOLDS_OBJECT (tn))
        {
          fail (&ctx, SIM_DEMOS_ERROR_PARSE, "trajectories[%u] is %s (expected an object "
                "{\"level\": N, \"cells\": [[x, y], …]})", i, node_type_name (tn));
          return NULL;
        }
      tobj = json_node_get_object (tn);
      node = json_object_get_member (tobj, "level");
      if (!node_get_int (node, &li))
        {
          fail (&ctx, SIM_DEMOS_ERROR_PARSE, "trajectories[%u]: \"level\" is %s (expected a "
                "level index)", i,
                node == NULL ? "missing"
                : JSON_NODE_HOLDS_VALUE (node) &&
                  json_node_get_value_type (node) == G_TYPE_DOUBLE ? "not an integer"
                : node_type_name (node));
          return NULL;
        }
      if (li < 0 || li >= n_levels)
        {
          fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: level %" G_GINT64_FORMAT
                " is out of range (expected 0 to %u)", i, li, n_levels - 1);
          return NULL;
        }
      level = g_ptr_array_index (demos->levels, li);
      node = json_object_get_member (tobj, "cells");
      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        {
          fail (&ctx, SIM_DEMOS_ERROR_PARSE, "trajectories[%u]: \"cells\" is %s (expected an "
                "array of [x, y])", i, node == NULL ? "missing" : node_type_name (node));
          return NULL;
        }
      carr = json_node_get_array (node);
      n_cells = json_array_get_length (carr);
      if (n_cells == 0)
        {
          fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: \"cells\" is empty (expected "
                "at least the start cell)", i);
          return NULL;
        }
      if (n_cells > (guint) level->horizon + 1)
        {
          fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: %u steps exceed the horizon "
                "%d of level %" G_GINT64_FORMAT, i, n_cells - 1, level->horizon, li);
          return NULL;
        }
      for (guint t = 0; t < n_cells; t++)
        {
          JsonNode *cn = json_array_get_element (carr, t);
          JsonArray *xy = JSON_NODE_HOLDS_ARRAY (cn) ? json_node_get_array (cn) : NULL;
          gint64 x, y;

          if (xy == NULL || json_array_get_length (xy) != 2 ||
              !node_get_int (json_array_get_element (xy, 0), &x) ||
              !node_get_int (json_array_get_element (xy, 1), &y))
            {
              fail (&ctx, SIM_DEMOS_ERROR_PARSE, "trajectories[%u].cells[%u]: expected a cell "
                    "[x, y] of two integers", i, t);
              return NULL;
            }
          if (x < 0 || x >= level->width || y < 0 || y >= level->height)
            {
              fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u].cells[%u]: cell (%"
                    G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") is off the %d×%d grid of level %"
                    G_GINT64_FORMAT, i, t, x, y, level->width, level->height, li);
              return NULL;
            }
          cells[t] = sim_level_index (level, (int) x, (int) y);
        }
      message = check_trajectory (level, (int) li, cells, (int) n_cells, &step);
      if (message != NULL)
        {
          if (step >= 0)
            fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u].cells[%d]: %s", i, step,
                  message);
          else
            fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: %s", i, message);
          return NULL;
        }
      if (!sim_demos_add_trajectory (demos, (int) li, cells, (int) n_cells, &local_error))
        {
          fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: %s", i, local_error->message);
          return NULL;
        }
    }

  return g_steal_pointer (&demos);
}

SimDemos *
sim_demos_load (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) local_error = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO, "%s: cannot open: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO,
                   "%s: not a regular file (expected a demos JSON file)", path);
      return NULL;
    }
  if (st.st_size > SIM_DEMOS_MAX_FILE_SIZE)
    {
      g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO,
                   "%s: file too large (%" G_GINT64_FORMAT " bytes; at most %d)", path,
                   (gint64) st.st_size, SIM_DEMOS_MAX_FILE_SIZE);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  return sim_demos_parse (contents, (gssize) length, path, error);
}

char *
sim_demos_to_string (const SimDemos *demos)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  g_return_val_if_fail (demos != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, sim_scenario_to_string (demos->scenario));
  if (!demos->near_corner)
    {
      json_builder_set_member_name (builder, "near_corner");
      json_builder_add_boolean_value (builder, FALSE);
    }
  json_builder_set_member_name (builder, "levels");
  json_builder_begin_array (builder);
  for (guint i = 0; i < demos->levels->len; i++)
    {
      g_autofree char *text = sim_level_to_string (g_ptr_array_index (demos->levels, i));
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "trajectories");
  json_builder_begin_array (builder);
  for (guint i = 0; i < demos->trajectories->len; i++)
    {
      const SimDemoTrajectory *tr = &g_array_index (demos->trajectories, SimDemoTrajectory, i);
      const SimLevel *level = g_ptr_array_index (demos->levels, tr->level);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "level");
      json_builder_add_int_value (builder, tr->level);
      json_builder_set_member_name (builder, "cells");
      json_builder_begin_array (builder);
      for (int t = 0; t < tr->length; t++)
        {
          json_builder_begin_array (builder);
          json_builder_add_int_value (builder, tr->cells[t] % level->width);
          json_builder_add_int_value (builder, tr->cells[t] / level->width);
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);
  return json_generator_to_data (generator, NULL);
}

gboolean
sim_demos_save (const SimDemos  *demos,
                const char      *path,
                GError         **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (demos != NULL && path != NULL, FALSE);

  text = sim_demos_to_string (demos);
  if (!g_file_set_contents (path, text, -1, &local_error))
    {
      g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO, "%s: %s", path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
