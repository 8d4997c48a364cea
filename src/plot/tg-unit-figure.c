/* SPDX-License-Identifier: MIT */
/* tg-unit-figure.c — a unit's report as the inspector figure's data, and its CSV
 * (see tg-unit-figure.h). Nothing is drawn here and nothing is measured beyond tg-unit.h's
 * calls: this file copies and points. */
#include "tg-unit-figure.h"
#include "tg-csv.h"

#include <math.h>
#include <string.h>

#define CAPTION \
  "Firing rate: mean gate per digit on the test set (soft σ(s (z − τ)), hard 1[z > τ]). " \
  "Histogram: z − τ of every test image in equal bins, grey where the unit is off. Images: " \
  "the test images with the largest z − τ, and the misses closest to the threshold. " \
  "Δ logit: mean change of each class's logit over the test set when the unit's output is " \
  "set to 0 (red: rises, blue: falls)."

/* The images, labels and margins of a list of examples, for the figure. */
static void
gather_images (const TgDataset *ds, const TgUnitReport *r, const guint32 *idx, guint n,
               guint8 *pixels, guint8 *labels, float *margin, TgUnitImages *out)
{
  for (guint i = 0; i < n; i++)
    {
      memcpy (pixels + (size_t) i * ds->dim, ds->pixels + (size_t) idx[i] * ds->dim, ds->dim);
      labels[i] = ds->labels[idx[i]];
      margin[i] = r->margin[idx[i]];
    }
  *out = (TgUnitImages) { n, pixels, labels, margin };
}

TgUnitFigure *
tg_unit_figure_new (const TgModel *m, TgUnitId u, const TgDataset *test0,
                    const TgDataset *test_t, double angle, gboolean on_target,
                    const TgForwardOpts *opts, const char *model_label, GError **error)
{
  const TgDataset *ds = on_target ? test_t : test0;
  gboolean hard = opts->gates == TG_GATES_HARD;
  g_autoptr (TgUnitReport) r = tg_unit_report_new (m, ds, u, opts, 0, error);
  if (r == NULL)
    return NULL;
  TgUnitFigure *f = g_new0 (TgUnitFigure, 1);
  guint C = r->n_classes;
  f->rate0_soft = g_new (double, C);
  f->rate0_hard = g_new (double, C);
  f->rate_t_soft = g_new (double, C);
  f->rate_t_hard = g_new (double, C);
  /* the report has the rates of the set it was measured on; the other set is measured here */
  memcpy (on_target ? f->rate_t_soft : f->rate0_soft, r->rate_soft, C * sizeof (double));
  memcpy (on_target ? f->rate_t_hard : f->rate0_hard, r->rate_hard, C * sizeof (double));
  if (on_target)
    tg_unit_firing (m, test0, u, opts->sharpness, f->rate0_soft, f->rate0_hard);
  else
    tg_unit_firing (m, test_t, u, opts->sharpness, f->rate_t_soft, f->rate_t_hard);
  f->top_pixels = g_new (guint8, (size_t) TG_UNIT_N_EXAMPLES * ds->dim);
  f->near_pixels = g_new (guint8, (size_t) TG_UNIT_N_EXAMPLES * ds->dim);
  f->title = g_strdup_printf ("Hidden %u, unit %u", u.layer + 1, u.index);
  f->label0 = g_strdup ("0°");
  f->label_t = g_strdup_printf ("%g°", angle);
  f->hist_label = g_strdup_printf ("%g° test set (%u images)", on_target ? angle : 0.0, ds->n);
  f->model_label = g_strdup (model_label);

  TgUnitPlotData *d = &f->data;
  *d = (TgUnitPlotData) {
    .layer = u.layer, .index = u.index, .model_label = f->model_label,
    .tau = r->tau, .gamma = r->gamma, .sharpness = opts->sharpness, .hard = hard,
    .ungated = !tg_method_info (m->method)->gated,
    .rows = ds->rows, .cols = ds->cols, .field = r->field,
    .n_field_inputs = r->n_field_inputs, .field_inputs = r->field_inputs,
    .field_weights = r->field_weights, .n_classes = C, .label0 = f->label0,
    .label_target = f->label_t, .rate0_soft = f->rate0_soft, .rate0_hard = f->rate0_hard,
    .rate_t_soft = f->rate_t_soft, .rate_t_hard = f->rate_t_hard, .hist_label = f->hist_label,
    .n_bins = r->n_bins, .edges = r->edges, .counts = r->counts,
    .logit_effect = r->logit_effect, .title = f->title, .caption = CAPTION,
    .trajectory_mark = NAN,
  };
  f->sharpness = opts->sharpness;
  gather_images (ds, r, r->top, r->n_top, f->top_pixels, f->top_labels, f->top_margin, &d->top);
  gather_images (ds, r, r->near, r->n_near, f->near_pixels, f->near_labels, f->near_margin,
                 &d->near);
  f->report = g_steal_pointer (&r);
  return f;
}

void
tg_unit_figure_free (TgUnitFigure *f)
{
  if (f == NULL)
    return;
  tg_unit_report_free (f->report);
  g_free (f->rate0_soft);
  g_free (f->rate0_hard);
  g_free (f->rate_t_soft);
  g_free (f->rate_t_hard);
  g_free (f->top_pixels);
  g_free (f->near_pixels);
  g_free (f->title);
  g_free (f->label0);
  g_free (f->label_t);
  g_free (f->hist_label);
  g_free (f->model_label);
  g_free (f->traj_steps);
  g_free (f->traj_tau);
  g_free (f->traj_gamma);
  for (guint m = 0; m < TG_UNIT_MAX_MODES; m++)
    g_free (f->mode_names[m]);
  g_free (f->mode_rate);
  g_free (f);
}

void
tg_unit_figure_set_trajectory (TgUnitFigure *f, guint n, const double *steps,
                               const double *tau, const double *gamma, double mark)
{
  g_free (f->traj_steps);
  g_free (f->traj_tau);
  g_free (f->traj_gamma);
  f->traj_steps = g_memdup2 (steps, n * sizeof (double));
  f->traj_tau = g_memdup2 (tau, n * sizeof (double));
  f->traj_gamma = g_memdup2 (gamma, n * sizeof (double));
  f->data.n_trajectory = n;
  f->data.trajectory_steps = f->traj_steps;
  f->data.trajectory_tau = f->traj_tau;
  f->data.trajectory_gamma = f->traj_gamma;
  f->data.trajectory_mark = mark;
}

gboolean
tg_unit_figure_add_modes (TgUnitFigure *f, const TgModel *const *models,
                          const char *const *names, const float *sharpness, guint n,
                          const TgDataset *test_t, GError **error)
{
  const TgUnitReport *r = f->report;
  guint C = r->n_classes, nm = 1 + MIN (n, TG_UNIT_MAX_MODES - 1u);
  for (guint i = 0; i + 1 < nm; i++)
    if (!tg_unit_check (models[i], r->unit, error))
      {
        g_prefix_error (error, "Mode %s: ", names[i]);
        return FALSE;
      }
    else if (models[i]->dims[0] != test_t->dim || models[i]->dims[models[i]->n_linear] != C)
      {
        g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                     "Mode %s takes %u inputs and has %u classes; the test set has %u and %u",
                     names[i], models[i]->dims[0], models[i]->dims[models[i]->n_linear],
                     test_t->dim, test_t->n_classes);
        return FALSE;
      }
  g_autofree double *soft = g_new (double, C);
  g_autofree double *hard = g_new (double, C);
  g_free (f->mode_rate);
  f->mode_rate = g_new (double, (gsize) nm * C);
  for (guint m = 0; m < TG_UNIT_MAX_MODES; m++)
    g_clear_pointer (&f->mode_names[m], g_free);
  f->mode_names[0] = g_strdup (f->model_label ? f->model_label : "this model");
  f->mode_tau[0] = f->data.ungated ? NAN : r->tau;
  f->mode_gamma[0] = f->data.ungated ? NAN : r->gamma;
  memcpy (f->mode_rate, r->hard ? f->rate_t_hard : f->rate_t_soft, C * sizeof (double));
  for (guint m = 1; m < nm; m++)
    {
      const TgModel *model = models[m - 1];
      gsize at = r->unit.index;
      tg_unit_firing (model, test_t, r->unit, sharpness[m - 1], soft, hard);
      memcpy (f->mode_rate + (gsize) m * C, r->hard ? hard : soft, C * sizeof (double));
      f->mode_names[m] = g_strdup (names[m - 1]);
      gboolean gated = tg_method_info (model->method)->gated;
      f->mode_tau[m] = gated ? model->params[model->tau[r->unit.layer] + at] : NAN;
      f->mode_gamma[m] = gated ? model->params[model->gamma[r->unit.layer] + at] : NAN;
    }
  f->data.n_modes = nm;
  f->data.mode_names = (const char *const *) f->mode_names;
  f->data.mode_tau = f->mode_tau;
  f->data.mode_gamma = f->mode_gamma;
  f->data.mode_rate = f->mode_rate;
  return TRUE;
}

/* --- CSV ------------------------------------------------------------------------------ */

/* The first cells of a "quantity,index,value" row; index < 0 is an empty index. */
static void
csv_key (TgCsv *csv, const char *quantity, gint64 index)
{
  tg_csv_text (csv, quantity);
  if (index >= 0)
    tg_csv_int (csv, index);
  else
    tg_csv_empty (csv);
}

static void
csv_row (TgCsv *csv, const char *quantity, gint64 index, double value)
{
  csv_key (csv, quantity, index);
  tg_csv_number (csv, "%.9g", value);
  tg_csv_end_row (csv);
}

static void
csv_count (TgCsv *csv, const char *quantity, gint64 index, gint64 value)
{
  csv_key (csv, quantity, index);
  tg_csv_int (csv, value);
  tg_csv_end_row (csv);
}

static void
csv_doubles (TgCsv *csv, const char *name, const double *v, guint n)
{
  for (guint i = 0; v && i < n; i++)
    csv_row (csv, name, i, v[i]);
}

static void
csv_images (TgCsv *csv, const char *name, const TgUnitReport *r, const guint32 *idx,
            const TgUnitImages *im)
{
  g_autofree char *image = g_strdup_printf ("%s_image", name);
  g_autofree char *label = g_strdup_printf ("%s_label", name);
  g_autofree char *margin = g_strdup_printf ("%s_margin", name);
  for (guint i = 0; i < im->n; i++)
    {
      csv_count (csv, image, i, idx[i]);
      csv_count (csv, label, i, im->labels[i]);
      csv_row (csv, margin, i, r->margin[idx[i]]);
    }
}

/* The unit in the other modes: mode_name,M,NAME, its mode_tau, mode_gamma and its rate per
 * class. */
static void
csv_modes (TgCsv *csv, const TgUnitPlotData *d, guint n_classes)
{
  for (guint m = 0; m < d->n_modes; m++)
    {
      csv_key (csv, "mode_name", m);
      tg_csv_text (csv, d->mode_names[m]);
      tg_csv_end_row (csv);
      csv_row (csv, "mode_tau", m, d->mode_tau[m]);
      csv_row (csv, "mode_gamma", m, d->mode_gamma[m]);
      g_autofree char *rate = g_strdup_printf ("mode%u_rate_target", m);
      csv_doubles (csv, rate, d->mode_rate + (gsize) m * n_classes, n_classes);
    }
}

char *
tg_unit_figure_csv (const TgUnitFigure *f)
{
  const TgUnitReport *r = f->report;
  const TgUnitPlotData *d = &f->data;
  TgCsv *csv = tg_csv_new ("quantity,index,value");
  tg_csv_set_missing (csv, "nan");
  csv_count (csv, "layer", -1, r->unit.layer + 1);
  csv_count (csv, "unit", -1, r->unit.index);
  csv_row (csv, "tau", -1, r->tau);
  csv_row (csv, "gamma", -1, r->gamma);
  csv_count (csv, "hard_gates", -1, r->hard);
  csv_doubles (csv, "rate_0_soft", f->rate0_soft, r->n_classes);
  csv_doubles (csv, "rate_0_hard", f->rate0_hard, r->n_classes);
  csv_doubles (csv, "rate_target_soft", f->rate_t_soft, r->n_classes);
  csv_doubles (csv, "rate_target_hard", f->rate_t_hard, r->n_classes);
  csv_doubles (csv, "hist_edge", r->edges, r->n_bins + 1);
  for (guint b = 0; b < r->n_bins; b++)
    csv_count (csv, "hist_count", b, r->counts[b]);
  csv_images (csv, "top", r, r->top, &f->data.top);
  csv_images (csv, "near", r, r->near, &f->data.near);
  csv_doubles (csv, "logit_effect", r->logit_effect, r->n_classes);
  for (guint i = 0; i < r->n_field_inputs; i++)
    {
      csv_count (csv, "field_input", i, r->field_inputs[i]);
      csv_row (csv, "field_weight", i, r->field_weights[i]);
    }
  for (guint p = 0; p < r->field_rows * r->field_cols; p++)
    csv_row (csv, "field", p, r->field[p]);
  csv_doubles (csv, "trajectory_step", d->trajectory_steps, d->n_trajectory);
  csv_doubles (csv, "trajectory_tau", d->trajectory_tau, d->n_trajectory);
  csv_doubles (csv, "trajectory_gamma", d->trajectory_gamma, d->n_trajectory);
  if (isfinite (d->trajectory_mark))
    {
      csv_key (csv, "shown_step", -1);
      tg_csv_number (csv, "%.0f", d->trajectory_mark);
      tg_csv_end_row (csv);
    }
  csv_modes (csv, d, r->n_classes);
  return tg_csv_free_to_text (csv);
}
