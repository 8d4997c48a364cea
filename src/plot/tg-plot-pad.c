/* SPDX-License-Identifier: MIT */
/* tg-plot-pad.c — the digit pad as a figure: the image the network sees, the gates of every
 * hidden unit (soft and hard, one grid each per layer; or, with several models, one gate
 * mode of each model side by side), and the class probabilities under each model. Pure
 * Cairo; the numbers come from tg-probe.h. */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

/* The panel's title: the first of choices (longest first, NULL-terminated) that fits its
 * width, shortened with an ellipsis if none does, so it never runs into the next panel. */
static TgRect
pad_panel_title (cairo_t *cr, const TgPlotStyle *st, TgRect r, const char *const *choices)
{
  const char *title = tg_fit_text (cr, st, 0.95, TRUE, r.w, choices);
  g_autofree char *fit = tg_text_shorten (cr, st, 0.95, TRUE, title, r.w);
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  tg_text (cr, st, 0.95, TRUE, fit, r.x, r.y, 0.0, 0.0);
  cairo_restore (cr);
  double h = tg_line_height (st, 0.95) + 4;
  return (TgRect) { r.x, r.y + h, r.w, MAX (r.h - h, 10.0) };
}

static void
draw_image (cairo_t *cr, const TgPlotStyle *st, const TgDigitPadData *d, TgRect r)
{
  static const char *const input[] = { "Input (as the network sees it)", "Input", NULL };
  r = pad_panel_title (cr, st, r, input);
  guint npx = d->rows * d->cols;
  if (d->image == NULL || npx == 0)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no image", st);
      return;
    }
  double lh = tg_line_height (st, 0.85);
  double side = MAX (MIN (r.w, r.h - 2 * lh - 6), 10.0);
  TgRect img = { r.x + (r.w - side) / 2, r.y, side, side * d->rows / MAX (d->cols, 1) };
  g_autofree TgRgba *colors = g_new (TgRgba, npx);
  for (guint p = 0; p < npx; p++)
    {
      double v = CLAMP (d->image[p], 0.0f, 1.0f);
      colors[p] = (TgRgba) { v, v, v, 1.0 };
    }
  tg_paint_cells (cr, img, d->cols, d->rows, colors);
  char buf[96], brief[64];
  if (d->true_label >= 0)
    {
      g_snprintf (buf, sizeof buf, "label %d · rotated %g°", d->true_label, d->angle);
      g_snprintf (brief, sizeof brief, "label %d, %g°", d->true_label, d->angle);
    }
  else
    {
      g_snprintf (buf, sizeof buf, "drawn · rotated %g°", d->angle);
      g_snprintf (brief, sizeof brief, "drawn, %g°", d->angle);
    }
  const char *const choices[] = { buf, brief, NULL };
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  g_autofree char *fit = tg_text_shorten (cr, st, 0.85, FALSE,
                                          tg_fit_text (cr, st, 0.85, FALSE, r.w, choices), r.w);
  tg_text (cr, st, 0.85, FALSE, fit, img.x + img.w / 2, img.y + img.h + 4, 0.5, 0.0);
  cairo_restore (cr);
}

static TgRgba
rate_color (const TgPlotStyle *st, double v, gconstpointer user)
{
  return tg_cmap_sequential (st, v);
}

/* One grid of gates: width cells in rows of cols, with its label above. */
static void
draw_gate_grid (cairo_t *cr, const TgPlotStyle *st, const float *g, guint width, guint cols,
                TgRect r, const char *label)
{
  guint rows = (width + cols - 1) / cols;
  double lh = tg_line_height (st, 0.8);
  double cell = MIN (r.w / cols, (r.h - lh) / MAX (rows, 1));
  TgRect grid = { r.x, r.y + lh, cell * cols, cell * rows };
  g_autofree TgRgba *colors = g_new (TgRgba, (gsize) rows * cols);
  for (guint k = 0; k < rows * cols; k++)
    colors[k] = k < width && g ? tg_cmap_sequential (st, g[k]) : st->background;
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  /* "hidden 1, soft σ(s (z − τ))" in a wide column, down to "h1 soft" or "h1" in a narrow
   * one: the gate mode stays as long as the layer does */
  g_auto(GStrv) parts = g_strsplit (label, ",", 2);
  const char *num = parts[0] + strcspn (parts[0], "0123456789");
  g_autofree char *kind = parts[1] != NULL ? g_strstrip (g_strdup (parts[1])) : NULL;
  if (kind != NULL)
    kind[strcspn (kind, " ")] = '\0';
  g_autofree char *layer_kind = kind ? g_strdup_printf ("%s, %s", parts[0], kind) : NULL;
  g_autofree char *brief_kind = kind ? g_strdup_printf ("h%s %s", num, kind) : NULL;
  g_autofree char *brief = g_strdup_printf ("h%s", num);
  const char *const with_kind[] = { label, layer_kind, brief_kind, brief, NULL };
  const char *const plain[] = { label, parts[0], brief, NULL };
  const char *const *choices = kind != NULL ? with_kind : plain;
  g_autofree char *fit = tg_text_shorten (cr, st, 0.8, FALSE,
                                          tg_fit_text (cr, st, 0.8, FALSE, r.w, choices), r.w);
  tg_text (cr, st, 0.8, FALSE, fit, r.x, r.y, 0.0, 0.0);
  tg_paint_cells (cr, grid, cols, rows, colors);
  tg_set_rgba (cr, st->grid);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, grid.x, grid.y, grid.w, grid.h);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void draw_gates_pair (cairo_t *cr, const TgPlotStyle *st, const TgDigitPadData *d,
                             TgRect r, guint cols, double bar_room, double gap);

/* How many models bring their gates: with two or more, they are compared side by side. */
static guint
n_compared (const TgDigitPadData *d)
{
  guint nm = d->models ? MIN (d->n_models, 4u) : 0, n = 0;
  for (guint m = 0; m < nm; m++)
    n += (d->compare_hard ? d->models[m].gates_hard : d->models[m].gates_soft) != NULL;
  return n >= 2 ? nm : 0;
}

/* One column per model, a grid per layer, all in one gate mode. */
static void
draw_gates_compared (cairo_t *cr, const TgPlotStyle *st, const TgDigitPadData *d, TgRect r,
                     guint nm, guint cols, double bar_room)
{
  double gap = st->font_size * 0.8, lh = tg_line_height (st, 0.8);
  double cw = (r.w - bar_room - gap * (nm - 1)) / nm;
  double rh = (r.h - gap * (d->n_layers - 1)) / d->n_layers;
  double need = 0.0;
  /* narrow columns: the cells per row (from half as many up) that give the biggest square
   * cells with every layer's grid in the height */
  double best = 0.0, room = r.h - gap * (d->n_layers - 1) - lh * 2 * d->n_layers;
  guint wide = cols;
  for (guint c = MAX (wide / 2, 1u); c <= wide; c++)
    {
      guint rows = 0;
      for (guint l = 0; l < d->n_layers; l++)
        rows += (d->widths[l] + c - 1) / c;
      double cell = MIN (cw / c, room / MAX (rows, 1u));
      if (cell > best + 1e-9)
        {
          best = cell;
          cols = c;
        }
    }
  for (guint l = 0; l < d->n_layers; l++)
    need += lh * 2 + cw / cols * ((d->widths[l] + cols - 1) / cols);
  if (need + gap * (d->n_layers - 1) < r.h)
    rh = need / d->n_layers;
  char buf[160];
  for (guint m = 0; m < nm; m++)
    {
      const float *g = d->compare_hard ? d->models[m].gates_hard : d->models[m].gates_soft;
      TgRect col = { r.x + m * (cw + gap), r.y, cw, r.h };
      /* the model's name over its column, in its series colour, shortened to the column
       * (clipped, its whole text would still be the PDF's, over the next column's) */
      cairo_save (cr);
      tg_set_rgba (cr, tg_series (st, m));
      g_autofree char *name = tg_text_shorten (cr, st, 0.8, TRUE, d->models[m].label
                                               ? d->models[m].label : "model", cw);
      tg_text (cr, st, 0.8, TRUE, name, col.x, col.y, 0.0, 0.0);
      cairo_restore (cr);
      guint base = 0;
      for (guint l = 0; l < d->n_layers; l++)
        {
          g_snprintf (buf, sizeof buf, "hidden %u", l + 1);
          TgRect cell = { col.x, col.y + lh + l * (rh + gap), cw, rh - lh };
          draw_gate_grid (cr, st, g ? g + base : NULL, d->widths[l], cols, cell, buf);
          base += d->widths[l];
        }
    }
}

static void
draw_gates (cairo_t *cr, const TgPlotStyle *st, const TgDigitPadData *d, TgRect r)
{
  char title[128], kind[64];
  guint compared = n_compared (d);
  if (compared > 0)
    {
      g_snprintf (title, sizeof title, "Gates of each model, %s", d->compare_hard
                  ? "hard 1[z > τ]" : "soft σ(s (z − τ))");
      g_snprintf (kind, sizeof kind, "Gates, %s", d->compare_hard ? "hard" : "soft");
    }
  else
    {
      g_snprintf (title, sizeof title, "Gates%s%s", d->gates_label ? ": " : "",
                  d->gates_label ? d->gates_label : "");
      g_snprintf (kind, sizeof kind, "Gates");
    }
  const char *const titles[] = { title, kind, "Gates", NULL };
  r = pad_panel_title (cr, st, r, titles);
  if (d->n_layers == 0 || d->widths == NULL || (!d->gates_soft && !d->gates_hard))
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no gates", st);
      return;
    }
  guint cols = d->cell_columns ? d->cell_columns : 16;
  double bar_room = st->font_size * 4.0, gap = st->font_size;
  if (compared > 0)
    draw_gates_compared (cr, st, d, r, compared, cols, bar_room);
  else
    draw_gates_pair (cr, st, d, r, cols, bar_room, gap);
  static const double ticks[3] = { 0.0, 0.5, 1.0 };
  TgRect bar = { r.x + r.w - bar_room + st->font_size * 0.6, r.y + tg_line_height (st, 0.8),
                 st->font_size * 0.8, MIN (r.h * 0.6, st->font_size * 12) };
  tg_colorbar_vertical (cr, st, bar, 0.0, 1.0, ticks, 3, 1, rate_color, NULL);
  cairo_save (cr);
  tg_set_rgba (cr, st->muted);
  /* under the lowest tick label, which is centred on the bar's bottom; from the bar's left
   * edge, clear of the grids beside it */
  tg_text (cr, st, 0.8, FALSE, "gate", bar.x, bar.y + bar.h + tg_line_height (st, 0.8) / 2 + 1,
           0.0, 0.0);
  cairo_restore (cr);
}

/* The soft and the hard gates of the one model, side by side, a grid per layer. */
static void
draw_gates_pair (cairo_t *cr, const TgPlotStyle *st, const TgDigitPadData *d, TgRect r,
                 guint cols, double bar_room, double gap)
{
  double cw = (r.w - bar_room - gap) / 2, rh = (r.h - gap * (d->n_layers - 1)) / d->n_layers;
  /* pack the layers from the top: a layer is as tall as its grid at the column width */
  double need = 0.0;
  for (guint l = 0; l < d->n_layers; l++)
    need += tg_line_height (st, 0.8) + cw / cols * ((d->widths[l] + cols - 1) / cols);
  if (need + gap * (d->n_layers - 1) < r.h)
    rh = need / d->n_layers;
  char buf[64];
  guint base = 0;
  for (guint l = 0; l < d->n_layers; l++)
    {
      for (guint k = 0; k < 2; k++)
        {
          const float *g = k == 0 ? d->gates_soft : d->gates_hard;
          g_snprintf (buf, sizeof buf, "hidden %u, %s", l + 1, k == 0 ? "soft σ(s (z − τ))"
                                                                       : "hard 1[z > τ]");
          TgRect cell = { r.x + k * (cw + gap), r.y + l * (rh + gap), cw, rh };
          draw_gate_grid (cr, st, g ? g + base : NULL, d->widths[l], cols, cell, buf);
        }
      base += d->widths[l];
    }
}

static void
draw_probs (cairo_t *cr, const TgPlotStyle *st, const TgDigitPadData *d, TgRect r)
{
  static const char *const probs[] = { "Prediction probabilities", "Probabilities",
                                        "P (class)", NULL };
  r = pad_panel_title (cr, st, r, probs);
  guint nm = MIN (d->n_models, 4u), C = d->n_classes;
  if (nm == 0 || C == 0 || d->models == NULL)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no model", st);
      return;
    }
  TgAxis ay;
  tg_axis_init (&ay, 0.0, 1.0, 5, FALSE);
  double left = r.x + tg_line_height (st, 0.95) + tg_axis_labels_width (cr, st, &ay) + 8;
  double foot = tg_line_height (st, 0.85) + tg_line_height (st, 0.95) + 6;
  TgRect plot = { left, r.y + 4, MAX (r.x + r.w - left - 4, 10.0), MAX (r.h - foot - 4, 10.0) };
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, "probability", r.x, TRUE);
  double gw = plot.w / C, inner = gw * 0.84, bw = inner / (2 * nm), base = plot.y + plot.h;
  char buf[16];
  cairo_save (cr);
  for (guint c = 0; c < C; c++)
    {
      for (guint m = 0; m < nm; m++)
        for (guint k = 0; k < 2; k++)
          {
            const float *p = k == 0 ? d->models[m].prob_soft : d->models[m].prob_hard;
            if (p == NULL || !isfinite (p[c]))
              continue;
            tg_set_rgba_a (cr, tg_series (st, m), k == 0 ? 1.0 : 0.45);
            double x = plot.x + c * gw + (gw - inner) / 2 + (2 * m + k) * bw;
            double y = tg_axis_map_clamped (&ay, p[c]);
            cairo_rectangle (cr, x + bw * 0.05, y, bw * 0.9, base - y);
            cairo_fill (cr);
          }
      tg_set_rgba (cr, st->foreground);
      g_snprintf (buf, sizeof buf, "%u", c);
      if (c % tg_label_step (gw, tg_text_width (cr, st, 0.85, FALSE, "10") + 3) == 0)
        tg_text (cr, st, 0.85, FALSE, buf, plot.x + (c + 0.5) * gw, base + 4, 0.5, 0.0);
    }
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, plot.x, base);
  cairo_line_to (cr, plot.x + plot.w, base);
  cairo_stroke (cr);
  tg_text (cr, st, 0.95, FALSE, "class", plot.x + plot.w / 2,
           base + 4 + tg_line_height (st, 0.85), 0.5, 0.0);
  cairo_restore (cr);
}

void
tg_plot_digit_pad (cairo_t *cr, double width, double height, const TgDigitPadData *d,
                   const TgPlotStyle *st)
{
  TgDigitPadData empty = { .true_label = -1 };
  if (d == NULL)
    d = &empty;
  guint nm = d->models ? MIN (d->n_models, 4u) : 0;
  TgLegendItem items[8];
  char labels[8][128];
  for (guint m = 0; m < nm; m++)
    for (guint k = 0; k < 2; k++)
      {
        TgRgba c = tg_series (st, m);
        c.a *= k == 0 ? 1.0 : 0.45;
        g_snprintf (labels[2 * m + k], sizeof labels[0], "%s, %s", d->models[m].label
                    ? d->models[m].label : "model", k == 0 ? "soft gates" : "hard gates");
        items[2 * m + k] = (TgLegendItem) { TG_LEGEND_BOX, c, labels[2 * m + k] };
      }
  TgRect body = tg_frame (cr, width, height, st, d->title ? d->title : "Digit pad", NULL,
                          d->caption, items, 2 * nm);
  double gap = st->font_size * 1.6;
  double w0 = body.w * 0.24, w1 = body.w * 0.40, w2 = body.w - w0 - w1 - 2 * gap;
  draw_image (cr, st, d, (TgRect) { body.x, body.y, w0, body.h });
  draw_gates (cr, st, d, (TgRect) { body.x + w0 + gap, body.y, w1, body.h });
  draw_probs (cr, st, d, (TgRect) { body.x + w0 + w1 + 2 * gap, body.y, w2, body.h });
}
