/* cli-bench.c: mesascope-cli bench
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"

/* Placeholder until the bench command lands; refuses clearly instead of pretending. */
int
cli_bench (int    argc,
        char **argv)
{
  fprintf (stderr, "mesascope-cli bench: not available in this build yet\n");
  return CLI_EXIT_FAIL;
}
