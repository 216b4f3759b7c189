/* fuzz-common.h: shared set-up and checks for the libFuzzer targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed check prints what went wrong and aborts, which libFuzzer reports as a crash and
 * saves the input. g_assert() is not used because G_DISABLE_ASSERT could turn it off. */
#define FUZZ_CHECK(cond, ...) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        fprintf (stderr, "%s:%d: check failed: %s\n  ", __FILE__, __LINE__, #cond); \
        fprintf (stderr, __VA_ARGS__); \
        fputc ('\n', stderr); \
        abort (); \
      } \
  } G_STMT_END

/* Criticals and warnings from any log domain are bugs when the input is merely malformed:
 * make them abort so the fuzzer keeps the input. */
static inline void
fuzz_common_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* Checks that an error message starts with "NAME:LINE:COL: " with positive LINE and COL. */
static inline gboolean
fuzz_message_has_position (const char *message,
                           const char *name)
{
  const char *p;
  char *end;
  gint64 line, col;

  if (!g_str_has_prefix (message, name) || message[strlen (name)] != ':')
    return FALSE;
  p = message + strlen (name) + 1;
  line = g_ascii_strtoll (p, &end, 10);
  if (end == p || *end != ':' || line < 1)
    return FALSE;
  p = end + 1;
  col = g_ascii_strtoll (p, &end, 10);
  if (end == p || *end != ':' || col < 1)
    return FALSE;
  return end[1] == ' ' && end[2] != '\0';
}
