/* SPDX-License-Identifier: MIT */
/* studio-masks-view.h — firing rate of every hidden unit per digit, on 0 deg and 45 deg
 * inputs side by side, per layer; hard or soft gates; the columns in the shared unit order,
 * with a hover readout, click to select a unit and shift-click for the ablation set. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_MASKS_VIEW (studio_masks_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioMasksView, studio_masks_view, STUDIO, MASKS_VIEW, StudioView)

GtkWidget *studio_masks_view_new (void);

/* What hovering at (x, y) of the figure reads (negative x: the pointer left). Borrowed. */
const char *studio_masks_view_hover  (StudioMasksView *self, double x, double y);
/* A click at (x, y): selects the unit of the cell there, or with shift toggles it in the
 * ablation set. FALSE when no cell is there. */
gboolean    studio_masks_view_click  (StudioMasksView *self, double x, double y,
                                      gboolean shift);
/* Where the cell of hidden layer `layer`, input (0: 0°, 1: target), digit klass and `unit`
 * is drawn now; FALSE when it is not. */
gboolean    studio_masks_view_locate (StudioMasksView *self, guint layer, guint input,
                                      guint klass, guint unit, double *x, double *y);
/* The unit drawn in column `column` of hidden layer `layer`; G_MAXUINT when none. */
guint       studio_masks_view_get_column_unit (StudioMasksView *self, guint layer,
                                               guint column);

G_END_DECLS
