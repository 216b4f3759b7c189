/* sim-mdp-stream.c: reading an MDP file piece by piece with yajl, into the arrays the model
 * keeps, without a tree of the whole text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader takes only files that are plainly valid: printable ASCII, tabs and line breaks
 * (no escapes, no other bytes), every member of the right kind, every check of the format
 * passed. On anything else it gives up without a message, and the tree reader of
 * sim-mdp-json.c reads the text again: its checks and messages (FILE:LINE:COL) stay the one
 * place that says what is wrong. A file the reader takes must give the same model and
 * trajectories as the tree reader; the fuzz target fuzz-mdp checks that on every input.
 */
#include "config.h"

#include "sim-mdp-json-private.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <yajl/yajl_parse.h>

#include "sim-json.h"

/* How much of the file is read at a time. */

typedef enum
{
  MEMBER_OTHER,
  MEMBER_STATES,
  MEMBER_ACTIONS,
  MEMBER_HORIZON,
  MEMBER_DISCOUNT,
  MEMBER_N_FEATURES,
  MEMBER_FEATURES,
  MEMBER_TERMINAL,
  MEMBER_START,
  MEMBER_TRANSITIONS,
  MEMBER_TRAJECTORIES,
} Member;

static const char *member_names[] = {
  NULL, "states", "actions", "horizon", "discount", "n_features", "features", "terminal",
  "start", "transitions", "trajectories",
};

typedef struct
{
  int depth;                /* 1 inside the top-level object */
  yajl_handle handle;
  SimJsonTail tail;         /* the text after the top-level object */
  Member member;            /* the member of the top-level object being read */
  gboolean seen[G_N_ELEMENTS (member_names)];

  /* "states", "actions", "horizon" (0: none), "discount", "n_features" (0: none). */
  gint64 states, actions, horizon, n_features;
  double discount;

  /* "features": "one-hot"; [s, f, value] entries when "n_features" came before them,
   * stored flat in values; else rows of every feature, of which only the values that are
   * not 0 are kept (in nonzeros, as the entries they stand for). */
  gboolean one_hot;
  gboolean rows;
  double *values;
  gsize n_values, values_size;
  SimMdpFeature *nonzeros;
  gsize n_nonzeros, nonzeros_size;
  gsize n_rows;
  gsize row_length;         /* of every row, known after the first */

  GArray *terminal;         /* int */
  GArray *start;            /* int */
  GArray *transitions;      /* SimMdpTransition */
  guint transitions_hint;   /* room to make for them at once (see sim_mdp_stream_load()) */
  GPtrArray *trajectories;  /* GArray of int */

  SimJsonNumber element[4];        /* the numbers of the element array being read */
  gsize n_element;
} Reader;

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->values, g_free);
  g_clear_pointer (&r->nonzeros, g_free);
  g_clear_pointer (&r->terminal, g_array_unref);
  g_clear_pointer (&r->start, g_array_unref);
  g_clear_pointer (&r->transitions, g_array_unref);
  g_clear_pointer (&r->trajectories, g_ptr_array_unref);
}

/* An integer state (or action, or count) that fits an int; range checks come at the end. */
static gboolean
number_to_index (const SimJsonNumber *n,
                 int          *out)
{
  if (!n->is_int || n->i < 0 || n->i > G_MAXINT)
    return FALSE;
  *out = (int) n->i;
  return TRUE;
}

/* A value that is not an array at the top level of a member. */
static int
on_scalar (Reader       *r,
           const SimJsonNumber *n,
           gboolean      is_null)
{
  switch (r->member)
    {
    case MEMBER_OTHER:
      return 1;
    case MEMBER_STATES:
    case MEMBER_ACTIONS:
      if (n == NULL || !n->is_int)
        return 0;
      *(r->member == MEMBER_STATES ? &r->states : &r->actions) = n->i;
      return 1;
    case MEMBER_HORIZON:
    case MEMBER_N_FEATURES:
      if (!is_null && (n == NULL || !n->is_int || n->i < 1))
        return 0;
      *(r->member == MEMBER_HORIZON ? &r->horizon : &r->n_features) = is_null ? 0 : n->i;
      return 1;
    case MEMBER_DISCOUNT:
      if (is_null)
        r->discount = 1.0;
      else if (n == NULL || !isfinite (n->d) || !(n->d > 0.0 && n->d <= 1.0))
        return 0;
      else
        r->discount = n->d;
      return 1;
    default:
      return 0;
    }
}

/* A number inside an array member: an element of "terminal" or "start" (depth 2), or a number
 * of an element array (depth 3). */
static int
on_number_in_array (Reader       *r,
                    const SimJsonNumber *n)
{
  if (r->depth == 2)
    {
      int s;

      if ((r->member != MEMBER_TERMINAL && r->member != MEMBER_START) ||
          !number_to_index (n, &s))
        return 0;
      g_array_append_val (r->member == MEMBER_TERMINAL ? r->terminal : r->start, s);
      return 1;
    }
  switch (r->member)
    {
    case MEMBER_FEATURES:
      if (!isfinite (n->d) || fabs (n->d) > SIM_MDP_MAX_FEATURE ||
          r->n_values >= (gsize) SIM_MDP_MAX_PHI_VALUES * 3)
        return 0;
      if (r->rows)
        {
          /* A -0 would be kept in the dense copy of φ: left to the tree reader. */
          if ((n->d == 0.0 && signbit (n->d)) || r->n_rows >= SIM_MDP_MAX_STATES ||
              r->n_element >= SIM_MDP_MAX_FEATURES)
            return 0;
          r->n_values++;
          if (n->d != 0.0)
            {
              if (r->n_nonzeros == r->nonzeros_size)
                {
                  r->nonzeros_size = MAX (r->nonzeros_size * 2, 1024);
                  r->nonzeros = g_renew (SimMdpFeature, r->nonzeros, r->nonzeros_size);
                }
              r->nonzeros[r->n_nonzeros++] = (SimMdpFeature) { (int) r->n_rows,
                                                               (int) r->n_element, n->d };
            }
          r->n_element++;
          return 1;
        }
      if (r->n_values == r->values_size)
        {
          r->values_size = MAX (r->values_size * 2, 1024);
          r->values = g_renew (double, r->values, r->values_size);
        }
      r->values[r->n_values++] = n->d;
      r->n_element++;
      return 1;
    case MEMBER_TRANSITIONS:
      if (r->n_element == 4)
        return 0;
      r->element[r->n_element++] = *n;
      return 1;
    case MEMBER_TRAJECTORIES:
      {
        GArray *states = g_ptr_array_index (r->trajectories, r->trajectories->len - 1);
        int s;

        if (!number_to_index (n, &s) || states->len > SIM_MDP_MAX_HORIZON)
          return 0;
        g_array_append_val (states, s);
        return 1;
      }
    default:
      return 0;
    }
}

static int
on_value (Reader       *r,
          const SimJsonNumber *n,
          gboolean      is_null)
{
  if (r->depth == 0)
    return 0;     /* The top level is not an object. */
  if (r->member == MEMBER_OTHER)
    return 1;
  if (r->depth == 1)
    return on_scalar (r, n, is_null);
  if (n == NULL)
    return 0;
  return on_number_in_array (r, n);
}

static int
cb_null (void *ctx)
{
  return on_value (ctx, NULL, TRUE);
}

static int
cb_boolean (void *ctx,
            int   value)
{
  return on_value (ctx, NULL, FALSE);
}

static int
cb_number (void       *ctx,
           const char *text,
           size_t      length)
{
  SimJsonNumber n;

  if (!sim_json_number_read (text, length, &n))
    return 0;
  return on_value (ctx, &n, FALSE);
}

static int
cb_string (void                *ctx,
           const unsigned char *text,
           size_t               length)
{
  Reader *r = ctx;

  if (r->depth == 1 && r->member == MEMBER_FEATURES)
    {
      if (length != strlen ("one-hot") || memcmp (text, "one-hot", length) != 0)
        return 0;
      r->one_hot = TRUE;
      return 1;
    }
  return on_value (r, NULL, FALSE);
}

static int
cb_map_key (void                *ctx,
            const unsigned char *key,
            size_t               length)
{
  Reader *r = ctx;

  if (r->depth != 1)
    return 1;
  r->member = MEMBER_OTHER;
  for (guint m = 1; m < G_N_ELEMENTS (member_names); m++)
    if (strlen (member_names[m]) == length && memcmp (member_names[m], key, length) == 0)
      r->member = (Member) m;
  /* The parser keeps the last of equal names: so does the reader (the test of a repeated
   * member is left to the tree reader). */
  if (r->member != MEMBER_OTHER && r->seen[r->member])
    return 0;
  r->seen[r->member] = TRUE;
  return 1;
}

static int
cb_start_map (void *ctx)
{
  Reader *r = ctx;

  if (r->depth >= SIM_JSON_MAX_DEPTH - 1)
    return 0;
  if (r->depth > 0 && r->member != MEMBER_OTHER)
    return 0;     /* No member of the format holds an object. */
  r->depth++;
  return 1;
}

static int
cb_end_map (void *ctx)
{
  Reader *r = ctx;

  r->depth--;
  if (r->depth == 0)
    sim_json_tail_end (&r->tail, yajl_get_bytes_consumed (r->handle));
  return 1;
}

static int
cb_start_array (void *ctx)
{
  Reader *r = ctx;

  if (r->depth == 0 || r->depth >= SIM_JSON_MAX_DEPTH - 1)
    return 0;
  r->depth++;
  if (r->member == MEMBER_OTHER)
    return 1;
  if (r->depth == 2)
    {
      /* The array value of a member. */
      switch (r->member)
        {
        case MEMBER_FEATURES:
          if (r->one_hot)
            return 0;
          r->rows = !(r->seen[MEMBER_N_FEATURES] && r->n_features > 0);
          return 1;
        case MEMBER_TERMINAL:
          r->terminal = g_array_new (FALSE, FALSE, sizeof (int));
          return 1;
        case MEMBER_START:
          r->start = g_array_new (FALSE, FALSE, sizeof (int));
          return 1;
        case MEMBER_TRANSITIONS:
          r->transitions = g_array_sized_new (FALSE, FALSE, sizeof (SimMdpTransition),
                                              r->transitions_hint);
          return 1;
        case MEMBER_TRAJECTORIES:
          r->trajectories = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
          return 1;
        default:
          return 0;
        }
    }
  if (r->depth == 3 && (r->member == MEMBER_FEATURES || r->member == MEMBER_TRANSITIONS ||
                        r->member == MEMBER_TRAJECTORIES))
    {
      r->n_element = 0;
      if (r->member == MEMBER_TRAJECTORIES)
        g_ptr_array_add (r->trajectories, g_array_new (FALSE, FALSE, sizeof (int)));
      return 1;
    }
  return 0;
}

static int
cb_end_array (void *ctx)
{
  Reader *r = ctx;

  r->depth--;
  /* No start state or no trajectory: refused before the rest is read. */
  if (r->depth == 1 && ((r->member == MEMBER_START && r->start->len == 0) ||
                        (r->member == MEMBER_TRAJECTORIES && r->trajectories->len == 0)))
    return 0;
  if (r->member == MEMBER_OTHER || r->depth != 2)
    return 1;
  /* The end of an element array. */
  if (r->member == MEMBER_FEATURES)
    {
      if (r->n_rows == 0)
        r->row_length = r->n_element;
      else if (r->n_element != r->row_length)
        return 0;
      r->n_rows++;
    }
  else if (r->member == MEMBER_TRANSITIONS)
    {
      const SimJsonNumber *e = r->element;
      SimMdpTransition t;

      if (r->n_element != 4 || !number_to_index (&e[0], &t.s) ||
          !number_to_index (&e[1], &t.a) || !number_to_index (&e[2], &t.s2) ||
          !isfinite (e[3].d) || e[3].d < 0.0 || e[3].d > 1.0 + SIM_MDP_PROB_TOLERANCE)
        return 0;
      t.p = e[3].d;
      g_array_append_val (r->transitions, t);
    }
  return 1;
}

static const yajl_callbacks callbacks = {
  .yajl_null = cb_null,
  .yajl_boolean = cb_boolean,
  .yajl_number = cb_number,
  .yajl_string = cb_string,
  .yajl_start_map = cb_start_map,
  .yajl_map_key = cb_map_key,
  .yajl_end_map = cb_end_map,
  .yajl_start_array = cb_start_array,
  .yajl_end_array = cb_end_array,
};

static gboolean
feed (Reader     *r,
      const char *data,
      gsize       length)
{
  gboolean escape = FALSE;

  return sim_json_plain_text (data, length, FALSE, &escape) &&
         yajl_parse (r->handle, (const unsigned char *) data, length) == yajl_status_ok &&
         sim_json_tail_check (&r->tail, data, length);
}

/* A state list's states, in range, as a mask. */
static gboolean
fill_mask (GArray *list,
           int     n_states,
           guint8 *mask)
{
  for (guint i = 0; i < list->len; i++)
    {
      int s = g_array_index (list, int, i);

      if (s >= n_states)
        return FALSE;
      mask[s] = 1;
    }
  return TRUE;
}

/* The model from what was read, with every check of the tree reader; NULL if one fails. */
static SimMdp *
reader_finish (Reader     *r,
               GPtrArray **trajectories)
{
  g_autoptr (SimMdp) mdp = NULL;
  g_autofree guint8 *terminal = NULL;
  g_autofree guint8 *start_mask = NULL;
  g_autofree double *start = NULL;
  g_autofree SimMdpFeature *entries = NULL;
  gsize n_entries = 0;
  int n_states, n_actions, n_features;

  if (!r->seen[MEMBER_STATES] || r->states < 1 || r->states > SIM_MDP_MAX_STATES ||
      !r->seen[MEMBER_ACTIONS] || r->actions < 1 || r->actions > SIM_MDP_MAX_ACTIONS ||
      r->horizon > SIM_MDP_MAX_HORIZON || r->n_features > SIM_MDP_MAX_FEATURES ||
      !r->seen[MEMBER_FEATURES] || r->start == NULL || r->start->len == 0 ||
      r->transitions == NULL || r->trajectories == NULL || r->trajectories->len == 0 ||
      (r->seen[MEMBER_TERMINAL] && r->terminal == NULL))
    return NULL;
  n_states = (int) r->states;
  n_actions = (int) r->actions;
  n_features = (int) r->n_features;

  if (r->one_hot)
    {
      if (n_features == 0)
        n_features = n_states;
      if (n_features != n_states)
        return NULL;
      entries = g_new (SimMdpFeature, n_states);
      for (int s = 0; s < n_states; s++)
        entries[s] = (SimMdpFeature) { s, s, 1.0 };
      n_entries = n_states;
    }
  else if (n_features > 0)
    {
      /* "n_features" after the entries, which were read as rows: left to the tree reader. */
      if (r->rows)
        return NULL;
      /* [s, f, value] entries, turned into SimMdpFeature in place (16 bytes where the numbers
       * took 24). */
      if ((r->n_rows > 0 && r->row_length != 3) ||
          (gint64) r->n_rows > SIM_MDP_MAX_PHI_VALUES)
        return NULL;
      n_entries = r->n_rows;
      for (gsize i = 0; i < n_entries; i++)
        {
          double s = r->values[3 * i], f = r->values[3 * i + 1], v = r->values[3 * i + 2];
          SimMdpFeature *e = (SimMdpFeature *) r->values + i;

          if (s != floor (s) || s < 0 || s >= n_states || f != floor (f) || f < 0 ||
              f >= n_features)
            return NULL;
          *e = (SimMdpFeature) { (int) s, (int) f, v };
        }
      entries = n_entries > 0 ? (SimMdpFeature *) g_steal_pointer (&r->values)
                              : g_new (SimMdpFeature, 1);
    }
  else
    {
      /* Rows of every feature: the model made from their values that are not 0 is the one
       * sim_mdp_new() makes from the rows (the same sparse rows, the same dense copy while
       * it is kept, as no value is -0). */
      n_features = (int) r->row_length;
      if (r->n_rows != (gsize) n_states || n_features < 1 ||
          n_features > SIM_MDP_MAX_FEATURES ||
          (gint64) n_features * n_states > SIM_MDP_MAX_PHI_VALUES)
        return NULL;
      n_entries = r->n_nonzeros;
      entries = n_entries > 0 ? g_steal_pointer (&r->nonzeros) : g_new (SimMdpFeature, 1);
    }

  terminal = g_new0 (guint8, n_states);
  if (r->terminal != NULL && !fill_mask (r->terminal, n_states, terminal))
    return NULL;
  start_mask = g_new0 (guint8, n_states);
  if (!fill_mask (r->start, n_states, start_mask))
    return NULL;
  start = g_new (double, n_states);
  for (int s = 0; s < n_states; s++)
    start[s] = start_mask[s];

  for (guint i = 0; i < r->transitions->len; i++)
    {
      const SimMdpTransition *t = &g_array_index (r->transitions, SimMdpTransition, i);

      if (t->s >= n_states || t->s2 >= n_states || t->a >= n_actions)
        return NULL;
    }

  mdp = sim_mdp_new_in_place (n_states, n_actions, n_features,
                              (SimMdpTransition *) r->transitions->data, r->transitions->len,
                              NULL, entries, n_entries, terminal, start, (int) r->horizon,
                              r->discount, NULL);
  if (mdp == NULL)
    return NULL;
  g_clear_pointer (&r->transitions, g_array_unref);
  g_clear_pointer (&r->values, g_free);

  for (guint i = 0; i < r->trajectories->len; i++)
    {
      GArray *states = g_ptr_array_index (r->trajectories, i);

      if (states->len == 0)
        return NULL;
      for (guint t = 0; t < states->len; t++)
        if (g_array_index (states, int, t) >= n_states)
          return NULL;
      if (!sim_mdp_check_trajectory (mdp, (const int *) states->data, (int) states->len, NULL) ||
          mdp->start[g_array_index (states, int, 0)] <= 0.0)
        return NULL;
    }
  if (trajectories != NULL)
    *trajectories = g_steal_pointer (&r->trajectories);
  return g_steal_pointer (&mdp);
}

static yajl_handle
reader_start (Reader *r)
{
  memset (r, 0, sizeof *r);
  r->discount = 1.0;
  /* yajl's defaults: no comments, one value, nothing after it (but see SimJsonTail), UTF-8
   * checked in strings. */
  r->handle = yajl_alloc (&callbacks, NULL, r);
  return r->handle;
}

static SimMdp *
reader_end (Reader      *r,
            yajl_handle  handle,
            gboolean     ok,
            GPtrArray  **trajectories)
{
  SimMdp *mdp = NULL;

  if (ok && yajl_complete_parse (handle) == yajl_status_ok && r->depth == 0)
    mdp = reader_finish (r, trajectories);
  yajl_free (handle);
  reader_clear (r);
  return mdp;
}

SimMdp *
sim_mdp_stream_parse (const char  *text,
                      gsize        length,
                      GPtrArray  **trajectories)
{
  Reader r;
  yajl_handle handle = reader_start (&r);

  return reader_end (&r, handle, feed (&r, text, length), trajectories);
}

/* The most transitions made room for before they are read: 384 MiB of table. */
#define STREAM_TRANSITIONS_HINT_MAX (16 * 1024 * 1024)

/* sim_json_feed_file()'s pieces into the parser. */
static gboolean
feed_piece (const char *data,
            gsize       length,
            gpointer    user_data)
{
  return feed (user_data, data, length);
}

SimMdp *
sim_mdp_stream_load (const char  *path,
                     gint64       max_size,
                     GPtrArray  **trajectories,
                     GError     **error)
{
  GError *local_error = NULL;
  Reader r;
  yajl_handle handle = reader_start (&r);
  GStatBuf st;
  gboolean ok;

  /* Room for as many transitions as the file can hold (each takes at least "[0,0,0,1]," in
   * the text), up to a bound, made once: growing the table by doubling would hold the old
   * and the new table at once, about three times its size, where the allocator cannot move
   * a block in place. Pages never written are never resident. */
  if (g_stat (path, &st) == 0 && st.st_size > 0)
    r.transitions_hint = (guint) MIN ((gint64) st.st_size / 10, STREAM_TRANSITIONS_HINT_MAX);

  /* A read error or a file grown past the cap stops it without an error: the tree reader's
   * reading says so. */
  ok = sim_json_feed_file (path, max_size, "an MDP JSON file", path, SIM_MDP_ERROR,
                           SIM_MDP_ERROR_IO, feed_piece, &r, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      ok = FALSE;
    }
  return reader_end (&r, handle, ok, trajectories);
}
