/* gen-cliff.c: writes a cliff-walking MDP file with ε-greedy demonstrations, for the
 * goal-directedness check of "mesascope-cli infer --mdp" (tests/cli/test-goal.sh)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A 12 × 4 grid: the start bottom left, the goal bottom right, the ten cells between them a
 * cliff; moves up, down, left, right (off the grid: stay); goal and cliff end the episode;
 * features goal, cliff and step; horizon 30. The demonstrator takes the move that reaches the
 * goal in the fewest steps without the cliff with probability 1 − ε, and a uniformly random
 * move otherwise.
 *
 * Usage: gen-cliff EPSILON EPISODES SEED FILE
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

enum { W = 12, H = 4, NS = W * H, NA = 4, HORIZON = 30 };

static int
move (int s,
      int a)
{
  static const int dx[NA] = { 0, 0, -1, 1 }, dy[NA] = { 1, -1, 0, 0 };
  int x = CLAMP (s % W + dx[a], 0, W - 1), y = CLAMP (s / W + dy[a], 0, H - 1);

  return y * W + x;
}

static gboolean
is_goal (int s)
{
  return s == W - 1;
}

static gboolean
is_cliff (int s)
{
  return s > 0 && s < W - 1;
}

int
main (int   argc,
      char *argv[])
{
  double epsilon;
  int episodes, best[NS], dist[NS];
  g_autoptr (GRand) rand = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean changed = TRUE;

  if (argc != 5)
    {
      fprintf (stderr, "usage: gen-cliff EPSILON EPISODES SEED FILE\n");
      return 2;
    }
  epsilon = g_ascii_strtod (argv[1], NULL);
  episodes = atoi (argv[2]);
  rand = g_rand_new_with_seed ((guint32) atoi (argv[3]));

  for (int s = 0; s < NS; s++)
    {
      dist[s] = is_goal (s) ? 0 : G_MAXINT / 2;
      best[s] = 0;
    }
  while (changed)
    {
      changed = FALSE;
      for (int s = 0; s < NS; s++)
        for (int a = 0; a < NA && !is_goal (s) && !is_cliff (s); a++)
          {
            int s2 = move (s, a);

            if (!is_cliff (s2) && dist[s2] + 1 < dist[s])
              {
                dist[s] = dist[s2] + 1;
                best[s] = a;
                changed = TRUE;
              }
          }
    }

  g_string_append_printf (out, "{\"states\": %d, \"actions\": %d, \"horizon\": %d,\n"
                          "\"transitions\": [", NS, NA, HORIZON);
  for (int s = 0, first = 1; s < NS; s++)
    for (int a = 0; a < NA && !is_goal (s) && !is_cliff (s); a++, first = 0)
      g_string_append_printf (out, "%s[%d, %d, %d, 1]", first ? "" : ", ", s, a, move (s, a));
  g_string_append (out, "],\n\"features\": [");
  for (int s = 0; s < NS; s++)
    g_string_append_printf (out, "%s[%d, %d, 1]", s > 0 ? ", " : "", is_goal (s), is_cliff (s));
  g_string_append (out, "],\n\"terminal\": [");
  for (int s = 0, first = 1; s < NS; s++)
    if (is_goal (s) || is_cliff (s))
      {
        g_string_append_printf (out, "%s%d", first ? "" : ", ", s);
        first = 0;
      }
  g_string_append (out, "],\n\"start\": [0],\n\"trajectories\": [\n");
  for (int e = 0; e < episodes; e++)
    {
      int s = 0;

      g_string_append_printf (out, "%s[0", e > 0 ? ",\n" : "");
      for (int t = 0; t < HORIZON && !is_goal (s) && !is_cliff (s); t++)
        {
          int a = g_rand_double (rand) < epsilon ? g_rand_int_range (rand, 0, NA) : best[s];

          s = move (s, a);
          g_string_append_printf (out, ", %d", s);
        }
      g_string_append (out, "]");
    }
  g_string_append (out, "]}\n");
  if (!g_file_set_contents (argv[4], out->str, (gssize) out->len, NULL))
    return 1;
  return 0;
}
