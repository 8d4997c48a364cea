/* SPDX-License-Identifier: MIT */
/* tg-probe.h — one image through a model: the gates of every hidden unit, soft and hard,
 * and the class probabilities under each gate mode. What the digit pad shows.
 *
 * The image is the caller's (drawn, or a test image), optionally rotated first with
 * tg_rotate_image(); the forward is the model's own, on a private copy. */
#pragma once

#include "tg-model.h"

G_BEGIN_DECLS

typedef struct {
  guint32 n_hidden, n_classes, hidden_units;
  guint32 widths[TG_MAX_LINEAR];
  float  *image;                    /* dims[0], as the network saw it (after rotation) */
  float  *gates_soft, *gates_hard;  /* hidden_units each, layer after layer; for an
                                       ungated model both are 1[z > 0] */
  float  *prob_soft, *prob_hard;    /* n_classes, softmax of the logits */
  guint32 pred_soft, pred_hard;     /* argmax */
} TgProbe;

/* sharpness: the soft gates' s. x: dims[0] floats in [0, 1] laid out rows x cols (rows * cols == dims[0]); degrees: a
 * counter-clockwise rotation applied first (0: none). NULL with an error when the image
 * size does not match the model. */
TgProbe *tg_probe_new  (const TgModel *model, float sharpness, const float *x, guint32 rows,
                        guint32 cols, double degrees, GError **error);
void     tg_probe_free (TgProbe *probe);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgProbe, tg_probe_free)

G_END_DECLS
