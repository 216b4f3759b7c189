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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/config/defaults", test_defaults_valid);
  g_test_add_func ("/engine/config/absurd", test_absurd_values);
  g_test_add_func ("/engine/config/perception", test_perception_parse);
  return g_test_run ();
}
