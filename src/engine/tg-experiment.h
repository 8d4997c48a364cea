/* tg-experiment.h — the paper's protocol: foundation on the 50/50 mixture, then every method
 * specialised to the rotated mode from that same frozen foundation, over several seeds; and
 * TauGate specialised to 0 degrees for the gate-overlap table.
 *
 * Work the protocol does not need twice is done once: the rotated data sets are made once
 * for all seeds, and for every method that leaves W[0] frozen the first-layer products of
 * the training and test sets are computed once per foundation. */
#pragma once

#include "tg-train.h"
#include "tg-metrics.h"

G_BEGIN_DECLS

typedef struct {
  guint32  seeds;              /* 3 */
  guint64  seed0;              /* seeds are seed0, seed0 + 1, ... */
  double   angle;              /* 45 degrees */
  guint32  foundation_epochs;  /* 2 */
  guint32  adapt_epochs;       /* 1 */
  float    lr, momentum;       /* 0.01, 0.9 */
  float    sharpness, lambda;  /* 5, 0 */
  guint32  batch;              /* 256 */
  guint32  n_hidden, width;    /* 2, 128 */
  guint32  lora_rank;          /* 8 */
  float    lora_alpha;         /* 8 */
  guint32  high_act_samples;   /* 256 training images of the target mode */
  float    on_threshold;       /* 0.9 */
  guint32  methods;            /* bit mask of 1 << TgMethod; all seven */
  gboolean overlap;            /* also TauGate at 0 degrees, for the Jaccard table */
  guint32  train_limit;        /* 0 = every training example; else the first N */
  guint32  test_limit;         /* 0 = every test example; else the first N */
  gboolean no_reuse;           /* recompute x W0^T in every forward instead of once per
                                  foundation: only to measure what the reuse saves */
  guint32  threads;            /* worker threads, 0 = one per processor. Each task (a seed's
                                  foundation, a (seed, method) specialisation) runs on one
                                  thread with single-threaded BLAS, so results are the same
                                  whatever the thread count. */
} TgExperimentConfig;

void     tg_experiment_config_init_paper (TgExperimentConfig *cfg);
gboolean tg_experiment_config_validate   (const TgExperimentConfig *cfg, GError **error);

/* The data the protocol runs on: both modes of the training and test sets. */
typedef struct {
  TgDataset *train0, *train_rot, *test0, *test_rot;
  double     angle;
} TgModeData;

/* Takes the loaded sets (train_limit / test_limit applied) and makes their rotated copies. */
TgModeData *tg_mode_data_new  (const TgDataset *train, const TgDataset *test, double angle,
                               guint32 train_limit, guint32 test_limit);
void        tg_mode_data_free (TgModeData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgModeData, tg_mode_data_free)

typedef struct {
  guint32  seed_index;
  guint64  seed;
  TgMethod method;
  double   target_angle;  /* the mode it was specialised to */
  size_t   params;        /* trainable */
  double   acc0, acc_rot;            /* soft gates: the paper's numbers */
  double   acc0_hard, acc_rot_hard;  /* hard gates 1[z > tau] */
  double   high_act;      /* gated methods; NAN otherwise */
  double   final_loss;    /* last adaptation batch */
} TgRunResult;

typedef struct {
  guint32 seed_index;
  guint32 n_layers;
  double  jaccard[TG_MAX_LINEAR];
  guint32 on0[TG_MAX_LINEAR], on_rot[TG_MAX_LINEAR]; /* sizes of the on-sets */
} TgOverlapResult;

typedef struct {
  TgExperimentConfig config;
  GArray *runs;      /* TgRunResult, seed-major, methods in TgMethod order */
  GArray *overlaps;  /* TgOverlapResult, one per seed when config.overlap */
  double  foundation_acc0, foundation_acc_rot; /* of seed 0, for the log */
} TgExperimentResults;

void tg_experiment_results_free (TgExperimentResults *res);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgExperimentResults, tg_experiment_results_free)

typedef struct {
  const char *phase;   /* "foundation", "adapt", "overlap", "evaluate" */
  guint32     seed_index, seeds;
  TgMethod    method;
  guint64     done, total;  /* training examples processed of all the protocol's */
  double      loss;
} TgProgress;

typedef void (*TgProgressFunc) (const TgProgress *progress, gpointer user_data);

/* Runs the whole protocol. foundation_path, when not NULL, is loaded for each seed if it
 * exists and saved if not (seed i > 0 uses "<stem>-seed<i><ext>"). checkpoint_dir, when not
 * NULL, receives every foundation and adapter. progress is called from the worker threads,
 * one call at a time; the call returns once every worker has finished. */
TgExperimentResults *tg_experiment_run (const TgExperimentConfig *cfg, const TgModeData *data,
                                        const char *foundation_path, const char *checkpoint_dir,
                                        TgProgressFunc progress, gpointer user_data,
                                        GCancellable *cancellable, GError **error);

/* The seed of the RNG stream that specialises seed's foundation with method: one stream
 * of its own per (seed, method), the same in every program that runs the protocol. */
guint64 tg_experiment_adapt_seed (guint64 seed, TgMethod method);

/* The path of seed i's foundation given the --foundation path. */
char *tg_foundation_path_for_seed (const char *path, guint32 seed_index);

/* Mean and sample standard deviation (n - 1; 0 when n < 2). */
void tg_mean_std (const double *v, guint n, double *mean, double *std);

G_END_DECLS
