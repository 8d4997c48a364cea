/* SPDX-License-Identifier: MIT */
/* test-studio-save-session.c — sessions from scripts: `taugate-studio ... --save-session DIR`
 * trains on real MNIST with no one at the window, saves the session and quits, as a user runs
 * it (a process of its own on the test's display). A run stopped by --quit-after-steps and a
 * run with the overlap, the paper comparison and a λ sweep each give a session that opens,
 * with its runs, results and the run's per-step records; a session opened and saved again
 * elsewhere trains nothing and keeps its run and records. A folder that cannot be written, or
 * that is something else than a session, is refused before training with exit status 1 and a
 * message naming it; a save refused at the end (the session folder holds a file of the
 * user's now) exits 1 naming the file. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cli-test-util.h"
#include "tg-session.h"
#include "tg-session-records.h"

static char *tmp_dir;

/* The studio with the short run's flags, extra and --save-session dir; the exit status,
 * stdout in *out and stderr in *err. */
static int
run_studio (const char *dir, const char *const *extra, char **out, char **err)
{
  g_autofree char *studio = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src",
                                              "studio", "taugate-studio", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *const common[] = { studio, "--data", cli_test_mnist_dir (), "--train-limit",
                                 "2048", "--test-limit", "500", "--save-session", dir, NULL };
  for (guint i = 0; common[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) common[i]);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  return cli_test_run_argv ((const char *const *) argv->pdata, out, err);
}

static TgSession *
load (const char *dir)
{
  g_autoptr (GError) error = NULL;
  TgSession *s = tg_session_load (dir, &error);
  g_assert_no_error (error);
  return s;
}

static void
test_train_and_save (void)
{
  if (cli_test_mnist_dir () == NULL)
    return;
  g_autofree char *dir = g_build_filename (tmp_dir, "short", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *const extra[] = { "--autostart", "--quit-after-steps", "40", NULL };
  /* a run with no one at the window leaves the user's recent files alone */
  g_autofree char *data_home = g_build_filename (tmp_dir, "xdg-data", NULL);
  g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_autofree char *saved_home = g_strdup (g_getenv ("XDG_DATA_HOME"));
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_assert_cmpint (run_studio (dir, extra, &out, &err), ==, 0);
  g_assert_false (g_file_test (recent, G_FILE_TEST_EXISTS));
  if (saved_home != NULL)
    g_setenv ("XDG_DATA_HOME", saved_home, TRUE);
  else
    g_unsetenv ("XDG_DATA_HOME");
  g_assert_nonnull (strstr (out, dir));
  g_autoptr (TgSession) s = load (dir);
  g_assert_cmpuint (s->runs->len, ==, 1);
  const TgSessionRun *run = g_ptr_array_index (s->runs, 0);
  g_assert_cmpuint (tg_session_table_n_rows (run->curves), >, 0);
  /* the run's time: τ/γ records up to the step it stopped at, mask records with a model */
  g_assert_nonnull (s->records);
  guint n = tg_session_table_n_rows (s->records->params);
  g_assert_cmpuint (n, >, 1);
  g_assert_cmpfloat (tg_session_table_get (s->records->params, n - 1, 0), >=, 0);
  g_assert_cmpuint (tg_session_table_n_rows (s->records->masks), >, 0);
  g_assert_nonnull (tg_session_records_get_tensor (s->records, "weights.params"));
  g_assert_nonnull (s->view_model);

  /* opened and saved elsewhere with nothing trained: the same run and records */
  {
    g_autofree char *copy = g_build_filename (tmp_dir, "copy", NULL);
    g_autofree char *o = NULL, *e = NULL;
    g_autofree char *studio = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src",
                                                "studio", "taugate-studio", NULL);
    const char *const argv[] = { studio, "--data", cli_test_mnist_dir (), dir,
                                 "--save-session", copy, NULL };
    g_assert_cmpint (cli_test_run_argv (argv, &o, &e), ==, 0);
    g_autoptr (TgSession) c = load (copy);
    g_assert_cmpuint (c->runs->len, ==, 1);
    g_assert_nonnull (c->records);
    g_assert_cmpuint (tg_session_table_n_rows (c->records->params), ==, n);
    cli_test_remove_tree (copy);
  }

  /* a save over it refused at the end (it holds a file of the user's now): exit status 1
   * naming the file, which stays */
  g_autofree char *mine = g_build_filename (dir, "my-notes.txt", NULL);
  g_assert_true (g_file_set_contents (mine, "mine", -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_studio (dir, extra, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "--save-session"));
  g_assert_nonnull (strstr (err, "my-notes.txt"));
  g_assert_true (g_file_test (mine, G_FILE_TEST_IS_REGULAR));
  cli_test_remove_tree (dir);
}

static void
test_results_saved (void)
{
  if (cli_test_mnist_dir () == NULL)
    return;
  g_autofree char *dir = g_build_filename (tmp_dir, "results", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *const extra[] = { "--overlap", "--compare", "--seeds", "1", "--sweep", "0,0.3",
                                NULL };

  g_assert_cmpint (run_studio (dir, extra, &out, &err), ==, 0);
  g_autoptr (TgSession) s = load (dir);
  g_assert_nonnull (s->comparison);
  g_assert_cmpuint (s->comparison->runs->len, >=, 7);
  g_assert_nonnull (s->sweep);
  g_assert_cmpuint (s->sweep->config.n_lambdas, ==, 2);
  g_assert_nonnull (g_hash_table_lookup (s->view_metadata, "overlap.widths"));
  cli_test_remove_tree (dir);
}

static void
test_refusals (void)
{
  if (cli_test_mnist_dir () == NULL)
    return;
  const char *const extra[] = { "--autostart", "--quit-after-steps", "8", NULL };
  g_autofree char *missing = g_build_filename (tmp_dir, "no-such-folder", "s", NULL);
  g_autofree char *other = g_build_filename (tmp_dir, "other", NULL);
  g_autofree char *note = g_build_filename (other, "notes.txt", NULL);

  /* a folder whose parent is missing: refused at once */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint (run_studio (missing, extra, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "--save-session"));
    g_assert_nonnull (strstr (err, missing));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  /* a folder that is no session: refused, and left as it was */
  g_assert_cmpint (g_mkdir (other, 0700), ==, 0);
  g_assert_true (g_file_set_contents (note, "mine", -1, NULL));
  {
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint (run_studio (other, extra, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, other));
    g_assert_nonnull (strstr (err, "not a session folder"));
    g_assert_true (g_file_test (note, G_FILE_TEST_IS_REGULAR));
  }
  cli_test_remove_tree (other);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("taugate-save-session-XXXXXX", NULL);
  g_test_add_func ("/studio/save-session/train-and-save", test_train_and_save);
  g_test_add_func ("/studio/save-session/results", test_results_saved);
  g_test_add_func ("/studio/save-session/refusals", test_refusals);
  int ret = g_test_run ();
  cli_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
