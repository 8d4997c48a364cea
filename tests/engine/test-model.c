/* SPDX-License-Identifier: MIT */
/* test-model.c — the model against first principles: central-difference gradients for every
 * method (the lambda penalty and LoRA included), sgemm against the naive product, the paper's
 * trainable-parameter counts, and the cached first-layer path against the plain one. */
#include "tg-model.h"
#include "tg-digest.h"

#include <math.h>
#include <string.h>

static TgModel *
small_model (guint32 rank)
{
  guint32 widths[2] = { 7, 6 };
  GError *error = NULL;
  TgModel *m = tg_model_new (9, 2, widths, 4, rank, 4.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (42);
  tg_model_init_weights (m, &rng);
  /* move the adapter away from its identity so that every gradient is non-trivial */
  for (guint32 l = 0; l + 1 < m->n_linear; l++)
    for (guint32 j = 0; j < m->dims[l + 1]; j++)
      {
        m->params[m->tau[l] + j] = 0.3f * (2.0f * tg_rng_uniform (&rng) - 1.0f);
        m->params[m->gamma[l] + j] = 0.7f + 0.6f * tg_rng_uniform (&rng);
      }
  for (guint32 l = 0; l < m->n_linear; l++)
    for (size_t k = 0; k < (size_t) m->dims[l + 1] * rank; k++)
      m->params[m->lora_b[l] + k] = 0.5f * (2.0f * tg_rng_uniform (&rng) - 1.0f);
  return m;
}

/* The soft gate the gradients are checked through; not the default s = 5, so that a backward
 * that used any sharpness but its forward's would fail the check. */
static const TgForwardOpts soft3 = { TG_GATES_SOFT, 3.0f };

static double
loss_at (TgModel *m, TgWorkspace *ws, const float *x, const guint8 *y, guint32 n, float lambda)
{
  TgLossInfo info;
  tg_model_forward (m, ws, &soft3, x, NULL, n);
  tg_model_loss (m, ws, y, n, lambda, &info);
  return info.loss;
}

static void
check_gradients (TgMethod method, float lambda)
{
  g_autoptr (TgModel) m = small_model (3);
  m->method = method;
  const guint32 n = 5;
  float x[5 * 9];
  guint8 y[5];
  uint64_t rng = tg_rng_seed (7);
  for (guint32 i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = tg_rng_uniform (&rng);
  for (guint32 i = 0; i < n; i++)
    y[i] = (guint8) tg_rng_below (&rng, 4);

  /* the reference product in double keeps the finite differences clean */
  tg_gemm_set_reference (TRUE);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, n);
  g_autofree float *grad = g_new0 (float, m->n_params);
  TgLossInfo info;
  tg_model_forward (m, ws, &soft3, x, NULL, n);
  tg_model_loss (m, ws, y, n, lambda, &info);
  tg_model_backward (m, ws, x, n, lambda, grad);

  TgRange ranges[32];
  guint nr = tg_model_trainable_ranges (m, method, ranges, G_N_ELEMENTS (ranges));
  g_autofree gboolean *trainable = g_new0 (gboolean, m->n_params);
  for (guint i = 0; i < nr; i++)
    for (size_t k = 0; k < ranges[i].length; k++)
      trainable[ranges[i].offset + k] = TRUE;

  guint checked = 0, nonzero = 0;
  double worst = 0.0;
  const float eps = 1e-3f; /* small enough not to cross a ReLU kink of this model */
  for (size_t k = 0; k < m->n_params; k++)
    {
      if (!trainable[k])
        {
          /* backward leaves what does not train alone */
          g_assert_cmpfloat (grad[k], ==, 0.0f);
          continue;
        }
      float keep = m->params[k];
      m->params[k] = keep + eps;
      double up = loss_at (m, ws, x, y, n, lambda);
      m->params[k] = keep - eps;
      double down = loss_at (m, ws, x, y, n, lambda);
      m->params[k] = keep;
      double numeric = (up - down) / (2.0 * eps);
      double err = fabs (numeric - grad[k]) / (1e-3 + fabs (numeric) + fabs (grad[k]));
      if (err > worst)
        worst = err;
      if (err > 2e-2)
        g_test_message ("%s param %zu: analytic %.6g numeric %.6g", tg_method_info (method)->id,
                        k, grad[k], numeric);
      checked++;
      nonzero += fabs (grad[k]) > 1e-6;
    }
  tg_gemm_set_reference (FALSE);
  g_test_message ("%s: %u parameters checked, worst relative error %.3g",
                  tg_method_info (method)->id, checked, worst);
  g_assert_cmpuint (checked, ==, tg_model_count_trainable (m, method));
  g_assert_cmpuint (checked, >, 0);
  g_assert_cmpuint (nonzero, >, checked / 3);
  g_assert_cmpfloat (worst, <, 2e-2);
}

static void test_grad_bitfit (void)   { check_gradients (TG_METHOD_BITFIT, 0.0f); }
static void test_grad_taugate (void)  { check_gradients (TG_METHOD_TAUGATE, 0.0f); }
static void test_grad_taugate_lambda (void) { check_gradients (TG_METHOD_TAUGATE, 0.5f); }
static void test_grad_gainonly (void) { check_gradients (TG_METHOD_GAINONLY, 0.2f); }
static void test_grad_tauonly (void)  { check_gradients (TG_METHOD_TAUONLY, 0.2f); }
static void test_grad_lora (void)     { check_gradients (TG_METHOD_LORA, 0.0f); }
static void test_grad_full (void)     { check_gradients (TG_METHOD_FULL, 0.0f); }

static void
test_grad_frozen (void)
{
  g_autoptr (TgModel) m = small_model (3);
  m->method = TG_METHOD_FROZEN;
  g_assert_cmpuint (tg_model_count_trainable (m, TG_METHOD_FROZEN), ==, 0);
  float x[9] = { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f };
  guint8 y = 1;
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 1);
  g_autofree float *grad = g_new0 (float, m->n_params);
  tg_model_forward (m, ws, &soft3, x, NULL, 1);
  tg_model_loss (m, ws, &y, 1, 0.0f, NULL);
  tg_model_backward (m, ws, x, 1, 0.0f, grad);
  for (size_t k = 0; k < m->n_params; k++)
    g_assert_cmpfloat (grad[k], ==, 0.0f);
}

static void
test_paper_counts (void)
{
  guint32 widths[2] = { 128, 128 };
  GError *error = NULL;
  g_autoptr (TgModel) m = tg_model_new (784, 2, widths, 10, 8, 8.0f, &error);
  g_assert_no_error (error);
  static const size_t expected[TG_N_METHODS] = {
    [TG_METHOD_FROZEN] = 0, [TG_METHOD_BITFIT] = 266, [TG_METHOD_TAUGATE] = 512,
    [TG_METHOD_GAINONLY] = 256, [TG_METHOD_TAUONLY] = 256, [TG_METHOD_LORA] = 10448,
    [TG_METHOD_FULL] = 118282,
  };
  for (int k = 0; k < TG_N_METHODS; k++)
    g_assert_cmpuint (tg_model_count_trainable (m, (TgMethod) k), ==, expected[k]);
}

static void
test_bad_sizes (void)
{
  guint32 widths[2] = { 128, 0 };
  GError *error = NULL;
  TgModel *m = tg_model_new (784, 2, widths, 10, 8, 8.0f, &error);
  g_assert_null (m);
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
  m = tg_model_new (784, 20, widths, 10, 8, 8.0f, &error);
  g_assert_null (m);
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_gemm_matches_reference (void)
{
  uint64_t rng = tg_rng_seed (3);
  const int M = 37, N = 29, K = 53;
  g_autofree float *A = g_new (float, M * K), *B = g_new (float, K * N);
  g_autofree float *C1 = g_new (float, M * N), *C2 = g_new (float, M * N);
  for (int i = 0; i < M * K; i++) A[i] = 2.0f * tg_rng_uniform (&rng) - 1.0f;
  for (int i = 0; i < K * N; i++) B[i] = 2.0f * tg_rng_uniform (&rng) - 1.0f;
  guint compared = 0;
  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++)
      for (int beta = 0; beta < 2; beta++)
        {
          int lda = ta ? M : K, ldb = tb ? K : N;
          for (int i = 0; i < M * N; i++)
            C1[i] = C2[i] = (float) i / (M * N);
          tg_gemm (ta, tb, M, N, K, 0.5f, A, lda, B, ldb, (float) beta, C1, N);
          tg_gemm_reference (ta, tb, M, N, K, 0.5f, A, lda, B, ldb, (float) beta, C2, N);
          for (int i = 0; i < M * N; i++, compared++)
            g_assert_cmpfloat_with_epsilon (C1[i], C2[i], 1e-4);
        }
  g_assert_cmpuint (compared, ==, 8 * M * N);
}

static void
test_first_layer_cache (void)
{
  for (int method = 0; method < TG_N_METHODS; method++)
    {
      g_autoptr (TgModel) m = small_model (3);
      m->method = (TgMethod) method;
      const guint32 n = 4;
      float x[4 * 9], z1[4 * 7];
      uint64_t rng = tg_rng_seed (11);
      for (guint32 i = 0; i < G_N_ELEMENTS (x); i++)
        x[i] = tg_rng_uniform (&rng);
      tg_model_first_layer_products (m, x, n, z1);
      g_autoptr (TgWorkspace) a = tg_workspace_new (m, n);
      g_autoptr (TgWorkspace) b = tg_workspace_new (m, n);
      tg_model_forward (m, a, &soft3, x, NULL, n);
      tg_model_forward (m, b, &soft3,
                        (tg_method_info (m->method)->lora || method == TG_METHOD_FULL) ? x : NULL,
                        z1, n);
      const float *la = tg_workspace_logits (a), *lb = tg_workspace_logits (b);
      for (guint32 k = 0; k < n * 4; k++)
        g_assert_cmpfloat_with_epsilon (la[k], lb[k], 1e-5);
    }
}

/* tg_model_same: a model is the same with or without unused LoRA slots in its block, and
 * not the same once a weight, a bias, a τ, a γ, the method or (for LoRA) a factor differs. */
static void
test_same_model (void)
{
  g_autoptr (TgModel) a = small_model (0);
  guint32 widths[2] = { 7, 6 };
  g_autoptr (TgModel) b = tg_model_new (9, 2, widths, 4, 2, 4.0f, NULL);
  a->method = b->method = TG_METHOD_TAUGATE;
  for (guint32 l = 0; l < a->n_linear; l++)
    {
      size_t in = a->dims[l], out = a->dims[l + 1];
      memcpy (b->params + b->w[l], a->params + a->w[l], in * out * sizeof (float));
      memcpy (b->params + b->b[l], a->params + a->b[l], out * sizeof (float));
      if (l + 1 < a->n_linear)
        {
          memcpy (b->params + b->tau[l], a->params + a->tau[l], out * sizeof (float));
          memcpy (b->params + b->gamma[l], a->params + a->gamma[l], out * sizeof (float));
        }
    }
  g_assert_cmpuint (a->n_params, !=, b->n_params);
  g_assert_true (tg_model_same (a, b));
  g_assert_true (tg_model_same (b, a));

  size_t probes[4] = { b->w[1] + 3, b->b[0] + 1, b->tau[1] + 2, b->gamma[0] + 5 };
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      float keep = b->params[probes[i]];
      b->params[probes[i]] += 0.25f;
      g_assert_false (tg_model_same (a, b));
      b->params[probes[i]] = keep;
      g_assert_true (tg_model_same (a, b));
    }
  b->method = TG_METHOD_GAINONLY;
  g_assert_false (tg_model_same (a, b));
  /* LoRA: the factors count, and a model without them is another model */
  a->method = b->method = TG_METHOD_LORA;
  g_assert_false (tg_model_same (a, b));
  g_autoptr (TgModel) c = tg_model_copy (b);
  g_assert_true (tg_model_same (b, c));
  c->params[c->lora_b[0] + 1] += 0.5f;
  g_assert_false (tg_model_same (b, c));
}

/* The gate mode and the sharpness are the forward's arguments: one model, read only, gives
 * 1[z > tau] when asked for hard gates and sigmoid(s (z - tau)) for each s asked for. */
static void
test_gate_mode_argument (void)
{
  g_autoptr (TgModel) m = small_model (0);
  m->method = TG_METHOD_TAUGATE;
  g_autofree float *params = g_memdup2 (m->params, m->n_params * sizeof (float));
  float x[9] = { 0.9f, 0.1f, 0.5f, 0.3f, 0.7f, 0.2f, 0.8f, 0.4f, 0.6f };
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 1);
  const TgForwardOpts modes[3] = {
    { TG_GATES_HARD, 5.0f }, { TG_GATES_SOFT, 2.0f }, { TG_GATES_SOFT, 20.0f },
  };
  guint checked = 0, strictly_between = 0;
  for (guint k = 0; k < G_N_ELEMENTS (modes); k++)
    {
      tg_model_forward (m, ws, &modes[k], x, NULL, 1);
      for (guint32 l = 0; l < 2; l++)
        {
          const float *g = tg_workspace_gates (ws, l), *z = tg_workspace_preact (ws, l);
          guint32 on = 0;
          for (guint32 j = 0; j < m->dims[l + 1]; j++, checked++)
            {
              float tau = m->params[m->tau[l] + j];
              if (modes[k].gates == TG_GATES_HARD)
                g_assert_cmpfloat (g[j], ==, z[j] > tau ? 1.0f : 0.0f);
              else
                g_assert_cmpfloat_with_epsilon (g[j], 1.0 / (1.0 + exp (-modes[k].sharpness *
                                                                        (z[j] - tau))), 1e-6);
              strictly_between += g[j] > 0.0f && g[j] < 1.0f;
              on += g[j] > 0.5f;
            }
          g_test_message ("mode %u layer %u: %u units on", k, l, on);
        }
    }
  g_assert_cmpuint (checked, ==, 3 * (7 + 6));
  g_assert_cmpuint (strictly_between, >, 0);  /* the soft forwards really were soft */
  g_assert_cmpmem (m->params, m->n_params * sizeof (float), params,
                   m->n_params * sizeof (float));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/model/gradcheck/frozen", test_grad_frozen);
  g_test_add_func ("/engine/model/gradcheck/bitfit", test_grad_bitfit);
  g_test_add_func ("/engine/model/gradcheck/taugate", test_grad_taugate);
  g_test_add_func ("/engine/model/gradcheck/taugate-lambda", test_grad_taugate_lambda);
  g_test_add_func ("/engine/model/gradcheck/gainonly", test_grad_gainonly);
  g_test_add_func ("/engine/model/gradcheck/tauonly", test_grad_tauonly);
  g_test_add_func ("/engine/model/gradcheck/lora", test_grad_lora);
  g_test_add_func ("/engine/model/gradcheck/full", test_grad_full);
  g_test_add_func ("/engine/model/paper-counts", test_paper_counts);
  g_test_add_func ("/engine/model/bad-sizes", test_bad_sizes);
  g_test_add_func ("/engine/model/gemm-matches-reference", test_gemm_matches_reference);
  g_test_add_func ("/engine/model/first-layer-cache", test_first_layer_cache);
  g_test_add_func ("/engine/model/gate-mode-argument", test_gate_mode_argument);
  g_test_add_func ("/engine/model/same", test_same_model);
  return g_test_run ();
}
