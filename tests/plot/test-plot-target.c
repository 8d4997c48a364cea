/* SPDX-License-Identifier: MIT */
/* test-plot-target.c — the renderers name the target mode from their data: curves, masks,
 * overlap and the results table drawn with target_label "30°" say 30° in their legends,
 * panel titles, column headers and titles, and never 45°; unset, they say 45°. The text is
 * read back from the PDF with pdftotext (poppler-utils); without it the test is skipped. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tg-plot.h"
#include "plot-samples.h"

static char *tmp_dir;

/* The text of a figure drawn by func into a PDF; NULL (and a skip) without pdftotext. */
static char *
figure_text (TgPlotFunc func, gconstpointer data, const char *name)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", tmp_dir, name);
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (tool == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return NULL;
    }
  g_assert_true (tg_plot_export (pdf, 900, 600, func, data, NULL, &error));
  g_assert_no_error (error);
  const char *argv[] = { tool, "-q", pdf, "-", NULL };
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_remove (pdf);
  return out;
}

static void
check (const char *text, const char *want, const char *never, const char *what)
{
  if (text == NULL)
    return;
  if (strstr (text, want) == NULL || (never != NULL && strstr (text, never) != NULL))
    g_error ("%s: want “%s”%s%s in:\n%s", what, want, never ? " and no " : "",
             never ? never : "", text);
}

static void
test_target_label (void)
{
  TgCurvesData curves;
  TgMasksData masks;
  TgOverlapData overlap;
  TgResultsData table;

  sample_curves (&curves, 0.0, TRUE);
  sample_masks (&masks);
  sample_overlap (&overlap);
  sample_table (&table);
  overlap.title = NULL;
  table.title = NULL;

  g_autofree char *c45 = figure_text ((TgPlotFunc) tg_plot_curves, &curves, "curves45");
  check (c45, "45°", NULL, "curves, unset");

  curves.target_label = masks.target_label = overlap.target_label = table.target_label = "30°";
  g_autofree char *c = figure_text ((TgPlotFunc) tg_plot_curves, &curves, "curves");
  g_autofree char *m = figure_text ((TgPlotFunc) tg_plot_masks, &masks, "masks");
  g_autofree char *o = figure_text ((TgPlotFunc) tg_plot_overlap, &overlap, "overlap");
  g_autofree char *t = figure_text ((TgPlotFunc) tg_plot_results_table, &table, "table");
  check (c, "30°", "45°", "curves");
  check (m, "30° inputs", "45°", "masks");
  check (o, "only 30°", "45°", "overlap");
  check (t, "Acc (30°)", "45°", "results table");
  check (t, "MNIST 0° vs 30°", NULL, "results table title");
  table.data_label = "Fashion-MNIST";
  g_autofree char *f = figure_text ((TgPlotFunc) tg_plot_results_table, &table, "fashion");
  check (f, "Fashion-MNIST 0° vs 30°", NULL, "results table, other data");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-plot-target-XXXXXX", NULL);
  g_test_add_func ("/plot/target-label", test_target_label);
  int status = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
