/* tg-automode.c — Auto modes (entropy, router) and the mixed-stream evaluation.
 *
 * Every mode's logits over the stream are computed once (soft and hard gates); Base, the
 * single adapters, the two Autos and the Oracle are then only different choices, per input,
 * of which row of logits to read. */
#include "tg-automode.h"
#include "tg-multimode.h"

#include "tg-metrics.h"

#include <math.h>
#include <string.h>

#define ROUTER_BATCH 128
#define ROUTER_LR    0.05f
#define ROUTER_MOM   0.9f
#define CHUNK        1000

/* --- the router ------------------------------------------------------------------------ */

void
tg_router_free (TgRouter *r)
{
  if (r == NULL)
    return;
  g_free (r->mean);
  g_free (r->inv_std);
  g_free (r->w);
  g_free (r->b);
  g_free (r);
}

size_t
tg_router_n_params (const TgRouter *r)
{
  return (size_t) r->n_modes * (r->n_features + 1);
}

size_t
tg_router_n_constants (const TgRouter *r)
{
  return 2 * (size_t) r->n_features;
}

/* relu(x W0^T + b0) of the foundation for every example: (ds->n, dims[1]). */
static float *
first_hidden (const TgModel *f, const TgDataset *ds)
{
  float *h = tg_dataset_first_layer (f, ds, CHUNK);
  guint32 d = f->dims[1];
  const float *b0 = f->params + f->b[0];
  for (size_t i = 0; i < (size_t) ds->n; i++)
    for (guint32 j = 0; j < d; j++)
      {
        float v = h[i * d + j] + b0[j];
        h[i * d + j] = v > 0 ? v : 0;
      }
  return h;
}

/* logits (n_modes) of one standardised feature row. */
static void
router_logits (const TgRouter *r, const float *h, float *z)
{
  for (guint k = 0; k < r->n_modes; k++)
    {
      double s = r->b[k];
      const float *w = r->w + (size_t) k * r->n_features;
      for (guint j = 0; j < r->n_features; j++)
        s += w[j] * (h[j] - r->mean[j]) * r->inv_std[j];
      z[k] = (float) s;
    }
}

TgRouter *
tg_router_train (const TgModel *foundation, const TgDataset *ds, const guint8 *mode_of,
                 guint n_modes, guint epochs, guint64 seed)
{
  g_return_val_if_fail (foundation != NULL && ds != NULL && mode_of != NULL, NULL);
  g_return_val_if_fail (n_modes >= 2 && n_modes <= 255, NULL);
  guint32 d = foundation->dims[1];
  g_autofree float *h = first_hidden (foundation, ds);
  g_autoptr(TgRouter) r = g_new0 (TgRouter, 1);
  r->n_modes = n_modes;
  r->n_features = d;
  r->mean = g_new0 (float, d);
  r->inv_std = g_new0 (float, d);
  r->w = g_new0 (float, (size_t) n_modes * d);
  r->b = g_new0 (float, n_modes);

  for (guint32 j = 0; j < d; j++)
    {
      double s = 0, s2 = 0;
      for (guint32 i = 0; i < ds->n; i++)
        {
          double v = h[(size_t) i * d + j];
          s += v;
          s2 += v * v;
        }
      double mean = ds->n ? s / ds->n : 0, var = ds->n ? s2 / ds->n - mean * mean : 0;
      r->mean[j] = (float) mean;
      /* a unit that never varies carries no information: weight it by zero */
      r->inv_std[j] = var > 1e-12 ? (float) (1.0 / sqrt (var)) : 0.0f;
    }

  size_t np = tg_router_n_params (r);
  g_autofree float *grad = g_new0 (float, np), *vel = g_new0 (float, np);
  g_autofree guint32 *order = g_new (guint32, MAX (ds->n, 1));
  g_autofree float *x = g_new (float, d);
  float z[256];
  uint64_t rng = tg_rng_seed (seed);
  for (guint e = 0; e < epochs; e++)
    {
      for (guint32 i = 0; i < ds->n; i++)
        order[i] = i;
      tg_rng_shuffle (&rng, order, ds->n);
      for (guint32 pos = 0; pos < ds->n; pos += ROUTER_BATCH)
        {
          guint32 count = MIN (ROUTER_BATCH, ds->n - pos);
          memset (grad, 0, np * sizeof (float));
          for (guint32 t = 0; t < count; t++)
            {
              const float *hi = h + (size_t) order[pos + t] * d;
              router_logits (r, hi, z);
              float mx = z[0], sum = 0;
              for (guint k = 1; k < n_modes; k++)
                mx = MAX (mx, z[k]);
              for (guint k = 0; k < n_modes; k++)
                sum += z[k] = expf (z[k] - mx);
              for (guint32 j = 0; j < d; j++)
                x[j] = (hi[j] - r->mean[j]) * r->inv_std[j];
              for (guint k = 0; k < n_modes; k++)
                {
                  float g = (z[k] / sum - (k == mode_of[order[pos + t]])) / count;
                  float *gw = grad + (size_t) k * d;
                  for (guint32 j = 0; j < d; j++)
                    gw[j] += g * x[j];
                  grad[(size_t) n_modes * d + k] += g;
                }
            }
          /* w and b are one block in this order for the update: w then b */
          for (size_t p = 0; p < np; p++)
            {
              float *param = p < (size_t) n_modes * d ? &r->w[p] : &r->b[p - (size_t) n_modes * d];
              vel[p] = ROUTER_MOM * vel[p] + grad[p];
              *param -= ROUTER_LR * vel[p];
            }
        }
    }
  return g_steal_pointer (&r);
}

void
tg_router_predict (const TgRouter *r, const TgModel *foundation, const TgDataset *ds,
                   guint8 *out)
{
  g_autofree float *h = first_hidden (foundation, ds);
  float z[256];
  for (guint32 i = 0; i < ds->n; i++)
    {
      router_logits (r, h + (size_t) i * r->n_features, z);
      guint best = 0;
      for (guint k = 1; k < r->n_modes; k++)
        if (z[k] > z[best])
          best = k;
      out[i] = (guint8) best;
    }
}

void
tg_router_log_probs (const TgRouter *r, const TgModel *foundation, const TgDataset *ds,
                     float *out)
{
  g_autofree float *h = first_hidden (foundation, ds);
  for (guint32 i = 0; i < ds->n; i++)
    {
      float *z = out + (size_t) i * r->n_modes;
      router_logits (r, h + (size_t) i * r->n_features, z);
      float mx = z[0];
      for (guint k = 1; k < r->n_modes; k++)
        mx = MAX (mx, z[k]);
      double sum = 0;
      for (guint k = 0; k < r->n_modes; k++)
        sum += exp (z[k] - mx);
      float lse = mx + (float) log (sum);
      for (guint k = 0; k < r->n_modes; k++)
        z[k] -= lse;
    }
}

/* --- the stream ------------------------------------------------------------------------ */

/* ds with example i rotated by angles[mode_of[i]], mode_of drawn evenly from a seeded RNG. */
static TgDataset *
mixed_dataset (const TgDataset *ds, const double *angles, guint n_angles, guint64 seed,
               guint8 *mode_of)
{
  uint64_t rng = tg_rng_seed (seed);
  for (guint32 i = 0; i < ds->n; i++)
    mode_of[i] = (guint8) tg_rng_below (&rng, n_angles);
  TgDataset *out = tg_dataset_copy (ds);
  for (guint a = 0; a < n_angles; a++)
    {
      g_autoptr(TgDataset) rot = tg_dataset_rotated (ds, angles[a]);
      for (guint32 i = 0; i < ds->n; i++)
        if (mode_of[i] == a)
          memcpy (out->pixels + (size_t) i * ds->dim, rot->pixels + (size_t) i * ds->dim,
                  ds->dim);
    }
  return out;
}

/* Logits (ds->n, classes) of model over ds, with soft or hard gates. */
static float *
all_logits (const TgMode *mode, const TgDataset *ds, const float *z1, gboolean hard)
{
  const TgModel *m = mode->model;
  guint32 c = m->dims[m->n_linear];
  float *out = g_new (float, (size_t) ds->n * c);
  g_autoptr(TgWorkspace) ws = tg_workspace_new (m, CHUNK);
  g_autofree float *x = g_new (float, (size_t) CHUNK * ds->dim);
  TgForwardOpts opts = { hard ? TG_GATES_HARD : TG_GATES_SOFT, mode->sharpness };
  for (guint32 pos = 0; pos < ds->n; pos += CHUNK)
    {
      guint32 count = MIN (CHUNK, ds->n - pos);
      tg_dataset_gather (ds, NULL, pos, count, x, NULL);
      tg_model_forward (m, ws, &opts, x, z1 + (size_t) pos * m->dims[1], count);
      memcpy (out + (size_t) pos * c, tg_workspace_logits (ws), sizeof (float) * count * c);
    }
  return out;
}

static double
entropy (const float *z, guint n)
{
  float mx = z[tg_argmax (z, n)];
  double sum = 0, dot = 0;
  for (guint k = 0; k < n; k++)
    {
      double e = exp (z[k] - mx);
      sum += e;
      dot += e * (z[k] - mx);
    }
  return log (sum) - dot / sum;
}

void
tg_mixed_result_free (TgMixedResult *res)
{
  if (res == NULL)
    return;
  for (guint i = 0; res->rows && i < res->rows->len; i++)
    g_free (g_array_index (res->rows, TgMixedRow, i).name);
  g_clear_pointer (&res->rows, g_array_unref);
  g_free (res->stream_angles);
  g_free (res);
}

static int
double_cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* What the evaluation shares between its steps. */
typedef struct {
  TgModes       *modes;
  const TgDataset *stream;
  const guint8  *truth;        /* stream mode of each input */
  guint          n_cand;
  guint         *cand;         /* mode indices of the choosable adapters */
  guint         *cand_mode;    /* their stream modes */
  guint         *oracle;       /* stream mode -> mode index */
  float        **logits[2];    /* [hard][mode index] */
  guint32        classes;
} Stream;

/* Accuracy and right-mode rate of a choice of mode per input (choice[i] a mode index). */
static void
score (const Stream *s, const guint *choice, const guint *choice_mode, int hard,
       double *acc, double *right)
{
  guint64 ok = 0, good = 0;
  for (guint32 i = 0; i < s->stream->n; i++)
    {
      const float *z = s->logits[hard][choice[i]] + (size_t) i * s->classes;
      ok += tg_argmax (z, s->classes) == s->stream->labels[i];
      good += choice_mode != NULL && choice_mode[i] == s->truth[i];
    }
  *acc = (double) ok / MAX (s->stream->n, 1);
  *right = choice_mode ? (double) good / MAX (s->stream->n, 1) : NAN;
}

static void
add_row (GArray *rows, TgMixedKind kind, const char *name, guint mode, size_t extra,
         const Stream *s, const guint *choice[2], const guint *choice_mode[2])
{
  TgMixedRow row = { .kind = kind, .name = g_strdup (name), .mode = mode,
                     .extra_params = extra };
  score (s, choice[0], choice_mode[0], 0, &row.acc_soft, &row.right_soft);
  score (s, choice[1], choice_mode[1], 1, &row.acc_hard, &row.right_hard);
  g_array_append_val (rows, row);
}

/* The stream's modes: the distinct known training angles of the attached adapters. */
static gboolean
stream_modes (Stream *s, GArray *angles, GError **error)
{
  TgModes *modes = s->modes;
  guint n = tg_modes_count (modes);
  s->cand = g_new0 (guint, n);
  s->cand_mode = g_new0 (guint, n);
  for (guint i = 1; i < n; i++)
    {
      double a = tg_modes_get (modes, i)->target_angle;
      if (isnan (a))
        continue;
      gboolean seen = FALSE;
      for (guint k = 0; k < angles->len && !seen; k++)
        seen = g_array_index (angles, double, k) == a;
      if (!seen)
        g_array_append_val (angles, a);
    }
  if (angles->len < 2)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "a mixed stream needs at least two adapters trained for different angles "
                   "(their metadata's target_angle); %u found", angles->len);
      return FALSE;
    }
  if (angles->len > 255)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "more than 255 distinct modes");
      return FALSE;
    }
  qsort (angles->data, angles->len, sizeof (double), double_cmp);
  s->oracle = g_new0 (guint, angles->len);
  for (guint i = n; i-- > 1;)
    {
      double a = tg_modes_get (modes, i)->target_angle;
      for (guint k = 0; k < angles->len; k++)
        if (g_array_index (angles, double, k) == a)
          {
            s->oracle[k] = i;  /* the first adapter of each angle wins: scanned backwards */
            s->cand_mode[i] = k;
          }
    }
  for (guint i = 1; i < n; i++)
    if (!isnan (tg_modes_get (modes, i)->target_angle))
      s->cand[s->n_cand++] = i;
  return TRUE;
}

static void
stream_clear (Stream *s)
{
  g_free (s->cand);
  g_free (s->cand_mode);
  g_free (s->oracle);
  for (int h = 0; h < 2; h++)
    {
      for (guint i = 0; s->logits[h] && i < tg_modes_count (s->modes); i++)
        g_free (s->logits[h][i]);
      g_free (s->logits[h]);
    }
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stream, stream_clear)

/* Per input, the candidate adapter of lowest prediction entropy. */
static void
choose_by_entropy (const Stream *s, int hard, guint *choice, guint *choice_mode)
{
  for (guint32 i = 0; i < s->stream->n; i++)
    {
      double best = INFINITY;
      for (guint c = 0; c < s->n_cand; c++)
        {
          double e = entropy (s->logits[hard][s->cand[c]] + (size_t) i * s->classes,
                              s->classes);
          if (e < best)
            {
              best = e;
              choice[i] = s->cand[c];
              choice_mode[i] = s->cand_mode[s->cand[c]];
            }
        }
    }
}

/* The table's rows over the stream: Base, each adapter alone, the entropy choice, the router's
 * choice and the oracle, each with soft and hard gates. */
static void
mixed_rows (const Stream *s, TgRouter *router, GArray *rows)
{
  const TgModes *modes = s->modes;
  const TgModel *f = modes->foundation;
  const TgDataset *stream = s->stream;
  const guint8 *truth = s->truth;
  guint nm = tg_modes_count (modes);
  size_t n = MAX (stream->n, 1);
  g_autofree guint *ch0 = g_new0 (guint, n), *ch1 = g_new0 (guint, n);
  g_autofree guint *cm0 = g_new0 (guint, n), *cm1 = g_new0 (guint, n);
  const guint *choice[2] = { ch0, ch1 }, *choice_mode[2] = { NULL, NULL };

  add_row (rows, TG_MIXED_BASE, "Base", 0, 0, s, choice, choice_mode);
  for (guint m = 1; m < nm; m++)
    {
      gboolean known = !isnan (tg_modes_get (modes, m)->target_angle);
      for (guint32 i = 0; i < stream->n; i++)
        {
          ch0[i] = ch1[i] = m;
          cm0[i] = cm1[i] = s->cand_mode[m];
        }
      const guint *cm[2] = { known ? cm0 : NULL, known ? cm1 : NULL };
      add_row (rows, TG_MIXED_SINGLE, tg_modes_get (modes, m)->name, m, 0, s, choice, cm);
    }
  const guint *cm[2] = { cm0, cm1 };
  choose_by_entropy (s, 0, ch0, cm0);
  choose_by_entropy (s, 1, ch1, cm1);
  add_row (rows, TG_MIXED_AUTO_ENTROPY, "Auto (entropy)", 0, 0, s, choice, cm);

  g_autofree guint8 *routed = g_new (guint8, n);
  tg_router_predict (router, f, stream, routed);
  for (guint32 i = 0; i < stream->n; i++)
    {
      ch0[i] = ch1[i] = s->oracle[routed[i]];
      cm0[i] = cm1[i] = routed[i];
    }
  add_row (rows, TG_MIXED_AUTO_ROUTER, "Auto (router)", 0, tg_router_n_params (router),
           s, choice, cm);
  for (guint32 i = 0; i < stream->n; i++)
    {
      ch0[i] = ch1[i] = s->oracle[truth[i]];
      cm0[i] = cm1[i] = truth[i];
    }
  add_row (rows, TG_MIXED_ORACLE, "Oracle", 0, 0, s, choice, cm);
}

/* Every mode's logits over the stream, soft and hard: the modes that keep the foundation's
 * weights in one pass (one x W0^T per batch for all of them and both gates), LoRA and Full
 * FT alone. */
static void
stream_logits (Stream *s, const TgModel *f, guint nm)
{
  g_autofree guint *row = g_new (guint, 2 * nm);
  g_autofree const TgModel **models = g_new (const TgModel *, 2 * nm);
  g_autofree TgForwardOpts *opts = g_new (TgForwardOpts, 2 * nm);
  g_autofree float **out = g_new (float *, 2 * nm);
  guint np = 0;
  for (guint i = 0; i < nm; i++)
    {
      const TgMode *mode = tg_modes_get (s->modes, i);
      if (!tg_multi_forward_can_share (f, mode->model))
        continue;
      for (int h = 0; h < 2; h++)
        {
          opts[np] = (TgForwardOpts) { h ? TG_GATES_HARD : TG_GATES_SOFT, mode->sharpness };
          models[np] = mode->model;
          row[np++] = i;
        }
    }
  g_autoptr(TgMultiForward) pass = np > 0 ? tg_multi_forward_new (f, models, np,
                                                                   TG_MULTI_FORWARD_BATCH, NULL)
                                          : NULL;
  /* made once for the stream when LoRA needs it too, else batch by batch in the pass */
  g_autofree float *z1 = np < 2 * nm ? tg_dataset_first_layer (f, s->stream, CHUNK) : NULL;
  if (pass != NULL)
    tg_multi_forward_all_logits (pass, opts, s->stream, z1, out);
  for (int h = 0; h < 2; h++)
    s->logits[h] = g_new0 (float *, nm);
  for (guint k = 0; k < np; k++)
    s->logits[opts[k].gates == TG_GATES_HARD][row[k]] = out[k];
  for (int h = 0; h < 2; h++)
    for (guint i = 0; i < nm; i++)
      if (s->logits[h][i] == NULL)
        s->logits[h][i] = all_logits (tg_modes_get (s->modes, i), s->stream, z1, h);
}

TgMixedResult *
tg_modes_mixed_stream (TgModes *modes, const TgDataset *train, const TgDataset *test,
                       guint router_epochs, guint64 seed, GCancellable *cancellable,
                       GError **error)
{
  g_return_val_if_fail (modes != NULL && train != NULL && test != NULL, NULL);
  const TgModel *f = modes->foundation;
  if (train->dim != f->dims[0] || test->dim != f->dims[0])
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "the images have %u pixels, the foundation takes %u inputs",
                   test->dim, f->dims[0]);
      return NULL;
    }
  g_autoptr(GArray) angles = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(Stream) s = { .modes = modes, .classes = f->dims[f->n_linear] };
  if (!stream_modes (&s, angles, error))
    return NULL;
  guint K = angles->len, nm = tg_modes_count (modes);
  const double *av = (const double *) angles->data;

  /* The router first: its training set is the largest thing held, and is let go at once. */
  g_autoptr(TgRouter) router = NULL;
  {
    g_autofree guint8 *train_mode = g_new (guint8, MAX (train->n, 1));
    g_autoptr(TgDataset) train_mix = mixed_dataset (train, av, K, seed + 1, train_mode);
    router = tg_router_train (f, train_mix, train_mode, K, router_epochs, seed + 2);
  }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_autofree guint8 *truth = g_new (guint8, MAX (test->n, 1));
  g_autoptr(TgDataset) stream = mixed_dataset (test, av, K, seed, truth);
  s.stream = stream;
  s.truth = truth;
  stream_logits (&s, f, nm);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_autoptr(TgMixedResult) res = g_new0 (TgMixedResult, 1);
  res->rows = g_array_new (FALSE, TRUE, sizeof (TgMixedRow));
  mixed_rows (&s, router, res->rows);

  res->n_stream_modes = K;
  res->stream_angles = g_memdup2 (av, sizeof (double) * K);
  res->n = stream->n;
  res->n_train = train->n;
  res->router_params = tg_router_n_params (router);
  res->router_constants = tg_router_n_constants (router);
  return g_steal_pointer (&res);
}
