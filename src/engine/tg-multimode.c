/* SPDX-License-Identifier: MIT */
/* tg-multimode.c — K modes of one foundation in one pass (see tg-multimode.h): one X W0^T,
 * then per layer each mode's bias and activation on its block of rows and one product of
 * the stacked blocks with the shared W. Not here: choosing the modes, accuracy, routing. */
#include "tg-multimode.h"

#include <math.h>
#include <string.h>

struct _TgMultiForward {
  const TgModel        *foundation;  /* borrowed: the shared weight matrices */
  const TgModel *const *models;      /* borrowed: biases, tau, gamma, method */
  guint                 n_models;
  guint32               max_batch;
  float                *z[TG_MAX_LINEAR];  /* (n_models * max_batch, dims[l+1]) */
  float                *h;                 /* (n_models * max_batch, widest hidden) */
  float                *z0;                /* (max_batch, dims[1]): X W0^T, once */
  guint32               last_n;
};

gboolean
tg_multi_forward_can_share (const TgModel *f, const TgModel *m)
{
  g_return_val_if_fail (f != NULL && m != NULL, FALSE);
  if (m->n_linear != f->n_linear || m->method == TG_METHOD_FULL ||
      tg_method_info (m->method)->lora)
    return FALSE;
  for (guint32 l = 0; l <= f->n_linear; l++)
    if (m->dims[l] != f->dims[l])
      return FALSE;
  for (guint32 l = 0; l < f->n_linear; l++)
    if (memcmp (m->params + m->w[l], f->params + f->w[l],
                sizeof (float) * f->dims[l] * f->dims[l + 1]) != 0)
      return FALSE;
  return TRUE;
}

TgMultiForward *
tg_multi_forward_new (const TgModel *foundation, const TgModel *const *models, guint n_models,
                      guint32 max_batch, GError **error)
{
  g_return_val_if_fail (foundation != NULL && (models != NULL || n_models == 0), NULL);
  if (n_models == 0 || max_batch == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "a pass over %u modes on batches of %u examples", n_models, max_batch);
      return NULL;
    }
  for (guint k = 0; k < n_models; k++)
    if (!tg_multi_forward_can_share (foundation, models[k]))
      {
        g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                     "mode %u (%s) does not run on the foundation's weights unchanged", k,
                     tg_method_info (models[k]->method)->label);
        return NULL;
      }
  TgMultiForward *mf = g_new0 (TgMultiForward, 1);
  mf->foundation = foundation;
  mf->models = models;
  mf->n_models = n_models;
  mf->max_batch = max_batch;
  size_t rows = (size_t) n_models * max_batch;
  guint32 widest = 0;
  for (guint32 l = 0; l < foundation->n_linear; l++)
    {
      mf->z[l] = g_new (float, rows * foundation->dims[l + 1]);
      if (l + 1 < foundation->n_linear)
        widest = MAX (widest, foundation->dims[l + 1]);
    }
  mf->h = g_new (float, rows * MAX (widest, 1));
  mf->z0 = g_new (float, (size_t) max_batch * foundation->dims[1]);
  return mf;
}

void
tg_multi_forward_free (TgMultiForward *mf)
{
  if (mf == NULL)
    return;
  for (guint32 l = 0; l < TG_MAX_LINEAR; l++)
    g_free (mf->z[l]);
  g_free (mf->h);
  g_free (mf->z0);
  g_free (mf);
}

/* z (n, d) += b (d), as the forward adds a bias after its product */
static void
add_bias (float *z, const float *b, guint32 n, guint32 d)
{
  for (guint32 i = 0; i < n; i++)
    {
      float *zi = z + (size_t) i * d;
      for (guint32 j = 0; j < d; j++)
        zi[j] += b[j];
    }
}

void
tg_multi_forward_run (TgMultiForward *mf, const TgForwardOpts *opts, const float *x,
                      const float *z1pre, guint32 n)
{
  g_return_if_fail (mf != NULL && opts != NULL && (x != NULL || z1pre != NULL));
  g_return_if_fail (n <= mf->max_batch);
  const TgModel *f = mf->foundation;
  guint K = mf->n_models;
  mf->last_n = n;
  if (n == 0)
    return;

  /* the one large product */
  if (z1pre == NULL)
    tg_model_first_layer_products (f, x, n, mf->z0);
  for (guint32 l = 0; l < f->n_linear; l++)
    {
      guint32 din = f->dims[l], dout = f->dims[l + 1];
      size_t block = (size_t) n * dout;
      if (l == 0)
        for (guint k = 0; k < K; k++)
          memcpy (mf->z[0] + k * block, z1pre != NULL ? z1pre : mf->z0,
                  block * sizeof (float));
      else  /* every mode's rows at once through the shared W[l] */
        tg_gemm (FALSE, TRUE, (int) (K * n), (int) dout, (int) din, 1.0f, mf->h, (int) din,
                 f->params + f->w[l], (int) din, 0.0f, mf->z[l], (int) dout);
      for (guint k = 0; k < K; k++)
        {
          const TgModel *m = mf->models[k];
          float *z = mf->z[l] + k * block;
          add_bias (z, m->params + m->b[l], n, dout);
          if (l + 1 < f->n_linear)
            tg_model_hidden_activation (m, &opts[k], l, z, mf->h + k * block, NULL, n);
        }
    }
}

const float *
tg_multi_forward_logits (const TgMultiForward *mf, guint k)
{
  g_return_val_if_fail (mf != NULL && k < mf->n_models, NULL);
  const TgModel *f = mf->foundation;
  return mf->z[f->n_linear - 1] + (size_t) k * mf->last_n * f->dims[f->n_linear];
}

/* Runs every batch of the first n examples of ds, calling batch_done after each. */
typedef void (*BatchDone) (TgMultiForward *mf, guint32 first, guint32 count, gpointer data);

static void
over_batches (TgMultiForward *mf, const TgForwardOpts *opts, const TgDataset *ds,
              const float *z1pre, guint32 n, BatchDone batch_done, gpointer data)
{
  g_return_if_fail (ds->dim == mf->foundation->dims[0]);
  n = n == 0 ? ds->n : MIN (n, ds->n);
  guint32 d1 = mf->foundation->dims[1];
  g_autofree float *x = z1pre ? NULL : g_new (float, (size_t) mf->max_batch * ds->dim);
  for (guint32 pos = 0; pos < n; pos += mf->max_batch)
    {
      guint32 count = MIN (mf->max_batch, n - pos);
      if (z1pre == NULL)
        tg_dataset_gather (ds, NULL, pos, count, x, NULL);
      tg_multi_forward_run (mf, opts, x, z1pre ? z1pre + (size_t) pos * d1 : NULL, count);
      batch_done (mf, pos, count, data);
    }
}

typedef struct {
  const guint8 *labels;
  guint64      *correct;
} Count;

static void
count_correct (TgMultiForward *mf, guint32 first, guint32 count, gpointer data)
{
  Count *c = data;
  guint32 C = mf->foundation->dims[mf->foundation->n_linear];
  for (guint k = 0; k < mf->n_models; k++)
    {
      const float *logits = tg_multi_forward_logits (mf, k);
      for (guint32 i = 0; i < count; i++)
        c->correct[k] += tg_argmax (logits + (size_t) i * C, C) == c->labels[first + i];
    }
}

void
tg_multi_forward_accuracy (TgMultiForward *mf, const TgForwardOpts *opts, const TgDataset *ds,
                           const float *z1pre, guint32 n, double *acc)
{
  g_return_if_fail (mf != NULL && opts != NULL && ds != NULL && acc != NULL);
  g_autofree guint64 *correct = g_new0 (guint64, mf->n_models);
  Count c = { ds->labels, correct };
  over_batches (mf, opts, ds, z1pre, n, count_correct, &c);
  guint32 total = n == 0 ? ds->n : MIN (n, ds->n);
  for (guint k = 0; k < mf->n_models; k++)
    acc[k] = total ? (double) correct[k] / total : NAN;
}

static void
keep_logits (TgMultiForward *mf, guint32 first, guint32 count, gpointer data)
{
  float **out = data;
  guint32 C = mf->foundation->dims[mf->foundation->n_linear];
  for (guint k = 0; k < mf->n_models; k++)
    memcpy (out[k] + (size_t) first * C, tg_multi_forward_logits (mf, k),
            sizeof (float) * count * C);
}

void
tg_multi_forward_all_logits (TgMultiForward *mf, const TgForwardOpts *opts, const TgDataset *ds,
                             const float *z1pre, float **out)
{
  g_return_if_fail (mf != NULL && opts != NULL && ds != NULL && out != NULL);
  guint32 C = mf->foundation->dims[mf->foundation->n_linear];
  for (guint k = 0; k < mf->n_models; k++)
    out[k] = g_new (float, (size_t) MAX (ds->n, 1) * C);
  over_batches (mf, opts, ds, z1pre, 0, keep_logits, out);
}

void
tg_multi_forward_madds (const TgModel *f, guint n_models, double *separate, double *one_pass)
{
  double first = (double) f->dims[0] * f->dims[1], rest = 0.0;
  for (guint32 l = 1; l < f->n_linear; l++)
    rest += (double) f->dims[l] * f->dims[l + 1];
  *separate = n_models * (first + rest);
  *one_pass = first + n_models * rest;
}
