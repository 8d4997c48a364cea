/* SPDX-License-Identifier: MIT */
/* tg-plot-zoo.c — the accuracy matrix and the mode map (see tg-plot-zoo.h): grids of cells in
 * a sequential colour map, row and column labels thinned to what fits, one colour bar, the
 * hovered cell outlined with its value read out above the grid. Layout is computed in one
 * place per figure, for the drawing and the hit test alike. */
#include "tg-plot-zoo.h"
#include "tg-plot-private.h"
#include "tg-csv.h"

#include <math.h>
#include <string.h>

#define LABEL_SIZE 0.8

/* --- what both figures share ---------------------------------------------------------- */

typedef struct {
  TgRect body;
  double readout_y;    /* top of the hover line */
  double label_w;      /* row labels */
  TgRect panels[TG_MAX_LINEAR];
  guint  n_panels;
  TgRect bar;
  double cw, ch;       /* a cell */
  guint  row_step, col_step;
} Layout;

static double
label_width (cairo_t *cr, const TgPlotStyle *st, const char *const *labels, guint n,
             double cap)
{
  double w = 0;
  for (guint i = 0; labels != NULL && i < n; i++)
    w = MAX (w, tg_text_width (cr, st, LABEL_SIZE, FALSE, labels[i] ? labels[i] : ""));
  return MIN (w, cap);
}

static char *
angle_label (double v)
{
  return isfinite (v) ? g_strdup_printf ("%g", v) : g_strdup ("–");
}

/* Lays out n_panels square-or-not panels of rows x cols cells side by side, with row labels
 * on the left, column labels under each panel and a colour bar on the right. */
static void
grid_layout (cairo_t *cr, const TgPlotStyle *st, TgRect body, guint n_panels, guint rows,
             guint cols, const char *const *row_labels, double col_label_w, gboolean square,
             gboolean panel_titles, Layout *lo)
{
  double lh = tg_line_height (st, 1.0), sh = tg_line_height (st, LABEL_SIZE);
  double fs = st->font_size;
  memset (lo, 0, sizeof *lo);
  lo->body = body;
  lo->n_panels = MAX (n_panels, 1);
  lo->readout_y = body.y;
  lo->label_w = label_width (cr, st, row_labels, rows, 0.22 * body.w);
  double left = body.x + lh + lo->label_w + 0.5 * fs;
  double bar_labels = tg_text_width (cr, st, LABEL_SIZE, FALSE, "0.00") + 8;
  /* the colour bar, 0.8 em from the grid, its tick labels and its rotated title */
  double right = body.x + body.w - (0.8 * fs + 0.9 * fs + bar_labels + lh);
  double top = body.y + sh + 0.3 * fs + (panel_titles ? lh : 0);
  double bottom = body.y + body.h - (sh + 0.3 * fs + lh + 0.2 * fs);
  double gap = 1.2 * fs;
  double pw = (right - left - gap * (lo->n_panels - 1)) / lo->n_panels, ph = bottom - top;
  if (square)
    {
      double side = MIN (pw / MAX (cols, 1), ph / MAX (rows, 1));
      pw = side * cols;
      ph = side * rows;
    }
  pw = MAX (pw, 1), ph = MAX (ph, 1);
  for (guint p = 0; p < lo->n_panels; p++)
    lo->panels[p] = (TgRect) { left + p * (pw + gap), top, pw, ph };
  lo->cw = pw / MAX (cols, 1);
  lo->ch = ph / MAX (rows, 1);
  lo->row_step = tg_label_step (lo->ch, sh * 1.05);
  lo->col_step = tg_label_step (lo->cw, col_label_w + 0.4 * fs);
  double bx = lo->panels[lo->n_panels - 1].x + pw + 0.8 * fs;
  lo->bar = (TgRect) { bx, top, 0.9 * fs, ph };
}

/* The cell of a panel under (x, y); FALSE outside every cell. */
static gboolean
grid_hit (const Layout *lo, guint rows, guint cols, double x, double y, guint *panel,
          guint *row, guint *col)
{
  for (guint p = 0; p < lo->n_panels; p++)
    {
      TgRect r = lo->panels[p];
      if (x < r.x || y < r.y || x >= r.x + r.w || y >= r.y + r.h)
        continue;
      guint c = (guint) ((x - r.x) / lo->cw), w = (guint) ((y - r.y) / lo->ch);
      if (c >= cols || w >= rows)
        return FALSE;
      *panel = p, *row = w, *col = c;
      return TRUE;
    }
  return FALSE;
}

static TgRgba
value_color (const TgPlotStyle *st, double v, gconstpointer user)
{
  const double *range = user;
  if (!isfinite (v))
    return tg_rgba_mix (st->background, st->muted, 0.35);
  double t = range[1] > range[0] ? (v - range[0]) / (range[1] - range[0]) : 0.5;
  return tg_cmap_sequential (st, CLAMP (t, 0.0, 1.0));
}

/* One panel: its cells (value(row, col) at values[row * cols + col]) and its labels. */
static void
draw_panel (cairo_t *cr, const TgPlotStyle *st, const Layout *lo, TgRect r, guint rows,
            guint cols, const double *values, const double *range,
            const char *const *row_labels, char **col_labels)
{
  g_autofree TgRgba *colors = g_new (TgRgba, MAX ((size_t) rows * cols, 1));
  for (size_t i = 0; i < (size_t) rows * cols; i++)
    colors[i] = value_color (st, values[i], range);
  tg_paint_cells (cr, r, cols, rows, colors);
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.6 * tg_line_scale (st));
  cairo_rectangle (cr, r.x, r.y, r.w, r.h);
  cairo_stroke (cr);
  double fs = st->font_size;
  for (guint c = 0; c < cols; c += lo->col_step)
    tg_text (cr, st, LABEL_SIZE, FALSE, col_labels[c], r.x + (c + 0.5) * lo->cw,
             r.y + r.h + 0.2 * fs, 0.5, 0.0);
  if (row_labels == NULL)
    return;
  for (guint w = 0; w < rows; w += lo->row_step)
    {
      g_autofree char *s = tg_text_shorten (cr, st, LABEL_SIZE, FALSE,
                                            row_labels[w] ? row_labels[w] : "", lo->label_w);
      if (s != NULL)
        tg_text (cr, st, LABEL_SIZE, FALSE, s, r.x - 0.3 * fs, r.y + (w + 0.5) * lo->ch, 1.0,
                 0.5);
    }
}

static void
outline_cell (cairo_t *cr, const TgPlotStyle *st, const Layout *lo, TgRect r, guint row,
              guint col, double width)
{
  cairo_rectangle (cr, r.x + col * lo->cw, r.y + row * lo->ch, lo->cw, lo->ch);
  tg_set_rgba (cr, st->background);
  cairo_set_line_width (cr, (width + 1.2) * tg_line_scale (st));
  cairo_stroke_preserve (cr);
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, width * tg_line_scale (st));
  cairo_stroke (cr);
}

static void
draw_bar (cairo_t *cr, const TgPlotStyle *st, const Layout *lo, const double *range,
          const char *title)
{
  double ticks[6];
  guint n = 0;
  TgAxis ax;
  tg_axis_init (&ax, range[0], range[1], 5, FALSE);
  for (guint i = 0; i < ax.n_ticks && n < G_N_ELEMENTS (ticks); i++)
    ticks[n++] = ax.ticks[i];
  tg_colorbar_vertical (cr, st, lo->bar, range[0], range[1], ticks, n, MAX (ax.decimals, 1),
                        value_color, range);
  tg_set_rgba (cr, st->foreground);
  double x = lo->body.x + lo->body.w - 0.5 * tg_line_height (st, 1.0);
  tg_text_rotated (cr, st, 1.0, FALSE, title, x, lo->bar.y + lo->bar.h / 2, 0.5, 0.5,
                   G_PI / 2);
}

/* --- the accuracy matrix -------------------------------------------------------------- */

static char **
matrix_col_labels (const TgModeMatrixData *d, double *widest, cairo_t *cr,
                   const TgPlotStyle *st)
{
  char **labels = g_new0 (char *, d->n_angles + 1);
  *widest = 0;
  for (guint a = 0; a < d->n_angles; a++)
    {
      labels[a] = angle_label (d->test_angles[a]);
      *widest = MAX (*widest, tg_text_width (cr, st, LABEL_SIZE, FALSE, labels[a]));
    }
  return labels;
}

static gboolean
matrix_empty (const TgModeMatrixData *d)
{
  return d == NULL || d->n_modes == 0 || d->n_angles == 0 || d->acc == NULL ||
         d->test_angles == NULL;
}

static TgRect
matrix_frame (cairo_t *cr, double width, double height, const TgModeMatrixData *d,
              const TgPlotStyle *st, gboolean draw)
{
  const char *title = d && d->title ? d->title : "Accuracy matrix";
  const char *sub = d ? d->subtitle : NULL, *cap = d ? d->caption : NULL;
  return draw ? tg_frame (cr, width, height, st, title, sub, cap, NULL, 0)
              : tg_frame_layout_like (cr, width, height, st, title, sub, cap, NULL, 0);
}

static char **
matrix_layout (cairo_t *cr, double width, double height, const TgModeMatrixData *d,
               const TgPlotStyle *st, TgRect body, Layout *lo)
{
  double widest;
  char **cols = matrix_col_labels (d, &widest, cr, st);
  grid_layout (cr, st, body, 1, d->n_modes, d->n_angles, d->mode_labels, widest, FALSE,
               FALSE, lo);
  (void) width, (void) height;
  return cols;
}

/* The colour scale: the caller's, else the data's range widened to whole 0.05 steps (at
 * least 0.1 wide, within 0..1), so modes that differ by a few points do not all read as
 * one colour. */
static void
matrix_range (const TgModeMatrixData *d, double *range)
{
  if (d->lo < d->hi)
    {
      range[0] = d->lo, range[1] = d->hi;
      return;
    }
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < (size_t) d->n_modes * d->n_angles; i++)
    if (isfinite (d->acc[i]))
      lo = MIN (lo, d->acc[i]), hi = MAX (hi, d->acc[i]);
  if (!(lo <= hi))
    lo = 0.0, hi = 1.0;
  lo = MAX (0.0, floor (lo * 20 + 1e-9) / 20);
  hi = MIN (1.0, ceil (hi * 20 - 1e-9) / 20);
  if (hi - lo < 0.1)
    {
      hi = MIN (1.0, lo + 0.1);
      lo = MAX (0.0, hi - 0.1);
    }
  range[0] = lo, range[1] = hi;
}

void
tg_plot_mode_matrix (cairo_t *cr, double width, double height, const TgModeMatrixData *d,
                     const TgPlotStyle *st)
{
  TgRect body = matrix_frame (cr, width, height, d, st, TRUE);
  if (matrix_empty (d))
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no modes measured yet", st);
      return;
    }
  Layout lo;
  g_auto (GStrv) cols = matrix_layout (cr, width, height, d, st, body, &lo);
  double range[2];
  matrix_range (d, range);
  TgRect r = lo.panels[0];
  draw_panel (cr, st, &lo, r, d->n_modes, d->n_angles, d->acc, range, d->mode_labels, cols);
  for (guint m = 0; d->mode_angles != NULL && m < d->n_modes; m++)
    for (guint a = 0; a < d->n_angles; a++)
      if (isfinite (d->mode_angles[m]) && fabs (d->mode_angles[m] - d->test_angles[a]) < 1e-9)
        outline_cell (cr, st, &lo, r, m, a, 0.8);
  double lh = tg_line_height (st, 1.0), fs = st->font_size;
  tg_set_rgba (cr, st->foreground);
  tg_text_rotated (cr, st, 1.0, FALSE, "mode (trained for)", body.x + lh / 2,
                   r.y + r.h / 2, 0.5, 0.5, -G_PI / 2);
  tg_text (cr, st, 1.0, FALSE, "rotation of the test set (degrees)", r.x + r.w / 2,
           r.y + r.h + tg_line_height (st, LABEL_SIZE) + 0.4 * fs, 0.5, 0.0);
  draw_bar (cr, st, &lo, range, "test accuracy");
  if (d->show_hover && d->hover_mode < d->n_modes && d->hover_angle < d->n_angles)
    {
      outline_cell (cr, st, &lo, r, d->hover_mode, d->hover_angle, 1.6);
      double v = d->acc[(size_t) d->hover_mode * d->n_angles + d->hover_angle];
      g_autofree char *val = isfinite (v) ? g_strdup_printf ("%.3f", v) : g_strdup ("not measured");
      g_autofree char *text = g_strdup_printf ("%s on %s°: %s",
                                               d->mode_labels ? d->mode_labels[d->hover_mode] : "",
                                               cols[d->hover_angle], val);
      g_autofree char *s = tg_text_shorten (cr, st, LABEL_SIZE, FALSE, text, r.w);
      if (s)
        tg_text (cr, st, LABEL_SIZE, FALSE, s, r.x + r.w, lo.readout_y, 1.0, 0.0);
    }
}

gboolean
tg_plot_mode_matrix_hit (double width, double height, const TgModeMatrixData *d,
                         const TgPlotStyle *st, double x, double y, guint *mode, guint *angle)
{
  if (matrix_empty (d))
    return FALSE;
  cairo_t *cr = tg_scratch_context ();
  TgRect body = matrix_frame (cr, width, height, d, st, FALSE);
  Layout lo;
  g_auto (GStrv) cols = matrix_layout (cr, width, height, d, st, body, &lo);
  cairo_destroy (cr);
  guint panel;
  return grid_hit (&lo, d->n_modes, d->n_angles, x, y, &panel, mode, angle);
}

/* --- the mode map --------------------------------------------------------------------- */

static gboolean
map_empty (const TgModeMapData *d)
{
  return d == NULL || d->n_modes == 0 || d->n_layers == 0 || d->jaccard == NULL;
}

static gboolean
map_both_off (const TgModeMapData *d, guint layer, guint a, guint b)
{
  return d->n_on != NULL && d->n_on[(size_t) a * d->n_layers + layer] == 0 &&
         d->n_on[(size_t) b * d->n_layers + layer] == 0;
}

static TgRect
map_frame (cairo_t *cr, double width, double height, const TgModeMapData *d,
           const TgPlotStyle *st, gboolean draw)
{
  const char *title = d && d->title ? d->title : "Mode map";
  const char *sub = d ? d->subtitle : NULL, *cap = d ? d->caption : NULL;
  return draw ? tg_frame (cr, width, height, st, title, sub, cap, NULL, 0)
              : tg_frame_layout_like (cr, width, height, st, title, sub, cap, NULL, 0);
}

static void
map_layout (cairo_t *cr, const TgModeMapData *d, const TgPlotStyle *st, TgRect body,
            Layout *lo)
{
  double widest = label_width (cr, st, d->mode_labels, d->n_modes, 0.12 * body.w);
  grid_layout (cr, st, body, MIN (d->n_layers, TG_MAX_LINEAR), d->n_modes, d->n_modes,
               d->mode_labels, widest, TRUE, TRUE, lo);
}

void
tg_plot_mode_map (cairo_t *cr, double width, double height, const TgModeMapData *d,
                  const TgPlotStyle *st)
{
  TgRect body = map_frame (cr, width, height, d, st, TRUE);
  if (map_empty (d))
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no gated modes to compare", st);
      return;
    }
  Layout lo;
  map_layout (cr, d, st, body, &lo);
  double range[2] = { 0.0, 1.0 }, lh = tg_line_height (st, 1.0), fs = st->font_size;
  guint n = d->n_modes;
  g_autofree char **cols = g_new0 (char *, n + 1);
  for (guint k = 0; k < n; k++)
    cols[k] = tg_text_shorten (cr, st, LABEL_SIZE, FALSE, d->mode_labels ? d->mode_labels[k] : "",
                               0.12 * body.w);
  g_autofree double *shown = g_new (double, (size_t) n * n);
  for (guint l = 0; l < lo.n_panels; l++)
    {
      TgRect r = lo.panels[l];
      /* a pair with no unit on in either mode has Jaccard 1 by convention: grey, so it
       * does not read as two modes sharing everything */
      for (guint a = 0; a < n; a++)
        for (guint b = 0; b < n; b++)
          shown[(size_t) a * n + b] = map_both_off (d, l, a, b)
                                        ? NAN : d->jaccard[((size_t) l * n + a) * n + b];
      draw_panel (cr, st, &lo, r, n, n, shown, range, l == 0 ? d->mode_labels : NULL, cols);
      g_autofree char *fallback = g_strdup_printf ("hidden %u", l + 1);
      const char *label = d->layer_labels && d->layer_labels[l] ? d->layer_labels[l] : fallback;
      tg_set_rgba (cr, st->foreground);
      tg_text (cr, st, 1.0, TRUE, label, r.x + r.w / 2, r.y - 0.2 * fs, 0.5, 1.0);
      const char *const xt[] = { "mode", NULL };
      tg_axis_title_in_span (cr, st, 1.0, xt, r.x + r.w / 2, r.x, r.x + r.w,
                             r.y + r.h + tg_line_height (st, LABEL_SIZE) + 0.4 * fs);
    }
  g_strfreev (cols);
  cols = NULL;
  TgRect r0 = lo.panels[0];
  tg_set_rgba (cr, st->foreground);
  tg_text_rotated (cr, st, 1.0, FALSE, "mode", body.x + lh / 2, r0.y + r0.h / 2, 0.5, 0.5,
                   -G_PI / 2);
  draw_bar (cr, st, &lo, range, "Jaccard of the units on");
  if (d->show_hover && d->hover_layer < lo.n_panels && d->hover_a < n && d->hover_b < n)
    {
      TgRect r = lo.panels[d->hover_layer];
      outline_cell (cr, st, &lo, r, d->hover_a, d->hover_b, 1.6);
      double v = d->jaccard[((size_t) d->hover_layer * n + d->hover_a) * n + d->hover_b];
      const char *a = d->mode_labels ? d->mode_labels[d->hover_a] : "";
      const char *b = d->mode_labels ? d->mode_labels[d->hover_b] : "";
      g_autofree char *on = d->n_on ? g_strdup_printf (" (on: %u and %u)",
                                                       d->n_on[(size_t) d->hover_a * d->n_layers + d->hover_layer],
                                                       d->n_on[(size_t) d->hover_b * d->n_layers + d->hover_layer])
                                    : g_strdup ("");
      g_autofree char *text = g_strdup_printf ("hidden %u, %s vs %s: Jaccard %.3f%s",
                                               d->hover_layer + 1, a, b, v, on);
      TgRect last = lo.panels[lo.n_panels - 1];
      g_autofree char *s = tg_text_shorten (cr, st, LABEL_SIZE, FALSE, text,
                                            last.x + last.w - r0.x);
      if (s)
        tg_text (cr, st, LABEL_SIZE, FALSE, s, last.x + last.w, lo.readout_y, 1.0, 0.0);
    }
}

gboolean
tg_plot_mode_map_hit (double width, double height, const TgModeMapData *d,
                      const TgPlotStyle *st, double x, double y, guint *layer, guint *a,
                      guint *b)
{
  if (map_empty (d))
    return FALSE;
  cairo_t *cr = tg_scratch_context ();
  TgRect body = map_frame (cr, width, height, d, st, FALSE);
  Layout lo;
  map_layout (cr, d, st, body, &lo);
  cairo_destroy (cr);
  return grid_hit (&lo, d->n_modes, d->n_modes, x, y, layer, a, b);
}

/* --- data ----------------------------------------------------------------------------- */

static const char *const layer_names[TG_MAX_LINEAR] = {
  "hidden 1", "hidden 2", "hidden 3", "hidden 4", "hidden 5", "hidden 6", "hidden 7",
  "hidden 8",
};

void
tg_mode_matrix_data_from (TgModeMatrixData *d, const TgAccMatrix *am, gboolean hard)
{
  memset (d, 0, sizeof *d);
  d->n_modes = am->n_modes;
  d->n_angles = am->n_angles;
  d->mode_labels = (const char *const *) am->names;
  d->mode_angles = am->mode_angles;
  d->test_angles = am->test_angles;
  d->acc = hard ? am->acc_hard : am->acc_soft;
  d->subtitle = hard ? "hard gates 1[z > τ]" : "soft gates";
}

void
tg_mode_map_data_from (TgModeMapData *d, const TgModeMap *map)
{
  memset (d, 0, sizeof *d);
  d->n_modes = map->n_modes;
  d->n_layers = map->n_layers;
  d->mode_labels = (const char *const *) map->names;
  d->layer_labels = layer_names;
  d->jaccard = map->jaccard;
  d->n_on = map->n_on;
}

/* --- the numbers beside the figures ---------------------------------------------------- */

char *
tg_plot_mode_matrix_csv (const TgModeMatrixData *d)
{
  TgCsv *csv = tg_csv_new (NULL);
  const char *head[] = { "mode", "mode_angle", "test_angle", "accuracy" };
  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    tg_csv_text (csv, head[i]);
  tg_csv_end_row (csv);
  for (guint m = 0; !matrix_empty (d) && m < d->n_modes; m++)
    for (guint a = 0; a < d->n_angles; a++)
      {
        tg_csv_text (csv, d->mode_labels ? d->mode_labels[m] : "");
        tg_csv_number (csv, TG_NUMBER_SHORTEST, d->mode_angles ? d->mode_angles[m] : NAN);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, d->test_angles[a]);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, d->acc[(size_t) m * d->n_angles + a]);
        tg_csv_end_row (csv);
      }
  return tg_csv_free_to_text (csv);
}

char *
tg_plot_mode_map_csv (const TgModeMapData *d)
{
  TgCsv *csv = tg_csv_new (NULL);
  const char *head[] = { "layer", "mode_a", "mode_b", "jaccard" };
  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    tg_csv_text (csv, head[i]);
  tg_csv_end_row (csv);
  guint n = map_empty (d) ? 0 : d->n_modes;
  for (guint l = 0; n && l < MIN (d->n_layers, TG_MAX_LINEAR); l++)
    for (guint a = 0; a < n; a++)
      for (guint b = 0; b < n; b++)
        {
          tg_csv_text (csv, d->layer_labels && d->layer_labels[l] ? d->layer_labels[l]
                                                                  : layer_names[l]);
          tg_csv_text (csv, d->mode_labels ? d->mode_labels[a] : "");
          tg_csv_text (csv, d->mode_labels ? d->mode_labels[b] : "");
          tg_csv_number (csv, TG_NUMBER_SHORTEST, d->jaccard[((size_t) l * n + a) * n + b]);
          tg_csv_end_row (csv);
        }
  return tg_csv_free_to_text (csv);
}
