/* SPDX-License-Identifier: MIT */
/* test-plot-dynamics.c — the gate-dynamics renderer: draws something in light and dark, says
 * so when there is nothing to draw, exports to PDF, SVG and PNG, and its CSV holds
 * exactly the numbers drawn (NAN as an empty field). */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include "tg-plot.h"

#define N 12

typedef struct {
  double step[N], high[N], g0[N], gr[N], u0[N], ur[N], j[N];
  TgDynamicsLayer layer;
  TgPlotMarker marker;
  TgDynamicsData data;
} Sample;

static void
sample_init (Sample *s, double drop)
{
  for (int i = 0; i < N; i++)
    {
      s->step[i] = 100 + 10 * i;
      double d = i >= N / 2 ? drop : 0;
      s->g0[i] = 0.7 - d;
      s->gr[i] = 0.72 - d;
      s->u0[i] = 90 - 100 * d;
      s->ur[i] = 92 - 100 * d;
      s->j[i] = 0.6;
      s->high[i] = i == 0 ? NAN : 0.5 - d;
    }
  s->layer = (TgDynamicsLayer) { "hidden 1", s->g0, s->gr, s->u0, s->ur, s->j };
  s->marker = (TgPlotMarker) { 160, "λ=0.1" };
  s->data = (TgDynamicsData) { N, s->step, s->high, 1, &s->layer, 1, &s->marker, "45° inputs",
                               NULL, NULL, "caption" };
}

/* How many pixels of the figure differ from its top-left one (the background). */
static double
ink (const TgDynamicsData *d, gboolean dark)
{
  TgPlotStyle st;
  tg_plot_style_init (&st, dark ? TG_PLOT_BACKGROUND_DARK : TG_PLOT_BACKGROUND_LIGHT);
  st.draw_background = TRUE;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 400);
  cairo_t *cr = cairo_create (s);
  tg_plot_dynamics (cr, 600, 400, d, &st);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  const guint8 *px = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  guint32 first = *(const guint32 *) px;
  guint differ = 0;
  for (int y = 0; y < 400; y++)
    for (int x = 0; x < 600; x++)
      differ += (*(const guint32 *) (px + y * stride + 4 * x) & 0xffffff) != (first & 0xffffff);
  cairo_surface_destroy (s);
  return differ;
}

static void
test_draws (void)
{
  Sample s;
  sample_init (&s, 0.2);
  g_assert_cmpfloat (ink (&s.data, FALSE), >, 2000);
  g_assert_cmpfloat (ink (&s.data, TRUE), >, 2000);
  /* nothing to draw: still a figure with its frame, and more drawn with the data */
  TgDynamicsData empty = { 0 };
  g_assert_cmpfloat (ink (&empty, FALSE), >, 0);
  g_assert_cmpfloat (ink (&empty, FALSE), <, ink (&s.data, FALSE));
}

static void
test_csv (void)
{
  Sample s;
  sample_init (&s, 0.2);
  g_autofree char *csv = tg_plot_dynamics_csv (&s.data);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "step,layer,mean_gate0,mean_gate_target,units_on0,"
                                 "units_on_target,high_act,jaccard");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + N + 1);
  g_assert_cmpstr (lines[1], ==, "100,hidden 1,0.7,0.72,90,92,,0.6");   /* NAN: empty */
  g_auto (GStrv) f = g_strsplit (lines[N], ",", -1);
  g_assert_cmpfloat (g_ascii_strtod (f[2], NULL), ==, 0.7 - 0.2);
  g_assert_cmpfloat (g_ascii_strtod (f[0], NULL), ==, 210);
  g_autofree char *none = tg_plot_dynamics_csv (NULL);
  g_assert_cmpstr (none, ==, "step,layer,mean_gate0,mean_gate_target,units_on0,"
                             "units_on_target,high_act,jaccard\n");
}

static void
test_export (void)
{
  Sample s;
  sample_init (&s, 0.2);
  g_autofree char *dir = g_dir_make_tmp ("tg-dynamics-XXXXXX", NULL);
  const char *exts[] = { "pdf", "svg", "png" };
  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = g_strdup_printf ("%s/d.%s", dir, exts[i]);
      g_assert_true (tg_plot_export (path, 500, 320, (TgPlotFunc) tg_plot_dynamics, &s.data,
                                     NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/dynamics/draws", test_draws);
  g_test_add_func ("/plot/dynamics/csv", test_csv);
  g_test_add_func ("/plot/dynamics/export", test_export);
  return g_test_run ();
}
