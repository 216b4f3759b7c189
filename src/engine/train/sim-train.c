/* sim-train.c: a training run: the agent, its base optimizer, fixed evaluation sets, the metric
 * history, and the hook where objective inference runs every K iterations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-train.h"

#include <math.h>
#include <string.h>

#include "sim-mlp.h"
#include "sim-optimizer.h"
#include "sim-qlearner.h"
#include "sim-vector.h"

/* The evaluation sets come from their own generator, so they do not depend on how much
 * randomness training used; its seed is a fixed mix of the run's seed. */
#define EVAL_SEED_MULTIPLIER 2654435761u
#define EVAL_SEED_OFFSET     0x632be5abu

struct _SimTrain
{
  SimConfig config;
  int n_features;
  double base[SIM_MAX_FEATURES];
  int iteration;
  int n_iterations;

  SimOptimizer *optimizer;      /* planner runs, owned */
  SimQLearner *qlearner;        /* Q-learner runs, owned */
  SimMlp *mlp;                  /* network runs, owned */
  SimKeysRun *keys;             /* keys-chests runs, owned; the eval sets below stay empty */

  SimLevel *eval_levels[SIM_N_DISTS][SIM_TRAIN_EVAL_LEVELS];       /* owned refs */
  SimPlanLevel *eval_plan[SIM_N_DISTS][SIM_TRAIN_EVAL_LEVELS];     /* planner runs, owned */

  GArray *history;              /* of SimTrainRecord */

  SimTrainInferFunc infer_func;
  gpointer infer_data;
  GDestroyNotify infer_destroy;
};

static SimSight
eval_sight (const SimConfig *config,
            int             *radius)
{
  *radius = 0;
  if (config->perception == SIM_PERCEPTION_RADIUS)
    {
      *radius = config->perception_param;
      return SIM_SIGHT_RADIUS;
    }
  return SIM_SIGHT_FULL;
}

/* Keys-chests has two agents: the next-pickup planner, with one base optimizer (its CEM) and
 * no perception setting (docs/science.md §2 C), and the network, trained by REINFORCE with any
 * perception (§9). */
static gboolean
check_keys_config (const SimConfig  *config,
                   GError          **error)
{
  if (config->agent == SIM_AGENT_MLP)
    return TRUE;
  if (config->agent != SIM_AGENT_PLANNER)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "the keys-chests scenario trains the next-pickup planner or the network "
                   "(agent planner or mlp; the %s agent does not run it)",
                   sim_agent_to_string (config->agent));
      return FALSE;
    }
  if (config->optimizer != SIM_OPTIMIZER_CEM)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "the keys-chests scenario is trained by the cross-entropy method only "
                   "(optimizer cem, not %s)", sim_optimizer_to_string (config->optimizer));
      return FALSE;
    }
  if (config->perception != SIM_PERCEPTION_FULL)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "the keys-chests planner always sees every key and chest "
                   "(perception full only)");
      return FALSE;
    }
  return TRUE;
}

gboolean
sim_train_check_config (const SimConfig  *config,
                        GError          **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if (!sim_config_validate (config, error))
    return FALSE;
  if (config->scenario == SIM_SCENARIO_KEYS_CHESTS && !check_keys_config (config, error))
    return FALSE;
  return TRUE;
}

/**
 * sim_train_new:
 * @config: (transfer none): the run's configuration, copied
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): a run at iteration 0, or %NULL with @error set
 */
SimTrain *
sim_train_new (const SimConfig  *config,
               GError          **error)
{
  g_autoptr (SimTrain) self = NULL;
  gsl_rng *rng;
  SimSight sight;
  int radius;

  g_return_val_if_fail (config != NULL, NULL);

  if (!sim_train_check_config (config, error))
    return NULL;

  self = g_new0 (SimTrain, 1);
  self->config = *config;
  self->n_features = sim_features_count (config->scenario, config->near_corner);
  sim_features_base (config->scenario, config->near_corner, self->base);
  self->n_iterations = config->iterations;
  self->history = g_array_new (FALSE, TRUE, sizeof (SimTrainRecord));

  if (config->scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      if (config->agent == SIM_AGENT_MLP)
        self->keys = sim_keys_run_new_mlp (config);
      else
        self->keys = sim_keys_run_new_full (config->seed, config->diversity,
                                            config->iterations);
      return g_steal_pointer (&self);
    }

  if (config->agent == SIM_AGENT_PLANNER)
    {
      self->optimizer = sim_optimizer_new (config, error);
      if (self->optimizer == NULL)
        return NULL;
    }
  else if (config->agent == SIM_AGENT_MLP)
    {
      self->mlp = sim_mlp_new (config);
      if (self->mlp == NULL)
        {
          g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                       "the network agent cannot run this configuration");
          return NULL;
        }
    }
  else
    {
      self->qlearner = sim_qlearner_new (config);
      if (self->qlearner == NULL)
        {
          g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                       "the Q-learner cannot run this configuration");
          return NULL;
        }
    }

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, config->seed * EVAL_SEED_MULTIPLIER + EVAL_SEED_OFFSET);
  sight = eval_sight (config, &radius);
  for (int d = 0; d < SIM_N_DISTS; d++)
    for (int i = 0; i < SIM_TRAIN_EVAL_LEVELS; i++)
      {
        self->eval_levels[d][i] = sim_scenario_generate (config->scenario, config->grid,
                                                         (SimDistribution) d, rng);
        if (self->optimizer != NULL)
          self->eval_plan[d][i] = sim_plan_level_new (self->eval_levels[d][i],
                                                      config->near_corner, sight, radius);
      }
  gsl_rng_free (rng);

  return g_steal_pointer (&self);
}

void
sim_train_free (SimTrain *self)
{
  if (self == NULL)
    return;
  if (self->infer_destroy != NULL)
    self->infer_destroy (self->infer_data);
  g_clear_pointer (&self->optimizer, sim_optimizer_free);
  g_clear_pointer (&self->qlearner, sim_qlearner_free);
  g_clear_pointer (&self->mlp, sim_mlp_free);
  g_clear_pointer (&self->keys, sim_keys_run_free);
  for (int d = 0; d < SIM_N_DISTS; d++)
    for (int i = 0; i < SIM_TRAIN_EVAL_LEVELS; i++)
      {
        g_clear_pointer (&self->eval_levels[d][i], sim_level_unref);
        g_clear_pointer (&self->eval_plan[d][i], sim_plan_level_free);
      }
  g_clear_pointer (&self->history, g_array_unref);
  g_free (self);
}

/**
 * sim_train_set_infer_func:
 * @self: a run
 * @func: (nullable) (scope notified): the inference hook
 * @user_data: (closure): data for @func
 * @destroy: (nullable) (destroy user_data): frees @user_data when the hook is replaced or the
 *   run is freed
 */
void
sim_train_set_infer_func (SimTrain          *self,
                          SimTrainInferFunc  func,
                          gpointer           user_data,
                          GDestroyNotify     destroy)
{
  g_return_if_fail (self != NULL);

  if (self->infer_destroy != NULL)
    self->infer_destroy (self->infer_data);
  self->infer_func = func;
  self->infer_data = user_data;
  self->infer_destroy = destroy;
}

gpointer
sim_train_get_infer_data (SimTrain          *self,
                          SimTrainInferFunc *func)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (func != NULL)
    *func = self->infer_func;
  return self->infer_data;
}

typedef struct
{
  double target, proxy, lava, base_return;
} Rates;

/* The target radius the network perceives with; see agent_policy(). */
static int
agent_radius (SimTrain *self,
              gboolean  run_perception)
{
  if (run_perception && self->config.perception == SIM_PERCEPTION_RADIUS)
    return self->config.perception_param;
  return SIM_MLP_TARGET_SEEN;
}

/* The policy of the Q-learner or the network on level. The Q-learner always perceives the
 * target; the network does with run_perception FALSE, and otherwise within the run's radius. */
static SimPolicy *
agent_policy (SimTrain       *self,
              const SimLevel *level,
              gboolean        run_perception)
{
  if (self->mlp != NULL)
    return sim_mlp_policy (self->mlp, level, agent_radius (self, run_perception));
  return sim_qlearner_policy (self->qlearner, level);
}

/* Mean exact outcome of the current agent over one evaluation set. */
static void
evaluate_set (SimTrain        *self,
              SimDistribution  dist,
              Rates           *rates)
{
  memset (rates, 0, sizeof *rates);
  for (int i = 0; i < SIM_TRAIN_EVAL_LEVELS; i++)
    {
      if (self->optimizer != NULL)
        {
          SimPlanResult res;

          sim_planner_solve (sim_optimizer_get_planner (self->optimizer),
                             self->eval_plan[dist][i],
                             sim_optimizer_get_theta (self->optimizer),
                             SIM_PLANNER_BETA, &res, NULL);
          rates->target += res.target;
          rates->proxy += res.proxy;
          rates->lava += res.lava;
          rates->base_return += res.base_return;
        }
      else
        {
          const SimLevel *level = self->eval_levels[dist][i];
          SimOutcome out;

          if (self->mlp != NULL)
            {
              sim_mlp_evaluate (self->mlp, level, agent_radius (self, TRUE), &out);
            }
          else
            {
              g_autoptr (SimPolicy) policy = agent_policy (self, level, TRUE);

              sim_policy_evaluate (policy, level, &out);
            }
          rates->target += out.target;
          rates->proxy += out.proxy;
          rates->lava += out.lava;
          rates->base_return += out.base_return;
        }
    }
  rates->target /= SIM_TRAIN_EVAL_LEVELS;
  rates->proxy /= SIM_TRAIN_EVAL_LEVELS;
  rates->lava /= SIM_TRAIN_EVAL_LEVELS;
  rates->base_return /= SIM_TRAIN_EVAL_LEVELS;
}

/* One CEM generation of the wrapped keys-chests run, and its metrics as a record. */
static void
keys_step (SimTrain       *self,
           SimTrainRecord *record)
{
  const SimKeysRecord *history;
  const SimKeysRecord *r;
  int n;

  sim_keys_run_step (self->keys);
  history = sim_keys_run_get_history (self->keys, &n);
  r = &history[n - 1];
  record->fitness = r->best_fitness;
  record->train_keys = r->train_keys;
  record->train_chests = r->train_chests;
  record->test_keys = r->test_keys;
  record->test_chests = r->test_chests;
  record->train_target = r->train_chests / SIM_KEYS_MAX_OPENED;
  record->train_proxy = r->train_keys / SIM_KEYS_TRAIN_KEYS;
  record->train_return = r->train_return;
  record->test_target = r->test_chests / SIM_KEYS_MAX_OPENED;
  record->test_proxy = r->test_keys / SIM_KEYS_TEST_KEYS;
  record->test_lava = 0.0;
  record->test_return = r->test_return;
}

static gboolean
inference_due (SimTrain *self)
{
  int k = self->config.infer_every;

  return self->infer_func != NULL && k > 0 &&
         (self->iteration % k == 0 || self->iteration == self->n_iterations);
}

/* One base iteration of the planner's optimizer or the Q-learner, then the exact metrics. */
static void
step_and_evaluate (SimTrain       *self,
                   SimTrainRecord *record)
{
  Rates train, test;

  if (self->optimizer != NULL)
    {
      sim_optimizer_step (self->optimizer);
      record->fitness = sim_optimizer_get_last_fitness (self->optimizer);
    }
  else if (self->mlp != NULL)
    {
      /* Updates are spread evenly over the iterations, rounding to the nearest update. */
      gint64 goal = ((gint64) SIM_MLP_UPDATES * (self->iteration + 1) +
                     self->n_iterations / 2) / self->n_iterations;
      int chunk = (int) goal - sim_mlp_updates_done (self->mlp);

      if (chunk > 0)
        sim_mlp_train (self->mlp, chunk);
      record->fitness = sim_mlp_last_return (self->mlp);
    }
  else
    {
      /* Episodes are spread evenly over the iterations, rounding to the nearest episode. */
      gint64 goal = ((gint64) SIM_QLEARNER_EPISODES * (self->iteration + 1) +
                     self->n_iterations / 2) / self->n_iterations;
      int chunk = (int) goal - sim_qlearner_episodes_done (self->qlearner);

      if (chunk > 0)
        sim_qlearner_train (self->qlearner, chunk);
      record->fitness = NAN;
    }
  self->iteration++;

  evaluate_set (self, SIM_DIST_TRAIN, &train);
  evaluate_set (self, SIM_DIST_TEST, &test);
  record->iteration = self->iteration;
  record->train_target = train.target;
  record->train_proxy = train.proxy;
  record->train_return = train.base_return;
  record->test_target = test.target;
  record->test_proxy = test.proxy;
  record->test_lava = test.lava;
  record->test_return = test.base_return;
}

gboolean
sim_train_step (SimTrain *self)
{
  SimTrainRecord record;

  g_return_val_if_fail (self != NULL, FALSE);

  /* Cleared bytewise, padding included, so records compare with memcmp(). */
  memset (&record, 0, sizeof record);

  if (self->iteration >= self->n_iterations)
    return FALSE;

  if (self->keys != NULL)
    {
      keys_step (self, &record);
      self->iteration++;
      record.iteration = self->iteration;
    }
  else
    {
      step_and_evaluate (self, &record);
      record.train_keys = NAN;
      record.train_chests = NAN;
      record.test_keys = NAN;
      record.test_chests = NAN;
    }
  record.predicted_target = NAN;
  record.predicted_proxy = NAN;
  record.inferred_angle = NAN;
  record.inferred_angle_sd = NAN;
  for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
    {
      record.goal[g] = record.goal_lo[g] = record.goal_hi[g] = record.goal_nats[g] = NAN;
      record.goal_decisions[g] = 0;
    }

  if (inference_due (self))
    {
      g_autoptr (GError) error = NULL;
      SimTrainRecord attempt;

      memcpy (&attempt, &record, sizeof record);
      if (self->infer_func (self, &attempt, self->infer_data, &error))
        {
          memcpy (&record, &attempt, sizeof record);
          record.has_inference = TRUE;
        }
      else
        {
          g_message ("Objective inference failed at iteration %d: %s", self->iteration,
                     error != NULL ? error->message : "no reason given");
        }
    }

  g_array_append_val (self->history, record);
  return TRUE;
}

gboolean
sim_train_is_done (SimTrain *self)
{
  return self->iteration >= self->n_iterations;
}

const SimConfig *
sim_train_get_config (SimTrain *self)
{
  return &self->config;
}

int
sim_train_get_iteration (SimTrain *self)
{
  return self->iteration;
}

int
sim_train_get_n_iterations (SimTrain *self)
{
  return self->n_iterations;
}

int
sim_train_get_n_features (SimTrain *self)
{
  return self->n_features;
}

const char *
sim_train_get_feature_name (SimTrain *self,
                            int       index)
{
  g_return_val_if_fail (index >= 0 && index < self->n_features, NULL);
  return sim_feature_name (self->config.scenario, self->config.near_corner, index);
}

const double *
sim_train_get_base_objective (SimTrain *self)
{
  return self->base;
}

const double *
sim_train_get_theta (SimTrain *self)
{
  if (self->keys != NULL)
    return sim_keys_run_get_theta (self->keys);
  return self->optimizer != NULL ? sim_optimizer_get_theta (self->optimizer) : NULL;
}

SimMlp *
sim_train_get_mlp (SimTrain *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (self->keys != NULL)
    return sim_keys_run_get_mlp (self->keys);
  return self->mlp;
}

const double *
sim_train_get_qlearner_weights (SimTrain *self)
{
  return self->qlearner != NULL ? sim_qlearner_weights (self->qlearner) : NULL;
}

/**
 * sim_train_get_keys_run:
 * @self: a run
 *
 * Returns: (transfer none) (nullable): the wrapped keys-chests run, or %NULL
 */
SimKeysRun *
sim_train_get_keys_run (SimTrain *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->keys;
}

/**
 * sim_train_get_history:
 * @self: a run
 * @n_records: (out) (optional): the number of records
 *
 * Returns: (transfer none) (array length=n_records): one record per iteration done
 */
const SimTrainRecord *
sim_train_get_history (SimTrain *self,
                       int      *n_records)
{
  if (n_records != NULL)
    *n_records = (int) self->history->len;
  return (const SimTrainRecord *) (gpointer) self->history->data;
}

const SimTrainRecord *
sim_train_get_last (SimTrain *self)
{
  if (self->history->len == 0)
    return NULL;
  return &g_array_index (self->history, SimTrainRecord, self->history->len - 1);
}

/**
 * sim_train_get_eval_levels:
 * @self: a run
 * @dist: which evaluation set
 * @n_levels: (out) (optional): %SIM_TRAIN_EVAL_LEVELS
 *
 * Returns: (transfer none) (array length=n_levels): the fixed evaluation levels
 */
SimLevel *const *
sim_train_get_eval_levels (SimTrain        *self,
                           SimDistribution  dist,
                           int             *n_levels)
{
  g_return_val_if_fail ((guint) dist < SIM_N_DISTS, NULL);

  if (self->keys != NULL)
    return sim_keys_run_get_eval_levels (self->keys, dist, n_levels);
  if (n_levels != NULL)
    *n_levels = SIM_TRAIN_EVAL_LEVELS;
  return self->eval_levels[dist];
}

/**
 * sim_train_get_policy:
 * @self: a run
 * @level: a level of the run's scenario and grid
 *
 * Returns: (transfer full) (nullable): the current agent's policy on @level
 */
SimPolicy *
sim_train_get_policy (SimTrain       *self,
                      const SimLevel *level)
{
  g_return_val_if_fail (self != NULL && level != NULL, NULL);

  if (self->keys != NULL)
    return NULL;
  if (self->optimizer != NULL)
    return sim_planner_policy_at_depth (sim_optimizer_get_theta (self->optimizer), level,
                                        self->config.near_corner, SIM_PLANNER_BETA,
                                        self->config.planning_depth);
  return agent_policy (self, level, FALSE);
}

gboolean
sim_train_acts_soft_optimally (SimTrain *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->keys == NULL && self->optimizer != NULL && self->config.planning_depth == 0;
}

int
sim_train_sample_path (SimTrain       *self,
                       const SimLevel *level,
                       gsl_rng        *rng,
                       int            *cells)
{
  g_return_val_if_fail (self != NULL && level != NULL && rng != NULL && cells != NULL, 0);

  if (self->keys != NULL)
    {
      g_autofree SimKeysPathStep *steps = g_new (SimKeysPathStep, level->horizon + 1);
      int n = sim_keys_run_sample_path (self->keys, level, rng, steps);

      for (int i = 0; i < n; i++)
        cells[i] = steps[i].cell;
      return n;
    }
  if (self->optimizer != NULL)
    {
      int radius;
      SimSight sight = eval_sight (&self->config, &radius);
      g_autoptr (SimPlanLevel) pl = sim_plan_level_new (level, self->config.near_corner,
                                                        sight, radius);

      if (pl == NULL)
        {
          /* Too large for the planner: the agent stays where it starts. */
          cells[0] = level->start;
          return 1;
        }
      return sim_planner_sample (sim_optimizer_get_planner (self->optimizer), pl,
                                 sim_optimizer_get_theta (self->optimizer),
                                 SIM_PLANNER_BETA, rng, cells);
    }
  else
    {
      g_autoptr (SimPolicy) policy = agent_policy (self, level, TRUE);

      return sim_policy_sample (policy, level, rng, cells);
    }
}

/* Snapshots. */

/* θ / ‖θ‖ (zeros for θ = 0), newly allocated. */
static double *
unit_copy (const double *v,
           int           n)
{
  double *out = g_new (double, n);

  sim_vec_unit_copy (v, out, n);
  return out;
}


static void
fill_shown (SimTrain      *self,
            SimDistribution dist,
            int            shown_index,
            const double  *inferred,
            SimShownLevel *shown)
{
  const int nf = self->n_features;
  SimLevel *level = sim_train_get_eval_levels (self, dist, NULL)[shown_index];
  int n = level->width * level->height;
  g_autofree double *phi = g_new (double, (gsize) n * nf);
  g_autofree int *cells = g_new (int, level->horizon + 1);
  gsl_rng *rng;

  /* The path depends only on the seed, the iteration and the level shown. */
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, self->config.seed * EVAL_SEED_MULTIPLIER +
                    (guint32) (self->iteration * 131 + shown_index * 2 + dist + 1));
  if (self->keys != NULL)
    {
      g_autofree SimKeysPathStep *steps = g_new (SimKeysPathStep, level->horizon + 1);

      shown->n_path = sim_keys_run_sample_path (self->keys, level, rng, steps);
      shown->held = g_new (int, shown->n_path);
      for (int i = 0; i < shown->n_path; i++)
        {
          cells[i] = steps[i].cell;
          shown->held[i] = steps[i].held;
        }
    }
  else
    shown->n_path = sim_train_sample_path (self, level, rng, cells);
  gsl_rng_free (rng);
  shown->path = g_memdup2 (cells, sizeof (int) * shown->n_path);
  shown->level = sim_level_ref (level);

  sim_features_compute (level, self->config.near_corner, TRUE, phi);
  shown->base_reward = g_new (double, n);
  if (inferred != NULL)
    shown->inferred_reward = g_new (double, n);
  for (int s = 0; s < n; s++)
    {
      double rb = 0.0, ri = 0.0;

      for (int f = 0; f < nf; f++)
        {
          rb += self->base[f] * phi[(gsize) s * nf + f];
          if (inferred != NULL)
            ri += inferred[f] * phi[(gsize) s * nf + f];
        }
      shown->base_reward[s] = rb;
      if (inferred != NULL)
        shown->inferred_reward[s] = ri;
    }

  /* The policy's first time step, for the level card's arrows. */
  if (self->keys == NULL)
    {
      g_autoptr (SimPolicy) policy = sim_train_get_policy (self, level);

      if (policy != NULL && policy->n_states == n && policy->horizon > 0)
        shown->action_prob = g_memdup2 (policy->prob, sizeof (double) * n * SIM_N_ACTIONS);
    }
}

/**
 * sim_train_fill_snapshot:
 * @self: a run
 * @shown_index: which evaluation level to show (taken modulo the number of evaluation levels)
 * @snapshot: (inout): a snapshot the caller owns and has not published yet
 *
 * Replaces every training field of @snapshot; arrays it held are freed.
 */
void
sim_train_fill_snapshot (SimTrain    *self,
                         int          shown_index,
                         SimSnapshot *snapshot)
{
  const int nf = self->n_features;
  const SimTrainRecord *records = (const SimTrainRecord *) (gpointer) self->history->data;
  int n = (int) self->history->len;
  int n_inf = 0, k = 0;
  const double *theta = sim_train_get_theta (self);
  const double *latest_inferred = NULL;

  g_return_if_fail (self != NULL && snapshot != NULL);

  snapshot->config = self->config;
  snapshot->iteration = self->iteration;
  snapshot->n_features = nf;
  g_strfreev (snapshot->feature_names);
  snapshot->feature_names = g_new0 (char *, nf + 1);
  for (int f = 0; f < nf; f++)
    snapshot->feature_names[f] = g_strdup (sim_train_get_feature_name (self, f));
  g_free (snapshot->base_objective);
  snapshot->base_objective = unit_copy (self->base, nf);
  g_clear_pointer (&snapshot->true_objective, g_free);
  if (theta != NULL)
    snapshot->true_objective = unit_copy (theta, nf);

  snapshot->n_history = n;
  g_free (snapshot->train_target);
  g_free (snapshot->test_target);
  g_free (snapshot->test_proxy);
  g_clear_pointer (&snapshot->train_keys, g_free);
  g_clear_pointer (&snapshot->train_chests, g_free);
  g_clear_pointer (&snapshot->test_keys, g_free);
  g_clear_pointer (&snapshot->test_chests, g_free);
  if (self->keys != NULL)
    {
      snapshot->train_keys = g_new (double, MAX (n, 1));
      snapshot->train_chests = g_new (double, MAX (n, 1));
      snapshot->test_keys = g_new (double, MAX (n, 1));
      snapshot->test_chests = g_new (double, MAX (n, 1));
      for (int i = 0; i < n; i++)
        {
          snapshot->train_keys[i] = records[i].train_keys;
          snapshot->train_chests[i] = records[i].train_chests;
          snapshot->test_keys[i] = records[i].test_keys;
          snapshot->test_chests[i] = records[i].test_chests;
        }
    }
  snapshot->train_target = g_new (double, MAX (n, 1));
  snapshot->test_target = g_new (double, MAX (n, 1));
  snapshot->test_proxy = g_new (double, MAX (n, 1));
  for (int i = 0; i < n; i++)
    {
      snapshot->train_target[i] = records[i].train_target;
      snapshot->test_target[i] = records[i].test_target;
      snapshot->test_proxy[i] = records[i].test_proxy;
      n_inf += records[i].has_inference;
    }

  snapshot->n_inferences = n_inf;
  sim_snapshot_clear_inferences (snapshot);
  if (self->keys != NULL)
    {
      snapshot->inferred_angle = g_new (double, MAX (n_inf, 1));
      snapshot->inferred_angle_sd = g_new (double, MAX (n_inf, 1));
    }
  snapshot->inference_iteration = g_new (int, MAX (n_inf, 1));
  snapshot->inferred = g_new (double, (gsize) MAX (n_inf, 1) * nf);
  snapshot->inferred_sd = g_new (double, (gsize) MAX (n_inf, 1) * nf);
  snapshot->predicted_target = g_new (double, MAX (n_inf, 1));
  snapshot->predicted_proxy = g_new (double, MAX (n_inf, 1));
  snapshot->cos_base = g_new (double, MAX (n_inf, 1));
  snapshot->cos_true = g_new (double, MAX (n_inf, 1));
  snapshot->goal = g_new (double, (gsize) MAX (n_inf, 1) * SIM_TRAIN_N_GOALS);
  snapshot->goal_lo = g_new (double, (gsize) MAX (n_inf, 1) * SIM_TRAIN_N_GOALS);
  snapshot->goal_hi = g_new (double, (gsize) MAX (n_inf, 1) * SIM_TRAIN_N_GOALS);
  snapshot->goal_nats = g_new (double, (gsize) MAX (n_inf, 1) * SIM_TRAIN_N_GOALS);
  snapshot->goal_decisions = g_new (int, (gsize) MAX (n_inf, 1) * SIM_TRAIN_N_GOALS);
  for (int i = 0; i < n; i++)
    {
      if (!records[i].has_inference)
        continue;
      snapshot->inference_iteration[k] = records[i].iteration;
      memcpy (snapshot->inferred + (gsize) k * nf, records[i].inferred, sizeof (double) * nf);
      memcpy (snapshot->inferred_sd + (gsize) k * nf, records[i].inferred_sd,
              sizeof (double) * nf);
      snapshot->predicted_target[k] = records[i].predicted_target;
      snapshot->predicted_proxy[k] = records[i].predicted_proxy;
      snapshot->cos_base[k] = sim_vec_cosine (records[i].inferred, self->base, nf);
      snapshot->cos_true[k] = theta != NULL ? sim_vec_cosine (records[i].inferred, theta, nf) : NAN;
      for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
        {
          gsize at = (gsize) k * SIM_TRAIN_N_GOALS + g;

          snapshot->goal[at] = records[i].goal[g];
          snapshot->goal_lo[at] = records[i].goal_lo[g];
          snapshot->goal_hi[at] = records[i].goal_hi[g];
          snapshot->goal_nats[at] = records[i].goal_nats[g];
          snapshot->goal_decisions[at] = records[i].goal_decisions[g];
        }
      if (snapshot->inferred_angle != NULL)
        {
          snapshot->inferred_angle[k] = records[i].inferred_angle;
          snapshot->inferred_angle_sd[k] = records[i].inferred_angle_sd;
        }
      latest_inferred = records[i].inferred;
      k++;
    }

  for (int d = 0; d < SIM_N_SHOWN; d++)
    {
      SimShownLevel *shown = &snapshot->shown[d];
      int n_levels;
      int index;

      sim_train_get_eval_levels (self, d == SIM_SHOWN_TRAIN ? SIM_DIST_TRAIN : SIM_DIST_TEST,
                                 &n_levels);
      index = ((shown_index % n_levels) + n_levels) % n_levels;

      g_clear_pointer (&shown->level, sim_level_unref);
      g_clear_pointer (&shown->path, g_free);
      g_clear_pointer (&shown->base_reward, g_free);
      g_clear_pointer (&shown->inferred_reward, g_free);
      g_clear_pointer (&shown->held, g_free);
      g_clear_pointer (&shown->action_prob, g_free);
      fill_shown (self, d == SIM_SHOWN_TRAIN ? SIM_DIST_TRAIN : SIM_DIST_TEST, index,
                  latest_inferred, shown);
    }
}
