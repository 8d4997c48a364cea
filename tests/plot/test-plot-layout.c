/* test-plot-layout.c — every figure, at every size preset, read back from the PDF itself:
 * the page has the requested size, every word lies inside the page, no two words overlap,
 * no text is smaller than the requested font size minus 1 pt, and every font is embedded
 * and subset (pdffonts).
 *
 * Every renderer is here: bars, Figure 1, curves, dynamics, heatmaps, masks, overlap, the
 * results table, sparsity, modes by angle, the unit inspector and the digit pad.
 *
 * The PDF is read with poppler's `pdftotext -bbox-layout` (poppler-utils); without it the
 * test is skipped. Word boxes span the font's ascent to descent, so the font size of a word
 * is its box height over that ratio, which the test measures first on a known size. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tg-plot.h"
#include "tg-plot-private.h"
#include "plot-samples.h"

typedef struct {
  double   x0, y0, x1, y1;
  char    *text;
  gboolean vertical;   /* its line runs down the page (a rotated axis title) */
} Word;

typedef struct {
  double  width, height;
  GArray *words;   /* Word */
} PdfText;

static char *tmp_dir;
static double box_per_pt;   /* word box height per point of font size */

static void
word_clear (gpointer p)
{
  g_free (((Word *) p)->text);
}

static gboolean
attr (const char *line, const char *name, double *out)
{
  g_autofree char *key = g_strdup_printf (" %s=\"", name);
  const char *p = strstr (line, key);
  if (p == NULL)
    return FALSE;
  *out = g_ascii_strtod (p + strlen (key), NULL);
  return TRUE;
}

/* The word's text without pdftotext's XML escapes, so "&gt;" counts as one character. */
static char *
unescape (const char *s, gsize len)
{
  static const char *const from[] = { "&lt;", "&gt;", "&apos;", "&quot;", "&amp;" };
  static const char *const to[] = { "<", ">", "'", "\"", "&" };
  GString *out = g_string_new_len (s, (gssize) len);
  for (guint i = 0; i < G_N_ELEMENTS (from); i++)
    g_string_replace (out, from[i], to[i], 0);
  return g_string_free (out, FALSE);
}

/* The words from start on are one line: it runs vertically when it is taller than wide and
 * holds three characters or more (so that "/" in "0° / target", rotated, is measured across
 * the line like its neighbours). */
static void
mark_vertical (GArray *words, guint start)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  glong chars = 0;
  for (guint i = start; i < words->len; i++)
    {
      const Word *w = &g_array_index (words, Word, i);
      x0 = MIN (x0, w->x0);
      y0 = MIN (y0, w->y0);
      x1 = MAX (x1, w->x1);
      y1 = MAX (y1, w->y1);
      chars += g_utf8_strlen (w->text, -1);
    }
  for (guint i = start; i < words->len; i++)
    g_array_index (words, Word, i).vertical = chars >= 3 && y1 - y0 > x1 - x0;
}

/* Runs pdftotext on path; FALSE (and a skip) when it is not installed. */
static gboolean
read_pdf_text (const char *path, PdfText *out)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  if (tool == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return FALSE;
    }
  const char *argv[] = { tool, "-bbox-layout", path, "-", NULL };
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &stdout_text, &stderr_text, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  out->width = out->height = -1;
  out->words = g_array_new (FALSE, FALSE, sizeof (Word));
  g_array_set_clear_func (out->words, word_clear);
  g_auto(GStrv) lines = g_strsplit (stdout_text, "\n", -1);
  guint line_start = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      if (strstr (l, "<line ") != NULL)
        line_start = out->words->len;
      else if (strstr (l, "</line>") != NULL)
        mark_vertical (out->words, line_start);
      else if (strstr (l, "<page ") != NULL)
        {
          g_assert_cmpfloat (out->width, <, 0);   /* one page */
          g_assert_true (attr (l, "width", &out->width) && attr (l, "height", &out->height));
        }
      else if (strstr (l, "<word ") != NULL)
        {
          Word w = { 0 };
          g_assert_true (attr (l, "xMin", &w.x0) && attr (l, "yMin", &w.y0) &&
                         attr (l, "xMax", &w.x1) && attr (l, "yMax", &w.y1));
          const char *gt = strchr (l, '>'), *end = strstr (l, "</word>");
          w.text = gt && end && end > gt ? unescape (gt + 1, end - gt - 1) : g_strdup ("?");
          g_array_append_val (out->words, w);
        }
    }
  return TRUE;
}

/* pdffonts' table of path: a fault for every font not embedded and subset, and for none at
 * all (a page of text always has one). Skipped silently without pdffonts (poppler-utils,
 * the same package as pdftotext). */
static void
check_fonts (const char *path, const char *file, GString *out)
{
  g_autofree char *tool = g_find_program_in_path ("pdffonts");
  if (tool == NULL)
    return;
  const char *argv[] = { tool, path, NULL };
  g_autofree char *text = NULL;
  int status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &text, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint fonts = 0;
  /* after the two header lines: name type encoding emb sub uni object ID; the type and
   * encoding may hold spaces, so emb and sub are read from the end */
  for (guint i = 2; lines[0] != NULL && lines[1] != NULL && lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      GPtrArray *w = g_ptr_array_new ();
      for (guint k = 0; f[k] != NULL; k++)
        if (*f[k] != '\0')
          g_ptr_array_add (w, f[k]);
      if (w->len >= 7)
        {
          fonts++;
          const char *emb = w->pdata[w->len - 5], *sub = w->pdata[w->len - 4];
          if (strcmp (emb, "yes") != 0 || strcmp (sub, "yes") != 0)
            g_string_append_printf (out, "%s: font %s not embedded and subset\n", file,
                                    (const char *) w->pdata[0]);
        }
      g_ptr_array_unref (w);
    }
  if (fonts == 0)
    g_string_append_printf (out, "%s: no fonts in the PDF\n", file);
}

/* The font size of a word: its box's thickness across its line. */
static double
word_font_size (const Word *w)
{
  return (w->vertical ? w->x1 - w->x0 : w->y1 - w->y0) / box_per_pt;
}

static void
draw_calibration (cairo_t *cr, double width, double height, gconstpointer data,
                  const TgPlotStyle *st)
{
  tg_text (cr, st, 1.0, FALSE, "Calibrate", 10, 10, 0.0, 0.0);
}

static void
test_calibrate (void)
{
  TgPlotStyle st;
  PdfText t;
  tg_plot_style_init_light (&st);
  st.font_size = 20.0;
  g_autofree char *path = g_build_filename (tmp_dir, "calibrate.pdf", NULL);
  g_assert_true (tg_plot_export (path, 200, 100, draw_calibration, NULL, &st, NULL));
  if (!read_pdf_text (path, &t))
    return;
  g_assert_cmpuint (t.words->len, ==, 1);
  Word *w = &g_array_index (t.words, Word, 0);
  box_per_pt = (w->y1 - w->y0) / 20.0;
  g_assert_cmpfloat (box_per_pt, >, 0.8);
  g_assert_cmpfloat (box_per_pt, <, 1.6);
  g_array_unref (t.words);
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
  PdfText t;

  g_assert_true (tg_plot_size_parse (preset, &w, &h, &error));
  g_assert_no_error (error);
  tg_plot_style_init_light (&st);
  st.font_size = tg_plot_size_font_size (preset);
  g_autofree char *file = g_strdup_printf ("%s-%s.pdf", f->name, preset);
  g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
  g_assert_true (tg_plot_export (path, w, h, f->func, f->data, &st, &error));
  g_assert_no_error (error);
  if (!read_pdf_text (path, &t))
    return;
  check_fonts (path, file, faults);

  if (fabs (t.width - w) > 0.5 || fabs (t.height - h) > 0.5)
    g_string_append_printf (faults, "%s: page %.1f x %.1f, asked %.1f x %.1f\n", file,
                            t.width, t.height, w, h);
  g_assert_cmpuint (t.words->len, >, 0);
  for (guint i = 0; i < t.words->len; i++)
    {
      const Word *a = &g_array_index (t.words, Word, i);
      if (a->x0 < -0.01 || a->y0 < -0.01 || a->x1 > t.width + 0.01 || a->y1 > t.height + 0.01)
        g_string_append_printf (faults, "%s: “%s” [%.1f %.1f %.1f %.1f] leaves the page\n",
                                file, a->text, a->x0, a->y0, a->x1, a->y1);
      double size = word_font_size (a);
      if (size < st.font_size - 1.0 - 0.05)
        g_string_append_printf (faults, "%s: “%s” is %.2f pt, below %.1f - 1\n", file,
                                a->text, size, st.font_size);
      for (guint j = 0; j < i; j++)
        {
          const Word *b = &g_array_index (t.words, Word, j);
          double ox = MIN (a->x1, b->x1) - MAX (a->x0, b->x0);
          double oy = MIN (a->y1, b->y1) - MAX (a->y0, b->y0);
          if (ox > 0.25 && oy > 0.25)
            g_string_append_printf (faults, "%s: “%s” overlaps “%s” by %.1f x %.1f\n", file,
                                    a->text, b->text, ox, oy);
        }
    }
  g_array_unref (t.words);
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

/* Lists the faults found, one per line (the first 200), and says how many there were. */
static guint
report_faults (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n_faults = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && n_faults++ < 200)
      g_test_message ("%s", lines[i]);
  return n_faults;
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
  guint n_faults = report_faults (faults->str);
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
      if (!read_pdf_text (path, &t))
        return;
      gboolean title = FALSE, caption = FALSE, axis = FALSE;
      for (guint i = 0; i < t.words->len; i++)
        {
          const char *w = g_array_index (t.words, Word, i).text;
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
      if (!read_pdf_text (path, &t))
        return;
      guint paper = 0, ours = 0;
      for (guint i = 0; i < t.words->len; i++)
        {
          const char *w = g_array_index (t.words, Word, i).text;
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
