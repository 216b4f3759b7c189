/* sim-probes.c: the probe battery that reads out an agent's objective by MaxEnt IRL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-probes.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>

#include "sim-irl.h"
#include "sim-mdp.h"
#include "sim-planner.h"
#include "sim-vector.h"

G_DEFINE_QUARK (sim-probes-error-quark, sim_probes_error)

struct _SimProbes
{
  SimProbeParams params;
  int n_features;
  GPtrArray *levels;        /* SimLevel: the probes */
  GPtrArray *test_levels;   /* SimLevel: where the prediction runs */
  SimIrl *irl;              /* one MDP per probe */
  SimIrl *predictor;        /* one MDP per test level, no demonstrations */
  /* Held-out goal-directedness: the train-like probes (fit) and the others (held), each probe
   * with its index in one of them. */
  SimIrl *fit;
  SimIrl *held;
  int *part_index;
  int *fit_mdps;                /* the train-like probes' indices in irl */
  int n_fit;
  int *held_mdps;               /* and the others' */
  int n_held;
  SimGoalBootstrap *boot;       /* resamples of the battery's demonstrations */
  SimGoalBootstrap *boot_held;
  SimGoalScale scale_base;      /* the last fit of the base objective's scale, or all 0 */
  SimGoalScaleCache *cache_base; /* the probes' values toward the base objective */
  double *inferred_ll;          /* each demonstration's log-likelihood at the inferred θ */
  /* The agent acts by the soft-optimal policy of its true θ (see sim_probes_set_soft_optimal()):
   * each demonstration's log-likelihood under the policy it was sampled from, for this update
   * when have_policy_ll; checked against the model's pass once. */
  gboolean soft_optimal;
  gboolean policy_ll_checked;
  gboolean have_policy_ll;
  double *policy_ll;
  guint8 *target_masks;     /* n_test_levels × cells */
  guint8 *proxy_masks;
  int max_cells;            /* largest level size */
  gsl_rng *rng;

  /* The last update's demonstrations: n_probes × n_trajectories, each up to horizon + 1. */
  int *cells;
  int *lengths;
  int stride;
  gboolean have_demos;

  double previous[SIM_MAX_FEATURES];
  gboolean have_previous;
  double previous_fit[SIM_MAX_FEATURES];
  gboolean have_previous_fit;
  /* The Newton point of fit from the update's optimum, and fit's Hessian there. */
  double fit_start[SIM_MAX_FEATURES];
  double fit_hessian[SIM_MAX_FEATURES * SIM_MAX_FEATURES];
  gboolean have_fit_start;
};

/* SplitMix64: independent seeds from (session seed, probe, trajectory). */
static guint64
mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

static unsigned long
derived_seed (guint32 seed,
              guint64 a,
              guint64 b)
{
  return (unsigned long) (mix (mix (mix (seed) + a) + b) & G_GUINT64_CONSTANT (0xffffffff));
}

void
sim_probe_params_init (SimProbeParams  *params,
                       SimScenarioKind  scenario,
                       int              grid,
                       gboolean         near_corner,
                       guint32          seed)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->scenario = scenario;
  params->grid = grid;
  params->near_corner = near_corner;
  params->seed = seed;
  params->design = SIM_PROBE_DESIGN_RICH;
  params->n_probes = 16;
  params->n_trajectories = 8;
  params->n_lava = 4;
  params->n_test_levels = 16;
  params->uncertainty = TRUE;
  params->goal = TRUE;
  params->goal_resamples = 400;
}

static SimProbeKind
probe_kind (SimProbeDesign design,
            int            index)
{
  switch (design)
    {
    case SIM_PROBE_DESIGN_TRAIN_OFF:
      return index % 2 == 0 ? SIM_PROBE_TRAIN_LIKE : SIM_PROBE_OFF_DISTRIBUTION;
    case SIM_PROBE_DESIGN_TRAIN_ONLY:
      return SIM_PROBE_TRAIN_LIKE;
    case SIM_PROBE_DESIGN_RICH:
    case SIM_N_PROBE_DESIGNS:
    default:
      return (SimProbeKind) (index % SIM_N_PROBE_KINDS);
    }
}

SimProbes *
sim_probes_new (const SimProbeParams  *params,
                GError               **error)
{
  g_autoptr (SimProbes) self = NULL;
  const SimProbeParams *p = params;
  int n_cells;

  g_return_val_if_fail (params != NULL, NULL);

  if (p->scenario != SIM_SCENARIO_COIN && p->scenario != SIM_SCENARIO_GREEN_EXIT)
    {
      g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                   "the probe battery needs the coin or green-exit scenario, not %s",
                   sim_scenario_to_string (p->scenario));
      return NULL;
    }
  if (p->grid < 4 || p->grid > SIM_LEVEL_MAX_SIZE)
    {
      g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                   "grid %d is out of range (4 to %d)", p->grid, SIM_LEVEL_MAX_SIZE);
      return NULL;
    }
  if (p->n_probes < 1 || p->n_probes > 1024 || p->n_trajectories < 1 ||
      p->n_trajectories > 1024 || p->n_test_levels < 1 || p->n_test_levels > 1024 ||
      p->n_lava < 0 || p->n_lava > p->grid * p->grid / 4 ||
      (guint) p->design >= SIM_N_PROBE_DESIGNS)
    {
      g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                   "probe battery out of range: %d probes × %d trajectories (1 to 1024 each), "
                   "%d test levels (1 to 1024), %d lava (0 to %d)", p->n_probes,
                   p->n_trajectories, p->n_test_levels, p->n_lava, p->grid * p->grid / 4);
      return NULL;
    }

  self = g_new0 (SimProbes, 1);
  self->params = *p;
  self->n_features = sim_features_count (p->scenario, p->near_corner);
  self->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_level_unref);
  self->test_levels = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_level_unref);
  self->irl = sim_irl_new (self->n_features, SIM_IRL_CAUSAL);
  self->predictor = sim_irl_new (self->n_features, SIM_IRL_CAUSAL);
  self->fit = sim_irl_new (self->n_features, SIM_IRL_CAUSAL);
  self->held = sim_irl_new (self->n_features, SIM_IRL_CAUSAL);
  self->part_index = g_new0 (int, p->n_probes);
  self->fit_mdps = g_new0 (int, p->n_probes);
  self->held_mdps = g_new0 (int, p->n_probes);
  self->rng = gsl_rng_alloc (gsl_rng_mt19937);

  /* The probe levels, then the test levels, each from their own stream. */
  gsl_rng_set (self->rng, derived_seed (p->seed, 1, 0));
  for (int i = 0; i < p->n_probes; i++)
    {
      g_autoptr (SimLevel) level = NULL;
      g_autoptr (SimMdp) mdp = NULL;

      level = sim_scenario_generate_probe (p->scenario, p->grid, probe_kind (p->design, i),
                                           p->n_lava, self->rng);
      if (level == NULL)
        {
          g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                       "could not generate probe %d", i);
          return NULL;
        }
      mdp = sim_mdp_new_from_level (level, p->near_corner);
      sim_irl_add_mdp (self->irl, mdp);
      self->part_index[i] = sim_irl_add_mdp (probe_kind (p->design, i) == SIM_PROBE_TRAIN_LIKE ?
                                             self->fit : self->held, mdp);
      if (probe_kind (p->design, i) == SIM_PROBE_TRAIN_LIKE)
        self->fit_mdps[self->n_fit++] = i;
      else
        self->held_mdps[self->n_held++] = i;
      self->max_cells = MAX (self->max_cells, level->horizon + 1);
      g_ptr_array_add (self->levels, g_steal_pointer (&level));
    }

  n_cells = p->grid * p->grid;
  self->target_masks = g_new0 (guint8, (gsize) p->n_test_levels * n_cells);
  self->proxy_masks = g_new0 (guint8, (gsize) p->n_test_levels * n_cells);
  gsl_rng_set (self->rng, derived_seed (p->seed, 2, 0));
  for (int i = 0; i < p->n_test_levels; i++)
    {
      g_autoptr (SimLevel) level = sim_scenario_generate (p->scenario, p->grid, SIM_DIST_TEST,
                                                          self->rng);
      g_autoptr (SimMdp) mdp = NULL;
      guint8 *target = self->target_masks + (gsize) i * n_cells;

      if (level == NULL)
        {
          g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                       "could not generate test level %d", i);
          return NULL;
        }
      for (int s = 0; s < n_cells; s++)
        target[s] = sim_cell_is_target (level->scenario, (SimCell) level->cells[s]) ? 1 : 0;
      sim_level_proxy_mask (level, self->proxy_masks + (gsize) i * n_cells);
      mdp = sim_mdp_new_from_level (level, p->near_corner);
      sim_irl_add_mdp (self->predictor, mdp);
      g_ptr_array_add (self->test_levels, g_steal_pointer (&level));
    }

  self->boot = sim_goal_bootstrap_new (p->n_probes * p->n_trajectories,
                                       MAX (p->goal_resamples, 20), derived_seed (p->seed, 5, 0));
  if (self->n_held > 0)
    self->boot_held = sim_goal_bootstrap_new (self->n_held * p->n_trajectories,
                                              MAX (p->goal_resamples, 20),
                                              derived_seed (p->seed, 5, 1));
  self->stride = self->max_cells;
  self->cells = g_new0 (int, (gsize) p->n_probes * p->n_trajectories * self->stride);
  self->lengths = g_new0 (int, (gsize) p->n_probes * p->n_trajectories);
  self->inferred_ll = g_new0 (double, (gsize) p->n_probes * p->n_trajectories);
  self->policy_ll = g_new0 (double, (gsize) p->n_probes * p->n_trajectories);
  return g_steal_pointer (&self);
}

void
sim_probes_free (SimProbes *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_pointer (&self->test_levels, g_ptr_array_unref);
  g_clear_pointer (&self->irl, sim_irl_free);
  g_clear_pointer (&self->predictor, sim_irl_free);
  g_clear_pointer (&self->fit, sim_irl_free);
  g_clear_pointer (&self->held, sim_irl_free);
  g_free (self->part_index);
  g_free (self->fit_mdps);
  g_free (self->held_mdps);
  g_clear_pointer (&self->boot, sim_goal_bootstrap_free);
  g_clear_pointer (&self->boot_held, sim_goal_bootstrap_free);
  g_clear_pointer (&self->cache_base, sim_goal_scale_cache_free);
  g_clear_pointer (&self->rng, gsl_rng_free);
  g_free (self->target_masks);
  g_free (self->proxy_masks);
  g_free (self->cells);
  g_free (self->lengths);
  g_free (self->inferred_ll);
  g_free (self->policy_ll);
  g_free (self);
}

const SimProbeParams *
sim_probes_get_params (SimProbes *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->params;
}

int
sim_probes_get_n_features (SimProbes *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_features;
}

const SimLevel *
sim_probes_get_level (SimProbes *self,
                      int        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index >= 0 && (guint) index < self->levels->len, NULL);
  return g_ptr_array_index (self->levels, index);
}

const SimLevel *
sim_probes_get_test_level (SimProbes *self,
                           int        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index >= 0 && (guint) index < self->test_levels->len, NULL);
  return g_ptr_array_index (self->test_levels, index);
}

void
sim_probes_reset (SimProbes *self)
{
  g_return_if_fail (self != NULL);
  self->have_previous = FALSE;
  self->have_previous_fit = FALSE;
  self->scale_base = (SimGoalScale) { 0.0, 0.0 };
}

/* The held-out fit's gradient tolerance where it starts from held_start(): the fit is then
 * closer to a tight one's than the 10⁻³ of the start from the previous fit alone, in fewer
 * evaluations (docs/science.md §8, Cost). */
#define HELD_TOLERANCE 3e-4

/* The held-out fit's objective is the main one's restricted to the train-like probes (the
 * same demonstrations, normalised by their number): at the main optimum θ the main fit's
 * last evaluation and Hessian hold its gradient g and Hessian H task by task, no pass needed,
 * and its optimum is about θ − H⁻¹ g. Sets fit_start to that point and fit_hessian to H;
 * FALSE when the exact Hessian does not apply (e.g. checkpointed passes). */
static gboolean
held_start (SimProbes    *self,
            const double *theta,
            double        l2)
{
  int nf = self->n_features;
  double g[SIM_MAX_FEATURES], H[SIM_MAX_FEATURES * SIM_MAX_FEATURES];
  double L[SIM_MAX_FEATURES * SIM_MAX_FEATURES], step[SIM_MAX_FEATURES];
  gsl_matrix_view Lv = gsl_matrix_view_array (L, nf, nf);
  gsl_vector_view gv = gsl_vector_view_array (g, nf);
  gsl_vector_view sv = gsl_vector_view_array (step, nf);
  int status;

  if (self->n_fit == 0 ||
      !sim_irl_subset_hessian (self->irl, theta, l2, self->n_fit, self->fit_mdps, NULL, g, H))
    return FALSE;
  memcpy (L, H, sizeof (double) * nf * nf);
  status = gsl_linalg_cholesky_decomp1 (&Lv.matrix);
  if (status == GSL_SUCCESS)
    status = gsl_linalg_cholesky_solve (&Lv.matrix, &gv.vector, &sv.vector);
  if (status != GSL_SUCCESS)
    return FALSE;
  for (int j = 0; j < nf; j++)
    {
      self->fit_start[j] = theta[j] - step[j];
      if (!isfinite (self->fit_start[j]))
        return FALSE;
    }
  memcpy (self->fit_hessian, H, sizeof (double) * nf * nf);
  return TRUE;
}

/* Whether the previous held-out fit may be near the optimum of this update's: the gradient
 * there that the quadratic model of held_start() predicts, H (θ_prev − θ_start) (0 at its
 * Newton point θ_start), is within 3 × 100 tolerances. Over the live updates of `bench` at
 * 8×8 every previous fit that passed the check (within 100 tolerances) was predicted within
 * 91; it spares the evaluation that checks a previous fit that is far (24 of 34 there). */
static gboolean
near_previous_fit (SimProbes *self)
{
  int nf = self->n_features;
  double r[SIM_MAX_FEATURES], tol;

  for (int a = 0; a < nf; a++)
    r[a] = 0.0;
  for (int a = 0; a < nf; a++)
    for (int b = 0; b < nf; b++)
      r[a] += self->fit_hessian[a * nf + b] * (self->previous_fit[b] - self->fit_start[b]);
  tol = sim_irl_get_gradient_limit (self->fit, HELD_TOLERANCE);
  return sim_vec_norm (r, nf) <= 3.0 * 100.0 * tol;
}

/* The log-likelihood of a demonstration under the policy it was sampled from, as the causal
 * model counts it: each step's probability is that of every action leading to the next
 * state. The probabilities are multiplied, their product taken to the logarithm before it
 * could leave the range of doubles. */
static double
policy_log_likelihood (const SimMdp    *mdp,
                       const SimPolicy *policy,
                       const int       *states,
                       int              length)
{
  double ll = 0.0, product = 1.0;

  for (int t = 0; t + 1 < length; t++)
    {
      const double *row = policy->prob + ((gsize) t * policy->n_states + states[t]) *
                                         SIM_N_ACTIONS;
      double p = 0.0;

      for (int a = 0; a < mdp->n_actions; a++)
        if (mdp->succ[mdp->row[states[t] * mdp->n_actions + a]] == states[t + 1])
          p += row[a];
      product *= p;
      if (product < 1e-200)
        {
          ll += log (product);
          product = 1.0;
        }
    }
  return ll + log (product);
}

/* The demonstrations' log-likelihoods at theta_true, the agent's own β θ: from the policies
 * they were sampled from when the agent acts soft-optimally, the first time checked against
 * the model's pass (which serves alone from then on if they differ); else by that pass. */
static gboolean
true_log_likelihoods (SimProbes    *self,
                      const double *theta_true,
                      double       *ll)
{
  int n = sim_irl_get_n_trajectories (self->irl);

  if (!self->have_policy_ll || !self->policy_ll_checked)
    {
      if (!sim_irl_trajectory_log_likelihoods (self->irl, theta_true, ll, NULL, NULL))
        return FALSE;
      if (self->have_policy_ll)
        {
          for (int i = 0; i < n; i++)
            if (!(fabs (self->policy_ll[i] - ll[i]) <= 1e-9 * (1.0 + fabs (ll[i]))))
              {
                g_warning ("goal-directedness: demonstration %d has log-likelihood %.12g under "
                           "the agent's policy, %.12g under the soft-optimal policy of its "
                           "θ: the agent is not soft-optimal, its score is computed", i,
                           self->policy_ll[i], ll[i]);
                self->soft_optimal = FALSE;
                return TRUE;
              }
          self->policy_ll_checked = TRUE;
        }
      return TRUE;
    }
  memcpy (ll, self->policy_ll, sizeof (double) * n);
  return TRUE;
}

/* The goal-directedness scores of the update's demonstrations (see SimProbeReadout). The
 * class score is the MaxEnt fit's as it stands: the fit maximises the likelihood with a small
 * L2 term, so its scale is a hair short of the unpenalised maximum along its direction. */
static void
goal_scores (SimProbes       *self,
             const double    *base,
             const double    *true_theta,
             SimProbeReadout *out)
{
  int nf = self->n_features, n = sim_irl_get_n_trajectories (self->irl), k = 0;
  double fitted[SIM_MAX_FEATURES], theta_base[SIM_MAX_FEATURES], theta_true[SIM_MAX_FEATURES];
  const double *thetas[SIM_GOAL_MAX_TERMS], *ll[SIM_GOAL_MAX_TERMS];
  SimGoalScore scores[SIM_GOAL_MAX_TERMS], *dest[SIM_GOAL_MAX_TERMS];
  g_autofree double *ll_base = g_new (double, MAX (n, 1));
  g_autofree double *ll_true = g_new (double, MAX (n, 1));
  gboolean base_cached;
  SimIrlOptions options;

  /* The fit left each demonstration's log-likelihood at the inferred θ. */
  thetas[k] = out->raw;
  ll[k] = self->inferred_ll;
  dest[k++] = &out->goal_inferred;
  /* The probes and the base objective stay: their values serve every update (when they
   * cannot, the scale is searched and scored on its own). */
  if (self->cache_base == NULL)
    self->cache_base = sim_goal_scale_cache_new (nf, base);
  base_cached = sim_goal_fit_toward_cached (self->irl, self->cache_base, &self->scale_base,
                                            theta_base, ll_base);
  if (base_cached)
    {
      thetas[k] = theta_base;
      ll[k] = ll_base;
      dest[k++] = &out->goal_base;
    }
  else
    sim_goal_score_toward_from (self->irl, base, &self->scale_base, self->boot,
                                &out->goal_base, NULL);
  if (true_theta != NULL)
    {
      for (int j = 0; j < nf; j++)
        theta_true[j] = SIM_PLANNER_BETA * true_theta[j];
      if (true_log_likelihoods (self, theta_true, ll_true))
        {
          thetas[k] = theta_true;
          ll[k] = ll_true;
          dest[k++] = &out->goal_true;
        }
    }
  /* The scores of the battery's demonstrations share their resamples. */
  if (sim_goal_score_terms_many (self->irl, k, thetas, ll, self->boot, scores))
    {
      for (int j = 0; j < k; j++)
        *dest[j] = scores[j];
      if (base_cached)
        out->goal_base.beta = self->scale_base.beta;
    }
  if (self->boot_held == NULL || sim_irl_get_n_trajectories (self->fit) == 0)
    return;
  sim_irl_options_init (&options);
  {
    SimIrlResult result;
    const double *start = self->fit_start;

    if (self->have_fit_start)
      {
        /* From the previous held-out fit when the demonstrations left it near the optimum
         * (its gradient within 100 tolerances: one evaluation, which the solve reuses), with
         * the curvature that solve learnt; else from the Newton point of the update's own fit
         * with the Hessian there (see held_start()). */
        options.gradient_tolerance = HELD_TOLERANCE;
        if (self->have_previous_fit && near_previous_fit (self))
          {
            SimIrlOptions check = options;
            SimIrlResult at_previous;

            check.max_iterations = 0;
            check.gradient_tolerance = 100.0 * HELD_TOLERANCE;
            if (sim_irl_solve (self->fit, self->previous_fit, &check, &at_previous, NULL) &&
                at_previous.converged)
              start = self->previous_fit;
            sim_irl_result_clear (&at_previous);
          }
        if (start == self->fit_start)
          sim_irl_set_hessian (self->fit, self->fit_hessian);
      }
    else
      {
        /* The first fit leaves its Hessian to precondition the next one, which starts near
         * it, and each later one the curvature it learnt (the main fit refreshes its own with
         * every uncertainty). */
        options.uncertainty = !self->have_previous_fit;
        options.gradient_tolerance = 1e-3;
        start = self->have_previous_fit ? self->previous_fit : NULL;
      }
    if (!sim_irl_solve (self->fit, start, &options, &result, NULL))
      return;
    memcpy (fitted, result.theta, sizeof (double) * nf);
    sim_irl_result_clear (&result);
  }
  memcpy (self->previous_fit, fitted, sizeof (double) * nf);
  self->have_previous_fit = TRUE;
  /* The held-out demonstrations' log-likelihoods by a pass on the update's own problem, which
   * holds them on the same MDPs and has just worked on those (held's own workspaces would be
   * cold); held gives their steps and chance levels. */
  {
    g_autofree double *ll = g_new (double, MAX (sim_irl_get_n_trajectories (self->held), 1));

    if (sim_irl_subset_log_likelihoods (self->irl, fitted, self->n_held, self->held_mdps, ll))
      sim_goal_score_terms (self->held, fitted, ll, self->boot_held, &out->goal_held_out);
  }
}

void
sim_probes_set_soft_optimal (SimProbes *self,
                             gboolean   soft_optimal)
{
  g_return_if_fail (self != NULL);
  self->soft_optimal = soft_optimal;
}

gboolean
sim_probes_update (SimProbes           *self,
                   SimProbePolicyFunc   policy_func,
                   gpointer             user_data,
                   const double        *true_theta,
                   SimProbeReadout     *out,
                   GError             **error)
{
  const SimProbeParams *p;
  gint64 start = g_get_monotonic_time ();
  SimIrlOptions options;
  SimIrlResult result;
  double base[SIM_MAX_FEATURES];
  int nf;
  int n_cells;

  g_return_val_if_fail (self != NULL && policy_func != NULL && out != NULL, FALSE);

  p = &self->params;
  nf = self->n_features;
  memset (out, 0, sizeof *out);
  out->n_features = nf;
  out->cos_true = NAN;
  sim_goal_score_init (&out->goal_inferred);
  sim_goal_score_init (&out->goal_base);
  sim_goal_score_init (&out->goal_true);
  sim_goal_score_init (&out->goal_held_out);

  /* Demonstrations, with the same seed for each (probe, trajectory) at every update. */
  sim_irl_clear_trajectories (self->irl);
  sim_irl_clear_trajectories (self->fit);
  sim_irl_clear_trajectories (self->held);
  self->have_demos = FALSE;
  self->have_policy_ll = p->goal && self->soft_optimal && true_theta != NULL;
  for (int i = 0; i < p->n_probes; i++)
    {
      const SimLevel *level = g_ptr_array_index (self->levels, i);
      g_autoptr (SimPolicy) policy = policy_func (level, user_data);

      if (policy == NULL || policy->n_states != level->width * level->height ||
          policy->horizon < 1)
        {
          g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                       "probe %d: the agent gave %s", i,
                       policy == NULL ? "no policy" : "a policy that does not fit the level");
          return FALSE;
        }
      for (int j = 0; j < p->n_trajectories; j++)
        {
          int k = i * p->n_trajectories + j;
          int *cells = self->cells + (gsize) k * self->stride;
          g_autoptr (GError) local_error = NULL;

          gsl_rng_set (self->rng, derived_seed (p->seed, 3 + (guint64) i, (guint64) j));
          self->lengths[k] = sim_policy_sample (policy, level, self->rng, cells);
          if (!sim_irl_add_trajectory (self->irl, i, cells, self->lengths[k], &local_error))
            {
              g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_INVALID,
                           "probe %d, trajectory %d: %s", i, j, local_error->message);
              return FALSE;
            }
          if (self->have_policy_ll)
            self->policy_ll[k] = policy_log_likelihood (sim_irl_get_mdp (self->irl, i), policy,
                                                        cells, self->lengths[k]);
          /* The held-out score's two halves, for the goal-directedness scores only. */
          if (p->goal)
            sim_irl_copy_trajectory (probe_kind (p->design, i) == SIM_PROBE_TRAIN_LIKE ?
                                     self->fit : self->held, self->part_index[i], self->irl,
                                     i, j);
        }
    }
  self->have_demos = TRUE;

  sim_irl_options_init (&options);
  options.uncertainty = p->uncertainty;
  options.trajectory_terms = p->goal;
  if (!sim_irl_solve (self->irl, self->have_previous ? self->previous : NULL, &options,
                      &result, error))
    return FALSE;

  memcpy (out->raw, result.theta, sizeof (double) * nf);
  memcpy (out->inferred, result.unit, sizeof (double) * nf);
  for (int j = 0; j < nf; j++)
    out->uncertainty[j] = result.uncertainty != NULL ? result.uncertainty[j] : 0.0;
  out->log_likelihood = result.log_likelihood;
  out->iterations = result.iterations;
  out->evaluations = result.evaluations;
  out->converged = result.converged;
  memcpy (self->previous, result.theta, sizeof (double) * nf);
  self->have_previous = TRUE;
  self->have_fit_start = p->goal && self->boot_held != NULL &&
                         held_start (self, result.theta, options.l2);
  if (result.trajectory_ll != NULL)
    memcpy (self->inferred_ll, result.trajectory_ll,
            sizeof (double) * sim_irl_get_n_trajectories (self->irl));
  sim_irl_result_clear (&result);

  /* The behaviour the inferred reward predicts on the test levels (β = 1, exact). */
  n_cells = p->grid * p->grid;
  for (int i = 0; i < p->n_test_levels; i++)
    {
      double target = 0.0, proxy = 0.0;

      sim_irl_outcome (self->predictor, i, out->raw, self->target_masks + (gsize) i * n_cells,
                       self->proxy_masks + (gsize) i * n_cells, &target, &proxy);
      out->predicted_target += target / p->n_test_levels;
      out->predicted_proxy += proxy / p->n_test_levels;
    }
  out->predicted_target = CLAMP (out->predicted_target, 0.0, 1.0);
  out->predicted_proxy = CLAMP (out->predicted_proxy, 0.0, 1.0);

  sim_features_base (p->scenario, p->near_corner, base);
  out->cos_base = sim_vec_cosine (out->inferred, base, nf);
  if (true_theta != NULL)
    out->cos_true = sim_vec_cosine (out->inferred, true_theta, nf);
  if (p->goal)
    goal_scores (self, base, true_theta, out);
  out->seconds = (g_get_monotonic_time () - start) / 1e6;
  return TRUE;
}

SimDemos *
sim_probes_dup_demos (SimProbes *self)
{
  const SimProbeParams *p;
  SimDemos *demos;

  g_return_val_if_fail (self != NULL, NULL);
  if (!self->have_demos)
    return NULL;

  p = &self->params;
  demos = sim_demos_new (p->scenario, p->near_corner);
  for (guint i = 0; i < self->levels->len; i++)
    sim_demos_add_level (demos, g_ptr_array_index (self->levels, i));
  for (int i = 0; i < p->n_probes; i++)
    for (int j = 0; j < p->n_trajectories; j++)
      {
        int k = i * p->n_trajectories + j;
        g_autoptr (GError) error = NULL;

        /* Sampled episodes always pass the file's checks. */
        if (!sim_demos_add_trajectory (demos, i, self->cells + (gsize) k * self->stride,
                                       self->lengths[k], &error))
          g_critical ("%s: probe %d, trajectory %d: %s", G_STRFUNC, i, j, error->message);
      }
  return demos;
}

gboolean
sim_probes_export_demos (SimProbes   *self,
                         const char  *path,
                         GError     **error)
{
  g_autoptr (SimDemos) demos = NULL;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  demos = sim_probes_dup_demos (self);
  if (demos == NULL)
    {
      g_set_error (error, SIM_PROBES_ERROR, SIM_PROBES_ERROR_FAILED,
                   "%s: no probe demonstrations yet (inference has not run)", path);
      return FALSE;
    }
  return sim_demos_save (demos, path, error);
}
