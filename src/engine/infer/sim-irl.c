/* sim-irl.c: maximum-entropy inverse reinforcement learning on finite MDPs: the API, the
 * problem's setup and workspaces, the objective, and the queries on a solved reward
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
 *
 * The passes are in sim-irl-passes.c, the solver in sim-irl-solver.c; sim-irl-private.h
 * holds what they share. This file is over 1,200 lines because the workspace setup
 * (successor lists, bands, checkpoints, the memory limit) belongs with the problem it sizes.
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

#include "sim-irl-private.h"
#include "sim-scenario.h"
#include "sim-vector.h"

G_DEFINE_QUARK (sim-irl-error-quark, sim_irl_error)

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
  g_clear_pointer (&task->k_row, g_free);
  g_clear_pointer (&task->k_succ, g_free);
  g_clear_pointer (&task->k_w, g_free);
  task->k_cap = 0;
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
  g_free (task->part_grad);
  g_free (task->part_hess);
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
  options->trajectory_terms = FALSE;
}

SimIrl *
sim_irl_new (int         n_features,
             SimIrlModel model)
{
  static gsize gsl_quiet = 0;
  SimIrl *self;

  g_return_val_if_fail (n_features >= 1 && n_features <= SIM_MDP_MAX_FEATURES, NULL);

  /* The solver reads GSL's error codes (a Hessian that is not positive definite gets a
   * ridge, a stuck line search a restart); GSL's default handler would abort instead. The
   * handler is process-wide: switched off once, before the first problem exists. */
  if (g_once_init_enter (&gsl_quiet))
    {
      gsl_set_error_handler_off ();
      g_once_init_leave (&gsl_quiet, 1);
    }

  self = g_new0 (SimIrl, 1);
  self->n_features = n_features;
  self->model = model;
  self->tasks = g_ptr_array_new_with_free_func (task_free);
  self->counts = g_new0 (double, n_features);
  self->cache_theta = g_new0 (double, n_features);
  self->cache_grad = g_new0 (double, n_features);
  self->checkpoint = -1;
  self->tolerance = STATIONARY_TOLERANCE;
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
  if (self->inverse != NULL)
    gsl_matrix_free (self->inverse);
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
sim_irl_set_stationary_tolerance (SimIrl *self,
                                  double  tolerance)
{
  g_return_if_fail (self != NULL && tolerance > 0.0);
  self->tolerance = tolerance;
  for (guint i = 0; i < self->tasks->len; i++)
    ((Task *) g_ptr_array_index (self->tasks, i))->tolerance = tolerance;
  self->cache_valid = FALSE;
}

guint64
sim_irl_get_sweep_count (SimIrl *self)
{
  guint64 n = 0;

  g_return_val_if_fail (self != NULL, 0);
  for (guint i = 0; i < self->tasks->len; i++)
    n += ((Task *) g_ptr_array_index (self->tasks, i))->n_sweeps;
  return n;
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
  task->tolerance = self->tolerance;
  task->part_grad = g_new0 (double, self->n_features);
  g_ptr_array_add (self->tasks, task);
  self->cache_valid = FALSE;
  return (int) self->tasks->len - 1;
}

/* Appends a checked demonstration of log weight log_w (Σ log of its steps' transition weights,
 * already in task->log_weight) to task. */
static void
append_trajectory (SimIrl    *self,
                   Task      *task,
                   const int *states,
                   int        length,
                   double     log_w)
{
  Traj tr;

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
  tr.log_w = log_w;
  g_array_append_vals (task->states, states, length);
  g_array_append_val (task->trajs, tr);
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
}

gboolean
sim_irl_add_trajectory (SimIrl     *self,
                        int         mdp_index,
                        const int  *states,
                        int         length,
                        GError    **error)
{
  Task *task;
  double log_w;
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

  log_w = 0.0;
  for (int t = 0; t + 1 < length; t++)
    {
      double lw = log (sim_mdp_transition_weight (task->mdp, states[t], states[t + 1]));

      log_w += lw;
      task->log_weight += lw;
    }
  append_trajectory (self, task, states, length, log_w);
  return TRUE;
}

void
sim_irl_copy_trajectory (SimIrl *self,
                         int     mdp_index,
                         SimIrl *from,
                         int     from_index,
                         int     k)
{
  Task *task, *source;
  const Traj *src;

  g_return_if_fail (self != NULL && from != NULL);
  g_return_if_fail (mdp_index >= 0 && (guint) mdp_index < self->tasks->len);
  g_return_if_fail (from_index >= 0 && (guint) from_index < from->tasks->len);
  task = g_ptr_array_index (self->tasks, mdp_index);
  source = g_ptr_array_index (from->tasks, from_index);
  g_return_if_fail (task->mdp == source->mdp);
  g_return_if_fail (k >= 0 && (guint) k < source->trajs->len);

  src = &g_array_index (source->trajs, Traj, k);
  task->log_weight += src->log_w;
  append_trajectory (self, task, &g_array_index (source->states, int, src->offset), src->length,
                     src->log_w);
}

SimIrl *
sim_irl_new_for_mdp (SimMdp       *mdp,
                     SimIrlModel   model,
                     GPtrArray    *trajectories,
                     GError      **error)
{
  g_autoptr (SimIrl) irl = NULL;
  int index;

  g_return_val_if_fail (mdp != NULL && trajectories != NULL, NULL);

  irl = sim_irl_new (mdp->n_features, model);
  index = sim_irl_add_mdp (irl, mdp);
  for (guint i = 0; i < trajectories->len; i++)
    {
      GArray *tr = g_ptr_array_index (trajectories, i);
      g_autoptr (GError) local_error = NULL;

      if (!sim_irl_add_trajectory (irl, index, (const int *) tr->data, (int) tr->len,
                                   &local_error))
        {
          g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID, "trajectories[%u]: %s", i,
                       local_error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&irl);
}

SimIrl *
sim_irl_new_for_demos (const SimDemos  *demos,
                       GError         **error)
{
  g_autoptr (SimIrl) irl = NULL;

  g_return_val_if_fail (demos != NULL, NULL);

  irl = sim_irl_new (sim_features_count (demos->scenario, demos->near_corner), SIM_IRL_CAUSAL);
  for (guint i = 0; i < demos->levels->len; i++)
    {
      g_autoptr (SimMdp) mdp = sim_mdp_new_from_level (g_ptr_array_index (demos->levels, i),
                                                       demos->near_corner);

      sim_irl_add_mdp (irl, mdp);
    }
  for (guint i = 0; i < demos->trajectories->len; i++)
    {
      const SimDemoTrajectory *tr = &g_array_index (demos->trajectories, SimDemoTrajectory, i);
      g_autoptr (GError) local_error = NULL;

      if (!sim_irl_add_trajectory (irl, tr->level, tr->cells, tr->length, &local_error))
        {
          g_set_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID, "trajectories[%u]: %s", i,
                       local_error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&irl);
}

int
sim_irl_get_n_mdps (SimIrl *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return (int) self->tasks->len;
}

const SimMdp *
sim_irl_get_mdp (SimIrl *self,
                 int     index)
{
  g_return_val_if_fail (self != NULL && index >= 0 && index < (int) self->tasks->len, NULL);

  return ((Task *) g_ptr_array_index (self->tasks, index))->mdp;
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

double
sim_irl_get_mean_steps (SimIrl *self)
{
  double steps = 0.0;

  g_return_val_if_fail (self != NULL, 0.0);
  if (self->n_trajectories == 0)
    return 0.0;
  for (guint i = 0; i < self->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (self->tasks, i);

      steps += (double) (task->states->len - task->trajs->len);
    }
  return steps / self->n_trajectories;
}

double
sim_irl_get_gradient_limit (SimIrl *self,
                            double  gradient_tolerance)
{
  return gradient_tolerance * MAX (1.0, sim_irl_get_mean_steps (self));
}

int
sim_irl_get_n_mdp_trajectories (SimIrl *self,
                                int     mdp_index)
{
  g_return_val_if_fail (self != NULL && mdp_index >= 0 && mdp_index < (int) self->tasks->len,
                        0);
  return (int) ((Task *) g_ptr_array_index (self->tasks, mdp_index))->trajs->len;
}

const int *
sim_irl_get_trajectory (SimIrl *self,
                        int     mdp_index,
                        int     index,
                        int    *length)
{
  Task *task;
  const Traj *tr;

  g_return_val_if_fail (self != NULL && length != NULL, NULL);
  g_return_val_if_fail (mdp_index >= 0 && mdp_index < (int) self->tasks->len, NULL);
  task = g_ptr_array_index (self->tasks, mdp_index);
  g_return_val_if_fail (index >= 0 && index < (int) task->trajs->len, NULL);
  tr = &g_array_index (task->trajs, Traj, index);
  *length = tr->length;
  return &g_array_index (task->states, int, tr->offset);
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
void
sim_irl_sort_records (void           *data,
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

  sim_irl_sort_records (steps->data, steps->len, sizeof (Step), compare_step, n_times > 1 ? 3 : 2,
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
double
sim_irl_evaluate (SimIrl       *self,
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
      sim_irl_task_compute_reward (task, theta);
      sim_irl_task_backward (task);
      count_fast (self, task);
      task->solved_valid = FALSE;
      task->hess_ready = FALSE;
      task->part_ll = sim_irl_task_demo_terms (task, grad != NULL);
      ll += task->part_ll;
      if (grad == NULL)
        continue;

      /* ∇ Σ log P = Σ wdata·φ + Σ C·G; the forward pass from C gives Σ C·G. */
      sim_irl_task_forward (task, task->C, task->T > 0);
      sim_irl_task_rho_counts (task, task->wdata, self->counts);
      for (int j = 0; j < nf; j++)
        {
          task->part_grad[j] = -self->counts[j];
          grad[j] -= self->counts[j];
        }
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
  return sim_irl_evaluate (self, theta, l2, grad);
}

double
sim_irl_log_likelihood (SimIrl       *self,
                        const double *theta)
{
  g_return_val_if_fail (self != NULL && theta != NULL, NAN);
  return -sim_irl_evaluate (self, theta, 0.0, NULL);
}

void
sim_irl_collect_log_likelihoods (SimIrl *self,
                                 double *ll)
{
  int n = 0;

  for (guint i = 0; i < self->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (self->tasks, i);

      for (guint j = 0; j < task->trajs->len; j++, n++)
        {
          const Traj *tr = &g_array_index (task->trajs, Traj, j);
          const int *states = &g_array_index (task->states, int, tr->offset);

          ll[n] = (task->paths ? tr->log_w : 0.0) +
                  sim_irl_task_trajectory_log_prob (task, states, tr->length);
        }
    }
}

/* Prepares the tasks for the log-likelihoods of their demonstrations: the values only, not
 * the distinct steps the objective collects (and their terms, which the backward pass would
 * gather); those are built only to check the demonstrations where the model needs them to end
 * on a terminal state. */
static gboolean
prepare_for_log_likelihoods (SimIrl *self,
                             Task   *task)
{
  return task_prepare (self, task, FALSE, NULL) &&
         (!task->terminating || task_prepare (self, task, TRUE, NULL));
}

/* One task's part of sim_irl_trajectory_log_likelihoods(), from index n on; returns the index
 * after it. reuse: the values held are θ's. */
static int
task_log_likelihoods (SimIrl       *self,
                      Task         *task,
                      const double *theta,
                      gboolean      reuse,
                      int           n,
                      double       *ll,
                      double       *ll_uniform,
                      int          *n_steps)
{
  const SimMdp *mdp = task->mdp;

  if (task->trajs->len == 0)
    return n;
  if (ll != NULL && !reuse)
    {
      sim_irl_task_compute_reward (task, theta);
      sim_irl_task_backward (task);
      task->solved_valid = FALSE;
      /* The cached evaluation stays right, but the values are no longer its. */
      self->cache_valid = FALSE;
    }
  for (guint j = 0; j < task->trajs->len; j++, n++)
    {
      const Traj *tr = &g_array_index (task->trajs, Traj, j);

      if (ll != NULL)
        ll[n] = (task->paths ? tr->log_w : 0.0) +
                sim_irl_task_trajectory_log_prob (
                  task, &g_array_index (task->states, int, tr->offset), tr->length);
      if (ll_uniform != NULL)
        ll_uniform[n] = tr->log_w - (tr->length - 1) * log (mdp->n_actions);
      if (n_steps != NULL)
        n_steps[n] = tr->length - 1;
    }
  return n;
}

gboolean
sim_irl_trajectory_log_likelihoods (SimIrl       *self,
                                    const double *theta,
                                    double       *ll,
                                    double       *ll_uniform,
                                    int          *n_steps)
{
  int n = 0;
  gboolean reuse;

  g_return_val_if_fail (self != NULL && (ll == NULL || theta != NULL), FALSE);
  for (guint i = 0; i < self->tasks->len; i++)
    if (!prepare_for_log_likelihoods (self, g_ptr_array_index (self->tasks, i)))
      return FALSE;
  /* The last evaluation of the objective left the values of its θ (a pass outside it clears
   * the cache): no pass when that is this θ. */
  reuse = ll != NULL && self->cache_valid &&
         memcmp (theta, self->cache_theta, sizeof (double) * self->n_features) == 0;

  for (guint i = 0; i < self->tasks->len; i++)
    n = task_log_likelihoods (self, g_ptr_array_index (self->tasks, i), theta, reuse, n, ll,
                              ll_uniform, n_steps);
  return TRUE;
}

gboolean
sim_irl_subset_log_likelihoods (SimIrl       *self,
                                const double *theta,
                                int           n_mdps,
                                const int    *mdps,
                                double       *ll)
{
  int n = 0;

  g_return_val_if_fail (self != NULL && theta != NULL && ll != NULL, FALSE);
  g_return_val_if_fail (n_mdps >= 0 && (n_mdps == 0 || mdps != NULL), FALSE);
  for (int k = 0; k < n_mdps; k++)
    {
      g_return_val_if_fail (mdps[k] >= 0 && (guint) mdps[k] < self->tasks->len, FALSE);
      if (!prepare_for_log_likelihoods (self, g_ptr_array_index (self->tasks, mdps[k])))
        return FALSE;
    }
  for (int k = 0; k < n_mdps; k++)
    n = task_log_likelihoods (self, g_ptr_array_index (self->tasks, mdps[k]), theta, FALSE, n,
                              ll, NULL, NULL);
  return TRUE;
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
  sim_irl_task_compute_reward (task, theta);
  sim_irl_task_backward (task);
  count_fast (self, task);
  self->cache_valid = FALSE;
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
  sim_irl_task_forward (task, task->mdp->start, FALSE);
  sim_irl_task_rho_counts (task, NULL, counts);
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
      sim_irl_task_step_setup (task, t);
      for (int k = k0; k < k1; k++)
        task->rho[mdp->succ[k]] = 0.0;
      sim_irl_task_propagate (task, s, 1.0, task->rho, task->Dn);
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
  sim_irl_task_forward (task, task->mdp->start, FALSE);
  for (int s = 0; s < ns; s++)
    {
      if (enter_mask != NULL && enter_mask[s] && p_enter != NULL)
        *p_enter += task->rho[s];
      if (end_mask != NULL && end_mask[s] && p_end != NULL && !task->mdp->terminal[s])
        *p_end += task->D[s];
    }
}
