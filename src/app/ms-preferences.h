/* ms-preferences.h: the preferences window, every row bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MS_TYPE_PREFERENCES (ms_preferences_get_type ())

G_DECLARE_FINAL_TYPE (MsPreferences, ms_preferences, MS, PREFERENCES, AdwPreferencesWindow)

MsPreferences *ms_preferences_new                  (GtkWindow     *parent);
/* While presentation mode withholds the answer key, the teacher-mode row says so and cannot be
 * switched. */
void           ms_preferences_set_answer_key_withheld (MsPreferences *self,
                                                       gboolean       withheld);

G_END_DECLS
