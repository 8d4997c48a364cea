/* taugate-bench-inference.c — `taugate bench --inference [CHECKPOINT...]`: the dense and
 * the sparse batch-1 forward of one model on the 0° and the target test sets, from one run:
 * multiply-adds (counted), latency p50 / p99 and their ratio, throughput in batches of 256,
 * and whether the predictions agree on every image.
 *
 * Default model: the paper's TauGate adapter (--lambda, --sharpness) on a fresh foundation.
 * With checkpoints: the first is a foundation; each further one an adapter measured on it
 * (the foundation alone, as Frozen, when there is none). */
#include "taugate-cli.h"
#include "tg-checkpoint.h"
#include "tg-sweep.h"

static void
print_measure (const char *set, const TgSparseMeasure *s, guint32 n_hidden)
{
  GString *units = g_string_new (NULL);
  for (guint32 l = 0; l < n_hidden; l++)
    g_string_append_printf (units, "%s%.1f", l ? ", " : "", s->units_on[l]);
  tg_cli_printf ("  %s test set, %u images:\n", set, s->n);
  tg_cli_printf ("    multiply-adds per image: dense %.0f, sparse %.0f (%.1f%%, %.2fx fewer);"
                 " inputs on %.1f, units on %s\n", s->madds_dense, s->madds_sparse,
                 100.0 * s->madds_sparse / s->madds_dense, s->madds_dense / s->madds_sparse,
                 s->inputs_on, units->str);
  tg_cli_printf ("    batch 1: dense (sgemv) p50 %.2f us, p99 %.2f us; sparse p50 %.2f us, "
                 "p99 %.2f us; sparse %.2fx faster at p50, %.2fx at p99\n",
                 s->dense_p50_us, s->dense_p99_us, s->sparse_p50_us, s->sparse_p99_us,
                 s->dense_p50_us / s->sparse_p50_us, s->dense_p99_us / s->sparse_p99_us);
  tg_cli_printf ("    batch 256: dense (sgemm) %.0f images/s, sparse %.0f images/s (%.2fx)\n",
                 s->dense_batch_ips, s->sparse_batch_ips,
                 s->sparse_batch_ips / s->dense_batch_ips);
  tg_cli_printf ("    predictions identical on %u/%u", s->identical, s->n);
  if (s->identical < s->n)
    tg_cli_printf (" (%u of the %u others are ties: the two top dense logits within float "
                   "rounding)", s->ties, s->n - s->identical);
  tg_cli_printf ("\n");
  g_string_free (units, TRUE);
}

static void
measure_model (const char *name, const TgModel *m, const TgModeData *data)
{
  TgSparseMeasure s0, sr;
  tg_cli_printf ("%s\n", name);
  tg_sparse_measure (m, data->test0, 0, TRUE, &s0);
  print_measure ("0°", &s0, tg_model_n_hidden (m));
  tg_sparse_measure (m, data->test_rot, 0, TRUE, &sr);
  g_autofree char *target = g_strdup_printf ("%g°", data->angle);
  print_measure (target, &sr, tg_model_n_hidden (m));
}

static gboolean
bench_checkpoints (const TgExperimentConfig *cfg, const TgModeData *data, int n_paths,
                   char **paths, GError **error)
{
  g_autoptr (TgModel) foundation = tg_checkpoint_load_foundation (paths[0], cfg->lora_rank,
                                                                  cfg->lora_alpha, NULL, error);
  if (foundation == NULL)
    return FALSE;
  if (foundation->dims[0] != data->test0->dim ||
      foundation->dims[foundation->n_linear] != data->test0->n_classes)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: the model takes %u inputs and gives %u classes; the data has %u and %u",
                   paths[0], foundation->dims[0], foundation->dims[foundation->n_linear],
                   data->test0->dim, data->test0->n_classes);
      return FALSE;
    }
  if (n_paths == 1)
    {
      foundation->method = TG_METHOD_FROZEN;
      g_autofree char *name = g_strdup_printf ("%s (foundation, Frozen)", paths[0]);
      measure_model (name, foundation, data);
      return TRUE;
    }
  for (int i = 1; i < n_paths; i++)
    {
      g_autoptr (TgModel) m = tg_model_copy (foundation);
      if (!tg_checkpoint_load_adapter (m, paths[i], NULL, error))
        return FALSE;
      g_autofree char *name = g_strdup_printf ("%s (%s on %s)", paths[i],
                                               tg_method_info (m->method)->label, paths[0]);
      measure_model (name, m, data);
    }
  return TRUE;
}

gboolean
tg_cli_bench_inference (const TgExperimentConfig *cfg, const TgModeData *data, int n_paths,
                        char **paths, GError **error)
{
  /* batch 1 is a one-core affair; batched sgemm gets the same single thread */
  int caller_threads = tg_get_threads ();
  tg_set_threads (1);
  gboolean ok;
  if (n_paths > 0)
    ok = bench_checkpoints (cfg, data, n_paths, paths, error);
  else
    {
      tg_cli_printf ("training the paper's TauGate adapter (lambda %g, s %g) on a fresh "
                     "foundation (seed %" G_GUINT64_FORMAT ")...\n", cfg->lambda,
                     cfg->sharpness, cfg->seed0);
      g_autoptr (TgModel) foundation = tg_sweep_foundation (cfg, data, cfg->seed0, NULL, error);
      g_autoptr (TgModel) m = foundation == NULL ? NULL :
          tg_sweep_taugate (foundation, cfg, data, cfg->seed0, cfg->lambda, cfg->sharpness,
                            NULL, NULL, error);
      ok = m != NULL;
      if (ok)
        {
          g_autofree char *name = g_strdup_printf ("TauGate, lambda %g, s %g, hard gates",
                                                   cfg->lambda, cfg->sharpness);
          measure_model (name, m, data);
        }
    }
  tg_set_threads (caller_threads);
  return ok;
}
