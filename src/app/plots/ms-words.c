/* ms-words.c: the scenario's words for legends, descriptions, the editor and files: the
 * success series, behaviours, features, cells
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ms-words.h"

const char *
ms_words_series_label (SimScenarioKind scenario,
                       MsSeries        series)
{
  switch (series)
    {
    case MS_SERIES_TRAIN_KEYS:
      return _("Train: keys collected");
    case MS_SERIES_TRAIN_CHESTS:
      return _("Train: chests opened");
    case MS_SERIES_TEST_KEYS:
      return _("Test: keys collected");
    case MS_SERIES_TEST_CHESTS:
      return _("Test: chests opened");
    case MS_SERIES_TRAIN_TARGET:
    case MS_SERIES_TEST_TARGET:
    case MS_SERIES_TEST_PROXY:
    default:
      break;
    }
  switch (scenario)
    {
    case SIM_SCENARIO_GREEN_EXIT:
      return series == MS_SERIES_TRAIN_TARGET ? _("Train: reaches exit")
           : series == MS_SERIES_TEST_TARGET ? _("Test: reaches exit")
           : _("Test: ends on green");
    case SIM_SCENARIO_KEYS_CHESTS:
      return series == MS_SERIES_TRAIN_TARGET ? _("Train: opens chests")
           : series == MS_SERIES_TEST_TARGET ? _("Test: opens chests")
           : _("Test: collects keys");
    case SIM_SCENARIO_COIN:
    case SIM_N_SCENARIOS:
    default:
      return series == MS_SERIES_TRAIN_TARGET ? _("Train: reaches coin")
           : series == MS_SERIES_TEST_TARGET ? _("Test: reaches coin")
           : _("Test: ends in corner");
    }
}

const char *
ms_words_behaviour_label (SimScenarioKind scenario,
                          gboolean        proxy)
{
  switch (scenario)
    {
    case SIM_SCENARIO_GREEN_EXIT:
      return proxy ? _("ends on green") : _("reaches exit");
    case SIM_SCENARIO_KEYS_CHESTS:
      return proxy ? _("collects keys") : _("opens chests");
    case SIM_SCENARIO_COIN:
    case SIM_N_SCENARIOS:
    default:
      return proxy ? _("ends in corner") : _("reaches coin");
    }
}

const char *
ms_words_feature_label (const char *name)
{
  static const struct { const char *name; const char *label; } labels[] = {
    { "coin", N_("coin") },
    { "lava", N_("lava") },
    { "corner", N_("corner") },
    { "right_edge", N_("right edge") },
    { "top_edge", N_("top edge") },
    { "near_corner", N_("near corner") },
    { "step", N_("step") },
    { "exit", N_("exit") },
    { "green", N_("green") },
    { "key", N_("key") },
    { "chest", N_("chest") },
  };

  if (name == NULL)
    return "";
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (strcmp (name, labels[i].name) == 0)
      return _(labels[i].label);
  return g_intern_string (name);
}

gboolean
ms_words_feature_is_position (const char *name)
{
  return name != NULL && (strcmp (name, "corner") == 0 || strcmp (name, "right_edge") == 0
                          || strcmp (name, "top_edge") == 0 || strcmp (name, "near_corner") == 0);
}

const char *
ms_words_cell_label (SimCell cell)
{
  switch (cell)
    {
    case SIM_CELL_WALL:
      return _("wall");
    case SIM_CELL_LAVA:
      return _("lava");
    case SIM_CELL_COIN:
      return _("coin");
    case SIM_CELL_EXIT:
      return _("exit");
    case SIM_CELL_GREEN:
      return _("green tile");
    case SIM_CELL_EXIT_GREEN:
      return _("exit on green");
    case SIM_CELL_KEY:
      return _("key");
    case SIM_CELL_CHEST:
      return _("chest");
    case SIM_CELL_FLOOR:
    case SIM_N_CELLS:
    default:
      return _("floor");
    }
}
