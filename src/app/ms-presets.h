/* ms-presets.h: named demonstrations a teacher can load in one click
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sim.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;           /* stable, used in actions and settings */
  const char *title;        /* translatable (N_), shown in menus */
  const char *description;  /* translatable (N_), what to look for */
} MsPreset;

guint           ms_presets_get_n     (void);
const MsPreset *ms_presets_get       (guint        index);
/* Fills config with the preset; FALSE for an unknown id (config untouched). */
gboolean        ms_presets_apply     (const char  *id,
                                      SimConfig   *config);

G_END_DECLS
