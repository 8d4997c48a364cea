/* SPDX-License-Identifier: MIT */
/* test-export-dialog.c — the export dialog writes the visible view's figure at the chosen
 * preset (page size read back from the PDF), refuses a bad size with a message, and the
 * next dialog starts from the last choices. Needs a display (xvfb-run). */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "studio-export-dialog.h"
#include "studio-curves-view.h"
#include "studio-results-view.h"
#include "studio-resources.h"
#include "studio-snapshot.h"

/* "/MediaBox [ 0 0 W H ]" of a one-page cairo PDF. */
static void
pdf_page_size (const char *path, double *w, double *h)
{
  g_autofree char *buf = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &buf, &len, NULL));
  const char *box = memmem (buf, len, "/MediaBox [", 11);   /* the PDF holds NUL bytes */
  g_assert_nonnull (box);
  double x0, y0;
  g_assert_cmpint (sscanf (box, "/MediaBox [ %lf %lf %lf %lf", &x0, &y0, w, h), ==, 4);
}

static void
test_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-export-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "fig.pdf", NULL);

  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  g_autoptr(StudioHistory) history = studio_history_new ();
  GtkWidget *view = studio_results_view_new ();
  studio_view_set_history (STUDIO_VIEW (view), history);
  gtk_window_set_child (parent, view);

  StudioExportDialog *dlg = studio_export_dialog_new (parent, STUDIO_VIEW (view));
  GtkDropDown *size = GTK_DROP_DOWN (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "size"));
  GtkEditable *file = GTK_EDITABLE (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "file_name"));
  GtkEditable *custom = GTK_EDITABLE (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "custom_size"));
  gtk_window_present (GTK_WINDOW (dlg));

  gtk_drop_down_set_selected (size, 0);   /* single column */
  gtk_editable_set_text (file, path);
  g_assert_true (studio_export_dialog_export (dlg, &error));
  g_assert_no_error (error);
  double w, h;
  pdf_page_size (path, &w, &h);
  g_assert_cmpfloat (fabs (w - 252), <, 0.01);

  /* A bad custom size is refused and writes nothing. */
  gtk_drop_down_set_selected (size, 5);
  gtk_editable_set_text (custom, "3furlongs");
  g_autofree char *other = g_build_filename (dir, "other.pdf", NULL);
  gtk_editable_set_text (file, other);
  g_assert_false (studio_export_dialog_export (dlg, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "3furlongs"));
  g_clear_error (&error);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  /* A size too small for the figure is said before Export is pressed, with the smallest
   * size that works, and the export is refused, writing nothing. */
  GtkLabel *status = GTK_LABEL (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "status"));
  gtk_editable_set_text (custom, "3.5x0.6in");
  g_test_message ("%s", gtk_label_get_text (status));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "Too small"));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "needs at least 3.50 × "));
  g_assert_false (studio_export_dialog_export (dlg, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "needs at least 3.50 × "));
  g_clear_error (&error);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  /* a column as tall as the single preset or taller is never too small (the table measured
   * its frame unlike it drew it: 3.5 x 2.86 in was, while 3.5 x 2.8 was not) */
  for (double tall = 2.8; tall < 3.6; tall += 0.02)
    {
      g_autofree char *spec = g_strdup_printf ("3.5x%.2fin", tall);
      gtk_editable_set_text (custom, spec);
      if (strstr (gtk_label_get_text (status), "Too small") != NULL)
        g_error ("%s: %s", spec, gtk_label_get_text (status));
    }

  /* The next dialog starts from the last export's choices. */
  gtk_drop_down_set_selected (size, 4);   /* slide */
  g_assert_true (studio_export_dialog_export (dlg, &error));
  gtk_window_destroy (GTK_WINDOW (dlg));
  StudioExportDialog *again = studio_export_dialog_new (parent, STUDIO_VIEW (view));
  GtkDropDown *size2 = GTK_DROP_DOWN (gtk_widget_get_template_child (
    GTK_WIDGET (again), STUDIO_TYPE_EXPORT_DIALOG, "size"));
  GtkEditable *file2 = GTK_EDITABLE (gtk_widget_get_template_child (
    GTK_WIDGET (again), STUDIO_TYPE_EXPORT_DIALOG, "file_name"));
  g_assert_cmpuint (gtk_drop_down_get_selected (size2), ==, 4);
  g_assert_cmpstr (gtk_editable_get_text (file2), ==, other);
  pdf_page_size (other, &w, &h);
  g_assert_cmpfloat (fabs (w - 960), <, 0.01);

  gtk_window_destroy (GTK_WINDOW (again));
  gtk_window_destroy (parent);
  g_remove (path);
  g_remove (other);
  g_rmdir (dir);
}

/* A PNG export takes the dialog's dpi: the single-column page, 252 x 201.6 pt, at 300 dpi is
 * 1050 x 840 pixels; the dpi is offered only when the file is a PNG, and remembered. */
static void
test_png_dpi (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-export-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "fig.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "fig.pdf", NULL);

  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  g_autoptr(StudioHistory) history = studio_history_new ();
  GtkWidget *view = studio_results_view_new ();
  studio_view_set_history (STUDIO_VIEW (view), history);
  gtk_window_set_child (parent, view);
  StudioExportDialog *dlg = studio_export_dialog_new (parent, STUDIO_VIEW (view));
  GtkDropDown *size = GTK_DROP_DOWN (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "size"));
  GtkEditable *file = GTK_EDITABLE (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "file_name"));
  GtkSpinButton *dpi = GTK_SPIN_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "png_dpi"));
  g_assert_nonnull (dpi);
  gtk_window_present (GTK_WINDOW (dlg));

  gtk_drop_down_set_selected (size, 0);   /* single column */
  gtk_editable_set_text (file, pdf);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (dpi)));
  gtk_editable_set_text (file, path);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (dpi)));
  gtk_spin_button_set_value (dpi, 300);
  g_assert_true (studio_export_dialog_export (dlg, &error));
  g_assert_no_error (error);
  cairo_surface_t *png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1050);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 840);
  cairo_surface_destroy (png);
  gtk_window_destroy (GTK_WINDOW (dlg));

  /* Export All takes these choices */
  double w = 0, h = 0;
  TgPlotStyle st;
  g_assert_true (studio_export_dialog_last_choices (&w, &h, &st));
  g_assert_cmpfloat (fabs (w - 252), <, 0.01);
  g_assert_cmpfloat (fabs (h - 201.6), <, 0.01);
  g_assert_cmpfloat (st.font_size, ==, 8);
  g_assert_cmpfloat (st.png_dpi, ==, 300);

  StudioExportDialog *again = studio_export_dialog_new (parent, STUDIO_VIEW (view));
  GtkSpinButton *dpi2 = GTK_SPIN_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (again), STUDIO_TYPE_EXPORT_DIALOG, "png_dpi"));
  g_assert_cmpfloat (gtk_spin_button_get_value (dpi2), ==, 300);
  gtk_window_destroy (GTK_WINDOW (again));
  gtk_window_destroy (parent);
  g_autofree char *csv = g_build_filename (dir, "fig.csv", NULL);
  g_remove (csv);
  g_remove (path);
  g_rmdir (dir);
}

/* A training run of three points: id, method and seed name it ("TauGate · seed 0 · #1"). */
static void
add_run (StudioHistory *history, guint id, TgMethod method, guint64 seed)
{
  StudioSnapshot *snap = studio_snapshot_new ();
  snap->run_id = id;
  snap->job = STUDIO_JOB_TRAIN;
  snap->run_method = method;
  snap->seed = seed;
  for (guint i = 0; i < 3; i++)
    {
      StudioPoint p = { .step = i, .loss = 2.0 - 0.5 * i, .acc0 = 0.5 + 0.1 * i,
                        .acc_rot = 0.4 + 0.1 * i, .full0 = NAN, .full_rot = NAN };
      g_array_append_val (snap->points, p);
    }
  snap->step = 2;
  studio_history_add (history, snap);
  studio_snapshot_unref (snap);
}

/* The dialog's check button labelled name, among the runs, layers or modes to include. */
static GtkCheckButton *
include_button (StudioExportDialog *dlg, const char *name)
{
  GtkWidget *box = GTK_WIDGET (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "include_box"));
  g_assert_nonnull (box);
  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_CHECK_BUTTON (c)
        && g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (c)), name) == 0)
      return GTK_CHECK_BUTTON (c);
  return NULL;
}

/* Leaving a run out of the export removes it from the figure's CSV (and so from the figure,
 * drawn from the same data), the next dialog remembers it, and the window's own view keeps
 * showing every run. */
static void
test_include (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-export-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "curves.pdf", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "curves.csv", NULL);
  /* from no remembered choices: every run ticked */
  g_autofree char *ini = g_build_filename (g_get_user_config_dir (), "taugate-studio",
                                           "export.ini", NULL);
  g_remove (ini);
  studio_export_dialog_reload_choices ();

  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  g_autoptr(StudioHistory) history = studio_history_new ();
  add_run (history, 1, TG_METHOD_TAUGATE, 0);
  add_run (history, 2, TG_METHOD_BITFIT, 1);
  GtkWidget *view = studio_curves_view_new ();
  studio_view_set_history (STUDIO_VIEW (view), history);
  gtk_window_set_child (parent, view);

  StudioExportDialog *dlg = studio_export_dialog_new (parent, STUDIO_VIEW (view));
  GtkEditable *file = GTK_EDITABLE (gtk_widget_get_template_child (
    GTK_WIDGET (dlg), STUDIO_TYPE_EXPORT_DIALOG, "file_name"));
  gtk_window_present (GTK_WINDOW (dlg));
  gtk_editable_set_text (file, path);
  GtkCheckButton *taugate = include_button (dlg, "TauGate · seed 0 · #1");
  GtkCheckButton *bitfit = include_button (dlg, "BitFit · seed 1 · #2");
  g_assert_nonnull (taugate);
  g_assert_nonnull (bitfit);
  g_assert_true (gtk_check_button_get_active (taugate));
  gtk_check_button_set_active (taugate, FALSE);
  g_assert_true (studio_export_dialog_export (dlg, &error));
  g_assert_no_error (error);
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_null (strstr (csv, "TauGate · seed 0"));
  g_assert_nonnull (strstr (csv, "\nBitFit · seed 1 · #2,2,"));
  gtk_window_destroy (GTK_WINDOW (dlg));

  /* remembered for the next dialog; Export All takes it too */
  StudioExportDialog *again = studio_export_dialog_new (parent, STUDIO_VIEW (view));
  g_assert_false (gtk_check_button_get_active (include_button (again, "TauGate · seed 0 · #1")));
  g_assert_true (gtk_check_button_get_active (include_button (again, "BitFit · seed 1 · #2")));
  const char *const *excluded = studio_export_dialog_last_excluded ();
  g_assert_nonnull (excluded);
  g_assert_true (g_strv_contains (excluded, "TauGate · seed 0 · #1"));
  gtk_window_destroy (GTK_WINDOW (again));

  /* the window's view still shows both */
  g_autofree char *shown = studio_view_dup_csv (STUDIO_VIEW (view));
  g_assert_nonnull (strstr (shown, "\nTauGate · seed 0 · #1,0,"));

  gtk_window_destroy (parent);
  g_remove (path);
  g_remove (csv_path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* the dialog remembers into export.ini under the user's configuration: a folder of this
   * run's own, so that running the program by hand cannot touch the user's (GLib's
   * G_TEST_OPTION_ISOLATE_DIRS would do it per test case, but leaks the folders' names,
   * which LeakSanitizer reports) */
  g_autofree char *config = g_dir_make_tmp ("test-export-dialog-XXXXXX", NULL);
  g_assert_nonnull (config);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  studio_ensure_resources ();
  g_test_add_func ("/studio/export-dialog/export", test_export);
  g_test_add_func ("/studio/export-dialog/png-dpi", test_png_dpi);
  g_test_add_func ("/studio/export-dialog/include", test_include);
  int ret = g_test_run ();
  g_autofree char *folder = g_build_filename (config, "taugate-studio", NULL);
  g_autofree char *ini = g_build_filename (folder, "export.ini", NULL);
  g_remove (ini);
  g_rmdir (folder);
  g_rmdir (config);
  return ret;
}
