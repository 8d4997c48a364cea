/* studio-masks-view.c — the Masks view over tg_plot_masks: the columns in the shared unit
 * order, a hover readout of the unit, digit and both modes' rates under the pointer (hit
 * test on the drawing's layout), a click that selects the unit for the inspector and a
 * shift-click that puts it into the ablation set or takes it out. */
#include "studio-masks-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include "studio-view.h"
#include "studio-view-keys.h"

struct _StudioMasksView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea  *area;
  GtkToggleButton *hard;
  GtkBox          *toolbar;
  GtkLabel        *readout;

  /* the cell under the pointer */
  gboolean         has_hover;
  TgMasksCell      hover;
};

G_DEFINE_FINAL_TYPE (StudioMasksView, studio_masks_view, STUDIO_TYPE_VIEW)

/* The figure's data and the storage it points into. */
typedef struct {
  TgMasksLayer layers[TG_MAX_LINEAR];
  char         labels[TG_MAX_LINEAR][32];
  char         caption[400], title[96], target[32];
  guint       *perm;    /* hidden_units: each layer's order at its offset */
  guint8      *marks;   /* hidden_units */
  TgMasksData  data;
} MasksFigure;

static void
masks_figure_clear (MasksFigure *fig)
{
  g_clear_pointer (&fig->perm, g_free);
  g_clear_pointer (&fig->marks, g_free);
}

/* Each layer's order, selected unit and ablation marks. */
static void
masks_figure_units (StudioMasksView *self, MasksFigure *fig, StudioSnapshot *snap,
                    gboolean hard)
{
  StudioView *view = STUDIO_VIEW (self);
  guint sel_layer, sel_index;
  gboolean selected = studio_view_get_selected_unit (view, &sel_layer, &sel_index);
  TgUnitOrder order = studio_view_get_unit_order (view);

  studio_view_unit_arrays (view, snap->n_hidden, snap->widths, hard, &fig->perm, &fig->marks);
  guint32 off = 0;
  for (guint l = 0; l < snap->n_hidden; l++)
    {
      TgMasksLayer *layer = &fig->layers[l];
      layer->order = order != TG_UNIT_ORDER_INDEX ? fig->perm + off : NULL;
      layer->marked = fig->marks + off;
      layer->show_selected = selected && sel_layer == l && sel_index < snap->widths[l];
      layer->selected = sel_index;
      off += snap->widths[l];
    }
  if (order != TG_UNIT_ORDER_INDEX)
    fig->data.order_label = tg_unit_order_phrase (order);
}

static void
masks_figure_init (StudioMasksView *self, MasksFigure *fig, gboolean for_export)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  StudioSnapshot *snap = history != NULL ? studio_history_get_masks (history) : NULL;
  gboolean hard = gtk_toggle_button_get_active (self->hard);
  TgMasksData *data = &fig->data;

  memset (fig, 0, sizeof *fig);
  data->n_classes = 10;
  data->high_act_frac = NAN;
  data->hard_gates = hard;
  g_snprintf (fig->title, sizeof fig->title, "Firing rate per digit, 0° vs %g° inputs",
              snap != NULL ? snap->angle : 45.0);
  data->title = fig->title;
  g_snprintf (fig->target, sizeof fig->target, "%g°", snap != NULL ? snap->angle : 45.0);
  data->target_label = fig->target;
  if (snap == NULL || snap->firing0_hard == NULL)
    {
      data->caption = _("Start training: the firing rates are measured as it runs.");
      return;
    }
  guint32 off = 0;
  for (guint l = 0; l < snap->n_hidden; l++)
    {
      g_snprintf (fig->labels[l], sizeof fig->labels[l], "hidden %u", l + 1);
      fig->layers[l] = (TgMasksLayer) {
        .label = fig->labels[l],
        .n_units = snap->widths[l],
        .row_stride = snap->hidden_units,
        .rate0 = (hard ? snap->firing0_hard : snap->firing0_soft) + off,
        .rate_rot = (hard ? snap->firing_rot_hard : snap->firing_rot_soft) + off,
      };
      off += snap->widths[l];
    }
  masks_figure_units (self, fig, snap, hard);
  data->ungated = !tg_method_info (snap->run_method)->gated;
  if (data->ungated)
    g_snprintf (fig->title, sizeof fig->title, "ReLU firing rate per digit, 0° vs %g° inputs",
                snap->angle);
  data->n_layers = snap->n_hidden;
  data->layers = fig->layers;
  data->n_classes = snap->n_classes;
  data->high_act_frac = snap->high_act;
  data->show_hover = self->has_hover && !for_export;
  data->hover_layer = self->hover.layer;
  data->hover_class = self->hover.klass;
  data->hover_column = self->hover.column;
  gboolean any_mark = FALSE;
  for (guint32 u = 0; u < snap->hidden_units; u++)
    any_mark |= fig->marks[u] != TG_PLOT_MARK_NONE;
  g_autofree char *order = g_strdup_printf ("%s%s%s%s",
    data->order_label != NULL ? " Columns sorted by " : "",
    data->order_label != NULL ? data->order_label : "",
    data->order_label != NULL ? " of these rates, largest first." : "",
    any_mark ? " Ablation set: ▲ under a column silenced, ◆ forced on." : "");
  g_autofree char *name = studio_snapshot_dup_model_name (snap);
  /* a mode opened from a file was measured once, not every so many steps of a run */
  g_autofree char *when = snap->mode_name != NULL
    ? g_strdup_printf ("Mode %s", name)
    : g_strdup_printf ("%s, step %" G_GUINT64_FORMAT " (%s)", name, snap->mask_step,
                       studio_phase_label (snap->phase));
  g_autofree char *cadence = snap->mode_name != NULL || snap->mask_every == 0
    ? g_strdup ("")
    : g_strdup_printf (", measured every %u steps", snap->mask_every);
  g_snprintf (fig->caption, sizeof fig->caption,
              data->ungated
              ? "%s: this method has no gates; how often each unit's ReLU fires (relu(z) > "
                "0%.0s) per test digit over the first %u test images of each mode%s.%s"
              : "%s: mean %s gate per test digit over the first %u test images of each "
                "mode%s. High-act fraction: soft gates > 0.9 on 256 training images of the "
                "target mode.%s",
              when, hard ? "hard 1[z > τ]" : "soft", snap->eval_samples, cadence, order);
  data->caption = fig->caption;
}

static void
studio_masks_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                               const TgPlotStyle *style, gboolean for_export)
{
  MasksFigure fig;
  masks_figure_init (STUDIO_MASKS_VIEW (view), &fig, for_export);
  if (for_export)
    tg_plot_masks_exclude (&fig.data, fig.layers, studio_view_get_export_excluded (view));
  tg_plot_masks (cr, width, height, &fig.data, style);
  masks_figure_clear (&fig);
}

static char *
studio_masks_view_dup_csv (StudioView *view)
{
  MasksFigure fig;
  masks_figure_init (STUDIO_MASKS_VIEW (view), &fig, TRUE);
  tg_plot_masks_exclude (&fig.data, fig.layers, studio_view_get_export_excluded (view));
  char *csv = tg_plot_masks_csv (&fig.data);
  masks_figure_clear (&fig);
  return csv;
}

/* The layers (a row of panels each), which an export may leave out. */
static char **
studio_masks_view_list_series (StudioView *view)
{
  MasksFigure fig;
  masks_figure_init (STUDIO_MASKS_VIEW (view), &fig, TRUE);
  char **names = g_new0 (char *, fig.data.n_layers + 1);
  for (guint l = 0; l < fig.data.n_layers; l++)
    names[l] = g_strdup (fig.layers[l].label);
  masks_figure_clear (&fig);
  return names;
}

/* The cell under (x, y) of the drawing area, on the layout it is drawn with. */
static gboolean
masks_hit (StudioMasksView *self, double x, double y, TgMasksCell *cell)
{
  MasksFigure fig;
  TgPlotStyle style;
  studio_widget_plot_style (GTK_WIDGET (self->area), &style);
  masks_figure_init (self, &fig, TRUE);
  gboolean hit = tg_plot_masks_hit (gtk_widget_get_width (GTK_WIDGET (self->area)),
                                    gtk_widget_get_height (GTK_WIDGET (self->area)),
                                    &fig.data, &style, x, y, cell);
  masks_figure_clear (&fig);
  return hit;
}

static void
studio_masks_view_hover_changed (StudioView *view)
{
  StudioMasksView *self = STUDIO_MASKS_VIEW (view);
  StudioHistory *history = studio_view_get_history (view);
  StudioSnapshot *snap = history != NULL ? studio_history_get_masks (history) : NULL;
  double x, y;
  gboolean hard = gtk_toggle_button_get_active (self->hard);

  self->has_hover = studio_view_get_hover (view, &x, &y) && snap != NULL &&
                    snap->firing0_hard != NULL && masks_hit (self, x, y, &self->hover);
  if (!self->has_hover)
    {
      gtk_label_set_text (self->readout, _("Hover over a cell to read its unit; click to "
                                         "inspect it, shift-click to add it to the ablation set."));
      return;
    }
  guint32 off = 0;
  for (guint l = 0; l < self->hover.layer; l++)
    off += snap->widths[l];
  gsize i = (gsize) self->hover.klass * snap->hidden_units + off + self->hover.unit;
  const float *r0 = hard ? snap->firing0_hard : snap->firing0_soft;
  const float *rr = hard ? snap->firing_rot_hard : snap->firing_rot_soft;
  g_autofree char *rank = studio_view_get_unit_order (view) == TG_UNIT_ORDER_INDEX
    ? g_strdup ("")
    : g_strdup_printf (_(" (column %u by %s)"), self->hover.column,
                       _(tg_unit_order_phrase (studio_view_get_unit_order (view))));
  g_autofree char *text =
    g_strdup_printf (_("hidden %u, unit %u%s · digit %u · %s rate %.3f on 0°, %.3f on %g° "
                     "(step %llu)"),
                     self->hover.layer + 1, self->hover.unit, rank, self->hover.klass,
                     hard ? _("hard") : _("soft"), r0[i], rr[i], snap->angle, (unsigned long long) snap->mask_step);
  gtk_label_set_text (self->readout, text);
}

gboolean
studio_masks_view_click (StudioMasksView *self, double x, double y, gboolean shift)
{
  TgMasksCell cell;
  if (!masks_hit (self, x, y, &cell))
    return FALSE;
  if (shift)
    studio_view_toggle_unit (STUDIO_VIEW (self), cell.layer, cell.unit);
  else
    studio_view_select_unit (STUDIO_VIEW (self), cell.layer, cell.unit);
  return TRUE;
}

static void
pressed_cb (GtkGestureClick *click, int n_press, double x, double y, StudioMasksView *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (click));
  studio_masks_view_click (self, x, y, (state & GDK_SHIFT_MASK) != 0);
}

const char *
studio_masks_view_hover (StudioMasksView *self, double x, double y)
{
  studio_view_hover (STUDIO_VIEW (self), x, y);
  return gtk_label_get_text (self->readout);
}

gboolean
studio_masks_view_locate (StudioMasksView *self, guint layer, guint input, guint klass,
                          guint unit, double *x, double *y)
{
  MasksFigure fig;
  TgPlotStyle style;
  studio_widget_plot_style (GTK_WIDGET (self->area), &style);
  masks_figure_init (self, &fig, TRUE);
  gboolean ok = tg_plot_masks_locate (gtk_widget_get_width (GTK_WIDGET (self->area)),
                                      gtk_widget_get_height (GTK_WIDGET (self->area)),
                                      &fig.data, &style, layer, input, klass, unit, x, y);
  masks_figure_clear (&fig);
  return ok;
}

guint
studio_masks_view_get_column_unit (StudioMasksView *self, guint layer, guint column)
{
  MasksFigure fig;
  masks_figure_init (self, &fig, TRUE);
  guint unit = G_MAXUINT;
  if (layer < fig.data.n_layers && column < fig.layers[layer].n_units)
    unit = fig.layers[layer].order != NULL ? fig.layers[layer].order[column] : column;
  masks_figure_clear (&fig);
  return unit;
}

/* The button says what it does; pressed or not shows which gates the figure uses (its
 * label flipping between "Hard" and "Soft" read as the opposite of its state). */
static void
hard_toggled_cb (GtkToggleButton *button, StudioMasksView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* The keys' view of the figure: a row of columns per layer, in the shared order of the
 * gates shown. */
static gboolean
masks_unit_grid (StudioView *view, StudioUnitGrid *grid)
{
  StudioMasksView *self = STUDIO_MASKS_VIEW (view);
  StudioHistory *history = studio_view_get_history (view);
  StudioSnapshot *snap = history != NULL ? studio_history_get_masks (history) : NULL;

  if (snap == NULL || snap->firing0_hard == NULL)
    return FALSE;
  grid->n_layers = MIN (snap->n_hidden, TG_MAX_LINEAR);
  for (guint l = 0; l < grid->n_layers; l++)
    grid->widths[l] = snap->widths[l];
  grid->ordered = TRUE;
  grid->hard = gtk_toggle_button_get_active (self->hard);
  return TRUE;
}

GtkWidget *
studio_masks_view_new (void)
{
  return g_object_new (STUDIO_TYPE_MASKS_VIEW, NULL);
}

static char *
studio_masks_view_describe (StudioView *view)
{
  return g_strdup (_("Heatmaps of how often each hidden unit's gate is open, per digit class, on the 0° and the rotated test images."));
}

static void
studio_masks_view_class_init (StudioMasksViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  view_class->draw_figure = studio_masks_view_draw_figure;
  view_class->describe = studio_masks_view_describe;
  view_class->dup_csv = studio_masks_view_dup_csv;
  view_class->list_series = studio_masks_view_list_series;
  view_class->hover_changed = studio_masks_view_hover_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-masks-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioMasksView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioMasksView, hard);
  gtk_widget_class_bind_template_child (widget_class, StudioMasksView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, StudioMasksView, readout);
  gtk_widget_class_bind_template_callback (widget_class, hard_toggled_cb);
}

static void
studio_masks_view_init (StudioMasksView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  gtk_box_append (self->toolbar, gtk_label_new (_("Order")));
  gtk_box_append (self->toolbar, studio_view_get_order_dropdown (STUDIO_VIEW (self)));
  GtkWidget *bar = studio_view_get_set_bar (STUDIO_VIEW (self));
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_halign (bar, GTK_ALIGN_END);
  gtk_box_append (self->toolbar, bar);
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (click));
  studio_view_add_unit_keys (STUDIO_VIEW (self), GTK_WIDGET (self->area), masks_unit_grid);
}
