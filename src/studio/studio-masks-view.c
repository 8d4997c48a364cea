/* studio-masks-view.c — the Masks view over tg_plot_masks. */
#include "studio-masks-view.h"

#include <math.h>
#include <string.h>
#include "studio-view.h"

struct _StudioMasksView
{
  GtkBox parent_instance;

  /* template widgets */
  GtkDrawingArea  *area;
  GtkToggleButton *hard;

  /* owned */
  StudioHistory   *history;
  gulong           changed_id;
};

static void studio_masks_view_iface_init (StudioViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StudioMasksView, studio_masks_view, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (STUDIO_TYPE_VIEW,
                                                      studio_masks_view_iface_init))

static void
studio_masks_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                               const TgPlotStyle *style, gboolean for_export)
{
  StudioMasksView *self = STUDIO_MASKS_VIEW (view);
  StudioSnapshot *snap = self->history != NULL ? studio_history_get_masks (self->history) : NULL;
  gboolean hard = gtk_toggle_button_get_active (self->hard);
  TgMasksLayer layers[TG_MAX_LINEAR];
  char labels[TG_MAX_LINEAR][32];
  char caption[256];
  TgMasksData data = { 0 };

  data.n_classes = 10;
  data.high_act_frac = NAN;
  data.hard_gates = hard;
  data.title = "Firing rate per digit, 0° vs 45° inputs";
  if (snap != NULL && snap->firing0_hard != NULL)
    {
      guint32 off = 0;
      for (guint l = 0; l < snap->n_hidden; l++)
        {
          g_snprintf (labels[l], sizeof labels[l], "hidden %u", l + 1);
          layers[l] = (TgMasksLayer) {
            .label = labels[l],
            .n_units = snap->widths[l],
            .row_stride = snap->hidden_units,
            .rate0 = (hard ? snap->firing0_hard : snap->firing0_soft) + off,
            .rate45 = (hard ? snap->firing45_hard : snap->firing45_soft) + off,
          };
          off += snap->widths[l];
        }
      data.n_layers = snap->n_hidden;
      data.layers = layers;
      data.n_classes = snap->n_classes;
      data.high_act_frac = snap->high_act;
      g_snprintf (caption, sizeof caption,
                  "%s, step %" G_GUINT64_FORMAT " (%s): mean %s gate per test digit over the "
                  "first %u test images of each mode, measured every %u steps. High-act "
                  "fraction: soft gates > 0.9 on 256 training images of the target mode.",
                  tg_method_info (snap->method)->label, snap->mask_step,
                  studio_phase_label (snap->phase), hard ? "hard 1[z > τ]" : "soft",
                  snap->eval_samples, snap->mask_every);
      data.caption = caption;
    }
  else
    data.caption = "Start training: the firing rates are measured as it runs.";
  tg_plot_masks (cr, width, height, &data, style);
}

static void
draw_area (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  TgPlotStyle style;
  studio_widget_plot_style (GTK_WIDGET (area), &style);
  studio_view_draw_figure (STUDIO_VIEW (user_data), cr, width, height, &style, FALSE);
}

static void
hard_toggled_cb (GtkToggleButton *button, StudioMasksView *self)
{
  gtk_button_set_label (GTK_BUTTON (button),
                        gtk_toggle_button_get_active (button) ? "Hard gates" : "Soft gates");
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
history_changed_cb (StudioHistory *history, StudioMasksView *self)
{
  studio_widget_queue_draw_throttled (GTK_WIDGET (self->area));
}

static void
studio_masks_view_set_history (StudioView *view, StudioHistory *history)
{
  StudioMasksView *self = STUDIO_MASKS_VIEW (view);

  g_clear_signal_handler (&self->changed_id, self->history);
  g_set_object (&self->history, history);
  if (history != NULL)
    self->changed_id = g_signal_connect (history, "changed", G_CALLBACK (history_changed_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

GtkWidget *
studio_masks_view_new (void)
{
  return g_object_new (STUDIO_TYPE_MASKS_VIEW, NULL);
}

static void
studio_masks_view_dispose (GObject *object)
{
  StudioMasksView *self = STUDIO_MASKS_VIEW (object);

  g_clear_signal_handler (&self->changed_id, self->history);
  g_clear_object (&self->history);
  G_OBJECT_CLASS (studio_masks_view_parent_class)->dispose (object);
}

static void
studio_masks_view_iface_init (StudioViewInterface *iface)
{
  iface->draw_figure = studio_masks_view_draw_figure;
  iface->set_history = studio_masks_view_set_history;
}

static void
studio_masks_view_class_init (StudioMasksViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = studio_masks_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-masks-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioMasksView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioMasksView, hard);
  gtk_widget_class_bind_template_callback (widget_class, hard_toggled_cb);
}

static void
studio_masks_view_init (StudioMasksView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->area, draw_area, self, NULL);
  studio_widget_follow_theme (GTK_WIDGET (self->area));
}
