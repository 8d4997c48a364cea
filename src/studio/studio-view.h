/* SPDX-License-Identifier: MIT */
/* studio-view.h — what every view in the window's stack has in common: it draws one figure
 * of src/plot from the history, on screen with the theme's colours and into a file with
 * the light style. StudioView is the abstract base of the views: it holds the history and
 * its "changed" handler, hooks up the view's drawing area (draw, theme, pointer) and
 * redraws it; a view overrides draw_figure and, where it needs to, the hooks below.
 * Export and the style live here once. Not here: anything one view alone shows. */
#pragma once

#include <gtk/gtk.h>
#include "tg-plot.h"
#include "studio-history.h"
#include "studio-workspace.h"
#include "tg-unit.h"
#include "tg-unit-order.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_VIEW (studio_view_get_type ())
/* a GtkBox, so that each view's template lays out its controls above the figure */
G_DECLARE_DERIVABLE_TYPE (StudioView, studio_view, STUDIO, VIEW, GtkBox)

struct _StudioViewClass
{
  GtkBoxClass parent_class;

  /* Draws the view's figure. for_export: no hover decorations. Views must override it. */
  void (*draw_figure)     (StudioView        *self,
                           cairo_t           *cr,
                           double             width,
                           double             height,
                           const TgPlotStyle *style,
                           gboolean           for_export);
  /* The history said "changed"; runs before the (throttled) redraw. Optional. */
  void (*history_changed) (StudioView *self);
  /* The pointer moved over the figure or left it (studio_view_get_hover says which), and
   * while it hovers, the history changed. A view that sets it gets the pointer tracked. */
  void (*hover_changed)   (StudioView *self);
  /* What the figure shows, in one sentence, for the accessible description (the state of
   * the runs follows it). Optional. Newly allocated. */
  char *(*describe)       (StudioView *self);
  /* The numbers the figure draws, as CSV (the tg_plot_*_csv writers), written beside every
   * export as NAME.csv. Optional; newly allocated. */
  char *(*dup_csv)        (StudioView *self);
  /* The names of the runs, layers or modes an export may leave out (the export dialog's
   * "Include" list); a view that sets it leaves out, in draw_figure for_export and in
   * dup_csv, those studio_view_get_export_excluded names. Optional; NULL-terminated, newly
   * allocated. */
  char **(*list_series)   (StudioView *self);
  /* The selected unit, the column order or the ablation set changed (the figure is
   * redrawn anyway). Optional. */
  void (*units_changed)   (StudioView *self);
  /* Before an export: brings what the figure draws up to date when the view computes it
   * only while shown (an export of a view never opened). Optional; FALSE with error when
   * it cannot, and then nothing is written. */
  gboolean (*prepare_export) (StudioView *self, GError **error);
  /* The view was given a workspace (studio_view_set_workspace; its history is set): a view
   * connects here to what else of it it follows ("data-set-changed"). Optional. */
  void (*workspace_changed) (StudioView *self);
  /* The workspace's open modes changed (modes: NULL when none is open); the base class
   * follows "modes-changed" once for every view. Optional: the views that show every mode. */
  void (*modes_changed)     (StudioView *self, const TgModes *modes);

  gpointer padding[1];
};

void     studio_view_draw_figure (StudioView *self, cairo_t *cr, double width, double height,
                                  const TgPlotStyle *style, gboolean for_export);
/* A text description of the figure: what it shows and the state of the runs it shows.
 * The drawing area carries it as its accessible description. Newly allocated. */
char    *studio_view_describe    (StudioView *self);
/* The window's workspace (studio-workspace.h): the view shows its history, its selected
 * unit, column order and ablation set, and follows their signals. */
void     studio_view_set_workspace (StudioView *self, StudioWorkspace *workspace);
/* Borrowed; a view given none makes one of its own when first asked. */
StudioWorkspace *studio_view_get_workspace (StudioView *self);
/* The history the view shows (a view without a window's workspace); the view follows its
 * "changed". */
void     studio_view_set_history (StudioView *self, StudioHistory *history);
/* Borrowed; NULL before set_history. */
StudioHistory *studio_view_get_history (StudioView *self);
/* The figure's numbers as CSV; NULL when the view has none to give. Newly allocated. */
char    *studio_view_dup_csv     (StudioView *self);
/* What an export may leave out (see list_series); NULL when the view offers no choice. */
char   **studio_view_list_series (StudioView *self);
/* The names exports leave out from now on (NULL: none); the window's own drawing shows
 * everything whatever is set. The export dialog sets it while it is open. */
void     studio_view_set_export_excluded (StudioView *self, const char *const *names);
/* Borrowed; NULL when nothing is left out. */
const char *const *studio_view_get_export_excluded (StudioView *self);
/* Writes the figure to path (.pdf, .svg or .png) at width x height points, and its numbers
 * beside it (path with .csv for its extension) when the view gives them; a view shown never
 * before is brought up to date first (prepare_export). */
gboolean studio_view_export      (StudioView *self, const char *path, double width,
                                  double height, GError **error);
/* Whether the figure's text fits width x height in style, as an export would draw it:
 * FALSE with what runs into what and the smallest size that works (an export would refuse). */
gboolean studio_view_check_fit   (StudioView *self, double width, double height,
                                  const TgPlotStyle *style, GError **error);
/* The same in style (NULL: light, with its background). */
gboolean studio_view_export_styled (StudioView *self, const char *path, double width,
                                    double height, const TgPlotStyle *style, GError **error);

/* For the views' init, after gtk_widget_init_template: area (a template child) draws the
 * figure, follows the theme, redraws on history changes and, with hover_changed, tracks
 * the pointer. */
void     studio_view_set_drawing_area (StudioView *self, GtkDrawingArea *area);
/* TRUE while the pointer is over the figure, at (*x, *y) of the drawing area. */
gboolean studio_view_get_hover   (StudioView *self, double *x, double *y);
/* What the pointer does at (x, y) of the figure (negative x: leave), as if it moved there;
 * for tests and screenshots. */
void     studio_view_hover       (StudioView *self, double x, double y);

/* Says that the user picked hidden unit (layer 0-based, index) in this view: selects it in
 * the workspace (every view outlines it) and emits "unit-selected", on which the window
 * shows the unit inspector. */
void     studio_view_select_unit (StudioView *self, guint layer, guint index);

/* ---- the units a view shows: one selected unit, one column order, the ablation set ----
 * They are the workspace's (studio_view_get_workspace): these read and write it, and every
 * view of the workspace redraws on its signals. "units-cleared" (an action signal, the Clear
 * button's) empties the ablation set. */
void     studio_view_set_selected_unit (StudioView *self, guint layer, guint index);
/* FALSE when no unit is selected. */
gboolean studio_view_get_selected_unit (StudioView *self, guint *layer, guint *index);

void        studio_view_set_unit_order (StudioView *self, TgUnitOrder order);
TgUnitOrder studio_view_get_unit_order (StudioView *self);
/* The order chosen in this view: the workspace's order. */
void        studio_view_choose_unit_order (StudioView *self, TgUnitOrder order);
/* perm[column] = unit for hidden layer `layer` (snap->widths[layer] entries) in the chosen
 * order, from the firing rates of the history's latest mask snapshot (hard or soft gates);
 * the identity without rates. FALSE when there is no such layer. */
gboolean    studio_view_unit_permutation (StudioView *self, guint layer, gboolean hard,
                                          guint *perm, guint n_units);
/* For every hidden layer (widths, n_layers of them), at its offset: the columns' order in
 * *perm (as studio_view_unit_permutation) and the ablation marks in *marks, each as long as
 * the widths' sum (at least 1), newly allocated. */
void        studio_view_unit_arrays (StudioView *self, guint n_layers, const guint32 *widths,
                                     gboolean hard, guint **perm, guint8 **marks);

/* Replaces the workspace's ablation set (a copy of edits is kept). */
void     studio_view_set_unit_marks (StudioView *self, const TgUnitEdit *edits, guint n_edits);
/* TG_PLOT_MARK_* of the unit in the ablation set shown. */
guint8   studio_view_get_unit_mark  (StudioView *self, guint layer, guint index);
/* Shift-click: adds the unit to the workspace's ablation set or takes it out. */
void     studio_view_toggle_unit    (StudioView *self, guint layer, guint index);
/* The controls a view puts above its figure: a drop-down of the column orders that follows
 * the shared order, and the ablation set with a button that clears it. Created once, owned by
 * the view's template box where the view appends them. */
GtkWidget *studio_view_get_order_dropdown (StudioView *self);
GtkWidget *studio_view_get_set_bar        (StudioView *self);

/* TRUE when the widget's theme draws light text on a dark background. */
gboolean studio_widget_is_dark   (GtkWidget *widget);
/* The plot style for drawing on widget: dark or light after its theme, no background. */
void     studio_widget_plot_style (GtkWidget *widget, TgPlotStyle *style);
/* Queues a redraw of widget at most every STUDIO_REDRAW_INTERVAL_MS: live data arrives
 * faster than anyone reads it, and on a software renderer every frame costs the main loop. */
#define STUDIO_REDRAW_INTERVAL_MS 80
void     studio_widget_queue_draw_throttled (GtkWidget *widget);

/* Redraws area when the theme turns dark or light (its colours come from the theme). */
void     studio_widget_follow_theme (GtkWidget *area);
/* Renders widget as it is on screen into a PNG (gtk_widget_snapshot -> GskRenderer). */
gboolean studio_widget_save_png  (GtkWidget *widget, const char *path, GError **error);

G_END_DECLS
