/* studio-trainer.c — the trainer's GObject and the hand-over between the worker and the
 * main loop: one pending snapshot, at most one idle, and a stop that cannot hang the window.
 *
 * What this file is not: the worker (studio-worker.c) or a scheduler of several jobs. One
 * job runs at a time, in one thread; the main thread never touches a TgModel. */
#include "studio-trainer-private.h"

#include <glib/gi18n.h>

#include <string.h>
#include <gio/gio.h>

/* How long a stop waits for the worker before leaving it behind. A batch takes
 * milliseconds and cancel is checked before each; what takes longer is stuck. */
#define STOP_TIMEOUT_MS 5000

G_DEFINE_FINAL_TYPE (StudioTrainer, studio_trainer, G_TYPE_OBJECT)

enum { PROP_0, PROP_STATE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_SNAPSHOT, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------ */
/* hand-over                                                                             */

static void
set_state (StudioTrainer *self, StudioTrainerState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
join_worker (StudioTrainer *self)
{
  if (self->thread == NULL)
    return;
  g_thread_join (g_steal_pointer (&self->thread));
  self->joined++;
}

static void
deliver (StudioTrainer *self, StudioSnapshot *snap)
{
  if (snap->finished)
    {
      join_worker (self);
      set_state (self, STUDIO_TRAINER_IDLE);
    }
  else
    set_state (self, snap->paused ? STUDIO_TRAINER_PAUSED : STUDIO_TRAINER_RUNNING);
  g_signal_emit (self, signals[SIGNAL_SNAPSHOT], 0, snap);
}

static gboolean
deliver_idle (gpointer data)
{
  StudioTrainer *self = data;
  StudioSnapshot *snap;

  g_mutex_lock (&self->mutex);
  snap = g_steal_pointer (&self->pending);
  self->idle_id = 0;
  g_mutex_unlock (&self->mutex);

  if (snap != NULL)
    {
      deliver (self, snap);
      studio_snapshot_unref (snap);
    }
  return G_SOURCE_REMOVE;
}

/* Worker thread: parks snap in the pending slot. A snapshot the main loop has not taken
 * yet is folded into the new one (its points and events first), so no point is lost and
 * there is never more than one idle scheduled. */
void
studio_trainer_publish (StudioTrainer *self, StudioSnapshot *snap)
{
  g_mutex_lock (&self->mutex);
  if (snap->run_id == self->abandoned_run)
    {
      /* a stop left this worker behind: its window has moved on */
      g_mutex_unlock (&self->mutex);
      studio_snapshot_unref (snap);
      return;
    }
  if (self->pending != NULL)
    {
      StudioSnapshot *old = self->pending;
      g_array_prepend_vals (snap->points, old->points->data, old->points->len);
      g_array_prepend_vals (snap->events, old->events->data, old->events->len);
      g_array_prepend_vals (snap->gate_points, old->gate_points->data, old->gate_points->len);
      if (!snap->has_masks && old->has_masks)
        studio_snapshot_take_masks (snap, old);
      studio_snapshot_unref (old);
    }
  self->pending = snap;
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_LOW, deliver_idle,
                                     g_object_ref (self), g_object_unref);
  g_mutex_unlock (&self->mutex);
}

/* ------------------------------------------------------------------------------------ */
/* the worker                                                                            */

/* ------------------------------------------------------------------------------------ */
/* main-thread API                                                                       */

gboolean
studio_trainer_start (StudioTrainer *self, StudioJob job, const StudioConfig *cfg,
                      guint *run_id, GError **error)
{
  gboolean left_behind;

  g_return_val_if_fail (STUDIO_IS_TRAINER (self), FALSE);

  g_mutex_lock (&self->mutex);
  left_behind = self->abandoned_run != 0;
  g_mutex_unlock (&self->mutex);
  if (self->thread != NULL || left_behind)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, left_behind
                   ? _("An earlier run did not stop and still holds the data; no new run can "
                     "start until it ends (or restart TauGate Studio)")
                   : _("A run is already under way"));
      return FALSE;
    }
  if (cfg->batch == 0 || cfg->sharpness <= 0 || !(cfg->lr > 0))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, _("Invalid settings (batch, s or lr)"));
      return FALSE;
    }

  studio_config_clear (&self->cfg);
  studio_config_copy (&self->cfg, cfg);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->job = job;
  self->run_id++;

  g_mutex_lock (&self->mutex);
  self->sharpness = cfg->sharpness;
  self->lambda = cfg->lambda;
  self->lr = cfg->lr;
  self->hard_gates = cfg->hard_gates;
  self->paused = FALSE;
  self->step_requests = 0;
  self->worker_done = FALSE;
  g_mutex_unlock (&self->mutex);

  self->thread = studio_worker_spawn (self, error);
  if (self->thread == NULL)
    return FALSE;
  if (run_id != NULL)
    *run_id = self->run_id;
  set_state (self, STUDIO_TRAINER_RUNNING);
  return TRUE;
}

void
studio_trainer_set_paused (StudioTrainer *self, gboolean paused)
{
  g_return_if_fail (STUDIO_IS_TRAINER (self));
  g_mutex_lock (&self->mutex);
  self->paused = paused;
  self->step_requests = 0;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
studio_trainer_step (StudioTrainer *self)
{
  g_return_if_fail (STUDIO_IS_TRAINER (self));
  g_mutex_lock (&self->mutex);
  if (self->paused)
    {
      self->step_requests++;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);
}

void
studio_trainer_set_rate_limit (StudioTrainer *self, double steps_per_sec)
{
  g_return_if_fail (STUDIO_IS_TRAINER (self));
  g_mutex_lock (&self->mutex);
  self->max_rate = steps_per_sec > 0 ? steps_per_sec : 0;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

double
studio_trainer_get_rate_limit (StudioTrainer *self)
{
  g_return_val_if_fail (STUDIO_IS_TRAINER (self), 0);
  g_mutex_lock (&self->mutex);
  double rate = self->max_rate;
  g_mutex_unlock (&self->mutex);
  return rate;
}

void
studio_trainer_worker_done (StudioTrainer *self, guint run_id)
{
  gboolean left_behind;

  g_mutex_lock (&self->mutex);
  left_behind = run_id == self->abandoned_run;
  if (left_behind)
    self->abandoned_run = 0;
  self->worker_done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  /* the reference the stop handed this worker: the last one, once the window is gone */
  if (left_behind)
    g_object_unref (self);
}

/* Main thread, after the worker did not end within the stop's time: detaches it. It keeps
 * the trainer (and so the caches and settings it reads) alive until it ends; what it
 * publishes from now on is dropped. */
static StudioSnapshot *
leave_worker_behind (StudioTrainer *self)
{
  StudioSnapshot *fin = studio_snapshot_new ();

  g_warning ("The training thread did not stop within %u ms; leaving it behind",
             self->stop_timeout_ms);
  g_thread_unref (g_steal_pointer (&self->thread));
  fin->run_id = self->run_id;
  fin->job = self->job;
  fin->phase = STUDIO_PHASE_LOADING;
  fin->finished = TRUE;
  fin->error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                            _("The run did not stop within %u s and was left running in the "
                            "background; a new run can start once it ends"),
                            MAX (self->stop_timeout_ms / 1000, 1));
  return fin;
}

/* Cancels, wakes a paused worker and waits for it, at most stop_timeout_ms: the main loop
 * is never blocked on a join that may not come. */
void
studio_trainer_stop (StudioTrainer *self)
{
  StudioSnapshot *snap, *fin = NULL;
  gboolean done = TRUE;

  g_return_if_fail (STUDIO_IS_TRAINER (self));
  if (self->thread == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  gint64 end = g_get_monotonic_time () + self->stop_timeout_ms * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&self->mutex);
  g_cond_broadcast (&self->cond);
  while (!self->worker_done && g_cond_wait_until (&self->cond, &self->mutex, end))
    ;
  if (!self->worker_done)
    {
      done = FALSE;
      self->abandoned_run = self->run_id;
      g_object_ref (self); /* the worker's, dropped in studio_trainer_worker_done() */
    }
  snap = g_steal_pointer (&self->pending);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_mutex_unlock (&self->mutex);

  if (done)
    join_worker (self);
  else
    fin = leave_worker_behind (self);

  if (snap != NULL)
    {
      deliver (self, snap);
      studio_snapshot_unref (snap);
    }
  if (fin != NULL)
    {
      deliver (self, fin);
      studio_snapshot_unref (fin);
    }
  set_state (self, STUDIO_TRAINER_IDLE);
}

void
studio_trainer_reserve_run_ids (StudioTrainer *self, guint last)
{
  g_return_if_fail (STUDIO_IS_TRAINER (self));
  self->run_id = MAX (self->run_id, last);
}

void
studio_trainer_forget (StudioTrainer *self)
{
  gboolean left_behind;

  studio_trainer_stop (self);
  g_mutex_lock (&self->mutex);
  left_behind = self->abandoned_run != 0;
  g_mutex_unlock (&self->mutex);
  if (self->thread != NULL || left_behind)
    return; /* a worker left behind still reads them */
  g_clear_pointer (&self->foundation, tg_model_free);
  g_clear_pointer (&self->foundation_key, g_free);
}

/* The controls change together, so the worker sees them as one event. */
void
studio_trainer_set_controls (StudioTrainer *self, float sharpness, float lambda, float lr,
                             gboolean hard_gates)
{
  g_return_if_fail (STUDIO_IS_TRAINER (self));
  g_mutex_lock (&self->mutex);
  self->sharpness = sharpness;
  self->lambda = lambda;
  self->lr = lr;
  self->hard_gates = hard_gates;
  g_mutex_unlock (&self->mutex);
}

void
studio_trainer_set_stop_timeout (StudioTrainer *self, guint ms)
{
  self->stop_timeout_ms = ms;
}

void
studio_trainer_set_test_hang (StudioTrainer *self, gboolean hang)
{
  g_mutex_lock (&self->mutex);
  self->test_hang = hang;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

gboolean
studio_trainer_get_test_hung (StudioTrainer *self)
{
  gboolean hung;
  g_mutex_lock (&self->mutex);
  hung = self->test_hung;
  g_mutex_unlock (&self->mutex);
  return hung;
}

void
studio_trainer_set_want_model (StudioTrainer *self, gboolean want)
{
  g_atomic_int_set (&self->want_model, want ? 1 : 0);
}

StudioTrainerState
studio_trainer_get_state (StudioTrainer *self)
{
  return self->state;
}

gboolean
studio_trainer_is_busy (StudioTrainer *self)
{
  return self->thread != NULL;
}

guint
studio_trainer_get_joined (StudioTrainer *self)
{
  return self->joined;
}

StudioTrainer *
studio_trainer_new (void)
{
  return g_object_new (STUDIO_TYPE_TRAINER, NULL);
}

static void
studio_trainer_dispose (GObject *object)
{
  StudioTrainer *self = STUDIO_TRAINER (object);

  studio_trainer_stop (self);
  G_OBJECT_CLASS (studio_trainer_parent_class)->dispose (object);
}

static void
studio_trainer_finalize (GObject *object)
{
  StudioTrainer *self = STUDIO_TRAINER (object);

  g_clear_object (&self->cancellable);
  studio_config_clear (&self->cfg);
  g_clear_pointer (&self->raw_dir, g_free);
  g_clear_pointer (&self->raw_train, tg_dataset_free);
  g_clear_pointer (&self->raw_test, tg_dataset_free);
  g_clear_pointer (&self->mode, tg_mode_data_free);
  g_clear_pointer (&self->mode_key, g_free);
  g_clear_pointer (&self->foundation, tg_model_free);
  g_clear_pointer (&self->foundation_key, g_free);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (studio_trainer_parent_class)->finalize (object);
}

static void
studio_trainer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  StudioTrainer *self = STUDIO_TRAINER (object);
  switch (prop_id)
    {
    case PROP_STATE: g_value_set_int (value, self->state); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_trainer_class_init (StudioTrainerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = studio_trainer_dispose;
  object_class->finalize = studio_trainer_finalize;
  object_class->get_property = studio_trainer_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, STUDIO_TRAINER_IDLE, STUDIO_TRAINER_PAUSED,
                      STUDIO_TRAINER_IDLE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted on the main thread with each snapshot taken from the worker. */
  signals[SIGNAL_SNAPSHOT] =
    g_signal_new ("snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  STUDIO_TYPE_SNAPSHOT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
studio_trainer_init (StudioTrainer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->stop_timeout_ms = STOP_TIMEOUT_MS;
  studio_config_init_paper (&self->cfg);
}
