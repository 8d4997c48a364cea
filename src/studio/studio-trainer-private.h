/* SPDX-License-Identifier: MIT */
/* studio-trainer-private.h — what the trainer's two halves share: the GObject's fields (the
 * hand-over in studio-trainer.c, the worker in studio-worker.c) and the hooks the tests use
 * to make a worker that does not come back. Not installed, not for the views. */
#pragma once

#include "studio-trainer.h"
#include "tg-experiment.h"

G_BEGIN_DECLS

struct _StudioTrainer
{
  GObject parent_instance;

  /* shared with the worker, under mutex */
  GMutex          mutex;
  GCond           cond;
  float           sharpness, lambda, lr;
  gboolean        hard_gates;
  gboolean        paused;
  guint           step_requests;  /* paused: batches to take before waiting again */
  double          max_rate;       /* steps per second; 0: as fast as it goes */
  StudioSnapshot *pending;
  guint           idle_id;
  gboolean        worker_done;    /* the running worker has handed over its last snapshot */
  guint           abandoned_run;  /* a run whose worker a stop left behind; 0: none */
  gboolean        test_hang;      /* tests: the worker blocks, deaf to cancel, until cleared */
  gboolean        test_hung;      /* tests: the worker is blocked there */
  gint            want_model;     /* atomic: the mask snapshots carry a model copy */

  /* main thread */
  GThread           *thread;
  GCancellable      *cancellable;
  StudioTrainerState state;
  StudioJob          job;
  guint              run_id;
  guint              joined;
  guint              stop_timeout_ms;

  /* the running job's settings: written before the thread starts, read by it only */
  StudioConfig cfg;

  /* caches: the worker's while a thread runs, the main thread's otherwise */
  char       *raw_dir;
  TgDataset  *raw_train, *raw_test;
  char        raw_data_name[128]; /* the full sets' name (tg_experiment_config_set_data) */
  gboolean    raw_is_mnist;       /* and whether they are MNIST's */
  char       *mode_key;
  TgModeData *mode;
  char       *foundation_key;
  TgModel    *foundation;
  guint64     foundation_steps;
};

/* studio-worker.c: starts the worker of self's current job (self->cfg, self->run_id,
 * self->cancellable) in a new thread. */
GThread *studio_worker_spawn (StudioTrainer *self, GError **error);

/* Worker thread: parks snap (taken) in the pending slot for the main loop. */
void     studio_trainer_publish     (StudioTrainer *self, StudioSnapshot *snap);
/* Worker thread, its last call: the main loop may now join it (or, if a stop left it
 * behind, the trainer drops the reference that kept it alive). */
void     studio_trainer_worker_done (StudioTrainer *self, guint run_id);

/* Tests: how long a stop waits for the worker (ms); a worker that blocks in its next batch
 * without heeding cancel, until released; whether it is blocked there now. */
void     studio_trainer_set_stop_timeout (StudioTrainer *self, guint ms);
void     studio_trainer_set_test_hang    (StudioTrainer *self, gboolean hang);
gboolean studio_trainer_get_test_hung    (StudioTrainer *self);

G_END_DECLS
