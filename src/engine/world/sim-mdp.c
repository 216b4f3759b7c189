/* sim-mdp.c: general finite MDPs with sparse transitions and state features: the model, its
 * checks, and the MDP of a gridworld level (the file format is in sim-mdp-json.c, the icy
 * example grids of the benchmarks and tests in sim-mdp-icy.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-mdp.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim-scenario.h"

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

/* The checks of the sizes common to both builders, and the MDP they start. */
static SimMdp *
mdp_alloc (int      n_states,
           int      n_actions,
           int      n_features,
           int      horizon,
           double   discount,
           GError **error)
{
  SimMdp *mdp;

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
  if (n_features < 1 || n_features > SIM_MDP_MAX_FEATURES)
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "the number of features %d is out of range (1 to %d)", n_features,
                   SIM_MDP_MAX_FEATURES);
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
  return mdp;
}

/* Whether states × features is small enough for the dense copy of φ. */
static gboolean
keeps_dense (const SimMdp *mdp)
{
  return (gint64) mdp->n_states * mdp->n_features <= SIM_MDP_DENSE_PHI_VALUES;
}

/* φ from a dense n_states × n_features array: checked, then its non-zeros as rows (and the
 * array itself while it is small). */
static gboolean
set_dense_features (SimMdp        *mdp,
                    const double  *phi,
                    GError       **error)
{
  int nf = mdp->n_features;
  gsize n = (gsize) mdp->n_states * nf;
  gsize nnz = 0;
  gsize k = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (phi[i]))
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "feature %d of state %d is not a finite number",
                       (int) (i % nf), (int) (i / nf));
          return FALSE;
        }
      if (fabs (phi[i]) > SIM_MDP_MAX_FEATURE)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "feature %d of state %d is %g, beyond ±%g", (int) (i % nf),
                       (int) (i / nf), phi[i], SIM_MDP_MAX_FEATURE);
          return FALSE;
        }
      if (phi[i] != 0.0)
        nnz++;
    }
  mdp->phi_row = g_new (int, (gsize) mdp->n_states + 1);
  mdp->phi_col = g_new (int, MAX (nnz, 1));
  mdp->phi_val = g_new (double, MAX (nnz, 1));
  for (int s = 0; s < mdp->n_states; s++)
    {
      const double *row = phi + (gsize) s * nf;

      mdp->phi_row[s] = (int) k;
      for (int f = 0; f < nf; f++)
        if (row[f] != 0.0)
          {
            mdp->phi_col[k] = f;
            mdp->phi_val[k] = row[f];
            k++;
          }
    }
  mdp->phi_row[mdp->n_states] = (int) k;
  if (keeps_dense (mdp))
    mdp->phi = g_memdup2 (phi, sizeof (double) * n);
  return TRUE;
}

typedef struct
{
  int f;
  guint32 index;
} FeatureKey;

static int
compare_feature_key (const void *pa,
                     const void *pb)
{
  const FeatureKey *a = pa;
  const FeatureKey *b = pb;

  if (a->f != b->f)
    return a->f < b->f ? -1 : 1;
  return (a->index > b->index) - (a->index < b->index);
}

/* φ from a list of (s, f, value): checked, sorted into rows by a counting pass over the
 * states and a sort of each row by feature, repeated (s, f) refused. */
static gboolean
set_sparse_features (SimMdp               *mdp,
                     const SimMdpFeature  *features,
                     gsize                 n,
                     GError              **error)
{
  int ns = mdp->n_states;
  int nf = mdp->n_features;
  g_autofree int *start = NULL;
  g_autofree guint32 *order = NULL;
  g_autofree FeatureKey *keys = NULL;
  gsize longest = 0;
  gsize dup_second = G_MAXSIZE;
  gsize k = 0;

  if ((gint64) n > SIM_MDP_MAX_PHI_VALUES)
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "%" G_GSIZE_FORMAT " feature values are too many (at most %" G_GINT64_FORMAT
                   ")", n, SIM_MDP_MAX_PHI_VALUES);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      const SimMdpFeature *v = &features[i];

      if (v->s < 0 || v->s >= ns)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "features[%" G_GSIZE_FORMAT "]: state %d is out of range (0 to %d)", i,
                       v->s, ns - 1);
          return FALSE;
        }
      if (v->f < 0 || v->f >= nf)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "features[%" G_GSIZE_FORMAT "]: feature %d is out of range (0 to %d)", i,
                       v->f, nf - 1);
          return FALSE;
        }
      if (!isfinite (v->value))
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "features[%" G_GSIZE_FORMAT "]: feature %d of state %d is not a finite "
                       "number", i, v->f, v->s);
          return FALSE;
        }
      if (fabs (v->value) > SIM_MDP_MAX_FEATURE)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "features[%" G_GSIZE_FORMAT "]: feature %d of state %d is %g, beyond ±%g",
                       i, v->f, v->s, v->value, SIM_MDP_MAX_FEATURE);
          return FALSE;
        }
    }

  /* Entries by state, in their order within a state. */
  start = g_new0 (int, (gsize) ns + 1);
  for (gsize i = 0; i < n; i++)
    start[features[i].s + 1]++;
  for (int s = 0; s < ns; s++)
    {
      longest = MAX (longest, (gsize) start[s + 1]);
      start[s + 1] += start[s];
    }
  order = g_new (guint32, MAX (n, 1));
  {
    g_autofree int *next = g_memdup2 (start, sizeof (int) * ns);

    for (gsize i = 0; i < n; i++)
      order[next[features[i].s]++] = (guint32) i;
  }

  /* Each state's entries by feature; a feature given twice shows as neighbours. */
  keys = g_new (FeatureKey, MAX (longest, 1));
  mdp->phi_row = g_new (int, (gsize) ns + 1);
  mdp->phi_col = g_new (int, MAX (n, 1));
  mdp->phi_val = g_new (double, MAX (n, 1));
  for (int s = 0; s < ns; s++)
    {
      int m = start[s + 1] - start[s];

      for (int j = 0; j < m; j++)
        {
          keys[j].index = order[start[s] + j];
          keys[j].f = features[keys[j].index].f;
        }
      if (m > 1)
        qsort (keys, m, sizeof (FeatureKey), compare_feature_key);
      mdp->phi_row[s] = (int) k;
      for (int j = 0; j < m; j++)
        {
          const SimMdpFeature *v = &features[keys[j].index];

          if (j > 0 && keys[j].f == keys[j - 1].f)
            {
              dup_second = MIN (dup_second, (gsize) keys[j].index);
              continue;
            }
          if (v->value == 0.0)
            continue;
          mdp->phi_col[k] = v->f;
          mdp->phi_val[k] = v->value;
          k++;
        }
    }
  mdp->phi_row[ns] = (int) k;
  if (dup_second != G_MAXSIZE)
    {
      /* The first place where some (s, f) is given again, and where it was given first. */
      gsize dup_first = 0;

      for (gsize i = 0; i < n; i++)
        if (features[i].s == features[dup_second].s && features[i].f == features[dup_second].f)
          {
            dup_first = i;
            break;
          }
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "features[%" G_GSIZE_FORMAT "]: feature %d of state %d is given twice "
                   "(first at features[%" G_GSIZE_FORMAT "])", dup_second,
                   features[dup_second].f, features[dup_second].s, dup_first);
      return FALSE;
    }
  if (keeps_dense (mdp))
    mdp->phi = sim_mdp_dup_phi (mdp);
  return TRUE;
}

/* Terminal states, the start distribution and the transitions of a new MDP. */
static gboolean
set_dynamics (SimMdp                  *mdp,
              const SimMdpTransition  *transitions,
              gsize                    n_transitions,
              SimMdpTransition        *scratch,
              const guint8            *terminal,
              const double            *start,
              GError                 **error)
{
  int n_states = mdp->n_states;
  int n_actions = mdp->n_actions;
  g_autofree SimMdpTransition *copy = NULL;
  SimMdpTransition *sorted;
  gsize n_rows;
  gsize n_merged = 0;
  double start_sum = 0.0;

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
          return FALSE;
        }
      mdp->start[s] = w;
      start_sum += w;
    }
  if (!(start_sum > 0.0))
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "no start state (every start weight is 0)");
      return FALSE;
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
          return FALSE;
        }
      if (t->a < 0 || t->a >= n_actions)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "transition %" G_GSIZE_FORMAT ": action %d is out of range (0 to %d)",
                       i, t->a, n_actions - 1);
          return FALSE;
        }
      if (!isfinite (t->p) || t->p < 0.0 || t->p > 1.0 + SIM_MDP_PROB_TOLERANCE)
        {
          g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                       "transition %" G_GSIZE_FORMAT ": probability %g is not in [0, 1]",
                       i, t->p);
          return FALSE;
        }
    }
  /* The caller's own table (scratch) is sorted in place: a large one is not copied. */
  sorted = scratch;
  if (sorted == NULL)
    {
      sorted = copy = g_new (SimMdpTransition, MAX (n_transitions, 1));
      if (n_transitions > 0)
        memcpy (sorted, transitions, n_transitions * sizeof (SimMdpTransition));
    }
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
              return FALSE;
            }
          for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
            sum += mdp->prob[k];
          if (fabs (sum - 1.0) > SIM_MDP_PROB_TOLERANCE)
            {
              g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                           "state %d, action %d: the transition probabilities sum to %.9g "
                           "(expected 1)", s, a, sum);
              return FALSE;
            }
          if (!sums_to_one (sum))
            for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
              mdp->prob[k] /= sum;
          if (mdp->row[r + 1] - mdp->row[r] != 1)
            mdp->deterministic = FALSE;
        }
    }
  return TRUE;
}


/* Whether a dense φ of n_states × n_features values may be given (sizes below 1 are
 * mdp_alloc()'s to refuse). */
static gboolean
dense_fits (int      n_states,
            int      n_features,
            GError **error)
{
  if (n_states >= 1 && n_features >= 1 &&
      (n_features > SIM_MDP_MAX_FEATURES ||
       (gint64) n_states * n_features > SIM_MDP_MAX_PHI_VALUES))
    {
      g_set_error (error, SIM_MDP_ERROR, SIM_MDP_ERROR_INVALID,
                   "%d features for %d states is too many (at most %d features and %"
                   G_GINT64_FORMAT " values)", n_features, n_states, SIM_MDP_MAX_FEATURES,
                   SIM_MDP_MAX_PHI_VALUES);
      return FALSE;
    }
  return TRUE;
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

  if (!dense_fits (n_states, n_features, error))
    return NULL;
  mdp = mdp_alloc (n_states, n_actions, n_features, horizon, discount, error);
  if (mdp == NULL || !set_dense_features (mdp, phi, error) ||
      !set_dynamics (mdp, transitions, n_transitions, NULL, terminal, start, error))
    return NULL;
  return g_steal_pointer (&mdp);
}

SimMdp *
sim_mdp_new_sparse (int                      n_states,
                    int                      n_actions,
                    int                      n_features,
                    const SimMdpTransition  *transitions,
                    gsize                    n_transitions,
                    const SimMdpFeature     *features,
                    gsize                    n_values,
                    const guint8            *terminal,
                    const double            *start,
                    int                      horizon,
                    double                   discount,
                    GError                 **error)
{
  g_autoptr (SimMdp) mdp = NULL;

  g_return_val_if_fail (features != NULL || n_values == 0, NULL);

  mdp = mdp_alloc (n_states, n_actions, n_features, horizon, discount, error);
  if (mdp == NULL || !set_sparse_features (mdp, features, n_values, error) ||
      !set_dynamics (mdp, transitions, n_transitions, NULL, terminal, start, error))
    return NULL;
  return g_steal_pointer (&mdp);
}

SimMdp *
sim_mdp_new_in_place (int                  n_states,
                      int                  n_actions,
                      int                  n_features,
                      SimMdpTransition    *transitions,
                      gsize                n_transitions,
                      const double        *phi,
                      const SimMdpFeature *features,
                      gsize                n_values,
                      const guint8        *terminal,
                      const double        *start,
                      int                  horizon,
                      double               discount,
                      GError             **error)
{
  g_autoptr (SimMdp) mdp = NULL;

  g_return_val_if_fail ((phi == NULL) != (features == NULL), NULL);
  g_return_val_if_fail (transitions != NULL || n_transitions == 0, NULL);

  if (phi != NULL && !dense_fits (n_states, n_features, error))
    return NULL;
  mdp = mdp_alloc (n_states, n_actions, n_features, horizon, discount, error);
  if (mdp == NULL ||
      !(phi != NULL ? set_dense_features (mdp, phi, error)
                    : set_sparse_features (mdp, features, n_values, error)) ||
      !set_dynamics (mdp, transitions, n_transitions, n_transitions > 0 ? transitions : NULL,
                     terminal, start, error))
    return NULL;
  return g_steal_pointer (&mdp);
}

gboolean
sim_mdp_is_one_hot (const SimMdp *mdp)
{
  g_return_val_if_fail (mdp != NULL, FALSE);

  if (mdp->n_features != mdp->n_states)
    return FALSE;
  for (int s = 0; s < mdp->n_states; s++)
    if (mdp->phi_row[s + 1] - mdp->phi_row[s] != 1 || mdp->phi_col[mdp->phi_row[s]] != s ||
        mdp->phi_val[mdp->phi_row[s]] != 1.0)
      return FALSE;
  return TRUE;
}

double *
sim_mdp_dup_phi (const SimMdp *mdp)
{
  double *phi;

  g_return_val_if_fail (mdp != NULL, NULL);

  phi = g_new0 (double, (gsize) mdp->n_states * mdp->n_features);
  for (int s = 0; s < mdp->n_states; s++)
    for (int k = mdp->phi_row[s]; k < mdp->phi_row[s + 1]; k++)
      phi[(gsize) s * mdp->n_features + mdp->phi_col[k]] = mdp->phi_val[k];
  return phi;
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
      g_free (mdp->phi_row);
      g_free (mdp->phi_col);
      g_free (mdp->phi_val);
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
