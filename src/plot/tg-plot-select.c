/* SPDX-License-Identifier: MIT */
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

/* Keeps, at the front of items (n of size bytes, each with its name as a const char * at
 * name_offset), those not named in excluded; returns how many. */
static guint
keep_named (gpointer items, guint n, gsize size, gsize name_offset, const char *const *excluded)
{
  guint kept = 0;
  for (guint i = 0; i < n; i++)
    {
      char *item = (char *) items + (gsize) i * size;
      const char *name;
      memcpy (&name, item + name_offset, sizeof name);
      if (tg_plot_name_excluded (excluded, name))
        continue;
      if (kept != i)
        memcpy ((char *) items + (gsize) kept * size, item, size);
      kept++;
    }
  return kept;
}

void
tg_plot_curves_exclude (TgCurvesData *d, TgCurveRun *runs, const char *const *excluded)
{
  g_return_if_fail (d != NULL && (d->n_runs == 0 || runs == d->runs));
  d->n_runs = keep_named (runs, d->n_runs, sizeof *runs, G_STRUCT_OFFSET (TgCurveRun, name),
                          excluded);
}

void
tg_plot_heatmap_exclude (TgHeatmapData *d, TgHeatmapPanel *panels, const char *const *excluded)
{
  g_return_if_fail (d != NULL && (d->n_panels == 0 || panels == d->panels));
  d->n_panels = keep_named (panels, d->n_panels, sizeof *panels,
                            G_STRUCT_OFFSET (TgHeatmapPanel, label), excluded);
}

void
tg_plot_masks_exclude (TgMasksData *d, TgMasksLayer *layers, const char *const *excluded)
{
  g_return_if_fail (d != NULL && (d->n_layers == 0 || layers == d->layers));
  d->n_layers = keep_named (layers, d->n_layers, sizeof *layers,
                            G_STRUCT_OFFSET (TgMasksLayer, label), excluded);
}

void
tg_plot_dynamics_exclude (TgDynamicsData *d, TgDynamicsLayer *layers, const char *const *excluded)
{
  g_return_if_fail (d != NULL && (d->n_layers == 0 || layers == d->layers));
  d->n_layers = keep_named (layers, d->n_layers, sizeof *layers,
                            G_STRUCT_OFFSET (TgDynamicsLayer, label), excluded);
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
