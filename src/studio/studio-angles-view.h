/* SPDX-License-Identifier: MIT */
/* studio-angles-view.h — modes across angles: every open mode's test accuracy against the
 * rotation of the test set (tg_plot_modes_by_angle), and under it the mixed-stream table
 * (Base, each adapter, Auto by entropy, Auto by router, Oracle; tg-automode.h). Both are
 * computed in a GTask thread on a copy of the modes, with progress. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"
#include "tg-modes.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_ANGLES_VIEW (studio_angles_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioAnglesView, studio_angles_view, STUDIO, ANGLES_VIEW, StudioView)

GtkWidget *studio_angles_view_new        (void);
/* What a sweep runs on: modes (borrowed, copied when a sweep starts; NULL: nothing open)
 * and the data of cfg (folder, train and test limits; copied). */
void       studio_angles_view_set_source (StudioAnglesView *self, const TgModes *modes,
                                          const StudioConfig *cfg);
/* Starts the sweep (and the mixed stream when two adapters know different angles); FALSE
 * when nothing is open or one is under way. "sweep-done" follows. */
gboolean   studio_angles_view_start      (StudioAnglesView *self);
gboolean   studio_angles_view_is_running (StudioAnglesView *self);
/* Writes the latest sweep's tables into dir, as `taugate modes` does: modes.csv (mode ×
 * angle), mixed.csv (the mixed-stream table: Base, each adapter, Auto (entropy), Auto
 * (router), Oracle; when there was one) and tables/modes.tex. FALSE before a sweep, or
 * when a file cannot be written (the error names it). */
gboolean   studio_angles_view_export_tables (StudioAnglesView *self, const char *dir,
                                             GError **error);
/* The latest results, NULL before the first sweep (borrowed). */
const TgAngleSweep *studio_angles_view_get_sweep (StudioAnglesView *self);

G_END_DECLS
