/* studio-masks-view.c — the Masks view over tg_plot_masks. */
#include "studio-masks-view.h"

#include <math.h>
#include <string.h>
#include "studio-view.h"

struct _StudioMasksView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea  *area;
  GtkToggleButton *hard;
};

G_DEFINE_FINAL_TYPE (StudioMasksView, studio_masks_view, STUDIO_TYPE_VIEW)

static void
studio_masks_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                               const TgPlotStyle *style, gboolean for_export)
{
  StudioMasksView *self = STUDIO_MASKS_VIEW (view);
  StudioHistory *history = studio_view_get_history (view);
  StudioSnapshot *snap = history != NULL ? studio_history_get_masks (history) : NULL;
  gboolean hard = gtk_toggle_button_get_active (self->hard);
  TgMasksLayer layers[TG_MAX_LINEAR];
  char labels[TG_MAX_LINEAR][32];
  char caption[256], title[96], target[32];
  TgMasksData data = { 0 };

  data.n_classes = 10;
  data.high_act_frac = NAN;
  data.hard_gates = hard;
  g_snprintf (title, sizeof title, "Firing rate per digit, 0° vs %g° inputs",
              snap != NULL ? snap->angle : 45.0);
  data.title = title;
  g_snprintf (target, sizeof target, "%g°", snap != NULL ? snap->angle : 45.0);
  data.target_label = target;
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
            .rate_rot = (hard ? snap->firing_rot_hard : snap->firing_rot_soft) + off,
          };
          off += snap->widths[l];
        }
      data.ungated = !tg_method_info (snap->run_method)->gated;
      if (data.ungated)
        g_snprintf (title, sizeof title, "ReLU firing rate per digit, 0° vs %g° inputs",
                    snap->angle);
      data.n_layers = snap->n_hidden;
      data.layers = layers;
      data.n_classes = snap->n_classes;
      data.high_act_frac = snap->high_act;
      g_snprintf (caption, sizeof caption,
                  data.ungated
                  ? "%s, step %" G_GUINT64_FORMAT " (%s): this method has no gates; how often "
                    "each unit's ReLU fires (relu(z) > 0%.0s) per test digit over the first %u "
                    "test images of each mode, measured every %u steps."
                  : "%s, step %" G_GUINT64_FORMAT " (%s): mean %s gate per test digit over the "
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

/* The button says what it does; pressed or not shows which gates the figure uses (its
 * label flipping between "Hard" and "Soft" read as the opposite of its state). */
static void
hard_toggled_cb (GtkToggleButton *button, StudioMasksView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

GtkWidget *
studio_masks_view_new (void)
{
  return g_object_new (STUDIO_TYPE_MASKS_VIEW, NULL);
}

static char *
studio_masks_view_describe (StudioView *view)
{
  return g_strdup ("Heatmaps of how often each hidden unit's gate is open, per digit class, on the 0° and the rotated test images.");
}

static void
studio_masks_view_class_init (StudioMasksViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  view_class->draw_figure = studio_masks_view_draw_figure;
  view_class->describe = studio_masks_view_describe;
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
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
}
