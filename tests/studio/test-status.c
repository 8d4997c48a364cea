/* SPDX-License-Identifier: MIT */
/* test-status.c — the status line as a pure function of a snapshot, without a display:
 * what it says before anything ran, while training, when done (at the run's own angle),
 * and for the jobs that report a progress instead of steps. */
#include <string.h>

#include "studio-snapshot.h"

static StudioSnapshot *
train_snapshot (void)
{
  StudioSnapshot *st = studio_snapshot_new ();
  st->job = STUDIO_JOB_TRAIN;
  st->run_method = TG_METHOD_TAUGATE;
  st->method = TG_METHOD_TAUGATE;
  st->angle = 30;
  st->phase = STUDIO_PHASE_ADAPTATION;
  st->epoch = 1;
  st->n_epochs = 2;
  st->step = 40;
  st->total_steps = 80;
  st->samples_per_sec = 1000;
  st->eta_seconds = 61;
  st->sharpness = 5;
  st->lambda = 0.01f;
  return st;
}

static void
test_ready (void)
{
  g_autofree char *text = studio_snapshot_format_status (NULL);
  g_assert_true (g_str_has_prefix (text, "Ready"));
}

static void
test_training (void)
{
  g_autoptr (StudioSnapshot) st = train_snapshot ();
  g_autofree char *text = studio_snapshot_format_status (st);
  g_assert_true (g_str_has_prefix (text, "Phase: adaptation"));
  g_assert_nonnull (strstr (text, "step 40/80"));
  g_assert_nonnull (strstr (text, "ETA 1:01"));
  g_assert_nonnull (strstr (text, "adapter: TauGate"));
  g_assert_nonnull (strstr (text, "s = 5"));
  g_assert_nonnull (strstr (text, "λ = 0.01"));

  st->paused = TRUE;
  g_autofree char *paused = studio_snapshot_format_status (st);
  g_assert_true (g_str_has_prefix (paused, "Paused · Phase:"));
}

/* The finished run's accuracies are labelled with its angle, not a fixed 45°. */
static void
test_done_at_its_angle (void)
{
  g_autoptr (StudioSnapshot) st = train_snapshot ();
  st->finished = TRUE;
  st->final_acc0 = 0.9;
  st->final_acc_rot = 0.8;
  g_autofree char *text = studio_snapshot_format_status (st);
  g_assert_true (g_str_has_prefix (text, "Done"));
  g_assert_nonnull (strstr (text, "acc 0° 0.900"));
  g_assert_nonnull (strstr (text, "acc 30° 0.800"));
  g_assert_null (strstr (text, "45"));
}

/* A job with a progress but no text yet does not end in a dangling separator. */
static void
test_job_progress (void)
{
  g_autoptr (StudioSnapshot) st = studio_snapshot_new ();
  st->job = STUDIO_JOB_OVERLAP;
  g_autofree char *text = studio_snapshot_format_status (st);
  g_assert_cmpstr (text, ==, "Overlap models · 0%");

  st->progress = 0.5;
  st->progress_text = g_strdup ("Foundation");
  g_autofree char *with_text = studio_snapshot_format_status (st);
  g_assert_cmpstr (with_text, ==, "Overlap models · 50% · Foundation");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/studio/status/ready", test_ready);
  g_test_add_func ("/studio/status/training", test_training);
  g_test_add_func ("/studio/status/done-at-its-angle", test_done_at_its_angle);
  g_test_add_func ("/studio/status/job-progress", test_job_progress);
  return g_test_run ();
}
