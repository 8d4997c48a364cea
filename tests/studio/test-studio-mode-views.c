/* SPDX-License-Identifier: MIT */
/* test-studio-mode-views.c — the views that follow the Modes panel, under xvfb-run, on the
 * foundation and the two TauGate adapters of a tiny `taugate reproduce` (argv[1] is the
 * taugate command-line tool): Curves draws the active mode's evaluation and changes with
 * the mode, without training; the Angles view exports the mixed-stream table. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-angles-view.h"
#include "studio-curves-view.h"
#include "cli-test-util.h"

static const char *taugate_cli;
static char *tmp_dir;
static char *ckpt;

static gboolean
measured (StudioWindow *win, gpointer data)
{
  return !studio_window_is_measuring (win);
}

/* A window with the foundation and its 0° and 45° adapters open: Base, 0°, 45°. */
static StudioWindow *
window_with_modes (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_autofree char *f = g_build_filename (ckpt, "seed0-foundation.safetensors", NULL);
  g_autofree char *a0 = g_build_filename (ckpt, "seed0-taugate-0deg.safetensors", NULL);
  g_autofree char *a45 = g_build_filename (ckpt, "seed0-taugate-45deg.safetensors", NULL);
  const char *paths[] = { f, a0, a45, NULL };
  g_assert_true (studio_window_open_paths (win, paths));
  g_assert_cmpuint (tg_modes_count (studio_window_get_modes (win)), ==, 3);
  wait_for (win, measured, NULL, "the first mode's measurement");
  return win;
}

/* Curves shows the active mode's accuracy at 0° and at the angle, named after the mode, in
 * its CSV and its description, and switching the mode changes both at once. */
static void
test_curves_follow_mode (void)
{
  StudioWindow *win = window_with_modes ();
  StudioView *curves = STUDIO_VIEW (studio_window_get_view (win, "curves"));
  TgModes *modes = studio_window_get_modes (win);
  char *csv[3] = { NULL }, *text[3] = { NULL };

  for (guint m = 0; m < 3; m++)
    {
      g_assert_true (studio_window_set_active_mode (win, m));
      wait_for (win, measured, NULL, "the mode's measurement");
      StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
      const char *name = tg_modes_get (modes, m)->name;
      g_assert_cmpstr (st->mode_name, ==, name);
      csv[m] = studio_view_dup_csv (curves);
      text[m] = studio_view_describe (curves);
      g_test_message ("mode %u: %s", m, text[m]);
      g_assert_nonnull (csv[m]);
      g_assert_nonnull (strstr (csv[m], name));
      g_assert_nonnull (strstr (text[m], name));
      /* the level lines carry the measured accuracies, at 0° and at the angle */
      g_autofree char *acc = g_strdup_printf ("%.1f%% at 0°, %.1f%% at %g°",
                                              100.0 * st->final_acc0, 100.0 * st->final_acc_rot,
                                              st->angle);
      g_assert_nonnull (strstr (text[m], acc));
    }
  g_assert_cmpstr (csv[0], !=, csv[2]);
  g_assert_cmpstr (csv[1], !=, csv[2]);
  g_assert_cmpstr (text[0], !=, text[2]);
  for (guint m = 0; m < 3; m++)
    {
      g_free (csv[m]);
      g_free (text[m]);
    }
  destroy_window (win);
}

/* After a run trained here, Base made active is drawn beside that run: level lines over its
 * adaptation, up to its last step, with the run's own curves still there. */
static void
test_curves_mode_beside_run (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioView *curves = STUDIO_VIEW (studio_window_get_view (win, "curves"));
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";
  g_autofree char *shot = g_build_filename (builddir, "studio-curves-mode.png", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run");
  const StudioRun *run = current_run (win);
  g_assert_nonnull (studio_window_get_modes (win));
  g_assert_true (studio_window_set_active_mode (win, 0));
  wait_for (win, measured, NULL, "Base's measurement");

  g_autofree char *csv = studio_view_dup_csv (curves);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  guint run_rows = 0, mode_rows = 0;
  double mode_steps[2] = { -1, -1 };
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      if (g_str_has_prefix (lines[i], "\"mode “Base”"))
        {
          const char *after = strstr (lines[i], "\",") + 2;
          g_assert_cmpuint (mode_rows, <, 2);
          mode_steps[mode_rows++] = g_ascii_strtod (after, NULL);
        }
      else if (g_str_has_prefix (lines[i], run->name) ||
               g_str_has_prefix (lines[i] + 1, run->name))
        run_rows++;
    }
  g_assert_cmpuint (mode_rows, ==, 2);
  g_assert_cmpuint (run_rows, >, 2);
  g_assert_cmpfloat (mode_steps[0], ==, (double) run->foundation_steps);
  g_assert_cmpfloat (mode_steps[1], ==, (double) run->total_steps);
  g_assert_true (studio_view_export (curves, shot, 640, 400, &error));
  g_assert_no_error (error);
  destroy_window (win);
}

static gboolean
swept (StudioWindow *win, gpointer data)
{
  return !studio_angles_view_is_running (data);
}

static GPtrArray *
csv_first_fields (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      /* a quoted first field, or up to the first comma */
      const char *l = lines[i];
      if (l[0] == '"')
        g_ptr_array_add (rows, g_strndup (l + 1, strchr (l + 1, '"') - (l + 1)));
      else
        g_ptr_array_add (rows, g_strndup (l, strcspn (l, ",")));
    }
  return rows;
}

static gboolean
has_row (GPtrArray *rows, const char *name)
{
  for (guint i = 0; i < rows->len; i++)
    if (strcmp (g_ptr_array_index (rows, i), name) == 0)
      return TRUE;
  return FALSE;
}

/* The mixed-stream table leaves the studio as the CLI writes it: mixed.csv with the rows
 * Base, each adapter, Auto (entropy), Auto (router) and Oracle; modes.csv and the LaTeX
 * tables beside it. Before a sweep there is nothing to export, and it says so. */
static void
test_mixed_export (void)
{
  StudioWindow *win = window_with_modes ();
  StudioAnglesView *view = STUDIO_ANGLES_VIEW (studio_window_get_view (win, "angles"));
  TgModes *modes = studio_window_get_modes (win);
  g_autofree char *out = g_build_filename (tmp_dir, "tables", NULL);
  g_autofree char *mixed = g_build_filename (out, "mixed.csv", NULL);
  g_autofree char *by_angle = g_build_filename (out, "modes.csv", NULL);
  g_autofree char *tex = g_build_filename (out, "tables", "modes.tex", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (studio_angles_view_export_tables (view, out, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Sweep Angles"));
  g_clear_error (&error);

  g_assert_true (studio_angles_view_start (view));
  wait_for (win, swept, view, "the sweep and the mixed stream");
  g_assert_true (studio_angles_view_export_tables (view, out, &error));
  g_assert_no_error (error);
  g_autoptr (GPtrArray) rows = csv_first_fields (mixed);
  g_assert_true (has_row (rows, "Base"));
  for (guint m = 1; m < tg_modes_count (modes); m++)
    g_assert_true (has_row (rows, tg_modes_get (modes, m)->name));
  g_assert_true (has_row (rows, "Auto (entropy)"));
  g_assert_true (has_row (rows, "Auto (router)"));
  g_assert_true (has_row (rows, "Oracle"));
  g_assert_cmpuint (rows->len, ==, tg_modes_count (modes) + 3);
  g_assert_true (g_file_test (by_angle, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (tex, G_FILE_TEST_IS_REGULAR));

  /* the view's own export carries the mode × angle numbers beside the figure */
  g_autofree char *csv = studio_view_dup_csv (STUDIO_VIEW (view));
  g_assert_nonnull (csv);
  g_autofree char *file_csv = NULL;
  g_assert_true (g_file_get_contents (by_angle, &file_csv, NULL, NULL));
  /* the same rows (mode × angle, soft and hard), in the same order, as modes.csv */
  g_auto (GStrv) view_lines = g_strsplit (csv, "\n", -1);
  g_auto (GStrv) file_lines = g_strsplit (file_csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (view_lines), ==, g_strv_length (file_lines));
  for (guint i = 1; file_lines[i] != NULL && file_lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) vf = g_strsplit (view_lines[i], ",", -1);
      g_auto (GStrv) ff = g_strsplit (file_lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (vf), ==, 5);
      g_assert_cmpuint (g_strv_length (ff), ==, 6);
      g_assert_cmpstr (vf[0], ==, ff[0]);                               /* mode */
      for (guint k = 1; k < 5; k++)                                     /* target, angle, accs */
        g_assert_cmpfloat_with_epsilon (g_ascii_strtod (vf[k], NULL),
                                        g_ascii_strtod (ff[k + 1], NULL), 1e-6);
    }

  /* the same through the view's button and the real folder chooser */
  g_autofree char *chosen = g_build_filename (tmp_dir, "chosen", NULL);
  g_autofree char *chosen_mixed = g_build_filename (chosen, "mixed.csv", NULL);
  g_assert_cmpint (g_mkdir_with_parents (chosen, 0700), ==, 0);
  GtkWidget *button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                 STUDIO_TYPE_ANGLES_VIEW,
                                                                 "export_button"));
  GtkLabel *status = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                               STUDIO_TYPE_ANGLES_VIEW,
                                                               "export_status"));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  wait_for (win, chooser_shown, NULL, "the folder chooser");
  spin (300);  /* the folder loads asynchronously */
  GtkWidget *chooser = find_file_chooser ();
  g_autoptr (GFile) folder = g_file_new_for_path (chosen);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  spin (300);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  spin (100);
  g_test_message ("after Export Tables: %s", gtk_label_get_text (status));
  g_assert_nonnull (strstr (gtk_label_get_text (status), chosen));
  g_autofree char *a = NULL, *b = NULL;
  g_assert_true (g_file_get_contents (mixed, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (chosen_mixed, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
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
  tmp_dir = g_dir_make_tmp ("test-studio-mode-views-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  ckpt = studio_test_reproduce (taugate_cli, tmp_dir);

  g_test_add_func ("/studio/mode-views/curves-follow-mode", test_curves_follow_mode);
  g_test_add_func ("/studio/mode-views/mixed-export", test_mixed_export);
  g_test_add_func ("/studio/mode-views/curves-mode-beside-run", test_curves_mode_beside_run);
  int ret = g_test_run ();

  cli_test_remove_tree (tmp_dir);
  g_free (ckpt);
  return ret;
}
