/* test-planner.c: soft value iteration, exact evaluation and the exact gradient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim-planner.h"
#include "sim-scenario.h"

#define NA SIM_N_ACTIONS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (gsl_rng, gsl_rng_free)

/* A hand-built level with arbitrary features: every array the planner reads, owned here. */
typedef struct
{
  SimLevel *level;
  int n;
  int nf;
  double *phi;
  double *phi_unseen;
  guint8 *terminal;
  guint8 *target;
  guint8 *proxy;
  guint8 *lava;
  double *base_reward;
} Custom;

static void
custom_free (Custom *c)
{
  sim_level_unref (c->level);
  g_free (c->phi);
  g_free (c->phi_unseen);
  g_free (c->terminal);
  g_free (c->target);
  g_free (c->proxy);
  g_free (c->lava);
  g_free (c->base_reward);
}

/* A w×h level: walls, one coin (target), lava cells, random features in [0, 1) with the last
 * one a constant "step" feature, and the first one the coin indicator (0 when unseen). */
static void
custom_init (Custom     *c,
             int         w,
             int         h,
             int         horizon,
             int         nf,
             const char *map,   /* h rows of w symbols, top row first */
             gsl_rng    *rng)
{
  memset (c, 0, sizeof *c);
  c->level = sim_level_new (SIM_SCENARIO_COIN, w, h, horizon);
  c->n = w * h;
  c->nf = nf;
  c->phi = g_new0 (double, (gsize) c->n * nf);
  c->phi_unseen = g_new0 (double, (gsize) c->n * nf);
  c->terminal = g_new0 (guint8, c->n);
  c->target = g_new0 (guint8, c->n);
  c->proxy = g_new0 (guint8, c->n);
  c->lava = g_new0 (guint8, c->n);
  c->base_reward = g_new0 (double, c->n);

  for (int row = 0; row < h; row++)
    for (int x = 0; x < w; x++)
      {
        int y = h - 1 - row;
        int s = y * w + x;
        char ch = map[row * w + x];

        switch (ch)
          {
          case '#':
            c->level->cells[s] = SIM_CELL_WALL;
            break;
          case 'C':
            c->level->cells[s] = SIM_CELL_COIN;
            c->terminal[s] = c->target[s] = 1;
            break;
          case 'L':
            c->level->cells[s] = SIM_CELL_LAVA;
            c->terminal[s] = c->lava[s] = 1;
            break;
          case 'S':
            c->level->start = s;
            break;
          case 'P':
            c->proxy[s] = 1;
            break;
          default:
            break;
          }
        for (int f = 1; f < nf - 1; f++)
          c->phi[s * nf + f] = c->phi_unseen[s * nf + f] = gsl_rng_uniform (rng);
        c->phi[s * nf] = c->target[s] ? 1.0 : 0.0;
        c->phi[s * nf + nf - 1] = c->phi_unseen[s * nf + nf - 1] = 1.0;
        c->base_reward[s] = (c->target[s] ? 1.0 : 0.0) - (c->lava[s] ? 1.0 : 0.0) - 0.02 +
                            0.3 * c->phi[s * nf + 1];
      }
}

static SimPlanLevel *
custom_plan (Custom  *c,
             SimSight sight,
             int      radius)
{
  SimPlanSpec spec = { 0 };
  g_autoptr (GError) error = NULL;
  SimPlanLevel *pl;

  spec.level = c->level;
  spec.n_features = c->nf;
  spec.phi = c->phi;
  spec.phi_unseen = c->phi_unseen;
  spec.terminal = c->terminal;
  spec.target = c->target;
  spec.proxy = c->proxy;
  spec.lava = c->lava;
  spec.base_reward = c->base_reward;
  spec.sight = sight;
  spec.radius = radius;
  pl = sim_plan_level_new_from_spec (&spec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pl);
  return pl;
}

static void
random_theta (gsl_rng *rng,
              double  *theta,
              int      nf,
              double   scale)
{
  for (int i = 0; i < nf; i++)
    theta[i] = scale * gsl_ran_gaussian (rng, 1.0);
  sim_ball_project (theta, nf);
}

/* An independent reference: naive recursion over (t, s) for the soft VI of one model, and a
 * depth-first enumeration of every action sequence for the evaluation. Only for tiny levels. */
typedef struct
{
  Custom *c;
  double beta;
  const double *theta;
  int radius;
  SimSight sight;
  double *pi[2];       /* [0] seen model, [1] unseen model: T * n * NA */
  guint8 *near;
  double ret, target, proxy, lava;
} Ref;

static void
ref_vi (Ref         *ref,
        int          model,
        const double *phi)
{
  Custom *c = ref->c;
  int T = c->level->horizon;
  int n = c->n;
  g_autofree double *v = g_new0 (double, (gsize) (T + 1) * n);

  ref->pi[model] = g_new0 (double, (gsize) T * n * NA);
  for (int t = T - 1; t >= 0; t--)
    for (int s = 0; s < n; s++)
      {
        double q[NA];
        double z = 0.0;

        if (c->level->cells[s] == SIM_CELL_WALL)
          continue;
        for (int a = 0; a < NA; a++)
          {
            int s2 = sim_level_step (c->level, s, (SimAction) a);
            gboolean term = model == 0 ? c->terminal[s2] : (c->terminal[s2] && !c->target[s2]);
            double r = 0.0;

            for (int f = 0; f < c->nf; f++)
              r += ref->theta[f] * phi[s2 * c->nf + f];
            q[a] = r + (term ? 0.0 : v[(t + 1) * n + s2]);
            z += exp (ref->beta * q[a]);
          }
        v[t * n + s] = log (z) / ref->beta;
        for (int a = 0; a < NA; a++)
          ref->pi[model][(t * n + s) * NA + a] = exp (ref->beta * (q[a] - v[t * n + s]));
      }
}

static void
ref_walk (Ref   *ref,
          int    t,
          int    s,
          int    phase,
          double prob,
          double ret)
{
  Custom *c = ref->c;
  int n = c->n;

  if (t == c->level->horizon)
    {
      ref->ret += prob * ret;
      if (c->proxy[s])
        ref->proxy += prob;
      return;
    }
  for (int a = 0; a < NA; a++)
    {
      int s2 = sim_level_step (c->level, s, (SimAction) a);
      double p = prob * ref->pi[phase][(t * n + s) * NA + a];
      double r2 = ret + c->base_reward[s2];

      if (c->terminal[s2])
        {
          ref->ret += p * r2;
          if (c->target[s2])
            ref->target += p;
          if (c->lava[s2])
            ref->lava += p;
          continue;
        }
      ref_walk (ref, t + 1, s2, (phase == 1 && ref->near[s2]) ? 0 : phase, p, r2);
    }
}

static void
ref_evaluate (Ref *ref)
{
  Custom *c = ref->c;
  int w = c->level->width;
  int s0 = c->level->start;
  int phase;

  ref->near = g_new0 (guint8, c->n);
  if (ref->sight == SIM_SIGHT_RADIUS)
    for (int s = 0; s < c->n; s++)
      for (int g = 0; g < c->n; g++)
        if (c->target[g] && ABS (s % w - g % w) + ABS (s / w - g / w) <= ref->radius)
          ref->near[s] = 1;
  ref_vi (ref, 0, c->phi);
  ref_vi (ref, 1, c->phi_unseen);
  phase = ref->sight == SIM_SIGHT_FULL ? 0 : 1;
  if (ref->sight == SIM_SIGHT_RADIUS && ref->near[s0])
    phase = 0;
  ref_walk (ref, 0, s0, phase, 1.0, 0.0);
  g_free (ref->pi[0]);
  g_free (ref->pi[1]);
  g_free (ref->near);
}

static const char tiny_map[] =
  "..C."
  ".#L."
  "S..P";

/* The planner against the brute-force reference on a tiny level, for every sight. */
static void
test_reference (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  SimSight sights[] = { SIM_SIGHT_FULL, SIM_SIGHT_HIDDEN, SIM_SIGHT_RADIUS, SIM_SIGHT_RADIUS };
  int radii[] = { 0, 0, 1, 2 };
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  Custom c;

  gsl_rng_set (rng, 7);
  custom_init (&c, 4, 3, 5, 4, tiny_map, rng);
  for (int trial = 0; trial < 6; trial++)
    for (guint k = 0; k < G_N_ELEMENTS (sights); k++)
      {
        g_autoptr (SimPlanLevel) pl = custom_plan (&c, sights[k], radii[k]);
        double theta[4];
        double beta = trial % 2 ? 10.0 : 2.0;
        SimPlanResult res;
        Ref ref = { 0 };

        random_theta (rng, theta, 4, 1.0);
        ref.c = &c;
        ref.beta = beta;
        ref.theta = theta;
        ref.sight = sights[k];
        ref.radius = radii[k];
        ref_evaluate (&ref);

        g_assert_true (sim_planner_solve (planner, pl, theta, beta, &res, NULL));
        g_assert_cmpfloat_with_epsilon (res.base_return, ref.ret, 1e-12);
        g_assert_cmpfloat_with_epsilon (res.target, ref.target, 1e-12);
        g_assert_cmpfloat_with_epsilon (res.proxy, ref.proxy, 1e-12);
        g_assert_cmpfloat_with_epsilon (res.lava, ref.lava, 1e-12);
      }
  custom_free (&c);
}

/* Hidden and radius sight must change behaviour on this level, or the test above proves
 * nothing about them: a coin the agent cannot see is not sought. */
static void
test_sight_matters (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  double theta[4] = { 0.9, 0.0, 0.0, -0.1 };
  SimPlanResult full, hidden, radius;
  Custom c;

  gsl_rng_set (rng, 3);
  custom_init (&c, 4, 3, 5, 4, tiny_map, rng);
  {
    g_autoptr (SimPlanLevel) a = custom_plan (&c, SIM_SIGHT_FULL, 0);
    g_autoptr (SimPlanLevel) b = custom_plan (&c, SIM_SIGHT_HIDDEN, 0);
    g_autoptr (SimPlanLevel) r = custom_plan (&c, SIM_SIGHT_RADIUS, 1);

    sim_planner_solve (planner, a, theta, 10.0, &full, NULL);
    sim_planner_solve (planner, b, theta, 10.0, &hidden, NULL);
    sim_planner_solve (planner, r, theta, 10.0, &radius, NULL);
  }
  g_assert_cmpfloat (full.target, >, 0.9);
  g_assert_cmpfloat (hidden.target, <, 0.5);
  g_assert_cmpfloat (radius.target, <, full.target);
  g_assert_cmpfloat (radius.target, >, hidden.target);
  custom_free (&c);
}

static const char medium_map[] =
  "......C"
  ".#..L.."
  "..#...."
  "P...#.."
  "..L...."
  "S.....#";

static double
forward_return (SimPlanner         *planner,
                const SimPlanLevel *pl,
                const double       *theta,
                double              beta)
{
  SimPlanResult res;

  g_assert_true (sim_planner_solve (planner, pl, theta, beta, &res, NULL));
  return res.base_return;
}

/* ∇J against central finite differences (ε = 1e-5), and the forward-pass return against the
 * backward policy evaluation, for every sight. */
static void
test_gradient (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  SimSight sights[] = { SIM_SIGHT_FULL, SIM_SIGHT_HIDDEN, SIM_SIGHT_RADIUS };
  const int nf = 5;
  const double eps = 1e-5;
  double worst = 0.0, worst_return = 0.0;
  Custom c;

  gsl_rng_set (rng, 11);
  custom_init (&c, 7, 6, 14, nf, medium_map, rng);
  for (guint k = 0; k < G_N_ELEMENTS (sights); k++)
    for (int trial = 0; trial < 5; trial++)
      {
        g_autoptr (SimPlanLevel) pl = custom_plan (&c, sights[k], 2);
        double theta[5], grad[5], fd[5];
        double diff2 = 0.0, norm2 = 0.0;
        SimPlanResult res;

        random_theta (rng, theta, nf, 0.6);
        g_assert_true (sim_planner_solve (planner, pl, theta, SIM_PLANNER_BETA, &res, grad));
        g_assert_cmpfloat (fabs (res.base_return - res.backward_return), <=, 1e-9);
        worst_return = MAX (worst_return, fabs (res.base_return - res.backward_return));

        for (int i = 0; i < nf; i++)
          {
            double th[5];

            memcpy (th, theta, sizeof th);
            th[i] = theta[i] + eps;
            fd[i] = forward_return (planner, pl, th, SIM_PLANNER_BETA);
            th[i] = theta[i] - eps;
            fd[i] -= forward_return (planner, pl, th, SIM_PLANNER_BETA);
            fd[i] /= 2 * eps;
            diff2 += (fd[i] - grad[i]) * (fd[i] - grad[i]);
            norm2 += fd[i] * fd[i];
          }
        g_assert_cmpfloat (norm2, >, 1e-8);
        worst = MAX (worst, sqrt (diff2 / norm2));
        g_assert_cmpfloat (sqrt (diff2 / norm2), <=, 1e-4);
      }
  g_test_message ("worst relative gradient error %.3g, worst |forward - backward| %.3g", worst,
                  worst_return);
  custom_free (&c);
}

/* The exp-domain recursion and the log-domain one give the same answer; extreme β makes the
 * fast path bail out and the result stays finite and right. */
static void
test_safe_mode (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) fast = sim_planner_new ();
  g_autoptr (SimPlanner) safe = sim_planner_new ();
  double theta[5];
  double g1[5], g2[5];
  SimPlanResult r1, r2;
  Custom c;

  sim_planner_set_safe_mode (safe, TRUE);
  gsl_rng_set (rng, 5);
  custom_init (&c, 7, 6, 14, 5, medium_map, rng);
  {
    g_autoptr (SimPlanLevel) pl = custom_plan (&c, SIM_SIGHT_RADIUS, 2);
    double betas[] = { 0.5, 10.0, 80.0, 400.0, 5000.0 };

    for (guint k = 0; k < G_N_ELEMENTS (betas); k++)
      {
        random_theta (rng, theta, 5, 1.0);
        sim_planner_solve (fast, pl, theta, betas[k], &r1, g1);
        sim_planner_solve (safe, pl, theta, betas[k], &r2, g2);
        g_assert_true (isfinite (r1.base_return));
        g_assert_cmpfloat_with_epsilon (r1.base_return, r2.base_return, 1e-9);
        g_assert_cmpfloat_with_epsilon (r1.target, r2.target, 1e-9);
        g_assert_cmpfloat_with_epsilon (r1.proxy, r2.proxy, 1e-9);
        for (int i = 0; i < 5; i++)
          g_assert_cmpfloat (fabs (g1[i] - g2[i]), <=, 1e-7 * (1.0 + fabs (g2[i])));
      }
  }
  /* Huge β on a long horizon spreads the values beyond the exp-domain range. */
  g_assert_cmpuint (sim_planner_get_n_fallbacks (fast), >, 0);
  g_assert_cmpuint (sim_planner_get_n_fallbacks (safe), ==, 0);
  custom_free (&c);
}

/* Probabilities add up, on scenario levels: entering the target, entering lava and being alive
 * at T are disjoint and together certain, and the proxy rate counts a part of those alive at
 * T, so target + lava + proxy ≤ 1 is what proxy ≤ alive comes to (the result does not report
 * the alive rate itself, so the sum cannot be closed to 1 here). With full sight, the exported
 * policy's action probabilities sum to 1 in every state and step. */
static void
test_scenario_levels (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  SimScenarioKind scenarios[] = { SIM_SCENARIO_COIN, SIM_SCENARIO_GREEN_EXIT };

  gsl_rng_set (rng, 9);
  for (guint k = 0; k < G_N_ELEMENTS (scenarios); k++)
    for (int i = 0; i < 20; i++)
      {
        int grid = i % 2 ? 8 : 12;
        g_autoptr (SimLevel) level = sim_scenario_generate (scenarios[k], grid,
                                                            i % 3 ? SIM_DIST_TRAIN : SIM_DIST_TEST,
                                                            rng);
        int nf = sim_features_count (scenarios[k], TRUE);
        g_autoptr (SimPlanLevel) pl = sim_plan_level_new (level, TRUE, (SimSight) (i % 3), 3);
        g_autoptr (SimPolicy) policy = NULL;
        double theta[SIM_MAX_FEATURES];
        double grad[SIM_MAX_FEATURES];
        SimPlanResult res;
        SimOutcome out;

        random_theta (rng, theta, nf, 0.5);
        g_assert_true (sim_planner_solve (planner, pl, theta, SIM_PLANNER_BETA, &res, grad));
        g_assert_cmpfloat (res.target, >=, 0.0);
        g_assert_cmpfloat (res.lava, >=, 0.0);
        g_assert_cmpfloat (res.proxy, >=, 0.0);
        g_assert_cmpfloat (res.target + res.lava + res.proxy, <=, 1.0 + 1e-12);
        g_assert_cmpfloat (fabs (res.base_return - res.backward_return), <=, 1e-9);

        /* With full sight, the exported policy evaluated independently gives the same. */
        if (sim_plan_level_get_sight (pl) == SIM_SIGHT_FULL)
          {
            policy = sim_planner_policy (theta, level, TRUE, SIM_PLANNER_BETA);
            sim_policy_evaluate (policy, level, &out);
            g_assert_cmpfloat_with_epsilon (out.target, res.target, 1e-12);
            g_assert_cmpfloat_with_epsilon (out.proxy, res.proxy, 1e-12);
            g_assert_cmpfloat_with_epsilon (out.base_return, res.base_return, 1e-12);
            for (gsize j = 0; j < (gsize) policy->horizon * policy->n_states; j++)
              {
                double sum = 0.0;

                for (int a = 0; a < NA; a++)
                  sum += policy->prob[j * NA + a];
                g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
              }
          }
      }
}

/* Sampled episodes agree with the exact rates (two-phase sampling included). */
static void
test_sampling (void)
{
  g_autoptr (gsl_rng) rng = gsl_rng_alloc (gsl_rng_mt19937);
  g_autoptr (SimPlanner) planner = sim_planner_new ();
  double theta[5];
  Custom c;

  gsl_rng_set (rng, 21);
  custom_init (&c, 7, 6, 14, 5, medium_map, rng);
  {
    g_autoptr (SimPlanLevel) pl = custom_plan (&c, SIM_SIGHT_RADIUS, 2);
    int cells[15];
    int hits = 0;
    const int n_episodes = 4000;
    SimPlanResult res;

    theta[0] = 0.6; theta[1] = 0.1; theta[2] = -0.2; theta[3] = 0.3; theta[4] = -0.1;
    sim_planner_solve (planner, pl, theta, SIM_PLANNER_BETA, &res, NULL);
    for (int i = 0; i < n_episodes; i++)
      {
        int len = sim_planner_sample (planner, pl, theta, SIM_PLANNER_BETA, rng, cells);

        g_assert_cmpint (len, >=, 1);
        g_assert_cmpint (len, <=, 15);
        g_assert_cmpint (cells[0], ==, c.level->start);
        if (c.target[cells[len - 1]])
          hits++;
      }
    /* Four standard deviations of a binomial proportion. */
    g_assert_cmpfloat (fabs ((double) hits / n_episodes - res.target), <=,
                       4 * sqrt (0.25 / n_episodes) + 1e-9);
  }
  custom_free (&c);
}

static void
test_ball (void)
{
  double a[3] = { 3.0, 4.0, 0.0 };
  double b[3] = { 0.1, -0.2, 0.3 };

  sim_ball_project (a, 3);
  g_assert_cmpfloat_with_epsilon (a[0], 0.6, 1e-15);
  g_assert_cmpfloat_with_epsilon (a[1], 0.8, 1e-15);
  sim_ball_project (b, 3);
  g_assert_cmpfloat (b[0], ==, 0.1);
  g_assert_cmpfloat (b[2], ==, 0.3);
}

static void
test_bad_spec (void)
{
  SimPlanSpec spec = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SimPlanLevel) pl = NULL;

  pl = sim_plan_level_new_from_spec (&spec, &error);
  g_assert_null (pl);
  g_assert_nonnull (error);

  /* A level whose policy would not fit in memory is refused, not allocated. */
  {
    g_autoptr (SimLevel) huge = sim_level_new (SIM_SCENARIO_COIN, 64, 64, 5000);
    double theta[7] = { 0 };

    huge->cells[64 * 64 - 1] = SIM_CELL_COIN;
    g_assert_null (sim_plan_level_new (huge, TRUE, SIM_SIGHT_FULL, 0));
    g_assert_null (sim_planner_policy (theta, huge, TRUE, SIM_PLANNER_BETA));
    huge->horizon = 3 * 64;
    pl = sim_plan_level_new (huge, TRUE, SIM_SIGHT_FULL, 0);
    g_assert_nonnull (pl);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_func ("/engine/agents/planner/reference", test_reference);
  g_test_add_func ("/engine/agents/planner/sight-matters", test_sight_matters);
  g_test_add_func ("/engine/agents/planner/gradient", test_gradient);
  g_test_add_func ("/engine/agents/planner/safe-mode", test_safe_mode);
  g_test_add_func ("/engine/agents/planner/scenario-levels", test_scenario_levels);
  g_test_add_func ("/engine/agents/planner/sampling", test_sampling);
  g_test_add_func ("/engine/agents/planner/ball", test_ball);
  g_test_add_func ("/engine/agents/planner/bad-spec", test_bad_spec);
  return g_test_run ();
}
