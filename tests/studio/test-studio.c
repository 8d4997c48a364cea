/* test-studio.c — the window for real, on a small subset of MNIST: it trains, the curves and
 * the heatmaps move, a lambda change reaches the worker, pause / resume / stop work, start and
 * stop survive twenty cycles, every view exports to a one-page PDF, and a screenshot of each
 * view is kept in the build directory. Runs under xvfb-run. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "studio-window-private.h"
#include "studio-view.h"
#include "studio-trainer-private.h"
#include "studio-history.h"
#include "studio-resources.h"
#include "studio-application.h"
#include "studio-curves-view.h"
#include "studio-neurons-view.h"
#include "studio-results-view.h"

#define WAIT_TIMEOUT_S 120

static char *data_dir;

static void
small_config (StudioConfig *cfg)
{
  studio_config_init_paper (cfg);
  cfg->data_dir = g_strdup (data_dir);
  cfg->train_limit = 2048;   /* 8 batches of 256 per epoch */
  cfg->test_limit = 1000;
  cfg->foundation_epochs = 2;
  cfg->adapt_epochs = 40;    /* long enough to change settings while it runs */
  cfg->eval_every = 4;
  cfg->eval_samples = 500;
  cfg->mask_every = 8;
}

static StudioWindow *
new_window (const StudioConfig *cfg)
{
  StudioWindow *win = studio_window_new (NULL, cfg);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 800);
  gtk_window_present (GTK_WINDOW (win));
  return win;
}

static void
destroy_window (StudioWindow *win)
{
  gtk_window_destroy (GTK_WINDOW (win));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

typedef gboolean (*Condition) (StudioWindow *win, gpointer data);

/* Iterates the main context until cond holds; fails the test after WAIT_TIMEOUT_S. */
static void
wait_for (StudioWindow *win, Condition cond, gpointer data, const char *what)
{
  gint64 end = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_TIME_SPAN_SECOND;
  while (!cond (win, data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static void
spin (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static const StudioRun *
current_run (StudioWindow *win)
{
  return studio_history_get_current (studio_window_get_history (win));
}

static guint64
current_step (StudioWindow *win)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL ? st->step : 0;
}

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
is_idle (StudioWindow *win, gpointer data)
{
  return !studio_trainer_is_busy (studio_window_get_trainer (win)) &&
         studio_trainer_get_state (studio_window_get_trainer (win)) == STUDIO_TRAINER_IDLE;
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

static gboolean
any_snapshot (StudioWindow *win, gpointer data)
{
  return studio_history_get_status (studio_window_get_history (win)) != NULL;
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
  spin (50);
  destroy_window (win);

  /* nothing leaks: the window, its trainer and history are finalised, every snapshot freed */
  g_assert_null (win);
  g_assert_null (trainer);
  g_assert_null (history);
  g_assert_cmpuint (studio_snapshot_get_live_count (), ==, live0);
}

/* Closing the window while it trains stops the worker first. */
static void
test_close_mid_run (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  g_assert_true (studio_window_train (win));
  wait_for (win, any_snapshot, NULL, "a snapshot");
  spin (50);
  gtk_window_close (GTK_WINDOW (win));
  spin (50);
}

static gboolean
worker_hung (StudioWindow *win, gpointer data)
{
  return studio_trainer_get_test_hung (data);
}

/* A worker stuck where cancel cannot reach it (as OpenBLAS's pool after a fork) does not
 * hold the window: closing closes, the window goes, and the worker, once it comes back,
 * takes the trainer with it. */
static void
test_close_stuck_worker (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioTrainer *trainer = studio_window_get_trainer (win);
  GWeakRef trainer_ref;

  g_weak_ref_init (&trainer_ref, trainer);
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  studio_trainer_set_stop_timeout (trainer, 300);
  g_assert_true (studio_window_train (win));
  wait_for (win, any_snapshot, NULL, "a snapshot");
  studio_trainer_set_test_hang (trainer, TRUE);
  wait_for (win, worker_hung, trainer, "the worker to hang");

  /* the close returns, and the window is finalised, while the worker still hangs */
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "*did not stop within 300 ms*");
  gtk_window_close (GTK_WINDOW (win));
  spin (50);
  g_test_assert_expected_messages ();
  g_assert_null (win);
  g_assert_true (studio_trainer_get_test_hung (trainer));

  /* released, the worker ends and drops the last reference to the trainer */
  studio_trainer_set_test_hang (trainer, FALSE);
  trainer = NULL;
  gint64 end = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_TIME_SPAN_SECOND;
  for (;;)
    {
      GObject *alive = g_weak_ref_get (&trainer_ref);
      if (alive == NULL)
        break;
      g_object_unref (alive);
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for the left-behind worker to end");
      spin (20);
    }
  g_weak_ref_clear (&trainer_ref);
}

static gboolean
run_finished (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->finished && is_idle (win, NULL);
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

static gboolean
overlap_done (StudioWindow *win, gpointer data)
{
  return studio_history_get_overlap (studio_window_get_history (win)) != NULL && is_idle (win, NULL);
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

      g_assert_true (studio_window_export_view (win, *name, path, &error));
      g_assert_no_error (error);
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
          g_assert_nonnull (strstr (text, "unit"));
          g_assert_nonnull (strstr (text, "τ ="));
          g_assert_nonnull (strstr (text, "mean gate"));
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
                          "figures/mnist_rotation_accuracy.pdf", "figures/taugate-curves.pdf",
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

/* The file chooser GtkFileChooserNative falls back to without a portal, or NULL. */
static GtkWidget *
find_file_chooser (void)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (GTK_IS_FILE_CHOOSER_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

static gboolean
chooser_shown (StudioWindow *win, gpointer data)
{
  return find_file_chooser () != NULL;
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
      g_assert_cmpint (g_chdir (folders[k]), ==, 0);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export", NULL));
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
      gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
      while (studio_window_get_banner (win) == NULL && g_get_monotonic_time () < end)
        spin (50);
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

/* Shortcuts on the window's own controllers that Ctrl+E triggers. */
static guint
window_ctrl_e_bindings (GtkWidget *win)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (win);
  guint n = 0;
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
        {
          g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
          GtkShortcutTrigger *t = gtk_shortcut_get_trigger (sc);
          n += GTK_IS_KEYVAL_TRIGGER (t) &&
               gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (t)) == GDK_KEY_e &&
               gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (t)) == GDK_CONTROL_MASK;
        }
    }
  return n;
}

/* An export dialog open when the window goes, goes with it; and Ctrl+E is the application's
 * accelerator only, not a second binding on the window. */
static void
test_export_dialog_closes_with_window (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  g_assert_cmpuint (window_ctrl_e_bindings (GTK_WIDGET (win)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export", NULL));
  wait_for (win, chooser_shown, NULL, "the file chooser");
  destroy_window (win);
  spin (100);
  g_assert_null (find_file_chooser ());
}

static gboolean
shortcuts_window_shown (StudioWindow *win, gpointer data)
{
  GtkWidget *overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (
                                     GTK_APPLICATION_WINDOW (win)));
  return overlay != NULL && gtk_widget_get_visible (overlay);
}

/* Ctrl+? and F1 open a shortcuts window; Ctrl+E is bound once, to the export. */
static void
test_shortcuts_window (void)
{
  g_autoptr (StudioApplication) app = studio_application_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  StudioWindow *win = studio_window_new (GTK_APPLICATION (app), NULL);
  gtk_window_present (GTK_WINDOW (win));

  g_auto (GStrv) help = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                "win.show-help-overlay");
  g_assert_true (g_strv_contains ((const char *const *) help, "F1"));
  g_assert_true (g_strv_contains ((const char *const *) help, "<Control>question"));
  g_auto (GStrv) on_e = gtk_application_get_actions_for_accel (GTK_APPLICATION (app),
                                                                "<Control>e");
  g_assert_cmpuint (g_strv_length (on_e), ==, 1);
  g_assert_cmpstr (on_e[0], ==, "win.export");

  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (win)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.show-help-overlay", NULL));
  wait_for (win, shortcuts_window_shown, NULL, "the shortcuts window");
  destroy_window (win);
}

/* Results pools only runs that differ in their seed alone: a TauGate run at λ 0.01 after
 * one at λ 0 is shown alone, the first left out, and the settings say what was measured.
 * (Runs of equal settings pool: see the job queue test.) */
static void
test_results_pool_like_runs (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioHistory *history = studio_window_get_history (win);
  TgResultsCells c;
  const char *settings = NULL;
  guint left_out = 0;

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the first run");
  studio_window_set_lambda (win, 0.01);
  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the second run");
  const StudioRun *second = studio_history_get_run (history, 1);
  g_assert_cmpuint (studio_results_view_pool_runs (history, TG_METHOD_TAUGATE, &c, &settings,
                                                   &left_out), ==, 1);
  g_assert_cmpfloat (c.acc0, ==, second->final_acc0);
  g_assert_true (isnan (c.acc0_std));
  g_assert_cmpuint (left_out, ==, 1);
  g_assert_nonnull (strstr (settings, "λ 0.01"));
  g_assert_nonnull (strstr (settings, "2048 training / 1000 test images"));

  destroy_window (win);
}

static gboolean
has_total_steps (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->total_steps > 0;
}

/* More than 50 adaptation epochs are kept, not capped by the spin button. */
static void
test_many_epochs (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 60;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  g_assert_true (studio_window_train (win));
  wait_for (win, has_total_steps, NULL, "the run's step count");
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  g_assert_cmpuint (st->total_steps, ==, 2 * 8 + 60 * 8);
  studio_window_stop (win);
  destroy_window (win);
}

/* A run at another angle is labelled with its angle everywhere the studio writes one. */
static void
test_other_angle (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.angle = 30;
  cfg.adapt_epochs = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run");
  studio_window_show_view (win, "curves");
  spin (200);
  GtkWidget *curves = studio_window_get_view (win, "curves");
  const char *text = studio_curves_view_hover (STUDIO_CURVES_VIEW (curves),
                                               gtk_widget_get_width (curves) * 0.45,
                                               gtk_widget_get_height (curves) * 0.3);
  g_test_message ("curves hover: %s", text);
  g_assert_nonnull (strstr (text, "acc 30°"));
  g_assert_null (strstr (text, "45"));
  g_autofree char *status =
    studio_snapshot_format_status (studio_history_get_status (studio_window_get_history (win)));
  g_assert_nonnull (strstr (status, "acc 30°"));
  studio_window_show_view (win, "neurons");
  spin (200);
  GtkWidget *neurons = studio_window_get_view (win, "neurons");
  text = studio_neurons_view_hover (STUDIO_NEURONS_VIEW (neurons),
                                    gtk_widget_get_width (neurons) * 0.2,
                                    gtk_widget_get_height (neurons) * 0.3);
  g_test_message ("neurons hover: %s", text);
  g_assert_nonnull (strstr (text, "on 30°"));
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
  g_assert_cmpuint (studio_results_view_pool_runs (history, TG_METHOD_TAUGATE, &cells, NULL,
                                                   NULL), ==, 2);
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

typedef struct {
  StudioSnapshot *last;
  double          loss;   /* of the last step */
} RunEnd;

static void
keep_last (StudioTrainer *trainer, StudioSnapshot *snap, RunEnd *end)
{
  StudioSnapshot **last = &end->last;
  for (guint i = 0; i < snap->points->len; i++)
    if (!isnan (g_array_index (snap->points, StudioPoint, i).loss))
      end->loss = g_array_index (snap->points, StudioPoint, i).loss;
  if (snap->finished)
    {
      g_clear_pointer (last, studio_snapshot_unref);
      *last = studio_snapshot_ref (snap);
    }
}

/* Equal settings give equal numbers: the studio's TauGate run for seed 0 ends at the
 * accuracies the protocol (what `taugate reproduce` runs) reports for seed 0 TauGate. */
static void
test_same_as_protocol (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.train_limit = 6000;  /* enough to leave chance level behind */
  cfg.foundation_epochs = 3;
  cfg.adapt_epochs = 1;
  cfg.method = TG_METHOD_TAUGATE;
  cfg.seed = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioTrainer) trainer = studio_trainer_new ();
  RunEnd run_end = { NULL, NAN };
  StudioSnapshot *last;

  g_signal_connect (trainer, "snapshot", G_CALLBACK (keep_last), &run_end);
  g_assert_true (studio_trainer_start (trainer, STUDIO_JOB_TRAIN, &cfg, NULL, &error));
  g_assert_no_error (error);
  gint64 end = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_TIME_SPAN_SECOND;
  while (run_end.last == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  last = run_end.last;
  g_assert_no_error (last->error);

  g_autoptr (TgDataset) train = tg_dataset_load_dir (data_dir, "train", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) test = tg_dataset_load_dir (data_dir, "t10k", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgModeData) mode = tg_mode_data_new (train, test, cfg.angle, cfg.train_limit,
                                                  cfg.test_limit);
  TgExperimentConfig ecfg;
  tg_experiment_config_init_paper (&ecfg);
  ecfg.seeds = 1;
  ecfg.seed0 = cfg.seed;
  ecfg.angle = cfg.angle;
  ecfg.foundation_epochs = cfg.foundation_epochs;
  ecfg.adapt_epochs = cfg.adapt_epochs;
  ecfg.methods = 1u << TG_METHOD_TAUGATE;
  ecfg.overlap = FALSE;
  ecfg.threads = 1;
  g_autoptr (TgExperimentResults) res = tg_experiment_run (&ecfg, mode, NULL, NULL, NULL, NULL,
                                                           NULL, &error);
  g_assert_no_error (error);
  const TgRunResult *r = NULL;
  for (guint i = 0; i < res->runs->len; i++)
    if (g_array_index (res->runs, TgRunResult, i).method == TG_METHOD_TAUGATE)
      r = &g_array_index (res->runs, TgRunResult, i);
  g_assert_nonnull (r);
  g_test_message ("studio %.4f / %.4f loss %.6f, protocol %.4f / %.4f loss %.6f",
                  last->final_acc0, last->final_acc_rot, run_end.loss, r->acc0, r->acc_rot,
                  r->final_loss);
  /* the last batch's loss tells the adaptation's draws apart where 1000 test images may not */
  g_assert_cmpfloat (run_end.loss, ==, r->final_loss);
  g_assert_cmpfloat (last->final_acc0, ==, r->acc0);
  g_assert_cmpfloat (last->final_acc_rot, ==, r->acc_rot);
  studio_snapshot_unref (last);
  studio_config_clear (&cfg);
}

int
main (int argc, char *argv[])
{
  /* no accessibility bus under xvfb-run: its warning would be fatal in a test */
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* the file chooser saves its state in GSettings; there is no session bus for dconf */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  studio_ensure_resources ();

  data_dir = g_strdup (g_getenv ("TG_MNIST_DIR"));
  if (data_dir == NULL || !g_file_test (data_dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("TG_MNIST_DIR does not name the MNIST folder\n");
      return 77;
    }

  g_test_add_func ("/studio/trainer/same-as-protocol", test_same_as_protocol);
  g_test_add_func ("/studio/window/train-controls", test_train_controls);
  g_test_add_func ("/studio/window/start-stop-cycles", test_start_stop_cycles);
  g_test_add_func ("/studio/window/close-mid-run", test_close_mid_run);
  g_test_add_func ("/studio/window/close-stuck-worker", test_close_stuck_worker);
  g_test_add_func ("/studio/window/missing-data", test_missing_data);
  g_test_add_func ("/studio/window/divergence", test_divergence);
  g_test_add_func ("/studio/window/export-views", test_export_views);
  g_test_add_func ("/studio/window/comparison-export-all", test_comparison_export_all);
  g_test_add_func ("/studio/window/job-queue", test_job_queue);
  g_test_add_func ("/studio/window/dark-style", test_dark_style);
  g_test_add_func ("/studio/window/export-dialog", test_export_dialog);
  g_test_add_func ("/studio/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/studio/window/other-angle", test_other_angle);
  g_test_add_func ("/studio/window/many-epochs", test_many_epochs);
  g_test_add_func ("/studio/window/results-pool-like-runs", test_results_pool_like_runs);
  g_test_add_func ("/studio/window/export-dialog-closes-with-window",
                   test_export_dialog_closes_with_window);
  return g_test_run ();
}
