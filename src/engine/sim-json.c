/* sim-json.c: a check of JSON text before json-glib parses it, and helpers of the loaders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sim-json.h"

static gboolean
is_json_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads four hex digits at p (which has at least four bytes); -1 if they are not. */
static int
hex4 (const char *p)
{
  int value = 0;

  for (int k = 0; k < 4; k++)
    {
      int digit = g_ascii_xdigit_value (p[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* json-glib 1.6 mishandles some input, so the text is checked before the parser sees it:
 * it reads a second value after the first ("{…}{…}", "2{…}") as the first and leaks the
 * rest, it does not check string escapes ("\q" passes, a lone "\ud800" becomes bytes that
 * are not UTF-8, a broken surrogate pair leaks memory), it cuts strings at "\u0000", and its
 * recursive parser overflows the stack on deep nesting ("[[[[…"). The scan below checks the
 * whole grammar of the first value in constant memory, so a file is refused at its place
 * before any tree is built. */

/* Checks the escape at data[i] ('\\'); returns its length or 0, with scan->problem set. */
static gsize
check_escape (const char  *data,
              gsize        i,
              gsize        length,
              SimJsonScan *scan)
{
  int unit, low;

  if (i + 1 >= length)
    {
      scan->problem = "unexpected end of the file in a string";
      return 0;
    }
  if (strchr ("\"\\/bfnrt", data[i + 1]) != NULL && data[i + 1] != '\0')
    return 2;
  if (data[i + 1] != 'u')
    {
      scan->problem = "invalid escape in a string (expected \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                      "or \\uXXXX)";
      return 0;
    }
  unit = i + 6 <= length ? hex4 (data + i + 2) : -1;
  if (unit < 0)
    {
      scan->problem = "invalid \\u escape in a string (expected four hex digits)";
      return 0;
    }
  if (unit == 0)
    {
      scan->problem = "a NUL character (\\u0000) in a string";
      return 0;
    }
  if (unit >= 0xdc00 && unit <= 0xdfff)
    {
      scan->problem = "unpaired surrogate \\u escape in a string";
      return 0;
    }
  if (unit < 0xd800 || unit > 0xdbff)
    return 6;
  low = i + 12 <= length && data[i + 6] == '\\' && data[i + 7] == 'u' ? hex4 (data + i + 8) : -1;
  if (low < 0xdc00 || low > 0xdfff)
    {
      scan->problem = "unpaired surrogate \\u escape in a string";
      return 0;
    }
  return 12;
}

/* Scans the string that starts at data[i] ('"'); returns the index after its closing quote,
 * or 0 with scan->bad and scan->problem set. *escaped says whether it holds escapes. */
static gsize
scan_string (const char  *data,
             gsize        i,
             gsize        length,
             gboolean    *escaped,
             SimJsonScan *scan)
{
  *escaped = FALSE;
  for (i++; i < length; )
    {
      guchar c = (guchar) data[i];

      if (c == '"')
        return i + 1;
      if (c == '\\')
        {
          gsize n = check_escape (data, i, length, scan);

          if (n == 0)
            {
              scan->bad = data + i;
              return 0;
            }
          *escaped = TRUE;
          i += n;
          continue;
        }
      if (c < 0x20)
        {
          scan->problem = "a control character in a string (expected it as an escape)";
          scan->bad = data + i;
          return 0;
        }
      i++;
    }
  scan->problem = "unexpected end of the file in a string";
  scan->bad = data + length;
  return 0;
}

/* Whether the n digits at p, the integer part of a number without a fraction or exponent,
 * are beyond what gint64 holds: json-glib 1.6 wraps such a number without a word
 * ("18446744073709551614" is read as -2, "-18446744073709551614" as 2). */
static gboolean
integer_beyond_int64 (const char *p,
                      gsize       n)
{
  static const char max[] = "9223372036854775807";
  gsize n_max = sizeof max - 1;

  while (n > 1 && *p == '0')
    {
      p++;
      n--;
    }
  return n > n_max || (n == n_max && memcmp (p, max, n_max) > 0);
}

/* Scans the number or literal at data[i]; returns the index after it, or 0 with scan->bad
 * and scan->problem set. */
static gsize
scan_scalar (const char  *data,
             gsize        i,
             gsize        length,
             SimJsonScan *scan)
{
  static const char *literals[] = { "true", "false", "null" };
  gsize start = i, digits;

  for (guint k = 0; k < G_N_ELEMENTS (literals); k++)
    {
      gsize n = strlen (literals[k]);

      if (length - i >= n && memcmp (data + i, literals[k], n) == 0)
        {
          i += n;
          goto end;
        }
    }
  /* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  if (i < length && data[i] == '-')
    i++;
  digits = i;
  if (i < length && data[i] == '0')
    i++;
  else if (i < length && data[i] >= '1' && data[i] <= '9')
    while (i < length && g_ascii_isdigit (data[i]))
      i++;
  else
    {
      scan->problem = i < length ? "unexpected character (expected a value)"
                                 : "unexpected end of the file (expected a value)";
      scan->bad = data + MIN (i, length);
      if (i > start)
        scan->problem = "invalid number";
      return 0;
    }
  if ((i >= length || (data[i] != '.' && data[i] != 'e' && data[i] != 'E')) &&
      integer_beyond_int64 (data + digits, i - digits))
    {
      scan->problem = "an integer beyond ±9223372036854775807";
      scan->bad = data + digits;
      return 0;
    }
  if (i < length && data[i] == '.')
    {
      if (++i >= length || !g_ascii_isdigit (data[i]))
        goto bad_number;
      while (i < length && g_ascii_isdigit (data[i]))
        i++;
    }
  if (i < length && (data[i] == 'e' || data[i] == 'E'))
    {
      i++;
      if (i < length && (data[i] == '+' || data[i] == '-'))
        i++;
      if (i >= length || !g_ascii_isdigit (data[i]))
        goto bad_number;
      while (i < length && g_ascii_isdigit (data[i]))
        i++;
    }
end:
  return i;

bad_number:
  scan->problem = "invalid number";
  scan->bad = data + start;
  return 0;
}

typedef enum
{
  WANT_VALUE,              /* after ':' or ',' in an array, or at the start */
  WANT_VALUE_OR_CLOSE,     /* after '[' */
  WANT_KEY,                /* after ',' in an object */
  WANT_KEY_OR_CLOSE,       /* after '{' */
  WANT_COLON,              /* after a key */
  WANT_COMMA_OR_CLOSE,     /* after a value inside a container */
} ScanState;

void
sim_json_scan_members (const char    *data,
                       gsize          length,
                       SimJsonScan   *scan,
                       SimJsonMember *members,
                       guint          n_members)
{
  char stack[SIM_JSON_MAX_DEPTH];
  int depth = 0;
  ScanState state = WANT_VALUE;
  int member = -1;           /* the member of the top-level object being read, or -1 */
  gboolean tracking = TRUE;  /* members are named plainly (no escapes) */
  gsize i = 0;

  memset (scan, 0, sizeof *scan);
  for (guint m = 0; m < n_members; m++)
    {
      members[m].value = NULL;
      members[m].length = 0;
      members[m].n_elements = 0;
    }
  scan->end = length;
  while (i < length && is_json_blank (data[i]))
    i++;
  if (i == length)
    return;     /* No value: the parser finds an empty document. */

  while (TRUE)
    {
      char c;

      while (i < length && is_json_blank (data[i]))
        i++;
      if (i == length)
        {
          scan->problem = state == WANT_COLON ? "unexpected end of the file (expected ':')"
                        : state == WANT_KEY || state == WANT_KEY_OR_CLOSE
                          ? "unexpected end of the file (expected a member name)"
                        : state == WANT_COMMA_OR_CLOSE
                          ? (stack[depth - 1] == '{'
                             ? "unexpected end of the file (expected ',' or '}')"
                             : "unexpected end of the file (expected ',' or ']')")
                        : state == WANT_VALUE_OR_CLOSE
                          ? "unexpected end of the file (expected a value or ']')"
                        : "unexpected end of the file (expected a value)";
          scan->bad = data + length;
          return;
        }
      c = data[i];
      if (c == '\\')
        {
          /* json-glib's scanner reads escapes there too, and leaks on a broken pair. */
          scan->problem = "a backslash outside a string";
          scan->bad = data + i;
          return;
        }

      if (state == WANT_COLON)
        {
          if (c != ':')
            {
              scan->problem = "unexpected character (expected ':' after a member name)";
              scan->bad = data + i;
              return;
            }
          i++;
          state = WANT_VALUE;
          if (depth == 1 && member >= 0)
            {
              while (i < length && is_json_blank (data[i]))
                i++;
              members[member].value = data + i;
              members[member].n_elements = 0;
            }
          continue;
        }
      if (state == WANT_KEY || (state == WANT_KEY_OR_CLOSE && c != '}'))
        {
          gboolean escaped;
          gsize after;

          if (c != '"')
            {
              scan->problem = "unexpected character (expected a member name in quotes)";
              scan->bad = data + i;
              return;
            }
          after = scan_string (data, i, length, &escaped, scan);
          if (after == 0)
            return;
          if (depth == 1)
            member = -1;
          if (depth == 1 && tracking && escaped)
            {
              /* The parser decodes the name: leave the members to it. */
              tracking = FALSE;
              for (guint m = 0; m < n_members; m++)
                members[m].value = NULL;
            }
          else if (depth == 1 && tracking)
            for (guint m = 0; m < n_members; m++)
              if (strlen (members[m].name) == after - i - 2 &&
                  memcmp (members[m].name, data + i + 1, after - i - 2) == 0)
                member = (int) m;
          i = after;
          state = WANT_COLON;
          continue;
        }
      if (state == WANT_COMMA_OR_CLOSE || state == WANT_KEY_OR_CLOSE ||
          (state == WANT_VALUE_OR_CLOSE && c == ']'))
        {
          char close = stack[depth - 1] == '{' ? '}' : ']';

          if (c == close)
            {
              depth--;
              i++;
              if (depth == 1 && member >= 0)
                members[member].length = (gsize) (data + i - members[member].value);
              if (depth == 0)
                break;
              state = WANT_COMMA_OR_CLOSE;
              continue;
            }
          if (c == ',' && state == WANT_COMMA_OR_CLOSE)
            {
              i++;
              state = close == '}' ? WANT_KEY : WANT_VALUE;
              continue;
            }
          scan->problem = close == '}' ? "unexpected character (expected ',' or '}')"
                                       : "unexpected character (expected ',' or ']')";
          scan->bad = data + i;
          return;
        }

      /* A value. */
      if (depth == 2 && member >= 0 && stack[1] == '[')
        members[member].n_elements++;
      if (c == '{' || c == '[')
        {
          if (depth == SIM_JSON_MAX_DEPTH)
            {
              scan->problem = "nesting deeper than " G_STRINGIFY (SIM_JSON_MAX_DEPTH)
                              " levels of arrays and objects";
              scan->bad = data + i;
              return;
            }
          stack[depth++] = c;
          i++;
          state = c == '{' ? WANT_KEY_OR_CLOSE : WANT_VALUE_OR_CLOSE;
          continue;
        }
      if (c == '"')
        {
          gboolean escaped;

          i = scan_string (data, i, length, &escaped, scan);
          if (i == 0)
            return;
        }
      else
        {
          i = scan_scalar (data, i, length, scan);
          if (i == 0)
            return;
        }
      if (depth == 1 && member >= 0)
        members[member].length = (gsize) (data + i - members[member].value);
      if (depth == 0)
        break;
      state = WANT_COMMA_OR_CLOSE;
    }

  scan->end = i;
  while (i < length && is_json_blank (data[i]))
    i++;
  if (i < length)
    scan->trailing = data + i;
}

gboolean
sim_json_member_is_array (const SimJsonMember *member)
{
  return member->value != NULL && member->value[0] == '[';
}

void
sim_json_scan (const char  *data,
               gsize        length,
               SimJsonScan *scan)
{
  sim_json_scan_members (data, length, scan, NULL, 0);
}

void
sim_json_set_error_valist (GError     **error,
                           GQuark       domain,
                           int          code,
                           const char  *filename,
                           const char  *format,
                           va_list      args)
{
  g_autofree char *message = NULL;
  g_autofree char *full = NULL;
  g_autofree char *valid = NULL;

  message = g_strdup_vprintf (format, args);
  full = g_strdup_printf ("%s: %s", filename, message);
  valid = g_utf8_make_valid (full, -1);
  g_set_error_literal (error, domain, code, valid);
}

static void set_error (GError     **error,
                       GQuark       domain,
                       int          code,
                       const char  *filename,
                       const char  *format,
                       ...) G_GNUC_PRINTF (5, 6);

static void
set_error (GError     **error,
           GQuark       domain,
           int          code,
           const char  *filename,
           const char  *format,
           ...)
{
  va_list args;

  va_start (args, format);
  sim_json_set_error_valist (error, domain, code, filename, format, args);
  va_end (args);
}

/* Sets error to "FILENAME:LINE:COL: MESSAGE", the place of at in data (columns in
 * characters, both 1-based). */
static void
set_error_at (GError     **error,
              GQuark       domain,
              int          code,
              const char  *filename,
              const char  *data,
              const char  *at,
              const char  *message)
{
  const char *line_start = data;
  int line = 1;
  g_autofree char *full = NULL;
  g_autofree char *valid = NULL;

  for (const char *c = data; c < at; c++)
    if (*c == '\n')
      {
        line++;
        line_start = c + 1;
      }
  full = g_strdup_printf ("%s:%d:%ld: %s", filename, line,
                          g_utf8_strlen (line_start, at - line_start) + 1, message);
  valid = g_utf8_make_valid (full, -1);
  g_set_error_literal (error, domain, code, valid);
}

gboolean
sim_json_check (const char     *text,
                gsize           length,
                const char     *filename,
                GQuark          domain,
                int             code,
                SimJsonMember  *members,
                guint           n_members,
                gsize          *end,
                GError        **error)
{
  SimJsonScan scan;

  if (memchr (text, '\0', length) != NULL || !g_utf8_validate_len (text, length, NULL))
    {
      set_error (error, domain, code, filename,
                 "not a JSON text file (binary data or not UTF-8)");
      return FALSE;
    }
  sim_json_scan_members (text, length, &scan, members, n_members);
  if (scan.bad != NULL)
    {
      g_autofree char *message = g_strconcat ("not valid JSON: ", scan.problem, NULL);

      set_error_at (error, domain, code, filename, text, scan.bad, message);
      return FALSE;
    }
  if (scan.trailing != NULL)
    {
      set_error_at (error, domain, code, filename, text, scan.trailing,
                    "unexpected text after the end of the JSON data (expected one object)");
      return FALSE;
    }
  *end = scan.end;
  return TRUE;
}

gboolean
sim_json_parse (JsonParser  *parser,
                const char  *text,
                gsize        end,
                const char  *filename,
                GQuark       domain,
                int          code,
                GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  int line = 0, col = 0, used = 0;
  const char *message;

  if (json_parser_load_from_data (parser, text, end, &local_error))
    return TRUE;
  /* The scan passes what the parser reads; should the parser still refuse, its message
   * "<data>:LINE:COL: Parse error: WHAT" is given as "FILE:LINE:COL: not valid JSON: WHAT". */
  message = local_error->message;
  if (sscanf (message, "<data>:%d:%d: %n", &line, &col, &used) == 2 && used > 0)
    {
      g_autofree char *what = NULL;
      g_autofree char *full = NULL;
      g_autofree char *valid = NULL;

      message += used;
      if (g_str_has_prefix (message, "Parse error: "))
        message += strlen ("Parse error: ");
      /* json-glib quotes the offending text, line breaks included: keep one line. */
      what = g_strdelimit (g_strdup (message), "\r\n\t", ' ');
      full = g_strdup_printf ("%s:%d:%d: not valid JSON: %s", filename, line, col, what);
      valid = g_utf8_make_valid (full, -1);
      g_set_error_literal (error, domain, code, valid);
      return FALSE;
    }
  set_error (error, domain, code, filename, "not valid JSON: %s", message);
  return FALSE;
}

int
sim_json_open_file (const char  *path,
                    gint64       max_size,
                    const char  *what,
                    const char  *where,
                    GQuark       domain,
                    int          code,
                    gint64      *size,
                    GError     **error)
{
  GStatBuf st;
  struct stat fst;
  int fd, saved;

  /* stat() first: a FIFO or a device is refused without opening it (opening a FIFO waits for
   * a writer, reading /dev/zero never ends). The descriptor is then checked to be the same
   * regular file, in case the path changed in between. */
  if (g_stat (path, &st) != 0)
    {
      saved = errno;
      g_set_error (error, domain, code, "%s: cannot open: %s", where, g_strerror (saved));
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, domain, code, "%s: not a regular file (expected %s)", where, what);
      return -1;
    }
  if ((gint64) st.st_size > max_size)
    {
      g_set_error (error, domain, code, "%s: file too large (%" G_GINT64_FORMAT " bytes; %s is "
                   "at most %" G_GINT64_FORMAT ")", where, (gint64) st.st_size, what, max_size);
      return -1;
    }
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, domain, code, "%s: cannot open: %s", where, g_strerror (saved));
      return -1;
    }
  if (fstat (fd, &fst) != 0 || !S_ISREG (fst.st_mode))
    {
      close (fd);
      g_set_error (error, domain, code, "%s: not a regular file (expected %s)", where, what);
      return -1;
    }
  *size = (gint64) fst.st_size;
  return fd;
}

gboolean
sim_json_feed_file (const char       *path,
                    gint64            max_size,
                    const char       *what,
                    const char       *where,
                    GQuark            domain,
                    int               code,
                    SimJsonFeedFunc   feed,
                    gpointer          user_data,
                    GError          **error)
{
  g_autofree char *piece = NULL;
  gint64 size, got = 0;
  gboolean ok = TRUE;
  int fd;

  fd = sim_json_open_file (path, max_size, what, where, domain, code, &size, error);
  if (fd < 0)
    return FALSE;
  piece = g_malloc (SIM_JSON_PIECE);
  while (ok)
    {
      gssize n = read (fd, piece, SIM_JSON_PIECE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          ok = n == 0;
          break;
        }
      got += n;
      ok = got <= max_size && feed (piece, (gsize) n, user_data);
    }
  close (fd);
  return ok;
}

void
sim_json_set_too_large (GError     **error,
                        GQuark       domain,
                        int          code,
                        const char  *what,
                        const char  *where,
                        gint64       max_size)
{
  g_set_error (error, domain, code, "%s: file too large (more than %" G_GINT64_FORMAT
               " bytes; %s is at most %" G_GINT64_FORMAT ")", where, max_size, what, max_size);
}

char *
sim_json_read_file (const char  *path,
                    gint64       max_size,
                    const char  *what,
                    const char  *where,
                    GQuark       domain,
                    int          code,
                    gsize       *length,
                    GError     **error)
{
  g_autofree char *data = NULL;
  gint64 file_size;
  gsize size, got = 0;
  int fd, saved;

  fd = sim_json_open_file (path, max_size, what, where, domain, code, &file_size, error);
  if (fd < 0)
    return NULL;
  /* A file may grow while it is read: never more than max_size + 1 bytes. */
  size = (gsize) MIN (file_size, max_size) + 1;
  data = g_malloc (size + 1);
  while (TRUE)
    {
      gssize n;

      if (got == size)
        {
          if ((gint64) size > max_size)
            break;
          size = (gsize) MIN ((gint64) size * 2, max_size + 1);
          data = g_realloc (data, size + 1);
        }
      n = read (fd, data + got, size - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved = errno;
          close (fd);
          g_set_error (error, domain, code, "%s: cannot read: %s", where, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      got += (gsize) n;
    }
  close (fd);
  if ((gint64) got > max_size)
    {
      sim_json_set_too_large (error, domain, code, what, where, max_size);
      return NULL;
    }
  data[got] = '\0';
  *length = got;
  return g_steal_pointer (&data);
}

gboolean
sim_json_node_get_number (JsonNode *node,
                          double   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

gboolean
sim_json_node_get_int (JsonNode *node,
                       gint64   *out)
{
  double v;

  if (!sim_json_node_get_number (node, &v))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (isfinite (v) && v == floor (v) && fabs (v) < 9e15)
    {
      *out = (gint64) v;
      return TRUE;
    }
  return FALSE;
}

gboolean
sim_json_fail (SimJsonCtx *ctx,
               int         code,
               const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  sim_json_set_error_valist (ctx->error, ctx->domain, code, ctx->filename, format, args);
  va_end (args);
  return FALSE;
}

gboolean
sim_json_number_read (const char    *text,
                      gsize          length,
                      SimJsonNumber *out)
{
  char buf[64];
  g_autofree char *copy = NULL;
  const char *s = buf;
  char *end;

  if (length < sizeof buf)
    {
      memcpy (buf, text, length);
      buf[length] = '\0';
    }
  else
    s = copy = g_strndup (text, length);
  if (strpbrk (s, ".eE") == NULL)
    {
      errno = 0;
      out->i = g_ascii_strtoll (s, &end, 10);
      if (errno != 0 || *end != '\0')
        return FALSE;
      out->is_int = TRUE;
      out->d = (double) out->i;
      return TRUE;
    }
  out->d = g_ascii_strtod (s, &end);
  if (*end != '\0')
    return FALSE;
  out->is_int = isfinite (out->d) && out->d == floor (out->d) && fabs (out->d) < 9e15;
  out->i = out->is_int ? (gint64) out->d : 0;
  return TRUE;
}

gboolean
sim_json_plain_text (const char *data,
                     gsize       length,
                     gboolean    escapes,
                     gboolean   *escape)
{
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) data[i];

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7e)
        return FALSE;
      if (*escape)
        {
          if (c == 'u')
            return FALSE;
          *escape = FALSE;
        }
      else if (c == '\\')
        {
          if (!escapes)
            return FALSE;
          *escape = TRUE;
        }
    }
  return TRUE;
}

void
sim_json_tail_end (SimJsonTail *tail,
                   gsize        consumed)
{
  tail->ended = TRUE;
  tail->from = consumed;
}

gboolean
sim_json_tail_check (SimJsonTail *tail,
                     const char  *data,
                     gsize        length)
{
  if (!tail->ended)
    return TRUE;
  for (gsize i = tail->from; i < length; i++)
    if (!is_json_blank (data[i]))
      return FALSE;
  tail->from = 0;
  return TRUE;
}
