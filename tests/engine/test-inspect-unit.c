/* SPDX-License-Identifier: MIT */
/* test-inspect-unit.c — `taugate inspect-unit` as a user runs it on a small reproduction:
 * it writes a PDF and a CSV whose numbers are the checkpoint's, and a bad --unit is refused
 * with a message naming it, writing nothing. */
#include "tg-checkpoint.h"
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A reproduction of 2000 training and 500 test images, made once for every test. */
static char *rep_dir, *foundation, *adapter;

static gboolean
have_mnist (void)
{
  const char *dir = cli_test_mnist_dir ();
  if (dir == NULL)
    return FALSE;
  if (rep_dir != NULL)
    return TRUE;
  GError *error = NULL;
  rep_dir = g_dir_make_tmp ("tg-inspect-unit-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *out = NULL, *err = NULL;
  int st = cli_test_run ((const char *[]) { "reproduce", "-q", "--train-limit", "2000",
                                            "--test-limit", "500", "--seeds", "1", "--methods",
                                            "taugate", "--data", dir, "--out", rep_dir, NULL },
                         &out, &err);
  g_assert_cmpint (st, ==, 0);
  foundation = g_build_filename (rep_dir, "checkpoints", "seed0-foundation.safetensors", NULL);
  adapter = g_build_filename (rep_dir, "checkpoints", "seed0-taugate-45deg.safetensors", NULL);
  return TRUE;
}

/* The value of row "quantity,index,value" of a CSV, or NAN. */
static double
csv_value (const char *csv, const char *quantity, const char *index)
{
  g_autofree char *key = g_strdup_printf ("\n%s,%s,", quantity, index);
  const char *at = strstr (csv, key);
  return at ? g_ascii_strtod (at + strlen (key), NULL) : NAN;
}

static void
test_writes_figure_and_csv (void)
{
  if (!have_mnist ())
    return;
  g_autofree char *out_dir = g_build_filename (rep_dir, "unit", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int st = cli_test_run ((const char *[]) { "inspect-unit", foundation, adapter, "--unit", "2:5",
                                            "--data", g_getenv ("TG_MNIST_DIR"), "--test-limit",
                                            "300", "--out", out_dir, NULL }, &out, &err);
  g_assert_cmpint (st, ==, 0);
  g_autofree char *pdf = g_build_filename (out_dir, "unit-2-5-seed0-taugate-45deg.pdf", NULL);
  g_autofree char *csv_path = g_build_filename (out_dir, "unit-2-5-seed0-taugate-45deg.csv", NULL);
  g_autofree char *head = NULL, *csv = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (pdf, &head, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (head, "%PDF"));
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "quantity,index,value\n"));

  /* tau is the adapter's */
  GError *error = NULL;
  g_autoptr (TgModel) m = tg_checkpoint_load_foundation (foundation, 8, 8.0f, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tg_checkpoint_load_adapter (m, adapter, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (csv_value (csv, "tau", ""), m->params[m->tau[1] + 5], 1e-7);
  /* the histogram holds every test image used, and rates are rates */
  double total = 0.0;
  for (guint b = 0; b < 40; b++)
    {
      g_autofree char *idx = g_strdup_printf ("%u", b);
      total += csv_value (csv, "hist_count", idx);
    }
  g_assert_cmpfloat (total, ==, 300.0);
  for (guint c = 0; c < 10; c++)
    {
      g_autofree char *idx = g_strdup_printf ("%u", c);
      double r = csv_value (csv, "rate_target_hard", idx);
      g_assert_true (r >= 0.0 && r <= 1.0);
      g_assert_true (isfinite (csv_value (csv, "logit_effect", idx)));
    }
  g_assert_true (isfinite (csv_value (csv, "top_image", "8")));
  g_assert_true (isfinite (csv_value (csv, "field_input", "0"))); /* hidden 2: its inputs */
  g_assert_true (isfinite (csv_value (csv, "field", "783")));
}

static void
test_bad_unit (void)
{
  if (!have_mnist ())
    return;
  g_autofree char *out_dir = g_build_filename (rep_dir, "bad", NULL);
  const char *bad[] = { "3:0", "1:128", "0:1", "one:2", "1-2", "1:" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int st = cli_test_run ((const char *[]) { "inspect-unit", foundation, "--unit", bad[i],
                                                "--data", g_getenv ("TG_MNIST_DIR"), "--test-limit",
                                                "50", "--out", out_dir, NULL }, &out, &err);
      g_assert_cmpint (st, !=, 0);
      if (strchr (bad[i], ':') == NULL || g_str_has_suffix (bad[i], ":") ||
          g_str_has_prefix (bad[i], "0:") || !g_ascii_isdigit (bad[i][0]))
        g_assert_cmpint (st, ==, 2); /* a usage error, found before anything is loaded */
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", bad[i]);
      g_assert_nonnull (strstr (err, quoted));
      g_assert_nonnull (strstr (err, "--unit"));
    }
  /* nothing was written */
  g_autoptr (GDir) dir = g_dir_open (out_dir, 0, NULL);
  g_assert_true (dir == NULL || g_dir_read_name (dir) == NULL);

  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (cli_test_run ((const char *[]) { "inspect-unit", "/nonexistent/f.safetensors",
                                                    "--unit", "1:1", "--out", out_dir, NULL },
                                 &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/f.safetensors"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli_test_run ((const char *[]) { "inspect-unit", foundation, "--out", out_dir,
                                                    NULL }, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--unit"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/inspect-unit/figure-and-csv", test_writes_figure_and_csv);
  g_test_add_func ("/inspect-unit/bad-unit", test_bad_unit);
  int status = g_test_run ();
  if (rep_dir)
    cli_test_remove_tree (rep_dir);
  g_free (rep_dir);
  g_free (foundation);
  g_free (adapter);
  return status;
}
