/* ms-window-sweep.c: the main window opens the Sweep window, whose runs start from the
 * dashboard's settings, and opens a run clicked there in the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-sweep-window.h"
#include "ms-window-private.h"

static void
base_config (SimConfig *config,
             gpointer   data)
{
  MsWindow *self = data;

  sim_runner_get_config (self->runner, config);
}

static void
run_activated_cb (MsSweepWindow   *sweep,
                  const SimConfig *config,
                  MsWindow        *self)
{
  _ms_window_change_run (self, config, _("A run of the sweep"), FALSE);
  gtk_window_present (GTK_WINDOW (self));
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

GtkWindow *
_ms_window_show_sweep (MsWindow *self)
{
  GWeakRef *ref;
  GtkWindow *sweep;

  g_return_val_if_fail (MS_IS_WINDOW (self), NULL);

  /* One sweep window per window, remembered weakly: closing it forgets it. */
  ref = g_object_get_data (G_OBJECT (self), "ms-sweep-window");
  if (ref == NULL)
    {
      ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, NULL);
      g_object_set_data_full (G_OBJECT (self), "ms-sweep-window", ref, weak_ref_free);
    }
  sweep = g_weak_ref_get (ref);
  if (sweep != NULL)
    {
      /* GTK holds toplevel windows until they are destroyed: the pointer stays valid. */
      g_object_unref (sweep);
    }
  else
    {
      sweep = GTK_WINDOW (ms_sweep_window_new (GTK_WINDOW (self), base_config, self));
      /* The same palette as the dashboard's plots: the colours of a figure do not change
       * between the two windows. */
      g_settings_bind (self->settings, "colorblind-palette",
                       ms_sweep_window_get_plot (MS_SWEEP_WINDOW (sweep)), "colorblind",
                       G_SETTINGS_BIND_GET);
      g_signal_connect_object (sweep, "run-activated", G_CALLBACK (run_activated_cb), self, 0);
      g_weak_ref_set (ref, sweep);
    }
  gtk_window_present (sweep);
  return sweep;
}

static void
sweep_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  _ms_window_show_sweep (MS_WINDOW (user_data));
}

static const GActionEntry sweep_entries[] = {
  { "sweep", sweep_activated, NULL, NULL, NULL },
};

void
_ms_window_init_sweep (MsWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), sweep_entries,
                                   G_N_ELEMENTS (sweep_entries), self);
}

SimExperimentSweep *
_ms_window_dup_sweep (MsWindow *self)
{
  GWeakRef *ref = g_object_get_data (G_OBJECT (self), "ms-sweep-window");
  g_autoptr (GtkWindow) sweep = ref != NULL ? g_weak_ref_get (ref) : NULL;

  return sweep != NULL ? ms_sweep_window_dup_saved (MS_SWEEP_WINDOW (sweep)) : NULL;
}

void
_ms_window_show_saved_sweep (MsWindow                 *self,
                             const SimExperimentSweep *saved)
{
  GtkWindow *sweep = _ms_window_show_sweep (self);

  ms_sweep_window_show_saved (MS_SWEEP_WINDOW (sweep), saved);
}
