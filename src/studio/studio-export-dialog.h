/* SPDX-License-Identifier: MIT */
/* studio-export-dialog.h — the figure export dialog: size preset or W×H, font size, line
 * width, title and caption on or off, background, file name (its extension picks PDF, SVG or
 * PNG), and a live preview drawn by the same renderer at the chosen size. The choices are
 * remembered for the next dialog and, in g_get_user_config_dir()/taugate-studio/export.ini,
 * for the next run. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_EXPORT_DIALOG (studio_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (StudioExportDialog, studio_export_dialog, STUDIO, EXPORT_DIALOG,
                      GtkWindow)

/* A dialog exporting view's figure; transient for parent, destroyed with it. */
StudioExportDialog *studio_export_dialog_new (GtkWindow *parent, StudioView *view);

/* Writes the figure as the dialog's choices say (what the Export button does), with the
 * numbers it draws beside it as NAME.csv when the view gives them. */
gboolean studio_export_dialog_export (StudioExportDialog *self, GError **error);
/* Names the file stem + the chosen extension, in the folder of the last export. */
void     studio_export_dialog_suggest_name (StudioExportDialog *self, const char *stem);
/* The size in points and the style of the last export's choices (this session's, else the
 * last run's), for Export All; FALSE, with nothing set, when there are none or the remembered
 * size no longer parses. */
gboolean studio_export_dialog_last_choices (double *width, double *height, TgPlotStyle *style);
/* The names (runs, layers or modes) the last export left out, NULL-terminated, or NULL
 * when it left none out; for Export All. Owned by the dialog's memory. */
const char *const *studio_export_dialog_last_excluded (void);
/* Forgets this session's choices and reads the last run's again (what a new run starts
 * from); for tests. */
void     studio_export_dialog_reload_choices (void);

G_END_DECLS
