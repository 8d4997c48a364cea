/* studio-window-export.c — the window's exports: one view (PDF, SVG or PNG by extension)
 * and Export All (every view, and with a finished comparison results.csv, the LaTeX tables
 * and Figure 1), with the file choosers that ask where. The choosers are the window's: it
 * destroys any still open when it goes. */
#include "studio-window-private.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <math.h>

#include "studio-view.h"
#include "studio-export-dialog.h"
#include "tg-report.h"

#define EXPORT_WIDTH 800.0   /* points for PDF and SVG */
#define EXPORT_HEIGHT 520.0
#define EXPORT_PNG_SCALE 1.6 /* pixels per point for PNG */

void
studio_window_track_dialog (StudioWindow *self, GtkFileChooserNative *dialog)
{
  g_ptr_array_add (self->export_dialogs, dialog);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The dialog has answered: it goes (its last reference is the window's list). */
void
studio_window_untrack_dialog (StudioWindow *self, GtkNativeDialog *dialog)
{
  g_signal_handlers_disconnect_by_data (dialog, self);
  g_ptr_array_remove_fast (self->export_dialogs, dialog);
}

void
studio_window_close_export_dialogs (StudioWindow *self)
{
  if (self->export_dialogs == NULL)
    return;
  for (guint i = 0; i < self->export_dialogs->len; i++)
    {
      GtkNativeDialog *dialog = g_ptr_array_index (self->export_dialogs, i);
      g_signal_handlers_disconnect_by_data (dialog, self);
      gtk_native_dialog_destroy (dialog);
    }
  g_ptr_array_set_size (self->export_dialogs, 0);
}

gboolean
studio_window_export_view (StudioWindow *self, const char *name, const char *path,
                           GError **error)
{
  GtkWidget *view = studio_window_get_view (self, name);
  double scale = g_str_has_suffix (path, ".png") || g_str_has_suffix (path, ".PNG")
                 ? EXPORT_PNG_SCALE : 1.0;

  if (view == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No view called “%s”"), name);
      return FALSE;
    }
  return studio_view_export (STUDIO_VIEW (view), path, EXPORT_WIDTH * scale,
                             EXPORT_HEIGHT * scale, error);
}

static void
export_response_cb (GtkNativeDialog *dialog, int response, StudioWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "view-name");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path != NULL && !g_str_has_suffix (path, ".pdf") && !g_str_has_suffix (path, ".svg") &&
          !g_str_has_suffix (path, ".png"))
        {
          char *with_ext = g_strconcat (path, ".pdf", NULL);
          g_free (path);
          path = with_ext;
        }
      if (path == NULL)
        studio_window_show_banner (self, GTK_MESSAGE_ERROR, _("Export failed: choose a local file"));
      else if (!studio_window_export_view (self, name, path, &error))
        {
          g_autofree char *msg = g_strdup_printf (_("Export failed: %s"), error->message);
          studio_window_show_banner (self, GTK_MESSAGE_ERROR, msg);
        }
      else
        {
          g_autofree char *msg = g_strdup_printf (_("Exported to %s"), path);
          studio_window_show_banner (self, GTK_MESSAGE_INFO, msg);
        }
    }
  studio_window_untrack_dialog (self, dialog);
}

/* Ctrl+E: the export dialog (size preset, font, style, file) for the visible view. It is
 * transient for the window and goes with it. */
void
studio_window_export_activate (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  GtkWidget *view = name != NULL ? studio_window_get_view (self, name) : NULL;

  if (view == NULL)
    return;
  StudioExportDialog *dialog = studio_export_dialog_new (GTK_WINDOW (self), STUDIO_VIEW (view));
  g_autofree char *stem = g_strdup_printf ("taugate-%s", name);
  studio_export_dialog_suggest_name (dialog, stem);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The file chooser route: the visible view at the default size, to a file chosen there. */
void
studio_window_export_choose_activate (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  GtkFileChooserNative *dialog;

  if (name == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export View"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  g_object_set_data_full (G_OBJECT (dialog), "view-name", g_strdup (name), g_free);
  g_autofree char *suggested = g_strdup_printf ("taugate-%s.pdf", name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PDF, SVG or PNG (by extension)"));
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_filter_add_pattern (filter, "*.svg");
  gtk_file_filter_add_pattern (filter, "*.png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  studio_window_track_dialog (self, dialog);
}

/* Figure 1 of the paper from a finished comparison, with its data beside it: the same
 * function as `taugate figure1` and the protocol's own outputs. */
static gboolean
export_figure1 (const TgExperimentResults *res, const char *dir, double width, double height,
                const TgPlotStyle *chosen, GError **error)
{
  TgPlotStyle style;
  tg_plot_style_init_light (&style);
  style.draw_background = TRUE;
  if (chosen != NULL)
    style = *chosen;
  g_autofree char *figdir = g_build_filename (dir, "figures", NULL);
  if (g_mkdir_with_parents (figdir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Cannot create %s"), figdir);
      return FALSE;
    }
  g_autofree char *path = g_build_filename (figdir, "mnist_rotation_accuracy.pdf", NULL);
  return tg_plot_figure1_export (res, path, width, height, &style, error);
}

/* Every view (and with a finished comparison, the protocol's outputs) at width x height
 * points in style, leaving out what the last export dialog left out when chosen says so;
 * style NULL: each view's own Export (the light style, EXPORT_WIDTH x EXPORT_HEIGHT). */
static gboolean
export_all_views (StudioWindow *self, const char *dir, double width, double height,
                  const TgPlotStyle *style, gboolean leave_out, GError **error)
{
  g_autofree char *figdir = g_build_filename (dir, "figures", NULL);

  if (g_mkdir_with_parents (figdir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Cannot create %s: %s"),
                   figdir, g_strerror (errno));
      return FALSE;
    }
  const char *const *names = studio_window_view_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *file = g_strdup_printf ("taugate-%s.pdf", names[i]);
      g_autofree char *path = g_build_filename (figdir, file, NULL);
      GtkWidget *view = style != NULL ? studio_window_get_view (self, names[i]) : NULL;
      gboolean ok;
      if (view != NULL)
        {
          /* leaving out what the last export left out, as that view's dialog would */
          if (leave_out)
            studio_view_set_export_excluded (STUDIO_VIEW (view),
                                             studio_export_dialog_last_excluded ());
          ok = studio_view_export_styled (STUDIO_VIEW (view), path, width, height, style,
                                          error);
          studio_view_set_export_excluded (STUDIO_VIEW (view), NULL);
        }
      else
        ok = studio_window_export_view (self, names[i], path, error);
      if (!ok)
        return FALSE;
    }
  const TgExperimentResults *res = studio_history_get_experiment (self->history);
  if (res != NULL)
    {
      if (!tg_report_write_all (res, dir, error))
        return FALSE;
      if (!export_figure1 (res, dir, width, height, style, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
studio_window_export_all (StudioWindow *self, const char *dir, GError **error)
{
  /* at the export dialog's last size and style, else as a single view's Export */
  double width = 0, height = 0;
  TgPlotStyle style;
  gboolean chosen = studio_export_dialog_last_choices (&width, &height, &style);
  return export_all_views (self, dir, width, height, chosen ? &style : NULL, chosen, error);
}

gboolean
studio_window_export_all_sized (StudioWindow *self, const char *dir, double width,
                                double height, const TgPlotStyle *style, GError **error)
{
  g_return_val_if_fail (style != NULL, FALSE);
  return export_all_views (self, dir, width, height, style, FALSE, error);
}

static void
export_all_response_cb (GtkNativeDialog *dialog, int response, StudioWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path == NULL || !studio_window_export_all (self, path, &error))
        {
          g_autofree char *msg = g_strdup_printf (_("Export failed: %s"),
                                                  error != NULL ? error->message : _("not a local folder"));
          studio_window_show_banner (self, GTK_MESSAGE_ERROR, msg);
        }
      else
        {
          g_autofree char *msg = g_strdup_printf (
            _("Exported every view to %s/figures%s"), path,
            studio_history_get_experiment (self->history) != NULL
              ? _(", with results.csv and the LaTeX tables") : _(" (run the paper comparison for results.csv and the tables)"));
          studio_window_show_banner (self, GTK_MESSAGE_INFO, msg);
        }
    }
  studio_window_untrack_dialog (self, dialog);
}

void
studio_window_export_all_activate (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Export All Figures and Tables"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  g_signal_connect (dialog, "response", G_CALLBACK (export_all_response_cb), self);
  studio_window_track_dialog (self, dialog);
}

