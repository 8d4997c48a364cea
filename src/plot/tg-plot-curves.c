/* SPDX-License-Identifier: MIT */
/* tg-plot-curves.c — training loss (top) and test accuracy on 0 deg / 45 deg (bottom)
 * against the step, several runs overlaid, phases shaded, setting changes marked.
 *
 * The layout is computed by one function so the hover hit test (step_at) agrees with what
 * was drawn. */
#include "tg-plot-private.h"

#include <math.h>
#include <string.h>

#include "tg-plot-curves-private.h"

static const char *
title_of (const TgCurvesData *d)
{
  return d != NULL && d->title != NULL ? d->title : "Training";
}

const char *
tg_curves_x_label (const TgCurvesData *d)
{
  return d != NULL && d->x_label != NULL ? d->x_label : "step";
}

/* Run r's colour: its own when it has one, else by its position. */
TgRgba
tg_curves_run_color (const TgPlotStyle *st, const TgCurvesData *d, guint r)
{
  return d->runs[r].own_color ? tg_series (st, d->runs[r].color) : tg_series (st, r);
}

static guint
legend_items (const TgCurvesData *d, const TgPlotStyle *st, TgLegendItem *items, guint cap)
{
  guint n = 0;
  for (guint r = 0; d != NULL && r < d->n_runs && n + 3 < cap; r++)
    items[n++] = (TgLegendItem) { TG_LEGEND_LINE, tg_curves_run_color (st, d, r),
                                  d->runs[r].name ? d->runs[r].name : "run" };
  if (d != NULL && d->n_runs > 0)
    {
      items[n++] = (TgLegendItem) { TG_LEGEND_LINE, st->muted, "0°" };
      items[n++] = (TgLegendItem) { TG_LEGEND_DASHED, st->muted,
                                    d->target_label ? d->target_label : "45°" };
      if (d->smoothing > 0.0)
        items[n++] = (TgLegendItem) { TG_LEGEND_FAINT_LINE, st->muted, "raw" };
    }
  return n;
}

static void
range_of (const double *v, const double *x, guint n, double *lo, double *hi, gboolean *any)
{
  if (v == NULL || x == NULL)
    return;
  for (guint i = 0; i < n; i++)
    if (isfinite (v[i]) && isfinite (x[i]))
      {
        *lo = MIN (*lo, v[i]);
        *hi = MAX (*hi, v[i]);
        *any = TRUE;
      }
}

static void
layout_free (Layout *L)
{
  g_free (L->marker_row);
  g_free (L->marker_left);
}

/* The ranges of the steps, losses and accuracies (and the phases, when there is data) and
 * the axes over them, not yet placed. */
static void
layout_axes (const TgCurvesData *d, Layout *L)
{
  double xlo = G_MAXDOUBLE, xhi = -G_MAXDOUBLE;
  double llo = G_MAXDOUBLE, lhi = -G_MAXDOUBLE, alo = G_MAXDOUBLE, ahi = -G_MAXDOUBLE;
  gboolean any_x = FALSE;
  for (guint r = 0; d != NULL && r < d->n_runs; r++)
    {
      const TgCurveRun *run = &d->runs[r];
      range_of (run->loss, run->step, run->n_points, &llo, &lhi, &L->any_loss);
      range_of (run->acc0, run->step, run->n_points, &alo, &ahi, &L->any_acc);
      range_of (run->acc_rot, run->step, run->n_points, &alo, &ahi, &L->any_acc);
      range_of (run->step, run->step, run->n_points, &xlo, &xhi, &any_x);
    }
  L->any = L->any_loss || L->any_acc;
  for (guint p = 0; d != NULL && L->any && p < d->n_phases; p++)
    if (isfinite (d->phases[p].start) && isfinite (d->phases[p].end))
      {
        xlo = MIN (xlo, d->phases[p].start);
        xhi = MAX (xhi, d->phases[p].end);
      }
  if (!any_x)
    xlo = 0, xhi = 1;
  if (xhi <= xlo)
    xhi = xlo + 1;

  tg_axis_init (&L->ax, xlo, xhi, 7, FALSE);
  if (L->any_loss)
    tg_axis_init (&L->ay_loss, MIN (0.0, llo), lhi * 1.05, 4, TRUE);
  else
    tg_axis_init (&L->ay_loss, 0.0, 1.0, 4, TRUE);
  if (L->any_acc)
    {
      double span = MAX (ahi - alo, 0.05);
      double a = MAX (0.0, alo - 0.05 * span), b = MIN (1.0, ahi + 0.05 * span);
      tg_axis_init (&L->ay_acc, a, b, 4, TRUE);
      if (L->ay_acc.lo < 0.0 || L->ay_acc.hi > 1.0)
        tg_axis_init (&L->ay_acc, MAX (L->ay_acc.lo, 0.0), MIN (L->ay_acc.hi, 1.0), 4, FALSE);
    }
  else
    tg_axis_init (&L->ay_acc, 0.0, 1.0, 4, TRUE);
}

/* The heights of the strips around the panels: the phase labels above, the x axis below,
 * the gap between the two panels. */
typedef struct {
  double phase_h, xaxis_h, gap;
} Strips;

/* Places the x axis between the y axes' titles and labels on the left and a margin on the
 * right: left and plot_w receive where the panels start and their width. The axis titles
 * wrap when a panel is shorter than they are long; the panel height is estimated here with
 * the most marker rows there can be. */
static void
layout_columns (cairo_t *cr, const TgPlotStyle *st, const Strips *s, Layout *L, double *left,
                double *plot_w)
{
  double fs = st->font_size;
  double ph_min = (L->body.h - s->phase_h - MAX_MARKER_ROWS * tg_line_height (st, 0.8) - 2
                   - s->xaxis_h - s->gap) / 2;
  guint title_lines = MAX (tg_axis_title_lines (cr, st, LOSS_TITLE, ph_min),
                           tg_axis_title_lines (cr, st, ACC_TITLE, ph_min));
  double ylab = tg_line_height (st, 0.95) * MAX (title_lines, 1u);
  *left = L->body.x + ylab + MAX (tg_axis_labels_width (cr, st, &L->ay_loss),
                                   tg_axis_labels_width (cr, st, &L->ay_acc)) + 8;
  double right = L->body.x + L->body.w - fs * 0.8;
  *plot_w = MAX (right - *left, 10.0);
  tg_axis_place (&L->ax, *left, *left + *plot_w);
}

/* Whether marker m's label (over span_l..span_r, its line at x) can go in row, given the
 * later markers' labels already placed. */
static gboolean
marker_row_free (const TgCurvesData *d, const Layout *L, const double *span_l,
                 const double *span_r, const gboolean *placed, guint m, double x, guint row)
{
  for (guint k = m + 1; k < d->n_markers; k++)
    {
      if (!placed[k])
        continue;
      gboolean overlap = span_l[m] < span_r[k] && span_l[k] < span_r[m];
      if (L->marker_row[k] == row && overlap)
        return FALSE;
      /* k's label below this row straddles our line, or ours straddles k's line. */
      double xk = tg_axis_map (&L->ax, d->markers[k].step);
      if (L->marker_row[k] > row && span_l[k] < x && x < span_r[k])
        return FALSE;
      if (L->marker_row[k] < row && span_l[m] < xk && xk < span_r[m])
        return FALSE;
    }
  return TRUE;
}

/* Marker labels go in rows above the top panel, left-aligned just right of their line.
 * A label takes the highest row where it neither runs into a label already there nor
 * sits above another marker's label (its line would cross it), and where no label below
 * it straddles its own line. */
static void
layout_markers (cairo_t *cr, double width, const TgCurvesData *d, const TgPlotStyle *st,
                Layout *L)
{
  double fs = st->font_size;
  guint nm = d != NULL ? d->n_markers : 0;
  L->marker_row = g_new0 (guint, MAX (nm, 1u));
  L->marker_left = g_new0 (gboolean, MAX (nm, 1u));
  g_autofree double *span_l = g_new0 (double, MAX (nm, 1u));
  g_autofree double *span_r = g_new0 (double, MAX (nm, 1u));
  g_autofree gboolean *placed = g_new0 (gboolean, MAX (nm, 1u));
  L->marker_rows = 0;
  /* The latest change gets a label first; an older one that cannot be placed keeps its line
   * but loses its label (a slider dragged step by step would otherwise pile them up). */
  for (guint i = nm; i-- > 0 && L->any;)
    {
      guint m = i;
      L->marker_row[m] = NO_LABEL;
      double step = d->markers[m].step;
      if (!isfinite (step) || step < L->ax.lo || step > L->ax.hi || d->markers[m].label == NULL)
        continue;
      double x = tg_axis_map (&L->ax, step);
      double w = tg_text_width (cr, st, 0.8, FALSE, d->markers[m].label);
      L->marker_left[m] = x + 3 + w > width - fs * 0.5;
      span_l[m] = L->marker_left[m] ? x - 3 - w - 4 : x;
      span_r[m] = L->marker_left[m] ? x : x + 3 + w + 4;
      for (guint row = 0; row < MAX_MARKER_ROWS; row++)
        if (marker_row_free (d, L, span_l, span_r, placed, m, x, row))
          {
            L->marker_row[m] = row;
            placed[m] = TRUE;
            L->marker_rows = MAX (L->marker_rows, row + 1);
            break;
          }
    }
}

/* The two panels, one above the other below the label strips, and the y axes on them. */
static void
layout_panels (const TgPlotStyle *st, const Strips *s, double left, double plot_w, Layout *L)
{
  L->annot_y = L->body.y;
  double top_y = L->body.y + s->phase_h + L->marker_rows * tg_line_height (st, 0.8) + 2;
  double avail = L->body.y + L->body.h - s->xaxis_h - top_y - s->gap;
  double ph = MAX (avail / 2, 10.0);
  L->top = (TgRect) { left, top_y, plot_w, ph };
  L->bottom = (TgRect) { left, top_y + ph + s->gap, plot_w, ph };
  tg_axis_place (&L->ay_loss, L->top.y + L->top.h, L->top.y);
  tg_axis_place (&L->ay_acc, L->bottom.y + L->bottom.h, L->bottom.y);
  L->ax_bottom = L->ax;
}

/* Where everything goes, drawing the frame (title, caption, legend) when draw_frame. */
static void
layout (cairo_t *cr, double width, double height, const TgCurvesData *d,
        const TgPlotStyle *st, gboolean draw_frame, Layout *L)
{
  TgLegendItem items[40];
  guint n_items = legend_items (d, st, items, G_N_ELEMENTS (items));
  double fs = st->font_size;

  memset (L, 0, sizeof *L);
  if (draw_frame)
    L->body = tg_frame (cr, width, height, st, title_of (d), NULL, d ? d->caption : NULL,
                        items, n_items);
  else
    L->body = tg_frame_layout (width, height, st, title_of (d), NULL,
                               d ? d->caption : NULL, items, n_items);
  layout_axes (d, L);
  Strips s = {
    .phase_h = d != NULL && d->n_phases > 0 ? tg_line_height (st, 0.85) : 0.0,
    .xaxis_h = tg_line_height (st, 0.85) + tg_line_height (st, 0.95) + 6,
    .gap = tg_line_height (st, 0.85) + fs * 0.3,
  };
  double left, plot_w;
  layout_columns (cr, st, &s, L, &left, &plot_w);
  layout_markers (cr, width, d, st, L);
  layout_panels (st, &s, left, plot_w, L);
}

/* EMA with the start-up bias removed (as TensorBoard does), over the finite points only. */
static double *
smooth (const double *v, guint n, double a)
{
  double *out = g_new (double, MAX (n, 1u));
  double s = 0.0, w = 0.0;
  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (v[i]))
        {
          out[i] = NAN;
          continue;
        }
      s = a * s + (1.0 - a) * v[i];
      w = a * w + (1.0 - a);
      out[i] = s / w;
    }
  return out;
}

/* Connects the finite points (a NAN means "not measured at this step", not a break). */
static void
polyline (cairo_t *cr, const TgAxis *ax, const TgAxis *ay, const double *x, const double *y,
          guint n)
{
  gboolean started = FALSE;
  guint count = 0;
  double px = 0, py = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (x[i]) || !isfinite (y[i]))
        continue;
      px = tg_axis_map (ax, x[i]);
      py = tg_axis_map (ay, y[i]);
      if (!started)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
      started = TRUE;
      count++;
    }
  if (count == 1)
    {
      /* A single point still shows. */
      cairo_new_path (cr);
      cairo_arc (cr, px, py, 1.8, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static void
draw_series (cairo_t *cr, const TgPlotStyle *st, const Layout *L, const TgAxis *ay,
             const TgRect *panel, const double *x, const double *y, guint n, TgRgba color,
             gboolean dashed, double smoothing)
{
  if (y == NULL || x == NULL || n == 0)
    return;
  double dash[2] = { 5.0, 3.0 };

  cairo_save (cr);
  cairo_rectangle (cr, panel->x, panel->y, panel->w, panel->h);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (dashed)
    cairo_set_dash (cr, dash, 2, 0);
  if (smoothing > 0.0)
    {
      g_autofree double *sm = smooth (y, n, MIN (smoothing, 0.99));
      tg_set_rgba_a (cr, color, 0.25);
      cairo_set_line_width (cr, 1.0 * tg_line_scale (st));
      polyline (cr, &L->ax, ay, x, y, n);
      cairo_stroke (cr);
      tg_set_rgba (cr, color);
      cairo_set_line_width (cr, 1.8 * tg_line_scale (st));
      polyline (cr, &L->ax, ay, x, sm, n);
      cairo_stroke (cr);
    }
  else
    {
      tg_set_rgba (cr, color);
      cairo_set_line_width (cr, 1.6 * tg_line_scale (st));
      polyline (cr, &L->ax, ay, x, y, n);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* The longest prefix of label, with an ellipsis, at most width wide; NULL if none fits. */
static char *
fit_label (cairo_t *cr, const TgPlotStyle *st, const char *label, double width)
{
  glong n = g_utf8_strlen (label, -1);
  for (glong k = n - 1; k >= 1; k--)
    {
      const char *end = g_utf8_offset_to_pointer (label, k);
      g_autofree char *head = g_strndup (label, (gsize) (end - label));
      char *text = g_strconcat (g_strchomp (head), "\u2026", NULL);
      if (tg_text_width (cr, st, 0.85, FALSE, text) <= width)
        return text;
      g_free (text);
    }
  return NULL;
}

static void
shade_phases (cairo_t *cr, const TgPlotStyle *st, const TgCurvesData *d, const Layout *L)
{
  for (guint p = 0; p < d->n_phases; p++)
    {
      const TgPlotPhase *ph = &d->phases[p];
      if (!isfinite (ph->start) || !isfinite (ph->end))
        continue;
      double x0 = tg_axis_map_clamped (&L->ax, ph->start);
      double x1 = tg_axis_map_clamped (&L->ax, ph->end);
      if (x1 - x0 < 0.5)
        continue;
      cairo_save (cr);
      /* Alternate two light tints so neighbouring phases read as separate. */
      tg_set_rgba_a (cr, st->muted, p % 2 == 0 ? 0.07 : 0.15);
      cairo_rectangle (cr, x0, L->top.y, x1 - x0, L->top.h);
      cairo_rectangle (cr, x0, L->bottom.y, x1 - x0, L->bottom.h);
      cairo_fill (cr);
      if (ph->label != NULL)
        {
          double w = tg_text_width (cr, st, 0.85, FALSE, ph->label);
          tg_set_rgba (cr, st->muted);
          if (w <= x1 - x0)
            tg_text (cr, st, 0.85, FALSE, ph->label, (x0 + x1) / 2, L->annot_y, 0.5, 0.0);
          else
            {
              /* Too narrow: shorten the label to what fits its phase ("foundation (c…"),
               * rather than clip it, which leaves the whole text in a PDF under the next
               * phase's label; nothing when not even one letter fits. */
              g_autofree char *shown = fit_label (cr, st, ph->label, x1 - x0 - 2);
              if (shown != NULL)
                tg_text (cr, st, 0.85, FALSE, shown, x0 + 1, L->annot_y, 0.0, 0.0);
            }
        }
      cairo_restore (cr);
    }
}

static void
draw_markers (cairo_t *cr, const TgPlotStyle *st, const TgCurvesData *d, const Layout *L)
{
  double phase_h = d->n_phases > 0 ? tg_line_height (st, 0.85) : 0.0;
  double lh = tg_line_height (st, 0.8);
  double dash[2] = { 2.0, 2.0 };

  for (guint m = 0; m < d->n_markers; m++)
    {
      double s = d->markers[m].step;
      if (!isfinite (s) || s < L->ax.lo || s > L->ax.hi)
        continue;
      double x = tg_axis_map (&L->ax, s);
      cairo_save (cr);
      tg_set_rgba (cr, st->foreground);
      cairo_set_line_width (cr, 0.8 * tg_line_scale (st));
      cairo_set_dash (cr, dash, 2, 0);
      if (L->marker_row[m] == NO_LABEL)
        {
          tg_set_rgba_a (cr, st->foreground, 0.5);
          cairo_move_to (cr, x, L->top.y);
          cairo_line_to (cr, x, L->bottom.y + L->bottom.h);
          cairo_stroke (cr);
          cairo_restore (cr);
          continue;
        }
      double ly = L->annot_y + phase_h + L->marker_row[m] * lh;
      cairo_move_to (cr, x, ly + 1);
      cairo_line_to (cr, x, L->bottom.y + L->bottom.h);
      cairo_stroke (cr);
      if (L->marker_left[m])
        tg_text (cr, st, 0.8, FALSE, d->markers[m].label, x - 3, ly, 1.0, 0.0);
      else
        tg_text (cr, st, 0.8, FALSE, d->markers[m].label, x + 3, ly, 0.0, 0.0);
      cairo_restore (cr);
    }
}

void
tg_plot_curves (cairo_t *cr, double width, double height, const TgCurvesData *d,
                const TgPlotStyle *st)
{
  Layout L;

  layout (cr, width, height, d, st, TRUE, &L);
  if (!L.any)
    {
      tg_plot_no_data (cr, L.body.x, L.body.y, L.body.w, L.body.h, "no data yet", st);
      layout_free (&L);
      return;
    }

  shade_phases (cr, st, d, &L);
  tg_axis_draw_y (cr, st, &L.ay_loss, L.top, LOSS_TITLE, L.body.x, TRUE);
  tg_axis_draw_y (cr, st, &L.ay_acc, L.bottom, ACC_TITLE, L.body.x, TRUE);
  tg_axis_draw_x (cr, st, &L.ax, L.top, NULL, TRUE, FALSE);
  tg_axis_draw_x (cr, st, &L.ax, L.bottom, tg_curves_x_label (d), TRUE, TRUE);

  for (guint r = 0; r < d->n_runs; r++)
    {
      const TgCurveRun *run = &d->runs[r];
      TgRgba c = tg_curves_run_color (st, d, r);
      draw_series (cr, st, &L, &L.ay_loss, &L.top, run->step, run->loss, run->n_points, c,
                   FALSE, d->smoothing);
      /* Accuracy is measured sparsely, so it is not smoothed. */
      draw_series (cr, st, &L, &L.ay_acc, &L.bottom, run->step, run->acc0, run->n_points, c,
                   FALSE, 0.0);
      draw_series (cr, st, &L, &L.ay_acc, &L.bottom, run->step, run->acc_rot, run->n_points, c,
                   TRUE, 0.0);
    }
  if (!L.any_loss)
    tg_plot_no_data (cr, L.top.x, L.top.y, L.top.w, L.top.h, "no loss yet", st);
  if (!L.any_acc)
    tg_plot_no_data (cr, L.bottom.x, L.bottom.y, L.bottom.w, L.bottom.h,
                     "no accuracy yet", st);

  draw_markers (cr, st, d, &L);
  if (d->hover)
    tg_curves_draw_hover (cr, st, d, &L);
  layout_free (&L);
}

double
tg_plot_curves_step_at (double width, double height, const TgCurvesData *data,
                        const TgPlotStyle *style, double x)
{
  Layout L;
  double step = NAN;
  cairo_t *cr = tg_scratch_context ();

  layout (cr, width, height, data, style, FALSE, &L);
  if (L.any && x >= L.top.x && x <= L.top.x + L.top.w)
    step = tg_axis_unmap (&L.ax, x);
  layout_free (&L);
  cairo_destroy (cr);
  return step;
}
