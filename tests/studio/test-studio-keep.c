/* test-studio-keep.c — nothing of a window's work is dropped without a word, under
 * xvfb-run on a small subset of MNIST: Open Session over a run not saved keeps that run in
 * the autosave folder and says so, and the Data set list follows the session opened; a
 * session keeps the selected unit, the column order and the ablation set; a session whose
 * folder lost an adapter file (or holds a broken one) opens the rest and names what it left
 * out; Overlap's two models join the Modes panel. XDG_DATA_HOME is the program's own folder (studio-test-util.c). */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-workspace.h"
#include "studio-history.h"
#include "studio-inspector-view.h"
#include "studio-ablation-panel.h"
#include "studio-view.h"
#include "studio-modes-panel.h"
#include "tg-session.h"

static char *tmp_dir;

static gboolean
settled (StudioWindow *win, gpointer data)
{
  StudioInspectorView *insp = STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector"));
  return is_idle (win, NULL) && !studio_window_is_measuring (win) &&
         !studio_inspector_view_is_busy (insp);
}

/* A short finished TauGate run (2 + 1 epochs of 2048 images): its adapter is a mode. */
static StudioWindow *
trained_window (guint64 seed)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  cfg.seed = seed;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run");
  wait_for (win, settled, NULL, "the window to settle");
  return win;
}

static char *
in_tmp (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Open Session in a window with a run not saved: the run is kept in the autosave folder
 * (a session the banner names), and the Data set list shows the session's data set, not
 * the folder the window had chosen since. */
static void
test_open_over_unsaved (void)
{
  g_autofree char *dir = in_tmp ("saved-first");
  g_autofree char *other = in_tmp ("other-data");
  g_autofree char *autosave = studio_session_autosave_dir ();
  g_autoptr (GError) error = NULL;
  StudioWindow *a = trained_window (3);
  StudioWindow *b;
  StudioConfig cfg;

  g_assert_true (studio_window_save_session (a, dir, &error));
  g_assert_no_error (error);
  destroy_window (a);

  b = trained_window (5);
  const char *run_name = current_run (b)->name;
  g_autofree char *name_b = g_strdup (run_name);
  g_assert_true (studio_history_get_unsaved (studio_window_get_history (b)));
  /* the next run's data set, chosen after the run */
  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (b->settings_panel, &cfg);
  g_free (cfg.data_dir);
  cfg.data_dir = g_strdup (other);
  studio_settings_panel_set_config (b->settings_panel, &cfg);
  studio_config_clear (&cfg);

  const char *paths[] = { dir, NULL };
  g_assert_true (studio_window_open_paths (b, paths));
  g_test_message ("banner: %s", studio_window_get_banner (b));
  g_assert_nonnull (strstr (studio_window_get_banner (b), autosave));
  g_autoptr (TgSession) kept = tg_session_load (autosave, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->runs->len, ==, 1);
  g_assert_cmpstr (((TgSessionRun *) g_ptr_array_index (kept->runs, 0))->name, ==, name_b);
  /* the session saved MNIST (the default: no folder) */
  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (b->settings_panel, &cfg);
  g_assert_cmpstr (cfg.data_dir, ==, NULL);
  studio_config_clear (&cfg);

  /* a change not saved (a mode renamed), then the autosave itself opened: the change goes
   * beside it (autosave-DATE-N), the autosave stays what it was */
  g_assert_nonnull (studio_window_get_modes (b));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (b)), ==, 2);
  g_signal_emit_by_name (b->modes_panel, "rename-mode", 1u, "Renamed");
  g_assert_true (studio_history_get_unsaved (studio_window_get_history (b)));
  const char *again[] = { autosave, NULL };
  g_assert_true (studio_window_open_paths (b, again));
  const char *banner = studio_window_get_banner (b);
  g_test_message ("banner: %s", banner);
  g_autofree char *beside_prefix = g_strdup_printf ("%s-", autosave);
  const char *beside = strstr (banner, beside_prefix);
  g_assert_nonnull (beside);
  g_autofree char *beside_dir = g_strndup (beside, strcspn (beside, " "));
  g_autoptr (TgSession) renamed = tg_session_load (beside_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tg_modes_get (renamed->modes, 1)->name, ==, "Renamed");
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (b)), ==, 1);
  g_assert_cmpstr (current_run (b)->name, ==, name_b);
  destroy_window (b);
  g_assert_true (tg_session_remove (beside_dir, &error));
  g_assert_true (tg_session_remove (autosave, &error));
  g_assert_no_error (error);
}

static const TgUnitEdit set[] = {
  { { 0, 3 }, TG_UNIT_SILENCE },
  { { 1, 7 }, TG_UNIT_FORCE_ON },
  { { 0, 11 }, TG_UNIT_SILENCE },
};

static StudioAblationPanel *
ablation (StudioWindow *win)
{
  return studio_inspector_view_get_ablation (
    STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector")));
}

/* The selected unit, the column order and the ablation set come back with the session. */
static void
test_keeps_units (void)
{
  g_autofree char *dir = in_tmp ("units");
  g_autoptr (GError) error = NULL;
  StudioWindow *a = trained_window (6);
  StudioWindow *b;
  guint layer = 0, index = 0, n = 0;

  studio_workspace_select_unit (studio_window_get_workspace (a), 1, 17);
  studio_workspace_set_unit_order (studio_window_get_workspace (a), TG_UNIT_ORDER_SELECTIVITY);
  for (guint i = 0; i < G_N_ELEMENTS (set); i++)
    studio_ablation_panel_add (ablation (a), set[i].unit, set[i].action);
  wait_for (a, settled, NULL, "the ablation readout");
  g_assert_true (studio_window_save_session (a, dir, &error));
  g_assert_no_error (error);
  destroy_window (a);

  b = new_window (NULL);
  const char *paths[] = { dir, NULL };
  g_assert_true (studio_window_open_paths (b, paths));
  wait_for (b, settled, NULL, "the reopened window to settle");
  const char *const *names = studio_window_view_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      StudioView *view = STUDIO_VIEW (studio_window_get_view (b, names[i]));
      g_test_message ("view %s", names[i]);
      g_assert_true (studio_view_get_selected_unit (view, &layer, &index));
      g_assert_cmpuint (layer, ==, 1);
      g_assert_cmpuint (index, ==, 17);
      g_assert_cmpint (studio_view_get_unit_order (view), ==, TG_UNIT_ORDER_SELECTIVITY);
    }
  const TgUnitEdit *edits = studio_ablation_panel_get_edits (ablation (b), &n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (set));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (edits[i].unit.layer, ==, set[i].unit.layer);
      g_assert_cmpuint (edits[i].unit.index, ==, set[i].unit.index);
      g_assert_cmpint (edits[i].action, ==, set[i].action);
    }
  destroy_window (b);

  /* a session naming a unit the model does not have: that part is left out, and said */
  g_autofree char *wide = in_tmp ("units-too-wide");
  g_autoptr (TgSession) s = tg_session_load (dir, &error);
  g_assert_no_error (error);
  g_hash_table_insert (s->view_metadata, g_strdup ("units.selected"), g_strdup ("1,5000"));
  g_assert_true (tg_session_save (s, wide, &error));
  g_assert_no_error (error);
  b = new_window (NULL);
  const char *wide_paths[] = { wide, NULL };
  g_assert_true (studio_window_open_paths (b, wide_paths));
  g_test_message ("banner: %s", studio_window_get_banner (b));
  g_assert_nonnull (strstr (studio_window_get_banner (b), "units the model does not have"));
  g_assert_false (studio_view_get_selected_unit (STUDIO_VIEW (studio_window_get_view (b, "masks")),
                                                 &layer, &index) && index == 5000);
  g_assert_cmpuint (studio_ablation_panel_get_n_edits (ablation (b)), ==, G_N_ELEMENTS (set));
  wait_for (b, settled, NULL, "the reopened window to settle");
  destroy_window (b);
}

/* The adapter file of the session's trained mode (its only one). */
static char *
only_adapter (const char *dir)
{
  g_autofree char *adapters = g_build_filename (dir, "adapters", NULL);
  g_autoptr (GDir) d = g_dir_open (adapters, 0, NULL);
  const char *name = d != NULL ? g_dir_read_name (d) : NULL;
  g_assert_nonnull (name);
  return g_build_filename (adapters, name, NULL);
}

/* A session whose adapter file is gone, or broken, opens with its runs and Base; the banner
 * names the mode and the file left out. */
static void
test_lost_adapter (void)
{
  g_autofree char *gone = in_tmp ("adapter-gone");
  g_autofree char *broken = in_tmp ("adapter-broken");
  g_autoptr (GError) error = NULL;
  StudioWindow *a = trained_window (7);

  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (a)), ==, 2);
  g_autofree char *mode_name = g_strdup (tg_modes_get (studio_window_get_modes (a), 1)->name);
  g_assert_true (studio_window_save_session (a, gone, &error));
  g_assert_true (studio_window_save_session (a, broken, &error));
  g_assert_no_error (error);
  destroy_window (a);
  g_autofree char *gone_file = only_adapter (gone);
  g_autofree char *broken_file = only_adapter (broken);
  g_assert_cmpint (g_unlink (gone_file), ==, 0);
  g_assert_true (g_file_set_contents (broken_file, "not a safetensors file", -1, NULL));

  const char *dirs[] = { gone, broken };
  const char *files[] = { gone_file, broken_file };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      StudioWindow *b = new_window (NULL);
      const char *paths[] = { dirs[i], NULL };
      g_autofree char *base = g_path_get_basename (files[i]);
      studio_window_open_paths (b, paths);
      const char *banner = studio_window_get_banner (b);
      g_test_message ("banner: %s", banner);
      g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (b)), ==, 1);
      g_assert_nonnull (studio_window_get_modes (b));
      g_assert_cmpuint (tg_modes_count (studio_window_get_modes (b)), ==, 1);
      g_assert_nonnull (strstr (banner, mode_name));
      g_assert_nonnull (strstr (banner, base));
      g_assert_nonnull (strstr (banner, "left out"));
      /* saved back where it was: whole again, without the mode */
      g_assert_true (studio_window_save_session (b, dirs[i], &error));
      g_assert_no_error (error);
      g_autoptr (TgSession) again = tg_session_load (dirs[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (again->left_out->len, ==, 0);
      g_assert_cmpuint (tg_modes_count (again->modes), ==, 1);
      destroy_window (b);
    }
}

/* Overlap's two TauGate models (0° and the target) join the Modes panel, on its foundation,
 * so that Angles and the Digit Pad can compare them. */
static void
test_overlap_joins_modes (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  cfg.angle = 45;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  studio_window_queue_job (win, STUDIO_JOB_OVERLAP);
  wait_for (win, overlap_done, NULL, "the overlap");
  wait_for (win, settled, NULL, "the window to settle");
  TgModes *modes = studio_window_get_modes (win);
  g_assert_nonnull (modes);
  g_assert_cmpuint (tg_modes_count (modes), ==, 3);
  g_assert_cmpuint (studio_modes_panel_get_n_rows (win->modes_panel), ==, 3);
  for (guint i = 1; i < 3; i++)
    {
      TgMode *mode = tg_modes_get (modes, i);
      g_test_message ("mode %u: %s", i, mode->name);
      g_assert_cmpint (mode->method, ==, TG_METHOD_TAUGATE);
      g_assert_cmpfloat (mode->target_angle, ==, i == 1 ? 0.0 : 45.0);
      g_assert_nonnull (strstr (mode->name, "Overlap"));
    }
  /* two different models: their tau differ */
  const TgModel *m0 = tg_modes_get (modes, 1)->model, *m45 = tg_modes_get (modes, 2)->model;
  g_assert_true (memcmp (m0->params + m0->tau[0], m45->params + m45->tau[0],
                         m0->dims[1] * sizeof (float)) != 0);
  destroy_window (win);
}

int
main (int argc, char **argv)
{
  int skip;

  tmp_dir = g_dir_make_tmp ("test-studio-keep-XXXXXX", NULL);
  if ((skip = studio_test_init (&argc, &argv)) != 0)
    return skip;
  g_assert_cmpstr (g_get_user_data_dir (), ==, g_getenv ("XDG_DATA_HOME"));
  g_test_add_func ("/studio/keep/open-over-unsaved", test_open_over_unsaved);
  g_test_add_func ("/studio/keep/units", test_keeps_units);
  g_test_add_func ("/studio/keep/lost-adapter", test_lost_adapter);
  g_test_add_func ("/studio/keep/overlap-joins-modes", test_overlap_joins_modes);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", tmp_dir);
  return status;
}
