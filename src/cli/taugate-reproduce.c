/* taugate-reproduce.c — `taugate reproduce`: the paper's protocol, its tables, Figure 1 and
 * checkpoints. */
#include "taugate-cli.h"
#include "config.h"

#include <glib/gi18n.h>
#include "tg-report.h"
#include "tg-plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FIGURE1_FILE "mnist_rotation_accuracy.pdf"

/* Everything reproduce writes under --out: replaced as a whole by each run. */
static const char *const outputs[] = {
  "results.csv", "overlap.csv", "tables", "figures", "checkpoints", NULL
};

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

/* --- outputs -------------------------------------------------------------------------- */

/* results.csv, overlap.csv, the tables and Figure 1 under dir. */
static gboolean
write_outputs (const TgExperimentResults *res, const char *dir, const TgCliFigure *fig,
               GError **error)
{
  if (!tg_report_write_all (res, dir, error))
    return FALSE;
  g_autofree char *fig_dir = g_build_filename (dir, "figures", NULL);
  if (g_mkdir_with_parents (fig_dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, _("%s: cannot create the folder: %s"), fig_dir,
                   g_strerror (e));
      return FALSE;
    }
  g_autofree char *fig_path = g_build_filename (fig_dir, FIGURE1_FILE, NULL);
  return tg_plot_figure1_export (res, fig_path, fig->width, fig->height, &fig->style, error);
}

/* What the run is about to do and the memory it needs, before it starts. */
static void
print_plan (const TgExperimentConfig *cfg, const TgModeData *data, const char *data_dir,
            guint64 memory)
{
  g_autofree char *need = tg_format_memory (memory);
  g_autofree char *have = tg_format_memory (tg_physical_memory_bytes ());
  g_printerr (_("%s (%s): %u training and %u test images per mode; needs about %s of "
              "memory, the machine has %s\n"), cfg->data_name, data_dir, data->train0->n,
              data->test0->n, need, have);
}

static void
print_summary (const TgExperimentResults *res, const TgModeData *data, const char *out_dir,
               gboolean checkpoints, double secs)
{
  const TgExperimentConfig *cfg = &res->config;
  g_autofree char *table = tg_report_table1_text (res);
  g_autofree char *fig_path = g_build_filename (out_dir, "figures", FIGURE1_FILE, NULL);
  tg_cli_printf ("%s\n", table);
  tg_cli_printf (ngettext ("%u seed, %u training and %u test images per mode, %.1f s.\n",
                           "%u seeds, %u training and %u test images per mode, %.1f s.\n",
                           cfg->seeds), cfg->seeds, data->train0->n, data->test0->n, secs);
  tg_cli_printf (_("Wrote:\n  %s/results.csv and overlap.csv\n  %s/tables/ (Tables 1-3 as LaTeX)\n"
                 "  %s (Figure 1)\n"), out_dir, out_dir, fig_path);
  if (checkpoints)
    tg_cli_printf (_("  %s/checkpoints/ (safetensors: foundation and every adapter)\n"), out_dir);
}

/* --- reproduce ------------------------------------------------------------------------ */

/* What the experiment's thread needs (see tg_cli_interrupt_run). */
typedef struct {
  const TgExperimentConfig *cfg;
  const TgModeData         *data;
  const char               *foundation, *checkpoint_dir;
  Progress                 *progress;
} ExperimentArgs;

static gpointer
run_experiment (gpointer data, GCancellable *cancellable, GError **error)
{
  ExperimentArgs *a = data;
  return tg_experiment_run (a->cfg, a->data, a->foundation, a->checkpoint_dir, show_progress,
                            a->progress, cancellable, error);
}

/* An interrupted run's exit status and message, whatever stopped it: 128 + the signal's
 * number, as a shell reports a process the signal killed. */
static int
report_interrupt (TgCliInterrupt *interrupt, const Progress *pr, const char *out_dir)
{
  g_autoptr (GError) error = NULL;
  tg_cli_interrupt_check (interrupt, &error);
  if (pr->tty)
    g_printerr ("\n");
  g_printerr (_("taugate reproduce: %s: stopped; %s is left as it was\n"), error->message, out_dir);
  return 128 + tg_cli_interrupt_signal (interrupt);
}

/* reproduce's options, bound to o: the protocol's and its own. */
static GOptionContext *
reproduce_options (TgCliOptions *o)
{
  g_autofree GOptionEntry *protocol = tg_cli_protocol_entries (o);
  g_autofree GOptionEntry *figure = tg_cli_figure_entries (o);
  GOptionEntry extra[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out_dir, N_("Output folder (default out)"), "DIR" },
    { "foundation", 'f', 0, G_OPTION_ARG_FILENAME, &o->foundation,
      N_("Load the pretrained weights from FILE if it exists, else train and save them there "
      "(seed i > 0 uses FILE's name with -seed<i> before the extension)"), "FILE" },
    { "methods", 'm', 0, G_OPTION_ARG_STRING, &o->methods,
      N_("Comma-separated methods (default all: frozen,bitfit,taugate,gainonly,tauonly,lora,full)"), "LIST" },
    { "no-overlap", 0, 0, G_OPTION_ARG_NONE, &o->no_overlap, N_("Skip the 0° TauGate and Table 3"), NULL },
    { "no-checkpoints", 0, 0, G_OPTION_ARG_NONE, &o->no_checkpoints, N_("Do not write checkpoints"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, N_("No progress and no table on the terminal"), NULL },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new (N_("- reproduce the paper's Tables 1-3 and Figure 1"));
  g_option_context_set_summary (ctx,
      N_("Pretrains a 784-W-W-10 MLP on a 50/50 mix of MNIST and MNIST rotated by --angle (or the\n"
      "--foundation-angles mix), freezes it,\n"
      "specialises it to the rotated mode with Frozen, BitFit, TauGate, GainOnly, TauOnly, LoRA r=8\n"
      "and full fine-tuning over several seeds, and writes:\n"
      "  OUT/results.csv, OUT/overlap.csv\n"
      "  OUT/tables/mnist_rotation_results.tex     (Table 1)\n"
      "  OUT/tables/mnist_rotation_ablations.tex   (Table 2)\n"
      "  OUT/tables/taugate_overlap.tex            (Table 3)\n"
      "  OUT/figures/mnist_rotation_accuracy.pdf   (Figure 1, with .csv, .tex, -pgfplots.tex)\n"
      "  OUT/checkpoints/*.safetensors             (foundation and every adapter)\n"
      "The outputs are written into a fresh folder beside OUT, which takes OUT's place in one\n"
      "step once everything is written (your own files in OUT go along): a run that fails, or\n"
      "is killed at any moment, leaves OUT as it was.\n\n"
      "Exit status: 0 done; 1 an error; 2 bad usage; 3 training collapsed (its final loss is\n"
      "far above a uniform guess: lower --lr), the outputs are written and say which runs;\n"
      "130 interrupted by Ctrl-C (143 by SIGTERM), OUT is left as it was."));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, protocol, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, extra, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, figure, GETTEXT_PACKAGE);
  return ctx;
}

int
tg_cmd_reproduce (int argc, char **argv)
{
  TgCliOptions o;
  tg_cli_options_init (&o);
  g_autoptr (GOptionContext) ctx = reproduce_options (&o);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate reproduce: %s\n", error->message);
      tg_cli_options_clear (&o);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr (_("taugate reproduce: unexpected argument \"%s\" (see --help)\n"), argv[1]);
      tg_cli_options_clear (&o);
      return 2;
    }

  TgExperimentConfig cfg;
  int status = 1;
  guint64 memory = 0;
  const char *data_dir = o.data_dir ? o.data_dir : "data/mnist";
  const char *out_dir = o.out_dir ? o.out_dir : "out";
  g_autoptr (TgModeData) data = NULL;
  g_autoptr (TgCliInterrupt) interrupt = NULL;  /* freed after output: a signal then kills */
  g_autoptr (TgCliOutput) output = NULL;
  g_autofree char *ckpt_dir = NULL;
  g_autoptr (TgExperimentResults) res = NULL;
  Progress pr = { .tty = !o.quiet && isatty (STDERR_FILENO), .start = g_get_monotonic_time () };

  TgCliFigure fig;
  if (!tg_cli_options_to_config (&o, &cfg, &error) || !tg_cli_figure_setup (&o, &fig, &error))
    goto out;
  data = tg_cli_load_mode_data (data_dir, o.data_name, &cfg, &memory, &error);
  if (data == NULL)
    goto out;
  if (!o.quiet)
    print_plan (&cfg, data, data_dir, memory);
  /* the output folder is made and checked before the work, and written all or nothing:
   * from here on Ctrl-C stops the work, and the staging folder goes */
  interrupt = tg_cli_interrupt_new ();
  output = tg_cli_output_begin (out_dir, &error);
  if (output == NULL)
    goto out;
  if (o.foundation != NULL && !g_file_test (o.foundation, G_FILE_TEST_EXISTS))
    {
      /* it is saved there once trained: its folder is checked before */
      g_autofree char *found_dir = g_path_get_dirname (o.foundation);
      if (!tg_cli_check_writable (found_dir, "the --foundation weights", &error))
        goto out;
    }
  ckpt_dir = g_build_filename (tg_cli_output_staging (output), "checkpoints", NULL);
  ExperimentArgs args = { .cfg = &cfg, .data = data, .foundation = o.foundation,
                          .checkpoint_dir = o.no_checkpoints ? NULL : ckpt_dir, .progress = &pr };
  res = tg_cli_interrupt_run (interrupt, run_experiment, &args, &error);
  if (res == NULL || !write_outputs (res, tg_cli_output_staging (output), &fig, &error) ||
      !tg_cli_interrupt_check (interrupt, &error) ||
      !tg_cli_output_commit (output, outputs, &error))
    goto out;
  /* a collapse leaves complete outputs (marked in Table 1's text) and a non-zero exit */
  status = tg_experiment_results_check_collapse (res, NULL, &error) ? 0 : 3;
  if (!o.quiet)
    print_summary (res, data, out_dir, !o.no_checkpoints,
                   (g_get_monotonic_time () - pr.start) / 1e6);
out:
  /* not committed because of a signal: say so, whatever failed on the way */
  if (status != 0 && interrupt != NULL && tg_cli_interrupt_signal (interrupt) != 0)
    {
      g_clear_error (&error);
      status = report_interrupt (interrupt, &pr, out_dir);
    }
  if (error)
    g_printerr ("taugate reproduce: %s\n", error->message);
  tg_cli_options_clear (&o);
  return status;
}

