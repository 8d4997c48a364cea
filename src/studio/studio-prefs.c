/* SPDX-License-Identifier: MIT */
/* studio-prefs.c — the studio's remembered preferences over GSettings (see studio-prefs.h).
 * Not here: the session (runs, modes), which is saved as files. */
#include "studio-prefs.h"

#define SCHEMA_ID "org.taugate.Studio"

static GSettings *prefs;
static gboolean   looked_up;

/* The keys this file reads and writes: a schema without one of them (an older version's,
 * installed) would abort the program at the first g_settings_get of it. */
static const char *const keys[] = { "window-width", "window-height", "window-maximized",
                                    "dark-style", "data-folder" };

static GSettingsSchema *
complete (GSettingsSchema *schema)
{
  for (guint i = 0; schema != NULL && i < G_N_ELEMENTS (keys); i++)
    if (!g_settings_schema_has_key (schema, keys[i]))
      {
        g_debug ("schema %s lacks the key %s: not used", SCHEMA_ID, keys[i]);
        g_clear_pointer (&schema, g_settings_schema_unref);
      }
  return schema;
}

/* The schema where GLib finds it, else the one compiled into the build tree: the binary is
 * build/src/studio/taugate-studio (a test, build/tests/studio/NAME), the schema build/data.
 * Either only when it has every key used here. */
static GSettingsSchema *
find_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = source != NULL
                            ? complete (g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE))
                            : NULL;
  if (schema != NULL)
    return schema;

  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return NULL;
  g_autofree char *bindir = g_path_get_dirname (exe);
  g_autofree char *dir = g_canonicalize_filename ("../../data", bindir);
  g_autofree char *compiled = g_build_filename (dir, "gschemas.compiled", NULL);
  if (!g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
    return NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettingsSchemaSource) build = g_settings_schema_source_new_from_directory (
    dir, source, FALSE, &error);
  if (build == NULL)
    {
      g_debug ("%s: %s", compiled, error->message);
      return NULL;
    }
  return complete (g_settings_schema_source_lookup (build, SCHEMA_ID, FALSE));
}

GSettings *
studio_prefs_get (void)
{
  if (!looked_up)
    {
      g_autoptr (GSettingsSchema) schema = find_schema ();
      looked_up = TRUE;
      if (schema != NULL)
        prefs = g_settings_new_full (schema, NULL, NULL);
      else
        g_debug ("no schema %s: the preferences are not remembered", SCHEMA_ID);
    }
  return prefs;
}

void
studio_prefs_forget (void)
{
  looked_up = TRUE;
  g_clear_object (&prefs);
}

/* The size the user chose for a window. GTK's default size follows every resize, also the
 * one GTK makes when what the window shows (a banner, a table) needs more than it has:
 * that size was not chosen, so it is not remembered, and the window goes back to the chosen
 * one once it fits again. */
typedef struct {
  int width, height;
} ChosenSize;

/* The window's minimum size, as GTK compares it with the default size. */
static void
minimum_size (GtkWindow *window, int for_width, int *min_w, int *min_h)
{
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, min_w, NULL, NULL,
                      NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, MAX (for_width, *min_w),
                      min_h, NULL, NULL, NULL);
}

static gboolean
is_free (GtkWindow *window)
{
  return !gtk_window_is_maximized (window) && !gtk_window_is_fullscreen (window);
}

static void
default_size_cb (GtkWindow *window, GParamSpec *pspec, ChosenSize *chosen)
{
  int w = 0, h = 0, min_w, min_h;

  if (!is_free (window))
    return;
  gtk_window_get_default_size (window, &w, &h);
  minimum_size (window, w, &min_w, &min_h);
  /* grown to its minimum (give or take a pixel of rounding): made to, not chosen */
  if (w > 0 && !(w > chosen->width && w <= min_w + 1))
    chosen->width = w;
  if (h > 0 && !(h > chosen->height && h <= min_h + 1))
    chosen->height = h;
}

/* After each layout: a window made larger than chosen goes back once the chosen size fits. */
static void
surface_layout_cb (GdkSurface *surface, int width, int height, GtkWindow *window)
{
  ChosenSize *chosen = g_object_get_data (G_OBJECT (window), "studio-chosen-size");
  int w = 0, h = 0, min_w, min_h;

  if (chosen == NULL || !is_free (window))
    return;
  gtk_window_get_default_size (window, &w, &h);
  if (w <= chosen->width && h <= chosen->height)
    return;
  minimum_size (window, chosen->width, &min_w, &min_h);
  if (chosen->width >= min_w && chosen->height >= min_h)
    gtk_window_set_default_size (window, chosen->width, chosen->height);
}

static void
window_realize_cb (GtkWidget *widget, gpointer data)
{
  g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (widget)), "layout",
                           G_CALLBACK (surface_layout_cb), widget, G_CONNECT_AFTER);
}

/* The size a tracked window's user chose (its default size when untracked). */
static void
chosen_size (GtkWindow *window, int *width, int *height)
{
  ChosenSize *chosen = g_object_get_data (G_OBJECT (window), "studio-chosen-size");

  if (chosen != NULL)
    {
      *width = chosen->width;
      *height = chosen->height;
    }
  else
    gtk_window_get_default_size (window, width, height);
}

static gboolean
window_close_request_cb (GtkWindow *window, gpointer data)
{
  GSettings *settings = studio_prefs_get ();
  int width = 0, height = 0;

  if (settings == NULL)
    return FALSE;
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  /* a maximized window keeps the size it had before, to go back to */
  chosen_size (window, &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  return FALSE;
}

void
studio_prefs_track_window (GtkWindow *window)
{
  GSettings *settings = studio_prefs_get ();
  ChosenSize *chosen = g_new0 (ChosenSize, 1);

  if (settings != NULL)
    {
      int width = g_settings_get_int (settings, "window-width");
      int height = g_settings_get_int (settings, "window-height");
      if (width > 0 && height > 0)
        gtk_window_set_default_size (window, width, height);
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (window);
    }
  gtk_window_get_default_size (window, &chosen->width, &chosen->height);
  g_object_set_data_full (G_OBJECT (window), "studio-chosen-size", chosen, g_free);
  g_signal_connect (window, "notify::default-width", G_CALLBACK (default_size_cb), chosen);
  g_signal_connect (window, "notify::default-height", G_CALLBACK (default_size_cb), chosen);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    window_realize_cb (GTK_WIDGET (window), NULL);
  else
    g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), NULL);
  g_signal_connect (window, "close-request", G_CALLBACK (window_close_request_cb), NULL);
}

gboolean
studio_prefs_get_dark (void)
{
  GSettings *settings = studio_prefs_get ();
  return settings != NULL && g_settings_get_boolean (settings, "dark-style");
}

void
studio_prefs_set_dark (gboolean dark)
{
  GSettings *settings = studio_prefs_get ();
  if (settings != NULL)
    g_settings_set_boolean (settings, "dark-style", dark);
}

char *
studio_prefs_dup_data_folder (void)
{
  GSettings *settings = studio_prefs_get ();
  g_autofree char *dir = settings != NULL ? g_settings_get_string (settings, "data-folder")
                                          : NULL;

  /* a folder since removed or unmounted is forgotten quietly: MNIST instead */
  if (dir == NULL || *dir == '\0' || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_steal_pointer (&dir);
}

void
studio_prefs_set_data_folder (const char *dir)
{
  GSettings *settings = studio_prefs_get ();
  if (settings == NULL)
    return;
  g_autofree char *canon = dir != NULL ? g_canonicalize_filename (dir, NULL) : g_strdup ("");
  g_settings_set_string (settings, "data-folder", canon);
}

void
studio_prefs_set_chooser_folder (GtkFileChooser *chooser)
{
  g_autofree char *dir = studio_prefs_dup_data_folder ();
  if (dir == NULL)
    return;
  g_autoptr (GFile) folder = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}
