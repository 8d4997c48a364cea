/* taugate-sweep.c — `taugate sweep`: TauGate over lists of lambda and s (and seeds) from one
 * foundation per seed; writes sweep.csv, tables/taugate_sweep.tex and
 * figures/taugate_sparsity.pdf (the accuracy / sparsity / speed frontier). */
#include "taugate-cli.h"
#include "config.h"

#include <glib/gi18n.h>
#include "tg-report.h"
#include "tg-plot.h"
#include "tg-sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* "0,1e-4,3e-4" -> values; FALSE with an error naming the option and the bad item. */
static gboolean
parse_list (const char *option, const char *text, GArray *out, GError **error)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]), *end = NULL;
      double v = g_ascii_strtod (item, &end);
      if (*item == '\0' || end == NULL || *end != '\0' || !isfinite (v))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "--%s: \"%s\" is not a number (expected a comma-separated list such as "
                       "0,1e-4,3e-4)", option, item);
          return FALSE;
        }
      g_array_append_val (out, v);
    }
  if (out->len == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "--%s: the list is empty", option);
      return FALSE;
    }
  return TRUE;
}

static void
progress_cb (guint done, guint total, const char *what, gpointer user_data)
{
  fprintf (stderr, "\r[%u/%u] %s\033[K", done, total, what);
  if (done == total)
    fputc ('\n', stderr);
}

/* One TgSparsityPoint per (lambda, s): mean and std over the seeds. */
static GArray *
frontier_points (const TgSweepResults *res)
{
  const TgSweepConfig *cfg = &res->config;
  guint seeds = cfg->protocol.seeds, L = cfg->protocol.n_hidden;
  GArray *out = g_array_new (FALSE, TRUE, sizeof (TgSparsityPoint));
  g_autofree double *on = g_new (double, seeds), *acc = g_new (double, seeds);
  g_autofree double *gap = g_new (double, seeds), *speed = g_new (double, seeds);
  for (guint k = 0; k < res->points->len; k += seeds)
    {
      TgSparsityPoint sp = { 0 };
      for (guint j = 0; j < seeds; j++)
        {
          const TgSweepPoint *p = &g_array_index (res->points, TgSweepPoint, k + j);
          sp.lambda = p->lambda;
          sp.sharpness = p->sharpness;
          on[j] = 0.0;
          for (guint l = 0; l < L; l++)
            on[j] += p->on_frac[l] / L;
          acc[j] = p->acc_rot_hard;
          gap[j] = p->acc_rot_soft - p->acc_rot_hard;
          speed[j] = p->speedup;
        }
      double unused;
      tg_mean_std (on, seeds, &sp.on_frac, &sp.on_frac_std);
      tg_mean_std (acc, seeds, &sp.acc, &sp.acc_std);
      tg_mean_std (gap, seeds, &sp.gap, &sp.gap_std);
      tg_mean_std (speed, seeds, &sp.speedup, &unused);
      g_array_append_val (out, sp);
    }
  return out;
}

static gboolean
write_outputs (const TgSweepResults *res, const char *out_dir, const TgCliFigure *fig,
               GError **error)
{
  g_autofree char *tables = g_build_filename (out_dir, "tables", NULL);
  g_autofree char *figures = g_build_filename (out_dir, "figures", NULL);
  const char *dirs[] = { tables, figures };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (g_mkdir_with_parents (dirs[i], 0755) != 0)
      {
        g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder: %s", dirs[i],
                     g_strerror (errno));
        return FALSE;
      }
  g_autofree char *csv = tg_sweep_csv (res), *tex = tg_sweep_latex (res);
  g_autofree char *csv_path = g_build_filename (out_dir, "sweep.csv", NULL);
  g_autofree char *tex_path = g_build_filename (tables, "taugate_sweep.tex", NULL);
  g_autofree char *pdf_path = g_build_filename (figures, "taugate_sparsity.pdf", NULL);
  /* the figure's numbers beside it: the sweep's rows are exactly the points drawn */
  g_autofree char *fig_csv_path = g_build_filename (figures, "taugate_sparsity.csv", NULL);
  if (!g_file_set_contents (csv_path, csv, -1, error) ||
      !g_file_set_contents (fig_csv_path, csv, -1, error) ||
      !g_file_set_contents (tex_path, tex, -1, error))
    return FALSE;

  g_autoptr (GArray) pts = frontier_points (res);
  const TgSweepConfig *cfg = &res->config;
  g_autofree char *acc_label = g_strdup_printf ("accuracy at %g°, hard gates",
                                                cfg->protocol.angle);
  g_autofree char *caption = g_strdup_printf (
      "Left: TauGate specialised to %g° for each sparsity penalty λ and sharpness s from the "
      "same foundation; mean ± std over %u seed%s; label: λ and the measured batch-1 speedup "
      "of the sparse forward over the dense one (sgemv, one core). Right: accuracy lost at "
      "%g° by evaluating with hard gates 1[z > τ] instead of the soft ones.",
      cfg->protocol.angle, cfg->protocol.seeds, cfg->protocol.seeds == 1 ? "" : "s",
      cfg->protocol.angle);
  TgSparsityData data = { .n_points = pts->len, .points = (const TgSparsityPoint *) pts->data,
                          .acc_label = acc_label, .caption = caption };
  return tg_plot_export (pdf_path, fig->width, fig->height, (TgPlotFunc) tg_plot_sparsity, &data,
                         &fig->style, error);
}

/* The protocol's options without its single --lambda and --sharpness, which give way to the
 * lists; a zero-terminated array of GOptionEntry. */
static GArray *
protocol_without_single_values (const GOptionEntry *protocol)
{
  GArray *entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  for (guint i = 0; protocol[i].long_name != NULL; i++)
    if (strcmp (protocol[i].long_name, "lambda") != 0 &&
        strcmp (protocol[i].long_name, "sharpness") != 0)
      g_array_append_val (entries, protocol[i]);
  return entries;
}

/* Checks the lists and the timing and fills sc; sc points into lv and sv. */
static gboolean
sweep_config (const TgCliOptions *o, const char *lambdas, const char *sharpness, int timing,
              GArray *lv, GArray *sv, TgSweepConfig *sc, GError **error)
{
  if (!parse_list ("lambda", lambdas ? lambdas : "0,0.01,0.1,0.3,1,3", lv, error) ||
      !parse_list ("sharpness", sharpness ? sharpness : "2,5,20", sv, error))
    return FALSE;
  if (timing < 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "--timing-images must not be negative");
      return FALSE;
    }
  if (!tg_cli_options_to_config (o, &sc->protocol, error))
    return FALSE;
  sc->lambdas = (const double *) lv->data;
  sc->n_lambdas = lv->len;
  sc->sharpness = (const double *) sv->data;
  sc->n_sharpness = sv->len;
  sc->timing_images = (guint32) timing;
  return TRUE;
}

int
tg_cmd_sweep (int argc, char **argv)
{
  TgCliOptions o;
  tg_cli_options_init (&o);
  g_autofree char *lambdas = NULL, *sharpness = NULL;
  int timing = 2000;
  g_autofree GOptionEntry *protocol = tg_cli_protocol_entries (&o);
  GArray *entries = protocol_without_single_values (protocol);
  g_autofree GOptionEntry *figure = tg_cli_figure_entries (&o);
  GOptionEntry extra[] = {
    { "lambda", 0, 0, G_OPTION_ARG_STRING, &lambdas, N_("Sparsity penalties, comma-separated (default 0,0.01,0.1,0.3,1,3; below 0.01 one epoch barely moves the gates)"), "L,L,..." },
    { "sharpness", 's', 0, G_OPTION_ARG_STRING, &sharpness, N_("Gate sharpness values, comma-separated (default 2,5,20)"), "S,S,..." },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out_dir, N_("Output folder (default out)"), "DIR" },
    { "timing-images", 0, 0, G_OPTION_ARG_INT, &timing, N_("Target test images timed per setting for the speedup; 0: no timing (default 2000)"), "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, N_("No progress on the terminal"), NULL },
  };
  g_array_append_vals (entries, extra, G_N_ELEMENTS (extra));
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("- TauGate over lambda and s"));
  g_option_context_set_summary (ctx,
      N_("Trains TauGate for each (lambda, s, seed) from one foundation per seed and writes\n"
      "sweep.csv, tables/taugate_sweep.tex and figures/taugate_sparsity.pdf (its numbers in\n"
      "figures/taugate_sparsity.csv): accuracy against the fraction of units on, with the\n"
      "measured batch-1 speedup of the sparse forward."));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, (GOptionEntry *) entries->data, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, figure, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  TgCliFigure fig;
  g_autoptr (GArray) lv = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) sv = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (TgModeData) data = NULL;
  g_autoptr (TgSweepResults) res = NULL;
  TgSweepConfig sc = { 0 };
  int status = 1;

  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate sweep: %s\n", error->message);
      status = 2;
      goto out;
    }
  if (argc > 1)
    {
      g_set_error (&error, TG_ERROR, TG_ERROR_INVALID, "unexpected argument \"%s\"", argv[1]);
      goto out;
    }
  if (!tg_cli_figure_setup (&o, &fig, &error))
    {
      g_printerr ("taugate sweep: %s\n", error->message);
      status = 2;
      goto out;
    }
  if (!sweep_config (&o, lambdas, sharpness, timing, lv, sv, &sc, &error))
    goto out;
  if (o.figure_size == NULL)
    {
      fig.width = 760;
      fig.height = 420;
    }
  data = tg_cli_load_mode_data (o.data_dir ? o.data_dir : "data/mnist", o.data_name, &sc.protocol, NULL, &error);
  if (data == NULL)
    goto out;
  res = tg_sweep_run (&sc, data, o.quiet || !isatty (STDERR_FILENO) ? NULL : progress_cb, NULL,
                      NULL, &error);
  if (res == NULL)
    goto out;
  const char *out_dir = o.out_dir ? o.out_dir : "out";
  if (!write_outputs (res, out_dir, &fig, &error))
    goto out;
  if (!o.quiet)
    tg_cli_printf ("wrote %s/sweep.csv, %s/tables/taugate_sweep.tex, "
                   "%s/figures/taugate_sparsity.pdf\n", out_dir, out_dir, out_dir);
  status = 0;
out:
  if (error != NULL && status != 2)
    g_printerr ("taugate sweep: %s\n", error->message);
  g_array_free (entries, TRUE);
  tg_cli_options_clear (&o);
  return status;
}
