/* ms-markdown-parse.c: Markdown bytes to a document, through md4c's callbacks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ms_markdown_doc_parse() refuses files that are too big or binary, repairs what is not
 * UTF-8, reads the front matter (ms-markdown-front-matter.c) and walks md4c's callbacks to
 * build the document's plain text plus its spans, headings and images
 * (ms-markdown-doc-private.h): the text as the reader will see it, bullets and numbers
 * included, with long lines broken and the first mention of each key term in a section
 * turned into a term link. GLib and md4c only: no GTK header, no display.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <md4c.h>
#include <string.h>

#include "ms-markdown-doc.h"
#include "ms-markdown-doc-private.h"

/* Deeper nesting than this still renders, but is not indented any further. */
#define MAX_INDENT_LEVEL 8

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
                      ms_markdown_doc_add_span (b->doc, KIND_TERM, 0, offset,
                                                offset + (int) matched, g_strdup (terms[i].id));
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
    ms_markdown_doc_add_span (doc, KIND_INDENT, b->line_level, b->line_start, doc->n_chars,
                              NULL);
  if (b->line_in_quote)
    ms_markdown_doc_add_span (doc, KIND_QUOTE, 0, b->line_start, doc->n_chars, NULL);
  if (b->line_is_item)
    ms_markdown_doc_add_span (doc, KIND_LIST_ITEM, 0, b->line_start, doc->n_chars, NULL);
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
        ms_markdown_doc_add_span (doc, KIND_BULLET, 0, start, doc->n_chars, NULL);
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
        ms_markdown_doc_add_span (doc, KIND_HR, 0, start, doc->n_chars, NULL);
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
        ms_markdown_doc_add_span (doc, KIND_LIST_END, 0, b->last_line_start, doc->n_chars,
                                  NULL);
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
        ms_markdown_doc_add_span (doc, KIND_H, b->heading_level, b->block_start, doc->n_chars,
                                  NULL);
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
      ms_markdown_doc_add_span (doc, type == MD_BLOCK_CODE ? KIND_CODEBLOCK : KIND_HTML, 0,
                                b->block_start, doc->n_chars, NULL);
      b->in_code = b->in_html = FALSE;
      break;

    case MD_BLOCK_P:
      line_end (b);
      ms_markdown_doc_add_span (doc, KIND_P, 0, b->block_start, doc->n_chars, NULL);
      break;

    case MD_BLOCK_TR:
      line_end (b);
      ms_markdown_doc_add_span (doc, KIND_TABLE_ROW, 0, b->block_start, doc->n_chars, NULL);
      break;

    case MD_BLOCK_TH:
      ms_markdown_doc_add_span (doc, KIND_TABLE_HEADER, 0, b->cell_start, doc->n_chars, NULL);
      break;

    case MD_BLOCK_TABLE:
      ms_markdown_doc_add_span (doc, KIND_LIST_END, 0, b->last_line_start, doc->n_chars, NULL);
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
  ms_markdown_doc_add_span (doc, span.kind, 0, span.start, doc->n_chars, span.data);
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

  doc = ms_markdown_doc_new (name);
  if (!g_utf8_validate_len (data, length, &bad))
    {
      guint line = 1;

      for (const char *p = data; p < bad; p++)
        line += *p == '\n';
      ms_markdown_doc_add_notice (doc, _("%s, line %u: the file is not valid UTF-8 text; bytes "
                                         "that are not UTF-8 are shown as “\uFFFD”"),
                                  doc->name, line);
      valid = g_utf8_make_valid (data, length);
      text = valid;
      length = strlen (valid);
    }
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  body = ms_markdown_doc_parse_front_matter (doc, text, length);

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
    ms_markdown_doc_add_notice (doc, _("%s: lines longer than %d characters were broken into "
                                       "several lines"),
                                doc->name, MS_MARKDOWN_MAX_LINE_CHARS);
  return g_steal_pointer (&doc);
}
