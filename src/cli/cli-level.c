/* cli-level.c: mesascope-cli level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"

/* Placeholder until the level command lands; refuses clearly instead of pretending. */
int
cli_level (int    argc,
        char **argv)
{
  fprintf (stderr, "mesascope-cli level: not available in this build yet\n");
  return CLI_EXIT_FAIL;
}
