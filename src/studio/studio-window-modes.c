/* SPDX-License-Identifier: MIT */
/* studio-window-modes.c — the window's side of the Modes panel: which mode is active, its
 * measurement off the main thread (studio-mode-measure.h) handed to the views as one
 * immutable snapshot, Ctrl+1…9, and Remove, Rename, Save of an adapter; the modes a
 * finished run or Overlap brings, and the question asked before they would replace the
 * modes of another foundation. */
#include "studio-window-private.h"

#include <glib/gi18n.h>

#include <string.h>

#include "studio-angles-view.h"
#include "studio-digit-pad-view.h"
#include "studio-inspector-view.h"
#include "studio-overlap-view.h"
#include "studio-mode-map-view.h"
#include "studio-history.h"
#include "studio-mode-measure.h"
#include "tg-digest.h"
#include "studio-recent.h"

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
      TgModes *modes = studio_window_get_modes (self);
      guint active = studio_window_active_mode (self);
      const TgMode *mode = modes != NULL && active < tg_modes_count (modes)
                           ? tg_modes_get (modes, active) : NULL;
      const char *file = mode != NULL && mode->path != NULL ? mode->path
                         : modes != NULL ? modes->foundation_path : NULL;
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

  if (!studio_workspace_set_active_mode (self->workspace, index))
    return FALSE;
  studio_modes_panel_set_modes (self->modes_panel, studio_window_get_modes (self), index);
  mode = tg_modes_get (studio_window_get_modes (self), index);

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

/* The panel and the Angles view follow the modes; measure: the active mode is measured
 * again (a run's adapter needs not: the views show that run's last snapshot already). */
static void
modes_changed (StudioWindow *self, gboolean measure)
{
  StudioConfig cfg;

  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (self->settings_panel, &cfg);
  studio_angles_view_set_source (angles_view (self), studio_window_get_modes (self), &cfg);
  studio_config_clear (&cfg);
  studio_workspace_modes_changed (self->workspace);
  /* a screenshot of the Angles view sweeps what was opened */
  if (studio_window_get_modes (self) != NULL && g_strcmp0 (self->shot_view, "angles") == 0)
    studio_angles_view_start (angles_view (self));
  if (studio_window_get_modes (self) == NULL)
    {
      studio_modes_panel_set_modes (self->modes_panel, NULL, 0);
      return;
    }
  /* a screenshot of the Modes panel shows the last adapter opened */
  if (g_strcmp0 (self->shot_view, "modes") == 0)
    studio_workspace_set_active_mode (self->workspace,
                                      tg_modes_count (studio_window_get_modes (self)) - 1);
  if (measure)
    studio_window_set_active_mode (self, studio_window_active_mode (self));
  else
    studio_modes_panel_set_modes (self->modes_panel, studio_window_get_modes (self),
                                  studio_window_active_mode (self));
}

void
studio_window_modes_changed (StudioWindow *self)
{
  modes_changed (self, TRUE);
}

/* ---- asking before the modes are replaced ----------------------------------------------- */

typedef struct {
  StudioWindow      *self;
  StudioModesAnswer  answer;
  gpointer           data;
  GDestroyNotify     destroy;
} ReplaceQuestion;

static void
replace_question_free (gpointer p)
{
  ReplaceQuestion *q = p;
  if (q->destroy != NULL)
    q->destroy (q->data);
  g_free (q);
}

static void
replace_response_cb (GtkDialog *dialog, int response, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  ReplaceQuestion *q = g_object_steal_data (G_OBJECT (dialog), "question");

  self->replace_question = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (q != NULL)
    q->answer (self, q->data, response == GTK_RESPONSE_ACCEPT);
  g_clear_pointer (&q, replace_question_free);
}

void
studio_window_modes_ask_replace (StudioWindow *self, const char *title,
                                 StudioModesAnswer answer, gpointer data,
                                 GDestroyNotify destroy)
{
  ReplaceQuestion *q = g_new0 (ReplaceQuestion, 1);
  g_autoptr (GString) names = g_string_new (NULL);
  GtkWidget *dialog;

  *q = (ReplaceQuestion) { self, answer, data, destroy };
  /* one question at a time: an earlier one unanswered counts as "keep" */
  if (self->replace_question != NULL)
    gtk_dialog_response (GTK_DIALOG (self->replace_question), GTK_RESPONSE_CANCEL);
  for (guint i = 1; i < tg_modes_count (studio_window_get_modes (self)); i++)
    g_string_append_printf (names, "%s“%s”", i > 1 ? ", " : "",
                            tg_modes_get (studio_window_get_modes (self), i)->name);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", title);
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog),
    "The Modes panel holds one foundation. Replacing it closes its modes (%s); a mode trained "
    "here and not saved as a file (Save, or Save Session) is gone then. Runs stay.", names->str);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), "_Keep the Open Modes", GTK_RESPONSE_CANCEL,
                          "_Replace", GTK_RESPONSE_ACCEPT, NULL);
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                GTK_RESPONSE_ACCEPT),
                            "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data_full (G_OBJECT (dialog), "question", q, replace_question_free);
  g_signal_connect (dialog, "response", G_CALLBACK (replace_response_cb), self);
  self->replace_question = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWindow *
studio_window_get_replace_question (StudioWindow *self)
{
  return self->replace_question;
}

void
studio_window_modes_dispose (StudioWindow *self)
{
  if (self->replace_question != NULL)
    {
      GtkWindow *question = self->replace_question;
      self->replace_question = NULL;
      gtk_window_destroy (question);
    }
}

/* ---- a finished run's adapter ------------------------------------------------------------- */

static void take_run (StudioWindow *self, StudioSnapshot *snap);

static void
run_answered (StudioWindow *self, gpointer data, gboolean replace)
{
  StudioSnapshot *snap = data;

  if (replace)
    {
      studio_workspace_take_modes (self->workspace, NULL, 0);
      take_run (self, snap);
    }
  else
    studio_window_show_banner (self, GTK_MESSAGE_INFO,
                               "The run's adapter did not join the Modes panel: the open "
                               "foundation and its modes stay (the run stays in the views)");
}

/* The model whose foundation a finished job's modes have: a train job's adapted model, or
 * an overlap job's first. */
static const TgModel *
job_model (const StudioSnapshot *snap)
{
  return snap->adapted != NULL ? snap->adapted : snap->overlap_models[0];
}

void
studio_window_modes_take_run (StudioWindow *self, StudioSnapshot *snap)
{
  const TgModel *model = job_model (snap);
  g_autofree char *digest = NULL;

  /* Full fine-tuning changes the foundation itself: it is no adapter */
  if (model == NULL || model->method == TG_METHOD_FULL)
    return;
  digest = tg_foundation_digest (model);
  /* a run on a new foundation would close the modes of the open one: asked first */
  TgModes *open = studio_window_get_modes (self);
  if (open != NULL && tg_modes_count (open) > 1 && g_strcmp0 (open->digest, digest) != 0)
    {
      g_autofree char *title =
        snap->adapted != NULL
        ? g_strdup_printf ("The %s %g° run trained a new foundation: show its modes instead?",
                           tg_method_info (model->method)->label, snap->angle)
        : g_strdup ("The overlap trained a new foundation: show its modes instead?");
      studio_window_modes_ask_replace (self, title, run_answered, studio_snapshot_ref (snap),
                                       (GDestroyNotify) studio_snapshot_unref);
      return;
    }
  take_run (self, snap);
}

static void
take_run (StudioWindow *self, StudioSnapshot *snap)
{
  const TgModel *adapted = snap->adapted;
  g_autofree char *digest = tg_foundation_digest (job_model (snap));
  g_autofree char *name = NULL;
  gboolean fresh = FALSE;

  if (studio_window_get_modes (self) == NULL ||
      g_strcmp0 (studio_window_get_modes (self)->digest, digest) != 0)
    {
      studio_workspace_take_modes (self->workspace, tg_modes_new (job_model (snap)), 0);
      fresh = TRUE;
    }
  if (adapted != NULL && adapted->method != TG_METHOD_FROZEN)
    {
      name = g_strdup_printf (_("%s %g° (trained here)"), tg_method_info (adapted->method)->label,
                              snap->angle);
      guint index = tg_modes_attach_model (studio_window_get_modes (self), adapted,
                                           snap->sharpness, name, snap->angle);
      studio_workspace_set_active_mode (self->workspace, index);
    }
  /* Overlap's two models join beside the active mode, which stays what the views show */
  for (guint t = 0; adapted == NULL && t < 2; t++)
    {
      double angle = t == 0 ? 0.0 : snap->angle;
      g_autofree char *label = g_strdup_printf ("TauGate %g° (Overlap)", angle);
      tg_modes_attach_model (studio_window_get_modes (self), snap->overlap_models[t],
                             snap->sharpness, label, angle);
    }
  if (self->measuring != NULL)
    g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  /* a new foundation's Base is not what the views show yet: it is measured */
  modes_changed (self, adapted == NULL && fresh);
}

static void
mode_activated_cb (StudioModesPanel *panel, guint index, StudioWindow *self)
{
  if (index != studio_window_active_mode (self) || self->measuring == NULL)
    studio_window_set_active_mode (self, index);
}

static void
remove_mode_cb (StudioModesPanel *panel, guint index, StudioWindow *self)
{
  TgModes *modes = studio_window_get_modes (self);
  if (modes != NULL && tg_modes_remove (modes, index))
    {
      studio_workspace_set_active_mode (self->workspace, 0);
      studio_window_modes_changed (self);
    }
}

static void
rename_mode_cb (StudioModesPanel *panel, guint index, const char *name, StudioWindow *self)
{
  TgModes *modes = studio_window_get_modes (self);
  if (modes == NULL || index >= tg_modes_count (modes))
    return;
  /* a name is no reason to measure again: the numbers shown stay those of the same model */
  tg_modes_rename (studio_window_get_modes (self), index, name);
  studio_workspace_modes_changed (self->workspace);
  studio_modes_panel_set_modes (self->modes_panel, studio_window_get_modes (self),
                                studio_window_active_mode (self));
  studio_history_mark_unsaved (self->history);
}

static void
save_response_cb (GtkNativeDialog *native, int response, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (native), "index"));
  TgModes *modes = studio_window_get_modes (self);

  if (response == GTK_RESPONSE_ACCEPT && modes != NULL && index < tg_modes_count (modes))
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (path == NULL)
        studio_window_show_banner (self, GTK_MESSAGE_ERROR,
                                   _("Adapters are saved to local files only"));
      else if (!tg_modes_save_adapter (modes, index, path, &error))
        studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      else
        {
          studio_recent_add (path, STUDIO_RECENT_CHECKPOINT);
          g_autofree char *msg = g_strdup_printf (_("Saved “%s” as %s"),
                                                  tg_modes_get (modes, index)->name, path);
          studio_window_show_banner (self, GTK_MESSAGE_INFO, msg);
        }
    }
  studio_window_untrack_dialog (self, native);
}

static void
save_mode_cb (StudioModesPanel *panel, guint index, StudioWindow *self)
{
  GtkFileChooserNative *native;
  g_autofree char *name = NULL;
  TgModes *modes = studio_window_get_modes (self);

  if (modes == NULL || index == 0 || index >= tg_modes_count (modes))
    return;
  native = gtk_file_chooser_native_new (_("Save the adapter"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strdup_printf ("%s.safetensors", tg_modes_get (modes, index)->name);
  g_strdelimit (name, "/ °", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_object_set_data (G_OBJECT (native), "index", GUINT_TO_POINTER (index));
  g_signal_connect (native, "response", G_CALLBACK (save_response_cb), self);
  studio_window_track_dialog (self, native);
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
