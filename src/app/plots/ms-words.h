/* ms-words.h: the scenario's words for legends, descriptions, the editor and files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sim-level.h"
#include "sim-snapshot.h"

G_BEGIN_DECLS

/* The three success series, named in the scenario's words; keys-chests adds the four counts
 * (keys collected and chests opened per episode, at train and at test). */
typedef enum
{
  MS_SERIES_TRAIN_TARGET,
  MS_SERIES_TEST_TARGET,
  MS_SERIES_TEST_PROXY,
  MS_SERIES_TRAIN_KEYS,
  MS_SERIES_TRAIN_CHESTS,
  MS_SERIES_TEST_KEYS,
  MS_SERIES_TEST_CHESTS,
} MsSeries;

/* Words of the scenario, for legends and descriptions. */
const char     *ms_words_series_label       (SimScenarioKind  scenario,
                                             MsSeries         series);
/* "reaches coin", "ends in corner" (no "Train:"/"Test:" prefix). */
const char     *ms_words_behaviour_label    (SimScenarioKind  scenario,
                                             gboolean         proxy);
/* A feature's display name ("right_edge" → "right edge"); static or interned. */
const char     *ms_words_feature_label      (const char      *name);
/* TRUE for the coin scenario's positional features, grouped as "position: top-right". */
gboolean        ms_words_feature_is_position (const char      *name);
/* A cell's display name ("coin", "exit on green"). */
const char     *ms_words_cell_label         (SimCell           cell);

G_END_DECLS
