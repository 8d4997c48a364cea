/* SPDX-License-Identifier: MIT */
/* tg-session-table.c — a session's tables of doubles with named columns, and their CSV
 * files: a header line naming the columns, then one line of numbers per row ("%.17g" in the
 * C locale, so a round trip is exact; "nan" where nothing was measured, or a value was not
 * finite). Reading goes line by line through the file's bytes, keeping nothing but the rows:
 * it refuses any line longer than a table's line can be, more rows than a table holds, and
 * any line that is not as many numbers as the header has names, quoting at most a short
 * excerpt of what it refuses. */
#include "tg-session.h"

#include <math.h>
#include <string.h>

#include "tg-csv.h"
#include "tg-session-private.h"

TgSessionTable *
tg_session_table_new (const char *const *columns)
{
  TgSessionTable *t = g_new0 (TgSessionTable, 1);
  t->columns = g_strdupv ((char **) columns);
  t->n_columns = g_strv_length (t->columns);
  t->values = g_array_new (FALSE, FALSE, sizeof (double));
  return t;
}

void
tg_session_table_free (TgSessionTable *table)
{
  if (table == NULL)
    return;
  g_strfreev (table->columns);
  g_array_unref (table->values);
  g_free (table);
}

guint
tg_session_table_n_rows (const TgSessionTable *table)
{
  return table->n_columns > 0 ? table->values->len / table->n_columns : 0;
}

void
tg_session_table_append (TgSessionTable *table, const double *row)
{
  g_array_append_vals (table->values, row, table->n_columns);
}

double
tg_session_table_get (const TgSessionTable *table, guint row, guint column)
{
  g_return_val_if_fail (column < table->n_columns, NAN);
  g_return_val_if_fail (row < tg_session_table_n_rows (table), NAN);
  return g_array_index (table->values, double, (gsize) row * table->n_columns + column);
}

char *
tg_session_table_to_csv (const TgSessionTable *table)
{
  TgCsv *csv = tg_csv_new (NULL);
  guint n_rows = tg_session_table_n_rows (table);

  tg_csv_set_missing (csv, "nan");
  for (guint c = 0; c < table->n_columns; c++)
    tg_csv_text (csv, table->columns[c]);
  tg_csv_end_row (csv);
  for (guint r = 0; r < n_rows; r++)
    {
      for (guint c = 0; c < table->n_columns; c++)
        tg_csv_number (csv, "%.17g", tg_session_table_get (table, r, c));
      tg_csv_end_row (csv);
    }
  return tg_csv_free_to_text (csv);
}

/* A column name: 1 to 64 letters, digits, '_' and '.', as we write them. NULL when it is one,
 * else what is wrong, without quoting the name: a header that is no header may be any
 * file's first line. */
static char *
column_fault (const char *name, gsize len)
{
  if (len == 0 || len > 64)
    return g_strdup_printf ("has %" G_GSIZE_FORMAT " bytes, not 1 to 64", len);
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '_' && name[i] != '.')
      return g_strdup_printf ("has byte 0x%02x at %" G_GSIZE_FORMAT ", not a letter, a digit, "
                              "'_' or '.'", (guchar) name[i], i + 1);
  return NULL;
}

/* One line of a CSV text and where it stands; fields are split off it in place. */
typedef struct {
  const char *path;
  guint       number;        /* 1-based */
  const char *line;
  gsize       len;
} CsvLine;

static gpointer
csv_fail (const CsvLine *l, GError **error, const char *what, const char *quote, gsize quote_len)
{
  g_autofree char *excerpt = quote != NULL ? tg_excerpt (quote, (gssize) quote_len) : NULL;
  if (excerpt != NULL)
    g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line %u: %s “%s”", l->path, l->number,
                 what, excerpt);
  else
    g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line %u: %s", l->path, l->number, what);
  return NULL;
}

/* The number of comma-separated fields of a line. */
static guint
count_fields (const CsvLine *l)
{
  guint n = 1;
  for (const char *p = l->line; (p = memchr (p, ',', l->len - (gsize) (p - l->line))) != NULL; p++)
    n++;
  return n;
}

/* The header: 1 to TG_SESSION_MAX_COLUMNS valid names, the expected ones when given. */
static TgSessionTable *
read_header (const CsvLine *l, const char *const *expected, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *p = l->line, *end = l->line + l->len;

  if (count_fields (l) > TG_SESSION_MAX_COLUMNS)
    return csv_fail (l, error, "more than " G_STRINGIFY (TG_SESSION_MAX_COLUMNS) " columns",
                     NULL, 0);
  for (;;)
    {
      const char *comma = memchr (p, ',', (gsize) (end - p));
      const char *stop = comma != NULL ? comma : end;
      g_autofree char *fault = column_fault (p, (gsize) (stop - p));
      if (fault != NULL)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line 1 is not a header: column %u "
                       "%s", l->path, names->len + 1, fault);
          return NULL;
        }
      g_ptr_array_add (names, g_strndup (p, (gsize) (stop - p)));
      if (comma == NULL)
        break;
      p = comma + 1;
    }
  g_ptr_array_add (names, NULL);
  if (expected != NULL && !g_strv_equal ((const char *const *) names->pdata, expected))
    {
      g_autofree char *want = g_strjoinv (",", (char **) expected);
      g_autofree char *got = tg_excerpt (l->line, (gssize) l->len);
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line 1 is “%s”, expected “%s”",
                   l->path, got, want);
      return NULL;
    }
  return tg_session_table_new ((const char *const *) names->pdata);
}

/* A row: exactly one finite number or nan per column, appended to t. */
static gboolean
read_row (const CsvLine *l, TgSessionTable *t, double *row, GError **error)
{
  const char *p = l->line, *end = l->line + l->len;
  guint n = count_fields (l);

  if (n != t->n_columns)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line %u has %u fields, the header %u",
                   l->path, l->number, n, t->n_columns);
      return FALSE;
    }
  for (guint c = 0; c < t->n_columns; c++)
    {
      const char *comma = memchr (p, ',', (gsize) (end - p));
      gsize flen = (gsize) ((comma != NULL ? comma : end) - p);
      char buf[65], *stop = NULL;
      if (flen > 0 && flen < sizeof buf)
        {
          memcpy (buf, p, flen);
          buf[flen] = '\0';
          row[c] = g_ascii_strtod (buf, &stop);
        }
      if (flen == 0 || flen >= sizeof buf || stop != buf + flen || isinf (row[c]))
        {
          g_autofree char *what = g_strdup_printf ("column “%s” is not a finite number or nan:",
                                                   t->columns[c]);
          csv_fail (l, error, what, p, flen);
          return FALSE;
        }
      p = comma != NULL ? comma + 1 : end;
    }
  tg_session_table_append (t, row);
  return TRUE;
}

TgSessionTable *
tg_session_table_parse_csv (const char *path, const char *text, gsize len,
                            const char *const *expected, GError **error)
{
  g_autoptr (TgSessionTable) t = NULL;
  g_autofree double *row = NULL;
  CsvLine l = { path, 0, text, 0 };
  gsize at = 0;

  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: holds a NUL byte: not a CSV file", path);
      return NULL;
    }
  /* one line at a time, each at most TG_SESSION_MAX_LINE bytes; the last newline ends the
   * last line instead of starting an empty one */
  do
    {
      const char *nl = memchr (text + at, '\n', MIN (len - at, (gsize) TG_SESSION_MAX_LINE + 1));
      l.number++;
      l.line = text + at;
      l.len = nl != NULL ? (gsize) (nl - l.line) : len - at;
      if (l.len > TG_SESSION_MAX_LINE)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line %u is longer than %u bytes, "
                       "no line of a session table", path, l.number, TG_SESSION_MAX_LINE);
          return NULL;
        }
      at += l.len + (nl != NULL);
      if (l.number == 1)
        {
          if ((t = read_header (&l, expected, error)) == NULL)
            return NULL;
          row = g_new (double, t->n_columns);
          continue;
        }
      if (l.number - 1 > TG_SESSION_MAX_ROWS)
        return csv_fail (&l, error, "more rows than a session table holds", NULL, 0);
      if (!read_row (&l, t, row, error))
        return NULL;
    }
  while (at < len);
  return g_steal_pointer (&t);
}

TgSessionTable *
tg_session_table_read_csv (const char *path, const char *const *expected, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!tg_session_read_file (path, &text, &len, error))
    return NULL;
  return tg_session_table_parse_csv (path, text, len, expected, error);
}
