/* tg-experiment.c — the paper's protocol over the step-wise trainer.
 *
 * Per seed: a foundation trained on the 50/50 mixture of both modes (or loaded), frozen;
 * then each method starts from a copy of it and is specialised to the rotated mode; and
 * TauGate is also specialised to 0 degrees for the gate-overlap table. Each (seed, method)
 * draws from its own RNG stream, so a method's numbers do not depend on which other methods
 * ran. Work that does not change is done once: the rotated sets once for all seeds, the
 * first-layer products x W0^T of every set once per foundation. */
#include "tg-experiment.h"
#include "tg-checkpoint.h"

#include <errno.h>
#include <math.h>
#include <string.h>

void
tg_experiment_config_init_paper (TgExperimentConfig *cfg)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->seeds = 3;
  cfg->seed0 = 0;
  cfg->angle = 45.0;
  cfg->foundation_epochs = 2;
  cfg->adapt_epochs = 1;
  cfg->lr = 0.01f;
  cfg->momentum = 0.9f;
  cfg->sharpness = 5.0f;
  cfg->lambda = 0.0f;
  cfg->batch = 256;
  cfg->n_hidden = 2;
  cfg->width = 128;
  cfg->lora_rank = 8;
  cfg->lora_alpha = 8.0f;
  cfg->high_act_samples = 256;
  cfg->on_threshold = 0.9f;
  cfg->methods = (1u << TG_N_METHODS) - 1;
  cfg->overlap = TRUE;
}

gboolean
tg_experiment_config_validate (const TgExperimentConfig *cfg, GError **error)
{
#define BAD(...) G_STMT_START { g_set_error (error, TG_ERROR, TG_ERROR_INVALID, __VA_ARGS__); return FALSE; } G_STMT_END
  if (cfg->seeds < 1 || cfg->seeds > 1000)
    BAD ("--seeds must be between 1 and 1000 (got %u)", cfg->seeds);
  if (!isfinite (cfg->angle) || fabs (cfg->angle) > 360.0)
    BAD ("--angle must be between -360 and 360 degrees (got %g)", cfg->angle);
  if (cfg->foundation_epochs > 1000 || cfg->adapt_epochs > 1000)
    BAD ("epochs must be at most 1000");
  if (!(cfg->lr > 0.0f && cfg->lr < 100.0f))
    BAD ("--lr must be positive and below 100 (got %g)", cfg->lr);
  if (!(cfg->momentum >= 0.0f && cfg->momentum < 1.0f))
    BAD ("momentum must be in [0, 1) (got %g)", cfg->momentum);
  if (!(cfg->sharpness > 0.0f && cfg->sharpness <= 1e4f))
    BAD ("--sharpness must be positive (got %g)", cfg->sharpness);
  if (!(cfg->lambda >= 0.0f && cfg->lambda <= 100.0f))
    BAD ("--lambda must be between 0 and 100 (got %g)", cfg->lambda);
  if (cfg->batch < 1 || cfg->batch > 65536)
    BAD ("batch size must be between 1 and 65536 (got %u)", cfg->batch);
  if (cfg->n_hidden < 1 || cfg->n_hidden + 1 > TG_MAX_LINEAR)
    BAD ("hidden layers must be between 1 and %d (got %u)", TG_MAX_LINEAR - 1, cfg->n_hidden);
  if (cfg->width < 1 || cfg->width > 65536)
    BAD ("--width must be between 1 and 65536 (got %u)", cfg->width);
  if (cfg->lora_rank < 1 || cfg->lora_rank > 1024)
    BAD ("LoRA rank must be between 1 and 1024 (got %u)", cfg->lora_rank);
  if ((cfg->methods & ((1u << TG_N_METHODS) - 1)) == 0)
    BAD ("no method selected");
#undef BAD
  return TRUE;
}

/* --- data ----------------------------------------------------------------------------- */

TgModeData *
tg_mode_data_new (const TgDataset *train, const TgDataset *test, double angle,
                  guint32 train_limit, guint32 test_limit)
{
  TgModeData *d = g_new0 (TgModeData, 1);
  d->angle = angle;
  d->train0 = tg_dataset_head (train, train_limit ? train_limit : train->n);
  d->test0 = tg_dataset_head (test, test_limit ? test_limit : test->n);
  d->train_rot = tg_dataset_rotated (d->train0, angle);
  d->test_rot = tg_dataset_rotated (d->test0, angle);
  return d;
}

void
tg_mode_data_free (TgModeData *d)
{
  if (d == NULL)
    return;
  tg_dataset_free (d->train0);
  tg_dataset_free (d->train_rot);
  tg_dataset_free (d->test0);
  tg_dataset_free (d->test_rot);
  g_free (d);
}

void
tg_experiment_results_free (TgExperimentResults *res)
{
  if (res == NULL)
    return;
  g_clear_pointer (&res->runs, g_array_unref);
  g_clear_pointer (&res->overlaps, g_array_unref);
  g_free (res);
}

char *
tg_foundation_path_for_seed (const char *path, guint32 seed_index)
{
  if (seed_index == 0)
    return g_strdup (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = dot && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
  const char *ext = dot && dot != base ? dot : "";
  g_autofree char *name = g_strdup_printf ("%s-seed%u%s", stem, seed_index, ext);
  return g_build_filename (dir, name, NULL);
}

/* --- the run -------------------------------------------------------------------------- */

typedef struct {
  const TgExperimentConfig *cfg;
  const TgModeData *data;
  TgProgressFunc progress;
  gpointer user_data;
  GCancellable *cancellable;
  TgProgress p;
} Run;

static void
report (Run *run, const char *phase, TgMethod method, double loss)
{
  run->p.phase = phase;
  run->p.method = method;
  run->p.loss = loss;
  if (run->progress)
    run->progress (&run->p, run->user_data);
}

/* Trains model (its method set) for epochs over src, reporting every few batches. */
static gboolean
train_epochs (Run *run, TgModel *model, const TgSource *src, guint32 epochs, uint64_t *rng,
              const char *phase, double *final_loss, GError **error)
{
  const TgExperimentConfig *cfg = run->cfg;
  TgTrainConfig tc = { .lr = cfg->lr, .momentum = cfg->momentum, .lambda = cfg->lambda,
                       .batch = cfg->batch };
  g_autoptr (TgTrainer) trainer = tg_trainer_new (model, &tc);
  gboolean use_z1 = src->z1pre != NULL && src->alt == NULL && model->method != TG_METHOD_FULL;
  gboolean need_x = !use_z1 || tg_method_info (model->method)->lora;
  g_autofree float *x = need_x ? g_new (float, (size_t) cfg->batch * src->data->dim) : NULL;
  g_autofree float *z1 = use_z1 ? g_new (float, (size_t) cfg->batch * src->z1_dim) : NULL;
  g_autofree guint8 *y = g_new (guint8, cfg->batch);
  TgLossInfo info = { .loss = NAN };

  for (guint32 e = 0; e < epochs; e++)
    {
      g_autoptr (TgEpoch) epoch = tg_epoch_new (src, cfg->batch, rng);
      guint32 n, batches = 0;
      if (model->method == TG_METHOD_FROZEN)
        {
          run->p.done += src->data->n;
          continue;
        }
      while ((n = tg_epoch_next (epoch, x, use_z1 ? z1 : NULL, y)) > 0)
        {
          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            return FALSE;
          if (!tg_trainer_step (trainer, x, use_z1 ? z1 : NULL, y, n, &info, error))
            return FALSE;
          run->p.done += n;
          if (++batches % 16 == 0)
            report (run, phase, model->method, info.loss);
        }
    }
  if (final_loss)
    *final_loss = info.loss;
  return TRUE;
}

static GHashTable *
run_metadata (const TgExperimentConfig *cfg, guint64 seed, const char *kind, double target)
{
  GHashTable *md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (md, g_strdup ("seed"), g_strdup_printf ("%" G_GUINT64_FORMAT, seed));
  g_hash_table_insert (md, g_strdup ("angle"), g_strdup_printf ("%g", cfg->angle));
  g_hash_table_insert (md, g_strdup ("target_angle"), g_strdup_printf ("%g", target));
  g_hash_table_insert (md, g_strdup ("stage"), g_strdup (kind));
  g_hash_table_insert (md, g_strdup ("foundation_epochs"), g_strdup_printf ("%u", cfg->foundation_epochs));
  g_hash_table_insert (md, g_strdup ("adapt_epochs"), g_strdup_printf ("%u", cfg->adapt_epochs));
  g_hash_table_insert (md, g_strdup ("lr"), g_strdup_printf ("%g", cfg->lr));
  g_hash_table_insert (md, g_strdup ("momentum"), g_strdup_printf ("%g", cfg->momentum));
  g_hash_table_insert (md, g_strdup ("batch"), g_strdup_printf ("%u", cfg->batch));
  g_hash_table_insert (md, g_strdup ("sharpness"), g_strdup_printf ("%g", cfg->sharpness));
  g_hash_table_insert (md, g_strdup ("lambda"), g_strdup_printf ("%g", cfg->lambda));
  g_hash_table_insert (md, g_strdup ("lora_rank"), g_strdup_printf ("%u", cfg->lora_rank));
  g_hash_table_insert (md, g_strdup ("lora_alpha"), g_strdup_printf ("%g", cfg->lora_alpha));
  return md;
}

/* The foundation of one seed: loaded from its file if there is one, else trained (and saved
 * there if a path was given). */
static TgModel *
get_foundation (Run *run, guint32 si, guint64 seed, const char *foundation_path,
                GError **error)
{
  const TgExperimentConfig *cfg = run->cfg;
  const TgModeData *data = run->data;
  g_autofree char *path = foundation_path ? tg_foundation_path_for_seed (foundation_path, si)
                                          : NULL;
  guint32 widths[TG_MAX_LINEAR];
  for (guint32 l = 0; l < cfg->n_hidden; l++)
    widths[l] = cfg->width;

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
      run->p.done += (guint64) cfg->foundation_epochs * data->train0->n;
      report (run, "foundation", TG_METHOD_FULL, NAN);
      return m;
    }

  g_autoptr (TgModel) m = tg_model_new (data->train0->dim, cfg->n_hidden, widths,
                                        data->train0->n_classes, cfg->lora_rank,
                                        cfg->lora_alpha, error);
  if (m == NULL)
    return NULL;
  uint64_t rng = tg_rng_seed (seed);
  tg_model_init_weights (m, &rng);
  m->method = TG_METHOD_FULL;
  TgSource src = { .data = data->train0, .alt = data->train_rot };
  if (!train_epochs (run, m, &src, cfg->foundation_epochs, &rng, "foundation", NULL, error))
    return NULL;
  if (path)
    {
      g_autoptr (GHashTable) md = run_metadata (cfg, seed, "foundation", NAN);
      g_autofree char *dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0755) != 0 ||
          !tg_checkpoint_save_foundation (m, md, path, error))
        {
          if (error && *error == NULL)
            g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create its folder", path);
          return NULL;
        }
    }
  return g_steal_pointer (&m);
}

typedef struct {
  float *train0, *train_rot, *test0, *test_rot; /* (n, dims[1]) x W0^T of the foundation */
} FirstLayer;

static void
first_layer_clear (FirstLayer *f)
{
  g_clear_pointer (&f->train0, g_free);
  g_clear_pointer (&f->train_rot, g_free);
  g_clear_pointer (&f->test0, g_free);
  g_clear_pointer (&f->test_rot, g_free);
}

/* Specialises a copy of the foundation with method to the mode whose training set is
 * train (first-layer products train_z1). Returns the adapted model. */
static TgModel *
specialise (Run *run, const TgModel *foundation, TgMethod method, guint64 seed,
            const TgDataset *train, const float *train_z1, double *final_loss, GError **error)
{
  const TgExperimentConfig *cfg = run->cfg;
  g_autoptr (TgModel) m = tg_model_copy (foundation);
  /* an RNG stream of its own per (seed, method) */
  uint64_t rng = tg_rng_seed (seed * 1000003ull + 17ull * (method + 1));
  tg_model_reset_adapter (m, &rng);
  m->method = method;
  m->sharpness = cfg->sharpness;
  m->hard_gates = FALSE;
  TgSource src = { .data = train, .z1pre = train_z1, .z1_dim = m->dims[1] };
  if (!train_epochs (run, m, &src, cfg->adapt_epochs, &rng, "adapt", final_loss, error))
    return NULL;
  return g_steal_pointer (&m);
}

static gboolean
save_adapter (Run *run, const char *dir, const TgModel *m, guint32 si, guint64 seed,
              double target, GError **error)
{
  if (dir == NULL)
    return TRUE;
  g_autoptr (GHashTable) md = run_metadata (run->cfg, seed, "adapter", target);
  g_autofree char *name = g_strdup_printf ("seed%u-%s-%gdeg.safetensors", si,
                                           tg_method_info (m->method)->id, target);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return tg_checkpoint_save_adapter (m, m->method, md, path, error);
}

TgExperimentResults *
tg_experiment_run (const TgExperimentConfig *cfg, const TgModeData *data,
                   const char *foundation_path, const char *checkpoint_dir,
                   TgProgressFunc progress, gpointer user_data, GCancellable *cancellable,
                   GError **error)
{
  if (!tg_experiment_config_validate (cfg, error))
    return NULL;
  if (checkpoint_dir && g_mkdir_with_parents (checkpoint_dir, 0755) != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder: %s",
                   checkpoint_dir, g_strerror (errno));
      return NULL;
    }

  Run run = { .cfg = cfg, .data = data, .progress = progress, .user_data = user_data,
              .cancellable = cancellable };
  guint n_methods = 0;
  for (int k = 0; k < TG_N_METHODS; k++)
    n_methods += (cfg->methods >> k) & 1;
  guint64 per_seed = (guint64) cfg->foundation_epochs + (guint64) cfg->adapt_epochs *
                     (n_methods + (cfg->overlap ? 1 : 0) +
                      (cfg->overlap && !(cfg->methods & (1u << TG_METHOD_TAUGATE)) ? 1 : 0));
  run.p.seeds = cfg->seeds;
  run.p.total = per_seed * cfg->seeds * data->train0->n;

  g_autoptr (TgExperimentResults) res = g_new0 (TgExperimentResults, 1);
  res->config = *cfg;
  res->runs = g_array_new (FALSE, TRUE, sizeof (TgRunResult));
  res->overlaps = g_array_new (FALSE, TRUE, sizeof (TgOverlapResult));
  res->foundation_acc0 = res->foundation_acc_rot = NAN;

  for (guint32 si = 0; si < cfg->seeds; si++)
    {
      guint64 seed = cfg->seed0 + si;
      run.p.seed_index = si;
      g_autoptr (TgModel) foundation = get_foundation (&run, si, seed, foundation_path, error);
      if (foundation == NULL)
        return NULL;
      if (checkpoint_dir)
        {
          g_autoptr (GHashTable) md = run_metadata (cfg, seed, "foundation", NAN);
          g_autofree char *name = g_strdup_printf ("seed%u-foundation.safetensors", si);
          g_autofree char *path = g_build_filename (checkpoint_dir, name, NULL);
          if (!tg_checkpoint_save_foundation (foundation, md, path, error))
            return NULL;
        }

      /* W0 is frozen from here on (but for Full FT): its products never change */
      FirstLayer fl = { 0 };
      fl.train_rot = tg_dataset_first_layer (foundation, data->train_rot, 1024);
      fl.test0 = tg_dataset_first_layer (foundation, data->test0, 1024);
      fl.test_rot = tg_dataset_first_layer (foundation, data->test_rot, 1024);
      if (cfg->overlap)
        fl.train0 = tg_dataset_first_layer (foundation, data->train0, 1024);

      g_autoptr (TgWorkspace) ws = tg_workspace_new (foundation, cfg->batch);
      if (si == 0)
        {
          TgEval e0, er;
          foundation->method = TG_METHOD_FROZEN;
          tg_evaluate (foundation, ws, data->test0, fl.test0, 0, &e0);
          tg_evaluate (foundation, ws, data->test_rot, fl.test_rot, 0, &er);
          res->foundation_acc0 = e0.acc;
          res->foundation_acc_rot = er.acc;
        }

      g_autoptr (TgModel) taugate_rot = NULL;
      for (int k = 0; k < TG_N_METHODS; k++)
        {
          TgMethod method = (TgMethod) k;
          gboolean wanted = (cfg->methods >> k) & 1;
          gboolean for_overlap = cfg->overlap && method == TG_METHOD_TAUGATE;
          if (!wanted && !for_overlap)
            continue;
          TgRunResult r = { .seed_index = si, .seed = seed, .method = method,
                            .target_angle = data->angle, .high_act = NAN };
          g_autoptr (TgModel) m = specialise (&run, foundation, method, seed, data->train_rot,
                                              fl.train_rot, &r.final_loss, error);
          if (m == NULL)
            {
              first_layer_clear (&fl);
              return NULL;
            }
          report (&run, "evaluate", method, r.final_loss);
          TgEval e0, er;
          tg_evaluate (m, ws, data->test0, fl.test0, 0, &e0);
          tg_evaluate (m, ws, data->test_rot, fl.test_rot, 0, &er);
          r.params = tg_model_count_trainable (m, method);
          r.acc0 = e0.acc_soft;
          r.acc_rot = er.acc_soft;
          r.acc0_hard = e0.acc_hard;
          r.acc_rot_hard = er.acc_hard;
          if (tg_method_info (method)->gated)
            r.high_act = tg_high_act_frac (m, ws, data->train_rot, fl.train_rot,
                                           cfg->high_act_samples, 0.9f);
          if (wanted)
            {
              g_array_append_val (res->runs, r);
              if (!save_adapter (&run, checkpoint_dir, m, si, seed, data->angle, error))
                {
                  first_layer_clear (&fl);
                  return NULL;
                }
            }
          if (for_overlap)
            taugate_rot = g_steal_pointer (&m);
        }

      if (cfg->overlap)
        {
          g_autoptr (TgModel) taugate0 = specialise (&run, foundation, TG_METHOD_TAUGATE, seed,
                                                     data->train0, fl.train0, NULL, error);
          if (taugate0 == NULL)
            {
              first_layer_clear (&fl);
              return NULL;
            }
          report (&run, "overlap", TG_METHOD_TAUGATE, NAN);
          guint32 units = tg_model_hidden_units (foundation);
          g_autofree float *mean0 = g_new (float, units);
          g_autofree float *mean_rot = g_new (float, units);
          tg_mean_gates (taugate0, ws, data->test0, fl.test0, 0, FALSE, mean0);
          tg_mean_gates (taugate_rot, ws, data->test_rot, fl.test_rot, 0, FALSE, mean_rot);
          TgOverlapResult o = { .seed_index = si, .n_layers = tg_model_n_hidden (foundation) };
          for (guint32 l = 0, base = 0; l < o.n_layers; base += foundation->dims[l + 1], l++)
            {
              guint32 d = foundation->dims[l + 1];
              o.jaccard[l] = tg_jaccard (mean0 + base, mean_rot + base, d, cfg->on_threshold);
              for (guint32 j = 0; j < d; j++)
                {
                  o.on0[l] += mean0[base + j] > cfg->on_threshold;
                  o.on_rot[l] += mean_rot[base + j] > cfg->on_threshold;
                }
            }
          g_array_append_val (res->overlaps, o);
          if (!save_adapter (&run, checkpoint_dir, taugate0, si, seed, 0.0, error))
            {
              first_layer_clear (&fl);
              return NULL;
            }
        }
      first_layer_clear (&fl);
    }
  run.p.done = run.p.total;
  report (&run, "done", TG_METHOD_FROZEN, NAN);
  return g_steal_pointer (&res);
}
