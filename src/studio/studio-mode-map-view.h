/* SPDX-License-Identifier: MIT */
/* studio-mode-map-view.h — the open modes side by side: the accuracy matrix (each mode on the
 * test set rotated by each mode's angle) above the mode map (the Jaccard of the on-units of
 * every pair of gated modes, per hidden layer), measured in a GTask thread on the first
 * STUDIO_TEST_SET_INSPECT test images. Hovering a cell reads it; a click on a pair of the
 * map emits "pair-activated" with the two modes' indices, which the window answers by
 * showing them in Overlap; "measured" follows each measurement (or its failure). */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"
#include "tg-modes.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_MODE_MAP_VIEW (studio_mode_map_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioModeMapView, studio_mode_map_view, STUDIO, MODE_MAP_VIEW, StudioView)

GtkWidget *studio_mode_map_view_new       (void);
/* The open modes (borrowed; the window calls it again whenever they change): measured anew. */
void       studio_mode_map_view_set_modes (StudioModeMapView *self, const TgModes *modes);
/* TRUE while the modes are being measured. */
gboolean   studio_mode_map_view_is_busy   (StudioModeMapView *self);
/* A click at (x, y) of the figure: on a cell of the mode map, emits "pair-activated" (a, b)
 * with indices into the modes and returns TRUE. */
gboolean   studio_mode_map_view_click     (StudioModeMapView *self, double x, double y);

G_END_DECLS
