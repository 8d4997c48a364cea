/* SPDX-License-Identifier: MIT */
/* tg-multimode.h — K modes of one foundation evaluated in one pass.
 *
 * Modes whose adapters leave every weight matrix of the foundation as it is (Base/Frozen,
 * BitFit, TauGate, GainOnly, TauOnly: they change only biases, tau and gamma) share their
 * products. On a batch X (n, d0) one pass computes X W0^T once, then each mode's bias and
 * gating on its copy, and every later layer as one product of the K modes' activations
 * stacked (K n, d) with the shared W: one large product plus K small ones, instead of K
 * forwards each with its own X W0^T. Every float is computed as tg_model_forward computes
 * it, so the logits are those of K separate forwards (up to the order a BLAS kernel sums in;
 * with the naive reference product, bit for bit).
 *
 * Not here: which modes to run (tg-modes.c, tg-automode.c), LoRA and Full FT (their first
 * product is their own). */
#pragma once

#include "tg-model.h"
#include "tg-data.h"

G_BEGIN_DECLS

typedef struct _TgMultiForward TgMultiForward;

/* The batch the accuracy matrix and the mixed stream run their passes in: K modes hold
 * K x 64 rows per layer, a few MB for the 64 modes a session may have. */
#define TG_MULTI_FORWARD_BATCH 64

/* Whether model runs on foundation's weight matrices unchanged: same architecture, a
 * method that trains no weight matrix and adds no LoRA delta, and W[l] equal to the
 * foundation's for every layer. */
gboolean        tg_multi_forward_can_share (const TgModel *foundation, const TgModel *model);

/* A pass over the n_models models (borrowed: they must outlive it) on batches of up to
 * max_batch examples. Refused (NULL, TG_ERROR_MISMATCH naming the model's index) when a
 * model cannot share the foundation's weights, or (TG_ERROR_INVALID) for no model. */
TgMultiForward *tg_multi_forward_new    (const TgModel *foundation,
                                         const TgModel *const *models, guint n_models,
                                         guint32 max_batch, GError **error);
void            tg_multi_forward_free   (TgMultiForward *mf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgMultiForward, tg_multi_forward_free)

/* Every model's forward on x (n, d0), n <= max_batch; opts: one per model (its gates and
 * sharpness). z1pre: optional (n, dims[1]) x W0^T already made (x may then be NULL), as
 * tg_model_forward takes it. */
void            tg_multi_forward_run    (TgMultiForward *mf, const TgForwardOpts *opts,
                                         const float *x, const float *z1pre, guint32 n);
/* Model k's logits (n, classes) of the last run; valid until the next run. */
const float    *tg_multi_forward_logits (const TgMultiForward *mf, guint k);

/* Over the first n examples of ds (0: all), in batches: how often each model's argmax is the
 * label, into acc[k] (NAN for an empty set); with the gates of opts (one per model). z1pre:
 * optional (ds->n, dims[1]) x W0^T of ds, when a caller has made it for other models. */
void            tg_multi_forward_accuracy   (TgMultiForward *mf, const TgForwardOpts *opts,
                                             const TgDataset *ds, const float *z1pre,
                                             guint32 n, double *acc);
/* Every model's logits over all of ds: out[k] receives a new (ds->n, classes) array. */
void            tg_multi_forward_all_logits (TgMultiForward *mf, const TgForwardOpts *opts,
                                             const TgDataset *ds, const float *z1pre,
                                             float **out);

/* Multiply-adds per example of K models of foundation's shape: as K separate forwards, and
 * in one pass (the first product once). Their ratio is the most one pass can save. */
void            tg_multi_forward_madds  (const TgModel *foundation, guint n_models,
                                         double *separate, double *one_pass);

G_END_DECLS
