/* SPDX-License-Identifier: MIT */
/* test-plot.c — every renderer exports a one-page PDF and a PNG that is not blank, copes
 * with empty and NaN data, and export fails cleanly (GError naming the path) where it
 * cannot write. Also the axis helper and the hit tests the window relies on. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>

#include "tg-plot.h"
#include "tg-plot-private.h"
#include "plot-samples.h"
#include "cli-test-util.h"

#define W 640
#define H 400

typedef struct {
  const char   *name;
  TgPlotFunc    func;
  gconstpointer data;
} Figure;

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Occurrences of "/Type /Page" that are not "/Type /Pages". */
static guint
count_pages (const char *buf, gsize len)
{
  static const char key[] = "/Type /Page";
  guint n = 0;
  for (gsize i = 0; i + sizeof key - 1 <= len; i++)
    if (memcmp (buf + i, key, sizeof key - 1) == 0 &&
        (i + sizeof key - 1 == len || buf[i + sizeof key - 1] != 's'))
      n++;
  return n;
}

static void
assert_one_page_pdf (const char *path)
{
  g_autofree char *buf = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &buf, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 200);
  g_assert_true (g_str_has_prefix (buf, "%PDF-"));
  g_assert_cmpuint (count_pages (buf, len), ==, 1);
  g_assert_nonnull (memmem (buf, len, "%%EOF", 5));
}

typedef struct {
  guint distinct;     /* distinct pixel values in the whole image (capped) */
  double inner_ink;   /* fraction of the central region that differs from the background */
} PngStats;

static PngStats
png_stats (const char *path, const TgPlotStyle *st)
{
  PngStats s = { 0, 0.0 };
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  int w = cairo_image_surface_get_width (img), h = cairo_image_surface_get_height (img);
  g_assert_cmpint (w, ==, W);
  g_assert_cmpint (h, ==, H);
  int stride = cairo_image_surface_get_stride (img);
  const unsigned char *px = cairo_image_surface_get_data (img);
  guint32 bg = 0xFF000000u | ((guint32) lround (st->background.r * 255) << 16)
               | ((guint32) lround (st->background.g * 255) << 8)
               | (guint32) lround (st->background.b * 255);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint inner = 0, ink = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = *(const guint32 *) (px + (gsize) y * stride + x * 4);
        if (g_hash_table_size (seen) < 4096)
          g_hash_table_add (seen, GUINT_TO_POINTER (p));
        if (x > w / 5 && x < w * 4 / 5 && y > h / 4 && y < h * 3 / 4)
          {
            inner++;
            if (p != bg)
              ink++;
          }
      }
  s.distinct = g_hash_table_size (seen);
  s.inner_ink = (double) ink / inner;
  cairo_surface_destroy (img);
  return s;
}

static void
export_ok (const Figure *f, const TgPlotStyle *st, const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path (file);
  gboolean ok = tg_plot_export (path, W, H, f->func, f->data, st, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* Nothing but the figures themselves may be left in the directory (no temp files). */
static void
assert_no_leftovers (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (name[0] == '.');
}

static void
check_figure (const Figure *f, gboolean real_data)
{
  TgPlotStyle styles[2];
  tg_plot_style_init_light (&styles[0]);
  tg_plot_style_init_dark (&styles[1]);

  for (int s = 0; s < 2; s++)
    {
      g_autofree char *pdf = g_strdup_printf ("%s-%d.pdf", f->name, s);
      g_autofree char *svg = g_strdup_printf ("%s-%d.svg", f->name, s);
      g_autofree char *png = g_strdup_printf ("%s-%d.png", f->name, s);
      g_autofree char *pdf_path = tmp_path (pdf);
      g_autofree char *svg_path = tmp_path (svg);
      g_autofree char *png_path = tmp_path (png);

      export_ok (f, &styles[s], pdf);
      assert_one_page_pdf (pdf_path);

      export_ok (f, &styles[s], svg);
      g_autofree char *svg_text = NULL;
      g_assert_true (g_file_get_contents (svg_path, &svg_text, NULL, NULL));
      g_assert_nonnull (strstr (svg_text, "<svg"));

      export_ok (f, &styles[s], png);
      PngStats ps = png_stats (png_path, &styles[s]);
      if (real_data)
        {
          /* Several colours (antialiasing alone gives a few: ask for many) and a plot area
           * that is really drawn on. */
          g_assert_cmpuint (ps.distinct, >=, 24);
          g_assert_cmpfloat (ps.inner_ink, >, 0.05);
        }
      else
        {
          /* The "no data yet" message is there, and little else. */
          g_assert_cmpuint (ps.distinct, >=, 3);
          g_assert_cmpfloat (ps.inner_ink, >, 0.0005);
          g_assert_cmpfloat (ps.inner_ink, <, 0.10);
        }
    }
  assert_no_leftovers ();
}

/* ---- each renderer with sample data ---- */

static void
test_bars (void)
{
  TgBarsData d;
  sample_bars (&d, 7);
  Figure f = { "bars", (TgPlotFunc) tg_plot_bars, &d };
  check_figure (&f, TRUE);

  /* The paper's five groups, and long labels that must wrap or rotate. */
  static const char *long_labels[7] = { "Frozen (no adapt)", "BitFit (bias-only)",
                                        "TauGate (threshold tuning)", "GainOnly (scales)",
                                        "TauOnly (thresholds)", "LoRA r=8", "Full FT" };
  d.group_labels = long_labels;
  Figure g = { "bars-long", (TgPlotFunc) tg_plot_bars, &d };
  check_figure (&g, TRUE);
}

static void
test_curves (void)
{
  TgCurvesData d;
  sample_curves (&d, 0.9, TRUE);
  Figure f = { "curves", (TgPlotFunc) tg_plot_curves, &d };
  check_figure (&f, TRUE);
  sample_curves (&d, 0.0, FALSE);
  Figure g = { "curves-raw", (TgPlotFunc) tg_plot_curves, &d };
  check_figure (&g, TRUE);
}

static void
test_heatmap (void)
{
  TgHeatmapData d;
  sample_heatmap (&d);
  Figure f = { "heatmap", (TgPlotFunc) tg_plot_heatmap, &d };
  check_figure (&f, TRUE);
}

static void
test_masks (void)
{
  TgMasksData d;
  sample_masks (&d);
  Figure f = { "masks", (TgPlotFunc) tg_plot_masks, &d };
  check_figure (&f, TRUE);
}

static void
test_overlap (void)
{
  TgOverlapData d;
  sample_overlap (&d);
  Figure f = { "overlap", (TgPlotFunc) tg_plot_overlap, &d };
  check_figure (&f, TRUE);
}

static void
test_table (void)
{
  TgResultsData d;
  sample_table (&d);
  Figure f = { "table", (TgPlotFunc) tg_plot_results_table, &d };
  check_figure (&f, TRUE);
}

/* The lambda / s frontier: 3 lambdas x 2 s with error bars and speedups; then empty, NULL
 * and all-NaN data, which must give the "no sweep yet" figure. */
static void
test_sparsity (void)
{
  TgSparsityPoint pts[6];
  for (guint k = 0; k < 6; k++)
    {
      double lambda = (k / 2) * 0.5, s = k % 2 ? 20.0 : 5.0;
      pts[k] = (TgSparsityPoint) { lambda, s, 0.75 - 0.1 * lambda - 0.01 * (k % 2), 0.01,
                                   0.866 - 0.004 * lambda, 0.003, 0.002 - 0.003 * (k % 2),
                                   0.001, 2.7 + 0.2 * lambda };
    }
  TgSparsityData d = { G_N_ELEMENTS (pts), pts, NULL, NULL, "A sweep." };
  Figure f = { "sparsity", (TgPlotFunc) tg_plot_sparsity, &d };
  check_figure (&f, TRUE);

  TgSparsityPoint nan_pts[2] = {
    { 0.0, 5.0, NAN, NAN, NAN, NAN, NAN, NAN, NAN },
    { 1.0, 5.0, NAN, NAN, NAN, NAN, NAN, NAN, NAN },
  };
  TgSparsityData empty = { 0 }, nan_data = { 2, nan_pts, NULL, NULL, NULL };
  Figure figs[] = {
    { "empty-sparsity", (TgPlotFunc) tg_plot_sparsity, &empty },
    { "null-sparsity", (TgPlotFunc) tg_plot_sparsity, NULL },
    { "nan-sparsity", (TgPlotFunc) tg_plot_sparsity, &nan_data },
  };
  for (guint i = 0; i < G_N_ELEMENTS (figs); i++)
    check_figure (&figs[i], FALSE);
}

/* ---- empty, NULL and NaN data ---- */

static void
test_empty (void)
{
  TgBarsData bars = { 0 };
  TgCurvesData curves = { 0 };
  TgHeatmapData heat = { 0 };
  TgMasksData masks = { 0 };
  TgOverlapData overlap = { 0 };
  TgResultsData table = { 0 };
  Figure figs[] = {
    { "empty-bars", (TgPlotFunc) tg_plot_bars, &bars },
    { "empty-curves", (TgPlotFunc) tg_plot_curves, &curves },
    { "empty-heatmap", (TgPlotFunc) tg_plot_heatmap, &heat },
    { "empty-masks", (TgPlotFunc) tg_plot_masks, &masks },
    { "empty-overlap", (TgPlotFunc) tg_plot_overlap, &overlap },
    { "empty-table", (TgPlotFunc) tg_plot_results_table, &table },
    { "null-bars", (TgPlotFunc) tg_plot_bars, NULL },
    { "null-curves", (TgPlotFunc) tg_plot_curves, NULL },
    { "null-heatmap", (TgPlotFunc) tg_plot_heatmap, NULL },
    { "null-masks", (TgPlotFunc) tg_plot_masks, NULL },
    { "null-overlap", (TgPlotFunc) tg_plot_overlap, NULL },
    { "null-table", (TgPlotFunc) tg_plot_results_table, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (figs); i++)
    check_figure (&figs[i], FALSE);
}

static void
test_nan (void)
{
  static const double nan2[4] = { NAN, NAN, NAN, NAN };
  static const char *labels[2] = { "A", "B" };
  TgBarsData bars = { 2, labels, 2, labels, nan2, nan2, nan2, "paper", "t", "y", "c", 0, 0 };
  Figure fb = { "nan-bars", (TgPlotFunc) tg_plot_bars, &bars };
  check_figure (&fb, FALSE);

  /* A run with points but no finite value, and a run whose only value is one point. */
  static const double step[3] = { 0, 1, 2 }, nan3[3] = { NAN, NAN, NAN };
  static const double one[3] = { NAN, 0.5, NAN };
  TgCurveRun runs[2] = { { "nan", 3, step, nan3, nan3, nan3 }, { "one", 3, step, one, NULL, NULL } };
  TgCurvesData curves = { 0 };
  curves.n_runs = 1;
  curves.runs = runs;
  curves.smoothing = 0.5;
  curves.hover = TRUE;
  curves.hover_step = 1;
  Figure fc = { "nan-curves", (TgPlotFunc) tg_plot_curves, &curves };
  check_figure (&fc, FALSE);
  curves.n_runs = 2;
  g_autofree char *p = tmp_path ("one-point.pdf");
  g_assert_true (tg_plot_export (p, W, H, (TgPlotFunc) tg_plot_curves, &curves, NULL, NULL));
  assert_one_page_pdf (p);

  /* Heatmap / masks / overlap with NaN values must still export. */
  /* Big enough for every use below: 10 classes x 128 units for the masks. */
  static float fnan[10 * SAMPLE_UNITS];
  for (guint i = 0; i < G_N_ELEMENTS (fnan); i++)
    fnan[i] = NAN;
  TgHeatmapPanel panel = { "τ", SAMPLE_UNITS, fnan, 0.0, 0.0, 200 /* out of range */ };
  TgHeatmapData heat = { 1, &panel, 0, 0, NULL, NULL };
  TgMasksLayer layer = { "hidden 1", SAMPLE_UNITS, 0, fnan, NULL };
  TgMasksData masks = { 1, &layer, 0, NAN, FALSE, NULL, NULL };
  double jnan[2] = { NAN, NAN };
  TgOverlapData overlap = { 2, labels, jnan, NULL, jnan, "paper", SAMPLE_UNITS, fnan, fnan,
                            0.9, NULL, NULL };
  Figure more[] = {
    { "nan-heatmap", (TgPlotFunc) tg_plot_heatmap, &heat },
    { "nan-masks", (TgPlotFunc) tg_plot_masks, &masks },
    { "nan-overlap", (TgPlotFunc) tg_plot_overlap, &overlap },
  };
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.pdf", more[i].name);
      g_autofree char *path = tmp_path (file);
      g_autoptr(GError) error = NULL;
      g_assert_true (tg_plot_export (path, W, H, more[i].func, more[i].data, NULL, &error));
      g_assert_no_error (error);
      assert_one_page_pdf (path);
    }
}

/* ---- export failures ---- */

static void
test_export_errors (void)
{
  TgBarsData d;
  sample_bars (&d, 5);
  g_autoptr(GError) error = NULL;

  /* Tests may run as root, so "no permission" is not reliable: a regular file as the parent
   * directory fails for everyone. */
  g_autofree char *file = tmp_path ("not-a-dir");
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_autofree char *bad = g_build_filename (file, "x.pdf", NULL);
  g_assert_false (tg_plot_export (bad, W, H, (TgPlotFunc) tg_plot_bars, &d, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, bad));
  g_clear_error (&error);

  g_autofree char *bad_png = g_build_filename (file, "x.png", NULL);
  g_assert_false (tg_plot_export (bad_png, W, H, (TgPlotFunc) tg_plot_bars, &d, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, bad_png));
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (tmp_dir, "no", "such", "dir", "x.svg", NULL);
  g_assert_false (tg_plot_export (missing, W, H, (TgPlotFunc) tg_plot_bars, &d, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_autofree char *unknown = tmp_path ("figure.jpeg");
  g_assert_false (tg_plot_export (unknown, W, H, (TgPlotFunc) tg_plot_bars, &d, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, unknown));
  g_assert_false (g_file_test (unknown, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_autofree char *no_ext = tmp_path ("figure");
  g_assert_false (tg_plot_export (no_ext, W, H, (TgPlotFunc) tg_plot_bars, &d, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_autofree char *tiny = tmp_path ("tiny.png");
  g_assert_false (tg_plot_export (tiny, 0, H, (TgPlotFunc) tg_plot_bars, &d, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  assert_no_leftovers ();
}

static void
test_export_replaces (void)
{
  TgBarsData d;
  sample_bars (&d, 5);
  g_autofree char *path = tmp_path ("replace.pdf");
  g_assert_true (g_file_set_contents (path, "old contents", -1, NULL));
  g_assert_true (tg_plot_export (path, W, H, (TgPlotFunc) tg_plot_bars, &d, NULL, NULL));
  assert_one_page_pdf (path);
  assert_no_leftovers ();
}

/* ---- helpers the figures and the window rely on ---- */

static void
test_axis (void)
{
  TgAxis ax;
  tg_axis_init (&ax, 0.783, 0.892, 5, TRUE);
  g_assert_cmpfloat (ax.lo, <=, 0.783);
  g_assert_cmpfloat (ax.hi, >=, 0.892);
  g_assert_cmpuint (ax.n_ticks, >=, 3);
  g_assert_cmpuint (ax.n_ticks, <=, 10);
  for (guint i = 0; i + 1 < ax.n_ticks; i++)
    {
      double step = ax.ticks[i + 1] - ax.ticks[i];
      g_assert_cmpfloat (step, >, 0);
      /* Nice steps: 1, 2, 2.5 or 5 times a power of ten. */
      double f = step / pow (10.0, floor (log10 (step) + 1e-9));
      g_assert_true (fabs (f - 1) < 1e-6 || fabs (f - 2) < 1e-6 || fabs (f - 2.5) < 1e-6 ||
                     fabs (f - 5) < 1e-6);
    }
  tg_axis_place (&ax, 300, 20);
  g_assert_cmpfloat (fabs (tg_axis_map (&ax, ax.lo) - 300), <, 1e-9);
  g_assert_cmpfloat (fabs (tg_axis_map (&ax, ax.hi) - 20), <, 1e-9);
  g_assert_cmpfloat (fabs (tg_axis_unmap (&ax, tg_axis_map (&ax, 0.85)) - 0.85), <, 1e-12);
  g_assert_cmpfloat (tg_axis_map_clamped (&ax, 5.0), ==, 20);

  /* Degenerate and non-finite ranges still give a usable axis. */
  tg_axis_init (&ax, 0.5, 0.5, 5, TRUE);
  g_assert_cmpfloat (ax.hi, >, ax.lo);
  g_assert_cmpuint (ax.n_ticks, >=, 2);
  tg_axis_init (&ax, NAN, INFINITY, 5, TRUE);
  g_assert_cmpfloat (ax.hi, >, ax.lo);
  tg_axis_init (&ax, 0, 0, 5, FALSE);
  g_assert_cmpfloat (ax.hi, >, ax.lo);
}

static double
luminance (TgRgba c)
{
  return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

static void
test_styles (void)
{
  TgPlotStyle st[2];
  tg_plot_style_init_light (&st[0]);
  tg_plot_style_init_dark (&st[1]);
  for (int s = 0; s < 2; s++)
    {
      g_assert_cmpfloat (fabs (luminance (st[s].foreground) - luminance (st[s].background)), >,
                         0.7);
      g_assert_cmpfloat (fabs (luminance (st[s].muted) - luminance (st[s].background)), >,
                         0.3);
      g_assert_nonnull (st[s].font_family);
      g_assert_cmpfloat (st[s].font_size, >, 4);
      /* The first two series (0 deg, 45 deg) must be told apart and seen on the background. */
      TgRgba a = st[s].series[0], b = st[s].series[1];
      g_assert_cmpfloat (fabs (a.r - b.r) + fabs (a.g - b.g) + fabs (a.b - b.b), >, 0.5);
      for (int i = 0; i < 8; i++)
        for (int j = 0; j < i; j++)
          g_assert_false (memcmp (&st[s].series[i], &st[s].series[j], sizeof (TgRgba)) == 0);
    }
  g_assert_cmpfloat (luminance (st[0].background), >, luminance (st[1].background));
}

static void
test_heatmap_hit (void)
{
  TgHeatmapData d;
  TgPlotStyle st;
  tg_plot_style_init_light (&st);
  sample_heatmap (&d);
  guint hits = 0, panel, unit;
  gboolean seen_first = FALSE, seen_last = FALSE;
  for (double y = 0; y < H; y += 1.5)
    for (double x = 0; x < W; x += 1.5)
      if (tg_plot_heatmap_hit (W, H, &d, &st, x, y, &panel, &unit))
        {
          hits++;
          g_assert_cmpuint (panel, <, d.n_panels);
          g_assert_cmpuint (unit, <, d.panels[panel].n_units);
          seen_first |= panel == 0 && unit == 0;
          seen_last |= panel == 3 && unit == 127;
        }
  g_assert_true (seen_first);
  g_assert_true (seen_last);
  g_assert_cmpuint (hits, >, 1000);
  g_assert_false (tg_plot_heatmap_hit (W, H, &d, &st, 1, 1, &panel, &unit));
  g_assert_false (tg_plot_heatmap_hit (W, H, NULL, &st, 100, 100, &panel, &unit));
}

static void
test_curves_step_at (void)
{
  TgCurvesData d;
  TgPlotStyle st;
  tg_plot_style_init_light (&st);
  sample_curves (&d, 0.6, FALSE);
  g_assert_true (isnan (tg_plot_curves_step_at (W, H, &d, &st, 0)));
  g_assert_true (isnan (tg_plot_curves_step_at (W, H, &d, &st, W - 1)));
  double prev = -1;
  guint finite = 0;
  for (double x = 0; x < W; x += 4)
    {
      double s = tg_plot_curves_step_at (W, H, &d, &st, x);
      if (isnan (s))
        continue;
      finite++;
      g_assert_cmpfloat (s, >=, 0);
      g_assert_cmpfloat (s, <=, SAMPLE_STEPS);
      g_assert_cmpfloat (s, >, prev);
      prev = s;
    }
  g_assert_cmpuint (finite, >, 100);
  TgCurvesData empty = { 0 };
  g_assert_true (isnan (tg_plot_curves_step_at (W, H, &empty, &st, W / 2)));
}

/* Drawing onto a context whose surface is already in an error state does not crash (the
 * surface was made broken here: this is not the export's failure path, see below). */
static void
test_draw_on_error_surface (void)
{
  TgBarsData d;
  TgPlotStyle st;
  sample_bars (&d, 5);
  tg_plot_style_init_light (&st);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, -1, -1);
  cairo_t *cr = cairo_create (s);
  tg_plot_bars (cr, W, H, &d, &st);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* The export's own failure path: the figure renders, then writing it fails (a file-size
 * limit of 1 KiB, so EFBIG even for root). An error naming the target, nothing left
 * behind, in a subprocess so the limit stays there. */
static void
test_export_write_fails (void)
{
  if (g_test_subprocess ())
    {
      TgBarsData d;
      sample_bars (&d, 5);
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_build_filename (tmp_dir, "write-fails", NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_autofree char *path = g_build_filename (dir, "figure.pdf", NULL);
      struct rlimit lim = { 1024, 1024 };
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &lim), ==, 0);
      g_assert_false (tg_plot_export (path, W, H, (TgPlotFunc) tg_plot_bars, &d, NULL, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
      g_autoptr(GDir) left = g_dir_open (dir, 0, NULL);
      g_assert_nonnull (left);
      g_assert_null (g_dir_read_name (left));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-plot-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/plot/axis", test_axis);
  g_test_add_func ("/plot/styles", test_styles);
  g_test_add_func ("/plot/bars", test_bars);
  g_test_add_func ("/plot/curves", test_curves);
  g_test_add_func ("/plot/curves/step-at", test_curves_step_at);
  g_test_add_func ("/plot/heatmap", test_heatmap);
  g_test_add_func ("/plot/heatmap/hit", test_heatmap_hit);
  g_test_add_func ("/plot/masks", test_masks);
  g_test_add_func ("/plot/overlap", test_overlap);
  g_test_add_func ("/plot/table", test_table);
  g_test_add_func ("/plot/sparsity", test_sparsity);
  g_test_add_func ("/plot/empty", test_empty);
  g_test_add_func ("/plot/nan", test_nan);
  g_test_add_func ("/plot/export/errors", test_export_errors);
  g_test_add_func ("/plot/export/replaces", test_export_replaces);
  g_test_add_func ("/plot/draw-on-error-surface", test_draw_on_error_surface);
  g_test_add_func ("/plot/export/write-fails", test_export_write_fails);

  ret = g_test_run ();
  cli_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
