/* sim-snapshot.c: an immutable picture of a training run, published by the runner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-snapshot.h"

/**
 * sim_snapshot_new:
 *
 * Creates an empty snapshot: iteration 0, no history, no inference, no shown levels, and the
 * default configuration. The producer fills its arrays (allocated with g_new() or g_malloc(),
 * feature_names with g_strdupv() or g_new() + g_strdup()) before publishing it.
 *
 * Returns: (transfer full): a new snapshot with a reference count of 1
 */
SimSnapshot *
sim_snapshot_new (void)
{
  SimSnapshot *snapshot = g_new0 (SimSnapshot, 1);

  snapshot->ref_count = 1;
  sim_config_init_default (&snapshot->config);
  return snapshot;
}

/**
 * sim_snapshot_ref:
 * @snapshot: a snapshot
 *
 * Returns: (transfer full): @snapshot
 */
SimSnapshot *
sim_snapshot_ref (SimSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, NULL);
  g_return_val_if_fail (snapshot->ref_count > 0, NULL);

  g_atomic_int_inc (&snapshot->ref_count);
  return snapshot;
}

static void
shown_level_clear (SimShownLevel *shown)
{
  g_clear_pointer (&shown->level, sim_level_unref);
  g_clear_pointer (&shown->path, g_free);
  g_clear_pointer (&shown->base_reward, g_free);
  g_clear_pointer (&shown->inferred_reward, g_free);
  g_clear_pointer (&shown->held, g_free);
  g_clear_pointer (&shown->action_prob, g_free);
  shown->n_path = 0;
}

void
sim_snapshot_clear_inferences (SimSnapshot *snapshot)
{
  g_return_if_fail (snapshot != NULL);

  g_clear_pointer (&snapshot->inference_iteration, g_free);
  g_clear_pointer (&snapshot->inferred, g_free);
  g_clear_pointer (&snapshot->inferred_sd, g_free);
  g_clear_pointer (&snapshot->inferred_angle, g_free);
  g_clear_pointer (&snapshot->inferred_angle_sd, g_free);
  g_clear_pointer (&snapshot->predicted_target, g_free);
  g_clear_pointer (&snapshot->predicted_proxy, g_free);
  g_clear_pointer (&snapshot->cos_base, g_free);
  g_clear_pointer (&snapshot->cos_true, g_free);
  g_clear_pointer (&snapshot->goal, g_free);
  g_clear_pointer (&snapshot->goal_lo, g_free);
  g_clear_pointer (&snapshot->goal_hi, g_free);
  g_clear_pointer (&snapshot->goal_nats, g_free);
  g_clear_pointer (&snapshot->goal_decisions, g_free);
}

/**
 * sim_snapshot_unref:
 * @snapshot: (nullable) (transfer full): a snapshot
 *
 * Drops a reference; the last one frees every owned array and the shown levels' references.
 */
void
sim_snapshot_unref (SimSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;

  g_return_if_fail (snapshot->ref_count > 0);

  if (!g_atomic_int_dec_and_test (&snapshot->ref_count))
    return;

  g_strfreev (snapshot->feature_names);
  g_free (snapshot->base_objective);
  g_free (snapshot->true_objective);

  g_free (snapshot->train_target);
  g_free (snapshot->test_target);
  g_free (snapshot->test_proxy);
  g_free (snapshot->train_keys);
  g_free (snapshot->train_chests);
  g_free (snapshot->test_keys);
  g_free (snapshot->test_chests);

  sim_snapshot_clear_inferences (snapshot);

  for (int i = 0; i < SIM_N_SHOWN; i++)
    shown_level_clear (&snapshot->shown[i]);

  g_free (snapshot);
}

/**
 * sim_snapshot_get_inferred:
 * @snapshot: a snapshot
 *
 * Returns: (nullable) (transfer none): the latest inference's n_features unit-norm weights, or
 *   %NULL before the first inference
 */
const double *
sim_snapshot_get_inferred (const SimSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, NULL);

  if (snapshot->n_inferences <= 0 || snapshot->inferred == NULL || snapshot->n_features <= 0)
    return NULL;
  return snapshot->inferred + (gsize) (snapshot->n_inferences - 1) * snapshot->n_features;
}
