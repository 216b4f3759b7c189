/* ms-preferences.c: the preferences window, every row bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window only reads and writes GSettings; the main window follows the keys (speed, palette,
 * presentation scale, teacher mode) or reads them when a run starts (scenario, inference
 * cadence).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ms-preferences.h"

struct _MsPreferences
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow *scenario_row;
  AdwComboRow *speed_row;
  GtkSpinButton *infer_spin;
  GtkSwitch *teacher_switch;
  AdwActionRow *teacher_row;
  GtkSwitch *hide_teacher_switch;
  GtkSpinButton *scale_spin;
  GtkSpinButton *article_zoom_spin;
  GtkSwitch *colorblind_switch;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (MsPreferences, ms_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/* The rows of the scenario and speed lists, in the order of ms-preferences.ui. */
static const char * const scenarios[] = { "coin", "green-exit", "keys-chests" };
static const double speeds[] = { 1.0, 4.0, 16.0, 0.0 };

static gboolean
scenario_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (g_strcmp0 (nick, scenarios[i]) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  /* A scenario this list does not offer: show the first. */
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
scenario_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (scenarios))
    return NULL;
  return g_variant_new_string (scenarios[i]);
}

static gboolean
speed_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  double speed = g_variant_get_double (variant);
  guint best = 0;

  /* The nearest offered speed; 0 (as fast as possible) only for 0 itself. */
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      if (speeds[i] == speed)
        {
          best = i;
          break;
        }
      if (speed > 0 && speeds[i] > 0 && fabs (speeds[i] - speed) < fabs (speeds[best] - speed))
        best = i;
    }
  if (speed == 0.0)
    best = G_N_ELEMENTS (speeds) - 1;
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
speed_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (speeds))
    return NULL;
  return g_variant_new_double (speeds[i]);
}

static void
ms_preferences_dispose (GObject *object)
{
  MsPreferences *self = MS_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_PREFERENCES);

  G_OBJECT_CLASS (ms_preferences_parent_class)->dispose (object);
}

static void
ms_preferences_finalize (GObject *object)
{
  MsPreferences *self = MS_PREFERENCES (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ms_preferences_parent_class)->finalize (object);
}

static void
ms_preferences_class_init (MsPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_preferences_dispose;
  object_class->finalize = ms_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesascope/Mesascope/ms-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, scenario_row);
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, speed_row);
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, infer_spin);
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, teacher_switch);
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, teacher_row);
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, hide_teacher_switch);
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, scale_spin);
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, article_zoom_spin);
  gtk_widget_class_bind_template_child (widget_class, MsPreferences, colorblind_switch);
}

static void
ms_preferences_init (MsPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_ID);
  g_settings_bind_with_mapping (self->settings, "default-scenario", self->scenario_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, scenario_get_mapping,
                                scenario_set_mapping, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "speed", self->speed_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, speed_get_mapping, speed_set_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "infer-every", self->infer_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "teacher-mode", self->teacher_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "hide-teacher-in-presentation", self->hide_teacher_switch,
                   "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "presentation-scale", self->scale_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "article-zoom", self->article_zoom_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "colorblind-palette", self->colorblind_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

MsPreferences *
ms_preferences_new (GtkWindow *parent)
{
  return g_object_new (MS_TYPE_PREFERENCES,
                       "transient-for", parent,
                       NULL);
}

void
ms_preferences_set_answer_key_withheld (MsPreferences *self,
                                        gboolean       withheld)
{
  g_return_if_fail (MS_IS_PREFERENCES (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->teacher_row), !withheld);
  adw_action_row_set_subtitle (self->teacher_row,
                               withheld ? _("Hidden while presenting")
                                        : _("Show the agent’s true objective as an answer key"));
}
