/* SPDX-License-Identifier: MIT */
/* tg-checkpoint.h — models on disk as safetensors (tg-safetensors.h), readable by NumPy and PyTorch.
 *
 * Format: 8-byte little-endian header length N, N bytes of JSON header
 *   { "__metadata__": { "key": "value", ... },
 *     "<name>": { "dtype": "F32", "shape": [d0, d1], "data_offsets": [begin, end] }, ... }
 * then the raw little-endian F32 data (offsets relative to the end of the header).
 * Tensor names: "layers.<l>.weight" (out, in), "layers.<l>.bias" (out),
 * "layers.<l>.tau" / "layers.<l>.gamma" (out), "layers.<l>.lora_A" (rank, in),
 * "layers.<l>.lora_B" (out, rank).
 * A foundation file holds weight and bias of every layer; an adapter file holds only the
 * tensors its method trains, with "method" in __metadata__. Writes are atomic
 * (g_file_set_contents: temp file + rename). */
#pragma once

#include "tg-model.h"

G_BEGIN_DECLS

/* Every metadata key and value is a string (safetensors' rule). metadata may be NULL. */
gboolean  tg_checkpoint_save_foundation (const TgModel *model, GHashTable *metadata,
                                         const char *path, GError **error);
/* Reads a foundation; the architecture comes from the tensor shapes, the LoRA rank and
 * alpha to give the new model are the caller's. metadata_out (string -> string) optional. */
TgModel  *tg_checkpoint_load_foundation (const char *path, guint32 lora_rank, float lora_alpha,
                                         GHashTable **metadata_out, GError **error);

/* Saves the tensors method trains (for Frozen: none, only the metadata). */
gboolean  tg_checkpoint_save_adapter (const TgModel *model, TgMethod method,
                                      GHashTable *metadata, const char *path, GError **error);
/* Loads an adapter into model, which must have the shapes it names; sets model->method
 * from the metadata. Refused when any tensor is missing, extra, or of the wrong shape. */
/* When the file records the digest of the foundation it was trained on (tg-digest.h), it
 * must be that of model's weights and biases, else TG_FOUNDATION_ERROR_MISMATCH. */
gboolean  tg_checkpoint_load_adapter (TgModel *model, const char *path,
                                      GHashTable **metadata_out, GError **error);
/* The same without that check: for a caller that has asked the user. */
gboolean  tg_checkpoint_load_adapter_unchecked (TgModel *model, const char *path,
                                                GHashTable **metadata_out, GError **error);

/* What any checkpoint file holds, validated as strictly as a load but without a model:
 * its metadata (string -> string) and one line per tensor, "layers.0.tau F32 [128]", in the
 * header's order. For inspecting adapters and foundations alike. Both outputs optional. */
gboolean  tg_checkpoint_inspect (const char *path, GHashTable **metadata_out,
                                 GPtrArray **tensors_out, GError **error);

G_END_DECLS
