/* SPDX-License-Identifier: MIT */
/* tg-plot-curves-hover.c — the Curves figure's crosshair: at the hovered step, a line
 * across both panels, a dot on each run's curves and a box with each run's values there. */
#include "tg-plot-curves-private.h"

#include <math.h>

/* The last finite value at or before step s. */
static double
value_before (const double *x, const double *y, guint n, double s)
{
  double v = NAN;
  if (x == NULL || y == NULL)
    return NAN;
  for (guint i = 0; i < n && x[i] <= s; i++)
    if (isfinite (y[i]))
      v = y[i];
  return v;
}

/* The crosshair's text: the step, then each run's values at it; colors receives the colour
 * of each line (the foreground for the step). */
static GPtrArray *
hover_lines (const TgPlotStyle *st, const TgCurvesData *d, double s, GArray *colors)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (lines, g_strdup_printf ("%s %.0f", tg_curves_x_label (d), s));
  TgRgba fg = st->foreground;
  g_array_append_val (colors, fg);
  for (guint r = 0; r < d->n_runs; r++)
    {
      const TgCurveRun *run = &d->runs[r];
      double l = value_before (run->step, run->loss, run->n_points, s);
      double a0 = value_before (run->step, run->acc0, run->n_points, s);
      double a_rot = value_before (run->step, run->acc_rot, run->n_points, s);
      GString *str = g_string_new (run->name ? run->name : "run");
      g_string_append (str, ":");
      if (isfinite (l))
        g_string_append_printf (str, "  loss %.3f", l);
      if (isfinite (a0))
        g_string_append_printf (str, "  0° %.3f", a0);
      if (isfinite (a_rot))
        g_string_append_printf (str, "  %s %.3f", d->target_label ? d->target_label : "45°",
                                a_rot);
      g_ptr_array_add (lines, g_string_free (str, FALSE));
      TgRgba c = tg_curves_run_color (st, d, r);
      g_array_append_val (colors, c);
    }
  return lines;
}

static void
dot (cairo_t *cr, double x, double y)
{
  cairo_arc (cr, x, y, 2.5, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* The crosshair at x (step s) and a dot where it meets each curve. */
static void
draw_crosshair (cairo_t *cr, const TgPlotStyle *st, const TgCurvesData *d, const Layout *L,
                double x, double s)
{
  tg_set_rgba_a (cr, st->foreground, 0.7);
  cairo_set_line_width (cr, 0.8 * tg_line_scale (st));
  cairo_move_to (cr, x, L->top.y);
  cairo_line_to (cr, x, L->bottom.y + L->bottom.h);
  cairo_stroke (cr);
  for (guint r = 0; r < d->n_runs; r++)
    {
      const TgCurveRun *run = &d->runs[r];
      double l = value_before (run->step, run->loss, run->n_points, s);
      double a0 = value_before (run->step, run->acc0, run->n_points, s);
      double a_rot = value_before (run->step, run->acc_rot, run->n_points, s);
      tg_set_rgba (cr, tg_curves_run_color (st, d, r));
      if (isfinite (l))
        dot (cr, x, tg_axis_map_clamped (&L->ay_loss, l));
      if (isfinite (a0))
        dot (cr, x, tg_axis_map_clamped (&L->ay_acc, a0));
      if (isfinite (a_rot))
        dot (cr, x, tg_axis_map_clamped (&L->ay_acc, a_rot));
    }
}

/* The box of lines beside the crosshair at x, on its left when it would leave the panel. */
static void
draw_hover_box (cairo_t *cr, const TgPlotStyle *st, const Layout *L, double x,
                const GPtrArray *lines, const GArray *colors)
{
  double lh = tg_line_height (st, 0.85);
  double bw = 0;
  for (guint i = 0; i < lines->len; i++)
    bw = MAX (bw, tg_text_width (cr, st, 0.85, i == 0, g_ptr_array_index (lines, i)));
  bw += 12;
  double bh = lines->len * lh + 8;
  double bx = x + 8;
  if (bx + bw > L->top.x + L->top.w)
    bx = x - 8 - bw;
  bx = MAX (bx, L->top.x);
  double by = L->top.y + 4;
  tg_set_rgba_a (cr, st->background, 0.92);
  cairo_rectangle (cr, bx, by, bw, bh);
  cairo_fill_preserve (cr);
  tg_set_rgba (cr, st->grid);
  cairo_set_line_width (cr, 0.8 * tg_line_scale (st));
  cairo_stroke (cr);
  for (guint i = 0; i < lines->len; i++)
    {
      tg_set_rgba (cr, i == 0 ? st->foreground : g_array_index (colors, TgRgba, i));
      /* Run lines in their colour would be hard to read for yellow; a swatch carries the
       * colour and the text stays in the foreground. */
      if (i > 0)
        {
          cairo_rectangle (cr, bx + 4, by + 4 + i * lh + lh * 0.3, 4, lh * 0.4);
          cairo_fill (cr);
          tg_set_rgba (cr, st->foreground);
        }
      tg_text (cr, st, 0.85, i == 0, g_ptr_array_index (lines, i), bx + (i > 0 ? 11 : 6),
               by + 4 + i * lh, 0.0, 0.0);
    }
}

/* The crosshair at the hovered step with each run's values there. */
void
tg_curves_draw_hover (cairo_t *cr, const TgPlotStyle *st, const TgCurvesData *d, const Layout *L)
{
  double s = d->hover_step;
  if (!isfinite (s) || s < L->ax.lo || s > L->ax.hi)
    return;
  double x = tg_axis_map (&L->ax, s);
  g_autoptr(GArray) colors = g_array_new (FALSE, FALSE, sizeof (TgRgba));
  g_autoptr(GPtrArray) lines = hover_lines (st, d, s, colors);

  cairo_save (cr);
  draw_crosshair (cr, st, d, L, x, s);
  draw_hover_box (cr, st, L, x, lines, colors);
  cairo_restore (cr);
}

