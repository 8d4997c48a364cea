/* SPDX-License-Identifier: MIT */
/* tg-sparse.c — the sparse batch-1 forward (rows of transposed weights for the inputs and
 * units that are on), the dense batch-1 forward it is measured against (cblas_sgemv), and
 * the naive reference beside both.
 *
 * The three compute the same function, the hard-gate forward of tg_model_forward(): only the
 * order of the additions differs. The sparse forward's inner loops are the net's kernel
 * variant (tg-sparse-kernels.c); here are the layer loop and the padded weight layout they
 * read. Not here: timing (taugate bench), batches (tg-model.c). */
#include "tg-sparse.h"
#include "tg-sparse-kernels.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

struct _TgSparseNet {
  guint32  n_linear;
  guint32  dims[TG_MAX_LINEAR + 1];
  gboolean gated;
  TgSparseKernel     kernel;
  const TgSparseOps *ops;         /* kernel's loops */
  float   *w[TG_MAX_LINEAR];      /* (dout, din) row-major, LoRA folded in */
  float   *wt[TG_MAX_LINEAR];     /* (din, stride): the transpose, a row per input or unit,
                                     each on a 64-byte line, zeros past dout */
  guint32  stride[TG_MAX_LINEAR]; /* dout padded (tg_sparse_padded) */
  float   *b[TG_MAX_LINEAR];      /* (stride), zeros past dout */
  float   *tau[TG_MAX_LINEAR];    /* (stride), hidden layers of a gated method; else NULL */
  float   *gamma[TG_MAX_LINEAR];

  /* scratch of one forward, each with room for the widest layer padded */
  float   *z;                     /* sums of the layer being computed */
  float   *h;                     /* dense outputs of the layer before */
  float   *val;                   /* the non-zero inputs of the layer ... */
  guint32 *idx;                   /* ... and where they are */
};

/* n floats (and the padding) from src, zeros after: the layout the kernels read. */
static float *
padded_copy (const float *src, guint32 n)
{
  float *p = g_aligned_alloc0 (tg_sparse_padded (n), sizeof (float), 64);
  memcpy (p, src, n * sizeof (float));
  return p;
}

/* W[l] (dout, din) with the LoRA delta (alpha / r) B A, B (dout, r), A (r, din), folded in. */
static float *
folded_weights (const TgModel *m, gboolean lora, guint32 l)
{
  const float *P = m->params;
  guint32 din = m->dims[l], dout = m->dims[l + 1], r = m->lora_rank;
  float *w = g_memdup2 (P + m->w[l], (size_t) din * dout * sizeof (float));
  if (!lora || r == 0)
    return w;
  float scale = m->lora_alpha / (float) r;
  const float *A = P + m->lora_a[l], *B = P + m->lora_b[l];
  for (guint32 j = 0; j < dout; j++)
    for (guint32 i = 0; i < din; i++)
      {
        float d = 0.0f;
        for (guint32 k = 0; k < r; k++)
          d += B[(size_t) j * r + k] * A[(size_t) k * din + i];
        w[(size_t) j * din + i] += scale * d;
      }
  return w;
}

TgSparseNet *
tg_sparse_net_new (const TgModel *m)
{
  TgSparseNet *net = g_new0 (TgSparseNet, 1);
  const TgMethodInfo *info = tg_method_info (m->method);
  const float *P = m->params;
  guint32 widest = 0;

  tg_sparse_net_set_kernel (net, tg_sparse_kernel_best ());
  net->n_linear = m->n_linear;
  memcpy (net->dims, m->dims, sizeof net->dims);
  net->gated = info->gated;
  for (guint32 l = 0; l < m->n_linear; l++)
    {
      guint32 din = m->dims[l], dout = m->dims[l + 1], stride = tg_sparse_padded (dout);
      net->w[l] = folded_weights (m, info->lora, l);
      net->stride[l] = stride;
      net->wt[l] = g_aligned_alloc0 ((size_t) din * stride, sizeof (float), 64);
      for (guint32 j = 0; j < dout; j++)
        for (guint32 i = 0; i < din; i++)
          net->wt[l][(size_t) i * stride + j] = net->w[l][(size_t) j * din + i];
      net->b[l] = padded_copy (P + m->b[l], dout);
      if (l + 1 < m->n_linear && info->gated)
        {
          net->tau[l] = padded_copy (P + m->tau[l], dout);
          net->gamma[l] = padded_copy (P + m->gamma[l], dout);
        }
      widest = MAX (widest, MAX (din, dout));
    }
  /* the vector kernels store whole registers past the last entry */
  widest = tg_sparse_padded (widest) + TG_SPARSE_PAD;
  net->z = g_aligned_alloc0 (widest, sizeof (float), 64);
  net->h = g_aligned_alloc0 (widest, sizeof (float), 64);
  net->val = g_aligned_alloc0 (widest, sizeof (float), 64);
  net->idx = g_aligned_alloc0 (widest, sizeof (guint32), 64);
  return net;
}

void
tg_sparse_net_free (TgSparseNet *net)
{
  if (net == NULL)
    return;
  for (guint32 l = 0; l < net->n_linear; l++)
    {
      g_free (net->w[l]);
      g_aligned_free (net->wt[l]);
      g_aligned_free (net->b[l]);
      g_aligned_free (net->tau[l]);
      g_aligned_free (net->gamma[l]);
    }
  g_aligned_free (net->z);
  g_aligned_free (net->h);
  g_aligned_free (net->val);
  g_aligned_free (net->idx);
  g_free (net);
}

guint32 tg_sparse_net_n_inputs  (const TgSparseNet *net) { return net->dims[0]; }
guint32 tg_sparse_net_n_classes (const TgSparseNet *net) { return net->dims[net->n_linear]; }

guint64
tg_sparse_net_dense_madds (const TgSparseNet *net)
{
  guint64 n = 0;
  for (guint32 l = 0; l < net->n_linear; l++)
    n += (guint64) net->dims[l] * net->dims[l + 1];
  return n;
}

/* The output of hidden unit j with pre-activation z under hard gates: gamma z when the gate
 * 1[z > tau] is on and z > 0 (written as tg-model.c's hidden_forward writes it), else 0. */
static inline float
hard_unit (const TgSparseNet *net, guint32 l, guint32 j, float z)
{
  if (!net->gated)
    return z > 0.0f ? z : 0.0f;
  float gate = z > net->tau[l][j] ? 1.0f : 0.0f;
  return z > 0.0f ? net->gamma[l][j] * z * gate : 0.0f;
}

gboolean
tg_sparse_net_set_kernel (TgSparseNet *net, TgSparseKernel kernel)
{
  const TgSparseOps *ops = tg_sparse_ops (kernel);
  if (ops == NULL)
    return FALSE;
  net->ops = ops;
  net->kernel = kernel;
  return TRUE;
}

TgSparseKernel
tg_sparse_net_get_kernel (const TgSparseNet *net)
{
  return net->kernel;
}

void
tg_sparse_net_forward (TgSparseNet *net, const float *x, float *logits, TgSparseCount *count)
{
  const TgSparseOps *ops = net->ops;
  guint64 madds = 0;
  guint32 n = ops->nonzero (x, net->dims[0], net->idx, net->val);

  if (count)
    {
      memset (count, 0, sizeof *count);
      count->inputs_on = n;
    }

  for (guint32 l = 0; l < net->n_linear; l++)
    {
      guint32 dout = net->dims[l + 1];
      ops->sum_rows (net->z, net->wt[l], net->stride[l], dout, net->b[l], net->idx, net->val, n);
      madds += (guint64) n * dout;
      if (l + 1 == net->n_linear)
        break;
      /* the units that are on become the next layer's inputs */
      n = ops->units_on (net->z, net->tau[l], net->gamma[l], dout, net->idx, net->val);
      if (count)
        count->units_on[l] = n;
    }
  memcpy (logits, net->z, net->dims[net->n_linear] * sizeof (float));
  if (count)
    count->madds = madds;
}

void
tg_sparse_net_forward_dense (TgSparseNet *net, const float *x, float *logits)
{
  const float *inp = x;
  for (guint32 l = 0; l < net->n_linear; l++)
    {
      guint32 din = net->dims[l], dout = net->dims[l + 1];
      gboolean last = l + 1 == net->n_linear;
      float *z = last ? logits : net->z;
      cblas_sgemv (CblasRowMajor, CblasNoTrans, (int) dout, (int) din, 1.0f, net->w[l],
                   (int) din, inp, 1, 0.0f, z, 1);
      const float *b = net->b[l];
      for (guint32 j = 0; j < dout; j++)
        z[j] += b[j];
      if (last)
        break;
      for (guint32 j = 0; j < dout; j++)
        net->h[j] = hard_unit (net, l, j, z[j]);
      inp = net->h;
    }
}

/* --- the naive reference -------------------------------------------------------------- */

/* W[l][j, i] of model with its LoRA delta, read straight from the parameter block. */
static double
reference_weight (const TgModel *m, gboolean lora, guint32 l, guint32 j, guint32 i)
{
  const float *P = m->params;
  guint32 din = m->dims[l], r = m->lora_rank;
  double w = P[m->w[l] + (size_t) j * din + i];
  if (lora && r > 0)
    {
      double d = 0.0;
      for (guint32 k = 0; k < r; k++)
        d += (double) P[m->lora_b[l] + (size_t) j * r + k] *
             P[m->lora_a[l] + (size_t) k * din + i];
      w += (double) m->lora_alpha / r * d;
    }
  return w;
}

void
tg_sparse_forward_reference (const TgModel *m, const float *x, float *logits,
                             TgSparseCount *count)
{
  const TgMethodInfo *info = tg_method_info (m->method);
  const float *P = m->params;
  guint32 widest = 0;
  for (guint32 l = 0; l <= m->n_linear; l++)
    widest = MAX (widest, m->dims[l]);
  g_autofree float *inp = g_new0 (float, widest), *out = g_new0 (float, widest);
  memcpy (inp, x, m->dims[0] * sizeof (float));
  TgSparseCount local;
  if (count == NULL)
    count = &local;
  memset (count, 0, sizeof *count);
  for (guint32 i = 0; i < m->dims[0]; i++)
    count->inputs_on += x[i] != 0.0f;

  for (guint32 l = 0; l < m->n_linear; l++)
    {
      guint32 din = m->dims[l], dout = m->dims[l + 1];
      for (guint32 j = 0; j < dout; j++)
        {
          double acc = 0.0;
          for (guint32 i = 0; i < din; i++)
            if (inp[i] != 0.0f)
              {
                acc += reference_weight (m, info->lora, l, j, i) * inp[i];
                count->madds++;
              }
          float z = (float) acc + P[m->b[l] + j];
          if (l + 1 == m->n_linear)
            out[j] = z;
          else if (!info->gated)
            out[j] = z > 0.0f ? z : 0.0f;
          else
            out[j] = z > 0.0f && z > P[m->tau[l] + j] ? P[m->gamma[l] + j] * z : 0.0f;
        }
      if (l + 1 < m->n_linear)
        for (guint32 j = 0; j < dout; j++)
          count->units_on[l] += out[j] != 0.0f;
      memcpy (inp, out, dout * sizeof (float));
    }
  memcpy (logits, inp, m->dims[m->n_linear] * sizeof (float));
}
