/* cli.h: sub-commands of mesascope-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* Exit codes shared by every sub-command. */
#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1   /* bad input file, failed check */
#define CLI_EXIT_USAGE 2   /* unknown option, absurd value */

/* Each takes argv with argv[0] = the sub-command name. */
int cli_train (int argc, char **argv);
int cli_infer (int argc, char **argv);
int cli_level (int argc, char **argv);
int cli_bench (int argc, char **argv);

/* The tabular figures of the peer comparison (cli-bench-tabular.c), printed to stdout. */
void cli_bench_tabular (gboolean quick);
/* The inference figures (cli-bench-inference.c), printed to stdout. */
void cli_bench_inference (gboolean quick);

/* Prints "mesascope-cli SUB: MESSAGE" and a hint to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error (const char *sub,
                     const char *format,
                     ...) G_GNUC_PRINTF (2, 3);
