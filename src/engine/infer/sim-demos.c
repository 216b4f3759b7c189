/* sim-demos.c: demonstration files (levels and the trajectories recorded on them)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-demos.h"
#include "sim-demos-private.h"
#include "sim-json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sim-file.h"
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

/* Counts the scan finds without a tree, checked before the parser builds one: a large file
 * with no trajectories or too many is refused at the cost of reading it. The messages are
 * those of the checks on the tree. */
static gboolean
check_counts (SimJsonCtx         *ctx,
              const SimJsonMember *members)
{
  const SimJsonMember *levels = &members[0], *trajectories = &members[1];

  if (!sim_json_member_is_array (levels))
    return TRUE;
  if (levels->n_elements == 0 || levels->n_elements > SIM_DEMOS_MAX_LEVELS)
    return sim_json_fail (ctx, SIM_DEMOS_ERROR_INVALID, "\"levels\" has %u entries (expected 1 to %d)",
                 levels->n_elements, SIM_DEMOS_MAX_LEVELS);
  if (sim_json_member_is_array (trajectories) && trajectories->n_elements == 0)
    return sim_json_fail (ctx, SIM_DEMOS_ERROR_INVALID, "\"trajectories\" is empty (expected at least "
                 "one trajectory)");
  if (sim_json_member_is_array (trajectories) && trajectories->n_elements > SIM_DEMOS_MAX_TRAJECTORIES)
    return sim_json_fail (ctx, SIM_DEMOS_ERROR_INVALID, "\"trajectories\" has %u entries (at most %d)",
                 trajectories->n_elements, SIM_DEMOS_MAX_TRAJECTORIES);
  return TRUE;
}

SimDemos *
sim_demos_parse_tree (const char  *text,
                      gssize       length,
                      const char  *filename,
                      GError     **error)
{
  SimJsonCtx ctx = { filename != NULL ? filename : "<input>", SIM_DEMOS_ERROR, error };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
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
  SimJsonMember members[] = { { .name = "levels" }, { .name = "trajectories" } };
  gsize end;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  if (!sim_json_check (text, length, ctx.filename, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_PARSE,
                       members, G_N_ELEMENTS (members), &end, error) ||
      !check_counts (&ctx, members) ||
      !sim_json_parse (parser, text, end, ctx.filename, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_PARSE,
                       error))
    return NULL;
  root_node = json_parser_get_root (parser);
  if (root_node == NULL)
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "empty file (expected a JSON object)");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "expected a JSON object at the top level, found %s",
            node_type_name (root_node));
      return NULL;
    }
  root = json_node_get_object (root_node);

  node = json_object_get_member (root, "scenario");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "\"scenario\" is %s (expected a string: \"coin\" or "
            "\"green-exit\")", node == NULL ? "missing" : node_type_name (node));
      return NULL;
    }
  name = json_node_get_string (node);
  if (!sim_scenario_from_string (name, &scenario))
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "unknown scenario \"%s\" (expected \"coin\" or "
            "\"green-exit\")", name);
      return NULL;
    }
  if (scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "scenario \"%s\" is not supported by MaxEnt "
            "inference (its agent is not a soft-optimal planner; expected \"coin\" or "
            "\"green-exit\")", name);
      return NULL;
    }
  node = json_object_get_member (root, "near_corner");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "\"near_corner\" is %s (expected true or false)",
                node_type_name (node));
          return NULL;
        }
      near_corner = json_node_get_boolean (node);
    }
  demos = sim_demos_new (scenario, near_corner);

  node = json_object_get_member (root, "levels");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "\"levels\" is %s (expected an array of level "
            "texts)", node == NULL ? "missing" : node_type_name (node));
      return NULL;
    }
  levels = json_node_get_array (node);
  n_levels = json_array_get_length (levels);
  if (n_levels == 0 || n_levels > SIM_DEMOS_MAX_LEVELS)
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "\"levels\" has %u entries (expected 1 to %d)",
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
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "levels[%u] is %s (expected the text of a level "
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
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "levels[%u]: %s", i, level_error->message);
          return NULL;
        }
      if (level->scenario != scenario)
        {
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "levels[%u] is a \"%s\" level, but the file's "
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
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "\"trajectories\" is %s (expected an array of "
            "{\"level\": N, \"cells\": [[x, y], …]})",
            node == NULL ? "missing" : node_type_name (node));
      return NULL;
    }
  trajs = json_node_get_array (node);
  n_trajs = json_array_get_length (trajs);
  if (n_trajs == 0)
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "\"trajectories\" is empty (expected at least one "
            "trajectory)");
      return NULL;
    }
  if (n_trajs > SIM_DEMOS_MAX_TRAJECTORIES)
    {
      sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "\"trajectories\" has %u entries (at most %d)",
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
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "trajectories[%u] is %s (expected an object "
                "{\"level\": N, \"cells\": [[x, y], …]})", i, node_type_name (tn));
          return NULL;
        }
      tobj = json_node_get_object (tn);
      node = json_object_get_member (tobj, "level");
      if (!sim_json_node_get_int (node, &li))
        {
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "trajectories[%u]: \"level\" is %s (expected a "
                "level index)", i,
                node == NULL ? "missing"
                : JSON_NODE_HOLDS_VALUE (node) &&
                  json_node_get_value_type (node) == G_TYPE_DOUBLE ? "not an integer"
                : node_type_name (node));
          return NULL;
        }
      if (li < 0 || li >= n_levels)
        {
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: level %" G_GINT64_FORMAT
                " is out of range (expected 0 to %u)", i, li, n_levels - 1);
          return NULL;
        }
      level = g_ptr_array_index (demos->levels, li);
      node = json_object_get_member (tobj, "cells");
      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        {
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "trajectories[%u]: \"cells\" is %s (expected an "
                "array of [x, y])", i, node == NULL ? "missing" : node_type_name (node));
          return NULL;
        }
      carr = json_node_get_array (node);
      n_cells = json_array_get_length (carr);
      if (n_cells == 0)
        {
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: \"cells\" is empty (expected "
                "at least the start cell)", i);
          return NULL;
        }
      if (n_cells > (guint) level->horizon + 1)
        {
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: %u steps exceed the horizon "
                "%d of level %" G_GINT64_FORMAT, i, n_cells - 1, level->horizon, li);
          return NULL;
        }
      for (guint t = 0; t < n_cells; t++)
        {
          JsonNode *cn = json_array_get_element (carr, t);
          JsonArray *xy = JSON_NODE_HOLDS_ARRAY (cn) ? json_node_get_array (cn) : NULL;
          gint64 x, y;

          if (xy == NULL || json_array_get_length (xy) != 2 ||
              !sim_json_node_get_int (json_array_get_element (xy, 0), &x) ||
              !sim_json_node_get_int (json_array_get_element (xy, 1), &y))
            {
              sim_json_fail (&ctx, SIM_DEMOS_ERROR_PARSE, "trajectories[%u].cells[%u]: expected a cell "
                    "[x, y] of two integers", i, t);
              return NULL;
            }
          if (x < 0 || x >= level->width || y < 0 || y >= level->height)
            {
              sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u].cells[%u]: cell (%"
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
            sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u].cells[%d]: %s", i, step,
                  message);
          else
            sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: %s", i, message);
          return NULL;
        }
      if (!sim_demos_add_trajectory (demos, (int) li, cells, (int) n_cells, &local_error))
        {
          sim_json_fail (&ctx, SIM_DEMOS_ERROR_INVALID, "trajectories[%u]: %s", i, local_error->message);
          return NULL;
        }
    }

  return g_steal_pointer (&demos);
}

/* A plainly valid file is read by the streaming reader; any other by the tree reader, which
 * says what is wrong and where. */
SimDemos *
sim_demos_parse (const char  *text,
                 gssize       length,
                 const char  *filename,
                 GError     **error)
{
  SimJsonCtx ctx = { filename != NULL ? filename : "<input>", SIM_DEMOS_ERROR, error };
  SimJsonMember members[] = { { .name = "levels" }, { .name = "trajectories" } };
  SimDemos *demos;
  gsize end;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  /* The text is at hand: grammar and counts first, in constant memory. */
  if (!sim_json_check (text, length, ctx.filename, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_PARSE,
                       members, G_N_ELEMENTS (members), &end, error) ||
      !check_counts (&ctx, members))
    return NULL;
  demos = sim_demos_stream_parse (text, (gsize) length);
  if (demos != NULL)
    return demos;
  return sim_demos_parse_tree (text, length, filename, error);
}

SimDemos *
sim_demos_load (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length = 0;
  SimDemos *demos;

  g_return_val_if_fail (path != NULL, NULL);

  demos = sim_demos_stream_load (path, &local_error);
  if (demos != NULL)
    return demos;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  contents = sim_json_read_file (path, SIM_DEMOS_MAX_FILE_SIZE, "a demos JSON file", path,
                                 SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO, &length, error);
  if (contents == NULL)
    return NULL;
  return sim_demos_parse_tree (contents, (gssize) length, path, error);
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
  if (!sim_file_write (path, text, -1, &local_error))
    {
      g_set_error (error, SIM_DEMOS_ERROR, SIM_DEMOS_ERROR_IO, "%s: %s", path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
