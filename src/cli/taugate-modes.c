/* taugate-modes.c — `taugate modes FOUNDATION ADAPTER...`: one foundation, its adapters as
 * modes; each mode's accuracy across rotations of the test set, and the mixed stream where a
 * mode is chosen per input (Auto by entropy, Auto by router) beside Base, each adapter and an
 * Oracle. Writes modes.csv, mixed.csv, tables/modes.tex, figures/modes_by_angle.pdf and its
 * numbers, figures/modes_by_angle.csv. */
#include "taugate-cli.h"
#include "config.h"

#include <glib/gi18n.h>
#include "tg-digest.h"
#include "tg-modes-report.h"
#include "tg-plot.h"

#include <errno.h>
#include <math.h>

static gboolean
write_figure (const TgModes *modes, const TgAngleSweep *sw, guint32 n_test, const char *path,
              const TgCliFigure *fig, GError **error)
{
  g_autofree const char **names = g_new0 (const char *, sw->n_modes);
  g_autofree double *targets = g_new0 (double, sw->n_modes);
  for (guint m = 0; m < sw->n_modes; m++)
    {
      names[m] = tg_modes_get (modes, m)->name;
      targets[m] = tg_modes_get (modes, m)->target_angle;
    }
  g_autofree char *caption = g_strdup_printf (
      "Test accuracy of each mode on the %u test images rotated counter-clockwise by each "
      "angle: soft gates solid, hard gates 1[z > τ] dashed where they differ. Base is the "
      "frozen foundation alone; a diamond marks the angle each adapter was trained for.",
      n_test);
  TgModesByAngleData d = {
    .n_modes = sw->n_modes, .n_angles = sw->n_angles, .names = names,
    .target_angles = targets, .angles = sw->angles, .acc = sw->acc_soft,
    .acc_hard = sw->acc_hard, .caption = caption,
  };
  if (!tg_plot_export (path, fig->width, fig->height, (TgPlotFunc) tg_plot_modes_by_angle, &d,
                       &fig->style, error))
    return FALSE;
  /* the numbers drawn, beside the figure as beside every other one */
  g_autofree char *csv = tg_plot_modes_by_angle_csv (&d);
  return tg_plot_write_beside (path, ".csv", csv, error);
}

/* The training and test sets, the first N of each when a limit is given. */
static gboolean
load_sets (const char *dir, int train_limit, int test_limit, TgDataset **train,
           TgDataset **test, GError **error)
{
  g_autoptr(TgDataset) tr = tg_dataset_load_dir (dir, "train", 10, error);
  if (tr == NULL)
    return FALSE;
  g_autoptr(TgDataset) te = tg_dataset_load_dir (dir, "t10k", 10, error);
  if (te == NULL)
    return FALSE;
  *train = train_limit > 0 ? tg_dataset_head (tr, (guint32) train_limit) : g_steal_pointer (&tr);
  *test = test_limit > 0 ? tg_dataset_head (te, (guint32) test_limit) : g_steal_pointer (&te);
  return TRUE;
}

/* The foundation with each adapter attached as a mode; a foundation mismatch says how to
 * attach anyway. */
static TgModes *
load_modes (const char *foundation, char **adapters, int n_adapters, gboolean check,
            GError **error)
{
  g_autoptr(TgModes) modes = tg_modes_new_from_file (foundation, error);
  if (modes == NULL)
    return NULL;
  for (int i = 0; i < n_adapters; i++)
    if (tg_modes_attach_file (modes, adapters[i], check, error) == 0)
      {
        if (g_error_matches (*error, TG_FOUNDATION_ERROR, TG_FOUNDATION_ERROR_MISMATCH))
          {
            g_autofree char *msg = g_strdup_printf ("%s; --no-foundation-check attaches it "
                                                    "anyway", (*error)->message);
            g_free ((*error)->message);
            (*error)->message = g_steal_pointer (&msg);
          }
        return NULL;
      }
  return g_steal_pointer (&modes);
}

/* The tables under out and the figure at fig. */
static gboolean
write_outputs (const TgModes *modes, const TgAngleSweep *sweep, const TgMixedResult *mixed,
               guint32 n_test, const char *out, const char *fig, const TgCliFigure *figure,
               GError **error)
{
  if (!tg_modes_write_all (modes, sweep, mixed, out, error))
    return FALSE;
  g_autofree char *fig_dir = g_path_get_dirname (fig);
  if (g_mkdir_with_parents (fig_dir, 0755) != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder: %s", fig_dir,
                   g_strerror (errno));
      return FALSE;
    }
  return write_figure (modes, sweep, n_test, fig, figure, error);
}

/* The counts of the command line; says what is wrong on stderr. */
static gboolean
check_args (int argc, int train_limit, int test_limit, int router_epochs, gint64 seed)
{
  if (argc < 3)
    {
      g_printerr ("taugate modes: give a foundation and at least one adapter (see --help)\n");
      return FALSE;
    }
  if (train_limit < 0 || test_limit < 0 || router_epochs < 1 || seed < 0)
    {
      g_printerr ("taugate modes: limits and --seed must not be negative, --router-epochs at "
                  "least 1\n");
      return FALSE;
    }
  return TRUE;
}

/* The command line, parsed. */
typedef struct {
  char        *data_dir, *out_dir, *angles_spec;
  int          train_limit, test_limit, router_epochs;
  gint64       seed;
  gboolean     no_check, quiet;
  TgCliOptions figure_options;
  TgCliFigure  figure;
  GArray      *angles;
} ModesArgs;

static void
modes_args_clear (ModesArgs *a)
{
  g_free (a->data_dir);
  g_free (a->out_dir);
  g_free (a->angles_spec);
  tg_cli_options_clear (&a->figure_options);
  g_clear_pointer (&a->angles, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ModesArgs, modes_args_clear)

/* Parses argv into a; 0 when the command can run, else its exit status (said on stderr). */
static int
parse_args (ModesArgs *a, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &a->data_dir, N_("Folder with the IDX files (default data/mnist)"), "DIR" },
    { "angles", 'a', 0, G_OPTION_ARG_STRING, &a->angles_spec, N_("Rotations of the test set: START:STOP:STEP or A,B,... in degrees (default 0:180:15)"), "SPEC" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &a->out_dir, N_("Output folder (default out/modes)"), "DIR" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &a->seed, N_("Seed of the mixed stream and the router (default 0)"), "SEED" },
    { "router-epochs", 0, 0, G_OPTION_ARG_INT, &a->router_epochs, N_("Epochs of router training (default 3)"), "N" },
    { "train-limit", 0, 0, G_OPTION_ARG_INT, &a->train_limit, N_("Train the router on the first N training images only"), "N" },
    { "test-limit", 0, 0, G_OPTION_ARG_INT, &a->test_limit, N_("Use only the first N test images"), "N" },
    { "no-foundation-check", 0, 0, G_OPTION_ARG_NONE, &a->no_check, N_("Attach adapters even when they record another foundation's digest"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a->quiet, N_("Print nothing but errors"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (N_("FOUNDATION ADAPTER... - compare and switch modes"));
  g_option_context_set_summary (ctx,
      N_("Puts the adapters on one foundation as modes (Base = the foundation alone) and measures\n"
      "each mode across rotations of the test set, then a stream mixing the adapters' modes in\n"
      "equal parts, where Auto modes choose an adapter per input. Writes:\n"
      "  OUT/modes.csv                  (mode x angle accuracy, soft and hard gates)\n"
      "  OUT/mixed.csv                  (the mixed-stream table; two adapters of different angles)\n"
      "  OUT/tables/modes.tex           (both tables as LaTeX)\n"
      "  OUT/figures/modes_by_angle.pdf (a curve per mode, training angles marked; its numbers\n"
      "                                  in figures/modes_by_angle.csv)"));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_autofree GOptionEntry *figure_entries = tg_cli_figure_entries (&a->figure_options);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, figure_entries, GETTEXT_PACKAGE);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, argc, argv, &error)
      || !tg_cli_figure_setup (&a->figure_options, &a->figure, &error))
    {
      g_printerr ("taugate modes: %s\n", error->message);
      return 2;
    }
  if (a->figure_options.figure_size == NULL)
    {
      a->figure.width = 640;
      a->figure.height = 420;
    }
  if (!check_args (*argc, a->train_limit, a->test_limit, a->router_epochs, a->seed))
    return 2;
  a->angles = tg_angles_parse (a->angles_spec ? a->angles_spec : "0:180:15", &error);
  if (a->angles == NULL)
    {
      g_printerr ("taugate modes: --%s\n", error->message);
      return 2;
    }
  return 0;
}

int
tg_cmd_modes (int argc, char **argv)
{
  g_auto(ModesArgs) a = { .router_epochs = 3 };
  tg_cli_options_init (&a.figure_options);
  int status = parse_args (&a, &argc, &argv);
  if (status != 0)
    return status;
  const char *out = a.out_dir ? a.out_dir : "out/modes";

  g_autoptr(GError) error = NULL;
  g_autoptr(TgModes) modes = load_modes (argv[1], argv + 2, argc - 2, !a.no_check, &error);
  g_autoptr(TgDataset) train = NULL, test = NULL;
  if (modes == NULL
      || !load_sets (a.data_dir ? a.data_dir : "data/mnist", a.train_limit, a.test_limit,
                     &train, &test, &error))
    {
      g_printerr ("taugate modes: %s\n", error->message);
      return 1;
    }

  g_autoptr(TgAngleSweep) sweep = tg_modes_sweep (modes, test, (double *) a.angles->data,
                                                  a.angles->len, NULL, &error);
  g_autoptr(TgMixedResult) mixed = NULL;
  g_autoptr(GError) mixed_error = NULL;
  if (sweep != NULL)
    mixed = tg_modes_mixed_stream (modes, train, test, (guint) a.router_epochs,
                                   (guint64) a.seed, NULL, &mixed_error);
  g_autofree char *fig = g_build_filename (out, "figures", "modes_by_angle.pdf", NULL);
  if (sweep == NULL
      || !write_outputs (modes, sweep, mixed, test->n, out, fig, &a.figure, &error))
    {
      g_printerr ("taugate modes: %s\n", error->message);
      return 1;
    }
  if (!a.quiet)
    {
      g_autofree char *text = tg_modes_text (modes, sweep, mixed);
      tg_cli_printf ("%s", text);
      tg_cli_printf ("Wrote:\n  %s/modes.csv%s\n  %s/tables/modes.tex\n  %s and its .csv\n", out,
                     mixed ? " and mixed.csv" : "", out, fig);
    }
  if (mixed_error != NULL)
    g_printerr ("taugate modes: no mixed stream: %s\n", mixed_error->message);
  return 0;
}
