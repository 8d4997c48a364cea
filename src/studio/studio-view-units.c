/* SPDX-License-Identifier: MIT */
/* studio-view-units.c — the units a view shows, the same in every view because they are the
 * workspace's: the selected unit, the column order (and its drop-down), the ablation set
 * (and the bar that lists it and clears it). A view writes a choice into the workspace and
 * redraws when the workspace says it changed; no view tells another. */
#include "studio-view.h"

#include <glib/gi18n.h>
#include "studio-view-private.h"

static guint units_cleared_signal;

static void update_set_bar (StudioView *self);

void
studio_view_units_dispose (StudioViewUnits *units)
{
  if (units->workspace != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (units->handlers); i++)
      g_clear_signal_handler (&units->handlers[i], units->workspace);
  g_clear_object (&units->workspace);
  units->order_dropdown = NULL;
  units->set_label = NULL;
  units->set_clear = NULL;
}

/* The Clear button, or anyone: empties the workspace's ablation set. */
static void
units_cleared (StudioView *self)
{
  studio_workspace_clear_edits (studio_view_get_workspace (self));
}

void
studio_view_units_class_init (StudioViewClass *klass)
{
  /* the view's Clear button: empty the ablation set (the default handler does) */
  units_cleared_signal =
    g_signal_new_class_handler ("units-cleared", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                G_CALLBACK (units_cleared), NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* The selected unit, the order or the set changed: the view hears of it and redraws. */
static void
units_changed (StudioView *self)
{
  StudioViewClass *klass = STUDIO_VIEW_GET_CLASS (self);
  if (klass->units_changed != NULL)
    klass->units_changed (self);
  studio_view_queue_draw (self);
}

static void
order_changed_cb (StudioWorkspace *workspace, StudioView *self)
{
  StudioViewUnits *priv = studio_view_get_units (self);
  TgUnitOrder order = studio_workspace_get_unit_order (workspace);
  if (priv->order_dropdown != NULL && gtk_drop_down_get_selected (priv->order_dropdown) != order)
    gtk_drop_down_set_selected (priv->order_dropdown, order);
  units_changed (self);
}

static void
modes_changed_cb (StudioWorkspace *workspace, StudioView *self)
{
  if (STUDIO_VIEW_GET_CLASS (self)->modes_changed != NULL)
    STUDIO_VIEW_GET_CLASS (self)->modes_changed (self, studio_workspace_get_modes (workspace));
}

static void
ablation_changed_cb (StudioWorkspace *workspace, StudioView *self)
{
  update_set_bar (self);
  units_changed (self);
}

void
studio_view_set_workspace (StudioView *self, StudioWorkspace *workspace)
{
  StudioViewUnits *priv;

  g_return_if_fail (STUDIO_IS_VIEW (self));
  g_return_if_fail (STUDIO_IS_WORKSPACE (workspace));
  priv = studio_view_get_units (self);
  if (priv->workspace == workspace)
    return;
  if (priv->workspace != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (priv->handlers); i++)
      g_clear_signal_handler (&priv->handlers[i], priv->workspace);
  g_set_object (&priv->workspace, workspace);
  priv->handlers[0] = g_signal_connect_swapped (workspace, "selection-changed",
                                                G_CALLBACK (units_changed), self);
  priv->handlers[1] = g_signal_connect (workspace, "order-changed",
                                        G_CALLBACK (order_changed_cb), self);
  priv->handlers[2] = g_signal_connect (workspace, "ablation-changed",
                                        G_CALLBACK (ablation_changed_cb), self);
  priv->handlers[3] = g_signal_connect (workspace, "modes-changed",
                                        G_CALLBACK (modes_changed_cb), self);
  studio_view_set_history (self, studio_workspace_get_history (workspace));
  order_changed_cb (workspace, self);
  update_set_bar (self);
  if (STUDIO_VIEW_GET_CLASS (self)->workspace_changed != NULL)
    STUDIO_VIEW_GET_CLASS (self)->workspace_changed (self);
}

StudioWorkspace *
studio_view_get_workspace (StudioView *self)
{
  StudioViewUnits *priv;

  g_return_val_if_fail (STUDIO_IS_VIEW (self), NULL);
  priv = studio_view_get_units (self);
  if (priv->workspace == NULL)
    {
      /* a view alone (a test's, a benchmark's) keeps its units in a workspace of its own,
       * whose history it does not follow: the one set_history gave it stays */
      StudioHistory *history = studio_view_get_history (self);
      g_autoptr (StudioWorkspace) own = studio_workspace_new ();
      if (history != NULL)
        g_object_ref (history);
      studio_view_set_workspace (self, own);
      studio_view_set_history (self, history);
      if (history != NULL)
        g_object_unref (history);
    }
  return priv->workspace;
}

void
studio_view_set_selected_unit (StudioView *self, guint layer, guint index)
{
  g_return_if_fail (STUDIO_IS_VIEW (self));
  studio_workspace_select_unit (studio_view_get_workspace (self), layer, index);
}

gboolean
studio_view_get_selected_unit (StudioView *self, guint *layer, guint *index)
{
  g_return_val_if_fail (STUDIO_IS_VIEW (self), FALSE);
  return studio_workspace_get_selected_unit (studio_view_get_workspace (self), layer, index);
}

void
studio_view_set_unit_order (StudioView *self, TgUnitOrder order)
{
  g_return_if_fail (STUDIO_IS_VIEW (self));
  studio_workspace_set_unit_order (studio_view_get_workspace (self), order);
}

TgUnitOrder
studio_view_get_unit_order (StudioView *self)
{
  g_return_val_if_fail (STUDIO_IS_VIEW (self), TG_UNIT_ORDER_INDEX);
  return studio_workspace_get_unit_order (studio_view_get_workspace (self));
}

void
studio_view_choose_unit_order (StudioView *self, TgUnitOrder order)
{
  studio_view_set_unit_order (self, order);
}

gboolean
studio_view_unit_permutation (StudioView *self, guint layer, gboolean hard, guint *perm,
                              guint n_units)
{
  StudioHistory *history = studio_view_get_history (self);
  StudioSnapshot *snap = history != NULL ? studio_history_get_masks (history) : NULL;

  for (guint u = 0; u < n_units; u++)
    perm[u] = u;
  if (snap == NULL || layer >= snap->n_hidden || snap->widths[layer] != n_units)
    return snap == NULL;
  const float *r0 = hard ? snap->firing0_hard : snap->firing0_soft;
  const float *rr = hard ? snap->firing_rot_hard : snap->firing_rot_soft;
  if (r0 == NULL && rr == NULL)
    return TRUE;
  guint32 off = 0;
  for (guint l = 0; l < layer; l++)
    off += snap->widths[l];
  tg_unit_order_permutation (studio_view_get_unit_order (self), r0 != NULL ? r0 + off : NULL,
                             rr != NULL ? rr + off : NULL, snap->n_classes, n_units,
                             snap->hidden_units, perm);
  return TRUE;
}

/* "Ablation set: silenced 3 (1:4, 1:9, 2:7)", or how to start one. */
static void
update_set_bar (StudioView *self)
{
  StudioViewUnits *priv = studio_view_get_units (self);
  if (priv->set_label == NULL)
    return;
  guint n;
  const TgUnitEdit *edits = studio_workspace_get_edits (studio_view_get_workspace (self), &n);
  gtk_widget_set_sensitive (priv->set_clear, n > 0);
  if (n == 0)
    {
      gtk_label_set_text (priv->set_label, _("Ablation set empty: shift-click units to add them"));
      return;
    }
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, ngettext ("Ablation set: %u unit (", "Ablation set: %u units (", n), n);
  for (guint i = 0; i < MIN (n, 6u); i++)
    {
      const TgUnitEdit *e = &edits[i];
      g_string_append_printf (s, "%s%s%u:%u", i > 0 ? ", " : "",
                              e->action == TG_UNIT_FORCE_ON ? "on " : "", e->unit.layer + 1,
                              e->unit.index);
    }
  g_string_append (s, n > 6 ? ", …)" : ")");
  gtk_label_set_text (priv->set_label, s->str);
  g_string_free (s, TRUE);
}

void
studio_view_set_unit_marks (StudioView *self, const TgUnitEdit *edits, guint n_edits)
{
  g_return_if_fail (STUDIO_IS_VIEW (self));
  studio_workspace_set_edits (studio_view_get_workspace (self), edits, n_edits);
}

guint8
studio_view_get_unit_mark (StudioView *self, guint layer, guint index)
{
  guint n;
  const TgUnitEdit *edits = studio_workspace_get_edits (studio_view_get_workspace (self), &n);
  for (guint i = 0; i < n; i++)
    if (edits[i].unit.layer == layer && edits[i].unit.index == index)
      return edits[i].action == TG_UNIT_FORCE_ON ? TG_PLOT_MARK_FORCED : TG_PLOT_MARK_SILENCED;
  return TG_PLOT_MARK_NONE;
}

void
studio_view_toggle_unit (StudioView *self, guint layer, guint index)
{
  g_return_if_fail (STUDIO_IS_VIEW (self));
  studio_workspace_toggle_unit (studio_view_get_workspace (self), (TgUnitId) { layer, index });
}

static void
order_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, StudioView *self)
{
  guint sel = gtk_drop_down_get_selected (dropdown);
  if (sel < TG_UNIT_ORDER_N && sel != studio_view_get_unit_order (self))
    studio_view_choose_unit_order (self, sel);
}

GtkWidget *
studio_view_get_order_dropdown (StudioView *self)
{
  StudioViewUnits *priv = studio_view_get_units (self);
  const char *labels[TG_UNIT_ORDER_N + 1] = { NULL };

  if (priv->order_dropdown != NULL)
    return GTK_WIDGET (priv->order_dropdown);
  for (guint o = 0; o < TG_UNIT_ORDER_N; o++)
    labels[o] = _(tg_unit_order_label (o));
  priv->order_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (labels));
  gtk_drop_down_set_selected (priv->order_dropdown, studio_view_get_unit_order (self));
  gtk_widget_set_tooltip_text (GTK_WIDGET (priv->order_dropdown),
                               _("Order of the units: by index, by how selective each is for one "
                               "digit, by mean firing rate, or by how much more it fires at 0° "
                               "than at the target (Masks and Neurons follow the same order)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->order_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Order of the units"), -1);
  g_signal_connect_object (priv->order_dropdown, "notify::selected",
                           G_CALLBACK (order_selected_cb), self, 0);
  return GTK_WIDGET (priv->order_dropdown);
}

static void
clear_clicked_cb (GtkButton *button, StudioView *self)
{
  g_signal_emit (self, units_cleared_signal, 0);
}

GtkWidget *
studio_view_get_set_bar (StudioView *self)
{
  StudioViewUnits *priv = studio_view_get_units (self);

  if (priv->set_label != NULL)
    return gtk_widget_get_parent (GTK_WIDGET (priv->set_label));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  priv->set_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (priv->set_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (priv->set_label), "dim-label");
  priv->set_clear = gtk_button_new_with_label (_("Clear Set"));
  gtk_widget_set_tooltip_text (priv->set_clear,
                               _("Empty the ablation set (silenced and forced units)"));
  g_signal_connect_object (priv->set_clear, "clicked", G_CALLBACK (clear_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (priv->set_label));
  gtk_box_append (GTK_BOX (box), priv->set_clear);
  update_set_bar (self);
  return box;
}

void
studio_view_unit_arrays (StudioView *self, guint n_layers, const guint32 *widths,
                         gboolean hard, guint **perm, guint8 **marks)
{
  guint32 total = 0;
  for (guint l = 0; l < n_layers; l++)
    total += widths[l];
  *perm = g_new (guint, MAX (total, 1u));
  *marks = g_new0 (guint8, MAX (total, 1u));
  for (guint l = 0, off = 0; l < n_layers; off += widths[l], l++)
    {
      studio_view_unit_permutation (self, l, hard, *perm + off, widths[l]);
      for (guint u = 0; u < widths[l]; u++)
        (*marks)[off + u] = studio_view_get_unit_mark (self, l, u);
    }
}
