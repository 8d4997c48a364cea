/* SPDX-License-Identifier: MIT */
/* taugate-bench-modes.c — `taugate bench --modes K`: K TauGate modes of one foundation on the
 * target test set, as K separate forwards and in one pass (tg-multimode.h), timed in the
 * same run on one core, beside the ratio of their multiply-adds: the most the pass can save.
 *
 * The modes are a fresh foundation with K sets of tau and gamma drawn at random: the dense
 * forward's time depends on the shapes, not on the values. */
#include "taugate-cli.h"
#include "tg-multimode.h"

/* K separate forwards (each with its own X W0^T) or one pass, over every batch of x. */
static double
time_pass (gboolean one_pass, TgModel **models, guint K, TgMultiForward *mf,
           TgWorkspace **ws, const TgForwardOpts *opts, const float *x, guint32 n,
           guint32 dim, guint32 batch)
{
  gint64 t0 = g_get_monotonic_time ();
  for (guint32 pos = 0; pos < n; pos += batch)
    {
      guint32 count = MIN (batch, n - pos);
      const float *xb = x + (size_t) pos * dim;
      if (one_pass)
        tg_multi_forward_run (mf, opts, xb, NULL, count);
      else
        for (guint k = 0; k < K; k++)
          tg_model_forward (models[k], ws[k], &opts[k], xb, NULL, count);
    }
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* How many (image, mode) predictions of the last batch agree between the two. */
static guint
agreeing (TgModel **models, guint K, TgMultiForward *mf, TgWorkspace **ws, guint32 count)
{
  guint32 C = models[0]->dims[models[0]->n_linear];
  guint same = 0;
  for (guint k = 0; k < K; k++)
    {
      const float *a = tg_multi_forward_logits (mf, k), *b = tg_workspace_logits (ws[k]);
      for (guint32 i = 0; i < count; i++)
        same += tg_argmax (a + (size_t) i * C, C) == tg_argmax (b + (size_t) i * C, C);
    }
  return same;
}

gboolean
tg_cli_bench_modes (const TgExperimentConfig *cfg, const TgModeData *data, guint K,
                    GError **error)
{
  const TgDataset *test = data->test_rot;
  guint32 widths[TG_MAX_LINEAR], batch = TG_MULTI_FORWARD_BATCH;
  for (guint32 l = 0; l < cfg->n_hidden; l++)
    widths[l] = cfg->width;
  g_autoptr (TgModel) f = tg_model_new (test->dim, cfg->n_hidden, widths, test->n_classes, 0,
                                        0, error);
  if (f == NULL)
    return FALSE;
  uint64_t rng = tg_rng_seed (cfg->seed0);
  tg_model_init_weights (f, &rng);
  g_autoptr (GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify) tg_model_free);
  g_autoptr (GPtrArray) ws = g_ptr_array_new_with_free_func ((GDestroyNotify) tg_workspace_free);
  g_autofree TgForwardOpts *opts = g_new (TgForwardOpts, K);
  for (guint k = 0; k < K; k++)
    {
      TgModel *m = tg_model_copy (f);
      m->method = TG_METHOD_TAUGATE;
      for (guint32 l = 0; l + 1 < m->n_linear; l++)
        for (guint32 j = 0; j < m->dims[l + 1]; j++)
          {
            m->params[m->tau[l] + j] = 0.4f * (tg_rng_uniform (&rng) - 0.5f);
            m->params[m->gamma[l] + j] = 0.5f + tg_rng_uniform (&rng);
          }
      g_ptr_array_add (models, m);
      g_ptr_array_add (ws, tg_workspace_new (m, batch));
      opts[k] = (TgForwardOpts) { TG_GATES_SOFT, cfg->sharpness };
    }
  g_autoptr (TgMultiForward) mf = tg_multi_forward_new (
      f, (const TgModel *const *) models->pdata, K, batch, error);
  if (mf == NULL)
    return FALSE;
  g_autofree float *x = g_new (float, (size_t) test->n * test->dim);
  tg_dataset_gather (test, NULL, 0, test->n, x, NULL);

  /* one core, as the protocol's tasks run; the best of alternating repeats */
  int blas_threads = tg_get_threads ();
  tg_set_threads (1);
  double best[2] = { G_MAXDOUBLE, G_MAXDOUBLE };
  for (int rep = 0; rep < 3; rep++)
    for (int one = 0; one < 2; one++)
      best[one] = MIN (best[one], time_pass (one, (TgModel **) models->pdata, K, mf,
                                             (TgWorkspace **) ws->pdata, opts, x, test->n,
                                             test->dim, batch));
  tg_set_threads (blas_threads);
  guint32 last = test->n - (test->n - 1) / batch * batch;
  guint same = agreeing ((TgModel **) models->pdata, K, mf, (TgWorkspace **) ws->pdata, last);

  double sep, one;
  tg_multi_forward_madds (f, K, &sep, &one);
  g_autoptr (GString) shape = g_string_new (NULL);
  for (guint32 l = 0; l <= f->n_linear; l++)
    g_string_append_printf (shape, "%s%u", l ? "-" : "", f->dims[l]);
  tg_cli_printf ("%u TauGate modes of one %s foundation on the %g\u00b0 test set (%u images, "
                 "batches of %u, soft gates, one core, best of 3):\n", K, shape->str,
                 data->angle, test->n, batch);
  tg_cli_printf ("  %u separate forwards: %.3f s (%.0f images x modes/s)\n", K, best[0],
                 (double) K * test->n / best[0]);
  tg_cli_printf ("  one pass, X W0^T once: %.3f s (%.0f images x modes/s)\n", best[1],
                 (double) K * test->n / best[1]);
  tg_cli_printf ("  measured ratio %.2fx; multiply-adds per image %.0f against %.0f: %.2fx "
                 "(the ceiling)\n", best[0] / best[1], sep, one, sep / one);
  tg_cli_printf ("  predictions identical on %u/%u (mode, image) pairs of the last batch\n",
                 same, K * last);
  return TRUE;
}
