/* SPDX-License-Identifier: MIT */
/* studio-window.c — the main window and the one place the views are registered. */
#include "studio-window-private.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <string.h>

#include "studio-view.h"
#include "studio-curves-view.h"
#include "studio-neurons-view.h"
#include "studio-masks-view.h"
#include "studio-overlap-view.h"
#include "studio-mode-map-view.h"
#include "studio-sparsity-view.h"
#include "studio-results-view.h"
#include "studio-angles-view.h"
#include "studio-inspector-view.h"
#include "studio-recent.h"
#include "studio-digit-pad-view.h"
#include "studio-dynamics-view.h"
#include "studio-scrubber.h"
#include "studio-resources.h"
#include "tg-report.h"
#include "tg-experiment.h"


G_DEFINE_FINAL_TYPE (StudioWindow, studio_window, GTK_TYPE_APPLICATION_WINDOW)

/* ---- the views: registered here and nowhere else ------------------------------------ */

typedef struct {
  const char *name;
  const char *title;
  GtkWidget *(*create) (void);
} ViewEntry;

static const ViewEntry view_table[] = {
  { "curves",  N_("Curves"),  studio_curves_view_new },
  { "neurons", N_("Neurons"), studio_neurons_view_new },
  { "masks",   N_("Masks"),   studio_masks_view_new },
  { "overlap", N_("Overlap"), studio_overlap_view_new },
  { "mode-map", N_("Map"), studio_mode_map_view_new },  /* "Mode Map": the tabs would pass 1160 px */
  { "results", N_("Results"), studio_results_view_new },
  { "angles",  N_("Angles"),  studio_angles_view_new },
  { "inspector", N_("Inspector"), studio_inspector_view_new },
  { "digit-pad", N_("Digit Pad"), studio_digit_pad_view_new },
  { "dynamics", N_("Dynamics"), studio_dynamics_view_new },
  { "sparsity", N_("Sparsity"), studio_sparsity_view_new },
};

const char *const *
studio_window_view_names (void)
{
  static const char *names[G_N_ELEMENTS (view_table) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (view_table); i++)
      names[i] = view_table[i].name;
  return names;
}

/* A unit picked in any view (the workspace's selected unit now, which every view outlines
 * and the inspector measures): the inspector is shown. */
static void
unit_selected_cb (StudioView *view, guint layer, guint index, StudioWindow *self)
{
  studio_window_show_view (self, "inspector");
}

static void
add_views (StudioWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (view_table); i++)
    {
      GtkWidget *view = view_table[i].create ();
      gtk_stack_add_titled (self->stack, view, view_table[i].name, _(view_table[i].title));
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(view_table[i].title), -1);
      studio_view_set_workspace (STUDIO_VIEW (view), self->workspace);
      g_signal_connect_object (view, "unit-selected", G_CALLBACK (unit_selected_cb), self, 0);
    }
}

GtkWidget *
studio_window_get_view (StudioWindow *self, const char *name)
{
  return gtk_stack_get_child_by_name (self->stack, name);
}

void
studio_window_show_view (StudioWindow *self, const char *name)
{
  /* the Modes panel is in the side panel, always shown: beside the Neurons view */
  if (g_strcmp0 (name, "modes") == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "neurons");
      studio_modes_panel_focus (self->modes_panel);
      return;
    }
  /* the export dialog is shown over Curves */
  gtk_stack_set_visible_child_name (self->stack,
                                    g_strcmp0 (name, "export-dialog") == 0 ? "curves" : name);
}

/* ---- settings ------------------------------------------------------------------------ */

/* The live controls as the panel shows them, to the worker as one change. */
static void
push_controls (StudioWindow *self)
{
  StudioConfig cfg;

  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (self->settings_panel, &cfg);
  studio_trainer_set_controls (self->trainer, cfg.sharpness, cfg.lambda, cfg.lr,
                               cfg.hard_gates);
  studio_config_clear (&cfg);
}

static void
controls_changed_cb (StudioSettingsPanel *panel, StudioWindow *self)
{
  push_controls (self);
}

void
studio_window_set_lambda (StudioWindow *self, double lambda)
{
  studio_settings_panel_set_lambda (self->settings_panel, lambda);
}

void
studio_window_set_sharpness (StudioWindow *self, double s)
{
  studio_settings_panel_set_sharpness (self->settings_panel, s);
}

void
studio_window_set_method (StudioWindow *self, TgMethod method)
{
  g_return_if_fail (method < TG_N_METHODS);
  gtk_drop_down_set_selected (self->method_dropdown, method);
}

/* The settings of the next run: the panel's, with the header bar's method.
 * out: uninitialised; the caller clears it. */
static void
collect_config (StudioWindow *self, StudioConfig *out)
{
  studio_config_init_paper (out);
  studio_settings_panel_collect (self->settings_panel, out);
  out->method = (TgMethod) gtk_drop_down_get_selected (self->method_dropdown);
}

static void
apply_config (StudioWindow *self, const StudioConfig *cfg)
{
  gtk_drop_down_set_selected (self->method_dropdown, cfg->method);
  studio_settings_panel_set_config (self->settings_panel, cfg);
  studio_workspace_set_data_dir (self->workspace, cfg->data_dir);
  push_controls (self);
  if (cfg->data_dir != NULL && !g_file_test (cfg->data_dir, G_FILE_TEST_IS_DIR))
    {
      /* say so now, not only once Train fails */
      g_autofree char *msg = g_strdup_printf (_("The data folder %s does not exist: choose one "
                                              "under Data set"), cfg->data_dir);
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, msg);
    }
}

/* ---- status ---------------------------------------------------------------------------- */

static void
update_status (StudioWindow *self)
{
  g_autofree char *text =
    studio_snapshot_format_status (studio_history_get_status (self->history));
  gtk_inscription_set_text (self->status_label, text);
}

static void
set_action_enabled (StudioWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (StudioWindow *self)
{
  StudioTrainerState state = studio_trainer_get_state (self->trainer);
  gboolean busy = studio_trainer_is_busy (self->trainer);

  set_action_enabled (self, "train", !busy || state == STUDIO_TRAINER_PAUSED);
  set_action_enabled (self, "pause", busy && state == STUDIO_TRAINER_RUNNING);
  set_action_enabled (self, "stop", busy);
  set_action_enabled (self, "run-overlap", !busy);
  set_action_enabled (self, "run-comparison", !busy);
  set_action_enabled (self, "run-sweep", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->method_dropdown), !busy);
  studio_settings_panel_set_run_sensitive (self->settings_panel, !busy);
}

static void
trainer_state_cb (StudioTrainer *trainer, GParamSpec *pspec, StudioWindow *self)
{
  update_actions (self);
}

static gboolean start_job (StudioWindow *self, StudioJob job);

/* ---- the trainer's snapshots ------------------------------------------------------------ */

static gboolean
start_queued (gpointer data)
{
  StudioWindow *self = data;
  StudioJob job;

  self->queue_source = 0;
  if (g_queue_is_empty (&self->job_queue) || studio_trainer_is_busy (self->trainer))
    return G_SOURCE_REMOVE;
  job = GPOINTER_TO_INT (g_queue_pop_head (&self->job_queue));
  if (start_job (self, job) && job != STUDIO_JOB_TRAIN)
    studio_window_show_view (self, job == STUDIO_JOB_OVERLAP ? "overlap"
                                   : job == STUDIO_JOB_SWEEP ? "sparsity" : "results");
  return G_SOURCE_REMOVE;
}

void
studio_window_queue_job (StudioWindow *self, StudioJob job)
{
  g_queue_push_tail (&self->job_queue, GINT_TO_POINTER (job));
  if (!studio_trainer_is_busy (self->trainer) && self->queue_source == 0)
    self->queue_source = g_idle_add (start_queued, self);
}

static void
snapshot_cb (StudioTrainer *trainer, StudioSnapshot *snap, StudioWindow *self)
{
  studio_history_add (self->history, snap);
  update_status (self);
  if (snap->finished && (snap->adapted != NULL || snap->overlap_models[1] != NULL) &&
      snap->error == NULL)
    studio_window_modes_take_run (self, snap);
  if (snap->finished)
    studio_window_report_finished (self, snap);
  if (snap->finished && !g_queue_is_empty (&self->job_queue) && self->queue_source == 0)
    {
      if (snap->error != NULL)
        g_queue_clear (&self->job_queue); /* a failed or stopped job ends the sequence */
      else
        self->queue_source = g_idle_add (start_queued, self);
    }
  studio_window_maybe_screenshot (self, snap);
}

/* ---- run control ------------------------------------------------------------------------- */

static gboolean
start_job (StudioWindow *self, StudioJob job)
{
  g_autoptr (GError) error = NULL;
  StudioConfig cfg;

  collect_config (self, &cfg);
  /* the data set shown until the run's first model says its own */
  studio_workspace_set_data_dir (self->workspace, cfg.data_dir);
  gboolean ok = studio_trainer_start (self->trainer, job, &cfg, NULL, &error);
  studio_config_clear (&cfg);
  if (!ok)
    {
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return FALSE;
    }
  if (self->banner_text != NULL && self->banner_is_error)
    studio_window_hide_banner (self);
  update_actions (self);
  return TRUE;
}

gboolean
studio_window_train (StudioWindow *self)
{
  if (studio_trainer_get_state (self->trainer) == STUDIO_TRAINER_PAUSED)
    {
      studio_trainer_set_paused (self->trainer, FALSE);
      return TRUE;
    }
  if (studio_trainer_is_busy (self->trainer))
    return FALSE;
  return start_job (self, STUDIO_JOB_TRAIN);
}

void
studio_window_pause (StudioWindow *self)
{
  if (studio_trainer_is_busy (self->trainer))
    studio_trainer_set_paused (self->trainer, TRUE);
}

void
studio_window_stop (StudioWindow *self)
{
  g_queue_clear (&self->job_queue);
  g_clear_handle_id (&self->queue_source, g_source_remove);
  studio_trainer_stop (self->trainer);
  update_actions (self);
}

void
studio_window_reset (StudioWindow *self)
{
  g_queue_clear (&self->job_queue);
  g_clear_handle_id (&self->queue_source, g_source_remove);
  studio_trainer_forget (self->trainer);
  studio_history_clear (self->history);
  studio_window_hide_banner (self);
  update_status (self);
  update_actions (self);
}

static void
action_train (GSimpleAction *action, GVariant *param, gpointer self)
{
  studio_window_train (self);
}

static void
action_pause (GSimpleAction *action, GVariant *param, gpointer self)
{
  studio_window_pause (self);
}

static void
action_stop (GSimpleAction *action, GVariant *param, gpointer self)
{
  studio_window_stop (self);
}

static void
reset_response_cb (GtkDialog *dialog, int response, gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    studio_window_reset (STUDIO_WINDOW (data));
}

/* Reset discards every run: asked first when there is one to lose. */
static void
action_reset (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  guint n = studio_history_get_n_runs (self->history);
  GtkWidget *dialog;

  if (n == 0)
    {
      studio_window_reset (self);
      return;
    }
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   ngettext ("Discard %u run?", "Discard %u runs?", n), n);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
    _("Reset forgets every run's curves and results; the open modes stay."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Reset"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                GTK_RESPONSE_ACCEPT),
                            "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reset_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_toggle (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  if (studio_trainer_get_state (self->trainer) == STUDIO_TRAINER_RUNNING)
    studio_window_pause (self);
  else
    studio_window_train (self);
}

static void
action_run_overlap (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  if (start_job (self, STUDIO_JOB_OVERLAP))
    studio_window_show_view (self, "overlap");
}

static void
action_run_comparison (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  if (start_job (self, STUDIO_JOB_EXPERIMENT))
    studio_window_show_view (self, "results");
}

static void
action_run_sweep (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  if (start_job (self, STUDIO_JOB_SWEEP))
    studio_window_show_view (self, "sparsity");
}

/* The window's actions ("win.NAME"); their accelerators are bound once, by the application
 * (studio-application.c), and listed in the shortcuts window (ui/help-overlay.ui). */
static const GActionEntry win_actions[] = {
  { .name = "train",          .activate = action_train },
  { .name = "pause",          .activate = action_pause },
  { .name = "toggle",         .activate = action_toggle },
  { .name = "stop",           .activate = action_stop },
  { .name = "reset",          .activate = action_reset },
  { .name = "export",         .activate = studio_window_export_activate },
  { .name = "export-choose",  .activate = studio_window_export_choose_activate },
  { .name = "export-all",     .activate = studio_window_export_all_activate },
  { .name = "run-overlap",    .activate = action_run_overlap },
  { .name = "run-comparison", .activate = action_run_comparison },
  { .name = "open",           .activate = studio_window_open_activate },
  { .name = "run-sweep",      .activate = action_run_sweep },
  { .name = "save-session",   .activate = studio_window_save_session_activate },
  { .name = "save-session-as", .activate = studio_window_save_session_as_activate },
  { .name = "open-session",   .activate = studio_window_open_session_activate },
};

/* Space: what GtkWindow's own binding does (activate the focused widget: a switch toggles),
 * and where nothing takes it, Train or Pause. */
static gboolean
space_cb (GtkWidget *widget, GVariant *args, gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));

  if (focus != NULL && gtk_widget_is_sensitive (focus) && gtk_widget_activate (focus))
    return TRUE;
  return gtk_widget_activate_action (widget, "win.toggle", NULL);
}

/* ---- life cycle ---------------------------------------------------------------------------- */

StudioTrainer *studio_window_get_trainer (StudioWindow *self) { return self->trainer; }
StudioHistory *studio_window_get_history (StudioWindow *self) { return self->history; }
StudioWorkspace *studio_window_get_workspace (StudioWindow *self) { return self->workspace; }

StudioWindow *
studio_window_new (GtkApplication *app, const StudioConfig *cfg)
{
  StudioWindow *self = g_object_new (STUDIO_TYPE_WINDOW, "application", app, NULL);
  StudioConfig paper;

  if (cfg == NULL)
    {
      studio_config_init_paper (&paper);
      apply_config (self, &paper);
    }
  else
    apply_config (self, cfg);
  return self;
}

static gboolean
close_request_cb (GtkWindow *window, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (window);
  /* a window closed mid-run stops its worker before anything goes */
  g_signal_handlers_disconnect_by_data (self->trainer, self);
  studio_trainer_stop (self->trainer);
  /* unsaved runs are kept, without asking, and offered back by the next window */
  studio_window_session_autosave (self);
  return FALSE;
}

static void
studio_window_dispose (GObject *object)
{
  StudioWindow *self = STUDIO_WINDOW (object);

  g_clear_handle_id (&self->shot_source, g_source_remove);
  g_clear_handle_id (&self->queue_source, g_source_remove);
  g_queue_clear (&self->job_queue);
  if (self->trainer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->trainer, self);
      studio_trainer_stop (self->trainer);
    }
  studio_window_close_export_dialogs (self);
  studio_window_open_dispose (self);
  studio_window_session_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_WINDOW);
  g_clear_object (&self->trainer);
  self->history = NULL;
  g_clear_object (&self->workspace);
  G_OBJECT_CLASS (studio_window_parent_class)->dispose (object);
}

static void
studio_window_finalize (GObject *object)
{
  StudioWindow *self = STUDIO_WINDOW (object);

  g_clear_pointer (&self->export_dialogs, g_ptr_array_unref);
  g_clear_pointer (&self->banner_text, g_free);
  g_clear_pointer (&self->shot_path, g_free);
  g_clear_pointer (&self->shot_view, g_free);
  g_clear_pointer (&self->shot_export_dir, g_free);
  g_clear_pointer (&self->shot_session_dir, g_free);
  G_OBJECT_CLASS (studio_window_parent_class)->finalize (object);
}

static void
studio_window_class_init (StudioWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  studio_ensure_resources ();
  g_type_ensure (STUDIO_TYPE_SETTINGS_PANEL);
  g_type_ensure (STUDIO_TYPE_MODES_PANEL);
  g_type_ensure (STUDIO_TYPE_CURVES_VIEW);
  g_type_ensure (STUDIO_TYPE_NEURONS_VIEW);
  g_type_ensure (STUDIO_TYPE_MASKS_VIEW);
  g_type_ensure (STUDIO_TYPE_OVERLAP_VIEW);
  g_type_ensure (STUDIO_TYPE_RESULTS_VIEW);
  g_type_ensure (STUDIO_TYPE_ANGLES_VIEW);
  g_type_ensure (STUDIO_TYPE_SCRUBBER);

  object_class->dispose = studio_window_dispose;
  object_class->finalize = studio_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, method_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, settings_panel);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, modes_panel);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, scrubber);
  gtk_widget_class_bind_template_child_full (widget_class, "recent_menu", FALSE, 0);
  gtk_widget_class_bind_template_callback_full (widget_class, "banner_response_cb",
                                                G_CALLBACK (studio_window_banner_response_cb));
}

static void
studio_window_init (StudioWindow *self)
{
  GtkStringList *methods;
  GtkEventController *shortcuts;
  static gboolean styled;

  /* the window's own style (a GtkApplication loads it too; a window without one, as in the
   * tests, would otherwise measure another size) */
  if (!styled && gdk_display_get_default () != NULL)
    {
      g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (css, "/org/taugate/Studio/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      styled = TRUE;
    }

  self->trainer = studio_trainer_new ();
  self->workspace = studio_workspace_new ();
  self->history = studio_workspace_get_history (self->workspace);
  /* the inspector and the digit pad read a copy of the model from the mask snapshots */
  studio_trainer_set_want_model (self->trainer, TRUE);

  gtk_widget_init_template (GTK_WIDGET (self));
  studio_info_bar_name_close_button (self->banner);
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
  self->export_dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  methods = gtk_string_list_new (NULL);
  for (int m = 0; m < TG_N_METHODS; m++)
    gtk_string_list_append (methods, tg_method_info (m)->label);
  gtk_drop_down_set_model (self->method_dropdown, G_LIST_MODEL (methods));
  g_object_unref (methods);
  gtk_drop_down_set_selected (self->method_dropdown, TG_METHOD_TAUGATE);

  g_signal_connect (self->settings_panel, "controls-changed",
                    G_CALLBACK (controls_changed_cb), self);
  add_views (self);
  studio_window_open_init (self);
  studio_window_session_init (self);
  studio_window_recent_init (self, G_MENU (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                          STUDIO_TYPE_WINDOW,
                                                                          "recent_menu")));
  studio_scrubber_set_history (self->scrubber, self->history);
  studio_scrubber_set_trainer (self->scrubber, self->trainer);

  /* Space starts and pauses where the focused widget has no use for it: in the bubble phase,
   * after a focused button or text field has taken it, and not on a widget Space activates
   * (caught first, Space in the Rotation spin button started a run and never toggled a
   * focused switch) */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_BUBBLE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                          gtk_callback_action_new (space_cb, NULL,
                                                                                   NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect (self->trainer, "snapshot", G_CALLBACK (snapshot_cb), self);
  g_signal_connect (self->trainer, "notify::state", G_CALLBACK (trainer_state_cb), self);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);

  push_controls (self);
  update_actions (self);
}
