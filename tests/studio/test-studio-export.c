/* SPDX-License-Identifier: MIT */
/* test-studio-export.c — Ctrl+E (win.export) opens the export dialog on the visible view,
 * named after it; its export writes the figure and the numbers drawn beside it; the dialog
 * goes with the window; and its choices outlive the run (the key file under
 * XDG_CONFIG_HOME, which the tests point into the build folder). Needs a display. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-export-dialog.h"

static StudioExportDialog *
find_export_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (STUDIO_IS_EXPORT_DIALOG (w))
        return STUDIO_EXPORT_DIALOG (w);
    }
  return NULL;
}

static gboolean
dialog_shown (StudioWindow *win, gpointer data)
{
  return find_export_dialog () != NULL;
}

static GtkWidget *
child (StudioExportDialog *dlg, const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dlg),
                                                     STUDIO_TYPE_EXPORT_DIALOG, name));
}

static void
test_ctrl_e_dialog (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-studio-export-XXXXXX", &error);
  g_assert_no_error (error);

  studio_window_show_view (win, "overlap");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export", NULL));
  wait_for (win, dialog_shown, NULL, "the export dialog");
  StudioExportDialog *dlg = find_export_dialog ();
  GtkEditable *file = GTK_EDITABLE (child (dlg, "file_name"));
  g_autofree char *base = g_path_get_basename (gtk_editable_get_text (file));
  g_assert_true (g_str_has_prefix (base, "taugate-overlap."));

  g_autofree char *pdf = g_build_filename (dir, "overlap.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "overlap.csv", NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (dlg, "size")), 1);  /* double column */
  gtk_editable_set_text (file, pdf);
  g_assert_true (studio_export_dialog_export (dlg, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));

  /* the next view's dialog is named after it, in the folder of the last export */
  studio_window_show_view (win, "curves");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (win), "win.export", NULL));
  spin (100);
  GListModel *tops = gtk_window_get_toplevels ();
  StudioExportDialog *second = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (STUDIO_IS_EXPORT_DIALOG (w) && (gpointer) w != (gpointer) dlg)
        second = STUDIO_EXPORT_DIALOG (w);
    }
  g_assert_nonnull (second);
  g_autofree char *want = g_build_filename (dir, "taugate-curves.pdf", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (second, "file_name"))), ==, want);

  destroy_window (win);
  spin (100);
  g_assert_null (find_export_dialog ());

  /* a new run starts from the key file */
  g_autofree char *ini = g_build_filename (g_get_user_config_dir (), "taugate-studio",
                                           "export.ini", NULL);
  g_assert_true (g_file_test (ini, G_FILE_TEST_IS_REGULAR));
  studio_export_dialog_reload_choices ();
  GtkWidget *parent = gtk_window_new ();
  GtkWidget *view = studio_window_get_view (win = new_window (NULL), "curves");
  StudioExportDialog *again = studio_export_dialog_new (GTK_WINDOW (parent), STUDIO_VIEW (view));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (child (again, "size"))), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (again, "file_name"))), ==, pdf);
  gtk_window_destroy (GTK_WINDOW (again));
  gtk_window_destroy (GTK_WINDOW (parent));
  destroy_window (win);

  /* a damaged key file: the defaults, no crash */
  g_assert_true (g_file_set_contents (ini, "[export]\nsize=single\nfont-size=banana\n", -1, NULL));
  studio_export_dialog_reload_choices ();
  win = new_window (NULL);
  view = studio_window_get_view (win, "curves");
  again = studio_export_dialog_new (GTK_WINDOW (win), STUDIO_VIEW (view));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (again, "file_name"))), ==,
                   "figure.pdf");
  destroy_window (win);

  g_remove (pdf);
  g_remove (csv);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;

  g_test_add_func ("/studio/export/ctrl-e-dialog", test_ctrl_e_dialog);
  return g_test_run ();
}
