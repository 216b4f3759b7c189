/* sim-irl.c: maximum-entropy inverse reinforcement learning on finite MDPs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Notation (see sim-irl.h): u_t(s') = r(s') + γ (1 − term(s')) V_{t+1}(s') is the value of
 * entering s' at step t. Everything runs in log space: V is a log-sum-exp, and every exp()
 * takes an argument ≤ 0. For the paths recursion (which deterministic MDPs share) one shift
 * m_t = max u_t per time step lets each state's log-sum reuse e(s') = exp(u_t(s') − m_t);
 * a state whose sum would lose precision (below e^LOG_FLOOR) is redone with its own maximum.
 *
 * The gradient of log P(τ) is a sum of empirical feature terms and of terms ±G_t(s), where
 * G_t(s) = ∇θ V_t(s) are the expected future feature counts. Σ c_t(s) G_t(s) for any signed
 * weights c ("injections": −1 at each demonstration's start, and for prefixes or stochastic
 * steps the other terms) is one forward pass that starts from c. So one backward and one
 * forward pass per MDP give the exact objective and gradient for all its demonstrations.
 */
#include "config.h"

#include "sim-irl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

/* Log-sums below this are redone with a per-state shift (e^-600 ≈ 1e-261, far from the
 * denormal range). */
#define LOG_FLOOR (-600.0)
/* log 0 for "no path left", kept finite so that sums and differences stay defined. */
#define IMPOSSIBLE (-1e300)
/* Each workspace array holds at most this many doubles (512 MiB). */
#define MAX_ARRAY_DOUBLES ((gint64) 1 << 26)
/* Stationary passes stop when the change is below this (relative), or after MAX_SWEEPS. */
#define STATIONARY_TOLERANCE 1e-16
#define MAX_SWEEPS 1000000
/* sim_irl_set_checkpoint (-1): finite-horizon passes keep every time step up to this many
 * values per array (512 KiB). */
#define CK_AUTO_DOUBLES ((gint64) 1 << 16)

G_DEFINE_QUARK (sim-irl-error-quark, sim_irl_error)

typedef struct
{
  int offset;   /* into Task.states */
  int length;   /* states, start included */
} Traj;

/* One distinct demonstration step s → s2 at time t (t = 0 for stationary tasks), with the
 * number of times the demonstrations take it. */
typedef struct
{
  int t;
  int s;
  int s2;
  double count;
} Step;

/* One contribution to the injections (see set_injections()): value v at (t, s), made as the
 * order-th. */
typedef struct
{
  int t;
  int s;
  guint order;
  double v;
} Injection;

typedef struct
{
  SimMdp *mdp;
  GArray *trajs;        /* Traj */
  GArray *states;       /* int: every demonstration's states, back to back */
  double log_weight;    /* Σ over demonstration steps of log Σ_a P(s'|s,a) */
  int max_steps;        /* longest demonstration, in transitions */

  /* Set by prepare(). */
  gboolean prepared;
  int T;                /* time steps; 0 = stationary (γ < 1, no horizon) */
  gboolean paths;       /* the paths recursion applies (model PATHS, or deterministic) */
  gboolean terminating; /* only paths that end on a terminal state (γ = 1, no horizon) */
  GArray *steps;        /* Step, built from the demonstrations on demand */
  gboolean steps_ready;
  gboolean static_ready;/* C and wdata hold the θ-independent demonstration terms */
  gboolean v_warm;      /* stationary V holds a previous solution */
  guint8 *enterable;    /* n_states: a successor of some non-terminal state */
  double *r;            /* n_states: θ·φ(s) */
  double *V;            /* (T + 1) * n_states, n_states when stationary, NULL when
                         * checkpointed (ck_Z below) */
  double *M;            /* T shifts (1 when stationary) */
  double *C;            /* n_states: the injections of the first step (all of them when
                         * stationary); later steps' are the lists inj_row … */
  double *u;            /* scratch, n_states */
  double *e;
  double *D;
  double *Dn;
  double *rho;          /* arrivals: Σ_t flow into s' */
  double *Vtmp;         /* stationary sweeps */
  double *wdata;        /* n_states: weight of each arrival state in the empirical term */
  gboolean can_fast;    /* the exp-domain recursion applies (paths, γ = 1, finite T) */
  gboolean fast;        /* the last backward pass used it: V holds Z_t = exp (V_t − M_t) */
  double *w;            /* n_states: exp (r(s) − r_max) on enterable states */
  double *alpha;        /* T: e_t(s') = w(s') α_t Z_{t+1}(s') for non-terminal s' */
  double *beta;         /* T: e_t(s') = w(s') β_t for terminal s' */
  guint8 *relevant;     /* n_states: can carry mass (enterable or a start state) */
  /* Deterministic MDPs: the successor table and the state lists the fast loops walk. */
  int *next;            /* n_states * n_actions */
  int *active;          /* relevant non-terminal states */
  int n_active;
  int *entered;         /* enterable states */
  int n_entered;
  double *keep;         /* n_states: γ (1 − term(s)), the share of arriving mass that stays */
  /* The paths recursion sees the actions only through W(s, s') = Σ_a P(s'|s,a): its
   * successor lists, one entry per distinct successor, succ_w[w_row[s] … w_row[s + 1]). */
  int *w_row;           /* n_states + 1 */
  int *w_succ;
  double *w_prob;
  int *to_end;          /* terminating fast passes: the fewest steps from s to a terminal
                         * state with positive probability (G_MAXINT when there is no way) */
  /* Gridworld MDPs (grid_width W): every successor is s + off[a] or s itself. Arrays with
   * a border of pad = W + 1 zeros on each side, so that shifted reads stay in bounds. */
  gboolean grid;
  int pad;
  double *e_mem;        /* e with its border */
  double *q_mem;        /* D / Z with its border, and the next step's */
  double *qn_mem;
  double *E_mem;        /* fast passes: e_t for every t, rows of e_stride with borders */
  gsize e_stride;
  /* Checkpointed finite-horizon passes (ck > 0): instead of the rows of every t (Z_t and
   * e_t of the exp-domain passes, V_t of the log-domain ones), only Z or V at t = 0, ck,
   * 2 ck, … and T (ck_Z) and the rows of one segment [a, a + ck) (seg_Z, seg_E), recomputed
   * from the checkpoint above it when a reader needs another segment. The recomputation
   * repeats the backward pass's arithmetic with its stored shifts, so the rows are the same
   * numbers. Memory is O(S √T) instead of O(S T). */
  int ck;
  int n_ck;
  double *ck_Z;
  double *seg_Z;        /* ck rows of n_states: Z_t at index t − a (index 0 unused) */
  double *seg_E;        /* ck rows of e_stride */
  int seg;              /* a of the segment seg_Z and seg_E hold, or −1 */
  int ck_variant;       /* which fast pass filled them (FAST_GRID …) */
  double *inj_ll;       /* T + 1: Σ_k inj_v V_t(inj_s) per step, from the fast passes */
  gboolean inj_ll_ready;
  double *q;
  double *move_mem[4];  /* 1 where the move up, down, left, right from s succeeds */
  double *move[4];
  double *self_moves;   /* n_states: how many actions leave s where it is */
  /* Stochastic MDPs whose successors are all s, s ± 1 and s ± B for one band width B (icy
   * grids): W(s, ·) as five shifted arrays with borders of pad = B + 1 zeros, in the order
   * s, s + B, s − B, s + 1, s − 1, zero for terminal s. */
  int band;
  double *band_mem[5];
  double *band_w[5];
  double *w_term;       /* n_states: w on terminal states, 0 elsewhere */
  double *w_non;        /* n_states: w on non-terminal states, 0 elsewhere */
  guint8 *active_flags; /* n_states: 1 on active states */
  /* The static injections of C as a list by time step: entries inj_row[t] … inj_row[t + 1]. */
  int *inj_row;
  int *inj_s;
  double *inj_v;
  GArray *inj_list;     /* Injection: the causal recursion's, as demo_terms() makes them */
  double *solved;       /* n_features: the θ that V holds, when solved_valid */
  gboolean solved_valid;
} Task;

struct _SimIrl
{
  int n_features;
  SimIrlModel model;
  GPtrArray *tasks;     /* Task */
  int n_trajectories;
  double *counts;       /* scratch, n_features */

  /* The last evaluation, reused when the solver asks again at the same θ. */
  double *cache_theta;
  double *cache_grad;
  double cache_f;
  double cache_l2;
  gboolean cache_valid;
  gboolean cache_has_grad;
  int n_evaluations;
  SimIrlProgressFunc progress;  /* called after each evaluation, or NULL */
  gpointer progress_data;

  /* The Hessian of the last sim_irl_uncertainty(): the first preconditioner of the next
   * solve, which is usually warm-started near it. */
  gsl_matrix *hessian;
  gboolean hessian_valid;
  gboolean safe;        /* never the exp-domain recursion */
  int checkpoint;       /* see sim_irl_set_checkpoint() */
  guint64 n_fast;
  guint64 n_fallbacks;
};

static void
task_free_work (Task *task)
{
  g_clear_pointer (&task->enterable, g_free);
  g_clear_pointer (&task->r, g_free);
  g_clear_pointer (&task->V, g_free);
  g_clear_pointer (&task->M, g_free);
  g_clear_pointer (&task->C, g_free);
  g_clear_pointer (&task->u, g_free);
  g_clear_pointer (&task->e_mem, g_free);
  task->e = NULL;
  g_clear_pointer (&task->q_mem, g_free);
  g_clear_pointer (&task->qn_mem, g_free);
  g_clear_pointer (&task->E_mem, g_free);
  g_clear_pointer (&task->ck_Z, g_free);
  g_clear_pointer (&task->seg_Z, g_free);
  g_clear_pointer (&task->seg_E, g_free);
  g_clear_pointer (&task->inj_ll, g_free);
  task->ck = 0;
  task->seg = -1;
  task->inj_ll_ready = FALSE;
  task->q = NULL;
  for (int d = 0; d < 4; d++)
    {
      g_clear_pointer (&task->move_mem[d], g_free);
      task->move[d] = NULL;
    }
  g_clear_pointer (&task->self_moves, g_free);
  g_clear_pointer (&task->w_term, g_free);
  g_clear_pointer (&task->w_non, g_free);
  g_clear_pointer (&task->active_flags, g_free);
  g_clear_pointer (&task->inj_row, g_free);
  g_clear_pointer (&task->inj_s, g_free);
  g_clear_pointer (&task->inj_v, g_free);
  g_clear_pointer (&task->inj_list, g_array_unref);
  task->grid = FALSE;
  for (int d = 0; d < 5; d++)
    {
      g_clear_pointer (&task->band_mem[d], g_free);
      task->band_w[d] = NULL;
    }
  task->band = 0;
  g_clear_pointer (&task->D, g_free);
  g_clear_pointer (&task->Dn, g_free);
  g_clear_pointer (&task->rho, g_free);
  g_clear_pointer (&task->Vtmp, g_free);
  g_clear_pointer (&task->wdata, g_free);
  g_clear_pointer (&task->w, g_free);
  g_clear_pointer (&task->alpha, g_free);
  g_clear_pointer (&task->beta, g_free);
  g_clear_pointer (&task->relevant, g_free);
  g_clear_pointer (&task->next, g_free);
  g_clear_pointer (&task->active, g_free);
  g_clear_pointer (&task->entered, g_free);
  g_clear_pointer (&task->keep, g_free);
  g_clear_pointer (&task->to_end, g_free);
  g_clear_pointer (&task->w_row, g_free);
  g_clear_pointer (&task->w_succ, g_free);
  g_clear_pointer (&task->w_prob, g_free);
  g_clear_pointer (&task->solved, g_free);
  task->solved_valid = FALSE;
  task->prepared = FALSE;
  task->static_ready = FALSE;
  task->v_warm = FALSE;
}

static void
task_free (gpointer data)
{
  Task *task = data;

  task_free_work (task);
  g_array_unref (task->trajs);
  g_array_unref (task->states);
  g_array_unref (task->steps);
  sim_mdp_unref (task->mdp);
  g_free (task);
}

void
sim_irl_options_init (SimIrlOptions *options)
{
  g_return_if_fail (options != NULL);
  options->l2 = 1e-3;
  options->gradient_tolerance = 1e-5;
  options->max_iterations = 500;
  options->step_size = 1.0;
  options->uncertainty = FALSE;
}

SimIrl *
sim_irl_new (int         n_features,
             SimIrlModel model)
{
  SimIrl *self;

  g_return_val_if_fail (n_features >= 1 && n_features <= SIM_MDP_MAX_FEATURES, NULL);

  self = g_new0 (SimIrl, 1);
  self->n_features = n_features;
  self->model = model;
  self->tasks = g_ptr_array_new_with_free_func (task_free);
  self->counts = g_new0 (double, n_features);
  self->cache_theta = g_new0 (double, n_features);
  self->cache_grad = g_new0 (double, n_features);
  self->checkpoint = -1;
  return self;
}

void
sim_irl_free (SimIrl *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->tasks);
  g_free (self->counts);
  g_free (self->cache_theta);
  g_free (self->cache_grad);
  if (self->hessian != NULL)
    gsl_matrix_free (self->hessian);
  g_free (self);
}

SimIrlModel
sim_irl_get_model (SimIrl *self)
{
  return self->model;
}

int
sim_irl_get_n_features (SimIrl *self)
{
  return self->n_features;
}

/* The workspaces depend on the settings: forget every result and allocate them again. */
static void
reallocate (SimIrl *self)
{
  self->cache_valid = FALSE;
  for (guint i = 0; i < self->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (self->tasks, i);
      task->solved_valid = FALSE;
      task->prepared = FALSE;
    }
}

void
sim_irl_set_safe_mode (SimIrl   *self,
                       gboolean  safe)
{
  g_return_if_fail (self != NULL);
  self->safe = safe;
  reallocate (self);
}

void
sim_irl_set_progress (SimIrl             *self,
                      SimIrlProgressFunc  func,
                      gpointer            user_data)
{
  g_return_if_fail (self != NULL);
  self->progress = func;
  self->progress_data = user_data;
}

void
sim_irl_set_checkpoint (SimIrl *self,
                        int     k)
{
  g_return_if_fail (self != NULL);
  self->checkpoint = k;
  reallocate (self);
}

void
sim_irl_get_fast_counts (SimIrl  *self,
                         guint64 *n_fast,
                         guint64 *n_fallbacks)
{
  g_return_if_fail (self != NULL);
  if (n_fast != NULL)
    *n_fast = self->n_fast;
  if (n_fallbacks != NULL)
    *n_fallbacks = self->n_fallbacks;
}

int
sim_irl_add_mdp (SimIrl *self,
                 SimMdp *mdp)
{
  Task *task;

  g_return_val_if_fail (self != NULL && mdp != NULL, -1);
  g_return_val_if_fail (mdp->n_features == self->n_features, -1);

  task = g_new0 (Task, 1);
  task->mdp = sim_mdp_ref (mdp);
  task->trajs = g_array_new (FALSE, FALSE, sizeof (Traj));
  task->states = g_array_new (FALSE, FALSE, sizeof (int));
  task->steps = g_array_new (FALSE, FALSE, sizeof (Step));
  g_ptr_array_add (self->tasks, task);
  self->cache_valid = FALSE;
  return (int) self->tasks->len - 1;
}

gboolean
sim_irl_add_trajectory (SimIrl     *self,
                        int         mdp_index,
                        const int  *states,
                        int         length,
                        GError    **error)
{
  Task *task;
  Traj tr;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (mdp_index >= 0 && (guint) mdp_index < self->tasks->len, FALSE);

  task = g_ptr_array_index (self->tasks, mdp_index);
  if (length < 1 || states == NULL)
    {
      g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID,
                   "empty trajectory (expected at least the start state)");
      return FALSE;
    }
  if (!sim_mdp_check_trajectory (task->mdp, states, length, &local_error))
    {
      g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID, "%s", local_error->message);
      return FALSE;
    }

  /* The workspaces cover the states reachable from those seen so far. */
  if (task->prepared)
    for (int t = 0; t < length; t++)
      if (!task->relevant[states[t]])
        {
          task->prepared = FALSE;
          break;
        }
  tr.offset = (int) task->states->len;
  tr.length = length;
  g_array_append_vals (task->states, states, length);
  g_array_append_val (task->trajs, tr);
  for (int t = 0; t + 1 < length; t++)
    task->log_weight += log (sim_mdp_transition_weight (task->mdp, states[t], states[t + 1]));
  if (length - 1 > task->max_steps)
    {
      task->max_steps = length - 1;
      /* Without a horizon and discount the horizon follows the longest demonstration. */
      if (task->mdp->horizon == 0 && task->mdp->discount >= 1.0)
        task->prepared = FALSE;
    }
  task->static_ready = FALSE;
  task->steps_ready = FALSE;
  self->n_trajectories++;
  self->cache_valid = FALSE;
  return TRUE;
}

void
sim_irl_clear_trajectories (SimIrl *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (self->tasks, i);

      g_array_set_size (task->trajs, 0);
      g_array_set_size (task->states, 0);
      task->log_weight = 0.0;
      task->static_ready = FALSE;
      task->steps_ready = FALSE;
      if (task->max_steps > 0 && task->mdp->horizon == 0 && task->mdp->discount >= 1.0)
        task->prepared = FALSE;
      task->max_steps = 0;
    }
  self->n_trajectories = 0;
  self->cache_valid = FALSE;
}

int
sim_irl_get_n_trajectories (SimIrl *self)
{
  return self->n_trajectories;
}

/* Checks whether every move of a deterministic MDP with a grid width is s + off[a] or s, and
 * if so builds the arrays of the shifted-array passes. */
static void
setup_grid (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  int na = mdp->n_actions;
  int W = mdp->grid_width;
  int off[4];

  if (W <= 0 || task->pad != W + 1 || !task->can_fast || task->terminating)
    return;
  off[0] = W;
  off[1] = -W;
  off[2] = -1;
  off[3] = 1;
  for (int d = 0; d < 4; d++)
    {
      task->move_mem[d] = g_new0 (double, (gsize) ns + 2 * task->pad);
      task->move[d] = task->move_mem[d] + task->pad;
    }
  task->self_moves = g_new0 (double, ns);
  for (int s = 0; s < ns; s++)
    {
      if (mdp->terminal[s])
        continue;
      for (int a = 0; a < na; a++)
        {
          int s2 = task->next[(gsize) s * na + a];
          int d;

          if (s2 == s)
            {
              task->self_moves[s] += 1.0;
              continue;
            }
          for (d = 0; d < 4; d++)
            if (s2 == s + off[d] && task->move[d][s] == 0.0)
              break;
          if (d == 4)
            {
              /* Not a grid after all (or two actions with the same move): lists only. */
              for (int k = 0; k < 4; k++)
                {
                  g_clear_pointer (&task->move_mem[k], g_free);
                  task->move[k] = NULL;
                }
              g_clear_pointer (&task->self_moves, g_free);
              return;
            }
          task->move[d][s] = 1.0;
        }
    }
  /* The passes read the up and down neighbours without a mask: a blocked vertical move must
   * point at a cell nobody enters (a wall) or off the grid. */
  for (int s = 0; s < ns; s++)
    {
      gboolean bad = FALSE;

      if (mdp->terminal[s])
        continue;
      if (task->move[0][s] == 0.0 && s + W < ns && task->enterable[s + W])
        bad = TRUE;
      if (task->move[1][s] == 0.0 && s - W >= 0 && task->enterable[s - W])
        bad = TRUE;
      if (bad)
        {
          for (int k = 0; k < 4; k++)
            {
              g_clear_pointer (&task->move_mem[k], g_free);
              task->move[k] = NULL;
            }
          g_clear_pointer (&task->self_moves, g_free);
          return;
        }
    }
  task->q_mem = g_new0 (double, (gsize) ns + 2 * task->pad);
  task->qn_mem = g_new0 (double, (gsize) ns + 2 * task->pad);
  task->q = task->q_mem + task->pad;
  task->w_term = g_new0 (double, ns);
  task->w_non = g_new0 (double, ns);
  task->active_flags = g_new0 (guint8, ns);
  for (int i = 0; i < task->n_active; i++)
    task->active_flags[task->active[i]] = 1;
  task->grid = TRUE;
}

/* The fewest steps from each state to a terminal state, by a breadth-first search backwards
 * from the terminal states. With only terminating paths counted, Z_t(s) is exactly 0 when
 * to_end(s) > T − t (no path is left), and positive otherwise. */
/* The band width B when every transition of the stochastic MDP moves by 0, ±1 or ±B (B > 1),
 * else 0. */
static int
detect_band (const SimMdp *mdp)
{
  int band = 0;

  for (int s = 0; s < mdp->n_states; s++)
    {
      if (mdp->terminal[s])
        continue;
      for (int k = mdp->row[(gsize) s * mdp->n_actions];
           k < mdp->row[(gsize) (s + 1) * mdp->n_actions]; k++)
        {
          int off = abs (mdp->succ[k] - s);

          if (off <= 1 || mdp->prob[k] == 0.0)
            continue;
          if (band == 0)
            band = off;
          else if (off != band)
            return 0;
        }
    }
  return band;
}

/* The arrays of the banded passes, from the successor lists of build_weights(). */
static void
setup_band (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  int B = task->band;

  for (int d = 0; d < 5; d++)
    {
      task->band_mem[d] = g_new0 (double, (gsize) ns + 2 * task->pad);
      task->band_w[d] = task->band_mem[d] + task->pad;
    }
  for (int s = 0; s < ns; s++)
    {
      if (mdp->terminal[s])
        continue;
      for (int k = task->w_row[s]; k < task->w_row[s + 1]; k++)
        {
          int off = task->w_succ[k] - s;
          int d = off == 0 ? 0 : off == B ? 1 : off == -B ? 2 : off == 1 ? 3 : 4;

          task->band_w[d][s] += task->w_prob[k];
        }
    }
  task->q_mem = g_new0 (double, (gsize) ns + 2 * task->pad);
  task->qn_mem = g_new0 (double, (gsize) ns + 2 * task->pad);
  task->q = task->q_mem + task->pad;
  task->w_term = g_new0 (double, ns);
  task->w_non = g_new0 (double, ns);
  task->active_flags = g_new0 (guint8, ns);
  for (int s = 0; s < ns; s++)
    task->active_flags[s] = task->relevant[s] && !mdp->terminal[s];
}

static void
compute_to_end (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  int na = mdp->n_actions;
  gsize n_edges = (gsize) mdp->row[(gsize) ns * na];
  g_autofree int *pred_row = g_new0 (int, (gsize) ns + 1);
  g_autofree int *pred = g_new (int, MAX (n_edges, 1));
  g_autofree int *fill = g_new0 (int, ns);
  g_autofree int *queue = g_new (int, ns);
  int head = 0, tail = 0;

  task->to_end = g_new (int, ns);
  /* Predecessor lists (s2 ← s), from the successor lists of the non-terminal states. */
  for (int s = 0; s < ns; s++)
    if (!mdp->terminal[s])
      for (int k = mdp->row[(gsize) s * na]; k < mdp->row[(gsize) (s + 1) * na]; k++)
        if (mdp->prob[k] > 0.0)
          pred_row[mdp->succ[k] + 1]++;
  for (int s = 0; s < ns; s++)
    pred_row[s + 1] += pred_row[s];
  for (int s = 0; s < ns; s++)
    if (!mdp->terminal[s])
      for (int k = mdp->row[(gsize) s * na]; k < mdp->row[(gsize) (s + 1) * na]; k++)
        if (mdp->prob[k] > 0.0)
          {
            int s2 = mdp->succ[k];
            pred[pred_row[s2] + fill[s2]++] = s;
          }
  for (int s = 0; s < ns; s++)
    {
      task->to_end[s] = mdp->terminal[s] ? 0 : G_MAXINT;
      if (mdp->terminal[s])
        queue[tail++] = s;
    }
  while (head < tail)
    {
      int s2 = queue[head++];

      for (int i = pred_row[s2]; i < pred_row[s2 + 1]; i++)
        {
          int s = pred[i];

          if (task->to_end[s] == G_MAXINT)
            {
              task->to_end[s] = task->to_end[s2] + 1;
              queue[tail++] = s;
            }
        }
    }
}

/* The successor lists of W(s, s') = Σ_a P(s'|s,a) (empty for terminal states), in the order
 * of first appearance. */
static void
build_weights (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  int na = mdp->n_actions;
  gsize n_edges = (gsize) mdp->row[(gsize) ns * na];
  g_autofree int *slot = g_new (int, ns);
  int n = 0;

  task->w_row = g_new0 (int, (gsize) ns + 1);
  task->w_succ = g_new (int, MAX (n_edges, 1));
  task->w_prob = g_new (double, MAX (n_edges, 1));
  for (int s = 0; s < ns; s++)
    slot[s] = -1;
  for (int s = 0; s < ns; s++)
    {
      int first = n;

      task->w_row[s] = n;
      if (mdp->terminal[s])
        continue;
      for (int k = mdp->row[(gsize) s * na]; k < mdp->row[(gsize) (s + 1) * na]; k++)
        {
          int s2 = mdp->succ[k];

          if (slot[s2] < first)
            {
              slot[s2] = n;
              task->w_succ[n] = s2;
              task->w_prob[n] = 0.0;
              n++;
            }
          task->w_prob[slot[s2]] += mdp->prob[k];
        }
    }
  task->w_row[ns] = n;
}

static gboolean
allocate (SimIrl  *self,
          Task    *task,
          int      T,
          GError **error)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  gint64 rows, kept_rows;
  int ck = 0;

  task_free_work (task);
  rows = T > 0 ? (gint64) T + 1 : 1;
  /* Every step's rows, or checkpoints (sim_irl_set_checkpoint()). */
  if (T > 0)
    {
      int k = self->checkpoint;

      if (k < 0)
        k = rows * ns > CK_AUTO_DOUBLES ? (int) ceil (sqrt ((double) T)) : 0;
      ck = k < T ? k : 0;
    }
  kept_rows = ck > 0 ? MAX ((gint64) T / ck + 2, (gint64) ck) : rows;
  if (kept_rows * ns > MAX_ARRAY_DOUBLES)
    {
      g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_TOO_LARGE,
                   "%d states × %" G_GINT64_FORMAT " time steps need more memory than the "
                   "limit (%" G_GINT64_FORMAT " values per array); use a shorter horizon or "
                   "a discount < 1", ns, rows, MAX_ARRAY_DOUBLES);
      return FALSE;
    }

  task->T = T;
  task->paths = self->model == SIM_IRL_PATHS || mdp->deterministic;
  task->terminating = mdp->horizon == 0 && mdp->discount >= 1.0;
  /* The states that can carry mass: reachable from the start states and from every
   * demonstrated state; and the states entered from them. Unreachable states (walls of a
   * level) are left out, so that their e is 0. */
  task->relevant = g_new0 (guint8, ns);
  task->enterable = g_new0 (guint8, ns);
  {
    g_autofree int *queue = g_new (int, ns);
    int head = 0, tail = 0;

    for (int s = 0; s < ns; s++)
      if (mdp->start[s] > 0.0)
        {
          task->relevant[s] = 1;
          queue[tail++] = s;
        }
    for (guint i = 0; i < task->states->len; i++)
      {
        int s = g_array_index (task->states, int, i);
        if (!task->relevant[s])
          {
            task->relevant[s] = 1;
            queue[tail++] = s;
          }
      }
    while (head < tail)
      {
        int s = queue[head++];

        if (mdp->terminal[s])
          continue;
        for (int k = mdp->row[(gsize) s * mdp->n_actions];
             k < mdp->row[(gsize) (s + 1) * mdp->n_actions]; k++)
          {
            int s2 = mdp->succ[k];

            task->enterable[s2] = 1;
            if (!task->relevant[s2])
              {
                task->relevant[s2] = 1;
                queue[tail++] = s2;
              }
          }
      }
  }
  task->r = g_new0 (double, ns);
  task->M = g_new0 (double, (gsize) MAX (T, 1) + 1);
  /* With a horizon the injections are lists by time step (set_injections()), and C holds
   * only the first step's. */
  task->C = g_new0 (double, ns);
  task->inj_list = g_array_new (FALSE, FALSE, sizeof (Injection));
  task->u = g_new0 (double, ns);
  /* e gets a border in case the MDP turns out to be a grid (below). */
  task->pad = mdp->grid_width > 0 ? mdp->grid_width + 1 : 0;
  task->band = 0;
  if (!mdp->deterministic && task->paths && T > 0 && mdp->discount >= 1.0 && !self->safe)
    {
      task->band = detect_band (mdp);
      if (task->band > 0)
        task->pad = task->band + 1;
    }
  task->e_mem = g_new0 (double, (gsize) ns + 2 * task->pad);
  task->e = task->e_mem + task->pad;
  task->D = g_new0 (double, ns);
  task->Dn = g_new0 (double, ns);
  task->rho = g_new0 (double, ns);
  if (T == 0)
    task->Vtmp = g_new0 (double, ns);
  task->wdata = g_new0 (double, ns);
  task->can_fast = task->paths && T > 0 && mdp->discount >= 1.0 && !self->safe;
  task->e_stride = (gsize) ns + 2 * task->pad;
  task->ck = ck;
  task->seg = -1;
  if (task->ck > 0)
    {
      task->n_ck = T / task->ck + 1 + (T % task->ck != 0);
      task->ck_Z = g_new0 (double, (gsize) task->n_ck * ns);
      task->seg_Z = g_new0 (double, (gsize) task->ck * ns);
      if (task->can_fast)
        task->seg_E = g_new0 (double, (gsize) task->ck * task->e_stride);
    }
  else
    {
      task->V = g_new0 (double, rows * ns);
      if (task->can_fast)
        task->E_mem = g_new0 (double, (gsize) T * task->e_stride);
    }
  if (task->can_fast)
    task->inj_ll = g_new0 (double, (gsize) T + 1);
  task->fast = FALSE;
  task->w = g_new0 (double, ns);
  task->alpha = g_new0 (double, MAX (T, 1));
  task->beta = g_new0 (double, MAX (T, 1));
  task->keep = g_new0 (double, ns);
  for (int s = 0; s < ns; s++)
    task->keep[s] = mdp->terminal[s] ? 0.0 : mdp->discount;
  if (task->can_fast && task->terminating)
    compute_to_end (task);
  if (task->paths)
    build_weights (task);
  if (task->band > 0 && task->can_fast)
    setup_band (task);
  else
    task->band = 0;
  if (mdp->deterministic)
    {
      int na = mdp->n_actions;

      task->next = g_new0 (int, (gsize) ns * na);
      task->active = g_new0 (int, ns);
      task->entered = g_new0 (int, ns);
      for (int s = 0; s < ns; s++)
        {
          if (!mdp->terminal[s])
            for (int a = 0; a < na; a++)
              task->next[(gsize) s * na + a] = mdp->succ[mdp->row[(gsize) s * na + a]];
          if (task->relevant[s] && !mdp->terminal[s])
            task->active[task->n_active++] = s;
          if (task->enterable[s])
            task->entered[task->n_entered++] = s;
        }
      setup_grid (task);
    }
  task->solved = g_new0 (double, mdp->n_features);
  task->solved_valid = FALSE;
  task->prepared = TRUE;
  task->static_ready = FALSE;
  task->steps_ready = FALSE;
  task->v_warm = FALSE;
  return TRUE;
}

static int
compare_step (const void *pa,
              const void *pb)
{
  const Step *a = pa;
  const Step *b = pb;

  if (a->t != b->t)
    return a->t < b->t ? -1 : 1;
  if (a->s != b->s)
    return a->s < b->s ? -1 : 1;
  if (a->s2 != b->s2)
    return a->s2 < b->s2 ? -1 : 1;
  return 0;
}

/* One stable counting-sort pass of n records of `size` bytes by the int at `offset` in each,
 * in [0, range). */
static void
counting_pass (const void *in,
               void       *out,
               gsize       size,
               gsize       offset,
               guint       n,
               int         range)
{
  g_autofree guint *start = g_new0 (guint, (gsize) range + 1);
  const char *src = in;
  char *dst = out;

#define KEY(i) (*(const int *) (src + (gsize) (i) * size + offset))
  for (guint i = 0; i < n; i++)
    start[KEY (i) + 1]++;
  for (int k = 0; k < range; k++)
    start[k + 1] += start[k];
  for (guint i = 0; i < n; i++)
    memcpy (dst + (gsize) start[KEY (i)]++ * size, src + (gsize) i * size, size);
#undef KEY
}

/* Sorts n records of `size` bytes as compare orders them, which is by int keys at the
 * given offsets, most significant last, then by the records' order: with one stable counting
 * pass per key (key k in [0, ranges[k])) when that pays, else qsort. */
static void
sort_records (void           *data,
              guint           n,
              gsize           size,
              int           (*compare) (const void *, const void *),
              int             n_keys,
              const gsize    *offsets,
              const int      *ranges)
{
  gboolean pays = n >= 64;
  g_autofree char *tmp = NULL;
  char *from = data, *to;

  for (int k = 0; k < n_keys; k++)
    pays = pays && (gint64) ranges[k] <= 4 * (gint64) n;
  if (!pays)
    {
      qsort (data, n, size, compare);
      return;
    }
  tmp = g_malloc (size * n);
  to = tmp;
  for (int k = 0; k < n_keys; k++)
    {
      char *swap = from;

      counting_pass (from, to, size, offsets[k], n, ranges[k]);
      from = to;
      to = swap;
    }
  if (from != data)
    memcpy (data, from, size * n);
}

/* Sorts the steps by (t, s, s2), as compare_step() orders them. */
static void
sort_steps (GArray *steps,
            int     n_states,
            int     n_times)
{
  const gsize offsets[3] = { G_STRUCT_OFFSET (Step, s2), G_STRUCT_OFFSET (Step, s),
                             G_STRUCT_OFFSET (Step, t) };
  const int ranges[3] = { n_states, n_states, n_times };

  sort_records (steps->data, steps->len, sizeof (Step), compare_step, n_times > 1 ? 3 : 2,
                offsets, ranges);
}

/* Collects the distinct steps of the demonstrations with their counts: the likelihood and
 * its gradient depend on the demonstrations only through them. */
static gboolean
build_steps (Task    *task,
             GError **error)
{
  const SimMdp *mdp = task->mdp;
  GArray *steps = task->steps;
  guint n = 0;

  if (task->terminating)
    for (guint i = 0; i < task->trajs->len; i++)
      {
        Traj *tr = &g_array_index (task->trajs, Traj, i);
        int last = g_array_index (task->states, int, tr->offset + tr->length - 1);

        if (!mdp->terminal[last])
          {
            g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID,
                         "trajectory %u ends in the non-terminal state %d: without a horizon "
                         "or a discount < 1 episodes end only on terminal states, so every "
                         "trajectory must end on one", i, last);
            return FALSE;
          }
      }

  g_array_set_size (steps, 0);
  for (guint i = 0; i < task->trajs->len; i++)
    {
      Traj *tr = &g_array_index (task->trajs, Traj, i);
      const int *st = &g_array_index (task->states, int, tr->offset);

      for (int t = 0; t + 1 < tr->length; t++)
        {
          Step step = { task->T > 0 ? t : 0, st[t], st[t + 1], 1.0 };
          g_array_append_val (steps, step);
        }
    }
  if (steps->len > 0)
    sort_steps (steps, mdp->n_states, MAX (task->T, 1));
  for (guint i = 0; i < steps->len; i++)
    {
      Step *cur = &g_array_index (steps, Step, i);

      if (n > 0 && compare_step (&g_array_index (steps, Step, n - 1), cur) == 0)
        g_array_index (steps, Step, n - 1).count += 1.0;
      else
        g_array_index (steps, Step, n++) = *cur;
    }
  g_array_set_size (steps, n);
  task->steps_ready = TRUE;
  task->static_ready = FALSE;
  return TRUE;
}

static gboolean
task_prepare (SimIrl    *self,
              Task      *task,
              gboolean   need_steps,
              GError   **error)
{
  const SimMdp *mdp = task->mdp;
  int T;

  if (mdp->horizon > 0)
    T = mdp->horizon;
  else if (mdp->discount < 1.0)
    T = 0;
  else
    T = MAX (task->max_steps, 1);

  if (mdp->horizon == 0 && mdp->discount >= 1.0 && self->model == SIM_IRL_CAUSAL)
    {
      g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID,
                   "the causal model needs a discount < 1 or a horizon (this MDP has "
                   "neither)");
      return FALSE;
    }
  if ((!task->prepared || task->T != T) && !allocate (self, task, T, error))
    return FALSE;
  if (need_steps && !task->steps_ready)
    return build_steps (task, error);
  return TRUE;
}

gboolean
sim_irl_prepare (SimIrl  *self,
                 GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->tasks->len; i++)
    if (!task_prepare (self, g_ptr_array_index (self->tasks, i), TRUE, error))
      return FALSE;
  return TRUE;
}

static void
compute_reward (Task         *task,
                const double *theta)
{
  const SimMdp *mdp = task->mdp;
  int nf = mdp->n_features;

  for (int s = 0; s < mdp->n_states; s++)
    {
      const double *f = mdp->phi + (gsize) s * nf;
      double r = 0.0;

      for (int i = 0; i < nf; i++)
        r += theta[i] * f[i];
      task->r[s] = r;
    }
}

/* u(s') = r(s') + γ (1 − term(s')) Vn(s'). */
static void
compute_u (Task         *task,
           const double *Vn)
{
  const SimMdp *mdp = task->mdp;
  double g = mdp->discount;

  for (int s = 0; s < mdp->n_states; s++)
    task->u[s] = mdp->terminal[s] ? task->r[s] : task->r[s] + g * Vn[s];
}

/* e(s') = exp(u(s') − m) over enterable states; returns the shift m. */
static double
compute_shift (Task *task)
{
  const SimMdp *mdp = task->mdp;
  double m = -G_MAXDOUBLE;

  for (int s = 0; s < mdp->n_states; s++)
    if (task->enterable[s] && task->u[s] > m)
      m = task->u[s];
  if (m == -G_MAXDOUBLE)
    m = 0.0;
  for (int s = 0; s < mdp->n_states; s++)
    task->e[s] = task->enterable[s] ? exp (task->u[s] - m) : 0.0;
  return m;
}

/* One soft Bellman backup of every non-terminal state from task->u into V; returns the
 * shift used by the paths recursion. */
static double
bellman (Task   *task,
         double *V)
{
  const SimMdp *mdp = task->mdp;
  int na = mdp->n_actions;
  const int *row = mdp->row;
  const int *succ = mdp->succ;
  const double *prob = mdp->prob;
  const double *u = task->u;
  double m = 0.0;

  if (task->paths)
    {
      const double *e;
      const double floor_z = exp (LOG_FLOOR);

      const int *w_row = task->w_row;
      const int *w_succ = task->w_succ;
      const double *w_prob = task->w_prob;

      m = compute_shift (task);
      e = task->e;
      for (int s = 0; s < mdp->n_states; s++)
        {
          int k0 = w_row[s];
          int k1 = w_row[s + 1];
          double z = 0.0;

          if (mdp->terminal[s])
            {
              V[s] = 0.0;
              continue;
            }
          for (int k = k0; k < k1; k++)
            z += w_prob[k] * e[w_succ[k]];
          if (z > floor_z)
            {
              V[s] = m + log (z);
            }
          else
            {
              double mm = -G_MAXDOUBLE;
              double sum = 0.0;

              for (int k = k0; k < k1; k++)
                mm = MAX (mm, u[w_succ[k]]);
              for (int k = k0; k < k1; k++)
                sum += w_prob[k] * exp (u[w_succ[k]] - mm);
              V[s] = mm + log (sum);
            }
        }
    }
  else
    {
      double q[SIM_MDP_MAX_ACTIONS];

      for (int s = 0; s < mdp->n_states; s++)
        {
          double mm = -G_MAXDOUBLE;
          double sum = 0.0;

          if (mdp->terminal[s])
            {
              V[s] = 0.0;
              continue;
            }
          for (int a = 0; a < na; a++)
            {
              gsize r = (gsize) s * na + a;
              double qa = 0.0;

              for (int k = row[r]; k < row[r + 1]; k++)
                qa += prob[k] * u[succ[k]];
              q[a] = qa;
              mm = MAX (mm, qa);
            }
          for (int a = 0; a < na; a++)
            sum += exp (q[a] - mm);
          V[s] = mm + log (sum);
        }
    }
  return m;
}

/* Below this a sum of the exp-domain recursion is too close to the denormal range. */
#define FAST_FLOOR 1e-250

/* The exp-domain passes, and the pass that filled the rows a checkpointed task holds. */
enum
{
  FAST_GRID = 1,
  FAST_BAND,
  FAST_DETERMINISTIC,
  FAST_GENERIC
};

/* The step kernels of the exp-domain passes, shared by the backward passes and by the
 * recomputation of a checkpointed segment so that both give the same numbers.
 * e_t(s') = w(s') β_t on terminal s', w(s') α_t Z_{t+1}(s') elsewhere. */
static inline void
fill_e_dense (const Task   *task,
              int           t,
              const double *Zn,
              double       *e)
{
  int ns = task->mdp->n_states;
  const double *w_term = task->w_term, *w_non = task->w_non;
  double al = task->alpha[t], be = task->beta[t];

  for (int s = 0; s < ns; s++)
    e[s] = w_term[s] * be + w_non[s] * al * Zn[s];
}

/* Gridworlds: the sum over the five moves from s, as shifted reads of e. Vertical moves need
 * no mask: a blocked one points at a wall or off the grid, where e is 0 (walls are never
 * entered, the border holds zeros). */
static inline double
grid_sum (const Task   *task,
          const double *e,
          int           i)
{
  int W = task->mdp->grid_width;

  return task->self_moves[i] * e[i] + e[i + W] + e[i - W] + task->move[2][i] * e[i - 1] +
         task->move[3][i] * e[i + 1];
}

/* Banded stochastic MDPs: five shifted reads of e, weighted. */
static inline double
band_sum (const Task   *task,
          const double *e,
          int           i)
{
  int B = task->band;
  const double *const *bw = (const double *const *) task->band_w;

  return bw[0][i] * e[i] + bw[1][i] * e[i + B] + bw[2][i] * e[i - B] + bw[3][i] * e[i + 1] +
         bw[4][i] * e[i - 1];
}

static inline void
fill_e_deterministic (const Task   *task,
                      int           t,
                      const double *Zn,
                      double       *e)
{
  const guint8 *term = task->mdp->terminal;
  const double *w = task->w;
  double al = task->alpha[t], be = task->beta[t];

  for (int i = 0; i < task->n_entered; i++)
    {
      int s = task->entered[i];
      e[s] = term[s] ? w[s] * be : w[s] * al * Zn[s];
    }
}

static inline double
deterministic_sum (const Task   *task,
                   const double *e,
                   int           s)
{
  int na = task->mdp->n_actions;
  const int *nx = task->next + (gsize) s * na;
  double z = 0.0;

  for (int a = 0; a < na; a++)
    z += e[nx[a]];
  return z;
}

static inline void
fill_e_generic (const Task   *task,
                int           t,
                const double *Zn,
                double       *e)
{
  int ns = task->mdp->n_states;
  const guint8 *term = task->mdp->terminal;
  const double *w = task->w;

  for (int s = 0; s < ns; s++)
    e[s] = term[s] ? w[s] * task->beta[t] : w[s] * task->alpha[t] * Zn[s];
}

static inline double
generic_sum (const Task   *task,
             const double *e,
             int           s)
{
  double z = 0.0;

  for (int k = task->w_row[s]; k < task->w_row[s + 1]; k++)
    z += task->w_prob[k] * e[task->w_succ[k]];
  return z;
}

/* Step t again, from Z_{t+1} and the stored shifts: e_t, and Z_t unless Z is NULL. */
static void
replay_step (Task         *task,
             int           t,
             const double *Zn,
             double       *e,
             double       *Z)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  const guint8 *term = mdp->terminal;

  switch (task->ck_variant)
    {
    case FAST_GRID:
      fill_e_dense (task, t, Zn, e);
      if (Z != NULL)
        for (int i = 0; i < ns; i++)
          Z[i] = grid_sum (task, e, i);
      break;
    case FAST_BAND:
      fill_e_dense (task, t, Zn, e);
      if (Z != NULL)
        for (int i = 0; i < ns; i++)
          Z[i] = term[i] ? 1.0 : band_sum (task, e, i);
      break;
    case FAST_DETERMINISTIC:
      fill_e_deterministic (task, t, Zn, e);
      if (Z != NULL)
        for (int i = 0; i < task->n_active; i++)
          Z[task->active[i]] = deterministic_sum (task, e, task->active[i]);
      break;
    default:
      fill_e_generic (task, t, Zn, e);
      if (Z != NULL)
        for (int s = 0; s < ns; s++)
          Z[s] = term[s] ? 1.0 : generic_sum (task, e, s);
      break;
    }
}

/* A checkpointed task: Z_t for t = 0, ck, 2 ck, … and T. */
static inline double *
ck_row (Task *task,
        int   t)
{
  int i = t == task->T ? task->n_ck - 1 : t / task->ck;

  return task->ck_Z + (gsize) i * task->mdp->n_states;
}

static void compute_u (Task *task, const double *Vn);
static double bellman (Task *task, double *V);

/* Makes the segment [a, a + ck) the one whose rows seg_Z and seg_E hold, recomputing them
 * from the checkpoint at its end. After a log-domain backward pass seg_Z holds V_t, and the
 * readers compute u_t and e_t themselves (step_setup()). */
static void
seg_load (Task *task,
          int   a)
{
  int ns = task->mdp->n_states;
  int b = MIN (a + task->ck, task->T);

  if (task->seg == a)
    return;
  if (!task->fast)
    {
      task->e = task->e_mem + task->pad;
      for (int t = b - 1; t > a; t--)
        {
          compute_u (task, t + 1 == b ? ck_row (task, b) : task->seg_Z + (gsize) (t + 1 - a) * ns);
          (void) bellman (task, task->seg_Z + (gsize) (t - a) * ns);
        }
      task->seg = a;
      return;
    }
  for (int t = b - 1; t >= a; t--)
    replay_step (task, t,
                 t + 1 == b ? ck_row (task, b) : task->seg_Z + (gsize) (t + 1 - a) * ns,
                 task->seg_E + (gsize) (t - a) * task->e_stride + task->pad,
                 t == a ? NULL : task->seg_Z + (gsize) (t - a) * ns);
  task->seg = a;
}

/* Z_t of the exp-domain passes, or V_t of the log-domain ones (0 ≤ t ≤ T, finite horizon).
 * The pointer stays valid until a row of another segment is asked for; Z_t and e_t,
 * Z_{t+1} and e_t of the same t may be held together. */
static inline double *
z_row (Task *task,
       int   t)
{
  if (task->ck == 0)
    return task->V + (gsize) t * task->mdp->n_states;
  if (t % task->ck == 0 || t == task->T)
    return ck_row (task, t);
  seg_load (task, t - t % task->ck);
  return task->seg_Z + (gsize) (t % task->ck) * task->mdp->n_states;
}

/* e_t of the exp-domain passes (0 ≤ t < T). */
static inline double *
e_row (Task *task,
       int   t)
{
  if (task->ck == 0)
    return task->E_mem + (gsize) t * task->e_stride + task->pad;
  seg_load (task, t - t % task->ck);
  return task->seg_E + (gsize) (t % task->ck) * task->e_stride + task->pad;
}

/* Called by a backward pass at the start of step t: in a checkpointed task, the rows of t's
 * segment are the ones being written, so reading them needs no recomputation. */
static inline void
begin_step (Task *task,
            int   t)
{
  if (task->ck > 0)
    task->seg = t - t % task->ck;
}

/* The demonstrations' value terms of step t, Σ_k inj_v V_t(inj_s), while Z_t is at hand (see
 * demo_terms()). */
static inline void
collect_values (Task         *task,
                int           t,
                const double *Z)
{
  double part = 0.0;

  if (!task->inj_ll_ready)
    return;
  for (int k = task->inj_row[t]; k < task->inj_row[t + 1]; k++)
    {
      double z = Z[task->inj_s[k]];
      part += task->inj_v[k] * (z > 0.0 ? task->M[t] + log (z) : IMPOSSIBLE);
    }
  task->inj_ll[t] = part;
}

/* Sets M_t and the scalars α_t = exp (r_max + M_{t+1} − M_t) and β_t = exp (r_max − M_t) of
 * step t. FALSE when one that matters (some non-terminal, or terminal, w Z is positive) would
 * be beyond exp (700): the weights are then too small against r_max for one shift per step
 * to hold them, and the log domain takes over. */
static inline gboolean
step_scalars (Task   *task,
              int     t,
              double  r_max,
              double  Mt,
              double  mx_nt,
              double  mx_term)
{
  double la = r_max + task->M[t + 1] - Mt;
  double lb = r_max - Mt;

  task->M[t] = Mt;
  task->alpha[t] = exp (MIN (la, 700.0));
  task->beta[t] = exp (MIN (lb, 700.0));
  return !((mx_nt > 0.0 && la > 700.0) || (mx_term > 0.0 && lb > 700.0));
}

/* The backward pass of the paths recursion with γ = 1 and a finite horizon, in the exp
 * domain with one shift per time step: e_t(s') = exp (u_t(s') − M_t) and
 * Z_t(s) = Σ P e_t(s') = exp (V_t(s) − M_t). Since u_t(s') = r(s') + M_{t+1} + log Z_{t+1}(s'),
 * e_t(s') = w(s') α_t Z_{t+1}(s') with w(s') = exp (r(s') − r_max) ≤ 1 and a scalar α_t, so a
 * step needs no exp() or log() per state. M_t is chosen so that max e_t = 1. Returns FALSE,
 * leaving the job to the log-domain pass, when a state that can carry mass has a sum below
 * FAST_FLOOR (rewards so large that the shared shift would lose it). */
/* backward_fast() for gridworld MDPs: each sum is five shifted reads of e. */
static gboolean
backward_fast_grid (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  const guint8 *term = mdp->terminal;
  const double *w_non = task->w_non;
  const guint8 *active = task->active_flags;
  double *w = task->w;
  double r_max = -G_MAXDOUBLE;
  double mx_nt = 0.0, mx_term = 0.0;
  int T = task->T;

  for (int i = 0; i < task->n_entered; i++)
    r_max = MAX (r_max, task->r[task->entered[i]]);
  if (r_max == -G_MAXDOUBLE)
    r_max = 0.0;
  memset (w, 0, sizeof (double) * ns);
  for (int i = 0; i < task->n_entered; i++)
    {
      int s = task->entered[i];
      w[s] = exp (task->r[s] - r_max);
    }
  for (int s = 0; s < ns; s++)
    {
      task->w_term[s] = term[s] ? w[s] : 0.0;
      task->w_non[s] = term[s] ? 0.0 : w[s];
      mx_term = MAX (mx_term, task->w_term[s]);
      mx_nt = MAX (mx_nt, task->w_non[s]);   /* Z_T = 1 */
    }
  {
    double *ZT = z_row (task, T);
    for (int s = 0; s < ns; s++)
      ZT[s] = 1.0;
    task->M[T] = 0.0;
  }
  for (int t = T - 1; t >= 0; t--)
    {
      const double *Zn;
      double *Z, *e;
      double lnt = mx_nt > 0.0 ? log (mx_nt) + task->M[t + 1] : -G_MAXDOUBLE;
      double lterm = mx_term > 0.0 ? log (mx_term) : -G_MAXDOUBLE;
      double Mt = r_max + MAX (MAX (lnt, lterm), -1e300);

      begin_step (task, t);
      Zn = z_row (task, t + 1);
      Z = z_row (task, t);
      e = e_row (task, t);
      if (!step_scalars (task, t, r_max, Mt, mx_nt, mx_term))
        return FALSE;
      fill_e_dense (task, t, Zn, e);
      /* Z of terminal and wall cells comes out meaningless and is never used. Four running
       * maxima and an integer count of sums that are too small keep the reductions off the
       * critical path. */
      {
        double mx[4] = { 0.0, 0.0, 0.0, 0.0 };
        int small = 0;
        int s = 0;

        for (; s + 4 <= ns; s += 4)
          for (int k = 0; k < 4; k++)
            {
              int i = s + k;
              double z = grid_sum (task, e, i);

              Z[i] = z;
              mx[k] = MAX (mx[k], w_non[i] * z);
              small += (z < FAST_FLOOR) & active[i];
            }
        for (; s < ns; s++)
          {
            double z = grid_sum (task, e, s);

            Z[s] = z;
            mx[0] = MAX (mx[0], w_non[s] * z);
            small += (z < FAST_FLOOR) & active[s];
          }
        mx_nt = MAX (MAX (mx[0], mx[1]), MAX (mx[2], mx[3]));
        if (small > 0)
          return FALSE;
      }
      collect_values (task, t, Z);
    }
  return TRUE;
}

/* backward_fast() for banded stochastic MDPs: each sum is five shifted reads of e, weighted. */
static gboolean
backward_fast_band (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  const guint8 *term = mdp->terminal;
  const double *w_non = task->w_non;
  const guint8 *active = task->active_flags;
  double *w = task->w;
  double r_max = -G_MAXDOUBLE;
  double mx_nt = 0.0, mx_term = 0.0;
  int T = task->T;

  for (int s = 0; s < ns; s++)
    if (task->enterable[s] && task->r[s] > r_max)
      r_max = task->r[s];
  if (r_max == -G_MAXDOUBLE)
    r_max = 0.0;
  for (int s = 0; s < ns; s++)
    {
      w[s] = task->enterable[s] ? exp (task->r[s] - r_max) : 0.0;
      task->w_term[s] = term[s] ? w[s] : 0.0;
      task->w_non[s] = term[s] ? 0.0 : w[s];
      mx_term = MAX (mx_term, task->w_term[s]);
      mx_nt = MAX (mx_nt, task->w_non[s]);   /* Z_T = 1 */
    }
  /* Z_T = 1, M_T = 0; when only terminating paths count, Z_T = 0 on non-terminal states. */
  {
    double *ZT = z_row (task, T);
    for (int s = 0; s < ns; s++)
      ZT[s] = task->terminating && !term[s] ? 0.0 : 1.0;
    task->M[T] = 0.0;
    if (task->terminating)
      mx_nt = 0.0;
  }
  for (int t = T - 1; t >= 0; t--)
    {
      const double *Zn;
      double *Z, *e;
      double lnt = mx_nt > 0.0 ? log (mx_nt) + task->M[t + 1] : -G_MAXDOUBLE;
      double lterm = mx_term > 0.0 ? log (mx_term) : -G_MAXDOUBLE;
      double Mt = r_max + MAX (MAX (lnt, lterm), -1e300);
      double mx = 0.0;
      int small = 0;
      int left = T - t;

      begin_step (task, t);
      Zn = z_row (task, t + 1);
      Z = z_row (task, t);
      e = e_row (task, t);
      if (!step_scalars (task, t, r_max, Mt, mx_nt, mx_term))
        return FALSE;
      fill_e_dense (task, t, Zn, e);
      for (int i = 0; i < ns; i++)
        {
          double z = band_sum (task, e, i);

          /* Terminal states keep Z = 1, as in backward_fast(). A sum that is 0 because no
           * terminating path is left is exact. */
          Z[i] = term[i] ? 1.0 : z;
          mx = MAX (mx, w_non[i] * z);
          small += (z < FAST_FLOOR) & active[i] &
                   (!task->terminating || task->to_end[i] <= left);
        }
      mx_nt = mx;
      if (small > 0)
        return FALSE;
      collect_values (task, t, Z);
    }
  return TRUE;
}

/* backward_fast() for deterministic MDPs: the same numbers from the successor table and the
 * lists of states that matter, with the maximum of the next step taken in the same sweep. */
static gboolean
backward_fast_deterministic (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  const guint8 *term = mdp->terminal;
  double *w = task->w;
  double r_max = -G_MAXDOUBLE;
  double mx_nt = 0.0, mx_term = 0.0;
  int T = task->T;

  for (int i = 0; i < task->n_entered; i++)
    r_max = MAX (r_max, task->r[task->entered[i]]);
  if (r_max == -G_MAXDOUBLE)
    r_max = 0.0;
  for (int i = 0; i < task->n_entered; i++)
    {
      int s = task->entered[i];

      w[s] = exp (task->r[s] - r_max);
      if (term[s])
        mx_term = MAX (mx_term, w[s]);
      else
        mx_nt = MAX (mx_nt, w[s]);   /* Z_T = 1 */
    }
  {
    double *ZT = z_row (task, T);
    for (int s = 0; s < ns; s++)
      ZT[s] = 1.0;
    task->M[T] = 0.0;
  }
  for (int t = T - 1; t >= 0; t--)
    {
      const double *Zn;
      double *Z, *e;
      double lnt = mx_nt > 0.0 ? log (mx_nt) + task->M[t + 1] : -G_MAXDOUBLE;
      double lterm = mx_term > 0.0 ? log (mx_term) : -G_MAXDOUBLE;
      double Mt = r_max + MAX (MAX (lnt, lterm), -1e300);

      begin_step (task, t);
      Zn = z_row (task, t + 1);
      Z = z_row (task, t);
      e = e_row (task, t);
      if (!step_scalars (task, t, r_max, Mt, mx_nt, mx_term))
        return FALSE;
      fill_e_deterministic (task, t, Zn, e);
      mx_nt = 0.0;
      for (int i = 0; i < task->n_active; i++)
        {
          int s = task->active[i];
          double z = deterministic_sum (task, e, s);

          if (!(z >= FAST_FLOOR))
            return FALSE;
          Z[s] = z;
          mx_nt = MAX (mx_nt, w[s] * z);
        }
      collect_values (task, t, Z);
    }
  return TRUE;
}

static gboolean
backward_fast (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  const guint8 *term = mdp->terminal;
  double *w = task->w;
  double r_max = -G_MAXDOUBLE;
  int T = task->T;

  for (int s = 0; s < ns; s++)
    if (task->enterable[s] && task->r[s] > r_max)
      r_max = task->r[s];
  if (r_max == -G_MAXDOUBLE)
    r_max = 0.0;
  for (int s = 0; s < ns; s++)
    w[s] = task->enterable[s] ? exp (task->r[s] - r_max) : 0.0;

  /* Z_T = 1, M_T = 0: nothing is left at the horizon. When only terminating paths count,
   * none is left from a non-terminal state: Z_T = 0 there. */
  {
    double *ZT = z_row (task, T);
    for (int s = 0; s < ns; s++)
      ZT[s] = task->terminating && !term[s] ? 0.0 : 1.0;
    task->M[T] = 0.0;
  }
  for (int t = T - 1; t >= 0; t--)
    {
      const double *Zn;
      double *Z, *e;
      double mx_nt = 0.0, mx_term = 0.0, lnt, lterm, Mt;

      begin_step (task, t);
      Zn = z_row (task, t + 1);
      Z = z_row (task, t);
      e = e_row (task, t);
      for (int s = 0; s < ns; s++)
        {
          if (!task->enterable[s])
            continue;
          if (term[s])
            mx_term = MAX (mx_term, w[s]);
          else
            mx_nt = MAX (mx_nt, w[s] * Zn[s]);
        }
      lnt = mx_nt > 0.0 ? log (mx_nt) + task->M[t + 1] : -G_MAXDOUBLE;
      lterm = mx_term > 0.0 ? log (mx_term) : -G_MAXDOUBLE;
      Mt = r_max + MAX (MAX (lnt, lterm), -1e300);
      if (!step_scalars (task, t, r_max, Mt, mx_nt, mx_term))
        return FALSE;
      fill_e_generic (task, t, Zn, e);

      for (int s = 0; s < ns; s++)
        {
          double z;

          if (term[s])
            {
              Z[s] = 1.0;
              continue;
            }
          z = generic_sum (task, e, s);
          /* A sum that is 0 because no path is left is exact; any other sum must stay far
           * from the denormal range. */
          if (!(z >= FAST_FLOOR) && task->relevant[s] &&
              (!task->terminating || task->to_end[s] <= T - t))
            return FALSE;
          Z[s] = z;
        }
      collect_values (task, t, Z);
    }
  return TRUE;
}

/* V_t(s) of the last backward pass (0 at the horizon). */
static inline double
value_at (Task *task,
          int   t,
          int   s)
{
  if (task->T > 0 && t >= task->T)
    return 0.0;
  if (task->fast)
    {
      double z = z_row (task, t)[s];
      return z > 0.0 ? task->M[t] + log (z) : IMPOSSIBLE;
    }
  return task->T > 0 ? z_row (task, t)[s] : task->V[s];
}

/* The backward pass: V_t for every t (or the stationary V) for the reward in task->r. */
static void static_terms (Task *task);

static void
backward (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;

  task->e = task->e_mem + task->pad;
  /* The demonstrations' terms of the paths recursion are collected while the exp-domain
   * passes hold each step's values. */
  if (task->paths && task->T > 0 && task->steps_ready && !task->static_ready)
    static_terms (task);
  task->seg = -1;
  task->inj_ll_ready = task->can_fast && task->paths && task->static_ready &&
                       task->inj_row != NULL;
  if (!task->can_fast)
    task->fast = FALSE;
  else if (task->grid)
    {
      task->ck_variant = FAST_GRID;
      task->fast = backward_fast_grid (task);
    }
  else if (task->band > 0)
    {
      task->ck_variant = FAST_BAND;
      task->fast = backward_fast_band (task);
    }
  else if (mdp->deterministic && !task->terminating)
    {
      task->ck_variant = FAST_DETERMINISTIC;
      task->fast = backward_fast_deterministic (task);
    }
  else
    {
      task->ck_variant = FAST_GENERIC;
      task->fast = backward_fast (task);
    }
  if (task->fast)
    return;
  /* The rows of a checkpointed segment are those of an unfinished pass. */
  task->seg = -1;
  task->inj_ll_ready = FALSE;

  if (task->T > 0)
    {
      double *VT = z_row (task, task->T);


      /* At the horizon nothing is left: V_T = 0, or, when only terminating paths count, no
       * path remains from a non-terminal state (log 0, held as a finite IMPOSSIBLE). */
      for (int s = 0; s < ns; s++)
        VT[s] = task->terminating && !mdp->terminal[s] ? IMPOSSIBLE : 0.0;
      for (int t = task->T - 1; t >= 0; t--)
        {
          begin_step (task, t);
          compute_u (task, z_row (task, t + 1));
          task->M[t] = bellman (task, z_row (task, t));
        }
      return;
    }

  /* Stationary: value iteration from the previous solution until the change, scaled by
   * γ/(1 − γ) (the distance to the fixed point it bounds), is at the rounding level, or
   * stops shrinking because rounding dominates. */
  {
    double g = mdp->discount;
    double *V = task->V;
    double *Vn = task->Vtmp;
    double best = G_MAXDOUBLE;
    int stalled = 0;

    if (!task->v_warm)
      memset (V, 0, sizeof (double) * ns);
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++)
      {
        double change = 0.0, scale = 1.0;

        compute_u (task, V);
        task->M[0] = bellman (task, Vn);
        for (int s = 0; s < ns; s++)
          {
            change = MAX (change, fabs (Vn[s] - V[s]));
            scale = MAX (scale, fabs (Vn[s]));
          }
        memcpy (V, Vn, sizeof (double) * ns);
        if (change * g / (1.0 - g) <= STATIONARY_TOLERANCE * scale)
          break;
        if (change < best)
          {
            best = change;
            stalled = 0;
          }
        else if (++stalled >= 8 && change <= 1e-10 * scale)
          {
            break;
          }
      }
    compute_u (task, V);
    task->M[0] = compute_shift (task);
    task->v_warm = TRUE;
  }
}

/* Sends mass d from non-terminal state s at step t along the model's transition kernel: for
 * every successor s' it adds the flow to rho[s'] (when rho is not NULL) and γ·flow to
 * next[s'] when s' is not terminal. Needs task->u and task->e for step t. The kernel is
 * normalised here, state by state, rather than through V_t(s): with huge rewards V carries
 * rounding errors of its own size, and a kernel whose rows sum to more than 1 would make the
 * stationary sums diverge. */
static inline void
propagate (Task         *task,
           int           s,
           double        d,
           double       *rho,
           double       *next)
{
  const SimMdp *mdp = task->mdp;
  int na = mdp->n_actions;
  const int *row = mdp->row;
  const int *succ = mdp->succ;
  const double *prob = mdp->prob;
  const guint8 *term = mdp->terminal;
  const double *u = task->u;
  double g = mdp->discount;

  if (task->paths)
    {
      const double *e = task->e;
      const int *w_succ = task->w_succ;
      const double *w_prob = task->w_prob;
      int k0 = task->w_row[s];
      int k1 = task->w_row[s + 1];
      double z = 0.0;

      for (int k = k0; k < k1; k++)
        z += w_prob[k] * e[w_succ[k]];
      if (task->fast && !(z > exp (LOG_FLOOR)))
        {
          /* The exp-domain passes hold no u; a state whose sum is this small there has no
           * path left (every other sum is above FAST_FLOOR) and holds no mass. */
          return;
        }
      if (z > exp (LOG_FLOOR))
        {
          double scale = d / z;

          for (int k = k0; k < k1; k++)
            {
              int s2 = w_succ[k];
              double f = scale * w_prob[k] * e[s2];

              if (rho != NULL)
                rho[s2] += f;
              if (!term[s2])
                next[s2] += g * f;
            }
        }
      else
        {
          double mm = -G_MAXDOUBLE;

          for (int k = k0; k < k1; k++)
            mm = MAX (mm, u[w_succ[k]]);
          z = 0.0;
          for (int k = k0; k < k1; k++)
            z += w_prob[k] * exp (u[w_succ[k]] - mm);
          for (int k = k0; k < k1; k++)
            {
              int s2 = w_succ[k];
              double f = d * w_prob[k] * exp (u[s2] - mm) / z;

              if (rho != NULL)
                rho[s2] += f;
              if (!term[s2])
                next[s2] += g * f;
            }
        }
    }
  else
    {
      double q[SIM_MDP_MAX_ACTIONS];
      double mm = -G_MAXDOUBLE, z = 0.0;

      for (int a = 0; a < na; a++)
        {
          gsize r = (gsize) s * na + a;
          double qa = 0.0;

          for (int k = row[r]; k < row[r + 1]; k++)
            qa += prob[k] * u[succ[k]];
          q[a] = qa;
          mm = MAX (mm, qa);
        }
      for (int a = 0; a < na; a++)
        {
          q[a] = exp (q[a] - mm);
          z += q[a];
        }
      for (int a = 0; a < na; a++)
        {
          gsize r = (gsize) s * na + a;
          double pa = d * q[a] / z;

          for (int k = row[r]; k < row[r + 1]; k++)
            {
              int s2 = succ[k];
              double f = pa * prob[k];

              if (rho != NULL)
                rho[s2] += f;
              if (!term[s2])
                next[s2] += g * f;
            }
        }
    }
}

/* Prepares task->u and task->e for step t of a finite-horizon task. Stationary tasks keep
 * those of the final V from backward(). */
static void
step_setup (Task *task,
            int   t)
{
  int ns = task->mdp->n_states;

  if (task->T == 0)
    return;
  if (task->fast)
    {
      /* e_t as the backward pass left it (recomputed in a checkpointed task). u is only needed by the log-domain fallback of
       * propagate(), which the fast pass never leaves to it (every relevant sum is above
       * FAST_FLOOR). */
      task->e = e_row (task, t);
      return;
    }
  task->e = task->e_mem + task->pad;
  compute_u (task, z_row (task, t + 1));
  if (task->paths)
    {
      double m = task->M[t];
      for (int s = 0; s < ns; s++)
        task->e[s] = task->enterable[s] ? exp (task->u[s] - m) : 0.0;
    }
}

/* Writes the injections of step t (0 < t < T) into Dn, which holds zeros. */
static inline void
inject_row (Task *task,
            int   t,
            double *Dn)
{
  g_assert (task->inj_row != NULL);
  for (int k = task->inj_row[t]; k < task->inj_row[t + 1]; k++)
    Dn[task->inj_s[k]] = task->inj_v[k];
}

/* The forward pass from signed initial mass: init (n_states, at t = 0) plus, for
 * finite-horizon tasks with inject TRUE, the injections of each later step
 * (set_injections()). Accumulates the arrivals into task->rho. For a finite horizon it also
 * leaves the mass alive at the horizon in task->D. */
static void
forward (Task         *task,
         const double *init,
         gboolean      inject)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  double *rho = task->rho;

  memset (rho, 0, sizeof (double) * ns);
  memcpy (task->D, init, sizeof (double) * ns);

  if (task->fast && task->grid)
    {
      /* In terms of q_t = D_t / Z_t: the mass arriving at s is e_t(s) A(s) with A(s) the q
       * of the states that move into s, and since e_t(s) = w(s) α_t Z_{t+1}(s) for
       * non-terminal s, q_{t+1}(s) = α_t w(s) A(s): no division per state. (Vertical moves
       * are unmasked, as in backward_fast_grid(): e is 0 where they are blocked.) */
      int W = mdp->grid_width;
      const double *left = task->move[2], *right = task->move[3];
      const double *self_moves = task->self_moves;
      const double *w_non = task->w_non;
      const double *Z0 = z_row (task, 0);
      double *q = task->q_mem + task->pad;
      double *qn = task->qn_mem + task->pad;

      for (int s = 0; s < ns; s++)
        q[s] = init[s] != 0.0 ? init[s] / Z0[s] : 0.0;
      for (int t = 0; t < task->T; t++)
        {
          const double *e = e_row (task, t);
          const double *Zn = z_row (task, t + 1);
          double a = task->alpha[t];
          double *tmp;

          task->e = (double *) e;
          for (int s = 0; s < ns; s++)
            {
              double in = self_moves[s] * q[s] + q[s - W] + q[s + W] + left[s + 1] * q[s + 1] +
                          right[s - 1] * q[s - 1];

              rho[s] += e[s] * in;
              qn[s] = a * w_non[s] * in;
            }
          if (t + 1 == task->T)
            {
              /* The mass alive at the horizon, for sim_irl_outcome(). */
              for (int s = 0; s < ns; s++)
                task->D[s] = qn[s] * Zn[s];
            }
          else if (inject)
            {
              /* Only the paths recursion runs these passes: its injections are sparse. */
              for (int k = task->inj_row[t + 1]; k < task->inj_row[t + 2]; k++)
                qn[task->inj_s[k]] += task->inj_v[k] / Zn[task->inj_s[k]];
            }
          tmp = q;
          q = qn;
          qn = tmp;
        }
      return;
    }

  if (task->fast && task->band > 0)
    {
      /* As the grid pass above, with the weights W(s, s') of the source states: the mass
       * arriving at s gathers q from s, s ∓ B and s ∓ 1. Terminal states send nothing. */
      int B = task->band;
      const double *w0 = task->band_w[0], *wu = task->band_w[1], *wd = task->band_w[2];
      const double *wr = task->band_w[3], *wl = task->band_w[4];
      const double *w_non = task->w_non;
      const double *Z0 = z_row (task, 0);
      double *q = task->q_mem + task->pad;
      double *qn = task->qn_mem + task->pad;

      /* A state with Z = 0 (only when just terminating paths count) has no path left and
       * holds no mass: q stays 0 there. */
      for (int s = 0; s < ns; s++)
        q[s] = init[s] != 0.0 && !mdp->terminal[s] && Z0[s] > 0.0 ? init[s] / Z0[s] : 0.0;
      for (int t = 0; t < task->T; t++)
        {
          const double *e = e_row (task, t);
          const double *Zn = z_row (task, t + 1);
          double a = task->alpha[t];
          double *tmp;

          task->e = (double *) e;
          for (int s = 0; s < ns; s++)
            {
              double in = w0[s] * q[s] + wu[s - B] * q[s - B] + wd[s + B] * q[s + B] +
                          wr[s - 1] * q[s - 1] + wl[s + 1] * q[s + 1];

              rho[s] += e[s] * in;
              qn[s] = Zn[s] > 0.0 ? a * w_non[s] * in : 0.0;
            }
          if (t + 1 == task->T)
            {
              for (int s = 0; s < ns; s++)
                task->D[s] = qn[s] * Zn[s];
            }
          else if (inject)
            {
              for (int k = task->inj_row[t + 1]; k < task->inj_row[t + 2]; k++)
                {
                  int s = task->inj_s[k];
                  if (!mdp->terminal[s] && Zn[s] > 0.0)
                    qn[s] += task->inj_v[k] / Zn[s];
                }
            }
          tmp = q;
          q = qn;
          qn = tmp;
        }
      return;
    }

  if (task->fast && mdp->deterministic)
    {
      int na = mdp->n_actions;
      const int *next = task->next;
      const double *keep = task->keep;

      for (int t = 0; t < task->T; t++)
        {
          const double *Z = z_row (task, t);
          double *D = task->D;
          double *Dn = task->Dn;
          const double *e;
          double *tmp;

          step_setup (task, t);
          e = task->e;
          memset (Dn, 0, sizeof (double) * ns);
          if (inject && t + 1 < task->T)
            inject_row (task, t + 1, Dn);
          for (int i = 0; i < task->n_active; i++)
            {
              int s = task->active[i];
              const int *nx = next + (gsize) s * na;
              double scale;

              if (D[s] == 0.0)
                continue;
              scale = D[s] / Z[s];
              for (int a = 0; a < na; a++)
                {
                  int s2 = nx[a];
                  double f = scale * e[s2];

                  rho[s2] += f;
                  Dn[s2] += keep[s2] * f;
                }
            }
          tmp = task->D;
          task->D = task->Dn;
          task->Dn = tmp;
        }
      return;
    }

  if (task->fast)
    {
      /* The exp-domain passes of stochastic MDPs: the normaliser of state s at step t is the
       * Z_t(s) of backward_fast(), summed from the same e_t in the same order. A state with
       * Z_t(s) = 0 has no path left and never holds mass. */
      const int *w_row = task->w_row;
      const int *w_succ = task->w_succ;
      const double *w_prob = task->w_prob;
      const double *keep = task->keep;
      const guint8 *term = mdp->terminal;

      for (int t = 0; t < task->T; t++)
        {
          const double *Z = z_row (task, t);
          const double *e = e_row (task, t);
          double *D = task->D;
          double *Dn = task->Dn;
          double *tmp;

          task->e = (double *) e;
          memset (Dn, 0, sizeof (double) * ns);
          if (inject && t + 1 < task->T)
            inject_row (task, t + 1, Dn);
          for (int s = 0; s < ns; s++)
            {
              int k1;
              double scale;

              if (D[s] == 0.0 || term[s] || !(Z[s] > 0.0))
                continue;
              scale = D[s] / Z[s];
              k1 = w_row[s + 1];
              for (int k = w_row[s]; k < k1; k++)
                {
                  int s2 = w_succ[k];
                  double f = scale * w_prob[k] * e[s2];

                  rho[s2] += f;
                  Dn[s2] += keep[s2] * f;
                }
            }
          tmp = task->D;
          task->D = task->Dn;
          task->Dn = tmp;
        }
      return;
    }

  if (task->T > 0)
    {
      for (int t = 0; t < task->T; t++)
        {
          double *D = task->D;
          double *Dn = task->Dn;
          double *tmp;

          step_setup (task, t);
          memset (Dn, 0, sizeof (double) * ns);
          if (inject && t + 1 < task->T)
            inject_row (task, t + 1, Dn);
          for (int s = 0; s < ns; s++)
            if (D[s] != 0.0 && !mdp->terminal[s])
              propagate (task, s, D[s], rho, Dn);
          tmp = task->D;
          task->D = task->Dn;
          task->Dn = tmp;
        }
      return;
    }

  /* Stationary: total = Σ_k (γ K)^k init, then rho = K total. */
  {
    double *x = task->D;
    double *y = task->Dn;
    double *total = task->Vtmp;
    double norm0 = 0.0;

    for (int s = 0; s < ns; s++)
      norm0 += fabs (x[s]);
    memcpy (total, x, sizeof (double) * ns);
    for (int sweep = 0; sweep < MAX_SWEEPS && norm0 > 0.0; sweep++)
      {
        double norm = 0.0;
        double *tmp;

        memset (y, 0, sizeof (double) * ns);
        for (int s = 0; s < ns; s++)
          if (x[s] != 0.0 && !mdp->terminal[s])
            propagate (task, s, x[s], NULL, y);
        for (int s = 0; s < ns; s++)
          {
            total[s] += y[s];
            norm += fabs (y[s]);
          }
        tmp = x;
        x = y;
        y = tmp;
        if (norm <= STATIONARY_TOLERANCE * norm0)
          break;
      }
    memset (y, 0, sizeof (double) * ns);
    for (int s = 0; s < ns; s++)
      if (total[s] != 0.0 && !mdp->terminal[s])
        propagate (task, s, total[s], rho, y);
  }
}

/* Σ_s' (rho(s') + extra(s')) φ(s') into counts. */
static void
rho_counts (Task         *task,
            const double *extra,
            double       *counts)
{
  const SimMdp *mdp = task->mdp;
  int nf = mdp->n_features;

  memset (counts, 0, sizeof (double) * nf);
  for (int s = 0; s < mdp->n_states; s++)
    {
      double w = task->rho[s] + (extra != NULL ? extra[s] : 0.0);
      const double *f = mdp->phi + (gsize) s * nf;

      if (w == 0.0)
        continue;
      for (int i = 0; i < nf; i++)
        counts[i] += w * f[i];
    }
}

static int
compare_injection (const void *pa,
                   const void *pb)
{
  const Injection *a = pa;
  const Injection *b = pb;

  if (a->t != b->t)
    return a->t < b->t ? -1 : 1;
  if (a->s != b->s)
    return a->s < b->s ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

/* Makes the injection lists (inj_row, inj_s, inj_v; C holds the first step's densely) from
 * a list of contributions in the order they were made: each (t, s) sums its contributions in
 * that order, and the ones that sum to 0 are left out. Reorders list. */
static void
set_injections (Task      *task,
                Injection *list,
                guint      n)
{
  int ns = task->mdp->n_states;
  guint kept = 0;

  {
    const gsize offsets[2] = { G_STRUCT_OFFSET (Injection, s), G_STRUCT_OFFSET (Injection, t) };
    const int ranges[2] = { ns, task->T + 1 };

    sort_records (list, n, sizeof (Injection), compare_injection, 2, offsets, ranges);
  }
  memset (task->C, 0, sizeof (double) * ns);
  for (guint i = 0; i < n;)
    {
      double v = 0.0;
      guint j = i;

      for (; j < n && list[j].t == list[i].t && list[j].s == list[i].s; j++)
        v += list[j].v;
      if (v != 0.0)
        {
          list[kept] = list[i];
          list[kept].v = v;
          kept++;
        }
      i = j;
    }

  g_clear_pointer (&task->inj_row, g_free);
  g_clear_pointer (&task->inj_s, g_free);
  g_clear_pointer (&task->inj_v, g_free);
  task->inj_row = g_new0 (int, (gsize) task->T + 2);
  task->inj_s = g_new0 (int, MAX (kept, 1));
  task->inj_v = g_new0 (double, MAX (kept, 1));
  for (guint k = 0; k < kept; k++)
    {
      task->inj_row[list[k].t + 1]++;
      task->inj_s[k] = list[k].s;
      task->inj_v[k] = list[k].v;
      if (list[k].t == 0)
        task->C[list[k].s] = list[k].v;
    }
  for (int t = 0; t <= task->T; t++)
    task->inj_row[t + 1] += task->inj_row[t];
}

/* The θ-independent demonstration terms of the paths recursion: the empirical arrivals and
 * the injections −1 at (t, s_t) and +γ at (t + 1, s_{t+1}). With a horizon they are kept as
 * lists by time step (inj_row, inj_s, inj_v; C holds the first step's densely): a
 * demonstration's inner states cancel, so a few entries per demonstration remain, and
 * nothing of size T × S is needed. Each entry sums its contributions in the order of the
 * steps. */
static void
static_terms (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  guint n_steps = task->steps->len;
  g_autofree Injection *list = NULL;
  guint n = 0;

  memset (task->C, 0, sizeof (double) * ns);
  memset (task->wdata, 0, sizeof (double) * ns);
  if (task->T == 0)
    {
      for (guint i = 0; i < n_steps; i++)
        {
          const Step *st = &g_array_index (task->steps, Step, i);

          task->wdata[st->s2] += st->count;
          task->C[st->s] -= st->count;
          if (!mdp->terminal[st->s2])
            task->C[st->s2] += mdp->discount * st->count;
        }
      task->static_ready = TRUE;
      return;
    }

  list = g_new (Injection, 2 * (gsize) MAX (n_steps, 1));
  for (guint i = 0; i < n_steps; i++)
    {
      const Step *st = &g_array_index (task->steps, Step, i);

      task->wdata[st->s2] += st->count;
      list[n] = (Injection) { st->t, st->s, n, -st->count };
      n++;
      if (!mdp->terminal[st->s2] && st->t + 1 < task->T)
        {
          list[n] = (Injection) { st->t + 1, st->s2, n, mdp->discount * st->count };
          n++;
        }
    }
  set_injections (task, list, n);
  task->static_ready = TRUE;
}

/* A θ-dependent injection of the causal recursion: into C when stationary, else onto the
 * list that set_injections() turns into the injection lists. */
static inline void
add_injection (Task   *task,
               int     t,
               int     s,
               double  v)
{
  Injection inj = { t, s, task->inj_list->len, v };

  if (task->T == 0)
    task->C[s] += v;
  else
    g_array_append_val (task->inj_list, inj);
}

/* Log-likelihood of the demonstrations for the current V; for the causal recursion on
 * stochastic MDPs also fills the θ-dependent injections and wdata. */
static double
demo_terms (Task     *task,
            gboolean  want_grad)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  int na = mdp->n_actions;
  double g = mdp->discount;
  double ll = 0.0;

  if (task->paths)
    {
      /* Σ count (r(s2) + γ V_{t+1}(s2) − V_t(s)) over the steps is linear in r and V with
       * the θ-independent weights of static_terms(): Σ wdata·r + Σ C·V. Along a
       * demonstration the terms of its inner states cancel in C, which is left with a few
       * entries per demonstration. */
      if (!task->static_ready)
        static_terms (task);
      ll = task->log_weight;
      for (int s = 0; s < ns; s++)
        if (task->wdata[s] != 0.0)
          ll += task->wdata[s] * task->r[s];
      if (task->T > 0)
        {
          /* Summed per step, as the exp-domain passes collect them (collect_values()). */
          for (int t = 0; t < task->T; t++)
            {
              double part = 0.0;

              if (task->fast && task->inj_ll_ready)
                {
                  ll += task->inj_ll[t];
                  continue;
                }
              for (int k = task->inj_row[t]; k < task->inj_row[t + 1]; k++)
                part += task->inj_v[k] * value_at (task, t, task->inj_s[k]);
              ll += part;
            }
        }
      else
        {
          for (int s = 0; s < ns; s++)
            if (task->C[s] != 0.0)
              ll += task->C[s] * task->V[s];
        }
      return ll;
    }

  if (want_grad)
    {
      memset (task->C, 0, sizeof (double) * ns);
      memset (task->wdata, 0, sizeof (double) * ns);
      g_array_set_size (task->inj_list, 0);
    }
  for (guint i = 0; i < task->steps->len; i++)
    {
      const Step *st = &g_array_index (task->steps, Step, i);
      int s = st->s, s2 = st->s2, t = st->t;
      const double *Vn = task->T > 0 ? z_row (task, t + 1) : task->V;
      double lw[SIM_MDP_MAX_ACTIONS];
      double mm = -G_MAXDOUBLE, sum = 0.0, lq = 0.0, lp;

      /* log π_t(a|s) = Q_a − log Σ_b exp Q_b, computed here rather than from V_t(s) so that
       * the posterior below is normalised; lw[a] = log (π_t(a|s) P(s2|s,a)). */
      for (int a = 0; a < na; a++)
        {
          gsize r = (gsize) s * na + a;
          double qa = 0.0;

          for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
            {
              int s3 = mdp->succ[k];
              qa += mdp->prob[k] * (task->r[s3] + (mdp->terminal[s3] ? 0.0 : g * Vn[s3]));
            }
          lw[a] = qa;
          mm = MAX (mm, qa);
        }
      for (int a = 0; a < na; a++)
        sum += exp (lw[a] - mm);
      lq = mm + log (sum);
      mm = -G_MAXDOUBLE;
      for (int a = 0; a < na; a++)
        {
          gsize r = (gsize) s * na + a;
          double pa = 0.0;

          for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
            if (mdp->succ[k] == s2)
              pa += mdp->prob[k];
          lw[a] = pa > 0.0 ? lw[a] - lq + log (pa) : -G_MAXDOUBLE;
          mm = MAX (mm, lw[a]);
        }
      sum = 0.0;
      for (int a = 0; a < na; a++)
        if (lw[a] > -G_MAXDOUBLE)
          sum += exp (lw[a] - mm);
      lp = mm + log (sum);
      ll += st->count * lp;
      if (!want_grad)
        continue;

      /* The posterior w(a) of the unobserved action weighs the expected next state (the
       * empirical term) and the injections of G at the possible successors. */
      add_injection (task, t, s, -st->count);
      for (int a = 0; a < na; a++)
        {
          gsize r = (gsize) s * na + a;
          double w;

          if (lw[a] == -G_MAXDOUBLE)
            continue;
          w = st->count * exp (lw[a] - lp);
          if (w == 0.0)
            continue;
          for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
            {
              int s3 = mdp->succ[k];
              double wk = w * mdp->prob[k];

              task->wdata[s3] += wk;
              if (!mdp->terminal[s3] && (task->T == 0 || t + 1 < task->T))
                add_injection (task, t + 1, s3, g * wk);
            }
        }
    }
  if (want_grad && task->T > 0)
    set_injections (task, (Injection *) (void *) task->inj_list->data, task->inj_list->len);
  return ll;
}

static void
count_fast (SimIrl *self,
            Task   *task)
{
  if (!task->can_fast)
    return;
  self->n_fast++;
  if (!task->fast)
    self->n_fallbacks++;
}

/* Mean negative log-likelihood + l2‖θ‖² and its gradient. */
static double
evaluate (SimIrl       *self,
          const double *theta,
          double        l2,
          double       *grad)
{
  int nf = self->n_features;
  double ll = 0.0;
  double norm2 = 0.0;
  double n = MAX (self->n_trajectories, 1);
  double f;

  if (self->cache_valid && l2 == self->cache_l2 && (grad == NULL || self->cache_has_grad) &&
      memcmp (theta, self->cache_theta, sizeof (double) * nf) == 0)
    {
      if (grad != NULL)
        memcpy (grad, self->cache_grad, sizeof (double) * nf);
      return self->cache_f;
    }
  if (!sim_irl_prepare (self, NULL))
    return NAN;

  self->n_evaluations++;
  if (grad != NULL)
    memset (grad, 0, sizeof (double) * nf);

  for (guint i = 0; i < self->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (self->tasks, i);

      if (task->trajs->len == 0)
        continue;
      compute_reward (task, theta);
      backward (task);
      count_fast (self, task);
      task->solved_valid = FALSE;
      ll += demo_terms (task, grad != NULL);
      if (grad == NULL)
        continue;

      /* ∇ Σ log P = Σ wdata·φ + Σ C·G; the forward pass from C gives Σ C·G. */
      forward (task, task->C, task->T > 0);
      rho_counts (task, task->wdata, self->counts);
      for (int j = 0; j < nf; j++)
        grad[j] -= self->counts[j];
    }

  for (int j = 0; j < nf; j++)
    norm2 += theta[j] * theta[j];
  f = -ll / n + l2 * norm2;
  if (grad != NULL)
    for (int j = 0; j < nf; j++)
      grad[j] = grad[j] / n + 2.0 * l2 * theta[j];

  memcpy (self->cache_theta, theta, sizeof (double) * nf);
  self->cache_f = f;
  self->cache_l2 = l2;
  self->cache_valid = TRUE;
  self->cache_has_grad = grad != NULL;
  if (grad != NULL)
    memcpy (self->cache_grad, grad, sizeof (double) * nf);
  if (self->progress != NULL)
    self->progress (self->n_evaluations, self->progress_data);
  return f;
}

double
sim_irl_objective (SimIrl       *self,
                   const double *theta,
                   double        l2,
                   double       *grad)
{
  g_return_val_if_fail (self != NULL && theta != NULL, NAN);
  return evaluate (self, theta, l2, grad);
}

double
sim_irl_log_likelihood (SimIrl       *self,
                        const double *theta)
{
  g_return_val_if_fail (self != NULL && theta != NULL, NAN);
  return -evaluate (self, theta, 0.0, NULL);
}

/* The solver. Up to MAX_PRECONDITIONED_FEATURES features: dense BFGS (bfgs_dense() below)
 * from the Hessian at the start point, by forward differences of the exact gradient. Beyond:
 * gsl's vector_bfgs2 in rounds, on coordinates z with θ = θ_r + L⁻ᵀ z (L = NULL there, so
 * θ = θ_r + z). */

typedef struct
{
  SimIrl *self;
  double l2;
  const double *base;     /* θ_r */
  const gsl_matrix *L;    /* Cholesky factor of H, or NULL for θ = θ_r + z */
  gsl_vector *y;          /* scratch, n_features */
  double *theta;
  double *grad;
} Params;

static void
to_theta (Params           *p,
          const gsl_vector *z)
{
  gsl_vector_memcpy (p->y, z);
  if (p->L != NULL)
    gsl_blas_dtrsv (CblasLower, CblasTrans, CblasNonUnit, p->L, p->y);
  for (int j = 0; j < p->self->n_features; j++)
    p->theta[j] = p->base[j] + gsl_vector_get (p->y, j);
}

/* ∇z = L⁻¹ ∇θ. */
static void
to_z_gradient (Params       *p,
               const double *g_theta,
               gsl_vector   *g)
{
  for (int j = 0; j < p->self->n_features; j++)
    gsl_vector_set (g, j, g_theta[j]);
  if (p->L != NULL)
    gsl_blas_dtrsv (CblasLower, CblasNoTrans, CblasNonUnit, p->L, g);
}

static double
fn_f (const gsl_vector *z,
      void             *data)
{
  Params *p = data;

  /* The line search nearly always asks for the gradient at the same point next: compute it
   * now, the cache hands it over. */
  to_theta (p, z);
  return evaluate (p->self, p->theta, p->l2, p->grad);
}

static void
fn_fdf (const gsl_vector *z,
        void             *data,
        double           *f,
        gsl_vector       *g)
{
  Params *p = data;
  double value;

  to_theta (p, z);
  value = evaluate (p->self, p->theta, p->l2, p->grad);
  to_z_gradient (p, p->grad, g);
  if (f != NULL)
    *f = value;
}

static void
fn_df (const gsl_vector *z,
       void             *data,
       gsl_vector       *g)
{
  fn_fdf (z, data, NULL, g);
}

void
sim_irl_result_clear (SimIrlResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->theta, g_free);
  g_clear_pointer (&result->unit, g_free);
  g_clear_pointer (&result->uncertainty, g_free);
  memset (result, 0, sizeof *result);
}

static double
norm (const double *v,
      int           n)
{
  double s = 0.0;

  for (int i = 0; i < n; i++)
    s += v[i] * v[i];
  return sqrt (s);
}

/* Beyond this many features the solver runs without the Hessian (it costs one gradient per
 * feature) and without the dense inverse. */
#define MAX_PRECONDITIONED_FEATURES 64
/* Iterations per round. */
#define ROUND_ITERATIONS 10

/* H by forward differences of the gradient at theta (g = ∇ there), symmetrised. */
static void
fd_hessian (SimIrl       *self,
            const double *theta,
            const double *g,
            double        l2,
            gsl_matrix   *H)
{
  int nf = self->n_features;
  g_autofree double *th = g_memdup2 (theta, sizeof (double) * nf);
  g_autofree double *g1 = g_new0 (double, nf);

  for (int i = 0; i < nf; i++)
    {
      double h = 1e-5 * MAX (1.0, fabs (theta[i]));

      th[i] = theta[i] + h;
      evaluate (self, th, l2, g1);
      th[i] = theta[i];
      for (int j = 0; j < nf; j++)
        gsl_matrix_set (H, i, j, (g1[j] - g[j]) / h);
    }
  for (int i = 0; i < nf; i++)
    for (int j = 0; j < i; j++)
      {
        double v = 0.5 * (gsl_matrix_get (H, i, j) + gsl_matrix_get (H, j, i));
        gsl_matrix_set (H, i, j, v);
        gsl_matrix_set (H, j, i, v);
      }
}

/* Cholesky factor of H in place (lower triangle), with a ridge added when rounding or a
 * non-convex region leaves H indefinite. Returns FALSE if even that fails. */
static gboolean
cholesky_with_ridge (gsl_matrix *H,
                     double      l2)
{
  int nf = (int) H->size1;
  g_autoptr (GArray) diag = g_array_sized_new (FALSE, FALSE, sizeof (double), nf);
  double top = 0.0;

  for (int i = 0; i < nf; i++)
    {
      double v = gsl_matrix_get (H, i, i);
      g_array_append_val (diag, v);
      if (isfinite (v))
        top = MAX (top, fabs (v));
    }
  for (int attempt = 0; attempt < 12; attempt++)
    {
      double ridge = attempt == 0 ? 0.0 : MAX (2.0 * l2, 1e-10 * MAX (top, 1.0)) *
                                          pow (10.0, attempt - 1);
      gboolean finite = TRUE;

      for (int i = 0; i < nf; i++)
        for (int j = 0; j <= i; j++)
          {
            /* gsl's decomposition overwrote the lower triangle: rebuild it from the upper. */
            double v = i == j ? g_array_index (diag, double, i) : gsl_matrix_get (H, j, i);
            if (i == j)
              v += ridge;
            finite = finite && isfinite (v);
            gsl_matrix_set (H, i, j, v);
          }
      if (!finite)
        return FALSE;
      if (gsl_linalg_cholesky_decomp1 (H) == GSL_SUCCESS)
        return TRUE;
    }
  return FALSE;
}

/* The longest step the line search tries, in θ (a guard against overflow far from the optimum). */
#define MAX_STEP 10.0

/* B = H⁻¹ from a Hessian H (destroyed): Cholesky with a ridge where needed, then the inverse.
 * Returns FALSE if H cannot be factorised. */
static gboolean
invert_hessian (gsl_matrix *H,
                double      l2)
{
  if (!cholesky_with_ridge (H, l2))
    return FALSE;
  return gsl_linalg_cholesky_invert (H) == GSL_SUCCESS;
}

/* With the paths recursion, γ = 1 and a horizon, θ = 0 weighs a path by the product of its
 * Σ_a P, which grows like |A|^T: the partition function is dominated by paths as long as the
 * horizon, and the objective there is far from its optimum and far from quadratic. When the
 * features can express a constant reward (some u with φ(s)·u = 1 on every state), the reward
 * −log |A| per step removes that growth. Writes that θ and returns TRUE when it applies. */
static gboolean
critical_start (SimIrl *self,
                double *theta)
{
  int nf = self->n_features;
  gboolean supercritical = FALSE;
  int n_actions = 0;
  gsl_matrix *A;
  gsl_vector *b, *u;
  gboolean ok = FALSE;

  for (guint k = 0; k < self->tasks->len; k++)
    {
      Task *task = g_ptr_array_index (self->tasks, k);

      if (task->trajs->len > 0 && task->paths && task->T > 0 && task->mdp->discount == 1.0)
        {
          supercritical = TRUE;
          n_actions = MAX (n_actions, task->mdp->n_actions);
        }
    }
  if (!supercritical || n_actions < 2)
    return FALSE;

  /* u by least squares over every state, kept only when it fits exactly. */
  A = gsl_matrix_calloc (nf, nf);
  b = gsl_vector_calloc (nf);
  u = gsl_vector_alloc (nf);
  for (guint k = 0; k < self->tasks->len; k++)
    {
      const SimMdp *mdp = ((Task *) g_ptr_array_index (self->tasks, k))->mdp;

      for (int s = 0; s < mdp->n_states; s++)
        {
          const double *phi = mdp->phi + (gsize) s * nf;

          for (int i = 0; i < nf; i++)
            {
              if (phi[i] == 0.0)
                continue;
              gsl_vector_set (b, i, gsl_vector_get (b, i) + phi[i]);
              for (int j = 0; j < nf; j++)
                gsl_matrix_set (A, i, j, gsl_matrix_get (A, i, j) + phi[i] * phi[j]);
            }
        }
    }
  if (cholesky_with_ridge (A, 0.0) && gsl_linalg_cholesky_solve (A, b, u) == GSL_SUCCESS)
    {
      ok = TRUE;
      for (guint k = 0; k < self->tasks->len && ok; k++)
        {
          const SimMdp *mdp = ((Task *) g_ptr_array_index (self->tasks, k))->mdp;

          for (int s = 0; s < mdp->n_states && ok; s++)
            {
              double v = 0.0;

              for (int i = 0; i < nf; i++)
                v += mdp->phi[(gsize) s * nf + i] * gsl_vector_get (u, i);
              ok = fabs (v - 1.0) <= 1e-9;
            }
        }
    }
  if (ok)
    for (int i = 0; i < nf; i++)
      theta[i] = -log ((double) n_actions) * gsl_vector_get (u, i);
  gsl_matrix_free (A);
  gsl_vector_free (b);
  gsl_vector_free (u);
  return ok;
}

/* Dense BFGS on θ: B approximates the inverse Hessian, starts from the given matrix and takes
 * the rank-two update after every step (the objective is convex, so sᵀy > 0 keeps B positive
 * definite). Each iteration tries the full quasi-Newton step p = −B∇ (at most MAX_STEP long,
 * and within a radius set by the previous step) and backtracks by interpolation until the
 * Armijo condition holds; a good start matrix makes that one evaluation per iteration. theta,
 * grad and *f hold the best point, in and out. Returns the iterations done; *stuck is set
 * when the line search found no decrease. */
static int
bfgs_dense (SimIrl     *self,
            double      l2,
            double      tol,
            int         max_iterations,
            gsl_matrix *B,
            double     *theta,
            double     *grad,
            double     *f,
            gboolean   *stuck)
{
  int nf = self->n_features;
  g_autofree double *p = g_new (double, nf);
  g_autofree double *trial = g_new (double, nf);
  g_autofree double *g1 = g_new (double, nf);
  g_autofree double *s = g_new (double, nf);
  g_autofree double *y = g_new (double, nf);
  g_autofree double *By = g_new (double, nf);
  int iterations = 0;
  double gnorm = norm (grad, nf);
  double radius = MAX_STEP;
  int attempt;

  *stuck = FALSE;
  while (gnorm > tol && iterations < max_iterations)
    {
      double slope = 0.0, alpha = 1.0, plen, f1 = NAN;
      gboolean accepted = FALSE;

      for (int i = 0; i < nf; i++)
        {
          double v = 0.0;
          for (int j = 0; j < nf; j++)
            v -= gsl_matrix_get (B, i, j) * grad[j];
          p[i] = v;
          slope += v * grad[i];
        }
      if (!(slope < 0.0))
        {
          /* B lost positive definiteness to rounding: steepest descent. */
          for (int i = 0; i < nf; i++)
            p[i] = -grad[i];
          slope = -gnorm * gnorm;
        }
      plen = norm (p, nf);
      if (plen > radius)
        alpha = radius / plen;
      for (attempt = 0; attempt < 40 && !accepted; attempt++)
        {
          for (int i = 0; i < nf; i++)
            trial[i] = theta[i] + alpha * p[i];
          f1 = evaluate (self, trial, l2, g1);
          if (isfinite (f1) && (f1 <= *f + 1e-4 * alpha * slope ||
                                /* At the optimum the decrease is below rounding: take the
                                 * step when the value holds and the gradient shrinks. */
                                (f1 <= *f + 1e-13 * fabs (*f) && norm (g1, nf) < gnorm)))
            {
              accepted = TRUE;
              break;
            }
          if (isfinite (f1))
            {
              /* The minimum of the cubic through the values and slopes at 0 and α (the
               * objective along a line is convex but far from quadratic near its exponential
               * walls), or of the quadratic through f, the slope and f1. */
              double d1 = 0.0, z, w2, a;

              for (int i = 0; i < nf; i++)
                d1 += g1[i] * p[i];
              z = 3.0 * (*f - f1) / alpha + slope + d1;
              w2 = z * z - slope * d1;
              if (isfinite (d1) && w2 >= 0.0)
                {
                  double w = sqrt (w2);
                  a = alpha * (1.0 - (d1 + w - z) / (d1 - slope + 2.0 * w));
                  alpha = CLAMP (a, 0.01 * alpha, 0.8 * alpha);
                }
              else
                {
                  a = -slope * alpha * alpha / (2.0 * (f1 - *f - slope * alpha));
                  alpha = CLAMP (a, 0.1 * alpha, 0.5 * alpha);
                }
            }
          else
            {
              alpha *= 0.1;
            }
        }
      iterations++;
      if (!accepted)
        {
          *stuck = TRUE;
          break;
        }
      /* The next trial step is at most twice as long as this one when this one needed
       * no backtracking, and no longer when it did: near the exponential walls of the
       * objective that saves the evaluations of repeated overshoots. */
      if (attempt == 0)
        radius = MIN (MAX_STEP, MAX (radius, 2.0 * alpha * plen));
      else
        radius = alpha * plen;

      /* BFGS update of the inverse: B ← (I − ρ s yᵀ) B (I − ρ y sᵀ) + ρ s sᵀ. */
      {
        double sy = 0.0, yBy = 0.0;

        for (int i = 0; i < nf; i++)
          {
            s[i] = trial[i] - theta[i];
            y[i] = g1[i] - grad[i];
            sy += s[i] * y[i];
          }
        for (int i = 0; i < nf; i++)
          {
            double v = 0.0;
            for (int j = 0; j < nf; j++)
              v += gsl_matrix_get (B, i, j) * y[j];
            By[i] = v;
            yBy += y[i] * v;
          }
        if (sy > 1e-12 * norm (s, nf) * norm (y, nf))
          {
            double rho = 1.0 / sy;
            double c = rho * rho * yBy + rho;

            for (int i = 0; i < nf; i++)
              for (int j = 0; j < nf; j++)
                gsl_matrix_set (B, i, j, gsl_matrix_get (B, i, j) -
                                rho * (By[i] * s[j] + s[i] * By[j]) + c * s[i] * s[j]);
          }
      }
      memcpy (theta, trial, sizeof (double) * nf);
      memcpy (grad, g1, sizeof (double) * nf);
      *f = f1;
      gnorm = norm (grad, nf);
    }
  return iterations;
}

gboolean
sim_irl_solve (SimIrl              *self,
               const double        *theta0,
               const SimIrlOptions *options,
               SimIrlResult        *result,
               GError             **error)
{
  SimIrlOptions defaults;
  int nf;
  Params params;
  g_autofree double *grad = NULL;
  g_autofree double *best = NULL;
  g_autofree double *base = NULL;
  g_autofree double *p_theta = NULL;
  g_autofree double *p_grad = NULL;
  gsl_multimin_function_fdf fdf;
  gsl_multimin_fdfminimizer *minimizer;
  gsl_matrix *L = NULL;
  gsl_vector *z;
  int iterations = 0;
  int stalls = 0;
  double f, gnorm, tol, step;
  double mean_steps = 0.0;
  int evaluations_before;

  g_return_val_if_fail (self != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (options == NULL)
    {
      sim_irl_options_init (&defaults);
      options = &defaults;
    }
  nf = self->n_features;
  if (self->n_trajectories == 0)
    {
      g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID,
                   "no demonstrations to learn from");
      return FALSE;
    }
  if (!sim_irl_prepare (self, error))
    return FALSE;
  evaluations_before = self->n_evaluations;

  /* The gradient is a difference of feature counts per demonstration, which grow with its
   * length: the tolerance is relative to the mean number of steps. */
  for (guint i = 0; i < self->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (self->tasks, i);
      mean_steps += (double) (task->states->len - task->trajs->len);
    }
  mean_steps /= self->n_trajectories;
  tol = options->gradient_tolerance * MAX (1.0, mean_steps);

  grad = g_new0 (double, nf);
  best = g_new0 (double, nf);
  base = g_new0 (double, nf);
  p_theta = g_new0 (double, nf);
  p_grad = g_new0 (double, nf);
  if (theta0 != NULL)
    for (int j = 0; j < nf; j++)
      best[j] = isfinite (theta0[j]) ? theta0[j] : 0.0;

  f = evaluate (self, best, options->l2, grad);
  gnorm = norm (grad, nf);
  if (!isfinite (f) || !isfinite (gnorm))
    {
      g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_FAILED,
                   "the objective is not finite at the start point");
      return FALSE;
    }

  params.self = self;
  params.l2 = options->l2;
  params.base = base;
  params.y = gsl_vector_alloc (nf);
  params.theta = p_theta;
  params.grad = p_grad;
  fdf.f = fn_f;
  fdf.df = fn_df;
  fdf.fdf = fn_fdf;
  fdf.n = nf;
  fdf.params = &params;
  if (nf <= MAX_PRECONDITIONED_FEATURES)
    L = gsl_matrix_alloc (nf, nf);

  z = gsl_vector_calloc (nf);
  minimizer = gsl_multimin_fdfminimizer_alloc (gsl_multimin_fdfminimizer_vector_bfgs2, nf);
  if (L != NULL)
    {
      g_autofree double *th_c = g_new0 (double, nf);
      g_autofree double *g_c = g_new0 (double, nf);

      if (theta0 == NULL && critical_start (self, th_c))
        {
          double f_c = evaluate (self, th_c, options->l2, g_c);

          if (isfinite (f_c) && f_c < f && isfinite (norm (g_c, nf)))
            {
              f = f_c;
              memcpy (best, th_c, sizeof (double) * nf);
              memcpy (grad, g_c, sizeof (double) * nf);
              gnorm = norm (grad, nf);
            }
        }
      /* Dense BFGS from the Hessian at the start; a fresh Hessian only when the line search
       * gets stuck. */
      for (int restart = 0; gnorm > tol && iterations < options->max_iterations &&
                             restart < 3; restart++)
        {
          gboolean stuck = FALSE;

          if (self->hessian_valid && iterations == 0)
            gsl_matrix_memcpy (L, self->hessian);
          else
            fd_hessian (self, best, grad, options->l2, L);
          if (!invert_hessian (L, options->l2))
            {
              gsl_matrix_set_identity (L);
              gsl_matrix_scale (L, MIN (1.0, 1.0 / gnorm));
            }
          iterations += bfgs_dense (self, options->l2, tol,
                                    options->max_iterations - iterations, L, best, grad, &f,
                                    &stuck);
          gnorm = norm (grad, nf);
          if (!stuck)
            break;
        }
    }
  /* Beyond MAX_PRECONDITIONED_FEATURES: rounds of gsl's BFGS, each from the best point so far;
   * a round ends after ROUND_ITERATIONS, or when the line search can make no more progress. */
  while (L == NULL && gnorm > tol && iterations < options->max_iterations && stalls < 3)
    {
      int status;
      int round = 0;
      double f_start = f;

      memcpy (base, best, sizeof (double) * nf);
      params.L = NULL;
      gsl_vector_set_zero (z);
      /* With the Hessian, the Newton step in z has the length of the gradient in z; the
       * first trial step of vector_bfgs2 has the given length along −∇z. */
      if (params.L != NULL)
        {
          to_z_gradient (&params, grad, params.y);
          step = MIN (gsl_blas_dnrm2 (params.y), 10.0);
        }
      else
        {
          step = options->step_size;
        }
      status = gsl_multimin_fdfminimizer_set (minimizer, &fdf, z, step, 0.9);
      if (status != GSL_SUCCESS)
        break;
      while (iterations < options->max_iterations && round < ROUND_ITERATIONS)
        {
          double fm;

          status = gsl_multimin_fdfminimizer_iterate (minimizer);
          iterations++;
          round++;
          fm = gsl_multimin_fdfminimizer_minimum (minimizer);
          if (isfinite (fm) && fm <= f)
            {
              /* The minimiser's point and gradient, back in θ: ∇θ = L ∇z. */
              f = fm;
              to_theta (&params, gsl_multimin_fdfminimizer_x (minimizer));
              memcpy (best, params.theta, sizeof (double) * nf);
              gsl_vector_memcpy (params.y, gsl_multimin_fdfminimizer_gradient (minimizer));
              if (params.L != NULL)
                gsl_blas_dtrmv (CblasLower, CblasNoTrans, CblasNonUnit, params.L, params.y);
              for (int j = 0; j < nf; j++)
                grad[j] = gsl_vector_get (params.y, j);
              gnorm = norm (grad, nf);
            }
          if (status != GSL_SUCCESS || gnorm <= tol)
            break;
        }
      /* A round that gained nothing counts as a stall; three in a row end the search. */
      stalls = f < f_start ? 0 : stalls + 1;
    }
  gsl_multimin_fdfminimizer_free (minimizer);
  gsl_vector_free (z);
  gsl_vector_free (params.y);
  if (L != NULL)
    gsl_matrix_free (L);

  /* Report the exact objective and gradient at the returned point. */
  f = evaluate (self, best, options->l2, grad);
  gnorm = norm (grad, nf);

  result->n_features = nf;
  result->theta = g_memdup2 (best, sizeof (double) * nf);
  result->unit = g_new0 (double, nf);
  {
    double nt = norm (best, nf);
    if (nt > 0.0)
      for (int j = 0; j < nf; j++)
        result->unit[j] = best[j] / nt;
  }
  result->objective = f;
  {
    double norm2 = 0.0;
    for (int j = 0; j < nf; j++)
      norm2 += best[j] * best[j];
    result->log_likelihood = -(f - options->l2 * norm2);
  }
  result->gradient_norm = gnorm;
  result->iterations = iterations;
  result->converged = gnorm <= tol;
  if (options->uncertainty)
    {
      result->uncertainty = g_new0 (double, nf);
      sim_irl_uncertainty (self, best, options->l2, result->uncertainty);
    }
  result->evaluations = self->n_evaluations - evaluations_before;
  return TRUE;
}

int
sim_irl_uncertainty (SimIrl       *self,
                     const double *theta,
                     double        l2,
                     double       *sd_unit)
{
  int nf;
  int before;
  double n;
  double nt;
  g_autofree double *th = NULL;
  g_autofree double *g0 = NULL;
  g_autofree double *u = NULL;
  gsl_matrix *H, *cov, *J, *tmp, *cu;
  int status = GSL_FAILURE;

  g_return_val_if_fail (self != NULL && theta != NULL && sd_unit != NULL, 0);

  nf = self->n_features;
  before = self->n_evaluations;
  n = MAX (self->n_trajectories, 1);
  nt = norm (theta, nf);
  if (!(nt > 1e-12) || !isfinite (nt))
    {
      for (int j = 0; j < nf; j++)
        sd_unit[j] = 1.0;
      return 0;
    }

  th = g_memdup2 (theta, sizeof (double) * nf);
  g0 = g_new0 (double, nf);
  u = g_new0 (double, nf);
  H = gsl_matrix_alloc (nf, nf);
  evaluate (self, th, l2, g0);
  fd_hessian (self, theta, g0, l2, H);
  if (self->hessian == NULL)
    self->hessian = gsl_matrix_alloc (nf, nf);
  gsl_matrix_memcpy (self->hessian, H);
  self->hessian_valid = TRUE;
  /* Scale to n·H and invert by Cholesky; a ridge only if rounding broke the positive
   * definiteness (the L2 term alone makes the true Hessian ≥ 2 l2). */
  gsl_matrix_scale (H, n);
  cov = gsl_matrix_alloc (nf, nf);
  for (int attempt = 0; attempt < 20 && status != GSL_SUCCESS; attempt++)
    {
      gsl_matrix_memcpy (cov, H);
      if (attempt > 0)
        {
          double ridge = 2.0 * MAX (l2, 1e-8) * n * pow (10.0, attempt - 1);
          for (int i = 0; i < nf; i++)
            gsl_matrix_set (cov, i, i, gsl_matrix_get (cov, i, i) + ridge);
        }
      status = gsl_linalg_cholesky_decomp1 (cov);
      if (status == GSL_SUCCESS)
        status = gsl_linalg_cholesky_invert (cov);
    }

  if (status != GSL_SUCCESS)
    {
      for (int j = 0; j < nf; j++)
        sd_unit[j] = 1.0;
    }
  else
    {
      /* Delta method: Cov(u) = J Cov(θ) Jᵀ with J = (I − u uᵀ)/‖θ‖. */
      J = gsl_matrix_alloc (nf, nf);
      tmp = gsl_matrix_alloc (nf, nf);
      cu = gsl_matrix_alloc (nf, nf);
      for (int j = 0; j < nf; j++)
        u[j] = theta[j] / nt;
      for (int i = 0; i < nf; i++)
        for (int j = 0; j < nf; j++)
          gsl_matrix_set (J, i, j, ((i == j ? 1.0 : 0.0) - u[i] * u[j]) / nt);
      gsl_blas_dgemm (CblasNoTrans, CblasNoTrans, 1.0, J, cov, 0.0, tmp);
      gsl_blas_dgemm (CblasNoTrans, CblasTrans, 1.0, tmp, J, 0.0, cu);
      for (int j = 0; j < nf; j++)
        {
          double v = gsl_matrix_get (cu, j, j);
          sd_unit[j] = isfinite (v) ? sqrt (MAX (v, 0.0)) : 1.0;
          sd_unit[j] = MIN (sd_unit[j], 1.0);
        }
      gsl_matrix_free (J);
      gsl_matrix_free (tmp);
      gsl_matrix_free (cu);
    }
  gsl_matrix_free (H);
  gsl_matrix_free (cov);
  return self->n_evaluations - before;
}

/* Sets up a task's backward pass for θ outside the objective, unless it already holds it. */
static Task *
solve_task (SimIrl       *self,
            int           mdp_index,
            const double *theta)
{
  Task *task;

  g_return_val_if_fail (self != NULL && theta != NULL, NULL);
  g_return_val_if_fail (mdp_index >= 0 && (guint) mdp_index < self->tasks->len, NULL);

  task = g_ptr_array_index (self->tasks, mdp_index);
  if (!task_prepare (self, task, FALSE, NULL))
    return NULL;
  if (task->solved_valid &&
      memcmp (task->solved, theta, sizeof (double) * task->mdp->n_features) == 0)
    return task;
  compute_reward (task, theta);
  backward (task);
  count_fast (self, task);
  memcpy (task->solved, theta, sizeof (double) * task->mdp->n_features);
  task->solved_valid = TRUE;
  return task;
}

void
sim_irl_expected_counts (SimIrl       *self,
                         int           mdp_index,
                         const double *theta,
                         double       *counts)
{
  Task *task = solve_task (self, mdp_index, theta);

  g_return_if_fail (counts != NULL);
  if (task == NULL)
    {
      memset (counts, 0, sizeof (double) * self->n_features);
      return;
    }
  forward (task, task->mdp->start, FALSE);
  rho_counts (task, NULL, counts);
}

int
sim_irl_sample (SimIrl       *self,
                int           mdp_index,
                const double *theta,
                gsl_rng      *rng,
                int           max_length,
                int          *states)
{
  Task *task = solve_task (self, mdp_index, theta);
  const SimMdp *mdp;
  int ns, na, steps, n = 0, s = 0;
  double pick, acc = 0.0;

  g_return_val_if_fail (rng != NULL && states != NULL, 0);
  if (task == NULL)
    return 0;
  mdp = task->mdp;
  ns = mdp->n_states;
  na = mdp->n_actions;
  steps = task->T > 0 ? task->T : max_length;

  pick = gsl_rng_uniform (rng);
  for (s = 0; s < ns - 1; s++)
    {
      acc += mdp->start[s];
      if (pick < acc)
        break;
    }
  states[n++] = s;
  for (int t = 0; t < steps && !mdp->terminal[s]; t++)
    {
      int k0 = mdp->row[(gsize) s * na];
      int k1 = mdp->row[(gsize) (s + 1) * na];
      int next = -1;

      /* The distribution of the next state: unit mass propagated into rho. */
      step_setup (task, t);
      for (int k = k0; k < k1; k++)
        task->rho[mdp->succ[k]] = 0.0;
      propagate (task, s, 1.0, task->rho, task->Dn);
      pick = gsl_rng_uniform (rng);
      acc = 0.0;
      for (int k = k0; k < k1; k++)
        {
          int s2 = mdp->succ[k];

          /* Each successor counts once, however many (a, s') entries lead to it. */
          acc += task->rho[s2];
          task->rho[s2] = 0.0;
          if (next < 0 && pick < acc)
            next = s2;
        }
      if (next < 0)
        next = mdp->succ[k1 - 1];   /* rounding left the total slightly below 1 */
      s = next;
      states[n++] = s;
    }
  return n;
}

void
sim_irl_outcome (SimIrl       *self,
                 int           mdp_index,
                 const double *theta,
                 const guint8 *enter_mask,
                 const guint8 *end_mask,
                 double       *p_enter,
                 double       *p_end)
{
  Task *task = solve_task (self, mdp_index, theta);
  int ns;

  if (p_enter != NULL)
    *p_enter = 0.0;
  if (p_end != NULL)
    *p_end = 0.0;
  if (task == NULL)
    return;
  g_return_if_fail (task->T > 0);

  ns = task->mdp->n_states;
  forward (task, task->mdp->start, FALSE);
  for (int s = 0; s < ns; s++)
    {
      if (enter_mask != NULL && enter_mask[s] && p_enter != NULL)
        *p_enter += task->rho[s];
      if (end_mask != NULL && end_mask[s] && p_end != NULL && !task->mdp->terminal[s])
        *p_end += task->D[s];
    }
}
