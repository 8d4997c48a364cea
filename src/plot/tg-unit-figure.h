/* tg-unit-figure.h — a unit's report laid out as the inspector figure's data, and its CSV.
 *
 * The bridge between the engine's numbers (tg-unit.h) and the renderer (tg_plot_unit in
 * tg-plot.h), shared by `taugate inspect-unit` and the window, so that both show the same
 * figure and write the same CSV. It owns everything the figure's data points to. */
#pragma once

#include "tg-plot.h"
#include "tg-unit.h"

G_BEGIN_DECLS

typedef struct {
  TgUnitPlotData data;       /* ready for tg_plot_unit; points into this struct */
  TgUnitReport  *report;     /* measured on the target set, or on the 0-degree set */
  double        *rate0_soft, *rate0_hard, *rate_t_soft, *rate_t_hard;
  guint8        *top_pixels, *near_pixels;
  guint8         top_labels[TG_UNIT_N_EXAMPLES], near_labels[TG_UNIT_N_EXAMPLES];
  float          top_margin[TG_UNIT_N_EXAMPLES], near_margin[TG_UNIT_N_EXAMPLES];
  char          *title, *label0, *label_t, *hist_label, *model_label;
} TgUnitFigure;

/* Measures unit of model: firing on test0 (0 degrees) and test_t (rotated by angle), and the
 * report on test_t (on_target) or on test0, with the gates of opts. model_label (e.g.
 * "TauGate, 45°-specialised") may be NULL. NULL with an error for a unit not in the model
 * or data that does not fit it. */
TgUnitFigure *tg_unit_figure_new  (const TgModel *model, TgUnitId unit, const TgDataset *test0,
                                   const TgDataset *test_t, double angle, gboolean on_target,
                                   const TgForwardOpts *opts, const char *model_label,
                                   GError **error);
void          tg_unit_figure_free (TgUnitFigure *figure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgUnitFigure, tg_unit_figure_free)

/* The figure's numbers as "quantity,index,value" rows (newly allocated). */
char *tg_unit_figure_csv (const TgUnitFigure *figure);

G_END_DECLS
