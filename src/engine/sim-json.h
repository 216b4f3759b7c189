/* sim-json.h: a check of JSON text before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gsize end;                /* where the first value ends (length if it does not end) */
  const char *trailing;     /* the first non-blank byte after it, or NULL */
  const char *bad;          /* a bad string escape, or NULL */
  const char *problem;      /* what is wrong with it */
} SimJsonScan;

/* Finds where the first JSON value of data ends, what follows it, and the first bad string
 * escape. Every loader of the engine runs it before json_parser_load_from_data(). */
void sim_json_scan (const char  *data,
                    gsize        length,
                    SimJsonScan *scan);

G_END_DECLS
