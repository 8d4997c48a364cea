/* test-studio-unit-keys.c — the units of the Masks, Neurons and Overlap figures through the
 * keyboard, keys pressed for real (xdotool through the X server, under xvfb-run) on a short
 * real-MNIST run with its overlap models: the arrow keys, Home, End, Page Up and Page Down
 * select the units in the column order drawn, x puts the selected unit into the ablation set
 * and takes it out, Enter shows it in the Inspector; the focused figure draws its ring (a PNG
 * of it, studio-keys-masks.png, is kept for a person to look at). */
#include <gtk/gtk.h>

#include "studio-test-util.h"
#include "studio-workspace.h"
#include "studio-inspector-view.h"
#include "studio-masks-view.h"
#include "studio-neurons-view.h"
#include "studio-overlap-view.h"

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
  xdo_press (key);
  g_autofree char *what = g_strdup_printf ("%s to select hidden %u, unit %u", key, layer + 1, unit);
  wait_until (selected_is, &want, KEY_TIMEOUT_S, what);
}

static GtkWidget *
figure_of (StudioWindow *win, const char *name, GType type)
{
  GtkWidget *view = studio_window_get_view (win, name);
  studio_window_show_view (win, name);
  wait_until (widget_mapped, view, KEY_TIMEOUT_S, "the view shown");
  GtkWidget *area = GTK_WIDGET (gtk_widget_get_template_child (view, type, "area"));
  g_assert_nonnull (area);
  g_assert_true (gtk_widget_get_focusable (area));
  /* laid out as drawn: Neurons' cells per row follow the area's size */
  wait_until (widget_allocated, area, KEY_TIMEOUT_S, "the figure laid out");
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

  xdo_focus_on (win, area, "the Masks figure");
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
  xdo_press ("x");
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
  xdo_press ("x");
  wait_until (unmarked, &unit, KEY_TIMEOUT_S, "x to take the unit out again");
  g_assert_true (gtk_widget_has_focus (area));
  xdo_press ("Return");
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

  xdo_focus_on (win, area, "the Neurons figure");
  press_to (view, "Home", 0, p0[0]);
  press_to (view, "Right", 0, p0[1]);
  Selected from = { view, 0, p0[1] };
  xdo_press ("Down");
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

  /* the selection is the workspace's, every view's: Neurons left it in some layer */
  studio_workspace_select_unit (studio_window_get_workspace (win), 0, 3);
  xdo_focus_on (win, area, "the Overlap figure");
  press_to (view, "Home", 0, 0);
  press_to (view, "Right", 0, 1);
  press_to (view, "Down", 1, 1);
  press_to (view, "End", 1, snap->overlap_units - 1);
  Selected unit = { view, 1, snap->overlap_units - 1 };
  xdo_press ("x");
  wait_until (marked, &unit, KEY_TIMEOUT_S, "x to put the unit into the ablation set");
  xdo_press ("Return");
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
  studio_workspace_set_unit_order (studio_window_get_workspace (win), TG_UNIT_ORDER_SELECTIVITY);

  check_masks_keys (win);
  check_neurons_keys (win);
  check_overlap_keys (win);
  destroy_window (win);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;
  if (!studio_test_xdotool_init ())
    {
      g_printerr ("needs xdotool and an X display (xvfb-run)\n");
      return 77;
    }
  g_test_add_func ("/studio/unit-keys/masks-neurons-overlap", test_unit_keys);
  return g_test_run ();
}
