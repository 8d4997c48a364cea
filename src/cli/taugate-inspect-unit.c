/* taugate-inspect-unit.c — `taugate inspect-unit`: the unit inspector's figure (PDF) and its
 * numbers (CSV) for one hidden unit of a foundation, or of each adapter given with it.
 *
 * All the statistics are tg-unit.h's; this file loads, wires and writes. */
#include "taugate-cli.h"
#include "config.h"

#include <glib/gi18n.h>
#include "tg-checkpoint.h"
#include "tg-unit-figure.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char     *unit, *data_dir, *out_dir;
  double    angle;      /* NAN: from the checkpoints' metadata, else 45 */
  gboolean  hard;
  int       test_limit;
  TgCliOptions figure_options;  /* only --figure-size and --font-size */
  TgCliFigure  figure;          /* as they ask; 1100 x 760 pt without --figure-size */
} Options;

/* A metadata number, or fallback when absent or not a number. */
static double
md_number (GHashTable *md, const char *key, double fallback)
{
  const char *v = md ? g_hash_table_lookup (md, key) : NULL;
  char *end = NULL;
  double x = v ? g_ascii_strtod (v, &end) : NAN;
  return v && end && *end == '\0' && isfinite (x) ? x : fallback;
}

/* The foundation with the adapter at adapter_path (NULL: the foundation alone) loaded in;
 * md_out receives the adapter's metadata, or the foundation's. */
static TgModel *
load_model (const char *foundation_path, const char *adapter_path, GHashTable **md_out,
            GError **error)
{
  g_autoptr (GHashTable) amd = NULL;
  if (adapter_path && !tg_checkpoint_inspect (adapter_path, &amd, NULL, error))
    return NULL;
  double rank = md_number (amd, "lora_rank", 8), alpha = md_number (amd, "lora_alpha", 8);
  if (rank < 0 || rank > 4096)
    rank = 8;
  g_autoptr (GHashTable) fmd = NULL;
  g_autoptr (TgModel) m = tg_checkpoint_load_foundation (foundation_path, (guint32) rank,
                                                         (float) alpha, &fmd, error);
  if (m == NULL)
    return NULL;
  m->method = TG_METHOD_FROZEN;
  if (adapter_path && !tg_checkpoint_load_adapter (m, adapter_path, NULL, error))
    return NULL;
  GHashTable *md = adapter_path ? amd : fmd;
  *md_out = g_hash_table_ref (md);
  return g_steal_pointer (&m);
}

/* --- one model ------------------------------------------------------------------------ */

typedef struct {
  const TgDataset *test0, *test_t;
  double           angle;
} Sets;

static gboolean
inspect_one (const TgModel *m, GHashTable *md, const char *stem, TgUnitId u, const Sets *sets,
             const Options *o, GError **error)
{
  double target = md_number (md, "target_angle", NAN);
  /* the soft gates' s is the one the adapter was trained with, as its metadata says */
  double s = md_number (md, "sharpness", 5.0);
  TgForwardOpts opts = { o->hard ? TG_GATES_HARD : TG_GATES_SOFT,
                         s > 0 && s <= 1e4 ? (float) s : 5.0f };
  const char *method = tg_method_info (m->method)->label;
  g_autofree char *model_label = isnan (target)
                                   ? g_strdup_printf ("%s (%s)", method, stem)
                                   : g_strdup_printf ("%s, %g°-specialised (%s)", method, target, stem);
  g_autoptr (TgUnitFigure) f = tg_unit_figure_new (m, u, sets->test0, sets->test_t, sets->angle,
                                                   target != 0.0, &opts, model_label, error);
  if (f == NULL)
    return FALSE;
  g_autofree char *base = g_strdup_printf ("unit-%u-%u-%s", u.layer + 1, u.index, stem);
  g_autofree char *pdf = g_strconcat (base, ".pdf", NULL), *csv = g_strconcat (base, ".csv", NULL);
  g_autofree char *pdf_path = g_build_filename (o->out_dir, pdf, NULL);
  g_autofree char *csv_path = g_build_filename (o->out_dir, csv, NULL);
  if (!tg_plot_export (pdf_path, o->figure.width, o->figure.height, (TgPlotFunc) tg_plot_unit,
                       &f->data, &o->figure.style, error))
    return FALSE;
  g_autofree char *text = tg_unit_figure_csv (f);
  if (!g_file_set_contents (csv_path, text, -1, error))
    return FALSE;
  tg_cli_printf ("%s\n%s\n", pdf_path, csv_path);
  return TRUE;
}

/* --- the command ---------------------------------------------------------------------- */

static char *
stem_of (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".safetensors"))
    base[strlen (base) - strlen (".safetensors")] = '\0';
  return g_steal_pointer (&base);
}

static gboolean
load_sets (const Options *o, double angle, TgDataset **test0, TgDataset **test_t, GError **error)
{
  g_autoptr (TgDataset) test = tg_dataset_load_dir (o->data_dir, "t10k", 10, error);
  if (test == NULL)
    return FALSE;
  if (o->test_limit > 0)
    {
      TgDataset *head = tg_dataset_head (test, (guint32) o->test_limit);
      tg_dataset_free (test);
      test = head;
    }
  *test_t = tg_dataset_rotated (test, angle);
  *test0 = g_steal_pointer (&test);
  return TRUE;
}

static gboolean
run (const Options *o, int n_paths, char **paths, GError **error)
{
  g_autoptr (GHashTable) fmd = NULL;
  if (!tg_checkpoint_inspect (paths[0], &fmd, NULL, error))
    return FALSE;
  double angle = isnan (o->angle) ? md_number (fmd, "angle", 45.0) : o->angle;
  g_autoptr (TgDataset) test0 = NULL, test_t = NULL;
  if (!load_sets (o, angle, &test0, &test_t, error))
    return FALSE;
  if (g_mkdir_with_parents (o->out_dir, 0755) != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "cannot create %s: %s", o->out_dir,
                   g_strerror (errno));
      return FALSE;
    }
  Sets sets = { test0, test_t, angle };
  for (int i = n_paths > 1 ? 1 : 0; i < n_paths; i++)
    {
      g_autoptr (GHashTable) md = NULL;
      g_autoptr (TgModel) m = load_model (paths[0], i > 0 ? paths[i] : NULL, &md, error);
      if (m == NULL)
        return FALSE;
      TgUnitId u;
      g_autoptr (GError) local = NULL;
      if (!tg_unit_parse (o->unit, m, &u, &local))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "--unit: %s", local->message);
          return FALSE;
        }
      g_autofree char *stem = stem_of (paths[i]);
      if (!inspect_one (m, md, stem, u, &sets, o, error))
        return FALSE;
    }
  return TRUE;
}

int
tg_cmd_inspect_unit (int argc, char **argv)
{
  Options o = { .angle = NAN };
  tg_cli_options_init (&o.figure_options);
  g_autofree GOptionEntry *figure = tg_cli_figure_entries (&o.figure_options);
  GOptionEntry entries[] = {
    { "unit", 'u', 0, G_OPTION_ARG_STRING, &o.unit, N_("The unit: hidden layer (from 1) and unit (from 0), e.g. 1:7"), "L:J" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &o.data_dir, N_("Folder with the IDX files (default data/mnist)"), "DIR" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out_dir, N_("Folder for the PDF and CSV (created if missing)"), "DIR" },
    { "angle", 0, 0, G_OPTION_ARG_DOUBLE, &o.angle, N_("Target rotation in degrees (default: the checkpoints', else 45)"), "DEG" },
    { "hard", 0, 0, G_OPTION_ARG_NONE, &o.hard, N_("Measure with hard gates 1[z > tau] (default soft)"), NULL },
    { "test-limit", 0, 0, G_OPTION_ARG_INT, &o.test_limit, N_("Use only the first N test images (default all)"), "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx =
    g_option_context_new (N_("FOUNDATION.safetensors [ADAPTER.safetensors...] - inspect one unit"));
  g_option_context_set_summary (ctx,
      N_("Writes the unit inspector's figure (PDF) and its numbers (CSV) for one hidden unit: its\n"
      "receptive field, firing per digit at 0° and the target angle, the distribution of z − τ,\n"
      "the test images that drive it most and its near misses, and the mean change of each\n"
      "logit when it is silenced. One figure for the foundation alone, or one per adapter."));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, figure, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  int status = 0;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    status = 2;
  else if (!tg_cli_figure_setup (&o.figure_options, &o.figure, &error))
    status = 2;
  else if (argc < 2 || o.unit == NULL || o.out_dir == NULL)
    {
      g_set_error (&error, TG_ERROR, TG_ERROR_INVALID,
                   "name a foundation checkpoint, --unit L:J and --out DIR (see --help)");
      status = 2;
    }
  else if (o.test_limit < 0)
    {
      g_set_error (&error, TG_ERROR, TG_ERROR_INVALID, "--test-limit %d is negative",
                   o.test_limit);
      status = 2;
    }
  TgUnitId unused;
  g_autoptr (GError) unit_error = NULL;
  if (status == 0 && o.figure_options.figure_size == NULL)
    {
      o.figure.width = 1100;
      o.figure.height = 760;
    }
  if (status == 0 && !tg_unit_parse (o.unit, NULL, &unused, &unit_error))
    {
      g_set_error (&error, TG_ERROR, TG_ERROR_INVALID, "--unit: %s", unit_error->message);
      status = 2;
    }
  if (status == 0)
    {
      if (o.data_dir == NULL)
        o.data_dir = g_strdup ("data/mnist");
      if (!run (&o, argc - 1, argv + 1, &error))
        status = 1;
    }
  if (error)
    g_printerr ("taugate inspect-unit: %s\n", error->message);
  g_free (o.unit);
  g_free (o.data_dir);
  g_free (o.out_dir);
  tg_cli_options_clear (&o.figure_options);
  return status;
}
