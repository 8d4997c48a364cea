/* studio-curves-view.c — the Curves view over tg_plot_curves. */
#include "studio-curves-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include "studio-view.h"

#define MAX_RUNS 7      /* overlaid (+1 series: 8 colours); older runs leave the figure, not the history */
#define MAX_POINTS 1200 /* per run on the figure; more are averaged in buckets */

struct _StudioCurvesView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkAdjustment  *smoothing;
  GtkLabel       *readout;
};

G_DEFINE_FINAL_TYPE (StudioCurvesView, studio_curves_view, STUDIO_TYPE_VIEW)

typedef struct {
  TgCurveRun   runs[MAX_RUNS + 1];  /* + the newest run's whole-test-set points;
                                     * the active mode takes a run's place */
  guint        run_ids[MAX_RUNS + 1]; /* per series: the run's id; 0 for the whole test set
                                       * and for the active mode */
  char         full_name[160];
  /* the active mode's evaluation (Modes panel), as a level line per angle: its two ends */
  const StudioSnapshot *mode;
  double       mode_step[2], mode_acc0[2], mode_acc_rot[2];
  char         mode_name[200];
  char         mode_caption[480];
  GArray      *buckets[MAX_RUNS]; /* step, loss, acc0, acc_rot of a long run, averaged */
  TgPlotPhase  phases[2];
  GArray      *markers;
  char         phase_label[2][48];
  char         caption[160];
  char         target[32];
  TgCurvesData data;
} CurvesFigure;

static void curves_figure_clear (CurvesFigure *fig);
static void curves_figure_init (StudioCurvesView *self, CurvesFigure *fig);

/* A long run on the figure: the mean loss of each bucket of k steps, and the accuracy
 * measured in it, at the bucket's last step; the drawing cost stays flat. Returns the
 * buckets cr points into (step, loss, acc0, acc_rot; the caller owns them). */
static GArray *
bucket_run (const StudioRun *run, TgCurveRun *cr)
{
  guint k = (run->step->len + MAX_POINTS - 1) / MAX_POINTS;
  guint nb = (run->step->len + k - 1) / k;
  GArray *b = g_array_sized_new (FALSE, FALSE, sizeof (double), 4 * nb);
  g_array_set_size (b, 4 * nb);
  double *bs = (double *) b->data, *bl = bs + nb, *b0 = bl + nb, *b_rot = b0 + nb;

  for (guint j = 0; j < nb; j++)
    {
      double sum = 0;
      guint cnt = 0;
      bs[j] = bl[j] = b0[j] = b_rot[j] = NAN;
      for (guint i = j * k; i < MIN ((j + 1) * k, run->step->len); i++)
        {
          double l = g_array_index (run->loss, double, i);
          double a0 = g_array_index (run->acc0, double, i);
          double a_rot = g_array_index (run->acc_rot, double, i);
          bs[j] = g_array_index (run->step, double, i);
          if (!isnan (l))
            {
              sum += l;
              cnt++;
            }
          if (!isnan (a0))
            b0[j] = a0;
          if (!isnan (a_rot))
            b_rot[j] = a_rot;
        }
      bl[j] = cnt > 0 ? sum / cnt : NAN;
    }
  cr->n_points = nb;
  cr->step = bs;
  cr->loss = bl;
  cr->acc0 = b0;
  cr->acc_rot = b_rot;
  return b;
}

/* The runs with points (a run that failed before its first step has no curve and no legend
 * entry), each with the setting changes it was trained through. */
/* The active mode's accuracy at 0° and at its angle, shown without training (a mode picked
 * in the Modes panel): level lines over the newest run's adaptation, at the right of its
 * curves, or over [0, 1] when nothing was trained here; named after the mode. */
static void
add_mode (CurvesFigure *fig, const StudioRun *newest)
{
  const StudioSnapshot *mode = fig->mode;
  TgCurveRun *cr = &fig->runs[fig->data.n_runs];

  if (newest != NULL && newest->step->len > 0)
    {
      double last = g_array_index (newest->step, double, newest->step->len - 1);
      fig->mode_step[0] = MIN ((double) newest->foundation_steps, last);
      fig->mode_step[1] = MAX ((double) newest->total_steps, last);
    }
  else
    {
      fig->mode_step[0] = 0.0;
      fig->mode_step[1] = 1.0;
    }
  fig->mode_acc0[0] = fig->mode_acc0[1] = mode->final_acc0;
  fig->mode_acc_rot[0] = fig->mode_acc_rot[1] = mode->final_acc_rot;
  g_snprintf (fig->mode_name, sizeof fig->mode_name, "mode “%s”: %.1f%% at 0°, %.1f%% at %g°",
              mode->mode_name, 100.0 * mode->final_acc0, 100.0 * mode->final_acc_rot,
              mode->angle);
  cr->name = fig->mode_name;
  cr->n_points = 2;
  cr->step = fig->mode_step;
  cr->loss = NULL;
  cr->acc0 = fig->mode_acc0;
  cr->acc_rot = fig->mode_acc_rot;
  fig->run_ids[fig->data.n_runs] = 0;
  fig->data.n_runs++;
}

static void
add_runs (CurvesFigure *fig, StudioHistory *history)
{
  guint n = studio_history_get_n_runs (history);
  /* eight series at most, one per colour: the active mode takes the oldest run's place */
  guint max_runs = fig->mode != NULL ? MAX_RUNS - 1 : MAX_RUNS;
  guint first = n > max_runs ? n - max_runs : 0;

  for (guint i = first; i < n; i++)
    {
      const StudioRun *run = studio_history_get_run (history, i);
      TgCurveRun *cr = &fig->runs[fig->data.n_runs];
      if (run->step->len == 0)
        continue;
      cr->name = run->name;
      if (run->step->len <= MAX_POINTS)
        {
          cr->n_points = run->step->len;
          cr->step = (const double *) run->step->data;
          cr->loss = (const double *) run->loss->data;
          cr->acc0 = (const double *) run->acc0->data;
          cr->acc_rot = (const double *) run->acc_rot->data;
        }
      else
        fig->buckets[fig->data.n_runs] = bucket_run (run, cr);
      fig->run_ids[fig->data.n_runs] = run->id;
      fig->data.n_runs++;
      for (guint m = 0; m < run->markers->len; m++)
        {
          const StudioMarker *mk = &g_array_index (run->markers, StudioMarker, m);
          TgPlotMarker pm = { mk->step, mk->label };
          g_array_append_val (fig->markers, pm);
        }
    }
  fig->data.markers = (const TgPlotMarker *) fig->markers->data;
  fig->data.n_markers = fig->markers->len;

  const StudioRun *newest = n > 0 ? studio_history_get_run (history, n - 1) : NULL;
  if (newest != NULL && newest->full_step->len > 0)
    {
      TgCurveRun *cr = &fig->runs[fig->data.n_runs++];
      g_snprintf (fig->full_name, sizeof fig->full_name, "%s, full test set", newest->name);
      cr->name = fig->full_name;
      cr->n_points = newest->full_step->len;
      cr->step = (const double *) newest->full_step->data;
      cr->loss = NULL;
      cr->acc0 = (const double *) newest->full0->data;
      cr->acc_rot = (const double *) newest->full_rot->data;
    }
  if (fig->mode != NULL)
    add_mode (fig, newest);
  fig->data.runs = fig->runs;

  /* A colour per series that no other visible series has: a run prefers colour id % 8, so
   * it keeps its colour while newer runs push older ones off the figure (at most eight
   * series, consecutive ids); the whole-test-set series takes the first colour left. */
  guint used = 0;
  for (guint r = 0; r < fig->data.n_runs; r++)
    {
      guint c = fig->run_ids[r] % 8;
      while (used & (1u << c))
        c = (c + 1) % 8;
      used |= 1u << c;
      fig->runs[r].own_color = TRUE;
      fig->runs[r].color = c;
    }
}

gint
studio_curves_view_run_color (StudioCurvesView *self, guint run_id)
{
  CurvesFigure fig;
  gint color = -1;

  curves_figure_init (self, &fig);
  for (guint r = 0; r < fig.data.n_runs; r++)
    if (fig.run_ids[r] == run_id && fig.run_ids[r] != 0)
      color = (gint) (fig.runs[r].own_color ? fig.runs[r].color % 8 : r % 8);
  curves_figure_clear (&fig);
  return color;
}

/* Fills fig from the history; the arrays stay the history's (borrowed for one draw). */
static void
curves_figure_init (StudioCurvesView *self, CurvesFigure *fig)
{
  StudioHistory *history = studio_view_get_history (STUDIO_VIEW (self));

  memset (fig, 0, sizeof *fig);
  fig->markers = g_array_new (FALSE, FALSE, sizeof (TgPlotMarker));
  fig->data.smoothing = gtk_adjustment_get_value (self->smoothing);
  fig->data.title = "Training: loss and test accuracy";
  fig->data.x_label = "step (minibatch of 256)";

  if (history == NULL)
    return;
  StudioSnapshot *status = studio_history_get_status (history);
  if (status != NULL && status->mode_name != NULL && status->finished)
    fig->mode = status;
  add_runs (fig, history);

  const StudioRun *cur = studio_history_get_current (history);
  if (cur != NULL && cur->total_steps > 0)
    {
      g_snprintf (fig->phase_label[0], sizeof fig->phase_label[0], "%s",
                  cur->foundation_cached ? "foundation (cached)" : "foundation");
      g_snprintf (fig->phase_label[1], sizeof fig->phase_label[1], "adaptation → %s",
                  tg_method_info (cur->method)->label);
      fig->phases[0] = (TgPlotPhase) { 0, (double) cur->foundation_steps, fig->phase_label[0] };
      fig->phases[1] = (TgPlotPhase) { (double) cur->foundation_steps, (double) cur->total_steps,
                                       fig->phase_label[1] };
      fig->data.phases = fig->phases;
      fig->data.n_phases = 2;
      g_snprintf (fig->caption, sizeof fig->caption,
                  "Accuracy on a fixed %u-image test subset every %u steps; the whole test "
                  "sets at each epoch end as a series of their own; 0° solid, %g° dashed; "
                  "EMA %.2f.",
                  cur->eval_samples, cur->eval_every, cur->angle, fig->data.smoothing);
      fig->data.caption = fig->caption;
      g_snprintf (fig->target, sizeof fig->target, "%g°", cur->angle);
      fig->data.target_label = fig->target;
    }
  if (fig->mode != NULL)
    {
      g_snprintf (fig->mode_caption, sizeof fig->mode_caption,
                  "%s%sThe active mode “%s”, chosen in the Modes panel, is measured without "
                  "training on a %u-image test subset and drawn as level lines (0° solid, "
                  "%g° dashed).", fig->data.caption != NULL ? fig->data.caption : "",
                  fig->data.caption != NULL ? " " : "", fig->mode->mode_name,
                  fig->mode->eval_samples, fig->mode->angle);
      fig->data.caption = fig->mode_caption;
      if (cur == NULL || cur->total_steps == 0)
        {
          g_snprintf (fig->target, sizeof fig->target, "%g°", fig->mode->angle);
          fig->data.target_label = fig->target;
          fig->data.x_label = "step (no run here: the mode's level lines)";
        }
    }
}

/* How many series the figure draws now (runs with points, and the newest run's whole test
 * set), and how many setting changes it marks. */
void
studio_curves_view_count (StudioCurvesView *self, guint *n_series, guint *n_markers)
{
  CurvesFigure fig;

  curves_figure_init (self, &fig);
  *n_series = fig.data.n_runs;
  *n_markers = fig.data.n_markers;
  curves_figure_clear (&fig);
}

static void
curves_figure_clear (CurvesFigure *fig)
{
  g_clear_pointer (&fig->markers, g_array_unref);
  for (guint i = 0; i < MAX_RUNS; i++)
    g_clear_pointer (&fig->buckets[i], g_array_unref);
}

static void
studio_curves_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                const TgPlotStyle *style, gboolean for_export)
{
  StudioCurvesView *self = STUDIO_CURVES_VIEW (view);
  CurvesFigure fig;
  double hover_x;

  curves_figure_init (self, &fig);
  if (for_export)
    tg_plot_curves_exclude (&fig.data, fig.runs, studio_view_get_export_excluded (view));
  if (!for_export && studio_view_get_hover (view, &hover_x, NULL))
    {
      double step = tg_plot_curves_step_at (width, height, &fig.data, style, hover_x);
      if (!isnan (step))
        {
          fig.data.hover = TRUE;
          fig.data.hover_step = step;
        }
    }
  tg_plot_curves (cr, width, height, &fig.data, style);
  curves_figure_clear (&fig);
}

static char *
studio_curves_view_dup_csv (StudioView *view)
{
  CurvesFigure fig;
  curves_figure_init (STUDIO_CURVES_VIEW (view), &fig);
  tg_plot_curves_exclude (&fig.data, fig.runs, studio_view_get_export_excluded (view));
  char *csv = tg_plot_curves_csv (&fig.data);
  curves_figure_clear (&fig);
  return csv;
}

/* The runs on the figure, which an export may leave out. */
static char **
studio_curves_view_list_series (StudioView *view)
{
  CurvesFigure fig;
  curves_figure_init (STUDIO_CURVES_VIEW (view), &fig);
  GStrvBuilder *b = g_strv_builder_new ();
  for (guint r = 0; r < fig.data.n_runs; r++)
    g_strv_builder_add (b, fig.runs[r].name);
  curves_figure_clear (&fig);
  char **names = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return names;
}

static double
value_at (const GArray *steps, const GArray *values, double step)
{
  /* the last measured value at or before step */
  double v = NAN;
  for (guint i = 0; i < steps->len; i++)
    {
      if (g_array_index (steps, double, i) > step)
        break;
      double x = g_array_index (values, double, i);
      if (!isnan (x))
        v = x;
    }
  return v;
}

static void
studio_curves_view_hover_changed (StudioView *view)
{
  StudioCurvesView *self = STUDIO_CURVES_VIEW (view);
  StudioHistory *history = studio_view_get_history (view);
  const StudioRun *cur = history != NULL ? studio_history_get_current (history) : NULL;
  double hover_x;

  if (!studio_view_get_hover (view, &hover_x, NULL) || cur == NULL)
    {
      gtk_label_set_text (self->readout, "");
      return;
    }
  CurvesFigure fig;
  TgPlotStyle style;
  curves_figure_init (self, &fig);
  studio_widget_plot_style (GTK_WIDGET (self->area), &style);
  double step = tg_plot_curves_step_at (gtk_widget_get_width (GTK_WIDGET (self->area)),
                                        gtk_widget_get_height (GTK_WIDGET (self->area)),
                                        &fig.data, &style, hover_x);
  curves_figure_clear (&fig);
  if (isnan (step))
    {
      gtk_label_set_text (self->readout, "");
      return;
    }
  /* the newest run that had started by that step */
  const StudioRun *run = cur;
  for (guint i = studio_history_get_n_runs (history); i-- > 0;)
    {
      const StudioRun *r = studio_history_get_run (history, i);
      if (r->step->len > 0 && g_array_index (r->step, double, 0) <= step)
        {
          run = r;
          break;
        }
    }
  double v[3] = { value_at (run->step, run->loss, step), value_at (run->step, run->acc0, step),
                  value_at (run->step, run->acc_rot, step) };
  char cell[3][16];
  for (int k = 0; k < 3; k++)
    {
      if (isnan (v[k]))
        g_strlcpy (cell[k], "–", sizeof cell[k]);
      else
        g_snprintf (cell[k], sizeof cell[k], "%.3f", v[k]);
    }
  g_autofree char *text = g_strdup_printf ("%s · step %.0f · loss %s · acc 0° %s · acc %g° %s",
                                           run->name, step, cell[0], cell[1], run->angle,
                                           cell[2]);
  gtk_label_set_text (self->readout, text);
}

static void
smoothing_changed_cb (GtkAdjustment *adj, StudioCurvesView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

const char *
studio_curves_view_hover (StudioCurvesView *self, double x, double y)
{
  studio_view_hover (STUDIO_VIEW (self), x, y);
  return gtk_label_get_text (self->readout);
}

GtkWidget *
studio_curves_view_new (void)
{
  return g_object_new (STUDIO_TYPE_CURVES_VIEW, NULL);
}

static char *
studio_curves_view_describe (StudioView *view)
{
  const char *what = _("Training loss (top) and test accuracy at 0° and at the rotated angle (bottom) against the training step, one colour per run, with the settings changed during a run marked.");
  CurvesFigure fig;

  curves_figure_init (STUDIO_CURVES_VIEW (view), &fig);
  char *text = fig.mode == NULL ? g_strdup (what)
                                : g_strdup_printf (_("%s The active %s."), what, fig.mode_name);
  curves_figure_clear (&fig);
  return text;
}

static void
studio_curves_view_class_init (StudioCurvesViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  view_class->draw_figure = studio_curves_view_draw_figure;
  view_class->describe = studio_curves_view_describe;
  view_class->dup_csv = studio_curves_view_dup_csv;
  view_class->list_series = studio_curves_view_list_series;
  view_class->hover_changed = studio_curves_view_hover_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-curves-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioCurvesView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioCurvesView, smoothing);
  gtk_widget_class_bind_template_child (widget_class, StudioCurvesView, readout);
  gtk_widget_class_bind_template_callback (widget_class, smoothing_changed_cb);
}

static void
studio_curves_view_init (StudioCurvesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
}
