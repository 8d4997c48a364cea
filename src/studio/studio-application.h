/* studio-application.h — the GtkApplication org.taugate.Studio: command-line options,
 * application actions and accelerators, the style sheet. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STUDIO_TYPE_APPLICATION (studio_application_get_type ())
G_DECLARE_FINAL_TYPE (StudioApplication, studio_application, STUDIO, APPLICATION, GtkApplication)

StudioApplication *studio_application_new (void);
/* What the process returns once g_application_run has returned 0: EXIT_FAILURE when a window
 * closed by --screenshot, --quit-after-steps or --export-all showed an error (a file refused,
 * a run failed), or when --export-all was asked for and not written; else EXIT_SUCCESS. */
int                studio_application_get_exit_status (StudioApplication *self);

/* How many long jobs still hold the application (studio-task-hold.h), with or without one:
 * a process that runs windows without one (a test program) waits for this to reach 0 before
 * it exits. */
guint         studio_application_tasks_held   (void);

G_END_DECLS
