/* tg-session-table.c — a session's tables of doubles with named columns, and their CSV
 * files: a header line naming the columns, then one line of numbers per row ("%.17g" in the
 * C locale, so a round trip is exact; "nan" where nothing was measured, or a value was not
 * finite). Reading refuses any line that is
 * not as many numbers as the header has names. */
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

/* A column name: letters, digits, '_' and '.', as we write them. */
static gboolean
valid_column (const char *name)
{
  if (*name == '\0' || strlen (name) > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

TgSessionTable *
tg_session_table_read_csv (const char *path, const char *const *expected, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) header = NULL;
  g_autoptr (TgSessionTable) t = NULL;
  g_autofree double *row = NULL;

  if (!tg_session_read_file (path, &text, &len, error))
    return NULL;
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: holds a NUL byte: not a CSV file", path);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  if (g_strv_length (header) == 0 || g_strv_length (header) > TG_SESSION_MAX_COLUMNS)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line 1 is not a header of 1 to %u "
                   "column names", path, TG_SESSION_MAX_COLUMNS);
      return NULL;
    }
  for (guint c = 0; header[c] != NULL; c++)
    if (!valid_column (header[c]))
      {
        g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line 1: “%s” is not a column name",
                     path, header[c]);
        return NULL;
      }
  if (expected != NULL && !g_strv_equal ((const char *const *) header, expected))
    {
      g_autofree char *want = g_strjoinv (",", (char **) expected);
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line 1 is “%s”, expected “%s”", path,
                   lines[0], want);
      return NULL;
    }
  t = tg_session_table_new ((const char *const *) header);
  row = g_new (double, t->n_columns);
  for (guint l = 1; lines[l] != NULL; l++)
    {
      g_auto (GStrv) fields = NULL;
      if (lines[l][0] == '\0' && lines[l + 1] == NULL)
        break;  /* the last newline */
      fields = g_strsplit (lines[l], ",", -1);
      if (g_strv_length (fields) != t->n_columns)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line %u has %u fields, the header "
                       "%u", path, l + 1, g_strv_length (fields), t->n_columns);
          return NULL;
        }
      for (guint c = 0; c < t->n_columns; c++)
        {
          char *end = NULL;
          row[c] = g_ascii_strtod (fields[c], &end);
          if (fields[c][0] == '\0' || end == NULL || *end != '\0' || isinf (row[c]))
            {
              g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: line %u, column “%s”: “%s” is "
                           "not a finite number or nan", path, l + 1, t->columns[c], fields[c]);
              return NULL;
            }
        }
      tg_session_table_append (t, row);
    }
  return g_steal_pointer (&t);
}
