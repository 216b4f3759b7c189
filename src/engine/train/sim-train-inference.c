/* sim-train-inference.c: objective inference attached to a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Glue between the trainer's inference hook and the probe battery: on the training thread,
 * sample probe demonstrations from the current agent, run MaxEnt IRL warm-started from the
 * previous estimate, and fill the iteration's record. Keys-chests uses its likelihood grid
 * instead (docs/science.md §2 C): the recorded decisions of the agent on the scenario's probes,
 * scored for every direction and scale of θ.
 */
#include "config.h"

#include "sim-train-inference.h"

#include <math.h>

#include "sim-keys-run.h"

static SimPolicy *
policy_cb (const SimLevel *level,
           gpointer        user_data)
{
  return sim_train_get_policy (user_data, level);
}

static void
copy_goal (SimTrainRecord     *record,
           SimTrainGoal        goal,
           const SimGoalScore *score)
{
  record->goal[goal] = score->normalised;
  record->goal_lo[goal] = score->lo;
  record->goal_hi[goal] = score->hi;
  record->goal_nats[goal] = score->nats;
  record->goal_decisions[goal] = score->decisions;
}

static gboolean
infer_cb (SimTrain       *train,
          SimTrainRecord *record,
          gpointer        user_data,
          GError        **error)
{
  SimProbes *probes = user_data;
  SimProbeReadout readout;
  int nf = sim_train_get_n_features (train);

  if (!sim_probes_update (probes, policy_cb, train, sim_train_get_theta (train), &readout, error))
    return FALSE;
  for (int f = 0; f < nf && f < SIM_MAX_FEATURES; f++)
    {
      record->inferred[f] = readout.inferred[f];
      record->inferred_sd[f] = readout.uncertainty[f];
    }
  record->predicted_target = readout.predicted_target;
  record->predicted_proxy = readout.predicted_proxy;
  copy_goal (record, SIM_TRAIN_GOAL_INFERRED, &readout.goal_inferred);
  copy_goal (record, SIM_TRAIN_GOAL_BASE, &readout.goal_base);
  copy_goal (record, SIM_TRAIN_GOAL_TRUE, &readout.goal_true);
  copy_goal (record, SIM_TRAIN_GOAL_HELD_OUT, &readout.goal_held_out);
  return TRUE;
}

/* The grid inference of keys-chests. The unit-norm weights are (cos α, sin α); each one's ±
 * is the angle's standard deviation carried through (|∂w/∂α|·σ), with σ at least half a grid
 * step, the resolution of the grid. The prediction runs the inferred planner (direction and
 * scale, β‖θ‖ = s) on the run's test evaluation set. */
static gboolean
keys_infer_cb (SimTrain       *train,
               SimTrainRecord *record,
               gpointer        user_data,
               GError        **error)
{
  SimKeysRun *run = sim_train_get_keys_run (train);
  SimKeysInference *inference = user_data;
  SimKeysOutcome predicted;
  double sd, alpha;

  if (run == NULL || !sim_keys_infer (run, inference))
    {
      g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                   "the agent made no decisions on the probe levels");
      return FALSE;
    }
  alpha = inference->angle * G_PI / 180.0;
  sd = MAX (inference->angle_sd, SIM_KEYS_ANGLE_STEP / 2.0) * G_PI / 180.0;
  record->inferred[SIM_KEYS_FEATURE_KEY] = inference->theta[SIM_KEYS_FEATURE_KEY];
  record->inferred[SIM_KEYS_FEATURE_CHEST] = inference->theta[SIM_KEYS_FEATURE_CHEST];
  record->inferred_sd[SIM_KEYS_FEATURE_KEY] = fabs (sin (alpha)) * sd;
  record->inferred_sd[SIM_KEYS_FEATURE_CHEST] = fabs (cos (alpha)) * sd;
  record->inferred_angle = inference->angle;
  record->inferred_angle_sd = sd * 180.0 / G_PI;

  sim_keys_run_evaluate (run, inference->theta, inference->scale, SIM_DIST_TEST, &predicted);
  record->predicted_target = predicted.chests / SIM_KEYS_MAX_OPENED;
  record->predicted_proxy = predicted.keys / SIM_KEYS_TEST_KEYS;
  return TRUE;
}

SimProbes *
sim_train_attach_inference (SimTrain  *train,
                            GError   **error)
{
  const SimConfig *config = sim_train_get_config (train);
  SimProbeParams params;
  SimProbes *probes;

  if (config->scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      sim_train_set_infer_func (train, keys_infer_cb, g_new0 (SimKeysInference, 1), g_free);
      return NULL;
    }
  if (config->scenario != SIM_SCENARIO_COIN && config->scenario != SIM_SCENARIO_GREEN_EXIT)
    {
      g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                   "MaxEnt inference exists for the coin and green-exit scenarios only");
      return NULL;
    }
  sim_probe_params_init (&params, config->scenario, config->grid, config->near_corner,
                         config->seed);
  probes = sim_probes_new (&params, error);
  if (probes == NULL)
    return NULL;
  sim_probes_set_soft_optimal (probes, sim_train_acts_soft_optimally (train));
  sim_train_set_infer_func (train, infer_cb, probes, (GDestroyNotify) sim_probes_free);
  return probes;
}

SimProbes *
sim_train_get_probes (SimTrain *train)
{
  SimTrainInferFunc func = NULL;
  gpointer data;

  g_return_val_if_fail (train != NULL, NULL);

  data = sim_train_get_infer_data (train, &func);
  return func == infer_cb ? data : NULL;
}
