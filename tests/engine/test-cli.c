/* test-cli.c — the taugate command as a user runs it: help, bad input gives a clear message
 * and a non-zero exit, and a small reproduction writes every output, with --foundation saving
 * and then reusing the pretrained weights. */
#include "tg-common.h"

#include <gio/gio.h>

#include <glib/gstdio.h>
#include <string.h>

static int
run (const char *const *args, char **out, char **err)
{
  const char *exe = g_getenv ("TG_TAUGATE");
  g_assert_nonnull (exe);
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) exe);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  int status = -1;
  GError *error = NULL;
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &status, &error);
  g_assert_no_error (error);
  g_ptr_array_free (argv, TRUE);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static void
test_help (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (run ((const char *[]) { "--help", NULL }, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "reproduce"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  const char *cmds[] = { "reproduce", "bench", "inspect" };
  for (guint i = 0; i < G_N_ELEMENTS (cmds); i++)
    {
      g_assert_cmpint (run ((const char *[]) { cmds[i], "--help", NULL }, &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, "--"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
  g_assert_cmpint (run ((const char *[]) { "frobnicate", NULL }, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "frobnicate"));
}

static void
test_missing_data (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int st = run ((const char *[]) { "reproduce", "--data", "/nonexistent/mnist", "--out",
                                   "/nonexistent/out", NULL }, &out, &err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/mnist"));
}

static void
test_bad_option (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int st = run ((const char *[]) { "reproduce", "--lr", "-1", "--data", "/nonexistent", NULL },
                &out, &err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "--lr"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  st = run ((const char *[]) { "reproduce", "--methods", "taugate,dropout", NULL }, &out, &err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "dropout"));
}

static void
test_bad_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tg-cli-XXXXXX", NULL);
  g_autofree char *imgs = g_build_filename (dir, "train-images-idx3-ubyte.gz", NULL);
  g_autofree char *labs = g_build_filename (dir, "train-labels-idx1-ubyte", NULL);
  const guint8 gz_garbage[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'n', 'o', 't', ' ', 'd', 'e', 'f',
                                'l', 'a', 't', 'e', 1, 2, 3, 4, 5, 6, 7, 8 };
  g_assert_true (g_file_set_contents (imgs, (const char *) gz_garbage, sizeof gz_garbage, NULL));
  g_assert_true (g_file_set_contents (labs, "\0\0\x08\x01\0\0\0\x01\x05", 9, NULL));
  g_autofree char *out = NULL, *err = NULL;
  int st = run ((const char *[]) { "reproduce", "--data", dir, NULL }, &out, &err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "train-images-idx3-ubyte.gz"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_autofree char *ckpt = g_build_filename (dir, "broken.safetensors", NULL);
  g_assert_true (g_file_set_contents (ckpt, "\x40\0\0\0\0\0\0\0{\"a\":", 14, NULL));
  st = run ((const char *[]) { "inspect", ckpt, NULL }, &out, &err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "broken.safetensors"));
  g_unlink (imgs);
  g_unlink (labs);
  g_unlink (ckpt);
  g_rmdir (dir);
}

/* A small valid checkpoint whose names and metadata carry terminal escape sequences. */
static char *
write_hostile_checkpoint (const char *dir)
{
  const char *json = "{\"__metadata__\":{\"kind\":\"adapter\\u001b[2J\","
                     "\"note\":\"ok\\r\\n  forged = line\\u0007\"},"
                     "\"x\\u001b]0;title\\u0007\":{\"dtype\":\"F32\",\"shape\":[1],"
                     "\"data_offsets\":[0,4]}}";
  gsize len = strlen (json);
  g_autoptr (GByteArray) a = g_byte_array_new ();
  guint64 le = GUINT64_TO_LE ((guint64) len);
  g_byte_array_append (a, (const guint8 *) &le, 8);
  g_byte_array_append (a, (const guint8 *) json, (guint) len);
  g_byte_array_append (a, (const guint8 *) "\0\0\x80\x3f", 4);
  char *path = g_build_filename (dir, "hostile.safetensors", NULL);
  g_assert_true (g_file_set_contents (path, (const char *) a->data, a->len, NULL));
  return path;
}

/* What inspect prints from a file reaches the terminal escaped: no control character. */
static void
test_inspect_escapes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tg-cli-XXXXXX", NULL);
  g_autofree char *ckpt = write_hostile_checkpoint (dir);
  g_autofree char *out = NULL, *err = NULL;
  int st = run ((const char *[]) { "inspect", ckpt, NULL }, &out, &err);
  g_assert_cmpint (st, ==, 0);
  g_test_message ("%s", out);
  for (const char *p = out; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\n')
      g_error ("inspect printed control character 0x%02x", (guchar) *p);
  g_assert_nonnull (strstr (out, "forged"));
  g_assert_null (strstr (out, "\n  forged"));
  g_unlink (ckpt);
  g_rmdir (dir);
}

/* A full disk on stdout is an error, not a success. */
static void
test_inspect_stdout_full (void)
{
  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  g_autofree char *dir = g_dir_make_tmp ("tg-cli-XXXXXX", NULL);
  g_autofree char *ckpt = write_hostile_checkpoint (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdout_file_path (l, "/dev/full");
  g_autoptr (GSubprocess) p = g_subprocess_launcher_spawn (l, &error, g_getenv ("TG_TAUGATE"),
                                                           "inspect", ckpt, NULL);
  g_assert_no_error (error);
  g_autofree char *err = NULL;
  g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), !=, 0);
  g_assert_nonnull (strstr (err, "output"));
  g_unlink (ckpt);
  g_rmdir (dir);
}

static char *
slurp (const char *path)
{
  char *text = NULL;
  GError *error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_small_reproduce (void)
{
  const char *mnist = g_getenv ("TG_MNIST_DIR");
  if (mnist == NULL)
    {
      g_test_skip ("TG_MNIST_DIR is not set");
      return;
    }
  g_autofree char *dir = g_dir_make_tmp ("tg-repro-XXXXXX", NULL);
  g_autofree char *out1 = g_build_filename (dir, "a", NULL);
  g_autofree char *out2 = g_build_filename (dir, "b", NULL);
  g_autofree char *found = g_build_filename (dir, "found.safetensors", NULL);
  const char *common[] = { "reproduce", "--data", mnist, "--seeds", "2", "--train-limit", "3000",
                           "--test-limit", "500", "--foundation-epochs", "1", "--foundation",
                           found, "--threads", "1", "--out" };
  for (int pass = 0; pass < 2; pass++)
    {
      const char *args[G_N_ELEMENTS (common) + 2];
      memcpy (args, common, sizeof common);
      args[G_N_ELEMENTS (common)] = pass == 0 ? out1 : out2;
      args[G_N_ELEMENTS (common) + 1] = NULL;
      g_autofree char *out = NULL, *err = NULL;
      int st = run (args, &out, &err);
      if (st != 0)
        g_test_message ("stderr: %s", err);
      g_assert_cmpint (st, ==, 0);
      g_assert_nonnull (strstr (out, "TauGate"));
      g_assert_nonnull (strstr (out, "0.850")); /* the paper's TauGate beside ours */
    }
  /* the first run trained and saved both seeds' foundations, the second loaded them */
  g_autofree char *found1 = g_build_filename (dir, "found-seed1.safetensors", NULL);
  g_assert_true (g_file_test (found, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (found1, G_FILE_TEST_IS_REGULAR));
  const char *outputs[] = { "results.csv", "overlap.csv", "tables/mnist_rotation_results.tex",
                            "tables/mnist_rotation_ablations.tex", "tables/taugate_overlap.tex",
                            "figures/mnist_rotation_accuracy.pdf",
                            "checkpoints/seed0-foundation.safetensors",
                            "checkpoints/seed1-taugate-45deg.safetensors",
                            "checkpoints/seed1-taugate-0deg.safetensors" };
  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *p = g_build_filename (out1, outputs[i], NULL);
      if (!g_file_test (p, G_FILE_TEST_IS_REGULAR))
        g_error ("missing output %s", p);
    }
  g_autofree char *pdf_path = g_build_filename (out1, "figures/mnist_rotation_accuracy.pdf", NULL);
  g_autofree char *pdf = slurp (pdf_path);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_autofree char *csv1_path = g_build_filename (out1, "results.csv", NULL);
  g_autofree char *csv2_path = g_build_filename (out2, "results.csv", NULL);
  g_autofree char *csv1 = slurp (csv1_path), *csv2 = slurp (csv2_path);
  g_assert_cmpstr (csv1, ==, csv2); /* a loaded foundation gives the same adaptation */
  /* 2 seeds x 7 methods + header */
  g_auto (GStrv) lines = g_strsplit (g_strstrip (csv1), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 15);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (rm), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/missing-data", test_missing_data);
  g_test_add_func ("/cli/bad-option", test_bad_option);
  g_test_add_func ("/cli/bad-files", test_bad_files);
  g_test_add_func ("/cli/inspect-escapes", test_inspect_escapes);
  g_test_add_func ("/cli/inspect-stdout-full", test_inspect_stdout_full);
  g_test_add_func ("/cli/small-reproduce", test_small_reproduce);
  return g_test_run ();
}
