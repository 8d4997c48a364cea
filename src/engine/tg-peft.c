/* tg-peft.c — the PEFT export of a LoRA adapter: its JSON config and a safetensors file of
 * its A and B matrices under PEFT's names. The safetensors writer here is deliberately
 * small: F32 tensors in order, header padded to 8 bytes, metadata {"format": "pt"} as
 * safetensors' torch writer puts it. */
#include "tg-peft.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

typedef struct {
  char         name[64];
  const float *data;
  size_t       shape[2];
} PeftTensor;

static char *
safetensors_bytes (const PeftTensor *t, guint n, gsize *len)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "__metadata__");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "pt");
  json_builder_end_object (b);
  size_t off = 0;
  for (guint i = 0; i < n; i++)
    {
      size_t bytes = 4 * t[i].shape[0] * t[i].shape[1];
      json_builder_set_member_name (b, t[i].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dtype");
      json_builder_add_string_value (b, "F32");
      json_builder_set_member_name (b, "shape");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, (gint64) t[i].shape[0]);
      json_builder_add_int_value (b, (gint64) t[i].shape[1]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "data_offsets");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, (gint64) off);
      json_builder_add_int_value (b, (gint64) (off + bytes));
      json_builder_end_array (b);
      json_builder_end_object (b);
      off += bytes;
    }
  json_builder_end_object (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  gsize json_len = 0;
  g_autofree char *json = json_generator_to_data (gen, &json_len);

  size_t header = (json_len + 7) & ~(size_t) 7;
  *len = 8 + header + off;
  char *buf = g_malloc (*len);
  guint64 le = GUINT64_TO_LE ((guint64) header);
  memcpy (buf, &le, 8);
  memcpy (buf + 8, json, json_len);
  memset (buf + 8 + json_len, ' ', header - json_len);
  guint8 *p = (guint8 *) buf + 8 + header;
  for (guint i = 0; i < n; i++)
    for (size_t k = 0; k < t[i].shape[0] * t[i].shape[1]; k++)
      {
        guint32 bits;
        memcpy (&bits, &t[i].data[k], 4);
        bits = GUINT32_TO_LE (bits);
        memcpy (p, &bits, 4);
        p += 4;
      }
  return buf;
}

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
  PeftTensor t[2 * TG_MAX_LINEAR];
  guint n = 0;
  for (guint l = 0; l < m->n_linear; l++)
    {
      PeftTensor *a = &t[n++], *b = &t[n++];
      g_snprintf (a->name, sizeof a->name, "base_model.model.layers.%u.lora_A.weight", l);
      a->data = m->params + m->lora_a[l];
      a->shape[0] = m->lora_rank;
      a->shape[1] = m->dims[l];
      g_snprintf (b->name, sizeof b->name, "base_model.model.layers.%u.lora_B.weight", l);
      b->data = m->params + m->lora_b[l];
      b->shape[0] = m->dims[l + 1];
      b->shape[1] = m->lora_rank;
    }
  gsize len = 0;
  g_autofree char *bytes = safetensors_bytes (t, n, &len);
  g_autofree char *config = config_json (m, base_model);
  g_autofree char *model_path = g_build_filename (out_dir, "adapter_model.safetensors", NULL);
  g_autofree char *config_path = g_build_filename (out_dir, "adapter_config.json", NULL);
  g_autoptr(GError) local = NULL;
  if (!g_file_set_contents_full (model_path, bytes, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  if (!g_file_set_contents_full (config_path, config, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0644, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s", local->message);
      g_unlink (model_path);
      return FALSE;
    }
  return TRUE;
}
