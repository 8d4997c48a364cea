/* SPDX-License-Identifier: MIT */
/* tg-gemm.c — every matrix product of the engine: cblas_sgemm, or the naive reference beside
 * it (for tests and checks), and the BLAS thread count.
 *
 * openblas_set_num_threads / openblas_get_num_threads, OpenBLAS's own control of its thread
 * pool, come from OpenBLAS's cblas.h (the build asks for the openblas dependency). */
#include "tg-model.h"

#include <cblas.h>

static gboolean use_reference_gemm = FALSE;

void
tg_gemm_set_reference (gboolean use_reference)
{
  use_reference_gemm = use_reference;
}

void
tg_set_threads (int threads)
{
  if (threads > 0)
    openblas_set_num_threads (threads);
}

int
tg_get_threads (void)
{
  return openblas_get_num_threads ();
}

const char *
tg_blas_core (void)
{
  const char *core = openblas_get_corename ();
  return core != NULL ? core : "unknown";
}

void
tg_gemm_reference (gboolean ta, gboolean tb, int M, int N, int K, float alpha,
                   const float *A, int lda, const float *B, int ldb, float beta,
                   float *C, int ldc)
{
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++)
      {
        double acc = 0.0;
        for (int k = 0; k < K; k++)
          {
            float a = ta ? A[(size_t) k * lda + i] : A[(size_t) i * lda + k];
            float b = tb ? B[(size_t) j * ldb + k] : B[(size_t) k * ldb + j];
            acc += (double) a * b;
          }
        float *c = &C[(size_t) i * ldc + j];
        *c = (float) (alpha * acc + (beta == 0.0f ? 0.0 : (double) beta * *c));
      }
}

void
tg_gemm (gboolean ta, gboolean tb, int M, int N, int K, float alpha,
         const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc)
{
  if (M == 0 || N == 0)
    return;
  if (use_reference_gemm)
    tg_gemm_reference (ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  else
    cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                 M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}
