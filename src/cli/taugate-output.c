/* taugate-output.c — the output folder of `taugate reproduce`, written all or nothing.
 *
 * A run writes into a fresh staging folder made beside the output folder OUT
 * (.OUT.taugate-partial-XXXXXX) before any work starts, so an output folder that cannot be
 * written is found at once, not after an hour of training. At the end the files of OUT that
 * are not the command's (a user's notes) are linked into the staging folder, which then
 * takes OUT's place in one step (renameat2 RENAME_EXCHANGE): whatever stops the process,
 * OUT holds the earlier run's outputs or this run's, whole, and the earlier run's entries
 * the command owns that this run did not write (checkpoints/ after --no-checkpoints) go with
 * the old folder. A run that fails (or is interrupted: taugate-interrupt.c) removes its
 * staging folder and leaves the earlier results as they were; what a killed run left (its
 * staging folder, the old folder it had not finished removing) goes at the next run.
 *
 * Where the exchange cannot be had (a file system without it, OUT a mount point or the
 * working folder, no right to write beside OUT, links refused) each entry the run wrote
 * replaces the entry of the same name in OUT in turn: a failure puts the earlier one back,
 * but a kill in the middle leaves OUT mixed until the next run. */
#include "taugate-cli.h"

#include <glib/gi18n.h>
#include "tg-folder-swap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#define STAGING_TAG "taugate-partial"

struct _TgCliOutput {
  char      *dir;      /* the output folder, as given */
  char      *real;     /* its real path: where the exchange happens */
  TgStaging  staging;  /* beside real, or inside it when that cannot be */
  gboolean   inside;   /* the staging folder is inside real */
  gboolean   made_dir; /* dir did not exist before */
};

/* Removes what killed runs left inside OUT: their staging and old folders, when no run
 * holds them (the folders an older taugate made inside OUT, too), and their probes. */
static void
sweep_inside (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      int hold;
      if (g_str_has_prefix (name, ".taugate-probe-"))
        g_unlink (path);  /* a probe lives for a moment: this one's run was killed */
      if (!g_str_has_prefix (name, ".taugate-partial-") && !g_str_has_prefix (name, ".taugate-old-"))
        continue;
      if ((hold = tg_folder_hold (path)) < 0)
        continue;
      tg_remove_tree (path);
      close (hold);
    }
}

static gboolean
same_file_system (const char *a, const char *b)
{
  GStatBuf sa, sb;
  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 && sa.st_dev == sb.st_dev;
}

TgCliOutput *
tg_cli_output_begin (const char *dir, GError **error)
{
  static const char *const tags[] = { STAGING_TAG, NULL };
  g_autoptr (TgCliOutput) out = g_new0 (TgCliOutput, 1);
  out->dir = g_strdup (dir);
  out->staging.hold = -1;
  out->made_dir = !g_file_test (dir, G_FILE_TEST_EXISTS);
  if (g_mkdir_with_parents (dir, 0755) != 0 || (out->real = realpath (dir, NULL)) == NULL)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, _("%s: cannot create the output folder: %s"),
                   dir, g_strerror (e));
      out->made_dir = FALSE;
      return NULL;
    }
  tg_folder_recover (out->real, NULL, NULL, tags);
  sweep_inside (out->real);
  if (!tg_cli_check_writable (out->real, "the outputs", error))
    return NULL;
  if (!tg_staging_begin (&out->staging, out->real, STAGING_TAG, NULL) ||
      !same_file_system (out->staging.path, out->real))
    {
      tg_staging_end (&out->staging);  /* OUT a mount point: moves need the same one */
      g_autofree char *inside = g_build_filename (out->real, ".taugate-partial-XXXXXX", NULL);
      if (!tg_staging_begin_at (&out->staging, inside, error))
        return NULL;
      out->inside = TRUE;
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
      g_set_error (error, TG_ERROR, TG_ERROR_IO, _("%s: cannot write %s there: %s"), dir, what,
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
  return out->staging.path;
}

/* ---- the exchange ---------------------------------------------------------------------- */

/* from's entry again at to, as the same files: folders made anew, everything else a hard
 * link. FALSE (errno set) when one cannot be made. */
static gboolean
link_tree (const char *from, const char *to)
{
  GStatBuf st;

  if (g_lstat (from, &st) != 0)
    return FALSE;
  if (!S_ISDIR (st.st_mode))
    return linkat (AT_FDCWD, from, AT_FDCWD, to, 0) == 0;
  if (g_mkdir (to, st.st_mode & 07777) != 0)
    return FALSE;
  g_autoptr (GDir) d = g_dir_open (from, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *f = g_build_filename (from, name, NULL);
      g_autofree char *t = g_build_filename (to, name, NULL);
      if (!link_tree (f, t))
        return FALSE;
    }
  return d != NULL;
}

/* An entry of OUT that the staged folder must take along: not the command's, not ours. */
static gboolean
is_foreign (const char *name, const char *const *owned)
{
  return !g_str_has_prefix (name, ".taugate-") &&
         (owned == NULL || !g_strv_contains (owned, name));
}

/* Links OUT's foreign entries into the staging folder (an entry of the same name the run
 * wrote wins), adding the paths made to carried. FALSE (errno set) when one cannot be. */
static gboolean
carry_foreign (TgCliOutput *out, const char *const *owned, GPtrArray *carried)
{
  g_autoptr (GDir) d = g_dir_open (out->real, 0, NULL);
  const char *name;
  GStatBuf st;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *from = g_build_filename (out->real, name, NULL);
      char *to = g_build_filename (out->staging.path, name, NULL);
      if (!is_foreign (name, owned) || g_lstat (to, &st) == 0)
        {
          g_free (to);
          continue;
        }
      g_ptr_array_add (carried, to);
      if (!link_tree (from, to))
        return FALSE;
    }
  return d != NULL;
}

/* Entries put into OUT after carry_foreign looked (now in the old folder at old) follow. */
static void
catch_up (const char *old, const char *dir, const char *const *owned)
{
  g_autoptr (GDir) d = g_dir_open (old, 0, NULL);
  const char *name;
  GStatBuf st;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *from = g_build_filename (old, name, NULL);
      g_autofree char *to = g_build_filename (dir, name, NULL);
      if (is_foreign (name, owned) && g_lstat (to, &st) != 0)
        g_rename (from, to);
    }
}

/* The staging folder takes OUT's place in one step: 1 done, 0 not possible here (nothing
 * done), -1 failed (errno). */
static int
commit_by_exchange (TgCliOutput *out, const char *const *owned)
{
  g_autoptr (GPtrArray) carried = g_ptr_array_new_with_free_func (g_free);
  GStatBuf st, cwd;
  int done = 0, e;

  if (out->inside || g_stat (out->real, &st) != 0 ||
      (g_stat (".", &cwd) == 0 && cwd.st_dev == st.st_dev && cwd.st_ino == st.st_ino))
    return 0;
  if (carry_foreign (out, owned, carried))
    {
      g_chmod (out->staging.path, st.st_mode & 07777);
      done = tg_folder_exchange (out->staging.path, out->real);
    }
  if (done == 1)
    {
      catch_up (out->staging.path, out->real, owned);
      return 1;
    }
  /* the entries replaced one by one: without the user's files linked in */
  e = errno;
  for (guint i = 0; i < carried->len; i++)
    tg_remove_tree (g_ptr_array_index (carried, i));
  errno = e;
  return done;
}

/* ---- entry by entry -------------------------------------------------------------------- */

/* Moves OUT/name aside into old, if it exists; FALSE with errno set if it cannot. */
static gboolean
move_aside (const char *dir, const char *old, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *aside = g_build_filename (old, name, NULL);
  GStatBuf st;
  return g_lstat (path, &st) != 0 || g_rename (path, aside) == 0;
}

static gboolean
commit_by_entries (TgCliOutput *out, const char *const *owned, GError **error)
{
  g_autofree char *template = g_build_filename (out->real, ".taugate-old-XXXXXX", NULL);
  TgStaging old;
  if (!tg_staging_begin_at (&old, template, error))
    return FALSE;
  g_autoptr (GDir) d = g_dir_open (out->staging.path, 0, error);
  const char *name;
  gboolean ok = d != NULL;
  /* what an earlier run wrote and this one did not (checkpoints/ before --no-checkpoints)
   * goes too: it would sit beside results it does not belong to */
  for (guint i = 0; ok && owned != NULL && owned[i] != NULL; i++)
    {
      g_autofree char *staged = g_build_filename (out->staging.path, owned[i], NULL);
      if (!g_file_test (staged, G_FILE_TEST_EXISTS) && !move_aside (out->real, old.path, owned[i]))
        {
          int e = errno;
          g_set_error (error, TG_ERROR, TG_ERROR_IO, _("%s/%s: cannot remove the earlier run's: %s"),
                       out->dir, owned[i], g_strerror (e));
          ok = FALSE;
        }
    }
  while (ok && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *from = g_build_filename (out->staging.path, name, NULL);
      g_autofree char *to = g_build_filename (out->real, name, NULL);
      g_autofree char *aside = g_build_filename (old.path, name, NULL);
      /* the earlier run's entry goes aside first, then the new one takes its name */
      if (!move_aside (out->real, old.path, name) || g_rename (from, to) != 0)
        {
          int e = errno;
          g_rename (aside, to); /* put the earlier one back if it went aside */
          g_set_error (error, TG_ERROR, TG_ERROR_IO, _("%s/%s: cannot replace it with this "
                       "run's: %s"), out->dir, name, g_strerror (e));
          ok = FALSE;
        }
    }
  tg_staging_end (&old);
  return ok;
}

gboolean
tg_cli_output_commit (TgCliOutput *out, const char *const *owned, GError **error)
{
  int done = commit_by_exchange (out, owned);
  if (done < 0)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, _("%s: cannot replace it with this run's "
                   "outputs: %s"), out->dir, g_strerror (e));
      return FALSE;
    }
  if (done == 0 && !commit_by_entries (out, owned, error))
    return FALSE;
  tg_staging_end (&out->staging);  /* after the exchange: the earlier run's folder */
  out->made_dir = FALSE;
  return TRUE;
}

void
tg_cli_output_free (TgCliOutput *out)
{
  if (out == NULL)
    return;
  /* not committed: what this run wrote goes, the earlier results stay */
  tg_staging_end (&out->staging);
  if (out->made_dir)
    g_rmdir (out->dir); /* only if empty */
  g_free (out->real);
  g_free (out->dir);
  g_free (out);
}
