/* sim-mdp-json.c: the MDP file format (JSON): reading with the checks and messages that name
 * the place of a fault, and writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-mdp.h"
#include "sim-mdp-json-private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sim-file.h"
#include "sim-json.h"

/* MDP files larger than this are refused before parsing. */
#define MAX_FILE_SIZE ((gint64) 512 * 1024 * 1024)

/* The shortest of %.15g and %.17g that reads back exactly, so that a value just beyond a
 * limit is not shown as the limit itself. −0 is written as 0: JSON readers take "-0" for the
 * integer 0. */
static const char *
format_exact (char   buf[G_ASCII_DTOSTR_BUF_SIZE],
              double v)
{
  if (v == 0.0)
    v = 0.0;
  g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.17g", v);
  return buf;
}

/* JSON input. */

static gboolean
get_finite (JsonNode *node,
            double   *out)
{
  return sim_json_node_get_number (node, out) && isfinite (*out);
}

static gboolean
read_int_member (SimJsonCtx *ctx,
                 JsonObject *root,
                 const char *name,
                 gint64      lo,
                 gint64      hi,
                 int        *out)
{
  JsonNode *node = json_object_get_member (root, name);
  gint64 v;

  if (node == NULL)
    return sim_json_fail (ctx, SIM_MDP_ERROR_PARSE, "\"%s\" is missing", name);
  if (!sim_json_node_get_int (node, &v))
    return sim_json_fail (ctx, SIM_MDP_ERROR_PARSE, "\"%s\" is not an integer", name);
  if (v < lo || v > hi)
    return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                 "\"%s\" is %" G_GINT64_FORMAT ", out of range (%" G_GINT64_FORMAT " to %"
                 G_GINT64_FORMAT ")", name, v, lo, hi);
  *out = (int) v;
  return TRUE;
}

static JsonArray *
get_array_member (SimJsonCtx *ctx,
                  JsonObject *root,
                  const char *name,
                  gboolean    required)
{
  JsonNode *node = json_object_get_member (root, name);

  if (node == NULL)
    {
      if (required)
        sim_json_fail (ctx, SIM_MDP_ERROR_PARSE, "\"%s\" is missing", name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      sim_json_fail (ctx, SIM_MDP_ERROR_PARSE, "\"%s\" is not an array", name);
      return NULL;
    }
  return json_node_get_array (node);
}

static gboolean
read_state_list (SimJsonCtx *ctx,
                 JsonArray  *array,
                 const char *name,
                 int         n_states,
                 guint8     *mask)
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      gint64 s;

      if (!sim_json_node_get_int (json_array_get_element (array, i), &s))
        return sim_json_fail (ctx, SIM_MDP_ERROR_PARSE, "%s[%u] is not an integer state", name, i);
      if (s < 0 || s >= n_states)
        return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                     "%s[%u]: state %" G_GINT64_FORMAT " is out of range (0 to %d)", name, i,
                     s, n_states - 1);
      mask[s] = 1;
    }
  return TRUE;
}

/* Dense features: "features" holds S rows of F numbers each. */
static gboolean
read_feature_rows (SimJsonCtx  *ctx,
                   JsonObject  *root,
                   int          n_states,
                   int         *n_features_out,
                   double     **phi_out)
{
  g_autofree double *phi = NULL;
  int n_features = 0;
  JsonArray *array = get_array_member (ctx, root, "features", TRUE);

  if (array == NULL)
    return FALSE;
  if (json_array_get_length (array) != (guint) n_states)
    {
      sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                     "\"features\" has %u rows (expected one per state, %d)",
                     json_array_get_length (array), n_states);
      return FALSE;
    }
  for (int s = 0; s < n_states; s++)
    {
      JsonNode *row_node = json_array_get_element (array, s);
      JsonArray *row;

      if (!JSON_NODE_HOLDS_ARRAY (row_node))
        {
          sim_json_fail (ctx, SIM_MDP_ERROR_PARSE, "features[%d] is not an array of numbers", s);
          return FALSE;
        }
      row = json_node_get_array (row_node);
      if (s == 0)
        {
          n_features = (int) json_array_get_length (row);
          if (n_features < 1 || n_features > SIM_MDP_MAX_FEATURES ||
              (gint64) n_features * n_states > SIM_MDP_MAX_PHI_VALUES)
            {
              sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                    "features[0] has %d entries (expected 1 to %d features, at most %"
                    G_GINT64_FORMAT " values in all; more are given as [s, f, value] entries "
                    "with \"n_features\")", n_features, SIM_MDP_MAX_FEATURES,
                    SIM_MDP_MAX_PHI_VALUES);
              return FALSE;
            }
          phi = g_new (double, (gsize) n_states * n_features);
        }
      if (json_array_get_length (row) != (guint) n_features)
        {
          sim_json_fail (ctx, SIM_MDP_ERROR_INVALID, "features[%d] has %u entries (expected %d, as "
                "features[0])", s, json_array_get_length (row), n_features);
          return FALSE;
        }
      for (int f = 0; f < n_features; f++)
        if (!get_finite (json_array_get_element (row, f),
                              &phi[(gsize) s * n_features + f]))
          {
            sim_json_fail (ctx, SIM_MDP_ERROR_PARSE, "features[%d][%d] is not a finite number",
                           s, f);
            return FALSE;
          }
        else if (fabs (phi[(gsize) s * n_features + f]) > SIM_MDP_MAX_FEATURE)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            sim_json_fail (ctx, SIM_MDP_ERROR_INVALID, "features[%d][%d] is %s, beyond ±%g", s, f,
                  format_exact (buf, phi[(gsize) s * n_features + f]), SIM_MDP_MAX_FEATURE);
            return FALSE;
          }
    }

  *n_features_out = n_features;
  *phi_out = g_steal_pointer (&phi);
  return TRUE;
}

/* "n_features": 0 when it is missing or null, else an integer in range. */
static gboolean
read_features_count (SimJsonCtx *ctx,
                     JsonObject *root,
                     int        *n_features)
{
  JsonNode *node = json_object_get_member (root, "n_features");

  *n_features = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return read_int_member (ctx, root, "n_features", 1, SIM_MDP_MAX_FEATURES, n_features);
}

/* Sparse features: "features" lists [s, f, value] entries, the features of each state that
 * are not 0. A repeated (s, f) is left for sim_mdp_new_sparse(), whose message names both
 * places as features[K]. */
static gboolean
read_feature_values (SimJsonCtx     *ctx,
                     JsonArray      *array,
                     int             n_states,
                     int             n_features,
                     SimMdpFeature **values_out,
                     gsize          *n_out)
{
  guint n = json_array_get_length (array);
  g_autofree SimMdpFeature *values = g_new (SimMdpFeature, MAX (n, 1));

  if ((gint64) n > SIM_MDP_MAX_PHI_VALUES)
    return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID, "\"features\" has %u entries (at most %"
                          G_GINT64_FORMAT ")", n, SIM_MDP_MAX_PHI_VALUES);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e_node = json_array_get_element (array, i);
      JsonArray *e;
      gint64 s, f;
      double v;

      if (!JSON_NODE_HOLDS_ARRAY (e_node) ||
          json_array_get_length (json_node_get_array (e_node)) != 3)
        return sim_json_fail (ctx, SIM_MDP_ERROR_PARSE,
                              "features[%u] is not an array [s, f, value]", i);
      e = json_node_get_array (e_node);
      if (!sim_json_node_get_int (json_array_get_element (e, 0), &s) ||
          !sim_json_node_get_int (json_array_get_element (e, 1), &f))
        return sim_json_fail (ctx, SIM_MDP_ERROR_PARSE,
                              "features[%u]: s and f must be integers", i);
      if (!get_finite (json_array_get_element (e, 2), &v))
        return sim_json_fail (ctx, SIM_MDP_ERROR_PARSE,
                              "features[%u]: the value is not a finite number", i);
      if (s < 0 || s >= n_states)
        return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                              "features[%u]: state %" G_GINT64_FORMAT " is out of range (0 to %d)",
                              i, s, n_states - 1);
      if (f < 0 || f >= n_features)
        return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                              "features[%u]: feature %" G_GINT64_FORMAT " is out of range (0 to "
                              "%d)", i, f, n_features - 1);
      if (fabs (v) > SIM_MDP_MAX_FEATURE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID, "features[%u]: feature %d of state "
                                "%d is %s, beyond ±%g", i, (int) f, (int) s,
                                format_exact (buf, v), SIM_MDP_MAX_FEATURE);
        }
      values[i] = (SimMdpFeature) { (int) s, (int) f, v };
    }
  *values_out = g_steal_pointer (&values);
  *n_out = n;
  return TRUE;
}

/* Counts the scan finds without a tree, checked before the parser builds one (which takes
 * some 25 bytes of memory for each byte of numbers): a large file with no trajectories or
 * the wrong number of feature rows is refused at the cost of reading it. The messages are
 * those of the checks on the tree. */
static gboolean
check_counts (SimJsonCtx         *ctx,
              const SimJsonMember *members)
{
  const SimJsonMember *states = &members[0], *features = &members[1];
  const SimJsonMember *start = &members[2], *trajectories = &members[3];
  const SimJsonMember *n_features = &members[4];
  char number[24];
  gint64 n_states;

  if (sim_json_member_is_array (trajectories) && trajectories->n_elements == 0)
    return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                 "\"trajectories\" is empty (expected at least one trajectory)");
  if (sim_json_member_is_array (start) && start->n_elements == 0)
    return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID, "\"start\" is empty (expected at least one state)");
  /* With "n_features", "features" lists non-zero values, as many as there are. */
  if (n_features->value != NULL && !g_str_has_prefix (n_features->value, "null"))
    {
      if (sim_json_member_is_array (features) &&
          (gint64) features->n_elements > SIM_MDP_MAX_PHI_VALUES)
        return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                     "\"features\" has %u entries (at most %" G_GINT64_FORMAT ")",
                     features->n_elements, SIM_MDP_MAX_PHI_VALUES);
      return TRUE;
    }
  if (states->value == NULL || states->length >= sizeof number || !sim_json_member_is_array (features))
    return TRUE;
  memcpy (number, states->value, states->length);
  number[states->length] = '\0';
  if (g_ascii_string_to_signed (number, 10, 1, SIM_MDP_MAX_STATES, &n_states, NULL) &&
      features->n_elements != (guint) n_states)
    return sim_json_fail (ctx, SIM_MDP_ERROR_INVALID,
                 "\"features\" has %u rows (expected one per state, %d)", features->n_elements,
                 (int) n_states);
  return TRUE;
}

SimMdp *
sim_mdp_parse_json_tree (const char  *text,
                         gssize       length,
                         const char  *filename,
                         GPtrArray  **trajectories,
                         GError     **error)
{
  SimJsonCtx ctx = { filename != NULL ? filename : "<input>", SIM_MDP_ERROR, error };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GPtrArray) trajs = NULL;
  g_autoptr (SimMdp) mdp = NULL;
  g_autofree SimMdpTransition *trans = NULL;
  g_autofree double *phi = NULL;
  g_autofree SimMdpFeature *values = NULL;
  gsize n_values = 0;
  g_autofree guint8 *terminal = NULL;
  g_autofree guint8 *start_mask = NULL;
  g_autofree double *start = NULL;
  JsonNode *root_node;
  JsonObject *root;
  JsonArray *array;
  JsonNode *node;
  int n_states, n_actions, n_features = 0;
  int horizon = 0;
  double discount = 1.0;
  guint n_trans;
  SimJsonMember members[] = { { .name = "states" }, { .name = "features" }, { .name = "start" },
                              { .name = "trajectories" }, { .name = "n_features" } };
  gsize end;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  if (!sim_json_check (text, length, ctx.filename, SIM_MDP_ERROR, SIM_MDP_ERROR_PARSE, members,
                       G_N_ELEMENTS (members), &end, error) ||
      !check_counts (&ctx, members) ||
      !sim_json_parse (parser, text, end, ctx.filename, SIM_MDP_ERROR, SIM_MDP_ERROR_PARSE,
                       error))
    return NULL;
  root_node = json_parser_get_root (parser);
  if (root_node == NULL)
    {
      sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "empty file (expected a JSON object)");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "expected a JSON object at the top level");
      return NULL;
    }
  root = json_node_get_object (root_node);

  if (!read_int_member (&ctx, root, "states", 1, SIM_MDP_MAX_STATES, &n_states) ||
      !read_int_member (&ctx, root, "actions", 1, SIM_MDP_MAX_ACTIONS, &n_actions))
    return NULL;

  node = json_object_get_member (root, "horizon");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      !read_int_member (&ctx, root, "horizon", 1, SIM_MDP_MAX_HORIZON, &horizon))
    return NULL;
  node = json_object_get_member (root, "discount");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!get_finite (node, &discount))
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "\"discount\" is not a number");
          return NULL;
        }
      if (!(discount > 0.0 && discount <= 1.0))
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "\"discount\" is %s (expected 0 < γ ≤ 1)",
                format_exact (buf, discount));
          return NULL;
        }
    }

  /* Features: S rows of F numbers, or with "n_features" their non-zeros, or "one-hot". */
  node = json_object_get_member (root, "features");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *name = json_node_get_string (node);

      if (strcmp (name, "one-hot") != 0)
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "\"features\" is a string other than "
                         "\"one-hot\" (expected \"one-hot\", rows of numbers, or [s, f, value] "
                         "entries with \"n_features\")");
          return NULL;
        }
      if (!read_features_count (&ctx, root, &n_features))
        return NULL;
      if (n_features == 0)
        n_features = n_states;
      if (n_features != n_states)
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "\"n_features\" is %d, but one-hot features "
                         "need one per state (%d)", n_features, n_states);
          return NULL;
        }
      values = g_new (SimMdpFeature, n_states);
      for (int s = 0; s < n_states; s++)
        values[s] = (SimMdpFeature) { s, s, 1.0 };
      n_values = n_states;
    }
  else if (!read_features_count (&ctx, root, &n_features))
    {
      return NULL;
    }
  else if (n_features > 0)
    {
      array = get_array_member (&ctx, root, "features", TRUE);
      if (array == NULL || !read_feature_values (&ctx, array, n_states, n_features, &values,
                                                 &n_values))
        return NULL;
    }
  else if (!read_feature_rows (&ctx, root, n_states, &n_features, &phi))
    {
      return NULL;
    }

  terminal = g_new0 (guint8, n_states);
  array = get_array_member (&ctx, root, "terminal", FALSE);
  if (array == NULL && json_object_has_member (root, "terminal"))
    return NULL;
  if (array != NULL && !read_state_list (&ctx, array, "terminal", n_states, terminal))
    return NULL;

  start_mask = g_new0 (guint8, n_states);
  array = get_array_member (&ctx, root, "start", TRUE);
  if (array == NULL)
    return NULL;
  if (json_array_get_length (array) == 0)
    {
      sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "\"start\" is empty (expected at least one state)");
      return NULL;
    }
  if (!read_state_list (&ctx, array, "start", n_states, start_mask))
    return NULL;
  start = g_new (double, n_states);
  for (int s = 0; s < n_states; s++)
    start[s] = start_mask[s];

  /* Transitions: [s, a, s2, p]. */
  array = get_array_member (&ctx, root, "transitions", TRUE);
  if (array == NULL)
    return NULL;
  n_trans = json_array_get_length (array);
  trans = g_new (SimMdpTransition, MAX (n_trans, 1));
  for (guint i = 0; i < n_trans; i++)
    {
      JsonNode *t_node = json_array_get_element (array, i);
      JsonArray *t;
      gint64 s, a, s2;
      double p;

      if (!JSON_NODE_HOLDS_ARRAY (t_node) ||
          json_array_get_length (json_node_get_array (t_node)) != 4)
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "transitions[%u] is not an array [s, a, s2, p]", i);
          return NULL;
        }
      t = json_node_get_array (t_node);
      if (!sim_json_node_get_int (json_array_get_element (t, 0), &s) ||
          !sim_json_node_get_int (json_array_get_element (t, 1), &a) ||
          !sim_json_node_get_int (json_array_get_element (t, 2), &s2))
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "transitions[%u]: s, a and s2 must be integers", i);
          return NULL;
        }
      if (!get_finite (json_array_get_element (t, 3), &p))
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "transitions[%u]: p is not a finite number", i);
          return NULL;
        }
      if (s < 0 || s >= n_states || s2 < 0 || s2 >= n_states)
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID,
                "transitions[%u]: state %" G_GINT64_FORMAT " is out of range (0 to %d)", i,
                (s < 0 || s >= n_states) ? s : s2, n_states - 1);
          return NULL;
        }
      if (a < 0 || a >= n_actions)
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID,
                "transitions[%u]: action %" G_GINT64_FORMAT " is out of range (0 to %d)", i,
                a, n_actions - 1);
          return NULL;
        }
      if (p < 0.0 || p > 1.0 + SIM_MDP_PROB_TOLERANCE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "transitions[%u]: probability %s is not in "
                "[0, 1]", i, format_exact (buf, p));
          return NULL;
        }
      trans[i].s = (int) s;
      trans[i].a = (int) a;
      trans[i].s2 = (int) s2;
      trans[i].p = p;
    }

  if (phi != NULL)
    mdp = sim_mdp_new (n_states, n_actions, n_features, trans, n_trans, phi, terminal, start,
                       horizon, discount, &local_error);
  else
    mdp = sim_mdp_new_sparse (n_states, n_actions, n_features, trans, n_trans, values,
                              n_values, terminal, start, horizon, discount, &local_error);
  if (mdp == NULL)
    {
      sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "%s", local_error->message);
      return NULL;
    }

  /* Trajectories: arrays of states, each a possible episode from a start state. */
  array = get_array_member (&ctx, root, "trajectories", TRUE);
  if (array == NULL)
    return NULL;
  if (json_array_get_length (array) == 0)
    {
      sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID,
            "\"trajectories\" is empty (expected at least one trajectory)");
      return NULL;
    }
  trajs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *tr_node = json_array_get_element (array, i);
      JsonArray *tr;
      g_autoptr (GArray) states = NULL;
      guint len;

      if (!JSON_NODE_HOLDS_ARRAY (tr_node))
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "trajectories[%u] is not an array of states", i);
          return NULL;
        }
      tr = json_node_get_array (tr_node);
      len = json_array_get_length (tr);
      if (len > (guint) SIM_MDP_MAX_HORIZON + 1)
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "trajectories[%u] has %u states (at most %d)", i,
                len, SIM_MDP_MAX_HORIZON + 1);
          return NULL;
        }
      states = g_array_sized_new (FALSE, FALSE, sizeof (int), len);
      for (guint t = 0; t < len; t++)
        {
          gint64 s;
          int si;

          if (!sim_json_node_get_int (json_array_get_element (tr, t), &s))
            {
              sim_json_fail (&ctx, SIM_MDP_ERROR_PARSE, "trajectories[%u], step %u: not an integer "
                    "state", i, t);
              return NULL;
            }
          si = (s < 0 || s >= n_states) ? -1 : (int) s;
          if (si < 0)
            {
              sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "trajectories[%u], step %u: state %"
                    G_GINT64_FORMAT " is out of range (0 to %d)", i, t, s, n_states - 1);
              return NULL;
            }
          g_array_append_val (states, si);
        }
      if (!sim_mdp_check_trajectory (mdp, (const int *) states->data, (int) states->len,
                                     &local_error))
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "trajectories[%u], %s", i, local_error->message);
          return NULL;
        }
      if (mdp->start[g_array_index (states, int, 0)] <= 0.0)
        {
          sim_json_fail (&ctx, SIM_MDP_ERROR_INVALID, "trajectories[%u], step 0: state %d is not a "
                "start state", i, g_array_index (states, int, 0));
          return NULL;
        }
      g_ptr_array_add (trajs, g_steal_pointer (&states));
    }

  if (trajectories != NULL)
    *trajectories = g_steal_pointer (&trajs);
  return g_steal_pointer (&mdp);
}

/* A plainly valid file is read by the streaming reader, in the memory the model keeps; any
 * other by the tree reader, which says what is wrong and where. */
SimMdp *
sim_mdp_parse_json (const char  *text,
                    gssize       length,
                    const char  *filename,
                    GPtrArray  **trajectories,
                    GError     **error)
{
  SimMdp *mdp;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  /* The text is at hand: its grammar and counts are checked first, in constant memory, so
   * that a file refused for its counts is refused before any array is filled. */
  {
    SimJsonCtx ctx = { filename != NULL ? filename : "<input>", SIM_MDP_ERROR, error };
    SimJsonMember members[] = { { .name = "states" }, { .name = "features" },
                                { .name = "start" }, { .name = "trajectories" },
                                { .name = "n_features" } };
    gsize end;

    if (!sim_json_check (text, length, ctx.filename, SIM_MDP_ERROR, SIM_MDP_ERROR_PARSE,
                         members, G_N_ELEMENTS (members), &end, error) ||
        !check_counts (&ctx, members))
      return NULL;
  }
  mdp = sim_mdp_stream_parse (text, (gsize) length, trajectories);
  if (mdp != NULL)
    return mdp;
  return sim_mdp_parse_json_tree (text, length, filename, trajectories, error);
}

SimMdp *
sim_mdp_load_json (const char  *path,
                   GPtrArray  **trajectories,
                   GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length = 0;
  SimMdp *mdp;

  g_return_val_if_fail (path != NULL, NULL);

  mdp = sim_mdp_stream_load (path, MAX_FILE_SIZE, trajectories, &local_error);
  if (mdp != NULL)
    return mdp;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  contents = sim_json_read_file (path, MAX_FILE_SIZE, "an MDP JSON file", path, SIM_MDP_ERROR,
                                 SIM_MDP_ERROR_IO, &length, error);
  if (contents == NULL)
    return NULL;
  return sim_mdp_parse_json_tree (contents, (gssize) length, path, trajectories, error);
}

/* JSON output: written by hand, as the tables can have a few hundred thousand rows. */

static void
append_double (GString *out,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, format_exact (buf, v));
}

char *
sim_mdp_to_json (const SimMdp *mdp,
                 GPtrArray    *trajectories)
{
  GString *out;
  gboolean first;

  g_return_val_if_fail (mdp != NULL, NULL);

  out = g_string_new ("{\n");
  g_string_append_printf (out, "  \"states\": %d,\n  \"actions\": %d,\n", mdp->n_states,
                          mdp->n_actions);
  g_string_append (out, "  \"discount\": ");
  append_double (out, mdp->discount);
  g_string_append (out, ",\n");
  if (mdp->horizon > 0)
    g_string_append_printf (out, "  \"horizon\": %d,\n", mdp->horizon);

  g_string_append (out, "  \"transitions\": [");
  first = TRUE;
  for (int s = 0; s < mdp->n_states; s++)
    for (int a = 0; a < mdp->n_actions; a++)
      {
        gsize r = (gsize) s * mdp->n_actions + a;
        for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
          {
            g_string_append_printf (out, "%s\n    [%d, %d, %d, ", first ? "" : ",", s, a,
                                    mdp->succ[k]);
            append_double (out, mdp->prob[k]);
            g_string_append_c (out, ']');
            first = FALSE;
          }
      }
  g_string_append (out, "\n  ],\n");
  if (mdp->phi != NULL)
    {
      /* Small: a row of every feature per state. */
      g_string_append (out, "  \"features\": [");
      for (int s = 0; s < mdp->n_states; s++)
        {
          g_string_append (out, s == 0 ? "\n    [" : ",\n    [");
          for (int f = 0; f < mdp->n_features; f++)
            {
              if (f > 0)
                g_string_append (out, ", ");
              append_double (out, mdp->phi[(gsize) s * mdp->n_features + f]);
            }
          g_string_append_c (out, ']');
        }
      g_string_append (out, "\n  ],\n");
    }
  else if (sim_mdp_is_one_hot (mdp))
    {
      g_string_append (out, "  \"features\": \"one-hot\",\n");
    }
  else
    {
      /* Large: the non-zero values, [s, f, value]. */
      g_string_append_printf (out, "  \"n_features\": %d,\n  \"features\": [",
                              mdp->n_features);
      first = TRUE;
      for (int s = 0; s < mdp->n_states; s++)
        for (int k = mdp->phi_row[s]; k < mdp->phi_row[s + 1]; k++)
          {
            g_string_append_printf (out, "%s\n    [%d, %d, ", first ? "" : ",", s,
                                    mdp->phi_col[k]);
            append_double (out, mdp->phi_val[k]);
            g_string_append_c (out, ']');
            first = FALSE;
          }
      g_string_append (out, "\n  ],\n");
    }
  g_string_append (out, "  \"terminal\": [");
  first = TRUE;
  for (int s = 0; s < mdp->n_states; s++)
    if (mdp->terminal[s])
      {
        g_string_append_printf (out, "%s%d", first ? "" : ", ", s);
        first = FALSE;
      }
  g_string_append (out, "],\n  \"start\": [");
  first = TRUE;
  for (int s = 0; s < mdp->n_states; s++)
    if (mdp->start[s] > 0.0)
      {
        g_string_append_printf (out, "%s%d", first ? "" : ", ", s);
        first = FALSE;
      }
  g_string_append (out, "],\n  \"trajectories\": [");
  if (trajectories != NULL)
    for (guint i = 0; i < trajectories->len; i++)
      {
        GArray *tr = g_ptr_array_index (trajectories, i);

        g_string_append (out, i == 0 ? "\n    [" : ",\n    [");
        for (guint t = 0; t < tr->len; t++)
          g_string_append_printf (out, "%s%d", t == 0 ? "" : ", ", g_array_index (tr, int, t));
        g_string_append_c (out, ']');
      }
  g_string_append (out, "\n  ]\n}\n");
  return g_string_free (out, FALSE);
}

gboolean
sim_mdp_save_json (const SimMdp  *mdp,
                   GPtrArray     *trajectories,
                   const char    *path,
                   GError       **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (mdp != NULL && path != NULL, FALSE);

  text = sim_mdp_to_json (mdp, trajectories);
  if (!sim_file_write (path, text, -1, &local_error))
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_IO, "%s: %s", path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
