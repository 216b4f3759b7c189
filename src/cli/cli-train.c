/* cli-train.c: mesascope-cli train
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"

/* Placeholder until the train command lands; refuses clearly instead of pretending. */
int
cli_train (int    argc,
        char **argv)
{
  fprintf (stderr, "mesascope-cli train: not available in this build yet\n");
  return CLI_EXIT_FAIL;
}
