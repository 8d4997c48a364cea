/* SPDX-License-Identifier: MIT */
/* tg-plot-unit.c — the unit inspector as one figure: up to eight panels, in this order,
 * as many as the page holds (the caption names those left out):
 *
 *   receptive field + colour bar, firing rate per digit, histogram of z - tau,
 *   top 9 images, 9 near misses, logit change when silenced,
 *   and, when the data have a run or other modes, tau and gamma over the run and the unit
 *   in each mode (tg-plot-unit-run.c).
 *
 * Pure Cairo; the statistics come from the engine (tg-unit.h), nothing is computed here
 * beyond scaling to the page and the gate's sigmoid drawn over the histogram. */
#include "tg-plot-unit-private.h"

#include <math.h>

/* The panel's title in bold at its top: the longest of the wordings (longest first,
 * NULL-terminated) that fits its width, else the shortest one cut with an ellipsis;
 * returns what is left of r under it. */
TgRect
tg_unit_panel_title (cairo_t *cr, const TgPlotStyle *st, TgRect r, const char *const *titles)
{
  const char *title = tg_fit_text (cr, st, 0.95, TRUE, r.w, titles);
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
  const char *const titles0[] = { "Receptive field (input weights)", "Receptive field",
                                   "Field", NULL };
  const char *const titles1[] = { "Receptive field (strongest inputs, summed)",
                                  "Receptive field (inputs)", "Receptive field", "Field", NULL };
  r = tg_unit_panel_title (cr, st, r, d->layer == 0 ? titles0 : titles1);
  guint npx = d->rows * d->cols;
  if (d->field == NULL || npx == 0)
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no data", st);
      return;
    }
  /* the foot's text starts below the colour bar's lowest tick label */
  double lh = tg_line_height (st, 0.8), foot_y = lh / 2 + 1;
  double foot = foot_y + (d->n_field_inputs > 0 ? 2 * lh : lh);
  double bar_room = st->font_size * 4.5;
  /* the colour bar's top tick label is centred on its top: half a line under the title */
  double head = lh / 2;
  double side = MAX (MIN (r.w - bar_room, r.h - foot - head), 10.0);
  TgRect img = { r.x + (r.w - bar_room - side) / 2, r.y + head, side,
                 side * d->rows / MAX (d->cols, 1) };
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
  const char *const notes[] = { "weights: red excites, blue inhibits",
                                "red excites, blue inhibits", "red +, blue −", NULL };
  const char *note = tg_fit_text (cr, st, 0.8, FALSE, r.w, notes);
  double note_w = tg_text_width (cr, st, 0.8, FALSE, note);
  if (note_w <= r.w)
    tg_text (cr, st, 0.8, FALSE, note,
             CLAMP (img.x + img.w / 2, r.x + note_w / 2, r.x + r.w - note_w / 2),
             img.y + img.h + foot_y, 0.5, 0.0);
  if (d->n_field_inputs > 0 && d->field_inputs && d->field_weights)
    {
      /* as many of the strongest inputs as the width holds */
      for (guint n = MIN (d->n_field_inputs, 6u); n > 0; n--)
        {
          g_autoptr(GString) s = g_string_new ("");
          g_string_append_printf (s, "hidden %u units:", d->layer);
          for (guint i = 0; i < n; i++)
            g_string_append_printf (s, " %u (%+.2f)", d->field_inputs[i], d->field_weights[i]);
          if (tg_text_width (cr, st, 0.8, FALSE, s->str) > r.w)
            continue;
          tg_text (cr, st, 0.8, FALSE, s->str, r.x + r.w / 2, img.y + img.h + foot_y + lh, 0.5,
                   0.0);
          break;
        }
    }
  cairo_restore (cr);
}

/* --- firing rate per digit ------------------------------------------------------------ */

void
tg_unit_class_axis (cairo_t *cr, const TgPlotStyle *st, TgRect plot, guint n, const char *title)
{
  char buf[16];
  double gw = plot.w / n;
  g_snprintf (buf, sizeof buf, "%u", n - 1);
  guint every = tg_label_step (gw, tg_text_width (cr, st, 0.85, FALSE, buf) + 3);
  cairo_save (cr);
  tg_set_rgba (cr, st->foreground);
  for (guint c = 0; c < n; c += every)
    {
      g_snprintf (buf, sizeof buf, "%u", c);
      tg_text (cr, st, 0.85, FALSE, buf, plot.x + (c + 0.5) * gw, plot.y + plot.h + 4, 0.5, 0.0);
    }
  tg_text (cr, st, 0.95, FALSE, title, plot.x + plot.w / 2,
           plot.y + plot.h + 4 + tg_line_height (st, 0.85), 0.5, 0.0);
  cairo_restore (cr);
}

/* The plot rectangle inside r for a y axis ay with a title (a line of room for each line
 * it wraps to), and an x axis of two lines. */
TgRect
tg_unit_plot_area (cairo_t *cr, const TgPlotStyle *st, TgRect r, const TgAxis *ay, const char *y_title,
           double right_pad)
{
  double foot = tg_line_height (st, 0.85) + tg_line_height (st, 0.95) + 6;
  double h = MAX (r.h - foot - 4, 10.0);
  guint lines = MAX (tg_axis_title_lines (cr, st, y_title, h), 1u);
  double left = r.x + lines * tg_line_height (st, 0.95) + tg_axis_labels_width (cr, st, ay) + 8;
  return (TgRect) { left, r.y + 4, MAX (r.x + r.w - right_pad - left, 10.0), h };
}

static void
draw_firing (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  const char *const titles[] = { "Firing rate per digit", "Firing per digit", "Firing", NULL };
  r = tg_unit_panel_title (cr, st, r, titles);
  const double *rates[4] = { d->rate0_soft, d->rate0_hard, d->rate_t_soft, d->rate_t_hard };
  if (d->n_classes == 0 || (!rates[0] && !rates[1] && !rates[2] && !rates[3]))
    {
      tg_plot_no_data (cr, r.x, r.y, r.w, r.h, "no data", st);
      return;
    }
  TgAxis ay;
  tg_axis_init (&ay, 0.0, 1.0, 5, FALSE);
  TgRect plot = tg_unit_plot_area (cr, st, r, &ay, "firing rate", st->font_size * 0.5);
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
  tg_unit_class_axis (cr, st, plot, d->n_classes, "digit");
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
  /* 0.5 only where it does not touch 0 and 1 */
  guint step = plot.h / 2 >= tg_line_height (st, 0.8) ? 1 : 2;
  for (guint k = 0; k < 3; k += step)
    /* "0" sits above the corner, clear of the x axis' last label */
    tg_text (cr, st, 0.8, FALSE, labels[k], plot.x + plot.w + 4,
             plot.y + plot.h - k * 0.5 * plot.h, 0.0, k == 0 ? 1.0 : 0.5);
  if (tg_text_width (cr, st, 0.9, FALSE, "gate") <= plot.h)
    tg_text_rotated (cr, st, 0.9, FALSE, "gate", plot.x + plot.w + st->font_size * 3.0,
                     plot.y + plot.h / 2, 0.5, 0.0, G_PI / 2);
  cairo_restore (cr);
}

static void
draw_histogram (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, TgRect r)
{
  char title[128];
  g_snprintf (title, sizeof title, "z − τ over the %s", d->hist_label ? d->hist_label : "test set");
  const char *const titles[] = { title, "z − τ", NULL };
  r = tg_unit_panel_title (cr, st, r, titles);
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
  TgRect plot = tg_unit_plot_area (cr, st, r, &ay, "examples", st->font_size * 4.2);
  tg_axis_place (&ay, plot.y + plot.h, plot.y);
  /* the first x tick label starts right of the corner, clear of the lowest y label */
  char first[64];
  tg_axis_label (&ax, ax.ticks[0], first, sizeof first);
  tg_axis_place (&ax, plot.x + tg_text_width (cr, st, 0.85, FALSE, first) / 2 + 1,
                 plot.x + plot.w);
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
             const TgUnitImages *im, const char *const *titles, TgRect r)
{
  r = tg_unit_panel_title (cr, st, r, titles);
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
      if (im->labels == NULL)
        continue;
      /* the digit and its margin, the digit alone where that is too wide, else nothing */
      g_snprintf (buf, sizeof buf, "%u · %+.3f", im->labels[k],
                  im->margin ? im->margin[k] : 0.0);
      if (im->margin == NULL || tg_text_width (cr, st, 0.75, FALSE, buf) > cell - 3)
        g_snprintf (buf, sizeof buf, "%u", im->labels[k]);
      if (tg_text_width (cr, st, 0.75, FALSE, buf) > cell - 3)
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
  const char *const titles[] = { "Mean logit change when silenced", "Logit change, silenced",
                                  "Δ logit, silenced", NULL };
  r = tg_unit_panel_title (cr, st, r, titles);
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
  TgRect plot = tg_unit_plot_area (cr, st, r, &ay, "Δ logit", st->font_size * 0.5);
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
  tg_unit_class_axis (cr, st, plot, d->n_classes, "class");
}

/* --- the figure ----------------------------------------------------------------------- */

/* The panels in the order a smaller page keeps them. */
enum { P_FIELD, P_FIRING, P_HIST, P_TOP, P_NEAR, P_EFFECT, P_TRAJECTORY, P_MODES, N_PANELS };

static const char *const panel_names[N_PANELS] = {
  "receptive field", "firing per digit", "z − τ", "top images", "near misses", "logit change",
  "τ and γ over the run", "across modes",
};

/* How many panels the body holds, each at least about 13 x 7 em, and in how many columns:
 * all six (or eight, with τ/γ over the run and the other modes) on a page; fewer, the first
 * ones, on a column-wide figure. Eight in four columns where the width allows,
 * in three on a portrait page. */
static guint
panel_grid (const TgPlotStyle *st, double w, double h, guint n_all, guint *cols)
{
  double fs = st->font_size, gap = fs * 1.6, min_w = fs * 13, min_h = fs * 7;
  guint c = w >= 3 * min_w + 2 * gap ? 3 : w >= 2 * min_w + gap ? 2 : 1;
  guint rows = MAX ((guint) ((h + gap) / (min_h + gap)), 1u);
  /* eight panels in four columns of two, but on a portrait page in three rows of three
   * where they fit: four columns there are tall slivers too narrow for their keys */
  gboolean portrait_fits = h >= w && 3 * rows >= n_all;
  if (n_all > 6 && c == 3 && !portrait_fits && w >= 4 * min_w + 3 * gap)
    c = 4;
  *cols = c;
  return MIN (c * rows, n_all);
}

/* The legend for the panels shown: firing's four series, the histogram's four marks. */
static guint
legend_for (const TgPlotStyle *st, const TgUnitPlotData *d, guint n_panels, char **labels,
            TgLegendItem *items)
{
  guint n = 0;
  TgRgba pale0 = tg_series (st, 0), pale1 = tg_series (st, 1);
  pale0.a *= 0.45;
  pale1.a *= 0.45;
  if (n_panels > P_FIRING)
    {
      const char *l0 = d->label0 ? d->label0 : "0°";
      const char *lt = d->label_target ? d->label_target : "target";
      labels[0] = g_strdup_printf ("%s soft", l0);
      labels[1] = g_strdup_printf ("%s hard", l0);
      labels[2] = g_strdup_printf ("%s soft", lt);
      labels[3] = g_strdup_printf ("%s hard", lt);
      items[n++] = (TgLegendItem) { TG_LEGEND_BOX, pale0, labels[0] };
      items[n++] = (TgLegendItem) { TG_LEGEND_BOX, tg_series (st, 0), labels[1] };
      items[n++] = (TgLegendItem) { TG_LEGEND_BOX, pale1, labels[2] };
      items[n++] = (TgLegendItem) { TG_LEGEND_BOX, tg_series (st, 1), labels[3] };
    }
  if (n_panels > P_HIST)
    {
      items[n++] = (TgLegendItem) { TG_LEGEND_BOX, tg_series (st, 4), "z > τ (on)" };
      items[n++] = (TgLegendItem) { TG_LEGEND_BOX, st->muted, "z ≤ τ (off)" };
      items[n++] = (TgLegendItem) { TG_LEGEND_DASHED, st->foreground, "threshold z = τ" };
      items[n++] = (TgLegendItem) { TG_LEGEND_LINE, tg_series (st, 2),
                                    d->hard || d->ungated ? "gate 1[z > τ]"
                                                          : "gate σ(s (z − τ))" };
    }
  return n;
}

/* The caption, saying which panels a small page leaves out. Newly allocated. */
static char *
caption_for (const TgUnitPlotData *d, guint n_panels, guint n_all)
{
  GString *s = g_string_new (d->caption);
  if (n_panels < n_all)
    {
      g_string_append (s, d->caption != NULL && *d->caption != '\0' ? " Left out at this size: "
                                                                      : "Left out at this size: ");
      for (guint p = n_panels; p < n_all; p++)
        g_string_append_printf (s, "%s%s", panel_names[p], p + 1 < n_all ? ", " : ".");
    }
  return g_string_free (s, FALSE);
}

static void
draw_panel (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d, guint p, TgRect r)
{
  static const char *const top_titles[] = { "Drive it most (digit · z − τ)", "Drive it most",
                                            "Top images", NULL };
  static const char *const near_titles[] = { "Near misses: closest, not firing",
                                             "Near misses", NULL };
  switch (p)
    {
    case P_FIELD: draw_field (cr, st, d, r); break;
    case P_FIRING: draw_firing (cr, st, d, r); break;
    case P_HIST: draw_histogram (cr, st, d, r); break;
    case P_TOP: draw_images (cr, st, d, &d->top, top_titles, r); break;
    case P_NEAR: draw_images (cr, st, d, &d->near, near_titles, r); break;
    case P_EFFECT: draw_effect (cr, st, d, r); break;
    case P_TRAJECTORY: tg_unit_draw_trajectory (cr, st, d, r); break;
    default: tg_unit_draw_modes (cr, st, d, r); break;
    }
}

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
  char *labels[4] = { NULL };
  TgLegendItem items[8];
  /* how many panels fit is judged with the whole legend and caption; the legend and
   * caption of the panels kept are then drawn */
  /* τ/γ over the run and the other modes only when there is a run or another mode to show
   * (the command line's figure of one checkpoint keeps its six panels) */
  guint n_all = d->n_trajectory > 0 || d->n_modes > 0 ? N_PANELS : P_TRAJECTORY;
  guint n_items = legend_for (st, d, n_all, labels, items), cols;
  g_autofree char *full_caption = caption_for (d, n_all, n_all);
  TgRect full = tg_frame_layout (width, height, st, title, subtitle, full_caption, items,
                                 n_items);
  guint n_panels = panel_grid (st, full.w, full.h, n_all, &cols);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_clear_pointer (&labels[i], g_free);
  n_items = legend_for (st, d, n_panels, labels, items);
  g_autofree char *caption = caption_for (d, n_panels, n_all);
  TgRect body = tg_frame (cr, width, height, st, title, subtitle, caption, items, n_items);
  guint rows = (n_panels + cols - 1) / cols;
  double gap = st->font_size * 1.6;
  double cw = (body.w - (cols - 1) * gap) / cols, rh = (body.h - (rows - 1) * gap) / rows;
  for (guint k = 0; k < n_panels; k++)
    draw_panel (cr, st, d, k, (TgRect) { body.x + (k % cols) * (cw + gap),
                                         body.y + (k / cols) * (rh + gap), cw, rh });
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    g_free (labels[i]);
}
