/* test-snapshot.c: snapshot reference counting, ownership and the latest inference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sim.h"
#include "sim-snapshot.h"

static void
test_new_is_empty (void)
{
  g_autoptr (SimSnapshot) snapshot = sim_snapshot_new ();
  SimConfig defaults;

  sim_config_init_default (&defaults);
  g_assert_cmpint (snapshot->ref_count, ==, 1);
  g_assert_cmpint (snapshot->iteration, ==, 0);
  g_assert_cmpint (snapshot->n_history, ==, 0);
  g_assert_cmpint (snapshot->n_inferences, ==, 0);
  g_assert_cmpint (snapshot->last_inference_us, ==, 0);
  g_assert_null (snapshot->feature_names);
  g_assert_null (snapshot->shown[SIM_SHOWN_TEST].level);
  g_assert_cmpint (snapshot->config.grid, ==, defaults.grid);
  g_assert_cmpint (snapshot->config.scenario, ==, defaults.scenario);
  g_assert_null (sim_snapshot_get_inferred (snapshot));
}

static void
fill_shown (SimShownLevel *shown,
            SimLevel      *level,
            gboolean       with_inferred)
{
  int n = level->width * level->height;

  shown->level = sim_level_ref (level);
  shown->n_path = 3;
  shown->path = g_new (int, 3);
  shown->path[0] = level->start;
  shown->path[1] = level->start + 1;
  shown->path[2] = level->start + 2;
  shown->base_reward = g_new0 (double, n);
  shown->inferred_reward = with_inferred ? g_new0 (double, n) : NULL;
}

/* A snapshot filled the way the runner fills it: every array owned, levels referenced. */
static SimSnapshot *
build_filled (SimLevel *level)
{
  SimSnapshot *snapshot = sim_snapshot_new ();
  const int F = 3, H = 5, I = 2;

  snapshot->iteration = H;
  snapshot->n_features = F;
  snapshot->feature_names = g_new0 (char *, F + 1);
  snapshot->feature_names[0] = g_strdup ("coin");
  snapshot->feature_names[1] = g_strdup ("corner");
  snapshot->feature_names[2] = g_strdup ("step");
  snapshot->base_objective = g_new0 (double, F);
  snapshot->true_objective = g_new0 (double, F);

  snapshot->n_history = H;
  snapshot->train_target = g_new0 (double, H);
  snapshot->test_target = g_new0 (double, H);
  snapshot->test_proxy = g_new0 (double, H);

  snapshot->n_inferences = I;
  snapshot->inference_iteration = g_new0 (int, I);
  snapshot->inferred = g_new0 (double, I * F);
  snapshot->inferred_sd = g_new0 (double, I * F);
  snapshot->predicted_target = g_new0 (double, I);
  snapshot->predicted_proxy = g_new0 (double, I);
  snapshot->cos_base = g_new0 (double, I);
  snapshot->cos_true = g_new0 (double, I);
  for (int k = 0; k < I; k++)
    for (int f = 0; f < F; f++)
      snapshot->inferred[k * F + f] = 10.0 * k + f;

  fill_shown (&snapshot->shown[SIM_SHOWN_TRAIN], level, TRUE);
  fill_shown (&snapshot->shown[SIM_SHOWN_TEST], level, FALSE);
  return snapshot;
}

static SimLevel *
make_level (void)
{
  SimLevel *level = sim_level_new (SIM_SCENARIO_COIN, 4, 4, 12);

  level->start = 0;
  return level;
}

static void
test_ref_unref_owns_levels (void)
{
  g_autoptr (SimLevel) level = make_level ();
  SimSnapshot *snapshot;

  g_assert_cmpint (level->ref_count, ==, 1);
  snapshot = build_filled (level);
  g_assert_cmpint (level->ref_count, ==, 3);

  g_assert_true (sim_snapshot_ref (snapshot) == snapshot);
  g_assert_cmpint (snapshot->ref_count, ==, 2);
  sim_snapshot_unref (snapshot);
  /* Still alive: one reference left, the levels still held. */
  g_assert_cmpint (snapshot->ref_count, ==, 1);
  g_assert_cmpint (level->ref_count, ==, 3);
  g_assert_cmpstr (snapshot->feature_names[1], ==, "corner");

  sim_snapshot_unref (snapshot);
  /* The last unref dropped both shown levels' references. */
  g_assert_cmpint (level->ref_count, ==, 1);

  /* Unref of NULL is a no-op, as for g_clear_pointer. */
  sim_snapshot_unref (NULL);
}

static void
test_get_inferred_latest (void)
{
  g_autoptr (SimLevel) level = make_level ();
  g_autoptr (SimSnapshot) snapshot = build_filled (level);
  const double *w = sim_snapshot_get_inferred (snapshot);

  g_assert_nonnull (w);
  /* The second (latest) row: 10, 11, 12. */
  g_assert_cmpfloat (w[0], ==, 10.0);
  g_assert_cmpfloat (w[2], ==, 12.0);
  g_assert_true (w == snapshot->inferred + snapshot->n_features);

  snapshot->n_inferences = 1;
  w = sim_snapshot_get_inferred (snapshot);
  g_assert_cmpfloat (w[1], ==, 1.0);
}

static void
test_partial_fill (void)
{
  g_autoptr (SimLevel) level = make_level ();
  SimSnapshot *snapshot = sim_snapshot_new ();

  /* Only some arrays set (a snapshot published before the first inference). */
  snapshot->n_history = 1;
  snapshot->train_target = g_new0 (double, 1);
  fill_shown (&snapshot->shown[SIM_SHOWN_TEST], level, FALSE);
  g_assert_null (sim_snapshot_get_inferred (snapshot));
  g_assert_cmpint (level->ref_count, ==, 2);
  sim_snapshot_unref (snapshot);
  g_assert_cmpint (level->ref_count, ==, 1);
}

static gpointer
ref_unref_thread (gpointer data)
{
  SimSnapshot *snapshot = data;

  for (int i = 0; i < 100000; i++)
    {
      sim_snapshot_ref (snapshot);
      sim_snapshot_unref (snapshot);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr (SimLevel) level = make_level ();
  SimSnapshot *snapshot = build_filled (level);
  GThread *threads[4];

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("ref", ref_unref_thread, snapshot);
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (snapshot->ref_count, ==, 1);
  sim_snapshot_unref (snapshot);
  g_assert_cmpint (level->ref_count, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/train/snapshot/new-is-empty", test_new_is_empty);
  g_test_add_func ("/engine/train/snapshot/ref-unref-owns-levels", test_ref_unref_owns_levels);
  g_test_add_func ("/engine/train/snapshot/get-inferred-latest", test_get_inferred_latest);
  g_test_add_func ("/engine/train/snapshot/partial-fill", test_partial_fill);
  g_test_add_func ("/engine/train/snapshot/threads", test_threads);

  return g_test_run ();
}
