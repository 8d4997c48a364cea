/* tg-sparse.c — the sparse batch-1 forward (rows of transposed weights for the inputs and
 * units that are on), the dense batch-1 forward it is measured against (cblas_sgemv), and
 * the naive reference beside both.
 *
 * The three compute the same function, the hard-gate forward of tg_model_forward(): only the
 * order of the additions differs. Not here: timing (taugate bench), batches (tg-model.c). */
#include "tg-sparse.h"

#include <cblas.h>
#include <math.h>
#include <string.h>
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
static void compact_lanes_init (void);
#endif

struct _TgSparseNet {
  guint32  n_linear;
  guint32  dims[TG_MAX_LINEAR + 1];
  gboolean gated;
  float   *w[TG_MAX_LINEAR];      /* (dout, din) row-major, LoRA folded in */
  float   *wt[TG_MAX_LINEAR];     /* (din, dout): the transpose, a row per input or unit */
  float   *b[TG_MAX_LINEAR];      /* (dout) */
  float   *tau[TG_MAX_LINEAR];    /* (dout), hidden layers of a gated method */
  float   *gamma[TG_MAX_LINEAR];

  /* scratch of one forward */
  float   *z;                     /* (widest) sums of the layer being computed */
  float   *h;                     /* (widest) dense outputs of the layer before */
  float   *val;                   /* (widest) the non-zero inputs of the layer ... */
  guint32 *idx;                   /* (widest) ... and where they are */
};

TgSparseNet *
tg_sparse_net_new (const TgModel *m)
{
  TgSparseNet *net = g_new0 (TgSparseNet, 1);
  const TgMethodInfo *info = tg_method_info (m->method);
#if defined(__AVX2__) && defined(__FMA__)
  compact_lanes_init ();
#endif
  const float *P = m->params;
  guint32 r = m->lora_rank, widest = 0;
  float scale = r > 0 ? m->lora_alpha / (float) r : 0.0f;

  net->n_linear = m->n_linear;
  memcpy (net->dims, m->dims, sizeof net->dims);
  net->gated = info->gated;
  for (guint32 l = 0; l < m->n_linear; l++)
    {
      guint32 din = m->dims[l], dout = m->dims[l + 1];
      size_t size = (size_t) din * dout;
      net->w[l] = g_memdup2 (P + m->w[l], size * sizeof (float));
      if (info->lora && r > 0)
        {
          /* delta W = (alpha / r) B A, B (dout, r), A (r, din) */
          const float *A = P + m->lora_a[l], *B = P + m->lora_b[l];
          for (guint32 j = 0; j < dout; j++)
            for (guint32 i = 0; i < din; i++)
              {
                float d = 0.0f;
                for (guint32 k = 0; k < r; k++)
                  d += B[(size_t) j * r + k] * A[(size_t) k * din + i];
                net->w[l][(size_t) j * din + i] += scale * d;
              }
        }
      net->wt[l] = g_new (float, size);
      for (guint32 j = 0; j < dout; j++)
        for (guint32 i = 0; i < din; i++)
          net->wt[l][(size_t) i * dout + j] = net->w[l][(size_t) j * din + i];
      net->b[l] = g_memdup2 (P + m->b[l], dout * sizeof (float));
      if (l + 1 < m->n_linear && info->gated)
        {
          net->tau[l] = g_memdup2 (P + m->tau[l], dout * sizeof (float));
          net->gamma[l] = g_memdup2 (P + m->gamma[l], dout * sizeof (float));
        }
      widest = MAX (widest, MAX (din, dout));
    }
  net->z = g_new0 (float, widest);
  net->h = g_new0 (float, widest);
  /* + 8: the vector compaction stores whole registers past the last entry */
  net->val = g_new0 (float, widest + 8);
  net->idx = g_new0 (guint32, widest + 8);
  net->h = g_renew (float, net->h, widest + 8);
  return net;
}

void
tg_sparse_net_free (TgSparseNet *net)
{
  if (net == NULL)
    return;
  for (guint32 l = 0; l < net->n_linear; l++)
    {
      g_free (net->w[l]);
      g_free (net->wt[l]);
      g_free (net->b[l]);
      g_free (net->tau[l]);
      g_free (net->gamma[l]);
    }
  g_free (net->z);
  g_free (net->h);
  g_free (net->val);
  g_free (net->idx);
  g_free (net);
}

guint32 tg_sparse_net_n_inputs  (const TgSparseNet *net) { return net->dims[0]; }
guint32 tg_sparse_net_n_classes (const TgSparseNet *net) { return net->dims[net->n_linear]; }

guint64
tg_sparse_net_dense_madds (const TgSparseNet *net)
{
  guint64 n = 0;
  for (guint32 l = 0; l < net->n_linear; l++)
    n += (guint64) net->dims[l] * net->dims[l + 1];
  return n;
}

/* The output of hidden unit j with pre-activation z under hard gates: gamma z when the gate
 * 1[z > tau] is on and z > 0 (written as tg-model.c's hidden_forward writes it), else 0. */
static inline float
hard_unit (const TgSparseNet *net, guint32 l, guint32 j, float z)
{
  if (!net->gated)
    return z > 0.0f ? z : 0.0f;
  float gate = z > net->tau[l][j] ? 1.0f : 0.0f;
  return z > 0.0f ? net->gamma[l][j] * z * gate : 0.0f;
}

#if defined(__AVX2__) && defined(__FMA__)
/* z (d) = sum over k < n of val[k] * rows[idx[k]], each row d floats; 64 columns at a time
 * held in eight AVX registers for all the rows: each weight is loaded once and used by one
 * fused multiply-add, and z is stored once. */
static void
sum_rows (float *restrict z, const float *restrict rows, guint32 d, const guint32 *idx,
          const float *val, guint32 n)
{
  guint32 c0 = 0;
  for (; c0 + 64 <= d; c0 += 64)
    {
      __m256 a0 = _mm256_setzero_ps (), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
             a7 = a0;
      for (guint32 k = 0; k < n; k++)
        {
          const float *r = rows + (size_t) idx[k] * d + c0;
          /* the rows are scattered: ask for a later one while this one is summed */
          if (k + 4 < n)
            {
              const char *ahead = (const char *) (rows + (size_t) idx[k + 4] * d + c0);
              for (guint32 line = 0; line < 64 * sizeof (float); line += 64)
                _mm_prefetch (ahead + line, _MM_HINT_T0);
            }
          __m256 v = _mm256_broadcast_ss (&val[k]);
          a0 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r), a0);
          a1 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r + 8), a1);
          a2 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r + 16), a2);
          a3 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r + 24), a3);
          a4 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r + 32), a4);
          a5 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r + 40), a5);
          a6 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r + 48), a6);
          a7 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r + 56), a7);
        }
      _mm256_storeu_ps (z + c0, a0);
      _mm256_storeu_ps (z + c0 + 8, a1);
      _mm256_storeu_ps (z + c0 + 16, a2);
      _mm256_storeu_ps (z + c0 + 24, a3);
      _mm256_storeu_ps (z + c0 + 32, a4);
      _mm256_storeu_ps (z + c0 + 40, a5);
      _mm256_storeu_ps (z + c0 + 48, a6);
      _mm256_storeu_ps (z + c0 + 56, a7);
    }
  /* the columns left over (all of them for the 10 classes), one row after another */
  if (c0 < d)
    {
      float *zc = z + c0;
      memset (zc, 0, (d - c0) * sizeof (float));
      for (guint32 k = 0; k < n; k++)
        {
          const float *r = rows + (size_t) idx[k] * d + c0;
          for (guint32 c = 0; c < d - c0; c++)
            zc[c] = fmaf (val[k], r[c], zc[c]);
        }
    }
}
#else
/* z (d) = sum over k < n of val[k] * rows[idx[k]], each row d floats. Four rows per pass over
 * z, so that z is loaded and stored once per four rows rather than once per row. */
static void
sum_rows (float *restrict z, const float *restrict rows, guint32 d, const guint32 *idx,
          const float *val, guint32 n)
{
  memset (z, 0, d * sizeof (float));
  guint32 k = 0;
  for (; k + 4 <= n; k += 4)
    {
      const float *restrict r0 = rows + (size_t) idx[k] * d;
      const float *restrict r1 = rows + (size_t) idx[k + 1] * d;
      const float *restrict r2 = rows + (size_t) idx[k + 2] * d;
      const float *restrict r3 = rows + (size_t) idx[k + 3] * d;
      float v0 = val[k], v1 = val[k + 1], v2 = val[k + 2], v3 = val[k + 3];
      for (guint32 c = 0; c < d; c++)
        z[c] += (v0 * r0[c] + v1 * r1[c]) + (v2 * r2[c] + v3 * r3[c]);
    }
  for (; k < n; k++)
    {
      const float *restrict r0 = rows + (size_t) idx[k] * d;
      float v0 = val[k];
      for (guint32 c = 0; c < d; c++)
        z[c] += v0 * r0[c];
    }
}

#endif

#if defined(__AVX2__) && defined(__FMA__)
/* For each 8-bit mask, the lanes whose bit is set, first; the rest 0. Built once. */
static gint32 compact_lanes[256][8];

static void
compact_lanes_init (void)
{
  static gsize done = 0;
  if (!g_once_init_enter (&done))
    return;
  for (guint mask = 0; mask < 256; mask++)
    for (guint lane = 0, k = 0; lane < 8; lane++)
      if (mask & (1u << lane))
        compact_lanes[mask][k++] = (gint32) lane;
  g_once_init_leave (&done, 1);
}

/* Appends the lanes of v (elements first .. first + 7) whose mask bit is set to idx and
 * val at n, without a branch; returns the new n. Writes 8 entries from n on. */
static inline guint32
compact8 (__m256 v, unsigned mask, guint32 first, guint32 *idx, float *val, guint32 n)
{
  __m256i lanes = _mm256_loadu_si256 ((const __m256i *) compact_lanes[mask]);
  _mm256_storeu_ps (val + n, _mm256_permutevar8x32_ps (v, lanes));
  _mm256_storeu_si256 ((__m256i *) (idx + n),
                       _mm256_add_epi32 (lanes, _mm256_set1_epi32 ((int) first)));
  return n + (guint32) __builtin_popcount (mask);
}
#endif

/* Where x (d) is not zero: idx and val, n of them; returns n. */
static guint32
nonzero (const float *x, guint32 d, guint32 *idx, float *val)
{
  guint32 n = 0, i = 0;
#if defined(__AVX2__) && defined(__FMA__)
  for (; i + 8 <= d; i += 8)
    {
      __m256 v = _mm256_loadu_ps (x + i);
      unsigned mask = (unsigned) _mm256_movemask_ps (_mm256_cmp_ps (v, _mm256_setzero_ps (),
                                                                    _CMP_NEQ_UQ));
      n = compact8 (v, mask, i, idx, val, n);
    }
#endif
  /* without a branch per element */
  for (; i < d; i++)
    {
      idx[n] = i;
      val[n] = x[i];
      n += x[i] != 0.0f;
    }
  return n;
}

/* The outputs of hidden layer l (pre-activations z, d of them) that are not zero, as idx
 * and val; returns how many. */
static guint32
units_on (const TgSparseNet *net, guint32 l, const float *z, guint32 d, guint32 *idx,
          float *val)
{
  guint32 n = 0, j = 0;
#if defined(__AVX2__) && defined(__FMA__)
  const __m256 zero = _mm256_setzero_ps ();
  for (; j + 8 <= d; j += 8)
    {
      __m256 zj = _mm256_loadu_ps (z + j), h = zj;
      __m256 on = _mm256_cmp_ps (zj, zero, _CMP_GT_OQ);
      if (net->gated)
        {
          /* gamma z gate with the gate 1[z > tau] (times 1.0, as the dense forward has it) */
          on = _mm256_and_ps (on, _mm256_cmp_ps (zj, _mm256_loadu_ps (net->tau[l] + j),
                                                 _CMP_GT_OQ));
          h = _mm256_mul_ps (_mm256_loadu_ps (net->gamma[l] + j), zj);
        }
      on = _mm256_and_ps (on, _mm256_cmp_ps (h, zero, _CMP_NEQ_UQ));
      n = compact8 (h, (unsigned) _mm256_movemask_ps (on), j, idx, val, n);
    }
#endif
  for (; j < d; j++)
    {
      float h = hard_unit (net, l, j, z[j]);
      idx[n] = j;
      val[n] = h;
      n += h != 0.0f;
    }
  return n;
}

void
tg_sparse_net_forward (TgSparseNet *net, const float *x, float *logits, TgSparseCount *count)
{
  guint64 madds = 0;
  guint32 n = nonzero (x, net->dims[0], net->idx, net->val);

  if (count)
    {
      memset (count, 0, sizeof *count);
      count->inputs_on = n;
    }

  for (guint32 l = 0; l < net->n_linear; l++)
    {
      guint32 dout = net->dims[l + 1];
      gboolean last = l + 1 == net->n_linear;
      float *z = last ? logits : net->z;
      sum_rows (z, net->wt[l], dout, net->idx, net->val, n);
      madds += (guint64) n * dout;
      const float *b = net->b[l];
      for (guint32 j = 0; j < dout; j++)
        z[j] += b[j];
      if (last)
        break;

      /* the units that are on become the next layer's inputs */
      n = units_on (net, l, z, dout, net->idx, net->val);
      if (count)
        count->units_on[l] = n;
    }
  if (count)
    count->madds = madds;
}

void
tg_sparse_net_forward_dense (TgSparseNet *net, const float *x, float *logits)
{
  const float *inp = x;
  for (guint32 l = 0; l < net->n_linear; l++)
    {
      guint32 din = net->dims[l], dout = net->dims[l + 1];
      gboolean last = l + 1 == net->n_linear;
      float *z = last ? logits : net->z;
      cblas_sgemv (CblasRowMajor, CblasNoTrans, (int) dout, (int) din, 1.0f, net->w[l],
                   (int) din, inp, 1, 0.0f, z, 1);
      const float *b = net->b[l];
      for (guint32 j = 0; j < dout; j++)
        z[j] += b[j];
      if (last)
        break;
      for (guint32 j = 0; j < dout; j++)
        net->h[j] = hard_unit (net, l, j, z[j]);
      inp = net->h;
    }
}

/* --- the naive reference -------------------------------------------------------------- */

/* W[l][j, i] of model with its LoRA delta, read straight from the parameter block. */
static double
reference_weight (const TgModel *m, gboolean lora, guint32 l, guint32 j, guint32 i)
{
  const float *P = m->params;
  guint32 din = m->dims[l], r = m->lora_rank;
  double w = P[m->w[l] + (size_t) j * din + i];
  if (lora && r > 0)
    {
      double d = 0.0;
      for (guint32 k = 0; k < r; k++)
        d += (double) P[m->lora_b[l] + (size_t) j * r + k] *
             P[m->lora_a[l] + (size_t) k * din + i];
      w += (double) m->lora_alpha / r * d;
    }
  return w;
}

void
tg_sparse_forward_reference (const TgModel *m, const float *x, float *logits,
                             TgSparseCount *count)
{
  const TgMethodInfo *info = tg_method_info (m->method);
  const float *P = m->params;
  guint32 widest = 0;
  for (guint32 l = 0; l <= m->n_linear; l++)
    widest = MAX (widest, m->dims[l]);
  g_autofree float *inp = g_new0 (float, widest), *out = g_new0 (float, widest);
  memcpy (inp, x, m->dims[0] * sizeof (float));
  TgSparseCount local;
  if (count == NULL)
    count = &local;
  memset (count, 0, sizeof *count);
  for (guint32 i = 0; i < m->dims[0]; i++)
    count->inputs_on += x[i] != 0.0f;

  for (guint32 l = 0; l < m->n_linear; l++)
    {
      guint32 din = m->dims[l], dout = m->dims[l + 1];
      for (guint32 j = 0; j < dout; j++)
        {
          double acc = 0.0;
          for (guint32 i = 0; i < din; i++)
            if (inp[i] != 0.0f)
              {
                acc += reference_weight (m, info->lora, l, j, i) * inp[i];
                count->madds++;
              }
          float z = (float) acc + P[m->b[l] + j];
          if (l + 1 == m->n_linear)
            out[j] = z;
          else if (!info->gated)
            out[j] = z > 0.0f ? z : 0.0f;
          else
            out[j] = z > 0.0f && z > P[m->tau[l] + j] ? P[m->gamma[l] + j] * z : 0.0f;
        }
      if (l + 1 < m->n_linear)
        for (guint32 j = 0; j < dout; j++)
          count->units_on[l] += out[j] != 0.0f;
      memcpy (inp, out, dout * sizeof (float));
    }
  memcpy (logits, inp, m->dims[m->n_linear] * sizeof (float));
}
