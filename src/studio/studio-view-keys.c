/* studio-view-keys.c — moving through a figure's units with the keyboard. The figure is
 * focusable; Left and Right step along the columns in the order they are drawn (the shared
 * unit order where the figure follows it), Home and End jump to a layer's first and last
 * column, Up and Down go to the layer above or below where each layer is a row of units
 * (Masks; Overlap, whose strips are by index) and to the row of cells above or below where
 * each layer is a grid (Neurons, its layers side by side), and Page Up and Page Down go to
 * the previous and next layer in every figure. A move selects the unit in this view (its
 * outline); Enter picks it as a click does (the Inspector shows it, the other views outline
 * it) and x toggles it in the ablation set as a shift-click does. Everything goes through StudioView's
 * unit functions, so this file knows nothing of where the selection is kept. */
#include "studio-view-keys.h"

#define GRID_KEY "studio-unit-grid"

/* perm[column] = unit of layer as drawn (g_free). */
static guint *
layer_columns (StudioView *self, const StudioUnitGrid *grid, guint layer)
{
  guint n = grid->widths[layer];
  guint *perm = g_new (guint, MAX (n, 1u));
  if (grid->ordered)
    studio_view_unit_permutation (self, layer, grid->hard, perm, n);
  else
    for (guint u = 0; u < n; u++)
      perm[u] = u;
  return perm;
}

static guint
column_of (StudioView *self, const StudioUnitGrid *grid, guint layer, guint unit)
{
  g_autofree guint *perm = layer_columns (self, grid, layer);
  for (guint c = 0; c < grid->widths[layer]; c++)
    if (perm[c] == unit)
      return c;
  return 0;
}

static guint
unit_at (StudioView *self, const StudioUnitGrid *grid, guint layer, guint column)
{
  g_autofree guint *perm = layer_columns (self, grid, layer);
  return perm[MIN (column, grid->widths[layer] - 1)];
}

/* Where an arrow key, Home, End, Page Up or Page Down leads from (layer, column) on the
 * figure; FALSE for other keys. Moves stop at the figure's edges. */
static gboolean
step (const StudioUnitGrid *grid, guint keyval, guint *layer, guint *column)
{
  guint l = *layer, c = *column, w = grid->widths[l], g = grid->grid_columns;

  switch (keyval)
    {
    case GDK_KEY_Home: case GDK_KEY_KP_Home:
      c = 0;
      break;
    case GDK_KEY_End: case GDK_KEY_KP_End:
      c = w - 1;
      break;
    case GDK_KEY_Left: case GDK_KEY_KP_Left:
      c = c > 0 ? c - 1 : c;
      break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right:
      c = c + 1 < w ? c + 1 : c;
      break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up:
      if (g > 0)
        c = c >= g ? c - g : c;
      else if (l > 0)
        l--;
      break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down:
      if (g > 0)
        c = c + g < w ? c + g : c;
      else if (l + 1 < grid->n_layers)
        l++;
      break;
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up:
      if (l > 0)
        l--;
      break;
    case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
      if (l + 1 < grid->n_layers)
        l++;
      break;
    default:
      return FALSE;
    }
  /* the same column in another layer, or its last where that layer is narrower */
  *layer = l;
  *column = MIN (c, grid->widths[l] - 1);
  return TRUE;
}

static gboolean
is_enter (guint keyval)
{
  return keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter;
}

gboolean
studio_view_unit_key (StudioView *self, guint keyval, GdkModifierType state)
{
  StudioUnitGridFunc grid_func = g_object_get_data (G_OBJECT (self), GRID_KEY);
  StudioUnitGrid grid = { 0 };
  guint layer, unit;

  g_return_val_if_fail (STUDIO_IS_VIEW (self), FALSE);
  /* Ctrl, Alt and the like belong to the window's shortcuts */
  if ((state & gtk_accelerator_get_default_mod_mask () & ~GDK_SHIFT_MASK) != 0 ||
      grid_func == NULL || !grid_func (self, &grid) || grid.n_layers == 0)
    return FALSE;
  grid.n_layers = MIN (grid.n_layers, TG_MAX_LINEAR);
  for (guint l = 0; l < grid.n_layers; l++)
    if (grid.widths[l] == 0)
      return FALSE;
  gboolean selected = studio_view_get_selected_unit (self, &layer, &unit) &&
                      layer < grid.n_layers && unit < grid.widths[layer];

  if (is_enter (keyval) || keyval == GDK_KEY_x || keyval == GDK_KEY_X)
    {
      if (!selected)
        return FALSE;
      if (is_enter (keyval))
        studio_view_select_unit (self, layer, unit);
      else
        studio_view_toggle_unit (self, layer, unit);
      return TRUE;
    }
  if (!selected)
    {
      /* the first move lands on the first column drawn */
      guint l = 0, c = 0;
      if (!step (&grid, keyval, &l, &c))
        return FALSE;
      studio_view_set_selected_unit (self, 0, unit_at (self, &grid, 0, 0));
      return TRUE;
    }
  guint column = column_of (self, &grid, layer, unit);
  if (!step (&grid, keyval, &layer, &column))
    return FALSE;
  studio_view_set_selected_unit (self, layer, unit_at (self, &grid, layer, column));
  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *keys, guint keyval, guint keycode,
                GdkModifierType state, StudioView *self)
{
  if (!studio_view_unit_key (self, keyval, state))
    return FALSE;
  /* the keyboard is in use here: the window shows where its focus is, as after GTK's own
   * focus moves */
  GtkRoot *root = gtk_widget_get_root (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (keys)));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_focus_visible (GTK_WINDOW (root), TRUE);
  return TRUE;
}

/* A click on the figure takes the keyboard focus too (a drawing area does not by itself). */
static void
pressed_cb (GtkGestureClick *click, int n_press, double x, double y, GtkWidget *area)
{
  gtk_widget_grab_focus (area);
}

void
studio_view_add_unit_keys (StudioView *self, GtkWidget *area, StudioUnitGridFunc grid)
{
  g_return_if_fail (STUDIO_IS_VIEW (self));
  g_return_if_fail (GTK_IS_WIDGET (area));
  g_object_set_data (G_OBJECT (self), GRID_KEY, grid);
  gtk_widget_set_focusable (area, TRUE);
  gtk_widget_set_focus_on_click (area, TRUE);
  /* style.css draws the focus ring of .unit-figure */
  gtk_widget_add_css_class (area, "unit-figure");
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (area, keys);
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), area);
  gtk_widget_add_controller (area, GTK_EVENT_CONTROLLER (click));
}
