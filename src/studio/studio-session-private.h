/* studio-session-private.h — what the files of the studio's session state share: the shown
 * snapshots' part of a session; each struct goes through a table of its fields (tg-fields.h). */
#pragma once

#include "studio-session-state.h"
#include "tg-fields.h"

G_BEGIN_DECLS

/* studio-session-view.c: the snapshots the views draw, into the session's view and back.
 * shown: params, masks, status, overlap (each may be NULL; get_view gives new references). */
void     studio_session_put_view (TgSession *session, StudioSnapshot *const shown[4]);
gboolean studio_session_get_view (TgSession *session, const char *file,
                                  StudioSnapshot *shown[4], GError **error);

/* The snapshot's scalars a view or the status line reads (studio-session-view.c). */
const TgField *studio_session_snapshot_fields (guint *n_fields);

/* studio-session-records.c: the current run's per-step records into session->records, and
 * back as new snapshots (StudioSnapshot *, oldest first) for studio_history_restore_time;
 * *params and *masks stay NULL when the session kept none. */
void     studio_session_put_records (TgSession *session, StudioHistory *history);
gboolean studio_session_get_records (TgSession *session, const char *file, guint *run_id,
                                     GPtrArray **params, GPtrArray **masks, GError **error);

G_END_DECLS
