/* cli.h: sub-commands of mesascope-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>

/* Exit codes shared by every sub-command. */
#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1   /* bad input file, failed check */
#define CLI_EXIT_USAGE 2   /* unknown option, absurd value */

/* Each takes argv with argv[0] = the sub-command name. */
int cli_train (int argc, char **argv);
int cli_infer (int argc, char **argv);
int cli_level (int argc, char **argv);
int cli_bench (int argc, char **argv);
int cli_sweep (int argc, char **argv);

/* The tabular figures of the peer comparison (cli-bench-tabular.c), printed to stdout. */
void cli_bench_tabular (gboolean quick);
/* The inference figures (cli-bench-inference.c), printed to stdout. */
void cli_bench_inference (gboolean quick);
/* The network agent's figures (cli-bench-mlp.c), as "name value unit" lines on out. */
void cli_bench_mlp (FILE     *out,
                    gboolean  quick);
/* For qsort(): ascending doubles. */
int cli_compare_doubles (const void *pa,
                         const void *pb);
/* An input or output file of a command and the option that named it. */
typedef struct
{
  const char *option;
  const char *path;   /* NULL: not given; '-': standard output */
} CliFile;

/* Checks the output files before any work: an output that is one of the inputs, or the same
 * file as another output, is a usage error (CLI_EXIT_USAGE); one that cannot be written fails
 * (CLI_EXIT_FAIL). Both print why. Returns -1 when all is well. */
int cli_check_files (const char    *sub,
                     const CliFile *outputs,
                     guint          n_outputs,
                     const CliFile *inputs,
                     guint          n_inputs);
/* Writes text to path ('-': standard output) with sim_file_write(); prints why not. */
gboolean cli_write_output (const char *sub,
                           const char *option,
                           const char *path,
                           const char *text);
/* A JSON document as the commands write it: two spaces of indent, a final line break. Every
 * JSON output goes through it, so that the same values always print the same. */
char *cli_json_text (JsonNode *root);
/* Adds value, or null where it is not finite (JSON has no NaN or infinity). */
void cli_json_add_number (JsonBuilder *builder,
                          double       value);
/* Registered with atexit(): flushes standard output and exits with CLI_EXIT_FAIL and a message
 * when anything written there was lost. */
void cli_close_stdout (void);

/* Prints "mesascope-cli SUB: MESSAGE" and a hint to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error (const char *sub,
                     const char *format,
                     ...) G_GNUC_PRINTF (2, 3);

/* "--name" or "--name=…". */
gboolean cli_option_is (const char *arg,
                        const char *name);
/* Reads the value of option name at argv[*i] ("--name VALUE" or "--name=VALUE") into *value.
 * An option given twice and an empty value are usage errors: returns FALSE with *status set
 * after printing the message. */
gboolean cli_take_value (const char   *sub,
                         int           argc,
                         char        **argv,
                         int          *i,
                         const char   *name,
                         const char  **value,
                         int          *status);

/* An option with a value, stored as a const char * at offset in a command's options. */
typedef struct
{
  const char *name;
  gsize offset;
} CliValueOption;

/* When argv[*i] is one of the n options, reads its value (cli_take_value) into its slot of
 * base and returns TRUE, with *status -1, or the exit code of a usage error. FALSE: not one. */
gboolean cli_take_listed_value (const char           *sub,
                                int                   argc,
                                char                **argv,
                                int                  *i,
                                const CliValueOption *options,
                                guint                 n,
                                gpointer              base,
                                int                  *status);
/* The usage error of an unknown option, named without its "=VALUE". */
int cli_unknown_option (const char *sub,
                        const char *arg);

/* SIGINT and SIGTERM during long work. After cli_stop_begin() the first signal is recorded
 * (cli_stop_requested() returns its number) for the work loop to stop at its next boundary;
 * with at_once, or at a second signal, the process prints one line and exits with 128 + the
 * signal's number at once (only before any output is written). cli_stop_end() starts the
 * writing, which signals no longer interrupt. cli_stopped() prints the line and returns the
 * exit status. */
void     cli_stop_begin     (const char *sub,
                             gboolean    at_once);
int      cli_stop_requested (void);
void     cli_stop_end       (void);
int      cli_stopped        (void);

/* "mesascope-cli SUB: UNIT k of K, M:SS elapsed, about M:SS left" on standard error, redrawn
 * in place at most four times a second, only when standard error is a terminal. With K ≤ 0
 * (not known ahead) only "UNIT k, M:SS elapsed". */
typedef struct
{
  const char *sub;
  const char *unit;
  gboolean tty;
  gboolean shown;
  gint64 start;
  gint64 last;
} CliProgress;

void     cli_progress_init   (CliProgress *progress,
                              const char  *sub,
                              const char  *unit);
void     cli_progress_update (CliProgress *progress,
                              int          done,
                              int          total);
void     cli_progress_clear  (CliProgress *progress);
