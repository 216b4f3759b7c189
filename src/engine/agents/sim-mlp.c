/* sim-mlp.c: the network agent of docs/science.md §9: a small multilayer perceptron policy
 * over an egocentric view of the level, trained by REINFORCE with Adam and an entropy bonus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_randist.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sim-scenario.h"

#define LEARNING_RATE     3e-3
#define ADAM_BETA1        0.9
#define ADAM_BETA2        0.999
#define ADAM_EPSILON      1e-8
#define ENTROPY_START     0.1
#define ENTROPY_END       0.01
#define ENTROPY_FRACTION  0.7     /* the bonus falls over the first 70 % of the updates */
#define INIT_SCALE_1      0.3     /* first layer: about a dozen inputs are active at once */
#define INIT_SCALE_2      0.01    /* output layer: the untrained policy is nearly uniform */
#define MAX_DENSE         3       /* x, y and, for keys and chests, the keys in hand */

struct _SimMlp
{
  SimConfig config;
  gsl_rng *rng;           /* owned; the only source of randomness */
  gboolean keys;          /* the keys-chests scenario */
  int window;             /* W: the view reaches W cells each way */
  int side;               /* 2W + 1 */
  int n_channels;         /* per window cell */
  int n_dense;            /* the inputs after the window: x, y (and the keys in hand) */
  int n_inputs;
  int n_params;
  double *params;         /* owned; the layout of sim_mlp_params() */
  double *grad;           /* owned workspaces of the update */
  double *adam_m;
  double *adam_v;
  int updates_done;
  double last_return;
  double base_reward[SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE];
};

/* The parts of params as GSL views. */
typedef struct
{
  double *w1;             /* n_inputs × H, row i the weights of input i */
  gsl_vector_view b1;
  gsl_matrix_view w2;     /* A × H */
  gsl_vector_view b2;
} Layers;

static void
layers_of (const SimMlp *mlp,
           double       *params,
           Layers       *l)
{
  double *p = params;

  l->w1 = p;
  p += (gsize) mlp->n_inputs * SIM_MLP_HIDDEN;
  l->b1 = gsl_vector_view_array (p, SIM_MLP_HIDDEN);
  p += SIM_MLP_HIDDEN;
  l->w2 = gsl_matrix_view_array (p, SIM_N_ACTIONS, SIM_MLP_HIDDEN);
  p += SIM_N_ACTIONS * SIM_MLP_HIDDEN;
  l->b2 = gsl_vector_view_array (p, SIM_N_ACTIONS);
}

SimMlp *
sim_mlp_new (const SimConfig *config)
{
  SimMlp *mlp;
  Layers l;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (sim_config_validate (config, NULL), NULL);

  mlp = g_new0 (SimMlp, 1);
  mlp->config = *config;
  mlp->rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (mlp->rng, config->seed);
  mlp->keys = config->scenario == SIM_SCENARIO_KEYS_CHESTS;
  mlp->window = config->grid - 1;
  mlp->side = 2 * mlp->window + 1;
  mlp->n_channels = mlp->keys ? SIM_MLP_KEYS_CHANNELS : SIM_MLP_CHANNELS;
  mlp->n_dense = mlp->keys ? 3 : 2;
  mlp->n_inputs = mlp->side * mlp->side * mlp->n_channels + mlp->n_dense;
  mlp->n_params = (mlp->n_inputs + 1 + SIM_N_ACTIONS) * SIM_MLP_HIDDEN + SIM_N_ACTIONS;
  mlp->params = g_new0 (double, mlp->n_params);
  mlp->grad = g_new0 (double, mlp->n_params);
  mlp->adam_m = g_new0 (double, mlp->n_params);
  mlp->adam_v = g_new0 (double, mlp->n_params);
  mlp->last_return = NAN;

  /* Weights in a fixed order from the seeded generator; biases start at 0. */
  layers_of (mlp, mlp->params, &l);
  for (gsize i = 0; i < (gsize) mlp->n_inputs * SIM_MLP_HIDDEN; i++)
    l.w1[i] = INIT_SCALE_1 * gsl_ran_gaussian_ziggurat (mlp->rng, 1.0);
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    for (int j = 0; j < SIM_MLP_HIDDEN; j++)
      gsl_matrix_set (&l.w2.matrix, a, j, INIT_SCALE_2 * gsl_ran_gaussian_ziggurat (mlp->rng, 1.0));
  return mlp;
}

void
sim_mlp_free (SimMlp *mlp)
{
  if (mlp == NULL)
    return;
  gsl_rng_free (mlp->rng);
  g_free (mlp->params);
  g_free (mlp->grad);
  g_free (mlp->adam_m);
  g_free (mlp->adam_v);
  g_free (mlp);
}

int
sim_mlp_n_inputs (const SimMlp *mlp)
{
  return mlp->n_inputs;
}

int
sim_mlp_n_params (const SimMlp *mlp)
{
  return mlp->n_params;
}

double *
sim_mlp_params (SimMlp *mlp)
{
  return mlp->params;
}

int
sim_mlp_updates_done (SimMlp *mlp)
{
  return mlp->updates_done;
}

double
sim_mlp_last_return (SimMlp *mlp)
{
  return mlp->last_return;
}

double
sim_mlp_entropy_coef (int k)
{
  double f = k / (ENTROPY_FRACTION * SIM_MLP_UPDATES);

  return ENTROPY_START + (ENTROPY_END - ENTROPY_START) * MIN (f, 1.0);
}

/* Observations. */

/* The first input of the window cell at (dx, dy) from the agent, or −1 outside the window. */
static inline int
window_input (const SimMlp *mlp,
              int           dx,
              int           dy)
{
  if (abs (dx) > mlp->window || abs (dy) > mlp->window)
    return -1;
  return ((dy + mlp->window) * mlp->side + (dx + mlp->window)) * mlp->n_channels;
}

static gboolean
target_seen (const SimLevel *level,
             int             s,
             int             cell,
             int             target_radius)
{
  int d;

  if (target_radius == SIM_MLP_TARGET_SEEN)
    return TRUE;
  if (target_radius == SIM_MLP_TARGET_HIDDEN)
    return FALSE;
  d = abs (s % level->width - cell % level->width) + abs (s / level->width - cell / level->width);
  return d <= target_radius;
}

int
sim_mlp_observe (const SimMlp   *mlp,
                 const SimLevel *level,
                 int             s,
                 int             target_radius,
                 int            *active,
                 double         *pos)
{
  int w = level->width, h = level->height;
  int x0 = s % w, y0 = s / w;
  int n = 0;

  g_return_val_if_fail (!mlp->keys, 0);

  /* Cells in order of index, so that the active inputs come out sorted; a level larger than
   * the run's grid is seen only as far as the window reaches. */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int c = y * w + x;
        int base = window_input (mlp, x - x0, y - y0);

        if (base < 0)
          continue;
        switch ((SimCell) level->cells[c])
          {
          case SIM_CELL_WALL:
            active[n++] = base + SIM_MLP_WALL;
            break;
          case SIM_CELL_LAVA:
            active[n++] = base + SIM_MLP_LAVA;
            break;
          case SIM_CELL_COIN:
            if (target_seen (level, s, c, target_radius))
              active[n++] = base + SIM_MLP_COIN;
            break;
          case SIM_CELL_EXIT:
            if (target_seen (level, s, c, target_radius))
              active[n++] = base + SIM_MLP_EXIT;
            break;
          case SIM_CELL_GREEN:
            active[n++] = base + SIM_MLP_GREEN;
            break;
          case SIM_CELL_EXIT_GREEN:
            if (target_seen (level, s, c, target_radius))
              active[n++] = base + SIM_MLP_EXIT;
            active[n++] = base + SIM_MLP_GREEN;
            break;
          case SIM_CELL_FLOOR:
          case SIM_CELL_KEY:
          case SIM_CELL_CHEST:
          case SIM_N_CELLS:
          default:
            break;
          }
      }
  pos[0] = w > 1 ? 2.0 * x0 / (w - 1) - 1.0 : 0.0;
  pos[1] = h > 1 ? 2.0 * y0 / (h - 1) - 1.0 : 0.0;
  return n;
}

int
sim_mlp_observe_keys (const SimMlp         *mlp,
                      const SimKeysEpisode *ep,
                      int                   target_radius,
                      int                  *active,
                      double               *dense)
{
  const SimLevel *level;
  int w, h, x0, y0;
  int n = 0;

  g_return_val_if_fail (mlp != NULL && ep != NULL && ep->level != NULL, 0);
  g_return_val_if_fail (mlp->keys, 0);

  level = ep->level;
  w = level->width;
  h = level->height;
  x0 = ep->cell % w;
  y0 = ep->cell / w;
  /* The episode's layout: keys taken and chests opened are floor. */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int c = y * w + x;
        int base = window_input (mlp, x - x0, y - y0);

        if (base < 0)
          continue;
        switch ((SimCell) ep->layout[c])
          {
          case SIM_CELL_WALL:
            active[n++] = base + SIM_MLP_KEYS_WALL;
            break;
          case SIM_CELL_KEY:
            active[n++] = base + SIM_MLP_KEYS_KEY;
            break;
          case SIM_CELL_CHEST:
            if (target_seen (level, ep->cell, c, target_radius))
              active[n++] = base + SIM_MLP_KEYS_CHEST;
            break;
          default:
            break;
          }
      }
  dense[0] = w > 1 ? 2.0 * x0 / (w - 1) - 1.0 : 0.0;
  dense[1] = h > 1 ? 2.0 * y0 / (h - 1) - 1.0 : 0.0;
  dense[2] = ep->held / SIM_MLP_KEYS_HELD_SCALE;
  return n;
}

/* y += alpha·x over the hidden layer, in the order and with the early return of BLAS daxpy,
 * so that results stay bitwise those of gsl_blas_daxpy() without its call per row. */
static inline void
axpy_hidden (double        alpha,
             const double *x,
             double       *y)
{
  if (alpha == 0.0)
    return;
  for (int j = 0; j < SIM_MLP_HIDDEN; j++)
    y[j] += alpha * x[j];
}

/* The forward pass of one observation: hidden activations and action probabilities. */
static void
forward (const SimMlp *mlp,
         double       *params,
         const int    *active,
         int           n_active,
         const double *pos,
         double       *hidden,
         double       *probs)
{
  Layers l;
  const int n_window = mlp->n_inputs - mlp->n_dense;
  const double *w2;
  double best, sum = 0.0;

  layers_of (mlp, params, &l);
  w2 = l.w2.matrix.data;
  /* The input is one-hot but for the position: the first layer adds rows of W1. */
  memcpy (hidden, l.b1.vector.data, sizeof (double) * SIM_MLP_HIDDEN);
  for (int k = 0; k < n_active; k++)
    axpy_hidden (1.0, l.w1 + (gsize) active[k] * SIM_MLP_HIDDEN, hidden);
  for (int k = 0; k < mlp->n_dense; k++)
    axpy_hidden (pos[k], l.w1 + (gsize) (n_window + k) * SIM_MLP_HIDDEN, hidden);
  for (int j = 0; j < SIM_MLP_HIDDEN; j++)
    hidden[j] = tanh (hidden[j]);

  /* Logits b2 + W2·h, each dot product summed in order as BLAS dgemv does. */
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    {
      double dot = 0.0;

      for (int j = 0; j < SIM_MLP_HIDDEN; j++)
        dot += hidden[j] * w2[a * SIM_MLP_HIDDEN + j];
      probs[a] = l.b2.vector.data[a] + dot;
    }
  best = probs[0];
  for (int a = 1; a < SIM_N_ACTIONS; a++)
    best = MAX (best, probs[a]);
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    {
      probs[a] = exp (probs[a] - best);
      sum += probs[a];
    }
  for (int a = 0; a < SIM_N_ACTIONS; a++)
    probs[a] /= sum;
}

static int
max_active (const SimLevel *level)
{
  /* At most two inputs per cell (an exit on green). */
  return 2 * level->width * level->height;
}

void
sim_mlp_action_probs (SimMlp         *mlp,
                      const SimLevel *level,
                      int             s,
                      int             target_radius,
                      double         *probs)
{
  g_autofree int *active = NULL;
  double pos[2], hidden[SIM_MLP_HIDDEN];
  int n;

  g_return_if_fail (mlp != NULL && level != NULL && probs != NULL && !mlp->keys);
  g_return_if_fail (s >= 0 && s < level->width * level->height);

  active = g_new (int, max_active (level));
  n = sim_mlp_observe (mlp, level, s, target_radius, active, pos);
  forward (mlp, mlp->params, active, n, pos, hidden, probs);
}

void
sim_mlp_keys_action_probs (SimMlp               *mlp,
                           const SimKeysEpisode *ep,
                           int                   target_radius,
                           double               *probs)
{
  int active[SIM_LEVEL_MAX_SIZE * SIM_LEVEL_MAX_SIZE];
  double dense[MAX_DENSE], hidden[SIM_MLP_HIDDEN];
  int n;

  g_return_if_fail (mlp != NULL && ep != NULL && probs != NULL && mlp->keys);

  n = sim_mlp_observe_keys (mlp, ep, target_radius, active, dense);
  forward (mlp, mlp->params, active, n, dense, hidden, probs);
}

SimPolicy *
sim_mlp_policy (SimMlp         *mlp,
                const SimLevel *level,
                int             target_radius)
{
  g_autoptr (SimPolicy) policy = NULL;
  g_autofree int *active = NULL;
  int n;

  g_return_val_if_fail (mlp != NULL && level != NULL && !mlp->keys, NULL);

  n = level->width * level->height;
  policy = sim_policy_new (level->horizon, n);
  active = g_new (int, max_active (level));
  for (int s = 0; s < n; s++)
    {
      double pos[2], hidden[SIM_MLP_HIDDEN];
      int n_active = sim_mlp_observe (mlp, level, s, target_radius, active, pos);

      forward (mlp, mlp->params, active, n_active, pos, hidden,
               policy->prob + (gsize) s * SIM_N_ACTIONS);
    }
  /* Stationary: copy the first time step over the horizon. */
  for (int t = 1; t < policy->horizon; t++)
    memcpy (policy->prob + (gsize) t * n * SIM_N_ACTIONS, policy->prob,
            sizeof (double) * n * SIM_N_ACTIONS);
  return g_steal_pointer (&policy);
}

/* The network's stationary policy on one level, its forward passes done on demand. */
typedef struct
{
  SimMlp *mlp;
  const SimLevel *level;
  int target_radius;
  int *active;            /* workspace, max_active (level) */
  double *probs;          /* n_states × SIM_N_ACTIONS */
  guint8 *done;           /* n_states */
} LazyPolicy;

static const double *
lazy_probs (gpointer data,
            int      t,
            int      s)
{
  LazyPolicy *lp = data;
  double *probs = lp->probs + (gsize) s * SIM_N_ACTIONS;

  if (!lp->done[s])
    {
      double pos[2], hidden[SIM_MLP_HIDDEN];
      int n_active = sim_mlp_observe (lp->mlp, lp->level, s, lp->target_radius, lp->active, pos);

      forward (lp->mlp, lp->mlp->params, lp->active, n_active, pos, hidden, probs);
      lp->done[s] = TRUE;
    }
  return probs;
}

void
sim_mlp_evaluate (SimMlp         *mlp,
                  const SimLevel *level,
                  int             target_radius,
                  SimOutcome     *out)
{
  int n;
  g_autofree int *active = NULL;
  g_autofree double *probs = NULL;
  g_autofree guint8 *done = NULL;
  LazyPolicy lp;

  g_return_if_fail (mlp != NULL && level != NULL && out != NULL && !mlp->keys);

  n = level->width * level->height;
  active = g_new (int, max_active (level));
  probs = g_new (double, (gsize) n * SIM_N_ACTIONS);
  done = g_new0 (guint8, n);
  lp.mlp = mlp;
  lp.level = level;
  lp.target_radius = target_radius;
  lp.active = active;
  lp.probs = probs;
  lp.done = done;
  sim_policy_evaluate_func (level->horizon, level, lazy_probs, &lp, out);
}

/* Batches of episodes. */

#define PASS_SIZE (SIM_MLP_HIDDEN + SIM_N_ACTIONS)

typedef struct
{
  int active_start;       /* into the batch's active array */
  int n_active;
  double pos[MAX_DENSE];  /* the dense inputs */
  int action;
  double advantage;
  int pass;               /* into the batch's passes, in units of PASS_SIZE */
} Step;

struct _SimMlpBatch
{
  GArray *steps;          /* of Step */
  GArray *active;         /* of int */
  GArray *passes;         /* of double: each step's hidden layer then its action probabilities,
                           * as sampled with the parameters of the time */
  int n_episodes;
  double mean_return;
};

void
sim_mlp_batch_free (SimMlpBatch *batch)
{
  if (batch == NULL)
    return;
  g_array_unref (batch->steps);
  g_array_unref (batch->active);
  g_array_unref (batch->passes);
  g_free (batch);
}

double
sim_mlp_batch_mean_return (const SimMlpBatch *batch)
{
  return batch->mean_return;
}

static int
sample_action (const double *probs,
               gsl_rng      *rng)
{
  double u = gsl_rng_uniform (rng);
  double c = 0.0;

  for (int a = 0; a < SIM_N_ACTIONS - 1; a++)
    {
      c += probs[a];
      if (u < c)
        return a;
    }
  return SIM_N_ACTIONS - 1;
}

SimAction
sim_mlp_keys_act (SimMlp               *mlp,
                  const SimKeysEpisode *ep,
                  int                   target_radius,
                  gsl_rng              *rng)
{
  double probs[SIM_N_ACTIONS];

  g_return_val_if_fail (rng != NULL, SIM_ACTION_STAY);

  sim_mlp_keys_action_probs (mlp, ep, target_radius, probs);
  return (SimAction) sample_action (probs, rng);
}

/* Per-cell base reward θ_base·φ(s') with the target counted (the world pays it, seen or not). */
static void
base_rewards (const SimMlp   *mlp,
              const SimLevel *level,
              double         *reward)
{
  const int nf = sim_features_count (level->scenario, mlp->config.near_corner);
  int n = level->width * level->height;
  double base[SIM_MAX_FEATURES];
  g_autofree double *phi = g_new (double, (gsize) n * nf);

  sim_features_base (level->scenario, mlp->config.near_corner, base);
  sim_features_compute (level, mlp->config.near_corner, TRUE, phi);
  for (int s = 0; s < n; s++)
    {
      reward[s] = 0.0;
      for (int f = 0; f < nf; f++)
        reward[s] += base[f] * phi[(gsize) s * nf + f];
    }
}

/* One episode on level: appends its steps to batch and writes each step's reward. */
static int
run_episode (SimMlp         *mlp,
             SimMlpBatch    *batch,
             const SimLevel *level,
             int             target_radius,
             gsl_rng        *rng,
             double         *rewards)
{
  int s = level->start;
  int t;
  /* The step that first saw each cell: the observation depends on the cell alone, so a
   * revisit shares that step's inputs and forward pass. */
  g_autofree int *first_visit = g_new (int, level->width * level->height);

  for (int c = 0; c < level->width * level->height; c++)
    first_visit[c] = -1;
  base_rewards (mlp, level, mlp->base_reward);
  for (t = 0; t < level->horizon; t++)
    {
      Step step;
      const double *probs;
      int s2;

      if (first_visit[s] >= 0)
        {
          step = g_array_index (batch->steps, Step, first_visit[s]);
        }
      else
        {
          double *hidden;

          g_array_set_size (batch->active, batch->active->len + max_active (level));
          step.active_start = (int) batch->active->len - max_active (level);
          step.n_active = sim_mlp_observe (mlp, level, s, target_radius,
                                           &g_array_index (batch->active, int,
                                                           step.active_start),
                                           step.pos);
          g_array_set_size (batch->active, step.active_start + step.n_active);
          step.pass = (int) (batch->passes->len / PASS_SIZE);
          g_array_set_size (batch->passes, batch->passes->len + PASS_SIZE);
          hidden = &g_array_index (batch->passes, double, (gsize) step.pass * PASS_SIZE);
          forward (mlp, mlp->params, &g_array_index (batch->active, int, step.active_start),
                   step.n_active, step.pos, hidden, hidden + SIM_MLP_HIDDEN);
          first_visit[s] = (int) batch->steps->len;
        }
      probs = &g_array_index (batch->passes, double,
                              (gsize) step.pass * PASS_SIZE + SIM_MLP_HIDDEN);
      step.action = sample_action (probs, rng);
      step.advantage = 0.0;
      g_array_append_val (batch->steps, step);

      s2 = sim_level_step (level, s, (SimAction) step.action);
      rewards[t] = mlp->base_reward[s2];
      s = s2;
      if (sim_cell_is_terminal ((SimCell) level->cells[s]))
        {
          t++;
          break;
        }
    }
  return t;
}

/* One keys-chests episode on level under the rules of sim_keys_episode_apply(): appends its
 * steps to batch and writes each step's reward. The observation changes with what was taken
 * and the keys in hand, so every step has its own forward pass. */
static int
run_keys_episode (SimMlp         *mlp,
                  SimMlpBatch    *batch,
                  const SimLevel *level,
                  int             target_radius,
                  gsl_rng        *rng,
                  double         *rewards)
{
  const int room = level->width * level->height;
  g_autofree SimKeysEpisode *ep = g_new (SimKeysEpisode, 1);
  int t = 0;

  sim_keys_episode_reset (ep, level);
  while (!ep->done)
    {
      Step step;
      double *hidden;

      g_array_set_size (batch->active, batch->active->len + room);
      step.active_start = (int) batch->active->len - room;
      step.n_active = sim_mlp_observe_keys (mlp, ep, target_radius,
                                            &g_array_index (batch->active, int,
                                                            step.active_start),
                                            step.pos);
      g_array_set_size (batch->active, step.active_start + step.n_active);
      step.pass = (int) (batch->passes->len / PASS_SIZE);
      g_array_set_size (batch->passes, batch->passes->len + PASS_SIZE);
      hidden = &g_array_index (batch->passes, double, (gsize) step.pass * PASS_SIZE);
      forward (mlp, mlp->params, &g_array_index (batch->active, int, step.active_start),
               step.n_active, step.pos, hidden, hidden + SIM_MLP_HIDDEN);
      step.action = sample_action (hidden + SIM_MLP_HIDDEN, rng);
      step.advantage = 0.0;
      g_array_append_val (batch->steps, step);
      rewards[t++] = sim_keys_episode_apply (ep, (SimAction) step.action);
    }
  return t;
}

SimMlpBatch *
sim_mlp_sample_batch (SimMlp  *mlp,
                      gsl_rng *rng)
{
  const SimConfig *c = &mlp->config;
  const int horizon = sim_config_horizon (c);
  SimMlpBatch *batch = g_new0 (SimMlpBatch, 1);
  g_autofree double *rewards = g_new0 (double, (gsize) SIM_MLP_BATCH * horizon);
  g_autofree double *togo = g_new0 (double, (gsize) SIM_MLP_BATCH * horizon);
  int lengths[SIM_MLP_BATCH];
  int first[SIM_MLP_BATCH];
  g_autofree double *baseline = g_new0 (double, horizon);
  g_autofree int *alive = g_new0 (int, horizon);
  double mean = 0.0, var = 0.0, sd;
  int n_steps;

  batch->steps = g_array_new (FALSE, FALSE, sizeof (Step));
  batch->active = g_array_new (FALSE, FALSE, sizeof (int));
  batch->passes = g_array_new (FALSE, FALSE, sizeof (double));
  batch->n_episodes = SIM_MLP_BATCH;

  for (int e = 0; e < SIM_MLP_BATCH; e++)
    {
      SimDistribution dist;
      gboolean hidden;
      int target_radius;
      g_autoptr (SimLevel) level = NULL;

      /* The draws happen in a fixed order whatever the config, so configs share level
       * streams. */
      dist = gsl_rng_uniform (rng) * 100.0 < c->diversity ? SIM_DIST_TEST : SIM_DIST_TRAIN;
      level = sim_scenario_generate (c->scenario, c->grid, dist, rng);
      hidden = gsl_rng_uniform (rng) * 100.0 < c->perception_param &&
               c->perception == SIM_PERCEPTION_HIDDEN;
      if (c->perception == SIM_PERCEPTION_RADIUS)
        target_radius = c->perception_param;
      else
        target_radius = hidden ? SIM_MLP_TARGET_HIDDEN : SIM_MLP_TARGET_SEEN;

      first[e] = (int) batch->steps->len;
      if (mlp->keys)
        lengths[e] = run_keys_episode (mlp, batch, level, target_radius, rng,
                                       rewards + (gsize) e * horizon);
      else
        lengths[e] = run_episode (mlp, batch, level, target_radius, rng,
                                  rewards + (gsize) e * horizon);
      /* Undiscounted return-to-go. */
      for (int t = lengths[e] - 1; t >= 0; t--)
        togo[(gsize) e * horizon + t] = rewards[(gsize) e * horizon + t] +
                                        (t + 1 < lengths[e] ? togo[(gsize) e * horizon + t + 1]
                                                            : 0.0);
      batch->mean_return += lengths[e] > 0 ? togo[(gsize) e * horizon] : 0.0;
      for (int t = 0; t < lengths[e]; t++)
        {
          baseline[t] += togo[(gsize) e * horizon + t];
          alive[t]++;
        }
    }
  batch->mean_return /= SIM_MLP_BATCH;

  /* Advantages: return-to-go minus the mean over the episodes still running at that step,
   * divided by their standard deviation over the batch. */
  for (int t = 0; t < horizon; t++)
    if (alive[t] > 0)
      baseline[t] /= alive[t];
  n_steps = (int) batch->steps->len;
  for (int e = 0; e < SIM_MLP_BATCH; e++)
    for (int t = 0; t < lengths[e]; t++)
      {
        Step *step = &g_array_index (batch->steps, Step, first[e] + t);

        step->advantage = togo[(gsize) e * horizon + t] - baseline[t];
        mean += step->advantage / n_steps;
      }
  for (int i = 0; i < n_steps; i++)
    {
      double d = g_array_index (batch->steps, Step, i).advantage - mean;
      var += d * d / n_steps;
    }
  sd = sqrt (var);
  if (sd > 1e-8)
    for (int i = 0; i < n_steps; i++)
      g_array_index (batch->steps, Step, i).advantage /= sd;
  return batch;
}

/* The surrogate and its gradient; with sampled_params TRUE the parameters are those the batch
 * was sampled with, and its forward passes are reused instead of computed again. */
static double
surrogate (SimMlp            *mlp,
           const SimMlpBatch *batch,
           double             entropy_coef,
           gboolean           sampled_params,
           double            *grad)
{
  const int n_window = mlp->n_inputs - mlp->n_dense;
  const double scale = 1.0 / batch->n_episodes;
  Layers l, g;
  const double *w2;
  double *g_w1 = NULL, *g_b1 = NULL, *g_w2 = NULL, *g_b2 = NULL;
  double total = 0.0;

  layers_of (mlp, mlp->params, &l);
  w2 = l.w2.matrix.data;
  if (grad != NULL)
    {
      memset (grad, 0, sizeof (double) * mlp->n_params);
      layers_of (mlp, grad, &g);
      g_w1 = g.w1;
      g_b1 = g.b1.vector.data;
      g_w2 = g.w2.matrix.data;
      g_b2 = g.b2.vector.data;
    }

  for (guint i = 0; i < batch->steps->len; i++)
    {
      const Step *step = &g_array_index (batch->steps, Step, i);
      const int *active = &g_array_index (batch->active, int, step->active_start);
      double own_pass[PASS_SIZE];
      const double *hidden, *probs;
      double d_logits[SIM_N_ACTIONS], d_hidden[SIM_MLP_HIDDEN];
      double entropy = 0.0;

      if (sampled_params)
        {
          hidden = &g_array_index (batch->passes, double, (gsize) step->pass * PASS_SIZE);
        }
      else
        {
          forward (mlp, mlp->params, active, step->n_active, step->pos, own_pass,
                   own_pass + SIM_MLP_HIDDEN);
          hidden = own_pass;
        }
      probs = hidden + SIM_MLP_HIDDEN;
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        if (probs[a] > 0.0)
          entropy -= probs[a] * log (probs[a]);
      total += scale * (step->advantage * log (probs[step->action]) + entropy_coef * entropy);
      if (grad == NULL)
        continue;

      /* d/dz_k of A·log p_a is A·(δ_ka − p_k); of H it is −p_k·(log p_k + H). */
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        {
          double log_p = probs[a] > 0.0 ? log (probs[a]) : 0.0;

          d_logits[a] = scale * (step->advantage * ((a == step->action) - probs[a]) -
                                 entropy_coef * probs[a] * (log_p + entropy));
        }
      /* b2 += dz, W2 += dz·hᵀ and dh = W2ᵀ·dz, summed in the order of BLAS daxpy, dger and
       * dgemv so that the gradient stays bitwise the same. */
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        g_b2[a] += d_logits[a];
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        for (int j = 0; j < SIM_MLP_HIDDEN; j++)
          g_w2[a * SIM_MLP_HIDDEN + j] += hidden[j] * d_logits[a];
      memset (d_hidden, 0, sizeof d_hidden);
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        if (d_logits[a] != 0.0)
          for (int j = 0; j < SIM_MLP_HIDDEN; j++)
            d_hidden[j] += d_logits[a] * w2[a * SIM_MLP_HIDDEN + j];
      for (int j = 0; j < SIM_MLP_HIDDEN; j++)
        d_hidden[j] *= 1.0 - hidden[j] * hidden[j];
      axpy_hidden (1.0, d_hidden, g_b1);
      for (int k = 0; k < step->n_active; k++)
        axpy_hidden (1.0, d_hidden, g_w1 + (gsize) active[k] * SIM_MLP_HIDDEN);
      for (int k = 0; k < mlp->n_dense; k++)
        axpy_hidden (step->pos[k], d_hidden, g_w1 + (gsize) (n_window + k) * SIM_MLP_HIDDEN);
    }
  return total;
}

double
sim_mlp_surrogate (SimMlp            *mlp,
                   const SimMlpBatch *batch,
                   double             entropy_coef,
                   double            *grad)
{
  return surrogate (mlp, batch, entropy_coef, FALSE, grad);
}

/* One Adam step up the gradient in mlp->grad. */
static void
adam_step (SimMlp *mlp)
{
  int k = mlp->updates_done + 1;
  double c1 = 1.0 - pow (ADAM_BETA1, k);
  double c2 = 1.0 - pow (ADAM_BETA2, k);
  int i = 0;

#ifdef __SSE2__
  /* Two parameters at a time with the same IEEE operations in the same order as the loop
   * below, so bitwise its result; the compiler does not vectorize sqrt() itself. */
  {
    const __m128d beta1 = _mm_set1_pd (ADAM_BETA1), rest1 = _mm_set1_pd (1.0 - ADAM_BETA1);
    const __m128d beta2 = _mm_set1_pd (ADAM_BETA2), rest2 = _mm_set1_pd (1.0 - ADAM_BETA2);
    const __m128d rate = _mm_set1_pd (LEARNING_RATE), epsilon = _mm_set1_pd (ADAM_EPSILON);
    const __m128d c1v = _mm_set1_pd (c1), c2v = _mm_set1_pd (c2);

    for (; i + 1 < mlp->n_params; i += 2)
      {
        __m128d g = _mm_loadu_pd (mlp->grad + i);
        __m128d m = _mm_add_pd (_mm_mul_pd (beta1, _mm_loadu_pd (mlp->adam_m + i)),
                                _mm_mul_pd (rest1, g));
        __m128d v = _mm_add_pd (_mm_mul_pd (beta2, _mm_loadu_pd (mlp->adam_v + i)),
                                _mm_mul_pd (_mm_mul_pd (rest2, g), g));
        __m128d step = _mm_div_pd (_mm_mul_pd (rate, _mm_div_pd (m, c1v)),
                                   _mm_add_pd (_mm_sqrt_pd (_mm_div_pd (v, c2v)), epsilon));

        _mm_storeu_pd (mlp->adam_m + i, m);
        _mm_storeu_pd (mlp->adam_v + i, v);
        _mm_storeu_pd (mlp->params + i, _mm_add_pd (_mm_loadu_pd (mlp->params + i), step));
      }
  }
#endif
  for (; i < mlp->n_params; i++)
    {
      double gi = mlp->grad[i];

      mlp->adam_m[i] = ADAM_BETA1 * mlp->adam_m[i] + (1.0 - ADAM_BETA1) * gi;
      mlp->adam_v[i] = ADAM_BETA2 * mlp->adam_v[i] + (1.0 - ADAM_BETA2) * gi * gi;
      mlp->params[i] += LEARNING_RATE * (mlp->adam_m[i] / c1) /
                        (sqrt (mlp->adam_v[i] / c2) + ADAM_EPSILON);
    }
}

int
sim_mlp_train (SimMlp *mlp,
               int     n_updates)
{
  g_return_val_if_fail (mlp != NULL, 0);

  for (int i = 0; i < n_updates && mlp->updates_done < SIM_MLP_UPDATES; i++)
    {
      g_autoptr (SimMlpBatch) batch = sim_mlp_sample_batch (mlp, mlp->rng);

      /* The parameters have not changed since the batch was sampled. */
      surrogate (mlp, batch, sim_mlp_entropy_coef (mlp->updates_done), TRUE, mlp->grad);
      adam_step (mlp);
      mlp->last_return = batch->mean_return;
      mlp->updates_done++;
    }
  return mlp->updates_done;
}
