/* SPDX-License-Identifier: MIT */
/* tg-protocol-train.h — the protocol's two training steps, written once for every command
 * that runs them (reproduce, sweep, the benches, the studio's comparison): a foundation of
 * the settings' shape trained on its mix of angles from a seed's stream, and a copy of a
 * foundation specialised with one method to one mode from the (seed, method) stream. Not
 * here: the pools that run them, loading or saving foundations, what gets measured after. */
#pragma once

#include "tg-experiment.h"
#include "tg-train.h"

G_BEGIN_DECLS

/* What a caller hears while a step trains; every member may be NULL. on_batch after every
 * step (FALSE stops with TG_ERROR_CANCELLED), on_epoch after every epoch with its last loss. */
typedef struct {
  TgBatchFunc   on_batch;
  void        (*on_epoch) (const TgLossInfo *last, gpointer user_data);
  gpointer      user_data;
  GCancellable *cancellable;
} TgTrainHooks;

/* Trains m (its method set) for epochs over src with cfg's optimiser (lr, momentum, batch),
 * lambda and s (annealed within each epoch when cfg->anneal_sharpness: HAT's schedule); *last (may be NULL) gets the last step's loss. */
gboolean tg_protocol_train      (TgModel *m, const TgExperimentConfig *cfg, float lambda,
                                 float sharpness, const TgSource *src, guint32 epochs,
                                 uint64_t *rng, const TgTrainHooks *hooks, TgLossInfo *last,
                                 GError **error);

/* A new foundation of cfg's shape for data (n_hidden layers of width), its weights from
 * seed's stream, Full FT on mix for cfg->foundation_epochs. TG_ERROR_DIVERGED when its
 * training collapsed (what (e.g. "seed 0's foundation") names it in the message). */
TgModel *tg_protocol_foundation (const TgExperimentConfig *cfg, const TgModeData *data,
                                 const TgMix *mix, guint64 seed, const char *what,
                                 const TgTrainHooks *hooks, GError **error);

/* A copy of foundation specialised with method, lambda and s to train (first-layer products
 * train_z1, may be NULL) for cfg->adapt_epochs, from the stream of (seed, method):
 * tg_experiment_adapt_seed. */
TgModel *tg_protocol_specialise (const TgModel *foundation, const TgExperimentConfig *cfg,
                                 TgMethod method, float lambda, float sharpness,
                                 const TgDataset *train, const float *train_z1, guint64 seed,
                                 const TgTrainHooks *hooks, TgLossInfo *last, GError **error);

G_END_DECLS
