/* SPDX-License-Identifier: MIT */
/* tg-sparse.h — conditional computation at inference: one image at a time, hard gates,
 * reading only the weights of the inputs that are non-zero and of the units that are on.
 *
 * A TgSparseNet is an inference copy of a model in two layouts: W[l] (dout, din) row-major
 * for the dense batch-1 path (cblas_sgemv), and its transpose Wt[l] (din, dout), in which
 * the weights leaving one input or one unit are a contiguous row. The sparse forward sums
 * only the rows of Wt[0] of the non-zero pixels and, in each later layer, the rows of the
 * units whose output is not zero (gate on, 1[z > tau], and relu(z) > 0; for an ungated
 * method relu(z) > 0). Skipping a term that is exactly zero changes no sum, so the sparse
 * forward is the dense hard-gate forward up to the order of the additions. A LoRA delta is
 * folded into the weights when the copy is made.
 *
 * The inner loops come in variants by instruction set (TgSparseKernel): plain C on every CPU,
 * and those that need instructions the build's baseline does not guarantee (AVX2 and FMA),
 * chosen at run time when this CPU has them. Beside them stands a naive reference that works
 * on the TgModel itself, and the tests compare every variant this CPU runs, the dense path
 * and the reference on real MNIST. Not here: batches, training, soft gates. */
#pragma once

#include "tg-model.h"

G_BEGIN_DECLS

typedef struct _TgSparseNet TgSparseNet;

/* What one forward did, counted. A multiply-add is one weight read and used. */
typedef struct {
  guint64 madds;                     /* multiply-adds of the whole forward */
  guint32 inputs_on;                 /* non-zero inputs */
  guint32 units_on[TG_MAX_LINEAR];   /* hidden layer l: units with a non-zero output */
} TgSparseCount;

/* The variants of the inner loops, slowest first. */
typedef enum {
  TG_SPARSE_KERNEL_C,         /* plain C: any CPU */
  TG_SPARSE_KERNEL_AVX2_FMA,  /* x86-64 with AVX2 and FMA (x86-64-v3) */
  TG_SPARSE_N_KERNELS
} TgSparseKernel;

/* A short name: "c", "avx2-fma". */
const char     *tg_sparse_kernel_name      (TgSparseKernel kernel);
/* Whether this binary holds kernel (the AVX2 one only on x86). */
gboolean        tg_sparse_kernel_compiled  (TgSparseKernel kernel);
/* Whether kernel is compiled and this CPU has its instructions. */
gboolean        tg_sparse_kernel_runs_here (TgSparseKernel kernel);
/* The fastest kernel that runs here: what a new net uses. */
TgSparseKernel  tg_sparse_kernel_best      (void);

/* The inference copy of model under its method (gated or not, LoRA folded in). The net
 * keeps scratch for one forward: use one net per thread. */
TgSparseNet *tg_sparse_net_new  (const TgModel *model);
void         tg_sparse_net_free (TgSparseNet *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgSparseNet, tg_sparse_net_free)

guint32      tg_sparse_net_n_inputs  (const TgSparseNet *net);
guint32      tg_sparse_net_n_classes (const TgSparseNet *net);
/* Multiply-adds of one dense forward: the sum over layers of din * dout. */
guint64      tg_sparse_net_dense_madds (const TgSparseNet *net);

/* Makes net use kernel from now on; FALSE (and nothing changed) when it does not run here. */
gboolean       tg_sparse_net_set_kernel (TgSparseNet *net, TgSparseKernel kernel);
TgSparseKernel tg_sparse_net_get_kernel (const TgSparseNet *net);

/* x (n_inputs) -> logits (n_classes), hard gates. count may be NULL. */
void tg_sparse_net_forward       (TgSparseNet *net, const float *x, float *logits,
                                  TgSparseCount *count);
/* The same forward, dense, one cblas_sgemv per layer: the batch-1 baseline. */
void tg_sparse_net_forward_dense (TgSparseNet *net, const float *x, float *logits);

/* The naive reference: loops over model's own parameters (W row-major, LoRA as B A), skips
 * zero inputs and silent units, sums in double. count may be NULL. */
void tg_sparse_forward_reference (const TgModel *model, const float *x, float *logits,
                                  TgSparseCount *count);

G_END_DECLS
