/* SPDX-License-Identifier: MIT */
/* tg-plot-fit.c — does a figure fit its page? Every piece of text a renderer draws goes
 * through tg_text_rotated, which notes its box here while a check is under way (a log on the
 * cairo_t); the figure fits when no box leaves the page and no two boxes overlap. Export
 * refuses a figure that does not fit and names the smallest size that does, found by drawing
 * it again at larger sizes on a PDF surface that writes nowhere.
 *
 * Boxes are the text's advance by its font's ascent + descent, as a PDF reader measures
 * words; rotated text keeps its rotated box. Not here: drawing, or which wording fits (the
 * renderers choose that for the size they are given). */
#include "tg-plot-private.h"
#include "tg-common.h"

#include <cairo-pdf.h>
#include <math.h>

#define FIT_TOLERANCE 0.25   /* points two boxes may share, as the layout tests allow */

typedef struct {
  double x[4], y[4];   /* corners on the page, in order around the box */
  char  *text;
} TextBox;

struct _TgFitLog {
  GArray        *boxes;   /* TextBox */
  cairo_matrix_t to_page; /* device to page points */
};

static const cairo_user_data_key_t log_key;

static void
box_clear (gpointer p)
{
  g_free (((TextBox *) p)->text);
}

TgFitLog *
tg_fit_log_attach (cairo_t *cr)
{
  TgFitLog *log = g_new0 (TgFitLog, 1);
  log->boxes = g_array_new (FALSE, FALSE, sizeof (TextBox));
  g_array_set_clear_func (log->boxes, box_clear);
  cairo_get_matrix (cr, &log->to_page);
  cairo_matrix_invert (&log->to_page);
  cairo_set_user_data (cr, &log_key, log, NULL);
  return log;
}

void
tg_fit_log_free (TgFitLog *log)
{
  if (log == NULL)
    return;
  g_array_unref (log->boxes);
  g_free (log);
}

void
tg_fit_note (cairo_t *cr, double x, double y, double w, double h, const char *text)
{
  TgFitLog *log = cairo_get_user_data (cr, &log_key);
  if (log == NULL)
    return;
  TextBox b = { .text = g_strdup (text) };
  const double ux[4] = { x, x + w, x + w, x }, uy[4] = { y, y, y + h, y + h };
  for (int i = 0; i < 4; i++)
    {
      double px = ux[i], py = uy[i];
      cairo_user_to_device (cr, &px, &py);
      cairo_matrix_transform_point (&log->to_page, &px, &py);
      b.x[i] = px;
      b.y[i] = py;
    }
  g_array_append_val (log->boxes, b);
}

/* TRUE when the projections of a and b on the normal of a's edge i overlap by more than the
 * tolerance (separating axis test for convex quadrilaterals). */
static gboolean
overlap_on_axis (const TextBox *a, const TextBox *b, int i)
{
  double ex = a->x[(i + 1) % 4] - a->x[i], ey = a->y[(i + 1) % 4] - a->y[i];
  double len = hypot (ex, ey);
  if (len < 1e-9)
    return FALSE;
  double nx = -ey / len, ny = ex / len;
  double a0 = G_MAXDOUBLE, a1 = -G_MAXDOUBLE, b0 = G_MAXDOUBLE, b1 = -G_MAXDOUBLE;
  for (int k = 0; k < 4; k++)
    {
      double pa = a->x[k] * nx + a->y[k] * ny, pb = b->x[k] * nx + b->y[k] * ny;
      a0 = MIN (a0, pa);
      a1 = MAX (a1, pa);
      b0 = MIN (b0, pb);
      b1 = MAX (b1, pb);
    }
  return MIN (a1, b1) - MAX (a0, b0) > FIT_TOLERANCE;
}

static gboolean
boxes_overlap (const TextBox *a, const TextBox *b)
{
  for (int i = 0; i < 2; i++)
    if (!overlap_on_axis (a, b, i) || !overlap_on_axis (b, a, i))
      return FALSE;
  return TRUE;
}

char *
tg_fit_log_fault (const TgFitLog *log, double width, double height)
{
  for (guint i = 0; i < log->boxes->len; i++)
    {
      const TextBox *a = &g_array_index (log->boxes, TextBox, i);
      for (int k = 0; k < 4; k++)
        if (a->x[k] < -0.01 || a->y[k] < -0.01 || a->x[k] > width + 0.01 ||
            a->y[k] > height + 0.01)
          return g_strdup_printf ("“%s” leaves the page", a->text);
      for (guint j = 0; j < i; j++)
        {
          const TextBox *b = &g_array_index (log->boxes, TextBox, j);
          if (boxes_overlap (a, b))
            return g_strdup_printf ("“%s” runs into “%s”", a->text, b->text);
        }
    }
  return NULL;
}

static cairo_status_t
write_nowhere (void *closure, const unsigned char *data, unsigned int length)
{
  return CAIRO_STATUS_SUCCESS;
}

char *
tg_plot_fit_fault (double width, double height, TgPlotFunc func, gconstpointer data,
                   const TgPlotStyle *style)
{
  cairo_surface_t *s = cairo_pdf_surface_create_for_stream (write_nowhere, NULL, width, height);
  cairo_t *cr = cairo_create (s);
  TgFitLog *log = tg_fit_log_attach (cr);
  func (cr, width, height, data, style);
  g_autofree char *fault = tg_fit_log_fault (log, width, height);
  cairo_destroy (cr);
  cairo_surface_finish (s);
  cairo_surface_destroy (s);
  tg_fit_log_free (log);
  return g_steal_pointer (&fault);
}

static gboolean
fits_at (double width, double height, TgPlotFunc func, gconstpointer data,
         const TgPlotStyle *style)
{
  g_autofree char *fault = tg_plot_fit_fault (width, height, func, data, style);
  return fault == NULL;
}

/* The smallest t in (lo, hi] (to 1 %) with fits (t), given fits (hi); sizes grow with t. */
static double
search (double lo, double hi, double w0, double h0, gboolean both, TgPlotFunc func,
        gconstpointer data, const TgPlotStyle *style)
{
  while (hi / lo > 1.01)
    {
      double mid = sqrt (lo * hi);
      if (fits_at (both ? w0 * mid : w0, h0 * mid, func, data, style))
        hi = mid;
      else
        lo = mid;
    }
  return hi;
}

gboolean
tg_plot_min_size (double width, double height, TgPlotFunc func, gconstpointer data,
                  const TgPlotStyle *style, double *min_width, double *min_height)
{
  /* the width first kept (a paper's column is fixed), the height grown up to 6 times;
   * then both grown together up to 8 times */
  for (int both = 0; both < 2; both++)
    {
      double prev = 1.0, limit = both ? 8.0 : 6.0;
      for (double t = 1.25; prev < limit; prev = t, t = MIN (t * 1.25, limit))
        {
          double w = both ? width * t : width, h = height * t;
          if (w > 14400.0 || h > 14400.0)
            break;
          if (!fits_at (w, h, func, data, style))
            continue;
          t = search (prev, t, width, height, both, func, data, style);
          /* up to whole hundredths of an inch, as the size is written back to the user */
          *min_width = both ? ceil (width * t / 0.72 - 1e-6) * 0.72 : width;
          *min_height = ceil (height * t / 0.72 - 1e-6) * 0.72;
          return TRUE;
        }
    }
  return FALSE;
}
