/* studio-inspector-view.c — the unit inspector over tg_plot_unit. The figure's numbers
 * (tg_unit_figure_new, one forward per test image and a few more for the logit effect) are
 * measured in a GTask thread on the model copy of the latest mask snapshot, which is
 * immutable and kept alive by a reference for as long as the task runs; one measurement at
 * a time, the next one starting when it ends if the model or the unit changed meanwhile,
 * only while the view is on screen, and for a new model at most every
 * INSPECT_MIN_INTERVAL_MS (training hands over a model every mask measurement). */
#include "studio-inspector-view.h"

#include <math.h>

#define INSPECT_MIN_INTERVAL_MS 1000
#include "studio-test-set.h"
#include "studio-ablation-panel.h"

struct _StudioInspectorView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkAdjustment  *layer_adj, *unit_adj;
  GtkCheckButton *hard_check;
  GtkLabel       *status;
  StudioAblationPanel *ablation;

  TgUnitFigure   *figure;        /* the latest measurement */
  StudioSnapshot *measured;      /* the snapshot it was measured on */
  guint           measured_layer, measured_index;
  gboolean        measured_hard;
  gboolean        running;       /* a task is out */
  gint64          done_at;       /* when the last one ended (monotonic, us) */
  guint           retry_source;  /* a later try, for a new model that came too soon */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (StudioInspectorView, studio_inspector_view, STUDIO_TYPE_VIEW)

typedef struct {
  StudioSnapshot *snap;          /* holds the model */
  TgUnitId        unit;
  gboolean        hard;
} InspectTask;

static void
inspect_task_free (gpointer data)
{
  InspectTask *t = data;
  studio_snapshot_unref (t->snap);
  g_free (t);
}

/* Worker of the GTask: reads only the task's data and the shared read-only test set. */
static void
inspect_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  InspectTask *t = data;
  GError *error = NULL;
  const TgDataset *full = studio_test_set_get (&error);
  if (full == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_autoptr (TgDataset) test0 = tg_dataset_head (full, MIN (full->n, STUDIO_TEST_SET_INSPECT));
  g_autoptr (TgDataset) test_t = tg_dataset_rotated (test0, t->snap->angle);
  TgForwardOpts opts = { t->hard ? TG_GATES_HARD : TG_GATES_SOFT, t->snap->sharpness };
  g_autofree char *label =
    g_strdup_printf ("%s, step %" G_GUINT64_FORMAT, tg_method_info (t->snap->model->method)->label,
                     t->snap->mask_step);
  TgUnitFigure *fig = tg_unit_figure_new (t->snap->model, t->unit, test0, test_t,
                                          t->snap->angle, TRUE, &opts, label, &error);
  if (fig == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, fig, (GDestroyNotify) tg_unit_figure_free);
}

static void maybe_measure (StudioInspectorView *self);

static void
inspect_done (GObject *source, GAsyncResult *result, gpointer data)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (source);
  InspectTask *t = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  TgUnitFigure *fig = g_task_propagate_pointer (G_TASK (result), &error);

  self->running = FALSE;
  self->done_at = g_get_monotonic_time ();
  if (fig == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status, error->message);
      return;
    }
  g_clear_pointer (&self->figure, tg_unit_figure_free);
  self->figure = fig;
  g_clear_pointer (&self->measured, studio_snapshot_unref);
  self->measured = studio_snapshot_ref (t->snap);
  self->measured_layer = t->unit.layer;
  self->measured_index = t->unit.index;
  self->measured_hard = t->hard;
  g_autofree char *text =
    g_strdup_printf ("hidden %u, unit %u · τ = %+.4f · γ = %.4f · step %" G_GUINT64_FORMAT,
                     t->unit.layer + 1, t->unit.index, fig->report->tau, fig->report->gamma,
                     t->snap->mask_step);
  gtk_label_set_text (self->status, text);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  maybe_measure (self);
}

static gboolean
retry_cb (gpointer data)
{
  StudioInspectorView *self = data;
  self->retry_source = 0;
  maybe_measure (self);
  return G_SOURCE_REMOVE;
}

static void
map_cb (GtkWidget *widget, gpointer data)
{
  maybe_measure (STUDIO_INSPECTOR_VIEW (widget));
}

/* Starts a measurement when the model, the unit or the gate mode differ from the figure's
 * and none is running. */
static void
maybe_measure (StudioInspectorView *self)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  StudioSnapshot *snap = history != NULL ? studio_history_get_masks (history) : NULL;
  TgUnitId unit = { (guint32) gtk_adjustment_get_value (self->layer_adj) - 1,
                    (guint32) gtk_adjustment_get_value (self->unit_adj) };
  gboolean hard = gtk_check_button_get_active (self->hard_check);

  studio_ablation_panel_set_unit (self->ablation, unit);
  if (snap != NULL)
    studio_ablation_panel_set_snapshot (self->ablation, snap);
  if (self->running || snap == NULL || snap->model == NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) || self->retry_source != 0)
    return;
  gboolean same_question = self->figure != NULL && self->measured_layer == unit.layer &&
                           self->measured_index == unit.index && self->measured_hard == hard;
  if (same_question && self->measured == snap)
    return;
  gint64 wait_ms = (self->done_at + INSPECT_MIN_INTERVAL_MS * 1000 - g_get_monotonic_time ()) / 1000;
  if (same_question && wait_ms > 0)
    {
      /* only the model moved on: come back later rather than measure every snapshot */
      self->retry_source = g_timeout_add ((guint) wait_ms + 1, retry_cb, self);
      return;
    }
  g_autoptr (GError) error = NULL;
  if (!tg_unit_check (snap->model, unit, &error))
    {
      gtk_label_set_text (self->status, error->message);
      return;
    }
  InspectTask *t = g_new0 (InspectTask, 1);
  t->snap = studio_snapshot_ref (snap);
  t->unit = unit;
  t->hard = hard;
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, inspect_done, NULL);
  g_task_set_task_data (task, t, inspect_task_free);
  self->running = TRUE;
  g_task_run_in_thread (task, inspect_thread);
}

static void
studio_inspector_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                   const TgPlotStyle *style, gboolean for_export)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (view);
  if (self->figure != NULL)
    {
      tg_plot_unit (cr, width, height, &self->figure->data, style);
      return;
    }
  TgUnitPlotData empty = { 0 };
  empty.layer = (guint) gtk_adjustment_get_value (self->layer_adj) - 1;
  empty.index = (guint) gtk_adjustment_get_value (self->unit_adj);
  empty.caption = "Train a model (or wait for its first mask statistics) to inspect a unit; "
                  "click a cell in Neurons or choose the layer and unit above.";
  tg_plot_unit (cr, width, height, &empty, style);
}

static void
studio_inspector_view_history_changed (StudioView *view)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (view);
  StudioHistory *history = studio_view_get_history (view);
  StudioSnapshot *snap = history != NULL ? studio_history_get_params (history) : NULL;
  if (snap != NULL && snap->n_hidden > 0)
    {
      guint layer = (guint) gtk_adjustment_get_value (self->layer_adj) - 1;
      gtk_adjustment_set_upper (self->layer_adj, snap->n_hidden);
      if (layer < snap->n_hidden)
        gtk_adjustment_set_upper (self->unit_adj, snap->widths[layer] - 1);
    }
  maybe_measure (self);
}

static void
unit_changed_cb (GtkAdjustment *adj, StudioInspectorView *self)
{
  maybe_measure (self);
}

static void
mode_toggled_cb (GtkCheckButton *button, StudioInspectorView *self)
{
  maybe_measure (self);
}

void
studio_inspector_view_set_unit (StudioInspectorView *self, guint layer, guint index)
{
  if (layer + 1 > gtk_adjustment_get_upper (self->layer_adj))
    gtk_adjustment_set_upper (self->layer_adj, layer + 1);
  if (index > gtk_adjustment_get_upper (self->unit_adj))
    gtk_adjustment_set_upper (self->unit_adj, index);
  gtk_adjustment_set_value (self->layer_adj, layer + 1);
  gtk_adjustment_set_value (self->unit_adj, index);
  maybe_measure (self);
}

void
studio_inspector_view_get_unit (StudioInspectorView *self, guint *layer, guint *index)
{
  *layer = (guint) gtk_adjustment_get_value (self->layer_adj) - 1;
  *index = (guint) gtk_adjustment_get_value (self->unit_adj);
}

const TgUnitFigure *
studio_inspector_view_get_figure (StudioInspectorView *self)
{
  return self->figure;
}

StudioAblationPanel *
studio_inspector_view_get_ablation (StudioInspectorView *self)
{
  return self->ablation;
}

gboolean
studio_inspector_view_is_busy (StudioInspectorView *self)
{
  guint layer, index;
  studio_inspector_view_get_unit (self, &layer, &index);
  return self->running || self->retry_source != 0 ||
         (self->figure != NULL && (self->measured_layer != layer || self->measured_index != index));
}

GtkWidget *
studio_inspector_view_new (void)
{
  return g_object_new (STUDIO_TYPE_INSPECTOR_VIEW, NULL);
}

static char *
studio_inspector_view_describe (StudioView *view)
{
  return g_strdup ("One hidden unit: its receptive field, τ and γ, firing per digit at 0° and at the target angle, the distribution of z − τ, the test images that drive it and its near misses, and the change of each logit when it is silenced.");
}

static char *
studio_inspector_view_data_csv (StudioView *view)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (view);
  return self->figure != NULL ? tg_unit_figure_csv (self->figure) : NULL;
}

static void
studio_inspector_view_dispose (GObject *object)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (object);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_pointer (&self->measured, studio_snapshot_unref);
  G_OBJECT_CLASS (studio_inspector_view_parent_class)->dispose (object);
}

static void
studio_inspector_view_finalize (GObject *object)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (object);
  g_clear_pointer (&self->figure, tg_unit_figure_free);
  g_clear_pointer (&self->measured, studio_snapshot_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (studio_inspector_view_parent_class)->finalize (object);
}

static void
studio_inspector_view_class_init (StudioInspectorViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  object_class->dispose = studio_inspector_view_dispose;
  object_class->finalize = studio_inspector_view_finalize;
  view_class->draw_figure = studio_inspector_view_draw_figure;
  view_class->describe = studio_inspector_view_describe;
  view_class->get_csv = studio_inspector_view_data_csv;
  view_class->history_changed = studio_inspector_view_history_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-inspector-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioInspectorView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioInspectorView, layer_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioInspectorView, unit_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioInspectorView, hard_check);
  gtk_widget_class_bind_template_child (widget_class, StudioInspectorView, status);
  gtk_widget_class_bind_template_child (widget_class, StudioInspectorView, ablation);
  gtk_widget_class_bind_template_callback (widget_class, unit_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
}

static void
studio_inspector_view_init (StudioInspectorView *self)
{
  self->cancellable = g_cancellable_new ();
  g_type_ensure (STUDIO_TYPE_ABLATION_PANEL);
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
}
