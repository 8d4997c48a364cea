/* studio-results-view.c — the Results view over tg_plot_results_table. */
#include "studio-results-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include "studio-view.h"
#include "tg-report.h"

struct _StudioResultsView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (StudioResultsView, studio_results_view, STUDIO_TYPE_VIEW)

static void
nan_cells (TgResultsCells *c)
{
  c->acc0 = c->acc0_std = c->acc_rot = c->acc_rot_std = c->high_act = NAN;
  c->n = 0;
}

static gboolean
run_done_well (const StudioRun *run)
{
  return run->finished && !run->failed && !isnan (run->final_acc0);
}

/* The run whose settings the table shows: the newest finished one that kept them all along. */
static const StudioRun *
shown_run (StudioHistory *history)
{
  for (guint i = studio_history_get_n_runs (history); i-- > 0;)
    {
      const StudioRun *run = studio_history_get_run (history, i);
      if (run_done_well (run) && run->markers->len == 0)
        return run;
    }
  return NULL;
}

static const char *
shown_settings (StudioHistory *history)
{
  const StudioRun *run = shown_run (history);
  return run != NULL ? run->settings : NULL;
}

/* The data set of a run trained in the window: the data folder's name its settings begin
 * with (studio_config_describe_settings: "MNIST" for the default folder). */
static char *
run_data_name (const StudioRun *run)
{
  const char *comma = strchr (run->settings, ',');
  return comma != NULL ? g_strndup (run->settings, comma - run->settings)
                       : g_strdup (run->settings);
}

/* What the table is about: the data set, the rotated mode's angle, and whether the paper's
 * numbers (MNIST at 45°) compare. A comparison's data set is named by the engine, which
 * recognises MNIST by its contents; a run trained in the window carries only its folder's
 * name, so MNIST is a folder named so there. */
typedef struct {
  char     *data;   /* NULL: none yet, said as MNIST */
  double    angle;
  gboolean  paper;
} Subject;

static void
subject_of (StudioHistory *history, const TgExperimentResults *res, Subject *s)
{
  const StudioRun *run = res == NULL && history != NULL ? shown_run (history) : NULL;
  *s = (Subject) { .angle = 45.0, .paper = TRUE };
  if (res != NULL)
    {
      s->data = g_strdup (tg_experiment_config_data_name (&res->config));
      s->angle = res->config.angle;
      s->paper = tg_experiment_config_is_paper_setting (&res->config);
    }
  else if (run != NULL)
    {
      s->data = run_data_name (run);
      s->angle = run->angle;
      s->paper = g_ascii_strcasecmp (s->data, "MNIST") == 0 && fabs (run->angle - 45.0) < 1e-9;
    }
}

guint
studio_results_view_pool_runs (StudioHistory *history, TgMethod method, TgResultsCells *c,
                               const char **settings, guint *left_out)
{
  double a0[64], a_rot[64], ha[64];
  guint64 seeds[64];
  guint n = 0, nh = 0, other = 0;
  const char *want = history != NULL ? shown_settings (history) : NULL;

  nan_cells (c);
  /* newest first: of runs that repeat a seed, the newest is the sample */
  for (guint i = want != NULL ? studio_history_get_n_runs (history) : 0; i-- > 0 && n < 64;)
    {
      const StudioRun *run = studio_history_get_run (history, i);
      gboolean repeat = FALSE;
      if (run->method != method || !run_done_well (run))
        continue;
      /* only runs that differ in their seed alone are pooled, each seed once */
      for (guint k = 0; k < n && !repeat; k++)
        repeat = seeds[k] == run->seed;
      if (run->markers->len > 0 || g_strcmp0 (run->settings, want) != 0 || repeat)
        {
          other++;
          continue;
        }
      seeds[n] = run->seed;
      a0[n] = run->final_acc0;
      a_rot[n] = run->final_acc_rot;
      n++;
      if (!isnan (run->final_high_act))
        ha[nh++] = run->final_high_act;
    }
  if (settings != NULL)
    *settings = want;
  if (left_out != NULL)
    *left_out = other;
  if (n == 0)
    return 0;
  tg_mean_std (a0, n, &c->acc0, &c->acc0_std);
  tg_mean_std (a_rot, n, &c->acc_rot, &c->acc_rot_std);
  if (nh > 0)
    {
      double sd;
      tg_mean_std (ha, nh, &c->high_act, &sd);
    }
  if (n < 2)
    c->acc0_std = c->acc_rot_std = NAN;
  c->n = n;
  return n;
}

/* Every method's row: a comparison's numbers, else the runs trained in the window pooled
 * over seeds (live_runs and left_out count them); the paper's beside them when paper. */
static void
fill_rows (StudioHistory *history, const TgExperimentResults *res, gboolean paper,
           TgResultsRow *rows, guint *live_runs, guint *left_out, const char **settings)
{
  for (int m = 0; m < TG_N_METHODS; m++)
    {
      TgResultsRow *row = &rows[m];
      const TgPaperRow *p = tg_paper_row (m);
      TgMethodSummary sum;

      row->method = tg_method_info (m)->label;
      row->params = p != NULL ? (gint64) p->params : -1;
      nan_cells (&row->ours);
      nan_cells (&row->paper);
      /* the paper's numbers are MNIST's at 45 degrees: beside no other comparison */
      if (p != NULL && paper)
        row->paper = (TgResultsCells) { p->acc0, p->acc0_std, p->acc_rot, p->acc_rot_std,
                                        p->high_act };
      if (res != NULL && tg_report_summarise (res, m, &sum))
        {
          row->params = (gint64) sum.params;
          row->ours = (TgResultsCells) { sum.acc0, sum.acc0_std, sum.acc_rot, sum.acc_rot_std,
                                         sum.high_act, sum.n };
        }
      else
        {
          guint other = 0;
          *live_runs += studio_results_view_pool_runs (history, m, &row->ours, settings, &other);
          *left_out += other;
        }
    }
}

/* The table as drawn: its rows, labels and caption, in one place for the figure and its
 * CSV. */
typedef struct {
  TgResultsRow  rows[TG_N_METHODS];
  char          caption[600], target[32];
  char         *data_name;
  TgResultsData data;
} ResultsFigure;

static void
results_figure_init (StudioView *view, ResultsFigure *f)
{
  StudioHistory *history = studio_view_get_history (view);
  const TgExperimentResults *res = history != NULL ? studio_history_get_experiment (history) : NULL;
  guint live_runs = 0, left_out = 0;
  const char *settings = NULL;
  Subject subject;

  memset (f, 0, sizeof *f);
  subject_of (history, res, &subject);
  f->data_name = subject.data;
  fill_rows (history, res, subject.paper, f->rows, &live_runs, &left_out, &settings);
  f->data.n_rows = TG_N_METHODS;
  f->data.rows = f->rows;
  g_snprintf (f->target, sizeof f->target, "%g°", subject.angle);
  f->data.target_label = f->target;
  f->data.data_label = f->data_name;
  f->data.n_seeds = res != NULL ? res->config.seeds : 0;
  if (res != NULL)
    g_snprintf (f->caption, sizeof f->caption,
                "Ours on %s: mean ± sample std over %u seeds, soft gates, %u foundation + %u "
                "adaptation epochs at %g°. %s", tg_experiment_config_data_name (&res->config),
                res->config.seeds, res->config.foundation_epochs, res->config.adapt_epochs,
                res->config.angle,
                subject.paper ? "The paper's numbers (its Table 1) beside ours."
                              : "The paper's numbers are for MNIST at 45° and are not shown.");
  else if (live_runs > 0)
    {
      /* n: the seeds each mean pools, in the legend when every method has the same */
      g_autoptr (GString) per_method = g_string_new (NULL);
      guint same_n = 0;
      gboolean differ = FALSE;
      for (int m = 0; m < TG_N_METHODS; m++)
        if (f->rows[m].ours.n > 0)
          {
            g_string_append_printf (per_method, "%s%s %u", per_method->len > 0 ? ", " : "",
                                    f->rows[m].method, f->rows[m].ours.n);
            differ |= same_n != 0 && same_n != f->rows[m].ours.n;
            same_n = f->rows[m].ours.n;
          }
      f->data.n_seeds = differ ? 0 : same_n;
      g_snprintf (f->caption, sizeof f->caption,
                  "Ours: runs trained in this window, each seed once, pooled over seeds only "
                  "(n = %s): %s.%s %s", per_method->str, settings,
                  left_out > 0 ? " Left out: runs with other settings or a repeated seed."
                               : "",
                  subject.paper ? "The paper's numbers beside ours."
                                : "The paper's numbers are for MNIST at 45° and are not shown.");
    }
  else
    g_snprintf (f->caption, sizeof f->caption,
                _("Ours fill in as runs finish; “Run the paper comparison” runs every method "
                "over the seeds. The paper's numbers (its Table 1) beside ours."));
  f->data.caption = f->caption;
}

static void
studio_results_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                 const TgPlotStyle *style, gboolean for_export)
{
  ResultsFigure f;
  results_figure_init (view, &f);
  tg_plot_results_table (cr, width, height, &f.data, style);
  g_free (f.data_name);
}

/* The numbers drawn (ours and the paper's line of every method), beside every export. */
static char *
studio_results_view_dup_csv (StudioView *view)
{
  ResultsFigure f;
  results_figure_init (view, &f);
  char *csv = tg_plot_results_table_csv (&f.data);
  g_free (f.data_name);
  return csv;
}

static void
studio_results_view_history_changed (StudioView *view)
{
  StudioResultsView *self = STUDIO_RESULTS_VIEW (view);
  StudioSnapshot *st = studio_history_get_status (studio_view_get_history (view));

  if (st != NULL && st->job == STUDIO_JOB_EXPERIMENT)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
      gtk_progress_bar_set_fraction (self->progress, st->progress);
      if (st->finished)
        gtk_progress_bar_set_text (self->progress,
                                   st->error != NULL ? _("The comparison stopped") : _("Comparison done"));
      else
        gtk_progress_bar_set_text (self->progress, st->progress_text);
    }
  else if (st == NULL || studio_history_get_experiment (studio_view_get_history (view)) == NULL)
    /* reset, or nothing compared yet: no word of a comparison over an empty table */
    gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
}

gboolean
studio_results_view_get_progress_visible (StudioResultsView *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->progress));
}

GtkWidget *
studio_results_view_new (void)
{
  return g_object_new (STUDIO_TYPE_RESULTS_VIEW, NULL);
}

static char *
studio_results_view_describe (StudioView *view)
{
  return g_strdup (_("The accuracy of every method at 0° and at the rotated angle after specialisation, mean and spread over seeds, beside the paper's numbers."));
}

static void
studio_results_view_class_init (StudioResultsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  view_class->draw_figure = studio_results_view_draw_figure;
  view_class->describe = studio_results_view_describe;
  view_class->dup_csv = studio_results_view_dup_csv;
  view_class->history_changed = studio_results_view_history_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioResultsView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioResultsView, progress);
}

static void
studio_results_view_init (StudioResultsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
}
