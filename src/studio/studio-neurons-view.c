/* studio-neurons-view.c — the Neurons view over tg_plot_heatmap: the cells in the shared
 * unit order (by the hard gates' firing rates), the selected unit outlined, the ablation set
 * marked; hover reads a unit, a click selects it, a shift-click toggles it in the set. */
#include "studio-neurons-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include "studio-view.h"
#include "studio-view-keys.h"

#define MAX_PANELS (2 * TG_MAX_LINEAR)

struct _StudioNeuronsView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkLabel       *readout;
  GtkBox         *toolbar;

  /* owned: the unit under the pointer, or -1 */
  gint            hover_layer, hover_unit;
};

G_DEFINE_FINAL_TYPE (StudioNeuronsView, studio_neurons_view, STUDIO_TYPE_VIEW)

typedef struct {
  TgHeatmapPanel panels[MAX_PANELS];
  char           labels[MAX_PANELS][48];
  char           caption[400];
  guint32        offsets[TG_MAX_LINEAR];
  guint         *perm;    /* hidden_units: each layer's order at its offset */
  guint8        *marks;   /* hidden_units */
  TgHeatmapData  data;
} NeuronsFigure;

static void
neurons_figure_clear (NeuronsFigure *fig)
{
  g_clear_pointer (&fig->perm, g_free);
  g_clear_pointer (&fig->marks, g_free);
}

/* Cells per row that make the cells largest in a panel of about pw x ph; a divisor of
 * units wins a tie, so rows stay whole when they can. */
static guint
best_cell_columns (guint units, double pw, double ph)
{
  /* round row starts read more easily than 13, 26, 39 */
  static const guint candidates[] = { 8, 10, 12, 16, 20, 24, 32 };
  guint best = 16;
  double best_cell = 0;
  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      guint c = candidates[k];
      guint rows = (units + c - 1) / c;
      double cell = MIN (pw / c, ph / rows);
      if (units % c == 0)
        cell *= 1.08;
      if (cell > best_cell)
        {
          best_cell = cell;
          best = c;
        }
    }
  return best;
}

/* Panels: tau of each layer on the first row, gamma on the second. */
static void
neurons_figure_init (StudioNeuronsView *self, NeuronsFigure *fig, gboolean highlight,
                     double width, double height)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  StudioSnapshot *snap = history != NULL ? studio_history_get_params (history) : NULL;

  memset (fig, 0, sizeof *fig);
  fig->data.title = "Per-neuron thresholds τ and gains γ";
  if (snap == NULL || snap->tau == NULL)
    {
      fig->data.caption = _("Start training to see τ and γ of every hidden unit.");
      return;
    }

  /* the run's method, not the adapter now: a gated run's foundation shows its τ and γ */
  const TgMethodInfo *method = tg_method_info (snap->run_method);
  if (!method->gated)
    {
      /* τ and γ of a ReLU model sit at their starting values, unused: no heatmap of them */
      g_snprintf (fig->caption, sizeof fig->caption,
                  "%s, step %" G_GUINT64_FORMAT " (%s): this method has no gates; its hidden "
                  "units are plain ReLUs, so there is no τ or γ to show.",
                  method->label, snap->step, studio_phase_label (snap->phase));
      fig->data.caption = fig->caption;
      fig->data.empty_text = "this method has no gates";
      return;
    }

  guint32 off = 0;
  guint n = snap->n_hidden;
  guint sel_layer, sel_index;
  gboolean selected = studio_view_get_selected_unit (STUDIO_VIEW (self), &sel_layer, &sel_index);
  TgUnitOrder order = studio_view_get_unit_order (STUDIO_VIEW (self));
  studio_view_unit_arrays (STUDIO_VIEW (self), n, snap->widths, TRUE, &fig->perm, &fig->marks);
  for (guint l = 0; l < n; l++)
    {
      fig->offsets[l] = off;
      for (guint k = 0; k < 2; k++)
        {
          TgHeatmapPanel *p = &fig->panels[k * n + l];
          g_snprintf (fig->labels[k * n + l], sizeof fig->labels[0], "%s, hidden %u",
                      k == 0 ? "τ threshold" : "γ gain", l + 1);
          p->label = fig->labels[k * n + l];
          p->n_units = snap->widths[l];
          p->values = (k == 0 ? snap->tau : snap->gamma) + off;
          p->center = k == 0 ? 0.0 : 1.0;
          p->half_range = 0;
          p->highlight = highlight && self->hover_layer == (gint) l ? self->hover_unit : -1;
          if (highlight && self->hover_layer < 0 && selected && sel_layer == l)
            p->highlight = sel_index;  /* the unit being inspected: its value in the label */
          p->order = order != TG_UNIT_ORDER_INDEX ? fig->perm + off : NULL;
          p->marked = fig->marks + off;
          p->show_selected = selected && sel_layer == l;
          p->selected = sel_index;
        }
      off += snap->widths[l];
    }
  if (order != TG_UNIT_ORDER_INDEX)
    fig->data.order_label = tg_unit_order_phrase (order);
  fig->data.n_panels = 2 * n;
  fig->data.panels = fig->panels;
  fig->data.panel_columns = n;
  /* room for the title, caption, panel labels, axes and colour bars, roughly */
  fig->data.cell_columns = best_cell_columns (snap->widths[0], width / MAX (n, 1) * 0.78,
                                              (height - 90) / 2 * 0.78);
  const TgMethodInfo *info = tg_method_info (snap->method);
  g_autofree char *name = studio_snapshot_dup_model_name (snap);
  g_autofree char *when = snap->mode_name != NULL
    ? g_strdup_printf ("Mode %s", name)
    : g_strdup_printf ("%s, step %" G_GUINT64_FORMAT " (%s)", name, snap->step,
                       studio_phase_label (snap->phase));
  gboolean any_mark = FALSE;
  for (guint32 u = 0; u < snap->hidden_units; u++)
    any_mark |= fig->marks[u] != TG_PLOT_MARK_NONE;
  g_snprintf (fig->caption, sizeof fig->caption,
              "%s%s. Blue below, red above the initial value "
              "(τ = 0, γ = 1); one cell per unit, %u per row%s%s.%s",
              when,
              info->gated ? "" : ": ungated, τ and γ are neither used nor trained",
              fig->data.cell_columns,
              order != TG_UNIT_ORDER_INDEX ? ", sorted by the hard gates' " : "",
              order != TG_UNIT_ORDER_INDEX ? tg_unit_order_phrase (order) : "",
              any_mark ? " Ablation set: × silenced, • forced on." : "");
  fig->data.caption = fig->caption;
}

static void
studio_neurons_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                 const TgPlotStyle *style, gboolean for_export)
{
  NeuronsFigure fig;
  neurons_figure_init (STUDIO_NEURONS_VIEW (view), &fig, !for_export, width, height);
  if (for_export)
    tg_plot_heatmap_exclude (&fig.data, fig.panels, studio_view_get_export_excluded (view));
  tg_plot_heatmap (cr, width, height, &fig.data, style);
  neurons_figure_clear (&fig);
}

static char *
studio_neurons_view_dup_csv (StudioView *view)
{
  NeuronsFigure fig;
  neurons_figure_init (STUDIO_NEURONS_VIEW (view), &fig, FALSE, 800, 520);
  tg_plot_heatmap_exclude (&fig.data, fig.panels, studio_view_get_export_excluded (view));
  char *csv = tg_plot_heatmap_csv (&fig.data);
  neurons_figure_clear (&fig);
  return csv;
}

/* The panels (a quantity of a layer each), which an export may leave out. */
static char **
studio_neurons_view_list_series (StudioView *view)
{
  NeuronsFigure fig;
  neurons_figure_init (STUDIO_NEURONS_VIEW (view), &fig, FALSE, 800, 520);
  char **names = g_new0 (char *, fig.data.n_panels + 1);
  for (guint p = 0; p < fig.data.n_panels; p++)
    names[p] = g_strdup (fig.panels[p].label);
  neurons_figure_clear (&fig);
  return names;
}

static void
studio_neurons_view_hover_changed (StudioView *view)
{
  StudioNeuronsView *self = STUDIO_NEURONS_VIEW (view);
  NeuronsFigure fig;
  TgPlotStyle style;
  guint panel, unit;
  double hover_x, hover_y;
  gboolean hovering = studio_view_get_hover (view, &hover_x, &hover_y);
  StudioHistory *history = studio_view_get_history (view);
  StudioSnapshot *snap = history != NULL ? studio_history_get_params (history) : NULL;

  self->hover_layer = self->hover_unit = -1;
  neurons_figure_init (self, &fig, FALSE, gtk_widget_get_width (GTK_WIDGET (self->area)),
                       gtk_widget_get_height (GTK_WIDGET (self->area)));
  studio_widget_plot_style (GTK_WIDGET (self->area), &style);
  gboolean hit = hovering && snap != NULL && fig.data.n_panels > 0 &&
                 tg_plot_heatmap_hit (gtk_widget_get_width (GTK_WIDGET (self->area)),
                                      gtk_widget_get_height (GTK_WIDGET (self->area)),
                                      &fig.data, &style, hover_x, hover_y, &panel, &unit);
  neurons_figure_clear (&fig);
  if (!hit)
    {
      gtk_label_set_text (self->readout, _("Hover over a cell to read its unit; click to "
                                         "inspect it, shift-click to add it to the ablation set."));
      return;
    }

  guint layer = panel % snap->n_hidden;
  guint idx = fig.offsets[layer] + unit;
  self->hover_layer = layer;
  self->hover_unit = unit;

  StudioSnapshot *masks = studio_history_get_masks (history);
  g_autofree char *gate = NULL;
  if (masks != NULL && masks->gates_rot != NULL && masks->gates0 != NULL &&
      idx < snap->hidden_units)
    gate = g_strdup_printf (_(" · mean gate %.3f on %g°, %.3f on 0° (step %llu)"),
                            masks->gates_rot[idx], masks->angle, masks->gates0[idx],
                            (unsigned long long) masks->mask_step);
  g_autofree char *text =
    g_strdup_printf (_("hidden %u, unit %u · τ = %+.4f · γ = %.4f%s"), layer + 1, unit,
                     snap->tau[idx], snap->gamma[idx], gate != NULL ? gate : "");
  gtk_label_set_text (self->readout, text);
}

/* A click selects the unit under the pointer for the inspector; with shift, it goes into
 * the ablation set or out of it. */
static gboolean
neurons_click (StudioNeuronsView *self, double x, double y, gboolean shift)
{
  studio_view_hover (STUDIO_VIEW (self), x, y);
  if (self->hover_layer < 0 || self->hover_unit < 0)
    return FALSE;
  if (shift)
    studio_view_toggle_unit (STUDIO_VIEW (self), (guint) self->hover_layer,
                             (guint) self->hover_unit);
  else
    studio_view_select_unit (STUDIO_VIEW (self), (guint) self->hover_layer,
                             (guint) self->hover_unit);
  return TRUE;
}

gboolean
studio_neurons_view_click (StudioNeuronsView *self, double x, double y)
{
  return neurons_click (self, x, y, FALSE);
}

gboolean
studio_neurons_view_shift_click (StudioNeuronsView *self, double x, double y)
{
  return neurons_click (self, x, y, TRUE);
}

static void
neurons_pressed_cb (GtkGestureClick *click, int n_press, double x, double y,
                    StudioNeuronsView *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (click));
  neurons_click (self, x, y, (state & GDK_SHIFT_MASK) != 0);
}

const char *
studio_neurons_view_hover (StudioNeuronsView *self, double x, double y)
{
  studio_view_hover (STUDIO_VIEW (self), x, y);
  return gtk_label_get_text (self->readout);
}

/* The keys' view of the figure: per layer a grid of cells in the shared order of the hard
 * gates, as many per row as drawn at the area's size, the layers side by side. */
static gboolean
neurons_unit_grid (StudioView *view, StudioUnitGrid *grid)
{
  StudioNeuronsView *self = STUDIO_NEURONS_VIEW (view);
  StudioHistory *history = studio_view_get_history (view);
  StudioSnapshot *snap = history != NULL ? studio_history_get_params (history) : NULL;
  NeuronsFigure fig;

  neurons_figure_init (self, &fig, FALSE, gtk_widget_get_width (GTK_WIDGET (self->area)),
                       gtk_widget_get_height (GTK_WIDGET (self->area)));
  gboolean drawn = snap != NULL && fig.data.n_panels > 0;
  grid->grid_columns = fig.data.cell_columns;
  neurons_figure_clear (&fig);
  if (!drawn)
    return FALSE;
  grid->n_layers = MIN (snap->n_hidden, TG_MAX_LINEAR);
  for (guint l = 0; l < grid->n_layers; l++)
    grid->widths[l] = snap->widths[l];
  grid->ordered = TRUE;
  grid->hard = TRUE;
  return TRUE;
}

GtkWidget *
studio_neurons_view_new (void)
{
  return g_object_new (STUDIO_TYPE_NEURONS_VIEW, NULL);
}

static char *
studio_neurons_view_describe (StudioView *view)
{
  return g_strdup (_("Heatmaps of each hidden unit's threshold τ and gain γ, one row per hidden layer, with the mean gate per unit."));
}

static void
studio_neurons_view_class_init (StudioNeuronsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  view_class->draw_figure = studio_neurons_view_draw_figure;
  view_class->describe = studio_neurons_view_describe;
  view_class->dup_csv = studio_neurons_view_dup_csv;
  view_class->list_series = studio_neurons_view_list_series;
  view_class->hover_changed = studio_neurons_view_hover_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-neurons-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioNeuronsView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioNeuronsView, readout);
  gtk_widget_class_bind_template_child (widget_class, StudioNeuronsView, toolbar);
}

static void
studio_neurons_view_init (StudioNeuronsView *self)
{
  self->hover_layer = self->hover_unit = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  gtk_box_append (self->toolbar, gtk_label_new (_("Order")));
  gtk_box_append (self->toolbar, studio_view_get_order_dropdown (STUDIO_VIEW (self)));
  GtkWidget *bar = studio_view_get_set_bar (STUDIO_VIEW (self));
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_halign (bar, GTK_ALIGN_END);
  gtk_box_append (self->toolbar, bar);
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (neurons_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (click));
  studio_view_add_unit_keys (STUDIO_VIEW (self), GTK_WIDGET (self->area), neurons_unit_grid);
}
