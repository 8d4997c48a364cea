/* SPDX-License-Identifier: MIT */
/* tg-plot-size.c — figure sizes by name ("single", "double", "page", "slide"...) or as
 * "WxH" with a unit, in PDF points; and the base font size each preset reads best at.
 *
 * No drawing here: the CLI and the export dialog parse what the user typed, then hand the
 * size to tg_plot_export and the font size to the style. */
#include "tg-plot.h"
#include "tg-common.h"

#include <math.h>
#include <string.h>

typedef struct {
  const char *name;
  double      width, height;   /* points */
  double      font_size;
} Preset;

/* Column widths are the usual two-column journal ones (IEEE, ACM: 3.5 in and 7.16 in);
 * heights leave room for a caption under a figure of the usual aspect. */
static const Preset presets[] = {
  { "single", 3.5 * 72, 2.8 * 72, 8.0 },
  { "double", 7.16 * 72, 3.6 * 72, 8.0 },
  { "page",   595.276, 841.890, 10.0 },     /* A4 */
  { "a4",     595.276, 841.890, 10.0 },
  { "letter", 612.0, 792.0, 10.0 },
  { "slide",  960.0, 540.0, 16.0 },         /* 13.33 x 7.5 in, 16:9 */
};

const char *const *
tg_plot_size_presets (void)
{
  static const char *names[G_N_ELEMENTS (presets) + 1];
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    names[i] = presets[i].name;
  names[G_N_ELEMENTS (presets)] = NULL;
  return names;
}

/* Points per unit; px counts as one point, as tg_plot_export counts PNG pixels. */
static gboolean
unit_scale (const char *unit, double *scale)
{
  static const struct { const char *name; double pt; } units[] = {
    { "in", 72.0 }, { "cm", 72.0 / 2.54 }, { "mm", 72.0 / 25.4 }, { "pt", 1.0 }, { "px", 1.0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (unit, units[i].name) == 0)
      {
        *scale = units[i].pt;
        return TRUE;
      }
  return FALSE;
}

/* "3.5in" or "3.5" (unit taken from the other side, or pt): number and unit. */
static gboolean
parse_length (const char *s, double *value, char **unit)
{
  char *end = NULL;
  while (g_ascii_isspace (*s))
    s++;
  if (!g_ascii_isdigit (*s) && *s != '.')
    return FALSE;
  *value = g_ascii_strtod (s, &end);
  if (end == s || !isfinite (*value))
    return FALSE;
  *unit = g_strstrip (g_strdup (end));
  return TRUE;
}

gboolean
tg_plot_size_parse (const char *spec, double *width_pt, double *height_pt, GError **error)
{
  g_return_val_if_fail (width_pt != NULL && height_pt != NULL, FALSE);

  if (spec == NULL || *spec == '\0')
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "empty figure size");
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_ascii_strcasecmp (spec, presets[i].name) == 0)
      {
        *width_pt = presets[i].width;
        *height_pt = presets[i].height;
        return TRUE;
      }

  g_autofree char *lower = g_ascii_strdown (spec, -1);
  g_auto(GStrv) sides = g_strsplit (lower, "x", 2);
  double w, h, sw = 0, sh = 0;
  g_autofree char *uw = NULL, *uh = NULL;
  if (g_strv_length (sides) != 2 || !parse_length (sides[0], &w, &uw) ||
      !parse_length (sides[1], &h, &uh))
    goto bad;
  /* "3.5x2in": the unit after H applies to both; none at all means points. */
  if (*uh == '\0')
    {
      g_free (uh);
      uh = g_strdup (*uw != '\0' ? uw : "pt");
    }
  if (*uw == '\0')
    {
      g_free (uw);
      uw = g_strdup (uh);
    }
  if (!unit_scale (uw, &sw) || !unit_scale (uh, &sh))
    goto bad;
  w *= sw;
  h *= sh;
  if (!(w >= 36.0 && h >= 36.0 && w <= 14400.0 && h <= 14400.0))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "figure size “%s” is %.0f × %.0f pt: each side must be 0.5 in to 200 in",
                   spec, w, h);
      return FALSE;
    }
  *width_pt = w;
  *height_pt = h;
  return TRUE;

bad:
  g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
               "figure size “%s” is neither single, double, page, a4, letter, slide nor "
               "W×H with a unit in, cm, mm, pt or px (e.g. 3.5x2.5in)", spec);
  return FALSE;
}

double
tg_plot_size_font_size (const char *spec)
{
  for (guint i = 0; spec != NULL && i < G_N_ELEMENTS (presets); i++)
    if (g_ascii_strcasecmp (spec, presets[i].name) == 0)
      return presets[i].font_size;
  return 10.0;
}
