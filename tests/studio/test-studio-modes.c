/* SPDX-License-Identifier: MIT */
/* test-studio-modes.c — opening checkpoints in the studio under xvfb-run: a foundation and
 * its two TauGate adapters from a tiny `taugate reproduce`, an adapter of another foundation
 * (asked about first), a broken file and an adapter without a foundation (refused in the
 * banner, naming the file). argv[1] is the taugate command-line tool. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-workspace.h"
#include "studio-history.h"
#include "studio-modes-panel.h"
#include "studio-angles-view.h"
#include "studio-view.h"
#include "studio-overlap-view.h"
#include "studio-mode-map-view.h"
#include "tg-mode-pair.h"
#include "cli-test-util.h"

static const char *taugate_cli;
static char *tmp_dir;

/* checkpoints/ of a tiny reproduce into tmp_dir/NAME (train_limit tells the runs apart) */
static char *
reproduce (const char *name, const char *train_limit)
{
  g_autofree char *out = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *std_err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *argv[] = { taugate_cli, "reproduce", "-q", "--data", studio_test_data_dir (),
                         "--train-limit", train_limit, "--test-limit", "500", "--seeds", "1",
                         "--methods", "taugate", "--out", out, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &std_err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("taugate reproduce failed: %s", std_err);
  return g_build_filename (out, "checkpoints", NULL);
}

static char *
file_in (const char *dir, const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static const char *ckpt_a;  /* the reproduce the window opens */
static const char *ckpt_b;  /* another foundation's */

static StudioWindow *
window_with_foundation (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_autofree char *f = file_in (ckpt_a, "seed0-foundation.safetensors");
  const char *paths[] = { f, NULL };
  g_assert_true (studio_window_open_paths (win, paths));
  return win;
}

/* A model is called what it is: a TauGate run's foundation phase trains all weights (its
 * model's method is Full FT) but is the TauGate run's foundation, not a Full FT run; a mode
 * opened from a file goes by its name. */
static void
test_model_names (void)
{
  g_autoptr (StudioSnapshot) snap = studio_snapshot_new ();
  snap->method = TG_METHOD_FULL;
  snap->run_method = TG_METHOD_TAUGATE;
  snap->phase = STUDIO_PHASE_FOUNDATION;
  snap->step = 200;
  g_autofree char *foundation = studio_snapshot_dup_model_name (snap);
  g_assert_cmpstr (foundation, ==, "TauGate run's foundation");
  snap->method = TG_METHOD_TAUGATE;
  snap->phase = STUDIO_PHASE_ADAPTATION;
  g_autofree char *adapting = studio_snapshot_dup_model_name (snap);
  g_assert_cmpstr (adapting, ==, "TauGate");
  snap->mode_name = g_strdup ("TauGate 45°");
  g_autofree char *mode = studio_snapshot_dup_model_name (snap);
  g_assert_cmpstr (mode, ==, "TauGate 45°");
}

/* The foundation and two adapters, given in any order: three modes, no refusal. */
static void
test_open_three_modes (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_autofree char *f = file_in (ckpt_a, "seed0-foundation.safetensors");
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  /* the adapters first: the foundation is still taken first */
  const char *paths[] = { a0, a45, f, NULL };

  g_assert_null (studio_window_get_modes (win));
  g_assert_true (studio_window_open_paths (win, paths));
  TgModes *modes = studio_window_get_modes (win);
  g_assert_nonnull (modes);
  g_assert_cmpuint (tg_modes_count (modes), ==, 3);
  g_assert_cmpstr (tg_modes_get (modes, 0)->name, ==, "Base");
  g_assert_cmpint (tg_modes_get (modes, 1)->method, ==, TG_METHOD_TAUGATE);
  g_assert_cmpint (tg_modes_get (modes, 2)->method, ==, TG_METHOD_TAUGATE);
  g_assert_null (studio_window_get_open_question (win));
  g_assert_nonnull (studio_window_get_banner (win));
  g_assert_nonnull (strstr (studio_window_get_banner (win), "Opened"));
  destroy_window (win);
}

static gboolean
pair_measured (StudioWindow *win, gpointer data)
{
  return !studio_overlap_view_is_busy (data);
}

/* The Jaccard line the engine gives for open modes a and b at the threshold 0.9. */
static char *
expected_summary (StudioWindow *win, TgModes *modes, guint a, guint b)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioTestSet) set = studio_workspace_dup_test_set (studio_window_get_workspace (win),
                                                                 &error);
  g_assert_no_error (error);
  const TgDataset *test = set->data;
  const TgMode *ma = tg_modes_get (modes, a), *mb = tg_modes_get (modes, b);
  g_autofree float *ga = tg_mode_own_gates (ma->model, ma->sharpness, test, ma->target_angle,
                                            &error);
  g_autofree float *gb = tg_mode_own_gates (mb->model, mb->sharpness, test, mb->target_angle,
                                            &error);
  g_assert_no_error (error);
  TgModePair pair;
  g_assert_true (tg_mode_pair_compare (ma->model, ga, mb->model, gb, 0.9f, &pair, &error));
  GString *s = g_string_new ("Jaccard");
  for (guint l = 0; l < pair.n_layers; l++)
    g_string_append_printf (s, " · hidden %u %.3f", l + 1, pair.jaccard[l]);
  return g_string_free (s, FALSE);
}

/* Overlap compares any two open modes: the 0° and the 45° adapter as the engine measures
 * them, a mode with itself overlapping fully, Base (no gates) refused with its name, and
 * the trained pair back when "Trained pair" is chosen again. */
static void
test_overlap_any_pair (void)
{
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  StudioWindow *win = window_with_foundation ();
  const char *paths[] = { a0, a45, NULL };
  g_assert_true (studio_window_open_paths (win, paths));
  TgModes *modes = studio_window_get_modes (win);
  g_assert_cmpuint (tg_modes_count (modes), ==, 3);
  StudioOverlapView *ov = STUDIO_OVERLAP_VIEW (studio_window_get_view (win, "overlap"));

  g_assert_true (studio_overlap_view_compare (ov, 1, 2));
  g_assert_true (studio_overlap_view_is_busy (ov));
  wait_for (win, pair_measured, ov, "the pair's gates");
  g_autofree char *want = expected_summary (win, modes, 1, 2);
  g_test_message ("%s", want);
  g_assert_cmpstr (studio_overlap_view_get_summary (ov), ==, want);
  g_autofree char *csv = studio_view_dup_csv (STUDIO_VIEW (ov));
  g_assert_nonnull (csv);
  /* the strips hold the two modes' own gates: not one mode twice */
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "layer,unit,gate0,gate_rot,"));
  guint differ = 0;
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      differ += g_strcmp0 (f[2], f[3]) != 0;
    }
  g_assert_cmpuint (differ, >, 0);

  g_assert_true (studio_overlap_view_compare (ov, 2, 2));
  wait_for (win, pair_measured, ov, "the pair's gates");
  g_assert_cmpstr (studio_overlap_view_get_summary (ov), ==,
                   "Jaccard · hidden 1 1.000 · hidden 2 1.000");
  g_assert_cmpstr (studio_overlap_view_get_pair_status (ov), ==, "");

  g_assert_true (studio_overlap_view_compare (ov, 0, 1));
  wait_for (win, pair_measured, ov, "the pair's gates");
  g_test_message ("%s", studio_overlap_view_get_pair_status (ov));
  g_assert_nonnull (strstr (studio_overlap_view_get_pair_status (ov), "“Base”"));
  g_assert_nonnull (strstr (studio_overlap_view_get_pair_status (ov), "no gates"));
  g_assert_false (studio_overlap_view_compare (ov, 0, 3));
  destroy_window (win);
}

static gboolean
map_measured (StudioWindow *win, gpointer data)
{
  return !studio_mode_map_view_is_busy (data);
}

static guint
count_lines (const char *text, const char *prefix)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

/* The Mode Map view of Base and two TauGate adapters: a row per mode and test angle (0° and
 * 45°) in the matrix, a cell per pair of the two gated modes per layer in the map, with 1 on
 * its diagonal; a click on a cell of the map opens that pair in Overlap. */
static void
test_mode_map_view (void)
{
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  StudioWindow *win = window_with_foundation ();
  StudioModeMapView *mv = STUDIO_MODE_MAP_VIEW (studio_window_get_view (win, "mode-map"));
  /* the foundation alone: Base's row of the matrix, no map (no gated mode) */
  g_autofree char *base_only = studio_view_dup_csv (STUDIO_VIEW (mv));
  g_assert_nonnull (base_only);
  g_assert_cmpuint (count_lines (base_only, "accuracy,Base,"), ==, 1);
  g_assert_cmpuint (count_lines (base_only, "mode map,"), ==, 0);
  const char *paths[] = { a0, a45, NULL };
  g_assert_true (studio_window_open_paths (win, paths));
  studio_window_show_view (win, "mode-map");
  wait_for (win, map_measured, mv, "the mode map");
  g_autofree char *csv = studio_view_dup_csv (STUDIO_VIEW (mv));
  g_assert_nonnull (csv);
  g_test_message ("%s", csv);
  /* one table, one header (both figures' rows) */
  g_assert_cmpuint (count_lines (csv, "table,mode,mode_angle,test_angle,accuracy,layer,mode_b,"
                                      "jaccard"), ==, 1);
  g_assert_cmpuint (cli_test_csv_records (csv), >=, 1 + 6 + 8);
  /* 3 modes x 2 angles; 2 layers x 2 x 2 pairs */
  g_assert_cmpuint (count_lines (csv, "accuracy,Base,"), ==, 2);
  g_assert_cmpuint (count_lines (csv, "accuracy,TauGate 45°,45,"), ==, 2);
  g_assert_cmpuint (count_lines (csv, "mode map,"), ==, 8);
  g_assert_cmpuint (count_lines (csv, "mode map,TauGate 45°,,,,hidden 2,TauGate 45°,1"), ==, 1);

  /* a click on the map: the first cell found from the bottom left opens in Overlap */
  spin (200);
  StudioOverlapView *ov = STUDIO_OVERLAP_VIEW (studio_window_get_view (win, "overlap"));
  GtkWidget *area = gtk_widget_get_last_child (GTK_WIDGET (mv));
  int w = gtk_widget_get_width (area), h = gtk_widget_get_height (area);
  gboolean hit = FALSE;
  for (int y = h - 1; y > h / 2 && !hit; y -= 4)
    for (int x = 0; x < w && !hit; x += 4)
      hit = studio_mode_map_view_click (mv, x, y);
  g_assert_true (hit);
  wait_for (win, pair_measured, ov, "the pair's gates");
  g_test_message ("%s", studio_overlap_view_get_summary (ov));
  g_assert_true (g_str_has_prefix (studio_overlap_view_get_summary (ov), "Jaccard · hidden 1"));
  g_assert_cmpstr (studio_overlap_view_get_pair_status (ov), ==, "");
  /* kept beside the test's log for a person to look at */
  spin (200);
  g_autoptr (GError) error = NULL;
  g_assert_true (studio_widget_save_png (GTK_WIDGET (win), "studio-overlap-pair.png", &error));
  g_assert_no_error (error);
  destroy_window (win);
}

static gboolean
measured (StudioWindow *win, gpointer data)
{
  return !studio_window_is_measuring (win);
}

/* The params snapshot the Neurons view draws (a copy of its tau). */
static GArray *
shown_tau (StudioWindow *win)
{
  StudioSnapshot *snap = studio_history_get_params (studio_window_get_history (win));
  GArray *tau = g_array_new (FALSE, FALSE, sizeof (float));
  g_assert_nonnull (snap);
  g_assert_nonnull (snap->tau);
  g_array_append_vals (tau, snap->tau, snap->hidden_units);
  return tau;
}

static gboolean
same_floats (GArray *a, GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (float)) == 0;
}

/* The Masks figure's text as exported (pdftotext), or NULL without pdftotext. */
static char *
masks_text (StudioWindow *win, const char *name)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  if (tool == NULL)
    return NULL;
  g_autofree char *pdf = g_build_filename (tmp_dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (studio_view_export (STUDIO_VIEW (studio_window_get_view (win, "masks")), pdf,
                                     800, 600, &error));
  g_assert_no_error (error);
  char *out = NULL;
  g_autofree char *err = NULL;
  g_assert_cmpint (cli_test_run_argv ((const char *[]) { tool, "-q", pdf, "-", NULL }, &out,
                                      &err), ==, 0);
  return out;
}

/* Switching the mode changes what the views show, without training: the panel lists the
 * three modes, and each mode's tau reaches the Neurons view's snapshot. */
static void
test_switch_mode (void)
{
  StudioWindow *win = window_with_foundation ();
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  const char *paths[] = { a0, a45, NULL };

  g_assert_true (studio_window_open_paths (win, paths));
  g_assert_cmpuint (studio_modes_panel_get_n_rows (win->modes_panel), ==, 3);
  wait_for (win, measured, NULL, "Base measured");
  g_autoptr (GArray) tau_base = shown_tau (win);
  g_assert_true (studio_window_set_active_mode (win, 1));
  wait_for (win, measured, NULL, "the 0° mode measured");
  g_autoptr (GArray) tau0 = shown_tau (win);
  g_assert_true (studio_window_set_active_mode (win, 2));
  wait_for (win, measured, NULL, "the 45° mode measured");
  g_autoptr (GArray) tau45 = shown_tau (win);
  g_assert_false (same_floats (tau0, tau45));
  g_assert_false (same_floats (tau_base, tau45));
  g_assert_nonnull (studio_history_get_masks (studio_window_get_history (win)));
  /* the figure names the mode it shows, and no training cadence it never had */
  g_autofree char *text45 = masks_text (win, "masks-45.pdf");
  if (text45 != NULL)
    {
      g_autofree char *flat = g_strdelimit (g_strdup (text45), "\n", ' ');
      g_test_message ("Masks of the 45° mode: %s", flat);
      g_assert_nonnull (strstr (flat, tg_modes_get (studio_window_get_modes (win), 2)->name));
      g_assert_null (strstr (flat, "every 0 steps"));
      g_assert_null (strstr (flat, "step 0 (done)"));
    }
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (win)), ==, 0);
  /* the adapter's values, as in its file */
  TgModel *m = tg_modes_get (studio_window_get_modes (win), 2)->model;
  g_assert_cmpmem (tau45->data, m->dims[1] * sizeof (float), m->params + m->tau[0],
                   m->dims[1] * sizeof (float));
  /* back to Base: the foundation's own tau again */
  g_assert_true (studio_window_set_active_mode (win, 0));
  wait_for (win, measured, NULL, "Base measured again");
  g_autoptr (GArray) tau_back = shown_tau (win);
  g_assert_true (same_floats (tau_base, tau_back));
  g_assert_false (studio_window_set_active_mode (win, 3));
  destroy_window (win);
}

static gboolean
swept (StudioWindow *win, gpointer data)
{
  return !studio_angles_view_is_running (data);
}

/* The angle sweep: every mode at 0°, 15°, …, 180°, accuracies in [0, 1]; Base at 0° as the
 * Neurons measurement of Base gives it on the same images. */
static void
test_angle_sweep (void)
{
  StudioWindow *win = window_with_foundation ();
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  const char *paths[] = { a0, a45, NULL };
  StudioAnglesView *view = STUDIO_ANGLES_VIEW (studio_window_get_view (win, "angles"));

  g_assert_nonnull (view);
  g_assert_null (studio_angles_view_get_sweep (view));
  g_assert_true (studio_window_open_paths (win, paths));
  g_assert_true (studio_angles_view_start (view));
  g_assert_false (studio_angles_view_start (view)); /* one at a time */
  wait_for (win, swept, view, "the sweep");
  const TgAngleSweep *sweep = studio_angles_view_get_sweep (view);
  g_assert_nonnull (sweep);
  g_assert_cmpuint (sweep->n_modes, ==, 3);
  g_assert_cmpuint (sweep->n_angles, ==, 13);
  g_assert_cmpfloat (sweep->angles[0], ==, 0.0);
  g_assert_cmpfloat (sweep->angles[12], ==, 180.0);
  for (guint i = 0; i < sweep->n_modes * sweep->n_angles; i++)
    g_assert_true (sweep->acc_soft[i] >= 0.0 && sweep->acc_soft[i] <= 1.0);
  destroy_window (win);
}

/* The modal question over win, or NULL. */
static GtkWindow *
find_question (StudioWindow *win)
{
  GListModel *tops = gtk_window_get_toplevels ();  /* borrowed */
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (tops, i);
      if (GTK_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == GTK_WINDOW (win))
        return w;
    }
  return NULL;
}

/* A TauGate run trained in the window joins the Modes panel when it ends, as a mode of its
 * own foundation, with its own tau. */
static void
test_trained_joins (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run to finish");
  TgModes *modes = studio_window_get_modes (win);
  g_assert_nonnull (modes);
  g_assert_cmpuint (tg_modes_count (modes), ==, 2);
  TgMode *mode = tg_modes_get (modes, 1);
  g_assert_cmpint (mode->method, ==, TG_METHOD_TAUGATE);
  g_assert_null (mode->path);
  g_assert_cmpuint (studio_modes_panel_get_n_rows (win->modes_panel), ==, 2);
  StudioSnapshot *params = studio_history_get_params (studio_window_get_history (win));
  g_assert_cmpmem (params->tau, mode->model->dims[1] * sizeof (float),
                   mode->model->params + mode->model->tau[0], mode->model->dims[1] * sizeof (float));

  /* Reset asks before it discards the run: Cancel keeps it, Reset forgets it */
  StudioHistory *history = studio_window_get_history (win);
  for (int answer = 0; answer < 2; answer++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.reset", NULL));
      GtkWindow *question = find_question (win);
      g_assert_nonnull (question);
      g_assert_cmpuint (studio_history_get_n_runs (history), ==, 1);
      gtk_dialog_response (GTK_DIALOG (question),
                           answer == 0 ? GTK_RESPONSE_CANCEL : GTK_RESPONSE_ACCEPT);
      g_assert_cmpuint (studio_history_get_n_runs (history), ==, answer == 0 ? 1 : 0);
    }
  destroy_window (win);
}

/* Files on the command line open in the window (they used to end the program with "This
 * application can not open files"): the Modes screenshot of them is written, exit 0. */
static void
test_command_line_open (void)
{
  g_autofree char *studio = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src",
                                              "studio", "taugate-studio", NULL);
  g_autofree char *png = file_in (tmp_dir, "modes.png");
  g_autofree char *f = file_in (ckpt_a, "seed0-foundation.safetensors");
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *argv[] = { studio, "--data", studio_test_data_dir (), "--preset", "quick",
                         "--screenshot", png, "--screenshot-view", "modes", f, a0, a45, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("taugate-studio with files failed: %s", err);
  g_assert_null (strstr (err, "can not open files"));
  g_assert_nonnull (strstr (out, png));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
}

/* An adapter of another foundation: asked about first; Cancel leaves it out and says so,
 * "Attach anyway" attaches it. */
static void
test_mismatch_asks (void)
{
  StudioWindow *win = window_with_foundation ();
  g_autofree char *foreign = file_in (ckpt_b, "seed0-taugate-45deg.safetensors");
  const char *paths[] = { foreign, NULL };

  studio_window_open_paths (win, paths);
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 1);
  GtkWindow *question = studio_window_get_open_question (win);
  g_assert_true (GTK_IS_MESSAGE_DIALOG (question));
  gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
  g_assert_null (studio_window_get_open_question (win));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 1);
  g_assert_nonnull (strstr (studio_window_get_banner (win), foreign));
  g_assert_nonnull (strstr (studio_window_get_banner (win), "another foundation"));

  studio_window_open_paths (win, paths);
  question = studio_window_get_open_question (win);
  g_assert_nonnull (question);
  gtk_dialog_response (GTK_DIALOG (question), 1 /* Attach anyway */);
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 2);
  destroy_window (win);
}

/* A file that is no checkpoint, and an adapter with no foundation open: refused, the
 * banner naming the file; nothing opened. */
static void
test_refusals_name_the_file (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_autofree char *broken = file_in (tmp_dir, "broken.safetensors");
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");

  g_assert_true (g_file_set_contents (broken, "\x10\x00\x00\x00\x00\x00\x00\x00{not json", 17,
                                      NULL));
  const char *paths[] = { broken, NULL };
  g_assert_false (studio_window_open_paths (win, paths));
  g_assert_null (studio_window_get_modes (win));
  g_assert_nonnull (strstr (studio_window_get_banner (win), broken));

  const char *paths2[] = { a0, NULL };
  g_assert_false (studio_window_open_paths (win, paths2));
  g_assert_null (studio_window_get_modes (win));
  g_assert_nonnull (strstr (studio_window_get_banner (win), a0));
  g_assert_nonnull (strstr (studio_window_get_banner (win), "no foundation"));
  destroy_window (win);
}

/* A safetensors file: the 8-byte little-endian length of header (JSON text, as given), the
 * header, then n_data zero bytes of tensor data. */
static char *
write_checkpoint (const char *name, const char *header, gsize n_data)
{
  char *path = file_in (tmp_dir, name);
  gsize n = strlen (header);
  g_autofree guint8 *bytes = g_malloc0 (8 + n + n_data);
  for (int i = 0; i < 8; i++)
    bytes[i] = (guint8) ((guint64) n >> (8 * i));
  memcpy (bytes + 8, header, n);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) (8 + n + n_data),
                                      NULL));
  return path;
}

static void
communicated_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  char **err = data;
  g_autoptr (GError) error = NULL;
  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, err, &error);
  g_assert_no_error (error);
  if (*err == NULL)
    *err = g_strdup ("");
}

/* Runs the studio on argv; fails the test (after killing it) when it does not quit within
 * timeout_s. Returns its exit status; *err is its stderr. */
static int
run_studio (const char *const *argv, guint timeout_s, char **err)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc =
    g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                       &error);
  g_assert_no_error (error);
  *err = NULL;
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicated_cb, err);
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_TIME_SPAN_SECOND;
  while (*err == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  if (*err == NULL)
    {
      g_subprocess_force_exit (proc);
      while (*err == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_error ("taugate-studio %s did not quit within %u s",
               argv[g_strv_length ((char **) argv) - 1], timeout_s);
    }
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

/* A refused file given to --screenshot: the window shows the refusal, the screenshot of it
 * is written, and the program quits with exit status 1 naming the file on stderr (it used
 * to wait forever for a run that never came, writing nothing). Files that fail at each
 * stage: the header's length, its JSON, the data's size, the shapes, the input size, an
 * adapter with no foundation. */
static void
test_command_line_refused (void)
{
  g_autofree char *studio = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src",
                                              "studio", "taugate-studio", NULL);
#define TENSORS_784_4_10 \
    "{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[4,784],\"data_offsets\":[0,12544]}," \
    "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[12544,12560]}," \
    "\"layers.1.weight\":{\"dtype\":\"F32\",\"shape\":[10,%u],\"data_offsets\":[12560,%u]}," \
    "\"layers.1.bias\":{\"dtype\":\"F32\",\"shape\":[10],\"data_offsets\":[%u,%u]}}"
  g_autofree char *good_header = g_strdup_printf (TENSORS_784_4_10, 4u, 12720u, 12720u, 12760u);
  g_autofree char *bad_shapes = g_strdup_printf (TENSORS_784_4_10, 5u, 12760u, 12760u, 12800u);
#undef TENSORS_784_4_10
  const char *small_input =
    "{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
    "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]},"
    "\"layers.1.weight\":{\"dtype\":\"F32\",\"shape\":[10,4],\"data_offsets\":[64,224]},"
    "\"layers.1.bias\":{\"dtype\":\"F32\",\"shape\":[10],\"data_offsets\":[224,264]}}";
  char *files[] = {
    write_checkpoint ("truncated.safetensors", good_header, 6000),
    write_checkpoint ("bad-json.safetensors", "{\"layers.0.weight\": ", 0),
    write_checkpoint ("wrong-shapes.safetensors", bad_shapes, 12800),
    write_checkpoint ("small-input.safetensors", small_input, 264),
    file_in (tmp_dir, "wrong-magic.safetensors"),
    file_in (ckpt_a, "seed0-taugate-0deg.safetensors"),
  };
  g_assert_true (g_file_set_contents (files[4], "PK\x03\x04 this is a zip file", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *base = g_path_get_basename (files[i]);
      g_autofree char *png_name = g_strdup_printf ("refused-%u.png", i);
      g_autofree char *png = file_in (tmp_dir, png_name);
      g_autofree char *err = NULL;
      g_autofree char *bytes = NULL;
      gsize n = 0;
      const char *argv[] = { studio, "--data", studio_test_data_dir (), "--preset", "quick",
                             "--screenshot", png, "--screenshot-view", "modes", files[i], NULL };

      int status = run_studio (argv, 60, &err);
      g_test_message ("%s: exit %d, stderr: %s", base, status, err);
      g_assert_cmpint (status, ==, 1);
      g_assert_nonnull (strstr (err, files[i]));
      g_assert_true (g_file_get_contents (png, &bytes, &n, NULL));
      g_assert_cmpuint (n, >, 8);
      g_assert_true (memcmp (bytes, "\x89PNG", 4) == 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_free (files[i]);
}

/* An adapter already open, opened again (the same file, or the foundation again), is
 * switched to: no second "TauGate 45° (2)", no modes dropped, and the banner says so. */
static void
test_open_twice_switches (void)
{
  StudioWindow *win = window_with_foundation ();
  g_autofree char *f = file_in (ckpt_a, "seed0-foundation.safetensors");
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  const char *both[] = { a0, a45, NULL };
  const char *again[] = { a0, NULL };
  const char *foundation[] = { f, NULL };

  g_assert_true (studio_window_open_paths (win, both));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 3);
  g_assert_true (studio_window_open_paths (win, again));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 3);
  g_assert_cmpuint (studio_workspace_get_active_mode (studio_window_get_workspace (win)), ==, 1);
  g_assert_nonnull (strstr (studio_window_get_banner (win), "already open"));
  g_assert_cmpuint (studio_modes_panel_get_n_rows (win->modes_panel), ==, 3);
  /* the open foundation's own file again: Base, with its adapters kept */
  g_assert_true (studio_window_open_paths (win, foundation));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 3);
  g_assert_cmpuint (studio_workspace_get_active_mode (studio_window_get_workspace (win)), ==, 0);
  wait_for (win, measured, NULL, "the measurement");
  destroy_window (win);
}

/* Renaming a mode changes its name only: no new measurement (its numbers stay those shown),
 * and the session counts as changed. */
static void
test_rename_keeps_numbers (void)
{
  StudioWindow *win = window_with_foundation ();
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  const char *paths[] = { a45, NULL };
  StudioHistory *history = studio_window_get_history (win);

  g_assert_true (studio_window_open_paths (win, paths));
  wait_for (win, measured, NULL, "the 45° mode measured");
  StudioSnapshot *shown = studio_history_get_status (history);
  g_autofree char *before = studio_snapshot_format_status (shown);
  studio_history_mark_saved (history);
  g_signal_emit_by_name (win->modes_panel, "rename-mode", 1u, "Tilted");
  g_assert_false (studio_window_is_measuring (win));
  g_assert_cmpstr (tg_modes_get (studio_window_get_modes (win), 1)->name, ==, "Tilted");
  g_assert_true (studio_history_get_status (history) == shown);
  spin (100);
  g_assert_false (studio_window_is_measuring (win));
  g_autofree char *after = studio_snapshot_format_status (studio_history_get_status (history));
  g_assert_cmpstr (before, ==, after);
  g_assert_true (studio_history_get_unsaved (history));
  destroy_window (win);
}

/* Opening another foundation while adapters are attached asks first: "Keep the Open Modes"
 * opens nothing and says so, "Replace" opens it. */
static void
test_other_foundation_asks (void)
{
  StudioWindow *win = window_with_foundation ();
  g_autofree char *fa = file_in (ckpt_a, "seed0-foundation.safetensors");
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  g_autofree char *fb = file_in (ckpt_b, "seed0-foundation.safetensors");
  const char *adapter[] = { a0, NULL };
  const char *other[] = { fb, NULL };

  g_assert_true (studio_window_open_paths (win, adapter));
  for (int answer = 0; answer < 2; answer++)
    {
      studio_window_open_paths (win, other);
      TgModes *modes = studio_window_get_modes (win);
      g_assert_cmpuint (tg_modes_count (modes), ==, 2);
      g_assert_cmpstr (modes->foundation_path, ==, fa);
      GtkWindow *question = find_question (win);
      g_assert_nonnull (question);
      gtk_dialog_response (GTK_DIALOG (question),
                           answer == 0 ? GTK_RESPONSE_CANCEL : GTK_RESPONSE_ACCEPT);
      g_assert_null (find_question (win));
    }
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 1);
  g_assert_cmpstr (studio_window_get_modes (win)->foundation_path, ==, fb);
  wait_for (win, measured, NULL, "the new Base measured");
  destroy_window (win);
}

/* A run trained on a new foundation while opened modes are shown asks before they go;
 * "Keep the Open Modes" keeps them, and the banner says the run's adapter did not join. */
static void
test_training_asks (void)
{
  StudioWindow *win = window_with_foundation ();
  g_autofree char *fa = file_in (ckpt_a, "seed0-foundation.safetensors");
  g_autofree char *a0 = file_in (ckpt_a, "seed0-taugate-0deg.safetensors");
  const char *adapter[] = { a0, NULL };
  StudioConfig cfg;

  g_assert_true (studio_window_open_paths (win, adapter));
  wait_for (win, measured, NULL, "the 0° mode measured");
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  studio_settings_panel_set_config (win->settings_panel, &cfg);
  studio_config_clear (&cfg);
  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run to finish");
  TgModes *modes = studio_window_get_modes (win);
  g_assert_cmpuint (tg_modes_count (modes), ==, 2);
  g_assert_cmpstr (modes->foundation_path, ==, fa);
  GtkWindow *question = find_question (win);
  g_assert_nonnull (question);
  gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 2);
  g_assert_cmpstr (studio_window_get_modes (win)->foundation_path, ==, fa);
  g_assert_nonnull (strstr (studio_window_get_banner (win), "did not join"));
  destroy_window (win);
}

/* ---- recent files ------------------------------------------------------------------------ */

/* The studio's entry for path in the recent files, or NULL. */
static GtkRecentInfo *
recent_info (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  return gtk_recent_manager_lookup_item (gtk_recent_manager_get_default (), uri, NULL);
}

/* The Open Recent submenu of the main menu (the header bar's menu button). */
static GMenuModel *
recent_submenu (GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr (GMenuModel) sub = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      if (section != NULL)
        {
          GMenuModel *found = recent_submenu (section);
          if (found != NULL)
            return found;
        }
      if (sub != NULL && g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s",
                                                         &label) &&
          g_strcmp0 (label, "Open _Recent") == 0)
        return g_steal_pointer (&sub);
    }
  return NULL;
}

static GtkWidget *
find_menu_button (GtkWidget *root)
{
  if (GTK_IS_MENU_BUTTON (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_menu_button (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The paths the window's Open Recent lists (each item's win.open-recent target), in order. */
static GPtrArray *
recent_menu_paths (StudioWindow *win)
{
  GtkWidget *button = find_menu_button (gtk_window_get_titlebar (GTK_WINDOW (win)));
  g_assert_nonnull (button);
  g_autoptr (GMenuModel) sub =
    recent_submenu (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)));
  g_assert_nonnull (sub);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < g_menu_model_get_n_items (sub); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr (GVariant) target =
        g_menu_model_get_item_attribute_value (sub, i, G_MENU_ATTRIBUTE_TARGET,
                                               G_VARIANT_TYPE_STRING);
      if (g_menu_model_get_item_attribute (sub, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
          g_strcmp0 (action, "win.open-recent") == 0 && target != NULL)
        g_ptr_array_add (paths, g_variant_dup_string (target, NULL));
    }
  return paths;
}

static gboolean
menu_lists (StudioWindow *win, gpointer data)
{
  g_autoptr (GPtrArray) paths = recent_menu_paths (win);
  return paths->len >= GPOINTER_TO_UINT (data);
}

static void
assert_recent (const char *path, const char *mime, const char *group)
{
  GtkRecentInfo *info = recent_info (path);
  if (info == NULL)
    g_error ("%s is not among the recent files", path);
  g_test_message ("%s: %s, %s", path, gtk_recent_info_get_mime_type (info), group);
  g_assert_true (gtk_recent_info_has_application (info, "taugate-studio"));
  g_assert_true (gtk_recent_info_has_group (info, group));
  g_assert_cmpstr (gtk_recent_info_get_mime_type (info), ==, mime);
  gtk_recent_info_unref (info);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
session_opened (StudioWindow *win, gpointer data)
{
  return g_strcmp0 (win->session_path, data) == 0;
}

/* The foundation and an adapter opened and a session saved go into the recent files (the
 * test program's own XDG_DATA_HOME, never the tester's) with their MIME types, under the
 * studio's name; Open Recent lists them, the latest first; its items open a checkpoint and a
 * session in new windows as File → Open would. */
static void
test_recent_files (void)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autofree char *f = file_in (ckpt_a, "seed0-foundation.safetensors");
  g_autofree char *a45 = file_in (ckpt_a, "seed0-taugate-45deg.safetensors");
  g_autofree char *session = g_build_filename (tmp_dir, "recent-session", NULL);
  g_autofree char *xbel = g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);
  g_autofree char *ctype = g_content_type_guess (f, NULL, 0, NULL);
  g_autofree char *ckpt_mime = g_content_type_get_mime_type (ctype);

  g_assert_cmpstr (g_get_user_data_dir (), ==, g_getenv ("XDG_DATA_HOME"));
  g_assert_nonnull (strstr (xbel, "data-home"));
  gtk_recent_manager_purge_items (manager, NULL);

  StudioWindow *win = window_with_foundation ();
  const char *adapter[] = { a45, NULL };
  g_assert_true (studio_window_open_paths (win, adapter));
  win->session_path = g_strdup (session);
  g_action_group_activate_action (G_ACTION_GROUP (win), "save-session", NULL);
  g_assert_nonnull (strstr (studio_window_get_banner (win), "Saved the session"));
  wait_for (win, menu_lists, GUINT_TO_POINTER (3), "Open Recent to list three entries");
  assert_recent (f, ckpt_mime, "taugate-checkpoint");
  assert_recent (a45, ckpt_mime, "taugate-checkpoint");
  assert_recent (session, "inode/directory", "taugate-session");
  g_autoptr (GPtrArray) listed = recent_menu_paths (win);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (listed, 0), ==, session);
  g_assert_cmpstr (g_ptr_array_index (listed, 1), ==, a45);
  g_assert_cmpstr (g_ptr_array_index (listed, 2), ==, f);
  destroy_window (win);
  /* written for the desktop to read, in the test's data folder */
  wait_until (file_exists, xbel, 30, "recently-used.xbel written");

  /* the foundation's entry opens it in a window that has none */
  StudioConfig cfg;
  small_config (&cfg);
  win = new_window (&cfg);
  g_assert_null (studio_window_get_modes (win));
  g_action_group_activate_action (G_ACTION_GROUP (win), "open-recent",
                                  g_variant_new_string (g_ptr_array_index (listed, 2)));
  g_assert_nonnull (studio_window_get_modes (win));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 1);
  destroy_window (win);

  /* the session's entry opens the session: its foundation and adapter come back */
  win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_action_group_activate_action (G_ACTION_GROUP (win), "open-recent",
                                  g_variant_new_string (g_ptr_array_index (listed, 0)));
  wait_for (win, session_opened, session, "the session opened");
  g_assert_nonnull (studio_window_get_modes (win));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 2);
  destroy_window (win);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;
  if (argc < 2)
    g_error ("usage: %s TAUGATE-CLI", argv[0]);
  taugate_cli = argv[1];
  tmp_dir = g_dir_make_tmp ("test-studio-modes-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  ckpt_a = reproduce ("a", "2000");
  ckpt_b = reproduce ("b", "1000");

  g_test_add_func ("/studio/modes/model-names", test_model_names);
  g_test_add_func ("/studio/modes/open-three-modes", test_open_three_modes);
  g_test_add_func ("/studio/modes/switch-mode", test_switch_mode);
  g_test_add_func ("/studio/modes/overlap-any-pair", test_overlap_any_pair);
  g_test_add_func ("/studio/modes/mode-map-view", test_mode_map_view);
  g_test_add_func ("/studio/modes/angle-sweep", test_angle_sweep);
  g_test_add_func ("/studio/modes/trained-joins", test_trained_joins);
  g_test_add_func ("/studio/modes/command-line-open", test_command_line_open);
  g_test_add_func ("/studio/modes/command-line-refused", test_command_line_refused);
  g_test_add_func ("/studio/modes/mismatch-asks", test_mismatch_asks);
  g_test_add_func ("/studio/modes/refusals-name-the-file", test_refusals_name_the_file);
  g_test_add_func ("/studio/modes/open-twice-switches", test_open_twice_switches);
  g_test_add_func ("/studio/modes/rename-keeps-numbers", test_rename_keeps_numbers);
  g_test_add_func ("/studio/modes/other-foundation-asks", test_other_foundation_asks);
  g_test_add_func ("/studio/modes/training-asks", test_training_asks);
  g_test_add_func ("/studio/modes/recent-files", test_recent_files);
  int ret = g_test_run ();

  cli_test_remove_tree (tmp_dir);
  return ret;
}
