/* sim-json.h: a check of JSON text before json-glib parses it, and helpers of the loaders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdarg.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  gsize end;                /* where the first value ends (length if it does not end) */
  const char *trailing;     /* the first non-blank byte after it, or NULL */
  const char *bad;          /* a bad string escape or too large an integer, or NULL */
  const char *problem;      /* what is wrong with it */
} SimJsonScan;

/* Finds where the first JSON value of data ends, what follows it, and the first bad string
 * escape or integer beyond gint64. Every loader of the engine runs it before
 * json_parser_load_from_data(). */
void sim_json_scan (const char  *data,
                    gsize        length,
                    SimJsonScan *scan);

/* Sets error to "FILENAME: MESSAGE" in domain and code, with any bytes that are not UTF-8
 * replaced: json-glib decodes a lone surrogate escape ("\ud800") to such bytes, and quoted
 * values end up in messages. */
void sim_json_set_error_valist (GError     **error,
                                GQuark       domain,
                                int          code,
                                const char  *filename,
                                const char  *format,
                                va_list      args) G_GNUC_PRINTF (5, 0);

/* Loads the first JSON value of text (length bytes) into parser after the checks above.
 * On failure sets error ("FILENAME: MESSAGE", in domain and code) and returns FALSE. */
gboolean sim_json_load (JsonParser  *parser,
                        const char  *text,
                        gsize        length,
                        const char  *filename,
                        GQuark       domain,
                        int          code,
                        GError     **error);

/* Reads an integer: a JSON integer, or a number with an integral value. */
gboolean sim_json_node_get_int (JsonNode *node,
                                gint64   *out);

G_END_DECLS
