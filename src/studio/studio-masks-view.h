/* studio-masks-view.h — firing rate of every hidden unit per digit, on 0 deg and 45 deg
 * inputs side by side, per layer; hard or soft gates. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_MASKS_VIEW (studio_masks_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioMasksView, studio_masks_view, STUDIO, MASKS_VIEW, StudioView)

GtkWidget *studio_masks_view_new (void);

G_END_DECLS
