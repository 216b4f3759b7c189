/* cli-output.c: output files of the commands and their standard output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every output path is checked before a command does any work, so a mistyped folder fails at
 * once instead of after a long run; an output that names one of the command's inputs, or
 * another output, is a usage error. The writing itself is sim_file_write's (sim-file.c).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "sim-file.h"

/* '-' is standard output. */
static const char *
file_path (const char *path)
{
  return strcmp (path, "-") == 0 ? "/dev/stdout" : path;
}

int
cli_check_files (const char    *sub,
                 const CliFile *outputs,
                 guint          n_outputs,
                 const CliFile *inputs,
                 guint          n_inputs)
{
  for (guint i = 0; i < n_outputs; i++)
    {
      const char *out = outputs[i].path;

      if (out == NULL)
        continue;
      for (guint j = 0; j < n_inputs; j++)
        if (inputs[j].path != NULL && !sim_file_is_stream (file_path (out)) &&
            sim_file_same (file_path (out), inputs[j].path))
          return cli_usage_error (sub, "%s '%s' is the %s file: writing it would replace the "
                                  "input", outputs[i].option, out, inputs[j].option);
      /* Two outputs may share a stream (a device, standard output), never a file, where the
       * second would replace the first. */
      for (guint j = 0; j < i; j++)
        if (outputs[j].path != NULL &&
            !(sim_file_is_stream (file_path (out)) &&
              sim_file_is_stream (file_path (outputs[j].path))) &&
            sim_file_same (file_path (out), file_path (outputs[j].path)))
          return cli_usage_error (sub, "%s and %s both name '%s': give each output its own file",
                                  outputs[j].option, outputs[i].option, out);
    }
  for (guint i = 0; i < n_outputs; i++)
    {
      g_autoptr (GError) error = NULL;

      if (outputs[i].path != NULL &&
          !sim_file_check_output (file_path (outputs[i].path), &error))
        {
          fprintf (stderr, "mesascope-cli %s: %s '%s': %s\n", sub, outputs[i].option,
                   outputs[i].path, error->message);
          return CLI_EXIT_FAIL;
        }
    }
  return -1;
}

gboolean
cli_write_output (const char *sub,
                  const char *option,
                  const char *path,
                  const char *text)
{
  g_autoptr (GError) error = NULL;

  /* A failed write to standard output is reported once, at exit (cli_close_stdout). */
  if (strcmp (path, "-") == 0)
    {
      fputs (text, stdout);
      return TRUE;
    }
  if (!sim_file_write (path, text, -1, &error))
    {
      fprintf (stderr, "mesascope-cli %s: %s '%s': %s\n", sub, option, path, error->message);
      return FALSE;
    }
  return TRUE;
}

char *
cli_json_text (JsonNode *root)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

void
cli_json_add_number (JsonBuilder *builder,
                     double       value)
{
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* At exit: what is still buffered for standard output reaches it, and a failed write there
 * (a full disk, a closed pipe) is a failure of the command, as it is for any careful tool. */
void
cli_close_stdout (void)
{
  gboolean failed_before = ferror (stdout) != 0;
  int close_errno = 0;

  if (fclose (stdout) != 0)
    close_errno = errno;
  if (!failed_before && close_errno == 0)
    return;
  if (close_errno == EBADF && !failed_before)
    return;   /* standard output was closed to begin with, and nothing was written to it */
  if (close_errno != 0)
    fprintf (stderr, "mesascope-cli: cannot write to standard output: %s\n",
             g_strerror (close_errno));
  else
    fprintf (stderr, "mesascope-cli: cannot write to standard output\n");
  _exit (CLI_EXIT_FAIL);
}
