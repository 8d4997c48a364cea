/* SPDX-License-Identifier: MIT */
/* tg-json.h — the one gate every JSON text this project reads passes before json-glib sees it.
 *
 * json-glib is lenient (comments, 'single-quoted' strings, hex numbers, trailing commas) and
 * recursive (deep nesting overflows the stack), so a depth count of our own could be fooled by
 * a bracket it took for text. The gate instead reads the text once, iteratively, as RFC 8259
 * strict JSON and refuses anything else: valid UTF-8 without NUL, no comments, no single
 * quotes, no trailing commas, no NaN or Infinity, no number that is not a finite double or,
 * without fraction and exponent, an int64; no control character or "\u0000" or lone surrogate
 * in a string; and within the caller's limits on size, depth, string length and value count.
 * Only then does json-glib parse it, and the tree must hold as many object members as the gate
 * counted (json-glib keeps only the last of duplicate keys, so a reader could take either). */
#pragma once

#include "tg-common.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  gsize max_bytes;   /* of the whole text */
  guint max_depth;   /* arrays and objects open at once, at most 256 */
  gsize max_string;  /* bytes between the quotes of one string (key or value), as written */
  gsize max_values;  /* scalars, arrays and objects in the whole text; 0: only max_bytes */
} TgJsonLimits;

/* Checks that the len bytes of text are one strict JSON value within limits. members_out
 * (may be NULL) receives the number of object members. FALSE with a TG_ERROR_FORMAT error
 * naming path, the fault and its byte offset otherwise. */
gboolean    tg_json_check        (const char *path, const char *text, gsize len,
                                  const TgJsonLimits *limits, gsize *members_out,
                                  GError **error);

/* tg_json_check, then json-glib: a parser whose root is an object with no duplicate key
 * anywhere, or NULL with a TG_ERROR_FORMAT error naming path. */
JsonParser *tg_json_parse_object (const char *path, const char *text, gsize len,
                                  const TgJsonLimits *limits, GError **error);

G_END_DECLS
