/* SPDX-License-Identifier: MIT */
/* test-cli-figures.c — the commands that write figures besides `taugate reproduce` (sweep,
 * modes, inspect-unit) take --figure-size and --font-size: a single-column figure is a
 * 252-pt-wide PDF page, read back from the PDF itself, with its CSV beside it where the
 * command has one; a bad size is refused before any work, naming the option, and a size too
 * small for the figure is refused naming the smallest that works. */
#include "tg-common.h"
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

/* "/MediaBox [ 0 0 W H ]" of a one-page cairo PDF. */
static void
pdf_page_size (const char *path, double *w, double *h)
{
  g_autofree char *buf = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &buf, &len, NULL))
    g_error ("missing figure %s", path);
  const char *box = memmem (buf, len, "/MediaBox [", 11);   /* the PDF holds NUL bytes */
  g_assert_nonnull (box);
  double x0, y0;
  g_assert_cmpint (sscanf (box, "/MediaBox [ %lf %lf %lf %lf", &x0, &y0, w, h), ==, 4);
}

static void
assert_single_column (const char *pdf)
{
  double w = 0, h = 0;
  pdf_page_size (pdf, &w, &h);
  g_test_message ("%s: %g x %g pt", pdf, w, h);
  g_assert_cmpfloat_with_epsilon (w, 252.0, 0.5);   /* 3.5 in */
  g_assert_cmpfloat (h, >, 100.0);
}

static void
test_bad_size_refused (void)
{
  const char *cmds[][3] = { { "sweep", NULL }, { "modes", "f", "a" }, { "inspect-unit", "f", NULL } };
  for (guint i = 0; i < G_N_ELEMENTS (cmds); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char *args[] = { cmds[i][0], "--figure-size", "wide", cmds[i][1], cmds[i][2], NULL };
      g_assert_cmpint (cli_test_run (args, &out, &err), ==, 2);
      g_assert_nonnull (strstr (err, "--figure-size: figure size"));
      g_assert_nonnull (strstr (err, "is neither single"));
      const char *font[] = { cmds[i][0], "--font-size", "1", cmds[i][1], cmds[i][2], NULL };
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (cli_test_run (font, &out, &err), ==, 2);
      g_assert_nonnull (strstr (err, "--font-size: 1 pt is outside 4 to 72 pt"));
    }
}

static void
test_single_column (void)
{
  const char *mnist = cli_test_mnist_dir ();
  if (mnist == NULL)
    return;
  g_autofree char *dir = g_dir_make_tmp ("tg-cli-figures-XXXXXX", NULL);
  g_autofree char *rep = g_build_filename (dir, "rep", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (cli_test_run ((const char *[]) { "reproduce", "-q", "--train-limit", "1000",
                                                    "--test-limit", "300", "--seeds", "1",
                                                    "--foundation-epochs", "1", "--methods",
                                                    "taugate", "--no-overlap", "--data", mnist,
                                                    "--out", rep, NULL }, &out, &err), ==, 0);
  g_autofree char *found = g_build_filename (rep, "checkpoints", "seed0-foundation.safetensors",
                                             NULL);
  g_autofree char *adapter = g_build_filename (rep, "checkpoints",
                                               "seed0-taugate-45deg.safetensors", NULL);

  /* sweep: figures/taugate_sparsity.pdf and its CSV */
  g_autofree char *sweep = g_build_filename (dir, "sweep", NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_test_run ((const char *[]) { "sweep", "-q", "--figure-size", "single",
                                                    "--lambda", "0", "--sharpness", "5", "--seeds",
                                                    "1", "--train-limit", "1000", "--test-limit",
                                                    "300", "--foundation-epochs", "1",
                                                    "--timing-images", "0", "--data", mnist,
                                                    "--out", sweep, NULL }, &out, &err), ==, 0);
  g_autofree char *sweep_pdf = g_build_filename (sweep, "figures", "taugate_sparsity.pdf", NULL);
  g_autofree char *sweep_csv = g_build_filename (sweep, "figures", "taugate_sparsity.csv", NULL);
  assert_single_column (sweep_pdf);
  g_assert_true (g_file_test (sweep_csv, G_FILE_TEST_IS_REGULAR));

  /* modes: figures/modes_by_angle.pdf */
  g_autofree char *modes = g_build_filename (dir, "modes", NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_test_run ((const char *[]) { "modes", "-q", "--figure-size", "single",
                                                    "--font-size", "8", "--angles", "0,45,90",
                                                    "--train-limit", "500", "--test-limit", "300",
                                                    "--router-epochs", "1", "--data", mnist,
                                                    "--out", modes, found, adapter, NULL },
                                 &out, &err), ==, 0);
  g_autofree char *modes_pdf = g_build_filename (modes, "figures", "modes_by_angle.pdf", NULL);
  assert_single_column (modes_pdf);

  /* inspect-unit: the unit's figure and its CSV */
  g_autofree char *unit = g_build_filename (dir, "unit", NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_test_run ((const char *[]) { "inspect-unit", "--figure-size", "single",
                                                    "--unit", "1:3", "--test-limit", "300",
                                                    "--data", mnist, "--out", unit, found, NULL },
                                 &out, &err), ==, 0);
  g_autofree char *unit_pdf = g_build_filename (unit, "unit-1-3-seed0-foundation.pdf", NULL);
  g_autofree char *unit_csv = g_build_filename (unit, "unit-1-3-seed0-foundation.csv", NULL);
  assert_single_column (unit_pdf);
  g_assert_true (g_file_test (unit_csv, G_FILE_TEST_IS_REGULAR));

  /* 3.5 x 1 in holds no unit figure at 8 pt: refused, naming the smallest size that works,
   * and nothing written broken */
  g_autofree char *tiny = g_build_filename (dir, "tiny", NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_test_run ((const char *[]) { "inspect-unit", "--figure-size", "3.5x1in",
                                                    "--font-size", "8", "--unit", "1:3",
                                                    "--test-limit", "300", "--data", mnist,
                                                    "--out", tiny, found, NULL },
                                 &out, &err), !=, 0);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "needs at least 3.50 "));
  g_autofree char *tiny_pdf = g_build_filename (tiny, "unit-1-3-seed0-foundation.pdf", NULL);
  g_assert_false (g_file_test (tiny_pdf, G_FILE_TEST_EXISTS));
  cli_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-figures/bad-size-refused", test_bad_size_refused);
  g_test_add_func ("/cli-figures/single-column", test_single_column);
  return g_test_run ();
}
