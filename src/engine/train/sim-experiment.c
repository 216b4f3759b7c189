/* sim-experiment.c: experiment files (.mesascope): a run's configuration and its history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Format (JSON):
 *   { "format": "mesascope-experiment", "version": 1,
 *     "config": { "scenario": "coin", "agent": "planner", "optimizer": "pgn", "seed": 1,
 *                 "perception": "hidden:30", "diversity": 0, "near_corner": true, "grid": 8,
 *                 "iterations": 60, "infer_every": 4, "planning_depth": 0 },
 *     "history": [ { "iteration": 1, "train_target": …, "test_target": …, "test_proxy": … }, … ],
 *     "inference": { "features": N, "runs": [ { "iteration": 4, "inferred": [ … ] }, … ] } }
 * "history", "inference" and "planning_depth" (0 = the whole episode) are optional.
 * Keys-chests histories add the mean counts "train_keys", "train_chests", "test_keys" and
 * "test_chests" to every entry (optional within version 1: all entries have them or none).
 * An optional "sweep" (also within version 1; older readers skip it) holds the Sweep window's
 * runs: { "seeds": S, "runs": [ { "config": { … }, "final": { "train_target": …,
 * "test_target": …, "test_proxy": … } or null }, … ] }, S runs of each value next to each
 * other. Doubles are written with 17 significant digits, so a saved history reads back bit
 * for bit.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "sim-experiment.h"
#include "sim-file.h"
#include "sim-json.h"
#include "sim-train.h"

G_DEFINE_QUARK (sim-experiment-error-quark, sim_experiment_error)

#define FORMAT_NAME "mesascope-experiment"

SimExperiment *
sim_experiment_new (const SimConfig *config)
{
  SimExperiment *experiment = g_new0 (SimExperiment, 1);

  experiment->config = *config;
  return experiment;
}

SimExperiment *
sim_experiment_new_from_snapshot (const SimSnapshot *snapshot)
{
  SimExperiment *experiment = sim_experiment_new (&snapshot->config);
  int n = snapshot->n_history;

  experiment->n_history = n;
  experiment->train_target = g_memdup2 (snapshot->train_target, sizeof (double) * n);
  experiment->test_target = g_memdup2 (snapshot->test_target, sizeof (double) * n);
  experiment->test_proxy = g_memdup2 (snapshot->test_proxy, sizeof (double) * n);
  if (snapshot->train_keys != NULL && snapshot->train_chests != NULL &&
      snapshot->test_keys != NULL && snapshot->test_chests != NULL)
    {
      experiment->train_keys = g_memdup2 (snapshot->train_keys, sizeof (double) * n);
      experiment->train_chests = g_memdup2 (snapshot->train_chests, sizeof (double) * n);
      experiment->test_keys = g_memdup2 (snapshot->test_keys, sizeof (double) * n);
      experiment->test_chests = g_memdup2 (snapshot->test_chests, sizeof (double) * n);
    }
  if (snapshot->n_inferences > 0 && snapshot->n_features > 0)
    {
      experiment->n_features = snapshot->n_features;
      experiment->n_inferences = snapshot->n_inferences;
      experiment->inference_iteration = g_memdup2 (snapshot->inference_iteration,
                                                   sizeof (int) * snapshot->n_inferences);
      experiment->inferred = g_memdup2 (snapshot->inferred, sizeof (double) *
                                        snapshot->n_inferences * snapshot->n_features);
    }
  return experiment;
}

void
sim_experiment_free (SimExperiment *experiment)
{
  if (experiment == NULL)
    return;
  g_free (experiment->train_target);
  g_free (experiment->test_target);
  g_free (experiment->test_proxy);
  g_free (experiment->train_keys);
  g_free (experiment->train_chests);
  g_free (experiment->test_keys);
  g_free (experiment->test_chests);
  g_free (experiment->inference_iteration);
  g_free (experiment->inferred);
  sim_experiment_sweep_free (experiment->sweep);
  g_free (experiment);
}

SimExperimentSweep *
sim_experiment_sweep_new (int n_runs,
                          int n_seeds)
{
  SimExperimentSweep *sweep = g_new0 (SimExperimentSweep, 1);

  g_return_val_if_fail (n_runs >= 0 && n_seeds > 0, NULL);

  sweep->n_runs = n_runs;
  sweep->n_seeds = n_seeds;
  sweep->configs = g_new0 (SimConfig, n_runs);
  sweep->train_target = g_new (double, n_runs);
  sweep->test_target = g_new (double, n_runs);
  sweep->test_proxy = g_new (double, n_runs);
  for (int r = 0; r < n_runs; r++)
    {
      sim_config_init_default (&sweep->configs[r]);
      sweep->train_target[r] = sweep->test_target[r] = sweep->test_proxy[r] = NAN;
    }
  return sweep;
}

void
sim_experiment_sweep_free (SimExperimentSweep *sweep)
{
  if (sweep == NULL)
    return;
  g_free (sweep->configs);
  g_free (sweep->train_target);
  g_free (sweep->test_target);
  g_free (sweep->test_proxy);
  g_free (sweep);
}

/* Error helpers: every message starts with the file name. */
static gboolean
fail (GError     **error,
      int          code,
      const char  *filename,
      const char  *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError     **error,
      int          code,
      const char  *filename,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  sim_json_set_error_valist (error, SIM_EXPERIMENT_ERROR, code, filename, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *key,
         gint64       min,
         gint64       max,
         gint64      *out,
         const char  *filename,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  double value;

  if (node == NULL)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "config: “%s” is missing", key);
  if (!sim_json_node_get_number (node, &value))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "config: “%s” must be a whole number", key);
  if (!isfinite (value) || value != floor (value) || value < (double) min || value > (double) max)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "config: “%s” must be a whole number from %" G_GINT64_FORMAT " to %"
                 G_GINT64_FORMAT, key, min, max);
  *out = (gint64) value;
  return TRUE;
}

static const char *
get_string (JsonObject  *object,
            const char  *key,
            const char  *filename,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    {
      fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "config: “%s” is missing", key);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "config: “%s” must be a string", key);
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
parse_config (JsonObject  *object,
              SimConfig   *config,
              const char  *filename,
              GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  const char *text;
  gint64 value;
  JsonNode *node;

  sim_config_init_default (config);

  if (!(text = get_string (object, "scenario", filename, error)))
    return FALSE;
  if (!sim_scenario_from_string (text, &config->scenario))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "config: unknown scenario “%s” (expected coin, green-exit or keys-chests)", text);
  if (!(text = get_string (object, "agent", filename, error)))
    return FALSE;
  if (!sim_agent_from_string (text, &config->agent))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "config: unknown agent “%s” (expected planner, qlearner or mlp)", text);
  if (!(text = get_string (object, "optimizer", filename, error)))
    return FALSE;
  if (!sim_optimizer_from_string (text, &config->optimizer))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "config: unknown optimizer “%s” (expected pgn, cem or pg)", text);
  if (!(text = get_string (object, "perception", filename, error)))
    return FALSE;
  if (!sim_perception_parse (text, &config->perception, &config->perception_param, &local_error))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "config: %s", local_error->message);

  if (!get_int (object, "diversity", 0, 100, &value, filename, error))
    return FALSE;
  config->diversity = (int) value;
  if (!get_int (object, "grid", 1, 1000000, &value, filename, error))
    return FALSE;
  config->grid = (int) value;
  if (!get_int (object, "iterations", 1, 100000, &value, filename, error))
    return FALSE;
  config->iterations = (int) value;
  if (!get_int (object, "seed", 0, G_MAXUINT32, &value, filename, error))
    return FALSE;
  config->seed = (guint32) value;
  if (!get_int (object, "infer_every", 0, 100000, &value, filename, error))
    return FALSE;
  config->infer_every = (int) value;
  /* Optional: files from before the planning depth plan the whole episode. */
  if (json_object_has_member (object, "planning_depth"))
    {
      if (!get_int (object, "planning_depth", 0, SIM_CONFIG_MAX_PLANNING_DEPTH, &value,
                    filename, error))
        return FALSE;
      config->planning_depth = (int) value;
    }

  node = json_object_get_member (object, "near_corner");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "config: “near_corner” must be true or false");
  config->near_corner = json_node_get_boolean (node);

  if (!sim_config_validate (config, &local_error) ||
      !sim_train_check_config (config, &local_error))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "config: %s", local_error->message);
  return TRUE;
}

/* A number of history entry index in [0, max]: a rate (max 1) or a mean count per episode
 * (keys-chests: at most the cells of the largest level). missing_note ends the message for a
 * missing member. */
static gboolean
get_entry_number (JsonObject  *object,
                  const char  *key,
                  int          index,
                  double       max,
                  const char  *missing_note,
                  double      *out,
                  const char  *filename,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "history entry %d: “%s” is missing%s", index + 1, key, missing_note);
  if (!sim_json_node_get_number (node, &value))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "history entry %d: “%s” must be a number", index + 1, key);
  if (!(value >= 0.0 && value <= max))
    {
      if (max == 1.0)
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "history entry %d: “%s” must be a rate from 0 to 1", index + 1, key);
      return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                   "history entry %d: “%s” must be a count from 0 to %.0f", index + 1, key, max);
    }
  *out = value;
  return TRUE;
}

static gboolean
get_rate (JsonObject  *object,
          const char  *key,
          int          index,
          double      *out,
          const char  *filename,
          GError     **error)
{
  return get_entry_number (object, key, index, 1.0, "", out, filename, error);
}

static gboolean
get_count (JsonObject  *object,
           const char  *key,
           int          index,
           double      *out,
           const char  *filename,
           GError     **error)
{
  return get_entry_number (object, key, index, SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE,
                           " (every entry of a keys-chests history lists the keys and chests, "
                           "or none does)", out, filename, error);
}

static gboolean
parse_history (JsonArray     *array,
               SimExperiment *experiment,
               const char    *filename,
               GError       **error)
{
  guint n = json_array_get_length (array);

  if ((int) n > experiment->config.iterations)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "history has %u entries, more than the %d iterations configured",
                 n, experiment->config.iterations);
  experiment->n_history = (int) n;
  experiment->train_target = g_new0 (double, MAX (n, 1));
  experiment->test_target = g_new0 (double, MAX (n, 1));
  experiment->test_proxy = g_new0 (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry;
      JsonNode *iteration;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "history entry %u is not an object", i + 1);
      entry = json_node_get_object (node);
      iteration = json_object_get_member (entry, "iteration");
      if (iteration == NULL || !JSON_NODE_HOLDS_VALUE (iteration) ||
          json_node_get_value_type (iteration) != G_TYPE_INT64 ||
          json_node_get_int (iteration) != (gint64) i + 1)
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "history entry %u: “iteration” must be %u", i + 1, i + 1);
      if (!get_rate (entry, "train_target", i, &experiment->train_target[i], filename, error) ||
          !get_rate (entry, "test_target", i, &experiment->test_target[i], filename, error) ||
          !get_rate (entry, "test_proxy", i, &experiment->test_proxy[i], filename, error))
        return FALSE;
      if (i == 0 && json_object_has_member (entry, "train_keys"))
        {
          if (experiment->config.scenario != SIM_SCENARIO_KEYS_CHESTS)
            return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                         "history entry 1: “train_keys” belongs to keys-chests experiments only");
          experiment->train_keys = g_new0 (double, n);
          experiment->train_chests = g_new0 (double, n);
          experiment->test_keys = g_new0 (double, n);
          experiment->test_chests = g_new0 (double, n);
        }
      if (experiment->train_keys != NULL &&
          (!get_count (entry, "train_keys", i, &experiment->train_keys[i], filename, error) ||
           !get_count (entry, "train_chests", i, &experiment->train_chests[i], filename, error) ||
           !get_count (entry, "test_keys", i, &experiment->test_keys[i], filename, error) ||
           !get_count (entry, "test_chests", i, &experiment->test_chests[i], filename, error)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_inference (JsonObject    *object,
                 SimExperiment *experiment,
                 const char    *filename,
                 GError       **error)
{
  JsonNode *features = json_object_get_member (object, "features");
  JsonNode *runs_node = json_object_get_member (object, "runs");
  JsonArray *runs;
  gint64 n_features;
  int expected;
  guint n;

  if (features == NULL || !JSON_NODE_HOLDS_VALUE (features) ||
      json_node_get_value_type (features) != G_TYPE_INT64)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "inference: “features” must be a whole number");
  n_features = json_node_get_int (features);
  expected = sim_features_count (experiment->config.scenario, experiment->config.near_corner);
  if (n_features != expected)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "inference: “features” is %" G_GINT64_FORMAT ", but a %s run%s has %d "
                 "features", n_features, sim_scenario_to_string (experiment->config.scenario),
                 experiment->config.scenario == SIM_SCENARIO_COIN
                 ? (experiment->config.near_corner ? " with near_corner" : " without near_corner")
                 : "", expected);
  if (runs_node == NULL || !JSON_NODE_HOLDS_ARRAY (runs_node))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "inference: “runs” must be a list");
  runs = json_node_get_array (runs_node);
  n = json_array_get_length (runs);
  /* One inference at most per iteration, and one before the first. */
  if (n > (guint) experiment->config.iterations + 1)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "inference: %u runs, more than the %d iterations configured and one before "
                 "them", n, experiment->config.iterations);

  experiment->n_features = (int) n_features;
  experiment->n_inferences = (int) n;
  experiment->inference_iteration = g_new0 (int, MAX (n, 1));
  experiment->inferred = g_new0 (double, MAX (n, 1) * n_features);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (runs, i);
      JsonObject *run;
      JsonNode *iteration, *weights_node;
      JsonArray *weights;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "inference run %u is not an object", i + 1);
      run = json_node_get_object (node);
      iteration = json_object_get_member (run, "iteration");
      if (iteration == NULL || !JSON_NODE_HOLDS_VALUE (iteration) ||
          json_node_get_value_type (iteration) != G_TYPE_INT64 ||
          json_node_get_int (iteration) < 0 ||
          json_node_get_int (iteration) > experiment->config.iterations)
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "inference run %u: “iteration” must be a whole number from 0 to %d",
                     i + 1, experiment->config.iterations);
      experiment->inference_iteration[i] = (int) json_node_get_int (iteration);
      weights_node = json_object_get_member (run, "inferred");
      if (weights_node == NULL || !JSON_NODE_HOLDS_ARRAY (weights_node) ||
          json_array_get_length (json_node_get_array (weights_node)) != (guint) n_features)
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "inference run %u: “inferred” must list %d numbers", i + 1,
                     (int) n_features);
      weights = json_node_get_array (weights_node);
      for (guint f = 0; f < (guint) n_features; f++)
        {
          JsonNode *w = json_array_get_element (weights, f);
          double value;

          if (!sim_json_node_get_number (w, &value))
            return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                         "inference run %u: weight %u is not a number", i + 1, f + 1);
          if (!(value >= -1.0 - 1e-9 && value <= 1.0 + 1e-9))
            return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                         "inference run %u: weight %u must be from −1 to 1", i + 1, f + 1);
          experiment->inferred[i * n_features + f] = value;
        }
    }
  return TRUE;
}

/* "sweep": { "seeds": S, "runs": [ { "config": { … }, "final": { … } or null }, … ] }. */
static gboolean
parse_sweep (JsonObject     *object,
             SimExperiment  *experiment,
             const char     *filename,
             GError        **error)
{
  static const char *const figures[] = { "train_target", "test_target", "test_proxy" };
  JsonNode *seeds = json_object_get_member (object, "seeds");
  JsonNode *runs_node = json_object_get_member (object, "runs");
  g_autoptr (SimExperimentSweep) sweep = NULL;
  JsonArray *runs;
  double n_seeds;
  guint n_runs;

  if (seeds == NULL || !sim_json_node_get_number (seeds, &n_seeds) || n_seeds != floor (n_seeds) ||
      n_seeds < 1 || n_seeds > SIM_EXPERIMENT_MAX_SWEEP_RUNS)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "sweep: “seeds” must be a whole number from 1 to %d",
                 SIM_EXPERIMENT_MAX_SWEEP_RUNS);
  if (runs_node == NULL || !JSON_NODE_HOLDS_ARRAY (runs_node))
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "sweep: “runs” must be a list");
  runs = json_node_get_array (runs_node);
  n_runs = json_array_get_length (runs);
  if (n_runs == 0 || n_runs > SIM_EXPERIMENT_MAX_SWEEP_RUNS || n_runs % (guint) n_seeds != 0)
    return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                 "sweep: %u runs (expected 1 to %d, a whole number of values of %d seeds)",
                 n_runs, SIM_EXPERIMENT_MAX_SWEEP_RUNS, (int) n_seeds);
  sweep = sim_experiment_sweep_new ((int) n_runs, (int) n_seeds);
  for (guint r = 0; r < n_runs; r++)
    {
      JsonNode *run = json_array_get_element (runs, r);
      JsonNode *config, *final;

      if (!JSON_NODE_HOLDS_OBJECT (run))
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "sweep run %u must be an object", r + 1);
      config = json_object_get_member (json_node_get_object (run), "config");
      final = json_object_get_member (json_node_get_object (run), "final");
      if (config == NULL || !JSON_NODE_HOLDS_OBJECT (config))
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "sweep run %u: “config” must be an object", r + 1);
      {
        /* The configuration's messages name the run after the file. */
        g_autofree char *where = g_strdup_printf ("%s: sweep run %u", filename, r + 1);

        if (!parse_config (json_node_get_object (config), &sweep->configs[r], where, error))
          return FALSE;
      }
      if (final == NULL || JSON_NODE_HOLDS_NULL (final))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (final))
        return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                     "sweep run %u: “final” must be an object or null", r + 1);
      for (guint k = 0; k < G_N_ELEMENTS (figures); k++)
        {
          JsonNode *node = json_object_get_member (json_node_get_object (final), figures[k]);
          double value;

          if (node == NULL || !sim_json_node_get_number (node, &value) ||
              !(value >= 0.0 && value <= 1.0))
            return fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename,
                         "sweep run %u: “%s” must be a rate from 0 to 1", r + 1, figures[k]);
          (k == 0 ? sweep->train_target : k == 1 ? sweep->test_target
                                                 : sweep->test_proxy)[r] = value;
        }
    }
  experiment->sweep = g_steal_pointer (&sweep);
  return TRUE;
}

SimExperiment *
sim_experiment_parse (const char  *data,
                      gssize       length,
                      const char  *filename,
                      GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (SimExperiment) experiment = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *node;
  gint64 version;
  SimConfig config;
  SimJsonMember members[] = { { .name = "history" } };
  gsize end;

  if (filename == NULL)
    filename = "<input>";
  if (length < 0)
    length = data ? (gssize) strlen (data) : 0;
  if (data == NULL || length == 0)
    {
      fail (error, SIM_EXPERIMENT_ERROR_PARSE, filename, "the file is empty");
      return NULL;
    }
  if (!sim_json_check (data, length, filename, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_PARSE,
                       members, G_N_ELEMENTS (members), &end, error))
    return NULL;
  /* The history's length is known before any tree is built. */
  if (members[0].value != NULL && members[0].n_elements > SIM_EXPERIMENT_MAX_HISTORY)
    {
      fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "history has %u entries (a file "
            "holds at most %d, the most iterations a run has)", members[0].n_elements,
            SIM_EXPERIMENT_MAX_HISTORY);
      return NULL;
    }
  if (!sim_json_parse (parser, data, end, filename, SIM_EXPERIMENT_ERROR,
                       SIM_EXPERIMENT_ERROR_PARSE, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, SIM_EXPERIMENT_ERROR_PARSE, filename, "not an experiment file (expected a JSON object)");
      return NULL;
    }
  object = json_node_get_object (root);
  node = json_object_get_member (object, "format");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (node), FORMAT_NAME) != 0)
    {
      fail (error, SIM_EXPERIMENT_ERROR_PARSE, filename,
            "not an experiment file (“format” is not “%s”)", FORMAT_NAME);
      return NULL;
    }
  node = json_object_get_member (object, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    {
      fail (error, SIM_EXPERIMENT_ERROR_PARSE, filename, "“version” %s (expected a whole "
            "number, 1 for this format)", node == NULL ? "is missing" : "is not a whole number");
      return NULL;
    }
  version = json_node_get_int (node);
  if (version < 1)
    {
      fail (error, SIM_EXPERIMENT_ERROR_PARSE, filename, "“version” is %" G_GINT64_FORMAT
            " (formats are numbered from 1)", version);
      return NULL;
    }
  if (version > SIM_EXPERIMENT_FORMAT_VERSION)
    {
      fail (error, SIM_EXPERIMENT_ERROR_VERSION, filename,
            "written by a newer version of Mesascope (format %" G_GINT64_FORMAT
            "; this version reads up to %d)", version, SIM_EXPERIMENT_FORMAT_VERSION);
      return NULL;
    }
  node = json_object_get_member (object, "config");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "“config” %s",
            node == NULL ? "is missing" : "is not an object (expected {\"scenario\": …})");
      return NULL;
    }
  if (!parse_config (json_node_get_object (node), &config, filename, error))
    return NULL;
  experiment = sim_experiment_new (&config);

  node = json_object_get_member (object, "history");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "“history” must be a list");
          return NULL;
        }
      if (!parse_history (json_node_get_array (node), experiment, filename, error))
        return NULL;
    }
  node = json_object_get_member (object, "inference");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "“inference” must be an object");
          return NULL;
        }
      if (!parse_inference (json_node_get_object (node), experiment, filename, error))
        return NULL;
    }
  node = json_object_get_member (object, "sweep");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          fail (error, SIM_EXPERIMENT_ERROR_INVALID, filename, "“sweep” must be an object");
          return NULL;
        }
      if (!parse_sweep (json_node_get_object (node), experiment, filename, error))
        return NULL;
    }
  return g_steal_pointer (&experiment);
}

SimExperiment *
sim_experiment_load (const char  *path,
                     GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  data = sim_json_read_file (path, SIM_EXPERIMENT_MAX_FILE_SIZE, "an experiment file", path,
                             SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_IO, &length, error);
  if (data == NULL)
    return NULL;
  return sim_experiment_parse (data, (gssize) length, path, error);
}

/* json-glib 1.6 appends ".0" to every double it prints without a '.', even after an exponent,
 * so 1e-300 is written as "1e-300.0", which is not JSON and which no parser (json-glib
 * included) reads back. Outside strings, drops such a ".0" in place. */
static void
fix_exponent_numbers (char *json)
{
  const char *in = json;
  char *out = json;
  gboolean in_string = FALSE;

  while (*in != '\0')
    {
      char c = *in;

      if (in_string)
        {
          *out++ = *in++;
          if (c == '\\' && *in != '\0')
            *out++ = *in++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if ((c == 'e' || c == 'E') && out > json && g_ascii_isdigit (out[-1]))
        {
          *out++ = *in++;
          if (*in == '+' || *in == '-')
            *out++ = *in++;
          while (g_ascii_isdigit (*in))
            *out++ = *in++;
          if (in[0] == '.' && in[1] == '0' && !g_ascii_isdigit (in[2]))
            in += 2;
          continue;
        }
      *out++ = *in++;
    }
  *out = '\0';
}

static void
add_double (JsonBuilder *builder,
            double       value)
{
  json_builder_add_double_value (builder, isfinite (value) ? value : 0.0);
}

char *
sim_experiment_to_json (const SimExperiment *experiment)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  const SimConfig *config = &experiment->config;
  char *json;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, SIM_EXPERIMENT_FORMAT_VERSION);

  json_builder_set_member_name (builder, "config");
  json_builder_begin_object (builder);
  sim_config_to_json (config, builder, TRUE);
  json_builder_end_object (builder);

  if (experiment->n_history > 0)
    {
      json_builder_set_member_name (builder, "history");
      json_builder_begin_array (builder);
      for (int i = 0; i < experiment->n_history; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "iteration");
          json_builder_add_int_value (builder, i + 1);
          json_builder_set_member_name (builder, "train_target");
          add_double (builder, experiment->train_target[i]);
          json_builder_set_member_name (builder, "test_target");
          add_double (builder, experiment->test_target[i]);
          json_builder_set_member_name (builder, "test_proxy");
          add_double (builder, experiment->test_proxy[i]);
          if (experiment->train_keys != NULL && experiment->train_chests != NULL &&
              experiment->test_keys != NULL && experiment->test_chests != NULL)
            {
              json_builder_set_member_name (builder, "train_keys");
              add_double (builder, experiment->train_keys[i]);
              json_builder_set_member_name (builder, "train_chests");
              add_double (builder, experiment->train_chests[i]);
              json_builder_set_member_name (builder, "test_keys");
              add_double (builder, experiment->test_keys[i]);
              json_builder_set_member_name (builder, "test_chests");
              add_double (builder, experiment->test_chests[i]);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  if (experiment->n_inferences > 0 && experiment->n_features > 0)
    {
      json_builder_set_member_name (builder, "inference");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "features");
      json_builder_add_int_value (builder, experiment->n_features);
      json_builder_set_member_name (builder, "runs");
      json_builder_begin_array (builder);
      for (int i = 0; i < experiment->n_inferences; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "iteration");
          json_builder_add_int_value (builder, experiment->inference_iteration[i]);
          json_builder_set_member_name (builder, "inferred");
          json_builder_begin_array (builder);
          for (int f = 0; f < experiment->n_features; f++)
            add_double (builder, experiment->inferred[i * experiment->n_features + f]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  if (experiment->sweep != NULL && experiment->sweep->n_runs > 0)
    {
      const SimExperimentSweep *sweep = experiment->sweep;

      json_builder_set_member_name (builder, "sweep");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seeds");
      json_builder_add_int_value (builder, sweep->n_seeds);
      json_builder_set_member_name (builder, "runs");
      json_builder_begin_array (builder);
      for (int r = 0; r < sweep->n_runs; r++)
        {
          gboolean finished = isfinite (sweep->train_target[r]) &&
                              isfinite (sweep->test_target[r]) && isfinite (sweep->test_proxy[r]);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "config");
          json_builder_begin_object (builder);
          sim_config_to_json (&sweep->configs[r], builder, TRUE);
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "final");
          if (finished)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "train_target");
              add_double (builder, sweep->train_target[r]);
              json_builder_set_member_name (builder, "test_target");
              add_double (builder, sweep->test_target[r]);
              json_builder_set_member_name (builder, "test_proxy");
              add_double (builder, sweep->test_proxy[r]);
              json_builder_end_object (builder);
            }
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json = json_generator_to_data (generator, NULL);
  fix_exponent_numbers (json);
  return json;
}

gboolean
sim_experiment_save (const SimExperiment  *experiment,
                     const char           *path,
                     GError              **error)
{
  g_autofree char *json = sim_experiment_to_json (experiment);
  g_autofree char *text = g_strconcat (json, "\n", NULL);

  return sim_file_write (path, text, -1, error);
}
