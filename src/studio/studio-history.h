/* studio-history.h — what the main loop keeps of the snapshots it takes: the curves of every
 * run so far (for overlaying), the latest per-unit parameters and mask statistics, and the
 * results of finished runs, the paper comparison and the overlap job. Main thread only. */
#pragma once

#include <glib-object.h>
#include "studio-snapshot.h"

G_BEGIN_DECLS

typedef struct {
  double step;
  char   label[48];
} StudioMarker;

typedef struct {
  guint     id;
  char     *name;               /* "TauGate · seed 0" */
  TgMethod  method;
  guint64   seed;
  double    angle;              /* of the rotated mode, degrees */
  char     *settings;           /* all but the seed: runs with equal settings pool */
  GArray   *step, *loss, *acc0, *acc_rot;  /* double, one entry per point */
  GArray   *full_step, *full0, *full_rot;  /* double: whole test sets at epoch ends */
  GArray   *markers;            /* StudioMarker */
  GArray   *gates;              /* StudioGatePoint: the gate dynamics, at the mask cadence */
  guint64   foundation_steps, total_steps, last_step;
  gboolean  foundation_cached;
  float     lambda;             /* the last lambda the worker trained with */
  guint64   lambda_step;        /* the step from which it did */
  guint32   eval_every, eval_samples;
  gboolean  finished, failed;
  double    final_acc0, final_acc_rot, final_high_act;
  double    sparse_speedup, sparse_madds, dense_madds;  /* finished: see StudioSnapshot */
} StudioRun;

#define STUDIO_TYPE_HISTORY (studio_history_get_type ())
G_DECLARE_FINAL_TYPE (StudioHistory, studio_history, STUDIO, HISTORY, GObject)

StudioHistory        *studio_history_new            (void);
/* Folds a snapshot in and emits "changed". */
void                  studio_history_add            (StudioHistory *self, StudioSnapshot *snap);
/* Shows a mode's measurement (studio-mode-measure.h): its parameters, masks and status
 * replace the latest ones, the runs' curves stay; emits "changed". */
void                  studio_history_show_mode      (StudioHistory *self, StudioSnapshot *snap);
/* Forgets every run and result; emits "changed". */
void                  studio_history_clear          (StudioHistory *self);

guint                 studio_history_get_n_runs     (StudioHistory *self);
const StudioRun      *studio_history_get_run        (StudioHistory *self, guint index);
/* The newest run, or NULL. */
const StudioRun      *studio_history_get_current    (StudioHistory *self);
/* Borrowed; NULL until there is one. */
StudioSnapshot       *studio_history_get_params     (StudioHistory *self); /* has tau/gamma */
StudioSnapshot       *studio_history_get_masks      (StudioHistory *self); /* has_masks */
StudioSnapshot       *studio_history_get_status     (StudioHistory *self); /* any job's latest */
StudioSnapshot       *studio_history_get_overlap    (StudioHistory *self); /* finished overlap */
const TgExperimentResults *studio_history_get_experiment (StudioHistory *self);
/* Borrowed; NULL until a sweep has finished. */
const TgSweepResults *studio_history_get_sweep      (StudioHistory *self);
guint64               studio_history_get_points     (StudioHistory *self); /* total, all runs */

/* Time: the current run's recorded steps (τ and γ of every snapshot that had them, masks
 * at their cadence). While a time is set, get_params and get_masks answer with the latest
 * record at or before it, so the views that draw them rewind; -1 follows the live run.
 * Setting it emits "changed"; a new run goes back to live. */
guint                 studio_history_get_n_times    (StudioHistory *self);
guint64               studio_history_get_time_step  (StudioHistory *self, guint index);
void                  studio_history_set_time       (StudioHistory *self, gint64 step);
/* The record at index (< get_n_times), oldest first: a snapshot with τ and γ; borrowed. */
StudioSnapshot       *studio_history_get_time_params (StudioHistory *self, guint index);
gint64                studio_history_get_time       (StudioHistory *self);
/* The current run's mask records, oldest first (borrowed), and that run's id (0: none). */
guint                 studio_history_get_n_mask_times (StudioHistory *self);
StudioSnapshot       *studio_history_get_time_masks (StudioHistory *self, guint index);
guint                 studio_history_get_time_run   (StudioHistory *self);
/* Puts back the records of run run_id (StudioSnapshot *, ref'd; oldest first) as a session
 * kept them, after studio_history_restore; the time stays live. Emits "changed". */
void                  studio_history_restore_time   (StudioHistory *self, guint run_id,
                                                     GPtrArray *params, GPtrArray *masks);

/* Sessions (studio-window-session.c). A run made outside the history (empty arrays, NAN
 * final numbers), to be handed to studio_history_restore; freed with studio_run_free. */
StudioRun            *studio_run_new                (guint id, const char *name);
void                  studio_run_free               (StudioRun *run);
/* Replaces every run and result with those given (runs: StudioRun *, taken; each snapshot
 * may be NULL, ref'd when not), as a session had them; the time goes back to live and the
 * runs count as saved. Emits "changed". */
void                  studio_history_restore        (StudioHistory *self, GPtrArray *runs,
                                                     StudioSnapshot *params,
                                                     StudioSnapshot *masks,
                                                     StudioSnapshot *status,
                                                     StudioSnapshot *overlap,
                                                     StudioSnapshot *experiment,
                                                     StudioSnapshot *sweep);
/* TRUE when a run or a result came in since the last save (or restore, or clear). */
gboolean              studio_history_get_unsaved    (StudioHistory *self);
void                  studio_history_mark_saved     (StudioHistory *self);
/* Something a session keeps changed outside the runs (a mode renamed). */
void                  studio_history_mark_unsaved   (StudioHistory *self);

G_END_DECLS
