/* studio-view.h — what every view in the window's stack has in common: it draws one figure
 * of src/plot from the history, on screen with the theme's colours and into a file with
 * the light style. Views implement draw_figure; export and the style live here once. */
#pragma once

#include <gtk/gtk.h>
#include "tg-plot.h"
#include "studio-history.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_VIEW (studio_view_get_type ())
G_DECLARE_INTERFACE (StudioView, studio_view, STUDIO, VIEW, GtkWidget)

struct _StudioViewInterface
{
  GTypeInterface parent_iface;

  /* Draws the view's figure. for_export: no hover decorations. */
  void (*draw_figure) (StudioView        *self,
                       cairo_t           *cr,
                       double             width,
                       double             height,
                       const TgPlotStyle *style,
                       gboolean           for_export);
  /* The history the view shows; the view connects to its "changed". */
  void (*set_history) (StudioView *self, StudioHistory *history);
};

void     studio_view_draw_figure (StudioView *self, cairo_t *cr, double width, double height,
                                  const TgPlotStyle *style, gboolean for_export);
void     studio_view_set_history (StudioView *self, StudioHistory *history);
/* Writes the figure to path (.pdf, .svg or .png) at width x height points. */
gboolean studio_view_export      (StudioView *self, const char *path, double width,
                                  double height, GError **error);

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
