/* SPDX-License-Identifier: MIT */
/* tg-digest.h — which foundation an adapter belongs to: a SHA-256 of the foundation's tensors.
 *
 * An adapter only means something on the frozen weights it was trained on. The adapter file
 * records their digest in its __metadata__ under TG_FOUNDATION_DIGEST_KEY, and a load checks
 * it against the model it is loaded into, so that an adapter opened on another foundation is
 * refused with a reason the caller can show (and, if the user agrees, override).
 *
 * The digest, reproducible without our code: SHA-256 over the tensors layers.<l>.weight and
 * layers.<l>.bias of every layer, in byte order of their names (layers.0.bias,
 * layers.0.weight, layers.1.bias, ...); for each tensor its name in UTF-8 and a NUL byte,
 * its number of dimensions as a little-endian uint32, each dimension as a little-endian
 * uint64, then its values as little-endian float32. Lowercase hexadecimal.
 *
 * Also here: whether two models in memory are the same model, whatever their parameter
 * blocks hold beyond what their method uses.
 *
 * Not here: reading or writing files (tg-checkpoint.c). */
#pragma once

#include "tg-model.h"

G_BEGIN_DECLS

#define TG_FOUNDATION_DIGEST_KEY "foundation_sha256"

/* A refusal the caller may want to turn into a question rather than an error. */
#define TG_FOUNDATION_ERROR (tg_foundation_error_quark ())
GQuark tg_foundation_error_quark (void);
typedef enum {
  TG_FOUNDATION_ERROR_MISMATCH, /* the adapter was trained on another foundation */
} TgFoundationError;

/* The digest of model's weight and bias tensors, as described above (g_free it). */
char    *tg_foundation_digest (const TgModel *model);
/* Sets metadata[TG_FOUNDATION_DIGEST_KEY] to foundation's digest; metadata must own its
 * keys and values with g_free. */
void     tg_foundation_digest_insert (GHashTable *metadata, const TgModel *foundation);
/* TRUE when metadata records no digest, or the one of model. Else FALSE with a
 * TG_FOUNDATION_ERROR_MISMATCH naming path and both digests. */
gboolean tg_foundation_digest_check (const TgModel *model, GHashTable *metadata,
                                     const char *path, GError **error);

/* TRUE when a and b are the same model: the same method and layer sizes, and equal
 * weights, biases, τ and γ, and, for LoRA, equal LoRA factors. A block that carries unused
 * LoRA slots (a studio model, lora_rank 8) equals one without them (an adapter loaded from
 * a file, lora_rank 0). */
gboolean tg_model_same (const TgModel *a, const TgModel *b);

G_END_DECLS
