/* tg-plot-heatmap.c — per-neuron tau and gamma as grids of cells with a diverging colour
 * map, one panel per (quantity, layer), each with its own colour bar; and the firing-rate
 * masks per digit (tg_plot_masks) with a sequential map. Both lay their units out in a given
 * order (tg-unit-order), outline a selected unit and mark the units of the ablation set;
 * their hit tests reuse the drawing's layout. */
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

/* The unit shown in cell (or column) i of a permutation; NULL: unit order. */
static guint
unit_at (const guint *order, guint i)
{
  return order != NULL ? order[i] : i;
}

/* The cell (or column) showing unit u; n when no cell shows it. */
static guint
cell_of (const guint *order, guint n, guint u)
{
  if (order == NULL)
    return MIN (u, n);
  for (guint i = 0; i < n; i++)
    if (order[i] == u)
      return i;
  return n;
}

/* A doubled outline around (x, y, w, h): the foreground, and the background inside it, so
 * that it reads on any colour of the map. */
static void
outline_cell (cairo_t *cr, const TgPlotStyle *st, double x, double y, double w, double h,
              double width)
{
  cairo_save (cr);
  cairo_set_line_width (cr, width * tg_line_scale (st));
  tg_set_rgba (cr, st->foreground);
  cairo_rectangle (cr, x - width / 2, y - width / 2, w + width, h + width);
  cairo_stroke (cr);
  cairo_set_line_width (cr, 1.0 * tg_line_scale (st));
  tg_set_rgba (cr, st->background);
  cairo_rectangle (cr, x + 1, y + 1, MAX (w - 2, 0.5), MAX (h - 2, 0.5));
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* An ablation mark in a cell of size `size` at (x, y). */
static void
mark_cell (cairo_t *cr, const TgPlotStyle *st, guint8 mark, double x, double y, double size)
{
  tg_draw_unit_mark (cr, st, mark, x + size / 2, y + size / 2, MAX (size * 0.3, 1.5));
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
                 const HeatGeom *g, const char *order_label)
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

  for (guint i = 0; i < p->n_units; i++)
    {
      guint u = unit_at (p->order, i);
      double x = g->grid.x + (i % g->cols) * g->cell;
      double y = g->grid.y + (i / g->cols) * g->cell;
      tg_set_rgba (cr, diverging_color (st, p->values[u], &dv));
      if (!isfinite (p->values[u]))
        tg_set_rgba (cr, tg_cmap_diverging (st, NAN));
      cairo_rectangle (cr, x + gap / 2, y + gap / 2, g->cell - gap, g->cell - gap);
      cairo_fill (cr);
      if (p->marked != NULL)
        mark_cell (cr, st, p->marked[u], x, y, g->cell);
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
      /* with small cells "+0" would reach under the row labels' column and meet the last */
      double x = g->grid.x + (c + 0.5) * g->cell;
      if (x - tg_text_width (cr, st, 0.75, FALSE, buf) / 2 < g->grid.x - 3)
        continue;
      tg_text (cr, st, 0.75, FALSE, buf, x, g->grid.y + g->grid.h + 2, 0.5, 0.0);
    }
  /* within its own panel, clear of the next one's, in the longest wording that fits */
  g_autofree char *long_rank = g_strdup_printf ("rank by %s = row start + column",
                                                order_label != NULL ? order_label : "");
  g_autofree char *short_rank = g_strdup_printf ("rank by %s", order_label != NULL ? order_label : "");
  const char *by_rank[] = { long_rank, short_rank, "rank = row start + column", "rank", NULL };
  const char *by_unit[] = { "unit = row start + column", "unit = row + column", "unit", NULL };
  tg_axis_title_in_span (cr, st, 0.8, order_label != NULL ? by_rank : by_unit,
                         g->grid.x + g->grid.w / 2, g->panel.x,
                         g->panel.x + g->panel.w - st->font_size * 0.6,
                         g->grid.y + g->grid.h + 2 + tg_line_height (st, 0.75));

  /* the selected unit: a thick doubled outline; the one under the pointer: a thin one */
  guint sel = p->show_selected ? cell_of (p->order, p->n_units, p->selected) : p->n_units;
  if (sel < p->n_units)
    outline_cell (cr, st, g->grid.x + (sel % g->cols) * g->cell,
                  g->grid.y + (sel / g->cols) * g->cell, g->cell, g->cell, 3.0);
  guint hi = p->highlight >= 0 ? cell_of (p->order, p->n_units, (guint) p->highlight)
                               : p->n_units;
  if (hi < p->n_units)
    outline_cell (cr, st, g->grid.x + (hi % g->cols) * g->cell,
                  g->grid.y + (hi / g->cols) * g->cell, g->cell, g->cell, 2.0);

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
      draw_heat_panel (cr, st, &d->panels[i], &g, d->order_label);
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
      guint cell = r * g.cols + MIN (c, g.cols - 1);
      if (cell >= d->panels[i].n_units)
        continue;
      if (panel)
        *panel = i;
      if (unit)
        *unit = unit_at (d->panels[i].order, cell);
      hit = TRUE;
    }
  cairo_destroy (cr);
  return hit;
}

/* ================= masks ================= */

/* Where tg_plot_masks puts things: one rectangle per (layer, input) and the colour bar. */
typedef struct {
  TgRect   body;
  TgRect   panel[TG_MAX_LINEAR][2];
  double   left, pw, colgap, last_bottom, head;
  guint    n_layers, n_classes;
} MasksGeom;

static TgRgba
sequential_color (const TgPlotStyle *st, double v, gconstpointer user)
{
  return tg_cmap_sequential (st, v);
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

static const char *
masks_title (const TgMasksData *d)
{
  return d != NULL && d->title != NULL ? d->title : "Firing rate per digit";
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

/* The layout of the panels inside body; cr only measures text. */
static void
masks_geom (cairo_t *cr, const TgPlotStyle *st, const TgMasksData *d, TgRect body,
            MasksGeom *g)
{
  double fs = st->font_size;

  memset (g, 0, sizeof *g);
  g->body = body;
  g->n_classes = d->n_classes > 0 ? d->n_classes : 10;
  g->n_layers = MIN (d->n_layers, TG_MAX_LINEAR);
  double ylab = tg_line_height (st, 0.95);
  double row_lab = tg_text_width (cr, st, 0.75, FALSE, "10") + 5;
  double bar_space = fs * 0.9 + 8 + tg_text_width (cr, st, 0.8, FALSE, "0.00") + fs * 0.8;
  g->left = body.x + ylab + row_lab;
  double right = body.x + body.w - bar_space;
  g->colgap = fs * 1.6;
  g->pw = (right - g->left - g->colgap) / 2;
  g->head = tg_line_height (st, 0.9) + 2;
  double foot = tg_line_height (st, 0.75) + 2;
  double xtitle = tg_line_height (st, 0.95);
  double rowgap = fs * 0.5;
  guint nl = g->n_layers;
  double ph = (body.h - xtitle - nl * (g->head + foot) - (nl - 1) * rowgap) / MAX (nl, 1u);
  ph = MAX (ph, 10.0);

  double y = body.y + g->head;
  for (guint l = 0; l < nl; l++)
    {
      g->panel[l][0] = (TgRect) { g->left, y, g->pw, ph };
      g->panel[l][1] = (TgRect) { g->left + g->pw + g->colgap, y, g->pw, ph };
      y += ph + foot + rowgap + g->head;
    }
  g->last_bottom = y - rowgap - g->head;
}

/* The outline of the selected unit's column, the ablation marks over their columns and the
 * hovered cell, over a drawn panel. */
static void
draw_mask_overlays (cairo_t *cr, const TgPlotStyle *st, const TgMasksData *d, guint l,
                    guint input, TgRect r, guint nc)
{
  const TgMasksLayer *layer = &d->layers[l];
  guint n = layer->n_units;
  double cw = r.w / n, ch = r.h / nc;

  for (guint i = 0; layer->marked != NULL && i < n; i++)
    {
      guint8 mark = layer->marked[unit_at (layer->order, i)];
      if (mark == TG_PLOT_MARK_NONE)
        continue;
      /* under the column, clear of the panel's label: a triangle for a silenced unit, a
       * diamond in another colour for one forced on */
      double cx = r.x + (i + 0.5) * cw;
      double s = CLAMP (cw * 0.5, st->font_size * 0.3, st->font_size * 0.45);
      double top = r.y + r.h + 1;
      cairo_save (cr);
      if (mark == TG_PLOT_MARK_SILENCED)
        {
          tg_set_rgba (cr, st->foreground);
          cairo_move_to (cr, cx, top);
          cairo_line_to (cr, cx + s, top + s * 1.4);
          cairo_line_to (cr, cx - s, top + s * 1.4);
          cairo_close_path (cr);
        }
      else
        {
          tg_set_rgba (cr, tg_series (st, 5));
          tg_diamond (cr, cx, top + s, s);
        }
      cairo_fill (cr);
      cairo_restore (cr);
    }
  guint sel = layer->show_selected ? cell_of (layer->order, n, layer->selected) : n;
  if (sel < n)
    outline_cell (cr, st, r.x + sel * cw, r.y, cw, r.h, 2.5);
  if (d->show_hover && d->hover_layer == l && d->hover_column < n && d->hover_class < nc)
    outline_cell (cr, st, r.x + d->hover_column * cw, r.y + d->hover_class * ch, cw, ch, 2.0);
}

static void
draw_mask_panel (cairo_t *cr, const TgPlotStyle *st, const TgMasksLayer *layer,
                 const float *rate, guint n_classes, TgRect r, const char *label)
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
    for (guint i = 0; i < layer->n_units; i++)
      colors[(gsize) c * layer->n_units + i] =
        tg_cmap_sequential (st, rate[(gsize) c * stride + unit_at (layer->order, i)]);
  tg_paint_cells (cr, r, layer->n_units, n_classes, colors);
  tg_set_rgba (cr, st->grid);
  cairo_set_line_width (cr, 0.6 * tg_line_scale (st));
  cairo_rectangle (cr, r.x, r.y, r.w, r.h);
  cairo_stroke (cr);

  /* Rows: the digit; columns: the unit index, or the rank when sorted. */
  tg_set_rgba (cr, st->muted);
  double ch = r.h / n_classes;
  for (guint c = 0; c < n_classes; c += MAX (1u, (guint) ceil (lh / ch)))
    {
      g_snprintf (buf, sizeof buf, "%u", c);
      tg_text (cr, st, 0.75, FALSE, buf, r.x - 3, r.y + (c + 0.5) * ch, 1.0, 0.5);
    }
  double cw = r.w / layer->n_units;
  guint step = layer->n_units > 64 ? 32 : layer->n_units > 16 ? 16 : 4;
  for (guint u = 0; u < layer->n_units; u += step)
    {
      g_snprintf (buf, sizeof buf, "%u", u);
      tg_text (cr, st, 0.75, FALSE, buf, r.x + (u + 0.5) * cw, r.y + r.h + 2, 0.5, 0.0);
    }
  cairo_restore (cr);
}

/* The panel's label: "hidden 1 · 0° inputs", and the selected unit when there is one, in
 * the longest wording that fits over the panel (its width). */
static char *
mask_panel_label (cairo_t *cr, const TgPlotStyle *st, double width, const TgMasksData *d,
                  const TgMasksLayer *layer, guint input)
{
  const char *ll = layer->label ? layer->label : "hidden";
  const char *mode = input == 0 ? "0°" : d->target_label ? d->target_label : "45°";
  gboolean unit = layer->show_selected && layer->selected < layer->n_units;
  g_autofree char *full = unit ? g_strdup_printf ("%s · %s inputs · unit %u outlined", ll, mode,
                                                  layer->selected)
                               : g_strdup_printf ("%s · %s inputs", ll, mode);
  g_autofree char *shorter = unit ? g_strdup_printf ("%s · %s · unit %u", ll, mode,
                                                     layer->selected)
                                  : g_strdup_printf ("%s · %s", ll, mode);
  g_autofree char *brief = g_strdup_printf ("%s · %s", ll, mode);
  const char *choices[] = { full, shorter, brief, NULL };
  return g_strdup (tg_fit_text (cr, st, 0.9, TRUE, width, choices));
}

void
tg_plot_masks (cairo_t *cr, double width, double height, const TgMasksData *d,
               const TgPlotStyle *st)
{
  g_autofree char *subtitle = masks_subtitle (d);
  double fs = st->font_size;
  MasksGeom g;

  TgRect body = tg_frame (cr, width, height, st, masks_title (d), subtitle,
                          d != NULL ? d->caption : NULL, NULL, 0);
  if (!masks_any (d))
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no data yet", st);
      return;
    }
  masks_geom (cr, st, d, body, &g);
  for (guint l = 0; l < g.n_layers; l++)
    for (guint m = 0; m < 2; m++)
      {
        const TgMasksLayer *layer = &d->layers[l];
        const float *rate = m == 0 ? layer->rate0 : layer->rate_rot;
        g_autofree char *label = mask_panel_label (cr, st, g.panel[l][m].w, d, layer, m);
        draw_mask_panel (cr, st, layer, rate, g.n_classes, g.panel[l][m], label);
        if (rate != NULL && layer->n_units > 0)
          draw_mask_overlays (cr, st, d, l, m, g.panel[l][m], g.n_classes);
      }

  /* Axis titles */
  /* One colour bar for all panels: firing rate 0..1. */
  double right = body.x + body.w - (fs * 0.9 + 8 + tg_text_width (cr, st, 0.8, FALSE, "0.00")
                                    + fs * 0.8);

  /* Axis titles, each within its column of panels, in the longest wording that fits */
  const char *order = d->order_label != NULL ? d->order_label : "";
  g_autofree char *by_long = g_strdup_printf ("hidden units by %s (rank)", order);
  g_autofree char *by_short = g_strdup_printf ("units by %s (rank)", order);
  g_autofree char *rank_by = g_strdup_printf ("rank by %s", order);
  const char *by_rank[] = { by_long, by_short, rank_by, "rank", NULL };
  const char *by_unit[] = { "hidden unit", "unit", NULL };
  double gap = fs * 0.6, mid = g.left + g.pw + g.colgap / 2;
  /* one wording for both columns, the one the narrower holds */
  const char *xtitle[] = { tg_fit_text (cr, st, 0.95, FALSE,
                                        MIN (mid - gap / 2 - body.x, right - mid - gap / 2),
                                        d->order_label != NULL ? by_rank : by_unit), NULL };
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  tg_text_rotated (cr, st, 0.95, FALSE, "digit", body.x, body.y + (g.last_bottom - body.y) / 2,
                   0.5, 0.0, -G_PI / 2);
  tg_axis_title_in_span (cr, st, 0.95, xtitle, g.left + g.pw / 2, body.x, mid - gap / 2,
                         g.last_bottom);
  tg_axis_title_in_span (cr, st, 0.95, xtitle, g.left + g.pw + g.colgap + g.pw / 2,
                         mid + gap / 2, right, g.last_bottom);
  cairo_restore (cr);

  double bh = MIN (g.last_bottom - body.y - g.head - tg_line_height (st, 0.75) - 2, fs * 16);
  TgRect bar = { right + fs * 0.8, body.y + g.head, fs * 0.9, MAX (bh, 10.0) };
  static const double ticks[5] = { 0.0, 0.25, 0.5, 0.75, 1.0 };
  tg_colorbar_vertical (cr, st, bar, 0.0, 1.0, ticks, 5, 2, sequential_color, NULL);
  cairo_save (cr);
  tg_set_rgba (cr, st->muted);
  tg_text (cr, st, 0.75, FALSE, "rate", bar.x + bar.w / 2,
           bar.y + bar.h + tg_line_height (st, 0.8) / 2 + 2, 0.5, 0.0);
  cairo_restore (cr);
}

/* The layout tg_plot_masks draws, without drawing; FALSE when it draws no panels. */
static gboolean
masks_layout (double width, double height, const TgMasksData *d, const TgPlotStyle *st,
              MasksGeom *g)
{
  if (!masks_any (d))
    return FALSE;
  g_autofree char *subtitle = masks_subtitle (d);
  TgRect body = tg_frame_layout (width, height, st, masks_title (d), subtitle, d->caption,
                                 NULL, 0);
  cairo_t *cr = tg_scratch_context ();
  masks_geom (cr, st, d, body, g);
  cairo_destroy (cr);
  return TRUE;
}

gboolean
tg_plot_masks_hit (double width, double height, const TgMasksData *d, const TgPlotStyle *st,
                   double x, double y, TgMasksCell *cell)
{
  MasksGeom g;
  if (!masks_layout (width, height, d, st, &g))
    return FALSE;
  for (guint l = 0; l < g.n_layers; l++)
    for (guint m = 0; m < 2; m++)
      {
        const TgMasksLayer *layer = &d->layers[l];
        TgRect r = g.panel[l][m];
        if ((m == 0 ? layer->rate0 : layer->rate_rot) == NULL || layer->n_units == 0 ||
            x < r.x || y < r.y || x >= r.x + r.w || y >= r.y + r.h)
          continue;
        guint col = MIN ((guint) ((x - r.x) / (r.w / layer->n_units)), layer->n_units - 1);
        guint klass = MIN ((guint) ((y - r.y) / (r.h / g.n_classes)), g.n_classes - 1);
        if (cell != NULL)
          *cell = (TgMasksCell) { l, m, klass, col, unit_at (layer->order, col) };
        return TRUE;
      }
  return FALSE;
}

gboolean
tg_plot_masks_locate (double width, double height, const TgMasksData *d,
                      const TgPlotStyle *st, guint layer, guint input, guint klass,
                      guint unit, double *x, double *y)
{
  MasksGeom g;
  if (!masks_layout (width, height, d, st, &g) || layer >= g.n_layers || input > 1 ||
      klass >= g.n_classes)
    return FALSE;
  const TgMasksLayer *ml = &d->layers[layer];
  guint col = cell_of (ml->order, ml->n_units, unit);
  if (col >= ml->n_units || (input == 0 ? ml->rate0 : ml->rate_rot) == NULL)
    return FALSE;
  TgRect r = g.panel[layer][input];
  *x = r.x + (col + 0.5) * r.w / ml->n_units;
  *y = r.y + (klass + 0.5) * r.h / g.n_classes;
  return TRUE;
}
