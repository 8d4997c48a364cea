/* SPDX-License-Identifier: MIT */
/* test-foundation-mix.c — the foundation's training mix as a setting: the default is the
 * paper's 50/50 mix of 0 degrees and the target, an explicit list is used as given (a
 * foundation that never saw the target does worse on it, on the real MNIST), the list is
 * recorded in the foundation's checkpoint, the sweep trains on it too, and a bad list is
 * refused naming the option. */
#include "tg-experiment.h"
#include "tg-checkpoint.h"
#include "tg-report.h"
#include "tg-sweep.h"
#include "cli-test-util.h"

#include <math.h>
#include <string.h>

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

/* One seed, Frozen only: the foundation itself, measured on both modes. */
static void
frozen_config (TgExperimentConfig *cfg)
{
  tg_experiment_config_init_paper (cfg);
  cfg->seeds = 1;
  cfg->foundation_epochs = 2;
  cfg->methods = 1u << TG_METHOD_FROZEN;
  cfg->overlap = FALSE;
  cfg->threads = 1;
}

static TgExperimentResults *
run (const TgExperimentConfig *cfg, const TgModeData *data, const char *checkpoints)
{
  GError *error = NULL;
  TgExperimentResults *res = tg_experiment_run (cfg, data, NULL, checkpoints, NULL, NULL, NULL,
                                                &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  return res;
}

/* Two modes picked from a list are the very coins of the 50/50 mixture; more modes are
 * uniform. */
static void
test_picks (void)
{
  enum { N = 30000 };
  g_autofree guint8 *coins = g_new (guint8, N), *picks = g_new (guint8, N);
  uint64_t a = tg_rng_seed (3), b = tg_rng_seed (3);
  tg_mixture_coins (&a, coins, N);
  tg_mixture_picks (&b, picks, N, 2);
  g_assert_cmpmem (coins, N, picks, N);
  g_assert_true (a == b);

  guint counts[3] = { 0 };
  tg_mixture_picks (&b, picks, N, 3);
  for (guint i = 0; i < N; i++)
    {
      g_assert_cmpuint (picks[i], <, 3);
      counts[picks[i]]++;
    }
  /* 10000 expected each, std 82: 6 sigma */
  for (guint k = 0; k < 3; k++)
    g_assert_cmpuint (counts[k], >, 9500);
}

/* The mix reuses the two modes' own sets and rotates any other angle once. */
static void
test_mix_sets (void)
{
  const char *dir = cli_test_mnist_dir ();
  if (dir == NULL)
    return;
  g_autoptr (TgModeData) data = load_mnist (dir, 500, 100);
  GError *error = NULL;
  const double angles[] = { 0, 45, 30, 30, 360 };
  g_autoptr (TgMix) mix = tg_mix_new (data, angles, G_N_ELEMENTS (angles), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mix->n, ==, 5);
  g_assert_true (mix->sets[0] == data->train0);
  g_assert_true (mix->sets[1] == data->train_rot);
  g_assert_true (mix->sets[2] == mix->sets[3]);
  g_autoptr (TgDataset) r30 = tg_dataset_rotated (data->train0, 30);
  g_assert_cmpmem (mix->sets[2]->pixels, (gsize) r30->n * r30->dim, r30->pixels,
                   (gsize) r30->n * r30->dim);
  /* a full turn maps pixel centres onto themselves */
  g_assert_cmpmem (mix->sets[4]->pixels, (gsize) r30->n * r30->dim, data->train0->pixels,
                   (gsize) r30->n * r30->dim);

  const double bad[] = { 0, NAN };
  g_assert_null (tg_mix_new (data, bad, 2, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tg_mix_new (data, angles, 0, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
}

/* The default and the explicit list {0, target} are the same run, byte for byte; the list
 * is in the foundation's checkpoint; a foundation of 0 degrees only, never shown the
 * target, scores lower on it than the paper's mix. */
static void
test_mix_used (void)
{
  const char *dir = cli_test_mnist_dir ();
  if (dir == NULL)
    return;
  g_autoptr (TgModeData) data = load_mnist (dir, 30000, 2000);
  g_autofree char *tmp = g_dir_make_tmp ("tg-mix-XXXXXX", NULL);
  g_assert_nonnull (tmp);
  g_autofree char *ck = g_build_filename (tmp, "checkpoints", NULL);

  TgExperimentConfig paper, listed, zero;
  frozen_config (&paper);
  listed = paper;
  listed.n_foundation_angles = 2;
  listed.foundation_angles[0] = 0;
  listed.foundation_angles[1] = 45;
  zero = paper;
  zero.n_foundation_angles = 1;
  zero.foundation_angles[0] = 0;

  g_autoptr (TgExperimentResults) rp = run (&paper, data, NULL);
  g_autoptr (TgExperimentResults) rl = run (&listed, data, NULL);
  g_autoptr (TgExperimentResults) rz = run (&zero, data, ck);
  g_autofree char *csv_p = tg_report_csv (rp), *csv_l = tg_report_csv (rl);
  g_assert_cmpstr (csv_p, ==, csv_l);

  const TgRunResult *p = &g_array_index (rp->runs, TgRunResult, 0);
  const TgRunResult *z = &g_array_index (rz->runs, TgRunResult, 0);
  g_test_message ("Frozen at 45 degrees: foundation {0, 45} %.4f, {0} %.4f; at 0: %.4f, %.4f",
                  p->acc_rot, z->acc_rot, p->acc0, z->acc0);
  g_assert_cmpfloat (z->acc_rot, <, p->acc_rot - 0.05);
  /* not a broken foundation: it knows the mode it saw */
  g_assert_cmpfloat (z->acc0, >, 0.8);

  g_autofree char *path = g_build_filename (ck, "seed0-foundation.safetensors", NULL);
  GError *error = NULL;
  g_autoptr (GHashTable) md = NULL;
  g_autoptr (TgModel) m = tg_checkpoint_load_foundation (path, 8, 8, &md, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (md, "foundation_angles"), ==, "0");
  /* the sweep trains its foundation on the same mix, the same way (on one BLAS thread, as
   * both run their tasks) */
  int blas_threads = tg_get_threads ();
  tg_set_threads (1);
  g_autoptr (TgModel) swept = tg_sweep_foundation (&zero, data, zero.seed0, NULL, &error);
  g_assert_no_error (error);
  tg_set_threads (blas_threads);
  for (guint32 l = 0; l < m->n_linear; l++)
    g_assert_cmpmem (swept->params + swept->w[l],
                     sizeof (float) * m->dims[l] * m->dims[l + 1], m->params + m->w[l],
                     sizeof (float) * m->dims[l] * m->dims[l + 1]);
  g_autofree char *paper_text = tg_experiment_config_foundation_angles_string (&paper);
  g_assert_cmpstr (paper_text, ==, "0,45");
  cli_test_remove_tree (tmp);
}

/* The configuration refuses what the protocol cannot run with. */
static void
test_config_refuses (void)
{
  TgExperimentConfig cfg;
  GError *error = NULL;
  frozen_config (&cfg);
  cfg.n_foundation_angles = 1;
  cfg.foundation_angles[0] = INFINITY;
  g_assert_false (tg_experiment_config_validate (&cfg, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "--foundation-angles"));
  g_clear_error (&error);
  cfg.n_foundation_angles = TG_MAX_MIX_MODES + 1;
  g_assert_false (tg_experiment_config_validate (&cfg, &error));
  g_assert_nonnull (strstr (error->message, "--foundation-angles"));
  g_clear_error (&error);
}

/* The command line: a bad list is refused before any work, naming the option. */
static void
test_cli_refuses (void)
{
  const char *dir = cli_test_mnist_dir ();
  if (dir == NULL)
    return;
  const char *bad[] = { "0,abc", "1e999", "0:360:10", "" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char *args[] = { "reproduce", "-q", "--data", dir, "--train-limit", "100",
                             "--foundation-angles", bad[i], "--out", "/nonexistent/tg-mix",
                             NULL };
      int status = cli_test_run (args, &out, &err);
      g_test_message ("%s: %s", bad[i], err);
      g_assert_cmpint (status, !=, 0);
      g_assert_nonnull (strstr (err, "--foundation-angles"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/foundation-mix/picks", test_picks);
  g_test_add_func ("/engine/foundation-mix/sets", test_mix_sets);
  g_test_add_func ("/engine/foundation-mix/used", test_mix_used);
  g_test_add_func ("/engine/foundation-mix/config-refuses", test_config_refuses);
  g_test_add_func ("/engine/foundation-mix/cli-refuses", test_cli_refuses);
  return g_test_run ();
}
