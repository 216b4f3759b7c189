/* sim-irl.h: maximum-entropy inverse reinforcement learning on finite MDPs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include "sim-demos.h"
#include "sim-mdp.h"

G_BEGIN_DECLS

#define SIM_IRL_ERROR (sim_irl_error_quark ())

typedef enum
{
  SIM_IRL_ERROR_INVALID,    /* a trajectory or MDP the model cannot use */
  SIM_IRL_ERROR_TOO_LARGE,  /* the workspaces would exceed the memory limit */
  SIM_IRL_ERROR_FAILED,     /* the solver could not make progress from the start point */
} SimIrlError;

/* The two likelihood models. Both use the reward r(s') = θ·φ(s') of the state entered,
 * temperature 1 (the scale of θ absorbs β), and terminal states that end the episode.
 *
 * SIM_IRL_CAUSAL: maximum causal entropy (Ziebart et al. 2010). The demonstrator follows
 * the soft value iteration policy
 *     Q_t(s,a) = Σ_s' P(s'|s,a) [r(s') + γ (1 − term(s')) V_{t+1}(s')],   V_T = 0
 *     V_t(s)   = log Σ_a exp Q_t(s,a),    π_t(a|s) = exp (Q_t(s,a) − V_t(s))
 * (time-indexed with a horizon T, stationary with γ < 1 and no horizon). Trajectories are
 * state sequences: the action of each step is unobserved, so a step s → s' has likelihood
 * Σ_a π_t(a|s) P(s'|s,a).
 *
 * SIM_IRL_PATHS: MaxEnt over paths (Ziebart et al. 2008). P(path) ∝ exp(θ·f(path)) Π P over
 * the paths that end on a terminal state or after T steps, with
 *     V_t(s) = log Σ_a Σ_s' P(s'|s,a) exp (r(s') + γ (1 − term(s')) V_{t+1}(s')),
 * and a state path has likelihood Π_t Σ_a P(s_{t+1}|s_t,a) exp(u_t(s_{t+1}) − V_t(s_t)).
 *
 * With deterministic dynamics the two models are the same (MaxEnt = MaxCausalEnt); the
 * gridworld levels use that. Without a horizon and with γ = 1 the horizon T is taken as the
 * longest demonstration of that MDP (in transitions).
 *
 * A trajectory that stops before the horizon on a non-terminal state counts as an observed
 * prefix of an episode: its likelihood is that of the steps seen. */
typedef enum
{
  SIM_IRL_CAUSAL,
  SIM_IRL_PATHS,
} SimIrlModel;

/* An inference problem: MDPs (sharing one feature space), the demonstrations on each, and
 * the workspaces of the exact backward and forward passes. Not thread-safe: use one per
 * thread. */
typedef struct _SimIrl SimIrl;

typedef struct
{
  double l2;                  /* weight λ of λ‖θ‖² in the objective; 1e-3 */
  double gradient_tolerance;  /* stop when ‖∇‖ ≤ this × max (1, mean demonstration steps) (the
                               * gradient is a difference of feature counts, which grow with
                               * the length); 1e-5 */
  int max_iterations;         /* BFGS iterations; 500 */
  double step_size;           /* length of the first BFGS step; 1 */
  gboolean uncertainty;       /* compute SimIrlResult.uncertainty (see sim_irl_uncertainty()) */
  gboolean trajectory_terms;  /* fill SimIrlResult.trajectory_ll (no extra pass) */
} SimIrlOptions;

typedef struct
{
  int n_features;
  double *theta;              /* owned, raw θ at the optimum */
  double *unit;               /* owned, θ / ‖θ‖ (all 0 when θ = 0) */
  double *uncertainty;        /* owned or NULL: ± one standard error of each unit weight */
  double *trajectory_ll;      /* owned or NULL: each demonstration's log-likelihood at theta,
                               * as sim_irl_trajectory_log_likelihoods() orders them */
  double objective;           /* mean negative log-likelihood + λ‖θ‖² */
  double log_likelihood;      /* mean log-likelihood per trajectory */
  double gradient_norm;       /* ‖∇ objective‖ at the returned θ */
  int iterations;             /* BFGS iterations */
  int evaluations;            /* objective evaluations, including the uncertainty's */
  gboolean converged;         /* gradient_norm below the tolerance */
} SimIrlResult;

GQuark       sim_irl_error_quark         (void);

void         sim_irl_options_init        (SimIrlOptions       *options);

SimIrl      *sim_irl_new                 (int                  n_features,
                                          SimIrlModel          model);
void         sim_irl_free                (SimIrl              *self);
SimIrlModel  sim_irl_get_model           (SimIrl              *self);
int          sim_irl_get_n_features      (SimIrl              *self);

/* With safe TRUE every pass runs in the log domain (log-sum-exp with a shift per state). By
 * default the gridworld case (the paths recursion with γ = 1 and a horizon) runs an
 * exp-domain recursion with one shift per time step, and falls back to the log domain by
 * itself when a sum leaves the safe range. Both give the same numbers to rounding. */
void         sim_irl_set_safe_mode       (SimIrl              *self,
                                          gboolean             safe);

/* The passes of a finite horizon T keep either every time step's values (O(S T) memory) or
 * only every K-th step's, recomputing the steps between two of them when the forward pass
 * reaches them (O(S √T) memory for K = ⌈√T⌉, at the cost of about one more backward
 * pass). K < 0 (the default) chooses: every step while that takes less than 512 KiB
 * per array, else K = ⌈√T⌉. K = 0 keeps every step; K > 0 forces that K. The numbers are the
 * same either way. */
void         sim_irl_set_checkpoint      (SimIrl              *self,
                                          int                  k);

/* The stationary passes (γ < 1, no horizon) iterate until their change, relative to the
 * values' size, is below tolerance: 10⁻¹² by default. The forward pass sweeps the policy's
 * one-step kernel, built once per evaluation. */
void         sim_irl_set_stationary_tolerance (SimIrl         *self,
                                               double          tolerance);

/* How many backward passes tried the exp-domain recursion, and how many of those fell back
 * to the log domain. */
/* The sweeps the stationary passes (γ < 1, no horizon) have made over all MDPs since the
 * problem was made, backward and forward: the cost of a causal solve is about this many
 * times the states. */
guint64      sim_irl_get_sweep_count     (SimIrl              *self);
void         sim_irl_get_fast_counts     (SimIrl              *self,
                                          guint64             *n_fast,
                                          guint64             *n_fallbacks);

/* Called after every evaluation of the objective with the number done so far (the solver's
 * and the uncertainty's included): a long solve can show its progress. */
typedef void (*SimIrlProgressFunc) (int      n_evaluations,
                                    gpointer user_data);
void         sim_irl_set_progress        (SimIrl              *self,
                                          SimIrlProgressFunc   func,
                                          gpointer             user_data);

/* Adds an MDP (takes a reference); returns its index. Its feature count must match. */
int          sim_irl_add_mdp             (SimIrl              *self,
                                          SimMdp              *mdp);
/* Adds one demonstration on MDP mdp_index: the visited states, start included. Checked with
 * sim_mdp_check_trajectory(); the message is "step K: …". */
gboolean     sim_irl_add_trajectory      (SimIrl              *self,
                                          int                  mdp_index,
                                          const int           *states,
                                          int                  length,
                                          GError             **error);
/* Adds the k-th demonstration on MDP from_index of from (checked when it was added there) to
 * MDP mdp_index of self, which must be the same MDP: no check and no transition weights
 * again. */
void         sim_irl_copy_trajectory     (SimIrl              *self,
                                          int                  mdp_index,
                                          SimIrl              *from,
                                          int                  from_index,
                                          int                  k);
/* A problem of one MDP and its demonstrations (GArray of int state sequences, start
 * included), as "infer --mdp" reads them. NULL with error, "trajectories[I]: …", when a
 * demonstration does not fit the MDP. */
SimIrl      *sim_irl_new_for_mdp         (SimMdp              *mdp,
                                          SimIrlModel          model,
                                          GPtrArray           *trajectories,
                                          GError             **error);

/* A problem of gridworld demonstrations (causal model): one MDP per level of demos, its
 * trajectories on them, as "infer --demos" reads them. NULL with error, "trajectories[I]: …",
 * when a demonstration does not fit its level. */
SimIrl      *sim_irl_new_for_demos       (const SimDemos      *demos,
                                          GError             **error);
/* The MDPs added, in order (borrowed). */
int          sim_irl_get_n_mdps          (SimIrl              *self);
const SimMdp *sim_irl_get_mdp            (SimIrl              *self,
                                          int                  index);

/* Forgets every demonstration, keeps the MDPs and the workspaces. */
void         sim_irl_clear_trajectories  (SimIrl              *self);
int          sim_irl_get_n_trajectories  (SimIrl              *self);
/* The mean number of steps of the demonstrations (0 without any). */
double       sim_irl_get_mean_steps      (SimIrl              *self);
/* The gradient norm sim_irl_solve() stops at for a gradient_tolerance (SimIrlOptions): the
 * gradient is a difference of feature counts per demonstration, which grow with its length,
 * so the tolerance is relative to the mean number of steps (at least 1). */
double       sim_irl_get_gradient_limit  (SimIrl              *self,
                                          double               gradient_tolerance);
/* The demonstrations on MDP mdp_index, in the order added: how many, and the states of one
 * of them (borrowed, start included; *length gets their number). */
int          sim_irl_get_n_mdp_trajectories (SimIrl           *self,
                                             int               mdp_index);
const int   *sim_irl_get_trajectory      (SimIrl              *self,
                                          int                  mdp_index,
                                          int                  index,
                                          int                 *length);

/* Checks that every MDP can be solved under the model and that the workspaces fit the memory
 * limit; allocates them. Called by the functions below; call it to get the error early. */
gboolean     sim_irl_prepare             (SimIrl              *self,
                                          GError             **error);

/* The objective: −(1/n) Σ log P(τ) + l2 ‖θ‖², and its gradient
 * (expected − empirical feature counts)/n + 2 l2 θ when grad is not NULL. Exact: a backward
 * and a forward pass per MDP, in log space. Returns NaN only when sim_irl_prepare() fails. */
double       sim_irl_objective           (SimIrl              *self,
                                          const double        *theta,
                                          double               l2,
                                          double              *grad);
/* Mean log-likelihood per demonstration. */
double       sim_irl_log_likelihood      (SimIrl              *self,
                                          const double        *theta);

/* The log-likelihood of each demonstration under the model with reward θ, MDP by MDP and
 * on each in the order added (their sum over n is n × sim_irl_log_likelihood(), to
 * rounding); ll_uniform (may be NULL) gets each one's log-likelihood under the uniformly
 * random policy, Σ_t log (Σ_a P(s_{t+1}|s_t,a) / |A|), and n_steps (may be NULL) its number
 * of transitions. Each array has sim_irl_get_n_trajectories() entries. No pass runs when the
 * last evaluation of the objective was at θ (its values serve), nor with ll NULL (theta may
 * be NULL too: only the parts that do not depend on θ). Returns FALSE when sim_irl_prepare()
 * fails. */
gboolean     sim_irl_trajectory_log_likelihoods (SimIrl       *self,
                                                 const double *theta,
                                                 double       *ll,
                                                 double       *ll_uniform,
                                                 int          *n_steps);
/* The same for the demonstrations of the MDPs mdps[0 … n_mdps − 1] alone, MDP by MDP in that
 * order (ll has as many entries as they have demonstrations), always by a pass: what a problem
 * holding just those MDPs and demonstrations computes, to the bit, without its workspaces. */
gboolean     sim_irl_subset_log_likelihoods (SimIrl       *self,
                                             const double *theta,
                                             int           n_mdps,
                                             const int    *mdps,
                                             double       *ll);

/* Minimises the objective with BFGS from theta0 until the gradient norm is below
 * options->gradient_tolerance. theta0 NULL starts from 0, or for the paths recursion with
 * γ = 1 and a horizon from the constant reward −log |A| per step when the features can
 * express it and the objective is lower there. Fills result (free it with
 * sim_irl_result_clear()). Returns FALSE with an error only when nothing can be computed;
 * a run that stops early returns TRUE with converged FALSE. */
gboolean     sim_irl_solve               (SimIrl              *self,
                                          const double        *theta0,
                                          const SimIrlOptions *options,
                                          SimIrlResult        *result,
                                          GError             **error);
void         sim_irl_result_clear        (SimIrlResult        *result);

/* The exact Hessian of the objective at theta (row-major, n_features²) when every MDP with
 * demonstrations has a finite horizon whose passes keep every time step (no checkpoints), for
 * up to 64 features: one forward pass of the injections and one backward pass of the expected
 * feature counts after the evaluation at theta (see sim-irl-hessian.c). Returns FALSE, writing
 * nothing, when it does not apply. */
gboolean     sim_irl_hessian             (SimIrl              *self,
                                          const double        *theta,
                                          double               l2,
                                          double              *hessian);

/* The same for the problem made of the MDPs mdps[0 … n_mdps − 1] and their demonstrations
 * alone, −(1/m) Σ log P + l2 ‖θ‖² over their m demonstrations: its objective (f may be NULL),
 * gradient (may be NULL) and exact Hessian at theta, as a problem holding just those would
 * compute them. The parts of the last evaluation and Hessian serve when they were at theta
 * (after sim_irl_solve() with the uncertainty, no pass runs); else one evaluation of the whole
 * problem and the Hessian pass of the MDPs listed. Returns FALSE, writing nothing, when
 * sim_irl_hessian() would not apply to them. */
gboolean     sim_irl_subset_hessian      (SimIrl              *self,
                                          const double        *theta,
                                          double               l2,
                                          int                  n_mdps,
                                          const int           *mdps,
                                          double              *f,
                                          double              *grad,
                                          double              *hessian);

/* Sets the Hessian (row-major, n_features², positive definite) the next solve starts from, as
 * the uncertainty leaves it: the first preconditioner of a solve warm-started near where it
 * was computed. */
void         sim_irl_set_hessian         (SimIrl              *self,
                                          const double        *hessian);

/* The uncertainty of the unit-norm weights at theta (normally the optimum): the Hessian H of
 * the objective (sim_irl_hessian() where it applies, else by forward differences of the exact
 * gradient: F + 1 gradient evaluations), the covariance of θ as (n H)⁻¹ — the Laplace
 * approximation of the posterior whose negative log density is n times the objective, i.e.
 * the inverse observed information with the L2 term as a Gaussian prior — and the delta
 * method through u = θ/‖θ‖, whose Jacobian is (I − u uᵀ)/‖θ‖. Writes one standard error per
 * unit weight (1 for every weight when θ = 0). Returns the number of objective evaluations. */
int          sim_irl_uncertainty         (SimIrl              *self,
                                          const double        *theta,
                                          double               l2,
                                          double              *sd_unit);

/* Expected feature counts Σ_t γ^t φ(s_{t+1}) under the model with reward θ, from the start
 * distribution of MDP mdp_index (exact). */
void         sim_irl_expected_counts     (SimIrl              *self,
                                          int                  mdp_index,
                                          const double        *theta,
                                          double              *counts);
/* Samples one episode of the model with reward θ from the start distribution of MDP
 * mdp_index, up to its horizon (or max_length transitions when it has none). Writes the
 * states, start included, and returns how many. */
int          sim_irl_sample              (SimIrl              *self,
                                          int                  mdp_index,
                                          const double        *theta,
                                          gsl_rng             *rng,
                                          int                  max_length,
                                          int                 *states);
/* Exact outcome of the model's behaviour with reward θ on MDP mdp_index (finite horizon):
 * p_enter = P(enter a state of enter_mask within the horizon), p_end = P(alive at the horizon
 * in a state of end_mask). Masks have n_states entries; either may be NULL. */
void         sim_irl_outcome             (SimIrl              *self,
                                          int                  mdp_index,
                                          const double        *theta,
                                          const guint8        *enter_mask,
                                          const guint8        *end_mask,
                                          double              *p_enter,
                                          double              *p_end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimIrl, sim_irl_free)

G_END_DECLS
