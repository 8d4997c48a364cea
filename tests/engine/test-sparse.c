/* SPDX-License-Identifier: MIT */
/* test-sparse.c — the sparse batch-1 forward against the dense hard-gate forward: the same
 * prediction on every image of the real MNIST test sets (0° and rotated), logits within
 * float tolerance, for TauGate and for an ungated method (LoRA, folded into the weights);
 * and the multiply-adds it counts against a count made from the dense forward's own gates.
 * Every kernel variant this CPU can run (plain C, AVX2 + FMA) is held to the same, and the
 * variants the CPU has the instructions for must be there in the default build. */
#include "tg-sparse.h"
#include "tg-experiment.h"
#include "tg-metrics.h"
#include "tg-train.h"

#include <math.h>
#include <string.h>

static guint32
argmax (const float *v, guint32 n)
{
  guint32 a = 0;
  for (guint32 i = 1; i < n; i++)
    if (v[i] > v[a])
      a = i;
  return a;
}

/* How many kernel variants run on this CPU (the plain-C one always does). */
static guint
n_kernels_here (void)
{
  guint n = 0;
  for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
    n += tg_sparse_kernel_runs_here ((TgSparseKernel) k);
  return n;
}

/* --- which kernels there are ------------------------------------------------------------ */

/* Whether this CPU has the instructions of kernel, asked here without the engine's help. */
static gboolean
cpu_has (TgSparseKernel kernel)
{
  switch (kernel)
    {
    case TG_SPARSE_KERNEL_C:
      return TRUE;
    case TG_SPARSE_KERNEL_AVX2_FMA:
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
      __builtin_cpu_init ();
      return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
#else
      return FALSE;
#endif
    case TG_SPARSE_N_KERNELS:
    default:
      g_assert_not_reached ();
    }
}

/* Every variant whose instructions this CPU has is in the binary and runs, whatever the
 * build's baseline; a net starts on the last (fastest) of them and refuses the others. */
static void
test_kernels_here (void)
{
  g_autoptr (TgModel) m = NULL;
  guint32 widths[1] = { 8 };
  GError *error = NULL;
  m = tg_model_new (4, 1, widths, 2, 0, 0.0f, &error);
  g_assert_no_error (error);
  g_autoptr (TgSparseNet) net = tg_sparse_net_new (m);
  TgSparseKernel fastest = TG_SPARSE_KERNEL_C;

  for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
    {
      TgSparseKernel kernel = (TgSparseKernel) k;
      g_test_message ("kernel %s: compiled %d, this CPU has its instructions %d", 
                      tg_sparse_kernel_name (kernel), tg_sparse_kernel_compiled (kernel),
                      cpu_has (kernel));
      g_assert_cmpint (tg_sparse_kernel_runs_here (kernel), ==, cpu_has (kernel));
      if (cpu_has (kernel))
        fastest = kernel;
    }
  g_assert_cmpint (tg_sparse_kernel_best (), ==, fastest);
  g_assert_cmpint (tg_sparse_net_get_kernel (net), ==, fastest);

  for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
    {
      gboolean ok = tg_sparse_net_set_kernel (net, (TgSparseKernel) k);
      g_assert_cmpint (ok, ==, cpu_has ((TgSparseKernel) k));
      if (ok)
        g_assert_cmpint (tg_sparse_net_get_kernel (net), ==, k);
    }
  tg_sparse_net_set_kernel (net, TG_SPARSE_KERNEL_C);
  g_assert_false (tg_sparse_net_set_kernel (net, TG_SPARSE_N_KERNELS));
  g_assert_cmpint (tg_sparse_net_get_kernel (net), ==, TG_SPARSE_KERNEL_C);
}

/* Widths that are no multiple of a vector, of a block of 64, of the padding: 200 inputs,
 * 150 and 67 units, 10 classes; a third of the inputs zero, the gates silencing some units.
 * Every kernel here gives the reference's logits and counts. */
static void
test_kernels_odd_widths (void)
{
  guint32 widths[2] = { 150, 67 };
  GError *error = NULL;
  g_autoptr (TgModel) m = tg_model_new (200, 2, widths, 10, 0, 0.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (11);
  tg_model_init_weights (m, &rng);
  for (guint32 l = 0; l < 2; l++)
    for (guint32 j = 0; j < m->dims[l + 1]; j++)
      {
        m->params[m->tau[l] + j] = 0.1f * (2.0f * tg_rng_uniform (&rng) - 1.0f);
        m->params[m->gamma[l] + j] = 0.5f + tg_rng_uniform (&rng);
      }
  m->method = TG_METHOD_TAUGATE;
  g_autoptr (TgSparseNet) net = tg_sparse_net_new (m);
  guint checked = 0;
  guint32 units_seen[2] = { 0, 0 };

  for (guint rep = 0; rep < 50; rep++)
    {
      float x[200], ref[10];
      for (guint i = 0; i < 200; i++)
        x[i] = tg_rng_uniform (&rng) < 0.33f ? 0.0f : tg_rng_uniform (&rng);
      TgSparseCount slow;
      tg_sparse_forward_reference (m, x, ref, &slow);
      units_seen[0] += slow.units_on[0];
      units_seen[1] += slow.units_on[1];
      for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
        {
          if (!tg_sparse_net_set_kernel (net, (TgSparseKernel) k))
            continue;
          float logits[10];
          TgSparseCount fast;
          tg_sparse_net_forward (net, x, logits, &fast);
          g_assert_cmpuint (fast.madds, ==, slow.madds);
          g_assert_cmpuint (fast.inputs_on, ==, slow.inputs_on);
          g_assert_cmpmem (fast.units_on, sizeof fast.units_on, slow.units_on,
                           sizeof slow.units_on);
          for (guint c = 0; c < 10; c++)
            g_assert_cmpfloat (fabsf (logits[c] - ref[c]), <, 1e-5f * (1.0f + fabsf (ref[c])));
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 50 * n_kernels_here ());
  /* the gates silenced some units and let others through */
  g_assert_cmpuint (units_seen[0], >, 0);
  g_assert_cmpuint (units_seen[0], <, 50 * 150);
  g_assert_cmpuint (units_seen[1], >, 0);
  g_assert_cmpuint (units_seen[1], <, 50 * 67);
}

/* --- multiply-adds, on a small model where every count can be made by hand -------------- */

static TgModel *
small_gated_model (void)
{
  guint32 widths[2] = { 7, 6 };
  GError *error = NULL;
  TgModel *m = tg_model_new (9, 2, widths, 4, 0, 0.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (5);
  tg_model_init_weights (m, &rng);
  for (guint32 l = 0; l < 2; l++)
    for (guint32 j = 0; j < m->dims[l + 1]; j++)
      m->params[m->tau[l] + j] = 0.2f * (2.0f * tg_rng_uniform (&rng) - 1.0f);
  m->method = TG_METHOD_TAUGATE;
  return m;
}

static void
test_madd_count (void)
{
  g_autoptr (TgModel) m = small_gated_model ();
  g_autoptr (TgSparseNet) net = tg_sparse_net_new (m);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 1);
  const TgForwardOpts hard = { TG_GATES_HARD, 5.0f };
  g_assert_cmpuint (tg_sparse_net_dense_madds (net), ==, 9 * 7 + 7 * 6 + 6 * 4);

  uint64_t rng = tg_rng_seed (9);
  guint checked = 0, some_off = 0;
  for (guint zeros = 0; zeros <= 9; zeros++)
    for (guint rep = 0; rep < 20; rep++)
      {
        float x[9];
        uint32_t order[9] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
        tg_rng_shuffle (&rng, order, 9);   /* the zeros anywhere */
        for (guint i = 0; i < 9; i++)
          x[order[i]] = i < zeros ? 0.0f : 0.05f + tg_rng_uniform (&rng);

        /* by hand, from the dense forward: a unit counts when its output is not zero */
        tg_model_forward (m, ws, &hard, x, NULL, 1);
        guint64 expected = (guint64) (9 - zeros) * 7;
        guint32 on[2] = { 0, 0 };
        for (guint32 l = 0; l < 2; l++)
          {
            const float *g = tg_workspace_gates (ws, l), *z = tg_workspace_preact (ws, l);
            for (guint32 j = 0; j < m->dims[l + 1]; j++)
              on[l] += g[j] == 1.0f && z[j] > 0.0f;
          }
        expected += (guint64) on[0] * 6 + (guint64) on[1] * 4;
        some_off += on[0] < 7 || on[1] < 6;

        float ref_logits[4];
        TgSparseCount ref;
        tg_sparse_forward_reference (m, x, ref_logits, &ref);
        g_assert_cmpuint (ref.madds, ==, expected);
        for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
          {
            if (!tg_sparse_net_set_kernel (net, (TgSparseKernel) k))
              continue;
            float logits[4];
            TgSparseCount fast;
            tg_sparse_net_forward (net, x, logits, &fast);
            g_assert_cmpuint (fast.inputs_on, ==, 9 - zeros);
            g_assert_cmpuint (fast.units_on[0], ==, on[0]);
            g_assert_cmpuint (fast.units_on[1], ==, on[1]);
            g_assert_cmpuint (fast.madds, ==, expected);
            g_assert_cmpmem (&ref.units_on, sizeof ref.units_on, &fast.units_on,
                             sizeof fast.units_on);
            for (guint c = 0; c < 4; c++)
              g_assert_cmpfloat (fabsf (logits[c] - ref_logits[c]), <, 1e-5f);
            checked++;
          }
      }
  g_assert_cmpuint (checked, ==, 200 * n_kernels_here ());
  g_assert_cmpuint (some_off, >, 0);   /* the gates did silence units */
}

/* --- sparse = dense on real MNIST ------------------------------------------------------- */

static const char *
mnist_dir (void)
{
  const char *dir = g_getenv ("TG_MNIST_DIR");
  if (dir == NULL)
    g_test_skip ("TG_MNIST_DIR is not set");
  return dir;
}

static TgModeData *
load_mnist (const char *dir, guint32 train_limit)
{
  GError *error = NULL;
  g_autoptr (TgDataset) train = tg_dataset_load_dir (dir, "train", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, &error);
  g_assert_no_error (error);
  return tg_mode_data_new (train, test, 45.0, train_limit, 0, &error);
}

/* One epoch of the method over src from model's current weights. */
static void
train_one_epoch (TgModel *m, TgMethod method, const TgSource *src, float lambda, uint64_t *rng)
{
  TgTrainConfig tc;
  tg_train_config_init (&tc);
  tc.lambda = lambda;
  m->method = method;
  g_autoptr (TgTrainer) t = tg_trainer_new (m, &tc);
  GError *error = NULL;
  tg_trainer_run_epoch (t, src, rng, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Every image of ds through the dense hard-gate forward (batches of 256), the sparse one with
 * each kernel this CPU runs, the sgemv one and the naive reference: the same argmax
 * everywhere, logits close, the same multiply-adds counted. */
static void
compare_on (const TgModel *m, const TgDataset *ds, const char *what)
{
  const guint32 batch = 256, C = m->dims[m->n_linear], d = ds->dim;
  const TgForwardOpts hard = { TG_GATES_HARD, 5.0f };
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, batch);
  g_autoptr (TgSparseNet) net = tg_sparse_net_new (m);
  g_autofree float *x = g_new (float, (size_t) batch * d);
  guint32 same = 0, compared = 0, kernel_same[TG_SPARSE_N_KERNELS] = { 0 };
  guint64 madds[TG_SPARSE_N_KERNELS] = { 0 }, ref_madds = 0;
  double worst = 0.0;

  for (guint32 pos = 0; pos < ds->n; pos += batch)
    {
      guint32 count = MIN (batch, ds->n - pos);
      tg_dataset_gather (ds, NULL, pos, count, x, NULL);
      tg_model_forward (m, ws, &hard, x, NULL, count);
      const float *dense = tg_workspace_logits (ws);
      for (guint32 i = 0; i < count; i++)
        {
          const float *xi = x + (size_t) i * d, *di = dense + (size_t) i * C;
          float gemv[16], ref[16];
          TgSparseCount slow;
          tg_sparse_net_forward_dense (net, xi, gemv);
          tg_sparse_forward_reference (m, xi, ref, &slow);
          guint32 a = argmax (di, C);
          same += a == argmax (gemv, C) && a == argmax (ref, C);
          for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
            {
              float sparse[16];
              TgSparseCount fast;
              if (!tg_sparse_net_set_kernel (net, (TgSparseKernel) k))
                continue;
              tg_sparse_net_forward (net, xi, sparse, &fast);
              kernel_same[k] += a == argmax (sparse, C);
              madds[k] += fast.madds;
              for (guint32 c = 0; c < C; c++)
                worst = MAX (worst, fabs (sparse[c] - di[c]) / (1.0 + fabs (di[c])));
            }
          for (guint32 c = 0; c < C; c++)
            {
              double scale = 1.0 + fabs (di[c]);
              worst = MAX (worst, fabs (gemv[c] - di[c]) / scale);
              worst = MAX (worst, fabs (ref[c] - di[c]) / scale);
            }
          ref_madds += slow.madds;
          compared++;
        }
    }
  g_assert_cmpuint (compared, ==, ds->n);
  g_assert_cmpuint (same, ==, compared);
  guint kernels = 0;
  for (int k = 0; k < TG_SPARSE_N_KERNELS; k++)
    {
      if (!tg_sparse_kernel_runs_here ((TgSparseKernel) k))
        continue;
      g_test_message ("%s, kernel %s: predictions identical on %u/%u, %.0f of %"
                      G_GUINT64_FORMAT " multiply-adds per image", what,
                      tg_sparse_kernel_name ((TgSparseKernel) k), kernel_same[k], compared,
                      (double) madds[k] / compared, tg_sparse_net_dense_madds (net));
      g_assert_cmpuint (kernel_same[k], ==, compared);
      g_assert_cmpuint (madds[k], ==, ref_madds);
      kernels++;
    }
  g_assert_cmpuint (kernels, ==, n_kernels_here ());
  g_assert_cmpuint (kernels, >=, 1);
  g_test_message ("%s: worst logit difference %.3g", what, worst);
  g_assert_cmpfloat (worst, <, 1e-5);  /* ignoring tau alone moves them by 5e-5 */
  /* on MNIST most pixels are zero: far fewer multiply-adds than the dense forward */
  g_assert_cmpuint (ref_madds, <, compared * tg_sparse_net_dense_madds (net) / 2);
}

static void
test_matches_dense_mnist (void)
{
  const char *dir = mnist_dir ();
  if (dir == NULL)
    return;
  g_autoptr (TgModeData) data = load_mnist (dir, 10000);
  guint32 widths[2] = { 128, 128 };
  GError *error = NULL;
  g_autoptr (TgModel) foundation = tg_model_new (784, 2, widths, 10, 8, 8.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (1);
  tg_model_init_weights (foundation, &rng);
  TgSource mix = { .data = data->train0, .alt = data->train_rot };
  train_one_epoch (foundation, TG_METHOD_FULL, &mix, 0.0f, &rng);

  TgSource rot = { .data = data->train_rot };
  const struct { TgMethod method; float lambda; } cases[] = {
    { TG_METHOD_TAUGATE, 0.0f }, { TG_METHOD_TAUGATE, 1e-2f }, { TG_METHOD_LORA, 0.0f },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr (TgModel) m = tg_model_copy (foundation);
      tg_model_reset_adapter (m, &rng);
      train_one_epoch (m, cases[k].method, &rot, cases[k].lambda, &rng);
      g_autofree char *what = g_strdup_printf ("%s lambda %g", tg_method_info (m->method)->id,
                                               cases[k].lambda);
      g_autofree char *what0 = g_strdup_printf ("%s, 0°", what);
      g_autofree char *what45 = g_strdup_printf ("%s, 45°", what);
      compare_on (m, data->test0, what0);
      compare_on (m, data->test_rot, what45);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/sparse/kernels-here", test_kernels_here);
  g_test_add_func ("/engine/sparse/kernels-odd-widths", test_kernels_odd_widths);
  g_test_add_func ("/engine/sparse/madd-count", test_madd_count);
  g_test_add_func ("/engine/sparse/matches-dense-mnist", test_matches_dense_mnist);
  return g_test_run ();
}
