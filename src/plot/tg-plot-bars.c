/* SPDX-License-Identifier: MIT */
/* tg-plot-bars.c — the paper's Figure 1: grouped bars per method, one bar per series
 * (0 deg, 45 deg), +- std error bars, the paper's means as hollow diamonds. */
#include "tg-plot-private.h"

#include <math.h>

static double
value_at (const double *v, guint i)
{
  return v != NULL ? v[i] : NAN;
}

typedef enum { LABELS_FLAT, LABELS_WRAPPED, LABELS_ROTATED } LabelMode;

#define ROTATION (-G_PI / 2)   /* vertical, reading upwards: never collides with a neighbour */

/* The range the means (with their error bars) and the references span. */
static void
bars_range (const TgBarsData *data, guint ng, guint ns, double *lo_out, double *hi_out,
            gboolean *any_out, gboolean *any_ref_out)
{
  gboolean any = FALSE, any_ref = FALSE;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  for (guint g = 0; g < ng && data->mean != NULL; g++)
    for (guint s = 0; s < ns; s++)
      {
        guint k = g * data->n_series + s;
        double m = value_at (data->mean, k), e = value_at (data->err, k);
        double r = value_at (data->ref, k);
        if (isfinite (m))
          {
            any = TRUE;
            double ee = isfinite (e) ? fabs (e) : 0.0;
            lo = MIN (lo, m - ee);
            hi = MAX (hi, m + ee);
          }
        if (isfinite (r))
          {
            any_ref = TRUE;
            lo = MIN (lo, r);
            hi = MAX (hi, r);
          }
      }
  *lo_out = lo;
  *hi_out = hi;
  *any_out = any;
  *any_ref_out = any_ref;
}

/* The y axis: the caller's range, else the data's with a margin, kept within [0, 1] when
 * the data is. */
static void
bars_y_axis (const TgBarsData *data, double lo, double hi, TgAxis *out)
{
  if (data->y_min < data->y_max)
    tg_axis_init (out, data->y_min, data->y_max, 6, FALSE);
  else
    {
      double span = MAX (hi - lo, 0.02);
      double a = lo - 0.25 * span, b = hi + 0.1 * span;
      if (lo >= 0.0)
        a = MAX (a, 0.0);
      if (hi <= 1.0)
        b = MIN (b, 1.0);
      tg_axis_init (out, a, b, 6, TRUE);
      if (lo >= 0.0 && out->lo < 0.0)
        tg_axis_init (out, 0.0, out->hi, 6, FALSE);
      if (hi <= 1.0 && out->hi > 1.0)
        tg_axis_init (out, out->lo, 1.0, 6, FALSE);
    }
}

/* Group labels: flat if they fit, wrapped at spaces if that fits, otherwise rotated. The
 * widest label's width and the most wrapped lines come back for the labels' height. */
static LabelMode
group_label_mode (cairo_t *cr, const TgPlotStyle *st, const TgBarsData *data, guint ng,
                  double gw, double *max_w_out, guint *max_lines_out)
{
  double max_w = 0.0;
  guint max_lines = 1;
  LabelMode mode = LABELS_FLAT;
  for (guint g = 0; g < ng; g++)
    max_w = MAX (max_w, tg_text_width (cr, st, 0.9, FALSE,
                                       data->group_labels ? data->group_labels[g] : ""));
  if (max_w > gw * 0.92)
    {
      mode = LABELS_WRAPPED;
      for (guint g = 0; g < ng && mode == LABELS_WRAPPED; g++)
        {
          g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.9, FALSE,
                                              data->group_labels ? data->group_labels[g] : "",
                                              gw * 0.92);
          guint n = g_strv_length (lines);
          max_lines = MAX (max_lines, n);
          for (guint i = 0; i < n; i++)
            if (tg_text_width (cr, st, 0.9, FALSE, lines[i]) > gw * 0.92)
              mode = LABELS_ROTATED;
          if (n > 3)
            mode = LABELS_ROTATED;
        }
    }
  *max_w_out = max_w;
  *max_lines_out = max_lines;
  return mode;
}

/* The bars, then error bars and reference markers over all of them, so a neighbour never
 * hides them. */
static void
draw_bars (cairo_t *cr, const TgPlotStyle *st, const TgBarsData *data, guint ng, guint ns,
           TgRect plot, double gw, const TgAxis *axis)
{
  const TgAxis ay = *axis;
  double fs = st->font_size;
  double inner = gw * 0.76;
  double bw = inner / ns;
  double base_y = tg_axis_map (&ay, ay.lo);
  cairo_save (cr);
  cairo_rectangle (cr, plot.x, plot.y - 1, plot.w + 1, plot.h + 2);
  cairo_clip (cr);
  for (guint g = 0; g < ng; g++)
    for (guint s = 0; s < ns; s++)
      {
        guint k = g * data->n_series + s;
        double m = value_at (data->mean, k);
        double x = plot.x + g * gw + (gw - inner) / 2 + s * bw;
        if (!isfinite (m))
          continue;
        double y = tg_axis_map_clamped (&ay, m);
        tg_set_rgba (cr, tg_series (st, s));
        cairo_rectangle (cr, x + bw * 0.06, y, bw * 0.88, base_y - y);
        cairo_fill (cr);
      }
  /* Error bars and markers over all bars, so a neighbour never hides them. */
  cairo_set_line_width (cr, 1.1 * tg_line_scale (st));
  for (guint g = 0; g < ng; g++)
    for (guint s = 0; s < ns; s++)
      {
        guint k = g * data->n_series + s;
        double m = value_at (data->mean, k), e = value_at (data->err, k);
        double r = value_at (data->ref, k);
        double cx = plot.x + g * gw + (gw - inner) / 2 + (s + 0.5) * bw;
        if (isfinite (m) && isfinite (e) && e > 0)
          {
            double y0 = tg_axis_map_clamped (&ay, m - fabs (e));
            double y1 = tg_axis_map_clamped (&ay, m + fabs (e));
            double cap = MIN (bw * 0.2, fs * 0.5);
            tg_set_rgba (cr, st->foreground);
            cairo_move_to (cr, cx, y0);
            cairo_line_to (cr, cx, y1);
            cairo_move_to (cr, cx - cap, y0);
            cairo_line_to (cr, cx + cap, y0);
            cairo_move_to (cr, cx - cap, y1);
            cairo_line_to (cr, cx + cap, y1);
            cairo_stroke (cr);
          }
        if (isfinite (r))
          {
            double ry = tg_axis_map_clamped (&ay, r);
            double rr = MIN (fs * 0.42, bw * 0.3);
            tg_diamond (cr, cx, ry, rr);
            tg_set_rgba (cr, st->background);
            cairo_fill_preserve (cr);
            tg_set_rgba (cr, st->foreground);
            cairo_stroke (cr);
          }
      }
  cairo_restore (cr);
}

static void
draw_group_labels (cairo_t *cr, const TgPlotStyle *st, const TgBarsData *data, guint ng,
                   TgRect plot, double gw, LabelMode mode, double lh)
{
  for (guint g = 0; g < ng; g++)
    {
      const char *label = data->group_labels ? data->group_labels[g] : NULL;
      double cx = plot.x + (g + 0.5) * gw;
      double ty = plot.y + plot.h + 4;
      if (label == NULL)
        continue;
      if (mode == LABELS_FLAT)
        tg_text (cr, st, 0.9, FALSE, label, cx, ty, 0.5, 0.0);
      else if (mode == LABELS_WRAPPED)
        {
          g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.9, FALSE, label, gw * 0.92);
          for (guint i = 0; lines[i] != NULL; i++)
            tg_text (cr, st, 0.9, FALSE, lines[i], cx, ty + i * lh, 0.5, 0.0);
        }
      else
        tg_text_rotated (cr, st, 0.9, FALSE, label, cx, ty, 1.0, 0.5, ROTATION);
    }
}

/* Legend: one box per series (ns <= 8), then the reference marker; returns the count. */
static guint
bars_legend (const TgBarsData *data, const TgPlotStyle *st, guint ns, gboolean any_ref,
             TgLegendItem items[9])
{
  guint n_items = 0;
  for (guint s = 0; s < ns; s++)
    items[n_items++] = (TgLegendItem) {
      TG_LEGEND_BOX, tg_series (st, s),
      data->series_labels != NULL && data->series_labels[s] ? data->series_labels[s] : "series"
    };
  if (any_ref)
    items[n_items++] = (TgLegendItem) {
      TG_LEGEND_DIAMOND, st->foreground,
      data->ref_label != NULL ? data->ref_label : "reference"
    };
  return n_items;
}

void
tg_plot_bars (cairo_t *cr, double width, double height, const TgBarsData *data,
              const TgPlotStyle *st)
{
  guint ng = data != NULL ? data->n_groups : 0;
  guint ns = data != NULL ? MIN (data->n_series, 8u) : 0;
  gboolean any = FALSE, any_ref = FALSE;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

  bars_range (data, ng, ns, &lo, &hi, &any, &any_ref);

  TgLegendItem items[9];
  guint n_items = bars_legend (data, st, ns, any_ref, items);

  const char *title = data != NULL && data->title != NULL ? data->title : "Test accuracy";
  TgRect body = tg_frame (cr, width, height, st, title, NULL,
                          data != NULL ? data->caption : NULL, items, n_items);

  if (!any || ng == 0 || ns == 0)
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no data yet", st);
      return;
    }

  TgAxis ay;
  bars_y_axis (data, lo, hi, &ay);

  double fs = st->font_size;
  double lh = tg_line_height (st, 0.9);
  /* The y title wraps if the plot is short; long rotated group labels can leave the plot
   * little more than a third of the body. */
  guint title_lines = tg_axis_title_lines (cr, st, data->y_label, body.h * 0.35);
  double left = body.x + title_lines * tg_line_height (st, 0.95)
                + tg_axis_labels_width (cr, st, &ay) + 8;
  double right = body.x + body.w - fs * 0.5;
  double plot_w = MAX (right - left, 10.0);
  double gw = plot_w / ng;

  /* Group labels: flat if they fit, wrapped at spaces if that fits, otherwise rotated. */
  double max_w = 0.0;
  guint max_lines = 1;
  LabelMode mode = group_label_mode (cr, st, data, ng, gw, &max_w, &max_lines);
  if (mode == LABELS_ROTATED && data->group_labels != NULL && data->group_labels[0] != NULL)
    {
      /* The first label runs down-left from its group: make room for it inside the page. */
      double reach = tg_text_width (cr, st, 0.9, FALSE, data->group_labels[0]) * cos (ROTATION)
                     - fs * 0.3;
      double room = left - body.x + gw / 2;
      if (reach > room)
        {
          left += reach - room;
          plot_w = MAX (right - left, 10.0);
          gw = plot_w / ng;
        }
    }
  double labels_h = mode == LABELS_FLAT ? lh
                    : mode == LABELS_WRAPPED ? lh * max_lines
                    : max_w * sin (-ROTATION) + fs * 0.5;

  double bottom = body.y + body.h - labels_h - 6;
  TgRect plot = { left, body.y + fs * 0.3, plot_w, MAX (bottom - body.y - fs * 0.3, 10.0) };
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, data->y_label, body.x, TRUE);

  draw_bars (cr, st, data, ng, ns, plot, gw, &ay);

  /* Base line and group labels */
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.8 * tg_line_scale (st));
  cairo_move_to (cr, plot.x, plot.y + plot.h);
  cairo_line_to (cr, plot.x + plot.w, plot.y + plot.h);
  cairo_stroke (cr);
  draw_group_labels (cr, st, data, ng, plot, gw, mode, lh);
  cairo_restore (cr);
}
