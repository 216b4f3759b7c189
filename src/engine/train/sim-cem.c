/* sim-cem.c: the cross-entropy method (see sim-cem.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-cem.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>

#include "sim-vector.h"

typedef struct
{
  double fitness;
  int index;
} Ranked;

/* Best first; equal fitness keeps the candidates' order, so the ranking is deterministic. */
static int
compare_ranked (const void *pa,
                const void *pb)
{
  const Ranked *a = pa;
  const Ranked *b = pb;

  if (a->fitness > b->fitness)
    return -1;
  if (a->fitness < b->fitness)
    return 1;
  return (a->index > b->index) - (a->index < b->index);
}

double
sim_cem_generation (const SimCemParams *params,
                    int                 n,
                    double             *mean,
                    double             *sd,
                    gsl_rng            *rng,
                    SimCemFitness       fitness,
                    gpointer            user_data,
                    double             *elite_fitness)
{
  int population, elite;
  g_autofree double *cand = NULL;
  g_autofree Ranked *ranked = NULL;
  double elite_sum = 0.0;

  g_return_val_if_fail (params != NULL && mean != NULL && sd != NULL && rng != NULL, NAN);
  g_return_val_if_fail (params->elite >= 1 && params->elite <= params->population, NAN);

  population = params->population;
  elite = params->elite;
  cand = g_new (double, (gsize) population * n);
  ranked = g_new (Ranked, population);
  for (int i = 0; i < population; i++)
    {
      double *c = cand + (gsize) i * n;

      for (int f = 0; f < n; f++)
        c[f] = mean[f] + sd[f] * gsl_ran_gaussian (rng, 1.0);
      sim_ball_project (c, n);
    }
  for (int i = 0; i < population; i++)
    {
      ranked[i].fitness = fitness (cand + (gsize) i * n, user_data);
      ranked[i].index = i;
    }
  qsort (ranked, population, sizeof (Ranked), compare_ranked);

  for (int f = 0; f < n; f++)
    {
      double mu = 0.0, var = 0.0;

      for (int k = 0; k < elite; k++)
        mu += cand[(gsize) ranked[k].index * n + f];
      mu /= elite;
      for (int k = 0; k < elite; k++)
        {
          double dev = cand[(gsize) ranked[k].index * n + f] - mu;

          var += dev * dev;
        }
      var /= elite;
      mean[f] = (1.0 - params->keep) * mu + params->keep * mean[f];
      sd[f] = (1.0 - params->keep) * sqrt (var) + params->keep * sd[f] + params->sd_floor;
    }
  sim_ball_project (mean, n);
  for (int k = 0; k < elite; k++)
    elite_sum += ranked[k].fitness;
  if (elite_fitness != NULL)
    *elite_fitness = elite_sum / elite;
  return ranked[0].fitness;
}
