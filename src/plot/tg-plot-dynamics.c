/* SPDX-License-Identifier: MIT */
/* tg-plot-dynamics.c — gate dynamics against the step: what λ and s act on, in four panels
 * (mean soft gate, units on per image, high-activation fraction, Jaccard of the units on at
 * 0° and at the target angle). One colour per hidden layer; 0° solid, target dashed; the
 * user's changes of s and λ as dashed vertical lines labelled above the top panels. */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

#define N_PANELS 4

static const char *const panel_titles[N_PANELS] = {
  "mean soft gate", "units on per image", "high-act fraction", "Jaccard 0° / target",
};

typedef struct {
  TgRect body;
  TgRect panel[N_PANELS];
  TgAxis ax[N_PANELS], ay[N_PANELS];
  double title_x[N_PANELS]; /* left of each panel's y-axis title, wrapped to its height */
  double label_y;          /* the marker label strip, above the top panels */
  gboolean any;
} Layout;

/* The series of panel p for layer l: [0] 0°, [1] target (NULL where the panel has none). */
static void
panel_series (const TgDynamicsData *d, guint p, guint l, const double **a, const double **b)
{
  const TgDynamicsLayer *L = &d->layers[l];
  *b = NULL;
  switch (p)
    {
    case 0: *a = L->mean_gate0; *b = L->mean_gate_rot; break;
    case 1: *a = L->units_on0; *b = L->units_on_rot; break;
    case 2: *a = l == 0 ? d->high_act : NULL; break;
    default: *a = L->jaccard; break;
    }
}

static void
range_of (const double *v, guint n, double *lo, double *hi, gboolean *any)
{
  for (guint i = 0; v != NULL && i < n; i++)
    if (isfinite (v[i]))
      {
        *lo = MIN (*lo, v[i]);
        *hi = MAX (*hi, v[i]);
        *any = TRUE;
      }
}

static gboolean
finite_at (const double *v, guint i)
{
  return v != NULL && isfinite (v[i]);
}

/* Whether any series has a value at point i. */
static gboolean
point_measured (const TgDynamicsData *d, guint i)
{
  if (finite_at (d->high_act, i))
    return TRUE;
  for (guint l = 0; l < d->n_layers; l++)
    {
      const TgDynamicsLayer *L = &d->layers[l];
      if (finite_at (L->mean_gate0, i) || finite_at (L->mean_gate_rot, i) ||
          finite_at (L->units_on0, i) || finite_at (L->units_on_rot, i) ||
          finite_at (L->jaccard, i))
        return TRUE;
    }
  return FALSE;
}

static guint
legend_items (const TgDynamicsData *d, const TgPlotStyle *st, TgLegendItem *items, guint cap)
{
  guint n = 0;
  for (guint l = 0; d != NULL && l < d->n_layers && n + 3 < cap; l++)
    items[n++] = (TgLegendItem) { TG_LEGEND_LINE, tg_series (st, l),
                                  d->layers[l].label ? d->layers[l].label : "layer" };
  if (d != NULL && d->n_layers > 0)
    {
      items[n++] = (TgLegendItem) { TG_LEGEND_LINE, st->muted, "0° inputs" };
      items[n++] = (TgLegendItem) { TG_LEGEND_DASHED, st->muted,
                                    d->target_label ? d->target_label : "target inputs" };
    }
  return n;
}

static void
layout (cairo_t *cr, double width, double height, const TgDynamicsData *d,
        const TgPlotStyle *st, gboolean draw_frame, Layout *L)
{
  TgLegendItem items[16] = { { 0 } };
  guint n_items = legend_items (d, st, items, G_N_ELEMENTS (items));
  const char *title = d != NULL && d->title != NULL ? d->title : "Gate dynamics";
  const char *caption = d != NULL ? d->caption : NULL;
  double fs = st->font_size;

  memset (L, 0, sizeof *L);
  L->body = draw_frame ? tg_frame (cr, width, height, st, title, NULL, caption, items, n_items)
                       : tg_frame_layout (width, height, st, title, NULL, caption, items,
                                          n_items);

  /* the steps that have a measurement (an ungated stretch, the foundation, takes none) */
  double xlo = G_MAXDOUBLE, xhi = -G_MAXDOUBLE;
  gboolean any_x = FALSE;
  for (guint i = 0; d != NULL && d->step != NULL && i < d->n_points; i++)
    if (isfinite (d->step[i]) && point_measured (d, i))
      {
        xlo = MIN (xlo, d->step[i]);
        xhi = MAX (xhi, d->step[i]);
        any_x = TRUE;
      }
  if (!any_x)
    xlo = 0, xhi = 1;
  if (xhi <= xlo)
    xhi = xlo + 1;

  double xaxis_h = tg_line_height (st, 0.85) + tg_line_height (st, 0.95) + 6;
  double title_lh = tg_line_height (st, 0.95);
  double gap_x = fs * 1.5, gap_y = fs * 0.8;
  L->label_y = L->body.y;
  double top = L->body.y + tg_line_height (st, 0.8) + 2;
  double cell_w = (L->body.w - gap_x) / 2, cell_h = (L->body.y + L->body.h - top - gap_y) / 2;

  for (guint p = 0; p < N_PANELS; p++)
    {
      double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
      gboolean any = FALSE;
      for (guint l = 0; d != NULL && l < d->n_layers; l++)
        {
          const double *a, *b;
          panel_series (d, p, l, &a, &b);
          range_of (a, d->n_points, &lo, &hi, &any);
          range_of (b, d->n_points, &lo, &hi, &any);
        }
      L->any |= any;
      /* fractions keep their whole range, so a move reads as a move */
      if (p == 1)
        tg_axis_init (&L->ay[p], 0.0, any ? MAX (hi * 1.05, 1.0) : 1.0, 4, TRUE);
      else
        tg_axis_init (&L->ay[p], 0.0, 1.0, 4, TRUE);
      tg_axis_init (&L->ax[p], xlo, xhi, 5, FALSE);

      double cx = L->body.x + (p % 2) * (cell_w + gap_x);
      double cy = top + (p / 2) * (cell_h + gap_y);
      double h = MAX (cell_h - xaxis_h, 10.0);
      /* a narrow panel wraps its title: leave a line of room for each */
      guint lines = MAX (tg_axis_title_lines (cr, st, panel_titles[p], h), 1u);
      L->title_x[p] = cx;
      double left = cx + lines * title_lh + tg_axis_labels_width (cr, st, &L->ay[p]) + 6;
      /* the last x label is centred on the panel's right end: room for its right half */
      char last[64] = "";
      if (L->ax[p].n_ticks > 0)
        tg_axis_label (&L->ax[p], L->ax[p].ticks[L->ax[p].n_ticks - 1], last, sizeof last);
      double overhang = tg_text_width (cr, st, 0.85, FALSE, last) / 2;
      double w = MAX (cx + cell_w - left - overhang, 10.0);
      L->panel[p] = (TgRect) { left, cy, w, h };
      tg_axis_place (&L->ax[p], left, left + w);
      tg_axis_place (&L->ay[p], cy + h, cy);
    }
}

static void
polyline (cairo_t *cr, const TgAxis *ax, const TgAxis *ay, const double *x, const double *y,
          guint n)
{
  gboolean started = FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (x[i]) || !isfinite (y[i]))
        {
          started = FALSE;  /* a stretch without gates (the foundation) breaks the line */
          continue;
        }
      double px = tg_axis_map (ax, x[i]), py = tg_axis_map (ay, y[i]);
      if (!started)
        {
          cairo_move_to (cr, px, py);
          cairo_line_to (cr, px, py);
        }
      else
        cairo_line_to (cr, px, py);
      started = TRUE;
    }
}

static void
draw_series (cairo_t *cr, const TgPlotStyle *st, const Layout *L, guint p, const double *x,
             const double *y, guint n, TgRgba color, gboolean dashed)
{
  double dash[2] = { 5.0, 3.0 };
  if (x == NULL || y == NULL || n == 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, L->panel[p].x, L->panel[p].y, L->panel[p].w, L->panel[p].h);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (dashed)
    cairo_set_dash (cr, dash, 2, 0);
  tg_set_rgba (cr, color);
  cairo_set_line_width (cr, 1.6 * tg_line_scale (st));
  polyline (cr, &L->ax[p], &L->ay[p], x, y, n);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Marker lines through every panel; labels above the top row, newest first, an older one
 * that would overlap a placed label keeping its line only. */
static void
draw_markers (cairo_t *cr, const TgPlotStyle *st, const TgDynamicsData *d, const Layout *L)
{
  double dash[2] = { 2.0, 2.0 };
  double placed_l[2][64], placed_r[2][64];
  guint n_placed[2] = { 0, 0 };

  for (guint m = d->n_markers; m-- > 0;)
    for (guint p = 0; p < N_PANELS; p++)
      {
        double s = d->markers[m].step;
        const TgAxis *ax = &L->ax[p];
        if (!isfinite (s) || s < ax->lo || s > ax->hi)
          continue;
        double x = tg_axis_map (ax, s);
        cairo_save (cr);
        tg_set_rgba_a (cr, st->foreground, 0.7);
        cairo_set_line_width (cr, 0.8 * tg_line_scale (st));
        cairo_set_dash (cr, dash, 2, 0);
        cairo_move_to (cr, x, L->panel[p].y);
        cairo_line_to (cr, x, L->panel[p].y + L->panel[p].h);
        cairo_stroke (cr);
        cairo_restore (cr);

        const char *label = d->markers[m].label;
        if (p >= 2 || label == NULL || n_placed[p] >= G_N_ELEMENTS (placed_l[p]))
          continue;
        double w = tg_text_width (cr, st, 0.8, FALSE, label);
        gboolean left = x + 3 + w > L->panel[p].x + L->panel[p].w;
        double l = left ? x - 3 - w : x + 3, r = l + w + 4;
        gboolean ok = TRUE;
        for (guint k = 0; k < n_placed[p] && ok; k++)
          ok = r <= placed_l[p][k] || l >= placed_r[p][k];
        if (!ok)
          continue;
        placed_l[p][n_placed[p]] = l;
        placed_r[p][n_placed[p]++] = r;
        tg_text (cr, st, 0.8, FALSE, label, l, L->label_y, 0.0, 0.0);
      }
}

void
tg_plot_dynamics (cairo_t *cr, double width, double height, const TgDynamicsData *d,
                  const TgPlotStyle *st)
{
  Layout L;

  layout (cr, width, height, d, st, TRUE, &L);
  if (!L.any)
    {
      tg_plot_no_data (cr, L.body.x, L.body.y, L.body.w, L.body.h, "no gate measurements yet",
                       st);
      return;
    }
  for (guint p = 0; p < N_PANELS; p++)
    {
      tg_axis_draw_y (cr, st, &L.ay[p], L.panel[p], panel_titles[p], L.title_x[p], TRUE);
      tg_axis_draw_x (cr, st, &L.ax[p], L.panel[p],
                      d->x_label != NULL ? d->x_label : "step", TRUE, TRUE);
      gboolean any = FALSE;
      for (guint l = 0; l < d->n_layers; l++)
        {
          const double *a, *b;
          double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
          panel_series (d, p, l, &a, &b);
          range_of (a, d->n_points, &lo, &hi, &any);
          range_of (b, d->n_points, &lo, &hi, &any);
          /* one scalar over all layers (high-act) takes the foreground colour */
          TgRgba c = p == 2 ? st->foreground : tg_series (st, l);
          draw_series (cr, st, &L, p, d->step, a, d->n_points, c, FALSE);
          draw_series (cr, st, &L, p, d->step, b, d->n_points, c, TRUE);
        }
      if (!any)
        tg_plot_no_data (cr, L.panel[p].x, L.panel[p].y, L.panel[p].w, L.panel[p].h,
                         p == 3 ? "not measured (ungated)" : "no data yet", st);
    }
  draw_markers (cr, st, d, &L);
}
