/* studio-neurons-view.c — the Neurons view over tg_plot_heatmap. */
#include "studio-neurons-view.h"

#include <math.h>
#include <string.h>
#include "studio-view.h"

#define MAX_PANELS (2 * TG_MAX_LINEAR)

struct _StudioNeuronsView
{
  GtkBox parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkLabel       *readout;

  /* owned */
  StudioHistory  *history;
  gulong          changed_id;

  /* owned */
  gboolean        hovering;
  double          hover_x, hover_y;
  gint            hover_layer, hover_unit;
};

static void studio_neurons_view_iface_init (StudioViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StudioNeuronsView, studio_neurons_view, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (STUDIO_TYPE_VIEW,
                                                      studio_neurons_view_iface_init))

typedef struct {
  TgHeatmapPanel panels[MAX_PANELS];
  char           labels[MAX_PANELS][48];
  char           caption[200];
  guint32        offsets[TG_MAX_LINEAR];
  TgHeatmapData  data;
} NeuronsFigure;

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
  StudioSnapshot *snap = self->history != NULL ? studio_history_get_params (self->history) : NULL;

  memset (fig, 0, sizeof *fig);
  fig->data.title = "Per-neuron thresholds τ and gains γ";
  if (snap == NULL || snap->tau == NULL)
    {
      fig->data.caption = "Start training to see τ and γ of every hidden unit.";
      return;
    }

  guint32 off = 0;
  guint n = snap->n_hidden;
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
        }
      off += snap->widths[l];
    }
  fig->data.n_panels = 2 * n;
  fig->data.panels = fig->panels;
  fig->data.panel_columns = n;
  /* room for the title, caption, panel labels, axes and colour bars, roughly */
  fig->data.cell_columns = best_cell_columns (snap->widths[0], width / MAX (n, 1) * 0.78,
                                              (height - 90) / 2 * 0.78);
  const TgMethodInfo *info = tg_method_info (snap->method);
  g_snprintf (fig->caption, sizeof fig->caption,
              "%s, step %" G_GUINT64_FORMAT " (%s)%s. Blue below, red above the initial value "
              "(τ = 0, γ = 1); one cell per unit, %u per row.",
              info->label, snap->step, studio_phase_label (snap->phase),
              info->gated ? "" : ": ungated, τ and γ are neither used nor trained",
              fig->data.cell_columns);
  fig->data.caption = fig->caption;
}

static void
studio_neurons_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                 const TgPlotStyle *style, gboolean for_export)
{
  NeuronsFigure fig;
  neurons_figure_init (STUDIO_NEURONS_VIEW (view), &fig, !for_export, width, height);
  tg_plot_heatmap (cr, width, height, &fig.data, style);
}

static void
draw_area (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  TgPlotStyle style;
  studio_widget_plot_style (GTK_WIDGET (area), &style);
  studio_view_draw_figure (STUDIO_VIEW (user_data), cr, width, height, &style, FALSE);
}

static void
update_hover (StudioNeuronsView *self)
{
  NeuronsFigure fig;
  TgPlotStyle style;
  guint panel, unit;
  StudioSnapshot *snap = self->history != NULL ? studio_history_get_params (self->history) : NULL;

  self->hover_layer = self->hover_unit = -1;
  neurons_figure_init (self, &fig, FALSE, gtk_widget_get_width (GTK_WIDGET (self->area)),
                       gtk_widget_get_height (GTK_WIDGET (self->area)));
  studio_widget_plot_style (GTK_WIDGET (self->area), &style);
  if (!self->hovering || snap == NULL || fig.data.n_panels == 0 ||
      !tg_plot_heatmap_hit (gtk_widget_get_width (GTK_WIDGET (self->area)),
                            gtk_widget_get_height (GTK_WIDGET (self->area)),
                            &fig.data, &style, self->hover_x, self->hover_y, &panel, &unit))
    {
      gtk_label_set_text (self->readout, "Hover over a cell to read its unit.");
      return;
    }

  guint layer = panel % snap->n_hidden;
  guint idx = fig.offsets[layer] + unit;
  self->hover_layer = layer;
  self->hover_unit = unit;

  StudioSnapshot *masks = studio_history_get_masks (self->history);
  g_autofree char *gate = NULL;
  if (masks != NULL && masks->gates45 != NULL && masks->gates0 != NULL &&
      idx < snap->hidden_units)
    gate = g_strdup_printf (" · mean gate %.3f on 45°, %.3f on 0° (step %" G_GUINT64_FORMAT ")",
                            masks->gates45[idx], masks->gates0[idx], masks->mask_step);
  g_autofree char *text =
    g_strdup_printf ("hidden %u, unit %u · τ = %+.4f · γ = %.4f%s", layer + 1, unit,
                     snap->tau[idx], snap->gamma[idx], gate != NULL ? gate : "");
  gtk_label_set_text (self->readout, text);
}

static void
motion_cb (GtkEventControllerMotion *motion, double x, double y, StudioNeuronsView *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
leave_cb (GtkEventControllerMotion *motion, StudioNeuronsView *self)
{
  self->hovering = FALSE;
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
history_changed_cb (StudioHistory *history, StudioNeuronsView *self)
{
  if (self->hovering)
    update_hover (self);
  studio_widget_queue_draw_throttled (GTK_WIDGET (self->area));
}

static void
studio_neurons_view_set_history (StudioView *view, StudioHistory *history)
{
  StudioNeuronsView *self = STUDIO_NEURONS_VIEW (view);

  g_clear_signal_handler (&self->changed_id, self->history);
  g_set_object (&self->history, history);
  if (history != NULL)
    self->changed_id = g_signal_connect (history, "changed", G_CALLBACK (history_changed_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

const char *
studio_neurons_view_hover (StudioNeuronsView *self, double x, double y)
{
  if (x < 0)
    leave_cb (NULL, self);
  else
    motion_cb (NULL, x, y, self);
  return gtk_label_get_text (self->readout);
}

GtkWidget *
studio_neurons_view_new (void)
{
  return g_object_new (STUDIO_TYPE_NEURONS_VIEW, NULL);
}

static void
studio_neurons_view_dispose (GObject *object)
{
  StudioNeuronsView *self = STUDIO_NEURONS_VIEW (object);

  g_clear_signal_handler (&self->changed_id, self->history);
  g_clear_object (&self->history);
  G_OBJECT_CLASS (studio_neurons_view_parent_class)->dispose (object);
}

static void
studio_neurons_view_iface_init (StudioViewInterface *iface)
{
  iface->draw_figure = studio_neurons_view_draw_figure;
  iface->set_history = studio_neurons_view_set_history;
}

static void
studio_neurons_view_class_init (StudioNeuronsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = studio_neurons_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-neurons-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioNeuronsView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioNeuronsView, readout);
}

static void
studio_neurons_view_init (StudioNeuronsView *self)
{
  GtkEventController *motion;

  self->hover_layer = self->hover_unit = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->area, draw_area, self, NULL);
  studio_widget_follow_theme (GTK_WIDGET (self->area));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), motion);
}
