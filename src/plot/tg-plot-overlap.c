/* SPDX-License-Identifier: MIT */
/* tg-plot-overlap.c — the paper's Table 3 as a figure: Jaccard of the 0 deg- and 45 deg-
 * specialised gate on-sets per hidden layer, and which units are on in which model, with
 * the selected unit outlined and the ablation set marked; the hit test reuses the layout. */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

enum { BOTH, ONLY0, ONLY_ROT, NEITHER, N_KINDS };

static TgRgba
kind_color (const TgPlotStyle *st, int kind)
{
  switch (kind)
    {
    case BOTH:
      return tg_series (st, 2);
    case ONLY0:
      return tg_series (st, 0);
    case ONLY_ROT:
      return tg_series (st, 1);
    default:
      return tg_rgba_mix (st->background, st->muted, 0.22);
    }
}

/* An error bar of v ± e at x = cx with caps; returns its top. */
static double
draw_error_bar (cairo_t *cr, const TgPlotStyle *st, const TgAxis *ay, double cx, double bw,
                double v, double e)
{
  double y0 = tg_axis_map_clamped (ay, v - e), y1 = tg_axis_map_clamped (ay, v + e);
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 1.0 * tg_line_scale (st));
  cairo_move_to (cr, cx, y0);
  cairo_line_to (cr, cx, y1);
  cairo_move_to (cr, cx - bw * 0.15, y1);
  cairo_line_to (cr, cx + bw * 0.15, y1);
  cairo_move_to (cr, cx - bw * 0.15, y0);
  cairo_line_to (cr, cx + bw * 0.15, y0);
  cairo_stroke (cr);
  return y1;
}

static void
draw_jaccard_bars (cairo_t *cr, const TgPlotStyle *st, const TgOverlapData *d, TgRect area)
{
  gboolean any = FALSE;
  for (guint l = 0; d->jaccard != NULL && l < d->n_layers; l++)
    any |= isfinite (d->jaccard[l]);
  if (!any)
    {
      tg_plot_no_data (cr, area.x, area.y, area.w, area.h, "no Jaccard yet", st);
      return;
    }

  double fs = st->font_size;
  TgAxis ay;
  tg_axis_init (&ay, 0.0, 1.0, 4, TRUE);
  double left = area.x + tg_line_height (st, 0.95) + tg_axis_labels_width (cr, st, &ay) + 8;
  double lab_h = tg_line_height (st, 0.85);
  /* Room above 1.0 for a value label. */
  TgRect plot = { left, area.y + lab_h + 2, area.x + area.w - left,
                  area.h - lab_h - 2 - lab_h - 6 };
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, "Jaccard", area.x, TRUE);

  guint n = d->n_layers;
  double gw = plot.w / MAX (n, 1u), bw = MIN (gw * 0.6, fs * 4);
  char buf[32];
  cairo_save (cr);
  for (guint l = 0; l < n; l++)
    {
      double cx = plot.x + (l + 0.5) * gw;
      double v = d->jaccard[l];
      const char *label = d->layer_labels ? d->layer_labels[l] : NULL;
      tg_set_rgba (cr, st->foreground);
      if (label)
        tg_text (cr, st, 0.85, FALSE, label, cx, plot.y + plot.h + 4, 0.5, 0.0);
      if (!isfinite (v))
        {
          tg_set_rgba (cr, st->muted);
          tg_text (cr, st, 0.85, FALSE, "—", cx, plot.y + plot.h - 2, 0.5, 1.0);
          continue;
        }
      double y = tg_axis_map_clamped (&ay, v);
      tg_set_rgba (cr, kind_color (st, BOTH));
      cairo_rectangle (cr, cx - bw / 2, y, bw, plot.y + plot.h - y);
      cairo_fill (cr);
      double top = y;
      if (d->jaccard_err != NULL && isfinite (d->jaccard_err[l]) && d->jaccard_err[l] > 0)
        {
          double bar_top = draw_error_bar (cr, st, &ay, cx, bw, v, d->jaccard_err[l]);
          top = MIN (top, bar_top);
        }
      if (d->ref != NULL && isfinite (d->ref[l]))
        {
          double ry = tg_axis_map_clamped (&ay, d->ref[l]);
          cairo_set_line_width (cr, 1.2 * tg_line_scale (st));
          tg_diamond (cr, cx + bw / 2 + fs * 0.6, ry, fs * 0.42);
          tg_set_rgba (cr, st->background);
          cairo_fill_preserve (cr);
          tg_set_rgba (cr, st->foreground);
          cairo_stroke (cr);
        }
      g_snprintf (buf, sizeof buf, "%.2f", v);
      tg_set_rgba (cr, st->foreground);
      if (top - lab_h >= area.y)
        tg_text (cr, st, 0.85, TRUE, buf, cx, top - 2, 0.5, 1.0);
      else
        {
          tg_set_rgba (cr, tg_contrast_on (st, kind_color (st, BOTH)));
          tg_text (cr, st, 0.85, TRUE, buf, cx, y + 2, 0.5, 0.0);
        }
    }
  cairo_restore (cr);
}

/* "hidden 1: both 20 · only 0° 3 · ...", the short form when the long one does not fit. */
static char *
strip_label (cairo_t *cr, const TgPlotStyle *st, const TgOverlapData *d, guint l, double w)
{
  guint count[N_KINDS] = { 0 };
  const float *g0 = d->gate0 + (gsize) l * d->n_units, *g_rot = d->gate_rot + (gsize) l * d->n_units;
  for (guint u = 0; u < d->n_units; u++)
    {
      gboolean on0 = isfinite (g0[u]) && g0[u] > d->threshold;
      gboolean on_rot = isfinite (g_rot[u]) && g_rot[u] > d->threshold;
      count[on0 && on_rot ? BOTH : on0 ? ONLY0 : on_rot ? ONLY_ROT : NEITHER]++;
    }
  const char *name = d->layer_labels && d->layer_labels[l] ? d->layer_labels[l] : "layer";
  const char *target = d->target_label ? d->target_label : "45°";
  const char *first = d->first_label ? d->first_label : "0°";
  char *label = g_strdup_printf ("%s: both %u · only %s %u · only %s %u · neither %u", name,
                                 count[BOTH], first, count[ONLY0], target, count[ONLY_ROT],
                                 count[NEITHER]);
  if (tg_text_width (cr, st, 0.9, FALSE, label) <= w)
    return label;
  g_free (label);
  return g_strdup_printf ("%s: both %u · %s %u · %s %u · neither %u", name, count[BOTH],
                          first, count[ONLY0], target, count[ONLY_ROT], count[NEITHER]);
}

/* The number of columns (8 to 128, at most nu) that gives the largest square cells for nu
 * units in aw by ah; returns the cell size. */
static double
pick_grid (guint nu, double aw, double ah, guint *cols_out)
{
  guint cols = MIN (nu, 8u);
  double cell = 0.0;
  for (guint c = 8; c <= 128; c *= 2)
    {
      guint cc = MIN (nu, c), rr = (nu + cc - 1) / cc;
      double size = MIN (aw / cc, ah / rr);
      if (size > cell * 1.05)
        {
          cell = size;
          cols = cc;
        }
    }
  *cols_out = cols;
  return cell;
}

/* A strip's first unit of each row on the left and "+c" column offsets under it, the grid's
 * top left at (gx, gy). */
static void
draw_grid_labels (cairo_t *cr, const TgPlotStyle *st, double gx, double gy, double cell,
                  guint cols, guint rows)
{
  char buf[32];
  double fs = st->font_size;
  tg_set_rgba (cr, st->muted);
  guint rstep = MAX (1u, (guint) ceil (tg_line_height (st, 0.75) / cell));
  for (guint r = 0; r < rows; r += rstep)
    {
      g_snprintf (buf, sizeof buf, "%u", r * cols);
      tg_text (cr, st, 0.75, FALSE, buf, gx - 3, gy + (r + 0.5) * cell, 1.0, 0.5);
    }
  g_snprintf (buf, sizeof buf, "+%u", cols);
  guint cstep = tg_label_step (cell, tg_text_width (cr, st, 0.75, FALSE, buf) + fs * 0.6);
  for (guint c = 0; c < cols; c += cstep)
    {
      g_snprintf (buf, sizeof buf, "+%u", c);
      /* with small cells "+0" would reach under the row labels' column and meet the last */
      double x = gx + (c + 0.5) * cell;
      if (x - tg_text_width (cr, st, 0.75, FALSE, buf) / 2 < gx - 2)
        continue;
      tg_text (cr, st, 0.75, FALSE, buf, x, gy + rows * cell + 1, 0.5, 0.0);
    }
}

/* Where the strips go: each layer's head (its wrapped counts) and grid of cells. */
typedef struct {
  char   **labels;       /* n_layers, owned */
  double   head, slot, gap, cell, cgap, row_lab;
  guint    cols, rows;
} StripGeom;

static void
strip_geom_clear (StripGeom *g)
{
  g_strfreev (g->labels);
  g->labels = NULL;
}

static void
strip_geom (cairo_t *cr, const TgPlotStyle *st, const TgOverlapData *d, TgRect area,
            StripGeom *g)
{
  guint nu = d->n_units, nl = d->n_layers;
  char buf[32];
  double fs = st->font_size;

  memset (g, 0, sizeof *g);
  /* Each layer's counts head its strip, wrapped to the strip's width. */
  g->labels = g_new0 (char *, nl + 1);
  guint head_lines = 1;
  for (guint l = 0; l < nl; l++)
    {
      g->labels[l] = strip_label (cr, st, d, l, area.w);
      g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.9, FALSE, g->labels[l], area.w);
      head_lines = MAX (head_lines, g_strv_length (lines));
    }
  g->head = tg_line_height (st, 0.9) * head_lines + 2;
  g->gap = fs * 0.8;
  double foot = tg_line_height (st, 0.75);
  g->slot = (area.h - (nl - 1) * g->gap) / nl;
  /* Row labels (first unit of each row) on the left; pick the number of columns that gives
   * the largest cells. */
  g_snprintf (buf, sizeof buf, "%u", nu);
  g->row_lab = tg_text_width (cr, st, 0.75, FALSE, buf) + 5;
  double aw = area.w - g->row_lab;
  g->cell = pick_grid (nu, aw, g->slot - g->head - foot, &g->cols);
  g->rows = (nu + g->cols - 1) / g->cols;
  g->cell = MAX (MIN (g->cell, st->font_size * 2.2), 0.5);
  g->cgap = g->cell > 6 ? 1.0 : 0.0;
}

/* The top left corner of unit u's cell in layer l. */
static void
strip_cell (const StripGeom *g, TgRect area, guint l, guint u, double *x, double *y)
{
  *x = area.x + g->row_lab + (u % g->cols) * g->cell;
  *y = area.y + l * (g->slot + g->gap) + g->head + (u / g->cols) * g->cell;
}

/* The selected unit's doubled outline and the ablation marks (a cross: silenced, a dot:
 * forced on) over the strips. */
static void
draw_strip_overlays (cairo_t *cr, const TgPlotStyle *st, const TgOverlapData *d,
                     TgRect area, const StripGeom *g)
{
  double x, y;
  cairo_save (cr);
  for (guint l = 0; d->marked != NULL && l < d->n_layers; l++)
    for (guint u = 0; u < d->n_units; u++)
      {
        guint8 mark = d->marked[(gsize) l * d->n_units + u];
        if (mark == TG_PLOT_MARK_NONE)
          continue;
        strip_cell (g, area, l, u, &x, &y);
        tg_draw_unit_mark (cr, st, mark, x + g->cell / 2, y + g->cell / 2,
                           MAX (g->cell * 0.28, 1.5));
      }
  if (d->show_selected && d->selected_layer < d->n_layers && d->selected_unit < d->n_units)
    {
      strip_cell (g, area, d->selected_layer, d->selected_unit, &x, &y);
      cairo_set_line_width (cr, 3.0 * tg_line_scale (st));
      tg_set_rgba (cr, st->foreground);
      cairo_rectangle (cr, x - 1.5, y - 1.5, g->cell + 3, g->cell + 3);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 1.0 * tg_line_scale (st));
      tg_set_rgba (cr, st->background);
      cairo_rectangle (cr, x + 1, y + 1, MAX (g->cell - 2, 0.5), MAX (g->cell - 2, 0.5));
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
draw_strips (cairo_t *cr, const TgPlotStyle *st, const TgOverlapData *d, TgRect area)
{
  guint nu = d->n_units, nl = d->n_layers;
  if (d->gate0 == NULL || d->gate_rot == NULL || nu == 0 || nl == 0)
    {
      tg_plot_no_data (cr, area.x, area.y, area.w, area.h, "no gate masks yet", st);
      return;
    }

  StripGeom g;
  strip_geom (cr, st, d, area, &g);
  cairo_save (cr);
  for (guint l = 0; l < nl; l++)
    {
      const float *g0 = d->gate0 + (gsize) l * nu, *g_rot = d->gate_rot + (gsize) l * nu;
      double y0 = area.y + l * (g.slot + g.gap);
      for (guint u = 0; u < nu; u++)
        {
          gboolean on0 = isfinite (g0[u]) && g0[u] > d->threshold;
          gboolean on_rot = isfinite (g_rot[u]) && g_rot[u] > d->threshold;
          int k = on0 && on_rot ? BOTH : on0 ? ONLY0 : on_rot ? ONLY_ROT : NEITHER;
          double x, y;
          strip_cell (&g, area, l, u, &x, &y);
          tg_set_rgba (cr, kind_color (st, k));
          cairo_rectangle (cr, x + g.cgap / 2, y + g.cgap / 2, g.cell - g.cgap, g.cell - g.cgap);
          cairo_fill (cr);
        }
      g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.9, FALSE, g.labels[l], area.w);
      tg_set_rgba (cr, st->foreground);
      for (guint i = 0; lines[i] != NULL; i++)
        tg_text (cr, st, 0.9, FALSE, lines[i], area.x, y0 + i * tg_line_height (st, 0.9),
                 0.0, 0.0);
      draw_grid_labels (cr, st, area.x + g.row_lab, y0 + g.head, g.cell, g.cols, g.rows);
    }
  cairo_restore (cr);
  draw_strip_overlays (cr, st, d, area, &g);
  strip_geom_clear (&g);
}

/* The legend items tg_plot_overlap shows (target_only holds "only <target>"); returns
 * their number. */
static guint
overlap_legend (const TgOverlapData *d, const TgPlotStyle *st, const char *only_first,
                const char *only_rot, TgLegendItem *items)
{
  guint n = 0;
  gboolean any_ref = FALSE;
  for (guint l = 0; d != NULL && d->ref != NULL && l < d->n_layers; l++)
    any_ref |= isfinite (d->ref[l]);
  items[n++] = (TgLegendItem) { TG_LEGEND_BOX, kind_color (st, BOTH), "on in both" };
  items[n++] = (TgLegendItem) { TG_LEGEND_BOX, kind_color (st, ONLY0), only_first };
  items[n++] = (TgLegendItem) { TG_LEGEND_BOX, kind_color (st, ONLY_ROT), only_rot };
  items[n++] = (TgLegendItem) { TG_LEGEND_BOX, kind_color (st, NEITHER), "neither" };
  if (any_ref)
    items[n++] = (TgLegendItem) { TG_LEGEND_DIAMOND, st->foreground,
                                  d->ref_label ? d->ref_label : "reference" };
  return n;
}

/* The strips' rectangle: the body right of the Jaccard bars. */
static TgRect
strips_area (TgRect body, const TgPlotStyle *st)
{
  double split = MIN (MAX (body.w * 0.3, st->font_size * 14), body.w * 0.45);
  return (TgRect) { body.x + split + st->font_size * 1.5, body.y,
                    body.w - split - st->font_size * 1.5, body.h };
}

void
tg_plot_overlap (cairo_t *cr, double width, double height, const TgOverlapData *d,
                 const TgPlotStyle *st)
{
  const char *target = d != NULL && d->target_label ? d->target_label : "45°";
  g_autofree char *default_title = g_strdup_printf ("Gate-mask overlap, %s vs %s",
                                                   d != NULL && d->first_label
                                                   ? d->first_label : "0°", target);
  g_autofree char *only_rot = g_strdup_printf ("only %s", target);
  g_autofree char *only_first = g_strdup_printf ("only %s", d != NULL && d->first_label
                                                              ? d->first_label : "0°");
  const char *title = d != NULL && d->title ? d->title : default_title;
  g_autofree char *subtitle = NULL;
  TgLegendItem items[6];
  guint n = overlap_legend (d, st, only_first, only_rot, items);

  if (d != NULL && d->n_layers > 0)
    subtitle = g_strdup_printf ("on = mean gate over its own mode's test set > %.2f", d->threshold);

  TgRect body = tg_frame (cr, width, height, st, title, subtitle,
                          d != NULL ? d->caption : NULL, items, n);
  if (d == NULL || d->n_layers == 0)
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no data yet", st);
      return;
    }
  double split = MIN (MAX (body.w * 0.3, st->font_size * 14), body.w * 0.45);
  TgRect left = { body.x, body.y, split, body.h };
  draw_jaccard_bars (cr, st, d, left);
  draw_strips (cr, st, d, strips_area (body, st));
}

gboolean
tg_plot_overlap_hit (double width, double height, const TgOverlapData *d,
                     const TgPlotStyle *st, double x, double y, guint *layer, guint *unit)
{
  if (d == NULL || d->n_layers == 0 || d->n_units == 0 || d->gate0 == NULL ||
      d->gate_rot == NULL)
    return FALSE;
  const char *target = d->target_label ? d->target_label : "45°";
  g_autofree char *default_title = g_strdup_printf ("Gate-mask overlap, %s vs %s",
                                                   d != NULL && d->first_label
                                                   ? d->first_label : "0°", target);
  g_autofree char *only_rot = g_strdup_printf ("only %s", target);
  g_autofree char *only_first = g_strdup_printf ("only %s", d != NULL && d->first_label
                                                              ? d->first_label : "0°");
  g_autofree char *subtitle =
    g_strdup_printf ("on = mean gate over its own mode's test set > %.2f", d->threshold);
  TgLegendItem items[6];
  guint n = overlap_legend (d, st, only_first, only_rot, items);
  TgRect body = tg_frame_layout (width, height, st, d->title ? d->title : default_title,
                                 subtitle, d->caption, items, n);
  TgRect area = strips_area (body, st);
  cairo_t *cr = tg_scratch_context ();
  StripGeom g;
  strip_geom (cr, st, d, area, &g);
  cairo_destroy (cr);
  gboolean hit = FALSE;
  for (guint l = 0; l < d->n_layers && !hit; l++)
    {
      double gx, gy;
      strip_cell (&g, area, l, 0, &gx, &gy);
      if (x < gx || y < gy || x >= gx + g.cols * g.cell || y >= gy + g.rows * g.cell)
        continue;
      guint u = (guint) ((y - gy) / g.cell) * g.cols + MIN ((guint) ((x - gx) / g.cell),
                                                           g.cols - 1);
      if (u >= d->n_units)
        continue;
      *layer = l;
      *unit = u;
      hit = TRUE;
    }
  strip_geom_clear (&g);
  return hit;
}
