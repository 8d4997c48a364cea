/* studio-angles-view.c — the Angles view (see studio-angles-view.h): the sweep runs in a
 * GTask thread on its own copy of the modes, one angle at a time so that the progress bar
 * moves; the mixed stream follows in the same thread. The view keeps the last results, and
 * exports their tables as `taugate modes` writes them (Export Tables…). */
#include "studio-task-hold.h"

#include <glib/gi18n.h>
#include "studio-angles-view.h"

#include <math.h>
#include <string.h>

#include "tg-automode.h"
#include "tg-data.h"
#include "tg-modes-report.h"

#define ROUTER_EPOCHS 3
#define MIXED_SEED 0

struct _StudioAnglesView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkButton      *sweep_button;
  GtkAdjustment  *step;
  GtkProgressBar *progress;
  GtkLabel       *table;
  GtkButton      *export_button;
  GtkLabel       *export_status;

  const TgModes  *modes;   /* borrowed from the window */
  StudioConfig    cfg;
  GCancellable   *cancellable;
  TgAngleSweep   *sweep;
  TgMixedResult  *mixed;
  TgModes        *swept;   /* the modes of the latest sweep (a copy), for its tables */
  GtkFileChooserNative *chooser;  /* Export Tables' folder, while it is asked */
  GPtrArray      *names;   /* the swept modes' names (char *) */
  GArray         *targets; /* their training angles (double) */
};

G_DEFINE_FINAL_TYPE (StudioAnglesView, studio_angles_view, STUDIO_TYPE_VIEW)

enum { SIGNAL_DONE, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  TgModes       *modes;
  StudioConfig   cfg;
  GArray        *angles;
  TgAngleSweep  *sweep;
  TgMixedResult *mixed;
  GWeakRef       view;
  StudioTaskHold *hold;   /* the application, until the thread is done */
} SweepData;

static void
sweep_data_free (gpointer p)
{
  SweepData *d = p;
  g_clear_pointer (&d->modes, tg_modes_free);
  studio_config_clear (&d->cfg);
  g_array_unref (d->angles);
  g_clear_pointer (&d->sweep, tg_angle_sweep_free);
  g_clear_pointer (&d->mixed, tg_mixed_result_free);
  g_weak_ref_clear (&d->view);
  studio_task_hold_release (d->hold);
  g_free (d);
}

typedef struct { StudioAnglesView *view; double fraction; char *text; } Progress;

static gboolean
show_progress (gpointer p)
{
  Progress *pr = p;
  g_autoptr (StudioAnglesView) self = pr->view;  /* the reference taken in the thread */
  if (self != NULL && self->cancellable != NULL)
    {
      gtk_progress_bar_set_fraction (self->progress, pr->fraction);
      gtk_progress_bar_set_text (self->progress, pr->text);
    }
  g_free (pr->text);
  g_free (pr);
  return G_SOURCE_REMOVE;
}

static void
post_progress (SweepData *d, double fraction, char *text)
{
  Progress *pr = g_new (Progress, 1);
  pr->view = g_weak_ref_get (&d->view);
  pr->fraction = fraction;
  pr->text = text;
  g_main_context_invoke (NULL, show_progress, pr);
}

/* Every mode at every angle, one angle per call, merged into one sweep. */
static TgAngleSweep *
sweep_angles (SweepData *d, const TgDataset *test, GCancellable *cancellable, GError **error)
{
  guint n_modes = tg_modes_count (d->modes), n_angles = d->angles->len;
  g_autoptr (TgAngleSweep) all = g_new0 (TgAngleSweep, 1);

  all->n_modes = n_modes;
  all->n_angles = n_angles;
  all->angles = g_memdup2 (d->angles->data, n_angles * sizeof (double));
  all->acc_soft = g_new0 (double, (gsize) n_modes * n_angles);
  all->acc_hard = g_new0 (double, (gsize) n_modes * n_angles);
  for (guint a = 0; a < n_angles; a++)
    {
      post_progress (d, (double) a / (n_angles + 1),
                     g_strdup_printf (_("Rotation %g° (%u of %u)"), all->angles[a], a + 1, n_angles));
      g_autoptr (TgAngleSweep) one = tg_modes_sweep (d->modes, test, &all->angles[a], 1,
                                                      cancellable, error);
      if (one == NULL)
        return NULL;
      for (guint m = 0; m < n_modes; m++)
        {
          all->acc_soft[m * n_angles + a] = one->acc_soft[m];
          all->acc_hard[m * n_angles + a] = one->acc_hard[m];
        }
    }
  return g_steal_pointer (&all);
}

static void
sweep_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SweepData *d = task_data;
  GError *error = NULL;
  g_autofree char *dir = d->cfg.data_dir != NULL ? g_strdup (d->cfg.data_dir)
                                                 : studio_default_data_dir ();
  g_autoptr (TgDataset) test_all = tg_dataset_load_dir (dir, "t10k", 10, &error);
  g_autoptr (TgDataset) train_all = NULL;

  if (test_all == NULL)
    {
      g_prefix_error (&error, _("Cannot sweep the angles: no test set in %s: "), dir);
      g_task_return_error (task, error);
      return;
    }
  g_autoptr (TgDataset) test = d->cfg.test_limit > 0
                               ? tg_dataset_head (test_all, MIN (d->cfg.test_limit, test_all->n))
                               : tg_dataset_copy (test_all);
  d->sweep = sweep_angles (d, test, cancellable, &error);
  if (d->sweep == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* the mixed stream needs two adapters of different known angles; without them, no table */
  post_progress (d, (double) d->angles->len / (d->angles->len + 1),
                 g_strdup (_("Mixed stream: training the router")));
  train_all = tg_dataset_load_dir (dir, "train", 10, NULL);
  if (train_all != NULL)
    {
      g_autoptr (TgDataset) train = d->cfg.train_limit > 0
                                    ? tg_dataset_head (train_all, MIN (d->cfg.train_limit, train_all->n))
                                    : tg_dataset_copy (train_all);
      d->mixed = tg_modes_mixed_stream (d->modes, train, test, ROUTER_EPOCHS, MIXED_SEED,
                                        cancellable, NULL);
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_boolean (task, TRUE);
}

static void
sweep_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (StudioAnglesView) self = data;
  g_autoptr (GError) error = NULL;
  SweepData *d = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the view is going */
  g_clear_object (&self->cancellable);
  if (error != NULL)
    gtk_label_set_text (self->table, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sweep_button), TRUE);
  if (error == NULL)
    {
      g_autofree char *text = tg_modes_text (d->modes, NULL, d->mixed);
      g_clear_pointer (&self->sweep, tg_angle_sweep_free);
      g_clear_pointer (&self->mixed, tg_mixed_result_free);
      self->sweep = g_steal_pointer (&d->sweep);
      self->mixed = g_steal_pointer (&d->mixed);
      g_ptr_array_set_size (self->names, 0);
      g_array_set_size (self->targets, 0);
      g_clear_pointer (&self->swept, tg_modes_free);
      for (guint m = 0; m < tg_modes_count (d->modes); m++)
        {
          TgMode *mode = tg_modes_get (d->modes, m);
          g_ptr_array_add (self->names, g_strdup (mode->name));
          g_array_append_val (self->targets, mode->target_angle);
        }
      self->swept = g_steal_pointer (&d->modes);
      gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
      gtk_label_set_text (self->table, self->mixed != NULL ? text
                          : _("The mixed stream needs two adapters trained for different angles."));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

gboolean
studio_angles_view_start (StudioAnglesView *self)
{
  SweepData *d;
  g_autoptr (GTask) task = NULL;
  double step = gtk_adjustment_get_value (self->step);

  if (self->modes == NULL || self->cancellable != NULL)
    return FALSE;
  d = g_new0 (SweepData, 1);
  d->modes = tg_modes_new (self->modes->foundation);
  for (guint m = 1; m < tg_modes_count (self->modes); m++)
    {
      const TgMode *mode = tg_modes_get (self->modes, m);
      tg_modes_attach_model (d->modes, mode->model, mode->sharpness, mode->name,
                             mode->target_angle);
    }
  studio_config_copy (&d->cfg, &self->cfg);
  d->angles = g_array_new (FALSE, FALSE, sizeof (double));
  for (double a = 0; a <= 180.0 + 1e-9; a += step)
    g_array_append_val (d->angles, a);
  g_weak_ref_init (&d->view, self);
  d->hold = studio_task_hold_new ();

  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_progress_bar_set_text (self->progress, _("Loading the test set"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->sweep_button), FALSE);
  task = g_task_new (NULL, self->cancellable, sweep_done_cb, g_object_ref (self));
  g_task_set_task_data (task, d, sweep_data_free);
  g_task_run_in_thread (task, sweep_thread);
  return TRUE;
}

gboolean
studio_angles_view_is_running (StudioAnglesView *self)
{
  return self->cancellable != NULL;
}

const TgAngleSweep *
studio_angles_view_get_sweep (StudioAnglesView *self)
{
  return self->sweep;
}

gboolean
studio_angles_view_export_tables (StudioAnglesView *self, const char *dir, GError **error)
{
  if (self->sweep == NULL || self->swept == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No tables to export to %s yet: press “Sweep Angles” first"), dir);
      return FALSE;
    }
  return tg_modes_write_all (self->swept, self->sweep, self->mixed, dir, error);
}

static void
export_response_cb (GtkNativeDialog *native, int response, StudioAnglesView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *dir = folder != NULL ? g_file_get_path (folder) : NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *said = NULL;
      if (dir == NULL)
        said = g_strdup (_("The tables are exported to local folders only"));
      else if (!studio_angles_view_export_tables (self, dir, &error))
        said = g_strdup (error->message);
      else
        said = g_strdup_printf (_("Wrote modes.csv%s and tables/modes.tex to %s"),
                                self->mixed != NULL ? ", mixed.csv" : "", dir);
      gtk_label_set_text (self->export_status, said);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_status), said);
    }
  g_clear_object (&self->chooser);
}

static void
export_clicked_cb (GtkButton *button, StudioAnglesView *self)
{
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export the Tables to a Folder"),
                                               GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Export"), _("_Cancel"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
studio_angles_view_set_source (StudioAnglesView *self, const TgModes *modes,
                               const StudioConfig *cfg)
{
  self->modes = modes;
  studio_config_clear (&self->cfg);
  studio_config_copy (&self->cfg, cfg);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sweep_button),
                            modes != NULL && self->cancellable == NULL);
}

static void
sweep_clicked_cb (GtkButton *button, StudioAnglesView *self)
{
  studio_angles_view_start (self);
}

/* The kept modes' rows when an export leaves some out. */
typedef struct {
  const char **names;
  double      *targets, *acc, *acc_hard;
} ModesCopy;

static void
modes_copy_clear (ModesCopy *c)
{
  g_clear_pointer (&c->names, g_free);
  g_clear_pointer (&c->targets, g_free);
  g_clear_pointer (&c->acc, g_free);
  g_clear_pointer (&c->acc_hard, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ModesCopy, modes_copy_clear)

/* The figure's data from the sweep; with excluded (an export's), those modes left out,
 * their rows copied into copy. */
static void
angles_data (StudioAnglesView *self, TgModesByAngleData *data, char *caption, gsize len,
             const char *const *excluded, ModesCopy *copy)
{
  memset (data, 0, sizeof *data);
  if (self->sweep != NULL)
    {
      data->n_modes = self->sweep->n_modes;
      data->n_angles = self->sweep->n_angles;
      data->names = (const char **) self->names->pdata;
      data->target_angles = (const double *) self->targets->data;
      data->angles = self->sweep->angles;
      data->acc = self->sweep->acc_soft;
      data->acc_hard = self->sweep->acc_hard;
      g_snprintf (caption, len,
                  "Test accuracy of each open mode on the test set rotated by each angle "
                  "(soft gates, solid; hard gates, dashed where they differ); diamonds mark "
                  "the angle an adapter was trained for.");
    }
  else
    g_snprintf (caption, len,
                _("Open a foundation and its adapters (Ctrl+O), then press “Sweep Angles”."));
  data->caption = caption;
  if (excluded != NULL && data->n_modes > 0)
    {
      gsize nm = data->n_modes, na = data->n_angles;
      copy->names = g_new0 (const char *, nm);
      copy->targets = g_new (double, nm);
      copy->acc = g_new (double, nm * na);
      copy->acc_hard = g_new (double, nm * na);
      tg_plot_modes_exclude (data, copy->names, copy->targets, copy->acc, copy->acc_hard,
                             excluded);
    }
}

static void
studio_angles_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                const TgPlotStyle *style, gboolean for_export)
{
  TgModesByAngleData data;
  char caption[320];
  g_auto(ModesCopy) copy = { NULL };
  angles_data (STUDIO_ANGLES_VIEW (view), &data, caption, sizeof caption,
               for_export ? studio_view_get_export_excluded (view) : NULL, &copy);
  tg_plot_modes_by_angle (cr, width, height, &data, style);
}

/* The numbers drawn, written beside every export. */
static char *
studio_angles_view_dup_csv (StudioView *view)
{
  TgModesByAngleData data;
  char caption[320];
  g_auto(ModesCopy) copy = { NULL };
  angles_data (STUDIO_ANGLES_VIEW (view), &data, caption, sizeof caption,
               studio_view_get_export_excluded (view), &copy);
  return tg_plot_modes_by_angle_csv (&data);
}

/* The open modes, which an export may leave out. */
static char **
studio_angles_view_list_series (StudioView *view)
{
  StudioAnglesView *self = STUDIO_ANGLES_VIEW (view);
  guint n = self->sweep != NULL ? self->sweep->n_modes : 0;
  char **names = g_new0 (char *, n + 1);
  for (guint m = 0; m < n; m++)
    names[m] = g_strdup (g_ptr_array_index (self->names, m));
  return names;
}

static char *
studio_angles_view_describe (StudioView *view)
{
  return g_strdup (_("Test accuracy of every open mode against the rotation of the test set, "
                   "and the accuracy of choosing the mode per input on a mixed stream."));
}

GtkWidget *
studio_angles_view_new (void)
{
  return g_object_new (STUDIO_TYPE_ANGLES_VIEW, NULL);
}

static void
studio_angles_view_dispose (GObject *object)
{
  StudioAnglesView *self = STUDIO_ANGLES_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  self->modes = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_ANGLES_VIEW);
  G_OBJECT_CLASS (studio_angles_view_parent_class)->dispose (object);
}

static void
studio_angles_view_finalize (GObject *object)
{
  StudioAnglesView *self = STUDIO_ANGLES_VIEW (object);

  studio_config_clear (&self->cfg);
  g_clear_pointer (&self->sweep, tg_angle_sweep_free);
  g_clear_pointer (&self->mixed, tg_mixed_result_free);
  g_clear_pointer (&self->swept, tg_modes_free);
  g_ptr_array_unref (self->names);
  g_array_unref (self->targets);
  G_OBJECT_CLASS (studio_angles_view_parent_class)->finalize (object);
}

static void
studio_angles_view_class_init (StudioAnglesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  object_class->dispose = studio_angles_view_dispose;
  object_class->finalize = studio_angles_view_finalize;
  view_class->draw_figure = studio_angles_view_draw_figure;
  view_class->dup_csv = studio_angles_view_dup_csv;
  view_class->list_series = studio_angles_view_list_series;
  view_class->describe = studio_angles_view_describe;
  signals[SIGNAL_DONE] = g_signal_new ("sweep-done", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-angles-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioAnglesView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioAnglesView, sweep_button);
  gtk_widget_class_bind_template_child (widget_class, StudioAnglesView, step);
  gtk_widget_class_bind_template_child (widget_class, StudioAnglesView, progress);
  gtk_widget_class_bind_template_child (widget_class, StudioAnglesView, table);
  gtk_widget_class_bind_template_child (widget_class, StudioAnglesView, export_button);
  gtk_widget_class_bind_template_child (widget_class, StudioAnglesView, export_status);
}

static void
studio_angles_view_init (StudioAnglesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_config_init_paper (&self->cfg);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->targets = g_array_new (FALSE, FALSE, sizeof (double));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  g_signal_connect (self->sweep_button, "clicked", G_CALLBACK (sweep_clicked_cb), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sweep_button), FALSE);
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (export_clicked_cb), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
}
