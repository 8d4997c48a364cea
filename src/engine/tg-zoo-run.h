/* SPDX-License-Identifier: MIT */
/* tg-zoo-run.h — a zoo: one foundation per seed, trained on its mix of angles as the
 * protocol trains it, then one adapter per angle per method from it, each (seed, angle) a
 * task of a thread pool with single-threaded BLAS (the numbers do not depend on the thread
 * count); then every (seed, method)'s K modes measured (tg-zoo.h): the accuracy matrix over
 * the zoo's angles, the mode map for gated methods, routing; and the foundation alone on
 * every angle. Not here: files (tg-zoo-report.h), the command line. */
#pragma once

#include "tg-experiment.h"
#include "tg-zoo.h"

G_BEGIN_DECLS

typedef struct {
  TgExperimentConfig protocol;  /* seeds, epochs, lr, s, lambda, width, threads, the
                                   foundation's mix (none given: every angle of the zoo,
                                   as the protocol's foundation saw its target), methods
                                   (the zoo's); angle, overlap and the limits unused */
  guint         n_angles;       /* 2 to 255 */
  const double *angles;         /* the modes' angles, which are also the test angles */
  guint         router_epochs;  /* the K-way router's epochs (0: none) */
  guint         route_batch;    /* TG_ZOO_ROUTE_BATCH */
  const char   *checkpoint_dir; /* NULL: adapters are not written */
} TgZooConfig;

typedef struct {
  guint32        seed_index;
  TgMethod       method;
  TgModel      **models;        /* n_angles, owned */
  double         train_seconds; /* the adapters' training, CPU seconds of their threads
                                   summed over the angles */
  guint64        bytes;         /* the adapters' files, summed (0 when none written) */
  size_t         params;        /* trainable parameters per mode */
  TgAccMatrix   *matrix;        /* mode x test angle */
  TgModeMap     *map;           /* NULL for a method without gates */
  TgRouteResult *route;
} TgZooMethodRun;

typedef struct {
  TgZooConfig  config;          /* angles and checkpoint_dir point into this struct */
  double      *angles;
  char        *checkpoint_dir;
  guint32      seeds;
  TgModel    **foundations;     /* seeds, owned */
  double      *foundation_seconds;   /* seeds: CPU seconds of its training thread */
  guint64      foundation_bytes;     /* of seed 0's file (0 when none written) */
  TgAccMatrix **foundation_matrix;   /* seeds: the foundation alone (1 x n_angles) */
  GPtrArray   *runs;            /* TgZooMethodRun *, seed-major, methods in TgMethod order */
  double       seconds;         /* the whole run */
} TgZooResults;

void tg_zoo_results_free (TgZooResults *res);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgZooResults, tg_zoo_results_free)

/* The run of (seed_index, method); NULL when the zoo has none. */
const TgZooMethodRun *tg_zoo_results_get (const TgZooResults *res, guint32 seed_index,
                                          TgMethod method);

/* done of total steps ("foundation", "adapt 10°", "measure"); called from worker threads,
 * one call at a time. */
typedef void (*TgZooProgressFunc) (guint done, guint total, const char *what,
                                   gpointer user_data);

/* Refuses (TG_ERROR_INVALID, naming the option) fewer than 2 or more than 255 angles, an
 * angle out of [-360, 360], no method or Frozen, and what the protocol refuses. */
gboolean      tg_zoo_config_validate (const TgZooConfig *cfg, GError **error);

/* data: train0 and test0 are used (the rotated sets are made per angle). */
TgZooResults *tg_zoo_run (const TgZooConfig *cfg, const TgModeData *data,
                          TgZooProgressFunc progress, gpointer user_data,
                          GCancellable *cancellable, GError **error);

G_END_DECLS
