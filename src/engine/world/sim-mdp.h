/* sim-mdp.h: general finite MDPs with sparse transitions and state features
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include "sim-level.h"

G_BEGIN_DECLS

#define SIM_MDP_ERROR (sim_mdp_error_quark ())

typedef enum
{
  SIM_MDP_ERROR_INVALID,   /* inconsistent model or trajectory; the message says where */
  SIM_MDP_ERROR_PARSE,     /* malformed JSON or a wrong type in an MDP file */
  SIM_MDP_ERROR_IO,
} SimMdpError;

/* Limits that keep a malformed file from exhausting memory. */
#define SIM_MDP_MAX_STATES      (1 << 22)
#define SIM_MDP_MAX_ACTIONS     64
#define SIM_MDP_MAX_FEATURES    (1 << 22)
/* At most this many stored feature values: non-zeros of a sparse φ, or states × features of a
 * dense one given to sim_mdp_new(). */
#define SIM_MDP_MAX_PHI_VALUES  ((gint64) 1 << 26)
/* Up to this many states × features an MDP also keeps φ densely (SimMdp.phi, 8 MiB). */
#define SIM_MDP_DENSE_PHI_VALUES ((gint64) 1 << 20)
#define SIM_MDP_MAX_HORIZON     100000
/* Features beyond this magnitude would let values over many steps overflow. */
#define SIM_MDP_MAX_FEATURE     1e100
/* A transition table may be off by rounding in a text file; anything beyond this is a bug. */
#define SIM_MDP_PROB_TOLERANCE  1e-6

/* A finite MDP. Transitions are sparse, CSR-like: the successors of (s, a) are
 * succ[row[s * n_actions + a] .. row[s * n_actions + a + 1]) with probabilities prob[…];
 * nothing is stored as states × states. The reward of a transition is θ·φ(s') of the state
 * ENTERED (docs/science.md §1). Features are sparse too: the non-zero φ_f(s) of state s are
 * phi_val[phi_row[s] .. phi_row[s + 1]) for the features phi_col[…], in increasing order, so
 * that θ·φ(s) and Σ_s D(s) φ(s) cost one step per non-zero (sim_mdp_reward()). Entering a
 * terminal state ends the episode (it absorbs, and keeps no transitions). An episode
 * lasts at most horizon transitions; horizon 0 means no limit (then the discount, or for the
 * non-causal model the longest demonstration, bounds it).
 *
 * Shared by reference count and immutable once built. */
typedef struct
{
  gint ref_count;
  int n_states;
  int n_actions;
  int n_features;
  int horizon;            /* T, or 0 for none */
  double discount;        /* γ in (0, 1] */
  gboolean deterministic; /* every (s, a) of a non-terminal s has one successor, p = 1 */
  int *row;               /* owned, n_states * n_actions + 1 offsets */
  int *succ;              /* owned, row[n_states * n_actions] successor states */
  double *prob;           /* owned, their probabilities; each (s, a) sums to 1 */
  double *phi;            /* owned, n_states * n_features: φ(s) densely, kept only up to
                           * SIM_MDP_DENSE_PHI_VALUES values, NULL beyond; the engine reads
                           * the sparse rows below */
  int *phi_row;           /* owned, n_states + 1 offsets into phi_col and phi_val */
  int *phi_col;           /* owned, phi_row[n_states] features, increasing within a state */
  double *phi_val;        /* owned, their values, none 0 */
  guint8 *terminal;       /* owned, n_states: 1 on terminal (absorbing) states */
  double *start;          /* owned, n_states: start distribution, sums to 1 */
  int grid_width;         /* for gridworld MDPs the row length W (action a moves by one of
                           * +W, −W, −1, +1, 0 or stays): lets the solvers use shifted
                           * arrays instead of the successor lists; 0 otherwise */
} SimMdp;

/* One transition for sim_mdp_new(): P(s2 | s, a) = p. Repeated (s, a, s2) entries add up. */
typedef struct
{
  int s;
  int a;
  int s2;
  double p;
} SimMdpTransition;

/* One feature value for sim_mdp_new_sparse(): φ_f(s) = value; features not listed are 0. */
typedef struct
{
  int s;
  int f;
  double value;
} SimMdpFeature;

GQuark       sim_mdp_error_quark        (void);

/* Builds an MDP from a list of transitions. phi (n_states * n_features), terminal (n_states,
 * may be NULL = none) and start (n_states weights, normalised here; NULL = uniform over
 * non-terminal states) are copied. Checks indices, probabilities (finite, ≥ 0, summing to 1
 * within 1e-6 for every (s, a) of a non-terminal state) and features (finite). Returns NULL
 * and sets error with a message naming the first problem. */
SimMdp      *sim_mdp_new                (int                      n_states,
                                         int                      n_actions,
                                         int                      n_features,
                                         const SimMdpTransition  *transitions,
                                         gsize                    n_transitions,
                                         const double            *phi,
                                         const guint8            *terminal,
                                         const double            *start,
                                         int                      horizon,
                                         double                   discount,
                                         GError                 **error);
/* The same with φ given sparsely: n_values entries (s, f, value) in any order, each (s, f) at
 * most once; values of 0 are allowed and not stored. Messages name the entry at fault as
 * "features[K]: …" (a repeated (s, f) at its second place). */
SimMdp      *sim_mdp_new_sparse         (int                      n_states,
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
                                         GError                 **error);
/* The same as either, with φ dense (phi) or sparse (features), where the transitions are
 * sorted and merged in place, left in no particular order: a large table is not copied. */
SimMdp      *sim_mdp_new_in_place       (int                      n_states,
                                         int                      n_actions,
                                         int                      n_features,
                                         SimMdpTransition        *transitions,
                                         gsize                    n_transitions,
                                         const double            *phi,
                                         const SimMdpFeature     *features,
                                         gsize                    n_values,
                                         const guint8            *terminal,
                                         const double            *start,
                                         int                      horizon,
                                         double                   discount,
                                         GError                 **error);
/* The gridworld level as an MDP: one state per cell (s = y * width + x), the 5 actions of
 * SimAction with deterministic moves, terminal = coin, lava and exit cells, φ from
 * sim_features_compute() with the target visible, start = level->start, horizon T of the
 * level, no discount. */
SimMdp      *sim_mdp_new_from_level     (const SimLevel          *level,
                                         gboolean                 near_corner);
SimMdp      *sim_mdp_ref                (SimMdp                  *mdp);
void         sim_mdp_unref              (SimMdp                  *mdp);

/* θ·φ(s), summed over the non-zero features of s in increasing order (the same number as the
 * dense sum over every feature). */
static inline double
sim_mdp_reward (const SimMdp *mdp,
                int           s,
                const double *theta)
{
  double r = 0.0;

  for (int k = mdp->phi_row[s]; k < mdp->phi_row[s + 1]; k++)
    r += theta[mdp->phi_col[k]] * mdp->phi_val[k];
  return r;
}

/* Whether φ is one-hot: one feature per state, feature s = 1 on state s and 0 elsewhere. */
gboolean     sim_mdp_is_one_hot         (const SimMdp            *mdp);
/* φ as a dense n_states * n_features array (a copy, for small MDPs and tests). */
double      *sim_mdp_dup_phi            (const SimMdp            *mdp);

/* Σ_a P(s2 | s, a): how much of the action set leads from s to s2 (0 = impossible). */
double       sim_mdp_transition_weight  (const SimMdp            *mdp,
                                         int                      s,
                                         int                      s2);

/* Checks that states is a possible episode prefix: states in range, every step has a
 * positive probability under some action, nothing after a terminal state, at most horizon
 * transitions (when there is one). Messages read "step K: …". */
gboolean     sim_mdp_check_trajectory   (const SimMdp            *mdp,
                                         const int               *states,
                                         int                      length,
                                         GError                 **error);

/* The MDP file of "infer --mdp" (mesascope-cli(1)): {"states": S, "actions": A, "transitions":
 * [[s, a, s2, p], …], "features": [[φ(s)…], …] (one row per state) or, with "n_features": F,
 * [[s, f, φ_f(s)], …] (the non-zeros) or "one-hot", "terminal": [s, …], "start": [s, …],
 * "discount": γ and/or "horizon": T, "trajectories": [[s0, s1, …], …]}. Returns the MDP and
 * the trajectories (a GPtrArray of GArray of int, transfer full). Errors name the file and
 * the place ("FILE: transitions[12]: …", "FILE: trajectories[3], step 5: …"). */
SimMdp      *sim_mdp_parse_json         (const char              *text,
                                         gssize                   length,
                                         const char              *filename,
                                         GPtrArray              **trajectories,
                                         GError                 **error);
SimMdp      *sim_mdp_load_json          (const char              *path,
                                         GPtrArray              **trajectories,
                                         GError                 **error);
/* Writes the MDP file format (trajectories: GArray of int, may be NULL): features as rows
 * while the MDP keeps them densely, else "one-hot" when they are, else their non-zeros. */
char        *sim_mdp_to_json            (const SimMdp            *mdp,
                                         GPtrArray               *trajectories);
/* Atomic: a temporary file beside path, then a rename. */
gboolean     sim_mdp_save_json          (const SimMdp            *mdp,
                                         GPtrArray               *trajectories,
                                         const char              *path,
                                         GError                 **error);

/* The "icy" gridworld that the widely used Python MaxEnt IRL package ships as its example,
 * scaled to size × size: 4 moves (right, left, up, down); with probability slip the move is
 * replaced by a uniformly random direction; moves off the grid stay. State s = y * size + x.
 * The top-right cell is terminal with reward 1, the cell (3·size/5, size/5) has reward 0.65
 * ((3, 1) on 5×5). With one_hot, φ is one-hot per state (size² features, stored sparsely;
 * the true reward is in their span); otherwise φ = [goal, bonus, x/(size−1), y/(size−1)].
 * Start: (0, 0). Returns the MDP with the given horizon and discount, and the true reward
 * per state. */
SimMdp      *sim_mdp_new_icy            (int                      size,
                                         double                   slip,
                                         gboolean                 one_hot,
                                         int                      horizon,
                                         double                   discount,
                                         double                  *true_reward);
/* Demonstrations on an icy MDP from (0, 0): the expert runs value iteration with the true
 * reward and discount gamma (reward of the state entered; terminal states absorb), then picks
 * the intended move a with probability ∝ exp(weight · U(next_a)), where U(s') is the value
 * of entering s'; weight ≤ 0 means greedy. Each demonstration ends on the terminal state or
 * after max_steps transitions. Returns a GPtrArray of GArray of int. */
GPtrArray   *sim_mdp_icy_demos          (const SimMdp            *mdp,
                                         const double            *true_reward,
                                         double                   gamma,
                                         double                   weight,
                                         int                      n,
                                         int                      max_steps,
                                         gsl_rng                 *rng);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimMdp, sim_mdp_unref)

G_END_DECLS
