/* SPDX-License-Identifier: MIT */
/* tg-unit.h — one hidden unit interrogated: what it looks at, when it fires, what the
 * network loses without it; and ablation (silence / force on) of a set of units.
 *
 * Everything here reads a model it is given as const and works on a private copy: silencing
 * a unit zeroes its outgoing weights in the copy (and the matching LoRA A columns), forcing
 * it on sets its threshold in the copy to -TG_UNIT_FORCE_TAU so that its gate is 1. The
 * forward is the model's own tg_model_forward(); there is no second code path. The gate mode
 * (soft sigmoid or hard 1[z > tau]) is an argument of every measurement.
 *
 * Not here: drawing (src/plot/tg-plot-unit.c) and any widget. */
#pragma once

#include "tg-model.h"
#include "tg-data.h"

G_BEGIN_DECLS

#define TG_UNIT_N_EXAMPLES   9     /* top and near-miss images */
#define TG_UNIT_N_FIELD_IN   6     /* strongest lower-layer inputs of a deeper unit's field */
#define TG_UNIT_FORCE_TAU    1e30f

typedef struct {
  guint32 layer;  /* hidden layer, 0-based (shown to people as "hidden layer + 1") */
  guint32 index;  /* unit within the layer, 0-based */
} TgUnitId;

/* Parses "L:J" with L the 1-based hidden layer and J the 0-based unit, as the studio shows
 * them ("hidden 1, unit 7" is "1:7"), and checks both against model (NULL: the syntax only).
 * The error names text. */
gboolean tg_unit_parse (const char *text, const TgModel *model, TgUnitId *out, GError **error);
/* FALSE with an error naming the unit when it is not a hidden unit of model. */
gboolean tg_unit_check (const TgModel *model, TgUnitId unit, GError **error);

/* The unit's receptive field in input space, rows x cols = dims[0] (out must hold dims[0]).
 * Hidden 1: its input weights (with the LoRA delta when the method adds it). Deeper: the sum
 * over its TG_UNIT_N_FIELD_IN strongest inputs (by |weight|) of weight x that input's field.
 * inputs / weights (optional, TG_UNIT_N_FIELD_IN each) receive those inputs, strongest first;
 * returns how many (0 for hidden 1). */
guint tg_unit_receptive_field (const TgModel *model, TgUnitId unit, float *out,
                               guint32 *inputs, float *weights);

/* Firing rate of the unit per class over ds: the mean gate (soft: sigmoid, hard: 1[z > tau];
 * an ungated method: 1[z > 0] for both). rate_soft, rate_hard: ds->n_classes each. */
void tg_unit_firing (const TgModel *model, const TgDataset *ds, TgUnitId unit,
                     float sharpness, double *rate_soft, double *rate_hard);

typedef struct {
  TgUnitId  unit;
  gboolean  hard;          /* the gate mode the margins and effects were measured in */
  float     sharpness;     /* and the soft gates' s */
  guint32   n_classes, n;  /* classes, examples */
  float     tau, gamma;

  /* receptive field, see tg_unit_receptive_field */
  guint32   field_rows, field_cols;
  float    *field;
  guint     n_field_inputs;
  guint32   field_inputs[TG_UNIT_N_FIELD_IN];
  float     field_weights[TG_UNIT_N_FIELD_IN];

  double   *rate_soft, *rate_hard;   /* n_classes */

  /* z - tau of every example: the histogram, in n_bins equal bins from edges[0] to
   * edges[n_bins] (the last bin closed), counts summing to n */
  float    *margin;                  /* n */
  guint32   n_bins;
  double   *edges;                   /* n_bins + 1 */
  guint32  *counts;                  /* n_bins */

  /* the examples with the largest z - tau, largest first; and the ones that do not fire
   * (z <= tau) with z - tau closest to 0 */
  guint32   n_top, top[TG_UNIT_N_EXAMPLES];
  guint32   n_near, near[TG_UNIT_N_EXAMPLES];

  /* mean over ds of (logit with the unit silenced - logit), per class */
  double   *logit_effect;            /* n_classes */
} TgUnitReport;

/* Everything the inspector shows for one unit, measured on ds with the given gates.
 * n_bins 0: 40. NULL with an error for a unit that is not there or a data set whose image
 * size or class count does not match the model. */
TgUnitReport *tg_unit_report_new  (const TgModel *model, const TgDataset *ds, TgUnitId unit,
                                   const TgForwardOpts *opts, guint32 n_bins,
                                   GError **error);
void          tg_unit_report_free (TgUnitReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgUnitReport, tg_unit_report_free)

/* --- ablation ------------------------------------------------------------------------- */

typedef enum {
  TG_UNIT_SILENCE,   /* output 0: outgoing weights zeroed */
  TG_UNIT_FORCE_ON,  /* gate 1 whatever z: tau = -TG_UNIT_FORCE_TAU (gated methods only;
                        an ungated unit has no gate and is left as it is) */
} TgUnitAction;

typedef struct {
  TgUnitId     unit;
  TgUnitAction action;
} TgUnitEdit;

/* A copy of model with the edits applied; NULL with an error naming a unit not there. */
TgModel *tg_unit_edited_model (const TgModel *model, const TgUnitEdit *edits, guint n_edits,
                               GError **error);

typedef struct {
  guint32  n_classes, n;
  double   acc;
  double  *acc_class;   /* n_classes; NAN for a class with no example */
  guint32 *confusion;   /* n_classes x n_classes, [true * n_classes + predicted] */
} TgClassEval;

void tg_class_eval_clear (TgClassEval *ev);

/* Accuracy, accuracy per class and the confusion matrix of model on ds in the gate mode. */
void     tg_class_eval    (const TgModel *model, const TgDataset *ds,
                           const TgForwardOpts *opts, TgClassEval *out);
/* The same for the model as it is (base) and with the edits (edited), side by side. */
gboolean tg_unit_ablation (const TgModel *model, const TgDataset *ds, const TgUnitEdit *edits,
                           guint n_edits, const TgForwardOpts *opts, TgClassEval *base,
                           TgClassEval *edited, GError **error);

/* --- choosing sets of units ------------------------------------------------------------ */

/* The k units (or fewer) most selective for class digit over ds: the largest of
 * rate[digit] - mean of rate over the other classes (hard gates), most selective first.
 * Returns how many were written to out (at most k). */
guint tg_unit_most_selective (const TgModel *model, const TgDataset *ds, guint digit, guint k,
                              TgUnitId *out);

/* The units on (mean hard gate > threshold) for model_a on ds_a but not for model_b on ds_b:
 * "only on at 0 degrees" is (the 0-degree model, the 0-degree set, the target model, the
 * target set), or one model with both sets. The two models must have the same layers.
 * Returns a newly allocated array of TgUnitId in unit order. */
GArray *tg_unit_on_only (const TgModel *model_a, const TgDataset *ds_a,
                         const TgModel *model_b, const TgDataset *ds_b, float threshold);

G_END_DECLS
