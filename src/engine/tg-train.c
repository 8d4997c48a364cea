/* SPDX-License-Identifier: MIT */
/* tg-train.c — SGD with momentum over the trainable ranges, one minibatch per call, and the
 * epochs (permutation, mode coins, batch gathering) that feed it.
 *
 * The optimiser is one flat loop over the method's ranges of the parameter block; gradients
 * and momentum are blocks of the same layout. Not here: threads (the caller's), metrics. */
#include "tg-train.h"

#include <math.h>
#include <string.h>

void
tg_train_config_init (TgTrainConfig *cfg)
{
  cfg->lr = 0.01f;
  cfg->momentum = 0.9f;
  cfg->lambda = 0.0f;
  cfg->sharpness = 5.0f;
  cfg->batch = 256;
  cfg->anneal_sharpness = FALSE;
}

float
tg_anneal_sharpness (float s_max, guint32 b, guint32 n_batches)
{
  if (n_batches <= 1 || b + 1 >= n_batches)
    return s_max;
  double lo = 1.0 / s_max;
  return (float) (lo + (s_max - lo) * (double) b / (double) (n_batches - 1));
}

struct _TgTrainer {
  TgModel       *model;      /* borrowed */
  TgTrainConfig  cfg;
  TgWorkspace   *ws;
  float         *grad;       /* same layout as model->params */
  float         *velocity;   /* same layout */
  float         *backup;     /* the trainable values before the step, to undo a NaN step */
  TgRange        ranges[4 * TG_MAX_LINEAR];
  guint          n_ranges;
  TgMethod       ranges_for;
  guint64        steps;
  float          step_s;     /* the s of the next (then the last) step; 0: cfg.sharpness */
};

static void
refresh_ranges (TgTrainer *t)
{
  if (t->n_ranges > 0 && t->ranges_for == t->model->method)
    return;
  t->n_ranges = tg_model_trainable_ranges (t->model, t->model->method, t->ranges,
                                           G_N_ELEMENTS (t->ranges));
  t->ranges_for = t->model->method;
}

TgTrainer *
tg_trainer_new (TgModel *model, const TgTrainConfig *cfg)
{
  TgTrainer *t = g_new0 (TgTrainer, 1);
  t->model = model;
  t->cfg = *cfg;
  if (t->cfg.batch == 0)
    t->cfg.batch = 256;
  if (!(t->cfg.sharpness > 0.0f))
    t->cfg.sharpness = 5.0f;
  t->ws = tg_workspace_new (model, t->cfg.batch);
  t->grad = g_new0 (float, model->n_params);
  t->velocity = g_new0 (float, model->n_params);
  t->backup = g_new0 (float, model->n_params);
  refresh_ranges (t);
  return t;
}

void
tg_trainer_free (TgTrainer *t)
{
  if (t == NULL)
    return;
  tg_workspace_free (t->ws);
  g_free (t->grad);
  g_free (t->velocity);
  g_free (t->backup);
  g_free (t);
}

void     tg_trainer_set_lr        (TgTrainer *t, float lr)     { t->cfg.lr = lr; }
void     tg_trainer_set_lambda    (TgTrainer *t, float lambda) { t->cfg.lambda = lambda; }
void     tg_trainer_set_sharpness (TgTrainer *t, float s)      { if (s > 0.0f) t->cfg.sharpness = s; }
float    tg_trainer_get_lr        (const TgTrainer *t)         { return t->cfg.lr; }
float    tg_trainer_get_lambda    (const TgTrainer *t)         { return t->cfg.lambda; }
float    tg_trainer_get_sharpness (const TgTrainer *t)         { return t->cfg.sharpness; }
float    tg_trainer_get_step_sharpness (const TgTrainer *t)
{
  return t->step_s > 0.0f ? t->step_s : t->cfg.sharpness;
}
gboolean tg_trainer_get_anneal     (const TgTrainer *t)         { return t->cfg.anneal_sharpness; }
guint64  tg_trainer_get_steps     (const TgTrainer *t)         { return t->steps; }
TgModel *tg_trainer_get_model     (TgTrainer *t)               { return t->model; }
TgWorkspace *tg_trainer_get_workspace (TgTrainer *t)           { return t->ws; }

gboolean
tg_trainer_step (TgTrainer *t, const float *x, const float *z1pre, const guint8 *y, guint32 n,
                 TgLossInfo *info, GError **error)
{
  TgModel *m = t->model;
  TgLossInfo local;
  if (info == NULL)
    info = &local;
  g_return_val_if_fail (n > 0 && n <= t->cfg.batch, FALSE);

  refresh_ranges (t);
  /* training is always through the soft gate */
  const float s = tg_trainer_get_step_sharpness (t);
  TgForwardOpts soft = { TG_GATES_SOFT, s };
  tg_model_forward (m, t->ws, &soft, x, z1pre, n);
  tg_model_loss (m, t->ws, y, n, t->cfg.lambda, info);
  if (!isfinite (info->loss))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_DIVERGED,
                   "the loss became %s at step %" G_GUINT64_FORMAT " (lr %.3g, s %.3g, lambda %.3g);"
                   " lower the learning rate or the sharpness",
                   isnan (info->loss) ? "NaN" : "infinite", t->steps + 1, t->cfg.lr,
                   s, t->cfg.lambda);
      return FALSE;
    }

  for (guint i = 0; i < t->n_ranges; i++)
    memset (t->grad + t->ranges[i].offset, 0, t->ranges[i].length * sizeof (float));
  tg_model_backward (m, t->ws, x, n, t->cfg.lambda, t->grad);

  /* PyTorch's SGD: v = mu v + g;  p -= lr v */
  const float lr = t->cfg.lr, mu = t->cfg.momentum;
  gboolean finite = TRUE;
  for (guint i = 0; i < t->n_ranges; i++)
    {
      size_t off = t->ranges[i].offset, len = t->ranges[i].length;
      float *p = m->params + off, *v = t->velocity + off, *g = t->grad + off, *b = t->backup + off;
      memcpy (b, p, len * sizeof (float));
      for (size_t k = 0; k < len; k++)
        {
          v[k] = mu * v[k] + g[k];
          p[k] -= lr * v[k];
        }
      for (size_t k = 0; k < len && finite; k++)
        finite = isfinite (p[k]);
    }
  if (!finite)
    {
      for (guint i = 0; i < t->n_ranges; i++)
        memcpy (m->params + t->ranges[i].offset, t->backup + t->ranges[i].offset,
                t->ranges[i].length * sizeof (float));
      g_set_error (error, TG_ERROR, TG_ERROR_DIVERGED,
                   "a parameter became infinite or NaN at step %" G_GUINT64_FORMAT
                   " (lr %.3g, s %.3g); lower the learning rate or the sharpness",
                   t->steps + 1, t->cfg.lr, s);
      return FALSE;
    }
  t->steps++;
  return TRUE;
}

/* --- epochs --------------------------------------------------------------------------- */

struct _TgEpoch {
  TgSource  src;
  guint32   batch;
  guint32   n;
  guint32  *order;
  const TgDataset *modes[TG_MAX_MIX_MODES];  /* with alt: {data, alt}; with mix: mix */
  guint32   n_modes;
  guint8   *coins;    /* with alt or mix: the mode each example is taken from */
  guint32   next;     /* position in order */
  guint32   taken;    /* batches */
};

TgEpoch *
tg_epoch_new (const TgSource *src, guint32 batch, uint64_t *rng)
{
  TgEpoch *e = g_new0 (TgEpoch, 1);
  e->src = *src;
  e->batch = batch > 0 ? batch : 256;
  e->n = src->data->n;
  e->order = g_new (guint32, e->n);
  for (guint32 i = 0; i < e->n; i++)
    e->order[i] = i;
  tg_rng_shuffle (rng, e->order, e->n);
  if (src->mix != NULL)
    {
      g_return_val_if_fail (src->n_mix >= 1 && src->n_mix <= TG_MAX_MIX_MODES, e);
      e->n_modes = src->n_mix;
      memcpy (e->modes, src->mix, src->n_mix * sizeof *src->mix);
    }
  else if (src->alt != NULL)
    {
      e->n_modes = 2;
      e->modes[0] = src->data;
      e->modes[1] = src->alt;
    }
  for (guint32 k = 0; k < e->n_modes; k++)
    g_return_val_if_fail (e->modes[k]->n == e->n && e->modes[k]->dim == src->data->dim, e);
  if (e->n_modes > 0)
    {
      e->coins = g_new (guint8, e->n);
      tg_mixture_picks (rng, e->coins, e->n, e->n_modes);
    }
  return e;
}

void
tg_epoch_free (TgEpoch *e)
{
  if (e == NULL)
    return;
  g_free (e->order);
  g_free (e->coins);
  g_free (e);
}

guint32 tg_epoch_n_batches (const TgEpoch *e) { return (e->n + e->batch - 1) / e->batch; }
guint32 tg_epoch_position  (const TgEpoch *e) { return e->taken; }

guint32
tg_epoch_next (TgEpoch *e, float *x, float *z1, guint8 *labels)
{
  if (e->next >= e->n)
    return 0;
  guint32 count = MIN (e->batch, e->n - e->next);
  const guint32 *idx = e->order + e->next;
  const TgDataset *data = e->src.data;

  if (e->coins == NULL)
    {
      if (x != NULL)
        tg_dataset_gather (data, idx, 0, count, x, labels);
      else
        for (guint32 i = 0; i < count; i++)
          labels[i] = data->labels[idx[i]];
    }
  else
    for (guint32 i = 0; i < count; i++)
      {
        const TgDataset *from = e->modes[e->coins[idx[i]]];
        if (x != NULL)
          tg_dataset_gather (from, &idx[i], 0, 1, x + (size_t) i * data->dim, &labels[i]);
        else
          labels[i] = from->labels[idx[i]];
      }

  if (z1 != NULL && e->src.z1pre != NULL && e->coins == NULL)
    for (guint32 i = 0; i < count; i++)
      memcpy (z1 + (size_t) i * e->src.z1_dim, e->src.z1pre + (size_t) idx[i] * e->src.z1_dim,
              e->src.z1_dim * sizeof (float));

  e->next += count;
  e->taken++;
  return count;
}

gboolean
tg_trainer_run_epoch (TgTrainer *t, const TgSource *src, uint64_t *rng, TgBatchFunc on_batch,
                      gpointer user_data, GCancellable *cancellable, TgLossInfo *last,
                      GError **error)
{
  TgModel *m = t->model;
  gboolean use_z1 = src->z1pre != NULL && src->alt == NULL && src->mix == NULL &&
                    m->method != TG_METHOD_FULL;
  gboolean need_x = !use_z1 || tg_method_info (m->method)->lora;
  g_autoptr (TgEpoch) epoch = tg_epoch_new (src, t->cfg.batch, rng);
  TgLossInfo info = { .loss = NAN };
  guint32 n;

  if (m->method == TG_METHOD_FROZEN)
    return TRUE; /* nothing trains: the epoch would change nothing */

  g_autofree float *x = need_x ? g_new (float, (size_t) t->cfg.batch * src->data->dim) : NULL;
  g_autofree float *z1 = use_z1 ? g_new (float, (size_t) t->cfg.batch * src->z1_dim) : NULL;
  g_autofree guint8 *y = g_new (guint8, t->cfg.batch);
  const guint32 n_batches = tg_epoch_n_batches (epoch);
  while ((n = tg_epoch_next (epoch, x, z1, y)) > 0)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* per step: a live caller may change s (then s_max) between steps */
      t->step_s = t->cfg.anneal_sharpness
        ? tg_anneal_sharpness (t->cfg.sharpness, tg_epoch_position (epoch) - 1, n_batches)
        : 0.0f;
      if (!tg_trainer_step (t, x, z1, y, n, &info, error))
        return FALSE;
      if (last)
        *last = info;
      if (on_batch && !on_batch (n, &info, user_data))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_CANCELLED, "stopped");
          return FALSE;
        }
    }
  return TRUE;
}
