/* SPDX-License-Identifier: MIT */
/* tg-safetensors-header.c — the safetensors header from raw bytes to a JSON tree, through the
 * project's strict JSON gate (tg-json.h): strict JSON only, nesting bounded before json-glib's
 * recursive parser sees it, nothing after the header object, no duplicate key anywhere.
 *
 * Not here: the file, the entries and the data (tg-safetensors.c). */
#include "tg-safetensors-header.h"

#include "tg-json.h"

JsonParser *
tg_safetensors_parse_header (const char *path, const char *header, gsize len, GError **error)
{
  /* The header's length was bounded by the caller; one string may fill the metadata's share. */
  const TgJsonLimits limits = { .max_bytes = len, .max_depth = TG_SAFETENSORS_MAX_DEPTH,
                                .max_string = TG_SAFETENSORS_META_BYTES, .max_values = 0 };

  return tg_json_parse_object (path, header, len, &limits, error);
}
