/* studio-overlap-view.c — the Overlap view over tg_plot_overlap. The two specialised models
 * are trained on demand (the window's win.run-overlap); the Jaccard is recomputed here from
 * their mean gates whenever the on-threshold changes. A click on a unit's cell selects it for
 * the inspector, a shift-click toggles it in the ablation set; both are shown on the strips. */
#include "studio-overlap-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include "studio-view.h"
#include "studio-view-keys.h"
#include "tg-metrics.h"
#include "tg-report.h"

struct _StudioOverlapView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkAdjustment  *threshold;
  GtkLabel       *summary;
  GtkBox         *set_box;
};

G_DEFINE_FINAL_TYPE (StudioOverlapView, studio_overlap_view, STUDIO_TYPE_VIEW)

/* The figure's data and the storage it points into. */
typedef struct {
  const char   *labels[TG_MAX_LINEAR];
  char          names[TG_MAX_LINEAR][24];
  double        jaccard[TG_MAX_LINEAR], ref[TG_MAX_LINEAR];
  char          caption[400], title[96], target[32];
  guint8       *marks;    /* n_layers * n_units */
  TgOverlapData data;
} OverlapFigure;

static void
overlap_figure_init (StudioOverlapView *self, OverlapFigure *fig)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  StudioSnapshot *snap = history != NULL ? studio_history_get_overlap (history) : NULL;
  double thr = gtk_adjustment_get_value (self->threshold);
  TgOverlapData *data = &fig->data;
  guint n_layers = snap != NULL ? MIN (snap->overlap_layers, TG_MAX_LINEAR) : 2;

  memset (fig, 0, sizeof *fig);
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
      fig->marks = g_new0 (guint8, MAX ((gsize) n_layers * units, 1));
      for (guint l = 0; l < n_layers; l++)
        for (guint u = 0; u < units; u++)
          fig->marks[(gsize) l * units + u] = studio_view_get_unit_mark (STUDIO_VIEW (self), l, u);
      data->marked = fig->marks;
      data->show_selected = studio_view_get_selected_unit (STUDIO_VIEW (self),
                                                           &data->selected_layer,
                                                           &data->selected_unit);
      gboolean any_mark = FALSE;
      for (gsize i = 0; i < (gsize) n_layers * units; i++)
        any_mark |= fig->marks[i] != TG_PLOT_MARK_NONE;
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
studio_overlap_view_class_init (StudioOverlapViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  view_class->draw_figure = studio_overlap_view_draw_figure;
  view_class->describe = studio_overlap_view_describe;
  view_class->dup_csv = studio_overlap_view_dup_csv;
  view_class->history_changed = studio_overlap_view_history_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-overlap-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, threshold);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, summary);
  gtk_widget_class_bind_template_child (widget_class, StudioOverlapView, set_box);
  gtk_widget_class_bind_template_callback (widget_class, threshold_changed_cb);
}

static void
studio_overlap_view_init (StudioOverlapView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  gtk_box_append (self->set_box, studio_view_get_set_bar (STUDIO_VIEW (self)));
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (click));
  studio_view_add_unit_keys (STUDIO_VIEW (self), GTK_WIDGET (self->area), overlap_unit_grid);
}
