/* SPDX-License-Identifier: MIT */
/* tg-plot-unit-run.c — the unit figure's two panels beyond the one model: τ and γ against
 * the step with the step shown marked, and the same unit in each open mode (its τ, γ and
 * firing per digit side by side). Laid out by tg-plot-unit.c.
 *
 * Every word stays inside its panel: the series' names are written across (a rotated "τ"
 * alone reads as a sliver), the tick labels centred on a plot's edges get half a line of
 * room there, and the modes' key says less where the panel is narrow instead of running
 * past it under a clip (clipped text is still on a PDF's page). */
#include "tg-plot-unit-private.h"

#include <math.h>

/* --- τ and γ over the run ------------------------------------------------------------- */

/* One of the two series: its values, name and colour, its y axis and plot rectangle. */
typedef struct {
  const double *v;
  const char   *name;
  TgRgba        color;
  TgAxis        ay;
  TgRect        plot;
} Series;

/* The y axis of s for a plot h high: the finite values' range, three ticks where there is
 * room for their labels, else two. */
static void
series_axis (const TgPlotStyle *st, const TgUnitPlotData *d, Series *s, double h)
{
  double lo = INFINITY, hi = -INFINITY;
  for (guint i = 0; i < d->n_trajectory; i++)
    if (isfinite (s->v[i]))
      {
        lo = MIN (lo, s->v[i]);
        hi = MAX (hi, s->v[i]);
      }
  tg_axis_init (&s->ay, lo, hi, h >= 4 * tg_line_height (st, 0.85) ? 3 : 2, TRUE);
}

/* The series' line in its plot: per pixel column only the lowest and the highest value go
 * into the path (a run records up to a few thousand steps: the same picture, a tenth of the
 * stroking). */
static void
draw_series_line (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d,
                  const Series *s, const TgAxis *x)
{
  tg_set_rgba (cr, s->color);
  cairo_set_line_width (cr, 1.4 * tg_line_scale (st));
  gboolean pen = FALSE;
  double col = -1.0, ylo = 0.0, yhi = 0.0;
  for (guint i = 0; i <= d->n_trajectory; i++)
    {
      gboolean last = i == d->n_trajectory;
      double px = last ? 0.0 : floor (tg_axis_map (x, d->trajectory_steps[i]));
      double py = last || !isfinite (s->v[i]) ? NAN : tg_axis_map (&s->ay, s->v[i]);
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
}

/* The step shown: a dashed line across the plot and a diamond on the value recorded last at
 * or before it. */
static void
draw_series_mark (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d,
                  const Series *s, const TgAxis *x)
{
  double mx = tg_axis_map (x, d->trajectory_mark);
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.9 * tg_line_scale (st));
  cairo_set_dash (cr, (double[]) { 3.0, 2.0 }, 2, 0.0);
  cairo_move_to (cr, mx, s->plot.y);
  cairo_line_to (cr, mx, s->plot.y + s->plot.h);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0.0);
  for (guint i = d->n_trajectory; i-- > 0;)
    if (d->trajectory_steps[i] <= d->trajectory_mark && isfinite (s->v[i]))
      {
        tg_diamond (cr, mx, tg_axis_map (&s->ay, s->v[i]), st->font_size * 0.35);
        cairo_fill (cr);
        break;
      }
}

/* One series in its plot: y axis with the name across on its left in the series' colour,
 * the x axis (its labels and title only under the lower plot), the line and the mark. */
static void
draw_series (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, const Series *s,
             const TgAxis *ax, double name_x, gboolean x_labels)
{
  TgAxis x = *ax;
  tg_axis_place (&x, s->plot.x, s->plot.x + s->plot.w);
  tg_axis_draw_y (cr, st, &s->ay, s->plot, NULL, 0.0, TRUE);
  tg_axis_draw_x (cr, st, &x, s->plot, x_labels ? "step" : NULL, TRUE, x_labels);
  cairo_save (cr);
  tg_set_rgba (cr, s->color);
  tg_text (cr, st, 0.95, FALSE, s->name, name_x, s->plot.y + s->plot.h / 2, 0.0, 0.5);
  cairo_rectangle (cr, s->plot.x, s->plot.y, s->plot.w, s->plot.h);
  cairo_clip (cr);
  draw_series_line (cr, st, d, s, &x);
  if (isfinite (d->trajectory_mark))
    draw_series_mark (cr, st, d, s, &x);
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
  /* two plots of one height; the tick labels centred on their edges get half a label line
   * above and below each, then the step's labels and title */
  double half = tg_line_height (st, 0.85) / 2 + 1;
  double foot = 4 + tg_line_height (st, 0.85) + tg_line_height (st, 0.95);
  double h = MAX ((r.h - 4 * half - foot) / 2, 4.0);
  Series s[2] = { { d->trajectory_tau, "τ", tg_series (st, 0) },
                  { d->trajectory_gamma, "γ", tg_series (st, 1) } };
  double left = 0.0;
  for (guint k = 0; k < 2; k++)
    {
      series_axis (st, d, &s[k], h);
      left = MAX (left, tg_text_width (cr, st, 0.95, FALSE, s[k].name) + 4 +
                        tg_axis_labels_width (cr, st, &s[k].ay) + 8);
    }
  for (guint k = 0; k < 2; k++)
    {
      s[k].plot = (TgRect) { r.x + left, r.y + half + k * (h + 2 * half),
                             MAX (r.w - left - st->font_size * 0.5, 10.0), h };
      tg_axis_place (&s[k].ay, s[k].plot.y + h, s[k].plot.y);
      draw_series (cr, st, d, &s[k], &ax, r.x, k == 1);
    }
}

/* --- the unit in each mode ------------------------------------------------------------ */

static TgRgba
mode_color (const TgPlotStyle *st, guint m)
{
  static const guint series[4] = { 1, 3, 5, 6 };
  return tg_series (st, series[m % 4]);
}

/* Mode m's line in the key at a level of detail: 0 its name, τ and γ to four decimals,
 * 1 to two, 2 the name alone. Newly allocated. */
static char *
mode_key (const TgUnitPlotData *d, guint m, guint level)
{
  const char *name = d->mode_names && d->mode_names[m] ? d->mode_names[m] : "mode";
  gboolean gated = d->mode_tau && d->mode_gamma && isfinite (d->mode_tau[m]);
  if (level >= 2)
    return g_strdup (name);
  if (!gated)
    return g_strdup_printf (level == 0 ? "%s · no gate (ReLU: z > 0)" : "%s · no gate", name);
  return g_strdup_printf (level == 0 ? "%s · τ %+.4f · γ %.4f" : "%s · τ %+.2f · γ %.2f", name,
                          d->mode_tau[m], d->mode_gamma[m]);
}

/* Whether every line of the key, at a level of detail, is no wider than w. */
static gboolean
mode_key_fits (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, guint nm,
               guint level, double w)
{
  for (guint m = 0; m < nm; m++)
    {
      g_autofree char *key = mode_key (d, m, level);
      if (tg_text_width (cr, st, 0.8, FALSE, key) > w)
        return FALSE;
    }
  return TRUE;
}

/* The key at the top of r, one line per mode: every line at the most detail at which all of
 * them fit the width (the lines alike), a name too long for it cut with an ellipsis.
 * Returns its height. */
static double
draw_mode_key (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, guint nm,
               TgRect r)
{
  double lh = tg_line_height (st, 0.8), sw = st->font_size * 0.8, w = r.w - sw * 1.5;
  guint level = 0;
  while (level < 2 && !mode_key_fits (cr, st, d, nm, level, w))
    level++;
  cairo_save (cr);
  for (guint m = 0; m < nm; m++)
    {
      TgLegendItem it = { TG_LEGEND_BOX, mode_color (st, m), NULL };
      tg_legend_swatch (cr, st, &it, r.x, r.y + (m + 0.5) * lh, sw);
      g_autofree char *full = mode_key (d, m, level);
      g_autofree char *key = tg_text_shorten (cr, st, 0.8, FALSE, full, w);
      tg_set_rgba (cr, st->foreground);
      if (key != NULL)
        tg_text (cr, st, 0.8, FALSE, key, r.x + sw * 1.5, r.y + m * lh, 0.0, 0.0);
    }
  cairo_restore (cr);
  return lh * nm;
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
  double key_h = draw_mode_key (cr, st, d, nm, r) + 4;
  r.y += key_h;
  r.h = MAX (r.h - key_h, 10.0);
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
