/* SPDX-License-Identifier: MIT */
/* tg-plot-figure1.c — the paper's Figure 1 from experiment results: test accuracy on the 0°
 * mode and on the target mode for each method, mean ± std over seeds, drawn as grouped bars.
 *
 * The one place that turns TgExperimentResults into Figure 1: the command line and the
 * studio both export it through here. The paper's means are drawn beside ours only when
 * they are comparable (MNIST at 45°); titles name the data set and the angle. */
#include "tg-plot.h"
#include "tg-report.h"

#include <math.h>
#include <string.h>

void
tg_figure1_data_fill (TgFigure1Data *fig, const TgExperimentResults *res)
{
  g_return_if_fail (fig != NULL && res != NULL);
  const TgExperimentConfig *c = &res->config;
  gboolean paper = tg_experiment_config_is_paper_setting (c);
  memset (fig, 0, sizeof *fig);

  guint n = 0;
  for (int k = 0; k < TG_N_METHODS; k++)
    {
      TgMethodSummary s;
      if (!tg_report_summarise (res, (TgMethod) k, &s))
        continue;
      const TgPaperRow *p = paper ? tg_paper_row ((TgMethod) k) : NULL;
      fig->groups[n] = tg_method_info ((TgMethod) k)->label;
      fig->mean[2 * n] = s.acc0;
      fig->mean[2 * n + 1] = s.acc_rot;
      fig->err[2 * n] = s.acc0_std;
      fig->err[2 * n + 1] = s.acc_rot_std;
      fig->ref[2 * n] = p != NULL ? p->acc0 : NAN;
      fig->ref[2 * n + 1] = p != NULL ? p->acc_rot : NAN;
      n++;
    }
  fig->series0 = g_strdup_printf ("%s 0\u00b0", tg_experiment_config_data_name (c));
  fig->series_rot = g_strdup_printf ("rotated %g\u00b0", c->angle);
  fig->series[0] = fig->series0;
  fig->series[1] = fig->series_rot;
  fig->title = g_strdup_printf ("%s: test accuracy after specialising to the %g\u00b0 mode",
                                tg_experiment_config_data_name (c), c->angle);
  fig->caption = g_strdup_printf (
      "Mean \u00b1 sample std over %u seed%s; foundation %u epoch%s on the 50/50 mix, %u "
      "adaptation epoch%s, SGD lr %g momentum %g, batch %u, s = %g, \u03bb = %g. %s",
      c->seeds, c->seeds == 1 ? "" : "s", c->foundation_epochs,
      c->foundation_epochs == 1 ? "" : "s", c->adapt_epochs, c->adapt_epochs == 1 ? "" : "s",
      c->lr, c->momentum, c->batch, c->sharpness, c->lambda,
      paper ? "Markers: the paper's means."
            : "The paper's numbers (MNIST at 45\u00b0) are not comparable and not shown.");
  fig->bars = (TgBarsData) {
    .n_groups = n, .group_labels = fig->groups, .n_series = 2, .series_labels = fig->series,
    .mean = fig->mean, .err = fig->err, .ref = paper ? fig->ref : NULL,
    .ref_label = paper ? "paper" : NULL, .title = fig->title, .y_label = "test accuracy",
    .caption = fig->caption, .y_min = 0, .y_max = 0,
  };
}

void
tg_figure1_data_clear (TgFigure1Data *fig)
{
  g_clear_pointer (&fig->series0, g_free);
  g_clear_pointer (&fig->series_rot, g_free);
  g_clear_pointer (&fig->title, g_free);
  g_clear_pointer (&fig->caption, g_free);
  memset (&fig->bars, 0, sizeof fig->bars);
}

void
tg_plot_figure1 (cairo_t *cr, double width, double height, const TgFigure1Data *fig,
                 const TgPlotStyle *style)
{
  tg_plot_bars (cr, width, height, &fig->bars, style);
}

gboolean
tg_plot_figure1_export (const TgExperimentResults *res, const char *path, double width,
                        double height, const TgPlotStyle *style, GError **error)
{
  g_return_val_if_fail (res != NULL && path != NULL, FALSE);
  TgPlotStyle light;
  if (style == NULL)
    {
      tg_plot_style_init_light (&light);
      style = &light;
    }
  TgFigure1Data fig;
  tg_figure1_data_fill (&fig, res);
  gboolean ok = tg_plot_bars_export (path, width > 0 ? width : TG_FIGURE1_WIDTH,
                                     height > 0 ? height : TG_FIGURE1_HEIGHT, &fig.bars, style,
                                     error);
  tg_figure1_data_clear (&fig);
  return ok;
}
