/* SPDX-License-Identifier: MIT */
/* test-reproduce-kill.c — `taugate reproduce` killed (SIGKILL) at any moment leaves OUT
 * wholly the earlier run's or wholly the new run's, the user's own files in it kept, and what
 * the killed run left behind is gone after the next run.
 *
 * A first run (one seed) fills OUT, and a file and a folder of the user's go in beside its
 * outputs. A second run (two seeds: different results and checkpoints) is then killed by the
 * kill shim (tests/kill-shim.c) just before its Nth rename, unlink or rmdir, for every N in
 * turn until it runs to its end; after each kill OUT must equal one of the two, file for
 * file (the PDF by name: it holds its creation time), and at most the one killed run's
 * leftover may sit in or beside it: every run clears those of runs killed before it. Where
 * the file system has no exchange (the shim says so), the second run still ends with OUT
 * wholly new and the user's files kept. */
#include "cli-test-util.h"

#include <string.h>
#include <glib/gstdio.h>

/* Every file under dir (its top-level ".taugate-" entries aside), sorted, with a checksum of
 * its bytes. */
static void
add_files (GPtrArray *lines, const char *root, const char *rel)
{
  g_autofree char *dir = rel != NULL ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *r = rel != NULL ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *path = g_build_filename (root, r, NULL);
      if (rel == NULL && g_str_has_prefix (name, ".taugate-"))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (lines, g_strdup_printf ("%s/", r));
          add_files (lines, root, r);
          continue;
        }
      g_autofree char *text = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &text, &len, NULL));
      g_autofree char *sum = g_str_has_suffix (name, ".pdf")
                             ? g_strdup ("pdf")
                             : g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) text, len);
      g_ptr_array_add (lines, g_strdup_printf ("%s %s", r, sum));
    }
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
signature (const char *dir)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  add_files (lines, dir, NULL);
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static void
copy_tree (const char *from, const char *to)
{
  if (g_file_test (from, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) d = g_dir_open (from, 0, NULL);
      const char *name;
      g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *f = g_build_filename (from, name, NULL);
          g_autofree char *t = g_build_filename (to, name, NULL);
          copy_tree (f, t);
        }
      return;
    }
  g_autofree char *text = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (from, &text, &len, NULL));
  g_assert_true (g_file_set_contents (to, text, (gssize) len, NULL));
}

/* What killed runs left: entries named .taugate-* in out, .out.* beside it. */
static guint
count_leftovers (const char *root, const char *out)
{
  const char *dirs[] = { root, out };
  guint n = 0;
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr (GDir) d = g_dir_open (dirs[i], 0, NULL);
      const char *name;
      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        if (g_str_has_prefix (name, i == 0 ? ".out." : ".taugate-"))
          {
            g_test_message ("left: %s/%s", dirs[i], name);
            n++;
          }
    }
  return n;
}

/* The two runs over one OUT: first, the user's files, the second. */
typedef struct {
  char       *root, *data, *out, *pristine;
  const char *first[14], *second[14];
  char       *sig_old, *sig_new;
} Runs;

static void
runs_setup (Runs *r)
{
  const char *exe = g_getenv ("TG_TAUGATE");
  g_autofree char *notes = NULL, *mine = NULL, *mine_file = NULL;

  g_assert_nonnull (exe);
  r->root = g_dir_make_tmp ("tg-reproduce-kill-XXXXXX", NULL);
  r->data = cli_test_make_data_dir (r->root, "stripes");
  r->out = g_build_filename (r->root, "out", NULL);
  r->pristine = g_build_filename (r->root, "pristine", NULL);
  notes = g_build_filename (r->out, "notes.txt", NULL);
  mine = g_build_filename (r->out, "mine", NULL);
  mine_file = g_build_filename (mine, "draft.tex", NULL);
  for (guint k = 0; k < 2; k++)
    {
      const char *args[] = { exe, "reproduce", "--data", r->data, "--seeds", k == 0 ? "1" : "2",
                             "--methods", "taugate,bitfit", "--threads", "1", "--out", r->out,
                             "-q", NULL };
      memcpy (k == 0 ? r->first : r->second, args, sizeof args);
    }
  g_assert_false (cli_test_run_killed (r->first, 0, NULL, NULL));
  g_assert_true (g_file_set_contents (notes, "the user's notes", -1, NULL));
  g_assert_cmpint (g_mkdir (mine, 0755), ==, 0);
  g_assert_true (g_file_set_contents (mine_file, "the user's draft", -1, NULL));
  r->sig_old = signature (r->out);
  copy_tree (r->out, r->pristine);
  g_assert_false (cli_test_run_killed (r->second, 0, NULL, NULL));
  r->sig_new = signature (r->out);
  g_assert_cmpstr (r->sig_old, !=, r->sig_new);
  g_assert_nonnull (strstr (r->sig_new, "notes.txt"));
  g_assert_nonnull (strstr (r->sig_new, "mine/draft.tex"));
}

/* OUT as the first run and the user left it. */
static void
runs_reset (Runs *r)
{
  cli_test_remove_tree (r->out);
  copy_tree (r->pristine, r->out);
}

static void
runs_clear (Runs *r)
{
  cli_test_remove_tree (r->root);
  g_free (r->root);
  g_free (r->data);
  g_free (r->out);
  g_free (r->pristine);
  g_free (r->sig_old);
  g_free (r->sig_new);
}

static void
test_kill_each_step (void)
{
  Runs r;
  guint killed = 0, old_seen = 0, new_seen = 0;

  runs_setup (&r);
  for (guint n = 1; ; n++)
    {
      g_autofree char *sig = NULL;
      g_assert_cmpuint (n, <, 500);
      runs_reset (&r);
      if (!cli_test_run_killed (r.second, n, NULL, NULL))
        break;
      killed++;
      sig = signature (r.out);
      if (strcmp (sig, r.sig_old) == 0)
        old_seen++;
      else if (strcmp (sig, r.sig_new) == 0)
        new_seen++;
      else
        g_error ("killed before step %u, %s is neither run's:\n%s\n--- the earlier run's:\n%s\n"
                 "--- the new run's:\n%s", n, r.out, sig, r.sig_old, r.sig_new);
      /* only this kill's: the earlier ones' went at the start of this run */
      g_assert_cmpuint (count_leftovers (r.root, r.out), <=, 1);
    }
  g_test_message ("killed at %u steps: the earlier outputs %u times, the new ones %u times",
                  killed, old_seen, new_seen);
  g_assert_cmpuint (old_seen, >, 0);
  g_assert_cmpuint (new_seen, >, 0);
  /* the run that went to its end left nothing of the killed ones */
  g_assert_cmpuint (count_leftovers (r.root, r.out), ==, 0);
  g_autofree char *sig_end = signature (r.out);
  g_assert_cmpstr (sig_end, ==, r.sig_new);
  runs_clear (&r);
}

/* Where the file system has no exchange, the entries are replaced one by one: OUT ends as
 * the new run's with the user's files as they were, nothing left beside it. */
static void
test_without_exchange (void)
{
  const char *env[] = { "TG_KILL_NO_EXCHANGE=1", NULL };
  g_autofree char *sig = NULL;
  Runs r;

  runs_setup (&r);
  runs_reset (&r);
  g_assert_false (cli_test_run_killed (r.second, 0, env, NULL));
  sig = signature (r.out);
  g_assert_cmpstr (sig, ==, r.sig_new);
  g_assert_cmpuint (count_leftovers (r.root, r.out), ==, 0);
  runs_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reproduce-kill/each-step", test_kill_each_step);
  g_test_add_func ("/reproduce-kill/without-exchange", test_without_exchange);
  return g_test_run ();
}
