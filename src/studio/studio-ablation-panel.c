/* SPDX-License-Identifier: MIT */
/* studio-ablation-panel.c — the inspector's ablation and forcing: a set of edits, measured
 * with tg_unit_ablation in a GTask on the latest model copy (an immutable snapshot kept
 * alive by the task), one measurement at a time, and a text readout of what it did. */
#include "studio-ablation-panel.h"

#include <math.h>
#include "studio-test-set.h"

#define ABLATION_SELECTIVE_K 10
#define ABLATION_ON_THRESHOLD 0.5f

struct _StudioAblationPanel
{
  GtkBox parent_instance;

  /* template widgets */
  GtkAdjustment *digit_adj;
  GtkLabel      *state, *readout, *confusion;
  GtkWidget     *readout_scroll;   /* the readout, scrolled */

  GArray        *edits;          /* TgUnitEdit */
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
  GArray         *edits;
  guint           generation;
  TgClassEval     base[2], edited[2];
} AblationTask;

static void
ablation_task_free (gpointer data)
{
  AblationTask *t = data;
  studio_snapshot_unref (t->snap);
  g_array_unref (t->edits);
  for (guint i = 0; i < 2; i++)
    {
      tg_class_eval_clear (&t->base[i]);
      tg_class_eval_clear (&t->edited[i]);
    }
  g_free (t);
}

/* The 0° test images the inspector uses and their rotation by angle (sets[1]). */
static gboolean
test_sets (double angle, TgDataset **sets, GError **error)
{
  const TgDataset *full = studio_test_set_get (error);
  if (full == NULL)
    return FALSE;
  sets[0] = tg_dataset_head (full, MIN (full->n, STUDIO_TEST_SET_INSPECT));
  sets[1] = tg_dataset_rotated (sets[0], angle);
  return TRUE;
}

static void
ablation_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  AblationTask *t = data;
  GError *error = NULL;
  TgDataset *sets[2];
  if (!test_sets (t->snap->angle, sets, &error))
    {
      g_task_return_error (task, error);
      return;
    }
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
  GString *s = g_string_new ("Accuracy per digit (%)\n         ");
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
  g_string_append (s, "Confusion, target set, ablated (rows: true, columns: predicted)\n   ");
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
  /* the measurement that held the application is over (see maybe_measure) */
  if (g_application_get_default () != NULL)
    g_application_release (g_application_get_default ());
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
  if (self->running || self->snap == NULL || self->edits->len == 0 ||
      (self->have_result && self->measured_generation == self->generation))
    return;
  AblationTask *t = g_new0 (AblationTask, 1);
  t->snap = studio_snapshot_ref (self->snap);
  t->edits = g_array_copy (self->edits);
  t->generation = self->generation;
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, ablation_done, NULL);
  g_task_set_task_data (task, t, ablation_task_free);
  self->running = TRUE;
  /* The thread uses OpenBLAS and the shared test set, which go away when the process ends:
   * quitting at once after a shift-click crashed in cblas_sgemm. The application lives
   * until the measurement is over (ablation_done releases it). */
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());
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
  if (self->edits->len == 0)
    {
      gtk_label_set_text (self->state, "No unit silenced or forced.");
      self->have_result = FALSE;
      show_readout (self);
      return;
    }
  GString *s = g_string_new (NULL);
  for (guint pass = 0; pass < 2; pass++)
    {
      guint n = 0;
      GString *list = g_string_new (NULL);
      for (guint i = 0; i < self->edits->len; i++)
        {
          TgUnitEdit *e = &g_array_index (self->edits, TgUnitEdit, i);
          if (e->action != (pass == 0 ? TG_UNIT_SILENCE : TG_UNIT_FORCE_ON))
            continue;
          if (n < 12)
            g_string_append_printf (list, "%s%u:%u", n > 0 ? ", " : "", e->unit.layer + 1,
                                    e->unit.index);
          n++;
        }
      if (n > 0)
        g_string_append_printf (s, "%s%s %u (%s%s)", s->len > 0 ? " · " : "",
                                pass == 0 ? "Silenced" : "Forced on", n, list->str,
                                n > 12 ? ", …" : "");
      g_string_free (list, TRUE);
    }
  gtk_label_set_text (self->state, s->str);
  g_string_free (s, TRUE);
}

void
studio_ablation_panel_add (StudioAblationPanel *self, TgUnitId unit, TgUnitAction action)
{
  for (guint i = 0; i < self->edits->len; i++)
    {
      TgUnitEdit *e = &g_array_index (self->edits, TgUnitEdit, i);
      if (e->unit.layer == unit.layer && e->unit.index == unit.index)
        {
          e->action = action;
          changed (self);
          return;
        }
    }
  TgUnitEdit e = { unit, action };
  g_array_append_val (self->edits, e);
  changed (self);
}

void
studio_ablation_panel_toggle (StudioAblationPanel *self, TgUnitId unit)
{
  for (guint i = 0; i < self->edits->len; i++)
    {
      TgUnitEdit *e = &g_array_index (self->edits, TgUnitEdit, i);
      if (e->unit.layer == unit.layer && e->unit.index == unit.index)
        {
          g_array_remove_index (self->edits, i);
          changed (self);
          return;
        }
    }
  studio_ablation_panel_add (self, unit, TG_UNIT_SILENCE);
}

const TgUnitEdit *
studio_ablation_panel_get_edits (StudioAblationPanel *self, guint *n_edits)
{
  *n_edits = self->edits->len;
  return (const TgUnitEdit *) self->edits->data;
}

void
studio_ablation_panel_silence_selective (StudioAblationPanel *self, guint digit, guint k)
{
  g_autoptr (GError) error = NULL;
  TgDataset *sets[2];
  if (self->snap == NULL || !test_sets (self->snap->angle, sets, &error))
    return;
  TgUnitId units[64];
  guint n = tg_unit_most_selective (self->snap->model, sets[1], digit, MIN (k, 64), units);
  tg_dataset_free (sets[0]);
  tg_dataset_free (sets[1]);
  for (guint i = 0; i < n; i++)
    studio_ablation_panel_add (self, units[i], TG_UNIT_SILENCE);
}

void
studio_ablation_panel_silence_only_0 (StudioAblationPanel *self)
{
  g_autoptr (GError) error = NULL;
  TgDataset *sets[2];
  if (self->snap == NULL || !test_sets (self->snap->angle, sets, &error))
    return;
  g_autoptr (GArray) units = tg_unit_on_only (self->snap->model, sets[0], self->snap->model,
                                              sets[1], ABLATION_ON_THRESHOLD);
  tg_dataset_free (sets[0]);
  tg_dataset_free (sets[1]);
  for (guint i = 0; i < units->len; i++)
    studio_ablation_panel_add (self, g_array_index (units, TgUnitId, i), TG_UNIT_SILENCE);
}

void
studio_ablation_panel_clear (StudioAblationPanel *self)
{
  g_array_set_size (self->edits, 0);
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
  return self->edits->len;
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
         (self->snap != NULL && self->edits->len > 0 &&
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
  g_cancellable_cancel (STUDIO_ABLATION_PANEL (object)->cancellable);
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
  g_array_unref (self->edits);
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
  /* the set of edits changed (added, toggled, cleared) */
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
  self->edits = g_array_new (FALSE, FALSE, sizeof (TgUnitEdit));
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  update_state (self);
}
