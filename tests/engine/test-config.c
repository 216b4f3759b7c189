/* test-config.c: run configuration parsing and validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim.h"

static void
test_defaults_valid (void)
{
  SimConfig config;
  g_autoptr (GError) error = NULL;

  sim_config_init_default (&config);
  g_assert_true (sim_config_validate (&config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sim_config_horizon (&config), ==, 24);
}

static void
test_absurd_values (void)
{
  SimConfig config;

  sim_config_init_default (&config);
  config.grid = 0;
  g_assert_false (sim_config_validate (&config, NULL));
  config.grid = 100000;
  g_assert_false (sim_config_validate (&config, NULL));
  sim_config_init_default (&config);
  config.iterations = -1;
  g_assert_false (sim_config_validate (&config, NULL));
  sim_config_init_default (&config);
  config.diversity = 101;
  g_assert_false (sim_config_validate (&config, NULL));
}

static void
test_perception_parse (void)
{
  SimPerceptionKind kind;
  int param;
  g_autoptr (GError) error = NULL;
  const char *bad[] = { "radius:abc", "radius:", "radius:0", "hidden:101", "hidden:-1",
                        "hidden:3x", "partial", "", "radius:99999999999999" };

  g_assert_true (sim_perception_parse ("full", &kind, &param, NULL));
  g_assert_cmpint (kind, ==, SIM_PERCEPTION_FULL);
  g_assert_true (sim_perception_parse ("hidden:30", &kind, &param, NULL));
  g_assert_cmpint (kind, ==, SIM_PERCEPTION_HIDDEN);
  g_assert_cmpint (param, ==, 30);
  g_assert_true (sim_perception_parse ("radius:3", &kind, &param, NULL));
  g_assert_cmpint (kind, ==, SIM_PERCEPTION_RADIUS);
  g_assert_cmpint (param, ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&error);
      g_assert_false (sim_perception_parse (bad[i], &kind, &param, &error));
      g_assert_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID);
    }
}

/* sim_config_equal(): equal to itself and to a copy; changing any one field makes it differ
 * (near_corner only as a truth value). A field added to SimConfig and not to the comparison
 * makes this fail: the loop changes every byte range a field occupies. */
static void
test_equal (void)
{
  SimConfig a, b;

  sim_config_init_default (&a);
  b = a;
  g_assert_true (sim_config_equal (&a, &a));
  g_assert_true (sim_config_equal (&a, &b));
#define CHANGED(field, value) \
  G_STMT_START { b = a; b.field = (value); g_assert_false (sim_config_equal (&a, &b)); \
                 g_assert_false (sim_config_equal (&b, &a)); } G_STMT_END
  CHANGED (scenario, SIM_SCENARIO_GREEN_EXIT);
  CHANGED (agent, SIM_AGENT_QLEARNER);
  CHANGED (optimizer, SIM_OPTIMIZER_CEM);
  CHANGED (perception, SIM_PERCEPTION_HIDDEN);
  CHANGED (perception_param, 30);
  CHANGED (diversity, 20);
  CHANGED (near_corner, FALSE);
  CHANGED (grid, 12);
  CHANGED (iterations, 61);
  CHANGED (seed, 2);
  CHANGED (infer_every, 5);
  CHANGED (planning_depth, 3);
#undef CHANGED
  /* Every field was changed once: their sizes add up to the struct's (no padding here). */
  g_assert_cmpuint (sizeof a.scenario + sizeof a.agent + sizeof a.optimizer +
                    sizeof a.perception + sizeof a.perception_param + sizeof a.diversity +
                    sizeof a.near_corner + sizeof a.grid + sizeof a.iterations +
                    sizeof a.seed + sizeof a.infer_every + sizeof a.planning_depth, ==,
                    sizeof (SimConfig));
  /* near_corner is a truth value. */
  b = a;
  b.near_corner = 7;
  g_assert_true (sim_config_equal (&a, &b));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/config/defaults", test_defaults_valid);
  g_test_add_func ("/engine/config/absurd", test_absurd_values);
  g_test_add_func ("/engine/config/perception", test_perception_parse);
  g_test_add_func ("/engine/config/equal", test_equal);
  return g_test_run ();
}
