/* SPDX-License-Identifier: MIT */
/* test-plot-modes.c — the modes-by-angle figure draws what it is given: every mode's colour
 * appears, a mode's curve is where its values say, and no data gives the "no data" figure,
 * not an empty or crashing one. */
#include "tg-plot.h"

#include <math.h>
#include <string.h>

static cairo_surface_t *
render (const TgModesByAngleData *d)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 420);
  cairo_t *cr = cairo_create (s);
  TgPlotStyle st;
  tg_plot_style_init_light (&st);
  tg_plot_modes_by_angle (cr, 640, 420, d, &st);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* Pixels within a small distance of colour c, in the rows [y0, y1). */
static guint
count_color (cairo_surface_t *s, TgRgba c, int y0, int y1)
{
  const guint8 *p = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s), w = cairo_image_surface_get_width (s);
  guint n = 0;
  for (int y = y0; y < y1; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 px;
        memcpy (&px, p + (size_t) y * stride + 4 * x, 4);
        int r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
        if (abs (r - (int) (c.r * 255)) < 12 && abs (g - (int) (c.g * 255)) < 12
            && abs (b - (int) (c.b * 255)) < 12)
          n++;
      }
  return n;
}

static void
test_curves (void)
{
  TgPlotStyle st;
  tg_plot_style_init_light (&st);
  const char *names[] = { "Base", "TauGate 45°" };
  double targets[] = { NAN, 45 };
  double angles[] = { 0, 45, 90, 135, 180 };
  /* Base high everywhere; the adapter low everywhere */
  double acc[] = { 0.95, 0.95, 0.95, 0.95, 0.95, 0.15, 0.15, 0.15, 0.15, 0.15 };
  TgModesByAngleData d = { .n_modes = 2, .n_angles = 5, .names = names,
                           .target_angles = targets, .angles = angles, .acc = acc,
                           .caption = "caption" };
  cairo_surface_t *s = render (&d);
  /* Base's colour in the upper half of the plot, the adapter's in the lower half */
  guint base_top = count_color (s, st.series[0], 60, 210);
  guint base_bottom = count_color (s, st.series[0], 210, 340);
  guint ad_top = count_color (s, st.series[1], 80, 210);
  guint ad_bottom = count_color (s, st.series[1], 210, 340);
  g_test_message ("base %u/%u, adapter %u/%u", base_top, base_bottom, ad_top, ad_bottom);
  g_assert_cmpuint (base_top, >, 200);
  g_assert_cmpuint (ad_bottom, >, 200);
  g_assert_cmpuint (base_bottom, <, base_top / 10);
  cairo_surface_destroy (s);

  /* nothing to draw: the no-data figure, without either colour in the plot area */
  TgModesByAngleData empty = { 0 };
  s = render (&empty);
  g_assert_cmpuint (count_color (s, st.series[0], 60, 340), <, 20);
  cairo_surface_destroy (s);
}

/* The numbers beside the figure: a row per mode and angle, exactly the values drawn, an
 * empty field where the hard gates were not measured or the mode has no training angle. */
static void
test_csv (void)
{
  const char *names[] = { "Base", "TauGate, 45°" };
  double targets[] = { NAN, 45 };
  double angles[] = { 0, 45 };
  double acc[] = { 0.95, 0.5, 0.25, 0.875 };
  double hard[] = { 0.9375, NAN, 0.125, 0.75 };
  TgModesByAngleData d = { .n_modes = 2, .n_angles = 2, .names = names,
                           .target_angles = targets, .angles = angles, .acc = acc,
                           .acc_hard = hard };
  g_autofree char *csv = tg_plot_modes_by_angle_csv (&d);
  g_assert_cmpstr (csv, ==,
                   "mode,target_angle,angle,acc_soft,acc_hard\n"
                   "Base,,0,0.95,0.9375\n"
                   "Base,,45,0.5,\n"
                   "\"TauGate, 45°\",45,0,0.25,0.125\n"
                   "\"TauGate, 45°\",45,45,0.875,0.75\n");
  d.acc_hard = NULL;
  g_autofree char *soft = tg_plot_modes_by_angle_csv (&d);
  g_assert_true (g_str_has_suffix (soft, ",45,45,0.875,\n"));
  /* an export that leaves Base out: the rows are copied, the data's arrays untouched */
  d.acc_hard = hard;
  const char *kept_names[2];
  double kept_targets[2], kept_acc[4], kept_hard[4];
  const char *const excluded[] = { "Base", NULL };
  tg_plot_modes_exclude (&d, kept_names, kept_targets, kept_acc, kept_hard, excluded);
  g_assert_cmpuint (d.n_modes, ==, 1);
  g_autofree char *kept = tg_plot_modes_by_angle_csv (&d);
  g_assert_cmpstr (kept, ==,
                   "mode,target_angle,angle,acc_soft,acc_hard\n"
                   "\"TauGate, 45°\",45,0,0.25,0.125\n"
                   "\"TauGate, 45°\",45,45,0.875,0.75\n");
  g_assert_cmpfloat (acc[0], ==, 0.95);
  g_autofree char *none = tg_plot_modes_by_angle_csv (NULL);
  g_assert_cmpstr (none, ==, "mode,target_angle,angle,acc_soft,acc_hard\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/modes-by-angle", test_curves);
  g_test_add_func ("/plot/modes-by-angle/csv", test_csv);
  return g_test_run ();
}
