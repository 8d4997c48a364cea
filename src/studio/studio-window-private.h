/* studio-window-private.h — what the window's files share (studio-window.c: template,
 * actions, run control, job queue, life cycle; studio-window-export.c: exports;
 * studio-window-screenshot.c: screenshot automation), and the hooks the tests drive. Not
 * for the views, nor for the application (studio-window.h is its). */
#pragma once

#include "studio-window.h"
#include "tg-unit-order.h"
#include "studio-settings-panel.h"
#include "studio-modes-panel.h"
#include "tg-modes.h"
#include "studio-scrubber.h"

G_BEGIN_DECLS

struct _StudioWindow
{
  GtkApplicationWindow parent_instance;

  /* template widgets */
  GtkDropDown    *method_dropdown;
  GtkStack       *stack;
  StudioScrubber *scrubber;
  GtkInfoBar     *banner;
  GtkLabel       *banner_label;
  StudioSettingsPanel *settings_panel;
  StudioModesPanel *modes_panel;
  GtkInscription *status_label;  /* text changes never resize the window */

  /* owned */
  StudioTrainer  *trainer;
  StudioWorkspace *workspace;   /* what the window shows: history, units, data set */
  StudioHistory  *history;      /* borrowed: the workspace's */
  char           *banner_text;
  gboolean        banner_is_error;

  /* jobs to start when the current one has finished (StudioJob as pointers) */
  GQueue          job_queue;
  guint           queue_source;

  /* export dialogs still open: destroyed with the window, never outliving it */
  GPtrArray      *export_dialogs;

  /* screenshot automation */
  guint64         shot_steps;
  char           *shot_path;
  char           *shot_view;
  gboolean        shot_armed, shot_taken;
  guint           shot_source;
  guint           shot_index;    /* with "all": the next view to save */
  GtkWidget      *shot_dialog;   /* with "export-dialog": the dialog shown (weak) */
  char           *shot_export_dir;   /* --export-all: Export All there instead of a PNG */
  double          shot_export_width, shot_export_height;
  TgPlotStyle     shot_export_style;
  gboolean       *shot_export_failed; /* the caller's: TRUE until that export is written */
  char           *shot_session_dir;   /* --save-session: the session saved there first */
  gboolean       *shot_session_failed; /* the caller's: TRUE until that session is saved */

  GQueue          foreign_adapters;  /* paths still to ask about (char *) */
  GtkWindow      *open_question;     /* the question being asked, or NULL */
  GCancellable   *measuring;         /* the active mode's measurement under way, or NULL */
  GtkWindow      *replace_question;  /* "replace the open modes?" being asked, or NULL */

  /* sessions (studio-window-session.c): where Ctrl+S saves (NULL: ask), the autosave's bar */
  char           *session_path;
  GtkInfoBar     *session_bar;
  gboolean        autosave_opened;   /* the autosave's runs are this window's now */
};

void     studio_window_show_banner      (StudioWindow *self, GtkMessageType type,
                                         const char *message);

/* studio-window-export.c: the actions' handlers, and closing what they opened */
void     studio_window_export_activate     (GSimpleAction *action, GVariant *param,
                                            gpointer self);
void     studio_window_export_all_activate (GSimpleAction *action, GVariant *param,
                                            gpointer self);
void     studio_window_export_choose_activate (GSimpleAction *action, GVariant *param,
                                               gpointer self);
void     studio_window_close_export_dialogs (StudioWindow *self);

/* studio-window-screenshot.c: called with each snapshot; takes the shot when it is due */
void     studio_window_maybe_screenshot (StudioWindow *self, StudioSnapshot *snap);

/* studio-window-export.c: a file chooser the window keeps until it answers (it shows it),
 * and destroys with itself so that no answer reaches a window gone; untrack in the answer
 * drops it. */
void     studio_window_track_dialog   (StudioWindow *self, GtkFileChooserNative *dialog);
void     studio_window_untrack_dialog (StudioWindow *self, GtkNativeDialog *dialog);

/* studio-window-banner.c: hiding the bar, its close button, and what it says when a job
 * ends (a collapse or a failure). */
void     studio_window_hide_banner        (StudioWindow *self);
/* Gives bar's close button (an icon) the accessible name "Close". */
void     studio_info_bar_name_close_button (GtkInfoBar *bar);
void     studio_window_banner_response_cb (GtkInfoBar *bar, int response, StudioWindow *self);
void     studio_window_report_finished    (StudioWindow *self, const StudioSnapshot *snap);


/* studio-window-open.c: opening a foundation and adapters (File → Open, drag and drop,
 * the command line; studio_window_open_files is public). Returns FALSE when a file was
 * refused (said in the banner). */
gboolean  studio_window_open_paths    (StudioWindow *self, const char *const *paths);
void      studio_window_open_activate (GSimpleAction *action, GVariant *param, gpointer self);
void      studio_window_open_init     (StudioWindow *self);
void      studio_window_open_dispose  (StudioWindow *self);
/* The open foundation and its modes (NULL when none); the question asked about an adapter
 * of another foundation (a GtkMessageDialog), NULL when none is asked. */
TgModes  *studio_window_get_modes     (StudioWindow *self);

/* studio-window-modes.c: the Modes panel's side. After the modes changed: the panel
 * follows, and the active mode is measured again. */
void      studio_window_modes_init    (StudioWindow *self);
void      studio_window_modes_changed (StudioWindow *self);
/* Makes mode index active: every view shows it once it is measured (off the main thread). */
gboolean  studio_window_set_active_mode (StudioWindow *self, guint index);
/* A finished train job's adapter joins the modes (on a new foundation when the run's is
 * not the open one). */
void      studio_window_modes_take_run (StudioWindow *self, StudioSnapshot *snap);
/* TRUE while the active mode's measurement is under way. */
gboolean  studio_window_is_measuring  (StudioWindow *self);
/* Opening another foundation, or a run on a new foundation, would close the open modes: a
 * question (a GtkMessageDialog, "Keep the Open Modes" or "Replace") asks first, and answer
 * gets replace TRUE or FALSE; data is destroyed after (or with the window, unanswered). */
typedef void (*StudioModesAnswer) (StudioWindow *self, gpointer data, gboolean replace);
void       studio_window_modes_ask_replace    (StudioWindow *self, const char *title,
                                               StudioModesAnswer answer, gpointer data,
                                               GDestroyNotify destroy);
/* The question being asked, or NULL. */
GtkWindow *studio_window_get_replace_question (StudioWindow *self);
void       studio_window_modes_dispose        (StudioWindow *self);

GtkWindow *studio_window_get_open_question (StudioWindow *self);

/* studio-window-session.c: Save Session, Save Session As, Open Session, the autosave. */
void        studio_window_save_session_activate    (GSimpleAction *action, GVariant *param,
                                                    gpointer self);
void        studio_window_save_session_as_activate (GSimpleAction *action, GVariant *param,
                                                    gpointer self);
void        studio_window_open_session_activate    (GSimpleAction *action, GVariant *param,
                                                    gpointer self);
/* Writes the window's session as the folder dir; its runs count as saved then. */
gboolean    studio_window_save_session  (StudioWindow *self, const char *dir, GError **error);
/* Opens a session folder (or its session.json) in place of the window's runs, results,
 * settings and modes. FALSE when refused (said in the banner, naming the file). */
gboolean    studio_window_open_session  (StudioWindow *self, const char *path);
/* On close: unsaved runs go to the autosave folder, without asking. */
void        studio_window_session_autosave (StudioWindow *self);
char       *studio_session_autosave_dir (void);
/* The bar offering the autosave back (NULL when not shown), and answering it. */
GtkInfoBar *studio_window_get_session_bar     (StudioWindow *self);
void        studio_window_session_bar_respond (StudioWindow *self, gboolean restore);
void        studio_window_session_init    (StudioWindow *self);
void        studio_window_session_dispose (StudioWindow *self);

G_END_DECLS
