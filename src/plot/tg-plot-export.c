/* SPDX-License-Identifier: MIT */
/* tg-plot-export.c — one figure into a file: rendered in memory on a PDF, SVG or image
 * surface (the format from the file name), then written atomically. Nothing here changes
 * process-wide state such as the umask, so figures can be exported from any thread. */
#include "tg-plot-private.h"
#include "tg-common.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

/* Cairo writes into memory; the file is written in one go at the end. */
static cairo_status_t
sink_write (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

typedef enum { FMT_PDF, FMT_SVG, FMT_PNG } Format;

static gboolean
format_of (const char *path, Format *fmt)
{
  const char *dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    *fmt = FMT_PDF;
  else if (g_ascii_strcasecmp (dot, ".svg") == 0)
    *fmt = FMT_SVG;
  else if (g_ascii_strcasecmp (dot, ".png") == 0)
    *fmt = FMT_PNG;
  else
    return FALSE;
  return TRUE;
}

/* The figure does not fit width x height: what runs into what, and the smallest size that
 * works, in the user's inches and in points. Newly allocated. */
static char *
unfit_message (double width, double height, TgPlotFunc func, gconstpointer data,
               const TgPlotStyle *style, const char *fault)
{
  double mw, mh;
  g_autofree char *need = tg_plot_min_size (width, height, func, data, style, &mw, &mh)
    ? g_strdup_printf ("at least %.2f × %.2f in (%.0f × %.0f pt) at this font size",
                       mw / 72, mh / 72, mw, mh)
    : g_strdup ("more room than 8 times this size, or smaller text");
  return g_strdup_printf ("at %.2f × %.2f in (%.0f × %.0f pt) with %g pt text the figure "
                          "does not fit (%s); it needs %s", width / 72, height / 72, width,
                          height, style->font_size, fault, need);
}

gboolean
tg_plot_check_fit (double width, double height, TgPlotFunc func, gconstpointer data,
                   const TgPlotStyle *style, GError **error)
{
  TgPlotStyle fallback;
  g_return_val_if_fail (func != NULL, FALSE);
  if (style == NULL)
    {
      tg_plot_style_init_light (&fallback);
      style = &fallback;
    }
  g_autofree char *fault = tg_plot_fit_fault (width, height, func, data, style);
  if (fault == NULL)
    return TRUE;
  g_autofree char *msg = unfit_message (width, height, func, data, style, fault);
  g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "%s", msg);
  return FALSE;
}

gboolean
tg_plot_export (const char *path, double width, double height, TgPlotFunc func,
                gconstpointer data, const TgPlotStyle *style, GError **error)
{
  Format fmt;
  TgPlotStyle fallback;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!format_of (path, &fmt))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "Cannot export to “%s”: unknown format (use .pdf, .svg or .png)", path);
      return FALSE;
    }
  if (style == NULL)
    {
      tg_plot_style_init_light (&fallback);
      style = &fallback;
    }
  /* a PNG's pixels per point; PDF and SVG are in points */
  double scale = fmt == FMT_PNG && style->png_dpi > 0 ? style->png_dpi / 72.0 : 1.0;
  double max_side = fmt == FMT_PNG ? 8192.0 : 20000.0;
  if (!(width >= 1.0 && height >= 1.0 && width * scale <= max_side
        && height * scale <= max_side && isfinite (scale)))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "Cannot export to “%s”: size %g x %g at %g pixels a point is out of range",
                   path, width, height, scale);
      return FALSE;
    }

  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = NULL;
  switch (fmt)
    {
    case FMT_PDF:
      surface = cairo_pdf_surface_create_for_stream (sink_write, bytes, width, height);
      break;
    case FMT_SVG:
      surface = cairo_svg_surface_create_for_stream (sink_write, bytes, width, height);
      break;
    case FMT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale - 1e-9),
                                            (int) ceil (height * scale - 1e-9));
      break;
    default:
      g_assert_not_reached ();
    }

  cairo_status_t status = cairo_surface_status (surface);
  g_autofree char *fault = NULL;
  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_t *cr = cairo_create (surface);
      cairo_scale (cr, scale, scale);
      if (fmt == FMT_PNG)
        {
          /* text laid out as on PDF and SVG: hinted metrics round each glyph's advance and
           * the font's height up to whole pixels, and lines of small text then overlap */
          cairo_font_options_t *fo = cairo_font_options_create ();
          cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
          cairo_set_font_options (cr, fo);
          cairo_font_options_destroy (fo);
        }
      TgFitLog *log = tg_fit_log_attach (cr);
      func (cr, width, height, data, style);
      status = cairo_status (cr);
      fault = tg_fit_log_fault (log, width, height);
      cairo_destroy (cr);
      tg_fit_log_free (log);
    }
  if (fault != NULL)
    {
      cairo_surface_destroy (surface);
      g_autofree char *msg = unfit_message (width, height, func, data, style, fault);
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "“%s” not written: %s", path, msg);
      return FALSE;
    }
  if (status == CAIRO_STATUS_SUCCESS && fmt == FMT_PNG)
    status = cairo_surface_write_to_png_stream (surface, sink_write, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "Cannot write “%s”: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return tg_plot_write_file (path, (const char *) bytes->data, bytes->len, error);
}

gboolean
tg_plot_write_file (const char *path, const char *contents, gsize length, GError **error)
{
  g_autoptr(GError) local = NULL;

  /* Written beside the target and renamed over it, so a reader never sees half a file. The
   * mode is for sharing; the kernel applies the umask when it creates the file, so nothing
   * here reads or sets the umask (it is per process and other threads create files too). */
  if (!g_file_set_contents_full (path, contents, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "Cannot write “%s”: %s", path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}
