/* tg-fields.h — a struct written and read member by member from a table of its fields
 * (name, type, offset, range), so that the two ways cannot drift apart: as the members of a
 * JSON object (the sessions' settings, runs and results) or as numbers (a session view's
 * metadata). Every value read is checked for its type and range; NaN is JSON null. */
#pragma once

#include <json-glib/json-glib.h>
#include <stddef.h>

G_BEGIN_DECLS

typedef enum {
  TG_FIELD_U32,        /* guint32 */
  TG_FIELD_U64,        /* guint64: exact in JSON (a string of digits past G_MAXINT64) */
  TG_FIELD_SIZE,       /* size_t */
  TG_FIELD_F32,        /* float; NaN allowed */
  TG_FIELD_F64,        /* double; NaN allowed */
  TG_FIELD_BOOL,       /* gboolean */
  TG_FIELD_ENUM,       /* an enum (int) in [0, max] */
  TG_FIELD_METHOD,     /* TgMethod, as its id; JSON only */
  TG_FIELD_NAME128,    /* char[128] of UTF-8; JSON only */
  TG_FIELD_F64_LAYERS, /* double[TG_MAX_LINEAR]; JSON only */
  TG_FIELD_U32_LAYERS, /* guint32[TG_MAX_LINEAR]; JSON only */
} TgFieldType;

typedef struct {
  const char  *name;
  TgFieldType  type;
  size_t       offset;
  /* numbers: the largest allowed; integers and floats from 0, doubles from -max; 0: the
   * type's own range */
  double       max;
} TgField;

/* A scalar number field of base as a double. */
double      tg_field_get       (const TgField *f, const void *base);
/* v into f of base, checked: NaN only for floats, else within range and whole for
 * integers; FALSE (base untouched) when it is not. */
gboolean    tg_field_set       (const TgField *f, void *base, double v);

/* f of base as the member f->name of o. */
void        tg_field_to_json   (JsonObject *o, const TgField *f, const void *base);
/* Every field of base as a new object. */
JsonObject *tg_fields_to_json  (const TgField *fields, guint n, const void *base);
/* The member f->name of o into f of base, checked; FALSE with an error naming file and the
 * member when it is missing, of another type or out of range. */
gboolean    tg_field_from_json (JsonObject *o, const TgField *f, const char *file, void *base,
                                GError **error);
/* Every field from node, an object; errors are prefixed with what ("run 3"). */
gboolean    tg_fields_from_json (JsonNode *node, const TgField *fields, guint n,
                                 const char *file, const char *what, void *base,
                                 GError **error);

G_END_DECLS
