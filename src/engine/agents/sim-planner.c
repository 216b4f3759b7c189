/* sim-planner.c: the planner agent: soft value iteration on the perceived map, exact evaluation
 * under the real dynamics, and the exact gradient of the expected base return
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-planner.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>

#include "sim-scenario.h"

#define NA SIM_N_ACTIONS
#define MAX_CUSTOM_FEATURES 64

/* A level holds up to two plans: the one the agent follows once it perceives the target
 * ("seen") and the one it follows before ("unseen"). */
enum
{
  PLAN_SEEN,
  PLAN_UNSEEN,
  N_PLANS
};

/* Limits of the exp-domain recursion. A state whose best successor sits more than about
 * 575/β below the best state of the same time step leaves the safe range, and the solve is
 * redone in the log domain. Values below FLUSH are set to zero so no denormal number ever
 * enters the hot loop. */
#define MIN_NORMALISER 1e-290
#define MIN_PARTITION 1e-250
#define FLUSH 1e-300

struct _SimPlanLevel
{
  SimLevel *level;            /* owned ref: moves, start and horizon */
  int n_cells;
  int horizon;
  int start;
  int n_features;
  SimSight sight;
  int radius;
  gboolean uses[N_PLANS];     /* which plans this sight needs */

  int *next;                  /* n_cells * NA successor of every (s, a) */
  double *phi[N_PLANS];       /* n_cells * n_features, NULL for an unused plan */
  guint8 *model_terminal[N_PLANS];
  int *active[N_PLANS];       /* cells solved by each plan: not walls, not terminal in its model */
  int n_active[N_PLANS];
  int *terminal_list[N_PLANS]; /* non-wall cells terminal in the plan's model */
  int n_terminal[N_PLANS];

  guint8 *terminal;           /* real terminal cells */
  guint8 *target;
  guint8 *proxy;
  guint8 *lava;
  guint8 *near;               /* cells from which the target is perceived (radius sight) */
  double *base_reward;
};

struct _SimPlanner
{
  gsize cap_cells;
  gsize cap_steps;            /* horizon * n_cells capacity of the time-indexed arrays */

  double *reward[N_PLANS];    /* θ·φ(s) in the plan's model */
  double *pi[N_PLANS];        /* horizon * n_cells * NA */
  double *wb[N_PLANS];        /* horizon * n_cells: value of entering s' at step t (real) */
  double *vb[N_PLANS];        /* (horizon + 1) * n_cells: Vb_t(s) */

  /* Scratch for the backward pass. */
  double *er;
  double *y;
  double *y_new;
  double *e;

  /* Scratch for the forward pass. */
  double *d[N_PLANS];
  double *d_next[N_PLANS];
  double *rho[N_PLANS];
  double *rho_next[N_PLANS];
  double *u[N_PLANS];

  gboolean safe;
  guint64 n_fallbacks;
  int depth;                  /* planning depth; 0 = the whole remaining episode */
};

/* Prepared levels. */

void
sim_plan_level_free (SimPlanLevel *pl)
{
  if (pl == NULL)
    return;
  g_clear_pointer (&pl->level, sim_level_unref);
  g_free (pl->next);
  for (int p = 0; p < N_PLANS; p++)
    {
      g_free (pl->phi[p]);
      g_free (pl->model_terminal[p]);
      g_free (pl->active[p]);
      g_free (pl->terminal_list[p]);
    }
  g_free (pl->terminal);
  g_free (pl->target);
  g_free (pl->proxy);
  g_free (pl->lava);
  g_free (pl->near);
  g_free (pl->base_reward);
  g_free (pl);
}

static void
build_plan_lists (SimPlanLevel *pl,
                  int           p)
{
  const guint8 *cells = pl->level->cells;
  int n = pl->n_cells;

  pl->active[p] = g_new (int, n);
  pl->terminal_list[p] = g_new (int, n);
  pl->n_active[p] = 0;
  pl->n_terminal[p] = 0;
  for (int s = 0; s < n; s++)
    {
      if (cells[s] == SIM_CELL_WALL)
        continue;
      if (pl->model_terminal[p][s])
        pl->terminal_list[p][pl->n_terminal[p]++] = s;
      else
        pl->active[p][pl->n_active[p]++] = s;
    }
}

/**
 * sim_plan_level_new_from_spec:
 * @spec: the level's arrays; every one is copied
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): a prepared level, or %NULL with @error set when @spec
 *   is inconsistent or too large
 */
SimPlanLevel *
sim_plan_level_new_from_spec (const SimPlanSpec  *spec,
                              GError            **error)
{
  g_autoptr (SimPlanLevel) pl = NULL;
  const SimLevel *level;
  int n, nf;
  int n_targets = 0;

  g_return_val_if_fail (spec != NULL, NULL);

  level = spec->level;
  if (level == NULL || level->width < 1 || level->height < 1 || level->horizon < 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "plan level: no level, or a level without cells or horizon");
      return NULL;
    }
  n = level->width * level->height;
  nf = spec->n_features;
  if ((gint64) n * level->horizon > SIM_PLANNER_MAX_STEPS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "plan level: %d cells over %d steps is more than the planner handles "
                   "(at most %d state-steps)", n, level->horizon, SIM_PLANNER_MAX_STEPS);
      return NULL;
    }
  if (nf < 1 || nf > MAX_CUSTOM_FEATURES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "plan level: %d features (expected 1 to %d)", nf, MAX_CUSTOM_FEATURES);
      return NULL;
    }
  if (level->start < 0 || level->start >= n || level->cells[level->start] == SIM_CELL_WALL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "plan level: the start cell %d is outside the map or a wall", level->start);
      return NULL;
    }
  if ((guint) spec->sight >= SIM_N_SIGHTS || spec->radius < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "plan level: unknown sight or negative radius");
      return NULL;
    }
  if (spec->phi == NULL || spec->terminal == NULL || spec->target == NULL ||
      spec->proxy == NULL || spec->base_reward == NULL ||
      (spec->sight != SIM_SIGHT_FULL && spec->phi_unseen == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "plan level: a required array is missing");
      return NULL;
    }
  for (int s = 0; s < n; s++)
    {
      if (spec->target[s] && !spec->terminal[s])
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "plan level: target cell %d is not terminal", s);
          return NULL;
        }
      n_targets += spec->target[s] != 0;
    }
  for (gsize i = 0; i < (gsize) n * nf; i++)
    if (!isfinite (spec->phi[i]) || (spec->phi_unseen != NULL && !isfinite (spec->phi_unseen[i])))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "plan level: feature value %" G_GSIZE_FORMAT " is not finite", i);
        return NULL;
      }

  pl = g_new0 (SimPlanLevel, 1);
  pl->level = sim_level_ref ((SimLevel *) level);
  pl->n_cells = n;
  pl->horizon = level->horizon;
  pl->start = level->start;
  pl->n_features = nf;
  pl->sight = spec->sight;
  pl->radius = spec->radius;

  pl->next = g_new (int, (gsize) n * NA);
  for (int s = 0; s < n; s++)
    for (int a = 0; a < NA; a++)
      pl->next[s * NA + a] = sim_level_step (level, s, (SimAction) a);

  pl->terminal = g_memdup2 (spec->terminal, n);
  pl->target = g_memdup2 (spec->target, n);
  pl->proxy = g_memdup2 (spec->proxy, n);
  pl->lava = spec->lava != NULL ? g_memdup2 (spec->lava, n) : g_new0 (guint8, n);
  pl->base_reward = g_memdup2 (spec->base_reward, sizeof (double) * n);
  pl->near = g_new0 (guint8, n);

  pl->uses[PLAN_SEEN] = spec->sight != SIM_SIGHT_HIDDEN;
  pl->uses[PLAN_UNSEEN] = spec->sight != SIM_SIGHT_FULL && n_targets > 0;
  if (spec->sight != SIM_SIGHT_FULL && n_targets == 0)
    {
      /* Nothing to hide: the agent sees the whole level. */
      pl->uses[PLAN_SEEN] = TRUE;
      pl->sight = SIM_SIGHT_FULL;
    }

  if (pl->uses[PLAN_SEEN])
    {
      pl->phi[PLAN_SEEN] = g_memdup2 (spec->phi, sizeof (double) * n * nf);
      pl->model_terminal[PLAN_SEEN] = g_memdup2 (spec->terminal, n);
      build_plan_lists (pl, PLAN_SEEN);
    }
  if (pl->uses[PLAN_UNSEEN])
    {
      pl->phi[PLAN_UNSEEN] = g_memdup2 (spec->phi_unseen, sizeof (double) * n * nf);
      pl->model_terminal[PLAN_UNSEEN] = g_new (guint8, n);
      for (int s = 0; s < n; s++)
        pl->model_terminal[PLAN_UNSEEN][s] = spec->terminal[s] && !spec->target[s];
      build_plan_lists (pl, PLAN_UNSEEN);
    }

  if (pl->sight == SIM_SIGHT_RADIUS)
    {
      int w = level->width;

      for (int s = 0; s < n; s++)
        {
          if (!spec->target[s])
            continue;
          for (int s2 = 0; s2 < n; s2++)
            if (ABS (s % w - s2 % w) + ABS (s / w - s2 / w) <= spec->radius)
              pl->near[s2] = 1;
        }
    }

  return g_steal_pointer (&pl);
}

/**
 * sim_plan_level_new:
 * @level: a coin or green-exit level; it is referenced, not copied
 * @near_corner: whether the coin scenario's near_corner feature is included
 * @sight: how the agent perceives the target on this level
 * @radius: the perception radius for %SIM_SIGHT_RADIUS
 *
 * Returns: (transfer full) (nullable): a prepared level, or %NULL when @level is larger than
 *   %SIM_PLANNER_MAX_STEPS
 */
SimPlanLevel *
sim_plan_level_new (const SimLevel *level,
                    gboolean        near_corner,
                    SimSight        sight,
                    int             radius)
{
  int n, nf;
  double theta_base[SIM_MAX_FEATURES];
  g_autofree double *phi = NULL;
  g_autofree double *phi_unseen = NULL;
  g_autofree guint8 *terminal = NULL;
  g_autofree guint8 *target = NULL;
  g_autofree guint8 *proxy = NULL;
  g_autofree guint8 *lava = NULL;
  g_autofree double *base_reward = NULL;
  g_autoptr (GError) error = NULL;
  SimPlanSpec spec = { 0 };
  SimPlanLevel *pl;

  g_return_val_if_fail (level != NULL, NULL);
  g_return_val_if_fail (level->scenario == SIM_SCENARIO_COIN ||
                        level->scenario == SIM_SCENARIO_GREEN_EXIT, NULL);

  n = level->width * level->height;
  if ((gint64) n * level->horizon > SIM_PLANNER_MAX_STEPS)
    return NULL;
  nf = sim_features_count (level->scenario, near_corner);
  phi = g_new (double, (gsize) n * nf);
  sim_features_compute (level, near_corner, TRUE, phi);
  if (sight != SIM_SIGHT_FULL)
    {
      phi_unseen = g_new (double, (gsize) n * nf);
      sim_features_compute (level, near_corner, FALSE, phi_unseen);
    }
  terminal = g_new (guint8, n);
  target = g_new (guint8, n);
  lava = g_new (guint8, n);
  proxy = g_new (guint8, n);
  base_reward = g_new (double, n);
  sim_level_proxy_mask (level, proxy);
  sim_features_base (level->scenario, near_corner, theta_base);
  for (int s = 0; s < n; s++)
    {
      SimCell cell = (SimCell) level->cells[s];
      double r = 0.0;

      terminal[s] = sim_cell_is_terminal (cell);
      target[s] = sim_cell_is_target (level->scenario, cell);
      lava[s] = cell == SIM_CELL_LAVA;
      for (int f = 0; f < nf; f++)
        r += theta_base[f] * phi[(gsize) s * nf + f];
      base_reward[s] = r;
    }

  spec.level = level;
  spec.n_features = nf;
  spec.phi = phi;
  spec.phi_unseen = phi_unseen;
  spec.terminal = terminal;
  spec.target = target;
  spec.proxy = proxy;
  spec.lava = lava;
  spec.base_reward = base_reward;
  spec.sight = sight;
  spec.radius = radius;
  pl = sim_plan_level_new_from_spec (&spec, &error);
  if (pl == NULL)
    g_critical ("Cannot prepare a level for the planner: %s", error->message);
  return pl;
}

const SimLevel *
sim_plan_level_get_level (const SimPlanLevel *pl)
{
  return pl->level;
}

int
sim_plan_level_get_n_features (const SimPlanLevel *pl)
{
  return pl->n_features;
}

SimSight
sim_plan_level_get_sight (const SimPlanLevel *pl)
{
  return pl->sight;
}

/* The workspace. */

SimPlanner *
sim_planner_new (void)
{
  return g_new0 (SimPlanner, 1);
}

void
sim_planner_set_depth (SimPlanner *self,
                       int         depth)
{
  g_return_if_fail (self != NULL && depth >= 0);
  self->depth = depth;
}

int
sim_planner_get_depth (SimPlanner *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->depth;
}

/* The first time step whose policy the backward pass plans with its full remaining horizon:
 * with depth H < T, a step t < T − H looks H steps ahead, exactly as step T − H does, so the
 * recursion stops there and the earlier steps take its policy (a receding horizon). */
static int
first_planned (const SimPlanner   *self,
               const SimPlanLevel *pl)
{
  return self->depth > 0 && self->depth < pl->horizon ? pl->horizon - self->depth : 0;
}

static void
free_buffers (SimPlanner *self)
{
  for (int p = 0; p < N_PLANS; p++)
    {
      g_clear_pointer (&self->reward[p], g_free);
      g_clear_pointer (&self->pi[p], g_free);
      g_clear_pointer (&self->wb[p], g_free);
      g_clear_pointer (&self->vb[p], g_free);
      g_clear_pointer (&self->d[p], g_free);
      g_clear_pointer (&self->d_next[p], g_free);
      g_clear_pointer (&self->rho[p], g_free);
      g_clear_pointer (&self->rho_next[p], g_free);
      g_clear_pointer (&self->u[p], g_free);
    }
  g_clear_pointer (&self->er, g_free);
  g_clear_pointer (&self->y, g_free);
  g_clear_pointer (&self->y_new, g_free);
  g_clear_pointer (&self->e, g_free);
  self->cap_cells = 0;
  self->cap_steps = 0;
}

void
sim_planner_free (SimPlanner *self)
{
  if (self == NULL)
    return;
  free_buffers (self);
  g_free (self);
}

/* Makes every buffer large enough for pl; allocates only when a bigger level comes by. */
static void
ensure_buffers (SimPlanner         *self,
                const SimPlanLevel *pl)
{
  gsize n = pl->n_cells;
  gsize steps = (gsize) pl->horizon * n;

  if (n <= self->cap_cells && steps <= self->cap_steps)
    return;
  n = MAX (n, self->cap_cells);
  steps = MAX (steps, self->cap_steps);
  free_buffers (self);
  for (int p = 0; p < N_PLANS; p++)
    {
      self->reward[p] = g_new0 (double, n);
      self->pi[p] = g_new0 (double, steps * NA);
      self->wb[p] = g_new0 (double, steps);
      self->vb[p] = g_new0 (double, steps + n);
      self->d[p] = g_new0 (double, n);
      self->d_next[p] = g_new0 (double, n);
      self->rho[p] = g_new0 (double, n);
      self->rho_next[p] = g_new0 (double, n);
      self->u[p] = g_new0 (double, n);
    }
  self->er = g_new0 (double, n);
  self->y = g_new0 (double, n);
  self->y_new = g_new0 (double, n);
  self->e = g_new0 (double, n);
  self->cap_cells = n;
  self->cap_steps = steps;
}

void
sim_planner_set_safe_mode (SimPlanner *self,
                           gboolean    safe)
{
  self->safe = safe;
}

guint64
sim_planner_get_n_fallbacks (SimPlanner *self)
{
  return self->n_fallbacks;
}

/* Soft value iteration in the exp domain. With Y_t(s) = exp(β V_t(s) − c_t) and one shift c_t
 * per time step, Σ_a exp(β Q_t(s,a)) needs no exp() or log() per state: only the cells'
 * exp(β r(s')) (once per solve), one log per time step and one exp per terminal cell.
 * Returns FALSE when a number leaves the safe range; the caller then uses backward_safe(). */
static gboolean
backward_fast (SimPlanner         *self,
               const SimPlanLevel *pl,
               int                 p,
               double              beta)
{
  const int n = pl->n_cells;
  const int *next = pl->next;
  const int *active = pl->active[p];
  const int n_active = pl->n_active[p];
  const int *tlist = pl->terminal_list[p];
  const int n_term = pl->n_terminal[p];
  const double *r = self->reward[p];
  double *er = self->er;
  double *y = self->y;
  double *y_new = self->y_new;
  double *e = self->e;
  double rmax = -G_MAXDOUBLE;
  double bc = 0.0;

  if (n_active == 0)
    return TRUE;
  for (int k = 0; k < n_active; k++)
    rmax = MAX (rmax, r[active[k]]);
  for (int k = 0; k < n_active; k++)
    {
      int s = active[k];

      er[s] = exp (beta * (r[s] - rmax));
      y[s] = 1.0;
    }
  if (!isfinite (beta * rmax))
    return FALSE;

  for (int t = pl->horizon - 1; t >= first_planned (self, pl); t--)
    {
      double *pi_t = self->pi[p] + (gsize) t * n * NA;
      double emax = 0.0;
      double l_nonterminal, l_max, factor;

      for (int k = 0; k < n_active; k++)
        {
          int s = active[k];
          double v = er[s] * y[s];

          e[s] = v;
          emax = v > emax ? v : emax;
        }
      if (!(emax >= MIN_NORMALISER) || !isfinite (emax))
        return FALSE;
      l_nonterminal = log (emax) + beta * rmax;
      l_max = l_nonterminal;
      for (int j = 0; j < n_term; j++)
        l_max = MAX (l_max, beta * r[tlist[j]] - bc);
      if (!isfinite (l_max))
        return FALSE;

      /* Every successor value relative to exp(c_t), so the largest is 1. */
      factor = exp (l_nonterminal - l_max) / emax;
      for (int k = 0; k < n_active; k++)
        {
          int s = active[k];
          double v = e[s] * factor;

          e[s] = v < FLUSH ? 0.0 : v;
        }
      for (int j = 0; j < n_term; j++)
        {
          double v = exp (beta * r[tlist[j]] - bc - l_max);

          e[tlist[j]] = v < FLUSH ? 0.0 : v;
        }
      bc += l_max;

      for (int k = 0; k < n_active; k++)
        {
          int s = active[k];
          const int *nx = next + s * NA;
          double *ps = pi_t + s * NA;
          double e0 = e[nx[0]], e1 = e[nx[1]], e2 = e[nx[2]], e3 = e[nx[3]], e4 = e[nx[4]];
          double z = (e0 + e1) + (e2 + e3) + e4;
          double iz;

          if (!(z >= MIN_PARTITION))
            return FALSE;
          iz = 1.0 / z;
          ps[0] = e0 * iz;
          ps[1] = e1 * iz;
          ps[2] = e2 * iz;
          ps[3] = e3 * iz;
          ps[4] = e4 * iz;
          y_new[s] = z;
        }
      {
        double *tmp = y;
        y = y_new;
        y_new = tmp;
      }
    }
  return TRUE;
}

/* Soft value iteration in the log domain: log-sum-exp with the maximum subtracted, per state.
 * Slower (five exp() and one log() per state) but safe for any finite reward and β. */
static void
backward_safe (SimPlanner         *self,
               const SimPlanLevel *pl,
               int                 p,
               double              beta)
{
  const int n = pl->n_cells;
  const int *next = pl->next;
  const int *active = pl->active[p];
  const int n_active = pl->n_active[p];
  const int *tlist = pl->terminal_list[p];
  const int n_term = pl->n_terminal[p];
  const double *r = self->reward[p];
  double *v = self->y;
  double *v_new = self->y_new;
  double *w = self->e;

  for (int k = 0; k < n_active; k++)
    v[active[k]] = 0.0;
  for (int j = 0; j < n_term; j++)
    w[tlist[j]] = r[tlist[j]];

  for (int t = pl->horizon - 1; t >= first_planned (self, pl); t--)
    {
      double *pi_t = self->pi[p] + (gsize) t * n * NA;

      for (int k = 0; k < n_active; k++)
        w[active[k]] = r[active[k]] + v[active[k]];
      for (int k = 0; k < n_active; k++)
        {
          int s = active[k];
          const int *nx = next + s * NA;
          double *ps = pi_t + s * NA;
          double q[NA];
          double m = -G_MAXDOUBLE;
          double z = 0.0;

          for (int a = 0; a < NA; a++)
            {
              q[a] = w[nx[a]];
              m = MAX (m, q[a]);
            }
          for (int a = 0; a < NA; a++)
            {
              ps[a] = exp (beta * (q[a] - m));
              z += ps[a];
            }
          for (int a = 0; a < NA; a++)
            ps[a] /= z;
          v_new[s] = m + log (z) / beta;
        }
      {
        double *tmp = v;
        v = v_new;
        v_new = tmp;
      }
    }
}

static void
compute_rewards (SimPlanner         *self,
                 const SimPlanLevel *pl,
                 const double       *theta)
{
  const int nf = pl->n_features;

  for (int p = 0; p < N_PLANS; p++)
    {
      const double *phi = pl->phi[p];
      double *r = self->reward[p];

      if (!pl->uses[p])
        continue;
      for (int s = 0; s < pl->n_cells; s++)
        {
          const double *f = phi + (gsize) s * nf;
          double acc = 0.0;

          for (int i = 0; i < nf; i++)
            acc += theta[i] * f[i];
          r[s] = acc;
        }
    }
}

/* The backward soft VI of every plan the level uses; fills self->pi (the steps before
 * first_planned() with that step's policy). */
static gint64
solve_plans (SimPlanner         *self,
             const SimPlanLevel *pl,
             const double       *theta,
             double              beta)
{
  gint64 updates = 0;
  int t0 = first_planned (self, pl);
  gsize row = (gsize) pl->n_cells * NA;

  compute_rewards (self, pl, theta);
  for (int p = 0; p < N_PLANS; p++)
    {
      if (!pl->uses[p])
        continue;
      if (self->safe || !backward_fast (self, pl, p, beta))
        {
          if (!self->safe)
            self->n_fallbacks++;
          backward_safe (self, pl, p, beta);
        }
      for (int t = 0; t < t0; t++)
        memcpy (self->pi[p] + t * row, self->pi[p] + t0 * row, sizeof (double) * row);
      updates += (gint64) (pl->horizon - t0) * pl->n_active[p];
    }
  return updates;
}

/* Backward policy evaluation of the base reward under the real dynamics: Vb_t(s) for every
 * plan, and Wb_t(s') = rb(s') + (1 − term(s')) Vb_{t+1}(s') (the phase after entering s'). The
 * seen plan goes first: the unseen plan's continuation switches to it inside the radius. */
static void
evaluate_base_backward (SimPlanner         *self,
                        const SimPlanLevel *pl)
{
  const int n = pl->n_cells;
  const int T = pl->horizon;
  const int *next = pl->next;
  const guint8 *term = pl->terminal;
  const guint8 *near = pl->near;
  const double *rb = pl->base_reward;
  static const int order[N_PLANS] = { PLAN_SEEN, PLAN_UNSEEN };

  for (int i = 0; i < N_PLANS; i++)
    {
      int p = order[i];
      const int *active = pl->active[p];
      const int n_active = pl->n_active[p];
      const double *vb_seen = self->vb[PLAN_SEEN];
      double *vb = self->vb[p];

      if (!pl->uses[p])
        continue;
      memset (vb, 0, sizeof (double) * (gsize) (T + 1) * n);
      for (int t = T - 1; t >= 0; t--)
        {
          const double *pi_t = self->pi[p] + (gsize) t * n * NA;
          const double *vb_next = vb + (gsize) (t + 1) * n;
          const double *vbs_next = vb_seen + (gsize) (t + 1) * n;
          double *wb_t = self->wb[p] + (gsize) t * n;
          double *vb_t = vb + (gsize) t * n;

          if (p == PLAN_UNSEEN && pl->uses[PLAN_SEEN])
            {
              for (int s = 0; s < n; s++)
                wb_t[s] = rb[s] + (term[s] ? 0.0 : (near[s] ? vbs_next[s] : vb_next[s]));
            }
          else
            {
              for (int s = 0; s < n; s++)
                wb_t[s] = rb[s] + (term[s] ? 0.0 : vb_next[s]);
            }
          for (int k = 0; k < n_active; k++)
            {
              int s = active[k];
              const int *nx = next + s * NA;
              const double *ps = pi_t + s * NA;

              vb_t[s] = ps[0] * wb_t[nx[0]] + ps[1] * wb_t[nx[1]] + ps[2] * wb_t[nx[2]] +
                        ps[3] * wb_t[nx[3]] + ps[4] * wb_t[nx[4]];
            }
        }
    }
}

static int
start_plan (const SimPlanLevel *pl)
{
  switch (pl->sight)
    {
    case SIM_SIGHT_HIDDEN:
      return PLAN_UNSEEN;
    case SIM_SIGHT_RADIUS:
      return pl->near[pl->start] ? PLAN_SEEN : PLAN_UNSEEN;
    case SIM_SIGHT_FULL:
    case SIM_N_SIGHTS:
    default:
      return PLAN_SEEN;
    }
}

/* Forward propagation of the state distribution under the real dynamics, with the adjoint of
 * the successor-feature recursion riding along when a gradient is wanted:
 *   ∇J = β Σ_t Σ_s d_t(s) Σ_a π_t(a|s) M_t(s,a) (Qb_t(s,a) − Vb_t(s)),
 *   M_t(s,a) = φ(s') + (1 − term(s')) G_{t+1}(s'),  G_t(s) = Σ_a π_t(a|s) M_t(s,a).
 * Unrolling G, the total weight on M_t(s,a) is w = π (β d A + ρ_t(s)), where ρ_t(s) is the
 * weight carried to G_t(s) by earlier steps; every w lands on φ(s'), and on ρ_{t+1}(s') when
 * s' is not terminal in the plan's model. So ∇J = Σ_s u(s) φ(s) with u(s') = Σ w. */
static void
forward (SimPlanner         *self,
         const SimPlanLevel *pl,
         double              beta,
         gboolean            want_grad,
         SimPlanResult      *res)
{
  const int n = pl->n_cells;
  const int T = pl->horizon;
  const int *next = pl->next;
  const guint8 *term = pl->terminal;
  const guint8 *target = pl->target;
  const guint8 *lava = pl->lava;
  const guint8 *near = pl->near;
  const double *rb = pl->base_reward;
  const gboolean two_phase = pl->uses[PLAN_SEEN] && pl->uses[PLAN_UNSEEN];
  const int t0 = first_planned (self, pl);
  double ret = 0.0, tgt = 0.0, lv = 0.0, px = 0.0;

  for (int p = 0; p < N_PLANS; p++)
    {
      if (!pl->uses[p])
        continue;
      memset (self->d[p], 0, sizeof (double) * n);
      memset (self->d_next[p], 0, sizeof (double) * n);
      if (want_grad)
        {
          memset (self->rho[p], 0, sizeof (double) * n);
          memset (self->rho_next[p], 0, sizeof (double) * n);
          memset (self->u[p], 0, sizeof (double) * n);
        }
    }
  self->d[start_plan (pl)][pl->start] = 1.0;

  /* A level that starts on a terminal cell has nothing left to play. */
  if (term[pl->start])
    goto done;

  for (int t = 0; t < T; t++)
    {
      for (int p = 0; p < N_PLANS; p++)
        {
          const int *active = pl->active[p];
          const int n_active = pl->n_active[p];
          const guint8 *mterm = pl->model_terminal[p];
          const double *pi_t = self->pi[p] + (gsize) t * n * NA;
          const double *wb_t = self->wb[p] + (gsize) t * n;
          const double *vb_t = self->vb[p] + (gsize) t * n;
          const double *d = self->d[p];
          const double *rho = self->rho[p];
          double *d_same = self->d_next[p];
          double *d_seen = self->d_next[PLAN_SEEN];
          double *rho_next = self->rho_next[p];
          double *u = self->u[p];

          if (!pl->uses[p])
            continue;
          for (int k = 0; k < n_active; k++)
            {
              int s = active[k];
              const int *nx = next + s * NA;
              const double *ps = pi_t + s * NA;
              double ds = d[s];
              double rs = want_grad ? rho[s] : 0.0;

              if (ds == 0.0 && rs == 0.0)
                continue;
              for (int a = 0; a < NA; a++)
                {
                  int s2 = nx[a];
                  double pr = ps[a];

                  if (ds != 0.0)
                    {
                      double m = ds * pr;

                      ret += m * rb[s2];
                      if (term[s2])
                        {
                          if (target[s2])
                            tgt += m;
                          if (lava[s2])
                            lv += m;
                        }
                      else if (two_phase && p == PLAN_UNSEEN && near[s2])
                        d_seen[s2] += m;
                      else
                        d_same[s2] += m;
                    }
                  if (want_grad)
                    {
                      double wgt = pr * (beta * ds * (wb_t[s2] - vb_t[s]) + rs);

                      u[s2] += wgt;
                      if (!mterm[s2])
                        rho_next[s2] += wgt;
                    }
                }
            }
        }
      for (int p = 0; p < N_PLANS; p++)
        {
          double *tmp;

          if (!pl->uses[p])
            continue;
          tmp = self->d[p];
          self->d[p] = self->d_next[p];
          self->d_next[p] = tmp;
          memset (self->d_next[p], 0, sizeof (double) * n);
          /* Before first_planned(), every step's M is that step's, whose G is at
           * first_planned() + 1: the weight gathers there, and no G before it is used. */
          if (want_grad && t >= t0)
            {
              tmp = self->rho[p];
              self->rho[p] = self->rho_next[p];
              self->rho_next[p] = tmp;
              memset (self->rho_next[p], 0, sizeof (double) * n);
            }
        }
    }

done:
  for (int p = 0; p < N_PLANS; p++)
    {
      if (!pl->uses[p])
        continue;
      for (int s = 0; s < n; s++)
        if (pl->proxy[s])
          px += self->d[p][s];
    }
  res->base_return = ret;
  res->target = tgt;
  res->proxy = px;
  res->lava = lv;
}

/**
 * sim_planner_solve:
 * @self: a planner workspace
 * @plan_level: a prepared level
 * @theta: (array): the agent's objective, one weight per feature
 * @beta: the inverse temperature, positive
 * @result: (out caller-allocates) (optional): the exact outcome
 * @grad: (out caller-allocates) (array) (optional): ∇θ of the expected base return
 *
 * Returns: %TRUE, or %FALSE for invalid arguments
 */
gboolean
sim_planner_solve (SimPlanner         *self,
                   const SimPlanLevel *pl,
                   const double       *theta,
                   double              beta,
                   SimPlanResult      *result,
                   double             *grad)
{
  SimPlanResult res = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (pl != NULL, FALSE);
  g_return_val_if_fail (theta != NULL, FALSE);
  g_return_val_if_fail (beta > 0 && isfinite (beta), FALSE);

  for (int i = 0; i < pl->n_features; i++)
    g_return_val_if_fail (isfinite (theta[i]), FALSE);

  ensure_buffers (self, pl);
  solve_plans (self, pl, theta, beta);
  if (grad != NULL)
    evaluate_base_backward (self, pl);
  forward (self, pl, beta, grad != NULL, &res);

  res.backward_return = NAN;
  if (grad != NULL)
    {
      const int nf = pl->n_features;
      int p0 = start_plan (pl);

      res.backward_return = pl->terminal[pl->start]
                              ? 0.0
                              : self->vb[p0][pl->start];
      memset (grad, 0, sizeof (double) * nf);
      for (int p = 0; p < N_PLANS; p++)
        {
          const double *u = self->u[p];
          const double *phi = pl->phi[p];

          if (!pl->uses[p])
            continue;
          for (int s = 0; s < pl->n_cells; s++)
            {
              const double *f = phi + (gsize) s * nf;

              if (u[s] == 0.0)
                continue;
              for (int i = 0; i < nf; i++)
                grad[i] += u[s] * f[i];
            }
        }
    }
  if (result != NULL)
    *result = res;
  return TRUE;
}

gint64
sim_planner_soft_vi (SimPlanner         *self,
                     const SimPlanLevel *pl,
                     const double       *theta,
                     double              beta)
{
  g_return_val_if_fail (self != NULL && pl != NULL && theta != NULL, 0);
  g_return_val_if_fail (beta > 0 && isfinite (beta), 0);

  ensure_buffers (self, pl);
  return solve_plans (self, pl, theta, beta);
}

int
sim_planner_sample (SimPlanner         *self,
                    const SimPlanLevel *pl,
                    const double       *theta,
                    double              beta,
                    gsl_rng            *rng,
                    int                *cells)
{
  const int n = pl->n_cells;
  int s = pl->start;
  int p = start_plan (pl);
  int count = 0;

  g_return_val_if_fail (self != NULL && pl != NULL && theta != NULL, 0);
  g_return_val_if_fail (rng != NULL && cells != NULL, 0);
  g_return_val_if_fail (beta > 0 && isfinite (beta), 0);

  ensure_buffers (self, pl);
  solve_plans (self, pl, theta, beta);

  cells[count++] = s;
  if (pl->terminal[s])
    return count;
  for (int t = 0; t < pl->horizon; t++)
    {
      const double *ps = self->pi[p] + ((gsize) t * n + s) * NA;
      double u = gsl_rng_uniform (rng);
      double acc = 0.0;
      int a;

      for (a = 0; a < NA - 1; a++)
        {
          acc += ps[a];
          if (u < acc)
            break;
        }
      s = pl->next[s * NA + a];
      cells[count++] = s;
      if (pl->terminal[s])
        break;
      if (p == PLAN_UNSEEN && pl->uses[PLAN_SEEN] && pl->near[s])
        p = PLAN_SEEN;
    }
  return count;
}

static GPrivate policy_planner = G_PRIVATE_INIT ((GDestroyNotify) sim_planner_free);

/**
 * sim_planner_policy_at_depth:
 * @theta: (array): the agent's objective
 * @level: a coin or green-exit level, fully perceived
 * @near_corner: whether θ includes the near_corner feature
 * @beta: the inverse temperature
 * @depth: the planning depth (see sim_planner_set_depth()), 0 for the whole episode
 *
 * Returns: (transfer full) (nullable): the time-indexed soft-optimal policy
 */
SimPolicy *
sim_planner_policy (const double   *theta,
                    const SimLevel *level,
                    gboolean        near_corner,
                    double          beta)
{
  return sim_planner_policy_at_depth (theta, level, near_corner, beta, 0);
}

SimPolicy *
sim_planner_policy_at_depth (const double   *theta,
                             const SimLevel *level,
                             gboolean        near_corner,
                             double          beta,
                             int             depth)
{
  g_autoptr (SimPlanLevel) pl = NULL;
  SimPlanner *planner;
  SimPolicy *policy;
  int n;

  g_return_val_if_fail (theta != NULL && level != NULL, NULL);
  g_return_val_if_fail (beta > 0 && isfinite (beta), NULL);

  pl = sim_plan_level_new (level, near_corner, SIM_SIGHT_FULL, 0);
  if (pl == NULL)
    return NULL;
  /* One workspace per thread, kept: its buffers grow to the largest level and are reused, so
   * the policies of a probe battery do not each fault in fresh pages. */
  planner = g_private_get (&policy_planner);
  if (planner == NULL)
    {
      planner = sim_planner_new ();
      g_private_set (&policy_planner, planner);
    }
  planner->depth = MAX (depth, 0);
  ensure_buffers (planner, pl);
  solve_plans (planner, pl, theta, beta);

  n = pl->n_cells;
  /* Cells the agent never decides in (walls, terminal cells) keep a uniform row. */
  policy = sim_policy_new_uniform (pl->horizon, n);
  for (int t = 0; t < pl->horizon; t++)
    for (int k = 0; k < pl->n_active[PLAN_SEEN]; k++)
      {
        int s = pl->active[PLAN_SEEN][k];
        gsize off = ((gsize) t * n + s) * NA;

        memcpy (policy->prob + off, planner->pi[PLAN_SEEN] + off, sizeof (double) * NA);
      }
  return policy;
}
