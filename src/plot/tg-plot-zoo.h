/* SPDX-License-Identifier: MIT */
/* tg-plot-zoo.h — the figures of many modes: the accuracy matrix (mode x test angle) and the
 * mode map (Jaccard of the on-units of every pair of modes, one panel per hidden layer).
 *
 * Pure Cairo renderers as in tg-plot.h: tg_plot_x (cr, width, height, data, style), plain
 * arrays borrowed for the call, NAN for a value not measured. With many modes (36) the row
 * and column labels are thinned so they never touch; a hit test with the drawing's own
 * layout reads a cell back, and hover draws that cell outlined with its value. The numbers
 * come from tg-zoo.h; tg_mode_matrix_data_from / tg_mode_map_data_from fill the data from
 * them. */
#pragma once

#include "tg-plot.h"
#include "tg-zoo.h"

G_BEGIN_DECLS

/* Accuracy matrix: a row per mode, a column per rotation of the test set, a sequential
 * colour map with its colour bar; each mode's own angle (its training angle) outlined. */
typedef struct {
  guint               n_modes, n_angles;
  const char *const  *mode_labels;  /* n_modes: row labels ("10°", a mode's name) */
  const double       *mode_angles;  /* n_modes: outlines the row's own column; NAN: none;
                                       may be NULL */
  const double       *test_angles;  /* n_angles: columns, degrees */
  const double       *acc;          /* (n_modes, n_angles), mode-major; NAN: a grey cell */
  double              lo, hi;       /* colour scale; lo >= hi: the data's range in whole
                                       0.05 steps, at least 0.1 wide */
  const char         *title;        /* NULL: "Accuracy matrix" */
  const char         *subtitle;     /* e.g. "TauGate, soft gates"; may be NULL */
  const char         *caption;
  gboolean            show_hover;   /* outline cell (hover_mode, hover_angle), its value */
  guint               hover_mode, hover_angle;
} TgModeMatrixData;

void     tg_plot_mode_matrix     (cairo_t *cr, double width, double height,
                                  const TgModeMatrixData *data, const TgPlotStyle *style);
/* The cell under (x, y), same layout as tg_plot_mode_matrix; FALSE if none. */
gboolean tg_plot_mode_matrix_hit (double width, double height, const TgModeMatrixData *data,
                                  const TgPlotStyle *style, double x, double y,
                                  guint *mode, guint *angle);
/* mode,mode_angle,test_angle,accuracy: one row per cell drawn. */
char    *tg_plot_mode_matrix_csv (const TgModeMatrixData *data);

/* Mode map: one n_modes x n_modes panel per hidden layer, the Jaccard of the two modes'
 * on-sets as a sequential colour over 0..1 with one colour bar. */
typedef struct {
  guint               n_modes, n_layers;
  const char *const  *mode_labels;  /* n_modes */
  const char *const  *layer_labels; /* n_layers: "hidden 1"; may be NULL */
  const double       *jaccard;      /* (n_layers, n_modes, n_modes), layer-major */
  const guint32      *n_on;         /* (n_modes, n_layers) units on, for the hover; a pair
                                       with none on in either is drawn grey (its Jaccard
                                       is 1 by convention); may be NULL */
  const char         *title;        /* NULL: "Mode map" */
  const char         *subtitle;
  const char         *caption;
  gboolean            show_hover;   /* outline (hover_layer, hover_a, hover_b), its value */
  guint               hover_layer, hover_a, hover_b;
} TgModeMapData;

void     tg_plot_mode_map     (cairo_t *cr, double width, double height,
                               const TgModeMapData *data, const TgPlotStyle *style);
/* The cell under (x, y): layer, row mode a, column mode b; FALSE if none. */
gboolean tg_plot_mode_map_hit (double width, double height, const TgModeMapData *data,
                               const TgPlotStyle *style, double x, double y,
                               guint *layer, guint *a, guint *b);
/* layer,mode_a,mode_b,jaccard: one row per cell drawn. */
char    *tg_plot_mode_map_csv (const TgModeMapData *data);

/* Data for the figures from the engine's results: the arrays point into am / map (which must
 * outlive d), row labels are the modes' names; hard picks the hard-gate accuracies. */
void     tg_mode_matrix_data_from (TgModeMatrixData *d, const TgAccMatrix *am, gboolean hard);
void     tg_mode_map_data_from    (TgModeMapData *d, const TgModeMap *map);

G_END_DECLS
