/* SPDX-License-Identifier: MIT */
/* taugate-zoo.c — `taugate zoo`: many modes from one foundation. Trains a foundation per
 * seed, one adapter per angle per method from it, and writes the adapters, zoo.csv,
 * zoo_summary.csv, tables/zoo.tex, and per method the accuracy matrix and (gated methods) the
 * mode map as figures with their numbers beside. The work is the engine's (tg-zoo-run.h). */
#include "taugate-cli.h"
#include "tg-zoo-report.h"
#include "tg-plot-zoo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const outputs[] = {
  "zoo.csv", "zoo_summary.csv", "tables", "figures", "checkpoints", NULL
};

typedef struct {
  TgCliOptions  o;
  char         *angles_spec;
  int           router_epochs;
  TgCliFigure   figure;
  GArray       *angles;
} ZooArgs;

static void
zoo_args_clear (ZooArgs *a)
{
  tg_cli_options_clear (&a->o);
  g_free (a->angles_spec);
  g_clear_pointer (&a->angles, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ZooArgs, zoo_args_clear)

static void
progress_cb (guint done, guint total, const char *what, gpointer user_data)
{
  gint64 *start = user_data;
  fprintf (stderr, "\r[%u/%u] %-28s %5.1f s\033[K", done, total, what,
           (g_get_monotonic_time () - *start) / 1e6);
  if (done == total)
    fputc ('\n', stderr);
  fflush (stderr);
}

/* The protocol's options without --angle (the zoo's angles take its place). */
static GOptionContext *
zoo_options (ZooArgs *a)
{
  g_autofree GOptionEntry *protocol = tg_cli_protocol_entries (&a->o);
  g_autofree GOptionEntry *figure = tg_cli_figure_entries (&a->o);
  guint n = 0;
  for (guint i = 0; protocol[i].long_name; i++)
    {
      if (strcmp (protocol[i].long_name, "angle") == 0)
        continue;
      if (strcmp (protocol[i].long_name, "seeds") == 0)
        protocol[i].description = "Number of seeds (default 1)";
      if (strcmp (protocol[i].long_name, "foundation-angles") == 0)
        protocol[i].description = "Angles the foundation trains on, one picked per image "
                                  "uniformly, e.g. 0 or 0:90:15 (at most 36; default every "
                                  "angle of --angles)";
      protocol[n++] = protocol[i];
    }
  protocol[n] = (GOptionEntry) { NULL };
  GOptionEntry extra[] = {
    { "angles", 'a', 0, G_OPTION_ARG_STRING, &a->angles_spec, "The modes' angles: START:STOP:STEP or A,B,... in degrees, also the test angles (default 0:350:10, 36 modes)", "SPEC" },
    { "methods", 'm', 0, G_OPTION_ARG_STRING, &a->o.methods, "Comma-separated methods, one adapter per angle each (default taugate; also bitfit, lora, full, gainonly, tauonly)", "LIST" },
    { "router-epochs", 0, 0, G_OPTION_ARG_INT, &a->router_epochs, "Epochs of the K-way router (default 3; 0: no router)", "N" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &a->o.out_dir, "Output folder (default out/zoo)", "DIR" },
    { "no-checkpoints", 0, 0, G_OPTION_ARG_NONE, &a->o.no_checkpoints, "Do not write the foundation and adapters", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a->o.quiet, "No progress and no table on the terminal", NULL },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new ("- many modes from one foundation");
  g_option_context_set_summary (ctx,
      "Trains one foundation per seed on its mix of angles (default: every angle of --angles;\n"
      "--foundation-angles 0 for one that never saw a rotation), then one adapter per angle per\n"
      "method from it, and measures every mode on the test set rotated by every angle, how much\n"
      "the modes' units overlap, and choosing the mode from the input alone. Writes:\n"
      "  OUT/zoo.csv                          (method, mode angle, test angle, soft/hard accuracy)\n"
      "  OUT/zoo_summary.csv, OUT/tables/zoo.tex (own angle, routed per image and per batch of\n"
      "                                        128, cost per mode, bytes, training time)\n"
      "  OUT/figures/zoo_accuracy_METHOD.pdf  (the accuracy matrix, with .csv)\n"
      "  OUT/figures/zoo_mode_map_METHOD.pdf  (Jaccard of the units on, per layer, with .csv)\n"
      "  OUT/checkpoints/*.safetensors        (the foundation and every adapter)\n"
      "OUT is replaced in one step once everything is written; a failed or interrupted run\n"
      "leaves it as it was.");
  g_option_context_add_main_entries (ctx, protocol, NULL);
  g_option_context_add_main_entries (ctx, extra, NULL);
  g_option_context_add_main_entries (ctx, figure, NULL);
  return ctx;
}

/* Parses argv into a and cfg; 0 when the command can run, else its exit status (said). */
static int
parse_args (ZooArgs *a, TgZooConfig *cfg, int *argc, char ***argv)
{
  g_autoptr (GOptionContext) ctx = zoo_options (a);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, argc, argv, &error))
    goto bad;
  if (*argc > 1)
    {
      g_printerr ("taugate zoo: unexpected argument \"%s\" (see --help)\n", (*argv)[1]);
      return 2;
    }
  if (a->o.methods == NULL)
    a->o.methods = g_strdup ("taugate");
  a->angles = tg_angles_parse (a->angles_spec ? a->angles_spec : "0:350:10", &error);
  if (a->angles == NULL)
    {
      g_prefix_error (&error, "--angles: ");
      goto bad;
    }
  if (a->router_epochs < 0)
    {
      g_set_error (&error, TG_ERROR, TG_ERROR_INVALID, "--router-epochs must be 0 or more "
                   "(got %d)", a->router_epochs);
      goto bad;
    }
  if (!tg_cli_options_to_config (&a->o, &cfg->protocol, &error) ||
      !tg_cli_figure_setup (&a->o, &a->figure, &error))
    goto bad;
  cfg->n_angles = a->angles->len;
  cfg->angles = (const double *) a->angles->data;
  cfg->router_epochs = (guint) a->router_epochs;
  cfg->route_batch = TG_ZOO_ROUTE_BATCH;
  if (!tg_zoo_config_validate (cfg, &error))
    goto bad;
  return 0;
bad:
  g_printerr ("taugate zoo: %s\n", error->message);
  return 2;
}

/* The training and test sets, the first N of each when a limit is given; no rotated copies
 * (the zoo makes its own per angle). */
static TgModeData *
load_data (const char *dir, const char *name, TgExperimentConfig *cfg, GError **error)
{
  g_autoptr (TgDataset) train = tg_dataset_load_dir (dir, "train", 10, error);
  if (train == NULL)
    return NULL;
  g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, error);
  if (test == NULL)
    return NULL;
  if (train->dim != test->dim || train->n == 0 || test->n == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: the training and test images differ in size, or a set is empty", dir);
      return NULL;
    }
  tg_experiment_config_set_data (cfg, name, dir, train, test);
  TgModeData *data = g_new0 (TgModeData, 1);
  data->train0 = cfg->train_limit ? tg_dataset_head (train, cfg->train_limit)
                                  : g_steal_pointer (&train);
  data->test0 = cfg->test_limit ? tg_dataset_head (test, cfg->test_limit)
                                : g_steal_pointer (&test);
  return data;
}

typedef struct {
  const TgZooConfig *cfg;
  const TgModeData  *data;
  gint64            *start;
  gboolean           quiet;
} WorkArgs;

static gpointer
run_zoo (gpointer data, GCancellable *cancellable, GError **error)
{
  WorkArgs *w = data;
  return tg_zoo_run (w->cfg, w->data, w->quiet ? NULL : progress_cb, w->start, cancellable,
                     error);
}

/* --- figures --------------------------------------------------------------------------- */

static gboolean
export_with_csv (const char *path, double w, double h, TgPlotFunc func, gconstpointer d,
                 const TgPlotStyle *st, char *csv, GError **error)
{
  g_autofree char *owned = csv;
  return tg_plot_export (path, w, h, func, d, st, error) &&
         tg_plot_write_beside (path, ".csv", owned, error);
}

static gboolean
write_method_figures (const TgZooResults *res, const TgZooMethodRun *run, const char *dir,
                      const ZooArgs *a, GError **error)
{
  const char *id = tg_method_info (run->method)->id, *label = tg_method_info (run->method)->label;
  gboolean sized = a->o.figure_size != NULL;
  double fa[TG_MAX_MIX_MODES];
  guint32 nfa = tg_experiment_config_foundation_angles (&res->config.protocol, fa);
  g_autofree char *mix = tg_zoo_angles_text (fa, nfa);
  TgModeMatrixData md;
  tg_mode_matrix_data_from (&md, run->matrix, FALSE);
  g_autofree char *title = g_strdup_printf ("Accuracy matrix: %u %s modes of one foundation",
                                            run->matrix->n_modes, label);
  g_autofree char *cap = g_strdup_printf (
      "Test accuracy (soft gates) of each mode (row: the angle it was trained for) on the %u "
      "test images rotated by each angle (column); a mode's own angle is outlined. The "
      "foundation was trained on %s degrees. Hard gates are in zoo.csv.", run->matrix->n_test,
      mix);
  md.title = title;
  md.caption = cap;
  g_autofree char *path = g_strdup_printf ("%s/zoo_accuracy_%s.pdf", dir, id);
  if (!export_with_csv (path, sized ? a->figure.width : 600, sized ? a->figure.height : 560,
                        (TgPlotFunc) tg_plot_mode_matrix, &md, &a->figure.style,
                        tg_plot_mode_matrix_csv (&md), error))
    return FALSE;
  if (run->map == NULL)
    return TRUE;
  TgModeMapData mm;
  tg_mode_map_data_from (&mm, run->map);
  g_autofree char *mtitle = g_strdup_printf ("Mode map: the units %u %s modes share",
                                             run->map->n_modes, label);
  g_autofree char *mcap = g_strdup_printf (
      "Jaccard of the sets of units on (mean soft gate above %g on the mode's own test set) "
      "of every pair of modes, per hidden layer; 1 on the diagonal; grey where neither mode "
      "has a unit on (Jaccard 1 by convention, as in zoo's CSV). Modes named by the angle "
      "they were trained for.", run->map->threshold);
  mm.title = mtitle;
  mm.caption = mcap;
  g_autofree char *mpath = g_strdup_printf ("%s/zoo_mode_map_%s.pdf", dir, id);
  return export_with_csv (mpath, sized ? a->figure.width : 760, sized ? a->figure.height : 460,
                          (TgPlotFunc) tg_plot_mode_map, &mm, &a->figure.style,
                          tg_plot_mode_map_csv (&mm), error);
}

static gboolean
write_file (const char *dir, const char *name, const char *text, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder: %s", parent,
                   g_strerror (errno));
      return FALSE;
    }
  return tg_plot_write_file (path, text, strlen (text), error);
}

static gboolean
write_outputs (const TgZooResults *res, const char *dir, const ZooArgs *a, GError **error)
{
  g_autofree char *csv = tg_zoo_csv (res), *summary = tg_zoo_summary_csv (res);
  g_autofree char *tex = tg_zoo_tex (res);
  if (!write_file (dir, "zoo.csv", csv, error) ||
      !write_file (dir, "zoo_summary.csv", summary, error) ||
      !write_file (dir, "tables/zoo.tex", tex, error))
    return FALSE;
  g_autofree char *fig_dir = g_build_filename (dir, "figures", NULL);
  if (g_mkdir_with_parents (fig_dir, 0755) != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder: %s", fig_dir,
                   g_strerror (errno));
      return FALSE;
    }
  for (guint i = 0; i < res->runs->len; i++)
    {
      const TgZooMethodRun *run = g_ptr_array_index (res->runs, i);
      if (run->seed_index == 0 && !write_method_figures (res, run, fig_dir, a, error))
        return FALSE;
    }
  return TRUE;
}

int
tg_cmd_zoo (int argc, char **argv)
{
  g_auto (ZooArgs) a = { .router_epochs = 3 };
  tg_cli_options_init (&a.o);
  a.o.seeds = 1;
  TgZooConfig cfg = { 0 };
  int status = parse_args (&a, &cfg, &argc, &argv);
  if (status != 0)
    return status;
  status = 1;
  const char *out_dir = a.o.out_dir ? a.o.out_dir : "out/zoo";
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TgModeData) data = NULL;
  g_autoptr (TgCliInterrupt) interrupt = NULL;
  g_autoptr (TgCliOutput) output = NULL;
  g_autoptr (TgZooResults) res = NULL;
  g_autofree char *ckpt = NULL;
  data = load_data (a.o.data_dir ? a.o.data_dir : "data/mnist", a.o.data_name, &cfg.protocol,
                    &error);
  if (data == NULL)
    goto out;
  interrupt = tg_cli_interrupt_new ();
  output = tg_cli_output_begin (out_dir, &error);
  if (output == NULL)
    goto out;
  ckpt = g_build_filename (tg_cli_output_staging (output), "checkpoints", NULL);
  cfg.checkpoint_dir = a.o.no_checkpoints ? NULL : ckpt;
  WorkArgs w = { .cfg = &cfg, .data = data, .start = &start,
                 .quiet = a.o.quiet || !isatty (STDERR_FILENO) };
  res = tg_cli_interrupt_run (interrupt, run_zoo, &w, &error);
  if (res == NULL || !write_outputs (res, tg_cli_output_staging (output), &a, &error) ||
      !tg_cli_interrupt_check (interrupt, &error) ||
      !tg_cli_output_commit (output, outputs, &error))
    goto out;
  status = 0;
  if (!a.o.quiet)
    {
      g_autofree char *text = tg_zoo_text (res);
      tg_cli_printf ("%s%u modes per method, %u training and %u test images, %u seed%s, "
                     "%.1f s.\nWrote %s/zoo.csv, zoo_summary.csv, tables/zoo.tex, figures/%s\n",
                     text, cfg.n_angles, data->train0->n, data->test0->n, res->seeds,
                     res->seeds == 1 ? "" : "s", (g_get_monotonic_time () - start) / 1e6,
                     out_dir, a.o.no_checkpoints ? "" : " and checkpoints/");
    }
out:
  if (status != 0 && interrupt != NULL && tg_cli_interrupt_signal (interrupt) != 0)
    {
      g_clear_error (&error);
      tg_cli_interrupt_check (interrupt, &error);
      g_printerr ("taugate zoo: %s: stopped; %s is left as it was\n", error->message, out_dir);
      return 128 + tg_cli_interrupt_signal (interrupt);
    }
  if (error)
    g_printerr ("taugate zoo: %s\n", error->message);
  return status;
}
