/* sim-irl-private.h: what the three parts of the MaxEnt IRL engine share: the problem's
 * struct, its tasks (one per MDP) and the functions one part calls in another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sim-irl.c        the API: problems, demonstrations, workspaces, the objective and queries
 * sim-irl-passes.c the exact passes: rewards, Bellman steps (exp and log domain, checkpoints),
 *                  the forward pass, the demonstrations' terms of the likelihood
 * sim-irl-solver.c BFGS and the uncertainty, which only call the objective
 * sim-irl-hessian.c the exact Hessian of finite-horizon tasks
 */
#pragma once

#include "sim-irl.h"

G_BEGIN_DECLS

/* Log-sums below this are redone with a per-state shift (e^-600 ≈ 1e-261, far from the
 * denormal range). */
#define LOG_FLOOR (-600.0)
/* log 0 for "no path left", kept finite so that sums and differences stay defined. */
#define IMPOSSIBLE (-1e300)
/* Each workspace array holds at most this many doubles (512 MiB). */
#define MAX_ARRAY_DOUBLES ((gint64) 1 << 26)
/* Stationary passes stop when the change is below this (relative), or after MAX_SWEEPS:
 * the default of sim_irl_set_stationary_tolerance(). The values and expected counts it
 * leaves are then off by about 10⁻¹² of their size, seven orders of magnitude below the
 * solver's gradient tolerance (10⁻⁵ per step of demonstration). */
#define STATIONARY_TOLERANCE 1e-12
#define MAX_SWEEPS 1000000
/* sim_irl_set_checkpoint (-1): finite-horizon passes keep every time step up to this many
 * values per array (512 KiB). */
#define CK_AUTO_DOUBLES ((gint64) 1 << 16)

typedef struct
{
  int offset;   /* into Task.states */
  int length;   /* states, start included */
  double log_w; /* Σ over its steps of log Σ_a P(s'|s,a) */
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
  /* Stationary forward passes: the one-step kernel of the policy the last backward pass
   * made, K(s, s') per unit of mass at s, as successor lists k_row[s] … k_row[s + 1]. */
  int *k_row;
  int *k_succ;
  double *k_w;
  gsize k_cap;
  double tolerance;     /* of the stationary passes */
  /* The task's parts of the last evaluation with a gradient (sim_irl_evaluate()): its
   * demonstrations' log-likelihood, its terms of n × the gradient (n_features), and of the
   * Hessian's sum (upper triangle, n_features², see sim_irl_task_hessian()) once a Hessian
   * pass made them there (hess_ready). */
  double part_ll;
  double *part_grad;
  double *part_hess;
  gboolean hess_ready;
  guint64 n_sweeps;     /* sweeps the stationary passes have made (sim_irl_get_sweep_count()) */
} Task;

struct _SimIrl
{
  int n_features;
  SimIrlModel model;
  GPtrArray *tasks;     /* Task */
  int n_trajectories;
  double *counts;       /* scratch, n_features */

  /* The last evaluation, reused when the solver asks again at the same θ; valid only while
   * the tasks hold its values (a pass outside the objective clears it). */
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
  /* The inverse-Hessian approximation a solve without the uncertainty ended with: the first
   * preconditioner of the next solve when no Hessian is fresher. */
  gsl_matrix *inverse;
  gboolean inverse_valid;
  gboolean safe;        /* never the exp-domain recursion */
  int checkpoint;       /* see sim_irl_set_checkpoint() */
  double tolerance;     /* see sim_irl_set_stationary_tolerance() */
  guint64 n_fast;
  guint64 n_fallbacks;
};

/* sim-irl.c */
/* The objective and its gradient (sim_irl_objective()), for the solver. */
double       sim_irl_evaluate              (SimIrl        *self,
                                            const double  *theta,
                                            double         l2,
                                            double        *grad);
/* Each demonstration's log-likelihood for the values the tasks hold now (see
 * sim_irl_trajectory_log_likelihoods()). */
void         sim_irl_collect_log_likelihoods (SimIrl      *self,
                                              double      *ll);
/* Sorts n records of size bytes by compare, with counting passes over n_keys int keys (at
 * offsets, each in [0, ranges[k])) when that pays. */
void         sim_irl_sort_records          (void          *data,
                                            guint          n,
                                            gsize          size,
                                            int          (*compare) (const void *,
                                                                     const void *),
                                            int            n_keys,
                                            const gsize   *offsets,
                                            const int     *ranges);

/* sim-irl-passes.c: every function works on one task, for the reward in task->r. */
void         sim_irl_task_compute_reward   (Task          *task,
                                            const double  *theta);
/* V_t for every t (or the stationary V). */
void         sim_irl_task_backward         (Task          *task);
/* Sends the mass d at s one step under the policy of the last backward pass. */
void         sim_irl_task_propagate        (Task          *task,
                                            int            s,
                                            double         d,
                                            double        *rho,
                                            double        *next);
/* Readies step t's rows for sim_irl_task_propagate(). */
void         sim_irl_task_step_setup       (Task          *task,
                                            int            t);
/* The forward pass from init (with the demonstrations' injections when inject). */
void         sim_irl_task_forward          (Task          *task,
                                            const double  *init,
                                            gboolean       inject);
/* The forward pass from the injections of a task that took the gridworld exp-domain passes,
 * writing each step's arrivals into arrivals (T rows of n_states) as well. */
void         sim_irl_task_forward_arrivals (Task          *task,
                                            double        *arrivals);
/* Σ_s' (rho(s') + extra(s')) φ(s') into counts. */
void         sim_irl_task_rho_counts       (Task          *task,
                                            const double  *extra,
                                            double        *counts);
double       sim_irl_task_step_log_prob    (Task          *task,
                                            int            t,
                                            int            s,
                                            int            s2);
/* The log-likelihood of one demonstration (its states, start included) for the current V,
 * without the Σ_a P weights of the paths recursion (Traj.log_w). */
double       sim_irl_task_trajectory_log_prob (Task        *task,
                                               const int   *states,
                                               int          length);
/* The demonstrations' log-likelihood (and, with want_grad, their injections). */
double       sim_irl_task_demo_terms       (Task          *task,
                                            gboolean       want_grad);

/* sim-irl-hessian.c */
/* Whether sim_irl_task_hessian() applies: a finite horizon whose rows are all kept, the
 * injections of an evaluation with a gradient, and room for its F-vectors. */
gboolean     sim_irl_task_hessian_applies  (const Task    *task);
/* Adds ∇² of the task's log-likelihood (upper triangle, n_features²) to acc. */
void         sim_irl_task_hessian          (Task          *task,
                                            double        *acc);

G_END_DECLS
