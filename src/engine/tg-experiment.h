/* SPDX-License-Identifier: MIT */
/* tg-experiment.h — the paper's protocol: foundation on its mix of angles (the paper's: 0
 * degrees and the target, 50/50; cfg->foundation_angles), then every method
 * specialised to the rotated mode from that same frozen foundation, over several seeds; and
 * TauGate specialised to 0 degrees for the gate-overlap table.
 *
 * Work the protocol does not need twice is done once: the rotated data sets are made once
 * for all seeds, and for every method that leaves W[0] frozen the first-layer products of
 * the training and test sets are computed once per foundation. */
#pragma once

#include "tg-experiment-config.h"
#include "tg-train.h"
#include "tg-metrics.h"

G_BEGIN_DECLS

/* TgModeData, the data the protocol runs on, is in tg-data.h. */

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
  double   final_ce;      /* its cross-entropy, without the sparsity penalty */
  gboolean collapsed;     /* tg_loss_collapsed (final_ce): see below */
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

/* A collapse is training that ends far worse than guessing: a finite final cross-entropy
 * (of the last batch, penalty excluded) above TG_COLLAPSE_FACTOR times ln(n_classes), the
 * loss of a uniform guess (4.6 for ten classes). A healthy run ends well below ln(n_classes),
 * a run that merely failed to learn ends near it; only a model that is confidently wrong
 * (too large a learning rate, typically) ends above twice it. A loss that is not finite is
 * a divergence instead, an error of tg_trainer_step().
 *
 * tg_experiment_run() fails (TG_ERROR_DIVERGED) when a seed's foundation collapses, since
 * every method would start from it; an adaptation that collapses is kept in the results with
 * collapsed set, and tg_experiment_results_check_collapse() says which. */
#define TG_COLLAPSE_FACTOR 2.0

gboolean tg_loss_collapsed (double ce, guint32 n_classes);
/* FALSE (TG_ERROR_DIVERGED, naming the runs, their losses and the learning rate) when a run
 * of res collapsed; n_collapsed, if not NULL, receives how many did. */
gboolean tg_experiment_results_check_collapse (const TgExperimentResults *res,
                                               guint *n_collapsed, GError **error);
/* The seed of the RNG stream that specialises seed's foundation with method: one stream
 * of its own per (seed, method), the same in every program that runs the protocol. */
guint64 tg_experiment_adapt_seed (guint64 seed, TgMethod method);

/* The path of seed i's foundation given the --foundation path. */
char *tg_foundation_path_for_seed (const char *path, guint32 seed_index);

G_END_DECLS
