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
      cells[i][4] = mean_std (c[i]->acc45, c[i]->acc45_std);
      cells[i][5] = single (c[i]->high_act);
    }
}

void
tg_plot_results_table (cairo_t *cr, double width, double height, const TgResultsData *d,
                       const TgPlotStyle *st)
{
  static const char *headers[N_COLS] = { "Method", "", "Trainable params", "Acc (0°)",
                                         "Acc (45°)", "High-act frac" };
  static const double align[N_COLS] = { 0.0, 0.0, 1.0, 0.5, 0.5, 0.5 };
  const char *title = d != NULL && d->title ? d->title
                      : "Table 1: mode specialisation, MNIST 0° vs 45°";
  g_autofree char *ours_label = d != NULL && d->n_seeds > 0
    ? g_strdup_printf ("ours (mean ± std over %u seed%s)", d->n_seeds, d->n_seeds == 1 ? "" : "s")
    : g_strdup ("ours");
  TgLegendItem items[2] = {
    { TG_LEGEND_BOX, st->foreground, ours_label },
    { TG_LEGEND_BOX, st->muted, "paper (Table 1)" },
  };

  TgRect body = tg_frame (cr, width, height, st, title, NULL, d != NULL ? d->caption : NULL,
                          items, 2);
  if (d == NULL || d->n_rows == 0 || d->rows == NULL)
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no data yet", st);
      return;
    }

  guint nr = d->n_rows;
  typedef char *RowCells[2][N_COLS];
  RowCells *cells = g_new0 (RowCells, nr);
  for (guint r = 0; r < nr; r++)
    fill_cells (&d->rows[r], cells[r]);

  /* Natural column widths at base size, then one scale so the table fits both ways. */
  double colw[N_COLS];
  double pad = st->font_size * 1.2;
  for (int c = 0; c < N_COLS; c++)
    {
      colw[c] = tg_text_width (cr, st, 0.95, TRUE, headers[c]);
      for (guint r = 0; r < nr; r++)
        for (int i = 0; i < 2; i++)
          colw[c] = MAX (colw[c], tg_text_width (cr, st, i == 0 ? 0.95 : 0.85, FALSE,
                                                 cells[r][i][c]));
    }
  double total = 0.0;
  for (int c = 0; c < N_COLS; c++)
    total += colw[c] + pad;
  double row_h = tg_line_height (st, 0.95) + tg_line_height (st, 0.85) + st->font_size * 0.5;
  double head_h = tg_line_height (st, 0.95) + st->font_size * 0.6;
  double need_h = head_h + nr * row_h;
  /* Grows a little to use the room, shrinks as far as needed to fit. */
  double k = MIN (1.3, MIN (body.w / total, body.h / need_h));
  double x0 = body.x + (body.w - total * k) / 2;
  double y = body.y;

  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x0 + total * k, y);
  cairo_stroke (cr);
  double x = x0;
  for (int c = 0; c < N_COLS; c++)
    {
      double cx = x + k * (pad / 2 + colw[c] * align[c]);
      tg_text (cr, st, 0.95 * k, TRUE, headers[c], cx, y + st->font_size * 0.3 * k, align[c],
               0.0);
      x += k * (colw[c] + pad);
    }
  y += head_h * k;
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x0 + total * k, y);
  cairo_stroke (cr);

  for (guint r = 0; r < nr; r++)
    {
      if (r % 2 == 1)
        {
          tg_set_rgba_a (cr, st->muted, 0.08);
          cairo_rectangle (cr, x0, y, total * k, row_h * k);
          cairo_fill (cr);
        }
      double ly = y + st->font_size * 0.25 * k;
      for (int i = 0; i < 2; i++)
        {
          double size = (i == 0 ? 0.95 : 0.85) * k;
          x = x0;
          for (int c = 0; c < N_COLS; c++)
            {
              double cx = x + k * (pad / 2 + colw[c] * align[c]);
              tg_set_rgba (cr, i == 0 && c != 1 ? st->foreground : st->muted);
              tg_text (cr, st, size, c == 0, cells[r][i][c], cx, ly, align[c], 0.0);
              x += k * (colw[c] + pad);
            }
          ly += tg_line_height (st, size);
        }
      y += row_h * k;
    }
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x0 + total * k, y);
  cairo_stroke (cr);
  cairo_restore (cr);

  for (guint r = 0; r < nr; r++)
    for (int i = 0; i < 2; i++)
      for (int c = 0; c < N_COLS; c++)
        g_free (cells[r][i][c]);
  g_free (cells);
}
