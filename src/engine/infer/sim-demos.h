/* sim-demos.h: demonstration files (levels and the trajectories recorded on them)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "sim-level.h"

G_BEGIN_DECLS

#define SIM_DEMOS_ERROR (sim_demos_error_quark ())

typedef enum
{
  SIM_DEMOS_ERROR_PARSE,     /* not JSON, or a value of the wrong type */
  SIM_DEMOS_ERROR_INVALID,   /* well-formed but unusable; the message names the place */
  SIM_DEMOS_ERROR_IO,
} SimDemosError;

/* At most this many levels, trajectories and bytes in one file. */
#define SIM_DEMOS_MAX_LEVELS        4096
#define SIM_DEMOS_MAX_TRAJECTORIES  1000000
#define SIM_DEMOS_MAX_FILE_SIZE     (256 * 1024 * 1024)

typedef struct
{
  int level;    /* index into SimDemos.levels */
  int length;   /* number of cells, start included */
  int *cells;   /* owned, state indices s = y * width + x */
} SimDemoTrajectory;

/* The demos file (mesascope-cli(1), FILES):
 *   {"scenario": "coin", "levels": ["<level file text>", …],
 *    "trajectories": [{"level": 0, "cells": [[x, y], …]}, …]}
 * with an optional "near_corner": false (coin scenario without the near_corner feature).
 * Every trajectory starts on its level's start, moves one cell at a time (or stays), never
 * enters a wall, stops on entering a terminal cell (coin, lava, exit) and takes at most the
 * level's horizon steps. */
typedef struct
{
  SimScenarioKind scenario;
  gboolean near_corner;
  GPtrArray *levels;          /* SimLevel, owned */
  GArray *trajectories;       /* SimDemoTrajectory, owned (cleared with the array) */
} SimDemos;

GQuark       sim_demos_error_quark   (void);

SimDemos    *sim_demos_new           (SimScenarioKind   scenario,
                                      gboolean          near_corner);
void         sim_demos_free          (SimDemos         *demos);
/* Adds a level (takes a reference); returns its index. */
int          sim_demos_add_level     (SimDemos         *demos,
                                      SimLevel         *level);
/* Checks the trajectory as the file loader does (messages "step K: …") and appends a copy. */
gboolean     sim_demos_add_trajectory (SimDemos        *demos,
                                       int              level,
                                       const int       *cells,
                                       int              length,
                                       GError         **error);

/* Errors read "FILE: trajectories[3].cells[5]: …", "FILE: levels[1]: <level parser
 * message>", and so on. Nothing is half-loaded. */
SimDemos    *sim_demos_parse         (const char       *text,
                                      gssize            length,
                                      const char       *filename,
                                      GError          **error);
SimDemos    *sim_demos_load          (const char       *path,
                                      GError          **error);
char        *sim_demos_to_string     (const SimDemos   *demos);
/* Atomic: a temporary file beside path, then a rename. */
gboolean     sim_demos_save          (const SimDemos   *demos,
                                      const char       *path,
                                      GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimDemos, sim_demos_free)

G_END_DECLS
