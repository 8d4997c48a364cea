/* studio-time-model.c — the model at the history's time (see studio-time-model.h). */
#include "studio-time-model.h"

#include <string.h>

/* Methods whose adaptation trains τ and γ only (or nothing): every other weight of the
 * model at any step of the phase is the frozen foundation's. */
static gboolean
trains_tau_gamma_only (TgMethod method)
{
  return method == TG_METHOD_TAUGATE || method == TG_METHOD_GAINONLY ||
         method == TG_METHOD_TAUONLY || method == TG_METHOD_FROZEN;
}

/* The params record whose τ / γ can be put into masks' model copy, or NULL. */
static StudioSnapshot *
usable_params (StudioHistory *history, StudioSnapshot *masks)
{
  StudioSnapshot *p = studio_history_get_params (history);
  /* p may be masks itself: a snapshot that waited for the main loop carries τ / γ of its
   * step and the masks (and model) of an earlier one */
  if (studio_history_get_time (history) < 0 || p == NULL || p->tau == NULL ||
      p->gamma == NULL || p->run_id != masks->run_id || p->mode_name != NULL)
    return NULL;
  /* the snapshot's method is FULL during the foundation phase: equal methods mean both
   * records are of the adaptation */
  if (!trains_tau_gamma_only (p->method) || p->method != masks->method ||
      p->hidden_units != tg_model_hidden_units (masks->model))
    return NULL;
  return p;
}

StudioTimeModel *
studio_time_model_new (StudioHistory *history)
{
  StudioSnapshot *masks = history != NULL ? studio_history_get_masks (history) : NULL;
  if (masks == NULL || masks->model == NULL)
    return NULL;
  StudioSnapshot *params = usable_params (history, masks);
  StudioTimeModel *tm = g_atomic_rc_box_new0 (StudioTimeModel);
  tm->masks = studio_snapshot_ref (masks);
  tm->model = tg_model_copy (masks->model);
  tm->time = studio_history_get_time (history);
  tm->step = masks->mask_step;
  tm->sharpness = masks->sharpness;
  tm->hard_gates = masks->hard_gates;
  tm->angle = masks->angle;
  if (params != NULL)
    {
      TgModel *m = tm->model;
      tm->params = studio_snapshot_ref (params);
      for (guint32 l = 0, off = 0; l < tg_model_n_hidden (m); off += m->dims[l + 1], l++)
        {
          memcpy (m->params + m->tau[l], params->tau + off, m->dims[l + 1] * sizeof (float));
          memcpy (m->params + m->gamma[l], params->gamma + off, m->dims[l + 1] * sizeof (float));
        }
      tm->step = params->step;
      tm->sharpness = params->sharpness;
      tm->hard_gates = params->hard_gates;
    }
  StudioSnapshot *shown = studio_history_get_params (history);
  tm->exact = tm->time < 0 || (shown != NULL && shown->step == tm->step);
  g_autofree char *method = studio_snapshot_dup_model_name (masks);
  tm->label = masks->mode_name != NULL ? g_strdup (method)
            : tm->exact
    ? g_strdup_printf ("%s, step %" G_GUINT64_FORMAT, method, tm->step)
    : g_strdup_printf ("%s, weights of step %" G_GUINT64_FORMAT " (step %" G_GUINT64_FORMAT
                       " not recorded)", method, tm->step, shown != NULL ? shown->step : 0);
  return tm;
}

static void
time_model_clear (gpointer data)
{
  StudioTimeModel *tm = data;
  g_clear_pointer (&tm->masks, studio_snapshot_unref);
  g_clear_pointer (&tm->params, studio_snapshot_unref);
  g_clear_pointer (&tm->model, tg_model_free);
  g_clear_pointer (&tm->label, g_free);
}

StudioTimeModel *
studio_time_model_ref (StudioTimeModel *tm)
{
  return g_atomic_rc_box_acquire (tm);
}

void
studio_time_model_unref (StudioTimeModel *tm)
{
  if (tm != NULL)
    g_atomic_rc_box_release_full (tm, time_model_clear);
}

gboolean
studio_time_model_is_current (const StudioTimeModel *tm, StudioHistory *history)
{
  StudioSnapshot *masks = history != NULL ? studio_history_get_masks (history) : NULL;
  if (tm == NULL || masks == NULL || masks->model == NULL)
    return tm == NULL && (masks == NULL || masks->model == NULL);
  return tm->masks == masks && tm->params == usable_params (history, masks) &&
         tm->time == studio_history_get_time (history);
}

void
studio_time_model_trajectory (StudioHistory *history, guint layer, guint index,
                              GArray **steps, GArray **tau, GArray **gamma)
{
  guint n = history != NULL ? studio_history_get_n_times (history) : 0;
  *steps = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  *tau = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  *gamma = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  for (guint i = 0; i < n; i++)
    {
      StudioSnapshot *s = studio_history_get_time_params (history, i);
      if (s->tau == NULL || s->gamma == NULL || layer >= s->n_hidden ||
          index >= s->widths[layer])
        continue;
      guint off = index;
      for (guint l = 0; l < layer; l++)
        off += s->widths[l];
      double step = s->step, t = s->tau[off], g = s->gamma[off];
      g_array_append_val (*steps, step);
      g_array_append_val (*tau, t);
      g_array_append_val (*gamma, g);
    }
}
