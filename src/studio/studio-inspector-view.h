/* studio-inspector-view.h — the unit inspector: one hidden unit of the model being trained
 * (or last trained), drawn by tg_plot_unit — its receptive field, tau and gamma, firing per
 * digit at 0 deg and at the target angle, its z - tau histogram, the test images that drive
 * it and its near misses, and what silencing it does to each logit. Measured off the main
 * thread on the model copy that the mask snapshots carry while the inspector is shown. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"
#include "tg-unit-figure.h"
#include "studio-ablation-panel.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_INSPECTOR_VIEW (studio_inspector_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioInspectorView, studio_inspector_view, STUDIO, INSPECTOR_VIEW,
                      StudioView)

GtkWidget *studio_inspector_view_new (void);

/* Selects hidden unit (layer 0-based, index) and measures it on the latest model. */
void       studio_inspector_view_set_unit (StudioInspectorView *self, guint layer, guint index);
void       studio_inspector_view_get_unit (StudioInspectorView *self, guint *layer,
                                           guint *index);
/* The figure being shown (NULL before the first measurement); borrowed. */
const TgUnitFigure *studio_inspector_view_get_figure (StudioInspectorView *self);
/* Its ablation panel (silence / force on units); borrowed. */
StudioAblationPanel *studio_inspector_view_get_ablation (StudioInspectorView *self);
/* TRUE while a measurement runs or waits to run, or the figure is of another unit than the
 * one selected (tests wait for FALSE). */
gboolean   studio_inspector_view_is_busy  (StudioInspectorView *self);

G_END_DECLS
