/* tg-plot-select.c — what an export leaves out: the runs, layers or modes the user unticked,
 * taken out of a figure's data before it is drawn or written as CSV, so that the figure and
 * its numbers agree. Nothing is drawn here. */
#include "tg-plot.h"

#include <math.h>
#include <string.h>

gboolean
tg_plot_name_excluded (const char *const *excluded, const char *name)
{
  return excluded != NULL && name != NULL && g_strv_contains (excluded, name);
}

void
tg_plot_curves_exclude (TgCurvesData *d, TgCurveRun *runs, const char *const *excluded)
{
  guint kept = 0;
  g_return_if_fail (d != NULL && (d->n_runs == 0 || runs == d->runs));
  for (guint r = 0; r < d->n_runs; r++)
    if (!tg_plot_name_excluded (excluded, runs[r].name))
      runs[kept++] = runs[r];
  d->n_runs = kept;
}

void
tg_plot_heatmap_exclude (TgHeatmapData *d, TgHeatmapPanel *panels, const char *const *excluded)
{
  guint kept = 0;
  g_return_if_fail (d != NULL && (d->n_panels == 0 || panels == d->panels));
  for (guint p = 0; p < d->n_panels; p++)
    if (!tg_plot_name_excluded (excluded, panels[p].label))
      panels[kept++] = panels[p];
  d->n_panels = kept;
}

void
tg_plot_masks_exclude (TgMasksData *d, TgMasksLayer *layers, const char *const *excluded)
{
  guint kept = 0;
  g_return_if_fail (d != NULL && (d->n_layers == 0 || layers == d->layers));
  for (guint l = 0; l < d->n_layers; l++)
    if (!tg_plot_name_excluded (excluded, layers[l].label))
      layers[kept++] = layers[l];
  d->n_layers = kept;
}

void
tg_plot_dynamics_exclude (TgDynamicsData *d, TgDynamicsLayer *layers, const char *const *excluded)
{
  guint kept = 0;
  g_return_if_fail (d != NULL && (d->n_layers == 0 || layers == d->layers));
  for (guint l = 0; l < d->n_layers; l++)
    if (!tg_plot_name_excluded (excluded, layers[l].label))
      layers[kept++] = layers[l];
  d->n_layers = kept;
}

void
tg_plot_modes_exclude (TgModesByAngleData *d, const char **names, double *targets,
                       double *acc, double *acc_hard, const char *const *excluded)
{
  guint kept = 0, na = d->n_angles;
  for (guint m = 0; m < d->n_modes; m++)
    {
      if (tg_plot_name_excluded (excluded, d->names != NULL ? d->names[m] : NULL))
        continue;
      names[kept] = d->names != NULL ? d->names[m] : NULL;
      targets[kept] = d->target_angles != NULL ? d->target_angles[m] : NAN;
      memcpy (acc + (gsize) kept * na, d->acc + (gsize) m * na, na * sizeof (double));
      if (d->acc_hard != NULL)
        memcpy (acc_hard + (gsize) kept * na, d->acc_hard + (gsize) m * na, na * sizeof (double));
      kept++;
    }
  d->n_modes = kept;
  d->names = names;
  d->target_angles = targets;
  d->acc = acc;
  d->acc_hard = d->acc_hard != NULL ? acc_hard : NULL;
}
