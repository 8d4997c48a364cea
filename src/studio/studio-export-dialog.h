/* studio-export-dialog.h — the figure export dialog: size preset or W×H, font size, line
 * width, title and caption on or off, background, file name (its extension picks PDF, SVG or
 * PNG), and a live preview drawn by the same renderer at the chosen size. The choices are
 * remembered for the next dialog of the session. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_EXPORT_DIALOG (studio_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (StudioExportDialog, studio_export_dialog, STUDIO, EXPORT_DIALOG,
                      GtkWindow)

/* A dialog exporting view's figure; transient for parent, destroyed with it. */
StudioExportDialog *studio_export_dialog_new (GtkWindow *parent, StudioView *view);

/* Writes the figure as the dialog's choices say (what the Export button does). */
gboolean studio_export_dialog_export (StudioExportDialog *self, GError **error);

G_END_DECLS
