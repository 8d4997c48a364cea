/* SPDX-License-Identifier: MIT */
/* tg-sparse-measure.h — what conditional computation buys on this machine, for one model and
 * one test set: multiply-adds per image dense and sparse (counted: their ratio is the ceiling
 * of the speedup), batch-1 latency of the dense (sgemv) and the sparse forward with every
 * kernel variant this CPU runs, throughput in batches of 256, and whether each variant's
 * prediction is the dense hard-gate prediction on every image.
 *
 * The latencies are measured interleaved, image by image, so that all paths meet the same
 * load on a shared machine; their ratio is the figure to quote. The caller sets the BLAS
 * thread count (one, for a fair batch-1 comparison). Timings are for benchmarks only: no test
 * asserts on them. */
#pragma once

#include "tg-sparse.h"
#include "tg-data.h"

G_BEGIN_DECLS

/* One kernel variant of the sparse forward. */
typedef struct {
  gboolean runs;                /* this CPU runs it; else the rest is 0 */
  guint32  identical, ties;     /* as below, for this variant */
  double   p50_us, p99_us;      /* batch 1 */
} TgSparseKernelMeasure;

typedef struct {
  guint32 n;                    /* images measured */
  TgSparseKernel kernel;        /* the one a new net chooses here: the fields below are its */
  TgSparseKernelMeasure kernels[TG_SPARSE_N_KERNELS];
  guint32 identical;            /* sparse argmax == dense hard-gate argmax */
  guint32 ties;                 /* of the others: the two classes' dense logits are within
                                   float rounding (1e-5 relative), a tie neither order of
                                   additions can settle */
  double  madds_dense;          /* per image */
  double  madds_sparse;         /* per image, mean */
  double  inputs_on;            /* mean non-zero inputs per image */
  double  units_on[TG_MAX_LINEAR]; /* mean units with a non-zero output, per hidden layer */
  /* batch 1, microseconds per image */
  double  dense_p50_us, dense_p99_us, sparse_p50_us, sparse_p99_us;
  /* batches of 256, images per second: tg_model_forward (sgemm) and the sparse forward
   * image after image */
  double  dense_batch_ips, sparse_batch_ips;
} TgSparseMeasure;

/* Measures model (hard gates) on the first n images of ds (0: all). With time_it FALSE only
 * the counts and the agreement are filled, the timings are 0. */
void tg_sparse_measure (const TgModel *model, const TgDataset *ds, guint32 n, gboolean time_it,
                        TgSparseMeasure *out);

G_END_DECLS
