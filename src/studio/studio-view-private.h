/* SPDX-License-Identifier: MIT */
/* studio-view-private.h — what studio-view.c and studio-view-units.c share of a view:
 * the state of the units it shows. Not for the views themselves. */
#pragma once

#include "studio-view.h"

G_BEGIN_DECLS

typedef struct
{
  /* the selected unit, the column order, the ablation set (TgUnitEdit) */
  gboolean     has_selected;
  guint        selected_layer, selected_index;
  TgUnitOrder  order;
  GArray      *marks;
  /* borrowed: created here, owned by the box the view appends them to */
  GtkDropDown *order_dropdown;
  GtkLabel    *set_label;
  GtkWidget   *set_clear;
} StudioViewUnits;

StudioViewUnits *studio_view_get_units      (StudioView *self);
void             studio_view_queue_draw     (StudioView *self);
void             studio_view_units_init     (StudioViewUnits *units);
void             studio_view_units_dispose  (StudioViewUnits *units);
void             studio_view_units_finalize (StudioViewUnits *units);
void             studio_view_units_class_init (StudioViewClass *klass);

G_END_DECLS
