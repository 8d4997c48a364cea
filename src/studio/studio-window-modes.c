/* studio-window-modes.c — the window's side of the Modes panel: which mode is active, its
 * measurement off the main thread (studio-mode-measure.h) handed to the views as one
 * immutable snapshot, Ctrl+1…9, and Remove, Rename, Save of an adapter. */
#include "studio-window-private.h"

#include <string.h>

#include "studio-angles-view.h"
#include "studio-digit-pad-view.h"
#include "studio-inspector-view.h"
#include "studio-overlap-view.h"
#include "studio-mode-map-view.h"
#include "studio-history.h"
#include "studio-mode-measure.h"
#include "tg-digest.h"

static void
measured_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (StudioWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioSnapshot) snap = studio_mode_measure_finish (result, &error);
  g_autofree char *status = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->measuring);
  if (snap == NULL)
    {
      /* named after the file of the mode measured (a foundation that does not fit the data) */
      const TgMode *mode = self->modes != NULL && self->active_mode < tg_modes_count (self->modes)
                           ? tg_modes_get (self->modes, self->active_mode) : NULL;
      const char *file = mode != NULL && mode->path != NULL ? mode->path
                         : self->modes != NULL ? self->modes->foundation_path : NULL;
      if (file != NULL)
        g_prefix_error (&error, "%s: ", file);
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      studio_window_screenshot_settled (self);
      return;
    }
  studio_history_show_mode (self->history, snap);
  status = studio_snapshot_format_status (snap);
  gtk_inscription_set_text (self->status_label, status);
  /* the Angles view's and the Mode Map's screenshots wait for their measurements instead */
  if (g_strcmp0 (self->shot_view, "angles") != 0 && g_strcmp0 (self->shot_view, "mode-map") != 0)
    studio_window_maybe_screenshot (self, snap);
}

static StudioAnglesView *
angles_view (StudioWindow *self)
{
  return STUDIO_ANGLES_VIEW (studio_window_get_view (self, "angles"));
}

static void
sweep_done_cb (StudioAnglesView *view, StudioWindow *self)
{
  g_autoptr (StudioSnapshot) done = studio_snapshot_new ();
  done->finished = TRUE;
  if (g_strcmp0 (self->shot_view, "angles") == 0)
    studio_window_maybe_screenshot (self, done);
}

static void
map_measured_cb (StudioModeMapView *view, StudioWindow *self)
{
  g_autoptr (StudioSnapshot) done = studio_snapshot_new ();
  done->finished = TRUE;
  if (g_strcmp0 (self->shot_view, "mode-map") == 0)
    studio_window_maybe_screenshot (self, done);
}

gboolean
studio_window_set_active_mode (StudioWindow *self, guint index)
{
  StudioConfig cfg;
  TgMode *mode;

  if (self->modes == NULL || index >= tg_modes_count (self->modes))
    return FALSE;
  self->active_mode = index;
  studio_modes_panel_set_modes (self->modes_panel, self->modes, index);
  mode = tg_modes_get (self->modes, index);

  if (self->measuring != NULL)
    g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  self->measuring = g_cancellable_new ();
  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (self->settings_panel, &cfg);
  studio_mode_measure_async (mode->model, mode->sharpness, mode->name, &cfg, self->measuring,
                             measured_cb, g_object_ref (self));
  studio_config_clear (&cfg);
  return TRUE;
}

gboolean
studio_window_is_measuring (StudioWindow *self)
{
  return self->measuring != NULL;
}

/* The digit pad and the inspector show every mode beside the one active. */
void
studio_window_modes_share (StudioWindow *self)
{
  studio_digit_pad_view_set_modes (STUDIO_DIGIT_PAD_VIEW (studio_window_get_view (self, "digit-pad")),
                                   self->modes);
  studio_inspector_view_set_modes (STUDIO_INSPECTOR_VIEW (studio_window_get_view (self, "inspector")),
                                   self->modes);
  studio_overlap_view_set_modes (STUDIO_OVERLAP_VIEW (studio_window_get_view (self, "overlap")),
                                 self->modes);
  studio_mode_map_view_set_modes (STUDIO_MODE_MAP_VIEW (studio_window_get_view (self,
                                                                                "mode-map")),
                                  self->modes);
}

/* The panel and the Angles view follow the modes; measure: the active mode is measured
 * again (a run's adapter needs not: the views show that run's last snapshot already). */
static void
modes_changed (StudioWindow *self, gboolean measure)
{
  StudioConfig cfg;

  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (self->settings_panel, &cfg);
  studio_angles_view_set_source (angles_view (self), self->modes, &cfg);
  studio_config_clear (&cfg);
  studio_window_modes_share (self);
  /* a screenshot of the Angles view sweeps what was opened */
  if (self->modes != NULL && g_strcmp0 (self->shot_view, "angles") == 0)
    studio_angles_view_start (angles_view (self));
  if (self->modes == NULL)
    {
      studio_modes_panel_set_modes (self->modes_panel, NULL, 0);
      return;
    }
  if (self->active_mode >= tg_modes_count (self->modes))
    self->active_mode = 0;
  /* a screenshot of the Modes panel shows the last adapter opened */
  if (g_strcmp0 (self->shot_view, "modes") == 0)
    self->active_mode = tg_modes_count (self->modes) - 1;
  if (measure)
    studio_window_set_active_mode (self, self->active_mode);
  else
    studio_modes_panel_set_modes (self->modes_panel, self->modes, self->active_mode);
}

void
studio_window_modes_changed (StudioWindow *self)
{
  modes_changed (self, TRUE);
}

void
studio_window_modes_take_run (StudioWindow *self, StudioSnapshot *snap)
{
  const TgModel *adapted = snap->adapted;
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  /* Full fine-tuning changes the foundation itself: it is no adapter */
  if (adapted->method == TG_METHOD_FULL)
    return;
  digest = tg_foundation_digest (adapted);
  if (self->modes == NULL || g_strcmp0 (self->modes->digest, digest) != 0)
    {
      g_clear_pointer (&self->modes, tg_modes_free);
      self->modes = tg_modes_new (adapted);
      self->active_mode = 0;
    }
  if (adapted->method != TG_METHOD_FROZEN)
    {
      name = g_strdup_printf ("%s %g° (trained here)", tg_method_info (adapted->method)->label,
                              snap->angle);
      self->active_mode = tg_modes_attach_model (self->modes, adapted, snap->sharpness, name,
                                                 snap->angle);
    }
  if (self->measuring != NULL)
    g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  modes_changed (self, FALSE);
}

static void
mode_activated_cb (StudioModesPanel *panel, guint index, StudioWindow *self)
{
  if (index != self->active_mode || self->measuring == NULL)
    studio_window_set_active_mode (self, index);
}

static void
remove_mode_cb (StudioModesPanel *panel, guint index, StudioWindow *self)
{
  if (self->modes != NULL && tg_modes_remove (self->modes, index))
    {
      self->active_mode = 0;
      studio_window_modes_changed (self);
    }
}

static void
rename_mode_cb (StudioModesPanel *panel, guint index, const char *name, StudioWindow *self)
{
  if (self->modes == NULL || index >= tg_modes_count (self->modes))
    return;
  tg_modes_rename (self->modes, index, name);
  studio_window_modes_changed (self);
}

static void
save_response_cb (GtkNativeDialog *native, int response, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (native), "index"));

  if (response == GTK_RESPONSE_ACCEPT && self->modes != NULL &&
      index < tg_modes_count (self->modes))
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (path == NULL)
        studio_window_show_banner (self, GTK_MESSAGE_ERROR, "Adapters are saved to local files only");
      else if (!tg_modes_save_adapter (self->modes, index, path, &error))
        studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      else
        {
          g_autofree char *msg = g_strdup_printf ("Saved “%s” as %s",
                                                  tg_modes_get (self->modes, index)->name, path);
          studio_window_show_banner (self, GTK_MESSAGE_INFO, msg);
        }
    }
  g_object_unref (native);
}

static void
save_mode_cb (StudioModesPanel *panel, guint index, StudioWindow *self)
{
  GtkFileChooserNative *native;
  g_autofree char *name = NULL;

  if (self->modes == NULL || index == 0 || index >= tg_modes_count (self->modes))
    return;
  native = gtk_file_chooser_native_new ("Save the adapter", GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel");
  name = g_strdup_printf ("%s.safetensors", tg_modes_get (self->modes, index)->name);
  g_strdelimit (name, "/ °", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_object_set_data (G_OBJECT (native), "index", GUINT_TO_POINTER (index));
  g_signal_connect (native, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static gboolean
ctrl_digit_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  return studio_window_set_active_mode (STUDIO_WINDOW (widget), g_variant_get_uint32 (args));
}

/* A pair clicked in the mode map opens in Overlap. */
static void
pair_activated_cb (StudioModeMapView *view, guint a, guint b, StudioWindow *self)
{
  studio_window_show_view (self, "overlap");
  studio_overlap_view_compare (STUDIO_OVERLAP_VIEW (studio_window_get_view (self, "overlap")),
                               a, b);
}

void
studio_window_modes_init (StudioWindow *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  g_signal_connect (self->modes_panel, "mode-activated", G_CALLBACK (mode_activated_cb), self);
  g_signal_connect (self->modes_panel, "remove-mode", G_CALLBACK (remove_mode_cb), self);
  g_signal_connect (self->modes_panel, "rename-mode", G_CALLBACK (rename_mode_cb), self);
  g_signal_connect (self->modes_panel, "save-mode", G_CALLBACK (save_mode_cb), self);
  g_signal_connect (angles_view (self), "sweep-done", G_CALLBACK (sweep_done_cb), self);
  /* the view may outlive the window while its measurement ends */
  g_signal_connect_object (studio_window_get_view (self, "mode-map"), "pair-activated",
                           G_CALLBACK (pair_activated_cb), self, 0);
  g_signal_connect_object (studio_window_get_view (self, "mode-map"), "measured",
                           G_CALLBACK (map_measured_cb), self, 0);
  /* Ctrl+1…9: the modes in the panel's order */
  for (guint i = 0; i < 9; i++)
    {
      GtkShortcut *sc = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_1 + i, GDK_CONTROL_MASK),
                                          gtk_callback_action_new (ctrl_digit_cb, NULL, NULL));
      gtk_shortcut_set_arguments (sc, g_variant_new_uint32 (i));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), sc);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
