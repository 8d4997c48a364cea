/* SPDX-License-Identifier: MIT */
/* studio-trainer.h — the bridge between the main loop and the one worker thread that
 * trains. Not a widget.
 *
 * Only the worker touches the model. The controls a user turns mid-run (s, lambda, lr,
 * hard gates, pause, stop) are values under a mutex that the worker reads between batches.
 * The worker hands over StudioSnapshots through one pending slot and schedules at most one
 * low-priority idle at a time; the main thread emits "snapshot" with each one it takes.
 * Stopping cancels, wakes a paused worker, and joins it before anything is freed; a worker
 * that does not come back in time is left behind holding a reference, never waited for. */
#pragma once

#include <glib-object.h>
#include "studio-snapshot.h"

G_BEGIN_DECLS

typedef enum {
  STUDIO_TRAINER_IDLE,
  STUDIO_TRAINER_RUNNING,
  STUDIO_TRAINER_PAUSED,
} StudioTrainerState;

#define STUDIO_TYPE_TRAINER (studio_trainer_get_type ())
G_DECLARE_FINAL_TYPE (StudioTrainer, studio_trainer, STUDIO, TRAINER, GObject)

StudioTrainer      *studio_trainer_new        (void);

/* Starts a job in a new worker thread. FALSE with an error when one is already running.
 * Returns the new run's id through run_id (optional). */
gboolean            studio_trainer_start      (StudioTrainer *self, StudioJob job,
                                               const StudioConfig *cfg, guint *run_id,
                                               GError **error);
void                studio_trainer_set_paused (StudioTrainer *self, gboolean paused);
/* Cancels and joins; the job's last snapshot is delivered before this returns. A worker
 * that has not ended within a few seconds is left behind (it ends on its own, unseen) and
 * a finished snapshot with a G_IO_ERROR_TIMED_OUT error is delivered instead. */
void                studio_trainer_stop       (StudioTrainer *self);
/* Drops the cached foundation (and data), so the next run starts from scratch. */
void                studio_trainer_forget     (StudioTrainer *self);
/* Runs restored from a session took ids up to last: the next run's id is above them. */
void                studio_trainer_reserve_run_ids (StudioTrainer *self, guint last);

/* The live controls, read by the worker before its next step as one change. */
void                studio_trainer_set_controls (StudioTrainer *self, float sharpness,
                                                 float lambda, float lr, gboolean hard_gates);

/* Whether the snapshots with mask statistics also carry a copy of the model (the unit
 * inspector and the digit pad read it; the worker keeps its own). */
void                studio_trainer_set_want_model (StudioTrainer *self, gboolean want);
/* Watching live: at most steps_per_sec steps a second (the worker sleeps between batches;
 * 0: no limit), and, while paused, exactly one more batch per call. */
void                studio_trainer_set_rate_limit (StudioTrainer *self, double steps_per_sec);
double              studio_trainer_get_rate_limit (StudioTrainer *self);
void                studio_trainer_step       (StudioTrainer *self);

StudioTrainerState  studio_trainer_get_state  (StudioTrainer *self);
gboolean            studio_trainer_is_busy    (StudioTrainer *self);
/* Number of worker threads joined so far (for tests). */
guint               studio_trainer_get_joined (StudioTrainer *self);

G_END_DECLS
