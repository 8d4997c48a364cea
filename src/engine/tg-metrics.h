/* tg-metrics.h — what the paper measures: accuracy (soft and hard gates), the high-act
 * fraction, per-digit firing of every unit, mean gates, and the Jaccard of on-sets. */
#pragma once

#include "tg-model.h"
#include "tg-data.h"

G_BEGIN_DECLS

typedef struct {
  double acc;       /* with model->hard_gates as set */
  double acc_soft;  /* soft gates (same as acc for ungated methods) */
  double acc_hard;  /* hard gates 1[z > tau] (same as acc for ungated methods) */
  double loss;      /* mean cross-entropy, soft gates */
} TgEval;

/* Evaluates on the first n examples of ds (n = 0: all), in chunks of the workspace's batch.
 * z1pre: optional first-layer products for ds (see tg_model_forward). The model is read
 * only; hard_gates is restored. */
void tg_evaluate (TgModel *model, TgWorkspace *ws, const TgDataset *ds, const float *z1pre,
                  guint32 n, TgEval *out);

/* Fraction of (example, unit) soft gate values > thresh over the first n examples of ds,
 * per hidden layer, averaged over the hidden layers. 0 for ungated methods. */
double tg_high_act_frac (TgModel *model, TgWorkspace *ws, const TgDataset *ds,
                         const float *z1pre, guint32 n, float thresh);

/* Mean gate of every hidden unit over the first n examples of ds (soft or hard gates);
 * out holds tg_model_hidden_units() values, layer after layer. */
void tg_mean_gates (TgModel *model, TgWorkspace *ws, const TgDataset *ds, const float *z1pre,
                    guint32 n, gboolean hard, float *out);

/* Firing rate of every hidden unit per class: out (n_classes, hidden_units), the mean over
 * examples of that class of the gate (hard: 1[z > tau]; for an ungated model 1[z > 0]). */
void tg_firing_by_class (TgModel *model, TgWorkspace *ws, const TgDataset *ds,
                         const float *z1pre, guint32 n, gboolean hard, float *out);

/* Jaccard of the sets {i : a[i] > thresh} and {i : b[i] > thresh}; 1 when both are empty. */
double tg_jaccard (const float *a, const float *b, guint32 n, float thresh);

/* First-layer products for a whole data set: (ds->n, dims[1]), newly allocated. */
float *tg_dataset_first_layer (const TgModel *model, const TgDataset *ds, guint32 chunk);

G_END_DECLS
