/* SPDX-License-Identifier: MIT */
/* tg-probe.c — one image through a model, both gate modes (see tg-probe.h). */
#include "tg-probe.h"
#include "tg-data.h"

#include <math.h>
#include <string.h>

/* The one place the gate mode reaches the forward. */
static void
forward_one (TgModel *m, TgWorkspace *ws, gboolean hard, float sharpness, const float *x)
{
  TgForwardOpts opts = { hard ? TG_GATES_HARD : TG_GATES_SOFT, sharpness };
  tg_model_forward (m, ws, &opts, x, NULL, 1);
}

/* Softmax of the logits into prob (max subtracted first); returns the argmax. */
static guint32
softmax (const float *logits, guint32 n, float *prob)
{
  guint32 a = 0;
  for (guint32 c = 1; c < n; c++)
    if (logits[c] > logits[a])
      a = c;
  double sum = 0.0;
  for (guint32 c = 0; c < n; c++)
    sum += exp ((double) logits[c] - logits[a]);
  for (guint32 c = 0; c < n; c++)
    prob[c] = (float) (exp ((double) logits[c] - logits[a]) / sum);
  return a;
}

/* The gates of the last forward, layer after layer (1[z > 0] when it was not gated). */
static void
copy_gates (const TgModel *m, const TgWorkspace *ws, float *out)
{
  for (guint32 l = 0, base = 0; l < tg_model_n_hidden (m); base += m->dims[l + 1], l++)
    {
      const float *g = tg_workspace_gates (ws, l), *z = tg_workspace_preact (ws, l);
      for (guint32 j = 0; j < m->dims[l + 1]; j++)
        out[base + j] = g ? g[j] : (z[j] > 0.0f ? 1.0f : 0.0f);
    }
}

TgProbe *
tg_probe_new (const TgModel *model, float sharpness, const float *x, guint32 rows,
              guint32 cols, double degrees, GError **error)
{
  if ((guint64) rows * cols != model->dims[0])
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "an image of %u x %u pixels does not fit a model of %u inputs", rows, cols,
                   model->dims[0]);
      return NULL;
    }
  g_autoptr (TgModel) m = tg_model_copy (model);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 1);
  TgProbe *p = g_new0 (TgProbe, 1);
  guint32 C = m->dims[m->n_linear];
  p->n_hidden = tg_model_n_hidden (m);
  p->n_classes = C;
  p->hidden_units = tg_model_hidden_units (m);
  for (guint32 l = 0; l < p->n_hidden; l++)
    p->widths[l] = m->dims[l + 1];
  p->image = g_new (float, m->dims[0]);
  if (degrees != 0.0)
    tg_rotate_image (x, p->image, rows, cols, degrees);
  else
    memcpy (p->image, x, m->dims[0] * sizeof (float));
  p->gates_soft = g_new (float, p->hidden_units);
  p->gates_hard = g_new (float, p->hidden_units);
  p->prob_soft = g_new (float, C);
  p->prob_hard = g_new (float, C);
  forward_one (m, ws, FALSE, sharpness, p->image);
  copy_gates (m, ws, p->gates_soft);
  p->pred_soft = softmax (tg_workspace_logits (ws), C, p->prob_soft);
  forward_one (m, ws, TRUE, sharpness, p->image);
  copy_gates (m, ws, p->gates_hard);
  p->pred_hard = softmax (tg_workspace_logits (ws), C, p->prob_hard);
  return p;
}

void
tg_probe_free (TgProbe *p)
{
  if (p == NULL)
    return;
  g_free (p->image);
  g_free (p->gates_soft);
  g_free (p->gates_hard);
  g_free (p->prob_soft);
  g_free (p->prob_hard);
  g_free (p);
}
