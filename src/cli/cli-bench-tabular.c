/* cli-bench-tabular.c: the figures tabular reinforcement-learning demos publish, measured
 * here so that they compare side by side: environment steps per second, value-iteration
 * sweeps per second and tabular Q-learning steps per second
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The value-iteration problem is the 10×10 "cliff" gridworld of the REINFORCEjs dynamic
 * programming demo, rebuilt from its description: states s = 10 x + y; up to four moves (left,
 * down, up, right) that stay on the grid; two walls of cells the agent cannot enter (column
 * x = 1..8 at y = 2, and row x = 4 at y = 2..7, with a gap at (5, 2)); a reward paid for the
 * cell the agent is in, +1 at (5, 5) and −1 at nine cells around it; from (5, 5) every move
 * goes back to the start (0, 0); γ = 0.9. A sweep is one synchronous evaluation of the current
 * policy followed by one greedy improvement that splits ties evenly, as the demo's value
 * iteration runs them. After convergence the values of the free cells sum to 33.386563,
 * which the benchmark prints as its check.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "cli.h"
#include "sim-level.h"
#include "sim-scenario.h"

#define GW 10
#define GS (GW * GW)
#define GOAL 55
#define GAMMA 0.9

typedef struct
{
  double reward[GS];
  gboolean wall[GS];
  int n_moves[GS];
  int next[GS][4];          /* successor of each allowed move */
} Gridworld;

static void
gridworld_init (Gridworld *g)
{
  static const int negative[] = { 54, 64, 65, 85, 86, 37, 33, 67, 57 };

  memset (g, 0, sizeof *g);
  g->reward[GOAL] = 1.0;
  for (guint i = 0; i < G_N_ELEMENTS (negative); i++)
    g->reward[negative[i]] = -1.0;
  for (int q = 0; q < 8; q++)
    g->wall[(q + 1) * GW + 2] = TRUE;
  for (int q = 0; q < 6; q++)
    g->wall[4 * GW + q + 2] = TRUE;
  g->wall[5 * GW + 2] = FALSE;
  for (int s = 0; s < GS; s++)
    {
      static const int dx[4] = { -1, 0, 0, 1 }, dy[4] = { 0, -1, 1, 0 };
      int x = s / GW, y = s % GW;

      if (g->wall[s])
        g->reward[s] = 0.0;
      for (int a = 0; a < 4; a++)
        {
          int nx = x + dx[a], ny = y + dy[a], ns;

          if (nx < 0 || nx >= GW || ny < 0 || ny >= GW)
            continue;
          ns = s == GOAL ? 0 : nx * GW + ny;
          g->next[s][g->n_moves[s]++] = g->wall[ns] ? s : ns;
        }
    }
}

/* One sweep: V ← evaluation of π, then π ← greedy in V (ties split evenly). */
static void
gridworld_sweep (const Gridworld *g,
                 double          *V,
                 double          *Vnew,
                 double           P[GS][4])
{
  for (int s = 0; s < GS; s++)
    {
      double v = 0.0;

      if (!g->wall[s])
        for (int i = 0; i < g->n_moves[s]; i++)
          if (P[s][i] != 0.0)
            v += P[s][i] * (g->reward[s] + GAMMA * V[g->next[s][i]]);
      Vnew[s] = v;
    }
  memcpy (V, Vnew, sizeof (double) * GS);
  for (int s = 0; s < GS; s++)
    {
      double q[4], best = 0.0;
      int n_best = 0;

      if (g->wall[s])
        continue;
      for (int i = 0; i < g->n_moves[s]; i++)
        {
          q[i] = g->reward[s] + GAMMA * V[g->next[s][i]];
          if (i == 0 || q[i] > best)
            {
              best = q[i];
              n_best = 1;
            }
          else if (q[i] == best)
            {
              n_best++;
            }
        }
      for (int i = 0; i < g->n_moves[s]; i++)
        P[s][i] = q[i] == best ? 1.0 / n_best : 0.0;
    }
}

static void
gridworld_reset (const Gridworld *g,
                 double          *V,
                 double           P[GS][4])
{
  memset (V, 0, sizeof (double) * GS);
  for (int s = 0; s < GS; s++)
    for (int i = 0; i < 4; i++)
      P[s][i] = i < g->n_moves[s] ? 1.0 / g->n_moves[s] : 0.0;
}

/* Tabular Q-learning on the same gridworld: ε-greedy (ε = 0.2), α = 0.1, γ = 0.9, episodes
 * from the start that end when the goal sends the agent back. Returns steps per second. */
static double
qlearning_rate (const Gridworld *g,
                double           seconds)
{
  static double Q[GS][4];
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gint64 start = g_get_monotonic_time (), now = start;
  gint64 steps = 0;
  int s = 0;

  memset (Q, 0, sizeof Q);
  gsl_rng_set (rng, 1);
  while ((now - start) < seconds * 1e6)
    {
      for (int k = 0; k < 100000; k++, steps++)
        {
          int n = g->n_moves[s], a = 0, ns;
          double target, qmax;

          if (gsl_rng_uniform (rng) < 0.2)
            a = (int) gsl_rng_uniform_int (rng, (unsigned long) n);
          else
            for (int i = 1; i < n; i++)
              if (Q[s][i] > Q[s][a])
                a = i;
          ns = g->next[s][a];
          qmax = Q[ns][0];
          for (int i = 1; i < g->n_moves[ns]; i++)
            qmax = MAX (qmax, Q[ns][i]);
          target = g->reward[s] + GAMMA * qmax;
          Q[s][a] += 0.1 * (target - Q[s][a]);
          s = ns;
        }
      now = g_get_monotonic_time ();
    }
  gsl_rng_free (rng);
  return steps / ((now - start) / 1e6);
}

/* Environment steps on a 16×16 coin level: a uniformly random walk, restarted at the start
 * when it enters a terminal cell or runs out of steps. */
static double
env_step_rate (double seconds)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimLevel) level = NULL;
  gint64 start, now;
  gint64 steps = 0;
  int s, t = 0;
  volatile int sink = 0;

  gsl_rng_set (rng, 1);
  level = sim_scenario_generate (SIM_SCENARIO_COIN, 16, SIM_DIST_TEST, rng);
  s = level->start;
  start = now = g_get_monotonic_time ();
  while ((now - start) < seconds * 1e6)
    {
      for (int k = 0; k < 100000; k++, steps++)
        {
          s = sim_level_step (level, s, (SimAction) gsl_rng_uniform_int (rng, SIM_N_ACTIONS));
          if (++t >= level->horizon || sim_cell_is_terminal ((SimCell) level->cells[s]))
            {
              s = level->start;
              t = 0;
            }
        }
      now = g_get_monotonic_time ();
    }
  sink = s;
  (void) sink;
  gsl_rng_free (rng);
  return steps / ((now - start) / 1e6);
}

/* Value iteration from the uniform policy until the sum of the free cells' values no longer
 * changes; returns that sum and the number of sweeps. */
static double
gridworld_value_sum (int *sweeps)
{
  Gridworld g;
  double V[GS], Vnew[GS], P[GS][4], sum = 0.0, previous = -1.0;
  int n = 0;

  gridworld_init (&g);
  gridworld_reset (&g, V, P);
  /* Until the sum stops changing, and at least as long as the demo takes to settle. */
  for (n = 0; n < 10000; n++)
    {
      gridworld_sweep (&g, V, Vnew, P);
      sum = 0.0;
      for (int s = 0; s < GS; s++)
        if (!g.wall[s])
          sum += V[s];
      if (n >= 200 && sum == previous)
        break;
      previous = sum;
    }
  if (sweeps != NULL)
    *sweeps = n + 1;
  return sum;
}

void
cli_bench_tabular (gboolean quick)
{
  Gridworld g;
  double V[GS], Vnew[GS], P[GS][4];
  double seconds = quick ? 0.2 : 1.0;
  double value_sum;
  gint64 start, now, sweeps = 0;
  int n_converge;

  gridworld_init (&g);
  value_sum = gridworld_value_sum (&n_converge);
  printf ("peer_gridworld_dp_value_sum %.6f value\n", value_sum);
  printf ("peer_gridworld_dp_sweeps_to_converge %d count\n", n_converge);
  gridworld_reset (&g, V, P);
  start = now = g_get_monotonic_time ();
  while ((now - start) < seconds * 1e6)
    {
      for (int k = 0; k < 100; k++, sweeps++)
        gridworld_sweep (&g, V, Vnew, P);
      now = g_get_monotonic_time ();
    }
  printf ("peer_gridworld_dp_sweeps %.0f per_second\n", sweeps / ((now - start) / 1e6));
  printf ("peer_gridworld_qlearning_steps %.2f M/s\n",
          qlearning_rate (&g, seconds) / 1e6);
  printf ("peer_env_steps_16x16 %.2f M/s\n", env_step_rate (seconds) / 1e6);
  fflush (stdout);
}
