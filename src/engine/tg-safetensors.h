/* SPDX-License-Identifier: MIT */
/* tg-safetensors.h — the safetensors file format, read strictly and written atomically.
 *
 * Format: 8-byte little-endian header length N, N bytes of JSON header
 *   { "__metadata__": { "key": "value", ... },
 *     "<name>": { "dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end] }, ... }
 * then the raw little-endian data (offsets relative to the end of the header).
 *
 * This unit knows the format and nothing of what the tensors mean (tg-checkpoint maps them to
 * a model). Only F32 is read and written. One validator serves every reader: a file that
 * tg_safetensors_read() accepts has a header of bounded size and depth, no duplicate keys, no
 * JSON after the header object, string metadata, tensors that tile the data exactly (no gap,
 * no overlap, no trailing byte), and only finite values. */
#pragma once

#include "tg-common.h"

G_BEGIN_DECLS

#define TG_SAFETENSORS_MAX_DIMS     8
/* The header bound is derived from the tensor count the caller allows: one tensor entry of
 * ours is under 150 bytes ("layers.7.lora_B", a 2-D shape, two offsets), so 512 per tensor
 * leaves room for other writers' whitespace and longer names; the metadata (a few dozen
 * short settings) gets 64 KiB. A longer header is refused before it is parsed. */
#define TG_SAFETENSORS_ENTRY_BYTES  512u
#define TG_SAFETENSORS_META_BYTES   (64u * 1024u)
/* Our headers nest three deep (root, tensor, shape); anything deeper than this is refused by
 * a scan before the JSON parser (which recurses without limit) ever sees it. */
#define TG_SAFETENSORS_MAX_DEPTH    8
/* A tensor name longer than this is refused ("layers.7.lora_B" is 15; PyTorch's run to ~80). */
#define TG_SAFETENSORS_MAX_NAME     256

typedef struct {
  char    *name;
  guint    ndim;
  guint64  shape[TG_SAFETENSORS_MAX_DIMS];
  guint64  begin, end;  /* bytes, relative to the data section */
} TgSafetensorsTensor;

typedef struct {
  GHashTable *metadata;  /* string -> string */
  GPtrArray  *tensors;   /* TgSafetensorsTensor, in header order */
  GHashTable *by_name;   /* borrowed name -> TgSafetensorsTensor */
  guint8     *data;      /* data_size bytes */
  guint64     data_size;
} TgSafetensors;

/* Reads and validates the whole file (see above); refuses more than max_tensors tensors and
 * a header over max_tensors * TG_SAFETENSORS_ENTRY_BYTES + TG_SAFETENSORS_META_BYTES.
 * Anything but a regular file is refused without blocking. Errors name the file. */
TgSafetensors *tg_safetensors_read (const char *path, guint max_tensors, GError **error);
void           tg_safetensors_free (TgSafetensors *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgSafetensors, tg_safetensors_free)

/* NULL when the file has no tensor of that name. */
const TgSafetensorsTensor *tg_safetensors_lookup (const TgSafetensors *st, const char *name);
/* The tensor's values as host floats, into dst (count = (end - begin) / 4). */
void  tg_safetensors_copy_f32     (const TgSafetensors *st, const TgSafetensorsTensor *t,
                                   float *dst);
/* "[d0, d1]", to be freed. */
char *tg_safetensors_shape_string (guint ndim, const guint64 *shape);
/* A deep copy of the metadata table, string -> string. */
GHashTable *tg_safetensors_dup_metadata (const TgSafetensors *st);

/* One tensor to write: ndim dimensions, values are shape's product of floats. */
typedef struct {
  const char  *name;
  guint        ndim;
  guint64      shape[TG_SAFETENSORS_MAX_DIMS];
  const float *values;
} TgSafetensorsOut;

/* Writes metadata (string -> string, keys sorted so equal inputs give equal bytes; may be
 * NULL) and the tensors in the order given, the header padded to 8 bytes with spaces.
 * Atomic (temporary file + rename); a failure names path, never the temporary file. */
gboolean tg_safetensors_write (const char *path, GHashTable *metadata,
                               const TgSafetensorsOut *tensors, guint n_tensors,
                               GError **error);

G_END_DECLS
