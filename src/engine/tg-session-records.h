/* tg-session-records.h — a session's time: the records a run keeps step by step (what the
 * studio's scrubber rewinds to), beside the rest of a session folder and readable without
 * our code:
 *
 *   records-params.csv     one row per τ/γ record: its scalars, in named columns
 *   records-masks.csv      one row per mask record: its scalars, in named columns
 *   records.safetensors    the records' arrays, named "params.NAME" (first dimension: the
 *                          rows of records-params.csv), "masks.NAME" (first dimension: the
 *                          rows of records-masks.csv) and "weights.NAME" (any first
 *                          dimension); their common scalars in __metadata__
 *
 * The engine does not know what the columns and arrays mean: it writes them as given and
 * reads them as untrusted input, bounded (at most TG_SESSION_MAX_RECORDS rows a table,
 * TG_SESSION_MAX_RECORD_TENSORS arrays, every array's first dimension that of its table).
 * What they must hold beyond that the caller checks. */
#pragma once

#include "tg-session.h"

G_BEGIN_DECLS

#define TG_SESSION_MAX_RECORDS        4096
#define TG_SESSION_MAX_RECORD_TENSORS 64
#define TG_SESSION_RECORDS_TENSORS    "records.safetensors"
#define TG_SESSION_RECORDS_PARAMS     "records-params.csv"
#define TG_SESSION_RECORDS_MASKS      "records-masks.csv"

struct _TgSessionRecords {
  GHashTable     *metadata;  /* string -> string */
  GPtrArray      *tensors;   /* TgSessionTensor * */
  TgSessionTable *params;    /* one row per τ/γ record */
  TgSessionTable *masks;     /* one row per mask record */
};

/* Empty tables with those columns (NULL-terminated), no arrays. */
TgSessionRecords *tg_session_records_new        (const char *const *param_columns,
                                                 const char *const *mask_columns);
void              tg_session_records_free       (TgSessionRecords *records);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgSessionRecords, tg_session_records_free)
/* Copies values (shape's product of floats, ndim 1 to 4) into a new array. */
void              tg_session_records_add_tensor (TgSessionRecords *records, const char *name,
                                                 guint ndim, const guint64 *shape,
                                                 const float *values);
/* The array of that name, or NULL. */
const TgSessionTensor *tg_session_records_get_tensor (const TgSessionRecords *records,
                                                      const char *name);

/* For tg-session.c: the records' files into dir and their names into root's "records"
 * (null when records is NULL), and back (session->records stays NULL when root's
 * "records" is missing or null). */
gboolean tg_session_records_write (const TgSessionRecords *records, const char *dir,
                                   JsonObject *root, GError **error);
gboolean tg_session_records_read  (TgSession *session, JsonObject *root, const char *folder,
                                   const char *json, GError **error);
/* Adds the records' file names root lists to files (tg_session_list_files). */
void     tg_session_records_list  (JsonObject *root, GHashTable *files);

G_END_DECLS
