/* sim-irl-passes.c: the exact passes of the MaxEnt IRL objective: the reward of each state,
 * the backward recursion (log domain, and the exp-domain passes with one shift per time step
 * for the finite-horizon paths recursion, checkpointed when the rows would be large), the
 * forward pass that turns injections into expected feature counts, and the demonstrations'
 * terms of the log-likelihood (see the notation at the head of sim-irl.c)
 *
 * Longer than the others because each recursion exists in four shapes (grid, banded,
 * deterministic, generic successor lists) that share one task's rows and checkpoints, and
 * the forward pass mirrors each backward pass beside it; apart they would be harder to keep
 * in step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "sim-irl-private.h"
#include "sim-vector.h"

void
sim_irl_task_compute_reward (Task         *task,
                             const double *theta)
{
  const SimMdp *mdp = task->mdp;

  /* Over the non-zero features only: adding the ±0 terms of the others would leave every
   * partial sum as it is, so this is the dense sum's number. */
  for (int s = 0; s < mdp->n_states; s++)
    task->r[s] = sim_mdp_reward (mdp, s, theta);
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
 * readers compute u_t and e_t themselves (sim_irl_task_step_setup()). */
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
 * sim_irl_task_demo_terms()). */
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

/* The weights w(s') = exp (r(s') − r_max) of the states in task->entered (with clear, 0
 * elsewhere); returns r_max, the largest reward among them (0 when there is none). */
static double
entered_weights (Task     *task,
                 gboolean  clear)
{
  double r_max = -G_MAXDOUBLE;

  for (int i = 0; i < task->n_entered; i++)
    r_max = MAX (r_max, task->r[task->entered[i]]);
  if (r_max == -G_MAXDOUBLE)
    r_max = 0.0;
  if (clear)
    memset (task->w, 0, sizeof (double) * task->mdp->n_states);
  for (int i = 0; i < task->n_entered; i++)
    {
      int s = task->entered[i];

      task->w[s] = exp (task->r[s] - r_max);
    }
  return r_max;
}

/* The same from the enterable flags: w(s') for every state, 0 where it cannot be entered. */
static double
enterable_weights (Task *task)
{
  int ns = task->mdp->n_states;
  double r_max = -G_MAXDOUBLE;

  for (int s = 0; s < ns; s++)
    if (task->enterable[s] && task->r[s] > r_max)
      r_max = task->r[s];
  if (r_max == -G_MAXDOUBLE)
    r_max = 0.0;
  for (int s = 0; s < ns; s++)
    task->w[s] = task->enterable[s] ? exp (task->r[s] - r_max) : 0.0;
  return r_max;
}

/* w split into terminal and non-terminal states (task->w_term, task->w_non), and the largest
 * of each: the maxima of w·Z_T with Z_T = 1. */
static void
split_weights (Task   *task,
               double *mx_nt,
               double *mx_term)
{
  const guint8 *term = task->mdp->terminal;
  const double *w = task->w;

  for (int s = 0; s < task->mdp->n_states; s++)
    {
      task->w_term[s] = term[s] ? w[s] : 0.0;
      task->w_non[s] = term[s] ? 0.0 : w[s];
      *mx_term = MAX (*mx_term, task->w_term[s]);
      *mx_nt = MAX (*mx_nt, task->w_non[s]);
    }
}

/* Z_T = 1, M_T = 0: nothing is left at the horizon. With zero_unfinished (only terminating
 * paths count), none is left from a non-terminal state: Z_T = 0 there. */
static void
init_horizon (Task     *task,
              gboolean  zero_unfinished)
{
  const guint8 *term = task->mdp->terminal;
  double *ZT = z_row (task, task->T);

  for (int s = 0; s < task->mdp->n_states; s++)
    ZT[s] = zero_unfinished && !term[s] ? 0.0 : 1.0;
  task->M[task->T] = 0.0;
}

/* M_t, chosen so that max e_t = 1, from the largest w·Z_{t+1} of non-terminal and of
 * terminal states. */
static inline double
step_shift (Task   *task,
            int     t,
            double  r_max,
            double  mx_nt,
            double  mx_term)
{
  double lnt = mx_nt > 0.0 ? log (mx_nt) + task->M[t + 1] : -G_MAXDOUBLE;
  double lterm = mx_term > 0.0 ? log (mx_term) : -G_MAXDOUBLE;

  return r_max + MAX (MAX (lnt, lterm), -1e300);
}

/* The start of step t of a specialised pass, whose maxima come from the step before: M_t,
 * the rows of t and t + 1, and the step's scalars. FALSE: leave it to the log domain. */
static inline gboolean
fast_step_begin (Task          *task,
                 int            t,
                 double         r_max,
                 double         mx_nt,
                 double         mx_term,
                 const double **Zn,
                 double       **Z,
                 double       **e)
{
  double Mt = step_shift (task, t, r_max, mx_nt, mx_term);

  begin_step (task, t);
  *Zn = z_row (task, t + 1);
  *Z = z_row (task, t);
  *e = e_row (task, t);
  return step_scalars (task, t, r_max, Mt, mx_nt, mx_term);
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
  const double *w_non = task->w_non;
  const guint8 *active = task->active_flags;
  double r_max = entered_weights (task, TRUE);
  double mx_nt = 0.0, mx_term = 0.0;
  int T = task->T;

  split_weights (task, &mx_nt, &mx_term);
  init_horizon (task, FALSE);
  for (int t = T - 1; t >= 0; t--)
    {
      const double *Zn;
      double *Z, *e;

      if (!fast_step_begin (task, t, r_max, mx_nt, mx_term, &Zn, &Z, &e))
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
  double r_max = enterable_weights (task);
  double mx_nt = 0.0, mx_term = 0.0;
  int T = task->T;

  split_weights (task, &mx_nt, &mx_term);
  init_horizon (task, task->terminating);
  if (task->terminating)
    mx_nt = 0.0;
  for (int t = T - 1; t >= 0; t--)
    {
      const double *Zn;
      double *Z, *e;
      double mx = 0.0;
      int small = 0;
      int left = T - t;

      if (!fast_step_begin (task, t, r_max, mx_nt, mx_term, &Zn, &Z, &e))
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
  const guint8 *term = mdp->terminal;
  double *w = task->w;
  double r_max = entered_weights (task, FALSE);
  double mx_nt = 0.0, mx_term = 0.0;
  int T = task->T;

  for (int i = 0; i < task->n_entered; i++)
    {
      int s = task->entered[i];

      if (term[s])
        mx_term = MAX (mx_term, w[s]);
      else
        mx_nt = MAX (mx_nt, w[s]);   /* Z_T = 1 */
    }
  init_horizon (task, FALSE);
  for (int t = T - 1; t >= 0; t--)
    {
      const double *Zn;
      double *Z, *e;

      if (!fast_step_begin (task, t, r_max, mx_nt, mx_term, &Zn, &Z, &e))
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
  double r_max = enterable_weights (task);
  int T = task->T;

  init_horizon (task, task->terminating);
  for (int t = T - 1; t >= 0; t--)
    {
      const double *Zn;
      double *Z, *e;
      double mx_nt = 0.0, mx_term = 0.0, Mt;

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
      Mt = step_shift (task, t, r_max, mx_nt, mx_term);
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

void
sim_irl_task_backward (Task *task)
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

        task->n_sweeps++;
        compute_u (task, V);
        task->M[0] = bellman (task, Vn);
        for (int s = 0; s < ns; s++)
          {
            change = MAX (change, fabs (Vn[s] - V[s]));
            scale = MAX (scale, fabs (Vn[s]));
          }
        memcpy (V, Vn, sizeof (double) * ns);
        if (change * g / (1.0 - g) <= task->tolerance * scale)
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
void
sim_irl_task_propagate (Task         *task,
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
 * those of the final V from sim_irl_task_backward(). */
void
sim_irl_task_step_setup (Task *task,
                         int   t)
{
  int ns = task->mdp->n_states;

  if (task->T == 0)
    return;
  if (task->fast)
    {
      /* e_t as the backward pass left it (recomputed in a checkpointed task). u is only
       * needed by the log-domain fallback of sim_irl_task_propagate(), which the fast pass
       * never leaves to it (every relevant sum is above FAST_FLOOR). */
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
/* The one-step kernel of the current policy for the stationary forward passes: row s lists
 * where a unit of mass at s goes (terminal successors included) with the weights
 * sim_irl_task_propagate() gives it, so that the sweeps repeat no exp() or policy arithmetic. */
static void
build_kernel (Task *task)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  int na = mdp->n_actions;
  gsize cap = task->paths ? (gsize) task->w_row[ns] : (gsize) mdp->row[(gsize) ns * na];
  gsize n = 0;

  if (task->k_row == NULL)
    task->k_row = g_new (int, ns + 1);
  if (task->k_cap < cap)
    {
      task->k_succ = g_renew (int, task->k_succ, MAX (cap, 1));
      task->k_w = g_renew (double, task->k_w, MAX (cap, 1));
      task->k_cap = cap;
    }
  for (int s = 0; s < ns; s++)
    {
      task->k_row[s] = (int) n;
      if (mdp->terminal[s])
        continue;
      if (task->paths)
        {
          const double *e = task->e;
          const double *u = task->u;
          int k0 = task->w_row[s], k1 = task->w_row[s + 1];
          double z = 0.0;

          for (int k = k0; k < k1; k++)
            z += task->w_prob[k] * e[task->w_succ[k]];
          if (z > exp (LOG_FLOOR))
            {
              double scale = 1.0 / z;

              for (int k = k0; k < k1; k++, n++)
                {
                  task->k_succ[n] = task->w_succ[k];
                  task->k_w[n] = scale * task->w_prob[k] * e[task->w_succ[k]];
                }
            }
          else
            {
              double mm = -G_MAXDOUBLE;

              for (int k = k0; k < k1; k++)
                mm = MAX (mm, u[task->w_succ[k]]);
              z = 0.0;
              for (int k = k0; k < k1; k++)
                z += task->w_prob[k] * exp (u[task->w_succ[k]] - mm);
              for (int k = k0; k < k1; k++, n++)
                {
                  task->k_succ[n] = task->w_succ[k];
                  task->k_w[n] = task->w_prob[k] * exp (u[task->w_succ[k]] - mm) / z;
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

              for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
                qa += mdp->prob[k] * task->u[mdp->succ[k]];
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
              double pa = q[a] / z;

              for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++, n++)
                {
                  task->k_succ[n] = mdp->succ[k];
                  task->k_w[n] = pa * mdp->prob[k];
                }
            }
        }
    }
  task->k_row[ns] = (int) n;
}

/* Sends the mass d at s one step along the kernel: all of it into rho (may be NULL), γ times
 * the part on non-terminal states into next. */
static inline void
kernel_step (const Task *task,
             int         s,
             double      d,
             double     *rho,
             double     *next)
{
  const guint8 *term = task->mdp->terminal;
  double g = task->mdp->discount;

  for (int k = task->k_row[s]; k < task->k_row[s + 1]; k++)
    {
      int s2 = task->k_succ[k];
      double f = d * task->k_w[k];

      if (rho != NULL)
        rho[s2] += f;
      if (!term[s2])
        next[s2] += g * f;
    }
}

/* The forward pass of the gridworld exp-domain passes (see sim_irl_task_forward()); with
 * arrivals not NULL it also writes each step's arrivals, rows of n_states. Inlined into both
 * callers, so that the usual pass carries no test of arrivals. */
static inline G_ALWAYS_INLINE void
forward_grid (Task         *task,
              const double *init,
              gboolean      inject,
              double       *arrivals)
{
  const SimMdp *mdp = task->mdp;
  int ns = mdp->n_states;
  double *rho = task->rho;

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

          double v = e[s] * in;

          rho[s] += v;
          if (arrivals != NULL)
            arrivals[(gsize) t * ns + s] = v;
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
}

void
sim_irl_task_forward_arrivals (Task   *task,
                               double *arrivals)
{
  g_return_if_fail (task->fast && task->grid && task->T > 0);
  memset (task->rho, 0, sizeof (double) * task->mdp->n_states);
  memcpy (task->D, task->C, sizeof (double) * task->mdp->n_states);
  forward_grid (task, task->C, TRUE, arrivals);
}

void
sim_irl_task_forward (Task         *task,
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
      forward_grid (task, init, inject, NULL);
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

          sim_irl_task_step_setup (task, t);
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

          sim_irl_task_step_setup (task, t);
          memset (Dn, 0, sizeof (double) * ns);
          if (inject && t + 1 < task->T)
            inject_row (task, t + 1, Dn);
          for (int s = 0; s < ns; s++)
            if (D[s] != 0.0 && !mdp->terminal[s])
              sim_irl_task_propagate (task, s, D[s], rho, Dn);
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
    build_kernel (task);
    for (int sweep = 0; sweep < MAX_SWEEPS && norm0 > 0.0; sweep++)
      {
        double norm = 0.0;
        double *tmp;

        task->n_sweeps++;
        memset (y, 0, sizeof (double) * ns);
        for (int s = 0; s < ns; s++)
          if (x[s] != 0.0 && !mdp->terminal[s])
            kernel_step (task, s, x[s], NULL, y);
        for (int s = 0; s < ns; s++)
          {
            total[s] += y[s];
            norm += fabs (y[s]);
          }
        tmp = x;
        x = y;
        y = tmp;
        if (norm <= task->tolerance * norm0)
          break;
      }
    memset (y, 0, sizeof (double) * ns);
    for (int s = 0; s < ns; s++)
      if (total[s] != 0.0 && !mdp->terminal[s])
        kernel_step (task, s, total[s], rho, y);
  }
}

/* Σ_s' (rho(s') + extra(s')) φ(s') into counts. */
void
sim_irl_task_rho_counts (Task         *task,
                         const double *extra,
                         double       *counts)
{
  const SimMdp *mdp = task->mdp;
  int nf = mdp->n_features;

  memset (counts, 0, sizeof (double) * nf);
  for (int s = 0; s < mdp->n_states; s++)
    {
      double w = task->rho[s] + (extra != NULL ? extra[s] : 0.0);

      if (w == 0.0)
        continue;
      /* The zero features would add ±0 to their counts, which changes none of them. */
      for (int k = mdp->phi_row[s]; k < mdp->phi_row[s + 1]; k++)
        counts[mdp->phi_col[k]] += w * mdp->phi_val[k];
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

    sim_irl_sort_records (list, n, sizeof (Injection), compare_injection, 2, offsets, ranges);
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

/* log P(s2 | s) at time t (t = 0 when stationary) under the causal model, for the V of the
 * last backward pass; lw[a] = log (π_t(a|s) P(s2|s,a)), −G_MAXDOUBLE where a cannot lead
 * to s2. */
static double
causal_step (Task   *task,
             int     t,
             int     s,
             int     s2,
             double *lw)
{
  const SimMdp *mdp = task->mdp;
  int na = mdp->n_actions;
  double g = mdp->discount;
  const double *Vn = task->T > 0 ? z_row (task, t + 1) : task->V;
  double mm = -G_MAXDOUBLE, sum = 0.0, lq;

  /* log π_t(a|s) = Q_a − log Σ_b exp Q_b, computed here rather than from V_t(s) so that
   * the posterior of sim_irl_task_demo_terms() is normalised. */
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
  return mm + log (sum);
}

/* log P(s2 | s) at time t under the model, for the V of the last backward pass: the terms
 * sim_irl_task_demo_terms() sums, for one step; for the paths recursion without the step's
 * log Σ_a P(s2|s,a), which the trajectory's log_w holds. */
double
sim_irl_task_step_log_prob (Task *task,
                            int   t,
                            int   s,
                            int   s2)
{
  const SimMdp *mdp = task->mdp;
  double lw[SIM_MDP_MAX_ACTIONS];
  double next;

  if (!task->paths)
    return causal_step (task, t, s, s2, lw);
  next = mdp->terminal[s2] ? 0.0 : mdp->discount * value_at (task, t + 1, s2);
  return task->r[s2] + next - value_at (task, t, s);
}

double
sim_irl_task_trajectory_log_prob (Task      *task,
                                  const int *states,
                                  int        length)
{
  double sum = 0.0;

  if (length < 2)
    return 0.0;
  if (task->paths && task->T > 0 && task->mdp->discount == 1.0)
    {
      /* Σ_t r(s_{t+1}) + V_{t+1}(s_{t+1}) − V_t(s_t): the values of the inner states
       * cancel, and the last one's is 0 on a terminal state (or at the horizon). */
      int last = states[length - 1];

      sum = -value_at (task, 0, states[0]);
      for (int t = 1; t < length; t++)
        sum += task->r[states[t]];
      if (!task->mdp->terminal[last])
        sum += value_at (task, length - 1, last);
      return sum;
    }
  for (int t = 0; t + 1 < length; t++)
    sum += sim_irl_task_step_log_prob (task, task->T > 0 ? t : 0, states[t], states[t + 1]);
  return sum;
}

/* Log-likelihood of the demonstrations for the current V; for the causal recursion on
 * stochastic MDPs also fills the θ-dependent injections and wdata. */
double
sim_irl_task_demo_terms (Task     *task,
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
      int s = st->s, t = st->t;
      double lw[SIM_MDP_MAX_ACTIONS];
      double lp = causal_step (task, t, s, st->s2, lw);

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
