/* ms-markdown-front-matter.c: the front matter of a Markdown document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A document may start with a block of "key: value" lines between "---" lines, as static site
 * generators write it. The title, date and summary become the panel's header; what cannot be
 * read becomes a notice naming the line, and the body is rendered all the same. GLib only,
 * called by ms_markdown_doc_parse() (ms-markdown-parse.c).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ms-markdown-doc-private.h"

typedef struct
{
  const char *start;    /* The line without its terminator. */
  gsize length;
  const char *next;     /* Start of the following line. */
} Line;

static gboolean
next_line (const char *p,
           const char *end,
           Line       *line)
{
  const char *eol;

  if (p >= end)
    return FALSE;
  eol = memchr (p, '\n', end - p);
  line->start = p;
  line->next = eol != NULL ? eol + 1 : end;
  line->length = (eol != NULL ? eol : end) - p;
  while (line->length > 0 && (p[line->length - 1] == '\r' || p[line->length - 1] == ' '
                              || p[line->length - 1] == '\t'))
    line->length--;
  return TRUE;
}

static gboolean
line_is (const Line *line,
         const char *text)
{
  return line->length == strlen (text) && memcmp (line->start, text, line->length) == 0;
}

static gboolean
line_is_blank (const Line *line)
{
  return line->length == 0;
}

/* A "key: value" line: returns the key's length, or 0. */
static gsize
line_key_length (const Line *line)
{
  gsize i;

  for (i = 0; i < line->length; i++)
    {
      char c = line->start[i];

      if (c == ':')
        return i > 0 && (i + 1 == line->length || line->start[i + 1] == ' '
                         || line->start[i + 1] == '\t') ? i : 0;
      if (!g_ascii_isalnum (c) && c != '_' && c != '-' && c != '.')
        return 0;
    }
  return 0;
}

static gboolean
line_is_continuation (const Line *line)
{
  return line->length > 0 && (line->start[0] == ' ' || line->start[0] == '\t');
}

/* Removes YAML-style quotes: "..." with backslash escapes, '...' with '' for a quote. */
static char *
unquote_value (MsMarkdownDoc *doc,
               const char    *key,
               guint          line_number,
               const char    *value)
{
  gsize length = strlen (value);
  char quote = value[0];
  GString *out;

  if (quote != '"' && quote != '\'')
    return g_strdup (value);
  if (length < 2 || value[length - 1] != quote)
    {
      ms_markdown_doc_add_notice (doc, _("%s, line %u: the quoted value of “%s” has no closing "
                                         "quote"),
                                  doc->name, line_number, key);
      return g_strdup (value + 1);
    }
  out = g_string_sized_new (length);
  for (gsize i = 1; i + 1 < length; i++)
    {
      if (quote == '"' && value[i] == '\\' && i + 2 < length)
        {
          char c = value[++i];
          g_string_append_c (out, c == 'n' ? '\n' : c == 't' ? '\t' : c);
        }
      else if (quote == '\'' && value[i] == '\'' && value[i + 1] == '\'' && i + 2 < length)
        {
          g_string_append_c (out, '\'');
          i++;
        }
      else
        g_string_append_c (out, value[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
format_date (const char *value)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) date_time = NULL;
  int year, month, day;
  char tail;

  date_time = g_date_time_new_from_iso8601 (value, utc);
  if (date_time == NULL && sscanf (value, "%d-%d-%d%c", &year, &month, &day, &tail) == 3
      && year > 0 && year < 10000 && g_date_valid_dmy (day, month, year))
    date_time = g_date_time_new (utc, year, month, day, 0, 0, 0);
  if (date_time == NULL)
    return NULL;
  /* TRANSLATORS: the date of the article in its header, see g_date_time_format(). */
  return g_date_time_format (date_time, _("%-d %B %Y"));
}

static void
set_front_matter_value (MsMarkdownDoc *doc,
                        const char    *key,
                        guint          line_number,
                        const char    *raw)
{
  g_autofree char *value = unquote_value (doc, key, line_number, raw);

  g_strstrip (value);
  if (g_ascii_strcasecmp (key, "title") == 0)
    {
      g_free (doc->title);
      doc->title = *value != '\0' ? g_steal_pointer (&value) : NULL;
    }
  else if (g_ascii_strcasecmp (key, "summary") == 0
           || (g_ascii_strcasecmp (key, "description") == 0 && doc->summary == NULL))
    {
      g_free (doc->summary);
      doc->summary = *value != '\0' ? g_steal_pointer (&value) : NULL;
    }
  else if (g_ascii_strcasecmp (key, "date") == 0)
    {
      g_clear_pointer (&doc->date, g_free);
      g_clear_pointer (&doc->date_display, g_free);
      if (*value == '\0')
        return;
      doc->date_display = format_date (value);
      if (doc->date_display == NULL)
        {
          ms_markdown_doc_add_notice (doc, _("%s, line %u: “%s” is not a date (expected "
                                             "YYYY-MM-DD)"),
                                      doc->name, line_number, value);
          doc->date_display = g_strdup (value);
        }
      doc->date = g_steal_pointer (&value);
    }
}

/* Reads the front matter, if the text starts with a "---" line, and returns the offset at
 * which the Markdown body starts. The block ends at the first "---" or "..." line. When
 * there is no such line, it is taken to end at the first line that is neither "key: value"
 * nor an indented continuation, and the rest is rendered. */
gsize
ms_markdown_doc_parse_front_matter (MsMarkdownDoc *doc,
                                    const char    *text,
                                    gsize          length)
{
  const char *end = text + length;
  const char *p;
  Line line;
  gboolean closed = FALSE;
  guint line_number = 1;
  guint key_line = 0;
  g_autofree char *key = NULL;
  g_autoptr (GString) value = g_string_new (NULL);
  char block_style = 0;
  const char *region_end = NULL;

  const char *first_body_line;

  if (!next_line (text, end, &line) || !line_is (&line, "---"))
    return 0;
  first_body_line = line.next;

  /* Find the closing line first, so that lines inside a closed block can be reported. */
  for (p = line.next; next_line (p, end, &line); p = line.next)
    {
      if (line_is (&line, "---") || line_is (&line, "..."))
        {
          closed = TRUE;
          region_end = p;
          break;
        }
    }

  for (p = first_body_line; next_line (p, end, &line); p = line.next)
    {
      gsize key_length;

      line_number++;
      if (closed && p == region_end)
        {
          p = line.next;
          break;
        }
      if (line_is_continuation (&line) && key != NULL)
        {
          const char *s = line.start;
          gsize n = line.length;

          while (n > 0 && (*s == ' ' || *s == '\t'))
            s++, n--;
          if (value->len > 0)
            g_string_append_c (value, block_style == '|' ? '\n' : ' ');
          g_string_append_len (value, s, n);
          continue;
        }
      if (line_is_blank (&line))
        {
          if (closed)
            continue;
          break;
        }
      if (line.start[0] == '#')
        {
          /* A comment in a closed block; in an unclosed one, more likely a heading. */
          if (!closed)
            break;
          continue;
        }

      key_length = line_is_continuation (&line) ? 0 : line_key_length (&line);
      if (key_length == 0)
        {
          g_autofree char *shown = g_utf8_make_valid (line.start, MIN (line.length, 60));

          if (!closed)
            break;
          ms_markdown_doc_add_notice (doc, _("%s, line %u: “%s” in the front matter is not a "
                                             "“key: value” line"),
                                      doc->name, line_number, shown);
          continue;
        }

      if (key != NULL)
        set_front_matter_value (doc, key, key_line, value->str);
      g_free (key);
      key = g_strndup (line.start, key_length);
      key_line = line_number;
      g_string_assign (value, "");
      {
        const char *s = line.start + key_length + 1;
        gsize n = line.length - key_length - 1;

        while (n > 0 && (*s == ' ' || *s == '\t'))
          s++, n--;
        block_style = 0;
        if (n > 0 && (s[0] == '|' || s[0] == '>') && (n == 1 || s[1] == '-' || s[1] == '+'))
          block_style = s[0];
        else
          g_string_append_len (value, s, n);
      }
    }
  if (key != NULL)
    set_front_matter_value (doc, key, key_line, value->str);

  if (!closed)
    ms_markdown_doc_add_notice (doc, _("%s, line 1: the front matter is not closed by a “---” "
                                       "line; it is taken to end before line %u"),
                                doc->name, p < end ? line_number : line_number + 1);
  return p - text;
}
