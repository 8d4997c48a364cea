/* studio-worker-sweep.c — conditional computation in the worker: the lambda sweep as a job
 * (tg_sweep_run from one foundation per seed, at the run's s, with progress and pause like
 * the paper comparison), and the batch-1 speedup of the sparse forward over the dense one
 * for the model a train job has just finished.
 *
 * What this file is not: the sweep itself (tg-sweep.c) or its figure (tg-plot-sparsity.c). */
#include "studio-worker-private.h"

#include <glib/gi18n.h>

#include <math.h>
#include "tg-sparse-measure.h"

/* target test images timed per setting, and for the finished model */
#define STUDIO_SWEEP_TIMING_IMAGES 500

static void
sweep_progress (guint done, guint total, const char *what, gpointer data)
{
  StudioWorker *w = data;
  double fraction = total > 0 ? (double) done / total : 0.0;
  g_autofree char *text = g_strdup_printf (_("Sweep %u/%u · %s"), done, total, what);
  /* the sweep runs inside the engine: its progress reports are where it can pause */
  studio_worker_wait_if_paused (w, fraction, text);
  studio_worker_progress (w, fraction, text);
}

gboolean
studio_worker_job_sweep (StudioWorker *w, StudioSnapshot *last, GError **error)
{
  const StudioConfig *cfg = w->cfg;
  TgSweepConfig sc = { 0 };
  double sharpness = cfg->sharpness;

  if (!studio_worker_load (w, error))
    return FALSE;
  if (cfg->n_sweep_lambdas == 0 || cfg->n_sweep_lambdas > G_N_ELEMENTS (cfg->sweep_lambdas))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the sweep needs 1 to %u values of lambda, not %u",
                   (guint) G_N_ELEMENTS (cfg->sweep_lambdas), cfg->n_sweep_lambdas);
      return FALSE;
    }
  sc.protocol = w->ecfg;
  if (!tg_experiment_config_validate (&sc.protocol, error))
    return FALSE;
  sc.n_lambdas = cfg->n_sweep_lambdas;
  sc.lambdas = cfg->sweep_lambdas;
  sc.n_sharpness = 1;
  sc.sharpness = &sharpness;
  sc.timing_images = MIN (STUDIO_SWEEP_TIMING_IMAGES, w->mode->test_rot->n);
  w->run_method = TG_METHOD_TAUGATE;

  studio_worker_progress (w, 0.0, "Sweep");
  last->sweep = tg_sweep_run (&sc, w->mode, sweep_progress, w, w->cancellable, error);
  last->progress = 1.0;
  return last->sweep != NULL;
}

void
studio_worker_measure_sparse (StudioWorker *w, StudioSnapshot *last)
{
  TgSparseMeasure m;

  if (w->model == NULL || w->mode == NULL || w->mode->test_rot->n == 0)
    return;
  studio_worker_progress (w, 1.0, _("Timing the sparse forward"));
  tg_sparse_measure (w->model, w->mode->test_rot,
                     MIN (STUDIO_SWEEP_TIMING_IMAGES, w->mode->test_rot->n), TRUE, &m);
  last->sparse_madds = m.madds_sparse;
  last->dense_madds = m.madds_dense;
  last->sparse_speedup = m.sparse_p50_us > 0 ? m.dense_p50_us / m.sparse_p50_us : NAN;
}
