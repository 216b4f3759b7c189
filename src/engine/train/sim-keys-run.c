/* sim-keys-run.c: a training run of scenario C, keys and chests (docs/science.md §2 C):
 * the cross-entropy method on the planner's θ or REINFORCE on the network (§9), the fixed
 * evaluation sets and the probe battery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-keys-run.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "sim-cem.h"
#include "sim-vector.h"

/* Seeds of the fixed sets every run shares. */
#define EVAL_LEVEL_SEED_TRAIN 0x6b657931u
#define EVAL_LEVEL_SEED_TEST  0x6b657932u
#define EVAL_ROLLOUT_SEED     0x6b657933u
#define PROBE_LEVEL_SEED      0x6b657934u
#define PROBE_ROLLOUT_SEED    0x6b657935u

struct _SimKeysRun
{
  guint32 seed;
  int diversity;                      /* % of training levels from the test distribution */
  int n_generations;
  gsl_rng *rng;                       /* owned; every draw of the run comes from it */
  int generation;
  double mean[SIM_KEYS_N_FEATURES];   /* the CEM mean, which is θ */
  double sd[SIM_KEYS_N_FEATURES];
  SimLevel *eval[SIM_N_DISTS][SIM_KEYS_EVAL_LEVELS];  /* owned */
  SimLevel *probes[SIM_KEYS_PROBES];                   /* owned */
  GArray *history;                    /* SimKeysRecord */
  SimMlp *mlp;                        /* owned; the network of a network run, else NULL */
  int eval_radius;                    /* the network's target radius in evaluation */
};

/* The current agent of a run, planner or network, as an agent of the episode drivers. */
typedef struct
{
  SimKeysRun *run;
  const double *theta;                /* the planner's θ and β */
  double beta;
} Agent;

static SimAction
agent_act (SimKeysEpisode  *ep,
           gsl_rng         *rng,
           SimKeysDecision *decision,
           gpointer         user_data)
{
  const Agent *agent = user_data;
  SimAction a;

  if (agent->run->mlp == NULL)
    return sim_keys_episode_act (ep, agent->theta, agent->beta, rng, decision);
  a = sim_mlp_keys_act (agent->run->mlp, ep, agent->run->eval_radius, rng);
  if (decision != NULL)
    {
      sim_keys_episode_decision (ep, decision);
      decision->action = (guint8) a;
    }
  return a;
}

static Agent
current_agent (SimKeysRun *run)
{
  Agent agent = { run, run->mean, SIM_KEYS_BETA };

  return agent;
}

static void
generate_set (guint32          seed,
              SimDistribution  dist,
              SimLevel       **levels,
              int              n)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, seed);
  for (int i = 0; i < n; i++)
    levels[i] = sim_keys_generate_level (rng, dist);
  gsl_rng_free (rng);
}

SimKeysRun *
sim_keys_run_new (guint32  seed,
                  gboolean control)
{
  return sim_keys_run_new_full (seed, control ? 100 : 0, SIM_KEYS_CEM_GENERATIONS);
}

SimKeysRun *
sim_keys_run_new_full (guint32 seed,
                       int     diversity,
                       int     n_generations)
{
  SimKeysRun *run;

  g_return_val_if_fail (diversity >= 0 && diversity <= 100, NULL);
  g_return_val_if_fail (n_generations >= 1, NULL);

  run = g_new0 (SimKeysRun, 1);
  run->seed = seed;
  run->diversity = diversity;
  run->n_generations = n_generations;
  run->rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (run->rng, seed);
  /* docs/science.md §1, cem row: m = θ0 = 0.05·N(0, I), sd = 0.5. */
  for (int f = 0; f < SIM_KEYS_N_FEATURES; f++)
    {
      run->mean[f] = SIM_KEYS_CEM_INIT_SCALE * gsl_ran_gaussian (run->rng, 1.0);
      run->sd[f] = SIM_KEYS_CEM_INIT_SD;
    }
  generate_set (EVAL_LEVEL_SEED_TRAIN, SIM_DIST_TRAIN, run->eval[SIM_DIST_TRAIN],
                SIM_KEYS_EVAL_LEVELS);
  generate_set (EVAL_LEVEL_SEED_TEST, SIM_DIST_TEST, run->eval[SIM_DIST_TEST],
                SIM_KEYS_EVAL_LEVELS);
  {
    gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

    gsl_rng_set (rng, PROBE_LEVEL_SEED);
    for (int i = 0; i < SIM_KEYS_PROBES; i++)
      run->probes[i] = sim_keys_generate_level (rng, i < SIM_KEYS_PROBES / 2 ? SIM_DIST_TRAIN
                                                                            : SIM_DIST_TEST);
    gsl_rng_free (rng);
  }
  run->history = g_array_new (FALSE, FALSE, sizeof (SimKeysRecord));
  return run;
}

SimKeysRun *
sim_keys_run_new_mlp (const SimConfig *config)
{
  SimKeysRun *run;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->scenario == SIM_SCENARIO_KEYS_CHESTS, NULL);
  g_return_val_if_fail (sim_config_validate (config, NULL), NULL);

  /* The shared parts (evaluation sets, probes) as for the planner; the CEM state stays
   * unused, and every draw of training comes from the network's own generator. */
  run = sim_keys_run_new_full (config->seed, config->diversity, config->iterations);
  run->mlp = sim_mlp_new (config);
  run->eval_radius = config->perception == SIM_PERCEPTION_RADIUS ? config->perception_param
                                                                 : SIM_MLP_TARGET_SEEN;
  for (int f = 0; f < SIM_KEYS_N_FEATURES; f++)
    run->mean[f] = run->sd[f] = NAN;
  return run;
}

void
sim_keys_run_free (SimKeysRun *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->mlp, sim_mlp_free);
  for (int d = 0; d < SIM_N_DISTS; d++)
    for (int i = 0; i < SIM_KEYS_EVAL_LEVELS; i++)
      g_clear_pointer (&run->eval[d][i], sim_level_unref);
  for (int i = 0; i < SIM_KEYS_PROBES; i++)
    g_clear_pointer (&run->probes[i], sim_level_unref);
  g_clear_pointer (&run->rng, gsl_rng_free);
  g_clear_pointer (&run->history, g_array_unref);
  g_free (run);
}

/* A generation's levels and rollout seed, the same for every candidate. */
typedef struct
{
  SimLevel **levels;
  guint32 rollout_seed;
} CemLevels;

static double
cem_fitness (const double *theta,
             gpointer      user_data)
{
  CemLevels *cl = user_data;
  SimKeysOutcome out;

  sim_keys_evaluate (theta, SIM_KEYS_BETA, cl->levels, SIM_KEYS_CEM_LEVELS,
                     SIM_KEYS_CEM_ROLLOUTS, cl->rollout_seed, &out);
  return out.base_return;
}

/* The fixed evaluation sets' counts of the current agent into rec. */
static void
evaluate_record (SimKeysRun    *run,
                 SimKeysRecord *rec)
{
  Agent agent = current_agent (run);
  SimKeysOutcome out;

  sim_keys_evaluate_agent (agent_act, &agent, run->eval[SIM_DIST_TRAIN], SIM_KEYS_EVAL_LEVELS,
                           SIM_KEYS_EVAL_ROLLOUTS, EVAL_ROLLOUT_SEED, &out);
  rec->train_chests = out.chests;
  rec->train_keys = out.keys;
  rec->train_return = out.base_return;
  sim_keys_evaluate_agent (agent_act, &agent, run->eval[SIM_DIST_TEST], SIM_KEYS_EVAL_LEVELS,
                           SIM_KEYS_EVAL_ROLLOUTS, EVAL_ROLLOUT_SEED, &out);
  rec->test_chests = out.chests;
  rec->test_keys = out.keys;
  rec->test_return = out.base_return;
}

/* One generation of a network run: its share of the updates, rounded to the nearest update,
 * then the metrics. */
static void
mlp_step (SimKeysRun *run)
{
  SimKeysRecord rec = { 0 };
  gint64 goal = ((gint64) SIM_MLP_UPDATES * (run->generation + 1) + run->n_generations / 2) /
                run->n_generations;
  int chunk = (int) goal - sim_mlp_updates_done (run->mlp);

  if (chunk > 0)
    sim_mlp_train (run->mlp, chunk);
  run->generation++;
  rec.generation = run->generation;
  for (int f = 0; f < SIM_KEYS_N_FEATURES; f++)
    rec.theta[f] = rec.sd[f] = NAN;
  rec.best_fitness = sim_mlp_last_return (run->mlp);
  rec.elite_fitness = NAN;
  evaluate_record (run, &rec);
  g_array_append_val (run->history, rec);
}

gboolean
sim_keys_run_step (SimKeysRun *run)
{
  SimLevel *levels[SIM_KEYS_CEM_LEVELS];
  guint32 rollout_seed;
  SimKeysRecord rec = { 0 };

  g_return_val_if_fail (run != NULL, FALSE);

  if (run->generation >= run->n_generations)
    return FALSE;

  if (run->mlp != NULL)
    {
      mlp_step (run);
      return TRUE;
    }

  /* Fresh levels and rollout seeds, the same for the whole population. Only a partly diverse
   * run draws a number to pick each level's distribution. */
  for (int i = 0; i < SIM_KEYS_CEM_LEVELS; i++)
    {
      SimDistribution dist;

      if (run->diversity <= 0)
        dist = SIM_DIST_TRAIN;
      else if (run->diversity >= 100)
        dist = SIM_DIST_TEST;
      else
        dist = gsl_rng_uniform (run->rng) * 100.0 < run->diversity ? SIM_DIST_TEST
                                                                   : SIM_DIST_TRAIN;
      levels[i] = sim_keys_generate_level (run->rng, dist);
    }
  rollout_seed = (guint32) gsl_rng_get (run->rng);

  {
    static const SimCemParams params = { SIM_KEYS_CEM_POPULATION, SIM_KEYS_CEM_ELITE,
                                         SIM_KEYS_CEM_KEEP, SIM_KEYS_CEM_SD_FLOOR };
    CemLevels cl = { levels, rollout_seed };

    rec.best_fitness = sim_cem_generation (&params, SIM_KEYS_N_FEATURES, run->mean, run->sd,
                                           run->rng, cem_fitness, &cl, &rec.elite_fitness);
  }
  for (int i = 0; i < SIM_KEYS_CEM_LEVELS; i++)
    sim_level_unref (levels[i]);

  run->generation++;
  rec.generation = run->generation;
  memcpy (rec.theta, run->mean, sizeof rec.theta);
  memcpy (rec.sd, run->sd, sizeof rec.sd);
  evaluate_record (run, &rec);
  g_array_append_val (run->history, rec);
  return TRUE;
}

int
sim_keys_run_get_generation (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, 0);
  return run->generation;
}

int
sim_keys_run_get_n_generations (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, 0);
  return run->n_generations;
}

gboolean
sim_keys_run_get_control (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, FALSE);
  return run->diversity >= 100;
}

const double *
sim_keys_run_get_theta (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->mlp != NULL ? NULL : run->mean;
}

SimMlp *
sim_keys_run_get_mlp (SimKeysRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->mlp;
}

const SimKeysRecord *
sim_keys_run_get_history (SimKeysRun *run,
                          int        *n_records)
{
  g_return_val_if_fail (run != NULL, NULL);
  if (n_records != NULL)
    *n_records = (int) run->history->len;
  return (const SimKeysRecord *) (gpointer) run->history->data;
}

SimLevel *const *
sim_keys_run_get_eval_levels (SimKeysRun      *run,
                              SimDistribution  dist,
                              int             *n_levels)
{
  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail ((guint) dist < SIM_N_DISTS, NULL);
  if (n_levels != NULL)
    *n_levels = SIM_KEYS_EVAL_LEVELS;
  return run->eval[dist];
}

void
sim_keys_run_evaluate (SimKeysRun      *run,
                       const double    *theta,
                       double           beta,
                       SimDistribution  dist,
                       SimKeysOutcome  *out)
{
  g_return_if_fail (run != NULL && theta != NULL && out != NULL);
  g_return_if_fail ((guint) dist < SIM_N_DISTS);

  sim_keys_evaluate (theta, beta, run->eval[dist], SIM_KEYS_EVAL_LEVELS, SIM_KEYS_EVAL_ROLLOUTS,
                     EVAL_ROLLOUT_SEED, out);
}

SimLevel *const *
sim_keys_run_get_probes (SimKeysRun *run,
                         int        *n_probes)
{
  g_return_val_if_fail (run != NULL, NULL);
  if (n_probes != NULL)
    *n_probes = SIM_KEYS_PROBES;
  return run->probes;
}

gboolean
sim_keys_infer (SimKeysRun       *run,
                SimKeysInference *out)
{
  g_autoptr (GArray) decisions = NULL;
  Agent agent;

  g_return_val_if_fail (run != NULL && out != NULL, FALSE);

  agent = current_agent (run);
  decisions = sim_keys_record_agent_decisions (agent_act, &agent, run->probes, SIM_KEYS_PROBES,
                                               SIM_KEYS_PROBE_ROLLOUTS, PROBE_ROLLOUT_SEED);
  return sim_keys_infer_decisions ((const SimKeysDecision *) (gpointer) decisions->data,
                                   (int) decisions->len, out);
}

int
sim_keys_run_sample_path (SimKeysRun      *run,
                          const SimLevel  *level,
                          gsl_rng         *rng,
                          SimKeysPathStep *steps)
{
  Agent agent;

  g_return_val_if_fail (run != NULL, 0);
  agent = current_agent (run);
  return sim_keys_sample_agent_path (level, agent_act, &agent, rng, steps);
}
