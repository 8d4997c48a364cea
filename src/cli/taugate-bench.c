/* taugate-bench.c — `taugate bench`: this machine's sgemm limit against a foundation epoch
 * and the whole reproduction, as ratios from one run. */
#include "taugate-cli.h"
#include "config.h"

#include <glib/gi18n.h>

#include <cblas.h>
#include <stdio.h>
#include <sys/resource.h>

/* --- bench ---------------------------------------------------------------------------- */

/* Best GFLOPS of C = A B^T for (m, n, k) over repeats lasting at least min_seconds. */
static double
sgemm_gflops (int m, int n, int k, double min_seconds)
{
  g_autofree float *A = g_new (float, (size_t) m * k), *B = g_new (float, (size_t) n * k);
  g_autofree float *C = g_new0 (float, (size_t) m * n);
  uint64_t rng = tg_rng_seed (1);
  for (size_t i = 0; i < (size_t) m * k; i++) A[i] = tg_rng_uniform (&rng);
  for (size_t i = 0; i < (size_t) n * k; i++) B[i] = tg_rng_uniform (&rng);
  double best = 0.0, spent = 0.0;
  int reps = 1;
  while (spent < min_seconds)
    {
      gint64 t0 = g_get_monotonic_time ();
      for (int r = 0; r < reps; r++)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, A, k, B, k, 0.0f, C, n);
      double dt = (g_get_monotonic_time () - t0) / 1e6;
      spent += dt;
      if (dt > 0)
        best = MAX (best, 2.0 * m * n * k * reps / dt / 1e9);
      if (dt < 0.05)
        reps *= 2;
    }
  return best;
}

/* Best seconds of one C (M,N) = op(A) op(B) through tg_gemm, as the epoch calls it. */
static double
gemm_seconds (gboolean ta, gboolean tb, int M, int N, int K, double min_seconds)
{
  g_autofree float *A = g_new (float, (size_t) M * K), *B = g_new (float, (size_t) K * N);
  g_autofree float *C = g_new0 (float, (size_t) M * N);
  uint64_t rng = tg_rng_seed (2);
  for (size_t i = 0; i < (size_t) M * K; i++) A[i] = tg_rng_uniform (&rng);
  for (size_t i = 0; i < (size_t) K * N; i++) B[i] = tg_rng_uniform (&rng);
  double best = G_MAXDOUBLE, spent = 0.0;
  while (spent < min_seconds)
    {
      gint64 t0 = g_get_monotonic_time ();
      for (int r = 0; r < 16; r++)
        tg_gemm (ta, tb, M, N, K, 1.0f, A, ta ? M : K, B, tb ? K : N, 1.0f, C, N);
      double dt = (g_get_monotonic_time () - t0) / 1e6;
      spent += dt;
      best = MIN (best, dt / 16);
    }
  return best;
}

/* The sgemm time of one foundation batch at the very shapes its products have: forward
 * x W^T per layer; backward dW = dz^T h per layer and dh = dz W for all but the first. */
static double
batch_product_seconds (int batch, int d0, int w, int classes)
{
  const int din[3] = { d0, w, w }, dout[3] = { w, w, classes };
  double total = 0.0;
  for (int l = 0; l < 3; l++)
    {
      total += gemm_seconds (FALSE, TRUE, batch, dout[l], din[l], 0.05);
      total += gemm_seconds (TRUE, FALSE, dout[l], din[l], batch, 0.05);
      if (l > 0)
        total += gemm_seconds (FALSE, FALSE, batch, din[l], dout[l], 0.05);
    }
  return total;
}

static long
peak_rss_mb (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

/* One foundation epoch, as the protocol runs it, timed against the sgemm limits. */
static gboolean
bench_foundation_epoch (const TgExperimentConfig *cfg, const TgModeData *data, double limit_big,
                        double limit_shape, double *epoch_seconds_out, GError **error)
{
  guint32 d0 = data->train0->dim, w = cfg->width, C = data->train0->n_classes;
  /* forward, dW of every layer, dX of all but the first */
  double flops_fwd = 2.0 * ((double) d0 * w + (double) w * w + (double) w * C);
  double flops_sample = 2.0 * flops_fwd + 2.0 * ((double) w * w + (double) w * C);
  guint32 widths[2] = { w, w };
  g_autoptr (TgModel) m = tg_model_new (d0, 2, widths, C, cfg->lora_rank, cfg->lora_alpha, error);
  if (m == NULL)
    return FALSE;
  uint64_t rng = tg_rng_seed (0);
  tg_model_init_weights (m, &rng);
  m->method = TG_METHOD_FULL;
  TgTrainConfig tc = { .lr = cfg->lr, .momentum = cfg->momentum, .batch = cfg->batch };
  g_autoptr (TgTrainer) t = tg_trainer_new (m, &tc);
  TgSource src = { .data = data->train0, .alt = data->train_rot };
  gint64 t0 = g_get_monotonic_time ();
  if (!tg_trainer_run_epoch (t, &src, &rng, NULL, NULL, NULL, NULL, error))
    return FALSE;
  *epoch_seconds_out = (g_get_monotonic_time () - t0) / 1e6;
  double epoch_seconds = *epoch_seconds_out;
  double gflops = flops_sample * data->train0->n / epoch_seconds / 1e9;
  tg_cli_printf ("foundation epoch, one core: %u samples in %.3f s = %.0f samples/s, %.1f GFLOPS"
              " = %.0f%% of the 1024^3 limit, %.0f%% of the same-shape limit\n",
              data->train0->n, epoch_seconds, data->train0->n / epoch_seconds, gflops,
              100 * gflops / limit_big, 100 * gflops / limit_shape);
  /* where the rest goes: the products at their own shapes, against everything else */
  guint32 batches = (data->train0->n + cfg->batch - 1) / cfg->batch;
  double products = batches * batch_product_seconds ((int) cfg->batch, (int) d0, (int) w,
                                                     (int) C);
  tg_cli_printf ("foundation epoch, where the time goes: its %u x 8 products alone, each "
                 "timed at its own shape, take %.3f s (%.0f%% of the epoch); gathering, "
                 "elementwise passes and the update take the other %.3f s\n", batches,
                 products, 100 * products / epoch_seconds, epoch_seconds - products);
  return TRUE;
}

/* The full protocol twice in one run: as shipped, and with the first-layer reuse off. */
static gboolean
bench_reproduction (const TgExperimentConfig *cfg, const TgModeData *data, guint threads,
                    double epoch_seconds, GError **error)
{
  double seconds[2];
  for (int pass = 0; pass < 2; pass++)
    {
      TgExperimentConfig c = *cfg;
      c.no_reuse = pass == 1;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (TgExperimentResults) res = tg_experiment_run (&c, data, NULL, NULL, NULL,
                                                               NULL, NULL, error);
      if (res == NULL)
        return FALSE;
      seconds[pass] = (g_get_monotonic_time () - t0) / 1e6;
    }
  tg_cli_printf ("full reproduction (%u seeds, %u methods + 0\u00b0 TauGate) on %u threads: "
              "%.2f s wall = %.1f one-core foundation epochs\n",
              cfg->seeds, (guint) TG_N_METHODS, threads, seconds[0],
              seconds[0] / epoch_seconds);
  tg_cli_printf ("baseline, the same without reusing x W0^T: %.2f s; reuse makes it %.2fx "
              "faster\n", seconds[1], seconds[1] / seconds[0]);
  return TRUE;
}

int
tg_cmd_bench (int argc, char **argv)
{
  TgCliOptions o;
  tg_cli_options_init (&o);
  gboolean skip_full = FALSE, inference = FALSE;
  int modes = 0;
  g_autofree GOptionEntry *protocol = tg_cli_protocol_entries (&o);
  GOptionEntry extra[] = {
    { "skip-reproduce", 0, 0, G_OPTION_ARG_NONE, &skip_full, N_("Only the sgemm limit and one foundation epoch"), NULL },
    { "modes", 0, 0, G_OPTION_ARG_INT, &modes, N_("Instead: K TauGate modes of one foundation as K separate forwards against one pass sharing X W0^T, with the multiply-add ratio (2 to 64)"), "K" },
    { "inference", 0, 0, G_OPTION_ARG_NONE, &inference, N_("Instead: dense against sparse batch-1 inference of [CHECKPOINT...] (a foundation, then adapters; default: TauGate on a fresh foundation)"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("- measure sgemm, a foundation epoch and the full reproduction"));
  g_option_context_set_summary (ctx,
      N_("Measures this machine's sgemm rate (the limit), then times one foundation epoch and the\n"
      "whole default reproduction; prints samples/s, achieved GFLOPS and their ratio to the limit.\n"
      "All figures come from one run, so their ratios hold on a noisy shared machine."));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, protocol, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, extra, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate bench: %s\n", error->message);
      tg_cli_options_clear (&o);
      return 2;
    }
  TgExperimentConfig cfg;
  g_autoptr (TgModeData) data = NULL;
  guint64 memory = 0;
  g_autofree char *estimate = NULL;
  int status = 1;
  if (!tg_cli_options_to_config (&o, &cfg, &error))
    goto out;

  data = tg_cli_load_mode_data (o.data_dir ? o.data_dir : "data/mnist", o.data_name, &cfg, &memory,
                                &error);
  if (data == NULL)
    goto out;
  if (modes != 0)
    {
      if (modes < 2 || modes > 64)
        g_set_error (&error, TG_ERROR, TG_ERROR_INVALID,
                     "--modes must be between 2 and 64 (got %d)", modes);
      else if (tg_cli_bench_modes (&cfg, data, (guint) modes, &error))
        status = 0;
      goto out;
    }
  if (inference)
    {
      if (tg_cli_bench_inference (&cfg, data, argc - 1, argv + 1, &error))
        status = 0;
      goto out;
    }
  if (argc > 1)
    {
      g_set_error (&error, TG_ERROR, TG_ERROR_INVALID,
                   "unexpected argument \"%s\" (checkpoints go with --inference)", argv[1]);
      goto out;
    }

  guint32 d0 = data->train0->dim, w = cfg.width;
  guint threads = tg_experiment_config_threads (&cfg);
  /* The protocol runs every task on one core with single-threaded sgemm: that is the limit
   * to compare with. */
  tg_set_threads (1);
  double limit_big = sgemm_gflops (1024, 1024, 1024, 1.0);
  double limit_shape = sgemm_gflops ((int) cfg.batch, (int) w, (int) d0, 0.5);
  tg_cli_printf ("sgemm limit, one core: %.1f GFLOPS (1024^3), %.1f GFLOPS at the first layer's "
              "shape %ux%ux%u\n", limit_big, limit_shape, cfg.batch, w, d0);

  double epoch_seconds = 0.0;
  if (!bench_foundation_epoch (&cfg, data, limit_big, limit_shape, &epoch_seconds, &error))
    goto out;
  if (!skip_full && !bench_reproduction (&cfg, data, threads, epoch_seconds, &error))
    goto out;
  estimate = tg_format_memory (memory);
  /* the estimate covers the protocol's run (it is checked against physical memory before) */
  tg_cli_printf ("peak memory: %ld MB; the protocol's estimate: %s\n", peak_rss_mb (), estimate);
  status = 0;
out:
  if (error)
    g_printerr ("taugate bench: %s\n", error->message);
  tg_cli_options_clear (&o);
  return status;
}

