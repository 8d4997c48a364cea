/* SPDX-License-Identifier: MIT */
/* test-studio.c — the window for real, on a small subset of MNIST: it trains, the curves and
 * the heatmaps move, a lambda change reaches the worker, pause / resume / stop work, start and
 * stop survive twenty cycles, every view exports to a one-page PDF, and a screenshot of each
 * view is kept in the build directory. Runs under xvfb-run. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-view.h"
#include "studio-trainer-private.h"
#include "studio-history.h"
#include "studio-resources.h"
#include "studio-application.h"
#include "studio-curves-view.h"
#include "studio-neurons-view.h"
#include "studio-results-view.h"

static gboolean
in_adaptation_with_points (StudioWindow *win, gpointer data)
{
  StudioHistory *h = studio_window_get_history (win);
  StudioSnapshot *p = studio_history_get_params (h);
  const StudioRun *run = current_run (win);
  guint64 min_step = GPOINTER_TO_UINT (data);
  return run != NULL && run->step->len > 0 && p != NULL && p->phase == STUDIO_PHASE_ADAPTATION &&
         p->step >= min_step && studio_history_get_masks (h) != NULL;
}

static gboolean
is_paused (StudioWindow *win, gpointer data)
{
  return studio_trainer_get_state (studio_window_get_trainer (win)) == STUDIO_TRAINER_PAUSED;
}

static gboolean
banner_shown (StudioWindow *win, gpointer data)
{
  return studio_window_get_banner (win) != NULL;
}

static gboolean
step_beyond (StudioWindow *win, gpointer data)
{
  return current_step (win) > *(guint64 *) data;
}

static gboolean
lambda_used (StudioWindow *win, gpointer data)
{
  const StudioRun *run = current_run (win);
  return run != NULL && fabsf (run->lambda - *(float *) data) < 1e-7f &&
         run->lambda_step > 0;
}

static gboolean
params_moved (const StudioSnapshot *p)
{
  for (guint i = 0; i < p->hidden_units; i++)
    if (p->tau[i] != 0.0f || p->gamma[i] != 1.0f)
      return TRUE;
  return FALSE;
}

/* The app trains; the curves get points; tau and gamma move; lambda reaches the worker;
 * pause holds the step; resume moves it; stop ends the run. */
static void
test_train_controls (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioHistory *history = studio_window_get_history (win);
  StudioTrainer *trainer = studio_window_get_trainer (win);

  g_assert_true (studio_window_train (win));
  wait_for (win, in_adaptation_with_points, GUINT_TO_POINTER (16 + 8), "adaptation steps");

  const StudioRun *run = current_run (win);
  g_assert_cmpuint (run->step->len, >, 10);
  g_assert_cmpuint (run->foundation_steps, ==, 16);
  gboolean have_acc = FALSE;
  for (guint i = 0; i < run->acc_rot->len; i++)
    have_acc |= !isnan (g_array_index (run->acc_rot, double, i));
  g_assert_true (have_acc);
  StudioSnapshot *p = studio_history_get_params (history);
  g_assert_nonnull (p->tau);
  g_assert_cmpuint (p->hidden_units, ==, 256);
  g_assert_true (params_moved (p));
  g_assert_true (studio_history_get_masks (history)->firing0_hard != NULL);

  /* pause: the step stops advancing */
  studio_window_pause (win);
  wait_for (win, is_paused, NULL, "pause");
  guint64 paused_at = current_step (win);
  spin (300);
  g_assert_cmpuint (current_step (win), ==, paused_at);
  g_assert_true (is_paused (win, NULL));

  /* lambda, changed while paused through the control, is what the worker trains with next */
  float lambda = 0.01f;
  g_assert_cmpfloat (current_run (win)->lambda, ==, 0.0f);
  studio_window_set_lambda (win, lambda);
  studio_window_train (win); /* resumes */
  wait_for (win, lambda_used, &lambda, "the worker to use the new lambda");
  run = current_run (win);
  g_assert_cmpfloat_with_epsilon (run->lambda, lambda, 1e-7);
  g_assert_cmpuint (run->lambda_step, ==, paused_at);
  g_assert_cmpuint (run->markers->len, >=, 1);
  g_assert_nonnull (strstr (g_array_index (run->markers, StudioMarker, run->markers->len - 1).label, "λ"));

  /* resumed: the step moves again */
  wait_for (win, step_beyond, &paused_at, "the run to resume");
  g_assert_cmpint (studio_trainer_get_state (trainer), ==, STUDIO_TRAINER_RUNNING);

  /* sharpness too, through its slider, while running */
  studio_window_set_sharpness (win, 20.0);
  gint64 end = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_TIME_SPAN_SECOND;
  while (fabsf (studio_history_get_status (history)->sharpness - 20.0f) > 1e-3f)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
    }

  /* keep a picture of the curves with the changes marked */
  {
    const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";
    g_autofree char *shot = g_build_filename (builddir, "studio-screenshot-live-changes.png", NULL);
    g_autoptr (GError) error = NULL;
    guint64 now = current_step (win) + 24;
    wait_for (win, step_beyond, &now, "more steps after the changes");
    spin (200);
    g_assert_true (studio_widget_save_png (GTK_WIDGET (win), shot, &error));
  }

  /* stop */
  studio_window_stop (win);
  g_assert_true (is_idle (win, NULL));
  g_assert_true (current_run (win)->finished);
  guint64 stopped_at = current_step (win);
  spin (100);
  g_assert_cmpuint (current_step (win), ==, stopped_at);

  destroy_window (win);
}

/* Twenty start/stop cycles at different moments: no crash, no hang, every worker joined. */
static void
test_start_stop_cycles (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  guint live0 = studio_snapshot_get_live_count ();
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioTrainer *trainer = studio_window_get_trainer (win);
  StudioHistory *history = studio_window_get_history (win);
  guint joined0 = studio_trainer_get_joined (trainer);
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  g_object_add_weak_pointer (G_OBJECT (trainer), (gpointer *) &trainer);
  g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);

  for (int i = 0; i < 20; i++)
    {
      g_assert_true (studio_window_train (win));
      if (i % 4 == 1)
        wait_for (win, any_snapshot, NULL, "a snapshot");
      else if (i % 4 == 2)
        spin (5 * i);
      else if (i % 4 == 3)
        {
          studio_window_pause (win);
          spin (20);
        }
      studio_window_stop (win);
      g_assert_false (studio_trainer_is_busy (trainer));
      if (i % 5 == 4)
        studio_window_reset (win);
    }
  g_assert_cmpuint (studio_trainer_get_joined (trainer) - joined0, ==, 20);
  destroy_window (win);

  /* nothing leaks: the window, its trainer and history are finalised with it (every worker
   * is joined and its idle removed by the stops), every snapshot freed */
  g_assert_null (win);
  g_assert_null (trainer);
  g_assert_null (history);
  g_assert_cmpuint (studio_snapshot_get_live_count (), ==, live0);
}

/* Closing the window while it trains stops the worker first: by the time the close returns
 * the worker is joined, nothing waits for the main loop, and the window and every snapshot
 * are gone. */
static void
test_close_mid_run (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  guint live0 = studio_snapshot_get_live_count ();
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioTrainer *trainer = g_object_ref (studio_window_get_trainer (win));
  guint joined0 = studio_trainer_get_joined (trainer);
  guint64 first = 0;

  g_assert_true (studio_window_train (win));
  wait_for (win, step_beyond, &first, "a training step");
  g_assert_true (studio_trainer_is_busy (trainer));
  g_assert_cmpint (studio_trainer_get_state (trainer), ==, STUDIO_TRAINER_RUNNING);
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  gtk_window_close (GTK_WINDOW (win));

  g_assert_false (studio_trainer_is_busy (trainer));
  g_assert_cmpuint (studio_trainer_get_joined (trainer), ==, joined0 + 1);
  g_assert_cmpint (studio_trainer_get_state (trainer), ==, STUDIO_TRAINER_IDLE);
  g_assert_cmpuint (trainer->idle_id, ==, 0);
  g_assert_null (trainer->pending);
  wait_until (pointer_cleared, &win, WAIT_TIMEOUT_S, "the closed window to go");
  g_object_unref (trainer);
  g_assert_cmpuint (studio_snapshot_get_live_count (), ==, live0);
}

/* A data folder that does not exist: the banner says so, and the window still trains. */
static void
test_missing_data (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  g_free (cfg.data_dir);
  cfg.data_dir = g_strdup ("/nonexistent/mnist");
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  /* said at once, not only once Train fails */
  g_assert_nonnull (studio_window_get_banner (win));
  g_assert_nonnull (strstr (studio_window_get_banner (win), "/nonexistent/mnist"));

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the failed load");
  const char *banner = studio_window_get_banner (win);
  g_assert_nonnull (banner);
  g_assert_nonnull (strstr (banner, "/nonexistent/mnist"));
  /* the folder was chosen, not the default: no advice about the default's variable */
  g_assert_null (strstr (banner, "TG_MNIST_DIR"));
  destroy_window (win);
}

/* A learning rate far too large: divergence is reported in the window, not a crash. At
 * lr 1e30 the first step puts weights near 1e30 and the next forward overflows, so the loss
 * is not finite within the first epoch, whatever the data. */
static void
test_divergence (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.lr = 1e30f;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run to end");
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  g_assert_error (st->error, TG_ERROR, TG_ERROR_DIVERGED);
  g_assert_nonnull (strstr (st->error->message, "Step "));
  g_assert_cmpuint (st->step, <, 8);
  g_assert_nonnull (studio_window_get_banner (win));
  destroy_window (win);
}

static int
count_pages (const char *pdf, gsize len)
{
  int pages = 0;
  /* memmem, not strstr: compressed streams hold NUL bytes */
  for (const char *p = pdf; (p = memmem (p, pdf + len - p, "/Type", 5)) != NULL; p += 5)
    {
      const char *q = p + 5;
      while (q < pdf + len && (*q == ' ' || *q == '\n' || *q == '\r'))
        q++;
      if (pdf + len - q >= 6 && strncmp (q, "/Page", 5) == 0 && q[5] != 's')
        pages++;
    }
  return pages;
}

/* A finished run and the overlap models; then every view to a one-page PDF (and SVG, PNG),
 * and a screenshot of each view in the build directory. */
static void
test_export_views (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 2;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run");
  g_assert_null (studio_history_get_status (studio_window_get_history (win))->error);

  /* a second run with another method starts from the cached foundation and is overlaid */
  studio_window_set_method (win, TG_METHOD_BITFIT);
  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the second run");
  StudioHistory *history = studio_window_get_history (win);
  g_assert_cmpuint (studio_history_get_n_runs (history), ==, 2);
  const StudioRun *second = studio_history_get_run (history, 1);
  g_assert_true (second->foundation_cached);
  g_assert_cmpint (second->method, ==, TG_METHOD_BITFIT);
  g_assert_cmpfloat (g_array_index (second->step, double, 0), >, (double) second->foundation_steps);
  g_assert_false (isnan (second->final_acc_rot));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.run-overlap", NULL));
  wait_for (win, overlap_done, NULL, "the overlap models");
  StudioSnapshot *ov = studio_history_get_overlap (studio_window_get_history (win));
  g_assert_cmpuint (ov->overlap_layers, ==, 2);

  for (const char *const *name = studio_window_view_names (); *name != NULL; name++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *file = g_strdup_printf ("studio-%s.pdf", *name);
      g_autofree char *path = g_build_filename (builddir, file, NULL);
      g_autofree char *pdf = NULL;
      gsize len;

      gboolean exported = studio_window_export_view (win, *name, path, &error);
      g_assert_no_error (error);   /* says why first */
      g_assert_true (exported);
      g_assert_true (g_file_get_contents (path, &pdf, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
      g_assert_cmpint (count_pages (pdf, len), ==, 1);

      g_autofree char *svg = g_strdup_printf ("%s/studio-%s.svg", builddir, *name);
      g_assert_true (studio_window_export_view (win, *name, svg, &error));
      g_autofree char *png = g_strdup_printf ("%s/studio-%s-export.png", builddir, *name);
      g_assert_true (studio_window_export_view (win, *name, png, &error));

      /* the screenshot: the window showing this view, the pointer over its middle */
      studio_window_show_view (win, *name);
      spin (200);
      GtkWidget *view = studio_window_get_view (win, *name);
      double cx = gtk_widget_get_width (view) * 0.45, cy = gtk_widget_get_height (view) * 0.3;
      if (g_str_equal (*name, "curves"))
        {
          const char *text = studio_curves_view_hover (STUDIO_CURVES_VIEW (view), cx, cy);
          g_assert_nonnull (strstr (text, "step"));
          g_assert_nonnull (strstr (text, "acc 45°"));
        }
      else if (g_str_equal (*name, "neurons"))
        {
          const char *text = studio_neurons_view_hover (STUDIO_NEURONS_VIEW (view), cx * 0.5, cy);
          g_test_message ("neurons hover: %s", text);
          /* the newest run is BitFit: no gates, so no τ / γ cells to read (a gated run's
           * hover is tested with the other angle) */
          g_assert_null (strstr (text, "τ ="));
          g_assert_null (strstr (text, "mean gate"));
        }
      spin (200);
      g_autofree char *shot = g_strdup_printf ("%s/studio-screenshot-%s.png", builddir, *name);
      g_assert_true (studio_widget_save_png (GTK_WIDGET (win), shot, &error));
      g_assert_no_error (error);
      g_autofree char *bytes = NULL;
      g_assert_true (g_file_get_contents (shot, &bytes, &len, NULL));
      g_assert_cmpuint (len, >, 5000);
      g_assert_true (memcmp (bytes, "\x89PNG", 4) == 0);
      g_test_message ("screenshot: %s", shot);
    }

  /* an export into a folder that does not exist fails with an error, not a crash */
  g_autoptr (GError) error = NULL;
  g_assert_false (studio_window_export_view (win, "curves", "/nonexistent/dir/x.pdf", &error));
  g_assert_nonnull (error);

  destroy_window (win);
}

static gboolean
comparison_done (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->job == STUDIO_JOB_EXPERIMENT && st->finished && is_idle (win, NULL);
}

/* "Run the paper comparison" in the worker, with progress; then "Export all" writes the
 * figures, results.csv and the LaTeX tables. */
static void
test_comparison_export_all (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.foundation_epochs = 1;
  cfg.adapt_epochs = 1;
  cfg.seeds = 2;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";
  g_autofree char *out = g_build_filename (builddir, "studio-export-all", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.run-comparison", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_parent (
                     studio_window_get_view (win, "results")))), ==, "results");
  /* it pauses too: the progress holds still until resumed */
  studio_window_pause (win);
  wait_for (win, is_paused, NULL, "the comparison to pause");
  double held = studio_history_get_status (studio_window_get_history (win))->progress;
  spin (300);
  g_assert_true (is_paused (win, NULL));
  g_assert_cmpfloat (studio_history_get_status (studio_window_get_history (win))->progress, ==, held);
  studio_window_train (win); /* resumes */
  wait_for (win, comparison_done, NULL, "the paper comparison");
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  g_assert_no_error (st->error);
  const TgExperimentResults *res = studio_history_get_experiment (studio_window_get_history (win));
  g_assert_nonnull (res);
  g_assert_cmpuint (res->runs->len, ==, 2 * TG_N_METHODS);

  g_assert_true (studio_window_export_all (win, out, &error));
  g_assert_no_error (error);
  const char *files[] = { "results.csv", "tables/mnist_rotation_results.tex",
                          "tables/mnist_rotation_ablations.tex", "tables/taugate_overlap.tex",
                          "figures/mnist_rotation_accuracy.pdf", "figures/mnist_rotation_accuracy.csv",
                          "figures/taugate-curves.pdf",
                          "figures/taugate-results.pdf", NULL };
  for (int i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (out, files[i], NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  studio_window_show_view (win, "results");
  spin (300);
  g_autofree char *shot = g_build_filename (builddir, "studio-screenshot-comparison.png", NULL);
  g_assert_true (studio_widget_save_png (GTK_WIDGET (win), shot, &error));

  /* unwritable target: an error, nothing crashes */
  g_assert_false (studio_window_export_all (win, "/proc/taugate-cannot-write", &error));
  g_assert_nonnull (error);

  /* after Reset no "Comparison done" stays over the emptied table */
  GtkWidget *results = studio_window_get_view (win, "results");
  g_assert_true (studio_results_view_get_progress_visible (STUDIO_RESULTS_VIEW (results)));
  studio_window_reset (win);
  g_assert_false (studio_results_view_get_progress_visible (STUDIO_RESULTS_VIEW (results)));
  destroy_window (win);
}

/* The dark style: the views notice and draw with the dark plot style. */
static void
test_dark_style (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  GtkWidget *view = studio_window_get_view (win, "curves");
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";
  g_autoptr (GError) error = NULL;

  studio_window_queue_job (win, STUDIO_JOB_TRAIN);
  wait_for (win, run_finished, NULL, "the run");
  g_assert_false (studio_widget_is_dark (view));
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
  spin (300);
  g_assert_true (studio_widget_is_dark (view));
  g_autofree char *shot = g_build_filename (builddir, "studio-screenshot-dark.png", NULL);
  g_assert_true (studio_widget_save_png (GTK_WIDGET (win), shot, &error));
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);
  spin (100);
  g_assert_false (studio_widget_is_dark (view));
  destroy_window (win);
}

/* Ctrl+E's action through the file chooser: the file is written and the window says so;
 * a folder that cannot take files (/proc, even for root) gives an error in the banner and
 * the window carries on. The chooser opens in the current directory. */
static void
test_export_dialog (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *absdir = g_canonicalize_filename (builddir, cwd);
  g_autofree char *target = g_build_filename (absdir, "studio-dialog-export.svg", NULL);
  const char *folders[] = { absdir, "/proc" };

  g_remove (target);
  studio_window_show_view (win, "masks");
  for (int k = 0; k < 2; k++)
    {
      studio_window_dismiss_banner (win);  /* the next banner is this export's */
      g_assert_cmpint (g_chdir (folders[k]), ==, 0);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export-choose", NULL));
      wait_for (win, chooser_shown, NULL, "the file chooser");
      GtkWidget *chooser = find_file_chooser ();
      spin (300); /* the folder loads asynchronously */
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                         k == 0 ? "studio-dialog-export.svg" : "figure.pdf");
      spin (100);
      GtkWidget *accept = gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser),
                                                              GTK_RESPONSE_ACCEPT);
      g_assert_nonnull (accept);
      gtk_widget_activate (accept);
      wait_for (win, banner_shown, NULL, "the export's banner");
      g_assert_cmpint (g_chdir (cwd), ==, 0);

      const char *banner = studio_window_get_banner (win);
      g_assert_nonnull (banner);
      g_test_message ("banner: %s", banner);
      if (k == 0)
        {
          g_assert_true (g_file_test (target, G_FILE_TEST_IS_REGULAR));
          g_assert_nonnull (strstr (banner, "Exported to"));
        }
      else
        g_assert_nonnull (strstr (banner, "Export failed"));
      studio_window_dismiss_banner (win);
      g_assert_null (studio_window_get_banner (win));
    }
  destroy_window (win);
}

static gboolean
nth_run_finished (StudioWindow *win, gpointer data)
{
  StudioHistory *h = studio_window_get_history (win);
  guint n = GPOINTER_TO_UINT (data);
  return studio_history_get_n_runs (h) == n && studio_history_get_run (h, n - 1)->finished &&
         is_idle (win, NULL);
}

/* Queued jobs (what --autostart --overlap does) run one after the other. */
static void
test_job_queue (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioHistory *history = studio_window_get_history (win);

  studio_window_queue_job (win, STUDIO_JOB_TRAIN);
  studio_window_queue_job (win, STUDIO_JOB_TRAIN);
  studio_window_queue_job (win, STUDIO_JOB_OVERLAP);
  wait_for (win, overlap_done, NULL, "the queued jobs");
  g_assert_cmpuint (studio_history_get_n_runs (history), ==, 2);
  const StudioRun *a = studio_history_get_run (history, 0), *b = studio_history_get_run (history, 1);
  g_assert_true (a->finished && b->finished);
  /* the same seed gives the same model, whether the foundation was trained or cached */
  g_assert_false (a->foundation_cached);
  g_assert_true (b->foundation_cached);
  g_assert_cmpfloat (a->final_acc0, ==, b->final_acc0);
  g_assert_cmpfloat (a->final_acc_rot, ==, b->final_acc_rot);
  g_assert_nonnull (studio_history_get_overlap (history));
  TgResultsCells cells;
  /* two runs of one seed are one sample: pooled once (n = 1), not a spread of 0 */
  g_assert_cmpuint (studio_results_view_pool_runs (history, TG_METHOD_TAUGATE, &cells, NULL,
                                                   NULL), ==, 1);
  g_assert_cmpfloat (cells.acc0, ==, a->final_acc0);

  /* each figure has a text description: what it shows and the state of what it shows */
  for (const char *const *name = studio_window_view_names (); *name != NULL; name++)
    {
      g_autofree char *text = studio_view_describe (STUDIO_VIEW (studio_window_get_view (win, *name)));
      g_test_message ("%s: %s", *name, text);
      g_assert_nonnull (strstr (text, "2 runs shown"));
      g_assert_nonnull (strstr (text, "Overlap models done"));
    }

  /* the overlap job took a run id but is no curve: the next training run is the third */
  studio_window_queue_job (win, STUDIO_JOB_TRAIN);
  wait_for (win, nth_run_finished, GUINT_TO_POINTER (3), "the third run");
  g_assert_true (g_str_has_suffix (studio_history_get_run (history, 2)->name, "#3"));
  destroy_window (win);
}

/* The suite must not depend on the machine's GL driver: Mesa's EGL set-up leaks inside a
 * driver library it then unloads, which LeakSanitizer reports against every GUI program and
 * cannot be suppressed by name. tests/meson.build turns GL off for every test and every
 * program a test spawns (GDK_DEBUG=gl-disable, GSK_RENDERER=cairo); this fails if it is not. */
static void
test_environment_without_gl (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_false (gdk_display_prepare_gl (gdk_display_get_default (), &error));
  g_assert_nonnull (error);
  g_test_message ("GL: %s", error->message);

  /* a window shown and gone again, its events drained, before the next test's window */
  GtkWidget *win = gtk_window_new ();
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  gtk_window_present (GTK_WINDOW (win));
  while (!gtk_widget_get_mapped (win))
    g_main_context_iteration (NULL, TRUE);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (win));
  g_assert_nonnull (renderer);
  g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), ==, "GskCairoRenderer");
  gtk_window_destroy (GTK_WINDOW (win));
  while (win != NULL || g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;

  g_test_add_func ("/studio/environment/without-gl", test_environment_without_gl);
  g_test_add_func ("/studio/window/train-controls", test_train_controls);
  g_test_add_func ("/studio/window/start-stop-cycles", test_start_stop_cycles);
  g_test_add_func ("/studio/window/close-mid-run", test_close_mid_run);
  g_test_add_func ("/studio/window/missing-data", test_missing_data);
  g_test_add_func ("/studio/window/divergence", test_divergence);
  g_test_add_func ("/studio/window/export-views", test_export_views);
  g_test_add_func ("/studio/window/comparison-export-all", test_comparison_export_all);
  g_test_add_func ("/studio/window/job-queue", test_job_queue);
  g_test_add_func ("/studio/window/dark-style", test_dark_style);
  g_test_add_func ("/studio/window/export-dialog", test_export_dialog);
  return g_test_run ();
}
