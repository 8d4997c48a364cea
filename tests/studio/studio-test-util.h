/* studio-test-util.h — what the studio's GUI tests share: a small configuration over the
 * MNIST folder of TG_MNIST_DIR, a window to drive, and waiting on the main loop for a
 * condition (failing the test after WAIT_TIMEOUT_S). Tests only. */
#pragma once

#include <gtk/gtk.h>

#include "studio-window-private.h"

G_BEGIN_DECLS

#define WAIT_TIMEOUT_S 120

typedef gboolean (*Condition) (StudioWindow *win, gpointer data);

/* Sets the test environment up (no accessibility bus, no dconf), initialises GTK and the
 * resources. Returns 0, or 77 (skip) when TG_MNIST_DIR does not name a folder. */
int                studio_test_init     (int *argc, char ***argv);
/* The same without registering the resources: as the program starts, where the application
 * registers them. */
int                studio_test_init_env (int *argc, char ***argv);
const char        *studio_test_data_dir (void);

/* 2048 training / 1000 test images, 2 + 40 epochs, evaluation every 4 steps */
void small_config (StudioConfig *cfg);
/* A tiny `taugate reproduce` (TauGate, one seed, 2000 training and 500 test images) with the
 * program at taugate into dir/reproduce; its checkpoints folder, which the caller frees. */
char *studio_test_reproduce (const char *taugate, const char *dir);
StudioWindow *new_window (const StudioConfig *cfg);
void destroy_window (StudioWindow *win);
typedef gboolean (*WaitCondition) (gpointer data);

/* Iterates the main context until cond (data) holds; fails the test, naming what it waited
 * for, after timeout_s seconds. Instead of a fixed wait before an assertion. */
void wait_until (WaitCondition cond, gpointer data, guint timeout_s, const char *what);
/* Iterates the main context until cond holds; fails the test after WAIT_TIMEOUT_S. */
void wait_for (StudioWindow *win, Condition cond, gpointer data, const char *what);
/* Conditions for wait_until: *(gpointer *) data is NULL (an object's weak pointer, cleared
 * when it is finalised); no GtkMessageDialog is shown; one is. */
gboolean pointer_cleared (gpointer data);
gboolean no_message_dialog (gpointer data);
gboolean message_dialog_shown (gpointer data);
/* The GtkMessageDialog shown, or NULL. */
GtkWindow *find_message_dialog (void);
void spin (int ms);
const StudioRun *current_run (StudioWindow *win);
guint64 current_step (StudioWindow *win);
gboolean is_idle (StudioWindow *win, gpointer data);
gboolean any_snapshot (StudioWindow *win, gpointer data);
gboolean run_finished (StudioWindow *win, gpointer data);
gboolean overlap_done (StudioWindow *win, gpointer data);
/* A window whose short run (10000 training / 2000 test images, 3 + 1 epochs, masks every 40
 * steps) has finished, idle, with a model copy in its masks: what the unit tests inspect. */
StudioWindow *unit_window_new (void);
/* The file chooser GtkFileChooserNative falls back to without a portal, or NULL. */
GtkWidget *find_file_chooser (void);
gboolean chooser_shown (StudioWindow *win, gpointer data);

/* Keys and clicks through the X server, as a keyboard and a mouse would send them (xdotool,
 * XTEST). FALSE when xdotool or an X display is missing (the test is then skipped). */
#define KEY_TIMEOUT_S 20
gboolean studio_test_xdotool_init (void);
/* xdotool with args (NULL-terminated); fails the test when it fails. */
void xdo_run (const char *const *args);
/* The X input focus on window (no window manager gives it under Xvfb), waited for. */
void xdo_focus_window (GtkWindow *window);
/* One key (xdotool's names: F1, ctrl+question, space, Tab, Page_Down), pressed and released. */
void xdo_press (const char *key);
/* The window's X focus and widget's keyboard focus, checked. */
void xdo_focus_on (StudioWindow *win, GtkWidget *widget, const char *what);
/* Conditions for wait_until: the widget is mapped; laid out wider than 100 px. */
gboolean widget_mapped (gpointer widget);
gboolean widget_allocated (gpointer widget);

G_END_DECLS
