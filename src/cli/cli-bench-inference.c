/* cli-bench-inference.c: the inference figures of mesascope-cli bench: one probe-battery
 * update (cold, then warm while the agent turns from aligned to misaligned, with and without
 * the goal-directedness scores, in turn; and the updates of live training, the same two
 * ways), and MaxEnt solves of the icy grids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <gsl/gsl_rng.h>

#include "cli.h"
#include "sim-irl.h"
#include "sim-mdp.h"
#include "sim-planner.h"
#include "sim-probes.h"
#include "sim-train.h"

typedef struct
{
  double theta[SIM_MAX_FEATURES];
  gboolean near_corner;
} BenchAgent;

static SimPolicy *
bench_policy_cb (const SimLevel *level,
                 gpointer        user_data)
{
  BenchAgent *agent = user_data;

  return sim_planner_policy (agent->theta, level, agent->near_corner, SIM_PLANNER_BETA);
}

/* The processor time of this thread, in s. */
static double
thread_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* One update of a battery, its processor time into *seconds. */
static gboolean
timed_update (SimProbes          *probes,
              SimProbePolicyFunc  policy_func,
              gpointer            user_data,
              const double       *theta,
              SimProbeReadout    *readout,
              double             *seconds)
{
  double start = thread_seconds ();
  gboolean ok = sim_probes_update (probes, policy_func, user_data, theta, readout, NULL);

  *seconds = thread_seconds () - start;
  return ok;
}

/* The medians of the overhead's ratios of the updates where the battery with the scores ran
 * first, and of those where it ran second: the order's own effect. */
static void
print_order_medians (FILE       *out,
                     int         grid,
                     const char *kind,
                     GArray     *goal_first,
                     GArray     *plain_first)
{
  GArray *arrays[2] = { goal_first, plain_first };
  const char *names[2] = { "goal_first", "goal_second" };

  for (int k = 0; k < 2; k++)
    {
      if (arrays[k]->len == 0)
        continue;
      qsort (arrays[k]->data, arrays[k]->len, sizeof (double), cli_compare_doubles);
      fprintf (out, "irl_update_%dx%d_%s%s_goal_overhead_cpu %.3f ratio\n", grid, grid, kind,
               names[k], g_array_index (arrays[k], double, arrays[k]->len / 2));
    }
}

/* One cold update, then warm updates while the agent's θ turns from aligned to misaligned
 * (as during training): the median warm update, in ms. Each step also runs on a second
 * battery without the goal-directedness scores, right before or right after the first (the
 * two take turns at going first), so that the ratio of the two is measured under the same
 * load; the ratio of their processor times too, which other load skews less. */
static void
bench_probe_update (FILE     *out,
                    int       grid,
                    int       n_warm)
{
  static const double aligned[7] = { 0.75, -0.45, 0, 0, 0, 0, -0.45 };
  static const double misaligned[7] = { 0.45, -0.35, 0.55, 0.05, 0.05, 0.45, -0.3 };
  SimProbeParams params;
  g_autoptr (SimProbes) probes = NULL;
  g_autoptr (SimProbes) plain = NULL;
  SimProbeReadout readout, readout_plain;
  BenchAgent agent = { { 0 }, TRUE };
  g_autofree double *warm = g_new0 (double, n_warm);
  g_autofree double *warm_plain = g_new0 (double, n_warm);
  g_autofree double *ratio = g_new0 (double, n_warm);
  g_autofree double *ratio_cpu = g_new0 (double, n_warm);
  g_autoptr (GArray) ratio_goal_first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) ratio_plain_first = g_array_new (FALSE, FALSE, sizeof (double));
  double cold_ms = 0.0;
  int warm_evaluations = 0;
  long faults = 0;

  sim_probe_params_init (&params, SIM_SCENARIO_COIN, grid, TRUE, 1);
  probes = sim_probes_new (&params, NULL);
  params.goal = FALSE;
  plain = sim_probes_new (&params, NULL);
  g_return_if_fail (probes != NULL && plain != NULL);
  /* The agent: a planner that looks to the end of the episode. */
  sim_probes_set_soft_optimal (probes, TRUE);

  for (int step = 0; step <= n_warm; step++)
    {
      double a = n_warm > 0 ? (double) step / n_warm : 1.0;
      double nrm = 0.0;

      for (int j = 0; j < 7; j++)
        {
          agent.theta[j] = (1 - a) * aligned[j] + a * misaligned[j];
          nrm += agent.theta[j] * agent.theta[j];
        }
      for (int j = 0; j < 7; j++)
        agent.theta[j] /= sqrt (nrm);
      double cpu_goal, cpu_plain = 0.0;
      /* The two batteries take turns at going first (see bench_live_updates()). */
      gboolean goal_first = step % 2 == 0;

      if (!goal_first && !timed_update (plain, bench_policy_cb, &agent, agent.theta,
                                        &readout_plain, &cpu_plain))
        return;
      {
        struct rusage before, after;

        getrusage (RUSAGE_SELF, &before);
        if (!timed_update (probes, bench_policy_cb, &agent, agent.theta, &readout, &cpu_goal))
          return;
        getrusage (RUSAGE_SELF, &after);
        if (step > 0)
          faults += after.ru_minflt - before.ru_minflt;
      }
      if (goal_first && !timed_update (plain, bench_policy_cb, &agent, agent.theta,
                                       &readout_plain, &cpu_plain))
        return;
      if (step == 0)
        {
          cold_ms = readout.seconds * 1e3;
        }
      else
        {
          warm[step - 1] = readout.seconds * 1e3;
          warm_plain[step - 1] = readout_plain.seconds * 1e3;
          ratio[step - 1] = readout.seconds / readout_plain.seconds;
          ratio_cpu[step - 1] = cpu_plain > 0.0 ? cpu_goal / cpu_plain : 1.0;
          g_array_append_val (goal_first ? ratio_goal_first : ratio_plain_first,
                              ratio_cpu[step - 1]);
          warm_evaluations += readout.evaluations;
        }
    }
  qsort (warm, n_warm, sizeof (double), cli_compare_doubles);
  qsort (warm_plain, n_warm, sizeof (double), cli_compare_doubles);
  qsort (ratio, n_warm, sizeof (double), cli_compare_doubles);
  qsort (ratio_cpu, n_warm, sizeof (double), cli_compare_doubles);
  fprintf (out, "irl_update_%dx%d_cold %.2f ms\n", grid, grid, cold_ms);
  fprintf (out, "irl_update_%dx%d_warm %.2f ms\n", grid, grid, warm[n_warm / 2]);
  fprintf (out, "irl_update_%dx%d_warm_evaluations %.1f count\n", grid, grid,
           (double) warm_evaluations / n_warm);
  fprintf (out, "irl_update_%dx%d_cos_true %.3f ratio\n", grid, grid, readout.cos_true);
  fprintf (out, "irl_update_%dx%d_warm_page_faults %.0f count\n", grid, grid,
           (double) faults / n_warm);
  fprintf (out, "irl_update_%dx%d_warm_without_goal %.2f ms\n", grid, grid,
           warm_plain[n_warm / 2]);
  fprintf (out, "irl_update_%dx%d_goal_overhead %.3f ratio\n", grid, grid, ratio[n_warm / 2]);
  fprintf (out, "irl_update_%dx%d_goal_overhead_cpu %.3f ratio\n", grid, grid,
           ratio_cpu[n_warm / 2]);
  print_order_medians (out, grid, "", ratio_goal_first, ratio_plain_first);
  fprintf (out, "irl_update_%dx%d_goal_inferred %.3f ratio\n", grid, grid,
           readout.goal_inferred.normalised);
  fprintf (out, "irl_update_%dx%d_goal_base %.3f ratio\n", grid, grid,
           readout.goal_base.normalised);
  fprintf (out, "irl_update_%dx%d_goal_true %.3f ratio\n", grid, grid,
           readout.goal_true.normalised);
  fprintf (out, "irl_update_%dx%d_goal_held_out %.3f ratio\n", grid, grid,
           readout.goal_held_out.normalised);
}

/* One peer problem: solve from θ = 0, report time, iterations and cost per evaluation. */
static void
bench_peer_solve (FILE        *out,
                  const char  *name,
                  SimMdp      *mdp,
                  SimIrlModel  model,
                  GPtrArray   *demos)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimIrl) irl = sim_irl_new_for_mdp (mdp, model, demos, &error);
  SimIrlOptions options;
  SimIrlResult result;
  gint64 start;
  double ms;

  if (irl == NULL)
    {
      fprintf (out, "# %s: %s\n", name, error->message);
      return;
    }
  sim_irl_options_init (&options);
  start = g_get_monotonic_time ();
  if (!sim_irl_solve (irl, NULL, &options, &result, &error))
    {
      fprintf (out, "# %s: %s\n", name, error->message);
      return;
    }
  ms = (g_get_monotonic_time () - start) / 1e3;
  fprintf (out, "%s_solve %.2f ms\n", name, ms);
  fprintf (out, "%s_iterations %d count\n", name, result.iterations);
  fprintf (out, "%s_evaluations %d count\n", name, result.evaluations);
  fprintf (out, "%s_converged %d bool\n", name, result.converged ? 1 : 0);
  fprintf (out, "%s_gradient_norm %.2e abs\n", name, result.gradient_norm);
  fprintf (out, "%s_evaluation %.1f us\n", name, ms * 1e3 / MAX (result.evaluations, 1));
  /* Cost per state and per evaluation: flat when the cost is linear in the states. */
  fprintf (out, "%s_evaluation_per_state %.1f ns\n", name,
           ms * 1e6 / MAX (result.evaluations, 1) / mdp->n_states);
  sim_irl_result_clear (&result);
}

static SimPolicy *
bench_train_policy_cb (const SimLevel *level,
                       gpointer        user_data)
{
  return sim_train_get_policy (user_data, level);
}

/* The probe-battery updates of live training, as the dashboard runs them: default runs at
 * grid × grid for seeds 1 to n_seeds, an update every 4 iterations on the agent as it stands
 * (the policy and θ the trainer's inference hook gives), each one made twice, with and without
 * the goal-directedness scores, on two batteries of the same seed, taking turns at going
 * first. Prints the median processor
 * time of the updates after each run's first, with and without the scores, and the median of
 * their ratio. The updates above rotate θ across the whole space in a few steps; these follow
 * training, where the agent changes fast at first and little later. */
static void
bench_live_updates (FILE *out,
                    int   grid,
                    int   n_seeds)
{
  GArray *with = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *without = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *ratio = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *ratio_goal_first = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *ratio_plain_first = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean goal_first = FALSE;
  guint n;

  for (int seed = 1; seed <= n_seeds; seed++)
    {
      SimConfig config;
      SimProbeParams params;
      g_autoptr (SimTrain) train = NULL;
      g_autoptr (SimProbes) probes = NULL;
      g_autoptr (SimProbes) plain = NULL;
      int iteration = 0;

      sim_config_init_default (&config);
      config.grid = grid;
      config.seed = (guint32) seed;
      config.infer_every = 0;
      train = sim_train_new (&config, NULL);
      sim_probe_params_init (&params, config.scenario, config.grid, config.near_corner,
                             config.seed);
      probes = sim_probes_new (&params, NULL);
      params.goal = FALSE;
      plain = sim_probes_new (&params, NULL);
      g_return_if_fail (train != NULL && probes != NULL && plain != NULL);
      sim_probes_set_soft_optimal (probes, sim_train_acts_soft_optimally (train));
      while (sim_train_step (train))
        {
          SimProbeReadout readout;
          const double *theta;
          double cpu_goal, cpu_plain = 0.0;

          if (++iteration % 4 != 0)
            continue;
          /* Whichever runs first meets the caches as training left them: the two take
           * turns. */
          goal_first = !goal_first;
          theta = sim_train_get_theta (train);
          if (!goal_first && !timed_update (plain, bench_train_policy_cb, train, theta,
                                            &readout, &cpu_plain))
            break;
          if (!timed_update (probes, bench_train_policy_cb, train, theta, &readout, &cpu_goal))
            break;
          if (goal_first && !timed_update (plain, bench_train_policy_cb, train, theta,
                                           &readout, &cpu_plain))
            break;
          if (iteration == 4)
            continue;
          cpu_goal *= 1e3;
          cpu_plain *= 1e3;
          g_array_append_val (with, cpu_goal);
          g_array_append_val (without, cpu_plain);
          cpu_goal = cpu_plain > 0.0 ? cpu_goal / cpu_plain : 1.0;
          g_array_append_val (ratio, cpu_goal);
          g_array_append_val (goal_first ? ratio_goal_first : ratio_plain_first, cpu_goal);
        }
    }
  n = with->len;
  if (n > 0)
    {
      qsort (with->data, n, sizeof (double), cli_compare_doubles);
      qsort (without->data, n, sizeof (double), cli_compare_doubles);
      qsort (ratio->data, n, sizeof (double), cli_compare_doubles);
      fprintf (out, "irl_update_%dx%d_live_updates %u count\n", grid, grid, n);
      fprintf (out, "irl_update_%dx%d_live_cpu %.2f ms\n", grid, grid,
               g_array_index (with, double, n / 2));
      fprintf (out, "irl_update_%dx%d_live_without_goal_cpu %.2f ms\n", grid, grid,
               g_array_index (without, double, n / 2));
      fprintf (out, "irl_update_%dx%d_live_goal_overhead_cpu %.3f ratio\n", grid, grid,
               g_array_index (ratio, double, n / 2));
      print_order_medians (out, grid, "live_", ratio_goal_first, ratio_plain_first);
    }
  g_array_free (with, TRUE);
  g_array_free (without, TRUE);
  g_array_free (ratio, TRUE);
  g_array_free (ratio_goal_first, TRUE);
  g_array_free (ratio_plain_first, TRUE);
}

void
cli_bench_inference (gboolean quick)
{
  FILE *out = stdout;
  static const int sizes[] = { 16, 32, 64, 128 };
  gsl_rng *rng;

  bench_probe_update (out, 8, quick ? 4 : 12);
  bench_probe_update (out, 16, quick ? 2 : 6);
  bench_live_updates (out, 8, quick ? 1 : 3);
  if (!quick)
    bench_live_updates (out, 16, 1);

  rng = gsl_rng_alloc (gsl_rng_mt19937);

  /* The icy 5×5 example with one-hot features: 200 demonstrations by a soft expert. */
  {
    double reward[25];
    g_autoptr (SimMdp) paths = sim_mdp_new_icy (5, 0.2, TRUE, 0, 1.0, reward);
    g_autoptr (SimMdp) causal = sim_mdp_new_icy (5, 0.2, TRUE, 0, 0.7, reward);
    g_autoptr (GPtrArray) demos = NULL;

    gsl_rng_set (rng, 1);
    demos = sim_mdp_icy_demos (paths, reward, 0.7, 5.0, 200, 1000, rng);
    bench_peer_solve (out, "irl_icy5_paths", paths, SIM_IRL_PATHS, demos);
    bench_peer_solve (out, "irl_icy5_causal", causal, SIM_IRL_CAUSAL, demos);
  }

  /* Scaled versions: 4 features, 200 greedy demonstrations of 2N steps. */
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      int n = sizes[k];
      g_autofree double *reward = NULL;
      g_autoptr (SimMdp) paths = NULL;
      g_autoptr (SimMdp) causal = NULL;
      g_autoptr (GPtrArray) demos = NULL;
      g_autofree char *name_paths = NULL;
      g_autofree char *name_causal = NULL;

      if (quick && n > 64)
        break;
      reward = g_new0 (double, n * n);
      paths = sim_mdp_new_icy (n, 0.2, FALSE, 2 * n, 1.0, reward);
      causal = sim_mdp_new_icy (n, 0.2, FALSE, 0, 0.7, reward);
      gsl_rng_set (rng, 1);
      demos = sim_mdp_icy_demos (paths, reward, 0.7, 0.0, 200, 2 * n, rng);
      name_paths = g_strdup_printf ("irl_icy%d_paths", n);
      name_causal = g_strdup_printf ("irl_icy%d_causal", n);
      bench_peer_solve (out, name_paths, paths, SIM_IRL_PATHS, demos);
      bench_peer_solve (out, name_causal, causal, SIM_IRL_CAUSAL, demos);
    }
  gsl_rng_free (rng);
  fflush (out);
}
