/* SPDX-License-Identifier: MIT */
/* pdf-layout.c — see pdf-layout.h. Word boxes span the font's ascent to descent, so the font
 * size of a word is its box height over that ratio, which pdf_calibrate measures on a known
 * size. */
#include "pdf-layout.h"

#include <math.h>
#include <string.h>

#include "tg-plot.h"
#include "tg-plot-private.h"

static void
word_clear (gpointer p)
{
  g_free (((PdfWord *) p)->text);
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
      const PdfWord *w = &g_array_index (words, PdfWord, i);
      x0 = MIN (x0, w->x0);
      y0 = MIN (y0, w->y0);
      x1 = MAX (x1, w->x1);
      y1 = MAX (y1, w->y1);
      chars += g_utf8_strlen (w->text, -1);
    }
  for (guint i = start; i < words->len; i++)
    g_array_index (words, PdfWord, i).vertical = chars >= 3 && y1 - y0 > x1 - x0;
}

gboolean
pdf_text_read (const char *path, PdfText *out)
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
  out->words = g_array_new (FALSE, FALSE, sizeof (PdfWord));
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
          PdfWord w = { 0 };
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

static void
draw_calibration (cairo_t *cr, double width, double height, gconstpointer data,
                  const TgPlotStyle *st)
{
  tg_text (cr, st, 1.0, FALSE, "Calibrate", 10, 10, 0.0, 0.0);
}

double
pdf_calibrate (const char *dir)
{
  TgPlotStyle st;
  PdfText t;
  tg_plot_style_init_light (&st);
  st.font_size = 20.0;
  g_autofree char *path = g_build_filename (dir, "calibrate.pdf", NULL);
  g_assert_true (tg_plot_export (path, 200, 100, draw_calibration, NULL, &st, NULL));
  if (!pdf_text_read (path, &t))
    return 0.0;
  g_assert_cmpuint (t.words->len, ==, 1);
  PdfWord *w = &g_array_index (t.words, PdfWord, 0);
  double box_per_pt = (w->y1 - w->y0) / 20.0;
  g_assert_cmpfloat (box_per_pt, >, 0.8);
  g_assert_cmpfloat (box_per_pt, <, 1.6);
  g_array_unref (t.words);
  return box_per_pt;
}

/* The font size of a word: its box's thickness across its line. */
static double
word_font_size (const PdfWord *w, double box_per_pt)
{
  return (w->vertical ? w->x1 - w->x0 : w->y1 - w->y0) / box_per_pt;
}

void
pdf_check_layout (const char *path, const char *file, double width, double height,
                  double font_pt, double box_per_pt, GString *faults)
{
  PdfText t;

  if (!pdf_text_read (path, &t))
    return;
  check_fonts (path, file, faults);
  if (fabs (t.width - width) > 0.5 || fabs (t.height - height) > 0.5)
    g_string_append_printf (faults, "%s: page %.1f x %.1f, asked %.1f x %.1f\n", file,
                            t.width, t.height, width, height);
  g_assert_cmpuint (t.words->len, >, 0);
  for (guint i = 0; i < t.words->len; i++)
    {
      const PdfWord *a = &g_array_index (t.words, PdfWord, i);
      if (a->x0 < -0.01 || a->y0 < -0.01 || a->x1 > t.width + 0.01 || a->y1 > t.height + 0.01)
        g_string_append_printf (faults, "%s: “%s” [%.1f %.1f %.1f %.1f] leaves the page\n",
                                file, a->text, a->x0, a->y0, a->x1, a->y1);
      double size = box_per_pt > 0 ? word_font_size (a, box_per_pt) : font_pt;
      if (size < font_pt - 1.0 - 0.05)
        g_string_append_printf (faults, "%s: “%s” is %.2f pt, below %.1f - 1\n", file,
                                a->text, size, font_pt);
      for (guint j = 0; j < i; j++)
        {
          const PdfWord *b = &g_array_index (t.words, PdfWord, j);
          double ox = MIN (a->x1, b->x1) - MAX (a->x0, b->x0);
          double oy = MIN (a->y1, b->y1) - MAX (a->y0, b->y0);
          if (ox > 0.25 && oy > 0.25)
            g_string_append_printf (faults, "%s: “%s” overlaps “%s” by %.1f x %.1f\n", file,
                                    a->text, b->text, ox, oy);
        }
    }
  g_array_unref (t.words);
}

guint
pdf_report_faults (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n_faults = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && n_faults++ < 200)
      g_test_message ("%s", lines[i]);
  return n_faults;
}
