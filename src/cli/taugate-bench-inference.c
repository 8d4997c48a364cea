/* SPDX-License-Identifier: MIT */
/* taugate-bench-inference.c — `taugate bench --inference [CHECKPOINT...]`: the dense and
 * the sparse batch-1 forward of one model on the 0° and the target test sets, from one run:
 * multiply-adds (counted; their ratio is the ceiling of the speedup), latency p50 / p99 of the
 * dense path and of every sparse kernel variant this CPU runs, the one chosen here marked,
 * throughput in batches of 256, and whether each variant's predictions agree with the dense
 * hard-gate ones on every image.
 *
 * Default model: the paper's TauGate adapter (--lambda, --sharpness) on a fresh foundation.
 * With checkpoints: the first is a foundation; each further one an adapter measured on it
 * (the foundation alone, as Frozen, when there is none). */
#include "taugate-cli.h"
#include "tg-checkpoint.h"
#include "tg-sweep.h"

/* "predictions identical on 9999/10000 (1 of the 1 others is a tie ...)" */
static void
print_identical (const TgSparseKernelMeasure *k, guint32 n)
{
  tg_cli_printf ("predictions identical on %u/%u", k->identical, n);
  if (k->identical < n)
    tg_cli_printf (" (%u of the %u others are ties: the two top dense logits within float "
                   "rounding)", k->ties, n - k->identical);
}

static void
print_measure (const char *set, const TgSparseMeasure *s, guint32 n_hidden)
{
  GString *units = g_string_new (NULL);
  for (guint32 l = 0; l < n_hidden; l++)
    g_string_append_printf (units, "%s%.1f", l ? ", " : "", s->units_on[l]);
  double ceiling = s->madds_dense / s->madds_sparse;
  tg_cli_printf ("  %s test set, %u images:\n", set, s->n);
  tg_cli_printf ("    multiply-adds per image: dense %.0f, sparse %.0f (%.1f%%, %.2fx fewer: the "
                 "ceiling of the speedup); inputs on %.1f, units on %s\n", s->madds_dense,
                 s->madds_sparse, 100.0 * s->madds_sparse / s->madds_dense, ceiling,
                 s->inputs_on, units->str);
  /* multiply-adds per ns at p50: a speedup above the ceiling means the sparse path does more
   * of them per ns than the dense one */
  tg_cli_printf ("    batch 1: dense (OpenBLAS sgemv, %s kernels) p50 %.2f us (%.1f multiply-adds "
                 "per ns), p99 %.2f us\n", tg_blas_core (), s->dense_p50_us,
                 s->madds_dense / (1e3 * s->dense_p50_us), s->dense_p99_us);
  for (int k = TG_SPARSE_N_KERNELS - 1; k >= 0; k--)
    {
      const TgSparseKernelMeasure *km = &s->kernels[k];
      const char *name = tg_sparse_kernel_name ((TgSparseKernel) k);
      if (!km->runs)
        {
          tg_cli_printf ("      sparse %-8s  %s\n", name,
                         tg_sparse_kernel_compiled ((TgSparseKernel) k) ?
                         "not run: this CPU lacks its instructions" : "not in this build");
          continue;
        }
      double speedup = s->dense_p50_us / km->p50_us;
      tg_cli_printf ("      sparse %-8s  p50 %.2f us (%.1f per ns), p99 %.2f us: %.2fx faster at "
                     "p50 (%.0f%% of the ceiling), %.2fx at p99; ", name, km->p50_us,
                     s->madds_sparse / (1e3 * km->p50_us), km->p99_us, speedup,
                     100.0 * speedup / ceiling, s->dense_p99_us / km->p99_us);
      print_identical (km, s->n);
      tg_cli_printf ("%s\n", (TgSparseKernel) k == s->kernel ? " [chosen here]" : "");
    }
  tg_cli_printf ("    batch 256: dense (sgemm) %.0f images/s, sparse %s %.0f images/s (%.2fx)\n",
                 s->dense_batch_ips, tg_sparse_kernel_name (s->kernel), s->sparse_batch_ips,
                 s->sparse_batch_ips / s->dense_batch_ips);
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
  /* OpenBLAS falls back to its SSE3 kernels on a CPU model it does not know (0.3.21 on
   * Emerald Rapids): the dense baseline would then be several times slower than it can be */
  if (g_strcmp0 (tg_blas_core (), "Prescott") == 0 &&
      tg_sparse_kernel_runs_here (TG_SPARSE_KERNEL_AVX2_FMA))
    tg_cli_printf ("note: OpenBLAS did not recognise this CPU and runs its Prescott (SSE3) "
                   "kernels, so the dense sgemv below is slower than this CPU allows; "
                   "OPENBLAS_CORETYPE=Haswell (or SkylakeX) gives it a fair chance\n");
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
