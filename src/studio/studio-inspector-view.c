/* SPDX-License-Identifier: MIT */
/* studio-inspector-view.c — the unit inspector over tg_plot_unit. The figure's numbers
 * (tg_unit_figure_new, one forward per test image and a few more for the logit effect, and
 * the firing of the unit in each other open mode) are measured in a GTask thread on the
 * model at the history's time (studio-time-model.h: live, the latest mask snapshot's copy;
 * rewound by the scrubber, the model of that step), which is immutable and kept alive by a
 * reference for as long as the task runs; one measurement at a time, the next one starting
 * when it ends if the model or the unit changed meanwhile, only while the view is on
 * screen, and for a new live model at most every INSPECT_MIN_INTERVAL_MS (training hands
 * over a model every mask measurement), for a step chosen on the scrubber at most every
 * INSPECT_SCRUB_INTERVAL_MS (so that the measuring thread leaves the cores some rest while
 * the slider moves).
 * The unit's τ and γ over the run come from the history's records, on the main loop (a few
 * thousand numbers at most). */
#include "tg-digest.h"
#include "studio-task-hold.h"

#include <glib/gi18n.h>
#include "studio-inspector-view.h"

#include <math.h>
#include <string.h>

#define INSPECT_MIN_INTERVAL_MS 1000
#define INSPECT_SCRUB_INTERVAL_MS 300
#define INSPECT_MAX_MODES (TG_UNIT_MAX_MODES - 1)   /* other modes beside the model shown */
#include "studio-ablation-panel.h"
#include "studio-time-model.h"

/* An open mode, copied when the modes change (the window's may go at any time); shared
 * with the measuring thread by reference. */
typedef struct {
  char    *name;
  TgModel *model;
  float    sharpness;
} InspectMode;

static void
inspect_mode_clear (gpointer data)
{
  InspectMode *m = data;
  g_free (m->name);
  tg_model_free (m->model);
}

static void
inspect_mode_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, inspect_mode_clear);
}

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
  StudioTimeModel *measured;     /* the model it was measured on */
  GPtrArray      *modes;         /* InspectMode, the open modes */
  guint           modes_serial, measured_modes;  /* bumped when the modes change */
  guint           measured_layer, measured_index;
  char           *measured_dir;  /* the data set it was measured on */
  gboolean        measured_hard;
  gboolean        running;       /* a task is out */
  gboolean        setting_unit;  /* in studio_inspector_view_set_unit */
  gint64          done_at;       /* when the last one ended (monotonic, us) */
  guint           retry_source;  /* a later try, for a new model that came too soon */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (StudioInspectorView, studio_inspector_view, STUDIO_TYPE_VIEW)

typedef struct {
  StudioTimeModel *tm;           /* holds the model */
  StudioTestSet  *test_set;      /* the workspace's when the task was made */
  TgUnitId        unit;
  gboolean        hard;
  GPtrArray      *modes;         /* InspectMode: the other modes, not the model shown */
  guint           modes_serial;
  StudioTaskHold *hold;          /* the application, until the thread is done */
} InspectTask;

static void
inspect_task_free (gpointer data)
{
  InspectTask *t = data;
  studio_time_model_unref (t->tm);
  studio_test_set_unref (t->test_set);
  g_ptr_array_unref (t->modes);
  studio_task_hold_release (t->hold);
  g_free (t);
}

/* The unit in the other modes, beside the figure's. */
static gboolean
add_modes (TgUnitFigure *fig, const InspectTask *t, const TgDataset *test_t, GError **error)
{
  const TgModel *models[INSPECT_MAX_MODES];
  const char *names[INSPECT_MAX_MODES];
  float sharpness[INSPECT_MAX_MODES];
  guint n = 0;
  for (guint i = 0; i < t->modes->len && n < INSPECT_MAX_MODES; i++)
    {
      const InspectMode *m = g_ptr_array_index (t->modes, i);
      if (tg_unit_check (m->model, t->unit, NULL) && m->model->dims[0] == test_t->dim)
        {
          models[n] = m->model;
          names[n] = m->name;
          sharpness[n++] = m->sharpness;
        }
    }
  return tg_unit_figure_add_modes (fig, models, names, sharpness, n, test_t, error);
}

/* The figure of the task's unit: reads only the task's data, its test set among them, so
 * it runs in the GTask's thread (or, for an export, on the main thread). */
static TgUnitFigure *
inspect_measure (const InspectTask *t, GError **error)
{
  const TgDataset *full = t->test_set->data;
  g_autoptr (TgDataset) test0 = tg_dataset_head (full, MIN (full->n, STUDIO_TEST_SET_INSPECT));
  g_autoptr (TgDataset) test_t = tg_dataset_rotated (test0, t->tm->angle);
  TgForwardOpts opts = { t->hard ? TG_GATES_HARD : TG_GATES_SOFT, t->tm->sharpness };
  g_autoptr (TgUnitFigure) fig = tg_unit_figure_new (t->tm->model, t->unit, test0, test_t,
                                                     t->tm->angle, TRUE, &opts, t->tm->label,
                                                     error);
  if (fig == NULL || !add_modes (fig, t, test_t, error))
    return NULL;
  return g_steal_pointer (&fig);
}

static void
inspect_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  TgUnitFigure *fig = inspect_measure (data, &error);
  if (fig == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, fig, (GDestroyNotify) tg_unit_figure_free);
}

static void maybe_measure (StudioInspectorView *self);

/* The unit's τ and γ over the run into the figure, the step of its model marked. */
static void
update_trajectory (StudioInspectorView *self)
{
  if (self->figure == NULL)
    return;
  g_autoptr (GArray) steps = NULL, tau = NULL, gamma = NULL;
  studio_time_model_trajectory (studio_view_get_history (STUDIO_VIEW (self)),
                                self->figure->report->unit.layer,
                                self->figure->report->unit.index, &steps, &tau, &gamma);
  /* a mode's measurement is not a step of the run */
  double mark = self->measured->masks->mode_name != NULL ? NAN : (double) self->measured->step;
  tg_unit_figure_set_trajectory (self->figure, steps->len, (double *) steps->data,
                                 (double *) tau->data, (double *) gamma->data, mark);
}

/* fig (taken), measured for t, becomes the figure shown. */
static void
take_figure (StudioInspectorView *self, const InspectTask *t, TgUnitFigure *fig)
{
  g_clear_pointer (&self->figure, tg_unit_figure_free);
  self->figure = fig;
  g_clear_pointer (&self->measured, studio_time_model_unref);
  self->measured = studio_time_model_ref (t->tm);
  self->measured_layer = t->unit.layer;
  self->measured_index = t->unit.index;
  self->measured_hard = t->hard;
  g_free (self->measured_dir);
  self->measured_dir = g_strdup (t->test_set->dir);
  self->measured_modes = t->modes_serial;
  update_trajectory (self);
  g_autofree char *text =
    g_strdup_printf (_("hidden %u, unit %u · τ = %+.4f · γ = %.4f · %s"), t->unit.layer + 1,
                     t->unit.index, fig->report->tau, fig->report->gamma, t->tm->label);
  gtk_label_set_text (self->status, text);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

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
  take_figure (self, t, fig);
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

static TgUnitId
chosen_unit (StudioInspectorView *self)
{
  TgUnitId unit = { (guint32) gtk_adjustment_get_value (self->layer_adj) - 1,
                    (guint32) gtk_adjustment_get_value (self->unit_adj) };
  return unit;
}

/* TRUE when the figure is of unit, in that gate mode, with the open modes, on the
 * workspace's data set. */
static gboolean
figure_answers (StudioInspectorView *self, TgUnitId unit, gboolean hard)
{
  StudioWorkspace *workspace = studio_view_get_workspace (STUDIO_VIEW (self));
  return self->figure != NULL && self->measured_layer == unit.layer &&
         self->measured_index == unit.index && self->measured_hard == hard &&
         self->measured_modes == self->modes_serial &&
         g_strcmp0 (self->measured_dir, studio_workspace_get_data_dir (workspace)) == 0;
}

/* The measurement of unit on the model at the history's time, beside the other open modes,
 * on the workspace's test set; NULL with an error when there is none. */
static InspectTask *
inspect_task_new (StudioInspectorView *self, StudioHistory *history, TgUnitId unit,
                  gboolean hard, GError **error)
{
  StudioWorkspace *workspace = studio_view_get_workspace (STUDIO_VIEW (self));
  StudioTestSet *set = studio_workspace_dup_test_set (workspace, error);
  if (set == NULL)
    return NULL;
  InspectTask *t = g_new0 (InspectTask, 1);
  t->test_set = set;
  t->tm = studio_time_model_new (history);
  t->unit = unit;
  t->hard = hard;
  t->modes_serial = self->modes_serial;
  t->modes = g_ptr_array_new_with_free_func (inspect_mode_unref);
  for (guint i = 0; i < self->modes->len; i++)
    {
      InspectMode *m = g_ptr_array_index (self->modes, i);
      if (!tg_model_same (m->model, t->tm->model))
        g_ptr_array_add (t->modes, g_atomic_rc_box_acquire (m));
    }
  return t;
}

/* Starts a measurement when the model, the unit or the gate mode differ from the figure's
 * and none is running. */
static void
maybe_measure (StudioInspectorView *self)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  StudioSnapshot *snap = history != NULL ? studio_history_get_masks (history) : NULL;
  TgUnitId unit = chosen_unit (self);
  gboolean hard = gtk_check_button_get_active (self->hard_check);

  studio_ablation_panel_set_unit (self->ablation, unit);
  if (snap != NULL)
    studio_ablation_panel_set_snapshot (self->ablation, snap);
  if (self->running || snap == NULL || snap->model == NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) || self->retry_source != 0)
    return;
  gboolean same_question = figure_answers (self, unit, hard);
  if (same_question && studio_time_model_is_current (self->measured, history))
    return;
  /* a live model that came too soon waits; a step chosen on the scrubber waits less (the
   * slider may be moving: the step it rests on is measured, not every one it passes) */
  gint64 interval = studio_history_get_time (history) < 0 ? INSPECT_MIN_INTERVAL_MS
                                                          : INSPECT_SCRUB_INTERVAL_MS;
  gint64 wait_ms = (self->done_at + interval * 1000 - g_get_monotonic_time ()) / 1000;
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
  InspectTask *t = inspect_task_new (self, history, unit, hard, &error);
  if (t == NULL)
    {
      gtk_label_set_text (self->status, error->message);
      return;
    }
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, inspect_done, NULL);
  t->hold = studio_task_hold_new ();
  g_task_set_task_data (task, t, inspect_task_free);
  self->running = TRUE;
  g_task_run_in_thread (task, inspect_thread);
}

/* An export of the inspector never shown (Export All) would draw the empty figure: the
 * chosen unit is measured first, here on the main thread (2000 test images), so that the
 * figure and its CSV hold its numbers. Nothing to do when the figure is current, or when
 * nothing is trained yet (the empty figure says so). */
static gboolean
studio_inspector_view_prepare_export (StudioView *view, GError **error)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (view);
  StudioHistory *history = studio_view_get_history (view);
  StudioSnapshot *snap = history != NULL ? studio_history_get_masks (history) : NULL;
  TgUnitId unit = chosen_unit (self);
  gboolean hard = gtk_check_button_get_active (self->hard_check);

  if (snap == NULL || snap->model == NULL ||
      (figure_answers (self, unit, hard) && studio_time_model_is_current (self->measured, history)))
    return TRUE;
  if (!tg_unit_check (snap->model, unit, error))
    return FALSE;
  InspectTask *t = inspect_task_new (self, history, unit, hard, error);
  if (t == NULL)
    return FALSE;
  TgUnitFigure *fig = inspect_measure (t, error);
  if (fig != NULL)
    take_figure (self, t, fig);
  inspect_task_free (t);
  return fig != NULL;
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
  empty.caption = _("Train a model (or wait for its first mask statistics) to inspect a unit; "
                  "click a cell in Neurons or choose the layer and unit above.");
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
      self->setting_unit = TRUE;   /* a bound that clamps is no choice of the user's */
      gtk_adjustment_set_upper (self->layer_adj, snap->n_hidden);
      if (layer < snap->n_hidden)
        gtk_adjustment_set_upper (self->unit_adj, snap->widths[layer] - 1);
      self->setting_unit = FALSE;
    }
  /* the trajectories grow with the run while the figure waits for its next measurement */
  if (self->figure != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_trajectory (self);
  maybe_measure (self);
}

/* A unit chosen with the spin buttons is the selected unit of every view, as a click is;
 * one set from outside (studio_inspector_view_set_unit) already is. */
static void
unit_changed_cb (GtkAdjustment *adj, StudioInspectorView *self)
{
  if (!self->setting_unit)
    studio_view_select_unit (STUDIO_VIEW (self),
                             (guint) gtk_adjustment_get_value (self->layer_adj) - 1,
                             (guint) gtk_adjustment_get_value (self->unit_adj));
  maybe_measure (self);
}

static void
mode_toggled_cb (GtkCheckButton *button, StudioInspectorView *self)
{
  maybe_measure (self);
}

/* The workspace's selected unit (chosen in any view) is the one inspected. */
static void
studio_inspector_view_units_changed (StudioView *view)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (view);
  guint layer, index;
  if (!studio_workspace_get_selected_unit (studio_view_get_workspace (view), &layer, &index))
    return;
  TgUnitId unit = chosen_unit (self);
  if (unit.layer != layer || unit.index != index)
    studio_inspector_view_set_unit (self, layer, index);
}

static void
data_set_changed_cb (StudioWorkspace *workspace, StudioInspectorView *self)
{
  maybe_measure (self);
}

/* The unit in every other open mode: the workspace's modes. */
static void
studio_inspector_view_modes_changed (StudioView *view, const TgModes *modes)
{
  studio_inspector_view_set_modes (STUDIO_INSPECTOR_VIEW (view), modes);
}

static void
studio_inspector_view_workspace_changed (StudioView *view)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (view);
  StudioWorkspace *workspace = studio_view_get_workspace (view);
  studio_ablation_panel_set_workspace (self->ablation, workspace);
  g_signal_connect_object (workspace, "data-set-changed", G_CALLBACK (data_set_changed_cb),
                           self, 0);
}

void
studio_inspector_view_set_unit (StudioInspectorView *self, guint layer, guint index)
{
  if (layer + 1 > gtk_adjustment_get_upper (self->layer_adj))
    gtk_adjustment_set_upper (self->layer_adj, layer + 1);
  if (index > gtk_adjustment_get_upper (self->unit_adj))
    gtk_adjustment_set_upper (self->unit_adj, index);
  self->setting_unit = TRUE;
  gtk_adjustment_set_value (self->layer_adj, layer + 1);
  gtk_adjustment_set_value (self->unit_adj, index);
  self->setting_unit = FALSE;
  studio_workspace_select_unit (studio_view_get_workspace (STUDIO_VIEW (self)), layer, index);
  maybe_measure (self);
}

void
studio_inspector_view_get_unit (StudioInspectorView *self, guint *layer, guint *index)
{
  *layer = (guint) gtk_adjustment_get_value (self->layer_adj) - 1;
  *index = (guint) gtk_adjustment_get_value (self->unit_adj);
}

void
studio_inspector_view_set_modes (StudioInspectorView *self, const TgModes *modes)
{
  g_ptr_array_set_size (self->modes, 0);
  for (guint i = 0; modes != NULL && i < tg_modes_count (modes); i++)
    {
      const TgMode *mode = tg_modes_get (modes, i);
      InspectMode *m = g_atomic_rc_box_new0 (InspectMode);
      m->name = g_strdup (mode->name);
      m->model = tg_model_copy (mode->model);
      m->sharpness = mode->sharpness;
      g_ptr_array_add (self->modes, m);
    }
  self->modes_serial++;
  maybe_measure (self);
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
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  gboolean stale = self->figure != NULL &&
                   (!studio_time_model_is_current (self->measured, history) ||
                    self->measured_modes != self->modes_serial ||
                    g_strcmp0 (self->measured_dir,
                               studio_workspace_get_data_dir (
                                 studio_view_get_workspace (STUDIO_VIEW (self)))) != 0);
  return self->running || self->retry_source != 0 || stale ||
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
  return g_strdup (_("One hidden unit: its receptive field, τ and γ, firing per digit at 0° and at the target angle, the distribution of z − τ, the test images that drive it and its near misses, and the change of each logit when it is silenced."));
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
  g_clear_pointer (&self->measured, studio_time_model_unref);
  g_ptr_array_set_size (self->modes, 0);
  G_OBJECT_CLASS (studio_inspector_view_parent_class)->dispose (object);
}

static void
studio_inspector_view_finalize (GObject *object)
{
  StudioInspectorView *self = STUDIO_INSPECTOR_VIEW (object);
  g_clear_pointer (&self->figure, tg_unit_figure_free);
  g_clear_pointer (&self->measured, studio_time_model_unref);
  g_clear_pointer (&self->measured_dir, g_free);
  g_ptr_array_unref (self->modes);
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
  view_class->dup_csv = studio_inspector_view_data_csv;
  view_class->prepare_export = studio_inspector_view_prepare_export;
  view_class->history_changed = studio_inspector_view_history_changed;
  view_class->units_changed = studio_inspector_view_units_changed;
  view_class->workspace_changed = studio_inspector_view_workspace_changed;
  view_class->modes_changed = studio_inspector_view_modes_changed;
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
  self->modes = g_ptr_array_new_with_free_func (inspect_mode_unref);
  g_type_ensure (STUDIO_TYPE_ABLATION_PANEL);
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
}
