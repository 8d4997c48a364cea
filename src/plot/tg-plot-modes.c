/* SPDX-License-Identifier: MIT */
/* tg-plot-modes.c — where each mode is good and where it breaks: test accuracy of every mode
 * (Base and each adapter) against the rotation of the test set, the training angle of each
 * adapter marked on its curve. Soft gates solid; hard gates dashed where they differ. */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

#define MAX_LEGEND 12

static gboolean
hard_differs (const TgModesByAngleData *d, guint m)
{
  if (d->acc_hard == NULL)
    return FALSE;
  for (guint a = 0; a < d->n_angles; a++)
    if (fabs (d->acc_hard[m * d->n_angles + a] - d->acc[m * d->n_angles + a]) > 1e-12)
      return TRUE;
  return FALSE;
}

/* The curve's value at angle x, linear between the sweep's angles; NAN outside them. */
static double
value_at (const TgModesByAngleData *d, guint m, double x)
{
  const double *y = d->acc + (size_t) m * d->n_angles;
  for (guint a = 0; a + 1 < d->n_angles; a++)
    {
      double x0 = d->angles[a], x1 = d->angles[a + 1];
      if (x >= MIN (x0, x1) && x <= MAX (x0, x1))
        return x1 == x0 ? y[a] : y[a] + (y[a + 1] - y[a]) * (x - x0) / (x1 - x0);
    }
  return d->n_angles == 1 && x == d->angles[0] ? y[0] : NAN;
}

static void
draw_curve (cairo_t *cr, const TgAxis *ax, const TgAxis *ay, const double *x, const double *y,
            guint n, gboolean dashed)
{
  gboolean pen = FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (y[i]))
        {
          pen = FALSE;
          continue;
        }
      double px = tg_axis_map (ax, x[i]), py = tg_axis_map_clamped (ay, y[i]);
      if (pen)
        cairo_line_to (cr, px, py);
      else
        cairo_move_to (cr, px, py);
      pen = TRUE;
    }
  double dash[2] = { 6, 4 };
  cairo_set_dash (cr, dash, dashed ? 2 : 0, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  if (dashed)
    return;
  for (guint i = 0; i < n; i++)
    if (isfinite (y[i]))
      {
        cairo_arc (cr, tg_axis_map (ax, x[i]), tg_axis_map_clamped (ay, y[i]), 2.6, 0, 2 * G_PI);
        cairo_fill (cr);
      }
}

/* Angles read best at multiples of 15 degrees: the smallest such step giving at most 8
 * intervals, in place of the axis's decimal "nice" ticks. */
static void
angle_ticks (TgAxis *ax)
{
  static const double steps[] = { 15, 30, 45, 60, 90, 180, 360 };
  double span = ax->hi - ax->lo, step = 0;
  for (guint i = 0; i < G_N_ELEMENTS (steps) && step == 0; i++)
    if (span / steps[i] <= 8)
      step = steps[i];
  if (step == 0 || span < 15)
    return;
  ax->n_ticks = 0;
  for (double t = ceil (ax->lo / step) * step; t <= ax->hi + 1e-9 && ax->n_ticks < TG_AXIS_MAX_TICKS;
       t += step)
    ax->ticks[ax->n_ticks++] = t;
  ax->decimals = 0;
}

/* The accuracies' range over both gate modes (lo > hi: none finite) and the angles' range. */
static void
value_range (const TgModesByAngleData *d, guint nm, double *lo_out, double *hi_out,
             double *xlo_out, double *xhi_out)
{
  double lo = 1, hi = 0, xlo = d->angles[0], xhi = d->angles[0];
  for (guint a = 0; a < d->n_angles; a++)
    {
      xlo = MIN (xlo, d->angles[a]);
      xhi = MAX (xhi, d->angles[a]);
      for (guint m = 0; m < nm; m++)
        {
          double v = d->acc[m * d->n_angles + a];
          double h = d->acc_hard ? d->acc_hard[m * d->n_angles + a] : v;
          if (isfinite (v))
            lo = MIN (lo, v), hi = MAX (hi, v);
          if (isfinite (h))
            lo = MIN (lo, h), hi = MAX (hi, h);
        }
    }
  *lo_out = lo, *hi_out = hi, *xlo_out = xlo, *xhi_out = xhi;
}

/* Each mode's training angle: a faint vertical line and a diamond on the mode's own curve. */
static void
draw_training_angles (cairo_t *cr, const TgPlotStyle *st, const TgModesByAngleData *d,
                      guint nm, const TgAxis *ax, const TgAxis *ay, TgRect plot)
{
  for (guint m = 0; d->target_angles != NULL && m < nm; m++)
    {
      double t = d->target_angles[m];
      if (!isfinite (t) || t < ax->lo || t > ax->hi)
        continue;
      TgRgba c = tg_series (st, m);
      double px = tg_axis_map (ax, t);
      tg_set_rgba_a (cr, c, 0.45);
      cairo_set_line_width (cr, 1.0);
      double dash[2] = { 2, 3 };
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, px, plot.y);
      cairo_line_to (cr, px, plot.y + plot.h);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      double v = value_at (d, m, t);
      if (isfinite (v))
        {
          tg_diamond (cr, px, tg_axis_map_clamped (ay, v), 6.5);
          tg_set_rgba (cr, st->background);
          cairo_fill_preserve (cr);
          tg_set_rgba (cr, c);
          cairo_set_line_width (cr, 2.0);
          cairo_stroke (cr);
        }
    }
}

void
tg_plot_modes_by_angle (cairo_t *cr, double width, double height,
                        const TgModesByAngleData *d, const TgPlotStyle *st)
{
  TgLegendItem items[MAX_LEGEND] = { { 0 } };
  guint ni = 0, nm = d ? MIN (d->n_modes, MAX_LEGEND - 2) : 0;
  gboolean any_hard = FALSE, any_target = FALSE;
  for (guint m = 0; m < nm; m++)
    {
      items[ni++] = (TgLegendItem) { TG_LEGEND_LINE, tg_series (st, m), d->names[m] };
      any_hard |= hard_differs (d, m);
      any_target |= d->target_angles != NULL && isfinite (d->target_angles[m]);
    }
  if (any_hard)
    items[ni++] = (TgLegendItem) { TG_LEGEND_DASHED, st->muted, "hard gates 1[z > τ]" };
  if (any_target && ni < MAX_LEGEND)
    items[ni++] = (TgLegendItem) { TG_LEGEND_DIAMOND, st->muted, "the mode's training angle" };
  const char *title = d && d->title ? d->title : "Modes across angles";
  TgRect body = tg_frame (cr, width, height, st, title, NULL, d ? d->caption : NULL, items, ni);
  if (d == NULL || nm == 0 || d->n_angles == 0 || d->acc == NULL)
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no modes measured yet", st);
      return;
    }

  double lo, hi, xlo, xhi;
  value_range (d, nm, &lo, &hi, &xlo, &xhi);
  if (lo > hi)
    lo = 0, hi = 1;
  TgAxis ax, ay;
  tg_axis_init (&ax, xlo, xhi == xlo ? xlo + 1 : xhi, 8, FALSE);
  angle_ticks (&ax);
  tg_axis_init (&ay, MAX (0.0, lo - 0.02), MIN (1.0, hi + 0.02), 5, TRUE);
  double fs = st->font_size;
  double left = body.x + tg_line_height (st, 1.0) + tg_axis_labels_width (cr, st, &ay) + 8;
  double bottom = body.y + body.h - 2.6 * tg_line_height (st, 1.0);
  TgRect plot = { left, body.y + 0.5 * fs, body.x + body.w - left - 0.8 * fs, 0 };
  plot.h = bottom - plot.y;
  tg_axis_place (&ax, plot.x, plot.x + plot.w);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, "test accuracy", body.x, TRUE);
  tg_axis_draw_x (cr, st, &ax, plot, "rotation of the test set (degrees, counter-clockwise)",
                  TRUE, TRUE);

  cairo_save (cr);
  cairo_rectangle (cr, plot.x - 10, plot.y - 10, plot.w + 20, plot.h + 20);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.8);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint m = 0; m < nm; m++)
    {
      TgRgba c = tg_series (st, m);
      tg_set_rgba (cr, c);
      draw_curve (cr, &ax, &ay, d->angles, d->acc + (size_t) m * d->n_angles, d->n_angles,
                  FALSE);
      if (hard_differs (d, m))
        {
          tg_set_rgba_a (cr, c, 0.8);
          draw_curve (cr, &ax, &ay, d->angles, d->acc_hard + (size_t) m * d->n_angles,
                      d->n_angles, TRUE);
        }
    }
  draw_training_angles (cr, st, d, nm, &ax, &ay, plot);
  cairo_restore (cr);
}
