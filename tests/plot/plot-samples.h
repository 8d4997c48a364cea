/* SPDX-License-Identifier: MIT */
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

/* Gate dynamics of two hidden layers over the adaptation, with a setting change. */
static inline void
sample_dynamics (TgDynamicsData *d)
{
  enum { N = 60 };
  static double step[N], high[N], g0[2][N], gr[2][N], u0[2][N], ur[2][N], jac[2][N];
  static TgDynamicsLayer layers[2];
  static TgPlotMarker markers[2] = { { 520, "λ=0.01" }, { 600, "s=20" } };
  guint32 seed = 13;
  for (guint i = 0; i < N; i++)
    {
      step[i] = 470 + 4 * i;
      double drop = i >= 12 ? 0.15 : 0.0;
      high[i] = 0.3 - drop / 2 + 0.01 * sample_noise (&seed);
      for (guint l = 0; l < 2; l++)
        {
          g0[l][i] = 0.62 - drop - 0.05 * l + 0.01 * sample_noise (&seed);
          gr[l][i] = 0.58 - drop - 0.05 * l + 0.01 * sample_noise (&seed);
          u0[l][i] = 80 - 100 * drop - 10 * l;
          ur[l][i] = 76 - 100 * drop - 10 * l;
          jac[l][i] = 0.9 - 0.2 * l + 0.02 * sample_noise (&seed);
        }
    }
  layers[0] = (TgDynamicsLayer) { "hidden 1", g0[0], gr[0], u0[0], ur[0], jac[0] };
  layers[1] = (TgDynamicsLayer) { "hidden 2", g0[1], gr[1], u0[1], ur[1], jac[1] };
  *d = (TgDynamicsData) { N, step, high, 2, layers, 2, markers, "45° inputs", NULL, NULL,
                          "Mean over the test images of each layer; dashed: 45° inputs." };
}

/* A lambda / s sweep: 4 lambdas x 3 s, with speedups, and the model being trained. */
static inline void
sample_sparsity (TgSparsityData *d)
{
  static TgSparsityPoint pts[12], current;
  static const double lambdas[4] = { 0.0, 0.01, 0.1, 1.0 }, sharp[3] = { 5, 10, 20 };
  for (guint k = 0; k < 12; k++)
    {
      double lambda = lambdas[k / 3], s = sharp[k % 3];
      pts[k] = (TgSparsityPoint) { lambda, s, 0.72 - 0.3 * lambda - 0.01 * (k % 3), 0.01,
                                   0.866 - 0.04 * lambda, 0.003, 0.02 - 0.006 * (k % 3),
                                   0.002, 1.2 + 2.0 * lambda };
    }
  current = (TgSparsityPoint) { 0.1, 20, 0.66, 0, 0.86, 0, 0, 0, 1.4 };
  memset (d, 0, sizeof *d);
  d->n_points = 12;
  d->points = pts;
  d->caption = "Mean ± std over 3 seeds; labels: λ and the measured batch-1 speedup.";
  d->current = &current;
}

/* Base and two adapters, soft and hard gates, over 0..90 degrees. */
static inline void
sample_modes (TgModesByAngleData *d)
{
  enum { M = 3, A = 7 };
  static const char *names[M] = { "Base", "TauGate 45°", "TauGate 90°" };
  static const double targets[M] = { NAN, 45, 90 };
  static double angles[A], acc[M * A], hard[M * A];
  for (guint a = 0; a < A; a++)
    {
      angles[a] = 15.0 * a;
      for (guint m = 0; m < M; m++)
        {
          double peak = m == 0 ? 22.5 : targets[m];
          acc[m * A + a] = 0.86 - 0.3 * fabs (angles[a] - peak) / 90.0;
          hard[m * A + a] = acc[m * A + a] - 0.01;
        }
    }
  *d = (TgModesByAngleData) { M, A, names, targets, angles, acc, hard, NULL,
                              "Test accuracy of each mode on the test set rotated by each "
                              "angle; diamonds: the angle an adapter was trained on." };
}

/* A 28 x 28 image: a soft diagonal stroke whose slope depends on k. */
static inline void
sample_digit (guint8 *px, guint k)
{
  for (guint r = 0; r < 28; r++)
    for (guint c = 0; c < 28; c++)
      {
        double dist = fabs ((double) c - 14 - (r - 14.0) * (0.2 + 0.1 * (k % 5)));
        px[r * 28 + c] = (guint8) (dist < 2.5 ? 255 - 60 * dist : 0);
      }
}

/* One unit of hidden 1 with every panel filled. */
static inline void
sample_unit (TgUnitPlotData *d)
{
  static float field[28 * 28], top_m[9], near_m[9];
  static double r0s[10], r0h[10], rts[10], rth[10], edges[21], effect[10];
  static guint32 counts[20];
  static guint8 top_px[9 * 28 * 28], near_px[9 * 28 * 28], top_l[9], near_l[9];
  guint32 seed = 17;
  for (guint i = 0; i < 28 * 28; i++)
    field[i] = (float) (0.3 * sin (i / 28 * 0.4) * cos (i % 28 * 0.3) + 0.05 * sample_noise (&seed));
  for (guint c = 0; c < 10; c++)
    {
      r0s[c] = 0.1 + 0.08 * c;
      r0h[c] = r0s[c] - 0.05;
      rts[c] = 0.2 + 0.05 * c;
      rth[c] = rts[c] - 0.04;
      effect[c] = c == 3 ? -0.8 : 0.1 * sample_noise (&seed);
    }
  for (guint b = 0; b <= 20; b++)
    edges[b] = -4.0 + 0.4 * b;
  for (guint b = 0; b < 20; b++)
    counts[b] = (guint32) (800 * exp (-((b - 9.5) * (b - 9.5)) / 20.0));
  for (guint k = 0; k < 9; k++)
    {
      sample_digit (top_px + k * 784, k);
      sample_digit (near_px + k * 784, k + 2);
      top_l[k] = 3;
      near_l[k] = (guint8) (k % 10);
      top_m[k] = 3.0f - 0.2f * k;
      near_m[k] = -0.05f * (k + 1);
    }
  memset (d, 0, sizeof *d);
  d->layer = 0;
  d->index = 37;
  d->model_label = "TauGate, 45°-specialised";
  d->tau = 0.12;
  d->gamma = 1.3;
  d->sharpness = 5.0;
  d->hard = TRUE;
  d->rows = d->cols = 28;
  d->field = field;
  d->n_classes = 10;
  d->label0 = "0°";
  d->label_target = "45°";
  d->rate0_soft = r0s;
  d->rate0_hard = r0h;
  d->rate_t_soft = rts;
  d->rate_t_hard = rth;
  d->hist_label = "45° test set";
  d->n_bins = 20;
  d->edges = edges;
  d->counts = counts;
  d->top = (TgUnitImages) { 9, top_px, top_l, top_m };
  d->near = (TgUnitImages) { 9, near_px, near_l, near_m };
  d->logit_effect = effect;
  d->caption = "Receptive field, firing per digit, z − τ on the 45° test set, the images "
               "that drive it most and its near misses, and the logits when it is silenced.";
}

/* The unit inspector during a run: the figure above plus τ and γ over 600 recorded steps,
 * step 400 shown, and the unit in three open modes (one of them ungated). */
static inline void
sample_unit_run (TgUnitPlotData *d)
{
  static double steps[600], tau[600], gamma[600], rate[3 * 10];
  static const double mode_tau[3] = { 0.12, -0.05, NAN }, mode_gamma[3] = { 1.3, 0.9, NAN };
  static const char *const names[3] = { "TauGate 45°", "TauGate 0°", "Base" };
  sample_unit (d);
  for (guint i = 0; i < 600; i++)
    {
      steps[i] = i;
      tau[i] = 0.12 * (1.0 - exp (-(double) i / 150.0));
      gamma[i] = 1.0 + 0.3 * (1.0 - exp (-(double) i / 200.0));
    }
  for (guint m = 0; m < 3; m++)
    for (guint c = 0; c < 10; c++)
      rate[m * 10 + c] = 0.1 + 0.07 * ((c + 3 * m) % 10);
  d->n_trajectory = 600;
  d->trajectory_steps = steps;
  d->trajectory_tau = tau;
  d->trajectory_gamma = gamma;
  d->trajectory_mark = 400;
  d->n_modes = 3;
  d->mode_names = names;
  d->mode_tau = mode_tau;
  d->mode_gamma = mode_gamma;
  d->mode_rate = rate;
}

/* The digit pad: one digit, two hidden layers of 128 gates, three models. */
static inline void
sample_pad (TgDigitPadData *d)
{
  static float image[28 * 28], soft[2 * SAMPLE_UNITS], hard[2 * SAMPLE_UNITS];
  static float probs[3][2][10];
  static guint widths[2] = { SAMPLE_UNITS, SAMPLE_UNITS };
  static TgPadModel models[3];
  static guint8 px[28 * 28];
  guint32 seed = 19;
  sample_digit (px, 1);
  for (guint i = 0; i < 28 * 28; i++)
    image[i] = px[i] / 255.0f;
  for (guint i = 0; i < 2 * SAMPLE_UNITS; i++)
    {
      soft[i] = (float) (0.5 + sample_noise (&seed));
      hard[i] = soft[i] > 0.5f ? 1.0f : 0.0f;
    }
  for (guint m = 0; m < 3; m++)
    for (guint g = 0; g < 2; g++)
      for (guint c = 0; c < 10; c++)
        probs[m][g][c] = c == 7 ? 0.7f - 0.1f * m : 0.3f / 9;
  models[0] = (TgPadModel) { "Base", probs[0][0], probs[0][1] };
  models[1] = (TgPadModel) { "TauGate, 45°-specialised", probs[1][0], probs[1][1] };
  models[2] = (TgPadModel) { "TauGate, 90°-specialised", probs[2][0], probs[2][1] };
  memset (d, 0, sizeof *d);
  d->rows = d->cols = 28;
  d->image = image;
  d->angle = 30.0;
  d->true_label = 7;
  d->n_layers = 2;
  d->widths = widths;
  d->gates_soft = soft;
  d->gates_hard = hard;
  d->gates_label = "TauGate, 45°-specialised";
  d->n_classes = 10;
  d->n_models = 3;
  d->models = models;
  d->caption = "The digit as the network sees it, the gates of every hidden unit, and the "
               "class probabilities of each model.";
}
