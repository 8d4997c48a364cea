/* SPDX-License-Identifier: MIT */
/* studio-worker.c — the steps the training worker's jobs are made of: load the data, train
 * or reuse the foundation, specialise it, measure it, publish StudioSnapshots as it goes.
 *
 * What this file is not: the hand-over (studio-trainer.c), the jobs and their thread
 * (studio-worker-jobs.c), or a second epoch loop. Every
 * epoch runs through the engine's tg_trainer_run_epoch(); the per-batch callback is where
 * the controls are read, the model evaluated and snapshots published. The main thread
 * never touches a TgModel. */
#include "studio-worker-private.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include <gio/gio.h>

#define PUBLISH_INTERVAL_US (30 * 1000)

StudioSnapshot *
studio_worker_snapshot (StudioWorker *w, gboolean with_params)
{
  StudioSnapshot *snap = studio_snapshot_new ();

  snap->run_id = w->run_id;
  snap->job = w->job;
  snap->phase = w->phase;
  snap->method = w->phase == STUDIO_PHASE_FOUNDATION ? TG_METHOD_FULL : w->run_method;
  snap->run_method = w->run_method;
  snap->seed = w->cfg->seed;
  snap->settings = g_strdup (w->settings);
  snap->data_dir = g_strdup (w->self->raw_dir);
  snap->foundation_mix = studio_config_dup_foundation_mix (w->cfg);
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
worker_publish (StudioWorker *w, StudioSnapshot *snap)
{
  w->last_publish = g_get_monotonic_time ();
  studio_trainer_publish (w->self, snap);
}

void
studio_worker_progress (StudioWorker *w, double fraction, const char *text)
{
  StudioSnapshot *snap = studio_worker_snapshot (w, FALSE);
  snap->progress = fraction;
  snap->progress_text = g_strdup (text);
  worker_publish (w, snap);
}

/* Blocks while the user has paused (or until stopped); tells the main loop both ways.
 * progress / text: what a progress snapshot said before the pause, kept while paused. */
void
studio_worker_wait_if_paused (StudioWorker *w, double progress, const char *text)
{
  StudioTrainer *self = w->self;
  gboolean paused;

  g_mutex_lock (&self->mutex);
  paused = self->paused && self->step_requests == 0;
  if (self->paused && self->step_requests > 0)
    self->step_requests--;  /* a single step asked for: take it without stopping */
  g_mutex_unlock (&self->mutex);

  if (paused && !g_cancellable_is_cancelled (w->cancellable))
    {
      gint64 t0 = g_get_monotonic_time ();
      StudioSnapshot *snap = studio_worker_snapshot (w, TRUE);
      snap->paused = TRUE;
      snap->progress = progress;
      snap->progress_text = g_strdup (text);
      worker_publish (w, snap);

      gboolean stepping = FALSE;
      g_mutex_lock (&self->mutex);
      while (self->paused && self->step_requests == 0 &&
             !g_cancellable_is_cancelled (w->cancellable))
        g_cond_wait_until (&self->cond, &self->mutex,
                           g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND);
      if (self->paused && self->step_requests > 0)
        {
          self->step_requests--;
          stepping = TRUE;
        }
      g_mutex_unlock (&self->mutex);
      w->paused_us += g_get_monotonic_time () - t0;

      snap = studio_worker_snapshot (w, TRUE);
      snap->paused = stepping;  /* one step, then paused again */
      snap->progress = progress;
      snap->progress_text = g_strdup (text);
      worker_publish (w, snap);
    }
}

/* Sleeps until the step after the previous one is due under the trainer's rate limit
 * (woken early by a stop, a pause or a new limit). */
static void
worker_keep_rate (StudioWorker *w)
{
  StudioTrainer *self = w->self;

  g_mutex_lock (&self->mutex);
  double rate = self->max_rate;
  if (rate > 0 && w->last_step_us > 0)
    {
      gint64 due = w->last_step_us + (gint64) (G_USEC_PER_SEC / rate);
      while (self->max_rate == rate && !self->paused &&
             !g_cancellable_is_cancelled (w->cancellable) &&
             g_get_monotonic_time () < due)
        g_cond_wait_until (&self->cond, &self->mutex, due);
    }
  g_mutex_unlock (&self->mutex);
  w->last_step_us = g_get_monotonic_time ();
}

/* Reads the controls; applies and logs what changed. Blocks while paused. */
static void
worker_controls (StudioWorker *w)
{
  StudioTrainer *self = w->self;
  float s, lambda, lr;
  gboolean hard;

  studio_worker_wait_if_paused (w, 0.0, NULL);

  g_mutex_lock (&self->mutex);
  while (self->test_hang)
    {
      /* tests: a worker stuck where cancel cannot reach it (as in a BLAS call) */
      self->test_hung = TRUE;
      g_cond_broadcast (&self->cond);
      g_cond_wait (&self->cond, &self->mutex);
    }
  self->test_hung = FALSE;
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

const float *
studio_worker_z1_for (StudioWorker *w, const TgDataset *ds)
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
worker_eval (StudioWorker *w, guint32 n, double *acc0, double *acc_rot)
{
  TgWorkspace *ws = tg_trainer_get_workspace (w->trainer);
  TgEval e0, e_rot;
  TgForwardOpts opts = { w->hard ? TG_GATES_HARD : TG_GATES_SOFT, w->sharpness };
  n = MIN (n, MIN (w->mode->test0->n, w->mode->test_rot->n));
  tg_evaluate (w->model, ws, &opts, w->mode->test0, studio_worker_z1_for (w, w->mode->test0), n, &e0);
  tg_evaluate (w->model, ws, &opts, w->mode->test_rot, studio_worker_z1_for (w, w->mode->test_rot), n, &e_rot);
  *acc0 = e0.acc;
  *acc_rot = e_rot.acc;
}

void
studio_worker_masks (StudioWorker *w, StudioSnapshot *snap)
{
  TgWorkspace *ws = tg_trainer_get_workspace (w->trainer);
  TgModel *m = w->model;
  const TgModeData *d = w->mode;
  guint32 n = MIN (w->cfg->eval_samples, d->test0->n);

  snap->mask_step = w->step;
  studio_snapshot_measure_masks (snap, m, ws, w->sharpness, d->test0,
                                 studio_worker_z1_for (w, d->test0), d->test_rot,
                                 studio_worker_z1_for (w, d->test_rot), n);
  if (tg_method_info (m->method)->gated && w->high_act_set != NULL)
    snap->high_act = tg_high_act_frac (m, ws, w->sharpness, w->high_act_set,
                                       w->phase == STUDIO_PHASE_ADAPTATION ? w->z1_train : NULL,
                                       MIN (STUDIO_WORKER_HIGH_ACT_SAMPLES, w->high_act_set->n), 0.9f);
  if (g_atomic_int_get (&w->self->want_model))
    snap->model = tg_model_copy (m);
  studio_worker_gate_point (w, snap);
}

/* A Frozen model trains nothing (the engine takes no step): the epoch's steps count as done
 * and the unchanged model is measured once, at the epoch's end. */
static void
worker_frozen_epoch (StudioWorker *w)
{
  StudioPoint pt = { NAN, NAN, NAN, NAN, NAN, NAN, w->phase };

  w->step += w->n_batches;
  w->batch_index = w->n_batches;
  pt.step = (double) w->step;
  worker_eval (w, w->cfg->eval_samples, &pt.acc0, &pt.acc_rot);
  worker_eval (w, 0, &pt.full0, &pt.full_rot);
  g_array_append_val (w->points, pt);
  StudioSnapshot *snap = studio_worker_snapshot (w, TRUE);
  studio_worker_masks (w, snap);
  worker_publish (w, snap);
}

/* After every step of an epoch (tg_trainer_run_epoch): counts it, evaluates and publishes
 * when due, then reads the controls for the next step. FALSE ends the epoch: only when the
 * run has taken cfg->max_steps (cancel is the engine's to check, before each step). */
static gboolean
worker_batch (guint32 n, const TgLossInfo *li, gpointer data)
{
  StudioWorker *w = data;
  const StudioConfig *cfg = w->cfg;

  w->step++;
  w->batch_index++;
  w->samples += n;
  w->last_loss = li->loss;

  double elapsed = (g_get_monotonic_time () - w->t_start - w->paused_us) / 1e6;
  if (elapsed > 0.05)
    w->rate = w->samples / elapsed;

  StudioPoint pt = { (double) w->step, li->loss, NAN, NAN, NAN, NAN, w->phase };
  gboolean last_batch = w->batch_index == w->n_batches;
  gboolean eval_now = cfg->eval_every > 0 && (w->step % cfg->eval_every == 0);
  gboolean masks_now = cfg->mask_every > 0 && (w->step % cfg->mask_every == 0 ||
                                               w->step == w->foundation_steps + 1);

  /* the subset keeps the curve continuous; the whole test set at each epoch's end
   * is a series of its own (mixing the two would zigzag) */
  if (eval_now || last_batch)
    worker_eval (w, cfg->eval_samples, &pt.acc0, &pt.acc_rot);
  if (last_batch)
    worker_eval (w, 0, &pt.full0, &pt.full_rot);
  g_array_append_val (w->points, pt);

  gboolean events = w->events->len > 0;
  if (masks_now || last_batch || events || eval_now ||
      g_get_monotonic_time () - w->last_publish >= PUBLISH_INTERVAL_US)
    {
      StudioSnapshot *snap = studio_worker_snapshot (w, TRUE);
      if (masks_now || last_batch)
        studio_worker_masks (w, snap);
      worker_publish (w, snap);
    }

  if (cfg->max_steps > 0 && w->step >= cfg->max_steps)
    {
      w->at_max_steps = TRUE;
      return FALSE;
    }
  worker_keep_rate (w);
  /* after an epoch's last batch the next epoch reads them before its first (a single step
   * taken here would be spent on no batch) */
  if (!last_batch)
    worker_controls (w);
  return TRUE;
}

/* Trains n_epochs over src through the engine's epoch loop, publishing as it goes. FALSE on
 * error or cancel; TRUE also when the run reached cfg->max_steps. */
static gboolean
worker_epochs (StudioWorker *w, const TgSource *src, guint32 n_epochs, GError **error)
{
  guint32 batch = w->cfg->batch;

  w->n_epochs = n_epochs;
  for (guint32 e = 0; e < n_epochs; e++)
    {
      w->epoch = e + 1;
      w->n_batches = (src->data->n + batch - 1) / batch;
      w->batch_index = 0;

      /* the controls of the epoch's first step (the callback reads them for the others) */
      worker_controls (w);
      if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
        return FALSE;
      if (w->at_max_steps || (w->cfg->max_steps > 0 && w->step >= w->cfg->max_steps))
        return TRUE;

      g_autoptr (GError) local = NULL;
      if (!tg_trainer_run_epoch (w->trainer, src, &w->rng, worker_batch, w, w->cancellable,
                                 NULL, &local))
        {
          if (w->at_max_steps)
            return TRUE;
          if (g_error_matches (local, TG_ERROR, TG_ERROR_DIVERGED))
            g_prefix_error (&local, "Step %" G_GUINT64_FORMAT " (%s, lr %g, s %g, λ %g): ",
                            w->step + 1, studio_phase_label (w->phase),
                            (double) w->lr, (double) w->sharpness, (double) w->lambda);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (w->model->method == TG_METHOD_FROZEN)
        worker_frozen_epoch (w);
    }
  return TRUE;
}

gboolean
studio_worker_load (StudioWorker *w, GError **error)
{
  StudioTrainer *self = w->self;
  const StudioConfig *cfg = w->cfg;
  g_autofree char *dir = cfg->data_dir != NULL ? g_strdup (cfg->data_dir)
                                               : studio_default_data_dir ();

  w->phase = STUDIO_PHASE_LOADING;
  if (self->raw_dir == NULL || strcmp (self->raw_dir, dir) != 0)
    {
      studio_worker_progress (w, 0.0, _("Loading data"));
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
          g_prefix_error (error, _("Cannot load the training set from %s%s: "), dir,
                          cfg->data_dir == NULL
                            ? _(" (choose a folder under Data set, or set TG_MNIST_DIR or --data)")
                            : "");
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
        return FALSE;
      g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, error);
      if (test == NULL)
        {
          g_prefix_error (error, _("Cannot load the test set from %s: "), dir);
          return FALSE;
        }
      self->raw_train = g_steal_pointer (&train);
      self->raw_test = g_steal_pointer (&test);
      self->raw_dir = g_strdup (dir);
      /* named on the full sets, before any limit: MNIST is recognised by its contents */
      TgExperimentConfig named;
      tg_experiment_config_init_paper (&named);
      tg_experiment_config_set_data (&named, NULL, dir, self->raw_train, self->raw_test);
      g_strlcpy (self->raw_data_name, named.data_name, sizeof self->raw_data_name);
      self->raw_is_mnist = named.data_is_mnist;
    }
  g_strlcpy (w->ecfg.data_name, self->raw_data_name, sizeof w->ecfg.data_name);
  w->ecfg.data_is_mnist = self->raw_is_mnist;

  g_autofree char *key = g_strdup_printf ("%s|%g|%u|%u", dir, cfg->angle,
                                          cfg->train_limit, cfg->test_limit);
  if (self->mode_key == NULL || strcmp (self->mode_key, key) != 0)
    {
      studio_worker_progress (w, 0.0, _("Rotating images"));
      g_clear_pointer (&self->mode, tg_mode_data_free);
      g_clear_pointer (&self->mode_key, g_free);
      self->mode = tg_mode_data_new (self->raw_train, self->raw_test, cfg->angle,
                                     cfg->train_limit, cfg->test_limit, error);
      if (self->mode == NULL)
        {
          g_prefix_error (error, _("Cannot use the data sets in %s: "), dir);
          return FALSE;
        }
      self->mode_key = g_steal_pointer (&key);
    }
  w->mode = self->mode;
  /* what the run would need against what the machine has: a clear error in the banner
   * rather than the kernel's out-of-memory killer (the protocol's estimate, as the CLI's) */
  if (!tg_experiment_config_check_memory (&w->ecfg, w->mode->train0->dim,
                                          w->mode->train0->n_classes, w->mode->train0->n,
                                          w->mode->test0->n, NULL, error))
    return FALSE;
  return !g_cancellable_set_error_if_cancelled (w->cancellable, error);
}

static char *
foundation_key (const StudioConfig *cfg, const TgExperimentConfig *ecfg, const char *mode_key)
{
  g_autofree char *mix = tg_experiment_config_foundation_angles_string (ecfg);
  return g_strdup_printf ("%s|seed %" G_GUINT64_FORMAT "|ep %u|lr %g|batch %u|mix %s", mode_key,
                          cfg->seed, cfg->foundation_epochs, (double) cfg->lr, cfg->batch, mix);
}

guint64
studio_worker_steps_for (guint32 n, guint32 batch, guint32 epochs)
{
  return (guint64) ((n + batch - 1) / batch) * epochs;
}

/* Leaves the foundation in w->model (a fresh model the caller owns). */
gboolean
studio_worker_foundation (StudioWorker *w, GError **error)
{
  StudioTrainer *self = w->self;
  const StudioConfig *cfg = w->cfg;
  g_autofree char *key = foundation_key (cfg, &w->ecfg, self->mode_key);

  w->foundation_steps = studio_worker_steps_for (w->mode->train0->n, cfg->batch, cfg->foundation_epochs);

  if (self->foundation != NULL && strcmp (self->foundation_key, key) == 0)
    {
      w->model = tg_model_copy (self->foundation);
      w->foundation_cached = TRUE;
      w->step = w->foundation_steps;
      return TRUE;
    }

  guint32 widths[TG_MAX_LINEAR];
  for (guint32 l = 0; l < w->ecfg.n_hidden; l++)
    widths[l] = w->ecfg.width;
  w->model = tg_model_new (w->mode->train0->dim, w->ecfg.n_hidden, widths,
                           w->mode->train0->n_classes, w->ecfg.lora_rank,
                           w->ecfg.lora_alpha, error);
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
  tcfg.anneal_sharpness = cfg->anneal_sharpness;

  /* the foundation's mix: the paper's 0° and the angle (the same draws as {data, alt}), or
   * the angles of the settings */
  double angles[TG_MAX_MIX_MODES];
  guint32 n_angles = tg_experiment_config_foundation_angles (&w->ecfg, angles);
  g_autoptr (TgMix) mix = tg_mix_new (w->mode, angles, n_angles, error);
  if (mix == NULL)
    return FALSE;
  w->trainer = tg_trainer_new (w->model, &tcfg);
  w->phase = STUDIO_PHASE_FOUNDATION;
  w->tainted = FALSE;

  TgSource src = { .data = w->mode->train0, .mix = mix->sets, .n_mix = mix->n };
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
  return TRUE;
}

void
studio_worker_clear_adapter (StudioWorker *w)
{
  g_clear_pointer (&w->trainer, tg_trainer_free);
  g_clear_pointer (&w->z1_test0, g_free);
  g_clear_pointer (&w->z1_test_rot, g_free);
  g_clear_pointer (&w->z1_train, g_free);
}

/* Specialises a copy of the foundation in w->model to target (train set) with method. */
gboolean
studio_worker_adapt (StudioWorker *w, TgMethod method, const TgDataset *train, guint32 epochs,
              GError **error)
{
  const StudioConfig *cfg = w->cfg;
  TgModel *m = w->model;

  /* the protocol's own stream for (seed, method), whether the foundation was trained here,
   * cached, or comes from tg_experiment_run(): equal settings give equal numbers */
  w->rng = tg_rng_seed (tg_experiment_adapt_seed (cfg->seed, method));
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
  tcfg.anneal_sharpness = cfg->anneal_sharpness;
  w->trainer = tg_trainer_new (m, &tcfg);
  return worker_epochs (w, &src, epochs, error);
}

