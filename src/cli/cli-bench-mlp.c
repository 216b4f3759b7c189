/* cli-bench-mlp.c: the network agent's figures of mesascope-cli bench: one update at 8×8
 * (32 levels), and one whole base iteration of a training run with its evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "sim-mlp.h"
#include "sim-train.h"

/* Milliseconds of wall time and of this thread's processor time since the marks. */
static void
elapsed (gint64           wall_start,
         struct timespec *cpu_start,
         double          *wall_ms,
         double          *cpu_ms)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  *wall_ms = (g_get_monotonic_time () - wall_start) / 1e3;
  *cpu_ms = (now.tv_sec - cpu_start->tv_sec) * 1e3 + (now.tv_nsec - cpu_start->tv_nsec) / 1e6;
}

/* The medians of n timed calls of step(data), wall and processor time, as two lines. */
static void
bench_lines (FILE        *out,
             const char  *name,
             int          n,
             void       (*step) (gpointer data),
             gpointer     data)
{
  g_autofree double *wall = g_new (double, n);
  g_autofree double *cpu = g_new (double, n);

  for (int i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      struct timespec cpu_start;

      clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu_start);
      step (data);
      elapsed (start, &cpu_start, &wall[i], &cpu[i]);
    }
  qsort (wall, n, sizeof (double), cli_compare_doubles);
  qsort (cpu, n, sizeof (double), cli_compare_doubles);
  fprintf (out, "%s %.3f ms\n", name, wall[n / 2]);
  fprintf (out, "%s_cpu %.3f ms\n", name, cpu[n / 2]);
}

static void
update_step (gpointer data)
{
  sim_mlp_train (data, 1);
}

static void
train_step (gpointer data)
{
  sim_train_step (data);
}

void
cli_bench_mlp (FILE     *out,
               gboolean  quick)
{
  g_autoptr (SimMlp) mlp = NULL;
  g_autoptr (SimTrain) train = NULL;
  SimConfig config;

  g_return_if_fail (out != NULL);

  sim_config_init_default (&config);
  config.agent = SIM_AGENT_MLP;
  mlp = sim_mlp_new (&config);
  sim_mlp_train (mlp, 2);
  bench_lines (out, "mlp_update_8x8_32_levels", quick ? 10 : 60, update_step, mlp);

  /* A whole base iteration as the window runs it (the default 60 iterations share the
   * updates, each evaluates the train and test sets exactly), without inference. */
  config.infer_every = 0;
  train = sim_train_new (&config, NULL);
  g_return_if_fail (train != NULL);
  bench_lines (out, "mlp_train_iteration_8x8", quick ? 5 : 21, train_step, train);
}
