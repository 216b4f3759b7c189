/* cli-bench.c: mesascope-cli bench
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "cli.h"
#include "sim-optimizer.h"
#include "sim-planner.h"
#include "sim-probes.h"
#include "sim-scenario.h"
#include "sim-train.h"

static const char bench_usage[] =
  "Usage: mesascope-cli bench [--quick]\n"
  "\n"
  "Measure the engine's speed. Prints one line per figure: name value unit.\n"
  "Times are medians over repeated runs on this machine; other load skews them.\n"
  "\n"
  "Options:\n"
  "  --quick        Fewer repetitions (a rough figure in a second or two)\n"
  "  -h, --help     Show this help\n";

static int
compare_doubles (const void *pa,
                 const void *pb)
{
  double a = *(const double *) pa;
  double b = *(const double *) pb;

  return (a > b) - (a < b);
}

static double
median (double *values,
        int     n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

static void
print_figure (const char *name,
              double      value,
              const char *unit)
{
  printf ("%s %.3f %s\n", name, value, unit);
  fflush (stdout);
}

/* Median time of one base iteration of a fresh planner run (after two warm-up steps). */
static double
optimizer_step_ms (SimOptimizerKind kind,
                   int              grid,
                   int              repeats)
{
  SimConfig config;
  g_autoptr (SimOptimizer) optimizer = NULL;
  g_autofree double *times = g_new (double, repeats);

  sim_config_init_default (&config);
  config.optimizer = kind;
  config.grid = grid;
  optimizer = sim_optimizer_new (&config, NULL);
  for (int i = 0; i < 2; i++)
    sim_optimizer_step (optimizer);
  for (int i = 0; i < repeats; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      sim_optimizer_step (optimizer);
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  return median (times, repeats);
}

/* Soft value iteration throughput on 32 test levels, with a trained-looking θ: state updates
 * (time steps × states solved) per second, in millions; the median of several rounds. */
static double
soft_vi_rate (int    grid,
              double seconds)
{
  static const double theta[7] = { 0.59, -0.19, 0.59, 0.0, -0.01, 0.32, -0.16 };
  SimPlanLevel *levels[SIM_OPTIMIZER_LEVELS];
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double rates[7];
  const int n_rounds = G_N_ELEMENTS (rates);

  gsl_rng_set (rng, 1);
  for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
    {
      g_autoptr (SimLevel) level = sim_scenario_generate (SIM_SCENARIO_COIN, grid,
                                                          SIM_DIST_TEST, rng);
      levels[i] = sim_plan_level_new (level, TRUE, SIM_SIGHT_FULL, 0);
    }
  for (int r = 0; r < n_rounds; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gint64 elapsed;
      gint64 updates = 0;

      do
        {
          for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
            updates += sim_planner_soft_vi (planner, levels[i], theta, SIM_PLANNER_BETA);
          elapsed = g_get_monotonic_time () - t0;
        }
      while (elapsed < seconds * 1e6 / n_rounds);
      rates[r] = (double) updates / (double) elapsed;
    }
  for (int i = 0; i < SIM_OPTIMIZER_LEVELS; i++)
    sim_plan_level_free (levels[i]);
  gsl_rng_free (rng);
  return median (rates, n_rounds);
}

/* One whole training step as the dashboard runs it: a pgn iteration plus the metrics on the
 * 64 + 64 evaluation levels (no inference). */
static double
train_step_ms (int repeats)
{
  SimConfig config;
  g_autoptr (SimTrain) train = NULL;
  g_autofree double *times = g_new (double, repeats);

  sim_config_init_default (&config);
  config.infer_every = 0;
  config.iterations = repeats + 2;
  train = sim_train_new (&config, NULL);
  for (int i = 0; i < 2; i++)
    sim_train_step (train);
  for (int i = 0; i < repeats; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      sim_train_step (train);
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  return median (times, repeats);
}

/* Objective inference figures (one IRL update, 16 probes × 8 trajectories, at 8×8 and 16×16)
 * are printed from here once inference lands. */
static void
bench_inference (gboolean quick)
{
  sim_bench_inference (stdout, quick);
  fflush (stdout);
}

int
cli_bench (int    argc,
           char **argv)
{
  gboolean quick = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--quick") == 0)
        quick = TRUE;
      else if (strcmp (argv[i], "-h") == 0 || strcmp (argv[i], "--help") == 0)
        {
          fputs (bench_usage, stdout);
          return CLI_EXIT_OK;
        }
      else if (argv[i][0] == '-')
        return cli_usage_error ("bench", "unknown option '%s'", argv[i]);
      else
        return cli_usage_error ("bench", "unexpected argument '%s'", argv[i]);
    }

  print_figure ("pgn_iteration_8x8", optimizer_step_ms (SIM_OPTIMIZER_PGN, 8, quick ? 5 : 31),
                "ms");
  print_figure ("softvi_state_updates_8x8", soft_vi_rate (8, quick ? 0.2 : 1.0), "M/s");
  print_figure ("cem_generation_8x8", optimizer_step_ms (SIM_OPTIMIZER_CEM, 8, quick ? 1 : 5),
                "ms");
  print_figure ("train_step_8x8", train_step_ms (quick ? 3 : 11), "ms");
  if (!quick)
    {
      print_figure ("pgn_iteration_16x16", optimizer_step_ms (SIM_OPTIMIZER_PGN, 16, 11), "ms");
      print_figure ("softvi_state_updates_16x16", soft_vi_rate (16, 1.0), "M/s");
    }
  bench_inference (quick);
  return CLI_EXIT_OK;
}
