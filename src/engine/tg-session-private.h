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

G_END_DECLS
