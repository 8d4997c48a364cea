/* SPDX-License-Identifier: MIT */
/* test-studio-prefs.c — what the studio remembers between runs (studio-prefs.c), under
 * xvfb-run with GSettings' keyfile backend in a temporary XDG_CONFIG_HOME: one window is
 * resized, turned dark and given a data folder through the folder chooser, then closed; a
 * new process's window opens with the same size, the dark style and that data folder, and
 * its folder chooser starts there. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "studio-test-util.h"
#include "studio-application.h"
#include "studio-prefs.h"
#include "cli-test-util.h"

#define WIDTH  1400
#define HEIGHT 900

static char *config_home;

static char *
chosen_folder (void)
{
  return g_build_filename (config_home, "my-digits", NULL);
}

/* A new application, registered and activated as on the command line without options:
 * its one window. */
static StudioWindow *
open_window (StudioApplication **app)
{
  g_autoptr (GError) error = NULL;

  *app = studio_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (*app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (*app));
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (*app));
  g_assert_nonnull (win);
  spin (200);
  return STUDIO_WINDOW (win);
}

static void
close_window (StudioApplication *app, StudioWindow *win)
{
  gtk_window_close (GTK_WINDOW (win));
  spin (100);
  g_object_unref (app);
}

static GtkDropDown *
data_dropdown (StudioWindow *win)
{
  GObject *dd = gtk_widget_get_template_child (GTK_WIDGET (win->settings_panel),
                                               STUDIO_TYPE_SETTINGS_PANEL, "data_dropdown");
  g_assert_nonnull (dd);
  return GTK_DROP_DOWN (dd);
}

/* Picks "Folder…", the data set list's last item: the folder chooser, shown. */
static GtkFileChooser *
open_data_chooser (StudioWindow *win)
{
  GtkDropDown *dd = data_dropdown (win);
  guint n = g_list_model_get_n_items (gtk_drop_down_get_model (dd));
  gtk_drop_down_set_selected (dd, n - 1);
  wait_for (win, chooser_shown, NULL, "the folder chooser");
  spin (300);  /* the folder loads asynchronously */
  return GTK_FILE_CHOOSER (find_file_chooser ());
}

static char *
data_dir_in_use (StudioWindow *win)
{
  StudioConfig cfg;
  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (win->settings_panel, &cfg);
  char *dir = g_steal_pointer (&cfg.data_dir);
  studio_config_clear (&cfg);
  return dir;
}

static gboolean
prefers_dark (void)
{
  gboolean dark = FALSE;
  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
  return dark;
}

/* The second half, in a new process: what the first one set is back. */
static void
check_remembered (void)
{
  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  g_autofree char *folder = chosen_folder ();
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (win), &width, &height);
  g_assert_cmpint (width, ==, WIDTH);
  g_assert_cmpint (height, ==, HEIGHT);

  g_autoptr (GVariant) dark = g_action_group_get_action_state (G_ACTION_GROUP (app), "dark");
  g_assert_true (g_variant_get_boolean (dark));
  g_assert_true (prefers_dark ());

  g_autofree char *dir = data_dir_in_use (win);
  g_assert_cmpstr (dir, ==, folder);
  GtkFileChooser *chooser = open_data_chooser (win);
  g_autoptr (GFile) current = gtk_file_chooser_get_current_folder (chooser);
  g_assert_nonnull (current);
  g_autofree char *current_path = g_file_get_path (current);
  g_assert_cmpstr (current_path, ==, folder);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  spin (100);
  close_window (app, win);
}

static void
test_remembered (void)
{
  if (g_test_subprocess ())
    {
      check_remembered ();
      return;
    }

  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  g_autofree char *folder = chosen_folder ();
  int width = 0, height = 0;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  /* the defaults first: nothing is remembered yet */
  gtk_window_get_default_size (GTK_WINDOW (win), &width, &height);
  g_assert_cmpint (width, !=, WIDTH);
  g_assert_false (prefers_dark ());

  gtk_window_set_default_size (GTK_WINDOW (win), WIDTH, HEIGHT);
  g_action_group_change_action_state (G_ACTION_GROUP (app), "dark", g_variant_new_boolean (TRUE));
  g_assert_true (prefers_dark ());
  GtkFileChooser *chooser = open_data_chooser (win);
  g_autoptr (GFile) file = g_file_new_for_path (folder);
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, file, NULL));
  spin (300);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  spin (100);
  g_autofree char *dir = data_dir_in_use (win);
  g_assert_cmpstr (dir, ==, folder);
  close_window (app, win);
  if (studio_prefs_get () != NULL)
    g_settings_sync ();

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Without a schema anywhere the studio still runs, on the defaults, with no warning (GLib's
 * tests make warnings and criticals fatal): this test program, copied where no build tree
 * is beside it and run with no schema directory, opens and closes a window. */
/* stale: a schema of the studio's id installed where GLib looks, from an older version,
 * without most keys: the preferences are then not remembered, nothing aborts. */
static void
run_without_schema (gboolean stale);

static void
test_no_schema (void)
{
  run_without_schema (FALSE);
}

static void
test_stale_schema (void)
{
  run_without_schema (TRUE);
}

static void
run_without_schema (gboolean stale)
{
  if (g_getenv ("TG_TEST_NO_SCHEMA_CHILD") != NULL)
    {
      g_assert_null (studio_prefs_get ());
      g_assert_false (studio_prefs_get_dark ());
      g_assert_null (studio_prefs_dup_data_folder ());
      studio_prefs_set_dark (TRUE);
      studio_prefs_set_data_folder (config_home);
      g_assert_null (studio_prefs_dup_data_folder ());
      StudioApplication *app = NULL;
      StudioWindow *win = open_window (&app);
      g_assert_false (prefers_dark ());
      close_window (app, win);
      return;
    }

  g_autoptr (GError) error = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  g_autofree char *bindir = g_build_filename (config_home, "elsewhere", "bin", NULL);
  g_autofree char *copy = g_build_filename (bindir, "test-studio-prefs", NULL);
  g_autofree char *empty = g_build_filename (config_home, "no-schemas", NULL);
  g_autoptr (GFile) from = g_file_new_for_path (exe);
  g_autoptr (GFile) to = g_file_new_for_path (copy);
  g_assert_cmpint (g_mkdir_with_parents (bindir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (copy, 0700), ==, 0);
  /* the data folders hold no schema, but the MIME database the icon's loader needs */
  g_autofree char *mime = g_build_filename (empty, "mime", NULL);
  if (g_file_test ("/usr/share/mime", G_FILE_TEST_IS_DIR) && !g_file_test (mime, G_FILE_TEST_EXISTS))
    g_assert_cmpint (symlink ("/usr/share/mime", mime), ==, 0);

  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_unsetenv (env, "GSETTINGS_SCHEMA_DIR");
  env = g_environ_setenv (env, "XDG_DATA_DIRS", empty, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", empty, TRUE);
  env = g_environ_setenv (env, "TG_TEST_NO_SCHEMA_CHILD", "1", TRUE);
  g_autofree char *stale_dir = g_build_filename (config_home, "stale-schema", NULL);
  if (stale)
    {
      /* an older org.taugate.Studio with the dark style only */
      g_autofree char *xml = g_build_filename (stale_dir, "org.taugate.Studio.gschema.xml", NULL);
      g_assert_cmpint (g_mkdir_with_parents (stale_dir, 0700), ==, 0);
      g_assert_true (g_file_set_contents (xml,
        "<schemalist><schema id=\"org.taugate.Studio\" path=\"/org/taugate/Studio/\">"
        "<key name=\"dark-style\" type=\"b\"><default>false</default></key>"
        "</schema></schemalist>", -1, &error));
      const char *compile[] = { "glib-compile-schemas", stale_dir, NULL };
      int cstatus = 0;
      g_assert_true (g_spawn_sync (NULL, (char **) compile, NULL, G_SPAWN_SEARCH_PATH, NULL,
                                   NULL, NULL, NULL, &cstatus, &error));
      g_assert_true (g_spawn_check_wait_status (cstatus, NULL));
      env = g_environ_setenv (env, "GSETTINGS_SCHEMA_DIR", stale_dir, TRUE);
    }
  const char *argv[] = { copy, "-p", stale ? "/studio/prefs/stale-schema" : "/studio/prefs/no-schema",
                         NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %s%s", stale ? "with a stale schema" : "without a schema", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_null (strstr (err, "CRITICAL"));
  g_assert_null (strstr (err, "WARNING"));
  g_remove (copy);
  g_remove (mime);
}

int
main (int argc, char *argv[])
{
  /* before GTK reads anything of the user's configuration; a subprocess keeps its parent's */
  const char *home = g_getenv ("TG_TEST_PREFS_HOME");
  g_autofree char *made = NULL;
  if (home == NULL)
    {
      made = g_dir_make_tmp ("test-studio-prefs-XXXXXX", NULL);
      g_assert_nonnull (made);
      g_setenv ("TG_TEST_PREFS_HOME", made, TRUE);
      home = made;
    }
  config_home = g_canonicalize_filename (home, NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;
  /* after studio_test_init, which asks for the memory backend */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);

  g_test_add_func ("/studio/prefs/remembered", test_remembered);
  g_test_add_func ("/studio/prefs/no-schema", test_no_schema);
  g_test_add_func ("/studio/prefs/stale-schema", test_stale_schema);
  int ret = g_test_run ();
  if (made != NULL)
    cli_test_remove_tree (made);  /* the parent made it: the subprocesses are done with it */
  g_free (config_home);
  return ret;
}
