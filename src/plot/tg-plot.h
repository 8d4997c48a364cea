/* SPDX-License-Identifier: MIT */
/* tg-plot.h — pure Cairo renderers, one function per figure.
 *
 * Every figure is tg_plot_x (cairo_t *cr, double width, double height, const TgXData *data,
 * const TgPlotStyle *style): no widgets, no global state. The window calls them with colours
 * from its theme; export calls them on a PDF, SVG or PNG surface; the CLI on a PDF surface.
 * Every figure draws its own title, axes, labels, legend and caption. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "tg-experiment.h" /* TgExperimentResults, for Figure 1 */

G_BEGIN_DECLS

typedef struct { double r, g, b, a; } TgRgba;

typedef struct {
  TgRgba      background, foreground, grid, muted;
  TgRgba      series[8];        /* categorical, Okabe-Ito */
  const char *font_family;      /* "Sans" */
  double      font_size;        /* base size in user units (points on PDF) */
  gboolean    draw_background;  /* FALSE lets a widget's own background show */
  double      line_width;       /* scale of every stroke (1 = as designed); <= 0 means 1 */
  gboolean    hide_title;       /* leave the title out (a paper's caption names the figure) */
  gboolean    hide_caption;     /* leave the caption out (the paper has its own) */
  double      png_dpi;          /* PNG export only: pixels per inch of the points drawn;
                                 * <= 0 means 72 (one pixel per point) */
} TgPlotStyle;

void tg_plot_style_init_light (TgPlotStyle *style);
void tg_plot_style_init_dark  (TgPlotStyle *style);

typedef enum {
  TG_PLOT_BACKGROUND_LIGHT,
  TG_PLOT_BACKGROUND_DARK,
  TG_PLOT_BACKGROUND_TRANSPARENT,   /* light colours, nothing painted behind */
} TgPlotBackground;

void tg_plot_style_init (TgPlotStyle *style, TgPlotBackground background);

/* ---- figure sizes (no drawing): presets single (3.5 in column), double (7.16 in), page
 * (= a4), a4, letter, slide (16:9), or "WxH" with a unit in, cm, mm, pt, px (px = pt), e.g.
 * "3.5x2.5in", "89mmx60mm". Sizes in PDF points. */
gboolean            tg_plot_size_parse     (const char *spec, double *width_pt,
                                            double *height_pt, GError **error);
/* The base font size a preset reads best at (8 pt for the columns); 10 for anything else. */
double              tg_plot_size_font_size (const char *spec);
/* NULL-terminated preset names, static. */
const char *const  *tg_plot_size_presets   (void);

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

/* Figure 1 from experiment results (tg-plot-figure1.c), the one function the command line
 * and the studio export it with: a group per method the results hold, bars for the accuracy
 * on 0 deg and on the target angle (mean +- std over seeds), the paper's means as markers only
 * for MNIST at 45 deg, titles naming the data set and the angle. fill makes the bars data
 * (it points into fig itself: do not copy fig after filling it); clear frees its strings. */
#define TG_FIGURE1_WIDTH  640
#define TG_FIGURE1_HEIGHT 400

typedef struct {
  TgBarsData   bars;
  const char  *groups[TG_N_METHODS];
  const char  *series[2];
  double       mean[2 * TG_N_METHODS], err[2 * TG_N_METHODS], ref[2 * TG_N_METHODS];
  char        *series0, *series_rot, *title, *caption;
} TgFigure1Data;

void     tg_figure1_data_fill   (TgFigure1Data *fig, const TgExperimentResults *res);
void     tg_figure1_data_clear  (TgFigure1Data *fig);
void     tg_plot_figure1        (cairo_t *cr, double width, double height,
                                 const TgFigure1Data *fig, const TgPlotStyle *style);
/* Writes Figure 1 of res to path (.pdf, .svg, .png) with its data beside it, as
 * tg_plot_bars_export(): width x height points (0: TG_FIGURE1_WIDTH x TG_FIGURE1_HEIGHT), in
 * style (NULL: the light style). Atomic, a TG_ERROR naming path on failure. */
gboolean tg_plot_figure1_export (const TgExperimentResults *res, const char *path,
                                 double width, double height, const TgPlotStyle *style,
                                 GError **error);

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
  const double *acc_rot;         /* n_points, test accuracy 45 deg; NAN where none; may be NULL */
  gboolean      own_color;      /* TRUE: drawn in series[color % 8] of the style, so a run
                                   keeps its colour as others come and go; FALSE: by position */
  guint         color;
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
  const char         *target_label; /* the target mode, for acc_rot: NULL: "45°" */
} TgCurvesData;

void tg_plot_curves (cairo_t *cr, double width, double height, const TgCurvesData *data,
                     const TgPlotStyle *style);

/* The step under widget x (for the hover crosshair), or NAN outside the plot area. Uses the
 * same layout as tg_plot_curves with the same width, height, data and style. */
double tg_plot_curves_step_at (double width, double height, const TgCurvesData *data,
                               const TgPlotStyle *style, double x);

/* Gate dynamics (tg-plot-dynamics.c): what λ and s act on against the step, four panels —
 * mean soft gate, units on (z > τ) per image, high-activation fraction, Jaccard of the
 * units on at 0° and at the target — one colour per hidden layer, 0° solid, target dashed,
 * with the setting changes marked as in tg_plot_curves. NAN: not measured (a gap). */
typedef struct {
  const char   *label;          /* "hidden 1" */
  const double *mean_gate0, *mean_gate_rot;  /* n_points each; may be NULL */
  const double *units_on0, *units_on_rot;
  const double *jaccard;
} TgDynamicsLayer;

typedef struct {
  guint                  n_points;
  const double          *step;       /* n_points */
  const double          *high_act;   /* n_points, over every layer; may be NULL */
  guint                  n_layers;
  const TgDynamicsLayer *layers;
  guint                  n_markers;
  const TgPlotMarker    *markers;
  const char            *target_label;  /* legend of the dashed lines: "45° inputs" */
  const char            *title;      /* NULL: "Gate dynamics" */
  const char            *x_label;    /* NULL: "step" */
  const char            *caption;
} TgDynamicsData;

void tg_plot_dynamics (cairo_t *cr, double width, double height, const TgDynamicsData *data,
                       const TgPlotStyle *style);

/* Per-neuron values (tau or gamma of one hidden layer) as a grid of cells with a diverging
 * colour map (blue - neutral - red) centred at `center`. */
typedef struct {
  const char  *label;           /* "τ, hidden 1" */
  guint        n_units;         /* 128 */
  const float *values;          /* n_units; may be NULL */
  double       center;          /* neutral colour: 0 for tau, 1 for gamma */
  double       half_range;      /* saturates at center +- half_range; <= 0: from the data */
  gint         highlight;       /* unit to outline, -1 none */
  const guint *order;           /* n_units: cell i shows unit order[i]; NULL: unit order */
  const guint8 *marked;         /* n_units: TG_PLOT_MARK_* of each unit (a cross: silenced,
                                 * a dot: forced on); NULL: none */
  gboolean     show_selected;   /* outline unit `selected` (doubled), in drawings and exports */
  guint        selected;
} TgHeatmapPanel;

/* How a unit of the ablation set is marked in the figures that show units. */
enum { TG_PLOT_MARK_NONE, TG_PLOT_MARK_SILENCED, TG_PLOT_MARK_FORCED };

typedef struct {
  guint                 n_panels;
  const TgHeatmapPanel *panels;
  guint                 panel_columns;  /* panels per row (e.g. 2 = one per layer); 0: 2 */
  guint                 cell_columns;   /* cells per row inside a panel; 0: 16 (128 = 8 x 16) */
  const char           *title;          /* NULL: "Per-neuron parameters" */
  const char           *caption;
  const char           *empty_text;     /* shown without panels; NULL: "no data yet" */
  const char           *order_label;    /* the panels' order, "selectivity"; NULL: units */
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
  const float *rate_rot;         /* firing on 45 deg inputs; may be NULL */
  const guint  *order;          /* n_units: column c shows unit order[c]; NULL: unit order */
  const guint8 *marked;         /* n_units: TG_PLOT_MARK_* (a triangle over the column) */
  gboolean      show_selected;  /* outline the column of unit `selected` */
  guint         selected;
} TgMasksLayer;

typedef struct {
  guint               n_layers;
  const TgMasksLayer *layers;
  guint               n_classes;     /* 10; 0: 10 */
  double              high_act_frac; /* shown in the subtitle; NAN: not known */
  gboolean            hard_gates;    /* subtitle says "hard gates 1[z > τ]" or "soft gates" */
  const char         *title;         /* NULL: "Firing rate per digit" */
  const char         *caption;
  const char         *target_label;  /* the target mode, for rate_rot: NULL: "45°" */
  gboolean            ungated;       /* a ReLU model: the rates are of relu(z) > 0, no gates */
  const char         *order_label;   /* the columns' order, "selectivity"; NULL: units */
  gboolean            show_hover;    /* outline the cell under the pointer in both modes */
  guint               hover_layer, hover_class, hover_column;
} TgMasksData;

void tg_plot_masks (cairo_t *cr, double width, double height, const TgMasksData *data,
                    const TgPlotStyle *style);

/* A cell of tg_plot_masks: layer, input (0: 0 deg, 1: target), class, column and the unit
 * that column shows. */
typedef struct {
  guint layer, input, klass, column, unit;
} TgMasksCell;

/* Which cell lies under (x, y), same layout as tg_plot_masks; FALSE if none. */
gboolean tg_plot_masks_hit    (double width, double height, const TgMasksData *data,
                               const TgPlotStyle *style, double x, double y,
                               TgMasksCell *cell);
/* The centre of the cell of (layer, input, klass) showing `unit`; FALSE if not drawn. */
gboolean tg_plot_masks_locate (double width, double height, const TgMasksData *data,
                               const TgPlotStyle *style, guint layer, guint input,
                               guint klass, guint unit, double *x, double *y);

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
  const float *gate_rot;         /* same, 45 deg-specialised; may be NULL */
  double       threshold;       /* on when mean gate > threshold (0.9) */
  const char  *title;           /* NULL: "Gate-mask overlap, 0° vs <target>" */
  const char  *caption;
  const char  *target_label;    /* the target mode, for gate_rot: NULL: "45°" */
  const guint8 *marked;         /* n_layers * n_units: TG_PLOT_MARK_*; may be NULL */
  gboolean     show_selected;   /* outline unit selected_unit of layer selected_layer */
  guint        selected_layer, selected_unit;
  const char  *first_label;     /* the mode of gate0 (any two modes compared): NULL: "0°" */
} TgOverlapData;

void tg_plot_overlap (cairo_t *cr, double width, double height, const TgOverlapData *data,
                      const TgPlotStyle *style);

/* Which unit's cell of the strips lies under (x, y), same layout as tg_plot_overlap; FALSE
 * if none. */
gboolean tg_plot_overlap_hit (double width, double height, const TgOverlapData *data,
                              const TgPlotStyle *style, double x, double y,
                              guint *layer, guint *unit);

/* Table 1 as a figure: ours and the paper's numbers side by side; NAN shows as "—". */
typedef struct {
  double acc0, acc0_std;        /* NAN: not computed / none */
  double acc_rot, acc_rot_std;
  double high_act;
  guint  n;                     /* the seeds pooled into the mean; 0: not known */
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
  const char         *title;    /* NULL: "Table 1: mode specialisation, <data> 0° vs <target>" */
  const char         *caption;
  const char         *target_label; /* the target mode, for acc_rot: NULL: "45°" */
  const char         *data_label;   /* the data set: NULL: "MNIST" */
} TgResultsData;

void tg_plot_results_table (cairo_t *cr, double width, double height,
                            const TgResultsData *data, const TgPlotStyle *style);

/* The frontier of a lambda / s sweep of TauGate. One point per (lambda, s): mean and std over
 * seeds. Left: target accuracy with hard gates against the fraction of hidden units on, a
 * line per s through its lambdas, each point labelled "λ · speedup"; right: the soft - hard
 * accuracy gap against s on a log scale, a line per lambda. */
typedef struct {
  double lambda, sharpness;
  double on_frac, on_frac_std;  /* fraction of units with 1[z > tau], mean over hidden layers */
  double acc, acc_std;          /* target test accuracy, hard gates */
  double gap, gap_std;          /* soft minus hard target accuracy (fraction, not points) */
  double speedup;               /* measured batch-1 dense / sparse; NAN: not measured */
} TgSparsityPoint;

typedef struct {
  guint                  n_points;
  const TgSparsityPoint *points;
  const char            *acc_label;  /* NULL: "target accuracy, hard gates" */
  const char            *title;      /* NULL: "TauGate: accuracy, sparsity and speed over λ and s" */
  const char            *caption;
  /* the model being trained now, drawn as a diamond on the frontier (its speedup, when
   * finite, labels it; gap and std are ignored); NULL: none */
  const TgSparsityPoint *current;
  const char            *current_label;  /* legend entry; NULL: "current run" */
} TgSparsityData;

void tg_plot_sparsity (cairo_t *cr, double width, double height, const TgSparsityData *data,
                       const TgPlotStyle *style);
/* ---- One unit interrogated (the inspector): its receptive field, tau / gamma, firing per
 * digit at 0 deg and at the target (soft and hard), the z - tau histogram with the threshold
 * and the gate's sigmoid over it, the images that drive it most and its near misses, and the
 * mean change of each logit when it is silenced. Arrays borrowed for the call; NULL or zero
 * counts leave a panel with "no data". The numbers come from tg-unit.h's TgUnitReport. */
typedef struct {
  guint          n;             /* <= 9 */
  const guint8  *pixels;        /* n * rows * cols, as stored in the data set */
  const guint8  *labels;        /* n; may be NULL */
  const float   *margin;        /* n, z - tau; may be NULL */
} TgUnitImages;

typedef struct {
  guint          layer, index;  /* 0-based hidden layer and unit (shown as hidden layer + 1) */
  const char    *model_label;   /* "TauGate, 45°-specialised"; may be NULL */
  double         tau, gamma, sharpness;
  gboolean       hard;          /* gate mode of the histogram, images and effect */
  gboolean       ungated;       /* a ReLU model (no gates): it fires when z > 0, tau = 0 */
  guint          rows, cols;    /* image size, 28 x 28 */
  const float   *field;         /* rows * cols, signed */
  guint          n_field_inputs;          /* deeper layers: the lower units summed */
  const guint32 *field_inputs;  /* n_field_inputs */
  const float   *field_weights; /* n_field_inputs */
  guint          n_classes;
  const char    *label0, *label_target;   /* "0°", "45°" */
  const double  *rate0_soft, *rate0_hard; /* n_classes each; may be NULL */
  const double  *rate_t_soft, *rate_t_hard;
  const char    *hist_label;    /* which set the histogram is of: "45° test set" */
  guint          n_bins;
  const double  *edges;         /* n_bins + 1 */
  const guint32 *counts;        /* n_bins */
  TgUnitImages   top, near;
  const double  *logit_effect;  /* n_classes */
  /* τ and γ over the run (the steps recorded), and the step whose model is shown (NAN:
   * none marked); n_trajectory 0: no panel data */
  guint          n_trajectory;
  const double  *trajectory_steps, *trajectory_tau, *trajectory_gamma;
  double         trajectory_mark;
  /* the unit in each mode side by side, the model shown first: name, τ, γ (NAN: ungated,
   * a ReLU), and firing
   * rate per digit on the target set in the figure's gate mode; n_modes 0: no panel data */
  guint          n_modes;       /* <= 4 */
  const char *const *mode_names;
  const double  *mode_tau, *mode_gamma;    /* n_modes */
  const double  *mode_rate;     /* (n_modes, n_classes), mode-major */
  const char    *title;         /* NULL: "Hidden L, unit J" */
  const char    *caption;
} TgUnitPlotData;

void tg_plot_unit (cairo_t *cr, double width, double height, const TgUnitPlotData *data,
                   const TgPlotStyle *style);

/* ---- The digit pad: one image as the network sees it, the soft and hard gates of every
 * hidden unit (one model; or one gate mode of each model side by side), and the class
 * probabilities under each model, soft and hard gates. The numbers come from tg-probe.h. */
typedef struct {
  const char  *label;            /* "TauGate, 45°-specialised" */
  const float *prob_soft;        /* n_classes; may be NULL */
  const float *prob_hard;        /* n_classes; may be NULL */
  /* its gates (as TgDigitPadData's); with two models or more that have them, the gates
   * panel shows each model's side by side (compare_hard: the hard ones, else the soft) */
  const float *gates_soft, *gates_hard;
} TgPadModel;

typedef struct {
  guint             rows, cols;
  const float      *image;       /* rows * cols in [0, 1]; may be NULL */
  double            angle;       /* the rotation applied, degrees */
  gint              true_label;  /* -1: not known (a drawn digit) */
  guint             n_layers;
  const guint      *widths;      /* n_layers */
  const float      *gates_soft;  /* sum of widths, layer after layer; may be NULL */
  const float      *gates_hard;
  const char       *gates_label; /* whose gates: "TauGate, 45°-specialised" */
  guint             cell_columns; /* gate cells per row; 0: 16 */
  guint             n_classes;
  guint             n_models;    /* <= 4 */
  const TgPadModel *models;
  gboolean          compare_hard; /* the gates compared across models: hard, else soft */
  const char       *title;       /* NULL: "Digit pad" */
  const char       *caption;
} TgDigitPadData;

void tg_plot_digit_pad (cairo_t *cr, double width, double height, const TgDigitPadData *data,
                        const TgPlotStyle *style);
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

/* ---- what an export leaves out (tg-plot-select.c): the runs, layers (panels) or modes
 * named in excluded (NULL-terminated; NULL: none) are taken out of the data, the kept ones
 * moved to the front of the array given, which must be the data's own (writable) array. */
gboolean tg_plot_name_excluded   (const char *const *excluded, const char *name);
void     tg_plot_curves_exclude  (TgCurvesData *data, TgCurveRun *runs,
                                  const char *const *excluded);
void     tg_plot_heatmap_exclude (TgHeatmapData *data, TgHeatmapPanel *panels,
                                  const char *const *excluded);
void     tg_plot_masks_exclude   (TgMasksData *data, TgMasksLayer *layers,
                                  const char *const *excluded);
void     tg_plot_dynamics_exclude (TgDynamicsData *data, TgDynamicsLayer *layers,
                                   const char *const *excluded);
/* The modes' rows are copied (the sweep's arrays stay untouched) into the caller's arrays:
 * names and targets n_modes long, acc and acc_hard n_modes * n_angles. */
void     tg_plot_modes_exclude   (TgModesByAngleData *data, const char **names,
                                  double *targets, double *acc, double *acc_hard,
                                  const char *const *excluded);

/* Draws "msg" centred in a dashed box in the muted colour (what every figure shows when it
 * has nothing to plot). */
void tg_plot_no_data (cairo_t *cr, double x, double y, double width, double height,
                      const char *msg, const TgPlotStyle *style);

typedef void (*TgPlotFunc) (cairo_t *cr, double width, double height, gconstpointer data,
                            const TgPlotStyle *style);

/* Draws one figure into a file; the format comes from the extension (.pdf, .svg, .png).
 * width and height in points (PDF, SVG) or pixels (PNG, at most 8192). Rendered in memory,
 * then written atomically by tg_plot_write_file. style NULL: light. On failure
 * returns FALSE with a TG_ERROR naming path, and leaves no file behind; a figure whose text
 * does not fit the size (see tg_plot_check_fit) is such a failure. */
gboolean tg_plot_export (const char *path, double width, double height, TgPlotFunc func,
                         gconstpointer data, const TgPlotStyle *style, GError **error);

/* Whether the figure's text fits width x height in style (NULL: light): none of it off the
 * page, no two pieces overlapping. FALSE with a TG_ERROR saying what runs into what and the
 * smallest size that works; tg_plot_export refuses such a figure the same way, writing
 * nothing. For a preview that warns before the export. */
gboolean tg_plot_check_fit (double width, double height, TgPlotFunc func,
                            gconstpointer data, const TgPlotStyle *style, GError **error);

/* Writes contents to path atomically (temporary file + rename) with mode 0644 less the
 * umask; never touches the process's umask. On failure a TG_ERROR naming path. */
gboolean tg_plot_write_file (const char *path, const char *contents, gsize length,
                             GError **error);

/* ---- the data beside a figure (tg-plot-data.c). Each returns newly allocated text.
 * CSV: exactly the numbers the renderer draws, one row per drawn value (a value not measured
 * is an empty field); numbers read back to the same double. */
char *tg_plot_bars_csv          (const TgBarsData *data);     /* group,series,mean,std,reference */
/* acc_rot, gate_rot: on the target mode (target_label), as in results.csv */
char *tg_plot_curves_csv        (const TgCurvesData *data);   /* run,step,loss,acc0,acc_rot */
/* step,layer,mean_gate0,mean_gate_target,units_on0,units_on_target,high_act,jaccard */
char *tg_plot_dynamics_csv      (const TgDynamicsData *data);
char *tg_plot_heatmap_csv       (const TgHeatmapData *data);  /* panel,unit,value,center */
/* layer,input,class,unit,rate; input: "0°" or the target_label */
char *tg_plot_masks_csv         (const TgMasksData *data);
char *tg_plot_overlap_csv       (const TgOverlapData *data);  /* ...,gate0,gate_rot,... */
char *tg_plot_results_table_csv (const TgResultsData *data); /* ...,acc_rot,acc_rot_std,... */

/* mode,target_angle,angle,acc_soft,acc_hard: a row per mode and angle */
char *tg_plot_modes_by_angle_csv (const TgModesByAngleData *data);

/* LaTeX: a pgfplots version of the bar figure at the given size and font size
 * (needs \usepackage{pgfplots}); a figure environment that includes `graphics` at its width
 * with the caption; text escaped for LaTeX. */
char *tg_plot_bars_pgfplots       (const TgBarsData *data, double width_pt, double height_pt,
                                   double font_pt);
char *tg_plot_tex_includegraphics (const char *graphics, const char *caption,
                                   const char *label, double width_pt);
char *tg_plot_tex_escape          (const char *text);

/* Figure 1 with its data: path (the figure, any tg_plot_export format), NAME.csv,
 * NAME.tex (\includegraphics at its width with the caption) and NAME-pgfplots.tex. */
gboolean tg_plot_bars_export (const char *path, double width, double height,
                              const TgBarsData *data, const TgPlotStyle *style,
                              GError **error);

/* figure_path with its extension replaced by ext (".csv", ".tex"). */
char    *tg_plot_path_beside  (const char *figure_path, const char *ext);
/* Writes contents to tg_plot_path_beside (figure_path, ext), atomically. */
gboolean tg_plot_write_beside (const char *figure_path, const char *ext,
                               const char *contents, GError **error);

G_END_DECLS
