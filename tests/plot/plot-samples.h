/* plot-samples.h — realistic sample data for every figure, shared by the plot test and the
 * demo that renders them for a person to look at. Deterministic; static storage. */
#pragma once

#include "tg-plot.h"
#include <math.h>
#include <string.h>

#define SAMPLE_UNITS 128
#define SAMPLE_STEPS 705

static const char *sample_methods[7] = { "Frozen", "BitFit", "TauGate", "GainOnly", "TauOnly",
                                         "LoRA r=8", "Full FT" };
static const char *sample_series[2] = { "0°", "45°" };

static inline double
sample_noise (guint32 *s)
{
  *s = *s * 1664525u + 1013904223u;
  return ((*s >> 8) / 16777216.0) - 0.5;
}

static inline void
sample_bars (TgBarsData *d, guint n_groups)
{
  static double mean[14], err[14], ref[14];
  static const double m[7][2] = { { .829, .831 }, { .849, .855 }, { .847, .852 },
                                  { .848, .850 }, { .830, .832 }, { .858, .868 },
                                  { .780, .889 } };
  static const double e[7][2] = { { .015, .014 }, { .006, .008 }, { .007, .011 },
                                  { .005, .010 }, { .016, .015 }, { .005, .004 },
                                  { .008, .006 } };
  static const double r[7][2] = { { .832, .833 }, { .851, .852 }, { .850, .850 },
                                  { .850, .849 }, { .833, .833 }, { .855, .864 },
                                  { .783, .887 } };
  for (guint g = 0; g < 7; g++)
    for (guint s = 0; s < 2; s++)
      {
        mean[g * 2 + s] = m[g][s];
        err[g * 2 + s] = e[g][s];
        ref[g * 2 + s] = r[g][s];
      }
  memset (d, 0, sizeof *d);
  d->n_groups = n_groups;
  d->group_labels = sample_methods;
  d->n_series = 2;
  d->series_labels = sample_series;
  d->mean = mean;
  d->err = err;
  d->ref = ref;
  d->ref_label = "paper";
  d->title = "Test accuracy after specialising to 45°";
  d->y_label = "test accuracy";
  d->caption = "Figure 1. Mean ± std over 3 seeds; diamonds: the paper's means. "
               "MLP 784-128-128-10, foundation on a 50/50 mix of 0° and 45°.";
}

static inline void
sample_curves (TgCurvesData *d, double smoothing, gboolean hover)
{
  static double step[SAMPLE_STEPS], loss[2][SAMPLE_STEPS], a0[2][SAMPLE_STEPS],
    a45[2][SAMPLE_STEPS];
  static TgCurveRun runs[2];
  static TgPlotPhase phases[2] = { { 0, 470, "foundation" }, { 470, 704, "adaptation" } };
  static TgPlotMarker markers[3] = { { 520, "λ=0.01" }, { 530, "s=20" }, { 640, "lr=0.005" } };
  guint32 seed = 7;
  for (guint i = 0; i < SAMPLE_STEPS; i++)
    {
      step[i] = i;
      for (guint r = 0; r < 2; r++)
        {
          double base = 2.3 * exp (-(double) i / 60.0) + 0.45 + (i >= 470 ? -0.05 * (r + 1) : 0.0);
          loss[r][i] = base + 0.25 * sample_noise (&seed);
          gboolean meas = i % 47 == 0 || i == SAMPLE_STEPS - 1;
          a0[r][i] = meas ? 0.83 - 0.6 * exp (-(double) i / 50.0) + (i >= 470 ? 0.01 * r : 0.0) : NAN;
          a45[r][i] = meas ? 0.80 - 0.6 * exp (-(double) i / 55.0) + (i >= 470 ? 0.03 + 0.02 * r : 0.0)
                           : NAN;
        }
    }
  runs[0] = (TgCurveRun) { "TauGate seed 0", SAMPLE_STEPS, step, loss[0], a0[0], a45[0] };
  runs[1] = (TgCurveRun) { "BitFit seed 0", SAMPLE_STEPS, step, loss[1], a0[1], a45[1] };
  memset (d, 0, sizeof *d);
  d->n_runs = 2;
  d->runs = runs;
  d->n_phases = 2;
  d->phases = phases;
  d->n_markers = 3;
  d->markers = markers;
  d->smoothing = smoothing;
  d->hover = hover;
  d->hover_step = 600;
  d->caption = "Loss per batch (EMA-smoothed, raw faint); accuracy on the 10k test images.";
}

static inline void
sample_heatmap (TgHeatmapData *d)
{
  static float tau[2][SAMPLE_UNITS], gam[2][SAMPLE_UNITS];
  static TgHeatmapPanel panels[4];
  guint32 seed = 11;
  for (guint l = 0; l < 2; l++)
    for (guint u = 0; u < SAMPLE_UNITS; u++)
      {
        tau[l][u] = 0.3 * sample_noise (&seed) + (u % 17 == 0 ? 0.2 : 0.0);
        gam[l][u] = 1.0 + 0.6 * sample_noise (&seed);
      }
  tau[1][5] = NAN;
  panels[0] = (TgHeatmapPanel) { "τ, hidden 1", SAMPLE_UNITS, tau[0], 0.0, 0.0, -1 };
  panels[1] = (TgHeatmapPanel) { "τ, hidden 2", SAMPLE_UNITS, tau[1], 0.0, 0.0, -1 };
  panels[2] = (TgHeatmapPanel) { "γ, hidden 1", SAMPLE_UNITS, gam[0], 1.0, 0.0, 37 };
  panels[3] = (TgHeatmapPanel) { "γ, hidden 2", SAMPLE_UNITS, gam[1], 1.0, 0.0, -1 };
  memset (d, 0, sizeof *d);
  d->n_panels = 4;
  d->panels = panels;
  d->panel_columns = 2;
  d->caption = "Thresholds centred at 0 and gains at 1; grey cells: not a number.";
}

static inline void
sample_masks (TgMasksData *d)
{
  /* Laid out as tg_firing_by_class gives it: (10, 256), the two layers side by side. */
  static float rate0[10 * 2 * SAMPLE_UNITS], rate45[10 * 2 * SAMPLE_UNITS];
  static TgMasksLayer layers[2];
  guint32 seed = 3;
  for (guint c = 0; c < 10; c++)
    for (guint u = 0; u < 2 * SAMPLE_UNITS; u++)
      {
        double b = (u * 7 + c * 13) % 29 / 29.0;
        rate0[c * 2 * SAMPLE_UNITS + u] = CLAMP (b + 0.2 * sample_noise (&seed), 0, 1);
        rate45[c * 2 * SAMPLE_UNITS + u] = CLAMP (b * 0.8 + 0.3 * sample_noise (&seed), 0, 1);
      }
  layers[0] = (TgMasksLayer) { "hidden 1", SAMPLE_UNITS, 2 * SAMPLE_UNITS, rate0, rate45 };
  layers[1] = (TgMasksLayer) { "hidden 2", SAMPLE_UNITS, 2 * SAMPLE_UNITS,
                               rate0 + SAMPLE_UNITS, rate45 + SAMPLE_UNITS };
  memset (d, 0, sizeof *d);
  d->n_layers = 2;
  d->layers = layers;
  d->n_classes = 10;
  d->high_act_frac = 0.28;
  d->hard_gates = TRUE;
  d->caption = "Fraction of test images of each digit for which a unit's gate is on.";
}

static inline void
sample_overlap (TgOverlapData *d)
{
  static const char *labels[2] = { "hidden 1", "hidden 2" };
  static double jac[2] = { 0.94, 0.71 }, jerr[2] = { 0.03, 0.12 }, ref[2] = { 1.0, 0.833 };
  static float g0[2 * SAMPLE_UNITS], g45[2 * SAMPLE_UNITS];
  guint32 seed = 5;
  for (guint i = 0; i < 2 * SAMPLE_UNITS; i++)
    {
      g0[i] = 0.5 + sample_noise (&seed) * 1.0;
      g45[i] = g0[i] + 0.2 * sample_noise (&seed) * (i >= SAMPLE_UNITS ? 2 : 1);
    }
  memset (d, 0, sizeof *d);
  d->n_layers = 2;
  d->layer_labels = labels;
  d->jaccard = jac;
  d->jaccard_err = jerr;
  d->ref = ref;
  d->ref_label = "paper";
  d->n_units = SAMPLE_UNITS;
  d->gate0 = g0;
  d->gate_rot = g45;
  d->threshold = 0.9;
  d->caption = "Table 3 of the paper as a figure; same foundation, TauGate specialised twice.";
}

static inline void
sample_table (TgResultsData *d)
{
  static TgResultsRow rows[7];
  static const gint64 params[7] = { 0, 266, 512, 256, 256, 10448, 118282 };
  static const double paper[7][4] = {
    { .832, .017, .833, .016 }, { .851, .005, .852, .009 }, { .850, .006, .850, .010 },
    { .850, .005, .849, .010 }, { .833, .017, .833, .015 }, { .855, .006, .864, .005 },
    { .783, .007, .887, .005 } };
  for (guint i = 0; i < 7; i++)
    {
      rows[i].method = sample_methods[i];
      rows[i].params = params[i];
      rows[i].paper = (TgResultsCells) { paper[i][0], paper[i][1], paper[i][2], paper[i][3],
                                         i == 2 ? 0.28 : NAN };
      rows[i].ours = (TgResultsCells) { paper[i][0] - 0.003, 0.007, paper[i][2] + 0.002, 0.008,
                                        i == 2 ? 0.31 : NAN };
    }
  rows[6].ours = (TgResultsCells) { NAN, NAN, NAN, NAN, NAN };   /* not computed yet */
  rows[5].ours.acc0_std = NAN;
  memset (d, 0, sizeof *d);
  d->n_rows = 7;
  d->rows = rows;
  d->n_seeds = 3;
  d->caption = "GainOnly and TauOnly are the paper's Table 2 ablations. —: not computed yet.";
}
