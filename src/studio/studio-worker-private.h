/* SPDX-License-Identifier: MIT */
/* studio-worker-private.h — the worker's state and the steps its jobs are made of, shared by
 * studio-worker.c (the steps: load, train a foundation, specialise, measure, publish) and
 * studio-worker-jobs.c (the jobs built from them, and the thread). Worker thread only. */
#pragma once

#include "studio-trainer-private.h"
#include "tg-train.h"
#include "tg-metrics.h"

G_BEGIN_DECLS

/* training images of the target mode for the high-activation fraction */
#define STUDIO_WORKER_HIGH_ACT_SAMPLES 256

typedef struct {
  StudioTrainer *self;   /* borrowed: the trainer outlives its worker */
  const StudioConfig *cfg;
  GCancellable  *cancellable;
  guint          run_id;
  StudioJob      job;
  uint64_t       rng;

  const TgModeData *mode;
  char          *settings;  /* studio_config_describe_settings() of the run */
  TgExperimentConfig ecfg;  /* the model's sizes and the protocol's settings */

  /* the model being trained now, and what it trains on */
  TgModel     *model;
  TgTrainer   *trainer;
  StudioPhase  phase;
  TgMethod     run_method;
  float       *z1_test0, *z1_test_rot, *z1_train;  /* adaptation, frozen W[0] */
  const TgDataset *high_act_set;

  guint32  epoch, n_epochs, batch_index, n_batches;
  guint64  step, total_steps, foundation_steps;
  gboolean foundation_cached;

  /* settings in use and their change log */
  float    sharpness, lambda, lr;
  gboolean hard;
  gboolean tainted;     /* lr changed during the foundation: do not cache it */
  gboolean at_max_steps; /* cfg->max_steps reached: the run ends well */

  /* since the last publish */
  GArray  *points, *events;
  gint64   last_publish;
  gint64   last_step_us;  /* when the previous step was let go (the rate limit) */

  /* speed, excluding paused time */
  gint64   t_start;
  gint64   paused_us;
  guint64  samples;
  double   rate;
  double   last_loss;
} StudioWorker;

/* A snapshot of the worker's state (with the model's tau and gamma when with_params);
 * takes the points and events gathered since the last one. */
StudioSnapshot *studio_worker_snapshot        (StudioWorker *w, gboolean with_params);
/* Publishes a progress snapshot of a job that has no steps of its own to show. */
void            studio_worker_progress        (StudioWorker *w, double fraction,
                                               const char *text);
/* Blocks while the user has paused (or until stopped); tells the main loop both ways. */
void            studio_worker_wait_if_paused  (StudioWorker *w, double progress,
                                               const char *text);
/* The first-layer products of ds in the adaptation (W[0] frozen); NULL otherwise. */
const float    *studio_worker_z1_for          (StudioWorker *w, const TgDataset *ds);
/* Fills snap's heatmaps and mean gates from the model now. */
void            studio_worker_masks           (StudioWorker *w, StudioSnapshot *snap);
/* studio-worker-gates.c: appends the gate dynamics of the model now to snap's gate points
 * (after studio_worker_masks filled snap's mean gates). */
void            studio_worker_gate_point      (StudioWorker *w, StudioSnapshot *snap);
/* Loads the data set and makes its rotated mode (both cached in the trainer). */
gboolean        studio_worker_load            (StudioWorker *w, GError **error);
guint64         studio_worker_steps_for       (guint32 n, guint32 batch, guint32 epochs);
/* Leaves the foundation in w->model (a fresh model the worker owns): the trainer's cached
 * one when the settings match, else trained here (and cached). */
gboolean        studio_worker_foundation      (StudioWorker *w, GError **error);
/* Specialises w->model (a copy of the foundation) to train with method. */
gboolean        studio_worker_adapt           (StudioWorker *w, TgMethod method,
                                               const TgDataset *train, guint32 epochs,
                                               GError **error);
void            studio_worker_clear_adapter   (StudioWorker *w);

/* studio-worker-sweep.c: the lambda sweep as a job (into last->sweep), and the batch-1
 * speedup of the model just trained (into last->sparse_*). */
gboolean        studio_worker_job_sweep       (StudioWorker *w, StudioSnapshot *last,
                                               GError **error);
void            studio_worker_measure_sparse  (StudioWorker *w, StudioSnapshot *last);

G_END_DECLS
