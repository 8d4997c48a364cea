/* SPDX-License-Identifier: MIT */
/* tg-sparse-kernels.h — the three inner loops of the sparse forward, once per instruction set,
 * for tg-sparse.c only (the public face, TgSparseKernel, is in tg-sparse.h).
 *
 * Every variant computes the same thing; only the order of the additions differs. A variant
 * that needs instructions the build's baseline does not guarantee is compiled with a target
 * attribute and handed out only when the CPU running the program has them. */
#pragma once

#include "tg-sparse.h"

G_BEGIN_DECLS

/* The rows of the transposed weights, the biases, tau and gamma are padded with zeros to a
 * multiple of TG_SPARSE_PAD floats (a row starts on a 64-byte line), so a kernel may read whole
 * vectors up to the padded width; the sums z and the lists idx / val get the same room. */
#define TG_SPARSE_PAD 16u

static inline guint32
tg_sparse_padded (guint32 d)
{
  return (d + TG_SPARSE_PAD - 1) / TG_SPARSE_PAD * TG_SPARSE_PAD;
}

typedef struct {
  /* z (d) = (sum over k < n of val[k] * rows[idx[k]]) + bias, each row stride floats. */
  void    (*sum_rows) (float *z, const float *rows, guint32 stride, guint32 d,
                       const float *bias, const guint32 *idx, const float *val, guint32 n);
  /* Where x (d) is not zero: idx and val, n of them; returns n. */
  guint32 (*nonzero)  (const float *x, guint32 d, guint32 *idx, float *val);
  /* The outputs of a hidden layer with pre-activations z (d) that are not zero, as idx and
   * val; returns how many. Ungated (tau and gamma NULL): relu(z). Gated: gamma z when
   * z > 0 and the hard gate 1[z > tau] is on (times 1.0, as tg-model.c has it), else 0. */
  guint32 (*units_on) (const float *z, const float *tau, const float *gamma, guint32 d,
                       guint32 *idx, float *val);
} TgSparseOps;

/* The loops of kernel, or NULL when this binary lacks it or this CPU cannot run it. */
const TgSparseOps *tg_sparse_ops (TgSparseKernel kernel);

G_END_DECLS
