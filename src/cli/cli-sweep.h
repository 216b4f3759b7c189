/* cli-sweep.h: the grid of a sweep and its output files (cli-sweep.c, cli-sweep-file.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cli.h"
#include "cli-train.h"

/* The list options, in the order of the grid: the last one varies fastest, so the runs of a
 * grid point (its seeds) are neighbours. */
#define CLI_SWEEP_N_AXES 10
/* The most runs of a grid. */
#define CLI_SWEEP_MAX_RUNS 1000000

/* Each list option ("--diversity") and its field in CliTrainOptions, and its member in the
 * file's "sweep" object ("diversity"). */
extern const CliValueOption cli_sweep_lists[CLI_SWEEP_N_AXES];
extern const char *const cli_sweep_keys[CLI_SWEEP_N_AXES];

/* A grid: the values of each list option (none: the option was not given, train's default),
 * and the one flag. Runs are numbered from 0 in the grid's order. */
typedef struct
{
  GPtrArray *values[CLI_SWEEP_N_AXES];   /* of char * */
  gboolean no_near_corner;
} CliSweepGrid;

void    cli_sweep_grid_init   (CliSweepGrid *grid);
void    cli_sweep_grid_clear  (CliSweepGrid *grid);
/* The number of runs; any number above CLI_SWEEP_MAX_RUNS stands for "too many". */
guint64 cli_sweep_grid_n_runs (const CliSweepGrid *grid);
/* The runs of a grid point: the number of seeds. */
guint   cli_sweep_grid_n_seeds (const CliSweepGrid *grid);
/* The options of run r: pointers into grid. */
void    cli_sweep_grid_options (const CliSweepGrid *grid,
                                guint64             r,
                                CliTrainOptions    *opts);
/* The grid as the file's "sweep" object, and back (FALSE with error when it is not one). */
JsonNode *cli_sweep_grid_to_json   (const CliSweepGrid *grid);
gboolean  cli_sweep_grid_from_json (JsonNode            *node,
                                    CliSweepGrid        *grid,
                                    GError             **error);

/* A row of the output: { "index", the run's configuration as train --json prints it,
 * "final": train --json's final figures }, printed and read back, so that a row read from a
 * file and the row as it was made print the same. */
JsonNode *cli_sweep_row_new (guint64              index,
                             const SimConfig     *config,
                             const SimSweepFinal *final);

/* The JSON document: format, version, sweep (the grid), shard ("I/N" or null), complete,
 * runs (the rows given, by index) and summary (per grid point of the rows given: the mean of
 * every final figure over the seeds and its 95 % Student-t interval, sim_sweep_interval()).
 * rows has n_runs slots, NULL where a run is missing. */
char *cli_sweep_json (const CliSweepGrid *grid,
                      JsonNode          **rows,
                      guint64             n_runs,
                      const char         *shard,
                      gboolean            complete);
/* The summary of cli_sweep_json(): one object per grid point with rows (of JsonNode *). */
GPtrArray *cli_sweep_summary (const CliSweepGrid *grid,
                              JsonNode          **rows,
                              guint64             n_runs);
/* The CSV: a header and one line per row given (rows or summary points), the members flattened
 * ("final.test_target", "final.goal_directedness.inferred.interval.0"); numbers as in the
 * JSON. */
char *cli_sweep_csv  (JsonNode **rows,
                      guint64    n_runs);

/* A sweep file as written by cli_sweep_json(): its grid, its shard (NULL: none) and its rows
 * (of JsonNode *, each with a valid "index" below the grid's number of runs, no index twice). */
typedef struct
{
  CliSweepGrid grid;
  char *shard;
  GPtrArray *rows;
} CliSweepFile;

gboolean cli_sweep_file_load  (const char    *path,
                               CliSweepFile  *file,
                               GError       **error);
void     cli_sweep_file_clear (CliSweepFile  *file);
/* The index of a row read from a file. */
guint64  cli_sweep_row_index  (JsonNode *row);
