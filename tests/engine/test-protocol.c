/* SPDX-License-Identifier: MIT */
/* test-protocol.c — the trainer and the paper protocol as a whole: epochs cover every example
 * once, lambda and divergence act as they should, a run is byte-for-byte repeatable, and on
 * the real MNIST the methods order as the paper's shape says. */
#include "tg-experiment.h"
#include "tg-report.h"

#include <math.h>
#include <string.h>

/* A synthetic two-mode data set for fast tests: class c lights up a band of pixels. */
static TgDataset *
synthetic (guint32 n, guint32 seed)
{
  GError *error = NULL;
  TgDataset *ds = tg_dataset_new (n, 8, 8, 4, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (seed);
  for (guint32 i = 0; i < n; i++)
    {
      guint8 c = (guint8) tg_rng_below (&rng, 4);
      ds->labels[i] = c;
      for (guint32 p = 0; p < 64; p++)
        {
          gboolean band = (p / 8) / 2 == c;
          ds->pixels[(size_t) i * 64 + p] = (guint8) (band ? 150 + tg_rng_below (&rng, 100)
                                                           : tg_rng_below (&rng, 60));
        }
    }
  return ds;
}

static void
test_epoch_covers_all (void)
{
  g_autoptr (TgDataset) a = synthetic (1000, 1);
  g_autoptr (TgDataset) b = tg_dataset_rotated (a, 90);
  TgSource src = { .data = a, .alt = b };
  uint64_t rng = tg_rng_seed (5);
  g_autoptr (TgEpoch) e = tg_epoch_new (&src, 256, &rng);
  g_assert_cmpuint (tg_epoch_n_batches (e), ==, 4);
  float x[256 * 64];
  guint8 y[256];
  guint32 n, total = 0, sizes[8], k = 0;
  while ((n = tg_epoch_next (e, x, NULL, y)) > 0)
    {
      sizes[k++] = n;
      total += n;
    }
  g_assert_cmpuint (k, ==, 4);
  g_assert_cmpuint (sizes[3], ==, 1000 - 3 * 256); /* the last partial batch is kept */
  g_assert_cmpuint (total, ==, 1000);
  g_assert_cmpuint (tg_epoch_position (e), ==, 4);
}

static void
test_coins_fair (void)
{
  guint8 coins[20000];
  uint64_t rng = tg_rng_seed (9);
  tg_mixture_coins (&rng, coins, G_N_ELEMENTS (coins));
  guint ones = 0;
  for (guint i = 0; i < G_N_ELEMENTS (coins); i++)
    ones += coins[i];
  /* 20000 fair coins: std 70.7; 5 sigma */
  g_assert_cmpuint (ones, >, 10000 - 354);
  g_assert_cmpuint (ones, <, 10000 + 354);
}

static TgModel *
trained_foundation (const TgDataset *train, float *acc_out)
{
  guint32 widths[2] = { 16, 16 };
  GError *error = NULL;
  TgModel *m = tg_model_new (64, 2, widths, 4, 2, 2.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (3);
  tg_model_init_weights (m, &rng);
  m->method = TG_METHOD_FULL;
  TgTrainConfig tc;
  tg_train_config_init (&tc);
  tc.batch = 32;
  tc.lr = 0.05f;
  g_autoptr (TgTrainer) t = tg_trainer_new (m, &tc);
  TgSource src = { .data = train };
  for (int e = 0; e < 3; e++)
    {
      gboolean ok = tg_trainer_run_epoch (t, &src, &rng, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  TgEval ev;
  TgForwardOpts soft = { TG_GATES_SOFT, tg_trainer_get_sharpness (t) };
  tg_evaluate (m, tg_trainer_get_workspace (t), &soft, train, NULL, 0, &ev);
  *acc_out = (float) ev.acc;
  return m;
}

/* lambda set between steps is what the next steps train with: the mean gate falls. */
static void
test_lambda_lowers_gates (void)
{
  g_autoptr (TgDataset) train = synthetic (2000, 2);
  float acc;
  g_autoptr (TgModel) base = trained_foundation (train, &acc);
  g_assert_cmpfloat (acc, >, 0.9f);
  guint32 units = tg_model_hidden_units (base);
  float mean_gate[2];
  for (int run = 0; run < 2; run++)
    {
      g_autoptr (TgModel) m = tg_model_copy (base);
      uint64_t rng = tg_rng_seed (4);
      tg_model_reset_adapter (m, &rng);
      m->method = TG_METHOD_TAUGATE;
      TgTrainConfig tc;
      tg_train_config_init (&tc);
      tc.batch = 32;
      tc.lr = 0.05f;
      g_autoptr (TgTrainer) t = tg_trainer_new (m, &tc);
      TgSource src = { .data = train };
      GError *error = NULL;
      tg_trainer_run_epoch (t, &src, &rng, NULL, NULL, NULL, NULL, &error); /* same first epoch */
      g_assert_no_error (error);
      tg_trainer_set_lambda (t, run == 0 ? 0.0f : 2.0f);
      g_assert_cmpfloat (tg_trainer_get_lambda (t), ==, run == 0 ? 0.0f : 2.0f);
      for (int e = 0; e < 2; e++)
        tg_trainer_run_epoch (t, &src, &rng, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_autofree float *g = g_new (float, units);
      TgForwardOpts soft = { TG_GATES_SOFT, tg_trainer_get_sharpness (t) };
      tg_mean_gates (m, tg_trainer_get_workspace (t), &soft, train, NULL, 0, g);
      double sum = 0;
      for (guint32 j = 0; j < units; j++)
        sum += g[j];
      mean_gate[run] = (float) (sum / units);
    }
  g_test_message ("mean gate: lambda 0 -> %.3f, lambda 2 -> %.3f", mean_gate[0], mean_gate[1]);
  g_assert_cmpfloat (mean_gate[1], <, mean_gate[0] - 0.05f);
}

typedef struct {
  TgTrainer *trainer;
  GArray    *s;  /* float: the s of every step */
} AnnealLog;

static gboolean
log_step_sharpness (guint32 n, const TgLossInfo *info, gpointer data)
{
  AnnealLog *log = data;
  float s = tg_trainer_get_step_sharpness (log->trainer);
  g_array_append_val (log->s, s);
  return TRUE;
}

/* HAT's schedule: within each epoch s rises from 1/s_max to s_max, batch by batch, and a step
 * trains through that s (the same parameters as steps taken by hand at those s). */
static void
test_anneal_schedule (void)
{
  g_autoptr (TgDataset) train = synthetic (1000, 2);
  float acc;
  g_autoptr (TgModel) base = trained_foundation (train, &acc);
  const float s_max = 8.0f;
  const guint32 batches = 10;

  g_assert_cmpfloat (tg_anneal_sharpness (s_max, 0, batches), ==, 1.0f / s_max);
  g_assert_cmpfloat (tg_anneal_sharpness (s_max, batches - 1, batches), ==, s_max);
  g_assert_cmpfloat (tg_anneal_sharpness (s_max, 0, 1), ==, s_max);

  g_autoptr (TgModel) annealed = tg_model_copy (base), by_hand = tg_model_copy (base),
                      fixed = tg_model_copy (base);
  TgModel *models[3] = { annealed, by_hand, fixed };
  for (guint i = 0; i < 3; i++)
    {
      uint64_t rng = tg_rng_seed (4);
      tg_model_reset_adapter (models[i], &rng);
      models[i]->method = TG_METHOD_TAUGATE;
    }
  TgTrainConfig tc;
  tg_train_config_init (&tc);
  tc.batch = 100;
  tc.lr = 0.05f;
  tc.sharpness = s_max;
  TgSource src = { .data = train };
  GError *error = NULL;

  tc.anneal_sharpness = TRUE;
  g_autoptr (TgTrainer) ta = tg_trainer_new (annealed, &tc);
  g_assert_true (tg_trainer_get_anneal (ta));
  AnnealLog log = { ta, g_array_new (FALSE, FALSE, sizeof (float)) };
  uint64_t rng_a = tg_rng_seed (7);
  for (int e = 0; e < 2; e++)
    {
      g_assert_true (tg_trainer_run_epoch (ta, &src, &rng_a, log_step_sharpness, &log, NULL,
                                           NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (log.s->len, ==, 2 * batches);
  for (guint k = 0; k < log.s->len; k++)
    {
      guint32 b = k % batches;
      double want = 1.0 / s_max + (s_max - 1.0 / s_max) * b / (batches - 1.0);
      g_assert_cmpfloat_with_epsilon (g_array_index (log.s, float, k), want, 1e-5);
    }
  /* the epoch restarts the schedule, and s is still s_max for whoever evaluates after it */
  g_assert_cmpfloat (g_array_index (log.s, float, batches), ==, 1.0f / s_max);
  g_assert_cmpfloat (tg_trainer_get_sharpness (ta), ==, s_max);

  /* the same epochs by hand, each step at the schedule's s: the same parameters */
  tc.anneal_sharpness = FALSE;
  g_autoptr (TgTrainer) th = tg_trainer_new (by_hand, &tc);
  uint64_t rng_h = tg_rng_seed (7);
  g_autofree float *x = g_new (float, 100 * 64);
  guint8 y[100];
  for (int e = 0; e < 2; e++)
    {
      g_autoptr (TgEpoch) epoch = tg_epoch_new (&src, 100, &rng_h);
      guint32 n, b = 0;
      while ((n = tg_epoch_next (epoch, x, NULL, y)) > 0)
        {
          tg_trainer_set_sharpness (th, tg_anneal_sharpness (s_max, b++, batches));
          g_assert_true (tg_trainer_step (th, x, NULL, y, n, NULL, &error));
          g_assert_no_error (error);
        }
    }
  g_assert_cmpmem (annealed->params, annealed->n_params * sizeof (float),
                   by_hand->params, by_hand->n_params * sizeof (float));

  /* and a fixed s trains to other parameters, every step at s_max */
  g_autoptr (TgTrainer) tf = tg_trainer_new (fixed, &tc);
  AnnealLog flog = { tf, g_array_new (FALSE, FALSE, sizeof (float)) };
  uint64_t rng_f = tg_rng_seed (7);
  g_assert_true (tg_trainer_run_epoch (tf, &src, &rng_f, log_step_sharpness, &flog, NULL, NULL,
                                       &error));
  for (guint k = 0; k < flog.s->len; k++)
    g_assert_cmpfloat (g_array_index (flog.s, float, k), ==, s_max);
  g_assert_true (memcmp (fixed->params, annealed->params,
                         fixed->n_params * sizeof (float)) != 0);
  g_array_unref (log.s);
  g_array_unref (flog.s);
}

/* A step that would produce NaN is refused and leaves the parameters as they were. */
static void
test_divergence_reported (void)
{
  g_autoptr (TgDataset) train = synthetic (256, 3);
  float acc;
  g_autoptr (TgModel) m = trained_foundation (train, &acc);
  m->method = TG_METHOD_FULL;
  TgTrainConfig tc;
  tg_train_config_init (&tc);
  tc.batch = 64;
  tc.lr = 1e30f;
  g_autoptr (TgTrainer) t = tg_trainer_new (m, &tc);
  float x[64 * 64];
  guint8 y[64];
  tg_dataset_gather (train, NULL, 0, 64, x, y);
  g_autofree float *before = g_memdup2 (m->params, m->n_params * sizeof (float));
  GError *error = NULL;
  gboolean ok = TRUE;
  for (int i = 0; i < 5 && ok; i++)
    {
      g_autofree float *prev = g_memdup2 (m->params, m->n_params * sizeof (float));
      ok = tg_trainer_step (t, x, NULL, y, 64, NULL, &error);
      if (!ok)
        g_assert_cmpmem (prev, m->n_params * sizeof (float), m->params, m->n_params * sizeof (float));
    }
  (void) before;
  g_assert_false (ok);
  g_assert_error (error, TG_ERROR, TG_ERROR_DIVERGED);
  g_assert_nonnull (strstr (error->message, "learning rate"));
  g_clear_error (&error);
}

static const char *
mnist_dir (void)
{
  const char *dir = g_getenv ("TG_MNIST_DIR");
  if (dir == NULL)
    {
      g_test_skip ("TG_MNIST_DIR is not set");
      return NULL;
    }
  return dir;
}

static TgModeData *
load_mnist (const char *dir, guint32 train_limit, guint32 test_limit)
{
  GError *error = NULL;
  g_autoptr (TgDataset) train = tg_dataset_load_dir (dir, "train", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, &error);
  g_assert_no_error (error);
  TgModeData *data = tg_mode_data_new (train, test, 45.0, train_limit, test_limit, &error);
  g_assert_no_error (error);
  return data;
}

/* Same seed: results.csv is byte-identical on 1 or 2 threads and with or without the
 * first-layer reuse; another seed changes it. */
static void
test_deterministic (void)
{
  const char *dir = mnist_dir ();
  if (!dir)
    return;
  g_autoptr (TgModeData) data = load_mnist (dir, 6000, 1000);
  TgExperimentConfig cfg;
  tg_experiment_config_init_paper (&cfg);
  cfg.seeds = 1;
  cfg.foundation_epochs = 1;
  char *csv[4];
  for (int i = 0; i < 4; i++)
    {
      GError *error = NULL;
      cfg.seed0 = i == 2 ? 1 : 0;
      cfg.no_reuse = i == 3;   /* recomputing x W0^T must give the very same numbers */
      cfg.threads = i == 1 ? 1 : 2;
      g_autoptr (TgExperimentResults) res = tg_experiment_run (&cfg, data, NULL, NULL, NULL,
                                                               NULL, NULL, &error);
      g_assert_no_error (error);
      csv[i] = tg_report_csv (res);
    }
  g_assert_cmpstr (csv[0], ==, csv[1]);
  g_assert_cmpstr (csv[0], !=, csv[2]);
  g_assert_cmpstr (csv[0], ==, csv[3]);
  for (int i = 0; i < 4; i++)
    g_free (csv[i]);
}

/* The paper's shape on the real data, one fixed seed: on 45 degrees Full FT > LoRA > Frozen,
 * TauGate above Frozen, and Full FT loses the most on 0 degrees. */
static void
test_paper_shape (void)
{
  const char *dir = mnist_dir ();
  if (!dir)
    return;
  g_autoptr (TgModeData) data = load_mnist (dir, 0, 0);
  TgExperimentConfig cfg;
  tg_experiment_config_init_paper (&cfg);
  cfg.seeds = 1;
  GError *error = NULL;
  g_autoptr (TgExperimentResults) res = tg_experiment_run (&cfg, data, NULL, NULL, NULL, NULL,
                                                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (res->runs->len, ==, TG_N_METHODS);
  TgRunResult r[TG_N_METHODS];
  for (guint i = 0; i < res->runs->len; i++)
    {
      TgRunResult *x = &g_array_index (res->runs, TgRunResult, i);
      r[x->method] = *x;
      g_test_message ("%-9s params %6zu  acc0 %.4f  acc_rot %.4f", tg_method_info (x->method)->label,
                      x->params, x->acc0, x->acc_rot);
    }
  g_assert_cmpfloat (r[TG_METHOD_FULL].acc_rot, >, r[TG_METHOD_LORA].acc_rot);
  g_assert_cmpfloat (r[TG_METHOD_LORA].acc_rot, >, r[TG_METHOD_FROZEN].acc_rot);
  g_assert_cmpfloat (r[TG_METHOD_TAUGATE].acc_rot, >, r[TG_METHOD_FROZEN].acc_rot);
  double frozen0 = r[TG_METHOD_FROZEN].acc0;
  for (int k = 0; k < TG_N_METHODS; k++)
    if (k != TG_METHOD_FULL)
      g_assert_cmpfloat (frozen0 - r[TG_METHOD_FULL].acc0, >, frozen0 - r[k].acc0);
  /* the foundation is a real model, not chance */
  g_assert_cmpfloat (r[TG_METHOD_FROZEN].acc_rot, >, 0.7);
  g_assert_cmpuint (res->overlaps->len, ==, 1);
  TgOverlapResult *o = &g_array_index (res->overlaps, TgOverlapResult, 0);
  for (guint32 l = 0; l < o->n_layers; l++)
    {
      g_assert_cmpfloat (o->jaccard[l], >=, 0.0);
      g_assert_cmpfloat (o->jaccard[l], <=, 1.0);
    }
}

static void
test_config_validation (void)
{
  TgExperimentConfig cfg;
  GError *error = NULL;
  tg_experiment_config_init_paper (&cfg);
  g_assert_true (tg_experiment_config_validate (&cfg, &error));
  cfg.lr = -1;
  g_assert_false (tg_experiment_config_validate (&cfg, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "--lr"));
  g_clear_error (&error);
  tg_experiment_config_init_paper (&cfg);
  cfg.sharpness = 0;
  g_assert_false (tg_experiment_config_validate (&cfg, &error));
  g_clear_error (&error);
  g_autofree char *p1 = tg_foundation_path_for_seed ("/x/found.safetensors", 2);
  g_assert_cmpstr (p1, ==, "/x/found-seed2.safetensors");
  g_autofree char *p0 = tg_foundation_path_for_seed ("/x/found.safetensors", 0);
  g_assert_cmpstr (p0, ==, "/x/found.safetensors");
}

/* Every value a user can type is checked: NaN, infinities, negatives and absurd sizes are
 * refused with the option's name. */
static void
test_config_bad_values (void)
{
  struct { const char *opt; void (*set) (TgExperimentConfig *); } bad[] = {
    { "--lr", NULL }, { "--sharpness", NULL }, { "--lambda", NULL }, { "--angle", NULL },
    { "--threads", NULL }, { "LoRA alpha", NULL }, { "on-threshold", NULL },
  };
  float values[] = { NAN, INFINITY, -INFINITY, -1.0f, 0.0f, 1e30f };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      {
        TgExperimentConfig cfg;
        tg_experiment_config_init_paper (&cfg);
        float x = values[v];
        gboolean valid_anyway = FALSE;
        switch (i)
          {
          case 0: cfg.lr = x; break;
          case 1: cfg.sharpness = x; break;
          case 2: cfg.lambda = x; valid_anyway = x == 0.0f; break;
          case 3: cfg.angle = x; valid_anyway = x == 0.0f || x == -1.0f; break;
          case 4: cfg.threads = isfinite (x) && x >= 0 ? (guint32) MIN (x, 1e9f) : (guint32) -4;
                  valid_anyway = x == 0.0f; break;
          case 5: cfg.lora_alpha = x; break;
          case 6: cfg.on_threshold = x; valid_anyway = x == 0.0f; break;
          default: g_assert_not_reached ();
          }
        GError *error = NULL;
        gboolean ok = tg_experiment_config_validate (&cfg, &error);
        g_assert_cmpint (ok, ==, valid_anyway);
        if (!ok)
          {
            g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
            if (strstr (error->message, bad[i].opt) == NULL)
              g_error ("%s = %g: \"%s\" does not name it", bad[i].opt, x, error->message);
            g_clear_error (&error);
          }
      }
}

/* The collapse rule: finite and above twice the loss of a uniform guess. */
static void
test_collapse_rule (void)
{
  g_assert_false (tg_loss_collapsed (0.3, 10));
  g_assert_false (tg_loss_collapsed (2.30, 10));   /* learned nothing: not a collapse */
  g_assert_false (tg_loss_collapsed (4.6, 10));
  g_assert_true (tg_loss_collapsed (4.7, 10));
  g_assert_true (tg_loss_collapsed (4e11, 10));
  g_assert_false (tg_loss_collapsed (NAN, 10));    /* a divergence, reported as such */
  g_assert_false (tg_loss_collapsed (INFINITY, 10));
  g_assert_true (tg_loss_collapsed (1.5, 2));      /* 2 ln 2 = 1.39 */

  TgExperimentResults res = { .runs = g_array_new (FALSE, TRUE, sizeof (TgRunResult)) };
  tg_experiment_config_init_paper (&res.config);
  res.config.lr = 99.0f;
  TgRunResult ok = { .method = TG_METHOD_TAUGATE, .final_ce = 0.4 };
  TgRunResult bad = { .method = TG_METHOD_FULL, .seed_index = 1, .final_ce = 4e11,
                      .collapsed = TRUE };
  g_array_append_val (res.runs, ok);
  GError *error = NULL;
  guint n = 99;
  g_assert_true (tg_experiment_results_check_collapse (&res, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  g_array_append_val (res.runs, bad);
  g_assert_false (tg_experiment_results_check_collapse (&res, &n, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_DIVERGED);
  g_assert_cmpuint (n, ==, 1);
  g_assert_nonnull (strstr (error->message, "Full FT seed 1"));
  g_assert_nonnull (strstr (error->message, "--lr"));
  g_clear_error (&error);
  g_array_unref (res.runs);
}

/* A foundation trained at an absurd learning rate that ends finite but far above chance is
 * an error of the protocol, not a result. */
static void
test_foundation_collapse (void)
{
  g_autoptr (TgDataset) train = synthetic (512, 21);
  g_autoptr (TgDataset) test = synthetic (128, 22);
  g_autoptr (TgModeData) data = tg_mode_data_new (train, test, 45.0, 0, 0, NULL);
  TgExperimentConfig cfg;
  tg_experiment_config_init_paper (&cfg);
  cfg.seeds = 1;
  cfg.threads = 1;
  cfg.overlap = FALSE;
  cfg.methods = 1u << TG_METHOD_FROZEN;
  GError *error = NULL;
  gboolean collapsed = FALSE;
  /* find a learning rate at which the loss ends finite and far above chance */
  float lrs[] = { 2, 3, 5, 8, 13, 20, 30, 50, 99 };
  for (guint i = 0; i < G_N_ELEMENTS (lrs) && !collapsed; i++)
    {
      cfg.lr = lrs[i];
      g_autoptr (TgExperimentResults) res = tg_experiment_run (&cfg, data, NULL, NULL, NULL,
                                                               NULL, NULL, &error);
      if (res == NULL && g_error_matches (error, TG_ERROR, TG_ERROR_DIVERGED) &&
          strstr (error->message, "collapsed") != NULL)
        {
          g_test_message ("lr %g: %s", lrs[i], error->message);
          g_assert_nonnull (strstr (error->message, "foundation"));
          collapsed = TRUE;
        }
      g_clear_error (&error);
    }
  g_assert_true (collapsed);
}

/* The memory estimate grows with the width as the square, covers what the default run
 * measures (see `taugate bench`), and a width no machine here can hold is refused. */
static void
test_memory_estimate (void)
{
  TgExperimentConfig cfg;
  tg_experiment_config_init_paper (&cfg);
  cfg.threads = 2;
  guint64 paper = tg_experiment_config_memory_bytes (&cfg, 784, 10, 60000, 10000);
  g_test_message ("paper setting, 2 threads: %" G_GUINT64_FORMAT " bytes", paper);
  g_assert_cmpuint (paper, >, 200000000);  /* both modes' data and two seeds' products */
  g_assert_cmpuint (paper, <, 1000000000);
  cfg.width = 65536;
  guint64 wide = tg_experiment_config_memory_bytes (&cfg, 784, 10, 60000, 10000);
  g_assert_cmpuint (wide, >, 4ull * 65536 * 65536 * 3);
  GError *error = NULL;
  guint64 needed = 0;
  if (tg_physical_memory_bytes () < wide)
    {
      g_assert_false (tg_experiment_config_check_memory (&cfg, 784, 10, 60000, 10000, &needed,
                                                         &error));
      g_assert_error (error, TG_ERROR, TG_ERROR_RANGE);
      g_assert_nonnull (strstr (error->message, "GB"));
      g_assert_nonnull (strstr (error->message, "--width 65536"));
      g_clear_error (&error);
      g_assert_cmpuint (needed, ==, wide);
    }
  cfg.width = 128;
  g_assert_true (tg_experiment_config_check_memory (&cfg, 784, 10, 60000, 10000, &needed,
                                                    &error));
  g_assert_no_error (error);
  g_autofree char *gb = tg_format_memory (2500000000ull);
  g_assert_cmpstr (gb, ==, "2.5 GB");
}

/* MNIST is recognised by its contents, whatever its folder; anything else is named after its
 * folder, and the paper's numbers belong only to MNIST at 45 degrees. */
static void
test_data_identity (void)
{
  g_autoptr (TgDataset) train = synthetic (64, 31);
  g_autoptr (TgDataset) test = synthetic (16, 32);
  TgExperimentConfig cfg;
  tg_experiment_config_init_paper (&cfg);
  g_assert_true (tg_experiment_config_is_paper_setting (&cfg));
  tg_experiment_config_set_data (&cfg, NULL, "/usr/share/datasets/fashion-mnist", train, test);
  g_assert_false (cfg.data_is_mnist);
  g_assert_cmpstr (cfg.data_name, ==, "fashion-mnist");
  g_assert_false (tg_experiment_config_is_paper_setting (&cfg));
  tg_experiment_config_set_data (&cfg, "Bands \u00e9t\u00e9 with a very long name indeed",
                                 "/x", train, test);
  g_assert_true (g_utf8_validate (cfg.data_name, -1, NULL));
  g_assert_true (g_str_has_prefix (cfg.data_name, "Bands"));

  GError *error = NULL;
  /* Debian's Fashion-MNIST (dataset-fashion-mnist, which ./run.sh installs when offered):
   * the same sizes and format as MNIST, another data set */
  const char *fashion = "/usr/share/datasets/fashion-mnist";
  if (g_file_test (fashion, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (TgDataset) ftrain = tg_dataset_load_dir (fashion, "train", 10, &error);
      g_assert_no_error (error);
      g_autoptr (TgDataset) ftest = tg_dataset_load_dir (fashion, "t10k", 10, &error);
      g_assert_no_error (error);
      tg_experiment_config_set_data (&cfg, NULL, fashion, ftrain, ftest);
      g_assert_false (cfg.data_is_mnist);
      g_assert_cmpstr (cfg.data_name, ==, "fashion-mnist");
    }
  const char *dir = g_getenv ("TG_MNIST_DIR");
  if (dir == NULL)
    return;
  g_autoptr (TgDataset) mtrain = tg_dataset_load_dir (dir, "train", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) mtest = tg_dataset_load_dir (dir, "t10k", 10, &error);
  g_assert_no_error (error);
  tg_experiment_config_set_data (&cfg, NULL, "/somewhere/else", mtrain, mtest);
  g_assert_true (cfg.data_is_mnist);
  g_assert_cmpstr (cfg.data_name, ==, "MNIST");
  g_assert_true (tg_experiment_config_is_paper_setting (&cfg));
  cfg.angle = 30;
  g_assert_false (tg_experiment_config_is_paper_setting (&cfg));
  /* one changed label is another data set */
  mtest->labels[0] = (guint8) ((mtest->labels[0] + 1) % 10);
  g_assert_false (tg_dataset_pair_is_mnist (mtrain, mtest));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/train/epoch-covers-all", test_epoch_covers_all);
  g_test_add_func ("/engine/train/coins-fair", test_coins_fair);
  g_test_add_func ("/engine/train/lambda-lowers-gates", test_lambda_lowers_gates);
  g_test_add_func ("/engine/train/anneal-schedule", test_anneal_schedule);
  g_test_add_func ("/engine/train/divergence-reported", test_divergence_reported);
  g_test_add_func ("/engine/protocol/config-validation", test_config_validation);
  g_test_add_func ("/engine/protocol/config-bad-values", test_config_bad_values);
  g_test_add_func ("/engine/protocol/collapse-rule", test_collapse_rule);
  g_test_add_func ("/engine/protocol/foundation-collapse", test_foundation_collapse);
  g_test_add_func ("/engine/protocol/memory-estimate", test_memory_estimate);
  g_test_add_func ("/engine/protocol/data-identity", test_data_identity);
  g_test_add_func ("/engine/protocol/deterministic", test_deterministic);
  g_test_add_func ("/engine/protocol/paper-shape-mnist", test_paper_shape);
  return g_test_run ();
}
