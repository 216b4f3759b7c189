/* cli-infer.c: mesascope-cli infer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"

/* Placeholder until the infer command lands; refuses clearly instead of pretending. */
int
cli_infer (int    argc,
        char **argv)
{
  fprintf (stderr, "mesascope-cli infer: not available in this build yet\n");
  return CLI_EXIT_FAIL;
}
