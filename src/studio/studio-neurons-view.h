/* studio-neurons-view.h — tau and gamma of every hidden unit as heatmaps, per layer, live;
 * hover names the unit, its tau, gamma and mean gate. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STUDIO_TYPE_NEURONS_VIEW (studio_neurons_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioNeuronsView, studio_neurons_view, STUDIO, NEURONS_VIEW, GtkBox)

GtkWidget *studio_neurons_view_new (void);

G_END_DECLS
