/* SPDX-License-Identifier: MIT */
/* studio-history.c — the main loop's record of runs and results. */
#include "studio-history.h"

#include <math.h>

struct _StudioHistory
{
  GObject parent_instance;

  /* owned */
  GPtrArray           *runs;     /* StudioRun */
  StudioSnapshot      *params;
  StudioSnapshot      *masks;
  StudioSnapshot      *status;
  StudioSnapshot      *overlap;
  StudioSnapshot      *experiment; /* a finished comparison; its results stay its own */
  StudioSnapshot      *sweep;      /* a finished lambda sweep */
  guint64              n_points;

  /* the current run's records, oldest first, and the time they are looked at (-1: live) */
  guint                time_run;
  GPtrArray           *param_log;   /* StudioSnapshot with tau */
  GPtrArray           *mask_log;    /* StudioSnapshot with has_masks */
  gint64               time;

  /* a run or a result came in since the last save */
  gboolean             unsaved;
};

G_DEFINE_FINAL_TYPE (StudioHistory, studio_history, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
run_free (StudioRun *run)
{
  g_free (run->name);
  g_free (run->settings);
  g_array_unref (run->step);
  g_array_unref (run->loss);
  g_array_unref (run->acc0);
  g_array_unref (run->acc_rot);
  g_array_unref (run->markers);
  g_array_unref (run->gates);
  g_array_unref (run->full_step);
  g_array_unref (run->full0);
  g_array_unref (run->full_rot);
  g_free (run);
}

/* number: the run's place among the training runs (other jobs take no number here) */
static StudioRun *
run_new (StudioSnapshot *snap, guint number)
{
  StudioRun *run = g_new0 (StudioRun, 1);
  run->id = snap->run_id;
  run->method = snap->run_method;
  run->seed = snap->seed;
  run->angle = snap->angle;
  run->settings = g_strdup (snap->settings);
  /* a foundation that did not see the paper's mix says so: its runs are another experiment */
  run->name = g_strdup_printf ("%s · seed %" G_GUINT64_FORMAT "%s%s · #%u",
                               tg_method_info (snap->run_method)->label, snap->seed,
                               snap->foundation_mix != NULL ? " · foundation " : "",
                               snap->foundation_mix != NULL ? snap->foundation_mix : "", number);
  run->step = g_array_new (FALSE, FALSE, sizeof (double));
  run->loss = g_array_new (FALSE, FALSE, sizeof (double));
  run->acc0 = g_array_new (FALSE, FALSE, sizeof (double));
  run->acc_rot = g_array_new (FALSE, FALSE, sizeof (double));
  run->markers = g_array_new (FALSE, FALSE, sizeof (StudioMarker));
  run->gates = g_array_new (FALSE, FALSE, sizeof (StudioGatePoint));
  run->full_step = g_array_new (FALSE, FALSE, sizeof (double));
  run->full0 = g_array_new (FALSE, FALSE, sizeof (double));
  run->full_rot = g_array_new (FALSE, FALSE, sizeof (double));
  run->final_acc0 = run->final_acc_rot = run->final_high_act = NAN;
  run->sparse_speedup = run->sparse_madds = run->dense_madds = NAN;
  run->lambda = snap->lambda;
  return run;
}

static void
add_marker (StudioRun *run, const StudioEvent *ev)
{
  StudioMarker mk = { (double) ev->step, "" };
  GString *s = g_string_new (NULL);

  if (ev->changed & STUDIO_CHANGE_SHARPNESS)
    g_string_append_printf (s, "s=%.3g ", (double) ev->sharpness);
  if (ev->changed & STUDIO_CHANGE_LAMBDA)
    {
      if (ev->lambda > 0)
        g_string_append_printf (s, "λ=%.2g ", (double) ev->lambda);
      else
        g_string_append (s, "λ off ");
    }
  if (ev->changed & STUDIO_CHANGE_LR)
    g_string_append_printf (s, "lr=%.3g ", (double) ev->lr);
  if (ev->changed & STUDIO_CHANGE_HARD)
    g_string_append (s, ev->hard_gates ? "hard " : "soft ");
  if (s->len > 0)
    g_string_truncate (s, s->len - 1);
  g_strlcpy (mk.label, s->str, sizeof mk.label);
  g_string_free (s, TRUE);
  g_array_append_val (run->markers, mk);
}

/* A long run keeps every other record once there are MAX_TIME_RECORDS (the newest always),
 * so memory stays bounded: the records thin out evenly over the run. */
#define MAX_TIME_RECORDS 2048

static void
thin_log (GPtrArray *log)
{
  if (log->len <= MAX_TIME_RECORDS)
    return;
  /* odd places but the newest, from the end; the array frees what it drops */
  guint start = (log->len - 2) % 2 == 1 ? log->len - 2 : log->len - 3;
  for (guint i = start; i >= 1 && i < log->len - 1; i -= 2)
    g_ptr_array_remove_index (log, i);
}

/* Keeps snap in the current run's time records (a new run starts them afresh). */
static void
record_time (StudioHistory *self, StudioSnapshot *snap)
{
  if (snap->run_id != self->time_run)
    {
      g_ptr_array_set_size (self->param_log, 0);
      g_ptr_array_set_size (self->mask_log, 0);
      self->time_run = snap->run_id;
      self->time = -1;
    }
  if (snap->tau != NULL)
    g_ptr_array_add (self->param_log, studio_snapshot_ref (snap));
  if (snap->has_masks)
    g_ptr_array_add (self->mask_log, studio_snapshot_ref (snap));
  thin_log (self->param_log);
  thin_log (self->mask_log);
}

/* The latest record of log at or before step (by get_step), or NULL. */
static StudioSnapshot *
record_at (GPtrArray *log, gint64 step, gboolean masks)
{
  StudioSnapshot *found = NULL;
  for (guint i = 0; i < log->len; i++)
    {
      StudioSnapshot *s = g_ptr_array_index (log, i);
      if ((gint64) (masks ? s->mask_step : s->step) > step)
        break;
      found = s;
    }
  return found;
}

/* A training snapshot: its run (a new one when the run id changes) takes its points, gate
 * points, events and, when it is the last, the final numbers. */
static void
add_train (StudioHistory *self, StudioSnapshot *snap)
{
  StudioRun *run = self->runs->len > 0 ? g_ptr_array_index (self->runs, self->runs->len - 1)
                                       : NULL;
  if (run == NULL || run->id != snap->run_id)
    {
      run = run_new (snap, self->runs->len + 1);
      g_ptr_array_add (self->runs, run);
    }
  run->foundation_steps = snap->foundation_steps;
  run->total_steps = snap->total_steps;
  run->foundation_cached = snap->foundation_cached;
  run->last_step = MAX (run->last_step, snap->step);
  run->eval_every = snap->eval_every;
  run->eval_samples = snap->eval_samples;

  for (guint i = 0; i < snap->points->len; i++)
    {
      const StudioPoint *p = &g_array_index (snap->points, StudioPoint, i);
      g_array_append_val (run->step, p->step);
      g_array_append_val (run->loss, p->loss);
      g_array_append_val (run->acc0, p->acc0);
      g_array_append_val (run->acc_rot, p->acc_rot);
      if (!isnan (p->full0) || !isnan (p->full_rot))
        {
          g_array_append_val (run->full_step, p->step);
          g_array_append_val (run->full0, p->full0);
          g_array_append_val (run->full_rot, p->full_rot);
        }
    }
  self->n_points += snap->points->len;
  g_array_append_vals (run->gates, snap->gate_points->data, snap->gate_points->len);
  record_time (self, snap);

  for (guint i = 0; i < snap->events->len; i++)
    {
      const StudioEvent *ev = &g_array_index (snap->events, StudioEvent, i);
      add_marker (run, ev);
      if (ev->changed & STUDIO_CHANGE_LAMBDA)
        run->lambda_step = ev->step;
    }
  run->lambda = snap->lambda;

  if (snap->tau != NULL)
    {
      g_clear_pointer (&self->params, studio_snapshot_unref);
      self->params = studio_snapshot_ref (snap);
    }
  if (snap->finished)
    {
      run->finished = TRUE;
      run->failed = snap->error != NULL;
      run->final_acc0 = snap->final_acc0;
      run->sparse_speedup = snap->sparse_speedup;
      run->sparse_madds = snap->sparse_madds;
      run->dense_madds = snap->dense_madds;
      run->final_acc_rot = snap->final_acc_rot;
      run->final_high_act = snap->final_high_act;
    }
}

void
studio_history_add (StudioHistory *self, StudioSnapshot *snap)
{
  g_return_if_fail (STUDIO_IS_HISTORY (self));

  g_clear_pointer (&self->status, studio_snapshot_unref);
  self->status = studio_snapshot_ref (snap);

  if (snap->job == STUDIO_JOB_TRAIN)
    {
      add_train (self, snap);
      self->unsaved = TRUE;
    }

  if (snap->has_masks && snap->job == STUDIO_JOB_TRAIN)
    {
      g_clear_pointer (&self->masks, studio_snapshot_unref);
      self->masks = studio_snapshot_ref (snap);
    }
  if (snap->job == STUDIO_JOB_OVERLAP && snap->finished && snap->overlap_gate0 != NULL)
    {
      g_clear_pointer (&self->overlap, studio_snapshot_unref);
      self->overlap = studio_snapshot_ref (snap);
      self->unsaved = TRUE;
    }
  if (snap->job == STUDIO_JOB_EXPERIMENT && snap->finished && snap->experiment != NULL)
    {
      g_clear_pointer (&self->experiment, studio_snapshot_unref);
      self->experiment = studio_snapshot_ref (snap);
      self->unsaved = TRUE;
    }
  if (snap->job == STUDIO_JOB_SWEEP && snap->finished && snap->sweep != NULL)
    {
      g_clear_pointer (&self->sweep, studio_snapshot_unref);
      self->sweep = studio_snapshot_ref (snap);
      self->unsaved = TRUE;
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
studio_history_show_mode (StudioHistory *self, StudioSnapshot *snap)
{
  g_return_if_fail (snap != NULL && snap->mode_name != NULL);
  g_clear_pointer (&self->params, studio_snapshot_unref);
  self->params = studio_snapshot_ref (snap);
  g_clear_pointer (&self->masks, studio_snapshot_unref);
  self->masks = studio_snapshot_ref (snap);
  g_clear_pointer (&self->status, studio_snapshot_unref);
  self->status = studio_snapshot_ref (snap);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
studio_history_clear (StudioHistory *self)
{
  g_ptr_array_set_size (self->runs, 0);
  g_clear_pointer (&self->params, studio_snapshot_unref);
  g_clear_pointer (&self->masks, studio_snapshot_unref);
  g_clear_pointer (&self->status, studio_snapshot_unref);
  g_clear_pointer (&self->overlap, studio_snapshot_unref);
  g_clear_pointer (&self->experiment, studio_snapshot_unref);
  g_clear_pointer (&self->sweep, studio_snapshot_unref);
  self->n_points = 0;
  g_ptr_array_set_size (self->param_log, 0);
  g_ptr_array_set_size (self->mask_log, 0);
  self->time_run = 0;
  self->time = -1;
  self->unsaved = FALSE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ---- sessions ---------------------------------------------------------------------------- */

StudioRun *
studio_run_new (guint id, const char *name)
{
  g_autoptr (StudioSnapshot) snap = studio_snapshot_new ();
  snap->run_id = id;
  StudioRun *run = run_new (snap, 0);
  g_free (run->name);
  run->name = g_strdup (name);
  return run;
}

void
studio_run_free (StudioRun *run)
{
  run_free (run);
}

static void
replace_snapshot (StudioSnapshot **slot, StudioSnapshot *snap)
{
  g_clear_pointer (slot, studio_snapshot_unref);
  if (snap != NULL)
    *slot = studio_snapshot_ref (snap);
}

void
studio_history_restore (StudioHistory *self, GPtrArray *runs, StudioSnapshot *params,
                        StudioSnapshot *masks, StudioSnapshot *status, StudioSnapshot *overlap,
                        StudioSnapshot *experiment, StudioSnapshot *sweep)
{
  g_return_if_fail (STUDIO_IS_HISTORY (self));
  g_ptr_array_set_size (self->runs, 0);
  self->n_points = 0;
  for (guint i = 0; i < runs->len; i++)
    {
      StudioRun *run = g_ptr_array_index (runs, i);
      self->n_points += run->step->len;
      g_ptr_array_add (self->runs, run);
    }
  /* the runs are ours now: the caller's array lets go of them without freeing */
  g_ptr_array_set_free_func (runs, NULL);
  g_ptr_array_set_size (runs, 0);
  replace_snapshot (&self->params, params);
  replace_snapshot (&self->masks, masks);
  replace_snapshot (&self->status, status);
  replace_snapshot (&self->overlap, overlap);
  replace_snapshot (&self->experiment, experiment);
  replace_snapshot (&self->sweep, sweep);
  /* the records, when the session kept them, come next (studio_history_restore_time) */
  g_ptr_array_set_size (self->param_log, 0);
  g_ptr_array_set_size (self->mask_log, 0);
  self->time_run = 0;
  self->time = -1;
  self->unsaved = FALSE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean studio_history_get_unsaved (StudioHistory *self) { return self->unsaved; }
void studio_history_mark_saved (StudioHistory *self) { self->unsaved = FALSE; }
void studio_history_mark_unsaved (StudioHistory *self) { self->unsaved = TRUE; }

guint studio_history_get_n_runs (StudioHistory *self) { return self->runs->len; }

const StudioRun *
studio_history_get_run (StudioHistory *self, guint index)
{
  g_return_val_if_fail (index < self->runs->len, NULL);
  return g_ptr_array_index (self->runs, index);
}

const StudioRun *
studio_history_get_current (StudioHistory *self)
{
  return self->runs->len > 0 ? g_ptr_array_index (self->runs, self->runs->len - 1) : NULL;
}

StudioSnapshot *
studio_history_get_params (StudioHistory *self)
{
  StudioSnapshot *at = self->time >= 0 ? record_at (self->param_log, self->time, FALSE) : NULL;
  return at != NULL ? at : self->params;
}

StudioSnapshot *
studio_history_get_masks (StudioHistory *self)
{
  StudioSnapshot *at = self->time >= 0 ? record_at (self->mask_log, self->time, TRUE) : NULL;
  return at != NULL ? at : self->masks;
}

guint studio_history_get_n_times (StudioHistory *self) { return self->param_log->len; }

guint64
studio_history_get_time_step (StudioHistory *self, guint index)
{
  g_return_val_if_fail (index < self->param_log->len, 0);
  return ((StudioSnapshot *) g_ptr_array_index (self->param_log, index))->step;
}

StudioSnapshot *
studio_history_get_time_params (StudioHistory *self, guint index)
{
  g_return_val_if_fail (index < self->param_log->len, NULL);
  return g_ptr_array_index (self->param_log, index);
}

void
studio_history_set_time (StudioHistory *self, gint64 step)
{
  g_return_if_fail (STUDIO_IS_HISTORY (self));
  if (step < 0)
    step = -1;
  if (step == self->time)
    return;
  self->time = step;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gint64 studio_history_get_time (StudioHistory *self) { return self->time; }
guint studio_history_get_n_mask_times (StudioHistory *self) { return self->mask_log->len; }
guint studio_history_get_time_run (StudioHistory *self) { return self->time_run; }

StudioSnapshot *
studio_history_get_time_masks (StudioHistory *self, guint index)
{
  g_return_val_if_fail (index < self->mask_log->len, NULL);
  return g_ptr_array_index (self->mask_log, index);
}

void
studio_history_restore_time (StudioHistory *self, guint run_id, GPtrArray *params,
                             GPtrArray *masks)
{
  g_return_if_fail (STUDIO_IS_HISTORY (self));
  g_ptr_array_set_size (self->param_log, 0);
  g_ptr_array_set_size (self->mask_log, 0);
  for (guint i = 0; i < params->len; i++)
    g_ptr_array_add (self->param_log, studio_snapshot_ref (g_ptr_array_index (params, i)));
  for (guint i = 0; i < masks->len; i++)
    g_ptr_array_add (self->mask_log, studio_snapshot_ref (g_ptr_array_index (masks, i)));
  self->time_run = run_id;
  self->time = -1;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}
StudioSnapshot *studio_history_get_status (StudioHistory *self) { return self->status; }
StudioSnapshot *studio_history_get_overlap (StudioHistory *self) { return self->overlap; }
const TgExperimentResults *
studio_history_get_experiment (StudioHistory *self)
{
  return self->experiment != NULL ? self->experiment->experiment : NULL;
}
const TgSweepResults *
studio_history_get_sweep (StudioHistory *self)
{
  return self->sweep != NULL ? self->sweep->sweep : NULL;
}
guint64 studio_history_get_points (StudioHistory *self) { return self->n_points; }

StudioHistory *
studio_history_new (void)
{
  return g_object_new (STUDIO_TYPE_HISTORY, NULL);
}

static void
studio_history_finalize (GObject *object)
{
  StudioHistory *self = STUDIO_HISTORY (object);

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->param_log, g_ptr_array_unref);
  g_clear_pointer (&self->mask_log, g_ptr_array_unref);
  g_clear_pointer (&self->params, studio_snapshot_unref);
  g_clear_pointer (&self->masks, studio_snapshot_unref);
  g_clear_pointer (&self->status, studio_snapshot_unref);
  g_clear_pointer (&self->overlap, studio_snapshot_unref);
  g_clear_pointer (&self->experiment, studio_snapshot_unref);
  g_clear_pointer (&self->sweep, studio_snapshot_unref);
  G_OBJECT_CLASS (studio_history_parent_class)->finalize (object);
}

static void
studio_history_class_init (StudioHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = studio_history_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
studio_history_init (StudioHistory *self)
{
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  self->param_log = g_ptr_array_new_with_free_func ((GDestroyNotify) studio_snapshot_unref);
  self->mask_log = g_ptr_array_new_with_free_func ((GDestroyNotify) studio_snapshot_unref);
  self->time = -1;
}
