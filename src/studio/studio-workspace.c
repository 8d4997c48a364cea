/* studio-workspace.c — the window's state in one object (see studio-workspace.h): the
 * history, the unit selection and the data set with its test set. No widget here. */
#include "studio-workspace.h"

#include <gio/gio.h>
#include <string.h>

struct _StudioWorkspace
{
  GObject parent_instance;

  /* owned */
  StudioHistory *history;
  gboolean       has_selected;
  guint          selected_layer, selected_index;
  TgUnitOrder    order;
  GArray        *edits;         /* TgUnitEdit */
  char          *chosen_dir;    /* the window's folder, NULL: the default */
  char          *default_dir;   /* studio_default_data_dir (), looked up once */
  char          *data_dir;      /* the folder in force (the model's, else the chosen one) */
  StudioTestSet *test_set;      /* of data_dir; NULL until asked for */
  TgModes       *modes;         /* the open foundation and its adapters, or NULL */
  guint          active_mode;
};

G_DEFINE_FINAL_TYPE (StudioWorkspace, studio_workspace, G_TYPE_OBJECT)

enum { SELECTION_CHANGED, ORDER_CHANGED, ABLATION_CHANGED, DATA_SET_CHANGED, MODES_CHANGED,
       ACTIVE_MODE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- the test set ------------------------------------------------------------------------ */

static void
test_set_clear (gpointer data)
{
  StudioTestSet *set = data;
  g_free (set->dir);
  tg_dataset_free (set->data);
}

StudioTestSet *
studio_test_set_ref (StudioTestSet *set)
{
  return g_atomic_rc_box_acquire (set);
}

void
studio_test_set_unref (StudioTestSet *set)
{
  g_atomic_rc_box_release_full (set, test_set_clear);
}

/* ---- the data set ----------------------------------------------------------------------- */

/* The folder in force: the model shown's, else the chosen one, else the default. */
static void
update_data_dir (StudioWorkspace *self)
{
  StudioSnapshot *snap = studio_history_get_masks (self->history);
  const char *dir = snap != NULL && snap->data_dir != NULL ? snap->data_dir
                    : self->chosen_dir != NULL ? self->chosen_dir : self->default_dir;

  if (g_strcmp0 (dir, self->data_dir) == 0)
    return;
  g_free (self->data_dir);
  self->data_dir = g_strdup (dir);
  g_clear_pointer (&self->test_set, studio_test_set_unref);
  g_signal_emit (self, signals[DATA_SET_CHANGED], 0);
}

/* Connected before any view: the data set is current when the views hear of a change. */
static void
history_changed_cb (StudioHistory *history, StudioWorkspace *self)
{
  update_data_dir (self);
}

void
studio_workspace_set_data_dir (StudioWorkspace *self, const char *dir)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  if (g_strcmp0 (dir, self->chosen_dir) == 0)
    return;
  g_free (self->chosen_dir);
  self->chosen_dir = g_strdup (dir);
  update_data_dir (self);
}

const char *
studio_workspace_get_data_dir (StudioWorkspace *self)
{
  g_return_val_if_fail (STUDIO_IS_WORKSPACE (self), NULL);
  return self->data_dir;
}

StudioTestSet *
studio_workspace_dup_test_set (StudioWorkspace *self, GError **error)
{
  g_return_val_if_fail (STUDIO_IS_WORKSPACE (self), NULL);
  if (self->test_set == NULL)
    {
      g_autoptr (GError) local = NULL;
      TgDataset *data = tg_dataset_load_dir (self->data_dir, "t10k", 10, &local);
      if (data == NULL)
        {
          g_set_error (error, local->domain, local->code, "No test set in %s: %s",
                       self->data_dir, local->message);
          return NULL;
        }
      self->test_set = g_atomic_rc_box_new0 (StudioTestSet);
      self->test_set->dir = g_strdup (self->data_dir);
      self->test_set->data = data;
    }
  return studio_test_set_ref (self->test_set);
}

/* ---- the unit selection ----------------------------------------------------------------- */

void
studio_workspace_select_unit (StudioWorkspace *self, guint layer, guint index)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  if (self->has_selected && self->selected_layer == layer && self->selected_index == index)
    return;
  self->has_selected = TRUE;
  self->selected_layer = layer;
  self->selected_index = index;
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

void
studio_workspace_unselect_unit (StudioWorkspace *self)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  if (!self->has_selected)
    return;
  self->has_selected = FALSE;
  self->selected_layer = self->selected_index = 0;
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

gboolean
studio_workspace_get_selected_unit (StudioWorkspace *self, guint *layer, guint *index)
{
  g_return_val_if_fail (STUDIO_IS_WORKSPACE (self), FALSE);
  if (layer != NULL)
    *layer = self->selected_layer;
  if (index != NULL)
    *index = self->selected_index;
  return self->has_selected;
}

void
studio_workspace_set_unit_order (StudioWorkspace *self, TgUnitOrder order)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  g_return_if_fail (order < TG_UNIT_ORDER_N);
  if (self->order == order)
    return;
  self->order = order;
  g_signal_emit (self, signals[ORDER_CHANGED], 0);
}

TgUnitOrder
studio_workspace_get_unit_order (StudioWorkspace *self)
{
  g_return_val_if_fail (STUDIO_IS_WORKSPACE (self), TG_UNIT_ORDER_INDEX);
  return self->order;
}

/* ---- the ablation set --------------------------------------------------------------------- */

static gint
find_edit (StudioWorkspace *self, TgUnitId unit)
{
  for (guint i = 0; i < self->edits->len; i++)
    {
      const TgUnitEdit *e = &g_array_index (self->edits, TgUnitEdit, i);
      if (e->unit.layer == unit.layer && e->unit.index == unit.index)
        return (gint) i;
    }
  return -1;
}

/* TRUE when it changed the set. */
static gboolean
put_edit (StudioWorkspace *self, TgUnitId unit, TgUnitAction action)
{
  gint i = find_edit (self, unit);
  if (i >= 0)
    {
      TgUnitEdit *e = &g_array_index (self->edits, TgUnitEdit, i);
      if (e->action == action)
        return FALSE;
      e->action = action;
      return TRUE;
    }
  TgUnitEdit e = { unit, action };
  g_array_append_val (self->edits, e);
  return TRUE;
}

void
studio_workspace_add_edit (StudioWorkspace *self, TgUnitId unit, TgUnitAction action)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  if (put_edit (self, unit, action))
    g_signal_emit (self, signals[ABLATION_CHANGED], 0);
}

void
studio_workspace_add_edits (StudioWorkspace *self, const TgUnitEdit *edits, guint n)
{
  gboolean changed = FALSE;

  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  for (guint i = 0; i < n; i++)
    changed |= put_edit (self, edits[i].unit, edits[i].action);
  if (changed)
    g_signal_emit (self, signals[ABLATION_CHANGED], 0);
}

void
studio_workspace_toggle_unit (StudioWorkspace *self, TgUnitId unit)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  gint i = find_edit (self, unit);
  if (i < 0)
    {
      studio_workspace_add_edit (self, unit, TG_UNIT_SILENCE);
      return;
    }
  g_array_remove_index (self->edits, (guint) i);
  g_signal_emit (self, signals[ABLATION_CHANGED], 0);
}

void
studio_workspace_clear_edits (StudioWorkspace *self)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  if (self->edits->len == 0)
    return;
  g_array_set_size (self->edits, 0);
  g_signal_emit (self, signals[ABLATION_CHANGED], 0);
}

void
studio_workspace_set_edits (StudioWorkspace *self, const TgUnitEdit *edits, guint n)
{
  g_return_if_fail (STUDIO_IS_WORKSPACE (self));
  if (n == self->edits->len &&
      (n == 0 || memcmp (edits, self->edits->data, n * sizeof (TgUnitEdit)) == 0))
    return;
  g_array_set_size (self->edits, 0);
  if (n > 0)
    g_array_append_vals (self->edits, edits, n);
  g_signal_emit (self, signals[ABLATION_CHANGED], 0);
}

const TgUnitEdit *
studio_workspace_get_edits (StudioWorkspace *self, guint *n_edits)
{
  g_return_val_if_fail (STUDIO_IS_WORKSPACE (self), NULL);
  *n_edits = self->edits->len;
  return (const TgUnitEdit *) self->edits->data;
}

/* ---- life cycle ------------------------------------------------------------------------- */

StudioHistory *
studio_workspace_get_history (StudioWorkspace *self)
{
  g_return_val_if_fail (STUDIO_IS_WORKSPACE (self), NULL);
  return self->history;
}

/* ---- the modes ------------------------------------------------------------------------------ */

TgModes *
studio_workspace_get_modes (StudioWorkspace *self)
{
  return self->modes;
}

guint
studio_workspace_get_active_mode (StudioWorkspace *self)
{
  return self->active_mode;
}

void
studio_workspace_take_modes (StudioWorkspace *self, TgModes *modes, guint active)
{
  if (modes != self->modes)
    g_clear_pointer (&self->modes, tg_modes_free);
  self->modes = modes;
  self->active_mode = modes != NULL && active < tg_modes_count (modes) ? active : 0;
  g_signal_emit (self, signals[MODES_CHANGED], 0);
  g_signal_emit (self, signals[ACTIVE_MODE_CHANGED], 0);
}

gboolean
studio_workspace_set_active_mode (StudioWorkspace *self, guint index)
{
  if (self->modes == NULL || index >= tg_modes_count (self->modes))
    return FALSE;
  if (index != self->active_mode)
    {
      self->active_mode = index;
      g_signal_emit (self, signals[ACTIVE_MODE_CHANGED], 0);
    }
  return TRUE;
}

void
studio_workspace_modes_changed (StudioWorkspace *self)
{
  if (self->modes != NULL && self->active_mode >= tg_modes_count (self->modes))
    self->active_mode = tg_modes_count (self->modes) - 1;
  g_signal_emit (self, signals[MODES_CHANGED], 0);
}

static gboolean
same_file (const char *a, const char *b)
{
  g_autofree char *ca = NULL, *cb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  ca = g_canonicalize_filename (a, NULL);
  cb = g_canonicalize_filename (b, NULL);
  return strcmp (ca, cb) == 0;
}

StudioOpenResult
studio_workspace_open_foundation (StudioWorkspace *self, const char *path, GError **error)
{
  TgModes *modes;

  /* the open foundation's own file: its Base, with its modes kept */
  if (self->modes != NULL && same_file (self->modes->foundation_path, path))
    {
      self->active_mode = 0;
      return STUDIO_OPEN_SWITCHED;
    }
  modes = tg_modes_new_from_file (path, error);
  if (modes == NULL)
    return STUDIO_OPEN_REFUSED;
  g_clear_pointer (&self->modes, tg_modes_free);
  self->modes = modes;
  self->active_mode = 0;
  return STUDIO_OPEN_OPENED;
}

StudioOpenResult
studio_workspace_open_adapter (StudioWorkspace *self, const char *path, guint *index,
                               GError **error)
{
  g_autoptr (GError) local = NULL;
  guint i;

  if (self->modes == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH, "%s: is an adapter, and no foundation "
                   "is open to attach it to (open its foundation first, or with it)", path);
      return STUDIO_OPEN_REFUSED;
    }
  for (i = 1; i < tg_modes_count (self->modes); i++)
    if (same_file (tg_modes_get (self->modes, i)->path, path))
      {
        self->active_mode = i;
        if (index != NULL)
          *index = i;
        return STUDIO_OPEN_SWITCHED;
      }
  i = tg_modes_attach_file (self->modes, path, TRUE, &local);
  if (i > 0)
    {
      if (index != NULL)
        *index = i;
      return STUDIO_OPEN_OPENED;
    }
  if (g_error_matches (local, TG_FOUNDATION_ERROR, TG_FOUNDATION_ERROR_MISMATCH))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return STUDIO_OPEN_FOREIGN;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return STUDIO_OPEN_REFUSED;
}

StudioWorkspace *
studio_workspace_new (void)
{
  return g_object_new (STUDIO_TYPE_WORKSPACE, NULL);
}

static void
studio_workspace_dispose (GObject *object)
{
  StudioWorkspace *self = STUDIO_WORKSPACE (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  g_clear_pointer (&self->test_set, studio_test_set_unref);
  g_clear_pointer (&self->modes, tg_modes_free);
  G_OBJECT_CLASS (studio_workspace_parent_class)->dispose (object);
}

static void
studio_workspace_finalize (GObject *object)
{
  StudioWorkspace *self = STUDIO_WORKSPACE (object);

  g_array_unref (self->edits);
  g_free (self->chosen_dir);
  g_free (self->default_dir);
  g_free (self->data_dir);
  G_OBJECT_CLASS (studio_workspace_parent_class)->finalize (object);
}

static void
studio_workspace_class_init (StudioWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *names[N_SIGNALS] = { "selection-changed", "order-changed", "ablation-changed",
                                   "data-set-changed", "modes-changed",
                                   "active-mode-changed" };

  object_class->dispose = studio_workspace_dispose;
  object_class->finalize = studio_workspace_finalize;
  for (guint i = 0; i < N_SIGNALS; i++)
    signals[i] = g_signal_new (names[i], G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                               NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
studio_workspace_init (StudioWorkspace *self)
{
  self->edits = g_array_new (FALSE, FALSE, sizeof (TgUnitEdit));
  self->order = TG_UNIT_ORDER_INDEX;
  self->history = studio_history_new ();
  g_signal_connect (self->history, "changed", G_CALLBACK (history_changed_cb), self);
  self->default_dir = studio_default_data_dir ();
  self->data_dir = g_strdup (self->default_dir);
}
