/* SPDX-License-Identifier: MIT */
/* test-plot-unit.c — the unit inspector: a figure made from a real report of a hand-built
 * model carries the report's examples and numbers, exports to a one-page PDF and a PNG that
 * is not blank, and an empty or NaN-filled figure still draws. The digit pad likewise. */
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tg-unit-figure.h"
#include "tg-probe.h"

/* 2 x 2 images, 4 classes, hidden 1 = the pixels gated at tau 0.5 (see test-unit.c): unit c
 * fires exactly on the examples of class c. */
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
  uint64_t rng = tg_rng_seed (5);
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

/* Distinct pixel values of a PNG, capped at 64. */
static guint
distinct_pixels (const char *path)
{
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  const guint8 *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img), w = cairo_image_surface_get_width (img);
  for (int y = 0; y < cairo_image_surface_get_height (img) && g_hash_table_size (seen) < 64; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 v = ((const guint32 *) (data + (gsize) y * stride))[x];
        g_hash_table_add (seen, GUINT_TO_POINTER (v + 1));
      }
  cairo_surface_destroy (img);
  return g_hash_table_size (seen);
}

static void
export_and_check_func (const char *dir, const char *name, TgPlotFunc func, gconstpointer d,
                       guint min_colors)
{
  GError *error = NULL;
  g_autofree char *png_name = g_strconcat (name, ".png", NULL);
  g_autofree char *pdf_name = g_strconcat (name, ".pdf", NULL);
  g_autofree char *png = g_build_filename (dir, png_name, NULL);
  g_autofree char *pdf = g_build_filename (dir, pdf_name, NULL);
  g_assert_true (tg_plot_export (png, 1100, 760, func, d, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (distinct_pixels (png), >=, min_colors);
  g_assert_true (tg_plot_export (pdf, 1100, 760, func, d, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *buf = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (pdf, &buf, &len, NULL));
  g_assert_true (g_str_has_prefix (buf, "%PDF"));
  g_remove (png);
  g_remove (pdf);
}

static void
export_and_check (const char *dir, const char *name, const TgUnitPlotData *d, guint min_colors)
{
  export_and_check_func (dir, name, (TgPlotFunc) tg_plot_unit, d, min_colors);
}

static void
test_figure_from_report (void)
{
  g_autoptr (TgModel) m = identity_model ();
  g_autoptr (TgDataset) ds0 = identity_data (120);
  g_autoptr (TgDataset) dst = tg_dataset_rotated (ds0, 90);
  GError *error = NULL;
  const TgForwardOpts hard = { TG_GATES_HARD, 5.0f };
  g_autoptr (TgUnitFigure) f = tg_unit_figure_new (m, (TgUnitId) { 0, 2 }, ds0, dst, 90.0,
                                                   FALSE, &hard, "test", &error);
  g_assert_no_error (error);
  /* on the 0-degree set, unit 2 fires for class 2 only: its top images are all 2s, its near
   * misses none */
  g_assert_cmpuint (f->data.top.n, ==, 9);
  g_assert_cmpuint (f->data.near.n, ==, 9);
  for (guint i = 0; i < 9; i++)
    {
      g_assert_cmpuint (f->data.top.labels[i], ==, 2);
      g_assert_cmpuint (f->data.near.labels[i], !=, 2);
      g_assert_cmpmem (f->data.top.pixels + i * 4, 4, ds0->pixels + f->report->top[i] * 4, 4);
    }
  g_assert_cmpfloat (f->data.rate0_hard[2], ==, 1.0);
  g_assert_cmpfloat (f->data.rate0_hard[1], ==, 0.0);
  g_assert_cmpfloat (f->data.tau, ==, 0.5);
  g_assert_true (f->data.field == f->report->field);
  g_autofree char *csv = tg_unit_figure_csv (f);
  g_assert_nonnull (strstr (csv, "\nrate_0_hard,2,1\n"));
  g_assert_nonnull (strstr (csv, "\nlayer,,1\nunit,,2\n"));

  g_autofree char *dir = g_dir_make_tmp ("tg-plot-unit-XXXXXX", &error);
  g_assert_no_error (error);
  export_and_check (dir, "report", &f->data, 24);

  g_assert_null (tg_unit_figure_new (m, (TgUnitId) { 0, 9 }, ds0, dst, 90.0, FALSE, &hard,
                                     NULL, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_RANGE);
  g_clear_error (&error);
  g_rmdir (dir);
}

static void
test_empty_and_nan (void)
{
  GError *error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tg-plot-unit-XXXXXX", &error);
  g_assert_no_error (error);
  TgUnitPlotData empty = { 0 };
  export_and_check (dir, "empty", &empty, 3);
  export_and_check (dir, "null", NULL, 3);
  double nan10[10], zero_edges[2] = { 0.0, 0.0 };
  guint32 counts[1] = { 0 };
  for (guint c = 0; c < 10; c++)
    nan10[c] = NAN;
  TgUnitPlotData d = { .n_classes = 10, .rate0_soft = nan10, .rate_t_hard = nan10,
                       .logit_effect = nan10, .n_bins = 1, .edges = zero_edges,
                       .counts = counts };
  export_and_check (dir, "nan", &d, 3);
  g_rmdir (dir);
}

static void
test_digit_pad (void)
{
  g_autoptr (TgModel) m = identity_model ();
  GError *error = NULL;
  float x[4] = { 0.2f, 1.0f, 0.3f, 0.0f };
  g_autoptr (TgProbe) p = tg_probe_new (m, 5.0f, x, 2, 2, 30.0, &error);
  g_assert_no_error (error);
  guint widths[1] = { 4 };
  TgPadModel models[1] = { { "test", p->prob_soft, p->prob_hard } };
  TgDigitPadData d = { .rows = 2, .cols = 2, .image = p->image, .angle = 30.0, .true_label = 1,
                       .n_layers = 1, .widths = widths, .gates_soft = p->gates_soft,
                       .gates_hard = p->gates_hard, .gates_label = "test", .cell_columns = 2,
                       .n_classes = 4, .n_models = 1, .models = models, .caption = "caption" };
  g_autofree char *dir = g_dir_make_tmp ("tg-plot-pad-XXXXXX", &error);
  g_assert_no_error (error);
  export_and_check_func (dir, "pad", (TgPlotFunc) tg_plot_digit_pad, &d, 24);
  TgDigitPadData empty = { .true_label = -1 };
  export_and_check_func (dir, "pad-empty", (TgPlotFunc) tg_plot_digit_pad, &empty, 3);
  export_and_check_func (dir, "pad-null", (TgPlotFunc) tg_plot_digit_pad, NULL, 3);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/unit/figure-from-report", test_figure_from_report);
  g_test_add_func ("/plot/unit/empty-and-nan", test_empty_and_nan);
  g_test_add_func ("/plot/digit-pad", test_digit_pad);
  return g_test_run ();
}
