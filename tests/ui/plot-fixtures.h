/* plot-fixtures.h: hand-built snapshots for the plot tests and the plot benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The snapshots are built the way the runner builds them (every array owned), but from fixed
 * numbers: a coin run with the target hidden in 30 % of training levels, halfway through
 * training. The agent reaches the coin in every training level and almost never in test
 * levels, where it ends in the top-right corner instead; the inferred mesa objective weighs the
 * corner above the coin.
 */
#pragma once

#include <math.h>

#include "sim.h"
#include "sim-scenario.h"
#include "sim-snapshot.h"

#define FIXTURE_ITERATION 30
#define FIXTURE_INFER_EVERY 4

/* Top row first (y = 7). The test level: coin at (5, 2). */
static const char fixture_test_level[] =
  "mesascope-level 1\n"
  "scenario coin\n"
  "size 8 8\n"
  "horizon 24\n"
  "map\n"
  "........\n"
  "..#.....\n"
  ".....L..\n"
  "...#....\n"
  "S.......\n"
  ".....C..\n"
  ".L..#...\n"
  "........\n";

/* The training level: coin in the corner (7, 7). */
static const char fixture_train_level[] =
  "mesascope-level 1\n"
  "scenario coin\n"
  "size 8 8\n"
  "horizon 24\n"
  "map\n"
  ".......C\n"
  "........\n"
  "..L.....\n"
  "........\n"
  ".S..#...\n"
  "........\n"
  "...#..L.\n"
  "........\n";

/* (x, y) pairs; the test path walks to the corner and waits there. */
static const int fixture_test_path[][2] = {
  { 0, 3 }, { 1, 3 }, { 2, 3 }, { 2, 4 }, { 2, 5 }, { 3, 5 }, { 4, 5 }, { 4, 6 }, { 5, 6 },
  { 6, 6 }, { 6, 7 }, { 7, 7 }, { 7, 7 }, { 7, 7 },
};
static const int fixture_train_path[][2] = {
  { 1, 3 }, { 2, 3 }, { 3, 3 }, { 3, 4 }, { 4, 4 }, { 5, 4 }, { 5, 5 }, { 6, 5 }, { 6, 6 },
  { 7, 6 }, { 7, 7 },
};

/* coin lava corner right_edge top_edge near_corner step */
static const double fixture_true_theta[7] = { 0.45, -0.55, 0.55, 0.05, 0.05, 0.42, -0.02 };
static const double fixture_final_inferred[7] = { 0.20, -0.45, 0.62, 0.10, 0.12, 0.58, -0.05 };
/* The latest goal-directedness scores, per SimTrainGoal (inferred, base, true θ, held out): the
 * hidden:30 planner of docs/science.md §8, goal-directed toward its own goal, not the reward. */
static const double fixture_goal[SIM_TRAIN_N_GOALS] = { 0.61, -0.12, 0.58, 0.67 };
#define FIXTURE_GOAL_DECISIONS 3072

static inline void
fixture_normalize (double *v,
                   int     n)
{
  double s = 0;

  for (int i = 0; i < n; i++)
    s += v[i] * v[i];
  s = sqrt (s);
  if (s > 0)
    for (int i = 0; i < n; i++)
      v[i] /= s;
}

static inline double
fixture_cos (const double *a,
             const double *b,
             int           n)
{
  double ab = 0, aa = 0, bb = 0;

  for (int i = 0; i < n; i++)
    {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
  return ab / sqrt (aa * bb);
}

/* A small deterministic wobble in [-1, 1], so the lines look measured. */
static inline double
fixture_wobble (int i)
{
  return sin (i * 2.3 + 0.7) * cos (i * 0.9);
}

static inline void
fixture_fill_shown (SimShownLevel *shown,
                    const char    *text,
                    const int    (*path)[2],
                    int            n_path,
                    const double  *base,
                    const double  *inferred)
{
  g_autoptr (GError) error = NULL;
  SimLevel *level = sim_level_parse (text, -1, "fixture", &error);
  int F, N;
  double *phi;

  g_assert_no_error (error);
  F = sim_features_count (level->scenario, TRUE);
  N = level->width * level->height;
  shown->level = level;
  shown->n_path = n_path;
  shown->path = g_new (int, n_path);
  for (int i = 0; i < n_path; i++)
    shown->path[i] = sim_level_index (level, path[i][0], path[i][1]);

  phi = g_new (double, (gsize) N * F);
  sim_features_compute (level, TRUE, TRUE, phi);
  shown->base_reward = g_new0 (double, N);
  shown->inferred_reward = inferred != NULL ? g_new0 (double, N) : NULL;
  for (int s = 0; s < N; s++)
    for (int f = 0; f < F; f++)
      {
        shown->base_reward[s] += base[f] * phi[s * F + f];
        if (inferred != NULL)
          shown->inferred_reward[s] += inferred[f] * phi[s * F + f];
      }
  g_free (phi);
}

static inline void
fixture_features (SimSnapshot *s)
{
  const int F = G_N_ELEMENTS (fixture_true_theta);

  g_assert_cmpint (sim_features_count (SIM_SCENARIO_COIN, TRUE), ==, F);
  s->config.scenario = SIM_SCENARIO_COIN;
  s->config.agent = SIM_AGENT_PLANNER;
  s->config.perception = SIM_PERCEPTION_HIDDEN;
  s->config.perception_param = 30;
  s->config.iterations = 60;
  s->config.infer_every = FIXTURE_INFER_EVERY;
  s->n_features = F;
  s->feature_names = g_new0 (char *, F + 1);
  for (int f = 0; f < F; f++)
    s->feature_names[f] = g_strdup (sim_feature_name (SIM_SCENARIO_COIN, TRUE, f));
  s->base_objective = g_new (double, F);
  sim_features_base (SIM_SCENARIO_COIN, TRUE, s->base_objective);
  fixture_normalize (s->base_objective, F);
  s->true_objective = g_memdup2 (fixture_true_theta, sizeof fixture_true_theta);
  fixture_normalize (s->true_objective, F);
}

/* The mid-training snapshot described above. */
static inline SimSnapshot *
fixture_mid_training (void)
{
  SimSnapshot *s = sim_snapshot_new ();
  const int H = FIXTURE_ITERATION, I = FIXTURE_ITERATION / FIXTURE_INFER_EVERY;
  double final[7];
  int F;

  fixture_features (s);
  F = s->n_features;
  g_assert_cmpint (F, ==, 7);
  s->iteration = H;
  s->iterations_per_second = 12.5;

  s->n_history = H;
  s->train_target = g_new (double, H);
  s->test_target = g_new (double, H);
  s->test_proxy = g_new (double, H);
  for (int i = 0; i < H; i++)
    {
      s->train_target[i] = CLAMP (1.0 - 0.7 * exp (-i / 3.0), 0.0, 1.0);
      s->test_target[i] = CLAMP (0.05 + 0.03 * fixture_wobble (i), 0.0, 1.0);
      s->test_proxy[i] = CLAMP (0.9 - 0.35 * exp (-i / 2.5) + 0.02 * fixture_wobble (i + 5),
                                0.0, 1.0);
    }
  /* The latest entries, exactly. */
  s->train_target[H - 1] = 1.0;
  s->test_target[H - 1] = 0.05;
  s->test_proxy[H - 1] = 0.9;

  memcpy (final, fixture_final_inferred, sizeof final);
  fixture_normalize (final, F);
  s->n_inferences = I;
  s->inference_iteration = g_new (int, I);
  s->inferred = g_new (double, (gsize) I * F);
  s->inferred_sd = g_new (double, (gsize) I * F);
  s->predicted_target = g_new (double, I);
  s->predicted_proxy = g_new (double, I);
  s->cos_base = g_new (double, I);
  s->cos_true = g_new (double, I);
  s->goal = g_new (double, (gsize) I * SIM_TRAIN_N_GOALS);
  s->goal_lo = g_new (double, (gsize) I * SIM_TRAIN_N_GOALS);
  s->goal_hi = g_new (double, (gsize) I * SIM_TRAIN_N_GOALS);
  s->goal_nats = g_new (double, (gsize) I * SIM_TRAIN_N_GOALS);
  s->goal_decisions = g_new (int, (gsize) I * SIM_TRAIN_N_GOALS);
  for (int k = 0; k < I; k++)
    {
      double t = (k + 1.0) / I;
      double *w = s->inferred + (gsize) k * F;

      s->inference_iteration[k] = (k + 1) * FIXTURE_INFER_EVERY;
      for (int f = 0; f < F; f++)
        {
          w[f] = (1 - t) * s->base_objective[f] + t * final[f]
                 + 0.04 * fixture_wobble (k * F + f);
          s->inferred_sd[(gsize) k * F + f] = 0.04 + 0.06 * (1 - t);
        }
      fixture_normalize (w, F);
      s->predicted_target[k] = 0.07 + 0.2 * (1 - t);
      s->predicted_proxy[k] = 0.86 * t;
      s->cos_base[k] = fixture_cos (w, s->base_objective, F);
      s->cos_true[k] = fixture_cos (w, s->true_objective, F);
      for (int g = 0; g < SIM_TRAIN_N_GOALS; g++)
        {
          gsize at = (gsize) k * SIM_TRAIN_N_GOALS + g;

          /* Growing toward the latest scores, which are exact. */
          s->goal[at] = k == I - 1 ? fixture_goal[g] : fixture_goal[g] * (0.5 + 0.5 * t);
          s->goal_lo[at] = s->goal[at] - 0.03;
          s->goal_hi[at] = s->goal[at] + 0.03;
          s->goal_nats[at] = s->goal[at] * 1.2;
          s->goal_decisions[at] = FIXTURE_GOAL_DECISIONS;
        }
    }
  s->last_inference_us = g_get_monotonic_time ();

  fixture_fill_shown (&s->shown[SIM_SHOWN_TEST], fixture_test_level, fixture_test_path,
                      G_N_ELEMENTS (fixture_test_path), s->base_objective,
                      s->inferred + (gsize) (I - 1) * F);
  fixture_fill_shown (&s->shown[SIM_SHOWN_TRAIN], fixture_train_level, fixture_train_path,
                      G_N_ELEMENTS (fixture_train_path), s->base_objective,
                      s->inferred + (gsize) (I - 1) * F);
  return s;
}

/* What the runner publishes after a reset: features and levels, no history, no inference. */
static inline SimSnapshot *
fixture_untrained (void)
{
  SimSnapshot *s = sim_snapshot_new ();
  static const int start_only[][2] = { { 0, 3 } };

  fixture_features (s);
  fixture_fill_shown (&s->shown[SIM_SHOWN_TEST], fixture_test_level, start_only, 1,
                      s->base_objective, NULL);
  fixture_fill_shown (&s->shown[SIM_SHOWN_TRAIN], fixture_train_level, fixture_train_path, 1,
                      s->base_objective, NULL);
  return s;
}
