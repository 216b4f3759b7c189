/* cli-bench.c: mesascope-cli bench
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <gsl/gsl_rng.h>

#include "cli.h"
#include "sim-irl.h"
#include "sim-mdp.h"
#include "sim-mlp.h"
#include "sim-optimizer.h"
#include "sim-planner.h"
#include "sim-probes.h"
#include "sim-scenario.h"
#include "sim-train.h"

static const char bench_usage[] =
  "Usage: mesascope-cli bench [--quick] [--peer]\n"
  "\n"
  "Measure the engine's speed. Prints one line per figure: name value unit.\n"
  "Times are medians over repeated runs on this machine; other load skews them.\n"
  "The work is fixed: about 45 seconds on a current computer, --peer alone about 40.\n"
  "\n"
  "Options:\n"
  "  --quick        Fewer repetitions (rough figures in about ten seconds)\n"
  "  --peer         Only the peer comparison: the tabular figures (a 10x10 gridworld's value\n"
  "                 iteration and Q-learning, environment steps) and the MDP solves\n"
  "                 (icy grids, infer --mdp), with one-hot features up to 128x128\n"
  "  -h, --help     Show this help\n";

int
cli_compare_doubles (const void *pa,
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
  qsort (values, n, sizeof (double), cli_compare_doubles);
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

/* The stationary passes' sweeps of the last peer_solve(). */
static guint64 peer_sweeps;

/* One MDP solve from θ = 0 as "infer --mdp" runs it; returns the milliseconds, fills result
 * and, when log_domain is not NULL, the number of passes that left the exp domain; leaves the
 * sweeps of its stationary passes in peer_sweeps. */
static double
peer_solve (SimMdp       *mdp,
            SimIrlModel   model,
            GPtrArray    *demos,
            SimIrlResult *result,
            guint64      *log_domain)
{
  g_autoptr (SimIrl) irl = sim_irl_new_for_mdp (mdp, model, demos, NULL);
  gint64 t0;

  if (irl == NULL)
    return NAN;
  t0 = g_get_monotonic_time ();
  if (!sim_irl_solve (irl, NULL, NULL, result, NULL))
    return NAN;
  if (log_domain != NULL)
    sim_irl_get_fast_counts (irl, NULL, log_domain);
  peer_sweeps = sim_irl_get_sweep_count (irl);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* A "VmRSS:"-style line of /proc/self/status, in KiB; -1 where there is none. */
static gint64
status_kib (const char *key)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  line = strstr (text, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

/* Linux resets the peak resident size (VmHWM) to the current one when 5 is written to
 * /proc/self/clear_refs. */
static gboolean
reset_peak (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fputs ("5", f) >= 0;
  return fclose (f) == 0 && ok;
}

/* Starts a memory measurement: returns the current resident size in KiB, or -1. Heap
 * memory that was freed is handed back first, so that what is allocated next shows. */
static gint64
memory_mark (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  if (!reset_peak ())
    return -1;
  return status_kib ("VmRSS:");
}

/* How far resident memory rose above `mark` at its peak since memory_mark(), in KiB. */
static double
memory_peak_kib (gint64 mark)
{
  gint64 peak = status_kib ("VmHWM:");

  if (mark < 0 || peak < 0)
    return NAN;
  return (double) MAX (peak - mark, 0);
}

/* One solve of the one-hot figures. */
typedef struct
{
  double ms;
  int evaluations;
  int iterations;
  gboolean converged;
  double peak_kib;
} PeerRun;

static PeerRun
peer_run (SimMdp      *mdp,
          SimIrlModel  model,
          GPtrArray   *demos)
{
  SimIrlResult result = { 0 };
  PeerRun run;
  gint64 mark = memory_mark ();

  run.ms = peer_solve (mdp, model, demos, &result, NULL);
  run.peak_kib = memory_peak_kib (mark);
  run.evaluations = result.evaluations;
  run.iterations = result.iterations;
  run.converged = result.converged;
  sim_irl_result_clear (&result);
  return run;
}

static void
print_run (const char    *prefix,
           const PeerRun *run)
{
  printf ("%s_solve %.1f ms\n", prefix, run->ms);
  printf ("%s_evaluations %d count\n", prefix, run->evaluations);
  printf ("%s_evaluation %.2f ms\n", prefix, run->ms / MAX (run->evaluations, 1));
  printf ("%s_converged %d bool\n", prefix, run->converged ? 1 : 0);
  printf ("%s_peak_memory %.0f KiB\n", prefix, run->peak_kib);
  fflush (stdout);
}

/* One-hot features at scale (one feature per state, the tabular case), stored sparsely:
 * the 64×64 icy grid's causal solve (γ = 0.7) against the same grid with the 4 features of
 * the scaled grids, the two solves alternating and the ratio of their medians taken within
 * this run; then the 128×128 grid with one-hot features, MaxEnt over paths (horizon 2N) and
 * causal, each beside the same solve with 4 features, whose peak memory is the passes' own
 * working set. */
static void
bench_peer_one_hot (gboolean  quick,
                    gsl_rng  *rng)
{
  int repeats = quick ? 1 : 3;
  const char *names[2] = { "paths", "causal" };

  {
    int n = 64;
    g_autofree double *reward = g_new0 (double, n * n);
    g_autoptr (SimMdp) four = sim_mdp_new_icy (n, 0.2, FALSE, 0, 0.7, reward);
    g_autoptr (SimMdp) one_hot = sim_mdp_new_icy (n, 0.2, TRUE, 0, 0.7, reward);
    g_autoptr (GPtrArray) demos = NULL;
    g_autofree double *t_four = g_new (double, repeats);
    g_autofree double *t_one = g_new (double, repeats);
    g_autofree double *e_four = g_new (double, repeats);
    g_autofree double *e_one = g_new (double, repeats);
    PeerRun run_four = { 0 }, run_one = { 0 };
    double m_four, m_one;

    gsl_rng_set (rng, 1);
    demos = sim_mdp_icy_demos (four, reward, 0.7, 0.0, 200, 2 * n, rng);
    for (int r = 0; r < repeats; r++)
      {
        run_four = peer_run (four, SIM_IRL_CAUSAL, demos);
        run_one = peer_run (one_hot, SIM_IRL_CAUSAL, demos);
        t_four[r] = run_four.ms;
        t_one[r] = run_one.ms;
        e_four[r] = run_four.ms / MAX (run_four.evaluations, 1);
        e_one[r] = run_one.ms / MAX (run_one.evaluations, 1);
      }
    m_four = median (t_four, repeats);
    m_one = median (t_one, repeats);
    run_four.ms = m_four;
    run_one.ms = m_one;
    print_run ("peer_icy64_causal_4_features", &run_four);
    print_run ("peer_icy64_causal_one_hot", &run_one);
    printf ("peer_icy64_causal_one_hot_over_4_features_solve %.2f ratio\n", m_one / m_four);
    printf ("peer_icy64_causal_one_hot_over_4_features_evaluation %.2f ratio\n",
            median (e_one, repeats) / median (e_four, repeats));
    fflush (stdout);
  }
  if (quick)
    return;
  {
    int n = 128;
    g_autofree double *reward = g_new0 (double, n * n);
    SimMdp *mdps[2][2];
    g_autoptr (GPtrArray) demos = NULL;

    for (int m = 0; m < 2; m++)
      for (int one = 0; one < 2; one++)
        mdps[m][one] = sim_mdp_new_icy (n, 0.2, one, m == 0 ? 2 * n : 0, m == 0 ? 1.0 : 0.7,
                                        reward);
    gsl_rng_set (rng, 1);
    demos = sim_mdp_icy_demos (mdps[0][0], reward, 0.7, 0.0, 200, 2 * n, rng);
    for (int m = 0; m < 2; m++)
      {
        SimIrlModel model = m == 0 ? SIM_IRL_PATHS : SIM_IRL_CAUSAL;
        PeerRun four = peer_run (mdps[m][0], model, demos);
        PeerRun one = peer_run (mdps[m][1], model, demos);
        g_autofree char *prefix_four = g_strdup_printf ("peer_icy128_%s_4_features", names[m]);
        g_autofree char *prefix_one = g_strdup_printf ("peer_icy128_%s_one_hot", names[m]);

        print_run (prefix_four, &four);
        print_run (prefix_one, &one);
        printf ("%s_over_4_features_solve %.2f ratio\n", prefix_one, one.ms / four.ms);
        printf ("%s_over_4_features_peak_memory %.2f ratio\n", prefix_one,
                one.peak_kib / MAX (four.peak_kib, 1.0));
        fflush (stdout);
      }
    for (int m = 0; m < 2; m++)
      for (int one = 0; one < 2; one++)
        sim_mdp_unref (mdps[m][one]);
  }
}

/* The peer comparison of issue #9: the icy 5×5 grid with one-hot features (the median of
 * several whole solves, model paths = MaxEnt over paths with γ = 1, causal = maximum causal
 * entropy with γ = 0.7), then the scaled grids with 4 features. For those: the time per BFGS
 * iteration, per evaluation and state (and per time step for the finite-horizon paths
 * model, whose passes cover 2N steps: flat when the cost is linear in states), and how far
 * resident memory rose at its peak (Linux) while the two grids and the demonstrations were
 * built, and during each solve (per state: flat when memory is linear in states). */
static void
bench_peer (gboolean quick)
{
  static const int sizes[] = { 16, 32, 64, 128 };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  cli_bench_tabular (quick);
  {
    double reward[25];
    g_autoptr (SimMdp) paths = sim_mdp_new_icy (5, 0.2, TRUE, 0, 1.0, reward);
    g_autoptr (SimMdp) causal = sim_mdp_new_icy (5, 0.2, TRUE, 0, 0.7, reward);
    g_autoptr (GPtrArray) demos = NULL;
    SimMdp *mdps[2] = { paths, causal };
    const char *names[2] = { "paths", "causal" };
    int repeats = quick ? 3 : 11;

    gsl_rng_set (rng, 1);
    demos = sim_mdp_icy_demos (paths, reward, 0.7, 5.0, 200, 1000, rng);
    for (int m = 0; m < 2; m++)
      {
        g_autofree double *times = g_new (double, repeats);
        g_autofree char *name = NULL;
        SimIrlResult result = { 0 };

        for (int r = 0; r < repeats; r++)
          {
            sim_irl_result_clear (&result);
            times[r] = peer_solve (mdps[m], m == 0 ? SIM_IRL_PATHS : SIM_IRL_CAUSAL, demos,
                                   &result, NULL);
          }
        name = g_strdup_printf ("peer_icy5_%s_solve", names[m]);
        print_figure (name, median (times, repeats), "ms");
        printf ("peer_icy5_%s_iterations %d count\n", names[m], result.iterations);
        printf ("peer_icy5_%s_evaluations %d count\n", names[m], result.evaluations);
        printf ("peer_icy5_%s_objective %.10f value\n", names[m], result.objective);
        printf ("peer_icy5_%s_gradient_norm %.2e abs\n", names[m], result.gradient_norm);
        printf ("peer_icy5_%s_converged %d bool\n", names[m], result.converged ? 1 : 0);
        fflush (stdout);
        sim_irl_result_clear (&result);
      }
  }

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      int n = sizes[k];
      g_autofree double *reward = g_new0 (double, n * n);
      g_autoptr (SimMdp) paths = NULL;
      g_autoptr (SimMdp) causal = NULL;
      g_autoptr (GPtrArray) demos = NULL;
      SimMdp *mdps[2];
      const char *names[2] = { "paths", "causal" };
      gint64 mark;
      double input_kib;

      if (quick && n > 64)
        break;
      mark = memory_mark ();
      paths = sim_mdp_new_icy (n, 0.2, FALSE, 2 * n, 1.0, reward);
      causal = sim_mdp_new_icy (n, 0.2, FALSE, 0, 0.7, reward);
      mdps[0] = paths;
      mdps[1] = causal;
      gsl_rng_set (rng, 1);
      demos = sim_mdp_icy_demos (paths, reward, 0.7, 0.0, 200, 2 * n, rng);
      input_kib = memory_peak_kib (mark);
      printf ("peer_icy%d_input_peak_memory %.0f KiB\n", n, input_kib);
      printf ("peer_icy%d_input_peak_memory_per_state %.0f bytes\n", n,
              input_kib * 1024.0 / ((double) n * n));
      for (int m = 0; m < 2; m++)
        {
          SimIrlResult result = { 0 };
          double ms, per_eval, peak_kib;
          guint64 log_domain = 0;

          mark = memory_mark ();
          ms = peer_solve (mdps[m], m == 0 ? SIM_IRL_PATHS : SIM_IRL_CAUSAL, demos, &result,
                           &log_domain);
          per_eval = ms / MAX (result.evaluations, 1);
          peak_kib = memory_peak_kib (mark);

          printf ("peer_icy%d_%s_solve %.1f ms\n", n, names[m], ms);
          printf ("peer_icy%d_%s_iteration %.2f ms\n", n, names[m],
                  ms / MAX (result.iterations, 1));
          printf ("peer_icy%d_%s_evaluations %d count\n", n, names[m], result.evaluations);
          if (m == 0)
            printf ("peer_icy%d_%s_evaluation_per_state_step %.2f ns\n", n, names[m],
                    per_eval * 1e6 / ((double) n * n * 2 * n));
          else
            {
              printf ("peer_icy%d_%s_evaluation_per_state %.1f ns\n", n, names[m],
                      per_eval * 1e6 / ((double) n * n));
              /* The whole solve's time over its stationary sweeps (each over every state):
               * what one state costs in one sweep, the rest of the solve included. */
              printf ("peer_icy%d_%s_sweeps_per_evaluation %.1f count\n", n, names[m],
                      (double) peer_sweeps / MAX (result.evaluations, 1));
              printf ("peer_icy%d_%s_per_state_sweep %.1f ns\n", n, names[m],
                      ms * 1e6 / ((double) MAX (peer_sweeps, 1) * n * n));
            }
          printf ("peer_icy%d_%s_converged %d bool\n", n, names[m], result.converged ? 1 : 0);
          if (m == 0)
            printf ("peer_icy%d_%s_log_domain_passes %" G_GUINT64_FORMAT " count\n", n,
                    names[m], log_domain);
          printf ("peer_icy%d_%s_peak_memory %.0f KiB\n", n, names[m], peak_kib);
          printf ("peer_icy%d_%s_peak_memory_per_state %.0f bytes\n", n, names[m],
                  peak_kib * 1024.0 / ((double) n * n));
          fflush (stdout);
          sim_irl_result_clear (&result);
        }
    }
  bench_peer_one_hot (quick, rng);
  gsl_rng_free (rng);
}

int
cli_bench (int    argc,
           char **argv)
{
  gboolean quick = FALSE;
  gboolean peer_only = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--quick") == 0)
        quick = TRUE;
      else if (strcmp (argv[i], "--peer") == 0)
        peer_only = TRUE;
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

  if (peer_only)
    {
      bench_peer (quick);
      return CLI_EXIT_OK;
    }
  print_figure ("pgn_iteration_8x8", optimizer_step_ms (SIM_OPTIMIZER_PGN, 8, quick ? 5 : 31),
                "ms");
  print_figure ("softvi_state_updates_8x8", soft_vi_rate (8, quick ? 0.2 : 1.0), "M/s");
  print_figure ("cem_generation_8x8", optimizer_step_ms (SIM_OPTIMIZER_CEM, 8, quick ? 1 : 5),
                "ms");
  print_figure ("train_step_8x8", train_step_ms (quick ? 3 : 11), "ms");
  cli_bench_mlp (stdout, quick);
  if (!quick)
    {
      print_figure ("pgn_iteration_16x16", optimizer_step_ms (SIM_OPTIMIZER_PGN, 16, 11), "ms");
      print_figure ("softvi_state_updates_16x16", soft_vi_rate (16, 1.0), "M/s");
    }
  cli_bench_inference (quick);
  bench_peer (quick);
  return CLI_EXIT_OK;
}
