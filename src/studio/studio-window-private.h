/* studio-window-private.h — what the window's files share (studio-window.c: template,
 * actions, run control, job queue, life cycle; studio-window-export.c: exports;
 * studio-window-screenshot.c: screenshot automation), and the hooks the application's
 * --screenshot and the tests drive. Not for the views. */
#pragma once

#include "studio-window.h"
#include "studio-settings-panel.h"

G_BEGIN_DECLS

struct _StudioWindow
{
  GtkApplicationWindow parent_instance;

  /* template widgets */
  GtkDropDown    *method_dropdown;
  GtkStack       *stack;
  GtkInfoBar     *banner;
  GtkLabel       *banner_label;
  StudioSettingsPanel *settings_panel;
  GtkInscription *status_label;  /* text changes never resize the window */

  /* owned */
  StudioTrainer  *trainer;
  StudioHistory  *history;
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

/* Automation for screenshots: after `steps` training steps (or when the run ends), show
 * view (NULL: the current one; "all": each in turn), save the window to png_path (NULL:
 * none) and close the window. */
void     studio_window_schedule_screenshot (StudioWindow *self, guint64 steps,
                                            const char *png_path, const char *view);

/* The error banner's text, NULL when hidden; what its close button does. */
const char *studio_window_get_banner     (StudioWindow *self);
void        studio_window_dismiss_banner (StudioWindow *self);

G_END_DECLS
