/* SPDX-License-Identifier: MIT */
/* tg-safetensors-header.h — the safetensors header's checked parse, shared inside the engine
 * by the reader (tg-safetensors.c); not an API for callers outside the engine. */
#pragma once

#include "tg-safetensors.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses the len bytes of header through the strict JSON gate into a JSON object with no
 * duplicate key anywhere, nested at most TG_SAFETENSORS_MAX_DEPTH deep. NULL with a
 * TG_ERROR_FORMAT naming path otherwise. */
JsonParser *tg_safetensors_parse_header (const char *path, const char *header, gsize len,
                                         GError **error);

G_END_DECLS
