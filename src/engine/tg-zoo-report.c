/* SPDX-License-Identifier: MIT */
/* tg-zoo-report.c — zoo.csv, zoo_summary.csv, tables/zoo.tex and the terminal table (see
 * tg-zoo-report.h). Every number goes through tg-csv.h's C-locale writers. */
#include "tg-zoo-report.h"
#include "tg-csv.h"
#include "tg-report.h"

#include <math.h>
#include <string.h>

char *
tg_zoo_angles_text (const double *angles, guint n)
{
  GString *s = g_string_new (NULL);
  gboolean even = n >= 3;
  for (guint k = 2; even && k < n; k++)
    even = fabs ((angles[k] - angles[k - 1]) - (angles[1] - angles[0])) < 1e-9;
  if (even)
    {
      g_autofree char *a = tg_number_dup ("%g", angles[0]);
      g_autofree char *b = tg_number_dup ("%g", angles[n - 1]);
      g_autofree char *st = tg_number_dup ("%g", fabs (angles[1] - angles[0]));
      g_string_append_printf (s, "%s to %s every %s", a, b, st);
      return g_string_free (s, FALSE);
    }
  for (guint k = 0; k < n; k++)
    {
      if (k)
        g_string_append (s, ", ");
      tg_number_append (s, "%g", angles[k]);
    }
  return g_string_free (s, FALSE);
}

/* --- zoo.csv ---------------------------------------------------------------------------- */

static void
matrix_rows (TgCsv *csv, guint32 seed, const char *method, const TgAccMatrix *am)
{
  for (guint m = 0; m < am->n_modes; m++)
    for (guint a = 0; a < am->n_angles; a++)
      {
        tg_csv_uint (csv, seed);
        tg_csv_text (csv, method);
        tg_csv_number (csv, "%g", am->mode_angles[m]);
        tg_csv_number (csv, "%g", am->test_angles[a]);
        tg_csv_number (csv, "%.6f", tg_acc_matrix_get (am, FALSE, m, a));
        tg_csv_number (csv, "%.6f", tg_acc_matrix_get (am, TRUE, m, a));
        tg_csv_end_row (csv);
      }
}

char *
tg_zoo_csv (const TgZooResults *res)
{
  TgCsv *csv = tg_csv_new ("seed,method,mode_angle,test_angle,acc_soft,acc_hard");
  for (guint32 s = 0; s < res->seeds; s++)
    {
      matrix_rows (csv, s, "foundation", res->foundation_matrix[s]);
      for (guint i = 0; i < res->runs->len; i++)
        {
          const TgZooMethodRun *run = g_ptr_array_index (res->runs, i);
          if (run->seed_index == s && run->matrix != NULL)
            matrix_rows (csv, s, tg_method_info (run->method)->id, run->matrix);
        }
    }
  return tg_csv_free_to_text (csv);
}

/* --- the summary: one row per (seed, method), then pooled over seeds --------------------- */

enum { C_OWN_SOFT, C_OWN_HARD, C_ORACLE, C_ENT_IMG, C_ENT_BATCH, C_ROUT_IMG, C_ROUT_BATCH,
       C_RIGHT_ENT_IMG, C_RIGHT_ENT_BATCH, C_RIGHT_ROUT_IMG, C_RIGHT_ROUT_BATCH, C_SECONDS,
       N_COLS };

static const char *const col_names[N_COLS] = {
  "own_soft", "own_hard", "oracle", "entropy_image", "entropy_batch", "router_image",
  "router_batch", "right_entropy_image", "right_entropy_batch", "right_router_image",
  "right_router_batch", "train_seconds",
};

static void
run_values (const TgZooMethodRun *run, double *v)
{
  const TgRouteResult *r = run->route;
  v[C_OWN_SOFT] = tg_acc_matrix_own_mean (run->matrix, FALSE);
  v[C_OWN_HARD] = tg_acc_matrix_own_mean (run->matrix, TRUE);
  v[C_ORACLE] = r ? r->acc_oracle : NAN;
  v[C_ENT_IMG] = r ? r->acc_entropy_image : NAN;
  v[C_ENT_BATCH] = r ? r->acc_entropy_batch : NAN;
  v[C_ROUT_IMG] = r ? r->acc_router_image : NAN;
  v[C_ROUT_BATCH] = r ? r->acc_router_batch : NAN;
  v[C_RIGHT_ENT_IMG] = r ? r->right_entropy_image : NAN;
  v[C_RIGHT_ENT_BATCH] = r ? r->right_entropy_batch : NAN;
  v[C_RIGHT_ROUT_IMG] = r ? r->right_router_image : NAN;
  v[C_RIGHT_ROUT_BATCH] = r ? r->right_router_batch : NAN;
  v[C_SECONDS] = run->train_seconds;
}

/* The foundation alone: one model for every input, so "own" and every routed column are
 * its mean over the angles (the stream is uniform over them). */
static void
foundation_values (const TgZooResults *res, guint32 s, double *v)
{
  const TgAccMatrix *am = res->foundation_matrix[s];
  double soft = 0, hard = 0;
  for (guint a = 0; a < am->n_angles; a++)
    soft += tg_acc_matrix_get (am, FALSE, 0, a), hard += tg_acc_matrix_get (am, TRUE, 0, a);
  for (guint c = 0; c < N_COLS; c++)
    v[c] = NAN;
  v[C_OWN_SOFT] = soft / am->n_angles;
  v[C_OWN_HARD] = hard / am->n_angles;
  v[C_SECONDS] = res->foundation_seconds[s];
}

char *
tg_zoo_summary_csv (const TgZooResults *res)
{
  TgCsv *csv = tg_csv_new (NULL);
  const char *head[] = { "seed", "method", "modes" };
  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    tg_csv_text (csv, head[i]);
  for (guint c = 0; c < N_COLS; c++)
    tg_csv_text (csv, col_names[c]);
  tg_csv_text (csv, "params_per_mode");
  tg_csv_text (csv, "bytes_all_modes");
  tg_csv_end_row (csv);
  double v[N_COLS];
  for (guint32 s = 0; s < res->seeds; s++)
    {
      foundation_values (res, s, v);
      tg_csv_uint (csv, s);
      tg_csv_text (csv, "foundation");
      tg_csv_uint (csv, 1);
      for (guint c = 0; c < N_COLS; c++)
        tg_csv_number (csv, "%.6f", v[c]);
      tg_csv_uint (csv, 0);
      tg_csv_uint (csv, s == 0 ? res->foundation_bytes : 0);
      tg_csv_end_row (csv);
      for (guint i = 0; i < res->runs->len; i++)
        {
          const TgZooMethodRun *run = g_ptr_array_index (res->runs, i);
          if (run->seed_index != s)
            continue;
          run_values (run, v);
          tg_csv_uint (csv, s);
          tg_csv_text (csv, tg_method_info (run->method)->id);
          tg_csv_uint (csv, res->config.n_angles);
          for (guint c = 0; c < N_COLS; c++)
            tg_csv_number (csv, "%.6f", v[c]);
          tg_csv_uint (csv, run->params);
          tg_csv_uint (csv, run->bytes);
          tg_csv_end_row (csv);
        }
    }
  return tg_csv_free_to_text (csv);
}

/* --- the table -------------------------------------------------------------------------- */

typedef struct {
  char    *label;
  double   mean[N_COLS], std[N_COLS];
  gint64   params;        /* per mode; < 0: not known */
  guint64  bytes;         /* all modes; 0: not written */
  gboolean bytes_estimate;
} Row;

static void
row_pool (Row *row, const double *values, guint n)
{
  for (guint c = 0; c < N_COLS; c++)
    {
      g_autofree double *col = g_new (double, MAX (n, 1));
      for (guint k = 0; k < n; k++)
        col[k] = values[k * N_COLS + c];
      tg_mean_std (col, n, &row->mean[c], &row->std[c]);
    }
}

/* The foundation, each method, and K separate full models when Full FT did not run. */
static GArray *
table_rows (const TgZooResults *res)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));
  guint32 S = res->seeds, K = res->config.n_angles;
  g_autofree double *v = g_new (double, (size_t) S * N_COLS);
  Row f = { .label = g_strdup ("Foundation alone (one generalist)"), .params = 0,
            .bytes = res->foundation_bytes };
  for (guint32 s = 0; s < S; s++)
    foundation_values (res, s, v + (size_t) s * N_COLS);
  row_pool (&f, v, S);
  g_array_append_val (rows, f);
  gboolean full = FALSE;
  for (int k = 0; k < TG_N_METHODS; k++)
    {
      const TgZooMethodRun *run0 = tg_zoo_results_get (res, 0, k);
      if (run0 == NULL)
        continue;
      full |= k == TG_METHOD_FULL;
      Row r = { .params = (gint64) run0->params, .bytes = run0->bytes };
      r.label = k == TG_METHOD_FULL ? g_strdup_printf ("Full FT (%u separate models)", K)
                                    : g_strdup (tg_method_info (k)->label);
      for (guint32 s = 0; s < S; s++)
        run_values (tg_zoo_results_get (res, s, k), v + (size_t) s * N_COLS);
      row_pool (&r, v, S);
      g_array_append_val (rows, r);
    }
  if (!full && res->foundations[0] != NULL)
    {
      Row r = { .label = g_strdup_printf ("%u separate models (cost only)", K),
                .params = (gint64) tg_model_count_trainable (res->foundations[0],
                                                             TG_METHOD_FULL),
                .bytes = (guint64) K * res->foundation_bytes, .bytes_estimate = TRUE };
      for (guint c = 0; c < N_COLS; c++)
        r.mean[c] = r.std[c] = NAN;
      g_array_append_val (rows, r);
    }
  return rows;
}

static void
rows_free (GArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    g_free (g_array_index (rows, Row, i).label);
  g_array_unref (rows);
}

static void
tex_cell (GString *s, const Row *r, guint c, guint seeds, double scale, const char *fmt)
{
  if (!isfinite (r->mean[c]))
    {
      g_string_append (s, " & --");
      return;
    }
  g_string_append (s, " & $");
  tg_number_append (s, fmt, r->mean[c] * scale);
  if (seeds > 1 && isfinite (r->std[c]))
    {
      g_string_append (s, " \\pm ");
      tg_number_append (s, fmt, r->std[c] * scale);
    }
  g_string_append_c (s, '$');
}

static char *
format_bytes (guint64 b)
{
  if (b == 0)
    return g_strdup ("--");
  if (b < 10000)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " B", b);
  if (b < 10000000)
    return tg_number_dup ("%.1f kB", b / 1e3);
  return tg_number_dup ("%.1f MB", b / 1e6);
}

char *
tg_zoo_tex (const TgZooResults *res)
{
  GArray *rows = table_rows (res);
  guint32 K = res->config.n_angles, S = res->seeds;
  guint batch = res->config.route_batch;
  GString *s = g_string_new ("% Needs \\usepackage{booktabs}.\n\\begin{table}[t]\n\\centering\n"
                             "\\small\n\\begin{tabular}{lccccccrrr}\n\\toprule\n");
  g_string_append_printf (s, " & \\multicolumn{2}{c}{own angle} & \\multicolumn{2}{c}{entropy} "
                             "& \\multicolumn{2}{c}{router} & params & bytes, %u & train \\\\\n"
                             "method & soft & hard & image & batch & image & batch & per mode "
                             "& modes & (CPU s) \\\\\n\\midrule\n", K);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      g_autofree char *label = g_strdup (r->label);
      g_string_append (s, label);
      const guint cols[] = { C_OWN_SOFT, C_OWN_HARD, C_ENT_IMG, C_ENT_BATCH, C_ROUT_IMG,
                             C_ROUT_BATCH };
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        tex_cell (s, r, cols[c], S, 1.0, "%.3f");
      g_autofree char *bytes = format_bytes (r->bytes);
      g_string_append_printf (s, " & %" G_GINT64_FORMAT " & %s%s", r->params,
                              r->bytes_estimate ? "$\\approx$" : "", bytes);
      tex_cell (s, r, C_SECONDS, S, 1.0, "%.1f");
      g_string_append (s, " \\\\\n");
    }
  double fa[TG_MAX_MIX_MODES];
  guint32 nfa = tg_experiment_config_foundation_angles (&res->config.protocol, fa);
  g_autofree char *mix = tg_zoo_angles_text (fa, nfa);
  g_autofree char *zoo = tg_zoo_angles_text (res->config.angles, K);
  g_string_append_printf (s,
      "\\bottomrule\n\\end{tabular}\n"
      "\\caption{%u modes of one foundation (its training mix: %s degrees), one per angle "
      "(%s degrees), the test images rotated by each (mean%s over %u seed%s). Own angle: each mode "
      "on its own angle's test set, soft and hard gates. Routed (soft gates): a stream of "
      "the test images in blocks of %u, each block rotated by one mode's angle; entropy "
      "runs the mode whose output is the most certain, the router (a softmax regression on "
      "the frozen first layer, trained on rotated training images) predicts the mode; per "
      "image or from the whole block. Bytes: the adapter files of all modes (the foundation's "
      "file is its own row). The foundation alone is measured on every angle.}\n"
      "\\label{tab:zoo}\n\\end{table}\n",
      K, mix, zoo, S > 1 ? " $\\pm$ std" : "", S, S == 1 ? "" : "s", batch);
  rows_free (rows);
  return g_string_free (s, FALSE);
}

static void
text_cell (GString *s, const Row *r, guint c, const char *fmt)
{
  if (!isfinite (r->mean[c]))
    g_string_append (s, "       –");
  else
    {
      g_autofree char *v = tg_number_dup (fmt, r->mean[c]);
      g_string_append_printf (s, " %7s", v);
    }
}

char *
tg_zoo_text (const TgZooResults *res)
{
  GArray *rows = table_rows (res);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%-34s %7s %7s %7s %7s %7s %7s %8s %10s %7s\n", "",
                          "own", "own", "entropy", "entropy", "router", "router", "params",
                          "bytes", "train");
  g_string_append_printf (s, "%-34s %7s %7s %7s %7s %7s %7s %8s %10s %7s\n", "method", "soft",
                          "hard", "image", "batch", "image", "batch", "/mode", "all", "CPU s");
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      g_string_append_printf (s, "%-34s", r->label);
      const guint cols[] = { C_OWN_SOFT, C_OWN_HARD, C_ENT_IMG, C_ENT_BATCH, C_ROUT_IMG,
                             C_ROUT_BATCH };
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        text_cell (s, r, cols[c], "%.3f");
      g_autofree char *bytes = format_bytes (r->bytes);
      g_string_append_printf (s, " %8" G_GINT64_FORMAT " %s%9s", r->params,
                              r->bytes_estimate ? "~" : " ", bytes);
      text_cell (s, r, C_SECONDS, "%.1f");
      g_string_append_c (s, '\n');
    }
  rows_free (rows);
  return g_string_free (s, FALSE);
}
