/* SPDX-License-Identifier: MIT */
/* tg-mode-pair.c — two modes side by side: their on-units per layer and their τ, γ apart. */
#include "tg-mode-pair.h"

#include <math.h>
#include "tg-metrics.h"

float *
tg_mode_own_gates (const TgModel *model, float sharpness, const TgDataset *test, double angle,
                   GError **error)
{
  if (!tg_method_info (model->method)->gated)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "%s has no gates to compare",
                   tg_method_info (model->method)->label);
      return NULL;
    }
  g_autoptr (TgDataset) rotated = angle != 0.0 ? tg_dataset_rotated (test, angle) : NULL;
  const TgDataset *ds = rotated != NULL ? rotated : test;
  TgWorkspace *ws = tg_workspace_new (model, 256);
  float *gates = g_new (float, MAX (tg_model_hidden_units (model), 1));
  TgForwardOpts soft = { TG_GATES_SOFT, sharpness };
  tg_mean_gates (model, ws, &soft, ds, NULL, 0, gates);
  tg_workspace_free (ws);
  return gates;
}

gboolean
tg_mode_pair_compare (const TgModel *a, const float *gates_a, const TgModel *b,
                      const float *gates_b, float threshold, TgModePair *out, GError **error)
{
  gboolean same = a->n_linear == b->n_linear;
  for (guint32 l = 0; same && l <= a->n_linear; l++)
    same = a->dims[l] == b->dims[l];
  if (!same)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "the two modes do not have the same hidden layers");
      return FALSE;
    }
  *out = (TgModePair) { .n_layers = tg_model_n_hidden (a) };
  gsize off = 0;
  for (guint l = 0; l < out->n_layers; l++)
    {
      guint32 w = a->dims[l + 1];
      const float *ta = a->params + a->tau[l], *tb = b->params + b->tau[l];
      const float *ga = a->params + a->gamma[l], *gb = b->params + b->gamma[l];
      double sum_t = 0, sum_g = 0;
      out->widths[l] = w;
      for (guint32 u = 0; u < w; u++)
        {
          gboolean on_a = gates_a[off + u] > threshold, on_b = gates_b[off + u] > threshold;
          out->both[l] += on_a && on_b;
          out->only_a[l] += on_a && !on_b;
          out->only_b[l] += !on_a && on_b;
          out->neither[l] += !on_a && !on_b;
          double dt = fabs ((double) tb[u] - ta[u]), dg = fabs ((double) gb[u] - ga[u]);
          sum_t += dt;
          sum_g += dg;
          out->dtau_max[l] = MAX (out->dtau_max[l], dt);
          out->dgamma_max[l] = MAX (out->dgamma_max[l], dg);
        }
      guint32 any = out->both[l] + out->only_a[l] + out->only_b[l];
      out->jaccard[l] = any == 0 ? 1.0 : (double) out->both[l] / any;
      out->dtau_mean[l] = w > 0 ? sum_t / w : 0.0;
      out->dgamma_mean[l] = w > 0 ? sum_g / w : 0.0;
      off += w;
    }
  return TRUE;
}
