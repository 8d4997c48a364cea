/* SPDX-License-Identifier: MIT */
/* studio-dynamics-view.h — gate dynamics of the current run against the step: mean soft
 * gate, units on, high-act fraction and 0°/target Jaccard per hidden layer, with the changes
 * of s and λ marked. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_DYNAMICS_VIEW (studio_dynamics_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioDynamicsView, studio_dynamics_view, STUDIO, DYNAMICS_VIEW,
                      StudioView)

GtkWidget *studio_dynamics_view_new (void);

G_END_DECLS
