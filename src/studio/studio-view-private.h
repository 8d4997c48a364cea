/* SPDX-License-Identifier: MIT */
/* studio-view-private.h — what studio-view.c and studio-view-units.c share of a view:
 * the state of the units it shows. Not for the views themselves. */
#pragma once

#include "studio-view.h"

G_BEGIN_DECLS

typedef struct
{
  /* owned: the workspace whose selected unit, column order and ablation set the view shows
   * (the window's; a view alone makes one of its own when first asked), and its handlers */
  StudioWorkspace *workspace;
  gulong       handlers[4];
  /* borrowed: created here, owned by the box the view appends them to */
  GtkDropDown *order_dropdown;
  GtkLabel    *set_label;
  GtkWidget   *set_clear;
} StudioViewUnits;

StudioViewUnits *studio_view_get_units      (StudioView *self);
void             studio_view_queue_draw     (StudioView *self);
void             studio_view_units_dispose  (StudioViewUnits *units);
void             studio_view_units_class_init (StudioViewClass *klass);

G_END_DECLS
