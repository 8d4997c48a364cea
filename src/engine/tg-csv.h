/* SPDX-License-Identifier: MIT */
/* tg-csv.h — the one writer of CSV, and the numbers of every file we write, whatever the
 * process's locale.
 *
 * Files are read by programs (pandas, R, spreadsheets, our own readers), so their numbers
 * are what the C locale writes ("0.5", never the "0,5" of printf under de_DE, which the studio
 * and `taugate` run under), and a CSV text cell is quoted as RFC 4180 says. Every CSV of the
 * engine, the figures, the command line and the studio is built with TgCsv; the LaTeX,
 * pgfplots and safetensors metadata writers take their numbers from tg_number_*.
 * Not here: writing the file (each writer keeps its own atomic write) or reading CSV. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For format: the shortest text that reads back to exactly the same double ("0.848", not
 * "0.84799999999999998"). */
#define TG_NUMBER_SHORTEST NULL

/* v as printf's format would write it in the C locale. format is one conversion of e, f or g
 * with its precision ("%.6f", "%g", "%.17g"; no '*'), or TG_NUMBER_SHORTEST. */
void   tg_number_append (GString *s, const char *format, double v);
char  *tg_number_dup    (const char *format, double v);

/* A CSV text under construction: cells are added left to right, a row is ended, and the text
 * is taken at the end. Every row must have as many cells as the first (the header's). */
typedef struct _TgCsv TgCsv;

/* header: the first row, column names separated by commas, without the line break; NULL to
 * add the header's cells one by one instead. */
TgCsv *tg_csv_new         (const char *header);
void   tg_csv_free        (TgCsv *csv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgCsv, tg_csv_free)
/* The text written for a number that is not finite (not measured, or diverged): empty unless
 * set ("nan" for the files whose readers expect it). */
void   tg_csv_set_missing (TgCsv *csv, const char *text);

/* A text cell, quoted when it holds a comma, a quote or a line break; NULL is empty. */
void   tg_csv_text        (TgCsv *csv, const char *text);
/* A number cell: tg_number_append's format, or the missing text. */
void   tg_csv_number      (TgCsv *csv, const char *format, double v);
void   tg_csv_uint        (TgCsv *csv, guint64 v);
void   tg_csv_int         (TgCsv *csv, gint64 v);
void   tg_csv_empty       (TgCsv *csv);
void   tg_csv_end_row     (TgCsv *csv);
/* The text so far (every row ended), newly allocated; frees csv. */
char  *tg_csv_free_to_text (TgCsv *csv);

G_END_DECLS
