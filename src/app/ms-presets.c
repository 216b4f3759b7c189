/* ms-presets.c: named demonstrations a teacher can load in one click
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-presets.h"

typedef struct
{
  MsPreset preset;
  SimScenarioKind scenario;
  SimAgentKind agent;
  SimOptimizerKind optimizer;
  SimPerceptionKind perception;
  int perception_param;
  int diversity;
  int iterations;
  int planning_depth;     /* 0 = the whole episode */
} PresetDef;

static const PresetDef presets[] = {
  { { "coin", N_("Coin at the End"),
      N_("The coin is always at the end of training levels. At test it moves: does the agent follow the coin or go to the corner?") },
    SIM_SCENARIO_COIN, SIM_AGENT_PLANNER, SIM_OPTIMIZER_PGN, SIM_PERCEPTION_FULL, 0, 0, 60 },
  { { "coin-hidden", N_("Coin Sometimes Hidden"),
      /* xgettext:no-c-format */
      N_("The coin is hidden in 30 % of training levels, so the corner is the more reliable signal. Watch the inferred corner weight grow.") },
    SIM_SCENARIO_COIN, SIM_AGENT_PLANNER, SIM_OPTIMIZER_PGN, SIM_PERCEPTION_HIDDEN, 30, 0, 60 },
  { { "coin-radius", N_("Coin Seen Up Close"),
      N_("The agent sees the coin only within 3 cells. The cross-entropy method trains it.") },
    SIM_SCENARIO_COIN, SIM_AGENT_PLANNER, SIM_OPTIMIZER_CEM, SIM_PERCEPTION_RADIUS, 3, 0, 25 },
  { { "coin-diverse", N_("Diverse Training"),
      N_("Every training level places the coin at random. The agent learns to follow the coin.") },
    SIM_SCENARIO_COIN, SIM_AGENT_PLANNER, SIM_OPTIMIZER_PGN, SIM_PERCEPTION_FULL, 0, 100, 60 },
  { { "lock-in-pgn", N_("Some Diversity, Gradient"),
      /* xgettext:no-c-format */
      N_("20 % of training levels place the coin at random. The policy gradient stays stuck in the corner.") },
    SIM_SCENARIO_COIN, SIM_AGENT_PLANNER, SIM_OPTIMIZER_PGN, SIM_PERCEPTION_FULL, 0, 20, 60 },
  { { "lock-in-cem", N_("Some Diversity, Population"),
      N_("The same levels, trained by the cross-entropy method, which can jump out of the corner habit.") },
    SIM_SCENARIO_COIN, SIM_AGENT_PLANNER, SIM_OPTIMIZER_CEM, SIM_PERCEPTION_FULL, 0, 20, 25 },
  { { "short-sighted", N_("A Short-Sighted Planner"),
      N_("This planner looks only one step ahead: it takes whatever move looks best right now. Does it still reach the coin, and how goal-directed does it look?") },
    SIM_SCENARIO_COIN, SIM_AGENT_PLANNER, SIM_OPTIMIZER_PGN, SIM_PERCEPTION_FULL, 0, 0, 60, 1 },
  { { "green-exit", N_("Green Exit"),
      N_("In training the exit is always green. At test the green tile moves away from the exit.") },
    SIM_SCENARIO_GREEN_EXIT, SIM_AGENT_PLANNER, SIM_OPTIMIZER_PGN, SIM_PERCEPTION_HIDDEN, 30, 0, 60 },
  { { "keys-chests", N_("Keys and Chests"),
      N_("Training levels hold 2 keys and 6 chests; test levels 6 keys and 2 chests. Keys are scarce in training, so the agent comes to value keys for their own sake: at test it collects keys and leaves chests closed.") },
    SIM_SCENARIO_KEYS_CHESTS, SIM_AGENT_PLANNER, SIM_OPTIMIZER_CEM, SIM_PERCEPTION_FULL, 0, 0, 20 },
  { { "keys-chests-control", N_("Keys and Chests, Trained Like the Test"),
      N_("The control: every training level is drawn like the test levels, 6 keys and 2 chests. This agent values chests above keys and opens them at test.") },
    SIM_SCENARIO_KEYS_CHESTS, SIM_AGENT_PLANNER, SIM_OPTIMIZER_CEM, SIM_PERCEPTION_FULL, 0, 100, 20 },
  { { "qlearner", N_("Q-Learner, Coin Sometimes Hidden"),
      N_("An agent without a planner, learning by trial and error, misgeneralizes too.") },
    SIM_SCENARIO_COIN, SIM_AGENT_QLEARNER, SIM_OPTIMIZER_PGN, SIM_PERCEPTION_HIDDEN, 30, 0, 40 },
  { { "network", N_("A Neural Network"),
      N_("A small neural network learns where to step from what it sees, by trial and error, without planning. At test, does it follow the coin or go to the corner?") },
    SIM_SCENARIO_COIN, SIM_AGENT_MLP, SIM_OPTIMIZER_PGN, SIM_PERCEPTION_FULL, 0, 0, 60 },
};

guint
ms_presets_get_n (void)
{
  return G_N_ELEMENTS (presets);
}

const MsPreset *
ms_presets_get (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (presets), NULL);

  return &presets[index].preset;
}

gboolean
ms_presets_apply (const char *id,
                  SimConfig  *config)
{
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      const PresetDef *def = &presets[i];

      if (g_strcmp0 (def->preset.id, id) != 0)
        continue;
      config->scenario = def->scenario;
      config->agent = def->agent;
      config->optimizer = def->optimizer;
      config->perception = def->perception;
      config->perception_param = def->perception_param;
      config->diversity = def->diversity;
      config->iterations = def->iterations;
      config->planning_depth = def->planning_depth;
      config->near_corner = TRUE;
      config->grid = 8;
      return TRUE;
    }
  return FALSE;
}
