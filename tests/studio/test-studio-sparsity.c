/* SPDX-License-Identifier: MIT */
/* test-studio-sparsity.c — the Sparsity view: a lambda sweep run from the window in the worker
 * (two lambdas, a small subset of MNIST) reaches the history and the view, a larger lambda
 * leaves fewer units on, a finished run carries its measured batch-1 speedup and stands on
 * the frontier as the current point, and the view exports. Needs a display (xvfb-run). */
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "studio-test-util.h"
#include "studio-sparsity-view.h"

static gboolean
sweep_done (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->job == STUDIO_JOB_SWEEP && st->finished && is_idle (win, NULL);
}

static void
small_sweep_config (StudioConfig *cfg)
{
  small_config (cfg);
  cfg->foundation_epochs = 1;
  cfg->adapt_epochs = 1;
  cfg->seeds = 1;
  cfg->n_sweep_lambdas = 2;
  cfg->sweep_lambdas[0] = 0.0;
  cfg->sweep_lambdas[1] = 3.0;
}

static void
test_sweep (void)
{
  StudioConfig cfg;
  small_sweep_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioHistory *history = studio_window_get_history (win);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.run-sweep", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_parent (
                     studio_window_get_view (win, "sparsity")))), ==, "sparsity");
  wait_for (win, sweep_done, NULL, "the λ sweep");
  StudioSnapshot *st = studio_history_get_status (history);
  g_assert_no_error (st->error);
  const TgSweepResults *res = studio_history_get_sweep (history);
  g_assert_nonnull (res);
  g_assert_cmpuint (res->points->len, ==, 2);
  const TgSweepPoint *p0 = &g_array_index (res->points, TgSweepPoint, 0);
  const TgSweepPoint *p1 = &g_array_index (res->points, TgSweepPoint, 1);
  g_assert_cmpfloat (p0->lambda, ==, 0.0);
  g_assert_cmpfloat (p1->lambda, ==, 3.0);
  double on0 = 0, on1 = 0;
  for (guint l = 0; l < p0->n_layers; l++)
    on0 += p0->on_frac[l], on1 += p1->on_frac[l];
  g_assert_cmpfloat (on1, <, on0);
  g_assert_true (isfinite (p0->speedup) && p0->speedup > 0);
  g_assert_cmpuint (p0->identical + p0->ties, ==, p0->n_test);

  const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";
  g_autofree char *pdf = g_build_filename (builddir, "studio-sparsity.pdf", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (studio_window_export_view (win, "sparsity", pdf, &error));
  g_assert_no_error (error);
  /* the numbers drawn, beside the figure: a row per λ */
  g_autofree char *csv_path = g_build_filename (builddir, "studio-sparsity.csv", NULL);
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "point,lambda,"));
  g_assert_nonnull (strstr (csv, "\nsweep,0,"));
  g_assert_nonnull (strstr (csv, "\nsweep,3,"));
  destroy_window (win);
}

/* A finished TauGate run: its speedup is measured and it is the frontier's current point. */
static void
test_current_point (void)
{
  StudioConfig cfg;
  small_sweep_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioHistory *history = studio_window_get_history (win);
  TgSparsityPoint cur;

  g_assert_false (studio_sparsity_current_point (history, &cur));
  studio_window_train (win);
  wait_for (win, run_finished, NULL, "the run");
  const StudioRun *run = studio_history_get_current (history);
  g_assert_true (run->finished && !run->failed);
  g_assert_true (isfinite (run->sparse_speedup) && run->sparse_speedup > 0);
  g_assert_cmpfloat (run->sparse_madds, <, run->dense_madds);
  g_assert_true (studio_sparsity_current_point (history, &cur));
  g_assert_cmpfloat (cur.on_frac, >, 0.0);
  g_assert_cmpfloat (cur.on_frac, <=, 1.0);
  g_assert_cmpfloat (cur.acc, ==, run->final_acc_rot);
  g_assert_cmpfloat (cur.speedup, ==, run->sparse_speedup);

  /* every view that draws numbers exports them beside its figure */
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";
  const char *views[] = { "curves", "neurons", "overlap", "sparsity" };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *file = g_strdup_printf ("studio-csv-%s.svg", views[i]);
      g_autofree char *path = g_build_filename (builddir, file, NULL);
      g_autofree char *csv_path = g_strdup (path);
      strcpy (csv_path + strlen (csv_path) - 4, ".csv");
      g_remove (csv_path);
      g_autoptr (GError) error = NULL;
      g_assert_true (studio_window_export_view (win, views[i], path, &error));
      g_assert_no_error (error);
      g_autofree char *csv = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (csv_path, &csv, &len, NULL));
      g_assert_cmpuint (len, >, 10);
    }
  destroy_window (win);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;

  g_test_add_func ("/studio/sparsity/current-point", test_current_point);
  g_test_add_func ("/studio/sparsity/sweep", test_sweep);
  return g_test_run ();
}
