/* ms-controls-panel.c: the knobs of a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel edits a SimConfig. Every user edit emits ::changed once; the window answers by
 * restarting the run (with an undo toast). Setting a config from code emits nothing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-controls-panel.h"
#include "sim-keys.h"
#include "sim-planner.h"

struct _MsControlsPanel
{
  GtkWidget parent_instance;

  /* Template children */
  GtkWidget *scroller;
  AdwComboRow *scenario_row;
  AdwComboRow *agent_row;
  AdwComboRow *optimizer_row;
  AdwComboRow *perception_row;
  AdwActionRow *perception_param_row;
  GtkSpinButton *perception_param_spin;
  GtkSpinButton *diversity_spin;
  AdwActionRow *near_corner_row;
  GtkSwitch *near_corner_switch;
  AdwComboRow *grid_row;
  GtkSpinButton *seed_spin;
  GtkSpinButton *iterations_spin;
  AdwActionRow *planning_depth_row;
  GtkSpinButton *planning_depth_spin;
  AdwActionRow *decisiveness_row;
  GtkLabel *decisiveness_label;

  /* The scenario last selected, to notice a switch to or from keys and chests. */
  guint scenario;

  /* Last values of the percentage and radius, so switching perception keeps each. */
  int hidden_percent;
  int radius;
  guint updating;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MsControlsPanel, ms_controls_panel, GTK_TYPE_WIDGET)

static const int grid_sizes[] = { 8, 12, 16 };

static void
update_sensitivity (MsControlsPanel *self)
{
  guint perception = adw_combo_row_get_selected (self->perception_row);
  guint agent = adw_combo_row_get_selected (self->agent_row);
  guint scenario = adw_combo_row_get_selected (self->scenario_row);
  gboolean planner = (agent == SIM_AGENT_PLANNER);

  self->updating++;
  gtk_widget_set_visible (GTK_WIDGET (self->perception_param_row),
                          perception != SIM_PERCEPTION_FULL);
  if (perception == SIM_PERCEPTION_HIDDEN)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->perception_param_row),
                                     _("Hidden in Training Levels"));
      adw_action_row_set_subtitle (self->perception_param_row, _("Percent of levels"));
      gtk_spin_button_set_range (self->perception_param_spin, 0, 100);
      gtk_spin_button_set_value (self->perception_param_spin, self->hidden_percent);
    }
  else if (perception == SIM_PERCEPTION_RADIUS)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->perception_param_row),
                                     _("Sight Radius"));
      adw_action_row_set_subtitle (self->perception_param_row, _("Cells"));
      gtk_spin_button_set_range (self->perception_param_spin, 1, 16);
      gtk_spin_button_set_value (self->perception_param_spin, self->radius);
    }
  /* The Q-learner has no base optimizer of the kind chosen here, and exists for the coin
   * scenario only. Keys and chests runs on 8 × 8 grids; its planner has one optimizer (cem)
   * and always sees every key and chest, while the network takes any perception. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->optimizer_row),
                            planner && scenario != SIM_SCENARIO_KEYS_CHESTS);
  gtk_widget_set_sensitive (GTK_WIDGET (self->near_corner_row),
                            scenario == SIM_SCENARIO_COIN && planner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->perception_row),
                            scenario != SIM_SCENARIO_KEYS_CHESTS || agent == SIM_AGENT_MLP);
  gtk_widget_set_sensitive (GTK_WIDGET (self->perception_param_row),
                            scenario != SIM_SCENARIO_KEYS_CHESTS || agent == SIM_AGENT_MLP);
  gtk_widget_set_sensitive (GTK_WIDGET (self->grid_row), scenario != SIM_SCENARIO_KEYS_CHESTS);
  /* Only the planner plans, and keys and chests' planner always to the end of the episode. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->planning_depth_row),
                            planner && scenario != SIM_SCENARIO_KEYS_CHESTS);
  gtk_widget_set_sensitive (GTK_WIDGET (self->decisiveness_row), planner);
  self->updating--;
}

static void
emit_changed (MsControlsPanel *self)
{
  if (self->updating > 0)
    return;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
row_selected_cb (MsControlsPanel *self)
{
  guint scenario;

  if (self->updating > 0)
    return;
  scenario = adw_combo_row_get_selected (self->scenario_row);
  self->updating++;
  if (scenario == SIM_SCENARIO_KEYS_CHESTS && self->scenario != SIM_SCENARIO_KEYS_CHESTS)
    {
      /* Keys and chests: the planner (or the network, when chosen) trained for 20
       * generations, seeing everything on an 8 × 8 grid (docs/science.md §2 C). */
      if (adw_combo_row_get_selected (self->agent_row) != SIM_AGENT_MLP)
        adw_combo_row_set_selected (self->agent_row, SIM_AGENT_PLANNER);
      adw_combo_row_set_selected (self->optimizer_row, SIM_OPTIMIZER_CEM);
      adw_combo_row_set_selected (self->perception_row, SIM_PERCEPTION_FULL);
      adw_combo_row_set_selected (self->grid_row, 0);
      gtk_spin_button_set_value (self->iterations_spin, SIM_KEYS_CEM_GENERATIONS);
    }
  else if (scenario != SIM_SCENARIO_KEYS_CHESTS && self->scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      /* Back to the defaults of the other scenarios. */
      SimConfig defaults;

      sim_config_init_default (&defaults);
      adw_combo_row_set_selected (self->optimizer_row, defaults.optimizer);
      gtk_spin_button_set_value (self->iterations_spin, defaults.iterations);
    }
  /* The Q-learner runs on the coin scenario only, and the keys-and-chests planner with cem,
   * seeing everything: keep the choices consistent. */
  if (adw_combo_row_get_selected (self->agent_row) == SIM_AGENT_QLEARNER &&
      scenario != SIM_SCENARIO_COIN)
    {
      adw_combo_row_set_selected (self->scenario_row, SIM_SCENARIO_COIN);
      scenario = SIM_SCENARIO_COIN;
    }
  if (adw_combo_row_get_selected (self->agent_row) == SIM_AGENT_PLANNER &&
      scenario == SIM_SCENARIO_KEYS_CHESTS)
    {
      adw_combo_row_set_selected (self->optimizer_row, SIM_OPTIMIZER_CEM);
      adw_combo_row_set_selected (self->perception_row, SIM_PERCEPTION_FULL);
    }
  self->scenario = scenario;
  self->updating--;
  update_sensitivity (self);
  emit_changed (self);
}

static void
value_changed_cb (MsControlsPanel *self)
{
  if (self->updating > 0)
    return;
  if (adw_combo_row_get_selected (self->perception_row) == SIM_PERCEPTION_HIDDEN)
    self->hidden_percent = gtk_spin_button_get_value_as_int (self->perception_param_spin);
  else if (adw_combo_row_get_selected (self->perception_row) == SIM_PERCEPTION_RADIUS)
    self->radius = gtk_spin_button_get_value_as_int (self->perception_param_spin);
  emit_changed (self);
}

/* The planning depth as the spin button shows it: 0 is the whole episode. */
static gboolean
depth_output_cb (MsControlsPanel *self,
                 GtkSpinButton   *spin)
{
  int depth = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = NULL;

  if (depth == 0)
    text = g_strdup (_("Whole episode"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d step", "%d steps", depth), depth);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* Reads back what depth_output_cb() writes, or a bare number. */
static int
depth_input_cb (MsControlsPanel *self,
                double          *new_value,
                GtkSpinButton   *spin)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *whole = g_utf8_casefold (_("Whole episode"), -1);
  char *end = NULL;
  gint64 value;

  g_strstrip (folded);
  if (*folded == '\0' || g_strcmp0 (folded, whole) == 0)
    {
      *new_value = 0;
      return TRUE;
    }
  value = g_ascii_strtoll (folded, &end, 10);
  if (end == folded || value < 0)
    return GTK_INPUT_ERROR;
  *new_value = MIN (value, SIM_CONFIG_MAX_PLANNING_DEPTH);
  return TRUE;
}

static void
ms_controls_panel_dispose (GObject *object)
{
  MsControlsPanel *self = MS_CONTROLS_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MS_TYPE_CONTROLS_PANEL);

  G_OBJECT_CLASS (ms_controls_panel_parent_class)->dispose (object);
}

static void
ms_controls_panel_class_init (MsControlsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ms_controls_panel_dispose;

  /**
   * MsControlsPanel::changed:
   *
   * Emitted once for every edit the user makes.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesascope/Mesascope/panels/ms-controls-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, scenario_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, agent_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, optimizer_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, perception_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, perception_param_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, perception_param_spin);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, diversity_spin);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, near_corner_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, near_corner_switch);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, grid_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, iterations_spin);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, planning_depth_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, planning_depth_spin);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, decisiveness_row);
  gtk_widget_class_bind_template_child (widget_class, MsControlsPanel, decisiveness_label);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, depth_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, depth_input_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "controlspanel");
}

static void
ms_controls_panel_init (MsControlsPanel *self)
{
  SimConfig config;
  char beta[32];

  self->updating++;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_spin_button_set_range (self->planning_depth_spin, 0, SIM_CONFIG_MAX_PLANNING_DEPTH);
  g_snprintf (beta, sizeof beta, "β = %g", SIM_PLANNER_BETA);
  gtk_label_set_text (self->decisiveness_label, beta);
  self->hidden_percent = 30;
  self->radius = 3;
  self->updating--;

  sim_config_init_default (&config);
  ms_controls_panel_set_config (self, &config);
}

GtkWidget *
ms_controls_panel_new (void)
{
  return g_object_new (MS_TYPE_CONTROLS_PANEL, NULL);
}

void
ms_controls_panel_set_config (MsControlsPanel *self,
                              const SimConfig *config)
{
  guint grid_index = 0;

  g_return_if_fail (MS_IS_CONTROLS_PANEL (self));

  self->updating++;
  if (config->perception == SIM_PERCEPTION_HIDDEN)
    self->hidden_percent = config->perception_param;
  else if (config->perception == SIM_PERCEPTION_RADIUS)
    self->radius = config->perception_param;
  for (guint i = 0; i < G_N_ELEMENTS (grid_sizes); i++)
    if (grid_sizes[i] == config->grid)
      grid_index = i;

  adw_combo_row_set_selected (self->scenario_row, config->scenario);
  self->scenario = config->scenario;
  adw_combo_row_set_selected (self->agent_row, config->agent);
  adw_combo_row_set_selected (self->optimizer_row, config->optimizer);
  adw_combo_row_set_selected (self->perception_row, config->perception);
  gtk_spin_button_set_value (self->diversity_spin, config->diversity);
  gtk_switch_set_active (self->near_corner_switch, config->near_corner);
  adw_combo_row_set_selected (self->grid_row, grid_index);
  gtk_spin_button_set_value (self->seed_spin, config->seed);
  gtk_spin_button_set_value (self->iterations_spin, config->iterations);
  gtk_spin_button_set_value (self->planning_depth_spin, config->planning_depth);
  update_sensitivity (self);
  self->updating--;
}

void
ms_controls_panel_get_config (MsControlsPanel *self,
                              SimConfig       *config)
{
  guint grid_index;

  g_return_if_fail (MS_IS_CONTROLS_PANEL (self));

  /* Keep what the panel does not show (inference cadence). */
  config->scenario = (SimScenarioKind) adw_combo_row_get_selected (self->scenario_row);
  config->agent = (SimAgentKind) adw_combo_row_get_selected (self->agent_row);
  config->optimizer = (SimOptimizerKind) adw_combo_row_get_selected (self->optimizer_row);
  config->perception = (SimPerceptionKind) adw_combo_row_get_selected (self->perception_row);
  switch (config->perception)
    {
    case SIM_PERCEPTION_HIDDEN:
      config->perception_param = self->hidden_percent;
      break;
    case SIM_PERCEPTION_RADIUS:
      config->perception_param = self->radius;
      break;
    case SIM_PERCEPTION_FULL:
    default:
      config->perception_param = 0;
      break;
    }
  config->diversity = gtk_spin_button_get_value_as_int (self->diversity_spin);
  config->near_corner = gtk_switch_get_active (self->near_corner_switch);
  grid_index = adw_combo_row_get_selected (self->grid_row);
  config->grid = grid_sizes[MIN (grid_index, G_N_ELEMENTS (grid_sizes) - 1)];
  config->seed = (guint32) gtk_spin_button_get_value (self->seed_spin);
  config->iterations = gtk_spin_button_get_value_as_int (self->iterations_spin);
  /* A depth applies to the planner of coin and green exit only (sim_config_validate()). */
  config->planning_depth = config->agent == SIM_AGENT_PLANNER &&
                           config->scenario != SIM_SCENARIO_KEYS_CHESTS
                           ? gtk_spin_button_get_value_as_int (self->planning_depth_spin) : 0;
}
