/* SPDX-License-Identifier: MIT */
/* test-multimode.c — K modes in one pass (tg-multimode.h) against K separate forwards, on
 * real MNIST test images: the same predictions and the same logits (bit for bit with the
 * naive reference product, within float rounding with OpenBLAS), and the refusal of models
 * that do not run on the foundation's weights. */
#include "tg-multimode.h"
#include "tg-modes.h"
#include "tg-metrics.h"
#include "tg-train.h"
#include "cli-test-util.h"

#include <math.h>
#include <string.h>

enum { K = 5, BATCH = 200 };

/* A foundation trained a little on MNIST (so its units fire like a real one's) and K modes
 * of it: TauGate, GainOnly, TauOnly, BitFit and Base, with tau, gamma and biases drawn so
 * that every mode differs. */
static TgModel *
make_modes (const TgDataset *train, TgModel **models)
{
  GError *error = NULL;
  guint32 widths[2] = { 64, 48 };
  TgModel *f = tg_model_new (train->dim, 2, widths, train->n_classes, 0, 0, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (11);
  tg_model_init_weights (f, &rng);
  f->method = TG_METHOD_FULL;
  TgTrainConfig tc;
  tg_train_config_init (&tc);
  g_autoptr (TgTrainer) t = tg_trainer_new (f, &tc);
  TgSource src = { .data = train };
  g_assert_true (tg_trainer_run_epoch (t, &src, &rng, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  const TgMethod methods[K] = { TG_METHOD_TAUGATE, TG_METHOD_GAINONLY, TG_METHOD_TAUONLY,
                                TG_METHOD_BITFIT, TG_METHOD_FROZEN };
  for (guint k = 0; k < K; k++)
    {
      TgModel *m = models[k] = tg_model_copy (f);
      m->method = methods[k];
      for (guint32 l = 0; l + 1 < m->n_linear; l++)
        for (guint32 j = 0; j < m->dims[l + 1]; j++)
          {
            m->params[m->tau[l] + j] = 0.4f * (tg_rng_uniform (&rng) - 0.5f);
            m->params[m->gamma[l] + j] = 0.5f + tg_rng_uniform (&rng);
          }
      if (methods[k] == TG_METHOD_BITFIT)
        for (guint32 l = 0; l < m->n_linear; l++)
          for (guint32 j = 0; j < m->dims[l + 1]; j++)
            m->params[m->b[l] + j] += 0.2f * (tg_rng_uniform (&rng) - 0.5f);
    }
  return f;
}

/* Largest |a - b| over the K modes' logits of one pass and of separate forwards on the
 * first n test images, in batches; the predictions must agree exactly. */
static double
compare (const TgModel *f, TgModel *const *models, const TgDataset *test, guint32 n,
         TgGateMode gates)
{
  GError *error = NULL;
  g_autoptr (TgMultiForward) mf = tg_multi_forward_new (f, (const TgModel *const *) models, K,
                                                        BATCH, &error);
  g_assert_no_error (error);
  TgForwardOpts opts[K];
  for (guint k = 0; k < K; k++)
    opts[k] = (TgForwardOpts) { gates, 2.0f + k };
  guint32 C = f->dims[f->n_linear];
  g_autofree float *x = g_new (float, (size_t) BATCH * test->dim);
  double worst = 0.0;
  guint compared = 0, gated_differ = 0;
  for (guint32 pos = 0; pos < n; pos += BATCH)
    {
      guint32 count = MIN (BATCH, n - pos);
      tg_dataset_gather (test, NULL, pos, count, x, NULL);
      tg_multi_forward_run (mf, opts, x, NULL, count);
      for (guint k = 0; k < K; k++)
        {
          g_autoptr (TgWorkspace) ws = tg_workspace_new (models[k], BATCH);
          tg_model_forward (models[k], ws, &opts[k], x, NULL, count);
          const float *a = tg_multi_forward_logits (mf, k), *b = tg_workspace_logits (ws);
          for (guint32 i = 0; i < count; i++)
            {
              g_assert_cmpuint (tg_argmax (a + (size_t) i * C, C), ==,
                                tg_argmax (b + (size_t) i * C, C));
              for (guint32 c = 0; c < C; c++)
                worst = MAX (worst, fabs (a[(size_t) i * C + c] - b[(size_t) i * C + c]));
              compared++;
            }
          /* the modes really differ: mode k's logits are not mode 0's */
          if (k > 0 && memcmp (a, tg_multi_forward_logits (mf, 0), sizeof (float) * count * C))
            gated_differ++;
        }
    }
  g_assert_cmpuint (compared, ==, (guint) K * n);
  g_assert_cmpuint (gated_differ, ==, (K - 1) * ((n + BATCH - 1) / BATCH));
  return worst;
}

static void
test_equals_separate (void)
{
  const char *dir = cli_test_mnist_dir ();
  if (dir == NULL)
    return;
  GError *error = NULL;
  g_autoptr (TgDataset) train_all = tg_dataset_load_dir (dir, "train", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) train = tg_dataset_head (train_all, 5000);
  TgModel *models[K];
  g_autoptr (TgModel) f = make_modes (train, models);

  /* OpenBLAS: a product of K n rows may sum in another order than one of n rows */
  for (int g = 0; g < 2; g++)
    {
      double worst = compare (f, models, test, 1000, g ? TG_GATES_HARD : TG_GATES_SOFT);
      g_test_message ("%s gates, OpenBLAS: largest logit difference %g", g ? "hard" : "soft",
                      worst);
      g_assert_cmpfloat (worst, <=, 1e-5);
    }
  /* the naive reference product sums in one order whatever the rows: bit for bit */
  tg_gemm_set_reference (TRUE);
  double worst = compare (f, models, test, 400, TG_GATES_SOFT);
  tg_gemm_set_reference (FALSE);
  g_assert_cmpfloat (worst, ==, 0.0);
  for (guint k = 0; k < K; k++)
    tg_model_free (models[k]);
}

/* The accuracy matrix runs the modes that share the foundation's weights in one pass and the
 * others alone, and each lands in its own row: every entry is tg_evaluate's. */
static void
test_sweep_rows (void)
{
  const char *dir = cli_test_mnist_dir ();
  if (dir == NULL)
    return;
  GError *error = NULL;
  g_autoptr (TgDataset) train_all = tg_dataset_load_dir (dir, "train", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) test_all = tg_dataset_load_dir (dir, "t10k", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) train = tg_dataset_head (train_all, 3000);
  g_autoptr (TgDataset) test = tg_dataset_head (test_all, 500);
  TgModel *models[K];
  g_autoptr (TgModel) f = make_modes (train, models);
  g_autoptr (TgModes) modes = tg_modes_new (f);
  /* a Full FT mode between the shared ones: its weights are its own */
  g_autoptr (TgModel) full = tg_model_copy (f);
  full->method = TG_METHOD_FULL;
  full->params[full->w[0] + 5] += 0.5f;
  for (guint k = 0; k < K; k++)
    {
      g_autofree char *name = g_strdup_printf ("mode %u", k);
      tg_modes_attach_model (modes, models[k], 2.0f + k, name, 45.0);
      if (k == 1)
        tg_modes_attach_model (modes, full, 5.0f, "Full FT", 45.0);
    }
  const double angles[] = { 0, 45 };
  g_autoptr (TgAngleSweep) sw = tg_modes_sweep (modes, test, angles, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sw->n_modes, ==, K + 2);
  for (guint a = 0; a < 2; a++)
    {
      g_autoptr (TgDataset) rot = tg_dataset_rotated (test, angles[a]);
      for (guint i = 0; i < sw->n_modes; i++)
        {
          TgMode *mode = tg_modes_get (modes, i);
          g_autoptr (TgWorkspace) ws = tg_workspace_new (mode->model, 100);
          TgForwardOpts soft = { TG_GATES_SOFT, mode->sharpness };
          TgEval e;
          tg_evaluate (mode->model, ws, &soft, rot, NULL, 0, &e);
          g_assert_cmpfloat (sw->acc_soft[i * 2 + a], ==, e.acc_soft);
          g_assert_cmpfloat (sw->acc_hard[i * 2 + a], ==, e.acc_hard);
        }
    }
  for (guint k = 0; k < K; k++)
    tg_model_free (models[k]);
}

static void
test_refuses (void)
{
  GError *error = NULL;
  guint32 widths[2] = { 8, 8 };
  g_autoptr (TgModel) f = tg_model_new (16, 2, widths, 3, 2, 2.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (1);
  tg_model_init_weights (f, &rng);
  g_autoptr (TgModel) ok = tg_model_copy (f), lora = tg_model_copy (f);
  g_autoptr (TgModel) full = tg_model_copy (f), moved = tg_model_copy (f);
  ok->method = TG_METHOD_TAUGATE;
  lora->method = TG_METHOD_LORA;
  full->method = TG_METHOD_FULL;
  moved->method = TG_METHOD_TAUGATE;
  moved->params[moved->w[1] + 3] += 1e-3f;  /* a weight matrix not the foundation's */
  g_assert_true (tg_multi_forward_can_share (f, ok));
  const TgModel *bad[] = { lora, full, moved };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const TgModel *list[2] = { ok, bad[i] };
      g_assert_false (tg_multi_forward_can_share (f, bad[i]));
      g_assert_null (tg_multi_forward_new (f, list, 2, 4, &error));
      g_assert_error (error, TG_ERROR, TG_ERROR_MISMATCH);
      g_assert_nonnull (strstr (error->message, "mode 1"));
      g_clear_error (&error);
    }
  g_assert_null (tg_multi_forward_new (f, NULL, 0, 4, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);

  double sep, one;
  g_autoptr (TgModel) mnist = tg_model_new (784, 2, (guint32[]) { 128, 128 }, 10, 0, 0, &error);
  tg_multi_forward_madds (mnist, 4, &sep, &one);
  g_assert_cmpfloat (sep, ==, 4.0 * (784 * 128 + 128 * 128 + 128 * 10));
  g_assert_cmpfloat (one, ==, 784.0 * 128 + 4.0 * (128 * 128 + 128 * 10));
}

/* `taugate bench --modes K` reports both times, their ratio and the multiply-add ceiling
 * (numbers not checked: timing is the benchmark's business); K < 2 is refused. */
static void
test_bench_command (void)
{
  const char *dir = cli_test_mnist_dir ();
  if (dir == NULL)
    return;
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "bench", "--data", dir, "--train-limit", "100", "--test-limit", "300",
                         "--modes", "3", NULL };
  g_assert_cmpint (cli_test_run (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "3 separate forwards"));
  g_assert_nonnull (strstr (out, "measured ratio"));
  g_assert_nonnull (strstr (out, "multiply-adds per image 354048 against 153344: 2.31x"));
  g_assert_nonnull (strstr (out, "predictions identical on 132/132"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  const char *one[] = { "bench", "--data", dir, "--test-limit", "300", "--modes", "1", NULL };
  g_assert_cmpint (cli_test_run (one, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "--modes"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/modes/multi-forward/equals-separate", test_equals_separate);
  g_test_add_func ("/modes/multi-forward/sweep-rows", test_sweep_rows);
  g_test_add_func ("/modes/multi-forward/refuses", test_refuses);
  g_test_add_func ("/modes/multi-forward/bench-command", test_bench_command);
  return g_test_run ();
}
