/* SPDX-License-Identifier: MIT */
/* tg-plot-table.c — the paper's Table 1 as a figure: each method on two lines, ours above
 * and the paper's below, so the two are always read together. Missing values are "—". */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

#define N_COLS 6   /* method, source, params, acc 0, acc 45, high-act */

static char *
mean_std (double m, double s)
{
  if (!isfinite (m))
    return g_strdup ("—");
  if (!isfinite (s))
    return g_strdup_printf ("%.3f", m);
  return g_strdup_printf ("%.3f ± %.3f", m, s);
}

static char *
single (double v)
{
  return isfinite (v) ? g_strdup_printf ("%.2f", v) : g_strdup ("—");
}

static char *
params_text (gint64 p)
{
  if (p < 0)
    return g_strdup ("—");
  /* Thin grouping so 118282 reads as 118 282. */
  char digits[32];
  g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, p);
  GString *s = g_string_new (NULL);
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (s, " ");
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

/* cells[row * 2 + line][col]; line 0 ours, line 1 the paper. */
static void
fill_cells (const TgResultsRow *row, char *cells[2][N_COLS])
{
  cells[0][0] = g_strdup (row->method ? row->method : "");
  cells[1][0] = g_strdup ("");
  cells[0][1] = g_strdup ("ours");
  cells[1][1] = g_strdup ("paper");
  cells[0][2] = params_text (row->params);
  cells[1][2] = g_strdup ("");
  const TgResultsCells *c[2] = { &row->ours, &row->paper };
  for (int i = 0; i < 2; i++)
    {
      cells[i][3] = mean_std (c[i]->acc0, c[i]->acc0_std);
      cells[i][4] = mean_std (c[i]->acc_rot, c[i]->acc_rot_std);
      cells[i][5] = single (c[i]->high_act);
    }
}

/* TRUE when some row has a number of the paper's to show. */
static gboolean
any_paper (const TgResultsData *d)
{
  for (guint r = 0; d != NULL && d->rows != NULL && r < d->n_rows; r++)
    {
      const TgResultsCells *p = &d->rows[r].paper;
      if (isfinite (p->acc0) || isfinite (p->acc_rot) || isfinite (p->high_act))
        return TRUE;
    }
  return FALSE;
}

static const char *default_headers[N_COLS] = { "Method", "", "Trainable params", "Acc (0°)",
                                       "Acc (45°)", "High-act frac" };
static const double align[N_COLS] = { 0.0, 0.0, 1.0, 0.5, 0.5, 0.5 };

typedef char *RowCells[2][N_COLS];

/* How much room the table takes: the full form; compact (no "ours / paper" column, headers
 * on two lines, "0.848±0.007"); tight, when even compact rows run into the caption (a paper
 * column): no legend, the paper's lines say "paper" in the method column, one-line headers
 * and no space between rows. */
typedef enum { FORM_FULL, FORM_COMPACT, FORM_TIGHT } TableForm;

typedef struct {
  guint  lines;          /* 2: ours above the paper's; 1: ours only (no paper numbers) */
  double colw[N_COLS];   /* 0: column left out */
  double pad, total;     /* total width */
  double row_gap;        /* space between rows, in font sizes at k */
  double lead;           /* line spacing, times tg_line_height's */
  double head_h, row_h, need_h;
} TableLayout;

/* A header on one line, or split at its first space in the compact form. */
static char **
header_lines (const char *h, TableForm form)
{
  const char *sp = form == FORM_COMPACT && g_utf8_strlen (h, -1) > 9 ? strchr (h, ' ') : NULL;
  if (sp == NULL)
    return g_strsplit (h, "\n", -1);
  char **v = g_new0 (char *, 3);
  v[0] = g_strndup (h, sp - h);
  v[1] = g_strdup (sp + 1);
  return v;
}

/* Widths and heights of the table with text at k times its size. */
static void
table_measure (cairo_t *cr, const TgPlotStyle *st, const char *const *headers,
               RowCells *cells, guint nr, TableForm form, double k, TableLayout *t)
{
  guint head_lines = 1, lines = t->lines;
  gboolean compact = form != FORM_FULL;
  memset (t, 0, sizeof *t);
  t->lines = lines;
  t->pad = st->font_size * (compact ? 0.5 : 1.2) * k;
  for (int c = 0; c < N_COLS; c++)
    {
      if ((compact || lines == 1) && c == 1)
        continue;
      g_auto(GStrv) head = header_lines (headers[c], form);
      head_lines = MAX (head_lines, g_strv_length (head));
      for (guint i = 0; head[i] != NULL; i++)
        t->colw[c] = MAX (t->colw[c], tg_text_width (cr, st, 0.95 * k, TRUE, head[i]));
      for (guint r = 0; r < nr; r++)
        for (guint i = 0; i < lines; i++)
          t->colw[c] = MAX (t->colw[c], tg_text_width (cr, st, (i == 0 ? 0.95 : 0.85) * k,
                                                       c == 0 && i == 0, cells[r][i][c]));
      t->total += t->colw[c] + t->pad;
    }
  double row_gap = form == FORM_TIGHT ? 0.0 : compact ? 0.2 : 0.5;
  t->row_gap = row_gap;
  /* tight: lines 1.2 em apart, not 1.25; the font's own ascent + descent is 1.16 em */
  t->lead = form == FORM_TIGHT ? 0.96 : 1.0;
  t->row_h = (tg_line_height (st, 0.95 * k) + (lines == 2 ? tg_line_height (st, 0.85 * k) : 0))
             * t->lead + st->font_size * row_gap * k;
  t->head_h = tg_line_height (st, 0.95 * k) * t->lead * head_lines
              + st->font_size * (compact ? 0.3 : 0.6) * k;
  t->need_h = t->head_h + nr * t->row_h;
}

/* "0.848 ± 0.007" as "0.848±0.007" in the accuracy columns. */
static void
cells_compact (RowCells *cells, guint nr)
{
  for (guint r = 0; r < nr; r++)
    for (int i = 0; i < 2; i++)
      for (int c = 3; c <= 4; c++)
        {
          GString *g = g_string_new (cells[r][i][c]);
          g_string_replace (g, " ± ", "±", 0);
          g_free (cells[r][i][c]);
          cells[r][i][c] = g_string_free (g, FALSE);
        }
}

/* The one scale k that fits the table in form to the body, t filled at it; text sizes are
 * measured at k itself, since small text stops shrinking at the base size less 1 pt. TRUE
 * when it fits. */
static gboolean
table_scale (cairo_t *cr, const TgPlotStyle *st, const char *const *headers, RowCells *cells,
             guint nr, TgRect body, TableForm form, TableLayout *t, double *k_out)
{
  table_measure (cr, st, headers, cells, nr, form, 1.0, t);
  double k = MIN (1.3, MIN (body.w / t->total, body.h / t->need_h));
  table_measure (cr, st, headers, cells, nr, form, k, t);
  while (k > 0.3 && (t->total > body.w + 0.01 || t->need_h > body.h + 0.01))
    {
      k *= 0.97;
      table_measure (cr, st, headers, cells, nr, form, k, t);
    }
  *k_out = k;
  return t->total <= body.w + 0.01 && t->need_h <= body.h + 0.01;
}

/* The form the table takes in body (body_tight: the body without the legend, for the tight
 * form): full, compact when too wide at the base size (a paper column), tight when compact
 * rows would still run into the caption; fills t and returns k. */
static double
table_fit (cairo_t *cr, const TgPlotStyle *st, const char *const *headers,
           const char *const *tight_headers, RowCells *cells, guint nr, TgRect body,
           TgRect body_tight, TableLayout *t, TableForm *form)
{
  double k;
  table_measure (cr, st, headers, cells, nr, FORM_FULL, 1.0, t);
  if (t->total <= body.w)
    {
      *form = FORM_FULL;
      table_scale (cr, st, headers, cells, nr, body, FORM_FULL, t, &k);
      return k;
    }
  cells_compact (cells, nr);
  *form = FORM_COMPACT;
  if (table_scale (cr, st, headers, cells, nr, body, FORM_COMPACT, t, &k) || t->lines == 1)
    return k;
  *form = FORM_TIGHT;
  for (guint r = 0; r < nr; r++)
    {
      g_free (cells[r][1][0]);
      cells[r][1][0] = g_strdup ("paper");
    }
  table_scale (cr, st, tight_headers, cells, nr, body_tight, FORM_TIGHT, t, &k);
  return k;
}

/* Draws the ruled table laid out by t at scale k, centred in the body. */
static void
table_draw (cairo_t *cr, const TgPlotStyle *st, const char *const *headers, RowCells *cells,
            guint nr, TgRect body, const TableLayout *t, TableForm form, double k)
{
  double x0 = body.x + (body.w - t->total) / 2;
  double y = body.y;
  double fs = st->font_size;

  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 1.0 * tg_line_scale (st));
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x0 + t->total, y);
  cairo_stroke (cr);
  double x = x0;
  for (int c = 0; c < N_COLS; c++)
    {
      if (t->colw[c] <= 0)
        continue;
      double cx = x + t->pad / 2 + t->colw[c] * align[c];
      g_auto(GStrv) lines = header_lines (headers[c], form);
      for (guint i = 0; lines[i] != NULL; i++)
        tg_text (cr, st, 0.95 * k, TRUE, lines[i], cx,
                 y + fs * 0.3 * k + i * tg_line_height (st, 0.95 * k) * t->lead, align[c],
                 0.0);
      x += t->colw[c] + t->pad;
    }
  y += t->head_h;
  cairo_set_line_width (cr, 0.6 * tg_line_scale (st));
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x0 + t->total, y);
  cairo_stroke (cr);

  for (guint r = 0; r < nr; r++)
    {
      if (r % 2 == 1)
        {
          tg_set_rgba_a (cr, st->muted, 0.08);
          cairo_rectangle (cr, x0, y, t->total, t->row_h);
          cairo_fill (cr);
        }
      double ly = y + fs * t->row_gap / 2 * k;
      for (guint i = 0; i < t->lines; i++)
        {
          double size = (i == 0 ? 0.95 : 0.85) * k;
          x = x0;
          for (int c = 0; c < N_COLS; c++)
            {
              if (t->colw[c] <= 0)
                continue;
              double cx = x + t->pad / 2 + t->colw[c] * align[c];
              tg_set_rgba (cr, i == 0 && c != 1 ? st->foreground : st->muted);
              tg_text (cr, st, size, c == 0 && i == 0, cells[r][i][c], cx, ly, align[c], 0.0);
              x += t->colw[c] + t->pad;
            }
          ly += tg_line_height (st, size) * t->lead;
        }
      y += t->row_h;
    }
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 1.0 * tg_line_scale (st));
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x0 + t->total, y);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
tg_plot_results_table (cairo_t *cr, double width, double height, const TgResultsData *d,
                       const TgPlotStyle *st)
{
  const char *target = d != NULL && d->target_label ? d->target_label : "45°";
  const char *data_name = d != NULL && d->data_label ? d->data_label : "MNIST";
  g_autofree char *acc_rot_header = g_strdup_printf ("Acc (%s)", target);
  g_autofree char *long_title = g_strdup_printf ("Table 1: mode specialisation, %s 0° vs %s",
                                                 data_name, target);
  g_autofree char *short_title = g_strdup_printf ("Table 1: %s 0° vs %s", data_name, target);
  g_autofree char *acc_rot_short = g_strdup_printf ("Acc %s", target);
  const char *headers[N_COLS], *tight_headers[N_COLS] = { "Method", "", "Params", "Acc 0°",
                                                          acc_rot_short, "High-act" };
  for (int c = 0; c < N_COLS; c++)
    headers[c] = c == 4 ? acc_rot_header : default_headers[c];
  const char *title = d != NULL && d->title ? d->title : long_title;
  /* In a paper column the default title would take two lines the rows need. */
  if ((d == NULL || d->title == NULL) &&
      tg_text_width (cr, st, 1.2, TRUE, title) > width - 2 * st->font_size * 0.8)
    title = short_title;
  g_autofree char *ours_label = d != NULL && d->n_seeds > 0
    ? g_strdup_printf ("ours (mean ± std over %u seed%s)", d->n_seeds, d->n_seeds == 1 ? "" : "s")
    : g_strdup ("ours");
  TgLegendItem items[2] = {
    { TG_LEGEND_BOX, st->foreground, ours_label },
    { TG_LEGEND_BOX, st->muted, "paper (Table 1)" },
  };
  /* Where the paper has no numbers (another data set or angle), no "paper" lines of "—". */
  gboolean paper = any_paper (d);
  const char *caption = d != NULL ? d->caption : NULL;

  if (d == NULL || d->n_rows == 0 || d->rows == NULL)
    {
      TgRect body = tg_frame (cr, width, height, st, title, NULL, caption, items, paper ? 2 : 1);
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no data yet", st);
      return;
    }

  guint nr = d->n_rows;
  RowCells *cells = g_new0 (RowCells, nr);
  for (guint r = 0; r < nr; r++)
    fill_cells (&d->rows[r], cells[r]);

  TableLayout t = { .lines = paper ? 2 : 1 };
  TableForm form;
  TgRect body = tg_frame_layout_like (cr, width, height, st, title, NULL, caption, items,
                                      paper ? 2 : 1);
  TgRect body_tight = tg_frame_layout_like (cr, width, height, st, title, NULL, caption, NULL, 0);
  double k = table_fit (cr, st, headers, tight_headers, cells, nr, body, body_tight, &t, &form);
  /* the tight form says "paper" on the paper's lines instead of a legend */
  gboolean legend = form != FORM_TIGHT;
  body = tg_frame (cr, width, height, st, title, NULL, caption, legend ? items : NULL,
                   legend ? (paper ? 2 : 1) : 0);
  table_draw (cr, st, form == FORM_TIGHT ? tight_headers : headers, cells, nr, body, &t, form, k);

  for (guint r = 0; r < nr; r++)
    for (int i = 0; i < 2; i++)
      for (int c = 0; c < N_COLS; c++)
        g_free (cells[r][i][c]);
  g_free (cells);
}
