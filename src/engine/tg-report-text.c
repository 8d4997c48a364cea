/* SPDX-License-Identifier: MIT */
/* tg-report-text.c — Table 1 as plain text for the terminal: ours, the paper's numbers beside
 * them when comparable (MNIST at 45 degrees), the runs that collapsed, the foundation. */
#include "tg-report.h"
#include "tg-csv.h"

#include <math.h>

static const char *
text_label (TgMethod m)
{
  switch (m)
    {
    case TG_METHOD_FROZEN:   return "Frozen";
    case TG_METHOD_BITFIT:   return "BitFit";
    case TG_METHOD_TAUGATE:  return "TauGate";
    case TG_METHOD_GAINONLY: return "GainOnly";
    case TG_METHOD_TAUONLY:  return "TauOnly";
    case TG_METHOD_LORA:     return "LoRA";
    case TG_METHOD_FULL:     return "Full FT";
    case TG_N_METHODS:
    default:                 return "?";
    }
}

/* Appends str padded with spaces to width columns (UTF-8 characters, not bytes). */
static void
pad (GString *s, const char *str, guint width, gboolean right)
{
  glong len = g_utf8_strlen (str, -1);
  guint fill = len < (glong) width ? width - (guint) len : 0;
  if (right)
    for (guint i = 0; i < fill; i++)
      g_string_append_c (s, ' ');
  g_string_append (s, str);
  if (!right)
    for (guint i = 0; i < fill; i++)
      g_string_append_c (s, ' ');
}

static char *
text_pm (double mean, double std)
{
  g_autofree char *m = tg_number_dup ("%.3f", mean);
  g_autofree char *d = tg_number_dup ("%.3f", std);
  return g_strdup_printf ("%s ± %s", m, d);
}

/* One method's row of Table 1 as text; the paper's cells only when paper. */
static void
text_row (GString *s, const TgExperimentResults *res, TgMethod m, gboolean paper,
          GString *params_note)
{
  TgMethodSummary sum;
  gboolean have = tg_report_summarise (res, m, &sum);
  const TgPaperRow *p = paper ? tg_paper_row (m) : NULL;
  g_autofree char *label = m == TG_METHOD_LORA
                           ? g_strdup_printf ("LoRA r=%u", res->config.lora_rank)
                           : g_strdup (text_label (m));
  g_autofree char *params = have ? g_strdup_printf ("%zu", sum.params) : g_strdup ("—");
  g_autofree char *a0 = have ? text_pm (sum.acc0, sum.acc0_std) : g_strdup ("—");
  g_autofree char *ar = have ? text_pm (sum.acc_rot, sum.acc_rot_std) : g_strdup ("—");
  g_autofree char *ho = have && !isnan (sum.high_act) ? tg_number_dup ("%.3f", sum.high_act)
                                                      : g_strdup ("—");
  pad (s, label, 10, FALSE);
  pad (s, params, 8, TRUE);
  g_string_append (s, "   ");
  pad (s, a0, 17, FALSE);
  if (paper)
    {
      g_autofree char *p0 = p ? text_pm (p->acc0, p->acc0_std) : g_strdup ("—");
      pad (s, p0, 17, FALSE);
    }
  pad (s, ar, 17, FALSE);
  if (paper)
    {
      g_autofree char *pr = p ? text_pm (p->acc_rot, p->acc_rot_std) : g_strdup ("—");
      g_autofree char *hp = p && !isnan (p->high_act) ? tg_number_dup ("%.2f", p->high_act)
                                                      : g_strdup ("—");
      pad (s, pr, 17, FALSE);
      g_string_append_printf (s, "%s / %s\n", ho, hp);
    }
  else
    g_string_append_printf (s, "%s\n", ho);
  if (have && p != NULL && p->params != sum.params)
    g_string_append_printf (params_note, "%s%s %zu (paper %zu)",
                            params_note->len ? ", " : "", label, sum.params, p->params);
}

/* "training collapsed in: TauGate seed 0 (loss 4e+11), ..." when a run did. */
static void
text_collapses (GString *s, const TgExperimentResults *res)
{
  guint n = 0;
  for (guint i = 0; res->runs != NULL && i < res->runs->len; i++)
    {
      const TgRunResult *r = &g_array_index (res->runs, TgRunResult, i);
      if (!r->collapsed)
        continue;
      g_string_append_printf (s, "%s%s seed %u (loss %.3g)",
                              n++ ? ", " : "training collapsed (final loss above twice a "
                                           "uniform guess's) in: ",
                              text_label (r->method), r->seed_index, r->final_ce);
    }
  if (n > 0)
    g_string_append_c (s, '\n');
}

char *
tg_report_table1_text (const TgExperimentResults *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  const TgExperimentConfig *c = &res->config;
  gboolean paper = tg_experiment_config_is_paper_setting (c);
  g_autofree char *angle = tg_number_dup ("%g", c->angle);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s 0° vs rotated %s°: mean ± std over %u seed%s%s\n",
                          tg_experiment_config_data_name (c), angle, c->seeds,
                          c->seeds == 1 ? "" : "s",
                          paper ? " (ours) beside the paper's Table 1 (3 seeds, 45°)" : "");

  g_autofree char *hro = g_strdup_printf ("acc %s° (ours)", angle);
  pad (s, "method", 10, FALSE);
  pad (s, "params", 8, TRUE);
  g_string_append (s, "   ");
  pad (s, "acc 0° (ours)", 17, FALSE);
  if (paper)
    pad (s, "acc 0° (paper)", 17, FALSE);
  pad (s, hro, 17, FALSE);
  if (paper)
    pad (s, "acc 45° (paper)", 17, FALSE);
  g_string_append (s, paper ? "high-act (ours/paper)\n" : "high-act\n");

  GString *params_note = g_string_new (NULL);
  for (guint m = 0; m < TG_N_METHODS; m++)
    text_row (s, res, (TgMethod) m, paper, params_note);
  if (params_note->len > 0)
    g_string_append_printf (s, "trainable params differ from the paper's: %s\n",
                            params_note->str);
  g_string_free (params_note, TRUE);
  text_collapses (s, res);
  if (res->foundation_acc0 > 0 || res->foundation_acc_rot > 0)
    {
      g_autofree char *f0 = tg_number_dup ("%.3f", res->foundation_acc0);
      g_autofree char *fr = tg_number_dup ("%.3f", res->foundation_acc_rot);
      g_string_append_printf (s, "foundation of seed 0: acc 0° %s, acc %s° %s\n", f0, angle, fr);
    }
  return g_string_free (s, FALSE);
}
