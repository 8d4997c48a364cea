/* SPDX-License-Identifier: MIT */
/* tg-mode-pair.h — two modes of one foundation side by side: which hidden units each one
 * turns on (mean soft gate over its own mode's test set above a threshold), how their
 * on-sets overlap per layer, and how far apart their thresholds τ and gains γ are.
 *
 * The Overlap view compares any two open modes with it; the paper's Table 3 (0° against
 * the target) is the case of two TauGate modes of the same foundation. Not here: which pair
 * to compare, or drawing it (tg_plot_overlap). */
#pragma once

#include "tg-data.h"
#include "tg-model.h"

G_BEGIN_DECLS

typedef struct {
  guint    n_layers;                   /* hidden layers */
  guint32  widths[TG_MAX_LINEAR];
  double   jaccard[TG_MAX_LINEAR];     /* of the on-sets; 1 when neither has a unit on */
  guint32  both[TG_MAX_LINEAR], only_a[TG_MAX_LINEAR], only_b[TG_MAX_LINEAR],
           neither[TG_MAX_LINEAR];     /* units on in both / only a / only b / neither */
  double   dtau_mean[TG_MAX_LINEAR], dtau_max[TG_MAX_LINEAR];     /* |τ_b − τ_a| per unit */
  double   dgamma_mean[TG_MAX_LINEAR], dgamma_max[TG_MAX_LINEAR]; /* |γ_b − γ_a| per unit */
} TgModePair;

/* The mean soft gate (sharpness s) of every hidden unit of model over test rotated by angle
 * degrees (0: as it is), layer after layer; tg_model_hidden_units() values, newly allocated.
 * NULL with TG_ERROR_INVALID when model's method has no gates. */
float   *tg_mode_own_gates    (const TgModel *model, float sharpness, const TgDataset *test,
                               double angle, GError **error);

/* a and b with the mean gates of each (tg_mode_own_gates); a unit is on when its mean gate
 * exceeds threshold. FALSE with TG_ERROR_INVALID when the two do not have the same hidden
 * layers (not modes of one foundation's shape). */
gboolean tg_mode_pair_compare (const TgModel *a, const float *gates_a, const TgModel *b,
                               const float *gates_b, float threshold, TgModePair *out,
                               GError **error);

G_END_DECLS
