/* SPDX-License-Identifier: MIT */
/* studio-overlap-view.h — how much the 0 deg- and 45 deg-specialised TauGate models share:
 * Jaccard of their gate on-sets per layer, and which units are on in both, one, or neither. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_OVERLAP_VIEW (studio_overlap_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioOverlapView, studio_overlap_view, STUDIO, OVERLAP_VIEW, StudioView)

GtkWidget *studio_overlap_view_new (void);

/* A click at (x, y): selects the unit of the strip cell there, or with shift toggles it in
 * the ablation set. FALSE when no cell is there. */
gboolean   studio_overlap_view_click (StudioOverlapView *self, double x, double y,
                                      gboolean shift);

G_END_DECLS
