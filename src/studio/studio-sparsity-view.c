/* studio-sparsity-view.c — the Sparsity view over tg_plot_sparsity: the frontier of the last
 * lambda sweep (the window's win.run-sweep runs it in the worker), the current run as a
 * diamond that moves as it trains, and in the summary the batch-1 speedup measured for the
 * model the last train job finished. */
#include "studio-sparsity-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include "tg-csv.h"
#include "tg-report.h"

struct _StudioSparsityView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkLabel       *summary;
};

G_DEFINE_FINAL_TYPE (StudioSparsityView, studio_sparsity_view, STUDIO_TYPE_VIEW)

/* One TgSparsityPoint per (lambda, s) of res: mean and std over the seeds (the points come
 * lambda-major, then s, then seed), as `taugate sweep` draws them. */
static GArray *
frontier_points (const TgSweepResults *res)
{
  guint seeds = MAX (res->config.protocol.seeds, 1);
  GArray *out = g_array_new (FALSE, TRUE, sizeof (TgSparsityPoint));
  g_autofree double *on = g_new (double, seeds), *acc = g_new (double, seeds);
  g_autofree double *gap = g_new (double, seeds), *speed = g_new (double, seeds);

  for (guint k = 0; k + seeds <= res->points->len; k += seeds)
    {
      TgSparsityPoint sp = { 0 };
      double unused;
      for (guint j = 0; j < seeds; j++)
        {
          const TgSweepPoint *p = &g_array_index (res->points, TgSweepPoint, k + j);
          sp.lambda = p->lambda;
          sp.sharpness = p->sharpness;
          on[j] = 0.0;
          for (guint l = 0; l < p->n_layers; l++)
            on[j] += p->on_frac[l] / p->n_layers;
          acc[j] = p->acc_rot_hard;
          gap[j] = p->acc_rot_soft - p->acc_rot_hard;
          speed[j] = p->speedup;
        }
      tg_mean_std (on, seeds, &sp.on_frac, &sp.on_frac_std);
      tg_mean_std (acc, seeds, &sp.acc, &sp.acc_std);
      tg_mean_std (gap, seeds, &sp.gap, &sp.gap_std);
      tg_mean_std (speed, seeds, &sp.speedup, &unused);
      g_array_append_val (out, sp);
    }
  return out;
}

gboolean
studio_sparsity_current_point (StudioHistory *history, TgSparsityPoint *out)
{
  const StudioRun *run = studio_history_get_current (history);
  StudioSnapshot *masks = studio_history_get_masks (history);

  *out = (TgSparsityPoint) { .acc = NAN, .on_frac = NAN, .gap = NAN, .speedup = NAN,
                            .sharpness = NAN };
  if (run == NULL || masks == NULL || masks->run_id != run->id ||
      !tg_method_info (run->method)->gated || masks->firing_rot_hard == NULL)
    return FALSE;
  double sum = 0.0;
  guint n = masks->n_classes * masks->hidden_units;
  for (guint i = 0; i < n; i++)
    sum += masks->firing_rot_hard[i];
  out->on_frac = n > 0 ? sum / n : NAN;
  out->acc = run->final_acc_rot;
  for (guint i = run->acc_rot->len; i > 0 && !isfinite (out->acc); i--)
    out->acc = g_array_index (run->acc_rot, double, i - 1);
  out->lambda = run->lambda;
  out->speedup = run->sparse_speedup;
  return isfinite (out->on_frac) && isfinite (out->acc);
}

/* The figure's data and what it points into. */
typedef struct {
  GArray          *pts;
  TgSparsityPoint  current;
  char            *acc_label, *caption, *current_label;
  TgSparsityData   data;
} SparsityFigure;

static void
sparsity_figure_init (StudioSparsityView *self, SparsityFigure *fig)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  const TgSweepResults *res = history != NULL ? studio_history_get_sweep (history) : NULL;
  const StudioRun *run = history != NULL ? studio_history_get_current (history) : NULL;
  gboolean has_current = history != NULL &&
                         studio_sparsity_current_point (history, &fig->current);
  double angle = run != NULL ? run->angle : res != NULL ? res->config.protocol.angle : 45.0;

  fig->pts = res != NULL ? frontier_points (res) : NULL;
  fig->acc_label = g_strdup_printf ("accuracy at %g°, hard gates", angle);
  fig->current_label = has_current ? g_strdup_printf ("%s (λ %g; last accuracy measured)",
                                                      run->name, fig->current.lambda)
                                   : NULL;
  if (res != NULL)
    fig->caption = g_strdup_printf (
        "TauGate specialised to %g° for each sparsity penalty λ at s = %g from the same "
        "foundation; mean ± std over %u seed%s; label: λ and the measured batch-1 speedup of "
        "the sparse forward over the dense one (one core). Diamond: the run being trained, "
        "its units on and accuracy at its latest measurement.",
        res->config.protocol.angle, res->sharpness[0], res->config.protocol.seeds,
        res->config.protocol.seeds == 1 ? "" : "s");
  else
    fig->caption = g_strdup (
        _("Press “Run λ Sweep” to train TauGate for each λ from one foundation and time its "
        "sparse forward. Diamond: the run being trained, its fraction of units on (hard "
        "gates) and its accuracy at its latest measurement."));
  fig->data = (TgSparsityData) {
    .n_points = fig->pts != NULL ? fig->pts->len : 0,
    .points = fig->pts != NULL ? (const TgSparsityPoint *) fig->pts->data : NULL,
    .acc_label = fig->acc_label,
    .caption = fig->caption,
    .current = has_current ? &fig->current : NULL,
    .current_label = fig->current_label,
  };
}

static void
sparsity_figure_clear (SparsityFigure *fig)
{
  g_clear_pointer (&fig->pts, g_array_unref);
  g_clear_pointer (&fig->acc_label, g_free);
  g_clear_pointer (&fig->caption, g_free);
  g_clear_pointer (&fig->current_label, g_free);
}

static void
studio_sparsity_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                  const TgPlotStyle *style, gboolean for_export)
{
  SparsityFigure fig;
  sparsity_figure_init (STUDIO_SPARSITY_VIEW (view), &fig);
  tg_plot_sparsity (cr, width, height, &fig.data, style);
  sparsity_figure_clear (&fig);
}

static void
csv_point (TgCsv *csv, const char *what, const TgSparsityPoint *p)
{
  const double v[] = { p->lambda, p->sharpness, p->on_frac, p->on_frac_std, p->acc, p->acc_std,
                       p->gap, p->gap_std, p->speedup };
  tg_csv_text (csv, what);
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    tg_csv_number (csv, "%.17g", v[i]);
  tg_csv_end_row (csv);
}

/* point,lambda,sharpness,on_frac,on_frac_std,acc,acc_std,gap,gap_std,speedup: one row per
 * point of the frontier ("sweep") and the current run ("current"); empty: not measured. */
static char *
studio_sparsity_view_dup_csv (StudioView *view)
{
  SparsityFigure fig;
  TgCsv *csv = tg_csv_new ("point,lambda,sharpness,on_frac,on_frac_std,acc,acc_std,gap,"
                           "gap_std,speedup");
  sparsity_figure_init (STUDIO_SPARSITY_VIEW (view), &fig);
  for (guint i = 0; i < fig.data.n_points; i++)
    csv_point (csv, "sweep", &fig.data.points[i]);
  if (fig.data.current != NULL)
    csv_point (csv, "current", fig.data.current);
  sparsity_figure_clear (&fig);
  return tg_csv_free_to_text (csv);
}

static void
update_summary (StudioSparsityView *self)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));
  const StudioRun *run = history != NULL ? studio_history_get_current (history) : NULL;

  if (run == NULL || !isfinite (run->sparse_speedup))
    {
      gtk_label_set_text (self->summary, run != NULL && !run->finished
                                         ? "speedup: measured when the run finishes" : "");
      return;
    }
  g_autofree char *text = g_strdup_printf (
      "%s: batch-1 sparse forward %.2f× the dense one · %.0f of %.0f multiply-adds per image",
      run->name, run->sparse_speedup, run->sparse_madds, run->dense_madds);
  gtk_label_set_text (self->summary, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary), text);
}

static void
studio_sparsity_view_history_changed (StudioView *view)
{
  update_summary (STUDIO_SPARSITY_VIEW (view));
}

static char *
studio_sparsity_view_describe (StudioView *view)
{
  return g_strdup (_("Accuracy against the fraction of hidden units on for TauGate over a sweep of the sparsity penalty λ, with the measured batch-1 speedup of the sparse forward, and the current run as a moving point."));
}

GtkWidget *
studio_sparsity_view_new (void)
{
  return g_object_new (STUDIO_TYPE_SPARSITY_VIEW, NULL);
}

static void
studio_sparsity_view_class_init (StudioSparsityViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  view_class->draw_figure = studio_sparsity_view_draw_figure;
  view_class->describe = studio_sparsity_view_describe;
  view_class->dup_csv = studio_sparsity_view_dup_csv;
  view_class->history_changed = studio_sparsity_view_history_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-sparsity-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioSparsityView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioSparsityView, summary);
}

static void
studio_sparsity_view_init (StudioSparsityView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
}
