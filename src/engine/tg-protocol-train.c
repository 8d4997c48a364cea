/* SPDX-License-Identifier: MIT */
/* tg-protocol-train.c — the protocol's foundation and specialisation steps (see the header). */
#include "tg-protocol-train.h"

#include <math.h>

gboolean
tg_protocol_train (TgModel *m, const TgExperimentConfig *cfg, float lambda, float sharpness,
                   const TgSource *src, guint32 epochs, uint64_t *rng,
                   const TgTrainHooks *hooks, TgLossInfo *last, GError **error)
{
  static const TgTrainHooks none = { 0 };
  TgTrainConfig tc = { .lr = cfg->lr, .momentum = cfg->momentum, .lambda = lambda,
                       .sharpness = sharpness, .batch = cfg->batch,
                       .anneal_sharpness = cfg->anneal_sharpness };
  g_autoptr (TgTrainer) trainer = tg_trainer_new (m, &tc);
  TgLossInfo info = { .loss = NAN, .ce = NAN };

  if (hooks == NULL)
    hooks = &none;
  for (guint32 e = 0; e < epochs; e++)
    {
      if (!tg_trainer_run_epoch (trainer, src, rng, hooks->on_batch, hooks->user_data,
                                 hooks->cancellable, &info, error))
        return FALSE;
      if (hooks->on_epoch != NULL)
        hooks->on_epoch (&info, hooks->user_data);
    }
  if (last != NULL)
    *last = info;
  return TRUE;
}

TgModel *
tg_protocol_foundation (const TgExperimentConfig *cfg, const TgModeData *data,
                        const TgMix *mix, guint64 seed, const char *what,
                        const TgTrainHooks *hooks, GError **error)
{
  guint32 widths[TG_MAX_LINEAR];
  for (guint32 l = 0; l < cfg->n_hidden && l < TG_MAX_LINEAR; l++)
    widths[l] = cfg->width;
  g_autoptr (TgModel) m = tg_model_new (data->train0->dim, cfg->n_hidden, widths,
                                        data->train0->n_classes, cfg->lora_rank,
                                        cfg->lora_alpha, error);
  if (m == NULL)
    return NULL;
  uint64_t rng = tg_rng_seed (seed);
  tg_model_init_weights (m, &rng);
  m->method = TG_METHOD_FULL;
  TgSource src = { .data = data->train0, .mix = mix->sets, .n_mix = mix->n };
  TgLossInfo last = { .loss = NAN, .ce = NAN };
  if (!tg_protocol_train (m, cfg, cfg->lambda, cfg->sharpness, &src, cfg->foundation_epochs,
                          &rng, hooks, &last, error))
    return NULL;
  if (tg_loss_collapsed (last.ce, m->dims[m->n_linear]))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_DIVERGED,
                   "training collapsed: %s ended at loss %.3g, more than %g times that of a "
                   "uniform guess (ln %u = %.2f); lower --lr (now %g)", what, last.ce,
                   TG_COLLAPSE_FACTOR, m->dims[m->n_linear], log (m->dims[m->n_linear]),
                   cfg->lr);
      return NULL;
    }
  return g_steal_pointer (&m);
}

TgModel *
tg_protocol_specialise (const TgModel *foundation, const TgExperimentConfig *cfg,
                        TgMethod method, float lambda, float sharpness,
                        const TgDataset *train, const float *train_z1, guint64 seed,
                        const TgTrainHooks *hooks, TgLossInfo *last, GError **error)
{
  g_autoptr (TgModel) m = tg_model_copy (foundation);
  uint64_t rng = tg_rng_seed (tg_experiment_adapt_seed (seed, method));
  tg_model_reset_adapter (m, &rng);
  m->method = method;
  TgSource src = { .data = train, .z1pre = train_z1, .z1_dim = m->dims[1] };
  if (!tg_protocol_train (m, cfg, lambda, sharpness, &src, cfg->adapt_epochs, &rng, hooks,
                          last, error))
    return NULL;
  return g_steal_pointer (&m);
}
