/* test-goal.c: maximum-entropy goal-directedness (sim-goal.c) against its definition
 *
 * The reference here is independent of the IRL passes: the test computes the soft-optimal
 * policy by its own value iteration, samples its own trajectories, and computes the exact
 * expected score by pushing the state distribution forward.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "sim-goal.h"
#include "sim-irl.h"
#include "sim-mdp.h"
#include "sim-planner.h"
#include "sim-probes.h"
#include "sim-scenario.h"
#include "sim-vector.h"

/* A time-indexed policy π[t][s][a] for horizon T. */
typedef struct
{
  int T, ns, na;
  double *p;
} Policy;

static double *
pi_at (Policy *pi,
       int     t,
       int     s)
{
  return pi->p + ((gsize) t * pi->ns + s) * pi->na;
}

static void
policy_clear (Policy *pi)
{
  g_clear_pointer (&pi->p, g_free);
}

/* Soft value iteration with reward θ·φ(s′), temperature 1, written out directly:
 * Q_t(s,a) = Σ P(s′|s,a) [r(s′) + (1 − term(s′)) V_{t+1}(s′)], V_T = 0. */
static Policy
soft_policy (const SimMdp *mdp,
             const double *theta)
{
  int ns = mdp->n_states, na = mdp->n_actions, nf = mdp->n_features, T = mdp->horizon;
  Policy pi = { T, ns, na, g_new0 (double, (gsize) T * ns * na) };
  g_autofree double *r = g_new0 (double, ns);
  g_autofree double *V = g_new0 (double, ns);
  g_autofree double *Vn = g_new0 (double, ns);

  for (int s = 0; s < ns; s++)
    for (int j = 0; j < nf; j++)
      r[s] += theta[j] * mdp->phi[(gsize) s * nf + j];
  for (int t = T - 1; t >= 0; t--)
    {
      for (int s = 0; s < ns; s++)
        {
          double *p = pi_at (&pi, t, s);
          double m = -G_MAXDOUBLE, z = 0.0;

          for (int a = 0; a < na; a++)
            {
              gsize row = (gsize) s * na + a;

              p[a] = 0.0;
              for (int k = mdp->row[row]; k < mdp->row[row + 1]; k++)
                {
                  int s2 = mdp->succ[k];
                  p[a] += mdp->prob[k] * (r[s2] + (mdp->terminal[s2] ? 0.0 : Vn[s2]));
                }
              m = MAX (m, p[a]);
            }
          for (int a = 0; a < na; a++)
            z += exp (p[a] - m);
          V[s] = m + log (z);
          for (int a = 0; a < na; a++)
            p[a] = exp (p[a] - V[s]);
        }
      memcpy (Vn, V, sizeof (double) * ns);
    }
  return pi;
}

/* The same π for every step: ε-greedy about the action best[s], or uniform for best NULL. */
static Policy
stationary_policy (const SimMdp *mdp,
                   const int    *best,
                   double        epsilon)
{
  int ns = mdp->n_states, na = mdp->n_actions, T = mdp->horizon;
  Policy pi = { T, ns, na, g_new0 (double, (gsize) T * ns * na) };

  for (int t = 0; t < T; t++)
    for (int s = 0; s < ns; s++)
      for (int a = 0; a < na; a++)
        pi_at (&pi, t, s)[a] = best == NULL ? 1.0 / na
                               : epsilon / na + (a == best[s] ? 1.0 - epsilon : 0.0);
  return pi;
}

/* The state-step probability Σ_a π(a|s) P(s2|s,a). */
static double
step_prob (const SimMdp *mdp,
           Policy       *pi,
           int           t,
           int           s,
           int           s2)
{
  const double *p = pi_at (pi, t, s);
  double sum = 0.0;

  for (int a = 0; a < mdp->n_actions; a++)
    {
      gsize row = (gsize) s * mdp->n_actions + a;
      for (int k = mdp->row[row]; k < mdp->row[row + 1]; k++)
        if (mdp->succ[k] == s2)
          sum += p[a] * mdp->prob[k];
    }
  return sum;
}

/* Samples one episode of π from the start distribution; returns the number of states. */
static int
sample_episode (const SimMdp *mdp,
                Policy       *pi,
                gsl_rng      *rng,
                int          *states)
{
  int n = 0, s = 0;
  double u = gsl_rng_uniform (rng), c = 0.0;

  for (s = 0; s < mdp->n_states - 1; s++)
    {
      c += mdp->start[s];
      if (u < c)
        break;
    }
  states[n++] = s;
  for (int t = 0; t < mdp->horizon && !mdp->terminal[s]; t++)
    {
      const double *p = pi_at (pi, t, s);
      int a = 0;
      gsize row;

      u = gsl_rng_uniform (rng);
      for (c = p[0]; a < mdp->n_actions - 1 && u >= c; c += p[++a])
        ;
      row = (gsize) s * mdp->n_actions + a;
      u = gsl_rng_uniform (rng);
      c = 0.0;
      for (int k = mdp->row[row]; k < mdp->row[row + 1]; k++)
        {
          s = mdp->succ[k];
          c += mdp->prob[k];
          if (u < c)
            break;
        }
      states[n++] = s;
    }
  return n;
}

/* Adds n episodes of π on MDP index m of irl. */
static void
add_episodes (SimIrl       *irl,
              int           m,
              const SimMdp *mdp,
              Policy       *pi,
              gsl_rng      *rng,
              int           n)
{
  g_autofree int *states = g_new (int, mdp->horizon + 1);

  for (int i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      int len = sample_episode (mdp, pi, rng, states);

      g_assert_true (sim_irl_add_trajectory (irl, m, states, len, &error));
      g_assert_no_error (error);
    }
}

/* The exact expectations, per episode of π, of the score's three sums: the log-likelihood
 * gain over the uniform policy under the model q (a policy), the uniform policy's negative
 * log-likelihood, and the number of decisions. */
static void
expected_sums (const SimMdp *mdp,
               Policy       *pi,
               Policy       *q,
               double       *gain,
               double       *base,
               double       *decisions)
{
  int ns = mdp->n_states;
  g_autofree double *d = g_new0 (double, ns);
  g_autofree double *dn = g_new0 (double, ns);

  *gain = *base = *decisions = 0.0;
  memcpy (d, mdp->start, sizeof (double) * ns);
  for (int t = 0; t < mdp->horizon; t++)
    {
      memset (dn, 0, sizeof (double) * ns);
      for (int s = 0; s < ns; s++)
        {
          if (d[s] == 0.0 || mdp->terminal[s])
            continue;
          *decisions += d[s];
          for (int s2 = 0; s2 < ns; s2++)
            {
              double p = step_prob (mdp, pi, t, s, s2);
              double w;

              if (p == 0.0)
                continue;
              w = sim_mdp_transition_weight (mdp, s, s2) / mdp->n_actions;
              *gain += d[s] * p * (log (step_prob (mdp, q, t, s, s2)) - log (w));
              *base -= d[s] * p * log (w);
              dn[s2] += d[s] * p;
            }
        }
      memcpy (d, dn, sizeof (double) * ns);
    }
}

static SimMdp *
probe_mdp (gsl_rng *rng,
           int      i)
{
  g_autoptr (SimLevel) level =
    sim_scenario_generate_probe (SIM_SCENARIO_COIN, 8, i % SIM_N_PROBE_KINDS, 4, rng);

  return sim_mdp_new_from_level (level, TRUE);
}

/* A uniformly random agent is not goal-directed: over ≥ 2,000 decisions on probe levels its
 * score toward the best utility of the class is within 0.02 of 0. (The class includes the
 * uniform policy: a reward of −log 5 on every step makes every action equally good.) */
static void
test_random_agent (void)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimIrl) irl = sim_irl_new (7, SIM_IRL_CAUSAL);
  SimIrlOptions options;
  SimGoalScore score;

  gsl_rng_set (rng, 11);
  for (int i = 0; i < 8; i++)
    {
      g_autoptr (SimMdp) mdp = probe_mdp (rng, i);
      Policy pi = stationary_policy (mdp, NULL, 1.0);

      add_episodes (irl, sim_irl_add_mdp (irl, mdp), mdp, &pi, rng, 24);
      policy_clear (&pi);
    }
  sim_irl_options_init (&options);
  g_assert_true (sim_goal_score_class (irl, &options, NULL, NULL, &score, NULL));
  g_test_message ("random agent: %d decisions, normalised %.4f [%.4f, %.4f], %.4f nats",
                  score.decisions, score.normalised, score.lo, score.hi, score.nats);
  g_assert_cmpint (score.decisions, >=, 2000);
  g_assert_cmpfloat (fabs (score.normalised), <=, 0.02);
  g_assert_cmpfloat (score.lo, <=, score.normalised);
  g_assert_cmpfloat (score.normalised, <=, score.hi);
  gsl_rng_free (rng);
}

/* Episodes of the soft-optimal policy of a known θ: the score toward θ as given, toward its
 * direction (scale fitted) and toward the class all contain, within their 90 % intervals,
 * the exact expected score of that policy, computed from the policy itself. */
static void
test_known_utility (void)
{
  static const double unit[7] = { 0.45, -0.35, 0.55, 0.05, 0.05, 0.45, -0.3 };
  double theta[7];
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimIrl) irl = sim_irl_new (7, SIM_IRL_CAUSAL);
  double gain = 0.0, base = 0.0, decisions = 0.0, expected, expected_nats;
  SimIrlOptions options;
  SimGoalScore fixed, toward, klass;
  double fitted[7];

  for (int j = 0; j < 7; j++)
    theta[j] = 4.0 * unit[j];
  gsl_rng_set (rng, 3);
  for (int i = 0; i < 8; i++)
    {
      g_autoptr (SimMdp) mdp = probe_mdp (rng, i);
      Policy pi = soft_policy (mdp, theta);
      double g, b, d;

      add_episodes (irl, sim_irl_add_mdp (irl, mdp), mdp, &pi, rng, 40);
      expected_sums (mdp, &pi, &pi, &g, &b, &d);
      gain += g;
      base += b;
      decisions += d;
      policy_clear (&pi);
    }
  expected = gain / base;
  expected_nats = gain / decisions;

  sim_irl_options_init (&options);
  g_assert_true (sim_goal_score_fixed (irl, theta, NULL, &fixed));
  g_assert_true (sim_goal_score_toward (irl, unit, 0.0, NULL, &toward, fitted));
  g_assert_true (sim_goal_score_class (irl, &options, NULL, NULL, &klass, NULL));
  g_test_message ("expected %.4f (%.4f nats); as given %.4f [%.4f, %.4f]; toward %.4f "
                  "[%.4f, %.4f] at β %.3f; class %.4f [%.4f, %.4f]", expected, expected_nats,
                  fixed.normalised, fixed.lo, fixed.hi, toward.normalised, toward.lo,
                  toward.hi, toward.beta, klass.normalised, klass.lo, klass.hi);
  g_assert_cmpfloat (fixed.lo, <=, expected);
  g_assert_cmpfloat (expected, <=, fixed.hi);
  g_assert_cmpfloat (fixed.nats_lo, <=, expected_nats);
  g_assert_cmpfloat (expected_nats, <=, fixed.nats_hi);
  g_assert_cmpfloat (toward.lo, <=, expected);
  g_assert_cmpfloat (expected, <=, toward.hi);
  g_assert_cmpfloat (klass.lo, <=, expected);
  g_assert_cmpfloat (expected, <=, klass.hi);
  /* The fitted scale is the policy's own: β = 4 within sampling error. */
  g_assert_cmpfloat (fabs (toward.beta - 4.0), <=, 0.5);
  /* Fitting can only raise the likelihood of the sample. */
  g_assert_cmpfloat (toward.normalised, >=, fixed.normalised - 1e-9);
  g_assert_cmpfloat (klass.normalised, >=, toward.normalised - 1e-3);
  gsl_rng_free (rng);
}

/* A 5 × 5 open grid with no terminal state, 5 actions (up, down, left, right, stay), a fixed
 * horizon, and features x/4, y/4, a constant and the centre cell. */
static SimMdp *
open_grid (void)
{
  enum { W = 5, NS = W * W, NA = 5, NF = 4 };
  static const int dx[NA] = { 0, 0, -1, 1, 0 }, dy[NA] = { 1, -1, 0, 0, 0 };
  SimMdpTransition trans[NS * NA];
  double phi[NS * NF], start[NS] = { 0 };
  guint8 terminal[NS] = { 0 };
  g_autoptr (GError) error = NULL;
  SimMdp *mdp;

  for (int s = 0; s < NS; s++)
    {
      int x = s % W, y = s / W;

      for (int a = 0; a < NA; a++)
        {
          int x2 = CLAMP (x + dx[a], 0, W - 1), y2 = CLAMP (y + dy[a], 0, W - 1);
          trans[s * NA + a] = (SimMdpTransition) { s, a, y2 * W + x2, 1.0 };
        }
      phi[s * NF + 0] = x / 4.0;
      phi[s * NF + 1] = y / 4.0;
      phi[s * NF + 2] = 1.0;
      phi[s * NF + 3] = s == 12 ? 1.0 : 0.0;
    }
  start[0] = 0.5;
  start[4] = 0.5;
  mdp = sim_mdp_new (NS, NA, NF, trans, NS * NA, phi, terminal, start, 10, 1.0, &error);
  g_assert_no_error (error);
  return mdp;
}

/* The invariances of the measure: multiplying the utility by c > 0 leaves the score
 * unchanged (the scale is fitted), and so does adding a constant reward on every step when
 * every episode lasts the whole horizon (it changes no choice). */
static void
test_invariances (void)
{
  static const double u[4] = { 0.6, 0.5, 0.0, 0.4 };
  double theta[4], u_scaled[4], u_shifted[4], theta_shifted[4];
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimMdp) mdp = open_grid ();
  g_autoptr (SimIrl) irl = sim_irl_new (4, SIM_IRL_CAUSAL);
  SimGoalScore a, b, c, d, e, warm;
  Policy pi;

  for (int j = 0; j < 4; j++)
    {
      theta[j] = 3.0 * u[j];
      u_scaled[j] = 7.5 * u[j];
      u_shifted[j] = u[j] + (j == 2 ? 0.8 : 0.0);
      theta_shifted[j] = theta[j] + (j == 2 ? -2.0 : 0.0);
    }
  gsl_rng_set (rng, 8);
  pi = soft_policy (mdp, theta);
  add_episodes (irl, sim_irl_add_mdp (irl, mdp), mdp, &pi, rng, 60);
  policy_clear (&pi);

  g_assert_true (sim_goal_score_toward (irl, u, 0.0, NULL, &a, NULL));
  g_assert_true (sim_goal_score_toward (irl, u_scaled, 0.0, NULL, &b, NULL));
  g_assert_true (sim_goal_score_toward (irl, u_shifted, 0.0, NULL, &c, NULL));
  g_assert_true (sim_goal_score_fixed (irl, theta, NULL, &d));
  g_assert_true (sim_goal_score_fixed (irl, theta_shifted, NULL, &e));
  g_test_message ("toward u %.12f, 7.5 u %.12f, u + constant %.12f; as given %.12f, "
                  "shifted %.12f", a.normalised, b.normalised, c.normalised, d.normalised,
                  e.normalised);
  g_assert_cmpfloat (a.normalised, >, 0.1);
  g_assert_cmpfloat (fabs (a.normalised - b.normalised), <=, 1e-9);
  /* A warm start changes the path of the scale fit, not where it ends. */
  g_assert_true (sim_goal_score_toward (irl, u, 0.3 * a.beta, NULL, &warm, NULL));
  g_assert_cmpfloat (fabs (warm.beta - a.beta), <=, 1e-5 * a.beta);
  g_assert_cmpfloat (fabs (warm.normalised - a.normalised), <=, 1e-9);
  g_assert_true (sim_goal_score_toward (irl, u, 5.0 * a.beta, NULL, &warm, NULL));
  g_assert_cmpfloat (fabs (warm.beta - a.beta), <=, 1e-5 * a.beta);
  g_assert_cmpfloat (fabs (a.beta - b.beta), <=, 1e-6 * a.beta);
  g_assert_cmpfloat (fabs (a.normalised - c.normalised), <=, 1e-9);
  g_assert_cmpfloat (fabs (d.normalised - e.normalised), <=, 1e-9);
  /* Started from the last fit, with the slope's derivative it learnt, the fit of the scale
   * ends within 10⁻³ of it and the score within 10⁻⁶ of its size (flat at the optimum); the
   * interval, whose resamples are not at their own optima, within 10⁻⁴. */
  {
    SimGoalScale scale = { 0.0, 0.0 };
    SimGoalScore from;

    g_assert_true (sim_goal_score_toward_from (irl, u, &scale, NULL, &from, NULL));
    g_assert_cmpfloat (fabs (from.beta - a.beta), <=, 1e-5 * a.beta);
    g_assert_cmpfloat (scale.beta, ==, from.beta);
    for (int k = 0; k < 3; k++)
      {
        scale.beta *= k == 0 ? 1.0 : k == 1 ? 1.02 : 0.97;
        g_assert_true (sim_goal_score_toward_from (irl, u, &scale, NULL, &from, NULL));
        g_test_message ("from %d: β %.9f, score %.12f", k, from.beta, from.normalised);
        g_assert_cmpfloat (scale.curvature, <, 0.0);
        g_assert_cmpfloat (fabs (from.beta - a.beta), <=, 1e-3 * a.beta);
        g_assert_cmpfloat (fabs (from.normalised - a.normalised), <=,
                           1e-6 * fabs (a.normalised));
        g_assert_cmpfloat (fabs (from.lo - a.lo), <=, 1e-4);
        g_assert_cmpfloat (fabs (from.hi - a.hi), <=, 1e-4);
      }
  }
  /* The intervals move with the score: the same resamples. */
  g_assert_cmpfloat (fabs (a.lo - b.lo), <=, 1e-9);
  g_assert_cmpfloat (fabs (a.hi - c.hi), <=, 1e-9);
  gsl_rng_free (rng);
}

/* Cliff walking: a 12 × 4 grid, the start bottom left, the goal bottom right, the cells
 * between them a cliff; 4 actions; goal and cliff terminal. Features: goal, cliff, step. */
static SimMdp *
cliff_mdp (int *best)
{
  enum { W = 12, H = 4, NS = W * H, NA = 4, NF = 3 };
  static const int dx[NA] = { 0, 0, -1, 1 }, dy[NA] = { 1, -1, 0, 0 };
  SimMdpTransition trans[NS * NA];
  double phi[NS * NF], start[NS] = { 0 };
  guint8 terminal[NS] = { 0 };
  int dist[NS];
  g_autoptr (GError) error = NULL;
  SimMdp *mdp;
  gboolean changed = TRUE;

  for (int s = 0; s < NS; s++)
    {
      int x = s % W, y = s / W;
      gboolean goal = y == 0 && x == W - 1, cliff = y == 0 && x > 0 && x < W - 1;

      for (int a = 0; a < NA; a++)
        {
          int x2 = CLAMP (x + dx[a], 0, W - 1), y2 = CLAMP (y + dy[a], 0, H - 1);
          trans[s * NA + a] = (SimMdpTransition) { s, a, y2 * W + x2, 1.0 };
        }
      phi[s * NF + 0] = goal;
      phi[s * NF + 1] = cliff;
      phi[s * NF + 2] = 1.0;
      terminal[s] = goal || cliff;
      dist[s] = goal ? 0 : G_MAXINT / 2;
    }
  start[0] = 1.0;
  /* The optimal policy: the fewest steps to the goal without the cliff. */
  while (changed)
    {
      changed = FALSE;
      for (int s = 0; s < NS; s++)
        for (int a = 0; a < NA && !terminal[s]; a++)
          {
            int s2 = trans[s * NA + a].s2;
            gboolean cliff = phi[s2 * NF + 1] != 0.0;

            if (!cliff && dist[s2] + 1 < dist[s])
              {
                dist[s] = dist[s2] + 1;
                best[s] = a;
                changed = TRUE;
              }
          }
    }
  mdp = sim_mdp_new (NS, NA, NF, trans, NS * NA, phi, terminal, start, 30, 1.0, &error);
  g_assert_no_error (error);
  return mdp;
}

/* ε-greedy versions of the optimal cliff-walking policy, ε = 0, 0.1, …, 1: the score toward
 * the class falls with every step of ε, from about 1 to about 0. */
static void
test_cliff_epsilon (void)
{
  int best[12 * 4] = { 0 };
  g_autoptr (SimMdp) mdp = cliff_mdp (best);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double previous = G_MAXDOUBLE;

  gsl_rng_set (rng, 21);
  for (int k = 0; k <= 10; k++)
    {
      double epsilon = k / 10.0;
      g_autoptr (SimIrl) irl = sim_irl_new (3, SIM_IRL_CAUSAL);
      Policy pi = stationary_policy (mdp, best, epsilon);
      SimIrlOptions options;
      SimGoalScore score;

      add_episodes (irl, sim_irl_add_mdp (irl, mdp), mdp, &pi, rng, 4000);
      policy_clear (&pi);
      sim_irl_options_init (&options);
      g_assert_true (sim_goal_score_class (irl, &options, NULL, NULL, &score, NULL));
      g_test_message ("ε %.1f: %.4f [%.4f, %.4f], %d decisions", epsilon, score.normalised,
                      score.lo, score.hi, score.decisions);
      g_assert_cmpfloat (score.normalised, <, previous);
      if (k == 0)
        g_assert_cmpfloat (score.normalised, >=, 0.9);
      if (k == 10)
        g_assert_cmpfloat (fabs (score.normalised), <=, 0.05);
      previous = score.normalised;
    }
  gsl_rng_free (rng);
}

/* Per-demonstration log-likelihoods, of whole episodes and of prefixes, are those of the
 * test's own soft-optimal policy and sum to the mean the objective uses, and the uniform
 * policy's are log (ways to make the step / |A|). */
static void
test_trajectory_log_likelihoods (void)
{
  static const double theta[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimIrl) irl = sim_irl_new (7, SIM_IRL_CAUSAL);
  double ll[40], llu[40], reference[40], sum = 0.0;
  int steps[40];

  gsl_rng_set (rng, 2);
  for (int i = 0; i < 4; i++)
    {
      g_autoptr (SimMdp) mdp = probe_mdp (rng, i);
      Policy pi = soft_policy (mdp, theta);
      g_autofree int *states = g_new (int, mdp->horizon + 1);
      int m = sim_irl_add_mdp (irl, mdp);

      for (int j = 0; j < 10; j++)
        {
          int len = sample_episode (mdp, &pi, rng, states);

          /* An observed prefix (it stops on a cell that is not terminal) now and then. */
          if (j % 3 == 0)
            len = MIN (len, 3);
          g_assert_true (sim_irl_add_trajectory (irl, m, states, len, NULL));
          reference[i * 10 + j] = 0.0;
          for (int t = 0; t + 1 < len; t++)
            reference[i * 10 + j] += log (step_prob (mdp, &pi, t, states[t], states[t + 1]));
        }
      policy_clear (&pi);
    }
  g_assert_true (sim_irl_trajectory_log_likelihoods (irl, theta, ll, llu, steps));
  for (int i = 0; i < 40; i++)
    {
      g_assert_cmpfloat (ll[i], <=, 0.0);
      g_assert_cmpfloat (fabs (ll[i] - reference[i]), <=, 1e-9 * MAX (1.0, fabs (reference[i])));
      g_assert_cmpfloat (llu[i], <=, 1e-12);
      g_assert_cmpfloat (llu[i], >=, -steps[i] * log (5.0) - 1e-12);
      sum += ll[i];
    }
  g_assert_cmpfloat (fabs (sum / 40 - sim_irl_log_likelihood (irl, theta)), <=, 1e-9);

  /* After an evaluation of the objective at θ they come from its values, and are the same;
   * after one elsewhere, from a pass of their own. */
  {
    double other[7], again[40];
    double grad[7];

    for (int j = 0; j < 7; j++)
      other[j] = 0.5 * theta[j];
    sim_irl_objective (irl, theta, 1e-3, grad);
    g_assert_true (sim_irl_trajectory_log_likelihoods (irl, theta, again, NULL, NULL));
    for (int i = 0; i < 40; i++)
      g_assert_cmpfloat (fabs (again[i] - ll[i]), <=, 1e-12 * MAX (1.0, fabs (ll[i])));
    sim_irl_objective (irl, other, 1e-3, grad);
    g_assert_true (sim_irl_trajectory_log_likelihoods (irl, theta, again, NULL, NULL));
    for (int i = 0; i < 40; i++)
      g_assert_cmpfloat (fabs (again[i] - ll[i]), <=, 1e-12 * MAX (1.0, fabs (ll[i])));
    g_assert_true (sim_irl_trajectory_log_likelihoods (irl, other, again, NULL, NULL));
    g_assert_cmpfloat (fabs (again[0] - ll[0]), >, 1e-6);
  }
  gsl_rng_free (rng);
}

/* A fit that keeps its demonstrations' terms leaves the log-likelihoods at its optimum, even
 * when the uncertainty evaluates elsewhere after it, and the score from them is the score at
 * that θ. */
/* Four probe MDPs and 12 episodes of the soft-optimal agent of θ on each, from seed 5. */
static void
add_soft_probes (SimIrl       *irl,
                 const double *theta,
                 gsl_rng      *rng)
{
  gsl_rng_set (rng, 5);
  for (int i = 0; i < 4; i++)
    {
      g_autoptr (SimMdp) mdp = probe_mdp (rng, i);
      Policy pi = soft_policy (mdp, theta);

      add_episodes (irl, sim_irl_add_mdp (irl, mdp), mdp, &pi, rng, 12);
      policy_clear (&pi);
    }
}

static void
test_fit_terms (void)
{
  static const double theta[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimIrl) irl = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimGoalBootstrap) boot = NULL;
  SimIrlOptions options;
  SimIrlResult result;
  SimGoalScore fixed, terms;
  double ll[48];

  add_soft_probes (irl, theta, rng);
  sim_irl_options_init (&options);
  options.uncertainty = TRUE;
  options.trajectory_terms = TRUE;
  g_assert_true (sim_irl_solve (irl, NULL, &options, &result, NULL));
  g_assert_nonnull (result.trajectory_ll);
  g_assert_true (sim_irl_trajectory_log_likelihoods (irl, result.theta, ll, NULL, NULL));
  for (int i = 0; i < 48; i++)
    g_assert_cmpfloat (fabs (result.trajectory_ll[i] - ll[i]), <=, 1e-12 * MAX (1.0, fabs (ll[i])));

  boot = sim_goal_bootstrap_new (48, 200, 3);
  g_assert_true (sim_goal_score_fixed (irl, result.theta, boot, &fixed));
  g_assert_true (sim_goal_score_terms (irl, result.theta, result.trajectory_ll, boot, &terms));
  g_assert_cmpfloat (fabs (fixed.normalised - terms.normalised), <=, 1e-12);
  g_assert_cmpfloat (fabs (fixed.lo - terms.lo), <=, 1e-12);
  g_assert_cmpfloat (fabs (fixed.hi - terms.hi), <=, 1e-12);
  g_assert_cmpfloat (fabs (fixed.nats - terms.nats), <=, 1e-12);
  g_assert_cmpfloat (fixed.beta, ==, terms.beta);
  g_assert_cmpint (fixed.decisions, ==, terms.decisions);
  sim_irl_result_clear (&result);

  /* Without the option there are none. */
  options.trajectory_terms = FALSE;
  g_assert_true (sim_irl_solve (irl, NULL, &options, &result, NULL));
  g_assert_null (result.trajectory_ll);
  sim_irl_result_clear (&result);
  gsl_rng_free (rng);
}

/* The planner's policy for θ, as an agent of the probe battery. */
static SimPolicy *
planner_cb (const SimLevel *level,
            gpointer        user_data)
{
  return sim_planner_policy (user_data, level, TRUE, SIM_PLANNER_BETA);
}

/* The exact slope of the mean log-likelihood in β along unit, from the objective's gradient. */
static double
exact_slope (SimIrl       *irl,
             const double *unit,
             double        beta)
{
  double theta[7], grad[7], slope = 0.0;

  for (int j = 0; j < 7; j++)
    theta[j] = beta * unit[j];
  sim_irl_objective (irl, theta, 0.0, grad);
  for (int j = 0; j < 7; j++)
    slope -= grad[j] * unit[j];
  return slope;
}

/* The scale fit from cached values on a probe battery's demonstrations, update after update
 * while the agent turns from aligned to misaligned: the decomposition of the log-likelihoods
 * is exact, the scale is that of the exact maximum, and the score its score to 10⁻⁸. */
static void
test_scale_cache (void)
{
  static const double aligned[7] = { 0.75, -0.45, 0, 0, 0, 0, -0.45 };
  static const double misaligned[7] = { 0.45, -0.35, 0.55, 0.05, 0.05, 0.45, -0.3 };
  SimProbeParams params;
  g_autoptr (SimProbes) probes = NULL;
  g_autoptr (SimIrl) irl = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimGoalScaleCache) cache = NULL;
  g_autoptr (SimGoalBootstrap) boot = NULL;
  SimGoalScale scale = { 0.0, 0.0 };
  double base[7], unit[7];
  int n_steps = 8;

  sim_probe_params_init (&params, SIM_SCENARIO_COIN, 8, TRUE, 3);
  params.goal = FALSE;
  params.uncertainty = FALSE;
  probes = sim_probes_new (&params, NULL);
  for (int i = 0; i < params.n_probes; i++)
    {
      g_autoptr (SimMdp) mdp = sim_mdp_new_from_level (sim_probes_get_level (probes, i), TRUE);

      sim_irl_add_mdp (irl, mdp);
    }
  sim_features_base (SIM_SCENARIO_COIN, TRUE, base);
  g_assert_true (sim_vec_unit_copy (base, unit, 7));
  cache = sim_goal_scale_cache_new (7, base);
  boot = sim_goal_bootstrap_new (params.n_probes * params.n_trajectories, 200, 7);

  for (int step = 0; step <= n_steps; step++)
    {
      double a = (double) step / n_steps, theta[7], ll[128], dll[128];
      double lo = 1e-3, hi = 1024.0, beta;
      SimProbeReadout readout;
      g_autoptr (SimDemos) demos = NULL;
      SimGoalScore cached, exact;

      for (int j = 0; j < 7; j++)
        theta[j] = (1 - a) * aligned[j] + a * misaligned[j];
      g_assert_true (sim_vec_unit_copy (theta, theta, 7));
      g_assert_true (sim_probes_update (probes, planner_cb, theta, theta, &readout, NULL));
      demos = sim_probes_dup_demos (probes);
      sim_irl_clear_trajectories (irl);
      for (guint k = 0; k < demos->trajectories->len; k++)
        {
          const SimDemoTrajectory *tr = &g_array_index (demos->trajectories,
                                                        SimDemoTrajectory, k);

          g_assert_true (sim_irl_add_trajectory (irl, tr->level, tr->cells, tr->length, NULL));
        }
      g_assert_cmpint (sim_irl_get_n_trajectories (irl), ==, 128);

      /* The telescoped log-likelihoods are the model's, at any scale (the last one beyond
       * the exp-domain recursion's range). */
      for (int b = 0; b < 4; b++)
        {
          double scales[4] = { 0.3, 2.5, 17.0, 60.0 }, th[7];

          for (int j = 0; j < 7; j++)
            th[j] = scales[b] * unit[j];
          g_assert_true (sim_irl_trajectory_log_likelihoods (irl, th, ll, NULL, NULL));
          g_assert_true (sim_goal_scale_cache_log_likelihoods (cache, irl, scales[b], dll));
          for (int i = 0; i < 128; i++)
            g_assert_cmpfloat (fabs (ll[i] - dll[i]), <=, 1e-10 * MAX (1.0, fabs (ll[i])));
        }

      /* The exact maximum by bisection on the exact slope. */
      g_assert_cmpfloat (exact_slope (irl, unit, lo), >, 0.0);
      g_assert_cmpfloat (exact_slope (irl, unit, hi), <, 0.0);
      while (hi - lo > 1e-12 * hi)
        {
          double mid = 0.5 * (lo + hi);

          if (exact_slope (irl, unit, mid) > 0.0)
            lo = mid;
          else
            hi = mid;
        }
      beta = 0.5 * (lo + hi);
      for (int j = 0; j < 7; j++)
        theta[j] = beta * unit[j];
      g_assert_true (sim_goal_score_fixed (irl, theta, boot, &exact));

      g_assert_true (sim_goal_score_toward_cached (irl, cache, &scale, boot, &cached, NULL));
      g_test_message ("step %d: beta %.9g (exact %.9g), score %.9g (exact %.9g)", step,
                      cached.beta, beta, cached.normalised, exact.normalised);
      g_assert_cmpfloat (fabs (cached.beta - beta), <=, 1e-5 * beta);
      g_assert_cmpfloat (scale.beta, ==, cached.beta);
      g_assert_cmpfloat (scale.curvature, <, 0.0);
      /* The score's log-likelihoods come from the decomposition, V_0 interpolated. */
      g_assert_cmpfloat (fabs (cached.normalised - exact.normalised), <=,
                         1e-8 * fabs (exact.normalised));
      g_assert_cmpfloat (fabs (cached.lo - exact.lo), <=, 1e-6 * (exact.hi - exact.lo));
      g_assert_cmpfloat (fabs (cached.hi - exact.hi), <=, 1e-6 * (exact.hi - exact.lo));
      g_assert_cmpint (cached.decisions, ==, exact.decisions);
    }
  /* Every fit came from the cache, which computed each node it needed once. */
  g_assert_cmpint (sim_goal_scale_cache_get_n_fits (cache), ==, n_steps + 1);
  g_test_message ("%d nodes", sim_goal_scale_cache_get_n_nodes (cache));
  g_assert_cmpint (sim_goal_scale_cache_get_n_nodes (cache), <=, 2 * (n_steps + 1) + 8);
}

/* Where the decomposition does not hold (a demonstration stops early on a cell that is not
 * terminal) the fit is the search's. */
static void
test_scale_cache_fallback (void)
{
  static const double theta[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimIrl) irl = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimGoalScaleCache) cache = sim_goal_scale_cache_new (7, theta);
  g_autoptr (SimGoalBootstrap) boot = NULL;
  SimGoalScale scale = { 0.0, 0.0 }, scale_from = { 0.0, 0.0 };
  SimGoalScore cached, from;
  int states[2], n;
  double ll[64];

  add_soft_probes (irl, theta, rng);
  /* Full episodes: the cache serves. */
  n = sim_irl_get_n_trajectories (irl);
  boot = sim_goal_bootstrap_new (n, 200, 3);
  g_assert_true (sim_goal_scale_cache_log_likelihoods (cache, irl, 1.0, ll));
  g_assert_true (sim_goal_score_toward_cached (irl, cache, &scale, boot, &cached, NULL));
  g_assert_cmpint (sim_goal_scale_cache_get_n_fits (cache), ==, 1);

  /* One step of a start, then no more: a prefix. */
  {
    const SimMdp *mdp = sim_irl_get_mdp (irl, 0);
    int s0 = 0;

    while (mdp->start[s0] == 0.0)
      s0++;
    states[0] = s0;
    states[1] = mdp->succ[mdp->row[s0 * mdp->n_actions]];
    g_assert_false (mdp->terminal[states[1]]);
    g_assert_true (sim_irl_add_trajectory (irl, 0, states, 2, NULL));
  }
  g_clear_pointer (&boot, sim_goal_bootstrap_free);
  boot = sim_goal_bootstrap_new (n + 1, 200, 3);
  g_assert_false (sim_goal_scale_cache_log_likelihoods (cache, irl, 1.0, ll));
  g_assert_true (sim_goal_score_toward_cached (irl, cache, &scale, boot, &cached, NULL));
  g_assert_true (sim_goal_score_toward_from (irl, theta, &scale_from, boot, &from, NULL));
  g_assert_cmpint (sim_goal_scale_cache_get_n_fits (cache), ==, 1);
  g_assert_cmpfloat (fabs (cached.beta - from.beta), <=, 1e-3 * from.beta);
  gsl_rng_free (rng);
}

static SimPolicy *
greedy_cb (const SimLevel *level,
           gpointer        user_data)
{
  return sim_planner_policy_at_depth (user_data, level, TRUE, SIM_PLANNER_BETA, 1);
}

/* The score toward the true θ of an agent that acts soft-optimally, from the probabilities it
 * acted with, is the one the model's pass gives, update after update; an agent said to but
 * not acting so (a planner that looks one step ahead) is caught by the first update's check,
 * and its score is the pass's. */
static void
test_soft_optimal_true_score (void)
{
  static const double aligned[7] = { 0.75, -0.45, 0, 0, 0, 0, -0.45 };
  static const double misaligned[7] = { 0.45, -0.35, 0.55, 0.05, 0.05, 0.45, -0.3 };
  SimProbeParams params;
  g_autoptr (SimProbes) computed = NULL;
  g_autoptr (SimProbes) acted = NULL;
  g_autoptr (SimProbes) greedy = NULL;
  g_autoptr (SimProbes) greedy_computed = NULL;

  sim_probe_params_init (&params, SIM_SCENARIO_COIN, 8, TRUE, 5);
  params.uncertainty = FALSE;
  computed = sim_probes_new (&params, NULL);
  acted = sim_probes_new (&params, NULL);
  greedy = sim_probes_new (&params, NULL);
  greedy_computed = sim_probes_new (&params, NULL);
  sim_probes_set_soft_optimal (acted, TRUE);
  sim_probes_set_soft_optimal (greedy, TRUE);

  for (int step = 0; step <= 4; step++)
    {
      double a = step / 4.0, theta[7];
      SimProbeReadout x, y;

      for (int j = 0; j < 7; j++)
        theta[j] = (1 - a) * aligned[j] + a * misaligned[j];
      g_assert_true (sim_vec_unit_copy (theta, theta, 7));
      g_assert_true (sim_probes_update (computed, planner_cb, theta, theta, &x, NULL));
      g_assert_true (sim_probes_update (acted, planner_cb, theta, theta, &y, NULL));
      g_assert_true (isfinite (x.goal_true.normalised));
      g_test_message ("step %d: toward the true θ %.12g (computed %.12g)", step,
                      y.goal_true.normalised, x.goal_true.normalised);
      g_assert_cmpfloat (fabs (y.goal_true.nats - x.goal_true.nats), <=,
                         1e-9 * (1.0 + fabs (x.goal_true.nats)));
      g_assert_cmpfloat (fabs (y.goal_true.normalised - x.goal_true.normalised), <=, 1e-9);
      g_assert_cmpfloat (fabs (y.goal_true.lo - x.goal_true.lo), <=, 1e-9);
      g_assert_cmpfloat (fabs (y.goal_true.hi - x.goal_true.hi), <=, 1e-9);
      g_assert_cmpint (y.goal_true.decisions, ==, x.goal_true.decisions);

      if (step == 0)
        g_test_expect_message ("Sim", G_LOG_LEVEL_WARNING,
                               "*the agent is not soft-optimal*");
      g_assert_true (sim_probes_update (greedy, greedy_cb, theta, theta, &y, NULL));
      if (step == 0)
        g_test_assert_expected_messages ();
      g_assert_true (sim_probes_update (greedy_computed, greedy_cb, theta, theta, &x, NULL));
      g_assert_cmpfloat (y.goal_true.normalised, ==, x.goal_true.normalised);
      g_assert_cmpfloat (y.goal_true.lo, ==, x.goal_true.lo);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_func ("/engine/infer/goal/trajectory-log-likelihoods",
                   test_trajectory_log_likelihoods);
  g_test_add_func ("/engine/infer/goal/fit-terms", test_fit_terms);
  g_test_add_func ("/engine/infer/goal/random-agent", test_random_agent);
  g_test_add_func ("/engine/infer/goal/known-utility", test_known_utility);
  g_test_add_func ("/engine/infer/goal/invariances", test_invariances);
  g_test_add_func ("/engine/infer/goal/cliff-epsilon", test_cliff_epsilon);
  g_test_add_func ("/engine/infer/goal/scale-cache", test_scale_cache);
  g_test_add_func ("/engine/infer/goal/scale-cache-fallback", test_scale_cache_fallback);
  g_test_add_func ("/engine/infer/goal/soft-optimal-true-score",
                   test_soft_optimal_true_score);
  return g_test_run ();
}
