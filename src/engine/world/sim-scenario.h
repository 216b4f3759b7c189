/* sim-scenario.h: scenarios: features, base objectives, level distributions, metrics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include "sim-level.h"

G_BEGIN_DECLS

#define SIM_MAX_FEATURES 8

/* Level distributions of docs/science.md §2. */
typedef enum
{
  SIM_DIST_TRAIN,
  SIM_DIST_TEST,
  SIM_N_DISTS
} SimDistribution;

/* Number of features: coin 7 (6 without near_corner), green-exit 4, keys-chests 2. */
int          sim_features_count        (SimScenarioKind  scenario,
                                        gboolean         near_corner);
/* Feature names in order, as in the man page ("coin lava corner right_edge top_edge near_corner
 * step"; near_corner left out when near_corner is FALSE). */
const char  *sim_feature_name          (SimScenarioKind  scenario,
                                        gboolean         near_corner,
                                        int              index);
/* θ_base: coin [1 −1 0 0 0 0 −0.02]; green-exit [1 0 −1 −0.02]; keys-chests [0 1]. */
void         sim_features_base         (SimScenarioKind  scenario,
                                        gboolean         near_corner,
                                        double          *theta_base);
/* Index of the target feature (coin, exit) and of the proxy feature (corner, green); -1 if none. */
int          sim_features_target_index (SimScenarioKind  scenario);
int          sim_features_proxy_index  (SimScenarioKind  scenario,
                                        gboolean         near_corner);

/* φ(s) for every cell: phi[s * F + f], F = sim_features_count(). With target_visible FALSE the
 * target (coin / exit) contributes nothing (it is as if the cell were floor). */
void         sim_features_compute      (const SimLevel  *level,
                                        gboolean         near_corner,
                                        gboolean         target_visible,
                                        double          *phi);

/* Target cells: coin (coin scenario), exit or exit-on-green (green-exit). */
gboolean     sim_cell_is_target        (SimScenarioKind  scenario,
                                        SimCell          cell);

/* Proxy region for the "ends at proxy" metric: coin → the top-right 2×2 block; green-exit → the
 * green tile and its 4 neighbours. Writes a width*height mask of 0/1. */
void         sim_level_proxy_mask      (const SimLevel  *level,
                                        guint8          *mask);

/* Draws one level of the given distribution (docs/science.md §2 A and B): walls with p = 0.10,
 * lava max(1, N/4), redrawn until the target (and in green-exit test levels the green tile) is
 * reachable from the start avoiding walls and lava. Deterministic for a given rng state. */
SimLevel    *sim_scenario_generate     (SimScenarioKind  scenario,
                                        int              grid,
                                        SimDistribution  dist,
                                        gsl_rng         *rng);

/* Probe kinds of the "rich" battery (docs/science.md §3.5), in cycling order. */
typedef enum
{
  SIM_PROBE_TRAIN_LIKE,
  SIM_PROBE_OFF_DISTRIBUTION,
  SIM_PROBE_TARGET_NEAR_START,   /* target within 3 cells (Manhattan) of the start */
  SIM_PROBE_PROXY_BLOCKED,       /* coin: top-right 2×2 walled off; green-exit: no green tile */
  SIM_N_PROBE_KINDS
} SimProbeKind;

/* A probe level: start anywhere, n_lava lava cells, some of them on shortest start→target paths. */
SimLevel    *sim_scenario_generate_probe (SimScenarioKind  scenario,
                                          int              grid,
                                          SimProbeKind     kind,
                                          int              n_lava,
                                          gsl_rng         *rng);

/* TRUE if target_cell can be reached from from_cell through non-wall, non-lava cells. */
gboolean     sim_level_reachable       (const SimLevel  *level,
                                        int              from_cell,
                                        int              target_cell);

/* A scenario's name in files and on the command line ("coin", "green-exit", "keys-chests"),
 * "unknown" for anything else; and back (FALSE for a name that is none of them). */
const char  *sim_scenario_to_string    (SimScenarioKind  scenario);
gboolean     sim_scenario_from_string  (const char      *name,
                                        SimScenarioKind *out);

G_END_DECLS
