/* studio-window.c — the main window and the one place the views are registered. */
#include "studio-window.h"

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
#define EXPORT_WIDTH 800.0   /* points for PDF and SVG */
#define EXPORT_HEIGHT 520.0
#define EXPORT_PNG_SCALE 1.6 /* pixels per point for PNG */

struct _StudioWindow
{
  GtkApplicationWindow parent_instance;

  /* template widgets */
  GtkDropDown    *method_dropdown;
  GtkAdjustment  *seed_adj;
  GtkSpinButton  *seed_spin;
  GtkStack       *stack;
  GtkInfoBar     *banner;
  GtkLabel       *banner_label;
  GtkAdjustment  *sharpness_adj, *lambda_adj, *lr_adj;
  GtkLabel       *sharpness_label, *lambda_label, *lr_label;
  GtkSwitch      *hard_switch;
  GtkAdjustment  *angle_adj, *fepochs_adj, *aepochs_adj;
  GtkDropDown    *data_dropdown;
  GtkWidget      *run_grid;
  GtkInscription *status_label;  /* text changes never resize the window */

  /* owned */
  StudioTrainer  *trainer;
  StudioHistory  *history;
  StudioConfig    cfg;           /* what is not on the controls: limits, cadence */
  GPtrArray      *data_dirs;     /* per data_dropdown item: dir or NULL (default MNIST) */
  guint           data_selected; /* to go back to when the folder chooser is cancelled */
  GtkFileChooserNative *chooser;
  gboolean        updating_data; /* the list is being edited: not a user's choice */
  char           *banner_text;
  gboolean        banner_is_error;

  /* jobs to start when the current one has finished (StudioJob as pointers) */
  GQueue          job_queue;
  guint           queue_source;

  /* screenshot automation */
  guint64         shot_steps;
  char           *shot_path;
  char           *shot_view;
  gboolean        shot_armed, shot_taken;
  guint           shot_source;
};

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

static void
show_banner (StudioWindow *self, GtkMessageType type, const char *message)
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
  show_banner (self, GTK_MESSAGE_ERROR, message);
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

static char *
format_duration (double seconds)
{
  if (seconds < 0 || !isfinite (seconds))
    return g_strdup ("–");
  int s = (int) (seconds + 0.5);
  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

static void
update_status (StudioWindow *self)
{
  StudioSnapshot *st = studio_history_get_status (self->history);
  g_autoptr (GString) s = g_string_new (NULL);

  if (st == NULL)
    {
      gtk_inscription_set_text (self->status_label, "Ready. Press Train (or Space) to start.");
      return;
    }

  if (st->job != STUDIO_JOB_TRAIN)
    {
      if (st->paused)
        g_string_append (s, "Paused · ");
      g_string_append (s, st->job == STUDIO_JOB_EXPERIMENT ? "Paper comparison" : "Overlap models");
      if (st->finished)
        g_string_append (s, st->error != NULL ? " stopped" : " done");
      else
        g_string_append_printf (s, " · %.0f%% · %s", 100 * st->progress,
                                st->progress_text != NULL ? st->progress_text : "");
      gtk_inscription_set_text (self->status_label, s->str);
      return;
    }

  if (st->paused)
    g_string_append (s, "Paused · ");
  if (st->finished)
    {
      if (st->error != NULL)
        g_string_append (s, "Stopped");
      else
        g_string_append_printf (s, "Done · acc 0° %.3f · acc 45° %.3f", st->final_acc0,
                                st->final_acc45);
      g_string_append_printf (s, " · step %" G_GUINT64_FORMAT, st->step);
      g_string_append_printf (s, " · %s", tg_method_info (st->run_method)->label);
      gtk_inscription_set_text (self->status_label, s->str);
      return;
    }
  if (st->phase == STUDIO_PHASE_LOADING)
    {
      g_string_append_printf (s, "%s…", st->progress_text != NULL ? st->progress_text : "Loading data");
      gtk_inscription_set_text (self->status_label, s->str);
      return;
    }

  g_autofree char *eta = format_duration (st->eta_seconds);
  const TgMethodInfo *info = tg_method_info (st->run_method);
  g_string_append_printf (s, "Phase: %s · epoch %u/%u · step %" G_GUINT64_FORMAT "/%"
                          G_GUINT64_FORMAT " · %.0f samples/s · ETA %s",
                          studio_phase_label (st->phase), st->epoch, st->n_epochs, st->step,
                          st->total_steps, st->samples_per_sec, eta);
  if (st->phase == STUDIO_PHASE_FOUNDATION)
    g_string_append_printf (s, " · adapter: none yet (foundation trains all weights), next: %s",
                            info->label);
  else
    g_string_append_printf (s, " · adapter: %s", info->label);
  if (info->gated)
    g_string_append_printf (s, " · gates: %s (s = %.3g, λ = %.2g)",
                            st->hard_gates ? "hard in evaluation" : "soft",
                            (double) st->sharpness, (double) st->lambda);
  gtk_inscription_set_text (self->status_label, s->str);
}

static void
update_actions (StudioWindow *self)
{
  StudioTrainerState state = studio_trainer_get_state (self->trainer);
  gboolean busy = studio_trainer_is_busy (self->trainer);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.train",
                                 !busy || state == STUDIO_TRAINER_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause",
                                 busy && state == STUDIO_TRAINER_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-overlap", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-comparison", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->method_dropdown), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seed_spin), !busy);
  gtk_widget_set_sensitive (self->run_grid, !busy);
}

static void
trainer_state_cb (StudioTrainer *trainer, GParamSpec *pspec, StudioWindow *self)
{
  update_actions (self);
}

/* ---- screenshots ---------------------------------------------------------------------- */

static gboolean take_screenshot (gpointer data);
static gboolean start_job (StudioWindow *self, StudioJob job);

static void
maybe_screenshot (StudioWindow *self, StudioSnapshot *snap)
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
  self->shot_source = g_timeout_add (400, take_screenshot, self);
}

static gboolean
take_screenshot (gpointer data)
{
  StudioWindow *self = data;
  g_autoptr (GError) error = NULL;
  static guint index;
  const char *const *names = view_names;

  self->shot_source = 0;
  if (self->shot_path != NULL)
    {
      if (g_strcmp0 (self->shot_view, "all") == 0)
        {
          /* one view per call: show it, wait for it to draw, save, go on */
          if (index > 0)
            {
              g_autofree char *stem = g_strdup (self->shot_path);
              char *dot = strrchr (stem, '.');
              if (dot != NULL)
                *dot = '\0';
              g_autofree char *path = g_strdup_printf ("%s-%s.png", stem, names[index - 1]);
              if (!studio_widget_save_png (GTK_WIDGET (self), path, &error))
                g_printerr ("taugate-studio: %s\n", error->message);
              else
                g_print ("%s\n", path);
              g_clear_error (&error);
            }
          if (names[index] != NULL)
            {
              studio_window_show_view (self, names[index]);
              index++;
              self->shot_source = g_timeout_add (400, take_screenshot, self);
              return G_SOURCE_REMOVE;
            }
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
      show_banner (self, GTK_MESSAGE_ERROR, snap->error->message);
      g_printerr ("taugate-studio: %s\n", snap->error->message);
    }
  if (snap->finished && !g_queue_is_empty (&self->job_queue) && self->queue_source == 0)
    {
      if (snap->error != NULL)
        g_queue_clear (&self->job_queue); /* a failed or stopped job ends the sequence */
      else
        self->queue_source = g_idle_add (start_queued, self);
    }
  maybe_screenshot (self, snap);
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
      show_banner (self, GTK_MESSAGE_ERROR, error->message);
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

static void action_train (GtkWidget *w, const char *n, GVariant *p) { studio_window_train (STUDIO_WINDOW (w)); }
static void action_pause (GtkWidget *w, const char *n, GVariant *p) { studio_window_pause (STUDIO_WINDOW (w)); }
static void action_stop (GtkWidget *w, const char *n, GVariant *p) { studio_window_stop (STUDIO_WINDOW (w)); }
static void action_reset (GtkWidget *w, const char *n, GVariant *p) { studio_window_reset (STUDIO_WINDOW (w)); }

static void
action_toggle (GtkWidget *widget, const char *name, GVariant *param)
{
  StudioWindow *self = STUDIO_WINDOW (widget);
  if (studio_trainer_get_state (self->trainer) == STUDIO_TRAINER_RUNNING)
    studio_window_pause (self);
  else
    studio_window_train (self);
}

static void
action_run_overlap (GtkWidget *widget, const char *name, GVariant *param)
{
  StudioWindow *self = STUDIO_WINDOW (widget);
  if (start_job (self, STUDIO_JOB_OVERLAP))
    studio_window_show_view (self, "overlap");
}

static void
action_run_comparison (GtkWidget *widget, const char *name, GVariant *param)
{
  StudioWindow *self = STUDIO_WINDOW (widget);
  if (start_job (self, STUDIO_JOB_EXPERIMENT))
    studio_window_show_view (self, "results");
}

/* ---- export ------------------------------------------------------------------------------- */

gboolean
studio_window_export_view (StudioWindow *self, const char *name, const char *path,
                           GError **error)
{
  GtkWidget *view = studio_window_get_view (self, name);
  double scale = g_str_has_suffix (path, ".png") || g_str_has_suffix (path, ".PNG")
                 ? EXPORT_PNG_SCALE : 1.0;

  if (view == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No view called “%s”", name);
      return FALSE;
    }
  return studio_view_export (STUDIO_VIEW (view), path, EXPORT_WIDTH * scale,
                             EXPORT_HEIGHT * scale, error);
}

static void
export_response_cb (GtkNativeDialog *dialog, int response, StudioWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "view-name");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path != NULL && !g_str_has_suffix (path, ".pdf") && !g_str_has_suffix (path, ".svg") &&
          !g_str_has_suffix (path, ".png"))
        {
          char *with_ext = g_strconcat (path, ".pdf", NULL);
          g_free (path);
          path = with_ext;
        }
      if (path == NULL)
        show_banner (self, GTK_MESSAGE_ERROR, "Export failed: choose a local file");
      else if (!studio_window_export_view (self, name, path, &error))
        {
          g_autofree char *msg = g_strdup_printf ("Export failed: %s", error->message);
          show_banner (self, GTK_MESSAGE_ERROR, msg);
        }
      else
        {
          g_autofree char *msg = g_strdup_printf ("Exported to %s", path);
          show_banner (self, GTK_MESSAGE_INFO, msg);
        }
    }
  g_object_unref (dialog);
}

static void
action_export (GtkWidget *widget, const char *action, GVariant *param)
{
  StudioWindow *self = STUDIO_WINDOW (widget);
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  GtkFileChooserNative *dialog;

  if (name == NULL)
    return;
  dialog = gtk_file_chooser_native_new ("Export View", GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");
  g_object_set_data_full (G_OBJECT (dialog), "view-name", g_strdup (name), g_free);
  g_autofree char *suggested = g_strdup_printf ("taugate-%s.pdf", name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, "PDF, SVG or PNG (by extension)");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_filter_add_pattern (filter, "*.svg");
  gtk_file_filter_add_pattern (filter, "*.png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Figure 1 of the paper from a finished comparison: grouped bars, ours and the paper's. */
static void
bars_trampoline (cairo_t *cr, double w, double h, gconstpointer data, const TgPlotStyle *style)
{
  tg_plot_bars (cr, w, h, data, style);
}

static gboolean
export_figure1 (const TgExperimentResults *res, const char *dir, GError **error)
{
  const char *groups[TG_N_METHODS];
  double mean[TG_N_METHODS * 2], err[TG_N_METHODS * 2], ref[TG_N_METHODS * 2];
  const char *series[2] = { "acc 0°", "acc 45°" };
  guint n = 0;

  for (int m = 0; m < TG_N_METHODS; m++)
    {
      TgMethodSummary sum;
      if (!tg_report_summarise (res, m, &sum))
        continue;
      const TgPaperRow *paper = tg_paper_row (m);
      groups[n] = tg_method_info (m)->label;
      mean[2 * n] = sum.acc0;
      mean[2 * n + 1] = sum.acc_rot;
      err[2 * n] = sum.acc0_std;
      err[2 * n + 1] = sum.acc_rot_std;
      ref[2 * n] = paper != NULL ? paper->acc0 : NAN;
      ref[2 * n + 1] = paper != NULL ? paper->acc_rot : NAN;
      n++;
    }
  TgBarsData bars = {
    .n_groups = n, .group_labels = groups, .n_series = 2, .series_labels = series,
    .mean = mean, .err = err, .ref = ref, .ref_label = "paper",
    .title = "Accuracy after specialisation to the rotated mode",
    .y_label = "test accuracy",
    .caption = "Mean ± sample std over seeds; markers: the paper's Table 1.",
    .y_min = 0, .y_max = 0,
  };
  TgPlotStyle style;
  tg_plot_style_init_light (&style);
  style.draw_background = TRUE;
  g_autofree char *figdir = g_build_filename (dir, "figures", NULL);
  if (g_mkdir_with_parents (figdir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Cannot create %s", figdir);
      return FALSE;
    }
  g_autofree char *path = g_build_filename (figdir, "mnist_rotation_accuracy.pdf", NULL);
  return tg_plot_export (path, 640, 400, bars_trampoline, &bars, &style, error);
}

gboolean
studio_window_export_all (StudioWindow *self, const char *dir, GError **error)
{
  g_autofree char *figdir = g_build_filename (dir, "figures", NULL);

  if (g_mkdir_with_parents (figdir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Cannot create %s: %s",
                   figdir, g_strerror (errno));
      return FALSE;
    }
  for (guint i = 0; view_names[i] != NULL; i++)
    {
      g_autofree char *file = g_strdup_printf ("taugate-%s.pdf", view_names[i]);
      g_autofree char *path = g_build_filename (figdir, file, NULL);
      if (!studio_window_export_view (self, view_names[i], path, error))
        return FALSE;
    }
  const TgExperimentResults *res = studio_history_get_experiment (self->history);
  if (res != NULL)
    {
      if (!tg_report_write_all (res, dir, error))
        return FALSE;
      if (!export_figure1 (res, dir, error))
        return FALSE;
    }
  return TRUE;
}

static void
export_all_response_cb (GtkNativeDialog *dialog, int response, StudioWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path == NULL || !studio_window_export_all (self, path, &error))
        {
          g_autofree char *msg = g_strdup_printf ("Export failed: %s",
                                                  error != NULL ? error->message : "not a local folder");
          show_banner (self, GTK_MESSAGE_ERROR, msg);
        }
      else
        {
          g_autofree char *msg = g_strdup_printf (
            "Exported every view to %s/figures%s", path,
            studio_history_get_experiment (self->history) != NULL
              ? ", with results.csv and the LaTeX tables" : " (run the paper comparison for results.csv and the tables)");
          show_banner (self, GTK_MESSAGE_INFO, msg);
        }
    }
  g_object_unref (dialog);
}

static void
action_export_all (GtkWidget *widget, const char *action, GVariant *param)
{
  StudioWindow *self = STUDIO_WINDOW (widget);
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new ("Export All Figures and Tables", GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "_Export", "_Cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (export_all_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

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

  gtk_widget_class_install_action (widget_class, "win.train", NULL, action_train);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, action_pause);
  gtk_widget_class_install_action (widget_class, "win.toggle", NULL, action_toggle);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, action_stop);
  gtk_widget_class_install_action (widget_class, "win.reset", NULL, action_reset);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, action_export);
  gtk_widget_class_install_action (widget_class, "win.export-all", NULL, action_export_all);
  gtk_widget_class_install_action (widget_class, "win.run-overlap", NULL, action_run_overlap);
  gtk_widget_class_install_action (widget_class, "win.run-comparison", NULL, action_run_comparison);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
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
