/* SPDX-License-Identifier: MIT */
/* tg-plot-axis.c — the one place data is mapped to the page: nice ticks, mapping, and
 * drawing an axis with its labels thinned and its title wrapped to the room there is. */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

static double
nice_step (double range, guint target)
{
  double raw = range / MAX (target, 1u);
  double mag = pow (10.0, floor (log10 (raw)));
  double f = raw / mag;
  double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
  return nice * mag;
}

void
tg_axis_init (TgAxis *ax, double lo, double hi, guint target, gboolean extend)
{
  memset (ax, 0, sizeof *ax);
  if (!isfinite (lo) || !isfinite (hi))
    {
      lo = 0.0;
      hi = 1.0;
    }
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  if (hi - lo < 1e-12 * MAX (1.0, fabs (lo)))
    {
      double pad = fabs (lo) > 0 ? fabs (lo) * 0.1 : 1.0;
      lo -= pad;
      hi += pad;
    }
  target = CLAMP (target, 2u, TG_AXIS_MAX_TICKS - 2);
  double step = nice_step (hi - lo, target);
  if (extend)
    {
      lo = floor (lo / step + 1e-9) * step;
      hi = ceil (hi / step - 1e-9) * step;
    }
  ax->lo = lo;
  ax->hi = hi;
  double first = ceil (lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9 && ax->n_ticks < TG_AXIS_MAX_TICKS; v += step)
    ax->ticks[ax->n_ticks++] = fabs (v) < step * 1e-9 ? 0.0 : v;
  ax->decimals = step >= 1.0 ? 0 : (int) ceil (-log10 (step) - 1e-9);
  if (fabs (step / pow (10.0, -ax->decimals) - 2.5) < 1e-6 ||
      fabs (step / pow (10.0, -ax->decimals) - 25) < 1e-6)
    ax->decimals++;
  ax->decimals = CLAMP (ax->decimals, 0, 6);
  ax->p_lo = 0.0;
  ax->p_hi = 1.0;
}

void
tg_axis_place (TgAxis *ax, double p_lo, double p_hi)
{
  ax->p_lo = p_lo;
  ax->p_hi = p_hi;
}

double
tg_axis_map (const TgAxis *ax, double v)
{
  return ax->p_lo + (v - ax->lo) / (ax->hi - ax->lo) * (ax->p_hi - ax->p_lo);
}

double
tg_axis_map_clamped (const TgAxis *ax, double v)
{
  return tg_axis_map (ax, CLAMP (v, ax->lo, ax->hi));
}

double
tg_axis_unmap (const TgAxis *ax, double p)
{
  return ax->lo + (p - ax->p_lo) / (ax->p_hi - ax->p_lo) * (ax->hi - ax->lo);
}

void
tg_axis_label (const TgAxis *ax, double v, char *buf, gsize n)
{
  if (ax->decimals == 0 && fabs (v) >= 10000)
    g_snprintf (buf, n, "%.0fk", v / 1000.0);
  else
    g_snprintf (buf, n, "%.*f", ax->decimals, v);
}

double
tg_axis_labels_width (cairo_t *cr, const TgPlotStyle *st, const TgAxis *ax)
{
  double w = 0.0;
  char buf[64];

  for (guint i = 0; i < ax->n_ticks; i++)
    {
      tg_axis_label (ax, ax->ticks[i], buf, sizeof buf);
      w = MAX (w, tg_text_width (cr, st, 0.85, FALSE, buf));
    }
  return w;
}

void
tg_axis_draw_y (cairo_t *cr, const TgPlotStyle *st, const TgAxis *ay, TgRect plot,
                const char *title, double title_x, gboolean grid)
{
  char buf[64];

  double label_h = tg_line_height (st, 0.85);
  double prev_y = G_MAXDOUBLE;

  cairo_save (cr);
  cairo_set_line_width (cr, 0.6 * tg_line_scale (st));
  for (guint i = 0; i < ay->n_ticks; i++)
    {
      double y = tg_axis_map (ay, ay->ticks[i]);
      if (grid)
        {
          tg_set_rgba (cr, st->grid);
          cairo_move_to (cr, plot.x, y);
          cairo_line_to (cr, plot.x + plot.w, y);
          cairo_stroke (cr);
        }
      tg_set_rgba (cr, st->foreground);
      cairo_move_to (cr, plot.x - 3, y);
      cairo_line_to (cr, plot.x, y);
      cairo_stroke (cr);
      /* Thin the labels where the axis is short: skip one that would touch the last. */
      if (fabs (prev_y - y) < label_h)
        continue;
      tg_axis_label (ay, ay->ticks[i], buf, sizeof buf);
      tg_text (cr, st, 0.85, FALSE, buf, plot.x - 5, y, 1.0, 0.5);
      prev_y = y;
    }
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.8 * tg_line_scale (st));
  cairo_move_to (cr, plot.x, plot.y);
  cairo_line_to (cr, plot.x, plot.y + plot.h);
  cairo_stroke (cr);
  if (title != NULL)
    {
      /* Wrapped to the axis' length; tg_axis_title_lines says how many lines to leave. */
      g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.95, FALSE, title, plot.h);
      double lh = tg_line_height (st, 0.95);
      for (guint i = 0; lines[i] != NULL; i++)
        tg_text_rotated (cr, st, 0.95, FALSE, lines[i], title_x + i * lh,
                         plot.y + plot.h / 2, 0.5, 0.0, -G_PI / 2);
    }
  cairo_restore (cr);
}

guint
tg_axis_title_lines (cairo_t *cr, const TgPlotStyle *st, const char *title, double length)
{
  if (title == NULL || *title == '\0')
    return 0;
  g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.95, FALSE, title, length);
  return g_strv_length (lines);
}

double
tg_line_scale (const TgPlotStyle *st)
{
  double w = st->line_width > 0 ? st->line_width : 1.0;
  /* Strokes were designed at 10 pt text; they follow the text a little, so a column figure
   * at 8 pt does not look heavy, and a slide at 16 pt not spidery. */
  return w * sqrt (MAX (st->font_size, 1.0) / 10.0);
}

double
tg_axis_draw_x (cairo_t *cr, const TgPlotStyle *st, const TgAxis *ax, TgRect plot,
                const char *title, gboolean grid, gboolean labels)
{
  char buf[64];
  double bottom = plot.y + plot.h;
  double y = bottom + 4;
  double prev_right = -G_MAXDOUBLE;

  cairo_save (cr);
  cairo_set_line_width (cr, 0.6 * tg_line_scale (st));
  for (guint i = 0; i < ax->n_ticks; i++)
    {
      double x = tg_axis_map (ax, ax->ticks[i]);
      if (grid)
        {
          tg_set_rgba (cr, st->grid);
          cairo_move_to (cr, x, plot.y);
          cairo_line_to (cr, x, bottom);
          cairo_stroke (cr);
        }
      tg_set_rgba (cr, st->foreground);
      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom + 3);
      cairo_stroke (cr);
      if (labels)
        {
          tg_axis_label (ax, ax->ticks[i], buf, sizeof buf);
          double w = tg_text_width (cr, st, 0.85, FALSE, buf);
          /* Skip a label that would run into the previous one, or reach under the y axis's
           * labels (right-aligned 5 pt left of the plot), its lowest centred on this line. */
          if (x - w / 2 > prev_right + 4 && x - w / 2 >= plot.x - 5)
            {
              tg_text (cr, st, 0.85, FALSE, buf, x, y, 0.5, 0.0);
              prev_right = x + w / 2;
            }
        }
    }
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.8 * tg_line_scale (st));
  cairo_move_to (cr, plot.x, bottom);
  cairo_line_to (cr, plot.x + plot.w, bottom);
  cairo_stroke (cr);
  if (labels)
    y += tg_line_height (st, 0.85);
  if (title != NULL)
    {
      /* a title longer than its axis is shortened, never drawn past the figure's edge */
      g_autofree char *shown = tg_text_shorten (cr, st, 0.95, FALSE, title, plot.w);
      if (shown != NULL)
        tg_text (cr, st, 0.95, FALSE, shown, plot.x + plot.w / 2, y, 0.5, 0.0);
      y += tg_line_height (st, 0.95);
    }
  cairo_restore (cr);
  return y;
}

void
tg_axis_title_in_span (cairo_t *cr, const TgPlotStyle *st, double size,
                       const char *const *choices, double x, double lo, double hi, double y)
{
  const char *title = tg_fit_text (cr, st, size, FALSE, hi - lo, choices);
  g_autofree char *shown = tg_text_shorten (cr, st, size, FALSE, title, hi - lo);
  if (shown == NULL)
    return;
  /* centred on x, moved along to stay inside [lo, hi] */
  double w = tg_text_width (cr, st, size, FALSE, shown);
  double left = CLAMP (x - w / 2, lo, MAX (hi - w, lo));
  tg_text (cr, st, size, FALSE, shown, left, y, 0.0, 0.0);
}
