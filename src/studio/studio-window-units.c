/* SPDX-License-Identifier: MIT */
/* studio-window-units.c — keeps the views in step over the units they show: the unit
 * selected in one view is outlined in all of them, the column order chosen in one is every
 * view's, and a shift-click or a Clear Set in any view edits the inspector's ablation set,
 * which every view then marks. */
#include "studio-window-private.h"

#include "studio-view.h"
#include "studio-inspector-view.h"
#include "studio-masks-view.h"

static StudioAblationPanel *
ablation_panel (StudioWindow *self)
{
  GtkWidget *inspector = studio_window_get_view (self, "inspector");
  return studio_inspector_view_get_ablation (STUDIO_INSPECTOR_VIEW (inspector));
}

void
studio_window_units_select (StudioWindow *self, guint layer, guint index)
{
  const char *const *names = studio_window_view_names ();
  for (guint i = 0; names[i] != NULL; i++)
    studio_view_set_selected_unit (STUDIO_VIEW (studio_window_get_view (self, names[i])),
                                   layer, index);
}

static void
unit_order_cb (StudioView *view, guint order, StudioWindow *self)
{
  const char *const *names = studio_window_view_names ();
  for (guint i = 0; names[i] != NULL; i++)
    studio_view_set_unit_order (STUDIO_VIEW (studio_window_get_view (self, names[i])), order);
}

static void
unit_toggled_cb (StudioView *view, guint layer, guint index, StudioWindow *self)
{
  studio_ablation_panel_toggle (ablation_panel (self), (TgUnitId) { layer, index });
}

static void
units_cleared_cb (StudioView *view, StudioWindow *self)
{
  studio_ablation_panel_clear (ablation_panel (self));
}

static void
ablation_changed_cb (StudioAblationPanel *panel, StudioWindow *self)
{
  guint n;
  const TgUnitEdit *edits = studio_ablation_panel_get_edits (panel, &n);
  const char *const *names = studio_window_view_names ();
  for (guint i = 0; names[i] != NULL; i++)
    studio_view_set_unit_marks (STUDIO_VIEW (studio_window_get_view (self, names[i])),
                                edits, n);
}

void
studio_window_units_init (StudioWindow *self)
{
  const char *const *names = studio_window_view_names ();
  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *view = studio_window_get_view (self, names[i]);
      g_signal_connect_object (view, "unit-order-changed", G_CALLBACK (unit_order_cb), self, 0);
      g_signal_connect_object (view, "unit-toggled", G_CALLBACK (unit_toggled_cb), self, 0);
      g_signal_connect_object (view, "units-cleared", G_CALLBACK (units_cleared_cb), self, 0);
    }
  g_signal_connect_object (ablation_panel (self), "changed", G_CALLBACK (ablation_changed_cb),
                           self, 0);
}

void
studio_window_units_set_order (StudioWindow *self, TgUnitOrder order)
{
  unit_order_cb (NULL, order, self);
}

/* For a screenshot of Masks: the pointer over the most selective unit in the current order
 * (the first column of the selected unit's layer, or the second when that is the selected
 * one), at the digit it fires for most at the target, so that the picture shows the hover
 * readout beside the selected unit's outline. */
void
studio_window_units_pose (StudioWindow *self, const char *view_name)
{
  StudioMasksView *masks = STUDIO_MASKS_VIEW (studio_window_get_view (self, "masks"));
  StudioSnapshot *snap = studio_history_get_masks (self->history);
  guint layer, index;
  double x, y;

  if (g_strcmp0 (view_name, "masks") != 0 || snap == NULL || snap->firing_rot_hard == NULL ||
      !studio_view_get_selected_unit (STUDIO_VIEW (masks), &layer, &index) ||
      layer >= snap->n_hidden || snap->widths[layer] < 2)
    return;
  guint unit = studio_masks_view_get_column_unit (masks, layer, 0);
  if (unit == index)
    unit = studio_masks_view_get_column_unit (masks, layer, 1);
  guint32 off = 0;
  for (guint l = 0; l < layer; l++)
    off += snap->widths[l];
  const float *rate = snap->firing_rot_hard + off + unit;
  guint best = 0;
  for (guint c = 1; c < snap->n_classes; c++)
    if (rate[(gsize) c * snap->hidden_units] > rate[(gsize) best * snap->hidden_units])
      best = c;
  if (studio_masks_view_locate (masks, layer, 1, best, unit, &x, &y))
    studio_view_hover (STUDIO_VIEW (masks), x, y);
}
