/* SPDX-License-Identifier: MIT */
/* tg-experiment-config.h — the settings of the paper's protocol: their defaults, their
 * validation, the memory they need, and which data set they run on.
 *
 * Every caller (the command line, the studio, the tests) folds its inputs into one
 * TgExperimentConfig and validates it here, so a bad value gets the same message wherever
 * it was typed. */
#pragma once

#include "tg-data.h"
#include "tg-model.h"

G_BEGIN_DECLS

/* The most worker threads a configuration may ask for. */
#define TG_MAX_THREADS 1024

typedef struct {
  guint32  seeds;              /* 3 */
  guint64  seed0;              /* seeds are seed0, seed0 + 1, ... */
  double   angle;              /* 45 degrees */
  guint32  foundation_epochs;  /* 2 */
  guint32  adapt_epochs;       /* 1 */
  float    lr, momentum;       /* 0.01, 0.9 */
  float    sharpness, lambda;  /* 5, 0 */
  gboolean anneal_sharpness;   /* HAT's schedule: s from 1/sharpness to sharpness within each
                                  epoch (tg_anneal_sharpness); FALSE: s fixed, the paper's */
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
  char     data_name[128];     /* the data set's name in titles and captions: "MNIST" (at
                                  most 31 characters) */
  gboolean data_is_mnist;      /* the paper's own data: only then are its published numbers
                                  shown beside ours (and only at 45 degrees) */
  guint32  n_foundation_angles;  /* 0: the paper's mix, 0 degrees and the target (angle) */
  double   foundation_angles[TG_MAX_MIX_MODES]; /* the angles the foundation trains on, one
                                  picked per image uniformly (a repeated angle weighs more) */
} TgExperimentConfig;

/* The paper's settings, on the paper's data (MNIST); a caller that loads another folder
 * says so with tg_experiment_config_set_data(). */
void     tg_experiment_config_init_paper (TgExperimentConfig *cfg);
/* Refuses every value the protocol cannot run with (non-finite, negative, absurd), with a
 * message naming the command-line option (--lr, --sharpness...) it came from. */
gboolean tg_experiment_config_validate   (const TgExperimentConfig *cfg, GError **error);
/* The angles of the foundation's training mix, into out (TG_MAX_MIX_MODES entries): the
 * configured list, or 0 and cfg->angle by default. Returns how many. */
guint32  tg_experiment_config_foundation_angles (const TgExperimentConfig *cfg, double *out);
/* The same as text, "0,45" (ASCII, %g, comma-separated): the checkpoints' metadata. */
char    *tg_experiment_config_foundation_angles_string (const TgExperimentConfig *cfg);
/* TRUE when the foundation's mix is the paper's (0 degrees and the target, in that order). */
gboolean tg_experiment_config_is_paper_mix (const TgExperimentConfig *cfg);
/* The worker threads the protocol will use: cfg->threads, or one per processor. */
guint    tg_experiment_config_threads    (const TgExperimentConfig *cfg);

/* --- memory ----------------------------------------------------------------------------- */

/* An estimate (from above, within tens of percent) of the peak memory the protocol needs on
 * n_train training and n_test test examples (after the limits) of dim inputs and n_classes
 * classes: both modes of the data, each live seed's foundation and first-layer products, and
 * each worker's model copy, gradient, momentum and workspace. */
guint64  tg_experiment_config_memory_bytes (const TgExperimentConfig *cfg, guint32 dim,
                                            guint32 n_classes, guint32 n_train,
                                            guint32 n_test);
/* "1.2 GB", "340 MB": a size for messages, in ASCII. */
char    *tg_format_memory                  (guint64 bytes);
/* The machine's physical memory in bytes; 0 if unknown. */
guint64  tg_physical_memory_bytes          (void);
/* FALSE (TG_ERROR_RANGE, saying how much is needed and what there is) when the estimate
 * exceeds the physical memory. needed, if not NULL, receives the estimate. */
gboolean tg_experiment_config_check_memory (const TgExperimentConfig *cfg, guint32 dim,
                                            guint32 n_classes, guint32 n_train,
                                            guint32 n_test, guint64 *needed, GError **error);

/* --- the data set ------------------------------------------------------------------------ */

/* TRUE when train and test are, pixel for pixel and label for label, the MNIST training and
 * test sets (SHA-256 of their decoded contents, so plain and .gz files both count; a limit
 * must be applied after, not before). */
gboolean tg_dataset_pair_is_mnist          (const TgDataset *train, const TgDataset *test);
/* Names the data set in cfg and says whether it is MNIST (by its contents, as above). name
 * is the caller's name for it (--data-name); when NULL, "MNIST" for MNIST, else the base
 * name of dir. */
void     tg_experiment_config_set_data     (TgExperimentConfig *cfg, const char *name,
                                            const char *dir, const TgDataset *train,
                                            const TgDataset *test);
/* cfg's data_name, or "data" when it has none. */
const char *tg_experiment_config_data_name (const TgExperimentConfig *cfg);
/* Whether the paper's published numbers (MNIST, 45 degrees, the 50/50 mix) are comparable
 * with the numbers this configuration gives. */
gboolean tg_experiment_config_is_paper_setting (const TgExperimentConfig *cfg);

G_END_DECLS
