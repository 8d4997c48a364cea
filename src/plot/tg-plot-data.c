/* tg-plot-data.c — the data beside a figure: NAME.csv with exactly the numbers a renderer
 * draws, and LaTeX for NAME.tex (a pgfplots version of the bar and line figures, or an
 * \includegraphics snippet with the caption), so a figure can be restyled in a paper.
 *
 * Numbers are written in the C locale (tg-csv.h), as the shortest text that reads back to the
 * same double; a value not measured is an empty field. */
#include "tg-plot-private.h"
#include "tg-common.h"
#include "tg-csv.h"

#include <math.h>
#include <string.h>

/* ---- CSV ---- */

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
  TgCsv *csv = tg_csv_new ("group,series,mean,std,reference");
  for (guint g = 0; d != NULL && d->mean != NULL && g < d->n_groups; g++)
    for (guint k = 0; k < d->n_series; k++)
      {
        gsize i = (gsize) g * d->n_series + k;
        tg_csv_text (csv, d->group_labels ? d->group_labels[g] : "");
        tg_csv_text (csv, d->series_labels ? d->series_labels[k] : "");
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->mean, i));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->err, i));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->ref, i));
        tg_csv_end_row (csv);
      }
  return tg_csv_free_to_text (csv);
}

char *
tg_plot_curves_csv (const TgCurvesData *d)
{
  TgCsv *csv = tg_csv_new ("run,step,loss,acc0,acc_rot");
  for (guint r = 0; d != NULL && r < d->n_runs; r++)
    {
      const TgCurveRun *run = &d->runs[r];
      for (guint i = 0; run->step != NULL && i < run->n_points; i++)
        {
          tg_csv_text (csv, run->name ? run->name : "run");
          tg_csv_number (csv, TG_NUMBER_SHORTEST, run->step[i]);
          tg_csv_number (csv, TG_NUMBER_SHORTEST, at (run->loss, i));
          tg_csv_number (csv, TG_NUMBER_SHORTEST, at (run->acc0, i));
          tg_csv_number (csv, TG_NUMBER_SHORTEST, at (run->acc_rot, i));
          tg_csv_end_row (csv);
        }
    }
  return tg_csv_free_to_text (csv);
}

char *
tg_plot_dynamics_csv (const TgDynamicsData *d)
{
  TgCsv *csv = tg_csv_new ("step,layer,mean_gate0,mean_gate_target,units_on0,"
                           "units_on_target,high_act,jaccard");
  for (guint i = 0; d != NULL && d->step != NULL && i < d->n_points; i++)
    for (guint l = 0; l < d->n_layers; l++)
      {
        const TgDynamicsLayer *L = &d->layers[l];
        tg_csv_number (csv, TG_NUMBER_SHORTEST, d->step[i]);
        tg_csv_text (csv, L->label ? L->label : "layer");
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (L->mean_gate0, i));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (L->mean_gate_rot, i));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (L->units_on0, i));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (L->units_on_rot, i));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->high_act, i));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (L->jaccard, i));
        tg_csv_end_row (csv);
      }
  return tg_csv_free_to_text (csv);
}

char *
tg_plot_heatmap_csv (const TgHeatmapData *d)
{
  TgCsv *csv = tg_csv_new ("panel,unit,value,center");
  for (guint p = 0; d != NULL && d->panels != NULL && p < d->n_panels; p++)
    {
      const TgHeatmapPanel *panel = &d->panels[p];
      for (guint i = 0; panel->values != NULL && i < panel->n_units; i++)
        {
          guint u = panel->order != NULL ? panel->order[i] : i;  /* cells in drawn order */
          tg_csv_text (csv, panel->label);
          tg_csv_uint (csv, u);
          tg_csv_number (csv, TG_NUMBER_SHORTEST, atf (panel->values, u));
          tg_csv_number (csv, TG_NUMBER_SHORTEST, panel->center);
          tg_csv_end_row (csv);
        }
    }
  return tg_csv_free_to_text (csv);
}

char *
tg_plot_masks_csv (const TgMasksData *d)
{
  TgCsv *csv = tg_csv_new ("layer,input,class,unit,rate");
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
              tg_csv_text (csv, layer->label);
              tg_csv_text (csv, inputs[m]);
              tg_csv_uint (csv, c);
              tg_csv_uint (csv, u);
              tg_csv_number (csv, TG_NUMBER_SHORTEST, rates[m][(gsize) c * stride + u]);
              tg_csv_end_row (csv);
            }
    }
  return tg_csv_free_to_text (csv);
}

char *
tg_plot_overlap_csv (const TgOverlapData *d)
{
  TgCsv *csv = tg_csv_new ("layer,unit,gate0,gate_rot,threshold,jaccard,jaccard_std,reference");
  for (guint l = 0; d != NULL && l < d->n_layers; l++)
    for (guint u = 0; u < MAX (d->n_units, 1u); u++)
      {
        gsize i = (gsize) l * d->n_units + u;
        gboolean unit = d->n_units > 0 && d->gate0 != NULL && d->gate_rot != NULL;
        tg_csv_text (csv, d->layer_labels ? d->layer_labels[l] : "");
        if (unit)
          tg_csv_uint (csv, u);
        else
          tg_csv_empty (csv);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, unit ? atf (d->gate0, i) : NAN);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, unit ? atf (d->gate_rot, i) : NAN);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, d->threshold);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->jaccard, l));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->jaccard_err, l));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->ref, l));
        tg_csv_end_row (csv);
      }
  return tg_csv_free_to_text (csv);
}

char *
tg_plot_modes_by_angle_csv (const TgModesByAngleData *d)
{
  TgCsv *csv = tg_csv_new ("mode,target_angle,angle,acc_soft,acc_hard");
  for (guint m = 0; d != NULL && d->acc != NULL && d->angles != NULL && m < d->n_modes; m++)
    for (guint a = 0; a < d->n_angles; a++)
      {
        gsize i = (gsize) m * d->n_angles + a;
        tg_csv_text (csv, d->names != NULL && d->names[m] != NULL ? d->names[m] : "mode");
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->target_angles, m));
        tg_csv_number (csv, TG_NUMBER_SHORTEST, d->angles[a]);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, d->acc[i]);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, at (d->acc_hard, i));
        tg_csv_end_row (csv);
      }
  return tg_csv_free_to_text (csv);
}

char *
tg_plot_results_table_csv (const TgResultsData *d)
{
  TgCsv *csv = tg_csv_new ("method,source,params,n,acc0,acc0_std,acc_rot,acc_rot_std,high_act");
  for (guint r = 0; d != NULL && d->rows != NULL && r < d->n_rows; r++)
    {
      const TgResultsRow *row = &d->rows[r];
      const TgResultsCells *c[2] = { &row->ours, &row->paper };
      for (int i = 0; i < 2; i++)
        {
          tg_csv_text (csv, row->method);
          tg_csv_text (csv, i == 0 ? "ours" : "paper");
          if (i == 0 && row->params >= 0)
            tg_csv_int (csv, row->params);
          else
            tg_csv_empty (csv);
          if (c[i]->n > 0)
            tg_csv_int (csv, c[i]->n);
          else
            tg_csv_empty (csv);
          tg_csv_number (csv, TG_NUMBER_SHORTEST, c[i]->acc0);
          tg_csv_number (csv, TG_NUMBER_SHORTEST, c[i]->acc0_std);
          tg_csv_number (csv, TG_NUMBER_SHORTEST, c[i]->acc_rot);
          tg_csv_number (csv, TG_NUMBER_SHORTEST, c[i]->acc_rot_std);
          tg_csv_number (csv, TG_NUMBER_SHORTEST, c[i]->high_act);
          tg_csv_end_row (csv);
        }
    }
  return tg_csv_free_to_text (csv);
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
  g_autofree char *width_in = tg_number_dup ("%.2f", width_pt / 72.0);
  g_string_append_printf (s, "  \\includegraphics[width=%sin]{%s}\n", width_in, graphics);
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
tex_begin (GString *s, double width_pt, double height_pt, double font_pt)
{
  g_string_append (s, "% Needs \\usepackage{pgfplots} and \\pgfplotsset{compat=1.16}.\n");
  g_string_append (s, "\\begin{tikzpicture}\n");
  g_autofree char *size = tg_number_dup ("%.1f", font_pt);
  g_autofree char *skip = tg_number_dup ("%.1f", font_pt * 1.2);
  g_string_append_printf (s, "  \\pgfplotsset{every axis/.append style={font=\\fontsize{%s}"
                          "{%s}\\selectfont}}\n", size, skip);
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
  g_autofree char *width = tg_number_dup ("%.1f", width_pt);
  g_autofree char *height = tg_number_dup ("%.1f", height_pt * 0.8);
  g_autofree char *bar = tg_number_dup ("%.1f", MAX (2.0, width_pt * 0.6 / MAX (ng * ns, 1u)));
  g_autofree char *enlarge = tg_number_dup ("%.2f", ng > 1 ? 0.5 / ng : 0.5);
  g_string_append_printf (s, "  \\begin{axis}[ybar, width=%spt, height=%spt,\n"
                          "    bar width=%spt, enlarge x limits=%s, ymajorgrids,\n"
                          "    symbolic x coords={", width, height, bar, enlarge);
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
          tg_number_append (s, TG_NUMBER_SHORTEST, d->mean[i]);
          g_string_append (s, ") +- (0,");
          tg_number_append (s, TG_NUMBER_SHORTEST, isfinite (at (d->err, i)) ? at (d->err, i) : 0.0);
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
