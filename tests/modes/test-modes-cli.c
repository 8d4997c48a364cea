/* SPDX-License-Identifier: MIT */
/* test-modes-cli.c — `taugate modes` and `taugate export-peft` as a user runs them.
 *
 * Bad input gives a clear message and a non-zero exit; on real MNIST a small reproduction
 * provides the checkpoints, `taugate modes` must agree with reproduce's results.csv at the
 * angles both measure, refuse an adapter of another foundation, and write every output; the
 * exports (foundation, TauGate adapter, PEFT LoRA folder) are read back by a NumPy script
 * (tests/modes/read_exports.py) that must reproduce our accuracy on the first 1000 test
 * images from the files alone, and our foundation digest. */
#include "tg-checkpoint.h"
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

static char *tmp_dir, *repro_dir;

static const char *
mnist_dir (void)
{
  const char *dir = g_getenv ("TG_MNIST_DIR");
  if (dir == NULL)
    return NULL;
  g_autofree char *f = g_build_filename (dir, "t10k-labels-idx1-ubyte", NULL);
  g_autofree char *gz = g_strconcat (f, ".gz", NULL);
  return g_file_test (f, G_FILE_TEST_EXISTS) || g_file_test (gz, G_FILE_TEST_EXISTS) ? dir : NULL;
}

static char *
ckpt (const char *name)
{
  return g_build_filename (repro_dir, "checkpoints", name, NULL);
}

static void
test_usage_errors (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (cli_test_run ((const char *[]) { "modes", NULL }, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "foundation"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli_test_run ((const char *[]) { "modes", "--angles", "0:180:0", "f", "a",
                                                    NULL }, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "0:180:0"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli_test_run ((const char *[]) { "modes", "/nonexistent/f.safetensors", "a",
                                                    NULL }, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "/nonexistent/f.safetensors"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  /* a real foundation, and a broken adapter beside it */
  guint32 widths[2] = { 8, 8 };
  g_autoptr(TgModel) m = tg_model_new (784, 2, widths, 10, 0, 8.0f, NULL);
  uint64_t rng = tg_rng_seed (1);
  tg_model_init_weights (m, &rng);
  g_autofree char *f = g_build_filename (tmp_dir, "f.safetensors", NULL);
  g_autofree char *bad = g_build_filename (tmp_dir, "broken.safetensors", NULL);
  g_assert_true (tg_checkpoint_save_foundation (m, NULL, f, NULL));
  g_assert_true (g_file_set_contents (bad, "\x08\0\0\0\0\0\0\0{\"a\":", 13, NULL));
  g_assert_cmpint (cli_test_run ((const char *[]) { "modes", f, bad, NULL }, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "broken.safetensors"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  /* a foundation where an adapter belongs */
  g_assert_cmpint (cli_test_run ((const char *[]) { "modes", f, f, NULL }, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "f.safetensors"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli_test_run ((const char *[]) { "export-peft", f, NULL }, &out, &err), ==, 2);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_autofree char *pdir = g_build_filename (tmp_dir, "peft-of-foundation", NULL);
  g_assert_cmpint (cli_test_run ((const char *[]) { "export-peft", f, "--out", pdir, NULL },
                                 &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "f.safetensors"));
  g_assert_false (g_file_test (pdir, G_FILE_TEST_EXISTS));
}

/* field col of the results.csv line of seed 0 and method, as written. */
static char *
results_field (const char *method, guint col)
{
  g_autofree char *path = g_build_filename (repro_dir, "results.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strdup_printf ("0,0,%s,", method);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
        return g_strdup (f[col]);
      }
  g_error ("no %s line in %s", method, path);
}

static void
test_real_run (void)
{
  if (repro_dir == NULL)
    {
      g_test_skip ("no MNIST in TG_MNIST_DIR");
      return;
    }
  g_autofree char *f = ckpt ("seed0-foundation.safetensors");
  g_autofree char *t0 = ckpt ("seed0-taugate-0deg.safetensors");
  g_autofree char *t45 = ckpt ("seed0-taugate-45deg.safetensors");
  g_autofree char *other = ckpt ("seed1-taugate-45deg.safetensors");
  g_autofree char *out_dir = g_build_filename (tmp_dir, "modes-out", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *common[] = { "--data", mnist_dir (), "--test-limit", "1000", "--train-limit",
                           "3000", "--angles", "0:90:45", "--out", out_dir };
  /* an adapter of seed 1's foundation on seed 0's: refused, and why */
  g_assert_cmpint (cli_test_run ((const char *[]) { "modes", f, t0, other, common[0], common[1],
                                                    NULL }, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "another foundation"));
  g_assert_nonnull (strstr (err, "seed1-taugate-45deg.safetensors"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  const char *args[] = { "modes", f, t0, t45, common[0], common[1], common[2], common[3],
                         common[4], common[5], common[6], common[7], common[8], common[9],
                         NULL };
  int st = cli_test_run (args, &out, &err);
  if (st != 0)
    g_error ("taugate modes failed: %s", err);
  g_assert_nonnull (strstr (out, "Auto (router)"));

  /* where both measure, modes agrees with reproduce to the printed digit */
  g_autofree char *csv_path = g_build_filename (out_dir, "modes.csv", NULL);
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_autofree char *acc0 = results_field ("taugate", 5), *acc45 = results_field ("taugate", 6);
  g_autofree char *want0 = g_strdup_printf ("\nTauGate 45°,taugate,45,0,%s,", acc0);
  g_autofree char *want45 = g_strdup_printf ("\nTauGate 45°,taugate,45,45,%s,", acc45);
  g_autofree char *frozen0 = results_field ("frozen", 5);
  g_autofree char *base0 = g_strdup_printf ("\nBase,base,,0,%s,", frozen0);
  if (!strstr (csv, want0) || !strstr (csv, want45) || !strstr (csv, base0))
    g_error ("modes.csv disagrees with results.csv (%s / %s):\n%s", acc0, acc45, csv);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 3 + 1);

  g_autofree char *mixed_path = g_build_filename (out_dir, "mixed.csv", NULL);
  g_autofree char *mixed = NULL;
  g_assert_true (g_file_get_contents (mixed_path, &mixed, NULL, NULL));
  g_assert_nonnull (strstr (mixed, "\nOracle,oracle,0,"));
  g_assert_nonnull (strstr (mixed, ",1.000000,1.000000\n"));
  g_assert_nonnull (strstr (mixed, "\nAuto (router),auto-router,258,"));
  g_autofree char *tex = g_build_filename (out_dir, "tables", "modes.tex", NULL);
  g_assert_true (g_file_test (tex, G_FILE_TEST_IS_REGULAR));
  g_autofree char *pdf_path = g_build_filename (out_dir, "figures", "modes_by_angle.pdf", NULL);
  g_autofree char *pdf = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &len, NULL));
  g_assert_true (len > 1000 && memcmp (pdf, "%PDF", 4) == 0);
  /* the figure's numbers beside it, as beside every other figure */
  g_autofree char *fig_csv_path = g_build_filename (out_dir, "figures", "modes_by_angle.csv",
                                                    NULL);
  g_autofree char *fig_csv = NULL;
  g_assert_true (g_file_get_contents (fig_csv_path, &fig_csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (fig_csv, "mode,target_angle,angle,acc_soft,acc_hard\n"));
  g_assert_nonnull (strstr (fig_csv, "\nTauGate 45°,45,45,"));
}

/* The NumPy reader under the first python3 that has NumPy; NULL when none has. */
static char *
run_reader (const char *const *args, int *status)
{
  const char *cands[] = { "python3", "/usr/bin/python3" };
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "modes", "read_exports.py",
                                                   NULL);
  for (guint c = 0; c < G_N_ELEMENTS (cands); c++)
    {
      g_autofree char *py = g_find_program_in_path (cands[c]);
      if (py == NULL)
        continue;
      const char *argv[] = { py, script, args[0], args[1], args[2], args[3], args[4], NULL };
      g_autofree char *out = NULL, *err = NULL;
      *status = cli_test_run_argv (argv, &out, &err);
      if (*status == 3)  /* no NumPy there */
        continue;
      if (*status != 0)
        g_error ("read_exports.py failed: %s", err);
      return g_steal_pointer (&out);
    }
  return NULL;
}

static void
test_exports_read_by_numpy (void)
{
  if (repro_dir == NULL)
    {
      g_test_skip ("no MNIST in TG_MNIST_DIR");
      return;
    }
  g_autofree char *f = ckpt ("seed0-foundation.safetensors");
  g_autofree char *t45 = ckpt ("seed0-taugate-45deg.safetensors");
  g_autofree char *lora = ckpt ("seed0-lora-45deg.safetensors");
  g_autofree char *peft = g_build_filename (tmp_dir, "peft", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (cli_test_run ((const char *[]) { "export-peft", lora, "--foundation", f, "--out",
                                                    peft, NULL }, &out, &err), ==, 0);
  int status = 0;
  g_autofree char *got = run_reader ((const char *[]) { mnist_dir (), f, t45, peft, "1000" },
                                     &status);
  if (got == NULL)
    {
      g_test_skip ("no python3 with NumPy");
      return;
    }
  /* results.csv's acc_0 is on the first 1000 test images too (--test-limit 1000) */
  g_autofree char *acc_base = results_field ("frozen", 5);
  g_autofree char *acc_taugate = results_field ("taugate", 5);
  g_autofree char *acc_lora = results_field ("lora", 5);
  g_autofree char *want = g_strdup_printf ("base %s\ntaugate %s\nlora %s\n", acc_base,
                                           acc_taugate, acc_lora);
  if (!g_str_has_prefix (got, want))
    g_error ("NumPy read back\n%swhere results.csv says\n%s", got, want);
  g_auto(GStrv) lines = g_strsplit (got, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[3], "digest "));
  g_assert_true (g_str_has_prefix (lines[4], "recorded "));
  g_assert_cmpstr (lines[3] + strlen ("digest "), ==, lines[4] + strlen ("recorded "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr(GError) error = NULL;
  tmp_dir = g_dir_make_tmp ("taugate-modes-cli-XXXXXX", &error);
  g_assert_no_error (error);
  if (mnist_dir () != NULL)
    {
      /* two seeds: seed 1's adapters belong to another foundation. Settings that make
       * every adapter move the predictions, so an export that loses one is noticed. */
      repro_dir = g_build_filename (tmp_dir, "repro", NULL);
      g_autofree char *out = NULL, *err = NULL;
      int st = cli_test_run ((const char *[]) { "reproduce", "-q", "--data", mnist_dir (),
                                                "--seeds", "2", "--train-limit", "3000",
                                                "--test-limit", "1000", "--foundation-epochs", "3",
                                                "--adapt-epochs", "3", "--lr", "0.05", "--methods",
                                                "frozen,taugate,lora", "--out", repro_dir, NULL },
                             &out, &err);
      if (st != 0)
        g_error ("taugate reproduce failed: %s", err);
    }
  g_test_add_func ("/modes-cli/usage-errors", test_usage_errors);
  g_test_add_func ("/modes-cli/real-run", test_real_run);
  g_test_add_func ("/modes-cli/exports-read-by-numpy", test_exports_read_by_numpy);
  int status = g_test_run ();
  cli_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (repro_dir);
  return status;
}
