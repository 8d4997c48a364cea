/* SPDX-License-Identifier: MIT */
/* tg-folder-swap.c — a folder replaced in one step, and the leftovers of replacements that
 * were killed (see tg-folder-swap.h). Linux: renameat2 and flock. */
#include "tg-folder-swap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>

void
tg_remove_tree (const char *path)
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
          tg_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* An flock on the folder at path, or -1 when it is not a folder or another process holds
 * it. The lock goes with the descriptor: closed, or the process killed, it is free again. */
static int
try_hold (const char *path, gboolean wait)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

  if (fd < 0)
    return -1;
  if (flock (fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

int
tg_folder_hold (const char *path)
{
  return try_hold (path, FALSE);
}

gboolean
tg_staging_begin_at (TgStaging *staging, const char *template, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (template);

  staging->path = g_strdup (template);
  staging->hold = -1;
  if (g_mkdir_with_parents (parent, 0755) != 0 || g_mkdtemp (staging->path) == NULL ||
      (staging->hold = try_hold (staging->path, FALSE)) < 0)
    {
      int err = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot write there: %s", parent,
                   g_strerror (err));
      g_clear_pointer (&staging->path, g_free);
      return FALSE;
    }
  return TRUE;
}

gboolean
tg_staging_begin (TgStaging *staging, const char *target, const char *tag, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *template = g_strdup_printf ("%s/.%s.%s-XXXXXX", parent, base, tag);
  g_autoptr (GError) local = NULL;

  if (tg_staging_begin_at (staging, template, &local))
    return TRUE;
  g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot write beside it (%s)", target,
               local->message);
  return FALSE;
}

void
tg_staging_end (TgStaging *staging)
{
  if (staging->path != NULL)
    tg_remove_tree (staging->path);
  g_clear_pointer (&staging->path, g_free);
  if (staging->hold >= 0)
    close (staging->hold);
  staging->hold = -1;
}

int
tg_folder_exchange (const char *from, const char *to)
{
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) == 0)
    return 1;
  /* EINVAL: a file system without the exchange (or an old kernel: ENOSYS) */
  return errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ? 0 : -1;
}

/* The leftovers beside target: names .BASE.TAG-XXXXXX (six characters after the dash). */
static gboolean
is_leftover (const char *name, const char *base, const char *tag)
{
  gsize nb = strlen (base), nt = strlen (tag);
  return name[0] == '.' && strncmp (name + 1, base, nb) == 0 && name[1 + nb] == '.' &&
         strncmp (name + 2 + nb, tag, nt) == 0 && name[2 + nb + nt] == '-' &&
         strlen (name + 3 + nb + nt) == 6;
}

void
tg_folder_recover (const char *target, const char *restore_tag, const char *restore_marker,
                   const char *const *tags)
{
  g_autofree char *parent = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autoptr (GDir) d = g_dir_open (parent, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (parent, name, NULL);
      gboolean restore = restore_tag != NULL && is_leftover (name, base, restore_tag);
      gboolean stale = restore;
      int hold;

      for (guint i = 0; !stale && tags != NULL && tags[i] != NULL; i++)
        stale = is_leftover (name, base, tags[i]);
      if (!stale || (hold = try_hold (path, FALSE)) < 0)
        continue;  /* not ours, or a process at work on it */
      if (restore && !g_file_test (target, G_FILE_TEST_EXISTS))
        {
          g_autofree char *marker = restore_marker != NULL
                                    ? g_build_filename (path, restore_marker, NULL) : NULL;
          if ((marker == NULL || g_file_test (marker, G_FILE_TEST_IS_REGULAR)) &&
              g_rename (path, target) == 0)
            {
              close (hold);
              continue;
            }
        }
      tg_remove_tree (path);
      close (hold);
    }
}
