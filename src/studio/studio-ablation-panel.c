/* studio-ablation-panel.c — the inspector's ablation and forcing: the workspace's set of
 * edits, measured with tg_unit_ablation in a GTask on the latest model copy (an immutable
 * snapshot kept alive by the task) and the workspace's test set (a reference the task holds),
 * one measurement at a time, and a text readout of what it did. */
#include "studio-ablation-panel.h"

#include <glib/gi18n.h>

#include <math.h>
#include "studio-task-hold.h"

#define ABLATION_SELECTIVE_K 10
#define ABLATION_ON_THRESHOLD 0.5f

struct _StudioAblationPanel
{
  GtkBox parent_instance;

  /* template widgets */
  GtkAdjustment *digit_adj;
  GtkLabel      *state, *readout, *confusion;
  GtkWidget     *readout_scroll;   /* the readout, scrolled */

  StudioWorkspace *workspace;    /* owned: its ablation set is the one edited */
  gulong         ablation_id, data_id;
  TgUnitId       unit;
  StudioSnapshot *snap;          /* the model to ablate */
  guint          generation;     /* bumped by every change of the edits or the model */
  guint          measured_generation;
  gboolean       running;
  TgClassEval    base[2], edited[2];
  gboolean       have_result;
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (StudioAblationPanel, studio_ablation_panel, GTK_TYPE_BOX)

static guint changed_signal;

typedef struct {
  StudioSnapshot *snap;
  StudioTestSet  *test_set;
  GArray         *edits;
  guint           generation;
  TgClassEval     base[2], edited[2];
  StudioTaskHold *hold;          /* the application, until the thread is done */
} AblationTask;

static void
ablation_task_free (gpointer data)
{
  AblationTask *t = data;
  studio_snapshot_unref (t->snap);
  studio_test_set_unref (t->test_set);
  g_array_unref (t->edits);
  studio_task_hold_release (t->hold);
  for (guint i = 0; i < 2; i++)
    {
      tg_class_eval_clear (&t->base[i]);
      tg_class_eval_clear (&t->edited[i]);
    }
  g_free (t);
}

/* The 0° test images the inspector uses and their rotation by angle (sets[1]). */
static void
test_sets (const StudioTestSet *set, double angle, TgDataset **sets)
{
  const TgDataset *full = set->data;
  sets[0] = tg_dataset_head (full, MIN (full->n, STUDIO_TEST_SET_INSPECT));
  sets[1] = tg_dataset_rotated (sets[0], angle);
}

/* The same from the workspace's test set, on the main thread; FALSE when there is none. */
static gboolean
workspace_test_sets (StudioAblationPanel *self, TgDataset **sets)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StudioTestSet) set = studio_workspace_dup_test_set (self->workspace, &error);
  if (set == NULL)
    {
      gtk_label_set_text (self->state, error->message);
      return FALSE;
    }
  test_sets (set, self->snap->angle, sets);
  return TRUE;
}

static const TgUnitEdit *
get_edits (StudioAblationPanel *self, guint *n)
{
  return studio_workspace_get_edits (self->workspace, n);
}

static void
ablation_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  AblationTask *t = data;
  GError *error = NULL;
  TgDataset *sets[2];
  test_sets (t->test_set, t->snap->angle, sets);
  TgForwardOpts opts = { t->snap->hard_gates ? TG_GATES_HARD : TG_GATES_SOFT, t->snap->sharpness };
  gboolean ok = TRUE;
  for (guint i = 0; i < 2 && ok; i++)
    ok = tg_unit_ablation (t->snap->model, sets[i], (const TgUnitEdit *) t->edits->data,
                           t->edits->len, &opts, &t->base[i], &t->edited[i], &error);
  tg_dataset_free (sets[0]);
  tg_dataset_free (sets[1]);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void update_state (StudioAblationPanel *self);
static void maybe_measure (StudioAblationPanel *self);

static void
append_class_row (GString *s, const char *name, const TgClassEval *ev)
{
  g_string_append_printf (s, "%-9s", name);
  for (guint c = 0; c < ev->n_classes; c++)
    g_string_append_printf (s, " %5.1f", 100 * ev->acc_class[c]);
  g_string_append_printf (s, " │ %5.1f\n", 100 * ev->acc);
}

static void
show_readout (StudioAblationPanel *self)
{
  gtk_widget_set_visible (self->readout_scroll, self->have_result);
  if (!self->have_result)
    return;
  /* a subset, so the readout says which: the status line's accuracy is the whole set's */
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, _("Accuracy per digit (%%) on the first %u test images of each "
                               "set\n(the status line's accuracy is on the whole test set)\n"),
                          self->base[0].n);
  g_string_append (s, "         ");
  for (guint c = 0; c < self->base[0].n_classes; c++)
    g_string_append_printf (s, " %5u", c);
  g_string_append (s, " │   all\n");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *a = g_strdup_printf ("%s", i == 0 ? "0°" : "target");
      g_autofree char *b = g_strdup_printf ("%s base", a);
      g_autofree char *e = g_strdup_printf ("%s ablat", a);
      append_class_row (s, b, &self->base[i]);
      append_class_row (s, e, &self->edited[i]);
    }
  gtk_label_set_text (self->readout, s->str);
  g_string_truncate (s, 0);
  guint k = self->edited[1].n_classes;
  g_string_append (s, _("Confusion, target set, ablated (rows: true, columns: predicted)\n   "));
  for (guint c = 0; c < k; c++)
    g_string_append_printf (s, " %4u", c);
  g_string_append_c (s, '\n');
  for (guint r = 0; r < k; r++)
    {
      g_string_append_printf (s, "%2u ", r);
      for (guint c = 0; c < k; c++)
        g_string_append_printf (s, " %4u", self->edited[1].confusion[r * k + c]);
      g_string_append_c (s, '\n');
    }
  gtk_label_set_text (self->confusion, s->str);
  g_string_free (s, TRUE);
}

static void
ablation_done (GObject *source, GAsyncResult *result, gpointer data)
{
  StudioAblationPanel *self = STUDIO_ABLATION_PANEL (source);
  AblationTask *t = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  self->running = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->state, error->message);
      return;
    }
  for (guint i = 0; i < 2; i++)
    {
      tg_class_eval_clear (&self->base[i]);
      tg_class_eval_clear (&self->edited[i]);
      self->base[i] = t->base[i];
      self->edited[i] = t->edited[i];
      t->base[i] = (TgClassEval) { 0 };
      t->edited[i] = (TgClassEval) { 0 };
    }
  self->have_result = TRUE;
  self->measured_generation = t->generation;
  show_readout (self);
  maybe_measure (self);
}

static void
maybe_measure (StudioAblationPanel *self)
{
  guint n;
  const TgUnitEdit *edits = get_edits (self, &n);
  if (self->running || self->snap == NULL || n == 0 ||
      (self->have_result && self->measured_generation == self->generation))
    return;
  g_autoptr (GError) error = NULL;
  StudioTestSet *set = studio_workspace_dup_test_set (self->workspace, &error);
  if (set == NULL)
    {
      gtk_label_set_text (self->state, error->message);
      return;
    }
  AblationTask *t = g_new0 (AblationTask, 1);
  t->snap = studio_snapshot_ref (self->snap);
  t->test_set = set;
  t->edits = g_array_new (FALSE, FALSE, sizeof (TgUnitEdit));
  g_array_append_vals (t->edits, edits, n);
  t->generation = self->generation;
  /* The thread uses OpenBLAS, which goes away when the process ends: quitting at once after
   * a shift-click crashed in cblas_sgemm. The application lives until the task is freed. */
  t->hold = studio_task_hold_new ();
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, ablation_done, NULL);
  g_task_set_task_data (task, t, ablation_task_free);
  self->running = TRUE;
  g_task_run_in_thread (task, ablation_thread);
}

static void
changed (StudioAblationPanel *self)
{
  self->generation++;
  update_state (self);
  maybe_measure (self);
  g_signal_emit (self, changed_signal, 0);
}

static void
update_state (StudioAblationPanel *self)
{
  guint n_edits;
  const TgUnitEdit *edits = get_edits (self, &n_edits);
  if (n_edits == 0)
    {
      gtk_label_set_text (self->state, _("No unit silenced or forced."));
      self->have_result = FALSE;
      show_readout (self);
      return;
    }
  GString *s = g_string_new (NULL);
  for (guint pass = 0; pass < 2; pass++)
    {
      guint n = 0;
      GString *list = g_string_new (NULL);
      for (guint i = 0; i < n_edits; i++)
        {
          const TgUnitEdit *e = &edits[i];
          if (e->action != (pass == 0 ? TG_UNIT_SILENCE : TG_UNIT_FORCE_ON))
            continue;
          if (n < 12)
            g_string_append_printf (list, "%s%u:%u", n > 0 ? ", " : "", e->unit.layer + 1,
                                    e->unit.index);
          n++;
        }
      if (n > 0)
        g_string_append_printf (s, "%s%s %u (%s%s)", s->len > 0 ? " · " : "",
                                pass == 0 ? _("Silenced") : _("Forced on"), n, list->str,
                                n > 12 ? ", …" : "");
      g_string_free (list, TRUE);
    }
  gtk_label_set_text (self->state, s->str);
  g_string_free (s, TRUE);
}

void
studio_ablation_panel_add (StudioAblationPanel *self, TgUnitId unit, TgUnitAction action)
{
  studio_workspace_add_edit (self->workspace, unit, action);
}

void
studio_ablation_panel_toggle (StudioAblationPanel *self, TgUnitId unit)
{
  studio_workspace_toggle_unit (self->workspace, unit);
}

const TgUnitEdit *
studio_ablation_panel_get_edits (StudioAblationPanel *self, guint *n_edits)
{
  return get_edits (self, n_edits);
}

/* units (n of them) silenced, in one change of the set */
static void
silence_units (StudioAblationPanel *self, const TgUnitId *units, guint n)
{
  g_autofree TgUnitEdit *edits = g_new (TgUnitEdit, MAX (n, 1u));
  for (guint i = 0; i < n; i++)
    edits[i] = (TgUnitEdit) { units[i], TG_UNIT_SILENCE };
  studio_workspace_add_edits (self->workspace, edits, n);
}

void
studio_ablation_panel_silence_selective (StudioAblationPanel *self, guint digit, guint k)
{
  TgDataset *sets[2];
  if (self->snap == NULL || !workspace_test_sets (self, sets))
    return;
  TgUnitId units[64];
  guint n = tg_unit_most_selective (self->snap->model, sets[1], digit, MIN (k, 64), units);
  tg_dataset_free (sets[0]);
  tg_dataset_free (sets[1]);
  silence_units (self, units, n);
}

void
studio_ablation_panel_silence_only_0 (StudioAblationPanel *self)
{
  TgDataset *sets[2];
  if (self->snap == NULL || !workspace_test_sets (self, sets))
    return;
  g_autoptr (GArray) units = tg_unit_on_only (self->snap->model, sets[0], self->snap->model,
                                              sets[1], ABLATION_ON_THRESHOLD);
  tg_dataset_free (sets[0]);
  tg_dataset_free (sets[1]);
  silence_units (self, (const TgUnitId *) units->data, units->len);
}

void
studio_ablation_panel_clear (StudioAblationPanel *self)
{
  studio_workspace_clear_edits (self->workspace);
}

/* The set or the test set changed: measured again. */
static void
workspace_changed_cb (StudioWorkspace *workspace, StudioAblationPanel *self)
{
  changed (self);
}

void
studio_ablation_panel_set_workspace (StudioAblationPanel *self, StudioWorkspace *workspace)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (workspace));
  if (self->workspace == workspace)
    return;
  if (self->workspace != NULL)
    {
      g_clear_signal_handler (&self->ablation_id, self->workspace);
      g_clear_signal_handler (&self->data_id, self->workspace);
    }
  g_set_object (&self->workspace, workspace);
  self->ablation_id = g_signal_connect (workspace, "ablation-changed",
                                        G_CALLBACK (workspace_changed_cb), self);
  self->data_id = g_signal_connect (workspace, "data-set-changed",
                                    G_CALLBACK (workspace_changed_cb), self);
  changed (self);
}

static void silence_cb (GtkButton *b, StudioAblationPanel *self)
{ studio_ablation_panel_add (self, self->unit, TG_UNIT_SILENCE); }
static void force_cb (GtkButton *b, StudioAblationPanel *self)
{ studio_ablation_panel_add (self, self->unit, TG_UNIT_FORCE_ON); }
static void clear_cb (GtkButton *b, StudioAblationPanel *self)
{ studio_ablation_panel_clear (self); }
static void only0_cb (GtkButton *b, StudioAblationPanel *self)
{ studio_ablation_panel_silence_only_0 (self); }
static void selective_cb (GtkButton *b, StudioAblationPanel *self)
{
  studio_ablation_panel_silence_selective (self, (guint) gtk_adjustment_get_value (self->digit_adj),
                                           ABLATION_SELECTIVE_K);
}

void
studio_ablation_panel_set_snapshot (StudioAblationPanel *self, StudioSnapshot *snap)
{
  if (snap == NULL || snap->model == NULL || snap == self->snap)
    return;
  g_clear_pointer (&self->snap, studio_snapshot_unref);
  self->snap = studio_snapshot_ref (snap);
  self->generation++;
  maybe_measure (self);
}

void
studio_ablation_panel_set_unit (StudioAblationPanel *self, TgUnitId unit)
{
  self->unit = unit;
}

guint
studio_ablation_panel_get_n_edits (StudioAblationPanel *self)
{
  guint n;
  get_edits (self, &n);
  return n;
}

const TgClassEval *
studio_ablation_panel_get_base (StudioAblationPanel *self, guint set)
{
  return self->have_result && set < 2 ? &self->base[set] : NULL;
}

const TgClassEval *
studio_ablation_panel_get_edited (StudioAblationPanel *self, guint set)
{
  return self->have_result && set < 2 ? &self->edited[set] : NULL;
}

gboolean
studio_ablation_panel_is_busy (StudioAblationPanel *self)
{
  return self->running ||
         (self->snap != NULL && studio_ablation_panel_get_n_edits (self) > 0 &&
          (!self->have_result || self->measured_generation != self->generation));
}

GtkWidget *
studio_ablation_panel_new (void)
{
  return g_object_new (STUDIO_TYPE_ABLATION_PANEL, NULL);
}

static void
studio_ablation_panel_dispose (GObject *object)
{
  StudioAblationPanel *self = STUDIO_ABLATION_PANEL (object);
  g_cancellable_cancel (self->cancellable);
  if (self->workspace != NULL)
    {
      g_clear_signal_handler (&self->ablation_id, self->workspace);
      g_clear_signal_handler (&self->data_id, self->workspace);
    }
  g_clear_object (&self->workspace);
  g_clear_pointer (&STUDIO_ABLATION_PANEL (object)->snap, studio_snapshot_unref);
  G_OBJECT_CLASS (studio_ablation_panel_parent_class)->dispose (object);
}

static void
studio_ablation_panel_finalize (GObject *object)
{
  StudioAblationPanel *self = STUDIO_ABLATION_PANEL (object);
  for (guint i = 0; i < 2; i++)
    {
      tg_class_eval_clear (&self->base[i]);
      tg_class_eval_clear (&self->edited[i]);
    }
  g_clear_pointer (&self->snap, studio_snapshot_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (studio_ablation_panel_parent_class)->finalize (object);
}

static void
studio_ablation_panel_class_init (StudioAblationPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = studio_ablation_panel_dispose;
  G_OBJECT_CLASS (klass)->finalize = studio_ablation_panel_finalize;
  /* the set of edits changed (added, toggled, cleared), or the test set it is measured on */
  changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-ablation-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioAblationPanel, digit_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioAblationPanel, state);
  gtk_widget_class_bind_template_child (widget_class, StudioAblationPanel, readout);
  gtk_widget_class_bind_template_child (widget_class, StudioAblationPanel, confusion);
  gtk_widget_class_bind_template_child (widget_class, StudioAblationPanel, readout_scroll);
  gtk_widget_class_bind_template_callback (widget_class, silence_cb);
  gtk_widget_class_bind_template_callback (widget_class, force_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_cb);
  gtk_widget_class_bind_template_callback (widget_class, only0_cb);
  gtk_widget_class_bind_template_callback (widget_class, selective_cb);
}

static void
studio_ablation_panel_init (StudioAblationPanel *self)
{
  g_autoptr (StudioWorkspace) own = studio_workspace_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* a panel alone edits a set of its own; the inspector gives it the window's */
  studio_ablation_panel_set_workspace (self, own);
}
