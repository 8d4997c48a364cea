/* tg-plot-unit.c — the unit inspector as one figure: six or eight panels in two rows.
 *
 *   receptive field + colour bar | firing rate per digit | histogram of z - tau | tau, gamma
 *   top 9 images                 | 9 near misses         | logit change silenced | the modes
 *
 * (tau and gamma against the step with the step shown marked; the modes: the unit in each
 * open mode side by side, its tau, gamma and firing per digit; both only when the data
 * have a trajectory or modes, else the figure keeps three columns.)
 *
 * Pure Cairo; the statistics come from the engine (tg-unit.h), nothing is computed here
 * beyond scaling to the page and the gate's sigmoid drawn over the histogram. */
#include "tg-plot-private.h"

#include <math.h>

/* The panel's title in bold at its top, shortened with an ellipsis when wider than the
 * panel (four columns on a small page); returns what is left of r under it. */
static TgRect
panel_title (cairo_t *cr, const TgPlotStyle *st, TgRect r, const char *title)
{
  g_autofree char *text = g_strdup (title);
  for (glong n = g_utf8_strlen (title, -1);
       n > 1 && tg_text_width (cr, st, 0.95, TRUE, text) > r.w; n--)
    {
      g_autofree char *head = g_utf8_substring (title, 0, n - 1);
      g_free (text);
      text = g_strconcat (head, "…", NULL);
    }
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  tg_text (cr, st, 0.95, TRUE, text, r.x, r.y, 0.0, 0.0);
  cairo_restore (cr);
  double h = tg_line_height (st, 0.95) + 4;
  return (TgRect) { r.x, r.y + h, r.w, MAX (r.h - h, 10.0) };
}

typedef struct { double half; } FieldScale;

static TgRgba
field_color (const TgPlotStyle *st, double v, gconstpointer user)
{
  const FieldScale *fs = user;
  return tg_cmap_diverging (st, CLAMP (v / fs->half, -1.0, 1.0));
}

/* --- receptive field ------------------------------------------------------------------ */

static void
draw_field (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  char buf[160];
  g_snprintf (buf, sizeof buf, d->layer == 0 ? "Receptive field (input weights)"
                                             : "Receptive field (strongest inputs, summed)");
  r = panel_title (cr, st, r, buf);
  guint npx = d->rows * d->cols;
  if (d->field == NULL || npx == 0)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no data", st);
      return;
    }
  double lh = tg_line_height (st, 0.8);
  double foot = d->n_field_inputs > 0 ? 2 * lh + 4 : lh + 4;
  double bar_room = st->font_size * 4.5;
  double side = MAX (MIN (r.w - bar_room, r.h - foot), 10.0);
  TgRect img = { r.x + (r.w - bar_room - side) / 2, r.y, side, side * d->rows / MAX (d->cols, 1) };
  FieldScale fs = { 0.0 };
  for (guint p = 0; p < npx; p++)
    fs.half = MAX (fs.half, fabs (d->field[p]));
  if (!(fs.half > 0))
    fs.half = 1.0;
  g_autofree TgRgba *colors = g_new (TgRgba, npx);
  for (guint p = 0; p < npx; p++)
    colors[p] = field_color (st, d->field[p], &fs);
  tg_paint_cells (cr, img, d->cols, d->rows, colors);
  cairo_save (cr);
  tg_set_rgba (cr, st->grid);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, img.x, img.y, img.w, img.h);
  cairo_stroke (cr);
  TgRect bar = { img.x + img.w + st->font_size * 0.8, img.y, st->font_size * 0.8, img.h };
  double ticks[3] = { -fs.half, 0.0, fs.half };
  int dec = fs.half < 0.01 ? 4 : fs.half < 0.1 ? 3 : 2;
  tg_colorbar_vertical (cr, st, bar, -fs.half, fs.half, ticks, 3, dec, field_color, &fs);
  tg_set_rgba (cr, st->muted);
  tg_text (cr, st, 0.8, FALSE, "weight", bar.x + bar.w / 2, bar.y + bar.h + 3, 0.5, 0.0);
  tg_text (cr, st, 0.8, FALSE, "red excites, blue inhibits", img.x + img.w / 2,
           img.y + img.h + 3, 0.5, 0.0);
  if (d->n_field_inputs > 0 && d->field_inputs && d->field_weights)
    {
      GString *s = g_string_new ("");
      g_string_append_printf (s, "hidden %u units:", d->layer);
      for (guint i = 0; i < MIN (d->n_field_inputs, 6u); i++)
        g_string_append_printf (s, " %u (%+.2f)", d->field_inputs[i], d->field_weights[i]);
      tg_text (cr, st, 0.75, FALSE, s->str, r.x + r.w / 2, img.y + img.h + 3 + lh, 0.5, 0.0);
      g_string_free (s, TRUE);
    }
  cairo_restore (cr);
}

/* --- firing rate per digit ------------------------------------------------------------ */

static void
draw_class_axis (cairo_t *cr, const TgPlotStyle *st, TgRect plot, guint n, const char *title)
{
  char buf[16];
  double gw = plot.w / n;
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  for (guint c = 0; c < n; c++)
    {
      g_snprintf (buf, sizeof buf, "%u", c);
      tg_text (cr, st, 0.85, FALSE, buf, plot.x + (c + 0.5) * gw, plot.y + plot.h + 4, 0.5, 0.0);
    }
  tg_text (cr, st, 0.95, FALSE, title, plot.x + plot.w / 2,
           plot.y + plot.h + 4 + tg_line_height (st, 0.85), 0.5, 0.0);
  cairo_restore (cr);
}

/* The plot rectangle inside r for a y axis ay with a title, and an x axis of two lines. */
static TgRect
plot_area (cairo_t *cr, const TgPlotStyle *st, TgRect r, const TgAxis *ay, double right_pad)
{
  double left = r.x + tg_line_height (st, 0.95) + tg_axis_labels_width (cr, st, ay) + 8;
  double foot = tg_line_height (st, 0.85) + tg_line_height (st, 0.95) + 6;
  return (TgRect) { left, r.y + 4, MAX (r.x + r.w - right_pad - left, 10.0),
                    MAX (r.h - foot - 4, 10.0) };
}

static void
draw_firing (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  r = panel_title (cr, st, r, "Firing rate per digit");
  const double *rates[4] = { d->rate0_soft, d->rate0_hard, d->rate_t_soft, d->rate_t_hard };
  if (d->n_classes == 0 || (!rates[0] && !rates[1] && !rates[2] && !rates[3]))
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no data", st);
      return;
    }
  TgAxis ay;
  tg_axis_init (&ay, 0.0, 1.0, 5, FALSE);
  TgRect plot = plot_area (cr, st, r, &ay, st->font_size * 0.5);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, "firing rate", r.x, TRUE);
  double gw = plot.w / d->n_classes, inner = gw * 0.84, bw = inner / 4;
  double base = tg_axis_map (&ay, 0.0);
  cairo_save (cr);
  for (guint c = 0; c < d->n_classes; c++)
    for (guint s = 0; s < 4; s++)
      {
        if (rates[s] == NULL || !isfinite (rates[s][c]))
          continue;
        /* 0 deg in the first colour, the target in the second; soft pale, hard full */
        tg_set_rgba_a (cr, tg_series (st, s / 2), s % 2 == 0 ? 0.45 : 1.0);
        double x = plot.x + c * gw + (gw - inner) / 2 + s * bw;
        double y = tg_axis_map_clamped (&ay, rates[s][c]);
        cairo_rectangle (cr, x + bw * 0.05, y, bw * 0.9, base - y);
        cairo_fill (cr);
      }
  cairo_restore (cr);
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, plot.x, base);
  cairo_line_to (cr, plot.x + plot.w, base);
  cairo_stroke (cr);
  cairo_restore (cr);
  draw_class_axis (cr, st, plot, d->n_classes, "digit");
}

/* --- histogram of z - tau ------------------------------------------------------------- */

static void
draw_sigmoid (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, const TgAxis *ax,
              TgRect plot)
{
  cairo_save (cr);
  cairo_rectangle (cr, plot.x, plot.y, plot.w, plot.h);
  cairo_clip (cr);
  tg_set_rgba (cr, tg_series (st, 2));
  cairo_set_line_width (cr, 1.6);
  for (guint i = 0; i <= 200; i++)
    {
      double m = ax->lo + (ax->hi - ax->lo) * i / 200.0;
      double g = d->hard || d->ungated ? (m > 0 ? 1.0 : 0.0) : 1.0 / (1.0 + exp (-d->sharpness * m));
      double x = tg_axis_map (ax, m), y = plot.y + plot.h - g * plot.h;
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  /* the threshold z = tau */
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 1.2);
  double dash[2] = { 4, 3 };
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, tg_axis_map (ax, 0.0), plot.y);
  cairo_line_to (cr, tg_axis_map (ax, 0.0), plot.y + plot.h);
  cairo_stroke (cr);
  cairo_restore (cr);
  /* right axis for the gate */
  cairo_save (cr);
  tg_set_rgba (cr, tg_series (st, 2));
  static const char *labels[3] = { "0", "0.5", "1" };
  for (guint k = 0; k < 3; k++)
    tg_text (cr, st, 0.8, FALSE, labels[k], plot.x + plot.w + 4,
             plot.y + plot.h - k * 0.5 * plot.h, 0.0, 0.5);
  tg_text_rotated (cr, st, 0.9, FALSE, "gate", plot.x + plot.w + st->font_size * 3.0,
                   plot.y + plot.h / 2, 0.5, 0.0, G_PI / 2);
  cairo_restore (cr);
}

static void
draw_histogram (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  char title[128];
  g_snprintf (title, sizeof title, "z − τ over the %s", d->hist_label ? d->hist_label : "test set");
  r = panel_title (cr, st, r, title);
  if (d->n_bins == 0 || d->edges == NULL || d->counts == NULL)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no data", st);
      return;
    }
  guint32 peak = 1;
  for (guint b = 0; b < d->n_bins; b++)
    peak = MAX (peak, d->counts[b]);
  TgAxis ay, ax;
  tg_axis_init (&ay, 0.0, peak, 5, TRUE);
  /* the threshold at 0 is always on the page */
  tg_axis_init (&ax, MIN (d->edges[0], 0.0), MAX (d->edges[d->n_bins], 0.0), 6, FALSE);
  TgRect plot = plot_area (cr, st, r, &ay, st->font_size * 4.2);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_place (&ax, plot.x, plot.x + plot.w);
  tg_axis_draw_y (cr, st, &ay, plot, "examples", r.x, TRUE);
  cairo_save (cr);
  for (guint b = 0; b < d->n_bins; b++)
    {
      double x0 = tg_axis_map (&ax, d->edges[b]), x1 = tg_axis_map (&ax, d->edges[b + 1]);
      double y = tg_axis_map (&ay, d->counts[b]);
      tg_set_rgba (cr, d->edges[b + 1] <= 0.0 ? st->muted : tg_series (st, 4));
      cairo_rectangle (cr, x0, y, MAX (x1 - x0 - 0.5, 0.5), plot.y + plot.h - y);
      cairo_fill (cr);
    }
  cairo_restore (cr);
  draw_sigmoid (cr, st, d, &ax, plot);
  tg_axis_draw_x (cr, st, &ax, plot, "z − τ", FALSE, TRUE);
}

/* --- image grids ---------------------------------------------------------------------- */

static void
draw_images (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d,
             const TgUnitImages *im, const char *title, TgRect r)
{
  r = panel_title (cr, st, r, title);
  guint npx = d->rows * d->cols;
  if (im->n == 0 || im->pixels == NULL || npx == 0)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "none", st);
      return;
    }
  double lh = tg_line_height (st, 0.75);
  double cell = MIN (r.w / 3, r.h / 3);
  double side = MAX (cell - lh - 4, 4.0);
  double x0 = r.x + (r.w - 3 * cell) / 2;
  g_autofree TgRgba *colors = g_new (TgRgba, npx);
  char buf[64];
  for (guint k = 0; k < MIN (im->n, 9u); k++)
    {
      const guint8 *px = im->pixels + (size_t) k * npx;
      for (guint p = 0; p < npx; p++)
        colors[p] = (TgRgba) { px[p] / 255.0, px[p] / 255.0, px[p] / 255.0, 1.0 };
      double cx = x0 + (k % 3) * cell + (cell - side) / 2, cy = r.y + (k / 3) * cell;
      tg_paint_cells (cr, (TgRect) { cx, cy, side, side }, d->cols, d->rows, colors);
      if (im->labels && im->margin)
        g_snprintf (buf, sizeof buf, "%u · %+.3f", im->labels[k], im->margin[k]);
      else if (im->labels)
        g_snprintf (buf, sizeof buf, "%u", im->labels[k]);
      else
        continue;
      cairo_save (cr);
      tg_set_rgba (cr, st->foreground);
      tg_text (cr, st, 0.75, FALSE, buf, cx + side / 2, cy + side + 1, 0.5, 0.0);
      cairo_restore (cr);
    }
}

/* --- logit effect --------------------------------------------------------------------- */

static void
draw_effect (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  r = panel_title (cr, st, r, "Mean logit change when silenced");
  if (d->logit_effect == NULL || d->n_classes == 0)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no data", st);
      return;
    }
  double half = 0.0;
  for (guint c = 0; c < d->n_classes; c++)
    if (isfinite (d->logit_effect[c]))
      half = MAX (half, fabs (d->logit_effect[c]));
  half = half > 0 ? half * 1.1 : 1.0;
  TgAxis ay;
  tg_axis_init (&ay, -half, half, 6, TRUE);
  TgRect plot = plot_area (cr, st, r, &ay, st->font_size * 0.5);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, "Δ logit", r.x, TRUE);
  double gw = plot.w / d->n_classes, zero = tg_axis_map (&ay, 0.0);
  cairo_save (cr);
  for (guint c = 0; c < d->n_classes; c++)
    {
      double v = d->logit_effect[c];
      if (!isfinite (v))
        continue;
      tg_set_rgba (cr, tg_cmap_diverging (st, v >= 0 ? 0.85 : -0.85));
      double y = tg_axis_map_clamped (&ay, v);
      cairo_rectangle (cr, plot.x + c * gw + gw * 0.15, MIN (y, zero), gw * 0.7, fabs (zero - y));
      cairo_fill (cr);
    }
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, plot.x, zero);
  cairo_line_to (cr, plot.x + plot.w, zero);
  cairo_stroke (cr);
  cairo_restore (cr);
  draw_class_axis (cr, st, plot, d->n_classes, "class");
}

/* --- τ and γ over the run ------------------------------------------------------------- */

/* One series against the step in r, with the shown step marked. */
static void
draw_trajectory_series (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d,
                        const double *v, const char *name, TgRgba color, TgRect r,
                        const TgAxis *ax, gboolean x_labels)
{
  double lo = INFINITY, hi = -INFINITY;
  for (guint i = 0; i < d->n_trajectory; i++)
    if (isfinite (v[i]))
      {
        lo = MIN (lo, v[i]);
        hi = MAX (hi, v[i]);
      }
  TgAxis ay;
  tg_axis_init (&ay, lo, hi, 3, TRUE);
  double left = r.x + tg_line_height (st, 0.95) + tg_axis_labels_width (cr, st, &ay) + 8;
  double foot = x_labels ? tg_line_height (st, 0.85) + tg_line_height (st, 0.95) + 6 : 4;
  TgRect plot = { left, r.y + 2, MAX (r.x + r.w - st->font_size * 0.5 - left, 10.0),
                  MAX (r.h - foot - 2, 10.0) };
  TgAxis x = *ax;
  tg_axis_place (&x, plot.x, plot.x + plot.w);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, name, r.x, TRUE);
  tg_axis_draw_x (cr, st, &x, plot, x_labels ? "step" : NULL, TRUE, x_labels);
  cairo_save (cr);
  cairo_rectangle (cr, plot.x, plot.y, plot.w, plot.h);
  cairo_clip (cr);
  tg_set_rgba (cr, color);
  cairo_set_line_width (cr, 1.4 * tg_line_scale (st));
  /* a run records up to a few thousand steps: per pixel column, only the lowest and the
   * highest value go into the path (the same picture, a tenth of the stroking) */
  gboolean pen = FALSE;
  double col = -1.0, ylo = 0.0, yhi = 0.0;
  for (guint i = 0; i <= d->n_trajectory; i++)
    {
      gboolean last = i == d->n_trajectory;
      double px = last ? 0.0 : floor (tg_axis_map (&x, d->trajectory_steps[i]));
      double py = last || !isfinite (v[i]) ? NAN : tg_axis_map (&ay, v[i]);
      if (pen && (last || px != col || isnan (py)))
        {
          cairo_line_to (cr, col + 0.5, ylo);
          if (yhi != ylo)
            cairo_line_to (cr, col + 0.5, yhi);
        }
      if (last)
        break;
      if (isnan (py))
        {
          pen = FALSE;
          continue;
        }
      if (!pen)
        cairo_move_to (cr, px + 0.5, py);
      if (!pen || px != col)
        {
          col = px;
          ylo = yhi = py;
        }
      ylo = MIN (ylo, py);
      yhi = MAX (yhi, py);
      pen = TRUE;
    }
  cairo_stroke (cr);
  if (isfinite (d->trajectory_mark))
    {
      double mx = tg_axis_map (&x, d->trajectory_mark);
      tg_set_rgba (cr, st->foreground);
      cairo_set_line_width (cr, 0.9 * tg_line_scale (st));
      cairo_set_dash (cr, (double[]) { 3.0, 2.0 }, 2, 0.0);
      cairo_move_to (cr, mx, plot.y);
      cairo_line_to (cr, mx, plot.y + plot.h);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0.0);
      /* the value at the mark: the last record at or before it */
      for (guint i = d->n_trajectory; i-- > 0;)
        if (d->trajectory_steps[i] <= d->trajectory_mark && isfinite (v[i]))
          {
            tg_diamond (cr, mx, tg_axis_map (&ay, v[i]), st->font_size * 0.35);
            cairo_fill (cr);
            break;
          }
    }
  cairo_restore (cr);
}

static void
draw_trajectory (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  char title[96];
  if (isfinite (d->trajectory_mark))
    g_snprintf (title, sizeof title, "τ and γ over the run (shown: step %.0f)",
                d->trajectory_mark);
  else
    g_snprintf (title, sizeof title, "τ and γ over the run");
  r = panel_title (cr, st, r, title);
  if (d->n_trajectory == 0 || d->trajectory_steps == NULL || d->trajectory_tau == NULL ||
      d->trajectory_gamma == NULL)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "not recorded", st);
      return;
    }
  TgAxis ax;
  tg_axis_init (&ax, d->trajectory_steps[0], d->trajectory_steps[d->n_trajectory - 1], 4,
                FALSE);
  double top = (r.h - tg_line_height (st, 0.85) - tg_line_height (st, 0.95)) / 2;
  draw_trajectory_series (cr, st, d, d->trajectory_tau, "τ", tg_series (st, 0),
                          (TgRect) { r.x, r.y, r.w, top }, &ax, FALSE);
  draw_trajectory_series (cr, st, d, d->trajectory_gamma, "γ", tg_series (st, 1),
                          (TgRect) { r.x, r.y + top, r.w, r.h - top }, &ax, TRUE);
}

/* --- the unit in each mode ------------------------------------------------------------ */

static TgRgba
mode_color (const TgPlotStyle *st, guint m)
{
  static const guint series[4] = { 1, 3, 5, 6 };
  return tg_series (st, series[m % 4]);
}

static void
draw_modes (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  g_autofree char *title = g_strdup_printf ("Across modes: firing at %s, %s gates",
                                            d->label_target ? d->label_target : "the target",
                                            d->hard || d->ungated ? "hard" : "soft");
  r = panel_title (cr, st, r, title);
  guint nm = MIN (d->n_modes, 4u);
  if (nm == 0 || d->mode_rate == NULL || d->n_classes == 0)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no other mode", st);
      return;
    }
  /* the key: one line per mode with its τ and γ */
  double lh = tg_line_height (st, 0.8), sw = st->font_size * 0.8;
  char buf[160];
  cairo_save (cr);
  cairo_rectangle (cr, r.x, r.y, r.w, lh * nm);
  cairo_clip (cr);
  for (guint m = 0; m < nm; m++)
    {
      TgLegendItem it = { TG_LEGEND_BOX, mode_color (st, m), NULL };
      tg_legend_swatch (cr, st, &it, r.x, r.y + (m + 0.5) * lh, sw);
      if (isfinite (d->mode_tau[m]))
        g_snprintf (buf, sizeof buf, "%s · τ %+.4f · γ %.4f", d->mode_names[m], d->mode_tau[m],
                    d->mode_gamma[m]);
      else
        g_snprintf (buf, sizeof buf, "%s · no gate (ReLU: z > 0)", d->mode_names[m]);
      tg_set_rgba (cr, st->foreground);
      tg_text (cr, st, 0.8, FALSE, buf, r.x + sw * 1.5, r.y + m * lh, 0.0, 0.0);
    }
  cairo_restore (cr);
  r.y += lh * nm + 4;
  r.h = MAX (r.h - lh * nm - 4, 10.0);
  TgAxis ay;
  tg_axis_init (&ay, 0.0, 1.0, 5, FALSE);
  TgRect plot = plot_area (cr, st, r, &ay, st->font_size * 0.5);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, "firing rate", r.x, TRUE);
  double gw = plot.w / d->n_classes, inner = gw * 0.84, bw = inner / nm;
  double base = tg_axis_map (&ay, 0.0);
  cairo_save (cr);
  for (guint c = 0; c < d->n_classes; c++)
    for (guint m = 0; m < nm; m++)
      {
        double v = d->mode_rate[(gsize) m * d->n_classes + c];
        if (!isfinite (v))
          continue;
        tg_set_rgba (cr, mode_color (st, m));
        double x = plot.x + c * gw + (gw - inner) / 2 + m * bw;
        double y = tg_axis_map_clamped (&ay, v);
        cairo_rectangle (cr, x + bw * 0.05, y, bw * 0.9, base - y);
        cairo_fill (cr);
      }
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, plot.x, base);
  cairo_line_to (cr, plot.x + plot.w, base);
  cairo_stroke (cr);
  cairo_restore (cr);
  draw_class_axis (cr, st, plot, d->n_classes, "digit");
}

/* --- the figure ----------------------------------------------------------------------- */

void
tg_plot_unit (cairo_t *cr, double width, double height, const TgUnitPlotData *d,
              const TgPlotStyle *st)
{
  TgUnitPlotData empty = { 0 };
  if (d == NULL)
    d = &empty;
  g_autofree char *title = d->title ? g_strdup (d->title)
                                    : g_strdup_printf ("Hidden %u, unit %u", d->layer + 1, d->index);
  g_autofree char *subtitle =
    g_strdup_printf (d->ungated ? "%s%sτ = %+.4f · γ = %.4f · s = %g · %s gates: ReLU, fires when z > 0"
                                : "%s%sτ = %+.4f · γ = %.4f · s = %g · %s gates", d->model_label ? d->model_label : "",
                     d->model_label ? " · " : "", d->tau, d->gamma, d->sharpness,
                     d->ungated ? "no" : d->hard ? "hard 1[z > τ]" : "soft σ(s (z − τ))");
  g_autofree char *l0s = g_strdup_printf ("%s soft", d->label0 ? d->label0 : "0°");
  g_autofree char *l0h = g_strdup_printf ("%s hard", d->label0 ? d->label0 : "0°");
  g_autofree char *lts = g_strdup_printf ("%s soft", d->label_target ? d->label_target : "target");
  g_autofree char *lth = g_strdup_printf ("%s hard", d->label_target ? d->label_target : "target");
  TgRgba pale0 = tg_series (st, 0), pale1 = tg_series (st, 1);
  pale0.a *= 0.45;
  pale1.a *= 0.45;
  TgLegendItem items[] = {
    { TG_LEGEND_BOX, pale0, l0s }, { TG_LEGEND_BOX, tg_series (st, 0), l0h },
    { TG_LEGEND_BOX, pale1, lts }, { TG_LEGEND_BOX, tg_series (st, 1), lth },
    { TG_LEGEND_BOX, tg_series (st, 4), "z > τ (on)" },
    { TG_LEGEND_BOX, st->muted, "z ≤ τ (off)" },
    { TG_LEGEND_DASHED, st->foreground, "threshold z = τ" },
    { TG_LEGEND_LINE, tg_series (st, 2), d->hard || d->ungated ? "gate 1[z > τ]" : "gate σ(s (z − τ))" },
  };
  TgRect body = tg_frame (cr, width, height, st, title, subtitle, d->caption, items,
                          G_N_ELEMENTS (items));
  /* the trajectories and the modes only when there is a run or another mode to show (the
   * command line's figure of one checkpoint keeps its six panels) */
  guint n_cols = d->n_trajectory > 0 || d->n_modes > 0 ? 4 : 3;
  double gap = st->font_size * 1.6;
  double cw = (body.w - (n_cols - 1) * gap) / n_cols, rh = (body.h - gap) / 2;
  TgRect cells[8];
  for (guint k = 0; k < 2 * n_cols; k++)
    cells[k] = (TgRect) { body.x + (k % n_cols) * (cw + gap),
                          body.y + (k / n_cols) * (rh + gap), cw, rh };
  draw_field (cr, st, d, cells[0]);
  draw_firing (cr, st, d, cells[1]);
  draw_histogram (cr, st, d, cells[2]);
  draw_images (cr, st, d, &d->top, "Drive it most (digit · z − τ)", cells[n_cols]);
  draw_images (cr, st, d, &d->near, "Near misses: closest, not firing", cells[n_cols + 1]);
  draw_effect (cr, st, d, cells[n_cols + 2]);
  if (n_cols == 4)
    {
      draw_trajectory (cr, st, d, cells[3]);
      draw_modes (cr, st, d, cells[7]);
    }
}
