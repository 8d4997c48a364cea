/* SPDX-License-Identifier: MIT */
/* cli-test-util.c — what the tests of the taugate command share: running it (or any program)
 * as a user does, a small synthetic data set to run it on, and reading back what it wrote. */
#include "cli-test-util.h"

#include "tg-folder-swap.h"

#include <dlfcn.h>
#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

int
cli_test_run_argv (const char *const *argv, char **out, char **err)
{
  int status = -1;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

int
cli_test_run (const char *const *args, char **out, char **err)
{
  const char *exe = g_getenv ("TG_TAUGATE");
  g_assert_nonnull (exe);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) exe);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  int st = cli_test_run_argv ((const char *const *) argv->pdata, out, err);
  if (st != 0)
    g_test_message ("taugate %s: exit %d: stderr: %s", args[0], st, err && *err ? *err : "");
  return st;
}

/* LD_PRELOAD for the kill shim: under AddressSanitizer its run time must come first in the
 * list (it refuses to start otherwise), so it is named before the shim. */
static char *
kill_preload (void)
{
  const char *shim = g_getenv ("TG_KILL_SHIM");
  void *asan = dlsym (RTLD_DEFAULT, "__asan_init");
  Dl_info info;

  g_assert_nonnull (shim);
  if (asan != NULL && dladdr (asan, &info) != 0 && info.dli_fname != NULL &&
      strstr (info.dli_fname, "asan") != NULL)
    return g_strdup_printf ("%s:%s", info.dli_fname, shim);
  return g_strdup (shim);
}

gboolean
cli_test_run_killed (const char *const *argv, guint kill_at, const char *const *env,
                     char **err)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *preload = kill_preload ();
  g_autofree char *at = g_strdup_printf ("%u", kill_at);

  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", preload, TRUE);
  g_subprocess_launcher_setenv (launcher, "TG_KILL_AT", at, TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1] != NULL ? kv[1] : "", TRUE);
    }
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (proc))
    {
      g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);
      return TRUE;
    }
  if (g_subprocess_get_exit_status (proc) != 0)
    g_error ("%s exited with %d: %s", argv[0], g_subprocess_get_exit_status (proc),
             err != NULL && *err != NULL ? *err : "");
  return FALSE;
}

const char *
cli_test_mnist_dir (void)
{
  const char *dir = g_getenv ("TG_MNIST_DIR");
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("TG_MNIST_DIR is not set or missing");
      return NULL;
    }
  return dir;
}

char *
cli_test_slurp (const char *path)
{
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

void
cli_test_remove_tree (const char *path)
{
  tg_remove_tree (path);
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* prefix-images-idx3-ubyte and prefix-labels-idx1-ubyte in dir: n 28x28 images whose class
 * is a bright row at a class-dependent height, so a model can learn them. */
static void
write_idx_pair (const char *dir, const char *prefix, guint32 n)
{
  gsize isize = 16 + (gsize) n * 784, lsize = 8 + n;
  g_autofree guint8 *img = g_malloc0 (isize);
  g_autofree guint8 *lab = g_malloc0 (lsize);
  put_be32 (img, 0x803);
  put_be32 (img + 4, n);
  put_be32 (img + 8, 28);
  put_be32 (img + 12, 28);
  put_be32 (lab, 0x801);
  put_be32 (lab + 4, n);
  guint32 state = 12345;
  for (guint32 i = 0; i < n; i++)
    {
      guint8 y = i % 10;
      lab[8 + i] = y;
      guint8 *px = img + 16 + (gsize) i * 784;
      for (guint32 c = 4; c < 24; c++)
        px[(4 + 2 * y) * 28 + c] = 255;
      for (guint32 k = 0; k < 40; k++)
        {
          state = state * 1664525u + 1013904223u;
          px[(state >> 8) % 784] = (guint8) (state >> 24);
        }
    }
  g_autofree char *ipath = g_strdup_printf ("%s/%s-images-idx3-ubyte", dir, prefix);
  g_autofree char *lpath = g_strdup_printf ("%s/%s-labels-idx1-ubyte", dir, prefix);
  g_assert_true (g_file_set_contents (ipath, (const char *) img, isize, NULL));
  g_assert_true (g_file_set_contents (lpath, (const char *) lab, lsize, NULL));
}

char *
cli_test_make_data_dir (const char *root, const char *name)
{
  char *dir = g_build_filename (root, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  write_idx_pair (dir, "train", 600);
  write_idx_pair (dir, "t10k", 200);
  return dir;
}

guint
cli_test_csv_records (const char *csv)
{
  guint records = 0, fields = 1, width = 0;
  gboolean quoted = FALSE;
  g_assert_true (g_str_has_suffix (csv, "\n"));
  for (const char *p = csv; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            p++;
          else if (*p == '"')
            quoted = FALSE;
          continue;
        }
      if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        fields++;
      else if (*p == '\n')
        {
          width = width > 0 ? width : fields;
          if (fields != width)
            g_test_message ("record %u has %u fields, the header %u: %.*s", records + 1, fields,
                            width, (int) MIN (strcspn (p + 1, "\n"), 200), p + 1);
          g_assert_cmpuint (fields, ==, width);
          records++;
          fields = 1;
        }
    }
  g_assert_false (quoted);
  g_assert_cmpuint (width, >=, 2);
  return records;
}
