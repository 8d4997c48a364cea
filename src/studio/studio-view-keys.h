/* studio-view-keys.h — the units of a figure through the keyboard: the arrow keys move the
 * selected unit over the figure as it is drawn (in the shown column order), Enter shows it in
 * the Inspector, x puts it into the ablation set or takes it out. For the views whose figure
 * has a cell per hidden unit (Masks, Neurons, Overlap). Page Up and Page Down change the
 * layer everywhere. */
#pragma once

#include "studio-view.h"

G_BEGIN_DECLS

/* How a figure lays its units out, as it draws them now. */
typedef struct
{
  guint    n_layers;                 /* 0: no units drawn (the keys do nothing) */
  guint    widths[TG_MAX_LINEAR];    /* units of each hidden layer */
  gboolean ordered;                  /* columns in the shared unit order, else by index */
  gboolean hard;                     /* that order from the hard gates' rates, else the soft */
  /* 0: each layer is one row of columns, Up and Down change the layer (Masks, Overlap); N:
   * each layer is a grid of N cells per row, Up and Down change the row (Neurons) */
  guint    grid_columns;
} StudioUnitGrid;

typedef gboolean (*StudioUnitGridFunc) (StudioView *view, StudioUnitGrid *grid);

/* Makes area (the view's figure) focusable, with a visible focus, and gives it the keys;
 * grid says how the figure lays its units out at the moment of the key. */
void     studio_view_add_unit_keys (StudioView *self, GtkWidget *area, StudioUnitGridFunc grid);
/* What the key (a GDK keyval, modifiers in state) does on the figure, as if pressed there;
 * TRUE when it did something. */
gboolean studio_view_unit_key      (StudioView *self, guint keyval, GdkModifierType state);

G_END_DECLS
