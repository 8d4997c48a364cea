/* studio-window.h — the main window: header bar controls, side panel of settings, the stack
 * of views, the status line and the error banner. It owns the trainer and the workspace
 * (the history, the unit selection, the data set), which its views are given. What the
 * application reaches of a window is here. */
#pragma once

#include <gtk/gtk.h>
#include "studio-trainer.h"
#include "studio-history.h"
#include "studio-workspace.h"
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
/* Borrowed: the window's state (studio-workspace.h). */
StudioWorkspace *studio_window_get_workspace (StudioWindow *self);
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

/* Opens a foundation and adapters (File → Open, drag and drop, the command line). FALSE
 * when a file was refused (said in the banner). */
gboolean       studio_window_open_files     (StudioWindow *self, GFile **files, int n_files);
/* The error banner's text, NULL when hidden; whether it shows an error; what its close
 * button does. */
const char    *studio_window_get_banner          (StudioWindow *self);
gboolean       studio_window_get_banner_is_error (StudioWindow *self);
void           studio_window_dismiss_banner      (StudioWindow *self);

/* ---- automation (--screenshot, --quit-after-steps, --export-all, --save-session) ---- */
/* After `steps` training steps (or when the run ends), show view (NULL: the current one;
 * "all": each in turn), save the window to png_path (NULL: none) and close the window. */
void     studio_window_schedule_screenshot (StudioWindow *self, guint64 steps,
                                            const char *png_path, const char *view);
/* At the same moment, Export All to dir at width x height points in style instead of a PNG
 * (the folder on stdout), then close the window; *failed (the caller's, outliving the
 * window) stays TRUE unless the export was written. */
void     studio_window_schedule_export_all (StudioWindow *self, guint64 steps,
                                            const char *dir, double width, double height,
                                            const TgPlotStyle *style, gboolean *failed);
/* The window has done what it was asked (files opened, or refused in the banner) and runs
 * nothing: the shot, when one is asked for, is of the window as it is now. Nothing when a
 * job or a measurement is under way (its end takes the shot). */
void     studio_window_screenshot_settled (StudioWindow *self);
/* When the automation closes the window (after steps, or when its jobs are done), the
 * session is saved to dir first; *failed (the caller's) stays TRUE unless it was saved. */
void     studio_window_schedule_save_session (StudioWindow *self, const char *dir,
                                              gboolean *failed);

G_END_DECLS
