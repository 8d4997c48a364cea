/* SPDX-License-Identifier: MIT */
/* test-session-strings.c — what the studio writes into a session stays within what the session
 * reader takes, without a display: a view's error naming long paths is cut to the reader's
 * bound for a string instead of making the whole session unreadable. */
#include "studio-session-private.h"
#include "studio-snapshot.h"
#include "tg-session.h"

#include <string.h>

#include "cli-test-util.h"

static void
test_long_error_saved_cut (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tg-session-strings-XXXXXX", NULL);
  g_autofree char *session_dir = g_build_filename (dir, "s", NULL);
  g_autofree char *path = g_strnfill (3000, 'p');
  g_autoptr (TgSession) s = tg_session_new ();
  g_autoptr (TgSession) r = NULL;
  g_autoptr (GError) error = NULL;
  StudioSnapshot *shown[4] = { NULL }, *back[4] = { NULL };
  StudioSnapshot *snap = studio_snapshot_new ();

  /* "τ" twice: a cut must not split a character */
  snap->error = g_error_new (TG_ERROR, TG_ERROR_IO, "τ/%s holds 3 images but τ/%s holds 4 labels",
                             path, path);
  shown[2] = snap;
  json_object_set_string_member (s->settings, "method", "taugate");
  studio_session_put_view (s, shown);
  g_assert_true (tg_session_save (s, session_dir, &error));
  g_assert_no_error (error);

  r = tg_session_load (session_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_true (studio_session_get_view (r, session_dir, back, &error));
  g_assert_no_error (error);
  g_assert_nonnull (back[2]);
  g_assert_nonnull (back[2]->error);
  g_assert_cmpuint (strlen (back[2]->error->message), <=, TG_SESSION_MAX_STRING);
  g_assert_cmpuint (strlen (back[2]->error->message), >, TG_SESSION_MAX_STRING - 4);
  g_assert_true (g_utf8_validate (back[2]->error->message, -1, NULL));
  g_assert_true (g_str_has_prefix (back[2]->error->message, "τ/ppp"));
  for (guint i = 0; i < G_N_ELEMENTS (back); i++)
    g_clear_pointer (&back[i], studio_snapshot_unref);
  studio_snapshot_unref (snap);
  cli_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/studio/session-strings/long-error-saved-cut", test_long_error_saved_cut);
  return g_test_run ();
}
