/* SPDX-License-Identifier: MIT */
/* test-cli.c — the taugate command as a user runs it: help, bad input gives a clear message
 * and a non-zero exit, and a small reproduction writes every output, with --foundation saving
 * and then reusing the pretrained weights. */
#include "tg-common.h"
#include "cli-test-util.h"

#include <gio/gio.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

static void
test_help (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (cli_test_run ((const char *[]) { "--help", NULL }, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "reproduce"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  const char *cmds[] = { "reproduce", "bench", "inspect" };
  for (guint i = 0; i < G_N_ELEMENTS (cmds); i++)
    {
      g_assert_cmpint (cli_test_run ((const char *[]) { cmds[i], "--help", NULL },
                                     &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, "--"));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
  g_assert_cmpint (cli_test_run ((const char *[]) { "frobnicate", NULL }, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "frobnicate"));
}

static void
test_missing_data (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int st = cli_test_run ((const char *[]) { "reproduce", "--data", "/nonexistent/mnist", "--out",
                                            "/nonexistent/out", NULL }, &out, &err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/mnist"));
}

static void
test_bad_option (void)
{
  g_autofree char *out = NULL, *err = NULL;
  int st = cli_test_run ((const char *[]) { "reproduce", "--lr", "-1", "--data", "/nonexistent",
                                            NULL }, &out, &err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "--lr"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  st = cli_test_run ((const char *[]) { "reproduce", "--methods", "taugate,dropout", NULL },
                     &out, &err);
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
  int st = cli_test_run ((const char *[]) { "reproduce", "--data", dir, NULL }, &out, &err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "train-images-idx3-ubyte.gz"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_autofree char *ckpt = g_build_filename (dir, "broken.safetensors", NULL);
  g_assert_true (g_file_set_contents (ckpt, "\x40\0\0\0\0\0\0\0{\"a\":", 14, NULL));
  st = cli_test_run ((const char *[]) { "inspect", ckpt, NULL }, &out, &err);
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
  int st = cli_test_run ((const char *[]) { "inspect", ckpt, NULL }, &out, &err);
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


/* Every bad value is refused before any work, by a message naming its option. */
static void
test_bad_values (void)
{
  struct { const char *opt, *value; } bad[] = {
    { "--threads", "-4" }, { "--sharpness", "nan" }, { "--lambda", "nan" }, { "--lr", "nan" },
    { "--lr", "inf" }, { "--lr", "0" }, { "--angle", "nan" }, { "--angle", "inf" },
    { "--angle", "1e30" }, { "--sharpness", "-1" }, { "--lambda", "-inf" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int st = cli_test_run ((const char *[]) { "reproduce", bad[i].opt, bad[i].value, "--data",
                                                "/nonexistent", "-q", NULL }, &out, &err);
      g_test_message ("%s %s -> %d: %s", bad[i].opt, bad[i].value, st, err);
      g_assert_cmpint (st, !=, 0);
      g_assert_nonnull (strstr (err, bad[i].opt));
      g_assert_null (strstr (err, "/nonexistent")); /* refused before loading anything */
    }
}

/* A configuration that cannot fit in memory is refused up front, saying how much it needs. */
static void
test_memory_refused (void)
{
  g_autofree char *root = g_dir_make_tmp ("tg-cli-mem-XXXXXX", NULL);
  g_autofree char *data = cli_test_make_data_dir (root, "stripes");
  g_autofree char *outdir = g_build_filename (root, "out", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--width", "65536",
                                            "--seeds", "1", "--out", outdir, "-q", NULL },
                         &out, &err);
  g_test_message ("rc %d: %s", st, err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "memory"));
  g_assert_nonnull (strstr (err, "GB"));
  g_assert_nonnull (strstr (err, "--width"));
  g_assert_false (g_file_test (outdir, G_FILE_TEST_EXISTS));
  cli_test_remove_tree (root);
}

/* Training whose loss ends far above chance is reported: non-zero exit, a message. */
static void
test_collapse_reported (void)
{
  g_autofree char *root = g_dir_make_tmp ("tg-cli-collapse-XXXXXX", NULL);
  g_autofree char *data = cli_test_make_data_dir (root, "stripes");
  g_autofree char *outdir = g_build_filename (root, "out", NULL);
  g_autofree char *out = NULL, *err = NULL;
  /* the foundation collapses at lr 5 on these images: a finite loss far above chance (on
   * MNIST, lr 99 does the same); adaptations that collapse are checked in test-protocol */
  int st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--lr", "5", "--seeds",
                                            "1", "--out", outdir, "-q", "--no-checkpoints", NULL },
                         &out, &err);
  g_test_message ("rc %d: %s", st, err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "collapsed"));
  g_assert_nonnull (strstr (err, "--lr"));
  cli_test_remove_tree (root);
}

static gboolean
exists (const char *dir, const char *name)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  return g_file_test (p, G_FILE_TEST_EXISTS);
}

/* An output folder that cannot be written is found before training (no foundation saved);
 * a failed run leaves the earlier results as they were, nothing new beside them; a
 * successful run replaces the earlier checkpoints, so none of a run with more seeds stays. */
/* The staging folder beside dir (.DIR.taugate-partial-XXXXXX), or NULL if there is none. */
static char *
find_staging (const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *base = g_path_get_basename (dir);
  g_autofree char *prefix = g_strdup_printf (".%s.taugate-partial-", base);
  g_autoptr (GDir) d = g_dir_open (parent, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      return g_build_filename (parent, name, NULL);
  return NULL;
}

static void
test_output_all_or_nothing (void)
{
  g_autofree char *root = g_dir_make_tmp ("tg-cli-out-XXXXXX", NULL);
  g_autofree char *data = cli_test_make_data_dir (root, "stripes");
  g_autofree char *found = g_build_filename (root, "found.safetensors", NULL);
  g_autofree char *file = g_build_filename (root, "a-file", NULL);
  g_autofree char *bad_out = g_build_filename (file, "out", NULL);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_autofree char *out = NULL, *err = NULL;
  int st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--seeds", "1",
                                            "--foundation", found, "--out", bad_out,
                                            "--no-checkpoints", "-q", NULL }, &out, &err);
  g_test_message ("unwritable: rc %d: %s", st, err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, bad_out));
  g_assert_false (g_file_test (found, G_FILE_TEST_EXISTS)); /* refused before training */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* so is a --foundation file that cannot be saved once trained */
  g_autofree char *bad_found = g_build_filename (file, "found.safetensors", NULL);
  g_autofree char *out0 = g_build_filename (root, "out0", NULL);
  st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--seeds", "1", "--foundation",
                                        bad_found, "--out", out0, "--no-checkpoints", "-q", NULL },
                     &out, &err);
  g_test_message ("unwritable foundation: rc %d: %s", st, err);
  g_assert_cmpint (st, !=, 0);
  g_assert_nonnull (strstr (err, "--foundation"));
  g_assert_false (g_file_test (out0, G_FILE_TEST_EXISTS)); /* nothing left behind */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a first run with two seeds and checkpoints */
  g_autofree char *outdir = g_build_filename (root, "out", NULL);
  g_autofree char *mine = g_build_filename (outdir, "notes.txt", NULL);
  st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--seeds", "2", "--out",
                                        outdir, "-q", NULL }, &out, &err);
  g_assert_cmpint (st, ==, 0);
  g_assert_true (g_file_set_contents (mine, "the user's own file", -1, NULL));
  g_autofree char *csv_path = g_build_filename (outdir, "results.csv", NULL);
  g_autofree char *csv_before = cli_test_slurp (csv_path);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a second run that fails after seed 0 wrote its checkpoints: seed 1's foundation file is
   * corrupt. Nothing of it may appear in the output folder. */
  g_autofree char *found1 = g_build_filename (root, "found-seed1.safetensors", NULL);
  g_assert_true (g_file_set_contents (found1, "\x08\0\0\0\0\0\0\0{\"a\":1}", 16, NULL));
  st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--seeds", "2", "--seed", "7",
                                        "--foundation", found, "--threads", "1", "--out", outdir,
                                        "-q", NULL }, &out, &err);
  g_test_message ("failing run: rc %d: %s", st, err);
  g_assert_cmpint (st, !=, 0);
  g_autofree char *csv_after = cli_test_slurp (csv_path);
  g_assert_cmpstr (csv_after, ==, csv_before);
  g_autofree char *ckpts = g_build_filename (outdir, "checkpoints", NULL);
  g_autoptr (GDir) d = g_dir_open (ckpts, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (ckpts, name, NULL);
      g_autofree char *text = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (p, &text, &len, NULL));
      /* the JSON header after its 8-byte length */
      if (len > 8 && g_strstr_len (text + 8, len - 8, "\"seed\":\"7\"") != NULL)
        g_error ("%s was written by the failed run", p);
      n++;
    }
  g_assert_cmpuint (n, ==, 2 * 9); /* the first run's: 2 seeds x (foundation, 7, 0 deg) */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a successful run with one seed replaces them all */
  st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--seeds", "1", "--out",
                                        outdir, "-q", NULL }, &out, &err);
  g_assert_cmpint (st, ==, 0);
  g_assert_true (exists (ckpts, "seed0-taugate-45deg.safetensors"));
  g_assert_false (exists (ckpts, "seed1-taugate-45deg.safetensors"));
  g_assert_false (exists (ckpts, "seed1-foundation.safetensors"));
  g_assert_true (g_file_test (mine, G_FILE_TEST_IS_REGULAR)); /* not ours: left alone */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* and one without checkpoints leaves none of the earlier run's beside its results */
  st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--seeds", "1", "--out",
                                        outdir, "--no-checkpoints", "-q", NULL }, &out, &err);
  g_assert_cmpint (st, ==, 0);
  g_assert_false (g_file_test (ckpts, G_FILE_TEST_EXISTS));
  g_assert_true (exists (outdir, "results.csv"));
  g_assert_true (g_file_test (mine, G_FILE_TEST_IS_REGULAR));
  /* no staging folder left behind, in it or beside it */
  g_autoptr (GDir) top = g_dir_open (outdir, 0, NULL);
  while ((name = g_dir_read_name (top)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".taugate"));
  g_autofree char *beside = find_staging (outdir);
  g_assert_null (beside);
  cli_test_remove_tree (root);
}

/* Ctrl-C (SIGINT) or SIGTERM during training stops the run: the staging folder goes, the
 * earlier results stay, and the exit status says it was interrupted (130, 143). */
static void
test_interrupt_cleans_up (void)
{
  g_autofree char *root = g_dir_make_tmp ("tg-cli-int-XXXXXX", NULL);
  g_autofree char *data = cli_test_make_data_dir (root, "stripes");
  g_autofree char *outdir = g_build_filename (root, "out", NULL);
  g_autofree char *mine = g_build_filename (outdir, "notes.txt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (outdir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (mine, "the user's own file", -1, NULL));
  const int signals[] = { SIGINT, SIGTERM };
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      /* far more epochs than the test waits for: it is stopped in the middle */
      const char *argv[] = { g_getenv ("TG_TAUGATE"), "reproduce", "--data", data, "--seeds",
                             "1", "--foundation-epochs", "1000", "--adapt-epochs", "1000",
                             "--threads", "1", "--out", outdir, "-q", NULL };
      g_autoptr (GError) error = NULL;
      g_autoptr (GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                        &error);
      g_assert_no_error (error);
      g_autofree char *staging = NULL;
      while ((staging = find_staging (outdir)) == NULL)
        {
          if (g_subprocess_get_identifier (proc) == NULL) /* it ended before training */
            {
              g_autofree char *early = NULL;
              g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &early, NULL);
              g_error ("taugate reproduce ended early: %s", early);
            }
          g_usleep (10000);
        }
      g_subprocess_send_signal (proc, signals[i]);
      g_autofree char *err = NULL;
      g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error));
      g_assert_no_error (error);
      g_test_message ("signal %d: %s", signals[i], err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 128 + signals[i]);
      g_assert_nonnull (strstr (err, "interrupted"));
      g_assert_false (g_file_test (staging, G_FILE_TEST_EXISTS));
      g_autofree char *left = find_staging (outdir);
      g_assert_null (left);
      g_assert_false (exists (outdir, "results.csv"));
      g_assert_true (g_file_test (mine, G_FILE_TEST_IS_REGULAR));
    }
  cli_test_remove_tree (root);
}

/* A failure writing standard output is an error, not a silent success. */
static void
test_stdout_error (void)
{
  g_autofree char *root = g_dir_make_tmp ("tg-cli-stdout-XXXXXX", NULL);
  g_autofree char *data = cli_test_make_data_dir (root, "stripes");
  const char *exe = g_getenv ("TG_TAUGATE");
  g_assert_nonnull (exe);
  g_autofree char *cmd = g_strdup_printf ("'%s' inspect --data '%s' > /dev/full", exe, data);
  int status = system (cmd);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), !=, 0);
  g_autofree char *ok = g_strdup_printf ("'%s' inspect --data '%s' > /dev/null", exe, data);
  status = system (ok);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  cli_test_remove_tree (root);
}

/* Another data set is named as itself, and the paper's MNIST numbers are not set beside its. */
static void
test_other_data_named (void)
{
  g_autofree char *root = g_dir_make_tmp ("tg-cli-name-XXXXXX", NULL);
  g_autofree char *data = cli_test_make_data_dir (root, "stripes");
  g_autofree char *outdir = g_build_filename (root, "out", NULL);
  for (int pass = 0; pass < 2; pass++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char *name = pass == 0 ? "stripes" : "Bands";
      int st = cli_test_run ((const char *[]) { "reproduce", "--data", data, "--seeds", "1",
                                                "--out", outdir, "--no-checkpoints",
                                                pass == 0 ? NULL : "--data-name", "Bands", NULL },
                             &out, &err);
      g_assert_cmpint (st, ==, 0);
      g_test_message ("%s", out);
      g_assert_null (strstr (out, "MNIST"));
      g_assert_null (strstr (out, "paper"));
      g_assert_null (strstr (out, "0.850"));
      g_assert_nonnull (strstr (out, name));
      const char *tables[] = { "tables/mnist_rotation_results.tex",
                               "tables/mnist_rotation_ablations.tex",
                               "tables/taugate_overlap.tex" };
      for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
        {
          g_autofree char *p = g_build_filename (outdir, tables[i], NULL);
          g_autofree char *tex = cli_test_slurp (p);
          g_assert_null (strstr (tex, "MNIST"));
          g_assert_null (strstr (tex, "paper"));
          g_assert_null (strstr (tex, "0.850"));
          g_assert_null (strstr (tex, "0.917"));
        }
      g_autofree char *t1 = g_build_filename (outdir, tables[0], NULL);
      g_autofree char *tex = cli_test_slurp (t1);
      g_assert_nonnull (strstr (tex, name));
    }
  cli_test_remove_tree (root);
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
      int st = cli_test_run (args, &out, &err);
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
  g_autofree char *pdf = cli_test_slurp (pdf_path);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_autofree char *csv1_path = g_build_filename (out1, "results.csv", NULL);
  g_autofree char *csv2_path = g_build_filename (out2, "results.csv", NULL);
  g_autofree char *csv1 = cli_test_slurp (csv1_path), *csv2 = cli_test_slurp (csv2_path);
  g_assert_cmpstr (csv1, ==, csv2); /* a loaded foundation gives the same adaptation */
  /* 2 seeds x 7 methods + header */
  g_auto (GStrv) lines = g_strsplit (g_strstrip (csv1), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 15);

  /* from that sound foundation, adaptation at lr 3 collapses (LoRA and Full FT end far above
   * chance, finite): the outputs are written, the runs named, the exit status is 3 */
  g_autofree char *out3 = g_build_filename (dir, "c", NULL);
  g_autofree char *so = NULL, *se = NULL;
  int st = cli_test_run ((const char *[]) { "reproduce", "--data", mnist, "--seeds", "1",
                                            "--train-limit", "3000", "--test-limit", "500",
                                            "--foundation-epochs", "1", "--foundation", found,
                                            "--lr", "3", "--methods", "lora,full", "--no-overlap",
                                            "--no-checkpoints", "--out", out3, NULL }, &so, &se);
  g_test_message ("lr 3: rc %d: %s", st, se);
  g_assert_cmpint (st, ==, 3);
  g_assert_nonnull (strstr (se, "collapsed"));
  g_assert_nonnull (strstr (so, "training collapsed"));
  g_assert_nonnull (strstr (so, "Full FT seed 0"));
  g_autofree char *csv3 = g_build_filename (out3, "results.csv", NULL);
  g_assert_true (g_file_test (csv3, G_FILE_TEST_IS_REGULAR));
  cli_test_remove_tree (dir);
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
  g_test_add_func ("/cli/bad-values", test_bad_values);
  g_test_add_func ("/cli/memory-refused", test_memory_refused);
  g_test_add_func ("/cli/collapse-reported", test_collapse_reported);
  g_test_add_func ("/cli/output-all-or-nothing", test_output_all_or_nothing);
  g_test_add_func ("/cli/interrupt-cleans-up", test_interrupt_cleans_up);
  g_test_add_func ("/cli/stdout-error", test_stdout_error);
  g_test_add_func ("/cli/other-data-named", test_other_data_named);
  g_test_add_func ("/cli/small-reproduce", test_small_reproduce);
  return g_test_run ();
}
