/* test-studio-results.c — the Results view names the data set its numbers are on, in the
 * title, for runs trained in the window and for a paper comparison, and sets the paper's
 * MNIST numbers beside ours only for MNIST at 45°. Under xvfb-run; a small folder that is
 * not MNIST, and a subset of MNIST. */
#include <gtk/gtk.h>
#include <string.h>

#include "cli-test-util.h"
#include "studio-test-util.h"
#include "studio-history.h"
#include "studio-view.h"
#include "studio-results-view.h"
#include <math.h>

#define PAPER_TAUGATE "0.850 ± 0.006"   /* the paper's TauGate at 0°, its Table 1 */

/* The Results figure as text (pdftotext), or NULL after marking the test skipped. */
static char *
results_text (StudioWindow *win, const char *name)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  if (tool == NULL)
    {
      g_test_skip ("no pdftotext");
      return NULL;
    }
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".";
  g_autofree char *pdf = g_build_filename (builddir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (studio_view_export (STUDIO_VIEW (studio_window_get_view (win, "results")),
                                     pdf, 800, 520, &error));
  g_assert_no_error (error);
  char *out = NULL;
  g_autofree char *err = NULL;
  g_assert_cmpint (cli_test_run_argv ((const char *[]) { tool, "-q", pdf, "-", NULL }, &out,
                                      &err), ==, 0);
  g_test_message ("%s: %s", name, out);
  return out;
}

/* A quick configuration on the folder dir (NULL: the MNIST subset) at angle degrees. */
static StudioWindow *
window_on (const char *dir, double angle)
{
  StudioConfig cfg;
  small_config (&cfg);
  if (dir != NULL)
    {
      g_free (cfg.data_dir);
      cfg.data_dir = g_strdup (dir);
      cfg.train_limit = 0;
      cfg.test_limit = 0;
      cfg.batch = 32;
    }
  cfg.angle = angle;
  cfg.foundation_epochs = 1;
  cfg.adapt_epochs = 1;
  cfg.seeds = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  return win;
}

static gboolean
comparison_over (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->job == STUDIO_JOB_EXPERIMENT && st->finished && is_idle (win, NULL);
}

/* A run trained in the window on a folder that is not MNIST, at 30°: the title names the
 * folder and the angle, and no paper number stands beside it. */
static void
test_live_run_names_data (void)
{
  g_autofree char *root = g_dir_make_tmp ("tg-results-XXXXXX", NULL);
  g_autofree char *dir = cli_test_make_data_dir (root, "stripes");
  StudioWindow *win = window_on (dir, 30);
  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run");
  g_autofree char *text = results_text (win, "results-live-stripes.pdf");
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "specialisation, stripes 0° vs 30°"));
      g_assert_null (strstr (text, "specialisation, MNIST"));
      g_assert_null (strstr (text, PAPER_TAUGATE));
      g_assert_nonnull (strstr (text, "not shown"));
    }
  destroy_window (win);
  cli_test_remove_tree (root);
}

/* The same on the MNIST subset at 45°: MNIST in the title, the paper's numbers beside ours. */
static void
test_live_run_mnist (void)
{
  StudioWindow *win = window_on (NULL, 45);
  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run");
  g_autofree char *text = results_text (win, "results-live-mnist.pdf");
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "specialisation, MNIST 0° vs 45°"));
      g_assert_nonnull (strstr (text, PAPER_TAUGATE));
    }
  /* beside the export, the numbers drawn: ours and the paper's line of every method */
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".";
  g_autofree char *csv_path = g_build_filename (builddir, "results-live-mnist.csv", NULL);
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "method,source,params,n,acc0,"));
  g_assert_nonnull (strstr (csv, "\nTauGate,ours,"));
  g_assert_nonnull (strstr (csv, "\nTauGate,paper,"));
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 * TG_N_METHODS + 1);   /* and the last \n */
  g_autofree char *from_view = studio_view_dup_csv (STUDIO_VIEW (studio_window_get_view (win, "results")));
  g_assert_cmpstr (from_view, ==, csv);
  destroy_window (win);
}

/* A paper comparison on a folder that is not MNIST: its title names the folder. */
static void
test_comparison_names_data (void)
{
  g_autofree char *root = g_dir_make_tmp ("tg-results-XXXXXX", NULL);
  g_autofree char *dir = cli_test_make_data_dir (root, "stripes");
  StudioWindow *win = window_on (dir, 45);
  studio_window_queue_job (win, STUDIO_JOB_EXPERIMENT);
  wait_for (win, comparison_over, NULL, "the comparison");
  g_assert_nonnull (studio_history_get_experiment (studio_window_get_history (win)));
  g_autofree char *text = results_text (win, "results-comparison-stripes.pdf");
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "specialisation, stripes 0° vs 45°"));
      g_assert_null (strstr (text, PAPER_TAUGATE));
    }
  destroy_window (win);
  cli_test_remove_tree (root);
}

/* A finished TauGate run of seed with acc0 = acc, made as a session restores one. */
static StudioRun *
finished_run (guint id, guint64 seed, double acc)
{
  StudioRun *run = studio_run_new (id, "TauGate");
  run->method = TG_METHOD_TAUGATE;
  run->seed = seed;
  run->angle = 45;
  run->settings = g_strdup ("MNIST, 45°, s 10, λ 0");
  run->finished = TRUE;
  run->final_acc0 = acc;
  run->final_acc_rot = acc - 0.01;
  return run;
}

/* Runs pool over their seeds: the same seed trained twice is one sample, not two (two seed-0
 * runs read "0.871 ± 0.000"), and the table says over how many seeds each mean is. */
static void
test_pool_distinct_seeds (void)
{
  g_autoptr (StudioHistory) history = studio_history_new ();
  GPtrArray *runs = g_ptr_array_new ();
  g_ptr_array_add (runs, finished_run (1, 0, 0.871));
  g_ptr_array_add (runs, finished_run (2, 0, 0.871));
  studio_history_restore (history, runs, NULL, NULL, NULL, NULL, NULL, NULL);
  TgResultsCells c;
  g_assert_cmpuint (studio_results_view_pool_runs (history, TG_METHOD_TAUGATE, &c, NULL, NULL),
                    ==, 1);
  g_assert_cmpfloat (c.acc0, ==, 0.871);
  g_assert_true (isnan (c.acc0_std));   /* one seed: no spread to show */

  runs = g_ptr_array_new ();
  g_ptr_array_add (runs, finished_run (1, 0, 0.80));
  g_ptr_array_add (runs, finished_run (2, 1, 0.90));
  g_ptr_array_add (runs, finished_run (3, 1, 0.90));
  studio_history_restore (history, runs, NULL, NULL, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (studio_results_view_pool_runs (history, TG_METHOD_TAUGATE, &c, NULL, NULL),
                    ==, 2);
  g_assert_cmpfloat_with_epsilon (c.acc0, 0.85, 1e-12);
  g_assert_cmpfloat_with_epsilon (c.acc0_std, 0.0707107, 1e-6);

  /* the figure says n: the view's CSV has a column for it (and the caption lists it) */
  GtkWidget *view = studio_results_view_new ();
  g_object_ref_sink (view);
  studio_view_set_history (STUDIO_VIEW (view), history);
  g_autofree char *csv = studio_view_dup_csv (STUDIO_VIEW (view));
  g_assert_true (g_str_has_prefix (csv, "method,source,params,n,acc0,"));
  g_assert_nonnull (strstr (csv, "\nTauGate,ours,512,2,"));
  g_object_unref (view);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;

  g_test_add_func ("/studio/results/live-run-names-data", test_live_run_names_data);
  g_test_add_func ("/studio/results/live-run-mnist", test_live_run_mnist);
  g_test_add_func ("/studio/results/comparison-names-data", test_comparison_names_data);
  g_test_add_func ("/studio/results/pool-distinct-seeds", test_pool_distinct_seeds);
  return g_test_run ();
}
