/* SPDX-License-Identifier: MIT */
/* test-studio-window.c — the window's size under xvfb-run, on the foundation and two TauGate
 * adapters of a tiny `taugate reproduce` (argv[1] is the taugate tool), an angle sweep and a
 * short run: in every view, with every banner (an error of several lines, an info, the
 * autosave's offer, an error and the offer together), the window fits a 1280 x 720 screen,
 * both as measured and as shown; the Rename popover opens inside the window; the Digit
 * Pad's Rotation slider is wide; the size remembered is the one the user chose (resized
 * through the X server with xdotool), not one a banner made; a data folder reads whole. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-angles-view.h"
#include "studio-view.h"
#include "studio-application.h"
#include "studio-prefs.h"
#include <gdk/x11/gdkx.h>
#include "cli-test-util.h"

static const char *taugate_cli;
static char *tmp_dir;
static char *ckpt;

static gboolean
measured (StudioWindow *win, gpointer data)
{
  return !studio_window_is_measuring (win);
}

static gboolean
swept (StudioWindow *win, gpointer data)
{
  return !studio_angles_view_is_running (data);
}

/* A window at 1280 x 720 with Base, 0° and 45° open, its angles swept (the mixed-stream
 * table shown) and a short run trained (the inspector and the digit pad filled). */
static StudioWindow *
full_window (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  StudioWindow *win = studio_window_new (NULL, &cfg);
  studio_config_clear (&cfg);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 720);
  gtk_window_present (GTK_WINDOW (win));

  g_autofree char *f = g_build_filename (ckpt, "seed0-foundation.safetensors", NULL);
  g_autofree char *a0 = g_build_filename (ckpt, "seed0-taugate-0deg.safetensors", NULL);
  g_autofree char *a45 = g_build_filename (ckpt, "seed0-taugate-45deg.safetensors", NULL);
  const char *paths[] = { f, a0, a45, NULL };
  g_assert_true (studio_window_open_paths (win, paths));
  wait_for (win, measured, NULL, "the first mode's measurement");
  StudioAnglesView *angles = STUDIO_ANGLES_VIEW (studio_window_get_view (win, "angles"));
  g_assert_true (studio_angles_view_start (angles));
  wait_for (win, swept, angles, "the angle sweep");
  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run");
  wait_for (win, measured, NULL, "the modes measured");
  return win;
}

typedef struct {
  int min_w, min_h;     /* the window's minimum: width, and height at 1280 wide */
  int shown_w, shown_h; /* the window as shown, asked for 1280 x 720 */
} Size;

/* A bar's revealer has ended its animation. */
static gboolean
bar_settled (GtkInfoBar *bar)
{
  GtkWidget *revealer = bar != NULL ? gtk_widget_get_first_child (GTK_WIDGET (bar)) : NULL;
  if (revealer == NULL || !GTK_IS_REVEALER (revealer))
    return TRUE;
  return gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)) ==
         gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static gboolean
window_mapped (StudioWindow *win, gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (win));
}

static gint64
frame_counter (StudioWindow *win)
{
  return gdk_frame_clock_get_frame_counter (gtk_widget_get_frame_clock (GTK_WIDGET (win)));
}

/* The bars shown or hidden, and two frames drawn since: GTK has sized the window for what it
 * shows (grown it to its minimum, if it had to). data: the frame counter to pass. */
static gboolean
laid_out (StudioWindow *win, gpointer data)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (win)) || !bar_settled (win->banner) ||
      !bar_settled (win->session_bar))
    return FALSE;
  if (frame_counter (win) < *(gint64 *) data)
    {
      gtk_widget_queue_draw (GTK_WIDGET (win));
      return FALSE;
    }
  return TRUE;
}

static Size
window_size (StudioWindow *win)
{
  Size s;
  wait_for (win, window_mapped, NULL, "the window shown");
  gint64 until = frame_counter (win) + 2;
  wait_for (win, laid_out, &until, "the window laid out");
  gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_HORIZONTAL, -1, &s.min_w, NULL, NULL,
                      NULL);
  gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_VERTICAL, MAX (s.min_w, 1280), &s.min_h,
                      NULL, NULL, NULL);
  s.shown_w = gtk_widget_get_width (GTK_WIDGET (win));
  s.shown_h = gtk_widget_get_height (GTK_WIDGET (win));
  return s;
}

static const char *const banners[] = { "none", "error", "info", "offer", "error+offer", NULL };

/* A refusal of three files, each with its reason, as opening them gives it. */
static void
show_banner (StudioWindow *win, const char *banner)
{
  studio_window_hide_banner (win);
  if (strstr (banner, "error") != NULL)
    {
      const char *missing[] = {
        "/nonexistent/a/folder/with/a/rather/long/name/of/checkpoints/seed0-foundation.safetensors",
        "/nonexistent/a/folder/with/a/rather/long/name/of/checkpoints/seed0-taugate-0deg.safetensors",
        "/nonexistent/a/folder/with/a/rather/long/name/of/checkpoints/seed0-taugate-45deg.safetensors",
        NULL };
      g_assert_false (studio_window_open_paths (win, missing));
      g_assert_nonnull (studio_window_get_banner (win));
    }
  else if (strcmp (banner, "info") == 0)
    studio_window_show_banner (win, GTK_MESSAGE_INFO,
                               "Wrote modes.csv, mixed.csv and tables/modes.tex to "
                               "/home/someone/Documents/experiments/taugate/rotation-45/tables");
}

static void
check_views (StudioWindow *win, const char *banner, GString *faults)
{
  const char *const *views = studio_window_view_names ();

  show_banner (win, banner);
  for (guint v = 0; views[v] != NULL; v++)
    {
      studio_window_show_view (win, views[v]);
      Size s = window_size (win);
      g_test_message ("%-10s banner %-11s minimum %4d x %3d, shown %4d x %3d", views[v], banner,
                      s.min_w, s.min_h, s.shown_w, s.shown_h);
      if (strcmp (banner, "error+offer") == 0 && strcmp (views[v], "angles") == 0)
        {
          /* kept for a person to look at: the most the window shows at once */
          g_autoptr (GError) error = NULL;
          g_assert_true (studio_widget_save_png (GTK_WIDGET (win), "studio-window-banners.png",
                                                 &error));
          g_assert_no_error (error);
        }
      if (s.min_w > 1280 || s.min_h > 720 || s.shown_w > 1280 || s.shown_h > 720)
        g_string_append_printf (faults, "%s with banner %s: minimum %d x %d, shown %d x %d\n",
                                views[v], banner, s.min_w, s.min_h, s.shown_w, s.shown_h);
    }
}

/* Every view with every banner fits 1280 x 720: the minimum and the window as shown. */
static void
test_fits (void)
{
  g_autoptr (GString) faults = g_string_new (NULL);
  g_autofree char *autosave = studio_session_autosave_dir ();
  g_autoptr (GError) error = NULL;
  StudioWindow *win = full_window ();

  for (guint b = 0; banners[b] != NULL; b++)
    if (strstr (banners[b], "offer") == NULL)
      check_views (win, banners[b], faults);

  /* the autosave's offer is made by a window opened while an autosave exists */
  g_assert_true (studio_window_save_session (win, autosave, &error));
  g_assert_no_error (error);
  destroy_window (win);
  win = full_window ();
  g_assert_nonnull (studio_window_get_session_bar (win));
  for (guint b = 0; banners[b] != NULL; b++)
    if (strstr (banners[b], "offer") != NULL)
      check_views (win, banners[b], faults);
  studio_window_session_bar_respond (win, FALSE);
  destroy_window (win);

  if (faults->len > 0)
    g_test_fail_printf ("the window does not fit 1280 x 720:\n%s", faults->str);
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The Digit Pad's Rotation slider, 0° to 360°, is wide enough to set an angle with the
 * mouse (it was 83 px wide at the end of the row of buttons). */
static void
test_pad_rotation_width (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = studio_window_new (NULL, &cfg);
  studio_config_clear (&cfg);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 720);
  gtk_window_present (GTK_WINDOW (win));
  studio_window_show_view (win, "digit-pad");
  Size s = window_size (win);
  GtkWidget *scale = find_type (studio_window_get_view (win, "digit-pad"), GTK_TYPE_SCALE);
  g_assert_nonnull (scale);
  g_test_message ("window %d x %d: the Rotation slider is %d px wide", s.shown_w, s.shown_h,
                  gtk_widget_get_width (scale));
  g_assert_cmpint (gtk_widget_get_width (scale), >=, 300);
  destroy_window (win);
}

static GtkWidget *
find_mapped_label (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_mapped_label (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
label_drawn (StudioWindow *win, gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* The data set chosen as a folder reads as the folder's name, whole ("Folder:…ydata" before). */
static void
test_data_folder_label (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "mydata", NULL);
  StudioConfig cfg;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  small_config (&cfg);
  g_free (cfg.data_dir);
  cfg.data_dir = g_strdup (dir);
  StudioWindow *win = studio_window_new (NULL, &cfg);
  studio_config_clear (&cfg);
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 720);
  gtk_window_present (GTK_WINDOW (win));
  GtkWidget *dropdown = GTK_WIDGET (gtk_widget_get_template_child (
    GTK_WIDGET (win->settings_panel), STUDIO_TYPE_SETTINGS_PANEL, "data_dropdown"));
  wait_for (win, label_drawn, dropdown, "the data set's button drawn");
  GtkWidget *label = find_mapped_label (dropdown);
  g_assert_nonnull (label);
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));
  g_test_message ("the data set reads “%s”%s", gtk_label_get_text (GTK_LABEL (label)),
                  pango_layout_is_ellipsized (layout) ? ", ellipsized" : "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "mydata");
  g_assert_false (pango_layout_is_ellipsized (layout));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, dir);
  destroy_window (win);
}

static gboolean
popover_shown (StudioWindow *win, gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

/* The Rename popover, at the foot of the side panel, opens inside the window. */
static void
test_rename_inside (void)
{
  StudioWindow *win = full_window ();
  GtkWidget *panel = GTK_WIDGET (win->modes_panel);
  GtkMenuButton *rename = GTK_MENU_BUTTON (
    gtk_widget_get_template_child (panel, STUDIO_TYPE_MODES_PANEL, "rename_button"));
  GtkWidget *popover;
  GdkSurface *surface;

  g_assert_nonnull (rename);
  studio_window_show_view (win, "neurons");
  spin (100);
  gtk_menu_button_popup (rename);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (rename));
  wait_for (win, popover_shown, popover, "the Rename popover");
  spin (100);
  /* where the popover's text field is in the window: its surface's place (relative to the
   * window's) and the field's place on that surface */
  surface = gtk_native_get_surface (GTK_NATIVE (popover));
  GtkWidget *entry = gtk_popover_get_child (GTK_POPOVER (popover));
  graphene_rect_t r;
  double sx, sy;
  g_assert_true (gtk_widget_compute_bounds (entry, popover, &r));
  gtk_native_get_surface_transform (GTK_NATIVE (popover), &sx, &sy);
  double x = gdk_popup_get_position_x (GDK_POPUP (surface)) + sx + r.origin.x;
  double y = gdk_popup_get_position_y (GDK_POPUP (surface)) + sy + r.origin.y;
  double wsx, wsy;
  gtk_native_get_surface_transform (GTK_NATIVE (win), &wsx, &wsy);
  int win_w = gtk_widget_get_width (GTK_WIDGET (win));
  int win_h = gtk_widget_get_height (GTK_WIDGET (win));
  g_test_message ("the Rename field at %g,%g, %g x %g; the window at %g,%g, %d x %d", x, y,
                  r.size.width, r.size.height, wsx, wsy, win_w, win_h);
  g_assert_cmpfloat (x, >=, wsx);
  g_assert_cmpfloat (y, >=, wsy);
  g_assert_cmpfloat (x + r.size.width, <=, wsx + win_w);
  g_assert_cmpfloat (y + r.size.height, <=, wsy + win_h);
  gtk_popover_popdown (GTK_POPOVER (popover));
  destroy_window (win);
}

static gboolean
height_is (StudioWindow *win, gpointer data)
{
  int w, h;
  gtk_window_get_default_size (GTK_WINDOW (win), &w, &h);
  return h == GPOINTER_TO_INT (data) && gtk_widget_get_mapped (GTK_WIDGET (win));
}

/* The window shown at the height its default height asks for (GTK's resize done). */
static gboolean
shown_at (StudioWindow *win, gpointer data)
{
  return gtk_widget_get_height (GTK_WIDGET (win)) == GPOINTER_TO_INT (data);
}

static gboolean
grown_past (StudioWindow *win, gpointer data)
{
  int w, h;
  gtk_window_get_default_size (GTK_WINDOW (win), &w, &h);
  return h > GPOINTER_TO_INT (data);
}

/* The user's resize as a window manager makes it: through the X server (xdotool). */
static void
resize_by_user (StudioWindow *win, int width, int height)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (win));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  g_autofree char *w = g_strdup_printf ("%d", width), *h = g_strdup_printf ("%d", height);
  const char *argv[] = { xdotool, "windowsize", xid, w, h, NULL };
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                               NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The size remembered is the one the user chose: not one a banner made the window grow to
 * (it was 1280 x 778 after the Angles table, in every later launch), and the window goes back
 * to the chosen size once the banner is gone. */
static void
test_size_remembered (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  const char *missing[] = { "/nonexistent/folder/of/checkpoints/one.safetensors",
                            "/nonexistent/folder/of/checkpoints/two.safetensors",
                            "/nonexistent/folder/of/checkpoints/three.safetensors", NULL };

  if (xdotool == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs xdotool and an X display");
      return;
    }
  StudioApplication *app = studio_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  StudioWindow *win = STUDIO_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  GSettings *settings = studio_prefs_get ();
  g_assert_nonnull (settings);

  Size s = window_size (win);
  /* the user makes the window a little taller than its minimum: too short for a banner */
  int chosen = s.min_h + 30, decorations = 720 - s.shown_h;
  resize_by_user (win, 1280, chosen);
  wait_for (win, height_is, GINT_TO_POINTER (chosen), "the user's resize");
  wait_for (win, shown_at, GINT_TO_POINTER (chosen - decorations), "the window resized");
  s = window_size (win);
  g_test_message ("chosen 1280 x %d, shown %d x %d", chosen, s.shown_w, s.shown_h);

  g_assert_false (studio_window_open_paths (win, missing));
  wait_for (win, grown_past, GINT_TO_POINTER (chosen), "the banner to push the window");
  s = window_size (win);
  g_test_message ("with the banner: shown %d x %d", s.shown_w, s.shown_h);
  studio_window_dismiss_banner (win);
  wait_for (win, height_is, GINT_TO_POINTER (chosen), "the window back to its chosen size");
  wait_for (win, shown_at, GINT_TO_POINTER (chosen - decorations), "the window resized");
  /* a window the user makes larger stays so */
  resize_by_user (win, 1280, chosen + 100);
  wait_for (win, height_is, GINT_TO_POINTER (chosen + 100), "the user's resize");
  wait_for (win, shown_at, GINT_TO_POINTER (chosen + 100 - decorations), "the window resized");
  window_size (win);
  g_assert_true (height_is (win, GINT_TO_POINTER (chosen + 100)));
  resize_by_user (win, 1280, chosen);
  wait_for (win, height_is, GINT_TO_POINTER (chosen), "the user's resize");
  wait_for (win, shown_at, GINT_TO_POINTER (chosen - decorations), "the window resized");

  g_assert_false (studio_window_open_paths (win, missing));
  wait_for (win, grown_past, GINT_TO_POINTER (chosen), "the banner to push the window again");
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  gtk_window_close (GTK_WINDOW (win));
  for (int i = 0; i < 50 && win != NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_test_message ("remembered %d x %d", g_settings_get_int (settings, "window-width"),
                  g_settings_get_int (settings, "window-height"));
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, chosen);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1280);
  g_object_unref (app);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;
  if (argc < 2)
    {
      g_printerr ("usage: %s TAUGATE\n", argv[0]);
      return 1;
    }
  taugate_cli = argv[1];
  tmp_dir = g_dir_make_tmp ("test-studio-window-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  ckpt = studio_test_reproduce (taugate_cli, tmp_dir);

  g_test_add_func ("/studio/window/fits-1280x720", test_fits);
  g_test_add_func ("/studio/window/rename-inside", test_rename_inside);
  g_test_add_func ("/studio/window/pad-rotation-width", test_pad_rotation_width);
  g_test_add_func ("/studio/window/size-remembered", test_size_remembered);
  g_test_add_func ("/studio/window/data-folder-label", test_data_folder_label);
  int status = g_test_run ();
  cli_test_remove_tree (tmp_dir);
  g_free (ckpt);
  g_free (tmp_dir);
  return status;
}
