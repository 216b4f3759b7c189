/* sim-level.c: gridworld levels and their text format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sim-level.h"
#include "sim-json.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sim-file.h"
#include "sim-scenario.h"

G_DEFINE_QUARK (sim-level-error-quark, sim_level_error)

/* Level files are small; anything bigger than this is not a level. */
#define MAX_FILE_SIZE (4 * 1024 * 1024)
#define MAX_HORIZON 10000

static const char cell_symbols[SIM_N_CELLS] = { '.', '#', 'L', 'C', 'E', 'G', 'X', 'K', 'H' };

char
sim_cell_to_symbol (SimCell cell)
{
  if ((guint) cell >= SIM_N_CELLS)
    return '?';
  return cell_symbols[cell];
}

/* Returns the cell kind for a map symbol, SIM_N_CELLS for the start 'S', -1 if unknown. */
static int
symbol_to_cell (gunichar c)
{
  if (c == 'S')
    return SIM_N_CELLS;
  for (int i = 0; i < SIM_N_CELLS; i++)
    if ((gunichar) cell_symbols[i] == c)
      return i;
  return -1;
}

SimLevel *
sim_level_new (SimScenarioKind scenario,
               int             width,
               int             height,
               int             horizon)
{
  SimLevel *level;

  g_return_val_if_fail ((guint) scenario < SIM_N_SCENARIOS, NULL);
  g_return_val_if_fail (width >= 1 && width <= SIM_LEVEL_MAX_SIZE, NULL);
  g_return_val_if_fail (height >= 1 && height <= SIM_LEVEL_MAX_SIZE, NULL);
  g_return_val_if_fail (horizon >= 1, NULL);

  level = g_new0 (SimLevel, 1);
  level->ref_count = 1;
  level->scenario = scenario;
  level->width = width;
  level->height = height;
  level->horizon = horizon;
  level->start = 0;
  level->cells = g_new0 (guint8, (gsize) width * height);
  return level;
}

SimLevel *
sim_level_ref (SimLevel *level)
{
  g_return_val_if_fail (level != NULL, NULL);
  g_atomic_int_inc (&level->ref_count);
  return level;
}

void
sim_level_unref (SimLevel *level)
{
  if (level == NULL)
    return;
  if (g_atomic_int_dec_and_test (&level->ref_count))
    {
      g_free (level->cells);
      g_free (level);
    }
}

SimLevel *
sim_level_copy (const SimLevel *level)
{
  SimLevel *copy;

  g_return_val_if_fail (level != NULL, NULL);
  copy = sim_level_new (level->scenario, level->width, level->height, level->horizon);
  copy->start = level->start;
  memcpy (copy->cells, level->cells, (gsize) level->width * level->height);
  return copy;
}

gboolean
sim_level_equal (const SimLevel *a,
                 const SimLevel *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return a->scenario == b->scenario &&
         a->width == b->width &&
         a->height == b->height &&
         a->horizon == b->horizon &&
         a->start == b->start &&
         memcmp (a->cells, b->cells, (gsize) a->width * a->height) == 0;
}

int
sim_level_step (const SimLevel *level,
                int             s,
                SimAction       a)
{
  int x = s % level->width;
  int y = s / level->width;

  switch (a)
    {
    case SIM_ACTION_UP:
      y++;
      break;
    case SIM_ACTION_DOWN:
      y--;
      break;
    case SIM_ACTION_LEFT:
      x--;
      break;
    case SIM_ACTION_RIGHT:
      x++;
      break;
    case SIM_ACTION_STAY:
    case SIM_N_ACTIONS:
    default:
      return s;
    }
  if (x < 0 || x >= level->width || y < 0 || y >= level->height)
    return s;
  if (sim_level_get (level, x, y) == SIM_CELL_WALL)
    return s;
  return sim_level_index (level, x, y);
}

/* Parsing. The text is split into lines on '\n'; a '\r' right before it is dropped, so CRLF
 * files read like LF files. Lines and columns are 1-based; columns count UTF-8 characters. */

typedef struct
{
  const char *filename;
  const char *text;
  gsize length;
  gsize pos;            /* start of the next line */
  int line_no;          /* number of the current line */
  const char *line;     /* the current line, without its end of line */
  gsize line_len;
} Parser;

static void
parse_error (Parser     *p,
             GError    **error,
             int         code,
             int         line,
             int         col,
             const char *format,
             ...) G_GNUC_PRINTF (6, 7);

static void
parse_error (Parser     *p,
             GError    **error,
             int         code,
             int         line,
             int         col,
             const char *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SIM_LEVEL_ERROR, code, "%s:%d:%d: %s", p->filename, line, col, message);
}

/* Moves to the next line; FALSE at the end of the text. */
static gboolean
next_line (Parser *p)
{
  const char *nl;

  if (p->pos >= p->length)
    return FALSE;
  p->line = p->text + p->pos;
  nl = memchr (p->line, '\n', p->length - p->pos);
  if (nl != NULL)
    {
      p->line_len = nl - p->line;
      p->pos += p->line_len + 1;
    }
  else
    {
      p->line_len = p->length - p->pos;
      p->pos = p->length;
    }
  if (p->line_len > 0 && p->line[p->line_len - 1] == '\r')
    p->line_len--;
  p->line_no++;
  return TRUE;
}

/* Position just past the last character of the text: where "unexpected end of file" points. */
static void
end_position (Parser *p,
              int    *line,
              int    *col)
{
  const char *last_nl = NULL;
  gsize i;
  int n_lines = 1;

  for (i = 0; i < p->length; i++)
    if (p->text[i] == '\n')
      {
        n_lines++;
        last_nl = p->text + i;
      }
  *line = n_lines;
  if (last_nl == NULL)
    *col = (int) g_utf8_strlen (p->text, p->length) + 1;
  else
    *col = (int) g_utf8_strlen (last_nl + 1, p->text + p->length - (last_nl + 1)) + 1;
}

/* Column (1-based, in characters) of a byte offset in the current line. */
static int
column_of (Parser     *p,
           const char *at)
{
  return (int) g_utf8_strlen (p->line, at - p->line) + 1;
}

/* Spaces and tabs separate words; a stray '\r' (not part of a CRLF pair) counts as space too. */
static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

/* A header line split into at most 4 whitespace-separated tokens. */
typedef struct
{
  int n;
  const char *start[4];
  gsize len[4];
  gboolean too_many;
  const char *extra;    /* where the fifth token starts */
} Tokens;

static void
tokenize (Parser *p,
          Tokens *t)
{
  const char *c = p->line;
  const char *end = p->line + p->line_len;

  memset (t, 0, sizeof *t);
  while (c < end)
    {
      while (c < end && is_blank (*c))
        c++;
      if (c >= end)
        break;
      if (t->n == (int) G_N_ELEMENTS (t->start))
        {
          t->too_many = TRUE;
          t->extra = c;
          return;
        }
      t->start[t->n] = c;
      while (c < end && !is_blank (*c))
        c++;
      t->len[t->n] = c - t->start[t->n];
      t->n++;
    }
}

static gboolean
token_is (const Tokens *t,
          int           i,
          const char   *word)
{
  return t->len[i] == strlen (word) && memcmp (t->start[i], word, t->len[i]) == 0;
}

/* Parses a non-negative decimal number in [min, max]. Reports overflow, junk and range errors
 * at the token's column. */
static gboolean
parse_number (Parser       *p,
              const Tokens *t,
              int           i,
              const char   *what,
              int           min,
              int           max,
              int          *out,
              GError      **error)
{
  const char *s = t->start[i];
  gsize len = t->len[i];
  int col = column_of (p, s);
  gint64 value = 0;

  for (gsize k = 0; k < len; k++)
    {
      if (!g_ascii_isdigit (s[k]))
        {
          g_autofree char *token = g_strndup (s, len);
          parse_error (p, error, SIM_LEVEL_ERROR_SYNTAX, p->line_no, col,
                       "'%s' is not a number (expected the %s, %d to %d)",
                       token, what, min, max);
          return FALSE;
        }
      value = value * 10 + (s[k] - '0');
      if (value > G_MAXINT)
        {
          parse_error (p, error, SIM_LEVEL_ERROR_SYNTAX, p->line_no, col,
                       "number too large (expected the %s, %d to %d)", what, min, max);
          return FALSE;
        }
    }
  if (value < min || value > max)
    {
      parse_error (p, error, SIM_LEVEL_ERROR_SYNTAX, p->line_no, col,
                   "%s %d is out of range (expected %d to %d)", what, (int) value, min, max);
      return FALSE;
    }
  *out = (int) value;
  return TRUE;
}

/* Checks the argument count of a header line: exactly n tokens. */
static gboolean
expect_tokens (Parser       *p,
               const Tokens *t,
               int           n,
               const char   *usage,
               GError      **error)
{
  if (t->too_many || t->n > n)
    {
      const char *extra = t->n > n ? t->start[n] : t->extra;
      parse_error (p, error, SIM_LEVEL_ERROR_SYNTAX, p->line_no, column_of (p, extra),
                   "unexpected text at the end of the line (expected '%s')", usage);
      return FALSE;
    }
  if (t->n < n)
    {
      parse_error (p, error, SIM_LEVEL_ERROR_SYNTAX, p->line_no,
                   column_of (p, p->line + p->line_len),
                   "line ends too early (expected '%s')", usage);
      return FALSE;
    }
  return TRUE;
}

/* Reports the first NUL byte or invalid UTF-8 sequence with its position. */
static gboolean
check_encoding (Parser  *p,
                GError **error)
{
  const char *end = NULL;
  const char *bad;
  const char *line_start;
  int line = 1;
  int col;
  gboolean nul;

  g_utf8_validate_len (p->text, p->length, &end);
  bad = memchr (p->text, '\0', end - p->text);
  if (bad == NULL && end == p->text + p->length)
    return TRUE;
  if (bad == NULL)
    bad = end;
  nul = *bad == '\0';

  line_start = p->text;
  for (const char *c = p->text; c < bad; c++)
    if (*c == '\n')
      {
        line++;
        line_start = c + 1;
      }
  col = (int) g_utf8_strlen (line_start, bad - line_start) + 1;
  if (nul)
    parse_error (p, error, SIM_LEVEL_ERROR_SYNTAX, line, col,
                 "NUL byte in the file (expected UTF-8 text)");
  else
    parse_error (p, error, SIM_LEVEL_ERROR_SYNTAX, line, col,
                 "invalid UTF-8 byte 0x%02x (expected UTF-8 text)", (guint) (guchar) *bad);
  return FALSE;
}

enum { KEY_SCENARIO, KEY_SIZE, KEY_HORIZON, N_KEYS };
static const char *key_names[N_KEYS] = { "scenario", "size", "horizon" };

static gboolean
is_skippable (Parser *p)
{
  gsize i = 0;

  while (i < p->line_len && is_blank (p->line[i]))
    i++;
  return i == p->line_len || p->line[i] == '#';
}

SimLevel *
sim_level_parse (const char  *text,
                 gssize       length,
                 const char  *filename,
                 GError     **error)
{
  Parser p = { 0 };
  Tokens t;
  int key_line[N_KEYS] = { 0 };
  SimScenarioKind scenario = SIM_SCENARIO_COIN;
  int width = 0, height = 0, horizon = 0;
  int map_line = 0;
  int start_line = 0, start_col = 0;
  int row;
  g_autoptr (SimLevel) level = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  p.filename = filename != NULL ? filename : "<input>";
  p.text = text != NULL ? text : "";
  p.length = length < 0 ? strlen (p.text) : (gsize) length;

  if (p.length == 0)
    {
      parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, 1, 1,
                   "empty file (expected 'mesascope-level %d')", SIM_LEVEL_FORMAT_VERSION);
      return NULL;
    }
  if (!check_encoding (&p, error))
    return NULL;

  /* The magic line: the first line that is neither blank nor a comment. */
  for (;;)
    {
      if (!next_line (&p))
        {
          int line, col;
          end_position (&p, &line, &col);
          parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, line, col,
                       "unexpected end of file (expected 'mesascope-level %d')",
                       SIM_LEVEL_FORMAT_VERSION);
          return NULL;
        }
      if (!is_skippable (&p))
        break;
    }
  tokenize (&p, &t);
  if (!token_is (&t, 0, "mesascope-level"))
    {
      parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no, column_of (&p, t.start[0]),
                   "not a level file (expected 'mesascope-level %d')",
                   SIM_LEVEL_FORMAT_VERSION);
      return NULL;
    }
  if (t.n < 2)
    {
      parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no,
                   column_of (&p, p.line + p.line_len),
                   "line ends too early (expected 'mesascope-level %d')",
                   SIM_LEVEL_FORMAT_VERSION);
      return NULL;
    }
  {
    const char *s = t.start[1];
    gboolean digits = t.len[1] > 0;
    gboolean newer = FALSE;

    for (gsize k = 0; k < t.len[1]; k++)
      digits = digits && g_ascii_isdigit (s[k]);
    if (digits)
      {
        /* Any version number longer than the supported one, or greater, is newer. */
        gsize k = 0;
        while (k + 1 < t.len[1] && s[k] == '0')
          k++;
        newer = t.len[1] - k > 1 || s[k] - '0' > SIM_LEVEL_FORMAT_VERSION;
        if (newer)
          {
            g_autofree char *v = g_strndup (s, t.len[1]);
            parse_error (&p, error, SIM_LEVEL_ERROR_VERSION, p.line_no, column_of (&p, s),
                         "format version %s is newer than this program supports "
                         "(expected %d); update Mesascope to open it",
                         v, SIM_LEVEL_FORMAT_VERSION);
            return NULL;
          }
        if (s[k] - '0' == SIM_LEVEL_FORMAT_VERSION)
          {
            if (!expect_tokens (&p, &t, 2, "mesascope-level VERSION", error))
              return NULL;
            goto version_ok;
          }
      }
    {
      g_autofree char *v = g_strndup (s, t.len[1]);
      parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no, column_of (&p, s),
                   "unsupported format version '%s' (expected %d)", v,
                   SIM_LEVEL_FORMAT_VERSION);
      return NULL;
    }
  }
version_ok:

  /* Header keys, in any order, until 'map'. */
  for (;;)
    {
      int key = -1;

      if (!next_line (&p))
        {
          int line, col;
          end_position (&p, &line, &col);
          parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, line, col,
                       "unexpected end of file (expected 'map' and the map rows)");
          return NULL;
        }
      if (is_skippable (&p))
        continue;
      tokenize (&p, &t);
      if (token_is (&t, 0, "map"))
        {
          if (!expect_tokens (&p, &t, 1, "map", error))
            return NULL;
          map_line = p.line_no;
          break;
        }
      for (int k = 0; k < N_KEYS; k++)
        if (token_is (&t, 0, key_names[k]))
          key = k;
      if (key < 0)
        {
          g_autofree char *word = g_strndup (t.start[0], t.len[0]);
          parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no,
                       column_of (&p, t.start[0]),
                       "unknown header key '%s' (expected scenario, size, horizon or map)",
                       word);
          return NULL;
        }
      if (key_line[key] != 0)
        {
          parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no,
                       column_of (&p, t.start[0]),
                       "duplicate '%s' line (first given on line %d)",
                       key_names[key], key_line[key]);
          return NULL;
        }
      key_line[key] = p.line_no;
      switch (key)
        {
        case KEY_SCENARIO:
          if (!expect_tokens (&p, &t, 2, "scenario coin|green-exit|keys-chests", error))
            return NULL;
          {
            g_autofree char *name = g_strndup (t.start[1], t.len[1]);
            if (!sim_scenario_from_string (name, &scenario))
              {
                parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no,
                             column_of (&p, t.start[1]),
                             "unknown scenario '%s' (expected coin, green-exit or keys-chests)",
                             name);
                return NULL;
              }
          }
          break;
        case KEY_SIZE:
          if (!expect_tokens (&p, &t, 3, "size WIDTH HEIGHT", error))
            return NULL;
          if (!parse_number (&p, &t, 1, "width", 2, SIM_LEVEL_MAX_SIZE, &width, error) ||
              !parse_number (&p, &t, 2, "height", 2, SIM_LEVEL_MAX_SIZE, &height, error))
            return NULL;
          break;
        case KEY_HORIZON:
          if (!expect_tokens (&p, &t, 2, "horizon STEPS", error))
            return NULL;
          if (!parse_number (&p, &t, 1, "horizon", 1, MAX_HORIZON, &horizon, error))
            return NULL;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  for (int k = 0; k < N_KEYS; k++)
    if (key_line[k] == 0)
      {
        parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, map_line, 1,
                     "missing '%s' line before 'map'", key_names[k]);
        return NULL;
      }

  level = sim_level_new (scenario, width, height, horizon);
  level->start = -1;

  /* The map: file row 0 is the top row, y = height - 1. */
  for (row = 0; row < height; row++)
    {
      int y = height - 1 - row;
      const char *c;
      const char *end;
      int n = 0;

      if (!next_line (&p))
        {
          int line, col;
          end_position (&p, &line, &col);
          parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, line, col,
                       "unexpected end of file: the map has %d of %d rows", row, height);
          return NULL;
        }
      end = p.line + p.line_len;
      /* Trailing spaces and tabs are tolerated. */
      while (end > p.line && is_blank (end[-1]))
        end--;
      for (c = p.line; c < end; c = g_utf8_next_char (c))
        {
          gunichar ch = g_utf8_get_char (c);
          int kind = symbol_to_cell (ch);

          if (kind < 0)
            {
              char buf[8] = { 0 };
              g_unichar_to_utf8 (ch, buf);
              if (ch < 0x20 || ch == 0x7f)
                g_snprintf (buf, sizeof buf, "\\x%02x", (guint) ch);
              parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no, column_of (&p, c),
                           "unknown symbol '%s' (expected one of . # S C L E G X K H)", buf);
              return NULL;
            }
          if (n >= width)
            {
              parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no, column_of (&p, c),
                           "map row %d is too long (expected %d symbols)", row + 1, width);
              return NULL;
            }
          if (kind == SIM_N_CELLS)
            {
              if (level->start >= 0)
                {
                  parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no,
                               column_of (&p, c),
                               "second start 'S' (the first is at line %d, column %d; "
                               "expected exactly one)", start_line, start_col);
                  return NULL;
                }
              level->start = sim_level_index (level, n, y);
              start_line = p.line_no;
              start_col = column_of (&p, c);
              kind = SIM_CELL_FLOOR;
            }
          level->cells[sim_level_index (level, n, y)] = (guint8) kind;
          n++;
        }
      if (n < width)
        {
          parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no, column_of (&p, end),
                       "map row %d is too short: %d symbols (expected %d)",
                       row + 1, n, width);
          return NULL;
        }
    }

  /* Only blank lines may follow the map. */
  while (next_line (&p))
    {
      gsize i = 0;
      while (i < p.line_len && is_blank (p.line[i]))
        i++;
      if (i < p.line_len)
        {
          parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, p.line_no,
                       column_of (&p, p.line + i),
                       "unexpected text after the map (expected exactly %d rows)", height);
          return NULL;
        }
    }

  if (level->start < 0)
    {
      parse_error (&p, error, SIM_LEVEL_ERROR_SYNTAX, map_line, 1,
                   "the map has no start 'S' (expected exactly one)");
      return NULL;
    }

  return g_steal_pointer (&level);
}

SimLevel *
sim_level_load (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *where = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  where = g_strconcat (path, ":0:0", NULL);
  contents = sim_json_read_file (path, MAX_FILE_SIZE, "a level file", where, SIM_LEVEL_ERROR,
                                 SIM_LEVEL_ERROR_IO, &length, error);
  if (contents == NULL)
    return NULL;
  return sim_level_parse (contents, (gssize) length, path, error);
}

char *
sim_level_to_string (const SimLevel *level)
{
  GString *out;

  g_return_val_if_fail (level != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "mesascope-level %d\n", SIM_LEVEL_FORMAT_VERSION);
  g_string_append_printf (out, "scenario %s\n", sim_scenario_to_string (level->scenario));
  g_string_append_printf (out, "size %d %d\n", level->width, level->height);
  g_string_append_printf (out, "horizon %d\n", level->horizon);
  g_string_append (out, "map\n");
  for (int y = level->height - 1; y >= 0; y--)
    {
      for (int x = 0; x < level->width; x++)
        {
          int s = sim_level_index (level, x, y);
          g_string_append_c (out, s == level->start ? 'S'
                                                    : sim_cell_to_symbol (level->cells[s]));
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

gboolean
sim_level_save (const SimLevel  *level,
                const char      *path,
                GError         **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (level != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = sim_level_to_string (level);
  if (!sim_file_write (path, text, -1, &local_error))
    {
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_IO, "%s:0:0: %s",
                   path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Cells that count as the target for validation: coin, or exit (plain or on green). */
gboolean
sim_cell_is_terminal (SimCell cell)
{
  return cell == SIM_CELL_COIN || cell == SIM_CELL_LAVA ||
         cell == SIM_CELL_EXIT || cell == SIM_CELL_EXIT_GREEN;
}

/* The cells reachable from the start: breadth-first through cells that are neither walls
 * nor lava, not leaving cells that end the episode (the start excepted). */
static guint8 *
reachable_cells (const SimLevel *level)
{
  int n = level->width * level->height, head = 0, tail = 0;
  g_autofree int *queue = g_new (int, n);
  guint8 *seen = g_new0 (guint8, n);

  queue[tail++] = level->start;
  seen[level->start] = 1;
  while (head < tail)
    {
      int s = queue[head++];

      if (s != level->start && sim_cell_is_terminal ((SimCell) level->cells[s]))
        continue;
      for (int a = 0; a < SIM_ACTION_STAY; a++)
        {
          int s2 = sim_level_step (level, s, (SimAction) a);

          if (!seen[s2] && level->cells[s2] != SIM_CELL_LAVA)
            {
              seen[s2] = 1;
              queue[tail++] = s2;
            }
        }
    }
  return seen;
}

static void
add_problem (GArray              *problems,
             SimLevelProblemKind  kind,
             int                  count,
             int                  cell)
{
  SimLevelProblem p = { kind, count, cell };

  g_array_append_val (problems, p);
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const SimLevelProblem *pa = a, *pb = b;

  return (int) pa->kind - (int) pb->kind;
}

GArray *
sim_level_check (const SimLevel *level)
{
  GArray *problems = g_array_new (FALSE, FALSE, sizeof (SimLevelProblem));
  g_autofree guint8 *reach = NULL;
  int count[SIM_N_CELLS] = { 0 }, reached[SIM_N_CELLS] = { 0 }, first[SIM_N_CELLS];
  int n, unknown = 0, first_unknown = -1, unused = 0, first_unused = -1;
  gboolean target[SIM_N_CELLS] = { FALSE }, used[SIM_N_CELLS] = { FALSE };

  g_return_val_if_fail (level != NULL, problems);

  n = level->width * level->height;
  for (int c = 0; c < SIM_N_CELLS; c++)
    first[c] = -1;
  if (level->start < 0 || level->start >= n)
    {
      add_problem (problems, SIM_LEVEL_PROBLEM_NO_START, 0, -1);
      return problems;
    }
  if (level->cells[level->start] != SIM_CELL_FLOOR)
    add_problem (problems, SIM_LEVEL_PROBLEM_START_NOT_FLOOR, 1, level->start);

  /* The cells each scenario gives a meaning to; walls, lava and floor mean the same in all. */
  used[SIM_CELL_FLOOR] = used[SIM_CELL_WALL] = used[SIM_CELL_LAVA] = TRUE;
  switch (level->scenario)
    {
    case SIM_SCENARIO_COIN:
      used[SIM_CELL_COIN] = target[SIM_CELL_COIN] = TRUE;
      break;
    case SIM_SCENARIO_GREEN_EXIT:
      used[SIM_CELL_EXIT] = used[SIM_CELL_EXIT_GREEN] = used[SIM_CELL_GREEN] = TRUE;
      target[SIM_CELL_EXIT] = target[SIM_CELL_EXIT_GREEN] = TRUE;
      break;
    case SIM_SCENARIO_KEYS_CHESTS:
      used[SIM_CELL_KEY] = used[SIM_CELL_CHEST] = TRUE;
      break;
    case SIM_N_SCENARIOS:
    default:
      break;
    }
  for (int s = 0; s < n; s++)
    {
      int c = level->cells[s];

      if (c >= SIM_N_CELLS)
        {
          if (unknown++ == 0)
            first_unknown = s;
          continue;
        }
      if (count[c]++ == 0)
        first[c] = s;
      if (!used[c] && unused++ == 0)
        first_unused = s;
    }
  if (unknown > 0)
    {
      add_problem (problems, SIM_LEVEL_PROBLEM_UNKNOWN_CELL, unknown, first_unknown);
      return problems;
    }
  reach = reachable_cells (level);
  for (int s = 0; s < n; s++)
    if (reach[s])
      reached[level->cells[s]]++;

  switch (level->scenario)
    {
    case SIM_SCENARIO_COIN:
    case SIM_SCENARIO_GREEN_EXIT:
      {
        int n_targets = 0, n_reached = 0, first_target = -1;

        for (int c = 0; c < SIM_N_CELLS; c++)
          if (target[c])
            {
              n_targets += count[c];
              n_reached += reached[c];
              if (first[c] >= 0 && (first_target < 0 || first[c] < first_target))
                first_target = first[c];
            }
        if (n_targets == 0)
          add_problem (problems, SIM_LEVEL_PROBLEM_NO_TARGET, 0, -1);
        else if (n_reached == 0)
          add_problem (problems, SIM_LEVEL_PROBLEM_TARGET_UNREACHABLE, n_targets, first_target);
        if (level->scenario == SIM_SCENARIO_COIN && count[SIM_CELL_COIN] > 1)
          add_problem (problems, SIM_LEVEL_PROBLEM_SEVERAL_COINS, count[SIM_CELL_COIN],
                       first[SIM_CELL_COIN]);
        if (level->scenario == SIM_SCENARIO_GREEN_EXIT &&
            count[SIM_CELL_GREEN] + count[SIM_CELL_EXIT_GREEN] == 0)
          add_problem (problems, SIM_LEVEL_PROBLEM_NO_GREEN, 0, -1);
      }
      break;
    case SIM_SCENARIO_KEYS_CHESTS:
      if (count[SIM_CELL_KEY] == 0)
        add_problem (problems, SIM_LEVEL_PROBLEM_NO_KEY, 0, -1);
      else if (reached[SIM_CELL_KEY] == 0)
        add_problem (problems, SIM_LEVEL_PROBLEM_KEY_UNREACHABLE, count[SIM_CELL_KEY],
                     first[SIM_CELL_KEY]);
      if (count[SIM_CELL_CHEST] == 0)
        add_problem (problems, SIM_LEVEL_PROBLEM_NO_CHEST, 0, -1);
      else if (reached[SIM_CELL_CHEST] == 0)
        add_problem (problems, SIM_LEVEL_PROBLEM_CHEST_UNREACHABLE, count[SIM_CELL_CHEST],
                     first[SIM_CELL_CHEST]);
      break;
    case SIM_N_SCENARIOS:
    default:
      break;
    }
  if (unused > 0)
    add_problem (problems, SIM_LEVEL_PROBLEM_UNUSED_CELLS, unused, first_unused);
  g_array_sort (problems, compare_problems);
  return problems;
}

gboolean
sim_level_validate (const SimLevel  *level,
                    GError         **error)
{
  g_autoptr (GArray) problems = NULL;
  const SimLevelProblem *p;
  gboolean coin;

  g_return_val_if_fail (level != NULL, FALSE);

  problems = sim_level_check (level);
  if (problems->len == 0)
    return TRUE;
  p = &g_array_index (problems, SimLevelProblem, 0);
  if (!SIM_LEVEL_PROBLEM_IS_ERROR (p->kind))
    return TRUE;
  coin = level->scenario == SIM_SCENARIO_COIN;
  switch (p->kind)
    {
    case SIM_LEVEL_PROBLEM_NO_START:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   "the level has no start (expected exactly one 'S')");
      break;
    case SIM_LEVEL_PROBLEM_START_NOT_FLOOR:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   "the start (%d, %d) is on '%c' (expected a floor cell)",
                   p->cell % level->width, p->cell / level->width,
                   sim_cell_to_symbol ((SimCell) level->cells[p->cell]));
      break;
    case SIM_LEVEL_PROBLEM_UNKNOWN_CELL:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   "cell (%d, %d) holds an unknown kind %d",
                   p->cell % level->width, p->cell / level->width, level->cells[p->cell]);
      break;
    case SIM_LEVEL_PROBLEM_NO_TARGET:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   coin ? "the level has no coin 'C' (expected one for the coin scenario)"
                        : "the level has no exit 'E' or 'X' (expected one for the green-exit "
                          "scenario)");
      break;
    case SIM_LEVEL_PROBLEM_TARGET_UNREACHABLE:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   coin ? "no coin can be reached from the start (walls and lava block every "
                          "path)"
                        : "no exit can be reached from the start (walls and lava block every "
                          "path)");
      break;
    case SIM_LEVEL_PROBLEM_NO_KEY:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   "the level has no key 'K' (expected one or more for the keys-chests "
                   "scenario)");
      break;
    case SIM_LEVEL_PROBLEM_KEY_UNREACHABLE:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   "no key can be reached from the start (walls and lava block every path)");
      break;
    case SIM_LEVEL_PROBLEM_NO_CHEST:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   "the level has no chest 'H' (expected one or more for the keys-chests "
                   "scenario)");
      break;
    case SIM_LEVEL_PROBLEM_CHEST_UNREACHABLE:
    default:
      g_set_error (error, SIM_LEVEL_ERROR, SIM_LEVEL_ERROR_INVALID,
                   "no chest can be reached from the start (walls and lava block every "
                   "path)");
      break;
    }
  return FALSE;
}
