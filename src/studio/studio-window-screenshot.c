/* studio-window-screenshot.c — screenshot automation (taugate-studio --screenshot FILE
 * [--screenshot-view NAME|all|export-dialog], --export-all DIR and --save-session DIR): once
 * the run has gone
 * far enough, or the window has nothing more on its way (files opened or refused), show the
 * view, let it draw, save the window as PNG (or the export dialog over Curves, or every view
 * as Export All writes them), close. It only watches what the window does; its state is the
 * window's, none is global. */
#include "studio-window-private.h"

#include <string.h>

#include "studio-view.h"
#include "studio-export-dialog.h"
#include "studio-inspector-view.h"
#include "studio-masks-view.h"

static gboolean take_screenshot (gpointer data);

/* For a screenshot of Masks: the pointer over the most selective unit in the current order
 * (the first column of the selected unit's layer, or the second when that is the selected
 * one), at the digit it fires for most at the target, so that the picture shows the hover
 * readout beside the selected unit's outline. */
static void
pose_units (StudioWindow *self, const char *view_name)
{
  StudioMasksView *masks = STUDIO_MASKS_VIEW (studio_window_get_view (self, "masks"));
  StudioSnapshot *snap = studio_history_get_masks (self->history);
  guint layer, index;
  double x, y;

  if (g_strcmp0 (view_name, "masks") != 0 || snap == NULL || snap->firing_rot_hard == NULL ||
      !studio_view_get_selected_unit (STUDIO_VIEW (masks), &layer, &index) ||
      layer >= snap->n_hidden || snap->widths[layer] < 2)
    return;
  guint unit = studio_masks_view_get_column_unit (masks, layer, 0);
  if (unit == index)
    unit = studio_masks_view_get_column_unit (masks, layer, 1);
  guint32 off = 0;
  for (guint l = 0; l < layer; l++)
    off += snap->widths[l];
  const float *rate = snap->firing_rot_hard + off + unit;
  guint best = 0;
  for (guint c = 1; c < snap->n_classes; c++)
    if (rate[(gsize) c * snap->hidden_units] > rate[(gsize) best * snap->hidden_units])
      best = c;
  if (studio_masks_view_locate (masks, layer, 1, best, unit, &x, &y))
    studio_view_hover (STUDIO_VIEW (masks), x, y);
}

void
studio_window_maybe_screenshot (StudioWindow *self, StudioSnapshot *snap)
{
  if (!self->shot_armed || self->shot_taken || self->shot_source != 0)
    return;
  if (!g_queue_is_empty (&self->job_queue) || self->queue_source != 0)
    return; /* more to run first */
  gboolean done = snap->finished;
  if (snap->job == STUDIO_JOB_TRAIN && snap->step >= self->shot_steps &&
      snap->phase != STUDIO_PHASE_LOADING)
    done = TRUE;
  if (!done)
    return;
  /* the view asked for, whatever a job showed since; then a few frames to draw */
  if (self->shot_view != NULL && strcmp (self->shot_view, "all") != 0)
    studio_window_show_view (self, self->shot_view);
  pose_units (self, self->shot_view);
  self->shot_source = g_timeout_add (400, take_screenshot, self);
}

void
studio_window_screenshot_settled (StudioWindow *self)
{
  /* a job's last snapshot, or the end of a measurement, comes later and takes the shot */
  if (studio_trainer_is_busy (self->trainer) || studio_window_is_measuring (self))
    return;
  g_autoptr (StudioSnapshot) done = studio_snapshot_new ();
  done->finished = TRUE;
  studio_window_maybe_screenshot (self, done);
}

/* --export-all: what Export All writes, at the size and style asked for; each file on
 * stdout, a failure on stderr and in the caller's flag. */
static void
export_all_now (StudioWindow *self)
{
  g_autoptr (GError) error = NULL;
  if (!studio_window_export_all_sized (self, self->shot_export_dir, self->shot_export_width,
                                       self->shot_export_height, &self->shot_export_style,
                                       &error))
    {
      g_printerr ("taugate-studio: --export-all: %s\n", error->message);
      return;
    }
  if (self->shot_export_failed != NULL)
    *self->shot_export_failed = FALSE;
  g_print ("%s\n", self->shot_export_dir);
}

/* --save-session: the session saved once, before anything else the automation writes; the
 * folder on stdout, a failure on stderr and in the caller's flag. */
static void
save_session_now (StudioWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_steal_pointer (&self->shot_session_dir);
  if (!studio_window_save_session (self, dir, &error))
    {
      g_printerr ("taugate-studio: --save-session: %s\n", error->message);
      return;
    }
  if (self->shot_session_failed != NULL)
    *self->shot_session_failed = FALSE;
  g_print ("%s\n", dir);
}

static gboolean
take_screenshot (gpointer data)
{
  StudioWindow *self = data;
  g_autoptr (GError) error = NULL;
  const char *const *names = studio_window_view_names ();

  self->shot_source = 0;
  /* the inspector's figure is measured off the main thread: wait for it */
  GtkWidget *insp = gtk_stack_get_visible_child (self->stack);
  if (STUDIO_IS_INSPECTOR_VIEW (insp) && studio_inspector_view_is_busy (STUDIO_INSPECTOR_VIEW (insp)))
    {
      self->shot_source = g_timeout_add (200, take_screenshot, self);
      return G_SOURCE_REMOVE;
    }
  if (self->shot_session_dir != NULL)
    save_session_now (self);
  if (self->shot_export_dir != NULL)
    export_all_now (self);
  else if (self->shot_path != NULL)
    {
      if (g_strcmp0 (self->shot_view, "all") == 0)
        {
          /* one view per call: show it, wait for it to draw, save, go on */
          if (self->shot_index > 0)
            {
              g_autofree char *stem = g_strdup (self->shot_path);
              char *dot = strrchr (stem, '.');
              if (dot != NULL)
                *dot = '\0';
              g_autofree char *path = g_strdup_printf ("%s-%s.png", stem, names[self->shot_index - 1]);
              if (!studio_widget_save_png (GTK_WIDGET (self), path, &error))
                g_printerr ("taugate-studio: %s\n", error->message);
              else
                g_print ("%s\n", path);
              g_clear_error (&error);
            }
          if (names[self->shot_index] != NULL)
            {
              studio_window_show_view (self, names[self->shot_index]);
              self->shot_index++;
              self->shot_source = g_timeout_add (400, take_screenshot, self);
              return G_SOURCE_REMOVE;
            }
        }
      else if (g_strcmp0 (self->shot_view, "export-dialog") == 0)
        {
          /* the export dialog on the Curves view: opened, given time to draw its preview,
           * then saved on its own */
          if (self->shot_dialog == NULL)
            {
              self->shot_dialog = GTK_WIDGET (studio_export_dialog_new (
                GTK_WINDOW (self), STUDIO_VIEW (studio_window_get_view (self, "curves"))));
              g_object_add_weak_pointer (G_OBJECT (self->shot_dialog),
                                         (gpointer *) &self->shot_dialog);
              gtk_window_present (GTK_WINDOW (self->shot_dialog));
              self->shot_source = g_timeout_add (800, take_screenshot, self);
              return G_SOURCE_REMOVE;
            }
          if (!studio_widget_save_png (self->shot_dialog, self->shot_path, &error))
            g_printerr ("taugate-studio: %s\n", error->message);
          else
            g_print ("%s\n", self->shot_path);
          gtk_window_destroy (GTK_WINDOW (self->shot_dialog));
        }
      else if (!studio_widget_save_png (GTK_WIDGET (self), self->shot_path, &error))
        g_printerr ("taugate-studio: %s\n", error->message);
      else
        g_print ("%s\n", self->shot_path);
    }
  self->shot_taken = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

void
studio_window_schedule_screenshot (StudioWindow *self, guint64 steps, const char *png_path,
                                   const char *view)
{
  g_free (self->shot_path);
  g_free (self->shot_view);
  self->shot_path = g_strdup (png_path);
  self->shot_view = g_strdup (view);
  self->shot_steps = steps;
  self->shot_armed = TRUE;
  if (view != NULL && strcmp (view, "all") != 0)
    studio_window_show_view (self, view);
}


void
studio_window_schedule_export_all (StudioWindow *self, guint64 steps, const char *dir,
                                   double width, double height, const TgPlotStyle *style,
                                   gboolean *failed)
{
  studio_window_schedule_screenshot (self, steps, NULL, NULL);
  g_free (self->shot_export_dir);
  self->shot_export_dir = g_strdup (dir);
  self->shot_export_width = width;
  self->shot_export_height = height;
  self->shot_export_style = *style;
  /* failed until written: a window closed before its export has not exported */
  self->shot_export_failed = failed;
  if (failed != NULL)
    *failed = TRUE;
}

void
studio_window_schedule_save_session (StudioWindow *self, const char *dir, gboolean *failed)
{
  g_free (self->shot_session_dir);
  self->shot_session_dir = g_strdup (dir);
  self->shot_session_failed = failed;
  if (failed != NULL)
    *failed = TRUE;
}
