/* SPDX-License-Identifier: MIT */
/* studio-worker-jobs.c — the worker's jobs (train one method; the overlap models; the paper
 * comparison through the protocol itself) and the thread that runs one of them, then hands
 * the main loop its last snapshot.
 *
 * What this file is not: the steps the jobs share (studio-worker.c). */
#include "studio-worker-private.h"

#include <glib/gi18n.h>

#include <string.h>
#include <gio/gio.h>

static gboolean
job_train (StudioWorker *w, StudioSnapshot *last, GError **error)
{
  const StudioConfig *cfg = w->cfg;

  if (!studio_worker_load (w, error))
    return FALSE;
  w->total_steps = studio_worker_steps_for (w->mode->train0->n, cfg->batch, cfg->foundation_epochs) +
                   studio_worker_steps_for (w->mode->train_rot->n, cfg->batch, cfg->adapt_epochs);
  w->t_start = g_get_monotonic_time ();
  if (!studio_worker_foundation (w, error))
    return FALSE;
  if (!studio_worker_adapt (w, w->run_method, w->mode->train_rot, cfg->adapt_epochs, error))
    return FALSE;

  TgWorkspace *ws = tg_trainer_get_workspace (w->trainer);
  TgEval e0, e_rot;
  TgForwardOpts opts = { w->hard ? TG_GATES_HARD : TG_GATES_SOFT, w->sharpness };
  tg_evaluate (w->model, ws, &opts, w->mode->test0, w->z1_test0, 0, &e0);
  tg_evaluate (w->model, ws, &opts, w->mode->test_rot, w->z1_test_rot, 0, &e_rot);
  last->final_acc0 = e0.acc;
  last->final_acc_rot = e_rot.acc;
  if (tg_method_info (w->run_method)->gated)
    last->final_high_act = tg_high_act_frac (w->model, ws, w->sharpness, w->mode->train_rot, w->z1_train,
                                             MIN (STUDIO_WORKER_HIGH_ACT_SAMPLES, w->mode->train_rot->n), 0.9f);
  studio_worker_masks (w, last);
  last->adapted = tg_model_copy (w->model);
  studio_worker_measure_sparse (w, last);
  return TRUE;
}

static gboolean
job_overlap (StudioWorker *w, StudioSnapshot *last, GError **error)
{
  const StudioConfig *cfg = w->cfg;
  g_autoptr (TgModel) foundation = NULL;

  if (!studio_worker_load (w, error))
    return FALSE;
  w->run_method = TG_METHOD_TAUGATE;
  w->total_steps = studio_worker_steps_for (w->mode->train0->n, cfg->batch, cfg->foundation_epochs) +
                   2 * studio_worker_steps_for (w->mode->train0->n, cfg->batch, cfg->adapt_epochs);
  w->t_start = g_get_monotonic_time ();
  studio_worker_progress (w, 0.05, "Foundation");
  if (!studio_worker_foundation (w, error))
    return FALSE;
  foundation = g_steal_pointer (&w->model);

  guint32 n_layers = tg_model_n_hidden (foundation);
  guint32 units = foundation->dims[1];
  last->overlap_layers = n_layers;
  last->overlap_units = units;
  last->overlap_gate0 = g_new0 (float, (gsize) n_layers * units);
  last->overlap_gate_rot = g_new0 (float, (gsize) n_layers * units);

  for (int target = 0; target < 2; target++)
    {
      const TgDataset *train = target == 0 ? w->mode->train0 : w->mode->train_rot;
      const TgDataset *test = target == 0 ? w->mode->test0 : w->mode->test_rot;
      g_autofree char *text = g_strdup_printf ("TauGate specialised to %g°",
                                               target == 0 ? 0.0 : cfg->angle);
      studio_worker_progress (w, 0.35 + 0.3 * target, text);

      w->model = tg_model_copy (foundation);
      gboolean ok = studio_worker_adapt (w, TG_METHOD_TAUGATE, train, cfg->adapt_epochs, error);
      if (ok)
        {
          g_autofree float *gates = g_new (float, tg_model_hidden_units (w->model));
          TgForwardOpts soft = { TG_GATES_SOFT, w->sharpness };
          tg_mean_gates (w->model, tg_trainer_get_workspace (w->trainer), &soft, test,
                         studio_worker_z1_for (w, test), 0, gates);
          memcpy (target == 0 ? last->overlap_gate0 : last->overlap_gate_rot, gates,
                  (gsize) n_layers * units * sizeof (float));
          last->overlap_models[target] = tg_model_copy (w->model);
        }
      studio_worker_clear_adapter (w);
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
  StudioWorker *w = user_data;
  gint64 now = g_get_monotonic_time ();
  double fraction = p->total > 0 ? (double) p->done / p->total : 0.0;
  g_autofree char *text = g_strdup_printf ("%s · seed %u/%u · %s", p->phase,
                                           p->seed_index + 1, p->seeds,
                                           tg_method_info (p->method)->label);
  /* the protocol runs inside the engine: its progress reports are where it can pause */
  studio_worker_wait_if_paused (w, fraction, text);
  if (now - w->last_publish < 100 * 1000 && p->done < p->total)
    return;
  studio_worker_progress (w, fraction, text);
}

static gboolean
job_experiment (StudioWorker *w, StudioSnapshot *last, GError **error)
{
  TgExperimentConfig ecfg;

  if (!studio_worker_load (w, error))
    return FALSE;
  ecfg = w->ecfg; /* after the load, which names the data set */
  if (!tg_experiment_config_validate (&ecfg, error))
    return FALSE;

  studio_worker_progress (w, 0.0, _("Paper comparison"));
  last->experiment = tg_experiment_run (&ecfg, w->mode, NULL, NULL, experiment_progress, w,
                                        w->cancellable, error);
  last->progress = 1.0;
  return last->experiment != NULL;
}

static gpointer
worker_main (gpointer data)
{
  StudioWorker *w = data;
  g_autoptr (GError) error = NULL;
  StudioSnapshot *last = studio_snapshot_new ();
  gboolean ok = FALSE;

  /* OpenBLAS's own threads are not fork-safe: a fork elsewhere in the process (a file
   * chooser spawning a helper) can leave its pool spinning for good. One thread, as in the
   * protocol's tasks; the process does no other BLAS work. */
  tg_set_threads (1);

  switch (w->job)
    {
    case STUDIO_JOB_TRAIN:      ok = job_train (w, last, &error); break;
    case STUDIO_JOB_OVERLAP:    ok = job_overlap (w, last, &error); break;
    case STUDIO_JOB_EXPERIMENT: ok = job_experiment (w, last, &error); break;
    case STUDIO_JOB_SWEEP:      ok = studio_worker_job_sweep (w, last, &error); break;
    default: g_assert_not_reached ();
    }

  /* the final snapshot: the worker's state plus what the job produced */
  StudioSnapshot *fin = studio_worker_snapshot (w, TRUE);
  fin->finished = TRUE;
  fin->phase = ok ? STUDIO_PHASE_DONE : w->phase;
  fin->final_acc0 = last->final_acc0;
  fin->final_acc_rot = last->final_acc_rot;
  fin->final_high_act = last->final_high_act;
  if (last->has_masks)
    studio_snapshot_take_masks (fin, last);
  fin->experiment = g_steal_pointer (&last->experiment);
  fin->adapted = g_steal_pointer (&last->adapted);
  fin->sweep = g_steal_pointer (&last->sweep);
  fin->sparse_speedup = last->sparse_speedup;
  fin->sparse_madds = last->sparse_madds;
  fin->dense_madds = last->dense_madds;
  fin->overlap_layers = last->overlap_layers;
  fin->overlap_units = last->overlap_units;
  fin->overlap_gate0 = g_steal_pointer (&last->overlap_gate0);
  fin->overlap_gate_rot = g_steal_pointer (&last->overlap_gate_rot);
  fin->overlap_models[0] = g_steal_pointer (&last->overlap_models[0]);
  fin->overlap_models[1] = g_steal_pointer (&last->overlap_models[1]);
  fin->progress = ok ? 1.0 : last->progress;
  if (!ok && error != NULL)
    fin->error = g_steal_pointer (&error);
  studio_snapshot_unref (last);

  studio_worker_clear_adapter (w);
  g_clear_pointer (&w->model, tg_model_free);
  g_clear_pointer (&w->points, g_array_unref);
  g_clear_pointer (&w->events, g_array_unref);
  g_object_unref (w->cancellable);

  StudioTrainer *self = w->self;
  guint run_id = w->run_id;
  g_free (w->settings);
  g_free (w);
  studio_trainer_publish (self, fin);
  studio_trainer_worker_done (self, run_id);
  return NULL;
}

/* The experiment's settings for this run: the model's sizes and the protocol's defaults,
 * with what the studio lets the user choose. */
static void
worker_experiment_config (const StudioConfig *cfg, TgExperimentConfig *ecfg)
{
  tg_experiment_config_init_paper (ecfg);
  ecfg->seeds = MAX (cfg->seeds, 1);
  ecfg->seed0 = cfg->seed;
  ecfg->angle = cfg->angle;
  ecfg->foundation_epochs = cfg->foundation_epochs;
  ecfg->adapt_epochs = cfg->adapt_epochs;
  ecfg->lr = cfg->lr;
  ecfg->sharpness = cfg->sharpness;
  ecfg->lambda = cfg->lambda;
  ecfg->batch = cfg->batch;
  ecfg->on_threshold = cfg->on_threshold;
  ecfg->anneal_sharpness = cfg->anneal_sharpness;
  ecfg->n_foundation_angles = MIN (cfg->n_foundation_angles, (guint32) TG_MAX_MIX_MODES);
  memcpy (ecfg->foundation_angles, cfg->foundation_angles,
          ecfg->n_foundation_angles * sizeof (double));
  ecfg->train_limit = 0; /* the mode data is already cut */
  ecfg->test_limit = 0;
}

GThread *
studio_worker_spawn (StudioTrainer *self, GError **error)
{
  const StudioConfig *cfg = &self->cfg;
  StudioWorker *w = g_new0 (StudioWorker, 1);

  w->self = self;
  w->cfg = cfg;
  w->cancellable = g_object_ref (self->cancellable);
  w->run_id = self->run_id;
  w->job = self->job;
  w->run_method = cfg->method;
  w->rng = tg_rng_seed (cfg->seed);
  w->sharpness = cfg->sharpness;
  w->lambda = cfg->lambda;
  w->lr = cfg->lr;
  w->hard = cfg->hard_gates;
  w->points = g_array_new (FALSE, FALSE, sizeof (StudioPoint));
  w->events = g_array_new (FALSE, FALSE, sizeof (StudioEvent));
  w->phase = STUDIO_PHASE_LOADING;
  worker_experiment_config (cfg, &w->ecfg);
  w->settings = studio_config_describe_settings (cfg);

  GThread *thread = g_thread_try_new ("taugate-worker", worker_main, w, error);
  if (thread == NULL)
    {
      g_object_unref (w->cancellable);
      g_array_unref (w->points);
      g_array_unref (w->events);
      g_free (w->settings);
      g_free (w);
    }
  return thread;
}

