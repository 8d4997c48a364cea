/* SPDX-License-Identifier: MIT */
/* tg-peft.h — LoRA adapters in Hugging Face PEFT's layout, for PyTorch users.
 *
 * A folder with
 *   adapter_config.json        peft_type "LORA", r, lora_alpha, target_modules
 *                              ["layers.0", ...], bias "none", fan_in_fan_out false, ...
 *   adapter_model.safetensors  base_model.model.layers.<l>.lora_A.weight (r, in) and
 *                              base_model.model.layers.<l>.lora_B.weight (out, r), F32
 * which PEFT applies to a torch model whose linear layers are `layers.<l>` (an
 * nn.ModuleList of nn.Linear, as our foundation files name them): delta W = (alpha / r) B A,
 * the same as ours. Not here: our own checkpoint format (tg-checkpoint.h). */
#pragma once

#include "tg-model.h"

G_BEGIN_DECLS

/* Writes model's LoRA block (model->lora_rank > 0) into out_dir (created if needed).
 * base_model, when not NULL, goes into base_model_name_or_path. Each file is written
 * atomically; on failure neither is left behind. */
gboolean tg_peft_save_lora (const TgModel *model, const char *base_model, const char *out_dir,
                            GError **error);

G_END_DECLS
