/* SPDX-License-Identifier: MIT */
/* tg-model.h — the MLP, its methods of specialisation, forward and backward.
 *
 * Parameters live in one float block; gradients and momentum are blocks of the same layout,
 * so the optimiser is one flat loop. A method is not a second code path: it is a flag for
 * the forward (gated? LoRA?) and a list of ranges of the block that train.
 *
 * Layout, for each linear layer l (0-based, n_linear of them; dims[l] -> dims[l+1]):
 *   W[l]  (dims[l+1], dims[l]) row-major, as PyTorch's nn.Linear.weight
 *   b[l]  (dims[l+1])
 * for each hidden layer l < n_linear - 1:
 *   tau[l], gamma[l]  (dims[l+1])
 * for each linear layer, LoRA:
 *   A[l] (rank, dims[l]),  B[l] (dims[l+1], rank);  delta W = (alpha / rank) * B A
 *
 * Hidden layer l with pre-activation z:
 *   ungated:  h = relu(z)
 *   gated:    g = sigmoid(s (z - tau)) (soft) or 1[z > tau] (hard);  h = gamma * relu(z) * g
 * loss = mean cross-entropy + lambda * sum over hidden layers of mean over (batch, units) of g
 * (the penalty only where the forward is gated and soft).
 *
 * The gate mode and the sharpness s are arguments of each forward (TgForwardOpts), not state
 * of the model: one const model serves a soft training step and a hard evaluation alike. */
#pragma once

#include "tg-common.h"

G_BEGIN_DECLS

#define TG_MAX_LINEAR 8

typedef enum {
  TG_METHOD_FROZEN,
  TG_METHOD_BITFIT,
  TG_METHOD_TAUGATE,
  TG_METHOD_GAINONLY,
  TG_METHOD_TAUONLY,
  TG_METHOD_LORA,
  TG_METHOD_FULL,
  TG_N_METHODS
} TgMethod;

typedef struct {
  const char *id;         /* "taugate": for the command line, file names and CSV */
  const char *label;      /* "TauGate" */
  const char *long_label; /* "TauGate (threshold tuning)", as in the paper's tables */
  gboolean    gated;      /* the forward uses tau / gamma gates */
  gboolean    lora;       /* the forward adds the LoRA deltas */
} TgMethodInfo;

const TgMethodInfo *tg_method_info        (TgMethod method);
gboolean            tg_method_from_string (const char *id, TgMethod *out);

typedef struct {
  size_t offset, length; /* in floats */
} TgRange;

typedef struct {
  guint32 n_linear;                  /* hidden layers + 1 */
  guint32 dims[TG_MAX_LINEAR + 1];   /* dims[0] inputs ... dims[n_linear] classes */
  guint32 lora_rank;
  float   lora_alpha;

  /* offsets into params, in floats; tau/gamma only for l < n_linear - 1 */
  size_t w[TG_MAX_LINEAR], b[TG_MAX_LINEAR];
  size_t tau[TG_MAX_LINEAR], gamma[TG_MAX_LINEAR];
  size_t lora_a[TG_MAX_LINEAR], lora_b[TG_MAX_LINEAR];
  size_t n_params;
  float *params;

  /* which adapter the forward applies and the backward trains */
  TgMethod method;
} TgModel;

/* How the hidden layers of a gated method gate: soft, sigmoid(s (z - tau)), as in training;
 * or hard, 1[z > tau], the paper's inference. */
typedef enum {
  TG_GATES_SOFT,
  TG_GATES_HARD
} TgGateMode;

/* What a forward is asked to do besides its inputs. Ungated methods ignore both fields. */
typedef struct {
  TgGateMode gates;
  float      sharpness;  /* s > 0 of the soft gate */
} TgForwardOpts;

/* n_hidden hidden layers of the given widths. lora_rank 0 leaves LoRA out of the block.
 * Returns NULL with an error for sizes that are zero, too many layers, or overflow. */
TgModel *tg_model_new   (guint32 n_inputs, guint32 n_hidden, const guint32 *widths,
                         guint32 n_classes, guint32 lora_rank, float lora_alpha,
                         GError **error);
void     tg_model_free  (TgModel *model);
TgModel *tg_model_copy  (const TgModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgModel, tg_model_free)

static inline guint32 tg_model_n_hidden (const TgModel *m) { return m->n_linear - 1; }
/* Sum of hidden widths: the number of gated units. */
guint32  tg_model_hidden_units (const TgModel *model);

/* PyTorch's default nn.Linear init, W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), then the
 * adapter reset below. */
void     tg_model_init_weights (TgModel *model, uint64_t *rng);
/* tau = 0, gamma = 1, LoRA A ~ Kaiming-uniform (a = sqrt 5, i.e. U(+-1/sqrt(fan_in))), B = 0. */
void     tg_model_reset_adapter (TgModel *model, uint64_t *rng);

/* Which ranges of the block train under a method; returns how many (at most 4 * n_linear). */
guint    tg_model_trainable_ranges (const TgModel *model, TgMethod method,
                                    TgRange *ranges, guint max_ranges);
size_t   tg_model_count_trainable  (const TgModel *model, TgMethod method);

/* --- forward / backward --------------------------------------------------------------- */

typedef struct _TgWorkspace TgWorkspace;

TgWorkspace *tg_workspace_new  (const TgModel *model, guint32 max_batch);
void         tg_workspace_free (TgWorkspace *ws);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgWorkspace, tg_workspace_free)
guint32      tg_workspace_max_batch (const TgWorkspace *ws);
/* After a forward over n examples: logits (n, classes); gates of hidden layer l (n, dims[l+1]),
 * NULL when the forward was not gated; pre-activations of layer l (n, dims[l+1]). */
const float *tg_workspace_logits (const TgWorkspace *ws);
const float *tg_workspace_gates  (const TgWorkspace *ws, guint32 layer);
const float *tg_workspace_preact (const TgWorkspace *ws, guint32 layer);

/* x: (n, dims[0]); z1pre: optional (n, dims[1]) holding x W[0]^T without bias, used instead
 * of that product when W[0] does not train under model->method (x may then be NULL, unless
 * the method is LoRA, which needs x for its first-layer delta). opts: the gates and their
 * sharpness; ws keeps them, as the record of the forward whose activations it holds. */
void tg_model_forward (const TgModel *model, TgWorkspace *ws, const TgForwardOpts *opts,
                       const float *x, const float *z1pre, guint32 n);

/* Hidden layer l's activation under model->method on its pre-activations z (n, dims[l+1]):
 * h = relu(z), or gamma * relu(z) * g with g the gate of opts, written to g (g NULL: h
 * only, the same values, without the sigmoid of units where z <= 0). What the forward
 * applies after each hidden product; tg-multimode.c applies it to each mode's share of a
 * product made once for all. */
void tg_model_hidden_activation (const TgModel *model, const TgForwardOpts *opts, guint32 layer,
                                 const float *z, float *h, float *g, guint32 n);

typedef struct {
  double   loss;     /* cross-entropy + penalty */
  double   ce;       /* mean cross-entropy */
  double   penalty;  /* lambda * sum_l mean(g_l) */
  guint32  correct;  /* argmax == label */
  guint32  n;
} TgLossInfo;

/* Softmax cross-entropy of the last forward, and the gradient of the logits stored in ws.
 * The gate penalty counts only after a soft gated forward. */
void tg_model_loss (const TgModel *model, TgWorkspace *ws, const guint8 *labels, guint32 n,
                    float lambda, TgLossInfo *info);

/* Adds d loss / d param into grad (a block of n_params) for the parameters that train under
 * model->method; others are left alone and their products skipped. x as in the forward.
 * Differentiates the last forward in ws, which must have been soft (its sharpness is used). */
void tg_model_backward (const TgModel *model, TgWorkspace *ws, const float *x, guint32 n,
                        float lambda, float *grad);

/* z1pre for a whole set of float inputs: out (n, dims[1]) = x W[0]^T. */
void tg_model_first_layer_products (const TgModel *model, const float *x, guint32 n, float *out);

/* --- matrix products ------------------------------------------------------------------ */

/* C (M,N) = alpha op(A) op(B) + beta C, row-major, through cblas_sgemm; or through the naive
 * reference loop when tg_gemm_set_reference (TRUE) — the tests compare the two. */
void tg_gemm (gboolean trans_a, gboolean trans_b, int M, int N, int K, float alpha,
              const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc);
void tg_gemm_reference (gboolean trans_a, gboolean trans_b, int M, int N, int K, float alpha,
                        const float *A, int lda, const float *B, int ldb, float beta,
                        float *C, int ldc);
void tg_gemm_set_reference (gboolean use_reference);
/* Sets OpenBLAS's thread count (0 leaves it); tg_get_threads() reads it. */
void tg_set_threads (int threads);
int  tg_get_threads (void);
/* The CPU model whose kernels OpenBLAS chose at run time ("Haswell", "SkylakeX"; "Prescott"
 * when it did not know this CPU; OPENBLAS_CORETYPE overrides it). */
const char *tg_blas_core (void);

G_END_DECLS
