/* ms-application.c: application actions, accelerators, About window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gsl/gsl_errno.h>

#include "ms-application.h"
#include "ms-window.h"

struct _MsApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (MsApplication, ms_application, ADW_TYPE_APPLICATION)

MsApplication *
ms_application_new (void)
{
  return g_object_new (MS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/mesascope/Mesascope",
                       NULL);
}

static MsWindow *
get_or_create_window (MsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (ms_window_new (ADW_APPLICATION (self)));
  return MS_WINDOW (window);
}

static void
ms_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_or_create_window (MS_APPLICATION (app))));
}

static void
ms_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  MsWindow *window = get_or_create_window (MS_APPLICATION (app));

  for (int i = 0; i < n_files; i++)
    ms_window_open_file (window, files[i]);
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  MsApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Mesascope developers", NULL };

  adw_show_about_window (window,
                         "application-name", _("Mesascope"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Mesascope developers"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/mesascope/mesascope",
                         "issue-url", "https://github.com/mesascope/mesascope/issues",
                         "comments", _("Watch a base optimizer train gridworld agents, and see the "
                                       "objective they actually pursue beside the one training "
                                       "rewards."),
                         "developers", developers,
                         "copyright", "© 2026 The Mesascope developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Destroy windows first so every runner is stopped and joined before we exit. */
  while (windows != NULL)
    {
      GList *next = windows->next;
      gtk_window_destroy (GTK_WINDOW (windows->data));
      windows = next;
    }
  g_application_quit (app);
}

static const GActionEntry app_actions[] = {
  { "about", about_activated, NULL, NULL, NULL },
  { "quit", quit_activated, NULL, NULL, NULL },
};

static void
ms_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (ms_application_parent_class)->startup (app);

  gsl_set_error_handler_off ();
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  ms_window_set_accels (GTK_APPLICATION (app));
}

static void
ms_application_class_init (MsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = ms_application_activate;
  app_class->open = ms_application_open;
  app_class->startup = ms_application_startup;
}

static void
ms_application_init (MsApplication *self)
{
}
