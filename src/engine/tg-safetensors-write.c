/* SPDX-License-Identifier: MIT */
/* tg-safetensors-write.c — writing the safetensors format (declared in tg-safetensors.h).
 *
 * The same inputs give the same bytes: metadata keys sorted, tensors in the caller's order,
 * back to back from offset 0, the header padded to 8 bytes with spaces. A header that
 * tg_safetensors_read() would refuse as too long is not written. */
#include "tg-safetensors.h"

#include <string.h>

#include <json-glib/json-glib.h>

/* --- writing --------------------------------------------------------------------------- */

static int
str_cmp (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
check_metadata (GHashTable *metadata, const char *path, GError **error)
{
  if (metadata == NULL)
    return TRUE;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, metadata);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (k == NULL || v == NULL || !g_utf8_validate (k, -1, NULL) || !g_utf8_validate (v, -1, NULL))
      {
        g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                     "%s: metadata keys and values must be UTF-8 strings", path);
        return FALSE;
      }
  return TRUE;
}

static gsize
tensor_count (const TgSafetensorsOut *t)
{
  gsize count = 1;
  for (guint d = 0; d < t->ndim; d++)
    count *= (gsize) t->shape[d];
  return count;
}

/* The JSON header: metadata with sorted keys, then the tensors in order, back to back. */
static char *
header_json (GHashTable *metadata, const TgSafetensorsOut *tensors, guint n, gsize *len,
             guint64 *data_size)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  if (metadata != NULL && g_hash_table_size (metadata) > 0)
    {
      guint nk = 0;
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array (metadata, &nk);
      qsort (keys, nk, sizeof keys[0], str_cmp);
      json_builder_set_member_name (b, "__metadata__");
      json_builder_begin_object (b);
      for (guint i = 0; i < nk; i++)
        {
          json_builder_set_member_name (b, keys[i]);
          json_builder_add_string_value (b, g_hash_table_lookup (metadata, keys[i]));
        }
      json_builder_end_object (b);
    }
  guint64 off = 0;
  for (guint t = 0; t < n; t++)
    {
      guint64 bytes = 4 * (guint64) tensor_count (&tensors[t]);
      json_builder_set_member_name (b, tensors[t].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dtype");
      json_builder_add_string_value (b, "F32");
      json_builder_set_member_name (b, "shape");
      json_builder_begin_array (b);
      for (guint d = 0; d < tensors[t].ndim; d++)
        json_builder_add_int_value (b, (gint64) tensors[t].shape[d]);
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
  *data_size = off;
  return json_generator_to_data (gen, len);
}

/* GLib's messages for a failed g_file_set_contents name the temporary file
 * ("Failed to create file “x.safetensors.PX25Y3”: No such file or directory"); the reason
 * is what follows the last ": ". */
static const char *
file_error_reason (const GError *e)
{
  const char *p = g_strrstr (e->message, ": ");
  return p != NULL ? p + 2 : e->message;
}

gboolean
tg_safetensors_write (const char *path, GHashTable *metadata, const TgSafetensorsOut *tensors,
                      guint n, GError **error)
{
  g_return_val_if_fail (path != NULL && (tensors != NULL || n == 0), FALSE);
  if (!check_metadata (metadata, path, error))
    return FALSE;

  gsize json_len = 0;
  guint64 data_size = 0;
  g_autofree char *json = header_json (metadata, tensors, n, &json_len, &data_size);
  /* Header padded with spaces so the data starts 8-byte aligned, as the reference does. */
  size_t header_len = (json_len + 7) & ~(size_t) 7;
  if (header_len > (guint64) n * TG_SAFETENSORS_ENTRY_BYTES + TG_SAFETENSORS_META_BYTES)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%s: a header of %zu bytes (too much metadata?) would not be read back",
                   path, header_len);
      return FALSE;
    }
  size_t total = 8 + header_len + (size_t) data_size;
  g_autofree guint8 *buf = g_try_malloc (total);
  if (buf == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: out of memory for %zu bytes", path, total);
      return FALSE;
    }
  guint64 le = GUINT64_TO_LE ((guint64) header_len);
  memcpy (buf, &le, 8);
  memcpy (buf + 8, json, json_len);
  memset (buf + 8 + json_len, ' ', header_len - json_len);
  guint8 *data = buf + 8 + header_len;
  for (guint t = 0; t < n; t++)
    for (gsize i = 0, count = tensor_count (&tensors[t]); i < count; i++)
      {
        guint32 bits;
        memcpy (&bits, &tensors[t].values[i], 4);
        bits = GUINT32_TO_LE (bits);
        memcpy (data, &bits, 4);
        data += 4;
      }

  g_autoptr(GError) local = NULL;
  if (!g_file_set_contents (path, (const char *) buf, (gssize) total, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot write the file: %s", path,
                   file_error_reason (local));
      return FALSE;
    }
  return TRUE;
}
