/* sim-trial.c: trying the current agent of a training run on one level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The level editor's "Run Agent" queues this on the training run's worker thread, between two
 * iterations; the editor draws the kept paths and shows the counts or the outcome.
 */
#include "config.h"

#include "sim-trial.h"

#include <gsl/gsl_rng.h>

#include "sim-keys.h"

G_DEFINE_QUARK (sim-trial-error-quark, sim_trial_error)

SimTrial *
sim_trial_run (SimTrain       *train,
               const SimLevel *level,
               GError        **error)
{
  SimScenarioKind scenario;
  g_autofree int *scratch = NULL;
  SimTrial *trial;
  gsl_rng *rng;

  g_return_val_if_fail (train != NULL, NULL);
  g_return_val_if_fail (level != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scenario = sim_train_get_config (train)->scenario;
  if (scenario != level->scenario)
    {
      g_set_error (error, SIM_TRIAL_ERROR, SIM_TRIAL_ERROR_SCENARIO,
                   "the agent was trained on the %s scenario, the level is of the %s scenario",
                   sim_scenario_to_string (scenario), sim_scenario_to_string (level->scenario));
      return NULL;
    }
  if (level->start < 0 || level->start >= level->width * level->height)
    {
      g_set_error_literal (error, SIM_TRIAL_ERROR, SIM_TRIAL_ERROR_NO_START,
                           "the level has no start cell");
      return NULL;
    }

  trial = g_new0 (SimTrial, 1);
  trial->iteration = sim_train_get_iteration (train);
  trial->n_iterations = sim_train_get_n_iterations (train);
  trial->room = level->horizon + 1;
  trial->cells = g_new (int, (gsize) SIM_TRIAL_KEPT_PATHS * trial->room);
  trial->n_samples = scenario == SIM_SCENARIO_KEYS_CHESTS ? SIM_TRIAL_COUNTED_PATHS
                                                          : SIM_TRIAL_KEPT_PATHS;
  scratch = g_new (int, trial->room);

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, SIM_TRIAL_SEED);
  for (int i = 0; i < trial->n_samples; i++)
    {
      int *cells = i < SIM_TRIAL_KEPT_PATHS ? trial->cells + (gsize) i * trial->room : scratch;
      int n = sim_train_sample_path (train, level, rng, cells);

      if (i < SIM_TRIAL_KEPT_PATHS)
        {
          trial->offsets[i] = i * trial->room;
          trial->lengths[i] = n;
          trial->n_paths++;
        }
      if (scenario == SIM_SCENARIO_KEYS_CHESTS)
        {
          int keys, chests;

          sim_keys_count_pickups (level, cells, n, &keys, &chests);
          trial->keys += (double) keys / trial->n_samples;
          trial->chests += (double) chests / trial->n_samples;
        }
    }
  gsl_rng_free (rng);

  if (scenario != SIM_SCENARIO_KEYS_CHESTS)
    {
      g_autoptr (SimPolicy) policy = sim_train_get_policy (train, level);

      if (policy != NULL)
        {
          sim_policy_evaluate (policy, level, &trial->outcome);
          trial->has_outcome = TRUE;
        }
    }
  return trial;
}

void
sim_trial_free (SimTrial *trial)
{
  if (trial == NULL)
    return;
  g_free (trial->cells);
  g_free (trial);
}
