/* studio-trainer.c — the training worker and its hand-over to the main loop.
 *
 * What this file is not: a scheduler of several jobs. One job runs at a time, in one
 * thread, over the engine's step-wise trainer; the main thread never touches a TgModel. */
#include "studio-trainer.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>

#include "tg-train.h"
#include "tg-metrics.h"
#include "tg-experiment.h"

#define PUBLISH_INTERVAL_US (30 * 1000)
#define HIGH_ACT_SAMPLES 256

struct _StudioTrainer
{
  GObject parent_instance;

  /* shared with the worker, under mutex */
  GMutex          mutex;
  GCond           cond;
  float           sharpness, lambda, lr;
  gboolean        hard_gates;
  gboolean        paused;
  StudioSnapshot *pending;
  guint           idle_id;

  /* main thread */
  GThread           *thread;
  GCancellable      *cancellable;
  StudioTrainerState state;
  StudioJob          job;
  guint              run_id;
  guint              joined;

  /* the running job's settings: written before the thread starts, read by it only */
  StudioConfig cfg;

  /* caches: the worker's while a thread runs, the main thread's otherwise */
  char       *raw_dir;
  TgDataset  *raw_train, *raw_test;
  char       *mode_key;
  TgModeData *mode;
  char       *foundation_key;
  TgModel    *foundation;
  guint64     foundation_steps;
};

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

static void
steal_masks (StudioSnapshot *to, StudioSnapshot *from)
{
  to->has_masks = TRUE;
  to->mask_step = from->mask_step;
  to->n_classes = from->n_classes;
  to->high_act = from->high_act;
#define STEAL(f) to->f = g_steal_pointer (&from->f)
  STEAL (firing0_hard); STEAL (firing45_hard);
  STEAL (firing0_soft); STEAL (firing45_soft);
  STEAL (gates0); STEAL (gates45);
#undef STEAL
}

/* Worker thread: parks snap in the pending slot. A snapshot the main loop has not taken
 * yet is folded into the new one (its points and events first), so no point is lost and
 * there is never more than one idle scheduled. */
static void
publish (StudioTrainer *self, StudioSnapshot *snap)
{
  g_mutex_lock (&self->mutex);
  if (self->pending != NULL)
    {
      StudioSnapshot *old = self->pending;
      g_array_prepend_vals (snap->points, old->points->data, old->points->len);
      g_array_prepend_vals (snap->events, old->events->data, old->events->len);
      if (!snap->has_masks && old->has_masks)
        steal_masks (snap, old);
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

typedef struct {
  StudioTrainer *self;
  const StudioConfig *cfg;
  GCancellable  *cancellable;
  guint          run_id;
  StudioJob      job;
  uint64_t       rng;

  const TgModeData *mode;

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

  /* since the last publish */
  GArray  *points, *events;
  gint64   last_publish;

  /* speed, excluding paused time */
  gint64   t_start;
  gint64   paused_us;
  guint64  samples;
  double   rate;
  double   last_loss;
} Worker;

static StudioSnapshot *
worker_snapshot (Worker *w, gboolean with_params)
{
  StudioSnapshot *snap = studio_snapshot_new ();

  snap->run_id = w->run_id;
  snap->job = w->job;
  snap->phase = w->phase;
  snap->method = w->phase == STUDIO_PHASE_FOUNDATION ? TG_METHOD_FULL : w->run_method;
  snap->run_method = w->run_method;
  snap->seed = w->cfg->seed;
  snap->angle = w->cfg->angle;
  snap->epoch = w->epoch;
  snap->n_epochs = w->n_epochs;
  snap->batch = w->batch_index;
  snap->n_batches = w->n_batches;
  snap->step = w->step;
  snap->total_steps = w->total_steps;
  snap->foundation_steps = w->foundation_steps;
  snap->foundation_cached = w->foundation_cached;
  snap->samples_per_sec = w->rate;
  if (w->rate > 0 && w->total_steps > w->step)
    snap->eta_seconds = (double) (w->total_steps - w->step) * w->cfg->batch / w->rate;
  snap->sharpness = w->sharpness;
  snap->lambda = w->lambda;
  snap->lr = w->lr;
  snap->hard_gates = w->hard;
  snap->eval_every = w->cfg->eval_every;
  snap->eval_samples = MIN (w->cfg->eval_samples, w->mode != NULL ? w->mode->test0->n : w->cfg->eval_samples);
  snap->mask_every = w->cfg->mask_every;

  g_array_append_vals (snap->points, w->points->data, w->points->len);
  g_array_set_size (w->points, 0);
  g_array_append_vals (snap->events, w->events->data, w->events->len);
  g_array_set_size (w->events, 0);

  if (with_params && w->model != NULL)
    {
      const TgModel *m = w->model;
      snap->n_hidden = tg_model_n_hidden (m);
      snap->hidden_units = tg_model_hidden_units (m);
      snap->tau = g_new (float, snap->hidden_units);
      snap->gamma = g_new (float, snap->hidden_units);
      guint32 off = 0;
      for (guint32 l = 0; l < snap->n_hidden; l++)
        {
          snap->widths[l] = m->dims[l + 1];
          memcpy (snap->tau + off, m->params + m->tau[l], m->dims[l + 1] * sizeof (float));
          memcpy (snap->gamma + off, m->params + m->gamma[l], m->dims[l + 1] * sizeof (float));
          off += m->dims[l + 1];
        }
    }
  return snap;
}

static void
worker_publish (Worker *w, StudioSnapshot *snap)
{
  w->last_publish = g_get_monotonic_time ();
  publish (w->self, snap);
}

static void
worker_progress (Worker *w, double fraction, const char *text)
{
  StudioSnapshot *snap = worker_snapshot (w, FALSE);
  snap->progress = fraction;
  snap->progress_text = g_strdup (text);
  worker_publish (w, snap);
}

/* Blocks while the user has paused (or until stopped); tells the main loop both ways.
 * progress / text: what a progress snapshot said before the pause, kept while paused. */
static void
worker_wait_if_paused (Worker *w, double progress, const char *text)
{
  StudioTrainer *self = w->self;
  gboolean paused;

  g_mutex_lock (&self->mutex);
  paused = self->paused;
  g_mutex_unlock (&self->mutex);

  if (paused && !g_cancellable_is_cancelled (w->cancellable))
    {
      gint64 t0 = g_get_monotonic_time ();
      StudioSnapshot *snap = worker_snapshot (w, TRUE);
      snap->paused = TRUE;
      snap->progress = progress;
      snap->progress_text = g_strdup (text);
      worker_publish (w, snap);

      g_mutex_lock (&self->mutex);
      while (self->paused && !g_cancellable_is_cancelled (w->cancellable))
        g_cond_wait_until (&self->cond, &self->mutex,
                           g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND);
      g_mutex_unlock (&self->mutex);
      w->paused_us += g_get_monotonic_time () - t0;

      snap = worker_snapshot (w, TRUE);
      snap->progress = progress;
      snap->progress_text = g_strdup (text);
      worker_publish (w, snap);
    }
}

/* Reads the controls; applies and logs what changed. Blocks while paused. */
static void
worker_controls (Worker *w)
{
  StudioTrainer *self = w->self;
  float s, lambda, lr;
  gboolean hard;

  worker_wait_if_paused (w, 0.0, NULL);

  g_mutex_lock (&self->mutex);
  s = self->sharpness;
  lambda = self->lambda;
  lr = self->lr;
  hard = self->hard_gates;
  g_mutex_unlock (&self->mutex);

  guint changed = 0;
  if (s != w->sharpness) changed |= STUDIO_CHANGE_SHARPNESS;
  if (lambda != w->lambda) changed |= STUDIO_CHANGE_LAMBDA;
  if (lr != w->lr) changed |= STUDIO_CHANGE_LR;
  if (hard != w->hard) changed |= STUDIO_CHANGE_HARD;
  w->sharpness = s;
  w->lambda = lambda;
  w->lr = lr;
  w->hard = hard;

  if (w->trainer != NULL)
    {
      tg_trainer_set_sharpness (w->trainer, s);
      tg_trainer_set_lambda (w->trainer, lambda);
      tg_trainer_set_lr (w->trainer, lr);
    }
  if (changed != 0)
    {
      StudioEvent ev = { w->step, changed, s, lambda, lr, hard };
      g_array_append_val (w->events, ev);
      if ((changed & STUDIO_CHANGE_LR) && w->phase == STUDIO_PHASE_FOUNDATION)
        w->tainted = TRUE;
    }
}

static const float *
z1_for (Worker *w, const TgDataset *ds)
{
  if (w->phase != STUDIO_PHASE_ADAPTATION)
    return NULL;
  if (ds == w->mode->test0)
    return w->z1_test0;
  if (ds == w->mode->test_rot)
    return w->z1_test_rot;
  return NULL;
}

static void
worker_eval (Worker *w, guint32 n, double *acc0, double *acc45)
{
  TgWorkspace *ws = tg_trainer_get_workspace (w->trainer);
  TgEval e0, e45;
  TgForwardOpts opts = { w->hard ? TG_GATES_HARD : TG_GATES_SOFT, w->sharpness };
  n = MIN (n, MIN (w->mode->test0->n, w->mode->test_rot->n));
  tg_evaluate (w->model, ws, &opts, w->mode->test0, z1_for (w, w->mode->test0), n, &e0);
  tg_evaluate (w->model, ws, &opts, w->mode->test_rot, z1_for (w, w->mode->test_rot), n, &e45);
  *acc0 = e0.acc;
  *acc45 = e45.acc;
}

static void
worker_masks (Worker *w, StudioSnapshot *snap)
{
  TgWorkspace *ws = tg_trainer_get_workspace (w->trainer);
  TgModel *m = w->model;
  const TgModeData *d = w->mode;
  guint32 n = MIN (w->cfg->eval_samples, d->test0->n);
  guint32 units = tg_model_hidden_units (m);
  guint32 classes = m->dims[m->n_linear];
  gsize cells = (gsize) classes * units;

  snap->has_masks = TRUE;
  snap->mask_step = w->step;
  snap->n_classes = classes;
  snap->firing0_hard = g_new0 (float, cells);
  snap->firing45_hard = g_new0 (float, cells);
  snap->firing0_soft = g_new0 (float, cells);
  snap->firing45_soft = g_new0 (float, cells);
  snap->gates0 = g_new0 (float, units);
  snap->gates45 = g_new0 (float, units);

  const float *z0 = z1_for (w, d->test0), *z45 = z1_for (w, d->test_rot);
  TgForwardOpts hard = { TG_GATES_HARD, w->sharpness }, soft = { TG_GATES_SOFT, w->sharpness };
  tg_firing_by_class (m, ws, &hard, d->test0, z0, n, snap->firing0_hard);
  tg_firing_by_class (m, ws, &hard, d->test_rot, z45, n, snap->firing45_hard);
  tg_firing_by_class (m, ws, &soft, d->test0, z0, n, snap->firing0_soft);
  tg_firing_by_class (m, ws, &soft, d->test_rot, z45, n, snap->firing45_soft);
  tg_mean_gates (m, ws, &soft, d->test0, z0, n, snap->gates0);
  tg_mean_gates (m, ws, &soft, d->test_rot, z45, n, snap->gates45);
  if (tg_method_info (m->method)->gated && w->high_act_set != NULL)
    snap->high_act = tg_high_act_frac (m, ws, w->sharpness, w->high_act_set,
                                       w->phase == STUDIO_PHASE_ADAPTATION ? w->z1_train : NULL,
                                       MIN (HIGH_ACT_SAMPLES, w->high_act_set->n), 0.9f);
}

/* Trains n_epochs over src, publishing as it goes. FALSE on error or cancel. */
static gboolean
worker_epochs (Worker *w, const TgSource *src, guint32 n_epochs, GError **error)
{
  const StudioConfig *cfg = w->cfg;
  const TgModel *m = w->model;
  const TgMethodInfo *info = tg_method_info (m->method);
  gboolean need_x = src->z1pre == NULL || info->lora;
  guint32 batch = cfg->batch;
  g_autofree float *x = need_x ? g_new (float, (gsize) batch * m->dims[0]) : NULL;
  g_autofree float *z1 = src->z1pre != NULL ? g_new (float, (gsize) batch * src->z1_dim) : NULL;
  g_autofree guint8 *y = g_new (guint8, batch);

  w->n_epochs = n_epochs;
  for (guint32 e = 0; e < n_epochs; e++)
    {
      g_autoptr (TgEpoch) epoch = tg_epoch_new (src, batch, &w->rng);
      guint32 n;

      w->epoch = e + 1;
      w->n_batches = tg_epoch_n_batches (epoch);
      w->batch_index = 0;

      for (;;)
        {
          worker_controls (w);
          if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
            return FALSE;
          if (cfg->max_steps > 0 && w->step >= cfg->max_steps)
            return TRUE;

          n = tg_epoch_next (epoch, x, z1, y);
          if (n == 0)
            break;

          TgLossInfo li;
          if (!tg_trainer_step (w->trainer, x, z1, y, n, &li, error))
            {
              if (error != NULL && *error != NULL)
                g_prefix_error (error, "Step %" G_GUINT64_FORMAT " (%s, lr %g, s %g, λ %g): ",
                                w->step + 1, studio_phase_label (w->phase),
                                (double) w->lr, (double) w->sharpness, (double) w->lambda);
              return FALSE;
            }
          w->step++;
          w->batch_index++;
          w->samples += n;
          w->last_loss = li.loss;

          double elapsed = (g_get_monotonic_time () - w->t_start - w->paused_us) / 1e6;
          if (elapsed > 0.05)
            w->rate = w->samples / elapsed;

          StudioPoint pt = { (double) w->step, li.loss, NAN, NAN, NAN, NAN, w->phase };
          gboolean last_batch = w->batch_index == w->n_batches;
          gboolean eval_now = cfg->eval_every > 0 && (w->step % cfg->eval_every == 0);
          gboolean masks_now = cfg->mask_every > 0 && (w->step % cfg->mask_every == 0);

          /* the subset keeps the curve continuous; the whole test set at each epoch's end
           * is a series of its own (mixing the two would zigzag) */
          if (eval_now || last_batch)
            worker_eval (w, cfg->eval_samples, &pt.acc0, &pt.acc45);
          if (last_batch)
            worker_eval (w, 0, &pt.full0, &pt.full45);
          g_array_append_val (w->points, pt);

          gboolean events = w->events->len > 0;
          if (masks_now || last_batch || events || eval_now ||
              g_get_monotonic_time () - w->last_publish >= PUBLISH_INTERVAL_US)
            {
              StudioSnapshot *snap = worker_snapshot (w, TRUE);
              if (masks_now || last_batch)
                worker_masks (w, snap);
              worker_publish (w, snap);
            }
        }
    }
  return TRUE;
}

static gboolean
worker_load (Worker *w, GError **error)
{
  StudioTrainer *self = w->self;
  const StudioConfig *cfg = w->cfg;
  g_autofree char *dir = cfg->data_dir != NULL ? g_strdup (cfg->data_dir)
                                               : studio_default_data_dir ();

  w->phase = STUDIO_PHASE_LOADING;
  if (self->raw_dir == NULL || strcmp (self->raw_dir, dir) != 0)
    {
      worker_progress (w, 0.0, "Loading data");
      g_clear_pointer (&self->raw_dir, g_free);
      g_clear_pointer (&self->raw_train, tg_dataset_free);
      g_clear_pointer (&self->raw_test, tg_dataset_free);
      g_clear_pointer (&self->mode, tg_mode_data_free);
      g_clear_pointer (&self->mode_key, g_free);
      g_clear_pointer (&self->foundation, tg_model_free);
      g_clear_pointer (&self->foundation_key, g_free);

      g_autoptr (TgDataset) train = tg_dataset_load_dir (dir, "train", 10, error);
      if (train == NULL)
        {
          g_prefix_error (error, "Cannot load the training set from %s (set TG_MNIST_DIR or --data): ", dir);
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
        return FALSE;
      g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, error);
      if (test == NULL)
        {
          g_prefix_error (error, "Cannot load the test set from %s: ", dir);
          return FALSE;
        }
      self->raw_train = g_steal_pointer (&train);
      self->raw_test = g_steal_pointer (&test);
      self->raw_dir = g_strdup (dir);
    }

  g_autofree char *key = g_strdup_printf ("%s|%g|%u|%u", dir, cfg->angle,
                                          cfg->train_limit, cfg->test_limit);
  if (self->mode_key == NULL || strcmp (self->mode_key, key) != 0)
    {
      worker_progress (w, 0.0, "Rotating images");
      g_clear_pointer (&self->mode, tg_mode_data_free);
      g_clear_pointer (&self->mode_key, g_free);
      self->mode = tg_mode_data_new (self->raw_train, self->raw_test, cfg->angle,
                                     cfg->train_limit, cfg->test_limit);
      if (self->mode == NULL)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "Cannot prepare the rotated data sets from %s", dir);
          return FALSE;
        }
      self->mode_key = g_steal_pointer (&key);
    }
  w->mode = self->mode;
  return !g_cancellable_set_error_if_cancelled (w->cancellable, error);
}

static char *
foundation_key (const StudioConfig *cfg, const char *mode_key)
{
  return g_strdup_printf ("%s|seed %" G_GUINT64_FORMAT "|ep %u|lr %g|batch %u", mode_key,
                          cfg->seed, cfg->foundation_epochs, (double) cfg->lr, cfg->batch);
}

static guint64
steps_for (guint32 n, guint32 batch, guint32 epochs)
{
  return (guint64) ((n + batch - 1) / batch) * epochs;
}

/* Leaves the foundation in w->model (a fresh model the caller owns). */
static gboolean
worker_foundation (Worker *w, GError **error)
{
  StudioTrainer *self = w->self;
  const StudioConfig *cfg = w->cfg;
  g_autofree char *key = foundation_key (cfg, self->mode_key);

  w->foundation_steps = steps_for (w->mode->train0->n, cfg->batch, cfg->foundation_epochs);

  if (self->foundation != NULL && strcmp (self->foundation_key, key) == 0)
    {
      w->model = tg_model_copy (self->foundation);
      w->foundation_cached = TRUE;
      w->step = w->foundation_steps;
      /* the same stream as after a foundation trained here */
      w->rng = tg_rng_seed (cfg->seed * 1000003u + 17u);
      return TRUE;
    }

  guint32 widths[2] = { 128, 128 };
  w->model = tg_model_new (w->mode->train0->dim, 2, widths, 10, 8, 8.0f, error);
  if (w->model == NULL)
    return FALSE;
  tg_model_init_weights (w->model, &w->rng);
  w->model->method = TG_METHOD_FULL;

  TgTrainConfig tcfg;
  tg_train_config_init (&tcfg);
  tcfg.lr = w->lr;
  tcfg.lambda = w->lambda;
  tcfg.sharpness = w->sharpness;
  tcfg.batch = cfg->batch;
  w->trainer = tg_trainer_new (w->model, &tcfg);
  w->phase = STUDIO_PHASE_FOUNDATION;
  w->tainted = FALSE;

  TgSource src = { .data = w->mode->train0, .alt = w->mode->train_rot };
  w->high_act_set = w->mode->train_rot;
  gboolean ok = worker_epochs (w, &src, cfg->foundation_epochs, error);
  g_clear_pointer (&w->trainer, tg_trainer_free);
  if (!ok)
    return FALSE;

  if (!w->tainted && (cfg->max_steps == 0 || w->step >= w->foundation_steps))
    {
      g_clear_pointer (&self->foundation, tg_model_free);
      g_free (self->foundation_key);
      self->foundation = tg_model_copy (w->model);
      self->foundation_key = g_steal_pointer (&key);
    }
  /* the adaptation draws from the same stream whether the foundation was cached or not */
  w->rng = tg_rng_seed (cfg->seed * 1000003u + 17u);
  return TRUE;
}

static void
worker_clear_adapter (Worker *w)
{
  g_clear_pointer (&w->trainer, tg_trainer_free);
  g_clear_pointer (&w->z1_test0, g_free);
  g_clear_pointer (&w->z1_test_rot, g_free);
  g_clear_pointer (&w->z1_train, g_free);
}

/* Specialises a copy of the foundation in w->model to target (train set) with method. */
static gboolean
worker_adapt (Worker *w, TgMethod method, const TgDataset *train, guint32 epochs,
              GError **error)
{
  const StudioConfig *cfg = w->cfg;
  TgModel *m = w->model;

  tg_model_reset_adapter (m, &w->rng);
  m->method = method;
  w->phase = STUDIO_PHASE_ADAPTATION;
  w->high_act_set = train;

  TgSource src = { .data = train };
  if (method != TG_METHOD_FULL)
    {
      w->z1_train = tg_dataset_first_layer (m, train, 1024);
      w->z1_test0 = tg_dataset_first_layer (m, w->mode->test0, 1024);
      w->z1_test_rot = tg_dataset_first_layer (m, w->mode->test_rot, 1024);
      src.z1pre = w->z1_train;
      src.z1_dim = m->dims[1];
    }

  TgTrainConfig tcfg;
  tg_train_config_init (&tcfg);
  tcfg.lr = w->lr;
  tcfg.lambda = w->lambda;
  tcfg.sharpness = w->sharpness;
  tcfg.batch = cfg->batch;
  w->trainer = tg_trainer_new (m, &tcfg);
  return worker_epochs (w, &src, epochs, error);
}

static gboolean
job_train (Worker *w, StudioSnapshot *last, GError **error)
{
  const StudioConfig *cfg = w->cfg;

  if (!worker_load (w, error))
    return FALSE;
  w->total_steps = steps_for (w->mode->train0->n, cfg->batch, cfg->foundation_epochs) +
                   steps_for (w->mode->train_rot->n, cfg->batch, cfg->adapt_epochs);
  w->t_start = g_get_monotonic_time ();
  if (!worker_foundation (w, error))
    return FALSE;
  if (!worker_adapt (w, w->run_method, w->mode->train_rot, cfg->adapt_epochs, error))
    return FALSE;

  TgWorkspace *ws = tg_trainer_get_workspace (w->trainer);
  TgEval e0, e45;
  TgForwardOpts opts = { w->hard ? TG_GATES_HARD : TG_GATES_SOFT, w->sharpness };
  tg_evaluate (w->model, ws, &opts, w->mode->test0, w->z1_test0, 0, &e0);
  tg_evaluate (w->model, ws, &opts, w->mode->test_rot, w->z1_test_rot, 0, &e45);
  last->final_acc0 = e0.acc;
  last->final_acc45 = e45.acc;
  if (tg_method_info (w->run_method)->gated)
    last->final_high_act = tg_high_act_frac (w->model, ws, w->sharpness, w->mode->train_rot,
                                             w->z1_train, MIN (HIGH_ACT_SAMPLES, w->mode->train_rot->n), 0.9f);
  worker_masks (w, last);
  return TRUE;
}

static gboolean
job_overlap (Worker *w, StudioSnapshot *last, GError **error)
{
  const StudioConfig *cfg = w->cfg;
  g_autoptr (TgModel) foundation = NULL;

  if (!worker_load (w, error))
    return FALSE;
  w->run_method = TG_METHOD_TAUGATE;
  w->total_steps = steps_for (w->mode->train0->n, cfg->batch, cfg->foundation_epochs) +
                   2 * steps_for (w->mode->train0->n, cfg->batch, cfg->adapt_epochs);
  w->t_start = g_get_monotonic_time ();
  worker_progress (w, 0.05, "Foundation");
  if (!worker_foundation (w, error))
    return FALSE;
  foundation = g_steal_pointer (&w->model);

  guint32 n_layers = tg_model_n_hidden (foundation);
  guint32 units = foundation->dims[1];
  last->overlap_layers = n_layers;
  last->overlap_units = units;
  last->overlap_gate0 = g_new0 (float, (gsize) n_layers * units);
  last->overlap_gate45 = g_new0 (float, (gsize) n_layers * units);

  for (int target = 0; target < 2; target++)
    {
      const TgDataset *train = target == 0 ? w->mode->train0 : w->mode->train_rot;
      const TgDataset *test = target == 0 ? w->mode->test0 : w->mode->test_rot;
      g_autofree char *text = g_strdup_printf ("TauGate specialised to %g°",
                                               target == 0 ? 0.0 : cfg->angle);
      worker_progress (w, 0.35 + 0.3 * target, text);

      w->model = tg_model_copy (foundation);
      gboolean ok = worker_adapt (w, TG_METHOD_TAUGATE, train, cfg->adapt_epochs, error);
      if (ok)
        {
          g_autofree float *gates = g_new (float, tg_model_hidden_units (w->model));
          TgForwardOpts soft = { TG_GATES_SOFT, w->sharpness };
          tg_mean_gates (w->model, tg_trainer_get_workspace (w->trainer), &soft, test,
                         z1_for (w, test), 0, gates);
          memcpy (target == 0 ? last->overlap_gate0 : last->overlap_gate45, gates,
                  (gsize) n_layers * units * sizeof (float));
        }
      worker_clear_adapter (w);
      g_clear_pointer (&w->model, tg_model_free);
      if (!ok)
        return FALSE;
    }
  last->progress = 1.0;
  return TRUE;
}

static void
experiment_progress (const TgProgress *p, gpointer user_data)
{
  Worker *w = user_data;
  gint64 now = g_get_monotonic_time ();
  double fraction = p->total > 0 ? (double) p->done / p->total : 0.0;
  g_autofree char *text = g_strdup_printf ("%s · seed %u/%u · %s", p->phase,
                                           p->seed_index + 1, p->seeds,
                                           tg_method_info (p->method)->label);
  /* the protocol runs inside the engine: its progress reports are where it can pause */
  worker_wait_if_paused (w, fraction, text);
  if (now - w->last_publish < 100 * 1000 && p->done < p->total)
    return;
  worker_progress (w, fraction, text);
}

static gboolean
job_experiment (Worker *w, StudioSnapshot *last, GError **error)
{
  const StudioConfig *cfg = w->cfg;
  TgExperimentConfig ecfg;

  if (!worker_load (w, error))
    return FALSE;
  tg_experiment_config_init_paper (&ecfg);
  ecfg.seeds = MAX (cfg->seeds, 1);
  ecfg.seed0 = cfg->seed;
  ecfg.angle = cfg->angle;
  ecfg.foundation_epochs = cfg->foundation_epochs;
  ecfg.adapt_epochs = cfg->adapt_epochs;
  ecfg.lr = w->lr;
  ecfg.sharpness = w->sharpness;
  ecfg.lambda = w->lambda;
  ecfg.batch = cfg->batch;
  ecfg.on_threshold = cfg->on_threshold;
  ecfg.train_limit = 0; /* the mode data is already cut */
  ecfg.test_limit = 0;
  if (!tg_experiment_config_validate (&ecfg, error))
    return FALSE;

  worker_progress (w, 0.0, "Paper comparison");
  last->experiment = tg_experiment_run (&ecfg, w->mode, NULL, NULL, experiment_progress, w,
                                        w->cancellable, error);
  last->progress = 1.0;
  return last->experiment != NULL;
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
  g_autoptr (GError) error = NULL;
  StudioSnapshot *last = studio_snapshot_new ();
  gboolean ok = FALSE;

  switch (w->job)
    {
    case STUDIO_JOB_TRAIN:      ok = job_train (w, last, &error); break;
    case STUDIO_JOB_OVERLAP:    ok = job_overlap (w, last, &error); break;
    case STUDIO_JOB_EXPERIMENT: ok = job_experiment (w, last, &error); break;
    default: g_assert_not_reached ();
    }

  /* the final snapshot: the worker's state plus what the job produced */
  StudioSnapshot *fin = worker_snapshot (w, TRUE);
  fin->finished = TRUE;
  fin->phase = ok ? STUDIO_PHASE_DONE : w->phase;
  fin->final_acc0 = last->final_acc0;
  fin->final_acc45 = last->final_acc45;
  fin->final_high_act = last->final_high_act;
  if (last->has_masks)
    steal_masks (fin, last);
  fin->experiment = g_steal_pointer (&last->experiment);
  fin->overlap_layers = last->overlap_layers;
  fin->overlap_units = last->overlap_units;
  fin->overlap_gate0 = g_steal_pointer (&last->overlap_gate0);
  fin->overlap_gate45 = g_steal_pointer (&last->overlap_gate45);
  fin->progress = ok ? 1.0 : last->progress;
  if (!ok && error != NULL)
    fin->error = g_steal_pointer (&error);
  studio_snapshot_unref (last);

  worker_clear_adapter (w);
  g_clear_pointer (&w->model, tg_model_free);
  g_clear_pointer (&w->points, g_array_unref);
  g_clear_pointer (&w->events, g_array_unref);
  g_object_unref (w->cancellable);

  publish (w->self, fin);
  g_free (w);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* main-thread API                                                                       */

gboolean
studio_trainer_start (StudioTrainer *self, StudioJob job, const StudioConfig *cfg,
                      guint *run_id, GError **error)
{
  g_return_val_if_fail (STUDIO_IS_TRAINER (self), FALSE);

  if (self->thread != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "A run is already under way");
      return FALSE;
    }
  if (cfg->batch == 0 || cfg->sharpness <= 0 || !(cfg->lr > 0))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "Invalid settings (batch, s or lr)");
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
  g_mutex_unlock (&self->mutex);

  Worker *w = g_new0 (Worker, 1);
  w->self = self;
  w->cfg = &self->cfg;
  w->cancellable = g_object_ref (self->cancellable);
  w->run_id = self->run_id;
  w->job = job;
  w->run_method = cfg->method;
  w->rng = tg_rng_seed (cfg->seed);
  w->sharpness = cfg->sharpness;
  w->lambda = cfg->lambda;
  w->lr = cfg->lr;
  w->hard = cfg->hard_gates;
  w->points = g_array_new (FALSE, FALSE, sizeof (StudioPoint));
  w->events = g_array_new (FALSE, FALSE, sizeof (StudioEvent));
  w->phase = STUDIO_PHASE_LOADING;

  self->thread = g_thread_try_new ("taugate-worker", worker_main, w, error);
  if (self->thread == NULL)
    {
      g_object_unref (w->cancellable);
      g_array_unref (w->points);
      g_array_unref (w->events);
      g_free (w);
      return FALSE;
    }
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
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
studio_trainer_stop (StudioTrainer *self)
{
  StudioSnapshot *snap;

  g_return_if_fail (STUDIO_IS_TRAINER (self));
  if (self->thread == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_mutex_lock (&self->mutex);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  join_worker (self);

  g_mutex_lock (&self->mutex);
  snap = g_steal_pointer (&self->pending);
  if (self->idle_id != 0)
    {
      g_source_remove (self->idle_id);
      self->idle_id = 0;
    }
  g_mutex_unlock (&self->mutex);

  if (snap != NULL)
    {
      deliver (self, snap);
      studio_snapshot_unref (snap);
    }
  set_state (self, STUDIO_TRAINER_IDLE);
}

void
studio_trainer_forget (StudioTrainer *self)
{
  studio_trainer_stop (self);
  g_clear_pointer (&self->foundation, tg_model_free);
  g_clear_pointer (&self->foundation_key, g_free);
}

#define SETTER(name, field, type)                                        \
  void studio_trainer_set_##name (StudioTrainer *self, type value)       \
  {                                                                      \
    g_return_if_fail (STUDIO_IS_TRAINER (self));                         \
    g_mutex_lock (&self->mutex);                                         \
    self->field = value;                                                 \
    g_mutex_unlock (&self->mutex);                                       \
  }
SETTER (sharpness, sharpness, float)
SETTER (lambda, lambda, float)
SETTER (lr, lr, float)
SETTER (hard_gates, hard_gates, gboolean)
#undef SETTER

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

StudioJob
studio_trainer_get_job (StudioTrainer *self)
{
  return self->job;
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
  studio_config_init_paper (&self->cfg);
}
