/* cli-test-util.c — what the tests of the taugate command share: running it (or any program)
 * as a user does and reading back what it wrote. */
#include "cli-test-util.h"

#include <glib/gstdio.h>
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
  GStatBuf st;
  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
      const char *name;
      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          cli_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}
