/* SPDX-License-Identifier: MIT */
/* tg-sweep.c — TauGate over a grid of (lambda, s) and seeds from one foundation per seed,
 * in pool tasks; then the batch-1 speedups timed one after another; then sweep.csv and the
 * LaTeX table (see tg-sweep.h). Not here: the figure (src/plot), the command line. */
#include "tg-sweep.h"
#include "tg-protocol-train.h"
#include "tg-report.h"
#include "tg-csv.h"

#include <math.h>
#include <string.h>

/* --- the protocol's two training steps (tg-protocol-train.c) --------------------------- */

TgModel *
tg_sweep_foundation (const TgExperimentConfig *cfg, const TgModeData *data, guint64 seed,
                     GCancellable *cancellable, GError **error)
{
  double angles[TG_MAX_MIX_MODES];
  guint32 n_angles = tg_experiment_config_foundation_angles (cfg, angles);
  g_autoptr (TgMix) mix = tg_mix_new (data, angles, n_angles, error);
  if (mix == NULL)
    return NULL;
  TgTrainHooks hooks = { .cancellable = cancellable };
  g_autofree char *what = g_strdup_printf ("the foundation of seed %" G_GUINT64_FORMAT, seed);
  return tg_protocol_foundation (cfg, data, mix, seed, what, &hooks, error);
}

TgModel *
tg_sweep_taugate (const TgModel *foundation, const TgExperimentConfig *cfg,
                  const TgModeData *data, guint64 seed, float lambda, float sharpness,
                  const float *z1_train, GCancellable *cancellable, GError **error)
{
  TgTrainHooks hooks = { .cancellable = cancellable };
  return tg_protocol_specialise (foundation, cfg, TG_METHOD_TAUGATE, lambda, sharpness,
                                 data->train_rot, z1_train, seed, &hooks, NULL, error);
}

/* --- the run -------------------------------------------------------------------------- */

typedef struct {
  TgModel *foundation;
  float   *z1_train_rot, *z1_test0, *z1_test_rot;
} Seed;

typedef struct {
  const TgSweepConfig *cfg;
  const TgModeData    *data;
  GCancellable        *cancellable;
  TgSweepProgressFunc  progress;
  gpointer             user_data;
  Seed                *seeds;
  TgSweepPoint        *points;
  TgModel            **models;     /* one per point, kept for the timing */
  GMutex               lock;       /* guards the fields below */
  GError              *error;
  guint                done, total;
} Sweep;

static guint
n_points (const TgSweepConfig *cfg)
{
  return cfg->n_lambdas * cfg->n_sharpness * cfg->protocol.seeds;
}

static gboolean
sweep_failed (Sweep *sw)
{
  g_mutex_lock (&sw->lock);
  gboolean failed = sw->error != NULL;
  g_mutex_unlock (&sw->lock);
  return failed || g_cancellable_is_cancelled (sw->cancellable);
}

static void
task_finish (Sweep *sw, GError *error, const char *what)
{
  g_mutex_lock (&sw->lock);
  if (error != NULL && sw->error == NULL)
    sw->error = error;
  else if (error != NULL)
    g_error_free (error);
  sw->done++;
  if (sw->progress)
    sw->progress (sw->done, sw->total, what, sw->user_data);
  g_mutex_unlock (&sw->lock);
}

static void
foundation_task (gpointer task, gpointer user_data)
{
  Sweep *sw = user_data;
  guint si = GPOINTER_TO_UINT (task) - 1;
  const TgExperimentConfig *cfg = &sw->cfg->protocol;
  GError *error = NULL;
  Seed *s = &sw->seeds[si];
  if (!sweep_failed (sw))
    {
      s->foundation = tg_sweep_foundation (cfg, sw->data, cfg->seed0 + si, sw->cancellable,
                                           &error);
      if (s->foundation != NULL)
        {
          /* W0 stays frozen under TauGate: its products are computed once per seed */
          s->z1_train_rot = tg_dataset_first_layer (s->foundation, sw->data->train_rot, 1024);
          s->z1_test0 = tg_dataset_first_layer (s->foundation, sw->data->test0, 1024);
          s->z1_test_rot = tg_dataset_first_layer (s->foundation, sw->data->test_rot, 1024);
        }
    }
  g_autofree char *what = g_strdup_printf ("foundation, seed %u", si);
  task_finish (sw, error, what);
}

/* Everything but the timing, on the test sets. */
static void
measure_point (const TgModel *m, const Seed *s, const TgModeData *data, TgSweepPoint *p)
{
  const TgForwardOpts soft = { TG_GATES_SOFT, (float) p->sharpness };
  const TgForwardOpts hard = { TG_GATES_HARD, (float) p->sharpness };
  guint32 units = tg_model_hidden_units (m);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 256);
  g_autofree float *gates = g_new (float, units);
  TgEval e0, er;

  tg_evaluate (m, ws, &soft, data->test0, s->z1_test0, 0, &e0);
  tg_evaluate (m, ws, &soft, data->test_rot, s->z1_test_rot, 0, &er);
  p->acc0_soft = e0.acc_soft;
  p->acc0_hard = e0.acc_hard;
  p->acc_rot_soft = er.acc_soft;
  p->acc_rot_hard = er.acc_hard;

  tg_mean_gates (m, ws, &soft, data->test_rot, s->z1_test_rot, 0, gates);
  double sum = 0.0;
  for (guint32 j = 0; j < units; j++)
    sum += gates[j];
  p->mean_gate = sum / units;

  tg_mean_gates (m, ws, &hard, data->test_rot, s->z1_test_rot, 0, gates);
  p->n_layers = tg_model_n_hidden (m);
  for (guint32 l = 0, base = 0; l < p->n_layers; base += m->dims[l + 1], l++)
    {
      double on = 0.0;
      for (guint32 j = 0; j < m->dims[l + 1]; j++)
        on += gates[base + j];
      p->on_frac[l] = on / m->dims[l + 1];
    }

  TgSparseMeasure sm;
  tg_sparse_measure (m, data->test_rot, 0, FALSE, &sm);
  p->madds_sparse = sm.madds_sparse;
  p->madds_dense = sm.madds_dense;
  p->identical = sm.identical;
  p->ties = sm.ties;
  p->n_test = sm.n;
}

static void
setting_task (gpointer task, gpointer user_data)
{
  Sweep *sw = user_data;
  guint k = GPOINTER_TO_UINT (task) - 1;
  TgSweepPoint *p = &sw->points[k];
  const Seed *s = &sw->seeds[p->seed_index];
  GError *error = NULL;
  if (!sweep_failed (sw))
    {
      TgModel *m = tg_sweep_taugate (s->foundation, &sw->cfg->protocol, sw->data, p->seed,
                                     (float) p->lambda, (float) p->sharpness, s->z1_train_rot,
                                     sw->cancellable, &error);
      if (m != NULL)
        {
          measure_point (m, s, sw->data, p);
          sw->models[k] = m;
        }
    }
  g_autofree char *what = g_strdup_printf ("TauGate λ %g, s %g, seed %u", p->lambda,
                                           p->sharpness, p->seed_index);
  task_finish (sw, error, what);
}

/* Runs func over tasks 1..n on the pool's threads and waits for them all. */
static gboolean
run_pool (Sweep *sw, GFunc func, guint n, guint threads, GError **error)
{
  GThreadPool *pool = g_thread_pool_new (func, sw, (gint) threads, FALSE, error);
  if (pool == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  return TRUE;
}

static void
sweep_clear (Sweep *sw)
{
  for (guint i = 0; sw->seeds != NULL && i < sw->cfg->protocol.seeds; i++)
    {
      tg_model_free (sw->seeds[i].foundation);
      g_free (sw->seeds[i].z1_train_rot);
      g_free (sw->seeds[i].z1_test0);
      g_free (sw->seeds[i].z1_test_rot);
    }
  for (guint k = 0; sw->models != NULL && k < n_points (sw->cfg); k++)
    tg_model_free (sw->models[k]);
  g_free (sw->seeds);
  g_free (sw->models);
  g_free (sw->points);
  g_clear_error (&sw->error);
  g_mutex_clear (&sw->lock);
}

void
tg_sweep_results_free (TgSweepResults *res)
{
  if (res == NULL)
    return;
  g_free (res->lambdas);
  g_free (res->sharpness);
  g_clear_pointer (&res->points, g_array_unref);
  g_free (res);
}

gboolean
tg_sweep_config_validate (const TgSweepConfig *cfg, GError **error)
{
  if (!tg_experiment_config_validate (&cfg->protocol, error))
    return FALSE;
  if (cfg->n_lambdas == 0 || cfg->n_sharpness == 0 || cfg->n_lambdas > 64 ||
      cfg->n_sharpness > 64)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "a sweep needs between 1 and 64 values of lambda and of s");
      return FALSE;
    }
  for (guint i = 0; i < cfg->n_lambdas; i++)
    if (!(cfg->lambdas[i] >= 0.0 && cfg->lambdas[i] <= 100.0))
      {
        g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                     "lambda must be between 0 and 100 (got %g)", cfg->lambdas[i]);
        return FALSE;
      }
  for (guint i = 0; i < cfg->n_sharpness; i++)
    if (!(cfg->sharpness[i] > 0.0 && cfg->sharpness[i] <= 1e4))
      {
        g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                     "s must be positive and at most 10000 (got %g)", cfg->sharpness[i]);
        return FALSE;
      }
  return TRUE;
}

TgSweepResults *
tg_sweep_run (const TgSweepConfig *cfg, const TgModeData *data, TgSweepProgressFunc progress,
              gpointer user_data, GCancellable *cancellable, GError **error)
{
  if (!tg_sweep_config_validate (cfg, error))
    return NULL;
  guint n = n_points (cfg), seeds = cfg->protocol.seeds;
  guint threads = cfg->protocol.threads ? cfg->protocol.threads : g_get_num_processors ();
  Sweep sw = { .cfg = cfg, .data = data, .cancellable = cancellable, .progress = progress,
               .user_data = user_data, .total = seeds + n };
  g_mutex_init (&sw.lock);
  sw.seeds = g_new0 (Seed, seeds);
  sw.points = g_new0 (TgSweepPoint, n);
  sw.models = g_new0 (TgModel *, n);
  for (guint li = 0, k = 0; li < cfg->n_lambdas; li++)
    for (guint si = 0; si < cfg->n_sharpness; si++)
      for (guint seed = 0; seed < seeds; seed++, k++)
        sw.points[k] = (TgSweepPoint) { .lambda = cfg->lambdas[li],
                                        .sharpness = cfg->sharpness[si], .seed_index = seed,
                                        .seed = cfg->protocol.seed0 + seed, .speedup = NAN };

  /* every task on one thread with single-threaded BLAS, as in the protocol */
  int caller_threads = tg_get_threads ();
  tg_set_threads (1);
  gboolean ok = run_pool (&sw, foundation_task, seeds, MIN (threads, seeds), error) &&
                sw.error == NULL && run_pool (&sw, setting_task, n, threads, error);
  for (guint k = 0; ok && sw.error == NULL && cfg->timing_images > 0 && k < n; k++)
    {
      TgSparseMeasure sm;
      tg_sparse_measure (sw.models[k], data->test_rot, cfg->timing_images, TRUE, &sm);
      sw.points[k].dense_p50_us = sm.dense_p50_us;
      sw.points[k].sparse_p50_us = sm.sparse_p50_us;
      sw.points[k].speedup = sm.sparse_p50_us > 0 ? sm.dense_p50_us / sm.sparse_p50_us : NAN;
    }
  tg_set_threads (caller_threads);

  if (ok && sw.error == NULL && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  if (ok && sw.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sw.error));
      ok = FALSE;
    }
  TgSweepResults *res = NULL;
  if (ok)
    {
      res = g_new0 (TgSweepResults, 1);
      res->config = *cfg;
      res->lambdas = g_memdup2 (cfg->lambdas, cfg->n_lambdas * sizeof (double));
      res->sharpness = g_memdup2 (cfg->sharpness, cfg->n_sharpness * sizeof (double));
      res->config.lambdas = res->lambdas;
      res->config.sharpness = res->sharpness;
      res->points = g_array_sized_new (FALSE, FALSE, sizeof (TgSweepPoint), n);
      g_array_append_vals (res->points, sw.points, n);
    }
  sweep_clear (&sw);
  return res;
}

/* --- outputs -------------------------------------------------------------------------- */

char *
tg_sweep_csv (const TgSweepResults *res)
{
  guint32 L = res->config.protocol.n_hidden;
  TgCsv *csv = tg_csv_new (NULL);
  const char *head[] = { "lambda", "sharpness", "seed_index", "seed", "acc_0_soft", "acc_0_hard",
                         "acc_rot_soft", "acc_rot_hard", "mean_gate" };
  const char *tail[] = { "madds_sparse", "madds_dense", "identical", "ties", "n_test",
                         "dense_p50_us", "sparse_p50_us", "speedup_batch1" };
  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    tg_csv_text (csv, head[i]);
  for (guint32 l = 0; l < L; l++)
    {
      g_autofree char *name = g_strdup_printf ("on_frac_%u", l + 1);
      tg_csv_text (csv, name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tail); i++)
    tg_csv_text (csv, tail[i]);
  tg_csv_end_row (csv);
  for (guint i = 0; i < res->points->len; i++)
    {
      const TgSweepPoint *p = &g_array_index (res->points, TgSweepPoint, i);
      tg_csv_number (csv, "%g", p->lambda);
      tg_csv_number (csv, "%g", p->sharpness);
      tg_csv_uint (csv, p->seed_index);
      tg_csv_uint (csv, p->seed);
      tg_csv_number (csv, "%.6f", p->acc0_soft);
      tg_csv_number (csv, "%.6f", p->acc0_hard);
      tg_csv_number (csv, "%.6f", p->acc_rot_soft);
      tg_csv_number (csv, "%.6f", p->acc_rot_hard);
      tg_csv_number (csv, "%.6f", p->mean_gate);
      for (guint32 l = 0; l < L; l++)
        tg_csv_number (csv, "%.6f", p->on_frac[l]);
      tg_csv_number (csv, "%.1f", p->madds_sparse);
      tg_csv_number (csv, "%.0f", p->madds_dense);
      tg_csv_uint (csv, p->identical);
      tg_csv_uint (csv, p->ties);
      tg_csv_uint (csv, p->n_test);
      tg_csv_number (csv, "%.6f", p->dense_p50_us);
      tg_csv_number (csv, "%.6f", p->sparse_p50_us);
      tg_csv_number (csv, "%.6f", p->speedup);
      tg_csv_end_row (csv);
    }
  return tg_csv_free_to_text (csv);
}

/* Mean and std over the seeds of (lambda index li, s index si) of the value at offset. */
static void
point_stats (const TgSweepResults *res, guint li, guint si, gsize offset, double *mean,
             double *std)
{
  guint seeds = res->config.protocol.seeds;
  g_autofree double *v = g_new (double, seeds);
  for (guint k = 0; k < seeds; k++)
    {
      guint idx = (li * res->config.n_sharpness + si) * seeds + k;
      const TgSweepPoint *p = &g_array_index (res->points, TgSweepPoint, idx);
      v[k] = *(const double *) ((const char *) p + offset);
    }
  tg_mean_std (v, seeds, mean, std);
}

static void
latex_pm (GString *s, const TgSweepResults *res, guint li, guint si, gsize offset,
          double scale, const char *format)
{
  double mean, std;
  point_stats (res, li, si, offset, &mean, &std);
  if (!isfinite (mean))
    {
      g_string_append (s, " & --");
      return;
    }
  g_string_append (s, " & $");
  tg_number_append (s, format, mean * scale);
  if (res->config.protocol.seeds > 1)
    {
      g_string_append (s, " \\pm ");
      tg_number_append (s, format, std * scale);
    }
  g_string_append_c (s, '$');
}

char *
tg_sweep_latex (const TgSweepResults *res)
{
  const TgSweepConfig *cfg = &res->config;
  guint32 L = cfg->protocol.n_hidden;
  GString *s = g_string_new ("% Needs \\usepackage{booktabs}.\n\\begin{table}[t]\n\\centering\n"
                             "\\small\n\\begin{tabular}{rr");
  g_string_append (s, "cccc");
  for (guint32 l = 0; l < L; l++)
    g_string_append_c (s, 'c');
  g_string_append (s, "rc}\n\\toprule\n$\\lambda$ & $s$ & 0\\textdegree{} soft & "
                      "0\\textdegree{} hard & target soft & target hard");
  for (guint32 l = 0; l < L; l++)
    g_string_append_printf (s, " & on L%u (\\%%)", l + 1);
  g_string_append (s, " & MACs & speedup \\\\\n\\midrule\n");
  for (guint li = 0; li < cfg->n_lambdas; li++)
    for (guint si = 0; si < cfg->n_sharpness; si++)
      {
        tg_number_append (s, "%g", cfg->lambdas[li]);
        g_string_append (s, " & ");
        tg_number_append (s, "%g", cfg->sharpness[si]);
        latex_pm (s, res, li, si, G_STRUCT_OFFSET (TgSweepPoint, acc0_soft), 1.0, "%.3f");
        latex_pm (s, res, li, si, G_STRUCT_OFFSET (TgSweepPoint, acc0_hard), 1.0, "%.3f");
        latex_pm (s, res, li, si, G_STRUCT_OFFSET (TgSweepPoint, acc_rot_soft), 1.0, "%.3f");
        latex_pm (s, res, li, si, G_STRUCT_OFFSET (TgSweepPoint, acc_rot_hard), 1.0, "%.3f");
        for (guint32 l = 0; l < L; l++)
          latex_pm (s, res, li, si, G_STRUCT_OFFSET (TgSweepPoint, on_frac) + l * sizeof (double),
                    100.0, "%.1f");
        double madds, madds_std, speed, speed_std;
        point_stats (res, li, si, G_STRUCT_OFFSET (TgSweepPoint, madds_sparse), &madds,
                     &madds_std);
        point_stats (res, li, si, G_STRUCT_OFFSET (TgSweepPoint, speedup), &speed, &speed_std);
        g_string_append (s, " & ");
        tg_number_append (s, "%.0f", madds);
        if (isfinite (speed))
          {
            g_string_append (s, " & $");
            tg_number_append (s, "%.2f", speed);
            g_string_append (s, "\\times$ \\\\\n");
          }
        else
          g_string_append (s, " & -- \\\\\n");
      }
  const TgSweepPoint *p0 = &g_array_index (res->points, TgSweepPoint, 0);
  g_autofree char *angle = tg_number_dup ("%g", cfg->protocol.angle);
  g_autofree char *dense = tg_number_dup ("%.0f", p0->madds_dense);
  g_string_append_printf (s,
      "\\bottomrule\n\\end{tabular}\n"
      "\\caption{TauGate over the sparsity penalty $\\lambda$ and the gate sharpness $s$%s, "
      "each from the same foundation per seed (mean $\\pm$ sample std over %u seed%s). "
      "Accuracy on the 0\\textdegree{} and the %s\\textdegree{} test sets with soft and hard "
      "gates; units on: fraction of $1[z > \\tau]$ per hidden layer on the target test set; "
      "MACs: multiply-adds per image of the sparse forward (dense: %s); speedup: batch-1 "
      "latency (median) of the dense forward (sgemv) over the sparse one, one core.}\n"
      "\\label{tab:taugate-sweep}\n\\end{table}\n",
      cfg->protocol.anneal_sharpness
        ? " (annealed within each epoch from $1/s$ to $s$, HAT's schedule)" : "",
      cfg->protocol.seeds, cfg->protocol.seeds == 1 ? "" : "s", angle, dense);
  return g_string_free (s, FALSE);
}
