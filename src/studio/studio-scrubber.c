/* SPDX-License-Identifier: MIT */
/* studio-scrubber.c — the time slider under the views, with play, live, the rate limit and
 * the single step. The slider's range is the current run's recorded steps; moving it sets
 * the history's time, which the views that draw τ, γ and the masks follow. */
#include "studio-scrubber.h"

#include <math.h>

#define PLAY_TICK_MS 50

struct _StudioScrubber
{
  GtkBox parent_instance;

  /* template widgets */
  GtkToggleButton *live;
  GtkToggleButton *play;
  GtkDropDown     *speed;
  GtkScale        *scale;
  GtkLabel        *step_label;
  GtkSpinButton   *rate;
  GtkButton       *step_button;

  StudioHistory *history;   /* owned ref */
  StudioTrainer *trainer;   /* owned ref */
  gboolean       syncing;   /* the slider is being moved by the code, not the user */
  guint          play_source;
  double         play_pos;  /* fractional step while playing */
};

G_DEFINE_FINAL_TYPE (StudioScrubber, studio_scrubber, GTK_TYPE_BOX)

static const double play_speeds[] = { 5, 20, 100, 500 };  /* steps per second */

static void
update_label (StudioScrubber *self)
{
  gint64 t = self->history != NULL ? studio_history_get_time (self->history) : -1;
  g_autofree char *text = t < 0 ? g_strdup ("live")
                                : g_strdup_printf ("step %" G_GINT64_FORMAT, t);
  gtk_label_set_text (self->step_label, text);
}

/* The slider's range follows the records; while live, its knob stays at the end. */
static void
history_changed_cb (StudioHistory *history, StudioScrubber *self)
{
  guint n = studio_history_get_n_times (history);
  gint64 t = studio_history_get_time (history);
  double lo = n > 0 ? (double) studio_history_get_time_step (history, 0) : 0;
  double hi = n > 0 ? (double) studio_history_get_time_step (history, n - 1) : 1;

  self->syncing = TRUE;
  gtk_range_set_range (GTK_RANGE (self->scale), lo, MAX (hi, lo + 1));
  gtk_range_set_value (GTK_RANGE (self->scale), t < 0 ? hi : (double) t);
  gtk_toggle_button_set_active (self->live, t < 0);
  self->syncing = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale), n > 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->play), n > 1);
  update_label (self);
}

static void
scale_changed_cb (GtkRange *range, StudioScrubber *self)
{
  if (self->syncing || self->history == NULL)
    return;
  studio_history_set_time (self->history, (gint64) llround (gtk_range_get_value (range)));
}

static void
live_toggled_cb (GtkToggleButton *button, StudioScrubber *self)
{
  if (self->syncing || self->history == NULL)
    return;
  if (gtk_toggle_button_get_active (button))
    {
      gtk_toggle_button_set_active (self->play, FALSE);
      studio_history_set_time (self->history, -1);
    }
  else
    studio_history_set_time (self->history,
                             (gint64) llround (gtk_range_get_value (GTK_RANGE (self->scale))));
}

static gboolean
play_tick (gpointer data)
{
  StudioScrubber *self = data;
  guint n = self->history != NULL ? studio_history_get_n_times (self->history) : 0;
  guint sel = gtk_drop_down_get_selected (self->speed);
  double speed = play_speeds[MIN (sel, G_N_ELEMENTS (play_speeds) - 1)];

  if (n == 0)
    goto stop;
  guint64 last = studio_history_get_time_step (self->history, n - 1);
  self->play_pos += speed * PLAY_TICK_MS / 1000.0;
  if (self->play_pos >= (double) last)
    {
      studio_history_set_time (self->history, (gint64) last);
      goto stop;
    }
  studio_history_set_time (self->history, (gint64) self->play_pos);
  return G_SOURCE_CONTINUE;

stop:
  self->play_source = 0;
  gtk_toggle_button_set_active (self->play, FALSE);
  return G_SOURCE_REMOVE;
}

static void
play_toggled_cb (GtkToggleButton *button, StudioScrubber *self)
{
  if (!gtk_toggle_button_get_active (button))
    {
      g_clear_handle_id (&self->play_source, g_source_remove);
      return;
    }
  if (self->history == NULL || studio_history_get_n_times (self->history) < 2)
    {
      gtk_toggle_button_set_active (button, FALSE);
      return;
    }
  /* from the knob, or from the start when it is at the end (live) */
  gint64 t = studio_history_get_time (self->history);
  self->play_pos = t >= 0 ? (double) t : (double) studio_history_get_time_step (self->history, 0);
  studio_history_set_time (self->history, (gint64) self->play_pos);
  if (self->play_source == 0)
    self->play_source = g_timeout_add (PLAY_TICK_MS, play_tick, self);
}

static void
rate_changed_cb (GtkSpinButton *spin, StudioScrubber *self)
{
  if (self->trainer != NULL)
    studio_trainer_set_rate_limit (self->trainer, gtk_spin_button_get_value (spin));
}

static void
step_clicked_cb (GtkButton *button, StudioScrubber *self)
{
  if (self->trainer != NULL)
    studio_trainer_step (self->trainer);
}

static void
trainer_state_cb (StudioTrainer *trainer, GParamSpec *pspec, StudioScrubber *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->step_button),
                            studio_trainer_get_state (trainer) == STUDIO_TRAINER_PAUSED);
}

void
studio_scrubber_set_history (StudioScrubber *self, StudioHistory *history)
{
  g_return_if_fail (STUDIO_IS_SCRUBBER (self));
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, history);
  if (history != NULL)
    {
      g_signal_connect (history, "changed", G_CALLBACK (history_changed_cb), self);
      history_changed_cb (history, self);
    }
}

void
studio_scrubber_set_trainer (StudioScrubber *self, StudioTrainer *trainer)
{
  g_return_if_fail (STUDIO_IS_SCRUBBER (self));
  if (self->trainer != NULL)
    g_signal_handlers_disconnect_by_data (self->trainer, self);
  g_set_object (&self->trainer, trainer);
  if (trainer != NULL)
    {
      g_signal_connect (trainer, "notify::state", G_CALLBACK (trainer_state_cb), self);
      trainer_state_cb (trainer, NULL, self);
      studio_trainer_set_rate_limit (trainer, gtk_spin_button_get_value (self->rate));
    }
}

void
studio_scrubber_set_step (StudioScrubber *self, gint64 step)
{
  g_return_if_fail (STUDIO_IS_SCRUBBER (self));
  if (step < 0)
    gtk_toggle_button_set_active (self->live, TRUE);
  else
    gtk_range_set_value (GTK_RANGE (self->scale), (double) step);
}

void
studio_scrubber_set_rate_limit (StudioScrubber *self, double steps_per_sec)
{
  g_return_if_fail (STUDIO_IS_SCRUBBER (self));
  gtk_spin_button_set_value (self->rate, steps_per_sec);
}

GtkButton *
studio_scrubber_get_step_button (StudioScrubber *self)
{
  return self->step_button;
}

GtkWidget *
studio_scrubber_new (void)
{
  return g_object_new (STUDIO_TYPE_SCRUBBER, NULL);
}

static void
studio_scrubber_dispose (GObject *object)
{
  StudioScrubber *self = STUDIO_SCRUBBER (object);

  g_clear_handle_id (&self->play_source, g_source_remove);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  if (self->trainer != NULL)
    g_signal_handlers_disconnect_by_data (self->trainer, self);
  g_clear_object (&self->history);
  g_clear_object (&self->trainer);
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_SCRUBBER);
  G_OBJECT_CLASS (studio_scrubber_parent_class)->dispose (object);
}

static void
studio_scrubber_class_init (StudioScrubberClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = studio_scrubber_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-scrubber.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioScrubber, live);
  gtk_widget_class_bind_template_child (widget_class, StudioScrubber, play);
  gtk_widget_class_bind_template_child (widget_class, StudioScrubber, speed);
  gtk_widget_class_bind_template_child (widget_class, StudioScrubber, scale);
  gtk_widget_class_bind_template_child (widget_class, StudioScrubber, step_label);
  gtk_widget_class_bind_template_child (widget_class, StudioScrubber, rate);
  gtk_widget_class_bind_template_child (widget_class, StudioScrubber, step_button);
  gtk_widget_class_bind_template_callback (widget_class, scale_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, live_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, play_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, rate_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, step_clicked_cb);
}

static void
studio_scrubber_init (StudioScrubber *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
