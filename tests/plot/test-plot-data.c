/* test-plot-data.c — the data beside a figure: each CSV holds exactly the numbers drawn
 * (read back, they equal the input bit for bit), text fields are quoted, and the LaTeX is
 * escaped. When pdflatex is installed, a document that includes a single-column Figure 1
 * (as \includegraphics with its caption, and as pgfplots) must compile; otherwise that test
 * is skipped with the reason. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tg-plot.h"
#include "plot-samples.h"

static char *tmp_dir;

/* Splits a CSV body (no quoted commas in these samples) into rows of fields. */
static GPtrArray *
csv_rows (const char *csv, const char *header)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, header);
  for (guint i = 1; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
  return rows;
}

static void
assert_field (const char *field, double expected)
{
  if (!isfinite (expected))
    g_assert_cmpstr (field, ==, "");
  else
    g_assert_cmpfloat (g_ascii_strtod (field, NULL), ==, expected);
}

static void
test_bars_csv (void)
{
  TgBarsData d;
  sample_bars (&d, 7);
  g_autofree char *csv = tg_plot_bars_csv (&d);
  g_autoptr(GPtrArray) rows = csv_rows (csv, "group,series,mean,std,reference");
  g_assert_cmpuint (rows->len, ==, 7 * 2);
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];
      g_assert_cmpuint (g_strv_length (f), ==, 5);
      g_assert_cmpstr (f[0], ==, d.group_labels[i / 2]);
      g_assert_cmpstr (f[1], ==, d.series_labels[i % 2]);
      assert_field (f[2], d.mean[i]);
      assert_field (f[3], d.err[i]);
      assert_field (f[4], d.ref[i]);
    }
}

static void
test_curves_csv (void)
{
  TgCurvesData d;
  sample_curves (&d, 0.6, FALSE);
  g_autofree char *csv = tg_plot_curves_csv (&d);
  g_autoptr(GPtrArray) rows = csv_rows (csv, "run,step,loss,acc0,acc_rot");
  guint n = 0;
  for (guint r = 0; r < d.n_runs; r++)
    for (guint i = 0; i < d.runs[r].n_points; i++, n++)
      {
        char **f = rows->pdata[n];
        g_assert_cmpstr (f[0], ==, d.runs[r].name);
        assert_field (f[1], d.runs[r].step[i]);
        assert_field (f[2], d.runs[r].loss ? d.runs[r].loss[i] : NAN);
        assert_field (f[3], d.runs[r].acc0 ? d.runs[r].acc0[i] : NAN);
        assert_field (f[4], d.runs[r].acc_rot ? d.runs[r].acc_rot[i] : NAN);
      }
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (rows->len, ==, n);
}

static void
test_other_csv (void)
{
  TgHeatmapData heat;
  TgMasksData masks;
  TgOverlapData overlap;
  TgResultsData table;
  sample_heatmap (&heat);
  sample_masks (&masks);
  sample_overlap (&overlap);
  sample_table (&table);

  g_autofree char *h = tg_plot_heatmap_csv (&heat);
  g_autoptr(GPtrArray) hr = csv_rows (h, "panel,unit,value,center");
  guint n = 0;
  for (guint p = 0; p < heat.n_panels; p++)
    for (guint u = 0; u < heat.panels[p].n_units; u++, n++)
      {
        /* Labels such as "τ, hidden 1" are quoted: count the fields from the end. */
        char **f = hr->pdata[n];
        guint nf = g_strv_length (f);
        g_assert_true (g_str_has_prefix (f[0], "\""));
        assert_field (f[nf - 2], heat.panels[p].values[u]);
      }
  g_assert_cmpuint (hr->len, ==, n);

  g_autofree char *m = tg_plot_masks_csv (&masks);
  g_autoptr(GPtrArray) mr = csv_rows (m, "layer,input,class,unit,rate");
  guint expect = 0;
  for (guint l = 0; l < masks.n_layers; l++)
    expect += masks.layers[l].n_units * 10 * ((masks.layers[l].rate0 != NULL)
                                              + (masks.layers[l].rate_rot != NULL));
  g_assert_cmpuint (mr->len, ==, expect);
  /* the input column names the angles: 0° and the target mode, not a fixed 45 */
  g_assert_cmpstr (((char **) mr->pdata[0])[1], ==, "0°");
  masks.target_label = "30°";
  g_autofree char *m30 = tg_plot_masks_csv (&masks);
  g_assert_nonnull (strstr (m30, "\nhidden 1,30°,0,0,"));
  g_assert_null (strstr (m30, "\nhidden 1,45"));

  g_autofree char *o = tg_plot_overlap_csv (&overlap);
  g_autoptr(GPtrArray) orows = csv_rows (o, "layer,unit,gate0,gate_rot,threshold,jaccard,"
                                            "jaccard_std,reference");
  g_assert_cmpuint (orows->len, ==, overlap.n_layers * overlap.n_units);
  assert_field (((char **) orows->pdata[0])[5], overlap.jaccard[0]);

  g_autofree char *t = tg_plot_results_table_csv (&table);
  g_autoptr(GPtrArray) tr = csv_rows (t, "method,source,params,n,acc0,acc0_std,acc_rot,"
                                         "acc_rot_std,high_act");
  g_assert_cmpuint (tr->len, ==, table.n_rows * 2);
  assert_field (((char **) tr->pdata[0])[4], table.rows[0].ours.acc0);
  assert_field (((char **) tr->pdata[1])[4], table.rows[0].paper.acc0);
}

static void
test_csv_quoting_and_tex (void)
{
  static const char *groups[1] = { "LoRA, r=8 \"low\"" };
  static const char *series[1] = { "45°" };
  static const double mean[1] = { 0.5 };
  TgBarsData d = { .n_groups = 1, .group_labels = groups, .n_series = 1,
                   .series_labels = series, .mean = mean };
  g_autofree char *csv = tg_plot_bars_csv (&d);
  g_assert_nonnull (strstr (csv, "\n\"LoRA, r=8 \"\"low\"\"\",45°,0.5,,\n"));

  g_autofree char *e = tg_plot_tex_escape ("50% of x_1 & {y} ± 0.1°");
  g_assert_cmpstr (e, ==, "50\\% of x\\_1 \\& \\{y\\} \\ensuremath{\\pm} 0.1\\ensuremath{^\\circ}");
  g_autofree char *inc = tg_plot_tex_includegraphics ("fig.pdf", "Mean ± std", "fig:1", 252);
  g_assert_nonnull (strstr (inc, "\\includegraphics[width=3.50in]{fig.pdf}"));
  g_assert_nonnull (strstr (inc, "\\caption{Mean \\ensuremath{\\pm} std}"));

  g_autofree char *beside = tg_plot_path_beside ("/a.b/fig.pdf", ".csv");
  g_assert_cmpstr (beside, ==, "/a.b/fig.csv");
  g_autofree char *no_ext = tg_plot_path_beside ("/a.b/fig", ".csv");
  g_assert_cmpstr (no_ext, ==, "/a.b/fig.csv");
}

/* A paper-like document with a single-column Figure 1, both ways. */
static void
test_latex (void)
{
  g_autofree char *pdflatex = g_find_program_in_path ("pdflatex");
  if (pdflatex == NULL)
    {
      g_test_skip ("pdflatex is not installed (texlive-latex-base, texlive-pictures)");
      return;
    }
  TgBarsData d;
  TgPlotStyle st;
  double w, h;
  sample_bars (&d, 7);
  g_assert_true (tg_plot_size_parse ("single", &w, &h, NULL));
  tg_plot_style_init_light (&st);
  st.font_size = tg_plot_size_font_size ("single");
  st.hide_title = st.hide_caption = TRUE;
  g_autofree char *pdf = g_build_filename (tmp_dir, "figure1.pdf", NULL);
  g_assert_true (tg_plot_export (pdf, w, h, (TgPlotFunc) tg_plot_bars, &d, &st, NULL));
  g_autofree char *inc = tg_plot_tex_includegraphics ("figure1.pdf", d.caption, "fig:1", w);
  g_autofree char *pgf = tg_plot_bars_pgfplots (&d, w, h, st.font_size);
  g_autofree char *doc = g_strconcat (
    "\\documentclass[twocolumn]{article}\n\\usepackage[T1]{fontenc}\n"
    "\\usepackage{graphicx}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.16}\n"
    "\\begin{document}\nText.\n", inc,
    "\\begin{figure}[t]\n\\centering\n", pgf, "\\caption{pgfplots}\n\\end{figure}\n"
    "\\end{document}\n", NULL);
  g_autofree char *tex = g_build_filename (tmp_dir, "paper.tex", NULL);
  g_assert_true (g_file_set_contents (tex, doc, -1, NULL));

  const char *argv[] = { pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                         "paper.tex", NULL };
  g_autofree char *out = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true (g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s", out);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *paper = g_build_filename (tmp_dir, "paper.pdf", NULL);
  g_assert_true (g_file_test (paper, G_FILE_TEST_IS_REGULAR));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-plot-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/plot/data/bars-csv", test_bars_csv);
  g_test_add_func ("/plot/data/curves-csv", test_curves_csv);
  g_test_add_func ("/plot/data/other-csv", test_other_csv);
  g_test_add_func ("/plot/data/quoting-tex", test_csv_quoting_and_tex);
  g_test_add_func ("/plot/data/latex", test_latex);
  int ret = g_test_run ();

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
