/* sim-config.c: the configuration of a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim-config.h"
#include "sim-scenario.h"

G_DEFINE_QUARK (sim-config-error-quark, sim_config_error)

static const char *agent_names[SIM_N_AGENTS] = { "planner", "qlearner", "mlp" };
static const char *optimizer_names[SIM_N_OPTIMIZERS] = { "pgn", "cem", "pg" };

void
sim_config_init_default (SimConfig *config)
{
  memset (config, 0, sizeof *config);
  config->scenario = SIM_SCENARIO_COIN;
  config->agent = SIM_AGENT_PLANNER;
  config->optimizer = SIM_OPTIMIZER_PGN;
  config->perception = SIM_PERCEPTION_FULL;
  config->perception_param = 0;
  config->diversity = 0;
  config->near_corner = TRUE;
  config->grid = 8;
  config->iterations = 60;
  config->seed = 1;
  config->infer_every = 4;
}

int
sim_config_horizon (const SimConfig *config)
{
  return 3 * config->grid;
}

void
sim_config_to_json (const SimConfig *config,
                    JsonBuilder     *builder,
                    gboolean         exact)
{
  g_autofree char *perception = NULL;

  g_return_if_fail (config != NULL && builder != NULL);

  perception = sim_perception_to_string (config->perception, config->perception_param);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, sim_scenario_to_string (config->scenario));
  json_builder_set_member_name (builder, "agent");
  json_builder_add_string_value (builder, sim_agent_to_string (config->agent));
  json_builder_set_member_name (builder, "optimizer");
  if (exact || config->agent == SIM_AGENT_PLANNER)
    json_builder_add_string_value (builder, sim_optimizer_to_string (config->optimizer));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, config->seed);
  json_builder_set_member_name (builder, "perception");
  json_builder_add_string_value (builder, perception);
  json_builder_set_member_name (builder, "diversity");
  json_builder_add_int_value (builder, config->diversity);
  json_builder_set_member_name (builder, "near_corner");
  json_builder_add_boolean_value (builder, config->near_corner);
  json_builder_set_member_name (builder, "grid");
  json_builder_add_int_value (builder, config->grid);
  json_builder_set_member_name (builder, "iterations");
  json_builder_add_int_value (builder, config->iterations);
  json_builder_set_member_name (builder, "infer_every");
  json_builder_add_int_value (builder, config->infer_every);
  json_builder_set_member_name (builder, "planning_depth");
  json_builder_add_int_value (builder, config->planning_depth);
}

gboolean
sim_config_equal (const SimConfig *a,
                  const SimConfig *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->scenario == b->scenario && a->agent == b->agent && a->optimizer == b->optimizer &&
         a->perception == b->perception && a->perception_param == b->perception_param &&
         a->diversity == b->diversity && !a->near_corner == !b->near_corner &&
         a->grid == b->grid && a->iterations == b->iterations && a->seed == b->seed &&
         a->infer_every == b->infer_every && a->planning_depth == b->planning_depth;
}

gboolean
sim_config_validate (const SimConfig  *config,
                     GError          **error)
{
  if ((guint) config->scenario >= SIM_N_SCENARIOS)
    goto invalid_scenario;
  if ((guint) config->agent >= SIM_N_AGENTS)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "unknown agent (expected planner, qlearner or mlp)");
      return FALSE;
    }
  if ((guint) config->optimizer >= SIM_N_OPTIMIZERS)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "unknown optimizer (expected pgn, cem or pg)");
      return FALSE;
    }
  if (config->grid != 8 && config->grid != 12 && config->grid != 16)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "grid %d is not supported (expected 8, 12 or 16)", config->grid);
      return FALSE;
    }
  if (config->scenario == SIM_SCENARIO_KEYS_CHESTS && config->grid != 8)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "the keys-chests scenario runs on an 8×8 grid only");
      return FALSE;
    }
  if (config->agent == SIM_AGENT_QLEARNER && config->scenario != SIM_SCENARIO_COIN)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "the Q-learner exists for the coin scenario only");
      return FALSE;
    }
  switch (config->perception)
    {
    case SIM_PERCEPTION_FULL:
      break;
    case SIM_PERCEPTION_HIDDEN:
      if (config->perception_param < 0 || config->perception_param > 100)
        {
          g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                       "hidden percentage %d is out of range (0 to 100)",
                       config->perception_param);
          return FALSE;
        }
      break;
    case SIM_PERCEPTION_RADIUS:
      if (config->perception_param < 1 || config->perception_param > 2 * config->grid)
        {
          g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                       "perception radius %d is out of range (1 to %d)",
                       config->perception_param, 2 * config->grid);
          return FALSE;
        }
      break;
    default:
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "unknown perception (expected full, hidden:PCT or radius:R)");
      return FALSE;
    }
  if (config->diversity < 0 || config->diversity > 100)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "diversity %d is out of range (0 to 100)", config->diversity);
      return FALSE;
    }
  if (config->iterations < 1 || config->iterations > 100000)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "iterations %d is out of range (1 to 100000)", config->iterations);
      return FALSE;
    }
  if (config->infer_every < 0 || config->infer_every > 100000)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "inference cadence %d is out of range (0 to 100000)", config->infer_every);
      return FALSE;
    }
  if (config->planning_depth < 0 || config->planning_depth > SIM_CONFIG_MAX_PLANNING_DEPTH)
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "planning depth %d is out of range (0 for the whole episode, or 1 to %d)",
                   config->planning_depth, SIM_CONFIG_MAX_PLANNING_DEPTH);
      return FALSE;
    }
  if (config->planning_depth != 0 && (config->agent != SIM_AGENT_PLANNER ||
                                      config->scenario == SIM_SCENARIO_KEYS_CHESTS))
    {
      g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                   "a planning depth applies to the planner agent of the coin and green-exit "
                   "scenarios only");
      return FALSE;
    }
  return TRUE;

invalid_scenario:
  g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
               "unknown scenario (expected coin, green-exit or keys-chests)");
  return FALSE;
}

static gboolean
parse_int_strict (const char *text,
                  long        min,
                  long        max,
                  int        *out)
{
  char *end = NULL;
  long value;

  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  value = strtol (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
    return FALSE;
  *out = (int) value;
  return TRUE;
}

gboolean
sim_perception_parse (const char         *text,
                      SimPerceptionKind  *kind,
                      int                *param,
                      GError            **error)
{
  int value;

  if (g_strcmp0 (text, "full") == 0)
    {
      *kind = SIM_PERCEPTION_FULL;
      *param = 0;
      return TRUE;
    }
  if (text != NULL && g_str_has_prefix (text, "hidden:"))
    {
      if (!parse_int_strict (text + strlen ("hidden:"), 0, 100, &value))
        {
          g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                       "'%s': the hidden percentage must be a whole number from 0 to 100", text);
          return FALSE;
        }
      *kind = SIM_PERCEPTION_HIDDEN;
      *param = value;
      return TRUE;
    }
  if (text != NULL && g_str_has_prefix (text, "radius:"))
    {
      if (!parse_int_strict (text + strlen ("radius:"), 1, 2 * SIM_LEVEL_MAX_SIZE, &value))
        {
          g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
                       "'%s': the radius must be a whole number of cells from 1 to twice the "
                       "grid size", text);
          return FALSE;
        }
      *kind = SIM_PERCEPTION_RADIUS;
      *param = value;
      return TRUE;
    }
  g_set_error (error, SIM_CONFIG_ERROR, SIM_CONFIG_ERROR_INVALID,
               "'%s' is not a perception (expected full, hidden:PCT or radius:R)",
               text ? text : "");
  return FALSE;
}

char *
sim_perception_to_string (SimPerceptionKind kind,
                          int               param)
{
  switch (kind)
    {
    case SIM_PERCEPTION_HIDDEN:
      return g_strdup_printf ("hidden:%d", param);
    case SIM_PERCEPTION_RADIUS:
      return g_strdup_printf ("radius:%d", param);
    case SIM_PERCEPTION_FULL:
    default:
      return g_strdup ("full");
    }
}

const char *
sim_agent_to_string (SimAgentKind agent)
{
  return (guint) agent < SIM_N_AGENTS ? agent_names[agent] : "unknown";
}

gboolean
sim_agent_from_string (const char   *name,
                       SimAgentKind *out)
{
  for (guint i = 0; i < SIM_N_AGENTS; i++)
    if (g_strcmp0 (name, agent_names[i]) == 0)
      {
        *out = (SimAgentKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sim_optimizer_to_string (SimOptimizerKind optimizer)
{
  return (guint) optimizer < SIM_N_OPTIMIZERS ? optimizer_names[optimizer] : "unknown";
}

gboolean
sim_optimizer_from_string (const char       *name,
                           SimOptimizerKind *out)
{
  for (guint i = 0; i < SIM_N_OPTIMIZERS; i++)
    if (g_strcmp0 (name, optimizer_names[i]) == 0)
      {
        *out = (SimOptimizerKind) i;
        return TRUE;
      }
  return FALSE;
}
