/* SPDX-License-Identifier: MIT */
/* studio-digit-pad-view.c — the digit pad over tg_plot_digit_pad. The probe is one forward
 * of one image (tg_probe_new, a copy of the model), cheap enough for the main loop, so it is
 * redone at once when the image, the angle or the model changes. The model is the one at the
 * history's time (studio-time-model.h): live, the copy the latest mask snapshot carries;
 * rewound by the scrubber, the model of that step. Beside it, one probe per open mode (Base
 * and the adapters of the Modes panel) through that mode's own model, the ones identical to
 * the model shown left out. The test images are the workspace's test set: the data set of
 * the model shown. */
#include "tg-digest.h"

#include <glib/gi18n.h>
#include "studio-digit-pad-view.h"
#include "tg-csv.h"

#include <math.h>
#include <string.h>
#include "studio-time-model.h"

#define PAD_MAX_MODELS 4   /* what the figure shows side by side: the model and 3 modes */

/* An open mode, copied when the modes change (the window's may go at any time). */
typedef struct {
  char    *name;
  TgModel *model;
  float    sharpness;
  gboolean same;      /* identical to the model shown: left out */
  TgProbe *probe;
} PadMode;

static void
pad_mode_free (gpointer data)
{
  PadMode *m = data;
  g_free (m->name);
  tg_model_free (m->model);
  tg_probe_free (m->probe);
  g_free (m);
}

#define PAD_SIDE 28
#define PAD_PIXELS (PAD_SIDE * PAD_SIDE)
#define PAD_BRUSH 1.4   /* radius of the pen, in image pixels */
#define PAD_MISS_SEARCH 10000  /* test images to look through for the next misclassified */

struct _StudioDigitPadView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area, *canvas;
  GtkAdjustment  *index_adj, *class_adj, *angle_adj;
  GtkLabel       *readout;

  float           image[PAD_PIXELS];   /* the image before rotation, [0, 1] */
  gint            true_label;          /* -1: drawn */
  gboolean        has_image;           /* drawn on or chosen: else test image 0 first */
  guint           test_index;
  double          drag_x, drag_y;
  StudioTimeModel *tm;                 /* the model the probe ran through */
  TgProbe        *probe;
  GPtrArray      *modes;               /* PadMode */
};

G_DEFINE_FINAL_TYPE (StudioDigitPadView, studio_digit_pad_view, STUDIO_TYPE_VIEW)


/* Which modes are the model shown, after the model or the modes changed. */
static void
update_same (StudioDigitPadView *self)
{
  for (guint i = 0; i < self->modes->len; i++)
    {
      PadMode *m = g_ptr_array_index (self->modes, i);
      m->same = self->tm != NULL && tg_model_same (m->model, self->tm->model);
    }
}

static void
probe_modes (StudioDigitPadView *self)
{
  double angle = gtk_adjustment_get_value (self->angle_adj);
  for (guint i = 0; i < self->modes->len; i++)
    {
      PadMode *m = g_ptr_array_index (self->modes, i);
      g_clear_pointer (&m->probe, tg_probe_free);
      if (!m->same)
        m->probe = tg_probe_new (m->model, m->sharpness, self->image, PAD_SIDE, PAD_SIDE, angle,
                                 NULL);
    }
}

static void
reprobe (StudioDigitPadView *self)
{
  g_clear_pointer (&self->probe, tg_probe_free);
  if (self->tm != NULL)
    {
      g_autoptr (GError) error = NULL;
      self->probe = tg_probe_new (self->tm->model, self->tm->sharpness, self->image,
                                  PAD_SIDE, PAD_SIDE, gtk_adjustment_get_value (self->angle_adj),
                                  &error);
      if (self->probe == NULL)
        gtk_label_set_text (self->readout, error->message);
    }
  probe_modes (self);
  if (self->probe != NULL)
    {
      gboolean hard = self->tm->hard_gates;
      guint pred = hard ? self->probe->pred_hard : self->probe->pred_soft;
      const float *prob = hard ? self->probe->prob_hard : self->probe->prob_soft;
      g_autofree char *who = self->true_label >= 0
        ? g_strdup_printf (_("test image %u (a %d)"), self->test_index, self->true_label)
        : g_strdup (_("drawn digit"));
      g_autofree char *text =
        g_strdup_printf (_("%s at %.0f° · predicted %u (p = %.3f, %s gates) · %s"), who,
                         gtk_adjustment_get_value (self->angle_adj), pred, prob[pred],
                         hard ? _("hard") : _("soft"), self->tm->label);
      gtk_label_set_text (self->readout, text);
    }
  else if (self->tm == NULL)
    gtk_label_set_text (self->readout, _("Train a model to see how it reads the digit."));
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
studio_digit_pad_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                   const TgPlotStyle *style, gboolean for_export)
{
  StudioDigitPadView *self = STUDIO_DIGIT_PAD_VIEW (view);
  TgDigitPadData data = { 0 };
  TgPadModel models[PAD_MAX_MODELS] = { { 0 } };
  guint widths[TG_MAX_LINEAR];
  char caption[480];
  const TgProbe *p = self->probe;

  data.rows = data.cols = PAD_SIDE;
  data.angle = gtk_adjustment_get_value (self->angle_adj);
  data.true_label = self->true_label;
  data.n_classes = 10;
  if (p != NULL)
    {
      data.image = p->image;
      data.n_layers = p->n_hidden;
      for (guint l = 0; l < p->n_hidden; l++)
        widths[l] = p->widths[l];
      data.widths = widths;
      data.gates_soft = p->gates_soft;
      data.gates_hard = p->gates_hard;
      data.gates_label = self->tm->label;
      data.n_classes = p->n_classes;
      data.compare_hard = self->tm->hard_gates;
      models[0] = (TgPadModel) { self->tm->label, p->prob_soft, p->prob_hard, p->gates_soft,
                                 p->gates_hard };
      data.n_models = 1;
      for (guint i = 0; i < self->modes->len && data.n_models < PAD_MAX_MODELS; i++)
        {
          const PadMode *m = g_ptr_array_index (self->modes, i);
          if (m->probe != NULL && m->probe->hidden_units == p->hidden_units &&
              m->probe->n_classes == p->n_classes)
            models[data.n_models++] = (TgPadModel) { m->name, m->probe->prob_soft,
                                                     m->probe->prob_hard, m->probe->gates_soft,
                                                     m->probe->gates_hard };
        }
      data.models = models;
      g_snprintf (caption, sizeof caption,
                  /* s to three figures: a float's %g prints 9.82443 */
                  "%s, rotated %.0f°, through %s (s = %.3g)%s: %s of every hidden unit, and the "
                  "class probabilities under soft gates σ(s (z − τ)) and hard gates 1[z > τ].",
                  self->true_label >= 0 ? "A test image" : "A drawn digit", data.angle,
                  self->tm->label, (double) self->tm->sharpness,
                  data.n_models > 1 ? " and each open mode side by side" : "",
                  data.n_models > 1 ? (data.compare_hard
                                       ? "the hard gates 1[z > τ] (1[z > 0] for an ungated mode)"
                                       : "the soft gates σ(s (z − τ)) (1[z > 0] for an ungated "
                                         "mode)")
                                    : "soft and hard gates");
    }
  else
    g_snprintf (caption, sizeof caption,
                _("Train a model to see how it reads the digit; draw in the box on the left or "
                "pick a test image."));
  data.caption = caption;
  tg_plot_digit_pad (cr, width, height, &data, style);
}

static void
studio_digit_pad_view_history_changed (StudioView *view)
{
  StudioDigitPadView *self = STUDIO_DIGIT_PAD_VIEW (view);
  StudioHistory *history = studio_view_get_history (view);
  if (studio_time_model_is_current (self->tm, history))
    return;
  StudioTimeModel *tm = studio_time_model_new (history);
  if (tm == NULL)
    return;
  g_clear_pointer (&self->tm, studio_time_model_unref);
  self->tm = tm;
  update_same (self);
  if (!self->has_image &&
      studio_digit_pad_view_set_test_image (self, 0, gtk_adjustment_get_value (self->angle_adj),
                                            NULL))
    return;
  reprobe (self);
}

/* The workspace's test set; a new reference, NULL with an error. */
static StudioTestSet *
pad_test_set (StudioDigitPadView *self, GError **error)
{
  return studio_workspace_dup_test_set (studio_view_get_workspace (STUDIO_VIEW (self)), error);
}

gboolean
studio_digit_pad_view_set_test_image (StudioDigitPadView *self, guint index, double degrees,
                                      GError **error)
{
  g_autoptr (StudioTestSet) set = pad_test_set (self, error);
  if (set == NULL)
    return FALSE;
  const TgDataset *test = set->data;
  if (index >= test->n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The test set has %u images; there is no image %u"), test->n, index);
      return FALSE;
    }
  const guint8 *px = test->pixels + (gsize) index * test->dim;
  for (guint i = 0; i < PAD_PIXELS && i < test->dim; i++)
    self->image[i] = px[i] / 255.0f;
  self->true_label = test->labels[index];
  self->has_image = TRUE;
  self->test_index = index;
  /* the adjustments call back here; their values already match */
  gtk_adjustment_set_upper (self->index_adj, test->n - 1);
  gtk_adjustment_set_value (self->index_adj, index);
  gtk_adjustment_set_value (self->angle_adj, degrees);
  reprobe (self);
  return TRUE;
}

static void
index_changed_cb (GtkAdjustment *adj, StudioDigitPadView *self)
{
  guint index = (guint) gtk_adjustment_get_value (adj);
  if (self->true_label >= 0 && index == self->test_index)
    return;
  g_autoptr (GError) error = NULL;
  if (!studio_digit_pad_view_set_test_image (self, index,
                                             gtk_adjustment_get_value (self->angle_adj), &error))
    gtk_label_set_text (self->readout, error->message);
}

static void
angle_changed_cb (GtkAdjustment *adj, StudioDigitPadView *self)
{
  reprobe (self);
}

/* The next test image after the current one of the chosen class. */
static void
next_of_class_cb (GtkButton *button, StudioDigitPadView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioTestSet) set = pad_test_set (self, &error);
  guint digit = (guint) gtk_adjustment_get_value (self->class_adj);
  if (set == NULL)
    {
      gtk_label_set_text (self->readout, error->message);
      return;
    }
  const TgDataset *test = set->data;
  for (guint k = 1; k <= test->n; k++)
    {
      guint i = (self->test_index + k) % test->n;
      if (test->labels[i] == digit)
        {
          studio_digit_pad_view_set_test_image (self, i, gtk_adjustment_get_value (self->angle_adj),
                                                NULL);
          return;
        }
    }
}

/* The next test image after the current one that the model, at the pad's angle and with the
 * run's gates, gets wrong. */
static void
next_miss_cb (GtkButton *button, StudioDigitPadView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioTestSet) set = pad_test_set (self, &error);
  double angle = gtk_adjustment_get_value (self->angle_adj);
  float x[PAD_PIXELS];
  if (set == NULL || self->tm == NULL || set->data->dim != PAD_PIXELS)
    {
      gtk_label_set_text (self->readout, error != NULL ? error->message : _("No model yet."));
      return;
    }
  const TgDataset *test = set->data;
  for (guint k = 1; k <= MIN (test->n, PAD_MISS_SEARCH); k++)
    {
      guint i = (self->test_index + k) % test->n;
      for (guint j = 0; j < PAD_PIXELS; j++)
        x[j] = test->pixels[(gsize) i * PAD_PIXELS + j] / 255.0f;
      g_autoptr (TgProbe) p = tg_probe_new (self->tm->model, self->tm->sharpness, x,
                                            PAD_SIDE, PAD_SIDE, angle, NULL);
      guint pred = self->tm->hard_gates ? p->pred_hard : p->pred_soft;
      if (pred != test->labels[i])
        {
          studio_digit_pad_view_set_test_image (self, i, angle, NULL);
          return;
        }
    }
  gtk_label_set_text (self->readout, _("No misclassified test image found."));
}

/* Another data set: a test image shown is the new test set's at the same place (a drawn
 * image stays). */
static void
data_set_changed_cb (StudioWorkspace *workspace, StudioDigitPadView *self)
{
  if (!self->has_image || self->true_label < 0)
    return;
  g_autoptr (GError) error = NULL;
  if (!studio_digit_pad_view_set_test_image (self, self->test_index,
                                             gtk_adjustment_get_value (self->angle_adj), &error) &&
      !studio_digit_pad_view_set_test_image (self, 0, gtk_adjustment_get_value (self->angle_adj),
                                             NULL))
    gtk_label_set_text (self->readout, error->message);
}

/* Every open mode is on the pad beside the model: the workspace's. */
static void
studio_digit_pad_view_modes_changed (StudioView *view, const TgModes *modes)
{
  studio_digit_pad_view_set_modes (STUDIO_DIGIT_PAD_VIEW (view), modes);
}

static void
studio_digit_pad_view_workspace_changed (StudioView *view)
{
  g_signal_connect_object (studio_view_get_workspace (view), "data-set-changed",
                           G_CALLBACK (data_set_changed_cb), view, 0);
}

static void
clear_cb (GtkButton *button, StudioDigitPadView *self)
{
  memset (self->image, 0, sizeof self->image);
  self->true_label = -1;
  self->has_image = TRUE;
  reprobe (self);
}

/* ---- drawing on the canvas ------------------------------------------------------------ */

static void
canvas_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  StudioDigitPadView *self = data;
  double cell = MIN (width, height) / (double) PAD_SIDE;
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, 0, 0, cell * PAD_SIDE, cell * PAD_SIDE);
  cairo_fill (cr);
  for (guint r = 0; r < PAD_SIDE; r++)
    for (guint c = 0; c < PAD_SIDE; c++)
      {
        float v = self->image[r * PAD_SIDE + c];
        if (v <= 0)
          continue;
        cairo_set_source_rgb (cr, v, v, v);
        cairo_rectangle (cr, c * cell, r * cell, cell, cell);
        cairo_fill (cr);
      }
}

static void
paint_at (StudioDigitPadView *self, double x, double y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  int height = gtk_widget_get_height (GTK_WIDGET (self->canvas));
  double cell = MIN (width, height) / (double) PAD_SIDE;
  double cx = x / cell, cy = y / cell;
  for (int r = (int) floor (cy - PAD_BRUSH - 1); r <= (int) ceil (cy + PAD_BRUSH + 1); r++)
    for (int c = (int) floor (cx - PAD_BRUSH - 1); c <= (int) ceil (cx + PAD_BRUSH + 1); c++)
      {
        if (r < 0 || c < 0 || r >= PAD_SIDE || c >= PAD_SIDE)
          continue;
        double d = hypot (c + 0.5 - cx, r + 0.5 - cy);
        float v = (float) CLAMP (1.0 - (d - PAD_BRUSH + 0.5), 0.0, 1.0);
        float *px = &self->image[r * PAD_SIDE + c];
        *px = MAX (*px, v);
      }
  self->true_label = -1;
  self->has_image = TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *drag, double x, double y, StudioDigitPadView *self)
{
  self->drag_x = x;
  self->drag_y = y;
  paint_at (self, x, y);
  reprobe (self);
}

static void
drag_update_cb (GtkGestureDrag *drag, double dx, double dy, StudioDigitPadView *self)
{
  paint_at (self, self->drag_x + dx, self->drag_y + dy);
  reprobe (self);
}

const TgProbe *
studio_digit_pad_view_get_probe (StudioDigitPadView *self)
{
  return self->probe;
}

const TgModel *
studio_digit_pad_view_get_model (StudioDigitPadView *self)
{
  return self->tm != NULL ? self->tm->model : NULL;
}

/* The modes with a probe, in order */
static PadMode *
shown_mode (StudioDigitPadView *self, guint index)
{
  for (guint i = 0; i < self->modes->len; i++)
    {
      PadMode *m = g_ptr_array_index (self->modes, i);
      if (m->probe != NULL && index-- == 0)
        return m;
    }
  return NULL;
}

guint
studio_digit_pad_view_get_n_modes (StudioDigitPadView *self)
{
  guint n = 0;
  while (shown_mode (self, n) != NULL)
    n++;
  return n;
}

const TgProbe *
studio_digit_pad_view_get_mode_probe (StudioDigitPadView *self, guint index, const char **name)
{
  PadMode *m = shown_mode (self, index);
  if (name != NULL)
    *name = m != NULL ? m->name : NULL;
  return m != NULL ? m->probe : NULL;
}

void
studio_digit_pad_view_set_modes (StudioDigitPadView *self, const TgModes *modes)
{
  g_ptr_array_set_size (self->modes, 0);
  for (guint i = 0; modes != NULL && i < tg_modes_count (modes); i++)
    {
      const TgMode *mode = tg_modes_get (modes, i);
      PadMode *m = g_new0 (PadMode, 1);
      m->name = g_strdup (mode->name);
      m->model = tg_model_copy (mode->model);
      m->sharpness = mode->sharpness;
      g_ptr_array_add (self->modes, m);
    }
  update_same (self);
  reprobe (self);
}

GtkWidget *
studio_digit_pad_view_new (void)
{
  return g_object_new (STUDIO_TYPE_DIGIT_PAD_VIEW, NULL);
}

/* One "quantity,index,value" row. */
static void
csv_row (TgCsv *csv, const char *quantity, guint index, double value)
{
  tg_csv_text (csv, quantity);
  tg_csv_uint (csv, index);
  tg_csv_number (csv, "%.6g", value);
  tg_csv_end_row (csv);
}

/* A probe's soft and hard gates, or its probabilities, each quantity's name prefixed. */
static void
csv_pairs (TgCsv *csv, const char *prefix, gboolean gates, const TgProbe *p)
{
  g_autofree char *soft = g_strconcat (prefix, gates ? "gate_soft" : "prob_soft", NULL);
  g_autofree char *hard = g_strconcat (prefix, gates ? "gate_hard" : "prob_hard", NULL);
  for (guint i = 0; i < (gates ? p->hidden_units : p->n_classes); i++)
    {
      csv_row (csv, soft, i, gates ? p->gates_soft[i] : p->prob_soft[i]);
      csv_row (csv, hard, i, gates ? p->gates_hard[i] : p->prob_hard[i]);
    }
}

/* quantity,index,value: the image as seen, each unit's soft and hard gate (index counts the
 * hidden units layer after layer), each class's probability under soft and hard gates; then
 * each mode beside it: mode_name,M,NAME and its numbers, prefixed modeM_. */
static char *
studio_digit_pad_view_data_csv (StudioView *view)
{
  StudioDigitPadView *self = STUDIO_DIGIT_PAD_VIEW (view);
  const TgProbe *p = self->probe;
  if (p == NULL)
    return NULL;
  TgCsv *csv = tg_csv_new ("quantity,index,value");
  tg_csv_set_missing (csv, "nan");
  tg_csv_text (csv, "angle");
  tg_csv_uint (csv, 0);
  tg_csv_number (csv, "%g", gtk_adjustment_get_value (self->angle_adj));
  tg_csv_end_row (csv);
  tg_csv_text (csv, "true_label");
  tg_csv_uint (csv, 0);
  tg_csv_int (csv, self->true_label);
  tg_csv_end_row (csv);
  const char *preds[] = { "pred_soft", "pred_hard" };
  for (guint k = 0; k < 2; k++)
    {
      tg_csv_text (csv, preds[k]);
      tg_csv_uint (csv, 0);
      tg_csv_uint (csv, k == 0 ? p->pred_soft : p->pred_hard);
      tg_csv_end_row (csv);
    }
  for (guint i = 0; i < PAD_PIXELS; i++)
    csv_row (csv, "image", i, p->image[i]);
  csv_pairs (csv, "", TRUE, p);
  csv_pairs (csv, "", FALSE, p);
  for (guint m = 0; m < studio_digit_pad_view_get_n_modes (self); m++)
    {
      const char *name = NULL;
      const TgProbe *q = studio_digit_pad_view_get_mode_probe (self, m, &name);
      tg_csv_text (csv, "mode_name");
      tg_csv_uint (csv, m);
      tg_csv_text (csv, name);
      tg_csv_end_row (csv);
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *what = g_strconcat ("mode_", preds[k], NULL);
          tg_csv_text (csv, what);
          tg_csv_uint (csv, m);
          tg_csv_uint (csv, k == 0 ? q->pred_soft : q->pred_hard);
          tg_csv_end_row (csv);
        }
      g_autofree char *prefix = g_strdup_printf ("mode%u_", m);
      csv_pairs (csv, prefix, FALSE, q);
      csv_pairs (csv, prefix, TRUE, q);
    }
  return tg_csv_free_to_text (csv);
}

static char *
studio_digit_pad_view_describe (StudioView *view)
{
  return g_strdup (_("One image, drawn or from the test set and rotated, as the network sees it, with the soft and hard gate of every hidden unit and the class probabilities."));
}

/* the model goes with the window, not whenever the last reference to the view does */
static void
studio_digit_pad_view_dispose (GObject *object)
{
  StudioDigitPadView *self = STUDIO_DIGIT_PAD_VIEW (object);
  g_clear_pointer (&self->probe, tg_probe_free);
  g_clear_pointer (&self->tm, studio_time_model_unref);
  g_ptr_array_set_size (self->modes, 0);
  G_OBJECT_CLASS (studio_digit_pad_view_parent_class)->dispose (object);
}

static void
studio_digit_pad_view_finalize (GObject *object)
{
  StudioDigitPadView *self = STUDIO_DIGIT_PAD_VIEW (object);
  g_clear_pointer (&self->probe, tg_probe_free);
  g_clear_pointer (&self->tm, studio_time_model_unref);
  g_ptr_array_unref (self->modes);
  G_OBJECT_CLASS (studio_digit_pad_view_parent_class)->finalize (object);
}

static void
studio_digit_pad_view_class_init (StudioDigitPadViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = studio_digit_pad_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = studio_digit_pad_view_finalize;
  view_class->draw_figure = studio_digit_pad_view_draw_figure;
  view_class->describe = studio_digit_pad_view_describe;
  view_class->dup_csv = studio_digit_pad_view_data_csv;
  view_class->history_changed = studio_digit_pad_view_history_changed;
  view_class->workspace_changed = studio_digit_pad_view_workspace_changed;
  view_class->modes_changed = studio_digit_pad_view_modes_changed;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-digit-pad-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioDigitPadView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioDigitPadView, canvas);
  gtk_widget_class_bind_template_child (widget_class, StudioDigitPadView, index_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioDigitPadView, class_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioDigitPadView, angle_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioDigitPadView, readout);
  gtk_widget_class_bind_template_callback (widget_class, index_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, angle_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_of_class_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_miss_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_cb);
}

static void
studio_digit_pad_view_init (StudioDigitPadView *self)
{
  self->true_label = -1;
  self->modes = g_ptr_array_new_with_free_func (pad_mode_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  gtk_drawing_area_set_draw_func (self->canvas, canvas_draw, self, NULL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (drag));
}
