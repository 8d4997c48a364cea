/* SPDX-License-Identifier: MIT */
/* tg-unit-figure.h — a unit's report laid out as the inspector figure's data, and its CSV.
 *
 * The bridge between the engine's numbers (tg-unit.h) and the renderer (tg_plot_unit in
 * tg-plot.h), shared by `taugate inspect-unit` and the window, so that both show the same
 * figure and write the same CSV. It owns everything the figure's data points to. */
#pragma once

#include "tg-plot.h"
#include "tg-unit.h"

G_BEGIN_DECLS

#define TG_UNIT_MAX_MODES 4   /* the figure's model and three other modes */

typedef struct {
  TgUnitPlotData data;       /* ready for tg_plot_unit; points into this struct */
  TgUnitReport  *report;     /* measured on the target set, or on the 0-degree set */
  double        *rate0_soft, *rate0_hard, *rate_t_soft, *rate_t_hard;
  guint8        *top_pixels, *near_pixels;
  guint8         top_labels[TG_UNIT_N_EXAMPLES], near_labels[TG_UNIT_N_EXAMPLES];
  float          top_margin[TG_UNIT_N_EXAMPLES], near_margin[TG_UNIT_N_EXAMPLES];
  char          *title, *label0, *label_t, *hist_label, *model_label;
  /* τ and γ over a run (tg_unit_figure_set_trajectory) */
  double        *traj_steps, *traj_tau, *traj_gamma;
  /* the unit in other modes (tg_unit_figure_add_modes), this figure's model first */
  char          *mode_names[TG_UNIT_MAX_MODES];
  double         mode_tau[TG_UNIT_MAX_MODES], mode_gamma[TG_UNIT_MAX_MODES];
  double        *mode_rate;
  float          sharpness;
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

/* Sets the unit's τ and γ over a run: n recorded steps (copied), and the step whose model
 * the figure shows (NAN: none). */
void          tg_unit_figure_set_trajectory (TgUnitFigure *figure, guint n, const double *steps,
                                             const double *tau, const double *gamma,
                                             double mark);
/* Puts the unit in other models beside the figure's own (which comes first): each one's τ, γ
 * (NAN for an ungated model) and firing rate per class on test_t (the target set the figure was measured with) in the
 * figure's gate mode; at most TG_UNIT_MAX_MODES - 1 of them are kept. names[i] labels
 * models[i], measured with sharpness[i]. FALSE with an error for a model whose layers do
 * not hold the unit or whose inputs do not fit test_t; the figure is then left as it was. */
gboolean      tg_unit_figure_add_modes (TgUnitFigure *figure, const TgModel *const *models,
                                        const char *const *names, const float *sharpness,
                                        guint n, const TgDataset *test_t, GError **error);

/* The figure's numbers as "quantity,index,value" rows (newly allocated). */
char *tg_unit_figure_csv (const TgUnitFigure *figure);

G_END_DECLS
