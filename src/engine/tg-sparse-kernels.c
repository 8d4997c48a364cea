/* SPDX-License-Identifier: MIT */
/* tg-sparse-kernels.c — the sparse forward's inner loops (sum the rows of the inputs that are
 * on, find the inputs and the units that are on) in plain C and, on x86-64, in AVX2 + FMA,
 * and the choice among them at run time.
 *
 * The default build assumes only the architecture's baseline, so the AVX2 loops carry a
 * target attribute instead of relying on -mavx2, and tg_sparse_ops() hands them out only
 * when the CPU says it has AVX2 and FMA (__builtin_cpu_supports, which also checks that the
 * operating system saves the AVX registers). The plain-C loops stay as the fallback on every
 * CPU, and tests run every variant this CPU has against the naive reference. Not here: the
 * layer loop and the weight layout (tg-sparse.c). */
#include "tg-sparse-kernels.h"

#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define TG_SPARSE_X86 1
#include <immintrin.h>
#define TG_TARGET_AVX2 __attribute__ ((target ("avx2,fma")))
#endif

/* --- plain C ---------------------------------------------------------------------------- */

/* Four rows per pass over z, so that z is loaded and stored once per four rows rather than
 * once per row. */
static void
sum_rows_c (float *restrict z, const float *restrict rows, guint32 stride, guint32 d,
            const float *bias, const guint32 *idx, const float *val, guint32 n)
{
  memset (z, 0, d * sizeof (float));
  guint32 k = 0;
  for (; k + 4 <= n; k += 4)
    {
      const float *restrict r0 = rows + (size_t) idx[k] * stride;
      const float *restrict r1 = rows + (size_t) idx[k + 1] * stride;
      const float *restrict r2 = rows + (size_t) idx[k + 2] * stride;
      const float *restrict r3 = rows + (size_t) idx[k + 3] * stride;
      float v0 = val[k], v1 = val[k + 1], v2 = val[k + 2], v3 = val[k + 3];
      for (guint32 c = 0; c < d; c++)
        z[c] += (v0 * r0[c] + v1 * r1[c]) + (v2 * r2[c] + v3 * r3[c]);
    }
  for (; k < n; k++)
    {
      const float *restrict r0 = rows + (size_t) idx[k] * stride;
      float v0 = val[k];
      for (guint32 c = 0; c < d; c++)
        z[c] += v0 * r0[c];
    }
  for (guint32 c = 0; c < d; c++)
    z[c] += bias[c];
}

/* Without a branch per element: every element is written, the count moves on the non-zero. */
static guint32
nonzero_c (const float *x, guint32 d, guint32 *idx, float *val)
{
  guint32 n = 0;
  for (guint32 i = 0; i < d; i++)
    {
      idx[n] = i;
      val[n] = x[i];
      n += x[i] != 0.0f;
    }
  return n;
}

static inline float
hard_unit (const float *tau, const float *gamma, guint32 j, float z)
{
  if (tau == NULL)
    return z > 0.0f ? z : 0.0f;
  float gate = z > tau[j] ? 1.0f : 0.0f;
  return z > 0.0f ? gamma[j] * z * gate : 0.0f;
}

static guint32
units_on_c (const float *z, const float *tau, const float *gamma, guint32 d, guint32 *idx,
            float *val)
{
  guint32 n = 0;
  for (guint32 j = 0; j < d; j++)
    {
      float h = hard_unit (tau, gamma, j, z[j]);
      idx[n] = j;
      val[n] = h;
      n += h != 0.0f;
    }
  return n;
}

static const TgSparseOps ops_c = { sum_rows_c, nonzero_c, units_on_c };

/* --- AVX2 + FMA ------------------------------------------------------------------------- */

#ifdef TG_SPARSE_X86
/* z (d) = sum over k < n of val[k] * rows[idx[k]] + bias. 64 columns at a time held in eight
 * registers for all the rows: each weight is loaded once, used by one fused multiply-add, and
 * z is stored once. The columns left over (all of them for the 10 classes) go sixteen at a
 * time, four rows in flight into four pairs of sums, so that no chain of dependent additions
 * is longer than a quarter of the rows; the padding makes up the last sixteen. */
TG_TARGET_AVX2 static void
sum_rows_avx2 (float *restrict z, const float *restrict rows, guint32 stride, guint32 d,
               const float *bias, const guint32 *idx, const float *val, guint32 n)
{
  guint32 c0 = 0;
  for (; c0 + 64 <= d; c0 += 64)
    {
      __m256 a0 = _mm256_setzero_ps (), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
             a7 = a0;
      for (guint32 k = 0; k < n; k++)
        {
          const float *r = rows + (size_t) idx[k] * stride + c0;
          /* the rows are scattered: ask for a later one while this one is summed */
          if (k + 4 < n)
            {
              const char *ahead = (const char *) (rows + (size_t) idx[k + 4] * stride + c0);
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
      const float *b = bias + c0;
      _mm256_storeu_ps (z + c0, _mm256_add_ps (a0, _mm256_loadu_ps (b)));
      _mm256_storeu_ps (z + c0 + 8, _mm256_add_ps (a1, _mm256_loadu_ps (b + 8)));
      _mm256_storeu_ps (z + c0 + 16, _mm256_add_ps (a2, _mm256_loadu_ps (b + 16)));
      _mm256_storeu_ps (z + c0 + 24, _mm256_add_ps (a3, _mm256_loadu_ps (b + 24)));
      _mm256_storeu_ps (z + c0 + 32, _mm256_add_ps (a4, _mm256_loadu_ps (b + 32)));
      _mm256_storeu_ps (z + c0 + 40, _mm256_add_ps (a5, _mm256_loadu_ps (b + 40)));
      _mm256_storeu_ps (z + c0 + 48, _mm256_add_ps (a6, _mm256_loadu_ps (b + 48)));
      _mm256_storeu_ps (z + c0 + 56, _mm256_add_ps (a7, _mm256_loadu_ps (b + 56)));
    }
  for (; c0 < d; c0 += 16)
    {
      __m256 p0 = _mm256_setzero_ps (), q0 = p0, p1 = p0, q1 = p0, p2 = p0, q2 = p0, p3 = p0,
             q3 = p0;
      guint32 k = 0;
      for (; k + 4 <= n; k += 4)
        {
          const float *r0 = rows + (size_t) idx[k] * stride + c0;
          const float *r1 = rows + (size_t) idx[k + 1] * stride + c0;
          const float *r2 = rows + (size_t) idx[k + 2] * stride + c0;
          const float *r3 = rows + (size_t) idx[k + 3] * stride + c0;
          __m256 v0 = _mm256_broadcast_ss (&val[k]), v1 = _mm256_broadcast_ss (&val[k + 1]);
          __m256 v2 = _mm256_broadcast_ss (&val[k + 2]), v3 = _mm256_broadcast_ss (&val[k + 3]);
          p0 = _mm256_fmadd_ps (v0, _mm256_loadu_ps (r0), p0);
          q0 = _mm256_fmadd_ps (v0, _mm256_loadu_ps (r0 + 8), q0);
          p1 = _mm256_fmadd_ps (v1, _mm256_loadu_ps (r1), p1);
          q1 = _mm256_fmadd_ps (v1, _mm256_loadu_ps (r1 + 8), q1);
          p2 = _mm256_fmadd_ps (v2, _mm256_loadu_ps (r2), p2);
          q2 = _mm256_fmadd_ps (v2, _mm256_loadu_ps (r2 + 8), q2);
          p3 = _mm256_fmadd_ps (v3, _mm256_loadu_ps (r3), p3);
          q3 = _mm256_fmadd_ps (v3, _mm256_loadu_ps (r3 + 8), q3);
        }
      for (; k < n; k++)
        {
          const float *r = rows + (size_t) idx[k] * stride + c0;
          __m256 v = _mm256_broadcast_ss (&val[k]);
          p0 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r), p0);
          q0 = _mm256_fmadd_ps (v, _mm256_loadu_ps (r + 8), q0);
        }
      __m256 lo = _mm256_add_ps (_mm256_add_ps (p0, p1), _mm256_add_ps (p2, p3));
      __m256 hi = _mm256_add_ps (_mm256_add_ps (q0, q1), _mm256_add_ps (q2, q3));
      _mm256_storeu_ps (z + c0, _mm256_add_ps (lo, _mm256_loadu_ps (bias + c0)));
      _mm256_storeu_ps (z + c0 + 8, _mm256_add_ps (hi, _mm256_loadu_ps (bias + c0 + 8)));
    }
}

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
TG_TARGET_AVX2 static inline guint32
compact8 (__m256 v, unsigned mask, guint32 first, guint32 *idx, float *val, guint32 n)
{
  __m256i lanes = _mm256_loadu_si256 ((const __m256i *) compact_lanes[mask]);
  _mm256_storeu_ps (val + n, _mm256_permutevar8x32_ps (v, lanes));
  _mm256_storeu_si256 ((__m256i *) (idx + n),
                       _mm256_add_epi32 (lanes, _mm256_set1_epi32 ((int) first)));
  return n + (guint32) __builtin_popcount (mask);
}

TG_TARGET_AVX2 static guint32
nonzero_avx2 (const float *x, guint32 d, guint32 *idx, float *val)
{
  guint32 n = 0, i = 0;
  for (; i + 8 <= d; i += 8)
    {
      __m256 v = _mm256_loadu_ps (x + i);
      unsigned mask = (unsigned) _mm256_movemask_ps (_mm256_cmp_ps (v, _mm256_setzero_ps (),
                                                                    _CMP_NEQ_UQ));
      n = compact8 (v, mask, i, idx, val, n);
    }
  for (; i < d; i++)
    {
      idx[n] = i;
      val[n] = x[i];
      n += x[i] != 0.0f;
    }
  return n;
}

TG_TARGET_AVX2 static guint32
units_on_avx2 (const float *z, const float *tau, const float *gamma, guint32 d, guint32 *idx,
               float *val)
{
  const __m256 zero = _mm256_setzero_ps ();
  guint32 n = 0, j = 0;
  for (; j + 8 <= d; j += 8)
    {
      __m256 zj = _mm256_loadu_ps (z + j), h = zj;
      __m256 on = _mm256_cmp_ps (zj, zero, _CMP_GT_OQ);
      if (tau != NULL)
        {
          on = _mm256_and_ps (on, _mm256_cmp_ps (zj, _mm256_loadu_ps (tau + j), _CMP_GT_OQ));
          h = _mm256_mul_ps (_mm256_loadu_ps (gamma + j), zj);
        }
      on = _mm256_and_ps (on, _mm256_cmp_ps (h, zero, _CMP_NEQ_UQ));
      n = compact8 (h, (unsigned) _mm256_movemask_ps (on), j, idx, val, n);
    }
  for (; j < d; j++)
    {
      float h = hard_unit (tau, gamma, j, z[j]);
      idx[n] = j;
      val[n] = h;
      n += h != 0.0f;
    }
  return n;
}

static const TgSparseOps ops_avx2 = { sum_rows_avx2, nonzero_avx2, units_on_avx2 };

static gboolean
cpu_has_avx2_fma (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
}
#endif

/* --- the choice ------------------------------------------------------------------------- */

const char *
tg_sparse_kernel_name (TgSparseKernel kernel)
{
  switch (kernel)
    {
    case TG_SPARSE_KERNEL_C: return "c";
    case TG_SPARSE_KERNEL_AVX2_FMA: return "avx2-fma";
    case TG_SPARSE_N_KERNELS:
    default: return "?";
    }
}

gboolean
tg_sparse_kernel_compiled (TgSparseKernel kernel)
{
  switch (kernel)
    {
    case TG_SPARSE_KERNEL_C: return TRUE;
#ifdef TG_SPARSE_X86
    case TG_SPARSE_KERNEL_AVX2_FMA: return TRUE;
#else
    case TG_SPARSE_KERNEL_AVX2_FMA: return FALSE;
#endif
    case TG_SPARSE_N_KERNELS:
    default: return FALSE;
    }
}

const TgSparseOps *
tg_sparse_ops (TgSparseKernel kernel)
{
  switch (kernel)
    {
    case TG_SPARSE_KERNEL_C:
      return &ops_c;
    case TG_SPARSE_KERNEL_AVX2_FMA:
#ifdef TG_SPARSE_X86
      if (cpu_has_avx2_fma ())
        {
          compact_lanes_init ();
          return &ops_avx2;
        }
#endif
      return NULL;
    case TG_SPARSE_N_KERNELS:
    default:
      return NULL;
    }
}

gboolean
tg_sparse_kernel_runs_here (TgSparseKernel kernel)
{
  return tg_sparse_ops (kernel) != NULL;
}

TgSparseKernel
tg_sparse_kernel_best (void)
{
  for (int k = TG_SPARSE_N_KERNELS - 1; k > TG_SPARSE_KERNEL_C; k--)
    if (tg_sparse_kernel_runs_here ((TgSparseKernel) k))
      return (TgSparseKernel) k;
  return TG_SPARSE_KERNEL_C;
}
