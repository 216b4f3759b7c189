/* sim-json.h: a check of JSON text before json-glib parses it, and helpers of the loaders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdarg.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of arrays and objects a file may have. */
#define SIM_JSON_MAX_DEPTH 64

typedef struct
{
  gsize end;                /* where the first value ends (length if it does not end) */
  const char *trailing;     /* the first non-blank byte after it, or NULL */
  const char *bad;          /* a bad string escape or too large an integer, or NULL */
  const char *problem;      /* what is wrong with it */
} SimJsonScan;

/* A member of the top-level object, found by the scan without building a tree. */
typedef struct
{
  const char *name;         /* in: the name, plain ASCII */
  const char *value;        /* out: where its value starts, or NULL if it has none */
  gsize length;             /* out: the value's length in bytes */
  guint n_elements;         /* out: the number of elements of an array value */
} SimJsonMember;

/* Checks the grammar of the first JSON value of data in constant memory: finds where it
 * ends, what follows it, and the first error (bad string escapes, "\u0000" in a string,
 * nesting deeper than SIM_JSON_MAX_DEPTH, an integer beyond gint64). Every loader of the
 * engine runs it before json_parser_load_from_data(). With members, also finds the named members of a top-level
 * object (the last of equal names, as the parser keeps), so that a loader can check counts
 * before building a tree; none is found if some member name holds escapes. */
void sim_json_scan_members (const char    *data,
                            gsize          length,
                            SimJsonScan   *scan,
                            SimJsonMember *members,
                            guint          n_members);
/* Whether the member was found with an array value (n_elements holds its length). */
gboolean sim_json_member_is_array (const SimJsonMember *member);

void sim_json_scan (const char  *data,
                    gsize        length,
                    SimJsonScan *scan);

/* Reads the regular file at path into a NUL-terminated buffer of at most max_size bytes.
 * FIFOs, devices and folders are refused without reading them (a FIFO without a writer
 * does not block), and a file that grows past max_size while it is read is refused too.
 * Messages read "WHERE: …", what names the kind of file ("a level file"). */
char *sim_json_read_file (const char  *path,
                          gint64       max_size,
                          const char  *what,
                          const char  *where,
                          GQuark       domain,
                          int          code,
                          gsize       *length,
                          GError     **error);

/* The checks of sim_json_read_file() without the reading: opens the regular file at path of
 * at most max_size bytes (its size goes to *size) and returns its descriptor, or -1 with
 * error set, in the same words. A reader that reads it in pieces refuses a file that grew
 * past max_size with sim_json_set_too_large(). */
int sim_json_open_file (const char  *path,
                        gint64       max_size,
                        const char  *what,
                        const char  *where,
                        GQuark       domain,
                        int          code,
                        gint64      *size,
                        GError     **error);
/* One piece of a file read by sim_json_feed_file(): FALSE stops the reading. */
typedef gboolean (*SimJsonFeedFunc) (const char *data,
                                     gsize       length,
                                     gpointer    user_data);
/* Opens the file at path as sim_json_open_file() does and passes it to feed in pieces of
 * SIM_JSON_PIECE bytes, at most max_size bytes in all. FALSE with error set when the file
 * cannot be opened (the words of sim_json_open_file()); FALSE without error when feed stopped,
 * a read failed or the file grew past max_size while it was read (a reader that falls back
 * on sim_json_read_file() then gets that reader's message); TRUE when every byte was fed. */
#define SIM_JSON_PIECE (64 * 1024)
gboolean sim_json_feed_file (const char       *path,
                             gint64            max_size,
                             const char       *what,
                             const char       *where,
                             GQuark            domain,
                             int               code,
                             SimJsonFeedFunc   feed,
                             gpointer          user_data,
                             GError          **error);
void sim_json_set_too_large (GError     **error,
                             GQuark       domain,
                             int          code,
                             const char  *what,
                             const char  *where,
                             gint64       max_size);

/* Sets error to "FILENAME: MESSAGE" in domain and code, with any bytes that are not UTF-8
 * replaced: json-glib decodes a lone surrogate escape ("\ud800") to such bytes, and quoted
 * values end up in messages. */
void sim_json_set_error_valist (GError     **error,
                                GQuark       domain,
                                int          code,
                                const char  *filename,
                                const char  *format,
                                va_list      args) G_GNUC_PRINTF (5, 0);

/* Where a loader's errors go: the file named in every message, the loader's error domain. */
typedef struct
{
  const char *filename;
  GQuark domain;
  GError **error;
} SimJsonCtx;

/* Sets ctx's error to "FILENAME: MESSAGE" in ctx's domain and code (as
 * sim_json_set_error_valist()) and returns FALSE, so a loader writes `return sim_json_fail (…)`. */
gboolean sim_json_fail (SimJsonCtx *ctx,
                        int         code,
                        const char *format,
                        ...) G_GNUC_PRINTF (3, 4);

/* Refuses text (length bytes) with NUL bytes or bytes that are not UTF-8, then runs the scan
 * above (finding members, if given); errors are in domain and code, "FILENAME: …" or, at a
 * place, "FILENAME:LINE:COL: …". Sets *end to where the first value ends. */
gboolean sim_json_check (const char     *text,
                         gsize           length,
                         const char     *filename,
                         GQuark          domain,
                         int             code,
                         SimJsonMember  *members,
                         guint           n_members,
                         gsize          *end,
                         GError        **error);

/* Parses text up to end (after sim_json_check()) into parser, errors as above. */
gboolean sim_json_parse (JsonParser  *parser,
                         const char  *text,
                         gsize        end,
                         const char  *filename,
                         GQuark       domain,
                         int          code,
                         GError     **error);

/* Whether node is a JSON number (integer or not); its value, which may be infinite where the
 * text overflows a double, goes to *out. Booleans and strings are not numbers. */
gboolean sim_json_node_get_number (JsonNode *node,
                                   double   *out);

/* Reads an integer: a JSON integer, or a number with an integral value. */
gboolean sim_json_node_get_int (JsonNode *node,
                                gint64   *out);

/* Helpers of the streaming readers, which take only plainly valid files and leave any other
 * to the tree readers and their messages. */

/* A number as json-glib 1.6 reads it: an integer (gint64) unless it has a fraction or an
 * exponent, else the nearest double. */
typedef struct
{
  gboolean is_int;          /* an integer, or a double with an integral value below 9e15
                             * (what sim_json_node_get_int() takes) */
  gint64 i;                 /* its value if is_int */
  double d;                 /* its value as a double */
} SimJsonNumber;

/* Reads the number text of a JSON parser (valid JSON number grammar); FALSE for an integer
 * beyond gint64, which sim_json_check() refuses. */
gboolean sim_json_number_read (const char    *text,
                               gsize          length,
                               SimJsonNumber *out);

/* Whether data is plain: printable ASCII, tabs and line breaks, with string escapes only if
 * escapes and never \uXXXX (whose checks are sim_json_check()'s). *escape carries a
 * backslash from one piece of a file to the next (FALSE at the start). */
gboolean sim_json_plain_text (const char *data,
                              gsize       length,
                              gboolean    escapes,
                              gboolean   *escape);

/* What follows the top-level value in a streaming reader's text. yajl lets text after the
 * value pass while it could still be an unfinished string ('{...}"abc'), so the streaming
 * readers check it themselves: sim_json_tail_end() when the top-level value ends, with the
 * bytes of the current piece the parser has consumed (yajl_get_bytes_consumed()), and
 * sim_json_tail_check() after each piece, FALSE if anything but blanks came after the value.
 * Zeroed at the start. */
typedef struct
{
  gboolean ended;
  gsize from;               /* where the piece's text after the value starts */
} SimJsonTail;

void     sim_json_tail_end   (SimJsonTail *tail,
                              gsize        consumed);
gboolean sim_json_tail_check (SimJsonTail *tail,
                              const char  *data,
                              gsize        length);

G_END_DECLS
