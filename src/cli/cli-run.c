/* cli-run.c: what the commands share: their options, progress on a terminal, and a clean
 * stop on SIGINT and SIGTERM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

gboolean
cli_option_is (const char *arg,
               const char *name)
{
  gsize len = strlen (name);

  return strncmp (arg, name, len) == 0 && (arg[len] == '\0' || arg[len] == '=');
}

gboolean
cli_take_value (const char   *sub,
                int           argc,
                char        **argv,
                int          *i,
                const char   *name,
                const char  **value,
                int          *status)
{
  const char *arg = argv[*i];
  gsize len = strlen (name);

  if (*value != NULL)
    {
      *status = cli_usage_error (sub, "%s given twice", name);
      return FALSE;
    }
  if (arg[len] == '=')
    {
      *value = arg + len + 1;
    }
  else if (*i + 1 < argc)
    {
      *value = argv[++*i];
    }
  else
    {
      *status = cli_usage_error (sub, "%s needs a value", name);
      return FALSE;
    }
  if (**value == '\0')
    {
      *status = cli_usage_error (sub, "%s needs a non-empty value", name);
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_take_listed_value (const char           *sub,
                       int                   argc,
                       char                **argv,
                       int                  *i,
                       const CliValueOption *options,
                       guint                 n,
                       gpointer              base,
                       int                  *status)
{
  for (guint k = 0; k < n; k++)
    {
      const char **slot = G_STRUCT_MEMBER_P (base, options[k].offset);

      if (!cli_option_is (argv[*i], options[k].name))
        continue;
      *status = -1;
      cli_take_value (sub, argc, argv, i, options[k].name, slot, status);
      return TRUE;
    }
  return FALSE;
}

int
cli_unknown_option (const char *sub,
                    const char *arg)
{
  const char *eq = strchr (arg, '=');
  g_autofree char *name = eq != NULL ? g_strndup (arg, eq - arg) : g_strdup (arg);

  return cli_usage_error (sub, "unknown option '%s'", name);
}

/* Stopping. The handler only records the signal while work runs; the work loop asks
 * cli_stop_requested() at its boundaries. A second signal, or the first one where the work
 * cannot be stopped midway, ends the process at once: nothing has been written yet then. */

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stop_at_once;
static char stop_line[160];
static gsize stop_line_length;

static void
on_stop_signal (int signo)
{
  if (stop_at_once || stop_signal != 0)
    {
      ssize_t ignored G_GNUC_UNUSED = write (STDERR_FILENO, stop_line, stop_line_length);
      _exit (128 + signo);
    }
  stop_signal = signo;
}

void
cli_stop_begin (const char *sub,
                gboolean    at_once)
{
  struct sigaction action;
  sigset_t set;

  /* On a terminal the line replaces the progress line. */
  g_snprintf (stop_line, sizeof stop_line, "%smesascope-cli %s: interrupted; no file was "
              "written\n", isatty (STDERR_FILENO) ? "\r\033[K" : "", sub);
  stop_line_length = strlen (stop_line);
  stop_signal = 0;
  stop_at_once = at_once;
  memset (&action, 0, sizeof action);
  action.sa_handler = on_stop_signal;
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  /* A parent may have blocked them; then they would wait until the writing ignores them. */
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}

int
cli_stop_requested (void)
{
  return stop_signal;
}

void
cli_stop_end (void)
{
  struct sigaction action;

  /* From here the outputs are written whole: a signal waits until they are. */
  memset (&action, 0, sizeof action);
  action.sa_handler = SIG_IGN;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
}

int
cli_stopped (void)
{
  fputs (stop_line, stderr);
  return 128 + stop_signal;
}

/* Progress. */

void
cli_progress_init (CliProgress *progress,
                   const char  *sub,
                   const char  *unit)
{
  memset (progress, 0, sizeof *progress);
  progress->sub = sub;
  progress->unit = unit;
  progress->tty = isatty (STDERR_FILENO);
  progress->start = g_get_monotonic_time ();
}

static void
format_duration (char   *buf,
                 gsize   size,
                 double  seconds)
{
  long s = (long) (seconds + 0.5);

  if (s >= 3600)
    g_snprintf (buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    g_snprintf (buf, size, "%ld:%02ld", s / 60, s % 60);
}

void
cli_progress_update (CliProgress *progress,
                     int          done,
                     int          total)
{
  gint64 now;
  double elapsed;
  char elapsed_text[32], left_text[32];

  if (!progress->tty)
    return;
  now = g_get_monotonic_time ();
  /* At most four lines a second, and the last one always. */
  if (progress->shown && (total <= 0 || done < total) &&
      now - progress->last < G_USEC_PER_SEC / 4)
    return;
  progress->last = now;
  progress->shown = TRUE;
  elapsed = (double) (now - progress->start) / G_USEC_PER_SEC;
  format_duration (elapsed_text, sizeof elapsed_text, elapsed);
  fprintf (stderr, "\r\033[Kmesascope-cli %s: %s %d", progress->sub, progress->unit, done);
  if (total > 0)
    fprintf (stderr, " of %d", total);
  fprintf (stderr, ", %s elapsed", elapsed_text);
  if (total > 0 && done > 0)
    {
      format_duration (left_text, sizeof left_text, elapsed * (total - done) / done);
      fprintf (stderr, ", about %s left", left_text);
    }
  fflush (stderr);
}

void
cli_progress_clear (CliProgress *progress)
{
  if (!progress->shown)
    return;
  fputs ("\r\033[K", stderr);
  fflush (stderr);
  progress->shown = FALSE;
}
