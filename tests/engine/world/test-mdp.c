/* test-mdp.c: sparse MDPs, the gridworld builder, the MDP file format, the icy example
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "sim-irl.h"
#include "sim-level.h"
#include "sim-mdp.h"
#include "sim-scenario.h"

static char *
source_path (const char *name)
{
  const char *root = g_getenv ("MESASCOPE_SOURCE_DIR");

  /* meson test sets this; run by hand with MESASCOPE_SOURCE_DIR=<source tree>. */
  if (root == NULL)
    root = ".";
  return g_build_filename (root, "tests", "engine", "mdp", name, NULL);
}

static void
test_build_sparse (void)
{
  /* Repeated entries add up; entries are sorted into rows; p = 0 entries disappear. */
  const SimMdpTransition trans[] = {
    { 1, 1, 2, 0.5 }, { 0, 0, 1, 0.25 }, { 0, 0, 1, 0.25 }, { 0, 0, 2, 0.5 },
    { 0, 1, 0, 1.0 }, { 1, 0, 0, 1.0 }, { 1, 1, 0, 0.5 }, { 1, 1, 1, 0.0 },
  };
  const double phi[3 * 2] = { 0, 1, 1, 0, 0.5, 0.5 };
  const guint8 terminal[3] = { 0, 0, 1 };
  const double start[3] = { 3, 1, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SimMdp) mdp = sim_mdp_new (3, 2, 2, trans, G_N_ELEMENTS (trans), phi, terminal,
                                        start, 4, 1.0, &error);

  g_assert_no_error (error);
  g_assert_false (mdp->deterministic);
  /* (0,0) → {1: 0.5, 2: 0.5}; (0,1) → {0}; (1,0) → {0}; (1,1) → {0: 0.5, 2: 0.5}. */
  g_assert_cmpint (mdp->row[0], ==, 0);
  g_assert_cmpint (mdp->row[1], ==, 2);
  g_assert_cmpint (mdp->row[2], ==, 3);
  g_assert_cmpint (mdp->row[3], ==, 4);
  g_assert_cmpint (mdp->row[4], ==, 6);
  g_assert_cmpint (mdp->succ[0], ==, 1);
  g_assert_cmpfloat (mdp->prob[0], ==, 0.5);
  g_assert_cmpint (mdp->succ[5], ==, 2);
  g_assert_cmpfloat (sim_mdp_transition_weight (mdp, 0, 1), ==, 0.5);
  g_assert_cmpfloat (sim_mdp_transition_weight (mdp, 0, 0), ==, 1.0);
  g_assert_cmpfloat (sim_mdp_transition_weight (mdp, 1, 2), ==, 0.5);
  g_assert_cmpfloat (sim_mdp_transition_weight (mdp, 1, 1), ==, 0.0);
  g_assert_cmpfloat (mdp->start[0], ==, 0.75);
  g_assert_cmpfloat (mdp->start[1], ==, 0.25);
}

static void
test_build_errors (void)
{
  const SimMdpTransition ok[] = { { 0, 0, 1, 1.0 }, { 1, 0, 0, 1.0 } };
  const SimMdpTransition bad_state[] = { { 0, 0, 5, 1.0 }, { 1, 0, 0, 1.0 } };
  const SimMdpTransition bad_action[] = { { 0, 3, 1, 1.0 }, { 1, 0, 0, 1.0 } };
  const SimMdpTransition bad_sum[] = { { 0, 0, 1, 0.7 }, { 1, 0, 0, 1.0 } };
  const SimMdpTransition bad_prob[] = { { 0, 0, 1, -0.5 }, { 1, 0, 0, 1.0 } };
  const SimMdpTransition missing[] = { { 0, 0, 1, 1.0 } };
  const double phi[2] = { 0, 1 };
  const double nan_phi[2] = { 0, NAN };
  const double huge_phi[2] = { 0, 2e200 };
  const double no_start[2] = { 0, 0 };
  struct
  {
    const SimMdpTransition *trans;
    const double *phi;
    const double *start;
    int horizon;
    double discount;
    const char *message;
  } cases[] = {
    { bad_state, phi, NULL, 0, 0.9, "transition 0: state 5 is out of range (0 to 1)" },
    { bad_action, phi, NULL, 0, 0.9, "transition 0: action 3 is out of range (0 to 0)" },
    { bad_sum, phi, NULL, 0, 0.9,
      "state 0, action 0: the transition probabilities sum to 0.7 (expected 1)" },
    { bad_prob, phi, NULL, 0, 0.9, "transition 0: probability -0.5 is not in [0, 1]" },
    { missing, phi, NULL, 0, 0.9,
      "state 1, action 0 has no transitions (every action of a non-terminal state needs at "
      "least one)" },
    { ok, nan_phi, NULL, 0, 0.9, "feature 0 of state 1 is not a finite number" },
    { ok, huge_phi, NULL, 0, 0.9, "feature 0 of state 1 is 2e+200, beyond ±1e+100" },
    { ok, phi, no_start, 0, 0.9, "no start state (every start weight is 0)" },
    { ok, phi, NULL, -3, 0.9, "the horizon -3 is out of range (1 to 100000, or 0 for none)" },
    { ok, phi, NULL, 0, 1.5, "the discount 1.5 is out of range (expected 0 < γ ≤ 1)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SimMdp) mdp = NULL;
      gsize n = cases[i].trans == missing ? 1 : 2;

      mdp = sim_mdp_new (2, 1, 1, cases[i].trans, n, cases[i].phi, NULL, cases[i].start,
                         cases[i].horizon, cases[i].discount, &error);
      g_assert_null (mdp);
      g_assert_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_from_level (void)
{
  static const char text[] =
    "mesascope-level 1\n"
    "scenario coin\n"
    "size 4 3\n"
    "horizon 9\n"
    "map\n"
    "...C\n"
    ".#L.\n"
    "S...\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = sim_level_parse (text, -1, NULL, &error);
  g_autoptr (SimMdp) mdp = NULL;
  g_autofree double *phi = NULL;
  int nf;

  g_assert_no_error (error);
  mdp = sim_mdp_new_from_level (level, TRUE);
  nf = sim_features_count (SIM_SCENARIO_COIN, TRUE);
  g_assert_cmpint (mdp->n_states, ==, 12);
  g_assert_cmpint (mdp->n_actions, ==, SIM_N_ACTIONS);
  g_assert_cmpint (mdp->n_features, ==, nf);
  g_assert_cmpint (mdp->horizon, ==, 9);
  g_assert_cmpfloat (mdp->discount, ==, 1.0);
  g_assert_cmpint (mdp->grid_width, ==, 4);
  g_assert_true (mdp->deterministic);
  g_assert_cmpfloat (mdp->start[0], ==, 1.0);
  /* Terminal: the coin (3, 2) and the lava (2, 1). */
  for (int s = 0; s < 12; s++)
    g_assert_cmpint (mdp->terminal[s], ==, s == 11 || s == 6);
  /* Moves: up from (1, 0) runs into the wall at (1, 1) and stays; right from (0, 0) moves. */
  g_assert_cmpfloat (sim_mdp_transition_weight (mdp, 1, 5), ==, 0.0);
  g_assert_cmpfloat (sim_mdp_transition_weight (mdp, 1, 1), ==, 3.0);   /* stay, up, down */
  g_assert_cmpfloat (sim_mdp_transition_weight (mdp, 0, 1), ==, 1.0);
  g_assert_cmpfloat (sim_mdp_transition_weight (mdp, 0, 0), ==, 3.0);   /* stay, down, left */
  /* Features as the scenario computes them, with the coin visible. */
  phi = g_new (double, 12 * nf);
  sim_features_compute (level, TRUE, TRUE, phi);
  g_assert_cmpmem (mdp->phi, 12 * nf * sizeof (double), phi, 12 * nf * sizeof (double));
  g_assert_cmpfloat (mdp->phi[11 * nf + 0], ==, 1.0);
}

static gboolean
same_mdp (const SimMdp *a,
          const SimMdp *b)
{
  gsize nnz = a->row[a->n_states * a->n_actions];

  return a->n_states == b->n_states && a->n_actions == b->n_actions &&
         a->n_features == b->n_features && a->horizon == b->horizon &&
         a->discount == b->discount && a->deterministic == b->deterministic &&
         memcmp (a->row, b->row, sizeof (int) * (a->n_states * a->n_actions + 1)) == 0 &&
         memcmp (a->succ, b->succ, sizeof (int) * nnz) == 0 &&
         memcmp (a->prob, b->prob, sizeof (double) * nnz) == 0 &&
         (a->phi == NULL) == (b->phi == NULL) &&
         (a->phi == NULL ||
          memcmp (a->phi, b->phi, sizeof (double) * a->n_states * a->n_features) == 0) &&
         memcmp (a->phi_row, b->phi_row, sizeof (int) * (a->n_states + 1)) == 0 &&
         memcmp (a->phi_col, b->phi_col, sizeof (int) * a->phi_row[a->n_states]) == 0 &&
         memcmp (a->phi_val, b->phi_val, sizeof (double) * a->phi_row[a->n_states]) == 0 &&
         memcmp (a->terminal, b->terminal, a->n_states) == 0 &&
         memcmp (a->start, b->start, sizeof (double) * a->n_states) == 0;
}

/* The icy MDP: the slip probabilities of the Python example, and a file round trip. */
static void
test_icy_and_json (void)
{
  double reward[25];
  g_autoptr (SimMdp) mdp = sim_mdp_new_icy (5, 0.2, TRUE, 0, 0.7, reward);
  g_autoptr (SimMdp) again = NULL;
  g_autoptr (GPtrArray) demos = NULL;
  g_autoptr (GPtrArray) read = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  g_assert_false (mdp->deterministic);
  g_assert_cmpfloat (reward[24], ==, 1.0);
  g_assert_cmpfloat (reward[8], ==, 0.65);
  g_assert_true (mdp->terminal[24]);
  /* From the corner (0, 0), "right": right 0.8 + 0.05, up 0.05, left and down stay. */
  {
    int r = 0 * 4 + 0;
    double p_right = 0.0, p_up = 0.0, p_stay = 0.0;

    for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
      {
        if (mdp->succ[k] == 1)
          p_right += mdp->prob[k];
        else if (mdp->succ[k] == 5)
          p_up += mdp->prob[k];
        else if (mdp->succ[k] == 0)
          p_stay += mdp->prob[k];
      }
    g_assert_cmpfloat (fabs (p_right - 0.85), <=, 1e-15);
    g_assert_cmpfloat (fabs (p_up - 0.05), <=, 1e-15);
    g_assert_cmpfloat (fabs (p_stay - 0.10), <=, 1e-15);
  }

  gsl_rng_set (rng, 5);
  demos = sim_mdp_icy_demos (mdp, reward, 0.7, 5.0, 20, 500, rng);
  gsl_rng_free (rng);
  g_assert_cmpuint (demos->len, ==, 20);
  for (guint i = 0; i < demos->len; i++)
    {
      GArray *tr = g_ptr_array_index (demos, i);
      g_assert_cmpint (g_array_index (tr, int, 0), ==, 0);
      g_assert_true (sim_mdp_check_trajectory (mdp, (int *) tr->data, tr->len, NULL));
    }

  text = sim_mdp_to_json (mdp, demos);
  again = sim_mdp_parse_json (text, -1, "icy.json", &read, &error);
  g_assert_no_error (error);
  g_assert_true (same_mdp (mdp, again));
  g_assert_cmpuint (read->len, ==, demos->len);
  for (guint i = 0; i < demos->len; i++)
    {
      GArray *a = g_ptr_array_index (demos, i), *b = g_ptr_array_index (read, i);
      g_assert_cmpmem (a->data, a->len * sizeof (int), b->data, b->len * sizeof (int));
    }
}

/* Malformed MDP files: one message naming the place each. */
static void
test_json_errors (void)
{
  static const char base_transitions[] = "[[0, 0, 1, 1], [1, 0, 1, 1]]";
  struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "", "m.json: empty file (expected a JSON object)" },
    { "{\"states\": 2,", "m.json:1:14: not valid JSON: " },
    { "[]", "m.json: expected a JSON object at the top level" },
    { "{\"actions\": 1}", "m.json: \"states\" is missing" },
    { "{\"states\": 0, \"actions\": 1}",
      "m.json: \"states\" is 0, out of range (1 to 4194304)" },
    { "{\"states\": 2, \"actions\": 1.5}", "m.json: \"actions\" is not an integer" },
    /* json-glib would wrap these to −1 and 2. */
    { "{\"states\": 18446744073709551615, \"actions\": 1}",
      "m.json:1:12: not valid JSON: an integer beyond ±9223372036854775807" },
    { "{\"states\": -18446744073709551614, \"actions\": 1}",
      "m.json:1:13: not valid JSON: an integer beyond ±9223372036854775807" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1], [2]]}",
      "m.json: \"features\" has 3 rows (expected one per state, 2)" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1, 2]]}",
      "m.json: features[1] has 2 entries (expected 1, as features[0])" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [\"x\"]]}",
      "m.json: features[1][0] is not a finite number" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [-3e150]]}",
      "m.json: features[1][0] is -3e+150, beyond ±1e+100" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [7]}", "m.json: start[0]: state 7 is out of range (0 to 1)" },
    /* Features given sparsely, with "n_features", or as "one-hot". */
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": [[0, 1, 0.5], "
      "[1, 3, 1]]}", "m.json: features[1]: feature 3 is out of range (0 to 2)" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": [[2, 0, 1]]}",
      "m.json: features[0]: state 2 is out of range (0 to 1)" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": [[0, 0, 1], "
      "[1, 2, 1], [1, 0, 2], [1, 2, -1]], \"terminal\": [1], \"start\": [0], "
      "\"transitions\": %s, \"trajectories\": [[0, 1]]}",
      "m.json: features[3]: feature 2 of state 1 is given twice (first at features[1])" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": [[0, 0]]}",
      "m.json: features[0] is not an array [s, f, value]" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": [[0, 0.5, 1]]}",
      "m.json: features[0]: s and f must be integers" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": [[0, 1, \"x\"]]}",
      "m.json: features[0]: the value is not a finite number" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": [[0, 1, 2e100]]}",
      "m.json: features[0]: feature 1 of state 0 is 2e+100, beyond ±1e+100" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 0, \"features\": []}",
      "m.json: \"n_features\" is 0, out of range (1 to 4194304)" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": {}}",
      "m.json: \"features\" is not an array" },
    { "{\"states\": 2, \"actions\": 1, \"features\": \"two-hot\"}",
      "m.json: \"features\" is a string other than \"one-hot\" (expected \"one-hot\", rows of "
      "numbers, or [s, f, value] entries with \"n_features\")" },
    { "{\"states\": 2, \"actions\": 1, \"n_features\": 3, \"features\": \"one-hot\"}",
      "m.json: \"n_features\" is 3, but one-hot features need one per state (2)" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [0], \"transitions\": [[0, 0, 1]]}",
      "m.json: transitions[0] is not an array [s, a, s2, p]" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [0], \"transitions\": [[0, 2, 1, 1]]}",
      "m.json: transitions[0]: action 2 is out of range (0 to 0)" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [0], \"transitions\": [[0, 0, 1, 0.5]]}",
      "m.json: state 0, action 0: the transition probabilities sum to 0.5 (expected 1)" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [0], \"discount\": 2, \"transitions\": %s}",
      "m.json: \"discount\" is 2 (expected 0 < γ ≤ 1)" },
    { "{\"states\": 2, \"actions\": 1, \"discount\": 1.0000001}",
      "m.json: \"discount\" is 1.0000001 (expected 0 < γ ≤ 1)" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1.0000001e100]]}",
      "m.json: features[1][0] is 1.0000001e+100, beyond ±1e+100" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [0], \"transitions\": %s, \"trajectories\": []}",
      "m.json: \"trajectories\" is empty (expected at least one trajectory)" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [0], \"transitions\": %s, \"trajectories\": [[0, 1], [0, 1, 1]]}",
      "m.json: trajectories[1], step 2: the trajectory continues after entering the terminal "
      "state 1 at step 1" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [0], \"transitions\": %s, \"trajectories\": [[1]]}",
      "m.json: trajectories[0], step 0: state 1 is not a start state" },
    { "{\"states\": 3, \"actions\": 1, \"features\": [[0], [1], [2]], \"terminal\": [2], "
      "\"start\": [0], \"transitions\": [[0, 0, 1, 1], [1, 0, 2, 1]], \"trajectories\": "
      "[[0, 2]]}", "m.json: trajectories[0], step 1: no action leads from state 0 to state 2" },
    { "{\"states\": 2, \"actions\": 1, \"features\": [[0], [1]], \"terminal\": [1], "
      "\"start\": [0], \"horizon\": 1, \"transitions\": %s, \"trajectories\": [[0, 0, 1]]}",
      "m.json: trajectories[0], 2 transitions exceed the horizon 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SimMdp) mdp = NULL;
      g_autoptr (GPtrArray) trajectories = NULL;
      g_autofree char *json = NULL;

      json = strstr (cases[i].json, "%s") != NULL
               ? g_strdup_printf (cases[i].json, base_transitions)
               : g_strdup (cases[i].json);
      mdp = sim_mdp_parse_json (json, -1, "m.json", &trajectories, &error);
      g_assert_null (mdp);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: got '%s', expected '%s'", i, error->message, cases[i].message);
    }
}


/* Features in the three forms of the file (rows, [s, f, value] entries, "one-hot") and
 * through both builders make the same MDP; the writer picks rows while the MDP keeps them
 * densely, and "one-hot" or entries beyond. */
static void
test_sparse_json (void)
{
  static const char head[] =
    "{\"states\": 3, \"actions\": 1, \"transitions\": [[0, 0, 1, 1], [1, 0, 2, 1]], "
    "\"terminal\": [2], \"start\": [0], \"trajectories\": [[0, 1, 2]], ";
  struct
  {
    const char *a;
    const char *b;
  } pairs[] = {
    /* One-hot shorthand and its explicit forms. */
    { "\"features\": \"one-hot\"}", "\"features\": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}" },
    { "\"features\": \"one-hot\", \"n_features\": 3}",
      "\"n_features\": 3, \"features\": [[2, 2, 1], [0, 0, 1], [1, 1, 1.0]]}" },
    /* Entries in any order, zeros allowed and not stored. */
    { "\"features\": [[0, 0.5], [0, 0], [-1, 2]]}",
      "\"n_features\": 2, \"features\": [[2, 1, 2], [0, 1, 0.5], [1, 0, 0], [2, 0, -1]]}" },
    /* "n_features": null is no count: rows. */
    { "\"n_features\": null, \"features\": [[1], [0], [3]]}",
      "\"n_features\": 1, \"features\": [[0, 0, 1], [2, 0, 3]]}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *text_a = g_strconcat (head, pairs[i].a, NULL);
      g_autofree char *text_b = g_strconcat (head, pairs[i].b, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (SimMdp) a = sim_mdp_parse_json (text_a, -1, "a.json", NULL, &error);
      g_autoptr (SimMdp) b = NULL;
      g_autofree char *written_a = NULL;
      g_autofree char *written_b = NULL;

      g_assert_no_error (error);
      b = sim_mdp_parse_json (text_b, -1, "b.json", NULL, &error);
      g_assert_no_error (error);
      g_assert_true (same_mdp (a, b));
      g_assert_nonnull (a->phi);
      written_a = sim_mdp_to_json (a, NULL);
      written_b = sim_mdp_to_json (b, NULL);
      g_assert_cmpstr (written_a, ==, written_b);
      g_assert_nonnull (strstr (written_a, "\"features\": [\n    ["));
      g_assert_cmpint (sim_mdp_is_one_hot (a), ==, i < 2);
    }

  /* Beyond the dense copy: a one-hot 1025-state chain writes "one-hot", another one its
   * entries, and both read back the same. */
  for (int one_hot = 0; one_hot < 2; one_hot++)
    {
      int n = 1025;
      g_autofree SimMdpTransition *trans = g_new (SimMdpTransition, n);
      g_autofree SimMdpFeature *values = g_new (SimMdpFeature, 2 * n);
      g_autoptr (GError) error = NULL;
      g_autoptr (SimMdp) mdp = NULL;
      g_autoptr (SimMdp) again = NULL;
      g_autofree char *text = NULL;
      g_autofree char *rewritten = NULL;
      g_autoptr (GPtrArray) demos = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
      g_autoptr (GPtrArray) read = NULL;
      GArray *demo = g_array_new (FALSE, FALSE, sizeof (int));
      gsize m = 0;

      for (int s = 0; s < n; s++)
        {
          trans[s] = (SimMdpTransition) { s, 0, MIN (s + 1, n - 1), 1.0 };
          values[m++] = (SimMdpFeature) { s, s, 1.0 };
          if (!one_hot && s % 7 == 0)
            values[m++] = (SimMdpFeature) { s, (s * 31 + 1) % n, -0.25 };
        }
      mdp = sim_mdp_new_sparse (n, 1, n, trans, n, values, m, NULL, NULL, 0, 0.9, &error);
      g_assert_no_error (error);
      g_assert_null (mdp->phi);
      g_assert_cmpint (sim_mdp_is_one_hot (mdp), ==, one_hot);
      for (int s = 0; s < 3; s++)
        g_array_append_val (demo, s);
      g_ptr_array_add (demos, demo);
      text = sim_mdp_to_json (mdp, demos);
      g_assert_nonnull (strstr (text, one_hot ? "\"features\": \"one-hot\","
                                              : "\"n_features\": 1025,\n  \"features\": ["));
      again = sim_mdp_parse_json (text, -1, "chain.json", &read, &error);
      g_assert_no_error (error);
      g_assert_true (same_mdp (mdp, again));
      rewritten = sim_mdp_to_json (again, read);
      g_assert_cmpstr (text, ==, rewritten);
    }
}

/* sim_mdp_new_sparse() checks its entries and names them as features[K]; a dense φ too
 * large for sim_mdp_new() is refused with a pointer to the sparse form's limits. */
static void
test_sparse_errors (void)
{
  const SimMdpTransition trans[] = { { 0, 0, 1, 1.0 }, { 1, 0, 0, 1.0 } };
  const SimMdpFeature bad_state[] = { { 0, 0, 1.0 }, { 2, 0, 1.0 } };
  const SimMdpFeature bad_feature[] = { { 0, -1, 1.0 } };
  const SimMdpFeature twice[] = { { 1, 1, 1.0 }, { 0, 1, 1.0 }, { 1, 0, 1.0 }, { 0, 1, 0.0 },
                                  { 1, 1, 2.0 } };
  const SimMdpFeature nan_value[] = { { 1, 1, NAN } };
  struct
  {
    const SimMdpFeature *values;
    gsize n;
    const char *message;
  } cases[] = {
    { bad_state, 2, "features[1]: state 2 is out of range (0 to 1)" },
    { bad_feature, 1, "features[0]: feature -1 is out of range (0 to 1)" },
    { twice, 5, "features[3]: feature 1 of state 0 is given twice (first at features[1])" },
    { nan_value, 1, "features[0]: feature 1 of state 1 is not a finite number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SimMdp) mdp = sim_mdp_new_sparse (2, 1, 2, trans, 2, cases[i].values,
                                                   cases[i].n, NULL, NULL, 0, 0.9, &error);

      g_assert_null (mdp);
      g_assert_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SimMdp) mdp = sim_mdp_new (1 << 22, 1, 32, trans, 2, NULL, NULL, NULL, 0, 0.9,
                                          &error);

    g_assert_null (mdp);
    g_assert_cmpstr (error->message, ==, "32 features for 4194304 states is too many (at most "
                     "4194304 features and 67108864 values)");
  }
}

/* The icy 5×5 files of the peer comparison load and solve from the command line's path. */
static void
test_icy_files (void)
{
  const char *names[] = { "icy-5-paths.json", "icy-5-causal.json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = source_path (names[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) trajectories = NULL;
      g_autoptr (SimMdp) mdp = sim_mdp_load_json (path, &trajectories, &error);
      g_autoptr (SimIrl) irl = NULL;
      SimIrlResult result;
      int index;

      g_assert_no_error (error);
      g_assert_cmpint (mdp->n_states, ==, 25);
      g_assert_cmpint (mdp->n_features, ==, 25);
      g_assert_cmpuint (trajectories->len, ==, 200);
      irl = sim_irl_new (25, i == 0 ? SIM_IRL_PATHS : SIM_IRL_CAUSAL);
      index = sim_irl_add_mdp (irl, mdp);
      for (guint k = 0; k < trajectories->len; k++)
        {
          GArray *tr = g_ptr_array_index (trajectories, k);
          g_assert_true (sim_irl_add_trajectory (irl, index, (int *) tr->data, tr->len, NULL));
        }
      g_assert_true (sim_irl_solve (irl, NULL, NULL, &result, &error));
      g_test_message ("%s: %d iterations, |∇| %.2e, log-likelihood %.4f", names[i],
                      result.iterations, result.gradient_norm, result.log_likelihood);
      g_assert_true (result.converged);
      /* The bonus cell (3, 1) carries more weight than any plain cell. */
      for (int s = 0; s < 24; s++)
        if (s != 8)
          g_assert_cmpfloat (result.theta[8], >, result.theta[s]);
      sim_irl_result_clear (&result);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/engine/world/mdp/build-sparse", test_build_sparse);
  g_test_add_func ("/engine/world/mdp/build-errors", test_build_errors);
  g_test_add_func ("/engine/world/mdp/from-level", test_from_level);
  g_test_add_func ("/engine/world/mdp/icy-and-json", test_icy_and_json);
  g_test_add_func ("/engine/world/mdp/json-errors", test_json_errors);
  g_test_add_func ("/engine/world/mdp/icy-files", test_icy_files);
  g_test_add_func ("/engine/world/mdp/sparse-json", test_sparse_json);
  g_test_add_func ("/engine/world/mdp/sparse-errors", test_sparse_errors);
  return g_test_run ();
}
