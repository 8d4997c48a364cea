/* studio-session-state.h — what a window's session is made of, to and from a TgSession
 * (tg-session.h): the settings, the history's runs (curves, full-test points, markers, gate
 * dynamics, final numbers) and results, and the snapshots the views draw (parameters, masks,
 * status, overlap) with the model the digit pad reads. No widgets here: the window's side is
 * studio-window-session.c. */
#pragma once

#include "studio-history.h"
#include "tg-session.h"
#include "tg-unit.h"
#include "tg-unit-order.h"

G_BEGIN_DECLS

void     studio_session_put_config  (TgSession *session, const StudioConfig *cfg);
/* cfg is overwritten (its data_dir must not be owned yet); FALSE with an error naming file
 * when a setting is missing, of the wrong type or out of range. */
gboolean studio_session_get_config  (const TgSession *session, const char *file,
                                     StudioConfig *cfg, GError **error);

/* Copies the history's runs, results and shown snapshots into session. */
void     studio_session_put_history (TgSession *session, StudioHistory *history);
/* Restores them into history (studio_history_restore); takes the results out of session.
 * *last_run_id receives the highest run id restored. FALSE with an error naming file when
 * a run or the view does not hold what a window needs. */
gboolean studio_session_restore_history (TgSession *session, StudioHistory *history,
                                         const char *file, guint *last_run_id,
                                         GError **error);

/* The unit selection the views share: the selected unit, the column order, the ablation set
 * (TgUnitEdit, in the order it was made; at most STUDIO_SESSION_MAX_EDITS). */
#define STUDIO_SESSION_MAX_EDITS 4096
typedef struct {
  gboolean     has_unit;
  TgUnitId     unit;
  TgUnitOrder  order;
  GArray      *edits;
} StudioSessionUnits;

void     studio_session_put_units   (TgSession *session, const StudioSessionUnits *units);
/* out gets its own edits (studio_session_units_clear); a session without them reads as no
 * unit, index order and no edits. FALSE with an error naming file when malformed. */
gboolean studio_session_get_units   (const TgSession *session, const char *file,
                                     StudioSessionUnits *out, GError **error);
void     studio_session_units_clear (StudioSessionUnits *units);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StudioSessionUnits, studio_session_units_clear)

G_END_DECLS
