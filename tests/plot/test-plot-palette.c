/* SPDX-License-Identifier: MIT */
/* test-plot-palette.c — every categorical colour (a run, a mode, a layer) reads against every
 * background it is drawn on: WCAG 2's contrast ratio of at least 3:1 for graphics, in the
 * light and the dark style, on the style's own background (export), on the window behind a
 * studio view (GTK 4.8's Adwaita, which the views let show through) and on the darker of
 * the two phase tints the curves lay over it. */
#include <glib.h>
#include <math.h>

#include "tg-plot.h"

#define MIN_CONTRAST 3.0

/* Adwaita's window background in GTK 4.8 (read from the studio's screenshots) */
static const TgRgba adwaita_light = { 0xf6 / 255.0, 0xf5 / 255.0, 0xf4 / 255.0, 1 };
static const TgRgba adwaita_dark = { 0x35 / 255.0, 0x35 / 255.0, 0x35 / 255.0, 1 };

/* the stronger of the curves' two phase tints (tg-plot-curves.c, shade_phases) */
#define PHASE_TINT 0.15

static double
channel (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (TgRgba c)
{
  return 0.2126 * channel (c.r) + 0.7152 * channel (c.g) + 0.0722 * channel (c.b);
}

static double
contrast (TgRgba a, TgRgba b)
{
  double la = luminance (a), lb = luminance (b);
  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static TgRgba
over (TgRgba bg, TgRgba fg, double alpha)
{
  return (TgRgba) { bg.r + (fg.r - bg.r) * alpha, bg.g + (fg.g - bg.g) * alpha,
                    bg.b + (fg.b - bg.b) * alpha, 1 };
}

static void
check_style (const TgPlotStyle *st, TgRgba window, const char *name)
{
  const struct { const char *what; TgRgba bg; } bgs[] = {
    { "its background", st->background },
    { "the window", window },
    { "a phase tint", over (window, st->muted, PHASE_TINT) },
  };
  guint faults = 0, checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (st->series); i++)
    for (guint b = 0; b < G_N_ELEMENTS (bgs); b++)
      {
        double c = contrast (st->series[i], bgs[b].bg);
        checked++;
        g_test_message ("%s colour %u (#%02X%02X%02X) on %s: %.2f:1", name, i,
                        (int) round (st->series[i].r * 255), (int) round (st->series[i].g * 255),
                        (int) round (st->series[i].b * 255), bgs[b].what, c);
        if (c < MIN_CONTRAST)
          faults++;
      }
  g_assert_cmpuint (checked, ==, 24);
  g_assert_cmpuint (faults, ==, 0);
}

static void
test_light (void)
{
  TgPlotStyle st;
  tg_plot_style_init_light (&st);
  check_style (&st, adwaita_light, "light");
}

static void
test_dark (void)
{
  TgPlotStyle st;
  tg_plot_style_init_dark (&st);
  check_style (&st, adwaita_dark, "dark");
}

/* Eight colours, no two alike. */
static void
test_distinct (void)
{
  TgPlotStyle styles[2];
  tg_plot_style_init_light (&styles[0]);
  tg_plot_style_init_dark (&styles[1]);
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < 8; i++)
      for (guint j = i + 1; j < 8; j++)
        {
          TgRgba a = styles[s].series[i], b = styles[s].series[j];
          double d = fabs (a.r - b.r) + fabs (a.g - b.g) + fabs (a.b - b.b);
          g_assert_cmpfloat (d, >, 0.1);
        }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/palette/light-contrast", test_light);
  g_test_add_func ("/plot/palette/dark-contrast", test_dark);
  g_test_add_func ("/plot/palette/distinct", test_distinct);
  return g_test_run ();
}
