/* SPDX-License-Identifier: MIT */
/* tg-zoo.c — the accuracy matrix and the mode map of many modes (see tg-zoo.h). Routing is
 * tg-zoo-route.c; training the modes tg-zoo-run.c. */
#include "tg-zoo.h"
#include "tg-metrics.h"
#include "tg-multimode.h"

#include <math.h>
#include <string.h>

static char **
names_dup (guint n, const char *const *names)
{
  char **out = g_new0 (char *, n + 1);
  for (guint k = 0; k < n; k++)
    out[k] = names && names[k] ? g_strdup (names[k]) : g_strdup_printf ("mode %u", k + 1);
  return out;
}

static double *
angles_dup (guint n, const double *angles)
{
  double *out = g_new (double, MAX (n, 1));
  for (guint k = 0; k < n; k++)
    out[k] = angles ? angles[k] : NAN;
  return out;
}

/* --- the accuracy matrix ------------------------------------------------------------- */

TgAccMatrix *
tg_acc_matrix_new (guint n_modes, const char *const *names, const double *mode_angles,
                   guint n_angles, const double *test_angles)
{
  TgAccMatrix *am = g_new0 (TgAccMatrix, 1);
  am->n_modes = n_modes;
  am->n_angles = n_angles;
  am->names = names_dup (n_modes, names);
  am->mode_angles = angles_dup (n_modes, mode_angles);
  am->test_angles = angles_dup (n_angles, test_angles);
  size_t cells = MAX ((size_t) n_modes * n_angles, 1);
  am->acc_soft = g_new (double, cells);
  am->acc_hard = g_new (double, cells);
  for (size_t i = 0; i < cells; i++)
    am->acc_soft[i] = am->acc_hard[i] = NAN;
  return am;
}

void
tg_acc_matrix_free (TgAccMatrix *am)
{
  if (am == NULL)
    return;
  g_strfreev (am->names);
  g_free (am->mode_angles);
  g_free (am->test_angles);
  g_free (am->acc_soft);
  g_free (am->acc_hard);
  g_free (am);
}

static gboolean
same_angle (double a, double b)
{
  if (!isfinite (a) || !isfinite (b))
    return FALSE;
  double d = fmod (fabs (a - b), 360.0);
  return d < 1e-9 || 360.0 - d < 1e-9;
}

int
tg_acc_matrix_own_angle (const TgAccMatrix *am, guint mode)
{
  g_return_val_if_fail (am != NULL && mode < am->n_modes, -1);
  for (guint a = 0; a < am->n_angles; a++)
    if (same_angle (am->mode_angles[mode], am->test_angles[a]))
      return (int) a;
  return -1;
}

double
tg_acc_matrix_own_mean (const TgAccMatrix *am, gboolean hard)
{
  double sum = 0;
  guint n = 0;
  for (guint m = 0; m < am->n_modes; m++)
    {
      int a = tg_acc_matrix_own_angle (am, m);
      double v = a < 0 ? NAN : tg_acc_matrix_get (am, hard, m, (guint) a);
      if (isfinite (v))
        sum += v, n++;
    }
  return n ? sum / n : NAN;
}

/* What every angle's task reads: the models split into those that share the foundation's
 * weights (one pass; gated ones twice, soft and hard) and the others. */
typedef struct {
  const TgModel        *foundation;
  const TgModel *const *models;
  const float          *sharpness;
  guint                 n_models;
  const TgDataset      *test;
  TgAccMatrix          *am;
  GCancellable         *cancellable;
  /* the pass's rows: model index, gate mode */
  const TgModel       **pass_models;
  TgForwardOpts        *pass_opts;
  guint                *pass_row;
  guint                 n_pass;
  gboolean             *shared;   /* n_models */
} MatrixJob;

static void
matrix_angle_task (gpointer task, gpointer user_data)
{
  MatrixJob *job = user_data;
  guint a = GPOINTER_TO_UINT (task) - 1;
  TgAccMatrix *am = job->am;
  if (g_cancellable_is_cancelled (job->cancellable))
    return;
  g_autoptr (TgDataset) rot = tg_dataset_rotated (job->test, am->test_angles[a]);
  gboolean any_alone = FALSE;
  for (guint k = 0; k < job->n_models; k++)
    any_alone |= !job->shared[k];
  /* LoRA needs x W0^T of the set too: made once then, else batch by batch in the pass */
  g_autofree float *z1 = any_alone ? tg_dataset_first_layer (job->foundation, rot, 1000) : NULL;
  if (job->n_pass > 0)
    {
      g_autoptr (TgMultiForward) pass = tg_multi_forward_new (
          job->foundation, job->pass_models, job->n_pass, TG_MULTI_FORWARD_BATCH, NULL);
      g_autofree double *acc = g_new (double, job->n_pass);
      tg_multi_forward_accuracy (pass, job->pass_opts, rot, z1, 0, acc);
      for (guint p = 0; p < job->n_pass; p++)
        {
          size_t at = (size_t) job->pass_row[p] * am->n_angles + a;
          if (job->pass_opts[p].gates == TG_GATES_HARD)
            am->acc_hard[at] = acc[p];
          else
            am->acc_soft[at] = am->acc_hard[at] = acc[p];
        }
    }
  for (guint k = 0; k < job->n_models; k++)
    if (!job->shared[k])
      {
        const TgModel *m = job->models[k];
        g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 1000);
        TgForwardOpts soft = { TG_GATES_SOFT, job->sharpness[k] };
        TgEval e;
        tg_evaluate (m, ws, &soft, rot, z1, 0, &e);
        am->acc_soft[(size_t) k * am->n_angles + a] = e.acc_soft;
        am->acc_hard[(size_t) k * am->n_angles + a] = e.acc_hard;
      }
}

/* Runs func over tasks 1..n on a pool of threads with single-threaded BLAS. */
static gboolean
run_tasks (GFunc func, gpointer job, guint n, guint threads, GError **error)
{
  if (threads == 0)
    threads = g_get_num_processors ();
  int caller_threads = tg_get_threads ();
  tg_set_threads (1);
  GThreadPool *pool = g_thread_pool_new (func, job, (gint) MAX (1, MIN (threads, n)), FALSE,
                                         error);
  if (pool == NULL)
    {
      tg_set_threads (caller_threads);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  tg_set_threads (caller_threads);
  return TRUE;
}

TgAccMatrix *
tg_acc_matrix_measure (const TgModel *foundation, const TgModel *const *models,
                       const float *sharpness, const char *const *names,
                       const double *mode_angles, guint n_modes, const TgDataset *test,
                       const double *angles, guint n_angles, guint threads,
                       GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (foundation != NULL && test != NULL, NULL);
  g_return_val_if_fail ((models != NULL && sharpness != NULL) || n_modes == 0, NULL);
  if (test->dim != foundation->dims[0])
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "the test images have %u pixels, the foundation takes %u inputs",
                   test->dim, foundation->dims[0]);
      return NULL;
    }
  g_autoptr (TgAccMatrix) am = tg_acc_matrix_new (n_modes, names, mode_angles, n_angles, angles);
  am->n_test = test->n;
  MatrixJob job = { .foundation = foundation, .models = models, .sharpness = sharpness,
                    .n_models = n_modes, .test = test, .am = am, .cancellable = cancellable };
  g_autofree const TgModel **pass_models = g_new (const TgModel *, 2 * MAX (n_modes, 1));
  g_autofree TgForwardOpts *pass_opts = g_new (TgForwardOpts, 2 * MAX (n_modes, 1));
  g_autofree guint *pass_row = g_new (guint, 2 * MAX (n_modes, 1));
  g_autofree gboolean *shared = g_new0 (gboolean, MAX (n_modes, 1));
  for (guint k = 0; k < n_modes; k++)
    {
      shared[k] = tg_multi_forward_can_share (foundation, models[k]);
      for (int h = 0; shared[k] && h < 1 + tg_method_info (models[k]->method)->gated; h++)
        {
          pass_models[job.n_pass] = models[k];
          pass_opts[job.n_pass] = (TgForwardOpts) { h ? TG_GATES_HARD : TG_GATES_SOFT,
                                                    sharpness[k] };
          pass_row[job.n_pass++] = k;
        }
    }
  job.pass_models = pass_models;
  job.pass_opts = pass_opts;
  job.pass_row = pass_row;
  job.shared = shared;
  if (!run_tasks (matrix_angle_task, &job, n_angles, threads, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&am);
}

TgAccMatrix *
tg_acc_matrix_from_modes (TgModes *modes, const TgDataset *test, const double *angles,
                          guint n_angles, guint threads, GCancellable *cancellable,
                          GError **error)
{
  g_return_val_if_fail (modes != NULL, NULL);
  guint n = tg_modes_count (modes);
  g_autofree const TgModel **models = g_new (const TgModel *, n);
  g_autofree float *sharpness = g_new (float, n);
  g_autofree const char **names = g_new (const char *, n);
  g_autofree double *targets = g_new (double, n);
  for (guint k = 0; k < n; k++)
    {
      const TgMode *mode = tg_modes_get (modes, k);
      models[k] = mode->model;
      sharpness[k] = mode->sharpness;
      names[k] = mode->name;
      targets[k] = mode->target_angle;
    }
  return tg_acc_matrix_measure (modes->foundation, models, sharpness, names, targets, n, test,
                                angles, n_angles, threads, cancellable, error);
}

/* --- the mode map --------------------------------------------------------------------- */

void
tg_mode_pair_jaccard (const float *gates_a, const float *gates_b, guint n_layers,
                      const guint32 *widths, float threshold, double *out)
{
  for (guint l = 0, base = 0; l < n_layers; base += widths[l], l++)
    out[l] = tg_jaccard (gates_a + base, gates_b + base, widths[l], threshold);
}

TgModeMap *
tg_mode_map_new (guint n_modes, const char *const *names, const double *mode_angles,
                 guint n_layers, const guint32 *widths, const float *mean_gates,
                 float threshold)
{
  g_return_val_if_fail (n_layers <= TG_MAX_LINEAR && (widths != NULL || n_layers == 0), NULL);
  TgModeMap *map = g_new0 (TgModeMap, 1);
  map->n_modes = n_modes;
  map->n_layers = n_layers;
  for (guint l = 0; l < n_layers; l++)
    {
      map->widths[l] = widths[l];
      map->n_units += widths[l];
    }
  map->names = names_dup (n_modes, names);
  map->mode_angles = angles_dup (n_modes, mode_angles);
  map->threshold = threshold;
  size_t units = (size_t) n_modes * map->n_units;
  map->mean_gates = g_new0 (float, MAX (units, 1));
  if (mean_gates != NULL)
    memcpy (map->mean_gates, mean_gates, units * sizeof (float));
  map->n_on = g_new0 (guint32, MAX ((size_t) n_modes * n_layers, 1));
  map->jaccard = g_new (double, MAX ((size_t) n_layers * n_modes * n_modes, 1));
  double j[TG_MAX_LINEAR];
  for (guint a = 0; a < n_modes; a++)
    {
      const float *ga = map->mean_gates + (size_t) a * map->n_units;
      for (guint l = 0, base = 0; l < n_layers; base += widths[l], l++)
        for (guint32 u = 0; u < widths[l]; u++)
          map->n_on[(size_t) a * n_layers + l] += ga[base + u] > threshold;
      for (guint b = a; b < n_modes; b++)
        {
          tg_mode_pair_jaccard (ga, map->mean_gates + (size_t) b * map->n_units, n_layers,
                                widths, threshold, j);
          for (guint l = 0; l < n_layers; l++)
            map->jaccard[((size_t) l * n_modes + a) * n_modes + b] =
              map->jaccard[((size_t) l * n_modes + b) * n_modes + a] = j[l];
        }
    }
  return map;
}

void
tg_mode_map_free (TgModeMap *map)
{
  if (map == NULL)
    return;
  g_strfreev (map->names);
  g_free (map->mode_angles);
  g_free (map->mean_gates);
  g_free (map->n_on);
  g_free (map->jaccard);
  g_free (map);
}

typedef struct {
  const TgModel *const *models;
  const float          *sharpness;
  const double         *mode_angles;
  const TgDataset      *test;
  float                *gates;   /* (n_modes, units) */
  guint32               units;
  GCancellable         *cancellable;
} GatesJob;

static void
mode_gates_task (gpointer task, gpointer user_data)
{
  GatesJob *job = user_data;
  guint k = GPOINTER_TO_UINT (task) - 1;
  if (g_cancellable_is_cancelled (job->cancellable))
    return;
  const TgModel *m = job->models[k];
  g_autoptr (TgDataset) own = tg_dataset_rotated (job->test, job->mode_angles[k]);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 1000);
  TgForwardOpts soft = { TG_GATES_SOFT, job->sharpness[k] };
  tg_mean_gates (m, ws, &soft, own, NULL, 0, job->gates + (size_t) k * job->units);
}

TgModeMap *
tg_mode_map_measure (const TgModel *const *models, const float *sharpness,
                     const char *const *names, const double *mode_angles, guint n_modes,
                     const TgDataset *test, float threshold, guint threads,
                     GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (test != NULL && (models != NULL || n_modes == 0), NULL);
  for (guint k = 0; k < n_modes; k++)
    {
      const char *name = names && names[k] ? names[k] : "";
      if (!tg_method_info (models[k]->method)->gated)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "mode %u (%s) has no gates: a mode map needs gated modes", k + 1, name);
          return NULL;
        }
      if (!isfinite (mode_angles[k]))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "mode %u (%s) has no training angle, so no test set of its own", k + 1,
                       name);
          return NULL;
        }
      if (models[k]->n_linear != models[0]->n_linear ||
          memcmp (models[k]->dims, models[0]->dims, sizeof models[0]->dims) != 0 ||
          models[k]->dims[0] != test->dim)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "mode %u (%s) does not have the shape of the others or of the images",
                       k + 1, name);
          return NULL;
        }
    }
  guint32 widths[TG_MAX_LINEAR] = { 0 };
  guint L = n_modes ? tg_model_n_hidden (models[0]) : 0;
  for (guint l = 0; l < L; l++)
    widths[l] = models[0]->dims[l + 1];
  guint32 units = n_modes ? tg_model_hidden_units (models[0]) : 0;
  g_autofree float *gates = g_new0 (float, MAX ((size_t) n_modes * units, 1));
  GatesJob job = { .models = models, .sharpness = sharpness, .mode_angles = mode_angles,
                   .test = test, .gates = gates, .units = units, .cancellable = cancellable };
  if (!run_tasks (mode_gates_task, &job, n_modes, threads, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return tg_mode_map_new (n_modes, names, mode_angles, L, widths, gates, threshold);
}
