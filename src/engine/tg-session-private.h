/* SPDX-License-Identifier: MIT */
/* tg-session-private.h — what the files of tg-session share: bounded reading of a file and
 * the CSV form of a table. Not installed, not for callers. */
#pragma once

#include "tg-session.h"

G_BEGIN_DECLS

/* The whole of a regular file of at most TG_SESSION_MAX_BYTES; errors name path. */
gboolean        tg_session_read_file      (const char *path, char **contents, gsize *length,
                                           GError **error);
char           *tg_session_table_to_csv   (const TgSessionTable *table);
/* expected: the header the file must have (NULL: any valid column names). */
TgSessionTable *tg_session_table_read_csv (const char *path, const char *const *expected,
                                           GError **error);
/* The same from the len bytes of text, path only naming it in errors. */
TgSessionTable *tg_session_table_parse_csv (const char *path, const char *text, gsize len,
                                            const char *const *expected, GError **error);

/* The files session.json in folder names (a set of paths relative to folder: "session.json",
 * "runs/NAME.csv", "adapters/NAME.safetensors", ...): what is the session's. Only
 * session.json when it cannot be read. */
GHashTable     *tg_session_list_files     (const char *folder);

/* --- tg-session.c: the named arrays of a view or of the records --------------------- */

/* A new array named name of shape (ndim dimensions, 1 to 4), values copied. */
TgSessionTensor *tg_session_tensor_new  (const char *name, guint ndim, const guint64 *shape,
                                         const float *values);
void             tg_session_tensor_free (TgSessionTensor *t);

/* --- tg-session-files.c ---------------------------------------------------------------- */

/* FALSE (naming the link) when folder/sub or folder/sub/name (sub NULL: folder/name) is a
 * symbolic link that leads out of folder. */
gboolean        tg_session_check_links    (const char *folder, const char *sub,
                                           const char *name, GError **error);
/* The first entry of the session folder that its session.json does not list (a path
 * relative to it, newly allocated), or NULL when everything in it is the session's. */
char           *tg_session_foreign_entry  (const char *folder);

G_END_DECLS
