/* SPDX-License-Identifier: MIT */
/* test-session-kill.c — a session save killed (SIGKILL) at any moment leaves the session
 * openable at its path, the old one or the new one and whole, and the next open clears what
 * the killed save left beside it (.NAME.saving-*, .NAME.old-*).
 *
 * session-save-victim saves "old" over nothing, then "new" over it under the kill shim
 * (tests/kill-shim.c), killed just before its Nth rename, unlink or rmdir, for N = 1, 2, ...
 * until a save runs to its end. Once with the file system's atomic exchange of two folders,
 * once as on a file system without it. */
#include "tg-session.h"
#include "cli-test-util.h"

#include <string.h>
#include <glib/gstdio.h>

/* The session at dir is "old" or "new" and whole; returns which. */
static const char *
assert_whole (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgSession) s = tg_session_load (dir, &error);
  const char *tag;
  gboolean is_new;

  g_assert_no_error (error);
  tag = json_object_get_string_member_with_default (s->settings, "tag", "");
  g_assert_true (strcmp (tag, "old") == 0 || strcmp (tag, "new") == 0);
  is_new = strcmp (tag, "new") == 0;
  g_assert_cmpuint (s->runs->len, ==, is_new ? 2 : 3);
  g_assert_nonnull (s->modes);
  g_assert_cmpuint (tg_modes_count (s->modes), ==, is_new ? 3 : 2);
  return is_new ? "new" : "old";
}

/* Nothing but the session folder in root. */
static void
assert_no_leftovers (const char *root)
{
  g_autoptr (GDir) d = g_dir_open (root, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (strcmp (name, "sess") != 0)
      g_error ("%s/%s was left by the killed save", root, name);
}

static void
test_kill_each_step (gconstpointer data)
{
  gboolean no_exchange = GPOINTER_TO_INT (data);
  const char *env[] = { no_exchange ? "TG_KILL_NO_EXCHANGE=1" : "TG_KILL_NO_EXCHANGE=0", NULL };
  const char *victim = g_getenv ("TG_SESSION_VICTIM");
  g_autofree char *root = g_dir_make_tmp ("test-session-kill-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (root, "sess", NULL);
  const char *save_old[] = { victim, dir, "old", NULL };
  const char *save_new[] = { victim, dir, "new", NULL };
  guint killed = 0, old_seen = 0, new_seen = 0;

  for (guint n = 1; ; n++)
    {
      g_autofree char *err = NULL;
      g_assert_cmpuint (n, <, 1000);
      cli_test_remove_tree (dir);
      g_assert_false (cli_test_run_killed (save_old, 0, env, NULL));
      if (!cli_test_run_killed (save_new, n, env, &err))
        break;
      killed++;
      if (strcmp (assert_whole (dir), "new") == 0)
        new_seen++;
      else
        old_seen++;
      assert_no_leftovers (root);
    }
  g_test_message ("killed at %u steps: the old session %u times, the new one %u times",
                  killed, old_seen, new_seen);
  /* the kills really fell before and after the swap */
  g_assert_cmpuint (old_seen, >, 0);
  g_assert_cmpuint (new_seen, >, 0);
  g_assert_cmpstr (assert_whole (dir), ==, "new");
  cli_test_remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/session-kill/exchange", GINT_TO_POINTER (FALSE), test_kill_each_step);
  g_test_add_data_func ("/session-kill/no-exchange", GINT_TO_POINTER (TRUE),
                        test_kill_each_step);
  return g_test_run ();
}
