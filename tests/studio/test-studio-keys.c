/* test-studio-keys.c — the studio's keys pressed (and its sliders clicked) for real: under
 * xvfb-run, xdotool sends key presses and clicks through the X server (XTEST) to the window
 * of a StudioApplication, as a keyboard and a mouse would. F1 and Ctrl+? open the shortcuts
 * window wherever the focus is (a view, the side panel, the header bar); the main menu lists
 * it; Space acts on the focused button, switch or spin button and starts a run only where no
 * widget takes it; a click beside a slider's mark lands on the mark; every icon-only button
 * has a name for a screen reader; the shortcuts window lists the keys of the figures' units
 * (test-studio-unit-keys presses them). */
#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <math.h>

#include "studio-test-util.h"
#include "studio-application.h"

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

/* F1 and Ctrl+? open the shortcuts window with the focus in a view, the side panel and the
 * header bar. */
static void
test_help_keys (void)
{
  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  const char *keys[] = { "F1", "ctrl+question" };

  studio_window_show_view (win, "inspector");
  wait_until (widget_mapped, studio_window_get_view (win, "inspector"), KEY_TIMEOUT_S,
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
        xdo_focus_on (win, places[p].widget, places[p].what);
        xdo_press (keys[k]);
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

  wait_until (widget_mapped, win, KEY_TIMEOUT_S, "the window shown");
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

  wait_until (widget_mapped, win, KEY_TIMEOUT_S, "the window shown");
  sw = panel_first (win, GTK_TYPE_SWITCH);
  angle = panel_first (win, GTK_TYPE_SPIN_BUTTON);
  before = gtk_switch_get_active (GTK_SWITCH (sw));
  xdo_focus_on (win, sw, "the hard-gates switch");
  xdo_press ("space");
  gpointer toggled[] = { sw, GINT_TO_POINTER (!before) };
  wait_until (switch_is, toggled, KEY_TIMEOUT_S, "Space to toggle the switch");
  g_assert_false (training (win));
  xdo_press ("space");
  gpointer back[] = { sw, GINT_TO_POINTER (before) };
  wait_until (switch_is, back, KEY_TIMEOUT_S, "Space to toggle the switch back");
  g_assert_false (training (win));

  /* Tab after Space: once the focus has moved on, the Space before it was handled */
  xdo_focus_on (win, angle, "the Rotation spin button");
  xdo_press ("space");
  xdo_press ("Tab");
  gpointer left[] = { win, angle };
  wait_until (focus_left, left, KEY_TIMEOUT_S, "Tab to move the focus out of the spin button");
  g_assert_false (training (win));
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (win)), ==, 0);

  xdo_focus_on (win, panel_first (win, GTK_TYPE_SCALE), "the s slider");
  xdo_press ("space");
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

  wait_until (widget_mapped, win, KEY_TIMEOUT_S, "the window shown");
  xdo_focus_window (GTK_WINDOW (win));
  scale = panel_first (win, GTK_TYPE_SCALE);
  trough = child_named (scale, "trough");
  g_assert_nonnull (trough);
  wait_until (widget_allocated, trough, KEY_TIMEOUT_S, "the slider laid out");
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
  xdo_run (move);
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

/* ---- icon-only buttons ------------------------------------------------------------------ */

/* Whether a label with text lies under w (the button's own label, or a box of icon and label). */
static gboolean
shows_text (GtkWidget *w)
{
  if (GTK_IS_LABEL (w) && gtk_widget_get_visible (w) &&
      *gtk_label_get_text (GTK_LABEL (w)) != '\0')
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (shows_text (c))
      return TRUE;
  return FALSE;
}

/* An accessible label of its own: a GtkButton is always "labelled by" its child, which for an
 * icon is an image that says nothing, so that relation does not count. */
static gboolean
has_name (GtkWidget *w)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Every button under w that shows no text and is not hidden from assistive technologies
 * (GTK's own spin button arrows are) has an accessible label; the unnamed ones are listed. */
static void
collect_unnamed (GtkWidget *w, GString *unnamed, guint *n_checked)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w));
  gboolean button = GTK_IS_BUTTON (w) || GTK_IS_MENU_BUTTON (w);
  if (button && role != GTK_ACCESSIBLE_ROLE_NONE && role != GTK_ACCESSIBLE_ROLE_PRESENTATION &&
      !shows_text (w))
    {
      /* a menu button's inner toggle button is named by the menu button */
      GtkWidget *parent = gtk_widget_get_parent (w);
      gboolean named = has_name (w) || (parent != NULL && GTK_IS_MENU_BUTTON (parent) &&
                                        has_name (parent));
      (*n_checked)++;
      if (!named)
        {
          const char *tip = gtk_widget_get_tooltip_text (w);
          g_string_append_printf (unnamed, "\n  %s in %s (%s)", G_OBJECT_TYPE_NAME (w),
                                  parent != NULL && gtk_widget_get_parent (parent) != NULL
                                  ? G_OBJECT_TYPE_NAME (gtk_widget_get_parent (parent)) : "nothing",
                                  tip != NULL ? tip : "no tooltip");
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_unnamed (c, unnamed, n_checked);
}

/* The window's icon-only buttons (header bar, side panel, every view, the scrubber) have an
 * accessible label a screen reader speaks: a tooltip alone is not read as the name. */
static void
test_icon_buttons_named (void)
{
  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  g_autoptr (GString) unnamed = g_string_new (NULL);
  guint n_checked = 0;

  wait_until (widget_mapped, win, KEY_TIMEOUT_S, "the window shown");
  collect_unnamed (GTK_WIDGET (win), unnamed, &n_checked);
  g_test_message ("%u buttons without text checked", n_checked);
  /* the header bar's four run controls, its menu and export buttons, the scrubber's play,
   * the message bar's close button (GTK's, named by the window) */
  g_assert_cmpuint (n_checked, >=, 8);
  if (unnamed->len > 0)
    g_error ("buttons without text or accessible label:%s", unnamed->str);
  close_window (app, win);
}

/* The accelerators the shortcuts window lists (GtkShortcutsShortcut's "accelerator"). */
static void
collect_accels (GObject *object, GPtrArray *accels)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (object))
    {
      g_autofree char *accel = NULL;
      g_object_get (object, "accelerator", &accel, NULL);
      if (accel != NULL)
        g_ptr_array_add (accels, g_steal_pointer (&accel));
    }
  if (GTK_IS_WIDGET (object))
    for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (object)); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      collect_accels (G_OBJECT (c), accels);
}

/* The shortcuts window lists the keys of the figures' units, and none of them is an
 * accelerator of the application (which would take it before the figure). */
static void
test_units_listed (void)
{
  StudioApplication *app = NULL;
  StudioWindow *win = open_window (&app);
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource ("/org/taugate/Studio/gtk/help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr (GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);
  const char *keys[] = { "Left Right", "Up Down", "Page_Up Page_Down", "Home End", "Return",
                         "x" };

  g_assert_nonnull (overlay);
  collect_accels (G_OBJECT (overlay), accels);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      gboolean listed = FALSE;
      for (guint i = 0; i < accels->len && !listed; i++)
        listed = g_strcmp0 (g_ptr_array_index (accels, i), keys[k]) == 0;
      if (!listed)
        g_error ("the shortcuts window does not list %s", keys[k]);
      g_auto (GStrv) words = g_strsplit (keys[k], " ", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          g_auto (GStrv) taken = gtk_application_get_actions_for_accel (GTK_APPLICATION (app),
                                                                         words[w]);
          g_assert_nonnull (taken);
          if (taken[0] != NULL)
            g_error ("%s is also the accelerator of %s", words[w], taken[0]);
        }
    }
  gtk_window_destroy (overlay);
  close_window (app, win);
}

int
main (int argc, char *argv[])
{
  /* GTK's test accessibility backend keeps the names given to widgets, where "none" drops
   * them, and needs no accessibility bus */
  g_setenv ("GTK_A11Y", "test", TRUE);
  /* the resources are registered by the application, as when the program runs */
  int skip = studio_test_init_env (&argc, &argv);
  if (skip != 0)
    return skip;
  if (!studio_test_xdotool_init ())
    {
      g_printerr ("needs xdotool and an X display (xvfb-run)\n");
      return 77;
    }

  g_test_add_func ("/studio/keys/help-everywhere", test_help_keys);
  g_test_add_func ("/studio/keys/menu-item", test_menu_item);
  g_test_add_func ("/studio/keys/space-on-focus", test_space);
  g_test_add_func ("/studio/keys/slider-snaps", test_slider_snaps);
  g_test_add_func ("/studio/keys/icon-buttons-named", test_icon_buttons_named);
  g_test_add_func ("/studio/keys/units-listed", test_units_listed);
  return g_test_run ();
}
