/* studio-overlap-view.h — how much the 0 deg- and 45 deg-specialised TauGate models share:
 * Jaccard of their gate on-sets per layer, and which units are on in both, one, or neither. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_OVERLAP_VIEW (studio_overlap_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioOverlapView, studio_overlap_view, STUDIO, OVERLAP_VIEW, StudioView)

GtkWidget *studio_overlap_view_new (void);

G_END_DECLS
