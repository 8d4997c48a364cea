/* studio-dynamics-view.c — the Dynamics view over tg_plot_dynamics: the current run's gate
 * points from the history, as the renderer's arrays. */
#include "studio-dynamics-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include "studio-view.h"

struct _StudioDynamicsView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
};

G_DEFINE_FINAL_TYPE (StudioDynamicsView, studio_dynamics_view, STUDIO_TYPE_VIEW)

/* The figure's data and the arrays it points into. */
typedef struct {
  TgDynamicsLayer layers[TG_MAX_LINEAR];
  char            labels[TG_MAX_LINEAR][32];
  GArray         *values;    /* double: step, high_act, then 5 series per layer */
  GArray         *markers;   /* TgPlotMarker */
  char            target[48], caption[512];
  TgDynamicsData  data;
} DynamicsFigure;

static void
dynamics_figure_clear (DynamicsFigure *fig)
{
  g_clear_pointer (&fig->values, g_array_unref);
  g_clear_pointer (&fig->markers, g_array_unref);
}

static void
dynamics_figure_fill (DynamicsFigure *fig, StudioHistory *history)
{
  const StudioRun *run = history != NULL ? studio_history_get_current (history) : NULL;
  guint n = run != NULL ? run->gates->len : 0;
  guint n_layers = n > 0 ? g_array_index (run->gates, StudioGatePoint, 0).n_layers : 0;

  memset (fig, 0, sizeof *fig);
  fig->markers = g_array_new (FALSE, FALSE, sizeof (TgPlotMarker));
  fig->values = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (fig->values, (gsize) n * (2 + 5 * n_layers));
  double *v = (double *) fig->values->data;
  double *step = v, *high = v + n;

  for (guint l = 0; l < n_layers; l++)
    {
      double *base = v + (gsize) n * (2 + 5 * l);
      g_snprintf (fig->labels[l], sizeof fig->labels[l], "hidden %u", l + 1);
      fig->layers[l] = (TgDynamicsLayer) { fig->labels[l], base, base + n, base + 2 * n,
                                           base + 3 * n, base + 4 * n };
    }
  for (guint i = 0; i < n; i++)
    {
      const StudioGatePoint *gp = &g_array_index (run->gates, StudioGatePoint, i);
      step[i] = gp->step;
      high[i] = gp->high_act;
      for (guint l = 0; l < n_layers; l++)
        {
          double *base = v + (gsize) n * (2 + 5 * l);
          gboolean has = l < gp->n_layers;
          base[i] = has ? gp->mean_gate0[l] : NAN;
          base[n + i] = has ? gp->mean_gate_rot[l] : NAN;
          base[2 * n + i] = has ? gp->units_on0[l] : NAN;
          base[3 * n + i] = has ? gp->units_on_rot[l] : NAN;
          base[4 * n + i] = has ? gp->jaccard[l] : NAN;
        }
    }
  for (guint m = 0; run != NULL && m < run->markers->len; m++)
    {
      const StudioMarker *mk = &g_array_index (run->markers, StudioMarker, m);
      TgPlotMarker pm = { mk->step, mk->label };
      g_array_append_val (fig->markers, pm);
    }

  g_snprintf (fig->target, sizeof fig->target, "%g° inputs", run != NULL ? run->angle : 45.0);
  if (run != NULL)
    g_snprintf (fig->caption, sizeof fig->caption,
                "%s: per hidden layer, the mean soft gate σ(s(z − τ)) and the number of units "
                "with z > τ per image on the first %u test images of each mode, the fraction of "
                "soft gates > 0.9 on 256 training images, and the Jaccard of the units on "
                "(mean gate > 0.9) at 0° and at the target; measured with the masks. Dotted "
                "vertical lines: changes of s, λ, lr or gates.", run->name, run->eval_samples);
  fig->data = (TgDynamicsData) {
    .n_points = n, .step = step, .high_act = high,
    .n_layers = n_layers, .layers = fig->layers,
    .n_markers = fig->markers->len, .markers = (const TgPlotMarker *) fig->markers->data,
    .target_label = fig->target,
    .title = "Gate dynamics",
    .caption = run != NULL ? fig->caption
                           : _("Start training: the gates are measured as it runs."),
  };
}

static void
studio_dynamics_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                  const TgPlotStyle *style, gboolean for_export)
{
  DynamicsFigure fig;
  dynamics_figure_fill (&fig, studio_view_get_history (view));
  if (for_export)
    tg_plot_dynamics_exclude (&fig.data, fig.layers, studio_view_get_export_excluded (view));
  tg_plot_dynamics (cr, width, height, &fig.data, style);
  dynamics_figure_clear (&fig);
}

static char *
studio_dynamics_view_data_csv (StudioView *view)
{
  DynamicsFigure fig;
  dynamics_figure_fill (&fig, studio_view_get_history (view));
  tg_plot_dynamics_exclude (&fig.data, fig.layers, studio_view_get_export_excluded (view));
  char *csv = tg_plot_dynamics_csv (&fig.data);
  dynamics_figure_clear (&fig);
  return csv;
}

/* The hidden layers (a colour each), which an export may leave out. */
static char **
studio_dynamics_view_list_series (StudioView *view)
{
  DynamicsFigure fig;
  dynamics_figure_fill (&fig, studio_view_get_history (view));
  char **names = g_new0 (char *, fig.data.n_layers + 1);
  for (guint l = 0; l < fig.data.n_layers; l++)
    names[l] = g_strdup (fig.layers[l].label);
  dynamics_figure_clear (&fig);
  return names;
}

static char *
studio_dynamics_view_describe (StudioView *view)
{
  return g_strdup (_("Gate dynamics against the step: mean gate, units on, high-activation "
                   "fraction and the 0°/target Jaccard per hidden layer, with the changes of "
                   "s and λ marked."));
}

GtkWidget *
studio_dynamics_view_new (void)
{
  return g_object_new (STUDIO_TYPE_DYNAMICS_VIEW, NULL);
}

static void
studio_dynamics_view_class_init (StudioDynamicsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  view_class->draw_figure = studio_dynamics_view_draw_figure;
  view_class->describe = studio_dynamics_view_describe;
  view_class->dup_csv = studio_dynamics_view_data_csv;
  view_class->list_series = studio_dynamics_view_list_series;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-dynamics-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioDynamicsView, area);
}

static void
studio_dynamics_view_init (StudioDynamicsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
}
