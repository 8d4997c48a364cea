/* test-studio-scrub.c — the scrubber rewinds the unit inspector and the digit pad on real
 * MNIST (TG_MNIST_DIR): at a recorded step k of a TauGate run, between two mask records, the
 * inspector shows the τ and γ recorded at k and marks k on its trajectories, and the digit
 * pad predicts exactly as the engine's forward of the model at step k (the frozen weights
 * with the τ and γ of step k); back to live, both show the live model again. Also: the pad
 * shows every open mode side by side, each predicting as the engine's forward of that
 * mode's model, and the inspector shows the unit in every other mode beside the model.
 * A session saved from that window and opened in another keeps the run's time: every view's
 * CSV at recorded steps (adaptation between mask records, a mask record of the foundation,
 * the first record) and live is the same before and after. */
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-inspector-view.h"
#include "studio-digit-pad-view.h"
#include "studio-workspace.h"
#include "tg-unit.h"
#include "studio-view.h"
#include "tg-session-records.h"

#define MASK_EVERY 16

static StudioWindow *shared_win;

/* A short TauGate run: 16 foundation steps, then 96 of adaptation; τ and γ recorded at every
 * accuracy point (4 steps), the model at every mask record (16 steps). */
static StudioWindow *
trained_window (void)
{
  if (shared_win != NULL)
    return shared_win;
  StudioConfig cfg;
  small_config (&cfg);
  cfg.method = TG_METHOD_TAUGATE;
  cfg.mask_every = MASK_EVERY;
  cfg.max_steps = 16 + 96;
  shared_win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_assert_true (studio_window_train (shared_win));
  wait_for (shared_win, run_finished, NULL, "the run's end");
  g_assert_nonnull (studio_history_get_masks (shared_win->history)->model);
  return shared_win;
}

static gboolean
inspector_ready (StudioWindow *win, gpointer data)
{
  StudioInspectorView *insp = data;
  return !studio_inspector_view_is_busy (insp) && studio_inspector_view_get_figure (insp) != NULL;
}

static const float *
model_tau (const TgModel *m, guint layer)
{
  return m->params + m->tau[layer];
}

static const float *
model_gamma (const TgModel *m, guint layer)
{
  return m->params + m->gamma[layer];
}

/* The model at step k as the test builds it: the live model's frozen weights with the τ and
 * γ that the record of step k holds. */
static TgModel *
model_at (const TgModel *live, const StudioSnapshot *rec)
{
  TgModel *m = tg_model_copy (live);
  for (guint l = 0, off = 0; l < tg_model_n_hidden (m); off += m->dims[l + 1], l++)
    {
      memcpy (m->params + m->tau[l], rec->tau + off, m->dims[l + 1] * sizeof (float));
      memcpy (m->params + m->gamma[l], rec->gamma + off, m->dims[l + 1] * sizeof (float));
    }
  return m;
}

/* The class the engine's evaluation predicts for test image i rotated by degrees. */
static guint
engine_pred (const TgModel *model, const TgDataset *test, guint i, double degrees,
             TgGateMode gates, float sharpness)
{
  g_autoptr (TgDataset) one = tg_dataset_new (1, test->rows, test->cols, test->n_classes, NULL);
  memcpy (one->pixels, test->pixels + (gsize) i * test->dim, test->dim);
  one->labels[0] = test->labels[i];
  g_autoptr (TgDataset) seen = degrees != 0 ? tg_dataset_rotated (one, degrees)
                                            : tg_dataset_copy (one);
  TgForwardOpts opts = { gates, sharpness };
  TgClassEval ev = { 0 };
  tg_class_eval (model, seen, &opts, &ev);
  guint pred = 0;
  for (guint c = 0; c < ev.n_classes; c++)
    if (ev.confusion[test->labels[i] * ev.n_classes + c] > 0)
      pred = c;
  tg_class_eval_clear (&ev);
  return pred;
}

/* The pad's probe of test image i equals the engine's forward of model, both gate modes:
 * the same class as tg_class_eval, the same probabilities as a probe of model. */
static void
check_pad_image (const TgProbe *probe, const TgModel *model, float sharpness,
                 const TgDataset *test, guint i, double degrees)
{
  float x[28 * 28];
  for (guint j = 0; j < test->dim; j++)
    x[j] = test->pixels[(gsize) i * test->dim + j] / 255.0f;
  g_autoptr (GError) error = NULL;
  g_autoptr (TgProbe) want = tg_probe_new (model, sharpness, x, test->rows, test->cols, degrees,
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpmem (probe->prob_soft, probe->n_classes * sizeof (float), want->prob_soft,
                   want->n_classes * sizeof (float));
  g_assert_cmpmem (probe->prob_hard, probe->n_classes * sizeof (float), want->prob_hard,
                   want->n_classes * sizeof (float));
  g_assert_cmpuint (probe->pred_soft, ==,
                    engine_pred (model, test, i, degrees, TG_GATES_SOFT, sharpness));
  g_assert_cmpuint (probe->pred_hard, ==,
                    engine_pred (model, test, i, degrees, TG_GATES_HARD, sharpness));
}

/* A record of the adaptation whose step is not a mask record's (masks are measured every
 * MASK_EVERY steps and at each epoch's end), and the unit of hidden 1
 * whose τ moved most since the mask record before it (so that showing that record's model
 * instead cannot pass). */
static const StudioSnapshot *
pick_step (StudioHistory *history, guint *unit)
{
  guint n = studio_history_get_n_times (history);
  for (guint i = n / 2; i < n; i++)
    {
      const StudioSnapshot *rec = studio_history_get_time_params (history, i);
      if (rec->method != TG_METHOD_TAUGATE || rec->step <= rec->foundation_steps + 1)
        continue;
      studio_history_set_time (history, (gint64) rec->step);
      const StudioSnapshot *masks = studio_history_get_masks (history);
      studio_history_set_time (history, -1);
      g_assert_cmpuint (masks->mask_step, <=, rec->step);
      if (masks->mask_step == rec->step)
        continue;
      const float *old = model_tau (masks->model, 0);
      float best = 0;
      for (guint j = 0; j < rec->widths[0]; j++)
        if (fabsf (rec->tau[j] - old[j]) > best)
          {
            best = fabsf (rec->tau[j] - old[j]);
            *unit = j;
          }
      if (best > 0)
        return rec;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_scrub_inspector (void)
{
  StudioWindow *win = trained_window ();
  StudioHistory *history = win->history;
  StudioInspectorView *insp = STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector"));
  const TgModel *live = studio_history_get_masks (history)->model;
  guint unit = 0;
  const StudioSnapshot *rec = pick_step (history, &unit);

  studio_window_show_view (win, "inspector");
  studio_inspector_view_set_unit (insp, 0, unit);
  wait_for (win, inspector_ready, insp, "the inspector's live figure");
  g_assert_cmpfloat (studio_inspector_view_get_figure (insp)->report->tau, ==,
                     model_tau (live, 0)[unit]);

  studio_scrubber_set_step (win->scrubber, (gint64) rec->step);
  wait_for (win, inspector_ready, insp, "the inspector's figure at step k");
  const TgUnitFigure *fig = studio_inspector_view_get_figure (insp);
  g_assert_cmpfloat (fig->report->tau, ==, rec->tau[unit]);
  g_assert_cmpfloat (fig->report->gamma, ==, rec->gamma[unit]);
  /* the trajectories: every record of the unit, step k marked */
  g_assert_cmpuint (fig->data.n_trajectory, ==, studio_history_get_n_times (history));
  g_assert_cmpfloat (fig->data.trajectory_mark, ==, (double) rec->step);
  for (guint i = 0; i < fig->data.n_trajectory; i++)
    if (fig->data.trajectory_steps[i] == (double) rec->step)
      g_assert_cmpfloat (fig->data.trajectory_tau[i], ==, rec->tau[unit]);

  studio_scrubber_set_step (win->scrubber, -1);
  wait_for (win, inspector_ready, insp, "the inspector's live figure again");
  fig = studio_inspector_view_get_figure (insp);
  g_assert_cmpfloat (fig->report->tau, ==, model_tau (live, 0)[unit]);
  g_assert_cmpfloat (fig->report->gamma, ==, model_gamma (live, 0)[unit]);
}

static void
test_scrub_digit_pad (void)
{
  StudioWindow *win = trained_window ();
  StudioHistory *history = win->history;
  StudioDigitPadView *pad = STUDIO_DIGIT_PAD_VIEW (studio_window_get_view (win, "digit-pad"));
  StudioSnapshot *live_snap = studio_history_get_masks (history);
  const TgModel *live = live_snap->model;
  guint unit = 0;
  const StudioSnapshot *rec = pick_step (history, &unit);
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioTestSet) test_set =
    studio_workspace_dup_test_set (studio_window_get_workspace (win), &error);
  g_assert_nonnull (test_set);
  const TgDataset *test = test_set->data;
  g_assert_no_error (error);
  g_autoptr (TgModel) at_k = model_at (live, rec);

  studio_window_show_view (win, "digit-pad");
  studio_scrubber_set_step (win->scrubber, (gint64) rec->step);
  for (guint i = 0; i < 20; i++)
    {
      double degrees = i % 2 == 0 ? 0.0 : 45.0;
      g_assert_true (studio_digit_pad_view_set_test_image (pad, i, degrees, &error));
      const TgModel *shown = studio_digit_pad_view_get_model (pad);
      g_assert_cmpmem (model_tau (shown, 0), live->dims[1] * sizeof (float), rec->tau,
                       live->dims[1] * sizeof (float));
      check_pad_image (studio_digit_pad_view_get_probe (pad), at_k, rec->sharpness, test, i,
                       degrees);
    }

  studio_scrubber_set_step (win->scrubber, -1);
  g_assert_true (studio_digit_pad_view_set_test_image (pad, 3, 45.0, &error));
  const TgModel *shown = studio_digit_pad_view_get_model (pad);
  g_assert_cmpmem (model_tau (shown, 1), live->dims[2] * sizeof (float), model_tau (live, 1),
                   live->dims[2] * sizeof (float));
  check_pad_image (studio_digit_pad_view_get_probe (pad), live, live_snap->sharpness, test, 3,
                   45.0);
}

/* Every open mode (the finished run's adapter joined Base) is on the pad beside the model
 * shown, and predicts as the engine's forward of that mode's model. */
static void
test_digit_pad_modes (void)
{
  StudioWindow *win = trained_window ();
  StudioDigitPadView *pad = STUDIO_DIGIT_PAD_VIEW (studio_window_get_view (win, "digit-pad"));
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioTestSet) test_set =
    studio_workspace_dup_test_set (studio_window_get_workspace (win), &error);
  g_assert_nonnull (test_set);
  const TgDataset *test = test_set->data;
  g_assert_no_error (error);
  g_assert_nonnull (studio_window_get_modes (win));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), >=, 2);

  studio_window_show_view (win, "digit-pad");
  for (guint i = 0; i < 6; i++)
    {
      double degrees = i * 30.0;
      g_assert_true (studio_digit_pad_view_set_test_image (pad, 100 + i, degrees, &error));
      guint n = studio_digit_pad_view_get_n_modes (pad), seen_base = 0;
      g_assert_cmpuint (n, >=, 1);
      for (guint m = 0; m < n; m++)
        {
          const char *name = NULL;
          const TgProbe *probe = studio_digit_pad_view_get_mode_probe (pad, m, &name);
          g_assert_nonnull (probe);
          TgMode *mode = NULL;
          for (guint k = 0; k < tg_modes_count (studio_window_get_modes (win)); k++)
            if (g_strcmp0 (tg_modes_get (studio_window_get_modes (win), k)->name, name) == 0)
              mode = tg_modes_get (studio_window_get_modes (win), k);
          g_assert_nonnull (mode);
          seen_base += mode->method == TG_METHOD_FROZEN;
          check_pad_image (probe, mode->model, mode->sharpness, test, 100 + i, degrees);
        }
      g_assert_cmpuint (seen_base, ==, 1);
    }
}

/* The inspector puts the unit in every other open mode beside the model shown: each mode's
 * τ and γ of that unit, and its firing per digit on the target set as the engine measures
 * it with that mode's model. */
static void
test_inspector_modes (void)
{
  StudioWindow *win = trained_window ();
  StudioInspectorView *insp = STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector"));
  studio_window_show_view (win, "inspector");
  studio_inspector_view_set_unit (insp, 1, 7);
  wait_for (win, inspector_ready, insp, "the inspector's figure");
  const TgUnitFigure *fig = studio_inspector_view_get_figure (insp);
  const TgUnitPlotData *d = &fig->data;
  g_assert_cmpuint (d->n_modes, >=, 2);
  g_assert_cmpfloat (d->mode_tau[0], ==, fig->report->tau);
  gboolean base = FALSE;
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioTestSet) full_set =
    studio_workspace_dup_test_set (studio_window_get_workspace (win), &error);
  g_assert_nonnull (full_set);
  const TgDataset *full = full_set->data;
  g_assert_no_error (error);
  g_autoptr (TgDataset) test0 = tg_dataset_head (full, MIN (full->n, STUDIO_TEST_SET_INSPECT));
  g_autoptr (TgDataset) test_t = tg_dataset_rotated (test0, studio_history_get_masks (win->history)->angle);
  for (guint m = 1; m < d->n_modes; m++)
    {
      TgMode *mode = NULL;
      for (guint k = 0; k < tg_modes_count (studio_window_get_modes (win)); k++)
        if (g_strcmp0 (tg_modes_get (studio_window_get_modes (win), k)->name, d->mode_names[m]) == 0)
          mode = tg_modes_get (studio_window_get_modes (win), k);
      g_assert_nonnull (mode);
      base |= mode->method == TG_METHOD_FROZEN;
      const TgModel *mm = mode->model;
      if (tg_method_info (mm->method)->gated)
        {
          g_assert_cmpfloat (d->mode_tau[m], ==, mm->params[mm->tau[1] + 7]);
          g_assert_cmpfloat (d->mode_gamma[m], ==, mm->params[mm->gamma[1] + 7]);
        }
      else
        g_assert_true (isnan (d->mode_tau[m]) && isnan (d->mode_gamma[m]));
      double soft[10], hard[10];
      tg_unit_firing (mm, test_t, (TgUnitId) { 1, 7 }, mode->sharpness, soft, hard);
      g_assert_cmpmem (d->mode_rate + m * 10, 10 * sizeof (double), d->hard ? hard : soft,
                       10 * sizeof (double));
    }
  g_assert_true (base);
}

/* Nothing is being measured; the inspector (which measures only while it is shown) has
 * its figure of the time and unit when data is TRUE. */
static gboolean
settled (StudioWindow *win, gpointer data)
{
  StudioInspectorView *insp = STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector"));
  return is_idle (win, NULL) && !studio_window_is_measuring (win) &&
         (data == NULL || !studio_inspector_view_is_busy (insp));
}

/* Every view's CSV at the history's time step (-1: live), the inspector on hidden 1 unit
 * unit and the pad on a rotated test image; in studio_window_view_names () order. */
static GPtrArray *
csvs_at (StudioWindow *win, gint64 step, guint unit)
{
  GPtrArray *csvs = g_ptr_array_new_with_free_func (g_free);
  const char *const *names = studio_window_view_names ();
  StudioInspectorView *insp = STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector"));
  StudioDigitPadView *pad = STUDIO_DIGIT_PAD_VIEW (studio_window_get_view (win, "digit-pad"));
  g_autoptr (GError) error = NULL;

  studio_scrubber_set_step (win->scrubber, step);
  g_assert_cmpint (studio_history_get_time (win->history), ==, step);
  studio_inspector_view_set_unit (insp, 0, unit);
  g_assert_true (studio_digit_pad_view_set_test_image (pad, 11, 45.0, &error));
  g_assert_no_error (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      studio_window_show_view (win, names[i]);
      spin (50);
      gboolean inspector = strcmp (names[i], "inspector") == 0;
      wait_for (win, settled, GINT_TO_POINTER (inspector), "the views to settle");
      if (inspector)
        wait_for (win, inspector_ready, insp, "the inspector's figure");
      g_ptr_array_add (csvs, studio_view_dup_csv (STUDIO_VIEW (studio_window_get_view (win, names[i]))));
    }
  return csvs;
}

static void
assert_same_csvs (GPtrArray *a, GPtrArray *b, gint64 step)
{
  const char *const *names = studio_window_view_names ();
  for (guint i = 0; i < a->len; i++)
    {
      if (g_strcmp0 (a->pdata[i], b->pdata[i]) == 0)
        continue;
      g_auto (GStrv) la = g_strsplit (a->pdata[i] ? a->pdata[i] : "", "\n", -1);
      g_auto (GStrv) lb = g_strsplit (b->pdata[i] ? b->pdata[i] : "", "\n", -1);
      guint k = 0;
      while (la[k] != NULL && lb[k] != NULL && strcmp (la[k], lb[k]) == 0)
        k++;
      g_test_message ("step %" G_GINT64_FORMAT ", view %s differs at line %u: \"%s\" before, "
                      "\"%s\" after", step, names[i], k + 1, la[k] ? la[k] : "(end)",
                      lb[k] ? lb[k] : "(end)");
      g_test_fail ();
    }
}

static void
test_scrub_session (void)
{
  StudioWindow *a = trained_window ();
  StudioHistory *ha = a->history;
  g_autofree char *tmp = g_dir_make_tmp ("taugate-scrub-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "session", NULL);
  g_autoptr (GError) error = NULL;
  guint unit = 0;
  const StudioSnapshot *rec = pick_step (ha, &unit);
  gint64 foundation_mask = -1;
  for (guint i = 0; i < studio_history_get_n_mask_times (ha) && foundation_mask < 0; i++)
    if (studio_history_get_time_masks (ha, i)->phase == STUDIO_PHASE_FOUNDATION &&
        studio_history_get_time_masks (ha, i)->model != NULL)
      foundation_mask = (gint64) studio_history_get_time_masks (ha, i)->mask_step;
  g_assert_cmpint (foundation_mask, >=, 0);
  const gint64 steps[] = { (gint64) rec->step, foundation_mask,
                           (gint64) studio_history_get_time_step (ha, 0), -1 };
  GPtrArray *before[G_N_ELEMENTS (steps)];

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    before[i] = csvs_at (a, steps[i], unit);
  g_assert_true (studio_window_save_session (a, dir, &error));
  g_assert_no_error (error);

  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *b = new_window (&cfg);
  studio_config_clear (&cfg);
  const char *paths[] = { dir, NULL };
  gboolean opened = studio_window_open_paths (b, paths);
  if (!opened)
    g_test_message ("not opened: %s", studio_window_get_banner (b));
  g_assert_true (opened);
  wait_for (b, settled, NULL, "the session to open");
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (GPtrArray) after = csvs_at (b, steps[i], unit);
      assert_same_csvs (before[i], after, steps[i]);
      g_ptr_array_unref (before[i]);
    }
  g_assert_cmpuint (studio_history_get_n_times (b->history), ==, studio_history_get_n_times (ha));
  for (guint i = 0; i < studio_history_get_n_times (ha); i++)
    g_assert_cmpuint (studio_history_get_time_step (b->history, i), ==,
                      studio_history_get_time_step (ha, i));
  studio_scrubber_set_step (a->scrubber, -1);
  destroy_window (b);
  g_assert_true (tg_session_remove (dir, &error));
  g_assert_no_error (error);
  g_rmdir (tmp);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;
  g_test_add_func ("/studio/scrub/inspector", test_scrub_inspector);
  g_test_add_func ("/studio/scrub/digit-pad", test_scrub_digit_pad);
  g_test_add_func ("/studio/digit-pad/modes", test_digit_pad_modes);
  g_test_add_func ("/studio/inspector/modes", test_inspector_modes);
  g_test_add_func ("/studio/scrub/session", test_scrub_session);
  int ret = g_test_run ();
  if (shared_win != NULL)
    destroy_window (shared_win);
  return ret;
}
