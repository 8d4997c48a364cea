/* SPDX-License-Identifier: MIT */
/* studio-session-private.h — what the files of the studio's session state share: a table
 * of a struct's fields (name, type, offset, range) read and written as numbers. */
#pragma once

#include "studio-session-state.h"

G_BEGIN_DECLS

typedef enum { F_U32, F_U64, F_F32, F_F64, F_BOOL, F_ENUM } FieldType;

typedef struct {
  const char *name;
  FieldType   type;
  size_t      offset;
  double      max;      /* numbers: the largest allowed (the least is 0) */
} Field;


double   studio_session_field_get (const Field *f, const void *base);
/* v checked: NaN only for floats, else within range and whole for integers */
gboolean studio_session_field_set (const Field *f, void *base, double v);

/* studio-session-view.c: the snapshots the views draw, into the session's view and back.
 * shown: params, masks, status, overlap (each may be NULL; get_view gives new references). */
void     studio_session_put_view (TgSession *session, StudioSnapshot *const shown[4]);
gboolean studio_session_get_view (TgSession *session, const char *file,
                                  StudioSnapshot *shown[4], GError **error);

G_END_DECLS
