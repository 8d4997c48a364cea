/* SPDX-License-Identifier: MIT */
/* tg-model.c — the MLP: parameter layout, methods as trainable ranges, forward and backward.
 *
 * Every matrix product goes through tg_gemm() (tg-gemm.c: cblas_sgemm, or the naive
 * reference beside it). Backward adds into a gradient block of the parameter block's layout
 * and skips the products whose result nobody trains. Not here: optimisation (tg-train.c),
 * data (tg-data.c). */
#include "tg-model.h"

#include <math.h>
#include <string.h>

static const TgMethodInfo method_infos[TG_N_METHODS] = {
  [TG_METHOD_FROZEN]   = { "frozen",   "Frozen",   "Frozen (no adapt)",          FALSE, FALSE },
  [TG_METHOD_BITFIT]   = { "bitfit",   "BitFit",   "BitFit (bias-only)",         FALSE, FALSE },
  [TG_METHOD_TAUGATE]  = { "taugate",  "TauGate",  "TauGate (threshold tuning)", TRUE,  FALSE },
  [TG_METHOD_GAINONLY] = { "gainonly", "GainOnly", "GainOnly (activation scales)", TRUE, FALSE },
  [TG_METHOD_TAUONLY]  = { "tauonly",  "TauOnly",  "TauOnly (thresholds)",       TRUE,  FALSE },
  [TG_METHOD_LORA]     = { "lora",     "LoRA r=8", "LoRA (r=8)",                 FALSE, TRUE  },
  [TG_METHOD_FULL]     = { "full",     "Full FT",  "Full FT",                    FALSE, FALSE },
};

const TgMethodInfo *
tg_method_info (TgMethod method)
{
  g_return_val_if_fail (method < TG_N_METHODS, NULL);
  return &method_infos[method];
}

gboolean
tg_method_from_string (const char *id, TgMethod *out)
{
  for (int m = 0; m < TG_N_METHODS; m++)
    if (g_ascii_strcasecmp (id, method_infos[m].id) == 0 ||
        g_ascii_strcasecmp (id, method_infos[m].label) == 0)
      {
        *out = (TgMethod) m;
        return TRUE;
      }
  return FALSE;
}

/* --- layout --------------------------------------------------------------------------- */

TgModel *
tg_model_new (guint32 n_inputs, guint32 n_hidden, const guint32 *widths, guint32 n_classes,
              guint32 lora_rank, float lora_alpha, GError **error)
{
  if (n_hidden + 1 > TG_MAX_LINEAR)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%u hidden layers requested; at most %d are supported", n_hidden,
                   TG_MAX_LINEAR - 1);
      return NULL;
    }
  if (n_inputs == 0 || n_classes < 2)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "a model needs inputs and at least two classes (got %u inputs, %u classes)",
                   n_inputs, n_classes);
      return NULL;
    }

  g_autoptr (TgModel) m = g_new0 (TgModel, 1);
  m->n_linear = n_hidden + 1;
  m->dims[0] = n_inputs;
  for (guint32 l = 0; l < n_hidden; l++)
    {
      if (widths[l] == 0 || widths[l] > 65536)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "hidden layer %u has width %u; it must be between 1 and 65536",
                       l + 1, widths[l]);
          return NULL;
        }
      m->dims[l + 1] = widths[l];
    }
  m->dims[m->n_linear] = n_classes;
  m->lora_rank = lora_rank;
  m->lora_alpha = lora_alpha;
  m->method = TG_METHOD_FULL;

  size_t off = 0;
  for (guint32 l = 0; l < m->n_linear; l++)
    {
      size_t wsize;
      if (!tg_size_mul (m->dims[l], m->dims[l + 1], &wsize) || off > SIZE_MAX / 8 - wsize)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "model too large");
          return NULL;
        }
      m->w[l] = off;  off += wsize;
      m->b[l] = off;  off += m->dims[l + 1];
    }
  for (guint32 l = 0; l + 1 < m->n_linear; l++)
    {
      m->tau[l] = off;   off += m->dims[l + 1];
      m->gamma[l] = off; off += m->dims[l + 1];
    }
  for (guint32 l = 0; l < m->n_linear; l++)
    {
      m->lora_a[l] = off; off += (size_t) lora_rank * m->dims[l];
      m->lora_b[l] = off; off += (size_t) m->dims[l + 1] * lora_rank;
    }
  m->n_params = off;
  m->params = g_try_new0 (float, off);
  if (m->params == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "cannot allocate %zu parameters", off);
      return NULL;
    }
  /* gamma = 1 so that a fresh model's gated forward is the ungated one times the gate */
  for (guint32 l = 0; l + 1 < m->n_linear; l++)
    for (guint32 j = 0; j < m->dims[l + 1]; j++)
      m->params[m->gamma[l] + j] = 1.0f;
  return g_steal_pointer (&m);
}

void
tg_model_free (TgModel *model)
{
  if (model == NULL)
    return;
  g_free (model->params);
  g_free (model);
}

TgModel *
tg_model_copy (const TgModel *model)
{
  TgModel *c = g_memdup2 (model, sizeof *model);
  c->params = g_memdup2 (model->params, model->n_params * sizeof (float));
  return c;
}

guint32
tg_model_hidden_units (const TgModel *model)
{
  guint32 n = 0;
  for (guint32 l = 0; l + 1 < model->n_linear; l++)
    n += model->dims[l + 1];
  return n;
}

static void
fill_uniform (float *p, size_t n, float bound, uint64_t *rng)
{
  for (size_t i = 0; i < n; i++)
    p[i] = (2.0f * tg_rng_uniform (rng) - 1.0f) * bound;
}

void
tg_model_init_weights (TgModel *model, uint64_t *rng)
{
  for (guint32 l = 0; l < model->n_linear; l++)
    {
      float bound = 1.0f / sqrtf ((float) model->dims[l]);
      fill_uniform (model->params + model->w[l], (size_t) model->dims[l] * model->dims[l + 1],
                    bound, rng);
      fill_uniform (model->params + model->b[l], model->dims[l + 1], bound, rng);
    }
  tg_model_reset_adapter (model, rng);
}

void
tg_model_reset_adapter (TgModel *model, uint64_t *rng)
{
  for (guint32 l = 0; l + 1 < model->n_linear; l++)
    for (guint32 j = 0; j < model->dims[l + 1]; j++)
      {
        model->params[model->tau[l] + j] = 0.0f;
        model->params[model->gamma[l] + j] = 1.0f;
      }
  for (guint32 l = 0; l < model->n_linear && model->lora_rank > 0; l++)
    {
      /* kaiming_uniform_(a = sqrt 5) on (rank, fan_in): bound = 1 / sqrt(fan_in) */
      fill_uniform (model->params + model->lora_a[l], (size_t) model->lora_rank * model->dims[l],
                    1.0f / sqrtf ((float) model->dims[l]), rng);
      memset (model->params + model->lora_b[l], 0,
              (size_t) model->dims[l + 1] * model->lora_rank * sizeof (float));
    }
}

/* What trains, per kind of tensor: the single source of truth for ranges and backward. */
typedef enum { KIND_W, KIND_B, KIND_TAU, KIND_GAMMA, KIND_LORA } TensorKind;

static gboolean
method_trains (TgMethod method, TensorKind kind)
{
  switch (method)
    {
    case TG_METHOD_BITFIT:   return kind == KIND_B;
    case TG_METHOD_TAUGATE:  return kind == KIND_TAU || kind == KIND_GAMMA;
    case TG_METHOD_GAINONLY: return kind == KIND_GAMMA;
    case TG_METHOD_TAUONLY:  return kind == KIND_TAU;
    case TG_METHOD_LORA:     return kind == KIND_LORA;
    case TG_METHOD_FULL:     return kind == KIND_W || kind == KIND_B;
    case TG_METHOD_FROZEN:
    case TG_N_METHODS:
    default:                 return FALSE;
    }
}

guint
tg_model_trainable_ranges (const TgModel *m, TgMethod method, TgRange *ranges, guint max)
{
  guint n = 0;
#define ADD(off, len) G_STMT_START { if ((len) > 0 && n < max) ranges[n++] = (TgRange) { (off), (len) }; } G_STMT_END
  for (guint32 l = 0; l < m->n_linear; l++)
    {
      guint32 din = m->dims[l], dout = m->dims[l + 1];
      if (method_trains (method, KIND_W))
        ADD (m->w[l], (size_t) din * dout);
      if (method_trains (method, KIND_B))
        ADD (m->b[l], dout);
      if (l + 1 < m->n_linear && method_trains (method, KIND_TAU))
        ADD (m->tau[l], dout);
      if (l + 1 < m->n_linear && method_trains (method, KIND_GAMMA))
        ADD (m->gamma[l], dout);
      if (method_trains (method, KIND_LORA))
        {
          ADD (m->lora_a[l], (size_t) m->lora_rank * din);
          ADD (m->lora_b[l], (size_t) dout * m->lora_rank);
        }
    }
#undef ADD
  return n;
}

size_t
tg_model_count_trainable (const TgModel *model, TgMethod method)
{
  TgRange r[4 * TG_MAX_LINEAR];
  guint n = tg_model_trainable_ranges (model, method, r, G_N_ELEMENTS (r));
  size_t total = 0;
  for (guint i = 0; i < n; i++)
    total += r[i].length;
  return total;
}

/* --- workspace ------------------------------------------------------------------------ */

struct _TgWorkspace {
  guint32 max_batch;
  guint32 n_linear;
  float  *z[TG_MAX_LINEAR];     /* (n, dout) pre-activations; z[L-1] are the logits */
  float  *h[TG_MAX_LINEAR];     /* (n, dout) hidden outputs */
  float  *g[TG_MAX_LINEAR];     /* (n, dout) gates, hidden layers */
  float  *u[TG_MAX_LINEAR];     /* (n, rank) LoRA x A^T */
  float  *dz, *dh, *du;         /* scratch for backward */
  gboolean gated;               /* what the last forward did: gated or not, */
  TgForwardOpts opts;           /* with which gates */
  guint32 last_n;
};

TgWorkspace *
tg_workspace_new (const TgModel *m, guint32 max_batch)
{
  TgWorkspace *ws = g_new0 (TgWorkspace, 1);
  guint32 widest = 0;
  ws->max_batch = max_batch;
  ws->n_linear = m->n_linear;
  for (guint32 l = 0; l < m->n_linear; l++)
    {
      size_t sz = (size_t) max_batch * m->dims[l + 1];
      ws->z[l] = g_new0 (float, sz);
      if (l + 1 < m->n_linear)
        {
          ws->h[l] = g_new0 (float, sz);
          ws->g[l] = g_new0 (float, sz);
        }
      if (m->lora_rank > 0)
        ws->u[l] = g_new0 (float, (size_t) max_batch * m->lora_rank);
      widest = MAX (widest, m->dims[l + 1]);
      widest = MAX (widest, m->dims[l]);
    }
  ws->dz = g_new0 (float, (size_t) max_batch * widest);
  ws->dh = g_new0 (float, (size_t) max_batch * widest);
  ws->du = g_new0 (float, (size_t) max_batch * MAX (m->lora_rank, 1));
  return ws;
}

void
tg_workspace_free (TgWorkspace *ws)
{
  if (ws == NULL)
    return;
  for (guint32 l = 0; l < ws->n_linear; l++)
    {
      g_free (ws->z[l]);
      g_free (ws->h[l]);
      g_free (ws->g[l]);
      g_free (ws->u[l]);
    }
  g_free (ws->dz);
  g_free (ws->dh);
  g_free (ws->du);
  g_free (ws);
}

guint32      tg_workspace_max_batch (const TgWorkspace *ws) { return ws->max_batch; }
const float *tg_workspace_logits (const TgWorkspace *ws) { return ws->z[ws->n_linear - 1]; }
const float *tg_workspace_preact (const TgWorkspace *ws, guint32 l) { return ws->z[l]; }

const float *
tg_workspace_gates (const TgWorkspace *ws, guint32 layer)
{
  return ws->gated && layer + 1 < ws->n_linear ? ws->g[layer] : NULL;
}

/* --- forward -------------------------------------------------------------------------- */

static inline float
sigmoidf (float x)
{
  return 1.0f / (1.0f + expf (-x));
}

/* inp (n, din), W (dout, din), b (dout), A (r, din), B (dout, r) -> z (n, dout) */
static void
linear_forward (const TgModel *m, TgWorkspace *ws, guint32 l, const float *inp,
                const float *zpre, guint32 n, gboolean lora)
{
  const float *P = m->params;
  guint32 din = m->dims[l], dout = m->dims[l + 1], r = m->lora_rank;
  float *z = ws->z[l];

  if (zpre != NULL)
    memcpy (z, zpre, (size_t) n * dout * sizeof (float));
  else
    tg_gemm (FALSE, TRUE, n, dout, din, 1.0f, inp, din, P + m->w[l], din, 0.0f, z, dout);

  const float *b = P + m->b[l];
  for (guint32 i = 0; i < n; i++)
    {
      float *zi = z + (size_t) i * dout;
      for (guint32 j = 0; j < dout; j++)
        zi[j] += b[j];
    }

  if (lora && r > 0)
    {
      float scale = m->lora_alpha / (float) r;
      tg_gemm (FALSE, TRUE, n, r, din, 1.0f, inp, din, P + m->lora_a[l], din, 0.0f, ws->u[l], r);
      tg_gemm (FALSE, TRUE, n, dout, r, scale, ws->u[l], r, P + m->lora_b[l], r, 1.0f, z, dout);
    }
}

/* z (n, d) -> h (n, d), g (n, d): h = relu(z), or gamma * relu(z) * g with g the gate */
void
tg_model_hidden_activation (const TgModel *m, const TgForwardOpts *opts, guint32 l,
                            const float *z, float *h, float *g, guint32 n)
{
  guint32 d = m->dims[l + 1];
  size_t total = (size_t) n * d;
  gboolean gated = tg_method_info (m->method)->gated;

  if (!gated)
    {
      for (size_t k = 0; k < total; k++)
        h[k] = z[k] > 0.0f ? z[k] : 0.0f;
      return;
    }

  const float *tau = m->params + m->tau[l], *gamma = m->params + m->gamma[l];
  float s = opts->sharpness;
  gboolean hard = opts->gates == TG_GATES_HARD;
  if (g == NULL)
    {
      /* h only: a unit with z <= 0 is 0 whatever its gate, so its sigmoid is not needed;
       * the others are computed exactly as below */
      for (guint32 i = 0; i < n; i++)
        {
          const float *zi = z + (size_t) i * d;
          float *hi = h + (size_t) i * d;
          for (guint32 j = 0; j < d; j++)
            {
              if (zi[j] <= 0.0f)
                {
                  hi[j] = 0.0f;
                  continue;
                }
              float gate = hard ? (zi[j] > tau[j] ? 1.0f : 0.0f) : sigmoidf (s * (zi[j] - tau[j]));
              hi[j] = gamma[j] * zi[j] * gate;
            }
        }
      return;
    }
  for (guint32 i = 0; i < n; i++)
    {
      const float *zi = z + (size_t) i * d;
      float *gi = g + (size_t) i * d, *hi = h + (size_t) i * d;
      for (guint32 j = 0; j < d; j++)
        {
          float gate = hard ? (zi[j] > tau[j] ? 1.0f : 0.0f) : sigmoidf (s * (zi[j] - tau[j]));
          gi[j] = gate;
          hi[j] = zi[j] > 0.0f ? gamma[j] * zi[j] * gate : 0.0f;
        }
    }
}

static void
hidden_forward (const TgModel *m, TgWorkspace *ws, const TgForwardOpts *opts, guint32 l,
                guint32 n)
{
  tg_model_hidden_activation (m, opts, l, ws->z[l], ws->h[l], ws->g[l], n);
}

void
tg_model_forward (const TgModel *m, TgWorkspace *ws, const TgForwardOpts *opts, const float *x,
                  const float *z1pre, guint32 n)
{
  g_return_if_fail (n <= ws->max_batch);
  g_return_if_fail (opts != NULL);
  const TgMethodInfo *info = tg_method_info (m->method);
  /* the cached first-layer products are only valid while W[0] does not train */
  if (method_trains (m->method, KIND_W))
    z1pre = NULL;
  g_return_if_fail (x != NULL || (z1pre != NULL && !info->lora));

  ws->gated = info->gated;
  ws->opts = *opts;
  ws->last_n = n;
  const float *inp = x;
  for (guint32 l = 0; l < m->n_linear; l++)
    {
      linear_forward (m, ws, l, inp, l == 0 ? z1pre : NULL, n, info->lora);
      if (l + 1 < m->n_linear)
        {
          hidden_forward (m, ws, opts, l, n);
          inp = ws->h[l];
        }
    }
}

void
tg_model_first_layer_products (const TgModel *m, const float *x, guint32 n, float *out)
{
  tg_gemm (FALSE, TRUE, n, m->dims[1], m->dims[0], 1.0f, x, m->dims[0], m->params + m->w[0],
           m->dims[0], 0.0f, out, m->dims[1]);
}

/* --- loss ----------------------------------------------------------------------------- */

void
tg_model_loss (const TgModel *m, TgWorkspace *ws, const guint8 *labels, guint32 n, float lambda,
               TgLossInfo *info)
{
  guint32 C = m->dims[m->n_linear];
  const float *logits = ws->z[m->n_linear - 1];
  float *dlogits = ws->dz;
  double ce = 0.0;
  guint32 correct = 0;

  for (guint32 i = 0; i < n; i++)
    {
      const float *zi = logits + (size_t) i * C;
      float *di = dlogits + (size_t) i * C;
      guint32 arg = 0;
      float mx = zi[0];
      for (guint32 c = 1; c < C; c++)
        if (zi[c] > mx)
          {
            mx = zi[c];
            arg = c;
          }
      double sum = 0.0;
      for (guint32 c = 0; c < C; c++)
        sum += exp ((double) zi[c] - mx);
      double logsum = log (sum) + mx;
      ce += logsum - zi[labels[i]];
      correct += arg == labels[i];
      for (guint32 c = 0; c < C; c++)
        di[c] = (float) ((exp ((double) zi[c] - logsum) - (c == labels[i])) / n);
    }

  double penalty = 0.0;
  if (ws->gated && lambda != 0.0f && ws->opts.gates == TG_GATES_SOFT)
    for (guint32 l = 0; l + 1 < m->n_linear; l++)
      {
        size_t total = (size_t) n * m->dims[l + 1];
        double sum = 0.0;
        for (size_t k = 0; k < total; k++)
          sum += ws->g[l][k];
        penalty += lambda * sum / (double) total;
      }

  if (info)
    {
      info->ce = ce / n;
      info->penalty = penalty;
      info->loss = info->ce + penalty;
      info->correct = correct;
      info->n = n;
    }
}

/* --- backward ------------------------------------------------------------------------- */

/* dh (n, d) -> dz (n, d) through h = gamma relu(z) g, g = sigmoid(s (z - tau)), adding the
 * gradients of tau and gamma, and lambda / (n d) per gate for the penalty. */
static void
hidden_backward_gated (const TgModel *m, TgWorkspace *ws, guint32 l, guint32 n, float lambda,
                       const float *dh, float *dz, float *grad)
{
  guint32 d = m->dims[l + 1];
  const float *z = ws->z[l], *g = ws->g[l];
  const float *tau = m->params + m->tau[l], *gamma = m->params + m->gamma[l];
  float *dtau = method_trains (m->method, KIND_TAU) ? grad + m->tau[l] : NULL;
  float *dgamma = method_trains (m->method, KIND_GAMMA) ? grad + m->gamma[l] : NULL;
  float s = ws->opts.sharpness;
  float dpen = lambda / ((float) n * (float) d);
  (void) tau;

  for (guint32 i = 0; i < n; i++)
    {
      const float *zi = z + (size_t) i * d, *gi = g + (size_t) i * d, *dhi = dh + (size_t) i * d;
      float *dzi = dz + (size_t) i * d;
      for (guint32 j = 0; j < d; j++)
        {
          float r = zi[j] > 0.0f ? zi[j] : 0.0f;
          float gate = gi[j];
          float dg = dhi[j] * gamma[j] * r + dpen;
          float sg = s * gate * (1.0f - gate);
          if (dgamma)
            dgamma[j] += dhi[j] * r * gate;
          if (dtau)
            dtau[j] -= dg * sg;
          dzi[j] = (zi[j] > 0.0f ? dhi[j] * gamma[j] * gate : 0.0f) + dg * sg;
        }
    }
}

void
tg_model_backward (const TgModel *m, TgWorkspace *ws, const float *x, guint32 n, float lambda,
                   float *grad)
{
  if (m->method == TG_METHOD_FROZEN)
    return;
  const TgMethodInfo *info = tg_method_info (m->method);
  /* the hard gate has no gradient: only a soft forward can be differentiated */
  g_return_if_fail (!info->gated || ws->opts.gates == TG_GATES_SOFT);
  const float *P = m->params;
  gboolean train_w = method_trains (m->method, KIND_W);
  gboolean train_b = method_trains (m->method, KIND_B);
  gboolean train_lora = info->lora && m->lora_rank > 0;
  guint32 r = m->lora_rank;
  float scale = r > 0 ? m->lora_alpha / (float) r : 0.0f;

  /* dz starts as d loss / d logits, left there by tg_model_loss() */
  float *dz = ws->dz, *dh = ws->dh;
  for (guint32 l = m->n_linear; l-- > 0;)
    {
      guint32 din = m->dims[l], dout = m->dims[l + 1];
      const float *inp = l == 0 ? x : ws->h[l - 1];

      if (train_w)
        tg_gemm (TRUE, FALSE, dout, din, n, 1.0f, dz, dout, inp, din, 1.0f,
                 grad + m->w[l], din);
      if (train_b)
        {
          float *db = grad + m->b[l];
          for (guint32 i = 0; i < n; i++)
            for (guint32 j = 0; j < dout; j++)
              db[j] += dz[(size_t) i * dout + j];
        }
      if (train_lora)
        {
          /* z += scale u B^T, u = inp A^T:  dB += scale dz^T u;  du = scale dz B;  dA += du^T inp */
          tg_gemm (TRUE, FALSE, dout, r, n, scale, dz, dout, ws->u[l], r, 1.0f,
                   grad + m->lora_b[l], r);
          tg_gemm (FALSE, FALSE, n, r, dout, scale, dz, dout, P + m->lora_b[l], r, 0.0f,
                   ws->du, r);
          tg_gemm (TRUE, FALSE, r, din, n, 1.0f, ws->du, r, inp, din, 1.0f,
                   grad + m->lora_a[l], din);
        }
      if (l == 0)
        break;

      /* d loss / d h[l-1] = dz W (+ du A for LoRA) */
      tg_gemm (FALSE, FALSE, n, din, dout, 1.0f, dz, dout, P + m->w[l], din, 0.0f, dh, din);
      if (train_lora)
        tg_gemm (FALSE, FALSE, n, din, r, 1.0f, ws->du, r, P + m->lora_a[l], din, 1.0f, dh, din);

      /* through hidden layer l-1 into its pre-activation; dz is reused as the output */
      if (info->gated)
        hidden_backward_gated (m, ws, l - 1, n, lambda, dh, dz, grad);
      else
        {
          const float *zp = ws->z[l - 1];
          size_t total = (size_t) n * din;
          for (size_t k = 0; k < total; k++)
            dz[k] = zp[k] > 0.0f ? dh[k] : 0.0f;
        }
    }
}
