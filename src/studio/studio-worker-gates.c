/* SPDX-License-Identifier: MIT */
/* studio-worker-gates.c — the gate dynamics the worker measures beside its mask statistics:
 * per hidden layer, the mean soft gate, the number of units on (z > τ) per image, and the
 * Jaccard of the units on at 0° and at the target angle; with the high-act fraction. These
 * are the quantities λ and s act on, so a change of either shows in their curves.
 * Worker thread only. */
#include "studio-worker-private.h"

#include <math.h>

/* Mean of v[0..n). */
static float
layer_mean (const float *v, guint32 n)
{
  double sum = 0;
  for (guint32 j = 0; j < n; j++)
    sum += v[j];
  return n > 0 ? (float) (sum / n) : NAN;
}

static float
layer_sum (const float *v, guint32 n)
{
  double sum = 0;
  for (guint32 j = 0; j < n; j++)
    sum += v[j];
  return (float) sum;
}

void
studio_worker_gate_point (StudioWorker *w, StudioSnapshot *snap)
{
  TgModel *m = w->model;
  StudioGatePoint gp = { (double) w->step, tg_model_n_hidden (m), { 0 }, { 0 }, { 0 }, { 0 },
                         { 0 }, snap->high_act, w->phase };

  if (!tg_method_info (m->method)->gated || snap->gates0 == NULL)
    {
      /* no gates to speak of: the curves leave the stretch out */
      for (guint32 l = 0; l < gp.n_layers; l++)
        gp.mean_gate0[l] = gp.mean_gate_rot[l] = gp.units_on0[l] = gp.units_on_rot[l] =
          gp.jaccard[l] = NAN;
      gp.high_act = NAN;
      g_array_append_val (snap->gate_points, gp);
      return;
    }

  TgWorkspace *ws = tg_trainer_get_workspace (w->trainer);
  const TgModeData *d = w->mode;
  guint32 units = tg_model_hidden_units (m);
  guint32 n = MIN (w->cfg->eval_samples, MIN (d->test0->n, d->test_rot->n));
  TgForwardOpts hard = { TG_GATES_HARD, w->sharpness };
  g_autofree float *on0 = g_new0 (float, units);
  g_autofree float *on_rot = g_new0 (float, units);

  tg_mean_gates (m, ws, &hard, d->test0, studio_worker_z1_for (w, d->test0), n, on0);
  tg_mean_gates (m, ws, &hard, d->test_rot, studio_worker_z1_for (w, d->test_rot), n, on_rot);

  guint32 off = 0;
  for (guint32 l = 0; l < gp.n_layers; l++)
    {
      guint32 width = m->dims[l + 1];
      gp.mean_gate0[l] = layer_mean (snap->gates0 + off, width);
      gp.mean_gate_rot[l] = layer_mean (snap->gates_rot + off, width);
      gp.units_on0[l] = layer_sum (on0 + off, width);
      gp.units_on_rot[l] = layer_sum (on_rot + off, width);
      gp.jaccard[l] = (float) tg_jaccard (snap->gates0 + off, snap->gates_rot + off, width,
                                          w->cfg->on_threshold);
      off += width;
    }
  g_array_append_val (snap->gate_points, gp);
}
