/* SPDX-License-Identifier: MIT */
/* tg-peft.c — the PEFT export of a LoRA adapter: its JSON config and a safetensors file of
 * its A and B matrices under PEFT's names, written by tg_safetensors_write (F32 tensors in
 * order, header padded to 8 bytes) with metadata {"format": "pt"} as safetensors' torch
 * writer puts it. */
#include "tg-peft.h"
#include "tg-safetensors.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static char *
config_json (const TgModel *m, const char *base_model)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
#define MEMBER(name) json_builder_set_member_name (b, name)
  MEMBER ("alpha_pattern"); json_builder_begin_object (b); json_builder_end_object (b);
  MEMBER ("base_model_name_or_path");
  if (base_model)
    json_builder_add_string_value (b, base_model);
  else
    json_builder_add_null_value (b);
  MEMBER ("bias"); json_builder_add_string_value (b, "none");
  MEMBER ("fan_in_fan_out"); json_builder_add_boolean_value (b, FALSE);
  MEMBER ("inference_mode"); json_builder_add_boolean_value (b, TRUE);
  MEMBER ("init_lora_weights"); json_builder_add_boolean_value (b, TRUE);
  MEMBER ("layers_pattern"); json_builder_add_null_value (b);
  MEMBER ("layers_to_transform"); json_builder_add_null_value (b);
  MEMBER ("lora_alpha");
  if (m->lora_alpha == (float) (gint64) m->lora_alpha)
    json_builder_add_int_value (b, (gint64) m->lora_alpha);  /* PEFT's own files hold an int */
  else
    json_builder_add_double_value (b, m->lora_alpha);
  MEMBER ("lora_dropout"); json_builder_add_double_value (b, 0.0);
  MEMBER ("modules_to_save"); json_builder_add_null_value (b);
  MEMBER ("peft_type"); json_builder_add_string_value (b, "LORA");
  MEMBER ("r"); json_builder_add_int_value (b, m->lora_rank);
  MEMBER ("rank_pattern"); json_builder_begin_object (b); json_builder_end_object (b);
  MEMBER ("revision"); json_builder_add_null_value (b);
  MEMBER ("target_modules");
  json_builder_begin_array (b);
  for (guint l = 0; l < m->n_linear; l++)
    {
      g_autofree char *name = g_strdup_printf ("layers.%u", l);
      json_builder_add_string_value (b, name);
    }
  json_builder_end_array (b);
  MEMBER ("task_type"); json_builder_add_null_value (b);
  MEMBER ("use_dora"); json_builder_add_boolean_value (b, FALSE);
  MEMBER ("use_rslora"); json_builder_add_boolean_value (b, FALSE);
#undef MEMBER
  json_builder_end_object (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  char *s = json_generator_to_data (gen, NULL);
  char *out = g_strconcat (s, "\n", NULL);
  g_free (s);
  return out;
}

gboolean
tg_peft_save_lora (const TgModel *m, const char *base_model, const char *out_dir,
                   GError **error)
{
  g_return_val_if_fail (m != NULL && out_dir != NULL, FALSE);
  if (m->lora_rank == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%s: the model has no LoRA block to export", out_dir);
      return FALSE;
    }
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot create the folder: %s", out_dir,
                   g_strerror (e));
      return FALSE;
    }
  char names[2 * TG_MAX_LINEAR][64];
  TgSafetensorsOut t[2 * TG_MAX_LINEAR];
  guint n = 0;
  for (guint l = 0; l < m->n_linear; l++)
    {
      g_snprintf (names[n], sizeof names[n], "base_model.model.layers.%u.lora_A.weight", l);
      t[n] = (TgSafetensorsOut) { names[n], 2, { m->lora_rank, m->dims[l] },
                                  m->params + m->lora_a[l] };
      n++;
      g_snprintf (names[n], sizeof names[n], "base_model.model.layers.%u.lora_B.weight", l);
      t[n] = (TgSafetensorsOut) { names[n], 2, { m->dims[l + 1], m->lora_rank },
                                  m->params + m->lora_b[l] };
      n++;
    }
  g_autofree char *config = config_json (m, base_model);
  g_autofree char *model_path = g_build_filename (out_dir, "adapter_model.safetensors", NULL);
  g_autofree char *config_path = g_build_filename (out_dir, "adapter_config.json", NULL);
  /* metadata {"format": "pt"}, as safetensors' torch writer puts it */
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (meta, g_strdup ("format"), g_strdup ("pt"));
  if (!tg_safetensors_write (model_path, meta, t, n, error))
    return FALSE;
  g_autoptr(GError) local = NULL;
  if (!g_file_set_contents_full (config_path, config, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s", local->message);
      g_unlink (model_path);
      return FALSE;
    }
  return TRUE;
}
