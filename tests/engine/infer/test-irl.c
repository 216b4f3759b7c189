/* test-irl.c: MaxEnt IRL objective, gradient, expected counts, safety and convergence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>

#include "sim-irl.h"
#include "sim-level.h"
#include "sim-mdp.h"
#include "sim-vector.h"

/* A small stochastic MDP: 5 states (4 is terminal), 3 actions, every (s, a) with two or
 * three successors, 3 features. */
static SimMdp *
make_stochastic_mdp (int    horizon,
                     double discount)
{
  static const SimMdpTransition trans[] = {
    { 0, 0, 1, 0.7 }, { 0, 0, 2, 0.3 },
    { 0, 1, 0, 0.5 }, { 0, 1, 3, 0.5 },
    { 0, 2, 2, 0.6 }, { 0, 2, 1, 0.2 }, { 0, 2, 0, 0.2 },
    { 1, 0, 4, 0.4 }, { 1, 0, 2, 0.6 },
    { 1, 1, 1, 0.9 }, { 1, 1, 0, 0.1 },
    { 1, 2, 3, 0.5 }, { 1, 2, 2, 0.25 }, { 1, 2, 1, 0.25 },
    { 2, 0, 3, 0.8 }, { 2, 0, 4, 0.2 },
    { 2, 1, 0, 0.3 }, { 2, 1, 2, 0.7 },
    { 2, 2, 1, 0.5 }, { 2, 2, 2, 0.5 },
    { 3, 0, 4, 0.5 }, { 3, 0, 3, 0.5 },
    { 3, 1, 0, 0.6 }, { 3, 1, 1, 0.4 },
    { 3, 2, 2, 0.3 }, { 3, 2, 3, 0.3 }, { 3, 2, 4, 0.4 },
  };
  static const double phi[5 * 3] = {
    0.0, 0.2, 1.0,
    1.0, 0.0, 1.0,
    0.3, 1.0, 1.0,
    0.0, -0.5, 1.0,
    2.0, 0.0, 1.0,
  };
  static const guint8 terminal[5] = { 0, 0, 0, 0, 1 };
  static const double start[5] = { 0.6, 0.0, 0.4, 0.0, 0.0 };
  g_autoptr (GError) error = NULL;
  SimMdp *mdp;

  mdp = sim_mdp_new (5, 3, 3, trans, G_N_ELEMENTS (trans), phi, terminal, start, horizon,
                     discount, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mdp);
  g_assert_false (mdp->deterministic);
  return mdp;
}

/* A deterministic corridor with a junction: 6 states, 3 actions (left, right, stay), the
 * right end terminal, and a dead end. Several actions lead to the same state. */
static SimMdp *
make_deterministic_mdp (int horizon)
{
  SimMdpTransition trans[6 * 3];
  double phi[6 * 2];
  guint8 terminal[6] = { 0, 0, 0, 0, 0, 1 };
  g_autoptr (GError) error = NULL;
  SimMdp *mdp;
  int m = 0;

  for (int s = 0; s < 6; s++)
    {
      trans[m++] = (SimMdpTransition) { s, 0, MAX (s - 1, 0), 1.0 };
      trans[m++] = (SimMdpTransition) { s, 1, MIN (s + 1, 5), 1.0 };
      trans[m++] = (SimMdpTransition) { s, 2, s, 1.0 };
      phi[s * 2] = s == 5 ? 1.0 : 0.0;
      phi[s * 2 + 1] = s / 5.0;
    }
  mdp = sim_mdp_new (6, 3, 2, trans, m, phi, terminal, NULL, horizon, 1.0, &error);
  g_assert_no_error (error);
  g_assert_true (mdp->deterministic);
  return mdp;
}

/* The same MDP with another horizon. */
static SimMdp *
copy_with_horizon (const SimMdp *mdp,
                   int           horizon)
{
  g_autofree SimMdpTransition *trans = NULL;
  g_autofree double *phi = NULL;
  gsize m = 0;
  SimMdp *copy;

  trans = g_new (SimMdpTransition, mdp->row[mdp->n_states * mdp->n_actions] + 1);
  for (int s = 0; s < mdp->n_states; s++)
    for (int a = 0; a < mdp->n_actions; a++)
      {
        int r = s * mdp->n_actions + a;
        for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
          trans[m++] = (SimMdpTransition) { s, a, mdp->succ[k], mdp->prob[k] };
      }
  phi = sim_mdp_dup_phi (mdp);
  copy = sim_mdp_new (mdp->n_states, mdp->n_actions, mdp->n_features, trans, m, phi,
                      mdp->terminal, mdp->start, horizon, mdp->discount, NULL);
  g_assert_nonnull (copy);
  return copy;
}

/* The same MDP with its features given the other way: as (s, f, value) entries in a
 * shuffled order with some explicit zeros when sparse is TRUE, else as dense rows. */
static SimMdp *
copy_features (const SimMdp *mdp,
               gboolean      sparse,
               guint32       seed)
{
  g_autofree SimMdpTransition *trans = NULL;
  g_autofree SimMdpFeature *values = NULL;
  g_autofree double *phi = sim_mdp_dup_phi (mdp);
  gsize m = 0, n = 0;
  g_autoptr (GError) error = NULL;
  SimMdp *copy;

  trans = g_new (SimMdpTransition, mdp->row[mdp->n_states * mdp->n_actions] + 1);
  for (int s = 0; s < mdp->n_states; s++)
    for (int a = 0; a < mdp->n_actions; a++)
      {
        int r = s * mdp->n_actions + a;
        for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
          trans[m++] = (SimMdpTransition) { s, a, mdp->succ[k], mdp->prob[k] };
      }
  if (!sparse)
    {
      copy = sim_mdp_new (mdp->n_states, mdp->n_actions, mdp->n_features, trans, m, phi,
                          mdp->terminal, mdp->start, mdp->horizon, mdp->discount, &error);
    }
  else
    {
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

      gsl_rng_set (rng, seed);
      values = g_new (SimMdpFeature, (gsize) mdp->n_states * mdp->n_features);
      for (int s = 0; s < mdp->n_states; s++)
        for (int f = 0; f < mdp->n_features; f++)
          {
            double v = phi[(gsize) s * mdp->n_features + f];

            if (v != 0.0 || gsl_rng_uniform (rng) < 0.1)
              values[n++] = (SimMdpFeature) { s, f, v };
          }
      for (gsize i = n; i > 1; i--)
        {
          gsize j = gsl_rng_uniform_int (rng, i);
          SimMdpFeature t = values[i - 1];

          values[i - 1] = values[j];
          values[j] = t;
        }
      gsl_rng_free (rng);
      copy = sim_mdp_new_sparse (mdp->n_states, mdp->n_actions, mdp->n_features, trans, m,
                                 values, n, mdp->terminal, mdp->start, mdp->horizon,
                                 mdp->discount, &error);
    }
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  copy->grid_width = mdp->grid_width;
  return copy;
}

/* Adds n trajectories sampled from the model with reward theta to MDP index of irl, and a
 * short prefix. When mdp has neither a horizon nor a discount (episodes end only on terminal
 * states), the samples come from the same MDP with a horizon of 12, only those that end on
 * a terminal state are kept, and there is no prefix. */
static void
add_samples (SimIrl       *irl,
             int           index,
             SimMdp       *mdp,
             const double *theta,
             int           n,
             guint32       seed)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  gboolean terminating = mdp->horizon == 0 && mdp->discount >= 1.0;
  g_autoptr (SimIrl) source = sim_irl_new (mdp->n_features, sim_irl_get_model (irl));
  g_autoptr (SimMdp) bounded = NULL;
  int states[64];
  int added = 0;

  if (terminating)
    bounded = copy_with_horizon (mdp, 12);
  sim_irl_add_mdp (source, terminating ? bounded : mdp);
  gsl_rng_set (rng, seed);
  while (added < n)
    {
      int len = sim_irl_sample (source, 0, theta, rng, 12, states);

      g_assert_cmpint (len, >=, 1);
      if (terminating && !mdp->terminal[states[len - 1]])
        continue;
      g_assert_true (sim_irl_add_trajectory (irl, index, states, len, NULL));
      added++;
    }
  if (!terminating)
    {
      /* A prefix: the first two steps of another sample, when it is that long. */
      int len = sim_irl_sample (source, 0, theta, rng, 12, states);
      g_assert_true (sim_irl_add_trajectory (irl, index, states, MIN (len, 3), NULL));
    }
  gsl_rng_free (rng);
}

static void
check_gradient (SimIrl       *irl,
                const double *theta)
{
  int nf = sim_irl_get_n_features (irl);
  double grad[8], th[8];
  double f0;

  g_assert_cmpint (nf, <=, 8);
  f0 = sim_irl_objective (irl, theta, 1e-3, grad);
  g_assert_true (isfinite (f0));
  for (int j = 0; j < nf; j++)
    {
      double h = 1e-5, fp, fm, fd;

      memcpy (th, theta, sizeof (double) * nf);
      th[j] = theta[j] + h;
      fp = sim_irl_objective (irl, th, 1e-3, NULL);
      th[j] = theta[j] - h;
      fm = sim_irl_objective (irl, th, 1e-3, NULL);
      fd = (fp - fm) / (2 * h);
      g_test_message ("feature %d: analytic %.10f, finite differences %.10f", j, grad[j], fd);
      g_assert_cmpfloat (fabs (grad[j] - fd), <=, 1e-6 * MAX (1.0, fabs (fd)));
    }
}

static void
test_gradient_stochastic (void)
{
  const double theta_true[3] = { 0.8, -0.6, -0.3 };
  const double theta_at[3] = { 0.3, 0.4, -0.2 };
  struct { int horizon; double discount; SimIrlModel model; } cases[] = {
    { 6, 1.0, SIM_IRL_CAUSAL },
    { 6, 1.0, SIM_IRL_PATHS },
    { 6, 0.9, SIM_IRL_CAUSAL },
    { 0, 0.8, SIM_IRL_CAUSAL },
    { 0, 0.8, SIM_IRL_PATHS },
    { 0, 1.0, SIM_IRL_PATHS },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (SimMdp) mdp = make_stochastic_mdp (cases[c].horizon, cases[c].discount);
      g_autoptr (SimIrl) irl = sim_irl_new (3, cases[c].model);
      int index = sim_irl_add_mdp (irl, mdp);

      g_test_message ("case %u: horizon %d, discount %g, model %d", c, cases[c].horizon,
                      cases[c].discount, cases[c].model);
      add_samples (irl, index, mdp, theta_true, 40, 17 + c);
      check_gradient (irl, theta_at);
      check_gradient (irl, theta_true);
    }
}

static void
test_gradient_deterministic (void)
{
  const double theta_true[2] = { 1.5, -0.7 };
  const double theta_at[2] = { -0.4, 0.9 };

  for (int model = SIM_IRL_CAUSAL; model <= SIM_IRL_PATHS; model++)
    {
      g_autoptr (SimMdp) mdp = make_deterministic_mdp (7);
      g_autoptr (SimIrl) irl = sim_irl_new (2, (SimIrlModel) model);
      int index = sim_irl_add_mdp (irl, mdp);

      add_samples (irl, index, mdp, theta_true, 30, 5);
      check_gradient (irl, theta_at);
    }
}

/* Adds exp (log P(path)) of every state path that extends path[0..depth] (ending on a
 * terminal state or at the horizon) to *total. */
static void
enumerate_paths (SimMdp       *mdp,
                 SimIrlModel   model,
                 const double *theta,
                 int          *path,
                 int           depth,
                 double       *total)
{
  if (depth == mdp->horizon || mdp->terminal[path[depth]])
    {
      g_autoptr (SimIrl) irl = sim_irl_new (mdp->n_features, model);
      int index = sim_irl_add_mdp (irl, mdp);

      g_assert_true (sim_irl_add_trajectory (irl, index, path, depth + 1, NULL));
      *total += exp (sim_irl_log_likelihood (irl, theta));
      return;
    }
  for (int s2 = 0; s2 < mdp->n_states; s2++)
    if (sim_mdp_transition_weight (mdp, path[depth], s2) > 0.0)
      {
        path[depth + 1] = s2;
        enumerate_paths (mdp, model, theta, path, depth + 1, total);
      }
}

static double
total_probability (SimMdp       *mdp,
                   SimIrlModel   model,
                   const double *theta,
                   int           s0)
{
  int path[16];
  double total = 0.0;

  g_assert_cmpint (mdp->horizon, <, 16);
  path[0] = s0;
  enumerate_paths (mdp, model, theta, path, 0, &total);
  return total;
}

static void
test_likelihood_normalised (void)
{
  const double theta[3] = { 1.2, -0.8, 0.4 };
  const double theta2[2] = { 0.9, -1.3 };

  for (int model = SIM_IRL_CAUSAL; model <= SIM_IRL_PATHS; model++)
    {
      g_autoptr (SimMdp) mdp = make_stochastic_mdp (4, 1.0);
      g_autoptr (SimMdp) det = make_deterministic_mdp (4);
      double p0 = total_probability (mdp, (SimIrlModel) model, theta, 0);
      double p2 = total_probability (mdp, (SimIrlModel) model, theta, 2);
      double pd = total_probability (det, (SimIrlModel) model, theta2, 1);

      g_test_message ("model %d: Σ P(path) = %.15f, %.15f, %.15f", model, p0, p2, pd);
      g_assert_cmpfloat (fabs (p0 - 1.0), <=, 1e-12);
      g_assert_cmpfloat (fabs (p2 - 1.0), <=, 1e-12);
      g_assert_cmpfloat (fabs (pd - 1.0), <=, 1e-12);
    }
}

static void
test_counts_monte_carlo (void)
{
  const double theta[3] = { 0.9, -0.4, -0.2 };
  struct { int horizon; double discount; SimIrlModel model; } cases[] = {
    { 6, 1.0, SIM_IRL_CAUSAL },
    { 6, 1.0, SIM_IRL_PATHS },
    { 0, 0.8, SIM_IRL_CAUSAL },
    { 5, 0.9, SIM_IRL_PATHS },
  };
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, 2024);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (SimMdp) mdp = make_stochastic_mdp (cases[c].horizon, cases[c].discount);
      g_autoptr (SimIrl) irl = sim_irl_new (3, cases[c].model);
      int index = sim_irl_add_mdp (irl, mdp);
      double exact[3], mean[3] = { 0 }, sq[3] = { 0 };
      const int n = g_test_slow () ? 2000000 : 200000;
      int states[128];

      sim_irl_expected_counts (irl, index, theta, exact);
      for (int i = 0; i < n; i++)
        {
          /* Without a horizon, 120 steps leave at most 0.8^120 of the discounted mass. */
          int len = sim_irl_sample (irl, index, theta, rng, 120, states);
          double c3[3] = { 0 };
          double w = 1.0;

          for (int t = 1; t < len; t++)
            {
              for (int j = 0; j < 3; j++)
                c3[j] += w * mdp->phi[states[t] * 3 + j];
              w *= mdp->discount;
            }
          for (int j = 0; j < 3; j++)
            {
              mean[j] += c3[j];
              sq[j] += c3[j] * c3[j];
            }
        }
      for (int j = 0; j < 3; j++)
        {
          double m = mean[j] / n;
          double se = sqrt (MAX (sq[j] / n - m * m, 0.0) / n);

          g_test_message ("case %u feature %d: exact %.5f, Monte-Carlo %.5f ± %.5f", c, j,
                          exact[j], m, se);
          g_assert_cmpfloat (fabs (exact[j] - m), <=, 4.5 * se + 1e-9);
        }
    }
  gsl_rng_free (rng);
}

static gboolean
all_finite (const double *v,
            int           n)
{
  for (int i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return FALSE;
  return TRUE;
}

static void
test_huge_theta (void)
{
  const double scales[] = { 1e3, 1e8, 1e15, 1e100 };
  const double dir3[3] = { 0.8, -0.6, 0.3 };
  const double dir2[2] = { -0.6, 0.8 };
  const double small3[3] = { 0.5, 0.1, -0.2 };
  const double small2[2] = { 0.5, -0.4 };

  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    for (int model = SIM_IRL_CAUSAL; model <= SIM_IRL_PATHS; model++)
      {
        g_autoptr (SimMdp) sto = make_stochastic_mdp (8, 1.0);
        g_autoptr (SimMdp) sta = make_stochastic_mdp (0, 0.9);
        g_autoptr (SimMdp) det = make_deterministic_mdp (9);
        g_autoptr (SimIrl) a = sim_irl_new (3, (SimIrlModel) model);
        g_autoptr (SimIrl) b = sim_irl_new (3, (SimIrlModel) model);
        g_autoptr (SimIrl) d = sim_irl_new (2, (SimIrlModel) model);
        double th3[3], th2[2], g3[3], g2[2], f;
        double counts[3];

        add_samples (a, sim_irl_add_mdp (a, sto), sto, small3, 20, 1);
        add_samples (b, sim_irl_add_mdp (b, sta), sta, small3, 20, 2);
        add_samples (d, sim_irl_add_mdp (d, det), det, small2, 20, 3);
        for (int j = 0; j < 3; j++)
          th3[j] = scales[i] * dir3[j];
        for (int j = 0; j < 2; j++)
          th2[j] = scales[i] * dir2[j];

        f = sim_irl_objective (a, th3, 1e-3, g3);
        g_assert_true (isfinite (f) && all_finite (g3, 3));
        f = sim_irl_objective (b, th3, 1e-3, g3);
        g_assert_true (isfinite (f) && all_finite (g3, 3));
        f = sim_irl_objective (d, th2, 1e-3, g2);
        g_assert_true (isfinite (f) && all_finite (g2, 2));
        /* The likelihood part alone stays finite too, and the counts are bounded. */
        g_assert_true (isfinite (sim_irl_log_likelihood (a, th3)));
        sim_irl_expected_counts (a, 0, th3, counts);
        g_assert_true (all_finite (counts, 3));
        for (int j = 0; j < 3; j++)
          g_assert_cmpfloat (fabs (counts[j]), <=, 8 * 2.0 + 1e-9);
      }
}


/* A gridworld level: walls, lava, a coin; trajectories from the model itself. */
static const char level_text[] =
  "mesascope-level 1\n"
  "scenario coin\n"
  "size 7 6\n"
  "horizon 14\n"
  "map\n"
  "......C\n"
  ".##..L.\n"
  "...L...\n"
  ".#..#..\n"
  "S..#...\n"
  "..L....\n";

static void
test_level_fast_and_safe (void)
{
  const double theta[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  const double at_theta[7] = { 0.4, -0.2, 1.1, -0.3, 0.2, 0.5, -0.6 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = sim_level_parse (level_text, -1, "test.level", &error);
  g_autoptr (SimMdp) mdp = NULL;
  g_autoptr (SimMdp) plain = NULL;
  g_autoptr (SimIrl) grid = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimIrl) lists = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimIrl) safe = sim_irl_new (7, SIM_IRL_CAUSAL);
  double g1[7], g2[7], g3[7], f1, f2, f3;

  g_assert_no_error (error);
  mdp = sim_mdp_new_from_level (level, TRUE);
  g_assert_cmpint (mdp->grid_width, ==, 7);
  g_assert_true (mdp->deterministic);
  /* The same MDP without the grid shortcut: the successor-list passes. */
  plain = copy_with_horizon (mdp, mdp->horizon);
  g_assert_cmpint (plain->grid_width, ==, 0);

  sim_irl_add_mdp (grid, mdp);
  sim_irl_add_mdp (lists, plain);
  sim_irl_add_mdp (safe, mdp);
  sim_irl_set_safe_mode (safe, TRUE);
  add_samples (grid, 0, mdp, theta, 30, 4);
  add_samples (lists, 0, mdp, theta, 30, 4);
  add_samples (safe, 0, mdp, theta, 30, 4);

  check_gradient (grid, at_theta);
  check_gradient (grid, theta);
  check_gradient (lists, at_theta);
  f1 = sim_irl_objective (grid, at_theta, 1e-3, g1);
  f2 = sim_irl_objective (lists, at_theta, 1e-3, g2);
  f3 = sim_irl_objective (safe, at_theta, 1e-3, g3);
  g_test_message ("objective: grid %.15g, lists %.15g, log domain %.15g", f1, f2, f3);
  /* The first two took the exp-domain passes, the third never. */
  {
    guint64 fast, fallbacks;

    sim_irl_get_fast_counts (grid, &fast, &fallbacks);
    g_assert_cmpuint (fast, >, 0);
    g_assert_cmpuint (fallbacks, ==, 0);
    sim_irl_get_fast_counts (lists, &fast, &fallbacks);
    g_assert_cmpuint (fast, >, 0);
    g_assert_cmpuint (fallbacks, ==, 0);
    sim_irl_get_fast_counts (safe, &fast, NULL);
    g_assert_cmpuint (fast, ==, 0);
  }
  /* The exact outcome and expected counts agree too. */
  {
    guint8 coin[42] = { 0 }, corner[42] = { 0 };
    double pe1, pt1, pe3, pt3, c1[7], c3[7];

    for (int s = 0; s < 42; s++)
      coin[s] = level->cells[s] == SIM_CELL_COIN;
    corner[41] = 1;
    corner[40] = 1;
    sim_irl_outcome (grid, 0, at_theta, coin, corner, &pe1, &pt1);
    sim_irl_outcome (safe, 0, at_theta, coin, corner, &pe3, &pt3);
    g_test_message ("outcome: enter %.12f / %.12f, end %.12f / %.12f", pe1, pe3, pt1, pt3);
    g_assert_cmpfloat (pe1, >, 0.0);
    g_assert_cmpfloat (pt1, >, 0.0);
    g_assert_cmpfloat (fabs (pe1 - pe3), <=, 1e-12);
    g_assert_cmpfloat (fabs (pt1 - pt3), <=, 1e-12);
    sim_irl_expected_counts (grid, 0, at_theta, c1);
    sim_irl_expected_counts (safe, 0, at_theta, c3);
    for (int j = 0; j < 7; j++)
      g_assert_cmpfloat (fabs (c1[j] - c3[j]), <=, 1e-10 * MAX (1.0, fabs (c3[j])));
  }
  g_assert_cmpfloat (fabs (f1 - f3), <=, 1e-11 * fabs (f3));
  g_assert_cmpfloat (fabs (f2 - f3), <=, 1e-11 * fabs (f3));
  for (int j = 0; j < 7; j++)
    {
      g_assert_cmpfloat (fabs (g1[j] - g3[j]), <=, 1e-10 * MAX (1.0, fabs (g3[j])));
      g_assert_cmpfloat (fabs (g2[j] - g3[j]), <=, 1e-10 * MAX (1.0, fabs (g3[j])));
    }

  /* Rewards far beyond the exp() range: the fast pass hands over to the log domain and
   * still agrees with the safe mode. */
  {
    double big[7];
    for (int j = 0; j < 7; j++)
      big[j] = 900.0 * at_theta[j];
    guint64 before, after;

    sim_irl_get_fast_counts (grid, NULL, &before);
    f1 = sim_irl_objective (grid, big, 1e-3, g1);
    f3 = sim_irl_objective (safe, big, 1e-3, g3);
    sim_irl_get_fast_counts (grid, NULL, &after);
    g_assert_cmpuint (after, >, before);
    g_assert_true (isfinite (f1) && all_finite (g1, 7));
    g_assert_cmpfloat (fabs (f1 - f3), <=, 1e-9 * fabs (f3));
    for (int j = 0; j < 7; j++)
      g_assert_cmpfloat (fabs (g1[j] - g3[j]), <=, 1e-8 * MAX (1.0, fabs (g3[j])));
  }
}

/* The icy grids are stochastic with every move by 0, ±1 or ±width: their exp-domain passes run
 * on shifted arrays. They match the log-domain passes, with only terminating paths (no
 * horizon) and with a horizon that cuts demonstrations short, and with a horizon the gradient
 * matches finite differences. */
static void
check_icy_fast_and_safe (int      size,
                         gboolean one_hot,
                         int      horizon)
{
  double *reward = g_new0 (double, size * size);
  g_autoptr (SimMdp) mdp = sim_mdp_new_icy (size, 0.2, one_hot, horizon, 1.0, reward);
  g_autoptr (GPtrArray) demos = NULL;
  int nf = mdp->n_features;
  g_autoptr (SimIrl) fast = sim_irl_new (nf, SIM_IRL_PATHS);
  g_autoptr (SimIrl) safe = sim_irl_new (nf, SIM_IRL_PATHS);
  g_autofree double *theta = g_new0 (double, nf);
  g_autofree double *g1 = g_new0 (double, nf);
  g_autofree double *g2 = g_new0 (double, nf);
  g_autofree double *c1 = g_new0 (double, nf);
  g_autofree double *c2 = g_new0 (double, nf);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  guint64 n_fast = 0, n_fallbacks = 0;

  gsl_rng_set (rng, 3);
  demos = sim_mdp_icy_demos (mdp, reward, 0.7, 5.0, 60, horizon > 0 ? horizon : 5000, rng);
  sim_irl_add_mdp (fast, mdp);
  sim_irl_add_mdp (safe, mdp);
  sim_irl_set_safe_mode (safe, TRUE);
  for (guint i = 0; i < demos->len; i++)
    {
      GArray *tr = g_ptr_array_index (demos, i);

      g_assert_true (sim_irl_add_trajectory (fast, 0, (int *) tr->data, (int) tr->len, NULL));
      g_assert_true (sim_irl_add_trajectory (safe, 0, (int *) tr->data, (int) tr->len, NULL));
    }
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (sim_irl_prepare (fast, &error));
    g_assert_no_error (error);
    g_assert_true (sim_irl_prepare (safe, &error));
    g_assert_no_error (error);
  }
  for (int k = 0; k < 4; k++)
    {
      double f1, f2;

      for (int j = 0; j < nf; j++)
        theta[j] = k == 0 ? 0.0 : k * (gsl_rng_uniform (rng) - 0.5) - 0.5 * k;
      f1 = sim_irl_objective (fast, theta, 1e-3, g1);
      f2 = sim_irl_objective (safe, theta, 1e-3, g2);
      g_assert_cmpfloat (fabs (f1 - f2), <=, 1e-10 * MAX (1.0, fabs (f2)));
      for (int j = 0; j < nf; j++)
        g_assert_cmpfloat (fabs (g1[j] - g2[j]), <=, 1e-8 * MAX (1.0, fabs (g2[j])));
      sim_irl_expected_counts (fast, 0, theta, c1);
      sim_irl_expected_counts (safe, 0, theta, c2);
      for (int j = 0; j < nf; j++)
        g_assert_cmpfloat (fabs (c1[j] - c2[j]), <=, 1e-8 * MAX (1.0, fabs (c2[j])));
      /* Finite differences only with short demonstrations: without a horizon the objective
       * sums thousands of steps and its rounding swamps a difference quotient. */
      if (nf <= 8 && horizon > 0)
        check_gradient (fast, theta);
    }
  sim_irl_get_fast_counts (fast, &n_fast, &n_fallbacks);
  g_assert_cmpuint (n_fast, >, 0);
  g_assert_cmpuint (n_fallbacks, ==, 0);
  gsl_rng_free (rng);
  g_free (reward);
}

static void
test_icy_fast_and_safe (void)
{
  check_icy_fast_and_safe (5, TRUE, 0);
  check_icy_fast_and_safe (6, FALSE, 0);
  check_icy_fast_and_safe (7, FALSE, 10);
}

/* Counts the calls of the progress hook. */
typedef struct
{
  int calls, first, last;
} Progress;

static void
count_progress (int      n_evaluations,
                gpointer user_data)
{
  Progress *progress = user_data;

  if (progress->calls++ == 0)
    progress->first = n_evaluations;
  progress->last = n_evaluations;
}

static void
test_solve_recovers (void)
{
  const double theta_true[2] = { 2.0, -1.0 };
  g_autoptr (SimMdp) mdp = make_deterministic_mdp (8);
  g_autoptr (SimIrl) irl = sim_irl_new (2, SIM_IRL_CAUSAL);
  SimIrlOptions options;
  SimIrlResult result;
  int index = sim_irl_add_mdp (irl, mdp);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  int states[16];
  Progress progress = { 0, 0, 0 };

  gsl_rng_set (rng, 99);
  for (int i = 0; i < 4000; i++)
    {
      int len = sim_irl_sample (irl, index, theta_true, rng, 8, states);
      g_assert_true (sim_irl_add_trajectory (irl, index, states, len, NULL));
    }
  gsl_rng_free (rng);

  sim_irl_options_init (&options);
  options.l2 = 0.0;
  options.uncertainty = TRUE;
  sim_irl_set_progress (irl, count_progress, &progress);
  g_assert_true (sim_irl_solve (irl, NULL, &options, &result, NULL));
  /* The progress hook saw every evaluation, counted one by one. */
  g_assert_cmpint (progress.calls, ==, result.evaluations);
  g_assert_cmpint (progress.last, ==, progress.first + progress.calls - 1);
  g_test_message ("θ = [%.3f %.3f] (true [2, -1]), gradient norm = %.2e, %d iterations, ± [%.3f %.3f]",
                  result.theta[0], result.theta[1], result.gradient_norm, result.iterations,
                  result.uncertainty[0], result.uncertainty[1]);
  g_assert_true (result.converged);
  /* The tolerance is relative to the mean demonstration length (at most 8 steps). */
  g_assert_cmpfloat (result.gradient_norm, <=, 8 * options.gradient_tolerance);
  g_assert_cmpfloat (fabs (result.theta[0] - 2.0), <=, 0.3);
  g_assert_cmpfloat (fabs (result.theta[1] + 1.0), <=, 0.3);
  /* A posterior standard error is positive, and with 4000 demonstrations small. */
  for (int j = 0; j < 2; j++)
    g_assert_cmpfloat (result.uncertainty[j], >, 0.0);
  g_assert_cmpfloat (result.uncertainty[0], <, 0.1);
  sim_irl_result_clear (&result);
}

/* The icy 5×5 example with one-hot features; both models; two starts. */
static void
check_icy (SimIrlModel model,
           double      discount)
{
  double reward[25];
  g_autoptr (SimMdp) mdp = sim_mdp_new_icy (5, 0.2, TRUE, 0, discount, reward);
  g_autoptr (GPtrArray) demos = NULL;
  g_autoptr (SimIrl) irl = sim_irl_new (25, model);
  SimIrlOptions options;
  SimIrlResult a, b;
  double start2[25];
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  int index;
  double max_diff = 0.0;

  gsl_rng_set (rng, 1);
  demos = sim_mdp_icy_demos (mdp, reward, 0.7, 5.0, 200, 1000, rng);
  index = sim_irl_add_mdp (irl, mdp);
  for (guint i = 0; i < demos->len; i++)
    {
      GArray *tr = g_ptr_array_index (demos, i);
      g_assert_true (sim_irl_add_trajectory (irl, index, (int *) tr->data, (int) tr->len,
                                             NULL));
    }
  for (int j = 0; j < 25; j++)
    start2[j] = 2.0 * gsl_rng_uniform (rng) - 1.0;
  gsl_rng_free (rng);

  /* A tight tolerance, so that the flat directions (held only by the L2 term) settle too. */
  sim_irl_options_init (&options);
  options.gradient_tolerance = 1e-7;
  g_assert_true (sim_irl_solve (irl, NULL, &options, &a, NULL));
  g_assert_true (sim_irl_solve (irl, start2, &options, &b, NULL));
  g_test_message ("model %d γ %g: gradient norm %.2e / %.2e after %d / %d iterations; objective %.10f / "
                  "%.10f", model, discount, a.gradient_norm, b.gradient_norm, a.iterations,
                  b.iterations, a.objective, b.objective);
  g_assert_true (a.converged);
  g_assert_true (b.converged);
  /* With the default tolerance, as infer --mdp runs it: the same optimum, and few
   * evaluations (the dense BFGS from the finite-difference Hessian at the start needs 74 for
   * the paths model and 55 for the causal one; before it, gsl's BFGS in rounds with a fresh
   * Hessian each needed 144 and 71). */
  {
    SimIrlResult c;

    g_assert_true (sim_irl_solve (irl, NULL, NULL, &c, NULL));
    g_test_message ("default tolerance: gradient norm %.2e, objective %.10f, %d iterations, %d "
                    "evaluations", c.gradient_norm, c.objective, c.iterations, c.evaluations);
    g_assert_true (c.converged);
    g_assert_cmpfloat (c.objective - a.objective, <=, 1e-5);
    g_assert_cmpint (c.evaluations, <=, 100);
    sim_irl_result_clear (&c);
  }
  for (int j = 0; j < 25; j++)
    max_diff = MAX (max_diff, fabs (a.theta[j] - b.theta[j]));
  g_test_message ("largest difference between the two solutions: %.2e", max_diff);
  g_assert_cmpfloat (max_diff, <=, 1e-3);
  g_assert_cmpfloat (fabs (a.objective - b.objective), <=, 1e-8);
  /* The goal (terminal, reward 1) and the bonus cell get the two largest weights: every other
   * state's weight is below both. */
  {
    double others = -INFINITY;
    int best_other = -1;

    for (int j = 0; j < 25; j++)
      if (j != 24 && j != 8 && a.theta[j] > others)
        {
          others = a.theta[j];
          best_other = j;
        }
    g_test_message ("goal %.3f, bonus %.3f; largest other weight %.3f (state %d)", a.theta[24],
                    a.theta[8], others, best_other);
    g_assert_cmpfloat (others, <, a.theta[24]);
    g_assert_cmpfloat (others, <, a.theta[8]);
  }
  sim_irl_result_clear (&a);
  sim_irl_result_clear (&b);
}

static void
test_icy_paths (void)
{
  check_icy (SIM_IRL_PATHS, 1.0);
}

static void
test_icy_causal (void)
{
  check_icy (SIM_IRL_CAUSAL, 0.7);
}

static void
test_warm_start (void)
{
  const double theta_true[3] = { 0.9, -0.5, -0.4 };
  g_autoptr (SimMdp) mdp = make_stochastic_mdp (6, 1.0);
  g_autoptr (SimIrl) irl = sim_irl_new (3, SIM_IRL_CAUSAL);
  SimIrlResult cold, warm;
  int index = sim_irl_add_mdp (irl, mdp);

  add_samples (irl, index, mdp, theta_true, 300, 8);
  g_assert_true (sim_irl_solve (irl, NULL, NULL, &cold, NULL));
  g_assert_true (sim_irl_solve (irl, cold.theta, NULL, &warm, NULL));
  g_assert_true (cold.converged && warm.converged);
  /* From the optimum nothing is left to do. */
  g_assert_cmpint (warm.iterations, <=, 2);
  g_assert_cmpint (warm.iterations, <, cold.iterations);
  for (int j = 0; j < 3; j++)
    g_assert_cmpfloat (fabs (warm.theta[j] - cold.theta[j]), <=, 1e-5);
  sim_irl_result_clear (&cold);
  sim_irl_result_clear (&warm);
}

static void
test_bad_trajectories (void)
{
  g_autoptr (SimMdp) det = make_deterministic_mdp (3);
  g_autoptr (SimIrl) irl = sim_irl_new (2, SIM_IRL_CAUSAL);
  g_autoptr (GError) error = NULL;
  SimIrlResult result;
  int index = sim_irl_add_mdp (irl, det);
  const int jump[] = { 0, 2 };
  const int past_end[] = { 3, 4, 5, 5 };
  const int too_long[] = { 0, 0, 0, 0, 0 };
  const int off[] = { 0, 9 };

  g_assert_false (sim_irl_add_trajectory (irl, index, jump, 2, &error));
  g_assert_nonnull (strstr (error->message, "step 1: no action leads from state 0 to state 2"));
  g_clear_error (&error);
  g_assert_false (sim_irl_add_trajectory (irl, index, past_end, 4, &error));
  g_assert_nonnull (strstr (error->message, "step 3: the trajectory continues after"));
  g_clear_error (&error);
  g_assert_false (sim_irl_add_trajectory (irl, index, too_long, 5, &error));
  g_assert_nonnull (strstr (error->message, "exceed the horizon 3"));
  g_clear_error (&error);
  g_assert_false (sim_irl_add_trajectory (irl, index, off, 2, &error));
  g_assert_nonnull (strstr (error->message, "out of range"));
  g_clear_error (&error);
  g_assert_cmpint (sim_irl_get_n_trajectories (irl), ==, 0);
  g_assert_false (sim_irl_solve (irl, NULL, NULL, &result, &error));
  g_assert_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_INVALID);
}

/* Checkpointed passes (sim_irl_set_checkpoint()) recompute the steps between checkpoints
 * with the arithmetic of the backward pass: objective, gradient, expected counts, outcome
 * and samples are the same numbers as with every step kept, for every kind of pass. */
static void
check_checkpoints (const char   *what,
                   SimMdp       *mdp,
                   SimIrlModel   model,
                   gboolean      safe,
                   const double *theta,
                   const double *at_theta,
                   gboolean      log_domain)
{
  static const int intervals[] = { 0, 1, 2, 3, 5 };
  int nf = mdp->n_features;
  int ns = mdp->n_states;
  SimIrl *irl[G_N_ELEMENTS (intervals)];
  double f[G_N_ELEMENTS (intervals)];
  g_autofree double *grad_mem = g_new0 (double, G_N_ELEMENTS (intervals) * (gsize) nf);
  g_autofree double *counts_mem = g_new0 (double, G_N_ELEMENTS (intervals) * (gsize) nf);
  double *grad[G_N_ELEMENTS (intervals)];
  double *counts[G_N_ELEMENTS (intervals)];
  double enter[G_N_ELEMENTS (intervals)], end[G_N_ELEMENTS (intervals)];
  int path[G_N_ELEMENTS (intervals)][64];
  int len[G_N_ELEMENTS (intervals)];
  g_autofree guint8 *enter_mask = g_new0 (guint8, ns);
  g_autofree guint8 *end_mask = g_new0 (guint8, ns);

  for (int s = 0; s < ns; s++)
    {
      enter_mask[s] = s % 3 == 0;
      end_mask[s] = s % 2 == 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      grad[i] = grad_mem + i * (gsize) nf;
      counts[i] = counts_mem + i * (gsize) nf;
    }
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

      irl[i] = sim_irl_new (nf, model);
      sim_irl_add_mdp (irl[i], mdp);
      sim_irl_set_safe_mode (irl[i], safe);
      sim_irl_set_checkpoint (irl[i], intervals[i]);
      add_samples (irl[i], 0, mdp, theta, 25, 7);
      f[i] = sim_irl_objective (irl[i], at_theta, 1e-3, grad[i]);
      sim_irl_expected_counts (irl[i], 0, at_theta, counts[i]);
      sim_irl_outcome (irl[i], 0, at_theta, enter_mask, end_mask, &enter[i], &end[i]);
      gsl_rng_set (rng, 11);
      len[i] = sim_irl_sample (irl[i], 0, at_theta, rng, 40, path[i]);
      gsl_rng_free (rng);
    }
  g_test_message ("%s: objective %.17g, p(enter) %.17g, p(end) %.17g", what, f[0], enter[0],
                  end[0]);
  g_assert_true (isfinite (f[0]));
  g_assert_cmpfloat (enter[0] + end[0], >, 0.0);
  /* Whether the passes ran in the log domain, as intended. */
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      guint64 n_fast, n_fallbacks;

      sim_irl_get_fast_counts (irl[i], &n_fast, &n_fallbacks);
      g_assert_cmpuint (n_fast > n_fallbacks, ==, !log_domain);
    }
  for (guint i = 1; i < G_N_ELEMENTS (intervals); i++)
    {
      g_assert_cmpfloat (f[i], ==, f[0]);
      for (int j = 0; j < nf; j++)
        {
          g_assert_cmpfloat (grad[i][j], ==, grad[0][j]);
          g_assert_cmpfloat (counts[i][j], ==, counts[0][j]);
        }
      g_assert_cmpfloat (enter[i], ==, enter[0]);
      g_assert_cmpfloat (end[i], ==, end[0]);
      g_assert_cmpint (len[i], ==, len[0]);
      for (int k = 0; k < len[0]; k++)
        g_assert_cmpint (path[i][k], ==, path[0][k]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    sim_irl_free (irl[i]);
}

static void
test_checkpoints (void)
{
  const double theta7[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  const double at7[7] = { 0.4, -0.2, 1.1, -0.3, 0.2, 0.5, -0.6 };
  double big7[7];
  const double theta3[3] = { 0.5, 0.1, -0.2 };
  const double at3[3] = { -0.3, 0.6, 0.2 };
  const double theta2[2] = { 0.5, -0.4 };
  const double at2[2] = { 0.2, 0.3 };
  const double theta4[4] = { 1.0, -0.5, 0.3, 0.2 };
  const double at4[4] = { 0.7, -0.2, 0.1, 0.4 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = sim_level_parse (level_text, -1, "test.level", &error);
  g_autoptr (SimMdp) grid = NULL;
  g_autoptr (SimMdp) lists = NULL;
  g_autoptr (SimMdp) sto = make_stochastic_mdp (8, 1.0);
  g_autoptr (SimMdp) det = make_deterministic_mdp (9);
  double reward[36];
  g_autoptr (SimMdp) icy = sim_mdp_new_icy (6, 0.2, FALSE, 13, 1.0, reward);

  g_assert_no_error (error);
  grid = sim_mdp_new_from_level (level, TRUE);
  lists = copy_with_horizon (grid, grid->horizon);
  for (int j = 0; j < 7; j++)
    big7[j] = 900.0 * at7[j];

  check_checkpoints ("grid", grid, SIM_IRL_PATHS, FALSE, theta7, at7, FALSE);
  check_checkpoints ("grid, log domain", grid, SIM_IRL_PATHS, TRUE, theta7, at7, TRUE);
  check_checkpoints ("grid, huge rewards", grid, SIM_IRL_PATHS, FALSE, theta7, big7, TRUE);
  check_checkpoints ("successor table", lists, SIM_IRL_PATHS, FALSE, theta7, at7, FALSE);
  check_checkpoints ("deterministic corridor", det, SIM_IRL_PATHS, FALSE, theta2, at2, FALSE);
  check_checkpoints ("stochastic", sto, SIM_IRL_PATHS, FALSE, theta3, at3, FALSE);
  check_checkpoints ("stochastic, log domain", sto, SIM_IRL_PATHS, TRUE, theta3, at3, TRUE);
  check_checkpoints ("stochastic, causal", sto, SIM_IRL_CAUSAL, FALSE, theta3, at3, TRUE);
  check_checkpoints ("icy", icy, SIM_IRL_PATHS, FALSE, theta4, at4, FALSE);
  check_checkpoints ("icy, log domain", icy, SIM_IRL_PATHS, TRUE, theta4, at4, TRUE);
}

/* Workspaces are bounded by what they keep: a horizon of 100000 steps over 700 states
 * (7 × 10⁷ values per step-indexed array) is over the limit when every step is kept, and
 * fits with checkpoints, as by default. */
static void
test_large_horizon (void)
{
  int n = 700;
  g_autofree SimMdpTransition *trans = g_new (SimMdpTransition, 3 * n);
  g_autofree double *phi = g_new0 (double, 2 * n);
  g_autofree guint8 *terminal = g_new0 (guint8, n);
  g_autoptr (SimMdp) mdp = NULL;
  g_autoptr (SimIrl) every = sim_irl_new (2, SIM_IRL_PATHS);
  g_autoptr (SimIrl) checkpoints = sim_irl_new (2, SIM_IRL_PATHS);
  g_autoptr (GError) error = NULL;
  const int path[4] = { 0, 1, 2, 3 };
  int m = 0;

  for (int s = 0; s < n; s++)
    {
      trans[m++] = (SimMdpTransition) { s, 0, MAX (s - 1, 0), 1.0 };
      trans[m++] = (SimMdpTransition) { s, 1, MIN (s + 1, n - 1), 1.0 };
      trans[m++] = (SimMdpTransition) { s, 2, s, 1.0 };
      phi[s * 2] = s == n - 1 ? 1.0 : 0.0;
      phi[s * 2 + 1] = (double) s / n;
    }
  terminal[n - 1] = 1;
  mdp = sim_mdp_new (n, 3, 2, trans, m, phi, terminal, NULL, 100000, 1.0, &error);
  g_assert_no_error (error);

  sim_irl_add_mdp (every, mdp);
  sim_irl_add_mdp (checkpoints, mdp);
  sim_irl_set_checkpoint (every, 0);
  g_assert_true (sim_irl_add_trajectory (every, 0, path, 4, NULL));
  g_assert_true (sim_irl_add_trajectory (checkpoints, 0, path, 4, NULL));
  g_assert_false (sim_irl_prepare (every, &error));
  g_assert_error (error, SIM_IRL_ERROR, SIM_IRL_ERROR_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_true (sim_irl_prepare (checkpoints, &error));
  g_assert_no_error (error);
}

/* Only terminating paths count, and the terminal state's reward is 720 below another
 * state's: one shift per step cannot hold both (exp (−720) is below the normal range), so
 * the exp-domain pass must hand over to the log domain instead of rounding the terminal
 * weight off by a factor near exp (20). */
static void
test_terminal_far_below (void)
{
  const SimMdpTransition trans[] = {
    { 0, 0, 1, 1.0 }, { 0, 1, 2, 1.0 },
    { 1, 0, 1, 1.0 }, { 1, 1, 2, 1.0 },
  };
  const double phi[3] = { 0.0, 1.0, 0.0 };
  const guint8 terminal[3] = { 0, 0, 1 };
  const double start[3] = { 1.0, 0.0, 0.0 };
  const int short_path[2] = { 0, 2 };
  const int long_path[3] = { 0, 1, 2 };
  const double theta[1] = { 720.0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SimMdp) mdp = sim_mdp_new (3, 2, 1, trans, G_N_ELEMENTS (trans), phi, terminal,
                                        start, 0, 1.0, &error);
  g_autoptr (SimIrl) fast = sim_irl_new (1, SIM_IRL_PATHS);
  g_autoptr (SimIrl) safe = sim_irl_new (1, SIM_IRL_PATHS);
  double f_fast, f_safe, g_fast[1], g_safe[1];
  guint64 n_fallbacks = 0;

  g_assert_no_error (error);
  sim_irl_add_mdp (fast, mdp);
  sim_irl_add_mdp (safe, mdp);
  sim_irl_set_safe_mode (safe, TRUE);
  g_assert_true (sim_irl_add_trajectory (fast, 0, short_path, 2, NULL));
  g_assert_true (sim_irl_add_trajectory (fast, 0, long_path, 3, NULL));
  g_assert_true (sim_irl_add_trajectory (safe, 0, short_path, 2, NULL));
  g_assert_true (sim_irl_add_trajectory (safe, 0, long_path, 3, NULL));
  f_fast = sim_irl_objective (fast, theta, 0.0, g_fast);
  f_safe = sim_irl_objective (safe, theta, 0.0, g_safe);
  g_test_message ("objective: exp domain %.17g, log domain %.17g", f_fast, f_safe);
  g_assert_true (isfinite (f_safe) && f_safe >= 0.0);
  g_assert_cmpfloat (fabs (f_fast - f_safe), <=, 1e-9 * MAX (1.0, fabs (f_safe)));
  g_assert_cmpfloat (fabs (g_fast[0] - g_safe[0]), <=, 1e-9 * MAX (1.0, fabs (g_safe[0])));
  sim_irl_get_fast_counts (fast, NULL, &n_fallbacks);
  g_assert_cmpuint (n_fallbacks, >, 0);
}


/* Dense and sparse forms of the same MDP give the same objective, gradient and expected
 * counts (to 1e-12; the sums are the same, so in fact to the bit), for both models and the
 * kinds of passes. */
static void
check_sparse_same (const char  *what,
                   SimMdp      *dense,
                   SimMdp      *sparse,
                   SimIrlModel  model)
{
  int nf = dense->n_features;
  g_autoptr (SimIrl) irl_d = sim_irl_new (nf, model);
  g_autoptr (SimIrl) irl_s = sim_irl_new (nf, model);
  g_autofree double *theta = g_new (double, nf);
  g_autofree double *sample_theta = g_new0 (double, nf);
  g_autofree double *g_d = g_new (double, nf);
  g_autofree double *g_s = g_new (double, nf);
  g_autofree double *c_d = g_new (double, nf);
  g_autofree double *c_s = g_new (double, nf);
  double f_d, f_s;

  for (int j = 0; j < nf; j++)
    theta[j] = 0.3 * sin (1.7 * j + 0.4) - 0.05;
  sample_theta[0] = 1.0;
  sim_irl_add_mdp (irl_d, dense);
  sim_irl_add_mdp (irl_s, sparse);
  /* The same demonstrations for both, sampled on the dense form. */
  add_samples (irl_d, 0, dense, sample_theta, 30, 17);
  add_samples (irl_s, 0, dense, sample_theta, 30, 17);
  f_d = sim_irl_objective (irl_d, theta, 1e-3, g_d);
  f_s = sim_irl_objective (irl_s, theta, 1e-3, g_s);
  sim_irl_expected_counts (irl_d, 0, theta, c_d);
  sim_irl_expected_counts (irl_s, 0, theta, c_s);
  g_test_message ("%s: objective %.17g", what, f_d);
  g_assert_true (isfinite (f_d));
  g_assert_cmpfloat (fabs (f_s - f_d), <=, 1e-12 * MAX (1.0, fabs (f_d)));
  for (int j = 0; j < nf; j++)
    {
      g_assert_cmpfloat (fabs (g_s[j] - g_d[j]), <=, 1e-12 * MAX (1.0, fabs (g_d[j])));
      g_assert_cmpfloat (fabs (c_s[j] - c_d[j]), <=, 1e-12 * MAX (1.0, fabs (c_d[j])));
    }
  /* The rewards themselves are the dense sums over every feature, to the bit. */
  {
    g_autofree double *phi = sim_mdp_dup_phi (dense);

    for (int s = 0; s < dense->n_states; s++)
      {
        double r = 0.0;

        for (int j = 0; j < nf; j++)
          r += theta[j] * phi[(gsize) s * nf + j];
        g_assert_cmpfloat (sim_mdp_reward (sparse, s, theta), ==, r);
      }
  }
}

static void
test_sparse_features (void)
{
  g_autoptr (SimMdp) stochastic = make_stochastic_mdp (6, 1.0);
  g_autoptr (SimMdp) discounted = make_stochastic_mdp (0, 0.9);
  g_autoptr (SimMdp) corridor = make_deterministic_mdp (8);
  /* One-hot icy grids are built sparsely; their dense copies are the other form. */
  g_autoptr (SimMdp) icy = sim_mdp_new_icy (6, 0.2, TRUE, 10, 1.0, NULL);
  g_autoptr (SimMdp) icy_causal = sim_mdp_new_icy (6, 0.2, TRUE, 0, 0.7, NULL);
  struct
  {
    const char *what;
    SimMdp *mdp;
    SimIrlModel model;
    gboolean built_sparse;
  } cases[] = {
    { "stochastic, paths", stochastic, SIM_IRL_PATHS, FALSE },
    { "stochastic, causal", stochastic, SIM_IRL_CAUSAL, FALSE },
    { "discounted, causal", discounted, SIM_IRL_CAUSAL, FALSE },
    { "corridor, paths", corridor, SIM_IRL_PATHS, FALSE },
    { "icy one-hot, paths", icy, SIM_IRL_PATHS, TRUE },
    { "icy one-hot, causal", icy_causal, SIM_IRL_CAUSAL, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SimMdp) other = copy_features (cases[i].mdp, !cases[i].built_sparse, 3 + i);
      SimMdp *dense = cases[i].built_sparse ? other : cases[i].mdp;
      SimMdp *sparse = cases[i].built_sparse ? cases[i].mdp : other;

      g_assert_cmpint (dense->phi_row[dense->n_states], ==, sparse->phi_row[sparse->n_states]);
      check_sparse_same (cases[i].what, dense, sparse, cases[i].model);
    }
}

/* More one-hot features than the old limit of 4096 (a 65×65 grid): accepted, kept only
 * sparsely, and the gradient matches finite differences of the objective. */
static void
test_many_features (void)
{
  g_autoptr (SimMdp) mdp = sim_mdp_new_icy (65, 0.2, TRUE, 0, 0.7, NULL);
  int nf = 65 * 65;
  g_autoptr (SimIrl) irl = NULL;
  g_autofree double *theta = g_new0 (double, nf);
  g_autofree double *grad = g_new (double, nf);
  g_autofree double *g1 = g_new (double, nf);
  const int path[] = { 0, 1, 2, 67, 132, 133 };
  const int probe[] = { 0, 2, 133, 4000 };
  double f;

  g_assert_nonnull (mdp);
  g_assert_cmpint (mdp->n_features, ==, nf);
  g_assert_null (mdp->phi);
  g_assert_true (sim_mdp_is_one_hot (mdp));
  irl = sim_irl_new (nf, SIM_IRL_CAUSAL);
  g_assert_nonnull (irl);
  sim_irl_add_mdp (irl, mdp);
  for (int k = 0; k < 5; k++)
    g_assert_true (sim_irl_add_trajectory (irl, 0, path, G_N_ELEMENTS (path), NULL));
  for (int j = 0; j < nf; j++)
    theta[j] = 0.1 * cos (0.37 * j);
  f = sim_irl_objective (irl, theta, 1e-3, grad);
  g_assert_true (isfinite (f));
  for (guint i = 0; i < G_N_ELEMENTS (probe); i++)
    {
      int j = probe[i];
      double h = 1e-5, t = theta[j], fp, fm;

      theta[j] = t + h;
      fp = sim_irl_objective (irl, theta, 1e-3, g1);
      theta[j] = t - h;
      fm = sim_irl_objective (irl, theta, 1e-3, g1);
      theta[j] = t;
      g_test_message ("feature %d: gradient %.10g, differences %.10g", j, grad[j],
                      (fp - fm) / (2 * h));
      g_assert_cmpfloat (fabs ((fp - fm) / (2 * h) - grad[j]), <=,
                         1e-6 * MAX (1.0, fabs (grad[j])));
    }
}

/* The MDP with extra features that are 0 on every state after its own. */
static SimMdp *
pad_features (const SimMdp *mdp,
              int           extra)
{
  g_autofree SimMdpTransition *trans = NULL;
  g_autofree SimMdpFeature *values = NULL;
  gsize m = 0, n = 0;
  g_autoptr (GError) error = NULL;
  SimMdp *copy;

  trans = g_new (SimMdpTransition, mdp->row[mdp->n_states * mdp->n_actions]);
  for (int r = 0; r < mdp->n_states * mdp->n_actions; r++)
    for (int k = mdp->row[r]; k < mdp->row[r + 1]; k++)
      trans[m++] = (SimMdpTransition) { r / mdp->n_actions, r % mdp->n_actions, mdp->succ[k],
                                        mdp->prob[k] };
  values = g_new (SimMdpFeature, mdp->phi_row[mdp->n_states]);
  for (int s = 0; s < mdp->n_states; s++)
    for (int k = mdp->phi_row[s]; k < mdp->phi_row[s + 1]; k++)
      values[n++] = (SimMdpFeature) { s, mdp->phi_col[k], mdp->phi_val[k] };
  copy = sim_mdp_new_sparse (mdp->n_states, mdp->n_actions, mdp->n_features + extra, trans, m,
                             values, n, mdp->terminal, mdp->start, mdp->horizon, mdp->discount,
                             &error);
  g_assert_no_error (error);
  return copy;
}

static void
solve_on (SimMdp              *mdp,
          SimIrlModel          model,
          GPtrArray           *demos,
          const SimIrlOptions *options,
          SimIrlResult        *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimIrl) irl = sim_irl_new_for_mdp (mdp, model, demos, &error);

  g_assert_no_error (error);
  g_assert_true (sim_irl_solve (irl, NULL, options, result, &error));
  g_assert_no_error (error);
}

/* Beyond 64 features the solver runs libLBFGS instead of the dense BFGS. A one-hot 6×6 icy
 * grid (36 features, the dense solver) and the same grid with 40 more features that are 0
 * everywhere (76, libLBFGS) are the same problem: the optimum has the same θ on the one-hot
 * features and 0 on the others, and the gradient there is the same. Both solved to a tight
 * tolerance (10⁻⁸ per step, near the rounding floor of a line search on the values, with a
 * weight 0.03 on ‖θ‖² so that it pins θ to within 10⁻⁶), paths and causal. */
static void
test_many_features_solve (void)
{
  for (int model = 0; model < 2; model++)
    {
      int size = 6, nf = size * size;
      g_autofree double *reward = g_new0 (double, nf);
      g_autoptr (SimMdp) mdp = sim_mdp_new_icy (size, 0.2, TRUE, model == 0 ? 2 * size : 0,
                                                model == 0 ? 1.0 : 0.7, reward);
      g_autoptr (SimMdp) padded = pad_features (mdp, 40);
      SimIrlModel m = model == 0 ? SIM_IRL_PATHS : SIM_IRL_CAUSAL;
      g_autoptr (GPtrArray) demos = NULL;
      gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
      SimIrlOptions options;
      SimIrlResult dense = { 0 }, many = { 0 };
      double gap = 0.0;

      gsl_rng_set (rng, 5);
      demos = sim_mdp_icy_demos (mdp, reward, 0.7, 5.0, 30, 2 * size, rng);
      gsl_rng_free (rng);
      sim_irl_options_init (&options);
      options.gradient_tolerance = 1e-8;
      options.l2 = 0.03;
      solve_on (mdp, m, demos, &options, &dense);
      solve_on (padded, m, demos, &options, &many);
      g_assert_cmpint (many.n_features, ==, nf + 40);
      g_test_message ("%s: dense %d iterations, gradient norm %.3g; libLBFGS %d iterations, gradient norm %.3g",
                      model == 0 ? "paths" : "causal", dense.iterations, dense.gradient_norm,
                      many.iterations, many.gradient_norm);
      g_assert_true (dense.converged);
      g_assert_true (many.converged);
      for (int j = 0; j < nf; j++)
        gap = MAX (gap, fabs (many.theta[j] - dense.theta[j]));
      g_test_message ("largest difference in theta: %.3g", gap);
      g_assert_cmpfloat (gap, <=, 1e-6);
      for (int j = nf; j < nf + 40; j++)
        g_assert_cmpfloat (many.theta[j], ==, 0.0);
      g_assert_cmpfloat (fabs (many.objective - dense.objective), <=,
                         1e-12 * fabs (dense.objective));
      {
        g_autoptr (SimIrl) irl = sim_irl_new_for_mdp (mdp, m, demos, NULL);
        g_autofree double *grad = g_new (double, nf);

        sim_irl_objective (irl, many.theta, options.l2, grad);
        g_assert_cmpfloat (fabs (sim_vec_norm (grad, nf) - many.gradient_norm), <=,
                           1e-3 * many.gradient_norm);
      }
      sim_irl_result_clear (&dense);
      sim_irl_result_clear (&many);
    }
}

/* The exact Hessian (sim_irl_hessian()) against central differences of the exact gradient,
 * to 1e-6 of the largest entry. */
static void
check_hessian (SimIrl       *irl,
               const double *theta)
{
  int nf = sim_irl_get_n_features (irl);
  g_autofree double *H = g_new0 (double, nf * nf);
  g_autofree double *fd = g_new0 (double, nf * nf);
  g_autofree double *th = g_memdup2 (theta, sizeof (double) * nf);
  g_autofree double *gp = g_new0 (double, nf);
  g_autofree double *gm = g_new0 (double, nf);
  double scale = 0.0, err = 0.0;

  g_assert_true (sim_irl_hessian (irl, theta, 1e-3, H));
  for (int i = 0; i < nf; i++)
    {
      double h = 1e-4 * MAX (1.0, fabs (theta[i]));

      th[i] = theta[i] + h;
      sim_irl_objective (irl, th, 1e-3, gp);
      th[i] = theta[i] - h;
      sim_irl_objective (irl, th, 1e-3, gm);
      th[i] = theta[i];
      for (int j = 0; j < nf; j++)
        fd[i * nf + j] = (gp[j] - gm[j]) / (2.0 * h);
    }
  for (int i = 0; i < nf; i++)
    for (int j = 0; j < nf; j++)
      {
        double v = 0.5 * (fd[i * nf + j] + fd[j * nf + i]);

        g_assert_cmpfloat (H[i * nf + j], ==, H[j * nf + i]);
        scale = MAX (scale, fabs (v));
        err = MAX (err, fabs (H[i * nf + j] - v));
      }
  g_test_message ("largest entry %.6g, largest difference %.3g", scale, err);
  g_assert_cmpfloat (scale, >, 2e-3);
  g_assert_cmpfloat (err, <=, 1e-6 * scale);
}

/* Icy demonstrations (prefixes of at most max_steps transitions) added to MDP 0 of irl. */
static void
add_icy_demos (SimIrl       *irl,
               const SimMdp *mdp,
               const double *reward,
               int           max_steps,
               guint32       seed)
{
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (GPtrArray) demos = NULL;

  gsl_rng_set (rng, seed);
  demos = sim_mdp_icy_demos (mdp, reward, 0.7, 5.0, 40, max_steps, rng);
  for (guint i = 0; i < demos->len; i++)
    {
      GArray *tr = g_ptr_array_index (demos, i);

      g_assert_true (sim_irl_add_trajectory (irl, 0, (int *) tr->data, (int) tr->len, NULL));
    }
  gsl_rng_free (rng);
}

static void
test_hessian (void)
{
  const double theta3[3] = { 0.3, 0.4, -0.2 };
  const double theta3_true[3] = { 0.8, -0.6, -0.3 };
  const double theta2[2] = { -0.4, 0.9 };
  const double theta7[7] = { 0.4, -0.2, 1.1, -0.3, 0.2, 0.5, -0.6 };
  const double theta7_true[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  const double theta4[4] = { 0.5, 0.2, -0.4, 0.3 };

  /* The small stochastic MDP: both models, γ = 1 and γ < 1; stationary tasks have none. */
  for (int c = 0; c < 6; c++)
    {
      SimIrlModel model = c % 2 == 0 ? SIM_IRL_CAUSAL : SIM_IRL_PATHS;
      int horizon = c < 4 ? 6 : 0;
      double discount = c < 2 ? 1.0 : 0.9;
      g_autoptr (SimMdp) mdp = make_stochastic_mdp (horizon, discount);
      g_autoptr (SimIrl) irl = sim_irl_new (3, model);
      double H[9];

      g_test_message ("stochastic: horizon %d, discount %g, model %d", horizon, discount, model);
      sim_irl_add_mdp (irl, mdp);
      add_samples (irl, 0, mdp, theta3_true, 40, 31 + c);
      if (horizon == 0)
        {
          g_assert_false (sim_irl_hessian (irl, theta3, 1e-3, H));
          continue;
        }
      check_hessian (irl, theta3);
      check_hessian (irl, theta3_true);
    }
  /* The deterministic corridor, both models. */
  for (int model = SIM_IRL_CAUSAL; model <= SIM_IRL_PATHS; model++)
    {
      g_autoptr (SimMdp) mdp = make_deterministic_mdp (7);
      g_autoptr (SimIrl) irl = sim_irl_new (2, (SimIrlModel) model);

      sim_irl_add_mdp (irl, mdp);
      add_samples (irl, 0, mdp, theta2, 30, 8);
      check_hessian (irl, theta2);
    }
  /* A gridworld level as the probes use it (causal model: the grid passes), with the same
   * MDP as successor lists beside it in one problem, in the log domain, and checkpointed
   * (where the exact form does not apply). */
  for (int mode = 0; mode < 3; mode++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SimLevel) level = sim_level_parse (level_text, -1, "test.level", &error);
      g_autoptr (SimMdp) mdp = sim_mdp_new_from_level (level, TRUE);
      g_autoptr (SimMdp) plain = copy_with_horizon (mdp, mdp->horizon);
      g_autoptr (SimIrl) irl = sim_irl_new (7, SIM_IRL_CAUSAL);
      double H[49];

      g_assert_no_error (error);
      sim_irl_add_mdp (irl, mdp);
      sim_irl_add_mdp (irl, plain);
      sim_irl_set_safe_mode (irl, mode == 1);
      if (mode == 2)
        sim_irl_set_checkpoint (irl, 3);
      add_samples (irl, 0, mdp, theta7_true, 20, 4);
      add_samples (irl, 1, plain, theta7_true, 20, 5);
      if (mode == 2)
        {
          g_assert_false (sim_irl_hessian (irl, theta7, 1e-3, H));
          continue;
        }
      check_hessian (irl, theta7);
      check_hessian (irl, theta7_true);
    }
  /* Icy grids: the banded passes (paths, γ = 1, with a horizon and without one), the log
   * domain, and the causal model with γ = 1 and γ < 1; demonstrations cut to prefixes. */
  for (int c = 0; c < 5; c++)
    {
      static const struct { int horizon; double discount; SimIrlModel model; int steps; } cases[] = {
        { 9, 1.0, SIM_IRL_PATHS, 6 },
        { 0, 1.0, SIM_IRL_PATHS, 5000 },
        { 9, 1.0, SIM_IRL_PATHS, 5 },
        { 9, 1.0, SIM_IRL_CAUSAL, 6 },
        { 8, 0.9, SIM_IRL_CAUSAL, 5 },
      };
      double reward[36];
      g_autoptr (SimMdp) mdp = sim_mdp_new_icy (6, 0.2, FALSE, cases[c].horizon,
                                                cases[c].discount, reward);
      g_autoptr (SimIrl) irl = sim_irl_new (4, cases[c].model);

      g_test_message ("icy: horizon %d, discount %g, model %d", cases[c].horizon,
                      cases[c].discount, cases[c].model);
      sim_irl_add_mdp (irl, mdp);
      sim_irl_set_safe_mode (irl, c == 2);
      /* Without a horizon T is the longest demonstration: every step kept all the same. */
      sim_irl_set_checkpoint (irl, 0);
      add_icy_demos (irl, mdp, reward, cases[c].steps, 11 + c);
      check_hessian (irl, theta4);
    }
}

static void
count_evaluations (int      n_evaluations,
                   gpointer user_data)
{
  (*(int *) user_data)++;
}

/* The part of a problem on some of its MDPs (the held-out fit of the probes): its objective,
 * gradient and Hessian as a problem holding just those computes them, from the whole
 * problem's last solve without a pass; and the fit from their Newton point, preconditioned
 * by that Hessian, agrees with a tight standalone fit. */
static void
test_subset_hessian (void)
{
  const double theta_a[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  const double theta_b[7] = { 1.0, -1.2, 1.1, 0.3, -0.1, 0.6, -0.5 };
  const int subset[2] = { 2, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = sim_level_parse (level_text, -1, "test.level", &error);
  g_autoptr (SimMdp) mdp = sim_mdp_new_from_level (level, TRUE);
  g_autoptr (SimMdp) plain = copy_with_horizon (mdp, mdp->horizon);
  g_autoptr (SimIrl) all = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimIrl) part = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimIrl) tight = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimIrl) held = sim_irl_new (7, SIM_IRL_CAUSAL);
  SimIrlOptions options;
  SimIrlResult main_fit, fit, reference;
  double f, g[7], H[49], f_part, g_part[7], H_part[49], start[7];
  double f_start, ll_start, ll_fit, ll_reference;
  int n_evaluations = 0;
  gsl_matrix_view Hv = gsl_matrix_view_array (H_part, 7, 7);
  gsl_vector_view gv = gsl_vector_view_array (g_part, 7);
  gsl_vector *step = gsl_vector_alloc (7);
  gsl_matrix *L = gsl_matrix_alloc (7, 7);

  g_assert_no_error (error);
  /* The whole problem: three tasks; the part takes the third and the first, in that order,
   * whose demonstrations follow a reward near the second's. */
  sim_irl_add_mdp (all, mdp);
  sim_irl_add_mdp (all, plain);
  sim_irl_add_mdp (all, mdp);
  add_samples (all, 0, mdp, theta_b, 40, 4);
  add_samples (all, 1, plain, theta_a, 60, 5);
  add_samples (all, 2, mdp, theta_b, 30, 6);
  for (int k = 0; k < 2; k++)
    {
      SimIrl *irl = k == 0 ? part : tight;

      sim_irl_add_mdp (irl, mdp);
      sim_irl_add_mdp (irl, mdp);
      add_samples (irl, 0, mdp, theta_b, 30, 6);
      add_samples (irl, 1, mdp, theta_b, 40, 4);
    }
  sim_irl_add_mdp (held, plain);
  add_samples (held, 0, plain, theta_a, 60, 5);

  sim_irl_options_init (&options);
  options.uncertainty = TRUE;
  g_assert_true (sim_irl_solve (all, NULL, &options, &main_fit, NULL));
  sim_irl_set_progress (all, count_evaluations, &n_evaluations);
  g_assert_true (sim_irl_subset_hessian (all, main_fit.theta, options.l2, 2, subset, &f, g, H));
  /* The solve's last evaluation and uncertainty left every part. */
  g_assert_cmpint (n_evaluations, ==, 0);
  f_part = sim_irl_objective (part, main_fit.theta, options.l2, g_part);
  g_assert_true (sim_irl_hessian (part, main_fit.theta, options.l2, H_part));
  g_assert_cmpfloat (fabs (f - f_part), <=, 1e-12 * fabs (f_part));
  for (int i = 0; i < 7; i++)
    {
      g_assert_cmpfloat (fabs (g[i] - g_part[i]), <=, 1e-12);
      for (int j = 0; j < 7; j++)
        g_assert_cmpfloat (fabs (H[i * 7 + j] - H_part[i * 7 + j]), <=,
                           1e-12 * MAX (1.0, fabs (H_part[i * 7 + j])));
    }
  /* The two rewards differ: the part's optimum is away from the whole one's. */
  g_assert_cmpfloat (sim_vec_norm (g, 7), >, 0.05);
  /* At another θ the parts are made by a pass. */
  g_assert_true (sim_irl_subset_hessian (all, theta_a, options.l2, 2, subset, NULL, g, H));
  g_assert_cmpint (n_evaluations, ==, 1);

  /* The Newton point from the whole optimum, with the part's Hessian there. */
  g_assert_true (sim_irl_subset_hessian (all, main_fit.theta, options.l2, 2, subset, NULL, g,
                                         H));
  memcpy (H_part, H, sizeof H);
  memcpy (g_part, g, sizeof g);
  gsl_matrix_memcpy (L, &Hv.matrix);
  g_assert_cmpint (gsl_linalg_cholesky_decomp1 (L), ==, GSL_SUCCESS);
  g_assert_cmpint (gsl_linalg_cholesky_solve (L, &gv.vector, step), ==, GSL_SUCCESS);
  for (int j = 0; j < 7; j++)
    start[j] = main_fit.theta[j] - gsl_vector_get (step, j);
  options.uncertainty = FALSE;
  options.gradient_tolerance = 1e-8;
  g_assert_true (sim_irl_solve (tight, NULL, &options, &reference, NULL));
  g_assert_true (reference.converged);
  ll_start = sim_irl_log_likelihood (held, main_fit.theta);
  ll_reference = sim_irl_log_likelihood (held, reference.theta);
  f_start = sim_irl_objective (tight, main_fit.theta, options.l2, NULL);
  /* The whole optimum is not the part's: from there to it the objective falls by more than
   * 10⁻³ and the held-out log-likelihood moves by more than 0.1. */
  g_assert_cmpfloat (f_start - reference.objective, >, 1e-3);
  g_assert_cmpfloat (fabs (ll_start - ll_reference), >, 0.1);
  /* The part's features are far from identified (the level makes two of them equal): the
   * test is on what the scores read, the objective and the held-out likelihood. At a loose
   * tolerance the fit closes most of the gap; at a tight one it is the same fit. */
  for (int k = 0; k < 2; k++)
    {
      double tol = k == 0 ? 1e-4 : 1e-7;

      sim_irl_set_hessian (part, H);
      options.gradient_tolerance = tol;
      g_assert_true (sim_irl_solve (part, start, &options, &fit, NULL));
      g_assert_true (fit.converged);
      ll_fit = sim_irl_log_likelihood (held, fit.theta);
      g_test_message ("tolerance %g: objective %.9g from the whole optimum, %.9g from the fit, "
                      "%.9g tight; held-out log-likelihood %.6g, %.6g, %.6g; %d evaluations",
                      tol, f_start, fit.objective, reference.objective, ll_start, ll_fit,
                      ll_reference, fit.evaluations);
      g_assert_cmpfloat (fit.objective - reference.objective, <=, k == 0 ? 2e-4 : 1e-10);
      g_assert_cmpfloat (fabs (ll_fit - ll_reference), <=, k == 0 ? 2e-2 : 1e-5);
      sim_irl_result_clear (&fit);
    }
  sim_irl_result_clear (&main_fit);
  sim_irl_result_clear (&reference);
  gsl_vector_free (step);
  gsl_matrix_free (L);
}

/* A demonstration copied from another problem on the same MDP is the one added there: the
 * same log-likelihoods and gradient, to the bit, and the same objective but for the order in
 * which the steps' log weights are summed. */
static void
test_copy_trajectory (void)
{
  const double theta[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = sim_level_parse (level_text, -1, "test.level", &error);
  g_autoptr (SimMdp) mdp = sim_mdp_new_from_level (level, TRUE);
  g_autoptr (SimMdp) plain = copy_with_horizon (mdp, mdp->horizon);
  g_autoptr (SimIrl) from = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimIrl) added = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimIrl) copied = sim_irl_new (7, SIM_IRL_CAUSAL);
  double ll_added[64], ll_copied[64], g_added[7], g_copied[7], f_added, f_copied;
  int n;

  g_assert_no_error (error);
  sim_irl_add_mdp (from, plain);
  sim_irl_add_mdp (from, mdp);
  add_samples (from, 1, mdp, theta, 40, 3);
  n = sim_irl_get_n_mdp_trajectories (from, 1);
  g_assert_cmpint (n, >=, 40);
  g_assert_cmpint (n, <=, 64);
  sim_irl_add_mdp (added, mdp);
  sim_irl_add_mdp (copied, mdp);
  for (int k = 0; k < n; k++)
    {
      int length;
      const int *states = sim_irl_get_trajectory (from, 1, k, &length);

      g_assert_true (sim_irl_add_trajectory (added, 0, states, length, NULL));
      sim_irl_copy_trajectory (copied, 0, from, 1, k);
    }
  g_assert_cmpint (sim_irl_get_n_trajectories (copied), ==, n);
  g_assert_cmpfloat (sim_irl_get_mean_steps (copied), ==, sim_irl_get_mean_steps (added));
  g_assert_true (sim_irl_trajectory_log_likelihoods (added, theta, ll_added, NULL, NULL));
  g_assert_true (sim_irl_trajectory_log_likelihoods (copied, theta, ll_copied, NULL, NULL));
  g_assert_cmpmem (ll_added, sizeof (double) * n, ll_copied, sizeof (double) * n);
  f_added = sim_irl_objective (added, theta, 1e-3, g_added);
  f_copied = sim_irl_objective (copied, theta, 1e-3, g_copied);
  g_assert_cmpfloat (fabs (f_added - f_copied), <=, 1e-14 * fabs (f_added));
  g_assert_cmpmem (g_added, sizeof g_added, g_copied, sizeof g_copied);
}

/* The log-likelihoods of a subset of the MDPs, in the order given, are those of a problem
 * holding just them and their demonstrations, to the bit, and after an evaluation of the
 * whole problem too. */
static void
test_subset_log_likelihoods (void)
{
  const double theta[7] = { 1.2, -1.5, 0.8, 0.1, -0.2, 0.9, -0.3 };
  const double other[7] = { 0.4, -0.5, 1.1, 0.3, 0.2, -0.6, 0.1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = sim_level_parse (level_text, -1, "test.level", &error);
  g_autoptr (SimMdp) mdp = sim_mdp_new_from_level (level, TRUE);
  g_autoptr (SimMdp) plain = copy_with_horizon (mdp, mdp->horizon);
  g_autoptr (SimIrl) all = sim_irl_new (7, SIM_IRL_CAUSAL);
  g_autoptr (SimIrl) part = sim_irl_new (7, SIM_IRL_CAUSAL);
  const int subset[2] = { 2, 0 };
  double ll_part[256], ll_subset[256], grad[7];
  int n;

  g_assert_no_error (error);
  sim_irl_add_mdp (all, mdp);
  sim_irl_add_mdp (all, plain);
  sim_irl_add_mdp (all, mdp);
  add_samples (all, 0, mdp, theta, 40, 4);
  add_samples (all, 1, plain, other, 30, 5);
  add_samples (all, 2, mdp, other, 50, 6);
  for (int k = 0; k < 2; k++)
    {
      sim_irl_add_mdp (part, (SimMdp *) sim_irl_get_mdp (all, subset[k]));
      for (int j = 0; j < sim_irl_get_n_mdp_trajectories (all, subset[k]); j++)
        sim_irl_copy_trajectory (part, k, all, subset[k], j);
    }
  n = sim_irl_get_n_trajectories (part);
  g_assert_cmpint (n, <=, 256);
  g_assert_cmpint (n, <, sim_irl_get_n_trajectories (all));
  for (int round = 0; round < 2; round++)
    {
      const double *at = round == 0 ? theta : other;

      /* The second time the whole problem has just been evaluated at that θ. */
      if (round == 1)
        sim_irl_objective (all, at, 1e-3, grad);
      g_assert_true (sim_irl_trajectory_log_likelihoods (part, at, ll_part, NULL, NULL));
      g_assert_true (sim_irl_subset_log_likelihoods (all, at, 2, subset, ll_subset));
      g_assert_cmpmem (ll_part, sizeof (double) * n, ll_subset, sizeof (double) * n);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/engine/infer/irl/gradient-stochastic", test_gradient_stochastic);
  g_test_add_func ("/engine/infer/irl/gradient-deterministic", test_gradient_deterministic);
  g_test_add_func ("/engine/infer/irl/likelihood-normalised", test_likelihood_normalised);
  g_test_add_func ("/engine/infer/irl/counts-monte-carlo", test_counts_monte_carlo);
  g_test_add_func ("/engine/infer/irl/huge-theta", test_huge_theta);
  g_test_add_func ("/engine/infer/irl/level-fast-and-safe", test_level_fast_and_safe);
  g_test_add_func ("/engine/infer/irl/icy-fast-and-safe", test_icy_fast_and_safe);
  g_test_add_func ("/engine/infer/irl/solve-recovers", test_solve_recovers);
  g_test_add_func ("/engine/infer/irl/warm-start", test_warm_start);
  g_test_add_func ("/engine/infer/irl/icy-paths", test_icy_paths);
  g_test_add_func ("/engine/infer/irl/icy-causal", test_icy_causal);
  g_test_add_func ("/engine/infer/irl/bad-trajectories", test_bad_trajectories);
  g_test_add_func ("/engine/infer/irl/checkpoints", test_checkpoints);
  g_test_add_func ("/engine/infer/irl/large-horizon", test_large_horizon);
  g_test_add_func ("/engine/infer/irl/terminal-far-below", test_terminal_far_below);
  g_test_add_func ("/engine/infer/irl/sparse-features", test_sparse_features);
  g_test_add_func ("/engine/infer/irl/many-features", test_many_features);
  g_test_add_func ("/engine/infer/irl/many-features-solve", test_many_features_solve);
  g_test_add_func ("/engine/infer/irl/hessian", test_hessian);
  g_test_add_func ("/engine/infer/irl/subset-hessian", test_subset_hessian);
  g_test_add_func ("/engine/infer/irl/copy-trajectory", test_copy_trajectory);
  g_test_add_func ("/engine/infer/irl/subset-log-likelihoods", test_subset_log_likelihoods);
  return g_test_run ();
}
