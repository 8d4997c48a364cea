/* studio-view.c — the common part of the views: the history they follow, their drawing
 * area, the pointer over it, export, theme style, PNG screenshots. The units they show
 * (selected unit, column order, ablation set) are in studio-view-units.c. */
#include "studio-view.h"

#include <glib/gi18n.h>
#include "studio-view-private.h"

#include <string.h>

static guint unit_selected_signal;

typedef struct
{
  /* borrowed: the subclass's template child */
  GtkDrawingArea *area;

  /* owned */
  StudioHistory  *history;
  gulong          changed_id;

  /* owned */
  gboolean        hovering;
  double          hover_x, hover_y;
  GStrv           export_excluded;   /* what exports leave out; NULL: nothing */

  /* the units shown: studio-view-units.c */
  StudioViewUnits units;
} StudioViewPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (StudioView, studio_view, GTK_TYPE_BOX)

void
studio_view_draw_figure (StudioView *self, cairo_t *cr, double width, double height,
                         const TgPlotStyle *style, gboolean for_export)
{
  g_return_if_fail (STUDIO_IS_VIEW (self));
  g_return_if_fail (STUDIO_VIEW_GET_CLASS (self)->draw_figure != NULL);
  STUDIO_VIEW_GET_CLASS (self)->draw_figure (self, cr, width, height, style, for_export);
}

static void
queue_draw (StudioView *self)
{
  StudioViewPrivate *priv = studio_view_get_instance_private (self);

  if (priv->area != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (priv->area));
}

char *
studio_view_describe (StudioView *self)
{
  StudioViewClass *klass;
  StudioViewPrivate *priv;

  g_return_val_if_fail (STUDIO_IS_VIEW (self), NULL);
  klass = STUDIO_VIEW_GET_CLASS (self);
  priv = studio_view_get_instance_private (self);
  g_autofree char *what = klass->describe != NULL ? klass->describe (self)
                                                  : g_strdup (_("A figure of the runs."));
  StudioSnapshot *st = priv->history != NULL ? studio_history_get_status (priv->history) : NULL;
  g_autofree char *state = studio_snapshot_format_status (st);
  guint runs = priv->history != NULL ? studio_history_get_n_runs (priv->history) : 0;
  return g_strdup_printf (ngettext ("%s %u run shown. %s", "%s %u runs shown. %s", runs), what, runs, state);
}

/* The drawing area tells assistive technologies what the figure shows. */
static void
update_accessible (StudioView *self)
{
  StudioViewPrivate *priv = studio_view_get_instance_private (self);

  if (priv->area == NULL)
    return;
  g_autofree char *text = studio_view_describe (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->area),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
history_changed_cb (StudioHistory *history, StudioView *self)
{
  StudioViewPrivate *priv = studio_view_get_instance_private (self);
  StudioViewClass *klass = STUDIO_VIEW_GET_CLASS (self);

  if (priv->hovering && klass->hover_changed != NULL)
    klass->hover_changed (self);
  if (klass->history_changed != NULL)
    klass->history_changed (self);
  if (priv->area != NULL)
    studio_widget_queue_draw_throttled (GTK_WIDGET (priv->area));
  update_accessible (self);
}

void
studio_view_set_history (StudioView *self, StudioHistory *history)
{
  StudioViewPrivate *priv;

  g_return_if_fail (STUDIO_IS_VIEW (self));
  priv = studio_view_get_instance_private (self);
  g_clear_signal_handler (&priv->changed_id, priv->history);
  g_set_object (&priv->history, history);
  if (history != NULL)
    priv->changed_id = g_signal_connect (history, "changed", G_CALLBACK (history_changed_cb), self);
  queue_draw (self);
  update_accessible (self);
}

StudioHistory *
studio_view_get_history (StudioView *self)
{
  StudioViewPrivate *priv;

  g_return_val_if_fail (STUDIO_IS_VIEW (self), NULL);
  priv = studio_view_get_instance_private (self);
  return priv->history;
}

static void
draw_area (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  TgPlotStyle style;
  studio_widget_plot_style (GTK_WIDGET (area), &style);
  studio_view_draw_figure (STUDIO_VIEW (user_data), cr, width, height, &style, FALSE);
}

static void
motion_cb (GtkEventControllerMotion *motion, double x, double y, StudioView *self)
{
  StudioViewPrivate *priv = studio_view_get_instance_private (self);

  priv->hovering = TRUE;
  priv->hover_x = x;
  priv->hover_y = y;
  STUDIO_VIEW_GET_CLASS (self)->hover_changed (self);
  queue_draw (self);
}

static void
leave_cb (GtkEventControllerMotion *motion, StudioView *self)
{
  StudioViewPrivate *priv = studio_view_get_instance_private (self);

  priv->hovering = FALSE;
  STUDIO_VIEW_GET_CLASS (self)->hover_changed (self);
  queue_draw (self);
}

void
studio_view_set_drawing_area (StudioView *self, GtkDrawingArea *area)
{
  StudioViewPrivate *priv;

  g_return_if_fail (STUDIO_IS_VIEW (self));
  g_return_if_fail (GTK_IS_DRAWING_AREA (area));
  priv = studio_view_get_instance_private (self);
  priv->area = area;
  gtk_drawing_area_set_draw_func (area, draw_area, self, NULL);
  studio_widget_follow_theme (GTK_WIDGET (area));
  update_accessible (self);

  if (STUDIO_VIEW_GET_CLASS (self)->hover_changed != NULL)
    {
      GtkEventController *motion = gtk_event_controller_motion_new ();
      g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
      g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (area), motion);
    }
}

gboolean
studio_view_get_hover (StudioView *self, double *x, double *y)
{
  StudioViewPrivate *priv;

  g_return_val_if_fail (STUDIO_IS_VIEW (self), FALSE);
  priv = studio_view_get_instance_private (self);
  if (x != NULL)
    *x = priv->hover_x;
  if (y != NULL)
    *y = priv->hover_y;
  return priv->hovering;
}

void
studio_view_hover (StudioView *self, double x, double y)
{
  g_return_if_fail (STUDIO_IS_VIEW (self));
  g_return_if_fail (STUDIO_VIEW_GET_CLASS (self)->hover_changed != NULL);
  if (x < 0)
    leave_cb (NULL, self);
  else
    motion_cb (NULL, x, y, self);
}

static void
studio_view_dispose (GObject *object)
{
  StudioView *self = STUDIO_VIEW (object);
  StudioViewPrivate *priv = studio_view_get_instance_private (self);

  g_clear_signal_handler (&priv->changed_id, priv->history);
  g_clear_object (&priv->history);
  g_clear_pointer (&priv->export_excluded, g_strfreev);
  priv->area = NULL;
  studio_view_units_dispose (&priv->units);
  G_OBJECT_CLASS (studio_view_parent_class)->dispose (object);
}

/* A workspace asked for after dispose (a view alone makes one when first asked) goes too. */
static void
studio_view_finalize (GObject *object)
{
  StudioViewPrivate *priv = studio_view_get_instance_private (STUDIO_VIEW (object));

  studio_view_units_dispose (&priv->units);
  G_OBJECT_CLASS (studio_view_parent_class)->finalize (object);
}

static void
studio_view_class_init (StudioViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = studio_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = studio_view_finalize;
  /* a view's cell was clicked: (hidden layer 0-based, unit) */
  unit_selected_signal =
    g_signal_new ("unit-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  studio_view_units_class_init (klass);
}

void
studio_view_select_unit (StudioView *self, guint layer, guint index)
{
  studio_workspace_select_unit (studio_view_get_workspace (self), layer, index);
  g_signal_emit (self, unit_selected_signal, 0, layer, index);
}

StudioViewUnits *
studio_view_get_units (StudioView *self)
{
  StudioViewPrivate *priv = studio_view_get_instance_private (self);
  return &priv->units;
}

void
studio_view_queue_draw (StudioView *self)
{
  queue_draw (self);
}

static void
studio_view_init (StudioView *self)
{
}

static void
export_trampoline (cairo_t *cr, double width, double height, gconstpointer data,
                   const TgPlotStyle *style)
{
  studio_view_draw_figure (STUDIO_VIEW ((gpointer) data), cr, width, height, style, TRUE);
}

gboolean
studio_view_check_fit (StudioView *self, double width, double height, const TgPlotStyle *style,
                       GError **error)
{
  g_return_val_if_fail (STUDIO_IS_VIEW (self), FALSE);
  return tg_plot_check_fit (width, height, export_trampoline, self, style, error);
}

gboolean
studio_view_export (StudioView *self, const char *path, double width, double height,
                    GError **error)
{
  TgPlotStyle style;

  g_return_val_if_fail (STUDIO_IS_VIEW (self), FALSE);
  /* figures on paper: always the light style with its own background */
  tg_plot_style_init_light (&style);
  style.draw_background = TRUE;
  return studio_view_export_styled (self, path, width, height, &style, error);
}

char *
studio_view_dup_csv (StudioView *self)
{
  StudioViewClass *klass;

  g_return_val_if_fail (STUDIO_IS_VIEW (self), NULL);
  klass = STUDIO_VIEW_GET_CLASS (self);
  return klass->dup_csv != NULL ? klass->dup_csv (self) : NULL;
}

char **
studio_view_list_series (StudioView *self)
{
  g_return_val_if_fail (STUDIO_IS_VIEW (self), NULL);
  StudioViewClass *klass = STUDIO_VIEW_GET_CLASS (self);
  return klass->list_series != NULL ? klass->list_series (self) : NULL;
}

void
studio_view_set_export_excluded (StudioView *self, const char *const *names)
{
  g_return_if_fail (STUDIO_IS_VIEW (self));
  StudioViewPrivate *priv = studio_view_get_instance_private (self);
  g_clear_pointer (&priv->export_excluded, g_strfreev);
  if (names != NULL && names[0] != NULL)
    priv->export_excluded = g_strdupv ((char **) names);
}

const char *const *
studio_view_get_export_excluded (StudioView *self)
{
  g_return_val_if_fail (STUDIO_IS_VIEW (self), NULL);
  StudioViewPrivate *priv = studio_view_get_instance_private (self);
  return (const char *const *) priv->export_excluded;
}

gboolean
studio_view_export_styled (StudioView *self, const char *path, double width, double height,
                           const TgPlotStyle *style, GError **error)
{
  TgPlotStyle light;

  g_return_val_if_fail (STUDIO_IS_VIEW (self), FALSE);
  if (style == NULL)
    {
      tg_plot_style_init_light (&light);
      light.draw_background = TRUE;
      style = &light;
    }
  StudioViewClass *klass = STUDIO_VIEW_GET_CLASS (self);
  if (klass->prepare_export != NULL && !klass->prepare_export (self, error))
    return FALSE;
  if (!tg_plot_export (path, width, height, export_trampoline, self, style, error))
    return FALSE;
  g_autofree char *csv = studio_view_dup_csv (self);
  return csv == NULL || tg_plot_write_beside (path, ".csv", csv, error);
}

gboolean
studio_widget_is_dark (GtkWidget *widget)
{
  GdkRGBA fg;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
G_GNUC_END_IGNORE_DEPRECATIONS
  /* light text means a dark theme, whatever the theme is called */
  return 0.299 * fg.red + 0.587 * fg.green + 0.114 * fg.blue > 0.5;
}

void
studio_widget_plot_style (GtkWidget *widget, TgPlotStyle *style)
{
  if (studio_widget_is_dark (widget))
    tg_plot_style_init_dark (style);
  else
    tg_plot_style_init_light (style);
  style->draw_background = FALSE;
}

static gboolean
throttled_draw_cb (gpointer data)
{
  GtkWidget *widget = data;
  g_object_set_data (G_OBJECT (widget), "studio-redraw-source", NULL);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

void
studio_widget_queue_draw_throttled (GtkWidget *widget)
{
  if (g_object_get_data (G_OBJECT (widget), "studio-redraw-source") != NULL)
    return;
  if (!gtk_widget_get_mapped (widget))
    {
      gtk_widget_queue_draw (widget); /* costs nothing; drawn when shown */
      return;
    }
  guint id = g_timeout_add_full (G_PRIORITY_DEFAULT, STUDIO_REDRAW_INTERVAL_MS, throttled_draw_cb,
                                 g_object_ref (widget), g_object_unref);
  /* the source holds a reference, so the widget outlives it */
  g_object_set_data (G_OBJECT (widget), "studio-redraw-source", GUINT_TO_POINTER (id));
}

void
studio_widget_follow_theme (GtkWidget *area)
{
  GtkSettings *settings = gtk_settings_get_default ();

  if (settings == NULL)
    return;
  /* the draw happens after the new style is in place, so it reads the new colours */
  g_signal_connect_object (settings, "notify::gtk-application-prefer-dark-theme",
                           G_CALLBACK (gtk_widget_queue_draw), area, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::gtk-theme-name",
                           G_CALLBACK (gtk_widget_queue_draw), area, G_CONNECT_SWAPPED);
}

gboolean
studio_widget_save_png (GtkWidget *widget, const char *path, GError **error)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot take a screenshot: the view is not shown"));
      return FALSE;
    }

  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  /* a plain background under the widget, as the window would give it */
  GdkRGBA bg = { 1, 1, 1, 1 };
  if (studio_widget_is_dark (widget))
    bg = (GdkRGBA) { 0.14, 0.14, 0.14, 1 };
  gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  GskRenderNode *node = gtk_snapshot_free_to_node (snapshot);
  g_object_unref (paintable);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing to render"));
      return FALSE;
    }

  GdkTexture *texture = gsk_renderer_render_texture (renderer, node,
                                                     &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  gboolean ok = gdk_texture_save_to_png (texture, path);
  g_object_unref (texture);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write %s"), path);
  return ok;
}
