/* studio-window.c — the main window and the one place the views are registered. */
#include "studio-window-private.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "studio-view.h"
#include "studio-curves-view.h"
#include "studio-neurons-view.h"
#include "studio-masks-view.h"
#include "studio-overlap-view.h"
#include "studio-results-view.h"
#include "studio-resources.h"
#include "tg-report.h"

#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

G_DEFINE_FINAL_TYPE (StudioWindow, studio_window, GTK_TYPE_APPLICATION_WINDOW)

/* ---- the views: registered here and nowhere else ------------------------------------ */

typedef struct {
  const char *name;
  const char *title;
  GtkWidget *(*create) (void);
} ViewEntry;

static const ViewEntry view_table[] = {
  { "curves",  "Curves",  studio_curves_view_new },
  { "neurons", "Neurons", studio_neurons_view_new },
  { "masks",   "Masks",   studio_masks_view_new },
  { "overlap", "Overlap", studio_overlap_view_new },
  { "results", "Results", studio_results_view_new },
};

static const char *const view_names[] = { "curves", "neurons", "masks", "overlap", "results", NULL };

const char *const *
studio_window_view_names (void)
{
  return view_names;
}

static void
add_views (StudioWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (view_table); i++)
    {
      GtkWidget *view = view_table[i].create ();
      gtk_stack_add_titled (self->stack, view, view_table[i].name, view_table[i].title);
      studio_view_set_history (STUDIO_VIEW (view), self->history);
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
  gtk_stack_set_visible_child_name (self->stack, name);
}

/* ---- banner ----------------------------------------------------------------------- */

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
studio_window_show_error (StudioWindow *self, const char *message)
{
  studio_window_show_banner (self, GTK_MESSAGE_ERROR, message);
}

static void
hide_banner (StudioWindow *self)
{
  g_clear_pointer (&self->banner_text, g_free);
  gtk_info_bar_set_revealed (self->banner, FALSE);
}

const char *
studio_window_get_banner (StudioWindow *self)
{
  return self->banner_text;
}

void
studio_window_dismiss_banner (StudioWindow *self)
{
  gtk_info_bar_response (self->banner, GTK_RESPONSE_CLOSE);
}

static void
banner_response_cb (GtkInfoBar *bar, int response, StudioWindow *self)
{
  hide_banner (self);
}

/* ---- settings ------------------------------------------------------------------------ */

/* The live controls as the window shows them, to the worker as one change. */
static void
push_controls (StudioWindow *self)
{
  studio_trainer_set_controls (self->trainer, self->cfg.sharpness, self->cfg.lambda,
                               self->cfg.lr, self->cfg.hard_gates);
}

static double
lambda_from_position (double pos)
{
  return pos < -5.25 ? 0.0 : pow (10.0, MAX (pos, -5.0));
}

static void
sharpness_changed_cb (GtkAdjustment *adj, StudioWindow *self)
{
  double s = pow (10.0, gtk_adjustment_get_value (adj));
  g_autofree char *text = g_strdup_printf ("Sharpness s = %.3g", s);
  gtk_label_set_text (self->sharpness_label, text);
  self->cfg.sharpness = (float) s;
  push_controls (self);
}

static void
lambda_changed_cb (GtkAdjustment *adj, StudioWindow *self)
{
  double lambda = lambda_from_position (gtk_adjustment_get_value (adj));
  g_autofree char *text = lambda > 0 ? g_strdup_printf ("Sparsity λ = %.2g", lambda)
                                     : g_strdup ("Sparsity λ = 0 (off)");
  gtk_label_set_text (self->lambda_label, text);
  self->cfg.lambda = (float) lambda;
  push_controls (self);
}

static void
lr_changed_cb (GtkAdjustment *adj, StudioWindow *self)
{
  double lr = pow (10.0, gtk_adjustment_get_value (adj));
  g_autofree char *text = g_strdup_printf ("Learning rate = %.3g", lr);
  gtk_label_set_text (self->lr_label, text);
  self->cfg.lr = (float) lr;
  push_controls (self);
}

static void
hard_changed_cb (GtkSwitch *sw, GParamSpec *pspec, StudioWindow *self)
{
  self->cfg.hard_gates = gtk_switch_get_active (sw);
  push_controls (self);
}

void
studio_window_set_lambda (StudioWindow *self, double lambda)
{
  gtk_adjustment_set_value (self->lambda_adj, lambda > 0 ? log10 (lambda) : -5.5);
}

void
studio_window_set_method (StudioWindow *self, TgMethod method)
{
  g_return_if_fail (method < TG_N_METHODS);
  gtk_drop_down_set_selected (self->method_dropdown, method);
}

void
studio_window_set_sharpness (StudioWindow *self, double s)
{
  gtk_adjustment_set_value (self->sharpness_adj, log10 (s));
}

static void select_data_dir (StudioWindow *self, const char *dir);

/* The settings of the next run: the controls over self->cfg. */
static void
collect_config (StudioWindow *self, StudioConfig *out)
{
  guint sel = gtk_drop_down_get_selected (self->data_dropdown);

  studio_config_copy (out, &self->cfg);
  out->method = (TgMethod) gtk_drop_down_get_selected (self->method_dropdown);
  out->seed = (guint64) gtk_adjustment_get_value (self->seed_adj);
  out->angle = gtk_adjustment_get_value (self->angle_adj);
  out->foundation_epochs = (guint32) gtk_adjustment_get_value (self->fepochs_adj);
  out->adapt_epochs = (guint32) gtk_adjustment_get_value (self->aepochs_adj);
  g_free (out->data_dir);
  /* NULL for MNIST: the default folder, resolved in the worker */
  out->data_dir = sel < self->data_dirs->len ? g_strdup (g_ptr_array_index (self->data_dirs, sel))
                                             : NULL;
}

static void
apply_config (StudioWindow *self, const StudioConfig *cfg)
{
  studio_config_clear (&self->cfg);
  studio_config_copy (&self->cfg, cfg);
  gtk_drop_down_set_selected (self->method_dropdown, cfg->method);
  gtk_adjustment_set_value (self->seed_adj, (double) cfg->seed);
  gtk_adjustment_set_value (self->sharpness_adj, log10 (cfg->sharpness));
  gtk_adjustment_set_value (self->lambda_adj, cfg->lambda > 0 ? log10 (cfg->lambda) : -5.5);
  gtk_adjustment_set_value (self->lr_adj, log10 (cfg->lr));
  gtk_switch_set_active (self->hard_switch, cfg->hard_gates);
  gtk_adjustment_set_value (self->angle_adj, cfg->angle);
  gtk_adjustment_set_value (self->fepochs_adj, cfg->foundation_epochs);
  gtk_adjustment_set_value (self->aepochs_adj, cfg->adapt_epochs);
  if (cfg->data_dir != NULL)
    select_data_dir (self, cfg->data_dir);
  /* the handlers above took the slider positions; keep the exact values */
  self->cfg.sharpness = cfg->sharpness;
  self->cfg.lambda = cfg->lambda;
  self->cfg.lr = cfg->lr;
  push_controls (self);
}

/* ---- data set choice ------------------------------------------------------------------ */

/* Selects dir in the data set list, adding it as a folder item when it is not there. */
static void
select_data_dir (StudioWindow *self, const char *dir)
{
  GtkStringList *list = GTK_STRING_LIST (gtk_drop_down_get_model (self->data_dropdown));
  guint folder_item = g_list_model_get_n_items (G_LIST_MODEL (list)) - 1;
  g_autofree char *want = g_canonicalize_filename (dir, NULL);
  g_autofree char *mnist = studio_default_data_dir ();
  g_autofree char *mnist_canon = g_canonicalize_filename (mnist, NULL);

  if (strcmp (want, mnist_canon) == 0)
    {
      /* the default MNIST folder is the first item */
      self->updating_data = TRUE;
      self->data_selected = 0;
      gtk_drop_down_set_selected (self->data_dropdown, 0);
      self->updating_data = FALSE;
      return;
    }

  for (guint i = 0; i < folder_item; i++)
    {
      const char *d = g_ptr_array_index (self->data_dirs, i);
      g_autofree char *have = d != NULL ? g_canonicalize_filename (d, NULL) : NULL;
      if (have != NULL && strcmp (have, want) == 0)
        {
          self->data_selected = i;
          gtk_drop_down_set_selected (self->data_dropdown, i);
          return;
        }
    }
  g_autofree char *base = g_path_get_basename (want);
  g_autofree char *label = g_strdup_printf ("Folder: %s", base);
  const char *items[] = { label, NULL };
  self->updating_data = TRUE;
  g_ptr_array_insert (self->data_dirs, folder_item, g_strdup (want));
  gtk_string_list_splice (list, folder_item, 0, items);
  self->data_selected = folder_item;
  gtk_drop_down_set_selected (self->data_dropdown, folder_item);
  self->updating_data = FALSE;
}

static void
chooser_response_cb (GtkNativeDialog *dialog, int response, StudioWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        {
          g_clear_object (&self->chooser);
          select_data_dir (self, path);
          return;
        }
    }
  self->updating_data = TRUE;
  gtk_drop_down_set_selected (self->data_dropdown, self->data_selected);
  self->updating_data = FALSE;
  g_clear_object (&self->chooser);
}

static void
data_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, StudioWindow *self)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  guint sel = gtk_drop_down_get_selected (dropdown);

  if (model == NULL || sel == GTK_INVALID_LIST_POSITION || self->updating_data)
    return;
  if (sel + 1 < g_list_model_get_n_items (model))
    {
      self->data_selected = sel;
      return;
    }
  if (self->chooser != NULL)
    return;
  /* the last item, "Folder…" */
  self->chooser = gtk_file_chooser_native_new ("Choose a Folder of IDX Files", GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               "_Open", "_Cancel");
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
setup_data_choices (StudioWindow *self)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, "MNIST");
  g_ptr_array_add (self->data_dirs, NULL);
  if (g_file_test (FASHION_DIR, G_FILE_TEST_IS_DIR))
    {
      gtk_string_list_append (list, "Fashion-MNIST");
      g_ptr_array_add (self->data_dirs, g_strdup (FASHION_DIR));
    }
  gtk_string_list_append (list, "Folder…");
  g_ptr_array_add (self->data_dirs, NULL);
  gtk_drop_down_set_model (self->data_dropdown, G_LIST_MODEL (list));
  g_object_unref (list);
  gtk_drop_down_set_selected (self->data_dropdown, 0);
  g_signal_connect (self->data_dropdown, "notify::selected", G_CALLBACK (data_selected_cb), self);
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
  gtk_widget_set_sensitive (GTK_WIDGET (self->method_dropdown), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seed_spin), !busy);
  gtk_widget_set_sensitive (self->run_grid, !busy);
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
    studio_window_show_view (self, job == STUDIO_JOB_OVERLAP ? "overlap" : "results");
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

  if (snap->finished && snap->error != NULL &&
      !g_error_matches (snap->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (snap->error, TG_ERROR, TG_ERROR_CANCELLED))
    {
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, snap->error->message);
      g_printerr ("taugate-studio: %s\n", snap->error->message);
    }
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
  gboolean ok = studio_trainer_start (self->trainer, job, &cfg, NULL, &error);
  studio_config_clear (&cfg);
  if (!ok)
    {
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return FALSE;
    }
  if (self->banner_text != NULL && self->banner_is_error)
    hide_banner (self);
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
  hide_banner (self);
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
action_reset (GSimpleAction *action, GVariant *param, gpointer self)
{
  studio_window_reset (self);
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

/* The window's actions ("win.NAME"); their accelerators are bound once, by the application
 * (studio-application.c), and listed in the shortcuts window (ui/help-overlay.ui). */
static const GActionEntry win_actions[] = {
  { .name = "train",          .activate = action_train },
  { .name = "pause",          .activate = action_pause },
  { .name = "toggle",         .activate = action_toggle },
  { .name = "stop",           .activate = action_stop },
  { .name = "reset",          .activate = action_reset },
  { .name = "export",         .activate = studio_window_export_activate },
  { .name = "export-all",     .activate = studio_window_export_all_activate },
  { .name = "run-overlap",    .activate = action_run_overlap },
  { .name = "run-comparison", .activate = action_run_comparison },
};

/* ---- life cycle ---------------------------------------------------------------------------- */

StudioTrainer *studio_window_get_trainer (StudioWindow *self) { return self->trainer; }
StudioHistory *studio_window_get_history (StudioWindow *self) { return self->history; }

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
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_WINDOW);
  g_clear_object (&self->trainer);
  g_clear_object (&self->history);
  G_OBJECT_CLASS (studio_window_parent_class)->dispose (object);
}

static void
studio_window_finalize (GObject *object)
{
  StudioWindow *self = STUDIO_WINDOW (object);

  studio_config_clear (&self->cfg);
  g_clear_pointer (&self->data_dirs, g_ptr_array_unref);
  g_clear_pointer (&self->export_dialogs, g_ptr_array_unref);
  g_clear_pointer (&self->banner_text, g_free);
  g_clear_pointer (&self->shot_path, g_free);
  g_clear_pointer (&self->shot_view, g_free);
  G_OBJECT_CLASS (studio_window_parent_class)->finalize (object);
}

static void
studio_window_class_init (StudioWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  studio_ensure_resources ();
  g_type_ensure (STUDIO_TYPE_CURVES_VIEW);
  g_type_ensure (STUDIO_TYPE_NEURONS_VIEW);
  g_type_ensure (STUDIO_TYPE_MASKS_VIEW);
  g_type_ensure (STUDIO_TYPE_OVERLAP_VIEW);
  g_type_ensure (STUDIO_TYPE_RESULTS_VIEW);

  object_class->dispose = studio_window_dispose;
  object_class->finalize = studio_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, method_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, seed_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, sharpness_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, lambda_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, lr_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, sharpness_label);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, lambda_label);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, lr_label);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, hard_switch);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, angle_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, fepochs_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, aepochs_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, data_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, run_grid);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, banner_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, sharpness_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lambda_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lr_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, hard_changed_cb);
}

static void
studio_window_init (StudioWindow *self)
{
  GtkStringList *methods;
  GtkEventController *shortcuts;

  self->trainer = studio_trainer_new ();
  self->history = studio_history_new ();
  self->data_dirs = g_ptr_array_new_with_free_func (g_free);
  studio_config_init_paper (&self->cfg);

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
  self->export_dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  methods = gtk_string_list_new (NULL);
  for (int m = 0; m < TG_N_METHODS; m++)
    gtk_string_list_append (methods, tg_method_info (m)->label);
  gtk_drop_down_set_model (self->method_dropdown, G_LIST_MODEL (methods));
  g_object_unref (methods);
  gtk_drop_down_set_selected (self->method_dropdown, TG_METHOD_TAUGATE);

  setup_data_choices (self);
  add_views (self);

  /* Space starts and pauses wherever the focus is: caught before the focused widget */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                          gtk_named_action_new ("win.toggle")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect (self->trainer, "snapshot", G_CALLBACK (snapshot_cb), self);
  g_signal_connect (self->trainer, "notify::state", G_CALLBACK (trainer_state_cb), self);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);

  sharpness_changed_cb (self->sharpness_adj, self);
  lambda_changed_cb (self->lambda_adj, self);
  lr_changed_cb (self->lr_adj, self);
  update_actions (self);
}
