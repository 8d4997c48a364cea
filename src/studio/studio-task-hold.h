/* studio-task-hold.h — keeps the process's GApplication (if any) alive while a worker thread
 * uses OpenBLAS or a test set, which go when the process ends (quitting during a measurement
 * crashed in cblas_sgemm), and counts the threads still out so that a program without an
 * application (a test) can wait for them before it exits. Knows nothing of windows or views:
 * any job that outlives a click takes a hold. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _StudioTaskHold StudioTaskHold;

/* Takes a hold (main thread): the running application, if any, stays until it is released. */
StudioTaskHold *studio_task_hold_new     (void);
/* Releases it, from any thread, once the thread's work is over (e.g. in its task data's
 * free function); the application's release itself runs in the main loop. NULL: nothing. */
void            studio_task_hold_release (StudioTaskHold *hold);
/* Holds not yet released, with or without an application. */
guint           studio_task_hold_count   (void);

G_END_DECLS
