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
  const char  *title;           /* NULL: "Test accuracy" */
  const char  *y_label;
  const char  *caption;
  double       y_min, y_max;    /* axis range; y_min >= y_max: chosen from the data */
} TgBarsData;

/* Group labels that do not fit their group are wrapped at spaces, or rotated 30 degrees when
 * wrapping is not enough. A NAN mean leaves its bar out; all NAN gives "no data yet". */
void tg_plot_bars (cairo_t *cr, double width, double height, const TgBarsData *data,
                   const TgPlotStyle *style);

/* ---- Live views. Plain arrays + counts; every pointer is borrowed for the duration of the
 * call only. NAN marks a value not measured (yet); NULL arrays and zero counts are allowed
 * and give a "no data yet" figure. Per-unit arrays are float, as the engine keeps them. */

/* Training curves: loss (top panel) and test accuracy on 0 deg and 45 deg (bottom panel)
 * against the optimiser step. One colour per run; 0 deg solid, 45 deg dashed. */
typedef struct {
  const char   *name;           /* legend, e.g. "TauGate seed 0" */
  guint         n_points;
  const double *step;           /* n_points, non-decreasing */
  const double *loss;           /* n_points, training loss; NAN where none; may be NULL */
  const double *acc0;           /* n_points, test accuracy 0 deg; NAN where none; may be NULL */
  const double *acc45;          /* n_points, test accuracy 45 deg; NAN where none; may be NULL */
} TgCurveRun;

typedef struct {
  double      start, end;       /* steps */
  const char *label;            /* "foundation", "adaptation" */
} TgPlotPhase;

typedef struct {
  double      step;
  const char *label;            /* what the user changed there: "λ=0.01", "s=20" */
} TgPlotMarker;

typedef struct {
  guint               n_runs;
  const TgCurveRun   *runs;
  guint               n_phases;
  const TgPlotPhase  *phases;
  guint               n_markers;
  const TgPlotMarker *markers;
  double              smoothing;   /* EMA factor 0..0.99 for the loss (bias-corrected); > 0
                                    * draws the raw loss faint behind. Accuracy, measured
                                    * sparsely, is drawn as measured. */
  gboolean            hover;       /* draw a crosshair at hover_step with the values there */
  double              hover_step;
  const char         *title;       /* NULL: "Training" */
  const char         *x_label;     /* NULL: "step" */
  const char         *caption;
} TgCurvesData;

void tg_plot_curves (cairo_t *cr, double width, double height, const TgCurvesData *data,
                     const TgPlotStyle *style);

/* The step under widget x (for the hover crosshair), or NAN outside the plot area. Uses the
 * same layout as tg_plot_curves with the same width, height, data and style. */
double tg_plot_curves_step_at (double width, double height, const TgCurvesData *data,
                               const TgPlotStyle *style, double x);

/* Per-neuron values (tau or gamma of one hidden layer) as a grid of cells with a diverging
 * colour map (blue - neutral - red) centred at `center`. */
typedef struct {
  const char  *label;           /* "τ, hidden 1" */
  guint        n_units;         /* 128 */
  const float *values;          /* n_units; may be NULL */
  double       center;          /* neutral colour: 0 for tau, 1 for gamma */
  double       half_range;      /* saturates at center +- half_range; <= 0: from the data */
  gint         highlight;       /* unit to outline, -1 none */
} TgHeatmapPanel;

typedef struct {
  guint                 n_panels;
  const TgHeatmapPanel *panels;
  guint                 panel_columns;  /* panels per row (e.g. 2 = one per layer); 0: 2 */
  guint                 cell_columns;   /* cells per row inside a panel; 0: 16 (128 = 8 x 16) */
  const char           *title;          /* NULL: "Per-neuron parameters" */
  const char           *caption;
} TgHeatmapData;

void tg_plot_heatmap (cairo_t *cr, double width, double height, const TgHeatmapData *data,
                      const TgPlotStyle *style);

/* Which panel and unit lie under (x, y), same layout as tg_plot_heatmap; FALSE if none. */
gboolean tg_plot_heatmap_hit (double width, double height, const TgHeatmapData *data,
                              const TgPlotStyle *style, double x, double y,
                              guint *panel, guint *unit);

/* Firing rate per class (rows) per unit (columns), 0 deg inputs beside 45 deg inputs, one row
 * of panels per hidden layer; sequential colour map over 0..1. The layout matches
 * tg_firing_by_class: rate[class * row_stride + unit], so a layer of the engine's output is
 * (firing + layer_offset, row_stride = all hidden units). */
typedef struct {
  const char  *label;           /* "hidden 1" */
  guint        n_units;
  guint        row_stride;      /* elements between class rows; 0: n_units */
  const float *rate0;           /* firing on 0 deg inputs; may be NULL */
  const float *rate45;          /* firing on 45 deg inputs; may be NULL */
} TgMasksLayer;

typedef struct {
  guint               n_layers;
  const TgMasksLayer *layers;
  guint               n_classes;     /* 10; 0: 10 */
  double              high_act_frac; /* shown in the subtitle; NAN: not known */
  gboolean            hard_gates;    /* subtitle says "hard gates 1[z > τ]" or "soft gates" */
  const char         *title;         /* NULL: "Firing rate per digit" */
  const char         *caption;
} TgMasksData;

void tg_plot_masks (cairo_t *cr, double width, double height, const TgMasksData *data,
                    const TgPlotStyle *style);

/* Gate-mask overlap between the 0 deg- and 45 deg-specialised TauGate models: Jaccard per
 * hidden layer as bars (paper's values as markers), and per layer a strip of units coloured
 * on-in-both / only 0 deg / only 45 deg / neither, where "on" is mean gate > threshold. */
typedef struct {
  guint        n_layers;
  const char **layer_labels;    /* n_layers, "hidden 1" */
  const double *jaccard;        /* n_layers, NAN where not computed; may be NULL */
  const double *jaccard_err;    /* n_layers std over seeds; may be NULL */
  const double *ref;            /* n_layers, the paper's values; may be NULL */
  const char  *ref_label;       /* "paper" */
  guint        n_units;         /* units per layer */
  const float *gate0;           /* n_layers * n_units mean gates, 0 deg-specialised; may be NULL */
  const float *gate45;          /* same, 45 deg-specialised; may be NULL */
  double       threshold;       /* on when mean gate > threshold (0.9) */
  const char  *title;           /* NULL: "Gate-mask overlap, 0° vs 45°" */
  const char  *caption;
} TgOverlapData;

void tg_plot_overlap (cairo_t *cr, double width, double height, const TgOverlapData *data,
                      const TgPlotStyle *style);

/* Table 1 as a figure: ours and the paper's numbers side by side; NAN shows as "—". */
typedef struct {
  double acc0, acc0_std;        /* NAN: not computed / none */
  double acc45, acc45_std;
  double high_act;
} TgResultsCells;

typedef struct {
  const char     *method;       /* "TauGate" */
  gint64          params;       /* trainable parameters; < 0: not known */
  TgResultsCells  ours;
  TgResultsCells  paper;        /* all NAN when the paper has no such row */
} TgResultsRow;

typedef struct {
  guint               n_rows;
  const TgResultsRow *rows;
  guint               n_seeds;  /* ours, for the caption; 0: not said */
  const char         *title;    /* NULL: "Table 1: mode specialisation, MNIST 0° vs 45°" */
  const char         *caption;
} TgResultsData;

void tg_plot_results_table (cairo_t *cr, double width, double height,
                            const TgResultsData *data, const TgPlotStyle *style);

/* Modes across angles: test accuracy of each mode (Base and every adapter) against the
 * rotation of the test set, one colour per mode, soft gates solid with dots, hard gates
 * dashed where they differ; each adapter's training angle marked by a diamond on its curve
 * and a faint vertical line. */
typedef struct {
  guint         n_modes, n_angles;
  const char  **names;          /* n_modes, the legend */
  const double *target_angles;  /* n_modes, NAN: none (Base); may be NULL */
  const double *angles;         /* n_angles, ascending, degrees */
  const double *acc;            /* (n_modes, n_angles) mode-major, soft gates */
  const double *acc_hard;       /* same layout, hard gates; may be NULL */
  const char   *title;          /* NULL: "Modes across angles" */
  const char   *caption;
} TgModesByAngleData;

void tg_plot_modes_by_angle (cairo_t *cr, double width, double height,
                             const TgModesByAngleData *data, const TgPlotStyle *style);

/* Draws "msg" centred in a dashed box in the muted colour (what every figure shows when it
 * has nothing to plot). */
void tg_plot_no_data (cairo_t *cr, double x, double y, double width, double height,
                      const char *msg, const TgPlotStyle *style);

typedef void (*TgPlotFunc) (cairo_t *cr, double width, double height, gconstpointer data,
                            const TgPlotStyle *style);

/* Draws one figure into a file; the format comes from the extension (.pdf, .svg, .png).
 * width and height in points (PDF, SVG) or pixels (PNG, at most 8192). Atomic: written to a
 * temporary file in the same folder, then renamed over path. style NULL: light. On failure
 * returns FALSE with a TG_ERROR naming path, and leaves no file behind. */
gboolean tg_plot_export (const char *path, double width, double height, TgPlotFunc func,
                         gconstpointer data, const TgPlotStyle *style, GError **error);

G_END_DECLS
