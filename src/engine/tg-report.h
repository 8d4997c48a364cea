/* SPDX-License-Identifier: MIT */
/* tg-report.h — the paper pipeline's outputs from experiment results: the paper's numbers and
 * our summaries over seeds (tg-report-summary.c), results.csv and the three LaTeX tables
 * (tg-report.c), Table 1 as text (tg-report-text.c). The paper's numbers appear beside ours
 * only when comparable: MNIST at 45 degrees. */
#pragma once

#include "tg-experiment.h"

G_BEGIN_DECLS

/* The paper's published numbers (its Tables 1-3), shown beside ours, never instead. */
typedef struct {
  TgMethod method;
  size_t   params;
  double   acc0, acc0_std, acc_rot, acc_rot_std;
  double   high_act; /* NAN where the paper gives none */
} TgPaperRow;

const TgPaperRow *tg_paper_row (TgMethod method); /* NULL if the paper has no such row */
extern const double tg_paper_jaccard[3][2];       /* hidden 1, hidden 2, average: mean, std */

/* Mean and sample standard deviation (n - 1; 0 when n < 2). */
void tg_mean_std (const double *v, guint n, double *mean, double *std);

/* Aggregates over seeds for one method; FALSE if the results hold no run of it. */
typedef struct {
  TgMethod method;
  size_t   params;
  guint    n;
  double   acc0, acc0_std, acc_rot, acc_rot_std;
  double   acc0_hard, acc_rot_hard;
  double   high_act, high_act_std;
} TgMethodSummary;

gboolean tg_report_summarise (const TgExperimentResults *res, TgMethod method,
                              TgMethodSummary *out);

/* results.csv: one row per run, fixed precision (%.6f, "C" locale), empty fields for values
 * not finite, so identical results give identical bytes. */
char    *tg_report_csv          (const TgExperimentResults *res);
/* overlap.csv: seed_index,layer,jaccard,on_0,on_rot — one row per seed and hidden layer. */
char    *tg_report_overlap_csv  (const TgExperimentResults *res);
char    *tg_report_table1_tex   (const TgExperimentResults *res);
char    *tg_report_table2_tex   (const TgExperimentResults *res);
char    *tg_report_table3_tex   (const TgExperimentResults *res);
char    *tg_report_table1_text  (const TgExperimentResults *res);

/* Writes results.csv, overlap.csv and tables/<table>.tex under out_dir (made if
 * missing), each written atomically. */
gboolean tg_report_write_all (const TgExperimentResults *res, const char *out_dir,
                              GError **error);

G_END_DECLS
