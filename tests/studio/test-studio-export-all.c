/* SPDX-License-Identifier: MIT */
/* test-studio-export-all.c — the figures a user exports for a paper, from real runs: the
 * studio trains a short run on MNIST and writes every view with `--export-all DIR
 * --figure-size single`, in each option that changes the figures' text (unit orders, hard
 * gates, a method without gates, LoRA, the paper comparison, title and caption left out,
 * Fashion-MNIST when Debian's copy is installed). Every PDF is read back with pdftotext (tests/pdf-layout.c, the checks
 * of the plot layout test): no word overlaps another or leaves the page. A size too small
 * for the figures is refused, the smallest that works named, and nothing written.
 *
 * The studio runs as a user starts it, a process of its own on the test's display. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cli-test-util.h"
#include "pdf-layout.h"
#include "tg-plot.h"

static char *tmp_dir;
static double box_per_pt;

static char *
studio_path (void)
{
  return g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "studio",
                           "taugate-studio", NULL);
}

/* Runs the studio with the short run's flags, extra and --export-all into a folder of its
 * own; returns that folder, the exit status in *status and stderr in *err. */
static char *
export_all (const char *name, const char *data_dir, const char *const *extra, int *status,
            char **err)
{
  g_autofree char *studio = studio_path ();
  char *out_dir = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *const common[] = { studio, "--data", data_dir, "--train-limit", "2048",
                                 "--test-limit", "500", "--quit-after-steps", "40",
                                 "--export-all", out_dir, NULL };
  for (guint i = 0; common[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) common[i]);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  g_autofree char *out = NULL;
  *status = cli_test_run_argv ((const char *const *) argv->pdata, &out, err);
  return out_dir;
}

/* Every PDF under dir/figures through the layout checks at width x height, font_pt. */
static guint
check_folder (const char *dir, const char *label, double width, double height, double font_pt,
              GString *faults)
{
  g_autofree char *figdir = g_build_filename (dir, "figures", NULL);
  g_autoptr (GDir) d = g_dir_open (figdir, 0, NULL);
  const char *name;
  guint n = 0;
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_suffix (name, ".pdf"))
        continue;
      g_autofree char *path = g_build_filename (figdir, name, NULL);
      g_autofree char *file = g_strdup_printf ("%s/%s", label, name);
      pdf_check_layout (path, file, width, height, font_pt, box_per_pt, faults);
      n++;
    }
  return n;
}

typedef struct {
  const char *name;
  const char *extra[8];
} Variant;

static const Variant variants[] = {
  { "index", { "--autostart", NULL } },
  { "selectivity", { "--autostart", "--unit-order", "selectivity", NULL } },
  { "selectivity-bare", { "--autostart", "--unit-order", "selectivity", "--no-title",
                          "--no-caption", NULL } },
  { "hard-modediff", { "--autostart", "--hard-gates", "--unit-order", "mode-difference", NULL } },
  { "mean-rate", { "--autostart", "--unit-order", "mean-rate", "--method", "tauonly", NULL } },
  { "lora", { "--autostart", "--method", "lora", NULL } },
  { "full", { "--autostart", "--method", "full", "--unit-order", "selectivity", NULL } },
  { "compare", { "--compare", "--seeds", "1", NULL } },
  { "overlap", { "--overlap", NULL } },
};

static void
test_single_column (void)
{
  double w, h;
  const char *mnist = cli_test_mnist_dir ();
  if (mnist == NULL || box_per_pt == 0)
    return;
  g_assert_true (tg_plot_size_parse ("single", &w, &h, NULL));
  double font = tg_plot_size_font_size ("single");

  g_autoptr (GString) faults = g_string_new (NULL);
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      const char *extra[G_N_ELEMENTS (variants[v].extra) + 3];
      guint k = 0;
      for (; variants[v].extra[k] != NULL; k++)
        extra[k] = variants[v].extra[k];
      extra[k++] = "--figure-size";
      extra[k++] = "single";
      extra[k] = NULL;
      int status;
      g_autofree char *err = NULL;
      g_autofree char *dir = export_all (variants[v].name, mnist, extra, &status, &err);
      if (status != 0)
        g_string_append_printf (faults, "%s: exit %d: %s\n", variants[v].name, status, err);
      else
        g_assert_cmpuint (check_folder (dir, variants[v].name, w, h, font, faults), >=, 10);
    }
  /* modes opened from files, nothing trained in the window: the Curves' level lines, the
   * mode names in Masks, Overlap, the Digit Pad and Angles */
  {
    g_autofree char *taugate = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src",
                                                 "cli", "taugate", NULL);
    g_autofree char *out = g_build_filename (tmp_dir, "reproduce", NULL);
    const char *argv[] = { taugate, "reproduce", "-q", "--data", mnist, "--train-limit", "2000",
                           "--test-limit", "500", "--seeds", "1", "--methods", "taugate",
                           "--out", out, NULL };
    g_autofree char *err = NULL;
    g_assert_cmpint (cli_test_run_argv (argv, NULL, &err), ==, 0);
    g_autofree char *f = g_build_filename (out, "checkpoints", "seed0-foundation.safetensors", NULL);
    g_autofree char *a0 = g_build_filename (out, "checkpoints", "seed0-taugate-0deg.safetensors",
                                            NULL);
    g_autofree char *a45 = g_build_filename (out, "checkpoints", "seed0-taugate-45deg.safetensors",
                                             NULL);
    const char *extra[] = { "--unit-order", "mode-difference", "--figure-size", "single", f, a0,
                            a45, NULL };
    int status;
    g_autofree char *serr = NULL;
    g_autofree char *dir = export_all ("modes", mnist, extra, &status, &serr);
    if (status != 0)
      g_string_append_printf (faults, "modes: exit %d: %s\n", status, serr);
    else
      g_assert_cmpuint (check_folder (dir, "modes", w, h, font, faults), >=, 10);
  }
  /* a data set other than MNIST: its names in the titles */
  const char *fashion = "/usr/share/datasets/fashion-mnist";
  if (g_file_test (fashion, G_FILE_TEST_IS_DIR))
    {
      const char *extra[] = { "--autostart", "--unit-order", "selectivity", "--figure-size",
                              "single", NULL };
      int status;
      g_autofree char *err = NULL;
      g_autofree char *dir = export_all ("fashion", fashion, extra, &status, &err);
      if (status != 0)
        g_string_append_printf (faults, "fashion: exit %d: %s\n", status, err);
      else
        check_folder (dir, "fashion", w, h, font, faults);
    }
  else
    g_test_message ("%s is not installed: Fashion-MNIST not exported", fashion);
  g_assert_cmpuint (pdf_report_faults (faults->str), ==, 0);
}

/* 3.5 x 1 in holds no figure with its text at 8 pt: refused naming the smallest size that
 * works, exit status non-zero, no figure written. */
static void
test_too_small_refused (void)
{
  const char *mnist = cli_test_mnist_dir ();
  if (mnist == NULL)
    return;
  const char *extra[] = { "--autostart", "--figure-size", "3.5x1in", "--font-size", "8", NULL };
  int status;
  g_autofree char *err = NULL;
  g_autofree char *dir = export_all ("too-small", mnist, extra, &status, &err);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "at least"));
  g_autofree char *curves = g_build_filename (dir, "figures", "taugate-curves.pdf", NULL);
  g_assert_false (g_file_test (curves, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-studio-export-all-XXXXXX", &error);
  g_assert_no_error (error);
  /* the studio's own memory (export choices, autosave) in the test's folder */
  g_autofree char *config = g_build_filename (tmp_dir, "config", NULL);
  g_autofree char *data = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* under the sanitizers, the studio's own leak check stays off (GTK and Mesa keep memory for
   * the process's life, as studio-test-util.c says); this program's, read at its start, not */
  const char *asan = g_getenv ("ASAN_OPTIONS");
  if (asan != NULL)
    {
      g_autofree char *no_leaks = g_strconcat (asan, ":detect_leaks=0", NULL);
      g_setenv ("ASAN_OPTIONS", no_leaks, TRUE);
    }
  box_per_pt = pdf_calibrate (tmp_dir);
  g_test_add_func ("/studio/export-all/single-column", test_single_column);
  g_test_add_func ("/studio/export-all/too-small-refused", test_too_small_refused);
  int ret = g_test_run ();
  if (g_getenv ("TG_TEST_KEEP") != NULL)
    g_printerr ("PDFs kept in %s\n", tmp_dir);
  else
    cli_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
