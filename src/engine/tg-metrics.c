/* SPDX-License-Identifier: MIT */
/* tg-metrics.c — accuracy with soft and hard gates, the high-act fraction, mean gates,
 * per-class firing rates and the Jaccard of on-sets, all by chunked forwards over a data set.
 * The model is only read; the gates each forward runs with are arguments. */
#include "tg-metrics.h"

#include <math.h>
#include <string.h>

/* Walks the first n examples of ds in chunks, running the forward with the gates of opts. */
typedef struct {
  const TgModel   *model;
  TgWorkspace     *ws;
  TgForwardOpts    opts;
  const TgDataset *ds;
  const float     *z1pre;
  guint32          n, chunk, pos;
  gboolean         use_z1, need_x;
  float           *x;
} Walk;

static void
walk_init (Walk *w, const TgModel *model, TgWorkspace *ws, const TgForwardOpts *opts,
           const TgDataset *ds, const float *z1pre, guint32 n)
{
  memset (w, 0, sizeof *w);
  w->model = model;
  w->ws = ws;
  w->opts = *opts;
  w->ds = ds;
  w->n = (n == 0 || n > ds->n) ? ds->n : n;
  w->chunk = tg_workspace_max_batch (ws);
  w->use_z1 = z1pre != NULL && model->method != TG_METHOD_FULL;
  w->z1pre = w->use_z1 ? z1pre : NULL;
  w->need_x = !w->use_z1 || tg_method_info (model->method)->lora;
  if (w->need_x)
    w->x = g_new (float, (size_t) w->chunk * ds->dim);
}

/* Runs the next chunk's forward; returns its size (0 at the end) and its first index. */
static guint32
walk_next (Walk *w, guint32 *first)
{
  if (w->pos >= w->n)
    return 0;
  guint32 count = MIN (w->chunk, w->n - w->pos);
  *first = w->pos;
  if (w->need_x)
    tg_dataset_gather (w->ds, NULL, w->pos, count, w->x, NULL);
  tg_model_forward (w->model, w->ws, &w->opts, w->x,
                    w->use_z1 ? w->z1pre + (size_t) w->pos * w->model->dims[1] : NULL, count);
  w->pos += count;
  return count;
}

static void
walk_clear (Walk *w)
{
  g_clear_pointer (&w->x, g_free);
}

/* Accuracy and mean cross-entropy with the gates of opts. */
static void
accuracy (const TgModel *m, TgWorkspace *ws, const TgForwardOpts *opts, const TgDataset *ds,
          const float *z1pre, guint32 n, double *acc, double *loss)
{
  Walk w;
  guint32 count, first, C = m->dims[m->n_linear];
  guint64 correct = 0, total = 0;
  double ce = 0.0;
  walk_init (&w, m, ws, opts, ds, z1pre, n);
  while ((count = walk_next (&w, &first)) > 0)
    {
      TgLossInfo info;
      const float *logits = tg_workspace_logits (ws);
      tg_model_loss (m, ws, ds->labels + first, count, 0.0f, &info);
      for (guint32 i = 0; i < count; i++)
        correct += tg_argmax (logits + (size_t) i * C, C) == ds->labels[first + i];
      ce += info.ce * count;
      total += count;
    }
  walk_clear (&w);
  *acc = total ? (double) correct / total : NAN;
  if (loss)
    *loss = total ? ce / total : NAN;
}

void
tg_evaluate (const TgModel *m, TgWorkspace *ws, const TgForwardOpts *opts, const TgDataset *ds,
             const float *z1pre, guint32 n, TgEval *out)
{
  TgForwardOpts soft = { TG_GATES_SOFT, opts->sharpness };
  TgForwardOpts hard = { TG_GATES_HARD, opts->sharpness };
  accuracy (m, ws, &soft, ds, z1pre, n, &out->acc_soft, &out->loss);
  if (tg_method_info (m->method)->gated)
    accuracy (m, ws, &hard, ds, z1pre, n, &out->acc_hard, NULL);
  else
    out->acc_hard = out->acc_soft;
  out->acc = opts->gates == TG_GATES_HARD ? out->acc_hard : out->acc_soft;
}

double
tg_high_act_frac (const TgModel *m, TgWorkspace *ws, float sharpness, const TgDataset *ds,
                  const float *z1pre, guint32 n, float thresh)
{
  if (!tg_method_info (m->method)->gated)
    return 0.0;
  guint32 L = tg_model_n_hidden (m), count, first;
  guint64 high[TG_MAX_LINEAR] = { 0 }, seen[TG_MAX_LINEAR] = { 0 };
  TgForwardOpts soft = { TG_GATES_SOFT, sharpness };
  Walk w;
  walk_init (&w, m, ws, &soft, ds, z1pre, n);
  while ((count = walk_next (&w, &first)) > 0)
    for (guint32 l = 0; l < L; l++)
      {
        const float *g = tg_workspace_gates (ws, l);
        size_t total = (size_t) count * m->dims[l + 1];
        for (size_t k = 0; k < total; k++)
          high[l] += g[k] > thresh;
        seen[l] += total;
      }
  walk_clear (&w);
  double sum = 0.0;
  for (guint32 l = 0; l < L; l++)
    sum += seen[l] ? (double) high[l] / seen[l] : 0.0;
  return L ? sum / L : 0.0;
}

/* The gate of unit j of layer l for example i of the last forward: the gate itself for a
 * gated model, 1[z > 0] (the unit fires) otherwise. */
static inline float
gate_value (const TgModel *m, const TgWorkspace *ws, guint32 l, guint32 i, guint32 j)
{
  const float *g = tg_workspace_gates (ws, l);
  size_t k = (size_t) i * m->dims[l + 1] + j;
  if (g != NULL)
    return g[k];
  return tg_workspace_preact (ws, l)[k] > 0.0f ? 1.0f : 0.0f;
}

/* Sums gates per (class or 0, unit) into sums, counting examples per class into counts. */
static void
accumulate_gates (const TgModel *m, TgWorkspace *ws, const TgForwardOpts *opts,
                  const TgDataset *ds, const float *z1pre, guint32 n, gboolean by_class,
                  double *sums, guint64 *counts)
{
  guint32 units = tg_model_hidden_units (m), L = tg_model_n_hidden (m), count, first;
  Walk w;
  walk_init (&w, m, ws, opts, ds, z1pre, n);
  while ((count = walk_next (&w, &first)) > 0)
    for (guint32 i = 0; i < count; i++)
      {
        guint32 row = by_class ? ds->labels[first + i] : 0;
        double *s = sums + (size_t) row * units;
        counts[row]++;
        for (guint32 l = 0, base = 0; l < L; base += m->dims[l + 1], l++)
          for (guint32 j = 0; j < m->dims[l + 1]; j++)
            s[base + j] += gate_value (m, ws, l, i, j);
      }
  walk_clear (&w);
}

void
tg_mean_gates (const TgModel *m, TgWorkspace *ws, const TgForwardOpts *opts,
               const TgDataset *ds, const float *z1pre, guint32 n, float *out)
{
  guint32 units = tg_model_hidden_units (m);
  g_autofree double *sums = g_new0 (double, units);
  guint64 count = 0;
  accumulate_gates (m, ws, opts, ds, z1pre, n, FALSE, sums, &count);
  for (guint32 j = 0; j < units; j++)
    out[j] = count ? (float) (sums[j] / count) : 0.0f;
}

void
tg_firing_by_class (const TgModel *m, TgWorkspace *ws, const TgForwardOpts *opts,
                    const TgDataset *ds, const float *z1pre, guint32 n, float *out)
{
  guint32 units = tg_model_hidden_units (m), C = ds->n_classes;
  g_autofree double *sums = g_new0 (double, (size_t) C * units);
  g_autofree guint64 *counts = g_new0 (guint64, C);
  accumulate_gates (m, ws, opts, ds, z1pre, n, TRUE, sums, counts);
  for (guint32 c = 0; c < C; c++)
    for (guint32 j = 0; j < units; j++)
      out[(size_t) c * units + j] = counts[c] ? (float) (sums[(size_t) c * units + j] / counts[c])
                                              : 0.0f;
}

double
tg_jaccard (const float *a, const float *b, guint32 n, float thresh)
{
  guint32 both = 0, either = 0;
  for (guint32 i = 0; i < n; i++)
    {
      gboolean on_a = a[i] > thresh, on_b = b[i] > thresh;
      both += on_a && on_b;
      either += on_a || on_b;
    }
  return either == 0 ? 1.0 : (double) both / either;
}

float *
tg_dataset_first_layer (const TgModel *m, const TgDataset *ds, guint32 chunk)
{
  if (chunk == 0)
    chunk = 1024;
  guint32 d1 = m->dims[1];
  float *out = g_new (float, (size_t) ds->n * d1);
  g_autofree float *x = g_new (float, (size_t) chunk * ds->dim);
  for (guint32 pos = 0; pos < ds->n; pos += chunk)
    {
      guint32 count = MIN (chunk, ds->n - pos);
      tg_dataset_gather (ds, NULL, pos, count, x, NULL);
      tg_model_first_layer_products (m, x, count, out + (size_t) pos * d1);
    }
  return out;
}
