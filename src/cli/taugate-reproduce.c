/* taugate-reproduce.c — `taugate reproduce`: the paper's protocol, its tables, Figure 1 and
 * checkpoints. */
#include "taugate-cli.h"
#include "tg-report.h"
#include "tg-plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
write_figure1 (const TgExperimentResults *res, const char *path, const TgCliFigure *fig,
               GError **error)
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
  return tg_plot_bars_export (path, fig->width, fig->height, &bars, &fig->style, error);
}

/* --- reproduce ------------------------------------------------------------------------ */

int
tg_cmd_reproduce (int argc, char **argv)
{
  TgCliOptions o;
  tg_cli_options_init (&o);
  g_autofree GOptionEntry *protocol = tg_cli_protocol_entries (&o);
  g_autofree GOptionEntry *figure = tg_cli_figure_entries (&o);
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
      "  OUT/figures/mnist_rotation_accuracy.pdf   (Figure 1, with .csv, .tex, -pgfplots.tex)\n"
      "  OUT/checkpoints/*.safetensors             (foundation and every adapter)");
  g_option_context_add_main_entries (ctx, protocol, NULL);
  g_option_context_add_main_entries (ctx, extra, NULL);
  g_option_context_add_main_entries (ctx, figure, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate reproduce: %s\n", error->message);
      tg_cli_options_clear (&o);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("taugate reproduce: unexpected argument \"%s\" (see --help)\n", argv[1]);
      tg_cli_options_clear (&o);
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

  TgCliFigure fig;
  if (!tg_cli_options_to_config (&o, &cfg, &error) || !tg_cli_figure_setup (&o, &fig, &error))
    goto out;

  data = tg_cli_load_mode_data (data_dir, &cfg, &error);
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
  if (!write_figure1 (res, fig_path, &fig, &error))
    goto out;

  double secs = (g_get_monotonic_time () - pr.start) / 1e6;
  if (!o.quiet)
    {
      g_autofree char *table = tg_report_table1_text (res);
      tg_cli_printf ("%s\n", table);
      tg_cli_printf ("%u seed%s, %u training and %u test images per mode, %.1f s.\n", cfg.seeds,
               cfg.seeds == 1 ? "" : "s", data->train0->n, data->test0->n, secs);
      tg_cli_printf ("Wrote:\n  %s/results.csv and overlap.csv\n  %s/tables/ (Tables 1-3 as LaTeX)\n"
                  "  %s (Figure 1)\n", out_dir, out_dir, fig_path);
      if (!o.no_checkpoints)
        tg_cli_printf ("  %s/ (safetensors: foundation and every adapter)\n", ckpt_dir);
    }
  status = 0;
out:
  if (error)
    g_printerr ("taugate reproduce: %s\n", error->message);
  tg_cli_options_clear (&o);
  return status;
}

