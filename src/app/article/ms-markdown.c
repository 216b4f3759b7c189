/* ms-markdown.c: Markdown (parsed with md4c) rendered into a GtkTextBuffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rendering happens in two steps. ms_markdown_doc_parse() validates the bytes, reads the front
 * matter and walks md4c's callbacks to build plain text plus a list of spans (character
 * ranges with a kind: heading, emphasis, link, ...). It owns no GTK object, so the panel runs
 * it in a worker thread. ms_markdown_doc_render() then inserts the text into a buffer and
 * applies one GtkTextTag per span, on the main thread.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <md4c.h>
#include <string.h>

#include "ms-markdown.h"

/* Deeper nesting than this still renders, but is not indented any further. */
#define MAX_INDENT_LEVEL 8

typedef enum
{
  KIND_P,
  KIND_H,
  KIND_EM,
  KIND_STRONG,
  KIND_DEL,
  KIND_U,
  KIND_CODE,
  KIND_CODEBLOCK,
  KIND_HTML,
  KIND_QUOTE,
  KIND_INDENT,
  KIND_LIST_ITEM,
  KIND_LIST_END,
  KIND_BULLET,
  KIND_LINK,
  KIND_TERM,
  KIND_HR,
  KIND_TABLE_ROW,
  KIND_TABLE_HEADER,
} SpanKind;

typedef struct
{
  int start;       /* Character offsets into the rendered text. */
  int end;
  guint8 kind;     /* A SpanKind. */
  guint8 level;    /* Heading level or indentation level. */
  char *data;      /* Owned: the href of a link, the id of a term. */
} Span;

typedef struct
{
  char *title;     /* Owned. */
  guint level;
  int offset;
} Heading;

typedef struct
{
  int offset;      /* Offset of the anchor character. */
  char *src;       /* All owned. */
  char *alt;
  char *title;
} Image;

struct _MsMarkdownDoc
{
  gatomicrefcount ref_count;

  char *name;           /* File name used in messages. */
  char *title;          /* Front matter values, NULL when absent. */
  char *date;
  char *date_display;
  char *summary;

  GString *text;        /* Rendered text, UTF-8. */
  int n_chars;
  GArray *spans;        /* Span */
  GArray *headings;     /* Heading */
  GArray *images;       /* Image */
  GPtrArray *notices;   /* char *, human-readable remarks about the input */
  guint section_level;
};

G_DEFINE_QUARK (ms-markdown-error-quark, ms_markdown_error)

/* The key terms and the plain-text phrases that stand for them. Words in a pattern may be
 * separated by a space or a hyphen in the text; a plural "s" is accepted. */
static const struct
{
  const char *pattern;
  const char *id;
} terms[] = {
  { "base optimizer", MS_TERM_BASE_OPTIMIZER },
  { "mesa optimizer", MS_TERM_MESA_OPTIMIZER },
  { "base objective", MS_TERM_BASE_OBJECTIVE },
  { "mesa objective", MS_TERM_MESA_OBJECTIVE },
  { "goal misgeneralization", MS_TERM_GOAL_MISGENERALIZATION },
  { "stochastic gradient descent", MS_TERM_STOCHASTIC_GRADIENT_DESCENT },
};

/* Named entities beyond these stay as written; numeric ones are always decoded. */
static const struct
{
  const char *name;
  const char *utf8;
} entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", "\u00a0" }, { "copy", "\u00a9" }, { "reg", "\u00ae" }, { "trade", "\u2122" },
  { "mdash", "\u2014" }, { "ndash", "\u2013" }, { "hellip", "\u2026" }, { "laquo", "\u00ab" },
  { "raquo", "\u00bb" }, { "lsquo", "\u2018" }, { "rsquo", "\u2019" }, { "ldquo", "\u201c" },
  { "rdquo", "\u201d" }, { "times", "\u00d7" }, { "divide", "\u00f7" }, { "deg", "\u00b0" },
  { "middot", "\u00b7" }, { "bull", "\u2022" }, { "euro", "\u20ac" }, { "pound", "\u00a3" },
  { "para", "\u00b6" }, { "sect", "\u00a7" }, { "rarr", "\u2192" }, { "larr", "\u2190" },
  { "alpha", "\u03b1" }, { "beta", "\u03b2" }, { "gamma", "\u03b3" }, { "theta", "\u03b8" },
  { "phi", "\u03c6" }, { "pi", "\u03c0" }, { "sum", "\u2211" }, { "infin", "\u221e" },
  { "le", "\u2264" }, { "ge", "\u2265" }, { "ne", "\u2260" }, { "asymp", "\u2248" },
};

static void
span_clear (gpointer data)
{
  Span *span = data;

  g_free (span->data);
}

static void
heading_clear (gpointer data)
{
  Heading *heading = data;

  g_free (heading->title);
}

static void
image_clear (gpointer data)
{
  Image *image = data;

  g_free (image->src);
  g_free (image->alt);
  g_free (image->title);
}

static MsMarkdownDoc *
doc_new (const char *name)
{
  MsMarkdownDoc *doc = g_new0 (MsMarkdownDoc, 1);

  g_atomic_ref_count_init (&doc->ref_count);
  doc->name = g_strdup (name != NULL ? name : _("document"));
  doc->text = g_string_new (NULL);
  doc->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_array_set_clear_func (doc->spans, span_clear);
  doc->headings = g_array_new (FALSE, FALSE, sizeof (Heading));
  g_array_set_clear_func (doc->headings, heading_clear);
  doc->images = g_array_new (FALSE, FALSE, sizeof (Image));
  g_array_set_clear_func (doc->images, image_clear);
  doc->notices = g_ptr_array_new_with_free_func (g_free);
  return doc;
}

MsMarkdownDoc *
ms_markdown_doc_ref (MsMarkdownDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  g_atomic_ref_count_inc (&doc->ref_count);
  return doc;
}

void
ms_markdown_doc_unref (MsMarkdownDoc *doc)
{
  g_return_if_fail (doc != NULL);

  if (!g_atomic_ref_count_dec (&doc->ref_count))
    return;
  g_free (doc->name);
  g_free (doc->title);
  g_free (doc->date);
  g_free (doc->date_display);
  g_free (doc->summary);
  g_string_free (doc->text, TRUE);
  g_array_unref (doc->spans);
  g_array_unref (doc->headings);
  g_array_unref (doc->images);
  g_ptr_array_unref (doc->notices);
  g_free (doc);
}

G_GNUC_PRINTF (2, 3)
static void
add_notice (MsMarkdownDoc *doc,
            const char    *format,
            ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (doc->notices, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
add_span (MsMarkdownDoc *doc,
          SpanKind       kind,
          guint          level,
          int            start,
          int            end,
          char          *data)
{
  Span span = { start, end, kind, MIN (level, 255), data };

  if (end <= start)
    {
      g_free (data);
      return;
    }
  g_array_append_val (doc->spans, span);
}

/* Front matter ------------------------------------------------------------------------- */

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
      add_notice (doc, _("%s, line %u: the quoted value of “%s” has no closing quote"),
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
          add_notice (doc, _("%s, line %u: “%s” is not a date (expected YYYY-MM-DD)"),
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
static gsize
parse_front_matter (MsMarkdownDoc *doc,
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
          add_notice (doc, _("%s, line %u: “%s” in the front matter is not a “key: value” line"),
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
    add_notice (doc, _("%s, line 1: the front matter is not closed by a “---” line; "
                       "it is taken to end before line %u"),
                doc->name, p < end ? line_number : line_number + 1);
  return p - text;
}

/* Markdown body ------------------------------------------------------------------------ */

typedef struct
{
  gboolean ordered;
  guint next_number;
  char delimiter;
} ListState;

typedef struct
{
  SpanKind kind;
  int start;
  char *data;
} OpenSpan;

typedef struct
{
  MsMarkdownDoc *doc;
  GArray *open;              /* OpenSpan: inline spans entered and not yet left. */
  GArray *lists;             /* ListState: the enclosing lists, innermost last. */
  guint quote_depth;
  gboolean in_code;
  gboolean in_html;

  gboolean line_open;        /* A rendered line (a block's paragraph) has been started. */
  int line_start;
  gsize line_start_byte;
  guint line_spans;          /* Number of spans when the line started. */
  guint line_level;          /* Indentation level of the line. */
  gboolean line_in_quote;
  gboolean line_is_item;
  gboolean line_scan_terms;
  gboolean item_fresh;       /* A list bullet was written and its first block not yet. */
  int last_line_start;       /* Start of the last finished line. */
  int physical_chars;        /* Characters since the last '\n'. */
  gboolean wrapped;

  int block_start;
  gsize block_start_byte;
  guint heading_level;
  int cell_start;
  guint cell_index;

  guint image_depth;
  GString *alt;
  char *image_src;
  char *image_title;
  guint no_term_depth;       /* Inside links and code spans no term is recognised. */
  GHashTable *seen_terms;    /* Term ids already linked in the current section. */
} Builder;

/* Appends text, breaking physical lines that grow beyond MS_MARKDOWN_MAX_LINE_CHARS. */
static void
append (Builder    *b,
        const char *s,
        gsize       length)
{
  MsMarkdownDoc *doc = b->doc;
  const char *p = s;
  const char *end = s + length;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *segment_end = newline != NULL ? newline : end;

      while (p < segment_end)
        {
          int room = MS_MARKDOWN_MAX_LINE_CHARS - b->physical_chars;
          const char *q = p;
          int n = 0;

          if (room <= 0)
            {
              g_string_append_c (doc->text, '\n');
              doc->n_chars++;
              b->physical_chars = 0;
              b->wrapped = TRUE;
              continue;
            }
          while (q < segment_end && n < room)
            {
              q = g_utf8_next_char (q);
              n++;
            }
          g_string_append_len (doc->text, p, q - p);
          doc->n_chars += n;
          b->physical_chars += n;
          p = q;
        }
      if (newline != NULL)
        {
          g_string_append_c (doc->text, '\n');
          doc->n_chars++;
          b->physical_chars = 0;
          p = newline + 1;
        }
    }
}

static void
append_str (Builder    *b,
            const char *s)
{
  append (b, s, strlen (s));
}

static gboolean
is_word_byte (guchar c)
{
  return g_ascii_isalnum (c) || c == '_' || c >= 0x80;
}

static gsize
match_term (const char *p,
            const char *end,
            const char *pattern)
{
  const char *q = p;

  for (; *pattern != '\0'; pattern++, q++)
    {
      if (q >= end)
        return 0;
      if (*pattern == ' ')
        {
          if (*q != ' ' && *q != '-')
            return 0;
        }
      else if (g_ascii_tolower (*q) != *pattern)
        return 0;
    }
  if (q < end && (*q == 's' || *q == 'S') && (q + 1 >= end || !is_word_byte (q[1])))
    q++;
  if (q < end && is_word_byte (*q))
    return 0;
  return q - p;
}

static gboolean
overlaps_link_or_code (Builder *b,
                       int      start,
                       int      end)
{
  for (guint i = b->line_spans; i < b->doc->spans->len; i++)
    {
      Span *span = &g_array_index (b->doc->spans, Span, i);

      if ((span->kind == KIND_LINK || span->kind == KIND_TERM || span->kind == KIND_CODE)
          && span->start < end && start < span->end)
        return TRUE;
    }
  return FALSE;
}

/* Turns the first mention of each key term in a section into a term link. */
static void
scan_terms (Builder *b)
{
  GString *text = b->doc->text;
  const char *p = text->str + b->line_start_byte;
  const char *end = text->str + text->len;
  int offset = b->line_start;
  gboolean previous_is_word = FALSE;
  guint line_spans_end = b->doc->spans->len;

  while (p < end)
    {
      guchar c = *p;

      if (!previous_is_word && g_ascii_isalpha (c))
        {
          gsize matched = 0;

          for (guint i = 0; i < G_N_ELEMENTS (terms) && matched == 0; i++)
            {
              matched = match_term (p, end, terms[i].pattern);
              if (matched > 0 && !g_hash_table_contains (b->seen_terms, terms[i].id))
                {
                  guint spans = b->doc->spans->len;

                  /* Only the spans of this line are checked, not the terms just added. */
                  b->doc->spans->len = line_spans_end;
                  if (!overlaps_link_or_code (b, offset, offset + (int) matched))
                    {
                      b->doc->spans->len = spans;
                      add_span (b->doc, KIND_TERM, 0, offset, offset + (int) matched,
                                g_strdup (terms[i].id));
                      g_hash_table_add (b->seen_terms, (gpointer) terms[i].id);
                    }
                  else
                    b->doc->spans->len = spans;
                }
            }
          if (matched > 0)
            {
              /* Terms are ASCII: one byte is one character. */
              p += matched;
              offset += matched;
              previous_is_word = TRUE;
              continue;
            }
        }
      previous_is_word = is_word_byte (c);
      p = g_utf8_next_char (p);
      offset++;
    }
}

static guint
current_level (Builder *b)
{
  return MIN (b->quote_depth + b->lists->len + (b->in_code || b->in_html ? 1 : 0),
              MAX_INDENT_LEVEL);
}

static void
line_begin (Builder *b)
{
  if (b->line_open)
    return;
  b->line_open = TRUE;
  b->line_start = b->doc->n_chars;
  b->line_start_byte = b->doc->text->len;
  b->line_spans = b->doc->spans->len;
  b->line_level = current_level (b);
  b->line_in_quote = b->quote_depth > 0;
  b->line_is_item = FALSE;
  b->line_scan_terms = !b->in_code && !b->in_html;
}

static void
line_end (Builder *b)
{
  MsMarkdownDoc *doc = b->doc;

  if (!b->line_open)
    return;
  if (doc->n_chars == b->line_start || doc->text->str[doc->text->len - 1] != '\n')
    append (b, "\n", 1);
  if (b->line_scan_terms)
    scan_terms (b);
  if (b->line_level > 0)
    add_span (doc, KIND_INDENT, b->line_level, b->line_start, doc->n_chars, NULL);
  if (b->line_in_quote)
    add_span (doc, KIND_QUOTE, 0, b->line_start, doc->n_chars, NULL);
  if (b->line_is_item)
    add_span (doc, KIND_LIST_ITEM, 0, b->line_start, doc->n_chars, NULL);
  b->last_line_start = b->line_start;
  b->line_open = FALSE;
}

static void
block_begin (Builder *b)
{
  if (b->item_fresh)
    {
      /* The first block of a list item continues the line its bullet started. */
      b->item_fresh = FALSE;
      b->block_start = b->line_start;
      b->block_start_byte = b->line_start_byte;
      return;
    }
  line_end (b);
  line_begin (b);
  b->block_start = b->doc->n_chars;
  b->block_start_byte = b->doc->text->len;
}

static void
append_entity (GString    *out,
               const char *s,
               gsize       length)
{
  /* s is "&name;", "&#123;" or "&#x7B;" as md4c found it. */
  if (length > 3 && s[1] == '#')
    {
      gboolean hex = s[2] == 'x' || s[2] == 'X';
      g_autofree char *digits = g_strndup (s + (hex ? 3 : 2), length - (hex ? 4 : 3));
      guint64 value = g_ascii_strtoull (digits, NULL, hex ? 16 : 10);

      if (value == 0 || value > 0x10FFFF || !g_unichar_validate ((gunichar) value))
        value = 0xFFFD;
      g_string_append_unichar (out, (gunichar) value);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      if (length == strlen (entities[i].name) + 2
          && strncmp (s + 1, entities[i].name, length - 2) == 0)
        {
          g_string_append (out, entities[i].utf8);
          return;
        }
    }
  g_string_append_len (out, s, length);
}

static char *
attribute_to_string (const MD_ATTRIBUTE *attribute)
{
  GString *out = g_string_sized_new (attribute->size);

  for (guint i = 0; attribute->substr_offsets[i] < attribute->size; i++)
    {
      const char *s = attribute->text + attribute->substr_offsets[i];
      gsize length = attribute->substr_offsets[i + 1] - attribute->substr_offsets[i];

      switch (attribute->substr_types[i])
        {
        case MD_TEXT_ENTITY:
          append_entity (out, s, length);
          break;
        case MD_TEXT_NULLCHAR:
          g_string_append (out, "\uFFFD");
          break;
        default:
          g_string_append_len (out, s, length);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

static const char *
bullet_for_depth (guint depth)
{
  static const char *bullets[] = { "\u2022", "\u25e6", "\u25aa" };

  return bullets[(depth - 1) % G_N_ELEMENTS (bullets)];
}

static int
enter_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Builder *b = user_data;
  MsMarkdownDoc *doc = b->doc;

  switch (type)
    {
    case MD_BLOCK_DOC:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
      break;

    case MD_BLOCK_QUOTE:
      line_end (b);
      b->item_fresh = FALSE;
      b->quote_depth++;
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        ListState list = { type == MD_BLOCK_OL, 1, '.' };

        if (type == MD_BLOCK_OL)
          {
            MD_BLOCK_OL_DETAIL *ol = detail;

            list.next_number = ol->start;
            list.delimiter = ol->mark_delimiter;
          }
        line_end (b);
        b->item_fresh = FALSE;
        g_array_append_val (b->lists, list);
      }
      break;

    case MD_BLOCK_LI:
      {
        MD_BLOCK_LI_DETAIL *li = detail;
        ListState *list = &g_array_index (b->lists, ListState, b->lists->len - 1);
        g_autofree char *bullet = NULL;
        int start;

        line_end (b);
        line_begin (b);
        b->line_is_item = TRUE;
        if (li->is_task)
          bullet = g_strdup (li->task_mark == ' ' ? "\u2610" : "\u2611");
        else if (list->ordered)
          bullet = g_strdup_printf ("%u%c", list->next_number++, list->delimiter);
        else
          bullet = g_strdup (bullet_for_depth (b->lists->len));
        start = doc->n_chars;
        append_str (b, bullet);
        add_span (doc, KIND_BULLET, 0, start, doc->n_chars, NULL);
        append (b, " ", 1);
        b->item_fresh = TRUE;
      }
      break;

    case MD_BLOCK_HR:
      {
        int start;

        block_begin (b);
        start = doc->n_chars;
        append_str (b, "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500");
        line_end (b);
        add_span (doc, KIND_HR, 0, start, doc->n_chars, NULL);
      }
      break;

    case MD_BLOCK_H:
      b->heading_level = CLAMP (((MD_BLOCK_H_DETAIL *) detail)->level, 1, 6);
      block_begin (b);
      b->line_scan_terms = FALSE;
      break;

    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
      line_end (b);
      b->item_fresh = FALSE;
      if (type == MD_BLOCK_CODE)
        b->in_code = TRUE;
      else
        b->in_html = TRUE;
      block_begin (b);
      break;

    case MD_BLOCK_P:
      block_begin (b);
      break;

    case MD_BLOCK_TABLE:
      line_end (b);
      b->item_fresh = FALSE;
      break;

    case MD_BLOCK_TR:
      block_begin (b);
      b->cell_index = 0;
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (b->cell_index++ > 0)
        append_str (b, " \u2502 ");
      b->cell_start = doc->n_chars;
      break;

    default:
      break;
    }
  return 0;
}

static int
leave_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Builder *b = user_data;
  MsMarkdownDoc *doc = b->doc;

  switch (type)
    {
    case MD_BLOCK_QUOTE:
      line_end (b);
      b->quote_depth--;
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      line_end (b);
      if (b->lists->len == 1)
        add_span (doc, KIND_LIST_END, 0, b->last_line_start, doc->n_chars, NULL);
      g_array_set_size (b->lists, b->lists->len - 1);
      break;

    case MD_BLOCK_LI:
      line_end (b);
      b->item_fresh = FALSE;
      break;

    case MD_BLOCK_H:
      {
        Heading heading;
        const char *title;

        /* line_end() appends to the text, which may move it: take the pointer after. */
        line_end (b);
        title = doc->text->str + b->block_start_byte;
        add_span (doc, KIND_H, b->heading_level, b->block_start, doc->n_chars, NULL);
        heading.title = g_strstrip (g_strndup (title, doc->text->str + doc->text->len - title));
        heading.level = b->heading_level;
        heading.offset = b->block_start;
        g_array_append_val (doc->headings, heading);
        if (doc->section_level == 0 || heading.level < doc->section_level)
          doc->section_level = heading.level;
        if (heading.level <= 2)
          g_hash_table_remove_all (b->seen_terms);
      }
      break;

    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
      line_end (b);
      add_span (doc, type == MD_BLOCK_CODE ? KIND_CODEBLOCK : KIND_HTML, 0,
                b->block_start, doc->n_chars, NULL);
      b->in_code = b->in_html = FALSE;
      break;

    case MD_BLOCK_P:
      line_end (b);
      add_span (doc, KIND_P, 0, b->block_start, doc->n_chars, NULL);
      break;

    case MD_BLOCK_TR:
      line_end (b);
      add_span (doc, KIND_TABLE_ROW, 0, b->block_start, doc->n_chars, NULL);
      break;

    case MD_BLOCK_TH:
      add_span (doc, KIND_TABLE_HEADER, 0, b->cell_start, doc->n_chars, NULL);
      break;

    case MD_BLOCK_TABLE:
      add_span (doc, KIND_LIST_END, 0, b->last_line_start, doc->n_chars, NULL);
      break;

    default:
      break;
    }
  return 0;
}

static int
enter_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  Builder *b = user_data;
  OpenSpan span = { 0, b->doc->n_chars, NULL };

  if (b->image_depth > 0)
    {
      /* Spans inside an image's alt text only contribute their text. */
      if (type == MD_SPAN_IMG)
        b->image_depth++;
      return 0;
    }

  if (!b->line_open)
    line_begin (b);

  switch (type)
    {
    case MD_SPAN_EM:
      span.kind = KIND_EM;
      break;
    case MD_SPAN_STRONG:
      span.kind = KIND_STRONG;
      break;
    case MD_SPAN_DEL:
      span.kind = KIND_DEL;
      break;
    case MD_SPAN_U:
      span.kind = KIND_U;
      break;
    case MD_SPAN_CODE:
      span.kind = KIND_CODE;
      b->no_term_depth++;
      break;
    case MD_SPAN_A:
      {
        MD_SPAN_A_DETAIL *a = detail;
        char *href = attribute_to_string (&a->href);

        if (g_str_has_prefix (href, "term:"))
          {
            span.kind = KIND_TERM;
            span.data = g_strdup (href + strlen ("term:"));
            g_free (href);
          }
        else
          {
            span.kind = KIND_LINK;
            span.data = href;
          }
        b->no_term_depth++;
      }
      break;
    case MD_SPAN_IMG:
      {
        MD_SPAN_IMG_DETAIL *img = detail;

        b->image_depth = 1;
        g_string_truncate (b->alt, 0);
        g_free (b->image_src);
        g_free (b->image_title);
        b->image_src = attribute_to_string (&img->src);
        b->image_title = attribute_to_string (&img->title);
      }
      return 0;
    default:
      /* Wiki links and LaTeX are not enabled; keep the stack balanced all the same. */
      span.kind = KIND_EM;
      span.start = -1;
      break;
    }
  g_array_append_val (b->open, span);
  return 0;
}

static int
leave_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  Builder *b = user_data;
  MsMarkdownDoc *doc = b->doc;
  OpenSpan span;

  if (b->image_depth > 0)
    {
      if (type == MD_SPAN_IMG && --b->image_depth == 0)
        {
          Image image;

          /* The anchor character is the last one appended: a long line may have been broken
           * just before it. */
          append_str (b, "\uFFFC");
          image.offset = doc->n_chars - 1;
          image.src = g_steal_pointer (&b->image_src);
          image.alt = g_strdup (b->alt->str);
          image.title = g_steal_pointer (&b->image_title);
          g_array_append_val (doc->images, image);
        }
      return 0;
    }

  if (b->open->len == 0)
    return 0;
  span = g_array_index (b->open, OpenSpan, b->open->len - 1);
  g_array_set_size (b->open, b->open->len - 1);
  if (span.kind == KIND_CODE || span.kind == KIND_LINK || span.kind == KIND_TERM)
    b->no_term_depth--;
  if (span.start < 0)
    return 0;
  add_span (doc, span.kind, 0, span.start, doc->n_chars, span.data);
  return 0;
}

static int
text_cb (MD_TEXTTYPE    type,
         const MD_CHAR *text,
         MD_SIZE        size,
         void          *user_data)
{
  Builder *b = user_data;

  if (b->image_depth > 0)
    {
      if (type == MD_TEXT_ENTITY)
        append_entity (b->alt, text, size);
      else if (type == MD_TEXT_SOFTBR || type == MD_TEXT_BR)
        g_string_append_c (b->alt, ' ');
      else if (type == MD_TEXT_NULLCHAR)
        g_string_append (b->alt, "\uFFFD");
      else
        g_string_append_len (b->alt, text, size);
      return 0;
    }

  if (!b->line_open)
    line_begin (b);

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      append_str (b, "\uFFFD");
      break;
    case MD_TEXT_BR:
      /* A line separator breaks the line but keeps one paragraph (and its tags). */
      append_str (b, "\u2028");
      break;
    case MD_TEXT_SOFTBR:
      append (b, " ", 1);
      break;
    case MD_TEXT_ENTITY:
      {
        g_autoptr (GString) decoded = g_string_new (NULL);

        append_entity (decoded, text, size);
        append (b, decoded->str, decoded->len);
      }
      break;
    default:
      append (b, text, size);
      break;
    }
  return 0;
}

MsMarkdownDoc *
ms_markdown_doc_parse (const char  *data,
                       gsize        length,
                       const char  *name,
                       GError     **error)
{
  g_autoptr (MsMarkdownDoc) doc = NULL;
  g_autofree char *valid = NULL;
  const char *text = data;
  const char *bad;
  const char *nul;
  gsize body;
  Builder b = { 0 };
  MD_PARSER parser = { 0 };
  int status;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (name == NULL)
    name = _("document");
  if (length > MS_MARKDOWN_MAX_SIZE)
    {
      g_autofree char *size = g_format_size_full (length, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (MS_MARKDOWN_MAX_SIZE,
                                                   G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_TOO_BIG,
                   _("“%s” is too big to show: it has %s, the limit is %s"), name, size, limit);
      return NULL;
    }
  nul = length > 0 ? memchr (data, '\0', length) : NULL;
  if (nul != NULL)
    {
      g_autofree char *offset = g_strdup_printf ("%" G_GSIZE_FORMAT, (gsize) (nul - data));

      g_set_error (error, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_BINARY,
                   _("“%s” is a binary file, not Markdown text (it has a NUL byte at byte %s)"),
                   name, offset);
      return NULL;
    }

  doc = doc_new (name);
  if (!g_utf8_validate_len (data, length, &bad))
    {
      guint line = 1;

      for (const char *p = data; p < bad; p++)
        line += *p == '\n';
      add_notice (doc, _("%s, line %u: the file is not valid UTF-8 text; bytes that are not "
                         "UTF-8 are shown as “\uFFFD”"), doc->name, line);
      valid = g_utf8_make_valid (data, length);
      text = valid;
      length = strlen (valid);
    }
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  body = parse_front_matter (doc, text, length);

  b.doc = doc;
  b.open = g_array_new (FALSE, FALSE, sizeof (OpenSpan));
  b.lists = g_array_new (FALSE, FALSE, sizeof (ListState));
  b.alt = g_string_new (NULL);
  b.seen_terms = g_hash_table_new (g_str_hash, g_str_equal);
  parser.flags = MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEWWWAUTOLINKS
                 | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
  parser.enter_block = enter_block_cb;
  parser.leave_block = leave_block_cb;
  parser.enter_span = enter_span_cb;
  parser.leave_span = leave_span_cb;
  parser.text = text_cb;
  status = md_parse (text + body, length - body, &parser, &b);
  line_end (&b);

  for (guint i = 0; i < b.open->len; i++)
    g_free (g_array_index (b.open, OpenSpan, i).data);
  g_array_unref (b.open);
  g_array_unref (b.lists);
  g_string_free (b.alt, TRUE);
  g_free (b.image_src);
  g_free (b.image_title);
  g_hash_table_unref (b.seen_terms);

  if (status != 0)
    {
      g_set_error (error, MS_MARKDOWN_ERROR, MS_MARKDOWN_ERROR_FAILED,
                   _("“%s” could not be read as Markdown"), name);
      return NULL;
    }
  if (b.wrapped)
    add_notice (doc, _("%s: lines longer than %d characters were broken into several lines"),
                doc->name, MS_MARKDOWN_MAX_LINE_CHARS);
  return g_steal_pointer (&doc);
}

const char *
ms_markdown_doc_get_name (MsMarkdownDoc *doc)
{
  return doc->name;
}

const char *
ms_markdown_doc_get_title (MsMarkdownDoc *doc)
{
  return doc->title;
}

const char *
ms_markdown_doc_get_date (MsMarkdownDoc *doc)
{
  return doc->date;
}

const char *
ms_markdown_doc_get_date_display (MsMarkdownDoc *doc)
{
  return doc->date_display;
}

const char *
ms_markdown_doc_get_summary (MsMarkdownDoc *doc)
{
  return doc->summary;
}

const char *
ms_markdown_doc_get_text (MsMarkdownDoc *doc)
{
  return doc->text->str;
}

guint
ms_markdown_doc_get_n_notices (MsMarkdownDoc *doc)
{
  return doc->notices->len;
}

const char *
ms_markdown_doc_get_notice (MsMarkdownDoc *doc,
                            guint          index)
{
  g_return_val_if_fail (index < doc->notices->len, NULL);

  return g_ptr_array_index (doc->notices, index);
}

guint
ms_markdown_doc_get_n_headings (MsMarkdownDoc *doc)
{
  return doc->headings->len;
}

const char *
ms_markdown_doc_get_heading (MsMarkdownDoc *doc,
                             guint          index,
                             guint         *level,
                             int           *offset)
{
  Heading *heading;

  g_return_val_if_fail (index < doc->headings->len, NULL);

  heading = &g_array_index (doc->headings, Heading, index);
  if (level != NULL)
    *level = heading->level;
  if (offset != NULL)
    *offset = heading->offset;
  return heading->title;
}

guint
ms_markdown_doc_get_section_level (MsMarkdownDoc *doc)
{
  return doc->section_level;
}

guint
ms_markdown_doc_get_n_images (MsMarkdownDoc *doc)
{
  return doc->images->len;
}

int
ms_markdown_doc_get_image (MsMarkdownDoc  *doc,
                           guint           index,
                           const char    **src,
                           const char    **alt,
                           const char    **title)
{
  Image *image;

  g_return_val_if_fail (index < doc->images->len, -1);

  image = &g_array_index (doc->images, Image, index);
  if (src != NULL)
    *src = image->src;
  if (alt != NULL)
    *alt = image->alt;
  if (title != NULL)
    *title = image->title;
  return image->offset;
}

/* Rendering into a buffer ---------------------------------------------------------------- */

typedef struct
{
  double font_scale;
  gboolean dark;
  GPtrArray *link_tags;   /* Anonymous per-target tags this renderer added to the table. */
  guint n_heading_marks;
} BufferStyle;

static GQuark style_quark;
static GQuark href_quark;
static GQuark term_quark;

/* Tags created in this order, so later ones win where they set the same property. */
static const char *fixed_tags[] = {
  "body", "p", "list-item", "list-end", "table-row", "blockquote", "html", "codeblock",
  "hr", "h6", "h5", "h4", "h3", "h2", "h1", "bullet", "table-header", "em", "strong",
  "strike", "underline", "code", "link", "term", "search-match", "search-current",
};

static void
buffer_style_free (gpointer data)
{
  BufferStyle *style = data;

  g_ptr_array_unref (style->link_tags);
  g_free (style);
}

static void
ensure_quarks (void)
{
  if (style_quark == 0)
    {
      style_quark = g_quark_from_static_string ("ms-markdown-style");
      href_quark = g_quark_from_static_string ("ms-markdown-href");
      term_quark = g_quark_from_static_string ("ms-markdown-term");
    }
}

static int
px (double value,
    double scale)
{
  return (int) (value * scale + 0.5);
}

static void
style_tag (GtkTextTag *tag,
           const char *name,
           double      s,
           gboolean    dark)
{
  const GdkRGBA dim = dark ? (GdkRGBA) { 1, 1, 1, 0.7 } : (GdkRGBA) { 0, 0, 0, 0.65 };
  const GdkRGBA shade = { 0.5, 0.5, 0.5, 0.16 };
  const GdkRGBA link = dark ? (GdkRGBA) { 0.47, 0.68, 0.93, 1 }     /* #78aeed */
                            : (GdkRGBA) { 0.11, 0.44, 0.85, 1 };    /* #1c71d8 */
  const GdkRGBA term = dark ? (GdkRGBA) { 0.86, 0.54, 0.87, 1 }     /* #dc8add */
                            : (GdkRGBA) { 0.51, 0.24, 0.61, 1 };    /* #813d9c */
  const GdkRGBA term_bg = dark ? (GdkRGBA) { 0.86, 0.54, 0.87, 0.14 }
                               : (GdkRGBA) { 0.57, 0.25, 0.67, 0.10 };
  const GdkRGBA match = dark ? (GdkRGBA) { 0.96, 0.76, 0.07, 0.35 }
                             : (GdkRGBA) { 0.96, 0.83, 0.18, 0.55 };
  const GdkRGBA current = dark ? (GdkRGBA) { 1.0, 0.47, 0.0, 0.6 }
                               : (GdkRGBA) { 1.0, 0.47, 0.0, 0.55 };

  if (strcmp (name, "body") == 0)
    g_object_set (tag, "scale", s, NULL);
  else if (strcmp (name, "p") == 0)
    g_object_set (tag, "pixels-below-lines", px (10, s), NULL);
  else if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0')
    {
      static const double scales[] = { 1.8, 1.45, 1.2, 1.05, 1.0, 1.0 };
      static const int above[] = { 22, 16, 12, 10, 8, 8 };
      static const int below[] = { 8, 6, 4, 4, 4, 4 };
      int level = name[1] - '1';

      g_object_set (tag,
                    "scale", scales[level] * s,
                    "weight", level == 0 ? 800 : PANGO_WEIGHT_BOLD,
                    "pixels-above-lines", px (above[level], s),
                    "pixels-below-lines", px (below[level], s),
                    NULL);
    }
  else if (strcmp (name, "em") == 0)
    g_object_set (tag, "style", PANGO_STYLE_ITALIC, NULL);
  else if (strcmp (name, "strong") == 0)
    g_object_set (tag, "weight", PANGO_WEIGHT_BOLD, NULL);
  else if (strcmp (name, "strike") == 0)
    g_object_set (tag, "strikethrough", TRUE, NULL);
  else if (strcmp (name, "underline") == 0)
    g_object_set (tag, "underline", PANGO_UNDERLINE_SINGLE, NULL);
  else if (strcmp (name, "code") == 0)
    g_object_set (tag, "family", "monospace", "scale", 0.95 * s, "background-rgba", &shade,
                  NULL);
  else if (strcmp (name, "codeblock") == 0)
    g_object_set (tag,
                  "family", "monospace",
                  "scale", 0.95 * s,
                  "paragraph-background-rgba", &shade,
                  "wrap-mode", GTK_WRAP_CHAR,
                  "pixels-below-lines", px (10, s),
                  "right-margin", px (8, s),
                  NULL);
  else if (strcmp (name, "html") == 0)
    g_object_set (tag, "family", "monospace", "scale", 0.95 * s, "foreground-rgba", &dim,
                  NULL);
  else if (strcmp (name, "blockquote") == 0)
    g_object_set (tag, "style", PANGO_STYLE_ITALIC, "foreground-rgba", &dim,
                  "pixels-below-lines", px (6, s), NULL);
  else if (g_str_has_prefix (name, "indent-"))
    g_object_set (tag, "left-margin", px (26 * g_ascii_strtoull (name + 7, NULL, 10), s),
                  NULL);
  else if (strcmp (name, "list-item") == 0)
    g_object_set (tag, "indent", -px (18, s), "pixels-below-lines", px (3, s), NULL);
  else if (strcmp (name, "list-end") == 0)
    g_object_set (tag, "pixels-below-lines", px (12, s), NULL);
  else if (strcmp (name, "bullet") == 0)
    g_object_set (tag, "weight", PANGO_WEIGHT_BOLD, NULL);
  else if (strcmp (name, "link") == 0)
    g_object_set (tag, "foreground-rgba", &link, "underline", PANGO_UNDERLINE_SINGLE, NULL);
  else if (strcmp (name, "term") == 0)
    g_object_set (tag, "foreground-rgba", &term, "background-rgba", &term_bg,
                  "weight", 600, NULL);
  else if (strcmp (name, "hr") == 0)
    g_object_set (tag, "justification", GTK_JUSTIFY_CENTER, "foreground-rgba", &dim,
                  "pixels-above-lines", px (6, s), "pixels-below-lines", px (12, s), NULL);
  else if (strcmp (name, "table-row") == 0)
    g_object_set (tag, "pixels-below-lines", px (2, s), NULL);
  else if (strcmp (name, "table-header") == 0)
    g_object_set (tag, "weight", PANGO_WEIGHT_BOLD, NULL);
  else if (strcmp (name, "search-match") == 0)
    g_object_set (tag, "background-rgba", &match, NULL);
  else if (strcmp (name, "search-current") == 0)
    g_object_set (tag, "background-rgba", &current, NULL);
}

static BufferStyle *
ensure_buffer_style (GtkTextBuffer *buffer)
{
  BufferStyle *style;

  ensure_quarks ();
  style = g_object_get_qdata (G_OBJECT (buffer), style_quark);
  if (style == NULL)
    {
      GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);

      style = g_new0 (BufferStyle, 1);
      style->font_scale = 1.0;
      style->link_tags = g_ptr_array_new ();
      g_object_set_qdata_full (G_OBJECT (buffer), style_quark, style, buffer_style_free);
      for (guint i = 0; i < G_N_ELEMENTS (fixed_tags); i++)
        {
          GtkTextTag *tag = gtk_text_tag_table_lookup (table, fixed_tags[i]);

          if (tag == NULL)
            {
              tag = gtk_text_tag_new (fixed_tags[i]);
              gtk_text_tag_table_add (table, tag);
              g_object_unref (tag);
            }
          style_tag (tag, fixed_tags[i], style->font_scale, style->dark);
        }
    }
  return style;
}

static GtkTextTag *
ensure_tag (GtkTextBuffer *buffer,
            BufferStyle   *style,
            const char    *name)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);

  if (tag == NULL)
    {
      tag = gtk_text_tag_new (name);
      style_tag (tag, name, style->font_scale, style->dark);
      gtk_text_tag_table_add (table, tag);
      g_object_unref (tag);
    }
  return tag;
}

static GtkTextTag *
target_tag (GtkTextBuffer *buffer,
            BufferStyle   *style,
            GHashTable    *cache,
            GQuark         quark,
            const char    *target)
{
  g_autofree char *key = g_strdup_printf ("%c%s", quark == href_quark ? 'h' : 't', target);
  GtkTextTag *tag = g_hash_table_lookup (cache, key);

  if (tag == NULL)
    {
      tag = gtk_text_tag_new (NULL);
      g_object_set_qdata_full (G_OBJECT (tag), quark, g_strdup (target), g_free);
      gtk_text_tag_table_add (gtk_text_buffer_get_tag_table (buffer), tag);
      g_ptr_array_add (style->link_tags, tag);
      g_hash_table_insert (cache, g_steal_pointer (&key), tag);
      g_object_unref (tag);
    }
  return tag;
}

static const char *
span_tag_name (const Span *span,
               char        buffer[16])
{
  switch ((SpanKind) span->kind)
    {
    case KIND_P: return "p";
    case KIND_H: g_snprintf (buffer, 16, "h%u", span->level); return buffer;
    case KIND_EM: return "em";
    case KIND_STRONG: return "strong";
    case KIND_DEL: return "strike";
    case KIND_U: return "underline";
    case KIND_CODE: return "code";
    case KIND_CODEBLOCK: return "codeblock";
    case KIND_HTML: return "html";
    case KIND_QUOTE: return "blockquote";
    case KIND_INDENT: g_snprintf (buffer, 16, "indent-%u", span->level); return buffer;
    case KIND_LIST_ITEM: return "list-item";
    case KIND_LIST_END: return "list-end";
    case KIND_BULLET: return "bullet";
    case KIND_LINK: return "link";
    case KIND_TERM: return "term";
    case KIND_HR: return "hr";
    case KIND_TABLE_ROW: return "table-row";
    case KIND_TABLE_HEADER: return "table-header";
    default: return NULL;
    }
}

/* Text is inserted in pieces of this many bytes, tags checked against the clock in groups. */
#define TEXT_CHUNK 65536
#define SPANS_PER_CLOCK_CHECK 256

struct _MsMarkdownRenderer
{
  MsMarkdownDoc *doc;         /* Owned. */
  GtkTextBuffer *buffer;      /* Owned. */
  BufferStyle *style;         /* Owned by the buffer. */
  GHashTable *cache;          /* Owned: per-target tags of this document. */
  gsize text_byte;            /* Next byte of doc->text to insert. */
  int text_offset;            /* Its character offset. */
  guint next_image;
  guint next_span;
  gboolean text_done;
};

MsMarkdownRenderer *
ms_markdown_renderer_new (MsMarkdownDoc *doc,
                          GtkTextBuffer *buffer)
{
  MsMarkdownRenderer *renderer;
  GtkTextTagTable *table;
  BufferStyle *style;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);

  style = ensure_buffer_style (buffer);
  table = gtk_text_buffer_get_tag_table (buffer);

  /* Forget the previous document: text, per-target tags, heading marks. */
  gtk_text_buffer_set_text (buffer, "", 0);
  for (guint i = 0; i < style->link_tags->len; i++)
    gtk_text_tag_table_remove (table, g_ptr_array_index (style->link_tags, i));
  g_ptr_array_set_size (style->link_tags, 0);
  for (guint i = 0; i < style->n_heading_marks; i++)
    {
      g_autofree char *name = g_strdup_printf ("ms-heading-%u", i);
      GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, name);

      if (mark != NULL)
        gtk_text_buffer_delete_mark (buffer, mark);
    }
  style->n_heading_marks = 0;

  renderer = g_new0 (MsMarkdownRenderer, 1);
  renderer->doc = ms_markdown_doc_ref (doc);
  renderer->buffer = g_object_ref (buffer);
  renderer->style = style;
  renderer->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return renderer;
}

void
ms_markdown_renderer_free (MsMarkdownRenderer *renderer)
{
  if (renderer == NULL)
    return;
  ms_markdown_doc_unref (renderer->doc);
  g_object_unref (renderer->buffer);
  g_hash_table_unref (renderer->cache);
  g_free (renderer);
}

/* Inserts the next piece of text, or the child anchor standing for the next image. */
static void
insert_text_piece (MsMarkdownRenderer *renderer)
{
  MsMarkdownDoc *doc = renderer->doc;
  const char *p = doc->text->str + renderer->text_byte;
  const char *text_end = doc->text->str + doc->text->len;
  const char *q = MIN (p + TEXT_CHUNK, text_end);
  GtkTextIter end;

  /* Never split a character. */
  while (q < text_end && ((guchar) *q & 0xC0) == 0x80)
    q++;
  if (renderer->next_image < doc->images->len)
    {
      Image *image = &g_array_index (doc->images, Image, renderer->next_image);

      if (image->offset == renderer->text_offset)
        {
          gtk_text_buffer_get_end_iter (renderer->buffer, &end);
          gtk_text_buffer_create_child_anchor (renderer->buffer, &end);
          renderer->text_byte += strlen ("\uFFFC");
          renderer->text_offset++;
          renderer->next_image++;
          return;
        }
      if (image->offset - renderer->text_offset < q - p)
        {
          const char *anchor = g_utf8_offset_to_pointer (p, image->offset - renderer->text_offset);

          q = MIN (q, anchor);
        }
    }
  gtk_text_buffer_get_end_iter (renderer->buffer, &end);
  gtk_text_buffer_insert (renderer->buffer, &end, p, q - p);
  renderer->text_offset += g_utf8_strlen (p, q - p);
  renderer->text_byte += q - p;
}

static void
finish_text (MsMarkdownRenderer *renderer)
{
  MsMarkdownDoc *doc = renderer->doc;
  GtkTextBuffer *buffer = renderer->buffer;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag_by_name (buffer, "body", &start, &end);
  for (guint i = 0; i < doc->headings->len; i++)
    {
      Heading *heading = &g_array_index (doc->headings, Heading, i);
      g_autofree char *name = g_strdup_printf ("ms-heading-%u", i);

      gtk_text_buffer_get_iter_at_offset (buffer, &start, heading->offset);
      gtk_text_buffer_create_mark (buffer, name, &start, TRUE);
    }
  renderer->style->n_heading_marks = doc->headings->len;
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  renderer->text_done = TRUE;
}

static gboolean
span_is_block (const Span *span)
{
  switch ((SpanKind) span->kind)
    {
    case KIND_P:
    case KIND_H:
    case KIND_CODEBLOCK:
    case KIND_HTML:
    case KIND_QUOTE:
    case KIND_INDENT:
    case KIND_LIST_ITEM:
    case KIND_LIST_END:
    case KIND_HR:
    case KIND_TABLE_ROW:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
apply_span (MsMarkdownRenderer *renderer,
            const Span         *span)
{
  GtkTextBuffer *buffer = renderer->buffer;
  char name_buffer[16];
  const char *name = span_tag_name (span, name_buffer);
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, span->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, span->end);
  /* Block tags stop before the line's final newline: GTK takes a line's paragraph
   * properties from its first character, and a tag ending past a newline can make the text
   * view lay out the next line with this tag's style after later tag changes. */
  if (span_is_block (span) && span->end - span->start > 1)
    {
      GtkTextIter last = end;

      if (gtk_text_iter_backward_char (&last) && gtk_text_iter_ends_line (&last))
        end = last;
    }
  if (name != NULL)
    gtk_text_buffer_apply_tag (buffer, ensure_tag (buffer, renderer->style, name), &start, &end);
  if (span->kind == KIND_LINK || span->kind == KIND_TERM)
    gtk_text_buffer_apply_tag (buffer,
                               target_tag (buffer, renderer->style, renderer->cache,
                                           span->kind == KIND_LINK ? href_quark : term_quark,
                                           span->data != NULL ? span->data : ""),
                               &start, &end);
}

gboolean
ms_markdown_renderer_step (MsMarkdownRenderer *renderer,
                           gint64              budget_us)
{
  MsMarkdownDoc *doc;
  gint64 deadline;

  g_return_val_if_fail (renderer != NULL, TRUE);

  doc = renderer->doc;
  deadline = budget_us >= G_MAXINT64 / 2 ? G_MAXINT64 : g_get_monotonic_time () + budget_us;

  while (!renderer->text_done)
    {
      if (renderer->text_byte < doc->text->len)
        insert_text_piece (renderer);
      else
        finish_text (renderer);
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
    }

  while (renderer->next_span < doc->spans->len)
    {
      guint stop = MIN (renderer->next_span + SPANS_PER_CLOCK_CHECK, doc->spans->len);

      for (; renderer->next_span < stop; renderer->next_span++)
        apply_span (renderer, &g_array_index (doc->spans, Span, renderer->next_span));
      if (renderer->next_span < doc->spans->len && g_get_monotonic_time () >= deadline)
        return FALSE;
    }
  gtk_text_buffer_set_modified (renderer->buffer, FALSE);
  return TRUE;
}

void
ms_markdown_doc_render (MsMarkdownDoc *doc,
                        GtkTextBuffer *buffer)
{
  g_autoptr (MsMarkdownRenderer) renderer = NULL;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  renderer = ms_markdown_renderer_new (doc, buffer);
  while (!ms_markdown_renderer_step (renderer, G_MAXINT64))
    ;
}

typedef struct
{
  double font_scale;
  gboolean dark;
} RestyleData;

static void
restyle_tag_cb (GtkTextTag *tag,
                gpointer    user_data)
{
  RestyleData *data = user_data;
  g_autofree char *name = NULL;

  g_object_get (tag, "name", &name, NULL);
  if (name != NULL)
    style_tag (tag, name, data->font_scale, data->dark);
}

void
ms_markdown_buffer_set_style (GtkTextBuffer *buffer,
                              double         font_scale,
                              gboolean       dark)
{
  BufferStyle *style;
  RestyleData data = { font_scale, dark };

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (font_scale > 0);

  style = ensure_buffer_style (buffer);
  style->font_scale = font_scale;
  style->dark = dark;
  gtk_text_tag_table_foreach (gtk_text_buffer_get_tag_table (buffer), restyle_tag_cb, &data);
}

gboolean
ms_markdown_iter_get_link (const GtkTextIter  *iter,
                           const char        **href,
                           const char        **term_id)
{
  g_autoptr (GSList) tags = gtk_text_iter_get_tags (iter);
  const char *found_href = NULL;
  const char *found_term = NULL;

  ensure_quarks ();
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      const char *value;

      if ((value = g_object_get_qdata (l->data, href_quark)) != NULL)
        found_href = value;
      if ((value = g_object_get_qdata (l->data, term_quark)) != NULL)
        found_term = value;
    }
  if (href != NULL)
    *href = found_href;
  if (term_id != NULL)
    *term_id = found_term;
  return found_href != NULL || found_term != NULL;
}

char *
ms_markdown_slugify (const char *text)
{
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c) || c == '_')
        {
          if (dash && slug->len > 0)
            g_string_append_c (slug, '-');
          dash = FALSE;
          g_string_append_unichar (slug, g_unichar_tolower (c));
        }
      else if (g_unichar_isspace (c) || c == '-')
        dash = TRUE;
    }
  return g_string_free (slug, FALSE);
}
