/* cli-sweep-file.c: the grid of mesascope-cli sweep and its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every row is printed and read back as soon as it is made (cli_sweep_row_new), and every file
 * is printed by cli_json_text(): a row therefore prints the same whether it was just computed,
 * resumed from a partial file or merged from a shard, and so does the summary computed from
 * the rows. That is what makes merged shards equal the unsharded file byte for byte.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cli.h"
#include "cli-sweep.h"
#include "sim-json.h"

const CliValueOption cli_sweep_lists[CLI_SWEEP_N_AXES] = {
  { "--scenario", G_STRUCT_OFFSET (CliTrainOptions, scenario) },
  { "--agent", G_STRUCT_OFFSET (CliTrainOptions, agent) },
  { "--optimizer", G_STRUCT_OFFSET (CliTrainOptions, optimizer) },
  { "--perception", G_STRUCT_OFFSET (CliTrainOptions, perception) },
  { "--diversity", G_STRUCT_OFFSET (CliTrainOptions, diversity) },
  { "--grid", G_STRUCT_OFFSET (CliTrainOptions, grid) },
  { "--iterations", G_STRUCT_OFFSET (CliTrainOptions, iterations) },
  { "--infer-every", G_STRUCT_OFFSET (CliTrainOptions, infer_every) },
  { "--planning-depth", G_STRUCT_OFFSET (CliTrainOptions, planning_depth) },
  { "--seeds", G_STRUCT_OFFSET (CliTrainOptions, seed) },
};

const char *const cli_sweep_keys[CLI_SWEEP_N_AXES] = {
  "scenario", "agent", "optimizer", "perception", "diversity", "grid", "iterations",
  "infer_every", "planning_depth", "seeds",
};

/* Sweep files are read whole; 1 GiB holds about a million runs. */
#define SWEEP_FILE_MAX_SIZE (G_GINT64_CONSTANT (1) << 30)

void
cli_sweep_grid_init (CliSweepGrid *grid)
{
  for (int k = 0; k < CLI_SWEEP_N_AXES; k++)
    grid->values[k] = g_ptr_array_new_with_free_func (g_free);
  grid->no_near_corner = FALSE;
}

void
cli_sweep_grid_clear (CliSweepGrid *grid)
{
  for (int k = 0; k < CLI_SWEEP_N_AXES; k++)
    g_clear_pointer (&grid->values[k], g_ptr_array_unref);
}

guint64
cli_sweep_grid_n_runs (const CliSweepGrid *grid)
{
  guint64 n = 1;

  /* Past the most a sweep may have the count stops growing, so it cannot overflow. */
  for (int k = 0; k < CLI_SWEEP_N_AXES && n <= CLI_SWEEP_MAX_RUNS; k++)
    n *= MAX (grid->values[k]->len, 1);
  return n;
}

guint
cli_sweep_grid_n_seeds (const CliSweepGrid *grid)
{
  return MAX (grid->values[CLI_SWEEP_N_AXES - 1]->len, 1);
}

void
cli_sweep_grid_options (const CliSweepGrid *grid,
                        guint64             r,
                        CliTrainOptions    *opts)
{
  memset (opts, 0, sizeof *opts);
  opts->no_near_corner = grid->no_near_corner;
  for (int k = CLI_SWEEP_N_AXES - 1; k >= 0; k--)
    {
      guint n = grid->values[k]->len;
      const char **slot = G_STRUCT_MEMBER_P (opts, cli_sweep_lists[k].offset);

      if (n == 0)
        continue;
      *slot = g_ptr_array_index (grid->values[k], r % n);
      r /= n;
    }
}

JsonNode *
cli_sweep_grid_to_json (const CliSweepGrid *grid)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (int k = 0; k < CLI_SWEEP_N_AXES; k++)
    {
      if (grid->values[k]->len == 0)
        continue;
      json_builder_set_member_name (builder, cli_sweep_keys[k]);
      json_builder_begin_array (builder);
      for (guint i = 0; i < grid->values[k]->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (grid->values[k], i));
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "no_near_corner");
  json_builder_add_boolean_value (builder, grid->no_near_corner);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
cli_sweep_grid_from_json (JsonNode      *node,
                          CliSweepGrid  *grid,
                          GError       **error)
{
  JsonObject *object;
  JsonNode *flag;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  object = json_node_get_object (node);
  for (int k = 0; k < CLI_SWEEP_N_AXES; k++)
    {
      JsonNode *list = json_object_get_member (object, cli_sweep_keys[k]);
      JsonArray *array;

      if (list == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (list))
        goto bad;
      array = json_node_get_array (list);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *value = json_array_get_element (array, i);

          if (json_node_get_value_type (value) != G_TYPE_STRING)
            goto bad;
          g_ptr_array_add (grid->values[k], g_strdup (json_node_get_string (value)));
        }
      if (grid->values[k]->len == 0)
        goto bad;
    }
  flag = json_object_get_member (object, "no_near_corner");
  if (flag == NULL || json_node_get_value_type (flag) != G_TYPE_BOOLEAN)
    goto bad;
  grid->no_near_corner = json_node_get_boolean (flag);
  return TRUE;

bad:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               "\"sweep\" is not the grid of a sweep (lists of option values)");
  return FALSE;
}

JsonNode *
cli_sweep_row_new (guint64              index,
                   const SimConfig     *config,
                   const SimSweepFinal *final)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, (gint64) index);
  sim_config_to_json (config, builder, FALSE);
  cli_train_add_final (builder, final);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = cli_json_text (root);
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    g_assert_not_reached ();
  return json_node_copy (json_parser_get_root (parser));
}

guint64
cli_sweep_row_index (JsonNode *row)
{
  return (guint64) json_object_get_int_member (json_node_get_object (row), "index");
}

/* The scalars of node (and, with arrays, of its arrays) by their path, in order: names and
 * nodes (borrowed from node). */
static void
flatten (JsonNode   *node,
         const char *path,
         gboolean    arrays,
         GPtrArray  *names,
         GPtrArray  *nodes)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr (GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *sub = *path != '\0' ? g_strconcat (path, ".", l->data, NULL)
                                               : g_strdup (l->data);

          flatten (json_object_get_member (object, l->data), sub, arrays, names, nodes);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && arrays; i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s.%u", path, i);

          flatten (json_array_get_element (array, i), sub, arrays, names, nodes);
        }
    }
  else
    {
      g_ptr_array_add (names, g_strdup (path));
      g_ptr_array_add (nodes, node);
    }
}

/* One grid point's summary: its options, how many runs it has, and each figure's mean and
 * 95 % Student-t interval over the runs that have it (null with fewer than two). */
static JsonNode *
summary_point (guint64    point,
               JsonNode **rows,
               guint      n)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_array_unref);
  JsonObject *first = NULL;
  guint count = 0;

  for (guint i = 0; i < n; i++)
    if (rows[i] != NULL)
      {
        JsonObject *row = json_node_get_object (rows[i]);
        g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) nodes = g_ptr_array_new ();

        if (first == NULL)
          first = row;
        count++;
        flatten (json_object_get_member (row, "final"), "", FALSE, paths, nodes);
        for (guint k = 0; k < paths->len; k++)
          {
            const char *path = g_ptr_array_index (paths, k);
            double value;

            if (!g_hash_table_contains (values, path))
              {
                g_ptr_array_add (names, g_strdup (path));
                g_hash_table_insert (values, g_strdup (path),
                                     g_array_new (FALSE, FALSE, sizeof (double)));
              }
            if (sim_json_node_get_number (g_ptr_array_index (nodes, k), &value) &&
                isfinite (value))
              g_array_append_val (g_hash_table_lookup (values, path), value);
          }
      }
  if (first == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "point");
  json_builder_add_int_value (builder, (gint64) point);
  {
    g_autoptr (GList) members = json_object_get_members (first);

    for (GList *l = members; l != NULL; l = l->next)
      if (strcmp (l->data, "index") != 0 && strcmp (l->data, "seed") != 0 &&
          strcmp (l->data, "final") != 0)
        {
          json_builder_set_member_name (builder, l->data);
          json_builder_add_value (builder,
                                  json_node_copy (json_object_get_member (first, l->data)));
        }
  }
  json_builder_set_member_name (builder, "runs");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "figures");
  json_builder_begin_object (builder);
  for (guint i = 0; i < names->len; i++)
    {
      GArray *v = g_hash_table_lookup (values, g_ptr_array_index (names, i));
      double mean, lo, hi;

      sim_sweep_interval ((const double *) v->data, v->len, &mean, &lo, &hi);
      json_builder_set_member_name (builder, g_ptr_array_index (names, i));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, v->len);
      json_builder_set_member_name (builder, "mean");
      cli_json_add_number (builder, mean);
      json_builder_set_member_name (builder, "interval");
      json_builder_begin_array (builder);
      cli_json_add_number (builder, lo);
      cli_json_add_number (builder, hi);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

GPtrArray *
cli_sweep_summary (const CliSweepGrid *grid,
                   JsonNode          **rows,
                   guint64             n_runs)
{
  GPtrArray *summary = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  guint n_seeds = cli_sweep_grid_n_seeds (grid);

  for (guint64 p = 0; p * n_seeds < n_runs; p++)
    {
      JsonNode *node = summary_point (p, rows + p * n_seeds, n_seeds);

      if (node != NULL)
        g_ptr_array_add (summary, node);
    }
  return summary;
}

char *
cli_sweep_json (const CliSweepGrid *grid,
                JsonNode          **rows,
                guint64             n_runs,
                const char         *shard,
                gboolean            complete)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) summary = cli_sweep_summary (grid, rows, n_runs);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "mesascope-sweep");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "sweep");
  json_builder_add_value (builder, cli_sweep_grid_to_json (grid));
  json_builder_set_member_name (builder, "shard");
  if (shard != NULL)
    json_builder_add_string_value (builder, shard);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, complete);
  json_builder_set_member_name (builder, "runs");
  json_builder_begin_array (builder);
  for (guint64 r = 0; r < n_runs; r++)
    if (rows[r] != NULL)
      json_builder_add_value (builder, json_node_copy (rows[r]));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "summary");
  json_builder_begin_array (builder);
  for (guint i = 0; i < summary->len; i++)
    json_builder_add_value (builder, json_node_copy (g_ptr_array_index (summary, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return cli_json_text (root);
}

static void
append_field (GString    *out,
              const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
cli_sweep_csv (JsonNode **rows,
               guint64    n_runs)
{
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  GString *out = g_string_new (NULL);
  guint64 r;

  /* The columns: every path of every row, in the order they first appear. */
  for (r = 0; r < n_runs; r++)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) nodes = g_ptr_array_new ();

      if (rows[r] == NULL)
        continue;
      flatten (rows[r], "", TRUE, names, nodes);
      for (guint i = 0; i < names->len; i++)
        if (!g_hash_table_contains (known, g_ptr_array_index (names, i)))
          {
            char *name = g_strdup (g_ptr_array_index (names, i));

            g_ptr_array_add (columns, name);
            g_hash_table_add (known, name);
          }
    }
  for (guint c = 0; c < columns->len; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      append_field (out, g_ptr_array_index (columns, c));
    }
  g_string_append_c (out, '\n');
  for (r = 0; r < n_runs; r++)
    {
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
      g_autoptr (GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);

      if (rows[r] == NULL)
        continue;
      flatten (rows[r], "", TRUE, names, nodes);
      for (guint i = 0; i < names->len; i++)
        g_hash_table_insert (by_name, g_ptr_array_index (names, i), g_ptr_array_index (nodes, i));
      for (guint c = 0; c < columns->len; c++)
        {
          JsonNode *node = g_hash_table_lookup (by_name, g_ptr_array_index (columns, c));

          if (c > 0)
            g_string_append_c (out, ',');
          if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
            append_field (out, json_node_get_string (node));
          else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
            {
              g_autofree char *text = json_to_string (node, FALSE);   /* as in the JSON */

              g_string_append (out, text);
            }
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static gboolean
fail (GError    **error,
      const char *path,
      const char *message)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: %s", path, message);
  return FALSE;
}

gboolean
cli_sweep_file_load (const char    *path,
                     CliSweepFile  *file,
                     GError       **error)
{
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr (GError) local = NULL;
  JsonObject *root;
  JsonNode *node;
  JsonArray *runs;
  gsize length, end;
  guint64 n_runs;

  memset (file, 0, sizeof *file);
  cli_sweep_grid_init (&file->grid);
  file->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  text = sim_json_read_file (path, SWEEP_FILE_MAX_SIZE, "a sweep file", path, G_FILE_ERROR,
                             G_FILE_ERROR_INVAL, &length, error);
  if (text == NULL ||
      !sim_json_check (text, length, path, G_FILE_ERROR, G_FILE_ERROR_INVAL, NULL, 0, &end,
                       error) ||
      !sim_json_parse (parser, text, end, path, G_FILE_ERROR, G_FILE_ERROR_INVAL, error))
    return FALSE;
  node = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, path, "not a sweep file (not a JSON object)");
  root = json_node_get_object (node);
  node = json_object_get_member (root, "format");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      strcmp (json_node_get_string (node), "mesascope-sweep") != 0)
    return fail (error, path, "not a sweep file (\"format\" is not \"mesascope-sweep\")");
  node = json_object_get_member (root, "version");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != 1)
    return fail (error, path, "\"version\" is not 1, the only version there is");
  node = json_object_get_member (root, "sweep");
  if (node == NULL || !cli_sweep_grid_from_json (node, &file->grid, &local))
    return fail (error, path, local != NULL ? local->message : "\"sweep\" is missing");
  node = json_object_get_member (root, "shard");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    file->shard = g_strdup (json_node_get_string (node));
  else if (node == NULL || !JSON_NODE_HOLDS_NULL (node))
    return fail (error, path, "\"shard\" is neither \"I/N\" nor null");
  node = json_object_get_member (root, "runs");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, path, "\"runs\" is not an array");
  runs = json_node_get_array (node);
  n_runs = cli_sweep_grid_n_runs (&file->grid);
  if (n_runs > CLI_SWEEP_MAX_RUNS)
    return fail (error, path, "its grid has more runs than a sweep may have");
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonNode *row = json_array_get_element (runs, i);
      JsonNode *index = JSON_NODE_HOLDS_OBJECT (row)
                        ? json_object_get_member (json_node_get_object (row), "index") : NULL;
      JsonNode *final = JSON_NODE_HOLDS_OBJECT (row)
                        ? json_object_get_member (json_node_get_object (row), "final") : NULL;
      gint64 r;

      if (index == NULL || json_node_get_value_type (index) != G_TYPE_INT64 ||
          final == NULL || !JSON_NODE_HOLDS_OBJECT (final))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: run %u of \"runs\" has "
                       "no \"index\" or no \"final\"", path, i + 1);
          return FALSE;
        }
      r = json_node_get_int (index);
      if (r < 0 || (guint64) r >= n_runs)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: run index %" G_GINT64_FORMAT
                       " is outside the grid of %" G_GUINT64_FORMAT " runs", path, r, n_runs);
          return FALSE;
        }
      if (g_hash_table_contains (seen, GUINT_TO_POINTER ((guint) r + 1)))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: run %" G_GINT64_FORMAT
                       " is there twice", path, r);
          return FALSE;
        }
      g_hash_table_add (seen, GUINT_TO_POINTER ((guint) r + 1));
      g_ptr_array_add (file->rows, json_node_copy (row));
    }
  return TRUE;
}

void
cli_sweep_file_clear (CliSweepFile *file)
{
  cli_sweep_grid_clear (&file->grid);
  g_clear_pointer (&file->shard, g_free);
  g_clear_pointer (&file->rows, g_ptr_array_unref);
}
