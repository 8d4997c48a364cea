/* studio-neurons-view.h — tau and gamma of every hidden unit as heatmaps, per layer, live;
 * hover names the unit, its tau, gamma and mean gate. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_NEURONS_VIEW (studio_neurons_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioNeuronsView, studio_neurons_view, STUDIO, NEURONS_VIEW, StudioView)

GtkWidget *studio_neurons_view_new (void);
/* What the pointer does at (x, y) of the figure (negative x: leave); for tests and
 * screenshots. Returns the readout text (borrowed). */
/* A click at (x, y): selects the unit there for the inspector ("unit-selected");
 * FALSE when no cell is there. */
gboolean    studio_neurons_view_click (StudioNeuronsView *self, double x, double y);
/* The same with shift held: the unit goes into the workspace's ablation set or out of it. */
gboolean    studio_neurons_view_shift_click (StudioNeuronsView *self, double x, double y);
const char *studio_neurons_view_hover (StudioNeuronsView *self, double x, double y);

G_END_DECLS
