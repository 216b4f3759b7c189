/* mesascope-cli.c: the engine without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "cli.h"

static const char usage_text[] =
  "Usage: mesascope-cli COMMAND [OPTION…]\n"
  "\n"
  "Train gridworld agents and infer the objective they pursue, without a display.\n"
  "\n"
  "Commands:\n"
  "  train        Run a base optimizer on a scenario and report metrics (JSON, CSV)\n"
  "  sweep        Train over a grid of options and seeds on all cores; shards, merge\n"
  "  infer        Infer a reward from demonstrations (--demos) or any finite MDP (--mdp)\n"
  "  level check  Check level files; prints FILE:LINE:COL for every error\n"
  "  bench        Measure the engine's speed; one line per figure: name value unit\n"
  "\n"
  "Options:\n"
  "  -h, --help     Show this help\n"
  "  --version      Show the version\n"
  "\n"
  "Run 'mesascope-cli COMMAND --help' or 'mesascope-cli help COMMAND' for the options of a\n"
  "command.\n";

int
cli_usage_error (const char *sub,
                 const char *format,
                 ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (sub != NULL)
    {
      fprintf (stderr, "mesascope-cli %s: %s\n", sub, message);
      fprintf (stderr, "Try 'mesascope-cli %s --help'.\n", sub);
    }
  else
    {
      fprintf (stderr, "mesascope-cli: %s\n", message);
      fprintf (stderr, "Try 'mesascope-cli --help'.\n");
    }
  return CLI_EXIT_USAGE;
}

typedef int (*CliCommand) (int argc, char **argv);

static CliCommand
find_command (const char *name)
{
  static const struct
  {
    const char *name;
    CliCommand func;
  } commands[] = {
    { "train", cli_train },
    { "sweep", cli_sweep },
    { "infer", cli_infer },
    { "level", cli_level },
    { "bench", cli_bench },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (name, commands[i].name) == 0)
      return commands[i].func;
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  atexit (cli_close_stdout);
  setlocale (LC_ALL, "");
  /* Numbers in JSON, CSV and level files always use '.' */
  setlocale (LC_NUMERIC, "C");
  gsl_set_error_handler_off ();

  if (argc < 2)
    {
      fputs (usage_text, stderr);
      return CLI_EXIT_USAGE;
    }

  command = argv[1];
  /* "help COMMAND" is "COMMAND --help". */
  if (strcmp (command, "help") == 0 && argc > 2)
    {
      char *help_argv[] = { argv[2], (char *) "--help", NULL };
      CliCommand func = find_command (argv[2]);

      if (argc > 3)
        return cli_usage_error (NULL, "help: unexpected argument '%s'", argv[3]);
      if (func == NULL)
        return cli_usage_error (NULL, "help: unknown command '%s'", argv[2]);
      return func (2, help_argv);
    }
  if (strcmp (command, "-h") == 0 || strcmp (command, "--help") == 0 ||
      strcmp (command, "help") == 0)
    {
      fputs (usage_text, stdout);
      return CLI_EXIT_OK;
    }
  if (strcmp (command, "--version") == 0)
    {
      printf ("mesascope-cli %s\n", PACKAGE_VERSION);
      return CLI_EXIT_OK;
    }
  if (find_command (command) != NULL)
    return find_command (command) (argc - 1, argv + 1);

  if (command[0] == '-')
    return cli_usage_error (NULL, "unknown option '%s'", command);
  return cli_usage_error (NULL, "unknown command '%s'", command);
}
