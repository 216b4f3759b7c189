/* bench-soak.c: the window training for a long time, and many reset/play cycles (a benchmark)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trains in the real window with inference running, starting the run over whenever it
 * finishes, for MESASCOPE_SOAK_MINUTES minutes (default 60) at MESASCOPE_SOAK_SPEED iterations
 * per second (default 0, as fast as possible), and prints the resident memory once a minute
 * ("rss MINUTE KiB"). Then runs MESASCOPE_SOAK_CYCLES reset/play cycles (default 1000) and
 * prints the resident memory before and after. Last lines: the growth after the first five
 * minutes and over the cycles, in percent.
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ms-dashboard.h"
#include "ms-window-tests.h"
#include "ms-window.h"
#include "sim-runner.h"

static long
rss_kib (void)
{
  g_autofree char *text = NULL;
  long pages = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL) ||
      sscanf (text, "%ld %ld", &pages, &resident) != 2)
    return -1;
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static double
env_number (const char *name,
            double      fallback)
{
  const char *value = g_getenv (name);

  return value != NULL ? g_ascii_strtod (value, NULL) : fallback;
}

/* Iterates the main loop for ms milliseconds. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
}

int
main (int    argc,
      char **argv)
{
  double minutes = env_number ("MESASCOPE_SOAK_MINUTES", 60);
  double speed = env_number ("MESASCOPE_SOAK_SPEED", 0);
  int cycles = (int) env_number ("MESASCOPE_SOAK_CYCLES", 1000);
  MsWindow *window;
  SimRunner *runner;
  MsDashboard *dashboard;
  SimConfig config;
  gint64 start;
  long at5 = -1, peak_after5 = 0, before_cycles, after_cycles;
  int minute = 0, restarts = 0;

  gtk_init ();
  adw_init ();

  window = g_object_new (MS_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 720);
  gtk_window_present (GTK_WINDOW (window));
  runner = ms_window_get_runner (window);
  dashboard = ms_window_get_dashboard (window);

  sim_config_init_default (&config);
  config.perception = SIM_PERCEPTION_HIDDEN;
  config.perception_param = 30;
  config.infer_every = 4;
  sim_runner_set_speed (runner, speed);
  sim_runner_reset (runner, &config, NULL);
  sim_runner_play (runner);

  printf ("soak %.0f minutes at %s, inference every %d iterations\n", minutes,
          speed > 0 ? "a set speed" : "full speed", config.infer_every);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < (gint64) (minutes * 60 * G_USEC_PER_SEC))
    {
      SimSnapshot *snapshot = ms_dashboard_get_snapshot (dashboard);

      g_main_context_iteration (NULL, TRUE);
      if (snapshot != NULL && snapshot->iteration >= snapshot->config.iterations &&
          !sim_runner_get_playing (runner))
        {
          /* Finished: train again, as a class would. */
          config.seed++;
          sim_runner_reset (runner, &config, NULL);
          sim_runner_play (runner);
          restarts++;
        }
      if (g_get_monotonic_time () - start >= (gint64) (minute + 1) * 60 * G_USEC_PER_SEC)
        {
          long rss = rss_kib ();

          minute++;
          printf ("rss %d %ld KiB (runs %d)\n", minute, rss, restarts + 1);
          fflush (stdout);
          if (minute == 5)
            at5 = rss;
          if (minute > 5)
            peak_after5 = MAX (peak_after5, rss);
        }
    }

  sim_runner_pause (runner);
  spin (500);
  before_cycles = rss_kib ();
  for (int i = 0; i < cycles; i++)
    {
      config.seed = (guint32) (1000 + i % 50);
      sim_runner_reset (runner, &config, NULL);
      sim_runner_play (runner);
      spin (5);
      sim_runner_pause (runner);
      spin (1);
    }
  spin (1000);
  after_cycles = rss_kib ();

  printf ("rss_before_cycles %ld KiB\n", before_cycles);
  printf ("rss_after_cycles %ld KiB (%d reset/play cycles)\n", after_cycles, cycles);
  if (at5 > 0 && peak_after5 > 0)
    printf ("soak_growth_after_5_min %.1f %%\n", 100.0 * (peak_after5 - at5) / at5);
  printf ("cycles_growth %.1f %%\n", 100.0 * (after_cycles - before_cycles) / before_cycles);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
