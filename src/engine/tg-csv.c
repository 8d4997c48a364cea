/* SPDX-License-Identifier: MIT */
/* tg-csv.c — CSV text and the numbers of our files in the C locale (see tg-csv.h).
 * g_ascii_formatd does the locale-independent formatting; this file adds the shortest
 * round-trip form, RFC 4180 quoting and the count of cells per row. */
#include "tg-csv.h"

#include <math.h>
#include <string.h>

struct _TgCsv {
  GString *text;
  char    *missing;    /* written for a number that is not finite */
  guint    n_columns;  /* cells of the first row; 0 until it ends */
  guint    n_cells;    /* cells of the row being built */
};

/* The first of these precisions whose text reads back to exactly v (the steps the figures'
 * CSV files have always been written with, so their bytes stay the same). */
static const char *
shortest (char *buf, gsize size, double v)
{
  static const char *const formats[] = { "%.6g", "%.7g", "%.8g", "%.9g", "%.12g", "%.15g",
                                         "%.17g" };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, (int) size, formats[i], v);
      if (!isfinite (v) || g_ascii_strtod (buf, NULL) == v)
        break;
    }
  return buf;
}

void
tg_number_append (GString *s, const char *format, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *text = format == TG_NUMBER_SHORTEST ? shortest (buf, sizeof buf, v)
                                                  : g_ascii_formatd (buf, sizeof buf, format, v);
  g_return_if_fail (text != NULL);  /* a format g_ascii_formatd refuses */
  g_string_append (s, text);
}

char *
tg_number_dup (const char *format, double v)
{
  GString *s = g_string_new (NULL);
  tg_number_append (s, format, v);
  return g_string_free (s, FALSE);
}

TgCsv *
tg_csv_new (const char *header)
{
  TgCsv *csv = g_new0 (TgCsv, 1);
  csv->text = g_string_new (NULL);
  csv->missing = g_strdup ("");
  if (header != NULL)
    {
      g_string_append (csv->text, header);
      for (const char *p = header; *p != '\0'; p++)
        csv->n_cells += *p == ',';
      csv->n_cells++;
      tg_csv_end_row (csv);
    }
  return csv;
}

void
tg_csv_free (TgCsv *csv)
{
  if (csv == NULL)
    return;
  g_string_free (csv->text, TRUE);
  g_free (csv->missing);
  g_free (csv);
}

void
tg_csv_set_missing (TgCsv *csv, const char *text)
{
  g_free (csv->missing);
  csv->missing = g_strdup (text != NULL ? text : "");
}

/* The separator before a cell. */
static void
next_cell (TgCsv *csv)
{
  if (csv->n_cells++ > 0)
    g_string_append_c (csv->text, ',');
}

void
tg_csv_text (TgCsv *csv, const char *text)
{
  next_cell (csv);
  text = text != NULL ? text : "";
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (csv->text, text);
      return;
    }
  g_string_append_c (csv->text, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv->text, '"');
      g_string_append_c (csv->text, *p);
    }
  g_string_append_c (csv->text, '"');
}

void
tg_csv_number (TgCsv *csv, const char *format, double v)
{
  next_cell (csv);
  if (isfinite (v))
    tg_number_append (csv->text, format, v);
  else
    g_string_append (csv->text, csv->missing);
}

void
tg_csv_uint (TgCsv *csv, guint64 v)
{
  next_cell (csv);
  g_string_append_printf (csv->text, "%" G_GUINT64_FORMAT, v);
}

void
tg_csv_int (TgCsv *csv, gint64 v)
{
  next_cell (csv);
  g_string_append_printf (csv->text, "%" G_GINT64_FORMAT, v);
}

void
tg_csv_empty (TgCsv *csv)
{
  next_cell (csv);
}

void
tg_csv_end_row (TgCsv *csv)
{
  if (csv->n_columns == 0)
    csv->n_columns = csv->n_cells;
  else if (csv->n_cells != csv->n_columns)
    g_critical ("CSV row of %u cells under a header of %u", csv->n_cells, csv->n_columns);
  g_string_append_c (csv->text, '\n');
  csv->n_cells = 0;
}

char *
tg_csv_free_to_text (TgCsv *csv)
{
  if (csv->n_cells > 0)
    {
      g_critical ("CSV text taken with a row not ended");
      tg_csv_end_row (csv);
    }
  char *text = g_string_free (csv->text, FALSE);
  g_free (csv->missing);
  g_free (csv);
  return text;
}
