/* tg-plot-private.h — what the renderers share: text, the frame (title, legend, caption),
 * the one axis helper that maps data to the page, colour maps.
 *
 * Not public API: the window and the CLI only see tg-plot.h. */
#pragma once

#include "tg-plot.h"

G_BEGIN_DECLS

typedef struct { double x, y, w, h; } TgRect;

/* ---- text (cairo toy API, style->font_family) ---- */

/* size is relative to style->font_size (1.0 = base). ha: 0 left, 0.5 centre, 1 right;
 * va: 0 top, 0.5 middle, 1 bottom of the line box (ascent + descent). */
void   tg_text        (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold,
                       const char *s, double x, double y, double ha, double va);
/* Same, rotated by angle (radians) about (x, y). */
void   tg_text_rotated (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold,
                        const char *s, double x, double y, double ha, double va, double angle);
double tg_text_width  (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold,
                       const char *s);
double tg_line_height (const TgPlotStyle *st, double size);   /* ~1.25 em */
/* The font size in points of text at relative size `size`: below 1, never under the base
 * size less 1 pt. */
double tg_font_points (const TgPlotStyle *st, double size);

/* Splits s at spaces into lines no wider than max_w (a single long word stays whole).
 * Returns a NULL-terminated vector. */
char **tg_text_wrap   (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold,
                       const char *s, double max_w);

/* The first of the NULL-terminated choices (longest first) no wider than max_w, else the
 * last: a title or label with shorter wordings for a small page. */
const char *tg_fit_text (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold,
                         double max_w, const char *const *choices);

/* The longest prefix of s, with an ellipsis, no wider than max_w (s itself when it fits);
 * NULL when not even "…" fits. Newly allocated. */
char       *tg_text_shorten (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold,
                             const char *s, double max_w);

/* ---- colours ---- */

void   tg_set_rgba    (cairo_t *cr, TgRgba c);
void   tg_set_rgba_a  (cairo_t *cr, TgRgba c, double alpha_scale);
TgRgba tg_rgba_mix    (TgRgba a, TgRgba b, double t);          /* (1-t) a + t b */
TgRgba tg_series      (const TgPlotStyle *st, guint i);
/* Diverging blue - neutral - red over t in [-1, 1]; NAN gives the muted colour. */
TgRgba tg_cmap_diverging (const TgPlotStyle *st, double t);
/* Viridis-like over t in [0, 1]; NAN gives the muted colour. */
TgRgba tg_cmap_sequential (const TgPlotStyle *st, double t);
/* Foreground or background, whichever reads better on c. */
TgRgba tg_contrast_on (const TgPlotStyle *st, TgRgba c);

/* ---- the axis: the one place data is mapped to the page ---- */

#define TG_AXIS_MAX_TICKS 16

typedef struct {
  double lo, hi;          /* data range */
  double p_lo, p_hi;      /* page coordinates of lo and hi (y axes: p_lo > p_hi) */
  double ticks[TG_AXIS_MAX_TICKS];
  guint  n_ticks;
  int    decimals;        /* for tick labels */
} TgAxis;

/* Range [lo, hi] with "nice" ticks (1, 2, 2.5, 5 x 10^k), about `target` of them.
 * extend: widen the range to whole ticks. Handles lo == hi and non-finite input. */
void   tg_axis_init   (TgAxis *ax, double lo, double hi, guint target, gboolean extend);
void   tg_axis_place  (TgAxis *ax, double p_lo, double p_hi);
double tg_axis_map    (const TgAxis *ax, double v);
double tg_axis_unmap  (const TgAxis *ax, double p);
double tg_axis_map_clamped (const TgAxis *ax, double v);
void   tg_axis_label  (const TgAxis *ax, double v, char *buf, gsize n);
double tg_axis_labels_width (cairo_t *cr, const TgPlotStyle *st, const TgAxis *ax);

/* Gridlines + tick labels for a vertical axis on the left of `plot`, and its title rotated
 * at x = title_x. */
void   tg_axis_draw_y (cairo_t *cr, const TgPlotStyle *st, const TgAxis *ay, TgRect plot,
                       const char *title, double title_x, gboolean grid);
/* Lines the y-axis title takes when wrapped to an axis `length` long (0 without a title). */
guint  tg_axis_title_lines (cairo_t *cr, const TgPlotStyle *st, const char *title,
                            double length);
/* What every stroke width is multiplied by: the style's line width, following the font size. */
double tg_line_scale (const TgPlotStyle *st);

/* Tick labels under `plot` (and optional vertical gridlines); title under them, if any.
 * Returns the y just below what was drawn. */
double tg_axis_draw_x (cairo_t *cr, const TgPlotStyle *st, const TgAxis *ax, TgRect plot,
                       const char *title, gboolean grid, gboolean labels);

/* An axis title under a panel that spans [lo, hi] beside others: the first of choices
 * (longest first, NULL-terminated) no wider than the span, shortened with an ellipsis if even
 * the last is not, centred on x but kept inside the span; its top at y. */
void   tg_axis_title_in_span (cairo_t *cr, const TgPlotStyle *st, double size,
                              const char *const *choices, double x, double lo, double hi,
                              double y);

/* ---- the frame every figure shares ---- */

typedef enum {
  TG_LEGEND_BOX,
  TG_LEGEND_LINE,
  TG_LEGEND_DASHED,
  TG_LEGEND_FAINT_LINE,
  TG_LEGEND_TICK,
  TG_LEGEND_DIAMOND,
} TgLegendKind;

typedef struct {
  TgLegendKind kind;
  TgRgba       color;
  const char  *label;
} TgLegendItem;

/* Fills the background (if the style asks), draws the title, an optional subtitle, the legend
 * in rows under them, and the wrapped caption at the bottom. Returns the rectangle left for
 * the figure's body. */
TgRect tg_frame (cairo_t *cr, double width, double height, const TgPlotStyle *st,
                 const char *title, const char *subtitle, const char *caption,
                 const TgLegendItem *items, guint n_items);

/* The body rectangle tg_frame would return, without drawing (for hit tests). */
TgRect tg_frame_layout (double width, double height, const TgPlotStyle *st,
                        const char *title, const char *subtitle, const char *caption,
                        const TgLegendItem *items, guint n_items);

/* The same, measuring text as it is drawn on like's surface (its font options and scale). */
TgRect tg_frame_layout_like (cairo_t *like, double width, double height, const TgPlotStyle *st,
                             const char *title, const char *subtitle, const char *caption,
                             const TgLegendItem *items, guint n_items);

/* A cols x rows grid of colours (row-major) painted into r as an image with nearest-neighbour
 * filtering: no seams between cells on screen or in a PDF viewer. */
void   tg_paint_cells (cairo_t *cr, TgRect r, guint cols, guint rows, const TgRgba *colors);

/* Every how many cells (1, 2, 4, 8...) a label goes, so labels `need` wide do not touch
 * when cells are `spacing` apart. */
guint  tg_label_step (double spacing, double need);

/* A "nice" number >= v (1, 2, 2.5, 5 x 10^k). */
double tg_nice_ceil (double v);

void   tg_legend_swatch (cairo_t *cr, const TgPlotStyle *st, const TgLegendItem *it,
                         double x, double y_mid, double w);

void   tg_diamond (cairo_t *cr, double x, double y, double r);

/* An ablation mark (TG_PLOT_MARK_*) centred at (cx, cy) with radius r: a cross for a silenced
 * unit, a dot for one forced on, each over a background halo that shows on any colour. */
void   tg_draw_unit_mark (cairo_t *cr, const TgPlotStyle *st, guint8 mark, double cx,
                          double cy, double r);

/* Vertical colour bar in `bar` (low at the bottom) with ticks at the given values. */
typedef TgRgba (*TgValueColor) (const TgPlotStyle *st, double v, gconstpointer user);
void   tg_colorbar_vertical (cairo_t *cr, const TgPlotStyle *st, TgRect bar, double lo,
                             double hi, const double *ticks, guint n_ticks, int decimals,
                             TgValueColor color, gconstpointer user);

gboolean tg_finite (double v);

/* ---- does the figure fit its page (tg-plot-fit.c) ---- */

typedef struct _TgFitLog TgFitLog;
/* From now on the text drawn on cr is noted, on the page cr's present matrix draws on. */
TgFitLog *tg_fit_log_attach (cairo_t *cr);
void      tg_fit_log_free   (TgFitLog *log);
/* tg_text_rotated's part: the box (x, y, w, h) in cr's user space holds text. */
void      tg_fit_note       (cairo_t *cr, double x, double y, double w, double h,
                             const char *text);
/* The first fault of the text noted (a box off the width x height page, two boxes that
 * overlap) in a sentence; NULL when it fits. Newly allocated. */
char     *tg_fit_log_fault  (const TgFitLog *log, double width, double height);
/* The first fault of the figure drawn at width x height on a PDF surface that writes
 * nowhere; NULL when it fits. Newly allocated. */
char     *tg_plot_fit_fault (double width, double height, TgPlotFunc func,
                             gconstpointer data, const TgPlotStyle *style);
/* The smallest size, in whole hundredths of an inch, at which the figure fits: the same
 * width and a taller page when one up to 6 times as tall does, else both grown together up
 * to 8 times; FALSE when none does. */
gboolean  tg_plot_min_size  (double width, double height, TgPlotFunc func,
                             gconstpointer data, const TgPlotStyle *style,
                             double *min_width, double *min_height);

/* A scratch context for measuring text outside a draw (hit tests). Destroy with cairo_destroy. */
cairo_t *tg_scratch_context (void);

G_END_DECLS
