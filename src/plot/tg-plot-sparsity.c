/* SPDX-License-Identifier: MIT */
/* tg-plot-sparsity.c — the accuracy / sparsity / speed frontier of a lambda-s sweep: target
 * accuracy with hard gates against the fraction of hidden units on, one point per setting
 * (+- std over seeds, both ways), one line per s through its lambdas, each point labelled
 * with its measured batch-1 speedup; beside it, the soft - hard accuracy gap against s, one
 * line per lambda. */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

#define MAX_VALUES 16

/* The distinct values of a field over the points, in the order they first appear. */
static guint
distinct (const TgSparsityData *d, gboolean by_s, double *out)
{
  guint n = 0;
  for (guint i = 0; i < d->n_points; i++)
    {
      double v = by_s ? d->points[i].sharpness : d->points[i].lambda;
      gboolean seen = FALSE;
      for (guint k = 0; k < n && !seen; k++)
        seen = out[k] == v;
      if (!seen && n < MAX_VALUES)
        out[n++] = v;
    }
  return n;
}

static guint
index_of (const double *v, guint n, double x)
{
  for (guint k = 0; k < n; k++)
    if (v[k] == x)
      return k;
  return 0;
}

static void
error_bar (cairo_t *cr, double x0, double y0, double x1, double y1, double cap, gboolean vert)
{
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  if (vert)
    {
      cairo_move_to (cr, x0 - cap, y0);
      cairo_line_to (cr, x0 + cap, y0);
      cairo_move_to (cr, x1 - cap, y1);
      cairo_line_to (cr, x1 + cap, y1);
    }
  else
    {
      cairo_move_to (cr, x0, y0 - cap);
      cairo_line_to (cr, x0, y0 + cap);
      cairo_move_to (cr, x1, y1 - cap);
      cairo_line_to (cr, x1, y1 + cap);
    }
  cairo_stroke (cr);
}

/* Labels placed so far in a panel, so that a new one can avoid them. */
typedef struct {
  TgRect placed[64];
  guint  n;
} Labels;

static gboolean
overlaps (const Labels *lb, TgRect r)
{
  for (guint i = 0; i < lb->n; i++)
    {
      const TgRect *q = &lb->placed[i];
      if (r.x < q->x + q->w && q->x < r.x + r.w && r.y < q->y + q->h && q->y < r.y + r.h)
        return TRUE;
    }
  return FALSE;
}

/* Draws text beside (x, y) where it overlaps no label already drawn and stays inside plot:
 * right above, right below, left above, left below; leaves it out if none is free. */
static void
place_label (cairo_t *cr, const TgPlotStyle *st, Labels *lb, TgRect plot, const char *text,
             double x, double y)
{
  double w = tg_text_width (cr, st, 0.7, FALSE, text), h = tg_line_height (st, 0.7);
  const double dx[4] = { 5, 5, -5 - w, -5 - w }, dy[4] = { -h - 1, 1, -h - 1, 1 };
  for (guint k = 0; k < 4 && lb->n < G_N_ELEMENTS (lb->placed); k++)
    {
      TgRect r = { x + dx[k], y + dy[k], w, h };
      if (r.x < plot.x || r.x + r.w > plot.x + plot.w || r.y < plot.y ||
          r.y + r.h > plot.y + plot.h || overlaps (lb, r))
        continue;
      lb->placed[lb->n++] = r;
      tg_set_rgba (cr, st->foreground);
      tg_text (cr, st, 0.7, FALSE, text, r.x, r.y, 0.0, 0.0);
      return;
    }
}

/* The width a y-axis title takes, wrapped to an axis `length` long. */
static double
y_title_room (cairo_t *cr, const TgPlotStyle *st, const char *title, double length)
{
  return MAX (tg_axis_title_lines (cr, st, title, length), 1u) * tg_line_height (st, 0.95);
}

/* The axes of the frontier panel, from the points and their error bars; returns the plot
 * rectangle inside r. */
static TgRect
frontier_axes (cairo_t *cr, const TgPlotStyle *st, const TgSparsityData *d, TgRect r,
               TgAxis *ax_out, TgAxis *ay_out)
{
  double xlo = G_MAXDOUBLE, xhi = -G_MAXDOUBLE, ylo = G_MAXDOUBLE, yhi = -G_MAXDOUBLE;
  for (guint i = 0; i < d->n_points; i++)
    {
      const TgSparsityPoint *p = &d->points[i];
      if (!tg_finite (p->on_frac) || !tg_finite (p->acc))
        continue;
      xlo = MIN (xlo, p->on_frac - p->on_frac_std);
      xhi = MAX (xhi, p->on_frac + p->on_frac_std);
      ylo = MIN (ylo, p->acc - p->acc_std);
      yhi = MAX (yhi, p->acc + p->acc_std);
    }
  if (d->current != NULL && tg_finite (d->current->on_frac) && tg_finite (d->current->acc))
    {
      xlo = MIN (xlo, d->current->on_frac);
      xhi = MAX (xhi, d->current->on_frac);
      ylo = MIN (ylo, d->current->acc);
      yhi = MAX (yhi, d->current->acc);
    }
  double xs = MAX (xhi - xlo, 0.02), ys = MAX (yhi - ylo, 0.01);
  TgAxis ax, ay;
  tg_axis_init (&ax, MAX (0.0, xlo - 0.12 * xs), MIN (1.0, xhi + 0.08 * xs), 5, TRUE);
  tg_axis_init (&ay, ylo - 0.1 * ys, MIN (1.0, yhi + 0.15 * ys), 5, TRUE);
  const char *y_title = d->acc_label ? d->acc_label : "target accuracy, hard gates";
  double xaxis_h = tg_line_height (st, 0.85) + tg_line_height (st, 0.95) + 6;
  double left = r.x + y_title_room (cr, st, y_title, r.h - xaxis_h - 4)
                + tg_axis_labels_width (cr, st, &ay) + 8;
  /* the last x tick label is centred on the plot's right edge: room for its half */
  char last[64];
  tg_axis_label (&ax, ax.ticks[MAX (ax.n_ticks, 1u) - 1], last, sizeof last);
  double right = MAX (6.0, tg_text_width (cr, st, 0.85, FALSE, last) / 2 + 2);
  TgRect plot = { left, r.y + 4, r.x + r.w - left - right, r.h - xaxis_h - 4 };
  /* and the first starts right of the corner, clear of the lowest y tick label */
  char first[64];
  tg_axis_label (&ax, ax.ticks[0], first, sizeof first);
  tg_axis_place (&ax, plot.x + tg_text_width (cr, st, 0.85, FALSE, first) / 2 + 1,
                 plot.x + plot.w);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, y_title, r.x, TRUE);
  const char *const x_titles[] = { "fraction of hidden units on, 1[z > τ]",
                                   "fraction of units on", "units on", NULL };
  tg_axis_draw_x (cr, st, &ax, plot, tg_fit_text (cr, st, 0.95, FALSE, r.w, x_titles), TRUE,
                  TRUE);
  *ax_out = ax;
  *ay_out = ay;
  return plot;
}

static gboolean
has_current (const TgSparsityData *d)
{
  return d != NULL && d->current != NULL && tg_finite (d->current->on_frac) &&
         tg_finite (d->current->acc);
}

/* The run being trained: a hollow diamond in the foreground colour, labelled with its
 * measured speedup when it has one. */
static void
draw_current (cairo_t *cr, const TgPlotStyle *st, const TgSparsityData *d, const TgAxis *ax,
              const TgAxis *ay, Labels *lb, TgRect plot)
{
  if (!has_current (d))
    return;
  double x = tg_axis_map (ax, d->current->on_frac), y = tg_axis_map (ay, d->current->acc);
  double r = 5.5;
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 1.6);
  cairo_move_to (cr, x, y - r);
  cairo_line_to (cr, x + r, y);
  cairo_line_to (cr, x, y + r);
  cairo_line_to (cr, x - r, y);
  cairo_close_path (cr);
  cairo_stroke (cr);
  if (tg_finite (d->current->speedup))
    {
      char label[48];
      g_snprintf (label, sizeof label, "now · %.1f×", d->current->speedup);
      place_label (cr, st, lb, plot, label, x + 2, y);
    }
}

/* Left panel: accuracy against the fraction of units on. */
static void
draw_frontier (cairo_t *cr, const TgPlotStyle *st, const TgSparsityData *d, TgRect r,
               const double *svals, guint ns)
{
  TgAxis ax, ay;
  TgRect plot = frontier_axes (cr, st, d, r, &ax, &ay);
  Labels lb = { .n = 0 };
  cairo_save (cr);
  cairo_rectangle (cr, plot.x, plot.y, plot.w, plot.h);
  cairo_clip (cr);
  for (guint k = 0; k < ns; k++)
    {
      TgRgba c = tg_series (st, k);
      tg_set_rgba_a (cr, c, 0.6);
      cairo_set_line_width (cr, 1.2);
      gboolean started = FALSE;
      for (guint i = 0; i < d->n_points; i++)
        {
          const TgSparsityPoint *p = &d->points[i];
          if (p->sharpness != svals[k] || !tg_finite (p->on_frac) || !tg_finite (p->acc))
            continue;
          double x = tg_axis_map (&ax, p->on_frac), y = tg_axis_map (&ay, p->acc);
          if (started)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          started = TRUE;
        }
      cairo_stroke (cr);
    }
  for (guint i = 0; i < d->n_points; i++)
    {
      const TgSparsityPoint *p = &d->points[i];
      if (!tg_finite (p->on_frac) || !tg_finite (p->acc))
        continue;
      TgRgba c = tg_series (st, index_of (svals, ns, p->sharpness));
      double x = tg_axis_map (&ax, p->on_frac), y = tg_axis_map (&ay, p->acc);
      tg_set_rgba (cr, c);
      cairo_set_line_width (cr, 0.9);
      if (p->acc_std > 0)
        error_bar (cr, x, tg_axis_map (&ay, p->acc - p->acc_std), x,
                   tg_axis_map (&ay, p->acc + p->acc_std), 2.5, TRUE);
      if (p->on_frac_std > 0)
        error_bar (cr, tg_axis_map (&ax, p->on_frac - p->on_frac_std), y,
                   tg_axis_map (&ax, p->on_frac + p->on_frac_std), y, 2.5, FALSE);
      cairo_arc (cr, x, y, 3.2, 0, 2 * G_PI);
      cairo_fill (cr);
      /* the points themselves are obstacles for the labels */
      if (lb.n < G_N_ELEMENTS (lb.placed))
        lb.placed[lb.n++] = (TgRect) { x - 3.2, y - 3.2, 6.4, 6.4 };
    }
  for (guint i = 0; i < d->n_points; i++)
    {
      const TgSparsityPoint *p = &d->points[i];
      if (!tg_finite (p->on_frac) || !tg_finite (p->acc))
        continue;
      double x = tg_axis_map (&ax, p->on_frac), y = tg_axis_map (&ay, p->acc);
      char label[64];
      if (tg_finite (p->speedup))
        g_snprintf (label, sizeof label, "λ %g · %.1f×", p->lambda, p->speedup);
      else
        g_snprintf (label, sizeof label, "λ %g", p->lambda);
      place_label (cr, st, &lb, plot, label, x, y);
    }
  draw_current (cr, st, d, &ax, &ay, &lb, plot);
  cairo_restore (cr);
}

/* The x axis of the gap panel: ticks at the sharpness values swept, on a log scale. */
static void
draw_s_axis (cairo_t *cr, const TgPlotStyle *st, const TgAxis *ax, TgRect plot,
             const double *svals, guint ns, double title_w)
{
  const char *const titles[] = { "gate sharpness s (log scale)", "sharpness s (log)", "s (log)",
                                 NULL };
  TgAxis ticks = *ax;
  ticks.n_ticks = MIN (ns, (guint) TG_AXIS_MAX_TICKS);
  for (guint k = 0; k < ticks.n_ticks; k++)
    ticks.ticks[k] = log10 (svals[k]);
  tg_axis_draw_x (cr, st, &ticks, plot, NULL, TRUE, FALSE);
  tg_set_rgba (cr, st->foreground);
  /* from the smallest s up; a label that would touch one already drawn is left out */
  g_autofree guint *order = g_new (guint, MAX (ticks.n_ticks, 1u));
  for (guint k = 0; k < ticks.n_ticks; k++)
    order[k] = k;
  for (guint k = 1; k < ticks.n_ticks; k++)
    for (guint j = k; j > 0 && svals[order[j]] < svals[order[j - 1]]; j--)
      {
        guint t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  double prev_right = -G_MAXDOUBLE;
  for (guint o = 0; o < ticks.n_ticks; o++)
    {
      guint k = order[o];
      char buf[32];
      g_snprintf (buf, sizeof buf, "%g", svals[k]);
      double x = tg_axis_map (ax, ticks.ticks[k]), w = tg_text_width (cr, st, 0.85, FALSE, buf);
      if (x - w / 2 < prev_right + 3)
        continue;
      tg_text (cr, st, 0.85, FALSE, buf, x, plot.y + plot.h + 4, 0.5, 0.0);
      prev_right = x + w / 2;
    }
  tg_text (cr, st, 0.95, FALSE, tg_fit_text (cr, st, 0.95, FALSE, title_w, titles),
           plot.x + plot.w / 2,
           plot.y + plot.h + 4 + tg_line_height (st, 0.85), 0.5, 0.0);
}

/* Right panel: soft - hard accuracy gap against s (log scale), one line per lambda. */
static void
draw_gap (cairo_t *cr, const TgPlotStyle *st, const TgSparsityData *d, TgRect r,
          const double *svals, guint ns, const double *lvals, guint nl)
{
  double slo = G_MAXDOUBLE, shi = -G_MAXDOUBLE, glo = 0.0, ghi = 0.0;
  for (guint i = 0; i < d->n_points; i++)
    {
      const TgSparsityPoint *p = &d->points[i];
      if (!tg_finite (p->gap) || !(p->sharpness > 0))
        continue;
      slo = MIN (slo, log10 (p->sharpness));
      shi = MAX (shi, log10 (p->sharpness));
      glo = MIN (glo, 100 * (p->gap - p->gap_std));
      ghi = MAX (ghi, 100 * (p->gap + p->gap_std));
    }
  if (shi < slo)
    slo = 0, shi = 1;
  double pad = MAX (shi - slo, 0.5) * 0.12;
  TgAxis ax, ay;
  tg_axis_init (&ax, slo - pad, shi + pad, 4, FALSE);
  tg_axis_init (&ay, glo, MAX (ghi, glo + 0.1) * 1.1, 5, TRUE);
  const char *y_title = "soft − hard accuracy, target (points)";
  double xaxis_h = tg_line_height (st, 0.85) + tg_line_height (st, 0.95) + 6;
  double left = r.x + y_title_room (cr, st, y_title, r.h - xaxis_h - 4)
                + tg_axis_labels_width (cr, st, &ay) + 8;
  double label_w = tg_text_width (cr, st, 0.7, FALSE, "λ 0.0003") + 6;
  TgRect plot = { left, r.y + 4, r.x + r.w - left - label_w, r.h - xaxis_h - 4 };
  tg_axis_place (&ax, plot.x, plot.x + plot.w);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  tg_axis_draw_y (cr, st, &ay, plot, y_title, r.x, TRUE);
  draw_s_axis (cr, st, &ax, plot, svals, ns, r.w);

  Labels lb = { .n = 0 };
  TgRect label_area = { plot.x, plot.y, plot.w + label_w, plot.h };
  for (guint k = 0; k < nl; k++)
    {
      TgRgba c = tg_cmap_sequential (st, nl > 1 ? 0.9 * k / (nl - 1) : 0.5);
      double lx = NAN, ly = NAN;
      tg_set_rgba (cr, c);
      cairo_set_line_width (cr, 1.4);
      gboolean started = FALSE;
      for (guint j = 0; j < ns; j++)
        for (guint i = 0; i < d->n_points; i++)
          {
            const TgSparsityPoint *p = &d->points[i];
            if (p->lambda != lvals[k] || p->sharpness != svals[j] || !tg_finite (p->gap))
              continue;
            lx = tg_axis_map (&ax, log10 (p->sharpness));
            ly = tg_axis_map (&ay, 100 * p->gap);
            if (started)
              cairo_line_to (cr, lx, ly);
            else
              cairo_move_to (cr, lx, ly);
            started = TRUE;
          }
      cairo_stroke (cr);
      for (guint i = 0; i < d->n_points; i++)
        {
          const TgSparsityPoint *p = &d->points[i];
          if (p->lambda != lvals[k] || !tg_finite (p->gap))
            continue;
          cairo_arc (cr, tg_axis_map (&ax, log10 (p->sharpness)), tg_axis_map (&ay, 100 * p->gap),
                     2.4, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      if (tg_finite (lx))
        {
          char buf[32];
          g_snprintf (buf, sizeof buf, "λ %g", lvals[k]);
          place_label (cr, st, &lb, label_area, buf, lx, ly + tg_line_height (st, 0.7) / 2);
        }
    }
}

void
tg_plot_sparsity (cairo_t *cr, double width, double height, const TgSparsityData *d,
                  const TgPlotStyle *st)
{
  double svals[MAX_VALUES], lvals[MAX_VALUES];
  guint ns = d != NULL ? distinct (d, TRUE, svals) : 0;
  guint nl = d != NULL ? distinct (d, FALSE, lvals) : 0;
  TgLegendItem items[MAX_VALUES + 1] = { { 0 } };
  char labels[MAX_VALUES][32];
  for (guint k = 0; k < ns; k++)
    {
      g_snprintf (labels[k], sizeof labels[k], "s = %g", svals[k]);
      items[k] = (TgLegendItem) { TG_LEGEND_LINE, tg_series (st, k), labels[k] };
    }
  guint n_items = ns;
  if (has_current (d))
    items[n_items++] = (TgLegendItem) { TG_LEGEND_DIAMOND, st->foreground,
                                        d->current_label ? d->current_label : "current run" };
  const char *title = d != NULL && d->title ? d->title
                                            : "TauGate: accuracy, sparsity and speed over λ and s";
  TgRect body = tg_frame (cr, width, height, st, title, NULL, d ? d->caption : NULL, items, n_items);
  guint finite = 0;
  for (guint i = 0; d != NULL && i < d->n_points; i++)
    finite += tg_finite (d->points[i].on_frac) && tg_finite (d->points[i].acc);
  if (finite == 0 && !has_current (d))
    {
      tg_plot_no_data (cr, body.x, body.y, body.w, body.h, "no sweep yet", st);
      return;
    }
  double gap = st->font_size * 2.0;
  /* a narrow page gives the gap panel more of its width, so that its s axis reads */
  double share = body.w < 300 ? 0.55 : 0.6;
  TgRect left = { body.x, body.y, (body.w - gap) * share, body.h };
  TgRect right = { body.x + left.w + gap, body.y, body.w - left.w - gap, body.h };
  draw_frontier (cr, st, d, left, svals, ns);
  draw_gap (cr, st, d, right, svals, ns, lvals, nl);
}
