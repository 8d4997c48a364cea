/* tg-plot-common.c — styles and the pieces every figure is made of:
 * text, the frame (title, legend, caption), colour maps. The axis is in tg-plot-axis.c,
 * export in tg-plot-export.c.
 *
 * Nothing here knows about a particular figure, and nothing here knows about widgets. */
#include "tg-plot-private.h"
#include "tg-common.h"

#include <math.h>
#include <string.h>

gboolean
tg_finite (double v)
{
  return isfinite (v);
}

/* ---- styles ---- */

static TgRgba
hex (guint32 rgb)
{
  return (TgRgba) { ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                    (rgb & 0xff) / 255.0, 1.0 };
}

/* The parts of a style that differ between light and dark; everything else is shared. */
static void
style_init (TgPlotStyle *style, guint32 background, guint32 foreground, guint32 grid,
            guint32 muted, const guint32 palette[8])
{
  memset (style, 0, sizeof *style);
  style->background = hex (background);
  style->foreground = hex (foreground);
  style->grid = hex (grid);
  style->muted = hex (muted);
  for (guint i = 0; i < 8; i++)
    style->series[i] = hex (palette[i]);
  style->font_family = "Sans";
  style->font_size = 10.0;
  style->draw_background = TRUE;
  style->line_width = 1.0;
}

void
tg_plot_style_init_light (TgPlotStyle *style)
{
  /* Okabe-Ito's orange and blue first (0 deg and 45 deg differ in hue and in lightness), then
   * colours chosen for a contrast of 3:1 or more on white, on the window behind a view and
   * on the curves' phase tints (test-plot-palette), and to stay apart for deuteranopes and
   * protanopes (CIEDE2000 >= 8 between any two under Machado's simulation). The pale
   * Okabe-Ito colours read at 1.0:1 (yellow) to 2.3:1 on the studio's grey. */
  static const guint32 palette[8] = { 0xB36200, 0x0072B2, 0x198A7A, 0xCF4A5E,
                                      0x332288, 0xA0307F, 0x882255, 0x000000 };
  style_init (style, 0xFFFFFF, 0x1A1A1A, 0xDDDDDD, 0x6B6B6B, palette);
}

void
tg_plot_style_init_dark (TgPlotStyle *style)
{
  /* Okabe-Ito's orange and sky blue first, then light colours with a contrast of 3:1 or more
   * on the dark background, the window and the phase tints (dark blue, green and vermilion
   * were 1.9-2.9:1 there), apart for deuteranopes and protanopes as the light set. */
  static const guint32 palette[8] = { 0xE69F00, 0x56B4E9, 0x48A850, 0xDE7686,
                                      0xF0E442, 0xE46BAB, 0xDDCC77, 0xDDDDDD };
  style_init (style, 0x1E1E1E, 0xEDEDED, 0x3C3C3C, 0xA0A0A0, palette);
}

void
tg_plot_style_init (TgPlotStyle *style, TgPlotBackground background)
{
  if (background == TG_PLOT_BACKGROUND_DARK)
    tg_plot_style_init_dark (style);
  else
    tg_plot_style_init_light (style);
  style->draw_background = background != TG_PLOT_BACKGROUND_TRANSPARENT;
}

/* ---- colours ---- */

void
tg_set_rgba (cairo_t *cr, TgRgba c)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, c.a);
}

void
tg_set_rgba_a (cairo_t *cr, TgRgba c, double alpha_scale)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, c.a * alpha_scale);
}

TgRgba
tg_rgba_mix (TgRgba a, TgRgba b, double t)
{
  return (TgRgba) { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t,
                    a.a + (b.a - a.a) * t };
}

TgRgba
tg_series (const TgPlotStyle *st, guint i)
{
  return st->series[i % 8];
}

static TgRgba
ramp (const guint32 *stops, guint n, double t)
{
  t = CLAMP (t, 0.0, 1.0);
  double f = t * (n - 1);
  guint i = (guint) floor (f);
  if (i >= n - 1)
    return hex (stops[n - 1]);
  return tg_rgba_mix (hex (stops[i]), hex (stops[i + 1]), f - i);
}

TgRgba
tg_cmap_diverging (const TgPlotStyle *st, double t)
{
  /* ColorBrewer RdBu, reversed so low is blue and high is red; the neutral middle is a
   * light grey rather than pure white so it still reads as a cell on white paper. */
  static const guint32 rdbu[9] = { 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF2F2F2,
                                   0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B };
  if (!isfinite (t))
    return tg_rgba_mix (st->background, st->muted, 0.35);
  return ramp (rdbu, 9, (t + 1.0) / 2.0);
}

TgRgba
tg_cmap_sequential (const TgPlotStyle *st, double t)
{
  static const guint32 viridis[9] = { 0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C,
                                      0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725 };
  if (!isfinite (t))
    return tg_rgba_mix (st->background, st->muted, 0.35);
  return ramp (viridis, 9, t);
}

TgRgba
tg_contrast_on (const TgPlotStyle *st, TgRgba c)
{
  double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
  return lum > 0.5 ? hex (0x111111) : hex (0xF5F5F5);
}

/* ---- text ---- */

static void
select_font (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold)
{
  cairo_select_font_face (cr, st->font_family ? st->font_family : "Sans",
                          CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, tg_font_points (st, size));
}

double
tg_font_points (const TgPlotStyle *st, double size)
{
  double base = MAX (st->font_size, 1.0);
  /* Secondary text (ticks, captions) is smaller, but never more than 1 pt below the base
   * size asked for: at 8 pt in a paper column, 0.85 em would be unreadable. */
  return size < 1.0 ? MAX (base * size, base - 1.0) : base * size;
}

double
tg_line_height (const TgPlotStyle *st, double size)
{
  return tg_font_points (st, size) * 1.25;
}

double
tg_text_width (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold, const char *s)
{
  cairo_text_extents_t te;

  if (s == NULL || *s == '\0')
    return 0.0;
  cairo_save (cr);
  select_font (cr, st, size, bold);
  cairo_text_extents (cr, s, &te);
  cairo_restore (cr);
  return te.x_advance;
}

void
tg_text_rotated (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold,
                 const char *s, double x, double y, double ha, double va, double angle)
{
  cairo_text_extents_t te;
  cairo_font_extents_t fe;

  if (s == NULL || *s == '\0')
    return;
  cairo_save (cr);
  select_font (cr, st, size, bold);
  cairo_text_extents (cr, s, &te);
  cairo_font_extents (cr, &fe);
  cairo_translate (cr, x, y);
  if (angle != 0.0)
    cairo_rotate (cr, angle);
  /* Line box = ascent + descent; the baseline sits `ascent` below its top. */
  double box = fe.ascent + fe.descent;
  cairo_move_to (cr, -te.x_advance * ha, fe.ascent - box * va);
  cairo_show_text (cr, s);
  tg_fit_note (cr, -te.x_advance * ha, -box * va, te.x_advance, box, s);
  cairo_new_path (cr);
  cairo_restore (cr);
}

void
tg_text (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold, const char *s,
         double x, double y, double ha, double va)
{
  tg_text_rotated (cr, st, size, bold, s, x, y, ha, va, 0.0);
}

const char *
tg_fit_text (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold, double max_w,
             const char *const *choices)
{
  guint i = 0;
  while (choices[i] != NULL && choices[i + 1] != NULL &&
         tg_text_width (cr, st, size, bold, choices[i]) > max_w)
    i++;
  return choices[i];
}

char *
tg_text_shorten (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold, const char *s,
                 double max_w)
{
  if (s == NULL || tg_text_width (cr, st, size, bold, s) <= max_w)
    return g_strdup (s);
  /* whole characters off the end until the rest and the ellipsis fit */
  for (glong n = g_utf8_strlen (s, -1) - 1; n >= 0; n--)
    {
      const char *end = g_utf8_offset_to_pointer (s, n);
      g_autofree char *prefix = g_strndup (s, end - s);
      g_strchomp (prefix);
      g_autofree char *text = g_strconcat (prefix, "…", NULL);
      if (tg_text_width (cr, st, size, bold, text) <= max_w)
        return g_steal_pointer (&text);
    }
  return NULL;
}

char **
tg_text_wrap (cairo_t *cr, const TgPlotStyle *st, double size, gboolean bold, const char *s,
              double max_w)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_auto(GStrv) words = g_strsplit (s ? s : "", " ", -1);
  GString *line = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (line->len == 0)
        {
          g_string_append (line, words[i]);
          continue;
        }
      g_autofree char *trial = g_strconcat (line->str, " ", words[i], NULL);
      if (tg_text_width (cr, st, size, bold, trial) <= max_w)
        g_string_assign (line, trial);
      else
        {
          g_ptr_array_add (lines, g_string_free (line, FALSE));
          line = g_string_new (words[i]);
        }
    }
  if (line->len > 0 || lines->len == 0)
    g_ptr_array_add (lines, g_string_free (line, FALSE));
  else
    g_string_free (line, TRUE);
  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

/* ---- frame ---- */

void
tg_diamond (cairo_t *cr, double x, double y, double r)
{
  cairo_move_to (cr, x, y - r);
  cairo_line_to (cr, x + r, y);
  cairo_line_to (cr, x, y + r);
  cairo_line_to (cr, x - r, y);
  cairo_close_path (cr);
}

void
tg_draw_unit_mark (cairo_t *cr, const TgPlotStyle *st, guint8 mark, double cx, double cy,
                   double r)
{
  if (mark == TG_PLOT_MARK_NONE)
    return;
  cairo_save (cr);
  for (guint pass = 0; pass < 2; pass++)
    {
      tg_set_rgba (cr, pass == 0 ? st->background : st->foreground);
      cairo_set_line_width (cr, (pass == 0 ? 3.0 : 1.4) * tg_line_scale (st));
      if (mark == TG_PLOT_MARK_SILENCED)
        {
          cairo_move_to (cr, cx - r, cy - r);
          cairo_line_to (cr, cx + r, cy + r);
          cairo_move_to (cr, cx - r, cy + r);
          cairo_line_to (cr, cx + r, cy - r);
          cairo_stroke (cr);
        }
      else
        {
          cairo_arc (cr, cx, cy, r * (pass == 0 ? 0.8 : 0.6), 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
}

void
tg_legend_swatch (cairo_t *cr, const TgPlotStyle *st, const TgLegendItem *it, double x,
                  double y_mid, double w)
{
  double s = st->font_size * 0.8;

  cairo_save (cr);
  tg_set_rgba (cr, it->color);
  switch (it->kind)
    {
    case TG_LEGEND_BOX:
      cairo_rectangle (cr, x, y_mid - s / 2, w, s);
      cairo_fill (cr);
      break;
    case TG_LEGEND_LINE:
    case TG_LEGEND_DASHED:
    case TG_LEGEND_FAINT_LINE:
      if (it->kind == TG_LEGEND_DASHED)
        {
          double dash[2] = { 4.0, 2.5 };
          cairo_set_dash (cr, dash, 2, 0);
        }
      if (it->kind == TG_LEGEND_FAINT_LINE)
        tg_set_rgba_a (cr, it->color, 0.3);
      cairo_set_line_width (cr, 1.8 * tg_line_scale (st));
      cairo_move_to (cr, x, y_mid);
      cairo_line_to (cr, x + w, y_mid);
      cairo_stroke (cr);
      break;
    case TG_LEGEND_TICK:
      cairo_set_line_width (cr, 2.0 * tg_line_scale (st));
      cairo_move_to (cr, x + w * 0.15, y_mid);
      cairo_line_to (cr, x + w * 0.85, y_mid);
      cairo_stroke (cr);
      break;
    case TG_LEGEND_DIAMOND:
      cairo_set_line_width (cr, 1.2 * tg_line_scale (st));
      tg_diamond (cr, x + w / 2, y_mid, s * 0.55);
      tg_set_rgba (cr, st->background);
      cairo_fill_preserve (cr);
      tg_set_rgba (cr, it->color);
      cairo_stroke (cr);
      break;
    default:
      g_assert_not_reached ();
    }
  cairo_restore (cr);
}

/* The legend's items in centred rows from y, wrapped to the page less pad each side;
 * returns the y under the last row. */
static double
frame_legend (cairo_t *cr, const TgPlotStyle *st, const TgLegendItem *items, guint n_items,
              double width, double pad, double y)
{
  double sw = st->font_size * 1.8, gap = st->font_size * 0.4, sep = st->font_size * 1.2;
  double max_w = width - 2 * pad;
  guint i = 0;
  y += st->font_size * 0.2;
  while (i < n_items)
    {
      double row_w = 0.0;
      guint j = i;
      while (j < n_items)
        {
          double item_w = sw + gap + tg_text_width (cr, st, 0.9, FALSE, items[j].label);
          double next = row_w + (j > i ? sep : 0.0) + item_w;
          if (j > i && next > max_w)
            break;
          row_w = next;
          j++;
        }
      double x = (width - row_w) / 2;
      double mid = y + tg_line_height (st, 0.9) / 2;
      for (guint k = i; k < j; k++)
        {
          tg_legend_swatch (cr, st, &items[k], x, mid, sw);
          x += sw + gap;
          tg_set_rgba (cr, st->foreground);
          tg_text (cr, st, 0.9, FALSE, items[k].label, x, mid, 0.0, 0.5);
          x += tg_text_width (cr, st, 0.9, FALSE, items[k].label) + sep;
        }
      y += tg_line_height (st, 0.9);
      i = j;
    }
  return y;
}

TgRect
tg_frame (cairo_t *cr, double width, double height, const TgPlotStyle *st, const char *title,
          const char *subtitle, const char *caption, const TgLegendItem *items, guint n_items)
{
  double pad = st->font_size * 0.8;
  double y = pad;
  double bottom = height - pad;

  cairo_save (cr);
  if (st->draw_background)
    {
      tg_set_rgba (cr, st->background);
      cairo_paint (cr);
    }

  if (st->hide_title)
    title = subtitle = NULL;
  if (st->hide_caption)
    caption = NULL;
  /* Title and subtitle wrap to the page rather than run off it. */
  if (title != NULL && *title != '\0')
    {
      g_auto(GStrv) lines = tg_text_wrap (cr, st, 1.2, TRUE, title, width - 2 * pad);
      tg_set_rgba (cr, st->foreground);
      for (guint i = 0; lines[i] != NULL; i++, y += tg_line_height (st, 1.2))
        tg_text (cr, st, 1.2, TRUE, lines[i], width / 2, y, 0.5, 0.0);
    }
  if (subtitle != NULL && *subtitle != '\0')
    {
      g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.9, FALSE, subtitle, width - 2 * pad);
      tg_set_rgba (cr, st->muted);
      for (guint i = 0; lines[i] != NULL; i++, y += tg_line_height (st, 0.9))
        tg_text (cr, st, 0.9, FALSE, lines[i], width / 2, y, 0.5, 0.0);
    }

  /* Legend: centred rows above the body, so it never covers data. */
  if (n_items > 0)
    y = frame_legend (cr, st, items, n_items, width, pad, y);
  y += st->font_size * 0.4;

  if (caption != NULL && *caption != '\0')
    {
      g_auto(GStrv) lines = tg_text_wrap (cr, st, 0.85, FALSE, caption, width - 2 * pad);
      guint n = g_strv_length (lines);
      double lh = tg_line_height (st, 0.85);
      bottom -= n * lh;
      tg_set_rgba (cr, st->muted);
      for (guint i = 0; i < n; i++)
        tg_text (cr, st, 0.85, FALSE, lines[i], pad, bottom + i * lh, 0.0, 0.0);
      bottom -= st->font_size * 0.5;
    }
  cairo_restore (cr);

  return (TgRect) { pad, y, MAX (width - 2 * pad, 1.0), MAX (bottom - y, 1.0) };
}

TgRect
tg_frame_layout_like (cairo_t *like, double width, double height, const TgPlotStyle *st,
                      const char *title, const char *subtitle, const char *caption,
                      const TgLegendItem *items, guint n_items)
{
  /* text measured as on like's surface: its font options (a PDF's unhinted metrics) and
   * its scale, so lines wrap where the drawing will wrap them */
  cairo_surface_t *s = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (s);
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_surface_get_font_options (cairo_get_target (like), fo);
  cairo_font_options_t *own = cairo_font_options_create ();
  cairo_get_font_options (like, own);
  cairo_font_options_merge (fo, own);
  cairo_set_font_options (cr, fo);
  cairo_font_options_destroy (own);
  cairo_font_options_destroy (fo);
  cairo_matrix_t m;
  cairo_get_matrix (like, &m);
  cairo_set_matrix (cr, &m);
  TgRect body = tg_frame (cr, width, height, st, title, subtitle, caption, items, n_items);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return body;
}

TgRect
tg_frame_layout (double width, double height, const TgPlotStyle *st, const char *title,
                 const char *subtitle, const char *caption, const TgLegendItem *items,
                 guint n_items)
{
  cairo_surface_t *s = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (s);
  TgRect body = tg_frame (cr, width, height, st, title, subtitle, caption, items, n_items);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return body;
}

void
tg_paint_cells (cairo_t *cr, TgRect r, guint cols, guint rows, const TgRgba *colors)
{
  if (cols == 0 || rows == 0 || r.w <= 0 || r.h <= 0)
    return;
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) cols,
                                                     (int) rows);
  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (img);
      return;
    }
  cairo_surface_flush (img);
  unsigned char *px = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  for (guint y = 0; y < rows; y++)
    {
      guint32 *row = (guint32 *) (px + (gsize) y * stride);
      for (guint x = 0; x < cols; x++)
        {
          TgRgba c = colors[(gsize) y * cols + x];
          double a = CLAMP (c.a, 0.0, 1.0);
          /* Premultiplied ARGB32. */
          guint32 A = (guint32) lround (a * 255);
          guint32 R = (guint32) lround (CLAMP (c.r, 0.0, 1.0) * a * 255);
          guint32 G = (guint32) lround (CLAMP (c.g, 0.0, 1.0) * a * 255);
          guint32 B = (guint32) lround (CLAMP (c.b, 0.0, 1.0) * a * 255);
          row[x] = (A << 24) | (R << 16) | (G << 8) | B;
        }
    }
  cairo_surface_mark_dirty (img);

  cairo_save (cr);
  cairo_rectangle (cr, r.x, r.y, r.w, r.h);
  cairo_clip (cr);
  cairo_translate (cr, r.x, r.y);
  cairo_scale (cr, r.w / cols, r.h / rows);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

guint
tg_label_step (double spacing, double need)
{
  guint step = 1;
  while (step < 1024 && step * spacing < need)
    step *= 2;
  return step;
}

double
tg_nice_ceil (double v)
{
  if (!(v > 0) || !isfinite (v))
    return 1.0;
  double mag = pow (10.0, floor (log10 (v)));
  double f = v / mag;
  double nice = f <= 1.0 + 1e-9 ? 1.0 : f <= 2.0 + 1e-9 ? 2.0 : f <= 2.5 + 1e-9 ? 2.5
                : f <= 5.0 + 1e-9 ? 5.0 : 10.0;
  return nice * mag;
}

void
tg_plot_no_data (cairo_t *cr, double x, double y, double width, double height,
                 const char *msg, const TgPlotStyle *st)
{
  cairo_save (cr);
  tg_set_rgba (cr, st->grid);
  cairo_set_line_width (cr, 1.0 * tg_line_scale (st));
  double dash[2] = { 4.0, 3.0 };
  cairo_set_dash (cr, dash, 2, 0);
  cairo_rectangle (cr, x + 0.5, y + 0.5, MAX (width - 1, 0), MAX (height - 1, 0));
  cairo_stroke (cr);
  tg_set_rgba (cr, st->muted);
  tg_text (cr, st, 1.1, FALSE, msg ? msg : "no data yet", x + width / 2, y + height / 2,
           0.5, 0.5);
  cairo_restore (cr);
}

void
tg_colorbar_vertical (cairo_t *cr, const TgPlotStyle *st, TgRect bar, double lo, double hi,
                      const double *ticks, guint n_ticks, int decimals, TgValueColor color,
                      gconstpointer user)
{
  const guint steps = 64;
  char buf[64];

  cairo_save (cr);
  for (guint i = 0; i < steps; i++)
    {
      double v = lo + (hi - lo) * (i + 0.5) / steps;
      double y0 = bar.y + bar.h - bar.h * (i + 1) / steps;
      tg_set_rgba (cr, color (st, v, user));
      /* Overlap by a hair so no seams show between the slices. */
      cairo_rectangle (cr, bar.x, y0 - 0.3, bar.w, bar.h / steps + 0.6);
      cairo_fill (cr);
    }
  tg_set_rgba (cr, st->foreground);
  cairo_set_line_width (cr, 0.6 * tg_line_scale (st));
  cairo_rectangle (cr, bar.x, bar.y, bar.w, bar.h);
  cairo_stroke (cr);
  /* a short bar labels only the ticks that do not touch one labelled before */
  double label_h = tg_line_height (st, 0.8), prev_y = G_MAXDOUBLE;
  for (guint i = 0; i < n_ticks; i++)
    {
      if (ticks[i] < lo - 1e-9 || ticks[i] > hi + 1e-9 || hi <= lo)
        continue;
      double y = bar.y + bar.h - (ticks[i] - lo) / (hi - lo) * bar.h;
      cairo_move_to (cr, bar.x + bar.w, y);
      cairo_line_to (cr, bar.x + bar.w + 3, y);
      cairo_stroke (cr);
      if (fabs (prev_y - y) < label_h)
        continue;
      g_snprintf (buf, sizeof buf, "%.*f", decimals, ticks[i]);
      tg_text (cr, st, 0.8, FALSE, buf, bar.x + bar.w + 5, y, 0.0, 0.5);
      prev_y = y;
    }
  cairo_restore (cr);
}

cairo_t *
tg_scratch_context (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (s);
  cairo_surface_destroy (s);
  return cr;
}
