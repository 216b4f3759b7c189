/* sim-goal.h: how goal-directed is an agent? Maximum-entropy goal-directedness of its
 * trajectories toward a utility, toward the utilities a feature set can express, and held out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "sim-irl.h"

G_BEGIN_DECLS

/* How much better the soft-optimal policy of a utility predicts the demonstrations held by a
 * SimIrl than the uniformly random policy does (docs/science.md §8):
 *
 *     nats       = Σ_τ [log P_θ(τ) − log P_uniform(τ)] / Σ_τ decisions(τ)
 *     normalised = Σ_τ [log P_θ(τ) − log P_uniform(τ)] / Σ_τ [− log P_uniform(τ)]
 *
 * P_θ is the likelihood model of the SimIrl with reward θ·φ (temperature 1, so the scale of θ
 * is the inverse temperature β), P_uniform the policy that picks every action with the same
 * probability, and a decision is one step of a demonstration. A uniformly random agent scores
 * about 0; an agent whose every step the utility predicts with certainty scores 1. The
 * interval is a percentile bootstrap over demonstrations with the utility held fixed. */
typedef struct
{
  double nats;              /* per decision */
  double normalised;
  double lo;                /* 90 % interval of normalised: 5th and 95th percentiles */
  double hi;
  double nats_lo;           /* the same for nats */
  double nats_hi;
  double beta;              /* the inverse temperature: the fitted scale of the utility, or
                             * ‖θ‖ when θ is scored as given */
  int decisions;
  int trajectories;
} SimGoalScore;

#define SIM_GOAL_BOOTSTRAP 1000

/* Every figure NaN, no decisions: a score not computed. */
void         sim_goal_score_init      (SimGoalScore  *score);

/* The resamples of a percentile bootstrap over n demonstrations: n_resamples draws of n
 * indices with replacement, from an RNG seeded with seed. Made once, they serve every score
 * of a set of demonstrations (and every update of a battery whose demonstrations are drawn
 * with the same seeds). */
typedef struct _SimGoalBootstrap SimGoalBootstrap;

SimGoalBootstrap *sim_goal_bootstrap_new  (int                n,
                                           int                n_resamples,
                                           guint64            seed);
void              sim_goal_bootstrap_free (SimGoalBootstrap  *boot);
int               sim_goal_bootstrap_get_n (const SimGoalBootstrap *boot);

/* In each function below, boot must have as many demonstrations as irl holds, or be NULL for
 * SIM_GOAL_BOOTSTRAP resamples seeded with 1. Each returns FALSE (the score all NaN) when irl
 * holds no step or cannot be prepared. */

/* Scores the demonstrations of irl toward θ exactly as given. */
gboolean     sim_goal_score_fixed     (SimIrl                 *irl,
                                       const double           *theta,
                                       const SimGoalBootstrap *boot,
                                       SimGoalScore           *score);

/* The same from the log-likelihood of each demonstration under θ, as a fit at θ leaves them
 * (SimIrlResult.trajectory_ll) or sim_irl_trajectory_log_likelihoods() computes them: no
 * pass runs. */
gboolean     sim_goal_score_terms     (SimIrl                 *irl,
                                       const double           *theta,
                                       const double           *ll,
                                       const SimGoalBootstrap *boot,
                                       SimGoalScore           *score);

/* Up to this many scores of one set of demonstrations at once. */
#define SIM_GOAL_MAX_TERMS 3

/* sim_goal_score_terms() for k utilities (1 to SIM_GOAL_MAX_TERMS) on the same
 * demonstrations: thetas[j] and ll[j] into scores[j], the same numbers as one call each, with
 * the bootstrap's resamples drawn once for all. */
gboolean     sim_goal_score_terms_many (SimIrl                 *irl,
                                        int                     k,
                                        const double *const    *thetas,
                                        const double *const    *ll,
                                        const SimGoalBootstrap *boot,
                                        SimGoalScore           *scores);

/* Scores them toward the utility u·φ, fitting only its scale β ≥ 0 by maximum likelihood
 * (the inverse temperature of the definition), to a relative accuracy of 10⁻⁶ (10⁻³ by
 * secant steps from beta0 > 0, a guess such as the last fit's; 0 for none). The score is
 * flat at the optimum, so a scale 10⁻³ off changes it by about 10⁻⁶ of its size. The score
 * does not change when u is multiplied by c > 0. theta_fit (may be NULL) gets β u. */
gboolean     sim_goal_score_toward    (SimIrl                 *irl,
                                       const double           *utility,
                                       double                  beta0,
                                       const SimGoalBootstrap *boot,
                                       SimGoalScore           *score,
                                       double                 *theta_fit);

/* What a scale fit leaves for the next one on similar demonstrations: the fitted scale and
 * the derivative of the mean log-likelihood's slope in β there (negative; 0 when not known).
 * All 0 for no guess. */
typedef struct
{
  double beta;
  double curvature;
} SimGoalScale;

/* sim_goal_score_toward() with scale->beta as beta0, and with a Newton step as the secant's
 * second point when scale->curvature is known (one evaluation fewer when the scale moved
 * little). When the secant steps settle it keeps the last scale it evaluated rather than the
 * step's end, less than 10⁻³ of the scale from it, so that the likelihoods need no pass of
 * their own; and when the Newton step from beta0 is that short, beta0 stands after one
 * evaluation. The score is the same to about 10⁻⁶ of its size, its interval to about 10⁻³
 * of its width. Updates scale. */
gboolean     sim_goal_score_toward_from (SimIrl                 *irl,
                                         const double           *utility,
                                         SimGoalScale           *scale,
                                         const SimGoalBootstrap *boot,
                                         SimGoalScore           *score,
                                         double                 *theta_fit);

/* The scale fit of one utility on MDPs that stay the same from fit to fit (a probe battery's
 * base objective): soft values of the MDPs kept on a log-spaced grid of β, computed the first
 * time a fit needs them (docs/science.md §8). Holds references to the MDPs it was last used
 * with; a SimIrl with other MDPs makes it start over. */
typedef struct _SimGoalScaleCache SimGoalScaleCache;

SimGoalScaleCache *sim_goal_scale_cache_new  (int                      n_features,
                                              const double            *utility);
void               sim_goal_scale_cache_free (SimGoalScaleCache       *cache);
/* The grid nodes computed so far, and the fits made from them (not searched). */
int                sim_goal_scale_cache_get_n_nodes (const SimGoalScaleCache *cache);
int                sim_goal_scale_cache_get_n_fits  (const SimGoalScaleCache *cache);

/* sim_goal_score_toward_from() toward the cache's utility, with the scale from the cached
 * values when the causal model's log-likelihoods telescope: every MDP of irl deterministic,
 * undiscounted, with a horizon, and every demonstration ending on a terminal state or at the
 * horizon. Then log P(τ) = Σ_t log m(s_t, s_t+1) + β U(τ) − V_0(s_0; β) (m the number of
 * actions leading to s_t+1, U the unit utility summed over the states entered), so the
 * slope of the mean log-likelihood is Ū − mean V_0'(s_0; β), interpolated between two grid
 * nodes by the quintic Hermite polynomial of V_0', V_0'' and V_0'''; its root is β to about
 * 10⁻⁶ of itself (10⁻⁴ for sharp agents). The score takes V_0 at each start from the Hermite
 * polynomial of V_0 … V_0''' (degree 7), to about 10⁻⁸ of itself. The first fit on a set of
 * MDPs runs one exact pass at that β, whose log-likelihoods are checked against the
 * decomposition (a mismatch gives the cache up with a warning). Otherwise, or when β would lie below 2⁻¹⁰, the scale is
 * searched as sim_goal_score_toward_from() does.
 * Updates scale. */
gboolean     sim_goal_score_toward_cached (SimIrl                 *irl,
                                           SimGoalScaleCache      *cache,
                                           SimGoalScale           *scale,
                                           const SimGoalBootstrap *boot,
                                           SimGoalScore           *score,
                                           double                 *theta_fit);

/* The fit of sim_goal_score_toward_cached() without the score: when the cached values serve,
 * theta_fit gets β u (u the unit utility) and ll (n_trajectories) each demonstration's
 * log-likelihood there from the decomposition (see above), for sim_goal_score_terms(), and scale is updated; FALSE (scale as it
 * was) when the scale must be searched. */
gboolean     sim_goal_fit_toward_cached (SimIrl            *irl,
                                         SimGoalScaleCache *cache,
                                         SimGoalScale      *scale,
                                         double            *theta_fit,
                                         double            *ll);
/* The cache's utility, unit norm (for the search when the cached values do not serve). */
const double *sim_goal_scale_cache_get_utility (const SimGoalScaleCache *cache);

/* Each demonstration's log-likelihood at β times the cache's utility from the decomposition
 * above, with the values computed at β itself; FALSE when it does not apply. For checks. */
gboolean     sim_goal_scale_cache_log_likelihoods (SimGoalScaleCache *cache,
                                                   SimIrl            *irl,
                                                   double             beta,
                                                   double            *ll);

/* Scores them toward the best-fitting utility the features can express: the direction of
 * the MaxEnt fit (sim_irl_solve() with options, warm-started at theta0 when not NULL), then
 * its scale as in sim_goal_score_toward(). theta_fit (may be NULL) gets the fitted θ. */
gboolean     sim_goal_score_class     (SimIrl                 *irl,
                                       const SimIrlOptions    *options,
                                       const double           *theta0,
                                       const SimGoalBootstrap *boot,
                                       SimGoalScore           *score,
                                       double                 *theta_fit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimGoalBootstrap, sim_goal_bootstrap_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimGoalScaleCache, sim_goal_scale_cache_free)

G_END_DECLS
