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

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The LLVMFuzzerInitialize() of a target that needs nothing beyond fuzz_common_init(). */
#define FUZZ_DEFINE_INITIALIZE() \
  int \
  LLVMFuzzerInitialize (int    *argc, \
                        char ***argv) \
  { \
    fuzz_common_init (); \
    return 0; \
  }

/* Checks a refusal: an error in the loader's domain, with a UTF-8 message that starts with
 * "NAME:". */
static inline void
fuzz_check_refusal (const GError *error,
                    GQuark        domain,
                    const char   *name)
{
  FUZZ_CHECK (error != NULL, "refused without an error");
  FUZZ_CHECK (error->domain == domain, "error domain %s", g_quark_to_string (error->domain));
  FUZZ_CHECK (g_str_has_prefix (error->message, name) && error->message[strlen (name)] == ':',
              "message does not name the file: %s", error->message);
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "message is not UTF-8");
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
