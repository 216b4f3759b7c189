/* sim-mdp.c: general finite MDPs with sparse transitions and state features
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-mdp.h"
#include "sim-json.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sim-file.h"
#include "sim-scenario.h"

/* A transition table may be off by rounding in a text file; anything beyond this is a bug. */
#define PROB_SUM_TOLERANCE 1e-6
/* MDP files larger than this are refused before parsing. */
#define MAX_FILE_SIZE ((gint64) 512 * 1024 * 1024)

G_DEFINE_QUARK (sim-mdp-error-quark, sim_mdp_error)

static int
compare_transition (const void *pa,
                    const void *pb)
{
  const SimMdpTransition *a = pa;
  const SimMdpTransition *b = pb;

  if (a->s != b->s)
    return a->s < b->s ? -1 : 1;
  if (a->a != b->a)
    return a->a < b->a ? -1 : 1;
  if (a->s2 != b->s2)
    return a->s2 < b->s2 ? -1 : 1;
  return 0;
}

/* Whether probabilities summing to sum are normalised already, to rounding. Those are kept as
 * they are, so that a written MDP reads back with the same numbers (dividing by a sum a few
 * units in the last place from 1 would move them a little on every round trip). */
static gboolean
sums_to_one (double sum)
{
  return fabs (sum - 1.0) <= 4 * DBL_EPSILON;
}

SimMdp *
sim_mdp_new (int                      n_states,
             int                      n_actions,
             int                      n_features,
             const SimMdpTransition  *transitions,
             gsize                    n_transitions,
             const double            *phi,
             const guint8            *terminal,
             const double            *start,
             int                      horizon,
             double                   discount,
             GError                 **error)
{
  g_autoptr (SimMdp) mdp = NULL;
  g_autofree SimMdpTransition *sorted = NULL;
  gsize n_rows;
  gsize n_merged = 0;
  double start_sum = 0.0;

  if (n_states < 1 || n_states > SIM_MDP_MAX_STATES)
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "the number of states %d is out of range (1 to %d)", n_states,
                   SIM_MDP_MAX_STATES);
      return NULL;
    }
  if (n_actions < 1 || n_actions > SIM_MDP_MAX_ACTIONS)
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "the number of actions %d is out of range (1 to %d)", n_actions,
                   SIM_MDP_MAX_ACTIONS);
      return NULL;
    }
  if (n_features < 1 || n_features > SIM_MDP_MAX_FEATURES ||
      (gint64) n_states * n_features > SIM_MDP_MAX_PHI_VALUES)
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "%d features for %d states is too many (at most %d features and %"
                   G_GINT64_FORMAT " values)", n_features, n_states, SIM_MDP_MAX_FEATURES,
                   SIM_MDP_MAX_PHI_VALUES);
      return NULL;
    }
  if (horizon < 0 || horizon > SIM_MDP_MAX_HORIZON)
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "the horizon %d is out of range (1 to %d, or 0 for none)", horizon,
                   SIM_MDP_MAX_HORIZON);
      return NULL;
    }
  if (!(discount > 0.0 && discount <= 1.0))
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "the discount %g is out of range (expected 0 < γ ≤ 1)", discount);
      return NULL;
    }

  mdp = g_new0 (SimMdp, 1);
  mdp->ref_count = 1;
  mdp->n_states = n_states;
  mdp->n_actions = n_actions;
  mdp->n_features = n_features;
  mdp->horizon = horizon;
  mdp->discount = discount;

  mdp->phi = g_new (double, (gsize) n_states * n_features);
  for (gsize i = 0; i < (gsize) n_states * n_features; i++)
    {
      if (!isfinite (phi[i]))
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "feature %d of state %d is not a finite number",
                       (int) (i % n_features), (int) (i / n_features));
          return NULL;
        }
      if (fabs (phi[i]) > SIM_MDP_MAX_FEATURE)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "feature %d of state %d is %g, beyond ±%g", (int) (i % n_features),
                       (int) (i / n_features), phi[i], SIM_MDP_MAX_FEATURE);
          return NULL;
        }
      mdp->phi[i] = phi[i];
    }
  mdp->terminal = g_new0 (guint8, n_states);
  if (terminal != NULL)
    for (int s = 0; s < n_states; s++)
      mdp->terminal[s] = terminal[s] ? 1 : 0;

  mdp->start = g_new0 (double, n_states);
  for (int s = 0; s < n_states; s++)
    {
      double w = start != NULL ? start[s] : (mdp->terminal[s] ? 0.0 : 1.0);

      if (!isfinite (w) || w < 0.0)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "the start weight of state %d is not a finite number ≥ 0", s);
          return NULL;
        }
      mdp->start[s] = w;
      start_sum += w;
    }
  if (!(start_sum > 0.0))
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "no start state (every start weight is 0)");
      return NULL;
    }
  if (!sums_to_one (start_sum))
    for (int s = 0; s < n_states; s++)
      mdp->start[s] /= start_sum;

  /* Sort by (s, a, s2) and merge repeated entries into CSR rows. */
  for (gsize i = 0; i < n_transitions; i++)
    {
      const SimMdpTransition *t = &transitions[i];

      if (t->s < 0 || t->s >= n_states || t->s2 < 0 || t->s2 >= n_states)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "transition %" G_GSIZE_FORMAT ": state %d is out of range (0 to %d)", i,
                       (t->s < 0 || t->s >= n_states) ? t->s : t->s2, n_states - 1);
          return NULL;
        }
      if (t->a < 0 || t->a >= n_actions)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "transition %" G_GSIZE_FORMAT ": action %d is out of range (0 to %d)",
                       i, t->a, n_actions - 1);
          return NULL;
        }
      if (!isfinite (t->p) || t->p < 0.0 || t->p > 1.0 + PROB_SUM_TOLERANCE)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "transition %" G_GSIZE_FORMAT ": probability %g is not in [0, 1]",
                       i, t->p);
          return NULL;
        }
    }
  sorted = g_new (SimMdpTransition, MAX (n_transitions, 1));
  if (n_transitions > 0)
    memcpy (sorted, transitions, n_transitions * sizeof (SimMdpTransition));
  qsort (sorted, n_transitions, sizeof (SimMdpTransition), compare_transition);
  /* Terminal states keep no transitions: the episode ends on entering one, so they would
   * never be used, and nothing would check that they add up. */
  for (gsize i = 0; i < n_transitions; i++)
    {
      if (sorted[i].p == 0.0 || mdp->terminal[sorted[i].s])
        continue;
      if (n_merged > 0 &&
          compare_transition (&sorted[n_merged - 1], &sorted[i]) == 0)
        sorted[n_merged - 1].p += sorted[i].p;
      else
        sorted[n_merged++] = sorted[i];
    }

  n_rows = (gsize) n_states * n_actions;
  mdp->row = g_new0 (int, n_rows + 1);
  mdp->succ = g_new (int, MAX (n_merged, 1));
  mdp->prob = g_new (double, MAX (n_merged, 1));
  for (gsize i = 0; i < n_merged; i++)
    {
      mdp->row[(gsize) sorted[i].s * n_actions + sorted[i].a + 1]++;
      mdp->succ[i] = sorted[i].s2;
      mdp->prob[i] = sorted[i].p;
    }
  for (gsize r = 0; r < n_rows; r++)
    mdp->row[r + 1] += mdp->row[r];

  mdp->deterministic = TRUE;
  for (int s = 0; s < n_states; s++)
    {
      if (mdp->terminal[s])
        continue;
      for (int a = 0; a < n_actions; a++)
        {
          gsize r = (gsize) s * n_actions + a;
          double sum = 0.0;

          if (mdp->row[r] == mdp->row[r + 1])
            {
              g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                           "state %d, action %d has no transitions (every action of a "
                           "non-terminal state needs at least one)", s, a);
              return NULL;
            }
          for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
            sum += mdp->prob[k];
          if (fabs (sum - 1.0) > PROB_SUM_TOLERANCE)
            {
              g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                           "state %d, action %d: the transition probabilities sum to %.9g "
                           "(expected 1)", s, a, sum);
              return NULL;
            }
          if (!sums_to_one (sum))
            for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
              mdp->prob[k] /= sum;
          if (mdp->row[r + 1] - mdp->row[r] != 1)
            mdp->deterministic = FALSE;
        }
    }
  return g_steal_pointer (&mdp);
}

SimMdp *
sim_mdp_new_from_level (const SimLevel *level,
                        gboolean        near_corner)
{
  int n;
  int nf;
  g_autofree SimMdpTransition *trans = NULL;
  g_autofree double *phi = NULL;
  g_autofree guint8 *terminal = NULL;
  g_autofree double *start = NULL;
  g_autoptr (GError) error = NULL;
  SimMdp *mdp;

  g_return_val_if_fail (level != NULL, NULL);

  n = level->width * level->height;
  nf = sim_features_count (level->scenario, near_corner);
  trans = g_new (SimMdpTransition, (gsize) n * SIM_N_ACTIONS);
  phi = g_new (double, (gsize) n * nf);
  terminal = g_new0 (guint8, n);
  start = g_new0 (double, n);

  for (int s = 0; s < n; s++)
    for (int a = 0; a < SIM_N_ACTIONS; a++)
      {
        SimMdpTransition *t = &trans[s * SIM_N_ACTIONS + a];

        t->s = s;
        t->a = a;
        t->s2 = sim_level_step (level, s, (SimAction) a);
        t->p = 1.0;
      }
  sim_features_compute (level, near_corner, TRUE, phi);
  for (int s = 0; s < n; s++)
    terminal[s] = sim_cell_is_terminal ((SimCell) level->cells[s]) ? 1 : 0;
  start[level->start] = 1.0;

  mdp = sim_mdp_new (n, SIM_N_ACTIONS, nf, trans, (gsize) n * SIM_N_ACTIONS, phi, terminal,
                     start, level->horizon, 1.0, &error);
  /* A valid level always makes a valid MDP. */
  if (mdp == NULL)
    g_critical ("%s: %s", G_STRFUNC, error->message);
  else
    mdp->grid_width = level->width;
  return mdp;
}

SimMdp *
sim_mdp_ref (SimMdp *mdp)
{
  g_return_val_if_fail (mdp != NULL, NULL);
  g_atomic_int_inc (&mdp->ref_count);
  return mdp;
}

void
sim_mdp_unref (SimMdp *mdp)
{
  if (mdp == NULL)
    return;
  if (g_atomic_int_dec_and_test (&mdp->ref_count))
    {
      g_free (mdp->row);
      g_free (mdp->succ);
      g_free (mdp->prob);
      g_free (mdp->phi);
      g_free (mdp->terminal);
      g_free (mdp->start);
      g_free (mdp);
    }
}

double
sim_mdp_transition_weight (const SimMdp *mdp,
                           int           s,
                           int           s2)
{
  double w = 0.0;

  g_return_val_if_fail (mdp != NULL, 0.0);
  if (s < 0 || s >= mdp->n_states || s2 < 0 || s2 >= mdp->n_states)
    return 0.0;
  for (int a = 0; a < mdp->n_actions; a++)
    {
      gsize r = (gsize) s * mdp->n_actions + a;
      for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
        if (mdp->succ[k] == s2)
          w += mdp->prob[k];
    }
  return w;
}

gboolean
sim_mdp_check_trajectory (const SimMdp  *mdp,
                          const int     *states,
                          int            length,
                          GError       **error)
{
  g_return_val_if_fail (mdp != NULL, FALSE);

  if (length < 1)
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "empty trajectory (expected at least the start state)");
      return FALSE;
    }
  if (mdp->horizon > 0 && length - 1 > mdp->horizon)
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "%d transitions exceed the horizon %d", length - 1, mdp->horizon);
      return FALSE;
    }
  for (int t = 0; t < length; t++)
    {
      int s = states[t];

      if (s < 0 || s >= mdp->n_states)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "step %d: state %d is out of range (0 to %d)", t, s,
                       mdp->n_states - 1);
          return FALSE;
        }
      if (t == 0)
        continue;
      if (mdp->terminal[states[t - 1]])
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "step %d: the trajectory continues after entering the terminal "
                       "state %d at step %d", t, states[t - 1], t - 1);
          return FALSE;
        }
      if (sim_mdp_transition_weight (mdp, states[t - 1], s) <= 0.0)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "step %d: no action leads from state %d to state %d", t,
                       states[t - 1], s);
          return FALSE;
        }
    }
  return TRUE;
}

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

typedef struct
{
  const char *filename;
  GError **error;
} Ctx;

static gboolean fail (Ctx        *ctx,
                      int         code,
                      const char *format,
                      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Ctx        *ctx,
      int         code,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  sim_json_set_error_valist (ctx->error, SIM_MDP_ERROR, code, ctx->filename, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
node_get_number (JsonNode *node,
                 double   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*out);
}

static gboolean
read_int_member (Ctx        *ctx,
                 JsonObject *root,
                 const char *name,
                 gint64      lo,
                 gint64      hi,
                 int        *out)
{
  JsonNode *node = json_object_get_member (root, name);
  gint64 v;

  if (node == NULL)
    return fail (ctx, SIM_MDP_ERROR_PARSE, "\"%s\" is missing", name);
  if (!sim_json_node_get_int (node, &v))
    return fail (ctx, SIM_MDP_ERROR_PARSE, "\"%s\" is not an integer", name);
  if (v < lo || v > hi)
    return fail (ctx, SIM_MDP_ERROR_INVALID,
                 "\"%s\" is %" G_GINT64_FORMAT ", out of range (%" G_GINT64_FORMAT " to %"
                 G_GINT64_FORMAT ")", name, v, lo, hi);
  *out = (int) v;
  return TRUE;
}

static JsonArray *
get_array_member (Ctx        *ctx,
                  JsonObject *root,
                  const char *name,
                  gboolean    required)
{
  JsonNode *node = json_object_get_member (root, name);

  if (node == NULL)
    {
      if (required)
        fail (ctx, SIM_MDP_ERROR_PARSE, "\"%s\" is missing", name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (ctx, SIM_MDP_ERROR_PARSE, "\"%s\" is not an array", name);
      return NULL;
    }
  return json_node_get_array (node);
}

static gboolean
read_state_list (Ctx        *ctx,
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
        return fail (ctx, SIM_MDP_ERROR_PARSE, "%s[%u] is not an integer state", name, i);
      if (s < 0 || s >= n_states)
        return fail (ctx, SIM_MDP_ERROR_INVALID,
                     "%s[%u]: state %" G_GINT64_FORMAT " is out of range (0 to %d)", name, i,
                     s, n_states - 1);
      mask[s] = 1;
    }
  return TRUE;
}

/* Counts the scan finds without a tree, checked before the parser builds one (which takes
 * some 25 bytes of memory for each byte of numbers): a large file with no trajectories or
 * the wrong number of feature rows is refused at the cost of reading it. The messages are
 * those of the checks on the tree. */
static gboolean
check_counts (Ctx                 *ctx,
              const SimJsonMember *members)
{
  const SimJsonMember *states = &members[0], *features = &members[1];
  const SimJsonMember *start = &members[2], *trajectories = &members[3];
  char number[24];
  gint64 n_states;

  if (sim_json_member_is_array (trajectories) && trajectories->n_elements == 0)
    return fail (ctx, SIM_MDP_ERROR_INVALID,
                 "\"trajectories\" is empty (expected at least one trajectory)");
  if (sim_json_member_is_array (start) && start->n_elements == 0)
    return fail (ctx, SIM_MDP_ERROR_INVALID, "\"start\" is empty (expected at least one state)");
  if (states->value == NULL || states->length >= sizeof number || !sim_json_member_is_array (features))
    return TRUE;
  memcpy (number, states->value, states->length);
  number[states->length] = '\0';
  if (g_ascii_string_to_signed (number, 10, 1, SIM_MDP_MAX_STATES, &n_states, NULL) &&
      features->n_elements != (guint) n_states)
    return fail (ctx, SIM_MDP_ERROR_INVALID,
                 "\"features\" has %u rows (expected one per state, %d)", features->n_elements,
                 (int) n_states);
  return TRUE;
}

SimMdp *
sim_mdp_parse_json (const char  *text,
                    gssize       length,
                    const char  *filename,
                    GPtrArray  **trajectories,
                    GError     **error)
{
  Ctx ctx = { filename != NULL ? filename : "<input>", error };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GPtrArray) trajs = NULL;
  g_autoptr (SimMdp) mdp = NULL;
  g_autofree SimMdpTransition *trans = NULL;
  g_autofree double *phi = NULL;
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
                              { .name = "trajectories" } };
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
      fail (&ctx, SIM_MDP_ERROR_PARSE, "empty file (expected a JSON object)");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      fail (&ctx, SIM_MDP_ERROR_PARSE, "expected a JSON object at the top level");
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
      if (!node_get_number (node, &discount))
        {
          fail (&ctx, SIM_MDP_ERROR_PARSE, "\"discount\" is not a number");
          return NULL;
        }
      if (!(discount > 0.0 && discount <= 1.0))
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          fail (&ctx, SIM_MDP_ERROR_INVALID, "\"discount\" is %s (expected 0 < γ ≤ 1)",
                format_exact (buf, discount));
          return NULL;
        }
    }

  /* Features: S rows of F numbers. */
  array = get_array_member (&ctx, root, "features", TRUE);
  if (array == NULL)
    return NULL;
  if (json_array_get_length (array) != (guint) n_states)
    {
      fail (&ctx, SIM_MDP_ERROR_INVALID, "\"features\" has %u rows (expected one per state, %d)",
            json_array_get_length (array), n_states);
      return NULL;
    }
  for (int s = 0; s < n_states; s++)
    {
      JsonNode *row_node = json_array_get_element (array, s);
      JsonArray *row;

      if (!JSON_NODE_HOLDS_ARRAY (row_node))
        {
          fail (&ctx, SIM_MDP_ERROR_PARSE, "features[%d] is not an array of numbers", s);
          return NULL;
        }
      row = json_node_get_array (row_node);
      if (s == 0)
        {
          n_features = (int) json_array_get_length (row);
          if (n_features < 1 || n_features > SIM_MDP_MAX_FEATURES ||
              (gint64) n_features * n_states > SIM_MDP_MAX_PHI_VALUES)
            {
              fail (&ctx, SIM_MDP_ERROR_INVALID,
                    "features[0] has %d entries (expected 1 to %d features, at most %"
                    G_GINT64_FORMAT " values in all)", n_features, SIM_MDP_MAX_FEATURES,
                    SIM_MDP_MAX_PHI_VALUES);
              return NULL;
            }
          phi = g_new (double, (gsize) n_states * n_features);
        }
      if (json_array_get_length (row) != (guint) n_features)
        {
          fail (&ctx, SIM_MDP_ERROR_INVALID, "features[%d] has %u entries (expected %d, as "
                "features[0])", s, json_array_get_length (row), n_features);
          return NULL;
        }
      for (int f = 0; f < n_features; f++)
        if (!node_get_number (json_array_get_element (row, f),
                              &phi[(gsize) s * n_features + f]))
          {
            fail (&ctx, SIM_MDP_ERROR_PARSE, "features[%d][%d] is not a finite number", s, f);
            return NULL;
          }
        else if (fabs (phi[(gsize) s * n_features + f]) > SIM_MDP_MAX_FEATURE)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            fail (&ctx, SIM_MDP_ERROR_INVALID, "features[%d][%d] is %s, beyond ±%g", s, f,
                  format_exact (buf, phi[(gsize) s * n_features + f]), SIM_MDP_MAX_FEATURE);
            return NULL;
          }
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
      fail (&ctx, SIM_MDP_ERROR_INVALID, "\"start\" is empty (expected at least one state)");
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
          fail (&ctx, SIM_MDP_ERROR_PARSE, "transitions[%u] is not an array [s, a, s2, p]", i);
          return NULL;
        }
      t = json_node_get_array (t_node);
      if (!sim_json_node_get_int (json_array_get_element (t, 0), &s) ||
          !sim_json_node_get_int (json_array_get_element (t, 1), &a) ||
          !sim_json_node_get_int (json_array_get_element (t, 2), &s2))
        {
          fail (&ctx, SIM_MDP_ERROR_PARSE, "transitions[%u]: s, a and s2 must be integers", i);
          return NULL;
        }
      if (!node_get_number (json_array_get_element (t, 3), &p))
        {
          fail (&ctx, SIM_MDP_ERROR_PARSE, "transitions[%u]: p is not a finite number", i);
          return NULL;
        }
      if (s < 0 || s >= n_states || s2 < 0 || s2 >= n_states)
        {
          fail (&ctx, SIM_MDP_ERROR_INVALID,
                "transitions[%u]: state %" G_GINT64_FORMAT " is out of range (0 to %d)", i,
                (s < 0 || s >= n_states) ? s : s2, n_states - 1);
          return NULL;
        }
      if (a < 0 || a >= n_actions)
        {
          fail (&ctx, SIM_MDP_ERROR_INVALID,
                "transitions[%u]: action %" G_GINT64_FORMAT " is out of range (0 to %d)", i,
                a, n_actions - 1);
          return NULL;
        }
      if (p < 0.0 || p > 1.0 + PROB_SUM_TOLERANCE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          fail (&ctx, SIM_MDP_ERROR_INVALID, "transitions[%u]: probability %s is not in "
                "[0, 1]", i, format_exact (buf, p));
          return NULL;
        }
      trans[i].s = (int) s;
      trans[i].a = (int) a;
      trans[i].s2 = (int) s2;
      trans[i].p = p;
    }

  mdp = sim_mdp_new (n_states, n_actions, n_features, trans, n_trans, phi, terminal, start,
                     horizon, discount, &local_error);
  if (mdp == NULL)
    {
      fail (&ctx, SIM_MDP_ERROR_INVALID, "%s", local_error->message);
      return NULL;
    }

  /* Trajectories: arrays of states, each a possible episode from a start state. */
  array = get_array_member (&ctx, root, "trajectories", TRUE);
  if (array == NULL)
    return NULL;
  if (json_array_get_length (array) == 0)
    {
      fail (&ctx, SIM_MDP_ERROR_INVALID,
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
          fail (&ctx, SIM_MDP_ERROR_PARSE, "trajectories[%u] is not an array of states", i);
          return NULL;
        }
      tr = json_node_get_array (tr_node);
      len = json_array_get_length (tr);
      if (len > (guint) SIM_MDP_MAX_HORIZON + 1)
        {
          fail (&ctx, SIM_MDP_ERROR_INVALID, "trajectories[%u] has %u states (at most %d)", i,
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
              fail (&ctx, SIM_MDP_ERROR_PARSE, "trajectories[%u], step %u: not an integer "
                    "state", i, t);
              return NULL;
            }
          si = (s < 0 || s >= n_states) ? -1 : (int) s;
          if (si < 0)
            {
              fail (&ctx, SIM_MDP_ERROR_INVALID, "trajectories[%u], step %u: state %"
                    G_GINT64_FORMAT " is out of range (0 to %d)", i, t, s, n_states - 1);
              return NULL;
            }
          g_array_append_val (states, si);
        }
      if (!sim_mdp_check_trajectory (mdp, (const int *) states->data, (int) states->len,
                                     &local_error))
        {
          fail (&ctx, SIM_MDP_ERROR_INVALID, "trajectories[%u], %s", i, local_error->message);
          return NULL;
        }
      if (mdp->start[g_array_index (states, int, 0)] <= 0.0)
        {
          fail (&ctx, SIM_MDP_ERROR_INVALID, "trajectories[%u], step 0: state %d is not a "
                "start state", i, g_array_index (states, int, 0));
          return NULL;
        }
      g_ptr_array_add (trajs, g_steal_pointer (&states));
    }

  if (trajectories != NULL)
    *trajectories = g_steal_pointer (&trajs);
  return g_steal_pointer (&mdp);
}

SimMdp *
sim_mdp_load_json (const char  *path,
                   GPtrArray  **trajectories,
                   GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  contents = sim_json_read_file (path, MAX_FILE_SIZE, "an MDP JSON file", path, SIM_MDP_ERROR,
                                 SIM_MDP_ERROR_IO, &length, error);
  if (contents == NULL)
    return NULL;
  return sim_mdp_parse_json (contents, (gssize) length, path, trajectories, error);
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
  g_string_append (out, "\n  ],\n  \"features\": [");
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
  g_string_append (out, "\n  ],\n  \"terminal\": [");
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

/* The icy gridworld. */

static const int icy_dx[4] = { 1, -1, 0, 0 };
static const int icy_dy[4] = { 0, 0, 1, -1 };

static int
icy_move (int size,
          int s,
          int a)
{
  int x = s % size + icy_dx[a];
  int y = s / size + icy_dy[a];

  if (x < 0 || x >= size || y < 0 || y >= size)
    return s;
  return y * size + x;
}

SimMdp *
sim_mdp_new_icy (int      size,
                 double   slip,
                 gboolean one_hot,
                 int      horizon,
                 double   discount,
                 double  *true_reward)
{
  int n;
  int nf;
  int goal, bonus;
  g_autofree SimMdpTransition *trans = NULL;
  g_autofree double *phi = NULL;
  g_autofree guint8 *terminal = NULL;
  g_autofree double *start = NULL;
  g_autoptr (GError) error = NULL;
  gsize m = 0;
  SimMdp *mdp;

  g_return_val_if_fail (size >= 2 && size <= 2048, NULL);
  g_return_val_if_fail (slip >= 0.0 && slip <= 1.0, NULL);

  n = size * size;
  nf = one_hot ? n : 4;
  g_return_val_if_fail ((gint64) n * nf <= SIM_MDP_MAX_PHI_VALUES, NULL);
  goal = n - 1;
  bonus = (size / 5) * size + (3 * size) / 5;

  trans = g_new (SimMdpTransition, (gsize) n * 4 * 5);
  for (int s = 0; s < n; s++)
    for (int a = 0; a < 4; a++)
      {
        /* The intended move with 1 − slip, and slip spread over the four directions. */
        trans[m++] = (SimMdpTransition) { s, a, icy_move (size, s, a), 1.0 - slip };
        for (int d = 0; d < 4; d++)
          trans[m++] = (SimMdpTransition) { s, a, icy_move (size, s, d), slip / 4.0 };
      }

  phi = g_new0 (double, (gsize) n * nf);
  for (int s = 0; s < n; s++)
    {
      double *f = phi + (gsize) s * nf;

      if (one_hot)
        {
          f[s] = 1.0;
        }
      else
        {
          f[0] = s == goal ? 1.0 : 0.0;
          f[1] = s == bonus ? 1.0 : 0.0;
          f[2] = (double) (s % size) / (size - 1);
          f[3] = (double) (s / size) / (size - 1);
        }
      if (true_reward != NULL)
        true_reward[s] = s == goal ? 1.0 : s == bonus ? 0.65 : 0.0;
    }
  terminal = g_new0 (guint8, n);
  terminal[goal] = 1;
  start = g_new0 (double, n);
  start[0] = 1.0;

  mdp = sim_mdp_new (n, 4, nf, trans, m, phi, terminal, start, horizon, discount, &error);
  if (mdp == NULL)
    g_critical ("%s: %s", G_STRFUNC, error->message);
  return mdp;
}

GPtrArray *
sim_mdp_icy_demos (const SimMdp *mdp,
                   const double *true_reward,
                   double        gamma,
                   double        weight,
                   int           n,
                   int           max_steps,
                   gsl_rng      *rng)
{
  int ns, na, size;
  g_autofree double *v = NULL;
  g_autofree double *u = NULL;
  g_autofree double *q = NULL;
  GPtrArray *demos;

  g_return_val_if_fail (mdp != NULL && true_reward != NULL && rng != NULL, NULL);
  g_return_val_if_fail (mdp->n_actions == 4, NULL);
  g_return_val_if_fail (gamma > 0.0 && gamma < 1.0, NULL);

  ns = mdp->n_states;
  na = mdp->n_actions;
  size = (int) lround (sqrt ((double) ns));
  g_return_val_if_fail (size * size == ns, NULL);

  /* Value iteration: U(s') = r(s') + γ (1 − term(s')) V(s'), V(s) = max_a Σ P U. */
  v = g_new0 (double, ns);
  u = g_new0 (double, ns);
  q = g_new0 (double, (gsize) ns * na);
  for (int it = 0; it < 100000; it++)
    {
      double change = 0.0;

      for (int s = 0; s < ns; s++)
        u[s] = true_reward[s] + (mdp->terminal[s] ? 0.0 : gamma * v[s]);
      for (int s = 0; s < ns; s++)
        {
          double best = -G_MAXDOUBLE;

          if (mdp->terminal[s])
            continue;
          for (int a = 0; a < na; a++)
            {
              gsize r = (gsize) s * na + a;
              double sum = 0.0;

              for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
                sum += mdp->prob[k] * u[mdp->succ[k]];
              q[r] = sum;
              best = MAX (best, sum);
            }
          change = MAX (change, fabs (best - v[s]));
          v[s] = best;
        }
      /* Values travel one cell per sweep: give them the whole grid before stopping. */
      if (change < 1e-13 && it >= 4 * size)
        break;
    }
  for (int s = 0; s < ns; s++)
    u[s] = true_reward[s] + (mdp->terminal[s] ? 0.0 : gamma * v[s]);

  demos = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (int i = 0; i < n; i++)
    {
      GArray *tr = g_array_new (FALSE, FALSE, sizeof (int));
      int s = 0;

      for (int t0 = 0; t0 < ns; t0++)
        if (mdp->start[t0] > 0.0)
          {
            s = t0;
            break;
          }
      g_array_append_val (tr, s);
      for (int t = 0; t < max_steps && !mdp->terminal[s]; t++)
        {
          int a = 0;
          double acc = 0.0, pick;
          gsize r;

          if (weight > 0.0)
            {
              double w[4], sum = 0.0, top = -G_MAXDOUBLE;

              for (int b = 0; b < 4; b++)
                top = MAX (top, u[icy_move (size, s, b)]);
              for (int b = 0; b < 4; b++)
                {
                  w[b] = exp (weight * (u[icy_move (size, s, b)] - top));
                  sum += w[b];
                }
              pick = gsl_rng_uniform (rng) * sum;
              for (a = 0; a < 3; a++)
                {
                  acc += w[a];
                  if (pick < acc)
                    break;
                }
            }
          else
            {
              for (int b = 1; b < 4; b++)
                if (q[(gsize) s * na + b] > q[(gsize) s * na + a] + 1e-12 * fabs (q[(gsize) s * na + a]))
                  a = b;
            }

          r = (gsize) s * na + a;
          pick = gsl_rng_uniform (rng);
          acc = 0.0;
          {
            int k;
            for (k = mdp->row[r]; k < mdp->row[r + 1] - 1; k++)
              {
                acc += mdp->prob[k];
                if (pick < acc)
                  break;
              }
            s = mdp->succ[k];
          }
          g_array_append_val (tr, s);
        }
      g_ptr_array_add (demos, tr);
    }
  return demos;
}
