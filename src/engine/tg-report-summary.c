/* SPDX-License-Identifier: MIT */
/* tg-report-summary.c — what the outputs are made of: the paper's published numbers, and
 * our runs aggregated over seeds (mean and sample std) per method.
 * Not here: formatting (tg-report.c, tg-report-text.c). */
#include "tg-report.h"

#include <math.h>
#include <string.h>

/* --- the paper's numbers (its Tables 1-3, mean ± std over 3 seeds) --------------------- */

static const TgPaperRow paper_rows[] = {
  { TG_METHOD_FROZEN,   0,      0.832, 0.017, 0.833, 0.016, NAN  },
  { TG_METHOD_BITFIT,   266,    0.851, 0.005, 0.852, 0.009, NAN  },
  { TG_METHOD_TAUGATE,  512,    0.850, 0.006, 0.850, 0.010, 0.28 },
  { TG_METHOD_GAINONLY, 256,    0.850, 0.005, 0.849, 0.010, NAN  },
  { TG_METHOD_TAUONLY,  256,    0.833, 0.017, 0.833, 0.015, NAN  },
  { TG_METHOD_LORA,     10448,  0.855, 0.006, 0.864, 0.005, NAN  },
  { TG_METHOD_FULL,     118282, 0.783, 0.007, 0.887, 0.005, NAN  },
};

const double tg_paper_jaccard[3][2] = {
  { 1.000, 0.000 }, /* hidden 1 */
  { 0.833, 0.289 }, /* hidden 2 */
  { 0.917, 0.144 }, /* average */
};

const TgPaperRow *
tg_paper_row (TgMethod method)
{
  for (guint i = 0; i < G_N_ELEMENTS (paper_rows); i++)
    if (paper_rows[i].method == method)
      return &paper_rows[i];
  return NULL;
}

/* --- statistics ------------------------------------------------------------------------- */

void
tg_mean_std (const double *v, guint n, double *mean, double *std)
{
  double m = 0.0, s = 0.0;
  for (guint i = 0; i < n; i++)
    m += v[i];
  if (n > 0)
    m /= n;
  if (n >= 2)
    {
      for (guint i = 0; i < n; i++)
        s += (v[i] - m) * (v[i] - m);
      s = sqrt (s / (n - 1));
    }
  if (mean != NULL)
    *mean = m;
  if (std != NULL)
    *std = s;
}

static gboolean
is_paper_row (const TgExperimentResults *res, const TgRunResult *r)
{
  return fabs (r->target_angle - res->config.angle) < 1e-9;
}

gboolean
tg_report_summarise (const TgExperimentResults *res, TgMethod method, TgMethodSummary *out)
{
  g_return_val_if_fail (res != NULL && out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  out->method = method;
  if (res->runs == NULL)
    return FALSE;

  guint len = res->runs->len;
  g_autofree double *a0 = g_new (double, MAX (len, 1));
  g_autofree double *ar = g_new (double, MAX (len, 1));
  g_autofree double *h0 = g_new (double, MAX (len, 1));
  g_autofree double *hr = g_new (double, MAX (len, 1));
  g_autofree double *ha = g_new (double, MAX (len, 1));
  guint n = 0, nh = 0;
  for (guint i = 0; i < len; i++)
    {
      const TgRunResult *r = &g_array_index (res->runs, TgRunResult, i);
      if (r->method != method || !is_paper_row (res, r))
        continue;
      if (n == 0)
        out->params = r->params;
      a0[n] = r->acc0;
      ar[n] = r->acc_rot;
      h0[n] = r->acc0_hard;
      hr[n] = r->acc_rot_hard;
      n++;
      if (!isnan (r->high_act))
        ha[nh++] = r->high_act;
    }
  if (n == 0)
    return FALSE;
  out->n = n;
  tg_mean_std (a0, n, &out->acc0, &out->acc0_std);
  tg_mean_std (ar, n, &out->acc_rot, &out->acc_rot_std);
  tg_mean_std (h0, n, &out->acc0_hard, NULL);
  tg_mean_std (hr, n, &out->acc_rot_hard, NULL);
  if (nh > 0)
    tg_mean_std (ha, nh, &out->high_act, &out->high_act_std);
  else
    out->high_act = out->high_act_std = NAN;
  return TRUE;
}
