/* studio-mode-measure.c — one mode measured in a GTask thread (see studio-mode-measure.h).
 * The measurements are the engine's, as the worker's studio_worker_masks and worker_eval
 * take them (tg_evaluate, tg_firing_by_class, tg_mean_gates, tg_high_act_frac), on the
 * first eval_samples images of the test set at 0° and rotated by the angle. */
#include "studio-mode-measure.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "studio-task-hold.h"
#include "tg-data.h"
#include "tg-metrics.h"

#define HIGH_ACT_SAMPLES 256

typedef struct {
  TgModel      *model;
  float         sharpness;
  char         *mode_name;
  StudioConfig  cfg;
  StudioTaskHold *hold;   /* the application, until the thread is done */
} MeasureData;

static void
measure_data_free (gpointer p)
{
  MeasureData *d = p;
  studio_task_hold_release (d->hold);
  tg_model_free (d->model);
  g_free (d->mode_name);
  studio_config_clear (&d->cfg);
  g_free (d);
}

static void
copy_params (StudioSnapshot *snap, const TgModel *m)
{
  guint32 off = 0;

  snap->n_hidden = tg_model_n_hidden (m);
  snap->hidden_units = tg_model_hidden_units (m);
  snap->tau = g_new (float, snap->hidden_units);
  snap->gamma = g_new (float, snap->hidden_units);
  for (guint32 l = 0; l < snap->n_hidden; l++)
    {
      snap->widths[l] = m->dims[l + 1];
      memcpy (snap->tau + off, m->params + m->tau[l], m->dims[l + 1] * sizeof (float));
      memcpy (snap->gamma + off, m->params + m->gamma[l], m->dims[l + 1] * sizeof (float));
      off += m->dims[l + 1];
    }
}

static void
measure (StudioSnapshot *snap, const TgModel *m, float s, const TgDataset *test0,
         const TgDataset *test_rot, guint32 n)
{
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 256);
  TgForwardOpts soft = { TG_GATES_SOFT, s };
  TgEval e0, e_rot;

  studio_snapshot_measure_masks (snap, m, ws, s, test0, NULL, test_rot, NULL, n);
  snap->high_act = tg_method_info (m->method)->gated
                   ? tg_high_act_frac (m, ws, s, test_rot, NULL, MIN (HIGH_ACT_SAMPLES, n), 0.9f)
                   : NAN;
  tg_evaluate (m, ws, &soft, test0, NULL, n, &e0);
  tg_evaluate (m, ws, &soft, test_rot, NULL, n, &e_rot);
  snap->final_acc0 = e0.acc;
  snap->final_acc_rot = e_rot.acc;
  snap->final_high_act = snap->high_act;
}

static void
measure_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MeasureData *d = task_data;
  GError *error = NULL;
  g_autofree char *dir = d->cfg.data_dir != NULL ? g_strdup (d->cfg.data_dir)
                                                 : studio_default_data_dir ();
  g_autoptr (TgDataset) all = tg_dataset_load_dir (dir, "t10k", 10, &error);

  if (all == NULL)
    {
      g_prefix_error (&error, _("Cannot measure the mode: no test set in %s: "), dir);
      g_task_return_error (task, error);
      return;
    }
  if (all->rows * all->cols != d->model->dims[0])
    {
      g_task_return_new_error (task, TG_ERROR, TG_ERROR_MISMATCH,
                               _("The model takes %u inputs, the images in %s have %u pixels"),
                               d->model->dims[0], dir, all->rows * all->cols);
      return;
    }
  guint32 n = d->cfg.test_limit > 0 ? MIN (d->cfg.test_limit, all->n) : all->n;
  n = MIN (n, MAX (d->cfg.eval_samples, 1));
  g_autoptr (TgDataset) test0 = tg_dataset_head (all, n);
  g_autoptr (TgDataset) test_rot = tg_dataset_rotated (test0, d->cfg.angle);
  if (g_task_return_error_if_cancelled (task))
    return;

  StudioSnapshot *snap = studio_snapshot_new ();
  snap->job = STUDIO_JOB_TRAIN;
  snap->phase = STUDIO_PHASE_DONE;
  snap->finished = TRUE;
  snap->method = snap->run_method = d->model->method;
  snap->angle = d->cfg.angle;
  snap->sharpness = d->sharpness;
  snap->eval_samples = n;
  snap->mode_name = g_strdup (d->mode_name);
  snap->data_dir = g_strdup (dir);
  copy_params (snap, d->model);
  measure (snap, d->model, d->sharpness, test0, test_rot, n);
  /* the inspector and the digit pad run the active mode's model */
  snap->model = tg_model_copy (d->model);
  g_task_return_pointer (task, snap, (GDestroyNotify) studio_snapshot_unref);
}

void
studio_mode_measure_async (const TgModel *model, float sharpness, const char *mode_name,
                           const StudioConfig *cfg, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, data);
  MeasureData *d = g_new0 (MeasureData, 1);

  d->model = tg_model_copy (model);
  d->hold = studio_task_hold_new ();
  d->sharpness = sharpness;
  d->mode_name = g_strdup (mode_name);
  studio_config_copy (&d->cfg, cfg);
  g_task_set_source_tag (task, studio_mode_measure_async);
  g_task_set_task_data (task, d, measure_data_free);
  g_task_run_in_thread (task, measure_thread);
}

StudioSnapshot *
studio_mode_measure_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
