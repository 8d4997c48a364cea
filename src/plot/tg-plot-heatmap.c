/* tg-plot-heatmap.c — per-neuron tau and gamma as grids of cells with a diverging colour
 * map, one panel per (quantity, layer), each with its own colour bar; and the firing-rate
 * masks per digit (tg_plot_masks) with a sequential map. */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

/* ================= heatmap ================= */

typedef struct {
  TgRect   panel;      /* the panel's share of the body */
  TgRect   grid;       /* the cells */
  TgRect   bar;        /* the colour bar */
  guint    cols, rows;
  double   cell;
  double   center, half_range;
  double   label_width;   /* the panel label wraps at this width */
} HeatGeom;

static const char *
heat_title (const TgHeatmapData *d)
{
  return d != NULL && d->title != NULL ? d->title : "Per-neuron parameters";
}

static double
half_range_of (const TgHeatmapPanel *p)
{
  if (p->half_range > 0)
    return p->half_range;
  double m = 0.0;
  for (guint i = 0; p->values != NULL && i < p->n_units; i++)
    if (isfinite (p->values[i]))
      m = MAX (m, fabs (p->values[i] - p->center));
  return tg_nice_ceil (MAX (m, 1e-3));
}

/* The panel's label, with the highlighted unit's value when there is one. */
static char *
panel_label (const TgHeatmapPanel *p)
{
  if (p->highlight >= 0 && (guint) p->highlight < p->n_units && p->values != NULL)
    return g_strdup_printf ("%s — unit %d = %.3f", p->label ? p->label : "", p->highlight,
                            p->values[p->highlight]);
  return g_strdup (p->label ? p->label : "");
}

static void
heat_geom (cairo_t *cr, const TgPlotStyle *st, const TgHeatmapData *d, TgRect body, guint i,
           HeatGeom *g)
{
  guint pc = d->panel_columns > 0 ? d->panel_columns : 2;
  pc = MIN (pc, MAX (d->n_panels, 1u));
  guint pr = (d->n_panels + pc - 1) / pc;
  double pw = body.w / pc, ph = body.h / MAX (pr, 1u);
  const TgHeatmapPanel *p = &d->panels[i];
  double fs = st->font_size;

  memset (g, 0, sizeof *g);
  g->panel = (TgRect) { body.x + (i % pc) * pw, body.y + (i / pc) * ph, pw, ph };
  g->cols = d->cell_columns > 0 ? d->cell_columns : 16;
  g->cols = MIN (g->cols, MAX (p->n_units, 1u));
  g->rows = (p->n_units + g->cols - 1) / g->cols;
  g->center = p->center;
  g->half_range = half_range_of (p);

  char buf[32];
  g_snprintf (buf, sizeof buf, "%u", p->n_units);
  double row_lab = tg_text_width (cr, st, 0.75, FALSE, buf) + 6;
  g_snprintf (buf, sizeof buf, "%.*f", g->half_range < 0.1 ? 3 : 2,
              -fabs (g->center) - g->half_range);
  double bar_space = fs * 0.9 + 8 + tg_text_width (cr, st, 0.8, FALSE, buf) + fs * 1.0;
  /* The label wraps to the panel; the colour bar's top tick label stays below it. */
  g_autofree char *label = panel_label (p);
  g_auto(GStrv) label_lines = tg_text_wrap (cr, st, 0.95, TRUE, label, pw - row_lab);
  g->label_width = pw - row_lab;
  double top = tg_line_height (st, 0.95) * MAX (g_strv_length (label_lines), 1u)
               + tg_line_height (st, 0.8) / 2 + 2;
  double bottom = tg_line_height (st, 0.75) + tg_line_height (st, 0.8) + 4;
  double aw = pw - row_lab - bar_space - fs * 0.8;
  double ah = ph - top - bottom - fs * 0.6;
  g->cell = MAX (MIN (aw / g->cols, ah / MAX (g->rows, 1u)), 0.5);
  double gw = g->cell * g->cols, gh = g->cell * g->rows;
  double gx = g->panel.x + row_lab + MAX ((aw - gw) / 2, 0.0);
  g->grid = (TgRect) { gx, g->panel.y + top, gw, gh };
  g->bar = (TgRect) { gx + gw + fs * 0.8, g->grid.y, fs * 0.9, gh };
}

typedef struct { double center, half_range; } Diverging;

static TgRgba
diverging_color (const TgPlotStyle *st, double v, gconstpointer user)
{
  const Diverging *dv = user;
  return tg_cmap_diverging (st, CLAMP ((v - dv->center) / dv->half_range, -1.0, 1.0));
}

static void
draw_heat_panel (cairo_t *cr, const TgPlotStyle *st, const TgHeatmapPanel *p,
                 const HeatGeom *g)
{
  char buf[96];
  double gap = g->cell > 6 ? 1.0 : 0.0;
  Diverging dv = { g->center, g->half_range };

  /* Panel label, with the highlighted unit's value when there is one. */
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  g_autofree char *label = panel_label (p);
  g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.95, TRUE, label, g->label_width);
  for (guint i = 0; lines[i] != NULL; i++)
    tg_text (cr, st, 0.95, TRUE, lines[i], g->grid.x, g->panel.y + i * tg_line_height (st, 0.95),
             0.0, 0.0);

  if (p->values == NULL || p->n_units == 0)
    {
      tg_plot_no_data (cr, g->grid.x, g->grid.y, MAX (g->grid.w, 40), MAX (g->grid.h, 20),
                       "no data yet", st);
      cairo_restore (cr);
      return;
    }

  for (guint u = 0; u < p->n_units; u++)
    {
      double x = g->grid.x + (u % g->cols) * g->cell;
      double y = g->grid.y + (u / g->cols) * g->cell;
      tg_set_rgba (cr, diverging_color (st, p->values[u], &dv));
      if (!isfinite (p->values[u]))
        tg_set_rgba (cr, tg_cmap_diverging (st, NAN));
      cairo_rectangle (cr, x + gap / 2, y + gap / 2, g->cell - gap, g->cell - gap);
      cairo_fill (cr);
    }

  /* Row labels: the first unit of each row; column labels every 4. */
  tg_set_rgba (cr, st->muted);
  guint row_step = MAX (1u, (guint) ceil (tg_line_height (st, 0.75) / g->cell));
  for (guint r = 0; r < g->rows; r += row_step)
    {
      g_snprintf (buf, sizeof buf, "%u", r * g->cols);
      tg_text (cr, st, 0.75, FALSE, buf, g->grid.x - 4, g->grid.y + (r + 0.5) * g->cell,
               1.0, 0.5);
    }
  g_snprintf (buf, sizeof buf, "+%u", g->cols);
  guint col_step = tg_label_step (g->cell, tg_text_width (cr, st, 0.75, FALSE, buf)
                                           + st->font_size * 0.6);
  for (guint c = 0; c < g->cols; c += col_step)
    {
      g_snprintf (buf, sizeof buf, "+%u", c);
      tg_text (cr, st, 0.75, FALSE, buf, g->grid.x + (c + 0.5) * g->cell,
               g->grid.y + g->grid.h + 2, 0.5, 0.0);
    }
  tg_text (cr, st, 0.8, FALSE, "unit = row start + column", g->grid.x + g->grid.w / 2,
           g->grid.y + g->grid.h + 2 + tg_line_height (st, 0.75), 0.5, 0.0);

  if (p->highlight >= 0 && (guint) p->highlight < p->n_units)
    {
      guint u = (guint) p->highlight;
      double x = g->grid.x + (u % g->cols) * g->cell;
      double y = g->grid.y + (u / g->cols) * g->cell;
      cairo_set_line_width (cr, 2.0 * tg_line_scale (st));
      tg_set_rgba (cr, st->foreground);
      cairo_rectangle (cr, x - 1, y - 1, g->cell + 2, g->cell + 2);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 1.0 * tg_line_scale (st));
      tg_set_rgba (cr, st->background);
      cairo_rectangle (cr, x + 1, y + 1, g->cell - 2, g->cell - 2);
      cairo_stroke (cr);
    }

  double ticks[3] = { g->center - g->half_range, g->center, g->center + g->half_range };
  int dec = g->half_range < 0.1 ? 3 : 2;
  tg_colorbar_vertical (cr, st, g->bar, ticks[0], ticks[2], ticks, 3, dec, diverging_color,
                        &dv);
  cairo_restore (cr);
}

void
tg_plot_heatmap (cairo_t *cr, double width, double height, const TgHeatmapData *d,
                 const TgPlotStyle *st)
{
  TgRect body = tg_frame (cr, width, height, st, heat_title (d), NULL,
                          d != NULL ? d->caption : NULL, NULL, 0);
  if (d == NULL || d->n_panels == 0 || d->panels == NULL)
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h,
                       d != NULL && d->empty_text != NULL ? d->empty_text : "no data yet", st);
      return;
    }
  for (guint i = 0; i < d->n_panels; i++)
    {
      HeatGeom g;
      heat_geom (cr, st, d, body, i, &g);
      draw_heat_panel (cr, st, &d->panels[i], &g);
    }
}

gboolean
tg_plot_heatmap_hit (double width, double height, const TgHeatmapData *d,
                     const TgPlotStyle *st, double x, double y, guint *panel, guint *unit)
{
  if (d == NULL || d->n_panels == 0 || d->panels == NULL)
    return FALSE;
  TgRect body = tg_frame_layout (width, height, st, heat_title (d), NULL, d->caption, NULL, 0);
  cairo_t *cr = tg_scratch_context ();
  gboolean hit = FALSE;
  for (guint i = 0; i < d->n_panels && !hit; i++)
    {
      HeatGeom g;
      heat_geom (cr, st, d, body, i, &g);
      if (x < g.grid.x || y < g.grid.y || x >= g.grid.x + g.grid.w || y >= g.grid.y + g.grid.h)
        continue;
      guint c = (guint) ((x - g.grid.x) / g.cell), r = (guint) ((y - g.grid.y) / g.cell);
      guint u = r * g.cols + MIN (c, g.cols - 1);
      if (u >= d->panels[i].n_units)
        continue;
      if (panel)
        *panel = i;
      if (unit)
        *unit = u;
      hit = TRUE;
    }
  cairo_destroy (cr);
  return hit;
}

/* ================= masks ================= */

static TgRgba
sequential_color (const TgPlotStyle *st, double v, gconstpointer user)
{
  return tg_cmap_sequential (st, v);
}

static void
draw_mask_panel (cairo_t *cr, const TgPlotStyle *st, const TgMasksLayer *layer,
                 const float *rate, guint n_classes, TgRect r, const char *label,
                 gboolean row_labels, gboolean col_labels)
{
  char buf[32];
  double lh = tg_line_height (st, 0.75);

  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  tg_text (cr, st, 0.9, TRUE, label, r.x, r.y - 2, 0.0, 1.0);
  if (rate == NULL || layer->n_units == 0)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no data yet", st);
      cairo_restore (cr);
      return;
    }
  guint stride = layer->row_stride > 0 ? layer->row_stride : layer->n_units;
  g_autofree TgRgba *colors = g_new (TgRgba, (gsize) n_classes * layer->n_units);
  for (guint c = 0; c < n_classes; c++)
    for (guint u = 0; u < layer->n_units; u++)
      colors[(gsize) c * layer->n_units + u] =
        tg_cmap_sequential (st, rate[(gsize) c * stride + u]);
  tg_paint_cells (cr, r, layer->n_units, n_classes, colors);
  tg_set_rgba (cr, st->grid);
  cairo_set_line_width (cr, 0.6 * tg_line_scale (st));
  cairo_rectangle (cr, r.x, r.y, r.w, r.h);
  cairo_stroke (cr);

  tg_set_rgba (cr, st->muted);
  double ch = r.h / n_classes;
  if (row_labels)
    for (guint c = 0; c < n_classes; c += MAX (1u, (guint) ceil (lh / ch)))
      {
        g_snprintf (buf, sizeof buf, "%u", c);
        tg_text (cr, st, 0.75, FALSE, buf, r.x - 3, r.y + (c + 0.5) * ch, 1.0, 0.5);
      }
  if (col_labels)
    {
      double cw = r.w / layer->n_units;
      guint step = layer->n_units > 64 ? 32 : layer->n_units > 16 ? 16 : 4;
      for (guint u = 0; u < layer->n_units; u += step)
        {
          g_snprintf (buf, sizeof buf, "%u", u);
          tg_set_rgba (cr, st->muted);
          tg_text (cr, st, 0.75, FALSE, buf, r.x + (u + 0.5) * cw, r.y + r.h + 2, 0.5, 0.0);
        }
    }
  cairo_restore (cr);
}

/* "high-act fraction 0.85 · hard gates 1[z > τ]", or NULL without layers. */
static char *
masks_subtitle (const TgMasksData *d)
{
  if (d == NULL || d->n_layers == 0)
    return NULL;
  GString *s = g_string_new (NULL);
  if (isfinite (d->high_act_frac))
    g_string_append_printf (s, "high-act fraction %.2f · ", d->high_act_frac);
  if (d->ungated)
    g_string_append (s, "no gates: ReLU firing, relu(z) > 0");
  else
    g_string_append (s, d->hard_gates ? "hard gates 1[z > τ]" : "soft gates σ(s(z − τ))");
  return g_string_free (s, FALSE);
}

/* Whether any layer has units and a firing rate to draw. */
static gboolean
masks_any (const TgMasksData *d)
{
  gboolean any = FALSE;
  for (guint l = 0; d != NULL && d->layers != NULL && l < d->n_layers; l++)
    if (d->layers[l].n_units > 0 && (d->layers[l].rate0 != NULL || d->layers[l].rate_rot != NULL))
      any = TRUE;
  return any;
}

void
tg_plot_masks (cairo_t *cr, double width, double height, const TgMasksData *d,
               const TgPlotStyle *st)
{
  g_autofree char *subtitle = masks_subtitle (d);
  const char *title = d != NULL && d->title != NULL ? d->title : "Firing rate per digit";
  double fs = st->font_size;

  TgRect body = tg_frame (cr, width, height, st, title, subtitle,
                          d != NULL ? d->caption : NULL, NULL, 0);
  if (!masks_any (d))
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no data yet", st);
      return;
    }

  guint nc = d->n_classes > 0 ? d->n_classes : 10;
  double ylab = tg_line_height (st, 0.95);
  double row_lab = tg_text_width (cr, st, 0.75, FALSE, "10") + 5;
  double bar_w = fs * 0.9, bar_space = bar_w + 8 + tg_text_width (cr, st, 0.8, FALSE, "0.00")
                                       + fs * 0.8;
  double left = body.x + ylab + row_lab;
  double right = body.x + body.w - bar_space;
  double colgap = fs * 1.6;
  double pw = (right - left - colgap) / 2;
  double head = tg_line_height (st, 0.9) + 2;
  double foot = tg_line_height (st, 0.75) + 2;
  double xtitle = tg_line_height (st, 0.95);
  double rowgap = fs * 0.5;
  guint nl = d->n_layers;
  double ph = (body.h - xtitle - nl * (head + foot) - (nl - 1) * rowgap) / nl;
  ph = MAX (ph, 10.0);

  double y = body.y + head;
  for (guint l = 0; l < nl; l++)
    {
      const TgMasksLayer *layer = &d->layers[l];
      const char *ll = layer->label ? layer->label : "hidden";
      g_autofree char *l0 = g_strdup_printf ("%s · 0° inputs", ll);
      g_autofree char *label_rot = g_strdup_printf ("%s · %s inputs", ll,
                                                    d->target_label ? d->target_label : "45°");
      TgRect r0 = { left, y, pw, ph };
      TgRect rect_rot = { left + pw + colgap, y, pw, ph };
      draw_mask_panel (cr, st, layer, layer->rate0, nc, r0, l0, TRUE, TRUE);
      draw_mask_panel (cr, st, layer, layer->rate_rot, nc, rect_rot, label_rot, TRUE, TRUE);
      y += ph + foot + rowgap + head;
    }
  double last_bottom = y - rowgap - head;

  /* Axis titles */
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  tg_text_rotated (cr, st, 0.95, FALSE, "digit", body.x, body.y + (last_bottom - body.y) / 2,
                   0.5, 0.0, -G_PI / 2);
  tg_text (cr, st, 0.95, FALSE, "hidden unit", left + pw / 2, last_bottom, 0.5, 0.0);
  tg_text (cr, st, 0.95, FALSE, "hidden unit", left + pw + colgap + pw / 2, last_bottom,
           0.5, 0.0);
  cairo_restore (cr);

  /* One colour bar for all panels: firing rate 0..1. */
  double bh = MIN (last_bottom - body.y - head - foot, fs * 16);
  TgRect bar = { right + fs * 0.8 - 8 + 8, body.y + head, bar_w, MAX (bh, 10.0) };
  static const double ticks[5] = { 0.0, 0.25, 0.5, 0.75, 1.0 };
  tg_colorbar_vertical (cr, st, bar, 0.0, 1.0, ticks, 5, 2, sequential_color, NULL);
  cairo_save (cr);
  tg_set_rgba (cr, st->muted);
  tg_text (cr, st, 0.75, FALSE, "rate", bar.x + bar.w / 2,
           bar.y + bar.h + tg_line_height (st, 0.8) / 2 + 2, 0.5, 0.0);
  cairo_restore (cr);
}
