/* SPDX-License-Identifier: MIT */
/* studio-overlap-view.h — how much the 0 deg- and 45 deg-specialised TauGate models share:
 * Jaccard of their gate on-sets per layer, and which units are on in both, one, or neither. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"
#include "tg-modes.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_OVERLAP_VIEW (studio_overlap_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioOverlapView, studio_overlap_view, STUDIO, OVERLAP_VIEW, StudioView)

GtkWidget *studio_overlap_view_new (void);

/* A click at (x, y): selects the unit of the strip cell there, or with shift toggles it in
 * the ablation set. FALSE when no cell is there. */
gboolean   studio_overlap_view_click (StudioOverlapView *self, double x, double y,
                                      gboolean shift);

/* The open modes the pair drop-downs offer (borrowed; the window calls it again whenever
 * they change); a pair still open stays chosen. */
void       studio_overlap_view_set_modes (StudioOverlapView *self, const TgModes *modes);
/* Compares open modes a and b (indices into the modes, 0 is Base) as if chosen in the
 * drop-downs; their gates are measured in the background. FALSE for an index out of range. */
gboolean   studio_overlap_view_compare   (StudioOverlapView *self, guint a, guint b);
/* TRUE while a pair's gates are being measured. */
gboolean   studio_overlap_view_is_busy   (StudioOverlapView *self);
/* Why the pair chosen cannot be shown ("“Base”: Frozen has no gates to compare"), or "". */
const char *studio_overlap_view_get_pair_status (StudioOverlapView *self);
/* The Jaccard per layer above the figure, as shown ("Jaccard · hidden 1 0.412 · ..."). */
const char *studio_overlap_view_get_summary     (StudioOverlapView *self);

G_END_DECLS
