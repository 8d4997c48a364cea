/* SPDX-License-Identifier: MIT */
/* test-studio-dynamics.c — gate dynamics and time in the window, on a small subset of real
 * MNIST under xvfb-run: a λ raised mid-run lowers the mean-gate curve; the scrubber at step
 * k shows the τ recorded at step k; the single-step button advances exactly one step; a
 * steps-per-second limit holds; the Dynamics view exports with its CSV. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-view.h"
#include "studio-trainer-private.h"
#include "studio-history.h"
#include "studio-scrubber.h"

#define LAMBDA_HIGH 0.1f   /* the slider's top */

/* Mean over hidden layers of the mean soft gate on target inputs at gate point i. */
static double
mean_gate (const StudioRun *run, guint i)
{
  const StudioGatePoint *gp = &g_array_index (run->gates, StudioGatePoint, i);
  double sum = 0;
  for (guint l = 0; l < gp->n_layers; l++)
    sum += gp->mean_gate_rot[l];
  return gp->n_layers > 0 ? sum / gp->n_layers : NAN;
}

/* The mean gate over the gate points with step in [from, to]; NAN when there are none. */
static double
mean_gate_between (const StudioRun *run, double from, double to)
{
  double sum = 0;
  guint n = 0;
  for (guint i = 0; i < run->gates->len; i++)
    {
      const StudioGatePoint *gp = &g_array_index (run->gates, StudioGatePoint, i);
      if (gp->step >= from && gp->step <= to && isfinite (mean_gate (run, i)))
        {
          sum += mean_gate (run, i);
          n++;
        }
    }
  return n > 0 ? sum / n : NAN;
}

static gboolean
gates_at (StudioWindow *win, gpointer data)
{
  const StudioRun *run = current_run (win);
  guint64 step = *(guint64 *) data;
  return run != NULL && run->gates->len > 0 &&
         g_array_index (run->gates, StudioGatePoint, run->gates->len - 1).step >= step;
}

/* λ raised from 0 to the slider's top mid-adaptation: the mean gate of the steps after is
 * lower than that of the steps before, by more than it drifted before. */
static void
test_lambda_lowers_mean_gate (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.mask_every = 4;
  StudioWindow *win = new_window (&cfg);
  StudioTrainer *trainer = studio_window_get_trainer (win);

  g_assert_true (studio_window_train (win));
  guint64 f = 16, before_end = f + 96, after_end;
  wait_for (win, gates_at, &before_end, "gate points before the change");
  studio_trainer_set_controls (trainer, cfg.sharpness, LAMBDA_HIGH, cfg.lr, cfg.hard_gates);
  const StudioRun *run = current_run (win);
  guint64 changed = (guint64) g_array_index (run->gates, StudioGatePoint, run->gates->len - 1).step;
  after_end = changed + 96;
  wait_for (win, gates_at, &after_end, "gate points after the change");
  studio_window_stop (win);
  run = current_run (win);

  /* the gates are measured in the adaptation only (the foundation is ungated) */
  double early = mean_gate_between (run, f + 1, f + 48);
  double before = mean_gate_between (run, f + 49, changed);
  double after = mean_gate_between (run, after_end - 48, after_end);
  g_test_message ("mean gate: %.4f early, %.4f before λ, %.4f after", early, before, after);
  g_assert_true (isfinite (early) && isfinite (before) && isfinite (after));
  g_assert_cmpfloat (after, <, before);
  g_assert_cmpfloat (before - after, >, 2 * fabs (early - before));
  /* the change is marked where the curves are drawn */
  g_assert_cmpuint (run->markers->len, >=, 1);

  studio_config_clear (&cfg);
  destroy_window (win);
}

typedef struct {
  GHashTable *tau;   /* step -> float copy of tau */
  guint32     units;
} TauLog;

static void
record_tau_cb (StudioTrainer *trainer, StudioSnapshot *snap, TauLog *log)
{
  if (snap->tau == NULL)
    return;
  log->units = snap->hidden_units;
  g_hash_table_replace (log->tau, GUINT_TO_POINTER ((guint) snap->step),
                        g_memdup2 (snap->tau, snap->hidden_units * sizeof (float)));
}

/* After a run, the scrubber moved to step k makes the views' τ the one recorded at k. */
static void
test_scrubber_shows_step (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.max_steps = 16 + 64;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioHistory *history = studio_window_get_history (win);
  TauLog log = { g_hash_table_new_full (NULL, NULL, NULL, g_free), 0 };
  g_signal_connect (studio_window_get_trainer (win), "snapshot", G_CALLBACK (record_tau_cb), &log);

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run's end");
  guint n = studio_history_get_n_times (history);
  g_assert_cmpuint (n, >, 4);

  /* an adaptation step, where τ moves */
  guint64 k = studio_history_get_time_step (history, n - 3);
  g_assert_cmpuint (k, >, 16);
  const float *want = g_hash_table_lookup (log.tau, GUINT_TO_POINTER ((guint) k));
  g_assert_nonnull (want);
  StudioSnapshot *live = studio_history_get_params (history);
  g_assert_cmpuint (live->step, >, k);
  g_assert_true (memcmp (live->tau, want, log.units * sizeof (float)) != 0);

  studio_scrubber_set_step (win->scrubber, (gint64) k);
  StudioSnapshot *shown = studio_history_get_params (history);
  g_assert_cmpuint (shown->step, ==, k);
  g_assert_cmpmem (shown->tau, log.units * sizeof (float), want, log.units * sizeof (float));
  g_assert_cmpint (studio_history_get_time (history), ==, (gint64) k);
  g_assert_true (studio_history_get_masks (history)->mask_step <= k);

  /* back to live */
  studio_scrubber_set_step (win->scrubber, -1);
  g_assert_true (studio_history_get_params (history) == live);

  g_signal_handlers_disconnect_by_data (studio_window_get_trainer (win), &log);
  g_hash_table_unref (log.tau);
  destroy_window (win);
}

static gboolean
is_paused (StudioWindow *win, gpointer data)
{
  return studio_trainer_get_state (studio_window_get_trainer (win)) == STUDIO_TRAINER_PAUSED;
}

static gboolean
step_is (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->step == *(guint64 *) data && st->paused;
}

static guint64
status_step (StudioWindow *win)
{
  return studio_history_get_status (studio_window_get_history (win))->step;
}

/* Paused, the Step button takes exactly one batch each time it is pressed. */
static void
test_single_step (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  GtkButton *button = studio_scrubber_get_step_button (win->scrubber);

  g_assert_true (studio_window_train (win));
  guint64 start = 20;
  wait_for (win, gates_at, &start, "some steps");
  studio_window_pause (win);
  wait_for (win, is_paused, NULL, "the pause");
  spin (300);
  guint64 s = status_step (win);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));

  /* across an epoch's end too (8 batches an epoch) */
  for (int i = 1; i <= 10; i++)
    {
      gtk_widget_activate (GTK_WIDGET (button));
      guint64 want = s + i;
      wait_for (win, step_is, &want, "one more step");
      spin (300);
      g_assert_cmpuint (status_step (win), ==, s + i);
      g_assert_true (is_paused (win, NULL));
    }
  studio_window_stop (win);
  destroy_window (win);
}

static gboolean
status_beyond (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->step >= *(guint64 *) data;
}

#define RATE_LIMIT 4  /* steps per second */

/* A limit of 4 steps a second does not let 30 through in two seconds (no speed asserted:
 * only that the limit is an upper bound, with room either way). Low, because on a loaded
 * machine the unlimited run may manage no more than about 15 steps a second. */
static void
test_rate_limit (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.eval_every = 0;   /* steps only: unlimited, this runs at hundreds a second */
  cfg.mask_every = 0;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  studio_scrubber_set_rate_limit (win->scrubber, RATE_LIMIT);
  g_assert_cmpfloat (studio_trainer_get_rate_limit (studio_window_get_trainer (win)), ==, RATE_LIMIT);
  g_assert_true (studio_window_train (win));
  wait_for (win, any_snapshot, NULL, "a snapshot");
  guint64 some = 4;
  wait_for (win, status_beyond, &some, "training under way");
  guint64 s0 = status_step (win);
  gint64 t0 = g_get_monotonic_time ();
  spin (2000);
  guint64 s1 = status_step (win);
  double seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_test_message ("%" G_GUINT64_FORMAT " steps in %.2f s at a limit of %g/s", s1 - s0, seconds,
                  (double) RATE_LIMIT);
  g_assert_cmpuint (s1 - s0, <=, (guint64) (RATE_LIMIT * seconds) + 4);

  /* lifting the limit lets it go on */
  studio_scrubber_set_rate_limit (win->scrubber, 0);
  g_assert_cmpfloat (studio_trainer_get_rate_limit (studio_window_get_trainer (win)), ==, 0);
  studio_window_stop (win);
  destroy_window (win);
}

/* The Dynamics view writes its figure and, beside it, the numbers it draws. */
static void
test_dynamics_export (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.max_steps = 16 + 40;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run's end");
  studio_window_show_view (win, "dynamics");
  g_autofree char *dir = g_dir_make_tmp ("taugate-dynamics-XXXXXX", NULL);
  const char *exts[] = { ".pdf", ".svg", ".png" };
  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = g_strdup_printf ("%s/dynamics%s", dir, exts[i]);
      g_assert_true (studio_window_export_view (win, "dynamics", path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_autofree char *csv_path = g_strdup_printf ("%s/dynamics.csv", dir);
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "step,layer,mean_gate0,mean_gate_target,units_on0,"
                                        "units_on_target,high_act,jaccard\n"));
  /* one row per gate point and layer; adaptation rows carry numbers */
  const StudioRun *run = current_run (win);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + run->gates->len * 2 + 1);
  g_assert_true (strstr (csv, ",hidden 2,0.") != NULL);
  /* a layer left out of the export (the export dialog's Include list): none of its rows */
  StudioView *view = STUDIO_VIEW (studio_window_get_view (win, "dynamics"));
  g_auto (GStrv) layers = studio_view_list_series (view);
  g_assert_cmpuint (g_strv_length (layers), ==, 2);
  g_assert_cmpstr (layers[1], ==, "hidden 2");
  const char *const left_out[] = { "hidden 2", NULL };
  studio_view_set_export_excluded (view, left_out);
  g_autofree char *kept = studio_view_dup_csv (view);
  g_assert_null (strstr (kept, ",hidden 2,"));
  g_assert_nonnull (strstr (kept, ",hidden 1,"));
  studio_view_set_export_excluded (view, NULL);
  g_unlink (csv_path);
  g_rmdir (dir);
  destroy_window (win);
}

/* A long run's time records stay bounded, thinned evenly, oldest and newest kept in order. */
static void
test_time_records_bounded (void)
{
  g_autoptr (StudioHistory) history = studio_history_new ();
  for (guint64 step = 1; step <= 10000; step++)
    {
      g_autoptr (StudioSnapshot) snap = studio_snapshot_new ();
      snap->run_id = 1;
      snap->job = STUDIO_JOB_TRAIN;
      snap->step = step;
      snap->hidden_units = 1;
      snap->tau = g_new0 (float, 1);
      snap->gamma = g_new0 (float, 1);
      studio_history_add (history, snap);
    }
  guint n = studio_history_get_n_times (history);
  g_assert_cmpuint (n, <=, 2048 + 1);
  g_assert_cmpuint (n, >, 1024);
  g_assert_cmpuint (studio_history_get_time_step (history, 0), ==, 1);
  g_assert_cmpuint (studio_history_get_time_step (history, n - 1), ==, 10000);
  for (guint i = 1; i < n; i++)
    g_assert_cmpuint (studio_history_get_time_step (history, i), >,
                      studio_history_get_time_step (history, i - 1));
  /* rewinding between two kept records shows the earlier */
  guint64 a = studio_history_get_time_step (history, n / 2);
  studio_history_set_time (history, (gint64) a + 1);
  g_assert_cmpuint (studio_history_get_params (history)->step, ==, a);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;

  g_test_add_func ("/studio/dynamics/lambda-lowers-mean-gate", test_lambda_lowers_mean_gate);
  g_test_add_func ("/studio/time/scrubber-shows-step", test_scrubber_shows_step);
  g_test_add_func ("/studio/time/single-step", test_single_step);
  g_test_add_func ("/studio/time/rate-limit", test_rate_limit);
  g_test_add_func ("/studio/dynamics/export", test_dynamics_export);
  g_test_add_func ("/studio/time/records-bounded", test_time_records_bounded);
  return g_test_run ();
}
