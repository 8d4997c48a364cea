/* SPDX-License-Identifier: MIT */
/* tg-zoo-run.c — training and measuring a zoo (see tg-zoo-run.h). Per seed: the training set
 * rotated by every angle once (pool tasks), the foundation on its mix of them, then each
 * angle's adapters, every method of an angle in one task sharing the rotated set and its
 * first-layer products; then each method's K modes measured together. */
#include "tg-zoo-run.h"
#include "tg-checkpoint.h"
#include "tg-csv.h"
#include "tg-digest.h"
#include "tg-protocol-train.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <time.h>

typedef struct {
  const TgZooConfig *cfg;
  const TgModeData  *data;
  TgZooProgressFunc  progress;
  gpointer           user_data;
  GCancellable      *cancellable;
  TgZooResults      *res;
  guint32            si;
  TgDataset        **train_at;   /* n_angles: the training set at each angle (borrowed for 0) */
  TgZooMethodRun    *method_runs[TG_N_METHODS];
  GMutex             lock;       /* guards error, done */
  GError            *error;
  guint              done, total;
} Zoo;

static gboolean
wants (const TgZooConfig *cfg, TgMethod m)
{
  return (cfg->protocol.methods >> m) & 1;
}

static void
step_done (Zoo *z, GError *error, const char *what)
{
  g_mutex_lock (&z->lock);
  if (error != NULL && z->error == NULL && !g_error_matches (error, TG_ERROR, TG_ERROR_CANCELLED))
    z->error = error;
  else if (error != NULL)
    g_error_free (error);
  z->done++;
  if (z->progress)
    z->progress (z->done, z->total, what, z->user_data);
  g_mutex_unlock (&z->lock);
}

static gboolean
zoo_failed (Zoo *z)
{
  g_mutex_lock (&z->lock);
  gboolean failed = z->error != NULL;
  g_mutex_unlock (&z->lock);
  return failed || g_cancellable_is_cancelled (z->cancellable);
}

static gboolean
run_pool (Zoo *z, GFunc func, guint n)
{
  guint threads = tg_experiment_config_threads (&z->cfg->protocol);
  GThreadPool *pool = g_thread_pool_new (func, z, (gint) MAX (1, MIN (threads, n)), FALSE, NULL);
  for (guint i = 0; i < n; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  return !zoo_failed (z);
}

/* --- the training sets and the foundation ---------------------------------------------- */

static gboolean
is_zero (double a)
{
  return fmod (fabs (a), 360.0) == 0.0;
}

static void
rotate_task (gpointer task, gpointer user_data)
{
  Zoo *z = user_data;
  guint a = GPOINTER_TO_UINT (task) - 1;
  double angle = z->cfg->angles[a];
  if (!zoo_failed (z) && !is_zero (angle))
    z->train_at[a] = tg_dataset_rotated (z->data->train0, angle);
}

static const TgDataset *
train_at (const Zoo *z, guint a)
{
  return z->train_at[a] ? z->train_at[a] : z->data->train0;
}

static GHashTable *
zoo_metadata (const TgZooConfig *cfg, guint64 seed, double target)
{
  const TgExperimentConfig *p = &cfg->protocol;
  GHashTable *md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (md, g_strdup ("seed"), g_strdup_printf ("%" G_GUINT64_FORMAT, seed));
  g_hash_table_insert (md, g_strdup ("foundation_angles"),
                       tg_experiment_config_foundation_angles_string (p));
  if (isfinite (target))
    g_hash_table_insert (md, g_strdup ("target_angle"), tg_number_dup ("%g", target));
  g_hash_table_insert (md, g_strdup ("foundation_epochs"), g_strdup_printf ("%u", p->foundation_epochs));
  g_hash_table_insert (md, g_strdup ("adapt_epochs"), g_strdup_printf ("%u", p->adapt_epochs));
  g_hash_table_insert (md, g_strdup ("lr"), tg_number_dup ("%g", p->lr));
  g_hash_table_insert (md, g_strdup ("momentum"), tg_number_dup ("%g", p->momentum));
  g_hash_table_insert (md, g_strdup ("batch"), g_strdup_printf ("%u", p->batch));
  g_hash_table_insert (md, g_strdup ("sharpness"), tg_number_dup ("%g", p->sharpness));
  g_hash_table_insert (md, g_strdup ("lambda"), tg_number_dup ("%g", p->lambda));
  g_hash_table_insert (md, g_strdup ("lora_rank"), g_strdup_printf ("%u", p->lora_rank));
  g_hash_table_insert (md, g_strdup ("lora_alpha"), tg_number_dup ("%g", p->lora_alpha));
  g_hash_table_insert (md, g_strdup ("zoo"), g_strdup ("1"));
  return md;
}

/* The foundation on its mix, as the protocol trains it (tg-protocol-train.h): the sets of
 * the zoo's angles are borrowed, any other angle rotated here. */
static TgModel *
train_foundation (Zoo *z, guint64 seed, GError **error)
{
  const TgExperimentConfig *p = &z->cfg->protocol;
  const TgDataset *train0 = z->data->train0;
  double angles[TG_MAX_MIX_MODES];
  guint32 n = tg_experiment_config_foundation_angles (p, angles);
  g_autofree TgMix *mix = g_new0 (TgMix, 1);
  g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func ((GDestroyNotify) tg_dataset_free);
  mix->n = n;
  for (guint32 k = 0; k < n; k++)
    {
      const TgDataset *set = is_zero (angles[k]) ? train0 : NULL;
      mix->angles[k] = angles[k];
      for (guint a = 0; set == NULL && a < z->cfg->n_angles; a++)
        if (z->cfg->angles[a] == angles[k])
          set = train_at (z, a);
      for (guint32 j = 0; set == NULL && j < k; j++)
        if (angles[j] == angles[k])
          set = mix->sets[j];
      if (set == NULL)
        {
          TgDataset *r = tg_dataset_rotated (train0, angles[k]);
          g_ptr_array_add (owned, r);
          set = r;
        }
      mix->sets[k] = set;
    }
  TgTrainHooks hooks = { .cancellable = z->cancellable };
  g_autofree char *what = g_strdup_printf ("seed %u's foundation", z->si);
  return tg_protocol_foundation (p, z->data, mix, seed, what, &hooks, error);
}

/* CPU seconds of the calling thread: a task runs on one thread with single-threaded BLAS,
 * so this is its work, whatever else the machine is doing. */
static double
thread_seconds (void)
{
  struct timespec ts;
  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return g_get_monotonic_time () / 1e6;
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static guint64
file_size (const char *path)
{
  GStatBuf st;
  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* --- the adapters ----------------------------------------------------------------------- */

static gboolean
save_adapter (Zoo *z, const TgModel *m, double angle, guint64 *bytes, GError **error)
{
  if (z->cfg->checkpoint_dir == NULL)
    return TRUE;
  guint64 seed = z->cfg->protocol.seed0 + z->si;
  g_autoptr (GHashTable) md = zoo_metadata (z->cfg, seed, angle);
  tg_foundation_digest_insert (md, z->res->foundations[z->si]);
  g_autofree char *a = tg_number_dup ("%g", angle);
  g_autofree char *name = g_strdup_printf ("seed%u-%s-%sdeg.safetensors", z->si,
                                           tg_method_info (m->method)->id, a);
  g_autofree char *path = g_build_filename (z->cfg->checkpoint_dir, name, NULL);
  if (!tg_checkpoint_save_adapter (m, m->method, md, path, error))
    return FALSE;
  *bytes = file_size (path);
  return TRUE;
}

/* Every method's adapter for one angle, sharing the rotated set and its x W0^T. */
static void
adapt_task (gpointer task, gpointer user_data)
{
  Zoo *z = user_data;
  guint a = GPOINTER_TO_UINT (task) - 1;
  double angle = z->cfg->angles[a];
  GError *error = NULL;
  const TgModel *f = z->res->foundations[z->si];
  const TgDataset *train = train_at (z, a);
  g_autofree float *z1 = NULL;
  for (int k = 0; k < TG_N_METHODS && !zoo_failed (z) && error == NULL; k++)
    {
      if (!wants (z->cfg, k))
        continue;
      if (k != TG_METHOD_FULL && z1 == NULL)
        z1 = tg_dataset_first_layer (f, train, 1024);
      double t0 = thread_seconds ();
      const TgExperimentConfig *p = &z->cfg->protocol;
      TgTrainHooks hooks = { .cancellable = z->cancellable };
      g_autoptr (TgModel) m = tg_protocol_specialise (f, p, k, p->lambda, p->sharpness, train,
                                                      k != TG_METHOD_FULL ? z1 : NULL,
                                                      p->seed0 + z->si, &hooks, NULL, &error);
      if (m == NULL)
        break;
      double secs = thread_seconds () - t0;
      guint64 bytes = 0;
      if (!save_adapter (z, m, angle, &bytes, &error))
        break;
      TgZooMethodRun *run = z->method_runs[k];
      g_mutex_lock (&z->lock);
      run->train_seconds += secs;
      run->bytes += bytes;
      g_mutex_unlock (&z->lock);
      run->models[a] = g_steal_pointer (&m);
    }
  /* the rotated set is not needed again */
  g_clear_pointer (&z->train_at[a], tg_dataset_free);
  g_autofree char *what = g_strdup_printf ("adapters at %g°", angle);
  step_done (z, error, what);
}

/* --- measuring ------------------------------------------------------------------------- */

static void
mode_labels (const TgZooConfig *cfg, char **names)
{
  for (guint a = 0; a < cfg->n_angles; a++)
    names[a] = g_strdup_printf ("%g°", cfg->angles[a]);
}

static gboolean
measure_method (Zoo *z, TgZooMethodRun *run, GError **error)
{
  const TgZooConfig *cfg = z->cfg;
  guint K = cfg->n_angles, threads = tg_experiment_config_threads (&cfg->protocol);
  const TgModel *f = z->res->foundations[z->si];
  g_autofree float *s = g_new (float, K);
  g_auto (GStrv) names = g_new0 (char *, K + 1);
  mode_labels (cfg, names);
  for (guint a = 0; a < K; a++)
    s[a] = cfg->protocol.sharpness;
  const TgModel *const *models = (const TgModel *const *) run->models;
  run->matrix = tg_acc_matrix_measure (f, models, s, (const char *const *) names, cfg->angles,
                                       K, z->data->test0, cfg->angles, K, threads,
                                       z->cancellable, error);
  if (run->matrix == NULL)
    return FALSE;
  if (tg_method_info (run->method)->gated)
    {
      run->map = tg_mode_map_measure (models, s, (const char *const *) names, cfg->angles, K,
                                      z->data->test0, TG_MODE_MAP_THRESHOLD, threads,
                                      z->cancellable, error);
      if (run->map == NULL)
        return FALSE;
    }
  int blas = tg_get_threads ();
  tg_set_threads (1);
  run->route = tg_zoo_route (f, models, s, cfg->angles, K, z->data->train0, z->data->test0,
                             cfg->route_batch, cfg->router_epochs,
                             cfg->protocol.seed0 + z->si, z->cancellable, error);
  tg_set_threads (blas);
  return run->route != NULL;
}

static gboolean
measure_foundation (Zoo *z, GError **error)
{
  const TgZooConfig *cfg = z->cfg;
  g_autoptr (TgModel) frozen = tg_model_copy (z->res->foundations[z->si]);
  frozen->method = TG_METHOD_FROZEN;
  const TgModel *models[1] = { frozen };
  float s = cfg->protocol.sharpness;
  const char *names[1] = { "foundation" };
  double none = NAN;
  z->res->foundation_matrix[z->si] =
    tg_acc_matrix_measure (frozen, models, &s, names, &none, 1, z->data->test0, cfg->angles,
                           cfg->n_angles, tg_experiment_config_threads (&cfg->protocol),
                           z->cancellable, error);
  return z->res->foundation_matrix[z->si] != NULL;
}

/* --- the run ---------------------------------------------------------------------------- */

static void
method_run_free (TgZooMethodRun *run, guint n_angles)
{
  for (guint a = 0; a < n_angles; a++)
    tg_model_free (run->models[a]);
  g_free (run->models);
  tg_acc_matrix_free (run->matrix);
  tg_mode_map_free (run->map);
  g_free (run->route);
  g_free (run);
}

void
tg_zoo_results_free (TgZooResults *res)
{
  if (res == NULL)
    return;
  for (guint32 s = 0; s < res->seeds; s++)
    {
      tg_model_free (res->foundations[s]);
      tg_acc_matrix_free (res->foundation_matrix[s]);
    }
  for (guint i = 0; res->runs != NULL && i < res->runs->len; i++)
    method_run_free (g_ptr_array_index (res->runs, i), res->config.n_angles);
  g_clear_pointer (&res->runs, g_ptr_array_unref);
  g_free (res->foundations);
  g_free (res->foundation_matrix);
  g_free (res->foundation_seconds);
  g_free (res->angles);
  g_free (res->checkpoint_dir);
  g_free (res);
}

const TgZooMethodRun *
tg_zoo_results_get (const TgZooResults *res, guint32 seed_index, TgMethod method)
{
  for (guint i = 0; i < res->runs->len; i++)
    {
      const TgZooMethodRun *run = g_ptr_array_index (res->runs, i);
      if (run->seed_index == seed_index && run->method == method)
        return run;
    }
  return NULL;
}

gboolean
tg_zoo_config_validate (const TgZooConfig *cfg, GError **error)
{
  if (!tg_experiment_config_validate (&cfg->protocol, error))
    return FALSE;
  if (cfg->n_angles < 2 || cfg->n_angles > 255 || cfg->angles == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "--angles: a zoo needs 2 to 255 angles (got %u)", cfg->n_angles);
      return FALSE;
    }
  for (guint a = 0; a < cfg->n_angles; a++)
    if (!(fabs (cfg->angles[a]) <= 360.0))
      {
        g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                     "--angles: %g is not an angle within [-360, 360]", cfg->angles[a]);
        return FALSE;
      }
  guint32 methods = cfg->protocol.methods & ~(1u << TG_METHOD_FROZEN);
  if (methods == 0 || methods != cfg->protocol.methods)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "--methods: give at least one method that trains (Frozen is the "
                   "foundation, measured anyway)");
      return FALSE;
    }
  if (cfg->route_batch == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "the routing batch must be at least 1");
      return FALSE;
    }
  return TRUE;
}

/* The foundation's mix when none is given: every angle of the zoo (the protocol's foundation
 * saw its target; here every mode is a target). */
static gboolean
default_mix (TgZooConfig *cfg, GError **error)
{
  if (cfg->protocol.n_foundation_angles > 0)
    return TRUE;
  if (cfg->n_angles > TG_MAX_MIX_MODES)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%u angles: the foundation's mix holds at most %d; give "
                   "--foundation-angles", cfg->n_angles, TG_MAX_MIX_MODES);
      return FALSE;
    }
  cfg->protocol.n_foundation_angles = cfg->n_angles;
  memcpy (cfg->protocol.foundation_angles, cfg->angles, cfg->n_angles * sizeof (double));
  return TRUE;
}

/* One seed: rotate, foundation, adapters, measures. */
static gboolean
run_seed (Zoo *z, GError **error)
{
  TgZooResults *res = z->res;
  const TgZooConfig *cfg = z->cfg;
  guint K = cfg->n_angles;
  guint64 seed = cfg->protocol.seed0 + z->si;
  z->train_at = g_new0 (TgDataset *, K);
  gboolean ok = run_pool (z, rotate_task, K);
  double t0 = thread_seconds ();
  if (ok)
    res->foundations[z->si] = train_foundation (z, seed, &z->error);
  ok = res->foundations[z->si] != NULL;
  res->foundation_seconds[z->si] = thread_seconds () - t0;
  step_done (z, NULL, "foundation");
  if (ok && cfg->checkpoint_dir)
    {
      g_autoptr (GHashTable) md = zoo_metadata (cfg, seed, NAN);
      g_autofree char *name = g_strdup_printf ("seed%u-foundation.safetensors", z->si);
      g_autofree char *path = g_build_filename (cfg->checkpoint_dir, name, NULL);
      ok = tg_checkpoint_save_foundation (res->foundations[z->si], md, path, &z->error);
      if (ok && z->si == 0)
        res->foundation_bytes = file_size (path);
    }
  for (int k = 0; k < TG_N_METHODS; k++)
    {
      z->method_runs[k] = NULL;
      if (!wants (cfg, k))
        continue;
      TgZooMethodRun *run = g_new0 (TgZooMethodRun, 1);
      run->seed_index = z->si;
      run->method = k;
      run->models = g_new0 (TgModel *, K);
      if (ok)
        run->params = tg_model_count_trainable (res->foundations[z->si], k);
      g_ptr_array_add (res->runs, run);
      z->method_runs[k] = run;
    }
  ok = ok && run_pool (z, adapt_task, K);
  for (guint a = 0; a < K; a++)
    g_clear_pointer (&z->train_at[a], tg_dataset_free);
  g_clear_pointer (&z->train_at, g_free);
  ok = ok && measure_foundation (z, error);
  for (int k = 0; ok && k < TG_N_METHODS; k++)
    if (z->method_runs[k] != NULL)
      {
        ok = measure_method (z, z->method_runs[k], error);
        g_autofree char *what = g_strdup_printf ("measured %s", tg_method_info (k)->label);
        step_done (z, NULL, what);
      }
  return ok && z->error == NULL;
}

TgZooResults *
tg_zoo_run (const TgZooConfig *cfg_in, const TgModeData *data, TgZooProgressFunc progress,
            gpointer user_data, GCancellable *cancellable, GError **error)
{
  if (!tg_zoo_config_validate (cfg_in, error))
    return NULL;
  g_autoptr (TgZooResults) res = g_new0 (TgZooResults, 1);
  res->config = *cfg_in;
  res->angles = g_memdup2 (cfg_in->angles, cfg_in->n_angles * sizeof (double));
  res->checkpoint_dir = g_strdup (cfg_in->checkpoint_dir);
  res->config.angles = res->angles;
  res->config.checkpoint_dir = res->checkpoint_dir;
  if (!default_mix (&res->config, error))
    return NULL;
  if (res->checkpoint_dir && g_mkdir_with_parents (res->checkpoint_dir, 0755) != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder: %s",
                   res->checkpoint_dir, g_strerror (errno));
      return NULL;
    }
  res->seeds = res->config.protocol.seeds;
  res->foundations = g_new0 (TgModel *, res->seeds);
  res->foundation_matrix = g_new0 (TgAccMatrix *, res->seeds);
  res->foundation_seconds = g_new0 (double, res->seeds);
  res->runs = g_ptr_array_new ();
  guint n_methods = 0;
  for (int k = 0; k < TG_N_METHODS; k++)
    n_methods += wants (&res->config, k);
  gint64 t0 = g_get_monotonic_time ();
  Zoo z = { .cfg = &res->config, .data = data, .progress = progress, .user_data = user_data,
            .cancellable = cancellable, .res = res,
            .total = res->seeds * (1 + res->config.n_angles + n_methods) };
  g_mutex_init (&z.lock);
  /* tasks on one thread each with single-threaded BLAS, as the protocol's */
  int blas = tg_get_threads ();
  tg_set_threads (1);
  gboolean ok = TRUE;
  for (guint32 si = 0; ok && si < res->seeds; si++)
    {
      z.si = si;
      ok = run_seed (&z, error);
    }
  tg_set_threads (blas);
  res->seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (!ok && z.error != NULL)
    {
      g_clear_error (error);
      g_propagate_error (error, g_steal_pointer (&z.error));
    }
  else if (!ok && (error == NULL || *error == NULL))
    g_cancellable_set_error_if_cancelled (cancellable, error);
  g_clear_error (&z.error);
  g_mutex_clear (&z.lock);
  return ok ? g_steal_pointer (&res) : NULL;
}
