/* tg-plot.h — pure Cairo renderers, one function per figure.
 *
 * Every figure is tg_plot_x (cairo_t *cr, double width, double height, const TgXData *data,
 * const TgPlotStyle *style): no widgets, no global state. The window calls them with colours
 * from its theme; export calls them on a PDF, SVG or PNG surface; the CLI on a PDF surface.
 * Every figure draws its own title, axes, labels, legend and caption. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct { double r, g, b, a; } TgRgba;

typedef struct {
  TgRgba      background, foreground, grid, muted;
  TgRgba      series[8];        /* categorical, Okabe-Ito */
  const char *font_family;      /* "Sans" */
  double      font_size;        /* base size in user units (points on PDF) */
  gboolean    draw_background;  /* FALSE lets a widget's own background show */
} TgPlotStyle;

void tg_plot_style_init_light (TgPlotStyle *style);
void tg_plot_style_init_dark  (TgPlotStyle *style);

/* Figure 1: grouped bars, one group per method, one bar per series (0 deg, 45 deg), with
 * +- std error bars; optional reference markers (the paper's means) drawn beside ours. */
typedef struct {
  guint        n_groups;        /* methods */
  const char **group_labels;    /* n_groups */
  guint        n_series;        /* 2: acc 0 deg, acc 45 deg */
  const char **series_labels;   /* n_series */
  const double *mean;           /* n_groups * n_series, group-major */
  const double *err;            /* same layout, std; may be NULL */
  const double *ref;            /* same layout, the paper's means, NAN where none; may be NULL */
  const char  *ref_label;       /* legend text for ref, e.g. "paper" */
  const char  *title;
  const char  *y_label;
  const char  *caption;
  double       y_min, y_max;    /* axis range; y_min >= y_max: chosen from the data */
} TgBarsData;

void tg_plot_bars (cairo_t *cr, double width, double height, const TgBarsData *data,
                   const TgPlotStyle *style);

typedef void (*TgPlotFunc) (cairo_t *cr, double width, double height, gconstpointer data,
                            const TgPlotStyle *style);

/* Draws one figure into a file; the format comes from the extension (.pdf, .svg, .png).
 * width and height in points (PDF, SVG) or pixels (PNG). Atomic: written beside, renamed. */
gboolean tg_plot_export (const char *path, double width, double height, TgPlotFunc func,
                         gconstpointer data, const TgPlotStyle *style, GError **error);

G_END_DECLS
