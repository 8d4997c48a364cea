/* SPDX-License-Identifier: MIT */
/* tg-train.h — SGD with momentum, one minibatch per call, and the epoch that feeds it.
 *
 * This is the API a live caller drives: between two tg_trainer_step() calls it may read the
 * model (tau, gamma, gates), evaluate, and change lr, lambda and the sharpness s. Nothing
 * here owns a thread; the caller decides where steps run. */
#pragma once

#include "tg-model.h"
#include "tg-data.h"

G_BEGIN_DECLS

typedef struct {
  float   lr;        /* 0.01 */
  float   momentum;  /* 0.9, PyTorch's form: v = mu v + g; p -= lr v */
  float   lambda;    /* sparsity penalty on mean gate, 0 */
  float   sharpness; /* s of the soft gate every step trains through, 5 (0 also means 5);
                        with anneal_sharpness, the s an epoch ends at (s_max) */
  guint32 batch;     /* 256; the last partial batch of an epoch is kept */
  gboolean anneal_sharpness; /* HAT's schedule (Serra et al. 2018): within each epoch of
                                tg_trainer_run_epoch, s rises linearly from 1/s_max at the
                                first batch to s_max at the last (tg_anneal_sharpness) */
} TgTrainConfig;

void tg_train_config_init (TgTrainConfig *cfg);

/* HAT's s for batch b (0-based) of n_batches in an epoch:
 * 1/s_max + (s_max - 1/s_max) b / (n_batches - 1); s_max for an epoch of one batch. */
float tg_anneal_sharpness (float s_max, guint32 b, guint32 n_batches);

typedef struct _TgTrainer TgTrainer;

/* Trains model->method's parameters of model (borrowed; must outlive the trainer).
 * Momentum starts at zero. */
TgTrainer *tg_trainer_new  (TgModel *model, const TgTrainConfig *cfg);
void       tg_trainer_free (TgTrainer *trainer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgTrainer, tg_trainer_free)

void     tg_trainer_set_lr        (TgTrainer *t, float lr);
void     tg_trainer_set_lambda    (TgTrainer *t, float lambda);
void     tg_trainer_set_sharpness (TgTrainer *t, float s);
float    tg_trainer_get_lr        (const TgTrainer *t);
float    tg_trainer_get_lambda    (const TgTrainer *t);
float    tg_trainer_get_sharpness (const TgTrainer *t);
/* The s the last step trained through: the sharpness, or its annealed value. */
float    tg_trainer_get_step_sharpness (const TgTrainer *t);
gboolean tg_trainer_get_anneal     (const TgTrainer *t);
guint64  tg_trainer_get_steps     (const TgTrainer *t);
TgModel *tg_trainer_get_model     (TgTrainer *t);
/* The trainer's workspace (max batch = cfg->batch), free for evaluations between steps. */
TgWorkspace *tg_trainer_get_workspace (TgTrainer *t);

/* One minibatch: forward, loss, gradient, momentum update. x / z1pre as in
 * tg_model_forward(). FALSE with TG_ERROR_DIVERGED when the loss is not finite (the
 * parameters are then left as they were before the step). */
gboolean tg_trainer_step (TgTrainer *t, const float *x, const float *z1pre, const guint8 *y,
                          guint32 n, TgLossInfo *info, GError **error);

/* --- an epoch over a source ------------------------------------------------------------ */

typedef struct {
  const TgDataset *data;   /* the examples */
  const TgDataset *alt;    /* optional second mode of the same examples (same n), picked
                              per example by a fair coin drawn at the start of each epoch */
  const float     *z1pre;  /* optional (data->n, z1_dim) first-layer products of data;
                              only with alt == NULL and mix == NULL */
  guint32          z1_dim;
  const TgDataset *const *mix;  /* optional, instead of data and alt: n_mix modes of the same
                                   examples (same n and dim), one picked per example
                                   uniformly at the start of each epoch; {data, alt} is the
                                   same draws as alt. data must still be set (mix[0]). */
  guint32          n_mix;
} TgSource;

typedef struct _TgEpoch TgEpoch;

/* Draws a permutation (and, with alt or mix, each example's mode) from rng. */
TgEpoch *tg_epoch_new       (const TgSource *src, guint32 batch, uint64_t *rng);
void     tg_epoch_free      (TgEpoch *epoch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgEpoch, tg_epoch_free)
guint32  tg_epoch_n_batches (const TgEpoch *epoch);
guint32  tg_epoch_position  (const TgEpoch *epoch);  /* batches already taken */
/* Fills the next batch: x (batch, dim) if not NULL, z1 (batch, z1_dim) if not NULL and the
 * source has z1pre, labels. Returns its size, 0 once the epoch is over. */
guint32  tg_epoch_next      (TgEpoch *epoch, float *x, float *z1, guint8 *labels);

/* Called after each step of tg_trainer_run_epoch() with the batch size and its loss;
 * returning FALSE stops the epoch with TG_ERROR_CANCELLED. */
typedef gboolean (*TgBatchFunc) (guint32 n, const TgLossInfo *info, gpointer user_data);

/* Runs a whole epoch of steps (x is gathered only when the method needs it, the source's
 * first-layer products are used when they can be); with anneal_sharpness, step b of the
 * epoch trains through tg_anneal_sharpness (sharpness, b, batches). on_batch and cancellable may be NULL.
 * A Frozen model trains nothing: the epoch's draws are still made, no step is taken. */
gboolean tg_trainer_run_epoch (TgTrainer *t, const TgSource *src, uint64_t *rng,
                               TgBatchFunc on_batch, gpointer user_data,
                               GCancellable *cancellable, TgLossInfo *last, GError **error);

G_END_DECLS
