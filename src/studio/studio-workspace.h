/* studio-workspace.h — what one window shows, in one object the window owns and its views
 * listen to: the runs' history, the unit selection (the selected unit, the column order, the
 * ablation set) and the data set of the model shown with its test set. GLib and GIO only:
 * no widget, so that it is tested without a display (tests/studio/test-workspace.c).
 *
 * Signals (each emitted only when the value really changed, on the main thread):
 *   "selection-changed" ()  the selected unit (or none)
 *   "order-changed"     ()  the column order of the units
 *   "ablation-changed"  ()  the ablation set (TgUnitEdit: silenced or forced units)
 *   "data-set-changed"  ()  the data set folder, hence the test set
 *   "modes-changed"     ()  the open modes (replaced, or one attached, renamed, removed)
 *   "active-mode-changed" () which of them is active
 *
 * The data set: the folder of the model shown, the history's latest mask snapshot's
 * (the run or the mode measured on it), and while none is shown the folder the window
 * chose (studio_workspace_set_data_dir: --data, the Data set drop-down, the remembered one).
 * The test set is that folder's t10k files, read when first asked for.
 *
 * The modes: the open foundation with its adapters (TgModes, NULL when none is open) and
 * the active one; opening a file that is already open switches to it instead of adding it
 * again. Not here: the questions asked before modes are replaced, measuring a mode,
 * sessions and anything drawn. */
#pragma once

#include <glib-object.h>
#include "studio-history.h"
#include "tg-data.h"
#include "tg-modes.h"
#include "tg-digest.h"
#include "tg-unit.h"
#include "tg-unit-order.h"

G_BEGIN_DECLS

/* The test images the inspector and the ablation measure on: the first this many (the
 * figure says so). */
#define STUDIO_TEST_SET_INSPECT 2000

/* A test set and the folder it was read from: immutable, reference-counted, so that a
 * worker thread may hold it while the window switches to another data set. */
typedef struct {
  char      *dir;
  TgDataset *data;
} StudioTestSet;

StudioTestSet *studio_test_set_ref   (StudioTestSet *set);
void           studio_test_set_unref (StudioTestSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioTestSet, studio_test_set_unref)

#define STUDIO_TYPE_WORKSPACE (studio_workspace_get_type ())
G_DECLARE_FINAL_TYPE (StudioWorkspace, studio_workspace, STUDIO, WORKSPACE, GObject)

StudioWorkspace *studio_workspace_new         (void);
/* Borrowed; the workspace's for its life. */
StudioHistory   *studio_workspace_get_history (StudioWorkspace *self);

/* ---- the unit selection ---- */
void         studio_workspace_select_unit       (StudioWorkspace *self, guint layer,
                                                 guint index);
void         studio_workspace_unselect_unit     (StudioWorkspace *self);
/* FALSE when no unit is selected (layer and index then 0). */
gboolean     studio_workspace_get_selected_unit (StudioWorkspace *self, guint *layer,
                                                 guint *index);
void         studio_workspace_set_unit_order    (StudioWorkspace *self, TgUnitOrder order);
TgUnitOrder  studio_workspace_get_unit_order    (StudioWorkspace *self);

/* ---- the ablation set ---- */
/* Adds an edit, replacing one of the same unit. */
void         studio_workspace_add_edit    (StudioWorkspace *self, TgUnitId unit,
                                           TgUnitAction action);
/* Adds n edits at once (one signal). */
void         studio_workspace_add_edits   (StudioWorkspace *self, const TgUnitEdit *edits,
                                           guint n);
/* Silences the unit, or takes it out of the set when it is in it. */
void         studio_workspace_toggle_unit (StudioWorkspace *self, TgUnitId unit);
void         studio_workspace_clear_edits (StudioWorkspace *self);
/* Replaces the set (a session's). */
void         studio_workspace_set_edits   (StudioWorkspace *self, const TgUnitEdit *edits,
                                           guint n);
/* In the order it was made; borrowed, valid until the next change. */
const TgUnitEdit *studio_workspace_get_edits (StudioWorkspace *self, guint *n_edits);

/* ---- the data set ---- */
/* The folder chosen while no model shows its own (NULL: studio_default_data_dir ()). */
void         studio_workspace_set_data_dir (StudioWorkspace *self, const char *dir);
/* The folder of the model shown (or the chosen one); never NULL. Borrowed. */
const char  *studio_workspace_get_data_dir (StudioWorkspace *self);
/* That folder's test set, read on the first call after a change (main thread); a new
 * reference, NULL with an error naming the folder when it cannot be read. */
StudioTestSet *studio_workspace_dup_test_set (StudioWorkspace *self, GError **error);

/* ---- the modes ---- */
/* Borrowed; NULL when no foundation is open. */
TgModes     *studio_workspace_get_modes        (StudioWorkspace *self);
guint        studio_workspace_get_active_mode  (StudioWorkspace *self);
/* Replaces the modes (modes taken; NULL: none) with active the active one (0 when out of
 * range); emits "modes-changed" and "active-mode-changed". */
void         studio_workspace_take_modes       (StudioWorkspace *self, TgModes *modes,
                                                guint active);
/* FALSE (nothing changed) when there is no such mode. */
gboolean     studio_workspace_set_active_mode  (StudioWorkspace *self, guint index);
/* The modes changed in place (a mode attached, renamed or removed): emits "modes-changed". */
void         studio_workspace_modes_changed    (StudioWorkspace *self);

/* What opening a checkpoint did. */
typedef enum {
  STUDIO_OPEN_OPENED,    /* a new foundation (its Base active) or a new adapter attached */
  STUDIO_OPEN_SWITCHED,  /* the file is open already: its mode is active now */
  STUDIO_OPEN_FOREIGN,   /* an adapter of another foundation: not attached (ask first) */
  STUDIO_OPEN_REFUSED,   /* not opened: error says why, naming the file */
} StudioOpenResult;
/* Opens the foundation at path: its Base when it is the open foundation's file, else new
 * modes in place of the open ones. Neither this nor open_adapter emits: after opening a
 * batch of files, the caller calls studio_workspace_modes_changed once. */
StudioOpenResult studio_workspace_open_foundation (StudioWorkspace *self, const char *path,
                                                   GError **error);
/* Attaches the adapter at path to the open foundation; *index (may be NULL) its mode. */
StudioOpenResult studio_workspace_open_adapter    (StudioWorkspace *self, const char *path,
                                                   guint *index, GError **error);

G_END_DECLS
