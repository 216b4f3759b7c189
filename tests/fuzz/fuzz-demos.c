/* fuzz-demos.c: libFuzzer target for demos files (levels and recorded trajectories)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input must either be refused with a UTF-8 message that names the file, or give
 * demos whose levels validate and whose trajectories are legal walks (checked here again,
 * independently of the loader), and which sim_demos_to_string() writes so that they read
 * back equal.
 */
#include "config.h"

#include "fuzz-common.h"
#include <unistd.h>
#include <glib/gstdio.h>

#include "sim-demos.h"
#include "sim-demos-private.h"
#include "sim-scenario.h"

#define NAME "fuzz.demos"

FUZZ_DEFINE_INITIALIZE ()

static void
check_trajectory (const SimDemos          *demos,
                  guint                    index,
                  const SimDemoTrajectory *tr)
{
  const SimLevel *level;
  int n;

  FUZZ_CHECK (tr->level >= 0 && (guint) tr->level < demos->levels->len,
              "trajectory %u on level %d of %u", index, tr->level, demos->levels->len);
  level = g_ptr_array_index (demos->levels, tr->level);
  n = level->width * level->height;
  FUZZ_CHECK (tr->length >= 1 && tr->length <= level->horizon + 1,
              "trajectory %u has %d cells for horizon %d", index, tr->length, level->horizon);
  FUZZ_CHECK (tr->cells[0] == level->start, "trajectory %u starts at %d, level at %d", index,
              tr->cells[0], level->start);
  for (int t = 0; t < tr->length; t++)
    {
      int s = tr->cells[t];

      FUZZ_CHECK (s >= 0 && s < n, "trajectory %u step %d: cell %d of %d", index, t, s, n);
      FUZZ_CHECK (level->cells[s] != SIM_CELL_WALL, "trajectory %u step %d: wall", index, t);
      if (t > 0)
        {
          int p = tr->cells[t - 1];
          int dx = ABS (s % level->width - p % level->width);
          int dy = ABS (s / level->width - p / level->width);

          FUZZ_CHECK (dx + dy <= 1, "trajectory %u step %d: jump %d -> %d", index, t, p, s);
          FUZZ_CHECK (!sim_cell_is_terminal ((SimCell) level->cells[p]),
                      "trajectory %u step %d: continues after a terminal cell", index, t);
        }
    }
}

static void
check_equal (const SimDemos *a,
             const SimDemos *b,
             const char     *text)
{
  FUZZ_CHECK (a->scenario == b->scenario, "scenario changed:\n%s", text);
  FUZZ_CHECK (!a->near_corner == !b->near_corner, "near_corner changed:\n%s", text);
  FUZZ_CHECK (a->levels->len == b->levels->len, "%u -> %u levels", a->levels->len,
              b->levels->len);
  for (guint i = 0; i < a->levels->len; i++)
    FUZZ_CHECK (sim_level_equal (g_ptr_array_index (a->levels, i),
                                 g_ptr_array_index (b->levels, i)),
                "level %u changed:\n%s", i, text);
  FUZZ_CHECK (a->trajectories->len == b->trajectories->len, "%u -> %u trajectories",
              a->trajectories->len, b->trajectories->len);
  for (guint i = 0; i < a->trajectories->len; i++)
    {
      const SimDemoTrajectory *ta = &g_array_index (a->trajectories, SimDemoTrajectory, i);
      const SimDemoTrajectory *tb = &g_array_index (b->trajectories, SimDemoTrajectory, i);

      FUZZ_CHECK (ta->level == tb->level && ta->length == tb->length &&
                  memcmp (ta->cells, tb->cells, sizeof (int) * ta->length) == 0,
                  "trajectory %u changed:\n%s", i, text);
    }
}

/* What the streaming reader takes, on the text and on a file of it, the tree reader reads
 * the same. */
static void
check_stream (const uint8_t *data,
              size_t         size)
{
  g_autoptr (SimDemos) streamed = sim_demos_stream_parse ((const char *) data, size);
  g_autoptr (SimDemos) tree = NULL;
  g_autoptr (SimDemos) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  if (streamed == NULL)
    return;
  tree = sim_demos_parse_tree ((const char *) data, (gssize) size, NAME, &error);
  FUZZ_CHECK (tree != NULL, "the stream takes what the tree reader refuses: %s",
              error->message);
  check_equal (tree, streamed, "(the stream)");
  fd = g_file_open_tmp ("fuzz-demos-XXXXXX.json", &path, NULL);
  FUZZ_CHECK (fd >= 0, "no temporary file");
  close (fd);
  FUZZ_CHECK (g_file_set_contents (path, (const char *) data, (gssize) size, NULL),
              "temporary file not written");
  loaded = sim_demos_stream_load (path, &error);
  g_unlink (path);
  FUZZ_CHECK (loaded != NULL, "the file is not read as its text");
  check_equal (tree, loaded, "(the file in pieces)");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimDemos) demos = NULL;
  g_autoptr (SimDemos) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  check_stream (data, size);
  demos = sim_demos_parse ((const char *) data, (gssize) size, NAME, &error);
  if (demos == NULL)
    {
      fuzz_check_refusal (error, SIM_DEMOS_ERROR, NAME);
      return 0;
    }
  FUZZ_CHECK (error == NULL, "demos returned with an error: %s", error->message);

  FUZZ_CHECK (demos->scenario == SIM_SCENARIO_COIN || demos->scenario == SIM_SCENARIO_GREEN_EXIT,
              "scenario %d", demos->scenario);
  FUZZ_CHECK (demos->levels->len >= 1, "no levels");
  for (guint i = 0; i < demos->levels->len; i++)
    {
      const SimLevel *level = g_ptr_array_index (demos->levels, i);

      FUZZ_CHECK (level->scenario == demos->scenario, "level %u is of scenario %d", i,
                  level->scenario);
      FUZZ_CHECK (sim_level_validate (level, NULL), "level %u does not validate", i);
    }
  FUZZ_CHECK (demos->trajectories->len >= 1, "no trajectories");
  for (guint i = 0; i < demos->trajectories->len; i++)
    check_trajectory (demos, i, &g_array_index (demos->trajectories, SimDemoTrajectory, i));

  text = sim_demos_to_string (demos);
  again = sim_demos_parse (text, -1, "round-trip", &error);
  FUZZ_CHECK (again != NULL, "written demos do not parse: %s\n%s",
              error != NULL ? error->message : "(no error)", text);
  check_equal (demos, again, text);
  text_again = sim_demos_to_string (again);
  FUZZ_CHECK (strcmp (text, text_again) == 0, "second write differs:\n%s\n---\n%s", text,
              text_again);
  return 0;
}
