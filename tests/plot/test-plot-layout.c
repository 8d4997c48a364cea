/* SPDX-License-Identifier: MIT */
/* test-plot-layout.c — every figure, at every size preset, read back from the PDF itself:
 * the page has the requested size, every word lies inside the page, no two words overlap,
 * no text is smaller than the requested font size minus 1 pt, and every font is embedded
 * and subset (pdffonts).
 *
 * Every renderer is here: bars, Figure 1, curves, dynamics, heatmaps, masks, overlap, the
 * results table, sparsity, modes by angle, the unit inspector and the digit pad.
 *
 * The PDF is read with poppler's `pdftotext -bbox-layout` (poppler-utils) by the checks in
 * tests/pdf-layout.c, which the studio's export test shares; without it the test is skipped. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tg-plot.h"
#include "tg-plot-private.h"
#include "plot-samples.h"
#include "pdf-layout.h"

static char *tmp_dir;
static double box_per_pt;   /* word box height per point of font size */

static void
test_calibrate (void)
{
  box_per_pt = pdf_calibrate (tmp_dir);
}

typedef struct {
  const char   *name;
  TgPlotFunc    func;
  gconstpointer data;
} Figure;

static GString *faults;

/* Figure 1 of three seeds of every method, at the paper's setting (so with its markers). */
static void
sample_figure1 (TgFigure1Data *fig)
{
  TgExperimentResults res = { .runs = g_array_new (FALSE, TRUE, sizeof (TgRunResult)) };
  tg_experiment_config_init_paper (&res.config);
  res.config.seeds = 3;
  for (guint32 s = 0; s < 3; s++)
    for (int k = 0; k < TG_N_METHODS; k++)
      {
        TgRunResult r = { .seed_index = s, .method = (TgMethod) k,
                          .acc0 = 0.83 + 0.01 * k + 0.002 * s,
                          .acc_rot = 0.84 + 0.006 * k - 0.003 * s, .high_act = NAN };
        g_array_append_val (res.runs, r);
      }
  tg_figure1_data_fill (fig, &res);
  g_array_unref (res.runs);
}

static void
check_layout (const Figure *f, const char *preset)
{
  double w, h;
  g_autoptr(GError) error = NULL;
  TgPlotStyle st;

  g_assert_true (tg_plot_size_parse (preset, &w, &h, &error));
  g_assert_no_error (error);
  tg_plot_style_init_light (&st);
  st.font_size = tg_plot_size_font_size (preset);
  g_autofree char *file = g_strdup_printf ("%s-%s.pdf", f->name, preset);
  g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
  g_assert_true (tg_plot_export (path, w, h, f->func, f->data, &st, &error));
  g_assert_no_error (error);
  pdf_check_layout (path, file, w, h, st.font_size, box_per_pt, faults);
}

/* The hard cases of bars and curves: labels longer than their groups, fourteen setting
 * markers, phases narrower than their labels. */
static void
sample_hard_cases (TgBarsData *bars_long, TgCurvesData *dense, TgCurvesData *narrow)
{
  /* a short cached foundation and a short first adaptation: labels wider than their phases */
  static TgPlotPhase narrow_phases[3] = { { 0, 30, "foundation (cached)" },
                                          { 30, 60, "adaptation" }, { 60, 704, "adaptation" } };
  static const char *long_labels[7] = { "Frozen (no adapt)", "BitFit (bias-only)",
                                        "TauGate (threshold tuning)",
                                        "GainOnly (activation scales)", "TauOnly (thresholds)",
                                        "LoRA (r=8)", "Full FT" };
  static TgPlotMarker many[14];
  static char many_labels[14][16];

  sample_bars (bars_long, 7);
  bars_long->group_labels = long_labels;
  bars_long->title = "Test accuracy after specialising to the 45° mode, mean over seeds";
  sample_curves (dense, 0.6, FALSE);
  for (guint i = 0; i < 14; i++)
    {
      g_snprintf (many_labels[i], sizeof many_labels[i], "s=%u", 5 + i);
      many[i] = (TgPlotMarker) { 480 + 8 * i, many_labels[i] };
    }
  dense->markers = many;
  dense->n_markers = 14;
  sample_curves (narrow, 0.6, FALSE);
  narrow->phases = narrow_phases;
  narrow->n_phases = 3;
}

static void
test_presets (void)
{
  static TgBarsData bars5, bars7, bars_long, bars_empty;
  static TgCurvesData curves, curves_raw, dense, curves_empty, narrow;
  static TgHeatmapData heat, heat_empty;
  static TgMasksData masks, masks_empty;
  static TgOverlapData overlap, overlap_empty;
  static TgResultsData table, table_empty;
  static TgDynamicsData dynamics, dynamics_empty;
  static TgSparsityData sparsity, sparsity_empty;
  static TgModesByAngleData modes, modes_empty;
  static TgUnitPlotData unit, unit_run, unit_empty;
  static TgDigitPadData pad, pad_empty = { .true_label = -1 };
  static TgFigure1Data figure1;

  if (box_per_pt == 0)
    {
      g_test_skip ("no calibration (pdftotext missing)");
      return;
    }
  sample_bars (&bars5, 5);
  sample_bars (&bars7, 7);
  sample_curves (&curves, 0.9, FALSE);
  sample_curves (&curves_raw, 0.0, FALSE);
  sample_hard_cases (&bars_long, &dense, &narrow);
  sample_heatmap (&heat);
  sample_masks (&masks);
  sample_overlap (&overlap);
  sample_table (&table);
  sample_dynamics (&dynamics);
  sample_sparsity (&sparsity);
  sample_modes (&modes);
  sample_unit (&unit);
  sample_unit_run (&unit_run);
  sample_pad (&pad);
  sample_figure1 (&figure1);

  const Figure figures[] = {
    { "bars5", (TgPlotFunc) tg_plot_bars, &bars5 },
    { "bars7", (TgPlotFunc) tg_plot_bars, &bars7 },
    { "bars-long", (TgPlotFunc) tg_plot_bars, &bars_long },
    { "curves", (TgPlotFunc) tg_plot_curves, &curves },
    { "curves-raw", (TgPlotFunc) tg_plot_curves, &curves_raw },
    { "curves-dense", (TgPlotFunc) tg_plot_curves, &dense },
    { "curves-narrow-phases", (TgPlotFunc) tg_plot_curves, &narrow },
    { "heatmap", (TgPlotFunc) tg_plot_heatmap, &heat },
    { "masks", (TgPlotFunc) tg_plot_masks, &masks },
    { "overlap", (TgPlotFunc) tg_plot_overlap, &overlap },
    { "table", (TgPlotFunc) tg_plot_results_table, &table },
    { "dynamics", (TgPlotFunc) tg_plot_dynamics, &dynamics },
    { "sparsity", (TgPlotFunc) tg_plot_sparsity, &sparsity },
    { "modes", (TgPlotFunc) tg_plot_modes_by_angle, &modes },
    { "unit", (TgPlotFunc) tg_plot_unit, &unit },
    { "unit-run", (TgPlotFunc) tg_plot_unit, &unit_run },
    { "pad", (TgPlotFunc) tg_plot_digit_pad, &pad },
    { "figure1", (TgPlotFunc) tg_plot_figure1, &figure1 },
    { "empty-bars", (TgPlotFunc) tg_plot_bars, &bars_empty },
    { "empty-curves", (TgPlotFunc) tg_plot_curves, &curves_empty },
    { "empty-heatmap", (TgPlotFunc) tg_plot_heatmap, &heat_empty },
    { "empty-masks", (TgPlotFunc) tg_plot_masks, &masks_empty },
    { "empty-overlap", (TgPlotFunc) tg_plot_overlap, &overlap_empty },
    { "empty-table", (TgPlotFunc) tg_plot_results_table, &table_empty },
    { "empty-dynamics", (TgPlotFunc) tg_plot_dynamics, &dynamics_empty },
    { "empty-sparsity", (TgPlotFunc) tg_plot_sparsity, &sparsity_empty },
    { "empty-modes", (TgPlotFunc) tg_plot_modes_by_angle, &modes_empty },
    { "empty-unit", (TgPlotFunc) tg_plot_unit, &unit_empty },
    { "empty-pad", (TgPlotFunc) tg_plot_digit_pad, &pad_empty },
  };
  const char *const *presets = tg_plot_size_presets ();

  faults = g_string_new (NULL);
  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    for (guint p = 0; presets[p] != NULL; p++)
      check_layout (&figures[f], presets[p]);
  /* All faults of all figures are listed before failing. */
  guint n_faults = pdf_report_faults (faults->str);
  g_string_free (faults, TRUE);
  tg_figure1_data_clear (&figure1);
  g_assert_cmpuint (n_faults, ==, 0);
}

/* Title and caption can be left out (a paper's own caption names the figure). */
static void
test_hide_title_caption (void)
{
  TgBarsData d;
  TgPlotStyle st;
  PdfText t;
  sample_bars (&d, 5);
  for (int hide = 0; hide < 2; hide++)
    {
      tg_plot_style_init (&st, TG_PLOT_BACKGROUND_TRANSPARENT);
      st.hide_title = st.hide_caption = hide;
      g_autofree char *file = g_strdup_printf ("hide-%d.pdf", hide);
      g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
      g_assert_true (tg_plot_export (path, 252, 200, (TgPlotFunc) tg_plot_bars, &d, &st, NULL));
      if (!pdf_text_read (path, &t))
        return;
      gboolean title = FALSE, caption = FALSE, axis = FALSE;
      for (guint i = 0; i < t.words->len; i++)
        {
          const char *w = g_array_index (t.words, PdfWord, i).text;
          title |= strcmp (w, "specialising") == 0;
          caption |= strcmp (w, "seeds;") == 0;
          axis |= strcmp (w, "accuracy") == 0;
        }
      g_assert_true (axis);
      g_assert_cmpint (title, ==, !hide);
      g_assert_cmpint (caption, ==, !hide);
      g_array_unref (t.words);
    }
}

/* Table 1 on a data set or angle the paper did not run: no "paper" lines of dashes and no
 * "paper" legend; with the paper's numbers both are there. */
static void
test_table_without_paper (void)
{
  TgResultsData d;
  TgPlotStyle st;
  PdfText t;
  sample_table (&d);
  TgResultsRow rows[7];
  memcpy (rows, d.rows, sizeof rows);
  for (int with_paper = 1; with_paper >= 0; with_paper--)
    {
      for (guint r = 0; !with_paper && r < G_N_ELEMENTS (rows); r++)
        rows[r].paper = (TgResultsCells) { NAN, NAN, NAN, NAN, NAN };
      d.rows = rows;
      tg_plot_style_init (&st, TG_PLOT_BACKGROUND_LIGHT);
      g_autofree char *file = g_strdup_printf ("table-paper-%d.pdf", with_paper);
      g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
      g_assert_true (tg_plot_export (path, 640, 400, (TgPlotFunc) tg_plot_results_table, &d,
                                     &st, NULL));
      if (!pdf_text_read (path, &t))
        return;
      guint paper = 0, ours = 0;
      for (guint i = 0; i < t.words->len; i++)
        {
          const char *w = g_array_index (t.words, PdfWord, i).text;
          paper += strcmp (w, "paper") == 0;   /* not the caption's "paper's" */
          ours += g_str_has_prefix (w, "ours");
        }
      g_assert_cmpuint (ours, >, 0);
      if (with_paper)
        g_assert_cmpuint (paper, >=, 7);   /* a line per method, and the legend */
      else
        g_assert_cmpuint (paper, ==, 0);
      g_array_unref (t.words);
    }
}

/* A page too small for a figure is refused, nothing written, naming the smallest size that
 * works; at that size the figure is written and passes the layout checks, and it fits every
 * taller page. */
static void
test_too_small_refused (void)
{
  static TgCurvesData curves;
  static TgMasksData masks;
  static TgResultsData table;
  static TgDigitPadData pad;
  sample_curves (&curves, 0.9, FALSE);
  sample_masks (&masks);
  sample_table (&table);
  sample_pad (&pad);
  const Figure figures[] = {
    { "curves", (TgPlotFunc) tg_plot_curves, &curves },
    { "masks", (TgPlotFunc) tg_plot_masks, &masks },
    { "table", (TgPlotFunc) tg_plot_results_table, &table },
    { "pad", (TgPlotFunc) tg_plot_digit_pad, &pad },
  };
  if (box_per_pt == 0)
    {
      g_test_skip ("no calibration (pdftotext missing)");
      return;
    }
  g_autoptr(GString) found = g_string_new (NULL);
  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    {
      TgPlotStyle st;
      g_autoptr(GError) error = NULL;
      tg_plot_style_init_light (&st);
      st.font_size = 8.0;
      g_autofree char *file = g_strdup_printf ("tiny-%s.pdf", figures[f].name);
      g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
      g_assert_false (tg_plot_export (path, 252, 72, figures[f].func, figures[f].data, &st,
                                      &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      const char *need = strstr (error->message, "needs at least ");
      g_assert_nonnull (need);
      const char *pt = strstr (need, "in (");
      g_assert_nonnull (pt);
      double w = 0, h = 0;
      g_assert_cmpint (sscanf (pt, "in (%lf × %lf pt)", &w, &h), ==, 2);
      g_assert_cmpfloat (w, >=, 252 - 0.5);
      g_assert_cmpfloat (h, >, 72);
      /* the size named, to the hundredth of an inch written (the points are rounded) */
      const char *in = need + strlen ("needs at least ");
      double wi = 0, hi = 0;
      g_assert_cmpint (sscanf (in, "%lf × %lf in", &wi, &hi), ==, 2);
      g_clear_error (&error);
      g_assert_true (tg_plot_export (path, wi * 72, hi * 72, figures[f].func, figures[f].data,
                                     &st, &error));
      g_assert_no_error (error);
      pdf_check_layout (path, file, wi * 72, hi * 72, st.font_size, box_per_pt, found);
      /* and every taller page up to twice that (a layout measured unlike it is drawn fitted
       * 252 x 202 pt but not 252 x 206) */
      for (double t = 1.02; t <= 2.0; t += 0.02)
        if (!tg_plot_check_fit (wi * 72, hi * 72 * t, figures[f].func, figures[f].data, &st,
                                &error))
          {
            g_string_append_printf (found, "%s at 252 x %.1f pt: %s\n", figures[f].name,
                                    hi * 72 * t, error->message);
            g_clear_error (&error);
          }
    }
  g_assert_cmpuint (pdf_report_faults (found->str), ==, 0);
}

static void
test_size_parse (void)
{
  double w, h;
  g_autoptr(GError) error = NULL;

  g_assert_true (tg_plot_size_parse ("single", &w, &h, NULL));
  g_assert_cmpfloat (fabs (w - 252), <, 1e-9);
  g_assert_true (tg_plot_size_parse ("DOUBLE", &w, &h, NULL));
  g_assert_cmpfloat (fabs (w - 7.16 * 72), <, 1e-9);
  g_assert_true (tg_plot_size_parse ("slide", &w, &h, NULL));
  g_assert_cmpfloat (fabs (w / h - 16.0 / 9.0), <, 1e-9);
  g_assert_true (tg_plot_size_parse ("3.5x2.5in", &w, &h, NULL));
  g_assert_cmpfloat (fabs (w - 252), <, 1e-9);
  g_assert_cmpfloat (fabs (h - 180), <, 1e-9);
  g_assert_true (tg_plot_size_parse ("89mm x 6cm", &w, &h, NULL));
  g_assert_cmpfloat (fabs (w - 89 * 72 / 25.4), <, 1e-9);
  g_assert_cmpfloat (fabs (h - 60 * 72 / 25.4), <, 1e-9);
  g_assert_true (tg_plot_size_parse ("640x400", &w, &h, NULL));
  g_assert_cmpfloat (w, ==, 640);
  g_assert_cmpfloat (tg_plot_size_font_size ("single"), ==, 8);
  g_assert_cmpfloat (tg_plot_size_font_size ("640x400"), ==, 10);

  const char *bad[] = { "", "huge", "3.5in", "x2in", "3.5x2furlong", "0x0", "-3x2in",
                        "1e9x1e9", "nanxnan", "3.5x2inx" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (tg_plot_size_parse (bad[i], &w, &h, &error));
      g_assert_nonnull (error);
      if (*bad[i] != '\0')
        g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-plot-layout-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/plot/size/parse", test_size_parse);
  g_test_add_func ("/plot/layout/calibrate", test_calibrate);
  g_test_add_func ("/plot/layout/presets", test_presets);
  g_test_add_func ("/plot/layout/hide-title-caption", test_hide_title_caption);
  g_test_add_func ("/plot/layout/table-without-paper", test_table_without_paper);
  g_test_add_func ("/plot/layout/too-small-refused", test_too_small_refused);
  int ret = g_test_run ();

  /* TG_TEST_KEEP=1 keeps the PDFs to look at */
  if (g_getenv ("TG_TEST_KEEP") != NULL)
    {
      g_printerr ("PDFs kept in %s\n", tmp_dir);
      g_free (tmp_dir);
      return ret;
    }
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (tmp_dir, name, NULL);
      g_remove (child);
    }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
