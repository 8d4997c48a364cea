/* SPDX-License-Identifier: MIT */
/* test-sweep.c — the lambda / s sweep on a subset of real MNIST: a larger lambda leaves fewer
 * units on and fewer multiply-adds; the (lambda, s) point of the protocol's settings is the
 * protocol's own TauGate result; the CSV has a row per point. */
#include "tg-sweep.h"

#include <math.h>
#include <string.h>

static TgModeData *
load_subset (void)
{
  const char *dir = g_getenv ("TG_MNIST_DIR");
  if (dir == NULL)
    {
      g_test_skip ("TG_MNIST_DIR is not set");
      return NULL;
    }
  GError *error = NULL;
  g_autoptr (TgDataset) train = tg_dataset_load_dir (dir, "train", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, &error);
  g_assert_no_error (error);
  return tg_mode_data_new (train, test, 45.0, 6000, 1000, &error);
}

static void
small_protocol (TgExperimentConfig *cfg)
{
  tg_experiment_config_init_paper (cfg);
  cfg->seeds = 1;
  cfg->foundation_epochs = 1;
  cfg->threads = 2;
}

static void
test_lambda_fewer_units (void)
{
  g_autoptr (TgModeData) data = load_subset ();
  if (data == NULL)
    return;
  static const double lambdas[] = { 0.0, 1.0, 5.0 }, sharpness[] = { 5.0 };
  TgSweepConfig sc = { .lambdas = lambdas, .n_lambdas = G_N_ELEMENTS (lambdas),
                       .sharpness = sharpness, .n_sharpness = 1, .timing_images = 0 };
  small_protocol (&sc.protocol);
  sc.protocol.adapt_epochs = 2;
  GError *error = NULL;
  g_autoptr (TgSweepResults) res = tg_sweep_run (&sc, data, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (res->points->len, ==, 3);

  double prev_on = 2.0, prev_gate = 2.0, prev_madds = G_MAXDOUBLE;
  for (guint k = 0; k < res->points->len; k++)
    {
      const TgSweepPoint *p = &g_array_index (res->points, TgSweepPoint, k);
      double on = (p->on_frac[0] + p->on_frac[1]) / 2;
      g_test_message ("lambda %g: units on %.3f, mean gate %.3f, %.0f multiply-adds, "
                      "accuracy %.3f", p->lambda, on, p->mean_gate, p->madds_sparse,
                      p->acc_rot_hard);
      g_assert_cmpfloat (p->lambda, ==, lambdas[k]);
      g_assert_cmpfloat (on, <, prev_on - 0.02);
      g_assert_cmpfloat (p->mean_gate, <, prev_gate);
      g_assert_cmpfloat (p->madds_sparse, <, prev_madds);
      g_assert_cmpuint (p->identical + p->ties, ==, p->n_test);
      g_assert_cmpuint (p->n_test, ==, 1000);
      g_assert_true (isnan (p->speedup));   /* not timed */
      prev_on = on;
      prev_gate = p->mean_gate;
      prev_madds = p->madds_sparse;
    }

  g_autofree char *csv = tg_sweep_csv (res);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 + 1);  /* header, rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "lambda,sharpness,seed_index"));
  g_autofree char *tex = tg_sweep_latex (res);
  g_assert_nonnull (strstr (tex, "\\begin{tabular}"));
}

/* The sweep's foundation and TauGate are the protocol's: same settings, same numbers. */
static void
test_matches_protocol (void)
{
  g_autoptr (TgModeData) data = load_subset ();
  if (data == NULL)
    return;
  TgExperimentConfig cfg;
  small_protocol (&cfg);
  cfg.methods = 1u << TG_METHOD_TAUGATE;
  cfg.overlap = FALSE;
  GError *error = NULL;
  g_autoptr (TgExperimentResults) ref = tg_experiment_run (&cfg, data, NULL, NULL, NULL, NULL,
                                                           NULL, &error);
  g_assert_no_error (error);
  const TgRunResult *r = &g_array_index (ref->runs, TgRunResult, 0);
  g_assert_cmpint (r->method, ==, TG_METHOD_TAUGATE);

  const double lambdas[] = { cfg.lambda }, sharpness[] = { cfg.sharpness };
  TgSweepConfig sc = { .protocol = cfg, .lambdas = lambdas, .n_lambdas = 1,
                       .sharpness = sharpness, .n_sharpness = 1 };
  g_autoptr (TgSweepResults) res = tg_sweep_run (&sc, data, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const TgSweepPoint *p = &g_array_index (res->points, TgSweepPoint, 0);
  g_assert_cmpfloat (p->acc0_soft, ==, r->acc0);
  g_assert_cmpfloat (p->acc_rot_soft, ==, r->acc_rot);
  g_assert_cmpfloat (p->acc0_hard, ==, r->acc0_hard);
  g_assert_cmpfloat (p->acc_rot_hard, ==, r->acc_rot_hard);
}

static void
test_bad_lists (void)
{
  static const double lambdas[] = { -1.0 }, sharpness[] = { 5.0 };
  TgSweepConfig sc = { .lambdas = lambdas, .n_lambdas = 1, .sharpness = sharpness,
                       .n_sharpness = 1 };
  small_protocol (&sc.protocol);
  GError *error = NULL;
  TgModeData data = { 0 };
  g_assert_null (tg_sweep_run (&sc, &data, NULL, NULL, NULL, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/sweep/lambda-fewer-units", test_lambda_fewer_units);
  g_test_add_func ("/engine/sweep/matches-protocol", test_matches_protocol);
  g_test_add_func ("/engine/sweep/bad-lists", test_bad_lists);
  return g_test_run ();
}
