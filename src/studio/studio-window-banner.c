/* studio-window-banner.c — the window's message bar, and what it says when a job ends:
 * a collapse, a failure (a stop is not one). */
#include "studio-window-private.h"

#include <glib/gi18n.h>

#include <math.h>

#include "tg-experiment.h"

/* ---- banner ----------------------------------------------------------------------- */

/* The first button under w that shows no text (an info bar's close button), or NULL. */
static GtkWidget *
icon_button (GtkWidget *w)
{
  if (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)) == NULL &&
      !GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (w))))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = icon_button (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
studio_info_bar_name_close_button (GtkInfoBar *bar)
{
  /* GTK 4.8 gives the close button (an icon) no accessible name: a screen reader says only
   * "button" */
  GtkWidget *close = icon_button (GTK_WIDGET (bar));
  if (close != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    "Close", -1);
}

void
studio_window_show_banner (StudioWindow *self, GtkMessageType type, const char *message)
{
  g_free (self->banner_text);
  self->banner_text = g_strdup (message);
  self->banner_is_error = type == GTK_MESSAGE_ERROR;
  gtk_label_set_text (self->banner_label, message);
  gtk_info_bar_set_message_type (self->banner, type);
  gtk_info_bar_set_revealed (self->banner, TRUE);
}

void
studio_window_hide_banner (StudioWindow *self)
{
  g_clear_pointer (&self->banner_text, g_free);
  gtk_info_bar_set_revealed (self->banner, FALSE);
}

const char *
studio_window_get_banner (StudioWindow *self)
{
  return self->banner_text;
}

gboolean
studio_window_get_banner_is_error (StudioWindow *self)
{
  return self->banner_text != NULL && self->banner_is_error;
}

void
studio_window_dismiss_banner (StudioWindow *self)
{
  gtk_info_bar_response (self->banner, GTK_RESPONSE_CLOSE);
}

void
studio_window_banner_response_cb (GtkInfoBar *bar, int response, StudioWindow *self)
{
  studio_window_hide_banner (self);
}

/* A run that ended with a finite loss far worse than guessing (tg_loss_collapsed, as the
 * CLI's exit status 3) is said in the banner, so its numbers are not taken for a result. */
static void
report_collapse (StudioWindow *self, const StudioSnapshot *snap)
{
  const StudioRun *run = studio_history_get_current (self->history);
  guint32 n_classes = snap->n_classes > 0 ? snap->n_classes : 10;
  double loss = NAN;

  if (run == NULL)
    return;
  for (guint i = run->loss->len; i > 0 && isnan (loss); i--)
    loss = g_array_index (run->loss, double, i - 1);
  if (!isfinite (loss) || !tg_loss_collapsed (loss, n_classes))
    return;
  g_autofree char *msg =
    g_strdup_printf (_("%s collapsed: its last loss %.3g is far worse than guessing (%.2f); "
                     "its accuracies are not a result. Lower the learning rate (now %g)."),
                     run->name, loss, log ((double) n_classes), (double) snap->lr);
  studio_window_show_banner (self, GTK_MESSAGE_WARNING, msg);
}

/* What the banner says about a job that just ended. */
void
studio_window_report_finished (StudioWindow *self, const StudioSnapshot *snap)
{
  if (snap->error == NULL && snap->job == STUDIO_JOB_TRAIN)
    report_collapse (self, snap);
  if (snap->error == NULL && snap->experiment != NULL)
    {
      /* an adaptation that collapsed stays in the table: say which */
      g_autoptr (GError) collapse = NULL;
      if (!tg_experiment_results_check_collapse (snap->experiment, NULL, &collapse))
        studio_window_show_banner (self, GTK_MESSAGE_WARNING, collapse->message);
    }
  if (snap->error != NULL &&
      !g_error_matches (snap->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (snap->error, TG_ERROR, TG_ERROR_CANCELLED))
    {
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, snap->error->message);
      g_printerr ("taugate-studio: %s\n", snap->error->message);
    }
}
