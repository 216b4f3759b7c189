/* cli-train.h: one training run as train makes it, for train and sweep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sim-probes.h"
#include "sim-sweep.h"
#include "sim-train.h"

/* The options of train that configure a run, as given (NULL: not given). */
typedef struct
{
  const char *scenario, *agent, *optimizer, *perception, *diversity, *grid;
  const char *iterations, *seed, *infer_every, *planning_depth;
  gboolean no_near_corner;
} CliTrainOptions;

/* Applies the options given to config and validates it. Returns -1, or CLI_EXIT_USAGE after
 * printing "mesascope-cli SUB: --option: …". */
int cli_train_apply_options (const char            *sub,
                             const CliTrainOptions *opts,
                             SimConfig             *config);
/* Refuses a run beyond the work limit, naming it and the most iterations it allows: returns -1
 * or CLI_EXIT_USAGE. */
int cli_train_check_work (const char      *sub,
                          const SimConfig *config);

/* Adds the member "final" of train --json: the final figures of a finished run (the run
 * itself is sim_sweep_train_new() trained by sim_sweep_train_run()). */
void cli_train_add_final (JsonBuilder         *builder,
                          const SimSweepFinal *final);
