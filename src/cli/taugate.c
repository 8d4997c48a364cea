/* taugate.c — the headless command line: reproduce the paper, benchmark, inspect files.
 *
 * Each subcommand parses its own options with GOptionContext (so each has --help), reports
 * errors on stderr and exits non-zero. All the work is the engine's; this file only wires
 * options to it, shows progress, and writes the outputs. */
#include "tg-experiment.h"
#include "tg-checkpoint.h"
#include "tg-report.h"
#include "tg-plot.h"

#include <cblas.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Text goes out as the UTF-8 it is: g_print would turn every degree sign into '?' under
 * the C locale of a CI machine. */
static void G_GNUC_PRINTF (1, 2)
out_printf (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vfprintf (stdout, fmt, ap);
  va_end (ap);
}

/* --- shared options ------------------------------------------------------------------- */

typedef struct {
  int     seeds;
  char   *data_dir;
  char   *out_dir;
  double  angle;
  int     foundation_epochs, adapt_epochs;
  double  lr, sharpness, lambda;
  int     width;
  int     threads;
  char   *foundation;
  char   *methods;
  int     train_limit, test_limit;
  gint64  seed;
  gboolean no_overlap, quiet, no_checkpoints;
} Options;

static void
options_init (Options *o)
{
  TgExperimentConfig paper;
  tg_experiment_config_init_paper (&paper);
  memset (o, 0, sizeof *o);
  o->seeds = (int) paper.seeds;
  o->angle = paper.angle;
  o->foundation_epochs = (int) paper.foundation_epochs;
  o->adapt_epochs = (int) paper.adapt_epochs;
  o->lr = paper.lr;
  o->sharpness = paper.sharpness;
  o->lambda = paper.lambda;
  o->width = (int) paper.width;
  o->threads = 0;
  o->seed = 0;
}

static void
options_clear (Options *o)
{
  g_free (o->data_dir);
  g_free (o->out_dir);
  g_free (o->foundation);
  g_free (o->methods);
}

static GOptionEntry *
protocol_entries (Options *o)
{
  GOptionEntry entries[] = {
    { "seeds", 0, 0, G_OPTION_ARG_INT, &o->seeds, "Number of seeds (default 3)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->seed, "First seed; seeds are SEED, SEED+1, ... (default 0)", "SEED" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &o->data_dir, "Folder with the IDX files, plain or .gz (default data/mnist)", "DIR" },
    { "angle", 0, 0, G_OPTION_ARG_DOUBLE, &o->angle, "Rotation of the target mode in degrees, counter-clockwise (default 45)", "DEG" },
    { "foundation-epochs", 0, 0, G_OPTION_ARG_INT, &o->foundation_epochs, "Epochs of foundation training on the 50/50 mixture (default 2)", "N" },
    { "adapt-epochs", 0, 0, G_OPTION_ARG_INT, &o->adapt_epochs, "Epochs of specialisation (default 1)", "N" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &o->lr, "SGD learning rate, momentum 0.9 (default 0.01)", "X" },
    { "sharpness", 's', 0, G_OPTION_ARG_DOUBLE, &o->sharpness, "Gate sharpness s in sigmoid(s (z - tau)) (default 5)", "S" },
    { "lambda", 0, 0, G_OPTION_ARG_DOUBLE, &o->lambda, "Sparsity penalty on the mean gate (default 0)", "L" },
    { "width", 0, 0, G_OPTION_ARG_INT, &o->width, "Width of each of the two hidden layers (default 128)", "W" },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &o->threads, "Worker threads (default: one per processor); results do not depend on it", "T" },
    { "train-limit", 0, 0, G_OPTION_ARG_INT, &o->train_limit, "Use only the first N training images (default all)", "N" },
    { "test-limit", 0, 0, G_OPTION_ARG_INT, &o->test_limit, "Use only the first N test images (default all)", "N" },
    { NULL }
  };
  return g_memdup2 (entries, sizeof entries);
}

/* Folds the options into an engine configuration. */
static gboolean
options_to_config (const Options *o, TgExperimentConfig *cfg, GError **error)
{
  tg_experiment_config_init_paper (cfg);
  if (o->seeds < 1 || o->foundation_epochs < 0 || o->adapt_epochs < 0 || o->width < 1 ||
      o->train_limit < 0 || o->test_limit < 0 || o->seed < 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "--seeds, --width must be positive; epochs, limits and --seed not negative");
      return FALSE;
    }
  cfg->seeds = (guint32) o->seeds;
  cfg->seed0 = (guint64) o->seed;
  cfg->angle = o->angle;
  cfg->foundation_epochs = (guint32) o->foundation_epochs;
  cfg->adapt_epochs = (guint32) o->adapt_epochs;
  cfg->lr = (float) o->lr;
  cfg->sharpness = (float) o->sharpness;
  cfg->lambda = (float) o->lambda;
  cfg->width = (guint32) o->width;
  cfg->train_limit = (guint32) o->train_limit;
  cfg->test_limit = (guint32) o->test_limit;
  cfg->overlap = !o->no_overlap;
  cfg->threads = (guint32) MAX (o->threads, 0);
  if (o->methods != NULL)
    {
      g_auto (GStrv) ids = g_strsplit (o->methods, ",", -1);
      cfg->methods = 0;
      for (guint i = 0; ids[i]; i++)
        {
          TgMethod m;
          g_strstrip (ids[i]);
          if (!tg_method_from_string (ids[i], &m))
            {
              g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                           "unknown method \"%s\"; the methods are frozen, bitfit, taugate, "
                           "gainonly, tauonly, lora, full", ids[i]);
              return FALSE;
            }
          cfg->methods |= 1u << m;
        }
    }
  return tg_experiment_config_validate (cfg, error);
}

static TgModeData *
load_mode_data (const char *dir, const TgExperimentConfig *cfg, GError **error)
{
  g_autoptr (TgDataset) train = tg_dataset_load_dir (dir, "train", 10, error);
  if (train == NULL)
    return NULL;
  g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, error);
  if (test == NULL)
    return NULL;
  if (train->dim != test->dim)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: training images are %ux%u but test images %ux%u", dir, train->rows,
                   train->cols, test->rows, test->cols);
      return NULL;
    }
  return tg_mode_data_new (train, test, cfg->angle, cfg->train_limit, cfg->test_limit);
}

/* --- progress ------------------------------------------------------------------------- */

typedef struct {
  gboolean tty;
  gint64   start;
  gint64   last;
} Progress;

static void
show_progress (const TgProgress *p, gpointer user_data)
{
  Progress *pr = user_data;
  gint64 now = g_get_monotonic_time ();
  if (!pr->tty || (now - pr->last < 100000 && p->done < p->total))
    return;
  pr->last = now;
  double frac = p->total ? (double) p->done / p->total : 0.0;
  double elapsed = (now - pr->start) / 1e6;
  double eta = frac > 0.01 ? elapsed * (1.0 - frac) / frac : NAN;
  char bar[31];
  int filled = (int) (frac * 30);
  for (int i = 0; i < 30; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[30] = 0;
  char eta_text[16] = "   --";
  if (!isnan (eta))
    g_snprintf (eta_text, sizeof eta_text, "%4.1fs", eta);
  gboolean per_method = strcmp (p->phase, "foundation") != 0 && strcmp (p->phase, "done") != 0;
  fprintf (stderr, "\r[%s] %3.0f%%  seed %u/%u  %-10s %-9s loss %6.3f  %5.1fs  ETA %s ",
           bar, 100 * frac, p->seed_index + 1, p->seeds, p->phase,
           per_method ? tg_method_info (p->method)->label : "", p->loss, elapsed, eta_text);
  if (p->done >= p->total)
    fputc ('\n', stderr);
  fflush (stderr);
}

/* --- Figure 1 ------------------------------------------------------------------------- */

static gboolean
write_figure1 (const TgExperimentResults *res, const char *path, GError **error)
{
  const char *labels[TG_N_METHODS];
  double mean[TG_N_METHODS * 2], err[TG_N_METHODS * 2], ref[TG_N_METHODS * 2];
  guint n = 0;
  for (int k = 0; k < TG_N_METHODS; k++)
    {
      TgMethodSummary s;
      if (!tg_report_summarise (res, (TgMethod) k, &s))
        continue;
      const TgPaperRow *paper = tg_paper_row ((TgMethod) k);
      labels[n] = tg_method_info ((TgMethod) k)->label;
      mean[2 * n] = s.acc0;
      mean[2 * n + 1] = s.acc_rot;
      err[2 * n] = s.acc0_std;
      err[2 * n + 1] = s.acc_rot_std;
      ref[2 * n] = paper ? paper->acc0 : NAN;
      ref[2 * n + 1] = paper ? paper->acc_rot : NAN;
      n++;
    }
  g_autofree char *series1 = g_strdup_printf ("rotated %g\u00b0", res->config.angle);
  const char *series[2] = { "MNIST 0\u00b0", series1 };
  g_autofree char *caption = g_strdup_printf (
      "Mean \u00b1 sample std over %u seed%s; foundation %u epoch%s on the 50/50 mix, %u adaptation "
      "epoch%s, SGD lr %g momentum 0.9, batch 256, s = %g, \u03bb = %g. Markers: the paper's means.",
      res->config.seeds, res->config.seeds == 1 ? "" : "s", res->config.foundation_epochs,
      res->config.foundation_epochs == 1 ? "" : "s", res->config.adapt_epochs,
      res->config.adapt_epochs == 1 ? "" : "s", res->config.lr, res->config.sharpness,
      res->config.lambda);
  g_autofree char *title = g_strdup_printf (
      "Test accuracy after specialising to the %g\u00b0 mode", res->config.angle);
  TgBarsData bars = {
    .n_groups = n, .group_labels = labels, .n_series = 2, .series_labels = series,
    .mean = mean, .err = err, .ref = ref, .ref_label = "paper",
    .title = title, .y_label = "test accuracy", .caption = caption,
    .y_min = 0, .y_max = 0,
  };
  TgPlotStyle style;
  tg_plot_style_init_light (&style);
  return tg_plot_export (path, 640, 400, (TgPlotFunc) tg_plot_bars, &bars, &style, error);
}

/* --- reproduce ------------------------------------------------------------------------ */

static int
cmd_reproduce (int argc, char **argv)
{
  Options o;
  options_init (&o);
  g_autofree GOptionEntry *protocol = protocol_entries (&o);
  GOptionEntry extra[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out_dir, "Output folder (default out)", "DIR" },
    { "foundation", 'f', 0, G_OPTION_ARG_FILENAME, &o.foundation,
      "Load the pretrained weights from FILE if it exists, else train and save them there "
      "(seed i > 0 uses FILE's name with -seed<i> before the extension)", "FILE" },
    { "methods", 'm', 0, G_OPTION_ARG_STRING, &o.methods,
      "Comma-separated methods (default all: frozen,bitfit,taugate,gainonly,tauonly,lora,full)", "LIST" },
    { "no-overlap", 0, 0, G_OPTION_ARG_NONE, &o.no_overlap, "Skip the 0\u00b0 TauGate and Table 3", NULL },
    { "no-checkpoints", 0, 0, G_OPTION_ARG_NONE, &o.no_checkpoints, "Do not write checkpoints", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "No progress and no table on the terminal", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- reproduce the paper's Tables 1-3 and Figure 1");
  g_option_context_set_summary (ctx,
      "Pretrains a 784-W-W-10 MLP on a 50/50 mix of MNIST and MNIST rotated by --angle, freezes it,\n"
      "specialises it to the rotated mode with Frozen, BitFit, TauGate, GainOnly, TauOnly, LoRA r=8\n"
      "and full fine-tuning over several seeds, and writes:\n"
      "  OUT/results.csv, OUT/overlap.csv\n"
      "  OUT/tables/mnist_rotation_results.tex     (Table 1)\n"
      "  OUT/tables/mnist_rotation_ablations.tex   (Table 2)\n"
      "  OUT/tables/taugate_overlap.tex            (Table 3)\n"
      "  OUT/figures/mnist_rotation_accuracy.pdf   (Figure 1)\n"
      "  OUT/checkpoints/*.safetensors             (foundation and every adapter)");
  g_option_context_add_main_entries (ctx, protocol, NULL);
  g_option_context_add_main_entries (ctx, extra, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate reproduce: %s\n", error->message);
      options_clear (&o);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("taugate reproduce: unexpected argument \"%s\" (see --help)\n", argv[1]);
      options_clear (&o);
      return 2;
    }

  TgExperimentConfig cfg;
  int status = 1;
  const char *data_dir = o.data_dir ? o.data_dir : "data/mnist";
  const char *out_dir = o.out_dir ? o.out_dir : "out";
  g_autofree char *ckpt_dir = g_build_filename (out_dir, "checkpoints", NULL);
  g_autofree char *fig_dir = g_build_filename (out_dir, "figures", NULL);
  g_autofree char *fig_path = g_build_filename (fig_dir, "mnist_rotation_accuracy.pdf", NULL);
  g_autoptr (TgModeData) data = NULL;
  g_autoptr (TgExperimentResults) res = NULL;
  Progress pr = { .tty = !o.quiet && isatty (STDERR_FILENO), .start = g_get_monotonic_time () };

  if (!options_to_config (&o, &cfg, &error))
    goto out;

  data = load_mode_data (data_dir, &cfg, &error);
  if (data == NULL)
    goto out;
  res = tg_experiment_run (&cfg, data, o.foundation, o.no_checkpoints ? NULL : ckpt_dir,
                           show_progress, &pr, NULL, &error);
  if (res == NULL)
    goto out;
  if (!tg_report_write_all (res, out_dir, &error))
    goto out;
  if (g_mkdir_with_parents (fig_dir, 0755) != 0)
    {
      g_set_error (&error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder", fig_dir);
      goto out;
    }
  if (!write_figure1 (res, fig_path, &error))
    goto out;

  double secs = (g_get_monotonic_time () - pr.start) / 1e6;
  if (!o.quiet)
    {
      g_autofree char *table = tg_report_table1_text (res);
      out_printf ("%s\n", table);
      out_printf ("%u seed%s, %u training and %u test images per mode, %.1f s.\n", cfg.seeds,
               cfg.seeds == 1 ? "" : "s", data->train0->n, data->test0->n, secs);
      out_printf ("Wrote:\n  %s/results.csv and overlap.csv\n  %s/tables/ (Tables 1-3 as LaTeX)\n"
                  "  %s (Figure 1)\n", out_dir, out_dir, fig_path);
      if (!o.no_checkpoints)
        out_printf ("  %s/ (safetensors: foundation and every adapter)\n", ckpt_dir);
    }
  status = 0;
out:
  if (error)
    g_printerr ("taugate reproduce: %s\n", error->message);
  options_clear (&o);
  return status;
}

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

static long
peak_rss_mb (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

static int
cmd_bench (int argc, char **argv)
{
  Options o;
  options_init (&o);
  gboolean skip_full = FALSE;
  g_autofree GOptionEntry *protocol = protocol_entries (&o);
  GOptionEntry extra[] = {
    { "skip-reproduce", 0, 0, G_OPTION_ARG_NONE, &skip_full, "Only the sgemm limit and one foundation epoch", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- measure sgemm, a foundation epoch and the full reproduction");
  g_option_context_set_summary (ctx,
      "Measures this machine's sgemm rate (the limit), then times one foundation epoch and the\n"
      "whole default reproduction; prints samples/s, achieved GFLOPS and their ratio to the limit.\n"
      "All figures come from one run, so their ratios hold on a noisy shared machine.");
  g_option_context_add_main_entries (ctx, protocol, NULL);
  g_option_context_add_main_entries (ctx, extra, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate bench: %s\n", error->message);
      options_clear (&o);
      return 2;
    }
  TgExperimentConfig cfg;
  g_autoptr (TgModeData) data = NULL;
  int status = 1;
  if (!options_to_config (&o, &cfg, &error))
    goto out;

  data = load_mode_data (o.data_dir ? o.data_dir : "data/mnist", &cfg, &error);
  if (data == NULL)
    goto out;

  guint32 d0 = data->train0->dim, w = cfg.width, C = data->train0->n_classes;
  guint threads = cfg.threads ? cfg.threads : (guint) g_get_num_processors ();
  /* The protocol runs every task on one core with single-threaded sgemm: that is the limit
   * to compare with. */
  tg_set_threads (1);
  double limit_big = sgemm_gflops (1024, 1024, 1024, 1.0);
  double limit_shape = sgemm_gflops ((int) cfg.batch, (int) w, (int) d0, 0.5);
  out_printf ("sgemm limit, one core: %.1f GFLOPS (1024^3), %.1f GFLOPS at the first layer's "
              "shape %ux%ux%u\n", limit_big, limit_shape, cfg.batch, w, d0);

  /* one foundation epoch, as the protocol runs it: forward, dW of every layer, dX of all
   * but the first */
  double flops_fwd = 2.0 * ((double) d0 * w + (double) w * w + (double) w * C);
  double flops_sample = 2.0 * flops_fwd + 2.0 * ((double) w * w + (double) w * C);
  double epoch_seconds = 0.0;
  {
    guint32 widths[2] = { w, w };
    g_autoptr (TgModel) m = tg_model_new (d0, 2, widths, C, cfg.lora_rank, cfg.lora_alpha, &error);
    if (m == NULL)
      goto out;
    uint64_t rng = tg_rng_seed (0);
    tg_model_init_weights (m, &rng);
    m->method = TG_METHOD_FULL;
    TgTrainConfig tc = { .lr = cfg.lr, .momentum = cfg.momentum, .batch = cfg.batch };
    g_autoptr (TgTrainer) t = tg_trainer_new (m, &tc);
    TgSource src = { .data = data->train0, .alt = data->train_rot };
    gint64 t0 = g_get_monotonic_time ();
    if (!tg_trainer_run_epoch (t, &src, &rng, NULL, NULL, NULL, NULL, &error))
      goto out;
    epoch_seconds = (g_get_monotonic_time () - t0) / 1e6;
    double gflops = flops_sample * data->train0->n / epoch_seconds / 1e9;
    out_printf ("foundation epoch, one core: %u samples in %.3f s = %.0f samples/s, %.1f GFLOPS"
                " = %.0f%% of the 1024^3 limit, %.0f%% of the same-shape limit\n",
                data->train0->n, epoch_seconds, data->train0->n / epoch_seconds, gflops,
                100 * gflops / limit_big, 100 * gflops / limit_shape);
  }
  if (!skip_full)
    {
      /* the same protocol twice in one run: as shipped, and with the first-layer reuse off */
      double seconds[2];
      for (int pass = 0; pass < 2; pass++)
        {
          TgExperimentConfig c = cfg;
          c.no_reuse = pass == 1;
          gint64 t0 = g_get_monotonic_time ();
          g_autoptr (TgExperimentResults) res = tg_experiment_run (&c, data, NULL, NULL, NULL,
                                                                   NULL, NULL, &error);
          if (res == NULL)
            goto out;
          seconds[pass] = (g_get_monotonic_time () - t0) / 1e6;
        }
      out_printf ("full reproduction (%u seeds, %u methods + 0\u00b0 TauGate) on %u threads: "
                  "%.2f s wall = %.1f one-core foundation epochs\n",
                  cfg.seeds, (guint) TG_N_METHODS, threads, seconds[0],
                  seconds[0] / epoch_seconds);
      out_printf ("baseline, the same without reusing x W0^T: %.2f s; reuse makes it %.2fx "
                  "faster\n", seconds[1], seconds[1] / seconds[0]);
    }
  out_printf ("peak memory: %ld MB\n", peak_rss_mb ());
  status = 0;
out:
  if (error)
    g_printerr ("taugate bench: %s\n", error->message);
  options_clear (&o);
  return status;
}

/* --- inspect -------------------------------------------------------------------------- */

static int
cmd_inspect (int argc, char **argv)
{
  g_autofree char *data_dir = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, "Check a folder of IDX files instead", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[FILE.safetensors...] - check and describe files");
  g_option_context_set_summary (ctx,
      "Validates checkpoints (foundation or adapter) and IDX data folders the way the app and\n"
      "reproduce read them, and describes what is inside; exits non-zero on the first bad file.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate inspect: %s\n", error->message);
      return 2;
    }
  if (data_dir == NULL && argc < 2)
    {
      g_printerr ("taugate inspect: name a .safetensors file or --data DIR (see --help)\n");
      return 2;
    }
  if (data_dir)
    for (guint s = 0; s < 2; s++)
      {
        const char *split = s == 0 ? "train" : "t10k";
        g_autoptr (TgDataset) ds = tg_dataset_load_dir (data_dir, split, 10, &error);
        if (ds == NULL)
          {
            g_printerr ("taugate inspect: %s\n", error->message);
            return 1;
          }
        guint counts[256] = { 0 };
        for (guint32 i = 0; i < ds->n; i++)
          counts[ds->labels[i]]++;
        out_printf ("%s/%s: %u images of %ux%u, labels:", data_dir, split, ds->n, ds->rows, ds->cols);
        for (guint c = 0; c < ds->n_classes; c++)
          out_printf (" %u:%u", c, counts[c]);
        out_printf ("\n");
      }
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GHashTable) md = NULL;
      g_autoptr (GPtrArray) tensors = NULL;
      if (!tg_checkpoint_inspect (argv[i], &md, &tensors, &error))
        {
          g_printerr ("taugate inspect: %s\n", error->message);
          return 1;
        }
      const char *kind = g_hash_table_lookup (md, "kind");
      out_printf ("%s: %s checkpoint, %u tensors\n", argv[i], kind ? kind : "unknown",
                  tensors->len);
      for (guint t = 0; t < tensors->len; t++)
        out_printf ("  %s\n", (const char *) g_ptr_array_index (tensors, t));
      g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (md), (GCompareFunc) strcmp);
      for (GList *k = keys; k; k = k->next)
        out_printf ("  %s = %s\n", (const char *) k->data,
                    (const char *) g_hash_table_lookup (md, k->data));
    }
  return 0;
}

/* --- main ----------------------------------------------------------------------------- */

static void
usage (FILE *f)
{
  fprintf (f,
           "Usage: taugate COMMAND [OPTIONS]\n\n"
           "TauGate: specialise a frozen MLP to a new mode by per-neuron thresholds and gains.\n\n"
           "Commands:\n"
           "  reproduce   run the paper's protocol; write results.csv, Tables 1-3, Figure 1\n"
           "  bench       measure sgemm, a foundation epoch and the full reproduction\n"
           "  inspect     check and describe checkpoints and IDX data folders\n\n"
           "'taugate COMMAND --help' lists a command's options.\n");
}

int
main (int argc, char **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  const char *cmd = argv[1];
  argv[1] = g_strdup_printf ("taugate %s", cmd);
  int status;
  if (strcmp (cmd, "reproduce") == 0)
    status = cmd_reproduce (argc - 1, argv + 1);
  else if (strcmp (cmd, "bench") == 0)
    status = cmd_bench (argc - 1, argv + 1);
  else if (strcmp (cmd, "inspect") == 0)
    status = cmd_inspect (argc - 1, argv + 1);
  else
    {
      fprintf (stderr, "taugate: unknown command \"%s\"\n\n", cmd);
      usage (stderr);
      status = 2;
    }
  g_free (argv[1]);
  return status;
}
