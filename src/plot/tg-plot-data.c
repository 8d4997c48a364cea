/* tg-plot-data.c — the data beside a figure: NAME.csv with exactly the numbers a renderer
 * draws, and LaTeX for NAME.tex (a pgfplots version of the bar and line figures, or an
 * \includegraphics snippet with the caption), so a figure can be restyled in a paper.
 *
 * Numbers are written in the C locale, as the shortest text that reads back to the same
 * double; a value not measured is an empty field. */
#include "tg-plot-private.h"
#include "tg-common.h"

#include <math.h>
#include <string.h>

/* ---- CSV ---- */

/* The shortest decimal that reads back to exactly v ("0.848", not "0.84799999999999998"). */
static void
append_num (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int digits = 6; digits <= 17; digits++)
    {
      g_ascii_formatd (buf, sizeof buf, digits == 6 ? "%.6g" : digits == 7 ? "%.7g"
                       : digits == 8 ? "%.8g" : digits == 9 ? "%.9g" : digits <= 12 ? "%.12g"
                       : digits <= 15 ? "%.15g" : "%.17g", v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (s, buf);
}

static void
csv_num (GString *s, double v)
{
  g_string_append_c (s, ',');
  if (isfinite (v))
    append_num (s, v);
}

/* A text field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void
csv_text (GString *s, const char *t, gboolean first)
{
  if (!first)
    g_string_append_c (s, ',');
  t = t ? t : "";
  if (strpbrk (t, ",\"\r\n") == NULL)
    {
      g_string_append (s, t);
      return;
    }
  g_string_append_c (s, '"');
  for (; *t; t++)
    {
      if (*t == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *t);
    }
  g_string_append_c (s, '"');
}

static double
at (const double *v, gsize i)
{
  return v != NULL ? v[i] : NAN;
}

static double
atf (const float *v, gsize i)
{
  return v != NULL ? v[i] : NAN;
}

char *
tg_plot_bars_csv (const TgBarsData *d)
{
  GString *s = g_string_new ("group,series,mean,std,reference\n");
  for (guint g = 0; d != NULL && d->mean != NULL && g < d->n_groups; g++)
    for (guint k = 0; k < d->n_series; k++)
      {
        gsize i = (gsize) g * d->n_series + k;
        csv_text (s, d->group_labels ? d->group_labels[g] : "", TRUE);
        csv_text (s, d->series_labels ? d->series_labels[k] : "", FALSE);
        csv_num (s, at (d->mean, i));
        csv_num (s, at (d->err, i));
        csv_num (s, at (d->ref, i));
        g_string_append_c (s, '\n');
      }
  return g_string_free (s, FALSE);
}

char *
tg_plot_curves_csv (const TgCurvesData *d)
{
  GString *s = g_string_new ("run,step,loss,acc0,acc_rot\n");
  for (guint r = 0; d != NULL && r < d->n_runs; r++)
    {
      const TgCurveRun *run = &d->runs[r];
      for (guint i = 0; run->step != NULL && i < run->n_points; i++)
        {
          csv_text (s, run->name ? run->name : "run", TRUE);
          csv_num (s, run->step[i]);
          csv_num (s, at (run->loss, i));
          csv_num (s, at (run->acc0, i));
          csv_num (s, at (run->acc_rot, i));
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

char *
tg_plot_dynamics_csv (const TgDynamicsData *d)
{
  GString *s = g_string_new ("step,layer,mean_gate0,mean_gate_target,units_on0,"
                             "units_on_target,high_act,jaccard\n");
  for (guint i = 0; d != NULL && d->step != NULL && i < d->n_points; i++)
    for (guint l = 0; l < d->n_layers; l++)
      {
        const TgDynamicsLayer *L = &d->layers[l];
        append_num (s, d->step[i]);
        csv_text (s, L->label ? L->label : "layer", FALSE);
        csv_num (s, at (L->mean_gate0, i));
        csv_num (s, at (L->mean_gate_rot, i));
        csv_num (s, at (L->units_on0, i));
        csv_num (s, at (L->units_on_rot, i));
        csv_num (s, at (d->high_act, i));
        csv_num (s, at (L->jaccard, i));
        g_string_append_c (s, '\n');
      }
  return g_string_free (s, FALSE);
}

char *
tg_plot_heatmap_csv (const TgHeatmapData *d)
{
  GString *s = g_string_new ("panel,unit,value,center\n");
  for (guint p = 0; d != NULL && d->panels != NULL && p < d->n_panels; p++)
    {
      const TgHeatmapPanel *panel = &d->panels[p];
      for (guint i = 0; panel->values != NULL && i < panel->n_units; i++)
        {
          guint u = panel->order != NULL ? panel->order[i] : i;  /* cells in drawn order */
          csv_text (s, panel->label, TRUE);
          g_string_append_printf (s, ",%u", u);
          csv_num (s, atf (panel->values, u));
          csv_num (s, panel->center);
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

char *
tg_plot_masks_csv (const TgMasksData *d)
{
  GString *s = g_string_new ("layer,input,class,unit,rate\n");
  guint nc = d != NULL && d->n_classes > 0 ? d->n_classes : 10;
  for (guint l = 0; d != NULL && d->layers != NULL && l < d->n_layers; l++)
    {
      const TgMasksLayer *layer = &d->layers[l];
      guint stride = layer->row_stride > 0 ? layer->row_stride : layer->n_units;
      const float *rates[2] = { layer->rate0, layer->rate_rot };
      /* the inputs by their angle: 0° and the target mode */
      const char *inputs[2] = { "0°", d->target_label ? d->target_label : "45°" };
      for (int m = 0; m < 2; m++)
        for (guint c = 0; rates[m] != NULL && c < nc; c++)
          for (guint i = 0; i < layer->n_units; i++)
            {
              guint u = layer->order != NULL ? layer->order[i] : i;  /* columns in drawn order */
              csv_text (s, layer->label, TRUE);
              csv_text (s, inputs[m], FALSE);
              g_string_append_printf (s, ",%u,%u", c, u);
              csv_num (s, rates[m][(gsize) c * stride + u]);
              g_string_append_c (s, '\n');
            }
    }
  return g_string_free (s, FALSE);
}

char *
tg_plot_overlap_csv (const TgOverlapData *d)
{
  GString *s = g_string_new ("layer,unit,gate0,gate_rot,threshold,jaccard,jaccard_std,reference\n");
  for (guint l = 0; d != NULL && l < d->n_layers; l++)
    for (guint u = 0; u < MAX (d->n_units, 1u); u++)
      {
        gsize i = (gsize) l * d->n_units + u;
        gboolean unit = d->n_units > 0 && d->gate0 != NULL && d->gate_rot != NULL;
        csv_text (s, d->layer_labels ? d->layer_labels[l] : "", TRUE);
        if (unit)
          g_string_append_printf (s, ",%u", u);
        else
          g_string_append_c (s, ',');
        csv_num (s, unit ? atf (d->gate0, i) : NAN);
        csv_num (s, unit ? atf (d->gate_rot, i) : NAN);
        csv_num (s, d->threshold);
        csv_num (s, at (d->jaccard, l));
        csv_num (s, at (d->jaccard_err, l));
        csv_num (s, at (d->ref, l));
        g_string_append_c (s, '\n');
      }
  return g_string_free (s, FALSE);
}

char *
tg_plot_modes_by_angle_csv (const TgModesByAngleData *d)
{
  GString *s = g_string_new ("mode,target_angle,angle,acc_soft,acc_hard\n");
  for (guint m = 0; d != NULL && d->acc != NULL && d->angles != NULL && m < d->n_modes; m++)
    for (guint a = 0; a < d->n_angles; a++)
      {
        gsize i = (gsize) m * d->n_angles + a;
        csv_text (s, d->names != NULL && d->names[m] != NULL ? d->names[m] : "mode", TRUE);
        csv_num (s, at (d->target_angles, m));
        csv_num (s, d->angles[a]);
        csv_num (s, d->acc[i]);
        csv_num (s, at (d->acc_hard, i));
        g_string_append_c (s, '\n');
      }
  return g_string_free (s, FALSE);
}

char *
tg_plot_results_table_csv (const TgResultsData *d)
{
  GString *s = g_string_new ("method,source,params,acc0,acc0_std,acc_rot,acc_rot_std,high_act\n");
  for (guint r = 0; d != NULL && d->rows != NULL && r < d->n_rows; r++)
    {
      const TgResultsRow *row = &d->rows[r];
      const TgResultsCells *c[2] = { &row->ours, &row->paper };
      for (int i = 0; i < 2; i++)
        {
          csv_text (s, row->method, TRUE);
          g_string_append (s, i == 0 ? ",ours," : ",paper,");
          if (i == 0 && row->params >= 0)
            g_string_append_printf (s, "%" G_GINT64_FORMAT, row->params);
          csv_num (s, c[i]->acc0);
          csv_num (s, c[i]->acc0_std);
          csv_num (s, c[i]->acc_rot);
          csv_num (s, c[i]->acc_rot_std);
          csv_num (s, c[i]->high_act);
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

/* ---- LaTeX ---- */

/* Text safe inside LaTeX, with the few non-ASCII signs our labels use in math mode. */
char *
tg_plot_tex_escape (const char *t)
{
  static const struct { const char *from, *to; } map[] = {
    { "\\", "\\textbackslash{}" }, { "{", "\\{" }, { "}", "\\}" }, { "%", "\\%" },
    { "&", "\\&" }, { "#", "\\#" }, { "_", "\\_" }, { "$", "\\$" },
    { "^", "\\textasciicircum{}" }, { "~", "\\textasciitilde{}" },
    { "°", "\\ensuremath{^\\circ}" }, { "±", "\\ensuremath{\\pm}" },
    { "λ", "\\ensuremath{\\lambda}" }, { "τ", "\\ensuremath{\\tau}" },
    { "γ", "\\ensuremath{\\gamma}" }, { "σ", "\\ensuremath{\\sigma}" },
    { "—", "---" }, { "–", "--" }, { "−", "\\ensuremath{-}" }, { "·", "\\ensuremath{\\cdot}" },
    { "×", "\\ensuremath{\\times}" },
  };
  GString *s = g_string_new (NULL);
  for (const char *p = t ? t : ""; *p;)
    {
      gboolean done = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (map) && !done; i++)
        if (g_str_has_prefix (p, map[i].from))
          {
            g_string_append (s, map[i].to);
            p += strlen (map[i].from);
            done = TRUE;
          }
      if (!done)
        g_string_append_c (s, *p++);
    }
  return g_string_free (s, FALSE);
}

char *
tg_plot_tex_includegraphics (const char *graphics, const char *caption, const char *label,
                             double width_pt)
{
  g_autofree char *cap = tg_plot_tex_escape (caption);
  GString *s = g_string_new ("\\begin{figure}[t]\n  \\centering\n");
  g_string_append_printf (s, "  \\includegraphics[width=%.2fin]{%s}\n", width_pt / 72.0,
                          graphics);
  if (caption != NULL && *caption != '\0')
    g_string_append_printf (s, "  \\caption{%s}\n", cap);
  if (label != NULL)
    g_string_append_printf (s, "  \\label{%s}\n", label);
  g_string_append (s, "\\end{figure}\n");
  return g_string_free (s, FALSE);
}

static const char *const tex_colors[8] = { "E69F00", "0072B2", "009E73", "D55E00", "CC79A7",
                                           "56B4E9", "F0E442", "000000" };

static void
tex_num (GString *s, double v)
{
  append_num (s, v);
}

static void
tex_begin (GString *s, double width_pt, double height_pt, double font_pt)
{
  g_string_append (s, "% Needs \\usepackage{pgfplots} and \\pgfplotsset{compat=1.16}.\n");
  g_string_append (s, "\\begin{tikzpicture}\n");
  g_string_append_printf (s, "  \\pgfplotsset{every axis/.append style={font=\\fontsize{%.1f}"
                          "{%.1f}\\selectfont}}\n", font_pt, font_pt * 1.2);
  (void) width_pt;
  (void) height_pt;
}

char *
tg_plot_bars_pgfplots (const TgBarsData *d, double width_pt, double height_pt, double font_pt)
{
  GString *s = g_string_new (NULL);
  guint ng = d != NULL ? d->n_groups : 0, ns = d != NULL ? MIN (d->n_series, 8u) : 0;

  tex_begin (s, width_pt, height_pt, font_pt);
  for (guint k = 0; k < ns; k++)
    g_string_append_printf (s, "  \\definecolor{series%c}{HTML}{%s}\n", 'a' + k, tex_colors[k]);
  g_string_append_printf (s, "  \\begin{axis}[ybar, width=%.1fpt, height=%.1fpt,\n"
                          "    bar width=%.1fpt, enlarge x limits=%.2f, ymajorgrids,\n"
                          "    symbolic x coords={", width_pt, height_pt * 0.8,
                          MAX (2.0, width_pt * 0.6 / MAX (ng * ns, 1u)), ng > 1 ? 0.5 / ng : 0.5);
  for (guint g = 0; g < ng; g++)
    g_string_append_printf (s, "%sg%u", g ? "," : "", g);
  g_string_append (s, "}, xtick=data,\n    xticklabels={");
  for (guint g = 0; g < ng; g++)
    {
      g_autofree char *l = tg_plot_tex_escape (d->group_labels ? d->group_labels[g] : "");
      g_string_append_printf (s, "%s{%s}", g ? "," : "", l);
    }
  g_autofree char *yl = tg_plot_tex_escape (d != NULL ? d->y_label : NULL);
  g_string_append_printf (s, "},\n    x tick label style={rotate=90, anchor=east},\n"
                          "    ylabel={%s}, legend style={at={(0.5,1.02)}, anchor=south,\n"
                          "    legend columns=-1, draw=none}]\n", yl);
  for (guint k = 0; k < ns; k++)
    {
      g_string_append_printf (s, "  \\addplot[fill=series%c, draw=none,\n"
                              "    error bars/.cd, y dir=both, y explicit]\n"
                              "    coordinates {", 'a' + k);
      for (guint g = 0; g < ng && d->mean != NULL; g++)
        {
          gsize i = (gsize) g * d->n_series + k;
          if (!isfinite (d->mean[i]))
            continue;
          g_string_append_printf (s, " (g%u,", g);
          tex_num (s, d->mean[i]);
          g_string_append (s, ") +- (0,");
          tex_num (s, isfinite (at (d->err, i)) ? at (d->err, i) : 0.0);
          g_string_append (s, ")");
        }
      g_autofree char *l = tg_plot_tex_escape (d->series_labels ? d->series_labels[k] : "");
      g_string_append_printf (s, " };\n  \\addlegendentry{%s}\n", l);
    }
  g_string_append (s, "  \\end{axis}\n\\end{tikzpicture}\n");
  return g_string_free (s, FALSE);
}

/* ---- files beside the figure ---- */

char *
tg_plot_path_beside (const char *figure_path, const char *ext)
{
  const char *slash = strrchr (figure_path, G_DIR_SEPARATOR);
  const char *dot = strrchr (figure_path, '.');
  gsize stem = dot != NULL && (slash == NULL || dot > slash) ? (gsize) (dot - figure_path)
                                                            : strlen (figure_path);
  return g_strdup_printf ("%.*s%s", (int) stem, figure_path, ext);
}

gboolean
tg_plot_write_beside (const char *figure_path, const char *ext, const char *contents,
                      GError **error)
{
  g_autofree char *path = tg_plot_path_beside (figure_path, ext);
  return tg_plot_write_file (path, contents, strlen (contents), error);
}

gboolean
tg_plot_bars_export (const char *path, double width, double height, const TgBarsData *data,
                     const TgPlotStyle *style, GError **error)
{
  TgPlotStyle fallback;
  if (style == NULL)
    {
      tg_plot_style_init_light (&fallback);
      style = &fallback;
    }
  if (!tg_plot_export (path, width, height, (TgPlotFunc) tg_plot_bars, data, style, error))
    return FALSE;
  g_autofree char *csv = tg_plot_bars_csv (data);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *inc = tg_plot_tex_includegraphics (base, data->caption, NULL, width);
  g_autofree char *pgf = tg_plot_bars_pgfplots (data, width, height, style->font_size);
  return tg_plot_write_beside (path, ".csv", csv, error) &&
         tg_plot_write_beside (path, ".tex", inc, error) &&
         tg_plot_write_beside (path, "-pgfplots.tex", pgf, error);
}
