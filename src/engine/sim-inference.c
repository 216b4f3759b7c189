/* sim-inference.c: objective inference attached to a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Glue between the trainer's inference hook and the probe battery: on the training thread,
 * sample probe demonstrations from the current agent, run MaxEnt IRL warm-started from the
 * previous estimate, and fill the iteration's record.
 */
#include "config.h"

#include "sim-inference.h"

static SimPolicy *
policy_cb (const SimLevel *level,
           gpointer        user_data)
{
  return sim_train_get_policy (user_data, level);
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
  return TRUE;
}

SimProbes *
sim_train_attach_inference (SimTrain  *train,
                            GError   **error)
{
  const SimConfig *config = sim_train_get_config (train);
  SimProbeParams params;
  SimProbes *probes;

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
  sim_train_set_infer_func (train, infer_cb, probes, (GDestroyNotify) sim_probes_free);
  return probes;
}
