/* SPDX-License-Identifier: MIT */
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
  /* tick labels of two decimals ("0.20") beside the bar's title */
  double narrow[N * N];
  for (guint i = 0; i < N * N; i++)
    narrow[i] = 0.15 + 0.1 * (i % 7) / 6.0;
  md.acc = narrow;
  g_assert_true (tg_plot_check_fit (600, 560, (TgPlotFunc) tg_plot_mode_matrix, &md, &st, &error));
  g_assert_no_error (error);
  md.acc = acc;
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

/* Each image rotated by its own pick is the same bytes as the whole set rotated by that
 * angle; routing among identical models: every choice's accuracy is the oracle's, and the
 * per-block choice is right or wrong for whole blocks; bad angles refused. */
static void
test_route (void)
{
  g_autoptr (TgModes) modes = make_modes ();
  g_autoptr (TgDataset) test = random_set (700, 3);
  const double angles[3] = { 0, 30, 90 };
  g_autofree guint8 *pick = g_new (guint8, test->n);
  for (guint32 i = 0; i < test->n; i++)
    pick[i] = (guint8) (i % 3);
  g_autoptr (TgDataset) each = tg_dataset_rotated_each (test, angles, pick);
  for (guint k = 0; k < 3; k++)
    {
      g_autoptr (TgDataset) rot = tg_dataset_rotated (test, angles[k]);
      for (guint32 i = k; i < test->n; i += 3)
        g_assert_cmpmem (each->pixels + (size_t) i * test->dim, test->dim,
                         rot->pixels + (size_t) i * test->dim, test->dim);
    }
  g_assert_cmpmem (each->labels, test->n, test->labels, test->n);

  const TgModel *same[3];
  float s[3] = { 5, 5, 5 };
  for (guint k = 0; k < 3; k++)
    same[k] = tg_modes_get (modes, 1)->model;
  GError *error = NULL;
  g_autoptr (TgRouteResult) r = tg_zoo_route (modes->foundation, same, s, angles, 3, NULL, test,
                                              128, 0, 7, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->n, ==, 700);
  g_assert_cmpfloat (r->acc_entropy_image, ==, r->acc_oracle);
  g_assert_cmpfloat (r->acc_entropy_batch, ==, r->acc_oracle);
  g_assert_true (isnan (r->acc_router_image));
  /* per block one choice: right on whole blocks (of 128, the last of 60), whichever mode
   * the rounding of equal entropies picks */
  guint right = (guint) round (r->right_entropy_batch * 700);
  g_assert_cmpfloat (fabs (r->right_entropy_batch * 700 - right), <, 1e-9);
  g_assert_true (right % 128 == 0 || (right >= 60 && (right - 60) % 128 == 0));

  double bad[3] = { 0, NAN, 90 };
  g_assert_null (tg_zoo_route (modes->foundation, same, s, bad, 3, NULL, test, 128, 0, 7,
                               NULL, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "mode 2"));
  g_clear_error (&error);
  double one[3] = { 30, 30, 30 };
  g_assert_null (tg_zoo_route (modes->foundation, same, s, one, 3, NULL, test, 128, 0, 7,
                               NULL, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
}

/* The colour at (x, y) of an image surface, as 0..255 channels. */
static void
pixel_at (cairo_surface_t *s, int x, int y, int *rgb)
{
  const guint8 *p = cairo_image_surface_get_data (s);
  guint32 px;
  memcpy (&px, p + (size_t) y * cairo_image_surface_get_stride (s) + 4 * x, 4);
  rgb[0] = (px >> 16) & 255, rgb[1] = (px >> 8) & 255, rgb[2] = px & 255;
}

/* Modes a few points apart read as different colours: the scale spans the data, not 0..1
 * (on 0..1, 0.52 and 0.56 were all but one colour). */
static void
test_matrix_colours (void)
{
  const char *labels[] = { "0°", "90°" };
  double angles[] = { 0, 90 }, acc[] = { 0.52, 0.56, 0.53, 0.55 };
  TgModeMatrixData md = { .n_modes = 2, .n_angles = 2, .mode_labels = labels,
                          .mode_angles = angles, .test_angles = angles, .acc = acc };
  TgPlotStyle st;
  tg_plot_style_init_light (&st);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 420);
  cairo_t *cr = cairo_create (s);
  tg_plot_mode_matrix (cr, 640, 420, &md, &st);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  /* the middle of cells (0, 0) and (0, 1) along a line through row 0 */
  int first[2] = { -1, -1 }, last[2] = { -1, -1 }, y = -1;
  for (int yy = 0; yy < 420 && y < 0; yy++)
    {
      guint m, a;
      if (tg_plot_mode_matrix_hit (640, 420, &md, &st, 320, yy, &m, &a) && m == 0)
        y = yy + 20;
    }
  g_assert_cmpint (y, >, 0);
  for (int x = 0; x < 640; x++)
    {
      guint m, a;
      if (tg_plot_mode_matrix_hit (640, 420, &md, &st, x, y, &m, &a) && m == 0)
        {
          if (first[a] < 0)
            first[a] = x;
          last[a] = x;
        }
    }
  int c0[3], c1[3];
  pixel_at (s, (first[0] + last[0]) / 2, y, c0);
  pixel_at (s, (first[1] + last[1]) / 2, y, c1);
  int dist = abs (c0[0] - c1[0]) + abs (c0[1] - c1[1]) + abs (c0[2] - c1[2]);
  g_test_message ("0.52 as %d,%d,%d; 0.56 as %d,%d,%d", c0[0], c0[1], c0[2], c1[0], c1[1],
                  c1[2]);
  g_assert_cmpint (dist, >, 80);
  cairo_surface_destroy (s);
}

/* --- the command ---------------------------------------------------------------------- */

/* zoo.csv's accuracy of (method, mode angle, test angle), soft or hard; NAN if no row. */
static double
zoo_csv_acc (const char *csv, const char *method, double mode, double test, gboolean hard)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 6);
      double fm = *f[2] ? g_ascii_strtod (f[2], NULL) : NAN;
      gboolean same_mode = isnan (mode) ? isnan (fm) : fm == mode;
      if (strcmp (f[1], method) != 0 || !same_mode || g_ascii_strtod (f[3], NULL) != test)
        continue;
      return g_ascii_strtod (hard ? f[5] : f[4], NULL);
    }
  return NAN;
}

static char *
run_zoo (const char *out, const char *extra)
{
  g_autofree char *cmd = g_strdup_printf (
      "zoo --data %s --angles 0,45 --train-limit 10000 --test-limit 500 --router-epochs 1 "
      "-j 2 -q --out %s %s", cli_test_mnist_dir (), out, extra);
  g_auto (GStrv) args = g_strsplit_set (g_strstrip (cmd), " ", -1);
  g_autofree char *so = NULL, *se = NULL;
  g_assert_cmpint (cli_test_run ((const char *const *) args, &so, &se), ==, 0);
  g_autofree char *path = g_build_filename (out, "zoo.csv", NULL);
  return cli_test_slurp (path);
}

/* The zoo's accuracy matrix is what `taugate modes` measures on the adapters it wrote, and
 * a foundation trained on 0 degrees alone (--foundation-angles 0) scores lower at 45 than
 * the default mix of the zoo's angles. */
static void
test_cli_matrix_and_mix (void)
{
  if (cli_test_mnist_dir () == NULL)
    return;
  g_autofree char *tmp = g_dir_make_tmp ("tg-zoo-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "zoo", NULL);
  g_autofree char *out0 = g_build_filename (tmp, "zoo0", NULL);
  g_autofree char *modes_out = g_build_filename (tmp, "modes", NULL);
  g_autofree char *csv = run_zoo (out, "");
  g_autofree char *csv0 = run_zoo (out0, "--foundation-angles 0 --no-checkpoints");

  g_autofree char *f = g_build_filename (out, "checkpoints", "seed0-foundation.safetensors", NULL);
  g_autofree char *a0 = g_build_filename (out, "checkpoints", "seed0-taugate-0deg.safetensors", NULL);
  g_autofree char *a45 = g_build_filename (out, "checkpoints", "seed0-taugate-45deg.safetensors", NULL);
  const char *args[] = { "modes", f, a0, a45, "--data", cli_test_mnist_dir (), "--angles",
                         "0,45", "--test-limit", "500", "--train-limit", "600", "-q", "--out",
                         modes_out, NULL };
  g_autofree char *so = NULL, *se = NULL;
  g_assert_cmpint (cli_test_run (args, &so, &se), ==, 0);
  g_autofree char *mpath = g_build_filename (modes_out, "modes.csv", NULL);
  g_autofree char *modes = cli_test_slurp (mpath);
  /* modes.csv: mode,method,target_angle,angle,acc_soft,acc_hard; Base first */
  g_auto (GStrv) lines = g_strsplit (modes, "\n", -1);
  guint compared = 0;
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      g_auto (GStrv) c = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (c), ==, 6);
      double test_angle = g_ascii_strtod (c[3], NULL);
      gboolean base = *c[2] == '\0';
      double mode = base ? NAN : g_ascii_strtod (c[2], NULL);
      for (int h = 0; h < 2; h++)
        {
          double z = zoo_csv_acc (csv, base ? "foundation" : "taugate", mode, test_angle, h);
          double m = g_ascii_strtod (c[4 + h], NULL);
          g_test_message ("%s %s at %g: zoo %.6f, modes %.6f", c[0], h ? "hard" : "soft",
                          test_angle, z, m);
          g_assert_cmpfloat (fabs (z - m), <, 1e-6);
          compared++;
        }
    }
  g_assert_cmpuint (compared, ==, 3 * 2 * 2);

  double mix45 = zoo_csv_acc (csv, "foundation", NAN, 45, FALSE);
  double zero45 = zoo_csv_acc (csv0, "foundation", NAN, 45, FALSE);
  double zero0 = zoo_csv_acc (csv0, "foundation", NAN, 0, FALSE);
  g_test_message ("foundation at 45: mix {0,45} %.4f, {0} %.4f (at 0: %.4f)", mix45, zero45,
                  zero0);
  g_assert_cmpfloat (zero45, <, mix45 - 0.05);
  /* not a broken foundation: far above chance on the mode it saw */
  g_assert_cmpfloat (zero0, >, 0.5);
  cli_test_remove_tree (tmp);
}

/* A bad --angles or --methods is refused before any work, naming the option and the
 * fault, with the usage status 2. */
static void
test_cli_errors (void)
{
  struct { const char *opt, *value, *says; } cases[] = {
    { "--angles", "0:abc", "--angles" },
    { "--angles", "30", "2 to 255 angles (got 1)" },
    { "--angles", "0,400", "--angles" },
    { "--methods", "frozen", "--methods" },
    { "--methods", "taugate,nope", "--methods: unknown method \"nope\"" },
    { "--foundation-angles", "0,x", "--foundation-angles" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "zoo", cases[i].opt, cases[i].value, "--out", "/nonexistent/zoo",
                             NULL };
      g_autofree char *so = NULL, *se = NULL;
      g_assert_cmpint (cli_test_run_argv ((const char *const[]) { g_getenv ("TG_TAUGATE"),
                                                                 args[0], args[1], args[2],
                                                                 args[3], args[4], NULL },
                                          &so, &se), ==, 2);
      g_test_message ("%s %s: %s", cases[i].opt, cases[i].value, se);
      g_assert_nonnull (strstr (se, "taugate zoo: "));
      g_assert_nonnull (strstr (se, cases[i].says));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zoo/cli/errors", test_cli_errors);
  g_test_add_func ("/zoo/cli/matrix-and-mix", test_cli_matrix_and_mix);
  g_test_add_func ("/zoo/jaccard", test_jaccard);
  g_test_add_func ("/zoo/matrix-equals-sweep", test_matrix_equals_sweep);
  g_test_add_func ("/zoo/map-measure", test_map_measure);
  g_test_add_func ("/zoo/figures", test_figures);
  g_test_add_func ("/zoo/matrix-colours", test_matrix_colours);
  g_test_add_func ("/zoo/route", test_route);
  return g_test_run ();
}
