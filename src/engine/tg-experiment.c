/* SPDX-License-Identifier: MIT */
/* tg-experiment.c — the paper's protocol over the step-wise trainer.
 *
 * Per seed: a foundation trained on its mix of angles (the paper's: 0 degrees and the target,
 * 50/50) or loaded, frozen;
 * then each method starts from a copy of it and is specialised to the rotated mode; and
 * TauGate is also specialised to 0 degrees for the gate-overlap table. Each (seed, method)
 * draws from its own RNG stream, so a method's numbers do not depend on which other methods
 * ran. Work that does not change is done once: the rotated sets once for all seeds, the
 * first-layer products x W0^T of every set once per foundation.
 *
 * Not here: the results' life cycle, the foundation path per seed and what counts as a
 * collapse (tg-experiment-results.c). */
#include "tg-experiment.h"
#include "tg-protocol-train.h"
#include "tg-checkpoint.h"
#include "tg-csv.h"
#include "tg-digest.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* --- the run -------------------------------------------------------------------------- */

/* One seed's shared state: its frozen foundation, the first-layer products of every data
 * set under it, and the slots its tasks fill in. Freed by the last of its tasks. */
typedef struct {
  guint32        si;
  guint64        seed;
  TgModel       *foundation;
  float         *z1_train0, *z1_train_rot, *z1_test0, *z1_test_rot;
  gint           pending;  /* tasks of this seed still to finish */
  TgRunResult    runs[TG_N_METHODS];
  gboolean       have[TG_N_METHODS];
  float         *mean0, *mean_rot; /* TauGate's mean gates on its own mode's test set */
} SeedState;

typedef struct {
  const TgExperimentConfig *cfg;
  const TgModeData *data;
  const TgMix *mix;           /* the training set at each angle of the foundation's mix */
  const char *foundation_path, *checkpoint_dir;
  TgProgressFunc progress;
  gpointer user_data;
  GCancellable *cancellable;  /* the caller's, may be NULL */
  GThreadPool *pool;
  SeedState *seeds;

  guint next_seed;            /* the next seed whose foundation to start (under lock) */
  guint max_live_seeds;       /* seeds whose state may be alive at once: bounds memory */

  GMutex lock;                /* guards everything below */
  GCond finished;
  guint tasks_left;
  GError *error;              /* the first failure; the other tasks then stop */
  TgProgress p;
  double foundation_acc0, foundation_acc_rot;
} Run;

enum { TASK_FOUNDATION = -1, TASK_TAUGATE0 = TG_N_METHODS };

typedef struct {
  SeedState *seed;
  int kind;  /* TASK_FOUNDATION, a TgMethod, or TASK_TAUGATE0 */
} Task;

static void
progress_add (Run *run, guint64 examples, const char *phase, guint32 si, TgMethod method,
              double loss, gboolean tell)
{
  g_mutex_lock (&run->lock);
  run->p.done += examples;
  if (tell && run->progress)
    {
      run->p.phase = phase;
      run->p.seed_index = si;
      run->p.method = method;
      run->p.loss = loss;
      run->progress (&run->p, run->user_data);
    }
  g_mutex_unlock (&run->lock);
}

static gboolean
run_failed (Run *run)
{
  g_mutex_lock (&run->lock);
  gboolean failed = run->error != NULL;
  g_mutex_unlock (&run->lock);
  return failed || g_cancellable_is_cancelled (run->cancellable);
}

typedef struct {
  Run        *run;
  guint32     si;
  TgMethod    method;
  const char *phase;
  guint32     batches;
  guint64     unreported;  /* examples trained since the last report */
  guint32     epoch_examples;
} EpochProgress;

/* After every step: counts the examples, reports every 16 batches, stops on failure. */
static gboolean
epoch_batch (guint32 n, const TgLossInfo *info, gpointer user_data)
{
  EpochProgress *ep = user_data;
  ep->unreported += n;
  if (++ep->batches % 16 == 0)
    {
      progress_add (ep->run, ep->unreported, ep->phase, ep->si, ep->method, info->loss, TRUE);
      ep->unreported = 0;
    }
  return !run_failed (ep->run);
}

/* After every epoch: counts what the epoch's steps left unreported (a Frozen epoch takes no
 * step but is still the protocol's work done). */
static void
epoch_done (const TgLossInfo *last, gpointer user_data)
{
  EpochProgress *ep = user_data;
  progress_add (ep->run, ep->method == TG_METHOD_FROZEN ? ep->epoch_examples : ep->unreported,
                ep->phase, ep->si, ep->method, last->loss, FALSE);
  ep->unreported = 0;
}

/* The hooks that report a step's progress for seed si, method, over n examples an epoch. */
static TgTrainHooks
progress_hooks (EpochProgress *ep, Run *run, guint32 si, TgMethod method, const char *phase,
                guint32 epoch_examples)
{
  *ep = (EpochProgress) { .run = run, .si = si, .method = method, .phase = phase,
                          .epoch_examples = epoch_examples };
  return (TgTrainHooks) { .on_batch = epoch_batch, .on_epoch = epoch_done, .user_data = ep };
}

static GHashTable *
run_metadata (const TgExperimentConfig *cfg, guint64 seed, double target)
{
  GHashTable *md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (md, g_strdup ("seed"), g_strdup_printf ("%" G_GUINT64_FORMAT, seed));
  g_hash_table_insert (md, g_strdup ("angle"), tg_number_dup ("%g", cfg->angle));
  g_hash_table_insert (md, g_strdup ("foundation_angles"),
                       tg_experiment_config_foundation_angles_string (cfg));
  if (!isnan (target))
    g_hash_table_insert (md, g_strdup ("target_angle"), tg_number_dup ("%g", target));
  g_hash_table_insert (md, g_strdup ("foundation_epochs"), g_strdup_printf ("%u", cfg->foundation_epochs));
  g_hash_table_insert (md, g_strdup ("adapt_epochs"), g_strdup_printf ("%u", cfg->adapt_epochs));
  g_hash_table_insert (md, g_strdup ("lr"), tg_number_dup ("%g", cfg->lr));
  g_hash_table_insert (md, g_strdup ("momentum"), tg_number_dup ("%g", cfg->momentum));
  g_hash_table_insert (md, g_strdup ("batch"), g_strdup_printf ("%u", cfg->batch));
  g_hash_table_insert (md, g_strdup ("sharpness"), tg_number_dup ("%g", cfg->sharpness));
  if (cfg->anneal_sharpness)
    g_hash_table_insert (md, g_strdup ("sharpness_schedule"), g_strdup ("annealed"));
  g_hash_table_insert (md, g_strdup ("lambda"), tg_number_dup ("%g", cfg->lambda));
  g_hash_table_insert (md, g_strdup ("lora_rank"), g_strdup_printf ("%u", cfg->lora_rank));
  g_hash_table_insert (md, g_strdup ("lora_alpha"), tg_number_dup ("%g", cfg->lora_alpha));
  return md;
}

/* The foundation of one seed: loaded from its file if there is one, else trained (and saved
 * there if a path was given). */
static TgModel *
get_foundation (Run *run, guint32 si, guint64 seed, GError **error)
{
  const TgExperimentConfig *cfg = run->cfg;
  const TgModeData *data = run->data;
  g_autofree char *path = run->foundation_path
                            ? tg_foundation_path_for_seed (run->foundation_path, si) : NULL;

  if (path && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      TgModel *m = tg_checkpoint_load_foundation (path, cfg->lora_rank, cfg->lora_alpha, NULL,
                                                  error);
      if (m == NULL)
        return NULL;
      gboolean fits = m->n_linear == cfg->n_hidden + 1 && m->dims[0] == data->train0->dim &&
                      m->dims[m->n_linear] == data->train0->n_classes;
      for (guint32 l = 1; fits && l < m->n_linear; l++)
        fits = m->dims[l] == cfg->width;
      if (!fits)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: the foundation's shape does not fit %u inputs, %u hidden layers of "
                       "%u units and %u classes", path, data->train0->dim, cfg->n_hidden,
                       cfg->width, data->train0->n_classes);
          tg_model_free (m);
          return NULL;
        }
      progress_add (run, (guint64) cfg->foundation_epochs * data->train0->n, "foundation", si,
                    TG_METHOD_FULL, NAN, TRUE);
      return m;
    }

  EpochProgress ep;
  TgTrainHooks hooks = progress_hooks (&ep, run, si, TG_METHOD_FULL, "foundation",
                                       data->train0->n);
  g_autofree char *what = g_strdup_printf ("seed %u's foundation", si);
  g_autoptr (TgModel) m = tg_protocol_foundation (cfg, data, run->mix, seed, what, &hooks,
                                                  error);
  if (m == NULL)
    return NULL;
  if (path)
    {
      g_autoptr (GHashTable) md = run_metadata (cfg, seed, NAN);
      g_autofree char *dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create its folder: %s", path,
                       g_strerror (errno));
          return NULL;
        }
      if (!tg_checkpoint_save_foundation (m, md, path, error))
        return NULL;
    }
  return g_steal_pointer (&m);
}

guint64
tg_experiment_adapt_seed (guint64 seed, TgMethod method)
{
  return seed * 1000003ull + 17ull * ((guint64) method + 1);
}

/* Specialises a copy of the seed's foundation with method to the mode whose training set is
 * train (first-layer products train_z1). */
static TgModel *
specialise (Run *run, SeedState *s, TgMethod method, const TgDataset *train,
            const float *train_z1, TgLossInfo *last, GError **error)
{
  const TgExperimentConfig *cfg = run->cfg;
  EpochProgress ep;
  TgTrainHooks hooks = progress_hooks (&ep, run, s->si, method, "adapt", train->n);
  return tg_protocol_specialise (s->foundation, cfg, method, cfg->lambda, cfg->sharpness,
                                 train, train_z1, s->seed, &hooks, last, error);
}

static gboolean
save_adapter (Run *run, const TgModel *m, const SeedState *s, double target, GError **error)
{
  if (run->checkpoint_dir == NULL)
    return TRUE;
  g_autoptr (GHashTable) md = run_metadata (run->cfg, s->seed, target);
  tg_foundation_digest_insert (md, s->foundation);
  g_autofree char *angle = tg_number_dup ("%g", target);
  g_autofree char *name = g_strdup_printf ("seed%u-%s-%sdeg.safetensors", s->si,
                                           tg_method_info (m->method)->id, angle);
  g_autofree char *path = g_build_filename (run->checkpoint_dir, name, NULL);
  return tg_checkpoint_save_adapter (m, m->method, md, path, error);
}

static void
seed_state_release (SeedState *s)
{
  g_clear_pointer (&s->foundation, tg_model_free);
  g_clear_pointer (&s->z1_train0, g_free);
  g_clear_pointer (&s->z1_train_rot, g_free);
  g_clear_pointer (&s->z1_test0, g_free);
  g_clear_pointer (&s->z1_test_rot, g_free);
}

static gboolean
wants (const TgExperimentConfig *cfg, int method)
{
  return (cfg->methods >> method) & 1;
}

/* The tasks a seed runs once its foundation is there. */
static guint
seed_task_count (const TgExperimentConfig *cfg)
{
  guint n = 0;
  for (int k = 0; k < TG_N_METHODS; k++)
    n += wants (cfg, k) || (cfg->overlap && k == TG_METHOD_TAUGATE);
  return n + (cfg->overlap ? 1 : 0);
}

static void
push_task (Run *run, SeedState *s, int kind)
{
  Task *t = g_new (Task, 1);
  t->seed = s;
  t->kind = kind;
  g_thread_pool_push (run->pool, t, NULL);
}

static gboolean
run_foundation_task (Run *run, SeedState *s, GError **error)
{
  const TgModeData *data = run->data;
  s->foundation = get_foundation (run, s->si, s->seed, error);
  if (s->foundation == NULL)
    return FALSE;
  if (run->checkpoint_dir)
    {
      g_autoptr (GHashTable) md = run_metadata (run->cfg, s->seed, NAN);
      g_autofree char *name = g_strdup_printf ("seed%u-foundation.safetensors", s->si);
      g_autofree char *path = g_build_filename (run->checkpoint_dir, name, NULL);
      if (!tg_checkpoint_save_foundation (s->foundation, md, path, error))
        return FALSE;
    }
  /* W0 is frozen from here on (but for Full FT): its products never change */
  if (!run->cfg->no_reuse)
    {
      s->z1_train_rot = tg_dataset_first_layer (s->foundation, data->train_rot, 1024);
      s->z1_test0 = tg_dataset_first_layer (s->foundation, data->test0, 1024);
      s->z1_test_rot = tg_dataset_first_layer (s->foundation, data->test_rot, 1024);
      if (run->cfg->overlap)
        s->z1_train0 = tg_dataset_first_layer (s->foundation, data->train0, 1024);
    }
  if (s->si == 0)
    {
      g_autoptr (TgModel) frozen = tg_model_copy (s->foundation);
      g_autoptr (TgWorkspace) ws = tg_workspace_new (frozen, run->cfg->batch);
      TgEval e0, er;
      TgForwardOpts opts = { TG_GATES_SOFT, run->cfg->sharpness };
      frozen->method = TG_METHOD_FROZEN;
      tg_evaluate (frozen, ws, &opts, data->test0, s->z1_test0, 0, &e0);
      tg_evaluate (frozen, ws, &opts, data->test_rot, s->z1_test_rot, 0, &er);
      run->foundation_acc0 = e0.acc;
      run->foundation_acc_rot = er.acc;
    }
  g_atomic_int_set (&s->pending, (gint) seed_task_count (run->cfg));
  for (int k = 0; k < TG_N_METHODS; k++)
    if (wants (run->cfg, k) || (run->cfg->overlap && k == TG_METHOD_TAUGATE))
      push_task (run, s, k);
  if (run->cfg->overlap)
    push_task (run, s, TASK_TAUGATE0);
  return TRUE;
}

static gboolean
run_method_task (Run *run, SeedState *s, TgMethod method, GError **error)
{
  const TgExperimentConfig *cfg = run->cfg;
  const TgModeData *data = run->data;
  TgRunResult r = { .seed_index = s->si, .seed = s->seed, .method = method,
                    .target_angle = data->angle, .high_act = NAN };
  TgLossInfo last = { .loss = NAN, .ce = NAN };
  g_autoptr (TgModel) m = specialise (run, s, method, data->train_rot, s->z1_train_rot,
                                      &last, error);
  if (m == NULL)
    return FALSE;
  r.final_loss = last.loss;
  r.final_ce = last.ce;
  r.collapsed = tg_loss_collapsed (last.ce, m->dims[m->n_linear]);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, cfg->batch);
  TgEval e0, er;
  TgForwardOpts soft = { TG_GATES_SOFT, cfg->sharpness };
  tg_evaluate (m, ws, &soft, data->test0, s->z1_test0, 0, &e0);
  tg_evaluate (m, ws, &soft, data->test_rot, s->z1_test_rot, 0, &er);
  r.params = tg_model_count_trainable (m, method);
  r.acc0 = e0.acc_soft;
  r.acc_rot = er.acc_soft;
  r.acc0_hard = e0.acc_hard;
  r.acc_rot_hard = er.acc_hard;
  if (tg_method_info (method)->gated)
    r.high_act = tg_high_act_frac (m, ws, cfg->sharpness, data->train_rot, s->z1_train_rot,
                                   cfg->high_act_samples, 0.9f);
  if (cfg->overlap && method == TG_METHOD_TAUGATE)
    {
      s->mean_rot = g_new (float, tg_model_hidden_units (m));
      tg_mean_gates (m, ws, &soft, data->test_rot, s->z1_test_rot, 0, s->mean_rot);
    }
  progress_add (run, 0, "evaluate", s->si, method, r.final_loss, TRUE);
  if (!wants (cfg, method))
    return TRUE;
  s->runs[method] = r;
  s->have[method] = TRUE;
  return save_adapter (run, m, s, data->angle, error);
}

static gboolean
run_taugate0_task (Run *run, SeedState *s, GError **error)
{
  const TgModeData *data = run->data;
  g_autoptr (TgModel) m = specialise (run, s, TG_METHOD_TAUGATE, data->train0, s->z1_train0,
                                      NULL, error);
  if (m == NULL)
    return FALSE;
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, run->cfg->batch);
  TgForwardOpts soft = { TG_GATES_SOFT, run->cfg->sharpness };
  s->mean0 = g_new (float, tg_model_hidden_units (m));
  tg_mean_gates (m, ws, &soft, data->test0, s->z1_test0, 0, s->mean0);
  progress_add (run, 0, "overlap", s->si, TG_METHOD_TAUGATE, NAN, TRUE);
  return save_adapter (run, m, s, 0.0, error);
}

/* Starts the next seed's foundation, if any is left. */
static void
start_next_seed (Run *run)
{
  g_mutex_lock (&run->lock);
  guint si = run->next_seed < run->cfg->seeds ? run->next_seed++ : G_MAXUINT;
  g_mutex_unlock (&run->lock);
  if (si != G_MAXUINT)
    push_task (run, &run->seeds[si], TASK_FOUNDATION);
}

static void
task_done (Run *run, Task *t, guint tasks)
{
  gboolean seed_over = t->kind != TASK_FOUNDATION && g_atomic_int_dec_and_test (&t->seed->pending);
  if (seed_over)
    seed_state_release (t->seed);
  if (seed_over || (t->kind == TASK_FOUNDATION && tasks > 1))
    start_next_seed (run);
  g_mutex_lock (&run->lock);
  run->tasks_left -= tasks;
  if (run->tasks_left == 0)
    g_cond_signal (&run->finished);
  g_mutex_unlock (&run->lock);
}

static void
run_task (gpointer task, gpointer user_data)
{
  Task *t = task;
  Run *run = user_data;
  SeedState *s = t->seed;
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;

  if (run_failed (run))
    {
      /* a failed foundation never pushed its seed's tasks: count them off here */
      task_done (run, t, t->kind == TASK_FOUNDATION ? 1 + seed_task_count (run->cfg) : 1);
      g_free (t);
      return;
    }
  if (t->kind == TASK_FOUNDATION)
    ok = run_foundation_task (run, s, &error);
  else if (t->kind == TASK_TAUGATE0)
    ok = run_taugate0_task (run, s, &error);
  else
    ok = run_method_task (run, s, (TgMethod) t->kind, &error);

  if (!ok)
    {
      g_mutex_lock (&run->lock);
      if (run->error == NULL && !g_error_matches (error, TG_ERROR, TG_ERROR_CANCELLED))
        run->error = g_steal_pointer (&error);
      g_mutex_unlock (&run->lock);
    }
  guint tasks = 1;
  if (t->kind == TASK_FOUNDATION && !ok)
    {
      tasks += seed_task_count (run->cfg);
      seed_state_release (s);
    }
  task_done (run, t, tasks);
  g_free (t);
}

/* The overlap of the two modes' firing in every layer of one seed's TauGate adapters. */
static TgOverlapResult
seed_overlap (const TgExperimentConfig *cfg, const SeedState *s, guint32 si)
{
  TgOverlapResult o = { .seed_index = si, .n_layers = cfg->n_hidden };
  for (guint32 l = 0, base = 0; l < o.n_layers; base += cfg->width, l++)
    {
      o.jaccard[l] = tg_jaccard (s->mean0 + base, s->mean_rot + base, cfg->width,
                                 cfg->on_threshold);
      for (guint32 j = 0; j < cfg->width; j++)
        {
          o.on0[l] += s->mean0[base + j] > cfg->on_threshold;
          o.on_rot[l] += s->mean_rot[base + j] > cfg->on_threshold;
        }
    }
  return o;
}

/* The results of a finished run, seed by seed in order. */
static TgExperimentResults *
collect_results (const Run *run)
{
  const TgExperimentConfig *cfg = run->cfg;
  TgExperimentResults *res = g_new0 (TgExperimentResults, 1);
  res->config = *cfg;
  res->runs = g_array_new (FALSE, TRUE, sizeof (TgRunResult));
  res->overlaps = g_array_new (FALSE, TRUE, sizeof (TgOverlapResult));
  res->foundation_acc0 = run->foundation_acc0;
  res->foundation_acc_rot = run->foundation_acc_rot;
  for (guint32 si = 0; si < cfg->seeds; si++)
    {
      const SeedState *s = &run->seeds[si];
      for (int k = 0; k < TG_N_METHODS; k++)
        if (s->have[k])
          g_array_append_val (res->runs, s->runs[k]);
      if (cfg->overlap && s->mean0 && s->mean_rot)
        {
          TgOverlapResult o = seed_overlap (cfg, s, si);
          g_array_append_val (res->overlaps, o);
        }
    }
  return res;
}

TgExperimentResults *
tg_experiment_run (const TgExperimentConfig *cfg, const TgModeData *data,
                   const char *foundation_path, const char *checkpoint_dir,
                   TgProgressFunc progress, gpointer user_data, GCancellable *cancellable,
                   GError **error)
{
  if (!tg_experiment_config_validate (cfg, error))
    return NULL;
  if (!tg_experiment_config_check_memory (cfg, data->train0->dim, data->train0->n_classes,
                                          data->train0->n, data->test0->n, NULL, error))
    return NULL;
  if (checkpoint_dir && g_mkdir_with_parents (checkpoint_dir, 0755) != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder: %s",
                   checkpoint_dir, g_strerror (errno));
      return NULL;
    }

  double angles[TG_MAX_MIX_MODES];
  guint32 n_angles = tg_experiment_config_foundation_angles (cfg, angles);
  g_autoptr (TgMix) mix = tg_mix_new (data, angles, n_angles, error);
  if (mix == NULL)
    return NULL;

  Run run = { .cfg = cfg, .data = data, .mix = mix, .foundation_path = foundation_path,
              .checkpoint_dir = checkpoint_dir, .progress = progress,
              .user_data = user_data, .cancellable = cancellable,
              .foundation_acc0 = NAN, .foundation_acc_rot = NAN };
  g_mutex_init (&run.lock);
  g_cond_init (&run.finished);
  guint per_seed = seed_task_count (cfg);
  guint64 epochs_per_seed = cfg->foundation_epochs + (guint64) cfg->adapt_epochs * per_seed;
  run.p.seeds = cfg->seeds;
  run.p.total = epochs_per_seed * cfg->seeds * data->train0->n;
  run.tasks_left = cfg->seeds * (1 + per_seed);
  run.seeds = g_new0 (SeedState, cfg->seeds);

  guint threads = tg_experiment_config_threads (cfg);
  /* parallel across tasks, not inside a product: small sgemms gain nothing from threads;
   * the caller's BLAS setting is restored at the end */
  int blas_threads = tg_get_threads ();
  tg_set_threads (1);
  run.pool = g_thread_pool_new (run_task, &run, (gint) threads, FALSE, NULL);
  for (guint32 si = 0; si < cfg->seeds; si++)
    {
      run.seeds[si].si = si;
      run.seeds[si].seed = cfg->seed0 + si;
    }
  /* a seed's first-layer products take ~70 MB on MNIST: keep only as many seeds alive as
   * there are workers to keep busy; each finished seed starts the next */
  run.max_live_seeds = MIN (threads, cfg->seeds);
  for (guint i = 0; i < run.max_live_seeds; i++)
    start_next_seed (&run);
  g_mutex_lock (&run.lock);
  while (run.tasks_left > 0)
    g_cond_wait (&run.finished, &run.lock);
  g_mutex_unlock (&run.lock);
  g_thread_pool_free (run.pool, FALSE, TRUE);
  tg_set_threads (blas_threads);

  TgExperimentResults *res = NULL;
  if (run.error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &run.error);
  if (run.error == NULL)
    {
      res = collect_results (&run);
      run.p.done = run.p.total;
      run.p.phase = "done";
      if (progress)
        progress (&run.p, user_data);
    }
  else
    g_propagate_error (error, g_steal_pointer (&run.error));

  for (guint32 si = 0; si < cfg->seeds; si++)
    {
      seed_state_release (&run.seeds[si]);
      g_free (run.seeds[si].mean0);
      g_free (run.seeds[si].mean_rot);
    }
  g_free (run.seeds);
  g_mutex_clear (&run.lock);
  g_cond_clear (&run.finished);
  return res;
}
