/* SPDX-License-Identifier: MIT */
/* test-unit.c — one unit interrogated and units ablated, on small hand-built models whose
 * answers are known exactly, and on the real MNIST: silencing the units that fire most for
 * one digit costs that digit more accuracy than the others. */
#include "tg-unit.h"
#include "tg-train.h"
#include "tg-metrics.h"
#include "tg-probe.h"

#include <math.h>
#include <string.h>

/* The gates every measurement below runs with: s = 5, as the models are trained here. */
static const TgForwardOpts SOFT = { TG_GATES_SOFT, 5.0f };
static const TgForwardOpts HARD = { TG_GATES_HARD, 5.0f };

/* 2 x 2 images, 4 classes. Hidden 1 is the identity on the pixels (z_j = x_j), gated with
 * tau = 0.5, gamma = 1; the output is the identity plus a bias of 0.1 on classes 1..3.
 * An example of class c has pixel c in [128, 255] and the others below 128: in hard mode
 * only unit c fires, and the model is always right. */
static TgModel *
identity_model (void)
{
  GError *error = NULL;
  TgModel *m = tg_model_new (4, 1, (guint32[]) { 4 }, 4, 0, 0.0f, &error);
  g_assert_no_error (error);
  memset (m->params, 0, m->n_params * sizeof (float));
  for (guint32 j = 0; j < 4; j++)
    {
      m->params[m->w[0] + j * 4 + j] = 1.0f;
      m->params[m->w[1] + j * 4 + j] = 1.0f;
      m->params[m->tau[0] + j] = 0.5f;
      m->params[m->gamma[0] + j] = 1.0f;
      m->params[m->b[1] + j] = j == 0 ? 0.0f : 0.1f;
    }
  m->method = TG_METHOD_TAUGATE;
  return m;
}

static TgDataset *
identity_data (guint32 n)
{
  GError *error = NULL;
  TgDataset *ds = tg_dataset_new (n, 2, 2, 4, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (3);
  for (guint32 i = 0; i < n; i++)
    {
      guint8 c = (guint8) (i % 4);
      ds->labels[i] = c;
      for (guint32 p = 0; p < 4; p++)
        ds->pixels[i * 4 + p] = (guint8) (p == c ? 128 + tg_rng_below (&rng, 128)
                                                 : tg_rng_below (&rng, 128));
    }
  return ds;
}

static void
test_parse (void)
{
  g_autoptr (TgModel) m = identity_model ();
  TgUnitId u;
  GError *error = NULL;
  g_assert_true (tg_unit_parse ("7:300", NULL, &u, &error)); /* syntax only */
  g_assert_cmpuint (u.layer, ==, 6);
  g_assert_false (tg_unit_parse ("7;300", NULL, &u, &error));
  g_clear_error (&error);
  g_assert_true (tg_unit_parse ("1:3", m, &u, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (u.layer, ==, 0);
  g_assert_cmpuint (u.index, ==, 3);
  const char *bad[] = { "1:4", "2:0", "0:1", "1", "a:b", "1:", ":2", "1:2x", "-1:2", "" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (tg_unit_parse (bad[i], m, &u, &error));
      g_assert_nonnull (error);
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", bad[i]);
      g_assert_nonnull (strstr (error->message, quoted));
      g_clear_error (&error);
    }
}

/* Hidden 1: the weights; with LoRA, plus (alpha / r) B A. Hidden 2: the strongest inputs
 * (by |w gamma|), and the sum of their fields weighted by w gamma. */
static void
test_receptive_field (void)
{
  GError *error = NULL;
  g_autoptr (TgModel) m = tg_model_new (4, 2, (guint32[]) { 8, 3 }, 2, 2, 4.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (7);
  tg_model_init_weights (m, &rng);
  m->method = TG_METHOD_TAUGATE;
  for (guint32 i = 0; i < 8; i++)
    m->params[m->gamma[0] + i] = 1.0f + 0.25f * i;
  float field[4];
  tg_unit_receptive_field (m, (TgUnitId) { 0, 5 }, field, NULL, NULL);
  for (guint32 p = 0; p < 4; p++)
    g_assert_cmpfloat (field[p], ==, m->params[m->w[0] + 5 * 4 + p]);

  guint32 inputs[TG_UNIT_N_FIELD_IN];
  float weights[TG_UNIT_N_FIELD_IN];
  guint k = tg_unit_receptive_field (m, (TgUnitId) { 1, 2 }, field, inputs, weights);
  g_assert_cmpuint (k, ==, TG_UNIT_N_FIELD_IN);
  const float *w = m->params + m->w[1] + 2 * 8;
  gboolean chosen[8] = { FALSE };
  double expect[4] = { 0 };
  for (guint i = 0; i < k; i++)
    {
      float wg = w[inputs[i]] * m->params[m->gamma[0] + inputs[i]];
      g_assert_cmpfloat (weights[i], ==, wg);
      if (i > 0)
        g_assert_cmpfloat (fabsf (weights[i]), <=, fabsf (weights[i - 1]));
      chosen[inputs[i]] = TRUE;
      for (guint32 p = 0; p < 4; p++)
        expect[p] += wg * m->params[m->w[0] + inputs[i] * 4 + p];
    }
  for (guint32 j = 0; j < 8; j++) /* every input left out is weaker than every one chosen */
    if (!chosen[j])
      g_assert_cmpfloat (fabsf (w[j] * m->params[m->gamma[0] + j]), <=, fabsf (weights[k - 1]));
  for (guint32 p = 0; p < 4; p++)
    g_assert_cmpfloat_with_epsilon (field[p], expect[p], 1e-5);

  m->method = TG_METHOD_LORA;
  for (guint32 i = 0; i < 2 * 4; i++)
    m->params[m->lora_a[0] + i] = 0.1f * (i + 1);
  for (guint32 i = 0; i < 8 * 2; i++)
    m->params[m->lora_b[0] + i] = 0.01f * (i + 1);
  tg_unit_receptive_field (m, (TgUnitId) { 0, 5 }, field, NULL, NULL);
  for (guint32 p = 0; p < 4; p++)
    {
      float delta = 0.0f;
      for (guint32 r = 0; r < 2; r++)
        delta += m->params[m->lora_b[0] + 5 * 2 + r] * m->params[m->lora_a[0] + r * 4 + p];
      g_assert_cmpfloat_with_epsilon (field[p], m->params[m->w[0] + 5 * 4 + p] + 2.0f * delta,
                                      1e-6);
    }
}

/* Firing, margins, histogram, top and near-miss examples and the logit effect, each
 * against its value computed directly from the pixels. */
static void
test_report (void)
{
  g_autoptr (TgModel) m = identity_model ();
  g_autoptr (TgDataset) ds = identity_data (200);
  GError *error = NULL;
  TgUnitId u = { 0, 0 };
  g_autoptr (TgUnitReport) r = tg_unit_report_new (m, ds, u, &HARD, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (r->tau, ==, 0.5f);
  g_assert_cmpfloat (r->rate_hard[0], ==, 1.0);
  for (guint c = 1; c < 4; c++)
    g_assert_cmpfloat (r->rate_hard[c], ==, 0.0);
  g_assert_cmpfloat (r->rate_soft[0], >, 0.5);
  g_assert_cmpfloat (r->rate_soft[1], <, 0.5);

  double mean_h = 0.0;
  guint64 total = 0;
  for (guint32 i = 0; i < ds->n; i++)
    {
      float x = ds->pixels[i * 4] / 255.0f;
      g_assert_cmpfloat (r->margin[i], ==, x - 0.5f);
      mean_h += x > 0.5f ? x : 0.0f;
    }
  for (guint32 b = 0; b < r->n_bins; b++)
    {
      total += r->counts[b];
      g_assert_cmpfloat (r->edges[b], <, r->edges[b + 1]);
    }
  g_assert_cmpuint (total, ==, ds->n);
  for (guint32 i = 0; i < ds->n; i++)
    {
      g_assert_cmpfloat (r->margin[i], >=, r->edges[0]);
      g_assert_cmpfloat (r->margin[i], <=, r->edges[r->n_bins]);
    }

  g_assert_cmpuint (r->n_top, ==, 9);
  g_assert_cmpuint (r->n_near, ==, 9);
  gboolean in_top[200] = { FALSE }, in_near[200] = { FALSE };
  for (guint i = 0; i < 9; i++)
    {
      in_top[r->top[i]] = in_near[r->near[i]] = TRUE;
      g_assert_cmpfloat (r->margin[r->near[i]], <=, 0.0f);
      if (i > 0)
        {
          g_assert_cmpfloat (r->margin[r->top[i]], <=, r->margin[r->top[i - 1]]);
          g_assert_cmpfloat (r->margin[r->near[i]], <=, r->margin[r->near[i - 1]]);
        }
    }
  for (guint32 i = 0; i < ds->n; i++)
    {
      if (!in_top[i])
        g_assert_cmpfloat (r->margin[i], <=, r->margin[r->top[8]]);
      if (!in_near[i] && r->margin[i] <= 0.0f)
        g_assert_cmpfloat (r->margin[i], <=, r->margin[r->near[8]]);
    }

  /* silencing unit 0 removes h_0 from logit 0 only */
  g_assert_cmpfloat_with_epsilon (r->logit_effect[0], -mean_h / ds->n, 1e-6);
  for (guint c = 1; c < 4; c++)
    g_assert_cmpfloat (r->logit_effect[c], ==, 0.0);

  g_assert_null (tg_unit_report_new (m, ds, (TgUnitId) { 0, 4 }, &HARD, 10, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_RANGE);
  g_clear_error (&error);
}

/* Silencing unit 0 sends every class-0 example to class 1 (bias 0.1 beats 0); forcing unit
 * 1 on makes it fire for everything. */
static void
test_ablation (void)
{
  g_autoptr (TgModel) m = identity_model ();
  g_autoptr (TgDataset) ds = identity_data (200);
  GError *error = NULL;
  TgClassEval base = { 0 }, edited = { 0 };
  TgUnitEdit silence = { { 0, 0 }, TG_UNIT_SILENCE };
  g_assert_true (tg_unit_ablation (m, ds, &silence, 1, &HARD, &base, &edited, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (base.acc, ==, 1.0);
  g_assert_cmpfloat (edited.acc, ==, 0.75);
  g_assert_cmpfloat (edited.acc_class[0], ==, 0.0);
  for (guint c = 1; c < 4; c++)
    g_assert_cmpfloat (edited.acc_class[c], ==, 1.0);
  g_assert_cmpuint (edited.confusion[0 * 4 + 1], ==, 50);
  g_assert_cmpuint (base.confusion[0 * 4 + 0], ==, 50);
  tg_class_eval_clear (&base);
  tg_class_eval_clear (&edited);

  TgUnitEdit force = { { 0, 1 }, TG_UNIT_FORCE_ON };
  g_autoptr (TgModel) f = tg_unit_edited_model (m, &force, 1, &error);
  g_assert_no_error (error);
  double soft[4], hard[4];
  tg_unit_firing (f, ds, (TgUnitId) { 0, 1 }, 5.0f, soft, hard);
  for (guint c = 0; c < 4; c++)
    {
      g_assert_cmpfloat (hard[c], ==, 1.0);
      g_assert_cmpfloat (soft[c], ==, 1.0);
    }
  /* the original is untouched */
  tg_unit_firing (m, ds, (TgUnitId) { 0, 1 }, 5.0f, soft, hard);
  g_assert_cmpfloat (hard[0], ==, 0.0);

  TgUnitEdit bad = { { 1, 0 }, TG_UNIT_SILENCE };
  g_assert_false (tg_unit_ablation (m, ds, &bad, 1, &HARD, &base, &edited, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_RANGE);
  g_clear_error (&error);
}

/* A silenced unit no longer reaches the outputs, through W or through LoRA's B A: changing
 * its incoming weights changes no logit. */
static void
test_silence_lora (void)
{
  GError *error = NULL;
  g_autoptr (TgModel) m = tg_model_new (4, 2, (guint32[]) { 5, 3 }, 4, 2, 2.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (21);
  tg_model_init_weights (m, &rng);
  for (size_t k = 0; k < m->n_params; k++) /* B = 0 after init: make the LoRA path live */
    if (k >= m->lora_b[0])
      m->params[k] = tg_rng_uniform (&rng) - 0.5f;
  m->method = TG_METHOD_LORA;
  g_autoptr (TgDataset) ds = identity_data (16);
  float x[16 * 4], before[16 * 4];
  tg_dataset_gather (ds, NULL, 0, 16, x, NULL);
  for (guint32 layer = 0; layer < 2; layer++)
    {
      TgUnitEdit edit = { { layer, 1 }, TG_UNIT_SILENCE };
      g_autoptr (TgModel) e = tg_unit_edited_model (m, &edit, 1, &error);
      g_assert_no_error (error);
      g_autoptr (TgWorkspace) ws = tg_workspace_new (e, 16);
      tg_model_forward (e, ws, &SOFT, x, NULL, 16);
      memcpy (before, tg_workspace_logits (ws), sizeof before);
      guint32 din = e->dims[layer];
      for (guint32 i = 0; i < din; i++)
        e->params[e->w[layer] + 1 * din + i] += 3.0f;
      e->params[e->b[layer] + 1] += 3.0f;
      tg_model_forward (e, ws, &SOFT, x, NULL, 16);
      for (guint k = 0; k < 16 * 4; k++)
        g_assert_cmpfloat (tg_workspace_logits (ws)[k], ==, before[k]);
    }
}

static void
test_selection (void)
{
  g_autoptr (TgModel) m = identity_model ();
  g_autoptr (TgDataset) ds = identity_data (200);
  TgUnitId top[2];
  g_assert_cmpuint (tg_unit_most_selective (m, ds, 2, 2, top), ==, 2);
  g_assert_cmpuint (top[0].layer, ==, 0);
  g_assert_cmpuint (top[0].index, ==, 2);

  /* a second set where pixel 3 is always bright: unit 3 is on there but not in the first */
  g_autoptr (TgDataset) bright = tg_dataset_copy (ds);
  for (guint32 i = 0; i < bright->n; i++)
    bright->pixels[i * 4 + 3] = 255;
  g_autoptr (GArray) only = tg_unit_on_only (m, bright, m, ds, 0.9f);
  g_assert_cmpuint (only->len, ==, 1);
  g_assert_cmpuint (g_array_index (only, TgUnitId, 0).index, ==, 3);
  g_autoptr (GArray) none = tg_unit_on_only (m, ds, m, bright, 0.9f);
  g_assert_cmpuint (none->len, ==, 0);
}

/* --- the digit pad's probe ----------------------------------------------------------- */

/* Gates and probabilities by hand for one image, and the probe's prediction for every
 * example equals the batch forward's. */
static void
test_probe (void)
{
  g_autoptr (TgModel) m = identity_model ();
  GError *error = NULL;
  float x[4] = { 0.2f, 1.0f, 0.3f, 0.0f };
  g_autoptr (TgProbe) p = tg_probe_new (m, 5.0f, x, 2, 2, 0.0, &error);
  g_assert_no_error (error);
  float logits_hard[4] = { 0.0f, 1.1f, 0.1f, 0.1f };
  double sum = 0.0;
  for (guint c = 0; c < 4; c++)
    sum += exp (logits_hard[c]);
  for (guint j = 0; j < 4; j++)
    {
      g_assert_cmpfloat (p->gates_hard[j], ==, j == 1 ? 1.0f : 0.0f);
      g_assert_cmpfloat_with_epsilon (p->gates_soft[j], 1.0 / (1.0 + exp (-5.0 * (x[j] - 0.5))),
                                      1e-6);
      g_assert_cmpfloat_with_epsilon (p->prob_hard[j], exp (logits_hard[j]) / sum, 1e-6);
    }
  g_assert_cmpuint (p->pred_hard, ==, 1);
  g_assert_cmpuint (p->pred_soft, ==, 1);

  g_autoptr (TgDataset) ds = identity_data (64);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, 64);
  float xs[64 * 4];
  tg_dataset_gather (ds, NULL, 0, 64, xs, NULL);
  tg_model_forward (m, ws, &SOFT, xs, NULL, 64);
  const float *lg = tg_workspace_logits (ws);
  for (guint32 i = 0; i < 64; i++)
    {
      g_autoptr (TgProbe) q = tg_probe_new (m, 5.0f, xs + i * 4, 2, 2, 0.0, &error);
      g_assert_no_error (error);
      guint32 a = 0;
      for (guint32 c = 1; c < 4; c++)
        if (lg[i * 4 + c] > lg[i * 4 + a])
          a = c;
      g_assert_cmpuint (q->pred_soft, ==, a);
    }

  /* rotating by 90 degrees moves pixel 1 (top right) to pixel 0 (top left) */
  g_autoptr (TgProbe) r = tg_probe_new (m, 5.0f, x, 2, 2, 90.0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (r->image[0], 1.0f, 1e-6);
  g_assert_cmpuint (r->pred_hard, ==, 0);

  g_assert_null (tg_probe_new (m, 5.0f, x, 3, 2, 0.0, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_MISMATCH);
  g_clear_error (&error);
}

/* --- real MNIST ----------------------------------------------------------------------- */

static void
train_epochs (TgModel *m, const TgDataset *data, guint epochs, uint64_t *rng)
{
  TgTrainConfig cfg;
  tg_train_config_init (&cfg);
  g_autoptr (TgTrainer) t = tg_trainer_new (m, &cfg);
  TgSource src = { .data = data };
  GError *error = NULL;
  for (guint e = 0; e < epochs; e++)
    {
      g_assert_true (tg_trainer_run_epoch (t, &src, rng, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_mnist_silence_digit (void)
{
  const char *dir = g_getenv ("TG_MNIST_DIR");
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("TG_MNIST_DIR is not set or missing");
      return;
    }
  GError *error = NULL;
  g_autoptr (TgDataset) train_all = tg_dataset_load_dir (dir, "train", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) test_all = tg_dataset_load_dir (dir, "t10k", 10, &error);
  g_assert_no_error (error);
  g_autoptr (TgDataset) train = tg_dataset_head (train_all, 30000);
  g_autoptr (TgDataset) test = tg_dataset_head (test_all, 2000);

  g_autoptr (TgModel) m = tg_model_new (784, 2, (guint32[]) { 128, 128 }, 10, 0, 0.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (11);
  tg_model_init_weights (m, &rng);
  m->method = TG_METHOD_FULL;
  train_epochs (m, train, 3, &rng);
  m->method = TG_METHOD_TAUGATE;
  train_epochs (m, train, 1, &rng);

  TgClassEval base = { 0 }, edited = { 0 };
  for (guint digit = 0; digit < 10; digit += 3)
    {
      TgUnitId units[12];
      TgUnitEdit edits[12];
      /* chosen on training images, measured on test images */
      guint k = tg_unit_most_selective (m, train, digit, G_N_ELEMENTS (units), units);
      g_assert_cmpuint (k, ==, 12);
      for (guint i = 0; i < k; i++)
        edits[i] = (TgUnitEdit) { units[i], TG_UNIT_SILENCE };
      g_assert_true (tg_unit_ablation (m, test, edits, k, &HARD, &base, &edited, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (base.acc, >, 0.85);
      double drop_digit = base.acc_class[digit] - edited.acc_class[digit], drop_others = 0.0;
      for (guint c = 0; c < 10; c++)
        if (c != digit)
          drop_others += (base.acc_class[c] - edited.acc_class[c]) / 9.0;
      g_test_message ("digit %u: accuracy %.3f -> %.3f, the others lose %.3f on average",
                      digit, base.acc_class[digit], edited.acc_class[digit], drop_others);
      /* not by a rounding, and several times what the other digits lose on average (a
       * neighbour such as 4 for 9 may lose as much: the units tell them apart) */
      g_assert_cmpfloat (drop_digit, >, 0.02);
      g_assert_cmpfloat (drop_digit, >, 3.0 * drop_others);
      tg_class_eval_clear (&base);
      tg_class_eval_clear (&edited);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/unit/parse", test_parse);
  g_test_add_func ("/unit/receptive-field", test_receptive_field);
  g_test_add_func ("/unit/report", test_report);
  g_test_add_func ("/unit/ablation", test_ablation);
  g_test_add_func ("/unit/silence-lora", test_silence_lora);
  g_test_add_func ("/unit/selection", test_selection);
  g_test_add_func ("/unit/probe", test_probe);
  g_test_add_func ("/unit/mnist-silence-digit", test_mnist_silence_digit);
  return g_test_run ();
}
