/* SPDX-License-Identifier: MIT */
/* test-history.c — what the main loop keeps of the worker's snapshots, without a display:
 * each finished job's results stay until a job of the same kind replaces them. */
#include "studio-history.h"
#include "studio-snapshot.h"

static StudioSnapshot *
finished (StudioJob job)
{
  StudioSnapshot *snap = studio_snapshot_new ();
  snap->job = job;
  snap->finished = TRUE;
  return snap;
}

/* A finished paper comparison once also dropped the finished lambda sweep. */
static void
test_comparison_keeps_sweep (void)
{
  g_autoptr (StudioHistory) history = studio_history_new ();
  StudioSnapshot *sweep = finished (STUDIO_JOB_SWEEP);
  sweep->sweep = g_new0 (TgSweepResults, 1);
  studio_history_add (history, sweep);
  studio_snapshot_unref (sweep);
  const TgSweepResults *kept = studio_history_get_sweep (history);
  g_assert_nonnull (kept);

  StudioSnapshot *comparison = finished (STUDIO_JOB_EXPERIMENT);
  comparison->experiment = g_new0 (TgExperimentResults, 1);
  studio_history_add (history, comparison);
  studio_snapshot_unref (comparison);
  g_assert_true (studio_history_get_sweep (history) == kept);

  studio_history_clear (history);
  g_assert_null (studio_history_get_sweep (history));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/studio/history/comparison-keeps-sweep", test_comparison_keeps_sweep);
  return g_test_run ();
}
