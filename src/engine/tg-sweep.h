/* SPDX-License-Identifier: MIT */
/* tg-sweep.h — the lambda / s trade-off: TauGate trained for each (lambda, sharpness, seed)
 * from one foundation per seed, with its accuracy (soft and hard gates), its gates, the
 * multiply-adds of the sparse forward and the batch-1 speedup it measures.
 *
 * A foundation is trained once per seed, exactly as tg_experiment_run trains it, and every
 * setting starts from it with the TauGate RNG stream of the protocol, so the (lambda 0, s 5)
 * point is the protocol's own TauGate row. The settings run as tasks of a GThreadPool, each
 * on one thread with single-threaded BLAS, as the protocol's tasks do; the speedups are then
 * timed one setting after another, so that no training disturbs them. */
#pragma once

#include "tg-experiment.h"
#include "tg-sparse-measure.h"

G_BEGIN_DECLS

typedef struct {
  TgExperimentConfig protocol;   /* seeds, epochs, lr, sizes, threads; lambda and sharpness
                                    are ignored (the lists below take their place) */
  guint32       n_lambdas;
  const double *lambdas;         /* e.g. 0, 0.01, 0.1, 0.3, 1, 3 */
  guint32       n_sharpness;
  const double *sharpness;       /* e.g. 2, 5, 20 */
  guint32       timing_images;   /* target test images timed per setting; 0: no timing */
} TgSweepConfig;

/* One (lambda, s, seed): measured on the test sets (hard gates for the units on and the
 * multiply-adds, on the target set). */
typedef struct {
  double   lambda, sharpness;
  guint32  seed_index;
  guint64  seed;
  double   acc0_soft, acc0_hard, acc_rot_soft, acc_rot_hard;
  double   mean_gate;                 /* soft, mean over units and target test images */
  guint32  n_layers;
  double   on_frac[TG_MAX_LINEAR];    /* fraction of 1[z > tau] over units and images */
  double   madds_sparse, madds_dense; /* per target test image */
  guint32  identical, n_test;         /* sparse = dense predictions on the target test set */
  guint32  ties;                      /* disagreements on a tie at float precision */
  double   dense_p50_us, sparse_p50_us;
  double   speedup;                   /* batch 1, dense p50 / sparse p50; NAN: not timed */
} TgSweepPoint;

typedef struct {
  TgSweepConfig config;               /* the lists are copied */
  double       *lambdas, *sharpness;
  GArray       *points;               /* TgSweepPoint: lambda-major, then s, then seed */
} TgSweepResults;

void tg_sweep_results_free (TgSweepResults *res);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgSweepResults, tg_sweep_results_free)

/* done of total tasks; called from the worker threads, one call at a time. */
typedef void (*TgSweepProgressFunc) (guint done, guint total, const char *what,
                                     gpointer user_data);

/* The protocol's checks, then 1 to 64 lambdas in [0, 100] and 1 to 64 values of s in
 * (0, 1e4]; TG_ERROR_INVALID otherwise. */
gboolean        tg_sweep_config_validate (const TgSweepConfig *cfg, GError **error);

TgSweepResults *tg_sweep_run (const TgSweepConfig *cfg, const TgModeData *data,
                              TgSweepProgressFunc progress, gpointer user_data,
                              GCancellable *cancellable, GError **error);

/* The protocol's foundation for seed (as tg_experiment_run trains it). */
TgModel *tg_sweep_foundation (const TgExperimentConfig *cfg, const TgModeData *data,
                              guint64 seed, GCancellable *cancellable, GError **error);
/* TauGate with lambda and s on a copy of foundation, specialised to data->train_rot with the
 * protocol's stream for seed. z1_train: optional x W0^T of data->train_rot. */
TgModel *tg_sweep_taugate    (const TgModel *foundation, const TgExperimentConfig *cfg,
                              const TgModeData *data, guint64 seed, float lambda,
                              float sharpness, const float *z1_train,
                              GCancellable *cancellable, GError **error);

/* sweep.csv: one row per point, a header naming the columns. */
char *tg_sweep_csv (const TgSweepResults *res);
/* tables/taugate_sweep.tex: one row per (lambda, s), mean +- std over the seeds. */
char *tg_sweep_latex (const TgSweepResults *res);

G_END_DECLS
