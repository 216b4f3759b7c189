/* gen-icy.c: writes the icy-gridworld MDP files of the peer comparison
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The standard example of the widely used Python MaxEnt IRL package: a 5×5 "icy" grid, 4
 * moves, with probability 0.2 a move is replaced by a uniformly random direction, moves off
 * the grid stay; one-hot state features; reward 1 at the top-right cell (terminal) and 0.65
 * at (3, 1); 200 demonstrations from (0, 0) by an expert that runs value iteration with
 * γ = 0.7 and picks moves with probabilities ∝ exp(5·U(next)), U the value of entering the
 * intended next cell. (The Python example weighs moves by V(next)^5 instead, and counts the
 * reward of the state left rather than the state entered.)
 *
 * Written for "mesascope-cli infer --mdp FILE [--causal]":
 *   icy-5-paths.json      γ = 1, no horizon: MaxEnt over the paths that end on the goal
 *   icy-5-causal.json     γ = 0.7: use with --causal
 *   icy-N-paths.json      N = 16, 32, 64, 128: 4 features [goal, bonus, x, y], horizon 2N,
 *   icy-N-causal.json     γ = 0.7; 200 greedy demonstrations of 2N steps
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "sim-mdp.h"

static gboolean
write_pair (const char *dir,
            int         size,
            gboolean    one_hot,
            GError    **error)
{
  g_autofree double *reward = g_new0 (double, size * size);
  int horizon = one_hot ? 0 : 2 * size;
  g_autoptr (SimMdp) paths = sim_mdp_new_icy (size, 0.2, one_hot, horizon, 1.0, reward);
  g_autoptr (SimMdp) causal = sim_mdp_new_icy (size, 0.2, one_hot, 0, 0.7, reward);
  g_autoptr (GPtrArray) demos = NULL;
  g_autofree char *paths_file = g_strdup_printf ("%s/icy-%d-paths.json", dir, size);
  g_autofree char *causal_file = g_strdup_printf ("%s/icy-%d-causal.json", dir, size);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, 1);
  demos = one_hot ? sim_mdp_icy_demos (paths, reward, 0.7, 5.0, 200, 1000, rng)
                  : sim_mdp_icy_demos (paths, reward, 0.7, 0.0, 200, 2 * size, rng);
  gsl_rng_free (rng);
  if (!sim_mdp_save_json (paths, demos, paths_file, error) ||
      !sim_mdp_save_json (causal, demos, causal_file, error))
    return FALSE;
  printf ("%s\n%s\n", paths_file, causal_file);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  static const int sizes[] = { 16, 32, 64, 128 };
  g_autoptr (GError) error = NULL;
  const char *dir;
  int max_size = 128;

  gsl_set_error_handler_off ();
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp (argv[2], "--small") != 0))
    {
      fprintf (stderr, "Usage: gen-icy DIR [--small]\n"
               "Writes icy-5-{paths,causal}.json and the scaled versions up to 128×128\n"
               "(only 5×5 with --small) into DIR.\n");
      return 2;
    }
  dir = argv[1];
  if (argc == 3)
    max_size = 5;

  if (!write_pair (dir, 5, TRUE, &error))
    {
      fprintf (stderr, "gen-icy: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sizes) && sizes[i] <= max_size; i++)
    if (!write_pair (dir, sizes[i], FALSE, &error))
      {
        fprintf (stderr, "gen-icy: %s\n", error->message);
        return 1;
      }
  return 0;
}
