/* SPDX-License-Identifier: MIT */
/* plot-demo.c — renders every figure with sample data, light and dark, to PDF and PNG in a
 * directory, for a person to look at: `plot-demo OUTDIR [W H | SIZE]`, SIZE a preset such as
 * "single" (with its font size) or "3.5x2.5in". Not a test. */
#include <glib.h>
#include <string.h>
#include "plot-samples.h"

static void
out (const char *dir, const char *name, const char *style_name, const char *ext,
     TgPlotFunc f, gconstpointer data, const TgPlotStyle *st, double w, double h)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s-%s.%s", name, style_name, ext);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  if (!tg_plot_export (path, w, h, f, data, st, &error))
    g_printerr ("%s\n", error->message);
}

int
main (int argc, char **argv)
{
  const char *dir = argc > 1 ? argv[1] : ".";
  double w = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 640;
  double h = argc > 3 ? g_ascii_strtod (argv[3], NULL) : 400;
  double font_size = 10.0;
  TgPlotStyle styles[2];
  if (argc == 3)
    {
      g_autoptr(GError) error = NULL;
      if (!tg_plot_size_parse (argv[2], &w, &h, &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      font_size = tg_plot_size_font_size (argv[2]);
    }
  const char *names[2] = { "light", "dark" };
  TgBarsData bars5, bars7, bars_empty = { 0 };
  TgCurvesData curves, curves_raw, curves_empty = { 0 };
  TgHeatmapData heat, heat_empty = { 0 };
  TgMasksData masks, masks_empty = { 0 };
  TgOverlapData overlap, overlap_empty = { 0 };
  TgResultsData table, table_empty = { 0 };

  tg_plot_style_init_light (&styles[0]);
  tg_plot_style_init_dark (&styles[1]);
  styles[0].font_size = styles[1].font_size = font_size;
  sample_bars (&bars5, 7);
  /* The paper's Figure 1 groups. */
  static const char *fig1_labels[5] = { "Frozen", "BitFit", "TauGate", "LoRA r=8", "Full FT" };
  bars5.n_groups = 5;
  sample_bars (&bars7, 7);
  bars5.group_labels = fig1_labels;
  static double m5[10], e5[10], r5[10];
  static const guint pick[5] = { 0, 1, 2, 5, 6 };
  for (guint i = 0; i < 5; i++)
    for (guint s = 0; s < 2; s++)
      {
        m5[i * 2 + s] = bars7.mean[pick[i] * 2 + s];
        e5[i * 2 + s] = bars7.err[pick[i] * 2 + s];
        r5[i * 2 + s] = bars7.ref[pick[i] * 2 + s];
      }
  bars5.mean = m5, bars5.err = e5, bars5.ref = r5;
  TgBarsData bars_long = bars7;
  static const char *long_labels[7] = { "Frozen (no adapt)", "BitFit (bias-only)",
                                        "TauGate (threshold tuning)", "GainOnly (activation scales)",
                                        "TauOnly (thresholds)", "LoRA (r=8)", "Full FT" };
  bars_long.group_labels = long_labels;
  sample_curves (&curves, 0.9, TRUE);
  sample_curves (&curves_raw, 0.0, FALSE);
  TgCurvesData dense;
  sample_curves (&dense, 0.6, FALSE);
  static TgPlotMarker many[14];
  static char many_labels[14][16];
  for (guint i = 0; i < 14; i++)
    {
      g_snprintf (many_labels[i], sizeof many_labels[i], "s=%u", 5 + i);
      many[i] = (TgPlotMarker) { 480 + 8 * i, many_labels[i] };
    }
  dense.markers = many;
  dense.n_markers = 14;
  sample_heatmap (&heat);
  sample_masks (&masks);
  sample_overlap (&overlap);
  sample_table (&table);

  for (int s = 0; s < 2; s++)
    for (int e = 0; e < 2; e++)
      {
        const char *ext = e == 0 ? "pdf" : "png";
        const TgPlotStyle *st = &styles[s];
        out (dir, "bars5", names[s], ext, (TgPlotFunc) tg_plot_bars, &bars5, st, w, h);
        out (dir, "bars7", names[s], ext, (TgPlotFunc) tg_plot_bars, &bars7, st, w, h);
        out (dir, "bars-long", names[s], ext, (TgPlotFunc) tg_plot_bars, &bars_long, st, w, h);
        out (dir, "curves", names[s], ext, (TgPlotFunc) tg_plot_curves, &curves, st, w, h);
        out (dir, "curves-raw", names[s], ext, (TgPlotFunc) tg_plot_curves, &curves_raw, st, w, h);
        out (dir, "curves-dense", names[s], ext, (TgPlotFunc) tg_plot_curves, &dense, st, w, h);
        out (dir, "heatmap", names[s], ext, (TgPlotFunc) tg_plot_heatmap, &heat, st, w, h);
        out (dir, "masks", names[s], ext, (TgPlotFunc) tg_plot_masks, &masks, st, w, h);
        out (dir, "overlap", names[s], ext, (TgPlotFunc) tg_plot_overlap, &overlap, st, w, h);
        out (dir, "table", names[s], ext, (TgPlotFunc) tg_plot_results_table, &table, st, w, h);
        out (dir, "empty-bars", names[s], ext, (TgPlotFunc) tg_plot_bars, &bars_empty, st, w, h);
        out (dir, "empty-curves", names[s], ext, (TgPlotFunc) tg_plot_curves, &curves_empty, st, w, h);
        out (dir, "empty-heatmap", names[s], ext, (TgPlotFunc) tg_plot_heatmap, &heat_empty, st, w, h);
        out (dir, "empty-masks", names[s], ext, (TgPlotFunc) tg_plot_masks, &masks_empty, st, w, h);
        out (dir, "empty-overlap", names[s], ext, (TgPlotFunc) tg_plot_overlap, &overlap_empty, st, w, h);
        out (dir, "empty-table", names[s], ext, (TgPlotFunc) tg_plot_results_table, &table_empty, st, w, h);
      }
  return 0;
}
