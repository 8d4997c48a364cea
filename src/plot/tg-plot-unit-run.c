/* tg-plot-unit-run.c — the unit figure's two panels beyond the one model: τ and γ against
 * the step with the step shown marked, and the same unit in each open mode (its τ, γ and
 * firing per digit side by side). Laid out by tg-plot-unit.c. */
#include "tg-plot-unit-private.h"

#include <math.h>

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

void
tg_unit_draw_trajectory (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  char title[96];
  if (isfinite (d->trajectory_mark))
    g_snprintf (title, sizeof title, "τ and γ over the run (shown: step %.0f)",
                d->trajectory_mark);
  else
    g_snprintf (title, sizeof title, "τ and γ over the run");
  const char *const titles[] = { title, "τ and γ over the run", "τ and γ", NULL };
  r = tg_unit_panel_title (cr, st, r, titles);
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

void
tg_unit_draw_modes (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  g_autofree char *title = g_strdup_printf ("Across modes: firing at %s, %s gates",
                                            d->label_target ? d->label_target : "the target",
                                            d->hard || d->ungated ? "hard" : "soft");
  const char *const titles[] = { title, "Across modes", NULL };
  r = tg_unit_panel_title (cr, st, r, titles);
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
  TgRect plot = tg_unit_plot_area (cr, st, r, &ay, "firing rate", st->font_size * 0.5);
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
  tg_unit_class_axis (cr, st, plot, d->n_classes, "digit");
}
