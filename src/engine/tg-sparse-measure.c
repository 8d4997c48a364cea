/* SPDX-License-Identifier: MIT */
/* tg-sparse-measure.c — counts, agreement and timings of the sparse forward against the
 * dense one on a test set (see tg-sparse-measure.h). */
#include "tg-sparse-measure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 256

static double
now_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* The q-quantile of v (n values, sorted in place). */
static double
quantile (double *v, guint32 n, double q)
{
  qsort (v, n, sizeof *v, cmp_double);
  return v[(size_t) (q * (n - 1) + 0.5)];
}

/* Agreement of every kernel here with the dense hard-gate forward in batches, and the sparse
 * path's counts (the same for every kernel: the tests hold them to it). */
static void
count_and_compare (const TgModel *m, TgSparseNet *net, const float *x, guint32 n,
                   TgSparseMeasure *out)
{
  const TgForwardOpts hard = { TG_GATES_HARD, 5.0f };
  guint32 d = m->dims[0], C = m->dims[m->n_linear], L = tg_model_n_hidden (m);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, BATCH);
  g_autofree float *logits = g_new (float, C);
  double madds = 0.0, inputs = 0.0, units[TG_MAX_LINEAR] = { 0 };

  for (guint32 pos = 0; pos < n; pos += BATCH)
    {
      guint32 count = MIN (BATCH, n - pos);
      tg_model_forward (m, ws, &hard, x + (size_t) pos * d, NULL, count);
      const float *dense = tg_workspace_logits (ws);
      for (guint32 i = 0; i < count; i++)
        {
          const float *di = dense + (size_t) i * C;
          guint32 ad = tg_argmax (di, C);
          TgSparseCount c = { 0 };
          for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
            {
              TgSparseKernelMeasure *km = &out->kernels[k];
              if (!tg_sparse_net_set_kernel (net, (TgSparseKernel) k))
                continue;
              km->runs = TRUE;
              tg_sparse_net_forward (net, x + (size_t) (pos + i) * d, logits, &c);
              guint32 as = tg_argmax (logits, C);
              km->identical += as == ad;
              km->ties += as != ad &&
                          fabsf (di[as] - di[ad]) <= 1e-5f * (1.0f + fabsf (di[ad]));
            }
          madds += c.madds;
          inputs += c.inputs_on;
          for (guint32 l = 0; l < L; l++)
            units[l] += c.units_on[l];
        }
    }
  out->madds_sparse = madds / n;
  out->inputs_on = inputs / n;
  for (guint32 l = 0; l < L; l++)
    out->units_on[l] = units[l] / n;
}

/* Batch-1 latencies, the dense forward and every kernel here interleaved image by image,
 * after a warm-up. */
static void
time_batch1 (TgSparseNet *net, const float *x, guint32 n, TgSparseMeasure *out)
{
  guint32 d = tg_sparse_net_n_inputs (net);
  g_autofree float *logits = g_new (float, tg_sparse_net_n_classes (net));
  g_autofree double *td = g_new (double, n);
  double *ts[TG_SPARSE_N_KERNELS] = { NULL };

  for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
    if (out->kernels[k].runs)
      ts[k] = g_new (double, n);
  for (guint32 i = 0; i < MIN (n, BATCH); i++)
    {
      tg_sparse_net_forward_dense (net, x + (size_t) i * d, logits);
      for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
        if (tg_sparse_net_set_kernel (net, (TgSparseKernel) k))
          tg_sparse_net_forward (net, x + (size_t) i * d, logits, NULL);
    }
  for (guint32 i = 0; i < n; i++)
    {
      const float *xi = x + (size_t) i * d;
      double t0 = now_us ();
      tg_sparse_net_forward_dense (net, xi, logits);
      td[i] = now_us () - t0;
      for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
        {
          if (ts[k] == NULL)
            continue;
          tg_sparse_net_set_kernel (net, (TgSparseKernel) k);
          double t1 = now_us ();
          tg_sparse_net_forward (net, xi, logits, NULL);
          ts[k][i] = now_us () - t1;
        }
    }
  out->dense_p50_us = quantile (td, n, 0.5);
  out->dense_p99_us = quantile (td, n, 0.99);
  for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
    if (ts[k] != NULL)
      {
        out->kernels[k].p50_us = quantile (ts[k], n, 0.5);
        out->kernels[k].p99_us = quantile (ts[k], n, 0.99);
        g_free (ts[k]);
      }
}

/* Throughput in batches of 256: sgemm through tg_model_forward, and the sparse forward. */
static void
time_batched (const TgModel *m, TgSparseNet *net, const float *x, guint32 n,
              TgSparseMeasure *out)
{
  const TgForwardOpts hard = { TG_GATES_HARD, 5.0f };
  guint32 d = m->dims[0];
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, BATCH);
  g_autofree float *logits = g_new (float, (size_t) BATCH * m->dims[m->n_linear]);
  double dense = 0.0, sparse = 0.0;

  tg_model_forward (m, ws, &hard, x, NULL, MIN (n, BATCH)); /* warm-up */
  for (guint32 pos = 0; pos < n; pos += BATCH)
    {
      guint32 count = MIN (BATCH, n - pos);
      const float *xb = x + (size_t) pos * d;
      double t0 = now_us ();
      tg_model_forward (m, ws, &hard, xb, NULL, count);
      double t1 = now_us ();
      for (guint32 i = 0; i < count; i++)
        tg_sparse_net_forward (net, xb + (size_t) i * d,
                               logits + (size_t) i * m->dims[m->n_linear], NULL);
      double t2 = now_us ();
      dense += t1 - t0;
      sparse += t2 - t1;
    }
  out->dense_batch_ips = dense > 0 ? n / (dense / 1e6) : 0.0;
  out->sparse_batch_ips = sparse > 0 ? n / (sparse / 1e6) : 0.0;
}

void
tg_sparse_measure (const TgModel *m, const TgDataset *ds, guint32 n, gboolean time_it,
                   TgSparseMeasure *out)
{
  memset (out, 0, sizeof *out);
  n = (n == 0 || n > ds->n) ? ds->n : n;
  out->n = n;
  if (n == 0)
    return;
  g_autoptr (TgSparseNet) net = tg_sparse_net_new (m);
  g_autofree float *x = g_new (float, (size_t) n * ds->dim);
  tg_dataset_gather (ds, NULL, 0, n, x, NULL);
  out->kernel = tg_sparse_net_get_kernel (net);
  out->madds_dense = (double) tg_sparse_net_dense_madds (net);
  count_and_compare (m, net, x, n, out);
  if (time_it)
    time_batch1 (net, x, n, out);
  const TgSparseKernelMeasure *chosen = &out->kernels[out->kernel];
  out->identical = chosen->identical;
  out->ties = chosen->ties;
  out->sparse_p50_us = chosen->p50_us;
  out->sparse_p99_us = chosen->p99_us;
  tg_sparse_net_set_kernel (net, out->kernel);
  if (time_it)
    time_batched (m, net, x, n, out);
}
