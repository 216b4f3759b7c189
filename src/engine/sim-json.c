/* sim-json.c: a check of JSON text before json-glib parses it, and helpers of the loaders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
 * rest, and it does not check string escapes: "\q" passes, a lone "\ud800" becomes bytes
 * that are not UTF-8, and a broken surrogate pair leaks memory, inside a string or out. */


/* Checks the escape at data[i] ('\\'); returns its length or 0, with scan->problem set. */
static gsize
check_escape (const char *data,
              gsize       i,
              gsize       length,
              SimJsonScan   *scan)
{
  int unit, low;

  if (i + 1 >= length)
    return 1;   /* An unterminated string: the parser reports it. */
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

/* Whether data[i], a digit outside a string, begins the integer part of a number without a
 * fraction or exponent that gint64 cannot hold: json-glib 1.6 wraps such a number without a
 * word ("18446744073709551614" is read as -2, "-18446744073709551614" as 2). */
static gboolean
integer_beyond_int64 (const char *data,
                      gsize       i,
                      gsize       length)
{
  static const char max[] = "9223372036854775807";
  gsize end = i, first = i;
  char before = i > 0 ? data[i - 1] : ' ';

  if (g_ascii_isdigit (before) || (before != '\0' && strchr (".eE+", before) != NULL) ||
      (before == '-' && i > 1 && (data[i - 2] == 'e' || data[i - 2] == 'E')))
    return FALSE;
  while (end < length && g_ascii_isdigit (data[end]))
    end++;
  if (end < length && data[end] != '\0' && strchr (".eE", data[end]) != NULL)
    return FALSE;
  while (first + 1 < end && data[first] == '0')
    first++;
  return end - first > strlen (max) ||
         (end - first == strlen (max) && memcmp (data + first, max, strlen (max)) > 0);
}

void
sim_json_scan (const char  *data,
               gsize        length,
               SimJsonScan *scan)
{
  gsize i = 0;
  int depth = 0;
  gboolean in_string = FALSE;

  memset (scan, 0, sizeof *scan);
  scan->end = length;
  while (i < length && is_json_blank (data[i]))
    i++;
  if (i < length && (data[i] == '{' || data[i] == '[' || data[i] == '"'))
    {
      while (i < length)
        {
          char c = data[i];

          if (in_string && c == '\\')
            {
              gsize n = check_escape (data, i, length, scan);

              if (n == 0)
                {
                  scan->bad = data + i;
                  return;
                }
              i += n;
              continue;
            }
          if (in_string)
            in_string = c != '"';
          else if (c == '"')
            in_string = TRUE;
          else if (c == '\\')
            {
              /* json-glib's scanner reads escapes there too, and leaks on a broken pair. */
              scan->problem = "a backslash outside a string";
              scan->bad = data + i;
              return;
            }
          else if (g_ascii_isdigit (c) && integer_beyond_int64 (data, i, length))
            {
              scan->problem = "an integer beyond ±9223372036854775807";
              scan->bad = data + i;
              return;
            }
          else if (c == '{' || c == '[')
            depth++;
          else if (c == '}' || c == ']')
            depth--;
          i++;
          if (!in_string && depth <= 0)
            break;
        }
      if (in_string || depth > 0)
        return;
    }
  else
    while (i < length && !is_json_blank (data[i]) && strchr ("{}[],:\"", data[i]) == NULL)
      i++;
  scan->end = i;
  while (i < length && is_json_blank (data[i]))
    i++;
  if (i < length)
    scan->trailing = data + i;
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

/* "at line L, column C" of a position in data (both 1-based, columns in characters). */
static char *
place_of (const char *data,
          const char *at)
{
  const char *line_start = data;
  int line = 1;

  for (const char *c = data; c < at; c++)
    if (*c == '\n')
      {
        line++;
        line_start = c + 1;
      }
  return g_strdup_printf ("at line %d, column %ld", line,
                          g_utf8_strlen (line_start, at - line_start) + 1);
}

/* json-glib says "<data>:LINE:COL: Parse error: WHAT"; this gives " at line LINE, column
 * COL: WHAT" (or ": MESSAGE" for any other form). */
static char *
json_error_place (const char *message)
{
  int line = 0, col = 0, used = 0;

  if (sscanf (message, "<data>:%d:%d: %n", &line, &col, &used) == 2 && used > 0)
    {
      const char *what = message + used;
      if (g_str_has_prefix (what, "Parse error: "))
        what += strlen ("Parse error: ");
      /* json-glib quotes the offending text, line breaks included: keep one line. */
      return g_strdelimit (g_strdup_printf (" at line %d, column %d: %s", line, col, what),
                           "\r\n\t", ' ');
    }
  return g_strdelimit (g_strdup_printf (": %s", message), "\r\n\t", ' ');
}

gboolean
sim_json_load (JsonParser  *parser,
               const char  *text,
               gsize        length,
               const char  *filename,
               GQuark       domain,
               int          code,
               GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  SimJsonScan scan;

  if (memchr (text, '\0', length) != NULL || !g_utf8_validate_len (text, length, NULL))
    {
      set_error (error, domain, code, filename,
                 "not a JSON text file (binary data or not UTF-8)");
      return FALSE;
    }
  /* Only the first value goes to the parser; anything after it is an error of its own.
   * json-glib leaks on broken surrogate pairs and lets bad escapes through. */
  sim_json_scan (text, length, &scan);
  if (scan.bad != NULL)
    {
      g_autofree char *where = place_of (text, scan.bad);
      set_error (error, domain, code, filename, "%s %s", scan.problem, where);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, text, scan.end, &local_error))
    {
      g_autofree char *where = json_error_place (local_error->message);
      set_error (error, domain, code, filename, "not valid JSON%s", where);
      return FALSE;
    }
  if (scan.trailing != NULL)
    {
      g_autofree char *where = place_of (text, scan.trailing);
      set_error (error, domain, code, filename, "unexpected text %s, after the end of the "
                 "JSON data (expected one object)", where);
      return FALSE;
    }
  return TRUE;
}

gboolean
sim_json_node_get_int (JsonNode *node,
                       gint64   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double v = json_node_get_double (node);
      if (isfinite (v) && v == floor (v) && fabs (v) < 9e15)
        {
          *out = (gint64) v;
          return TRUE;
        }
    }
  return FALSE;
}
