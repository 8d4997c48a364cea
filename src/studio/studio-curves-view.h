/* SPDX-License-Identifier: MIT */
/* studio-curves-view.h — training loss and test accuracy (0° and the rotated angle) against
 * the step, every run so far overlaid, phases shaded, setting changes marked, EMA smoothing, hover. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_CURVES_VIEW (studio_curves_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioCurvesView, studio_curves_view, STUDIO, CURVES_VIEW, StudioView)

GtkWidget *studio_curves_view_new (void);
/* What the pointer does at (x, y) of the figure (negative x: leave); for tests and
 * screenshots. Returns the readout text (borrowed). */
/* The palette index (0..7) the run of run_id is drawn in, or -1 when it is not on the
 * figure (tests). */
gint        studio_curves_view_run_color  (StudioCurvesView *self, guint run_id);
const char *studio_curves_view_hover      (StudioCurvesView *self, double x, double y);
/* How many series the figure draws now and how many setting changes it marks (tests). */
void        studio_curves_view_count      (StudioCurvesView *self, guint *n_series,
                                           guint *n_markers);

G_END_DECLS
