/* SPDX-License-Identifier: MIT */
/* studio-mode-map-view.c — the Mode Map view: tg_plot_mode_matrix above tg_plot_mode_map,
 * of the open modes, measured off the main thread (tg-zoo.h). The test angles are the
 * modes' own angles (and 0°), so each row's own cell lies in the matrix. */
#include "studio-mode-map-view.h"

#include <math.h>
#include "studio-task-hold.h"
#include "studio-view.h"
#include "tg-csv.h"
#include "tg-plot-zoo.h"
#include "tg-zoo.h"

struct _StudioModeMapView
{
  StudioView parent_instance;

  /* template widgets */
  GtkDrawingArea *area;
  GtkLabel       *status;

  /* borrowed */
  const TgModes  *modes;
  /* owned */
  GCancellable   *measuring;
  TgAccMatrix    *matrix;
  TgModeMap      *map;
  guint          *map_modes;   /* map row -> index into the modes */
  char          **row_labels;  /* the matrix's rows, then the map's: short_labels() */
  char          **map_labels;
  gboolean        disposed;    /* a measurement ending later finds nothing to show */
};

G_DEFINE_FINAL_TYPE (StudioModeMapView, studio_mode_map_view, STUDIO_TYPE_VIEW)

enum { SIGNAL_PAIR_ACTIVATED, SIGNAL_MEASURED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- measuring ------------------------------------------------------------------------- */

typedef struct {
  guint     n;                 /* modes */
  TgModel **models;
  float    *sharpness;
  double   *angles;
  char    **names;             /* n + NULL */
  TgAccMatrix *matrix;
  TgModeMap   *map;
  guint    *map_modes;
  StudioTestSet  *test_set;    /* the workspace's, held until the job is done */
  StudioTaskHold *hold;
} MapJob;

static void
map_job_free (MapJob *job)
{
  for (guint k = 0; k < job->n; k++)
    tg_model_free (job->models[k]);
  g_free (job->models);
  g_free (job->sharpness);
  g_free (job->angles);
  g_strfreev (job->names);
  g_clear_pointer (&job->matrix, tg_acc_matrix_free);
  g_clear_pointer (&job->map, tg_mode_map_free);
  g_free (job->map_modes);
  g_clear_pointer (&job->test_set, studio_test_set_unref);
  studio_task_hold_release (job->hold);
  g_free (job);
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The matrix and the map of job's modes into job; FALSE with error. */
static gboolean
measure_job (MapJob *job, GCancellable *cancellable, GError **out_error)
{
  GError *error = NULL;
  const TgDataset *full = job->test_set->data;
  g_autoptr (TgDataset) test = tg_dataset_head (full, MIN (full->n, STUDIO_TEST_SET_INSPECT));
  /* the test angles: 0 and every mode's own, each once, in order */
  g_autoptr (GArray) angles = g_array_new (FALSE, FALSE, sizeof (double));
  double zero = 0.0;
  g_array_append_val (angles, zero);
  for (guint k = 0; k < job->n; k++)
    if (isfinite (job->angles[k]))
      g_array_append_val (angles, job->angles[k]);
  g_array_sort (angles, cmp_double);
  guint n_angles = 0;
  for (guint i = 0; i < angles->len; i++)
    if (n_angles == 0 || g_array_index (angles, double, i) !=
                         g_array_index (angles, double, n_angles - 1))
      g_array_index (angles, double, n_angles++) = g_array_index (angles, double, i);

  job->matrix = tg_acc_matrix_measure (job->models[0], (const TgModel *const *) job->models,
                                       job->sharpness, (const char *const *) job->names,
                                       job->angles, job->n, test, (double *) angles->data,
                                       n_angles, 1, cancellable, &error);
  /* the map: the gated modes with an angle of their own */
  g_autoptr (GPtrArray) gm = g_ptr_array_new ();
  g_autoptr (GPtrArray) gn = g_ptr_array_new ();
  g_autoptr (GArray) gs = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr (GArray) ga = g_array_new (FALSE, FALSE, sizeof (double));
  job->map_modes = g_new0 (guint, job->n);
  guint n_map = 0;
  for (guint k = 0; k < job->n && job->matrix != NULL; k++)
    if (tg_method_info (job->models[k]->method)->gated && isfinite (job->angles[k]))
      {
        g_ptr_array_add (gm, job->models[k]);
        g_ptr_array_add (gn, job->names[k]);
        g_array_append_val (gs, job->sharpness[k]);
        g_array_append_val (ga, job->angles[k]);
        job->map_modes[n_map++] = k;
      }
  if (job->matrix != NULL && n_map > 0)
    job->map = tg_mode_map_measure ((const TgModel *const *) gm->pdata, (float *) gs->data,
                                    (const char *const *) gn->pdata, (double *) ga->data, n_map,
                                    test, TG_MODE_MAP_THRESHOLD, 1, cancellable, &error);
  if (error != NULL)
    {
      g_propagate_error (out_error, error);
      return FALSE;
    }
  return TRUE;
}

static void
map_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  if (measure_job (data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The modes' angles ("30°"), as 36 names of "TauGate 30°" do not fit beside a panel; where
 * two modes share an angle (a mode trained here and Overlap's of the same angle), its row
 * number before it ("2 · 45°"); the hover and the CSV give the names. A mode without an
 * angle keeps its name ("Base"). */
static char **
short_labels (char *const *names, const double *angles, guint n)
{
  gboolean distinct = TRUE;
  for (guint i = 0; i < n && distinct; i++)
    for (guint j = i + 1; j < n && distinct; j++)
      distinct = !(isfinite (angles[i]) && angles[i] == angles[j]);
  char **labels = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    labels[i] = !isfinite (angles[i]) ? g_strdup (names[i])
                : distinct ? g_strdup_printf ("%g°", angles[i])
                : g_strdup_printf ("%u · %g°", i + 1, angles[i]);
  return labels;
}

static void install (StudioModeMapView *self, MapJob *job);

static void
map_done (GObject *source, GAsyncResult *result, gpointer data)
{
  StudioModeMapView *self = STUDIO_MODE_MAP_VIEW (source);
  MapJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || self->disposed)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
        return;
      gtk_label_set_text (self->status, error->message);
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("%u modes on %u test angles, the first %u test "
                                               "images; the map: %u gated modes. Click a pair "
                                               "of the map to compare it in Overlap.",
                                               job->matrix->n_modes, job->matrix->n_angles,
                                               job->matrix->n_test,
                                               job->map != NULL ? job->map->n_modes : 0);
      gtk_label_set_text (self->status, text);
    }
  g_clear_object (&self->measuring);
  install (self, job);
  g_signal_emit (self, signals[SIGNAL_MEASURED], 0);
}

/* job's results become what the view shows. */
static void
install (StudioModeMapView *self, MapJob *job)
{
  g_clear_pointer (&self->matrix, tg_acc_matrix_free);
  g_clear_pointer (&self->map, tg_mode_map_free);
  g_clear_pointer (&self->map_modes, g_free);
  self->matrix = g_steal_pointer (&job->matrix);
  self->map = g_steal_pointer (&job->map);
  self->map_modes = g_steal_pointer (&job->map_modes);
  g_clear_pointer (&self->row_labels, g_strfreev);
  g_clear_pointer (&self->map_labels, g_strfreev);
  if (self->matrix != NULL)
    self->row_labels = short_labels (self->matrix->names, self->matrix->mode_angles,
                                     self->matrix->n_modes);
  if (self->map != NULL)
    self->map_labels = short_labels (self->map->names, self->map->mode_angles,
                                     self->map->n_modes);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static MapJob *map_job_new (StudioModeMapView *self, const TgModes *modes, GError **error);

void
studio_mode_map_view_set_modes (StudioModeMapView *self, const TgModes *modes)
{
  if (self->disposed)
    return;
  if (self->measuring != NULL)
    g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  self->modes = modes;
  if (modes == NULL)
    {
      g_clear_pointer (&self->matrix, tg_acc_matrix_free);
      g_clear_pointer (&self->map, tg_mode_map_free);
      gtk_label_set_text (self->status, "Open a foundation and its adapters (Ctrl+O) to see "
                          "their accuracy matrix and mode map.");
      gtk_widget_queue_draw (GTK_WIDGET (self->area));
      return;
    }
  g_autoptr (GError) error = NULL;
  MapJob *job = map_job_new (self, modes, &error);
  if (job == NULL)
    {
      gtk_label_set_text (self->status, error->message);
      return;
    }
  gtk_label_set_text (self->status, "Measuring the open modes…");
  self->measuring = g_cancellable_new ();
  g_autoptr (GTask) task = g_task_new (self, self->measuring, map_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) map_job_free);
  g_task_run_in_thread (task, map_thread);
}

/* Copies of the modes to measure away from the window's own, on the workspace's test set;
 * NULL with error when it cannot be read. */
static MapJob *
map_job_new (StudioModeMapView *self, const TgModes *modes, GError **error)
{
  StudioTestSet *test_set = studio_workspace_dup_test_set (
    studio_view_get_workspace (STUDIO_VIEW (self)), error);
  if (test_set == NULL)
    return NULL;
  MapJob *job = g_new0 (MapJob, 1);
  job->test_set = test_set;
  job->hold = studio_task_hold_new ();
  job->n = tg_modes_count (modes);
  job->models = g_new0 (TgModel *, job->n);
  job->sharpness = g_new (float, job->n);
  job->angles = g_new (double, job->n);
  job->names = g_new0 (char *, job->n + 1);
  for (guint k = 0; k < job->n; k++)
    {
      const TgMode *mode = tg_modes_get (modes, k);
      job->models[k] = tg_model_copy (mode->model);
      job->sharpness[k] = mode->sharpness;
      job->angles[k] = mode->target_angle;
      job->names[k] = g_strdup (mode->name);
    }
  return job;
}

/* An export before the background measurement ended measures here, on the main thread. */
static gboolean
studio_mode_map_view_prepare_export (StudioView *view, GError **error)
{
  StudioModeMapView *self = STUDIO_MODE_MAP_VIEW (view);
  if (self->modes == NULL || self->measuring == NULL)
    return TRUE;
  g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  MapJob *job = map_job_new (self, self->modes, error);
  if (job == NULL)
    return FALSE;
  gboolean ok = measure_job (job, NULL, error);
  if (ok)
    {
      install (self, job);
      gtk_label_set_text (self->status, "");
    }
  map_job_free (job);
  return ok;
}

gboolean
studio_mode_map_view_is_busy (StudioModeMapView *self)
{
  return self->measuring != NULL;
}

/* ---- drawing: the matrix above, the map below ---------------------------------------- */

typedef struct {
  TgModeMatrixData matrix;
  TgModeMapData    map;
  double           split;   /* the map's top */
} MapFigure;

static gboolean
figure_init (StudioModeMapView *self, MapFigure *fig, double height)
{
  memset (fig, 0, sizeof *fig);
  fig->split = floor (height * 0.42);
  if (self->matrix == NULL)
    return FALSE;
  tg_mode_matrix_data_from (&fig->matrix, self->matrix, FALSE);
  fig->matrix.mode_labels = (const char *const *) self->row_labels;
  fig->matrix.subtitle = "soft gates; each mode's own angle outlined";
  fig->matrix.caption = NULL;
  if (self->map != NULL)
    {
      tg_mode_map_data_from (&fig->map, self->map);
      fig->map.mode_labels = (const char *const *) self->map_labels;
      fig->map.subtitle = "Jaccard of the units on (mean gate > 0.9 on its own angle)";
    }
  return TRUE;
}

static void
studio_mode_map_view_draw_figure (StudioView *view, cairo_t *cr, double width, double height,
                                  const TgPlotStyle *style, gboolean for_export)
{
  StudioModeMapView *self = STUDIO_MODE_MAP_VIEW (view);
  MapFigure fig;
  double hx = 0, hy = 0;
  gboolean hover = !for_export && studio_view_get_hover (view, &hx, &hy);

  if (!figure_init (self, &fig, height))
    {
      tg_plot_mode_matrix (cr, width, height, NULL, style);
      return;
    }
  if (hover && hy < fig.split)
    fig.matrix.show_hover = tg_plot_mode_matrix_hit (width, fig.split, &fig.matrix, style, hx,
                                                     hy, &fig.matrix.hover_mode,
                                                     &fig.matrix.hover_angle);
  else if (hover && self->map != NULL)
    fig.map.show_hover = tg_plot_mode_map_hit (width, height - fig.split, &fig.map, style, hx,
                                               hy - fig.split, &fig.map.hover_layer,
                                               &fig.map.hover_a, &fig.map.hover_b);
  tg_plot_mode_matrix (cr, width, fig.split, &fig.matrix, style);
  cairo_save (cr);
  cairo_translate (cr, 0, fig.split);
  /* an export's style paints its background over the whole page: only the map's half */
  cairo_rectangle (cr, 0, 0, width, height - fig.split);
  cairo_clip (cr);
  tg_plot_mode_map (cr, width, height - fig.split, self->map != NULL ? &fig.map : NULL, style);
  cairo_restore (cr);
}

gboolean
studio_mode_map_view_click (StudioModeMapView *self, double x, double y)
{
  TgPlotStyle style;
  MapFigure fig;
  double w = gtk_widget_get_width (GTK_WIDGET (self->area));
  double h = gtk_widget_get_height (GTK_WIDGET (self->area));
  guint layer, a, b;

  studio_widget_plot_style (GTK_WIDGET (self->area), &style);
  if (!figure_init (self, &fig, h) || self->map == NULL || y < fig.split ||
      !tg_plot_mode_map_hit (w, h - fig.split, &fig.map, &style, x, y - fig.split, &layer, &a,
                             &b))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_PAIR_ACTIVATED], 0, self->map_modes[a],
                 self->map_modes[b]);
  return TRUE;
}

static void
pressed_cb (GtkGestureClick *click, int n_press, double x, double y, StudioModeMapView *self)
{
  studio_mode_map_view_click (self, x, y);
}

static char *
studio_mode_map_view_dup_csv (StudioView *view)
{
  StudioModeMapView *self = STUDIO_MODE_MAP_VIEW (view);
  MapFigure fig;
  /* the numbers of the open modes, not of a measurement still under way: measured here */
  if (self->modes != NULL && self->measuring != NULL)
    studio_mode_map_view_prepare_export (view, NULL);
  if (!figure_init (self, &fig, 1))
    return NULL;
  /* the CSV names the modes in full */
  fig.matrix.mode_labels = (const char *const *) self->matrix->names;
  if (self->map != NULL)
    fig.map.mode_labels = (const char *const *) self->map->names;
  /* one table for both figures (a CSV reader takes one header): a row per matrix cell
   * ("accuracy") and per map cell ("mode map"), the other figure's columns empty */
  TgCsv *csv = tg_csv_new ("table,mode,mode_angle,test_angle,accuracy,layer,mode_b,jaccard");
  const TgModeMatrixData *m = &fig.matrix;
  for (guint r = 0; m->acc != NULL && r < m->n_modes; r++)
    for (guint a = 0; a < m->n_angles; a++)
      {
        tg_csv_text (csv, "accuracy");
        tg_csv_text (csv, m->mode_labels[r]);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, m->mode_angles != NULL ? m->mode_angles[r] : NAN);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, m->test_angles[a]);
        tg_csv_number (csv, TG_NUMBER_SHORTEST, m->acc[(gsize) r * m->n_angles + a]);
        tg_csv_empty (csv);
        tg_csv_empty (csv);
        tg_csv_empty (csv);
        tg_csv_end_row (csv);
      }
  const TgModeMapData *p = &fig.map;
  guint n = self->map != NULL && p->jaccard != NULL ? p->n_modes : 0;
  for (guint l = 0; n > 0 && l < p->n_layers; l++)
    for (guint a = 0; a < n; a++)
      for (guint b = 0; b < n; b++)
        {
          g_autofree char *layer = p->layer_labels != NULL && p->layer_labels[l] != NULL
                                   ? g_strdup (p->layer_labels[l])
                                   : g_strdup_printf ("hidden %u", l + 1);
          tg_csv_text (csv, "mode map");
          tg_csv_text (csv, p->mode_labels[a]);
          tg_csv_empty (csv);
          tg_csv_empty (csv);
          tg_csv_empty (csv);
          tg_csv_text (csv, layer);
          tg_csv_text (csv, p->mode_labels[b]);
          tg_csv_number (csv, TG_NUMBER_SHORTEST, p->jaccard[((gsize) l * n + a) * n + b]);
          tg_csv_end_row (csv);
        }
  return tg_csv_free_to_text (csv);
}

static void
studio_mode_map_view_hover_changed (StudioView *view)
{
  gtk_widget_queue_draw (GTK_WIDGET (STUDIO_MODE_MAP_VIEW (view)->area));
}

static char *
studio_mode_map_view_describe (StudioView *view)
{
  return g_strdup ("The accuracy of every open mode on the test set rotated by each mode's "
                   "angle, and the Jaccard of the units on in every pair of gated modes, per "
                   "hidden layer.");
}

GtkWidget *
studio_mode_map_view_new (void)
{
  return g_object_new (STUDIO_TYPE_MODE_MAP_VIEW, NULL);
}

static void
studio_mode_map_view_dispose (GObject *object)
{
  StudioModeMapView *self = STUDIO_MODE_MAP_VIEW (object);
  self->disposed = TRUE;
  if (self->measuring != NULL)
    g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  g_clear_pointer (&self->matrix, tg_acc_matrix_free);
  g_clear_pointer (&self->map, tg_mode_map_free);
  g_clear_pointer (&self->map_modes, g_free);
  g_clear_pointer (&self->row_labels, g_strfreev);
  g_clear_pointer (&self->map_labels, g_strfreev);
  G_OBJECT_CLASS (studio_mode_map_view_parent_class)->dispose (object);
}

static void
studio_mode_map_view_modes_changed (StudioView *view, const TgModes *modes)
{
  studio_mode_map_view_set_modes (STUDIO_MODE_MAP_VIEW (view), modes);
}

static void
studio_mode_map_view_class_init (StudioModeMapViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StudioViewClass *view_class = STUDIO_VIEW_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = studio_mode_map_view_dispose;
  view_class->draw_figure = studio_mode_map_view_draw_figure;
  view_class->modes_changed = studio_mode_map_view_modes_changed;
  view_class->describe = studio_mode_map_view_describe;
  view_class->dup_csv = studio_mode_map_view_dup_csv;
  view_class->hover_changed = studio_mode_map_view_hover_changed;
  view_class->prepare_export = studio_mode_map_view_prepare_export;
  signals[SIGNAL_PAIR_ACTIVATED] =
    g_signal_new ("pair-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_MEASURED] =
    g_signal_new ("measured", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-mode-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioModeMapView, area);
  gtk_widget_class_bind_template_child (widget_class, StudioModeMapView, status);
}

static void
studio_mode_map_view_init (StudioModeMapView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_view_set_drawing_area (STUDIO_VIEW (self), self->area);
  gtk_label_set_text (self->status, "Open a foundation and its adapters (Ctrl+O) to see their "
                      "accuracy matrix and mode map.");
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (click));
}
