/* studio-test-util.c — the helpers of the studio's GUI tests (see studio-test-util.h). */
#include "studio-test-util.h"

#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>
#include <stdlib.h>

#include "studio-resources.h"
#include "studio-application.h"
#include "tg-folder-swap.h"
#include "tg-session.h"

static char *data_dir;

#if defined(__SANITIZE_ADDRESS__)
/* The sanitizer pass (./run.sh test, build-asan/) keeps ASan's memory-error checks and UBSan
 * in the GUI tests but turns LeakSanitizer off for them: GTK, Mesa's software GL and the
 * file chooser's libraries keep allocations for the life of the process, and LSan's fast
 * unwinder stops at g_malloc in those libraries (built without frame pointers), so their
 * leaks can neither be told from ours nor suppressed by name; the full unwinder makes one
 * GUI test program take minutes. Leaks are still checked in every non-GUI test program. */
int __lsan_is_turned_off (void);
int
__lsan_is_turned_off (void)
{
  return 1;
}
#endif

/* A test program has no GApplication to keep it alive while a measurement's thread runs:
 * leaving main then let OpenBLAS free its buffers under a thread still in cblas_sgemm (a
 * crash at exit). exit runs every atexit handler before the libraries' destructors, OpenBLAS's
 * clean-up among them, so this waits for the held tasks first, dispatching their completions,
 * for at most a minute. */
static void
wait_for_held_tasks (void)
{
  gint64 end = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (studio_application_tasks_held () > 0 && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

int
studio_test_init_env (int *argc, char ***argv)
{
  atexit (wait_for_held_tasks);
  /* no accessibility bus under xvfb-run: its warning would be fatal in a test (a program
   * may choose GTK's test backend, which needs no bus, before it calls this) */
  if (g_strcmp0 (g_getenv ("GTK_A11Y"), "test") != 0)
    g_setenv ("GTK_A11Y", "none", TRUE);
  /* the file chooser saves its state in GSettings; there is no session bus for dconf */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (argc, argv, NULL);
  /* a window closed with unsaved runs keeps them in the user's data folder: a test program
   * has one of its own, emptied at its start, never the tester's */
  {
    g_autofree char *home = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                              ? g_getenv ("G_TEST_BUILDDIR") : g_get_tmp_dir (),
                                              "data-home", g_get_prgname (), NULL);
    g_autofree char *studio = g_build_filename (home, "taugate-studio", NULL);
    g_setenv ("XDG_DATA_HOME", home, TRUE);
    /* the autosave, older ones, and what a save killed half-way left beside them */
    tg_remove_tree (studio);
  }
  gtk_init ();

  data_dir = g_strdup (g_getenv ("TG_MNIST_DIR"));
  if (data_dir == NULL || !g_file_test (data_dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("TG_MNIST_DIR does not name the MNIST folder\n");
      return 77;
    }
  return 0;
}

int
studio_test_init (int *argc, char ***argv)
{
  int status = studio_test_init_env (argc, argv);
  studio_ensure_resources ();
  return status;
}

const char *
studio_test_data_dir (void)
{
  return data_dir;
}

char *
studio_test_reproduce (const char *taugate, const char *dir)
{
  g_autofree char *out = g_build_filename (dir, "reproduce", NULL);
  g_autofree char *std_err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *argv[] = { taugate, "reproduce", "-q", "--data", studio_test_data_dir (),
                         "--train-limit", "2000", "--test-limit", "500", "--seeds", "1",
                         "--methods", "taugate", "--out", out, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, &std_err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("taugate reproduce failed: %s", std_err);
  return g_build_filename (out, "checkpoints", NULL);
}

void
small_config (StudioConfig *cfg)
{
  studio_config_init_paper (cfg);
  cfg->data_dir = g_strdup (data_dir);
  cfg->train_limit = 2048;   /* 8 batches of 256 per epoch */
  cfg->test_limit = 1000;
  cfg->foundation_epochs = 2;
  cfg->adapt_epochs = 40;    /* long enough to change settings while it runs */
  cfg->eval_every = 4;
  cfg->eval_samples = 500;
  cfg->mask_every = 8;
}

StudioWindow *
new_window (const StudioConfig *cfg)
{
  StudioWindow *win = studio_window_new (NULL, cfg);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 800);
  gtk_window_present (GTK_WINDOW (win));
  return win;
}

void
destroy_window (StudioWindow *win)
{
  gtk_window_destroy (GTK_WINDOW (win));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

void
wait_until (WaitCondition cond, gpointer data, guint timeout_s, const char *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_TIME_SPAN_SECOND;
  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %u s waiting for %s", timeout_s, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

typedef struct {
  StudioWindow *win;
  Condition     cond;
  gpointer      data;
} WindowCondition;

static gboolean
window_condition (gpointer data)
{
  WindowCondition *wc = data;
  return wc->cond (wc->win, wc->data);
}

void
wait_for (StudioWindow *win, Condition cond, gpointer data, const char *what)
{
  WindowCondition wc = { win, cond, data };
  wait_until (window_condition, &wc, WAIT_TIMEOUT_S, what);
}

gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

GtkWindow *
find_message_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (GTK_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}

gboolean
no_message_dialog (gpointer data)
{
  return find_message_dialog () == NULL;
}

gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

void
spin (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

const StudioRun *
current_run (StudioWindow *win)
{
  return studio_history_get_current (studio_window_get_history (win));
}

guint64
current_step (StudioWindow *win)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL ? st->step : 0;
}

gboolean
is_idle (StudioWindow *win, gpointer data)
{
  return !studio_trainer_is_busy (studio_window_get_trainer (win)) &&
         studio_trainer_get_state (studio_window_get_trainer (win)) == STUDIO_TRAINER_IDLE;
}

gboolean
any_snapshot (StudioWindow *win, gpointer data)
{
  return studio_history_get_status (studio_window_get_history (win)) != NULL;
}

gboolean
run_finished (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->finished && is_idle (win, NULL);
}

gboolean
overlap_done (StudioWindow *win, gpointer data)
{
  return studio_history_get_overlap (studio_window_get_history (win)) != NULL && is_idle (win, NULL);
}

/* The file chooser GtkFileChooserNative falls back to without a portal, or NULL. */
GtkWidget *
find_file_chooser (void)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (GTK_IS_FILE_CHOOSER_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

gboolean
chooser_shown (StudioWindow *win, gpointer data)
{
  return find_file_chooser () != NULL;
}

static gboolean
has_model (StudioWindow *win, gpointer data)
{
  StudioSnapshot *snap = studio_history_get_masks (win->history);
  return snap != NULL && snap->model != NULL && snap->finished && is_idle (win, NULL);
}

StudioWindow *
unit_window_new (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.train_limit = 10000;
  cfg.test_limit = 2000;
  cfg.foundation_epochs = 3;
  cfg.adapt_epochs = 1;
  cfg.mask_every = 40;
  StudioWindow *win = new_window (&cfg);
  studio_window_queue_job (win, STUDIO_JOB_TRAIN);
  wait_for (win, has_model, NULL, "a finished run with a model copy");
  studio_config_clear (&cfg);
  return win;
}

/* ---- keys and clicks through the X server ------------------------------------------------ */

static char *xdotool;

gboolean
studio_test_xdotool_init (void)
{
  if (xdotool == NULL)
    xdotool = g_find_program_in_path ("xdotool");
  return xdotool != NULL && GDK_IS_X11_DISPLAY (gdk_display_get_default ());
}

void
xdo_run (const char *const *args)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_nonnull (xdotool);
  g_strv_builder_add (b, xdotool);
  g_strv_builder_addv (b, (const char **) args);
  argv = g_strv_builder_end (b);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xdotool %s failed: %s", args[0], err);
}

gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

gboolean
widget_allocated (gpointer widget)
{
  return gtk_widget_get_width (widget) > 100;
}

/* is-active follows the X focus (FocusIn and FocusOut) */
static gboolean
has_x_focus (gpointer data)
{
  return gtk_window_is_active (data);
}

void
xdo_focus_window (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  const char *args[] = { "windowfocus", "--sync", xid, NULL };
  xdo_run (args);
  wait_until (has_x_focus, window, KEY_TIMEOUT_S, "the window to have the keyboard focus");
}

void
xdo_press (const char *key)
{
  const char *args[] = { "key", key, NULL };
  xdo_run (args);
}

void
xdo_focus_on (StudioWindow *win, GtkWidget *widget, const char *what)
{
  if (widget == NULL)
    g_error ("nothing to focus: %s", what);
  xdo_focus_window (GTK_WINDOW (win));
  g_assert_true (gtk_widget_grab_focus (widget));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (win));
  g_assert_nonnull (focus);
  g_assert_true (focus == widget || gtk_widget_is_ancestor (focus, widget));
  g_test_message ("focus on %s (%s)", what, G_OBJECT_TYPE_NAME (focus));
}
