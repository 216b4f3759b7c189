/* sim-config.h: the full configuration of a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "sim-level.h"

G_BEGIN_DECLS

#define SIM_CONFIG_ERROR (sim_config_error_quark ())

typedef enum
{
  SIM_CONFIG_ERROR_INVALID,
} SimConfigError;

typedef enum
{
  SIM_AGENT_PLANNER,
  SIM_AGENT_QLEARNER,
  SIM_AGENT_MLP,           /* the network agent (docs/science.md §9) */
  SIM_N_AGENTS
} SimAgentKind;

typedef enum
{
  SIM_OPTIMIZER_PGN,       /* normalised policy gradient: fixed step along g/‖g‖ */
  SIM_OPTIMIZER_CEM,       /* cross-entropy method */
  SIM_OPTIMIZER_PG,        /* policy gradient with Adam (docs/science.md §1 `pg`) */
  SIM_N_OPTIMIZERS
} SimOptimizerKind;

typedef enum
{
  SIM_PERCEPTION_FULL,    /* target always perceived (M0) */
  SIM_PERCEPTION_HIDDEN,  /* target hidden in perception_param % of training levels (M1) */
  SIM_PERCEPTION_RADIUS,  /* target perceived once within Manhattan distance perception_param (M2) */
  SIM_N_PERCEPTIONS
} SimPerceptionKind;

/* A plain value type: copy it with '='. Every field is checked by sim_config_validate(). */
typedef struct
{
  SimScenarioKind scenario;
  SimAgentKind agent;
  SimOptimizerKind optimizer;
  SimPerceptionKind perception;
  int perception_param;   /* percent for HIDDEN (0..100), radius for RADIUS (1..2*grid) */
  int diversity;          /* percent of training levels drawn from the test distribution */
  gboolean near_corner;   /* coin scenario: include the near_corner feature */
  int grid;               /* 8, 12 or 16 (keys-chests: 8) */
  int iterations;         /* base-optimizer iterations (Q-learner, network: the fixed training
                           * length is spread over them) */
  guint32 seed;
  int infer_every;        /* run inference every K iterations; 0 = never */
  int planning_depth;     /* planner: steps it looks ahead when it acts (a receding horizon,
                           * see sim_planner_set_depth()); 0 = the whole episode */
} SimConfig;

GQuark       sim_config_error_quark        (void);

/* The defaults (docs/science.md §5): coin, planner, pgn, full perception, grid 8, 60
 * iterations. */
void         sim_config_init_default       (SimConfig        *config);
gboolean     sim_config_validate           (const SimConfig  *config,
                                            GError          **error);
/* TRUE when the two configurations describe the same run: every field equal (near_corner
 * compared as a truth value). */
gboolean     sim_config_equal              (const SimConfig  *a,
                                            const SimConfig  *b);
int          sim_config_horizon            (const SimConfig  *config);

/* The deepest planning depth a configuration may ask for: the longest episode of any grid. */
#define SIM_CONFIG_MAX_PLANNING_DEPTH 1000

/* Writes the configuration's members into the object builder is building: scenario, agent,
 * optimizer, seed, perception, diversity, near_corner, grid, iterations, infer_every and
 * planning_depth. With
 * exact FALSE (what a run reports) the optimizer is null for agents that have none; with exact
 * TRUE (what a file keeps, to restore every setting) it is always written. */
void         sim_config_to_json            (const SimConfig  *config,
                                            JsonBuilder      *builder,
                                            gboolean          exact);

/* "full", "hidden:30", "radius:3". Refuses anything else with a message. */
gboolean     sim_perception_parse          (const char       *text,
                                            SimPerceptionKind *kind,
                                            int              *param,
                                            GError          **error);
char        *sim_perception_to_string      (SimPerceptionKind kind,
                                            int               param);

const char  *sim_agent_to_string           (SimAgentKind      agent);
gboolean     sim_agent_from_string         (const char       *name,
                                            SimAgentKind     *out);
const char  *sim_optimizer_to_string       (SimOptimizerKind  optimizer);
gboolean     sim_optimizer_from_string     (const char       *name,
                                            SimOptimizerKind *out);

G_END_DECLS
