/* fuzz-level.c: libFuzzer target for the level text format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input must either be refused with a positioned message ("NAME:LINE:COL: …") or give
 * a level that satisfies the documented invariants and survives a round trip through
 * sim_level_to_string() unchanged.
 */
#include "config.h"

#include "fuzz-common.h"
#include "sim-level.h"

#define NAME "fuzz.level"

FUZZ_DEFINE_INITIALIZE ()

static void
check_level (const SimLevel *level)
{
  int n = level->width * level->height;

  FUZZ_CHECK ((guint) level->scenario < SIM_N_SCENARIOS, "scenario %d", level->scenario);
  FUZZ_CHECK (level->width >= 2 && level->width <= SIM_LEVEL_MAX_SIZE, "width %d",
              level->width);
  FUZZ_CHECK (level->height >= 2 && level->height <= SIM_LEVEL_MAX_SIZE, "height %d",
              level->height);
  FUZZ_CHECK (level->horizon >= 1, "horizon %d", level->horizon);
  FUZZ_CHECK (level->start >= 0 && level->start < n, "start %d of %d cells", level->start, n);
  FUZZ_CHECK (level->cells[level->start] == SIM_CELL_FLOOR, "start cell holds %d",
              level->cells[level->start]);
  for (int s = 0; s < n; s++)
    {
      FUZZ_CHECK (level->cells[s] < SIM_N_CELLS, "cell %d holds %d", s, level->cells[s]);
      for (int a = 0; a < SIM_N_ACTIONS; a++)
        {
          int s2 = sim_level_step (level, s, (SimAction) a);

          FUZZ_CHECK (s2 >= 0 && s2 < n, "step from %d by %d gives %d", s, a, s2);
          FUZZ_CHECK (s2 == s || level->cells[s2] != SIM_CELL_WALL,
                      "step from %d by %d enters a wall", s, a);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimLevel) level = NULL;
  g_autoptr (SimLevel) again = NULL;
  g_autoptr (SimLevel) copy = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gboolean valid;

  level = sim_level_parse ((const char *) data, (gssize) size, NAME, &error);

  /* A NUL-terminated copy read with length -1 gives the same answer when the data holds no
   * NUL byte. */
  if (memchr (data, '\0', size) == NULL)
    {
      g_autofree char *copy = g_strndup ((const char *) data, size);
      g_autoptr (GError) error_again = NULL;
      g_autoptr (SimLevel) level_again = sim_level_parse (copy, -1, NAME, &error_again);

      FUZZ_CHECK (sim_level_equal (level, level_again), "length -1 gives another level");
      FUZZ_CHECK ((error == NULL) == (error_again == NULL) &&
                  (error == NULL || strcmp (error->message, error_again->message) == 0),
                  "length -1 gives another error: %s / %s",
                  error != NULL ? error->message : "(none)",
                  error_again != NULL ? error_again->message : "(none)");
    }

  if (level == NULL)
    {
      FUZZ_CHECK (error != NULL, "NULL level without an error");
      FUZZ_CHECK (error->domain == SIM_LEVEL_ERROR, "error domain %s",
                  g_quark_to_string (error->domain));
      FUZZ_CHECK (error->code == SIM_LEVEL_ERROR_SYNTAX || error->code == SIM_LEVEL_ERROR_VERSION,
                  "error code %d: %s", error->code, error->message);
      FUZZ_CHECK (fuzz_message_has_position (error->message, NAME),
                  "message without FILE:LINE:COL: %s", error->message);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "message is not UTF-8");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "level returned with an error: %s", error->message);
  check_level (level);

  text = sim_level_to_string (level);
  again = sim_level_parse (text, -1, "round-trip", &error);
  FUZZ_CHECK (again != NULL, "written level does not parse: %s\n%s",
              error != NULL ? error->message : "(no error)", text);
  FUZZ_CHECK (sim_level_equal (level, again), "round trip changed the level:\n%s", text);
  text_again = sim_level_to_string (again);
  FUZZ_CHECK (strcmp (text, text_again) == 0, "second write differs:\n%s\n---\n%s", text,
              text_again);

  copy = sim_level_copy (level);
  FUZZ_CHECK (sim_level_equal (level, copy), "copy differs");

  /* Validation either accepts the level or says why, in its own domain. */
  valid = sim_level_validate (level, &error);
  FUZZ_CHECK (valid == (error == NULL), "validate returned %d with error %p", valid,
              (void *) error);
  if (!valid)
    FUZZ_CHECK (error->domain == SIM_LEVEL_ERROR && error->code == SIM_LEVEL_ERROR_INVALID,
                "validation error %s/%d: %s", g_quark_to_string (error->domain), error->code,
                error->message);
  return 0;
}
