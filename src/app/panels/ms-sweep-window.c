/* ms-sweep-window.c: a sweep in the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window takes the dashboard's settings, changes one of them over the values typed in, and
 * runs every value with every seed as `mesascope-cli sweep` does (SimSweep, on all cores). The
 * workers only compute: each finished run reaches this thread through an idle source, which
 * puts its dots, the new mean and interval of its value and the progress on screen. Cancel stops
 * the runs under way after their iteration; the ones already finished stay drawn.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-export.h"
#include "ms-sweep-plot.h"
#include "ms-sweep-window.h"
#include "ms-sweep-window-tests.h"
#include "sim-file.h"

/* The most values and seeds of one sweep: a sweep of the dashboard's runs stays a matter of
 * minutes. */
#define MAX_VALUES 12
#define MAX_SEEDS  20
/* Pixels per unit of exported PNG images, as the dashboard's exports. */
#define PNG_SCALE  2.0
/* The plot's text is 1.5 times the dashboard's: tick labels 18 px, legible on a projector. */
#define PLOT_SCALE 1.5

struct _MsSweepWindow
{
  AdwWindow parent_instance;

  MsSweepBaseFunc base_func;
  gpointer base_data;

  AdwToastOverlay *toasts;
  GtkDropDown *knob_dropdown;
  GtkEntry *values_entry;
  GtkSpinButton *seeds_spin;
  GtkButton *run_button;
  GtkButton *cancel_button;
  GtkLabel *message_label;
  GtkProgressBar *progress;
  GtkLabel *status_label;
  MsSweepPlot *plot;

  SimSweep *sweep;              /* the sweep shown; owned */
  guint generation;             /* counts the sweeps started, to drop late deliveries */
  guint n_delivered;            /* its runs shown as done */
  gint64 started_at;
  gboolean running;
  gboolean cancelled;
  gboolean setting_knob;
};

enum
{
  SIGNAL_RUN_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MsSweepWindow, ms_sweep_window, ADW_TYPE_WINDOW)

/* Each knob: its name in the drop-down, its usual values, the plot's title and axis. */
static const struct
{
  const char *name;
  const char *values;
  const char *title;
  const char *axis;
} knobs[MS_N_SWEEP_KNOBS] = {
  { N_("Diversity"), "0, 5, 20, 100", N_("How much diversity does it take?"),
    N_("Diversity: training levels drawn like the test levels") },
  { N_("Perception"), "full, hidden:50, radius:3", N_("Does it matter what the agent sees?"),
    N_("Perception of the target") },
  { N_("Planning depth"), "1, 2, 4, 0", N_("Does looking further ahead help?"),
    N_("Planning depth: steps looked ahead (0: to the end)") },
  { N_("Agent"), "planner, qlearner, mlp", N_("Which agent learns the real goal?"),
    N_("Agent") },
};

/* The label of config's value of knob, under its column of the plot. */
static char *
knob_label (MsSweepKnob      knob,
            const SimConfig *config)
{
  switch (knob)
    {
    case MS_SWEEP_KNOB_DIVERSITY:
      return g_strdup_printf ("%d %%", config->diversity);
    case MS_SWEEP_KNOB_PERCEPTION:
      if (config->perception == SIM_PERCEPTION_HIDDEN)
        /* Translators: a perception: the target is hidden on %d percent of training levels */
        return g_strdup_printf (_("hidden %d %%"), config->perception_param);
      if (config->perception == SIM_PERCEPTION_RADIUS)
        /* Translators: a perception: the target is seen within %d cells */
        return g_strdup_printf (_("within %d cells"), config->perception_param);
      return g_strdup (_("sees it always"));
    case MS_SWEEP_KNOB_PLANNING_DEPTH:
      return config->planning_depth == 0 ? g_strdup (_("to the end"))
                                         : g_strdup_printf ("%d", config->planning_depth);
    case MS_SWEEP_KNOB_AGENT:
      return g_strdup (config->agent == SIM_AGENT_PLANNER ? _("planner")
                       : config->agent == SIM_AGENT_QLEARNER ? _("Q-learner") : _("network"));
    case MS_N_SWEEP_KNOBS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* config's value of knob as typed in the values entry. */
static char *
knob_value_text (MsSweepKnob      knob,
                 const SimConfig *config)
{
  switch (knob)
    {
    case MS_SWEEP_KNOB_PERCEPTION:
      return sim_perception_to_string (config->perception, config->perception_param);
    case MS_SWEEP_KNOB_PLANNING_DEPTH:
      return g_strdup_printf ("%d", config->planning_depth);
    case MS_SWEEP_KNOB_AGENT:
      return g_strdup (sim_agent_to_string (config->agent));
    case MS_SWEEP_KNOB_DIVERSITY:
    case MS_N_SWEEP_KNOBS:
    default:
      return g_strdup_printf ("%d", config->diversity);
    }
}

/* One value of a knob applied to config: FALSE with a message when text is not one. */
static gboolean
parse_value (MsSweepKnob  knob,
             const char  *text,
             SimConfig   *config,
             char       **label,
             char       **message)
{
  char *end = NULL;
  gint64 number;

  switch (knob)
    {
    case MS_SWEEP_KNOB_DIVERSITY:
      {
        g_autofree char *digits = g_strdup (text);

        if (g_str_has_suffix (digits, "%"))
          digits[strlen (digits) - 1] = '\0';
        g_strstrip (digits);
        number = g_ascii_isdigit (*digits) ? g_ascii_strtoll (digits, &end, 10) : -1;
        if (number < 0 || number > 100 || end == NULL || *end != '\0')
          {
            /* Translators: %s is what was typed */
            *message = g_strdup_printf (_("“%s” is not a diversity: use whole numbers from 0 "
                                          "to 100, like 0, 5, 20, 100."), text);
            return FALSE;
          }
        config->diversity = (int) number;
        *label = knob_label (knob, config);
        return TRUE;
      }
    case MS_SWEEP_KNOB_PERCEPTION:
      {
        SimPerceptionKind kind;
        int param;

        if (!sim_perception_parse (text, &kind, &param, NULL) ||
            (kind == SIM_PERCEPTION_RADIUS && param > 2 * config->grid))
          {
            /* Translators: %s is what was typed; full, hidden and radius are not translated */
            *message = g_strdup_printf (_("“%s” is not a perception: use full, hidden:PERCENT "
                                          "or radius:CELLS, like full, hidden:50, radius:3."),
                                        text);
            return FALSE;
          }
        config->perception = kind;
        config->perception_param = param;
        *label = knob_label (knob, config);
        return TRUE;
      }
    case MS_SWEEP_KNOB_PLANNING_DEPTH:
      number = g_ascii_isdigit (*text) ? g_ascii_strtoll (text, &end, 10) : -1;
      if (number < 0 || number > SIM_CONFIG_MAX_PLANNING_DEPTH || end == NULL || *end != '\0')
        {
          /* Translators: %s is what was typed, %d the largest depth */
          *message = g_strdup_printf (_("“%s” is not a planning depth: use whole numbers from 1 "
                                        "to %d, or 0 to look ahead to the end."), text,
                                      SIM_CONFIG_MAX_PLANNING_DEPTH);
          return FALSE;
        }
      config->planning_depth = (int) number;
      *label = knob_label (knob, config);
      return TRUE;
    case MS_SWEEP_KNOB_AGENT:
      {
        SimAgentKind agent;

        if (!sim_agent_from_string (text, &agent))
          {
            /* Translators: %s is what was typed; planner, qlearner and mlp are not translated */
            *message = g_strdup_printf (_("“%s” is not an agent: use planner, qlearner or "
                                          "mlp."), text);
            return FALSE;
          }
        config->agent = agent;
        *label = knob_label (knob, config);
        return TRUE;
      }
    case MS_N_SWEEP_KNOBS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
ms_sweep_parse_values (MsSweepKnob       knob,
                       const char       *text,
                       const SimConfig  *base,
                       SimConfig       **configs,
                       char           ***labels,
                       guint            *n,
                       char            **message)
{
  g_autofree char *spaced = g_strdup (text != NULL ? text : "");
  g_auto (GStrv) items = NULL;
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (SimConfig));
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (knob < MS_N_SWEEP_KNOBS, FALSE);

  g_strdelimit (spaced, ",;", ' ');
  items = g_strsplit_set (spaced, " \t\n", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      SimConfig config = *base;
      g_autoptr (GError) error = NULL;
      char *label = NULL;

      if (*items[i] == '\0')
        continue;
      /* "20 %" is one value. */
      if (knob == MS_SWEEP_KNOB_DIVERSITY && strcmp (items[i], "%") == 0)
        continue;
      if (!parse_value (knob, items[i], &config, &label, message))
        return FALSE;
      g_ptr_array_add (names, label);
      for (guint k = 0; k < values->len; k++)
        if (sim_config_equal (&g_array_index (values, SimConfig, k), &config))
          {
            /* Translators: %s is a value typed */
            *message = g_strdup_printf (_("“%s” is there twice: give each value once."),
                                        items[i]);
            return FALSE;
          }
      if (!sim_train_check_config (&config, &error))
        {
          /* Translators: %s is a value typed, then why the settings cannot run */
          *message = g_strdup_printf (_("The dashboard’s settings cannot run with “%s”: %s"),
                                      items[i], error->message);
          return FALSE;
        }
      g_array_append_val (values, config);
      if (values->len > MAX_VALUES)
        {
          *message = g_strdup_printf (ngettext ("Give at most %d value.",
                                                "Give at most %d values.", MAX_VALUES),
                                      MAX_VALUES);
          return FALSE;
        }
    }
  if (values->len == 0)
    {
      *message = g_strdup (_("Type the values to try, with commas between them."));
      return FALSE;
    }
  *n = values->len;
  g_ptr_array_add (names, NULL);
  *labels = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  *configs = (SimConfig *) (gpointer) g_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

static void
show_message (MsSweepWindow *self,
              const char    *message)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->values_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->values_entry), "error");
}

static void
update_controls (MsSweepWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), self->running && !self->cancelled);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), !self->running);
  /* What a running sweep is made of does not change under it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->knob_dropdown), !self->running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->values_entry), !self->running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seeds_spin), !self->running);
}

static void
update_progress (MsSweepWindow *self)
{
  guint64 total = self->sweep != NULL ? sim_sweep_get_n_runs (self->sweep) : 0;
  g_autofree char *text = NULL;
  double seconds = (g_get_monotonic_time () - self->started_at) / (double) G_USEC_PER_SEC;

  if (self->sweep == NULL)
    return;
  gtk_progress_bar_set_fraction (self->progress,
                                 total > 0 ? (double) self->n_delivered / total : 0.0);
  /* Translators: runs of a sweep done, of all its runs */
  text = g_strdup_printf (_("%u of %u runs"), self->n_delivered, (guint) total);
  gtk_progress_bar_set_text (self->progress, text);
  if (self->running)
    return;
  g_free (text);
  if (self->cancelled)
    /* Translators: runs finished of all runs, when a sweep was cancelled */
    text = g_strdup_printf (_("Cancelled: %u of %u runs finished."),
                            (guint) sim_sweep_get_n_finished (self->sweep), (guint) total);
  else
    /* Translators: %u runs, %.0f seconds */
    text = g_strdup_printf (_("Done: %u runs in %.0f s. Point at a dot to see its run; click "
                              "it to open the run in the dashboard."), (guint) total, seconds);
  gtk_label_set_text (self->status_label, text);
}

/* A run is done: its dots, its value's mean and interval, the progress. Main thread. */
static void
show_run (MsSweepWindow *self,
          guint64        index)
{
  const SimSweepFinal *final = sim_sweep_get_final (self->sweep, index);
  guint64 point = index / sim_sweep_get_n_seeds (self->sweep);

  self->n_delivered++;
  if (final != NULL)
    {
      static const SimSweepFigure figures[MS_SWEEP_PLOT_N_FIGURES] = {
        SIM_SWEEP_TEST_TARGET, SIM_SWEEP_TEST_PROXY,
      };

      ms_sweep_plot_set_run (self->plot, (guint) index, final->test_target, final->test_proxy);
      for (int f = 0; f < MS_SWEEP_PLOT_N_FIGURES; f++)
        {
          double mean, lo, hi;

          sim_sweep_summary (self->sweep, point, figures[f], &mean, &lo, &hi);
          ms_sweep_plot_set_summary (self->plot, (guint) point, f, mean, lo, hi);
        }
    }
  else if (sim_sweep_get_error (self->sweep, index) != NULL)
    {
      /* Translators: %s says why a run could not start */
      g_autofree char *text = g_strdup_printf (_("A run could not start: %s"),
                                               sim_sweep_get_error (self->sweep, index));

      show_message (self, text);
      self->cancelled = TRUE;
    }
  if (self->n_delivered == sim_sweep_get_n_runs (self->sweep))
    {
      sim_sweep_wait (self->sweep, FALSE);   /* every worker is done: returns at once */
      self->running = FALSE;
      update_controls (self);
    }
  update_progress (self);
}

typedef struct
{
  MsSweepWindow *self;   /* owned */
  guint generation;      /* to tell a delivery of an earlier sweep */
  guint64 index;
} Delivery;

static gboolean
deliver_cb (gpointer data)
{
  Delivery *d = data;

  if (d->self->generation == d->generation && d->self->running)
    show_run (d->self, d->index);
  return G_SOURCE_REMOVE;
}

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  g_object_unref (d->self);
  g_free (d);
}

/* On a worker: hands the run to the main thread. */
static void
on_run_done (SimSweep *sweep,
             guint64   index,
             gpointer  data)
{
  Delivery *d = g_new (Delivery, 1);

  d->self = g_object_ref (data);
  /* Changed only once the workers of the sweep before have all returned. */
  d->generation = (guint) g_atomic_int_get ((gint *) &d->self->generation);
  d->index = index;
  g_idle_add_full (G_PRIORITY_DEFAULT, deliver_cb, d, delivery_free);
}

static void
stop_sweep (MsSweepWindow *self)
{
  /* Waits for the runs under way to end their iteration; their deliveries are dropped. */
  g_clear_pointer (&self->sweep, sim_sweep_free);
  self->running = FALSE;
  self->cancelled = FALSE;
  self->n_delivered = 0;
}

/* The runs the controls describe, on the dashboard's settings: FALSE with the message shown. */
static gboolean
read_controls (MsSweepWindow  *self,
               SimConfig      *base,
               SimConfig     **configs,
               char         ***labels,
               guint32       **seeds,
               guint          *n_values,
               guint          *n_seeds)
{
  g_autofree SimConfig *values = NULL;
  g_autofree char *message = NULL;

  sim_config_init_default (base);
  if (self->base_func != NULL)
    self->base_func (base, self->base_data);
  if (!ms_sweep_parse_values (ms_sweep_window_get_knob (self),
                              gtk_editable_get_text (GTK_EDITABLE (self->values_entry)),
                              base, &values, labels, n_values, &message))
    {
      show_message (self, message);
      return FALSE;
    }
  show_message (self, NULL);

  *n_seeds = (guint) gtk_spin_button_get_value_as_int (self->seeds_spin);
  *seeds = g_new (guint32, *n_seeds);
  *configs = g_new (SimConfig, *n_values * *n_seeds);
  /* Seeds 1 to N, as `mesascope-cli sweep --seeds 1-N`: the same runs, the same numbers. */
  for (guint s = 0; s < *n_seeds; s++)
    (*seeds)[s] = s + 1;
  for (guint v = 0; v < *n_values; v++)
    for (guint s = 0; s < *n_seeds; s++)
      {
        (*configs)[v * *n_seeds + s] = values[v];
        (*configs)[v * *n_seeds + s].seed = (*seeds)[s];
      }
  return TRUE;
}

static void
start_sweep (MsSweepWindow    *self,
             const SimConfig  *base,
             const SimConfig  *configs,
             char            **labels,
             const guint32    *seeds,
             guint             n_values,
             guint             n_seeds)
{
  MsSweepKnob knob = ms_sweep_window_get_knob (self);

  stop_sweep (self);
  self->sweep = sim_sweep_new (configs, (guint64) n_values * n_seeds, n_seeds, NULL);
  g_assert (self->sweep != NULL);   /* every value has every seed */
  ms_sweep_plot_set_grid (self->plot, _(knobs[knob].title), _(knobs[knob].axis),
                          (const char * const *) labels, n_values, seeds, n_seeds,
                          base->scenario);
  g_atomic_int_inc ((gint *) &self->generation);
  self->running = TRUE;
  self->cancelled = FALSE;
  self->n_delivered = 0;
  self->started_at = g_get_monotonic_time ();
  gtk_label_set_text (self->status_label, _("Training every value with every seed on all "
                                            "cores; the dots come in as the runs finish."));
  update_controls (self);
  update_progress (self);
  sim_sweep_set_background (self->sweep, TRUE);
  sim_sweep_start (self->sweep, MAX (g_get_num_processors (), 1), NULL, 0, on_run_done, self);
}

gboolean
ms_sweep_window_run (MsSweepWindow *self)
{
  SimConfig base;
  g_autofree SimConfig *configs = NULL;
  g_autofree guint32 *seeds = NULL;
  g_auto (GStrv) labels = NULL;
  guint n_values = 0, n_seeds = 0;

  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), FALSE);

  if (!read_controls (self, &base, &configs, &labels, &seeds, &n_values, &n_seeds))
    return FALSE;
  start_sweep (self, &base, configs, labels, seeds, n_values, n_seeds);
  return TRUE;
}

gboolean
ms_sweep_window_start (MsSweepWindow *self,
                       MsSweepKnob    knob,
                       const char    *values,
                       guint          n_seeds)
{
  SimConfig base;
  g_autofree SimConfig *configs = NULL;
  g_autofree guint32 *seeds = NULL;
  g_auto (GStrv) labels = NULL;
  guint n_values = 0;
  gboolean same;

  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), FALSE);

  ms_sweep_window_set_knob (self, knob);
  ms_sweep_window_set_values (self, values);
  ms_sweep_window_set_n_seeds (self, n_seeds);
  if (!read_controls (self, &base, &configs, &labels, &seeds, &n_values, &n_seeds))
    return FALSE;
  same = self->sweep != NULL && !self->cancelled &&
         sim_sweep_get_n_runs (self->sweep) == (guint64) n_values * n_seeds;
  for (guint64 r = 0; same && r < sim_sweep_get_n_runs (self->sweep); r++)
    same = sim_config_equal (sim_sweep_get_config (self->sweep, r), &configs[r]);
  if (!same)
    start_sweep (self, &base, configs, labels, seeds, n_values, n_seeds);
  return TRUE;
}

void
ms_sweep_window_cancel (MsSweepWindow *self)
{
  g_return_if_fail (MS_IS_SWEEP_WINDOW (self));

  if (!self->running || self->cancelled)
    return;
  /* The skipped runs and the ones under way come back as done, without figures. */
  self->cancelled = TRUE;
  sim_sweep_cancel (self->sweep);
  update_controls (self);
}

gboolean
ms_sweep_window_get_running (MsSweepWindow *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), FALSE);

  return self->running;
}

MsSweepKnob
ms_sweep_window_get_knob (MsSweepWindow *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), MS_SWEEP_KNOB_DIVERSITY);

  return (MsSweepKnob) MIN (gtk_drop_down_get_selected (self->knob_dropdown),
                            MS_N_SWEEP_KNOBS - 1);
}

void
ms_sweep_window_set_knob (MsSweepWindow *self,
                          MsSweepKnob    knob)
{
  g_return_if_fail (MS_IS_SWEEP_WINDOW (self));
  g_return_if_fail (knob < MS_N_SWEEP_KNOBS);

  gtk_drop_down_set_selected (self->knob_dropdown, knob);
  gtk_editable_set_text (GTK_EDITABLE (self->values_entry), knobs[knob].values);
  show_message (self, NULL);
}

void
ms_sweep_window_set_values (MsSweepWindow *self,
                            const char    *text)
{
  g_return_if_fail (MS_IS_SWEEP_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->values_entry), text);
}

void
ms_sweep_window_set_n_seeds (MsSweepWindow *self,
                             guint          n_seeds)
{
  g_return_if_fail (MS_IS_SWEEP_WINDOW (self));

  gtk_spin_button_set_value (self->seeds_spin, n_seeds);
}

gboolean
ms_sweep_window_export_csv (MsSweepWindow  *self,
                            GFile          *file,
                            GError        **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *text = NULL;

  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), FALSE);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only files on this computer can be written."));
      return FALSE;
    }
  if (self->sweep == NULL || sim_sweep_get_n_finished (self->sweep) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("No run has finished yet: there is nothing to export."));
      return FALSE;
    }
  text = sim_sweep_to_csv (self->sweep);
  return sim_file_write (path, text, -1, error);
}

gboolean
ms_sweep_window_export_image (MsSweepWindow  *self,
                              GFile          *file,
                              GError        **error)
{
  g_autofree char *path = g_file_get_path (file);
  MsExportFormat format;
  int width = gtk_widget_get_width (GTK_WIDGET (self->plot));
  int height = gtk_widget_get_height (GTK_WIDGET (self->plot));

  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), FALSE);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only files on this computer can be written."));
      return FALSE;
    }
  if (!ms_export_format_from_path (path, &format))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                           _("Images can be exported as .png, .svg or .pdf files."));
      return FALSE;
    }
  if (width < 100 || height < 100)
    {
      width = 1200;
      height = 600;
    }
  return ms_export_plot (MS_PLOT (self->plot), path, format, width, height, PNG_SCALE, error);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    MsSweepWindow   *self)
{
  gboolean image = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "ms-image"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);
      gboolean ok = image ? ms_sweep_window_export_image (self, file, &error)
                          : ms_sweep_window_export_csv (self, file, &error);

      if (ok)
        {
          /* Translators: %s is a file name */
          g_autofree char *text = g_strdup_printf (_("Exported “%s”"), name);

          adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
        }
      else
        {
          /* Translators: %s is a file name */
          g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), name);
          GtkWidget *alert = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                     error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (alert));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
ask_export (MsSweepWindow *self,
            gboolean       image)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (image ? _("Export Sweep Plot") : _("Export Sweep Runs"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     image ? _("sweep.png") : _("sweep.csv"));
  g_object_set_data (G_OBJECT (dialog), "ms-image", GINT_TO_POINTER (image));
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_csv_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  ask_export (user_data, FALSE);
}

static void
export_image_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ask_export (user_data, TRUE);
}

static void
run_clicked_cb (GtkButton     *button,
                MsSweepWindow *self)
{
  ms_sweep_window_run (self);
}

static void
cancel_clicked_cb (GtkButton     *button,
                   MsSweepWindow *self)
{
  ms_sweep_window_cancel (self);
}

static void
knob_changed_cb (GObject       *dropdown,
                 GParamSpec    *pspec,
                 MsSweepWindow *self)
{
  MsSweepKnob knob = ms_sweep_window_get_knob (self);

  gtk_editable_set_text (GTK_EDITABLE (self->values_entry), knobs[knob].values);
  show_message (self, NULL);
}

static void
values_changed_cb (GtkEditable   *editable,
                   MsSweepWindow *self)
{
  show_message (self, NULL);
}

static void
run_activated_cb (MsSweepPlot   *plot,
                  guint          index,
                  MsSweepWindow *self)
{
  if (self->sweep == NULL || index >= sim_sweep_get_n_runs (self->sweep))
    return;
  g_signal_emit (self, signals[SIGNAL_RUN_ACTIVATED], 0,
                 (gpointer) sim_sweep_get_config (self->sweep, index));
}

static GtkWidget *
labelled (const char *text,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static const GActionEntry sweep_actions[] = {
  { "export-csv", export_csv_activated, NULL, NULL, NULL },
  { "export-image", export_image_activated, NULL, NULL, NULL },
};

static void
build (MsSweepWindow *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *export_button = gtk_menu_button_new ();
  GtkWidget *plot = ms_sweep_plot_new ();
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();

  for (int k = 0; k < MS_N_SWEEP_KNOBS; k++)
    gtk_string_list_append (names, _(knobs[k].name));

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Sweep"),
                                                         _("One setting changed, several "
                                                           "seeds each")));
  g_menu_append (menu, _("Runs as _CSV…"), "sweep.export-csv");
  g_menu_append (menu, _("Plot as _Image…"), "sweep.export-image");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (export_button), G_MENU_MODEL (menu));
  gtk_menu_button_set_label (GTK_MENU_BUTTON (export_button), _("E_xport"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (export_button), TRUE);
  gtk_widget_set_tooltip_text (export_button, _("Export the runs or the plot"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), export_button);
  g_action_map_add_action_entries (G_ACTION_MAP (group), sweep_actions,
                                   G_N_ELEMENTS (sweep_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "sweep", G_ACTION_GROUP (group));
  gtk_box_append (GTK_BOX (content), header);

  self->knob_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)),
                                                          NULL));
  self->values_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_width_chars (GTK_EDITABLE (self->values_entry), 28);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->values_entry),
                               _("The values to try, with commas between them"));
  self->seeds_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, MAX_SEEDS, 1));
  gtk_spin_button_set_value (self->seeds_spin, 5);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->seeds_spin),
                               _("How many runs of each value, each from its own seed"));
  self->run_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Run")));
  gtk_widget_add_css_class (GTK_WIDGET (self->run_button), "suggested-action");
  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  gtk_widget_add_css_class (GTK_WIDGET (self->cancel_button), "destructive-action");
  gtk_widget_set_valign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->run_button));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->cancel_button));

  gtk_box_append (GTK_BOX (controls), labelled (_("_Change"), GTK_WIDGET (self->knob_dropdown)));
  gtk_box_append (GTK_BOX (controls), labelled (_("_Values"), GTK_WIDGET (self->values_entry)));
  gtk_box_append (GTK_BOX (controls), labelled (_("_Seeds"), GTK_WIDGET (self->seeds_spin)));
  gtk_box_append (GTK_BOX (controls), buttons);

  self->message_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->message_label, 0.0);
  gtk_label_set_wrap (self->message_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_progress_bar_set_text (self->progress, _("Not run yet"));

  self->status_label = GTK_LABEL (gtk_label_new (_("Every run uses the dashboard’s other "
                                                   "settings.")));
  gtk_label_set_xalign (self->status_label, 0.0);
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");

  self->plot = MS_SWEEP_PLOT (plot);
  ms_plot_set_scale (MS_PLOT (plot), PLOT_SCALE);
  gtk_widget_set_vexpand (plot, TRUE);
  gtk_widget_set_hexpand (plot, TRUE);
  gtk_widget_add_css_class (plot, "card");

  gtk_widget_set_margin_start (body, 18);
  gtk_widget_set_margin_end (body, 18);
  gtk_widget_set_margin_top (body, 12);
  gtk_widget_set_margin_bottom (body, 18);
  gtk_box_append (GTK_BOX (body), controls);
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (self->message_label));
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (self->progress));
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (body), plot);
  gtk_box_append (GTK_BOX (content), body);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, content);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toasts));

  g_signal_connect (self->run_button, "clicked", G_CALLBACK (run_clicked_cb), self);
  g_signal_connect (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  g_signal_connect (self->knob_dropdown, "notify::selected", G_CALLBACK (knob_changed_cb), self);
  g_signal_connect (self->values_entry, "changed", G_CALLBACK (values_changed_cb), self);
  g_signal_connect (self->values_entry, "activate", G_CALLBACK (run_clicked_cb), self);
  g_signal_connect (self->plot, "run-activated", G_CALLBACK (run_activated_cb), self);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->run_button));
}

static void
ms_sweep_window_dispose (GObject *object)
{
  MsSweepWindow *self = MS_SWEEP_WINDOW (object);

  stop_sweep (self);

  G_OBJECT_CLASS (ms_sweep_window_parent_class)->dispose (object);
}

static void
ms_sweep_window_class_init (MsSweepWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ms_sweep_window_dispose;

  signals[SIGNAL_RUN_ACTIVATED] = g_signal_new ("run-activated", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
ms_sweep_window_init (MsSweepWindow *self)
{
  build (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Sweep"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 720);
  ms_sweep_window_set_knob (self, MS_SWEEP_KNOB_DIVERSITY);
  update_controls (self);
}

MsSweepWindow *
ms_sweep_window_new (GtkWindow       *parent,
                     MsSweepBaseFunc  base,
                     gpointer         base_data)
{
  MsSweepWindow *self = g_object_new (MS_TYPE_SWEEP_WINDOW, NULL);

  self->base_func = base;
  self->base_data = base_data;
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
      gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
    }
  return self;
}

SimExperimentSweep *
ms_sweep_window_dup_saved (MsSweepWindow *self)
{
  SimExperimentSweep *saved;
  guint64 n;

  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), NULL);

  if (self->sweep == NULL || sim_sweep_get_n_finished (self->sweep) == 0)
    return NULL;
  n = sim_sweep_get_n_runs (self->sweep);
  saved = sim_experiment_sweep_new ((int) n, (int) sim_sweep_get_n_seeds (self->sweep));
  for (guint64 r = 0; r < n; r++)
    {
      const SimSweepFinal *final = sim_sweep_get_final (self->sweep, r);

      saved->configs[r] = *sim_sweep_get_config (self->sweep, r);
      if (final == NULL)
        continue;
      saved->train_target[r] = final->train_target;
      saved->test_target[r] = final->test_target;
      saved->test_proxy[r] = final->test_proxy;
    }
  return saved;
}

/* The setting that differs between the values of a saved sweep (diversity when none does). */
static MsSweepKnob
saved_knob (const SimExperimentSweep *saved)
{
  for (int r = saved->n_seeds; r < saved->n_runs; r += saved->n_seeds)
    {
      const SimConfig *a = &saved->configs[0], *b = &saved->configs[r];

      if (a->perception != b->perception || a->perception_param != b->perception_param)
        return MS_SWEEP_KNOB_PERCEPTION;
      if (a->planning_depth != b->planning_depth)
        return MS_SWEEP_KNOB_PLANNING_DEPTH;
      if (a->agent != b->agent)
        return MS_SWEEP_KNOB_AGENT;
    }
  return MS_SWEEP_KNOB_DIVERSITY;
}

void
ms_sweep_window_show_saved (MsSweepWindow            *self,
                            const SimExperimentSweep *saved)
{
  static const SimSweepFigure figures[MS_SWEEP_PLOT_N_FIGURES] = {
    SIM_SWEEP_TEST_TARGET, SIM_SWEEP_TEST_PROXY,
  };
  MsSweepKnob knob;
  guint n_values, n_seeds;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) values = g_string_new (NULL);
  g_autofree guint32 *seeds = NULL;
  g_autofree char *status = NULL;

  g_return_if_fail (MS_IS_SWEEP_WINDOW (self));
  g_return_if_fail (saved != NULL && saved->n_seeds > 0 && saved->n_runs % saved->n_seeds == 0);

  stop_sweep (self);
  g_atomic_int_inc ((gint *) &self->generation);
  knob = saved_knob (saved);
  n_seeds = (guint) saved->n_seeds;
  n_values = (guint) saved->n_runs / n_seeds;
  seeds = g_new (guint32, n_seeds);
  for (guint s = 0; s < n_seeds; s++)
    seeds[s] = saved->configs[s].seed;
  for (guint v = 0; v < n_values; v++)
    {
      g_autofree char *text = knob_value_text (knob, &saved->configs[v * n_seeds]);

      g_ptr_array_add (labels, knob_label (knob, &saved->configs[v * n_seeds]));
      g_string_append_printf (values, "%s%s", v > 0 ? ", " : "", text);
    }
  g_ptr_array_add (labels, NULL);

  gtk_drop_down_set_selected (self->knob_dropdown, knob);
  gtk_editable_set_text (GTK_EDITABLE (self->values_entry), values->str);
  gtk_spin_button_set_value (self->seeds_spin, MIN (n_seeds, MAX_SEEDS));
  show_message (self, NULL);

  self->sweep = sim_sweep_new (saved->configs, (guint64) saved->n_runs, n_seeds, NULL);
  ms_sweep_plot_set_grid (self->plot, _(knobs[knob].title), _(knobs[knob].axis),
                          (const char * const *) labels->pdata, n_values, seeds, n_seeds,
                          saved->configs[0].scenario);
  for (int r = 0; r < saved->n_runs; r++)
    {
      SimSweepFinal final;

      if (!isfinite (saved->test_target[r]) || !isfinite (saved->test_proxy[r]))
        continue;
      sim_sweep_final_clear (&final);
      final.train_target = saved->train_target[r];
      final.test_target = saved->test_target[r];
      final.test_proxy = saved->test_proxy[r];
      sim_sweep_restore (self->sweep, (guint64) r, &final);
      ms_sweep_plot_set_run (self->plot, (guint) r, final.test_target, final.test_proxy);
    }
  for (guint v = 0; v < n_values; v++)
    for (int f = 0; f < MS_SWEEP_PLOT_N_FIGURES; f++)
      {
        double mean, lo, hi;

        sim_sweep_summary (self->sweep, v, figures[f], &mean, &lo, &hi);
        ms_sweep_plot_set_summary (self->plot, v, f, mean, lo, hi);
      }
  self->n_delivered = (guint) sim_sweep_get_n_finished (self->sweep);
  gtk_progress_bar_set_fraction (self->progress, (double) self->n_delivered / saved->n_runs);
  {
    g_autofree char *text = g_strdup_printf (_("%u of %u runs"), self->n_delivered,
                                             (guint) saved->n_runs);

    gtk_progress_bar_set_text (self->progress, text);
  }
  /* Translators: runs finished of all runs of a sweep opened from a file */
  status = g_strdup_printf (_("Opened with the experiment: %u of %u runs, as they were saved. "
                              "Point at a dot to see its run; click it to open the run in the "
                              "dashboard."), self->n_delivered, (guint) saved->n_runs);
  gtk_label_set_text (self->status_label, status);
  update_controls (self);
}

SimSweep *
ms_sweep_window_get_sweep (MsSweepWindow *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), NULL);

  return self->sweep;
}

MsSweepPlot *
ms_sweep_window_get_plot (MsSweepWindow *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), NULL);

  return self->plot;
}

GtkProgressBar *
ms_sweep_window_get_progress_bar (MsSweepWindow *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), NULL);

  return self->progress;
}

const char *
ms_sweep_window_get_message (MsSweepWindow *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

guint
ms_sweep_window_get_n_delivered (MsSweepWindow *self)
{
  g_return_val_if_fail (MS_IS_SWEEP_WINDOW (self), 0);

  return self->n_delivered;
}
