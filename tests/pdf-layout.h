/* SPDX-License-Identifier: MIT */
/* pdf-layout.h — what the layout tests share: a PDF's words read back with poppler's
 * `pdftotext -bbox-layout` (poppler-utils), and the checks every exported figure must pass:
 * the page has the size asked for, every word lies on it, no two words overlap, no word is
 * smaller than the font size asked for less 1 pt, every font is embedded and subset. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double   x0, y0, x1, y1;
  char    *text;
  gboolean vertical;   /* its line runs down the page (a rotated axis title) */
} PdfWord;

typedef struct {
  double  width, height;
  GArray *words;   /* PdfWord; free with g_array_unref */
} PdfText;

/* The words of the one-page PDF at path; FALSE, after marking the test skipped, when
 * pdftotext is not installed. */
gboolean pdf_text_read (const char *path, PdfText *out);

/* Word box height per point of font size of the figures' own font, measured on a PDF
 * written into dir; 0 (test skipped) without pdftotext. */
double   pdf_calibrate (const char *dir);

/* Appends a line to faults for each fault of the PDF at path (named file in the lines): its
 * page is not width x height, a word leaves the page, two words overlap, a word is smaller
 * than font_pt - 1 (box_per_pt from pdf_calibrate; 0 checks no size), a font is not
 * embedded and subset. The test fails if the PDF has no words. */
void     pdf_check_layout (const char *path, const char *file, double width, double height,
                           double font_pt, double box_per_pt, GString *faults);

/* Lists the faults (one per line, the first 200) in the test log; returns how many. */
guint    pdf_report_faults (const char *faults);

G_END_DECLS
