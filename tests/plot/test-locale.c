/* SPDX-License-Identifier: MIT */
/* test-locale.c — the files we write are the same bytes under a decimal-comma locale as
 * under C: every CSV (the paper's, the sweep's, the modes', the figures', the unit figure's,
 * a session's tables), the LaTeX and pgfplots beside them, and an adapter's metadata.
 *
 * The studio runs under the user's locale (GTK calls setlocale), and so does `taugate`: a
 * printf ("%g") there writes "0,5" inside comma-separated fields. This program switches to
 * de_DE.UTF-8 itself and fails, rather than skips, when that locale is missing (./run.sh
 * generates it). */
#include "tg-csv.h"
#include "tg-modes-report.h"
#include "tg-report.h"
#include "tg-session-private.h"
#include "tg-sweep.h"
#include "tg-unit-figure.h"
#include "plot-samples.h"
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#define COMMA_LOCALE "de_DE.UTF-8"

/* Under de_DE.UTF-8, or the test fails saying how to get it. */
static void
assert_comma_locale (void)
{
  const char *numeric = setlocale (LC_NUMERIC, NULL);
  if (strcmp (localeconv ()->decimal_point, ",") != 0)
    g_test_message ("LC_NUMERIC is \"%s\", not " COMMA_LOCALE ": is the locale installed? "
                    "(`locale -a`; ./run.sh generates it, or run: localedef -i de_DE -f UTF-8 "
                    COMMA_LOCALE ")", numeric);
  g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");
}

/* Numbers as the C locale writes them, for the text to compare with; then back. */
static void
c_numbers (void)
{
  g_assert_nonnull (setlocale (LC_NUMERIC, "C"));
}

static void
comma_numbers (void)
{
  g_assert_nonnull (setlocale (LC_NUMERIC, COMMA_LOCALE));
}

/* The same bytes as in C, each record as many fields as the header, and decimal points. */
static void
assert_csv (const char *what, const char *comma, const char *c, const char *decimal)
{
  g_test_message ("%s", what);
  g_assert_cmpstr (comma, ==, c);
  g_assert_cmpuint (cli_test_csv_records (comma), >, 1);
  g_assert_nonnull (strstr (comma, decimal));
}

static void
assert_text (const char *what, const char *comma, const char *c, const char *decimal)
{
  g_test_message ("%s", what);
  g_assert_cmpstr (comma, ==, c);
  g_assert_nonnull (strstr (comma, decimal));
}

/* --- the writer ------------------------------------------------------------------------ */

static void
test_csv_writer (void)
{
  assert_comma_locale ();
  g_autofree char *angle = tg_number_dup ("%g", 22.5);
  g_assert_cmpstr (angle, ==, "22.5");
  g_autofree char *third = tg_number_dup (TG_NUMBER_SHORTEST, 1.0 / 3.0);
  g_assert_cmpstr (third, ==, "0.33333333333333331");
  g_autofree char *tenth = tg_number_dup (TG_NUMBER_SHORTEST, 0.1);
  g_assert_cmpstr (tenth, ==, "0.1");

  TgCsv *csv = tg_csv_new ("name,count,value,shortest");
  tg_csv_text (csv, "plain");
  tg_csv_uint (csv, G_MAXUINT64);
  tg_csv_number (csv, "%.6f", 0.5);
  tg_csv_number (csv, TG_NUMBER_SHORTEST, 0.848);
  tg_csv_end_row (csv);
  tg_csv_text (csv, "a, \"quoted\"\nname");
  tg_csv_int (csv, -3);
  tg_csv_number (csv, "%.6f", NAN);
  tg_csv_number (csv, TG_NUMBER_SHORTEST, INFINITY);
  tg_csv_end_row (csv);
  tg_csv_set_missing (csv, "nan");
  tg_csv_text (csv, NULL);
  tg_csv_empty (csv);
  tg_csv_number (csv, "%g", NAN);
  tg_csv_number (csv, "%.17g", -1e-300);
  tg_csv_end_row (csv);
  g_autofree char *text = tg_csv_free_to_text (csv);
  g_assert_cmpstr (text, ==, "name,count,value,shortest\n"
                             "plain,18446744073709551615,0.500000,0.848\n"
                             "\"a, \"\"quoted\"\"\nname\",-3,,\n"
                             ",,nan,-1e-300\n");
  g_assert_cmpuint (cli_test_csv_records (text), ==, 4);

  /* a row of the wrong width is a programming error, said at once */
  if (g_test_subprocess ())
    {
      TgCsv *bad = tg_csv_new ("a,b");
      tg_csv_text (bad, "only one");
      tg_csv_end_row (bad);
      g_free (tg_csv_free_to_text (bad));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CSV row of 1 cells under a header of 2*");
}

/* --- the paper's outputs ---------------------------------------------------------------- */

static TgExperimentResults *
fake_results (void)
{
  TgExperimentResults *res = g_new0 (TgExperimentResults, 1);
  tg_experiment_config_init_paper (&res->config);
  res->config.seeds = 2;
  res->config.angle = 22.5;
  res->config.lr = 0.025f;
  res->runs = g_array_new (FALSE, TRUE, sizeof (TgRunResult));
  res->overlaps = g_array_new (FALSE, TRUE, sizeof (TgOverlapResult));
  for (guint s = 0; s < 2; s++)
    {
      for (int m = 0; m < TG_N_METHODS; m++)
        {
          TgRunResult r = { .seed_index = s, .seed = s, .method = m, .target_angle = 22.5,
                            .params = 100 + m, .acc0 = 0.5 + 0.01 * s, .acc_rot = 0.625,
                            .acc0_hard = 0.4, .acc_rot_hard = 0.5,
                            .high_act = tg_method_info (m)->gated ? 0.25 : NAN,
                            .final_loss = 1.0 / 3.0 };
          g_array_append_val (res->runs, r);
        }
      TgOverlapResult o = { .seed_index = s, .n_layers = 2, .jaccard = { 0.5, 0.75 },
                            .on0 = { 10, 4 }, .on_rot = { 8, 2 } };
      g_array_append_val (res->overlaps, o);
    }
  return res;
}

static void
test_report (void)
{
  assert_comma_locale ();
  TgExperimentResults *res = fake_results ();
  g_autofree char *csv = tg_report_csv (res);
  c_numbers ();
  g_autofree char *csv_c = tg_report_csv (res);
  comma_numbers ();
  assert_csv ("results.csv", csv, csv_c, ",0.625000,");
  g_autofree char *ov = tg_report_overlap_csv (res);
  c_numbers ();
  g_autofree char *ov_c = tg_report_overlap_csv (res);
  comma_numbers ();
  assert_csv ("overlap.csv", ov, ov_c, ",0.750000,");
  char *(*tables[]) (const TgExperimentResults *) = { tg_report_table1_tex, tg_report_table2_tex,
                                                      tg_report_table3_tex };
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *tex = tables[i] (res);
      c_numbers ();
      g_autofree char *tex_c = tables[i] (res);
      comma_numbers ();
      assert_text ("a LaTeX table", tex, tex_c, "22.5");
    }
  g_array_unref (res->runs);
  g_array_unref (res->overlaps);
  g_free (res);
}

/* --- the sweep ---------------------------------------------------------------------------- */

static void
test_sweep (void)
{
  assert_comma_locale ();
  static const double lambdas[] = { 0, 0.25 }, sharpness[] = { 2.5, 5 };
  g_autoptr (TgSweepResults) res = g_new0 (TgSweepResults, 1);
  tg_experiment_config_init_paper (&res->config.protocol);
  res->config.protocol.seeds = 2;
  res->config.protocol.angle = 22.5;
  res->config.n_lambdas = 2;
  res->config.n_sharpness = 2;
  res->lambdas = g_memdup2 (lambdas, sizeof lambdas);
  res->sharpness = g_memdup2 (sharpness, sizeof sharpness);
  res->config.lambdas = res->lambdas;
  res->config.sharpness = res->sharpness;
  res->points = g_array_new (FALSE, TRUE, sizeof (TgSweepPoint));
  for (guint li = 0; li < 2; li++)
    for (guint si = 0; si < 2; si++)
      for (guint k = 0; k < 2; k++)
        {
          TgSweepPoint p = { .lambda = lambdas[li], .sharpness = sharpness[si], .seed_index = k,
                             .seed = k, .acc0_soft = 0.875, .acc0_hard = 0.8625,
                             .acc_rot_soft = 0.75 + 0.125 * k, .acc_rot_hard = 0.75,
                             .mean_gate = 0.5, .n_layers = 2, .on_frac = { 0.375, 0.25 },
                             .madds_sparse = 1234.5, .madds_dense = 4096, .identical = 10,
                             .n_test = 10, .dense_p50_us = 12.5, .sparse_p50_us = 5,
                             .speedup = 2.5 };
          g_array_append_val (res->points, p);
        }
  g_autofree char *csv = tg_sweep_csv (res);
  c_numbers ();
  g_autofree char *csv_c = tg_sweep_csv (res);
  comma_numbers ();
  assert_csv ("sweep.csv", csv, csv_c, "\n0.25,2.5,0,0,0.875000,");
  g_autofree char *tex = tg_sweep_latex (res);
  c_numbers ();
  g_autofree char *tex_c = tg_sweep_latex (res);
  comma_numbers ();
  assert_text ("taugate_sweep.tex", tex, tex_c, "$2.50\\times$");
  g_assert_nonnull (strstr (tex, "0.25 & 2.5"));
}

/* --- modes ------------------------------------------------------------------------------ */

static TgModel *
small_model (TgMethod method)
{
  GError *error = NULL;
  TgModel *m = tg_model_new (4, 1, (guint32[]) { 4 }, 4, 0, 8.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (7);
  for (size_t i = 0; i < m->n_params; i++)
    m->params[i] = tg_rng_uniform (&rng) - 0.5f;
  m->method = method;
  return m;
}

static TgAngleSweep *
fake_angle_sweep (guint n_modes)
{
  TgAngleSweep *sw = g_new0 (TgAngleSweep, 1);
  sw->n_modes = n_modes;
  sw->n_angles = 2;
  sw->angles = g_new (double, 2);
  sw->angles[0] = 0;
  sw->angles[1] = 22.5;
  sw->acc_soft = g_new (double, n_modes * 2);
  sw->acc_hard = g_new (double, n_modes * 2);
  for (guint i = 0; i < n_modes * 2; i++)
    {
      sw->acc_soft[i] = 0.5 + 0.125 * i;
      sw->acc_hard[i] = 0.25 + 0.125 * i;
    }
  return sw;
}

static TgMixedResult *
fake_mixed (void)
{
  TgMixedResult *mx = g_new0 (TgMixedResult, 1);
  mx->n_stream_modes = 2;
  mx->stream_angles = g_new (double, 2);
  mx->stream_angles[0] = 0;
  mx->stream_angles[1] = 22.5;
  mx->n = 100;
  mx->rows = g_array_new (FALSE, TRUE, sizeof (TgMixedRow));
  const char *names[] = { "Base", "TauGate 22.5°", "Auto (entropy)" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      TgMixedRow r = { .kind = i == 0 ? TG_MIXED_BASE : i == 1 ? TG_MIXED_SINGLE
                                                               : TG_MIXED_AUTO_ENTROPY,
                       .name = g_strdup (names[i]), .mode = i, .acc_soft = 0.625,
                       .acc_hard = 0.5, .right_soft = i == 0 ? NAN : 0.875,
                       .right_hard = i == 0 ? NAN : 0.75 };
      g_array_append_val (mx->rows, r);
    }
  return mx;
}

static void
test_modes (void)
{
  assert_comma_locale ();
  g_autoptr (TgModel) found = small_model (TG_METHOD_FROZEN);
  g_autoptr (TgModel) adapted = small_model (TG_METHOD_TAUGATE);
  g_autoptr (TgModes) modes = tg_modes_new (found);
  guint k = tg_modes_attach_model (modes, adapted, 2.5f, "TauGate, s 2.5", 22.5);
  g_assert_cmpuint (k, ==, 1);

  /* an adapter saved under the comma locale reads back with its angle and sharpness */
  g_autofree char *dir = g_dir_make_tmp ("tg-locale-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "adapter.safetensors", NULL);
  GError *error = NULL;
  g_assert_true (tg_modes_save_adapter (modes, k, path, &error));
  g_assert_no_error (error);
  guint read = tg_modes_attach_file (modes, path, TRUE, &error);
  g_assert_no_error (error);
  const TgMode *mode = tg_modes_get (modes, read);
  g_assert_cmpstr (g_hash_table_lookup (mode->metadata, "target_angle"), ==, "22.5");
  g_assert_cmpstr (g_hash_table_lookup (mode->metadata, "sharpness"), ==, "2.5");
  g_assert_cmpfloat (mode->target_angle, ==, 22.5);
  g_assert_cmpfloat (mode->sharpness, ==, 2.5f);
  g_assert_cmpstr (mode->name, ==, "TauGate 22.5°");
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  g_autoptr (TgAngleSweep) sw = fake_angle_sweep (tg_modes_count (modes));
  g_autoptr (TgMixedResult) mx = fake_mixed ();
  g_autofree char *csv = tg_modes_sweep_csv (modes, sw);
  c_numbers ();
  g_autofree char *csv_c = tg_modes_sweep_csv (modes, sw);
  comma_numbers ();
  assert_csv ("modes.csv", csv, csv_c, ",22.5,0.875000,");
  g_autofree char *mcsv = tg_modes_mixed_csv (mx);
  c_numbers ();
  g_autofree char *mcsv_c = tg_modes_mixed_csv (mx);
  comma_numbers ();
  assert_csv ("mixed.csv", mcsv, mcsv_c, ",0.625000,0.500000,0.875000,0.750000\n");
  g_autofree char *tex = tg_modes_tex (modes, sw, mx);
  c_numbers ();
  g_autofree char *tex_c = tg_modes_tex (modes, sw, mx);
  comma_numbers ();
  assert_text ("modes.tex", tex, tex_c, "22.5$^\\circ$");
}

/* --- the figures' data -------------------------------------------------------------------- */

static void
test_figures (void)
{
  assert_comma_locale ();
  TgBarsData bars;
  TgCurvesData curves;
  TgHeatmapData heat;
  TgMasksData masks;
  TgOverlapData overlap;
  TgResultsData table;
  TgDynamicsData dyn;
  TgModesByAngleData by_angle;
  sample_bars (&bars, 7);
  sample_curves (&curves, 0.0, FALSE);
  sample_heatmap (&heat);
  sample_masks (&masks);
  sample_overlap (&overlap);
  sample_table (&table);
  sample_dynamics (&dyn);
  sample_modes (&by_angle);
#define FIGURE_CSVS                                                                        \
  { tg_plot_bars_csv (&bars), tg_plot_curves_csv (&curves), tg_plot_heatmap_csv (&heat),   \
    tg_plot_masks_csv (&masks), tg_plot_overlap_csv (&overlap),                            \
    tg_plot_results_table_csv (&table), tg_plot_dynamics_csv (&dyn),                       \
    tg_plot_modes_by_angle_csv (&by_angle) }
  static const char *names[] = { "bars", "curves", "heatmap", "masks", "overlap",
                                 "results table", "dynamics", "modes by angle" };
  char *comma[] = FIGURE_CSVS;
  c_numbers ();
  char *c[] = FIGURE_CSVS;
  comma_numbers ();
  G_STATIC_ASSERT (G_N_ELEMENTS (comma) == G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      assert_csv (names[i], comma[i], c[i], "0.");
      g_free (comma[i]);
      g_free (c[i]);
    }
  g_autofree char *pgf = tg_plot_bars_pgfplots (&bars, 252.5, 180.5, 8.5);
  c_numbers ();
  g_autofree char *pgf_c = tg_plot_bars_pgfplots (&bars, 252.5, 180.5, 8.5);
  comma_numbers ();
  assert_text ("bars pgfplots", pgf, pgf_c, "width=252.5pt");
  g_autofree char *inc = tg_plot_tex_includegraphics ("f.pdf", "a caption", "fig:f", 252);
  c_numbers ();
  g_autofree char *inc_c = tg_plot_tex_includegraphics ("f.pdf", "a caption",
                                                                     "fig:f", 252);
  comma_numbers ();
  assert_text ("includegraphics", inc, inc_c, "width=3.50in");
}

/* --- the unit figure -------------------------------------------------------------------- */

static void
test_unit_figure (void)
{
  assert_comma_locale ();
  g_autoptr (TgModel) m = small_model (TG_METHOD_TAUGATE);
  m->params[m->tau[0] + 1] = 0.125f;
  GError *error = NULL;
  g_autoptr (TgDataset) ds = tg_dataset_new (40, 2, 2, 4, &error);
  g_assert_no_error (error);
  for (guint32 i = 0; i < ds->n; i++)
    {
      ds->labels[i] = (guint8) (i % 4);
      for (guint32 p = 0; p < 4; p++)
        ds->pixels[i * 4 + p] = (guint8) ((i * 37 + p * 91) % 256);
    }
  const TgForwardOpts opts = { TG_GATES_SOFT, 2.5f };
  g_autoptr (TgUnitFigure) f = tg_unit_figure_new (m, (TgUnitId) { 0, 1 }, ds, ds, 22.5, TRUE,
                                                   &opts, "TauGate, 22.5°", &error);
  g_assert_no_error (error);
  const double steps[] = { 0, 10, 20 }, tau[] = { 0, 0.0625, 0.125 }, gamma[] = { 1, 1.5, 2 };
  tg_unit_figure_set_trajectory (f, 3, steps, tau, gamma, 10);
  const TgModel *others[] = { m };
  const char *names[] = { "TauGate 22.5°, s 2.5" };
  const float s[] = { 2.5f };
  g_assert_true (tg_unit_figure_add_modes (f, others, names, s, 1, ds, &error));
  g_assert_no_error (error);
  g_autofree char *csv = tg_unit_figure_csv (f);
  c_numbers ();
  g_autofree char *csv_c = tg_unit_figure_csv (f);
  comma_numbers ();
  assert_csv ("unit figure", csv, csv_c, "\ntau,,0.125\n");
  g_assert_true (g_str_has_prefix (csv, "quantity,index,value\n"));
  g_assert_cmpuint (cli_test_csv_records (csv), >, 20);
  g_assert_nonnull (strstr (csv, "\ntrajectory_gamma,1,1.5\n"));
}

/* --- a session's tables ------------------------------------------------------------------- */

static void
test_session_table (void)
{
  assert_comma_locale ();
  const char *cols[] = { "step", "loss", "acc0", NULL };
  g_autoptr (TgSessionTable) t = tg_session_table_new (cols);
  tg_session_table_append (t, (double[]) { 20, 0.5, NAN });
  tg_session_table_append (t, (double[]) { 40, 0.25, 0.875 });
  g_autofree char *csv = tg_session_table_to_csv (t);
  c_numbers ();
  g_autofree char *csv_c = tg_session_table_to_csv (t);
  comma_numbers ();
  assert_csv ("session table", csv, csv_c, "\n40,0.25,0.875\n");
  g_assert_nonnull (strstr (csv, "\n20,0.5,nan\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* fails in each test below, naming the locale, when it is not installed */
  setlocale (LC_ALL, COMMA_LOCALE);
  g_test_add_func ("/locale/csv-writer", test_csv_writer);
  g_test_add_func ("/locale/report", test_report);
  g_test_add_func ("/locale/sweep", test_sweep);
  g_test_add_func ("/locale/modes", test_modes);
  g_test_add_func ("/locale/figures", test_figures);
  g_test_add_func ("/locale/unit-figure", test_unit_figure);
  g_test_add_func ("/locale/session-table", test_session_table);
  return g_test_run ();
}
