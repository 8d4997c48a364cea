/* SPDX-License-Identifier: MIT */
/* tg-metrics.h — what the paper measures: accuracy (soft and hard gates), the high-act
 * fraction, per-digit firing of every unit, mean gates, and the Jaccard of on-sets. */
#pragma once

#include "tg-model.h"
#include "tg-data.h"

G_BEGIN_DECLS

typedef struct {
  double acc;       /* with the gates asked for */
  double acc_soft;  /* soft gates (same as acc for ungated methods) */
  double acc_hard;  /* hard gates 1[z > tau] (same as acc for ungated methods) */
  double loss;      /* mean cross-entropy, soft gates */
} TgEval;

/* Evaluates on the first n examples of ds (n = 0: all), in chunks of the workspace's batch,
 * with soft and hard gates (opts->sharpness for the soft ones); acc is the one opts->gates
 * asks for. z1pre: optional first-layer products for ds (see tg_model_forward). */
void tg_evaluate (const TgModel *model, TgWorkspace *ws, const TgForwardOpts *opts,
                  const TgDataset *ds, const float *z1pre, guint32 n, TgEval *out);

/* Fraction of (example, unit) soft gate values (sharpness s) > thresh over the first n
 * examples of ds, per hidden layer, averaged over the hidden layers. 0 for ungated methods. */
double tg_high_act_frac (const TgModel *model, TgWorkspace *ws, float sharpness,
                         const TgDataset *ds, const float *z1pre, guint32 n, float thresh);

/* Mean gate of every hidden unit over the first n examples of ds, with the gates of opts;
 * out holds tg_model_hidden_units() values, layer after layer. */
void tg_mean_gates (const TgModel *model, TgWorkspace *ws, const TgForwardOpts *opts,
                    const TgDataset *ds, const float *z1pre, guint32 n, float *out);

/* Firing rate of every hidden unit per class: out (n_classes, hidden_units), the mean over
 * examples of that class of the gate of opts (hard: 1[z > tau]; for an ungated model
 * 1[z > 0]). */
void tg_firing_by_class (const TgModel *model, TgWorkspace *ws, const TgForwardOpts *opts,
                         const TgDataset *ds, const float *z1pre, guint32 n, float *out);

/* Jaccard of the sets {i : a[i] > thresh} and {i : b[i] > thresh}; 1 when both are empty. */
double tg_jaccard (const float *a, const float *b, guint32 n, float thresh);

/* First-layer products for a whole data set: (ds->n, dims[1]), newly allocated. */
float *tg_dataset_first_layer (const TgModel *model, const TgDataset *ds, guint32 chunk);

G_END_DECLS
