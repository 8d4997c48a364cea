/* test-studio-keys.c — the studio's keys pressed (and its sliders clicked) for real: under
 * xvfb-run, xdotool sends key presses and clicks through the X server (XTEST) to the window
 * of a StudioApplication, as a keyboard and a mouse would. F1 and Ctrl+? open the shortcuts
 * window wherever the focus is (a view, the side panel, the header bar); the main menu lists
 * it; Space acts on the focused button, switch or spin button and starts a run only where no
 * widget takes it; a click beside a slider's mark lands on the mark; the arrow keys, Enter
 * and x on the Masks, Neurons and Overlap figures; every icon-only button has a name for a
 * screen reader. */
#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <math.h>

#include "studio-test-util.h"
#include "studio-application.h"
#include "studio-inspector-view.h"
#include "studio-masks-view.h"
#include "studio-neurons-view.h"
#include "studio-overlap-view.h"

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

  wait_until (mapped, win, KEY_TIMEOUT_S, "the window shown");
  collect_unnamed (GTK_WIDGET (win), unnamed, &n_checked);
  g_test_message ("%u buttons without text checked", n_checked);
  /* the header bar's four run controls, its menu and export buttons, the scrubber's play,
   * the message bar's close button (GTK's, named by the window) */
  g_assert_cmpuint (n_checked, >=, 8);
  if (unnamed->len > 0)
    g_error ("buttons without text or accessible label:%s", unnamed->str);
  close_window (app, win);
}

/* ---- the units through the keyboard -------------------------------------------------------- */

typedef struct {
  StudioView *view;
  guint       layer, unit;
} Selected;

static gboolean
selected_is (gpointer data)
{
  Selected *want = data;
  guint layer, unit;
  return studio_view_get_selected_unit (want->view, &layer, &unit) && layer == want->layer &&
         unit == want->unit;
}

/* Presses key and waits until view selects (layer, unit). */
static void
press_to (StudioView *view, const char *key, guint layer, guint unit)
{
  Selected want = { view, layer, unit };
  press (key);
  g_autofree char *what = g_strdup_printf ("%s to select hidden %u, unit %u", key, layer + 1, unit);
  wait_until (selected_is, &want, KEY_TIMEOUT_S, what);
}

static GtkWidget *
figure_of (StudioWindow *win, const char *name, GType type)
{
  GtkWidget *view = studio_window_get_view (win, name);
  studio_window_show_view (win, name);
  wait_until (mapped, view, KEY_TIMEOUT_S, "the view shown");
  GtkWidget *area = GTK_WIDGET (gtk_widget_get_template_child (view, type, "area"));
  g_assert_nonnull (area);
  g_assert_true (gtk_widget_get_focusable (area));
  /* laid out as drawn: Neurons' cells per row follow the area's size */
  wait_until (allocated, area, KEY_TIMEOUT_S, "the figure laid out");
  return area;
}

static gboolean
not_selected (gpointer data)
{
  return !selected_is (data);
}

static gboolean
marked (gpointer data)
{
  Selected *s = data;
  return studio_view_get_unit_mark (s->view, s->layer, s->unit) != TG_PLOT_MARK_NONE;
}

static gboolean
unmarked (gpointer data)
{
  return !marked (data);
}

static gboolean
inspector_shows (gpointer data)
{
  Selected *s = data;
  StudioWindow *win = STUDIO_WINDOW (gtk_widget_get_root (GTK_WIDGET (s->view)));
  GtkWidget *inspector = studio_window_get_view (win, "inspector");
  guint layer, unit;
  studio_inspector_view_get_unit (STUDIO_INSPECTOR_VIEW (inspector), &layer, &unit);
  return gtk_widget_get_mapped (inspector) && layer == s->layer && unit == s->unit;
}

static gboolean
count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* a frame after the one in which the change was drawn */
static gboolean
frames_drawn (gpointer data)
{
  return *(guint *) data >= 3;
}

/* perm[column] = unit of the view's layer, as drawn (the shared order). */
static guint *
columns (StudioView *view, guint layer, guint n)
{
  guint *perm = g_new (guint, n);
  g_assert_true (studio_view_unit_permutation (view, layer, TRUE, perm, n));
  return perm;
}

/* Masks, sorted by selectivity: the first arrow press selects the first column drawn, Left
 * and Right step along the columns in that order (not by index), Down and Up change the
 * layer at the same column, End and Home jump; x puts the unit into the ablation set and
 * takes it out; Enter shows it in the Inspector. */
static void
check_masks_keys (StudioWindow *win)
{
  GtkWidget *area = figure_of (win, "masks", STUDIO_TYPE_MASKS_VIEW);
  StudioView *view = STUDIO_VIEW (studio_window_get_view (win, "masks"));
  StudioSnapshot *snap = studio_history_get_masks (studio_window_get_history (win));
  guint w0 = snap->widths[0], w1 = snap->widths[1];
  g_autofree guint *p0 = columns (view, 0, w0);
  g_autofree guint *p1 = columns (view, 1, w1);
  g_assert_cmpuint (p0[0], ==, studio_masks_view_get_column_unit (STUDIO_MASKS_VIEW (view), 0, 0));
  /* the order is not the units' index: the keys follow what is drawn */
  g_assert_true (p0[0] != 0 || p0[1] != 1 || p0[2] != 2);

  focus_on (win, area, "the Masks figure");
  press_to (view, "Right", 0, p0[0]);
  press_to (view, "Right", 0, p0[1]);
  press_to (view, "Right", 0, p0[2]);
  press_to (view, "Left", 0, p0[1]);
  press_to (view, "Down", 1, p1[1]);
  press_to (view, "Down", 1, p1[1]);     /* the last layer: stays */
  press_to (view, "End", 1, p1[w1 - 1]);
  press_to (view, "Right", 1, p1[w1 - 1]);
  press_to (view, "Up", 0, p0[MIN (w1 - 1, w0 - 1)]);
  press_to (view, "Home", 0, p0[0]);
  press_to (view, "Page_Down", 1, p1[0]);
  press_to (view, "Page_Up", 0, p0[0]);

  Selected unit = { view, 0, p0[0] };
  press ("x");
  wait_until (marked, &unit, KEY_TIMEOUT_S, "x to put the unit into the ablation set");
  /* the figure keeps the focus and draws its ring (style.css .unit-figure:focus) */
  g_assert_true (gtk_widget_has_focus (area));
  g_assert_true (gtk_widget_has_css_class (area, "unit-figure"));
  g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (win)));
  {
    /* kept for a person to look at: the focus ring, the selected unit, the unit in the set */
    g_autoptr (GError) error = NULL;
    guint frames = 0;
    guint tick = gtk_widget_add_tick_callback (area, count_frame, &frames, NULL);
    wait_until (frames_drawn, &frames, KEY_TIMEOUT_S, "the figure drawn");
    gtk_widget_remove_tick_callback (area, tick);
    g_assert_true (studio_widget_save_png (GTK_WIDGET (view), "studio-keys-masks.png", &error));
    g_assert_no_error (error);
  }
  press ("x");
  wait_until (unmarked, &unit, KEY_TIMEOUT_S, "x to take the unit out again");
  g_assert_true (gtk_widget_has_focus (area));
  press ("Return");
  wait_until (inspector_shows, &unit, KEY_TIMEOUT_S, "Enter to show the unit in the Inspector");
}

/* Neurons: the cells of a layer are a grid; Down goes to the cell a row below (as many
 * columns on as a row holds), Page Down to the next layer's grid. */
static void
check_neurons_keys (StudioWindow *win)
{
  GtkWidget *area = figure_of (win, "neurons", STUDIO_TYPE_NEURONS_VIEW);
  StudioView *view = STUDIO_VIEW (studio_window_get_view (win, "neurons"));
  StudioSnapshot *snap = studio_history_get_masks (studio_window_get_history (win));
  guint w0 = snap->widths[0];
  g_autofree guint *p0 = columns (view, 0, w0);
  g_autofree guint *p1 = columns (view, 1, snap->widths[1]);

  focus_on (win, area, "the Neurons figure");
  press_to (view, "Home", 0, p0[0]);
  press_to (view, "Right", 0, p0[1]);
  Selected from = { view, 0, p0[1] };
  press ("Down");
  wait_until (not_selected, &from, KEY_TIMEOUT_S, "Down to move the selection");
  guint layer, unit, c = 0;
  g_assert_true (studio_view_get_selected_unit (view, &layer, &unit));
  g_assert_cmpuint (layer, ==, 0);
  while (c < w0 && p0[c] != unit)
    c++;
  g_assert_cmpuint (c, <, w0);
  /* a row below: one of the row lengths the figure picks (8 ... 32 cells) */
  g_test_message ("Down went from column 1 to column %u", c);
  guint per_row = c - 1;
  g_assert_true (per_row == 8 || per_row == 10 || per_row == 12 || per_row == 16 ||
                 per_row == 20 || per_row == 24 || per_row == 32);
  press_to (view, "Up", 0, p0[1]);
  press_to (view, "Page_Down", 1, p1[1]);
  press_to (view, "Down", 1, p1[1 + per_row]);
}

static gboolean
overlap_or_timeout (StudioWindow *win, gpointer data)
{
  return overlap_done (win, data);
}

/* Overlap: a strip of units per layer by index; Right steps to the next unit, Down to the
 * other layer's strip. */
static void
check_overlap_keys (StudioWindow *win)
{
  GtkWidget *area = figure_of (win, "overlap", STUDIO_TYPE_OVERLAP_VIEW);
  StudioView *view = STUDIO_VIEW (studio_window_get_view (win, "overlap"));
  StudioSnapshot *snap = studio_history_get_overlap (studio_window_get_history (win));

  focus_on (win, area, "the Overlap figure");
  press_to (view, "Home", 0, 0);
  press_to (view, "Right", 0, 1);
  press_to (view, "Down", 1, 1);
  press_to (view, "End", 1, snap->overlap_units - 1);
  Selected unit = { view, 1, snap->overlap_units - 1 };
  press ("x");
  wait_until (marked, &unit, KEY_TIMEOUT_S, "x to put the unit into the ablation set");
  press ("Return");
  wait_until (inspector_shows, &unit, KEY_TIMEOUT_S, "Enter to show the unit in the Inspector");
}

static void
test_unit_keys (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.foundation_epochs = 1;
  cfg.adapt_epochs = 1;
  cfg.test_limit = 500;
  cfg.eval_samples = 200;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  studio_window_queue_job (win, STUDIO_JOB_TRAIN);
  studio_window_queue_job (win, STUDIO_JOB_OVERLAP);
  wait_for (win, overlap_or_timeout, NULL, "the run and the overlap models");
  studio_window_units_set_order (win, TG_UNIT_ORDER_SELECTIVITY);

  check_masks_keys (win);
  check_neurons_keys (win);
  check_overlap_keys (win);
  destroy_window (win);
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
  g_test_add_func ("/studio/keys/icon-buttons-named", test_icon_buttons_named);
  g_test_add_func ("/studio/keys/units", test_unit_keys);
  g_test_add_func ("/studio/keys/units-listed", test_units_listed);
  int status = g_test_run ();
  g_free (xdotool);
  return status;
}
