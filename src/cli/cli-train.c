/* cli-train.c: mesascope-cli train
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "cli.h"
#include "cli-train.h"
#include "sim-demos.h"
#include "sim-experiment.h"
#include "sim-history-csv.h"
#include "sim-train-inference.h"
#include "sim-keys-run.h"
#include "sim-qlearner.h"
#include "sim-train.h"
#include "sim-vector.h"

static const char train_usage[] =
  "Usage: mesascope-cli train [OPTION…]\n"
  "\n"
  "Run a base optimizer on a scenario and report, per iteration, the base-objective success\n"
  "on training and test levels and how often test episodes end at the proxy. The same\n"
  "options and seed always give the same numbers.\n"
  "\n"
  "Options:\n"
  "  --scenario coin|green-exit|keys-chests   Scenario (default coin)\n"
  "  --agent planner|qlearner|mlp             Agent (default planner; mlp = a small neural\n"
  "                                           network policy)\n"
  "  --optimizer pgn|cem|pg                   Base optimizer of the planner (default pgn,\n"
  "                                           policy gradient with a normalised step that\n"
  "                                           shrinks over the last 40 % of the\n"
  "                                           iterations; pg = policy gradient with Adam);\n"
  "                                           refused with --agent qlearner, which has none\n"
  "  --perception full|hidden:PCT|radius:R    Target perception (default full); R from 1\n"
  "                                           to twice the grid size\n"
  "  --diversity PCT                          Training levels drawn from the test\n"
  "                                           distribution, in percent (default 0)\n"
  "  --no-near-corner                         Leave out the near_corner feature\n"
  "  --grid N                                 Grid size: 8, 12 or 16 (default 8)\n"
  "  --iterations K                           Base iterations, 1 to 100000 within the\n"
  "                                           limit below (default 60); the Q-learner's\n"
  "                                           2000 episodes are spread over them, and\n"
  "                                           pgn's step schedule is stretched to them\n"
  "  --seed S                                 Random seed, 0 to 4294967295 (default 1)\n"
  "  --infer-every K                          Objective inference every K iterations,\n"
  "                                           0 = never (default 4)\n"
  "  --planning-depth H                       How many steps ahead the planner looks when\n"
  "                                           it acts: 1 = greedy, 0 = the whole episode\n"
  "                                           (default 0); planner only\n"
  "  --json FILE|-                            Write the results as JSON ('-': stdout)\n"
  "  --csv FILE|-                             Write one CSV row per iteration\n"
  "  --export-demos FILE                      Write the demonstrations of the last\n"
  "                                           inference in the format of 'infer --demos'\n"
  "                                           (with --infer-every 0, one inference runs\n"
  "                                           at the end); not for keys-chests\n"
  "  --save-experiment FILE                   Write the run as an experiment file, which\n"
  "                                           the app opens to the same plots\n"
  "  --experiment FILE                        Start from an experiment file's configuration;\n"
  "                                           options given on the command line override it\n"
  "  -h, --help                               Show this help\n"
  "\n"
  "An option given twice, or with an empty value, is a usage error.\n"
  "\n"
  "Scenario keys-chests trains the next-pickup planner with the cross-entropy method, or\n"
  "with --agent mlp the network by REINFORCE, on levels with 2 keys and 6 chests and tests\n"
  "it on levels with 6 keys and 2 chests. Unless given, --optimizer is cem, --perception\n"
  "full and --iterations 20 (CEM generations; the network's 800 updates are spread over\n"
  "them) there; the planner refuses other optimizers and perceptions, the network takes any\n"
  "perception (the chest is its target), and the Q-learner does not run it.\n"
  "--diversity 100 is the control run, trained on the test distribution. The target is the\n"
  "chest and the proxy the key: *_target is chests opened / 2 and test_proxy keys collected\n"
  "/ 6; the JSON adds the counts (train_keys, train_chests, test_keys, test_chests) and the\n"
  "inferred angle of [key, chest] in degrees (mesa_angle, the planner's own, is null for\n"
  "the network).\n"
  "\n"
  "Limit: a run may take at most 300000 units of work, about five minutes on a current\n"
  "computer; longer runs are refused (exit status 2) with the most iterations allowed.\n"
  "An iteration costs its step plus 1/K of an inference with --infer-every K (one more\n"
  "inference runs at the end), in units:\n"
  "                         grid 8   grid 12   grid 16\n"
  "  pgn or pg step              6        12        30\n"
  "  cem step                   45       180       300\n"
  "  Q-learner step              5        15        45\n"
  "  inference                   5        15        40\n"
  "times 1.5 with hidden:PCT and 3 with radius:R; keys-chests: 10 a step, 20 an inference.\n"
  "So grid 16 with cem and inference every 4 iterations allows 967 iterations, grid 8 with\n"
  "pgn 41378.\n"
  "\n"
  "When standard error is a terminal, the iteration, the time elapsed and an estimate of the\n"
  "time left are shown there as training runs. SIGINT (Ctrl+C) or SIGTERM stops the run at\n"
  "the end of the current iteration without writing anything (a second one stops at once).\n"
  "\n"
  "Without --json or --csv a short table is printed.\n"
  "Exit status: 0 on success, 1 when the run or an output file fails, 2 on a usage error,\n"
  "130 when stopped by SIGINT and 143 by SIGTERM.\n";

/* Parses a whole decimal number in [min, max]; refuses signs where min is 0, spaces, trailing
 * text and overflow. */
static gboolean
parse_number (const char *text,
              gint64      min,
              gint64      max,
              gint64     *out)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0' || g_ascii_isspace (*text))
    return FALSE;
  if (min >= 0 && (*text == '-' || *text == '+'))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

/* Which options the command line set, so they can override an experiment file. */
typedef struct
{
  CliTrainOptions run;
  const char *json, *csv, *experiment, *export_demos, *save_experiment;
} Options;

static const CliValueOption value_options[] = {
  { "--scenario", G_STRUCT_OFFSET (Options, run.scenario) },
  { "--agent", G_STRUCT_OFFSET (Options, run.agent) },
  { "--optimizer", G_STRUCT_OFFSET (Options, run.optimizer) },
  { "--perception", G_STRUCT_OFFSET (Options, run.perception) },
  { "--diversity", G_STRUCT_OFFSET (Options, run.diversity) },
  { "--grid", G_STRUCT_OFFSET (Options, run.grid) },
  { "--iterations", G_STRUCT_OFFSET (Options, run.iterations) },
  { "--seed", G_STRUCT_OFFSET (Options, run.seed) },
  { "--infer-every", G_STRUCT_OFFSET (Options, run.infer_every) },
  { "--planning-depth", G_STRUCT_OFFSET (Options, run.planning_depth) },
  { "--json", G_STRUCT_OFFSET (Options, json) },
  { "--csv", G_STRUCT_OFFSET (Options, csv) },
  { "--experiment", G_STRUCT_OFFSET (Options, experiment) },
  { "--export-demos", G_STRUCT_OFFSET (Options, export_demos) },
  { "--save-experiment", G_STRUCT_OFFSET (Options, save_experiment) },
};

/* Returns -1 when parsing went through, else the exit code (help: 0, errors: 2). */
static int
parse_options (int      argc,
               char   **argv,
               Options *opts)
{
  memset (opts, 0, sizeof *opts);
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      int status;

      if (strcmp (arg, "-h") == 0 || strcmp (arg, "--help") == 0)
        {
          fputs (train_usage, stdout);
          return CLI_EXIT_OK;
        }
      if (strcmp (arg, "--no-near-corner") == 0)
        {
          opts->run.no_near_corner = TRUE;
          continue;
        }
      if (arg[0] != '-' || arg[1] != '-')
        {
          if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error ("train", "unknown option '%s'", arg);
          return cli_usage_error ("train", "unexpected argument '%s'", arg);
        }
      if (!cli_take_listed_value ("train", argc, argv, &i, value_options,
                                  G_N_ELEMENTS (value_options), opts, &status))
        return cli_unknown_option ("train", arg);
      if (status >= 0)
        return status;
    }
  return -1;
}

int
cli_train_apply_options (const char            *sub,
                         const CliTrainOptions *opts,
                         SimConfig             *config)
{
  gint64 value;
  g_autoptr (GError) error = NULL;

  if (opts->scenario != NULL && !sim_scenario_from_string (opts->scenario, &config->scenario))
    return cli_usage_error (sub, "--scenario: '%s' is not a scenario (expected coin, "
                            "green-exit or keys-chests)", opts->scenario);
  /* Keys-chests has its own optimizer, perception and length (docs/science.md §2 C); what the
   * command line does not set follows the scenario. */
  if (opts->scenario != NULL && config->scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      config->optimizer = SIM_OPTIMIZER_CEM;
      config->perception = SIM_PERCEPTION_FULL;
      config->perception_param = 0;
      config->iterations = SIM_KEYS_CEM_GENERATIONS;
    }
  if (opts->agent != NULL && !sim_agent_from_string (opts->agent, &config->agent))
    return cli_usage_error (sub, "--agent: '%s' is not an agent (expected planner, "
                            "qlearner or mlp)", opts->agent);
  if (opts->optimizer != NULL && !sim_optimizer_from_string (opts->optimizer, &config->optimizer))
    return cli_usage_error (sub, "--optimizer: '%s' is not a base optimizer (expected pgn, "
                            "cem or pg)", opts->optimizer);
  /* The Q-learner has no base optimizer: it learns by Q-learning over its fixed number of
   * episodes, whatever the configuration's optimizer says. */
  if (opts->optimizer != NULL && config->agent == SIM_AGENT_QLEARNER)
    return cli_usage_error (sub, "--optimizer: the Q-learner has no base optimizer (it "
                            "learns by Q-learning, %d episodes spread over the iterations); "
                            "--optimizer applies to --agent planner", SIM_QLEARNER_EPISODES);
  if (opts->diversity != NULL)
    {
      if (!parse_number (opts->diversity, 0, 100, &value))
        return cli_usage_error (sub, "--diversity: '%s' is not a percentage (a whole number "
                                "from 0 to 100)", opts->diversity);
      config->diversity = (int) value;
    }
  if (opts->no_near_corner)
    config->near_corner = FALSE;
  if (opts->grid != NULL)
    {
      if (!parse_number (opts->grid, 0, G_MAXINT, &value) ||
          (value != 8 && value != 12 && value != 16))
        return cli_usage_error (sub, "--grid: '%s' is not a supported grid size (expected "
                                "8, 12 or 16)", opts->grid);
      config->grid = (int) value;
    }
  /* After the grid, which bounds the radius. */
  if (opts->perception != NULL)
    {
      gboolean radius = g_str_has_prefix (opts->perception, "radius:");

      if ((!sim_perception_parse (opts->perception, &config->perception,
                                  &config->perception_param, &error) && radius) ||
          (radius && config->perception_param > 2 * config->grid))
        return cli_usage_error (sub, "--perception: '%s': the radius must be a whole number "
                                "of cells from 1 to %d (twice the grid size)", opts->perception,
                                2 * config->grid);
      if (error != NULL)
        return cli_usage_error (sub, "--perception: %s", error->message);
    }
  if (opts->iterations != NULL)
    {
      if (!parse_number (opts->iterations, 1, 100000, &value))
        return cli_usage_error (sub, "--iterations: '%s' is out of range (a whole number "
                                "from 1 to 100000)", opts->iterations);
      config->iterations = (int) value;
    }
  if (opts->seed != NULL)
    {
      if (!parse_number (opts->seed, 0, G_MAXUINT32, &value))
        return cli_usage_error (sub, "--seed: '%s' is not a seed (a whole number from 0 to "
                                "4294967295)", opts->seed);
      config->seed = (guint32) value;
    }
  if (opts->infer_every != NULL)
    {
      if (!parse_number (opts->infer_every, 0, 100000, &value))
        return cli_usage_error (sub, "--infer-every: '%s' is out of range (a whole number "
                                "from 0 to 100000)", opts->infer_every);
      config->infer_every = (int) value;
    }
  if (opts->planning_depth != NULL)
    {
      if (!parse_number (opts->planning_depth, 0, SIM_CONFIG_MAX_PLANNING_DEPTH, &value))
        return cli_usage_error (sub, "--planning-depth: '%s' is out of range (0 for the "
                                "whole episode, or a whole number from 1 to %d)",
                                opts->planning_depth, SIM_CONFIG_MAX_PLANNING_DEPTH);
      config->planning_depth = (int) value;
    }
  if (!sim_config_validate (config, &error))
    return cli_usage_error (sub, "%s", error->message);
  return -1;
}

/* The largest run. Work is counted in units of about a millisecond, the time each part took
 * (rounded up) with the release build on a shared 2-core x86-64 computer: an iteration costs
 * its step, and an inference every K iterations 1/K of an inference (one more runs at the end),
 * both times the perception's factor. 300000 units are about five minutes there, which leaves
 * room for a computer half as fast within ten. */
#define TRAIN_MAX_WORK 300000

/* Units of a step of pgn or pg, cem, the Q-learner, and of an inference, by grid 8, 12, 16. */
static const int step_units[3][3] = { { 6, 12, 30 }, { 45, 180, 300 }, { 5, 15, 45 } };
static const int inference_units[3] = { 5, 15, 40 };
#define KEYS_STEP_UNITS      10
#define KEYS_INFERENCE_UNITS 20

/* Units of an iteration and of an inference of config, with its perception's factor. */
static void
work_units (const SimConfig *config,
            double          *step,
            double          *inference)
{
  int g = config->grid == 8 ? 0 : config->grid == 12 ? 1 : 2;
  int kind = config->agent == SIM_AGENT_QLEARNER ? 2
             : config->optimizer == SIM_OPTIMIZER_CEM ? 1 : 0;
  double factor = config->perception == SIM_PERCEPTION_RADIUS ? 3.0
                  : config->perception == SIM_PERCEPTION_HIDDEN ? 1.5 : 1.0;

  if (config->scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      *step = KEYS_STEP_UNITS;
      *inference = KEYS_INFERENCE_UNITS;
      return;
    }
  *step = factor * step_units[kind][g];
  *inference = factor * inference_units[g];
}

int
cli_train_check_work (const char      *sub,
                      const SimConfig *config)
{
  double step, inference, per_iteration, total;
  int most;

  work_units (config, &step, &inference);
  per_iteration = step + (config->infer_every > 0 ? inference / config->infer_every : 0.0);
  total = config->iterations * per_iteration + (config->infer_every > 0 ? inference : 0.0);
  if (total <= TRAIN_MAX_WORK)
    return -1;
  most = (int) ((TRAIN_MAX_WORK - (config->infer_every > 0 ? inference : 0.0)) / per_iteration);
  return cli_usage_error (sub, "--iterations %d: this run would take about %.0f units of "
                          "work (%.4g an iteration), beyond the limit of %d (about five "
                          "minutes); with these options at most %d iterations",
                          config->iterations, total, per_iteration, TRAIN_MAX_WORK, most);
}

static void
add_vector (JsonBuilder  *builder,
            const char   *name,
            const double *values,
            int           n)
{
  json_builder_set_member_name (builder, name);
  if (values == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_array (builder);
  for (int i = 0; i < n; i++)
    cli_json_add_number (builder, values[i]);
  json_builder_end_array (builder);
}

/* Keys-chests counts of a record (and, where inference ran, its angle). */
static void
add_keys_members (JsonBuilder          *builder,
                  const SimTrainRecord *r)
{
  json_builder_set_member_name (builder, "train_keys");
  cli_json_add_number (builder, r->train_keys);
  json_builder_set_member_name (builder, "train_chests");
  cli_json_add_number (builder, r->train_chests);
  json_builder_set_member_name (builder, "test_keys");
  cli_json_add_number (builder, r->test_keys);
  json_builder_set_member_name (builder, "test_chests");
  cli_json_add_number (builder, r->test_chests);
  if (r->has_inference)
    {
      json_builder_set_member_name (builder, "inferred_angle");
      cli_json_add_number (builder, r->inferred_angle);
    }
}

/* The goal-directedness scores, as "goal_directedness": { "inferred": { "score",
 * "interval": [lo, hi], "nats", "decisions" }, "base": …, "true": …, "held_out": … } (null
 * figures where a score was not computed). */
static void
add_goal_members (JsonBuilder  *builder,
                  const double *goal,
                  const double *goal_lo,
                  const double *goal_hi,
                  const double *goal_nats,
                  const int    *goal_decisions)
{
  static const char *const names[SIM_TRAIN_N_GOALS] = { "inferred", "base", "true",
                                                        "held_out" };

  json_builder_set_member_name (builder, "goal_directedness");
  json_builder_begin_object (builder);
  for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
    {
      json_builder_set_member_name (builder, names[g]);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "score");
      cli_json_add_number (builder, goal[g]);
      json_builder_set_member_name (builder, "interval");
      json_builder_begin_array (builder);
      cli_json_add_number (builder, goal_lo[g]);
      cli_json_add_number (builder, goal_hi[g]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "nats");
      cli_json_add_number (builder, goal_nats[g]);
      json_builder_set_member_name (builder, "decisions");
      json_builder_add_int_value (builder, goal_decisions[g]);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

void
cli_train_add_final (JsonBuilder         *builder,
                     const SimSweepFinal *final)
{
  json_builder_set_member_name (builder, "final");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "train_target");
  cli_json_add_number (builder, final->train_target);
  json_builder_set_member_name (builder, "test_target");
  cli_json_add_number (builder, final->test_target);
  json_builder_set_member_name (builder, "test_proxy");
  cli_json_add_number (builder, final->test_proxy);
  json_builder_set_member_name (builder, "predicted_test_target");
  cli_json_add_number (builder, final->predicted_test_target);
  json_builder_set_member_name (builder, "predicted_test_proxy");
  cli_json_add_number (builder, final->predicted_test_proxy);
  json_builder_set_member_name (builder, "cos_inferred_base");
  cli_json_add_number (builder, final->cos_inferred_base);
  json_builder_set_member_name (builder, "cos_inferred_true");
  cli_json_add_number (builder, final->cos_inferred_true);
  add_goal_members (builder, final->goal, final->goal_lo, final->goal_hi, final->goal_nats,
                    final->goal_decisions);
  if (final->keys)
    {
      if (final->has_last)
        {
          SimTrainRecord last = { 0 };

          last.train_keys = final->train_keys;
          last.train_chests = final->train_chests;
          last.test_keys = final->test_keys;
          last.test_chests = final->test_chests;
          last.has_inference = final->last_has_inference;
          last.inferred_angle = final->last_inferred_angle;
          add_keys_members (builder, &last);
        }
      json_builder_set_member_name (builder, "inferred_angle");
      cli_json_add_number (builder, final->inferred_angle);
      json_builder_set_member_name (builder, "inferred_angle_sd");
      cli_json_add_number (builder, final->inferred_angle_sd);
      json_builder_set_member_name (builder, "mesa_angle");
      cli_json_add_number (builder, final->mesa_angle);
    }
  json_builder_end_object (builder);
}

static char *
build_json (SimTrain *train)
{
  const SimConfig *config = sim_train_get_config (train);
  int nf = sim_train_get_n_features (train);
  int n;
  const SimTrainRecord *history = sim_train_get_history (train, &n);
  const SimTrainRecord *last_inference = NULL;
  const double *theta = sim_train_get_theta (train);
  const double *weights = sim_train_get_qlearner_weights (train);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  gboolean keys = config->scenario == SIM_SCENARIO_KEYS_CHESTS;
  SimSweepFinal final;

  for (int i = 0; i < n; i++)
    if (history[i].has_inference)
      last_inference = &history[i];

  json_builder_begin_object (builder);
  sim_config_to_json (config, builder, FALSE);

  json_builder_set_member_name (builder, "features");
  json_builder_begin_array (builder);
  for (int f = 0; f < nf; f++)
    json_builder_add_string_value (builder, sim_train_get_feature_name (train, f));
  json_builder_end_array (builder);
  add_vector (builder, "base_objective", sim_train_get_base_objective (train), nf);
  add_vector (builder, "mesa_objective", theta, nf);
  if (weights != NULL)
    {
      json_builder_set_member_name (builder, "qlearner_features");
      json_builder_begin_array (builder);
      for (int k = 0; k < SIM_QLEARNER_N_FEATURES; k++)
        json_builder_add_string_value (builder, sim_qlearner_feature_name (k));
      json_builder_end_array (builder);
      add_vector (builder, "qlearner_weights", weights, SIM_QLEARNER_N_FEATURES);
    }
  add_vector (builder, "inferred_objective",
              last_inference != NULL ? last_inference->inferred : NULL, nf);

  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);
  for (int i = 0; i < n; i++)
    {
      const SimTrainRecord *r = &history[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "iteration");
      json_builder_add_int_value (builder, r->iteration);
      json_builder_set_member_name (builder, "train_target");
      cli_json_add_number (builder, r->train_target);
      json_builder_set_member_name (builder, "test_target");
      cli_json_add_number (builder, r->test_target);
      json_builder_set_member_name (builder, "test_proxy");
      cli_json_add_number (builder, r->test_proxy);
      json_builder_set_member_name (builder, "train_proxy");
      cli_json_add_number (builder, r->train_proxy);
      json_builder_set_member_name (builder, "test_lava");
      cli_json_add_number (builder, r->test_lava);
      json_builder_set_member_name (builder, "train_return");
      cli_json_add_number (builder, r->train_return);
      json_builder_set_member_name (builder, "test_return");
      cli_json_add_number (builder, r->test_return);
      add_vector (builder, "inferred", r->has_inference ? r->inferred : NULL, nf);
      if (r->has_inference)
        add_goal_members (builder, r->goal, r->goal_lo, r->goal_hi, r->goal_nats,
                          r->goal_decisions);
      if (keys)
        add_keys_members (builder, r);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  sim_sweep_final_init (&final, train);
  cli_train_add_final (builder, &final);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return cli_json_text (root);
}

static void
print_table (SimTrain *train)
{
  int nf = sim_train_get_n_features (train);
  int n;
  const SimTrainRecord *history = sim_train_get_history (train, &n);
  const double *theta = sim_train_get_theta (train);

  if (sim_train_get_config (train)->scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      printf ("%9s  %10s  %12s  %9s  %11s\n", "iteration", "train_keys", "train_chests",
              "test_keys", "test_chests");
      for (int i = 0; i < n; i++)
        printf ("%9d  %10.2f  %12.2f  %9.2f  %11.2f\n", history[i].iteration,
                history[i].train_keys, history[i].train_chests, history[i].test_keys,
                history[i].test_chests);
    }
  else
    {
      printf ("%9s  %12s  %11s  %10s\n", "iteration", "train_target", "test_target",
              "test_proxy");
      for (int i = 0; i < n; i++)
        printf ("%9d  %12.3f  %11.3f  %10.3f\n", history[i].iteration,
                history[i].train_target, history[i].test_target, history[i].test_proxy);
    }
  if (theta != NULL)
    {
      printf ("mesa objective:");
      for (int f = 0; f < nf; f++)
        printf (" %s=%.3f", sim_train_get_feature_name (train, f), theta[f]);
      printf ("\n");
    }
}

/* train's tick: the progress line, and a stop at SIGINT or SIGTERM. */
static gboolean
on_iteration (SimTrain *train,
              gpointer  data)
{
  cli_progress_update (data, sim_train_get_iteration (train),
                       sim_train_get_n_iterations (train));
  return cli_stop_requested () == 0;
}

int
cli_train (int    argc,
           char **argv)
{
  Options opts;
  SimConfig config;
  g_autoptr (SimTrain) train = NULL;
  SimProbes *probes = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *csv = NULL;
  CliProgress progress;
  int rc;

  rc = parse_options (argc, argv, &opts);
  if (rc >= 0)
    return rc;

  sim_config_init_default (&config);
  if (opts.experiment != NULL)
    {
      g_autoptr (SimExperiment) experiment = sim_experiment_load (opts.experiment, &error);

      if (experiment == NULL)
        {
          fprintf (stderr, "mesascope-cli train: %s\n", error->message);
          return CLI_EXIT_FAIL;
        }
      config = experiment->config;
    }
  rc = cli_train_apply_options ("train", &opts.run, &config);
  if (rc >= 0)
    return rc;
  {
    const CliFile outputs[] = {
      { "--json", opts.json }, { "--csv", opts.csv }, { "--export-demos", opts.export_demos },
      { "--save-experiment", opts.save_experiment },
    };
    const CliFile inputs[] = { { "--experiment", opts.experiment } };

    rc = cli_check_files ("train", outputs, G_N_ELEMENTS (outputs), inputs,
                          G_N_ELEMENTS (inputs));
    if (rc >= 0)
      return rc;
  }

  /* Exported demonstrations come from the last inference: with inference off, run it once at
   * the end. */
  if (opts.export_demos != NULL && config.infer_every == 0)
    config.infer_every = config.iterations;
  rc = cli_train_check_work ("train", &config);
  if (rc >= 0)
    return rc;
  if (opts.export_demos != NULL && config.scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      fprintf (stderr, "mesascope-cli train: --export-demos: the keys-chests scenario has no "
               "demonstrations to export (its inference scores recorded decisions, not paths)\n");
      return CLI_EXIT_FAIL;
    }
  train = sim_sweep_train_new (&config, opts.export_demos != NULL, &probes, &error);
  if (train == NULL && g_error_matches (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID))
    return cli_usage_error ("train", "%s", error->message);
  if (train == NULL)
    {
      fprintf (stderr, "mesascope-cli train: %s\n", error->message);
      return CLI_EXIT_FAIL;
    }
  cli_stop_begin ("train", FALSE);
  cli_progress_init (&progress, "train", "iteration");
  cli_progress_update (&progress, 0, sim_train_get_n_iterations (train));
  if (!sim_sweep_train_run (train, on_iteration, &progress))
    {
      cli_progress_clear (&progress);
      return cli_stopped ();
    }
  cli_progress_clear (&progress);
  cli_stop_end ();

  /* Every output is written even when another one failed. */
  rc = CLI_EXIT_OK;
  if (opts.export_demos != NULL)
    {
      g_autoptr (SimDemos) demos = sim_probes_dup_demos (probes);
      g_autofree char *text = demos != NULL ? sim_demos_to_string (demos) : NULL;

      if (demos == NULL)
        fprintf (stderr, "mesascope-cli train: --export-demos: no probe demonstrations (the "
                 "inference did not run)\n");
      if (text == NULL || !cli_write_output ("train", "--export-demos", opts.export_demos, text))
        rc = CLI_EXIT_FAIL;
    }
  if (opts.json != NULL)
    {
      json = build_json (train);
      if (!cli_write_output ("train", "--json", opts.json, json))
        rc = CLI_EXIT_FAIL;
    }
  if (opts.csv != NULL)
    {
      csv = sim_history_csv_new (train);
      if (!cli_write_output ("train", "--csv", opts.csv, csv))
        rc = CLI_EXIT_FAIL;
    }
  if (opts.save_experiment != NULL)
    {
      g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();
      g_autoptr (SimExperiment) experiment = NULL;
      g_autofree char *text = NULL;

      sim_train_fill_snapshot (train, 0, snapshot);
      experiment = sim_experiment_new_from_snapshot (snapshot);
      text = sim_experiment_to_json (experiment);
      if (!cli_write_output ("train", "--save-experiment", opts.save_experiment, text))
        rc = CLI_EXIT_FAIL;
    }
  if (opts.json == NULL && opts.csv == NULL)
    print_table (train);
  return rc;
}
