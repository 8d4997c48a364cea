/* SPDX-License-Identifier: MIT */
/* tg-report.c — the paper pipeline's outputs: results.csv, overlap.csv and Tables 1-3 as
 * LaTeX, named after the data set they were made on, with the paper's
 * published numbers beside ours when they are comparable: MNIST at 45 degrees
 * (tg_experiment_config_is_paper_setting). Another data set or angle gets ours alone.
 *
 * Numbers are written in the C locale (tg-csv.h), so a window running under a locale with a
 * decimal comma still writes "0.850000", and identical results give identical bytes.
 * Not here: running anything; this file only reads TgExperimentResults. */
#include "tg-report.h"
#include "tg-csv.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* --- formatting helpers ------------------------------------------------------------------ */

/* "$0.850 \pm 0.006$" */
static void
tex_pm (GString *s, double mean, double std)
{
  g_string_append_c (s, '$');
  tg_number_append (s, "%.3f", mean);
  g_string_append (s, " \\pm ");
  tg_number_append (s, "%.3f", std);
  g_string_append_c (s, '$');
}

static const char *
tex_label (TgMethod m)
{
  switch (m)
    {
    case TG_METHOD_FROZEN:   return "Frozen (no adapt)";
    case TG_METHOD_BITFIT:   return "BitFit (bias-only)";
    case TG_METHOD_TAUGATE:  return "TauGate (threshold tuning)";
    case TG_METHOD_GAINONLY: return "GainOnly (activation scales)";
    case TG_METHOD_TAUONLY:  return "TauOnly (thresholds)";
    case TG_METHOD_LORA:     return "LoRA";
    case TG_METHOD_FULL:     return "Full FT";
    case TG_N_METHODS:
    default:                 return "?";
    }
}

static void
tex_method (GString *s, const TgExperimentResults *res, TgMethod m)
{
  g_string_append (s, tex_label (m));
  if (m == TG_METHOD_LORA)
    g_string_append_printf (s, " ($r=%u$)", res->config.lora_rank);
}

/* Our trainable count; the paper's beside it only where they differ. */
static void
tex_params (GString *s, const TgMethodSummary *ours, const TgPaperRow *paper)
{
  g_string_append_printf (s, "%zu", ours->params);
  if (paper != NULL && paper->params != ours->params)
    g_string_append_printf (s, " (paper %zu)", paper->params);
}

/* The settings the numbers were made with, for captions. */
static void
tex_settings (GString *s, const TgExperimentConfig *c)
{
  g_autofree char *lr = tg_number_dup ("%g", c->lr);
  g_autofree char *mom = tg_number_dup ("%g", c->momentum);
  g_autofree char *sh = tg_number_dup ("%g", c->sharpness);
  g_autofree char *lam = tg_number_dup ("%g", c->lambda);
  g_autofree char *alpha = tg_number_dup ("%g", c->lora_alpha);
  g_autofree char *angles = tg_experiment_config_foundation_angles_string (c);
  g_autofree char *mix = tg_experiment_config_is_paper_mix (c)
    ? g_strdup ("the 50/50 mixture")
    : g_strdup_printf ("an even mix of the angles %s (degrees)", angles);
  g_string_append_printf (s,
      "Ours: mean $\\pm$ sample std over %u seed%s (%" G_GUINT64_FORMAT "--%" G_GUINT64_FORMAT
      "); foundation %u epoch%s on %s, then %u adaptation epoch%s; "
      "SGD lr %s, momentum %s, batch %u; TauGate $s = %s$, $\\lambda = %s$; "
      "LoRA $r = %u$, $\\alpha = %s$; hidden layers %u $\\times$ %u",
      c->seeds, c->seeds == 1 ? "" : "s", c->seed0, c->seed0 + (c->seeds ? c->seeds - 1 : 0),
      c->foundation_epochs, c->foundation_epochs == 1 ? "" : "s", mix,
      c->adapt_epochs, c->adapt_epochs == 1 ? "" : "s",
      lr, mom, c->batch, sh, lam, c->lora_rank, alpha, c->n_hidden, c->width);
  if (c->anneal_sharpness)
    g_string_append_printf (s, "; $s$ annealed within each epoch from $1/%s$ to %s (HAT)", sh, sh);
  if (c->train_limit > 0)
    g_string_append_printf (s, "; first %u training images", c->train_limit);
  if (c->test_limit > 0)
    g_string_append_printf (s, "; first %u test images", c->test_limit);
  g_string_append_c (s, '.');
  if (tg_experiment_config_is_paper_setting (c))
    g_string_append (s, " Paper: its published numbers (3 seeds, $45^\\circ$).");
}

/* name with LaTeX's special characters escaped. */
static char *
tex_escape (const char *name)
{
  GString *s = g_string_new (NULL);
  for (const char *p = name; *p; p++)
    {
      if (strchr ("&%$#_{}", *p) != NULL)
        g_string_append_printf (s, "\\%c", *p);
      else if (*p == '~')
        g_string_append (s, "\\textasciitilde{}");
      else if (*p == '^')
        g_string_append (s, "\\textasciicircum{}");
      else if (*p == '\\')
        g_string_append (s, "\\textbackslash{}");
      else
        g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

static void
tex_begin (GString *s, const char *what, gboolean paper, const char *columns)
{
  g_string_append_printf (s,
      "%% %s — written by taugate; %s.\n"
      "%% Needs \\usepackage{booktabs} (\\toprule, \\midrule, \\cmidrule, \\bottomrule).\n"
      "\\begin{table}[t]\n"
      "\\centering\n"
      "\\small\n",
      what, paper ? "ours beside the paper's published numbers" : "our numbers");
  g_string_append_printf (s, "\\begin{tabular}{%s}\n\\toprule\n", columns);
}

static void
tex_end (GString *s, const char *caption, const char *label)
{
  g_string_append_printf (s,
      "\\bottomrule\n"
      "\\end{tabular}\n"
      "\\caption{%s}\n"
      "\\label{%s}\n"
      "\\end{table}\n", caption, label);
}

/* --- results.csv / overlap.csv ------------------------------------------------------------ */

char *
tg_report_csv (const TgExperimentResults *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  TgCsv *csv = tg_csv_new ("seed_index,seed,method,target_angle,trainable_params,"
                           "acc_0,acc_rot,acc_0_hard,acc_rot_hard,high_act_frac,final_loss");
  for (guint i = 0; res->runs != NULL && i < res->runs->len; i++)
    {
      const TgRunResult *r = &g_array_index (res->runs, TgRunResult, i);
      const TgMethodInfo *info = tg_method_info (r->method);
      tg_csv_uint (csv, r->seed_index);
      tg_csv_uint (csv, r->seed);
      tg_csv_text (csv, info != NULL ? info->id : "?");
      tg_csv_number (csv, "%.6f", r->target_angle);
      tg_csv_uint (csv, r->params);
      tg_csv_number (csv, "%.6f", r->acc0);
      tg_csv_number (csv, "%.6f", r->acc_rot);
      tg_csv_number (csv, "%.6f", r->acc0_hard);
      tg_csv_number (csv, "%.6f", r->acc_rot_hard);
      tg_csv_number (csv, "%.6f", r->high_act);
      tg_csv_number (csv, "%.6f", r->final_loss);
      tg_csv_end_row (csv);
    }
  return tg_csv_free_to_text (csv);
}

char *
tg_report_overlap_csv (const TgExperimentResults *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  TgCsv *csv = tg_csv_new ("seed_index,layer,jaccard,on_0,on_rot");
  for (guint i = 0; res->overlaps != NULL && i < res->overlaps->len; i++)
    {
      const TgOverlapResult *o = &g_array_index (res->overlaps, TgOverlapResult, i);
      for (guint l = 0; l < MIN (o->n_layers, TG_MAX_LINEAR); l++)
        {
          tg_csv_uint (csv, o->seed_index);
          tg_csv_uint (csv, l);
          tg_csv_number (csv, "%.6f", o->jaccard[l]);
          tg_csv_uint (csv, o->on0[l]);
          tg_csv_uint (csv, o->on_rot[l]);
          tg_csv_end_row (csv);
        }
    }
  return tg_csv_free_to_text (csv);
}

/* --- Tables 1 and 2 ------------------------------------------------------------------------ */

/* The column heads: ours and the paper's side by side, or ours alone. */
static void
accuracy_header (GString *s, const char *angle, gboolean paper, gboolean high_act)
{
  if (!paper)
    {
      g_string_append_printf (s, "Method & Trainable params & Acc ($0^\\circ$) & "
                              "Acc ($%s^\\circ$)%s \\\\\n\\midrule\n", angle,
                              high_act ? " & High-act frac" : "");
      return;
    }
  g_string_append_printf (s,
      " & & \\multicolumn{2}{c}{Acc ($0^\\circ$)} & \\multicolumn{2}{c}{Acc ($%s^\\circ$)}",
      angle);
  if (high_act)
    g_string_append (s, " & \\multicolumn{2}{c}{High-act frac}");
  g_string_append (s, " \\\\\n\\cmidrule(lr){3-4} \\cmidrule(lr){5-6}");
  if (high_act)
    g_string_append (s, " \\cmidrule(lr){7-8}");
  g_string_append (s, "\nMethod & Trainable params & ours & paper & ours & paper");
  if (high_act)
    g_string_append (s, " & ours & paper");
  g_string_append (s, " \\\\\n\\midrule\n");
}

/* " & $m \pm s$" for ours, and " & $m \pm s$" or " & --" for the paper's when shown. */
static void
accuracy_cells (GString *s, double mean, double std, gboolean paper, const TgPaperRow *p,
                double p_mean, double p_std)
{
  g_string_append (s, " & ");
  tex_pm (s, mean, std);
  if (!paper)
    return;
  g_string_append (s, " & ");
  if (p != NULL)
    tex_pm (s, p_mean, p_std);
  else
    g_string_append (s, "--");
}

static char *
accuracy_table_tex (const TgExperimentResults *res, const TgMethod *methods, guint n_methods,
                    gboolean high_act, const char *what, const char *title, const char *label)
{
  const TgExperimentConfig *c = &res->config;
  g_autofree char *angle = tg_number_dup ("%g", c->angle);
  gboolean paper = tg_experiment_config_is_paper_setting (c);
  GString *s = g_string_new (NULL);

  tex_begin (s, what, paper, paper ? (high_act ? "lrcccccc" : "lrcccc")
                                   : (high_act ? "lrccc" : "lrcc"));
  accuracy_header (s, angle, paper, high_act);
  for (guint i = 0; i < n_methods; i++)
    {
      TgMethodSummary sum;
      if (!tg_report_summarise (res, methods[i], &sum))
        continue;
      const TgPaperRow *p = paper ? tg_paper_row (methods[i]) : NULL;
      tex_method (s, res, methods[i]);
      g_string_append (s, " & ");
      tex_params (s, &sum, p);
      accuracy_cells (s, sum.acc0, sum.acc0_std, paper, p, p ? p->acc0 : 0, p ? p->acc0_std : 0);
      accuracy_cells (s, sum.acc_rot, sum.acc_rot_std, paper, p, p ? p->acc_rot : 0,
                      p ? p->acc_rot_std : 0);
      if (high_act)
        {
          g_string_append (s, " & ");
          if (!isnan (sum.high_act))
            tex_pm (s, sum.high_act, sum.high_act_std);
          else
            g_string_append (s, "--");
          if (paper)
            {
              g_string_append (s, " & ");
              if (p && !isnan (p->high_act))
                tg_number_append (s, "%.2f", p->high_act);
              else
                g_string_append (s, "--");
            }
        }
      g_string_append (s, " \\\\\n");
    }

  GString *cap = g_string_new (title);
  g_string_append_c (cap, ' ');
  tex_settings (cap, c);
  if (high_act)
    {
      g_autofree char *thr = tg_number_dup ("%g", c->on_threshold);
      g_string_append_printf (cap, " High-act frac: fraction of gate values $> %s$ on %u "
                              "training images of the target mode, averaged over the hidden "
                              "layers.", thr, c->high_act_samples);
    }
  tex_end (s, cap->str, label);
  g_string_free (cap, TRUE);
  return g_string_free (s, FALSE);
}

char *
tg_report_table1_tex (const TgExperimentResults *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  static const TgMethod methods[] = { TG_METHOD_FROZEN, TG_METHOD_BITFIT, TG_METHOD_TAUGATE,
                                      TG_METHOD_LORA, TG_METHOD_FULL };
  const TgExperimentConfig *c = &res->config;
  g_autofree char *angle = tg_number_dup ("%g", c->angle);
  g_autofree char *name = tex_escape (tg_experiment_config_data_name (c));
  g_autofree char *title = g_strdup_printf (
      "Mode specialization on %s ($0^\\circ$) vs rotated %s ($%s^\\circ$): a frozen "
      "MLP foundation specialized to the rotated mode%s", name, name, angle,
      tg_experiment_config_is_paper_setting (c) ? "; ours beside the paper's Table 1." : ".");
  g_autofree char *what = g_strdup_printf ("Table 1: mode specialization, %s 0 vs rotated",
                                           tg_experiment_config_data_name (c));
  return accuracy_table_tex (res, methods, G_N_ELEMENTS (methods), TRUE, what, title,
                             "tab:mnist_rotation_results");
}

char *
tg_report_table2_tex (const TgExperimentResults *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  static const TgMethod methods[] = { TG_METHOD_FROZEN, TG_METHOD_GAINONLY, TG_METHOD_TAUONLY,
                                      TG_METHOD_TAUGATE, TG_METHOD_BITFIT, TG_METHOD_LORA };
  const TgExperimentConfig *c = &res->config;
  g_autofree char *name = tex_escape (tg_experiment_config_data_name (c));
  g_autofree char *title = g_strdup_printf (
      "Ablations on activation-space adaptation components (%s)%s", name,
      tg_experiment_config_is_paper_setting (c) ? "; ours beside the paper's Table 2." : ".");
  return accuracy_table_tex (res, methods, G_N_ELEMENTS (methods), FALSE,
                             "Table 2: ablations of activation-space adaptation", title,
                             "tab:mnist_rotation_ablations");
}

/* --- Table 3 -------------------------------------------------------------------------------- */

typedef struct {
  guint  n_layers;
  guint  n[TG_MAX_LINEAR];
  double mean[TG_MAX_LINEAR], std[TG_MAX_LINEAR];
  double on0[TG_MAX_LINEAR], on_rot[TG_MAX_LINEAR];
  guint  n_avg;
  double avg, avg_std;
} OverlapSummary;

static void
summarise_overlaps (const TgExperimentResults *res, OverlapSummary *out)
{
  memset (out, 0, sizeof *out);
  guint len = res->overlaps != NULL ? res->overlaps->len : 0;
  g_autofree double *v = g_new (double, MAX (len, 1));
  g_autofree double *avg = g_new (double, MAX (len, 1));
  for (guint i = 0; i < len; i++)
    {
      const TgOverlapResult *o = &g_array_index (res->overlaps, TgOverlapResult, i);
      out->n_layers = MAX (out->n_layers, MIN (o->n_layers, TG_MAX_LINEAR));
    }
  for (guint l = 0; l < out->n_layers; l++)
    {
      guint n = 0;
      double on0 = 0, onr = 0;
      for (guint i = 0; i < len; i++)
        {
          const TgOverlapResult *o = &g_array_index (res->overlaps, TgOverlapResult, i);
          if (l < o->n_layers)
            {
              v[n++] = o->jaccard[l];
              on0 += o->on0[l];
              onr += o->on_rot[l];
            }
        }
      out->n[l] = n;
      tg_mean_std (v, n, &out->mean[l], &out->std[l]);
      out->on0[l] = n ? on0 / n : 0;
      out->on_rot[l] = n ? onr / n : 0;
    }
  /* Average: over the layers of each seed first, then mean ± std over seeds. */
  guint na = 0;
  for (guint i = 0; i < len; i++)
    {
      const TgOverlapResult *o = &g_array_index (res->overlaps, TgOverlapResult, i);
      guint nl = MIN (o->n_layers, TG_MAX_LINEAR);
      if (nl == 0)
        continue;
      tg_mean_std (o->jaccard, nl, &avg[na], NULL);
      na++;
    }
  out->n_avg = na;
  tg_mean_std (avg, na, &out->avg, &out->avg_std);
}

/* " & m ± s", or " & --" when there is no value. */
static void
jaccard_cell (GString *s, gboolean have, double mean, double std)
{
  g_string_append (s, " & ");
  if (have)
    tex_pm (s, mean, std);
  else
    g_string_append (s, "--");
}

char *
tg_report_table3_tex (const TgExperimentResults *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  const TgExperimentConfig *c = &res->config;
  gboolean paper = tg_experiment_config_is_paper_setting (c);
  OverlapSummary o;
  summarise_overlaps (res, &o);
  g_autofree char *angle = tg_number_dup ("%g", c->angle);
  g_autofree char *thr = tg_number_dup ("%g", c->on_threshold);
  GString *s = g_string_new (NULL);

  tex_begin (s, "Table 3: gate-mask overlap of 0- and rotation-specialized TauGate", paper,
             paper ? "lccc" : "lcc");
  if (paper)
    g_string_append_printf (s,
        " & \\multicolumn{2}{c}{Jaccard} & Units on, ours \\\\\n"
        "\\cmidrule(lr){2-3}\n"
        "Layer & ours & paper & ($0^\\circ$ / $%s^\\circ$) \\\\\n"
        "\\midrule\n", angle);
  else
    g_string_append_printf (s, "Layer & Jaccard & Units on ($0^\\circ$ / $%s^\\circ$) \\\\\n"
                            "\\midrule\n", angle);
  guint rows = MAX (o.n_layers, paper ? 2u : 1u);
  for (guint l = 0; l < rows; l++)
    {
      gboolean have = l < o.n_layers && o.n[l] > 0;
      g_string_append_printf (s, "Hidden %u", l + 1);
      jaccard_cell (s, have, o.mean[MIN (l, TG_MAX_LINEAR - 1)], o.std[MIN (l, TG_MAX_LINEAR - 1)]);
      if (paper)
        jaccard_cell (s, l < 2, tg_paper_jaccard[MIN (l, 1)][0], tg_paper_jaccard[MIN (l, 1)][1]);
      g_string_append (s, " & ");
      if (have)
        {
          tg_number_append (s, "%.1f", o.on0[l]);
          g_string_append (s, " / ");
          tg_number_append (s, "%.1f", o.on_rot[l]);
        }
      else
        g_string_append (s, "--");
      g_string_append (s, " \\\\\n");
    }
  g_string_append (s, "\\midrule\nAverage");
  jaccard_cell (s, o.n_avg > 0, o.avg, o.avg_std);
  if (paper)
    jaccard_cell (s, TRUE, tg_paper_jaccard[2][0], tg_paper_jaccard[2][1]);
  g_string_append (s, " & \\\\\n");

  GString *cap = g_string_new (NULL);
  g_autofree char *name = tex_escape (tg_experiment_config_data_name (c));
  g_string_append_printf (cap,
      "Gate-mask similarity between $0^\\circ$-specialized and $%s^\\circ$-specialized "
      "TauGate models from the same foundation on %s (Jaccard of the units whose mean gate "
      "over their own mode's test set is $> %s$; 1 when both sets are empty). Average: over "
      "the layers of each seed, then mean $\\pm$ std over seeds. ", angle, name, thr);
  tex_settings (cap, c);
  tex_end (s, cap->str, "tab:taugate_overlap");
  g_string_free (cap, TRUE);
  return g_string_free (s, FALSE);
}

/* --- writing --------------------------------------------------------------------------------- */

static gboolean
write_text (const char *dir, const char *name, char *contents, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *owned = contents;
  g_autoptr(GError) local = NULL;
  if (!g_file_set_contents (path, owned, -1, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "could not write %s: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_dir (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "could not create directory %s: %s",
                   path, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

gboolean
tg_report_write_all (const TgExperimentResults *res, const char *out_dir, GError **error)
{
  g_return_val_if_fail (res != NULL && out_dir != NULL, FALSE);
  g_autofree char *tables = g_build_filename (out_dir, "tables", NULL);
  return make_dir (out_dir, error)
         && make_dir (tables, error)
         && write_text (out_dir, "results.csv", tg_report_csv (res), error)
         && write_text (out_dir, "overlap.csv", tg_report_overlap_csv (res), error)
         && write_text (tables, "mnist_rotation_results.tex", tg_report_table1_tex (res), error)
         && write_text (tables, "mnist_rotation_ablations.tex", tg_report_table2_tex (res), error)
         && write_text (tables, "taugate_overlap.tex", tg_report_table3_tex (res), error);
}
