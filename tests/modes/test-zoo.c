/* test-zoo.c — many modes of one foundation (tg-zoo.h, tg-plot-zoo.h): the mode map's
 * Jaccard is 1 for a mode with itself and symmetric; the accuracy matrix is the angle sweep
 * of `taugate modes` (tg_modes_sweep), cell for cell, whatever the thread count, LoRA
 * beside the modes of one pass; routing knows the input's mode when the modes differ; the
 * figures fit their page with 36 modes, and a hit test reads back the cell drawn there. */
#include "tg-zoo.h"
#include "tg-plot-zoo.h"
#include "cli-test-util.h"

#include <math.h>
#include <string.h>

/* Mean gates of 3 modes of 2 layers (4 and 3 units) with known on-sets (> 0.9):
 * mode 0: layer 1 {0, 1}, layer 2 {}; mode 1: {1, 2}, {}; mode 2: {0, 1}, {2}. */
static const float gates3[3 * 7] = {
  0.95f, 0.99f, 0.10f, 0.50f,  0.2f, 0.3f, 0.9f,
  0.10f, 0.91f, 0.97f, 0.90f,  0.0f, 0.0f, 0.0f,
  1.00f, 0.92f, 0.20f, 0.30f,  0.1f, 0.1f, 0.95f,
};

static void
test_jaccard (void)
{
  const guint32 widths[2] = { 4, 3 };
  double j[2];
  tg_mode_pair_jaccard (gates3, gates3 + 7, 2, widths, 0.9f, j);
  g_assert_cmpfloat (j[0], ==, 1.0 / 3.0);   /* {0,1} vs {1,2} */
  g_assert_cmpfloat (j[1], ==, 1.0);         /* both empty */
  tg_mode_pair_jaccard (gates3, gates3 + 14, 2, widths, 0.9f, j);
  g_assert_cmpfloat (j[0], ==, 1.0);
  g_assert_cmpfloat (j[1], ==, 0.0);         /* {} vs {2} */

  const char *names[] = { "a", "b", "c" };
  const double angles[] = { 0, 10, 20 };
  g_autoptr (TgModeMap) map = tg_mode_map_new (3, names, angles, 2, widths, gates3, 0.9f);
  for (guint l = 0; l < 2; l++)
    for (guint a = 0; a < 3; a++)
      {
        g_assert_cmpfloat (tg_mode_map_get (map, l, a, a), ==, 1.0);
        for (guint b = 0; b < 3; b++)
          g_assert_cmpfloat (tg_mode_map_get (map, l, a, b), ==, tg_mode_map_get (map, l, b, a));
      }
  g_assert_cmpfloat (tg_mode_map_get (map, 0, 0, 1), ==, 1.0 / 3.0);
  g_assert_cmpfloat (tg_mode_map_get (map, 1, 1, 2), ==, 0.0);
  g_assert_cmpuint (map->n_on[0 * 2 + 0], ==, 2);
  g_assert_cmpuint (map->n_on[2 * 2 + 1], ==, 1);
  g_assert_cmpuint (map->n_on[1 * 2 + 0], ==, 2);   /* 0.90 is not above 0.9 */
}

/* A small data set of random digits-like images: enough for equalities, not for learning. */
static TgDataset *
random_set (guint32 n, guint64 seed)
{
  TgDataset *ds = tg_dataset_new (n, 28, 28, 10, NULL);
  uint64_t rng = tg_rng_seed (seed);
  for (size_t i = 0; i < (size_t) n * ds->dim; i++)
    ds->pixels[i] = tg_rng_below (&rng, 4) == 0 ? (guint8) tg_rng_below (&rng, 256) : 0;
  for (guint32 i = 0; i < n; i++)
    ds->labels[i] = (guint8) tg_rng_below (&rng, 10);
  return ds;
}

/* A foundation and modes of it: TauGate with drawn tau and gamma at several angles, and a
 * LoRA mode, which runs apart from the one pass. */
static TgModes *
make_modes (void)
{
  guint32 widths[2] = { 48, 32 };
  g_autoptr (TgModel) f = tg_model_new (784, 2, widths, 10, 4, 4, NULL);
  uint64_t rng = tg_rng_seed (5);
  tg_model_init_weights (f, &rng);
  TgModes *modes = tg_modes_new (f);
  for (guint k = 0; k < 5; k++)
    {
      g_autoptr (TgModel) m = tg_model_copy (modes->foundation);
      m->method = k == 4 ? TG_METHOD_LORA : TG_METHOD_TAUGATE;
      for (guint32 l = 0; l + 1 < m->n_linear; l++)
        for (guint32 j = 0; j < m->dims[l + 1]; j++)
          {
            m->params[m->tau[l] + j] = 0.3f * (tg_rng_uniform (&rng) - 0.5f);
            m->params[m->gamma[l] + j] = 0.5f + tg_rng_uniform (&rng);
          }
      for (size_t p = 0; k == 4 && p < m->n_params - m->lora_a[0]; p++)
        m->params[m->lora_a[0] + p] = 0.05f * (tg_rng_uniform (&rng) - 0.5f);
      g_autofree char *name = g_strdup_printf ("mode %u", k);
      tg_modes_attach_model (modes, m, 5.0f, name, 30.0 * k);
    }
  return modes;
}

static void
test_matrix_equals_sweep (void)
{
  g_autoptr (TgModes) modes = make_modes ();
  g_autoptr (TgDataset) test = random_set (300, 9);
  const double angles[] = { 0, 30, 60, 90, 120, 345 };
  GError *error = NULL;
  g_autoptr (TgAngleSweep) sw = tg_modes_sweep (modes, test, angles, 6, NULL, &error);
  g_assert_no_error (error);
  for (guint threads = 1; threads <= 3; threads += 2)
    {
      g_autoptr (TgAccMatrix) am = tg_acc_matrix_from_modes (modes, test, angles, 6, threads,
                                                             NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (am->n_modes, ==, tg_modes_count (modes));
      g_assert_cmpuint (am->n_test, ==, 300);
      for (guint m = 0; m < am->n_modes; m++)
        for (guint a = 0; a < 6; a++)
          {
            g_assert_cmpfloat (tg_acc_matrix_get (am, FALSE, m, a), ==,
                               sw->acc_soft[m * 6 + a]);
            g_assert_cmpfloat (tg_acc_matrix_get (am, TRUE, m, a), ==,
                               sw->acc_hard[m * 6 + a]);
          }
      /* Base has no angle of its own; modes 0..3 (0, 30, 60, 90) and LoRA's 120 do */
      g_assert_cmpint (tg_acc_matrix_own_angle (am, 0), ==, -1);
      g_assert_cmpint (tg_acc_matrix_own_angle (am, 2), ==, 1);
      double own = 0;
      for (guint m = 1; m < am->n_modes; m++)
        own += tg_acc_matrix_get (am, FALSE, m, m - 1);
      g_assert_cmpfloat (fabs (tg_acc_matrix_own_mean (am, FALSE) - own / 5), <, 1e-12);
    }
}

/* The mode map of real models: each mode with itself 1, symmetric; and refused for a
 * mode without gates, naming it. */
static void
test_map_measure (void)
{
  g_autoptr (TgModes) modes = make_modes ();
  g_autoptr (TgDataset) test = random_set (200, 4);
  const TgModel *models[5];
  float s[5];
  const char *names[5];
  double angles[5];
  for (guint k = 0; k < 5; k++)
    {
      const TgMode *mode = tg_modes_get (modes, k + 1);
      models[k] = mode->model, s[k] = mode->sharpness, names[k] = mode->name;
      angles[k] = mode->target_angle;
    }
  GError *error = NULL;
  g_autoptr (TgModeMap) map = tg_mode_map_measure (models, s, names, angles, 4, test, 0.5f, 2,
                                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (map->n_layers, ==, 2);
  for (guint l = 0; l < 2; l++)
    for (guint a = 0; a < 4; a++)
      {
        g_assert_cmpfloat (tg_mode_map_get (map, l, a, a), ==, 1.0);
        for (guint b = 0; b < 4; b++)
          g_assert_cmpfloat (tg_mode_map_get (map, l, a, b), ==, tg_mode_map_get (map, l, b, a));
      }
  g_assert_null (tg_mode_map_measure (models, s, names, angles, 5, test, 0.5f, 1, NULL, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "mode 4"));
  g_clear_error (&error);
}

/* 36 modes: the figures fit 640 x 420 pt; the centre of a drawn cell reads back as it. */
static void
test_figures (void)
{
  enum { N = 36 };
  g_autofree char **labels = g_new0 (char *, N + 1);
  double angles[N], acc[N * N];
  for (guint k = 0; k < N; k++)
    {
      angles[k] = 10.0 * k;
      labels[k] = g_strdup_printf ("%g°", angles[k]);
    }
  for (guint m = 0; m < N; m++)
    for (guint a = 0; a < N; a++)
      acc[m * N + a] = m == a ? 0.95 : 0.5 + 0.01 * ((m + a) % 30);
  acc[3] = NAN;
  TgPlotStyle st;
  tg_plot_style_init_light (&st);
  TgModeMatrixData md = { .n_modes = N, .n_angles = N, .mode_labels = (const char *const *) labels,
                          .mode_angles = angles, .test_angles = angles, .acc = acc,
                          .subtitle = "TauGate, soft gates", .caption = "A caption." };
  GError *error = NULL;
  g_assert_true (tg_plot_check_fit (640, 420, (TgPlotFunc) tg_plot_mode_matrix, &md, &st, &error));
  g_assert_no_error (error);
  md.show_hover = TRUE, md.hover_mode = 35, md.hover_angle = 0;
  g_assert_true (tg_plot_check_fit (640, 420, (TgPlotFunc) tg_plot_mode_matrix, &md, &st, &error));
  g_assert_no_error (error);

  /* a line down the page meets every mode's row, a line across every angle's column, in
   * order; the page's corner is no cell */
  guint m, a, last_m = 0, last_a = 0, n_m = 0, n_a = 0;
  for (double y = 0; y < 420; y += 1.0)
    if (tg_plot_mode_matrix_hit (640, 420, &md, &st, 400, y, &m, &a))
      {
        g_assert_cmpuint (m, >=, last_m);
        n_m += n_m == 0 || m != last_m;
        last_m = m;
      }
  for (double x = 0; x < 640; x += 1.0)
    if (tg_plot_mode_matrix_hit (640, 420, &md, &st, x, 200, &m, &a))
      {
        g_assert_cmpuint (a, >=, last_a);
        n_a += n_a == 0 || a != last_a;
        last_a = a;
      }
  g_assert_cmpuint (n_m, ==, N);
  g_assert_cmpuint (n_a, ==, N);
  g_assert_false (tg_plot_mode_matrix_hit (640, 420, &md, &st, 1, 1, &m, &a));
  g_autofree char *csv = tg_plot_mode_matrix_csv (&md);
  g_assert_cmpuint (cli_test_csv_records (csv), ==, 1 + N * N);

  double jac[2 * N * N];
  for (guint i = 0; i < 2 * N * N; i++)
    jac[i] = (i % (N + 1)) == 0 ? 1.0 : 0.3;
  const char *layers[] = { "hidden 1", "hidden 2" };
  TgModeMapData mm = { .n_modes = N, .n_layers = 2, .mode_labels = (const char *const *) labels,
                       .layer_labels = layers, .jaccard = jac, .caption = "A caption." };
  g_assert_true (tg_plot_check_fit (640, 420, (TgPlotFunc) tg_plot_mode_map, &mm, &st, &error));
  g_assert_no_error (error);
  mm.show_hover = TRUE, mm.hover_layer = 1, mm.hover_a = 2, mm.hover_b = 30;
  g_assert_true (tg_plot_check_fit (640, 420, (TgPlotFunc) tg_plot_mode_map, &mm, &st, &error));
  g_assert_no_error (error);
  guint layer, b;
  gboolean found = FALSE;
  for (double x = 320; x < 640 && !found; x += 1.0)
    found = tg_plot_mode_map_hit (640, 420, &mm, &st, x, 200, &layer, &a, &b) && layer == 1;
  g_assert_true (found);
  g_autofree char *mcsv = tg_plot_mode_map_csv (&mm);
  g_assert_cmpuint (cli_test_csv_records (mcsv), ==, 1 + 2 * N * N);
  g_strfreev (labels);
  labels = NULL;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zoo/jaccard", test_jaccard);
  g_test_add_func ("/zoo/matrix-equals-sweep", test_matrix_equals_sweep);
  g_test_add_func ("/zoo/map-measure", test_map_measure);
  g_test_add_func ("/zoo/figures", test_figures);
  return g_test_run ();
}
