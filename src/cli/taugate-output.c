/* taugate-output.c — the output folder of `taugate reproduce`, written all or nothing.
 *
 * A run writes into a fresh staging folder made inside the output folder before any work
 * starts, so an output folder that cannot be written is found at once, not after an hour of
 * training. At the end each entry the run wrote (results.csv, tables/, checkpoints/...)
 * replaces the entry of the same name in the output folder; whole folders are replaced, so no
 * checkpoint of an earlier run with more seeds stays beside the new ones, and the outputs the
 * command owns that this run did not write (checkpoints/ after --no-checkpoints) go too. A run that fails
 * (or is interrupted: taugate-interrupt.c) removes its staging folder and leaves the earlier
 * results as they were. Files of the
 * output folder the run does not write are left alone. */
#include "taugate-cli.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct _TgCliOutput {
  char     *dir;      /* the output folder */
  char     *staging;  /* dir/.taugate-partial-XXXXXX */
  gboolean  made_dir; /* dir did not exist before */
};

/* Removes path and, if it is a folder, everything under it; symbolic links are removed,
 * never followed. */
static void
remove_tree (const char *path)
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
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

TgCliOutput *
tg_cli_output_begin (const char *dir, GError **error)
{
  g_autoptr (TgCliOutput) out = g_new0 (TgCliOutput, 1);
  out->dir = g_strdup (dir);
  out->made_dir = !g_file_test (dir, G_FILE_TEST_EXISTS);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the output folder: %s",
                   dir, g_strerror (e));
      out->made_dir = FALSE;
      return NULL;
    }
  out->staging = g_build_filename (dir, ".taugate-partial-XXXXXX", NULL);
  if (g_mkdtemp (out->staging) == NULL)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot write in the output folder: %s",
                   dir, g_strerror (e));
      g_clear_pointer (&out->staging, g_free);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
tg_cli_check_writable (const char *dir, const char *what, GError **error)
{
  g_autofree char *probe = g_build_filename (dir, ".taugate-probe-XXXXXX", NULL);
  int fd = -1;
  if (g_mkdir_with_parents (dir, 0755) != 0 || (fd = g_mkstemp (probe)) < 0)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot write %s there: %s", dir, what,
                   g_strerror (e));
      return FALSE;
    }
  close (fd);
  g_unlink (probe);
  return TRUE;
}

const char *
tg_cli_output_staging (const TgCliOutput *out)
{
  return out->staging;
}

/* Moves OUT/name aside into old, if it exists; FALSE with errno set if it cannot. */
static gboolean
move_aside (const char *dir, const char *old, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *aside = g_build_filename (old, name, NULL);
  GStatBuf st;
  return g_lstat (path, &st) != 0 || g_rename (path, aside) == 0;
}

gboolean
tg_cli_output_commit (TgCliOutput *out, const char *const *owned, GError **error)
{
  g_autofree char *old = g_build_filename (out->dir, ".taugate-old-XXXXXX", NULL);
  if (g_mkdtemp (old) == NULL)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot write in the output folder: %s",
                   out->dir, g_strerror (e));
      return FALSE;
    }
  g_autoptr (GDir) d = g_dir_open (out->staging, 0, error);
  if (d == NULL)
    return FALSE;
  const char *name;
  gboolean ok = TRUE;
  /* what an earlier run wrote and this one did not (checkpoints/ before --no-checkpoints)
   * goes too: it would sit beside results it does not belong to */
  for (guint i = 0; ok && owned != NULL && owned[i] != NULL; i++)
    {
      g_autofree char *staged = g_build_filename (out->staging, owned[i], NULL);
      if (!g_file_test (staged, G_FILE_TEST_EXISTS) && !move_aside (out->dir, old, owned[i]))
        {
          int e = errno;
          g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s/%s: cannot remove the earlier run's: %s",
                       out->dir, owned[i], g_strerror (e));
          ok = FALSE;
        }
    }
  while (ok && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *from = g_build_filename (out->staging, name, NULL);
      g_autofree char *to = g_build_filename (out->dir, name, NULL);
      g_autofree char *aside = g_build_filename (old, name, NULL);
      /* the earlier run's entry goes aside first, then the new one takes its name */
      if (!move_aside (out->dir, old, name) || g_rename (from, to) != 0)
        {
          int e = errno;
          g_rename (aside, to); /* put the earlier one back if it went aside */
          g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot replace it with this run's: %s",
                       to, g_strerror (e));
          ok = FALSE;
        }
    }
  remove_tree (old);
  if (!ok)
    return FALSE;
  remove_tree (out->staging);
  g_clear_pointer (&out->staging, g_free);
  out->made_dir = FALSE;
  return TRUE;
}

void
tg_cli_output_free (TgCliOutput *out)
{
  if (out == NULL)
    return;
  /* not committed: what this run wrote goes, the earlier results stay */
  if (out->staging != NULL)
    remove_tree (out->staging);
  if (out->made_dir)
    g_rmdir (out->dir); /* only if empty */
  g_free (out->staging);
  g_free (out->dir);
  g_free (out);
}
