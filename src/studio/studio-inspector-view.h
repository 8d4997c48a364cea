/* SPDX-License-Identifier: MIT */
/* studio-inspector-view.h — the unit inspector: one hidden unit of the model being trained
 * (or last trained, or the active mode), drawn by tg_plot_unit — its receptive field, tau
 * and gamma and their trajectories over the run, firing per digit at 0 deg and at the
 * target angle, its z - tau histogram, the test images that drive it and its near misses,
 * what silencing it does to each logit, and the unit in the other open modes side by side.
 * Measured off the main thread on the model at the history's time (studio-time-model.h:
 * the scrubber rewinds it) while the inspector is shown. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"
#include "tg-unit-figure.h"
#include "studio-ablation-panel.h"
#include "tg-modes.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_INSPECTOR_VIEW (studio_inspector_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioInspectorView, studio_inspector_view, STUDIO, INSPECTOR_VIEW,
                      StudioView)

GtkWidget *studio_inspector_view_new (void);

/* Selects hidden unit (layer 0-based, index) and measures it on the latest model. */
void       studio_inspector_view_set_unit (StudioInspectorView *self, guint layer, guint index);
void       studio_inspector_view_get_unit (StudioInspectorView *self, guint *layer,
                                           guint *index);
/* Shows the unit in each of modes (NULL: none) beside the model shown, through its own
 * model (copied), but the ones identical to the model shown. */
void       studio_inspector_view_set_modes (StudioInspectorView *self, const TgModes *modes);
/* The figure being shown (NULL before the first measurement); borrowed. */
const TgUnitFigure *studio_inspector_view_get_figure (StudioInspectorView *self);
/* Its ablation panel (silence / force on units); borrowed. */
StudioAblationPanel *studio_inspector_view_get_ablation (StudioInspectorView *self);
/* TRUE while a measurement runs or waits to run, or the figure is of another unit, model
 * or set of modes than the ones to show (tests and screenshots wait for FALSE). */
gboolean   studio_inspector_view_is_busy  (StudioInspectorView *self);

G_END_DECLS
