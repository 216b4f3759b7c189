/* sim-json.c: a check of JSON text before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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
 * that are not UTF-8, and a broken surrogate pair leaks memory. */


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

