/* cli-level.c: mesascope-cli level
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sim-level.h"

static const char level_usage[] =
  "Usage: mesascope-cli level check FILE…\n"
  "\n"
  "Check level files: parse each one and validate it (exactly one start, a target that can\n"
  "be reached from the start avoiding walls and lava).\n"
  "\n"
  "Every error is printed on stderr as one line 'FILE:LINE:COL: message'. LINE and COL are\n"
  "1-based. Errors that concern the whole file rather than one place in it (the file cannot\n"
  "be read, or it parses but the level is unusable) are reported at line 0, column 0.\n"
  "Backslashes and control characters in file names and messages are written as C escapes\n"
  "(\\\\, \\n, \\t, \\r, \\xHH), so every error takes exactly one line.\n"
  "\n"
  "A level file may hold at most 4 MiB and a level at most 64×64 cells; checking one takes\n"
  "well under a second.\n"
  "\n"
  "Exit status: 0 when every file is valid, 1 when any file has an error, 2 on a usage error.\n"
  "\n"
  "Options:\n"
  "  -h, --help     Show this help\n";

/* text with backslashes and control characters written as C escapes (\\, \n, \t, \r,
 * \xHH), so that a file name holding a line break cannot start a line of its own. */
static char *
escape_controls (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *c = text; *c != '\0'; c++)
    {
      guchar b = (guchar) *c;

      if (b == '\\')
        g_string_append (out, "\\\\");
      else if (b == '\n')
        g_string_append (out, "\\n");
      else if (b == '\t')
        g_string_append (out, "\\t");
      else if (b == '\r')
        g_string_append (out, "\\r");
      else if (b < 0x20 || b == 0x7f)
        g_string_append_printf (out, "\\x%02x", b);
      else
        g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

/* Checks one file; prints its errors and returns TRUE when it is valid. */
static gboolean
check_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = NULL;
  g_autofree char *name = escape_controls (path);

  level = sim_level_load (path, &error);
  if (level == NULL)
    {
      /* Load errors already start with "FILE:LINE:COL: ". */
      g_autofree char *message = escape_controls (error->message);

      fprintf (stderr, "%s\n", message);
      return FALSE;
    }
  if (!sim_level_validate (level, &error))
    {
      g_autofree char *message = escape_controls (error->message);

      fprintf (stderr, "%s:0:0: %s\n", name, message);
      return FALSE;
    }
  printf ("%s: ok\n", name);
  return TRUE;
}

int
cli_level (int    argc,
           char **argv)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new ();
  gboolean options_done = FALSE;
  int n_bad = 0;

  if (argc < 2)
    return cli_usage_error ("level", "missing action (expected 'check')");
  if (strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "--help") == 0)
    {
      fputs (level_usage, stdout);
      return CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "check") != 0)
    return cli_usage_error ("level", "unknown action '%s' (expected 'check')", argv[1]);

  for (int i = 2; i < argc; i++)
    {
      const char *arg = argv[i];

      if (!options_done && strcmp (arg, "--") == 0)
        {
          options_done = TRUE;
          continue;
        }
      if (!options_done && (strcmp (arg, "-h") == 0 || strcmp (arg, "--help") == 0))
        {
          fputs (level_usage, stdout);
          return CLI_EXIT_OK;
        }
      if (!options_done && arg[0] == '-' && arg[1] != '\0')
        return cli_usage_error ("level", "unknown option '%s'", arg);
      g_ptr_array_add (files, (gpointer) arg);
    }
  if (files->len == 0)
    return cli_usage_error ("level", "no level file given (expected 'level check FILE…')");

  for (guint i = 0; i < files->len; i++)
    if (!check_file (g_ptr_array_index (files, i)))
      n_bad++;

  return n_bad == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
