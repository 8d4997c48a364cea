/* test-export-dialog.c — the export dialog writes the visible view's figure at the chosen
 * preset (page size read back from the PDF), refuses a bad size with a message, and the
 * next dialog starts from the last choices. Needs a display (xvfb-run). */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "studio-export-dialog.h"
#include "studio-results-view.h"
#include "studio-resources.h"

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

int
main (int argc, char *argv[])
{
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  studio_ensure_resources ();
  g_test_add_func ("/studio/export-dialog/export", test_export);
  g_test_add_func ("/studio/export-dialog/png-dpi", test_png_dpi);
  return g_test_run ();
}
