/* SPDX-License-Identifier: MIT */
/* tg-session-files.c — which files of a session folder are the session's. The reader follows
 * no symbolic link that leads out of the folder (a foundation.safetensors pointing elsewhere,
 * a runs → /etc); a save over a session removes only the files its session.json lists, so a
 * folder that also holds anything else (a file of the user's, a link) is not replaced. */
#include "tg-session.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tg-session-private.h"

/* TRUE when path is no link, or a link whose target is inside real_folder. */
static gboolean
stays_inside (const char *path, const char *real_folder)
{
  GStatBuf st;
  g_autofree char *real = NULL;

  if (g_lstat (path, &st) != 0 || !S_ISLNK (st.st_mode))
    return TRUE;  /* missing: the reader says so */
  real = realpath (path, NULL);
  return real != NULL && real_folder != NULL && g_str_has_prefix (real, real_folder) &&
         real[strlen (real_folder)] == G_DIR_SEPARATOR;
}

gboolean
tg_session_check_links (const char *folder, const char *sub, const char *name, GError **error)
{
  g_autofree char *real_folder = realpath (folder, NULL);
  g_autofree char *dir = sub != NULL ? g_build_filename (folder, sub, NULL) : g_strdup (folder);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *bad = NULL;

  if (sub != NULL && !stays_inside (dir, real_folder))
    bad = dir;
  else if (!stays_inside (path, real_folder))
    bad = path;
  if (bad == NULL)
    return TRUE;
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: a symbolic link that leads out of the "
               "session folder: not read", bad);
  return FALSE;
}

/* The first entry of folder/sub (sub NULL: the folder itself) that is not listed (a path
 * relative to folder), or NULL when there is none. Links are never the session's: a save
 * writes none. */
static char *
unlisted (const char *folder, const char *sub, GHashTable *listed)
{
  g_autofree char *path = sub != NULL ? g_build_filename (folder, sub, NULL) : g_strdup (folder);
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  if (d == NULL)
    return g_strdup (sub != NULL ? sub : ".");
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *rel = sub != NULL ? g_build_filename (sub, name, NULL) : g_strdup (name);
      GStatBuf st;

      if (g_lstat (child, &st) != 0)
        return g_steal_pointer (&rel);
      if (sub == NULL && S_ISDIR (st.st_mode) &&
          (strcmp (name, "adapters") == 0 || strcmp (name, "runs") == 0))
        {
          char *inner = unlisted (folder, name, listed);
          if (inner != NULL)
            return inner;
          continue;
        }
      if (S_ISREG (st.st_mode) && g_hash_table_contains (listed, rel))
        continue;
      return g_steal_pointer (&rel);
    }
  return NULL;
}

char *
tg_session_foreign_entry (const char *folder)
{
  g_autoptr (GHashTable) listed = tg_session_list_files (folder);
  return unlisted (folder, NULL, listed);
}
