/* cli-infer.c: mesascope-cli infer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "cli.h"
#include "sim-demos.h"
#include "sim-goal.h"
#include "sim-irl.h"
#include "sim-json.h"
#include "sim-mdp.h"
#include "sim-scenario.h"

static const char infer_usage[] =
  "Usage: mesascope-cli infer --demos FILE [--utility FILE] [--json FILE|-]\n"
  "       mesascope-cli infer --mdp FILE [--causal] [--utility FILE] [--json FILE|-]\n"
  "\n"
  "Infer the reward that explains demonstrations, by maximum-entropy inverse reinforcement\n"
  "learning: minimise the mean negative log-likelihood of the trajectories + 0.001·|θ|²\n"
  "with BFGS until the gradient vanishes.\n"
  "\n"
  "  --demos FILE   Gridworld demonstrations: {\"scenario\": \"coin\", \"levels\": [\"<level\n"
  "                 text>\", …], \"trajectories\": [{\"level\": 0, \"cells\": [[x, y], …]}, …]}.\n"
  "                 The dynamics are deterministic, so MaxEnt over paths and maximum causal\n"
  "                 entropy are the same model. Output: features, inferred_objective (unit\n"
  "                 norm), objective_raw, uncertainty (± of each unit weight),\n"
  "                 log_likelihood (mean per trajectory), iterations.\n"
  "  --mdp FILE     Any finite MDP: {\"states\": S, \"actions\": A, \"transitions\": [[s, a, s2,\n"
  "                 p], …], \"features\": [[φ(s)…], …], \"terminal\": [s, …], \"start\": [s, …],\n"
  "                 \"discount\": γ and/or \"horizon\": T, \"trajectories\": [[s0, s1, …], …]}.\n"
  "                 Features may also be given as the values that are not 0,\n"
  "                 \"n_features\": F, \"features\": [[s, f, value], …], or as \"features\":\n"
  "                 \"one-hot\" (feature s is 1 on state s).\n"
  "                 Reward θ·φ(s') of the state entered. Output: objective_raw,\n"
  "                 log_likelihood (mean per trajectory), iterations.\n"
  "  --causal       Maximum causal entropy (soft value iteration, discounted by γ). Without\n"
  "                 it: MaxEnt over paths (Ziebart 2008), undiscounted when γ = 1; with\n"
  "                 neither a horizon nor γ < 1 only episodes that end on a terminal state\n"
  "                 count, up to the longest trajectory.\n"
  "  --utility FILE Score the demonstrations' goal-directedness toward this utility (a JSON\n"
  "                 array of one weight per feature) instead of toward the inferred one\n"
  "  --json FILE|-  Where to write the result (default: - for standard output)\n"
  "  -h, --help     Show this help\n"
  "\n"
  "An option given twice, or with an empty value, is a usage error.\n"
  "\n"
  "Limit: one evaluation of the objective may take at most 1000000000 units of work, the sum\n"
  "over the MDPs of (successors + states × actions) × steps, where steps is the horizon (with\n"
  "neither a horizon nor γ < 1, the longest trajectory) or, for γ < 1 without a horizon,\n"
  "log(1e-12) / log(γ). A solve takes 20 to 60 evaluations, a few minutes at the limit on a\n"
  "current computer; larger problems are refused (exit status 2). For example a 256×256 grid\n"
  "with 4 actions and 5 successors each is allowed a horizon of 635, or γ up to 0.95.\n"
  "\n"
  "SIGINT (Ctrl+C) or SIGTERM stops the solve at once; nothing is written.\n"
  "\n"
  "Exit status: 0 on success, 1 when an input file is unusable (the message names the file\n"
  "and the place), 2 on a usage error, 130 when stopped by SIGINT and 143 by SIGTERM.\n";

typedef struct
{
  const char *demos;
  const char *mdp;
  const char *json;
  const char *utility;
  gboolean causal;
} Options;

/* The largest solve. One evaluation of the objective runs a backward and a forward pass
 * over every MDP, each touching every successor and every state-action pair once a step: its
 * work is Σ (successors + states × actions) × steps, where steps is the horizon (or, without
 * one and with γ = 1, the longest demonstration), or for the stationary passes of γ < 1 the
 * sweeps until γ^k reaches 1e-12 (the stationary passes' tolerance, sim-irl.c). With the
 * release build on a shared 2-core x86-64 computer a unit took 1 to 5 ns and a solve 20 to
 * 60 evaluations: 10⁹ units are at most about five seconds an evaluation and a few minutes a
 * solve. */
#define INFER_MAX_WORK 1e9

static double
mdp_work (const SimMdp *mdp,
          int           longest)
{
  double steps = mdp->horizon > 0 ? mdp->horizon
                 : mdp->discount < 1.0 ? ceil (log (1e-12) / log (mdp->discount))
                 : MAX (longest, 1);

  return ((double) mdp->row[mdp->n_states * mdp->n_actions] +
          (double) mdp->n_states * mdp->n_actions) * steps;
}

/* Refuses work beyond INFER_MAX_WORK (exit status 2), naming the limit. */
static int
check_work (const char *file,
            double      work)
{
  if (work <= INFER_MAX_WORK)
    return -1;
  return cli_usage_error ("infer", "%s: the solve would take about %.3g units of work an "
                          "evaluation ((successors + states × actions) × steps), beyond the "
                          "limit of %.0f (a few minutes)", file, work, INFER_MAX_WORK);
}

static void
show_progress (int      n_evaluations,
               gpointer user_data)
{
  cli_progress_update (user_data, n_evaluations, 0);
}

/* Solves with the progress shown on a terminal. */
static gboolean
solve (SimIrl              *irl,
       const SimIrlOptions *irl_options,
       SimIrlResult        *result,
       GError             **error)
{
  CliProgress progress;
  gboolean solved;

  cli_progress_init (&progress, "infer", "evaluation");
  sim_irl_set_progress (irl, show_progress, &progress);
  solved = sim_irl_solve (irl, NULL, irl_options, result, error);
  sim_irl_set_progress (irl, NULL, NULL);
  cli_progress_clear (&progress);
  return solved;
}

static void
add_array (JsonBuilder  *builder,
           const char   *name,
           const double *values,
           int           n)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (int j = 0; j < n; j++)
    json_builder_add_double_value (builder, values[j]);
  json_builder_end_array (builder);
}

static gboolean
all_finite (const double *values,
            int           n)
{
  for (int j = 0; j < n; j++)
    if (!isfinite (values[j]))
      return FALSE;
  return TRUE;
}

/* Writes the JSON document to path ("-" for standard output) with sim_file_write(). */
static int
write_output (JsonBuilder *builder,
              const char  *path)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = cli_json_text (root);

  return cli_write_output ("infer", "--json", path, text) ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static void
warn_if_not_converged (const char         *file,
                       const SimIrlResult *result)
{
  if (!result->converged)
    fprintf (stderr, "mesascope-cli infer: %s: warning: stopped after %d iterations with "
             "gradient norm %.3g (not converged)\n", file, result->iterations,
             result->gradient_norm);
}

/* Reads the utility file: a JSON array of n_features numbers. */
static double *
load_utility (const char  *path,
              int          n_features,
              GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree double *utility = NULL;
  JsonArray *array;
  gsize length = 0, end = 0;

  text = sim_json_read_file (path, 1 << 20, "a utility file", path, G_FILE_ERROR,
                             G_FILE_ERROR_FAILED, &length, error);
  if (text == NULL ||
      !sim_json_check (text, length, path, G_FILE_ERROR, G_FILE_ERROR_INVAL, NULL, 0, &end,
                       error) ||
      !sim_json_parse (parser, text, end, path, G_FILE_ERROR, G_FILE_ERROR_INVAL, error))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: expected an array of %d numbers, one per feature", path, n_features);
      return NULL;
    }
  array = json_node_get_array (json_parser_get_root (parser));
  if ((int) json_array_get_length (array) != n_features)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: %u weights for %d features", path, json_array_get_length (array),
                   n_features);
      return NULL;
    }
  utility = g_new (double, n_features);
  for (int j = 0; j < n_features; j++)
    {
      JsonNode *node = json_array_get_element (array, j);

      if (!sim_json_node_get_number (node, &utility[j]) || !isfinite (utility[j]))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "%s: weight %d is not a finite number", path, j);
          return NULL;
        }
    }
  return g_steal_pointer (&utility);
}

/* "goal_directedness": the demonstrations scored toward the inferred objective (its scale
 * refitted) or, with --utility, toward that utility (its scale fitted). */
static gboolean
add_goal (JsonBuilder   *builder,
          SimIrl        *irl,
          const double  *theta,
          const Options *options,
          const char    *input)
{
  int nf = sim_irl_get_n_features (irl);
  g_autofree double *utility = NULL;
  g_autoptr (GError) error = NULL;
  SimGoalScore score;

  if (options->utility != NULL)
    {
      utility = load_utility (options->utility, nf, &error);
      if (utility == NULL)
        {
          fprintf (stderr, "mesascope-cli infer: %s\n", error->message);
          return FALSE;
        }
    }
  if (!sim_goal_score_toward (irl, utility != NULL ? utility : theta, 0.0, NULL, &score, NULL))
    {
      fprintf (stderr, "mesascope-cli infer: %s: no step to score\n", input);
      return FALSE;
    }
  json_builder_set_member_name (builder, "goal_directedness");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "toward");
  json_builder_add_string_value (builder, utility != NULL ? "utility" : "inferred");
  json_builder_set_member_name (builder, "score");
  json_builder_add_double_value (builder, score.normalised);
  json_builder_set_member_name (builder, "interval");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, score.lo);
  json_builder_add_double_value (builder, score.hi);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "nats");
  json_builder_add_double_value (builder, score.nats);
  json_builder_set_member_name (builder, "decisions");
  json_builder_add_int_value (builder, score.decisions);
  json_builder_set_member_name (builder, "beta");
  json_builder_add_double_value (builder, score.beta);
  json_builder_end_object (builder);
  return TRUE;
}

static int
infer_demos (const Options *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimDemos) demos = NULL;
  g_autoptr (SimIrl) irl = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  SimIrlOptions irl_options;
  SimIrlResult result;
  double work = 0.0;
  int status;
  int nf;

  demos = sim_demos_load (options->demos, &error);
  if (demos == NULL)
    {
      fprintf (stderr, "mesascope-cli infer: %s\n", error->message);
      return CLI_EXIT_FAIL;
    }

  nf = sim_features_count (demos->scenario, demos->near_corner);
  irl = sim_irl_new_for_demos (demos, &error);
  if (irl == NULL)
    {
      fprintf (stderr, "mesascope-cli infer: %s: %s\n", options->demos, error->message);
      return CLI_EXIT_FAIL;
    }
  for (int i = 0; i < sim_irl_get_n_mdps (irl); i++)
    work += mdp_work (sim_irl_get_mdp (irl, i), 0);
  status = check_work (options->demos, work);
  if (status >= 0)
    return status;

  sim_irl_options_init (&irl_options);
  irl_options.uncertainty = TRUE;
  if (!solve (irl, &irl_options, &result, &error))
    {
      fprintf (stderr, "mesascope-cli infer: %s: %s\n", options->demos, error->message);
      return CLI_EXIT_FAIL;
    }
  if (!all_finite (result.theta, nf) || !isfinite (result.log_likelihood))
    {
      fprintf (stderr, "mesascope-cli infer: %s: the inference gave a non-finite result\n",
               options->demos);
      sim_irl_result_clear (&result);
      return CLI_EXIT_FAIL;
    }
  warn_if_not_converged (options->demos, &result);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, sim_scenario_to_string (demos->scenario));
  json_builder_set_member_name (builder, "features");
  json_builder_begin_array (builder);
  for (int j = 0; j < nf; j++)
    json_builder_add_string_value (builder,
                                   sim_feature_name (demos->scenario, demos->near_corner, j));
  json_builder_end_array (builder);
  add_array (builder, "inferred_objective", result.unit, nf);
  add_array (builder, "objective_raw", result.theta, nf);
  add_array (builder, "uncertainty", result.uncertainty, nf);
  json_builder_set_member_name (builder, "log_likelihood");
  json_builder_add_double_value (builder, result.log_likelihood);
  json_builder_set_member_name (builder, "iterations");
  json_builder_add_int_value (builder, result.iterations);
  json_builder_set_member_name (builder, "converged");
  json_builder_add_boolean_value (builder, result.converged);
  json_builder_set_member_name (builder, "gradient_norm");
  json_builder_add_double_value (builder, result.gradient_norm);
  json_builder_set_member_name (builder, "trajectories");
  json_builder_add_int_value (builder, demos->trajectories->len);
  if (!add_goal (builder, irl, result.theta, options, options->demos))
    {
      sim_irl_result_clear (&result);
      return CLI_EXIT_FAIL;
    }
  json_builder_end_object (builder);
  sim_irl_result_clear (&result);

  cli_stop_end ();
  return write_output (builder, options->json);
}

static int
infer_mdp (const Options *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimMdp) mdp = NULL;
  g_autoptr (GPtrArray) trajectories = NULL;
  g_autoptr (SimIrl) irl = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  SimIrlOptions irl_options;
  SimIrlResult result;
  int status;
  int longest = 0;

  mdp = sim_mdp_load_json (options->mdp, &trajectories, &error);
  if (mdp == NULL)
    {
      fprintf (stderr, "mesascope-cli infer: %s\n", error->message);
      return CLI_EXIT_FAIL;
    }

  for (guint i = 0; i < trajectories->len; i++)
    longest = MAX (longest, (int) ((GArray *) g_ptr_array_index (trajectories, i))->len - 1);
  status = check_work (options->mdp, mdp_work (mdp, longest));
  if (status >= 0)
    return status;

  irl = sim_irl_new_for_mdp (mdp, options->causal ? SIM_IRL_CAUSAL : SIM_IRL_PATHS,
                             trajectories, &error);
  if (irl == NULL)
    {
      fprintf (stderr, "mesascope-cli infer: %s: %s\n", options->mdp, error->message);
      return CLI_EXIT_FAIL;
    }
  if (!sim_irl_prepare (irl, &error))
    {
      fprintf (stderr, "mesascope-cli infer: %s: %s\n", options->mdp, error->message);
      return CLI_EXIT_FAIL;
    }

  sim_irl_options_init (&irl_options);
  if (!solve (irl, &irl_options, &result, &error))
    {
      fprintf (stderr, "mesascope-cli infer: %s: %s\n", options->mdp, error->message);
      return CLI_EXIT_FAIL;
    }
  if (!all_finite (result.theta, mdp->n_features) || !isfinite (result.log_likelihood))
    {
      fprintf (stderr, "mesascope-cli infer: %s: the inference gave a non-finite result\n",
               options->mdp);
      sim_irl_result_clear (&result);
      return CLI_EXIT_FAIL;
    }
  warn_if_not_converged (options->mdp, &result);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, options->causal ? "causal" : "paths");
  add_array (builder, "objective_raw", result.theta, mdp->n_features);
  json_builder_set_member_name (builder, "log_likelihood");
  json_builder_add_double_value (builder, result.log_likelihood);
  json_builder_set_member_name (builder, "iterations");
  json_builder_add_int_value (builder, result.iterations);
  json_builder_set_member_name (builder, "converged");
  json_builder_add_boolean_value (builder, result.converged);
  json_builder_set_member_name (builder, "gradient_norm");
  json_builder_add_double_value (builder, result.gradient_norm);
  json_builder_set_member_name (builder, "trajectories");
  json_builder_add_int_value (builder, trajectories->len);
  if (!add_goal (builder, irl, result.theta, options, options->mdp))
    {
      sim_irl_result_clear (&result);
      return CLI_EXIT_FAIL;
    }
  json_builder_end_object (builder);
  sim_irl_result_clear (&result);

  cli_stop_end ();
  return write_output (builder, options->json);
}

int
cli_infer (int    argc,
           char **argv)
{
  Options options = { NULL, NULL, NULL, NULL, FALSE };
  int status = CLI_EXIT_USAGE;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (strcmp (arg, "-h") == 0 || strcmp (arg, "--help") == 0)
        {
          fputs (infer_usage, stdout);
          return CLI_EXIT_OK;
        }
      else if (cli_option_is (arg, "--demos"))
        {
          if (!cli_take_value ("infer", argc, argv, &i, "--demos", &options.demos, &status))
            return status;
        }
      else if (cli_option_is (arg, "--mdp"))
        {
          if (!cli_take_value ("infer", argc, argv, &i, "--mdp", &options.mdp, &status))
            return status;
        }
      else if (cli_option_is (arg, "--utility"))
        {
          if (!cli_take_value ("infer", argc, argv, &i, "--utility", &options.utility, &status))
            return status;
        }
      else if (cli_option_is (arg, "--json"))
        {
          if (!cli_take_value ("infer", argc, argv, &i, "--json", &options.json, &status))
            return status;
        }
      else if (strcmp (arg, "--causal") == 0)
        {
          options.causal = TRUE;
        }
      else if (arg[0] == '-' && arg[1] != '\0')
        {
          return cli_usage_error ("infer", "unknown option '%s'", arg);
        }
      else
        {
          return cli_usage_error ("infer", "unexpected argument '%s'", arg);
        }
    }

  if (options.demos == NULL && options.mdp == NULL)
    return cli_usage_error ("infer", "give --demos FILE or --mdp FILE");
  if (options.demos != NULL && options.mdp != NULL)
    return cli_usage_error ("infer", "give either --demos or --mdp, not both");
  if (options.causal && options.demos != NULL)
    return cli_usage_error ("infer", "--causal applies to --mdp (gridworld demonstrations "
                            "have deterministic dynamics, where both models agree)");
  if (options.json == NULL)
    options.json = "-";
  {
    const CliFile outputs[] = { { "--json", options.json } };
    const CliFile inputs[] = { { "--demos", options.demos }, { "--mdp", options.mdp },
                               { "--utility", options.utility } };
    int rc = cli_check_files ("infer", outputs, G_N_ELEMENTS (outputs), inputs,
                              G_N_ELEMENTS (inputs));

    if (rc >= 0)
      return rc;
  }

  /* The solve cannot stop midway: a signal ends the process at once, before anything is
   * written; write_output() runs after cli_stop_end(). */
  cli_stop_begin ("infer", TRUE);
  return options.demos != NULL ? infer_demos (&options) : infer_mdp (&options);
}
