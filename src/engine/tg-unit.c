/* SPDX-License-Identifier: MIT */
/* tg-unit.c — one hidden unit interrogated, and ablation of sets of units (see tg-unit.h).
 *
 * Every measurement is a chunked pass of tg_model_forward() over a data set on a private
 * copy of the model; the edits (silence, force on) are parameter edits of that copy. */
#include "tg-unit.h"
#include "tg-metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PASS_CHUNK 512

/* --- units ---------------------------------------------------------------------------- */

gboolean
tg_unit_check (const TgModel *model, TgUnitId unit, GError **error)
{
  guint32 L = tg_model_n_hidden (model);
  if (unit.layer >= L)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "hidden layer %u does not exist: the model has hidden layers 1 to %u",
                   unit.layer + 1, L);
      return FALSE;
    }
  if (unit.index >= model->dims[unit.layer + 1])
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "unit %u does not exist in hidden layer %u: its units are 0 to %u",
                   unit.index, unit.layer + 1, model->dims[unit.layer + 1] - 1);
      return FALSE;
    }
  return TRUE;
}

/* A whole decimal number of at most 9 digits, nothing else. */
static gboolean
parse_count (const char *s, const char *end, guint32 *out)
{
  if (s == end || end - s > 9)
    return FALSE;
  guint32 v = 0;
  for (const char *p = s; p < end; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      v = v * 10 + (guint32) (*p - '0');
    }
  *out = v;
  return TRUE;
}

gboolean
tg_unit_parse (const char *text, const TgModel *model, TgUnitId *out, GError **error)
{
  const char *colon = text ? strchr (text, ':') : NULL;
  guint32 layer = 0, index = 0;
  if (colon == NULL || !parse_count (text, colon, &layer) ||
      !parse_count (colon + 1, colon + strlen (colon), &index))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "unit \"%s\" is not LAYER:UNIT (hidden layer from 1, unit from 0, e.g. 1:7)",
                   text ? text : "");
      return FALSE;
    }
  if (layer == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "unit \"%s\": hidden layers count from 1", text);
      return FALSE;
    }
  TgUnitId u = { layer - 1, index };
  g_autoptr (GError) local = NULL;
  if (model != NULL && !tg_unit_check (model, u, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "unit \"%s\": %s", text, local->message);
      return FALSE;
    }
  *out = u;
  return TRUE;
}

/* --- passes over a data set ----------------------------------------------------------- */

/* The one place the gate mode reaches the forward. */
static void
forward_chunk (TgModel *m, TgWorkspace *ws, const TgForwardOpts *opts, const float *x,
               guint32 n)
{
  tg_model_forward (m, ws, opts, x, NULL, n);
}

typedef struct {
  TgModel         *m;       /* borrowed, a private copy */
  TgWorkspace     *ws;
  const TgDataset *ds;
  TgForwardOpts    opts;
  float           *x;
  guint32          pos;
} Pass;

static void
pass_init (Pass *p, TgModel *m, const TgDataset *ds, const TgForwardOpts *opts)
{
  p->m = m;
  p->ds = ds;
  p->opts = *opts;
  p->pos = 0;
  p->ws = tg_workspace_new (m, PASS_CHUNK);
  p->x = g_new (float, (size_t) PASS_CHUNK * ds->dim);
}

/* Runs the forward on the next chunk; returns its size (0 at the end) and its first index. */
static guint32
pass_next (Pass *p, guint32 *first)
{
  if (p->pos >= p->ds->n)
    return 0;
  guint32 count = MIN (PASS_CHUNK, p->ds->n - p->pos);
  *first = p->pos;
  tg_dataset_gather (p->ds, NULL, p->pos, count, p->x, NULL);
  forward_chunk (p->m, p->ws, &p->opts, p->x, count);
  p->pos += count;
  return count;
}

static void
pass_clear (Pass *p)
{
  g_clear_pointer (&p->ws, tg_workspace_free);
  g_clear_pointer (&p->x, g_free);
}

static gboolean
is_gated (const TgModel *m)
{
  return tg_method_info (m->method)->gated;
}

/* The threshold the unit's firing is measured against: tau when gated, else 0 (ReLU). */
static float
unit_tau (const TgModel *m, TgUnitId u)
{
  return is_gated (m) ? m->params[m->tau[u.layer] + u.index] : 0.0f;
}

/* Gate of the unit for example i of the last forward (1[z > 0] for an ungated model). */
static float
unit_gate (const TgModel *m, const TgWorkspace *ws, TgUnitId u, guint32 i)
{
  size_t k = (size_t) i * m->dims[u.layer + 1] + u.index;
  const float *g = tg_workspace_gates (ws, u.layer);
  if (g != NULL)
    return g[k];
  return tg_workspace_preact (ws, u.layer)[k] > 0.0f ? 1.0f : 0.0f;
}

static float
unit_preact (const TgModel *m, const TgWorkspace *ws, TgUnitId u, guint32 i)
{
  return tg_workspace_preact (ws, u.layer)[(size_t) i * m->dims[u.layer + 1] + u.index];
}

static gboolean
check_data (const TgModel *m, const TgDataset *ds, GError **error)
{
  if (ds->dim != m->dims[0] || ds->n_classes != m->dims[m->n_linear] || ds->n == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "data set of %u images of %u pixels and %u classes does not fit a model of "
                   "%u inputs and %u classes", ds->n, ds->dim, ds->n_classes, m->dims[0],
                   m->dims[m->n_linear]);
      return FALSE;
    }
  return TRUE;
}

/* --- receptive field ------------------------------------------------------------------ */

/* Row j of layer l's effective weights (dims[l]), with the LoRA delta when the method adds it. */
static void
effective_row (const TgModel *m, guint32 l, guint32 j, float *row)
{
  guint32 din = m->dims[l], r = m->lora_rank;
  memcpy (row, m->params + m->w[l] + (size_t) j * din, din * sizeof (float));
  if (!tg_method_info (m->method)->lora || r == 0)
    return;
  float scale = m->lora_alpha / (float) r;
  const float *A = m->params + m->lora_a[l], *B = m->params + m->lora_b[l] + (size_t) j * r;
  for (guint32 k = 0; k < r; k++)
    for (guint32 i = 0; i < din; i++)
      row[i] += scale * B[k] * A[(size_t) k * din + i];
}

/* The TG_UNIT_N_FIELD_IN largest |row[i]| (at most n of them), strongest first. */
static guint
strongest (const float *row, guint32 n, guint32 *idx)
{
  guint k = 0;
  for (guint32 i = 0; i < n; i++)
    {
      guint pos = k;
      while (pos > 0 && fabsf (row[idx[pos - 1]]) < fabsf (row[i]))
        pos--;
      if (pos >= TG_UNIT_N_FIELD_IN)
        continue;
      guint last = MIN (k, TG_UNIT_N_FIELD_IN - 1);
      memmove (idx + pos + 1, idx + pos, (last - pos) * sizeof *idx);
      idx[pos] = i;
      k = MIN (k + 1, TG_UNIT_N_FIELD_IN);
    }
  return k;
}

guint
tg_unit_receptive_field (const TgModel *m, TgUnitId u, float *out, guint32 *inputs,
                         float *weights)
{
  g_autofree float *row = g_new (float, m->dims[u.layer]);
  effective_row (m, u.layer, u.index, row);
  if (u.layer == 0)
    {
      memcpy (out, row, m->dims[0] * sizeof (float));
      return 0;
    }
  /* a lower unit's output is gamma * relu(z) * gate: its weight onto us is w * gamma */
  if (is_gated (m))
    for (guint32 i = 0; i < m->dims[u.layer]; i++)
      row[i] *= m->params[m->gamma[u.layer - 1] + i];
  guint32 idx[TG_UNIT_N_FIELD_IN];
  guint k = strongest (row, m->dims[u.layer], idx);
  g_autofree float *sub = g_new (float, m->dims[0]);
  memset (out, 0, m->dims[0] * sizeof (float));
  for (guint i = 0; i < k; i++)
    {
      TgUnitId below = { u.layer - 1, idx[i] };
      tg_unit_receptive_field (m, below, sub, NULL, NULL);
      for (guint32 p = 0; p < m->dims[0]; p++)
        out[p] += row[idx[i]] * sub[p];
      if (inputs)
        inputs[i] = idx[i];
      if (weights)
        weights[i] = row[idx[i]];
    }
  return k;
}

/* --- firing --------------------------------------------------------------------------- */

/* Sums the unit's gate per class in one gate mode into rate (then divided by counts). */
static void
firing_pass (TgModel *m, const TgDataset *ds, TgUnitId u, const TgForwardOpts *opts,
             double *rate)
{
  g_autofree guint64 *counts = g_new0 (guint64, ds->n_classes);
  guint32 count, first;
  Pass p;
  memset (rate, 0, ds->n_classes * sizeof (double));
  pass_init (&p, m, ds, opts);
  while ((count = pass_next (&p, &first)) > 0)
    for (guint32 i = 0; i < count; i++)
      {
        guint8 c = ds->labels[first + i];
        rate[c] += unit_gate (m, p.ws, u, i);
        counts[c]++;
      }
  pass_clear (&p);
  for (guint32 c = 0; c < ds->n_classes; c++)
    rate[c] = counts[c] ? rate[c] / counts[c] : NAN;
}

void
tg_unit_firing (const TgModel *model, const TgDataset *ds, TgUnitId u, float sharpness,
                double *rate_soft, double *rate_hard)
{
  g_return_if_fail (tg_unit_check (model, u, NULL));
  g_autoptr (TgModel) m = tg_model_copy (model);
  TgForwardOpts soft = { TG_GATES_SOFT, sharpness }, hard = { TG_GATES_HARD, sharpness };
  if (rate_soft)
    firing_pass (m, ds, u, &soft, rate_soft);
  if (rate_hard)
    firing_pass (m, ds, u, &hard, rate_hard);
}

/* --- the report ----------------------------------------------------------------------- */

/* Margins z - tau of every example and the logits (n, classes), in the report's gate mode. */
static void
margins_pass (TgModel *m, const TgDataset *ds, TgUnitId u, const TgForwardOpts *opts,
              float *margin, float *logits)
{
  guint32 C = ds->n_classes, count, first;
  float tau = unit_tau (m, u);
  Pass p;
  pass_init (&p, m, ds, opts);
  while ((count = pass_next (&p, &first)) > 0)
    {
      for (guint32 i = 0; i < count; i++)
        margin[first + i] = unit_preact (m, p.ws, u, i) - tau;
      memcpy (logits + (size_t) first * C, tg_workspace_logits (p.ws),
              (size_t) count * C * sizeof (float));
    }
  pass_clear (&p);
}

static void
histogram (TgUnitReport *r)
{
  float lo = INFINITY, hi = -INFINITY;
  for (guint32 i = 0; i < r->n; i++)
    {
      lo = MIN (lo, r->margin[i]);
      hi = MAX (hi, r->margin[i]);
    }
  if (!(hi > lo))
    {
      lo -= 0.5f;
      hi += 0.5f;
    }
  double width = ((double) hi - lo) / r->n_bins;
  for (guint32 b = 0; b <= r->n_bins; b++)
    r->edges[b] = lo + b * width;
  r->edges[r->n_bins] = hi;
  for (guint32 i = 0; i < r->n; i++)
    {
      double t = floor (((double) r->margin[i] - lo) / width);
      guint32 b = t < 0 ? 0 : t >= r->n_bins ? r->n_bins - 1 : (guint32) t;
      r->counts[b]++;
    }
}

static gint
by_margin_desc (gconstpointer a, gconstpointer b, gpointer user)
{
  const float *margin = user;
  float ma = margin[*(const guint32 *) a], mb = margin[*(const guint32 *) b];
  return (ma < mb) - (ma > mb);
}

/* The top examples, and the near misses: the largest margins that are <= 0. */
static void
extremes (TgUnitReport *r)
{
  g_autofree guint32 *order = g_new (guint32, r->n);
  for (guint32 i = 0; i < r->n; i++)
    order[i] = i;
  /* stable: ties keep the data set's order */
  g_qsort_with_data (order, r->n, sizeof *order, by_margin_desc, r->margin);
  r->n_top = MIN (r->n, TG_UNIT_N_EXAMPLES);
  memcpy (r->top, order, r->n_top * sizeof *order);
  r->n_near = 0;
  for (guint32 i = 0; i < r->n && r->n_near < TG_UNIT_N_EXAMPLES; i++)
    if (r->margin[order[i]] <= 0.0f)
      r->near[r->n_near++] = order[i];
}

/* Mean change of each logit when the unit is silenced, against the base logits. */
static void
logit_effect (const TgModel *model, const TgDataset *ds, TgUnitReport *r, const float *base)
{
  TgUnitEdit edit = { r->unit, TG_UNIT_SILENCE };
  g_autoptr (TgModel) m = tg_unit_edited_model (model, &edit, 1, NULL);
  guint32 C = r->n_classes, count, first;
  Pass p;
  TgForwardOpts opts = { r->hard ? TG_GATES_HARD : TG_GATES_SOFT, r->sharpness };
  pass_init (&p, m, ds, &opts);
  while ((count = pass_next (&p, &first)) > 0)
    {
      const float *lg = tg_workspace_logits (p.ws);
      for (guint32 i = 0; i < count; i++)
        for (guint32 c = 0; c < C; c++)
          r->logit_effect[c] += (double) lg[(size_t) i * C + c]
                                - base[(size_t) (first + i) * C + c];
    }
  pass_clear (&p);
  for (guint32 c = 0; c < C; c++)
    r->logit_effect[c] /= r->n;
}

TgUnitReport *
tg_unit_report_new (const TgModel *model, const TgDataset *ds, TgUnitId u,
                    const TgForwardOpts *opts, guint32 n_bins, GError **error)
{
  if (!tg_unit_check (model, u, error) || !check_data (model, ds, error))
    return NULL;
  g_autoptr (TgUnitReport) r = g_new0 (TgUnitReport, 1);
  guint32 C = ds->n_classes;
  r->unit = u;
  r->hard = opts->gates == TG_GATES_HARD;
  r->sharpness = opts->sharpness;
  r->n_classes = C;
  r->n = ds->n;
  r->tau = model->params[model->tau[u.layer] + u.index];
  r->gamma = model->params[model->gamma[u.layer] + u.index];
  r->field_rows = ds->rows;
  r->field_cols = ds->cols;
  r->field = g_new (float, model->dims[0]);
  r->n_field_inputs = tg_unit_receptive_field (model, u, r->field, r->field_inputs,
                                               r->field_weights);
  r->rate_soft = g_new (double, C);
  r->rate_hard = g_new (double, C);
  tg_unit_firing (model, ds, u, opts->sharpness, r->rate_soft, r->rate_hard);

  g_autoptr (TgModel) m = tg_model_copy (model);
  g_autofree float *logits = g_new (float, (size_t) ds->n * C);
  r->margin = g_new (float, ds->n);
  margins_pass (m, ds, u, opts, r->margin, logits);
  r->n_bins = n_bins ? n_bins : 40;
  r->edges = g_new (double, r->n_bins + 1);
  r->counts = g_new0 (guint32, r->n_bins);
  histogram (r);
  extremes (r);
  r->logit_effect = g_new0 (double, C);
  logit_effect (model, ds, r, logits);
  return g_steal_pointer (&r);
}

void
tg_unit_report_free (TgUnitReport *r)
{
  if (r == NULL)
    return;
  g_free (r->field);
  g_free (r->rate_soft);
  g_free (r->rate_hard);
  g_free (r->margin);
  g_free (r->edges);
  g_free (r->counts);
  g_free (r->logit_effect);
  g_free (r);
}

/* --- ablation ------------------------------------------------------------------------- */

/* Output 0: column j of the next layer's W, and of its LoRA A (delta W = scale B A). */
static void
silence (TgModel *m, TgUnitId u)
{
  guint32 next = u.layer + 1, din = m->dims[next];
  for (guint32 o = 0; o < m->dims[next + 1]; o++)
    m->params[m->w[next] + (size_t) o * din + u.index] = 0.0f;
  for (guint32 k = 0; k < m->lora_rank; k++)
    m->params[m->lora_a[next] + (size_t) k * din + u.index] = 0.0f;
}

TgModel *
tg_unit_edited_model (const TgModel *model, const TgUnitEdit *edits, guint n_edits,
                      GError **error)
{
  for (guint e = 0; e < n_edits; e++)
    if (!tg_unit_check (model, edits[e].unit, error))
      return NULL;
  TgModel *m = tg_model_copy (model);
  for (guint e = 0; e < n_edits; e++)
    if (edits[e].action == TG_UNIT_SILENCE)
      silence (m, edits[e].unit);
    else if (is_gated (m))
      m->params[m->tau[edits[e].unit.layer] + edits[e].unit.index] = -TG_UNIT_FORCE_TAU;
  return m;
}

void
tg_class_eval_clear (TgClassEval *ev)
{
  g_clear_pointer (&ev->acc_class, g_free);
  g_clear_pointer (&ev->confusion, g_free);
}

void
tg_class_eval (const TgModel *model, const TgDataset *ds, const TgForwardOpts *opts,
               TgClassEval *out)
{
  guint32 C = ds->n_classes, count, first;
  g_autoptr (TgModel) m = tg_model_copy (model);
  g_autofree guint32 *per_class = g_new0 (guint32, C);
  guint64 correct = 0;
  out->n_classes = C;
  out->n = ds->n;
  out->acc_class = g_new (double, C);
  out->confusion = g_new0 (guint32, (size_t) C * C);
  Pass p;
  pass_init (&p, m, ds, opts);
  while ((count = pass_next (&p, &first)) > 0)
    for (guint32 i = 0; i < count; i++)
      {
        guint32 y = ds->labels[first + i];
        guint32 pred = tg_argmax (tg_workspace_logits (p.ws) + (size_t) i * C, C);
        out->confusion[(size_t) y * C + pred]++;
        per_class[y]++;
        correct += pred == y;
      }
  pass_clear (&p);
  for (guint32 c = 0; c < C; c++)
    out->acc_class[c] = per_class[c] ? (double) out->confusion[(size_t) c * C + c] / per_class[c]
                                     : NAN;
  out->acc = ds->n ? (double) correct / ds->n : NAN;
}

gboolean
tg_unit_ablation (const TgModel *model, const TgDataset *ds, const TgUnitEdit *edits,
                  guint n_edits, const TgForwardOpts *opts, TgClassEval *base,
                  TgClassEval *edited,
                  GError **error)
{
  if (!check_data (model, ds, error))
    return FALSE;
  g_autoptr (TgModel) m = tg_unit_edited_model (model, edits, n_edits, error);
  if (m == NULL)
    return FALSE;
  if (base)
    tg_class_eval (model, ds, opts, base);
  tg_class_eval (m, ds, opts, edited);
  return TRUE;
}

/* --- choosing sets of units ------------------------------------------------------------ */

static TgUnitId
unit_at (const TgModel *m, guint32 global)
{
  TgUnitId u = { 0, global };
  while (u.index >= m->dims[u.layer + 1])
    u.index -= m->dims[++u.layer];
  return u;
}

typedef struct {
  guint32 unit;
  double  score;
} Scored;

static gint
by_score_desc (gconstpointer a, gconstpointer b)
{
  const Scored *x = a, *y = b;
  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return x->unit < y->unit ? -1 : x->unit > y->unit;
}

guint
tg_unit_most_selective (const TgModel *model, const TgDataset *ds, guint digit, guint k,
                        TgUnitId *out)
{
  guint32 units = tg_model_hidden_units (model), C = ds->n_classes;
  g_return_val_if_fail (digit < C && C > 1, 0);
  g_autoptr (TgModel) m = tg_model_copy (model);
  g_autoptr (TgWorkspace) ws = tg_workspace_new (m, PASS_CHUNK);
  g_autofree float *rate = g_new (float, (size_t) C * units);
  g_autofree Scored *s = g_new (Scored, units);
  TgForwardOpts hard = { TG_GATES_HARD, 1.0f };  /* the sharpness plays no part in hard gates */
  tg_firing_by_class (m, ws, &hard, ds, NULL, 0, rate);
  for (guint32 j = 0; j < units; j++)
    {
      double others = 0.0;
      for (guint32 c = 0; c < C; c++)
        if (c != digit)
          others += rate[(size_t) c * units + j];
      s[j].unit = j;
      s[j].score = rate[(size_t) digit * units + j] - others / (C - 1);
    }
  qsort (s, units, sizeof *s, by_score_desc);
  guint n = MIN (k, units);
  for (guint i = 0; i < n; i++)
    out[i] = unit_at (model, s[i].unit);
  return n;
}

GArray *
tg_unit_on_only (const TgModel *model_a, const TgDataset *ds_a, const TgModel *model_b,
                 const TgDataset *ds_b, float threshold)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (TgUnitId));
  guint32 units = tg_model_hidden_units (model_a);
  g_return_val_if_fail (tg_model_hidden_units (model_b) == units, out);
  g_autofree float *a = g_new (float, units), *b = g_new (float, units);
  const TgModel *models[2] = { model_a, model_b };
  const TgDataset *sets[2] = { ds_a, ds_b };
  float *gates[2] = { a, b };
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (TgModel) m = tg_model_copy (models[i]);
      g_autoptr (TgWorkspace) ws = tg_workspace_new (m, PASS_CHUNK);
      TgForwardOpts hard = { TG_GATES_HARD, 1.0f };
      tg_mean_gates (m, ws, &hard, sets[i], NULL, 0, gates[i]);
    }
  for (guint32 j = 0; j < units; j++)
    if (a[j] > threshold && !(b[j] > threshold))
      {
        TgUnitId u = unit_at (model_a, j);
        g_array_append_val (out, u);
      }
  return out;
}
