/* SPDX-License-Identifier: MIT */
/* studio-window.h — the main window: header bar controls, side panel of settings, the stack
 * of views, the status line and the error banner. It owns the trainer and the history. */
#pragma once

#include <gtk/gtk.h>
#include "studio-trainer.h"
#include "studio-history.h"
#include "tg-plot.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_WINDOW (studio_window_get_type ())
G_DECLARE_FINAL_TYPE (StudioWindow, studio_window, STUDIO, WINDOW, GtkApplicationWindow)

/* cfg: the initial settings (copied); NULL for the paper preset. */
StudioWindow  *studio_window_new            (GtkApplication *app, const StudioConfig *cfg);

/* Starts a new run with the window's settings, or resumes a paused one. */
gboolean       studio_window_train          (StudioWindow *self);
void           studio_window_pause          (StudioWindow *self);
void           studio_window_stop           (StudioWindow *self);
void           studio_window_reset          (StudioWindow *self);

/* Starts job when nothing runs, else once the running jobs have finished well. */
void           studio_window_queue_job      (StudioWindow *self, StudioJob job);

/* Moves the lambda control (0 = off), as a user would; the trainer follows. */
void           studio_window_set_lambda     (StudioWindow *self, double lambda);
void           studio_window_set_sharpness  (StudioWindow *self, double s);
/* Chooses the method of the next run in the header bar. */
void           studio_window_set_method     (StudioWindow *self, TgMethod method);

StudioTrainer *studio_window_get_trainer    (StudioWindow *self);
StudioHistory *studio_window_get_history    (StudioWindow *self);
/* The view registered under name ("curves", "neurons", "masks", "overlap", "results"). */
GtkWidget     *studio_window_get_view       (StudioWindow *self, const char *name);
/* NULL-terminated, static. */
const char *const *studio_window_view_names (void);
void           studio_window_show_view      (StudioWindow *self, const char *name);
gboolean       studio_window_export_view    (StudioWindow *self, const char *name,
                                             const char *path, GError **error);
/* Every view as PDF under dir/figures, and with a finished paper comparison results.csv,
 * the LaTeX tables and figures/mnist_rotation_accuracy.pdf. */
gboolean       studio_window_export_all     (StudioWindow *self, const char *dir,
                                             GError **error);
/* The same at width x height points in style, whatever the export dialog last chose
 * (taugate-studio --export-all). */
gboolean       studio_window_export_all_sized (StudioWindow *self, const char *dir,
                                               double width, double height,
                                               const TgPlotStyle *style, GError **error);

G_END_DECLS
