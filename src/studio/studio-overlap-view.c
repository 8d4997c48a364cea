/* SPDX-License-Identifier: MIT */
/* studio-overlap-view.c — the Overlap view over tg_plot_overlap. It compares the two
 * specialised models trained on demand (the window's win.run-overlap), or any two open modes
 * chosen above the figure, whose mean gates on their own angles are measured in a GTask
 * thread (tg-mode-pair.h); the Jaccard is recomputed here from the mean gates whenever the
 * on-threshold changes. A click on a unit's cell selects it for
 * the inspector, a shift-click toggles it in the ablation set; both are shown on the strips. */
#include "studio-overlap-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include "studio-view.h"
#include "studio-view-keys.h"
#include "tg-metrics.h"
#include "tg-mode-pair.h"
#include "tg-report.h"
#include "studio-task-hold.h"

struct _StudioOverlapView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkAdjustment  *threshold;
  GtkLabel       *summary;
  GtkBox         *set_box;
  GtkDropDown    *pair_a, *pair_b;
  GtkLabel       *pair_status;

  /* owned: the pair of open modes shown (names[0] NULL: the trained pair) */
  GtkStringList  *choices;       /* "Trained pair", then the open modes' names */
  gboolean        updating;      /* the choices are being rebuilt: not a user's pick */
  GCancellable   *measuring;
  char           *names[2];
  TgModel        *models[2];
  float          *gates[2];
  double          angles[2];
  const TgModes  *modes;         /* borrowed from the window, which says when it changes */
  gboolean        disposed;      /* a measurement ending later finds nothing to show */
};

G_DEFINE_FINAL_TYPE (StudioOverlapView, studio_overlap_view, STUDIO_TYPE_VIEW)

/* The figure's data and the storage it points into. */
typedef struct {
  const char   *labels[TG_MAX_LINEAR];
  char          names[TG_MAX_LINEAR][24];
  double        jaccard[TG_MAX_LINEAR], ref[TG_MAX_LINEAR];
  char          caption[600], title[200], target[80], first[80];
  guint8       *marks;    /* n_layers * n_units */
  TgOverlapData data;
} OverlapFigure;

/* The ablation marks and the selected unit on the strips; TRUE when a unit is marked. */
static gboolean
fill_marks (StudioOverlapView *self, OverlapFigure *fig, guint n_layers, guint units)
{
  TgOverlapData *data = &fig->data;
  gboolean any_mark = FALSE;

  fig->marks = g_new0 (guint8, MAX ((gsize) n_layers * units, 1));
  for (guint l = 0; l < n_layers; l++)
    for (guint u = 0; u < units; u++)
      fig->marks[(gsize) l * units + u] = studio_view_get_unit_mark (STUDIO_VIEW (self), l, u);
  data->marked = fig->marks;
  data->show_selected = studio_view_get_selected_unit (STUDIO_VIEW (self),
                                                       &data->selected_layer,
                                                       &data->selected_unit);
  for (gsize i = 0; i < (gsize) n_layers * units; i++)
    any_mark |= fig->marks[i] != TG_PLOT_MARK_NONE;
  return any_mark;
}

/* The pair of open modes: their mean gates on their own angles, Jaccard at the threshold,
 * and in the caption how far apart their tau and gamma are. */
static void
pair_figure_init (StudioOverlapView *self, OverlapFigure *fig, double thr)
{
  TgOverlapData *data = &fig->data;
  TgModePair pair;
  guint n_layers = tg_model_n_hidden (self->models[0]);

  tg_mode_pair_compare (self->models[0], self->gates[0], self->models[1], self->gates[1],
                        (float) thr, &pair, NULL);
  for (guint l = 0; l < n_layers; l++)
    {
      g_snprintf (fig->names[l], sizeof fig->names[l], "hidden %u", l + 1);
      fig->labels[l] = fig->names[l];
      fig->jaccard[l] = pair.jaccard[l];
      fig->ref[l] = NAN;
    }
  data->n_layers = n_layers;
  data->layer_labels = fig->labels;
  data->jaccard = fig->jaccard;
  data->threshold = thr;
  data->n_units = self->models[0]->dims[1];
  data->gate0 = self->gates[0];
  data->gate_rot = self->gates[1];
  g_strlcpy (fig->first, self->names[0], sizeof fig->first);
  g_strlcpy (fig->target, self->names[1], sizeof fig->target);
  data->first_label = fig->first;
  data->target_label = fig->target;
  g_snprintf (fig->title, sizeof fig->title, "Gate-mask overlap, %s vs %s", fig->first,
              fig->target);
  data->title = fig->title;
  GString *c = g_string_new (NULL);
  g_string_append_printf (c, "Two open modes of one foundation; a unit is on when its mean "
                          "soft gate over the test set rotated by its mode's angle (%g° and "
                          "%g°) exceeds %.2f. Mean |Δτ|", self->angles[0], self->angles[1], thr);
  for (guint l = 0; l < n_layers; l++)
    g_string_append_printf (c, "%s %.3g (max %.3g)", l ? "," : "", pair.dtau_mean[l],
                            pair.dtau_max[l]);
  g_string_append (c, "; mean |Δγ|");
  for (guint l = 0; l < n_layers; l++)
    g_string_append_printf (c, "%s %.3g (max %.3g)", l ? "," : "", pair.dgamma_mean[l],
                            pair.dgamma_max[l]);
  g_string_append (c, ", hidden 1 first.");
  g_strlcpy (fig->caption, c->str, sizeof fig->caption);
  g_string_free (c, TRUE);
  data->caption = fig->caption;
}

static void
overlap_figure_init (StudioOverlapView *self, OverlapFigure *fig)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  StudioSnapshot *snap = history != NULL ? studio_history_get_overlap (history) : NULL;
  double thr = gtk_adjustment_get_value (self->threshold);
  TgOverlapData *data = &fig->data;
  guint n_layers = snap != NULL ? MIN (snap->overlap_layers, TG_MAX_LINEAR) : 2;

  memset (fig, 0, sizeof *fig);
  if (self->gates[0] != NULL && self->gates[1] != NULL)
    {
      pair_figure_init (self, fig, thr);
      fill_marks (self, fig, fig->data.n_layers, fig->data.n_units);
      return;
    }
  for (guint l = 0; l < n_layers; l++)
    {
      g_snprintf (fig->names[l], sizeof fig->names[l], "hidden %u", l + 1);
      fig->labels[l] = fig->names[l];
      fig->jaccard[l] = NAN;
      fig->ref[l] = l < 2 ? tg_paper_jaccard[l][0] : NAN;
    }
  data->n_layers = n_layers;
  data->layer_labels = fig->labels;
  data->jaccard = fig->jaccard;
  data->ref = fig->ref;
  data->ref_label = "paper";
  data->threshold = thr;
  g_snprintf (fig->title, sizeof fig->title, "Gate-mask overlap, 0° vs %g° TauGate",
              snap != NULL ? snap->angle : 45.0);
  data->title = fig->title;
  g_snprintf (fig->target, sizeof fig->target, "%g°", snap != NULL ? snap->angle : 45.0);
  data->target_label = fig->target;

  if (snap != NULL && snap->overlap_gate0 != NULL)
    {
      guint units = snap->overlap_units;
      for (guint l = 0; l < n_layers; l++)
        fig->jaccard[l] = tg_jaccard (snap->overlap_gate0 + l * units,
                                      snap->overlap_gate_rot + l * units, units, (float) thr);
      data->n_units = units;
      data->gate0 = snap->overlap_gate0;
      data->gate_rot = snap->overlap_gate_rot;
      gboolean any_mark = fill_marks (self, fig, n_layers, units);
      g_snprintf (fig->caption, sizeof fig->caption,
                  "TauGate specialised to 0° and to %g° from the same foundation (seed %"
                  G_GUINT64_FORMAT "); a unit is on when its mean soft gate over its own mode's "
                  "test set exceeds %.2f. Markers: the paper's Table 3.%s",
                  snap->angle, snap->seed, thr,
                  any_mark ? " Ablation set: × silenced, • forced on." : "");
    }
  else
    g_snprintf (fig->caption, sizeof fig->caption,
                _("Press “Train 0° and Rotated Models” to specialise TauGate to both modes from "
                "the same foundation."));
  data->caption = fig->caption;
}

static void
studio_overlap_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                 const TgPlotStyle *style, gboolean for_export)
{
  OverlapFigure fig;
  overlap_figure_init (STUDIO_OVERLAP_VIEW (view), &fig);
  tg_plot_overlap (cr, width, height, &fig.data, style);
  g_free (fig.marks);
}

static char *
studio_overlap_view_dup_csv (StudioView *view)
{
  OverlapFigure fig;
  overlap_figure_init (STUDIO_OVERLAP_VIEW (view), &fig);
  g_free (fig.marks);
  return tg_plot_overlap_csv (&fig.data);
}

gboolean
studio_overlap_view_click (StudioOverlapView *self, double x, double y, gboolean shift)
{
  OverlapFigure fig;
  TgPlotStyle style;
  guint layer, unit;
  studio_widget_plot_style (GTK_WIDGET (self->area), &style);
  overlap_figure_init (self, &fig);
  gboolean hit = tg_plot_overlap_hit (gtk_widget_get_width (GTK_WIDGET (self->area)),
                                      gtk_widget_get_height (GTK_WIDGET (self->area)),
                                      &fig.data, &style, x, y, &layer, &unit);
  g_free (fig.marks);
  if (!hit)
    return FALSE;
  if (shift)
    studio_view_toggle_unit (STUDIO_VIEW (self), layer, unit);
  else
    studio_view_select_unit (STUDIO_VIEW (self), layer, unit);
  return TRUE;
}

static void
pressed_cb (GtkGestureClick *click, int n_press, double x, double y, StudioOverlapView *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (click));
  studio_overlap_view_click (self, x, y, (state & GDK_SHIFT_MASK) != 0);
}

static void
update_summary (StudioOverlapView *self)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  StudioSnapshot *snap = history != NULL ? studio_history_get_overlap (history) : NULL;
  double thr = gtk_adjustment_get_value (self->threshold);
  if (self->gates[0] != NULL && self->gates[1] != NULL)
    {
      TgModePair pair;
      GString *s = g_string_new ("Jaccard");
      tg_mode_pair_compare (self->models[0], self->gates[0], self->models[1], self->gates[1],
                            (float) thr, &pair, NULL);
      for (guint l = 0; l < pair.n_layers; l++)
        g_string_append_printf (s, " · hidden %u %.3f", l + 1, pair.jaccard[l]);
      gtk_label_set_text (self->summary, s->str);
      g_string_free (s, TRUE);
      return;
    }
  if (snap == NULL || snap->overlap_gate0 == NULL)
    {
      gtk_label_set_text (self->summary, "");
      return;
    }
  GString *s = g_string_new ("Jaccard");
  double sum = 0;
  for (guint l = 0; l < snap->overlap_layers; l++)
    {
      double j = tg_jaccard (snap->overlap_gate0 + l * snap->overlap_units,
                             snap->overlap_gate_rot + l * snap->overlap_units,
                             snap->overlap_units, (float) thr);
      sum += j;
      g_string_append_printf (s, _(" · hidden %u %.3f"), l + 1, j);
    }
  g_string_append_printf (s, _(" · average %.3f (paper %.2f)"), sum / MAX (snap->overlap_layers, 1),
                          tg_paper_jaccard[2][0]);
  gtk_label_set_text (self->summary, s->str);
  g_string_free (s, TRUE);
}

/* ---- any two open modes ------------------------------------------------------------------ */

typedef struct {
  TgModel *models[2];
  float    sharpness[2];
  double   angles[2];
  char    *names[2];
  float   *gates[2];
  StudioTestSet  *test_set;    /* the workspace's, held until the job is done */
  StudioTaskHold *hold;
} PairJob;

static void
pair_job_free (PairJob *job)
{
  for (guint k = 0; k < 2; k++)
    {
      tg_model_free (job->models[k]);
      g_free (job->names[k]);
      g_free (job->gates[k]);
    }
  g_clear_pointer (&job->test_set, studio_test_set_unref);
  studio_task_hold_release (job->hold);
  g_free (job);
}

static void
pair_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  PairJob *job = data;
  GError *error = NULL;
  const TgDataset *test = job->test_set->data;

  for (guint k = 0; k < 2 && error == NULL; k++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        break;
      job->gates[k] = tg_mode_own_gates (job->models[k], job->sharpness[k], test,
                                         job->angles[k], &error);
      if (error != NULL)
        g_prefix_error (&error, "“%s”: ", job->names[k]);
    }
  if (error == NULL)
    {
      TgModePair pair;
      tg_mode_pair_compare (job->models[0], job->gates[0], job->models[1], job->gates[1],
                            0.9f, &pair, &error);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_pair (StudioOverlapView *self)
{
  for (guint k = 0; k < 2; k++)
    {
      g_clear_pointer (&self->names[k], g_free);
      g_clear_pointer (&self->models[k], tg_model_free);
      g_clear_pointer (&self->gates[k], g_free);
    }
}

static void
pair_done (GObject *source, GAsyncResult *result, gpointer data)
{
  StudioOverlapView *self = STUDIO_OVERLAP_VIEW (source);
  PairJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (self->disposed)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_object (&self->measuring);
          gtk_label_set_text (self->pair_status, error->message);
        }
      return;
    }
  g_clear_object (&self->measuring);
  clear_pair (self);
  for (guint k = 0; k < 2; k++)
    {
      self->names[k] = g_steal_pointer (&job->names[k]);
      self->models[k] = g_steal_pointer (&job->models[k]);
      self->gates[k] = g_steal_pointer (&job->gates[k]);
      self->angles[k] = job->angles[k];
    }
  gtk_label_set_text (self->pair_status, "");
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* The pair chosen in the drop-downs: measured, or (either on the trained pair) the trained
 * pair shown. */
static void
pair_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, StudioOverlapView *self)
{
  guint sel[2] = { gtk_drop_down_get_selected (self->pair_a),
                   gtk_drop_down_get_selected (self->pair_b) };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->choices));

  if (self->updating || self->disposed)
    return;
  if (self->measuring != NULL)
    g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  if (sel[0] == 0 || sel[1] == 0 || sel[0] >= n || sel[1] >= n || self->modes == NULL)
    {
      clear_pair (self);
      gtk_label_set_text (self->pair_status, "");
      update_summary (self);
      gtk_widget_queue_draw (GTK_WIDGET (self->area));
      return;
    }
  g_autoptr (GError) error = NULL;
  StudioTestSet *test_set = studio_workspace_dup_test_set (
    studio_view_get_workspace (STUDIO_VIEW (self)), &error);
  if (test_set == NULL)
    {
      gtk_label_set_text (self->pair_status, error->message);
      return;
    }
  PairJob *job = g_new0 (PairJob, 1);
  job->test_set = test_set;
  job->hold = studio_task_hold_new ();
  for (guint k = 0; k < 2; k++)
    {
      const TgMode *mode = tg_modes_get (self->modes, sel[k] - 1);
      job->models[k] = tg_model_copy (mode->model);
      job->sharpness[k] = mode->sharpness;
      job->angles[k] = isfinite (mode->target_angle) ? mode->target_angle : 0.0;
      job->names[k] = g_strdup (mode->name);
    }
  gtk_label_set_text (self->pair_status, "Measuring the two modes’ gates…");
  self->measuring = g_cancellable_new ();
  g_autoptr (GTask) task = g_task_new (self, self->measuring, pair_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) pair_job_free);
  g_task_run_in_thread (task, pair_thread);
}

void
studio_overlap_view_set_modes (StudioOverlapView *self, const TgModes *modes)
{
  if (self->disposed)
    return;
  g_autofree char *keep_a = g_strdup (self->names[0]);
  g_autofree char *keep_b = g_strdup (self->names[1]);
  const char *keep[2] = { keep_a, keep_b };
  guint sel[2] = { 0, 0 };
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->choices));

  self->modes = modes;
  self->updating = TRUE;
  gtk_string_list_splice (self->choices, 1, old - 1, NULL);
  for (guint i = 0; modes != NULL && i < tg_modes_count (modes); i++)
    {
      const char *name = tg_modes_get (modes, i)->name;
      gtk_string_list_append (self->choices, name);
      for (guint k = 0; k < 2; k++)
        if (g_strcmp0 (keep[k], name) == 0)
          sel[k] = i + 1;
    }
  gtk_drop_down_set_selected (self->pair_a, sel[0]);
  gtk_drop_down_set_selected (self->pair_b, sel[1]);
  self->updating = FALSE;
  pair_selected_cb (self->pair_a, NULL, self);
}

gboolean
studio_overlap_view_compare (StudioOverlapView *self, guint a, guint b)
{
  if (self->modes == NULL || a >= tg_modes_count (self->modes) ||
      b >= tg_modes_count (self->modes))
    return FALSE;
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->pair_a, a + 1);
  gtk_drop_down_set_selected (self->pair_b, b + 1);
  self->updating = FALSE;
  pair_selected_cb (self->pair_a, NULL, self);
  return TRUE;
}

gboolean
studio_overlap_view_is_busy (StudioOverlapView *self)
{
  return self->measuring != NULL;
}

const char *
studio_overlap_view_get_pair_status (StudioOverlapView *self)
{
  return gtk_label_get_text (self->pair_status);
}

const char *
studio_overlap_view_get_summary (StudioOverlapView *self)
{
  return gtk_label_get_text (self->summary);
}

static void
studio_overlap_view_dispose (GObject *object)
{
  StudioOverlapView *self = STUDIO_OVERLAP_VIEW (object);
  self->disposed = TRUE;
  if (self->measuring != NULL)
    g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  clear_pair (self);
  g_clear_object (&self->choices);
  G_OBJECT_CLASS (studio_overlap_view_parent_class)->dispose (object);
}

static void
threshold_changed_cb (GtkAdjustment *adj, StudioOverlapView *self)
{
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
studio_overlap_view_history_changed (StudioView *view)
{
  update_summary (STUDIO_OVERLAP_VIEW (view));
}

/* The keys' view of the figure: a strip of units per layer, by index, top to bottom. */
static gboolean
overlap_unit_grid (StudioView *view, StudioUnitGrid *grid)
{
  StudioHistory *history = studio_view_get_history (view);
  StudioSnapshot *snap = history != NULL ? studio_history_get_overlap (history) : NULL;

  if (snap == NULL || snap->overlap_gate0 == NULL)
    return FALSE;
  grid->n_layers = MIN (snap->overlap_layers, TG_MAX_LINEAR);
  for (guint l = 0; l < grid->n_layers; l++)
    grid->widths[l] = snap->overlap_units;
  return TRUE;
}

GtkWidget *
studio_overlap_view_new (void)
{
  return g_object_new (STUDIO_TYPE_OVERLAP_VIEW, NULL);
}

static char *
studio_overlap_view_describe (StudioView *view)
{
  return g_strdup (_("The mean gate per hidden unit of TauGate specialised to 0° and to the rotated angle, and how much their on-sets overlap."));
}

static void
studio_overlap_view_modes_changed (StudioView *view, const TgModes *modes)
{
  studio_overlap_view_set_modes (STUDIO_OVERLAP_VIEW (view), modes);
}

static void
studio_overlap_view_class_init (StudioOverlapViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = studio_overlap_view_dispose;
  view_class->draw_figure = studio_overlap_view_draw_figure;
  view_class->modes_changed = studio_overlap_view_modes_changed;
  view_class->describe = studio_overlap_view_describe;
  view_class->dup_csv = studio_overlap_view_dup_csv;
  view_class->history_changed = studio_overlap_view_history_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-overlap-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, threshold);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, summary);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, set_box);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, pair_a);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, pair_b);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, pair_status);
  gtk_widget_class_bind_template_callback (widget_class, threshold_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, pair_selected_cb);
}

static void
studio_overlap_view_init (StudioOverlapView *self)
{
  self->choices = gtk_string_list_new ((const char *const[]) { "Trained pair", NULL });
  gtk_widget_init_template (GTK_WIDGET (self));
  self->updating = TRUE;
  gtk_drop_down_set_model (self->pair_a, G_LIST_MODEL (self->choices));
  gtk_drop_down_set_model (self->pair_b, G_LIST_MODEL (self->choices));
  self->updating = FALSE;
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  gtk_box_append (self->set_box, studio_view_get_set_bar (STUDIO_VIEW (self)));
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (click));
  studio_view_add_unit_keys (STUDIO_VIEW (self), GTK_WIDGET (self->area), overlap_unit_grid);
}
