/* SPDX-License-Identifier: MIT */
/* test-studio-keys.c — the studio's keys pressed (and its sliders clicked) for real: under
 * xvfb-run, xdotool sends key presses and clicks through the X server (XTEST) to the window
 * of a StudioApplication, as a keyboard and a mouse would. F1 and Ctrl+? open the shortcuts
 * window wherever the focus is (a view, the side panel, the header bar); the main menu lists
 * it; Space acts on the focused button, switch or spin button and starts a run only where no
 * widget takes it; a click beside a slider's mark lands on the mark. */
#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <math.h>

#include "studio-test-util.h"
#include "studio-application.h"

#define KEY_TIMEOUT_S 20

static char *xdotool;

static void
run_xdotool (const char *const *args)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_strv_builder_add (b, xdotool);
  g_strv_builder_addv (b, (const char **) args);
  argv = g_strv_builder_end (b);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xdotool %s failed: %s", args[0], err);
}

static gboolean
mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* is-active follows the X focus (FocusIn and FocusOut) */
static gboolean
has_x_focus (gpointer data)
{
  return gtk_window_is_active (data);
}

/* The X input focus on window (no window manager gives it under Xvfb). */
static void
focus_window (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  const char *args[] = { "windowfocus", "--sync", xid, NULL };
  run_xdotool (args);
  wait_until (has_x_focus, window, KEY_TIMEOUT_S, "the window to have the keyboard focus");
}

/* One key (xdotool's names: F1, ctrl+question, space, Tab), pressed and released. */
static void
press (const char *key)
{
  const char *args[] = { "key", key, NULL };
  run_xdotool (args);
}

static GtkWindow *
shortcuts_window (void)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (GTK_IS_SHORTCUTS_WINDOW (w) && gtk_widget_get_mapped (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}

static gboolean
shortcuts_shown (gpointer data)
{
  return shortcuts_window () != NULL;
}

static gboolean
shortcuts_hidden (gpointer data)
{
  return shortcuts_window () == NULL;
}

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
  return STUDIO_WINDOW (win);
}

static void
close_window (StudioApplication *app, StudioWindow *win)
{
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  gtk_window_close (GTK_WINDOW (win));
  for (int i = 0; i < 50 && win != NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_object_unref (app);
}

/* A spin button takes the focus in its text */
static gboolean
takes_focus (GtkWidget *w)
{
  return gtk_widget_get_focusable (w) || GTK_IS_SPIN_BUTTON (w) || GTK_IS_MENU_BUTTON (w);
}

/* The first widget under root (depth first) that takes the keyboard focus, of type. */
static GtkWidget *
find_focusable (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && takes_focus (root) &&
      gtk_widget_is_sensitive (root) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_focusable (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The last such widget under root. */
static GtkWidget *
find_last_focusable (GtkWidget *root, GType type)
{
  for (GtkWidget *c = gtk_widget_get_last_child (root); c != NULL;
       c = gtk_widget_get_prev_sibling (c))
    {
      GtkWidget *found = find_last_focusable (c, type);
      if (found != NULL)
        return found;
    }
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && takes_focus (root) &&
      gtk_widget_is_sensitive (root) && gtk_widget_get_mapped (root))
    return root;
  return NULL;
}

/* The side panel's first widget of type: its s slider (the first scale), its Rotation (the
 * first spin button), its hard-gates switch. */
static GtkWidget *
panel_first (StudioWindow *win, GType type)
{
  GtkWidget *w = find_focusable (GTK_WIDGET (win->settings_panel), type);
  g_assert_nonnull (w);
  return w;
}

static void
focus_on (StudioWindow *win, GtkWidget *widget, const char *what)
{
  if (widget == NULL)
    g_error ("nothing to focus: %s", what);
  focus_window (GTK_WINDOW (win));
  g_assert_true (gtk_widget_grab_focus (widget));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (win));
  g_assert_nonnull (focus);
  g_assert_true (focus == widget || gtk_widget_is_ancestor (focus, widget));
  g_test_message ("focus on %s (%s)", what, G_OBJECT_TYPE_NAME (focus));
}

/* F1 and Ctrl+? open the shortcuts window with the focus in a view, the side panel and the
 * header bar. */
static void
test_help_keys (void)
{
  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  const char *keys[] = { "F1", "ctrl+question" };

  studio_window_show_view (win, "inspector");
  wait_until (mapped, studio_window_get_view (win, "inspector"), KEY_TIMEOUT_S,
              "the Inspector shown");
  struct { const char *what; GtkWidget *widget; } places[] = {
    { "the Inspector's unit", find_focusable (studio_window_get_view (win, "inspector"),
                                              GTK_TYPE_SPIN_BUTTON) },
    { "the Inspector's hard-gates check", find_focusable (studio_window_get_view (win, "inspector"),
                                                          GTK_TYPE_CHECK_BUTTON) },
    { "the side panel's s slider", panel_first (win, GTK_TYPE_SCALE) },
    { "the side panel's seed",
      find_last_focusable (GTK_WIDGET (win->settings_panel), GTK_TYPE_SPIN_BUTTON) },
    { "the header bar's method", find_focusable (GTK_WIDGET (win->method_dropdown),
                                                 GTK_TYPE_WIDGET) },
    { "the header bar's view switcher",
      find_focusable (gtk_window_get_titlebar (GTK_WINDOW (win)), GTK_TYPE_TOGGLE_BUTTON) },
  };

  for (guint p = 0; p < G_N_ELEMENTS (places); p++)
    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      {
        focus_on (win, places[p].widget, places[p].what);
        press (keys[k]);
        g_test_message ("%s with the focus on %s", keys[k], places[p].what);
        wait_until (shortcuts_shown, NULL, KEY_TIMEOUT_S, "the shortcuts window");
        gtk_widget_set_visible (GTK_WIDGET (shortcuts_window ()), FALSE);
        wait_until (shortcuts_hidden, NULL, KEY_TIMEOUT_S, "the shortcuts window hidden");
      }
  close_window (app, win);
}

static gboolean
menu_has_shortcuts (GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (section != NULL && menu_has_shortcuts (section))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
          g_strcmp0 (action, "win.show-help-overlay") == 0)
        return TRUE;
    }
  return FALSE;
}

/* The main menu has an item for the shortcuts window, and its action opens it. */
static void
test_menu_item (void)
{
  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  GtkWidget *menu_button;

  wait_until (mapped, win, KEY_TIMEOUT_S, "the window shown");
  menu_button = find_focusable (gtk_window_get_titlebar (GTK_WINDOW (win)),
                                GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  g_assert_true (menu_has_shortcuts (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button))));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (win), "show-help-overlay"));
  g_action_group_activate_action (G_ACTION_GROUP (win), "show-help-overlay", NULL);
  wait_until (shortcuts_shown, NULL, KEY_TIMEOUT_S, "the shortcuts window");
  gtk_widget_set_visible (GTK_WIDGET (shortcuts_window ()), FALSE);
  close_window (app, win);
}

static gboolean
switch_is (gpointer data)
{
  gpointer *args = data;
  return gtk_switch_get_active (args[0]) == GPOINTER_TO_INT (args[1]);
}

static gboolean
focus_left (gpointer data)
{
  gpointer *args = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (args[0]));
  return focus != NULL && focus != args[1] && !gtk_widget_is_ancestor (focus, args[1]);
}

static gboolean
training (gpointer data)
{
  return studio_trainer_is_busy (studio_window_get_trainer (data));
}

static gboolean
not_training (gpointer data)
{
  return !training (data);
}

/* Space on a focused switch toggles it, in the Rotation spin button it is a character: no
 * run starts; on the s slider, which has no use for it, it starts the run. */
static void
test_space (void)
{
  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  GtkWidget *sw, *angle;
  gboolean before;

  wait_until (mapped, win, KEY_TIMEOUT_S, "the window shown");
  sw = panel_first (win, GTK_TYPE_SWITCH);
  angle = panel_first (win, GTK_TYPE_SPIN_BUTTON);
  before = gtk_switch_get_active (GTK_SWITCH (sw));
  focus_on (win, sw, "the hard-gates switch");
  press ("space");
  gpointer toggled[] = { sw, GINT_TO_POINTER (!before) };
  wait_until (switch_is, toggled, KEY_TIMEOUT_S, "Space to toggle the switch");
  g_assert_false (training (win));
  press ("space");
  gpointer back[] = { sw, GINT_TO_POINTER (before) };
  wait_until (switch_is, back, KEY_TIMEOUT_S, "Space to toggle the switch back");
  g_assert_false (training (win));

  /* Tab after Space: once the focus has moved on, the Space before it was handled */
  focus_on (win, angle, "the Rotation spin button");
  press ("space");
  press ("Tab");
  gpointer left[] = { win, angle };
  wait_until (focus_left, left, KEY_TIMEOUT_S, "Tab to move the focus out of the spin button");
  g_assert_false (training (win));
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (win)), ==, 0);

  focus_on (win, panel_first (win, GTK_TYPE_SCALE), "the s slider");
  press ("space");
  wait_until (training, win, KEY_TIMEOUT_S, "Space on the slider to start the run");
  studio_window_stop (win);
  wait_until (not_training, win, KEY_TIMEOUT_S, "the run to stop");
  close_window (app, win);
}

static GtkWidget *
child_named (GtkWidget *parent, const char *css_name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (parent); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (g_strcmp0 (gtk_widget_get_css_name (c), css_name) == 0)
      return c;
  return NULL;
}

static gboolean
allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 100;
}

static gboolean
value_moved (gpointer data)
{
  gpointer *args = data;
  return gtk_adjustment_get_value (args[0]) != *(double *) args[1];
}

/* A click 3 px right of the s slider's mark "10" (a user's aim) sets s to 10 exactly: without
 * snapping it was 10.7 (or, dragged, 9.82). */
static void
test_slider_snaps (void)
{
  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  GtkWidget *scale, *trough;
  graphene_rect_t r;
  double dx, dy;

  wait_until (mapped, win, KEY_TIMEOUT_S, "the window shown");
  focus_window (GTK_WINDOW (win));
  scale = panel_first (win, GTK_TYPE_SCALE);
  trough = child_named (scale, "trough");
  g_assert_nonnull (trough);
  wait_until (allocated, trough, KEY_TIMEOUT_S, "the slider laid out");
  g_assert_true (gtk_widget_compute_bounds (trough, GTK_WIDGET (win), &r));
  gtk_native_get_surface_transform (GTK_NATIVE (win), &dx, &dy);
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (scale));
  double lower = gtk_adjustment_get_lower (adj), upper = gtk_adjustment_get_upper (adj);
  double before = gtk_adjustment_get_value (adj);
  /* log10 (10) = 1 along the trough */
  double x = r.origin.x + (1.0 - lower) / (upper - lower) * r.size.width + 3 + dx;
  double y = r.origin.y + r.size.height / 2 + dy;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (win));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  g_autofree char *xs = g_strdup_printf ("%d", (int) round (x));
  g_autofree char *ys = g_strdup_printf ("%d", (int) round (y));
  const char *move[] = { "mousemove", "--window", xid, xs, ys, "click", "1", NULL };

  g_test_message ("trough %g px wide; click at %s,%s", r.size.width, xs, ys);
  run_xdotool (move);
  gpointer args[] = { adj, &before };
  wait_until (value_moved, args, KEY_TIMEOUT_S, "the click to move the s slider");
  StudioConfig cfg;
  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (win->settings_panel, &cfg);
  g_test_message ("s = %g", cfg.sharpness);
  g_assert_cmpfloat (cfg.sharpness, ==, 10.0f);
  studio_config_clear (&cfg);
  close_window (app, win);
}

int
main (int argc, char *argv[])
{
  /* the resources are registered by the application, as when the program runs */
  int skip = studio_test_init_env (&argc, &argv);
  if (skip != 0)
    return skip;
  xdotool = g_find_program_in_path ("xdotool");
  if (xdotool == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_printerr ("needs xdotool and an X display (xvfb-run)\n");
      return 77;
    }

  g_test_add_func ("/studio/keys/help-everywhere", test_help_keys);
  g_test_add_func ("/studio/keys/menu-item", test_menu_item);
  g_test_add_func ("/studio/keys/space-on-focus", test_space);
  g_test_add_func ("/studio/keys/slider-snaps", test_slider_snaps);
  int status = g_test_run ();
  g_free (xdotool);
  return status;
}
